/* SPDX-License-Identifier: MIT */
/*
 * Safe extraction with libarchive (zip, tar, tar.gz/bz2/xz/zst: the format is detected).
 * Every entry is checked before a byte of it is written: absolute paths, ".." components,
 * symlinks, hardlinks, devices, fifos and sockets, sparse entries, entries declared over
 * the size limit, archives over the entry limit or declaring more than the total limit,
 * a reserved top-level name, and, while the data is written, data beyond the declared
 * size, the total limit or the expansion ratio are refused with ERR_UNSAFE_ARCHIVE naming
 * the archive and the entry. On any error, what this call wrote is removed again
 * (unpack_all empties the staging folder; unpack_members deletes its .part files).
 *
 * The archive is read once, front to back, through one descriptor, and every byte handed
 * to libarchive is hashed on the way (opts.want, opts.digest): what was extracted is kept
 * only when the bytes it came from have the digest wanted, so a file changed on disk
 * after it was verified (another process on /mnt/c) is never installed. The archive's
 * own checks (zip CRC-32) stay on. Zip is read as a stream (local headers); its central
 * directory, kept from the last bytes read, is checked for links.
 * Links libarchive: only wslctl-net may reach this module.
 */
#ifndef WSLCTL_UNPACK_H
#define WSLCTL_UNPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "error.h"

#define UNPACK_MAX_ENTRIES 10000u
#define UNPACK_MAX_ENTRY_SIZE (4ull << 30)
/* Declared sizes, and bytes written, of one archive in all. */
#define UNPACK_MAX_TOTAL (8ull << 30)
/* Past UNPACK_RATIO_FLOOR bytes written, at most UNPACK_MAX_RATIO bytes written for each
 * byte of the archive read so far (a zip bomb is refused early; real packages of
 * compressed kernels and modules images stay far below). */
#define UNPACK_MAX_RATIO 100u
#define UNPACK_RATIO_FLOOR (64ull << 20)

struct unpack_opts {
	unsigned max_entries;     /* 0 = UNPACK_MAX_ENTRIES */
	uint64_t max_entry_size;  /* 0 = UNPACK_MAX_ENTRY_SIZE */
	/* Member names are OPC part names (NuGet .nupkg): "%2B" -> "+" before matching and
	 * checking. Zip names with "\" separators are always read as "/". */
	bool percent_decode;
	/* Source trees (kernel tarballs carry symlinks and hardlinks): allow links whose
	 * target stays inside the staging folder. Off for packages. */
	bool allow_internal_links;
	/* Drop this many leading path components ("linux-6.6/Makefile" -> "Makefile"),
	 * as tar --strip-components does; entries with fewer components are skipped. */
	unsigned strip_components;
	uint64_t max_total;       /* 0 = UNPACK_MAX_TOTAL */
	/* A top-level name (after stripping) the archive may not hold: the caller's own
	 * marker beside the tree. NULL: none. */
	const char *reserved;
	/* The bytes read must have this digest (NULL or DIGEST_NONE: any); otherwise
	 * ERR_DIGEST_MISMATCH and nothing extracted is kept. */
	const struct digest_want *want;
	unsigned algs;                 /* DIGEST_F_* of the archive's bytes to report */
	struct digest_result *digest;  /* where to report them (NULL: nowhere) */
	/* unpack_all: the caller judged every header with unpack_list and these options
	 * just before; skip that first pass (the one that writes is checked all the same). */
	bool checked;
};

/* Calls cb for each entry (after the same safety checks); cb returns 0 or -1 to stop.
 * The digest is checked and reported only when the whole archive was read. */
int unpack_list(const char *archive, const struct unpack_opts *o,
		int (*cb)(const char *name, uint64_t size, void *arg), void *arg,
		struct error *e);

/*
 * Extracts every entry into `staging` (an existing, empty folder the caller owns).
 * Two passes: all headers are judged before the first byte is written (compressed
 * tarballs are decompressed twice; zip headers come from the central directory).
 * Regular files are written with mode 0644/0755 (no setuid, no owners), folders 0755.
 */
int unpack_all(const char *archive, const char *staging, const struct unpack_opts *o,
	       struct error *e);

/* One member to pull out of a package into its own file. */
struct unpack_member {
	const char *name;      /* path inside the archive, e.g. "build/native/bin/x64/kernel" */
	const char *dest;      /* file to create (written to DEST.part, fsynced, renamed) */
	bool optional;         /* missing is fine (found stays false) */
	unsigned algs;         /* DIGEST_F_* to compute over the member's bytes (0: none) */
	/* filled in: */
	bool found;
	uint64_t size;
	struct digest_result digest;
};

/*
 * Streams the named members to their destination files in one pass over the archive,
 * checking every entry of the archive (not only the wanted ones). The destination files
 * appear (rename) only when the whole archive passed; a missing non-optional member is
 * ERR_NOT_FOUND naming it. Mode 0644.
 */
int unpack_members(const char *archive, struct unpack_member *m, size_t n,
		   const struct unpack_opts *o, struct error *e);

/*
 * A file that is not an archive (a bare kernel image) copied to DEST (through DEST.part,
 * fsynced, renamed; mode 0644) in one pass that hashes it: o->want, o->digest,
 * o->max_entry_size apply; the rest of O is ignored.
 */
int unpack_copy(const char *file, const char *dest, const struct unpack_opts *o,
		struct error *e);

#endif
