// SPDX-License-Identifier: MIT
#include "activation.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "interrupt.h"
#include "winnorm.h"
#include "winpath.h"
#include "wslconfig.h"

/*
 * What `kernel rollback` returns to: a store version, or, when the kernel active before
 * was not one of ours, kernel=/kernelModules= as they were ("" = absent: WSL's own kernel).
 */
struct point {
	bool known;
	char version[STORE_VERSION_MAX];
	char kernel[STORE_PATH_MAX];
	char modules[STORE_PATH_MAX];
};

static bool same_point(const struct point *a, const struct point *b)
{
	return a->version[0] || b->version[0]
		       ? !strcmp(a->version, b->version)
		       : !strcmp(a->kernel, b->kernel) && !strcmp(a->modules, b->modules);
}

static const char *str_of(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/* A previous_setting value goes back into .wslconfig and onto the terminal: only a
 * Windows path without control characters (C0, DEL, C1 as UTF-8 spells it) is taken;
 * JSON null is the key that was absent. */
static int setting_of(const struct store *s, json_t *set, const char *key, char *buf,
		      size_t n)
{
	json_t *v = json_object_get(set, key);
	const unsigned char *p;

	buf[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	p = (const unsigned char *)json_string_value(v);
	if (p && winpath_is_windows_abs((const char *)p) && strlen((const char *)p) < n) {
		for (; *p && *p >= 0x20 && *p != 0x7f && !(p[0] == 0xc2 && p[1] <= 0x9f); p++)
			;
		if (!*p) {
			snprintf(buf, n, "%s", json_string_value(v));
			return 0;
		}
	}
	return error_set(s->err, ERR_INVALID_FILE,
			 "%s/state.json: previous_setting.%s is not a Windows path (C:\\... or "
			 "\\\\server\\...) without control characters; fix or remove the file",
			 s->dir, key);
}

/*
 * state.json: only the previous point is kept (what is active, .wslconfig says). -1 with
 * ERR_INVALID_FILE naming the file and what is wrong when it is there but corrupt: the
 * caller says whether it can go on without it (tolerate_state) or not (rollback).
 */
static int read_previous(const struct store *s, struct point *prev)
{
	json_t *o, *set, *v;
	char why[256];
	int rc = 0;

	memset(prev, 0, sizeof(*prev));
	rc = store_read_json(s, "state.json", &o, why, sizeof(why));
	if (rc <= 0)
		return rc < 0 ? error_set(s->err, ERR_INVALID_FILE, "%s/state.json is corrupt (%s)",
					  s->dir, why) : 0;
	rc = 0;
	v = json_object_get(o, "previous");
	snprintf(prev->version, sizeof(prev->version), "%s", str_of(o, "previous"));
	set = json_object_get(o, "previous_setting");
	if (v && !json_is_null(v) && !store_version_valid(prev->version)) {
		rc = error_set(s->err, ERR_INVALID_FILE, "%s/state.json is corrupt (\"previous\" "
			       "is not a kernel version)", s->dir);
	} else if (prev->version[0]) {
		prev->known = true;
	} else if (json_is_object(set)) {
		prev->known = true;
		if (setting_of(s, set, "kernel", prev->kernel, sizeof(prev->kernel)) < 0 ||
		    setting_of(s, set, "kernelModules", prev->modules, sizeof(prev->modules)) < 0)
			rc = -1;
	}
	json_decref(o);
	if (rc < 0)
		memset(prev, 0, sizeof(*prev));
	return rc;
}

/*
 * For a caller that can go on without the record: a corrupt state.json becomes NOTE (the
 * error and THEN, what happens to the file) and counts as nothing recorded.
 */
static int tolerate_state(const struct store *s, int rc, char *note, size_t n,
			  const char *then)
{
	if (rc >= 0 || s->err->code != ERR_INVALID_FILE)
		return rc;
	snprintf(note, n, "%s; %s", s->err->message, then);
	memset(s->err, 0, sizeof(*s->err));
	return 0;
}

static json_t *str_or_null(const char *s)
{
	return *s ? json_string(s) : json_null();
}

static int write_state(struct store *s, const struct point *prev)
{
	json_t *o = json_pack("{s:o}", "previous", str_or_null(prev->version));

	if (o && prev->known && !prev->version[0])
		json_object_set_new(o, "previous_setting",
				    json_pack("{s:o, s:o}", "kernel", str_or_null(prev->kernel),
					      "kernelModules", str_or_null(prev->modules)));
	return store_write_json(s, "state.json", o);
}

/* False when the value does not fit BUF: a cut path must never be written back. */
static bool value_of(struct wslconfig *cfg, const char *key, char *buf, size_t n)
{
	struct wslconfig_value v;

	if (wslconfig_get(cfg, key, &v) == 1 && v.valid)
		return (size_t)snprintf(buf, n, "%s", v.text) < n;
	return true;
}

/* kernel= and kernelModules= as WSLCONFIG has them (CUR->version not yet known). */
static int read_keys(struct store *s, const char *wslconfig, struct point *cur)
{
	struct wslconfig *cfg;

	memset(cur, 0, sizeof(*cur));
	if (!wslconfig || !*wslconfig)
		return error_set(s->err, ERR_USAGE,
				 "no .wslconfig to activate kernels in: give --wslconfig PATH");
	if (wslconfig_load(wslconfig, &cfg, s->err) < 0)
		return -1;
	/* Values too long to keep are not recorded for rollback (known stays false). */
	cur->known = value_of(cfg, "wsl2.kernel", cur->kernel, sizeof(cur->kernel));
	cur->known &= value_of(cfg, "wsl2.kernelModules", cur->modules, sizeof(cur->modules));
	wslconfig_free(cfg);
	return 0;
}

/*
 * The store version WIN (a kernel= or kernelModules= value) names as
 * <store>\versions\<V>\<FILE>, however Windows would spell it (winnorm.h), into V;
 * whether V's manifest can be read does not matter here. False when it names none.
 */
static bool named_by_path(struct store *s, const char *win, const char *file,
			  char v[STORE_VERSION_MAX])
{
	char base[STORE_PATH_MAX], nb[STORE_PATH_MAX + 16], nw[STORE_PATH_MAX];
	size_t bl, vl;
	const char *rest;

	v[0] = '\0';
	if (!win[0] || winnorm(win, nw, sizeof(nw)) < 0)
		return false;
	/* A store Windows cannot read holds no active version: not an error here. */
	if (store_winpath(s, NULL, NULL, base, sizeof(base)) < 0) {
		memset(s->err, 0, sizeof(*s->err));
		return false;
	}
	if (winnorm(base, nb, STORE_PATH_MAX) < 0)
		return false;
	bl = strlen(nb);
	snprintf(nb + bl, sizeof(nb) - bl, "%sversions\\", nb[bl - 1] == '\\' ? "" : "\\");
	bl = strlen(nb);
	if (strncasecmp(nw, nb, bl))
		return false;
	rest = nw + bl;
	vl = strcspn(rest, "\\");
	if (!vl || vl >= STORE_VERSION_MAX || rest[vl] != '\\' || strcasecmp(rest + vl + 1, file))
		return false;
	memcpy(v, rest, vl);
	v[vl] = '\0';
	return store_version_valid(v);
}

/* WIN as a file here (wslpath or the drive mapping): false when it cannot be reached. */
static bool stat_win(struct store *s, const char *win, struct stat *st)
{
	char lin[STORE_PATH_MAX];
	struct error ignored = { 0 };

	return win[0] && winpath_to_linux(s->root, win, lin, sizeof(lin), &ignored) == 0 &&
	       stat(lin, st) == 0;
}

/* The store folder whose FILE is the file A (a link, an 8.3 name, another drive letter
 * for the same folder): V, read from versions/ itself, so that a version whose manifest
 * is damaged is found too. */
static bool named_by_identity(struct store *s, const struct stat *a, const char *file,
			      char v[STORE_VERSION_MAX])
{
	char path[STORE_PATH_MAX + 300];
	struct stat b;
	struct dirent *d;
	DIR *dir;

	v[0] = '\0';
	snprintf(path, sizeof(path), "%s/versions", s->dir);
	dir = opendir(path);
	while (dir && !v[0] && (d = readdir(dir))) {
		size_t len = strlen(d->d_name);

		if (!store_version_valid(d->d_name) || len >= STORE_VERSION_MAX)
			continue;
		snprintf(path, sizeof(path), "%s/versions/%s/%s", s->dir, d->d_name, file);
		if (stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino)
			memcpy(v, d->d_name, len + 1);
	}
	if (dir)
		closedir(dir);
	return v[0] != '\0';
}

/* WIN ends in ...\versions\<V>\<FILE>: V (a path that cannot be reached from here may
 * be the store's seen from elsewhere, e.g. \\PC\C$\...: fail closed, count it). */
static bool named_by_tail(const char *win, const char *file, char v[STORE_VERSION_MAX])
{
	char nw[STORE_PATH_MAX];
	char *f, *ver, *dir;

	v[0] = '\0';
	if (winnorm(win, nw, sizeof(nw)) < 0 || !(f = strrchr(nw, '\\')) || f == nw)
		return false;
	*f = '\0';
	ver = strrchr(nw, '\\');
	if (!ver || ver == nw || strcasecmp(f + 1, file))
		return false;
	*ver = '\0';
	dir = strrchr(nw, '\\');
	if (!dir || strcasecmp(dir + 1, "versions") || strlen(ver + 1) >= STORE_VERSION_MAX)
		return false;
	snprintf(v, STORE_VERSION_MAX, "%s", ver + 1);
	return store_version_valid(v);
}

/* The store folder WIN names: by its path, else by the file it reaches, else (when it
 * reaches nothing here) by the shape of its end. */
static void named(struct store *s, const char *win, const char *file, char v[STORE_VERSION_MAX])
{
	struct stat st;

	if (named_by_path(s, win, file, v))
		return;
	if (stat_win(s, win, &st))
		named_by_identity(s, &st, file, v);
	else
		named_by_tail(win, file, v);
}

/* The version of LIST called V (as LIST spells it: Windows names ignore case). */
static void listed_as(const struct store_manifest *list, size_t n, const char *v,
		      char out[STORE_VERSION_MAX])
{
	out[0] = '\0';
	for (size_t i = 0; v[0] && i < n && !out[0]; i++)
		if (!strcmp(list[i].version, v))
			snprintf(out, STORE_VERSION_MAX, "%s", v);
	for (size_t i = 0; v[0] && i < n && !out[0]; i++)
		if (!strcasecmp(list[i].version, v))
			snprintf(out, STORE_VERSION_MAX, "%s", list[i].version);
}

/* Which store versions the two keys name. */
struct in_use {
	char kernel[STORE_VERSION_MAX];   /* of LIST, named by kernel= */
	char modules[STORE_VERSION_MAX];  /* of LIST, named by kernelModules= */
	char named[STORE_VERSION_MAX];    /* the folder either names (kernel= first),
					     listed or not (a damaged manifest) */
};

/* CUR->version and USE: the versions of LIST that kernel= and kernelModules= name. */
static void match(struct store *s, const struct store_manifest *list, size_t n,
		  struct point *cur, struct in_use *use)
{
	char kv[STORE_VERSION_MAX], mv[STORE_VERSION_MAX];

	memset(use, 0, sizeof(*use));
	named(s, cur->kernel, "kernel", kv);
	named(s, cur->modules, "modules.vhd", mv);
	listed_as(list, n, kv, use->kernel);
	listed_as(list, n, mv, use->modules);
	snprintf(use->named, sizeof(use->named), "%s", kv[0] ? kv : mv);
	snprintf(cur->version, sizeof(cur->version), "%s", use->kernel);
}

/* match() against the whole store, listed only when a key names something. */
static int match_store(struct store *s, struct point *cur, struct in_use *use)
{
	struct store_manifest *list;
	size_t n;

	memset(use, 0, sizeof(*use));
	if (!cur->kernel[0] && !cur->modules[0])
		return 0;
	if (store_list(s, &list, &n) < 0)
		return -1;
	match(s, list, n, cur, use);
	store_list_free(list);
	return 0;
}

/* What is active now: both keys' values, and the store version kernel= names. */
static int current(struct store *s, const char *wslconfig, struct point *cur)
{
	struct in_use use;

	if (read_keys(s, wslconfig, cur) < 0)
		return -1;
	return match_store(s, cur, &use);
}

static bool listed(const struct store_manifest *list, size_t n, const char *version)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i].version, version))
			return true;
	return false;
}

int activation_read(struct store *s, const char *wslconfig, const struct store_manifest *list,
		    size_t n, struct activation_state *st)
{
	struct store_manifest m;
	struct point cur, prev;
	struct in_use use;

	memset(st, 0, sizeof(*st));
	if (tolerate_state(s, read_previous(s, &prev), st->note, sizeof(st->note),
			   "ignored: where 'kernel rollback' goes is unknown") < 0)
		return -1;
	snprintf(st->previous, sizeof(st->previous), "%s", prev.version);
	if (read_keys(s, wslconfig, &cur) < 0)
		return -1;
	if (list)
		match(s, list, n, &cur, &use);
	else if (match_store(s, &cur, &use) < 0)
		return -1;
	/* In use through either key: the kernel WSL boots, or the modules it mounts. */
	snprintf(st->active, sizeof(st->active), "%s", use.kernel[0] ? use.kernel : use.modules);
	snprintf(st->named, sizeof(st->named), "%s", use.named);
	snprintf(st->kernel, sizeof(st->kernel), "%s", cur.kernel);
	/* As rollback decides it: recorded, not what is active, and (a version) still here. */
	st->can_rollback = prev.known && !same_point(&prev, &cur) &&
			   (!prev.version[0] || (list ? listed(list, n, prev.version)
							: store_has(s, prev.version, &m)));
	if (st->can_rollback) {
		snprintf(st->rollback_version, sizeof(st->rollback_version), "%s", prev.version);
		snprintf(st->rollback_kernel, sizeof(st->rollback_kernel), "%s", prev.kernel);
	}
	return 0;
}

/* Sets or removes kernel=/kernelModules= in one locked, atomic edit of the file (or says
 * whether it would, DRY_RUN). */
static int edit_kernel_keys(const char *wslconfig, const char *kernel, const char *modules,
			    bool dry_run, bool *changed, struct error *err)
{
	struct wslconfig *cfg;
	int a, b, w;

	/* A dry run reads without the lock: it writes nothing, so it must neither create the
	 * lock file nor wait for another writer's (docs/cli.md: -n creates no file). */
	if ((dry_run ? wslconfig_load : wslconfig_edit_begin)(wslconfig, &cfg, err) < 0)
		return -1;
	a = kernel ? wslconfig_set(cfg, "wsl2.kernel", kernel, err)
		   : wslconfig_unset(cfg, "wsl2.kernel", err);
	b = a < 0 ? -1
	    : modules && *modules ? wslconfig_set(cfg, "wsl2.kernelModules", modules, err)
				  : wslconfig_unset(cfg, "wsl2.kernelModules", err);
	w = b < 0 ? -1 : wslconfig_commit(cfg, dry_run, err);
	wslconfig_free(cfg);
	if (w < 0)
		return error_wrap(err, "%s", wslconfig);
	*changed = w > 0;
	return 0;
}

/*
 * Switches .wslconfig to TARGET (already resolved to kernel_win/modules_win in A) and
 * records what was active as the previous point, unless nothing changes: switching to
 * what is active keeps the recorded one. The state first, so that a crash or a failed
 * state write never leaves the old kernel unrecorded; a refused edit puts it back.
 */
static int switch_to(struct store *s, const char *wslconfig, const struct point *target,
		     const struct point *cur, bool dry_run, struct activation *a)
{
	struct point old, prev;

	if (tolerate_state(s, read_previous(s, &old), a->note, sizeof(a->note),
			   dry_run ? "it would be replaced by a new record"
				   : "replaced by a new record (the kernel it named is forgotten)") < 0)
		return -1;
	prev = same_point(cur, target) ? old : *cur;
	snprintf(a->previous, sizeof(a->previous), "%s", prev.version);
	if (!dry_run && (interrupt_check(s->err) < 0 || write_state(s, &prev) < 0))
		return -1;
	if (edit_kernel_keys(wslconfig, a->kernel_win[0] ? a->kernel_win : NULL,
			     a->modules_win, dry_run, &a->changed, s->err) < 0) {
		/* The edit's error is the one to report; putting the state back is best effort. */
		struct error refused = *s->err;

		if (!dry_run)
			write_state(s, &old);
		*s->err = refused;
		return -1;
	}
	return 0;
}

/* Locks the store and reads what is active now. */
static int begin_switch(struct store *s, const char *wslconfig, bool dry_run,
			struct activation *a, struct point *cur)
{
	memset(a, 0, sizeof(*a));
	if (!dry_run && store_lock(s) < 0)
		return -1;
	return current(s, wslconfig, cur);
}

int activation_use(struct store *s, const char *wslconfig, const char *version, bool dry_run,
		   struct activation *a)
{
	struct point cur, target = { .known = true };
	struct store_manifest m;
	int r;

	if (begin_switch(s, wslconfig, dry_run, a, &cur) < 0)
		return -1;
	r = store_get(s, version, &m);
	if (r <= 0)
		return r < 0 ? -1 : error_set(s->err, ERR_NOT_FOUND,
					      "kernel %s is not installed (see 'wslctl kernel list')",
					      version);
	snprintf(target.version, sizeof(target.version), "%s", version);
	if (store_winpath(s, version, "kernel", a->kernel_win, sizeof(a->kernel_win)) < 0 ||
	    (m.has_modules &&
	     store_winpath(s, version, "modules.vhd", a->modules_win, sizeof(a->modules_win)) < 0))
		return -1;
	return switch_to(s, wslconfig, &target, &cur, dry_run, a);
}

int activation_inbox(struct store *s, const char *wslconfig, bool dry_run, struct activation *a)
{
	struct point cur, inbox = { .known = true };

	if (begin_switch(s, wslconfig, dry_run, a, &cur) < 0)
		return -1;
	return switch_to(s, wslconfig, &inbox, &cur, dry_run, a);
}

static int no_previous(struct error *err)
{
	return error_set(err, ERR_NOT_FOUND,
			 "no previous kernel to roll back to (see 'wslctl kernel list')");
}

/* What rollback would return to, given what is active now: 1 and PREV, 0 when nothing
 * is recorded or it is what is active now, ERR_NOT_FOUND when it was removed. */
static int rollback_target(const struct store *s, const struct point *cur, struct point *prev)
{
	struct store_manifest m;
	int r;

	if (read_previous(s, prev) < 0)
		return -1;
	if (!prev->known || same_point(prev, cur))
		return 0;
	if (!prev->version[0])
		return 1;
	r = store_get(s, prev->version, &m);
	if (r == 0)
		return error_set(s->err, ERR_NOT_FOUND, "the kernel to roll back to, %s, was "
				 "removed from the store (see 'wslctl kernel list')",
				 prev->version);
	return r;
}

int activation_rollback(struct store *s, const char *wslconfig, bool dry_run,
			char version[STORE_VERSION_MAX], struct activation *a)
{
	struct point cur, prev;
	int r;

	version[0] = '\0';
	/* Nothing recorded: say so before the lock creates the store's folders. A corrupt
	 * record is not "nothing": rollback cannot tell where to go, and says so. */
	if (read_previous(s, &prev) < 0)
		return error_wrap(s->err, "cannot roll back (nothing was changed; remove the file, "
				  "or 'wslctl kernel use VERSION' starts a new record)");
	if (!prev.known)
		return no_previous(s->err);
	if (begin_switch(s, wslconfig, dry_run, a, &cur) < 0)
		return -1;
	r = rollback_target(s, &cur, &prev); /* again, under the lock */
	if (r <= 0)
		return r < 0 ? -1 : no_previous(s->err);
	if (prev.version[0]) {
		snprintf(version, STORE_VERSION_MAX, "%s", prev.version);
		return activation_use(s, wslconfig, prev.version, dry_run, a);
	}
	snprintf(a->kernel_win, sizeof(a->kernel_win), "%s", prev.kernel);
	snprintf(a->modules_win, sizeof(a->modules_win), "%s", prev.modules);
	return switch_to(s, wslconfig, &prev, &cur, dry_run, a);
}

/* When WIN is set but cannot be resolved here, it may be VERSION's FILE (a Windows path
 * we cannot map): say so, so that nothing WSL may need is removed. */
static bool may_name_file(struct store *s, const char *win)
{
	char lin[STORE_PATH_MAX];
	struct error ignored = { 0 };

	if (!win[0] || winpath_to_linux(s->root, win, lin, sizeof(lin), &ignored) == 0)
		return false;
	return store_winpath(s, NULL, NULL, lin, sizeof(lin)) < 0;
}

int activation_remove(struct store *s, const char *wslconfig, const char *version,
		      bool dry_run)
{
	struct store_manifest m;
	struct point cur;
	struct in_use use;
	int r;

	if (!dry_run && store_lock(s) < 0)
		return -1;
	r = store_get(s, version, &m);
	if (r <= 0)
		return r < 0 ? -1 : error_set(s->err, ERR_NOT_FOUND, "kernel %s is not installed",
					      version);
	/* Only this version matters: does either key name it (by path or by identity)? */
	if (read_keys(s, wslconfig, &cur) < 0)
		return -1;
	match(s, &m, 1, &cur, &use);
	if (use.kernel[0] || use.modules[0] || may_name_file(s, cur.kernel) ||
	    may_name_file(s, cur.modules))
		return error_set(s->err, ERR_INVALID_VALUE,
				 "kernel %s is in use in %s (kernel= or kernelModules=); 'wslctl "
				 "kernel use' another one or 'wslctl update --inbox' first", version,
				 wslconfig);
	return dry_run ? 0 : store_remove(s, version);
}
