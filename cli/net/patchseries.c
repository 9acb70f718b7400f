// SPDX-License-Identifier: MIT
#include "patchseries.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fdio.h"
#include "fsutil.h"
#include "interrupt.h"
#include "patchsnap.h"
#include "runproc.h"
#include "strbuf.h"

#define SERIES_MAX (1u << 20)     /* a series file is a list of names */
#define PATCH_MAX (64u << 20)     /* one patch, held in memory for patch to read */
#define PROBE_MAX (64u << 20)     /* a probed source file */

static const char series_syntax[] =
	"a series line is: PATCH [-pN] [present-if=FILE:REGEX] [# comment]";

const char *patch_status_name(enum patch_status st)
{
	switch (st) {
	case PATCH_APPLIED: return "applied";
	case PATCH_PRESENT: return "present";
	case PATCH_PENDING: return "pending";
	case PATCH_REVERSED: return "reversed";
	}
	return "?";
}

static int parse_option(const char *path, int line, const char *tok,
			struct series_entry *e, struct error *err)
{
	if (tok[0] == '-' && tok[1] == 'p') {
		char *end;
		long v;

		errno = 0;
		v = strtol(tok + 2, &end, 10);
		if (!isdigit((unsigned char)tok[2]) || *end || errno || v > 64)
			return error_set(err, ERR_INVALID_FILE,
					 "%s:%d: bad strip level '%s' (write -p0, -p1, ...)",
					 path, line, tok);
		e->strip = (int)v;
		return 0;
	}
	if (!strncmp(tok, "present-if=", 11)) {
		const char *spec = tok + 11, *colon = strchr(spec, ':');
		regex_t re;
		int rc;

		if (!colon || colon == spec || !colon[1])
			return error_set(err, ERR_INVALID_FILE,
					 "%s:%d: present-if needs FILE:REGEX, got '%s'",
					 path, line, spec);
		e->probe_file = strndup(spec, (size_t)(colon - spec));
		e->probe_regex = strdup(colon + 1);
		if (!e->probe_file || !e->probe_regex)
			return error_set(err, ERR_IO, "out of memory");
		if (tree_path_escapes(e->probe_file))
			return error_set(err, ERR_INVALID_FILE,
					 "%s:%d: present-if file '%s' must be relative to the tree, without '..'",
					 path, line, e->probe_file);
		rc = regcomp(&re, e->probe_regex, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
		if (rc) {
			char msg[256];

			regerror(rc, &re, msg, sizeof(msg));
			return error_set(err, ERR_INVALID_FILE,
					 "%s:%d: bad regular expression '%s' in present-if: %s",
					 path, line, e->probe_regex, msg);
		}
		regfree(&re);
		return 0;
	}
	return error_set(err, ERR_INVALID_FILE, "%s:%d: unknown option '%s' (%s)", path, line,
			 tok, series_syntax);
}

static int parse_line(const char *path, int line, char *text, struct series *s,
		      struct error *err)
{
	struct series_entry *e, *grown;
	const char *dirend = strrchr(path, '/');
	char *save = NULL, *tok;

	tok = strtok_r(text, " \t", &save);
	if (!tok || tok[0] == '#')
		return 0;
	grown = realloc(s->e, (s->n + 1) * sizeof(*s->e));
	if (!grown)
		return error_set(err, ERR_IO, "out of memory");
	s->e = grown;
	e = &s->e[s->n++];
	memset(e, 0, sizeof(*e));
	e->line = line;
	e->strip = 1;
	/* A series ships with its patches: a name that leaves its folder would load a file
	 * nobody reviewed with it. */
	if (tree_path_escapes(tok))
		return error_set(err, ERR_INVALID_FILE, "%s:%d: patch '%s' is outside the "
				 "series' folder: name it relative to that folder, without '..'",
				 path, line, tok);
	e->name = strdup(tok);
	if (dirend) {
		if (asprintf(&e->path, "%.*s/%s", (int)(dirend - path), path, tok) < 0)
			e->path = NULL;
	} else {
		e->path = strdup(tok);
	}
	if (!e->name || !e->path)
		return error_set(err, ERR_IO, "out of memory");
	while ((tok = strtok_r(NULL, " \t", &save)) && tok[0] != '#')
		if (parse_option(path, line, tok, e, err) < 0)
			return -1;
	return 0;
}

int series_parse(const char *path, const char *text, struct series *s, struct error *err)
{
	int line = 0;

	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s", path);
	while (*text) {
		size_t n = strcspn(text, "\n");
		char *copy = strndup(text, n);
		int rc;

		if (!copy)
			return error_set(err, ERR_IO, "out of memory");
		line++;
		if (n && copy[n - 1] == '\r')
			copy[n - 1] = '\0';
		rc = parse_line(path, line, copy, s, err);
		free(copy);
		if (rc < 0) {
			series_free(s);
			return -1;
		}
		text += n + (text[n] == '\n');
	}
	return 0;
}

/*
 * FILE whole, when it is a regular file (links followed) of at most MAX bytes. Opened
 * without blocking: a FIFO, /dev/zero or a folder is refused, never waited on or read
 * forever. NULL with ERR set (ERR_INVALID_FILE saying what FILE is); errno ENOENT and
 * ERR_NOT_FOUND when it is missing (ENOTDIR too: a path through a file).
 */
static char *read_regular(const char *file, size_t max, size_t *len, struct error *err)
{
	int fd = open_regular(file, max, err), e = errno;
	char *text;

	if (fd < 0) {
		if (e == ENOENT || e == ENOTDIR)
			error_set(err, ERR_NOT_FOUND, "%s: %s", file, strerror(e));
		errno = e;
		return NULL;
	}
	text = read_all(fd, max, len);
	e = errno;
	close(fd);
	if (!text)
		error_set(err, e == EFBIG ? ERR_INVALID_FILE : ERR_IO, "cannot read %s: %s", file,
			  e == EFBIG ? "it grew past its limit while being read" : strerror(e));
	errno = e;
	return text;
}

int series_read_patches(struct series *s, struct error *err)
{
	for (size_t i = 0; i < s->n; i++) {
		struct series_entry *e = &s->e[i];

		free(e->text);
		e->text = read_regular(e->path, PATCH_MAX, &e->len, err);
		if (!e->text)
			return error_wrap(err, "%s:%d: patch %s", s->path, e->line, e->name);
	}
	return 0;
}

int series_load(const char *dir, struct series *s, struct error *err)
{
	char path[PATH_MAX + 16], abs[PATH_MAX];
	char *text;

	/* patch runs inside the tree (-d): patch paths must not be relative to here. */
	if (!realpath(dir, abs))
		return error_set(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
				 "patch folder %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/series", abs);
	text = read_regular(path, SERIES_MAX, NULL, err);
	if (!text)
		return error_wrap(err, "patch series");
	if (series_parse(path, text, s, err) < 0) {
		free(text);
		return -1;
	}
	free(text);
	if (series_read_patches(s, err) < 0) {
		series_free(s);
		return -1;
	}
	return 0;
}

void series_free(struct series *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].name);
		free(s->e[i].path);
		free(s->e[i].probe_file);
		free(s->e[i].probe_regex);
		free(s->e[i].text);
	}
	free(s->e);
	s->e = NULL;
	s->n = 0;
}

void series_run_free(struct series_run *run)
{
	free(run->status);
	free(run->report);
	memset(run, 0, sizeof(*run));
}

/* 1 when TREE/FILE matches the probe, 0 when not (or the file is absent). */
static int probe_matches(const struct series *s, const struct series_entry *e,
			 const char *tree, struct error *err)
{
	char path[4096];
	regex_t re;
	char *text;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", tree, e->probe_file);
	text = read_regular(path, PROBE_MAX, NULL, err);
	if (!text) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return error_wrap(err, "%s:%d: present-if probe of %s", s->path, e->line,
				  e->name);
	}
	if (regcomp(&re, e->probe_regex, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) != 0) {
		free(text);
		return error_set(err, ERR_INVALID_FILE, "bad regular expression '%s'",
				 e->probe_regex);
	}
	rc = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	free(text);
	return rc;
}

enum patch_mode { FORWARD, REVERSE };

/* E's bytes as they were read and checked, in a memory file patch inherits and reads as
 * /dev/fd/N: the file the series names is not opened again (it may have been swapped
 * for a FIFO or another patch since). The caller closes it. -1 with ERR set. */
static int patch_memfd(const struct series_entry *e, struct error *err)
{
	/* Not close-on-exec: patch must inherit it. Nothing else is started meanwhile. */
	int fd = memfd_create("wslctl-patch", 0), e2;

	if (fd < 0)
		return error_set(err, ERR_IO, "cannot hold patch %s in memory: %s", e->name,
				 strerror(errno));
	if (!e->text || write_all(fd, e->text, e->len) < 0) {
		e2 = e->text ? errno : EINVAL;
		close(fd);
		return error_set(err, ERR_IO, "cannot hold patch %s in memory: %s", e->name,
				 e->text ? strerror(e2) : "it was not read");
	}
	return fd;
}

/* Runs GNU patch exactly (no fuzz, no backups, no .rej files); 0 when it succeeded,
 * 1 when it did not, -1 when it could not run. OUTPUT (optional) gets its words. */
static int run_patch(const struct series_entry *e, const char *tree, enum patch_mode mode,
		     bool dry_run, char **output, struct error *err)
{
	/* Parsable messages; POSIX mode would refuse to create files. */
	static const char *const env[] = { "LC_ALL=C", "POSIXLY_CORRECT", NULL };
	char strip[16], input[32];
	const char *argv[16];
	struct run_opts o = { .env = env, .log_fd = -1, .capture = true };
	struct run_result r;
	int n = 0, fd = patch_memfd(e, err), rc;

	if (fd < 0)
		return -1;
	snprintf(input, sizeof(input), "/dev/fd/%d", fd);
	snprintf(strip, sizeof(strip), "-p%d", e->strip);
	argv[n++] = "patch";
	argv[n++] = "-d";
	argv[n++] = tree;
	argv[n++] = strip;
	/* --forward: never guess that a patch is reversed (--batch alone would). */
	argv[n++] = "--batch";
	argv[n++] = "--forward";
	argv[n++] = "--fuzz=0";
	argv[n++] = "--no-backup-if-mismatch";
	argv[n++] = "--reject-file=-";
	argv[n++] = "--quoting-style=literal";
	if (mode == REVERSE)
		argv[n++] = "--reverse";
	if (dry_run)
		argv[n++] = "--dry-run";
	argv[n++] = "-i";
	argv[n++] = input;
	argv[n] = NULL;
	rc = run_cmd(argv, &o, &r, err);
	close(fd);
	if (rc < 0)
		return -1;
	if (output)
		*output = r.output;
	else
		free(r.output);
	return r.status == 0 ? 0 : 1;
}

static int conflict(const struct series *s, size_t i, const char *tree, char *fwd_output,
		    struct series_run *run, struct error *err)
{
	const struct series_entry *e = &s->e[i];
	char *hunks = e->text ? series_failed_hunks(e->text, e->strip, fwd_output) : NULL;

	free(run->report);
	if (asprintf(&run->report, "%s does not apply exactly to %s:\n%s%s%s", e->name, tree,
		     fwd_output ? fwd_output : "", hunks && *hunks ? "Rejected hunks:\n" : "",
		     hunks ? hunks : "") < 0)
		run->report = NULL;
	free(hunks);
	return error_set(err, ERR_PATCH_CONFLICT,
			 "%s:%d: patch %s neither applies to %s without fuzz nor is already "
			 "there; rebase it on this tree, or add present-if=FILE:REGEX to its "
			 "series line if the tree carries its own version", s->path, e->line,
			 e->name, tree);
}

/* Applies entry I for real, its dry run (DRY, patch's words) having passed. The files
 * the dry run named are saved first: a run that fails half-way or is interrupted is
 * undone, so the tree holds none of its changes. */
static int apply_real(const struct series *s, size_t i, const char *tree, const char *scratch,
		      const char *dry, struct error *err)
{
	const struct series_entry *e = &s->e[i];
	struct patchsnap snap;
	struct error undo = { 0 };
	char *out = NULL;
	int rc;

	if (patchsnap_take(&snap, tree, scratch, dry, err) < 0)
		return error_wrap(err, "%s:%d: patch %s not applied", s->path, e->line, e->name);
	rc = run_patch(e, tree, FORWARD, false, &out, err);
	if (rc > 0)
		error_set(err, ERR_PATCH_CONFLICT, "%s:%d: patch %s passed its dry run but failed "
			  "(its changes were undone): %s", s->path, e->line, e->name,
			  out ? out : "");
	free(out);
	if (rc != 0) {
		interrupt_defer();
		if (patchsnap_restore(&snap, &undo) < 0) {
			char first[sizeof(err->message)];

			memcpy(first, err->message, sizeof(first));
			error_set(err, err->code, "%s; undoing what it changed failed: %s", first,
				  undo.message);
		}
	}
	patchsnap_free(&snap);
	return rc == 0 ? 0 : -1;
}

/* Settles entry I: present, applied (or would be), pending (dry run) or conflict. */
static int apply_one(const struct series *s, size_t i, const char *tree, const char *scratch,
		     bool dry_run, bool probed, struct series_run *run, struct error *err)
{
	const struct series_entry *e = &s->e[i];
	char *fwd = NULL;
	int rc;

	if (probed) {
		run->status[i] = PATCH_PRESENT;
		return 0;
	}
	rc = run_patch(e, tree, FORWARD, true, &fwd, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		rc = dry_run ? 0 : apply_real(s, i, tree, scratch, fwd, err);
		free(fwd);
		if (rc < 0)
			return -1;
		run->status[i] = PATCH_APPLIED;
		run->applied++;
		return 0;
	}
	rc = run_patch(e, tree, REVERSE, true, NULL, err);
	if (rc < 0) {
		free(fwd);
		return -1;
	}
	if (rc == 0) {
		free(fwd);
		run->status[i] = PATCH_PRESENT;
		return 0;
	}
	if (dry_run && run->applied) {
		free(fwd);
		run->status[i] = PATCH_PENDING;
		return 0;
	}
	rc = conflict(s, i, tree, fwd, run, err);
	free(fwd);
	return rc;
}

int series_apply(const struct series *s, const char *tree, const char *scratch, bool dry_run,
		 struct series_run *run, struct error *err)
{
	bool *probed;

	memset(run, 0, sizeof(*run));
	run->status = calloc(s->n ? s->n : 1, sizeof(*run->status));
	probed = calloc(s->n ? s->n : 1, sizeof(*probed));
	if (!run->status || !probed) {
		free(probed);
		return error_set(err, ERR_IO, "out of memory");
	}
	/* Probes look at the tree as it was given: a change our own earlier patches make
	 * must not pass for one that others wrote. */
	for (size_t i = 0; i < s->n; i++) {
		int rc = s->e[i].probe_file ? probe_matches(s, &s->e[i], tree, err) : 0;

		if (rc < 0) {
			free(probed);
			return -1;
		}
		probed[i] = rc;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (apply_one(s, i, tree, scratch, dry_run, probed[i], run, err) < 0) {
			free(probed);
			if (!dry_run && run->applied) {
				struct error undo = { 0 };

				interrupt_defer();
				if (series_unapply(s, tree, run, &undo) < 0) {
					char first[sizeof(err->message)];

					memcpy(first, err->message, sizeof(first));
					error_set(err, err->code, "%s; undoing the patches applied "
						  "before failed too: %s", first, undo.message);
				}
			}
			return -1;
		}
		run->done = i + 1;
	}
	free(probed);
	return 0;
}

int series_unapply(const struct series *s, const char *tree, struct series_run *run,
		   struct error *err)
{
	int failed = 0;

	for (size_t i = run->done; i-- > 0; ) {
		char *out = NULL;
		int rc;

		if (run->status[i] != PATCH_APPLIED)
			continue;
		rc = run_patch(&s->e[i], tree, REVERSE, false, &out, err);
		if (rc == 0) {
			run->applied--;
			run->status[i] = PATCH_REVERSED;
		} else {
			if (rc > 0)
				error_set(err, ERR_IO, "cannot reverse %s in %s: %s", s->e[i].name,
					  tree, out ? out : "");
			failed = 1;
		}
		free(out);
	}
	return failed ? -1 : 0;
}

/* ---- Rejected hunks: match patch's report against the patch text. ---- */

/* The file name of a "--- "/"+++ " line after stripping STRIP components. */
static char *diff_name(const char *line, int strip)
{
	const char *p = line + 4;
	size_t n = strcspn(p, "\t\n\r");
	char *name;

	while (n && p[n - 1] == ' ')
		n--;
	name = strndup(p, n);
	if (!name || !strcmp(name, "/dev/null"))
		return name;
	for (int k = 0; k < strip; k++) {
		char *slash = strchr(name, '/');

		if (!slash)
			break;
		memmove(name, slash + 1, strlen(slash + 1) + 1);
	}
	return name;
}

struct failed {
	char *file;
	int hunk;
	int at;
};

static int collect_failed(const char *output, struct failed **out, size_t *n)
{
	char *cur = NULL;

	*out = NULL;
	*n = 0;
	for (const char *p = output ? output : ""; *p; ) {
		size_t len = strcspn(p, "\n");
		int hunk, at;

		if (!strncmp(p, "checking file ", 14) || !strncmp(p, "patching file ", 14)) {
			free(cur);
			cur = strndup(p + 14, len - 14);
		} else if (cur && sscanf(p, "Hunk #%d FAILED at %d", &hunk, &at) == 2) {
			struct failed *g = realloc(*out, (*n + 1) * sizeof(**out));

			if (!g)
				break;
			*out = g;
			g[*n].file = strdup(cur);
			g[*n].hunk = hunk;
			g[*n].at = at;
			(*n)++;
		}
		p += len + (p[len] == '\n');
	}
	free(cur);
	return 0;
}

static bool is_failed(const struct failed *f, size_t n, const char *oldn, const char *newn,
		      int hunk, int *at)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].hunk == hunk && f[i].file &&
		    ((newn && !strcmp(f[i].file, newn)) || (oldn && !strcmp(f[i].file, oldn)))) {
			*at = f[i].at;
			return true;
		}
	return false;
}

char *series_failed_hunks(const char *patch_text, int strip, const char *output)
{
	struct failed *f;
	size_t nf;
	struct strbuf res = { 0 };
	char *oldn = NULL, *newn = NULL;
	int hunk = 0;
	bool copying = false;
	const char *p = patch_text;

	collect_failed(output, &f, &nf);
	/* "" when no hunk failed; on running out of memory, what was gathered so far. */
	strbuf_add(&res, "", 0);
	while (*p && !res.oom) {
		size_t n = strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
		int at = 0;

		if (!strncmp(p, "--- ", 4) && !strncmp(p + n, "+++ ", 4)) {
			free(oldn);
			free(newn);
			oldn = diff_name(p, strip);
			newn = diff_name(p + n, strip);
			hunk = 0;
			copying = false;
		} else if (!strncmp(p, "@@ ", 3) && (oldn || newn)) {
			hunk++;
			copying = is_failed(f, nf, oldn, newn, hunk, &at);
			if (copying)
				strbuf_printf(&res, "%s: hunk #%d (FAILED at %d)\n",
					      newn && strcmp(newn, "/dev/null") ? newn : oldn, hunk, at);
		} else if (copying && !strchr(" +-\\", *p)) {
			copying = false;
		}
		if (copying)
			strbuf_add(&res, p, n);
		p += n;
	}
	for (size_t i = 0; i < nf; i++)
		free(f[i].file);
	free(f);
	free(oldn);
	free(newn);
	return res.s;
}
