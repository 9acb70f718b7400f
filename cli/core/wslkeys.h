/* SPDX-License-Identifier: MIT */
/*
 * The keys WSL knows, with their types and defaults, and WSL's rules for
 * their values (docs/wslconfig.md). Data, so that new keys are one line.
 */
#ifndef WSLCTL_WSLKEYS_H
#define WSLCTL_WSLKEYS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

enum wslconf_kind {
	WSLCONF_WSLCONFIG, /* %USERPROFILE%\.wslconfig, parsed on Windows (long is 32-bit) */
	WSLCONF_WSLCONF,   /* /etc/wsl.conf, parsed on Linux (long is 64-bit) */
};

enum wslkey_type {
	KT_BOOL,   /* true/false/1/0, any case */
	KT_INT,    /* strtol base 0, saturating to the platform's long */
	KT_SIZE,   /* decimal + optional uppercase B K KB M MB G GB T TB, powers of 1024 */
	KT_STRING,
	KT_PATH,   /* a Windows path in .wslconfig */
	KT_ENUM,   /* one of enum_values, case-insensitive */
	KT_MAC,    /* invalid is a hard error: WSL does not start */
	KT_IPV4,
	KT_LIST,   /* comma list; each entry checked by the key's item rule */
};

/* How WSL turns a valid value into what it uses (struct wslkey.flags). */
enum {
	KF_ZERO_IS_AUTO = 1 << 0,  /* 0 (or less) means "work it out from the machine" */
	KF_MIN_256M     = 1 << 1,  /* memory: raised to at least 256 MiB */
	KF_MAX_IS_AUTO  = 1 << 2,  /* swap: the all-ones size is WSL's "not set" marker */
};

struct wslkey {
	const char *section;      /* canonical spelling, e.g. "wsl2" */
	const char *name;         /* canonical spelling, e.g. "virtiofs" */
	enum wslkey_type type;
	const char *def;          /* default as text; NULL when it depends on the machine */
	const char *const *enum_values; /* KT_ENUM: NULL-terminated; the first spelling of
					   each value is the one WSL reports */
	const char *same_as;      /* old spelling of another key ("wsl2.networkingMode") */
	unsigned flags;           /* KF_* */
	const char *summary;      /* one line for `config list` and help */
};

/* Case-insensitive lookup of "section.key" / (section, key). NULL when WSL does not know it. */
const struct wslkey *wslkeys_find(enum wslconf_kind kind, const char *section, const char *name);
const struct wslkey *wslkeys_lookup(enum wslconf_kind kind, const char *dotted);
/* The key and every old spelling of it: fills out[] (up to max), returns the count. */
int wslkeys_spellings(enum wslconf_kind kind, const struct wslkey *k,
		      const struct wslkey **out, int max);
/* All keys of a kind, in table order; NULL-terminated via ->name == NULL. */
const struct wslkey *wslkeys_table(enum wslconf_kind kind);
/* The key an old spelling stands for (K itself when it is not an old spelling). */
const struct wslkey *wslkeys_canonical(enum wslconf_kind kind, const struct wslkey *k);
/* "section.name" of K into buf; returns buf. */
const char *wslkeys_dotted(const struct wslkey *k, char *buf, size_t n);
/* "bool", "int", "size", ... for messages and `config list`. */
const char *wslkeys_type_name(enum wslkey_type t);
/* The kind a file is read with: wsl.conf's table for a file named wsl.conf. */
enum wslconf_kind wslkeys_kind_for_path(const char *path);

/* One complaint about a value, with its warning code (docs/wslconfig.md). */
struct wslkey_problem {
	const char *code;   /* "invalid-bool", "invalid-int", "invalid-size", "invalid-enum",
			       "invalid-ip", "invalid-mac" (a list key's bad entry: "invalid-int") */
	char message[256];  /* what WSL says, in words a person can act on */
};

/* Checks VALUE (as WSL decoded it) with WSL's rule for K. Returns the number of problems
 * written to probs (a list key can have several), 0 when WSL accepts it. */
int wslkeys_check(enum wslconf_kind kind, const struct wslkey *k, const char *value,
		  struct wslkey_problem *probs, int max);
/* What WSL will use, typed for JSON: booleans, numbers (sizes in bytes, saturated ints),
 * strings. VALUE NULL = the default (json null when it depends on the machine). */
json_t *wslkeys_effective(enum wslconf_kind kind, const struct wslkey *k, const char *value);

/* "did you mean": the known dotted key nearest to NAME, or NULL. */
const char *wslkeys_suggest(enum wslconf_kind kind, const char *dotted, char *buf, size_t n);

#endif
