// SPDX-License-Identifier: MIT
/*
 * http.c against a real server on 127.0.0.1 (tests/server/server.py), one fault per
 * route: resume, retries, Retry-After, stalls, truncation, wrong length and digest,
 * redirect loops, plain http to a non-loopback host, TLS with and without the CA.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fetch_server.h"
#include "http.h"
#include "testutil.h"

#define BLOB_SIZE (1u << 20)

static char dir[PATH_MAX], www[PATH_MAX], certs[PATH_MAX], blob[PATH_MAX];
static struct digest_want blob_sha256;
static struct test_server plain, tls;

static const char routes_json[] =
	"{\n"
	" \"/drop\": {\"file\": \"blob\", \"drop_after\": 200000, \"times\": 1},\n"
	" \"/drop-once\": {\"file\": \"blob\", \"drop_after\": 300000, \"times\": 1},\n"
	" \"/drop-always\": {\"file\": \"blob\", \"drop_after\": 100000},\n"
	" \"/fail\": {\"file\": \"blob\", \"fail\": [503, 500]},\n"
	" \"/busy\": {\"file\": \"blob\", \"fail\": [429], \"retry_after\": 1},\n"
	" \"/forbidden\": {\"body\": \"no\", \"fail\": [403, 403, 403, 403, 403, 403]},\n"
	" \"/stall\": {\"file\": \"blob\", \"stall_after\": 1000, \"stall\": 6},\n"
	" \"/short\": {\"file\": \"blob\", \"short_length\": 1000},\n"
	" \"/long\": {\"file\": \"blob\", \"long_length\": 1000, \"stall\": 6},\n"
	" \"/norange\": {\"file\": \"blob\", \"no_range\": true},\n"
	" \"/loop\": {\"redirect\": \"{base}/loop\"},\n"
	" \"/hop\": {\"redirect\": \"{base}/blob\", \"status\": 307},\n"
	" \"/away\": {\"redirect\": \"http://wslctl.example.invalid/blob\"},\n"
	" \"/api/meta\": {\"json\": {\"name\": \"meta\", \"self\": \"{base}/api/meta\"}},\n"
	" \"/api/hop\": {\"redirect\": \"{base}/other\"},\n"
	" \"/other\": {\"json\": {\"name\": \"other\"}},\n"
	" \"/bad-json\": {\"body\": \"{not json\"}\n"
	"}\n";

static int write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	if (fwrite(data, 1, n, f) != n) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static unsigned char *blob_bytes(void)
{
	static unsigned char b[BLOB_SIZE];
	static bool made;
	uint32_t x = 2463534242u;

	if (!made) {
		for (size_t i = 0; i < sizeof(b); i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			b[i] = (unsigned char)x;
		}
		made = true;
	}
	return b;
}

static int group_setup(void **state)
{
	char routes[PATH_MAX];
	struct digest_result r;
	struct error e = { 0 };

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/wslctl-http.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(www, sizeof(www), "%s/www", dir);
	snprintf(certs, sizeof(certs), "%s/certs", dir);
	snprintf(blob, sizeof(blob), "%s/blob", www);
	snprintf(routes, sizeof(routes), "%s/routes.json", dir);
	mkdir(www, 0755);
	if (write_file(blob, blob_bytes(), BLOB_SIZE) < 0 ||
	    write_file(routes, routes_json, strlen(routes_json)) < 0)
		return -1;
	if (digest_file(blob, DIGEST_F_SHA256, &r, &e) < 0 ||
	    digest_parse(r.sha256, &blob_sha256, &e) < 0)
		return -1;
	if (test_make_certs(certs) < 0)
		return -1;
	if (test_server_start(&plain, dir, "plain", www, routes, NULL) < 0)
		return -1;
	if (test_server_start(&tls, dir, "tls", www, routes, certs) < 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	test_server_stop(&plain);
	test_server_stop(&tls);
	rm_tree(dir);
	return 0;
}

/* A client with short delays, so the whole suite stays fast. */
static struct http *client_stall(int retries, const char *cacert, const char *cache,
				 int stall_s)
{
	struct http_options o = {
		.retries = retries, .retry_base_ms = 20, .retry_max_ms = 3000, .stall_s = stall_s,
		.connect_s = 5, .cacert = cacert, .cache_dir = cache,
	};
	struct error e = { 0 };
	struct http *h = http_new(&o, &e);

	assert_non_null(h);
	return h;
}

static struct http *client(int retries, const char *cacert, const char *cache)
{
	return client_stall(retries, cacert, cache, 1);
}

static void url_of(char *buf, size_t n, const struct test_server *s, const char *path)
{
	snprintf(buf, n, "%s%s", s->base, path);
}

static void dest_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
	unlink(buf);
}

static bool same_as_blob(const char *path)
{
	struct digest_result r;
	struct error e = { 0 };

	return digest_file(path, DIGEST_F_SHA256, &r, &e) == 0 &&
	       digest_matches(&blob_sha256, &r);
}

static bool has_part(const char *dest)
{
	char part[PATH_MAX];

	snprintf(part, sizeof(part), "%s.part", dest);
	return test_file_exists(part);
}

static int fetch(struct http *h, const char *url, const char *dest,
		 const struct digest_want *want, struct http_download_result *res,
		 struct error *e)
{
	struct http_download req = {
		.url = url, .dest = dest, .want = want, .expected_size = -1,
		.algs = DIGEST_F_SHA256 | DIGEST_F_SHA512,
	};

	memset(e, 0, sizeof(*e));
	return http_download(h, &req, res, e);
}

static void test_url_rules(void **state)
{
	(void)state;
	assert_true(http_url_allowed("https://example.com/x"));
	assert_true(http_url_allowed("http://127.0.0.1:8080/x"));
	assert_true(http_url_allowed("http://127.9.8.7/x"));
	assert_true(http_url_allowed("http://[::1]:99/x"));
	assert_true(http_url_allowed("http://[0:0:0:0:0:0:0:1]/x"));
	assert_true(http_url_allowed("http://[::ffff:127.0.0.1]/x"));
	assert_false(http_url_allowed("http://[::ffff:10.0.0.1]/x"));
	assert_false(http_url_allowed("http://[2001:db8::1]/x"));
	assert_true(http_url_allowed("HTTP://LOCALHOST/x"));
	assert_false(http_url_allowed("http://example.com/x"));
	assert_false(http_url_allowed("http://127.0.0.1.example.com/x"));
	assert_false(http_url_allowed("http://10.0.0.1/x"));
	assert_false(http_url_allowed("ftp://127.0.0.1/x"));
	assert_false(http_url_allowed("file:///etc/passwd"));
	assert_false(http_url_allowed("not a url"));
}

static void test_download_ok(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(0, NULL, NULL);

	(void)state;
	url_of(url, sizeof(url), &plain, "/blob");
	dest_of(dest, sizeof(dest), "ok");
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_true(same_as_blob(dest));
	assert_false(has_part(dest));
	assert_int_equal(res.size, BLOB_SIZE);
	assert_int_equal(res.attempts, 1);
	assert_int_equal(strlen(res.digest.sha512), 128);
	assert_true(digest_matches(&blob_sha256, &res.digest));

	/* Again: the file is there with the wanted digest, so nothing is fetched. */
	int before = test_server_count(&plain, "\"path\": \"/blob\"", NULL);

	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_true(res.cached);
	assert_int_equal(test_server_count(&plain, "\"path\": \"/blob\"", NULL), before);
	http_free(h);
}

static void test_resume_partial(void **state)
{
	char url[256], dest[PATH_MAX], part[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(0, NULL, NULL);

	(void)state;
	url_of(url, sizeof(url), &plain, "/blob?resume");
	dest_of(dest, sizeof(dest), "resume");
	snprintf(part, sizeof(part), "%s.part", dest);
	assert_int_equal(write_file(part, blob_bytes(), 300000), 0);
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_int_equal(res.resumed_from, 300000);
	assert_true(same_as_blob(dest));
	assert_int_equal(test_server_count(&plain, "/blob?resume", "\"range\": \"bytes=300000-\""),
			 1);
	assert_int_equal(test_server_count(&plain, "/blob?resume", NULL), 1);
	http_free(h);
}

static void test_drop_then_resume(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(3, NULL, NULL);

	(void)state;
	url_of(url, sizeof(url), &plain, "/drop");
	dest_of(dest, sizeof(dest), "drop");
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_true(same_as_blob(dest));
	assert_int_equal(res.attempts, 2);
	/* The second request asked only for the rest. */
	assert_int_equal(test_server_count(&plain, "\"/drop\"", "\"range\": \"bytes=200000-\""), 1);
	http_free(h);
}

/* No digest published: bytes left from an earlier run are never trusted, not even
 * beside the server's own ETag (its file did not change; these bytes may have). */
static void test_no_digest_starts_over(void **state)
{
	char url[256], dest[PATH_MAX], part[PATH_MAX], etag[PATH_MAX], junk[1000], tag[64];
	struct http_download_result res;
	struct stat st;
	struct error e;
	struct http *h = client(-1, NULL, NULL);

	(void)state;
	url_of(url, sizeof(url), &plain, "/drop-once");
	dest_of(dest, sizeof(dest), "nodigest");
	snprintf(part, sizeof(part), "%s.part", dest);
	snprintf(etag, sizeof(etag), "%s.part.etag", dest);
	/* First run: cut off, no retry. Nothing that could be resumed stays. */
	assert_int_equal(fetch(h, url, dest, NULL, &res, &e), -1);
	assert_false(test_file_exists(part));
	assert_false(test_file_exists(etag));

	/* A .part edited between runs, with the ETag the server gives the file. */
	assert_int_equal(stat(blob, &st), 0);
	snprintf(tag, sizeof(tag), "\"%llx-%llx\"\n", (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
		 (unsigned long long)st.st_mtim.tv_nsec);
	memset(junk, 'j', sizeof(junk));
	assert_int_equal(write_file(part, junk, sizeof(junk)), 0);
	assert_int_equal(write_file(etag, tag, strlen(tag)), 0);
	assert_int_equal(fetch(h, url, dest, NULL, &res, &e), 0);
	assert_int_equal(res.resumed_from, 0);
	assert_true(same_as_blob(dest));
	assert_false(test_file_exists(etag));
	assert_int_equal(test_server_count(&plain, "\"/drop-once\"", "\"range\": \"bytes="), 0);
	http_free(h);
}

static void test_retry_5xx(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(3, NULL, NULL);

	(void)state;
	url_of(url, sizeof(url), &plain, "/fail");
	dest_of(dest, sizeof(dest), "fail");
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_int_equal(res.attempts, 3);
	assert_true(same_as_blob(dest));
	assert_int_equal(test_server_count(&plain, "\"/fail\"", "\"status\": 503"), 1);
	assert_int_equal(test_server_count(&plain, "\"/fail\"", "\"status\": 500"), 1);
	http_free(h);
}

static void test_retry_after(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(2, NULL, NULL);
	double t0 = test_now();

	(void)state;
	url_of(url, sizeof(url), &plain, "/busy");
	dest_of(dest, sizeof(dest), "busy");
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	/* Backoff alone would wait 20 ms; Retry-After: 1 makes it a second. */
	assert_true(test_now() - t0 >= 0.95);
	assert_int_equal(res.attempts, 2);
	http_free(h);
}

static void test_no_retry_on_403(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(3, NULL, NULL);

	(void)state;
	url_of(url, sizeof(url), &plain, "/forbidden");
	dest_of(dest, sizeof(dest), "forbidden");
	assert_int_equal(fetch(h, url, dest, NULL, &res, &e), -1);
	assert_int_equal(e.code, ERR_NETWORK);
	assert_non_null(strstr(e.message, "HTTP 403"));
	assert_int_equal(res.attempts, 1);
	assert_false(test_file_exists(dest));
	http_free(h);
}

static void test_stall_times_out(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(-1, NULL, NULL);
	double t0 = test_now();

	(void)state;
	url_of(url, sizeof(url), &plain, "/stall");
	dest_of(dest, sizeof(dest), "stall");
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), -1);
	assert_int_equal(e.code, ERR_NETWORK);
	assert_true(test_now() - t0 < 5);
	assert_false(test_file_exists(dest));
	/* The bytes that came stay in DEST.part for the next run to resume. */
	assert_true(has_part(dest));
	http_free(h);
}

static void test_truncated_fails(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(1, NULL, NULL);

	(void)state;
	url_of(url, sizeof(url), &plain, "/drop-always");
	dest_of(dest, sizeof(dest), "truncated");
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), -1);
	assert_int_equal(e.code, ERR_NETWORK);
	assert_int_equal(res.attempts, 2);
	assert_false(test_file_exists(dest));

	/* A Content-Length longer than the body, then silence: the stall ends it. */
	url_of(url, sizeof(url), &plain, "/long");
	dest_of(dest, sizeof(dest), "long");
	h = (http_free(h), client(-1, NULL, NULL));
	assert_int_equal(fetch(h, url, dest, NULL, &res, &e), -1);
	assert_int_equal(e.code, ERR_NETWORK);
	assert_false(test_file_exists(dest));
	http_free(h);
}

static void test_wrong_length(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct http_download req;
	struct error e;
	struct http *h = client(1, NULL, NULL);

	(void)state;
	/* The server announces 1000 bytes less than the file: the digest catches it. */
	url_of(url, sizeof(url), &plain, "/short");
	dest_of(dest, sizeof(dest), "short");
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), -1);
	assert_int_equal(e.code, ERR_DIGEST_MISMATCH);
	assert_false(test_file_exists(dest));
	assert_false(has_part(dest));

	/* A published size that the body does not have. */
	url_of(url, sizeof(url), &plain, "/blob");
	dest_of(dest, sizeof(dest), "size");
	req = (struct http_download){ .url = url, .dest = dest, .expected_size = BLOB_SIZE + 1 };
	memset(&e, 0, sizeof(e));
	assert_int_equal(http_download(h, &req, &res, &e), -1);
	assert_int_equal(e.code, ERR_DIGEST_MISMATCH);
	assert_non_null(strstr(e.message, "size"));
	assert_false(test_file_exists(dest));
	assert_false(has_part(dest));

	/* More bytes than published: stopped while streaming. */
	req.expected_size = 4096;
	memset(&e, 0, sizeof(e));
	assert_int_equal(http_download(h, &req, &res, &e), -1);
	assert_int_equal(e.code, ERR_DIGEST_MISMATCH);
	assert_false(test_file_exists(dest));
	assert_false(has_part(dest));
	http_free(h);
}

static void test_wrong_digest(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct digest_want bad = blob_sha256;
	struct error e;
	struct http *h = client(0, NULL, NULL);

	(void)state;
	bad.bytes[0] ^= 1;
	url_of(url, sizeof(url), &plain, "/blob");
	dest_of(dest, sizeof(dest), "digest");
	assert_int_equal(fetch(h, url, dest, &bad, &res, &e), -1);
	assert_int_equal(e.code, ERR_DIGEST_MISMATCH);
	assert_non_null(strstr(e.message, "deleted"));
	assert_false(test_file_exists(dest));
	assert_false(has_part(dest));
	http_free(h);
}

/* verify_later: the caller's pass checks the digest, so the download hashes nothing,
 * reuses DEST of the published size unread, and resumes DEST.part unread. */
static int fetch_later(struct http *h, const char *url, const char *dest,
		       const struct digest_want *want, struct http_download_result *res,
		       struct error *e)
{
	struct http_download req = {
		.url = url, .dest = dest, .want = want, .expected_size = BLOB_SIZE,
		.algs = DIGEST_F_SHA256 | DIGEST_F_SHA512, .verify_later = true,
	};

	memset(e, 0, sizeof(*e));
	return http_download(h, &req, res, e);
}

static void test_verify_later(void **state)
{
	char url[256], dest[PATH_MAX], part[PATH_MAX];
	struct http_download_result res;
	struct digest_want bad = blob_sha256;
	struct error e;
	struct http *h = client(0, NULL, NULL);
	int before;

	(void)state;
	bad.bytes[0] ^= 1;
	url_of(url, sizeof(url), &plain, "/blob?later");
	dest_of(dest, sizeof(dest), "later");
	/* A wrong digest is the caller's to find: DEST is made, nothing was hashed. */
	assert_int_equal(fetch_later(h, url, dest, &bad, &res, &e), 0);
	assert_true(same_as_blob(dest));
	assert_string_equal(res.digest.sha256, "");
	assert_string_equal(res.digest.sha512, "");
	assert_false(res.cached);

	/* Bytes of an earlier run are checked here before use: against a digest it lacks,
	 * a cached DEST is fetched again and the new bytes checked too (a mismatch); one
	 * that matches is used unfetched; a cut one is fetched again. */
	before = test_server_count(&plain, "/blob?later", NULL);
	assert_int_equal(fetch_later(h, url, dest, &bad, &res, &e), -1);
	assert_int_equal(e.code, ERR_DIGEST_MISMATCH);
	assert_int_equal(test_server_count(&plain, "/blob?later", NULL), before + 1);
	assert_int_equal(fetch_later(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_true(res.cached);
	assert_true(digest_matches(&blob_sha256, &res.digest));
	assert_int_equal(test_server_count(&plain, "/blob?later", NULL), before + 1);
	assert_int_equal(truncate(dest, 1000), 0);
	assert_int_equal(fetch_later(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_false(res.cached);
	assert_true(same_as_blob(dest));
	assert_true(digest_matches(&blob_sha256, &res.digest));
	assert_int_equal(test_server_count(&plain, "/blob?later", NULL), before + 2);

	/* A .part of an earlier run is resumed, and the whole file is checked here. */
	unlink(dest);
	snprintf(part, sizeof(part), "%s.part", dest);
	assert_int_equal(write_file(part, blob_bytes(), 300000), 0);
	assert_int_equal(fetch_later(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_int_equal(res.resumed_from, 300000);
	assert_true(same_as_blob(dest));
	assert_true(digest_matches(&blob_sha256, &res.digest));
	http_free(h);
}

static void test_stale_part_replaced(void **state)
{
	char url[256], dest[PATH_MAX], part[PATH_MAX], junk[5000];
	struct http_download_result res;
	struct error e;
	struct http *h = client(0, NULL, NULL);

	(void)state;
	memset(junk, 'x', sizeof(junk));
	url_of(url, sizeof(url), &plain, "/blob?stale");
	dest_of(dest, sizeof(dest), "stale");
	snprintf(part, sizeof(part), "%s.part", dest);
	assert_int_equal(write_file(part, junk, sizeof(junk)), 0);
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_true(same_as_blob(dest));
	assert_int_equal(test_server_count(&plain, "/blob?stale", NULL), 2);
	http_free(h);
}

static void test_range_ignored_or_complete(void **state)
{
	char url[256], dest[PATH_MAX], part[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(0, NULL, NULL);

	(void)state;
	/* A server that ignores Range: the whole body replaces the partial one. */
	url_of(url, sizeof(url), &plain, "/norange");
	dest_of(dest, sizeof(dest), "norange");
	snprintf(part, sizeof(part), "%s.part", dest);
	assert_int_equal(write_file(part, blob_bytes(), 4000), 0);
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_true(same_as_blob(dest));

	/* A .part that is already whole: 416 with the full size ends it. */
	url_of(url, sizeof(url), &plain, "/blob?whole");
	dest_of(dest, sizeof(dest), "whole");
	snprintf(part, sizeof(part), "%s.part", dest);
	assert_int_equal(write_file(part, blob_bytes(), BLOB_SIZE), 0);
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_true(same_as_blob(dest));
	assert_int_equal(test_server_count(&plain, "/blob?whole", "\"status\": 416"), 1);
	http_free(h);
}

static void test_redirects(void **state)
{
	char url[256], dest[PATH_MAX];
	struct http_download_result res;
	struct error e;
	struct http *h = client(2, NULL, NULL);

	(void)state;
	url_of(url, sizeof(url), &plain, "/hop");
	dest_of(dest, sizeof(dest), "hop");
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_true(same_as_blob(dest));

	url_of(url, sizeof(url), &plain, "/loop");
	dest_of(dest, sizeof(dest), "loop");
	assert_int_equal(fetch(h, url, dest, NULL, &res, &e), -1);
	assert_int_equal(e.code, ERR_NETWORK);
	assert_non_null(strstr(e.message, "redirects"));
	assert_int_equal(res.attempts, 1);
	assert_int_equal(test_server_count(&plain, "\"/loop\"", NULL), 11);
	assert_false(test_file_exists(dest));

	url_of(url, sizeof(url), &plain, "/away");
	dest_of(dest, sizeof(dest), "away");
	assert_int_equal(fetch(h, url, dest, NULL, &res, &e), -1);
	assert_int_equal(e.code, ERR_NETWORK);
	assert_non_null(strstr(e.message, "refusing http://wslctl.example.invalid/blob"));
	assert_false(test_file_exists(dest));

	dest_of(dest, sizeof(dest), "plain");
	assert_int_equal(fetch(h, "http://wslctl.example.invalid/x", dest, NULL, &res, &e), -1);
	assert_int_equal(e.code, ERR_NETWORK);
	http_free(h);
}

static void test_tls(void **state)
{
	char url[256], dest[PATH_MAX], ca[PATH_MAX], other[PATH_MAX];
	struct http_download_result res;
	struct error e = { 0 };
	struct http_options o = { .cacert = "/nonexistent/ca.pem" };
	struct http *h;

	(void)state;
	snprintf(ca, sizeof(ca), "%s/ca.pem", certs);
	snprintf(other, sizeof(other), "%s/other-ca.pem", certs);
	url_of(url, sizeof(url), &tls, "/blob");
	dest_of(dest, sizeof(dest), "tls");

	/* No stall is tested here: a handshake slowed by a loaded machine must not count
	 * as one, or the retry would hide whether a TLS failure is retried. */
	h = client_stall(2, NULL, NULL, 30);
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), -1);
	assert_int_equal(e.code, ERR_TLS);
	assert_non_null(strstr(e.message, "--cacert"));
	assert_int_equal(res.attempts, 1);
	assert_false(test_file_exists(dest));
	http_free(h);

	h = client(0, other, NULL);
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), -1);
	assert_int_equal(e.code, ERR_TLS);
	http_free(h);

	h = client(0, ca, NULL);
	assert_int_equal(fetch(h, url, dest, &blob_sha256, &res, &e), 0);
	assert_true(same_as_blob(dest));
	http_free(h);

	/* A missing --cacert is bad input named on the command line: exit 3. */
	assert_null(http_new(&o, &e));
	assert_int_equal(e.code, ERR_INVALID_FILE);
	o.cacert = blob;
	assert_null(http_new(&o, &e));
	assert_int_equal(e.code, ERR_INVALID_FILE);
}

static void test_json_etag_cache(void **state)
{
	char url[256], cache[PATH_MAX];
	struct http_body b;
	struct error e = { 0 };
	json_t *j = NULL;
	struct http *h;

	(void)state;
	snprintf(cache, sizeof(cache), "%s/cache/http", dir);
	h = client(0, NULL, cache);
	url_of(url, sizeof(url), &plain, "/api/meta");
	assert_int_equal(http_get_json(h, url, &j, &e), 0);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "meta");
	assert_string_equal(json_string_value(json_object_get(j, "self")), url);
	json_decref(j);

	assert_int_equal(http_get(h, url, NULL, &b, &e), 0);
	assert_true(b.from_cache);
	assert_int_equal(b.status, 304);
	assert_non_null(strstr(b.data, "\"meta\""));
	free(b.data);
	assert_int_equal(test_server_count(&plain, "/api/meta", "\"status\": 304"), 1);

	url_of(url, sizeof(url), &plain, "/bad-json");
	assert_int_equal(http_get_json(h, url, &j, &e), -1);
	assert_int_equal(e.code, ERR_INVALID_FILE);
	url_of(url, sizeof(url), &plain, "/no-such-thing");
	assert_int_equal(http_get_json(h, url, &j, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	http_free(h);
}

static void test_token_scope(void **state)
{
	char url[256], base[128];
	struct http_options o = { .retries = -1, .token = "sekrit" };
	struct error e = { 0 };
	struct http_body b;
	struct http *h;

	(void)state;
	snprintf(base, sizeof(base), "%s/api", plain.base);
	o.token_base = base;
	h = http_new(&o, &e);
	assert_non_null(h);
	url_of(url, sizeof(url), &plain, "/api/meta?token");
	assert_int_equal(http_get(h, url, NULL, &b, &e), 0);
	free(b.data);
	assert_int_equal(test_server_count(&plain, "/api/meta?token", "\"authorization\": true"), 1);

	/* Followed to a URL outside the API base: the token stays behind. */
	url_of(url, sizeof(url), &plain, "/api/hop");
	assert_int_equal(http_get(h, url, NULL, &b, &e), 0);
	free(b.data);
	assert_int_equal(test_server_count(&plain, "\"/api/hop\"", "\"authorization\": true"), 1);
	assert_int_equal(test_server_count(&plain, "\"/other\"", "\"authorization\": false"), 1);
	assert_int_equal(test_server_count(&plain, "\"/other\"", "\"authorization\": true"), 0);
	http_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_rules),
		cmocka_unit_test(test_download_ok),
		cmocka_unit_test(test_resume_partial),
		cmocka_unit_test(test_drop_then_resume),
		cmocka_unit_test(test_no_digest_starts_over),
		cmocka_unit_test(test_retry_5xx),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_no_retry_on_403),
		cmocka_unit_test(test_stall_times_out),
		cmocka_unit_test(test_truncated_fails),
		cmocka_unit_test(test_wrong_length),
		cmocka_unit_test(test_wrong_digest),
		cmocka_unit_test(test_stale_part_replaced),
		cmocka_unit_test(test_verify_later),
		cmocka_unit_test(test_range_ignored_or_complete),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_json_etag_cache),
		cmocka_unit_test(test_token_scope),
	};

	return cmocka_run_group_tests_name("http", tests, group_setup, group_teardown);
}
