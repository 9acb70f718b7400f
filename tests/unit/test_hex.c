// SPDX-License-Identifier: MIT
/* Hex digits (cli/core/hex.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "hex.h"

static void test_hexval(void **state)
{
	const char *digits = "0123456789abcdef", *upper = "ABCDEF";

	(void)state;
	for (int i = 0; i < 16; i++)
		assert_int_equal(hexval(digits[i]), i);
	for (int i = 0; i < 6; i++)
		assert_int_equal(hexval(upper[i]), 10 + i);
	/* Everything else, the neighbours of the ranges and bytes past ASCII too. */
	for (int c = 0; c < 256; c++) {
		bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (c >= 'A' && c <= 'F');

		if (!digit)
			assert_int_equal(hexval(c), -1);
	}
	assert_int_equal(hexval(-1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hexval),
	};

	return cmocka_run_group_tests_name("hex", tests, NULL, NULL);
}
