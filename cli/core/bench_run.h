/* SPDX-License-Identifier: MIT */
/*
 * One bench run: the workloads of bench_work.h, repeated, on the target and on the
 * reference, each inside a wslctl-bench.XXXXXX folder it makes and always removes
 * (signals included: interrupt.h), after a free-space check that writes nothing.
 */
#ifndef WSLCTL_BENCH_RUN_H
#define WSLCTL_BENCH_RUN_H

#include <limits.h>
#include <stdbool.h>

#include <jansson.h>

#include "bench_work.h"
#include "error.h"
#include "fstype.h"
#include "poolsampler.h"

enum bench_wl { BW_UNPACK, BW_STATUS, BW_READ, BW_SEQ, BW_CLEAN, BW_COUNT };
#define BENCH_REPEATS 3
#define BENCH_FILES 2000u
#define BENCH_SEQ_BYTES (256ull << 20)
#define BENCH_SEQ_BYTES_QUICK (64ull << 20)
/* Seconds for one workload on one side, all repeats: 5 workloads x 2 sides x 4 s, also
 * the run's deadline (what overruns a budget takes from later workloads), keeps a
 * default run within 60 s, --quick (0.6 s) within 10 s, with room for what is untimed
 * (making and removing the folders, the record). */
#define BENCH_BUDGET 4.0
#define BENCH_BUDGET_QUICK 0.6

const char *bench_wl_name(enum bench_wl w);
const char *bench_wl_unit(enum bench_wl w);

struct bench_result {
	double rate[BENCH_REPEATS];  /* entries/s (files/s for read), or MiB/s for seq */
	double wrate[BENCH_REPEATS], rrate[BENCH_REPEATS]; /* seq: write, read MiB/s */
	uint64_t count;              /* all repeats: entries, or bytes for seq */
	double seconds;
	bool cut;
	struct pool_peak peak[SWIOTLBPOOL_MAX];
	int npools;
};

struct bench_side {
	const char *path;
	struct fstype fs;
	int parent;          /* PATH's descriptor */
	char name[32];       /* the wslctl-bench.XXXXXX folder in it, "" until made */
	int dfd;
	struct bench_result wl[BW_COUNT];
};

struct bench_run {
	const char *root;    /* where /proc, /sys are (--root) */
	bool quick;
	struct bench_side side[2];   /* target, reference */
	int repeats;
	double deadline;     /* bench_now() by which every workload's budget is spent */
	/* Called before each workload, for progress (may be NULL). */
	void (*progress)(void *ud, int side, enum bench_wl w, int repeat);
	void *ud;
};

/* Checks both folders and their free space (ERR_INVALID_FILE / ERR_INVALID_VALUE: exit
 * 3, nothing written), then runs. R->root, quick, side[].path and progress set by the
 * caller. Its folders are gone when it returns, whatever happened. */
int bench_run(struct bench_run *r, struct error *err);

/* The median of N rates, and the spread (max - min) / median in percent. */
double bench_median(const double *v, int n, double *spread_pct);

/* The run as the contract's JSON (bench_record.c): workloads, target, reference, ratios;
 * the machine's facts (kernel, WSL, pool) are the caller's. */
json_t *bench_run_json(const struct bench_run *r);

#endif
