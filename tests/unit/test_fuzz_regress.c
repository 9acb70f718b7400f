// SPDX-License-Identifier: MIT
/* Regressions found by the fuzzers (tests/fuzz/corpus/NAME/regress-*), library level. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "kconfig.h"
#include "version.h"

/* fuzz_kconfig: an empty fragment file made getdelim return -1 with an unterminated
 * buffer that the fragment parser then read past its end. */
static void test_empty_fragment(void **state)
{
	char path[] = "/tmp/wslctl-fuzzreg.XXXXXX";
	struct kconfig_reqs reqs = { 0 };
	struct error err = { 0 };
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(kconfig_fragment_load(path, &reqs, &err), 0);
	assert_int_equal(reqs.n, 0);
	kconfig_reqs_free(&reqs);
	unlink(path);
}

/* fuzz_feed: comparing versions where one has no label did NULL + 0 (undefined; clang's
 * UBSan stops on it, gcc's does not see it). */
static void test_version_without_label(void **state)
{
	assert_true(version_cmp("6.6.99.1", "6.6.99.1-1") > 0);
	assert_true(version_cmp("6.6.99.1-1", "6.6.99.1") < 0);
	assert_int_equal(version_cmp("6.6.99.1", "6.6.99.1"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_fragment),
		cmocka_unit_test(test_version_without_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
