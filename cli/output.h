/* SPDX-License-Identifier: MIT */
/*
 * Text for people, JSON for scripts; every message goes through here, and through one
 * filter: control characters in the text (C0 but newline and tab, DEL, C1, bytes that
 * are not UTF-8) are shown as \xNN or \u00NN, so that what a server or a file said cannot
 * drive the terminal; only col()'s own escapes pass, and only when colour is on.
 */
#ifndef WSLCTL_OUTPUT_H
#define WSLCTL_OUTPUT_H

#include <stdio.h>

#include "ctx.h"

/* The main text of a command: stdout normally, stderr under --json, nothing with -q. */
void out(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Informational lines on stderr (suppressed by -q). */
void info(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Only with -v. */
void verbose(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "wslctl: warning: ..." on stderr, always. */
void warnf(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Colour helpers: return the escape or "" when colour is off. */
enum colour { COL_RESET, COL_RED, COL_GREEN, COL_YELLOW, COL_BLUE, COL_DIM, COL_BOLD };
const char *col(const struct ctx *c, enum colour k);

/*
 * The one way a failure is printed: under --json one object on stdout,
 * {"ok":false,"error":{"code":CODE,"message":TEXT}}; when the command set "ok" in
 * ctx->result itself, that result with "ok":false and "error" added (build's report,
 * update's finished steps). Always the text on stderr.
 */
void output_error(const struct ctx *c, const struct error *e);
/* Only the "wslctl: error: MESSAGE" line on stderr. */
void output_error_text(const struct ctx *c, const struct error *e);
/* Prints ctx->result as one JSON line on stdout. */
void output_result(const struct ctx *c);

/* A JSON string of S (bytes that are not UTF-8 become U+FFFD), or null for NULL. */
json_t *json_str_or_null(const char *s);
/* The same, but "" is null too: a field that can be absent is null, never "". */
json_t *json_text_or_null(const char *s);

#endif
