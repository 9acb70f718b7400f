/* Placeholder until this command lands: it fails loudly. */
#include "commands.h"

int cmd_kernel(struct ctx *c, int argc, char **argv);
int cmd_kernel(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return error_set(&c->err, ERR_IO, "cmd_kernel: not implemented yet");
}

