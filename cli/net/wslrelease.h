/* SPDX-License-Identifier: MIT */
/*
 * Which WSL release a channel means, resolved as `wsl.exe --update [--pre-release]` does,
 * and the kernel that release pins in its packages.config. wslctl-net only.
 */
#ifndef WSLCTL_WSLRELEASE_H
#define WSLCTL_WSLRELEASE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "feed_fetch.h"

struct wsl_release {
	char tag[128];      /* tag_name, e.g. "2.8.9" */
	char name[256];     /* release name */
	char version[64];   /* numbers read from the name (or tag) */
	char kernel[128];   /* Microsoft.WSL.Kernel version pinned at that tag */
};

/*
 * Stable: API/repos/microsoft/WSL/releases/latest. Pre-release: the highest version among
 * the non-draft releases of the first page of API/repos/microsoft/WSL/releases. Then the
 * kernel pinned in packages.config at that tag (contents API). Fetches through NET.
 */
int wsl_release_resolve(const struct feed_fetch *net, const char *api, bool pre_release,
			struct wsl_release *r, struct error *err);

/*
 * Finds <package id="ID" version="V" .../> in packages.config text (attributes in any
 * order, either quote, any spacing, id case-insensitive, comments skipped). 1 found,
 * 0 not there.
 */
int wsl_release_pinned(const char *xml, const char *id, char *version, size_t n);

#endif
