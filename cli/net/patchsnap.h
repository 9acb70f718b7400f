/* SPDX-License-Identifier: MIT */
/*
 * Undo for one run of GNU patch. Before it writes, the files its dry run named ("checking
 * file F", "checking symbolic link F", "(renamed from G)") are saved: their bytes, mode
 * and times, a link's target, or that they did not exist (and which folders above them
 * did not). When the real run then fails half-way or is interrupted, everything it may
 * have changed is put back, so a multi-file patch never stays half applied.
 */
#ifndef WSLCTL_PATCHSNAP_H
#define WSLCTL_PATCHSNAP_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct patchsnap_entry;

struct patchsnap {
	char tree[4096];
	char dir[4200];            /* the saved copies: a private folder, "" when none */
	struct patchsnap_entry *e;
	size_t n;
};

/* True when P (a path inside a tree) is absolute or has a ".." component. */
bool tree_path_escapes(const char *p);

/*
 * Saves what DRY_OUTPUT (patch --dry-run's words, LC_ALL=C, literal quoting) names under
 * TREE, into a new folder under PARENT (NULL: $TMPDIR or /tmp). ERR_PATCH_CONFLICT when a
 * name leaves the tree, ERR_IO when something cannot be saved (nothing is then kept).
 */
int patchsnap_take(struct patchsnap *s, const char *tree, const char *parent,
		   const char *dry_output, struct error *err);
/* Puts every saved path back as it was; goes on past errors, the first one reported. */
int patchsnap_restore(struct patchsnap *s, struct error *err);
/* Removes the saved copies and frees S. */
void patchsnap_free(struct patchsnap *s);

#endif
