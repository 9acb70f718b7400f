// SPDX-License-Identifier: MIT
#include "argconflict.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static const struct arg_conflict table[] = {
	{ "update", "check", "inbox", "--check changes nothing; --inbox edits .wslconfig" },
	{ "update", "inbox", "custom-kernel", "--inbox boots WSL's own kernel" },
	{ "update", "inbox", "kernel-version", "--inbox boots WSL's own kernel" },
	{ "update", "inbox", "feed", "--inbox boots WSL's own kernel" },
	{ "update", "inbox", "sha256", "--inbox boots WSL's own kernel" },
	{ "update", "inbox", "allow-downgrade", "--inbox boots WSL's own kernel" },
	{ "update", "inbox", "allow-unverified", "--inbox boots WSL's own kernel" },
	{ "update", "inbox", "require-digest", "--inbox boots WSL's own kernel" },
	{ "update", "inbox", "arch", "--inbox boots WSL's own kernel" },
	{ "update", "sha256", "allow-unverified", "--sha256 verifies the package" },
	{ "update", "require-digest", "allow-unverified",
	  "--require-digest refuses what --allow-unverified accepts" },
};

const struct arg_conflict *args_conflicts(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

/* Notes which options were given, then hands each on. */
struct seen {
	int (*on_opt)(void *ud, int id, const char *val, struct error *err);
	void *ud;
	uint64_t ids;
};

static int note(void *ud, int id, const char *val, struct error *err)
{
	struct seen *s = ud;

	if (id >= 0 && id < 64)
		s->ids |= UINT64_C(1) << id;
	return s->on_opt(s->ud, id, val, err);
}

static bool given(const struct option_spec *specs, uint64_t ids, const char *name)
{
	for (; specs->long_name; specs++)
		if (!strcmp(specs->long_name, name))
			return specs->id >= 0 && specs->id < 64 && (ids >> specs->id & 1);
	return false;
}

int args_parse_checked(const char *command, int argc, char **argv,
		       const struct option_spec *specs,
		       int (*on_opt)(void *ud, int id, const char *val, struct error *err),
		       void *ud, char **pos, struct error *err)
{
	struct seen s = { on_opt, ud, 0 };
	int n = args_parse(argc, argv, specs, note, &s, pos, 0, err);

	if (n < 0)
		return -1;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].command, command) && given(specs, s.ids, table[i].a) &&
		    given(specs, s.ids, table[i].b))
			return error_set(err, ERR_USAGE, "%s: --%s and --%s cannot go together: "
					 "%s (man wslctl: options that cannot go together)",
					 command, table[i].a, table[i].b, table[i].why);
	return n;
}
