/* SPDX-License-Identifier: MIT */
/* What the config, enable and disable commands share: which file, opening it, reporting writes. */
#ifndef WSLCTL_WSLCONFIG_CMD_H
#define WSLCTL_WSLCONFIG_CMD_H

#include <stdbool.h>

#include "ctx.h"
#include "winpath.h"
#include "wslconfig.h"

/* The file to work on: FILE (--file) when given, else the .wslconfig, which these
 * commands require (winpath_find_wslconfig). */
int wslconfig_cmd_locate(struct ctx *c, const char *file, struct winpath_found *f);
/* Loads PATH; to EDIT it takes the writers' lock too, unless --dry-run (which writes nothing). */
int wslconfig_cmd_open(struct ctx *c, const char *path, bool edit, struct wslconfig **cfg);
/* Writes (unless --dry-run) and reports: the writing verbs' JSON in c->result, a line per
 * change on stdout. Returns 0, or -1 with c->err set. */
int wslconfig_cmd_commit(struct ctx *c, struct wslconfig *cfg);

#endif
