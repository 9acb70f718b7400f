/* SPDX-License-Identifier: MIT */
/*
 * The host half of WSL, through interop: `wsl.exe --version` and
 * `wsl.exe --update [--pre-release]` (the program is WSLCTL_WSL_EXE when set).
 */
#ifndef WSLCTL_PLATFORM_H
#define WSLCTL_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Inside WSL (under ROOT) with interop to run wsl.exe. */
bool platform_available(const char *root);
/* The WSL version wsl.exe --version reports ("2.9.4.0"); -1 when it cannot tell. */
int platform_wsl_version(char *buf, size_t n);
/* Runs wsl.exe --update [--pre-release], its output going to our stderr. ERR_INTEROP
 * when it cannot run or fails. */
int platform_update(bool pre_release, struct error *err);

#endif
