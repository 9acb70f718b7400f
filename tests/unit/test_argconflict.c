// SPDX-License-Identifier: MIT
/*
 * The table of option pairs that cannot go together (cli/argconflict.c): the helper
 * refuses every row as a usage error naming both options, and the man page shows
 * exactly the rows of the code (run from the source tree, as make unit does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "argconflict.h"

static int on_opt(void *ud, int id, const char *val, struct error *err)
{
	(void)val;
	(void)err;
	(*(int *)ud)++;
	(void)id;
	return 0;
}

/* Every row, given as "--a x --b x" against a spec of just those two options. */
static void test_every_row_refused(void **state)
{
	size_t n;
	const struct arg_conflict *t = args_conflicts(&n);

	(void)state;
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		struct option_spec specs[] = { { t[i].a, 0, ARG_REQUIRED, 1 },
					       { t[i].b, 0, ARG_NONE, 2 },
					       { NULL, 0, 0, 0 } };
		char a[64], b[64], *argv[] = { a, (char *)"x", b, NULL }, *pos[4];
		struct error err = { 0 };
		int calls = 0;

		snprintf(a, sizeof(a), "--%s", t[i].a);
		snprintf(b, sizeof(b), "--%s", t[i].b);
		assert_int_equal(args_parse_checked(t[i].command, 3, argv, specs, on_opt, &calls,
						    pos, &err), -1);
		assert_int_equal(err.code, ERR_USAGE);
		assert_non_null(strstr(err.message, a));
		assert_non_null(strstr(err.message, b));
		/* One of the two alone, or the pair under another command, is fine. */
		memset(&err, 0, sizeof(err));
		assert_int_equal(args_parse_checked(t[i].command, 2, argv, specs, on_opt, &calls,
						    pos, &err), 0);
		assert_int_equal(args_parse_checked("no-such-command", 3, argv, specs, on_opt,
						    &calls, pos, &err), 0);
	}
}

/* The man page's rows: "|  command" then ":  --a", ":  --b", ":  why" (scdoc table). */
static size_t man_rows(char rows[][4][160], size_t max)
{
	FILE *f = fopen("packaging/wslctl.1.scd", "r");
	char line[512];
	size_t n = 0;
	int col = -1;
	bool in = false;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "## ", 3) || !strncmp(line, "# ", 2))
			in = strstr(line, "cannot go together") != NULL;
		if (!in)
			continue;
		if (!strncmp(line, "|  ", 3) && n < max) {
			col = 0;
			snprintf(rows[n++][0], 160, "%s", line + 3);
		} else if (!strncmp(line, ":  ", 3) && col >= 0 && col < 3) {
			const char *v = line + 3;

			col++;
			snprintf(rows[n - 1][col], 160, "%s", col < 3 && !strncmp(v, "--", 2) ? v + 2 : v);
		}
	}
	fclose(f);
	return n;
}

static void test_man_page_shows_the_table(void **state)
{
	static char rows[64][4][160];
	size_t n, m = man_rows(rows, 64);
	const struct arg_conflict *t = args_conflicts(&n);

	(void)state;
	assert_int_equal(m, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(rows[i][0], t[i].command);
		assert_string_equal(rows[i][1], t[i].a);
		assert_string_equal(rows[i][2], t[i].b);
		assert_string_equal(rows[i][3], t[i].why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_refused),
		cmocka_unit_test(test_man_page_shows_the_table),
	};

	return cmocka_run_group_tests_name("argconflict", tests, NULL, NULL);
}
