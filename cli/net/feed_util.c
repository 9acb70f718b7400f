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

/* The package suffix NAME ends with, as the table spells it ("" for none). */
static const char *package_ext(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(package_exts) / sizeof(package_exts[0]); i++) {
		size_t el = strlen(package_exts[i]);

		if (len >= el && !strncasecmp(name + len - el, package_exts[i], el))
			return package_exts[i];
	}
	return "";
}

bool feed_version_from_name(const char *name, char *buf, size_t n)
{
	char stem[256];
	const char *base = strrchr(name, '/');
	struct version v;

	snprintf(stem, sizeof(stem), "%s", base ? base + 1 : name);
	stem[strcspn(stem, "?#")] = '\0';
	stem[strlen(stem) - strlen(package_ext(stem, strlen(stem)))] = '\0';
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

bool feed_name_ok(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

	if (!*p || strchr(name, '/') || strchr(name, '\\') || strstr(name, ".."))
		return false;
	for (; *p; p++)
		/* C0, DEL, and C1 as UTF-8 spells it (U+0080..U+009F). */
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return false;
	return true;
}

int feed_cache_name(struct feed_pkg *p, const char *stem, const char *published,
		    struct error *err)
{
	size_t n = strlen(published);

	snprintf(p->file_name, sizeof(p->file_name), "%s%s", stem, package_ext(published, n));
	/* The same alphabet as the store's version folders: a single, plain file name. */
	if (p->file_name[0] == '.' || strstr(p->file_name, "..") ||
	    strspn(p->file_name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789._+-") != strlen(p->file_name))
		return error_set(err, ERR_INVALID_FILE, "version '%s' cannot name a file in the "
				 "store's cache (letters, digits, . _ + -)", p->version);
	return 0;
}

int feed_digest_text(json_t *obj, const char *key, const char **text, const char *what,
		     struct error *err)
{
	json_t *v = json_object_get(obj, key);
	char *dump;

	*text = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		*text = json_string_value(v);
		return 0;
	}
	dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	error_set(err, ERR_INVALID_FILE, "%s: \"%s\" is %.60s, not a digest string: "
		  "refusing a package that cannot be verified", what, key, dump ? dump : "?");
	free(dump);
	return -1;
}
