// SPDX-License-Identifier: MIT
/* Bars for bench --compare (bench_chart.h). */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "bench_chart.h"

bool bench_chart_utf8(void)
{
	const char *term = getenv("TERM"), *set;

	if (term && !strcmp(term, "dumb"))
		return false;
	setlocale(LC_CTYPE, "");
	set = nl_langinfo(CODESET);
	return set && (!strcmp(set, "UTF-8") || !strcmp(set, "utf8"));
}

char *bench_chart_bar(double frac, int width, bool utf8, char *buf, size_t n)
{
	/* U+2588 full block, then U+258F..U+2589: one to seven eighths. */
	static const char *const eighth[] = { "", "\u258f", "\u258e", "\u258d", "\u258c",
					      "\u258b", "\u258a", "\u2589" };
	long units, full;
	size_t k = 0;

	if (frac < 0 || frac != frac)
		frac = 0;
	if (frac > 1)
		frac = 1;
	units = (long)(frac * width * (utf8 ? 8 : 1) + 0.5);
	if (units == 0 && frac > 0)
		units = 1;
	full = utf8 ? units / 8 : units;
	buf[0] = '\0';
	for (long i = 0; i < full && k + 4 < n; i++) {
		const char *mark = utf8 ? "\u2588" : "#";

		memcpy(buf + k, mark, strlen(mark));
		k += strlen(mark);
	}
	if (utf8 && units % 8 && k + 4 < n) {
		memcpy(buf + k, eighth[units % 8], strlen(eighth[units % 8]));
		k += strlen(eighth[units % 8]);
	}
	for (long col = full + (utf8 && units % 8); col < width && k + 1 < n; col++)
		buf[k++] = ' ';
	buf[k] = '\0';
	return buf;
}
