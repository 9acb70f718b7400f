/* SPDX-License-Identifier: MIT */
/*
 * Where `build` gets its kernel source: a folder (used in place), a tarball (unpacked
 * safely with libarchive into the work folder, once per content), a URL or a Microsoft
 * tag (downloaded into the store's cache with the update machinery, then unpacked).
 * wslctl-net only (http.h, unpack.h).
 */
#ifndef WSLCTL_KSOURCE_H
#define WSLCTL_KSOURCE_H

#include <stdbool.h>

#include "digest.h"
#include "error.h"

#define KSOURCE_ARCHIVE_BASE "https://github.com/microsoft/WSL2-Linux-Kernel/archive/refs/tags"

struct ksource_opts {
	const char *spec;          /* --source: DIR, TARBALL, URL or TAG */
	const char *work_dir;      /* unpacked trees go to WORK/src/<sha256 prefix> */
	const char *cache_dir;     /* downloads (the store's cache/) */
	const char *archive_base;  /* where TAG.tar.gz lives (KSOURCE_ARCHIVE_BASE) */
	const struct digest_want *want; /* --sha256 of the tarball, or NULL */
	const char *cacert;
	bool progress;
	/* Says "downloading URL", "unpacking FILE" (the caller's output, so -q hides it). */
	void (*note)(const char *msg, void *arg);
	void *note_arg;
};

struct ksource {
	char tree[4096];      /* absolute source tree */
	char origin[4096];    /* what the user named (the URL for a tag) */
	char sha256[65];      /* of the tarball, "" for a folder */
	bool unpacked;        /* this run unpacked it (false: folder, or reused) */
};

/* True for a spec that names a Microsoft kernel tag (linux-msft-wsl-6.18.35.2). */
bool ksource_is_tag(const char *spec);

int ksource_resolve(const struct ksource_opts *o, struct ksource *src, struct error *err);

#endif
