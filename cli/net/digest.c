// SPDX-License-Identifier: MIT
#include "digest.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "fsutil.h"
#include "hex.h"
#include "interrupt.h"

static const struct {
	const char *name;
	size_t len;
} algs_info[] = {
	[DIGEST_NONE] = { "none", 0 },
	[DIGEST_SHA256] = { "sha256", 32 },
	[DIGEST_SHA512] = { "sha512", 64 },
};

const char *digest_alg_name(enum digest_alg alg)
{
	if ((unsigned)alg > DIGEST_SHA512)
		return "none";
	return algs_info[alg].name;
}

static const EVP_MD *evp_for(enum digest_alg alg)
{
	return alg == DIGEST_SHA256 ? EVP_sha256() : EVP_sha512();
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Decodes exactly 2*len hex digits of s into out; false on any other character. */
static bool from_hex(const char *s, size_t slen, unsigned char *out, size_t len)
{
	if (slen != 2 * len)
		return false;
	for (size_t i = 0; i < len; i++) {
		int hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

int digest_parse_base64(const char *b64, enum digest_alg alg, struct digest_want *out,
			struct error *e)
{
	unsigned char buf[DIGEST_MAX_LEN + 3];
	size_t want_len = algs_info[alg].len, n;
	int len, pad = 0;

	while (isspace((unsigned char)*b64))
		b64++;
	n = strlen(b64);
	while (n && isspace((unsigned char)b64[n - 1]))
		n--;
	/* A base64 digest of 64 bytes is 88 characters; anything longer is not one. */
	if (alg == DIGEST_NONE || n == 0 || n % 4 || n > 4 * sizeof(buf) / 3)
		goto bad;
	pad = (b64[n - 1] == '=') + (n > 1 && b64[n - 2] == '=');
	len = EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)n);
	if (len < 0 || (size_t)(len - pad) != want_len)
		goto bad;
	out->alg = alg;
	out->len = want_len;
	memcpy(out->bytes, buf, want_len);
	return 0;
bad:
	return error_set(e, ERR_INVALID_VALUE,
			 "'%.*s' is not a base64 %s digest (%zu bytes, e.g. NuGet's packageHash)",
			 (int)(n > 100 ? 100 : n), b64, digest_alg_name(alg), want_len);
}

int digest_parse(const char *text, struct digest_want *out, struct error *e)
{
	const char *s = text, *colon;
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	memset(out, 0, sizeof(*out));
	/* SRI form (npm, some feeds): sha512-<base64>. */
	if (n > 7 && (!strncasecmp(s, "sha256-", 7) || !strncasecmp(s, "sha512-", 7))) {
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "%.*s", (int)(n - 7), s + 7);
		return digest_parse_base64(tmp, s[5] == '6' ? DIGEST_SHA256 : DIGEST_SHA512,
					   out, e);
	}
	colon = memchr(s, ':', n);
	if (colon) {
		size_t plen = (size_t)(colon - s);
		enum digest_alg alg = DIGEST_NONE;

		if (plen == 6 && !strncasecmp(s, "sha256", 6))
			alg = DIGEST_SHA256;
		else if (plen == 6 && !strncasecmp(s, "sha512", 6))
			alg = DIGEST_SHA512;
		if (alg != DIGEST_NONE &&
		    from_hex(colon + 1, n - plen - 1, out->bytes, algs_info[alg].len)) {
			out->alg = alg;
			out->len = algs_info[alg].len;
			return 0;
		}
	} else if (from_hex(s, n, out->bytes, 32)) {
		out->alg = DIGEST_SHA256;
		out->len = 32;
		return 0;
	} else if (from_hex(s, n, out->bytes, 64)) {
		out->alg = DIGEST_SHA512;
		out->len = 64;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return error_set(e, ERR_INVALID_VALUE,
			 "'%.*s' is not a digest: write sha256:<64 hex digits>, "
			 "sha512:<128 hex digits> or the bare hex", (int)(n > 140 ? 140 : n), s);
}

int digest_stream_init(struct digest_stream *d, unsigned algs, struct error *e)
{
	memset(d, 0, sizeof(*d));
	d->algs = algs;
	for (int a = DIGEST_SHA256; a <= DIGEST_SHA512; a++) {
		EVP_MD_CTX *ctx;

		if (!(algs & (1u << a)))
			continue;
		ctx = EVP_MD_CTX_new();
		if (!ctx || !EVP_DigestInit_ex(ctx, evp_for(a), NULL)) {
			EVP_MD_CTX_free(ctx);
			digest_stream_free(d);
			return error_set(e, ERR_IO, "cannot start a %s digest (OpenSSL)",
					 digest_alg_name(a));
		}
		d->md[a] = ctx;
	}
	return 0;
}

void digest_stream_update(struct digest_stream *d, const void *buf, size_t n)
{
	for (int a = DIGEST_SHA256; a <= DIGEST_SHA512; a++)
		if (d->md[a])
			EVP_DigestUpdate(d->md[a], buf, n);
}

int digest_stream_final(struct digest_stream *d, struct digest_result *out, struct error *e)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (int a = DIGEST_SHA256; a <= DIGEST_SHA512; a++) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int len = 0;

		if (!d->md[a])
			continue;
		if (!EVP_DigestFinal_ex(d->md[a], md, &len) || len != algs_info[a].len) {
			rc = error_set(e, ERR_IO, "cannot finish a %s digest (OpenSSL)",
				       digest_alg_name(a));
			continue;
		}
		to_hex(md, len, a == DIGEST_SHA256 ? out->sha256 : out->sha512);
	}
	digest_stream_free(d);
	return rc;
}

void digest_stream_free(struct digest_stream *d)
{
	for (int a = DIGEST_SHA256; a <= DIGEST_SHA512; a++) {
		EVP_MD_CTX_free(d->md[a]);
		d->md[a] = NULL;
	}
}

int digest_file(const char *path, unsigned algs, struct digest_result *out, struct error *e)
{
	unsigned char buf[1 << 16];
	struct digest_stream d;
	/* Only a regular file has an end: a FIFO or a device (/dev/zero) may not. */
	int fd = open_regular(path, SIZE_MAX, e);
	ssize_t r;

	if (fd < 0)
		return errno == ENOENT ? error_set(e, ERR_NOT_FOUND, "%s: %s", path,
						   strerror(ENOENT)) : -1;
	if (digest_stream_init(&d, algs, e) < 0) {
		close(fd);
		return -1;
	}
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		/* A file that keeps growing must not hold a lock past a signal. */
		if (interrupt_check(e) < 0) {
			digest_stream_free(&d);
			close(fd);
			return -1;
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			error_set(e, ERR_IO, "reading %s: %s", path, strerror(errno));
			digest_stream_free(&d);
			close(fd);
			return -1;
		}
		digest_stream_update(&d, buf, (size_t)r);
	}
	close(fd);
	return digest_stream_final(&d, out, e);
}

unsigned digest_flag(const struct digest_want *want)
{
	if (!want || want->alg == DIGEST_NONE)
		return 0;
	return 1u << want->alg;
}

static const char *result_hex(const struct digest_result *got, enum digest_alg alg)
{
	return alg == DIGEST_SHA256 ? got->sha256 : got->sha512;
}

bool digest_matches(const struct digest_want *want, const struct digest_result *got)
{
	char hex[2 * DIGEST_MAX_LEN + 1];

	if (!want || want->alg == DIGEST_NONE)
		return false;
	to_hex(want->bytes, want->len, hex);
	return strcmp(hex, result_hex(got, want->alg)) == 0;
}

int digest_check(const struct digest_want *want, const struct digest_result *got,
		 const char *what, struct error *e)
{
	char hex[2 * DIGEST_MAX_LEN + 1];
	const char *actual;

	if (digest_matches(want, got))
		return 0;
	if (!want || want->alg == DIGEST_NONE)
		return error_set(e, ERR_NO_DIGEST, "%s: no digest to verify against", what);
	to_hex(want->bytes, want->len, hex);
	actual = result_hex(got, want->alg);
	return error_set(e, ERR_DIGEST_MISMATCH, "%s: %s digest mismatch: expected %s, got %s",
			 what, digest_alg_name(want->alg), hex, *actual ? actual : "(not computed)");
}

void digest_format(const struct digest_want *want, char *buf, size_t n)
{
	char hex[2 * DIGEST_MAX_LEN + 1];

	if (!want || want->alg == DIGEST_NONE) {
		snprintf(buf, n, "%s", "");
		return;
	}
	to_hex(want->bytes, want->len, hex);
	snprintf(buf, n, "%s:%s", digest_alg_name(want->alg), hex);
}
