// SPDX-License-Identifier: MIT
#include "store.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "filelock.h"
#include "fsutil.h"
#include "homedir.h"
#include "safefile.h"
#include "version.h"
#include "winpath.h"

#define LOCK_WAIT_MS 10000

/* --root as an absolute path, so that store paths (absolute) fall under ROOT/mnt. */
static const char *abs_root(const char *root, char *buf, size_t n)
{
	char cwd[STORE_PATH_MAX];

	if (!root || root[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return root;
	snprintf(buf, n, "%s/%s", cwd, root);
	return buf;
}

int store_open(struct store *s, const char *home, const char *root, struct error *err)
{
	char rbuf[STORE_PATH_MAX * 2];

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	s->err = err;
	if (snprintf(s->root, sizeof(s->root), "%s", root ? abs_root(root, rbuf, sizeof(rbuf)) :
		     "/") >= (int)sizeof(s->root))
		return error_set(err, ERR_INVALID_VALUE, "--root %s: the path is too long", root);
	return homedir_resolve(home, root, s->dir, sizeof(s->dir), err);
}

void store_close(struct store *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
}

/* With the lock held nobody is installing: whatever is in staging/ is a crash's leftover. */
static void clean_staging(const struct store *s)
{
	char path[STORE_PATH_MAX + 300];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/staging", s->dir);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/staging/%s", s->dir, d->d_name);
		rm_rf(path);
	}
	closedir(dir);
}

int store_lock(struct store *s)
{
	static const char *const dirs[] = { "versions", "staging", "cache/meta" };
	struct error *err = s->err;
	char path[STORE_PATH_MAX + 16];

	if (s->lock_fd >= 0)
		return 0;
	/* Made by the first writer, so that reading (list, --check, -n) creates nothing. */
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", s->dir, dirs[i]);
		if (mkdir_p(path, 0755, err) < 0)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/lock", s->dir);
	s->lock_fd = filelock_take(path, LOCK_WAIT_MS, err);
	if (s->lock_fd < 0 && err->code == ERR_LOCKED)
		return error_set(err, ERR_LOCKED,
				 "%s: another wslctl is changing the store (waited 10 s)", path);
	if (s->lock_fd < 0)
		return -1;
	/* A state.json or manifest write killed before its rename left a temporary file. */
	snprintf(path, sizeof(path), "%s/state.json", s->dir);
	safefile_clean_stale(path);
	clean_staging(s);
	return 0;
}

bool store_version_valid(const char *v)
{
	size_t n = v ? strlen(v) : 0;

	if (!n || n >= STORE_VERSION_MAX || v[0] == '.' || v[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)v[i]) && !strchr("._+-", v[i]))
			return false;
	return true;
}

int store_stage_begin(struct store *s, const char *version, struct store_stage *st)
{
	static unsigned seq;
	struct error *err = s->err;

	if (!store_version_valid(version))
		return error_set(err, ERR_INVALID_VALUE,
				 "'%s' is not a usable version name (letters, digits, . _ + -)",
				 version ? version : "");
	if (store_lock(s) < 0)
		return -1;
	snprintf(st->version, sizeof(st->version), "%s", version);
	if (snprintf(st->dir, sizeof(st->dir), "%s/staging/%s.%ld.%u", s->dir, version,
		     (long)getpid(), seq++) >= (int)sizeof(st->dir))
		return error_set(err, ERR_INVALID_VALUE, "%s/staging/%s: the path is too long",
				 s->dir, version);
	if (mkdir(st->dir, 0755) < 0)
		return error_set(err, ERR_IO, "%s: cannot create folder: %s", st->dir,
				 strerror(errno));
	return 0;
}

void store_stage_abort(struct store_stage *st)
{
	if (st->dir[0])
		rm_rf(st->dir);
	st->dir[0] = '\0';
}

/* Writes O (its reference taken; NULL: a failed write) to PATH atomically (safefile:
 * a temporary file beside it, fsynced before the rename: a crash leaves the old or new). */
static int write_json(json_t *o, const char *path, size_t flags, struct error *err)
{
	char *text = o ? json_dumps(o, flags) : NULL;
	int rc;

	json_decref(o);
	if (!text)
		return error_set(err, ERR_IO, "%s: cannot write: out of memory", path);
	rc = safefile_replace(path, text, strlen(text), 0644, err);
	free(text);
	return rc;
}

static int write_manifest(const char *dir, const struct store_manifest *m, struct error *err)
{
	char path[STORE_PATH_MAX + 32];
	char when[32];
	struct tm tm;
	json_t *o;

	gmtime_r(&m->installed, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}",
		      "version", m->version, "source", m->source, "sha256", m->sha256,
		      "sha512", m->sha512, "verified", m->verified, "release", m->release,
		      "installed", when, "files", "kernel");
	if (!o)
		return error_set(err, ERR_IO, "cannot build the manifest of %s", m->version);
	if (m->has_modules)
		json_array_append_new(json_object_get(o, "files"), json_string("modules.vhd"));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	return write_json(o, path, JSON_INDENT(2) | JSON_SORT_KEYS, err);
}

static int check_file(const char *dir, const char *name, struct error *err)
{
	char path[STORE_PATH_MAX + 32];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return error_set(err, ERR_NOT_FOUND, "%s: missing (an install needs it)", path);
	return fsync_path(path, err);
}

/* Moves the staging folder to DEST; an existing DEST is swapped out, never left missing. */
static int publish(const char *staging, const char *dest, struct error *err)
{
	char old[STORE_PATH_MAX + 16];

	if (renameat2(AT_FDCWD, staging, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno == EEXIST) {
		if (renameat2(AT_FDCWD, staging, AT_FDCWD, dest, RENAME_EXCHANGE) == 0) {
			rm_rf(staging);
			return 0;
		}
	} else if (errno != EINVAL && errno != ENOSYS) {
		return error_set(err, ERR_IO, "%s: cannot rename to %s: %s", staging, dest,
				 strerror(errno));
	}
	/* No renameat2 on this file system (drvfs): move aside, move in, delete. */
	snprintf(old, sizeof(old), "%s.old", staging);
	if (rename(dest, old) < 0 && errno != ENOENT)
		return error_set(err, ERR_IO, "%s: cannot move aside: %s", dest, strerror(errno));
	if (rename(staging, dest) < 0) {
		int e = errno;

		rename(old, dest);
		return error_set(err, ERR_IO, "%s: cannot rename to %s: %s", staging, dest,
				 strerror(e));
	}
	rm_rf(old);
	return 0;
}

int store_stage_commit(struct store *s, struct store_stage *st, struct store_manifest *m)
{
	struct error *err = s->err;
	char dest[STORE_PATH_MAX + STORE_VERSION_MAX + 16];
	char versions[STORE_PATH_MAX + 16];

	snprintf(m->version, sizeof(m->version), "%s", st->version);
	m->installed = time(NULL);
	if (check_file(st->dir, "kernel", err) < 0 ||
	    (m->has_modules && check_file(st->dir, "modules.vhd", err) < 0) ||
	    write_manifest(st->dir, m, err) < 0 || fsync_path(st->dir, err) < 0)
		goto fail;
	snprintf(versions, sizeof(versions), "%s/versions", s->dir);
	snprintf(dest, sizeof(dest), "%s/%s", versions, st->version);
	if (publish(st->dir, dest, err) < 0 || fsync_path(versions, err) < 0)
		goto fail;
	st->dir[0] = '\0';
	return 0;
fail:
	store_stage_abort(st);
	return -1;
}

static void copy_str(json_t *o, const char *key, char *dst, size_t n)
{
	const char *v = json_string_value(json_object_get(o, key));

	snprintf(dst, n, "%s", v ? v : "");
}

static int get_manifest(const struct store *s, const char *version, struct store_manifest *m,
			struct error *err)
{
	char path[STORE_PATH_MAX + STORE_VERSION_MAX + 32], kpath[sizeof(path)];
	json_error_t je;
	struct tm tm = { 0 };
	json_t *o, *files;
	size_t i;
	json_t *f;

	memset(m, 0, sizeof(*m));
	if (!store_version_valid(version))
		return 0;
	snprintf(path, sizeof(path), "%s/versions/%s/manifest.json", s->dir, version);
	o = json_load_file(path, 0, &je);
	if (!o) {
		if (access(path, F_OK) < 0 && errno == ENOENT)
			return 0;
		return error_set(err, ERR_INVALID_FILE, "%s:%d: %s", path, je.line, je.text);
	}
	copy_str(o, "version", m->version, sizeof(m->version));
	copy_str(o, "source", m->source, sizeof(m->source));
	copy_str(o, "sha256", m->sha256, sizeof(m->sha256));
	copy_str(o, "sha512", m->sha512, sizeof(m->sha512));
	copy_str(o, "verified", m->verified, sizeof(m->verified));
	copy_str(o, "release", m->release, sizeof(m->release));
	if (strptime(json_string_value(json_object_get(o, "installed")) ?: "",
		     "%Y-%m-%dT%H:%M:%SZ", &tm))
		m->installed = timegm(&tm);
	files = json_object_get(o, "files");
	json_array_foreach(files, i, f)
		if (!strcmp(json_string_value(f) ?: "", "modules.vhd"))
			m->has_modules = true;
	json_decref(o);
	if (strcmp(m->version, version))
		return error_set(err, ERR_INVALID_FILE, "%s: names version '%s', not '%s'", path,
				 m->version, version);
	store_kernel_path(s, version, kpath, sizeof(kpath));
	if (access(kpath, R_OK) < 0)
		return error_set(err, ERR_INVALID_FILE, "%s: missing from the store", kpath);
	return 1;
}

int store_get(const struct store *s, const char *version, struct store_manifest *m)
{
	return get_manifest(s, version, m, s->err);
}

bool store_has(const struct store *s, const char *version, struct store_manifest *m)
{
	struct error ignored;

	return get_manifest(s, version, m, &ignored) == 1;
}

static int cmp_desc(const void *a, const void *b)
{
	const struct store_manifest *ma = a, *mb = b;

	return version_cmp(mb->version, ma->version);
}

int store_list(const struct store *s, struct store_manifest **out, size_t *n)
{
	struct error *err = s->err;
	char path[STORE_PATH_MAX + 16];
	struct store_manifest *list = NULL, m;
	size_t len = 0, cap = 0;
	struct dirent *d;
	DIR *dir;

	*out = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/versions", s->dir);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : error_set(err, ERR_IO, "%s: cannot read: %s", path,
							strerror(errno));
	while ((d = readdir(dir))) {
		/* A version without a readable manifest is not installed (never half-shown). */
		if (!store_has(s, d->d_name, &m))
			continue;
		if (len == cap) {
			struct store_manifest *grown;

			cap = cap ? cap * 2 : 8;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				free(list);
				closedir(dir);
				return error_set(err, ERR_IO, "out of memory");
			}
			list = grown;
		}
		list[len++] = m;
	}
	closedir(dir);
	if (len) /* qsort wants a non-NULL array even for no element */
		qsort(list, len, sizeof(*list), cmp_desc);
	*out = list;
	*n = len;
	return 0;
}

void store_list_free(struct store_manifest *list)
{
	free(list);
}

void store_kernel_path(const struct store *s, const char *version, char *buf, size_t n)
{
	snprintf(buf, n, "%s/versions/%s/kernel", s->dir, version);
}

void store_modules_path(const struct store *s, const struct store_manifest *m, char *buf,
			size_t n)
{
	if (m->has_modules)
		snprintf(buf, n, "%s/versions/%s/modules.vhd", s->dir, m->version);
	else if (n)
		buf[0] = '\0';
}


int store_remove(struct store *s, const char *version)
{
	char dir[STORE_PATH_MAX + STORE_VERSION_MAX + 16], gone[STORE_PATH_MAX + 64];

	if (!store_version_valid(version))
		return error_set(s->err, ERR_INVALID_VALUE, "'%s' is not a version name", version);
	/* Rename out of versions/ first so a crash never leaves a half-deleted version. */
	snprintf(dir, sizeof(dir), "%s/versions/%s", s->dir, version);
	snprintf(gone, sizeof(gone), "%s/staging/removed.%ld", s->dir, (long)getpid());
	if (rename(dir, gone) < 0)
		return error_set(s->err, ERR_IO, "%s: cannot remove: %s", dir, strerror(errno));
	rm_rf(gone);
	return 0;
}

/* The folder's Windows form, asked once; a failure is not remembered (it ends the run). */
static int windows_dir(struct store *s)
{
	char buf[sizeof(s->win)];

	if (s->win[0])
		return 0;
	if (winpath_to_windows(s->root, s->dir, WINPATH_DRIVE_ONLY, buf, sizeof(buf), s->err) < 0)
		return -1;
	snprintf(s->win, sizeof(s->win), "%s", buf);
	return 0;
}

int store_winpath(struct store *s, const char *version, const char *file, char *buf,
		  size_t n)
{
	size_t len;
	int w;

	if (windows_dir(s) < 0)
		return -1;
	len = strlen(s->win);
	if (!version)
		w = snprintf(buf, n, "%s", s->win);
	else /* a store at a drive's top is "C:\": one separator, not two */
		w = snprintf(buf, n, "%s%sversions\\%s\\%s", s->win,
			     len && s->win[len - 1] == '\\' ? "" : "\\", version, file);
	if (w < 0 || (size_t)w >= n)
		return error_set(s->err, ERR_INVALID_VALUE, "%s: path too long", s->win);
	return 0;
}

int store_write_json(struct store *s, const char *name, json_t *o)
{
	char path[STORE_PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	return write_json(o, path, JSON_INDENT(2), s->err);
}
