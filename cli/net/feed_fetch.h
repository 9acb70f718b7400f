/* SPDX-License-Identifier: MIT */
/*
 * How the feeds and the WSL release lookup reach the network: one JSON GET that the
 * caller passes in. The tool passes feed_fetch_http() over its libcurl handle; tests and
 * the fuzz target pass answers of their own, so the parsers never call http.c themselves.
 */
#ifndef WSLCTL_FEED_FETCH_H
#define WSLCTL_FEED_FETCH_H

#include <jansson.h>

#include "error.h"

struct http;

struct feed_fetch {
	/*
	 * GET URL and parse its body as JSON; *out is a new reference. Errors as
	 * http_get_json's: a 404 must be ERR_NOT_FOUND (a NuGet feed without a
	 * registration leaf publishes no digest), a body that does not parse ERR_INVALID_FILE.
	 */
	int (*get_json)(void *ctx, const char *url, json_t **out, struct error *err);
	void *ctx;
};

/* The real one: http_get_json on H. */
struct feed_fetch feed_fetch_http(struct http *h);

#endif
