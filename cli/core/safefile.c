// SPDX-License-Identifier: MIT
#include "safefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "fsutil.h"
#include "interrupt.h"
#include "strbuf.h"

/* The two names only wslctl gives files beside PATH: ".NAME" TEMP_TAG "XXXXXX" (mkstemp's
 * six letters and digits) and ".NAME" LOCK_TAG. */
#define TEMP_TAG ".wslctl-"
#define LOCK_TAG ".wslctl-lock"

int safefile_read(const char *path, char **buf, size_t *len, bool *exists, struct error *err)
{
	int fd, e;

	*exists = false;
	*len = 0;
	*buf = NULL;
	fd = open_regular(path, SAFEFILE_MAX, err);
	if (fd < 0 && errno != ENOENT)
		return -1;
	if (fd >= 0) {
		*buf = read_all(fd, SAFEFILE_MAX, len);
		e = errno;
		close(fd);
		if (!*buf && e == EFBIG)
			return error_set(err, ERR_INVALID_FILE, "%s grew past %d bytes while being "
					 "read: refused", path, SAFEFILE_MAX);
		if (!*buf)
			return error_set(err, ERR_IO, "cannot read %s: %s", path, strerror(e));
		*exists = true;
		return 0;
	}
	*buf = calloc(1, 1);
	return *buf ? 0 : error_set(err, ERR_IO, "out of memory");
}

int safefile_probe(const char *path, bool must_exist, struct error *err)
{
	char *target;
	int fd, e;

	if (safefile_target(path, &target, err) < 0)
		return -1;
	fd = open_regular(target, SAFEFILE_MAX, err);
	e = errno;
	free(target);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (e != ENOENT)
		return -1;
	return must_exist ? error_set(err, ERR_INVALID_FILE, "cannot read %s: %s", path,
				      strerror(e)) : 0;
}

/* The folder of PATH ("." when it names none), malloc'd. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* ".NAME" TAG beside PATH, malloc'd. */
static char *beside(const char *path, const char *tag)
{
	const char *slash = strrchr(path, '/');
	struct strbuf b = { 0 };

	if (slash)
		strbuf_add(&b, path, (size_t)(slash - path + 1));
	strbuf_printf(&b, ".%s%s", slash ? slash + 1 : path, tag);
	if (b.oom) {
		strbuf_free(&b);
		return NULL;
	}
	return b.s;
}

char *safefile_lock_path(const char *path)
{
	return beside(path, LOCK_TAG);
}

/* The final target CUR names exists and is a regular file, or is missing in a folder that
 * exists: anything else cannot be replaced and is refused (exit 3), before any lock. */
static int usable_target(const char *path, const char *cur, struct error *err)
{
	const char *via = strcmp(path, cur) ? " (the target of the symbolic link " : "";
	struct stat st;
	char *dir;
	int e;

	if (stat(cur, &st) == 0) {
		if (!file_kind(st.st_mode))
			return 0;
		return error_set(err, ERR_INVALID_FILE, "%s%s%s%s is %s, not a regular file: "
				 "refused, nothing read or written", cur, via, *via ? path : "",
				 *via ? ")" : "", file_kind(st.st_mode));
	}
	if (errno != ENOENT)
		return error_set(err, ERR_INVALID_FILE, "cannot read %s: %s", cur, strerror(errno));
	dir = folder_of(cur);
	if (!dir)
		return error_set(err, ERR_IO, "out of memory");
	e = stat(dir, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (e)
		error_set(err, ERR_INVALID_FILE, "cannot use %s: its folder %s: %s", cur, dir,
			  strerror(e));
	free(dir);
	return e ? -1 : 0;
}

/* The text of the link PATH, malloc'd; NULL with errno set. */
static char *read_link(const char *path)
{
	for (size_t cap = 256; cap <= 1 << 20; cap *= 2) {
		char *buf = malloc(cap);
		ssize_t n = buf ? readlink(path, buf, cap) : -1;

		if (n >= 0 && (size_t)n < cap) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		if (n < 0)
			return NULL;
	}
	errno = ENAMETOOLONG;
	return NULL;
}

/* The next name in a chain of links: LINK read from the link CUR, relative to its folder. */
static char *link_next(const char *cur, const char *link)
{
	const char *slash = strrchr(cur, '/');
	struct strbuf b = { 0 };

	if (link[0] != '/' && slash)
		strbuf_add(&b, cur, (size_t)(slash - cur + 1));
	strbuf_str(&b, link);
	if (b.oom) {
		strbuf_free(&b);
		return NULL;
	}
	return b.s;
}

int safefile_target(const char *path, char **out, struct error *err)
{
	char *cur = strdup(path);

	/* Follow the chain by hand so a dangling link still names the file to create. */
	for (int hops = 0; cur && hops < 40; hops++) {
		struct stat st;
		char *link, *next;

		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode)) {
			if (usable_target(path, cur, err) < 0) {
				free(cur);
				return -1;
			}
			*out = cur;
			return 0;
		}
		link = read_link(cur);
		if (!link) {
			error_set(err, ERR_INVALID_FILE, "cannot read link %s: %s", cur,
				  strerror(errno));
			free(cur);
			return -1;
		}
		next = link_next(cur, link);
		free(link);
		free(cur);
		cur = next;
	}
	if (!cur)
		return error_set(err, ERR_IO, "out of memory");
	free(cur);
	return error_set(err, ERR_INVALID_FILE, "%s: too many levels of symbolic links", path);
}

/* The old file's mode, owner and group on the temporary file FD (MODE for a new file).
 * Not allowed to give it its owner back is fine only if it already has that owner. */
static int keep_attributes(int fd, const char *path, const struct stat *old, unsigned mode,
			   struct error *err)
{
	struct stat ts;

	if (fchmod(fd, old ? old->st_mode & 07777 : mode) < 0)
		return error_set(err, ERR_IO, "cannot write %s: %s (the file is unchanged)", path,
				 strerror(errno));
	if (!old || fchown(fd, old->st_uid, old->st_gid) == 0)
		return 0;
	if (fstat(fd, &ts) == 0 && ts.st_uid == old->st_uid && ts.st_gid == old->st_gid)
		return 0;
	/* Our own file in a group we are not in: the owner is right, only the group cannot
	 * follow (only root may give a file to a group its owner is not in). */
	if (fstat(fd, &ts) == 0 && ts.st_uid == old->st_uid)
		return error_set(err, ERR_IO, "cannot write %s: its group is gid %u, which you "
				 "are not a member of, and a replacement file cannot keep that "
				 "group; give it one of your groups (chgrp %u %s) or run as root; "
				 "the file is unchanged", path, (unsigned)old->st_gid,
				 (unsigned)ts.st_gid, path);
	return error_set(err, ERR_IO, "cannot write %s: it belongs to uid %u gid %u and a "
			 "replacement could not keep that (run as its owner or root); the file is "
			 "unchanged", path, (unsigned)old->st_uid, (unsigned)old->st_gid);
}

int safefile_writable(const char *path, struct error *err)
{
	char *dir = folder_of(path);
	int e;

	if (!dir)
		return error_set(err, ERR_IO, "out of memory");
	/* The replacement is a new file in the folder, renamed over PATH. */
	e = access(dir, W_OK | X_OK) < 0 ? errno : 0;
	if (e)
		error_set(err, ERR_IO, "%s would not be written: its folder %s is not writable "
			  "(%s), so the write would fail", path, dir, strerror(e));
	free(dir);
	return e ? -1 : 0;
}

/* The temporary file FD gets DATA and the old file's attributes, reaches the disk, and
 * is closed. A signal noted meanwhile stops here, before the rename. */
static int fill_temp(int fd, const char *path, const void *data, size_t len,
		     const struct stat *old, unsigned mode, struct error *err)
{
	int e;

	if (write_all(fd, data, len) < 0)
		goto fail;
	if (keep_attributes(fd, path, old, mode, err) < 0) {
		close(fd);
		return -1;
	}
	if (fsync_fd(fd) < 0)
		goto fail;
	e = close(fd);
	fd = -1;
	if (e < 0)
		goto fail;
	return interrupt_check(err);
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	/* EINTR from a signal we noted is the signal's doing, not a write error. */
	if (interrupt_check(err) < 0)
		return -1;
	return error_set(err, ERR_IO, "cannot write %s: %s (the file is unchanged)", path,
			 strerror(e));
}

/* The rename is done: the folder is synced so that it survives a crash. */
static int sync_folder(const char *path, struct error *err)
{
	char *dir = folder_of(path);
	int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1, rc = 0, e;

	free(dir);
	if (dfd < 0)
		return 0;
	if (fsync_fd(dfd) < 0) {
		e = errno;
		rc = error_set(err, ERR_IO, "%s: syncing the folder: %s", path, strerror(e));
	}
	close(dfd);
	return rc;
}

int safefile_replace(const char *path, const void *data, size_t len, unsigned mode,
		     struct error *err)
{
	char *tmp = beside(path, TEMP_TAG "XXXXXX");
	struct stat st;
	bool have_old = stat(path, &st) == 0;
	int fd, rc = -1;

	if (!tmp)
		return error_set(err, ERR_IO, "out of memory");
	fd = mkstemp(tmp);
	if (fd < 0) {
		error_set(err, ERR_IO, "cannot create a temporary file beside %s: %s", path,
			  strerror(errno));
		goto out;
	}
	if (fill_temp(fd, path, data, len, have_old ? &st : NULL, mode, err) < 0)
		goto gone;
	if (rename(tmp, path) < 0) {
		error_set(err, ERR_IO, "cannot write %s: %s (the file is unchanged)", path,
			  strerror(errno));
		goto gone;
	}
	/* Written: a signal from here on lets the command finish and report it. */
	rc = sync_folder(path, err);
	goto out;
gone:
	unlink(tmp);
out:
	free(tmp);
	return rc;
}

/* NAME (in the folder of PATH, whose base name is BASE) is a temporary file of ours. */
static bool is_our_temp(const char *name, const char *base)
{
	size_t blen = strlen(base), tlen = strlen(TEMP_TAG);
	const char *x = name + 1 + blen + tlen;

	if (name[0] != '.' || strncmp(name + 1, base, blen) ||
	    strncmp(name + 1 + blen, TEMP_TAG, tlen) || strlen(x) != 6)
		return false;
	for (; *x; x++)
		if (!((*x >= 'a' && *x <= 'z') || (*x >= 'A' && *x <= 'Z') ||
		      (*x >= '0' && *x <= '9')))
			return false;
	return true;
}

void safefile_clean_stale(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *dir = folder_of(path);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;

	free(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;

		/* Ours by name, and a regular file itself (a link there is not followed). */
		if (!is_our_temp(de->d_name, base) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}
