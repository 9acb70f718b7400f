// SPDX-License-Identifier: MIT
#include "wslrelease.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "version.h"

#define WSL_REPO "microsoft/WSL"
#define KERNEL_ID "Microsoft.WSL.Kernel"

/* Value of attribute NAME inside one tag [p, end); 1 found. */
static int attr(const char *p, const char *end, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);

	while (p < end) {
		char q;
		const char *v, *ve;

		while (p < end && !isalpha((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		v = p;
		while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == ':'))
			p++;
		ve = p;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || *p != '=')
			continue;
		p++;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			continue;
		q = *p++;
		{
			const char *vs = p;

			while (p < end && *p != q)
				p++;
			if ((size_t)(ve - v) == nl && !strncasecmp(v, name, nl)) {
				size_t len = (size_t)(p - vs);

				while (len && isspace((unsigned char)*vs))
					vs++, len--;
				while (len && isspace((unsigned char)vs[len - 1]))
					len--;
				snprintf(out, n, "%.*s", (int)len, vs);
				return 1;
			}
		}
		if (p < end)
			p++;
	}
	return 0;
}

int wsl_release_pinned(const char *xml, const char *id, char *version, size_t n)
{
	const char *p = xml;

	while ((p = strchr(p, '<'))) {
		const char *end;
		char got[256];

		if (!strncmp(p, "<!--", 4)) {
			const char *c = strstr(p + 4, "-->");

			if (!c)
				return 0;
			p = c + 3;
			continue;
		}
		end = strchr(p, '>');
		if (!end)
			return 0;
		if (!strncasecmp(p + 1, "package", 7) && isspace((unsigned char)p[8]) &&
		    attr(p + 8, end, "id", got, sizeof(got)) && !strcasecmp(got, id) &&
		    attr(p + 8, end, "version", version, n) && version[0])
			return 1;
		p = end + 1;
	}
	return 0;
}

/* The contents API returns the file base64-encoded, wrapped at 60 columns. */
static char *decode_base64(const char *b64, size_t *len)
{
	size_t n = strlen(b64), k = 0, pad = 0;
	char *clean = malloc(n + 1);
	unsigned char *out;
	int got;

	if (!clean)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)b64[i]))
			clean[k++] = b64[i];
	clean[k] = '\0';
	if (k % 4) {
		free(clean);
		return NULL;
	}
	out = malloc(k / 4 * 3 + 1);
	got = out ? EVP_DecodeBlock(out, (unsigned char *)clean, (int)k) : -1;
	if (k >= 1 && clean[k - 1] == '=')
		pad++;
	if (k >= 2 && clean[k - 2] == '=')
		pad++;
	free(clean);
	if (got < 0) {
		free(out);
		return NULL;
	}
	*len = (size_t)got - pad;
	out[*len] = '\0';
	return (char *)out;
}

static void copy_json_str(json_t *o, const char *key, char *dst, size_t n)
{
	const char *s = json_string_value(json_object_get(o, key));

	snprintf(dst, n, "%s", s ? s : "");
}

static void fill(struct wsl_release *r, json_t *rel)
{
	copy_json_str(rel, "tag_name", r->tag, sizeof(r->tag));
	copy_json_str(rel, "name", r->name, sizeof(r->name));
	if (!version_from_text(r->name, r->version, sizeof(r->version)))
		version_from_text(r->tag, r->version, sizeof(r->version));
}

static int pick_release(const struct feed_fetch *net, const char *api, bool pre_release,
			struct wsl_release *r, struct error *err)
{
	char url[4096];
	json_t *body, *rel;
	size_t i;

	if (!pre_release) {
		snprintf(url, sizeof(url), "%s/repos/" WSL_REPO "/releases/latest", api);
		if (net->get_json(net->ctx, url, &body, err) < 0)
			return error_wrap(err, "latest WSL release");
		fill(r, body);
		json_decref(body);
		if (!r->tag[0])
			return error_set(err, ERR_INVALID_FILE, "%s: no tag_name", url);
		return 0;
	}
	snprintf(url, sizeof(url), "%s/repos/" WSL_REPO "/releases", api);
	if (net->get_json(net->ctx, url, &body, err) < 0)
		return error_wrap(err, "WSL releases");
	json_array_foreach(body, i, rel) {
		struct wsl_release c = { 0 };

		if (json_is_true(json_object_get(rel, "draft")))
			continue;
		fill(&c, rel);
		if (!c.tag[0] || !c.version[0])
			continue;
		if (!r->tag[0] || version_cmp_release(c.version, r->version) > 0)
			*r = c;
	}
	json_decref(body);
	if (!r->tag[0])
		return error_set(err, ERR_NOT_FOUND, "%s: no published release", url);
	return 0;
}

int wsl_release_resolve(const struct feed_fetch *net, const char *api, bool pre_release,
			struct wsl_release *r, struct error *err)
{
	char url[4096];
	json_t *body;
	const char *content;
	char *xml;
	size_t len;
	int found;

	memset(r, 0, sizeof(*r));
	if (pick_release(net, api, pre_release, r, err) < 0)
		return -1;
	/* WSL's tags are plain version names ("2.8.9"): safe in a query as they are. */
	snprintf(url, sizeof(url), "%s/repos/" WSL_REPO "/contents/packages.config?ref=%s", api,
		 r->tag);
	if (net->get_json(net->ctx, url, &body, err) < 0)
		return error_wrap(err, "packages.config of WSL %s", r->tag);
	content = json_string_value(json_object_get(body, "content"));
	xml = content ? decode_base64(content, &len) : NULL;
	json_decref(body);
	if (!xml)
		return error_set(err, ERR_INVALID_FILE, "%s: no base64 \"content\"", url);
	found = wsl_release_pinned(xml, KERNEL_ID, r->kernel, sizeof(r->kernel));
	free(xml);
	if (!found)
		return error_set(err, ERR_INVALID_FILE,
				 "%s: packages.config of WSL %s pins no " KERNEL_ID " version", url,
				 r->tag);
	return 0;
}
