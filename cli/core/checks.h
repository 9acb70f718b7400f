/* SPDX-License-Identifier: MIT */
/*
 * The rules of `wslctl check`: each check id of docs/check.md evaluated from what the kernel
 * exposes under a root folder. No output here; cmd_check.c prints the report.
 */
#ifndef WSLCTL_CHECKS_H
#define WSLCTL_CHECKS_H

#include <stdbool.h>

#include "error.h"

enum check_id {
	CK_WSL_KERNEL,
	CK_KERNEL_VERSION,
	CK_KERNEL_CONFIG,
	CK_VIRTIOFS_REGISTERED,
	CK_VIRTIOFS_MOUNTED,
	CK_VIRTIO_DEVICES,
	CK_SWIOTLB_POOL,
	CK_SWIOTLB_USAGE,
	CK_WSLCONFIG_VIRTIOFS,
	CK_WSL_HOST,
	CK_COUNT
};

enum check_status { CHECK_PASS, CHECK_FAIL, CHECK_WARN, CHECK_SKIP };

struct check_result {
	enum check_status status;
	char detail[512];
	char fix[512]; /* "" when there is none */
};

/* One option of kernel.config, as kernel-config checkers list them. */
struct check_option {
	char name[64];
	char state[80];  /* "=y", "=m", "is not set", "absent", "=VALUE" */
	const char *need; /* "y", "y|m", ... */
	bool ok;
};
#define CHECK_MAX_OPTIONS 64

struct check_input {
	const char *root;      /* where /proc and /sys are */
	const char *data_dir;  /* holds kernel-config/ */
	const char *wslconfig; /* NULL when no .wslconfig is known ... */
	const char *wslconfig_why; /* ... and then why, for the skip */
	const char *wsl_exe;   /* the wsl.exe to run, NULL for none (--root without one named) */
	const char *wsl_exe_fallback; /* tried when wsl_exe is not found; may be NULL */
	int host_timeout_ms;
};

struct check_report {
	char release[256];  /* osrelease, "" when unknown */
	char version[64];   /* its leading dotted numbers, "" when none */
	int wsl;            /* 0 not WSL, 1 WSL 1, 2 WSL 2 */
	struct check_result r[CK_COUNT];
	struct check_option options[CHECK_MAX_OPTIONS];
	int noptions;       /* kernel.config's options; 0 when it did not compare */
};

/* Evaluates every check. -1 only when ROOT shows no kernel at all (no osrelease and no
 * /proc/version): then there is nothing to check. */
int checks_run(const struct check_input *in, struct check_report *rep, struct error *err);

const char *check_id_name(enum check_id id);
/* The id for NAME, or -1. */
int check_id_find(const char *name);
const char *check_status_name(enum check_status st);

#endif
