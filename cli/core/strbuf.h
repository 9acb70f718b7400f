/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer. An append that runs out of memory leaves the buffer as it
 * was and makes every later append a no-op, so a caller may append several times and
 * check once (oom) at the end.
 */
#ifndef WSLCTL_STRBUF_H
#define WSLCTL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s;         /* the bytes, NUL-terminated; NULL until the first append (free()) */
	size_t len, cap; /* len excludes the NUL */
	bool oom;        /* an append failed: s holds what came before it */
};

/* Appends N bytes of P. 0, or -1 when memory ran out (or an earlier append failed). */
int strbuf_add(struct strbuf *b, const void *p, size_t n);
/* Appends the string S. */
int strbuf_str(struct strbuf *b, const char *s);
/* Appends printf(FMT, ...); -1 also when the format cannot be printed. */
int strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Cuts B to its first N bytes (nothing when it is not longer); the memory stays. */
void strbuf_cut(struct strbuf *b, size_t n);
/* Frees the bytes and empties B for reuse. */
void strbuf_free(struct strbuf *b);

#endif
