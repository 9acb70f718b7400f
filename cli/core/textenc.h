/* SPDX-License-Identifier: MIT */
/*
 * The encodings WSL reads a .wslconfig in (UTF-8 with or without BOM, UTF-16LE
 * with BOM), converted to UTF-8 for the parser and back, byte for byte, on write.
 */
#ifndef WSLCTL_TEXTENC_H
#define WSLCTL_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "error.h"

enum textenc {
	TEXTENC_UTF8,      /* no BOM */
	TEXTENC_UTF8_BOM,
	TEXTENC_UTF16LE,   /* with BOM */
	TEXTENC_RAW,       /* bytes as they are (wsl.conf: Linux reads it without decoding) */
};

/*
 * Decodes RAW (LEN bytes) of the file PATH into a malloc'd UTF-8 buffer without BOM.
 * With ENC == TEXTENC_RAW on entry the bytes are taken as they are; otherwise the
 * encoding is detected and stored in *ENC. Encodings WSL cannot read are ERR_INVALID_FILE.
 */
int textenc_decode(const char *path, const char *raw, size_t len, enum textenc *enc,
		   char **out, size_t *out_len, struct error *err);
/* Encodes UTF-8 TEXT back into ENC (adding the BOM). Returns a malloc'd buffer. */
int textenc_encode(enum textenc enc, const char *text, size_t len, char **out,
		   size_t *out_len, struct error *err);
/* Length of the valid UTF-8 sequence at S (1..4), or 0 when it is not one. */
size_t textenc_utf8_len(const unsigned char *s, size_t n);
/* A JSON string of S..S+N; bytes that are not UTF-8 become U+FFFD. */
json_t *textenc_json(const char *s, size_t n);
/* textenc_json of the string S, or null when S is NULL or empty (a fact not known). */
json_t *textenc_json_or_null(const char *s);
/*
 * What WSL makes of a non-ASCII value: it reads UTF-16 code units and keeps the
 * low byte of each. Writes the mangled copy of S into a malloc'd string.
 */
char *textenc_wsl_mangle(const char *s, size_t n);

#endif
