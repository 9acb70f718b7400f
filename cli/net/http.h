/* SPDX-License-Identifier: MIT */
/*
 * HTTP(S) with libcurl: one reused handle, TLS verification always on, plain http://
 * only to loopback (checked on every redirect hop), retries with exponential backoff,
 * resumable streaming downloads verified in the same pass, ETag-cached metadata.
 * Links libcurl and libcrypto: only wslctl-net may reach this module.
 *
 * Errors: ERR_NETWORK (connect/timeout/reset/HTTP status/truncation/redirect loop/
 * refused http:// to a non-loopback host), ERR_TLS (certificate or handshake),
 * ERR_NOT_FOUND (HTTP 404/410), ERR_DIGEST_MISMATCH (download deleted), ERR_IO (disk),
 * ERR_INVALID_FILE (a JSON body that does not parse). Messages name the URL.
 */
#ifndef WSLCTL_HTTP_H
#define WSLCTL_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "digest.h"
#include "error.h"

struct http_options {
	const char *cacert;    /* --cacert: extra CA bundle (PEM) trusted besides the system's */
	const char *cache_dir; /* ETag cache for http_get/http_get_json; NULL = no cache */
	bool cache_read_only;  /* use cache_dir's answers but write none (dry runs, --check) */
	/* Sent as "Authorization: Bearer TOKEN" only to https://api.github.com/ and to URLs
	 * under token_base (the --releases API base); never across a redirect to another
	 * host. NULL = none. Callers pass getenv("GITHUB_TOKEN"). */
	const char *token;
	const char *token_base;
	bool progress;         /* draw a progress bar on stderr (ctx->progress) */
	/*
	 * Tuning; 0 = default, or the environment when set (tests shorten them):
	 *   retries        transient-failure retries after the first try (4; WSLCTL_RETRIES)
	 *   retry_base_ms  first backoff, doubled each retry, +-25% jitter
	 *                  (1000; WSLCTL_RETRY_BASE_MS)
	 *   retry_max_ms   cap on one wait, Retry-After included (30000; WSLCTL_RETRY_MAX_MS)
	 *   stall_s        abort a transfer that moves no byte for this long (30; WSLCTL_STALL_S)
	 *   connect_s      connect timeout (20; WSLCTL_CONNECT_S)
	 * retries < 0 means no retry at all.
	 */
	int retries;
	long retry_base_ms;
	long retry_max_ms;
	long stall_s;
	long connect_s;
};

struct http;

struct http *http_new(const struct http_options *o, struct error *e);
void http_free(struct http *h);

/* FN(MSG, ARG) is called before each retry's wait, MSG saying what failed, the wait and
 * the attempt ("URL: ...; trying again in 1.0 s (attempt 2 of 5)"), so that the command
 * level can say it (with -v); NULL: nothing is said. */
void http_on_retry(void (*fn)(const char *msg, void *arg), void *arg);

/* True for URLs http_* will fetch: https://, or http:// to localhost/127.0.0.0/8/::1. */
bool http_url_allowed(const char *url);

/* A response body held in memory (metadata only: capped at 32 MiB). */
struct http_body {
	char *data;            /* NUL-terminated; free() it */
	size_t len;
	long status;           /* final HTTP status (200, or 304 answered from the cache) */
	bool from_cache;       /* the server said 304 Not Modified */
};

/*
 * GET into memory. `accept` is the Accept header (NULL: "application/json"). With a
 * cache_dir, the ETag of a 200 answer is stored and the next request is conditional
 * (If-None-Match); a 304 returns the cached body. Non-2xx is an error (404 -> ERR_NOT_FOUND).
 */
int http_get(struct http *h, const char *url, const char *accept, struct http_body *out,
	     struct error *e);
/* http_get + JSON parse; *out is a new reference. Parse errors are ERR_INVALID_FILE. */
int http_get_json(struct http *h, const char *url, json_t **out, struct error *e);

struct http_download {
	const char *url;
	const char *dest;                /* final path; DEST.part holds the partial file */
	const struct digest_want *want;  /* NULL or DIGEST_NONE: no digest published */
	int64_t expected_size;           /* the size the feed published; -1 unknown */
	unsigned algs;                   /* DIGEST_F_* to report besides want's (0: none) */
	const char *label;               /* progress bar label, NULL = the file name */
	/*
	 * The caller checks `want` itself over DEST's bytes as it reads them next (update
	 * extracts at once, hashing what it reads): a download from scratch is not hashed
	 * here (`algs` ignored, result.digest empty; the size is still checked). Bytes of an
	 * earlier run (a DEST already there, a DEST.part to resume) are hashed and checked
	 * here as without it, so the caller never reads unverified bytes it did not fetch.
	 */
	bool verify_later;
};

struct http_download_result {
	struct digest_result digest;  /* want's algorithm and `algs`, over the whole file */
	uint64_t size;
	uint64_t resumed_from;        /* bytes already in DEST.part that were kept */
	int attempts;                 /* requests made (1 = no retry) */
	bool cached;                  /* DEST already existed with the wanted digest */
};

/*
 * Streams URL to DEST.part, hashing while writing (memory does not grow with the file),
 * then checks size and digest and renames to DEST (not fsynced: a download is a cache,
 * verified whenever it is reused; installers sync what they install). A DEST.part left
 * by an earlier run is resumed with Range (206 keeps it, 200 starts over). Transient failures
 * (connection reset, timeout/stall, truncated body, 5xx, 429 honouring Retry-After) are
 * retried with backoff, resuming where the bytes stopped. When DEST already exists and
 * `want` is given and matches it, nothing is fetched (result.cached; see verify_later).
 * On digest or size mismatch DEST.part is deleted and DEST is not created. On other
 * failures DEST is not created and DEST.part is kept for the next run.
 */
int http_download(struct http *h, const struct http_download *req,
		  struct http_download_result *res, struct error *e);

#endif
