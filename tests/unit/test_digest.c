// SPDX-License-Identifier: MIT
/* digest.c: the spellings feeds publish, streaming equals one-shot, mismatch reporting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "digest.h"

/* FIPS 180-2 test vectors for "abc". */
#define ABC256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define ABC512 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" \
	       "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
/* base64 of the SHA-512 of "abc", as NuGet's packageHash would carry it. */
#define ABC512_B64 "3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9" \
		   "RU1EI2Q86A4qmslPpUyknw=="

static void test_parse_forms(void **state)
{
	struct digest_want w;
	struct error e = { 0 };
	char buf[200];

	(void)state;
	assert_int_equal(digest_parse("sha256:" ABC256, &w, &e), 0);
	assert_int_equal(w.alg, DIGEST_SHA256);
	assert_int_equal(w.len, 32);
	digest_format(&w, buf, sizeof(buf));
	assert_string_equal(buf, "sha256:" ABC256);

	/* Upper-case hex and prefix, blanks around: still the same digest. */
	assert_int_equal(digest_parse("  SHA256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD\n",
				      &w, &e), 0);
	digest_format(&w, buf, sizeof(buf));
	assert_string_equal(buf, "sha256:" ABC256);

	assert_int_equal(digest_parse(ABC256, &w, &e), 0);
	assert_int_equal(w.alg, DIGEST_SHA256);
	assert_int_equal(digest_parse(ABC512, &w, &e), 0);
	assert_int_equal(w.alg, DIGEST_SHA512);
	assert_int_equal(digest_parse("sha512:" ABC512, &w, &e), 0);
	assert_int_equal(w.alg, DIGEST_SHA512);
	assert_int_equal(digest_parse("sha512-" ABC512_B64, &w, &e), 0);
	digest_format(&w, buf, sizeof(buf));
	assert_string_equal(buf, "sha512:" ABC512);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", "sha256:", "sha256:" ABC512, "sha512:" ABC256, "md5:900150983cd24fb0d6963f7d28e17f72",
		"sha256:" "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", /* 63 */
		"sha256:" "za7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"ba78", "sha1:a9993e364706816aba3e25717850c26c9cd0d89d",
	};
	struct digest_want w;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct error e = { 0 };

		assert_int_equal(digest_parse(bad[i], &w, &e), -1);
		assert_int_equal(e.code, ERR_INVALID_VALUE);
		assert_int_equal(w.alg, DIGEST_NONE);
	}
}

static void test_base64(void **state)
{
	struct digest_want w;
	struct error e = { 0 };
	char buf[200];

	(void)state;
	assert_int_equal(digest_parse_base64(ABC512_B64, DIGEST_SHA512, &w, &e), 0);
	digest_format(&w, buf, sizeof(buf));
	assert_string_equal(buf, "sha512:" ABC512);
	/* A SHA-256 sized value is not a SHA-512. */
	assert_int_equal(digest_parse_base64("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
					     DIGEST_SHA512, &w, &e), -1);
	assert_int_equal(e.code, ERR_INVALID_VALUE);
	assert_int_equal(digest_parse_base64("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
					     DIGEST_SHA256, &w, &e), 0);
	digest_format(&w, buf, sizeof(buf));
	assert_string_equal(buf, "sha256:" ABC256);
	assert_int_equal(digest_parse_base64("not base64!", DIGEST_SHA512, &w, &e), -1);
	assert_int_equal(digest_parse_base64("", DIGEST_SHA512, &w, &e), -1);
}

static void test_stream_and_file(void **state)
{
	char path[] = "/tmp/wslctl-digest.XXXXXX";
	struct digest_stream d;
	struct digest_result r1, r2;
	struct error e = { 0 };
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);

	/* Byte by byte through the stream equals the file in one go. */
	assert_int_equal(digest_stream_init(&d, DIGEST_F_SHA256 | DIGEST_F_SHA512, &e), 0);
	digest_stream_update(&d, "a", 1);
	digest_stream_update(&d, "b", 1);
	digest_stream_update(&d, "c", 1);
	assert_int_equal(digest_stream_final(&d, &r1, &e), 0);
	assert_string_equal(r1.sha256, ABC256);
	assert_string_equal(r1.sha512, ABC512);
	assert_int_equal(digest_file(path, DIGEST_F_SHA256 | DIGEST_F_SHA512, &r2, &e), 0);
	assert_memory_equal(&r1, &r2, sizeof(r1));

	/* Only what was asked for is computed. */
	assert_int_equal(digest_file(path, DIGEST_F_SHA512, &r2, &e), 0);
	assert_string_equal(r2.sha256, "");
	assert_string_equal(r2.sha512, ABC512);
	unlink(path);
	assert_int_equal(digest_file(path, DIGEST_F_SHA256, &r2, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_non_null(strstr(e.message, path));
}

static void test_check(void **state)
{
	struct digest_want w;
	struct digest_result r = { .sha256 = ABC256, .sha512 = "" };
	struct error e = { 0 };

	(void)state;
	assert_int_equal(digest_parse("sha256:" ABC256, &w, &e), 0);
	assert_true(digest_matches(&w, &r));
	assert_int_equal(digest_check(&w, &r, "pkg.nupkg", &e), 0);
	assert_int_equal(digest_flag(&w), DIGEST_F_SHA256);

	w.bytes[31] ^= 0xff;
	assert_false(digest_matches(&w, &r));
	assert_int_equal(digest_check(&w, &r, "pkg.nupkg", &e), -1);
	assert_int_equal(e.code, ERR_DIGEST_MISMATCH);
	assert_non_null(strstr(e.message, "pkg.nupkg"));
	assert_non_null(strstr(e.message, ABC256));

	/* A SHA-512 expectation cannot be met by a result without SHA-512. */
	assert_int_equal(digest_parse(ABC512, &w, &e), 0);
	assert_false(digest_matches(&w, &r));
	assert_int_equal(digest_check(&w, &r, "x", &e), -1);
	assert_non_null(strstr(e.message, "not computed"));

	/* Nothing published. */
	memset(&w, 0, sizeof(w));
	assert_int_equal(digest_flag(&w), 0);
	assert_false(digest_matches(&w, &r));
	assert_int_equal(digest_check(&w, &r, "x", &e), -1);
	assert_int_equal(e.code, ERR_NO_DIGEST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_stream_and_file),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests_name("digest", tests, NULL, NULL);
}
