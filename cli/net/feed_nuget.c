// SPDX-License-Identifier: MIT
/*
 * NuGet v3 feeds: the service index names the flat container (PackageBaseAddress: version
 * list and .nupkg downloads, id and version lower-cased) and the registrations
 * (RegistrationsBaseUrl: leaf -> catalog entry -> packageHash, where the feed has one).
 */
#include "feed_backend.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "version.h"

struct nuget_index {
	char flat[2048];  /* PackageBaseAddress, with a trailing '/' */
	char reg[2048];   /* RegistrationsBaseUrl, "" when the feed has none */
};

static void lower(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static void with_slash(char *dst, size_t n, const char *url)
{
	size_t len = strlen(url);

	snprintf(dst, n, "%s%s", url, len && url[len - 1] == '/' ? "" : "/");
}

/* "PackageBaseAddress/3.0.0" matches "PackageBaseAddress"; so do other version suffixes. */
static bool type_is(const char *type, const char *want)
{
	size_t n = strlen(want);

	return type && !strncmp(type, want, n) && (type[n] == '\0' || type[n] == '/');
}

int feed_nuget_parse(const char *rest, struct feed *f)
{
	return feed_split_at(rest, f->id, sizeof(f->id), f->where, sizeof(f->where),
			     FEED_NUGET_DEFAULT);
}

static int load_index(const struct feed_fetch *net, const struct feed *f,
		      struct nuget_index *ix, struct error *err)
{
	json_t *root, *res, *r;
	size_t i;

	memset(ix, 0, sizeof(*ix));
	if (net->get_json(net->ctx, f->where, &root, err) < 0)
		return error_wrap(err, "NuGet service index");
	res = json_object_get(root, "resources");
	json_array_foreach(res, i, r) {
		const char *type = json_string_value(json_object_get(r, "@type"));
		const char *id = json_string_value(json_object_get(r, "@id"));

		if (!id)
			continue;
		if (!ix->flat[0] && type_is(type, "PackageBaseAddress"))
			with_slash(ix->flat, sizeof(ix->flat), id);
		else if (!ix->reg[0] && type_is(type, "RegistrationsBaseUrl"))
			with_slash(ix->reg, sizeof(ix->reg), id);
	}
	json_decref(root);
	if (!ix->flat[0])
		return error_set(err, ERR_INVALID_FILE,
				 "%s: not a NuGet v3 service index (no PackageBaseAddress resource)",
				 f->where);
	return 0;
}

static int list_versions(const struct feed_fetch *net, const struct feed *f,
			 const struct nuget_index *ix, char ***out, size_t *n, struct error *err)
{
	char id[256], url[4096];
	json_t *root, *vs, *v;
	size_t i;

	lower(id, sizeof(id), f->id);
	snprintf(url, sizeof(url), "%s%s/index.json", ix->flat, id);
	if (net->get_json(net->ctx, url, &root, err) < 0)
		return error_wrap(err, "versions of %s", f->id);
	vs = json_object_get(root, "versions");
	if (!json_is_array(vs)) {
		json_decref(root);
		return error_set(err, ERR_INVALID_FILE, "%s: no \"versions\" list", url);
	}
	json_array_foreach(vs, i, v) {
		const char *s = json_string_value(v);
		struct version parsed;

		if (!s || version_parse(s, &parsed) < 0)
			continue;
		if (feed_strv_push(out, n, s) < 0) {
			json_decref(root);
			return error_set(err, ERR_IO, "out of memory");
		}
	}
	json_decref(root);
	feed_strv_sort_desc(*out, *n);
	return 0;
}

int feed_nuget_versions(const struct feed_fetch *net, const struct feed *f, char ***out,
			size_t *n, struct error *err)
{
	struct nuget_index ix;

	if (load_index(net, f, &ix, err) < 0)
		return -1;
	return list_versions(net, f, &ix, out, n, err);
}

/*
 * The packageHash of a catalog ENTRY: 1 found, 0 none published (absent or JSON null),
 * -1 ERR_INVALID_FILE when either field is there but is not a well-formed string of
 * its kind: a hash that cannot be checked is not "no hash".
 */
static int entry_hash(json_t *entry, const char *id, const char *version,
		      struct digest_want *want, struct error *err)
{
	const char *hash, *alg;
	char what[400];
	enum digest_alg a;

	snprintf(what, sizeof(what), "catalog entry of %.100s %.200s", id, version);
	if (feed_digest_text(entry, "packageHash", &hash, what, err) < 0 ||
	    feed_digest_text(entry, "packageHashAlgorithm", &alg, what, err) < 0)
		return -1;
	if (!hash)
		return 0;
	a = !alg || !strcasecmp(alg, "SHA512") ? DIGEST_SHA512
	    : !strcasecmp(alg, "SHA256")       ? DIGEST_SHA256
					       : DIGEST_NONE;
	if (a == DIGEST_NONE)
		return error_set(err, ERR_INVALID_FILE, "%s: unknown packageHashAlgorithm "
				 "'%.40s': refusing a package that cannot be verified", what, alg);
	if (digest_parse_base64(hash, a, want, err) < 0) {
		err->code = ERR_INVALID_FILE;
		return error_wrap(err, "%s: refusing a package that cannot be verified", what);
	}
	return 1;
}

/*
 * The catalog's packageHash (and packageSize, into *SIZE) for ID/VERSION: 1 found, 0 the
 * feed publishes none, -1 error.
 * A registration leaf names its catalog entry by URL; a registration page may inline it.
 */
static int package_hash(const struct feed_fetch *net, const struct nuget_index *ix,
			const char *id, const char *version, struct digest_want *want,
			int64_t *size, struct error *err)
{
	char url[4096];
	json_t *leaf, *entry, *catalog = NULL;
	struct error e2;
	int rc = 0;

	if (!ix->reg[0])
		return 0;
	snprintf(url, sizeof(url), "%s%s/%s.json", ix->reg, id, version);
	if (net->get_json(net->ctx, url, &leaf, &e2) < 0) {
		if (e2.code == ERR_NOT_FOUND)
			return 0;
		*err = e2;
		return error_wrap(err, "registration of %s %s", id, version);
	}
	entry = json_object_get(leaf, "catalogEntry");
	if (json_is_string(entry)) {
		if (net->get_json(net->ctx, json_string_value(entry), &catalog, &e2) < 0) {
			json_decref(leaf);
			if (e2.code == ERR_NOT_FOUND)
				return 0;
			*err = e2;
			return error_wrap(err, "catalog entry of %s %s", id, version);
		}
		entry = catalog;
	}
	if (json_is_integer(json_object_get(entry, "packageSize")) &&
	    json_integer_value(json_object_get(entry, "packageSize")) >= 0)
		*size = json_integer_value(json_object_get(entry, "packageSize"));
	rc = entry_hash(entry, id, version, want, err);
	json_decref(catalog);
	json_decref(leaf);
	return rc;
}

int feed_nuget_resolve(const struct feed_fetch *net, const struct feed *f, const char *version,
		       struct feed_pkg *p, struct error *err)
{
	struct nuget_index ix;
	char id[256], ver[128], stem[sizeof(id) + sizeof(ver)];
	char **vs = NULL;
	size_t n = 0;
	const char *found = NULL;

	if (load_index(net, f, &ix, err) < 0 || list_versions(net, f, &ix, &vs, &n, err) < 0) {
		feed_versions_free(vs, n);
		return -1;
	}
	/* NuGet versions match case-insensitively and without build metadata. */
	for (size_t i = 0; i < n && !found; i++)
		if (!version || version_cmp(vs[i], version) == 0)
			found = vs[i];
	if (!found) {
		error_set(err, ERR_NOT_FOUND, "%s %s is not on the feed %s%s%s", f->id,
			  version ? version : "(any version)", f->where,
			  n ? "; newest there: " : "", n ? vs[0] : "");
		feed_versions_free(vs, n);
		return -1;
	}
	lower(id, sizeof(id), f->id);
	lower(ver, sizeof(ver), found);
	ver[strcspn(ver, "+")] = '\0';
	snprintf(p->version, sizeof(p->version), "%s", found);
	p->version[strcspn(p->version, "+")] = '\0';
	feed_versions_free(vs, n);
	if (snprintf(p->location, sizeof(p->location), "%s%s/%s/%s.%s.nupkg", ix.flat, id, ver,
		     id, ver) >= (int)sizeof(p->location) ||
	    snprintf(p->source, sizeof(p->source), "nuget:%s@%s", f->id, f->where) >=
		    (int)sizeof(p->source))
		return error_set(err, ERR_INVALID_VALUE, "%s %s on %s: the package's address is "
				 "too long", f->id, p->version, f->where);
	p->size = -1;
	/* ID.VERSION.nupkg, as the feed's own flat container names it: the id passed feedid
	 * and the version version_parse. */
	snprintf(stem, sizeof(stem), "%s.%s", id, ver);
	if (feed_cache_name(p, stem, ".nupkg", err) < 0)
		return -1;
	return package_hash(net, &ix, id, ver, &p->want, &p->size, err) < 0 ? -1 : 0;
}
