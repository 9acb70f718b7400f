// SPDX-License-Identifier: MIT
/* The .config reader (plain and gzip) and the kernel-config/ fragments. Run from the top
 * of the tree (make unit does). */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kconfig.h"
#include "testutil.h"

#define FIX "tests/fixtures/check"

static const char *write_tmp(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch_dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_states(void **state)
{
	static const char text[] =
		"#\n# Automatically generated file; DO NOT EDIT.\n#\n"
		"CONFIG_PCI_HYPERV=y\r\n"
		"CONFIG_VIRTIO_FS=m\n"
		"# CONFIG_IKCONFIG is not set\n"
		"CONFIG_LOCALVERSION=\"-microsoft-standard-WSL2\"\n"
		"CONFIG_NR_CPUS=0x100\n"
		"CONFIG_CMA=n\n"
		"  CONFIG_INDENTED=y  \n"
		"garbage line the kernel ignores\n"
		"CONFIG_TWICE=m\nCONFIG_TWICE=y\n";
	struct kconfig *cfg = NULL;
	struct error err = { 0 };
	const char *v;
	char buf[64];

	(void)state;
	assert_int_equal(kconfig_parse(text, sizeof(text) - 1, "t", &cfg, &err), 0);
	assert_int_equal(kconfig_get(cfg, "PCI_HYPERV", &v), KCONFIG_Y);
	assert_string_equal(v, "y");
	assert_int_equal(kconfig_get(cfg, "CONFIG_PCI_HYPERV", NULL), KCONFIG_Y);
	assert_int_equal(kconfig_get(cfg, "VIRTIO_FS", NULL), KCONFIG_M);
	assert_int_equal(kconfig_get(cfg, "IKCONFIG", &v), KCONFIG_NOT_SET);
	assert_null(v);
	assert_int_equal(kconfig_get(cfg, "CMA", NULL), KCONFIG_NOT_SET);
	assert_int_equal(kconfig_get(cfg, "LOCALVERSION", &v), KCONFIG_VALUE);
	assert_string_equal(v, "\"-microsoft-standard-WSL2\"");
	assert_int_equal(kconfig_get(cfg, "NR_CPUS", &v), KCONFIG_VALUE);
	assert_string_equal(v, "0x100");
	assert_int_equal(kconfig_get(cfg, "INDENTED", NULL), KCONFIG_Y);
	assert_int_equal(kconfig_get(cfg, "TWICE", NULL), KCONFIG_Y); /* last one wins */
	assert_int_equal(kconfig_get(cfg, "DMA_RESTRICTED_POOL", &v), KCONFIG_ABSENT);
	assert_int_equal(kconfig_get(cfg, "PCI_HYPER", NULL), KCONFIG_ABSENT);
	assert_int_equal(kconfig_count(cfg), 8);
	assert_string_equal(kconfig_state_text(KCONFIG_NOT_SET, NULL, buf, sizeof(buf)), "is not set");
	assert_string_equal(kconfig_state_text(KCONFIG_VALUE, "0x100", buf, sizeof(buf)), "=0x100");
	kconfig_free(cfg);

	assert_int_equal(kconfig_parse("just text\n", 10, "x.txt", &cfg, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_non_null(strstr(err.message, "x.txt: not a kernel configuration"));
}

/* Many options: the hash table grows past its first size and finds every one again. */
static void test_many(void **state)
{
	size_t cap = 5000 * 40, len = 0;
	char *text = malloc(cap), name[32];
	struct kconfig *cfg = NULL;
	struct error err = { 0 };

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < 5000; i++)
		len += (size_t)snprintf(text + len, cap - len, "CONFIG_OPT_%d=%s\n", i,
					i % 3 ? "y" : "m");
	assert_int_equal(kconfig_parse(text, len, "big", &cfg, &err), 0);
	assert_int_equal(kconfig_count(cfg), 5000);
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "OPT_%d", i);
		assert_int_equal(kconfig_get(cfg, name, NULL), i % 3 ? KCONFIG_Y : KCONFIG_M);
	}
	kconfig_free(cfg);
	free(text);
}

/* The committed config.gz of each fixture inflates to its committed plain text. */
static void test_gzip_matches_plain(void **state)
{
	static const char *const machines[] = { "wsl-6.6-9p", "pci-hyperv-m" };
	struct error err = { 0 };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct kconfig *gz = NULL, *plain = NULL;
		char p1[256], p2[256];
		const char *v1, *v2;

		snprintf(p1, sizeof(p1), FIX "/%s/proc/config.gz", machines[i]);
		snprintf(p2, sizeof(p2), FIX "/%s/config.txt", machines[i]);
		assert_int_equal(kconfig_load_file(p1, &gz, &err), 0);
		assert_int_equal(kconfig_load_file(p2, &plain, &err), 0);
		assert_int_equal(kconfig_count(gz), kconfig_count(plain));
		assert_true(kconfig_count(gz) > 20);
		assert_int_equal(kconfig_get(gz, "PCI_HYPERV", &v1), kconfig_get(plain, "PCI_HYPERV", &v2));
		assert_string_equal(v1, v2);
		kconfig_free(gz);
		kconfig_free(plain);
	}
}

static void test_load_errors(void **state)
{
	static const unsigned char truncated[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x4b };
	struct kconfig *cfg = NULL;
	struct error err = { 0 };
	char path[512];
	FILE *f;

	(void)state;
	assert_int_equal(kconfig_load_file("/nonexistent/config.gz", &cfg, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	snprintf(path, sizeof(path), "%s/trunc.gz", scratch_dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(truncated, 1, sizeof(truncated), f);
	fclose(f);
	assert_int_equal(kconfig_load_file(path, &cfg, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_non_null(strstr(err.message, "cannot decompress"));
	assert_non_null(strstr(err.message, "trunc.gz"));
}

static void test_fragment(void **state)
{
	struct kconfig_reqs reqs = { 0 };
	struct error err = { 0 };
	const char *p = write_tmp("a.config",
		"# a header comment\n"
		"\n"
		"# why: built in only\n"
		"# need: y\n"
		"CONFIG_PCI_HYPERV=y\n"
		"# why: may be a module\n"
		"# why: (second line)\n"
		"# need: y|m\n"
		"CONFIG_VIRTIO_FS=y\n"
		"CONFIG_DEFAULT_M=m\n"
		"# CONFIG_OFF is not set\n"
		"CONFIG_STR=\"x\"\n"
		"# need: build\n"
		"CONFIG_IKCONFIG_PROC=y\n");

	(void)state;
	assert_int_equal(kconfig_fragment_load(p, &reqs, &err), 0);
	assert_int_equal(reqs.n, 6);
	assert_string_equal(reqs.v[0].name, "PCI_HYPERV");
	assert_int_equal(reqs.v[0].need, KNEED_Y);
	assert_string_equal(reqs.v[0].why, "built in only");
	assert_int_equal(reqs.v[0].line, 5);
	assert_int_equal(reqs.v[1].need, KNEED_YM);
	assert_string_equal(reqs.v[1].why, "may be a module (second line)");
	assert_int_equal(reqs.v[2].need, KNEED_YM); /* =m needs y or m */
	assert_null(reqs.v[2].why);
	assert_int_equal(reqs.v[3].need, KNEED_N);
	assert_int_equal(reqs.v[4].need, KNEED_EXACT);
	assert_int_equal(reqs.v[5].need, KNEED_BUILD);

	/* An empty fragment adds nothing (and reads no uninitialised buffer). */
	p = write_tmp("empty.config", "");
	assert_int_equal(kconfig_fragment_load(p, &reqs, &err), 0);
	assert_int_equal(reqs.n, 6);

	/* A later fragment replaces an option of the same name. */
	p = write_tmp("b.config", "# need: y|m\nCONFIG_PCI_HYPERV=m\n");
	assert_int_equal(kconfig_fragment_load(p, &reqs, &err), 0);
	assert_int_equal(reqs.n, 6);
	assert_int_equal(reqs.v[0].need, KNEED_YM);
	assert_non_null(strstr(reqs.v[0].file, "b.config"));
	kconfig_reqs_free(&reqs);
}

static void expect_fragment_error(const char *text, const char *needle)
{
	struct kconfig_reqs reqs = { 0 };
	struct error err = { 0 };
	const char *p = write_tmp("bad.config", text);

	assert_int_equal(kconfig_fragment_load(p, &reqs, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	if (!strstr(err.message, needle))
		fail_msg("'%s' not in '%s'", needle, err.message);
	kconfig_reqs_free(&reqs);
}

static void test_fragment_errors(void **state)
{
	(void)state;
	expect_fragment_error("CONFIG_A=y\n# need: maybe\nCONFIG_B=y\n",
			      "bad.config:2: unknown need 'maybe'");
	expect_fragment_error("# need: y\n\nCONFIG_B=y\n", "bad.config:2:");
	expect_fragment_error("# need: y\nCONFIG_B=m\n", "bad.config:2: CONFIG_B=m cannot meet '# need: y'");
	expect_fragment_error("# need: n\nCONFIG_B=y\n", "cannot meet");
	expect_fragment_error("CONFIG_A=y\nPCI_HYPERV=y\n", "bad.config:2: 'PCI_HYPERV=y' is not a Kconfig line");
	expect_fragment_error("CONFIG_A\n", "bad.config:1:");
	expect_fragment_error("CONFIG_A=\n", "bad.config:1:");
	expect_fragment_error("CONFIG_A=y\n# why: dangling\n", "bad.config:2:");
	expect_fragment_error("# need: y\n# need: y|m\nCONFIG_A=y\n", "a second '# need:'");
}

static struct kconfig *parse(const char *text)
{
	struct kconfig *cfg = NULL;
	struct error err = { 0 };

	assert_int_equal(kconfig_parse(text, strlen(text), "t", &cfg, &err), 0);
	return cfg;
}

static void test_req_met(void **state)
{
	struct kconfig *cfg = parse("CONFIG_Y=y\nCONFIG_M=m\n# CONFIG_N is not set\nCONFIG_S=\"a\"\n");
	struct kconfig_req r = { .name = "Y", .value = "y", .need = KNEED_Y };

	(void)state;
	assert_true(kconfig_req_met(&r, cfg, KCONFIG_RUNTIME));
	r.name = "M";
	assert_false(kconfig_req_met(&r, cfg, KCONFIG_RUNTIME));
	r.need = KNEED_YM;
	assert_true(kconfig_req_met(&r, cfg, KCONFIG_RUNTIME));
	r.name = "ABSENT";
	assert_false(kconfig_req_met(&r, cfg, KCONFIG_RUNTIME));
	r.need = KNEED_N;
	r.value = "n";
	assert_true(kconfig_req_met(&r, cfg, KCONFIG_RUNTIME));
	r.name = "N";
	assert_true(kconfig_req_met(&r, cfg, KCONFIG_RUNTIME));
	r.name = "S";
	r.need = KNEED_EXACT;
	r.value = "\"a\"";
	assert_true(kconfig_req_met(&r, cfg, KCONFIG_RUNTIME));
	r.value = "\"b\"";
	assert_false(kconfig_req_met(&r, cfg, KCONFIG_RUNTIME));
	/* A build-only want: not asked of a running kernel, kept as written by a build. */
	r.name = "ABSENT";
	r.value = "y";
	r.need = KNEED_BUILD;
	assert_true(kconfig_req_met(&r, cfg, KCONFIG_RUNTIME));
	assert_false(kconfig_req_met(&r, cfg, KCONFIG_BUILD));
	r.name = "Y";
	assert_true(kconfig_req_met(&r, cfg, KCONFIG_BUILD));
	kconfig_free(cfg);
}

/*
 * The repository's own fragments: every option has its why and need, and a stock
 * Microsoft 6.18 kernel (docs/kernels.md: config-wsl of 6.18.20.1, IKCONFIG off) meets
 * every runtime requirement -- else `check` would fail genuine machines.
 */
static void test_repository_fragments(void **state)
{
	static const char microsoft_6_18[] =
		"CONFIG_PCI_HYPERV=y\nCONFIG_PCI_MSI=y\nCONFIG_HYPERV=y\nCONFIG_HYPERV_VSOCKETS=y\n"
		"CONFIG_MEMORY_ISOLATION=y\nCONFIG_COMPACTION=y\nCONFIG_CONTIG_ALLOC=y\n"
		"# CONFIG_CMA is not set\nCONFIG_SWIOTLB=y\n# CONFIG_SWIOTLB_DYNAMIC is not set\n"
		"CONFIG_DEBUG_FS=y\nCONFIG_VIRTIO=y\nCONFIG_VIRTIO_PCI=y\nCONFIG_FUSE_FS=y\n"
		"CONFIG_VIRTIO_FS=y\nCONFIG_FUSE_DAX=y\nCONFIG_9P_FS=y\nCONFIG_NET_9P=y\n"
		"CONFIG_VIRTIO_BLK=m\nCONFIG_MODULES=y\n# CONFIG_KUNIT is not set\n"
		"# CONFIG_IKCONFIG is not set\n# CONFIG_IKCONFIG_PROC is not set\n";
	static const char *const must[] = { "VIRTIO_FS", "FUSE_FS", "VIRTIO_PCI", "VIRTIO",
		"SWIOTLB", "PCI_HYPERV", "PCI_MSI", "HYPERV", "CONTIG_ALLOC", "DEBUG_FS",
		"IKCONFIG", "IKCONFIG_PROC" };
	struct kconfig *ms = parse(microsoft_6_18);
	struct kconfig_reqs reqs = { 0 };
	struct error err = { 0 };
	size_t needs = 0;

	(void)state;
	assert_int_equal(kconfig_fragment_dir("kernel-config", &reqs, &err), 0);
	for (size_t i = 0; i < reqs.n; i++) {
		const struct kconfig_req *r = &reqs.v[i];

		if (!r->why)
			fail_msg("%s:%d: CONFIG_%s has no '# why:'", r->file, r->line, r->name);
		if (!kconfig_req_met(r, ms, KCONFIG_RUNTIME))
			fail_msg("%s:%d: CONFIG_%s needs %s, which Microsoft's 6.18 config lacks",
			      r->file, r->line, r->name, kconfig_need_text(r->need));
	}
	for (size_t k = 0; k < sizeof(must) / sizeof(must[0]); k++) {
		bool found = false;

		for (size_t i = 0; i < reqs.n; i++)
			found |= !strcmp(reqs.v[i].name, must[k]);
		if (!found)
			fail_msg("kernel-config/ lacks CONFIG_%s", must[k]);
	}
	/* PCI_HYPERV built in only; IKCONFIG only a build-time want. */
	for (size_t i = 0; i < reqs.n; i++) {
		if (!strcmp(reqs.v[i].name, "PCI_HYPERV"))
			assert_int_equal(reqs.v[i].need, KNEED_Y);
		if (!strncmp(reqs.v[i].name, "IKCONFIG", 8))
			assert_int_equal(reqs.v[i].need, KNEED_BUILD);
		if (!strcmp(reqs.v[i].name, "CMA"))
			fail_msg("CMA must not be required");
	}
	/* Every option carries an explicit `# need:` line. */
	for (size_t i = 0; i < reqs.n; i++) {
		FILE *f = fopen(reqs.v[i].file, "r");
		char line[512], prev[512] = "";

		assert_non_null(f);
		for (int n = 1; fgets(line, sizeof(line), f) && n < reqs.v[i].line; n++)
			snprintf(prev, sizeof(prev), "%s", line);
		fclose(f);
		if (strncmp(prev, "# need:", 7))
			fail_msg("%s:%d: CONFIG_%s has no '# need:' line right above it",
			      reqs.v[i].file, reqs.v[i].line, reqs.v[i].name);
		needs++;
	}
	assert_int_equal(needs, reqs.n);
	kconfig_reqs_free(&reqs);
	kconfig_free(ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_gzip_matches_plain),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_fragment),
		cmocka_unit_test(test_fragment_errors),
		cmocka_unit_test(test_req_met),
		cmocka_unit_test(test_repository_fragments),
	};

	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
