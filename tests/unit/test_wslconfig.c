// SPDX-License-Identifier: MIT
/* The .wslconfig engine against WSL's grammar (docs/wslconfig.md), rule by rule,
 * plus the editing guarantees: round trips and edits confined to the value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wslconfig_int.h"

static char tmpdir[] = "/tmp/wslctl-unit-XXXXXX";

/* realloc, failing the realloc_fail_at-th call counted in realloc_calls (0: none fails). */
static long realloc_calls, realloc_fail_at;

void *realloc(void *p, size_t n)
{
	static void *(*real)(void *, size_t);

	if (!real)
		real = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	if (++realloc_calls == realloc_fail_at)
		return NULL;
	return real(p, n);
}

static char *write_tmp(const char *name, const char *data, size_t len)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static struct wslconfig *load_text(const char *name, const char *text)
{
	struct wslconfig *cfg = NULL;
	struct error err = { 0 };

	assert_int_equal(wslconfig_load(write_tmp(name, text, strlen(text)), &cfg, &err), 0);
	return cfg;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = malloc(1 << 20);

	assert_non_null(f);
	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

/*
 * One grammar rule: the text, what WSL says about it ("LINE:code" for every warning
 * and error, in order), and a key it reads ("key=value", "key!" for absent).
 */
struct rule {
	const char *what;
	const char *text;
	const char *diags;
	const char *reads[3];
};

static const struct rule rules[] = {
	{ "leading blanks are skipped", " \t[wsl2]\n\t memory = 4GB\n", "",
	  { "wsl2.memory=4GB" } },
	{ "# comments at line start, after a section, after a value",
	  "# c\n[wsl2] # c\nmemory=4GB # c\n  # indented\n", "", { "wsl2.memory=4GB" } },
	{ "; is not a comment", "; c\n[wsl2]\nmemory=4GB\n", "1:invalid-key",
	  { "wsl2.memory=4GB" } },
	{ "blank and CRLF lines count as lines", "\r\n\r\n[wsl2]\r\nmemory=x\r\n",
	  "4:invalid-size", { "wsl2.memory=x" } },
	{ "section needs a closing bracket", "[wsl2\nmemory=1GB\n", "1:expected-bracket,2:unknown-key",
	  { "wsl2.memory!" } },
	{ "underscore in a section name", "[wsl2]\n[wsl_2]\nmemory=1GB\n",
	  "2:expected-bracket,3:unknown-key", { "wsl2.memory!" } },
	{ "space inside brackets", "[wsl 2]\nmemory=1GB\n", "1:expected-bracket,2:unknown-key",
	  { "wsl2.memory!" } },
	{ "text after the bracket", "[wsl2]x\nmemory=1GB\n", "1:expected-eol,2:unknown-key",
	  { "wsl2.memory!" } },
	{ "empty section name keeps the previous section", "[wsl2]\n[]\nmemory=1GB\n",
	  "2:invalid-section", { "wsl2.memory=1GB" } },
	{ "section starting with a digit keeps the previous one", "[wsl2]\n[1x]\nmemory=1GB\n",
	  "2:invalid-section", { "wsl2.memory=1GB" } },
	{ "a broken longer name is cut to the previous length",
	  "[wsl2]\n[system-distro-env]\nmemory=1GB\n", "2:expected-bracket,3:unknown-key",
	  { "wsl2.memory!", "syst.memory=1GB" } },
	{ "a broken name cut to the previous length can land in [wsl2]",
	  "[abcd]\n[wsl2-x]\nmemory=1GB\n", "2:expected-bracket", { "wsl2.memory=1GB" } },
	{ "a broken shorter name is padded with NULs and hides the key",
	  "[wsl2]\n[ab-]\nmemory=1GB\n", "2:expected-bracket,3:unknown-key", { "wsl2.memory!" } },
	{ "section names are case-insensitive", "[WSL2]\nVirtioFS=TRUE\n", "",
	  { "wsl2.virtiofs=TRUE" } },
	{ "underscore in a key", "[wsl2]\nfoo_bar=1\n", "2:expected-equals", { NULL } },
	{ "key without =", "[wsl2]\nmemory\nswap 1GB\n", "2:expected-equals,3:expected-equals",
	  { "wsl2.memory!" } },
	{ "= without a key", "[wsl2]\n=4GB\n", "2:invalid-key", { NULL } },
	{ "key starting with a digit", "[wsl2]\n1memory=4GB\n", "2:invalid-key", { NULL } },
	{ "quotes toggle and are removed", "[wsl2]\nkernelCommandLine=ab\"cd\"ef\n", "",
	  { "wsl2.kernelCommandLine=abcdef" } },
	{ "quoted # and spaces are kept", "[wsl2]\nkernelCommandLine=\" a # b \"  # c\n", "",
	  { "wsl2.kernelCommandLine= a # b " } },
	{ "unquoted trailing blanks are trimmed", "[wsl2]\nkernelCommandLine=a b \t \n", "",
	  { "wsl2.kernelCommandLine=a b" } },
	{ "a value of only quotes is empty", "[wsl2]\nkernelCommandLine=\"\"\n", "",
	  { "wsl2.kernelCommandLine=" } },
	{ "escapes decode", "[wsl2]\nkernelCommandLine=a\\\\b\\\"c\\td\\ne\\bf\n", "",
	  { "wsl2.kernelCommandLine=a\\b\"c\td\ne\bf" } },
	{ "any other escape drops the line", "[wsl2]\nkernel=C:\\Users\\me\\bzImage\nswap=0\n",
	  "2:invalid-escape", { "wsl2.kernel!", "wsl2.swap=0" } },
	{ "backslash at the end of the file drops the line", "[wsl2]\nkernelCommandLine=a\\",
	  "2:invalid-escape", { "wsl2.kernelCommandLine!" } },
	{ "continuation joins lines and reports where it ends",
	  "[wsl2]\nkernelCommandLine=a \\\n  b\nmemory=z\n", "4:invalid-size",
	  { "wsl2.kernelCommandLine=a   b" } },
	{ "continuation before CRLF", "[wsl2]\r\nkernelCommandLine=a\\\r\nb\r\nmemory=z\r\n",
	  "4:invalid-size", { "wsl2.kernelCommandLine=ab" } },
	{ "unclosed quote drops the line", "[wsl2]\nmemory=\"4GB\nswap=0\n", "2:unclosed-quote",
	  { "wsl2.memory!", "wsl2.swap=0" } },
	{ "end of file inside quotes", "[wsl2]\nmemory=\"4GB", "2:unclosed-quote",
	  { "wsl2.memory!" } },
	{ "the first occurrence wins even when invalid", "[wsl2]\nmemory=4gb\nmemory=4GB\n",
	  "2:invalid-size,3:duplicate-key", { "wsl2.memory=4gb" } },
	{ "an old spelling that comes first wins",
	  "[experimental]\nnetworkingMode=mirrored\n[wsl2]\nnetworkingMode=nat\n", "4:duplicate-key",
	  { "wsl2.networkingMode=mirrored" } },
	{ "keys before any section are unknown", "memory=4GB\n[wsl2]\n", "1:unknown-key",
	  { "wsl2.memory!" } },
	{ "unknown section", "[wsl3]\nmemory=4GB\n", "2:unknown-key", { "wsl2.memory!" } },
	{ "a bare CR at line start is skipped, not a line", "[wsl2]\n\rmemory=z\n",
	  "2:invalid-size", { "wsl2.memory=z" } },
	{ "typed values", "[wsl2]\nvirtiofs=yes\nprocessors=08\nmemory=8 GB\nnetworkingMode=foo\n"
	  "[experimental]\ndnsTunnelingIpAddress=1.2.3\n",
	  "2:invalid-bool,3:invalid-int,4:invalid-size,5:invalid-enum,7:invalid-ip", { NULL } },
	{ "an invalid MAC is an error", "[wsl2]\nmacAddress=zz\n", "2:invalid-mac", { NULL } },
	{ "one warning per bad list entry", "[experimental]\nignoredPorts=80,x,70000\n",
	  "2:invalid-int,2:invalid-int", { NULL } },
	{ "modules without a kernel", "[wsl2]\nkernelModules=C:\\\\m.vhd\n",
	  "2:modules-without-kernel", { NULL } },
};

static void diag_string(struct wslconfig *cfg, char *buf, size_t n)
{
	const struct wslconfig_diag *d;
	size_t nd = wslconfig_validate(cfg, "/", &d), k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nd; i++) {
		if (d[i].severity == SEV_NOTICE)
			continue;
		k += (size_t)snprintf(buf + k, n - k, "%s%d:%s", k ? "," : "", d[i].line, d[i].code);
	}
}

static void test_grammar_rules(void **state)
{
	(void)state;
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		struct wslconfig *cfg = load_text("rule.wslconfig", rules[r].text);
		char got[1024];

		diag_string(cfg, got, sizeof(got));
		if (strcmp(got, rules[r].diags))
			fail_msg("%s: diagnostics '%s', wanted '%s'", rules[r].what, got, rules[r].diags);
		for (int i = 0; i < 3 && rules[r].reads[i]; i++) {
			const char *want = rules[r].reads[i];
			size_t kl = strcspn(want, "=!");
			char key[128];
			struct wslconfig_value v;
			int found;

			snprintf(key, sizeof(key), "%.*s", (int)kl, want);
			found = wslconfig_get(cfg, key, &v);
			if (want[kl] == '!') {
				if (found)
					fail_msg("%s: %s should be absent, reads '%s'", rules[r].what, key,
						 v.text);
			} else if (!found || strcmp(v.text, want + kl + 1)) {
				fail_msg("%s: %s reads '%s', wanted '%s'", rules[r].what, key,
					 found ? v.text : "(absent)", want + kl + 1);
			}
		}
		wslconfig_free(cfg);
	}
}

static bool has_code(struct wslconfig *cfg, const char *code, int line)
{
	const struct wslconfig_diag *d;
	size_t nd = wslconfig_validate(cfg, NULL, &d);

	for (size_t i = 0; i < nd; i++)
		if (!strcmp(d[i].code, code) && (line < 0 || d[i].line == line))
			return true;
	return false;
}

static void test_notices(void **state)
{
	struct wslconfig *cfg;

	(void)state;
	cfg = load_text("n.wslconfig", "[wsl2]\nswapFile=C:\\temp\n");
	assert_true(has_code(cfg, "escape-changes-value", 2));
	wslconfig_free(cfg);
	cfg = load_text("n.wslconfig", "[wsl2]\nkernelCommandLine=caf\xc3\xa9\n");
	assert_true(has_code(cfg, "non-ascii-value", 2));
	wslconfig_free(cfg);
	cfg = load_text("n.wslconfig", "memory=1GB\n[wsl2]\n");
	assert_true(has_code(cfg, "key-before-section", 1));
	wslconfig_free(cfg);
	cfg = load_text("n.wslconfig", "[wsl2]\nmemory=1GB\nmemory=2GB\nswap=0\nswap=0\n");
	assert_true(has_code(cfg, "shadowed-duplicate", 3));
	assert_false(has_code(cfg, "shadowed-duplicate", 5));
	wslconfig_free(cfg);
}

/* The severity of the first finding CODE on LINE, -1 when there is none. */
static int severity_of(struct wslconfig *cfg, const char *code, int line)
{
	const struct wslconfig_diag *d;
	size_t nd = wslconfig_validate(cfg, NULL, &d);

	for (size_t i = 0; i < nd; i++)
		if (!strcmp(d[i].code, code) && d[i].line == line)
			return (int)d[i].severity;
	return -1;
}

static void test_kernel_not_found(void **state)
{
	char root[600], path[700];
	struct wslconfig *cfg;

	(void)state;
	snprintf(root, sizeof(root), "%s/root", tmpdir);
	snprintf(path, sizeof(path), "mkdir -p %s/mnt/c/k && touch %s/mnt/c/k/there", root, root);
	assert_int_equal(system(path), 0);
	/* Drive C: is mounted here and the file is not there: WSL will not start. */
	cfg = load_text("k.wslconfig", "[wsl2]\nkernel=C:\\\\k\\\\missing\n"
			"kernelModules=C:\\\\k\\\\missing.vhd\n");
	wslconfig_set_root(cfg, root);
	assert_int_equal(severity_of(cfg, "kernel-not-found", 2), SEV_ERROR);
	assert_int_equal(severity_of(cfg, "modules-not-found", 3), SEV_ERROR);
	wslconfig_free(cfg);
	cfg = load_text("k.wslconfig", "[wsl2]\nkernel=C:/k/there\n");
	wslconfig_set_root(cfg, root);
	assert_false(has_code(cfg, "kernel-not-found", -1));
	wslconfig_free(cfg);
	/* C:\temp: the \t is a TAB, so the path WSL opens is not there either. */
	cfg = load_text("k.wslconfig", "[wsl2]\nkernel=C:\\temp\\\\k\n");
	wslconfig_set_root(cfg, root);
	assert_int_equal(severity_of(cfg, "escape-changes-value", 2), SEV_NOTICE);
	assert_int_equal(severity_of(cfg, "kernel-not-found", 2), SEV_ERROR);
	wslconfig_free(cfg);
	/* A relative path: a notice that WSL will most likely not find it. */
	cfg = load_text("k.wslconfig", "[wsl2]\nkernel=./bzImage\n");
	wslconfig_set_root(cfg, root);
	assert_int_equal(severity_of(cfg, "kernel-not-found", 2), SEV_NOTICE);
	wslconfig_free(cfg);
	/* Drive D: is not mounted here: a notice that it could not be checked. */
	cfg = load_text("k.wslconfig", "[wsl2]\nkernel=D:\\\\k\nkernelModules=D:/m\n");
	wslconfig_set_root(cfg, root);
	assert_int_equal(severity_of(cfg, "kernel-not-found", 2), SEV_NOTICE);
	assert_int_equal(severity_of(cfg, "modules-not-found", 3), SEV_NOTICE);
	wslconfig_free(cfg);
}

static void check_quote(const char *in, const char *want)
{
	char *q = wslconfig_quote(in);

	assert_non_null(q);
	assert_string_equal(q, want);
	free(q);
}

/* A value shows on one line: control characters quoted with C escapes, else as it is. */
static void test_quote(void **state)
{
	(void)state;
	check_quote("C:\\k\\bzImage", "C:\\k\\bzImage");
	check_quote("", "");
	check_quote("a\nwsl2.x=1", "\"a\\nwsl2.x=1\"");
	check_quote("\t\033[31m\a\x01\x7f", "\"\\t\\e[31m\\a\\x01\\x7f\"");
	check_quote("C:\\t\tx", "\"C:\\\\t\\tx\"");
	check_quote("\"quoted\"", "\"\\\"quoted\\\"\"");
}

static void test_wslconf_stops(void **state)
{
	struct wslconfig *cfg = NULL;
	struct error err = { 0 };
	struct wslconfig_value v;
	char dir[600], *p;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/etc", tmpdir);
	mkdir(dir, 0755);
	p = write_tmp("etc/wsl.conf", "[boot]\nsystemd=true\n[user]\ndefault=me me\"\n"
			  "[automount]\nenabled=false\n", 68);
	assert_int_equal(wslconfig_load(p, &cfg, &err), 0);
	assert_int_equal(wslconfig_is_wslconf(cfg), 1);
	assert_int_equal(wslconfig_get(cfg, "boot.systemd", &v), 1);
	assert_int_equal(wslconfig_get(cfg, "automount.enabled", &v), 0);
	assert_true(has_code(cfg, "unclosed-quote", 4));
	assert_true(has_code(cfg, "ignored-key", 6));
	/* A key written after the stop would be ignored: refused, nothing changed. */
	assert_int_equal(wslconfig_set(cfg, "network.hostname", "box", &err), -1);
	assert_int_equal(wslconfig_commit(cfg, false, &err), 0);
	wslconfig_free(cfg);
}

static void test_wslconf_crlf_lines(void **state)
{
	struct wslconfig *cfg = NULL;
	struct error err = { 0 };
	char dir[600], *p;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/etc2", tmpdir);
	mkdir(dir, 0755);
	/* Linux reads wsl.conf without CRLF translation: a CR ends a value and the LF after
	 * it counts as one more line, so WSL's line numbers run ahead. */
	p = write_tmp("etc2/wsl.conf", "[boot]\r\nsystemd=maybe\r\n", 24);
	assert_int_equal(wslconfig_load(p, &cfg, &err), 0);
	assert_true(has_code(cfg, "invalid-bool", 3));
	wslconfig_free(cfg);
}

static void test_encodings(void **state)
{
	struct wslconfig *cfg = NULL;
	struct error err = { 0 };
	struct wslconfig_value v;
	char *p;

	(void)state;
	p = write_tmp("be.wslconfig", "\xfe\xff\0[", 4);
	assert_int_equal(wslconfig_load(p, &cfg, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	p = write_tmp("odd.wslconfig", "\xff\xfe[\0w", 5);
	assert_int_equal(wslconfig_load(p, &cfg, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	p = write_tmp("surr.wslconfig", "\xff\xfe\x00\xd8[\0", 6);
	assert_int_equal(wslconfig_load(p, &cfg, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	p = write_tmp("u32.wslconfig", "\xff\xfe\0\0[\0\0\0", 8);
	assert_int_equal(wslconfig_load(p, &cfg, &err), -1);
	p = write_tmp("nobom16.wslconfig", "[\0w\0]\0", 6);
	assert_int_equal(wslconfig_load(p, &cfg, &err), -1);
	p = write_tmp("u16.wslconfig", "\xff\xfe[\0w\0s\0l\0\x32\0]\0\n\0s\0w\0a\0p\0=\0\x30\0", 28);
	assert_int_equal(wslconfig_load(p, &cfg, &err), 0);
	assert_int_equal(wslconfig_get(cfg, "wsl2.swap", &v), 1);
	assert_string_equal(v.text, "0");
	wslconfig_free(cfg);
	p = write_tmp("bom8.wslconfig", "\xef\xbb\xbf[wsl2]\nswap=0\n", 17);
	assert_int_equal(wslconfig_load(p, &cfg, &err), 0);
	assert_int_equal(wslconfig_get(cfg, "wsl2.swap", &v), 1);
	wslconfig_free(cfg);
}

static bool section_exists(const struct wslconfig *cfg, const char *sect)
{
	for (size_t i = 0; i < cfg->nit; i++)
		if (wslconfig_ctx_is(cfg, cfg->it[i].ctx, sect))
			return true;
	return false;
}

/* A document straight from memory (no file), not parsed yet. */
static struct wslconfig *mem_doc(const char *text)
{
	struct wslconfig *cfg = calloc(1, sizeof(*cfg));

	assert_non_null(cfg);
	cfg->kind = WSLCONF_WSLCONFIG;
	cfg->lock_fd = -1;
	cfg->root = "/";
	cfg->exists = true;
	cfg->path = strdup("mem.wslconfig");
	cfg->text = strdup(text);
	cfg->orig = strdup(text);
	cfg->len = cfg->orig_len = strlen(text);
	return cfg;
}

/* A document parsed straight from memory, for the many random cases. */
static struct wslconfig *mem_cfg(const char *text)
{
	struct wslconfig *cfg = mem_doc(text);
	struct error err = { 0 };

	assert_int_equal(wslconfig_parse(cfg, &err), 0);
	return cfg;
}

/* Out of memory at any realloc while parsing (key and value buffers, the arrays of
 * entries, items, diagnostics and sections, each past its first size) is an error, not a
 * crash; under make sanitize, not a leak either. */
static void test_parse_out_of_memory(void **state)
{
	char text[8192], name[300];
	size_t len = 0;
	long calls;

	(void)state;
	memset(name, 'k', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	for (int i = 0; i < 20; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"[s%d]\nk%d=v # c\n; bad\n\n", i, i);
	snprintf(text + len, sizeof(text) - len, "%s=%.*s\n", name, 200, name);
	for (long fail = 1;; fail++) {
		struct wslconfig *cfg = mem_doc(text);
		struct error err = { 0 };
		int rc;

		realloc_calls = 0;
		realloc_fail_at = fail;
		rc = wslconfig_parse(cfg, &err);
		calls = realloc_calls;
		realloc_fail_at = 0;
		if (calls < fail) {
			assert_int_equal(rc, 0);
			assert_int_equal(cfg->nent, 21);
			assert_int_equal(cfg->ngd, 20);
			wslconfig_free(cfg);
			break;
		}
		assert_int_equal(rc, -1);
		assert_int_equal(err.code, ERR_IO);
		assert_non_null(strstr(err.message, "out of memory"));
		wslconfig_free(cfg);
	}
	/* The buffers and every array grew at least once past their first size. */
	assert_true(calls >= 10);
}

/* Out of memory at any realloc of a set (the new line, the parse after the splice, the
 * list of changes past its first size) refuses it: the text and the changes as before. */
static void test_set_out_of_memory(void **state)
{
	(void)state;
	for (long fail = 1;; fail++) {
		struct wslconfig *cfg = mem_cfg("[wsl2]\n");
		struct error err = { 0 };
		char key[32], *before;
		long calls;
		int rc;

		for (int i = 0; i < 16; i++) {
			snprintf(key, sizeof(key), "wsl2.k%d", i);
			assert_int_equal(wslconfig_set_ex(cfg, key, "1", WSLCONFIG_FORCE, &err), 1);
		}
		before = strdup(cfg->text);
		realloc_calls = 0;
		realloc_fail_at = fail;
		rc = wslconfig_set_ex(cfg, "wsl2.k16", "1", WSLCONFIG_FORCE, &err);
		calls = realloc_calls;
		realloc_fail_at = 0;
		if (calls < fail) {
			assert_int_equal(rc, 1);
			assert_int_equal(cfg->nchg, 17);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(err.code, ERR_IO);
			assert_string_equal(cfg->text, before);
			assert_int_equal(cfg->nchg, 16);
		}
		free(before);
		wslconfig_free(cfg);
		if (calls < fail)
			break;
	}
}

/* A [wsl2] region exists in TEXT (parsed on its own). */
static bool section_exists_before_stop(const char *text)
{
	struct wslconfig *cfg = mem_cfg(text);
	bool r = section_exists(cfg, "wsl2");

	wslconfig_free(cfg);
	return r;
}

static const char *other_value(const struct entry *e)
{
	switch (e->k->type) {
	case KT_BOOL: return strcmp(e->value, "true") ? "true" : "false";
	case KT_SIZE: return "3GB";
	case KT_INT: return "7";
	case KT_ENUM: return strcasecmp(e->value, e->k->enum_values[1]) ? e->k->enum_values[1]
									: e->k->enum_values[0];
	case KT_LIST: return "81";
	case KT_IPV4: return "10.1.2.3";
	case KT_MAC: return "00:11:22:33:44:55";
	default: return "C:\\x";
	}
}

/* Set then unset a key that was absent from an existing section: the same bytes. */
static void round_trip(const char *path)
{
	static const char *const candidates[] = {
		"wsl2.virtiofs", "wsl2.debugConsole", "wsl2.telemetry", "experimental.sparseVhd",
		"experimental.setVersionDebug", NULL,
	};
	size_t olen, nlen;
	char *orig = read_all(path, &olen), *now;
	struct wslconfig *cfg = NULL;
	struct error err = { 0 };
	int tried = 0;

	for (int i = 0; candidates[i]; i++) {
		struct wslconfig_value v;
		char sect[32];

		assert_int_equal(wslconfig_edit_begin(path, &cfg, &err), 0);
		snprintf(sect, sizeof(sect), "%.*s", (int)strcspn(candidates[i], "."), candidates[i]);
		if (wslconfig_get(cfg, candidates[i], &v) || !section_exists(cfg, sect)) {
			wslconfig_free(cfg);
			continue;
		}
		tried++;
		if (wslconfig_set(cfg, candidates[i], "true", &err) != 1)
			fail_msg("%s: set %s: %s", path, candidates[i], err.message);
		assert_int_equal(wslconfig_commit(cfg, false, &err), 1);
		wslconfig_free(cfg);
		assert_int_equal(wslconfig_edit_begin(path, &cfg, &err), 0);
		assert_int_equal(wslconfig_unset(cfg, candidates[i], &err), 1);
		assert_int_equal(wslconfig_commit(cfg, false, &err), 1);
		wslconfig_free(cfg);
		now = read_all(path, &nlen);
		if (nlen != olen || memcmp(now, orig, olen))
			fail_msg("%s: set+unset of %s changed the bytes", path, candidates[i]);
		free(now);
	}
	if (!tried)
		fail_msg("%s: no section to try a round trip in", path);
	free(orig);
}

/* Editing a key's value changes no byte outside that value's span. */
static void edit_confined(const char *path)
{
	struct wslconfig *cfg = NULL;
	struct error err = { 0 };
	size_t nent;

	assert_int_equal(wslconfig_load(path, &cfg, &err), 0);
	nent = cfg->nent;
	for (size_t i = 0; i < nent; i++) {
		struct entry e;
		char *before, name[128];
		size_t blen;
		const char *nv;

		wslconfig_free(cfg);
		assert_int_equal(wslconfig_load(path, &cfg, &err), 0);
		e = cfg->ent[i];
		if (e.dropped || !e.canon || e.first != (int)i)
			continue;
		nv = other_value(&e);
		before = malloc(cfg->len + 1);
		memcpy(before, cfg->text, cfg->len + 1);
		blen = cfg->len;
		wslkeys_dotted(e.canon, name, sizeof(name));
		if (wslconfig_set(cfg, name, nv, &err) != 1)
			fail_msg("%s: set %s=%s: %s", path, name, nv, err.message);
		/* Same prefix up to the value, same suffix after it. */
		assert_memory_equal(cfg->text, before, e.val_start);
		assert_memory_equal(cfg->text + cfg->len - (blen - e.val_end), before + e.val_end,
				    blen - e.val_end);
		free(before);
	}
	wslconfig_free(cfg);
}

static void for_each_fixture(void (*fn)(const char *path))
{
	const char *dir = "tests/fixtures/wslconfig";
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		char src[600], cmd[1400];

		if (!strstr(de->d_name, ".wslconfig"))
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s/fx.wslconfig'", src, tmpdir);
		assert_int_equal(system(cmd), 0);
		snprintf(src, sizeof(src), "%s/fx.wslconfig", tmpdir);
		fn(src);
		n++;
	}
	closedir(d);
	assert_true(n >= 5);
}

static void test_round_trip_fixtures(void **state)
{
	(void)state;
	for_each_fixture(round_trip);
}

static void test_edit_confined_fixtures(void **state)
{
	(void)state;
	for_each_fixture(edit_confined);
}

static void test_set_escapes_and_quotes(void **state)
{
	struct wslconfig *cfg = load_text("e.wslconfig", "[wsl2]\nswap=0\n");
	struct error err = { 0 };
	struct wslconfig_value v;

	(void)state;
	assert_int_equal(wslconfig_set(cfg, "wsl2.kernel", "C:\\Users\\me\\bzImage", &err), 1);
	assert_non_null(strstr(cfg->text, "kernel=C:\\\\Users\\\\me\\\\bzImage\n"));
	assert_int_equal(wslconfig_set(cfg, "wsl2.kernelCommandLine", " a#b \"q\" ", &err), 1);
	assert_non_null(strstr(cfg->text, "kernelCommandLine=\" a#b \\\"q\\\" \"\n"));
	assert_int_equal(wslconfig_get(cfg, "wsl2.kernelCommandLine", &v), 1);
	assert_string_equal(v.text, " a#b \"q\" ");
	/* Already so: nothing changes, also for a differently spelled equal value. */
	assert_int_equal(wslconfig_set(cfg, "wsl2.swap", "0", &err), 0);
	assert_int_equal(wslconfig_set(cfg, "wsl2.virtiofs", "TRUE", &err), 1);
	assert_int_equal(wslconfig_set(cfg, "wsl2.virtiofs", "true", &err), 0);
	/* Refusals leave the text alone. */
	assert_int_equal(wslconfig_set(cfg, "wsl2.memory", "8gb", &err), -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
	assert_int_equal(wslconfig_set(cfg, "wsl2.memroy", "8GB", &err), -1);
	assert_int_equal(err.code, ERR_UNKNOWN_KEY);
	assert_int_equal(wslconfig_set(cfg, "wsl2.kernelCommandLine", "caf\xc3\xa9", &err), -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
	assert_int_equal(wslconfig_set_ex(cfg, "wsl2.kernelCommandLine", "caf\xc3\xa9",
					  WSLCONFIG_FORCE, &err), 1);
	assert_int_equal(wslconfig_set_ex(cfg, "wsl2.swapFile", "C:/s\\t.vhdx", WSLCONFIG_RAW,
					  &err), 1);
	assert_int_equal(wslconfig_get(cfg, "wsl2.swapFile", &v), 1);
	assert_string_equal(v.text, "C:/s\t.vhdx");
	assert_int_equal(wslconfig_set_ex(cfg, "wsl2.swapFile", "C:\\x\"", WSLCONFIG_RAW, &err), -1);
	wslconfig_free(cfg);
}

static void test_set_targets(void **state)
{
	struct wslconfig *cfg;
	struct error err = { 0 };

	(void)state;
	/* The first occurrence, even an invalid one, keeping its comment and spacing. */
	cfg = load_text("t.wslconfig", "[wsl2]\nmemory = 4gb   # note\nmemory=2GB\n");
	assert_int_equal(wslconfig_set(cfg, "wsl2.memory", "8GB", &err), 1);
	assert_string_equal(cfg->text, "[wsl2]\nmemory = 8GB   # note\nmemory=2GB\n");
	wslconfig_free(cfg);
	/* A dropped line naming the key is repaired. */
	cfg = load_text("t.wslconfig", "[wsl2]\nkernel=C:\\k\\x # old\nswap=0\n");
	assert_int_equal(wslconfig_set(cfg, "wsl2.kernel", "C:\\k\\x", &err), 1);
	assert_string_equal(cfg->text, "[wsl2]\nkernel=C:\\\\k\\\\x # old\nswap=0\n");
	wslconfig_free(cfg);
	/* The old spelling that WSL reads first is the one edited. */
	cfg = load_text("t.wslconfig", "[experimental]\nnetworkingMode=nat\n[wsl2]\nswap=0\n");
	assert_int_equal(wslconfig_set(cfg, "wsl2.networkingMode", "mirrored", &err), 1);
	assert_string_equal(cfg->text, "[experimental]\nnetworkingMode=mirrored\n[wsl2]\nswap=0\n");
	assert_int_equal(wslconfig_unset(cfg, "wsl2.networkingMode", &err), 1);
	assert_string_equal(cfg->text, "[experimental]\n[wsl2]\nswap=0\n");
	wslconfig_free(cfg);
	/* New keys go after the section's last key or comment, before its blank lines. */
	cfg = load_text("t.wslconfig", "[wsl2]\r\nswap=0\r\n# end\r\n\r\n[experimental]\r\n");
	assert_int_equal(wslconfig_set(cfg, "wsl2.virtiofs", "true", &err), 1);
	assert_string_equal(cfg->text,
			    "[wsl2]\r\nswap=0\r\n# end\r\nvirtiofs=true\r\n\r\n[experimental]\r\n");
	wslconfig_free(cfg);
	/* A missing section goes at the end, set apart like the others. */
	cfg = load_text("t.wslconfig", "[wsl2]\nswap=0\n\n[experimental]\nsparseVhd=true\n");
	assert_int_equal(wslconfig_set(cfg, "general.instanceIdleTimeout", "1000", &err), 1);
	assert_string_equal(cfg->text, "[wsl2]\nswap=0\n\n[experimental]\nsparseVhd=true\n\n"
			    "[general]\ninstanceIdleTimeout=1000\n");
	wslconfig_free(cfg);
	/* Into an empty file: CRLF, as Windows tools write it. */
	cfg = load_text("t.wslconfig", "");
	assert_int_equal(wslconfig_set(cfg, "wsl2.virtiofs", "true", &err), 1);
	assert_string_equal(cfg->text, "[wsl2]\r\nvirtiofs=true\r\n");
	wslconfig_free(cfg);
	/* Unset removes every occurrence and keeps a missing final newline missing. */
	cfg = load_text("t.wslconfig", "[wsl2]\nswap=0\nmemory=1GB\nswap=1GB");
	assert_int_equal(wslconfig_unset(cfg, "wsl2.swap", &err), 1);
	assert_string_equal(cfg->text, "[wsl2]\nmemory=1GB");
	assert_int_equal(wslconfig_unset(cfg, "wsl2.swap", &err), 0);
	wslconfig_free(cfg);
}

/* One set (unset when VALUE is NULL) on TEXT: its result and the text after it. */
struct edit_case {
	const char *what, *text, *key, *value;
	int rc;
	const char *want;
};

static const struct edit_case line_edits[] = {
	/* A value continued by '\\' before the line end is one line to WSL, its value running
	 * on into the next line of the file: set replaces all of it and unset removes all of
	 * it (fuzz_wslconfig, corpus regress-continued-value-set). */
	{ "continued value", "[wsl2]\nmemory=6GB:\\\n\tMemoryConsole=true\nswap=0\n",
	  "wsl2.memory", "3GB", 1, "[wsl2]\nmemory=3GB\nswap=0\n" },
	{ "continued before CR LF, trailing comment kept",
	  "[wsl2]\r\nkernelCommandLine=a \\\r\n  b # c\r\nswap=0\r\n", "wsl2.kernelCommandLine",
	  "x", 1, "[wsl2]\r\nkernelCommandLine=x # c\r\nswap=0\r\n" },
	{ "unset of a continued value", "[wsl2]\nmemory=6\\\nGB\nswap=0\n", "wsl2.memory", NULL,
	  1, "[wsl2]\nswap=0\n" },
	/* The first byte that differs may lie past the value: all of it is replaced, its
	 * trailing blanks kept (regress-set-diff-past-value). */
	{ "new value begins the old one", "[wsl2]\r\nmemory=3GB =3GB \nswap=0\n", "wsl2.memory",
	  "3GB", 1, "[wsl2]\r\nmemory=3GB \nswap=0\n" },
	/* A line WSL dropped for an open quote may run on over continuations: its repair
	 * replaces the value to where WSL stopped, so no piece of it becomes a line of its
	 * own, which WSL would warn about or read as a key (regress-dropped-continued-value). */
	{ "dropped continued value", "[wsl2]\nmemory=\"6GB\\\nfoo\nswap=0\n", "wsl2.memory",
	  "3GB", 1, "[wsl2]\nmemory=3GB\nswap=0\n" },
	{ "dropped continued value, a key on the next line",
	  "[wsl2]\nmemory=\"6GB\\\nfoo=1\nswap=0\n", "wsl2.memory", "3GB", 1,
	  "[wsl2]\nmemory=3GB\nswap=0\n" },
	{ "dropped continued value, CR LF", "[wsl2]\r\nkernelCommandLine=\"a\\\r\nb\r\nswap=0\r\n",
	  "wsl2.kernelCommandLine", "x", 1, "[wsl2]\r\nkernelCommandLine=x\r\nswap=0\r\n" },
	/* A bare CR ends a value WSL reads but not a line it drops: what follows it would
	 * become a line of its own, so the repair is refused (regress-dropped-bare-cr). */
	{ "dropped value, bare CR", "[wsl2]\nmemory=\"6GB\rjunk\nswap=0\n", "wsl2.memory", "3GB",
	  -1, "[wsl2]\nmemory=\"6GB\rjunk\nswap=0\n" },
	/* A bad escape ends WSL's reading at the line end, '\\' before it or not. */
	{ "bad escape, then '\\' at the line end", "[wsl2]\nkernel=C:\\x\\\nswap=0\n",
	  "wsl2.kernel", "C:\\k", 1, "[wsl2]\nkernel=C:\\\\k\nswap=0\n" },
};

static void test_edit_over_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(line_edits) / sizeof(line_edits[0]); i++) {
		const struct edit_case *c = &line_edits[i];
		struct wslconfig *cfg = load_text("l.wslconfig", c->text);
		struct error err = { 0 };
		int rc = c->value ? wslconfig_set(cfg, c->key, c->value, &err)
				  : wslconfig_unset(cfg, c->key, &err);

		if (rc != c->rc || strcmp(cfg->text, c->want))
			fail_msg("%s: %d '%s', wanted %d '%s' (%s)", c->what, rc, cfg->text, c->rc,
				 c->want, err.message);
		wslconfig_free(cfg);
	}
}

static void test_merge(void **state)
{
	struct wslconfig *cfg = load_text("m.wslconfig", "[wsl2]\nswap=0\n");
	struct error err = { 0 };
	char frag[600], before[64];

	(void)state;
	snprintf(frag, sizeof(frag), "%s", write_tmp("frag.wslconfig",
		 "[wsl2]\nmemory=8GB\nvirtiofs=true\n", 32));
	assert_int_equal(wslconfig_merge(cfg, frag, 0, &err), 2);
	assert_string_equal(cfg->text, "[wsl2]\nswap=0\nmemory=8GB\nvirtiofs=true\n");
	/* All or nothing: one bad value leaves the text as it was. */
	snprintf(before, sizeof(before), "%s", cfg->text);
	snprintf(frag, sizeof(frag), "%s", write_tmp("frag2.wslconfig",
		 "[wsl2]\nswap=1GB\nmemory=lots\n", 28));
	assert_int_equal(wslconfig_merge(cfg, frag, 0, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
	assert_non_null(strstr(err.message, "frag2.wslconfig:3"));
	assert_string_equal(cfg->text, before);
	wslconfig_free(cfg);
}

/* Random files made of the grammar's pieces: an edit either succeeds and WSL reads it
 * back, or is refused with the text untouched; set+unset of an absent key is a no-op. */
static void test_random_files(void **state)
{
	static const char *const tok[] = {
		"[wsl2]", "[WSL2]", "[experimental]", "[wsl-2]", "[]", "[w]x", "memory=4GB",
		"swap=0", "Swap = \"1GB\"", "kernel=C:\\x", "kernel=C:\\\\x", "# c", "; c", "\"",
		"\\", " ", "\t", "\r", "\n", "\r\n", "\r\n", "\n", "=", "a", "#", "k=\"v", "x=a\\",
		"processors=2 # two", "\xc3\xa9", "foo_bar=1", "networkingMode=nat",
	};
	const char *env = getenv("WSLCTL_FUZZ_ITERATIONS");
	int iterations = env ? atoi(env) : 4000;
	unsigned seed = env && getenv("WSLCTL_FUZZ_SEED") ? (unsigned)atoi(getenv("WSLCTL_FUZZ_SEED"))
							   : 20261125;
	char text[2048];

	(void)state;
	for (int iter = 0; iter < iterations; iter++) {
		struct wslconfig *cfg;
		struct error err = { 0 };
		struct wslconfig_value v;
		const struct wslconfig_diag *d;
		size_t len = 0, olen;
		char *orig;
		bool had;
		int n, r;

		seed = seed * 1103515245 + 12345;
		n = (int)(seed >> 16) % 24;
		text[0] = '\0';
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s",
						tok[(seed >> 16) % (sizeof(tok) / sizeof(tok[0]))]);
		}
		cfg = mem_cfg(text);
		wslconfig_validate(cfg, NULL, &d);
		orig = strdup(cfg->text);
		olen = cfg->len;
		had = false;
		for (size_t i = 0; i < cfg->nent; i++)
			had |= wslconfig_entry_is(cfg, &cfg->ent[i], wslkeys_lookup(WSLCONF_WSLCONFIG,
					"wsl2.swap"), "wsl2.swap");
		r = wslconfig_set(cfg, "wsl2.swap", "512MB", &err);
		if (r < 0) {
			if (strcmp(cfg->text, orig))
				fail_msg("refused set changed the text of '%s'", orig);
		} else {
			if (wslconfig_get(cfg, "wsl2.swap", &v) != 1 || strcmp(v.text, "512MB"))
				fail_msg("set did not read back in '%s' -> '%s'", orig, cfg->text);
			r = wslconfig_unset(cfg, "wsl2.swap", &err);
			if (r < 0 && strcmp(err.message, ""))
				fail_msg("unset after set failed on '%s' (from '%s'): %s", cfg->text, orig,
					 err.message);
			if (wslconfig_get(cfg, "wsl2.swap", &v))
				fail_msg("unset left wsl2.swap in '%s'", cfg->text);
			if (!had && section_exists_before_stop(orig) &&
			    (cfg->len != olen || memcmp(cfg->text, orig, olen)))
				fail_msg("set+unset of an absent key changed '%s' into '%s'", orig, cfg->text);
		}
		free(orig);
		wslconfig_free(cfg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar_rules),
		cmocka_unit_test(test_notices),
		cmocka_unit_test(test_kernel_not_found),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_wslconf_stops),
		cmocka_unit_test(test_wslconf_crlf_lines),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_parse_out_of_memory),
		cmocka_unit_test(test_set_escapes_and_quotes),
		cmocka_unit_test(test_set_out_of_memory),
		cmocka_unit_test(test_set_targets),
		cmocka_unit_test(test_edit_over_lines),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_round_trip_fixtures),
		cmocka_unit_test(test_edit_confined_fixtures),
		cmocka_unit_test(test_random_files),
	};
	char cmd[600];
	int rc;

	if (!mkdtemp(tmpdir))
		return 1;
	rc = cmocka_run_group_tests_name("wslconfig", tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
