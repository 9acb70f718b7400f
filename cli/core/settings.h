/* SPDX-License-Identifier: MIT */
/* wslctl's own settings files (INI, read with libinih). */
#ifndef WSLCTL_SETTINGS_H
#define WSLCTL_SETTINGS_H

#include "error.h"

struct settings {
	char feed[512];    /* [update] feed = nuget:Microsoft.WSL.Kernel@URL | github:O/R | ... */
	char channel[32];  /* [update] channel = stable | pre-release */
	char releases[512];/* [update] releases = GitHub API base */
	char store[1024];  /* [store] path = kernel store and download cache (like --home) */
	int jobs;          /* [build] jobs = make -j, 0 = number of CPUs */
};

/*
 * Built-in defaults, then /etc/wslctl.conf (or WSLCTL_SYSTEM_CONFIG), then
 * $XDG_CONFIG_HOME/wslctl/config (~/.config/wslctl/config). Missing files are
 * fine; a malformed one is an error naming file and line.
 */
int settings_load(struct settings *s, struct error *err);
int settings_load_file(struct settings *s, const char *path, struct error *err);

#endif
