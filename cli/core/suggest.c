// SPDX-License-Identifier: MIT
#include "suggest.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool differ(char x, char y, bool fold)
{
	if (fold)
		return tolower((unsigned char)x) != tolower((unsigned char)y);
	return x != y;
}

size_t suggest_distance(const char *a, const char *b, size_t max, bool fold)
{
	size_t la = strnlen(a, SUGGEST_MAX_LEN + 1), lb = strnlen(b, SUGGEST_MAX_LEN + 1);
	/* Three rows: the one being made, the one before it, and the one before that (for
	 * swapped neighbours, "lsit" for "list", which cost one edit). */
	size_t rows[3][SUGGEST_MAX_LEN + 1], prev_low = 0;

	/* "More than MAX" as MAX + 1, which must not wrap. */
	if (max == SIZE_MAX)
		max = SIZE_MAX - 1;
	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN ||
	    (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		rows[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *row = rows[i % 3], *up = rows[(i - 1) % 3], *up2 = rows[(i + 1) % 3];
		size_t low;

		row[0] = low = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = up[j - 1] + differ(a[i - 1], b[j - 1], fold);

			if (up[j] + 1 < best)
				best = up[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && !differ(a[i - 1], b[j - 2], fold) &&
			    !differ(a[i - 2], b[j - 1], fold) && up2[j - 2] + 1 < best)
				best = up2[j - 2] + 1;
			row[j] = best;
			if (best < low)
				low = best;
		}
		/* No later row is below this one's smallest value, nor below one more than
		 * the row before it (a swap reaches back two rows). */
		if (low > max && (i == 1 || prev_low >= max))
			return max + 1;
		prev_low = low;
	}
	return rows[la % 3][lb] > max ? max + 1 : rows[la % 3][lb];
}

void suggest_begin(struct suggest *s, const char *typed, size_t max, bool fold)
{
	s->typed = typed;
	s->fold = fold;
	s->best_d = max == SIZE_MAX ? SIZE_MAX : max + 1;
	s->best = NULL;
}

void suggest_offer(struct suggest *s, const char *name)
{
	size_t d;

	if (!s->best_d)
		return;
	d = suggest_distance(s->typed, name, s->best_d - 1, s->fold);
	if (d < s->best_d) {
		s->best_d = d;
		s->best = name;
	}
}

size_t suggest_reach(const char *typed)
{
	size_t half = strnlen(typed, SUGGEST_MAX_LEN + 1) / 2;

	return half < 2 ? half : 2;
}

const char *suggest_from_table(const char *typed, const void *table, size_t stride)
{
	struct suggest s;
	const char *const *name;

	suggest_begin(&s, typed, suggest_reach(typed), true);
	for (const char *p = table; *(name = (const char *const *)(const void *)p); p += stride)
		suggest_offer(&s, *name);
	return s.best;
}

const char *suggest_hint(char *buf, size_t n, const char *near)
{
	if (!near || (size_t)snprintf(buf, n, "; did you mean '%s'?", near) >= n)
		return "";
	return buf;
}
