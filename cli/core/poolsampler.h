/* SPDX-License-Identifier: MIT */
/*
 * Watches SWIOTLB pools during a workload: a thread reads each pool's io_tlb_used every
 * POOLSAMPLER_MS and keeps the largest; at the end io_tlb_used_hiwater is read (never
 * written: resetting it would take the number from check and from the user).
 */
#ifndef WSLCTL_POOLSAMPLER_H
#define WSLCTL_POOLSAMPLER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "swiotlbpool.h"

#define POOLSAMPLER_MS 20

struct pool_peak {
	struct swiotlbpool pool;
	uint64_t nslabs;   /* the pool's size in 2 KiB slots */
	uint64_t peak;     /* the most io_tlb_used seen */
	uint64_t hiwater;  /* io_tlb_used_hiwater at the end (since boot) */
	bool has_hiwater;
	unsigned samples;
};

struct poolsampler {
	const char *root;
	struct pool_peak p[SWIOTLBPOOL_MAX];
	int n;
	pthread_t thread;
	bool running;
	volatile int stop;
};

/* Finds the pools (dedicated and default) and starts sampling; with no pool readable,
 * S->n is 0 and no thread runs. Signals stay with the main thread. */
void poolsampler_start(struct poolsampler *s, const char *root);
/* Stops the thread and reads the high-water marks. */
void poolsampler_stop(struct poolsampler *s);

#endif
