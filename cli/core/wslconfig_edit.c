// SPDX-License-Identifier: MIT
/*
 * The .wslconfig engine, writing side: every edit splices bytes into the text
 * (the value's span, one new line, or whole lines removed), the text is parsed
 * again, and the edit is kept only if WSL would now read the key as asked and
 * every other key exactly as before.
 */
#include "wslconfig_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "safefile.h"
#include "strbuf.h"
#include "winpath.h"

/* Replaces text[start, end) with INS and parses again. */
static int splice(struct wslconfig *cfg, size_t start, size_t end, const char *ins,
		  size_t inslen, struct error *err)
{
	size_t n = cfg->len - (end - start) + inslen;
	char *t = malloc(n + 1);

	if (!t)
		return error_set(err, ERR_IO, "out of memory");
	memcpy(t, cfg->text, start);
	memcpy(t + start, ins, inslen);
	memcpy(t + start + inslen, cfg->text + end, cfg->len - end);
	t[n] = '\0';
	free(cfg->text);
	cfg->text = t;
	cfg->len = n;
	return wslconfig_parse(cfg, err);
}

/* Puts back a text saved before an edit that had to be refused. */
static void restore(struct wslconfig *cfg, char *saved, size_t len)
{
	struct error ignored = { 0 };

	free(cfg->text);
	cfg->text = saved;
	cfg->len = len;
	wslconfig_parse(cfg, &ignored);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

/*
 * A fingerprint per entry that is not KEY: name, value and how WSL treats it.
 * An edit must leave this sequence exactly as it was.
 */
static uint64_t *fingerprint(const struct wslconfig *cfg, const struct wslkey *k,
			     const char *key, size_t *n)
{
	uint64_t *fp = malloc((cfg->nent + 1) * sizeof(*fp));

	*n = 0;
	if (!fp)
		return NULL;
	for (size_t i = 0; i < cfg->nent; i++) {
		const struct entry *e = &cfg->ent[i];
		unsigned char flags = (unsigned char)(e->dropped | e->ignored << 1 |
						      (e->first == (int)i) << 2 | e->valid << 3);
		uint64_t h = 1469598103934665603ull;

		if (wslconfig_entry_is(cfg, e, k, key))
			continue;
		h = fnv(h, e->name, strlen(e->name) + 1);
		if (e->value)
			h = fnv(h, e->value, e->value_len);
		fp[(*n)++] = fnv(h, &flags, 1);
	}
	return fp;
}

static bool same_fingerprint(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	return a && b && na == nb && !memcmp(a, b, na * sizeof(*a));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * A fingerprint per grammar warning WSL gives, sorted: its code and key, not its message
 * ("found end of file" rightly becomes "found end of line" when a line is added after).
 */
static uint64_t *warning_prints(const struct wslconfig *cfg, size_t *n)
{
	uint64_t *wp = malloc((cfg->ngd + 1) * sizeof(*wp));

	*n = 0;
	if (!wp)
		return NULL;
	for (size_t i = 0; i < cfg->ngd; i++) {
		const struct gdiag *g = &cfg->gd[i];
		uint64_t h = fnv(1469598103934665603ull, g->code, strlen(g->code) + 1);

		wp[(*n)++] = g->key ? fnv(h, g->key, strlen(g->key)) : h;
	}
	qsort(wp, *n, sizeof(*wp), cmp_u64);
	return wp;
}

/*
 * Every warning in A is in B (as often): an edit may end a warning (a dropped line
 * repaired) but never start one, such as text WSL skipped with a dropped line that the
 * repair turns into a line of its own.
 */
static bool warnings_within(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t j = 0;

	if (!a || !b)
		return false;
	for (size_t i = 0; i < na; i++, j++) {
		while (j < nb && b[j] < a[i])
			j++;
		if (j == nb || b[j] != a[i])
			return false;
	}
	return true;
}

/* WSL's key grammar: section and name are a letter then letters and digits. */
static bool key_syntax_ok(const char *key)
{
	const char *dot = strchr(key, '.');
	const char *parts[2] = { key, dot ? dot + 1 : NULL };

	if (!dot || strchr(dot + 1, '.'))
		return false;
	for (int i = 0; i < 2; i++) {
		const char *p = parts[i];

		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return false;
		for (p++; *p && *p != '.'; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9')))
				return false;
	}
	return true;
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* VALUE written so that WSL reads it back unchanged. */
static int escape_value(const char *v, struct strbuf *o, struct error *err)
{
	size_t n = strlen(v);
	bool quote = strchr(v, '#') || (n && (v[0] == ' ' || v[n - 1] == ' '));

	if (quote)
		strbuf_add(o, "\"", 1);
	for (const char *p = v; *p; p++) {
		switch (*p) {
		case '\\': strbuf_add(o, "\\\\", 2); break;
		case '"': strbuf_add(o, "\\\"", 2); break;
		case '\n': strbuf_add(o, "\\n", 2); break;
		case '\t': strbuf_add(o, "\\t", 2); break;
		case '\b': strbuf_add(o, "\\b", 2); break;
		case '\r':
			return error_set(err, ERR_INVALID_VALUE,
					 "a carriage return cannot be written in a WSL config value");
		default: strbuf_add(o, p, 1); break;
		}
	}
	if (quote)
		strbuf_add(o, "\"", 1);
	return o->oom ? error_set(err, ERR_IO, "out of memory") : 0;
}

/* What WSL reads from RAW written after "key=": parses it as a one-line file. */
static int decode_raw(const struct wslconfig *cfg, const char *raw, char **out,
		      struct error *err)
{
	struct wslconfig tmp = { .kind = cfg->kind, .path = cfg->path, .lock_fd = -1 };
	int rc = 0;

	if (strpbrk(raw, "\r\n"))
		return error_set(err, ERR_INVALID_VALUE,
				 "--raw text cannot hold a line break (write \\n for one)");
	tmp.len = strlen(raw) + 2;
	tmp.text = malloc(tmp.len + 1);
	if (!tmp.text)
		return error_set(err, ERR_IO, "out of memory");
	snprintf(tmp.text, tmp.len + 1, "k=%s", raw);
	if (wslconfig_parse(&tmp, err) < 0) {
		rc = -1;
	} else if (tmp.nent != 1 || tmp.ent[0].dropped) {
		rc = error_set(err, ERR_INVALID_VALUE, "WSL would drop the line with this --raw "
			       "value: %s", tmp.ngd ? tmp.gd[0].message : "it does not parse");
	} else {
		*out = strdup(tmp.ent[0].value);
		if (!*out)
			rc = error_set(err, ERR_IO, "out of memory");
	}
	for (size_t i = 0; i < tmp.nent; i++) {
		free(tmp.ent[i].name);
		free(tmp.ent[i].value);
	}
	for (size_t i = 0; i < tmp.ngd; i++) {
		free(tmp.gd[i].key);
		free(tmp.gd[i].message);
	}
	for (size_t i = 0; i < tmp.nctx; i++)
		free(tmp.ctx[i].s);
	free(tmp.ent);
	free(tmp.gd);
	free(tmp.it);
	free(tmp.ctx);
	free(tmp.text);
	return rc;
}

/* Notes KEY's change; -1 (nothing noted) when memory ran out. */
static int record(struct wslconfig *cfg, const char *key, const char *old, const char *new_value)
{
	char *nv = new_value ? strdup(new_value) : NULL, *k, *ov;
	struct wslconfig_change *c;

	if (new_value && !nv)
		return -1;
	/* A key changed twice in one run reports its first old and its last new value. */
	for (size_t i = 0; i < cfg->nchg; i++)
		if (!strcasecmp(cfg->chg[i].key, key)) {
			free(cfg->chg[i].new_value);
			cfg->chg[i].new_value = nv;
			return 0;
		}
	c = wslconfig_grow(cfg->chg, &cfg->cap_chg, cfg->nchg, sizeof(*cfg->chg));
	k = strdup(key);
	ov = old ? strdup(old) : NULL;
	if (c)
		cfg->chg = c;
	if (!c || !k || (old && !ov)) {
		free(nv);
		free(k);
		free(ov);
		return -1;
	}
	cfg->chg[cfg->nchg++] = (struct wslconfig_change){ k, ov, nv };
	return 0;
}

/* What an edit of one key may need to take back: the text before it, the key's old
 * value and how WSL read the other keys. */
struct snapshot {
	char *text, *old;
	size_t len, nfp, nwp;
	uint64_t *fp, *wp;     /* fingerprints of the other keys and of the warnings */
};

static int snapshot_take(struct wslconfig *cfg, const struct wslkey *canon, const char *dotted,
			 int used, struct snapshot *s, struct error *err)
{
	s->len = cfg->len;
	s->old = used >= 0 ? strdup(cfg->ent[used].value) : NULL;
	s->text = malloc(cfg->len + 1);
	s->fp = fingerprint(cfg, canon, dotted, &s->nfp);
	s->wp = warning_prints(cfg, &s->nwp);
	if (!s->text || !s->fp || !s->wp || (used >= 0 && !s->old))
		return error_set(err, ERR_IO, "out of memory");
	memcpy(s->text, cfg->text, cfg->len + 1);
	return 0;
}

/* Ends the edit of DOTTED: recorded when OK, else the text before it is back. 1 or -1. */
static int snapshot_end(struct wslconfig *cfg, struct snapshot *s, bool ok, const char *dotted,
			const char *new_value, struct error *err)
{
	if (ok && record(cfg, dotted, s->old, new_value) < 0) {
		error_set(err, ERR_IO, "out of memory");
		ok = false;
	}
	if (ok)
		free(s->text);
	else
		restore(cfg, s->text, s->len);
	s->text = NULL;
	return ok ? 1 : -1;
}

static void snapshot_free(struct snapshot *s)
{
	free(s->text);
	free(s->old);
	free(s->fp);
	free(s->wp);
}

size_t wslconfig_changes(const struct wslconfig *cfg, const struct wslconfig_change **out)
{
	*out = cfg->chg;
	return cfg->nchg;
}

/* OLD (as WSL read it) already means NEW: same text, or the same typed value. */
static bool reads_as(const struct wslconfig *cfg, const struct wslkey *k, const char *old,
		     const char *new_value)
{
	json_t *a, *b;
	bool same;

	if (!strcmp(old, new_value))
		return true;
	if (!k || (k->type != KT_BOOL && k->type != KT_INT && k->type != KT_SIZE &&
		   k->type != KT_ENUM))
		return false;
	a = wslkeys_effective(cfg->kind, k, old);
	b = wslkeys_effective(cfg->kind, k, new_value);
	same = a && b && !json_is_null(a) && json_equal(a, b);
	json_decref(a);
	json_decref(b);
	return same;
}

/* Where a new key of SECTION goes: after the last non-blank line of the first region
 * WSL files under SECTION. (size_t)-1 when there is none. */
static size_t insertion_point(const struct wslconfig *cfg, const char *section)
{
	size_t last = (size_t)-1;
	bool started = false;

	for (size_t i = 0; i < cfg->nit; i++) {
		const struct item *it = &cfg->it[i];
		bool m = wslconfig_ctx_is(cfg, it->ctx, section);

		if (!started) {
			if (m) {
				started = true;
				last = it->end;
			}
			continue;
		}
		if (!m)
			break;
		if (it->kind != IT_BLANK)
			last = it->end;
	}
	if (last == (size_t)-1)
		return last;
	/* To the end of that physical line (WSL may have stopped at a CR before the LF). */
	if (last > 0 && cfg->text[last - 1] != '\n') {
		while (last < cfg->len && cfg->text[last] != '\n')
			last++;
		if (last < cfg->len)
			last++;
	}
	return last;
}

/* Sections in this file are set apart by blank lines. */
static bool blank_between_sections(const struct wslconfig *cfg)
{
	for (size_t i = 1; i < cfg->nit; i++)
		if (cfg->it[i].kind == IT_HEADER && cfg->it[i - 1].kind == IT_BLANK)
			return true;
	return false;
}

static int add_line(struct wslconfig *cfg, const char *section, const char *name,
		    const char *escaped, struct error *err)
{
	const char *eol = wslconfig_eol(cfg);
	bool no_final_eol = cfg->len > 0 && cfg->text[cfg->len - 1] != '\n';
	size_t at = insertion_point(cfg, section);
	struct strbuf b = { 0 };
	int rc;

	/* After a last line ending in a bare CR, "\r\n" is what unset takes away again. */
	if (no_final_eol && cfg->text[cfg->len - 1] == '\r')
		eol = "\r\n";
	/*
	 * A last line ending in '\' without a line end: a line end after it would make
	 * WSL continue that line into ours, so ours goes in front of it.
	 */
	if (at == cfg->len && no_final_eol && cfg->text[cfg->len - 1] == '\\') {
		while (at > 0 && cfg->text[at - 1] != '\n')
			at--;
		no_final_eol = false;
	}

	if (at != (size_t)-1) {
		if (at == cfg->len && no_final_eol)
			strbuf_printf(&b, "%s%s=%s", eol, name, escaped);
		else
			strbuf_printf(&b, "%s=%s%s", name, escaped, eol);
	} else {
		at = cfg->len;
		if (no_final_eol)
			strbuf_str(&b, eol);
		if (cfg->len > 0 && cfg->nit && cfg->it[cfg->nit - 1].kind != IT_BLANK &&
		    blank_between_sections(cfg))
			strbuf_str(&b, eol);
		strbuf_printf(&b, "[%s]%s%s=%s%s", section, eol, name, escaped,
			      no_final_eol ? "" : eol);
	}
	rc = b.oom ? error_set(err, ERR_IO, "out of memory") : splice(cfg, at, at, b.s, b.len, err);
	strbuf_free(&b);
	return rc;
}

/* A dropped line (bad escape, open quote) that names the key, before the one WSL uses. */
static int dropped_before(const struct wslconfig *cfg, const struct wslkey *k, const char *key,
			  int used)
{
	size_t lim = used < 0 ? cfg->nent : (size_t)used;

	for (size_t i = 0; i < lim; i++)
		if (cfg->ent[i].dropped && !cfg->ent[i].ignored &&
		    wslconfig_entry_is(cfg, &cfg->ent[i], k, key))
			return (int)i;
	return -1;
}

static int to_windows_path(struct wslconfig *cfg, const struct wslkey *k, const char *value,
			   char *buf, size_t n, struct error *err)
{
	unsigned fl = 0;

	if (!strcasecmp(k->name, "kernel") || !strcasecmp(k->name, "kernelModules"))
		fl = WINPATH_DRIVE_ONLY;
	if (winpath_to_windows(cfg->root, value, fl, buf, n, err) == 0)
		return 0;
	if (value[0] != '/')
		return error_wrap(err, "%s.%s: the relative path '%s' has no Windows form (WSL "
				  "reads only absolute Windows paths)", k->section, k->name, value);
	return error_wrap(err, "%s.%s", k->section, k->name);
}

static int check_value(struct wslconfig *cfg, const struct wslkey *k, const char *value,
		       struct error *err)
{
	struct wslkey_problem p[8];
	char *m;
	int np;

	if (!k)
		return 0;
	m = textenc_wsl_mangle(value, strlen(value));
	if (!m)
		return error_set(err, ERR_IO, "out of memory");
	np = wslkeys_check(cfg->kind, k, m, p, 8);
	free(m);
	if (np > 0)
		/* The rule's message names the key and the value already. */
		return error_set(err, ERR_INVALID_VALUE, "%s; nothing was written", p[0].message);
	return 0;
}

/* KEY is one WSL can read, and one it knows unless FORCE. */
static int check_key(const struct wslconfig *cfg, const char *key, const struct wslkey *k,
		     unsigned flags, struct error *err)
{
	char sug[256];

	if (!key_syntax_ok(key))
		return error_set(err, ERR_USAGE, "'%s' is not a key WSL can read: write "
				 "section.name, letters and digits only (e.g. wsl2.memory)", key);
	if (k || (flags & WSLCONFIG_FORCE))
		return 0;
	if (wslkeys_suggest(cfg->kind, key, sug, sizeof(sug)))
		return error_set(err, ERR_UNKNOWN_KEY, "unknown key '%s'; did you mean '%s'? "
				 "(--force writes it anyway)", key, sug);
	return error_set(err, ERR_UNKNOWN_KEY, "unknown key '%s': WSL would ignore it "
			 "(--force writes it anyway)", key);
}

/*
 * The name a key is written under: its current spelling when WSL knows it (CANON, into
 * BUF: the tables' names are short), else KEY itself, whatever its length.
 */
static const char *dotted_name(const struct wslkey *canon, const char *key, char *buf, size_t n)
{
	return canon ? wslkeys_dotted(canon, buf, n) : key;
}

int wslconfig_key_arg(const char *key, struct error *err)
{
	size_t n = strlen(key);

	if (n <= WSLCONFIG_KEY_ARG_MAX)
		return 0;
	return error_set(err, ERR_USAGE, "the key '%.40s...' is %zu characters long: a key named "
			 "on the command line is at most %d characters (section.name); edit "
			 "longer names in the file itself", key, n, WSLCONFIG_KEY_ARG_MAX);
}

/* A value to set: the text written after "key=" and what WSL reads from it. */
struct newval {
	const char *text;
	char *decoded;
	struct strbuf esc;     /* text, unless --raw gave it as is */
	char winbuf[WINPATH_MAX];
};

/*
 * VALUE as set writes it (escaped, or as given with --raw; a Linux path for a path key
 * as its Windows path) and as WSL reads it back, which must pass the key's rule.
 */
static int new_value(struct wslconfig *cfg, const struct wslkey *k, const struct wslkey *canon,
		     const char *dotted, const char *value, unsigned flags, struct newval *nv,
		     struct error *err)
{
	/* WSL reads paths as absolute Windows paths: a Linux path, or a relative one (from
	 * here), becomes its Windows form, or is refused when it has none. */
	if (k && k->type == KT_PATH && value[0] && !winpath_is_windows_abs(value) &&
	    !(flags & WSLCONFIG_RAW)) {
		if (to_windows_path(cfg, canon, value, nv->winbuf, sizeof(nv->winbuf), err) < 0)
			return -1;
		value = nv->winbuf;
	}
	if (flags & WSLCONFIG_RAW) {
		if (decode_raw(cfg, value, &nv->decoded, err) < 0)
			return -1;
		nv->text = value;
	} else {
		if (escape_value(value, &nv->esc, err) < 0)
			return -1;
		nv->decoded = strdup(value);
		nv->text = nv->esc.s ? nv->esc.s : "";
	}
	if (!nv->decoded)
		return error_set(err, ERR_IO, "out of memory");
	if (has_non_ascii(nv->decoded) && !(flags & WSLCONFIG_FORCE))
		return error_set(err, ERR_INVALID_VALUE, "%s: the value has non-ASCII characters, "
				 "which WSL cuts to one byte each (--force writes it anyway)",
				 dotted);
	return check_value(cfg, canon ? k : NULL, nv->decoded, err);
}

/* TEXT as the value of DOTTED: over entry TARGET's value, or a new line in its section. */
static int write_value(struct wslconfig *cfg, const char *dotted, const char *text, int target,
		       struct error *err)
{
	const char *dot = strchr(dotted, '.');
	char *sect;
	int rc;

	if (target >= 0)
		return splice(cfg, cfg->ent[target].val_start, cfg->ent[target].val_end, text,
			      strlen(text), err);
	/* DOTTED passed key_syntax_ok: it has its dot. The section is copied whole. */
	sect = strndup(dotted, (size_t)(dot - dotted));
	if (!sect)
		return error_set(err, ERR_IO, "out of memory");
	rc = add_line(cfg, sect, dot + 1, text, err);
	free(sect);
	return rc;
}

/* 1 when WSL reads every key but DOTTED as in SNAP and warns about nothing new, 0 when
 * not, -1 when memory ran out (ERR). */
static int others_unchanged(const struct wslconfig *cfg, const struct wslkey *canon,
			    const char *dotted, const struct snapshot *snap, struct error *err)
{
	size_t n = 0, nw = 0;
	uint64_t *fp = fingerprint(cfg, canon, dotted, &n);
	uint64_t *wp = warning_prints(cfg, &nw);
	int same = fp && wp ? same_fingerprint(snap->fp, snap->nfp, fp, n) &&
				      warnings_within(wp, nw, snap->wp, snap->nwp)
			    : error_set(err, ERR_IO, "out of memory");

	free(fp);
	free(wp);
	return same;
}

/* After the write: WSL reads DOTTED as DECODED, and every other line as in SNAP. */
static int check_written(struct wslconfig *cfg, const struct wslkey *canon, const char *dotted,
			 const char *decoded, const struct snapshot *snap, struct error *err)
{
	int used = wslconfig_find(cfg, canon, dotted);
	int same = others_unchanged(cfg, canon, dotted, snap, err);

	if (same < 0)
		return -1;
	if (used < 0 || strcmp(cfg->ent[used].value, decoded)) {
		if (cfg->stop_line)
			return error_set(err, ERR_INVALID_FILE, "%s:%d: WSL stops reading this "
					 "file at this line, so it would never see %s: fix that "
					 "line first (nothing was written)", cfg->path,
					 cfg->stop_line, dotted);
		return error_set(err, ERR_INVALID_FILE, "%s: cannot write %s so that WSL reads "
				 "it back (nothing was written)", cfg->path, dotted);
	}
	if (!same)
		return error_set(err, ERR_INVALID_FILE, "%s:%d: writing %s here would change how "
				 "WSL reads other lines (nothing was written); edit this file by "
				 "hand", cfg->path, cfg->ent[used].line, dotted);
	return 0;
}

int wslconfig_set_ex(struct wslconfig *cfg, const char *key, const char *value,
		     unsigned flags, struct error *err)
{
	const struct wslkey *k = wslkeys_lookup(cfg->kind, key);
	const struct wslkey *canon = k ? wslkeys_canonical(cfg->kind, k) : NULL;
	struct snapshot snap = { 0 };
	struct newval nv = { 0 };
	char buf[128];
	const char *dotted;
	int used, fix, rc = -1;

	if (check_key(cfg, key, k, flags, err) < 0)
		return -1;
	dotted = dotted_name(canon, key, buf, sizeof(buf));
	if (new_value(cfg, k, canon, dotted, value, flags, &nv, err) < 0)
		goto out;
	used = wslconfig_find(cfg, canon, dotted);
	fix = dropped_before(cfg, canon, dotted, used);
	/* Nothing to do when WSL already reads it so, unless a dropped line names it first. */
	if (used >= 0 && fix < 0 && (!k || cfg->ent[used].valid) &&
	    reads_as(cfg, canon, cfg->ent[used].value, nv.decoded)) {
		rc = 0;
		goto out;
	}
	if (snapshot_take(cfg, canon, dotted, used, &snap, err) < 0)
		goto out;
	rc = write_value(cfg, dotted, nv.text, fix >= 0 ? fix : used, err);
	if (rc >= 0)
		rc = check_written(cfg, canon, dotted, nv.decoded, &snap, err);
	rc = snapshot_end(cfg, &snap, rc >= 0, dotted, nv.decoded, err);
out:
	snapshot_free(&snap);
	strbuf_free(&nv.esc);
	free(nv.decoded);
	return rc;
}

int wslconfig_set(struct wslconfig *cfg, const char *key, const char *value, struct error *err)
{
	return wslconfig_set_ex(cfg, key, value, 0, err);
}

/* The lines WSL read for entry E, terminator and trailing comment included: [*start, *end). */
static void entry_lines(const struct wslconfig *cfg, const struct entry *e, size_t *start,
			size_t *end)
{
	size_t t = e->end;

	if (t > 0 && cfg->text[t - 1] == '#') {
		while (t < cfg->len && cfg->text[t] != '\n')
			t++;
		if (t < cfg->len)
			t++;
	} else if (t > 0 && cfg->text[t - 1] == '\r' && t < cfg->len && cfg->text[t] == '\n') {
		t++;
	}
	*start = e->line_start;
	*end = t;
}

int wslconfig_unset(struct wslconfig *cfg, const char *key, struct error *err)
{
	const struct wslkey *k = wslkeys_lookup(cfg->kind, key);
	const struct wslkey *canon = k ? wslkeys_canonical(cfg->kind, k) : NULL;
	struct snapshot snap = { 0 };
	char buf[128];
	const char *dotted;
	int any = 0, rc = -1;

	if (!key_syntax_ok(key))
		return error_set(err, ERR_USAGE, "'%s' is not a key WSL can read: write "
				 "section.name (e.g. wsl2.memory)", key);
	dotted = dotted_name(canon, key, buf, sizeof(buf));
	for (size_t i = 0; i < cfg->nent; i++)
		if (wslconfig_entry_is(cfg, &cfg->ent[i], canon, dotted))
			any = 1;
	if (!any)
		return 0;
	if (snapshot_take(cfg, canon, dotted, wslconfig_find(cfg, canon, dotted), &snap, err) < 0)
		goto out;
	/* From the last occurrence back, so earlier offsets stay true. */
	for (;;) {
		size_t s, e, i;

		for (i = cfg->nent; i > 0; i--)
			if (wslconfig_entry_is(cfg, &cfg->ent[i - 1], canon, dotted))
				break;
		if (i == 0)
			break;
		entry_lines(cfg, &cfg->ent[i - 1], &s, &e);
		/* The last line had no newline: take the one before it, so none appears. */
		if (e == cfg->len && (e == 0 || cfg->text[e - 1] != '\n') && s > 0) {
			s--;
			if (cfg->text[s] == '\n' && s > 0 && cfg->text[s - 1] == '\r')
				s--;
		}
		if (splice(cfg, s, e, "", 0, err) < 0)
			goto end;
	}
	rc = others_unchanged(cfg, canon, dotted, &snap, err);
	if (rc == 0)
		rc = error_set(err, ERR_INVALID_FILE, "%s: removing %s would change how WSL reads "
			       "other lines (nothing was written); edit this file by hand",
			       cfg->path, dotted);
end:
	rc = snapshot_end(cfg, &snap, rc >= 0, dotted, NULL, err);
out:
	snapshot_free(&snap);
	return rc;
}

int wslconfig_merge(struct wslconfig *cfg, const char *file, unsigned flags, struct error *err)
{
	struct wslconfig *frag;
	size_t saved_len = cfg->len, nchg = cfg->nchg;
	char *saved = malloc(cfg->len + 1);
	int changed = 0;

	if (!saved)
		return error_set(err, ERR_IO, "out of memory");
	memcpy(saved, cfg->text, cfg->len + 1);
	if (wslconfig_load(file, &frag, err) < 0) {
		free(saved);
		return -1;
	}
	/* The fragment is read with the rules of the file it goes into. */
	if (frag->kind != cfg->kind) {
		frag->kind = cfg->kind;
		if (wslconfig_parse(frag, err) < 0)
			goto fail;
	}
	/* A fragment must say plainly what it sets: WSL's warnings in it are refusals. */
	for (size_t i = 0; i < frag->ngd; i++) {
		error_set(err, ERR_INVALID_FILE, "%s:%d: %s (nothing was merged)", file,
			  frag->gd[i].line, frag->gd[i].message);
		goto fail;
	}
	for (size_t i = 0; i < frag->nent; i++) {
		const struct entry *e = &frag->ent[i];
		char buf[128];
		int r;

		if (!e->in_section) {
			error_set(err, ERR_INVALID_FILE, "%s:%d: '%s' comes before any [section] "
				  "(nothing was merged)", file, e->line, e->name);
			goto fail;
		}
		if (e->canon && e->first != (int)i)
			continue;
		r = wslconfig_set_ex(cfg, dotted_name(e->canon, e->name, buf, sizeof(buf)), e->value,
				     flags & WSLCONFIG_FORCE, err);
		if (r < 0) {
			error_wrap(err, "%s:%d", file, e->line);
			goto fail;
		}
		changed += r;
	}
	wslconfig_free(frag);
	free(saved);
	return changed;
fail:
	wslconfig_free(frag);
	restore(cfg, saved, saved_len);
	while (cfg->nchg > nchg) {
		struct wslconfig_change *c = &cfg->chg[--cfg->nchg];

		free(c->key);
		free(c->old_value);
		free(c->new_value);
	}
	return -1;
}

int wslconfig_commit(struct wslconfig *cfg, bool dry_run, struct error *err)
{
	char *bytes;
	size_t n;
	int rc;

	if (cfg->len == cfg->orig_len && !memcmp(cfg->text, cfg->orig, cfg->len))
		return 0;
	/* A dry run fails where the real one would: a folder it cannot write in. */
	if (dry_run)
		return safefile_writable(cfg->target, err) < 0 ? -1 : 1;
	if (cfg->lock_err.code) {
		*err = cfg->lock_err;
		return -1;
	}
	if (textenc_encode(cfg->enc, cfg->text, cfg->len, &bytes, &n, err) < 0)
		return error_wrap(err, "%s", cfg->path);
	rc = safefile_replace(cfg->target, bytes, n, 0644, err);
	free(bytes);
	if (rc < 0)
		return -1;
	free(cfg->orig);
	cfg->orig = malloc(cfg->len + 1);
	if (cfg->orig)
		memcpy(cfg->orig, cfg->text, cfg->len + 1);
	cfg->orig_len = cfg->orig ? cfg->len : 0;
	cfg->exists = true;
	return 1;
}
