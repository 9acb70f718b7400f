/* SPDX-License-Identifier: MIT */
/*
 * The folder --home names: where the kernel store lives, and whatever a command keeps
 * beside it. One rule for both binaries, so a core command finds it without cli/net/.
 */
#ifndef WSLCTL_HOMEDIR_H
#define WSLCTL_HOMEDIR_H

#include <stddef.h>

#include "error.h"

/*
 * The folder, absolute: HOME when given (--home, WSLCTL_HOME or the settings' [store]
 * path; a relative one is taken from the current folder), else inside WSL
 * %USERPROFILE%\.wslctl (a kernel must live where Windows can read it), else
 * $XDG_DATA_HOME/wslctl, else ~/.local/share/wslctl. Under a ROOT other than "/" that
 * looks like WSL (a recorded machine) it must be given: this machine's Windows profile
 * is not that machine's. Creates nothing. ERR_USAGE when none of them can be worked out
 * (the message names --home). Symbolic links in it are resolved (homedir_canonical), so
 * the store's Windows path is worked out from where its files really are.
 */
int homedir_resolve(const char *home, const char *root, char *buf, size_t n,
		    struct error *err);
/* BUF (an absolute path, N bytes) with its links resolved: realpath of the longest part
 * that exists, then the rest with "." and ".." folded. ERR_INVALID_VALUE when a part
 * cannot be resolved (permission, a file where a folder should be). */
int homedir_canonical(char *buf, size_t n, struct error *err);

#endif
