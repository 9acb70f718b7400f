// SPDX-License-Identifier: MIT
/*
 * Feed specs, versions in package names, each kind's lists and packages through a fetch
 * that answers from memory, and the kernel pinned in packages.config.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "feed.h"
#include "wslrelease.h"

static void test_parse_specs(void **state)
{
	struct feed f;
	struct error err;

	(void)state;
	assert_int_equal(feed_parse("nuget:Microsoft.WSL.Kernel", "x64", &f, &err), 0);
	assert_int_equal(f.kind, FEED_NUGET);
	assert_string_equal(f.id, "Microsoft.WSL.Kernel");
	assert_string_equal(f.where, FEED_NUGET_DEFAULT);
	assert_int_equal(feed_parse("nuget:X@http://127.0.0.1:8/index.json", "x64", &f, &err), 0);
	assert_string_equal(f.where, "http://127.0.0.1:8/index.json");
	assert_int_equal(feed_parse("github:me/kernels", "arm64", &f, &err), 0);
	assert_int_equal(f.kind, FEED_GITHUB);
	assert_string_equal(f.where, "https://api.github.com");
	assert_string_equal(f.arch, "arm64");
	assert_int_equal(feed_parse("github:me/kernels@https://ghe.example/api/v3/", "x64", &f,
				    &err), 0);
	assert_string_equal(f.where, "https://ghe.example/api/v3");
	assert_int_equal(feed_parse("https://example.com/k.nupkg", "x64", &f, &err), 0);
	assert_int_equal(f.kind, FEED_URL);
	assert_int_equal(feed_parse("./k.nupkg", "x64", &f, &err), 0);
	assert_int_equal(f.kind, FEED_FILE);
	/* Refused: plain http off loopback, malformed names. */
	assert_int_equal(feed_parse("http://example.com/k.nupkg", "x64", &f, &err), -1);
	assert_int_equal(err.code, ERR_USAGE);
	assert_int_equal(feed_parse("nuget:X@http://example.com/i.json", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("github:noslash", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("github:a/b/c", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("nuget:", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("nuget:X@", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("", "x64", &f, &err), -1);
	/* Ids: NuGet's alphabet, never . or .. (they become URL and cache name parts). */
	assert_int_equal(feed_parse("nuget:../../x@https://n.example/i.json", "x64", &f, &err),
			 -1);
	assert_int_equal(err.code, ERR_USAGE);
	assert_int_equal(feed_parse("nuget:..", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("nuget:a b", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("github:me/..", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("github:./k", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("github:me/k\\x", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("github:me/k%2e", "x64", &f, &err), -1);
	assert_int_equal(feed_parse("github:my-org/my.repo_1", "x64", &f, &err), 0);
}

static void test_version_from_name(void **state)
{
	char v[64];

	(void)state;
	assert_true(feed_version_from_name("Microsoft.WSL.Kernel.6.18.26.3-1.nupkg", v, sizeof(v)));
	assert_string_equal(v, "6.18.26.3-1");
	assert_true(feed_version_from_name("/x/y/microsoft.wsl.kernel.6.18.35.2-1.nupkg?sig=1", v,
					   sizeof(v)));
	assert_string_equal(v, "6.18.35.2-1");
	assert_true(feed_version_from_name("wsl-kernel_6.6.87.2.tar.gz", v, sizeof(v)));
	assert_string_equal(v, "6.6.87.2");
	assert_true(feed_version_from_name("linux-msft-wsl-6.6.87.2", v, sizeof(v)));
	assert_string_equal(v, "6.6.87.2");
	assert_false(feed_version_from_name("bzImage", v, sizeof(v)));
	assert_false(feed_version_from_name("kernel-x64.zip", v, sizeof(v)));
}

/* The fetch the feeds are given: answers by URL from a table; anything else is a 404. */
struct answer {
	const char *url, *json;
};

static int table_get_json(void *ctx, const char *url, json_t **out, struct error *err)
{
	json_error_t je;

	for (const struct answer *a = ctx; a->url; a++) {
		if (strcmp(a->url, url))
			continue;
		*out = json_loads(a->json, 0, &je);
		assert_non_null(*out);
		return 0;
	}
	return error_set(err, ERR_NOT_FOUND, "%s: HTTP 404", url);
}

/* The versions F lists through NET, newest first, joined by spaces. */
static void assert_versions(const struct feed_fetch *net, const struct feed *f, const char *want)
{
	char **v, got[512] = "";
	size_t n;
	struct error err = { 0 };

	assert_int_equal(feed_versions(net, f, &v, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? " " : "", v[i]);
	feed_versions_free(v, n);
	assert_string_equal(got, want);
}

static const struct answer releases[] = {
	{ "https://ghe.example/api/repos/me/k/releases?per_page=100",
	  "[{\"tag_name\": \"v6.18.35.2-1\", \"prerelease\": true, \"assets\": ["
	  "  {\"name\": \"k-x64.zip\", \"browser_download_url\": \"https://dl.example/p.zip\"}]},"
	  " {\"tag_name\": \"v9.9.9.9-1\", \"draft\": true, \"assets\": []},"
	  " {\"tag_name\": \"v6.6.87.2-1\", \"assets\": ["
	  "  {\"name\": \"k-arm64.zip\", \"browser_download_url\": \"https://dl.example/a.zip\"},"
	  "  {\"name\": \"k-x64.zip.sha256\", \"browser_download_url\": \"https://dl.example/s\"},"
	  "  {\"name\": \"k-x64.zip\", \"browser_download_url\": \"https://dl.example/x.zip\","
	  "   \"size\": 42, \"digest\": \"sha256:" "0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef\"}]}]" },
	{ NULL, NULL },
};

static void test_github_through_fetch(void **state)
{
	const struct feed_fetch net = { table_get_json, (void *)releases };
	struct feed f;
	struct feed_pkg p;
	struct error err = { 0 };
	char **v;
	size_t n;

	(void)state;
	assert_int_equal(feed_parse("github:me/k@https://ghe.example/api/", "x64", &f, &err), 0);
	assert_int_equal(feed_resolve(&net, &f, NULL, &p, &err), 0);
	assert_string_equal(p.version, "6.6.87.2-1");
	assert_string_equal(p.location, "https://dl.example/x.zip");
	/* The cache name is the tool's: feed, version, architecture, the asset's suffix. */
	assert_string_equal(p.file_name, "github.me.k.6.6.87.2-1.x64.zip");
	assert_string_equal(p.source, "github:me/k https://dl.example/x.zip");
	assert_int_equal(p.size, 42);
	assert_int_equal(p.want.alg, DIGEST_SHA256);
	f.pre_release = true;
	assert_int_equal(feed_resolve(&net, &f, NULL, &p, &err), 0);
	assert_string_equal(p.version, "6.18.35.2-1");
	assert_int_equal(p.size, -1);
	assert_int_equal(p.want.alg, DIGEST_NONE);
	/* No asset for arm64 in the pre-release: not the x64 one. */
	f.arch = "arm64";
	assert_int_equal(feed_resolve(&net, &f, NULL, &p, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_versions(&net, &f, "6.18.35.2-1 6.6.87.2-1");
	/* The fetch's error, named by the feed. */
	assert_int_equal(feed_parse("github:me/other@https://ghe.example/api", "x64", &f, &err),
			 0);
	assert_int_equal(feed_versions(&net, &f, &v, &n, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_non_null(strstr(err.message, "releases of me/other"));
}

static const struct answer nuget[] = {
	{ "https://nuget.example/v3/index.json",
	  "{\"resources\": [{\"@type\": \"PackageBaseAddress/3.0.0\","
	  " \"@id\": \"https://nuget.example/flat\"}]}" },
	{ "https://nuget.example/flat/microsoft.wsl.kernel/index.json",
	  "{\"versions\": [\"6.6.87.2-1\", \"not a version\", \"6.18.26.3-1+build\"]}" },
	{ NULL, NULL },
};

static void test_nuget_through_fetch(void **state)
{
	const struct feed_fetch net = { table_get_json, (void *)nuget };
	struct feed f;
	struct feed_pkg p;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(feed_parse("nuget:Microsoft.WSL.Kernel@https://nuget.example/v3/"
				    "index.json", "x64", &f, &err), 0);
	assert_versions(&net, &f, "6.18.26.3-1+build 6.6.87.2-1");
	/* No registrations resource: no digest published. */
	assert_int_equal(feed_resolve(&net, &f, NULL, &p, &err), 0);
	assert_string_equal(p.version, "6.18.26.3-1");
	assert_string_equal(p.location, "https://nuget.example/flat/microsoft.wsl.kernel/"
			    "6.18.26.3-1/microsoft.wsl.kernel.6.18.26.3-1.nupkg");
	assert_string_equal(p.file_name, "microsoft.wsl.kernel.6.18.26.3-1.nupkg");
	assert_int_equal(p.want.alg, DIGEST_NONE);
	assert_int_equal(feed_resolve(&net, &f, "6.1.0.0-1", &p, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_non_null(strstr(err.message, "newest there: 6.18.26.3-1"));
}

static int no_fetch(void *ctx, const char *url, json_t **out, struct error *err)
{
	fail_msg("a URL feed fetched %s", url);
	return -1;
}

/* URL and file feeds fetch nothing: their one version is in the name or given. */
static void test_local_kinds(void **state)
{
	const struct feed_fetch net = { no_fetch, NULL };
	struct feed f;
	struct feed_pkg p;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(feed_parse("https://dl.example/Microsoft.WSL.Kernel.6.18.26.3-1.nupkg?s=1",
				    "x64", &f, &err), 0);
	assert_versions(&net, &f, "6.18.26.3-1");
	assert_int_equal(feed_resolve(&net, &f, NULL, &p, &err), 0);
	assert_string_equal(p.file_name, "url.6.18.26.3-1.x64.nupkg");
	assert_int_equal(p.size, -1);
	assert_int_equal(feed_parse("https://dl.example/bzImage", "x64", &f, &err), 0);
	assert_int_equal(feed_resolve(&net, &f, NULL, &p, &err), -1);
	assert_int_equal(err.code, ERR_USAGE);
	assert_int_equal(feed_resolve(&net, &f, "6.6.1", &p, &err), 0);
	assert_string_equal(p.version, "6.6.1");
	assert_string_equal(p.file_name, "url.6.6.1.x64");
	/* A pinned version that cannot name a file never becomes one. */
	assert_int_equal(feed_resolve(&net, &f, "../6.6.1", &p, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	/* A URL's last segment, as sent or %-decoded, that is not a plain name. */
	assert_int_equal(feed_parse("https://dl.example/k%2fx-6.6.1.zip", "x64", &f, &err), 0);
	assert_int_equal(feed_resolve(&net, &f, NULL, &p, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_int_equal(feed_parse("https://dl.example/k%00-6.6.1.zip", "x64", &f, &err), 0);
	assert_int_equal(feed_resolve(&net, &f, NULL, &p, &err), -1);
	/* A file named on the command line that is missing is bad input (exit 3). */
	assert_int_equal(feed_parse("/nonexistent/k-6.6.1.zip", "x64", &f, &err), 0);
	assert_int_equal(feed_resolve(&net, &f, NULL, &p, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
}

static void test_pinned(void **state)
{
	char v[64];

	(void)state;
	assert_int_equal(wsl_release_pinned(
		"<?xml version=\"1.0\"?>\n<packages>\n"
		"  <package id=\"Microsoft.WSL.DeviceHost\" version=\"1.2.29-0\" />\n"
		"  <package id=\"Microsoft.WSL.Kernel\" version=\"6.18.26.3-1\" targetFramework=\"native\" />\n"
		"</packages>\n", "Microsoft.WSL.Kernel", v, sizeof(v)), 1);
	assert_string_equal(v, "6.18.26.3-1");
	/* Attributes in any order, single quotes, newlines, other case; comments skipped. */
	assert_int_equal(wsl_release_pinned(
		"<packages><!-- <package id=\"Microsoft.WSL.Kernel\" version=\"1.0\"/> -->\r\n"
		"<package\r\n  version = '6.18.35.2-1'\r\n  id='microsoft.wsl.kernel'/></packages>",
		"Microsoft.WSL.Kernel", v, sizeof(v)), 1);
	assert_string_equal(v, "6.18.35.2-1");
	/* A similar id is not the kernel. */
	assert_int_equal(wsl_release_pinned(
		"<package id=\"Microsoft.WSL.Kernel.Headers\" version=\"9\"/>"
		"<packagex id=\"Microsoft.WSL.Kernel\" version=\"8\"/>",
		"Microsoft.WSL.Kernel", v, sizeof(v)), 0);
	assert_int_equal(wsl_release_pinned("", "Microsoft.WSL.Kernel", v, sizeof(v)), 0);
	assert_int_equal(wsl_release_pinned("<package id=\"Microsoft.WSL.Kernel\"",
					    "Microsoft.WSL.Kernel", v, sizeof(v)), 0);
}

static const struct answer wsl[] = {
	{ "https://api.example/repos/microsoft/WSL/releases/latest",
	  "{\"tag_name\": \"2.8.9\", \"name\": \"WSL 2.8.9\"}" },
	{ "https://api.example/repos/microsoft/WSL/contents/packages.config?ref=2.8.9",
	  "{\"content\": \"PHBhY2thZ2VzPjxwYWNrYWdlIGlkPSJNaWNyb3NvZnQuV1NMLktlcm5lbCIgdmVyc2lv"
	  "bj0iNi42Ljg3LjItMSIvPjwvcGFja2FnZXM+\"}" },
	{ NULL, NULL },
};

/* The WSL release lookup fetches through the same struct feed_fetch. */
static void test_release_through_fetch(void **state)
{
	const struct feed_fetch net = { table_get_json, (void *)wsl };
	struct wsl_release r;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(wsl_release_resolve(&net, "https://api.example", false, &r, &err), 0);
	assert_string_equal(r.tag, "2.8.9");
	assert_string_equal(r.kernel, "6.6.87.2-1");
	/* Pre-release lists all releases: not in the table, so a 404. */
	assert_int_equal(wsl_release_resolve(&net, "https://api.example", true, &r, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_specs),
		cmocka_unit_test(test_version_from_name),
		cmocka_unit_test(test_github_through_fetch),
		cmocka_unit_test(test_nuget_through_fetch),
		cmocka_unit_test(test_local_kinds),
		cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_release_through_fetch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
