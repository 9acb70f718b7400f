/* SPDX-License-Identifier: MIT */
/*
 * Option pairs that cannot go together, for every command in one table (the man page's
 * "OPTIONS THAT CANNOT GO TOGETHER" and docs/cli.md show the same rows; a unit test
 * keeps them equal, an e2e test runs every pair). A command parses through
 * args_parse_checked, which refuses such a pair as a usage error (exit 2) naming both
 * options, before anything is read or written.
 */
#ifndef WSLCTL_ARGCONFLICT_H
#define WSLCTL_ARGCONFLICT_H

#include <stddef.h>

#include "args.h"

struct arg_conflict {
	const char *command; /* "update", "kernel", "build" */
	const char *a, *b;   /* long option names, without "--" */
	const char *why;     /* one clause: why they contradict */
};

/* The whole table (for the tests and the documentation check). */
const struct arg_conflict *args_conflicts(size_t *n);

/*
 * args_parse for COMMAND, then ERR_USAGE ("--A and --B cannot go together: WHY") when
 * two options of one row of the table were both given. Option ids must be below 64.
 */
int args_parse_checked(const char *command, int argc, char **argv,
		       const struct option_spec *specs,
		       int (*on_opt)(void *ud, int id, const char *val, struct error *err),
		       void *ud, char **pos, struct error *err);

#endif
