// SPDX-License-Identifier: MIT
#include "ksource.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "fsutil.h"
#include "http.h"
#include "unpack.h"

/* A kernel tree has ~90,000 files (the largest a few MiB), ~1.5 GiB in all, and its own
 * symlinks: not a package's limits, but bounded all the same. */
#define SOURCE_MAX_ENTRIES 200000u
#define SOURCE_MAX_ENTRY_SIZE (256ull << 20)
#define SOURCE_MAX_TOTAL (8ull << 30)
/* Beside the unpacked tree: says the unpacking finished. No archive may hold the name. */
#define MARKER ".wslctl-source"

bool ksource_is_tag(const char *spec)
{
	const char *v = spec + 15;

	if (strncmp(spec, "linux-msft-wsl-", 15) || !isdigit((unsigned char)*v))
		return false;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && *v != '.' && *v != '-' && *v != '_')
			return false;
	return true;
}

/* The cache's name for URL: a digest of the whole URL (two URLs with the same last
 * segment are two files), then that segment made a safe name (for the eye). */
static int url_file_name(const char *url, char *buf, size_t n, struct error *err)
{
	const char *end = url + strcspn(url, "?#"), *start = end;
	struct digest_stream d;
	struct digest_result r;
	size_t k;

	if (digest_stream_init(&d, DIGEST_F_SHA256, err) < 0)
		return -1;
	digest_stream_update(&d, url, strlen(url));
	if (digest_stream_final(&d, &r, err) < 0)
		return -1;
	k = (size_t)snprintf(buf, n, "%.16s-", r.sha256);
	while (start > url && start[-1] != '/')
		start--;
	if (start == end)
		start = "kernel-source.tar", end = start + strlen(start);
	for (const char *p = start; p < end && k + 1 < n; p++)
		buf[k++] = (isalnum((unsigned char)*p) || strchr("._-", *p)) ? *p : '_';
	buf[k] = '\0';
	return 0;
}

static void note(const struct ksource_opts *o, const char *what, const char *name)
{
	char msg[4400];

	if (!o->note)
		return;
	snprintf(msg, sizeof(msg), "%s %s", what, name);
	o->note(msg, o->note_arg);
}

static int download(const struct ksource_opts *o, const char *url, char *dest, size_t n,
		    struct error *err)
{
	struct http_options ho = { .cacert = o->cacert, .progress = o->progress };
	struct http_download req = { .url = url, .dest = dest, .want = o->want,
				     .expected_size = -1, .algs = DIGEST_F_SHA256 };
	struct http_download_result res;
	struct http *h;
	char name[256];
	int rc;

	if (url_file_name(url, name, sizeof(name), err) < 0)
		return -1;
	if ((size_t)snprintf(dest, n, "%s/%s", o->cache_dir, name) >= n)
		return error_set(err, ERR_IO, "%s: path too long", o->cache_dir);
	if (mkdir_p(o->cache_dir, 0755, err) < 0)
		return -1;
	/* Tags and release tarballs do not change: without a digest to check, a finished
	 * download is reused as it is. */
	if (!o->want && access(dest, R_OK) == 0)
		return 0;
	if (!http_url_allowed(url))
		return error_set(err, ERR_NETWORK, "%s: only https:// (or http:// to this machine) "
				 "is fetched", url);
	h = http_new(&ho, err);
	if (!h)
		return -1;
	note(o, "downloading", url);
	rc = http_download(h, &req, &res, err);
	http_free(h);
	return rc;
}

/* DIR/NAME into BUF, or an error when it does not fit. */
static int join(char *buf, size_t n, const char *dir, const char *name, struct error *err)
{
	if ((size_t)snprintf(buf, n, "%s/%s", dir, name) >= n)
		return error_set(err, ERR_IO, "%s/%s: path too long", dir, name);
	return 0;
}

/* DIR itself when it holds a Makefile, else its one sub-folder (tarballs wrap the tree
 * in linux-6.12/ or WSL2-Linux-Kernel-<tag>/). */
static int find_tree(const char *dir, char *buf, size_t n, struct error *err)
{
	char probe[4200], only[256] = "";
	int count = 0;
	struct dirent *d;
	DIR *dh;

	if (join(probe, sizeof(probe), dir, "Makefile", err) < 0)
		return -1;
	if (access(probe, R_OK) == 0) {
		if (strlen(dir) >= n)
			return error_set(err, ERR_IO, "%s: path too long", dir);
		memcpy(buf, dir, strlen(dir) + 1);
		return 0;
	}
	dh = opendir(dir);
	if (!dh)
		return error_set(err, ERR_IO, "cannot read %s: %s", dir, strerror(errno));
	while ((d = readdir(dh)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
		    strcmp(d->d_name, MARKER)) {
			count++;
			snprintf(only, sizeof(only), "%s", d->d_name);
		}
	closedir(dh);
	if (join(buf, n, dir, only, err) < 0 || join(probe, sizeof(probe), buf, "Makefile", err) < 0)
		return -1;
	if (count != 1 || access(probe, R_OK) != 0)
		return error_set(err, ERR_INVALID_FILE, "the archive holds no kernel tree (no "
				 "top-level Makefile, nor one folder holding one)");
	return 0;
}

/* The marker is ours: a regular file, never a link (the archive cannot hold its name). */
static bool marker_there(const char *dir)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = fstatat(fd, MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
	close(fd);
	return ok;
}

/* Writes the marker into the unpacked STAGING: created, never followed nor reused. */
static int marker_write(const char *staging, const char *archive, struct error *err)
{
	int dfd = open(staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), fd = -1;
	FILE *f = NULL;
	int rc = -1;

	if (dfd >= 0)
		fd = openat(dfd, MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0)
		f = fdopen(fd, "w");
	if (f && fprintf(f, "%s\n", archive) >= 0)
		rc = 0;
	if (f ? fclose(f) != 0 : fd >= 0 && close(fd) != 0)
		rc = -1;
	if (dfd >= 0)
		close(dfd);
	if (rc < 0)
		return error_set(err, ERR_IO, "cannot write %s/%s: %s", staging, MARKER,
				 strerror(errno));
	return 0;
}

/* Unpacks ARCHIVE into a fresh STAGING whose bytes must hash to SHA256 (the first pass's). */
static int unpack_into(const struct ksource_opts *o, const char *archive, const char *staging,
		       const char *sha256, struct error *err)
{
	struct digest_want same;
	struct unpack_opts uo = { .max_entries = SOURCE_MAX_ENTRIES,
				  .max_entry_size = SOURCE_MAX_ENTRY_SIZE,
				  .max_total = SOURCE_MAX_TOTAL, .allow_internal_links = true,
				  .reserved = MARKER, .want = &same, .checked = true };

	if (digest_parse(sha256, &same, err) < 0)
		return -1;
	note(o, "unpacking", archive);
	/* On every failure, a signal included, the half-made staging folder goes. */
	if (mkdir_p(staging, 0755, err) < 0 || unpack_all(archive, staging, &uo, err) < 0 ||
	    marker_write(staging, archive, err) < 0) {
		rm_rf(staging);
		return error_wrap(err, "unpacking %s", archive);
	}
	return 0;
}

static int count_entry(const char *name, uint64_t size, void *arg)
{
	(void)name;
	(void)size;
	(void)arg;
	return 0;
}

/*
 * Two passes over the tarball: the first judges every header and hashes it (the tree's
 * name is that digest, checked against --sha256), the second unpacks, and keeps the tree
 * only when its bytes hash the same (the file may change on disk in between).
 */
static int unpack_tree(const struct ksource_opts *o, const char *archive, struct ksource *src,
		       struct error *err)
{
	struct digest_result dr;
	struct unpack_opts uo = { .max_entries = SOURCE_MAX_ENTRIES,
				  .max_entry_size = SOURCE_MAX_ENTRY_SIZE,
				  .max_total = SOURCE_MAX_TOTAL, .allow_internal_links = true,
				  .reserved = MARKER, .want = o->want, .algs = DIGEST_F_SHA256,
				  .digest = &dr };
	char dir[4200], staging[4300];

	if (unpack_list(archive, &uo, count_entry, NULL, err) < 0)
		return error_wrap(err, "unpacking %s", archive);
	snprintf(src->sha256, sizeof(src->sha256), "%s", dr.sha256);
	if ((size_t)snprintf(dir, sizeof(dir), "%s/src/%.16s", o->work_dir, dr.sha256) >=
	    sizeof(dir))
		return error_set(err, ERR_IO, "%s: path too long", o->work_dir);
	if (!marker_there(dir)) {
		snprintf(staging, sizeof(staging), "%s/src/.%.16s.%ld", o->work_dir, dr.sha256,
			 (long)getpid());
		if (unpack_into(o, archive, staging, dr.sha256, err) < 0)
			return -1;
		/* The rename publishes the tree whole, marker included. */
		if (rename(staging, dir) != 0) {
			rm_rf(staging);
			return error_set(err, ERR_IO, "cannot publish %s: %s", dir, strerror(errno));
		}
		src->unpacked = true;
	}
	return find_tree(dir, src->tree, sizeof(src->tree), err);
}

int ksource_resolve(const struct ksource_opts *o, struct ksource *src, struct error *err)
{
	char url[4096], file[4200];
	struct stat st;

	memset(src, 0, sizeof(*src));
	snprintf(src->origin, sizeof(src->origin), "%s", o->spec);
	if (stat(o->spec, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			if (!realpath(o->spec, src->tree))
				return error_set(err, ERR_IO, "%s: %s", o->spec, strerror(errno));
			return 0;
		}
		if (!realpath(o->spec, file))
			return error_set(err, ERR_IO, "%s: %s", o->spec, strerror(errno));
		return unpack_tree(o, file, src, err);
	}
	if (!strncmp(o->spec, "https://", 8) || !strncmp(o->spec, "http://", 7)) {
		snprintf(url, sizeof(url), "%s", o->spec);
	} else if (ksource_is_tag(o->spec)) {
		snprintf(url, sizeof(url), "%s/%s.tar.gz",
			 o->archive_base ? o->archive_base : KSOURCE_ARCHIVE_BASE, o->spec);
		snprintf(src->origin, sizeof(src->origin), "%s", url);
	} else {
		return error_set(err, ERR_NOT_FOUND, "--source %s: no such folder or file (a "
				 "source is a kernel folder, a tarball, an https:// URL or a tag "
				 "such as linux-msft-wsl-6.18.35.2)", o->spec);
	}
	if (download(o, url, file, sizeof(file), err) < 0)
		return -1;
	return unpack_tree(o, file, src, err);
}
