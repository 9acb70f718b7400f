// SPDX-License-Identifier: MIT
/*
 * The shell completions list the keys of .wslconfig and wsl.conf statically (no
 * process to start on every TAB); this keeps those lists equal to the key table.
 * Run from the top of the tree (make unit does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wslkeys.h"

#define MAX_KEYS 256

struct keylist {
	char *word[MAX_KEYS];
	int n;
	char *text;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* The words between OPEN (e.g. "_wslctl_wslconfig_keys='") and the next CLOSE char. */
static void extract(struct keylist *l, const char *path, const char *open, char close)
{
	char *start, *end, *w;

	l->text = slurp(path);
	l->n = 0;
	start = strstr(l->text, open);
	if (!start)
		fail_msg("%s: no %s list", path, open);
	start += strlen(open);
	end = strchr(start, close);
	if (!end)
		fail_msg("%s: %s list is not closed with %c", path, open, close);
	*end = '\0';
	for (w = strtok(start, " \t\n"); w; w = strtok(NULL, " \t\n")) {
		assert_true(l->n < MAX_KEYS);
		l->word[l->n++] = w;
	}
}

static int listed(const struct keylist *l, const char *key)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->word[i], key))
			return 1;
	return 0;
}

/* Every table key is listed with its canonical spelling, and nothing else is. */
static void same_as_table(const char *path, const char *open, char close, enum wslconf_kind kind)
{
	struct keylist l;
	char dotted[128];
	int n = 0;

	extract(&l, path, open, close);
	for (const struct wslkey *k = wslkeys_table(kind); k->name; k++, n++) {
		snprintf(dotted, sizeof(dotted), "%s.%s", k->section, k->name);
		if (!listed(&l, dotted))
			fail_msg("%s: key %s of the table is missing from %s", path, dotted, open);
	}
	for (int i = 0; i < l.n; i++)
		if (!wslkeys_lookup(kind, l.word[i]))
			fail_msg("%s: %s is not a key WSL knows", path, l.word[i]);
	assert_int_equal(l.n, n);
	free(l.text);
}

static const struct wslkey *lookup_any(const char *dotted)
{
	const struct wslkey *k = wslkeys_lookup(WSLCONF_WSLCONFIG, dotted);

	return k ? k : wslkeys_lookup(WSLCONF_WSLCONF, dotted);
}

/* "name=v1,v2": the key is an enum of exactly these values, in the table's order. */
static void check_enum_entry(const char *path, char *entry)
{
	char *eq = strchr(entry, '=');
	const struct wslkey *k;
	char vals[512] = "";

	if (!eq)
		fail_msg("%s: enum entry %s has no '='", path, entry);
	*eq = '\0';
	k = lookup_any(entry);
	if (!k || k->type != KT_ENUM)
		fail_msg("%s: %s is not an enum key", path, entry);
	for (int i = 0; k->enum_values[i]; i++)
		snprintf(vals + strlen(vals), sizeof(vals) - strlen(vals), "%s%s", i ? "," : "",
			 k->enum_values[i]);
	if (strcmp(vals, eq + 1))
		fail_msg("%s: %s lists %s, the table has %s", path, entry, eq + 1, vals);
	*eq = '=';
}

/* The bool and enum lists hold every such key of both tables, and nothing else. */
static void value_lists(const char *path, const char *bool_open, const char *enum_open, char close)
{
	const enum wslconf_kind kinds[] = { WSLCONF_WSLCONFIG, WSLCONF_WSLCONF };
	struct keylist bools, enums;
	char dotted[128];

	extract(&bools, path, bool_open, close);
	extract(&enums, path, enum_open, close);
	for (int i = 0; i < bools.n; i++) {
		const struct wslkey *k = lookup_any(bools.word[i]);

		if (!k || k->type != KT_BOOL)
			fail_msg("%s: %s is not a boolean key", path, bools.word[i]);
	}
	for (int i = 0; i < enums.n; i++)
		check_enum_entry(path, enums.word[i]);
	for (int j = 0; j < 2; j++)
		for (const struct wslkey *k = wslkeys_table(kinds[j]); k->name; k++) {
			size_t len = (size_t)snprintf(dotted, sizeof(dotted), "%s.%s", k->section,
						      k->name);
			int found = 0;

			if (k->type == KT_BOOL)
				found = listed(&bools, dotted);
			else if (k->type == KT_ENUM)
				for (int i = 0; i < enums.n; i++)
					found |= !strncmp(enums.word[i], dotted, len) &&
						 enums.word[i][len] == '=';
			else
				continue;
			if (!found)
				fail_msg("%s: %s's values are missing from the completion", path, dotted);
		}
	free(bools.text);
	free(enums.text);
}

static void bash_values(void **state)
{
	(void)state;
	value_lists("packaging/completion/wslctl.bash", "_wslctl_bool_keys='",
		    "_wslctl_enum_keys='", '\'');
}

static void zsh_values(void **state)
{
	(void)state;
	value_lists("packaging/completion/_wslctl", "\nbool_keys=(", "\nenum_keys=(", ')');
}

static void bash_wslconfig_keys(void **state)
{
	(void)state;
	same_as_table("packaging/completion/wslctl.bash", "_wslctl_wslconfig_keys='", '\'',
		      WSLCONF_WSLCONFIG);
}

static void bash_wslconf_keys(void **state)
{
	(void)state;
	same_as_table("packaging/completion/wslctl.bash", "_wslctl_wslconf_keys='", '\'',
		      WSLCONF_WSLCONF);
}

static void zsh_wslconfig_keys(void **state)
{
	(void)state;
	same_as_table("packaging/completion/_wslctl", "\nwslconfig_keys=(", ')', WSLCONF_WSLCONFIG);
}

static void zsh_wslconf_keys(void **state)
{
	(void)state;
	same_as_table("packaging/completion/_wslctl", "\nwslconf_keys=(", ')', WSLCONF_WSLCONF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bash_wslconfig_keys),
		cmocka_unit_test(bash_wslconf_keys),
		cmocka_unit_test(zsh_wslconfig_keys),
		cmocka_unit_test(zsh_wslconf_keys),
		cmocka_unit_test(bash_values),
		cmocka_unit_test(zsh_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
