// SPDX-License-Identifier: MIT
/*
 * GitHub releases as a kernel feed (third-party WSL kernel builds): stable is the newest
 * release not marked prerelease, --pre-release the newest of all; drafts never count.
 * The asset is picked by architecture and verified against its published "digest".
 */
#include "feed_backend.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "version.h"

/* The release's version: the NuGet-style version its tag carries ("v6.18.35.2-1",
 * "linux-msft-wsl-6.6.87.2"), else the numbers of its name, else of its tag. */
static void release_version(json_t *rel, char *buf, size_t n)
{
	const char *name = json_string_value(json_object_get(rel, "name"));
	const char *tag = json_string_value(json_object_get(rel, "tag_name"));

	buf[0] = '\0';
	if (tag && feed_version_from_name(tag + (tag[0] == 'v' || tag[0] == 'V'), buf, n))
		return;
	if (!(name && version_from_text(name, buf, n)) && tag)
		version_from_text(tag, buf, n);
}

static bool wanted(json_t *rel, bool pre_release)
{
	return !json_is_true(json_object_get(rel, "draft")) &&
	       (pre_release || !json_is_true(json_object_get(rel, "prerelease")));
}

int feed_github_parse(const char *rest, struct feed *f)
{
	const char *slash;
	size_t len;

	if (feed_split_at(rest, f->id, sizeof(f->id), f->where, sizeof(f->where),
			  "https://api.github.com") < 0)
		return -1;
	slash = strchr(f->id, '/');
	if (!slash || slash == f->id || !slash[1] || strchr(slash + 1, '/'))
		return -1;
	while ((len = strlen(f->where)) > 1 && f->where[len - 1] == '/')
		f->where[len - 1] = '\0';
	return 0;
}

static int get_releases(const struct feed_fetch *net, const struct feed *f, json_t **out,
			struct error *err)
{
	char url[4096];

	snprintf(url, sizeof(url), "%s/repos/%s/releases?per_page=100", f->where, f->id);
	if (net->get_json(net->ctx, url, out, err) < 0)
		return error_wrap(err, "releases of %s", f->id);
	if (!json_is_array(*out)) {
		json_decref(*out);
		return error_set(err, ERR_INVALID_FILE, "%s: not a list of releases", url);
	}
	return 0;
}

int feed_github_versions(const struct feed_fetch *net, const struct feed *f, char ***out,
			 size_t *n, struct error *err)
{
	json_t *rels, *rel;
	size_t i;
	char v[128];

	if (get_releases(net, f, &rels, err) < 0)
		return -1;
	json_array_foreach(rels, i, rel) {
		if (!wanted(rel, true))
			continue;
		release_version(rel, v, sizeof(v));
		if (v[0] && feed_strv_push(out, n, v) < 0) {
			json_decref(rels);
			return error_set(err, ERR_IO, "out of memory");
		}
	}
	json_decref(rels);
	feed_strv_sort_desc(*out, *n);
	return 0;
}

static bool contains_ci(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

static bool names_arch(const char *name, const char *arch)
{
	if (!strcmp(arch, "arm64"))
		return contains_ci(name, "arm64") || contains_ci(name, "aarch64");
	return contains_ci(name, "x64") || contains_ci(name, "amd64") ||
	       contains_ci(name, "x86_64") || contains_ci(name, "x86-64");
}

static bool is_sidecar(const char *name)
{
	static const char *const ext[] = { ".sha256", ".sha512", ".sha256sum", ".sig", ".asc",
					   ".txt", ".md", ".json", ".config", ".pem" };
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t el = strlen(ext[i]);

		if (len > el && !strcasecmp(name + len - el, ext[i]))
			return true;
	}
	return contains_ci(name, "checksum") || contains_ci(name, "sha256sums");
}

/* Best asset for ARCH: names it > names no arch; never one for the other arch. */
static json_t *pick_asset(json_t *assets, const char *arch)
{
	const char *other = strcmp(arch, "arm64") ? "arm64" : "x64";
	json_t *a, *best = NULL;
	int best_score = 0;
	size_t i;

	json_array_foreach(assets, i, a) {
		const char *name = json_string_value(json_object_get(a, "name"));
		int score;

		if (!name || is_sidecar(name) ||
		    !json_string_value(json_object_get(a, "browser_download_url")))
			continue;
		if (names_arch(name, arch))
			score = 2;
		else if (names_arch(name, other))
			continue;
		else
			score = 1;
		if (score > best_score) {
			best = a;
			best_score = score;
		}
	}
	return best;
}

/*
 * GitHub spells an asset's digest "sha256:<64 hex>" (JSON null for assets from before
 * it published any). Anything else present there is a refusal: a digest that cannot be
 * checked must not turn into "none published".
 */
static int asset_digest(const struct feed *f, json_t *asset, struct digest_want *want,
			struct error *err)
{
	const char *d;
	char what[400];

	snprintf(what, sizeof(what), "%s: asset %s", f->id,
		 json_string_value(json_object_get(asset, "name")));
	if (feed_digest_text(asset, "digest", &d, what, err) < 0)
		return -1;
	if (!d)
		return 0;
	if ((strncasecmp(d, "sha256:", 7) && strncasecmp(d, "sha512:", 7)) ||
	    digest_parse(d, want, err) < 0)
		return error_set(err, ERR_INVALID_FILE, "%s: digest '%.140s' is not "
				 "sha256:<64 hex digits> or sha512:<128 hex digits>: refusing "
				 "a package that cannot be verified", what, d);
	return 0;
}

/* P from the chosen ASSET of release VERSION; the asset's name only tells the suffix. */
static int from_asset(const struct feed *f, json_t *asset, const char *version,
		      struct feed_pkg *p, struct error *err)
{
	const char *name = json_string_value(json_object_get(asset, "name"));
	const char *url = json_string_value(json_object_get(asset, "browser_download_url"));
	char stem[sizeof(f->id) + sizeof(p->version) + 32];

	if (!feed_name_ok(name))
		return error_set(err, ERR_INVALID_FILE, "%s: asset name '%.200s' is not a plain "
				 "file name ('/', '\\', '..' or a control character): refused",
				 f->id, name);
	snprintf(p->version, sizeof(p->version), "%s", version);
	snprintf(p->location, sizeof(p->location), "%s", url);
	snprintf(p->source, sizeof(p->source), "github:%s %s", f->id, url);
	p->size = json_is_integer(json_object_get(asset, "size"))
		  ? json_integer_value(json_object_get(asset, "size")) : -1;
	/* github.OWNER.REPO.VERSION.ARCH + the suffix: OWNER and REPO passed feedid. */
	snprintf(stem, sizeof(stem), "github.%s.%s.%s", f->id, p->version, f->arch);
	*strchr(stem, '/') = '.';
	if (feed_cache_name(p, stem, name, err) < 0 || asset_digest(f, asset, &p->want, err) < 0)
		return -1;
	if (!http_url_allowed(p->location))
		return error_set(err, ERR_NETWORK, "%s: asset URL %s is not https", f->id,
				 p->location);
	return 0;
}

int feed_github_resolve(const struct feed_fetch *net, const struct feed *f,
			const char *version, struct feed_pkg *p, struct error *err)
{
	json_t *rels, *rel, *best = NULL, *asset;
	char v[128], best_v[128] = "";
	size_t i;
	int rc;

	if (get_releases(net, f, &rels, err) < 0)
		return -1;
	json_array_foreach(rels, i, rel) {
		if (!wanted(rel, f->pre_release || version))
			continue;
		release_version(rel, v, sizeof(v));
		if (version) {
			const char *tag = json_string_value(json_object_get(rel, "tag_name"));

			if (strcmp(v, version) && !(tag && !strcmp(tag, version)) &&
			    version_cmp(v, version) != 0)
				continue;
		} else if (!v[0] || (best && version_cmp(v, best_v) <= 0)) {
			continue;
		}
		best = rel;
		snprintf(best_v, sizeof(best_v), "%s", v);
		if (version)
			break;
	}
	if (!best) {
		json_decref(rels);
		return error_set(err, ERR_NOT_FOUND, "%s: no %s release%s%s", f->id,
				 version ? "" : f->pre_release ? "published" : "stable",
				 version ? " " : "", version ? version : "");
	}
	asset = pick_asset(json_object_get(best, "assets"), f->arch);
	if (!asset) {
		error_set(err, ERR_NOT_FOUND, "%s %s: no asset for %s",
			  f->id, json_string_value(json_object_get(best, "tag_name")) ?: best_v,
			  f->arch);
		json_decref(rels);
		return -1;
	}
	rc = from_asset(f, asset, version ? version : best_v, p, err);
	json_decref(rels);
	return rc;
}
