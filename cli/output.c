// SPDX-License-Identifier: MIT
#include "output.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "textenc.h"

static const char *const colour_esc[] = {
	[COL_RESET] = "\033[0m", [COL_RED] = "\033[31m", [COL_GREEN] = "\033[32m",
	[COL_YELLOW] = "\033[33m", [COL_BLUE] = "\033[34m", [COL_DIM] = "\033[2m",
	[COL_BOLD] = "\033[1m",
};

static bool colour_on(const struct ctx *c, FILE *f)
{
	return c && (f == stdout ? c->color_out : f == stderr ? c->color_err : false);
}

static bool same_file(int a, int b)
{
	struct stat x, y;

	return fstat(a, &x) == 0 && fstat(b, &y) == 0 && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

void output_init(struct ctx *c, bool no_color)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	bool dumb = term && !strcmp(term, "dumb");
	/* no-color.org: NO_COLOR counts when set and not empty. */
	bool colour = !no_color && !(nc && *nc) && !dumb;

	c->color_out = colour && isatty(STDOUT_FILENO);
	c->color_err = colour && isatty(STDERR_FILENO);
	/* The bar redraws with \r and ESC[K, which a dumb terminal shows as they are. */
	c->progress = !c->json && c->verbosity >= 0 && !dumb && isatty(STDERR_FILENO);
	/*
	 * Merged streams: a fully buffered stdout would let stderr's later lines overtake
	 * its earlier ones. Line-buffering costs a write per line, paid only here; apart,
	 * stdout keeps its buffer and is flushed only before stderr is written (to_stderr).
	 */
	if (!isatty(STDOUT_FILENO) && same_file(STDOUT_FILENO, STDERR_FILENO))
		setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Before a line on stderr: what stdout holds goes first (`| tee log` on a terminal). */
static FILE *to_stderr(void)
{
	fflush(stdout);
	return stderr;
}

/* The length of one of col()'s escapes at S when colour is on for F, else 0. */
static size_t own_colour(const struct ctx *c, FILE *f, const char *s)
{
	for (size_t i = 0; colour_on(c, f) && i < sizeof(colour_esc) / sizeof(colour_esc[0]); i++)
		if (!strncmp(s, colour_esc[i], strlen(colour_esc[i])))
			return strlen(colour_esc[i]);
	return 0;
}

/*
 * Writes S so that no text it quotes (a server's tag, digest, error body; a file's
 * bytes) can drive the terminal: C0 controls but newline and tab, DEL, and a byte
 * 0x80..0x9f that is not part of UTF-8 (C1 on an 8-bit terminal) become \xNN, C1
 * controls as UTF-8 spells them (U+0080..U+009F) \u00NN. Other bytes, valid UTF-8 or
 * not, and the colour escapes col() itself returned stay as they are.
 */
static void put_text(const struct ctx *c, FILE *f, struct strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), k;

	while (left) {
		k = *p == 0x1b ? own_colour(c, f, (const char *)p) : 0;
		if (k) {
			strbuf_add(b, p, k);
		} else if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) {
			strbuf_printf(b, "\\x%02x", *p);
			k = 1;
		} else if (!(k = textenc_utf8_len(p, left))) {
			if (*p <= 0x9f)
				strbuf_printf(b, "\\x%02x", *p);
			else
				strbuf_add(b, p, 1);
			k = 1;
		} else if (k == 2 && p[0] == 0xc2 && p[1] <= 0x9f) {
			strbuf_printf(b, "\\u%04x", p[1]);
		} else {
			strbuf_add(b, p, k);
		}
		p += k;
		left -= k;
	}
}

/*
 * PREFIX (ours, as it is) then the formatted text, filtered, and a newline, handed to F
 * in one write: on unbuffered stderr a line goes out whole, not a byte at a time, so
 * runs sharing a log do not interleave mid-line.
 */
static void vprint(const struct ctx *c, FILE *f, const char *prefix, const char *fmt,
		   va_list ap)
{
	struct strbuf b = { 0 };
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("(out of memory)\n", f);
		return;
	}
	strbuf_str(&b, prefix);
	/* The main text on stdout is data when it goes to a file or a pipe: as it is. */
	if (f == stdout && !isatty(STDOUT_FILENO))
		strbuf_str(&b, s);
	else
		put_text(c, f, &b, s);
	strbuf_add(&b, "\n", 1);
	free(s);
	if (b.oom)
		fputs("(out of memory)\n", f);
	else
		fwrite(b.s, 1, b.len, f);
	strbuf_free(&b);
}

/* vprint with its arguments given here. */
static void print(const struct ctx *c, FILE *f, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void print(const struct ctx *c, FILE *f, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(c, f, prefix, fmt, ap);
	va_end(ap);
}

/* Where out() and did() write. */
static FILE *answer_stream(const struct ctx *c)
{
	return c->json ? to_stderr() : stdout;
}

void out(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(c, answer_stream(c), "", fmt, ap);
	va_end(ap);
}

void did(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 0)
		return;
	va_start(ap, fmt);
	vprint(c, answer_stream(c), "", fmt, ap);
	va_end(ap);
}

void info(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 0)
		return;
	va_start(ap, fmt);
	vprint(c, to_stderr(), "", fmt, ap);
	va_end(ap);
}

void verbose(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 1)
		return;
	va_start(ap, fmt);
	vprint(c, to_stderr(), "", fmt, ap);
	va_end(ap);
}

void warnf(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%swslctl: warning:%s ",
		 col_for(c, stderr, COL_YELLOW), col_for(c, stderr, COL_RESET));
	va_start(ap, fmt);
	vprint(c, to_stderr(), prefix, fmt, ap);
	va_end(ap);
}

const char *col_for(const struct ctx *c, FILE *stream, enum colour k)
{
	return colour_on(c, stream) ? colour_esc[k] : "";
}

const char *col(const struct ctx *c, enum colour k)
{
	return c ? col_for(c, c->json ? stderr : stdout, k) : "";
}

void output_lock_wait(const char *path, void *arg)
{
	info(arg, "waiting for another process that holds %s (up to 10 s)", path);
}

void output_verbose_note(const char *msg, void *arg)
{
	verbose(arg, "%s", msg);
}

void output_text(FILE *f, const char *text)
{
	struct strbuf b = { 0 };

	put_text(NULL, f, &b, text);
	if (!b.oom)
		fwrite(b.s, 1, b.len, f);
	strbuf_free(&b);
}

void output_error_text(const struct ctx *c, const struct error *e)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%swslctl: error:%s ", col_for(c, stderr, COL_RED),
		 col_for(c, stderr, COL_RESET));
	/* NULL: no escape in the message is ours, so none passes unfiltered. */
	print(NULL, to_stderr(), prefix, "%s", e->message);
}

static json_t *error_json(const struct error *e)
{
	/* The message may quote file bytes that are not UTF-8: cleaned, it never vanishes. */
	return json_pack("{s:s, s:o}", "code", error_code_name(e->code), "message",
			 textenc_json(e->message, strlen(e->message)));
}

static void print_json(const json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (s)
		puts(s);
	free(s);
}

void output_error(const struct ctx *c, const struct error *e)
{
	if (c->json) {
		/* A result whose command set "ok" keeps its facts beside the error. */
		json_t *o = json_object_get(c->result, "ok") ? json_incref(c->result)
							     : json_object();

		json_object_set_new(o, "ok", json_false());
		json_object_set_new(o, "error", error_json(e));
		print_json(o);
		json_decref(o);
	}
	output_error_text(c, e);
}

void output_result(const struct ctx *c)
{
	print_json(c->result);
}

json_t *json_str_or_null(const char *s)
{
	return s ? textenc_json(s, strlen(s)) : json_null();
}

json_t *json_text_or_null(const char *s)
{
	return textenc_json_or_null(s);
}
