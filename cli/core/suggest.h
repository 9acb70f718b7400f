/* SPDX-License-Identifier: MIT */
/* "Did you mean": edit distance and the nearest of a set of names. */
#ifndef WSLCTL_SUGGEST_H
#define WSLCTL_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

/* Names longer than this are not compared: nobody mistypes a name that long, and the
 * work grows with the product of the lengths. */
#define SUGGEST_MAX_LEN 64

/*
 * The edit distance (insertions, deletions, substitutions) between A and B, ASCII case
 * ignored when FOLD, when it is at most MAX; otherwise (or when either is longer than
 * SUGGEST_MAX_LEN) MAX + 1, found out as early as possible.
 */
size_t suggest_distance(const char *a, const char *b, size_t max, bool fold);

/* The nearest name to what was typed, among the names offered to it. */
struct suggest {
	const char *typed;
	bool fold;          /* ignore ASCII case */
	size_t best_d;      /* the distance a name must beat */
	const char *best;   /* the nearest offered so far, NULL when none is within MAX */
};

/* Starts looking for names at most MAX edits from TYPED. */
void suggest_begin(struct suggest *s, const char *typed, size_t max, bool fold);
/* Offers NAME; kept when nearer than all before it (the first of equals wins). */
void suggest_offer(struct suggest *s, const char *name);

/*
 * How far a typo may be from the name it meant: 2 edits, and at most half of what was
 * typed (two edits make "ls" out of almost any short name).
 */
size_t suggest_reach(const char *typed);

/*
 * The nearest name, ASCII case ignored and within suggest_reach(TYPED), of a table of
 * structs whose first member is the name (const char *), STRIDE bytes apart, ended by a
 * NULL name: the tables of commands, verbs, features and options all look so. NULL
 * when none is near.
 */
const char *suggest_from_table(const char *typed, const void *table, size_t stride);
/* "; did you mean 'NEAR'?" in BUF (N bytes), or "" when NEAR is NULL: for messages. */
const char *suggest_hint(char *buf, size_t n, const char *near);
#define SUGGEST_HINT_SIZE (SUGGEST_MAX_LEN + 32)

#define SUGGEST_FROM(typed, table) suggest_from_table((typed), (table), sizeof((table)[0]))

#endif
