// SPDX-License-Identifier: MIT
/* URL and local-file feeds: one package, its version from --kernel-version or its name. */
#include "feed.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "version.h"

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

int feed_local_resolve(const struct feed *f, const char *version, struct feed_pkg *p,
		       struct error *err)
{
	const char *base = strrchr(f->where, '/');
	struct stat st;

	snprintf(p->location, sizeof(p->location), "%s", f->where);
	snprintf(p->source, sizeof(p->source), "%s", f->where);
	snprintf(p->file_name, sizeof(p->file_name), "%s", base && base[1] ? base + 1 : f->where);
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
