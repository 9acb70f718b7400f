// SPDX-License-Identifier: MIT
#include "wslexe.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spawner.h"
#include "sysprobe.h"

#define WSLEXE_MAX_OUTPUT (64 << 10)
/* wsl.exe --version answers at once; a hung interop must not hang us. */
#define WSLEXE_TIMEOUT_MS 20000

/* UTF-16LE text shows a NUL high byte on most ASCII characters. */
static bool looks_utf16le(const unsigned char *s, size_t len)
{
	size_t zeros = 0;

	for (size_t i = 1; i < len; i += 2)
		zeros += s[i] == 0;
	return len >= 2 && zeros * 4 >= len / 2;
}

/* Converts to UTF-8 with iconv; undecodable units are skipped. */
static char *utf16le_to_utf8(const unsigned char *s, size_t len)
{
	size_t cap = len * 2 + 1, left = cap - 1;
	char *out = malloc(cap), *w = out, *in = (char *)s;
	iconv_t cd = iconv_open("UTF-8", "UTF-16LE");

	if (!out || cd == (iconv_t)-1) {
		free(out);
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		return NULL;
	}
	while (len >= 2 && iconv(cd, &in, &len, &w, &left) == (size_t)-1 && errno == EILSEQ) {
		in += 2;
		len -= 2;
	}
	iconv_close(cd);
	*w = '\0';
	return out;
}

static bool is_version(const char *s, size_t len)
{
	int dots = 0;

	if (!len || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
			dots++;
		} else if (!isdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return dots == 2 || dots == 3;
}

/* Spaces around a value: ASCII, NO-BREAK SPACE and NARROW NO-BREAK SPACE (French). */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r')
		return 1;
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0xaf)
		return 3;
	return 0;
}

static int find_version(const char *text, char *ver, size_t n)
{
	const char *line = text;

	while (*line) {
		const char *eol = strchr(line, '\n'), *v = NULL, *end;

		if (!eol)
			eol = line + strlen(line);
		for (const char *p = line; p < eol; p++) {
			if (*p == ':')
				v = p + 1;
			else if (!strncmp(p, "\xef\xbc\x9a", 3)) /* U+FF1A FULLWIDTH COLON */
				v = p + 3;
		}
		if (!v) {
			for (const char *p = line; p < eol; p++)
				if (*p == ' ' || *p == '\t')
					v = p + 1;
		}
		if (!v)
			v = line;
		end = eol;
		for (size_t k; v < end && (k = space_at(v)); v += k)
			;
		while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (is_version(v, (size_t)(end - v))) {
			snprintf(ver, n, "%.*s", (int)(end - v), v);
			return 1;
		}
		line = *eol ? eol + 1 : eol;
	}
	return 0;
}

/* The inbox wsl.exe (before the Store package) does not know --version: it names the
 * option it refused and prints its usage. Option names are not translated. */
static bool is_usage(const char *text)
{
	static const char *const marks[] = { "--version", "wsl.exe [", "--set-version",
					     "--exec", "--list" };

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(text, marks[i]))
			return true;
	return false;
}

int wslexe_parse_version(const unsigned char *out, size_t len, char *ver, size_t n)
{
	char *text;
	int r;

	if (len >= 2 && out[0] == 0xff && out[1] == 0xfe)
		text = utf16le_to_utf8(out + 2, len - 2);
	else if (len >= 3 && out[0] == 0xef && out[1] == 0xbb && out[2] == 0xbf)
		text = strndup((const char *)out + 3, len - 3);
	else if (looks_utf16le(out, len))
		text = utf16le_to_utf8(out, len);
	else
		text = strndup((const char *)out, len);
	if (!text)
		return 0;
	r = find_version(text, ver, n);
	if (!r && is_usage(text))
		r = WSLEXE_USAGE;
	free(text);
	return r;
}

int wslexe_ask_version(const char *program, int timeout_ms, char *ver, size_t n, int *exit,
			struct error *err)
{
	const char *argv[] = { program, "--version", NULL };
	char *buf = malloc(WSLEXE_MAX_OUTPUT);
	struct spawn_result r;
	int rc;

	if (!buf)
		return error_set(err, ERR_IO, "out of memory");
	/* The version comes first: a flood after it is cut, not waited for. */
	if (spawn_capture_head(argv, NULL, timeout_ms, buf, WSLEXE_MAX_OUTPUT, &r, err) < 0) {
		int e = errno;

		free(buf);
		/* A Windows program the kernel cannot run: no binfmt handler, interop is off. */
		if (e == ENOEXEC)
			return error_set(err, ERR_NOT_FOUND, "%s cannot run here (exec format "
					 "error): Windows interop is off", program);
		if (err && err->code == ERR_NOT_FOUND)
			return error_set(err, ERR_NOT_FOUND, "%s not found (Windows interop off "
					 "or not in PATH)", program);
		if (err)
			err->code = ERR_INTEROP;
		return -1;
	}
	if (r.timed_out) {
		free(buf);
		return error_set(err, ERR_INTEROP, "%s --version did not finish within %d ms",
				 program, timeout_ms);
	}
	*exit = r.status;
	rc = wslexe_parse_version((const unsigned char *)buf, r.len, ver, n);
	free(buf);
	return rc;
}

const char *wslexe_program(void)
{
	const char *e = getenv("WSLCTL_WSL_EXE");

	return e && *e ? e : "wsl.exe";
}

bool wslexe_available(const char *root)
{
	const char *named = getenv("WSLCTL_WSL_EXE");

	if (!sysprobe_is_wsl(root))
		return false;
	/* A test (or a user) naming wsl.exe vouches for interop. */
	if (named && *named)
		return true;
	/* Under --root the machine is a recorded one: this one's wsl.exe is not its. */
	if (root && strcmp(root, "/"))
		return false;
	return sysprobe_exists(root, "/proc/sys/fs/binfmt_misc/WSLInterop") ||
	       sysprobe_exists(root, "/proc/sys/fs/binfmt_misc/WSLInterop-late");
}

int wslexe_version(char *buf, size_t n)
{
	struct error ignored;
	int status;

	return wslexe_ask_version(wslexe_program(), WSLEXE_TIMEOUT_MS, buf, n, &status,
				  &ignored) == 1 ? 0 : -1;
}

int wslexe_update(bool pre_release, struct error *err)
{
	const char *argv[] = { wslexe_program(), "--update",
			       pre_release ? "--pre-release" : NULL, NULL };
	/* Its output goes to our stderr: stdout is for our result. */
	struct spawn_opts o = { .out = SPAWN_STDERR };
	struct spawn sp;
	int rc;

	if (spawn_start(argv, &o, &sp, err) < 0)
		return error_set(err, ERR_INTEROP, "cannot run %s (is interop on?)", argv[0]);
	rc = spawn_wait(sp.pid);
	if (rc != 0)
		return error_set(err, ERR_INTEROP, "%s --update%s failed (exit %d)", argv[0],
				 pre_release ? " --pre-release" : "", rc);
	return 0;
}
