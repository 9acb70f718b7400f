// SPDX-License-Identifier: MIT
#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

static struct {
	int argc;
	char **argv;
	const struct option_spec *globals;
} cmdline;

void args_set_cmdline(int argc, char **argv, const struct option_spec *globals)
{
	cmdline.argc = argc;
	cmdline.argv = argv;
	cmdline.globals = globals;
}

static bool typed_on_cmdline(const char *a)
{
	for (int i = 0; i < cmdline.argc; i++)
		if (cmdline.argv[i] == a)
			return true;
	return false;
}

/* "unknown option '--jsn'; did you mean '--json'?": the nearest of SPECS, and of the
 * global options when A was typed on the command line. */
static int unknown_long(const char *a, const char *name, size_t len,
			const struct option_spec *specs, struct error *err)
{
	char typed[SUGGEST_MAX_LEN + 1];
	const char *best = NULL, *g = NULL;

	if (len <= SUGGEST_MAX_LEN) {
		memcpy(typed, name, len);
		typed[len] = '\0';
		best = specs ? SUGGEST_FROM(typed, specs) : NULL;
		if (cmdline.globals && typed_on_cmdline(a))
			g = SUGGEST_FROM(typed, cmdline.globals);
		/* The nearer of the two; the command's own on a tie. */
		if (g && (!best || suggest_distance(typed, g, SIZE_MAX, true) <
				   suggest_distance(typed, best, SIZE_MAX, true)))
			best = g;
	}
	if (best)
		return error_set(err, ERR_USAGE, "unknown option '--%.*s'; did you mean '--%s'?",
				 (int)len, name, best);
	return error_set(err, ERR_USAGE, "unknown option '--%.*s'", (int)len, name);
}

static int looks_negative_number(const char *s)
{
	return s[0] == '-' && (isdigit((unsigned char)s[1]) ||
			       (s[1] == '.' && isdigit((unsigned char)s[2])));
}

static const struct option_spec *find_long(const struct option_spec *specs,
					   const char *name, size_t len)
{
	for (; specs && specs->long_name; specs++)
		if (strlen(specs->long_name) == len &&
		    !strncmp(specs->long_name, name, len))
			return specs;
	return NULL;
}

static const struct option_spec *find_short(const struct option_spec *specs, char c)
{
	for (; specs && specs->long_name; specs++)
		if (specs->short_name && specs->short_name == c)
			return specs;
	return NULL;
}

/*
 * "-nf" where main knows -n and the command -f: the part main does not know
 * goes on as its own argument "-f". Kept in a static arena (argv itself must
 * stay intact for handing over to wslctl-net); NULL when it is full.
 */
static char *rest_of_cluster(const char *rest)
{
	static char arena[1024];
	static size_t used;
	size_t len = strlen(rest);
	char *s;

	if (used + len + 2 > sizeof(arena))
		return NULL;
	s = arena + used;
	s[0] = '-';
	memcpy(s + 1, rest, len + 1);
	used += len + 2;
	return s;
}

int args_parse(int argc, char **argv, const struct option_spec *specs,
	       int (*on_opt)(void *ud, int id, const char *val, struct error *err),
	       void *ud, char **pos, int keep_unknown, struct error *err)
{
	int npos = 0;

	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		const struct option_spec *s;
		const char *val = NULL;

		if (!strcmp(a, "--")) {
			if (keep_unknown)
				pos[npos++] = a;
			while (++i < argc)
				pos[npos++] = argv[i];
			break;
		}
		if (a[0] != '-' || a[1] == '\0' || looks_negative_number(a)) {
			pos[npos++] = a;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			s = find_long(specs, name, len);
			if (!s) {
				if (keep_unknown) {
					pos[npos++] = a;
					continue;
				}
				return unknown_long(a, name, len, specs, err);
			}
			if (s->has_arg == ARG_REQUIRED) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return error_set(err, ERR_USAGE,
							 "option '--%s' needs a value", s->long_name);
			} else if (eq) {
				return error_set(err, ERR_USAGE,
						 "option '--%s' takes no value", s->long_name);
			}
		} else {
			/* A cluster such as -qv, or -j4 / -j 4 for options with values. */
			for (const char *c = a + 1; *c; c++) {
				s = find_short(specs, *c);
				if (!s) {
					char *rest = NULL;

					if (keep_unknown && c == a + 1) {
						pos[npos++] = a;
						goto next;
					}
					if (keep_unknown && (rest = rest_of_cluster(c))) {
						pos[npos++] = rest;
						goto next;
					}
					return error_set(err, ERR_USAGE, "unknown option '-%c'", *c);
				}
				if (s->has_arg == ARG_REQUIRED) {
					if (c[1])
						val = c + 1;
					else if (i + 1 < argc)
						val = argv[++i];
					else
						return error_set(err, ERR_USAGE,
								 "option '-%c' needs a value", *c);
					if (on_opt(ud, s->id, val, err) < 0)
						return -1;
					goto next;
				}
				if (on_opt(ud, s->id, NULL, err) < 0)
					return -1;
			}
			continue;
		}
		if (on_opt(ud, s->id, val, err) < 0)
			return -1;
next:;
	}
	return npos;
}

int args_int(const char *opt, const char *val, long min, long max, long *out,
	     struct error *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(val, &end, 10);
	if (errno || end == val || *end || v < min || v > max)
		return error_set(err, ERR_USAGE, "%s takes a whole number from %ld to %ld, not '%s'",
				 opt, min, max, val);
	*out = v;
	return 0;
}

int args_parse_options(int argc, char **argv, const struct option_spec *specs,
		       int (*on_opt)(void *ud, int id, const char *val, struct error *err),
		       void *ud, const char *name, struct error *err)
{
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	int npos;

	if (!pos)
		return error_set(err, ERR_IO, "out of memory");
	npos = args_parse(argc - 1, argv + 1, specs, on_opt, ud, pos, 0, err);
	free(pos);
	if (npos > 0)
		return error_set(err, ERR_USAGE, "%s takes no arguments (see 'wslctl %s --help')",
				 name, name);
	return npos < 0 ? -1 : 0;
}
