// SPDX-License-Identifier: MIT
/*
 * `config validate`: what WSL will say about the file at its next start, with
 * its line numbers, plus wslctl's own advice (notices).
 */
#include "wslconfig_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "winpath.h"

static void add(struct wslconfig *cfg, int line, enum wslconfig_severity sev, const char *code,
		const char *key, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add(struct wslconfig *cfg, int line, enum wslconfig_severity sev, const char *code,
		const char *key, const char *fmt, ...)
{
	struct wslconfig_diag *d = NULL;
	char *msg, *k = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = wslconfig_vfmt(fmt, ap);
	va_end(ap);
	/* Out of memory: this finding is left out, the others stay. */
	if (!msg || (key && !(k = strdup(key))) ||
	    !(d = wslconfig_grow(cfg->diag, &cfg->cap_diag, cfg->ndiag, sizeof(*cfg->diag)))) {
		free(msg);
		free(k);
		return;
	}
	cfg->diag = d;
	cfg->diag[cfg->ndiag++] = (struct wslconfig_diag){ .line = line, .severity = sev,
							   .code = code, .key = k, .message = msg };
}

static bool non_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

static const char *esc_name(char c)
{
	return c == 't' ? "a TAB" : c == 'n' ? "a line break" : "a backspace";
}

/* Whether the Windows drive of WIN ("C:...") is mounted here (under ROOT's /mnt), its
 * folder in DRIVE. */
static bool drive_here(const char *root, const char *win, char *drive, size_t n)
{
	struct error ignored = { 0 };
	char droot[4];
	struct stat st;

	drive[0] = '\0';
	snprintf(droot, sizeof(droot), "%.2s\\", win);
	return winpath_to_linux(root, droot, drive, n, &ignored) == 0 && stat(drive, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

/*
 * kernel=/kernelModules=: Windows opens the file before the VM starts, so a missing one
 * stops WSL. An error when the drive is mounted here and the file is not there; a notice
 * when the drive cannot be seen (nothing could be checked). A value whose escapes made
 * it no Windows path at all (C:\temp: a TAB) names no file either.
 */
static void check_file(struct wslconfig *cfg, const struct entry *e, const char *dotted)
{
	const char *code = strcasecmp(e->canon->name, "kernel") ? "modules-not-found"
								  : "kernel-not-found";
	char lin[WINPATH_MAX], drive[WINPATH_MAX];
	struct error ignored = { 0 };
	bool has_drive = isalpha((unsigned char)e->value[0]) && e->value[1] == ':';
	bool mapped;
	char *q;
	struct stat st;

	if (!e->value[0])
		return;
	if (!has_drive && !winpath_is_windows_abs(e->value)) {
		q = wslconfig_quote(e->value);
		add(cfg, e->line, SEV_NOTICE, code, dotted, "%s names %s, which is not an absolute "
		    "Windows path, and WSL takes paths as written (it does not know the folder this "
		    "was meant from), so it will most likely not find the file; write C:\\\\dir\\\\file (or set it with "
		    "'wslctl config set', which converts a relative path)", dotted,
		    q ? q : e->value);
		free(q);
		return;
	}
	if (!has_drive)
		return;
	mapped = winpath_to_linux(cfg->root, e->value, lin, sizeof(lin), &ignored) == 0;
	if (mapped && stat(lin, &st) == 0 && S_ISREG(st.st_mode))
		return;
	q = wslconfig_quote(e->value);
	if (!drive_here(cfg->root, e->value, drive, sizeof(drive)))
		add(cfg, e->line, SEV_NOTICE, code, dotted,
		    "%s names %s on drive %.1s:, which is not mounted here%s%s%s: wslctl could "
		    "not check that the file exists", dotted, q ? q : e->value, e->value,
		    drive[0] ? " (" : "", drive, drive[0] ? ")" : "");
	else if (mapped)
		add(cfg, e->line, SEV_ERROR, code, dotted,
		    "%s names %s, but there is no such file (%s): WSL will not start with it",
		    dotted, q ? q : e->value, lin);
	else
		add(cfg, e->line, SEV_ERROR, code, dotted,
		    "%s names %s, which is no file on drive %.1s: (mounted at %s): WSL will not "
		    "start with it", dotted, q ? q : e->value, e->value, drive);
	free(q);
}

static void check_entry(struct wslconfig *cfg, size_t i)
{
	const struct entry *e = &cfg->ent[i];
	char dotted[256], sug[256];

	if (e->ignored) {
		add(cfg, e->line, SEV_NOTICE, "ignored-key", e->name,
		    "WSL stopped reading this file at line %d, so it ignores '%s' here",
		    cfg->stop_line, e->name);
		return;
	}
	if (!e->canon) {
		const char *s = e->in_section ? wslkeys_suggest(cfg->kind, e->name, sug, sizeof(sug))
					      : NULL;

		if (s)
			add(cfg, e->line, SEV_WARNING, "unknown-key", e->name,
			    "unknown key '%s' (did you mean '%s'?)", e->name, s);
		else
			add(cfg, e->line, SEV_WARNING, "unknown-key", e->name,
			    "unknown key '%s'", e->name);
		if (!e->in_section)
			add(cfg, e->line, SEV_NOTICE, "key-before-section", e->name,
			    "'%s' comes before any [section], so WSL looks it up without one; "
			    "put it under its section (e.g. [wsl2])", e->name);
		return;
	}
	wslkeys_dotted(e->canon, dotted, sizeof(dotted));
	if (e->first != (int)i) {
		const struct entry *f = &cfg->ent[e->first];

		add(cfg, e->line, SEV_WARNING, "duplicate-key", dotted,
		    "duplicated config key '%s': WSL uses the one on line %d and ignores this one",
		    e->name, f->line);
		if (e->value_len != f->value_len || memcmp(e->value, f->value, e->value_len)) {
			char *qe = wslconfig_quote(e->value), *qf = wslconfig_quote(f->value);

			add(cfg, e->line, SEV_NOTICE, "shadowed-duplicate", dotted,
			    "this copy of %s says '%s', but WSL uses '%s' from line %d", dotted,
			    qe ? qe : e->value, qf ? qf : f->value, f->line);
			free(qe);
			free(qf);
		}
		return;
	}
	{
		struct wslkey_problem p[16];
		char *m = textenc_wsl_mangle(e->value, e->value_len);
		int np = m ? wslkeys_check(cfg->kind, e->k, m, p, 16) : 0;

		free(m);
		for (int j = 0; j < np && j < 16; j++)
			add(cfg, e->line, strcmp(p[j].code, "invalid-mac") ? SEV_WARNING : SEV_ERROR,
			    p[j].code, dotted, "%s", p[j].message);
	}
	if (e->has_escape)
		add(cfg, e->line, SEV_NOTICE, "escape-changes-value", dotted,
		    "'\\%c' in the value of %s becomes %s, not a backslash: write '\\\\' for a "
		    "backslash (or use '/')", e->esc_char, dotted, esc_name(e->esc_char));
	if (non_ascii(e->value, e->value_len))
		add(cfg, e->line, SEV_NOTICE, "non-ascii-value", dotted,
		    "the value of %s has non-ASCII characters; WSL cuts each to one byte", dotted);
	if (cfg->kind == WSLCONF_WSLCONFIG && e->k->type == KT_PATH &&
	    (!strcasecmp(e->canon->name, "kernel") || !strcasecmp(e->canon->name, "kernelModules")))
		check_file(cfg, e, dotted);
}

static void check_modules(struct wslconfig *cfg)
{
	const struct wslkey *km = wslkeys_lookup(cfg->kind, "wsl2.kernelModules");
	const struct wslkey *kk = wslkeys_lookup(cfg->kind, "wsl2.kernel");
	int m, k;

	if (cfg->kind != WSLCONF_WSLCONFIG || !km || !kk)
		return;
	m = wslconfig_find(cfg, km, "wsl2.kernelModules");
	k = wslconfig_find(cfg, kk, "wsl2.kernel");
	if (m >= 0 && cfg->ent[m].value[0] && (k < 0 || !cfg->ent[k].value[0]))
		add(cfg, cfg->ent[m].line, SEV_ERROR, "modules-without-kernel", "wsl2.kernelModules",
		    "kernelModules is set but kernel is not: WSL refuses to start (set "
		    "wsl2.kernel, or unset wsl2.kernelModules)");
}

/* Bytes that are not UTF-8 (in a .wslconfig WSL decodes as UTF-8). */
static void check_utf8(struct wslconfig *cfg)
{
	const unsigned char *s = (const unsigned char *)cfg->text;
	int line = 1, last = 0;

	for (size_t i = 0; i < cfg->len;) {
		size_t l = textenc_utf8_len(s + i, cfg->len - i);

		if (s[i] == '\n')
			line++;
		if (l) {
			i += l;
			continue;
		}
		if (line != last)
			add(cfg, line, SEV_NOTICE, "invalid-utf8", NULL,
			    "this line is not valid UTF-8; WSL reads the file as UTF-8: save it "
			    "as UTF-8");
		last = line;
		i++;
	}
}


struct tagged {
	struct wslconfig_diag d;
	size_t idx;
};

static int by_line(const void *a, const void *b)
{
	const struct tagged *x = a, *y = b;

	if (x->d.line != y->d.line)
		return x->d.line < y->d.line ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* By line, and in the order found within a line (qsort alone is not stable). */
static void sort_by_line(struct wslconfig *cfg)
{
	struct tagged *t = malloc((cfg->ndiag + 1) * sizeof(*t));

	if (!t)
		return;
	for (size_t i = 0; i < cfg->ndiag; i++)
		t[i] = (struct tagged){ cfg->diag[i], i };
	qsort(t, cfg->ndiag, sizeof(*t), by_line);
	for (size_t i = 0; i < cfg->ndiag; i++)
		cfg->diag[i] = t[i].d;
	free(t);
}

size_t wslconfig_validate(struct wslconfig *cfg, const char *root,
			  const struct wslconfig_diag **out)
{
	if (root)
		cfg->root = root;
	for (size_t i = 0; i < cfg->ndiag; i++) {
		free(cfg->diag[i].key);
		free(cfg->diag[i].message);
	}
	cfg->ndiag = 0;
	if (!cfg->exists)
		add(cfg, 0, SEV_NOTICE, "missing-file", NULL,
		    "%s does not exist: WSL uses its defaults", cfg->path);
	for (size_t i = 0; i < cfg->ngd; i++)
		if (!cfg->gd[i].after_stop)
			add(cfg, cfg->gd[i].line, SEV_WARNING, cfg->gd[i].code, cfg->gd[i].key,
			    "%s", cfg->gd[i].message);
	if (cfg->stop_line)
		add(cfg, cfg->stop_line, SEV_NOTICE, "parsing-stops", NULL,
		    "WSL stops reading this file at this line: every key after it is ignored");
	for (size_t i = 0; i < cfg->nent; i++)
		if (!cfg->ent[i].dropped)
			check_entry(cfg, i);
	check_modules(cfg);
	if (cfg->kind == WSLCONF_WSLCONFIG)
		check_utf8(cfg);
	sort_by_line(cfg);
	*out = cfg->diag;
	return cfg->ndiag;
}
