// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: archive listing and extraction (zip, tar and its compressed forms,
 * whatever libarchive detects) on any bytes. The first input byte picks the options
 * (internal links, OPC names, strip components, small limits); the rest is the archive.
 * Properties: nothing appears outside the staging folder; a refused archive leaves
 * staging empty; an extracted tree holds only regular files, folders and (when allowed)
 * links that stay inside staging; unpack_members leaves no .part file behind.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unpack.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "property failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static char box[64], staging[96], archive[96], real_staging[PATH_MAX];
static unsigned nfiles;

static int list_cb(const char *name, uint64_t size, void *arg)
{
	CHECK(name);
	(*(unsigned *)arg)++;
	return 0;
}

/* Names in DIR other than KEEP (NULL: any name counts). */
static unsigned count_entries(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned n = 0;

	CHECK(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    (!keep || strcmp(de->d_name, keep)))
			n++;
	closedir(d);
	return n;
}

static int check_node(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	nfiles++;
	CHECK(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode) || S_ISLNK(st->st_mode));
	CHECK(!(st->st_mode & (S_ISUID | S_ISGID)));
	if (S_ISLNK(st->st_mode)) {
		char res[PATH_MAX];

		/* A link resolves inside staging (or dangles inside it). */
		if (realpath(path, res))
			CHECK(!strncmp(res, real_staging, strlen(real_staging)));
	}
	return 0;
}

static int rm_node(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

static void empty_dir(const char *dir)
{
	nftw(dir, rm_node, 16, FTW_DEPTH | FTW_PHYS);
	CHECK(mkdir(dir, 0700) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct unpack_opts o = { 0 };
	struct error err = { 0 };
	unsigned listed = 0;
	FILE *f;

	if (size < 1)
		return 0;
	if (!box[0]) {
		snprintf(box, sizeof(box), "%s", fuzz_scratch("unpack"));
		snprintf(staging, sizeof(staging), "%s/staging", box);
		snprintf(archive, sizeof(archive), "%s/archive", box);
		CHECK(mkdir(staging, 0700) == 0);
		CHECK(realpath(staging, real_staging));
	}
	o.allow_internal_links = data[0] & 1;
	o.percent_decode = data[0] & 2;
	o.strip_components = (data[0] >> 2) & 3;
	if (data[0] & 0x10) {
		o.max_entries = 8;
		o.max_entry_size = 4096;
	}
	f = fopen(archive, "wb");
	CHECK(f);
	CHECK(size == 1 || fwrite(data + 1, 1, size - 1, f) == size - 1);
	CHECK(fclose(f) == 0);

	if (unpack_list(archive, &o, list_cb, &listed, &err) < 0)
		CHECK(err.message[0]);

	memset(&err, 0, sizeof(err));
	nfiles = 0;
	if (unpack_all(archive, staging, &o, &err) == 0) {
		nftw(staging, check_node, 16, FTW_PHYS);
	} else {
		CHECK(err.message[0]);
		CHECK(count_entries(staging, NULL) == 0);
	}
	/* Besides the archive and staging, nothing was created next to them. */
	CHECK(count_entries(box, NULL) == 2);
	empty_dir(staging);

	if (data[0] & 0x20) {
		char d1[128], d2[128];
		struct unpack_member m[2] = {
			{ .name = "build/native/bin/x64/kernel", .dest = d1,
			  .algs = DIGEST_F_SHA256 },
			{ .name = "build/native/bin/x64/modules.vhd", .dest = d2, .optional = true },
		};

		snprintf(d1, sizeof(d1), "%s/kernel", staging);
		snprintf(d2, sizeof(d2), "%s/modules.vhd", staging);
		memset(&err, 0, sizeof(err));
		if (unpack_members(archive, m, 2, &o, &err) == 0) {
			CHECK(m[0].found);
			CHECK(count_entries(staging, NULL) == 1u + m[1].found);
		} else {
			CHECK(count_entries(staging, NULL) == 0);
		}
		CHECK(count_entries(box, NULL) == 2);
		empty_dir(staging);
	}
	return 0;
}
