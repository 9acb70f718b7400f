// SPDX-License-Identifier: MIT
#include "winnorm.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define WINNORM_MAX 4096

static bool is_sep(char ch)
{
	return ch == '\\' || ch == '/';
}

/* Drops a \\?\, \\.\ or \??\ prefix; \\?\UNC\ becomes the \\ of a UNC path (*UNC). */
static const char *skip_prefix(const char *p, bool *unc)
{
	*unc = false;
	if (is_sep(p[0]) && (is_sep(p[1]) || p[1] == '?') && (p[2] == '?' || p[2] == '.') &&
	    is_sep(p[3])) {
		p += 4;
		if (!strncasecmp(p, "UNC", 3) && is_sep(p[3])) {
			*unc = true;
			p += 4;
		}
	}
	return p;
}

/* \\localhost\C$ and \\127.0.0.1\C$ are the administrative shares of this machine's
 * drives: C:\. */
static bool local_drive_share(const char *host, size_t hl, const char *share, size_t sl)
{
	return ((hl == 9 && !strncasecmp(host, "localhost", 9)) ||
		(hl == 9 && !strncmp(host, "127.0.0.1", 9))) &&
	       sl == 2 && isalpha((unsigned char)share[0]) && share[1] == '$';
}

/* The root: "C:" or "\\server\share" into OUT; the rest of the path in *REST. */
static int root_of(const char *p, bool unc, char *out, size_t n, const char **rest)
{
	size_t host, share;

	if (!unc && isalpha((unsigned char)p[0]) && p[1] == ':' && (is_sep(p[2]) || !p[2])) {
		if (n < 3)
			return -1;
		out[0] = (char)toupper((unsigned char)p[0]);
		out[1] = ':';
		out[2] = '\0';
		*rest = p + 2;
		return 2;
	}
	if (!unc) {
		if (!is_sep(p[0]) || !is_sep(p[1]))
			return -1;
		p += 2;
	}
	host = strcspn(p, "/\\");
	share = host && p[host] ? strcspn(p + host + 1, "/\\") : 0;
	if (!host || !share || 2 + host + 1 + share + 1 > n)
		return -1;
	if (local_drive_share(p, host, p + host + 1, share)) {
		out[0] = (char)toupper((unsigned char)p[host + 1]);
		out[1] = ':';
		out[2] = '\0';
		*rest = p + host + 1 + share;
		return 2;
	}
	out[0] = out[1] = '\\';
	memcpy(out + 2, p, host);
	out[2 + host] = '\\';
	memcpy(out + 3 + host, p + host + 1, share);
	out[3 + host + share] = '\0';
	*rest = p + host + 1 + share;
	return (int)(3 + host + share);
}

/* A name without "::$DATA" (the default stream: the file itself) and without its
 * trailing dots and spaces, unless it is made of nothing else. */
static size_t trimmed(const char *p, size_t len)
{
	size_t t;

	if (len > 7 && !strncasecmp(p + len - 7, "::$DATA", 7))
		len -= 7;
	t = len;

	while (t && (p[t - 1] == '.' || p[t - 1] == ' '))
		t--;
	return t ? t : len;
}

int winnorm(const char *win, char *buf, size_t n)
{
	const char *p;
	bool unc;
	int r;
	size_t len, base;

	if (!win || !n)
		return -1;
	p = skip_prefix(win, &unc);
	r = root_of(p, unc, buf, n, &p);
	if (r < 0)
		return -1;
	len = base = (size_t)r;
	while (*p) {
		size_t clen;

		while (is_sep(*p))
			p++;
		clen = strcspn(p, "/\\");
		if (!clen || (clen == 1 && p[0] == '.')) {
			p += clen;
			continue;
		}
		if (clen == 2 && p[0] == '.' && p[1] == '.') {
			/* Windows stops ".." at the root: C:\..\x is C:\x. */
			while (len > base && buf[len - 1] != '\\')
				len--;
			if (len > base)
				len--;
			p += clen;
			continue;
		}
		r = (int)trimmed(p, clen);
		if (len + 1 + (size_t)r + 1 > n)
			return -1;
		buf[len++] = '\\';
		memcpy(buf + len, p, (size_t)r);
		len += (size_t)r;
		p += clen;
	}
	if (len == base) { /* the root itself: C:\ */
		if (len + 2 > n)
			return -1;
		buf[len++] = '\\';
	}
	buf[len] = '\0';
	return 0;
}

bool winnorm_same(const char *a, const char *b)
{
	char na[WINNORM_MAX], nb[WINNORM_MAX];

	if (!a || !b)
		return false;
	if (winnorm(a, na, sizeof(na)) < 0 || winnorm(b, nb, sizeof(nb)) < 0)
		return !strcasecmp(a, b);
	return !strcasecmp(na, nb);
}
