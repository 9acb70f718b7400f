// SPDX-License-Identifier: MIT
#include "interrupt.h"

#include <string.h>

static volatile sig_atomic_t first_signal;
static bool caught, deferred;
static sigset_t before_defer;
/* SIGPIPE too: a reader that goes away (`wslctl build | head`) must let a writer unwind
 * (writes fail with EPIPE) rather than kill it half-way. */
static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
#define NHANDLED (sizeof(handled) / sizeof(handled[0]))

static void on_signal(int sig)
{
	if (!first_signal)
		first_signal = sig;
}

static void set_all(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked read(), flock() or wait returns so we can stop. */
	for (size_t i = 0; i < NHANDLED; i++)
		sigaction(handled[i], &sa, NULL);
}

void interrupt_catch(void)
{
	if (caught)
		return;
	caught = true;
	set_all(on_signal);
}

int interrupt_signal(void)
{
	return first_signal;
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	case SIGPIPE: return "SIGPIPE (the output was closed)";
	default: return "a signal";
	}
}

bool interrupt_pending(void)
{
	return first_signal && !deferred;
}

int interrupt_check(struct error *err)
{
	int sig = first_signal;

	if (!interrupt_pending())
		return 0;
	return error_set(err, ERR_INTERRUPTED, "interrupted by %s; stopped before the next "
			 "step, nothing half-done was left", signal_name(sig));
}

void interrupt_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < NHANDLED; i++)
		sigaddset(set, handled[i]);
}

void interrupt_defer(void)
{
	sigset_t set;

	if (deferred)
		return;
	/* Noted, not fatal, when they are let in again; held off until then. */
	interrupt_catch();
	interrupt_set(&set);
	sigprocmask(SIG_BLOCK, &set, &before_defer);
	deferred = true;
}

void interrupt_resume(void)
{
	if (!deferred)
		return;
	deferred = false;
	/* A blocked signal is delivered (to on_signal) before sigprocmask returns. */
	sigprocmask(SIG_SETMASK, &before_defer, NULL);
}

void interrupt_reset(void)
{
	interrupt_resume();
	set_all(SIG_DFL);
	caught = false;
	deferred = false;
	first_signal = 0;
}
