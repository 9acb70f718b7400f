// SPDX-License-Identifier: MIT
/* The shared option parser (cli/args.c). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"

enum { O_ALL = 1, O_BRIEF, O_OUT, O_JOBS, O_FAIL };

static const struct option_spec specs[] = {
	{ "all", 'a', ARG_NONE, O_ALL },
	{ "brief", 'b', ARG_NONE, O_BRIEF },
	{ "output", 'o', ARG_REQUIRED, O_OUT },
	{ "jobs", 'j', ARG_REQUIRED, O_JOBS },
	{ "fail", 0, ARG_NONE, O_FAIL },
	{ NULL, 0, 0, 0 },
};

/* What on_opt saw, in order, as "id=value" words. */
struct seen {
	char log[512];
	int calls;
};

static int on_opt(void *ud, int id, const char *val, struct error *err)
{
	struct seen *s = ud;
	size_t len = strlen(s->log);

	s->calls++;
	snprintf(s->log + len, sizeof(s->log) - len, "%s%d=%s", len ? " " : "", id,
		 val ? val : "(none)");
	if (id == O_FAIL)
		return error_set(err, ERR_USAGE, "--fail was given");
	return 0;
}

/* Parses the words of LINE (space separated; "" for an empty word written as '') */
static int parse(const char *line, int keep_unknown, struct seen *s, char **pos,
		 struct error *err, char storage[][64], char **argv)
{
	int argc = 0;

	memset(s, 0, sizeof(*s));
	memset(err, 0, sizeof(*err));
	for (const char *p = line; *p;) {
		size_t len = strcspn(p, " ");

		snprintf(storage[argc], 64, "%.*s", (int)len, p);
		if (!strcmp(storage[argc], "''"))
			storage[argc][0] = '\0';
		argv[argc] = storage[argc];
		argc++;
		p += len;
		while (*p == ' ')
			p++;
	}
	argv[argc] = NULL;
	return args_parse(argc, argv, specs, on_opt, s, pos, keep_unknown, err);
}

#define PARSE(line, keep) parse(line, keep, &s, pos, &err, storage, argv)
#define DECLS \
	struct seen s; \
	struct error err; \
	char storage[16][64], *argv[17], *pos[17]; \
	(void)state

static void test_long_options(void **state)
{
	DECLS;

	assert_int_equal(PARSE("--all --output file x", 0), 1);
	assert_string_equal(s.log, "1=(none) 3=file");
	assert_string_equal(pos[0], "x");
	assert_int_equal(PARSE("--output=a=b", 0), 0);
	assert_string_equal(s.log, "3=a=b");
	/* An empty value after = is a value. */
	assert_int_equal(PARSE("--output=", 0), 0);
	assert_string_equal(s.log, "3=");
	/* The next word is the value even when it looks like an option (as getopt). */
	assert_int_equal(PARSE("--output --all", 0), 0);
	assert_string_equal(s.log, "3=--all");
	/* Repeats are reported each time. */
	assert_int_equal(PARSE("--all --all", 0), 0);
	assert_int_equal(s.calls, 2);
}

static void test_long_option_errors(void **state)
{
	DECLS;

	assert_int_equal(PARSE("--output", 0), -1);
	assert_int_equal(err.code, ERR_USAGE);
	assert_string_equal(err.message, "option '--output' needs a value");
	assert_int_equal(PARSE("--all=yes", 0), -1);
	assert_string_equal(err.message, "option '--all' takes no value");
	assert_int_equal(s.calls, 0);
	assert_int_equal(PARSE("--bogus", 0), -1);
	assert_string_equal(err.message, "unknown option '--bogus'");
	assert_int_equal(PARSE("--bogus=1", 0), -1);
	assert_string_equal(err.message, "unknown option '--bogus'");
	/* No abbreviations: --out is not --output. */
	assert_int_equal(PARSE("--out x", 0), -1);
	assert_string_equal(err.message, "unknown option '--out'");
	/* Names compare exactly. */
	assert_int_equal(PARSE("--ALL", 0), -1);
}

static void test_short_options_and_clusters(void **state)
{
	DECLS;

	assert_int_equal(PARSE("-a -b", 0), 0);
	assert_string_equal(s.log, "1=(none) 2=(none)");
	assert_int_equal(PARSE("-ab", 0), 0);
	assert_string_equal(s.log, "1=(none) 2=(none)");
	assert_int_equal(PARSE("-j4", 0), 0);
	assert_string_equal(s.log, "4=4");
	assert_int_equal(PARSE("-j 4 rest", 0), 1);
	assert_string_equal(s.log, "4=4");
	assert_string_equal(pos[0], "rest");
	/* A value option ends the cluster: the rest of the word is its value. */
	assert_int_equal(PARSE("-abj8", 0), 0);
	assert_string_equal(s.log, "1=(none) 2=(none) 4=8");
	assert_int_equal(PARSE("-oab", 0), 0);
	assert_string_equal(s.log, "3=ab");
	assert_int_equal(PARSE("-abo file", 0), 0);
	assert_string_equal(s.log, "1=(none) 2=(none) 3=file");
	assert_int_equal(PARSE("-o", 0), -1);
	assert_string_equal(err.message, "option '-o' needs a value");
	assert_int_equal(PARSE("-ab -j", 0), -1);
	assert_string_equal(err.message, "option '-j' needs a value");
}

static void test_unknown_short(void **state)
{
	DECLS;

	assert_int_equal(PARSE("-x", 0), -1);
	assert_string_equal(err.message, "unknown option '-x'");
	assert_int_equal(PARSE("-ax", 0), -1);
	assert_string_equal(err.message, "unknown option '-x'");
	/* Kept for the command when main parses with keep_unknown. */
	assert_int_equal(PARSE("-x -a --long v", 1), 3);
	assert_string_equal(pos[0], "-x");
	assert_string_equal(pos[1], "--long");
	assert_string_equal(pos[2], "v");
	assert_string_equal(s.log, "1=(none)");
	/* A cluster of known and unknown letters: the known ones apply, the rest goes on
	 * as its own word, and argv itself is left as it was. */
	assert_int_equal(PARSE("-axy4 -bz", 1), 2);
	assert_string_equal(s.log, "1=(none) 2=(none)");
	assert_string_equal(pos[0], "-xy4");
	assert_string_equal(pos[1], "-z");
	assert_string_equal(argv[0], "-axy4");
	assert_string_equal(argv[1], "-bz");
}

static void test_positionals(void **state)
{
	DECLS;

	/* "-" and negative numbers are words, not options; order is kept. */
	assert_int_equal(PARSE("set - -1 -0x10 -.5 -5abc x", 0), 7);
	assert_string_equal(pos[0], "set");
	assert_string_equal(pos[1], "-");
	assert_string_equal(pos[2], "-1");
	assert_string_equal(pos[3], "-0x10");
	assert_string_equal(pos[4], "-.5");
	assert_string_equal(pos[5], "-5abc");
	assert_string_equal(pos[6], "x");
	assert_int_equal(s.calls, 0);
	/* The empty word is a word. */
	assert_int_equal(PARSE("a '' b", 0), 3);
	assert_string_equal(pos[1], "");
	/* A negative number as an option's value. */
	assert_int_equal(PARSE("-j -2", 0), 0);
	assert_string_equal(s.log, "4=-2");
	/* Options between positionals. */
	assert_int_equal(PARSE("a -a b --brief c", 0), 3);
	assert_string_equal(pos[2], "c");
	assert_int_equal(s.calls, 2);
}

static void test_double_dash(void **state)
{
	DECLS;

	assert_int_equal(PARSE("-a -- -b --all --", 0), 3);
	assert_string_equal(s.log, "1=(none)");
	assert_string_equal(pos[0], "-b");
	assert_string_equal(pos[1], "--all");
	assert_string_equal(pos[2], "--");
	/* With keep_unknown the -- itself is handed on, so the command stops there too. */
	assert_int_equal(PARSE("cmd -- -a", 1), 3);
	assert_string_equal(pos[0], "cmd");
	assert_string_equal(pos[1], "--");
	assert_string_equal(pos[2], "-a");
	assert_int_equal(s.calls, 0);
}

static void test_callback_error_stops(void **state)
{
	DECLS;

	assert_int_equal(PARSE("-a --fail -b", 0), -1);
	assert_string_equal(err.message, "--fail was given");
	assert_string_equal(s.log, "1=(none) 5=(none)");
}

static void test_args_int(void **state)
{
	struct error err = { 0 };
	long v = 0;

	(void)state;
	assert_int_equal(args_int("-j", "8", 1, 64, &v, &err), 0);
	assert_int_equal(v, 8);
	assert_int_equal(args_int("-j", "-3", -5, 5, &v, &err), 0);
	assert_int_equal(v, -3);
	v = 99;
	assert_int_equal(args_int("-j", "0", 1, 64, &v, &err), -1);
	assert_int_equal(v, 99);
	assert_int_equal(err.code, ERR_USAGE);
	assert_string_equal(err.message, "-j takes a whole number from 1 to 64, not '0'");
	assert_int_equal(args_int("-j", "65", 1, 64, &v, &err), -1);
	assert_int_equal(args_int("-j", "4x", 1, 64, &v, &err), -1);
	assert_int_equal(args_int("-j", "", 1, 64, &v, &err), -1);
	assert_int_equal(args_int("-j", "0x10", 1, 64, &v, &err), -1);
	assert_int_equal(args_int("-j", "99999999999999999999999", LONG_MIN, LONG_MAX, &v,
				  &err), -1);
}

/* A typo gets the nearest option (issue 14): the parser's own, and the global options
 * only for words of the command line (not those of a patch series). */
static void test_suggests_options(void **state)
{
	static const struct option_spec globals[] = {
		{ "json", 0, ARG_NONE, 1 }, { "dry-run", 'n', ARG_NONE, 2 }, { NULL, 0, 0, 0 },
	};
	DECLS;

	assert_int_equal(PARSE("--outptu x", 0), -1);
	assert_string_equal(err.message, "unknown option '--outptu'; did you mean '--output'?");
	assert_int_equal(PARSE("--Brief", 0), -1);
	assert_string_equal(err.message, "unknown option '--Brief'; did you mean '--brief'?");
	assert_int_equal(PARSE("--jsn", 0), -1);
	assert_string_equal(err.message, "unknown option '--jsn'");
	/* The same words as the command line's: the globals count too. */
	args_set_cmdline(1, argv, globals);
	assert_int_equal(PARSE("--jsn", 0), -1);
	assert_string_equal(err.message, "unknown option '--jsn'; did you mean '--json'?");
	assert_int_equal(PARSE("--dryrun=1", 0), -1);
	assert_string_equal(err.message, "unknown option '--dryrun'; did you mean '--dry-run'?");
	/* Two letters are not a typo of anything. */
	assert_int_equal(PARSE("--ab", 0), -1);
	assert_string_equal(err.message, "unknown option '--ab'");
	args_set_cmdline(0, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_options),
		cmocka_unit_test(test_long_option_errors),
		cmocka_unit_test(test_short_options_and_clusters),
		cmocka_unit_test(test_unknown_short),
		cmocka_unit_test(test_positionals),
		cmocka_unit_test(test_double_dash),
		cmocka_unit_test(test_callback_error_stops),
		cmocka_unit_test(test_args_int),
		cmocka_unit_test(test_suggests_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
