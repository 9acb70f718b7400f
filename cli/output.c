// SPDX-License-Identifier: MIT
#include "output.h"

#include <stdarg.h>
#include <string.h>

#include "textenc.h"

static void vprint(FILE *f, const char *fmt, va_list ap)
{
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void out(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 0)
		return;
	va_start(ap, fmt);
	vprint(c->json ? stderr : stdout, fmt, ap);
	va_end(ap);
}

void info(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 0)
		return;
	va_start(ap, fmt);
	vprint(stderr, fmt, ap);
	va_end(ap);
}

void verbose(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 1)
		return;
	va_start(ap, fmt);
	vprint(stderr, fmt, ap);
	va_end(ap);
}

void warnf(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%swslctl: warning:%s ", col(c, COL_YELLOW), col(c, COL_RESET));
	va_start(ap, fmt);
	vprint(stderr, fmt, ap);
	va_end(ap);
}

const char *col(const struct ctx *c, enum colour k)
{
	static const char *const esc[] = {
		[COL_RESET] = "\033[0m", [COL_RED] = "\033[31m", [COL_GREEN] = "\033[32m",
		[COL_YELLOW] = "\033[33m", [COL_BLUE] = "\033[34m", [COL_DIM] = "\033[2m",
		[COL_BOLD] = "\033[1m",
	};
	return c && c->color ? esc[k] : "";
}

void output_error(const struct ctx *c, const struct error *e)
{
	if (c->json) {
		/* The message may quote file bytes that are not UTF-8. */
		json_t *o = json_pack("{s:b, s:{s:s, s:o}}", "ok", 0, "error", "code",
				      error_code_name(e->code), "message",
				      textenc_json(e->message, strlen(e->message)));
		char *s = json_dumps(o, JSON_COMPACT);

		if (s)
			puts(s);
		free(s);
		json_decref(o);
	}
	fprintf(stderr, "%swslctl: error:%s %s\n", col(c, COL_RED), col(c, COL_RESET),
		e->message);
}

void output_result(const struct ctx *c)
{
	char *s = json_dumps(c->result, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (s)
		puts(s);
	free(s);
}

json_t *json_str_or_null(const char *s)
{
	return s ? textenc_json(s, strlen(s)) : json_null();
}
