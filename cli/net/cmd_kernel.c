// SPDX-License-Identifier: MIT
/* wslctl kernel list|use|rollback|remove: the kernels in the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "activation.h"
#include "args.h"
#include "commands.h"
#include "feed.h"
#include "http.h"
#include "output.h"
#include "store.h"
#include "suggest.h"
#include "winpath.h"

int cmd_kernel(struct ctx *c, int argc, char **argv);

enum { O_AVAILABLE = 1, O_FEED, O_PRE, O_CACERT };

static const struct option_spec opts[] = {
	{ "available", 0, ARG_NONE, O_AVAILABLE },
	{ "feed", 0, ARG_REQUIRED, O_FEED },
	{ "pre-release", 0, ARG_NONE, O_PRE },
	{ "cacert", 0, ARG_REQUIRED, O_CACERT },
	{ NULL, 0, 0, 0 },
};

struct kernel_opts {
	bool available, pre;
	const char *feed, *cacert;
};

static int on_opt(void *ud, int id, const char *val, struct error *err)
{
	struct kernel_opts *o = ud;

	(void)err;
	switch (id) {
	case O_AVAILABLE: o->available = true; break;
	case O_FEED: o->feed = val; break;
	case O_PRE: o->pre = true; break;
	case O_CACERT: o->cacert = val; break;
	}
	return 0;
}

struct kernel_cmd {
	struct ctx *c;
	struct kernel_opts o;
	struct store s;
	struct winpath_found wc; /* the .wslconfig (wc.path), as the verb needs it */
};

/* Looks for the .wslconfig when the verb knows whether it needs one: 1 found, 0 none. */
static int find_wslconfig(struct kernel_cmd *k, enum winpath_need need)
{
	return winpath_find_wslconfig(k->c->root, k->c->wslconfig, need, &k->wc, &k->c->err);
}

/* The feed's versions (newest first) into the result as "available". */
static int list_available(struct kernel_cmd *k, json_t *avail)
{
	struct ctx *c = k->c;
	char cache[STORE_PATH_MAX + 16], token_base[sizeof(c->settings.releases) + 8];
	/* The token is for the releases API's /repos/ only (as update sends it), not for a
	 * feed that shares its host. */
	struct http_options ho = { .cacert = k->o.cacert, .cache_dir = cache,
				   .token = getenv("GITHUB_TOKEN"), .token_base = token_base };
	struct feed f;
	struct http *h;
	struct feed_fetch net;
	char **v = NULL;
	size_t n = 0;
	int rc;

	snprintf(token_base, sizeof(token_base), "%s/repos/", c->settings.releases);
	snprintf(cache, sizeof(cache), "%s/cache/meta", k->s.dir);
	/* Listing creates nothing: the metadata cache only once the store exists. */
	if (access(cache, F_OK) < 0)
		ho.cache_dir = NULL;
	if (feed_parse(k->o.feed ? k->o.feed : c->settings.feed, NULL, &f, &c->err) < 0)
		return -1;
	f.pre_release = k->o.pre;
	h = http_new(&ho, &c->err);
	if (!h)
		return -1;
	net = feed_fetch_http(h);
	rc = feed_versions(&net, &f, &v, &n, &c->err);
	http_free(h);
	/* The feed's advice names update's --kernel-version, which kernel list has not. */
	if (rc < 0 && c->err.code == ERR_USAGE && (f.kind == FEED_URL || f.kind == FEED_FILE))
		return error_set(&c->err, ERR_USAGE, "%s: cannot tell the kernel version from "
				 "the name, so there is nothing to list; install it with "
				 "'wslctl update --feed %s --kernel-version V'", f.where, f.where);
	if (rc < 0)
		return -1;
	out(c, "available from %s:", k->o.feed ? k->o.feed : c->settings.feed);
	for (size_t i = 0; i < n; i++) {
		struct store_manifest m;

		out(c, "  %s%s", v[i], store_has(&k->s, v[i], &m) ? " (installed)" : "");
		json_array_append_new(avail, json_str_or_null(v[i]));
	}
	feed_versions_free(v, n);
	return 0;
}

/* What `kernel rollback` would go back to, so that a script need not try it. */
static void list_rollback(struct ctx *c, const struct activation_state *st)
{
	const char *version = st->rollback_version, *kernel = st->rollback_kernel;
	json_t *rb = json_null();

	if (st->can_rollback) {
		rb = json_pack("{s:o, s:o}", "version", json_text_or_null(version),
			       "kernel", json_str_or_null(!version[0] && kernel[0] ? kernel : NULL));
		if (version[0])
			out(c, "rollback goes to %s", version);
		else if (kernel[0])
			out(c, "rollback restores kernel=%s (outside the store)", kernel);
		else
			out(c, "rollback goes to WSL's own kernel (no kernel=)");
	}
	json_object_set_new(c->result, "rollback", rb);
}

/* One line (and one JSON object) per installed version, the active one starred. */
static void list_installed(struct ctx *c, const struct store_manifest *list, size_t n,
			   const char *active, json_t *arr)
{
	for (size_t i = 0; i < n; i++) {
		const struct store_manifest *m = &list[i];
		bool is_active = !strcmp(m->version, active);
		char when[32];
		struct tm tm;

		gmtime_r(&m->installed, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		out(c, "%s %-24s %s  %s%s", is_active ? "*" : " ", m->version, when, m->verified,
		    m->has_modules ? "  +modules" : "");
		/* A manifest field it did not record ("" in the struct) is null. */
		json_array_append_new(arr, json_pack("{s:o, s:b, s:o, s:s, s:o, s:o, s:b}",
						     "version", json_str_or_null(m->version),
						     "active", is_active,
						     "source", json_text_or_null(m->source),
						     "installed", when,
						     "verified", json_text_or_null(m->verified),
						     "sha256", json_text_or_null(m->sha256),
						     "modules", m->has_modules));
	}
}

/* The store listed once and .wslconfig read once (when one is known), for every part. */
static int do_list(struct kernel_cmd *k)
{
	struct ctx *c = k->c;
	struct activation_state st = { 0 };
	struct store_manifest *list;
	json_t *arr = json_array();
	size_t n;
	int found;

	json_object_set_new(c->result, "installed", arr);
	found = find_wslconfig(k, WINPATH_OPTIONAL);
	if (found < 0 || store_list(&k->s, &list, &n) < 0)
		return -1;
	if (found && activation_read(&k->s, k->wc.path, list, n, &st) < 0) {
		store_list_free(list);
		return -1;
	}
	if (st.note[0])
		warnf(c, "%s", st.note);
	json_object_set_new(c->result, "store", json_str_or_null(k->s.dir));
	json_object_set_new(c->result, "active", json_text_or_null(st.active));
	json_object_set_new(c->result, "previous",
			    json_text_or_null(st.previous));
	json_object_set_new(c->result, "kernel", json_text_or_null(st.kernel));
	if (!n)
		out(c, "no kernels in %s (get one with 'wslctl update')", k->s.dir);
	list_installed(c, list, n, st.active, arr);
	store_list_free(list);
	if (!st.active[0] && st.kernel[0])
		out(c, "kernel= names a kernel outside the store: %s", st.kernel);
	list_rollback(c, &st);
	if (k->o.available) {
		json_t *avail = json_array();

		json_object_set_new(c->result, "available", avail);
		return list_available(k, avail);
	}
	return 0;
}

static void report_activation(struct ctx *c, const char *version, const struct activation *a)
{
	json_object_set_new(c->result, "changed", json_boolean(a->changed));
	json_object_set_new(c->result, "version", json_str_or_null(version));
	json_object_set_new(c->result, "kernel", json_text_or_null(a->kernel_win));
	json_object_set_new(c->result, "modules", json_text_or_null(a->modules_win));
	json_object_set_new(c->result, "previous", json_text_or_null(a->previous));
	json_object_set_new(c->result, "restart_required", json_boolean(a->changed));
	if (a->note[0])
		warnf(c, "%s", a->note);
	if (c->dry_run)
		json_object_set_new(c->result, "dry_run", json_true());
	if (!version && a->kernel_win[0])
		did(c, "%s kernel=%s (outside the store)", c->dry_run ? "would restore" : "restored",
		    a->kernel_win);
	else if (!version)
		did(c, !a->changed ? "no kernel was active"
		    : c->dry_run ? "would remove kernel=: WSL would boot its own kernel"
		    : "kernel= removed: WSL boots its own kernel");
	else if (a->changed)
		did(c, "%s kernel %s: kernel=%s", c->dry_run ? "would activate" : "activated",
		    version, a->kernel_win);
	else
		did(c, "kernel %s is already active", version);
	if (a->changed && !c->dry_run)
		did(c, "WSL must restart for this to apply: run wsl.exe --shutdown");
}

static int do_use(struct kernel_cmd *k, const char *version)
{
	struct activation a;

	if (find_wslconfig(k, WINPATH_REQUIRED) < 0 ||
	    activation_use(&k->s, k->wc.path, version, k->c->dry_run, &a) < 0)
		return -1;
	report_activation(k->c, version, &a);
	return 0;
}

static int do_rollback(struct kernel_cmd *k)
{
	char version[STORE_VERSION_MAX];
	struct activation a;

	if (find_wslconfig(k, WINPATH_REQUIRED) < 0 ||
	    activation_rollback(&k->s, k->wc.path, k->c->dry_run, version, &a) < 0)
		return -1;
	report_activation(k->c, version[0] ? version : NULL, &a);
	return 0;
}

static int do_remove(struct kernel_cmd *k, const char *version)
{
	struct ctx *c = k->c;
	struct store_manifest m;
	int r = store_get(&k->s, version, &m);

	if (r < 0)
		return -1;
	json_object_set_new(c->result, "version", json_str_or_null(version));
	if (r == 0) {
		/* Already gone: removing is idempotent, as apt's is. */
		json_object_set_new(c->result, "changed", json_false());
		did(c, "kernel %s is not installed", version);
		return 0;
	}
	if (find_wslconfig(k, WINPATH_REQUIRED) < 0 ||
	    activation_remove(&k->s, k->wc.path, version, c->dry_run) < 0)
		return -1;
	json_object_set_new(c->result, "changed", json_true());
	if (c->dry_run)
		json_object_set_new(c->result, "dry_run", json_true());
	did(c, "%s kernel %s", c->dry_run ? "would remove" : "removed", version);
	return 0;
}

int cmd_kernel(struct ctx *c, int argc, char **argv)
{
	struct kernel_cmd k = { .c = c, .s = { .lock_fd = -1 } };
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	const char *verb;
	int n, rc = -1, want;

	http_on_retry(output_verbose_note, c);
	if (!pos)
		return error_set(&c->err, ERR_IO, "out of memory");
	n = args_parse(argc - 1, argv + 1, opts, on_opt, &k.o, pos, 0, &c->err);
	if (n < 0)
		goto done;
	verb = n ? pos[0] : "";
	want = !strcmp(verb, "list") || !strcmp(verb, "rollback") ? 1
	       : !strcmp(verb, "use") || !strcmp(verb, "remove") ? 2 : 0;
	if (!want) {
		static const struct { const char *name; } verbs[] = {
			{ "list" }, { "use" }, { "rollback" }, { "remove" }, { NULL },
		};
		char hint[SUGGEST_HINT_SIZE];

		if (n)
			error_set(&c->err, ERR_USAGE, "unknown kernel verb '%s'%s (list, use, rollback, "
				  "remove)", verb, suggest_hint(hint, sizeof(hint), SUGGEST_FROM(verb, verbs)));
		else
			error_set(&c->err, ERR_USAGE, "missing verb: wslctl kernel list|use VERSION|"
				  "rollback|remove VERSION");
		goto done;
	}
	if (n != want) {
		error_set(&c->err, ERR_USAGE, "usage: wslctl kernel %s%s", verb,
			  want == 2 ? " VERSION" : "");
		goto done;
	}
	if ((k.o.available || k.o.feed || k.o.pre || k.o.cacert) && strcmp(verb, "list")) {
		error_set(&c->err, ERR_USAGE, "--available, --feed, --pre-release and --cacert "
			  "go with 'kernel list'");
		goto done;
	}
	if (store_open(&k.s, c->home, c->root, &c->err) < 0)
		goto done;
	if (!strcmp(verb, "list"))
		rc = do_list(&k);
	else if (!strcmp(verb, "rollback"))
		rc = do_rollback(&k);
	else if (!strcmp(verb, "use"))
		rc = do_use(&k, pos[1]);
	else
		rc = do_remove(&k, pos[1]);
done:
	store_close(&k.s);
	free(pos);
	return rc;
}
