// SPDX-License-Identifier: MIT
/* wslctl-net's half of the table: the real handlers. */
#include "commands.h"
#include "help.h"

command_fn cmd_update, cmd_kernel, cmd_build;

#define NET_COMMAND(n, s, h) { #n, s, h, cmd_##n },
const struct command net_commands[] = {
#include "net_commands.def"
	{ NULL, NULL, NULL, NULL },
};
