// SPDX-License-Identifier: MIT
/* config get|set|unset|list|validate|path|merge: a small verb table, like git config. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "args.h"
#include "wslconfig_cmd.h"
#include "commands.h"
#include "output.h"
#include "suggest.h"
#include "safefile.h"
#include "wslkeys.h"

enum { O_FILE = 1, O_RAW, O_FORCE, O_ALL };

struct opts {
	const char *file;
	unsigned flags; /* WSLCONFIG_RAW, WSLCONFIG_FORCE */
	bool all;
};

static int on_opt(void *ud, int id, const char *val, struct error *err)
{
	struct opts *o = ud;

	(void)err;
	switch (id) {
	case O_FILE: o->file = val; break;
	case O_RAW: o->flags |= WSLCONFIG_RAW; break;
	case O_FORCE: o->flags |= WSLCONFIG_FORCE; break;
	case O_ALL: o->all = true; break;
	}
	return 0;
}

static enum wslconf_kind kind_of(const struct wslconfig *cfg)
{
	return wslconfig_is_wslconf(cfg) ? WSLCONF_WSLCONF : WSLCONF_WSLCONFIG;
}

/*
 * The text WSL takes its value from: none when it rejected the value, except
 * for a list, whose valid entries WSL keeps while warning about the others.
 */
static const char *used_text(const struct wslkey *k, const struct wslconfig_value *v)
{
	return v->valid || k->type == KT_LIST ? v->text : NULL;
}

/* The known key KEY names, or an unknown-key error (unless --force). *K NULL when forced. */
static int known_key(struct ctx *c, const struct wslconfig *cfg, const char *key,
		     const struct opts *o, const struct wslkey **k)
{
	char sug[256];

	*k = wslkeys_lookup(kind_of(cfg), key);
	if (*k || (o->flags & WSLCONFIG_FORCE))
		return 0;
	if (wslkeys_suggest(kind_of(cfg), key, sug, sizeof(sug)))
		return error_set(&c->err, ERR_UNKNOWN_KEY, "unknown key '%s'; did you mean '%s'?",
				 key, sug);
	return error_set(&c->err, ERR_UNKNOWN_KEY, "unknown key '%s' (see 'wslctl config list "
			 "--all')", key);
}

static int verb_get(struct ctx *c, struct wslconfig *cfg, const struct opts *o, int n,
		    char **arg)
{
	const struct wslkey *k;
	struct wslconfig_value v;
	char dotted[256];
	json_t *eff;
	int found;

	if (n != 1)
		return error_set(&c->err, ERR_USAGE, "usage: wslctl config get KEY");
	if (known_key(c, cfg, arg[0], o, &k) < 0)
		return -1;
	if (k)
		wslkeys_dotted(wslkeys_canonical(kind_of(cfg), k), dotted, sizeof(dotted));
	else
		snprintf(dotted, sizeof(dotted), "%s", arg[0]);
	found = wslconfig_get(cfg, arg[0], &v);
	json_object_set_new(c->result, "key", json_str_or_null(dotted));
	if (found) {
		eff = k ? wslkeys_effective(kind_of(cfg), k, used_text(k, &v))
			: json_str_or_null(v.text);
		json_object_set_new(c->result, "value", json_str_or_null(v.text));
		json_object_set_new(c->result, "valid", json_boolean(v.valid));
		json_object_set_new(c->result, "line", json_integer(v.line));
		json_object_set_new(c->result, "source", json_string("file"));
		/* --json: the value is in the object; stdout holds that alone, and
		 * stderr does not repeat it. */
		if (!c->json)
			out(c, "%s", v.text);
		if (!v.valid) {
			struct wslkey_problem p[4];
			int np = wslkeys_check(kind_of(cfg), k, v.text, p, 4);

			/* The key's rule names the key and says what WSL does instead. */
			if (np > 0)
				warnf(c, "%s:%d: %s", wslconfig_path(cfg), v.line, p[0].message);
			else
				warnf(c, "%s:%d: WSL rejects this value of %s and uses the default",
				      wslconfig_path(cfg), v.line, dotted);
		}
	} else {
		const char *def = k ? k->def : NULL;

		eff = k ? wslkeys_effective(kind_of(cfg), k, NULL) : json_null();
		json_object_set_new(c->result, "value", json_str_or_null(def));
		json_object_set_new(c->result, "valid", json_true());
		json_object_set_new(c->result, "line", json_null());
		json_object_set_new(c->result, "source", json_string("default"));
		if (def && !c->json)
			out(c, "%s", def);
	}
	json_object_set_new(c->result, "effective", eff ? eff : json_null());
	json_object_set_new(c->result, "ok", json_boolean(!found || v.valid));
	return !found || v.valid ? 0 : 1;
}

/*
 * The first word after `config set` on the command line that was taken as an option
 * (by main or by this command), or NULL. A value meant to start with '-' goes missing
 * that way; `--` before it keeps it a value.
 */
static const char *dash_word(const struct ctx *c)
{
	int i = 1;

	while (i < c->argc && strcmp(c->argv[i], "set"))
		i++;
	for (i++; i < c->argc; i++) {
		const char *a = c->argv[i];

		if (!strcmp(a, "--"))
			return NULL;
		if (!strcmp(a, "--file"))
			i++;
		else if (a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9') &&
			 strcmp(a, "--raw") && strcmp(a, "--force") && strncmp(a, "--file=", 7))
			return a;
	}
	return NULL;
}

static const char *set_usage = "usage: wslctl config set KEY VALUE [KEY VALUE ...]";

/* The same key, however spelled (case, old spellings such as experimental.networkingMode). */
static bool same_key(enum wslconf_kind kind, const char *a, const char *b)
{
	const struct wslkey *ka = wslkeys_lookup(kind, a), *kb = wslkeys_lookup(kind, b);

	if (ka && kb)
		return wslkeys_canonical(kind, ka) == wslkeys_canonical(kind, kb);
	return !ka && !kb && !strcasecmp(a, b);
}

/* The words of `config set`, before the file is locked or read: KEY VALUE pairs (not
 * KEY=VALUE), no value lost to option parsing, each key once. */
static int set_args(struct ctx *c, enum wslconf_kind kind, int n, char **arg)
{
	const char *dash = dash_word(c);

	for (int i = 0; i < n; i += 2) {
		const char *eq = strchr(arg[i], '=');

		if (eq && eq > arg[i])
			return error_set(&c->err, ERR_USAGE, "config set takes KEY VALUE, not "
					 "KEY=VALUE: did you mean 'wslctl config set %.*s %s'?",
					 (int)(eq - arg[i]), arg[i], eq + 1);
	}
	if ((n < 2 || n % 2) && dash)
		return error_set(&c->err, ERR_USAGE, "%s: '%s' was read as an option; if it is "
				 "a value, put '--' before it (wslctl config set KEY -- %s)",
				 set_usage, dash, dash);
	if (n < 2 || n % 2)
		return error_set(&c->err, ERR_USAGE, "%s", set_usage);
	for (int i = 2; i < n; i += 2)
		for (int j = 0; j < i; j += 2)
			if (same_key(kind, arg[i], arg[j]))
				return error_set(&c->err, ERR_USAGE, "the key %s is given twice "
						 "('%s' and '%s'): name each key once", arg[j],
						 arg[j], arg[i]);
	return 0;
}

static int verb_set(struct ctx *c, struct wslconfig *cfg, const struct opts *o, int n,
		    char **arg)
{
	/* cmd_config checked the words (set_args) before the file was locked. */
	for (int i = 0; i < n; i += 2)
		if (wslconfig_set_ex(cfg, arg[i], arg[i + 1], o->flags, &c->err) < 0)
			return -1;
	return wslconfig_cmd_commit(c, cfg);
}

static int verb_unset(struct ctx *c, struct wslconfig *cfg, const struct opts *o, int n,
		      char **arg)
{
	if (n < 1)
		return error_set(&c->err, ERR_USAGE, "usage: wslctl config unset KEY [KEY ...]");
	for (int i = 0; i < n; i++) {
		const struct wslkey *k;
		int r = wslconfig_unset(cfg, arg[i], &c->err);

		if (r < 0)
			return -1;
		/* An unknown name that is not in the file either is most likely a typo. */
		if (r == 0 && known_key(c, cfg, arg[i], o, &k) < 0)
			return -1;
	}
	return wslconfig_cmd_commit(c, cfg);
}

static int verb_merge(struct ctx *c, struct wslconfig *cfg, const struct opts *o, int n,
		      char **arg)
{
	if (n != 1)
		return error_set(&c->err, ERR_USAGE, "usage: wslctl config merge FILE");
	/* A fragment that is not there is a mistake (a typo in a script), not an empty one. */
	if (safefile_probe(arg[0], true, &c->err) < 0)
		return -1;
	if (wslconfig_merge(cfg, arg[0], o->flags, &c->err) < 0)
		return -1;
	return wslconfig_cmd_commit(c, cfg);
}

struct list_state {
	struct ctx *c;
	struct wslconfig *cfg;
	json_t *arr;
};

static void list_one(void *ud, const char *dotted, const struct wslconfig_value *v, const void *kp)
{
	struct list_state *ls = ud;
	const struct wslkey *k = kp;
	json_t *eff;
	char *q;

	if (!k) {
		warnf(ls->c, "%s:%d: unknown key '%s': WSL ignores it", wslconfig_path(ls->cfg),
		      v->line, dotted);
		return;
	}
	eff = wslkeys_effective(kind_of(ls->cfg), k, used_text(k, v));
	json_array_append_new(ls->arr, json_pack("{s:s, s:o, s:o, s:b, s:i, s:s}", "key", dotted,
						 "value", json_str_or_null(v->text),
						 "effective", eff ? eff : json_null(), "valid", v->valid,
						 "line", v->line, "source", "file"));
	q = wslconfig_quote(v->text);
	out(ls->c, "%s=%s", dotted, q ? q : "(out of memory)");
	free(q);
	if (!v->valid)
		warnf(ls->c, k->type == KT_LIST ?
			     "%s:%d: WSL skips the entries of %s it cannot read" :
			     "%s:%d: WSL rejects this value of %s and uses the default",
		      wslconfig_path(ls->cfg), v->line, dotted);
}

static int verb_list(struct ctx *c, struct wslconfig *cfg, const struct opts *o, int n,
		     char **arg)
{
	struct list_state ls = { c, cfg, json_array() };

	(void)arg;
	if (n != 0)
		return error_set(&c->err, ERR_USAGE, "usage: wslctl config list [--all]");
	/* Informational: a rejected value shows as valid:false (and on stderr), exit 0. */
	wslconfig_foreach(cfg, list_one, &ls);
	if (o->all) {
		for (const struct wslkey *k = wslkeys_table(kind_of(cfg)); k->name; k++) {
			struct wslconfig_value v;
			char dotted[256];

			if (k->same_as)
				continue;
			wslkeys_dotted(k, dotted, sizeof(dotted));
			if (wslconfig_get(cfg, dotted, &v) == 1)
				continue;
			json_array_append_new(ls.arr, json_pack(
				"{s:s, s:o, s:o, s:b, s:n, s:s}", "key", dotted,
				"value", json_str_or_null(k->def),
				"effective", wslkeys_effective(kind_of(cfg), k, NULL),
				"valid", 1, "line", "source", "default"));
			if (k->def)
				out(c, "%s=%s  (default)", dotted, k->def);
			else
				out(c, "%s  (default: depends on the machine)", dotted);
		}
	}
	json_object_set_new(c->result, "file", json_str_or_null(wslconfig_path(cfg)));
	json_object_set_new(c->result, "keys", ls.arr);
	return 0;
}

static const char *sev_name(enum wslconfig_severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "notice";
}

static int verb_validate(struct ctx *c, struct wslconfig *cfg, const struct opts *o, int n,
			 char **arg)
{
	const struct wslconfig_diag *d;
	size_t nd = wslconfig_validate(cfg, c->root, &d);
	size_t count[3] = { 0 };
	json_t *arr = json_array();
	const char *path = wslconfig_path(cfg);

	(void)o;
	(void)arg;
	if (n != 0) {
		json_decref(arr);
		return error_set(&c->err, ERR_USAGE, "usage: wslctl config validate");
	}
	for (size_t i = 0; i < nd; i++) {
		enum colour colr = d[i].severity == SEV_ERROR ? COL_RED :
				   d[i].severity == SEV_WARNING ? COL_YELLOW : COL_BLUE;

		count[d[i].severity]++;
		json_array_append_new(arr, json_pack("{s:o, s:s, s:s, s:o, s:o}",
			"line", d[i].line ? json_integer(d[i].line) : json_null(),
			"severity", sev_name(d[i].severity), "code", d[i].code,
			"key", json_str_or_null(d[i].key), "message", json_str_or_null(d[i].message)));
		if (d[i].line)
			out(c, "%s:%d: %s%s:%s %s [%s]", path, d[i].line, col(c, colr),
			    sev_name(d[i].severity), col(c, COL_RESET), d[i].message, d[i].code);
		else
			out(c, "%s: %s%s:%s %s [%s]", path, col(c, colr), sev_name(d[i].severity),
			    col(c, COL_RESET), d[i].message, d[i].code);
	}
	if (count[SEV_ERROR] + count[SEV_WARNING] == 0)
		info(c, "%s: WSL reads it without complaint%s", path,
		     count[SEV_NOTICE] ? " (see the notices)" : "");
	else
		info(c, "%s: %zu error(s), %zu warning(s), %zu notice(s)", path, count[SEV_ERROR],
		     count[SEV_WARNING], count[SEV_NOTICE]);
	json_object_set_new(c->result, "ok",
			    json_boolean(count[SEV_ERROR] + count[SEV_WARNING] == 0));
	json_object_set_new(c->result, "file", json_str_or_null(path));
	json_object_set_new(c->result, "diagnostics", arr);
	return count[SEV_ERROR] + count[SEV_WARNING] ? 1 : 0;
}

static const struct verb {
	const char *name;
	bool edit;   /* takes the lock and may write */
	int key_step; /* the arguments are KEY (1) or KEY VALUE (2) pairs; 0: not keys */
	int (*run)(struct ctx *c, struct wslconfig *cfg, const struct opts *o, int n, char **arg);
} verbs[] = {
	{ "get", false, 1, verb_get },
	{ "set", true, 2, verb_set },
	{ "unset", true, 1, verb_unset },
	{ "merge", true, 0, verb_merge },
	{ "list", false, 0, verb_list },
	{ "validate", false, 0, verb_validate },
	{ "path", false, 0, NULL },
	{ NULL, false, 0, NULL },
};

static int verb_path(struct ctx *c, const struct winpath_found *f, bool is_wslconf)
{
	bool exists = access(f->path, F_OK) == 0;

	json_object_set_new(c->result, "file", json_str_or_null(f->path));
	json_object_set_new(c->result, "source", json_string(f->source));
	json_object_set_new(c->result, "how", json_str_or_null(f->how));
	json_object_set_new(c->result, "exists", json_boolean(exists));
	json_object_set_new(c->result, "kind", json_string(is_wslconf ? "wsl.conf" : ".wslconfig"));
	out(c, "%s", f->path);
	info(c, "%s%s", f->how, exists ? "" : "; the file does not exist yet");
	return 0;
}

int cmd_config(struct ctx *c, int argc, char **argv)
{
	static const struct option_spec specs[] = {
		{ "file", 0, ARG_REQUIRED, O_FILE },
		{ "raw", 0, ARG_NONE, O_RAW },
		{ "force", 0, ARG_NONE, O_FORCE },
		{ "all", 0, ARG_NONE, O_ALL },
		{ NULL, 0, 0, 0 },
	};
	struct opts o = { 0 };
	struct winpath_found where;
	struct wslconfig *cfg = NULL;
	const struct verb *v;
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	int npos, rc = -1;

	if (!pos)
		return error_set(&c->err, ERR_IO, "out of memory");
	npos = args_parse(argc - 1, argv + 1, specs, on_opt, &o, pos, 0, &c->err);
	if (npos < 0) {
		const char *dash = dash_word(c);

		if (dash && c->err.code == ERR_USAGE && pos[0] &&
		    !strcmp(pos[0], "set")) {
			struct error e = c->err;

			error_set(&c->err, ERR_USAGE, "%s; if '%s' is a value, put '--' before "
				  "it (wslctl config set KEY -- %s)", e.message, dash, dash);
		}
		goto out;
	}
	if (npos == 0) {
		error_set(&c->err, ERR_USAGE, "usage: wslctl config get|set|unset|merge|list|"
			  "validate|path ... (see 'wslctl config --help')");
		goto out;
	}
	for (v = verbs; v->name && strcmp(v->name, pos[0]); v++)
		;
	if (!v->name) {
		char hint[SUGGEST_HINT_SIZE];

		error_set(&c->err, ERR_USAGE, "unknown verb 'config %s'%s (get, set, unset, merge, "
			  "list, validate, path)", pos[0],
			  suggest_hint(hint, sizeof(hint), SUGGEST_FROM(pos[0], verbs)));
		goto out;
	}
	if (wslconfig_cmd_locate(c, o.file, &where) < 0)
		goto out;
	if (!v->run) {
		rc = npos == 1 ? verb_path(c, &where, wslkeys_kind_for_path(where.path) ==
						       WSLCONF_WSLCONF)
			       : error_set(&c->err, ERR_USAGE, "usage: wslctl config path");
		goto out;
	}
	/* Keys named here are checked before the file is locked or read. */
	for (int i = 1; v->key_step && i < npos; i += v->key_step)
		if (wslconfig_key_arg(pos[i], &c->err) < 0)
			goto out;
	if (v->run == verb_set &&
	    set_args(c, wslkeys_kind_for_path(where.path), npos - 1, pos + 1) < 0)
		goto out;
	if (wslconfig_cmd_open(c, where.path, v->edit, &cfg) < 0)
		goto out;
	rc = v->run(c, cfg, &o, npos - 1, pos + 1);
	wslconfig_free(cfg);
out:
	free(pos);
	return rc;
}
