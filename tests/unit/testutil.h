/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by the cmocka tests. Each tests/unit/test_*.c is built alone,
 * so they live here as static inline functions rather than in a library.
 */
#ifndef WSLCTL_TEST_UTIL_H
#define WSLCTL_TEST_UTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline int testutil_rm_cb(const char *p, const struct stat *st, int f, struct FTW *ftw)
{
	(void)st;
	(void)f;
	(void)ftw;
	remove(p);
	return 0;
}

/* Removes PATH and everything under it, without following symbolic links; 0 or -1. */
static inline int rm_tree(const char *path)
{
	return nftw(path, testutil_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* The text of the file at PATH (up to 64 KiB) in a static buffer, or NULL if unreadable. */
static inline char *read_text(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Writes ROOT/REL (an existing ROOT), making the folders between; 0 or -1. */
static inline int put_under(const char *root, const char *rel, const char *text)
{
	char path[1024], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* The scratch folder of a program whose tests run as one group:
 * cmocka_run_group_tests(tests, scratch_setup, scratch_teardown). */
static char scratch_dir[] __attribute__((unused)) = "/tmp/wslctl-test.XXXXXX";

static inline int scratch_setup(void **state)
{
	(void)state;
	return mkdtemp(scratch_dir) ? 0 : -1;
}

static inline int scratch_teardown(void **state)
{
	(void)state;
	return rm_tree(scratch_dir) == 0 ? 0 : -1;
}

#endif
