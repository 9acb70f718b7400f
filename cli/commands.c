// SPDX-License-Identifier: MIT
#include <string.h>

#include "commands.h"
#include "help.h"

const struct command core_commands[] = {
	{ "enable", "Turn a WSL feature on in .wslconfig (virtiofs)", help_enable, cmd_enable },
	{ "disable", "Turn a WSL feature off in .wslconfig", help_disable, cmd_disable },
	{ "config", "Get, set, unset, list and validate .wslconfig keys as WSL reads them",
	  help_config, cmd_config },
	{ "check", "Validate the running kernel through /proc and /sys", help_check, cmd_check },
	{ "bench", "Measure file I/O on the Windows side against Linux, before and after",
	  help_bench, cmd_bench },
	{ NULL, NULL, NULL, NULL },
};

const struct command *command_find(const char *name)
{
	for (const struct command *t = core_commands; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	for (const struct command *t = net_commands; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}
