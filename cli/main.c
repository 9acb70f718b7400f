// SPDX-License-Identifier: MIT
/* wslctl: global options, dispatch, and the one place that turns errors into exit codes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "buildinfo.h"
#include "commands.h"
#include "filelock.h"
#include "interrupt.h"
#include "output.h"
#include "suggest.h"


enum {
	G_WSLCONFIG = 1, G_ROOT, G_HOME, G_JSON, G_DRY_RUN, G_QUIET, G_VERBOSE, G_NO_COLOR,
	G_HELP, G_VERSION,
};

#define GLOBAL_OPTIONS \
	{ "wslconfig", 0, ARG_REQUIRED, G_WSLCONFIG }, \
	{ "root", 0, ARG_REQUIRED, G_ROOT }, \
	{ "home", 0, ARG_REQUIRED, G_HOME }, \
	{ "json", 0, ARG_NONE, G_JSON }, \
	{ "dry-run", 'n', ARG_NONE, G_DRY_RUN }, \
	{ "quiet", 'q', ARG_NONE, G_QUIET }, \
	{ "verbose", 'v', ARG_NONE, G_VERBOSE }, \
	{ "no-color", 0, ARG_NONE, G_NO_COLOR }, \
	{ "help", 'h', ARG_NONE, G_HELP }

/* Before the command --version is the tool's; after it, it belongs to the command. */
static const struct option_spec options_before[] = {
	GLOBAL_OPTIONS,
	{ "version", 0, ARG_NONE, G_VERSION },
	{ NULL, 0, 0, 0 },
};
static const struct option_spec options_after[] = {
	GLOBAL_OPTIONS,
	{ NULL, 0, 0, 0 },
};

struct globals {
	struct ctx *c;
	int help, version, no_color;
};

static int on_global(void *ud, int id, const char *val, struct error *err)
{
	struct globals *g = ud;
	struct ctx *c = g->c;

	/* An empty --home would silently mean the default store: refuse it, as an empty
	 * --wslconfig is refused. */
	if (id == G_HOME && !*val)
		return error_set(err, ERR_USAGE, "--home needs a folder, not an empty string");
	switch (id) {
	case G_WSLCONFIG: c->wslconfig = val; break;
	case G_ROOT: c->root = val; break;
	case G_HOME: c->home = val; break;
	case G_JSON: c->json = true; break;
	case G_DRY_RUN: c->dry_run = true; break;
	case G_QUIET: c->verbosity = -1; break;
	case G_VERBOSE: c->verbosity = c->verbosity < 0 ? 1 : c->verbosity + 1; break;
	case G_NO_COLOR: g->no_color = 1; break;
	case G_HELP: g->help = 1; break;
	case G_VERSION: g->version = 1; break;
	}
	return 0;
}

/* Index in argv of the command: the first word that is not a leading global option. */
static int command_index(int argc, char **argv)
{
	int i = 1;

	while (i < argc && argv[i][0] == '-' && argv[i][1]) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			return i + 1;
		i++;
		for (const struct option_spec *s = options_before; s->long_name; s++)
			if (s->has_arg && a[1] == '-' && !strcmp(a + 2, s->long_name))
				i++;
	}
	/* A trailing option without its value: let args_parse report it. */
	return i > argc ? argc : i;
}

static const char *env_or(const char *flag, const char *env)
{
	const char *v;

	if (flag)
		return flag;
	v = getenv(env);
	return v && *v ? v : NULL;
}

/* BUF = A/B; false when that does not fit (a name cut short names nothing of ours). */
static bool join(char *buf, size_t n, const char *a, const char *b)
{
	return (size_t)snprintf(buf, n, "%s/%s", a, b) < n;
}

/*
 * kernel-config/ and patches/: WSLCTL_DATA_DIR, the source tree we were built from,
 * DATADIR relative to the binary (a DESTDIR staging tree or a moved prefix), or DATADIR.
 */
static const char *find_data_dir(void)
{
	static char buf[PATH_MAX];
	const char *env = getenv("WSLCTL_DATA_DIR");
	char self[PATH_MAX], *slash;
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return WSLCTL_DATADIR;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return WSLCTL_DATADIR;
	*slash = '\0';
	if (join(buf, sizeof(buf), self, WSLCTL_DATADIR_REL "/kernel-config") &&
	    access(buf, F_OK) == 0) {
		char rel[sizeof(self) + 64];

		if (join(rel, sizeof(rel), self, WSLCTL_DATADIR_REL) && realpath(rel, buf))
			return buf;
	}
	/* build/wslctl or build/<name>/wslctl: the tree's top is one or two levels up. */
	for (int up = 0; up < 3; up++) {
		if (join(buf, sizeof(buf), self, "kernel-config") && access(buf, F_OK) == 0) {
			memcpy(buf, self, strlen(self) + 1);
			return buf;
		}
		slash = strrchr(self, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	return WSLCTL_DATADIR;
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: wslctl [--json] [-n] [-q|-v] [--wslconfig PATH] [--root DIR] [--home DIR]\n"
		"              <command> [<args>]\n"
		"\n"
		"Gets a WSL 2 machine onto the fast virtiofs path: the patched kernel, a\n"
		".wslconfig that WSL reads the way you meant, and a check of the result.\n"
		"\n"
		"Commands:\n");
	for (const struct command *t = core_commands; t->name; t++)
		fprintf(f, "  %-9s %s\n", t->name, t->summary);
	for (const struct command *t = net_commands; t->name; t++)
		fprintf(f, "  %-9s %s\n", t->name, t->summary);
	fprintf(f,
		"\n"
		"Global options (before or after the command):\n"
		"  --wslconfig PATH  the .wslconfig to read or edit (env WSLCTL_WSLCONFIG)\n"
		"  --root DIR        read /proc, /sys and /run under DIR (env WSLCTL_ROOT)\n"
		"  --home DIR        kernel store and download cache (env WSLCTL_HOME)\n"
		"  --json            one JSON object on stdout; text goes to stderr\n"
		"  -n, --dry-run     change nothing, report what would change\n"
		"  -q, --quiet       only the answer;  -v, --verbose  say more (last wins)\n"
		"  --no-color        no colour (also NO_COLOR, TERM=dumb)\n"
		"  -h, --help        help for wslctl or a command\n"
		"  --version         print the version\n"
		"\n"
		"Run 'wslctl help <command>' for a command's options and examples.\n"
		"Exit codes: 0 ok, 1 failed, 2 usage error, 3 bad input refused.\n");
}

/* A few edits away: the classic "did you mean". */
static const char *suggest_command(const char *name)
{
	const struct command *tables[] = { core_commands, net_commands };
	struct suggest s;

	suggest_begin(&s, name, 2, false);
	for (int k = 0; k < 2; k++)
		for (const struct command *t = tables[k]; t->name; t++)
			suggest_offer(&s, t->name);
	return s.best;
}

static int finish(struct ctx *c, int rc)
{
	if (rc < 0) {
		output_error(c, &c->err);
		rc = error_exit_code(c->err.code);
		if (c->err.code == ERR_INTERRUPTED && interrupt_signal())
			rc = 128 + interrupt_signal();
	} else if (c->json) {
		if (!json_object_get(c->result, "ok"))
			json_object_set_new(c->result, "ok", json_boolean(rc == 0));
		output_result(c);
	}
	json_decref(c->result);
	return rc;
}

/*
 * As git does at exit: output that never reached stdout (a full disk, a closed pipe's
 * EBADF) is a failure, even when the command itself worked, or a script would take a
 * truncated answer for the whole one.
 */
static int close_stdout(int rc)
{
	int bad = fflush(stdout) != 0 ? errno : ferror(stdout) ? -1 : 0;

	if (fclose(stdout) != 0 && !bad)
		bad = errno;
	if (!bad)
		return rc;
	fprintf(stderr, "wslctl: error: cannot write to standard output: %s\n",
		bad > 0 ? strerror(bad) : "write error");
	return rc ? rc : 1;
}

/*
 * Help asked for: the text on stdout, or under --json one object that carries it,
 * {"ok":true,"command":NAME|null,"help":TEXT}, so that stdout is still one JSON object.
 */
static int show_help(struct ctx *c, const char *command, const char *text)
{
	if (!c->json) {
		fputs(text, stdout);
		return finish(c, 0);
	}
	json_object_set_new(c->result, "ok", json_true());
	json_object_set_new(c->result, "command", json_str_or_null(command));
	json_object_set_new(c->result, "help", json_str_or_null(text));
	return finish(c, 0);
}

/* The tool's usage as help: print_usage's text, caught in memory for show_help. */
static int show_usage(struct ctx *c)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	int rc;

	if (!f)
		return finish(c, error_set(&c->err, ERR_IO, "out of memory"));
	print_usage(f);
	if (fclose(f) != 0) {
		free(text);
		return finish(c, error_set(&c->err, ERR_IO, "out of memory"));
	}
	rc = show_help(c, NULL, text);
	free(text);
	return rc;
}

/* Everything after option parsing; returns the exit code. */
static int dispatch(struct ctx *c, struct globals *g, int npos, char **pos)
{
	const struct command *cmd;

	if (npos == 0) {
		if (g->version) {
			if (c->json) {
				json_object_set_new(c->result, "ok", json_true());
				json_object_set_new(c->result, "version", json_string(WSLCTL_VERSION));
			} else {
				printf("wslctl %s\n", WSLCTL_VERSION);
			}
			return finish(c, 0);
		}
		if (g->help)
			return show_usage(c);
		/* No command is a usage error: the usage for people, the error for scripts. */
		print_usage(stderr);
		error_set(&c->err, ERR_USAGE, "no command given (see 'wslctl --help')");
		return finish(c, -1);
	}
	if (!strcmp(pos[0], "help")) {
		if (npos < 2 || !strcmp(pos[1], "help"))
			return show_usage(c);
		pos[0] = pos[1];
		npos = 1;
		g->help = 1;
	}
	if (g->version && !g->help) {
		error_set(&c->err, ERR_USAGE, "--version takes no command: 'wslctl --version' alone, "
			  "not with '%s'", pos[0]);
		return finish(c, -1);
	}
	cmd = command_find(pos[0]);
	if (!cmd) {
		const char *s = suggest_command(pos[0]);

		if (s)
			error_set(&c->err, ERR_USAGE, "unknown command '%s'; did you mean '%s'?", pos[0], s);
		else
			error_set(&c->err, ERR_USAGE, "unknown command '%s' (see 'wslctl --help')", pos[0]);
		return finish(c, -1);
	}
	if (g->help)
		return show_help(c, cmd->name, cmd->help);
	if (settings_load(&c->settings, &c->err) < 0)
		return finish(c, -1);
	if (!c->home && c->settings.store[0])
		c->home = c->settings.store;
	return finish(c, cmd->run(c, npos, pos));
}

/*
 * Started with fd 0, 1 or 2 closed, the first file opened (a lock, a temp file) would take
 * its number and get the text meant for stdout or stderr. /dev/null read-only fills the
 * gap: writes to it still fail (EBADF), so close_stdout still reports a closed stdout.
 */
static void fill_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int n = open("/dev/null", O_RDONLY);

		/* open takes the lowest free number, which is FD; anything else is not ours. */
		if (n >= 0 && n != fd)
			close(n);
	}
}

int main(int argc, char **argv)
{
	struct ctx c = { .argc = argc, .argv = argv };
	struct globals g = { .c = &c };
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	int npos, rc, split;

	fill_std_fds();
	c.result = json_object();
	if (!pos || !c.result)
		return 1;

	args_set_cmdline(argc, argv, options_after);
	split = command_index(argc, argv);
	npos = args_parse(split - 1, argv + 1, options_before, on_global, &g, pos, 0, &c.err);
	if (npos >= 0) {
		int more = args_parse(argc - split, argv + split, options_after, on_global, &g,
				      pos + npos, 1, &c.err);

		npos = more < 0 ? -1 : npos + more;
	}

	c.wslconfig = env_or(c.wslconfig, "WSLCTL_WSLCONFIG");
	c.root = env_or(c.root, "WSLCTL_ROOT");
	if (!c.root)
		c.root = "/";
	c.home = env_or(c.home, "WSLCTL_HOME");
	c.data_dir = find_data_dir();
	output_init(&c, g.no_color);
	/* Every lock a command waits for says so after 1 s (store, build, .wslconfig). */
	filelock_on_wait(output_lock_wait, &c);

	rc = npos < 0 ? finish(&c, -1) : dispatch(&c, &g, npos, pos);
	free(pos);
	return close_stdout(rc);
}
