// SPDX-License-Identifier: MIT
/* strbuf: appends grow the buffer; a failed one keeps what was there and stops the rest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* realloc, failing from the realloc_fail_at-th call on (0: none fails). */
static long realloc_calls, realloc_fail_at;

void *realloc(void *p, size_t n)
{
	static void *(*real)(void *, size_t);

	if (!real)
		real = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	if (realloc_fail_at && ++realloc_calls >= realloc_fail_at)
		return NULL;
	return real(p, n);
}

static void test_append(void **state)
{
	struct strbuf b = { 0 };
	char big[1000];

	(void)state;
	assert_null(b.s);
	assert_int_equal(strbuf_add(&b, "ab\0c", 4), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.s, "ab\0c", 5);
	assert_int_equal(strbuf_add(&b, NULL, 0), 0);
	assert_int_equal(b.len, 4);
	strbuf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);

	memset(big, 'x', sizeof(big));
	assert_int_equal(strbuf_str(&b, "k="), 0);
	assert_int_equal(strbuf_add(&b, big, sizeof(big)), 0);
	assert_int_equal(strbuf_printf(&b, "#%d %s", 42, "end"), 0);
	assert_int_equal(b.len, 2 + sizeof(big) + 7);
	assert_true(b.cap > b.len);
	assert_memory_equal(b.s, "k=x", 3);
	assert_string_equal(b.s + 2 + sizeof(big), "#42 end");
	/* printf that outgrows the buffer by itself. */
	assert_int_equal(strbuf_printf(&b, "%2000s|", "y"), 0);
	assert_int_equal(b.len, 2 + sizeof(big) + 7 + 2001);
	assert_string_equal(b.s + b.len - 2, "y|");
	assert_false(b.oom);
	/* Cut, then reused in place. */
	strbuf_cut(&b, 3);
	assert_string_equal(b.s, "k=x");
	strbuf_cut(&b, 10);
	assert_int_equal(b.len, 3);
	assert_int_equal(strbuf_str(&b, "y"), 0);
	assert_string_equal(b.s, "k=xy");
	strbuf_free(&b);
	strbuf_cut(&b, 0);
	assert_null(b.s);
}

static void test_out_of_memory(void **state)
{
	struct strbuf b = { 0 };
	char big[100];

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_int_equal(strbuf_str(&b, "kept"), 0);
	realloc_calls = 0;
	realloc_fail_at = 1;
	/* The old block stays, whole and terminated; later appends do nothing. */
	assert_int_equal(strbuf_add(&b, big, sizeof(big)), -1);
	assert_true(b.oom);
	assert_string_equal(b.s, "kept");
	assert_int_equal(b.len, 4);
	realloc_fail_at = 0;
	assert_int_equal(strbuf_str(&b, "!"), -1);
	assert_int_equal(strbuf_printf(&b, "%s", "!"), -1);
	assert_string_equal(b.s, "kept");
	strbuf_free(&b);
	assert_false(b.oom);

	/* Failing at the first allocation leaves nothing allocated. */
	realloc_calls = 0;
	realloc_fail_at = 1;
	assert_int_equal(strbuf_printf(&b, "%d", 1), -1);
	realloc_fail_at = 0;
	assert_null(b.s);
	strbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
