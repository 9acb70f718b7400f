/* SPDX-License-Identifier: MIT */
/*
 * Text for people, JSON for scripts; every message goes through here, and through one
 * filter: control characters in the text (C0 but newline and tab, DEL, C1, bytes that
 * are not UTF-8) are shown as \xNN or \u00NN, so that what a server or a file said cannot
 * drive the terminal; only col()'s own escapes pass, and only when colour is on.
 */
#ifndef WSLCTL_OUTPUT_H
#define WSLCTL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "ctx.h"

/*
 * Decides, once, what main's options and the environment leave for the streams: colour
 * per stream (a terminal, --no-color not given, NO_COLOR unset or empty, TERM not
 * "dumb"), progress bars (stderr a terminal that is not dumb, neither --json nor -q),
 * and the order of messages: when stdout and stderr are the same file or pipe
 * (`2>&1 | tee log`), stdout is line-buffered, so that each line goes out when made.
 */
void output_init(struct ctx *c, bool no_color);

/* The answer, what was asked for (a value, a list, a path, a verdict): stdout, or stderr
 * under --json; -q never hides it. */
void out(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* What a writer did ("virtiofs enabled", a diff, "activated"): where out() writes, but
 * -q hides it, as git's -q does; the exit code (and --json) says it worked. */
void did(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Chatter on stderr: notes, progress, advice (hidden by -q). */
void info(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Only with -v. */
void verbose(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "wslctl: warning: ..." on stderr, always. */
void warnf(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Colour: the escape for K in text written to STREAM (stdout or stderr), or "" when
 * colour is off for that stream. Every coloured output asks this. */
enum colour { COL_RESET, COL_RED, COL_GREEN, COL_YELLOW, COL_BLUE, COL_DIM, COL_BOLD };
const char *col_for(const struct ctx *c, FILE *stream, enum colour k);
/* col_for the stream out() and did() write to (stderr under --json, else stdout). */
const char *col(const struct ctx *c, enum colour k);

/* A filelock_on_wait hook (ARG: the ctx): says, with info(), that we wait for PATH. */
void output_lock_wait(const char *path, void *arg);
/* A hook for notes only -v shows (ARG: the ctx), such as http's retries. */
void output_verbose_note(const char *msg, void *arg);

/*
 * The one way a failure is printed: under --json one object on stdout,
 * {"ok":false,"error":{"code":CODE,"message":TEXT}}; when the command set "ok" in
 * ctx->result itself, that result with "ok":false and "error" added (build's report,
 * update's finished steps). Always the text on stderr.
 */
void output_error(const struct ctx *c, const struct error *e);
/* TEXT as it is onto F through the filter, no colour: for what a child process said
 * (build's make output), so that it cannot drive the terminal. */
void output_text(FILE *f, const char *text);
/* Only the "wslctl: error: MESSAGE" line on stderr. */
void output_error_text(const struct ctx *c, const struct error *e);
/* Prints ctx->result as one JSON line on stdout. */
void output_result(const struct ctx *c);

/* A JSON string of S (bytes that are not UTF-8 become U+FFFD), or null for NULL. */
json_t *json_str_or_null(const char *s);
/* The same, but "" is null too: a field that can be absent is null, never "". */
json_t *json_text_or_null(const char *s);

#endif
