/* SPDX-License-Identifier: MIT */
/*
 * Driving the kernel's own build system: the configuration (base config + fragments
 * merged by the tree's scripts/kconfig/merge_config.sh, then olddefconfig, then a check
 * that every fragment option survived) and `make -jN O=<build dir>` with a log.
 * All output lands in the build folder; the source tree is only read.
 */
#ifndef WSLCTL_KBUILD_H
#define WSLCTL_KBUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "kconfig.h"

#define KBUILD_TAIL 30

struct kbuild {
	/* set by the caller */
	const char *tree;         /* absolute source tree */
	const char *objdir;       /* absolute build folder (make O=) */
	const char *base_config;  /* NULL: the tree's WSL config; "defconfig", "tinyconfig"
				     or a config file */
	const char *const *fragments; /* merged in this order over the base */
	size_t nfragments;
	const char *localversion; /* LOCALVERSION=, so uname -r is predictable */
	int jobs;                 /* make -j */
	const char *distcc_hosts; /* NULL: compile here */
	bool ccache;              /* CC="ccache gcc" */
	bool modules;             /* also build the modules */
	int log_fd;               /* every tool's output */
	bool progress;            /* one-line display on stderr */

	/* filled in */
	const char *arch;         /* kernel SRCARCH of this machine: "x86" or "arm64" */
	char base_used[4096];     /* which base the configuration started from */
	bool config_changed;      /* .config was replaced (false: identical, untouched) */
	bool config_reused;       /* nothing olddefconfig reads changed: not even run */
	char release[256];        /* include/config/kernel.release, as make kernelrelease */
	char image[4096];         /* the built kernel image */
	char tail[KBUILD_TAIL][512]; /* the last lines of output, for failures */
	unsigned ntail;
	unsigned nlines;
};

/* "x86" or "arm64" and the image (bzImage, Image) for this machine; NULL if unsupported. */
const char *kbuild_arch(const char **image_name);
/* The tree's WSL config for ARCH (arch/x86/configs/config-wsl, Microsoft/config-wsl,
 * arm64 counterparts) into BUF; 0 when it has none. */
int kbuild_wsl_config(const char *tree, const char *arch, char *buf, size_t n);

/*
 * Makes O/.config: base, fragments (merge_config.sh -m), olddefconfig, all in a
 * side file that replaces .config only when it passed and differs (an unchanged
 * configuration leaves .config and the next make untouched). Skipped entirely when
 * the base, the fragments and every Kconfig file are as at the last successful build. REQS are the fragments'
 * options; any that did not survive is put in *DROPPED (malloc'd "CONFIG_X=y (now
 * absent)" texts, *NDROPPED of them) and ERR_CONFIG_DROPPED is returned.
 */
int kbuild_configure(struct kbuild *kb, const struct kconfig_reqs *reqs, char ***dropped,
		     size_t *ndropped, struct error *err);
/* make -jN O=... LOCALVERSION=... <image> [modules], then the release it wrote. ERR_BUILD_FAILED
 * with the last lines kept in kb->tail. */
int kbuild_make(struct kbuild *kb, struct error *err);
/* A digest of modules.order and the time stamps of the modules it lists: equal means
 * make rebuilt no module since (modules_install can be skipped). */
int kbuild_modules_signature(struct kbuild *kb, char hex[65], struct error *err);
/* make modules_install INSTALL_MOD_PATH=STAGING (stripped). */
int kbuild_modules_install(struct kbuild *kb, const char *staging, struct error *err);
/* Writes kb->tail to stderr, oldest first. */
void kbuild_print_tail(const struct kbuild *kb, const char *log_path);

/* The most make -j wslctl runs (--jobs, the settings file, the distcc total): GNU make
 * hangs or fails with far more, and an int must hold it. */
#define KBUILD_JOBS_MAX 4096

/* Total -j for distcc HOSTS ("host[:port][/limit][,opts] ..."): LOCAL plus each host's
 * limit (4 by default, 2 for localhost) into *JOBS. A limit that is not a whole number
 * from 1 to KBUILD_JOBS_MAX, or a total above it, is ERR_USAGE naming the bound. */
int kbuild_distcc_jobs(const char *hosts, int local, int *jobs, struct error *err);

#endif
