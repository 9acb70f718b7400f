// SPDX-License-Identifier: MIT
/* The patch series: parsing, exact application with real GNU patch, rejected hunks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchseries.h"
#include "patchsnap.h"

static void test_parse_lines(void **state)
{
	struct series s;
	struct error err = { 0 };
	const char *text =
		"# comment line\n"
		"\n"
		"0001-a.patch\n"
		"   0002-b.patch -p0   # trailing comment\r\n"
		"sub/0003-c.patch present-if=include/x.h:^int[[:space:]]+x\\( -p2\n"
		"\t# indented comment\n"
		"./0004-d.patch";

	(void)state;
	assert_int_equal(series_parse("/data/patches/series", text, &s, &err), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.e[0].name, "0001-a.patch");
	assert_string_equal(s.e[0].path, "/data/patches/0001-a.patch");
	assert_int_equal(s.e[0].strip, 1);
	assert_int_equal(s.e[0].line, 3);
	assert_null(s.e[0].probe_file);
	assert_int_equal(s.e[1].strip, 0);
	assert_int_equal(s.e[1].line, 4);
	assert_string_equal(s.e[2].path, "/data/patches/sub/0003-c.patch");
	assert_string_equal(s.e[2].probe_file, "include/x.h");
	assert_string_equal(s.e[2].probe_regex, "^int[[:space:]]+x\\(");
	assert_int_equal(s.e[2].strip, 2);
	assert_string_equal(s.e[3].path, "/data/patches/./0004-d.patch");
	series_free(&s);

	assert_int_equal(series_parse("series", "", &s, &err), 0);
	assert_int_equal(s.n, 0);
	series_free(&s);
}

static void expect_bad(const char *text, const char *needle)
{
	struct series s;
	struct error err = { 0 };

	assert_int_equal(series_parse("/p/series", text, &s, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	if (!strstr(err.message, needle))
		fail_msg("'%s' not in '%s'", needle, err.message);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_bad("a.patch\nb.patch -px\n", "/p/series:2: bad strip level '-px'");
	expect_bad("a.patch -p\n", "bad strip level");
	expect_bad("a.patch --fuzz=3\n", "/p/series:1: unknown option '--fuzz=3'");
	expect_bad("a.patch present-if=nocolon\n", "present-if needs FILE:REGEX");
	expect_bad("a.patch present-if=f:\n", "present-if needs FILE:REGEX");
	expect_bad("a.patch present-if=../etc/passwd:root\n", "relative to the tree");
	expect_bad("a.patch present-if=/etc/passwd:root\n", "relative to the tree");
	expect_bad("\n\na.patch present-if=f:(unclosed\n", "/p/series:3: bad regular expression");
	/* A series names files in its own folder, nothing outside it. */
	expect_bad("a.patch\n/abs/b.patch\n", "/p/series:2: patch '/abs/b.patch' is outside");
	expect_bad("../b.patch\n", "/p/series:1: patch '../b.patch' is outside");
	expect_bad("# x\nsub/../../b.patch -p1\n", "/p/series:2: patch 'sub/../../b.patch'");
	expect_bad("..\n", "/p/series:1: patch '..' is outside");
}

static void test_failed_hunks(void **state)
{
	const char *patch =
		"Subject: x\n"
		"---\n"
		"diff --git a/f.c b/f.c\n"
		"--- a/f.c\n"
		"+++ b/f.c\n"
		"@@ -1,3 +1,3 @@\n"
		" one\n"
		"-two\n"
		"+TWO\n"
		" three\n"
		"@@ -10,3 +10,3 @@\n"
		" ten\n"
		"-eleven\n"
		"+ELEVEN\n"
		" twelve\n"
		"diff --git a/g.c b/g.c\n"
		"--- a/g.c\n"
		"+++ b/g.c\n"
		"@@ -1 +1 @@\n"
		"-g\n"
		"+G\n";
	const char *output =
		"checking file f.c\n"
		"Hunk #2 FAILED at 10.\n"
		"1 out of 2 hunks FAILED\n"
		"checking file g.c\n";
	char *r;

	(void)state;
	r = series_failed_hunks(patch, 1, output);
	assert_non_null(r);
	assert_non_null(strstr(r, "f.c: hunk #2 (FAILED at 10)\n@@ -10,3 +10,3 @@\n ten\n-eleven\n+ELEVEN\n twelve\n"));
	assert_null(strstr(r, "TWO"));
	assert_null(strstr(r, "g.c"));
	free(r);
	/* Wrong strip level: nothing matches, nothing invented. */
	r = series_failed_hunks(patch, 0, output);
	assert_string_equal(r, "");
	free(r);
}

/* ---- Real GNU patch on a copy of the fake kernel tree. ---- */

static char tree[256];

/* A checksum list of every file and folder of the tree, kept beside it. */
#define SUMS "find . | sort | while read -r f; do if [ -f \"$f\" ]; then " \
	"sha256sum \"$f\"; else echo \"dir $f\"; fi; done"

static int setup_tree(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(tree, sizeof(tree), "/tmp/wslctl-series.XXXXXX");
	if (!mkdtemp(tree))
		return -1;
	snprintf(cmd, sizeof(cmd), "cp -R tests/fixtures/fake-kernel/. %s && cd %s && " SUMS
		 " >%s.sum", tree, tree, tree);
	return system(cmd);
}

static int teardown_tree(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s.sum", tree, tree);
	return system(cmd);
}

static int tree_unchanged(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cd %s && " SUMS " | cmp -s - %s.sum", tree, tree);
	return system(cmd) == 0;
}

static void test_apply_twice_and_unapply(void **state)
{
	struct series s;
	struct series_run run;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(series_load("tests/fixtures/patches-good", &s, &err), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(series_apply(&s, tree, NULL, false, &run, &err), 0);
	assert_int_equal(run.applied, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(run.status[i], PATCH_APPLIED);
	assert_false(tree_unchanged());
	series_run_free(&run);

	/* Second run: 0001 through its probe, the rest because they reverse-apply. */
	assert_int_equal(series_apply(&s, tree, NULL, false, &run, &err), 0);
	assert_int_equal(run.applied, 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(run.status[i], PATCH_PRESENT);
	series_run_free(&run);

	/* Undo what a run applied: the tree is back, byte for byte, new folder gone. */
	run.status = calloc(4, sizeof(*run.status));
	run.done = 4;
	run.applied = 4;
	assert_int_equal(series_unapply(&s, tree, &run, &err), 0);
	assert_true(tree_unchanged());
	series_run_free(&run);
	series_free(&s);
}

static void test_conflict_rolls_back(void **state)
{
	struct series s;
	struct series_run run;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(series_load("tests/fixtures/patches-conflict", &s, &err), 0);
	assert_int_equal(series_apply(&s, tree, NULL, false, &run, &err), -1);
	assert_int_equal(err.code, ERR_PATCH_CONFLICT);
	assert_non_null(strstr(err.message, "patches-conflict/series:3: patch 0002-virtiofs-clamp-other-base.patch"));
	assert_non_null(run.report);
	assert_non_null(strstr(run.report, "fs/fuse/virtio_fs.c: hunk #1 (FAILED at 2)"));
	assert_non_null(strstr(run.report, "VIRTIO_FS_MAX_PAGES 512"));
	assert_int_equal(run.applied, 0);
	assert_true(tree_unchanged());
	series_run_free(&run);
	series_free(&s);
}

static void test_fuzz_is_conflict(void **state)
{
	struct series s;
	struct series_run run;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(series_load("tests/fixtures/patches-fuzz", &s, &err), 0);
	assert_int_equal(series_apply(&s, tree, NULL, false, &run, &err), -1);
	assert_int_equal(err.code, ERR_PATCH_CONFLICT);
	assert_true(tree_unchanged());
	series_run_free(&run);
	series_free(&s);
}

static void test_dry_run_writes_nothing(void **state)
{
	struct series s;
	struct series_run run;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(series_load("tests/fixtures/patches-good", &s, &err), 0);
	assert_int_equal(series_apply(&s, tree, NULL, true, &run, &err), 0);
	/* 0003 touches a file 0001 does not: it applies on its own; all would apply. */
	assert_int_equal(run.status[0], PATCH_APPLIED);
	assert_int_equal(run.status[1], PATCH_APPLIED);
	assert_true(tree_unchanged());
	series_run_free(&run);
	series_free(&s);
}

/* A probe looks at the tree as given: 0001 adds what 0003's probe looks for, and 0003
 * must still be applied. */
static void test_probe_sees_the_tree_as_given(void **state)
{
	struct series s;
	struct series_run run;
	struct error err = { 0 };
	char text[512];

	(void)state;
	snprintf(text, sizeof(text),
		 "0001-swiotlb-dedicated-pool.patch present-if=include/linux/swiotlb.h:swiotlb_create_pool\n"
		 "0003-hv-pci-own-pool.patch -p0 present-if=include/linux/swiotlb.h:swiotlb_create_pool\n");
	assert_int_equal(series_parse("tests/fixtures/patches-good/series", text, &s, &err), 0);
	for (size_t i = 0; i < s.n; i++) {
		char *abs = realpath(s.e[i].path, NULL);

		assert_non_null(abs);
		free(s.e[i].path);
		s.e[i].path = abs;
	}
	assert_int_equal(series_read_patches(&s, &err), 0);
	assert_int_equal(series_apply(&s, tree, NULL, false, &run, &err), 0);
	assert_int_equal(run.status[0], PATCH_APPLIED);
	assert_int_equal(run.status[1], PATCH_APPLIED);
	series_run_free(&run);
	/* The next run sees both changes in the tree it is given. */
	assert_int_equal(series_apply(&s, tree, NULL, false, &run, &err), 0);
	assert_int_equal(run.status[0], PATCH_PRESENT);
	assert_int_equal(run.status[1], PATCH_PRESENT);
	series_run_free(&run);
	series_free(&s);
}

static void test_missing_patch_file(void **state)
{
	struct series s;
	struct error err = { 0 };
	char dir[] = "/tmp/wslctl-series-missing.XXXXXX";
	char path[300];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/series", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("# one missing\nnope.patch\n", f);
	fclose(f);
	assert_int_equal(series_load(dir, &s, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_non_null(strstr(err.message, "/series:2: patch"));
	unlink(path);
	assert_int_equal(series_load(dir, &s, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	rmdir(dir);
}

/* DIR/series holding LINE; the patch folder is DIR. */
static void write_series(const char *dir, const char *line)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/series", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(line, f);
	fclose(f);
}

static void expect_refused(const char *dir, const char *needle)
{
	struct series s;
	struct error err = { 0 };

	assert_int_equal(series_load(dir, &s, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	if (!strstr(err.message, needle))
		fail_msg("'%s' not in '%s'", needle, err.message);
}

/* A patch that is a FIFO, a device or a folder would block or never end: refused (the
 * FIFO at once, not waited on), naming the series line. So is the series file itself. */
static void test_non_regular_patch(void **state)
{
	char dir[] = "/tmp/wslctl-series-kind.XXXXXX";
	char path[300], cmd[400];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.patch", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	write_series(dir, "# a FIFO\np.patch\n");
	expect_refused(dir, "/series:2: patch p.patch: ");
	expect_refused(dir, "is a FIFO (named pipe), not a regular file");
	unlink(path);
	assert_int_equal(symlink("/dev/zero", path), 0);
	expect_refused(dir, "is a character device");
	unlink(path);
	assert_int_equal(mkdir(path, 0700), 0);
	expect_refused(dir, "/series:2: patch p.patch: ");
	rmdir(path);
	snprintf(path, sizeof(path), "%s/series", dir);
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	expect_refused(dir, "series is a FIFO");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* patch is given the bytes that were read and checked, not the file named again. */
static void test_patch_bytes_are_the_checked_ones(void **state)
{
	struct series s;
	struct series_run run;
	struct error err = { 0 };
	char dir[] = "/tmp/wslctl-series-swap.XXXXXX";
	char cmd[600];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp tests/fixtures/patches-good/0002-virtiofs-clamp-to-dma-size.patch "
		 "%s/a.patch", dir);
	assert_int_equal(system(cmd), 0);
	write_series(dir, "a.patch\n");
	assert_int_equal(series_load(dir, &s, &err), 0);
	snprintf(cmd, sizeof(cmd), "rm %s/a.patch && mkfifo %s/a.patch", dir, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(series_apply(&s, tree, NULL, true, &run, &err), 0);
	assert_int_equal(run.status[0], PATCH_APPLIED);
	assert_true(tree_unchanged());
	series_run_free(&run);
	series_free(&s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* A present-if probe that is a FIFO in the tree: refused, naming the series line. */
static void test_probe_fifo_refused(void **state)
{
	struct series s;
	struct series_run run;
	struct error err = { 0 };
	char path[300], saved[300];

	(void)state;
	assert_int_equal(series_load("tests/fixtures/patches-good", &s, &err), 0);
	snprintf(path, sizeof(path), "%s/include/linux/swiotlb.h", tree);
	snprintf(saved, sizeof(saved), "%s.probe", tree);
	assert_int_equal(rename(path, saved), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(series_apply(&s, tree, NULL, true, &run, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	if (!strstr(err.message, "patches-good/series:2: present-if probe of 0001"))
		fail_msg("series line not named: %s", err.message);
	unlink(path);
	assert_int_equal(rename(saved, path), 0);
	series_run_free(&run);
	series_free(&s);
}

/* Runs CMD in the tree (what a patch stopped half-way did); asserts it worked. */
static void in_tree(const char *cmd)
{
	char line[2048];

	snprintf(line, sizeof(line), "cd %s && %s", tree, cmd);
	assert_int_equal(system(line), 0);
}

/* What patch's dry run named is saved and put back exactly: a changed file (bytes and
 * time stamp), a file created in new folders, a link created, a file renamed away whose
 * folder was then removed (issue 17.15). */
static void test_snapshot_restores(void **state)
{
	const char *dry =
		"checking file kernel/dma/swiotlb.c\n"
		"checking file drivers/new/sub/made.c\n"
		"checking symbolic link include/linux/link.h\n"
		"checking file fs/moved.c (renamed from drivers/virtio/virtio.c)\n"
		"Hunk #1 succeeded at 3 (offset 1 line).\n";
	struct patchsnap snap;
	struct error err = { 0 };
	struct stat before, after;
	char path[600];

	(void)state;
	snprintf(path, sizeof(path), "%s/kernel/dma/swiotlb.c", tree);
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(patchsnap_take(&snap, tree, NULL, dry, &err), 0);
	in_tree("sleep 0.02 && echo changed >>kernel/dma/swiotlb.c && "
		"mkdir -p drivers/new/sub && echo new >drivers/new/sub/made.c && "
		"ln -s swiotlb.h include/linux/link.h && "
		"mv drivers/virtio/virtio.c fs/moved.c && rmdir drivers/virtio");
	assert_false(tree_unchanged());
	assert_int_equal(patchsnap_restore(&snap, &err), 0);
	patchsnap_free(&snap);
	assert_true(tree_unchanged());
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	snprintf(path, sizeof(path), "%s/drivers/new", tree);
	assert_int_equal(access(path, F_OK), -1);
}

/* A name outside the tree is refused before anything is saved. */
static void test_snapshot_refuses_escape(void **state)
{
	struct patchsnap snap;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(patchsnap_take(&snap, tree, NULL, "checking file ../x\n", &err), -1);
	assert_int_equal(err.code, ERR_PATCH_CONFLICT);
	assert_int_equal(patchsnap_take(&snap, tree, NULL, "checking file /etc/passwd\n", &err),
			 -1);
	assert_true(tree_path_escapes("a/../../b"));
	assert_false(tree_path_escapes("a/..b/c"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_failed_hunks),
		cmocka_unit_test(test_missing_patch_file),
		cmocka_unit_test(test_non_regular_patch),
		cmocka_unit_test_setup_teardown(test_patch_bytes_are_the_checked_ones, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_probe_fifo_refused, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_apply_twice_and_unapply, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_conflict_rolls_back, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_fuzz_is_conflict, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_probe_sees_the_tree_as_given, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_snapshot_restores, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_snapshot_refuses_escape, setup_tree, teardown_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
