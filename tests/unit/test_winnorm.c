// SPDX-License-Identifier: MIT
/* One spelling per Windows path (cli/core/winnorm.c): every spelling Windows reads as
 * the store's kernel normalises to the same string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "winnorm.h"

static void expect(const char *in, const char *want)
{
	char buf[256];

	if (!want) {
		assert_int_equal(winnorm(in, buf, sizeof(buf)), -1);
		return;
	}
	assert_int_equal(winnorm(in, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_spellings(void **state)
{
	static const char *const same[] = {
		"C:\\Users\\me\\wslctl\\versions\\6.1\\kernel",
		"c:\\users\\ME\\wslctl\\versions\\6.1\\KERNEL",
		"C:/Users/me/wslctl/versions/6.1/kernel",
		"C:\\Users\\me\\.\\wslctl\\versions\\6.1\\kernel",
		"C:\\\\Users\\me\\\\wslctl\\versions\\6.1\\kernel",
		"C:\\Users\\x\\..\\me\\wslctl\\versions\\6.1\\kernel",
		"\\\\?\\C:\\Users\\me\\wslctl\\versions\\6.1\\kernel",
		"\\\\.\\C:\\Users\\me\\wslctl\\versions\\6.1\\kernel",
		"\\??\\C:\\Users\\me\\wslctl\\versions\\6.1\\kernel",
		"C:\\Users\\me\\wslctl\\versions\\6.1\\kernel.",
		"C:\\Users\\me\\wslctl\\versions\\6.1\\kernel .",
		"C:\\Users\\me.\\wslctl\\versions\\6.1\\kernel",
		"C:\\..\\Users\\me\\wslctl\\versions\\6.1\\kernel",
		"\\\\localhost\\C$\\Users\\me\\wslctl\\versions\\6.1\\kernel",
		"\\\\127.0.0.1\\c$\\Users\\me\\wslctl\\versions\\6.1\\kernel",
		"C:\\Users\\me\\wslctl\\versions\\6.1\\kernel::$DATA",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		expect(same[i], i == 1 ? "C:\\users\\ME\\wslctl\\versions\\6.1\\KERNEL"
			       : "C:\\Users\\me\\wslctl\\versions\\6.1\\kernel");
		assert_true(winnorm_same(same[i], same[0]));
	}
	assert_false(winnorm_same("C:\\Users\\me\\k1", "C:\\Users\\me\\k2"));
	assert_false(winnorm_same("C:\\a\\kernel", "D:\\a\\kernel"));
}

static void test_unc_and_roots(void **state)
{
	(void)state;
	expect("\\\\server\\share\\a\\..\\b", "\\\\server\\share\\b");
	expect("\\\\?\\UNC\\server\\share\\b", "\\\\server\\share\\b");
	expect("//server/share/b/", "\\\\server\\share\\b");
	expect("\\\\server\\share\\..\\..\\b", "\\\\server\\share\\b");
	expect("C:\\", "C:\\");
	expect("c:", "C:\\");
	expect("C:\\a\\...", "C:\\a\\...");
	/* Another machine's share, or a share that is not a drive's, stays a UNC path. */
	expect("\\\\pc\\C$\\x", "\\\\pc\\C$\\x");
	expect("\\\\localhost\\data\\x", "\\\\localhost\\data\\x");
	/* Not absolute Windows paths: the caller compares them as they are. */
	expect("kernel", NULL);
	expect("C:kernel", NULL);
	expect("\\kernel", NULL);
	expect("\\\\server", NULL);
	expect("", NULL);
	assert_true(winnorm_same("relative\\K", "RELATIVE\\k"));
	assert_false(winnorm_same(NULL, "C:\\"));
}

static void test_too_long(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(winnorm("C:\\abcdefgh", buf, sizeof(buf)), -1);
	assert_int_equal(winnorm("C:\\abc", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "C:\\abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_unc_and_roots),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests_name("winnorm", tests, NULL, NULL);
}
