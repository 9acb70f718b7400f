// SPDX-License-Identifier: MIT
/* The fetch the tool hands to feeds: its libcurl handle. */
#include "feed_fetch.h"

#include "http.h"

static int http_json(void *h, const char *url, json_t **out, struct error *err)
{
	return http_get_json(h, url, out, err);
}

struct feed_fetch feed_fetch_http(struct http *h)
{
	return (struct feed_fetch){ .get_json = http_json, .ctx = h };
}
