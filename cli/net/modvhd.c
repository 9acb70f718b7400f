// SPDX-License-Identifier: MIT
#include "modvhd.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "runproc.h"

static uint64_t tree_bytes, tree_inodes;
static char **tree_paths;
static size_t tree_npaths;
static size_t tree_root_len;

static int count(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)flag;
	(void)ftw;
	tree_bytes += ((uint64_t)st->st_size + 4095) / 4096 * 4096;
	tree_inodes++;
	return 0;
}

/* Room for the files, their inodes and ext4's journal and metadata, in MiB. */
static uint64_t image_mib(const char *moddir)
{
	uint64_t bytes;

	tree_bytes = tree_inodes = 0;
	nftw(moddir, count, 64, FTW_PHYS);
	bytes = tree_bytes + tree_bytes / 4 + tree_inodes * 512;
	return bytes / (1024 * 1024) + 16;
}

static int run_tool(const char *what, const char *const argv[], int log_fd, struct error *err)
{
	struct run_opts o = { .log_fd = log_fd, .capture = true };
	struct run_result r;

	if (run_cmd(argv, &o, &r, err) < 0)
		return -1;
	if (r.status != 0) {
		size_t len = r.output ? strlen(r.output) : 0;

		while (len && (r.output[len - 1] == '\n' || r.output[len - 1] == '\r'))
			r.output[--len] = '\0';
		error_set(err, ERR_BUILD_FAILED, "%s failed (exit status %d): %s", what,
			  r.status, r.output ? r.output : "");
		free(r.output);
		return -1;
	}
	free(r.output);
	return 0;
}

/* mke2fs lives in /usr/sbin, which is not in an ordinary user's PATH on Debian. */
static const char *mke2fs_program(void)
{
	static const char *const sbin[] = { "/usr/sbin/mke2fs", "/sbin/mke2fs" };

	if (run_have("mke2fs"))
		return "mke2fs";
	for (size_t i = 0; i < sizeof(sbin) / sizeof(sbin[0]); i++)
		if (access(sbin[i], X_OK) == 0)
			return sbin[i];
	return "mke2fs";
}

int modvhd_make(const char *moddir, const char *work, const char *out, int log_fd,
		struct error *err)
{
	char img[4200], size[32], part[4200];
	struct stat st;
	int rc;

	if (stat(moddir, &st) != 0 || !S_ISDIR(st.st_mode))
		return error_set(err, ERR_BUILD_FAILED, "no modules folder %s to put in modules.vhd",
				 moddir);
	snprintf(img, sizeof(img), "%s/modules.ext4", work);
	snprintf(part, sizeof(part), "%s.part", out);
	snprintf(size, sizeof(size), "%lluM", (unsigned long long)image_mib(moddir));
	unlink(img);
	{
		const char *argv[] = { mke2fs_program(), "-q", "-F", "-t", "ext4", "-L", "modules",
				       "-d", moddir, img, size, NULL };

		if (run_tool("mke2fs", argv, log_fd, err) < 0)
			return -1;
	}
	{
		const char *argv[] = { "qemu-img", "convert", "-O", "vhdx", img, part, NULL };

		rc = run_tool("qemu-img convert", argv, log_fd, err);
	}
	unlink(img);
	if (rc < 0) {
		unlink(part);
		return -1;
	}
	if (rename(part, out) != 0) {
		unlink(part);
		return error_set(err, ERR_IO, "cannot create %s: %s", out, strerror(errno));
	}
	return 0;
}

static int collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char **g;

	(void)st;
	(void)flag;
	(void)ftw;
	g = realloc(tree_paths, (tree_npaths + 1) * sizeof(*g));
	if (!g)
		return -1;
	tree_paths = g;
	if (!(tree_paths[tree_npaths] = strdup(path)))
		return -1;
	tree_npaths++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int hash_entry(struct digest_stream *d, const char *path)
{
	const char *rel = path + tree_root_len;
	char buf[65536];
	struct stat st;
	ssize_t n;
	int fd;

	if (lstat(path, &st) != 0)
		return -1;
	digest_stream_update(d, rel, strlen(rel) + 1);
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, buf, sizeof(buf));
		if (n < 0)
			return -1;
		digest_stream_update(d, buf, (size_t)n);
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		digest_stream_update(d, buf, (size_t)n);
	}
	close(fd);
	return n < 0 ? -1 : 0;
}

int modvhd_tree_digest(const char *dir, char hex[65], struct error *err)
{
	struct digest_stream d;
	struct digest_result r;
	int rc = 0;

	tree_paths = NULL;
	tree_npaths = 0;
	tree_root_len = strlen(dir);
	if (nftw(dir, collect, 64, FTW_PHYS) != 0)
		rc = error_set(err, ERR_IO, "cannot read %s: %s", dir, strerror(errno));
	if (tree_npaths)
		qsort(tree_paths, tree_npaths, sizeof(*tree_paths), cmp_str);
	if (!rc && digest_stream_init(&d, DIGEST_F_SHA256, err) < 0)
		rc = -1;
	for (size_t i = 0; !rc && i < tree_npaths; i++)
		if (hash_entry(&d, tree_paths[i]) < 0) {
			digest_stream_free(&d);
			rc = error_set(err, ERR_IO, "cannot read %s: %s", tree_paths[i],
				       strerror(errno));
		}
	if (!rc && digest_stream_final(&d, &r, err) < 0)
		rc = -1;
	if (!rc)
		memcpy(hex, r.sha256, 65);
	for (size_t i = 0; i < tree_npaths; i++)
		free(tree_paths[i]);
	free(tree_paths);
	tree_paths = NULL;
	return rc;
}
