// SPDX-License-Identifier: MIT
/* One bench run (bench_run.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "bench_run.h"
#include "fsutil.h"
#include "interrupt.h"

#define MIB (1024.0 * 1024.0)

static const char *const names[BW_COUNT] = { "unpack", "status", "read", "seq", "clean" };

const char *bench_wl_name(enum bench_wl w)
{
	return names[w];
}

const char *bench_wl_unit(enum bench_wl w)
{
	/* unpack, status and clean time their folders too: entries; read opens files. */
	return w == BW_SEQ ? "MiB/s" : w == BW_READ ? "files/s" : "entries/s";
}

static uint64_t seq_bytes(const struct bench_run *r)
{
	return r->quick ? BENCH_SEQ_BYTES_QUICK : BENCH_SEQ_BYTES;
}

/* The folder is there, and has room for the tree and seq's file (and a tenth more). */
static int check_side(const struct bench_run *r, const struct bench_side *s,
		      struct error *err)
{
	uint64_t need = (bench_tree_bytes(BENCH_FILES) + seq_bytes(r)) / 10 * 11, have;
	/* The files, their folders, seq's file and the bench folder. */
	uint64_t inodes = BENCH_FILES + bench_tree_folders(BENCH_FILES) + 2;
	struct statvfs vfs;
	struct stat st;

	if (stat(s->path, &st) < 0)
		return error_set(err, ERR_INVALID_FILE, "cannot use %s: %s", s->path,
				 strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error_set(err, ERR_INVALID_FILE, "%s is %s, not a folder", s->path,
				 file_kind(st.st_mode) ? file_kind(st.st_mode) : "a regular file");
	if (statvfs(s->path, &vfs) < 0)
		return error_set(err, ERR_INVALID_FILE, "cannot use %s: %s", s->path,
				 strerror(errno));
	have = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if (have < need)
		return error_set(err, ERR_INVALID_VALUE,
				 "not enough free space in %s: %" PRIu64 " MiB free, bench needs %"
				 PRIu64 " MiB (nothing was written; free some, or choose another "
				 "folder)", s->path, have >> 20, (need >> 20) + 1);
	/* f_files 0: a file system without a fixed number of inodes (btrfs, 9p, ...). */
	if (vfs.f_files > 0 && vfs.f_favail < inodes)
		return error_set(err, ERR_INVALID_VALUE,
				 "not enough free inodes in %s: %llu free, bench needs %" PRIu64
				 " (nothing was written; choose another folder)", s->path,
				 (unsigned long long)vfs.f_favail, inodes);
	return 0;
}

/* Makes wslctl-bench.XXXXXX inside the folder's own descriptor (a path string could
 * be swapped for a link between the two steps). */
static int make_dir(struct bench_side *s, struct error *err)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[6];

	s->parent = open(s->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->parent < 0)
		return error_set(err, ERR_IO, "cannot open %s: %s", s->path, strerror(errno));
	for (int tries = 0; tries < 100; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return error_set(err, ERR_IO, "cannot get random bytes: %s",
					 strerror(errno));
		snprintf(s->name, sizeof(s->name), "wslctl-bench.%c%c%c%c%c%c",
			 set[rnd[0] % 62], set[rnd[1] % 62], set[rnd[2] % 62], set[rnd[3] % 62],
			 set[rnd[4] % 62], set[rnd[5] % 62]);
		if (mkdirat(s->parent, s->name, 0700) == 0)
			break;
		s->name[0] = '\0';
		if (errno == EINTR && interrupt_check(err) < 0)
			return -1;
		if (errno != EEXIST)
			return error_set(err, ERR_IO, "cannot create a folder in %s: %s", s->path,
					 strerror(errno));
	}
	if (!s->name[0])
		return error_set(err, ERR_IO, "cannot create a folder in %s", s->path);
	s->dfd = openat(s->parent, s->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->dfd < 0)
		return error_set(err, ERR_IO, "cannot open %s/%s: %s", s->path, s->name,
				 strerror(errno));
	return 0;
}

/* Removes what make_dir made; runs to its end whatever signal comes (held off, and let
 * in by the caller afterwards). */
static int remove_dirs(struct bench_run *r, struct error *err)
{
	int rc = 0;

	interrupt_defer();
	for (int i = 0; i < 2; i++) {
		struct bench_side *s = &r->side[i];

		if (s->dfd >= 0)
			close(s->dfd);
		s->dfd = -1;
		if (s->name[0] && rm_rf_at(s->parent, s->name) < 0 && rc == 0 && err)
			rc = error_set(err, ERR_IO, "cannot remove %s/%s: %s", s->path, s->name,
				       strerror(errno));
		s->name[0] = '\0';
		if (s->parent >= 0)
			close(s->parent);
		s->parent = -1;
	}
	return rc;
}

static double per_s(uint64_t n, double s)
{
	return s > 0 ? (double)n / s : 0;
}

static void add_peaks(struct bench_result *res, const struct poolsampler *ps)
{
	res->npools = ps->n;
	for (int i = 0; i < ps->n; i++) {
		struct pool_peak *p = &res->peak[i];
		uint64_t keep = p->peak;

		*p = ps->p[i];
		if (keep > p->peak)
			p->peak = keep;
	}
}

/* One workload, one side, one repeat. */
static int run_one(struct bench_run *r, struct bench_side *s, enum bench_wl w, int k,
		   struct error *err)
{
	double budget = (r->quick ? BENCH_BUDGET_QUICK : BENCH_BUDGET) / r->repeats;
	double left = r->deadline - bench_now();
	struct bench_result *res = &s->wl[w];
	struct bench_sample a, b = { 0 };
	struct poolsampler ps;
	int rc;

	budget = left < budget ? (left > 0 ? left : 0) : budget;
	poolsampler_start(&ps, r->root);
	switch (w) {
	case BW_UNPACK: rc = bench_unpack(s->dfd, BENCH_FILES, budget, &a, err); break;
	case BW_STATUS: rc = bench_status(s->dfd, budget, &a, err); break;
	case BW_READ: rc = bench_read(s->dfd, budget, &a, err); break;
	case BW_SEQ: rc = bench_seq(s->dfd, seq_bytes(r), budget, &a, &b, err); break;
	default: rc = bench_clean(s->dfd, budget, &a, err); break;
	}
	poolsampler_stop(&ps);
	add_peaks(res, &ps);
	if (rc < 0)
		return -1;
	res->count += a.count + b.count;
	res->seconds += a.seconds + b.seconds;
	res->cut |= a.cut || b.cut;
	if (w == BW_SEQ) {
		res->wrate[k] = per_s(a.count, a.seconds) / MIB;
		res->rrate[k] = per_s(b.count, b.seconds) / MIB;
		res->rate[k] = per_s(a.count + b.count, a.seconds + b.seconds) / MIB;
	} else {
		res->rate[k] = per_s(a.count, a.seconds);
	}
	return 0;
}

static int run_all(struct bench_run *r, struct error *err)
{
	/* Every workload's budget on both sides: what clean leaves and seq's last flush run
	 * past a budget, and the later workloads then get less, so the run keeps to it. */
	r->deadline = bench_now() + (r->quick ? BENCH_BUDGET_QUICK : BENCH_BUDGET) * BW_COUNT * 2;
	for (int k = 0; k < r->repeats; k++)
		for (int i = 0; i < 2; i++)
			for (int w = 0; w < BW_COUNT; w++) {
				if (r->progress)
					r->progress(r->ud, i, (enum bench_wl)w, k);
				if (run_one(r, &r->side[i], (enum bench_wl)w, k, err) < 0)
					return -1;
			}
	return 0;
}

int bench_run(struct bench_run *r, struct error *err)
{
	int rc = 0;

	r->repeats = BENCH_REPEATS;
	for (int i = 0; i < 2; i++) {
		struct bench_side *s = &r->side[i];

		s->parent = s->dfd = -1;
		s->name[0] = '\0';
		memset(s->wl, 0, sizeof(s->wl));
		if (check_side(r, s, err) < 0)
			return -1;
		fstype_of_path(r->root, s->path, &s->fs);
	}
	interrupt_catch();
	for (int i = 0; i < 2 && rc == 0; i++)
		rc = make_dir(&r->side[i], err);
	if (rc == 0)
		rc = run_all(r, err);
	/* An error already said stays the one reported. */
	if (remove_dirs(r, rc < 0 ? NULL : err) < 0)
		rc = -1;
	/* A signal held off while the folders went is told now (exit 128+N). */
	interrupt_resume();
	return rc < 0 ? rc : interrupt_check(err);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_median(const double *v, int n, double *spread_pct)
{
	double s[BENCH_REPEATS * 4], med;

	if (n <= 0 || n > (int)(sizeof(s) / sizeof(s[0]))) {
		*spread_pct = 0;
		return 0;
	}
	memcpy(s, v, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	*spread_pct = med > 0 ? (s[n - 1] - s[0]) / med * 100 : 0;
	return med;
}
