/* wslctl's half of the table: the network commands run wslctl-net. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "help.h"

#ifndef WSLCTL_LIBEXEC
#define WSLCTL_LIBEXEC "/usr/local/libexec/wslctl"
#endif

static int exec_net(struct ctx *c, int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)argc;
	(void)argv;
	fflush(NULL);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/wslctl-net", self);
			execv(path, c->argv);
		}
	}
	snprintf(path, sizeof(path), "%s/wslctl-net", WSLCTL_LIBEXEC);
	execv(path, c->argv);
	return error_set(&c->err, ERR_IO,
			 "cannot run %s: %s (the network commands live in wslctl-net; reinstall wslctl)",
			 path, strerror(errno));
}

#define NET_COMMAND(n, s, h) { #n, s, h, exec_net },
const struct command net_commands[] = {
#include "net_commands.def"
	{ NULL, NULL, NULL, NULL },
};
