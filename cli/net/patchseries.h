/* SPDX-License-Identifier: MIT */
/*
 * A quilt-style patch series, applied exactly with GNU patch.
 *
 * The series file: one patch per line (a relative name inside the series file's folder:
 * no absolute name, no `..`), `#` starts a comment (whole line, or a word of its own), then options:
 *   -pN                       strip N leading path components (default 1)
 *   present-if=FILE:REGEX     the patch counts as present when FILE (relative to the
 *                             tree) matches the POSIX extended REGEX (per line: ^ and $
 *                             match at line ends); no spaces: use [[:space:]]
 *
 * A patch applies with no fuzz (as git apply does; offsets are fine). It is "present"
 * when its probe matches the tree as given (before this run's patches: what our own
 * earlier patches add is not someone else's version) or it reverse-applies exactly. Anything else is a conflict:
 * what this run applied is reversed, so the tree is as it was. A patch that stops half-way
 * (fails after its dry run passed, or is interrupted) is undone too (patchsnap.h).
 */
#ifndef WSLCTL_PATCHSERIES_H
#define WSLCTL_PATCHSERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct series_entry {
	char *name;        /* as written in the series */
	char *path;        /* the patch file: series folder + name */
	int strip;         /* -pN */
	char *probe_file;  /* present-if FILE, NULL when there is no probe */
	char *probe_regex;
	int line;          /* line in the series file */
	char *text;        /* the patch's bytes, read once and checked (series_read_patches):
			      patch is given these, not the file again */
	size_t len;
};

struct series {
	char path[4096];   /* the series file */
	struct series_entry *e;
	size_t n;
};

/* Parses series TEXT (read from PATH, named in errors; the folder of PATH holds the
 * patches). ERR_INVALID_FILE naming PATH:LINE for a malformed line or a patch name that
 * leaves that folder. Does not touch the patch files. */
int series_parse(const char *path, const char *text, struct series *s, struct error *err);
/* Reads every patch file of S into its entry: a regular file (links followed), opened
 * without blocking, at most 64 MiB. A FIFO, device, folder or larger file is refused
 * with ERR_INVALID_FILE, a missing one with ERR_NOT_FOUND, both naming the series line. */
int series_read_patches(struct series *s, struct error *err);
/* Reads DIR/series (a regular file, as the patches) and its patches (series_read_patches).
 * A DIR without a series file is ERR_NOT_FOUND. */
int series_load(const char *dir, struct series *s, struct error *err);
void series_free(struct series *s);

enum patch_status {
	PATCH_APPLIED,  /* applied by this run (or would be, dry run) */
	PATCH_PRESENT,  /* already in the tree: reverse-applies, or the probe matched */
	PATCH_PENDING,  /* dry run: cannot be judged before the patches before it apply */
	PATCH_REVERSED, /* applied by this run, then undone because a later step failed */
};
const char *patch_status_name(enum patch_status st);

struct series_run {
	enum patch_status *status; /* one per entry, valid up to `done` */
	size_t done;               /* entries settled (all of them on success) */
	size_t applied;            /* of which this run applied */
	char *report;              /* on conflict: patch's output and the rejected hunks */
};

/*
 * Applies S (its patches read: series_read_patches) to TREE in order. A present-if probe
 * file that exists but is not a regular file is ERR_INVALID_FILE naming the series line. On a conflict everything this call applied is reversed,
 * RUN->report explains and ERR_PATCH_CONFLICT names the patch and its series line. A
 * patch that fails half-way (after its dry run passed) or is interrupted is undone from
 * copies saved under SCRATCH (NULL: $TMPDIR), then the ones before it are reversed.
 * With DRY_RUN nothing is written. Free RUN with series_run_free.
 */
int series_apply(const struct series *s, const char *tree, const char *scratch, bool dry_run,
		 struct series_run *run, struct error *err);
/* Reverses what series_apply applied (a later step failed). */
int series_unapply(const struct series *s, const char *tree, struct series_run *run,
		   struct error *err);
void series_run_free(struct series_run *run);

/*
 * The hunks GNU patch reported FAILED in OUTPUT ("checking file F", "Hunk #N FAILED"),
 * cut out of PATCH_TEXT (paths compared after stripping STRIP components). Returns a
 * malloc'd text, "" when nothing could be matched, NULL when out of memory.
 */
char *series_failed_hunks(const char *patch_text, int strip, const char *output);

#endif
