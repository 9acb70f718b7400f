/* SPDX-License-Identifier: MIT */
/*
 * The SWIOTLB pools debugfs shows, found by pattern: the dedicated hv_pci pool folders
 * (hv-pci-swiotlb, or patch 0005's per-bus hv-pci-swiotlb-%04x) at the debugfs root or
 * under swiotlb/, and the default pool (swiotlb/io_tlb_*). check's swiotlb.usage and
 * bench's sampler use this one matcher.
 */
#ifndef WSLCTL_SWIOTLBPOOL_H
#define WSLCTL_SWIOTLBPOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "sysprobe.h"

#define SWIOTLBPOOL_PATTERN "hv-pci-swiotlb*"
#define SWIOTLBPOOL_DEFAULT "swiotlb"
#define SWIOTLBPOOL_MAX 16

struct swiotlbpool {
	char dir[128];  /* under debugfs: "hv-pci-swiotlb", "swiotlb/hv-pci-swiotlb-0001",
			   or "swiotlb" for the default pool */
	bool dedicated;
};

/* The pool folders under ROOT/sys/kernel/debug, dedicated ones first (name order), then
 * the default pool when WITH_DEFAULT and it is there. Returns the count (at most MAX). */
int swiotlbpool_find(const char *root, bool with_default, struct swiotlbpool *out, int max);

/* One pool's counters (sysprobe_swiotlb_usage of its folder): 1, or -1 unreadable. */
int swiotlbpool_read(const char *root, const struct swiotlbpool *p, struct swiotlb_usage *u);
/* Only io_tlb_used, for sampling: 0 with *USED, -1 unreadable. */
int swiotlbpool_used(const char *root, const struct swiotlbpool *p, uint64_t *used);

#endif
