/* SPDX-License-Identifier: MIT */
/*
 * The host half of WSL, through interop: wsl.exe --version (the WSL package version) and
 * wsl.exe --update [--pre-release]. The program is WSLCTL_WSL_EXE when set.
 */
#ifndef WSLCTL_WSLEXE_H
#define WSLCTL_WSLEXE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/*
 * Runs PROGRAM --version (searched in PATH when it has no '/') with stdin from
 * /dev/null, for at most TIMEOUT_MS, and finds the WSL version in what it prints.
 * Returns 1 with VER filled, WSLEXE_USAGE when it printed its usage instead (the inbox
 * wsl.exe, which does not know --version), 0 when it ran but printed neither (EXIT gets
 * its exit status either way), -1 with ERR_NOT_FOUND when the program is missing or
 * cannot run here (a Windows program without interop: ERR's message says which),
 * ERR_INTEROP otherwise.
 */
#define WSLEXE_USAGE 2
int wslexe_ask_version(const char *program, int timeout_ms, char *ver, size_t n, int *exit,
		       struct error *err);

/*
 * Finds the WSL version in wsl.exe's output: UTF-16LE (with or without BOM, as wsl.exe
 * writes it) or UTF-8 (WSL_UTF8=1). The labels are translated, but every locale prints
 * the lines in the same order and the WSL version first; so the version is the value of
 * the first line whose value -- the text after the last ':' (or fullwidth '：'), else
 * after the last space -- is N.N.N or N.N.N.N. Returns 1 when found, WSLEXE_USAGE when
 * the text is wsl.exe's usage (it names --version, its own options or "wsl.exe ["),
 * 0 otherwise.
 */
int wslexe_parse_version(const unsigned char *out, size_t len, char *ver, size_t n);

/* wsl.exe, or WSLCTL_WSL_EXE when set. */
const char *wslexe_program(void);
/* Inside WSL (under ROOT) with interop to run wsl.exe; under a --root other than "/" only
 * when WSLCTL_WSL_EXE names it (a recorded machine is not this one). */
bool wslexe_available(const char *root);
/* The WSL version wsl.exe --version reports ("2.9.4.0"); -1 when it cannot tell. */
int wslexe_version(char *buf, size_t n);
/* Runs wsl.exe --update [--pre-release], its output going to our stderr. ERR_INTEROP
 * when it cannot run or fails. */
int wslexe_update(bool pre_release, struct error *err);

#endif
