// SPDX-License-Identifier: MIT
#include "kconfig.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "fsutil.h"

/* A real .config is ~250 KB; anything this large is not one (or is a gzip bomb). */
#define KCONFIG_MAX_BYTES (64u << 20)

struct kentry {
	const char *name;
	const char *value;
	enum kconfig_state st;
};

struct kconfig {
	char *text; /* owned; names and values point into it */
	struct kentry *e;
	size_t n, cap;
	size_t *slot; /* open addressing: entry index + 1, 0 = empty */
	size_t nslots;
};

enum line_kind { LINE_BLANK, LINE_COMMENT, LINE_OPTION, LINE_BAD };

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static char *trim(char *s)
{
	char *e = s + strlen(s);

	while (*s == ' ' || *s == '\t')
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * Classifies one line (modified in place) the way the kernel's conf_read() reads it:
 * CONFIG_X=VALUE, "# CONFIG_X is not set", comments, blanks. NAME is without CONFIG_;
 * VALUE "n" stands for not set.
 */
static enum line_kind classify(char *line, char **name, char **value)
{
	static const char notset[] = " is not set";
	char *s = trim(line), *eq;
	size_t len;

	if (!*s)
		return LINE_BLANK;
	if (s[0] == '#') {
		char *p = s + 1;

		while (*p == ' ')
			p++;
		len = strlen(p);
		if (strncmp(p, "CONFIG_", 7) || len <= 7 + sizeof(notset) - 1 ||
		    strcmp(p + len - (sizeof(notset) - 1), notset))
			return LINE_COMMENT;
		p[len - (sizeof(notset) - 1)] = '\0';
		if (!name_ok(p + 7))
			return LINE_COMMENT;
		*name = p + 7;
		*value = "n";
		return LINE_OPTION;
	}
	if (strncmp(s, "CONFIG_", 7) || !(eq = strchr(s, '=')))
		return LINE_BAD;
	*eq = '\0';
	*name = s + 7;
	*value = eq + 1;
	if (!name_ok(*name) || !**value) {
		*eq = '='; /* the caller shows the line as written */
		return LINE_BAD;
	}
	return LINE_OPTION;
}

static enum kconfig_state state_of(const char *value)
{
	if (!strcmp(value, "y"))
		return KCONFIG_Y;
	if (!strcmp(value, "m"))
		return KCONFIG_M;
	if (!strcmp(value, "n"))
		return KCONFIG_NOT_SET;
	return KCONFIG_VALUE;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static const char *strip_prefix(const char *name)
{
	return strncmp(name, "CONFIG_", 7) ? name : name + 7;
}

static size_t *find_slot(const struct kconfig *cfg, const char *name)
{
	size_t i = hash(name) & (cfg->nslots - 1);

	while (cfg->slot[i] && strcmp(cfg->e[cfg->slot[i] - 1].name, name))
		i = (i + 1) & (cfg->nslots - 1);
	return &cfg->slot[i];
}

static int grow(struct kconfig *cfg)
{
	size_t nslots = cfg->nslots ? cfg->nslots * 2 : 1024;
	size_t *old = cfg->slot, oldn = cfg->nslots;
	struct kentry *e = realloc(cfg->e, nslots / 2 * sizeof(*e));

	if (!e)
		return -1;
	cfg->e = e;
	cfg->cap = nslots / 2;
	cfg->slot = calloc(nslots, sizeof(*cfg->slot));
	if (!cfg->slot) {
		cfg->slot = old;
		return -1;
	}
	cfg->nslots = nslots;
	for (size_t i = 0; i < oldn; i++)
		if (old[i])
			*find_slot(cfg, cfg->e[old[i] - 1].name) = old[i];
	free(old);
	return 0;
}

/* The last assignment wins, as in the kernel's conf_read(). */
static int put(struct kconfig *cfg, const char *name, const char *value)
{
	size_t *s;

	if (cfg->n == cfg->cap && grow(cfg) < 0)
		return -1;
	s = find_slot(cfg, name);
	if (!*s) {
		cfg->e[cfg->n] = (struct kentry){ name, NULL, KCONFIG_ABSENT };
		*s = ++cfg->n;
	}
	cfg->e[*s - 1].st = state_of(value);
	cfg->e[*s - 1].value = cfg->e[*s - 1].st == KCONFIG_NOT_SET ? NULL : value;
	return 0;
}

static int parse_owned(char *text, const char *fname, struct kconfig **out, struct error *err)
{
	struct kconfig *cfg = calloc(1, sizeof(*cfg));
	char *line = text, *next;

	if (!cfg) {
		free(text);
		return error_set(err, ERR_IO, "%s: out of memory", fname);
	}
	cfg->text = text;
	for (; line; line = next) {
		char *name, *value;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (classify(line, &name, &value) == LINE_OPTION && put(cfg, name, value) < 0) {
			kconfig_free(cfg);
			return error_set(err, ERR_IO, "%s: out of memory", fname);
		}
	}
	if (!cfg->n) {
		kconfig_free(cfg);
		return error_set(err, ERR_INVALID_FILE,
				 "%s: not a kernel configuration (no CONFIG_ lines)", fname);
	}
	*out = cfg;
	return 0;
}

int kconfig_parse(const char *text, size_t len, const char *name, struct kconfig **out,
		  struct error *err)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return error_set(err, ERR_IO, "%s: out of memory", name);
	memcpy(copy, text, len);
	copy[len] = '\0';
	return parse_owned(copy, name, out, err);
}

int kconfig_load_file(const char *path, struct kconfig **out, struct error *err)
{
	size_t len = 0, cap = 256 << 10;
	char *buf = malloc(cap + 1);
	gzFile gz;
	int r, zerr = Z_OK;

	if (!buf)
		return error_set(err, ERR_IO, "%s: out of memory", path);
	gz = gzopen(path, "rb");
	if (!gz) {
		free(buf);
		return error_set(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "%s: %s", path,
				 strerror(errno ? errno : ENOMEM));
	}
	/* gzread inflates gzip and passes plain text through unchanged. */
	while ((r = gzread(gz, buf + len, (unsigned)(cap - len))) > 0) {
		char *nb;

		len += (size_t)r;
		if (len < cap)
			continue;
		if (cap >= KCONFIG_MAX_BYTES) {
			gzclose(gz);
			free(buf);
			return error_set(err, ERR_INVALID_FILE,
					 "%s: larger than %u MiB, not a kernel configuration", path,
					 KCONFIG_MAX_BYTES >> 20);
		}
		cap *= 2;
		nb = realloc(buf, cap + 1);
		if (!nb) {
			gzclose(gz);
			free(buf);
			return error_set(err, ERR_IO, "%s: out of memory", path);
		}
		buf = nb;
	}
	/* A truncated stream ends in EOF with Z_BUF_ERROR recorded, not a negative read. */
	if (r < 0 || (gzerror(gz, &zerr), zerr != Z_OK)) {
		const char *msg = gzerror(gz, &zerr);
		size_t pl = strlen(path);

		/* zlib prefixes its message with the path. */
		if (!strncmp(msg, path, pl) && msg[pl] == ':')
			msg += pl + 1 + (msg[pl + 1] == ' ');

		error_set(err, zerr == Z_ERRNO ? ERR_IO : ERR_INVALID_FILE,
			  "%s: cannot decompress: %s", path,
			  zerr == Z_ERRNO ? strerror(errno) : msg);
		gzclose(gz);
		free(buf);
		return -1;
	}
	gzclose(gz);
	buf[len] = '\0';
	if (memchr(buf, '\0', len))
		len = strlen(buf); /* binary junk after text: the parser stops at the NUL */
	return parse_owned(buf, path, out, err);
}

void kconfig_free(struct kconfig *cfg)
{
	if (!cfg)
		return;
	free(cfg->text);
	free(cfg->e);
	free(cfg->slot);
	free(cfg);
}

enum kconfig_state kconfig_get(const struct kconfig *cfg, const char *name, const char **value)
{
	const struct kentry *e = NULL;
	size_t *s;

	if (value)
		*value = NULL;
	if (!cfg || !cfg->nslots)
		return KCONFIG_ABSENT;
	s = find_slot(cfg, strip_prefix(name));
	if (!*s)
		return KCONFIG_ABSENT;
	e = &cfg->e[*s - 1];
	if (value)
		*value = e->value;
	return e->st;
}

size_t kconfig_count(const struct kconfig *cfg)
{
	return cfg ? cfg->n : 0;
}

const char *kconfig_state_text(enum kconfig_state st, const char *value, char *buf, size_t n)
{
	switch (st) {
	case KCONFIG_ABSENT: return "absent";
	case KCONFIG_NOT_SET: return "is not set";
	case KCONFIG_Y: return "=y";
	case KCONFIG_M: return "=m";
	case KCONFIG_VALUE: break;
	}
	snprintf(buf, n, "=%s", value ? value : "");
	return buf;
}

const char *kconfig_need_text(enum kconfig_need need)
{
	switch (need) {
	case KNEED_Y: return "y";
	case KNEED_YM: return "y|m";
	case KNEED_N: return "n";
	case KNEED_EXACT: return "exact";
	case KNEED_BUILD: return "build";
	}
	return "?";
}

/* An option without a `# need:` line needs what it sets (=m also accepts =y). */
static enum kconfig_need need_of_value(const char *value)
{
	switch (state_of(value)) {
	case KCONFIG_Y: return KNEED_Y;
	case KCONFIG_M: return KNEED_YM;
	case KCONFIG_NOT_SET: return KNEED_N;
	default: return KNEED_EXACT;
	}
}

bool kconfig_req_met(const struct kconfig_req *r, const struct kconfig *cfg,
		     enum kconfig_phase phase)
{
	enum kconfig_need need = r->need;
	const char *value;
	enum kconfig_state st = kconfig_get(cfg, r->name, &value);

	if (need == KNEED_BUILD) {
		if (phase == KCONFIG_RUNTIME)
			return true;
		need = need_of_value(r->value);
	}
	switch (need) {
	case KNEED_Y: return st == KCONFIG_Y;
	case KNEED_YM: return st == KCONFIG_Y || st == KCONFIG_M;
	case KNEED_N: return st == KCONFIG_NOT_SET || st == KCONFIG_ABSENT;
	case KNEED_EXACT: return value && !strcmp(value, r->value);
	case KNEED_BUILD: break;
	}
	return false;
}

static int parse_need(const char *s, enum kconfig_need *need)
{
	static const struct { const char *text; enum kconfig_need need; } names[] = {
		{ "y", KNEED_Y }, { "y|m", KNEED_YM }, { "m|y", KNEED_YM },
		{ "n", KNEED_N }, { "build", KNEED_BUILD },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].text)) {
			*need = names[i].need;
			return 0;
		}
	return -1;
}

/* The need must be one the written value can satisfy: `need: y` over =m is a typo. */
static bool need_fits_value(enum kconfig_need need, const char *value)
{
	enum kconfig_state st = state_of(value);

	switch (need) {
	case KNEED_Y: return st == KCONFIG_Y;
	case KNEED_YM: return st == KCONFIG_Y || st == KCONFIG_M;
	case KNEED_N: return st == KCONFIG_NOT_SET;
	default: return true;
	}
}

static int add_req(struct kconfig_reqs *reqs, const char *name, const char *value,
		   enum kconfig_need need, const char *why, const char *file, int line)
{
	struct kconfig_req *r = NULL;

	for (size_t i = 0; i < reqs->n; i++)
		if (!strcmp(reqs->v[i].name, name)) {
			r = &reqs->v[i];
			free(r->name);
			free(r->value);
			free(r->why);
			free(r->file);
			break;
		}
	if (!r) {
		if (reqs->n == reqs->cap) {
			size_t cap = reqs->cap ? reqs->cap * 2 : 32;
			struct kconfig_req *v = realloc(reqs->v, cap * sizeof(*v));

			if (!v)
				return -1;
			reqs->v = v;
			reqs->cap = cap;
		}
		r = &reqs->v[reqs->n++];
	}
	*r = (struct kconfig_req){
		.name = strdup(name), .value = strdup(value), .need = need,
		.why = why ? strdup(why) : NULL, .file = strdup(file), .line = line,
	};
	return r->name && r->value && r->file && (!why || r->why) ? 0 : -1;
}

static int fragment_text(char *text, const char *path, struct kconfig_reqs *reqs,
			 struct error *err)
{
	char *line = text, *next, why[1024] = "";
	int lineno = 0, need_line = 0, why_line = 0;
	enum kconfig_need need = KNEED_Y;

	for (; line; line = next) {
		char *name, *value, *s;
		enum line_kind kind;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else if (!*line)
			break; /* the end of a file whose last line has its newline */
		lineno++;
		s = trim(line);
		if (!strncmp(s, "# need:", 7)) {
			if (need_line)
				return error_set(err, ERR_INVALID_FILE,
						 "%s:%d: a second '# need:' for one option (first at line %d)",
						 path, lineno, need_line);
			if (parse_need(trim(s + 7), &need) < 0)
				return error_set(err, ERR_INVALID_FILE,
						 "%s:%d: unknown need '%s' (write y, y|m, n or build)",
						 path, lineno, trim(s + 7));
			need_line = lineno;
			continue;
		}
		if (!strncmp(s, "# why:", 6)) {
			size_t used = strlen(why);

			snprintf(why + used, sizeof(why) - used, "%s%s", used ? " " : "", trim(s + 6));
			if (!why_line)
				why_line = lineno;
			continue;
		}
		kind = classify(s, &name, &value);
		if (kind == LINE_BAD)
			return error_set(err, ERR_INVALID_FILE,
					 "%s:%d: '%s' is not a Kconfig line (write CONFIG_NAME=VALUE, "
					 "'# CONFIG_NAME is not set' or a '#' comment)", path, lineno, s);
		if (kind == LINE_BLANK && (need_line || why_line))
			return error_set(err, ERR_INVALID_FILE,
					 "%s:%d: the '# need:'/'# why:' above (line %d) belongs directly "
					 "above its CONFIG_ line; remove the blank line", path, lineno,
					 need_line ? need_line : why_line);
		if (kind != LINE_OPTION)
			continue;
		if (!need_line)
			need = need_of_value(value);
		else if (!need_fits_value(need, value))
			return error_set(err, ERR_INVALID_FILE,
					 "%s:%d: CONFIG_%s=%s cannot meet '# need: %s' (line %d)",
					 path, lineno, name, value, kconfig_need_text(need), need_line);
		if (add_req(reqs, name, value, need, why_line ? why : NULL, path, lineno) < 0)
			return error_set(err, ERR_IO, "%s: out of memory", path);
		need_line = why_line = 0;
		why[0] = '\0';
	}
	if (need_line || why_line)
		return error_set(err, ERR_INVALID_FILE,
				 "%s:%d: '# need:'/'# why:' at the end of the file has no CONFIG_ line "
				 "below it", path, need_line ? need_line : why_line);
	return 0;
}

/* Fragments are small text files. */
#define KCONFIG_FRAGMENT_MAX (1u << 20)

int kconfig_fragment_load(const char *path, struct kconfig_reqs *reqs, struct error *err)
{
	/* A fragment is named by the user or found in its folder: missing, a folder, a FIFO
	 * or a device is bad input (exit 3), refused without waiting on it. */
	int fd = open_regular(path, KCONFIG_FRAGMENT_MAX, err);
	FILE *f;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (fd < 0 && errno == ENOENT)
		return error_set(err, ERR_INVALID_FILE, "%s: no such file", path);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return error_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	}
	/* Fragments are small text files; getdelim reads the whole file at once. */
	if (getdelim(&text, &len, '\0', f) < 0) {
		/* At EOF (an empty file) the buffer is allocated but holds no string. */
		free(text);
		text = NULL;
		if (ferror(f)) {
			fclose(f);
			return error_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		}
	}
	fclose(f);
	r = fragment_text(text ? text : "", path, reqs, err);
	free(text);
	return r;
}

static int is_fragment(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 7 && !strcmp(d->d_name + n - 7, ".config");
}

int kconfig_fragment_dir(const char *dir, struct kconfig_reqs *reqs, struct error *err)
{
	struct dirent **list;
	int n = scandir(dir, &list, is_fragment, alphasort), r = 0;

	if (n < 0)
		return error_set(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO, "%s: %s", dir,
				 strerror(errno));
	if (n == 0)
		r = error_set(err, ERR_NOT_FOUND, "%s: no *.config fragments", dir);
	for (int i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (!r)
			r = kconfig_fragment_load(path, reqs, err);
		free(list[i]);
	}
	free(list);
	return r;
}

void kconfig_reqs_free(struct kconfig_reqs *reqs)
{
	for (size_t i = 0; i < reqs->n; i++) {
		free(reqs->v[i].name);
		free(reqs->v[i].value);
		free(reqs->v[i].why);
		free(reqs->v[i].file);
	}
	free(reqs->v);
	*reqs = (struct kconfig_reqs){ 0 };
}
