// SPDX-License-Identifier: MIT
/* bench's core: the pool matcher on fixture debugfs trees (one pool, per-bus pools) and
 * check's swiotlb.usage through it, transports from fixture mountinfo lines, the
 * workloads in a scratch folder, the record round trip, the chart's bars. Run from the
 * top of the tree (make unit does). */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bench_chart.h"
#include "bench_record.h"
#include "bench_run.h"
#include "bench_work.h"
#include "checks.h"
#include "poolsampler.h"
#include "fstype.h"
#include "interrupt.h"
#include "swiotlbpool.h"
#include "testutil.h"

#define DBG "sys/kernel/debug"

/* Writes ROOT/REL (making folders). */
static void put(const char *root, const char *rel, const char *text)
{
	assert_int_equal(put_under(root, rel, text), 0);
}

/* A pool folder REL under ROOT's debugfs with its three counters. */
static void pool(const char *root, const char *rel, const char *nslabs, const char *used,
		 const char *hiwater)
{
	char p[512];

	snprintf(p, sizeof(p), DBG "/%s/io_tlb_nslabs", rel);
	put(root, p, nslabs);
	snprintf(p, sizeof(p), DBG "/%s/io_tlb_used", rel);
	put(root, p, used);
	snprintf(p, sizeof(p), DBG "/%s/io_tlb_used_hiwater", rel);
	put(root, p, hiwater);
}

static void test_pool_matcher(void **state)
{
	struct swiotlbpool p[SWIOTLBPOOL_MAX];
	char one[256], bus[256];
	uint64_t used;

	(void)state;
	/* One pool at the debugfs root, the default pool beside it. */
	snprintf(one, sizeof(one), "%s/one", scratch_dir);
	assert_int_equal(mkdir(one, 0755), 0);
	pool(one, "hv-pci-swiotlb", "32768", "5", "9");
	pool(one, "swiotlb", "32768", "118", "2204");
	put(one, DBG "/hv-pci-swiotlb-notes.txt", "not a folder");
	assert_int_equal(swiotlbpool_find(one, false, p, SWIOTLBPOOL_MAX), 1);
	assert_string_equal(p[0].dir, "hv-pci-swiotlb");
	assert_true(p[0].dedicated);
	assert_int_equal(swiotlbpool_find(one, true, p, SWIOTLBPOOL_MAX), 2);
	assert_string_equal(p[1].dir, "swiotlb");
	assert_false(p[1].dedicated);
	assert_int_equal(swiotlbpool_used(one, &p[1], &used), 0);
	assert_int_equal(used, 118);

	/* Patch 0005's per-bus pools under swiotlb/: every one, in name order. */
	snprintf(bus, sizeof(bus), "%s/bus", scratch_dir);
	assert_int_equal(mkdir(bus, 0755), 0);
	put(bus, DBG "/.keep", "");
	pool(bus, "swiotlb/hv-pci-swiotlb-0002", "16384", "10", "20");
	pool(bus, "swiotlb/hv-pci-swiotlb-0001", "16384", "15000", "15500");
	pool(bus, "swiotlb/other-pool", "16384", "1", "1");
	assert_int_equal(swiotlbpool_find(bus, false, p, SWIOTLBPOOL_MAX), 2);
	assert_string_equal(p[0].dir, "swiotlb/hv-pci-swiotlb-0001");
	assert_string_equal(p[1].dir, "swiotlb/hv-pci-swiotlb-0002");
	assert_int_equal(swiotlbpool_used(bus, &p[0], &used), 0);
	assert_int_equal(used, 15000);
	/* Capped at MAX. */
	assert_int_equal(swiotlbpool_find(bus, false, p, 1), 1);
}

/* check's swiotlb.usage finds per-bus pools (it once looked for one fixed name) and
 * judges the fullest. */
static void test_check_per_bus_pools(void **state)
{
	struct check_report *rep = malloc(sizeof(*rep));
	struct check_input in = { .data_dir = ".", .wsl_exe = "/nonexistent/wsl.exe",
				  .host_timeout_ms = 1000 };
	struct error err = { 0 };
	char root[256], cmd[1024];

	(void)state;
	assert_non_null(rep);
	snprintf(root, sizeof(root), "%s/m", scratch_dir);
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/check/pool-near-exhaustion %s && "
		 "mv %s/" DBG "/swiotlb/hv-pci-swiotlb %s/" DBG "/swiotlb/hv-pci-swiotlb-0001",
		 root, root, root);
	assert_int_equal(system(cmd), 0);
	pool(root, "swiotlb/hv-pci-swiotlb-0000", "32768", "10", "20");
	in.root = root;
	assert_int_equal(checks_run(&in, rep, &err), 0);
	assert_int_equal(rep->r[CK_SWIOTLB_USAGE].status, CHECK_WARN);
	assert_non_null(strstr(rep->r[CK_SWIOTLB_USAGE].detail, "near exhaustion"));
	free(rep);
}

/* The sampler sees a rise of io_tlb_used that lasts 150 ms (it reads every 20 ms),
 * reads the high-water mark at the end and never writes it. */
static void test_sampler(void **state)
{
	struct poolsampler ps;
	char root[256], hw[512];
	const struct timespec pause = { 0, 150 * 1000000L };

	(void)state;
	snprintf(root, sizeof(root), "%s/sampled", scratch_dir);
	assert_int_equal(mkdir(root, 0755), 0);
	pool(root, "swiotlb", "32768", "10", "500");
	pool(root, "swiotlb/hv-pci-swiotlb-0001", "16384", "3", "7");
	poolsampler_start(&ps, root);
	assert_int_equal(ps.n, 2);
	assert_string_equal(ps.p[0].pool.dir, "swiotlb/hv-pci-swiotlb-0001");
	assert_string_equal(ps.p[1].pool.dir, "swiotlb");
	put(root, DBG "/swiotlb/io_tlb_used", "20000");
	nanosleep(&pause, NULL);
	put(root, DBG "/swiotlb/io_tlb_used", "12");
	nanosleep(&pause, NULL);
	poolsampler_stop(&ps);
	assert_int_equal(ps.p[1].peak, 20000);
	assert_true(ps.p[1].samples >= 5);
	assert_int_equal(ps.p[1].nslabs, 32768);
	assert_true(ps.p[1].has_hiwater);
	assert_int_equal(ps.p[1].hiwater, 500);
	assert_int_equal(ps.p[0].peak, 3);
	snprintf(hw, sizeof(hw), "%s/" DBG "/swiotlb/io_tlb_used_hiwater", root);
	assert_string_equal(read_text(hw), "500");
	/* No debugfs: nothing to sample, no thread. */
	poolsampler_start(&ps, scratch_dir);
	assert_int_equal(ps.n, 0);
	poolsampler_stop(&ps);
}

static void test_transport(void **state)
{
	static const char table[] =
		"26 1 254:0 / / rw,relatime - ext4 /dev/sdc rw\n"
		"60 26 0:50 / /mnt/c rw,noatime - 9p C:\\134 rw,dirsync,aname=drvfs;path=C:\\\n"
		"61 26 0:51 / /mnt/d rw,noatime - virtiofs drvfsD rw\n"
		"62 26 0:52 / /mnt/wsl1 rw - drvfs D:\\134 rw\n"
		"63 26 0:53 / /home/u/my\\040files rw shared:5 - fuse.sshfs host:/x rw\n"
		"64 26 0:54 / /dev/shm rw - tmpfs tmpfs rw\n"
		"65 26 0:55 / /dev/shm rw - tmpfs later rw\n"
		"66 26 0:56 / /mnt/cc rw - overlay overlay rw\n";
	struct fstype f;

	(void)state;
	assert_int_equal(fstype_from_mountinfo(table, "/mnt/c/Users/u", &f), 0);
	assert_string_equal(f.type, "9p");
	assert_string_equal(f.point, "/mnt/c");
	assert_int_equal(fstype_from_mountinfo(table, "/mnt/c", &f), 0);
	assert_string_equal(f.type, "9p");
	/* /mnt/cc is not under /mnt/c. */
	assert_int_equal(fstype_from_mountinfo(table, "/mnt/cc/x", &f), 0);
	assert_string_equal(f.type, "overlay");
	assert_int_equal(fstype_from_mountinfo(table, "/mnt/d/src", &f), 0);
	assert_string_equal(f.type, "virtiofs");
	assert_int_equal(fstype_from_mountinfo(table, "/mnt/wsl1/x", &f), 0);
	assert_string_equal(f.type, "drvfs");
	assert_int_equal(fstype_from_mountinfo(table, "/home/u/my files/a", &f), 0);
	assert_string_equal(f.type, "fuse.sshfs");
	assert_string_equal(f.point, "/home/u/my files");
	/* Mounted over: the last one counts. */
	assert_int_equal(fstype_from_mountinfo(table, "/dev/shm/b", &f), 0);
	assert_string_equal(f.source, "later");
	assert_int_equal(fstype_from_mountinfo(table, "/home/u", &f), 0);
	assert_string_equal(f.type, "ext4");
	assert_int_equal(fstype_from_mountinfo("garbage\n", "/x", &f), -1);
	assert_string_equal(f.type, "unknown");
	/* This machine's /. */
	assert_int_equal(fstype_of_path("/", "/", &f), 0);
	assert_string_not_equal(f.type, "unknown");
}

static void test_workloads(void **state)
{
	struct bench_sample s, w, r;
	struct error err = { 0 };
	char dir[256];
	int dfd;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/wl", scratch_dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	assert_int_equal(bench_unpack(dfd, 300, 30, &s, &err), 0);
	/* The entries it made, folders included (they are timed too). */
	assert_int_equal(s.count, 300 + bench_tree_folders(300) - 1);
	assert_false(s.cut);
	assert_int_equal(bench_read(dfd, 30, &r, &err), 0);
	assert_int_equal(r.count, 300);
	assert_int_equal(bench_status(dfd, 30, &w, &err), 0);
	assert_int_equal(w.count, s.count); /* what unpack counted, status sees */
	s = w;
	/* A link in the tree is not followed: status counts it, read does not open it. */
	assert_int_equal(symlinkat("/etc/passwd", dfd, BENCH_TREE "/evil"), 0);
	assert_int_equal(bench_status(dfd, 30, &w, &err), 0);
	assert_int_equal(w.count, s.count + 1);
	assert_int_equal(bench_read(dfd, 30, &r, &err), -1);
	assert_int_equal(err.code, ERR_IO);
	assert_int_equal(bench_clean(dfd, 30, &s, &err), 0);
	assert_int_equal(faccessat(dfd, BENCH_TREE, F_OK, AT_SYMLINK_NOFOLLOW), -1);
	assert_int_equal(access("/etc/passwd", F_OK), 0);
	/* A zero budget: nothing done, and clean still removes it all. */
	assert_int_equal(bench_unpack(dfd, 300, 0, &s, &err), 0);
	assert_true(s.cut);
	assert_int_equal(bench_clean(dfd, 0, &s, &err), 0);
	assert_int_equal(faccessat(dfd, BENCH_TREE, F_OK, AT_SYMLINK_NOFOLLOW), -1);
	assert_int_equal(bench_seq(dfd, 4 << 20, 30, &w, &r, &err), 0);
	assert_int_equal(w.count, 4 << 20);
	assert_int_equal(r.count, 4 << 20);
	assert_int_equal(faccessat(dfd, BENCH_SEQ, F_OK, 0), -1);
	close(dfd);
}

/* Counts the files and folders under PATH (the top not counted). */
static void count_tree(const char *path, unsigned *files, unsigned *dirs)
{
	char cmd[600];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "find '%s' -mindepth 1 -type f | wc -l; "
		 "find '%s' -mindepth 1 -type d | wc -l", path, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%u %u", files, dirs), 2);
	pclose(p);
}

/* A budget cuts the tree after some prefix: every prefix must be the first files of the
 * whole tree, at the same places, with about the same folders per file (a slow target
 * must not get a folder-heavy tree the reference does not). */
static void test_tree_prefix(void **state)
{
	struct bench_sample s;
	struct error err = { 0 };
	char a[256], b[256], cmd[700];
	unsigned fa, da, fb, db;
	int dfd;

	(void)state;
	snprintf(a, sizeof(a), "%s/prefix", scratch_dir);
	snprintf(b, sizeof(b), "%s/whole", scratch_dir);
	assert_int_equal(mkdir(a, 0755), 0);
	assert_int_equal(mkdir(b, 0755), 0);
	dfd = open(a, O_RDONLY | O_DIRECTORY);
	assert_int_equal(bench_unpack(dfd, 50, 60, &s, &err), 0);
	close(dfd);
	dfd = open(b, O_RDONLY | O_DIRECTORY);
	assert_int_equal(bench_unpack(dfd, BENCH_FILES, 60, &s, &err), 0);
	close(dfd);
	/* Every file of the 50 is where the whole tree has it. */
	snprintf(cmd, sizeof(cmd), "cd '%s' && find . -type f | while read f; do "
		 "[ -f '%s'/\"$f\" ] || exit 1; done", a, b);
	assert_int_equal(system(cmd), 0);
	count_tree(a, &fa, &da);
	count_tree(b, &fb, &db);
	assert_int_equal(fa, 50);
	assert_int_equal(fb, BENCH_FILES);
	assert_int_equal(da, bench_tree_folders(50)); /* BENCH_TREE itself too */
	assert_int_equal(db, bench_tree_folders(BENCH_FILES));
	/* Folders per file of the prefix within twice the whole tree's. */
	assert_true((double)da / fa <= 2.0 * db / fb);
	for (unsigned n = 67; n <= BENCH_FILES; n += 97)
		assert_true((double)(bench_tree_folders(n) - 1) / n <= 2.0 * db / fb);
}

static void test_median(void **state)
{
	double v[] = { 30, 10, 20 }, spread;

	(void)state;
	assert_true(bench_median(v, 3, &spread) == 20);
	assert_true(spread == 100);
	assert_true(bench_median(v, 2, &spread) == 20);
}

static void test_record_round_trip(void **state)
{
	struct bench_run r = { .quick = true, .repeats = 3 };
	struct error err = { 0 };
	char home[256], path[512];
	json_t *run, *all, *latest, *wl;

	(void)state;
	snprintf(home, sizeof(home), "%s/home", scratch_dir);
	assert_int_equal(mkdir(home, 0755), 0);
	r.side[0].path = "/mnt/c/Users/u";
	snprintf(r.side[0].fs.type, sizeof(r.side[0].fs.type), "9p");
	r.side[1].path = "/home/u";
	snprintf(r.side[1].fs.type, sizeof(r.side[1].fs.type), "ext4");
	for (int k = 0; k < 3; k++) {
		r.side[0].wl[BW_STATUS].rate[k] = 100 + k;
		r.side[1].wl[BW_STATUS].rate[k] = 1000;
	}
	r.side[0].wl[BW_STATUS].npools = 1;
	snprintf(r.side[0].wl[BW_STATUS].peak[0].pool.dir, 128, "swiotlb");
	r.side[0].wl[BW_STATUS].peak[0].nslabs = 32768;
	r.side[0].wl[BW_STATUS].peak[0].peak = 77;

	/* No bench/ folder yet: no runs. */
	all = bench_record_load(home, &err);
	assert_int_equal(json_array_size(all), 0);
	json_decref(all);
	run = bench_run_json(&r);
	json_object_set_new(run, "time", json_string("2026-01-01T00:00:00Z"));
	json_object_set_new(run, "kernel", json_string("6.6.87.2-microsoft-standard-WSL2"));
	assert_int_equal(bench_record_save(home, run, path, sizeof(path), &err), 0);
	assert_non_null(strstr(path, "/bench/2026-01-01T00-00-00Z-"));
	json_object_set_new(run, "time", json_string("2026-01-02T00:00:00Z"));
	assert_int_equal(bench_record_save(home, run, path, sizeof(path), &err), 0);
	json_object_set_new(run, "kernel", json_string("6.18.26.3-microsoft-standard-WSL2"));
	json_object_set_new(run, "time", json_string("2026-01-03T00:00:00Z"));
	assert_int_equal(bench_record_save(home, run, path, sizeof(path), &err), 0);
	put(home, "bench/notes.txt", "not a record");
	put(home, "bench/broken.json", "{");

	all = bench_record_load(home, &err);
	assert_int_equal(json_array_size(all), 3);
	wl = json_array_get(json_object_get(json_array_get(all, 0), "workloads"), BW_STATUS);
	assert_string_equal(json_string_value(json_object_get(wl, "id")), "status");
	assert_true(json_real_value(json_object_get(json_object_get(wl, "target"), "rate")) == 101);
	assert_true(json_real_value(json_object_get(wl, "ratio")) == 0.101);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(
		json_object_get(wl, "target"), "pool_peak"), 0), "peak")), 77);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_array_get(all, 0), "target"), "transport")), "9p");
	/* The latest per (transport, kernel): the 2nd and 3rd, oldest first. */
	latest = bench_record_latest(all);
	assert_int_equal(json_array_size(latest), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(latest, 0), "time")),
			    "2026-01-02T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_array_get(latest, 1), "time")),
			    "2026-01-03T00:00:00Z");
	json_decref(latest);
	json_decref(all);
	json_decref(run);
}

static void on_alarm(int sig)
{
	(void)sig;
	fail_msg("blocked on a FIFO");
}

/* The records folder: a link to it is refused both ways, a FIFO, a link or a giant
 * among the records is skipped without waiting; --compare's latest is by the run's own
 * time, not by file name. */
static void test_records_hostile(void **state)
{
	struct bench_run r = { .quick = true, .repeats = 3 };
	struct error err = { 0 };
	char home[256], out[256], p[512], path[512];
	json_t *run, *all, *latest;
	int fd;

	(void)state;
	snprintf(home, sizeof(home), "%s/hh", scratch_dir);
	snprintf(out, sizeof(out), "%s/outside", scratch_dir);
	assert_int_equal(mkdir(home, 0755), 0);
	assert_int_equal(mkdir(out, 0755), 0);
	snprintf(p, sizeof(p), "%s/bench", home);
	assert_int_equal(symlink(out, p), 0);
	r.side[0].path = "/t";
	r.side[1].path = "/r";
	run = bench_run_json(&r);
	json_object_set_new(run, "time", json_string("2026-01-02T00:00:00Z"));
	assert_int_equal(bench_record_save(home, run, path, sizeof(path), &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_null(bench_record_load(home, &err));
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_int_equal(rmdir(out), 0); /* still empty */
	assert_int_equal(unlink(p), 0);

	assert_int_equal(bench_record_save(home, run, path, sizeof(path), &err), 0);
	/* An older run in a file whose name sorts last. */
	json_object_set_new(run, "time", json_string("2025-06-01T00:00:00Z"));
	fd = open(path, O_RDONLY);
	snprintf(p, sizeof(p), "%s/bench/zzz.json", home);
	assert_int_equal(json_dump_file(run, p, 0), 0);
	close(fd);
	snprintf(p, sizeof(p), "%s/bench/fifo.json", home);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/bench/link.json", home);
	assert_int_equal(symlink(path, p), 0);
	signal(SIGALRM, on_alarm);
	alarm(10);
	all = bench_record_load(home, &err);
	alarm(0);
	assert_int_equal(json_array_size(all), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(all, 0), "time")),
			    "2025-06-01T00:00:00Z");
	latest = bench_record_latest(all);
	assert_int_equal(json_array_size(latest), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(latest, 0), "time")),
			    "2026-01-02T00:00:00Z");
	json_decref(latest);
	json_decref(all);
	json_decref(run);
}

/* Clean-up that must finish holds signals off, never ignores them: one that came is
 * reported afterwards, and a child started meanwhile does not inherit SIG_IGN. */
static void test_interrupt_defer(void **state)
{
	struct error err = { 0 };
	struct sigaction sa;
	sigset_t pending;

	(void)state;
	interrupt_reset();
	interrupt_catch();
	interrupt_defer();
	sigaction(SIGTERM, NULL, &sa);
	assert_true(sa.sa_handler != SIG_IGN);
	raise(SIGTERM);
	assert_int_equal(interrupt_check(&err), 0); /* the clean-up goes on */
	sigpending(&pending);
	assert_true(sigismember(&pending, SIGTERM));
	interrupt_resume();
	assert_int_equal(interrupt_check(&err), -1);
	assert_int_equal(err.code, ERR_INTERRUPTED);
	assert_int_equal(interrupt_signal(), SIGTERM);
	interrupt_reset();
}

static void test_chart(void **state)
{
	char buf[256];

	(void)state;
	assert_string_equal(bench_chart_bar(0.5, 8, false, buf, sizeof(buf)), "####    ");
	assert_string_equal(bench_chart_bar(0, 4, false, buf, sizeof(buf)), "    ");
	assert_string_equal(bench_chart_bar(0.01, 4, false, buf, sizeof(buf)), "#   ");
	assert_string_equal(bench_chart_bar(1, 2, true, buf, sizeof(buf)), "\u2588\u2588");
	assert_string_equal(bench_chart_bar(0.5625, 2, true, buf, sizeof(buf)), "\u2588\u258f");
	setenv("TERM", "dumb", 1);
	assert_false(bench_chart_utf8());
	setenv("TERM", "xterm", 1);
	setenv("LC_ALL", "C", 1);
	assert_false(bench_chart_utf8());
	setenv("LC_ALL", "C.UTF-8", 1);
	assert_true(bench_chart_utf8());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_matcher),
		cmocka_unit_test(test_check_per_bus_pools),
		cmocka_unit_test(test_sampler),
		cmocka_unit_test(test_transport),
		cmocka_unit_test(test_workloads),
		cmocka_unit_test(test_tree_prefix),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_record_round_trip),
		cmocka_unit_test(test_records_hostile),
		cmocka_unit_test(test_interrupt_defer),
		cmocka_unit_test(test_chart),
	};

	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
