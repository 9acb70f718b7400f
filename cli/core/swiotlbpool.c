// SPDX-License-Identifier: MIT
/* SWIOTLB pool folders in debugfs, matched by pattern (swiotlbpool.h). */
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swiotlbpool.h"

#define DEBUGFS "/sys/kernel/debug"

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct swiotlbpool *)a)->dir, ((const struct swiotlbpool *)b)->dir);
}

/* Adds the folders in debugfs/SUB (SUB "" for the root) whose names match the pattern. */
static int scan(const char *root, const char *sub, struct swiotlbpool *out, int n, int max)
{
	char path[1024];
	struct dirent *d;
	DIR *dir;

	sysprobe_path(root, sub[0] ? DEBUGFS "/swiotlb" : DEBUGFS, path, sizeof(path));
	dir = opendir(path);
	if (!dir)
		return n;
	while (n < max && (d = readdir(dir))) {
		char rel[256];

		/* Pool names are short; a longer one would not fit the counters' paths. */
		if (fnmatch(SWIOTLBPOOL_PATTERN, d->d_name, 0) || strlen(d->d_name) > 64)
			continue;
		snprintf(rel, sizeof(rel), DEBUGFS "/%s%.64s/io_tlb_nslabs", sub, d->d_name);
		if (!sysprobe_exists(root, rel))
			continue;
		snprintf(out[n].dir, sizeof(out[n].dir), "%s%.64s", sub, d->d_name);
		out[n++].dedicated = true;
	}
	closedir(dir);
	return n;
}

int swiotlbpool_find(const char *root, bool with_default, struct swiotlbpool *out, int max)
{
	int n = scan(root, "", out, 0, max);

	n = scan(root, "swiotlb/", out, n, max);
	qsort(out, (size_t)n, sizeof(*out), by_name);
	if (with_default && n < max && sysprobe_exists(root, DEBUGFS "/swiotlb/io_tlb_nslabs")) {
		snprintf(out[n].dir, sizeof(out[n].dir), SWIOTLBPOOL_DEFAULT);
		out[n++].dedicated = false;
	}
	return n;
}

int swiotlbpool_read(const char *root, const struct swiotlbpool *p, struct swiotlb_usage *u)
{
	int r = sysprobe_swiotlb_usage(root, p->dedicated ? p->dir : NULL, u);

	return r == 1 ? 1 : -1;
}

int swiotlbpool_used(const char *root, const struct swiotlbpool *p, uint64_t *used)
{
	char rel[sizeof(p->dir) + 64];

	snprintf(rel, sizeof(rel), DEBUGFS "/%s/io_tlb_used", p->dir);
	return sysprobe_read_u64(root, rel, used) < 0 ? -1 : 0;
}
