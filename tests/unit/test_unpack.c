// SPDX-License-Identifier: MIT
/*
 * unpack.c on real archives written here with libarchive's writer (and one raw tar
 * header): a NuGet-shaped zip, source tarballs with links, and hostile archives that
 * must be refused with nothing left behind, inside or outside the staging folder.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "digest.h"
#include "interrupt.h"
#include "testutil.h"
#include "unpack.h"

enum { T_FILE, T_DIR, T_SYMLINK, T_HARDLINK, T_CHR, T_FIFO, T_SPARSE };

struct ent {
	const char *name;
	int type;
	const char *data;   /* file data, or link target */
	int64_t size;       /* T_SPARSE: the logical size */
};

static char dir[PATH_MAX];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/wslctl-unpack.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	rm_tree(dir);
	return 0;
}

static void path_in(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

/* fmt: "zip", "tar", "tar.gz", "tar.xz", "tar.zst". */
static void make_archive(const char *path, const char *fmt, const struct ent *ents, size_t n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae;

	assert_non_null(a);
	if (!strncmp(fmt, "zip", 3)) {
		assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
		if (!strcmp(fmt, "zip-store"))
			assert_int_equal(archive_write_set_format_option(a, "zip", "compression",
									 "store"), ARCHIVE_OK);
	} else {
		assert_int_equal(archive_write_set_format_pax(a), ARCHIVE_OK);
		if (!strcmp(fmt, "tar.gz"))
			archive_write_add_filter_gzip(a);
		else if (!strcmp(fmt, "tar.xz"))
			archive_write_add_filter_xz(a);
		else if (!strcmp(fmt, "tar.zst"))
			archive_write_add_filter_zstd(a);
	}
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		const struct ent *x = &ents[i];
		size_t len = x->data && x->type == T_FILE ? strlen(x->data) : 0;

		ae = archive_entry_new();
		archive_entry_set_pathname(ae, x->name);
		archive_entry_set_perm(ae, 0644);
		switch (x->type) {
		case T_FILE:
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_size(ae, (la_int64_t)len);
			break;
		case T_DIR:
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
			break;
		case T_SYMLINK:
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_symlink(ae, x->data);
			break;
		case T_HARDLINK:
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_hardlink(ae, x->data);
			archive_entry_set_size(ae, 0);
			break;
		case T_CHR:
			archive_entry_set_filetype(ae, AE_IFCHR);
			archive_entry_set_rdev(ae, makedev(1, 3));
			break;
		case T_FIFO:
			archive_entry_set_filetype(ae, AE_IFIFO);
			break;
		case T_SPARSE:
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_size(ae, x->size);
			archive_entry_sparse_add_entry(ae, 0, 4);
			archive_entry_sparse_add_entry(ae, x->size - 4, 4);
			break;
		}
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		if (x->type == T_SPARSE) {
			/* The pax writer takes the logical bytes and skips the holes itself. */
			static char logical[1 << 20];

			memcpy(logical, "head", 4);
			memcpy(logical + x->size - 4, "tail", 4);
			assert_int_equal(archive_write_data(a, logical, (size_t)x->size), x->size);
		} else if (len)
			assert_int_equal(archive_write_data(a, x->data, len), (la_ssize_t)len);
		archive_entry_free(ae);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/*
 * A tar header written by hand: its declared size is what we want to test. With
 * `sparse_real`, an old-GNU sparse entry ('S') whose map (in the header itself) puts
 * 4 bytes at 0 and 4 at the end of a file of that logical size.
 */
static void make_raw_tar(const char *path, const char *name, unsigned long long size,
			 unsigned long long sparse_real)
{
	unsigned char h[512] = { 0 }, data[512] = { 0 }, zero[1024] = { 0 };
	unsigned sum = 0;
	FILE *f;

	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000644", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	snprintf((char *)h + 124, 12, "%011llo", size);
	memcpy(h + 136, "00000000000", 12);
	memset(h + 148, ' ', 8);
	if (sparse_real) {
		h[156] = 'S';
		memcpy(h + 257, "ustar  ", 8);
		snprintf((char *)h + 386, 12, "%011o", 0);
		snprintf((char *)h + 398, 12, "%011o", 4);
		snprintf((char *)h + 410, 12, "%011llo", sparse_real - 4);
		snprintf((char *)h + 422, 12, "%011o", 4);
		snprintf((char *)h + 483, 12, "%011llo", sparse_real);
	} else {
		h[156] = '0';
		memcpy(h + 257, "ustar", 6);
		memcpy(h + 263, "00", 2);
	}
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(h, 1, 512, f), 512);
	if (sparse_real) {
		memcpy(data, "headtail", 8);
		assert_int_equal(fwrite(data, 1, 512, f), 512);
	}
	assert_int_equal(fwrite(zero, 1, sizeof(zero), f), sizeof(zero));
	assert_int_equal(fclose(f), 0);
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Number of entries in a folder besides . and .. */
static int count_dir(const char *path)
{
	char cmd[PATH_MAX + 32];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", path);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

static const struct ent nupkg[] = {
	{ "[Content_Types].xml", T_FILE, "<Types/>", 0 },
	{ "_rels/.rels", T_FILE, "<Relationships/>", 0 },
	{ "Microsoft.WSL.Kernel.nuspec", T_FILE, "<package/>", 0 },
	{ "build/native/bin/x64/kernel", T_FILE, "KERNEL-x64", 0 },
	{ "build/native/bin/x64/modules.vhd", T_FILE, "VHD-x64", 0 },
	{ "build/native/bin/arm64/kernel", T_FILE, "KERNEL-arm64", 0 },
	{ "package/services/metadata/core-properties/a%2Bb.psmdcp", T_FILE, "props", 0 },
};

static void test_members_from_nupkg(void **state)
{
	char pkg[PATH_MAX], k[PATH_MAX], m[PATH_MAX], kpart[PATH_MAX];
	struct unpack_member mem[] = {
		{ .name = "build/native/bin/x64/kernel", .dest = k, .algs = DIGEST_F_SHA256 },
		{ .name = "build/native/bin/x64/modules.vhd", .dest = m },
		{ .name = "package/services/metadata/core-properties/a+b.psmdcp",
		  .dest = "/nonexistent", .optional = true },
	};
	struct unpack_opts o = { .percent_decode = false };
	struct digest_result want;
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "k.nupkg");
	path_in(k, sizeof(k), "kernel");
	path_in(m, sizeof(m), "modules.vhd");
	path_in(kpart, sizeof(kpart), "kernel.part");
	make_archive(pkg, "zip", nupkg, sizeof(nupkg) / sizeof(nupkg[0]));
	/* Without decoding, the %2B member is not there (it is optional). */
	assert_int_equal(unpack_members(pkg, mem, 2, &o, &e), 0);
	assert_string_equal(read_text(k), "KERNEL-x64");
	assert_string_equal(read_text(m), "VHD-x64");
	assert_true(mem[0].found);
	assert_int_equal(mem[0].size, 10);
	assert_int_equal(digest_file(k, DIGEST_F_SHA256, &want, &e), 0);
	assert_string_equal(mem[0].digest.sha256, want.sha256);
	assert_false(exists(kpart));

	/* OPC names: %2B is '+'. */
	path_in(k, sizeof(k), "props");
	mem[2].dest = k;
	mem[2].optional = false;
	o.percent_decode = true;
	assert_int_equal(unpack_members(pkg, &mem[2], 1, &o, &e), 0);
	assert_string_equal(read_text(k), "props");
}

static void test_members_missing_or_duplicate(void **state)
{
	static const struct ent dup[] = {
		{ "build/native/bin/x64/kernel", T_FILE, "one", 0 },
		{ "build/./native//bin/x64/kernel", T_FILE, "two", 0 },
	};
	char pkg[PATH_MAX], k[PATH_MAX];
	struct unpack_member mem[] = {
		{ .name = "build/native/bin/x64/kernel", .dest = k },
		{ .name = "build/native/bin/x64/nothere", .dest = "/nonexistent/x" },
	};
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "k.nupkg");
	path_in(k, sizeof(k), "kernel");
	make_archive(pkg, "zip", nupkg, sizeof(nupkg) / sizeof(nupkg[0]));
	assert_int_equal(unpack_members(pkg, mem, 2, NULL, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_non_null(strstr(e.message, "nothere"));
	assert_false(exists(k));
	assert_int_equal(count_dir(dir), 1);

	/* The same member twice (spelled differently): which one is the kernel? Refused. */
	make_archive(pkg, "zip", dup, 2);
	memset(&e, 0, sizeof(e));
	assert_int_equal(unpack_members(pkg, mem, 1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_false(exists(k));
	assert_int_equal(count_dir(dir), 1);
}

static void test_members_backslash_zip(void **state)
{
	static const struct ent win[] = {
		{ "build\\native\\bin\\arm64\\kernel", T_FILE, "ARM", 0 },
	};
	char pkg[PATH_MAX], k[PATH_MAX];
	struct unpack_member mem = { .name = "build/native/bin/arm64/kernel", .dest = k };
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "w.zip");
	path_in(k, sizeof(k), "kernel");
	make_archive(pkg, "zip", win, 1);
	assert_int_equal(unpack_members(pkg, &mem, 1, NULL, &e), 0);
	assert_string_equal(read_text(k), "ARM");
}

/* Each hostile archive: refused with ERR_UNSAFE_ARCHIVE naming the entry, both ways,
 * and afterwards the scratch folder holds only the archive and the empty staging. */
static void expect_refused(const char *fmt, const struct ent *ents, size_t n, const char *entry)
{
	char pkg[PATH_MAX], stage[PATH_MAX], k[PATH_MAX];
	struct unpack_member mem = { .name = "good", .dest = k };
	struct error e = { 0 };

	path_in(pkg, sizeof(pkg), "hostile.archive");
	path_in(stage, sizeof(stage), "stage");
	path_in(k, sizeof(k), "out");
	mkdir(stage, 0755);
	make_archive(pkg, fmt, ents, n);

	if (unpack_all(pkg, stage, NULL, &e) != -1)
		fail_msg("%s: %s accepted", fmt, entry);
	if (e.code != ERR_UNSAFE_ARCHIVE)
		fail_msg("%s: %s", fmt, e.message);
	if (!strstr(e.message, entry))
		fail_msg("'%s' not in '%s'", entry, e.message);
	assert_int_equal(count_dir(stage), 0);

	memset(&e, 0, sizeof(e));
	assert_int_equal(unpack_members(pkg, &mem, 1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_false(exists(k));
	assert_int_equal(count_dir(dir), 2);
	assert_false(exists("/tmp/wslctl-unpack-evil"));
	rmdir(stage);
	unlink(pkg);
}

static void test_hostile(void **state)
{
	static const char *const fmts[] = { "zip", "tar", "tar.gz" };
	const struct ent traversal[] = {
		{ "good", T_FILE, "fine", 0 }, { "../evil", T_FILE, "x", 0 } };
	const struct ent deep_traversal[] = {
		{ "good", T_FILE, "fine", 0 }, { "a/b/../../../evil", T_FILE, "x", 0 } };
	const struct ent absolute[] = {
		{ "good", T_FILE, "fine", 0 }, { "/tmp/wslctl-unpack-evil", T_FILE, "x", 0 } };
	const struct ent symlink_out[] = {
		{ "good", T_FILE, "fine", 0 }, { "link", T_SYMLINK, "/etc", 0 } };
	const struct ent symlink_in[] = {
		{ "good", T_FILE, "fine", 0 }, { "link", T_SYMLINK, "good", 0 } };

	(void)state;
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		expect_refused(fmts[i], traversal, 2, "../evil");
		expect_refused(fmts[i], deep_traversal, 2, "a/b/../../../evil");
		expect_refused(fmts[i], absolute, 2, "/tmp/wslctl-unpack-evil");
		expect_refused(fmts[i], symlink_out, 2, "link");
		/* Packages get no links at all, even ones that stay inside. */
		expect_refused(fmts[i], symlink_in, 2, "link");
	}
}

static void test_hostile_tar_only(void **state)
{
	const struct ent hardlink[] = {
		{ "good", T_FILE, "fine", 0 }, { "hard", T_HARDLINK, "good", 0 } };
	const struct ent device[] = {
		{ "good", T_FILE, "fine", 0 }, { "null", T_CHR, NULL, 0 } };
	const struct ent fifo[] = {
		{ "good", T_FILE, "fine", 0 }, { "pipe", T_FIFO, NULL, 0 } };
	char deep[2048] = "";

	(void)state;
	expect_refused("tar", hardlink, 2, "hard");
	expect_refused("tar", device, 2, "null");
	expect_refused("tar", fifo, 2, "pipe");
	for (int i = 0; i < 100; i++)
		strcat(deep, "d/");
	strcat(deep, "f");
	{
		const struct ent nested[] = { { "good", T_FILE, "fine", 0 }, { deep, T_FILE, "x", 0 } };

		expect_refused("tar", nested, 2, "d/d/d");
	}
}

static void test_declared_size(void **state)
{
	char pkg[PATH_MAX], stage[PATH_MAX];
	struct unpack_opts small = { .max_entry_size = 1000 };
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "big.tar");
	path_in(stage, sizeof(stage), "stage");
	mkdir(stage, 0755);
	/* 5 GiB declared, no data follows: refused on the header alone. */
	make_raw_tar(pkg, "huge.bin", 5ull << 30, 0);
	assert_int_equal(unpack_all(pkg, stage, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_non_null(strstr(e.message, "huge.bin"));
	assert_int_equal(count_dir(stage), 0);

	/* Sparse: 8 bytes stored, 5 GiB when extracted. */
	make_raw_tar(pkg, "sparse.img", 8, 5ull << 30);
	memset(&e, 0, sizeof(e));
	assert_int_equal(unpack_all(pkg, stage, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_non_null(strstr(e.message, "sparse.img"));
	assert_non_null(strstr(e.message, "sparse"));
	assert_int_equal(count_dir(stage), 0);

	/* The limit is the caller's to set. */
	make_raw_tar(pkg, "k.bin", 4096, 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(unpack_all(pkg, stage, &small, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
}

static int count_cb(const char *name, uint64_t size, void *arg)
{
	(void)name;
	(void)size;
	++*(int *)arg;
	return 0;
}

static void test_too_many_entries(void **state)
{
	enum { N = 10001 };
	static struct ent many[N];
	static char names[N][16];
	char pkg[PATH_MAX], stage[PATH_MAX];
	struct unpack_opts more = { .max_entries = 20000 };
	struct error e = { 0 };
	int n = 0;

	(void)state;
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "f%05d", i);
		many[i] = (struct ent){ names[i], T_FILE, "", 0 };
	}
	path_in(pkg, sizeof(pkg), "many.tar");
	path_in(stage, sizeof(stage), "stage");
	mkdir(stage, 0755);
	make_archive(pkg, "tar", many, N);
	assert_int_equal(unpack_all(pkg, stage, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_non_null(strstr(e.message, "10000 entries"));
	assert_int_equal(count_dir(stage), 0);
	/* The limit is the caller's (a kernel tree has ~90,000 entries). */
	assert_int_equal(unpack_list(pkg, &more, count_cb, &n, &e), 0);
	assert_int_equal(n, N);
}

static void test_source_tree(void **state)
{
	static const char *const fmts[] = { "tar.gz", "tar.xz", "tar.zst" };
	const struct ent tree[] = {
		{ "linux-6.6/", T_DIR, NULL, 0 },
		{ "linux-6.6/Makefile", T_FILE, "all:\n", 0 },
		{ "linux-6.6/include/dt/x.h", T_FILE, "#define X 1\n", 0 },
		{ "linux-6.6/arch/dts/include", T_SYMLINK, "../../include", 0 },
		{ "linux-6.6/COPYING-hard", T_HARDLINK, "linux-6.6/Makefile", 0 },
	};
	const struct ent sparse[] = {
		{ "linux-6.6/Makefile", T_FILE, "all:\n", 0 },
		{ "linux-6.6/sparse.img", T_SPARSE, NULL, 1 << 20 },
	};
	const struct ent escape[] = {
		{ "linux-6.6/Makefile", T_FILE, "all:\n", 0 },
		{ "linux-6.6/arch/out", T_SYMLINK, "../../../outside", 0 },
	};
	const struct ent through[] = {
		{ "linux-6.6/l", T_SYMLINK, ".", 0 },
		{ "linux-6.6/l/x", T_FILE, "through a link", 0 },
	};
	struct unpack_opts o = { .allow_internal_links = true, .strip_components = 1 };
	char pkg[PATH_MAX], stage[PATH_MAX], p[PATH_MAX], target[PATH_MAX];
	struct stat st;
	struct error e = { 0 };

	(void)state;
	path_in(stage, sizeof(stage), "stage");
	path_in(pkg, sizeof(pkg), "src.tar");
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		mkdir(stage, 0755);
		make_archive(pkg, fmts[i], tree, sizeof(tree) / sizeof(tree[0]));
		assert_int_equal(unpack_all(pkg, stage, &o, &e), 0);
		snprintf(p, sizeof(p), "%s/Makefile", stage);
		assert_string_equal(read_text(p), "all:\n");
		snprintf(p, sizeof(p), "%s/arch/dts/include/dt/x.h", stage);
		assert_string_equal(read_text(p), "#define X 1\n");
		snprintf(p, sizeof(p), "%s/arch/dts/include", stage);
		assert_int_equal(readlink(p, target, sizeof(target)), 13);
		snprintf(p, sizeof(p), "%s/COPYING-hard", stage);
		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_nlink, 2);
		rm_tree(stage);
	}

	/* Sparse entries are refused in source trees too (a sparse map is how a few bytes
	 * declare gigabytes). */
	mkdir(stage, 0755);
	make_archive(pkg, "tar", sparse, 2);
	assert_int_equal(unpack_all(pkg, stage, &o, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_non_null(strstr(e.message, "sparse.img"));
	assert_int_equal(count_dir(stage), 0);

	make_archive(pkg, "tar", escape, 2);
	assert_int_equal(unpack_all(pkg, stage, &o, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_int_equal(count_dir(stage), 0);

	/* l2 -> "l/.." looks inside, but l -> ".." makes it the staging folder's parent. */
	{
		const struct ent chain[] = {
			{ "linux-6.6/a/l", T_SYMLINK, "..", 0 },
			{ "linux-6.6/a/l2", T_SYMLINK, "l/..", 0 },
		};

		make_archive(pkg, "tar", chain, 2);
		memset(&e, 0, sizeof(e));
		assert_int_equal(unpack_all(pkg, stage, &o, &e), -1);
		assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
		assert_non_null(strstr(e.message, "a/l2"));
		assert_int_equal(count_dir(stage), 0);
	}

	/* A link that stays inside may exist, but nothing is written through it. */
	make_archive(pkg, "tar", through, 2);
	memset(&e, 0, sizeof(e));
	assert_int_equal(unpack_all(pkg, stage, &o, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_non_null(strstr(e.message, "l/x"));
	assert_int_equal(count_dir(stage), 0);
}

static void test_list_and_garbage(void **state)
{
	char pkg[PATH_MAX], stage[PATH_MAX];
	struct error e = { 0 };
	int n = 0;
	FILE *f;

	(void)state;
	path_in(pkg, sizeof(pkg), "k.nupkg");
	path_in(stage, sizeof(stage), "stage");
	make_archive(pkg, "zip", nupkg, sizeof(nupkg) / sizeof(nupkg[0]));
	assert_int_equal(unpack_list(pkg, NULL, count_cb, &n, &e), 0);
	assert_int_equal(n, 7);

	f = fopen(pkg, "wb");
	assert_non_null(f);
	fputs("this is not an archive at all, just text that goes on and on\n", f);
	fclose(f);
	mkdir(stage, 0755);
	assert_int_equal(unpack_all(pkg, stage, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID_FILE);
	assert_non_null(strstr(e.message, pkg));
	path_in(pkg, sizeof(pkg), "missing.zip");
	assert_int_equal(unpack_list(pkg, NULL, count_cb, &n, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
}

/* The SHA-256 of PATH as a digest_want. */
static struct digest_want want_of(const char *path)
{
	struct digest_result r;
	struct digest_want w;
	struct error e = { 0 };

	assert_int_equal(digest_file(path, DIGEST_F_SHA256, &r, &e), 0);
	assert_int_equal(digest_parse(r.sha256, &w, &e), 0);
	return w;
}

/* Replaces the first FROM in PATH's bytes with TO (same length). */
static void patch_bytes(const char *path, const char *from, const char *to)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "r+b");
	size_t n;
	char *hit;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	hit = memmem(buf, n, from, strlen(from));
	assert_non_null(hit);
	assert_int_equal(fseek(f, hit - buf, SEEK_SET), 0);
	assert_int_equal(fwrite(to, 1, strlen(to), f), strlen(to));
	assert_int_equal(fclose(f), 0);
}

/* Only bytes with the digest wanted are extracted, read through one descriptor, with
 * the zip's own CRC-32 checked as well. */
static void test_verified_bytes(void **state)
{
	char pkg[PATH_MAX], other[PATH_MAX], k[PATH_MAX], part[PATH_MAX], stage[PATH_MAX];
	struct digest_want want, stale;
	struct digest_result got;
	struct unpack_member mem = { .name = "build/native/bin/x64/kernel", .dest = k };
	struct unpack_opts o = { .want = &want, .algs = DIGEST_F_SHA256, .digest = &got };
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "k.nupkg");
	path_in(other, sizeof(other), "other.nupkg");
	path_in(k, sizeof(k), "kernel");
	snprintf(part, sizeof(part), "%s.part", k);
	make_archive(pkg, "zip-store", nupkg, sizeof(nupkg) / sizeof(nupkg[0]));
	want = want_of(pkg);
	assert_int_equal(unpack_members(pkg, &mem, 1, &o, &e), 0);
	assert_string_equal(read_text(k), "KERNEL-x64");
	assert_true(digest_matches(&want, &got));
	unlink(k);

	/* The bytes on disk are not those verified (changed after the check; here a name
	 * in a local header, so the archive itself stays valid). */
	stale = want;
	patch_bytes(pkg, "Kernel.nuspec", "Kernel.nuspeX");
	assert_int_equal(unpack_members(pkg, &mem, 1, &o, &e), -1);
	assert_int_equal(e.code, ERR_DIGEST_MISMATCH);
	assert_false(exists(k));
	assert_false(exists(part));
	memset(&e, 0, sizeof(e));
	path_in(stage, sizeof(stage), "stage");
	mkdir(stage, 0755);
	assert_int_equal(unpack_all(pkg, stage, &(struct unpack_opts){ .want = &stale }, &e), -1);
	assert_int_equal(e.code, ERR_DIGEST_MISMATCH);
	assert_int_equal(count_dir(stage), 0);

	/* The digest matches, the zip's CRC-32 does not: still refused (libarchive's stored
	 * entries end in a data descriptor found by its CRC, so a bad CRC reads as data
	 * running past the entry's size; tests/e2e/feed_bytes.sh has the plain "bad CRC"). */
	make_archive(other, "zip-store", nupkg, sizeof(nupkg) / sizeof(nupkg[0]));
	patch_bytes(other, "KERNEL-x64", "KERNEL-x65");
	want = want_of(other);
	memset(&e, 0, sizeof(e));
	assert_int_equal(unpack_members(other, &mem, 1, &o, &e), -1);
	assert_true(e.code == ERR_INVALID_FILE || e.code == ERR_UNSAFE_ARCHIVE);
	assert_false(exists(k));
	assert_false(exists(part));
}

/* A bare kernel image is copied in the same one pass that hashes it. */
static void test_copy_verified(void **state)
{
	char img[PATH_MAX], k[PATH_MAX];
	struct digest_want want;
	struct unpack_opts o = { .want = &want };
	struct error e = { 0 };
	FILE *f;

	(void)state;
	path_in(img, sizeof(img), "bzImage");
	path_in(k, sizeof(k), "kernel");
	f = fopen(img, "w");
	assert_non_null(f);
	fputs("an image", f);
	fclose(f);
	want = want_of(img);
	assert_int_equal(unpack_copy(img, k, &o, &e), 0);
	assert_string_equal(read_text(k), "an image");
	unlink(k);
	f = fopen(img, "w");
	fputs("another!", f);
	fclose(f);
	assert_int_equal(unpack_copy(img, k, &o, &e), -1);
	assert_int_equal(e.code, ERR_DIGEST_MISMATCH);
	assert_false(exists(k));
	assert_int_equal(count_dir(dir), 1);
}

/* 8 bytes stored, 4,294,967,295 declared through a sparse map: just under the 4 GiB
 * entry limit, and refused all the same. */
static void test_sparse_kernel(void **state)
{
	char pkg[PATH_MAX], k[PATH_MAX];
	struct unpack_member mem = { .name = "kernel", .dest = k };
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "sparse.tar");
	path_in(k, sizeof(k), "out");
	make_raw_tar(pkg, "kernel", 8, 4294967295ull);
	assert_int_equal(unpack_members(pkg, &mem, 1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_non_null(strstr(e.message, "sparse"));
	assert_false(exists(k));
}

/* A zip of 80 MiB of zeros (80 KiB compressed): refused once past the floor, by ratio. */
static void test_expansion_ratio(void **state)
{
	char pkg[PATH_MAX], k[PATH_MAX];
	struct unpack_member mem = { .name = "build/native/bin/x64/modules.vhd", .dest = k };
	struct archive *a = archive_write_new();
	struct archive_entry *ae = archive_entry_new();
	static char zeros[1 << 20];
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "bomb.nupkg");
	path_in(k, sizeof(k), "modules.vhd");
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, pkg), ARCHIVE_OK);
	archive_entry_set_pathname(ae, mem.name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	archive_entry_set_size(ae, 80 << 20);
	assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
	for (int i = 0; i < 80; i++)
		assert_int_equal(archive_write_data(a, zeros, sizeof(zeros)), sizeof(zeros));
	archive_entry_free(ae);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);

	assert_int_equal(unpack_members(pkg, &mem, 1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_non_null(strstr(e.message, "expands"));
	assert_false(exists(k));
}

/* Declared sizes count against the total before a byte is written. */
static void test_total(void **state)
{
	const struct ent three[] = {
		{ "a", T_FILE, "0123456789", 0 }, { "b", T_FILE, "0123456789", 0 },
		{ "c", T_FILE, "0123456789", 0 } };
	char pkg[PATH_MAX], stage[PATH_MAX];
	struct unpack_opts o = { .max_total = 25 };
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "three.tar");
	path_in(stage, sizeof(stage), "stage");
	mkdir(stage, 0755);
	make_archive(pkg, "tar", three, 3);
	assert_int_equal(unpack_all(pkg, stage, &o, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_non_null(strstr(e.message, "in all"));
	assert_int_equal(count_dir(stage), 0);
	o.max_total = 30;
	assert_int_equal(unpack_all(pkg, stage, &o, &e), 0);
}

/* The caller's marker name is refused at the top, as a file or a link. */
static void test_reserved_name(void **state)
{
	const struct ent as_file[] = {
		{ "Makefile", T_FILE, "all:\n", 0 }, { ".wslctl-source", T_FILE, "x", 0 } };
	const struct ent as_link[] = {
		{ "Kconfig", T_FILE, "k", 0 }, { "./.wslctl-source", T_SYMLINK, "Kconfig", 0 } };
	const struct ent deeper[] = { { "a/.wslctl-source", T_FILE, "fine", 0 } };
	struct unpack_opts o = { .allow_internal_links = true, .reserved = ".wslctl-source" };
	char pkg[PATH_MAX], stage[PATH_MAX];
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "src.tar");
	path_in(stage, sizeof(stage), "stage");
	mkdir(stage, 0755);
	make_archive(pkg, "tar", as_file, 2);
	assert_int_equal(unpack_all(pkg, stage, &o, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_non_null(strstr(e.message, "reserved"));
	make_archive(pkg, "tar", as_link, 2);
	assert_int_equal(unpack_all(pkg, stage, &o, &e), -1);
	assert_int_equal(e.code, ERR_UNSAFE_ARCHIVE);
	assert_int_equal(count_dir(stage), 0);
	make_archive(pkg, "tar", deeper, 1);
	assert_int_equal(unpack_all(pkg, stage, &o, &e), 0);
}

/* A signal noted before or during extraction stops it, leaving nothing. */
static void test_interrupted(void **state)
{
	char pkg[PATH_MAX], stage[PATH_MAX], k[PATH_MAX];
	struct unpack_member mem = { .name = "build/native/bin/x64/kernel", .dest = k };
	struct error e = { 0 };

	(void)state;
	path_in(pkg, sizeof(pkg), "k.nupkg");
	path_in(stage, sizeof(stage), "stage");
	path_in(k, sizeof(k), "kernel");
	mkdir(stage, 0755);
	make_archive(pkg, "zip", nupkg, sizeof(nupkg) / sizeof(nupkg[0]));
	interrupt_catch();
	raise(SIGINT);
	assert_int_equal(unpack_members(pkg, &mem, 1, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INTERRUPTED);
	assert_false(exists(k));
	memset(&e, 0, sizeof(e));
	assert_int_equal(unpack_all(pkg, stage, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INTERRUPTED);
	assert_int_equal(count_dir(stage), 0);
	interrupt_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_members_from_nupkg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members_missing_or_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members_backslash_zip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_tar_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_declared_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_and_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verified_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_verified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sparse_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expansion_ratio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_total, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserved_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted, setup, teardown),
	};

	return cmocka_run_group_tests_name("unpack", tests, NULL, NULL);
}
