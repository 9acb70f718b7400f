// SPDX-License-Identifier: MIT
/* bench's run records (bench_record.h) and the run's JSON (bench_run.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_record.h"
#include "bench_run.h"
#include "fsutil.h"
#include "safefile.h"


static json_t *peaks_json(const struct bench_result *res)
{
	json_t *a;

	if (!res->npools)
		return json_null();
	a = json_array();
	for (int i = 0; i < res->npools; i++) {
		const struct pool_peak *p = &res->peak[i];

		json_array_append_new(a, json_pack("{s:s,s:b,s:I,s:I,s:o}", "pool", p->pool.dir,
			"dedicated", p->pool.dedicated, "slots", (json_int_t)p->nslabs,
			"peak", (json_int_t)p->peak, "hiwater",
			p->has_hiwater ? json_integer((json_int_t)p->hiwater) : json_null()));
	}
	return a;
}

static json_t *result_json(enum bench_wl w, const struct bench_result *res, int repeats)
{
	double spread, rate = bench_median(res->rate, repeats, &spread);
	json_t *o = json_pack("{s:I,s:f,s:f,s:f,s:b,s:i,s:o}",
			      w == BW_SEQ ? "bytes" : "files", (json_int_t)res->count,
			      "seconds", res->seconds, "rate", rate, "spread_pct", spread,
			      "cut", res->cut, "repeats", repeats, "pool_peak", peaks_json(res));

	if (w == BW_SEQ) {
		double s1, s2;

		json_object_set_new(o, "write_rate", json_real(bench_median(res->wrate, repeats, &s1)));
		json_object_set_new(o, "read_rate", json_real(bench_median(res->rrate, repeats, &s2)));
	}
	return o;
}

static json_t *side_json(const struct bench_side *s)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "path", s->path, "transport", s->fs.type,
			 "source", s->fs.source, "mount", s->fs.point);
}

json_t *bench_run_json(const struct bench_run *r)
{
	json_t *o = json_object(), *wls = json_array();

	json_object_set_new(o, "quick", json_boolean(r->quick));
	json_object_set_new(o, "target", side_json(&r->side[0]));
	json_object_set_new(o, "reference", side_json(&r->side[1]));
	for (int w = 0; w < BW_COUNT; w++) {
		json_t *t = result_json(w, &r->side[0].wl[w], r->repeats);
		json_t *ref = result_json(w, &r->side[1].wl[w], r->repeats);
		double a = json_real_value(json_object_get(t, "rate"));
		double b = json_real_value(json_object_get(ref, "rate"));

		json_array_append_new(wls, json_pack("{s:s,s:s,s:o,s:o,s:o}", "id",
			bench_wl_name(w), "unit", bench_wl_unit(w), "target", t, "reference", ref,
			"ratio", b > 0 ? json_real(a / b) : json_null()));
	}
	json_object_set_new(o, "workloads", wls);
	return o;
}

int bench_record_save(const char *home, json_t *run, char *path, size_t n,
		      struct error *err)
{
	const char *time = json_string_value(json_object_get(run, "time"));
	char dir[PATH_MAX], stamp[64];
	char *text;
	int rc;

	snprintf(dir, sizeof(dir), "%s/" BENCH_RECORD_DIR, home);
	if (mkdir_p(dir, 0755, err) < 0)
		return -1;
	snprintf(stamp, sizeof(stamp), "%s", time ? time : "run");
	for (char *p = stamp; *p; p++)
		if (*p == ':')
			*p = '-';
	snprintf(path, n, "%s/%s-%ld.json", dir, stamp, (long)getpid());
	text = json_dumps(run, JSON_INDENT(1) | JSON_SORT_KEYS);
	if (!text)
		return error_set(err, ERR_IO, "out of memory");
	rc = safefile_replace(path, text, strlen(text), 0644, err);
	free(text);
	return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_record(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 && !strcmp(d->d_name + len - 5, ".json");
}

json_t *bench_record_load(const char *home, struct error *err)
{
	char dir[PATH_MAX];
	struct dirent **list;
	json_t *all = json_array();
	int n;

	snprintf(dir, sizeof(dir), "%s/" BENCH_RECORD_DIR, home);
	n = scandir(dir, &list, is_record, by_name);
	if (n < 0) {
		if (errno == ENOENT)
			return all;
		json_decref(all);
		error_set(err, ERR_INVALID_FILE, "cannot read %s: %s", dir, strerror(errno));
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX + 256];
		json_t *rec;

		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		rec = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
		if (json_is_object(rec) && json_is_array(json_object_get(rec, "workloads"))) {
			json_object_set_new(rec, "file", json_string(path));
			json_array_append(all, rec);
		}
		json_decref(rec);
		free(list[i]);
	}
	free(list);
	return all;
}

static const char *key_part(json_t *rec, const char *a, const char *b)
{
	const char *s = json_string_value(b ? json_object_get(json_object_get(rec, a), b) :
					  json_object_get(rec, a));
	return s ? s : "";
}

json_t *bench_record_latest(json_t *records)
{
	json_t *out = json_array();
	size_t n = json_array_size(records);

	/* Newest first, keeping the first of each key; then back to oldest first. */
	for (size_t i = n; i-- > 0;) {
		json_t *rec = json_array_get(records, i);
		bool seen = false;
		size_t j;
		json_t *o;

		json_array_foreach(out, j, o)
			seen |= !strcmp(key_part(o, "target", "transport"),
					key_part(rec, "target", "transport")) &&
				!strcmp(key_part(o, "kernel", NULL), key_part(rec, "kernel", NULL));
		if (!seen)
			json_array_insert(out, 0, rec);
	}
	return out;
}
