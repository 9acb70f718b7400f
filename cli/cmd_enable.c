/* Placeholder until this command lands: it fails loudly. */
#include "commands.h"

int cmd_enable(struct ctx *c, int argc, char **argv);
int cmd_enable(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return error_set(&c->err, ERR_IO, "cmd_enable: not implemented yet");
}

int cmd_disable(struct ctx *c, int argc, char **argv);
int cmd_disable(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return error_set(&c->err, ERR_IO, "cmd_disable: not implemented yet");
}

