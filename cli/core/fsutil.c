// SPDX-License-Identifier: MIT
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "interrupt.h"

/* PATH exists: fine when it is a folder (or a link to one), ENOTDIR otherwise. */
static int is_folder(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int mkdir_p(const char *path, unsigned mode, struct error *err)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (!len || len >= sizeof(buf))
		return error_set(err, ERR_IO, "'%.300s': cannot create folder: %s", path,
				 strerror(len ? ENAMETOOLONG : ENOENT));
	memcpy(buf, path, len + 1);
	/* Each parent, then PATH itself. */
	for (size_t i = 1; i <= len; i++) {
		char c = buf[i];

		if (c != '/' && c != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) < 0 && (errno != EEXIST || is_folder(buf) < 0))
			return error_set(err, ERR_IO, "%s: cannot create folder: %s", buf,
					 strerror(errno));
		buf[i] = c;
	}
	return 0;
}

/* Keeps the first error of a walk that goes on past it. */
static void note(int *first)
{
	if (!*first && errno != ENOENT)
		*first = errno;
}

/*
 * Empties the folder DFD (its descriptor taken over) through descriptors only: every
 * name is removed relative to the folder it was read from, and a folder is entered with
 * O_NOFOLLOW, so a name swapped for a link during the walk is removed as a link, never
 * followed. DEPTH bounds the descriptors held open.
 */
static void rm_inside(int dfd, int depth, int *first)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (!d) {
		note(first);
		close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		int sub;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (unlinkat(dirfd(d), name, 0) == 0 || errno == ENOENT)
			continue;
		if (errno != EISDIR || depth >= 256) {
			note(first);
			continue;
		}
		sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			/* No longer a folder (a link now): remove the name itself. */
			if (unlinkat(dirfd(d), name, 0) < 0)
				note(first);
			continue;
		}
		rm_inside(sub, depth + 1, first);
		if (unlinkat(dirfd(d), name, AT_REMOVEDIR) < 0)
			note(first);
	}
	closedir(d);
}

int rm_rf_at(int dfd, const char *name)
{
	struct stat st;
	int sub, first = 0;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -1 : 0;
	sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0) /* swapped for a link since the fstatat: remove the link itself */
		return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -1 : 0;
	rm_inside(sub, 0, &first);
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0)
		note(&first);
	if (first) {
		errno = first;
		return -1;
	}
	return 0;
}

int rm_rf(const char *path)
{
	return rm_rf_at(AT_FDCWD, path);
}

/* TO opened for writing, never through a link, and not FROM itself. */
static int open_target(int in, const char *from, const char *to, struct error *err)
{
	struct stat si, so;
	int out = open(to, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (out < 0)
		return error_set(err, ERR_IO, "cannot write %s: %s", to, strerror(errno));
	if (fstat(in, &si) < 0 || fstat(out, &so) < 0 || !S_ISREG(so.st_mode) ||
	    (si.st_dev == so.st_dev && si.st_ino == so.st_ino)) {
		int e = S_ISREG(so.st_mode) ? 0 : EINVAL;

		close(out);
		return error_set(err, ERR_IO, "cannot copy %s to %s: %s", from, to,
				 e ? "the target is not a regular file" : "it is the same file");
	}
	if (ftruncate(out, 0) < 0) {
		int e = errno;

		close(out);
		return error_set(err, ERR_IO, "cannot write %s: %s", to, strerror(e));
	}
	return out;
}

int copy_file(const char *from, const char *to, struct error *err)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, e = 0;
	ssize_t n;

	/* A signal while it waits (a FIFO, a slow file system) is an interrupt, not io. */
	if (in < 0 && errno == EINTR && interrupt_check(err) < 0)
		return -1;
	if (in < 0)
		return error_set(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
				 "cannot read %s: %s", from, strerror(errno));
	out = open_target(in, from, to, err);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR && !interrupt_pending())
			continue;
		if (n < 0 || write_all(out, buf, (size_t)n) < 0) {
			e = errno;
			break;
		}
	}
	close(in);
	if (close(out) < 0 && !e)
		e = errno;
	if (e == EINTR && interrupt_check(err) < 0)
		return -1;
	if (e)
		return error_set(err, ERR_IO, "copying %s to %s: %s", from, to, strerror(e));
	return 0;
}

char *read_file(const char *path, size_t max, size_t *len)
{
	/* O_NONBLOCK: a FIFO opens at once and is refused below, never waited on. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), e;
	struct stat st;
	char *buf;

	if (fd < 0)
		return NULL;
	/* Only a regular file: a FIFO or a device (/dev/zero) could block or never end. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		e = S_ISREG(st.st_mode) ? errno : S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		close(fd);
		errno = e;
		return NULL;
	}
	buf = read_all(fd, max, len);
	e = errno;
	close(fd);
	errno = e;
	return buf;
}

const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return NULL;
	case S_IFDIR: return "a folder";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFIFO: return "a FIFO (named pipe)";
	case S_IFSOCK: return "a socket";
	case S_IFLNK: return "a symbolic link";
	default: return "not a regular file";
	}
}

/* The refusal of PATH, which is ST: not a regular file, or larger than MAX. */
static int refuse(const char *path, const struct stat *st, size_t max, struct error *err)
{
	if (file_kind(st->st_mode))
		return error_set(err, ERR_INVALID_FILE, "%s is %s, not a regular file: refused, "
				 "nothing read or written", path, file_kind(st->st_mode));
	return error_set(err, ERR_INVALID_FILE, "%s is %lld bytes, more than the %zu a file "
			 "of its kind can be: refused, nothing read or written", path,
			 (long long)st->st_size, max);
}

int open_regular(const char *path, size_t max, struct error *err)
{
	/* O_NONBLOCK: a FIFO opens at once (and is refused below) instead of waiting for a
	 * writer; on a regular file it changes nothing. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), e;
	struct stat st;

	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			return -1;
		/* A socket cannot be opened (ENXIO): say what it is all the same. */
		if (stat(path, &st) == 0 && file_kind(st.st_mode))
			return refuse(path, &st, max, err);
		errno = e;
		return error_set(err, ERR_INVALID_FILE, "cannot read %s: %s", path, strerror(e));
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return error_set(err, ERR_IO, "cannot read %s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 0 || (unsigned long long)st.st_size > max) {
		close(fd);
		refuse(path, &st, max, err);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

int fsync_fd(int fd)
{
	struct stat st;

	if (fsync(fd) == 0)
		return 0;
	/* A file system that cannot sync (EINVAL), or cannot sync a folder (drvfs, 9p): the
	 * data or the rename is done. Only an I/O error on a folder counts. */
	if (errno == EINVAL || (errno != EIO && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)))
		return 0;
	return -1;
}

int fsync_path(const char *path, struct error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0)
		return error_set(err, ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	if (fsync_fd(fd) < 0) {
		e = errno;
		close(fd);
		return error_set(err, ERR_IO, "%s: fsync failed: %s", path, strerror(e));
	}
	close(fd);
	return 0;
}
