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

/* The -j of HOSTS over LOCAL jobs; -1 when refused (a usage error naming the bound). */
static int jobs_of(const char *hosts, int local)
{
	struct error err = { 0 };
	int jobs = -7;

	if (kbuild_distcc_jobs(hosts, local, &jobs, &err) < 0) {
		assert_int_equal(err.code, ERR_USAGE);
		assert_non_null(strstr(err.message, "4096"));
		assert_int_equal(jobs, -7);
		return -1;
	}
	return jobs;
}

static void test_distcc_jobs(void **state)
{
	(void)state;
	assert_int_equal(jobs_of("build1/8 build2", 2), 2 + 8 + 4);
	assert_int_equal(jobs_of("localhost 10.0.0.1:3632/6 --randomize", 4), 4 + 2 + 6);
	assert_int_equal(jobs_of("+zeroconf", 3), 3);
	assert_int_equal(jobs_of("  \t", 2), 2);
	assert_int_equal(jobs_of("h1/3,lzo\th2/5,cpp,lzo", 0), 8);
	assert_int_equal(jobs_of("h/4000", 96), 4096);
}

/* A limit GNU make cannot take, or one that overflows an int, is refused (issue 17.16). */
static void test_distcc_jobs_bounded(void **state)
{
	(void)state;
	assert_int_equal(jobs_of("h/99999", 2), -1);
	assert_int_equal(jobs_of("h/2147483647", 2), -1);
	assert_int_equal(jobs_of("h/99999999999999999999", 2), -1);
	assert_int_equal(jobs_of("h/4000", 97), -1);
	assert_int_equal(jobs_of("a/3000 b/3000", 1), -1);
	assert_int_equal(jobs_of("h/0", 1), -1);
	assert_int_equal(jobs_of("h/x", 1), -1);
	assert_int_equal(jobs_of("h/-5", 1), -1);
	assert_int_equal(jobs_of("h/", 1), -1);
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
		cmocka_unit_test(test_distcc_jobs_bounded),
		cmocka_unit_test(test_is_tag),
		cmocka_unit_test(test_wsl_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
