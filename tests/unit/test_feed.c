// SPDX-License-Identifier: MIT
/* Feed specs, versions in package names, and the kernel pinned in packages.config. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_specs),
		cmocka_unit_test(test_version_from_name),
		cmocka_unit_test(test_pinned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
