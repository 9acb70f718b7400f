// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the .wslconfig engine on any bytes.
 * The first input byte picks the file kind (.wslconfig or wsl.conf) and the key edited;
 * the rest is the file. Properties (abort on violation, so libFuzzer saves the input):
 *  - load never crashes; decoding then encoding gives back the same bytes;
 *  - an unmodified document has nothing to commit;
 *  - setting a key changes only one line as WSL reads it (or adds lines at one place)
 *    and no other key reads differently: the bytes that differ are part of the key's old
 *    value, and a line break among them is one that WSL's continuation ('\' before the
 *    line end) made part of that value; WSL warns about nothing it did not before;
 *  - set then unset of a key absent from an existing section restores the bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "textenc.h"
#include "wslconfig.h"
#include "wslconfig_int.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "property failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

struct edit { const char *key, *section, *value; unsigned flags; };
static const struct edit edits[] = {
	{ "wsl2.memory", "wsl2", "3GB", 0 },
	{ "wsl2.kernelCommandLine", "wsl2", "quiet a=\"b c\"", 0 },
	{ "experimental.autoMemoryReclaim", "experimental", "gradual", 0 },
	{ "wsl2.swapFile", "wsl2", "C:\\Temp\\swap.vhdx", 0 },
	{ "fuzz.key1", "fuzz", "v#;x", WSLCONFIG_FORCE },
	{ "wsl2.nestedVirtualization", "wsl2", "false", 0 },
	{ "automount.enabled", "automount", "false", 0 },  /* wsl.conf */
	{ "boot.command", "boot", "echo hi", 0 },          /* wsl.conf */
};

/* Every key WSL reads and its value, as one string, to compare before and after. */
struct snap { struct strbuf sb; const char *skip; };

static void snap_add(struct snap *sn, const char *s)
{
	CHECK(strbuf_add(&sn->sb, s, strlen(s) + 1) == 0);
}

static void snap_fn(void *ud, const char *dotted, const struct wslconfig_value *v,
		    const void *k)
{
	struct snap *sn = ud;

	if (!strcasecmp(dotted, sn->skip))
		return;
	snap_add(sn, dotted);
	snap_add(sn, v->text ? v->text : "(null)");
}

static char *snapshot(struct wslconfig *cfg, const char *skip, size_t *len)
{
	struct snap sn = { .skip = skip };

	snap_add(&sn, "");
	wslconfig_foreach(cfg, snap_fn, &sn);
	*len = sn.sb.len;
	return sn.sb.s;
}

static bool section_exists(const struct wslconfig *cfg, const char *section)
{
	for (size_t i = 0; i < cfg->nit; i++)
		if (cfg->it[i].kind == IT_HEADER && cfg->it[i].ctx >= 0 &&
		    wslconfig_ctx_is(cfg, cfg->it[i].ctx, section))
			return true;
	return false;
}

static bool key_present(const struct wslconfig *cfg, const char *key)
{
	const struct wslkey *k = wslkeys_lookup(cfg->kind, key);
	const struct wslkey *canon = k ? wslkeys_canonical(cfg->kind, k) : NULL;

	for (size_t i = 0; i < cfg->nent; i++)
		if (wslconfig_entry_is(cfg, &cfg->ent[i], canon, key))
			return true;
	return false;
}

/* The value spans [start, end) of every line that names KEY, as pairs into SPANS. */
static size_t value_spans(const struct wslconfig *cfg, const char *key, size_t *spans)
{
	const struct wslkey *k = wslkeys_lookup(cfg->kind, key);
	const struct wslkey *canon = k ? wslkeys_canonical(cfg->kind, k) : NULL;
	size_t n = 0;

	for (size_t i = 0; i < cfg->nent; i++)
		if (wslconfig_entry_is(cfg, &cfg->ent[i], canon, key)) {
			spans[n++] = cfg->ent[i].val_start;
			spans[n++] = cfg->ent[i].val_end;
		}
	return n;
}

/* Every line break in T[from, to) is a continuation: an unescaped '\\' before it (and
 * in .wslconfig, which WSL reads in text mode, a CR between them). */
static bool breaks_are_continuations(const char *t, size_t from, size_t to, bool text_mode)
{
	for (size_t i = from; i < to; i++) {
		size_t j = i, run = 0;

		if (t[i] != '\n')
			continue;
		if (text_mode && j > 0 && t[j - 1] == '\r')
			j--;
		while (j > 0 && t[j - 1] == '\\') {
			j--;
			run++;
		}
		if (run % 2 == 0)
			return false;
	}
	return true;
}

/*
 * Every grammar warning CFG has now was in BEFORE (N of them, "code key"): an edit may
 * clear one (a dropped line repaired), never add one. Matched ones are cleared in BEFORE.
 * Not the message: "found end of file" may rightly become "found end of line".
 */
static bool no_new_warnings(const struct wslconfig *cfg, char **before, size_t n)
{
	for (size_t i = 0; i < cfg->ngd; i++) {
		size_t j = 0;

		char w[256];

		snprintf(w, sizeof(w), "%s %s", cfg->gd[i].code, cfg->gd[i].key ? cfg->gd[i].key : "");
		while (j < n && (!before[j] || strcmp(before[j], w)))
			j++;
		if (j == n)
			return false;
		free(before[j]);
		before[j] = NULL;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir;
	char path[128];
	struct wslconfig *cfg = NULL;
	struct error err = { 0 };
	const struct edit *ed;
	char *before, *after, *enc = NULL, *dec = NULL, **warnings;
	size_t nb, na, enc_len, dec_len, p = 0, s = 0, suf = 0, *spans, nspans, nwarn;
	enum textenc te;
	bool wslconf;
	FILE *f;

	if (size < 1)
		return 0;
	dir = fuzz_scratch("wslconfig");
	wslconf = data[0] & 0x80;
	ed = &edits[(data[0] & 0x7f) % (sizeof(edits) / sizeof(edits[0]))];
	data++;
	size--;
	snprintf(path, sizeof(path), "%s/%s", dir, wslconf ? "wsl.conf" : ".wslconfig");
	f = fopen(path, "wb");
	CHECK(f);
	CHECK(fwrite(data, 1, size, f) == size || size == 0);
	CHECK(fclose(f) == 0);

	/* Decoding then encoding is the identity on every file WSL reads. */
	te = wslconf ? TEXTENC_RAW : TEXTENC_UTF8;
	if (textenc_decode(path, (const char *)data, size, &te, &dec, &dec_len, &err) == 0) {
		CHECK(textenc_encode(te, dec, dec_len, &enc, &enc_len, &err) == 0);
		CHECK(enc_len == size && !memcmp(enc, data, size));
	}
	free(enc);
	free(dec);

	memset(&err, 0, sizeof(err));
	if (wslconfig_load(path, &cfg, &err) < 0)
		goto out;
	CHECK(wslconfig_commit(cfg, true, &err) == 0);
	{
		const struct wslconfig_diag *d;

		wslconfig_validate(cfg, dir, &d);
	}

	bool absent = !key_present(cfg, ed->key);
	bool in_section = section_exists(cfg, ed->section);
	size_t old_len = cfg->len;
	char *old = malloc(old_len + 1);

	CHECK(old);
	memcpy(old, cfg->text, old_len + 1);
	spans = malloc((2 * cfg->nent + 1) * sizeof(*spans));
	CHECK(spans);
	nspans = value_spans(cfg, ed->key, spans);
	nwarn = cfg->ngd;
	warnings = malloc((nwarn + 1) * sizeof(*warnings));
	CHECK(warnings);
	for (size_t i = 0; i < nwarn; i++) {
		char w[256];

		snprintf(w, sizeof(w), "%s %s", cfg->gd[i].code, cfg->gd[i].key ? cfg->gd[i].key : "");
		CHECK((warnings[i] = strdup(w)));
	}
	before = snapshot(cfg, ed->key, &nb);
	memset(&err, 0, sizeof(err));
	int rc = wslconfig_set_ex(cfg, ed->key, ed->value, ed->flags, &err);

	if (rc <= 0) {
		/* Refused or no change: the text is untouched. */
		CHECK(cfg->len == old_len && !memcmp(cfg->text, old, old_len));
	} else {
		/*
		 * What changed lies within one line of the old text as WSL reads it: lines
		 * added at one place (the smallest span that differs is empty in the old
		 * text), or the key's old value replaced, all else kept. A value continued by
		 * '\\' before the line end spans several lines of the file: setting it replaces
		 * all of it (a part kept would stay in the value, or become a line of its own).
		 */
		while (p < old_len && p < cfg->len && old[p] == cfg->text[p])
			p++;
		while (s < old_len - p && s < cfg->len - p &&
		       old[old_len - 1 - s] == cfg->text[cfg->len - 1 - s])
			s++;
		while (suf < old_len && suf < cfg->len &&
		       old[old_len - 1 - suf] == cfg->text[cfg->len - 1 - suf])
			suf++;
		bool in_value = old_len - p - s == 0;

		/* Not p and s: the first difference may lie past the value ("3GB =3GB " set
		 * to "3GB" differs first at '=', after the kept prefix "3GB "). */
		for (size_t i = 0; i < nspans && !in_value; i += 2)
			in_value = p >= spans[i] && suf >= old_len - spans[i + 1] &&
				   spans[i] + old_len - spans[i + 1] <= cfg->len &&
				   breaks_are_continuations(old, spans[i], spans[i + 1], !wslconf);
		CHECK(in_value);
		after = snapshot(cfg, ed->key, &na);
		CHECK(na == nb && !memcmp(before, after, nb));
		CHECK(no_new_warnings(cfg, warnings, nwarn));
		free(after);
		struct wslconfig_value v;

		CHECK(wslconfig_get(cfg, ed->key, &v) == 1);
		if (absent && in_section) {
			memset(&err, 0, sizeof(err));
			CHECK(wslconfig_unset(cfg, ed->key, &err) == 1);
			CHECK(cfg->len == old_len && !memcmp(cfg->text, old, old_len));
			CHECK(wslconfig_commit(cfg, true, &err) == 0);
		}
	}
	free(before);
	for (size_t i = 0; i < nwarn; i++)
		free(warnings[i]);
	free(warnings);
	free(spans);
	free(old);
out:
	wslconfig_free(cfg);
	unlink(path);
	return 0;
}
