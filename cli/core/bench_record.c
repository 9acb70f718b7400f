// SPDX-License-Identifier: MIT
/* bench's run records (bench_record.h) and the run's JSON (bench_run.h). */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_record.h"
#include "bench_run.h"
#include "fdio.h"
#include "fsutil.h"
#include "safefile.h"
#include "textenc.h"


/* A record is a few KiB; anything far bigger is not one. */
#define RECORD_MAX (1 << 20)

/* The records folder DIR, opened without following a link; -1 with errno ENOENT (ERR
 * untouched) when it is missing, ERR_INVALID_FILE when it is a link or not a folder. */
static int open_records(const char *dir, struct error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), e;

	if (fd >= 0 || errno == ENOENT)
		return fd;
	e = errno;
	error_set(err, ERR_INVALID_FILE, e == ELOOP || e == ENOTDIR ?
		  "%s is not a folder (a symbolic link or a file): bench keeps its records "
		  "only in a folder of its own; remove it" : "cannot read %s: %s", dir,
		  strerror(e));
	errno = e;
	return -1;
}

static json_t *peaks_json(const struct bench_result *res)
{
	json_t *a;

	if (!res->npools)
		return json_null();
	a = json_array();
	for (int i = 0; i < res->npools; i++) {
		const struct pool_peak *p = &res->peak[i];

		json_array_append_new(a, json_pack("{s:o,s:b,s:I,s:I,s:o}", "pool",
			textenc_json_or_null(p->pool.dir),
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
	/* Paths come from the command line and the mount table: any bytes, maybe none. */
	return json_pack("{s:o,s:o,s:o,s:o}", "path", textenc_json_or_null(s->path),
			 "transport", textenc_json_or_null(s->fs.type),
			 "source", textenc_json_or_null(s->fs.source),
			 "mount", textenc_json_or_null(s->fs.point));
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

	int dfd;

	snprintf(dir, sizeof(dir), "%s/" BENCH_RECORD_DIR, home);
	if (mkdir_p(dir, 0755, err) < 0)
		return -1;
	/* Never written through a link (the records would land outside home). */
	if ((dfd = open_records(dir, err)) < 0)
		return -1;
	close(dfd);
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

static int is_record(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 && !strcmp(name + len - 5, ".json");
}

/* NAME in DFD when it is a record: a regular file (no link, no FIFO waited on) of at
 * most RECORD_MAX bytes holding a run; NULL otherwise (skipped). */
static json_t *load_one(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	json_t *rec = NULL;
	size_t len;
	char *text;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= RECORD_MAX &&
	    (text = read_all(fd, RECORD_MAX, &len))) {
		rec = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
		free(text);
	}
	close(fd);
	if (json_is_object(rec) && json_is_array(json_object_get(rec, "workloads")))
		return rec;
	json_decref(rec);
	return NULL;
}

/* Oldest first by the run's own time, then by file name (a name says nothing). */
static int by_time(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *tx = json_string_value(json_object_get(x, "time"));
	const char *ty = json_string_value(json_object_get(y, "time"));
	const char *fx = json_string_value(json_object_get(x, "file"));
	const char *fy = json_string_value(json_object_get(y, "file"));
	int c = strcmp(tx ? tx : "", ty ? ty : "");

	return c ? c : strcmp(fx ? fx : "", fy ? fy : "");
}

json_t *bench_record_load(const char *home, struct error *err)
{
	char dir[PATH_MAX];
	json_t **recs = NULL, *all;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *list;
	int dfd;

	snprintf(dir, sizeof(dir), "%s/" BENCH_RECORD_DIR, home);
	if ((dfd = open_records(dir, err)) < 0)
		return errno == ENOENT ? json_array() : NULL;
	if (!(list = fdopendir(dfd))) {
		close(dfd);
		error_set(err, ERR_INVALID_FILE, "cannot read %s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((d = readdir(list))) {
		char path[PATH_MAX + 256];
		json_t *rec;

		if (!is_record(d->d_name) || !(rec = load_one(dfd, d->d_name)))
			continue;
		if (n == cap) {
			json_t **more = realloc(recs, (cap = cap ? cap * 2 : 16) * sizeof(*recs));

			if (!more) {
				json_decref(rec);
				break;
			}
			recs = more;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		json_object_set_new(rec, "file", textenc_json_or_null(path));
		recs[n++] = rec;
	}
	closedir(list);
	if (n)
		qsort(recs, n, sizeof(*recs), by_time);
	all = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(all, recs[i]);
	free(recs);
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
