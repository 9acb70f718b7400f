// SPDX-License-Identifier: MIT
/*
 * What feed.c and the kinds of feed share: spec pieces, version lists, the version in a
 * package's name. Calls no other feed file, so every feed file may call it.
 */
#include "feed_backend.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "version.h"

int feed_split_at(const char *rest, char *name, size_t nn, char *where, size_t wn,
		  const char *def)
{
	const char *at = strchr(rest, '@');
	size_t len = at ? (size_t)(at - rest) : strlen(rest);

	if (!len || len >= nn || (at && !at[1]))
		return -1;
	snprintf(name, nn, "%.*s", (int)len, rest);
	snprintf(where, wn, "%s", at ? at + 1 : def);
	return 0;
}

int feed_strv_push(char ***v, size_t *n, const char *s)
{
	char **grown = realloc(*v, (*n + 1) * sizeof(**v));

	if (!grown)
		return -1;
	*v = grown;
	grown[*n] = strdup(s);
	if (!grown[*n])
		return -1;
	(*n)++;
	return 0;
}

static int cmp_desc(const void *a, const void *b)
{
	return version_cmp(*(char *const *)b, *(char *const *)a);
}

void feed_strv_sort_desc(char **v, size_t n)
{
	if (n) /* qsort wants a non-NULL array even for no element */
		qsort(v, n, sizeof(*v), cmp_desc);
}

void feed_versions_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static const char *const package_exts[] = {
	".nupkg", ".zip", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.zst", ".tar.bz2", ".tar",
};

bool feed_version_from_name(const char *name, char *buf, size_t n)
{
	char stem[256];
	const char *base = strrchr(name, '/');
	size_t len;
	struct version v;

	snprintf(stem, sizeof(stem), "%s", base ? base + 1 : name);
	stem[strcspn(stem, "?#")] = '\0';
	len = strlen(stem);
	for (size_t i = 0; i < sizeof(package_exts) / sizeof(package_exts[0]); i++) {
		size_t el = strlen(package_exts[i]);

		if (len > el && !strcasecmp(stem + len - el, package_exts[i])) {
			stem[len - el] = '\0';
			break;
		}
	}
	/* The first tail that starts with a digit after a separator and parses whole. */
	for (char *p = stem; *p; p++) {
		if (!isdigit((unsigned char)*p) || (p > stem && !strchr(".-_", p[-1])))
			continue;
		if (version_parse(p, &v) == 0) {
			snprintf(buf, n, "%s", p);
			return true;
		}
	}
	return false;
}
