// SPDX-License-Identifier: MIT
#include "suggest.h"

#include <ctype.h>
#include <stdint.h>
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
	size_t row[SUGGEST_MAX_LEN + 1];

	/* "More than MAX" as MAX + 1, which must not wrap. */
	if (max == SIZE_MAX)
		max = SIZE_MAX - 1;
	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN ||
	    (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], low;

		row[0] = low = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + differ(a[i - 1], b[j - 1], fold);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
			if (best < low)
				low = best;
		}
		/* No later row is below this one's smallest value. */
		if (low > max)
			return max + 1;
	}
	return row[lb] > max ? max + 1 : row[lb];
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
