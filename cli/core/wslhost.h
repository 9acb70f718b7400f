/* SPDX-License-Identifier: MIT */
/* The WSL package version, from `wsl.exe --version` run through interop. */
#ifndef WSLCTL_WSLHOST_H
#define WSLCTL_WSLHOST_H

#include <stddef.h>

#include "error.h"

/*
 * Runs PROGRAM --version (searched in PATH when it has no '/') with stdin from
 * /dev/null, for at most TIMEOUT_MS, and finds the WSL version in what it prints.
 * Returns 1 with VER filled, 0 when it ran but printed no version (EXIT gets its exit
 * status), -1 with ERR_NOT_FOUND when the program is missing, ERR_INTEROP otherwise.
 */
int wslhost_version(const char *program, int timeout_ms, char *ver, size_t n, int *exit,
		    struct error *err);

/*
 * Finds the WSL version in wsl.exe's output: UTF-16LE (with or without BOM, as wsl.exe
 * writes it) or UTF-8 (WSL_UTF8=1). The labels are translated, but every locale prints
 * the lines in the same order and the WSL version first; so the version is the value of
 * the first line whose value -- the text after the last ':' (or fullwidth '：'), else
 * after the last space -- is N.N.N or N.N.N.N. Returns 1 when found, 0 otherwise.
 */
int wslhost_parse(const unsigned char *out, size_t len, char *ver, size_t n);

#endif
