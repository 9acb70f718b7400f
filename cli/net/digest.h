/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 / SHA-512 with OpenSSL EVP: streaming contexts, whole files, and the digest
 * spellings feeds publish ("sha256:<hex>" from GitHub, base64 SHA-512 from NuGet).
 * Links libcrypto: only wslctl-net may reach this module.
 */
#ifndef WSLCTL_DIGEST_H
#define WSLCTL_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum digest_alg { DIGEST_NONE = 0, DIGEST_SHA256, DIGEST_SHA512 };

/* Bit mask of algorithms to compute in one pass. */
#define DIGEST_F_SHA256 (1u << DIGEST_SHA256)
#define DIGEST_F_SHA512 (1u << DIGEST_SHA512)

#define DIGEST_MAX_LEN 64

/* A digest a feed or the user published. alg == DIGEST_NONE: nothing was published. */
struct digest_want {
	enum digest_alg alg;
	unsigned char bytes[DIGEST_MAX_LEN];
	size_t len;
};

/* What was computed: lower-case hex, "" for an algorithm that was not computed. */
struct digest_result {
	char sha256[2 * 32 + 1];
	char sha512[2 * 64 + 1];
};

/* A streaming context over one or more algorithms (opaque EVP contexts inside). */
struct digest_stream {
	unsigned algs;           /* DIGEST_F_* */
	void *md[DIGEST_SHA512 + 1];
};

/*
 * Parses what a user or feed wrote: "sha256:<64 hex>", "sha512:<128 hex>", a bare
 * 64-hex (SHA-256) or 128-hex (SHA-512) string, "sha512-<base64>" (SRI). Case-insensitive
 * hex, surrounding blanks ignored. ERR_INVALID_VALUE naming the text otherwise.
 */
int digest_parse(const char *text, struct digest_want *out, struct error *e);
/* NuGet packageHash: base64 of a SHA-512 (packageHashAlgorithm "SHA512"). */
int digest_parse_base64(const char *b64, enum digest_alg alg, struct digest_want *out,
			struct error *e);

/* Begins/continues/ends a one-pass digest over the algorithms in `algs`. */
int digest_stream_init(struct digest_stream *d, unsigned algs, struct error *e);
void digest_stream_update(struct digest_stream *d, const void *buf, size_t n);
/* Writes the hex results into out (fields of uncomputed algorithms become "") and
 * frees the contexts. */
int digest_stream_final(struct digest_stream *d, struct digest_result *out, struct error *e);
/* Frees without producing a result (error paths); safe on a zeroed or finished stream. */
void digest_stream_free(struct digest_stream *d);

/* Digest of a whole file (streamed in fixed-size blocks). */
int digest_file(const char *path, unsigned algs, struct digest_result *out, struct error *e);

/* The DIGEST_F_* bit needed to check `want` (0 for DIGEST_NONE). */
unsigned digest_flag(const struct digest_want *want);
/* True when the computed result has want's algorithm and it equals want. */
bool digest_matches(const struct digest_want *want, const struct digest_result *got);
/* 0 when it matches; ERR_DIGEST_MISMATCH naming `what`, expected and actual otherwise. */
int digest_check(const struct digest_want *want, const struct digest_result *got,
		 const char *what, struct error *e);
/* "sha256:<hex>" / "sha512:<hex>" of want into buf ("" for DIGEST_NONE). */
void digest_format(const struct digest_want *want, char *buf, size_t n);
const char *digest_alg_name(enum digest_alg alg); /* "sha256", "sha512", "none" */

#endif
