// SPDX-License-Identifier: MIT
#include "textenc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t textenc_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static uint32_t utf8_cp(const unsigned char *s, size_t len)
{
	static const unsigned char mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	uint32_t cp = s[0] & mask[len];

	for (size_t i = 1; i < len; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int decode_utf16le(const char *path, const unsigned char *p, size_t len, char **out,
			  size_t *out_len, struct error *err)
{
	char *o;
	size_t k = 0;

	if (len % 2)
		return error_set(err, ERR_INVALID_FILE,
				 "%s: UTF-16 text with an odd number of bytes (truncated?); "
				 "save it again as UTF-8 or UTF-16 LE", path);
	o = malloc(len / 2 * 3 + 1);
	if (!o)
		return error_set(err, ERR_IO, "%s: out of memory", path);
	for (size_t i = 0; i < len; i += 2) {
		uint32_t u = p[i] | (uint32_t)p[i + 1] << 8;

		if (u >= 0xd800 && u <= 0xdbff && i + 3 < len) {
			uint32_t lo = p[i + 2] | (uint32_t)p[i + 3] << 8;

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				k += put_utf8(o + k, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
				i += 2;
				continue;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff) {
			free(o);
			return error_set(err, ERR_INVALID_FILE,
					 "%s: invalid UTF-16 (unpaired surrogate 0x%04x at byte %zu); "
					 "WSL cannot read it", path, (unsigned)u, i + 2);
		}
		k += put_utf8(o + k, u);
	}
	o[k] = '\0';
	*out = o;
	*out_len = k;
	return 0;
}

int textenc_decode(const char *path, const char *raw, size_t len, enum textenc *enc,
		   char **out, size_t *out_len, struct error *err)
{
	const unsigned char *p = (const unsigned char *)raw;
	size_t skip = 0;

	if (*enc != TEXTENC_RAW) {
		*enc = TEXTENC_UTF8;
		if (len >= 4 && !memcmp(p, "\xff\xfe\0\0", 4))
			return error_set(err, ERR_INVALID_FILE,
					 "%s: UTF-32 text; WSL reads only UTF-8 or UTF-16 LE: "
					 "save it as UTF-8", path);
		if (len >= 4 && !memcmp(p, "\0\0\xfe\xff", 4))
			return error_set(err, ERR_INVALID_FILE,
					 "%s: UTF-32 BE text; WSL reads only UTF-8 or UTF-16 LE: "
					 "save it as UTF-8", path);
		if (len >= 2 && p[0] == 0xfe && p[1] == 0xff)
			return error_set(err, ERR_INVALID_FILE,
					 "%s: UTF-16 big-endian text; WSL reads only UTF-8 or "
					 "UTF-16 LE: save it as UTF-8", path);
		if (len >= 2 && p[0] == 0xff && p[1] == 0xfe) {
			*enc = TEXTENC_UTF16LE;
			return decode_utf16le(path, p + 2, len - 2, out, out_len, err);
		}
		if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
			*enc = TEXTENC_UTF8_BOM;
			skip = 3;
		}
		/* UTF-16 without a BOM reads to WSL as letters with NULs between. */
		if (memchr(p + skip, '\0', len - skip))
			return error_set(err, ERR_INVALID_FILE,
					 "%s: contains NUL bytes (UTF-16 without a BOM?); WSL cannot "
					 "read it: save it as UTF-8", path);
	}
	*out = malloc(len - skip + 1);
	if (!*out)
		return error_set(err, ERR_IO, "%s: out of memory", path);
	memcpy(*out, raw + skip, len - skip);
	(*out)[len - skip] = '\0';
	*out_len = len - skip;
	return 0;
}

int textenc_encode(enum textenc enc, const char *text, size_t len, char **out,
		   size_t *out_len, struct error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned char *o;
	size_t k = 0;

	if (enc != TEXTENC_UTF16LE) {
		size_t bom = enc == TEXTENC_UTF8_BOM ? 3 : 0;

		*out = malloc(len + bom + 1);
		if (!*out)
			return error_set(err, ERR_IO, "out of memory");
		memcpy(*out, "\xef\xbb\xbf", bom);
		memcpy(*out + bom, text, len);
		*out_len = len + bom;
		return 0;
	}
	o = malloc(len * 2 + 2);
	if (!o)
		return error_set(err, ERR_IO, "out of memory");
	o[k++] = 0xff;
	o[k++] = 0xfe;
	for (size_t i = 0; i < len;) {
		size_t n = textenc_utf8_len(s + i, len - i);
		uint32_t cp;

		if (!n) {
			free(o);
			return error_set(err, ERR_INVALID_VALUE,
					 "text for a UTF-16 file is not valid UTF-8");
		}
		cp = utf8_cp(s + i, n);
		i += n;
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000, hi = 0xd800 + (v >> 10), lo = 0xdc00 + (v & 0x3ff);

			o[k++] = hi & 0xff;
			o[k++] = hi >> 8;
			o[k++] = lo & 0xff;
			o[k++] = lo >> 8;
		} else {
			o[k++] = cp & 0xff;
			o[k++] = cp >> 8;
		}
	}
	*out = (char *)o;
	*out_len = k;
	return 0;
}

json_t *textenc_json(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *o;
	size_t k = 0;
	json_t *j;

	o = malloc(n * 3 + 1);
	if (!o)
		return json_null();
	for (size_t i = 0; i < n;) {
		size_t l = textenc_utf8_len(p + i, n - i);

		if (l) {
			memcpy(o + k, p + i, l);
			k += l;
			i += l;
		} else {
			memcpy(o + k, "\xef\xbf\xbd", 3);
			k += 3;
			i++;
		}
	}
	j = json_stringn(o, k);
	free(o);
	return j ? j : json_null();
}

char *textenc_wsl_mangle(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *o = malloc(n + 1);
	size_t k = 0;

	if (!o)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t l = textenc_utf8_len(p + i, n - i);
		uint32_t cp;

		if (!l) {
			o[k++] = s[i++];
			continue;
		}
		cp = utf8_cp(p + i, l);
		i += l;
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;

			o[k++] = (char)((0xd800 + (v >> 10)) & 0xff);
			o[k++] = (char)((0xdc00 + (v & 0x3ff)) & 0xff);
		} else {
			o[k++] = (char)(cp & 0xff);
		}
	}
	o[k] = '\0';
	return o;
}

json_t *textenc_json_or_null(const char *s)
{
	return s && *s ? textenc_json(s, strlen(s)) : json_null();
}
