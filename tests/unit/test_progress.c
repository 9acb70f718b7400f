// SPDX-License-Identifier: MIT
/* progress.c: what the bar shows, and that it shows nothing when turned off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "progress.h"

static char captured[4096];

/* Runs fn with stderr sent to a file and leaves what it wrote in `captured`. */
static void capture(void (*fn)(void))
{
	char path[] = "/tmp/wslctl-progress.XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, captured, sizeof(captured) - 1, 0);
	captured[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

static void half_known(void)
{
	struct progress p;

	progress_begin(&p, true, "kernel.nupkg", 2u << 20);
	usleep(20000);
	progress_update(&p, 1u << 20, 0);
	progress_end(&p);
}

static void unknown_total(void)
{
	struct progress p;

	progress_begin(&p, true, "feed", 0);
	progress_update(&p, 3000, 0);
	progress_end(&p);
}

static void disabled(void)
{
	struct progress p;

	progress_begin(&p, false, "quiet", 100);
	progress_update(&p, 50, 100);
	progress_end(&p);
}

static void resumed(void)
{
	struct progress p;

	progress_begin(&p, true, "resume", 1000);
	progress_base(&p, 900);
	progress_update(&p, 1000, 1000);
	progress_end(&p);
}

static void test_known_total(void **state)
{
	(void)state;
	capture(half_known);
	assert_non_null(strstr(captured, "kernel.nupkg"));
	assert_non_null(strstr(captured, " 50%"));
	assert_non_null(strstr(captured, "1.0 MiB/2.0 MiB"));
	assert_non_null(strstr(captured, "/s"));
	assert_non_null(strstr(captured, "ETA "));
	assert_non_null(strstr(captured, "[##########..........]"));
	assert_int_equal(captured[strlen(captured) - 1], '\n');
}

static void test_unknown_and_off(void **state)
{
	(void)state;
	capture(unknown_total);
	assert_non_null(strstr(captured, "feed 2.9 KiB"));
	assert_null(strstr(captured, "%"));
	capture(disabled);
	assert_string_equal(captured, "");
	capture(resumed);
	assert_non_null(strstr(captured, "100%"));
	assert_null(strstr(captured, "ETA"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_total),
		cmocka_unit_test(test_unknown_and_off),
	};

	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
