/* SPDX-License-Identifier: MIT */
/* The terminal chart of bench --compare: horizontal bars, in block characters where the
 * terminal shows them, else ASCII. */
#ifndef WSLCTL_BENCH_CHART_H
#define WSLCTL_BENCH_CHART_H

#include <stdbool.h>
#include <stddef.h>

/* Block characters can be used: the locale's character set (setlocale(LC_CTYPE, "") then
 * nl_langinfo(CODESET)) is UTF-8 and TERM is not "dumb". */
bool bench_chart_utf8(void);
/* A bar of WIDTH columns for FRAC (0..1) into BUF: full blocks and an eighth-block tail
 * (UTF8), or '#' (ASCII); at least one mark for any FRAC > 0; padded with spaces to WIDTH. Returns BUF. */
char *bench_chart_bar(double frac, int width, bool utf8, char *buf, size_t n);

#endif
