/* SPDX-License-Identifier: MIT */
/* Table-driven option parsing shared by main and every command (curl style). */
#ifndef WSLCTL_ARGS_H
#define WSLCTL_ARGS_H

#include "error.h"

enum { ARG_NONE = 0, ARG_REQUIRED = 1 };

struct option_spec {
	const char *long_name; /* without the leading "--" */
	char short_name;       /* 0 when there is none */
	int has_arg;           /* ARG_NONE or ARG_REQUIRED */
	int id;                /* handed back to the caller */
};

/*
 * Walks argv[0..argc) (argv[0] is NOT skipped). Each option found in
 * `specs` is reported through on_opt; everything else is collected into
 * pos[] (caller-provided, at least argc entries) in order. "--" ends
 * options; "-" and negative numbers ("-1", "-0x10") are positional.
 * Unknown options are a usage error unless `keep_unknown`, in which case
 * they are kept as positional (main uses this to leave command options
 * to the command; in "-nf" the unknown tail is kept as "-f"). Returns the
 * number of positionals or -1.
 */
int args_parse(int argc, char **argv, const struct option_spec *specs,
	       int (*on_opt)(void *ud, int id, const char *val, struct error *err),
	       void *ud, char **pos, int keep_unknown, struct error *err);

/*
 * args_parse of a command's words after its name (argv[1..argc)) for a command that takes
 * options only: a word that is not an option is a usage error naming NAME's help.
 */
int args_parse_options(int argc, char **argv, const struct option_spec *specs,
		       int (*on_opt)(void *ud, int id, const char *val, struct error *err),
		       void *ud, const char *name, struct error *err);

/*
 * The command line (main's argv) and the options every command also takes: an unknown
 * long option that is one of these words is answered with the nearest of the parser's
 * own options and these ("did you mean '--json'?"). Words from elsewhere (a patch
 * series) get only their parser's own.
 */
void args_set_cmdline(int argc, char **argv, const struct option_spec *globals);

/* Parses a whole decimal number in [min, max]; -1 with a usage error otherwise. */
int args_int(const char *opt, const char *val, long min, long max, long *out,
	     struct error *err);

#endif
