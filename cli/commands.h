/* SPDX-License-Identifier: MIT */
/*
 * The command table. `wslctl` links only the libraries that config, enable,
 * disable and check need; the commands in net_commands.def (network, archives,
 * digests) live in `wslctl-net`, which `wslctl` runs in their place, the way
 * git runs git-remote-https.
 */
#ifndef WSLCTL_COMMANDS_H
#define WSLCTL_COMMANDS_H

#include "ctx.h"

/*
 * A handler gets the command's own arguments (argv[0] is the command name,
 * global options already removed). It returns an exit code (0 or 1) after
 * filling c->result, or -1 after filling c->err.
 */
typedef int command_fn(struct ctx *c, int argc, char **argv);

struct command {
	const char *name;
	const char *summary; /* one line for `wslctl --help` */
	const char *help;    /* full text for `wslctl CMD --help`: usage, options, examples */
	command_fn *run;
};

/* NULL-terminated tables. */
extern const struct command core_commands[];
extern const struct command net_commands[];

const struct command *command_find(const char *name);

command_fn cmd_enable, cmd_disable, cmd_config, cmd_check, cmd_bench;

#endif
