/* SPDX-License-Identifier: MIT */
/*
 * The .wslconfig engine: reads a WSL config file exactly as WSL's own parser
 * does (see docs/wslconfig.md), and edits it by splicing bytes so that
 * nothing the user wrote changes outside the edit.
 *
 * This header is the contract the other modules (check, update, kernel,
 * build) code against; the engine may add functions but keeps these.
 */
#ifndef WSLCTL_WSLCONFIG_H
#define WSLCTL_WSLCONFIG_H

#include <stdbool.h>

#include "error.h"

struct wslconfig;

/* Loads PATH; a missing file is an empty document (written on commit if edited). */
int wslconfig_load(const char *path, struct wslconfig **out, struct error *err);
void wslconfig_free(struct wslconfig *cfg);

struct wslconfig_value {
	const char *text; /* the value as WSL reads it (quotes removed, escapes decoded) */
	int line;         /* 1-based line WSL reports for it */
	bool valid;       /* false when WSL rejects the value (and uses the default) */
};

/* KEY is "section.key" (case-insensitive). Returns 1 and fills V from the occurrence
 * WSL uses, 0 when the key is absent. */
int wslconfig_get(const struct wslconfig *cfg, const char *key, struct wslconfig_value *v);
/* The boolean WSL will use: the file's value when present and valid, else the default. */
bool wslconfig_get_bool(const struct wslconfig *cfg, const char *key);

/*
 * A key named on the command line is at most this long (section, dot and name). Names
 * read from a file have no limit (WSL's parser has none) and round-trip whole.
 */
#define WSLCONFIG_KEY_ARG_MAX 255
/* 0 when KEY is within the limit, else -1 with a usage error that states it. */
int wslconfig_key_arg(const char *key, struct error *err);

/* Editing: take the lock (waits up to 10 s, then ERR_LOCKED) and load. */
int wslconfig_edit_begin(const char *path, struct wslconfig **out, struct error *err);
/* VALUE is the value as WSL should read it; it is validated against the key's type and
 * escaped. Returns 1 when the document changed, 0 when it already read so, -1 on error. */
int wslconfig_set(struct wslconfig *cfg, const char *key, const char *value, struct error *err);
/* Removes every occurrence (old spellings too). Returns 1 changed, 0 absent, -1 error. */
int wslconfig_unset(struct wslconfig *cfg, const char *key, struct error *err);
/* Writes when the document changed (temp file, fsync, rename; mode/owner kept) unless
 * dry_run. Returns 1 written (or would be), 0 nothing to write, -1 error. */
int wslconfig_commit(struct wslconfig *cfg, bool dry_run, struct error *err);

/* --- beyond the basic contract: what the config/enable commands need --- */

/* The file as given, and whether it existed when loaded. */
const char *wslconfig_path(const struct wslconfig *cfg);
bool wslconfig_exists(const struct wslconfig *cfg);
/* 1 when the file is read with wsl.conf's table and rules, 0 for .wslconfig. */
int wslconfig_is_wslconf(const struct wslconfig *cfg);

/* Where /proc, /sys and /mnt are (--root): for Linux -> Windows path conversion and for
 * checking that a kernel= file exists. Default "/". */
void wslconfig_set_root(struct wslconfig *cfg, const char *root);

enum {
	WSLCONFIG_RAW = 1 << 0,   /* VALUE is written verbatim, not escaped */
	WSLCONFIG_FORCE = 1 << 1, /* unknown keys and non-ASCII values allowed */
};
/* wslconfig_set with flags. For path keys a Linux path becomes a Windows one. */
int wslconfig_set_ex(struct wslconfig *cfg, const char *key, const char *value,
		     unsigned flags, struct error *err);
/* Applies every key of the .wslconfig fragment FILE, all or nothing. Returns the number
 * of keys changed or -1. */
int wslconfig_merge(struct wslconfig *cfg, const char *file, unsigned flags,
		    struct error *err);

/* What set/unset/merge changed so far (old/new NULL = absent). */
struct wslconfig_change {
	char *key;        /* canonical "section.key" */
	char *old_value;
	char *new_value;
};
size_t wslconfig_changes(const struct wslconfig *cfg, const struct wslconfig_change **out);

/* One finding of `config validate`. */
enum wslconfig_severity { SEV_NOTICE, SEV_WARNING, SEV_ERROR };
struct wslconfig_diag {
	int line;           /* 0 when it concerns the whole file */
	enum wslconfig_severity severity;
	const char *code;
	char *key;          /* NULL when the line names no key */
	char *message;
};
/*
 * VALUE for display on one line (config list, the diff, validate's messages): as it is
 * when it has no control character and does not start with '"'; otherwise between
 * quotes with C's escapes (\n, \t, \e for ESC, \xHH, \\ and \"), so that a value cannot
 * pass for another line or a terminal command. malloc'd; NULL when out of memory.
 */
char *wslconfig_quote(const char *value);

/* Everything WSL will say at its next start, plus wslctl's notices, in line order.
 * ROOT is where /mnt/<drive> is looked for (kernel-not-found). */
size_t wslconfig_validate(struct wslconfig *cfg, const char *root,
			  const struct wslconfig_diag **out);

/* The keys WSL reads from the file: calls FN for the occurrence WSL uses of each key,
 * in file order (K NULL for unknown keys). */
void wslconfig_foreach(const struct wslconfig *cfg,
		       void (*fn)(void *ud, const char *dotted, const struct wslconfig_value *v,
				  const void *k),
		       void *ud);

#endif
