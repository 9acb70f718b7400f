/* SPDX-License-Identifier: MIT */
/*
 * What feed.c's table of kinds names, and the helpers the kinds share (feed_util.c).
 * For feed*.c only: callers use feed.h. Each kind's functions get the spec or the parsed
 * feed and the caller's fetch; none calls back into feed.c.
 */
#ifndef WSLCTL_FEED_BACKEND_H
#define WSLCTL_FEED_BACKEND_H

#include "feed.h"

/*
 * One kind: parse fills f->id and f->where from the spec after the kind's prefix (-1:
 * malformed); versions lists newest first into an empty array; resolve fills P, which
 * comes zeroed with size -1.
 */
int feed_nuget_parse(const char *rest, struct feed *f);
int feed_nuget_versions(const struct feed_fetch *net, const struct feed *f, char ***out,
			size_t *n, struct error *err);
int feed_nuget_resolve(const struct feed_fetch *net, const struct feed *f, const char *version,
		       struct feed_pkg *p, struct error *err);
int feed_github_parse(const char *rest, struct feed *f);
int feed_github_versions(const struct feed_fetch *net, const struct feed *f, char ***out,
			 size_t *n, struct error *err);
int feed_github_resolve(const struct feed_fetch *net, const struct feed *f,
			const char *version, struct feed_pkg *p, struct error *err);
/* URL and file feeds: one package, the spec itself; nothing fetched. */
int feed_local_parse(const char *rest, struct feed *f);
int feed_local_resolve(const struct feed_fetch *net, const struct feed *f, const char *version,
		       struct feed_pkg *p, struct error *err);

/* "NAME@URL": the name before the first '@', the URL after it (or DEF); -1 malformed. */
int feed_split_at(const char *rest, char *name, size_t nn, char *where, size_t wn,
		  const char *def);
/* Appends a copy of S to a growing string array; -1 when out of memory. */
int feed_strv_push(char ***v, size_t *n, const char *s);
/* Sorts versions newest first. */
void feed_strv_sort_desc(char **v, size_t n);

/*
 * A name a server supplied (asset name, a URL's last segment) that could be taken for a
 * file name: not empty, no '/', '\', "..", and no control character (C0, DEL, C1).
 * Such names are refused, never cleaned up; and none becomes a path even when it passes.
 */
bool feed_name_ok(const char *name);
/*
 * P->file_name, the download cache's name: STEM (the tool's: id, version, architecture)
 * and the package suffix PUBLISHED ends with (".nupkg", ".tar.gz"..., from a fixed table;
 * none for a bare image). ERR_INVALID_FILE when STEM holds anything but letters, digits
 * and . _ + - (a version that cannot name a file), starts with '.' or holds "..".
 */
int feed_cache_name(struct feed_pkg *p, const char *stem, const char *published,
		    struct error *err);
/*
 * The digest field KEY of OBJ: *TEXT NULL when absent or JSON null (nothing published),
 * the string otherwise; any other JSON type is ERR_INVALID_FILE naming WHAT.
 */
int feed_digest_text(json_t *obj, const char *key, const char **text, const char *what,
		     struct error *err);

#endif
