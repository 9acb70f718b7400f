// SPDX-License-Identifier: MIT
#include "safefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "fsutil.h"

int safefile_read(const char *path, char **buf, size_t *len, bool *exists, struct error *err)
{
	*exists = false;
	*len = 0;
	*buf = read_file(path, SIZE_MAX - 1, len);
	if (*buf) {
		*exists = true;
		return 0;
	}
	if (errno != ENOENT)
		return error_set(err, ERR_IO, "cannot read %s: %s", path, strerror(errno));
	*buf = calloc(1, 1);
	return *buf ? 0 : error_set(err, ERR_IO, "out of memory");
}

int safefile_target(const char *path, char **out, struct error *err)
{
	char cur[PATH_MAX];
	struct stat st;

	snprintf(cur, sizeof(cur), "%s", path);
	/* Follow the chain by hand so a dangling link still names the file to create. */
	for (int hops = 0; hops < 40; hops++) {
		char link[PATH_MAX], next[PATH_MAX];
		ssize_t n;

		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode)) {
			*out = strdup(cur);
			return *out ? 0 : error_set(err, ERR_IO, "out of memory");
		}
		n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0)
			return error_set(err, ERR_IO, "cannot read link %s: %s", cur, strerror(errno));
		link[n] = '\0';
		if (link[0] == '/') {
			snprintf(next, sizeof(next), "%s", link);
		} else {
			const char *slash = strrchr(cur, '/');

			snprintf(next, sizeof(next), "%.*s%s", slash ? (int)(slash - cur + 1) : 0,
				 cur, link);
		}
		memcpy(cur, next, sizeof(cur));
	}
	return error_set(err, ERR_IO, "%s: too many levels of symbolic links", path);
}

int safefile_replace(const char *path, const void *data, size_t len, unsigned mode,
		     struct error *err)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], tmp[PATH_MAX];
	struct stat st;
	bool have_old = stat(path, &st) == 0;
	int fd, dfd, e;

	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	else
		snprintf(dir, sizeof(dir), ".");
	snprintf(tmp, sizeof(tmp), "%s%s.%s.XXXXXX", slash ? dir : "", slash && slash != path ? "/" : "",
		 slash ? slash + 1 : path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return error_set(err, ERR_IO, "cannot create a temporary file beside %s: %s", path,
				 strerror(errno));
	if (write_all(fd, data, len) < 0)
		goto fail;
	if (fchmod(fd, have_old ? st.st_mode & 07777 : mode) < 0)
		goto fail;
	if (have_old && fchown(fd, st.st_uid, st.st_gid) < 0) {
		struct stat ts;

		/* Not allowed to give the file its owner back: fine only if it already has it. */
		if (fstat(fd, &ts) < 0 || ts.st_uid != st.st_uid || ts.st_gid != st.st_gid) {
			close(fd);
			unlink(tmp);
			return error_set(err, ERR_IO,
					 "cannot write %s: it belongs to uid %u gid %u and a "
					 "replacement could not keep that (run as its owner or root); "
					 "the file is unchanged", path, (unsigned)st.st_uid,
					 (unsigned)st.st_gid);
		}
	}
	if (fsync_fd(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync_fd(dfd) < 0) {
			e = errno;
			close(dfd);
			return error_set(err, ERR_IO, "%s: syncing the folder: %s", path, strerror(e));
		}
		close(dfd);
	}
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return error_set(err, ERR_IO, "cannot write %s: %s (the file is unchanged)", path,
			 strerror(e));
}

void safefile_clean_stale(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t blen = strlen(base);
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (slash == path ? 1 : (int)(slash - path)) : 1,
		 slash ? path : ".");
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *n = de->d_name, *suffix;
		char full[PATH_MAX];
		bool ours = true;

		/* mkstemp's names for this file: "." NAME "." and six letters or digits. */
		if (n[0] != '.' || strncmp(n + 1, base, blen) || n[1 + blen] != '.' ||
		    strlen(n) != blen + 8)
			continue;
		for (suffix = n + blen + 2; *suffix; suffix++)
			ours &= (*suffix >= 'a' && *suffix <= 'z') || (*suffix >= 'A' && *suffix <= 'Z') ||
				(*suffix >= '0' && *suffix <= '9');
		if (!ours)
			continue;
		snprintf(full, sizeof(full), "%s/%s", dir, n);
		unlink(full);
	}
	closedir(d);
}
