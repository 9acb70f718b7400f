/* SPDX-License-Identifier: MIT */
/*
 * bench's records: one JSON file per run in HOME/bench/ (HOME as homedir_resolve finds
 * it: beside the kernel store), named by the run's UTC time, so a before/after can be
 * shown later (--history, --compare).
 */
#ifndef WSLCTL_BENCH_RECORD_H
#define WSLCTL_BENCH_RECORD_H

#include <stddef.h>

#include <jansson.h>

#include "error.h"

#define BENCH_RECORD_DIR "bench"

/* Writes RUN (which must have "time") as HOME/bench/<time>-<pid>.json (the folder made
 * as needed); PATH gets the file. ERR_IO when it cannot. */
int bench_record_save(const char *home, json_t *run, char *path, size_t n,
		      struct error *err);
/* Every record in HOME/bench/, oldest first (an array; files that are not records are
 * skipped); NULL with ERR_INVALID_FILE when the folder cannot be read. None is []. */
json_t *bench_record_load(const char *home, struct error *err);
/* The latest record for each distinct (target transport, kernel), oldest first. */
json_t *bench_record_latest(json_t *records);

#endif
