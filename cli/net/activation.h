/* SPDX-License-Identifier: MIT */
/*
 * Activation: which store version .wslconfig boots, switching it, and going back.
 *
 * "Active" is what .wslconfig says: the version whose kernel file kernel= (or whose
 * modules.vhd kernelModules=) names, compared with its Windows path as Windows compares
 * paths (winnorm.h) or, failing that, by file identity. A hand-edited kernel= pointing
 * elsewhere means no store version is active. Switching edits kernel= and kernelModules=
 * (escaped Windows paths) through the .wslconfig engine, in one locked, atomic edit, and
 * first records in the store's state.json what was active before, for rollback:
 *   {"previous": V|null}, with "previous_setting": {"kernel": S|null,
 *   "kernelModules": S|null} when the kernel active before was not a store version
 *   (null: the key was absent; no kernel= is WSL's own kernel).
 * Files written before this carry "active" too: it is not read (.wslconfig says that).
 *
 * Uses the store (store.h), which knows nothing of it; errors go to the store's error.
 */
#ifndef WSLCTL_ACTIVATION_H
#define WSLCTL_ACTIVATION_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

/* An error message (struct error) and what became of the file. */
#define ACTIVATION_NOTE_MAX 2304

/* What .wslconfig and state.json say now, read once (activation_read). */
struct activation_state {
	/* The store version in use: the one kernel= names, else the one kernelModules=
	 * names (compared as Windows compares paths, winnorm.h, or by file identity); "" if
	 * none. */
	char active[STORE_VERSION_MAX];
	/* The store folder either key names (kernel= first), even when its manifest cannot
	 * be read; "" when they name none. What update compares with. */
	char named[STORE_VERSION_MAX];
	char kernel[STORE_PATH_MAX];      /* kernel='s value, "" when absent (WSL's own) */
	char previous[STORE_VERSION_MAX]; /* the store version recorded before, "" if none */
	/* Where `kernel rollback` would go now: a store version (rollback_version), or
	 * kernel= as it was (rollback_version "", rollback_kernel: "" for WSL's own). False
	 * when rollback would refuse: nothing recorded, it is what is active, it was removed. */
	bool can_rollback;
	char rollback_version[STORE_VERSION_MAX];
	char rollback_kernel[STORE_PATH_MAX];
	/* A warning for the command to show, "" when none: the store's state.json was
	 * corrupt and is ignored. */
	char note[ACTIVATION_NOTE_MAX];
};

/*
 * Reads WSLCONFIG once and matches its kernel= against LIST: the store's versions as
 * store_list gave them (so a caller that shows them lists once), or NULL to have the
 * store listed here when kernel= names anything. The Windows paths come from the store
 * folder's, asked once; a store Windows cannot read has no active version.
 */
int activation_read(struct store *s, const char *wslconfig, const struct store_manifest *list,
		    size_t n, struct activation_state *st);

/* What a switch did, for the command's text and JSON. */
struct activation {
	bool changed;                       /* .wslconfig changed (or would, dry run) */
	char previous[STORE_VERSION_MAX];   /* the version active before, "" if none */
	char kernel_win[STORE_PATH_MAX];    /* kernel= as written (Windows form) */
	char modules_win[STORE_PATH_MAX];   /* kernelModules= or "" when removed */
	/* A warning for the command to show, "" when none: the store's state.json was
	 * corrupt and is (or would be) replaced. */
	char note[ACTIVATION_NOTE_MAX];
};

/*
 * Points WSLCONFIG's kernel= (and kernelModules=, removed when the version has no
 * modules.vhd) at installed VERSION, recording what was active before (a store version,
 * or the keys as they were: a hand-set kernel, or none for WSL's own). Nothing is
 * written with DRY_RUN.
 */
int activation_use(struct store *s, const char *wslconfig, const char *version, bool dry_run,
		   struct activation *a);
/* Removes kernel= and kernelModules= so WSL boots its inbox kernel (recorded likewise). */
int activation_inbox(struct store *s, const char *wslconfig, bool dry_run, struct activation *a);
/*
 * Returns to what was active before the last switch: a store version (VERSION gets it)
 * or kernel=/kernelModules= as they were (VERSION ""; A->kernel_win/modules_win get the
 * restored values, "" when the key is now absent). What was active becomes the previous,
 * so a second rollback comes back. ERR_NOT_FOUND when nothing is recorded.
 */
int activation_rollback(struct store *s, const char *wslconfig, bool dry_run,
			char version[STORE_VERSION_MAX], struct activation *a);
/* Deletes installed VERSION; refuses one that kernel= or kernelModules= names
 * (ERR_INVALID_VALUE). */
int activation_remove(struct store *s, const char *wslconfig, const char *version,
		      bool dry_run);

#endif
