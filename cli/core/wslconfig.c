// SPDX-License-Identifier: MIT
/*
 * The .wslconfig engine, reading side: decodes the file and parses it the way
 * WSL's own parser (src/shared/configfile in microsoft/WSL) does, character by
 * character, quirks included, remembering the byte span of every key, value
 * and line so that the editor can splice. See docs/wslconfig.md.
 */
#include "wslconfig_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filelock.h"
#include "safefile.h"
#include "strbuf.h"

#define END (-1)

/*
 * The reader: WSL's parser walked one character at a time. ch is the character it
 * stands on; a line is read by the function for what its first character starts
 * (read_line), each leaving ch on what ended its part of the line.
 */
struct rd {
	struct wslconfig *cfg;
	const char *b;
	size_t n, pos, last;  /* last: where the character just read began */
	bool text_mode;       /* .wslconfig is opened in Windows text mode: CRLF reads as LF */
	bool eof;
	int ch;
	struct strbuf key;    /* WSL's one buffer for section and key names */
	size_t seclen;        /* length of the section part of key */
	struct strbuf val;    /* the value being read, decoded (the buffer serves every line) */
	int line;
	int ctx;
	size_t item_start;    /* where the line being read began, its leading blanks included */
	size_t cur_item;      /* the item of the header or key line a trailing comment ends */
	bool trailing;        /* a '#' ended a header or value: its comment ends that line */
	bool stopped;         /* wsl.conf: WSL has stopped reading */
	bool oom;
};

/* A key line being read: the spans the editor splices, and the value as WSL decodes it. */
struct kv {
	size_t kstart;        /* first byte of the key name */
	size_t val_start;     /* first byte of the value (the blanks after '=' skipped) */
	size_t val_end;       /* after its last byte that is not an unquoted blank */
	size_t len;           /* decoded length, unquoted trailing blanks trimmed */
	bool quoted;
	char esc;             /* the first \b, \n or \t: the value is not what was typed */
};

void *wslconfig_grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return NULL;
	p = realloc(arr, ncap * size);
	if (!p)
		return NULL;
	*cap = ncap;
	return p;
}

char *wslconfig_vfmt(const char *fmt, va_list ap)
{
	va_list again;
	char *s;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
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

/* One byte onto the key or value buffer; on failure it stays as it was and oom is set. */
static void push(struct rd *r, struct strbuf *b, int c)
{
	char ch = (char)c;

	if (strbuf_add(b, &ch, 1) < 0)
		r->oom = true;
}

/* std::string::resize: cut, or pad with NUL bytes. */
static void key_resize(struct rd *r, size_t n)
{
	while (r->key.len < n && !r->oom)
		push(r, &r->key, '\0');
	strbuf_cut(&r->key, n);
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
	/* A grown array is ours even when the name failed (the old block is gone). */
	if (ctx)
		cfg->ctx = ctx;
	if (!s || !ctx) {
		free(s);
		r->oom = true;
		return;
	}
	memcpy(s, r->key.s, r->key.len < r->seclen ? r->key.len : r->seclen);
	cfg->ctx[cfg->nctx] = (struct ctxname){ s, r->seclen };
	r->ctx = (int)cfg->nctx++;
}

/* Where a broken header sends the keys after it, in words (into B, the name whole). */
static const char *where_keys_go(struct rd *r, struct strbuf *b)
{
	const struct ctxname *c = r->ctx >= 0 ? &r->cfg->ctx[r->ctx] : NULL;

	if (!c)
		strbuf_str(b, "the keys after it belong to no section");
	else if (strlen(c->s) != c->len)
		strbuf_printf(b, "keeps only '%s' padded with NUL bytes as the section name: "
			      "every key after it is unknown", c->s);
	else
		strbuf_printf(b, "files the keys after it under '%s' (its first %zu characters)",
			      c->s, c->len);
	if (b->oom)
		r->oom = true;
	return b->s ? b->s : "";
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

/* A grammar warning. MSG (NULL: memory ran out) is taken over, freed on failure. */
static void add_gdiag(struct rd *r, const char *code, const char *key, char *msg)
{
	struct wslconfig *cfg = r->cfg;
	struct gdiag *gd = NULL;
	char *k = NULL;

	if (r->oom || !msg || (key && !(k = strdup(key))) ||
	    !(gd = wslconfig_grow(cfg->gd, &cfg->cap_gd, cfg->ngd, sizeof(*cfg->gd)))) {
		free(msg);
		free(k);
		r->oom = true;
		return;
	}
	cfg->gd = gd;
	cfg->gd[cfg->ngd++] = (struct gdiag){ .line = r->line, .code = code, .key = k,
					      .message = msg, .after_stop = r->stopped };
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
	*e = (struct entry){ .name = strdup(r->key.s), .line = r->line, .start = start,
			     .in_section = r->seclen > 0, .ignored = r->stopped, .first = -1 };
	if (!e->name)
		r->oom = true;
	return e;
}

/* The length of the line end at B[I] as WSL reads it: LF, or CR LF in text mode; else 0. */
static size_t line_end_len(const char *b, size_t i, size_t to, bool text_mode)
{
	if (i < to && b[i] == '\n')
		return 1;
	if (text_mode && i + 1 < to && b[i] == '\r' && b[i + 1] == '\n')
		return 2;
	return 0;
}

/*
 * The value span of a line WSL dropped, which it read up to TO: to an unquoted '#',
 * blanks trimmed. A '\\' before a line end WSL read past is a continuation: an open
 * quote can carry the dropped value over several lines of the file.
 */
static size_t dropped_value_end(const char *b, size_t from, size_t to, bool text_mode)
{
	bool q = false;
	size_t i = from, end = from;

	while (i < to && b[i] != '\n' && b[i] != '\r') {
		if (b[i] == '#' && !q)
			break;
		if (b[i] == '"')
			q = !q;
		if (b[i] == '\\' && i + 1 < to) {
			size_t n = line_end_len(b, i + 1, to, text_mode);

			if (!n && b[i + 1] != '\r')
				i++;
			else if (n && i + 1 + n < to)
				i += n;
		}
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

/* Key semantics: which occurrence WSL uses and whether its value passes. -1: out of memory. */
static int resolve(struct wslconfig *cfg)
{
	const struct wslkey *table = wslkeys_table(cfg->kind);
	size_t ntab = 0;
	int *first;

	while (table[ntab].name)
		ntab++;
	first = malloc((ntab + 1) * sizeof(*first));
	if (!first)
		return -1;
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

			if (!m) {
				free(first);
				return -1;
			}
			first[t] = (int)i;
			e->valid = wslkeys_check(cfg->kind, e->k, m, p, 4) == 0;
			free(m);
		}
		e->first = first[t];
	}
	free(first);
	return 0;
}

/*
 * A line WSL skips: the diagnostic, then on to the end of the line (a CR alone does not
 * end it). In wsl.conf the first such line ends WSL's reading of the file. DROPPED: the
 * key line WSL dropped, kept as an entry for the editor (NULL for any other line).
 */
static void invalid_line(struct rd *r, enum item_kind kind, const struct kv *dropped,
			 const char *code, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void invalid_line(struct rd *r, enum item_kind kind, const struct kv *dropped,
			 const char *code, const char *key, const char *fmt, ...)
{
	bool stopped_before = r->stopped;
	struct entry *e;
	va_list ap;

	va_start(ap, fmt);
	add_gdiag(r, code, key, wslconfig_vfmt(fmt, ap));
	va_end(ap);
	if (r->cfg->kind == WSLCONF_WSLCONF && !r->stopped) {
		r->stopped = true;
		r->cfg->stop_line = r->line;
	}
	while (r->ch != END && r->ch != '\n')
		r->ch = rd_get(r);
	if (dropped && (e = add_entry(r, dropped->kstart))) {
		e->line_start = r->item_start;
		e->dropped = true;
		e->ignored = stopped_before;
		e->val_start = dropped->val_start;
		e->val_end = dropped_value_end(r->b, dropped->val_start, r->pos, r->text_mode);
		e->end = r->pos;
	}
	add_item(r, r->item_start, kind);
}

/* '#' to the end of the line: its own item, or the end of the header or key line. */
static void read_comment(struct rd *r)
{
	do {
		r->ch = rd_get(r);
		if (r->ch == '\r')
			r->ch = rd_get(r);
		if (r->ch == '\n')
			r->line++;
	} while (r->ch != '\n' && r->ch != END);
	if (r->trailing) {
		if (r->cur_item < r->cfg->nit)
			r->cfg->it[r->cur_item].end = r->pos;
		r->trailing = false;
	} else {
		add_item(r, r->item_start, IT_CONTENT);
	}
}

/* A line of blanks. A bare CR: CRLF (wsl.conf) ends a line, anything else follows on. */
static void read_blank(struct rd *r)
{
	if (r->ch == '\r') {
		int c = rd_get(r);

		if (c == '\n')
			r->line++;
		else
			rd_unget(r, c);
	} else {
		r->line++;
	}
	add_item(r, r->item_start, IT_BLANK);
}

/* '[' name ']': a letter, then letters and digits; after it only blanks or a comment. */
static void read_section(struct rd *r)
{
	struct strbuf wb = { 0 };
	char cb[8];

	r->ch = rd_get(r);
	if (!is_alpha(r->ch)) {
		invalid_line(r, IT_CONTENT, NULL, "invalid-section", NULL,
			     "a section name must start with a letter, found %s: WSL skips this "
			     "line and keys after it stay in the previous section",
			     show_char(r->ch, cb));
		return;
	}
	strbuf_cut(&r->key, 0);
	do {
		push(r, &r->key, r->ch);
		r->ch = rd_get(r);
	} while (is_alnum(r->ch));
	if (r->ch != ']') {
		new_ctx(r);
		invalid_line(r, IT_HEADER, NULL, "expected-bracket", NULL,
			     "expected ']' after '[%s', found %s: section names are letters and "
			     "digits only; WSL skips this line and %s", r->key.s,
			     show_char(r->ch, cb), where_keys_go(r, &wb));
		strbuf_free(&wb);
		return;
	}
	while (is_hspace(r->ch = rd_get(r)))
		;
	if (r->ch != END && r->ch != '\n' && r->ch != '\r' && r->ch != '#') {
		new_ctx(r);
		invalid_line(r, IT_HEADER, NULL, "expected-eol", NULL,
			     "expected ' ' or newline after '[%s]', found %s: WSL skips this line "
			     "(a comment needs '#') and %s", r->key.s, show_char(r->ch, cb),
			     where_keys_go(r, &wb));
		strbuf_free(&wb);
		return;
	}
	r->trailing = r->ch == '#';
	r->seclen = r->key.len;
	new_ctx(r);
	add_item(r, r->item_start, IT_HEADER);
	r->cur_item = r->cfg->nit - 1;
}

/*
 * After a backslash in a value: \\ \" \b \n \t, or a line continuation. Any other
 * character makes WSL drop the line: false.
 */
static bool read_escape(struct rd *r, struct kv *v)
{
	int c = rd_get(r);
	char cb[8];

	switch (c) {
	case '\\':
	case '"':
		push(r, &r->val, c);
		return true;
	case 'b':
	case 'n':
	case 't':
		push(r, &r->val, c == 'b' ? '\b' : c == 'n' ? '\n' : '\t');
		if (!v->esc)
			v->esc = (char)c;
		return true;
	case '\n':
		r->line++;
		return true;
	}
	invalid_line(r, IT_CONTENT, v, "invalid-escape", r->key.s,
		     "invalid escaped character '\\%s' in the value of '%s': WSL drops the whole "
		     "line (write '\\\\' for a backslash, or use '/')",
		     c == END ? "" : c == '\r' ? "\\r" : (snprintf(cb, 8, "%c", c), cb), r->key.s);
	return false;
}

/*
 * The value, from ch to the end of the line or an unquoted '#' (a trailing comment).
 * Quotes toggle and are removed; unquoted blanks at the end are trimmed. False when
 * WSL drops the line (a bad escape, an unclosed quote) or memory ran out.
 */
static bool read_value(struct rd *r, struct kv *v)
{
	v->val_start = v->val_end = r->last;
	strbuf_cut(&r->val, 0);
	while (r->ch != END && r->ch != '\n' && r->ch != '\r') {
		if (r->ch == '"') {
			v->quoted = !v->quoted;
		} else if (r->ch == '\\') {
			if (!read_escape(r, v))
				return false;
		} else if (r->ch == '#' && !v->quoted) {
			r->trailing = true;
			break;
		} else {
			push(r, &r->val, r->ch);
		}
		if (r->oom)
			return false;
		if (!is_hspace(r->ch)) {
			v->len = r->val.len;
			v->val_end = r->pos;
		}
		r->ch = rd_get(r);
	}
	if (v->quoted) {
		invalid_line(r, IT_CONTENT, v, "unclosed-quote", r->key.s,
			     "expected '\"': the value of '%s' opens a quote it never closes; WSL "
			     "drops the whole line", r->key.s);
		return false;
	}
	return true;
}

/* The entry for a key line WSL read. */
static void add_value_entry(struct rd *r, const struct kv *v)
{
	struct entry *e = add_entry(r, v->kstart);

	if (!e)
		return;
	e->line_start = r->item_start;
	e->val_start = v->val_start;
	e->val_end = v->val_end;
	e->end = r->pos;
	e->value = malloc(v->len + 1);
	if (!e->value) {
		r->oom = true;
		return;
	}
	if (v->len)
		memcpy(e->value, r->val.s, v->len);
	e->value[v->len] = '\0';
	e->value_len = v->len;
	e->has_escape = v->esc != 0;
	e->esc_char = v->esc;
}

/* name = value: the name is letters and digits, filed under the section as "sec.name". */
static void read_keyvalue(struct rd *r)
{
	struct kv v = { .kstart = r->last };
	char cb[8];

	key_resize(r, r->seclen);
	if (r->key.len)
		push(r, &r->key, '.');
	do {
		push(r, &r->key, r->ch);
		r->ch = rd_get(r);
	} while (is_alnum(r->ch));
	if (r->oom)
		return;
	while (is_hspace(r->ch))
		r->ch = rd_get(r);
	if (r->ch != '=') {
		invalid_line(r, IT_CONTENT, NULL, "expected-equals", NULL,
			     "expected '=' after '%s', found %s: key names are letters and digits "
			     "only; WSL skips this line", r->key.s + (r->seclen ? r->seclen + 1 : 0),
			     show_char(r->ch, cb));
		return;
	}
	while (is_hspace(r->ch = rd_get(r)))
		;
	if (!read_value(r, &v))
		return;
	add_value_entry(r, &v);
	add_item(r, r->item_start, IT_CONTENT);
	r->cur_item = r->cfg->nit - 1;
}

/* A line that starts with something other than a letter, '[' or '#'. */
static void invalid_start(struct rd *r)
{
	char cb[8];

	if (r->ch == ';')
		invalid_line(r, IT_CONTENT, NULL, "invalid-key", NULL,
			     "';' does not start a comment in WSL's files, only '#' does: WSL "
			     "skips this line");
	else if (r->ch == 0xef && r->last == 0)
		invalid_line(r, IT_CONTENT, NULL, "invalid-key", NULL,
			     "the file starts with a UTF-8 byte order mark, which WSL does not "
			     "skip here: save it without BOM");
	else
		invalid_line(r, IT_CONTENT, NULL, "invalid-key", NULL,
			     "expected a key name (a letter) at the start of the line, found %s: "
			     "WSL skips this line", show_char(r->ch, cb));
}

/*
 * One line, by what its first character after blanks starts. A comment is read by
 * read_comment on the next turn and a blank line counts its own end; a header, key or
 * invalid line stops at the end of the line, counted here.
 */
static void read_line(struct rd *r)
{
	r->item_start = r->pos;
	while (is_hspace(r->ch = rd_get(r)))
		;
	switch (r->ch) {
	case END:
	case '#':
		return;
	case '\r':
	case '\n':
		read_blank(r);
		return;
	case '[':
		read_section(r);
		break;
	default:
		if (is_alpha(r->ch))
			read_keyvalue(r);
		else
			invalid_start(r);
		break;
	}
	/* A trailing comment counts the line when read_comment reaches its end. */
	if (!r->trailing)
		r->line++;
}

int wslconfig_parse(struct wslconfig *cfg, struct error *err)
{
	struct rd r = { .cfg = cfg, .b = cfg->text, .n = cfg->len, .ctx = -1, .line = 1,
			.cur_item = (size_t)-1, .text_mode = cfg->kind == WSLCONF_WSLCONFIG };

	free_parse(cfg);
	if (strbuf_add(&r.key, "", 0) < 0)
		r.oom = true;
	while (!r.oom) {
		if (r.ch == '#')
			read_comment(&r);
		if (r.eof)
			break;
		read_line(&r);
	}
	strbuf_free(&r.val);
	strbuf_free(&r.key);
	if (r.oom || resolve(cfg) < 0)
		return error_set(err, ERR_IO, "%s: out of memory", cfg->path);
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
		cfg->lock_path = safefile_lock_path(cfg->target);
		if (!cfg->lock_path)
			goto fail;
		cfg->lock_fd = filelock_take(cfg->lock_path, 10000, err);
		/* A folder nobody may write in: reading needs no lock (writers replace the
		 * file whole), so an edit that changes nothing still succeeds ("already
		 * so"); wslconfig_commit fails with this error if it must write. */
		if (cfg->lock_fd == FILELOCK_UNWRITABLE) {
			cfg->lock_err = *err;
			memset(err, 0, sizeof(*err));
		} else if (cfg->lock_fd < 0) {
			goto fail;
		} else {
			safefile_clean_stale(cfg->target);
		}
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
	filelock_release(cfg->lock_fd, cfg->lock_path);
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
		char canon[128];

		if (e->dropped || e->ignored || (e->canon && e->first != (int)i))
			continue;
		if (!e->canon)
			v.valid = false;
		/* An unknown name is handed on whole, whatever its length. */
		fn(ud, e->canon ? wslkeys_dotted(e->canon, canon, sizeof(canon)) : e->name, &v,
		   e->canon);
	}
}

/* C's escape for the control character C, 0 when it has none (then \xHH). */
static char c_escape(unsigned char c)
{
	static const char from[] = "\a\b\t\n\v\f\r\033", to[] = "abtnvfre";
	const char *p = c ? memchr(from, c, sizeof(from) - 1) : NULL;

	return p ? to[p - from] : 0;
}

char *wslconfig_quote(const char *v)
{
	struct strbuf b = { 0 };
	bool plain = v[0] != '"';

	for (const unsigned char *p = (const unsigned char *)v; *p && plain; p++)
		plain = *p >= 0x20 && *p != 0x7f;
	if (plain)
		return strdup(v);
	strbuf_str(&b, "\"");
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		char e = c_escape(*p);

		if (*p == '"' || *p == '\\')
			strbuf_printf(&b, "\\%c", *p);
		else if (e)
			strbuf_printf(&b, "\\%c", e);
		else if (*p < 0x20 || *p == 0x7f)
			strbuf_printf(&b, "\\x%02x", *p);
		else
			strbuf_add(&b, p, 1);
	}
	strbuf_str(&b, "\"");
	if (b.oom) {
		strbuf_free(&b);
		return NULL;
	}
	return b.s;
}
