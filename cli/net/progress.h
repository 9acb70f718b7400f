/* SPDX-License-Identifier: MIT */
/*
 * A one-line progress bar on stderr: percentage, rate and ETA when the total is known,
 * bytes and rate otherwise. Redrawn at most ~10 times a second. Plain C, no libraries.
 */
#ifndef WSLCTL_PROGRESS_H
#define WSLCTL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
	bool enabled;        /* false: every call does nothing */
	char label[48];
	uint64_t total;      /* 0 = unknown */
	uint64_t done;
	uint64_t base;       /* bytes already there when timing began (resume) */
	double start;        /* monotonic seconds */
	double last_draw;
	bool drawn;
};

void progress_begin(struct progress *p, bool enabled, const char *label, uint64_t total);
/* Sets the byte count already present (a resumed download), not counted in the rate. */
void progress_base(struct progress *p, uint64_t base);
void progress_update(struct progress *p, uint64_t done, uint64_t total);
/* Draws the final state and ends the line (nothing if never drawn). */
void progress_end(struct progress *p);

#endif
