// SPDX-License-Identifier: MIT
/*
 * Out of memory anywhere in the .wslconfig engine. The linker wraps malloc, calloc,
 * realloc, strdup and strndup for the engine's code (see this program's rule in the
 * Makefile); the wrappers fail the Nth call, for N = 1, 2, ... until a run makes fewer
 * than N. Each run loads a real file, edits it (set, unset, --raw, a path, merge),
 * writes it and validates it. It must either succeed with exactly the bytes of a run
 * without failures, or fail with an out-of-memory error that leaves the file's bytes as
 * they were and nothing beside it (no lock, no temp file). Under ASan (make SAN=1) a
 * crash, a bad access or a leak fails it as well.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <execinfo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wslconfig.h"

static bool armed;
static long calls, fail_at;

/* The call that fails; OOM_TRACE=N in the environment prints where the Nth came from
 * (addr2line -e THIS-PROGRAM turns the +0x offsets into lines). */
static bool fail_now(void)
{
	void *bt[16];

	if (!armed || ++calls != fail_at)
		return false;
	if (getenv("OOM_TRACE") && atol(getenv("OOM_TRACE")) == fail_at)
		backtrace_symbols_fd(bt, backtrace(bt, 16), 2);
	errno = ENOMEM; /* as the C library's allocator does */
	return true;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fail_now() ? NULL : __real_strndup(s, n);
}

/* The edits a run makes; 0 or -1 (ERR) as the engine returned. */
typedef int (*edit_fn)(struct wslconfig *cfg, const char *dir, struct error *err);

struct scenario {
	const char *file;      /* name in the scratch folder: .wslconfig or wsl.conf */
	const char *text;      /* its bytes (NULL: read FIXTURE) */
	const char *fixture;
	edit_fn edit;
};

static int edit_wslconfig(struct wslconfig *cfg, const char *dir, struct error *err)
{
	(void)dir;
	if (wslconfig_set(cfg, "wsl2.memory", "8GB", err) < 0 ||
	    wslconfig_set(cfg, "wsl2.virtiofs", "true", err) < 0 ||
	    wslconfig_set_ex(cfg, "wsl2.kernelCommandLine", "quiet # \"loud\"\\", 0, err) < 0 ||
	    wslconfig_set_ex(cfg, "wsl2.swapFile", "\"C:/swap.vhdx\" # raw", WSLCONFIG_RAW,
			     err) < 0 ||
	    wslconfig_set(cfg, "wsl2.kernel", "/mnt/c/kernels/bzImage", err) < 0 ||
	    wslconfig_set_ex(cfg, "newsection.someKey", "1", WSLCONFIG_FORCE, err) < 0 ||
	    wslconfig_unset(cfg, "wsl2.networkingMode", err) < 0 ||
	    wslconfig_unset(cfg, "wsl2.swap", err) < 0 ||
	    wslconfig_unset(cfg, "wsl2.debugConsole", err) < 0)
		return -1;
	return 0;
}

static int edit_merge(struct wslconfig *cfg, const char *dir, struct error *err)
{
	char frag[512];
	FILE *f;

	snprintf(frag, sizeof(frag), "%s/../fragment", dir);
	f = fopen(frag, "wb");
	assert_non_null(f);
	fputs("[wsl2]\nmemory=2GB\nprocessors=4\n[experimental]\nautoMemoryReclaim=gradual\n"
	      "[other]\nunknownKey=x\n", f);
	fclose(f);
	return wslconfig_merge(cfg, frag, WSLCONFIG_FORCE, err) < 0 ? -1 : 0;
}

static int edit_wslconf(struct wslconfig *cfg, const char *dir, struct error *err)
{
	(void)dir;
	if (wslconfig_set(cfg, "boot.systemd", "false", err) < 0 ||
	    wslconfig_set(cfg, "automount.options", "metadata,uid=1000", err) < 0 ||
	    wslconfig_unset(cfg, "network.hostname", err) < 0 ||
	    wslconfig_set(cfg, "interop.enabled", "false", err) < 0)
		return -1;
	return 0;
}

static const char long_names[] =
	"[wsl2]\n"
	"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
	"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
	"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
	" = \"a \\tvalue\" # comment\n"
	"memory=4GB\nmemory=5GB\nswap=0\n"
	"[sectionnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn-broken]\n"
	"x=1\n; not a comment\ny=\"open\nz=\\q\n[wsl2]\nnetworkingMode=nat\n";

static const struct scenario scenarios[] = {
	{ ".wslconfig", NULL, "docs-sample-crlf.wslconfig", edit_wslconfig },
	{ ".wslconfig", NULL, "messy.wslconfig", edit_wslconfig },
	{ ".wslconfig", NULL, "utf16le-bom.wslconfig", edit_wslconfig },
	{ ".wslconfig", long_names, NULL, edit_wslconfig },
	{ ".wslconfig", NULL, "types.wslconfig", edit_merge },
	{ ".wslconfig", "", NULL, edit_merge },
	{ "wsl.conf", "[boot]\nsystemd=true\n[network]\nhostname=box\n[automount]\n"
		      "enabled = true # on\n", NULL, edit_wslconf },
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = __real_malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void put(const char *path, const char *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

/* The folder holds NAME only. */
static void only(const char *dir, const char *name, long n)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    strcmp(de->d_name, name))
			fail_msg("N=%ld: %s was left beside %s", n, de->d_name, name);
	closedir(d);
}

/* The changes a run reports, as text into BUF. */
static void changes_text(const struct wslconfig *cfg, char *buf, size_t n)
{
	const struct wslconfig_change *c;
	size_t nc = wslconfig_changes(cfg, &c), len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nc && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s:%s:%s;", c[i].key,
					c[i].old_value ? c[i].old_value : "(none)",
					c[i].new_value ? c[i].new_value : "(none)");
	assert_true(len < n);
}

/* One run failing the FAIL-th allocation (0: none). 0 done, -1 refused (ERR). CHG: the
 * changes it reported. */
static int run_once(const struct scenario *sc, const char *dir, const char *path, long fail,
		    char *chg, size_t chg_size, struct error *err)
{
	const struct wslconfig_diag *d;
	struct wslconfig *cfg = NULL;
	int rc;

	calls = 0;
	fail_at = fail;
	armed = true;
	rc = wslconfig_edit_begin(path, &cfg, err);
	if (rc == 0)
		rc = sc->edit(cfg, dir, err);
	if (rc == 0)
		rc = wslconfig_commit(cfg, false, err) < 0 ? -1 : 0;
	if (rc == 0)
		changes_text(cfg, chg, chg_size);
	if (cfg)
		wslconfig_validate(cfg, "/", &d);
	wslconfig_free(cfg);
	/* And a reader of the result: load, list. */
	if (rc == 0 && wslconfig_load(path, &cfg, err) == 0)
		wslconfig_free(cfg);
	armed = false;
	return rc;
}

static void test_every_allocation_fails_in_turn(void **state)
{
	long total = 0;

	(void)state;
	for (size_t s = 0; s < sizeof(scenarios) / sizeof(scenarios[0]); s++) {
		const struct scenario *sc = &scenarios[s];
		char dir[600], path[700], fx[300], want_chg[4096], got_chg[4096];
		size_t in_len, want_len, got_len;
		char *in, *want, *got;
		struct error err = { 0 };
		long n;

		snprintf(dir, sizeof(dir), "%s/s%zu", scratch_dir, s);
		snprintf(path, sizeof(path), "%s/%s", dir, sc->file);
		assert_int_equal(mkdir(dir, 0755), 0);
		if (sc->text) {
			in_len = strlen(sc->text);
			in = __real_strdup(sc->text);
		} else {
			snprintf(fx, sizeof(fx), "tests/fixtures/wslconfig/%s", sc->fixture);
			in = slurp(fx, &in_len);
		}
		assert_non_null(in);
		/* The bytes a run without failures writes. */
		put(path, in, in_len);
		if (run_once(sc, dir, path, 0, want_chg, sizeof(want_chg), &err) < 0)
			fail_msg("scenario %zu: %s", s, err.message);
		want = slurp(path, &want_len);
		assert_non_null(want);
		assert_true(want_len != in_len || memcmp(want, in, in_len));
		for (n = 1;; n++) {
			int rc;

			put(path, in, in_len);
			err = (struct error){ 0 };
			rc = run_once(sc, dir, path, n, got_chg, sizeof(got_chg), &err);
			got = slurp(path, &got_len);
			assert_non_null(got);
			if (rc == 0) {
				if (got_len != want_len || memcmp(got, want, want_len))
					fail_msg("scenario %zu, N=%ld: succeeded with other bytes",
						 s, n);
				if (strcmp(got_chg, want_chg))
					fail_msg("scenario %zu, N=%ld: reported the changes %s, not "
						 "%s", s, n, got_chg, want_chg);
			} else {
				if (err.code != ERR_IO || (!strstr(err.message, "out of memory") &&
							    !strstr(err.message, strerror(ENOMEM))))
					fail_msg("scenario %zu, N=%ld: not an out-of-memory error: "
						 "%s", s, n, err.message);
				if (got_len != in_len || memcmp(got, in, in_len))
					fail_msg("scenario %zu, N=%ld: refused, but the file "
						 "changed", s, n);
			}
			only(dir, sc->file, n);
			free(got);
			if (calls < n)
				break;
		}
		total += n;
		free(in);
		free(want);
	}
	/* Every scenario allocates: the loop has failed hundreds of distinct calls. */
	assert_true(total > 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_allocation_fails_in_turn),
	};

	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
