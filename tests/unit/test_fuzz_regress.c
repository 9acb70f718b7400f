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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_fragment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
