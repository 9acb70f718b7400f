/* SPDX-License-Identifier: MIT */
/* What a running kernel's release string (osrelease) says about where the kernel came from. */
#ifndef WSLCTL_KRELEASE_H
#define WSLCTL_KRELEASE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when RELEASE is a release of Microsoft's WSL tree: exactly four numeric parts, then
 * "-microsoft-standard-WSL2" and nothing after it (6.18.26.3-microsoft-standard-WSL2).
 * The word "microsoft" alone is no evidence: Microsoft's config sets
 * CONFIG_LOCALVERSION="-microsoft-standard", so any tree built with it carries it, and a
 * '+' after it marks a tree with local changes. Otherwise WHY (when not NULL) gets the
 * reason, to follow "custom kernel RELEASE (".
 */
bool krelease_is_microsoft(const char *release, char *why, size_t n);

#endif
