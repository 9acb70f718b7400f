// SPDX-License-Identifier: MIT
/* URL and local-file feeds: one package, its version from --kernel-version or its name. */
#include "feed_backend.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "hex.h"

int feed_local_parse(const char *rest, struct feed *f)
{
	snprintf(f->where, sizeof(f->where), "%s", rest);
	return 0;
}

/* The last segment of the URL or path WHERE (no query, no fragment) into BUF. */
static void last_segment(const struct feed *f, char *buf, size_t n)
{
	const char *base = strrchr(f->where, '/');

	snprintf(buf, n, "%s", base ? base + 1 : f->where);
	if (f->kind == FEED_URL)
		buf[strcspn(buf, "?#")] = '\0';
}

/*
 * %XX decoded in place: what a server (or a proxy) would take the segment to mean.
 * False when that holds a NUL.
 */
static bool percent_decode(char *s)
{
	char *w = s, *start = s;

	for (; *s; s++) {
		int hi = s[0] == '%' ? hexval(s[1]) : -1, lo = hi >= 0 ? hexval(s[2]) : -1;

		if (lo >= 0) {
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return strlen(start) == (size_t)(w - start);
}

int feed_local_resolve(const struct feed_fetch *net, const struct feed *f, const char *version,
		       struct feed_pkg *p, struct error *err)
{
	char seg[sizeof(f->where)], decoded[sizeof(f->where)], stem[sizeof(p->version) + 32];
	struct stat st;

	(void)net;
	snprintf(p->location, sizeof(p->location), "%s", f->where);
	snprintf(p->source, sizeof(p->source), "%s", f->where);
	last_segment(f, seg, sizeof(seg));
	snprintf(decoded, sizeof(decoded), "%s", seg);
	/* A URL's name is the server's; a local file's is the user's own. */
	if (f->kind == FEED_URL && seg[0] &&
	    (!feed_name_ok(seg) || !percent_decode(decoded) || !feed_name_ok(decoded)))
		return error_set(err, ERR_INVALID_FILE, "%s: the last part of the URL is not a "
				 "plain file name ('/', '\\', '..' or a control character, "
				 "also %%-encoded): refused", f->where);
	p->size = -1;
	if (f->kind == FEED_FILE) {
		/* A file named on the command line that is missing or not a file: bad input. */
		if (stat(f->where, &st) < 0)
			return error_set(err, ERR_INVALID_FILE, "%s: cannot use the package file: %s",
					 f->where, strerror(errno));
		if (!S_ISREG(st.st_mode))
			return error_set(err, ERR_INVALID_FILE, "%s: not a regular file", f->where);
		p->size = st.st_size;
	}
	if (version && *version)
		snprintf(p->version, sizeof(p->version), "%s", version);
	else if (!feed_version_from_name(seg, p->version, sizeof(p->version)))
		return error_set(err, ERR_USAGE,
				 "%s: cannot tell the kernel version from the name; "
				 "give it with --kernel-version V", f->where);
	snprintf(stem, sizeof(stem), "%s.%s.%s", f->kind == FEED_URL ? "url" : "file",
		 p->version, f->arch);
	return feed_cache_name(p, stem, seg, err);
}
