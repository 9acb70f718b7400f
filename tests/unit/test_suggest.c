// SPDX-License-Identifier: MIT
/* "Did you mean" (cli/core/suggest.c): the distance, its cut-offs, the nearest name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "suggest.h"
#include "wslkeys.h"

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("", "", 5, false), 0);
	assert_int_equal(suggest_distance("abc", "", 5, false), 3);
	assert_int_equal(suggest_distance("kitten", "sitting", 5, false), 3);
	/* Swapped neighbours are one edit (git's "did you mean" counts them so too). */
	assert_int_equal(suggest_distance("memroy", "memory", 5, false), 1);
	assert_int_equal(suggest_distance("lsit", "list", 5, false), 1);
	assert_int_equal(suggest_distance("ab", "ba", 5, false), 1);
	assert_int_equal(suggest_distance("abc", "ca", 5, false), 3);
	assert_int_equal(suggest_distance("Memory", "memory", 5, false), 1);
	assert_int_equal(suggest_distance("Memory", "memory", 5, true), 0);
	assert_int_equal(suggest_distance("swap", "swapFile", 5, true), 4);
}

/* Past MAX the answer is MAX + 1, whatever the true distance. */
static void test_max(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("kitten", "sitting", 3, false), 3);
	assert_int_equal(suggest_distance("kitten", "sitting", 2, false), 3);
	assert_int_equal(suggest_distance("kitten", "sitting", 0, false), 1);
	/* Lengths alone rule it out. */
	assert_int_equal(suggest_distance("a", "abcdefgh", 2, false), 3);
	/* Every row beyond MAX: stopped early, same answer. */
	assert_int_equal(suggest_distance("zzzzzzzzzzzz", "aaaaaaaaaaaa", 2, false), 3);
}

/* A name longer than SUGGEST_MAX_LEN is never near anything, not even itself. */
static void test_length_cut(void **state)
{
	char a[SUGGEST_MAX_LEN + 2];

	(void)state;
	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	assert_int_equal(suggest_distance(a, a, 3, false), 4);
	a[SUGGEST_MAX_LEN] = '\0';
	assert_int_equal(suggest_distance(a, a, 3, false), 0);
}

static void test_nearest(void **state)
{
	static const char *const names[] = { "config", "enable", "disable", "check", NULL };
	struct suggest s;

	(void)state;
	suggest_begin(&s, "chekc", 2, false);
	for (int i = 0; names[i]; i++)
		suggest_offer(&s, names[i]);
	assert_string_equal(s.best, "check");
	assert_int_equal(s.best_d, 1); /* a swap */
	/* The first of equals stays. */
	suggest_begin(&s, "xable", 2, false);
	for (int i = 0; names[i]; i++)
		suggest_offer(&s, names[i]);
	assert_string_equal(s.best, "enable");
	suggest_begin(&s, "zzzzzz", 2, false);
	for (int i = 0; names[i]; i++)
		suggest_offer(&s, names[i]);
	assert_null(s.best);
	suggest_begin(&s, "CONFIG", 0, true);
	for (int i = 0; names[i]; i++)
		suggest_offer(&s, names[i]);
	assert_string_equal(s.best, "config");
}

/* A key name of a megabyte (the wslconfig fuzz target's slow inputs) is answered at
 * once: without the cut-off it costs seconds, a distance to every key. */
static void test_long_key_is_fast(void **state)
{
	size_t n = 1 << 20;
	char *name = malloc(n + 8), buf[128];
	struct timespec a, b;
	long ms;

	(void)state;
	assert_non_null(name);
	memcpy(name, "wsl2.", 5);
	memset(name + 5, 'm', n);
	name[n + 5] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 5; i++)
		assert_null(wslkeys_suggest(WSLCONF_WSLCONFIG, name, buf, sizeof(buf)));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms < 500);
	free(name);
}

/* The one helper for commands, verbs, features and options: any table whose entries
 * start with their name. */
static void test_from_table(void **state)
{
	static const struct { const char *name; int x; } verbs[] = {
		{ "get", 1 }, { "set", 2 }, { "list", 3 }, { "validate", 4 }, { NULL, 0 },
	};
	char hint[SUGGEST_HINT_SIZE];

	(void)state;
	assert_string_equal(SUGGEST_FROM("lst", verbs), "list");
	assert_string_equal(SUGGEST_FROM("lsit", verbs), "list");
	assert_string_equal(SUGGEST_FROM("VALIDTE", verbs), "validate");
	assert_null(SUGGEST_FROM("frobnicate", verbs));
	/* One letter is a typo of nothing; two allow one edit. */
	assert_null(SUGGEST_FROM("x", verbs));
	assert_int_equal(suggest_reach("x"), 0);
	assert_int_equal(suggest_reach("ls"), 1);
	assert_int_equal(suggest_reach("virtiof"), 2);
	assert_string_equal(suggest_hint(hint, sizeof(hint), "list"), "; did you mean 'list'?");
	assert_string_equal(suggest_hint(hint, sizeof(hint), NULL), "");
	assert_string_equal(suggest_hint(hint, 4, "list"), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_length_cut),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_long_key_is_fast),
		cmocka_unit_test(test_from_table),
	};

	return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
