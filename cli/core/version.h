/* SPDX-License-Identifier: MIT */
/*
 * Version strings and their order: NuGet (SemVer 2 with up to four numeric parts and a
 * label: 6.18.26.3-1) for kernels, and WSL release names read as numbers (2.7.11 > 2.7.9).
 */
#ifndef WSLCTL_VERSION_H
#define WSLCTL_VERSION_H

#include <stdbool.h>
#include <stddef.h>

#define VERSION_PARTS 4        /* in a NuGet version */
#define VERSION_ORDER_PARTS 8  /* in any name the order places (version_cmp) */

struct version {
	unsigned long part[VERSION_PARTS]; /* missing parts are 0 */
	int nparts;
	const char *label;  /* pre-release label after '-', not NUL-terminated */
	size_t label_len;   /* 0 when there is none (a release) */
};

/* Parses a NuGet version (N.N[.N[.N]][-label][+metadata]); -1 when it is not one. */
int version_parse(const char *s, struct version *v);
/*
 * NuGet order: numeric parts, then a release above any pre-release, then the label's
 * dot-separated identifiers (numbers numerically and below text, text
 * case-insensitively). Metadata is ignored. A name that is not a NuGet version but
 * starts with dotted numbers (up to VERSION_ORDER_PARTS: 6.20.0_mine, 6.18.35.2.1) is
 * placed by those numbers, the rest of it taken as a pre-release label ("_mine", its
 * first character kept). Other strings (no leading number) sort below every version and
 * among themselves by strcmp: version_orderable says they have no real place.
 */
int version_cmp(const char *a, const char *b);
/* False for a name version_cmp cannot place: no leading number, more than
 * VERSION_ORDER_PARTS numbers, a number too large. Nothing can be older or newer. */
bool version_orderable(const char *s);
/* Only the numeric parts (for comparing with a running kernel's 6.6.87.2-microsoft-...). */
int version_cmp_numeric(const char *a, const char *b);
/*
 * The first dotted number in TEXT ("WSL 2.7.11 Pre-release" -> "2.7.11"), as wsl.exe
 * reads a release name. False when TEXT has no digit.
 */
bool version_from_text(const char *text, char *buf, size_t n);
/* Release-name order: the dotted numbers of each, part by part (2.7.11 > 2.7.9). */
int version_cmp_release(const char *a, const char *b);

#endif
