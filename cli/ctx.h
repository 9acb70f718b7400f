/* SPDX-License-Identifier: MIT */
/* What main hands every command: resolved global options and the result object. */
#ifndef WSLCTL_CTX_H
#define WSLCTL_CTX_H

#include <stdbool.h>

#include <jansson.h>

#include "error.h"
#include "settings.h"

struct ctx {
	bool json;      /* --json: one object on stdout, human text on stderr */
	bool dry_run;   /* -n, --dry-run */
	/* Colour per stream (output_init): on where that stream is a terminal and colour is
	 * not turned off. Ask col_for(c, stream, k), or col(c, k) for out()'s stream. */
	bool color_out; /* stdout */
	bool color_err; /* stderr */
	bool progress;  /* stderr is a terminal (not dumb), not --json/-q: progress bars */
	int verbosity;  /* -1 quiet, 0 normal, 1+ verbose */

	const char *wslconfig; /* --wslconfig / WSLCTL_WSLCONFIG, NULL when not given */
	const char *root;      /* --root / WSLCTL_ROOT, "/" by default */
	const char *home;      /* --home / WSLCTL_HOME / settings, NULL = work it out */
	const char *data_dir;  /* where kernel-config/ and patches/ are */

	struct settings settings;

	/* The command's result: main adds "ok" when missing and prints it with --json. */
	json_t *result;
	struct error err;

	int argc;      /* the original command line, for handing over to wslctl-net */
	char **argv;
};

#endif
