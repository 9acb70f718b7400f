// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the feed parsers (GitHub releases, NuGet service index, flat
 * container version list, registration leaf and catalog entry, WSL's release and
 * packages.config) on any response bodies.
 *
 * The input is: one selector byte, then the bodies the parser will fetch, in order,
 * separated by "\n--\n". The parsers fetch through the struct feed_fetch they are given:
 * here one that answers from those bodies, parsed as http_get_json does (json_loadb,
 * flags 0); a missing body is a 404.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "http.h"
#include "wslrelease.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "property failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

#define MAX_BODIES 6
static struct { const char *p; size_t n; } bodies[MAX_BODIES];
static size_t nbodies, next_body;

/* A body of its own size, as http_get's, so that ASan sees a read past its end. */
static int fuzz_get_json(void *ctx, const char *url, json_t **out, struct error *e)
{
	json_error_t je;
	size_t n;
	char *b;

	if (next_body >= nbodies)
		return error_set(e, ERR_NOT_FOUND, "%s: HTTP 404", url);
	n = bodies[next_body].n;
	b = malloc(n + 1);
	CHECK(b);
	memcpy(b, bodies[next_body].p, n);
	b[n] = '\0';
	next_body++;
	*out = json_loadb(b, n, 0, &je);
	free(b);
	if (!*out)
		return error_set(e, ERR_INVALID_FILE, "%s: %s", url, je.text);
	return 0;
}

static const struct feed_fetch net = { .get_json = fuzz_get_json };

static void check_pkg(const struct feed_pkg *p)
{
	CHECK(memchr(p->version, '\0', sizeof(p->version)));
	CHECK(memchr(p->location, '\0', sizeof(p->location)));
	CHECK(memchr(p->file_name, '\0', sizeof(p->file_name)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p, *end, *sep;
	struct feed f = { 0 };
	struct feed_pkg pkg;
	struct wsl_release rel;
	struct error err = { 0 };
	char **vs = NULL, ver[128];
	size_t nv = 0;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0];
	p = (const char *)data + 1;
	end = (const char *)data + size;
	nbodies = next_body = 0;
	while (nbodies < MAX_BODIES) {
		sep = memmem(p, end - p, "\n--\n", 4);
		bodies[nbodies].p = p;
		bodies[nbodies].n = (sep ? sep : end) - p;
		nbodies++;
		if (!sep)
			break;
		p = sep + 4;
	}

	f.arch = sel & 0x10 ? "arm64" : "x64";
	f.pre_release = sel & 0x20;
	const char *want = sel & 0x40 ? "6.6.87.2-1" : NULL;

	switch ((sel & 0x0f) % 5) {
	case 0:
		f.kind = FEED_GITHUB;
		snprintf(f.id, sizeof(f.id), "owner/repo");
		snprintf(f.where, sizeof(f.where), "https://api.github.com");
		if (sel & 0x80) {
			if (feed_versions(&net, &f, &vs, &nv, &err) == 0)
				for (size_t i = 0; i < nv; i++)
					CHECK(vs[i] && vs[i][0]);
		} else if (feed_resolve(&net, &f, want, &pkg, &err) == 0) {
			check_pkg(&pkg);
			/* The GitHub feed promises an asset URL the HTTP layer will fetch. */
			CHECK(http_url_allowed(pkg.location));
		}
		break;
	case 1:
	case 2:
		f.kind = FEED_NUGET;
		snprintf(f.id, sizeof(f.id), FEED_NUGET_KERNEL_ID);
		snprintf(f.where, sizeof(f.where), "https://feed.example/v3/index.json");
		if ((sel & 0x0f) % 5 == 1) {
			if (feed_versions(&net, &f, &vs, &nv, &err) == 0)
				for (size_t i = 0; i < nv; i++)
					CHECK(vs[i] && vs[i][0]);
		} else if (feed_resolve(&net, &f, want, &pkg, &err) == 0) {
			check_pkg(&pkg);
		}
		break;
	case 3:
		if (wsl_release_resolve(&net, "https://api.github.com", sel & 0x20, &rel, &err) == 0)
			CHECK(rel.tag[0] && rel.kernel[0]);
		break;
	case 4: {
		/* packages.config text as it comes from the contents API, and file names. */
		char *xml = strndup(bodies[0].p, bodies[0].n);

		CHECK(xml);
		if (wsl_release_pinned(xml, FEED_NUGET_KERNEL_ID, ver, sizeof(ver)) == 1)
			CHECK(memchr(ver, '\0', sizeof(ver)));
		feed_version_from_name(xml, ver, sizeof(ver));
		free(xml);
		break;
	}
	}
	if (err.code)
		CHECK(err.message[0]);
	feed_versions_free(vs, nv);
	return 0;
}
