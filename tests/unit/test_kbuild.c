// SPDX-License-Identifier: MIT
/* Small pure parts of build: distcc's -j estimate, tag recognition, the WSL config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kbuild.h"
#include "ksource.h"

static void test_distcc_jobs(void **state)
{
	(void)state;
	assert_int_equal(kbuild_distcc_jobs("build1/8 build2", 2), 2 + 8 + 4);
	assert_int_equal(kbuild_distcc_jobs("localhost 10.0.0.1:3632/6 --randomize", 4), 4 + 2 + 6);
	assert_int_equal(kbuild_distcc_jobs("+zeroconf", 3), 3);
	assert_int_equal(kbuild_distcc_jobs("h/0 h2/x", 1), 1 + 4 + 4);
	assert_int_equal(kbuild_distcc_jobs("  \t", 2), 2);
	assert_int_equal(kbuild_distcc_jobs("h1/3,lzo\th2/5,cpp,lzo", 0), 8);
}

static void test_is_tag(void **state)
{
	(void)state;
	assert_true(ksource_is_tag("linux-msft-wsl-6.18.35.2"));
	assert_true(ksource_is_tag("linux-msft-wsl-5.15.90.1"));
	assert_false(ksource_is_tag("linux-msft-wsl-"));
	assert_false(ksource_is_tag("linux-msft-wsl-x"));
	assert_false(ksource_is_tag("linux-msft-wsl-6.6/../../x"));
	assert_false(ksource_is_tag("v6.18"));
	assert_false(ksource_is_tag("./linux-msft-wsl-6.18.35.2"));
}

static void test_wsl_config(void **state)
{
	char buf[4096];

	(void)state;
	assert_int_equal(kbuild_wsl_config("tests/fixtures/fake-kernel", "x86", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "tests/fixtures/fake-kernel/arch/x86/configs/config-wsl");
	assert_int_equal(kbuild_wsl_config("tests/fixtures/fake-kernel", "arm64", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "tests/fixtures/fake-kernel/arch/arm64/configs/config-wsl-arm64");
	assert_int_equal(kbuild_wsl_config("tests/fixtures", "x86", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distcc_jobs),
		cmocka_unit_test(test_is_tag),
		cmocka_unit_test(test_wsl_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
