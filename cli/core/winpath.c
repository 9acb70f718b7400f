// SPDX-License-Identifier: MIT
#include "winpath.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "safefile.h"
#include "spawner.h"
#include "sysprobe.h"

/* An interop call costs tens of ms; a cold start of the Windows side can take seconds. */
#define INTEROP_TIMEOUT_MS 8000
/* Where cmd.exe is when the distribution does not append Windows' PATH. */
#define CMD_EXE_FALLBACK "/mnt/c/Windows/System32/cmd.exe"

/* ---- pure string functions ---- */

static bool is_sep(char c)
{
	return c == '/' || c == '\\';
}

bool winpath_is_windows_abs(const char *s)
{
	if (!s)
		return false;
	if (isalpha((unsigned char)s[0]) && s[1] == ':' && is_sep(s[2]))
		return true;
	return s[0] == '\\' && s[1] == '\\' && s[2] && !is_sep(s[2]);
}

/*
 * Appends the components of REST to out[*len] (each preceded by SEP), folding
 * repeated separators and resolving "." and ".." lexically; ".." never climbs
 * above BASE. SEPS are the separators REST uses.
 */
static int append_components(const char *rest, bool backslash_too, char sep, char *out,
			     size_t n, size_t base, size_t *len)
{
	const char *p = rest;

	while (*p) {
		size_t clen;

		while (*p == '/' || (backslash_too && *p == '\\'))
			p++;
		if (!*p)
			break;
		clen = backslash_too ? strcspn(p, "/\\") : strcspn(p, "/");
		if (clen == 1 && p[0] == '.') {
			p += clen;
			continue;
		}
		if (clen == 2 && p[0] == '.' && p[1] == '.') {
			if (*len <= base)
				return -1;
			while (*len > base && out[*len - 1] != sep)
				(*len)--;
			if (*len > base)
				(*len)--;
			out[*len] = '\0';
			p += clen;
			continue;
		}
		/* A Linux name with a backslash has no Windows spelling. */
		if (!backslash_too && memchr(p, '\\', clen))
			return -1;
		if (*len + 1 + clen + 1 > n)
			return -1;
		out[(*len)++] = sep;
		memcpy(out + *len, p, clen);
		*len += clen;
		out[*len] = '\0';
		p += clen;
	}
	return 0;
}

/* Length of MNT without trailing slashes ("/" counts as the empty prefix). */
static size_t mnt_len(const char *mnt)
{
	size_t l = strlen(mnt);

	while (l > 0 && mnt[l - 1] == '/')
		l--;
	return l;
}

int winpath_mnt_to_windows(const char *linux_path, const char *mnt, char *buf, size_t n)
{
	const char *p;
	size_t ml, len;

	if (!linux_path || n < 4)
		return -1;
	if (!mnt)
		mnt = "/mnt";
	ml = mnt_len(mnt);
	if (strncmp(linux_path, mnt, ml) || linux_path[ml] != '/')
		return -1;
	p = linux_path + ml;
	while (*p == '/')
		p++;
	if (!isalpha((unsigned char)p[0]) || (p[1] != '/' && p[1] != '\0'))
		return -1;
	buf[0] = (char)toupper((unsigned char)p[0]);
	buf[1] = ':';
	buf[2] = '\0';
	len = 2;
	if (append_components(p + 1, false, '\\', buf, n, 2, &len) < 0)
		return -1;
	if (len == 2) {
		buf[2] = '\\';
		buf[3] = '\0';
	}
	return 0;
}

int winpath_windows_to_mnt(const char *win, const char *mnt, const char *distro,
			   char *buf, size_t n)
{
	size_t len;

	if (!win || !n)
		return -1;
	if (!mnt)
		mnt = "/mnt";
	/* \\?\C:\x is C:\x without Win32's path parsing. */
	if (!strncmp(win, "\\\\?\\", 4) && isalpha((unsigned char)win[4]) && win[5] == ':')
		win += 4;
	if (isalpha((unsigned char)win[0]) && win[1] == ':' && is_sep(win[2])) {
		len = mnt_len(mnt);
		if (len + 4 > n)
			return -1;
		memcpy(buf, mnt, len);
		buf[len++] = '/';
		buf[len++] = (char)tolower((unsigned char)win[0]);
		buf[len] = '\0';
		if (append_components(win + 3, true, '/', buf, n, len, &len) < 0)
			return -1;
	} else if (is_sep(win[0]) && is_sep(win[1])) {
		const char *host = win + 2, *dist, *rest;
		size_t hl, dl;

		hl = strcspn(host, "/\\");
		if (!((hl == 13 && !strncasecmp(host, "wsl.localhost", 13)) ||
		      (hl == 4 && !strncasecmp(host, "wsl$", 4))) || !host[hl])
			return -1;
		dist = host + hl + 1;
		dl = strcspn(dist, "/\\");
		if (!distro || !*distro || dl != strlen(distro) || strncasecmp(dist, distro, dl))
			return -1;
		rest = dist + dl;
		buf[0] = '\0';
		len = 0;
		if (append_components(rest, true, '/', buf, n, 0, &len) < 0)
			return -1;
		if (len == 0) {
			if (n < 2)
				return -1;
			buf[len++] = '/';
			buf[len] = '\0';
		}
		return 0;
	} else {
		return -1;
	}
	/* C:\ and C:\x\ keep their trailing separator, as wslpath -u does. */
	if (is_sep(win[strlen(win) - 1]) && buf[len - 1] != '/') {
		if (len + 2 > n)
			return -1;
		buf[len++] = '/';
		buf[len] = '\0';
	}
	return 0;
}

/* Appends code point CP as UTF-8; -1 when it does not fit. */
static int put_utf8(uint32_t cp, char *buf, size_t n, size_t *len)
{
	unsigned char b[4];
	size_t k;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		k = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	if (*len + k + 1 > n)
		return -1;
	memcpy(buf + *len, b, k);
	*len += k;
	return 0;
}

/* Cuts buf[0..len) to its first non-blank line, trimmed. */
static long first_line(char *buf, size_t len)
{
	char *s = buf, *e;

	buf[len] = '\0';
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != '\r' && *s != '\n')
			break;
		s++;
	}
	e = s + strcspn(s, "\r\n");
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	memmove(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	return (long)(e - s);
}

long winpath_decode_output(const char *raw, size_t len, char *buf, size_t n)
{
	const unsigned char *u = (const unsigned char *)raw;
	size_t out = 0, i = 0;

	if (!n)
		return -1;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || u[1] == 0)) {
		if (u[0] == 0xFF && u[1] == 0xFE)
			i = 2;
		for (; i + 1 < len; i += 2) {
			uint32_t cp = (uint32_t)(u[i] | u[i + 1] << 8);

			if (cp >= 0xD800 && cp < 0xDC00) {
				uint32_t lo;

				if (i + 3 >= len)
					return -1;
				lo = (uint32_t)(u[i + 2] | u[i + 3] << 8);
				if (lo < 0xDC00 || lo >= 0xE000)
					return -1;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			} else if (cp >= 0xDC00 && cp < 0xE000) {
				return -1;
			}
			if (cp == 0)
				break;
			if (put_utf8(cp, buf, n, &out) < 0)
				return -1;
		}
	} else {
		size_t k = strnlen(raw, len);

		if (k + 1 > n)
			return -1;
		memcpy(buf, raw, k);
		out = k;
	}
	return first_line(buf, out);
}

/* NAME without its extension (and the spaces before it) is a device name of Windows. */
static bool reserved_device(const char *name)
{
	static const char *const devs[] = { "CON", "PRN", "AUX", "NUL" };
	size_t len = strcspn(name, ".");

	while (len && name[len - 1] == ' ')
		len--;
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		if (len == 3 && !strncasecmp(name, devs[i], 3))
			return true;
	return len == 4 && (!strncasecmp(name, "COM", 3) || !strncasecmp(name, "LPT", 3)) &&
	       name[3] >= '1' && name[3] <= '9';
}

const char *winpath_bad_name(const char *name)
{
	size_t len = strlen(name);

	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || strchr("\"*:<>?|\\", *p))
			return "has a character Windows does not allow in a name "
			       "(\" * : < > ? | \\ or a control character)";
	if (len && (name[len - 1] == '.' || name[len - 1] == ' ') && strcmp(name, ".") &&
	    strcmp(name, ".."))
		return "ends with a dot or a space, which Windows drops";
	if (reserved_device(name))
		return "is a device name Windows reserves (CON, PRN, AUX, NUL, COM1-9, LPT1-9)";
	return NULL;
}

int winpath_check_names(const char *linux_path, const char *win, struct error *err)
{
	const char *end = linux_path + strlen(linux_path), *p;
	size_t below = 0;

	/* As many trailing components as the Windows form has after the drive ("C:\"). */
	for (p = win + (isalpha((unsigned char)win[0]) && win[1] == ':' ? 2 : 0); *p; p++)
		if (!is_sep(*p) && (p == win || is_sep(p[-1]) || p[-1] == ':'))
			below++;
	for (; below && end > linux_path; below--) {
		char name[256];
		const char *start = end, *why;

		while (start > linux_path && start[-1] != '/')
			start--;
		if (end > start && (size_t)(end - start) < sizeof(name)) {
			memcpy(name, start, (size_t)(end - start));
			name[end - start] = '\0';
			why = winpath_bad_name(name);
			if (why)
				return error_set(err, ERR_INVALID_VALUE,
						 "%s: the folder name '%s' %s; the kernel must live "
						 "where Windows can open it: choose another --home",
						 linux_path, name, why);
		}
		end = start;
		while (end > linux_path && end[-1] == '/')
			end--;
	}
	return 0;
}

/* ---- running WSL's helpers ---- */

long winpath_run(char *const argv[], const char *fallback, int timeout_ms, char *buf,
		 size_t n, bool *missing, struct error *err)
{
	struct spawn_result r;

	if (missing)
		*missing = false;
	if (spawn_capture((const char *const *)argv, fallback, timeout_ms, buf, n, &r, err) < 0) {
		if (missing)
			*missing = err && err->code == ERR_NOT_FOUND;
		if (err)
			err->code = ERR_INTEROP;
		return -1;
	}
	if (r.timed_out)
		return error_set(err, ERR_INTEROP, "%s did not answer within %d s (is interop "
				 "with Windows working? try: wsl.exe --shutdown)", argv[0],
				 timeout_ms / 1000);
	if (r.status)
		return error_set(err, ERR_INTEROP, "%s failed (exit %d)", argv[0], r.status);
	return (long)r.len;
}

static const char *prog(const char *env, const char *def)
{
	const char *p = getenv(env);

	return p && *p ? p : def;
}

/* wslpath MODE ARG, first line of its answer into buf. 1 when wslpath is not there. */
static int wslpath(const char *mode, const char *arg, char *buf, size_t n, struct error *err)
{
	char *argv[] = { (char *)prog("WSLCTL_WSLPATH", "wslpath"), (char *)mode, (char *)arg,
			 NULL };
	char raw[WINPATH_MAX];
	bool missing;
	long r;

	r = winpath_run(argv, NULL, INTEROP_TIMEOUT_MS, raw, sizeof(raw), &missing, err);
	if (r < 0)
		return missing ? 1 : -1;
	if (winpath_decode_output(raw, (size_t)r, buf, n) <= 0)
		return error_set(err, ERR_INTEROP, "wslpath %s %s gave no path", mode, arg);
	return 0;
}

/* ROOT/mnt for fixture trees, "/mnt" on a real machine. */
static const char *mount_root(const char *root, char *buf, size_t n)
{
	if (!root || !strcmp(root, "/") || !*root)
		return "/mnt";
	snprintf(buf, n, "%.*s/mnt", (int)mnt_len(root), root);
	return buf;
}

/* ---- conversions with WSL's help ---- */

int winpath_to_windows(const char *root, const char *linux_path, unsigned flags,
		       char *buf, size_t n, struct error *err)
{
	char abs[WINPATH_MAX], mbuf[WINPATH_MAX];
	const char *distro = getenv("WSL_DISTRO_NAME");
	bool wsl = sysprobe_is_wsl(root ? root : "/");
	struct error ignored;
	int r = 1;

	if (winpath_is_windows_abs(linux_path)) {
		if (flags & WINPATH_DRIVE_ONLY && linux_path[0] == '\\')
			return error_set(err, ERR_INVALID_VALUE,
					 "%s is not on a Windows drive: the kernel must live on the "
					 "Windows side, e.g. C:\\wsl\\bzImage", linux_path);
		snprintf(buf, n, "%s", linux_path);
		return 0;
	}
	if (linux_path[0] != '/') {
		char cwd[WINPATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return error_set(err, ERR_IO, "cannot get the current folder: %s",
					 strerror(errno));
		if (snprintf(abs, sizeof(abs), "%s/%s", cwd, linux_path) >= (int)sizeof(abs))
			return error_set(err, ERR_INVALID_VALUE, "%s/%s: the path is too long",
					 cwd, linux_path);
		linux_path = abs;
	}
	/* wslpath knows the automount root; it may refuse files that do not exist yet. */
	if (wsl)
		r = wslpath("-w", linux_path, buf, n, &ignored);
	if (r != 0 &&
	    winpath_mnt_to_windows(linux_path, mount_root(root, mbuf, sizeof(mbuf)), buf, n) &&
	    winpath_mnt_to_windows(linux_path, "/mnt", buf, n)) {
		if (!wsl || flags & WINPATH_DRIVE_ONLY || !distro || !*distro)
			return error_set(err, ERR_INVALID_VALUE,
					 "%s is not on a Windows drive: the file must be on the "
					 "Windows side, e.g. under /mnt/c/ (%s)", linux_path,
					 wsl ? "Windows reads it before this distribution runs"
					     : "outside WSL only /mnt/<drive>/ paths have a Windows form");
		if (snprintf(buf, n, "\\\\wsl.localhost\\%s", distro) >= (int)n)
			return error_set(err, ERR_INVALID_VALUE, "%s: path too long", linux_path);
		for (size_t len = strlen(buf), i = 0; linux_path[i]; i++) {
			if (len + 2 > n)
				return error_set(err, ERR_INVALID_VALUE, "%s: path too long",
						 linux_path);
			buf[len++] = linux_path[i] == '/' ? '\\' : linux_path[i];
			buf[len] = '\0';
		}
		return 0;
	}
	if (flags & WINPATH_DRIVE_ONLY && buf[0] == '\\')
		return error_set(err, ERR_INVALID_VALUE,
				 "%s is inside the Linux file system (%s): the kernel must live "
				 "on the Windows side, e.g. under /mnt/c/", linux_path, buf);
	return 0;
}

int winpath_to_linux(const char *root, const char *win, char *buf, size_t n,
		     struct error *err)
{
	char mbuf[WINPATH_MAX];
	bool wsl = sysprobe_is_wsl(root ? root : "/");
	int r = 1;

	if (!winpath_is_windows_abs(win))
		return error_set(err, ERR_INVALID_VALUE,
				 "'%s' is not an absolute Windows path: write C:\\dir\\file "
				 "or C:/dir/file", win);
	if (wsl) {
		r = wslpath("-u", win, buf, n, err);
		if (r < 0)
			return error_set(err, ERR_INVALID_VALUE, "%s has no Linux path here "
					 "(wslpath -u refused it)", win);
	}
	if (r == 1 &&
	    winpath_windows_to_mnt(win, mount_root(root, mbuf, sizeof(mbuf)),
				   wsl ? getenv("WSL_DISTRO_NAME") : NULL, buf, n) < 0)
		return error_set(err, ERR_INVALID_VALUE, "%s has no Linux path here: only "
				 "drive paths (C:\\...) map to /mnt/<drive>/", win);
	return 0;
}

/* ---- the default .wslconfig ---- */

static int cache_file(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		snprintf(buf, n, "%s/wslctl/userprofile", xdg);
	else if (home && home[0] == '/')
		snprintf(buf, n, "%s/.cache/wslctl/userprofile", home);
	else
		return -1;
	return 0;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Line 1: %USERPROFILE% as Windows wrote it; line 2: its Linux path. */
static int read_cache(const char *file, char *win, size_t wn, char *lin, size_t ln)
{
	char text[2 * WINPATH_MAX + 4], *nl;
	FILE *f = fopen(file, "re");
	size_t len;

	if (!f)
		return -1;
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = '\0';
	nl = strchr(text, '\n');
	if (!nl)
		return -1;
	*nl++ = '\0';
	nl[strcspn(nl, "\n")] = '\0';
	/* A profile that moved or a drive that is gone: ask Windows again. */
	if (!text[0] || nl[0] != '/' || !is_dir(nl))
		return -1;
	/* Cut, they would name another folder: ask Windows again. */
	if (snprintf(win, wn, "%s", text) >= (int)wn || snprintf(lin, ln, "%s", nl) >= (int)ln)
		return -1;
	return 0;
}

/* Best effort: a cache that cannot be written only costs the next run an interop call. */
static void write_cache(const char *file, const char *win, const char *lin)
{
	char dir[WINPATH_MAX], text[2 * WINPATH_MAX + 4];
	int len = snprintf(text, sizeof(text), "%s\n%s\n", win, lin);

	snprintf(dir, sizeof(dir), "%s", file);
	*strrchr(dir, '/') = '\0';
	if (len < (int)sizeof(text) && mkdir_p(dir, 0700, NULL) == 0)
		safefile_replace(file, text, (size_t)len, 0600, NULL);
}

int winpath_userprofile(const char *root, char *buf, size_t n, char *win, size_t wn,
			bool *cached, struct error *err)
{
	char *argv[] = { (char *)prog("WSLCTL_CMD_EXE", "cmd.exe"), "/d", "/u", "/c", "echo",
			 "%USERPROFILE%", NULL };
	char cache[WINPATH_MAX], raw[WINPATH_MAX], profile[WINPATH_MAX], lin[WINPATH_MAX];
	bool have_cache = cache_file(cache, sizeof(cache)) == 0;
	long r;

	if (cached)
		*cached = false;
	if (!sysprobe_is_wsl(root ? root : "/"))
		return error_set(err, ERR_USAGE, "outside WSL there is no Windows profile");
	if (have_cache && read_cache(cache, profile, sizeof(profile), lin, sizeof(lin)) == 0) {
		if (cached)
			*cached = true;
		goto found;
	}
	/* /u: cmd writes UTF-16LE into a pipe, whatever the console code page is. */
	r = winpath_run(argv, getenv("WSLCTL_CMD_EXE") ? NULL : CMD_EXE_FALLBACK,
			INTEROP_TIMEOUT_MS, raw, sizeof(raw), NULL, err);
	if (r < 0)
		return error_wrap(err, "asking Windows for %%USERPROFILE%%");
	if (winpath_decode_output(raw, (size_t)r, profile, sizeof(profile)) <= 0)
		return error_set(err, ERR_INTEROP, "%s printed no %%USERPROFILE%%", argv[0]);
	if (!strcmp(profile, "%USERPROFILE%") || !winpath_is_windows_abs(profile))
		return error_set(err, ERR_INTEROP, "Windows gave '%s' for %%USERPROFILE%%: use "
				 "--wslconfig PATH", profile);
	if (winpath_to_linux(root, profile, lin, sizeof(lin), err) < 0)
		return error_wrap(err, "converting %%USERPROFILE%%");
	if (!is_dir(lin))
		return error_set(err, ERR_INTEROP, "Windows says %%USERPROFILE%% is %s, but %s "
				 "is not a folder here: use --wslconfig PATH", profile, lin);
	if (have_cache)
		write_cache(cache, profile, lin);
found:
	snprintf(buf, n, "%s", lin);
	if (win)
		snprintf(win, wn, "%s", profile);
	return 0;
}

int winpath_profile_wslconfig(const char *root, struct winpath_found *f, struct error *err)
{
	char lin[WINPATH_MAX], cache[WINPATH_MAX];
	bool cached;

	memset(f, 0, sizeof(*f));
	if (winpath_userprofile(root, lin, sizeof(lin), f->profile, sizeof(f->profile),
				&cached, err) < 0)
		return -1;
	if (snprintf(f->path, sizeof(f->path), "%s/.wslconfig", lin) >= (int)sizeof(f->path))
		return error_set(err, ERR_INVALID_VALUE, "%s/.wslconfig: the path is too long; "
				 "use --wslconfig PATH", lin);
	f->source = cached ? "cache" : "interop";
	/* f->how has room for the profile and a few words: a cache name too long to fit
	 * is left out rather than cut. */
	if (cached && cache_file(cache, sizeof(cache)) == 0 &&
	    snprintf(f->how, sizeof(f->how), "%%USERPROFILE%%\\.wslconfig, %%USERPROFILE%% = "
		     "%s (cached in %s)", f->profile, cache) < (int)sizeof(f->how))
		return 1;
	snprintf(f->how, sizeof(f->how), "%%USERPROFILE%%\\.wslconfig, %%USERPROFILE%% = %s (%s)",
		 f->profile, cached ? "cached" : "asked Windows through cmd.exe");
	return 1;
}

int winpath_dash(const char *path, const char *where, struct error *err)
{
	if (strcmp(path, "-"))
		return 0;
	/* The file is edited in place (a temporary file beside it, renamed over it), which
	 * standard input and output cannot be: "-" would create a file named "-". */
	return error_set(err, ERR_USAGE, "%s-: a WSL config file is edited in place, not "
			 "read from standard input; name the file (./- for a file named '-')",
			 where);
}

int winpath_find_wslconfig(const char *root, const char *given, enum winpath_need need,
			   struct winpath_found *f, struct error *err)
{
	const char *env = getenv("WSLCTL_WSLCONFIG");
	bool recorded = root && *root && strcmp(root, "/");

	memset(f, 0, sizeof(*f));
	if (given && *given) {
		bool from_env = env && !strcmp(env, given);

		if (winpath_dash(given, from_env ? "WSLCTL_WSLCONFIG=" : "--wslconfig ", err) < 0)
			return -1;

		snprintf(f->path, sizeof(f->path), "%s", given);
		f->source = from_env ? "env" : "flag";
		snprintf(f->how, sizeof(f->how), "given by %s",
			 from_env ? "WSLCTL_WSLCONFIG" : "--wslconfig");
		return 1;
	}
	f->source = "none";
	if (need == WINPATH_SKIP) {
		snprintf(f->how, sizeof(f->how), "none given, and none needed");
		return 0;
	}
	/* A recorded machine's .wslconfig is not the live machine's: never ask Windows. */
	if (!recorded && sysprobe_is_wsl("/"))
		return winpath_profile_wslconfig("/", f, err);
	snprintf(f->how, sizeof(f->how), "no .wslconfig given: use --wslconfig PATH or "
		 "WSLCTL_WSLCONFIG (%s)", recorded ? "under --root the live machine's Windows "
		 "profile is not asked" : "outside WSL there is no Windows profile to find it in");
	if (need == WINPATH_REQUIRED)
		return error_set(err, ERR_USAGE, "%s", f->how);
	return 0;
}
