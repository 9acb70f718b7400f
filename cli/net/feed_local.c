// SPDX-License-Identifier: MIT
/* URL and local-file feeds: one package, its version from --kernel-version or its name. */
#include "feed_backend.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int feed_local_parse(const char *rest, struct feed *f)
{
	snprintf(f->where, sizeof(f->where), "%s", rest);
	return 0;
}

int feed_local_resolve(const struct feed_fetch *net, const struct feed *f, const char *version,
		       struct feed_pkg *p, struct error *err)
{
	const char *base = strrchr(f->where, '/');
	struct stat st;

	snprintf(p->location, sizeof(p->location), "%s", f->where);
	snprintf(p->source, sizeof(p->source), "%s", f->where);
	if (snprintf(p->file_name, sizeof(p->file_name), "%s", base && base[1] ? base + 1 :
		     f->where) >= (int)sizeof(p->file_name))
		return error_set(err, ERR_INVALID_VALUE, "%s: the file name is too long (at most "
				 "%zu characters)", f->where, sizeof(p->file_name) - 1);
	p->file_name[strcspn(p->file_name, "?#")] = '\0';
	p->size = -1;
	if (f->kind == FEED_FILE) {
		if (stat(f->where, &st) < 0 || !S_ISREG(st.st_mode))
			return error_set(err, ERR_NOT_FOUND, "%s: no such package file", f->where);
		p->size = st.st_size;
	}
	if (version && *version)
		snprintf(p->version, sizeof(p->version), "%s", version);
	else if (!feed_version_from_name(p->file_name, p->version, sizeof(p->version)))
		return error_set(err, ERR_USAGE,
				 "%s: cannot tell the kernel version from the name; "
				 "give it with --kernel-version V", f->where);
	return 0;
}
