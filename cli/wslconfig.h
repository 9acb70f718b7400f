/*
 * The .wslconfig engine: reads a WSL config file exactly as WSL's own parser
 * does (see shared WSL-FACTS.md), and edits it by splicing bytes so that
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

#endif
