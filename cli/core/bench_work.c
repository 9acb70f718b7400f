// SPDX-License-Identifier: MIT
/* bench's workloads (bench_work.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_work.h"
#include "fdio.h"
#include "fsutil.h"
#include "interrupt.h"

/* Debian 12's /usr/include (libc6-dev and friends): 7983 files in 833 folders. Files by
 * depth below the top (1..8, the 10 deep ones folded into 8), and the median size of
 * each tenth of the files by size. docs/bench.md says how they were measured. */
static const unsigned depth_weight[] = { 169, 1724, 1474, 1633, 606, 98, 341, 1939 };
#define DEPTHS (sizeof(depth_weight) / sizeof(depth_weight[0]))
#define DEPTH_TOTAL 7984u
static const unsigned decile_size[] = { 672, 1294, 1904, 2841, 3933,
					6092, 9435, 16066, 27133, 57530 };
/* 7983 / 833 = 9.6 files a folder: branches of DEPTHS-1 folders each. */
#define FILES_PER_BRANCH 67u
#define CHUNK (1u << 20)

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* File I's depth and size: spread by a multiplicative hash, so every prefix of the tree
 * (what a budget lets through) has about the same mix. */
static unsigned file_depth(unsigned i)
{
	unsigned x = (unsigned)((i * 2654435761u) % DEPTH_TOTAL), d = 0;

	while (d + 1 < DEPTHS && x >= depth_weight[d])
		x -= depth_weight[d++];
	return d + 1;
}

static unsigned file_size(unsigned i)
{
	return decile_size[(i * 40503u >> 4) % 10];
}

void bench_file_place(unsigned i, unsigned *branch, unsigned *depth)
{
	/* Branch by branch, so every prefix (what a budget lets through) makes about as
	 * many folders per file as the whole tree, wherever it is cut. */
	*branch = i / FILES_PER_BRANCH;
	*depth = file_depth(i);
}

unsigned bench_tree_folders(unsigned nfiles)
{
	unsigned n = 0, b0 = 0, made = 0;

	/* Branch b's folders are d2..dK for its deepest file (K > 1), plus the top. */
	for (unsigned i = 0; i < nfiles; i++) {
		unsigned b, d;

		bench_file_place(i, &b, &d);
		if (b != b0) {
			n += made;
			made = 0;
			b0 = b;
		}
		made = d - 1 > made ? d - 1 : made;
	}
	return n + made + 1;
}

uint64_t bench_tree_bytes(unsigned nfiles)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < nfiles; i++)
		sum += file_size(i) + 4096; /* a block of slack per file: folders, rounding */
	return sum;
}

static int fail(struct error *err, const char *what, const char *name)
{
	/* A call cut short by a signal (9p, FUSE) is the interrupt, not an I/O error. */
	if (errno == EINTR && interrupt_check(err) < 0)
		return -1;
	return error_set(err, ERR_IO, "bench: cannot %s %s: %s", what, name, strerror(errno));
}

struct tree {
	int top;      /* BENCH_TREE */
	int *fd;      /* [branch * DEPTHS + depth - 1], -1 until made */
	unsigned branches;
	uint64_t made; /* folders made (timed, so counted) */
};

/* The folder of depth D in branch B, made (and opened) on first use. */
static int tree_dir(struct tree *t, unsigned b, unsigned d, struct error *err)
{
	int *slot = &t->fd[b * DEPTHS + d - 1], parent;
	char name[32];

	if (d == 1)
		return t->top;
	if (*slot >= 0)
		return *slot;
	parent = tree_dir(t, b, d - 1, err);
	if (parent < 0)
		return -1;
	snprintf(name, sizeof(name), d == 2 ? "b%03u" : "d%u", d == 2 ? b : d);
	if (mkdirat(parent, name, 0755) < 0)
		return fail(err, "create folder", name);
	t->made++;
	*slot = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return *slot < 0 ? fail(err, "open folder", name) : *slot;
}

static char *pattern(void)
{
	static char buf[CHUNK];

	if (!buf[0])
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (char)('a' + (i * 7 + i / 61) % 26);
	return buf;
}

static int put_file(int dfd, unsigned i, struct error *err)
{
	char name[32];
	int fd;

	snprintf(name, sizeof(name), "f%05u.c", i);
	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(err, "create", name);
	if (write_all(fd, pattern(), file_size(i)) < 0) {
		close(fd);
		return fail(err, "write", name);
	}
	return close(fd) < 0 ? fail(err, "write", name) : 0;
}

int bench_unpack(int dfd, unsigned nfiles, double budget, struct bench_sample *s,
		 struct error *err)
{
	struct tree t = { .branches = nfiles / FILES_PER_BRANCH + 1 };
	unsigned b, depth;
	double start = bench_now();
	unsigned i;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	t.fd = malloc(t.branches * DEPTHS * sizeof(*t.fd));
	if (!t.fd)
		return error_set(err, ERR_IO, "out of memory");
	for (i = 0; i < t.branches * DEPTHS; i++)
		t.fd[i] = -1;
	if (mkdirat(dfd, BENCH_TREE, 0755) < 0 ||
	    (t.top = openat(dfd, BENCH_TREE, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		free(t.fd);
		return fail(err, "create", BENCH_TREE);
	}
	for (i = 0; i < nfiles && rc == 0; i++) {
		int d;

		if ((rc = interrupt_check(err)) < 0)
			break;
		if (bench_now() - start >= budget) {
			s->cut = true;
			break;
		}
		bench_file_place(i, &b, &depth);
		d = tree_dir(&t, b, depth, err);
		rc = d < 0 ? -1 : put_file(d, i, err);
		s->count += rc == 0;
	}
	s->seconds = bench_now() - start;
	s->count += t.made; /* entries, as status and clean count them */
	for (i = 0; i < t.branches * DEPTHS; i++)
		if (t.fd[i] >= 0)
			close(t.fd[i]);
	close(t.top);
	free(t.fd);
	return rc;
}

/* A walk of the tree: ON_ENTRY for each entry (after the folder's own entries for
 * clean, POST), stopping at the deadline. */
struct walk {
	double start, budget;
	int (*on_entry)(struct walk *w, int dfd, const char *name, bool dir);
	bool post;
	struct bench_sample *s;
	struct error *err;
};

static int walk_dir(struct walk *w, int dfd);

static int walk_entry(struct walk *w, int dfd, const struct dirent *d)
{
	bool dir = d->d_type == DT_DIR;
	int sub;

	if (d->d_type == DT_UNKNOWN) {
		struct stat st;

		if (fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return fail(w->err, "stat", d->d_name);
		dir = S_ISDIR(st.st_mode);
	}
	if (!w->post && w->on_entry(w, dfd, d->d_name, dir) < 0)
		return -1;
	if (dir) {
		sub = openat(dfd, d->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			return fail(w->err, "open folder", d->d_name);
		if (walk_dir(w, sub) < 0)
			return -1;
		if (w->s->cut)
			return 0;
	}
	return w->post ? w->on_entry(w, dfd, d->d_name, dir) : 0;
}

/* Walks the folder DFD (closing it). */
static int walk_dir(struct walk *w, int dfd)
{
	DIR *dir = fdopendir(dfd);
	struct dirent *d;
	int rc = 0;

	if (!dir) {
		close(dfd);
		return fail(w->err, "read folder", BENCH_TREE);
	}
	while (rc == 0 && !w->s->cut && (d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if ((rc = interrupt_check(w->err)) < 0)
			break;
		if (bench_now() - w->start >= w->budget) {
			w->s->cut = true;
			break;
		}
		rc = walk_entry(w, dfd, d);
	}
	closedir(dir);
	return rc;
}

static int walk_tree(int dfd, struct walk *w)
{
	int top;
	int rc;

	memset(w->s, 0, sizeof(*w->s));
	w->start = bench_now();
	top = openat(dfd, BENCH_TREE, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (top < 0)
		return fail(w->err, "open", BENCH_TREE);
	rc = walk_dir(w, top);
	w->s->seconds = bench_now() - w->start;
	return rc;
}

static int on_status(struct walk *w, int dfd, const char *name, bool dir)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(w->err, "stat", name);
	w->s->count++;
	return 0;
}

int bench_status(int dfd, double budget, struct bench_sample *s, struct error *err)
{
	struct walk w = { .budget = budget, .on_entry = on_status, .s = s, .err = err };

	return walk_tree(dfd, &w);
}

static int on_read(struct walk *w, int dfd, const char *name, bool dir)
{
	static char buf[1 << 16];
	ssize_t got;
	int fd;

	if (dir)
		return 0;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail(w->err, "open", name);
	while ((got = read(fd, buf, sizeof(buf))) > 0 || (got < 0 && errno == EINTR))
		;
	close(fd);
	if (got < 0)
		return fail(w->err, "read", name);
	w->s->count++;
	return 0;
}

int bench_read(int dfd, double budget, struct bench_sample *s, struct error *err)
{
	struct walk w = { .budget = budget, .on_entry = on_read, .s = s, .err = err };

	return walk_tree(dfd, &w);
}

static int on_clean(struct walk *w, int dfd, const char *name, bool dir)
{
	if (unlinkat(dfd, name, dir ? AT_REMOVEDIR : 0) < 0)
		return fail(w->err, "remove", name);
	w->s->count++;
	return 0;
}

int bench_clean(int dfd, double budget, struct bench_sample *s, struct error *err)
{
	struct walk w = { .budget = budget, .on_entry = on_clean, .post = true, .s = s,
			  .err = err };
	int rc = walk_tree(dfd, &w);
	bool cut = s->cut;
	int top;

	if (rc < 0 || !cut)
		return rc < 0 || unlinkat(dfd, BENCH_TREE, AT_REMOVEDIR) == 0 ? rc :
			fail(err, "remove", BENCH_TREE);
	/* What the budget left goes too (the next repeat unpacks afresh), timed and counted
	 * like the rest: its time is the run's, and the run has a deadline (bench_run). */
	w.budget = 1e9;
	s->cut = false;
	top = openat(dfd, BENCH_TREE, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (top < 0)
		return fail(err, "open", BENCH_TREE);
	if (walk_dir(&w, top) < 0)
		return -1;
	if (unlinkat(dfd, BENCH_TREE, AT_REMOVEDIR) < 0)
		return fail(err, "remove", BENCH_TREE);
	s->seconds = bench_now() - w.start;
	s->cut = cut;
	return 0;
}

/* Dirty data let to pile up between flushes: the final fsync then costs at most one
 * such flush, so the write stays within its budget even where fsync is slow. */
#define FLUSH_EVERY (8u << 20)

/* Writes up to BYTES into FD until the deadline, flushing every FLUSH_EVERY and at the
 * end (all counted: the data must have reached the file system), then drops the file's
 * cache. It stops early enough for the last flush, as long as the slowest so far. */
static int seq_write(int fd, uint64_t bytes, double budget, struct bench_sample *w,
		     struct error *err)
{
	double start = bench_now(), flush = 0;

	while (w->count < bytes) {
		if (interrupt_check(err) < 0)
			return -1;
		if (bench_now() - start + flush >= budget) {
			w->cut = true;
			break;
		}
		if (write_all(fd, pattern(), CHUNK) < 0)
			return fail(err, "write", BENCH_SEQ);
		w->count += CHUNK;
		if (w->count % FLUSH_EVERY == 0 && w->count < bytes) {
			double t = bench_now();

			if (fdatasync(fd) < 0 && errno != EINVAL)
				return fail(err, "fsync", BENCH_SEQ);
			flush = bench_now() - t > flush ? bench_now() - t : flush;
		}
	}
	if (fsync(fd) < 0 && errno != EINVAL)
		return fail(err, "fsync", BENCH_SEQ);
	w->seconds = bench_now() - start;
	/* Clean pages only can be dropped: after the fsync they all are. */
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	return 0;
}

static int seq_read(int fd, double budget, struct bench_sample *r, struct error *err)
{
	static char buf[CHUNK];
	double start = bench_now();
	ssize_t got;

	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		if (interrupt_check(err) < 0)
			return -1;
		if (bench_now() - start >= budget) {
			r->cut = true;
			break;
		}
		got = read(fd, buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return fail(err, "read", BENCH_SEQ);
		if (got == 0)
			break;
		r->count += (uint64_t)got;
	}
	r->seconds = bench_now() - start;
	return 0;
}

int bench_seq(int dfd, uint64_t bytes, double budget, struct bench_sample *w,
	      struct bench_sample *r, struct error *err)
{
	int fd, rc;

	memset(w, 0, sizeof(*w));
	memset(r, 0, sizeof(*r));
	fd = openat(dfd, BENCH_SEQ, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(err, "create", BENCH_SEQ);
	rc = seq_write(fd, bytes, budget / 2, w, err);
	close(fd);
	if (rc == 0) {
		fd = openat(dfd, BENCH_SEQ, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		rc = fd < 0 ? fail(err, "open", BENCH_SEQ) : seq_read(fd, budget / 2, r, err);
		if (fd >= 0)
			close(fd);
	}
	if (unlinkat(dfd, BENCH_SEQ, 0) < 0 && rc == 0)
		return fail(err, "remove", BENCH_SEQ);
	return rc;
}
