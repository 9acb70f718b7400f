/* SPDX-License-Identifier: MIT */
/*
 * A kernel package into the store: a NuGet/zip/tar package holding
 * build/native/bin/<arch>/kernel (and modules.vhd beside it), or a bare kernel image.
 * wslctl-net only (unpack.h).
 */
#ifndef WSLCTL_KPKG_H
#define WSLCTL_KPKG_H

#include <stdbool.h>

#include "error.h"
#include "store.h"

/*
 * Extracts the kernel (and modules.vhd when present) of the package FILE into a staging
 * folder and commits it to the store as M->version (M's other fields describe the
 * package). NAME is the package's file name, which tells an archive from a bare image.
 * Unsafe archives are ERR_UNSAFE_ARCHIVE; a package without a kernel for ARCH is
 * ERR_NOT_FOUND. Nothing is left in the store on error. Errors go to the store's (S->err).
 *
 * Only bytes that were verified are installed: FILE is read once, and what was extracted
 * from it is kept only when the bytes read have the digest M records (M->sha512, else
 * M->sha256: the one published, which this pass is the one to check; update does not
 * hash the download too); ERR_DIGEST_MISMATCH otherwise (not the file published, or
 * changed on disk). With neither recorded, M->sha256 is filled in from the same pass.
 */
int kpkg_install(struct store *s, const char *file, const char *name, const char *arch,
		 struct store_manifest *m);

#endif
