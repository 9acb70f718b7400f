/* SPDX-License-Identifier: MIT */
/*
 * One spelling per Windows path, so that two values naming the same file compare equal.
 *
 * Windows reads C:\a\b, c:/A//b, C:\a\.\b, C:\a\x\..\b, \\?\C:\a\b and C:\a\b. as one
 * file: its path parsing folds '/' into '\', runs of separators into one, drops "." and
 * resolves ".." (never above the root), strips the trailing dots and spaces of a name,
 * and NTFS compares names without regard to case. kernel= and kernelModules= are matched
 * with the store's own paths that way (docs/store.md, "How a Windows path is normalised").
 * What a string cannot tell (8.3 short names, junctions, %VARIABLES%) is left to the
 * caller's file-identity check.
 */
#ifndef WSLCTL_WINNORM_H
#define WSLCTL_WINNORM_H

#include <stdbool.h>
#include <stddef.h>

/*
 * WIN in its one spelling (case kept: compare with winnorm_same or strncasecmp): a drive
 * path as "C:\a\b" (drive letter upper case), a UNC path as "\\server\share\a". The
 * \\?\, \\.\ and \??\ prefixes are dropped (\\?\UNC\s\x is \\s\x), the administrative
 * share \\localhost\C$ (or \\127.0.0.1\C$) is C:, and a name's "::$DATA" (its default
 * stream) is dropped. -1 when WIN is not an absolute Windows path or the result does
 * not fit N.
 */
int winnorm(const char *win, char *buf, size_t n);
/* True when A and B name the same path once both are normalised (ASCII letters compared
 * without case); paths that cannot be normalised are compared as they are, ignoring case. */
bool winnorm_same(const char *a, const char *b);

#endif
