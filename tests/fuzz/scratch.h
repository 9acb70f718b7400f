/* SPDX-License-Identifier: MIT */
/*
 * A scratch folder for a fuzz target's files, one per process (in /dev/shm when
 * writable, else /tmp), removed when the process exits normally (libFuzzer's -runs and
 * -max_total_time end with exit()); a crash leaves it for the artifact's reader.
 */
#ifndef WSLCTL_FUZZ_SCRATCH_H
#define WSLCTL_FUZZ_SCRATCH_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_scratch_dir[96];

static int fuzz_scratch_rm(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static void fuzz_scratch_remove(void)
{
	nftw(fuzz_scratch_dir, fuzz_scratch_rm, 8, FTW_DEPTH | FTW_PHYS);
}

/* The folder (made on the first call), named for NAME and this process. */
static const char *fuzz_scratch(const char *name)
{
	if (!fuzz_scratch_dir[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

		snprintf(fuzz_scratch_dir, sizeof(fuzz_scratch_dir), "%s/fuzz-%s.%d", base, name,
			 (int)getpid());
		if (mkdir(fuzz_scratch_dir, 0700) < 0)
			abort();
		atexit(fuzz_scratch_remove);
	}
	return fuzz_scratch_dir;
}

#endif
