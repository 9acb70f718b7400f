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

#include "fdio.h"
#include "filelock.h"
#include "fsutil.h"
#include "homedir.h"
#include "interrupt.h"
#include "safefile.h"
#include "version.h"
#include "winpath.h"

#define LOCK_WAIT_MS 10000
/* The file that says a folder is a store this tool made (docs/store.md). */
#define STORE_MARKER ".wslctl-store"
/* What staging/ holds that the tool made: only such names are ever removed there. */
#define STAGE_PREFIX "wslctl-"
/* A manifest or state.json is a few hundred bytes; anything far bigger is not ours. */
#define JSON_MAX (1024 * 1024)
#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* The names the store creates in its folder, and whether each is a folder. */
static const struct {
	const char *name;
	bool dir;
} layout[] = {
	{ "versions", true }, { "staging", true }, { "cache", true }, { "cache/meta", true },
	{ "logs", true },     { "lock", false },   { "state.json", false },
	{ STORE_MARKER, false },
};

/* --root as an absolute path, so that store paths (absolute) fall under ROOT/mnt. */
static const char *abs_root(const char *root, char *buf, size_t n)
{
	char cwd[STORE_PATH_MAX];

	if (!root || root[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return root;
	snprintf(buf, n, "%s/%s", cwd, root);
	return buf;
}

static int refuse(const struct store *s, const char *name, const char *why)
{
	return error_set(s->err, ERR_INVALID_VALUE,
			 "%s/%s %s: the store keeps only its own real folders and files there; "
			 "remove it, or give --home another folder", s->dir, name, why);
}

/* Each name the store uses, where it exists, is what the store made: a real folder or a
 * regular file, never a link (which would put the store's files elsewhere). */
static int check_layout(const struct store *s)
{
	struct stat st;

	for (size_t i = 0; i < sizeof(layout) / sizeof(layout[0]); i++) {
		if (fstatat(s->root_fd, layout[i].name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			return error_set(s->err, ERR_IO, "%s/%s: %s", s->dir, layout[i].name,
					 strerror(errno));
		}
		if (S_ISLNK(st.st_mode))
			return refuse(s, layout[i].name, "is a symbolic link");
		if (layout[i].dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
			return refuse(s, layout[i].name,
				      layout[i].dir ? "is not a folder" : "is not a regular file");
	}
	return 0;
}

/* Opens the store folder once (1), 0 when it does not exist and CREATE is false. Every
 * store name is then reached from this descriptor. */
static int open_root(struct store *s, bool create)
{
	if (s->have_root)
		return 1;
	s->root_fd = open(s->dir, DIR_FLAGS);
	if (s->root_fd < 0 && errno == ENOENT && create) {
		if (mkdir_p(s->dir, 0755, s->err) < 0)
			return -1;
		s->root_fd = open(s->dir, DIR_FLAGS);
	}
	if (s->root_fd < 0) {
		if (errno == ENOENT)
			return 0;
		return error_set(s->err, ERR_INVALID_VALUE, "%s: cannot use it as the store's "
				 "folder: %s", s->dir, strerror(errno));
	}
	s->have_root = true;
	return check_layout(s) < 0 ? -1 : 1;
}

int store_open(struct store *s, const char *home, const char *root, struct error *err)
{
	char rbuf[STORE_PATH_MAX * 2];

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	s->root_fd = -1;
	s->err = err;
	if (snprintf(s->root, sizeof(s->root), "%s", root ? abs_root(root, rbuf, sizeof(rbuf)) :
		     "/") >= (int)sizeof(s->root))
		return error_set(err, ERR_INVALID_VALUE, "--root %s: the path is too long", root);
	if (homedir_resolve(home, root, s->dir, sizeof(s->dir), err) < 0)
		return -1;
	return open_root(s, false) < 0 ? -1 : 0;
}

void store_close(struct store *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
	if (s->have_root)
		close(s->root_fd);
	s->have_root = false;
	s->root_fd = -1;
}

/* A name the store may find in its folder: one of its own, or safefile's temporary
 * state.json (".state.json.XXXXXX"). */
static bool own_name(const char *name)
{
	if (!strcmp(name, ".") || !strcmp(name, "..") || !strncmp(name, ".state.json.", 12))
		return true;
	for (size_t i = 0; i < sizeof(layout) / sizeof(layout[0]); i++)
		if (!strcmp(name, layout[i].name))
			return true;
	return false;
}

/* The folder is a store: it has the marker, or holds nothing but store names (a new
 * folder, or a store made before the marker). A folder with anything else in it is the
 * user's: refused, so nothing there is touched. 1 when the marker is there. */
static int storable(struct store *s)
{
	struct dirent *d;
	DIR *dir;
	int fd;

	if (faccessat(s->root_fd, STORE_MARKER, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	fd = openat(s->root_fd, ".", DIR_FLAGS);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return error_set(s->err, ERR_IO, "%s: cannot read: %s", s->dir, strerror(errno));
	}
	while ((d = readdir(dir)) && own_name(d->d_name))
		;
	if (d) {
		error_set(s->err, ERR_INVALID_VALUE,
			  "%s is not a wslctl store (no %s) and holds '%s': give --home a new or "
			  "empty folder", s->dir, STORE_MARKER, d->d_name);
		closedir(dir);
		return -1;
	}
	closedir(dir);
	return 0;
}

int store_check(struct store *s)
{
	int r = open_root(s, false);

	return r <= 0 ? r : storable(s) < 0 ? -1 : 0;
}

/* A storable folder gets the marker. */
static int claim(struct store *s)
{
	int fd, r = storable(s);

	if (r != 0)
		return r < 0 ? -1 : 0;
	fd = openat(s->root_fd, STORE_MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0644);
	if (fd < 0 && errno != EEXIST)
		return error_set(s->err, ERR_IO, "%s/%s: cannot create: %s", s->dir, STORE_MARKER,
				 strerror(errno));
	if (fd >= 0) {
		static const char text[] = "wslctl kernel store (see docs/store.md)\n";

		write_all(fd, text, sizeof(text) - 1);
		close(fd);
	}
	return 0;
}

/* With the lock held nobody is installing: what the tool made in staging/ is a crash's
 * leftover. Nothing else there is touched, and nothing is followed. */
static int clean_staging(const struct store *s)
{
	int fd = openat(s->root_fd, "staging", DIR_FLAGS);
	struct dirent *d;
	DIR *dir;

	if (fd < 0)
		return refuse(s, "staging", strerror(errno));
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return error_set(s->err, ERR_IO, "%s/staging: %s", s->dir, strerror(errno));
	}
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, STAGE_PREFIX, strlen(STAGE_PREFIX)))
			rm_rf_at(dirfd(dir), d->d_name);
	closedir(dir);
	return 0;
}

/* Folders the first writer makes, so that reading (list, --check, -n) creates nothing. */
static int make_folders(struct store *s)
{
	static const char *const dirs[] = { "versions", "staging", "cache", "cache/meta" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdirat(s->root_fd, dirs[i], 0755) < 0 && errno != EEXIST)
			return error_set(s->err, ERR_IO, "%s/%s: cannot create folder: %s", s->dir,
					 dirs[i], strerror(errno));
	return check_layout(s);
}

static void unlock(struct store *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
}

int store_lock(struct store *s)
{
	struct error *err = s->err;
	char path[STORE_PATH_MAX + 16];

	if (s->lock_fd >= 0)
		return 0;
	if (open_root(s, true) < 0 || claim(s) < 0 || make_folders(s) < 0)
		return -1;
	/* From here a signal is noted and the writer unwinds (interrupt.h). */
	interrupt_catch();
	snprintf(path, sizeof(path), "%s/lock", s->dir);
	s->lock_fd = filelock_take(path, LOCK_WAIT_MS, err);
	if (s->lock_fd < 0 && interrupt_check(err) < 0)
		return -1;
	if (s->lock_fd < 0 && err->code == ERR_LOCKED)
		return error_set(err, ERR_LOCKED,
				 "%s: another wslctl is changing the store (waited 10 s)", path);
	if (s->lock_fd < 0)
		return -1;
	/* A state.json write killed before its rename left a temporary file. */
	snprintf(path, sizeof(path), "%s/state.json", s->dir);
	safefile_clean_stale(path);
	if (clean_staging(s) < 0 || interrupt_check(err) < 0) {
		unlock(s);
		return -1;
	}
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
	if (store_lock(s) < 0 || interrupt_check(err) < 0)
		return -1;
	snprintf(st->version, sizeof(st->version), "%s", version);
	if (snprintf(st->dir, sizeof(st->dir), "%s/staging/" STAGE_PREFIX "stage.%s.%ld.%u",
		     s->dir, version, (long)getpid(), seq++) >= (int)sizeof(st->dir))
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
	/* The last step that can be left out: interrupted before it, nothing was installed. */
	if (interrupt_check(err) < 0 || publish(st->dir, dest, err) < 0 || fsync_path(versions, err) < 0)
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

/* NAME in the folder DFD read whole: a regular file of at most MAX bytes, opened without
 * following a link and without blocking (a FIFO is refused, not waited on). NULL with
 * errno: ENOENT missing, ELOOP a link, EINVAL not a regular file, EFBIG too big. */
static char *read_regular_at(int dfd, const char *name, size_t max, size_t *len)
{
	int fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC), e;
	struct stat st;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else if ((uintmax_t)st.st_size > max)
		e = EFBIG;
	else
		e = (buf = read_all(fd, max, len)) ? 0 : errno;
	close(fd);
	errno = e;
	return buf;
}

static const char *read_error(int e)
{
	return e == ELOOP ? "is a symbolic link" : e == EINVAL ? "is not a regular file"
		: e == EFBIG ? "is too big to be the store's" : strerror(e);
}

int store_read_json(const struct store *s, const char *name, json_t **out, char *why,
		    size_t n)
{
	size_t len;
	char *text;
	json_error_t je;

	*out = NULL;
	if (!s->have_root)
		return 0;
	text = read_regular_at(s->root_fd, name, JSON_MAX, &len);
	if (!text && errno == ENOENT)
		return 0;
	if (!text) {
		snprintf(why, n, "it %s", read_error(errno));
		return -1;
	}
	*out = json_loadb(text, len, 0, &je);
	free(text);
	if (!*out)
		snprintf(why, n, "not JSON: line %d column %d: %s", je.line, je.column, je.text);
	else if (!json_is_object(*out))
		snprintf(why, n, "not a JSON object");
	else
		return 1;
	json_decref(*out);
	*out = NULL;
	return -1;
}

/* The fields of manifest O into M. */
static void fill_manifest(json_t *o, struct store_manifest *m)
{
	struct tm tm = { 0 };
	json_t *files, *f;
	size_t i;

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
}

/* A version's file is there as the store made it: a regular file, not a link. */
static int has_file(const struct store *s, int vdfd, const char *version, const char *name,
		    struct error *err)
{
	struct stat st;

	if (fstatat(vdfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
		return 0;
	return error_set(err, ERR_INVALID_FILE, "%s/versions/%s/%s: missing from the store (or "
			 "not a regular file)", s->dir, version, name);
}

/* VERSION's manifest, its folder opened from VERSIONS (a descriptor of versions/). */
static int get_manifest(const struct store *s, int versions, const char *version,
			struct store_manifest *m, struct error *err)
{
	json_error_t je;
	size_t len;
	char *text;
	json_t *o;
	int d, rc = 1;

	memset(m, 0, sizeof(*m));
	if (!store_version_valid(version))
		return 0;
	d = openat(versions, version, DIR_FLAGS);
	if (d < 0)
		return errno == ENOENT ? 0 : error_set(err, ERR_INVALID_FILE, "%s/versions/%s: "
						       "%s", s->dir, version,
						       errno == ELOOP || errno == ENOTDIR
						       ? "not a real folder (remove it)"
						       : strerror(errno));
	text = read_regular_at(d, "manifest.json", JSON_MAX, &len);
	if (!text) {
		int e = errno;

		close(d);
		return e == ENOENT ? 0 : error_set(err, ERR_INVALID_FILE, "%s/versions/%s/"
						   "manifest.json %s", s->dir, version,
						   read_error(e));
	}
	o = json_loadb(text, len, 0, &je);
	free(text);
	if (!o) {
		close(d);
		return error_set(err, ERR_INVALID_FILE, "%s/versions/%s/manifest.json:%d: %s",
				 s->dir, version, je.line, je.text);
	}
	fill_manifest(o, m);
	json_decref(o);
	if (strcmp(m->version, version))
		rc = error_set(err, ERR_INVALID_FILE, "%s/versions/%s/manifest.json: names "
			       "version '%s', not '%s'", s->dir, version, m->version, version);
	else if (has_file(s, d, version, "kernel", err) < 0 ||
		 (m->has_modules && has_file(s, d, version, "modules.vhd", err) < 0))
		rc = -1;
	close(d);
	return rc;
}

/* versions/ opened from the store folder: 0 when there is none yet (-1 and ERR on error). */
static int open_versions(const struct store *s, int *fd, struct error *err)
{
	*fd = s->have_root ? openat(s->root_fd, "versions", DIR_FLAGS) : -1;
	if (*fd >= 0)
		return 1;
	if (!s->have_root || errno == ENOENT)
		return 0;
	return error_set(err, ERR_INVALID_VALUE, "%s/versions: %s", s->dir,
			 errno == ELOOP || errno == ENOTDIR ? "not a real folder (remove it)"
							    : strerror(errno));
}

static int get_version(const struct store *s, const char *version, struct store_manifest *m,
		       struct error *err)
{
	int fd, r = open_versions(s, &fd, err);

	memset(m, 0, sizeof(*m));
	if (r <= 0)
		return r;
	r = get_manifest(s, fd, version, m, err);
	close(fd);
	return r;
}

int store_get(const struct store *s, const char *version, struct store_manifest *m)
{
	return get_version(s, version, m, s->err);
}

bool store_has(const struct store *s, const char *version, struct store_manifest *m)
{
	struct error ignored;

	return get_version(s, version, m, &ignored) == 1;
}

static int cmp_desc(const void *a, const void *b)
{
	const struct store_manifest *ma = a, *mb = b;

	return version_cmp(mb->version, ma->version);
}

int store_list(const struct store *s, struct store_manifest **out, size_t *n)
{
	struct error *err = s->err, ignored;
	struct store_manifest *list = NULL, m;
	size_t len = 0, cap = 0;
	struct dirent *d;
	DIR *dir;
	int fd, r;

	*out = NULL;
	*n = 0;
	r = open_versions(s, &fd, err);
	if (r <= 0)
		return r;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return error_set(err, ERR_IO, "%s/versions: cannot read: %s", s->dir,
				 strerror(errno));
	}
	while ((d = readdir(dir))) {
		/* A version without a readable manifest is not installed (never half-shown). */
		if (get_manifest(s, dirfd(dir), d->d_name, &m, &ignored) != 1)
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
	char gone[STORE_VERSION_MAX + 64];
	int vfd, sfd, r;

	if (!store_version_valid(version))
		return error_set(s->err, ERR_INVALID_VALUE, "'%s' is not a version name", version);
	if (store_lock(s) < 0 || interrupt_check(s->err) < 0)
		return -1;
	r = open_versions(s, &vfd, s->err);
	if (r <= 0)
		return r;
	sfd = openat(s->root_fd, "staging", DIR_FLAGS);
	if (sfd < 0) {
		close(vfd);
		return refuse(s, "staging", strerror(errno));
	}
	/* Out of versions/ first, so a crash never leaves a half-deleted version. */
	snprintf(gone, sizeof(gone), STAGE_PREFIX "removed.%s.%ld", version, (long)getpid());
	r = renameat(vfd, version, sfd, gone);
	if (r < 0)
		error_set(s->err, ERR_IO, "%s/versions/%s: cannot remove: %s", s->dir, version,
			  strerror(errno));
	else
		rm_rf_at(sfd, gone);
	close(vfd);
	close(sfd);
	return r;
}

/* The folder's Windows form, asked once; a failure is not remembered (it ends the run). */
static int windows_dir(struct store *s)
{
	char buf[sizeof(s->win)];

	if (s->win[0])
		return 0;
	if (winpath_to_windows(s->root, s->dir, WINPATH_DRIVE_ONLY, buf, sizeof(buf), s->err) < 0 ||
	    winpath_check_names(s->dir, buf, s->err) < 0)
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
	if (version && winpath_bad_name(version))
		return error_set(s->err, ERR_INVALID_VALUE, "version '%s' %s: Windows cannot "
				 "open a kernel in that folder", version, winpath_bad_name(version));
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
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	/* The rename replaces NAME itself; a link or FIFO there is not the store's. */
	if (s->have_root && fstatat(s->root_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(st.st_mode)) {
		json_decref(o);
		return refuse(s, name, "is not a regular file");
	}
	return write_json(o, path, JSON_INDENT(2), s->err);
}
