// SPDX-License-Identifier: MIT
/* The pool sampler thread (poolsampler.h). */
#include <signal.h>
#include <string.h>
#include <time.h>

#include "interrupt.h"
#include "poolsampler.h"

static void sample(struct poolsampler *s)
{
	for (int i = 0; i < s->n; i++) {
		uint64_t used;

		if (swiotlbpool_used(s->root, &s->p[i].pool, &used) == 0) {
			if (used > s->p[i].peak)
				s->p[i].peak = used;
			s->p[i].samples++;
		}
	}
}

static void *run(void *arg)
{
	struct poolsampler *s = arg;
	const struct timespec tick = { 0, POOLSAMPLER_MS * 1000000L };

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		sample(s);
		nanosleep(&tick, NULL);
	}
	sample(s);
	return NULL;
}

void poolsampler_start(struct poolsampler *s, const char *root)
{
	struct swiotlbpool pools[SWIOTLBPOOL_MAX];
	int n = swiotlbpool_find(root, true, pools, SWIOTLBPOOL_MAX);
	sigset_t block, old;

	memset(s, 0, sizeof(*s));
	s->root = root;
	for (int i = 0; i < n; i++) {
		struct swiotlb_usage u;

		if (swiotlbpool_read(root, &pools[i], &u) < 0 || !u.nslabs)
			continue;
		s->p[s->n].pool = pools[i];
		s->p[s->n].nslabs = u.nslabs;
		s->p[s->n++].peak = u.used;
	}
	if (!s->n)
		return;
	/* The thread inherits this mask: a signal then always reaches the main thread,
	 * whose blocking calls it interrupts. */
	interrupt_set(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	s->running = pthread_create(&s->thread, NULL, run, s) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void poolsampler_stop(struct poolsampler *s)
{
	if (s->running) {
		__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
		pthread_join(s->thread, NULL);
		s->running = false;
	}
	for (int i = 0; i < s->n; i++) {
		struct swiotlb_usage u;

		if (swiotlbpool_read(s->root, &s->p[i].pool, &u) == 1) {
			s->p[i].hiwater = u.hiwater;
			s->p[i].has_hiwater = u.has_hiwater;
		}
	}
}
