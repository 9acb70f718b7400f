/* SPDX-License-Identifier: MIT */
/*
 * Kernel configuration: a kernel's .config (plain, or gzip as /proc/config.gz) and the
 * fragments under kernel-config/ that say which options virtiofs and the dedicated
 * SWIOTLB pool need. `check` compares the running kernel's config with the fragments;
 * `build` uses the same reader to see which fragment options survived olddefconfig.
 */
#ifndef WSLCTL_KCONFIG_H
#define WSLCTL_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The four states an option can have in a .config, plus non-tristate values. */
enum kconfig_state {
	KCONFIG_ABSENT,  /* no line for it: the option does not exist in this tree/config */
	KCONFIG_NOT_SET, /* "# CONFIG_X is not set" (or CONFIG_X=n) */
	KCONFIG_Y,
	KCONFIG_M,
	KCONFIG_VALUE,   /* a number or string: CONFIG_X=0x10, CONFIG_X="text" */
};

struct kconfig;

/* Reads a .config; gzip is detected and inflated with zlib. Lines the kernel's own
 * parser ignores are ignored; a file without a single CONFIG_ line is refused. */
int kconfig_load_file(const char *path, struct kconfig **out, struct error *err);
/* The same from memory (plain text); NAME is used in messages. */
int kconfig_parse(const char *text, size_t len, const char *name, struct kconfig **out,
		  struct error *err);
void kconfig_free(struct kconfig *cfg);
/* NAME with or without the CONFIG_ prefix. VALUE (may be NULL) gets the text after '='
 * for KCONFIG_Y/M/VALUE, NULL otherwise. */
enum kconfig_state kconfig_get(const struct kconfig *cfg, const char *name, const char **value);
size_t kconfig_count(const struct kconfig *cfg);
/* "=y", "=m", "is not set", "absent" or "=VALUE", for messages. */
const char *kconfig_state_text(enum kconfig_state st, const char *value, char *buf, size_t n);

/* What a fragment option requires (kernel-config/README: the `# need:` line). */
enum kconfig_need {
	KNEED_Y,     /* built in */
	KNEED_YM,    /* built in or a module */
	KNEED_N,     /* off: not set or absent */
	KNEED_EXACT, /* exactly the value written (numbers, strings) */
	KNEED_BUILD, /* wanted when building; `check` does not demand it of a running kernel */
};

struct kconfig_req {
	char *name;             /* without CONFIG_ */
	char *value;            /* as written: "y", "m", "n" for not set, or the value */
	enum kconfig_need need;
	char *why;              /* the `# why:` text, NULL when there is none */
	char *file;
	int line;
};

struct kconfig_reqs {
	struct kconfig_req *v;
	size_t n, cap;
};

/* Appends the options of one fragment; a later fragment's option replaces an earlier
 * one of the same name (as merge_config.sh does). Errors name file and line. */
int kconfig_fragment_load(const char *path, struct kconfig_reqs *reqs, struct error *err);
/* Every DIR/ *.config in name order. */
int kconfig_fragment_dir(const char *dir, struct kconfig_reqs *reqs, struct error *err);
void kconfig_reqs_free(struct kconfig_reqs *reqs);

enum kconfig_phase {
	KCONFIG_RUNTIME, /* a running kernel: build-only wants are not asked for */
	KCONFIG_BUILD,   /* after olddefconfig: build-only wants must survive as written */
};
bool kconfig_req_met(const struct kconfig_req *r, const struct kconfig *cfg,
		     enum kconfig_phase phase);
/* "y", "y|m", "n", "=VALUE" or "build". */
const char *kconfig_need_text(enum kconfig_need need);

#endif
