// SPDX-License-Identifier: MIT
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1536 -> "1.5 KiB": short enough that the bar fits an 80-column terminal. */
static void human(double v, char *buf, size_t n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

void progress_begin(struct progress *p, bool enabled, const char *label, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->enabled = enabled;
	snprintf(p->label, sizeof(p->label), "%s", label ? label : "");
	p->total = total;
	p->start = now();
}

void progress_base(struct progress *p, uint64_t base)
{
	p->base = base;
	p->done = base;
	p->start = now();
}

static void draw(struct progress *p, double t)
{
	double secs = t - p->start, rate = 0;
	char done[16], tot[16], rs[16], eta[16] = "";

	/* What stdout holds was said first: it goes out before the bar (output.h). */
	fflush(stdout);
	if (secs > 0 && p->done > p->base)
		rate = (double)(p->done - p->base) / secs;
	human((double)p->done, done, sizeof(done));
	human(rate, rs, sizeof(rs));
	if (p->total) {
		unsigned pct = (unsigned)(p->done >= p->total ? 100 : p->done * 100 / p->total);
		char bar[21];
		unsigned fill = pct / 5;

		memset(bar, '#', fill);
		memset(bar + fill, '.', 20 - fill);
		bar[20] = '\0';
		human((double)p->total, tot, sizeof(tot));
		if (rate > 0 && p->done < p->total) {
			unsigned long left = (unsigned long)((double)(p->total - p->done) / rate);

			if (snprintf(eta, sizeof(eta), " ETA %lu:%02lu", left / 60, left % 60) >=
			    (int)sizeof(eta))
				eta[0] = '\0'; /* centuries away: no ETA rather than a cut one */
		}
		fprintf(stderr, "\r\033[K%s [%s] %3u%% %s/%s %s/s%s", p->label, bar, pct, done,
			tot, rs, eta);
	} else {
		fprintf(stderr, "\r\033[K%s %s %s/s", p->label, done, rs);
	}
	fflush(stderr);
	p->drawn = true;
	p->last_draw = t;
}

void progress_update(struct progress *p, uint64_t done, uint64_t total)
{
	double t;

	if (!p->enabled)
		return;
	p->done = done;
	if (total)
		p->total = total;
	t = now();
	if (p->drawn && t - p->last_draw < 0.1)
		return;
	draw(p, t);
}

void progress_end(struct progress *p)
{
	if (!p->enabled || !p->drawn)
		return;
	draw(p, now());
	fputc('\n', stderr);
	p->drawn = false;
}
