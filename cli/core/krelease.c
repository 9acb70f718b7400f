// SPDX-License-Identifier: MIT
#include "krelease.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MS_SUFFIX "-microsoft-standard-WSL2"
#define MS_LOCALVERSION "-microsoft-standard"

/* How many dot-separated numeric parts RELEASE starts with; *REST is what follows them. */
static int numeric_parts(const char *release, const char **rest)
{
	const char *p = release;
	int parts = 0;

	while (isdigit((unsigned char)*p)) {
		while (isdigit((unsigned char)*p))
			p++;
		parts++;
		if (p[0] != '.' || !isdigit((unsigned char)p[1]))
			break;
		p++;
	}
	*rest = p;
	return parts;
}

bool krelease_is_microsoft(const char *release, char *why, size_t n)
{
	const char *rest;
	int parts = numeric_parts(release, &rest);
	size_t ms = strlen(MS_SUFFIX);
	char buf[160];

	if (parts == 4 && !strcmp(rest, MS_SUFFIX))
		return true;
	if (parts == 4 && !strncmp(rest, MS_SUFFIX, ms) && rest[ms] == '+')
		snprintf(buf, sizeof(buf), "'+' after -WSL2: a tree with local changes");
	else if (parts == 4 && !strncmp(rest, MS_SUFFIX, ms))
		snprintf(buf, sizeof(buf), "'%.40s' after -WSL2: not a Microsoft release", rest + ms);
	else if (parts == 3 && !strncmp(rest, MS_LOCALVERSION, strlen(MS_LOCALVERSION)))
		/* Microsoft's own 4.19 and 5.4 releases had three parts too; they are far below
		 * the pool anyway, so calling them custom changes no verdict. */
		snprintf(buf, sizeof(buf), "three numeric parts: a tree built with Microsoft's "
			 "config, or an old 4.19/5.4 release; Microsoft's have four");
	else if (strstr(release, "microsoft"))
		snprintf(buf, sizeof(buf), "named with Microsoft's LOCALVERSION, not "
			 "N.N.N.N" MS_SUFFIX);
	else
		snprintf(buf, sizeof(buf), "not N.N.N.N" MS_SUFFIX);
	if (why && n)
		snprintf(why, n, "%s", buf);
	return false;
}
