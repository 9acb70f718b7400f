// SPDX-License-Identifier: MIT
/* NuGet version order and WSL release-name order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "version.h"

static void test_parse(void **state)
{
	struct version v;

	(void)state;
	assert_int_equal(version_parse("6.18.26.3-1", &v), 0);
	assert_int_equal(v.nparts, 4);
	assert_int_equal(v.part[0], 6);
	assert_int_equal(v.part[3], 3);
	assert_int_equal(v.label_len, 1);
	assert_int_equal(version_parse("1.2", &v), 0);
	assert_int_equal(version_parse("1.2.3+abc.def", &v), 0);
	assert_int_equal(v.label_len, 0);
	assert_int_equal(version_parse("1.2.3-rc.1+meta", &v), 0);
	assert_int_equal(v.label_len, 4);
	/* Not versions. */
	assert_int_equal(version_parse("1", &v), -1);
	assert_int_equal(version_parse("1.2.3.4.5", &v), -1);
	assert_int_equal(version_parse("v1.2", &v), -1);
	assert_int_equal(version_parse("1.2-", &v), -1);
	assert_int_equal(version_parse("1..2", &v), -1);
	assert_int_equal(version_parse("1.2-a_b", &v), -1);
	assert_int_equal(version_parse("1.2 ", &v), -1);
	assert_int_equal(version_parse("", &v), -1);
	assert_int_equal(version_parse("../x", &v), -1);
}

static void test_nuget_order(void **state)
{
	(void)state;
	assert_true(version_cmp("6.18.26.3-1", "6.18.26.1-1") > 0);
	assert_true(version_cmp("6.18.26.3-1", "6.18.26.3-2") < 0);
	assert_true(version_cmp("6.18.33.2-2", "6.18.35.1-1") < 0);
	assert_true(version_cmp("6.6.114.1-1", "6.18.26.1-1") < 0);
	/* A release is above its pre-releases. */
	assert_true(version_cmp("6.18.26.3", "6.18.26.3-1") > 0);
	/* Missing parts are zero; metadata does not count. */
	assert_int_equal(version_cmp("1.2", "1.2.0.0"), 0);
	assert_int_equal(version_cmp("1.2.3+a", "1.2.3+b"), 0);
	/* Labels: numbers numerically, below text; text case-insensitive; more wins. */
	assert_true(version_cmp("1.0-10", "1.0-9") > 0);
	assert_true(version_cmp("1.0-1", "1.0-alpha") < 0);
	assert_int_equal(version_cmp("1.0-RC.1", "1.0-rc.1"), 0);
	assert_true(version_cmp("1.0-rc.1", "1.0-rc") > 0);
	assert_true(version_cmp("1.0-beta", "1.0-alpha") > 0);
	assert_int_equal(version_cmp("1.0-007", "1.0-7"), 0);
	/* Garbage sorts below any version. */
	assert_true(version_cmp("junk", "0.1") < 0);
	assert_true(version_cmp("0.1", "junk") > 0);
	assert_int_equal(version_cmp("junk", "junk"), 0);
}

/* Every name the store accepts that starts with a number has a place (issue 17.8). */
static void test_store_names_order(void **state)
{
	(void)state;
	/* A build's own release sorts by its numbers, not below everything. */
	assert_true(version_cmp("6.20.0_mine", "6.18.35.2-1") > 0);
	assert_true(version_cmp("6.18.35.2-1", "6.20.0_mine") < 0);
	assert_true(version_cmp("6.20.0_mine", "6.20.1") < 0);
	/* The rest is a pre-release label: below the same numbers without one. */
	assert_true(version_cmp("6.20.0_mine", "6.20.0") < 0);
	assert_true(version_cmp("6.20.0_mine", "6.20.0_mine2") < 0);
	assert_int_equal(version_cmp("6.20.0_mine", "6.20.0_MINE"), 0);
	assert_true(version_cmp("6.18.35.2-microsoft-standard-WSL2-wslctl", "6.18.33.2-2") > 0);
	/* More than four numbers, one number, a letter straight after the numbers. */
	assert_true(version_cmp("6.18.35.2.1", "6.18.35.2") > 0);
	assert_true(version_cmp("7", "6.99") > 0);
	assert_true(version_cmp("6.20.0a", "6.19") > 0);
	assert_true(version_cmp("6.20.0.rc1", "6.20.0") < 0);
	assert_true(version_orderable("6.20.0_mine"));
	assert_true(version_orderable("6.18.26.3-1"));
	assert_true(version_orderable("7"));
	/* No place: no leading number, too many numbers, a number too large. */
	assert_false(version_orderable("mine"));
	assert_false(version_orderable("v6.20"));
	assert_false(version_orderable("1.2.3.4.5.6.7.8.9"));
	assert_false(version_orderable("99999999999999999999999.1"));
	assert_false(version_orderable(""));
	assert_false(version_orderable(NULL));
	assert_true(version_cmp("mine", "0.1") < 0);
}

static void test_numeric(void **state)
{
	(void)state;
	assert_int_equal(version_cmp_numeric("6.6.87.2-microsoft-standard-WSL2", "6.6.87.2-1"), 0);
	assert_true(version_cmp_numeric("6.6.87.2-microsoft-standard-WSL2", "6.18.26.3-1") < 0);
	assert_true(version_cmp_numeric("6.18.26.3", "6.18.26.1-1") > 0);
}

static void test_release_names(void **state)
{
	char buf[32];

	(void)state;
	assert_true(version_from_text("WSL 2.7.11 Pre-release", buf, sizeof(buf)));
	assert_string_equal(buf, "2.7.11");
	assert_true(version_from_text("2.8.9", buf, sizeof(buf)));
	assert_string_equal(buf, "2.8.9");
	assert_true(version_from_text("v2.9.4.", buf, sizeof(buf)));
	assert_string_equal(buf, "2.9.4");
	assert_false(version_from_text("no digits", buf, sizeof(buf)));
	assert_true(version_cmp_release("2.7.11", "2.7.9") > 0);
	assert_true(version_cmp_release("2.9.4", "2.10.0") < 0);
	assert_true(version_cmp_release("WSL 2.8.12", "2.8.9") > 0);
	assert_int_equal(version_cmp_release("2.9.4", "2.9.4.0"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_nuget_order),
		cmocka_unit_test(test_store_names_order),
		cmocka_unit_test(test_numeric),
		cmocka_unit_test(test_release_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
