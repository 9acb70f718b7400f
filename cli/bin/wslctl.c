// SPDX-License-Identifier: MIT
/* wslctl's half of the table: the network commands run wslctl-net. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo.h"
#include "commands.h"
#include "help.h"

static int exec_net(struct ctx *c, int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)argc;
	(void)argv;
	fflush(NULL);
	/* wslctl-net lives elsewhere (LIBEXECDIR): hand it the data dir found from here. */
	if (c->data_dir)
		setenv("WSLCTL_DATA_DIR", c->data_dir, 0);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/wslctl-net", self);
			execv(path, c->argv);
			/* Installed: LIBEXECDIR relative to BINDIR, so DESTDIR trees work too. */
			snprintf(path, sizeof(path), "%s/%s/wslctl-net", self, WSLCTL_LIBEXEC_REL);
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
