/* SPDX-License-Identifier: MIT */
/*
 * The kernel store: installed kernels side by side, each complete or absent.
 *
 * Layout of the store folder (--home):
 *   .wslctl-store            marks the folder as a store (made by the first writer)
 *   versions/<V>/kernel, versions/<V>/modules.vhd (optional), versions/<V>/manifest.json
 *   staging/wslctl-*         installs in progress and removals; leftovers are removed
 *                            under the lock (nothing else in staging/ ever is)
 *   cache/                   downloads; cache/meta: HTTP metadata with ETags
 *   logs/                    build logs (cmd_build)
 *   state.json               activation's record (activation.h), through store_write_json
 *   lock                     flock()ed by writers, so the kernel drops it when we die
 *
 * Every one of these names, where it exists, must be a real folder or regular file, never
 * a link: the store's folder is opened once (its own links resolved by homedir_resolve)
 * and the store's reads go through descriptors opened from it with O_NOFOLLOW, so nothing
 * a Windows program put there as a junction is followed, read, or deleted (docs/store.md).
 *
 * An install fills a staging folder, fsyncs every file and the folder, writes the
 * manifest and renames the folder to versions/<V> in one step. Only then may it be
 * activated (activation.h). A crash at any point leaves the store consistent.
 *
 * Open once, then every store_* call works with what the struct holds: the folder, the
 * --root it is seen under, and the error to report to.
 */
#ifndef WSLCTL_STORE_H
#define WSLCTL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "error.h"

#define STORE_PATH_MAX 4096
#define STORE_VERSION_MAX 128

struct store {
	char dir[STORE_PATH_MAX];  /* the store folder, absolute */
	char root[STORE_PATH_MAX]; /* --root, absolute, so store paths fall under ROOT/mnt */
	struct error *err;         /* where the store_* calls report (meaningful on -1) */
	int lock_fd;               /* -1 until store_lock() */
	char win[STORE_PATH_MAX];  /* the folder's Windows form once asked, else "" */
	bool have_root;            /* root_fd is open: the folder exists */
	int root_fd;               /* the folder, O_NOFOLLOW; every store name is under it */
};

/*
 * Finds the store folder (homedir_resolve: HOME when given, else inside WSL under the
 * Windows profile, else $XDG_DATA_HOME/wslctl) and keeps ROOT and ERR for the calls
 * that follow. Creates nothing: the folders appear with the first store_lock(). When the
 * folder exists it is opened, and a store name in it that is a link, or not a folder or
 * regular file as the store makes it, is refused (ERR_INVALID_VALUE naming it).
 */
int store_open(struct store *s, const char *home, const char *root, struct error *err);
void store_close(struct store *s);
/* Serialises writers (waits up to 10 s, then ERR_LOCKED), creating the store's folders
 * and removing stale staging folders. Released by store_close. A folder that is not a
 * store (no .wslctl-store, and names that are not the store's) is refused, untouched.
 * From here SIGINT/SIGTERM/SIGHUP are caught (interrupt.h): the store's steps check for
 * them and unwind (ERR_INTERRUPTED), so nothing half-installed is left. */
int store_lock(struct store *s);
/* What store_lock would refuse about the folder (not a store, not empty), found without
 * making anything: a writer asks first, before it writes a cache there. 0 when absent. */
int store_check(struct store *s);

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

/* Creates an empty staging folder for VERSION inside the store (taking the lock). */
int store_stage_begin(struct store *s, const char *version, struct store_stage *st);
/*
 * Checks that st->dir holds "kernel" (and "modules.vhd" when M->has_modules), fsyncs
 * the files and the folder, writes manifest.json and renames the folder to
 * versions/<V>. An existing versions/<V> is replaced atomically (renameat2 exchange,
 * or a move-aside when the file system cannot) so an active version never vanishes.
 * On error the staging folder is removed.
 */
int store_stage_commit(struct store *s, struct store_stage *st, struct store_manifest *m);
/* Removes the staging folder (on any failure before commit). */
void store_stage_abort(struct store_stage *st);

/* 1 and M filled when VERSION is installed, 0 when it is not, -1 on error. */
int store_get(const struct store *s, const char *version, struct store_manifest *m);
/* store_get for a yes or no: a version that cannot be read counts as not installed. */
bool store_has(const struct store *s, const char *version, struct store_manifest *m);
/* Installed versions, newest first (NuGet version order). Free with store_list_free. */
int store_list(const struct store *s, struct store_manifest **out, size_t *n);
void store_list_free(struct store_manifest *list);
/* Deletes installed VERSION, the lock held. Whether it may go is the caller's question
 * (activation_remove: never the active one). */
int store_remove(struct store *s, const char *version);

/* Absolute Linux paths of a version's files (modules: "" when it has none). */
void store_kernel_path(const struct store *s, const char *version, char *buf, size_t n);
void store_modules_path(const struct store *s, const struct store_manifest *m, char *buf,
			size_t n);
/*
 * The Windows form, as kernel= needs it, of versions/<VERSION>/<FILE>, or of the store
 * folder itself when VERSION is NULL. The folder's form is asked once (wslpath inside
 * WSL) and the rest appended, so naming every version costs no further process.
 * ERR_INVALID_VALUE when Windows cannot read the store where it is.
 */
int store_winpath(struct store *s, const char *version, const char *file, char *buf,
		  size_t n);

/*
 * NAME in the store folder as a JSON object (read without following a link, without
 * blocking): 1 and *OUT, 0 when it is missing, -1 when it is there but no JSON object
 * (a link, not a regular file, too big, unreadable, not JSON), WHY (N bytes) saying
 * what is wrong. The caller decides whether it can go on without it.
 */
int store_read_json(const struct store *s, const char *name, json_t **out, char *why,
		    size_t n);

/* Writes O (its reference taken) to NAME in the store folder so that a crash leaves the
 * old file or the new one, never half of either. */
int store_write_json(struct store *s, const char *name, json_t *o);

#endif
