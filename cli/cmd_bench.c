// SPDX-License-Identifier: MIT
/*
 * wslctl bench: cross-OS file I/O where the user works (--target) against the Linux
 * file system (--reference), kept per run for --history and --compare (docs/bench.md).
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "bench_chart.h"
#include "bench_record.h"
#include "bench_run.h"
#include "commands.h"
#include "homedir.h"
#include "interrupt.h"
#include "output.h"
#include "sysprobe.h"
#include "winpath.h"
#include "wslexe.h"

enum { O_TARGET = 1, O_REFERENCE, O_QUICK, O_HISTORY, O_COMPARE };

static const struct option_spec options[] = {
	{ "target", 0, ARG_REQUIRED, O_TARGET },
	{ "reference", 0, ARG_REQUIRED, O_REFERENCE },
	{ "quick", 0, ARG_NONE, O_QUICK },
	{ "history", 0, ARG_NONE, O_HISTORY },
	{ "compare", 0, ARG_NONE, O_COMPARE },
	{ NULL, 0, 0, 0 },
};

struct bench_opts {
	const char *target, *reference;
	bool quick, history, compare;
};

static int on_option(void *ud, int id, const char *val, struct error *err)
{
	struct bench_opts *o = ud;

	switch (id) {
	case O_TARGET: o->target = val; break;
	case O_REFERENCE: o->reference = val; break;
	case O_QUICK: o->quick = true; break;
	case O_HISTORY: o->history = true; break;
	default: o->compare = true; break;
	}
	return 0;
}

/* Inside WSL the Windows profile (found as .wslconfig is); elsewhere it must be given. */
static int default_target(struct ctx *c, char *buf, size_t n)
{
	bool cached;

	if (!sysprobe_is_wsl(c->root))
		return error_set(&c->err, ERR_USAGE,
				 "not inside WSL: bench needs --target DIR (the folder to measure)");
	return winpath_userprofile(c->root, buf, n, NULL, 0, &cached, &c->err);
}

/* $HOME, or /var/tmp when $HOME is on tmpfs: the distro's own disk. */
static const char *default_reference(const struct ctx *c)
{
	const char *home = getenv("HOME");
	struct fstype fs;

	if (home && *home && fstype_of_path(c->root, home, &fs) == 0 && strcmp(fs.type, "tmpfs"))
		return home;
	return "/var/tmp";
}

static void progress(void *ud, int side, enum bench_wl w, int repeat)
{
	const struct ctx *c = ud;

	if (c->progress)
		fprintf(stderr, "\rbench: %-9s %-6s %d/%d ", side ? "reference" : "target",
			bench_wl_name(w), repeat + 1, BENCH_REPEATS);
}

/* wsl.exe --version, asked while the workloads run (it is outside every budget, and
 * the whole run has one: a default run within 60 s), for at most WSL_VERSION_MS. */
#define WSL_VERSION_MS 3000
struct wsl_query {
	pthread_t thread;
	bool started, known;
	char ver[64];
};

static void *ask_wsl(void *ud)
{
	struct wsl_query *q = ud;
	struct error ignored;
	sigset_t set;
	int status;

	/* Signals go to the main thread, which stops the run; the child gets the default
	 * dispositions and an empty mask from the spawner. */
	interrupt_set(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	q->known = wslexe_ask_version(wslexe_program(), WSL_VERSION_MS, q->ver, sizeof(q->ver),
				      &status, &ignored) == 1;
	return NULL;
}

static void wsl_query_start(const struct ctx *c, struct wsl_query *q)
{
	q->started = wslexe_available(c->root) && pthread_create(&q->thread, NULL, ask_wsl, q) == 0;
}

/* The version, or NULL when unknown. */
static const char *wsl_query_end(struct wsl_query *q)
{
	if (q->started)
		pthread_join(q->thread, NULL);
	q->started = false;
	return q->known ? q->ver : NULL;
}

/* Kernel, WSL version and pool: the machine the numbers belong to. */
static void machine_facts(const struct ctx *c, json_t *run, const char *wsl)
{
	char rel[256] = "", stamp[32];
	time_t now = time(NULL);
	uint64_t size = 0;
	bool published;

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	json_object_set_new(run, "time", json_string(stamp));
	if (sysprobe_read(c->root, "/proc/sys/kernel/osrelease", rel, sizeof(rel)) > 0)
		rel[strcspn(rel, "\n")] = '\0';
	json_object_set_new(run, "kernel", json_str_or_null(rel[0] ? rel : NULL));
	json_object_set_new(run, "wsl_version", wsl ? json_string(wsl) : json_null());
	published = sysprobe_read_u64(c->root, "/sys/bus/vmbus/drivers/hv_pci/swiotlb_size",
				      &size) == 0 && size > 0;
	json_object_set_new(run, "pool", json_pack("{s:b,s:o}", "published", published,
		"size", published ? json_integer((json_int_t)size) : json_null()));
}

static double num(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	return json_number_value(b ? json_object_get(v, b) : v);
}

static const char *str(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	const char *s = json_string_value(b ? json_object_get(v, b) : v);

	return s ? s : "?";
}

/* "7.3x slower" / "1.2x faster" for the target against the reference. */
static void ratio_text(json_t *ratio, char *buf, size_t n)
{
	double r = json_number_value(ratio);

	if (!json_is_number(ratio) || r <= 0)
		snprintf(buf, n, "-");
	else if (r < 1)
		snprintf(buf, n, "%.1fx slower", 1 / r);
	else
		snprintf(buf, n, "%.1fx faster", r);
}

/* Appends to WHICH the workloads during which pool I of SIDE came within a tenth of
 * full ("target: unpack, seq"); MOST gets the largest peak. */
static void near_full(json_t *run, const char *side, size_t i, double slots, char *which,
		      size_t n, double *most)
{
	json_t *wl;
	size_t k;
	bool named = false;

	json_array_foreach(json_object_get(run, "workloads"), k, wl) {
		json_t *q = json_array_get(json_object_get(json_object_get(wl, side),
							   "pool_peak"), i);
		double peak = num(q, "peak", NULL);
		size_t len = strlen(which);

		if (slots > 0 && peak * 10 >= slots * 9) {
			if (named)
				snprintf(which + len, n - len, ", %s", str(wl, "id", NULL));
			else
				snprintf(which + len, n - len, "%s%s: %s", len ? "; " : "", side,
					 str(wl, "id", NULL));
			named = true;
		}
		*most = peak > *most ? peak : *most;
	}
}

/* Each pool that came within a tenth of full during some workload, on either side,
 * once, with the workloads and the fix: the dedicated pools are sized by
 * hv_pci_swiotlb=, the default pool by swiotlb=. */
static void warn_pools(const struct ctx *c, json_t *run)
{
	json_t *first, *p;
	size_t i;

	first = json_object_get(json_object_get(json_array_get(json_object_get(run,
		"workloads"), 0), "target"), "pool_peak");
	json_array_foreach(first, i, p) {
		char which[256] = "";
		double slots = num(p, "slots", NULL), most = 0;

		near_full(run, "target", i, slots, which, sizeof(which), &most);
		near_full(run, "reference", i, slots, which, sizeof(which), &most);
		if (which[0])
			warnf(c, "pool %s reached %.0f%% of its %.0f slots (%s): near exhaustion; "
			      "a bigger %s helps (see 'wslctl check')", str(p, "pool", NULL),
			      most * 100 / slots, slots, which,
			      json_is_true(json_object_get(p, "dedicated")) ? "hv_pci_swiotlb=" :
			      "swiotlb=");
	}
}

static void print_run(const struct ctx *c, json_t *run)
{
	json_t *wl;
	size_t i;

	out(c, "target     %s (%s)", str(run, "target", "path"), str(run, "target", "transport"));
	out(c, "reference  %s (%s)", str(run, "reference", "path"),
	    str(run, "reference", "transport"));
	out(c, "kernel     %s, WSL %s, pool %s", str(run, "kernel", NULL),
	    json_is_string(json_object_get(run, "wsl_version")) ? str(run, "wsl_version", NULL) :
	    "unknown", json_is_true(json_object_get(json_object_get(run, "pool"), "published")) ?
	    "published" : "not published");
	out(c, "%-8s %19s %19s  %s", "workload", "target", "reference", "target vs reference");
	json_array_foreach(json_object_get(run, "workloads"), i, wl) {
		char ratio[32];

		ratio_text(json_object_get(wl, "ratio"), ratio, sizeof(ratio));
		out(c, "%-8s %9.1f %-9s %9.1f %-9s  %s", str(wl, "id", NULL),
		    num(wl, "target", "rate"), str(wl, "unit", NULL),
		    num(wl, "reference", "rate"), str(wl, "unit", NULL), ratio);
	}
	warn_pools(c, run);
}

/* One line of --history / one entry of --compare: the run with its rates only. */
static json_t *summary(json_t *run)
{
	json_t *wls = json_array(), *wl;
	size_t i;

	json_array_foreach(json_object_get(run, "workloads"), i, wl)
		json_array_append_new(wls, json_pack("{s:O,s:O,s:f,s:f,s:O}", "id",
			json_object_get(wl, "id"), "unit", json_object_get(wl, "unit"),
			"rate", num(wl, "target", "rate"), "reference_rate",
			num(wl, "reference", "rate"), "ratio", json_object_get(wl, "ratio")));
	return json_pack("{s:b,s:O*,s:O*,s:O*,s:O*,s:{s:O*,s:O*},s:{s:O*,s:O*},s:o}",
		"quick", json_is_true(json_object_get(run, "quick")),
		"file", json_object_get(run, "file"), "time", json_object_get(run, "time"),
		"kernel", json_object_get(run, "kernel"), "wsl_version",
		json_object_get(run, "wsl_version"), "target", "path",
		json_object_get(json_object_get(run, "target"), "path"), "transport",
		json_object_get(json_object_get(run, "target"), "transport"), "reference", "path",
		json_object_get(json_object_get(run, "reference"), "path"), "transport",
		json_object_get(json_object_get(run, "reference"), "transport"), "workloads", wls);
}

static void print_history(const struct ctx *c, json_t *runs)
{
	json_t *run;
	size_t i;

	if (!json_array_size(runs))
		out(c, "no bench runs recorded yet (run 'wslctl bench')");
	json_array_foreach(runs, i, run) {
		char line[512] = "";
		json_t *wl;
		size_t k;

		json_array_foreach(json_object_get(run, "workloads"), k, wl) {
			char r[32];

			ratio_text(json_object_get(wl, "ratio"), r, sizeof(r));
			snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s %s",
				 k ? ", " : "", str(wl, "id", NULL), r);
		}
		out(c, "%s  %-9s %s  %s", str(run, "time", NULL), str(run, "target", "transport"),
		    str(run, "kernel", NULL), line);
	}
}

/* The one place bench colours: the bars. */
static const char *bar_on(const struct ctx *c)
{
	return col(c, COL_GREEN);
}

/* One bar: LABEL, RATE against MAX, and NOTE. */
static void chart_line(const struct ctx *c, bool utf8, const char *label, double rate,
		       double max, const char *note)
{
	char bar[512];

	out(c, "  %-36.36s %s%s%s %9.1f%s%s", label, bar_on(c),
	    bench_chart_bar(max > 0 ? rate / max : 0, 40, utf8, bar, sizeof(bar)),
	    col(c, COL_RESET), rate, *note ? "  " : "", note);
}

/* Per workload a bar for each run's target and one for its reference, on one scale. */
static void print_chart(const struct ctx *c, json_t *runs)
{
	bool utf8 = bench_chart_utf8();
	json_t *first = json_array_get(runs, 0), *wl0;
	size_t w;

	json_array_foreach(json_object_get(first, "workloads"), w, wl0) {
		double max = 0;
		json_t *run;
		size_t i;

		json_array_foreach(runs, i, run) {
			json_t *wl = json_array_get(json_object_get(run, "workloads"), w);

			max = num(wl, "rate", NULL) > max ? num(wl, "rate", NULL) : max;
			max = num(wl, "reference_rate", NULL) > max ?
				num(wl, "reference_rate", NULL) : max;
		}
		out(c, "%s (%s, longer is faster)", str(wl0, "id", NULL), str(wl0, "unit", NULL));
		json_array_foreach(runs, i, run) {
			json_t *wl = json_array_get(json_object_get(run, "workloads"), w);
			char label[96], r[32];

			snprintf(label, sizeof(label), "%s %s", str(run, "target", "transport"),
				 str(run, "kernel", NULL));
			ratio_text(json_object_get(wl, "ratio"), r, sizeof(r));
			chart_line(c, utf8, label, num(wl, "rate", NULL), max, r);
			snprintf(label, sizeof(label), "  reference: %s",
				 str(run, "reference", "transport"));
			chart_line(c, utf8, label, num(wl, "reference_rate", NULL), max, "");
		}
	}
}

/* Some of RUNS are --quick runs and some are not. */
static bool mixes_quick(json_t *runs)
{
	size_t i, quick = 0;
	json_t *run;

	json_array_foreach(runs, i, run)
		quick += json_is_true(json_object_get(run, "quick"));
	return quick && quick < json_array_size(runs);
}

static int show_records(struct ctx *c, const struct bench_opts *o)
{
	char home[PATH_MAX];
	json_t *all, *runs, *list = json_array(), *run;
	size_t i;

	if (homedir_resolve(c->home, c->root, home, sizeof(home), &c->err) < 0 ||
	    !(all = bench_record_load(home, &c->err))) {
		json_decref(list);
		return -1;
	}
	runs = o->compare ? bench_record_latest(all) : json_incref(all);
	json_array_foreach(runs, i, run)
		json_array_append_new(list, summary(run));
	if (o->compare && !json_array_size(list))
		out(c, "no bench runs recorded yet (run 'wslctl bench')");
	else if (o->compare)
		print_chart(c, list);
	if (o->compare && mixes_quick(list)) {
		warnf(c, "these runs mix --quick and full runs: a quick run times a smaller seq "
		      "file and shorter budgets, so its rates are not those of a full run; "
		      "compare runs of one kind");
		json_object_set_new(c->result, "mixed_quick", json_true());
	}
	else
		print_history(c, list);
	json_object_set_new(c->result, "runs", list);
	json_decref(runs);
	json_decref(all);
	return 0;
}

/* Where the run is kept; a run that cannot be kept still reports its numbers. */
static void keep(struct ctx *c, json_t *run)
{
	char home[PATH_MAX], path[PATH_MAX + 64];
	struct error err = { 0 };

	if (homedir_resolve(c->home, c->root, home, sizeof(home), &err) < 0 ||
	    bench_record_save(home, run, path, sizeof(path), &err) < 0) {
		warnf(c, "this run is not kept for --compare: %s", err.message);
		json_object_set_new(run, "record", json_null());
		return;
	}
	json_object_set_new(run, "record", json_string(path));
	verbose(c, "kept in %s", path);
}

static int run_bench(struct ctx *c, const struct bench_opts *o)
{
	char target[PATH_MAX], abs_target[PATH_MAX], abs_ref[PATH_MAX];
	struct wsl_query q = { 0 };
	const char *wsl;
	struct bench_run r = { .root = c->root, .quick = o->quick, .progress = progress,
			       .ud = c };
	json_t *run;
	int rc;

	if (o->target)
		snprintf(target, sizeof(target), "%s", o->target);
	else if (default_target(c, target, sizeof(target)) < 0)
		return -1;
	r.side[0].path = target;
	r.side[1].path = o->reference ? o->reference : default_reference(c);
	/* Recorded absolute (a relative path means nothing in a later --history); one that
	 * cannot be resolved is told as given by bench_run's checks. */
	if (realpath(r.side[0].path, abs_target))
		r.side[0].path = abs_target;
	if (realpath(r.side[1].path, abs_ref))
		r.side[1].path = abs_ref;
	wsl_query_start(c, &q);
	rc = bench_run(&r, &c->err);
	wsl = wsl_query_end(&q);
	if (c->progress)
		fprintf(stderr, "\r%40s\r", "");
	if (rc < 0)
		return -1;
	run = bench_run_json(&r);
	machine_facts(c, run, wsl);
	keep(c, run);
	print_run(c, run);
	json_object_update(c->result, run);
	json_decref(run);
	/* A signal after the workloads (the record, the WSL version) still ends the command
	 * with 128+N; the run is kept and shown. */
	return interrupt_check(&c->err);
}

int cmd_bench(struct ctx *c, int argc, char **argv)
{
	struct bench_opts o = { 0 };

	if (args_parse_options(argc, argv, options, on_option, &o, "bench", &c->err) < 0)
		return -1;
	if (c->dry_run)
		return error_set(&c->err, ERR_USAGE, "bench does not take -n: it changes nothing "
				 "but its own folders and records, and a dry run would measure nothing");
	if (o.history && o.compare)
		return error_set(&c->err, ERR_USAGE, "--history and --compare go one at a time");
	if ((o.history || o.compare) && (o.target || o.reference || o.quick))
		return error_set(&c->err, ERR_USAGE, "--%s shows kept runs: it takes no --target, "
				 "--reference or --quick", o.history ? "history" : "compare");
	return o.history || o.compare ? show_records(c, &o) : run_bench(c, &o);
}
