// SPDX-License-Identifier: MIT
/* Feed specs, and the table of kinds that parses, lists and resolves each. */
#include "feed_backend.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "feedid.h"
#include "http.h"

struct feed_kind_ops {
	enum feed_kind kind;
	const char *prefix;                /* the spec starts with it; NULL: `claims` tells */
	bool (*claims)(const char *spec);  /* NULL for the last kind: it takes the rest */
	bool remote;                       /* f->where is a URL http_url_allowed must take */
	int (*parse)(const char *rest, struct feed *f);
	/* NULL: the one version resolve finds with none asked for. */
	int (*versions)(const struct feed_fetch *net, const struct feed *f, char ***out,
			size_t *n, struct error *err);
	int (*resolve)(const struct feed_fetch *net, const struct feed *f, const char *version,
		       struct feed_pkg *p, struct error *err);
};

static bool is_url(const char *spec)
{
	return strstr(spec, "://") != NULL;
}

/* In the order a spec is tried: the prefixed kinds, then a URL; anything else is a file. */
static const struct feed_kind_ops kinds[] = {
	{ .kind = FEED_NUGET, .prefix = "nuget:", .remote = true, .parse = feed_nuget_parse,
	  .versions = feed_nuget_versions, .resolve = feed_nuget_resolve },
	{ .kind = FEED_GITHUB, .prefix = "github:", .remote = true, .parse = feed_github_parse,
	  .versions = feed_github_versions, .resolve = feed_github_resolve },
	{ .kind = FEED_URL, .claims = is_url, .remote = true, .parse = feed_local_parse,
	  .resolve = feed_local_resolve },
	{ .kind = FEED_FILE, .parse = feed_local_parse, .resolve = feed_local_resolve },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct feed_kind_ops *kind_of_spec(const char *spec)
{
	size_t i;

	for (i = 0; i + 1 < NKINDS; i++) {
		const char *pre = kinds[i].prefix;

		if (pre ? !strncmp(spec, pre, strlen(pre)) : kinds[i].claims(spec))
			return &kinds[i];
	}
	return &kinds[i];
}

static const struct feed_kind_ops *kind_of(const struct feed *f)
{
	size_t i;

	for (i = 0; i + 1 < NKINDS && kinds[i].kind != f->kind; i++)
		;
	return &kinds[i];
}

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

int feed_parse(const char *spec, const char *arch, struct feed *f, struct error *err)
{
	const struct feed_kind_ops *k;
	char why[160];

	memset(f, 0, sizeof(*f));
	f->arch = arch ? arch : feed_host_arch();
	if (!spec || !*spec)
		return bad_spec("", err);
	/* The id becomes part of URLs and of the cache's names: never "../" or the like. */
	if (feedid_spec_check(spec, why, sizeof(why)) < 0)
		return error_set(err, ERR_USAGE, "--feed '%s': %s", spec, why);
	k = kind_of_spec(spec);
	f->kind = k->kind;
	if (k->parse(spec + (k->prefix ? strlen(k->prefix) : 0), f) < 0)
		return bad_spec(spec, err);
	if (k->remote && !http_url_allowed(f->where))
		return error_set(err, ERR_USAGE,
				 "--feed '%s': only https:// (plain http:// only to loopback)", spec);
	return 0;
}

int feed_versions(const struct feed_fetch *net, const struct feed *f, char ***out, size_t *n,
		  struct error *err)
{
	const struct feed_kind_ops *k = kind_of(f);
	struct feed_pkg p;

	*out = NULL;
	*n = 0;
	if (k->versions)
		return k->versions(net, f, out, n, err);
	if (feed_resolve(net, f, NULL, &p, err) < 0)
		return -1;
	if (feed_strv_push(out, n, p.version) < 0)
		return error_set(err, ERR_IO, "out of memory");
	return 0;
}

int feed_resolve(const struct feed_fetch *net, const struct feed *f, const char *version,
		 struct feed_pkg *p, struct error *err)
{
	memset(p, 0, sizeof(*p));
	p->size = -1;
	return kind_of(f)->resolve(net, f, version, p, err);
}
