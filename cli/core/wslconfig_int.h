/* SPDX-License-Identifier: MIT */
/*
 * Inside the .wslconfig engine: the parsed document shared by the parser
 * (wslconfig.c), the editor (wslconfig_edit.c) and the checker
 * (wslconfig_check.c). Not for commands: they use wslconfig.h.
 */
#ifndef WSLCTL_WSLCONFIG_INT_H
#define WSLCTL_WSLCONFIG_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "textenc.h"
#include "wslconfig.h"
#include "wslkeys.h"

/* A key line as WSL read it. Offsets are into doc->text. */
struct entry {
	char *name;            /* dotted name WSL looks up (cut at a NUL, as WSL's C string) */
	const struct wslkey *k;     /* NULL: WSL does not know it */
	const struct wslkey *canon; /* the key old spellings stand for */
	int line;              /* the line WSL reports */
	size_t line_start;     /* where WSL began reading this line (leading blanks included) */
	size_t start;          /* first byte of the key name */
	size_t val_start, val_end; /* value bytes to replace (trailing unquoted blanks excluded) */
	size_t end;            /* where WSL's reading of the line stopped */
	char *value;           /* decoded value (NULL for a dropped line) */
	size_t value_len;
	bool dropped;          /* unclosed quote or bad escape: WSL skipped the line */
	bool ignored;          /* wsl.conf: after the line that ended WSL's parsing */
	bool in_section;       /* false: before any [section] */
	bool has_escape;       /* \t \n \b in the value: it differs from what was typed */
	char esc_char;         /* the first of them */
	int first;             /* index of the occurrence WSL uses for this key, -1 unknown */
	bool valid;            /* the value passes WSL's rule (first occurrences only) */
};

/* A grammar complaint found while reading (WSL's own warnings). */
struct gdiag {
	int line;
	const char *code;
	char *key;
	char *message;
	bool after_stop;
};

/* One parsed item (line) of the file, for finding where a new key goes. */
enum item_kind { IT_BLANK, IT_CONTENT, IT_HEADER };
struct item {
	size_t start, end;
	int ctx;               /* index into doc->ctx: the section a key here belongs to; -1 none */
	enum item_kind kind;
	bool after_stop;
};

struct wslconfig {
	char *path;            /* as given */
	char *target;          /* the file written (symlink followed) */
	enum wslconf_kind kind;
	enum textenc enc;
	bool exists;
	char *orig;            /* UTF-8 text as loaded */
	size_t orig_len;
	char *text;            /* current UTF-8 text (after edits) */
	size_t len;
	int lock_fd;
	char *lock_path;       /* TARGET.lock while we hold it */
	struct error lock_err; /* why the lock could not be had (folder not writable): a
				* commit that must write fails with it */
	const char *root;      /* --root, for path conversion */

	struct entry *ent;
	size_t nent, cap_ent;
	struct gdiag *gd;
	size_t ngd, cap_gd;
	struct item *it;
	size_t nit, cap_it;
	struct ctxname {
		char *s;       /* a section name as WSL holds it (may hold NULs) */
		size_t len;
	} *ctx;
	size_t nctx, cap_ctx;
	int stop_line;         /* wsl.conf: the first invalid line (0 = none) */

	struct wslconfig_change *chg;
	size_t nchg, cap_chg;
	struct wslconfig_diag *diag;
	size_t ndiag, cap_diag;
};

/* (Re)parses doc->text into entries, items and grammar diagnostics. */
int wslconfig_parse(struct wslconfig *cfg, struct error *err);
/* The entry WSL uses for KEY (any spelling), or -1. K may be NULL for unknown keys. */
int wslconfig_find(const struct wslconfig *cfg, const struct wslkey *k, const char *dotted);
/* True when entry E names KEY (any spelling of K, or DOTTED for unknown keys). */
bool wslconfig_entry_is(const struct wslconfig *cfg, const struct entry *e,
			const struct wslkey *k, const char *dotted);
/* True when context CTX is the section named SECTION. */
bool wslconfig_ctx_is(const struct wslconfig *cfg, int ctx, const char *section);
/* Grows an array of N elements of SIZE to hold one more. NULL when out of memory: ARR
 * and *CAP are then as they were (keep ARR; do not assign NULL over it). */
void *wslconfig_grow(void *arr, size_t *cap, size_t n, size_t size);
/* printf into a new string (NULL when out of memory): messages quote names whole. */
char *wslconfig_vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* The line ending new lines get: the file's usual one; CRLF (LF for wsl.conf) when it has none. */
const char *wslconfig_eol(const struct wslconfig *cfg);

#endif
