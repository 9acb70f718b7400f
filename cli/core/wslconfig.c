// SPDX-License-Identifier: MIT
/*
 * The .wslconfig engine, reading side: decodes the file and parses it the way
 * WSL's own parser (src/shared/configfile in microsoft/WSL) does, character by
 * character, quirks included, remembering the byte span of every key, value
 * and line so that the editor can splice. See shared WSL-FACTS.md.
 */
#include "wslconfig_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "safefile.h"

#define END (-1)

struct rd {
	struct wslconfig *cfg;
	const char *b;
	size_t n, pos, last;  /* last: where the character just read began */
	bool text_mode;       /* .wslconfig is opened in Windows text mode: CRLF reads as LF */
	bool eof;
	char *key;            /* WSL's one buffer for section and key names */
	size_t klen, kcap;
	size_t seclen;        /* length of the section part of key */
	int line;
	int ctx;
	bool stopped;         /* wsl.conf: WSL has stopped reading */
	bool oom;
};

void *wslconfig_grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(arr, ncap * size);
	if (!p)
		return NULL;
	*cap = ncap;
	return p;
}

static int rd_get(struct rd *r)
{
	unsigned char c;

	r->last = r->pos;
	if (r->pos >= r->n) {
		r->eof = true;
		return END;
	}
	c = (unsigned char)r->b[r->pos++];
	if (c == '\r' && r->text_mode && r->pos < r->n && r->b[r->pos] == '\n') {
		r->pos++;
		return '\n';
	}
	return c;
}

/* Only ever called for a character that was one byte. */
static void rd_unget(struct rd *r, int c)
{
	if (c != END)
		r->pos--;
}

static bool is_hspace(int c)
{
	return c == ' ' || c == '\t';
}

/* WSL calls isalpha()/isalnum() in the C locale on UTF-16 units: ASCII only. */
static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* On failure the buffer stays as it was and oom is set. */
static void key_reserve(struct rd *r, size_t n)
{
	size_t cap = r->kcap;
	char *p;

	if (n + 1 <= cap)
		return;
	while (cap < n + 1)
		cap = cap ? cap * 2 : 64;
	p = realloc(r->key, cap);
	if (!p) {
		r->oom = true;
		return;
	}
	r->key = p;
	r->kcap = cap;
}

static void key_push(struct rd *r, int c)
{
	key_reserve(r, r->klen + 1);
	if (r->oom)
		return;
	r->key[r->klen++] = (char)c;
	r->key[r->klen] = '\0';
}

/* std::string::resize: cut, or pad with NUL bytes. */
static void key_resize(struct rd *r, size_t n)
{
	key_reserve(r, n);
	if (r->oom)
		return;
	if (n > r->klen)
		memset(r->key + r->klen, 0, n - r->klen);
	r->klen = n;
	r->key[n] = '\0';
}

/* The section keys now belong to: the key buffer cut or padded to seclen. */
static void new_ctx(struct rd *r)
{
	struct wslconfig *cfg = r->cfg;
	struct ctxname *ctx;
	char *s;

	if (r->oom)
		return;
	if (r->seclen == 0) {
		r->ctx = -1;
		return;
	}
	s = calloc(1, r->seclen + 1);
	ctx = wslconfig_grow(cfg->ctx, &cfg->cap_ctx, cfg->nctx, sizeof(*cfg->ctx));
	if (!s || !ctx) {
		free(s);
		r->oom = true;
		return;
	}
	cfg->ctx = ctx;
	memcpy(s, r->key, r->klen < r->seclen ? r->klen : r->seclen);
	cfg->ctx[cfg->nctx] = (struct ctxname){ s, r->seclen };
	r->ctx = (int)cfg->nctx++;
}

/* Where a broken header sends the keys after it, in words. */
static const char *where_keys_go(const struct rd *r, char *buf, size_t n)
{
	const struct ctxname *c = r->ctx >= 0 ? &r->cfg->ctx[r->ctx] : NULL;

	if (!c)
		snprintf(buf, n, "the keys after it belong to no section");
	else if (strlen(c->s) != c->len)
		snprintf(buf, n, "keeps only '%s' padded with NUL bytes as the section name: "
			 "every key after it is unknown", c->s);
	else
		snprintf(buf, n, "files the keys after it under '%s' (its first %zu characters)",
			 c->s, c->len);
	return buf;
}

bool wslconfig_ctx_is(const struct wslconfig *cfg, int ctx, const char *section)
{
	if (ctx < 0)
		return false;
	/* A name padded with NULs hides the dot: its keys can match nothing. */
	return strlen(cfg->ctx[ctx].s) == cfg->ctx[ctx].len && !strcasecmp(cfg->ctx[ctx].s, section);
}

static void add_item(struct rd *r, size_t start, enum item_kind kind)
{
	struct wslconfig *cfg = r->cfg;
	struct item *it = wslconfig_grow(cfg->it, &cfg->cap_it, cfg->nit, sizeof(*cfg->it));

	if (!it) {
		r->oom = true;
		return;
	}
	cfg->it = it;
	cfg->it[cfg->nit++] = (struct item){ .start = start, .end = r->pos, .ctx = r->ctx,
					     .kind = kind, .after_stop = r->stopped };
}

static void gdiag(struct rd *r, const char *code, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void gdiag(struct rd *r, const char *code, const char *key, const char *fmt, ...)
{
	struct wslconfig *cfg = r->cfg;
	struct gdiag *gd;
	char msg[512];
	va_list ap;

	if (r->oom)
		return;
	gd = wslconfig_grow(cfg->gd, &cfg->cap_gd, cfg->ngd, sizeof(*cfg->gd));
	if (!gd) {
		r->oom = true;
		return;
	}
	cfg->gd = gd;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg->gd[cfg->ngd++] = (struct gdiag){ .line = r->line, .code = code,
					      .key = key ? strdup(key) : NULL,
					      .message = strdup(msg), .after_stop = r->stopped };
}

static struct entry *add_entry(struct rd *r, size_t start)
{
	struct wslconfig *cfg = r->cfg;
	struct entry *ent = wslconfig_grow(cfg->ent, &cfg->cap_ent, cfg->nent, sizeof(*ent));
	struct entry *e;

	if (!ent) {
		r->oom = true;
		return NULL;
	}
	cfg->ent = ent;
	e = &cfg->ent[cfg->nent++];
	*e = (struct entry){ .name = strdup(r->key), .line = r->line, .start = start,
			     .in_section = r->seclen > 0, .ignored = r->stopped, .first = -1 };
	if (!e->name)
		r->oom = true;
	return e;
}

/* The value span of a line WSL dropped: up to an unquoted '#', blanks trimmed. */
static size_t dropped_value_end(const char *b, size_t from, size_t to)
{
	bool q = false;
	size_t i = from, end = from;

	while (i < to && b[i] != '\n' && b[i] != '\r') {
		if (b[i] == '#' && !q)
			break;
		if (b[i] == '"')
			q = !q;
		if (b[i] == '\\' && i + 1 < to && b[i + 1] != '\n' && b[i + 1] != '\r')
			i++;
		i++;
		if (!is_hspace((unsigned char)b[i - 1]))
			end = i;
	}
	return end;
}

static const char *show_char(int c, char *buf)
{
	if (c == END)
		return "end of file";
	if (c == '\n' || c == '\r')
		return "end of line";
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "0x%02x", c);
	return buf;
}

static void free_parse(struct wslconfig *cfg)
{
	for (size_t i = 0; i < cfg->nent; i++) {
		free(cfg->ent[i].name);
		free(cfg->ent[i].value);
	}
	for (size_t i = 0; i < cfg->ngd; i++) {
		free(cfg->gd[i].key);
		free(cfg->gd[i].message);
	}
	for (size_t i = 0; i < cfg->nctx; i++)
		free(cfg->ctx[i].s);
	cfg->nent = cfg->ngd = cfg->nit = cfg->nctx = 0;
	cfg->stop_line = 0;
}

/* On failure the value stays as it was and oom is set. */
static void vpush(struct rd *r, char **v, size_t *len, size_t *cap, int c)
{
	char *p = wslconfig_grow(*v, cap, *len, 1);

	if (!p) {
		r->oom = true;
		return;
	}
	*v = p;
	(*v)[(*len)++] = (char)c;
}

/* Key semantics: which occurrence WSL uses and whether its value passes. */
static void resolve(struct wslconfig *cfg)
{
	const struct wslkey *table = wslkeys_table(cfg->kind);
	size_t ntab = 0;
	int *first;

	while (table[ntab].name)
		ntab++;
	first = malloc((ntab + 1) * sizeof(*first));
	if (!first)
		return;
	for (size_t i = 0; i < ntab; i++)
		first[i] = -1;
	for (size_t i = 0; i < cfg->nent; i++) {
		struct entry *e = &cfg->ent[i];
		size_t t;

		if (e->dropped)
			continue;
		e->k = wslkeys_lookup(cfg->kind, e->name);
		e->canon = e->k ? wslkeys_canonical(cfg->kind, e->k) : NULL;
		if (!e->canon || e->ignored)
			continue;
		t = (size_t)(e->canon - table);
		if (t >= ntab)
			continue;
		if (first[t] < 0) {
			struct wslkey_problem p[4];
			char *m = textenc_wsl_mangle(e->value, e->value_len);

			first[t] = (int)i;
			e->valid = m && wslkeys_check(cfg->kind, e->k, m, p, 4) == 0;
			free(m);
		}
		e->first = first[t];
	}
	free(first);
}

int wslconfig_parse(struct wslconfig *cfg, struct error *err)
{
	struct rd r = { .cfg = cfg, .b = cfg->text, .n = cfg->len, .ctx = -1,
			.text_mode = cfg->kind == WSLCONF_WSLCONFIG };
	char *val = NULL, cb[8], wb[160];
	size_t vlen = 0, vcap = 0, trimmed = 0, trim_end = 0, val_start = 0, kstart = 0;
	size_t item_start = 0, cur_item = (size_t)-1;
	enum item_kind bad_kind = IT_CONTENT;
	bool trailing = false, quoted = false, dropped = false, stopped_before;
	char esc = 0;
	int ch = 0, c2;

	free_parse(cfg);
	key_reserve(&r, 64);
	if (r.oom)
		return error_set(err, ERR_IO, "%s: out of memory", cfg->path);
	r.key[0] = '\0';

next_line:
	if (!trailing)
		r.line++;
	for (;;) {
		if (r.oom)
			goto done;
		if (ch == '#') {
			size_t cstart = item_start;

			do {
				ch = rd_get(&r);
				if (ch == '\r')
					ch = rd_get(&r);
				if (ch == '\n')
					r.line++;
			} while (ch != '\n' && ch != END);
			if (trailing) {
				if (cur_item < cfg->nit)
					cfg->it[cur_item].end = r.pos;
				trailing = false;
			} else {
				add_item(&r, cstart, IT_CONTENT);
			}
		}
		if (r.eof)
			goto done;
		item_start = r.pos;
		while (is_hspace(ch = rd_get(&r)))
			;
		switch (ch) {
		case END:
			break;
		case '\r':
			/* A bare CR: CRLF (wsl.conf) ends a line, anything else follows on. */
			c2 = rd_get(&r);
			if (c2 == '\n')
				r.line++;
			else
				rd_unget(&r, c2);
			add_item(&r, item_start, IT_BLANK);
			break;
		case '\n':
			r.line++;
			add_item(&r, item_start, IT_BLANK);
			break;
		case '#':
			break;
		case '[':
			goto section;
		default:
			if (!is_alpha(ch)) {
				if (ch == ';')
					gdiag(&r, "invalid-key", NULL,
					      "';' does not start a comment in WSL's files, only '#' "
					      "does: WSL skips this line");
				else if (ch == 0xef && r.last == 0)
					gdiag(&r, "invalid-key", NULL,
					      "the file starts with a UTF-8 byte order mark, which WSL "
					      "does not skip here: save it without BOM");
				else
					gdiag(&r, "invalid-key", NULL,
					      "expected a key name (a letter) at the start of the line, "
					      "found %s: WSL skips this line", show_char(ch, cb));
				bad_kind = IT_CONTENT;
				goto invalid;
			}
			goto keyvalue;
		}
	}

section:
	ch = rd_get(&r);
	if (!is_alpha(ch)) {
		gdiag(&r, "invalid-section", NULL,
		      "a section name must start with a letter, found %s: WSL skips this line "
		      "and keys after it stay in the previous section", show_char(ch, cb));
		bad_kind = IT_CONTENT;
		goto invalid;
	}
	r.klen = 0;
	do {
		key_push(&r, ch);
		ch = rd_get(&r);
	} while (is_alnum(ch));
	if (ch != ']') {
		new_ctx(&r);
		gdiag(&r, "expected-bracket", NULL,
		      "expected ']' after '[%s', found %s: section names are letters and digits "
		      "only; WSL skips this line and %s", r.key, show_char(ch, cb),
		      where_keys_go(&r, wb, sizeof(wb)));
		bad_kind = IT_HEADER;
		goto invalid;
	}
	while (is_hspace(ch = rd_get(&r)))
		;
	if (ch != END && ch != '\n' && ch != '\r' && ch != '#') {
		new_ctx(&r);
		gdiag(&r, "expected-eol", NULL,
		      "expected ' ' or newline after '[%s]', found %s: WSL skips this line (a "
		      "comment needs '#') and %s", r.key, show_char(ch, cb),
		      where_keys_go(&r, wb, sizeof(wb)));
		bad_kind = IT_HEADER;
		goto invalid;
	}
	trailing = ch == '#';
	r.seclen = r.klen;
	new_ctx(&r);
	add_item(&r, item_start, IT_HEADER);
	cur_item = cfg->nit - 1;
	goto next_line;

keyvalue:
	kstart = r.last;
	key_resize(&r, r.seclen);
	if (r.klen)
		key_push(&r, '.');
	do {
		key_push(&r, ch);
		ch = rd_get(&r);
	} while (is_alnum(ch));
	if (r.oom)
		goto done;
	while (is_hspace(ch))
		ch = rd_get(&r);
	if (ch != '=') {
		gdiag(&r, "expected-equals", NULL,
		      "expected '=' after '%s', found %s: key names are letters and digits only; "
		      "WSL skips this line", r.key + (r.seclen ? r.seclen + 1 : 0),
		      show_char(ch, cb));
		bad_kind = IT_CONTENT;
		goto invalid;
	}
	while (is_hspace(ch = rd_get(&r)))
		;
	val_start = r.last;
	trim_end = val_start;
	vlen = trimmed = 0;
	quoted = false;
	esc = 0;
	while (ch != END && ch != '\n' && ch != '\r') {
		switch (ch) {
		case '"':
			quoted = !quoted;
			break;
		case '\\':
			c2 = rd_get(&r);
			switch (c2) {
			case '\\':
			case '"':
				vpush(&r, &val, &vlen, &vcap, c2);
				break;
			case 'b':
			case 'n':
			case 't':
				vpush(&r, &val, &vlen, &vcap, c2 == 'b' ? '\b' : c2 == 'n' ? '\n' : '\t');
				if (!esc)
					esc = (char)c2;
				break;
			case '\n':
				r.line++;
				break;
			default:
				gdiag(&r, "invalid-escape", r.key,
				      "invalid escaped character '\\%s' in the value of '%s': WSL drops "
				      "the whole line (write '\\\\' for a backslash, or use '/')",
				      c2 == END ? "" : c2 == '\r' ? "\\r" : (snprintf(cb, 8, "%c", c2), cb),
				      r.key);
				dropped = true;
				bad_kind = IT_CONTENT;
				goto invalid;
			}
			break;
		case '#':
			/* Unquoted it starts a comment; quoted it is text. */
			if (!quoted) {
				trailing = true;
				goto value_done;
			}
			/* fall through */
		default:
			vpush(&r, &val, &vlen, &vcap, ch);
			break;
		}
		if (r.oom)
			goto done;
		if (!is_hspace(ch)) {
			trimmed = vlen;
			trim_end = r.pos;
		}
		ch = rd_get(&r);
	}
value_done:
	if (quoted) {
		gdiag(&r, "unclosed-quote", r.key,
		      "expected '\"': the value of '%s' opens a quote it never closes; WSL drops "
		      "the whole line", r.key);
		dropped = true;
		bad_kind = IT_CONTENT;
		goto invalid;
	}
	{
		struct entry *e = add_entry(&r, kstart);

		if (e) {
			e->line_start = item_start;
			e->val_start = val_start;
			e->val_end = trim_end;
			e->end = r.pos;
			e->value = malloc(trimmed + 1);
			if (!e->value) {
				r.oom = true;
			} else {
				if (trimmed)
					memcpy(e->value, val, trimmed);
				e->value[trimmed] = '\0';
			}
			e->value_len = trimmed;
			e->has_escape = esc != 0;
			e->esc_char = esc;
		}
	}
	add_item(&r, item_start, IT_CONTENT);
	cur_item = cfg->nit - 1;
	goto next_line;

invalid:
	stopped_before = r.stopped;
	if (cfg->kind == WSLCONF_WSLCONF && !r.stopped) {
		r.stopped = true;
		cfg->stop_line = r.line;
	}
	while (ch != END && ch != '\n')
		ch = rd_get(&r);
	if (dropped) {
		struct entry *e = add_entry(&r, kstart);

		if (e) {
			e->line_start = item_start;
			e->dropped = true;
			e->ignored = stopped_before;
			e->val_start = val_start;
			e->val_end = dropped_value_end(cfg->text, val_start, r.pos);
			e->end = r.pos;
		}
		dropped = false;
	}
	add_item(&r, item_start, bad_kind);
	goto next_line;

done:
	free(val);
	free(r.key);
	if (r.oom)
		return error_set(err, ERR_IO, "%s: out of memory", cfg->path);
	resolve(cfg);
	return 0;
}

bool wslconfig_entry_is(const struct wslconfig *cfg, const struct entry *e,
			const struct wslkey *k, const char *dotted)
{
	if (k) {
		/* Lines WSL dropped were never looked up while parsing. */
		const struct wslkey *ek = e->dropped ? wslkeys_lookup(cfg->kind, e->name) : e->k;

		return ek && wslkeys_canonical(cfg->kind, ek) == wslkeys_canonical(cfg->kind, k);
	}
	return !strcasecmp(e->name, dotted);
}

int wslconfig_find(const struct wslconfig *cfg, const struct wslkey *k, const char *dotted)
{
	for (size_t i = 0; i < cfg->nent; i++) {
		const struct entry *e = &cfg->ent[i];

		if (!e->dropped && !e->ignored && wslconfig_entry_is(cfg, e, k, dotted))
			return (int)i;
	}
	return -1;
}

const char *wslconfig_eol(const struct wslconfig *cfg)
{
	size_t crlf = 0, lf = 0;

	for (size_t i = 0; i < cfg->len; i++)
		if (cfg->text[i] == '\n') {
			if (i > 0 && cfg->text[i - 1] == '\r')
				crlf++;
			else
				lf++;
		}
	if (crlf == 0 && lf == 0)
		return cfg->kind == WSLCONF_WSLCONF ? "\n" : "\r\n";
	return crlf >= lf ? "\r\n" : "\n";
}

static int load(const char *path, bool lock, struct wslconfig **out, struct error *err)
{
	struct wslconfig *cfg = calloc(1, sizeof(*cfg));
	char *raw = NULL;
	size_t rawlen;

	*out = NULL;
	if (!cfg)
		return error_set(err, ERR_IO, "out of memory");
	cfg->lock_fd = -1;
	cfg->root = "/";
	cfg->path = strdup(path);
	cfg->kind = wslkeys_kind_for_path(path);
	cfg->enc = cfg->kind == WSLCONF_WSLCONF ? TEXTENC_RAW : TEXTENC_UTF8;
	if (!cfg->path || safefile_target(path, &cfg->target, err) < 0)
		goto fail;
	if (lock) {
		size_t n = strlen(cfg->target) + 6;

		cfg->lock_path = malloc(n);
		if (!cfg->lock_path)
			goto fail;
		snprintf(cfg->lock_path, n, "%s.lock", cfg->target);
		cfg->lock_fd = safefile_lock(cfg->lock_path, 10000, err);
		if (cfg->lock_fd < 0)
			goto fail;
		safefile_clean_stale(cfg->target);
	}
	if (safefile_read(cfg->target, &raw, &rawlen, &cfg->exists, err) < 0)
		goto fail;
	if (textenc_decode(path, raw, rawlen, &cfg->enc, &cfg->orig, &cfg->orig_len, err) < 0)
		goto fail;
	free(raw);
	raw = NULL;
	cfg->text = malloc(cfg->orig_len + 1);
	if (!cfg->text)
		goto fail;
	memcpy(cfg->text, cfg->orig, cfg->orig_len + 1);
	cfg->len = cfg->orig_len;
	if (wslconfig_parse(cfg, err) < 0)
		goto fail;
	*out = cfg;
	return 0;
fail:
	free(raw);
	if (!err->code)
		error_set(err, ERR_IO, "out of memory");
	wslconfig_free(cfg);
	return -1;
}

int wslconfig_load(const char *path, struct wslconfig **out, struct error *err)
{
	return load(path, false, out, err);
}

int wslconfig_edit_begin(const char *path, struct wslconfig **out, struct error *err)
{
	return load(path, true, out, err);
}

void wslconfig_free(struct wslconfig *cfg)
{
	if (!cfg)
		return;
	free_parse(cfg);
	safefile_unlock(cfg->lock_fd, cfg->lock_path);
	free(cfg->lock_path);
	for (size_t i = 0; i < cfg->nchg; i++) {
		free(cfg->chg[i].key);
		free(cfg->chg[i].old_value);
		free(cfg->chg[i].new_value);
	}
	for (size_t i = 0; i < cfg->ndiag; i++) {
		free(cfg->diag[i].key);
		free(cfg->diag[i].message);
	}
	free(cfg->chg);
	free(cfg->diag);
	free(cfg->ent);
	free(cfg->gd);
	free(cfg->it);
	free(cfg->ctx);
	free(cfg->path);
	free(cfg->target);
	free(cfg->orig);
	free(cfg->text);
	free(cfg);
}

void wslconfig_set_root(struct wslconfig *cfg, const char *root)
{
	cfg->root = root;
}

const char *wslconfig_path(const struct wslconfig *cfg)
{
	return cfg->path;
}

bool wslconfig_exists(const struct wslconfig *cfg)
{
	return cfg->exists;
}

int wslconfig_is_wslconf(const struct wslconfig *cfg)
{
	return cfg->kind == WSLCONF_WSLCONF;
}

int wslconfig_get(const struct wslconfig *cfg, const char *key, struct wslconfig_value *v)
{
	const struct wslkey *k = wslkeys_lookup(cfg->kind, key);
	int i = wslconfig_find(cfg, k, key);

	if (i < 0)
		return 0;
	v->text = cfg->ent[i].value;
	v->line = cfg->ent[i].line;
	v->valid = k ? cfg->ent[i].valid : true;
	return 1;
}

bool wslconfig_get_bool(const struct wslconfig *cfg, const char *key)
{
	const struct wslkey *k = wslkeys_lookup(cfg->kind, key);
	struct wslconfig_value v;
	json_t *j;
	bool r;

	if (!k)
		return false;
	j = wslkeys_effective(cfg->kind, k,
			      wslconfig_get(cfg, key, &v) == 1 && v.valid ? v.text : NULL);
	r = json_is_true(j);
	json_decref(j);
	return r;
}

void wslconfig_foreach(const struct wslconfig *cfg,
		       void (*fn)(void *ud, const char *dotted, const struct wslconfig_value *v,
				  const void *k),
		       void *ud)
{
	for (size_t i = 0; i < cfg->nent; i++) {
		const struct entry *e = &cfg->ent[i];
		struct wslconfig_value v = { e->value, e->line, e->valid };
		char name[256];

		if (e->dropped || e->ignored || (e->canon && e->first != (int)i))
			continue;
		if (e->canon)
			wslkeys_dotted(e->canon, name, sizeof(name));
		else
			snprintf(name, sizeof(name), "%s", e->name);
		if (!e->canon)
			v.valid = false;
		fn(ud, name, &v, e->canon);
	}
}
