// SPDX-License-Identifier: MIT
/* Feed specs, and dispatch to the kind of feed. */
#include "feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "version.h"

const char *feed_host_arch(void)
{
	struct utsname u;

	if (uname(&u) == 0 && (!strcmp(u.machine, "aarch64") || !strncmp(u.machine, "arm64", 5)))
		return "arm64";
	return "x64";
}

static int bad_spec(const char *spec, struct error *err)
{
	return error_set(err, ERR_USAGE,
			 "--feed '%s': expected nuget:ID[@SERVICE-INDEX-URL], "
			 "github:OWNER/REPO[@API-BASE-URL], an https:// URL or a local file",
			 spec);
}

/* "NAME@URL": the name before the first '@', the URL after it (or DEFAULT). */
static int split_at(const char *rest, char *name, size_t nn, char *where, size_t wn,
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

int feed_parse(const char *spec, const char *arch, struct feed *f, struct error *err)
{
	memset(f, 0, sizeof(*f));
	f->arch = arch ? arch : feed_host_arch();
	if (!spec || !*spec)
		return bad_spec("", err);
	if (!strncmp(spec, "nuget:", 6)) {
		f->kind = FEED_NUGET;
		if (split_at(spec + 6, f->id, sizeof(f->id), f->where, sizeof(f->where),
			     FEED_NUGET_DEFAULT) < 0)
			return bad_spec(spec, err);
	} else if (!strncmp(spec, "github:", 7)) {
		const char *slash;

		f->kind = FEED_GITHUB;
		if (split_at(spec + 7, f->id, sizeof(f->id), f->where, sizeof(f->where),
			     "https://api.github.com") < 0)
			return bad_spec(spec, err);
		slash = strchr(f->id, '/');
		if (!slash || slash == f->id || !slash[1] || strchr(slash + 1, '/'))
			return bad_spec(spec, err);
	} else if (strstr(spec, "://")) {
		f->kind = FEED_URL;
		snprintf(f->where, sizeof(f->where), "%s", spec);
	} else {
		f->kind = FEED_FILE;
		snprintf(f->where, sizeof(f->where), "%s", spec);
		return 0;
	}
	while (strlen(f->where) > 1 && f->where[strlen(f->where) - 1] == '/' && f->kind == FEED_GITHUB)
		f->where[strlen(f->where) - 1] = '\0';
	if (!http_url_allowed(f->where))
		return error_set(err, ERR_USAGE,
				 "--feed '%s': only https:// (plain http:// only to loopback)", spec);
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

void feed_versions_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int feed_versions(struct http *h, const struct feed *f, char ***out, size_t *n,
		  struct error *err)
{
	struct feed_pkg p;

	*out = NULL;
	*n = 0;
	switch (f->kind) {
	case FEED_NUGET:
		return feed_nuget_versions(h, f, out, n, err);
	case FEED_GITHUB:
		return feed_github_versions(h, f, out, n, err);
	case FEED_URL:
	case FEED_FILE:
		break;
	}
	if (feed_local_resolve(f, NULL, &p, err) < 0)
		return -1;
	if (feed_strv_push(out, n, p.version) < 0)
		return error_set(err, ERR_IO, "out of memory");
	return 0;
}

int feed_resolve(struct http *h, const struct feed *f, const char *version,
		 struct feed_pkg *p, struct error *err)
{
	memset(p, 0, sizeof(*p));
	p->size = -1;
	switch (f->kind) {
	case FEED_NUGET:
		return feed_nuget_resolve(h, f, version, p, err);
	case FEED_GITHUB:
		return feed_github_resolve(h, f, version, p, err);
	case FEED_URL:
	case FEED_FILE:
		break;
	}
	return feed_local_resolve(f, version, p, err);
}
