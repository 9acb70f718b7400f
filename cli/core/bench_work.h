/* SPDX-License-Identifier: MIT */
/*
 * bench's workloads, each inside a folder descriptor it is given, each stopping at its
 * time budget (rates come from what completed) and between files when a signal is noted
 * (interrupt.h). Nothing is opened through a symbolic link: every name is opened with
 * O_NOFOLLOW relative to its folder's descriptor. The tree's mix of sizes and depths is
 * taken from Debian 12's /usr/include (docs/bench.md).
 */
#ifndef WSLCTL_BENCH_WORK_H
#define WSLCTL_BENCH_WORK_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#define BENCH_TREE "tree"    /* the unpacked tree, inside the bench folder */
#define BENCH_SEQ "seq.bin"  /* seq's file, inside the bench folder */

struct bench_sample {
	uint64_t count;   /* entries (files and folders), or bytes for seq */
	double seconds;
	bool cut;         /* stopped at the budget before the end */
};

/* Seconds on the monotonic clock. */
double bench_now(void);
/* Where file I of the tree goes: its branch and its depth below the top (1: in it). */
void bench_file_place(unsigned i, unsigned *branch, unsigned *depth);
/* The folders the first NFILES files of the tree need, the top included. */
unsigned bench_tree_folders(unsigned nfiles);
/* The bytes the tree of NFILES files holds (for the free-space check). */
uint64_t bench_tree_bytes(unsigned nfiles);

/* unpack: creates BENCH_TREE in DFD with NFILES files (and their folders), filled
 * branch by branch; counts the entries made (files and folders). */
int bench_unpack(int dfd, unsigned nfiles, double budget, struct bench_sample *s,
		 struct error *err);
/* status: readdir + lstat of everything in BENCH_TREE. */
int bench_status(int dfd, double budget, struct bench_sample *s, struct error *err);
/* read: open, read whole and close every file in BENCH_TREE. */
int bench_read(int dfd, double budget, struct bench_sample *s, struct error *err);
/* clean: removes BENCH_TREE; what the budget leaves is removed too, timed and counted
 * (cut says the budget was reached). */
int bench_clean(int dfd, double budget, struct bench_sample *s, struct error *err);
/* seq: BENCH_SEQ written (up to BYTES, 1 MiB at a time) and fsynced, its cache dropped
 * (posix_fadvise DONTNEED), read back, removed. Half the budget each way. */
int bench_seq(int dfd, uint64_t bytes, double budget, struct bench_sample *w,
	      struct bench_sample *r, struct error *err);

#endif
