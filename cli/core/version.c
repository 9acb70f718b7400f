// SPDX-License-Identifier: MIT
#include "version.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One numeric part: digits only, no sign, fits unsigned long. */
static const char *parse_part(const char *s, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return NULL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno)
		return NULL;
	return end;
}

static bool label_char_ok(char ch)
{
	return isalnum((unsigned char)ch) || ch == '-' || ch == '.';
}

int version_parse(const char *s, struct version *v)
{
	const char *p = s;

	memset(v, 0, sizeof(*v));
	if (!s)
		return -1;
	for (;;) {
		if (v->nparts == VERSION_PARTS)
			return -1;
		p = parse_part(p, &v->part[v->nparts]);
		if (!p)
			return -1;
		v->nparts++;
		if (*p != '.')
			break;
		p++;
	}
	if (v->nparts < 2)
		return -1;
	if (*p == '-') {
		v->label = ++p;
		while (*p && *p != '+') {
			if (!label_char_ok(*p))
				return -1;
			p++;
		}
		v->label_len = (size_t)(p - v->label);
		if (!v->label_len || v->label[0] == '.' || p[-1] == '.')
			return -1;
	}
	if (*p == '+') {
		if (!p[1])
			return -1;
		for (p++; *p; p++)
			if (!label_char_ok(*p))
				return -1;
	}
	return *p ? -1 : 0;
}

static int cmp_ul(unsigned long a, unsigned long b)
{
	return a < b ? -1 : a > b;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* One label identifier against another, SemVer 2 with NuGet's case-insensitive text. */
static int cmp_ident(const char *a, size_t an, const char *b, size_t bn)
{
	bool ad = all_digits(a, an), bd = all_digits(b, bn);
	int r;

	if (ad && bd) {
		/* Numbers compare numerically: longer (without leading zeros) is larger. */
		while (an > 1 && *a == '0')
			a++, an--;
		while (bn > 1 && *b == '0')
			b++, bn--;
		if (an != bn)
			return an < bn ? -1 : 1;
		r = memcmp(a, b, an);
		return r < 0 ? -1 : r > 0;
	}
	if (ad != bd)
		return ad ? -1 : 1;
	r = strncasecmp(a, b, an < bn ? an : bn);
	if (r)
		return r < 0 ? -1 : 1;
	return cmp_ul(an, bn);
}

/* Pre-release labels (LA bytes at PA, LB at PB; 0 = none): a release is above them. */
static int cmp_label(const char *pa, size_t la, const char *pb, size_t lb)
{
	const char *ea, *eb;

	/* Before the pointer arithmetic: a version without a label has label NULL. */
	if (!la || !lb)
		return la ? -1 : lb ? 1 : 0;
	ea = pa + la;
	eb = pb + lb;
	while (pa < ea && pb < eb) {
		const char *da = memchr(pa, '.', (size_t)(ea - pa));
		const char *db = memchr(pb, '.', (size_t)(eb - pb));
		int r;

		if (!da)
			da = ea;
		if (!db)
			db = eb;
		r = cmp_ident(pa, (size_t)(da - pa), pb, (size_t)(db - pb));
		if (r)
			return r;
		pa = da < ea ? da + 1 : ea;
		pb = db < eb ? db + 1 : eb;
	}
	/* More identifiers win when all before are equal. */
	return pa < ea ? 1 : pb < eb ? -1 : 0;
}

/* Where a name stands in the order: its numbers, then its label. */
struct order_key {
	unsigned long part[VERSION_ORDER_PARTS]; /* missing parts are 0 */
	const char *label;
	size_t label_len;
};

/*
 * A NuGet version keys as NuGet orders it. Any other name that starts with dotted
 * numbers (6.20.0_mine, 6.18.35.2.1) keys as those numbers, then everything after them
 * as one pre-release label ("_mine"). -1 for a name that starts with no number, has more
 * than VERSION_ORDER_PARTS numbers or a number too large: it has no place in the order.
 */
static int order_key(const char *s, struct order_key *k)
{
	struct version v;
	const char *p = s;
	int i = 0;

	memset(k, 0, sizeof(*k));
	if (version_parse(s, &v) == 0) {
		memcpy(k->part, v.part, sizeof(v.part));
		k->label = v.label;
		k->label_len = v.label_len;
		return 0;
	}
	if (!s)
		return -1;
	for (;;) {
		if (i == VERSION_ORDER_PARTS || !(p = parse_part(p, &k->part[i++])))
			return -1;
		if (p[0] != '.' || !isdigit((unsigned char)p[1]))
			break;
		p++;
	}
	k->label = p;
	k->label_len = strlen(p);
	return 0;
}

bool version_orderable(const char *s)
{
	struct order_key k;

	return order_key(s, &k) == 0;
}

int version_cmp(const char *a, const char *b)
{
	struct order_key ka, kb;
	bool oka = order_key(a, &ka) == 0, okb = order_key(b, &kb) == 0;
	int r;

	if (!oka || !okb) {
		if (oka != okb)
			return oka ? 1 : -1;
		r = strcmp(a ? a : "", b ? b : "");
		return r < 0 ? -1 : r > 0;
	}
	for (int i = 0; i < VERSION_ORDER_PARTS; i++) {
		r = cmp_ul(ka.part[i], kb.part[i]);
		if (r)
			return r;
	}
	return cmp_label(ka.label, ka.label_len, kb.label, kb.label_len);
}

/* Reads up to VERSION_PARTS leading dotted numbers; the rest of the string is ignored. */
static void leading_numbers(const char *s, unsigned long part[VERSION_PARTS])
{
	memset(part, 0, sizeof(unsigned long) * VERSION_PARTS);
	for (int i = 0; s && i < VERSION_PARTS; i++) {
		const char *e = parse_part(s, &part[i]);

		if (!e || *e != '.')
			break;
		s = e + 1;
	}
}

int version_cmp_numeric(const char *a, const char *b)
{
	unsigned long pa[VERSION_PARTS], pb[VERSION_PARTS];

	leading_numbers(a, pa);
	leading_numbers(b, pb);
	for (int i = 0; i < VERSION_PARTS; i++) {
		int r = cmp_ul(pa[i], pb[i]);

		if (r)
			return r;
	}
	return 0;
}

bool version_from_text(const char *text, char *buf, size_t n)
{
	const char *p = text, *e;

	if (!text || !n)
		return false;
	while (*p && !isdigit((unsigned char)*p))
		p++;
	if (!*p)
		return false;
	e = p;
	while (isdigit((unsigned char)*e) || (*e == '.' && isdigit((unsigned char)e[1])))
		e++;
	snprintf(buf, n, "%.*s", (int)(e - p), p);
	return true;
}

int version_cmp_release(const char *a, const char *b)
{
	char va[64] = "", vb[64] = "";

	version_from_text(a, va, sizeof(va));
	version_from_text(b, vb, sizeof(vb));
	return version_cmp_numeric(va, vb);
}
