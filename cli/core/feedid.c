// SPDX-License-Identifier: MIT
#include "feedid.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define FEEDID_MAX 100 /* NuGet's limit for an id; GitHub's names are shorter */

bool feedid_name_ok(const char *s, size_t n)
{
	if (!n || n > FEEDID_MAX || (n == 1 && s[0] == '.') || (n == 2 && !memcmp(s, "..", 2)))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

int feedid_spec_check(const char *spec, char *why, size_t n)
{
	bool github = !strncmp(spec, "github:", 7);
	const char *id, *end, *slash;

	if (!github && strncmp(spec, "nuget:", 6))
		return 0;
	id = spec + (github ? 7 : 6);
	end = id + strcspn(id, "@");
	slash = github ? memchr(id, '/', (size_t)(end - id)) : NULL;
	if (github && slash && feedid_name_ok(id, (size_t)(slash - id)) &&
	    feedid_name_ok(slash + 1, (size_t)(end - slash - 1)))
		return 0;
	if (!github && feedid_name_ok(id, (size_t)(end - id)))
		return 0;
	snprintf(why, n, github ? "OWNER and REPO are each letters, digits, '.', '_' and '-' "
				  "(not . or ..), as github:OWNER/REPO"
				: "a NuGet package id is letters, digits, '.', '_' and '-' (not . or ..)");
	return -1;
}
