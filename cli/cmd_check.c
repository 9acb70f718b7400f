// SPDX-License-Identifier: MIT
/* wslctl check: runs the rules in checks.c and prints them as a table or JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "checks.h"
#include "commands.h"
#include "fsutil.h"
#include "output.h"
#include "safefile.h"
#include "winpath.h"
#include "wslconfig.h"

/* wsl.exe through interop usually answers in tens of milliseconds; a cold start of the
 * WSL service can take seconds. */
#define HOST_TIMEOUT_MS 10000
#define WSL_EXE_FALLBACK "/mnt/c/Windows/System32/wsl.exe"

enum { O_REQUIRE = 1 };

static const struct option_spec options[] = {
	{ "require", 0, ARG_REQUIRED, O_REQUIRE },
	{ NULL, 0, 0, 0 },
};

struct check_opts {
	bool required[CK_COUNT];
	bool any_required;
};

static int on_option(void *ud, int id, const char *val, struct error *err)
{
	struct check_opts *o = ud;
	const char *p = val;

	(void)id;
	if (!*p)
		return error_set(err, ERR_USAGE, "--require needs check ids (see 'wslctl check --help')");
	while (*p) {
		size_t len = strcspn(p, ",");
		char name[64];
		int ck;

		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		ck = len ? check_id_find(name) : -1;
		if (ck < 0) {
			char known[512] = "";

			for (int i = 0; i < CK_COUNT; i++)
				snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
					 i ? ", " : "", check_id_name(i));
			return error_set(err, ERR_USAGE, "--require: unknown check id '%s' (ids: %s)",
					 name, known);
		}
		o->required[ck] = true;
		o->any_required = true;
		p += len;
		p += *p == ',';
	}
	return 0;
}

/* Where the .wslconfig is, or why none is known (room for any reason or error). */
struct wslconfig_where {
	struct winpath_found f;
	char why[sizeof(((struct winpath_found *)0)->how) + sizeof(((struct error *)0)->message)];
};

/* The .wslconfig to look at, when one is known (winpath_find_wslconfig), in W->f.path;
 * W->why gets the reason when there is none, for wslconfig.virtiofs's skip. */
static const char *find_wslconfig(const struct ctx *c, struct wslconfig_where *w)
{
	struct error err = { 0 };

	switch (winpath_find_wslconfig(c->root, c->wslconfig, WINPATH_OPTIONAL, &w->f, &err)) {
	case 1:
		return w->f.path;
	case 0:
		memcpy(w->why, w->f.how, sizeof(w->f.how));
		return NULL;
	}
	snprintf(w->why, sizeof(w->why), "cannot find .wslconfig: %s", err.message);
	return NULL;
}

/* What check reads must be there to read: --root a folder, the .wslconfig (when there is
 * one) a regular file that decodes (not UTF-16 BE, no NUL: what `config validate` refuses
 * too). Otherwise the input is bad (exit 3), not the machine. */
static int readable_inputs(struct ctx *c, const char *wslconfig)
{
	struct stat st;
	struct wslconfig *cfg;

	if (stat(c->root, &st) < 0)
		return error_set(&c->err, ERR_INVALID_FILE, "cannot read --root %s: %s", c->root,
				 strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error_set(&c->err, ERR_INVALID_FILE, "--root %s is %s, not a folder",
				 c->root, file_kind(st.st_mode));
	if (!wslconfig)
		return 0;
	if (safefile_probe(wslconfig, false, &c->err) < 0 ||
	    wslconfig_load(wslconfig, &cfg, &c->err) < 0)
		return -1;
	wslconfig_free(cfg);
	return 0;
}

static bool counts_as_failed(const struct check_opts *o, int i, enum check_status st)
{
	if (o->any_required)
		return o->required[i] && (st == CHECK_FAIL || st == CHECK_SKIP);
	return st == CHECK_FAIL;
}

static const char *status_colour(const struct ctx *c, bool colour, enum check_status st)
{
	static const enum colour by_status[] = {
		[CHECK_PASS] = COL_GREEN, [CHECK_FAIL] = COL_RED,
		[CHECK_WARN] = COL_YELLOW, [CHECK_SKIP] = COL_DIM,
	};
	return colour ? col(c, by_status[st]) : "";
}

static void print_table(const struct ctx *c, const struct check_report *rep,
			const struct check_opts *o)
{
	static const char *const label[] = { "pass", "FAIL", "warn", "skip" };
	/* The shared decision for the stream out() writes to (output_init). */
	bool colour = *col(c, COL_RESET) != '\0';
	const char *reset = colour ? col(c, COL_RESET) : "";
	int count[4] = { 0 }, failed = 0;

	out(c, "kernel %s (%s)", rep->release,
	    rep->wsl == 2 ? "WSL 2" : rep->wsl == 1 ? "WSL 1" : "not WSL");
	for (int i = 0; i < CK_COUNT; i++) {
		const struct check_result *r = &rep->r[i];

		count[r->status]++;
		failed += counts_as_failed(o, i, r->status);
		out(c, "  %s%s%s  %-20s %s%s", status_colour(c, colour, r->status),
		    label[r->status], reset, check_id_name(i), r->detail,
		    o->any_required && o->required[i] ? " [required]" : "");
		if (r->fix[0] && r->status != CHECK_PASS)
			out(c, "        %-20s %sfix:%s %s", "", colour ? col(c, COL_BOLD) : "", reset,
			    r->fix);
		if (i == CK_KERNEL_CONFIG && c->verbosity > 0)
			for (int k = 0; k < rep->noptions; k++)
				out(c, "        %-20s %s CONFIG_%s%s%s (needs %s)", "",
				    rep->options[k].ok ? "ok " : "BAD", rep->options[k].name,
				    rep->options[k].state[0] == '=' ? "" : " ", rep->options[k].state,
				    rep->options[k].need);
	}
	out(c, "%d passed, %d failed, %d warned, %d skipped%s", count[CHECK_PASS],
	    count[CHECK_FAIL], count[CHECK_WARN], count[CHECK_SKIP],
	    !o->any_required ? "" : failed ? "; a required check failed or could not be verified" :
	    "; every required check passed");
}

static json_t *report_json(const struct check_report *rep, const struct check_opts *o)
{
	json_t *checks = json_array(), *kernel, *root;

	for (int i = 0; i < CK_COUNT; i++) {
		const struct check_result *r = &rep->r[i];
		/* Details quote the machine's files: cleaned to UTF-8, or the entry would vanish. */
		json_t *e = json_pack("{s:s, s:s, s:o, s:o}", "id", check_id_name(i), "status",
				      check_status_name(r->status), "detail",
				      json_str_or_null(r->detail), "fix",
				      json_str_or_null(r->fix[0] && r->status != CHECK_PASS ?
						       r->fix : NULL));

		if (i == CK_KERNEL_CONFIG && rep->noptions) {
			json_t *opts = json_array();

			for (int k = 0; k < rep->noptions; k++)
				json_array_append_new(opts, json_pack(
					"{s:o, s:o, s:o, s:b}", "name",
					json_str_or_null(rep->options[k].name), "state",
					json_str_or_null(rep->options[k].state), "need",
					json_str_or_null(rep->options[k].need), "ok",
					rep->options[k].ok));
			json_object_set_new(e, "options", opts);
		}
		json_array_append_new(checks, e);
	}
	kernel = json_pack("{s:o, s:o, s:o}", "release", json_str_or_null(rep->release),
			   "version", json_str_or_null(rep->version[0] ? rep->version : NULL),
			   "wsl", rep->wsl ? json_integer(rep->wsl) : json_null());
	root = json_pack("{s:o, s:o}", "kernel", kernel, "checks", checks);
	if (o->any_required) {
		json_t *req = json_array();

		for (int i = 0; i < CK_COUNT; i++)
			if (o->required[i])
				json_array_append_new(req, json_string(check_id_name(i)));
		json_object_set_new(root, "required", req);
	}
	return root;
}

int cmd_check(struct ctx *c, int argc, char **argv)
{
	struct check_opts o = { { 0 }, false };
	struct wslconfig_where *where;
	struct check_input in = { 0 };
	struct check_report *rep;
	const char *exe = getenv("WSLCTL_WSL_EXE");
	int failed = 0;
	json_t *res;

	if (args_parse_options(argc, argv, options, on_option, &o, "check", &c->err) < 0)
		return -1;
	rep = malloc(sizeof(*rep));
	where = calloc(1, sizeof(*where));
	if (!rep || !where) {
		free(rep);
		free(where);
		return error_set(&c->err, ERR_IO, "out of memory");
	}

	in.root = c->root;
	in.data_dir = c->data_dir;
	in.wslconfig = find_wslconfig(c, where);
	in.wslconfig_why = where->why;
	if (readable_inputs(c, in.wslconfig) < 0) {
		free(rep);
		free(where);
		return -1;
	}
	/* Under --root the live machine's wsl.exe says nothing of the recorded one: only a
	 * named one runs there. */
	if (exe && *exe) {
		in.wsl_exe = exe;
	} else if (!strcmp(c->root, "/")) {
		in.wsl_exe = "wsl.exe";
		/* Not in PATH when wsl.conf sets appendWindowsPath=false; the drive is there. */
		in.wsl_exe_fallback = WSL_EXE_FALLBACK;
	}
	in.host_timeout_ms = HOST_TIMEOUT_MS;
	if (checks_run(&in, rep, &c->err) < 0) {
		free(rep);
		free(where);
		return -1;
	}
	for (int i = 0; i < CK_COUNT; i++)
		failed += counts_as_failed(&o, i, rep->r[i].status);
	print_table(c, rep, &o);
	res = report_json(rep, &o);
	json_object_set_new(res, "ok", json_boolean(!failed));
	json_object_update(c->result, res);
	json_decref(res);
	free(rep);
	free(where);
	return failed ? 1 : 0;
}
