// SPDX-License-Identifier: MIT
#include "ksource.h"

#include <ctype.h>
#include <errno.h>
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

/* A kernel tree has ~90,000 files and its own symlinks: not a package's limits. */
#define SOURCE_MAX_ENTRIES 1000000u

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

/* The last path segment of URL, made a safe file name. */
static void url_file_name(const char *url, char *buf, size_t n)
{
	const char *end = url + strcspn(url, "?#"), *start = end;
	size_t k = 0;

	while (start > url && start[-1] != '/')
		start--;
	for (const char *p = start; p < end && k + 1 < n; p++)
		buf[k++] = (isalnum((unsigned char)*p) || strchr("._-", *p)) ? *p : '_';
	buf[k] = '\0';
	if (!k || buf[0] == '.')
		snprintf(buf, n, "kernel-source.tar");
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

	url_file_name(url, name, sizeof(name));
	snprintf(dest, n, "%s/%s", o->cache_dir, name);
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
	fprintf(stderr, "downloading %s\n", url);
	rc = http_download(h, &req, &res, err);
	http_free(h);
	return rc;
}

/* DIR itself when it holds a Makefile, else its one sub-folder (tarballs wrap the tree
 * in linux-6.12/ or WSL2-Linux-Kernel-<tag>/). */
static int find_tree(const char *dir, char *buf, size_t n, struct error *err)
{
	char probe[4200], only[256] = "";
	int count = 0;
	struct dirent *d;
	DIR *dh;

	snprintf(probe, sizeof(probe), "%s/Makefile", dir);
	if (access(probe, R_OK) == 0) {
		snprintf(buf, n, "%s", dir);
		return 0;
	}
	dh = opendir(dir);
	if (!dh)
		return error_set(err, ERR_IO, "cannot read %s: %s", dir, strerror(errno));
	while ((d = readdir(dh)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
		    strcmp(d->d_name, ".wslctl-source")) {
			count++;
			snprintf(only, sizeof(only), "%s", d->d_name);
		}
	closedir(dh);
	snprintf(buf, n, "%s/%s", dir, only);
	snprintf(probe, sizeof(probe), "%s/Makefile", buf);
	if (count != 1 || access(probe, R_OK) != 0)
		return error_set(err, ERR_INVALID_FILE, "the archive holds no kernel tree (no "
				 "top-level Makefile, nor one folder holding one)");
	return 0;
}

static int unpack_tree(const struct ksource_opts *o, const char *archive, struct ksource *src,
		       struct error *err)
{
	struct unpack_opts uo = { .max_entries = SOURCE_MAX_ENTRIES,
				  .allow_internal_links = true };
	struct digest_result dr;
	char dir[4200], staging[4300], marker[4300];

	if (digest_file(archive, DIGEST_F_SHA256, &dr, err) < 0)
		return -1;
	if (o->want && digest_check(o->want, &dr, archive, err) < 0)
		return -1;
	snprintf(src->sha256, sizeof(src->sha256), "%s", dr.sha256);
	snprintf(dir, sizeof(dir), "%s/src/%.16s", o->work_dir, dr.sha256);
	snprintf(marker, sizeof(marker), "%s/.wslctl-source", dir);
	if (access(marker, F_OK) != 0) {
		FILE *f;

		snprintf(staging, sizeof(staging), "%s/src/.%.16s.%ld", o->work_dir, dr.sha256,
			 (long)getpid());
		if (mkdir_p(staging, 0755, err) < 0)
			return -1;
		fprintf(stderr, "unpacking %s\n", archive);
		if (unpack_all(archive, staging, &uo, err) < 0) {
			rmdir(staging);
			return error_wrap(err, "unpacking %s", archive);
		}
		/* The marker says the unpacking finished; the rename publishes it whole. */
		snprintf(marker, sizeof(marker), "%s/.wslctl-source", staging);
		f = fopen(marker, "w");
		if (!f || fprintf(f, "%s\n", archive) < 0 || fclose(f) != 0)
			return error_set(err, ERR_IO, "cannot write %s: %s", marker, strerror(errno));
		if (rename(staging, dir) != 0)
			return error_set(err, ERR_IO, "cannot publish %s: %s", dir, strerror(errno));
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
