// SPDX-License-Identifier: MIT
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"

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
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return error_set(err, ERR_IO, "%s: cannot create folder: %s", buf,
					 strerror(errno));
		buf[i] = c;
	}
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

int rm_rf(const char *path)
{
	if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int copy_file(const char *from, const char *to, struct error *err)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, e = 0;
	ssize_t n;

	if (in < 0)
		return error_set(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
				 "cannot read %s: %s", from, strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		e = errno;
		close(in);
		return error_set(err, ERR_IO, "cannot write %s: %s", to, strerror(e));
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(out, buf, (size_t)n) < 0) {
			e = errno;
			break;
		}
	}
	close(in);
	if (close(out) < 0 && !e)
		e = errno;
	if (e)
		return error_set(err, ERR_IO, "copying %s to %s: %s", from, to, strerror(e));
	return 0;
}

char *read_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = read_all(fd, max, len);
	e = errno;
	close(fd);
	errno = e;
	return buf;
}

int fsync_path(const char *path, struct error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0)
		return error_set(err, ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	if (fsync(fd) < 0 && errno != EINVAL) {
		e = errno;
		close(fd);
		return error_set(err, ERR_IO, "%s: fsync failed: %s", path, strerror(e));
	}
	close(fd);
	return 0;
}
