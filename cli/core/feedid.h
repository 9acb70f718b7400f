/* SPDX-License-Identifier: MIT */
/*
 * The names a feed spec carries: a NuGet package id and GitHub's OWNER/REPO. They end up
 * in URLs the tool builds and in the store's cache names, so each is held to NuGet's
 * alphabet ([A-Za-z0-9._-], at most 100 characters, not "." or ".."). Checked where a
 * spec comes in: `--feed` (feed.c) and the settings file (settings.c).
 */
#ifndef WSLCTL_FEEDID_H
#define WSLCTL_FEEDID_H

#include <stdbool.h>
#include <stddef.h>

/* The N bytes at S are one such name. */
bool feedid_name_ok(const char *s, size_t n);
/*
 * 0 when SPEC's id part is acceptable (or SPEC is not a nuget:/github: spec); -1 with
 * the reason in WHY otherwise.
 */
int feedid_spec_check(const char *spec, char *why, size_t n);

#endif
