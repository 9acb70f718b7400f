// SPDX-License-Identifier: MIT
#include "output.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "textenc.h"

static const char *const colour_esc[] = {
	[COL_RESET] = "\033[0m", [COL_RED] = "\033[31m", [COL_GREEN] = "\033[32m",
	[COL_YELLOW] = "\033[33m", [COL_BLUE] = "\033[34m", [COL_DIM] = "\033[2m",
	[COL_BOLD] = "\033[1m",
};

/* The length of one of col()'s escapes at S when colour is on, else 0. */
static size_t own_colour(const struct ctx *c, const char *s)
{
	for (size_t i = 0; c && c->color && i < sizeof(colour_esc) / sizeof(colour_esc[0]); i++)
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
static void put_text(const struct ctx *c, FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), k;

	while (left) {
		k = *p == 0x1b ? own_colour(c, (const char *)p) : 0;
		if (k) {
			fwrite(p, 1, k, f);
		} else if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p);
			k = 1;
		} else if (!(k = textenc_utf8_len(p, left))) {
			if (*p <= 0x9f)
				fprintf(f, "\\x%02x", *p);
			else
				fputc(*p, f);
			k = 1;
		} else if (k == 2 && p[0] == 0xc2 && p[1] <= 0x9f) {
			fprintf(f, "\\u%04x", p[1]);
		} else {
			fwrite(p, 1, k, f);
		}
		p += k;
		left -= k;
	}
}

static void vprint(const struct ctx *c, FILE *f, const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("(out of memory)\n", f);
		return;
	}
	/* The main text on stdout is data when it goes to a file or a pipe: as it is. */
	if (f == stdout && !isatty(STDOUT_FILENO))
		fputs(s, f);
	else
		put_text(c, f, s);
	fputc('\n', f);
	free(s);
}

void out(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 0)
		return;
	va_start(ap, fmt);
	vprint(c, c->json ? stderr : stdout, fmt, ap);
	va_end(ap);
}

void info(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 0)
		return;
	va_start(ap, fmt);
	vprint(c, stderr, fmt, ap);
	va_end(ap);
}

void verbose(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 1)
		return;
	va_start(ap, fmt);
	vprint(c, stderr, fmt, ap);
	va_end(ap);
}

void warnf(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%swslctl: warning:%s ", col(c, COL_YELLOW), col(c, COL_RESET));
	va_start(ap, fmt);
	vprint(c, stderr, fmt, ap);
	va_end(ap);
}

const char *col(const struct ctx *c, enum colour k)
{
	return c && c->color ? colour_esc[k] : "";
}

void output_error_text(const struct ctx *c, const struct error *e)
{
	fprintf(stderr, "%swslctl: error:%s ", col(c, COL_RED), col(c, COL_RESET));
	put_text(NULL, stderr, e->message);
	fputc('\n', stderr);
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
	return json_str_or_null(s && *s ? s : NULL);
}
