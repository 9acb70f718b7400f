/* SPDX-License-Identifier: MIT */
/*
 * Windows <-> Linux paths, and the Windows profile that holds .wslconfig.
 *
 * Inside WSL the answers come from WSL itself (cmd.exe through interop for
 * %USERPROFILE%, wslpath for conversions); the pure string mappings below are
 * the documented fallback elsewhere: /mnt/<letter>/rest <-> <LETTER>:\rest.
 * Programs can be replaced for tests: WSLCTL_CMD_EXE, WSLCTL_WSLPATH.
 */
#ifndef WSLCTL_WINPATH_H
#define WSLCTL_WINPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define WINPATH_MAX 4096

/* ---- pure string functions ---- */

/* True for C:\x, C:/x and \\server\share (UNC) paths. */
bool winpath_is_windows_abs(const char *s);
/* MNT/<letter>[/rest] (MNT NULL = "/mnt") -> <LETTER>:\rest, "." and ".." resolved,
 * repeated slashes folded. -1 when the path is not on a drive mount. */
int winpath_mnt_to_windows(const char *linux_path, const char *mnt, char *buf, size_t n);
/* C:\x\y or C:/x/y (also \\?\C:\x) -> MNT/c/x/y. \\wsl.localhost\DISTRO\p and
 * \\wsl$\DISTRO\p -> /p when DISTRO names this distribution (case-insensitive).
 * -1 for anything else (relative, drive-relative "C:x", other UNC shares). */
int winpath_windows_to_mnt(const char *win, const char *mnt, const char *distro,
			   char *buf, size_t n);
/* Decodes what a Windows program printed: UTF-16LE (cmd /u, wsl.exe) when the text
 * has the NUL bytes of it (a BOM is dropped), otherwise bytes as they are. The first
 * line only, without CR/LF and trailing blanks. Returns the length, -1 on bad UTF-16. */
long winpath_decode_output(const char *raw, size_t len, char *buf, size_t n);

/* Why NAME (one path component) cannot be a Windows file name: a character Windows
 * forbids (" * : < > ? | \\ or a control character), a trailing dot or space, or a device
 * name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without an extension). NULL when it
 * can. drvfs stores such names with private-use characters, so Windows finds nothing. */
const char *winpath_bad_name(const char *name);
/* The components of LINUX_PATH that WIN (its Windows form, "X:\\...") names below the
 * drive can all be Windows names: 0, else ERR_INVALID_VALUE naming the first that cannot. */
int winpath_check_names(const char *linux_path, const char *win, struct error *err);

/* ---- running WSL's helpers ---- */

/*
 * Runs argv[0] (PATH search; FALLBACK tried too when it cannot be found) with stdin
 * from /dev/null and stderr discarded, collecting stdout into buf (raw bytes, NUL
 * added). Killed after TIMEOUT_MS. Returns the byte count; -1 with ERR_INTEROP when
 * it could not run, timed out or failed (*missing: the program was not found).
 */
long winpath_run(char *const argv[], const char *fallback, int timeout_ms, char *buf,
		 size_t n, bool *missing, struct error *err);

/* ---- conversions with WSL's help ---- */

enum {
	WINPATH_DRIVE_ONLY = 1 << 0, /* the file must be on a Windows drive (kernel=: the
					VM is not running when Windows reads it) */
};

/* A Linux path as Windows sees it: wslpath -w inside WSL (under ROOT), else the drive
 * mapping. Other absolute paths become \\wsl.localhost\<distro>\... inside WSL only,
 * and never with WINPATH_DRIVE_ONLY. ERR_INVALID_VALUE when there is no such form. */
int winpath_to_windows(const char *root, const char *linux_path, unsigned flags,
		       char *buf, size_t n, struct error *err);
/* A Windows path as a Linux path (to check that a kernel= file exists): wslpath -u
 * inside WSL, else the drive mapping. ERR_INVALID_VALUE when there is none. */
int winpath_to_linux(const char *root, const char *win, char *buf, size_t n,
		     struct error *err);

/* ---- the default .wslconfig ---- */

/* "-" as the config file (WHERE: the option that named it, with its separator) is a usage error: 0 else. */
int winpath_dash(const char *path, const char *where, struct error *err);

struct winpath_found {
	char path[WINPATH_MAX];    /* the .wslconfig to use */
	char profile[WINPATH_MAX]; /* %USERPROFILE% as Windows writes it, "" when not asked */
	const char *source;        /* "flag", "env", "interop", "cache"; "none" */
	char how[WINPATH_MAX + 128]; /* one line for `config path` */
};

/* The Windows profile folder as a Linux path (and its Windows form in WIN when not
 * NULL). Asked through cmd.exe once and cached in $XDG_CACHE_HOME/wslctl/userprofile.
 * *CACHED tells where it came from. ERR_USAGE outside WSL, ERR_INTEROP on failure. */
int winpath_userprofile(const char *root, char *buf, size_t n, char *win, size_t wn,
			bool *cached, struct error *err);
/* %USERPROFILE%\.wslconfig of the WSL machine under ROOT, asked through cmd.exe once and
 * cached (winpath_userprofile): what winpath_find_wslconfig uses on the live machine.
 * 1 with F filled, or -1 (ERR_USAGE outside WSL, ERR_INTEROP when Windows cannot tell). */
int winpath_profile_wslconfig(const char *root, struct winpath_found *f, struct error *err);

/* What a command needs of .wslconfig. */
enum winpath_need {
	WINPATH_REQUIRED, /* none known is a usage error that names --wslconfig */
	WINPATH_OPTIONAL, /* none known is no error: the caller says so (F->how: why) */
	WINPATH_SKIP,     /* not needed now: a given one is taken, nothing is looked for */
};

/*
 * Which .wslconfig to use, one rule for every command. GIVEN (--wslconfig or
 * WSLCTL_WSLCONFIG, as main merged them) always wins. Under --root (ROOT other than "/":
 * a recorded machine, a fixture tree) the live machine is never consulted, so GIVEN is
 * the only way to name one. Without it, inside WSL it is %USERPROFILE%\.wslconfig, asked
 * through interop (winpath_profile_wslconfig); elsewhere there is none to find.
 * Returns 1 with F filled; 0 when none is known and NEED allows it (F->source "none",
 * F->how says why); -1 on error: none known when REQUIRED (ERR_USAGE), or Windows could
 * not tell inside WSL (ERR_INTEROP, whatever NEED).
 */
int winpath_find_wslconfig(const char *root, const char *given, enum winpath_need need,
			   struct winpath_found *f, struct error *err);

#endif
