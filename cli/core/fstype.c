// SPDX-License-Identifier: MIT
/* The transport under a path, from /proc/self/mountinfo (fstype.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fstype.h"
#include "fsutil.h"
#include "sysprobe.h"

#define MOUNTINFO_MAX (4 << 20)

/* Copies the space-ended field at P into OUT, decoding mountinfo's \ooo escapes. */
static const char *field(const char *p, char *out, size_t n)
{
	size_t k = 0;

	while (*p && *p != ' ' && *p != '\n') {
		int c = (unsigned char)*p++;

		if (c == '\\' && p[0] >= '0' && p[0] <= '3' && p[1] >= '0' && p[1] <= '7' &&
		    p[2] >= '0' && p[2] <= '7') {
			c = (p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0');
			p += 3;
		}
		if (k + 1 < n)
			out[k++] = (char)c;
	}
	out[k] = '\0';
	return *p == ' ' ? p + 1 : p;
}

/* POINT is PATH or a folder above it. */
static size_t covers(const char *point, const char *path)
{
	size_t len = strlen(point);

	if (!strcmp(point, "/"))
		return 1;
	if (strncmp(point, path, len) || (path[len] && path[len] != '/'))
		return 0;
	return len;
}

/* One mountinfo line: "ID PARENT MAJ:MIN ROOT POINT OPTS [TAGS...] - TYPE SOURCE ...". */
static int parse_line(const char *line, struct fstype *m)
{
	char skip[PATH_MAX];
	const char *p = line, *dash;

	for (int i = 0; i < 4; i++)
		p = field(p, skip, sizeof(skip));
	p = field(p, m->point, sizeof(m->point));
	dash = strstr(p, " - ");
	if (!dash || !m->point[0])
		return -1;
	p = field(dash + 3, m->type, sizeof(m->type));
	field(p, m->source, sizeof(m->source));
	return m->type[0] ? 0 : -1;
}

int fstype_from_mountinfo(const char *text, const char *path, struct fstype *out)
{
	struct fstype m;
	size_t best = 0;

	snprintf(out->type, sizeof(out->type), "unknown");
	out->source[0] = out->point[0] = '\0';
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len;

		if (parse_line(line, &m) == 0 && (len = covers(m.point, path)) && len >= best) {
			best = len;
			*out = m;
		}
		line = nl ? nl + 1 : NULL;
	}
	return best ? 0 : -1;
}

int fstype_of_path(const char *root, const char *path, struct fstype *out)
{
	char real[PATH_MAX], table[PATH_MAX];
	char *text;
	size_t len;
	int r;

	snprintf(out->type, sizeof(out->type), "unknown");
	out->source[0] = out->point[0] = '\0';
	if (!realpath(path, real))
		return -1;
	sysprobe_path(root, "/proc/self/mountinfo", table, sizeof(table));
	text = read_file(table, MOUNTINFO_MAX, &len);
	if (!text)
		return -1;
	r = fstype_from_mountinfo(text, real, out);
	free(text);
	if (r < 0)
		errno = ENOENT;
	return r;
}
