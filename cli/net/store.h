/* SPDX-License-Identifier: MIT */
/*
 * The kernel store: installed kernels side by side, each complete or absent.
 *
 * Layout of the store folder (--home):
 *   versions/<V>/kernel, versions/<V>/modules.vhd (optional), versions/<V>/manifest.json
 *   staging/<V>.<pid>.<n>/   installs in progress; leftovers are removed on open
 *   cache/                   downloads; cache/meta: HTTP metadata with ETags
 *   state.json               {"active":V|null,"previous":V|null}, written atomically;
 *                            "previous_setting":{"kernel":S|null,"kernelModules":S|null}
 *                            when the kernel active before was not a store version
 *   lock                     flock()ed by writers, so the kernel drops it when we die
 *
 * An install fills a staging folder, fsyncs every file and the folder, writes the
 * manifest and renames the folder to versions/<V> in one step. Only then may it be
 * activated, which edits .wslconfig kernel=/kernelModules= (escaped Windows paths).
 * A crash at any point leaves the previous kernel active and the store consistent.
 *
 * "Active" is what .wslconfig says: the version whose kernel file kernel= names.
 * A hand-edited kernel= pointing elsewhere means no store version is active.
 */
#ifndef WSLCTL_STORE_H
#define WSLCTL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "error.h"

#define STORE_PATH_MAX 4096
#define STORE_VERSION_MAX 128

struct store {
	char dir[STORE_PATH_MAX]; /* the store folder, absolute */
	int lock_fd;              /* -1 until store_lock() */
};

/*
 * Finds the store folder (homedir_resolve: HOME when given, else inside WSL under the
 * Windows profile, else $XDG_DATA_HOME/wslctl). Creates nothing: the folders appear with
 * the first store_lock().
 */
int store_open(struct store *s, const char *home, const char *root, struct error *err);
void store_close(struct store *s);
/* Serialises writers (waits up to 10 s, then ERR_LOCKED), creating the store's folders
 * and removing stale staging folders. Released by store_close. */
int store_lock(struct store *s, struct error *err);

/* A version name is a store folder name: [A-Za-z0-9._+-], not starting with '.'. */
bool store_version_valid(const char *v);

/* What the store knows about one installed version (from its manifest.json). */
struct store_manifest {
	char version[STORE_VERSION_MAX];
	char source[1024];     /* where it came from: feed URL, file, "build:<tree>" */
	char sha256[65];       /* hex SHA-256 of the package (or kernel image), "" if none */
	char sha512[129];      /* hex SHA-512 of the package, "" if none */
	char verified[32];     /* what it was checked against: "sha256", "sha512",
				  "tls-only", "unverified", "built" */
	char release[128];     /* uname -r of the kernel when known, else "" */
	time_t installed;      /* set by store_commit */
	bool has_modules;      /* modules.vhd is part of the version */
};

/* An install in progress. Put "kernel" (and optionally "modules.vhd") into dir. */
struct store_stage {
	char dir[STORE_PATH_MAX];
	char version[STORE_VERSION_MAX];
};

/* Creates an empty staging folder for VERSION inside the store. */
int store_stage_begin(struct store *s, const char *version, struct store_stage *st,
		      struct error *err);
/*
 * Checks that st->dir holds "kernel" (and "modules.vhd" when M->has_modules), fsyncs
 * the files and the folder, writes manifest.json and renames the folder to
 * versions/<V>. An existing versions/<V> is replaced atomically (renameat2 exchange,
 * or a move-aside when the file system cannot) so an active version never vanishes.
 * On error the staging folder is removed.
 */
int store_stage_commit(struct store *s, struct store_stage *st, struct store_manifest *m,
		       struct error *err);
/* Removes the staging folder (on any failure before commit). */
void store_stage_abort(struct store_stage *st);

/* 1 and M filled when VERSION is installed, 0 when it is not, -1 on error. */
int store_get(const struct store *s, const char *version, struct store_manifest *m,
	      struct error *err);
/* Installed versions, newest first (NuGet version order). Free with store_list_free. */
int store_list(const struct store *s, struct store_manifest **out, size_t *n,
	       struct error *err);
void store_list_free(struct store_manifest *list);

/* Absolute Linux paths of a version's files (modules: "" when it has none). */
void store_kernel_path(const struct store *s, const char *version, char *buf, size_t n);
void store_modules_path(const struct store *s, const struct store_manifest *m, char *buf,
			size_t n);

/*
 * The active version, derived from WSLCONFIG's kernel= (compared with the Windows path of
 * each installed kernel, case- and slash-insensitively). ACTIVE gets the version, or ""
 * when kernel= is absent (inbox kernel) or names a kernel outside the store; KERNEL_VALUE
 * (may be NULL) gets kernel='s value or "". PREVIOUS (may be NULL) from state.json.
 */
int store_active(const struct store *s, const char *wslconfig, const char *root,
		 char active[STORE_VERSION_MAX], char *kernel_value, size_t kn,
		 char previous[STORE_VERSION_MAX], struct error *err);

/*
 * What store_rollback would return to now: 1 with VERSION (a store version, or "") and
 * KERNEL (when VERSION is "": the kernel= it restores, "" for WSL's own kernel); 0 when
 * rollback would refuse (nothing recorded, it is what is active, it was removed, or
 * WSLCONFIG cannot be read).
 */
int store_previous(const struct store *s, const char *wslconfig, const char *root,
		   char version[STORE_VERSION_MAX], char *kernel, size_t kn);

/* What store_activate did, for the command's text and JSON. */
struct store_activation {
	bool changed;                       /* .wslconfig changed (or would, dry run) */
	char previous[STORE_VERSION_MAX];   /* the version active before, "" if none */
	char kernel_win[STORE_PATH_MAX];    /* kernel= as written (Windows form) */
	char modules_win[STORE_PATH_MAX];   /* kernelModules= or "" when removed */
};

/*
 * Points WSLCONFIG's kernel= (and kernelModules=, removed when the version has no
 * modules.vhd) at installed VERSION through the .wslconfig engine, then records in
 * state.json what was active before (a store version, or the keys as they were: a
 * hand-set kernel, or none for WSL's own), for store_rollback. Nothing is written with
 * DRY_RUN.
 */
int store_activate(struct store *s, const char *version, const char *wslconfig,
		   const char *root, bool dry_run, struct store_activation *a,
		   struct error *err);
/* Removes kernel= and kernelModules= so WSL boots its inbox kernel (recorded likewise). */
int store_deactivate(struct store *s, const char *wslconfig, const char *root, bool dry_run,
		     struct store_activation *a, struct error *err);
/*
 * Returns to what was active before the last switch: a store version (VERSION gets it)
 * or kernel=/kernelModules= as they were (VERSION ""; A->kernel_win/modules_win get the
 * restored values, "" when the key is now absent). What was active becomes the previous,
 * so a second rollback comes back. ERR_NOT_FOUND when nothing is recorded.
 */
int store_rollback(struct store *s, const char *wslconfig, const char *root, bool dry_run,
		   char version[STORE_VERSION_MAX], struct store_activation *a,
		   struct error *err);
/* Deletes an installed version; refuses the active one (ERR_INVALID_VALUE). */
int store_remove(struct store *s, const char *version, const char *wslconfig,
		 const char *root, bool dry_run, struct error *err);

/* The Windows form of a path in the store, as kernel= needs it (ERR_INVALID_VALUE when
 * Windows cannot read it there). */
int store_winpath(const char *path, const char *root, char *buf, size_t n, struct error *err);

/* The .wslconfig to activate kernels in, if one is known (winpath_find_wslconfig).
 * 1 found, 0 none, -1 on error. */
int store_find_wslconfig(const char *root, const char *given, char *buf, size_t n,
			 struct error *err);

#endif
