/* Reading /proc, /sys and /run under a root folder (--root; "/" on a real machine). */
#ifndef WSLCTL_SYSPROBE_H
#define WSLCTL_SYSPROBE_H

#include <stdbool.h>
#include <stddef.h>

/* Reads ROOT/REL into buf (NUL-terminated, trailing newline kept). Returns bytes or -1. */
long sysprobe_read(const char *root, const char *rel, char *buf, size_t n);
/* True when ROOT/REL exists. */
bool sysprobe_exists(const char *root, const char *rel);
/* Inside a WSL 2 (or WSL 1) machine: osrelease names Microsoft/WSL, or the machine shows
 * WSL's interop (binfmt_misc/WSLInterop*, /run/WSL). */
bool sysprobe_is_wsl(const char *root);

#endif
