/* SPDX-License-Identifier: MIT */
/*
 * The one way every command stops on SIGINT, SIGTERM, SIGHUP and SIGPIPE (docs/cli.md,
 * "Interrupts"). interrupt_catch() installs handlers that only note the first signal,
 * without SA_RESTART so a blocked call returns EINTR. Code that writes asks
 * interrupt_check() between steps and, when it fails, unwinds through its normal error
 * path (temporary files removed, locks released, half-done work undone). The command
 * level turns ERR_INTERRUPTED into exit 128 + the signal.
 */
#ifndef WSLCTL_INTERRUPT_H
#define WSLCTL_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>

#include "error.h"

/* From now on SIGINT, SIGTERM, SIGHUP and SIGPIPE are noted, not fatal. Idempotent. */
void interrupt_catch(void);
/* The first signal noted, 0 when none came. */
int interrupt_signal(void);
/* A signal came and no clean-up has taken over (interrupt_defer): stop at the next step. */
bool interrupt_pending(void);
/* 0, or -1 with ERR_INTERRUPTED naming the signal when one is pending. */
int interrupt_check(struct error *err);
/* The signals we handle, for callers that block them around a step (sigprocmask) and
 * let them in only while they wait (ppoll, spawn_poll). */
void interrupt_set(sigset_t *set);
/* Clean-up that must run to its end (undoing patches, removing bench's folders) from
 * here on: the signals are blocked (sigprocmask; never ignored, so none is lost and no
 * child inherits SIG_IGN) and nothing is pending any more; the first one is still what
 * interrupt_signal() reports, for the exit code. */
void interrupt_defer(void);
/* The clean-up is done: the signals held off by interrupt_defer() are let in (and
 * noted), and interrupt_check() reports them again. */
void interrupt_resume(void);
/* Tests only: forget the signal and restore the default dispositions. */
void interrupt_reset(void);

#endif
