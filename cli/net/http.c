// SPDX-License-Identifier: MIT
/*
 * Redirects are followed here, not by libcurl, so that every hop is checked the same
 * way as the first URL (plain http only to loopback, the token only to its API host)
 * and a Range request keeps its meaning across hops.
 */
#include "http.h"
#include "buildinfo.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fdio.h"
#include "fsutil.h"
#include "interrupt.h"
#include "progress.h"
#include "safefile.h"
#include "strbuf.h"

#define MAX_REDIRECTS 10
#define MAX_BODY (32u << 20)
#define GITHUB_API "https://api.github.com"
/* A download whose size nobody published stops here (kernel packages and source
 * tarballs are a few hundred MiB; nothing unpacks an entry larger than this either). */
#define MAX_DOWNLOAD (4ll << 30)

struct http {
	CURL *curl;
	struct http_options o;
	struct strbuf ca;       /* system bundle + --cacert, handed to libcurl as a blob */
	char errbuf[CURL_ERROR_SIZE];
	unsigned seed;
	bool fresh;             /* a connection misbehaved: start a new pool */
};

/* One request's state, shared by the header and write callbacks. */
struct xfer {
	struct http *h;
	long status;
	char etag[256];
	char content_range[128];
	bool ratelimited;       /* x-ratelimit-remaining: 0 */
	/* memory sink (http_get) */
	struct strbuf body;
	bool too_big;
	/* file sink (http_download) */
	int fd;
	const char *part;
	struct digest_stream *d;
	unsigned d_algs;
	uint64_t offset;        /* bytes of DEST.part kept when the request was made */
	uint64_t written;       /* bytes taken from this request (in the file or in wbuf) */
	/* libcurl hands over 16 KiB at a time: gather them so the file sees 256 KiB writes */
	unsigned char *wbuf;
	size_t wlen;
	int64_t limit;          /* refuse bodies longer than this (-1: no limit) */
	bool restart;           /* the server did not honour the range: start over */
	bool over_limit;
	bool stalled;           /* no byte for stall_s seconds */
	bool interrupted;       /* a signal came (interrupt.h) */
	double last_move;       /* when a byte last arrived (monotonic seconds) */
	uint64_t last_now;
	int io_errno;
	struct progress *prog;
	/* error body of a non-2xx answer, for the message */
	char errbody[256];
	size_t errlen;
};

/* ---- options ---- */

static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < -1)
		return dflt;
	return n;
}

static void tune(struct http_options *o)
{
	if (!o->retries)
		o->retries = (int)env_long("WSLCTL_RETRIES", 4);
	if (!o->retry_base_ms)
		o->retry_base_ms = env_long("WSLCTL_RETRY_BASE_MS", 1000);
	if (!o->retry_max_ms)
		o->retry_max_ms = env_long("WSLCTL_RETRY_MAX_MS", 30000);
	if (!o->stall_s)
		o->stall_s = env_long("WSLCTL_STALL_S", 30);
	if (!o->connect_s)
		o->connect_s = env_long("WSLCTL_CONNECT_S", 20);
	if (o->stall_s < 1)
		o->stall_s = 1;
	if (o->connect_s < 1)
		o->connect_s = 1;
}

/* Appends a whole PEM file to the CA blob. */
static int blob_add(struct http *h, const char *path, bool must, struct error *e)
{
	size_t len;
	char *pem = read_file(path, MAX_BODY, &len);

	if (!pem) {
		if (!must)
			return 0;
		return error_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
				 "--cacert %s: %s", path, strerror(errno));
	}
	/* PEM files need not end in a newline; the next one must start on its own line. */
	strbuf_add(&h->ca, pem, len);
	strbuf_add(&h->ca, "\n", 1);
	free(pem);
	return h->ca.oom ? error_set(e, ERR_IO, "out of memory") : 0;
}

static int load_cacert(struct http *h, struct error *e)
{
	char *sys = NULL;
	FILE *f;
	int fd;
	char line[128];
	bool pem = false;

	/* open_regular: a FIFO or device named here would hang the command; a file named on
	 * the command line that is missing or unreadable is bad input (exit 3). */
	fd = open_regular(h->o.cacert, MAX_BODY, e);
	if (fd < 0) {
		if (errno == ENOENT)
			error_set(e, ERR_INVALID_FILE, "%s: %s", h->o.cacert, strerror(ENOENT));
		return error_wrap(e, "--cacert");
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return error_set(e, ERR_IO, "--cacert %s: %s", h->o.cacert, strerror(errno));
	}
	while (!pem && fgets(line, sizeof(line), f))
		pem = strncmp(line, "-----BEGIN CERTIFICATE-----", 27) == 0;
	fclose(f);
	if (!pem)
		return error_set(e, ERR_INVALID_FILE, "--cacert %s: no PEM certificate in it "
				 "(expected a -----BEGIN CERTIFICATE----- block)", h->o.cacert);
	/* A blob replaces libcurl's default bundle, so the system's goes in first. */
	curl_easy_getinfo(h->curl, CURLINFO_CAINFO, &sys);
	if (sys && blob_add(h, sys, false, e) < 0)
		return -1;
	return blob_add(h, h->o.cacert, true, e);
}

struct http *http_new(const struct http_options *o, struct error *e)
{
	static bool global_done;
	struct http *h;

	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			error_set(e, ERR_NETWORK, "libcurl failed to start");
			return NULL;
		}
		global_done = true;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		error_set(e, ERR_IO, "out of memory");
		return NULL;
	}
	if (o)
		h->o = *o;
	tune(&h->o);
	h->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	h->curl = curl_easy_init();
	if (!h->curl) {
		free(h);
		error_set(e, ERR_NETWORK, "libcurl failed to start");
		return NULL;
	}
	if (h->o.cacert && load_cacert(h, e) < 0) {
		http_free(h);
		return NULL;
	}
	return h;
}

void http_free(struct http *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
	strbuf_free(&h->ca);
	free(h);
}

/* ---- URL rules ---- */

static bool host_is_loopback(const char *host)
{
	struct in6_addr a6;
	struct in_addr a4;
	char buf[64];
	size_t n = strlen(host);

	if (!strcasecmp(host, "localhost"))
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	/* CURLU gives IPv6 hosts in brackets: [::1], [0:0:0:0:0:0:0:1], [::ffff:127.0.0.1]. */
	if (n < 3 || n - 2 >= sizeof(buf) || host[0] != '[' || host[n - 1] != ']')
		return false;
	memcpy(buf, host + 1, n - 2);
	buf[n - 2] = '\0';
	if (inet_pton(AF_INET6, buf, &a6) != 1)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&a6))
		return true;
	return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

/* Splits url into scheme and host (lower-case scheme); false when it does not parse. */
static bool url_parts(const char *url, char **scheme, char **host)
{
	CURLU *u = curl_url();
	bool ok;

	*scheme = *host = NULL;
	if (!u)
		return false;
	ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	     curl_url_get(u, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK &&
	     curl_url_get(u, CURLUPART_HOST, host, 0) == CURLUE_OK;
	curl_url_cleanup(u);
	if (!ok) {
		curl_free(*scheme);
		curl_free(*host);
		*scheme = *host = NULL;
	}
	return ok;
}

bool http_url_allowed(const char *url)
{
	char *scheme, *host;
	bool ok;

	if (!url_parts(url, &scheme, &host))
		return false;
	ok = !strcasecmp(scheme, "https") ||
	     (!strcasecmp(scheme, "http") && host_is_loopback(host));
	curl_free(scheme);
	curl_free(host);
	return ok;
}

static int check_url(const char *url, const char *first, struct error *e)
{
	char *scheme, *host;
	int rc = 0;

	if (!url_parts(url, &scheme, &host))
		return error_set(e, ERR_NETWORK, "'%s' is not a URL%s%s", url,
				 first ? " (redirected from " : "", first ? first : "");
	if (strcasecmp(scheme, "https") &&
	    !(strcasecmp(scheme, "http") == 0 && host_is_loopback(host)))
		rc = error_set(e, ERR_NETWORK, "refusing %s: only https:// is allowed (plain "
			       "http:// only to 127.0.0.1, ::1 or localhost)%s%s", url,
			       first ? "; redirected from " : "", first ? first : "");
	curl_free(scheme);
	curl_free(host);
	return rc;
}

static bool has_prefix_at_boundary(const char *url, const char *base)
{
	size_t n = strlen(base);

	while (n && base[n - 1] == '/')
		n--;
	if (!n || strncasecmp(url, base, n))
		return false;
	return url[n] == '\0' || url[n] == '/' || url[n] == '?';
}

/* URL as curl will request it: dot segments removed. NULL when curl cannot parse it or
 * its path hides a dot, slash or backslash behind %XX, which a server may decode into a
 * path outside the one the prefix names. Freed with curl_free. */
static char *url_as_requested(const char *url)
{
	CURLU *u = curl_url();
	char *out = NULL, *path = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK &&
	    !strcasestr(path, "%2e") && !strcasestr(path, "%2f") && !strcasestr(path, "%5c") &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK)
		out = NULL;
	curl_free(path);
	curl_url_cleanup(u);
	return out;
}

/* GITHUB_TOKEN goes only under the API's /repos/ (or the settings' releases base),
 * decided on the URL curl will request, not on the text a feed wrote. */
static bool token_applies(const struct http *h, const char *url)
{
	char *req;
	bool yes;

	if (!h->o.token || !*h->o.token)
		return false;
	req = url_as_requested(url);
	if (!req)
		return false;
	yes = has_prefix_at_boundary(req, GITHUB_API "/repos/") ||
	      (h->o.token_base && has_prefix_at_boundary(req, h->o.token_base));
	curl_free(req);
	return yes;
}

/* ---- callbacks ---- */

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb, vlen;
	const char *colon, *v;

	if (n >= 5 && !strncmp(ptr, "HTTP/", 5)) {
		/* A new response (after 100 Continue): forget the previous one's headers. */
		x->etag[0] = x->content_range[0] = '\0';
		x->ratelimited = false;
		return n;
	}
	colon = memchr(ptr, ':', n);
	if (!colon)
		return n;
	v = colon + 1;
	while (v < ptr + n && (*v == ' ' || *v == '\t'))
		v++;
	vlen = (size_t)(ptr + n - v);
	while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
		vlen--;
#define IS(name) ((size_t)(colon - ptr) == sizeof(name) - 1 && !strncasecmp(ptr, name, sizeof(name) - 1))
	if (IS("etag") && vlen < sizeof(x->etag))
		snprintf(x->etag, sizeof(x->etag), "%.*s", (int)vlen, v);
	else if (IS("content-range") && vlen < sizeof(x->content_range))
		snprintf(x->content_range, sizeof(x->content_range), "%.*s", (int)vlen, v);
	else if (IS("x-ratelimit-remaining") && vlen == 1 && *v == '0')
		x->ratelimited = true;
#undef IS
	return n;
}

/* Parses "bytes START-END/TOTAL" or "bytes * /TOTAL" (no blank); missing fields are -1. */
static void parse_content_range(const char *s, int64_t *start, int64_t *total)
{
	long long a, b, t;

	*start = *total = -1;
	if (sscanf(s, "bytes %lld-%lld/%lld", &a, &b, &t) == 3) {
		*start = a;
		*total = t;
	} else if (sscanf(s, "bytes */%lld", &t) == 1) {
		*total = t;
	} else if (sscanf(s, "bytes %lld-%lld/*", &a, &b) == 2) {
		*start = a;
	}
}

static void keep_errbody(struct xfer *x, const char *ptr, size_t n)
{
	size_t room = sizeof(x->errbody) - 1 - x->errlen;

	if (n > room)
		n = room;
	memcpy(x->errbody + x->errlen, ptr, n);
	x->errlen += n;
	x->errbody[x->errlen] = '\0';
}

static size_t on_body_mem(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;

	curl_easy_getinfo(x->h->curl, CURLINFO_RESPONSE_CODE, &x->status);
	if (x->status < 200 || x->status > 299) {
		keep_errbody(x, ptr, n);
		return n;
	}
	if (x->body.len + n > MAX_BODY) {
		x->too_big = true;
		return 0;
	}
	return strbuf_add(&x->body, ptr, n) < 0 ? 0 : n;
}

/* Called before the first byte of a 2xx download body: decides what to keep. */
static bool download_begin(struct xfer *x)
{
	int64_t start, total;

	if (x->status == 206) {
		parse_content_range(x->content_range, &start, &total);
		if (start != (int64_t)x->offset) {
			x->restart = true;
			return false;
		}
		return true;
	}
	/* A full answer to a range request: the server ignored Range, start over. */
	if (x->offset) {
		struct error ignored;

		if (ftruncate(x->fd, 0) < 0 || lseek(x->fd, 0, SEEK_SET) < 0) {
			x->io_errno = errno;
			return false;
		}
		digest_stream_free(x->d);
		if (digest_stream_init(x->d, x->d_algs, &ignored) < 0) {
			x->io_errno = ENOMEM;
			return false;
		}
		x->offset = 0;
		progress_base(x->prog, 0);
	}
	return true;
}

#define WBUF_SIZE (256u << 10)

/* Writes out what wbuf gathered; after each request, so DEST.part holds every byte taken. */
static int flush_body(struct xfer *x)
{
	if (x->wlen && write_all(x->fd, x->wbuf, x->wlen) < 0) {
		x->io_errno = errno;
		return -1;
	}
	x->wlen = 0;
	return 0;
}

static size_t on_body_file(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;

	if (!x->status) {
		curl_easy_getinfo(x->h->curl, CURLINFO_RESPONSE_CODE, &x->status);
		if (x->status >= 200 && x->status <= 299 && !download_begin(x))
			return 0;
	}
	if (x->status < 200 || x->status > 299) {
		keep_errbody(x, ptr, n);
		return n;
	}
	if (x->limit >= 0 && x->offset + x->written + n > (uint64_t)x->limit) {
		x->over_limit = true;
		return 0;
	}
	if (x->wlen + n > WBUF_SIZE && flush_body(x) < 0)
		return 0;
	if (n > WBUF_SIZE) {
		if (write_all(x->fd, ptr, n) < 0) {
			x->io_errno = errno;
			return 0;
		}
	} else {
		memcpy(x->wbuf + x->wlen, ptr, n);
		x->wlen += n;
	}
	digest_stream_update(x->d, ptr, n);
	x->written += n;
	return n;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Progress, and the stall watchdog: libcurl's LOW_SPEED check averages over a window,
 * so a server that sends a burst and then goes silent is only caught late; here any
 * stall_s seconds without a new byte end the transfer (retried like a timeout).
 * libcurl calls this after each batch it received, before it waits for more: the bytes
 * gathered so far go to DEST.part, so a kill while the network is idle loses none.
 */
static int on_xferinfo(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct xfer *x = ud;
	double t = mono_now();

	(void)ultotal;
	(void)ulnow;
	if (x->wbuf && flush_body(x) < 0)
		return 1;
	if (interrupt_pending()) {
		x->interrupted = true;
		return 1;
	}
	if ((uint64_t)dlnow != x->last_now || x->last_move == 0) {
		x->last_now = (uint64_t)dlnow;
		x->last_move = t;
	} else if (t - x->last_move >= (double)x->h->o.stall_s) {
		x->stalled = true;
		return 1;
	}
	if (x->prog && x->status >= 200 && x->status <= 299)
		progress_update(x->prog, x->offset + (uint64_t)dlnow,
				dltotal > 0 ? x->offset + (uint64_t)dltotal : 0);
	return 0;
}

/* ---- one request, redirects followed ---- */

enum outcome { DONE, TRANSIENT, FATAL };

static void setup(struct http *h, struct xfer *x, const char *url, struct curl_slist *hdrs,
		  bool file)
{
	CURL *c = h->curl;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "wslctl/" WSLCTL_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca.s) {
		struct curl_blob blob = { h->ca.s, h->ca.len, CURL_BLOB_NOCOPY };

		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
	}
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, h->o.connect_s);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_xferinfo);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	if (file) {
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body_file);
		curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024);
	} else {
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body_mem);
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	}
	h->errbuf[0] = '\0';
}

static bool curl_transient(CURLcode cc)
{
	switch (cc) {
	/* Name resolution fails for a while after WSL boots (its DNS proxy starts late). */
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_WEIRD_SERVER_REPLY: /* garbage on a reused connection */
		return true;
	default:
		return false;
	}
}

static bool curl_tls(CURLcode cc)
{
	switch (cc) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		return true;
	default:
		return false;
	}
}

static bool status_transient(long st)
{
	return st == 408 || st == 429 || (st >= 500 && st <= 599 && st != 501 && st != 505);
}

/* A printable snippet of an error body (GitHub puts the reason in "message"). */
static void clean_snippet(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			*s = ' ';
}

static enum outcome status_error(struct http *h, struct xfer *x, const char *url,
				 struct error *e)
{
	const char *hint = "";

	clean_snippet(x->errbody);
	if (x->status == 404 || x->status == 410) {
		error_set(e, ERR_NOT_FOUND, "%s: HTTP %ld (not found)", url, x->status);
		return FATAL;
	}
	if ((x->status == 403 || x->status == 429) && x->ratelimited)
		hint = "; API rate limit reached: set GITHUB_TOKEN";
	else if (x->status == 401 || x->status == 403)
		hint = token_applies(h, url) ? "; check GITHUB_TOKEN" : "";
	error_set(e, ERR_NETWORK, "%s: HTTP %ld%s%s%s", url, x->status, x->errlen ? ": " : "",
		  x->errbody, hint);
	return status_transient(x->status) ? TRANSIENT : FATAL;
}

/* A new handle when the pooled connection misbehaved: it drops that connection. */
static int renew_handle(struct http *h, struct error *e)
{
	CURL *c;

	if (!h->fresh)
		return 0;
	c = curl_easy_init();
	if (!c)
		return error_set(e, ERR_IO, "out of memory");
	curl_easy_cleanup(h->curl);
	h->curl = c;
	h->fresh = false;
	return 0;
}

/* The request headers for URL: EXTRA, and the token where it applies. */
static struct curl_slist *request_headers(const struct http *h, const char *url,
					  const struct curl_slist *extra)
{
	struct curl_slist *hdrs = NULL;
	char auth[1024];

	for (const struct curl_slist *s = extra; s; s = s->next)
		hdrs = curl_slist_append(hdrs, s->data);
	if (token_applies(h, url)) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", h->o.token);
		hdrs = curl_slist_append(hdrs, auth);
	}
	return hdrs;
}

/* One GET of URL itself (no redirect followed); x->status is the answer's status. */
static CURLcode perform(struct http *h, struct xfer *x, const char *url,
			const struct curl_slist *extra, bool file)
{
	struct curl_slist *hdrs = request_headers(h, url, extra);
	CURLcode cc;

	setup(h, x, url, hdrs, file);
	x->status = 0;
	x->last_move = 0;
	x->errlen = 0;
	x->errbody[0] = '\0';
	cc = curl_easy_perform(h->curl);
	curl_slist_free_all(hdrs);
	if (!x->status)
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &x->status);
	return cc;
}

/* A transfer of URL that libcurl ended with CC: the error, and whether a retry may help. */
static enum outcome transfer_error(struct http *h, struct xfer *x, const char *url, CURLcode cc,
				   struct error *e)
{
	bool tls = curl_tls(cc);

	h->fresh = true;
	if (x->interrupted && interrupt_check(e) < 0)
		return FATAL;
	if (x->io_errno) {
		error_set(e, ERR_IO, "writing %s: %s", x->part, strerror(x->io_errno));
		return FATAL;
	}
	if (x->too_big || x->over_limit || x->restart)
		return FATAL;
	if (x->stalled) {
		error_set(e, ERR_NETWORK, "%s: no data for %ld seconds", url, h->o.stall_s);
		return TRANSIENT;
	}
	error_set(e, tls ? ERR_TLS : ERR_NETWORK, "%s: %s%s%s%s", url, curl_easy_strerror(cc),
		  h->errbuf[0] ? " (" : "", h->errbuf, h->errbuf[0] ? ")" : "");
	if (tls)
		error_wrap(e, "TLS verification failed (if the server uses a private CA, pass "
			   "--cacert FILE)");
	return curl_transient(cc) ? TRANSIENT : FATAL;
}

/* The redirect *CUR answered (hop number HOPS from URL): *cur becomes its Location. */
static int next_hop(struct http *h, const struct xfer *x, const char *url, char **cur,
		    int hops, struct error *e)
{
	char *loc = NULL, *next;

	curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_URL, &loc);
	if (!loc)
		return error_set(e, ERR_NETWORK, "%s: HTTP %ld without a Location", *cur,
				 x->status);
	if (hops >= MAX_REDIRECTS)
		return error_set(e, ERR_NETWORK, "%s: more than %d redirects (a redirect loop?)",
				 url, MAX_REDIRECTS);
	next = strdup(loc);
	if (!next)
		return error_set(e, ERR_IO, "out of memory");
	free(*cur);
	*cur = next;
	return 0;
}

/*
 * Performs GET url following redirects. `extra` are request headers besides the token.
 * Sets x->status to the final answer. Returns DONE for a 2xx/304 answer.
 */
static enum outcome request(struct http *h, struct xfer *x, const char *url,
			    const struct curl_slist *extra, bool file, struct error *e)
{
	char *cur = strdup(url);
	enum outcome oc = FATAL;
	CURLcode cc;

	if (!cur) {
		error_set(e, ERR_IO, "out of memory");
		return FATAL;
	}
	for (int hops = 0;; hops++) {
		if (check_url(cur, hops ? url : NULL, e) < 0 || renew_handle(h, e) < 0)
			break;
		cc = perform(h, x, cur, extra, file);
		if (cc != CURLE_OK) {
			oc = transfer_error(h, x, cur, cc, e);
			break;
		}
		if (x->status >= 300 && x->status <= 399 && x->status != 304) {
			if (next_hop(h, x, url, &cur, hops, e) < 0)
				break;
			continue;
		}
		if ((x->status >= 200 && x->status <= 299) || x->status == 304)
			oc = DONE;
		else
			oc = status_error(h, x, cur, e);
		break;
	}
	free(cur);
	return oc;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !interrupt_pending())
		;
}

static void (*retry_fn)(const char *msg, void *arg);
static void *retry_arg;

void http_on_retry(void (*fn)(const char *msg, void *arg), void *arg)
{
	retry_fn = fn;
	retry_arg = arg;
}

/* Waits before retry number `attempt` (1-based) after the failure in E: Retry-After when
 * the server sent one, exponential backoff with jitter otherwise; both capped. Says what
 * failed and the wait first (http_on_retry), or a retry would look like a hang. */
static void backoff(struct http *h, int attempt, const struct error *e)
{
	curl_off_t ra = -1;
	long ms;

	if (curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0) {
		ms = ra > h->o.retry_max_ms / 1000 ? h->o.retry_max_ms : (long)ra * 1000;
	} else {
		long base = h->o.retry_base_ms;

		ms = base << (attempt - 1 < 16 ? attempt - 1 : 16);
		if (base > 0)
			ms += (long)(rand_r(&h->seed) % (unsigned)(ms / 2 + 1)) - ms / 4;
		if (ms > h->o.retry_max_ms)
			ms = h->o.retry_max_ms;
	}
	if (retry_fn) {
		char *msg = NULL;

		if (asprintf(&msg, "%s; trying again in %.1f s (attempt %d of %d)", e->message,
			     ms > 0 ? ms / 1000.0 : 0.0, attempt + 1, h->o.retries + 1) >= 0)
			retry_fn(msg, retry_arg);
		free(msg);
	}
	if (ms > 0)
		sleep_ms(ms);
}

/* ---- http_get with the ETag cache ---- */

static bool cache_paths(const struct http *h, const char *url, const char *accept,
			char *body, char *etag, size_t n)
{
	struct digest_stream d;
	struct digest_result r;
	struct error ignored;

	if (!h->o.cache_dir || digest_stream_init(&d, DIGEST_F_SHA256, &ignored) < 0)
		return false;
	digest_stream_update(&d, url, strlen(url));
	digest_stream_update(&d, "\n", 1);
	digest_stream_update(&d, accept, strlen(accept));
	if (digest_stream_final(&d, &r, &ignored) < 0)
		return false;
	snprintf(body, n, "%s/%.32s.body", h->o.cache_dir, r.sha256);
	snprintf(etag, n, "%s/%.32s.etag", h->o.cache_dir, r.sha256);
	return true;
}

int http_get(struct http *h, const char *url, const char *accept, struct http_body *out,
	     struct error *e)
{
	char body_path[PATH_MAX], etag_path[PATH_MAX], hdr[512];
	struct curl_slist *extra = NULL;
	char *cached_etag = NULL, *cached_body = NULL;
	size_t blen = 0;
	bool cache;
	struct xfer x;
	enum outcome oc;

	memset(out, 0, sizeof(*out));
	if (!accept)
		accept = "application/json";
	cache = cache_paths(h, url, accept, body_path, etag_path, sizeof(body_path));
	if (cache) {
		size_t elen;

		/* Both read now (regular files only, see read_file): a validator whose body
		 * cannot be read is a cache miss, not a 304 with nothing to show for it. */
		cached_etag = read_file(etag_path, MAX_BODY, &elen);
		cached_body = cached_etag ? read_file(body_path, MAX_BODY, &blen) : NULL;
		if (!cached_body) {
			free(cached_etag);
			cached_etag = NULL;
		}
	}
	snprintf(hdr, sizeof(hdr), "Accept: %s", accept);
	extra = curl_slist_append(extra, hdr);
	if (cached_etag) {
		snprintf(hdr, sizeof(hdr), "If-None-Match: %s", cached_etag);
		extra = curl_slist_append(extra, hdr);
	}
	for (int attempt = 0;; attempt++) {
		memset(&x, 0, sizeof(x));
		x.h = h;
		x.fd = -1;
		if (interrupt_check(e) < 0) {
			oc = FATAL;
			break;
		}
		oc = request(h, &x, url, extra, false, e);
		if (oc == DONE || oc == FATAL || attempt >= h->o.retries || h->o.retries < 0)
			break;
		strbuf_free(&x.body);
		backoff(h, attempt + 1, e);
	}
	curl_slist_free_all(extra);
	if (oc == DONE && x.status == 304) {
		strbuf_free(&x.body);
		x.body.s = cached_body, x.body.len = blen;
		cached_body = NULL;
		if (!x.body.s)
			oc = FATAL, error_set(e, ERR_NETWORK, "%s: HTTP 304 for a request that "
					      "was not conditional", url);
		out->from_cache = true;
	} else if (oc == DONE && cache && x.etag[0] && !h->o.cache_read_only &&
		   mkdir_p(h->o.cache_dir, 0755, NULL) == 0) {
		/* Failures only lose the cache. */
		safefile_replace(body_path, x.body.s ? x.body.s : "", x.body.len, 0644, NULL);
		safefile_replace(etag_path, x.etag, strlen(x.etag), 0644, NULL);
	}
	free(cached_etag);
	free(cached_body);
	if (oc != DONE) {
		if (x.too_big)
			error_set(e, ERR_NETWORK, "%s: answer larger than %u MiB", url,
				  MAX_BODY >> 20);
		strbuf_free(&x.body);
		return -1;
	}
	if (!x.body.s && strbuf_add(&x.body, "", 0) < 0)
		return error_set(e, ERR_IO, "out of memory");
	out->data = x.body.s;
	out->len = x.body.len;
	out->status = x.status;
	return 0;
}

int http_get_json(struct http *h, const char *url, json_t **out, struct error *e)
{
	struct http_body b;
	json_error_t je;

	*out = NULL;
	if (http_get(h, url, "application/json", &b, e) < 0)
		return -1;
	*out = json_loadb(b.data, b.len, 0, &je);
	free(b.data);
	if (!*out)
		return error_set(e, ERR_INVALID_FILE, "%s: not valid JSON: line %d: %s", url,
				 je.line, je.text);
	return 0;
}

/* ---- http_download ---- */

/* Hashes what DEST.part already holds, so the resumed bytes join the one digest; with
 * nothing to hash (verify_later), only its length is taken. */
static int hash_existing(int fd, const char *part, struct digest_stream *d, uint64_t *len,
			 struct error *e)
{
	unsigned char buf[1 << 16];
	struct stat st;
	ssize_t r;

	*len = 0;
	if (!d->algs) {
		if (fstat(fd, &st) < 0)
			return error_set(e, ERR_IO, "%s: %s", part, strerror(errno));
		*len = (uint64_t)st.st_size;
		return 0;
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		return error_set(e, ERR_IO, "%s: %s", part, strerror(errno));
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return error_set(e, ERR_IO, "reading %s: %s", part, strerror(errno));
		}
		digest_stream_update(d, buf, (size_t)r);
		*len += (uint64_t)r;
	}
	return 0;
}

/* Opens DEST.part (keeping its bytes) and starts the digest over them. */
static int open_part(const char *part, struct digest_stream *d, unsigned algs, bool keep,
		     uint64_t *have, struct error *e)
{
	int flags = O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
	int fd = open(part, flags | (keep ? 0 : O_TRUNC), 0644);
	struct stat st;

	/* Anything but a regular file there (a FIFO, a link, a folder) holds no bytes of
	 * ours: it goes, and a new DEST.part is made in its place. */
	if ((fd < 0 && (errno == ELOOP || errno == EISDIR || errno == ENXIO)) ||
	    (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)))) {
		if (fd >= 0)
			close(fd);
		if (rm_rf(part) < 0 && errno != ENOENT)
			return error_set(e, ERR_IO, "removing %s: %s", part, strerror(errno));
		fd = open(part, flags | O_EXCL, 0644);
	}
	if (fd < 0)
		return error_set(e, ERR_IO, "creating %s: %s", part, strerror(errno));
	if (digest_stream_init(d, algs, e) < 0 || hash_existing(fd, part, d, have, e) < 0) {
		digest_stream_free(d);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * DEST.part.etag keeps the strong ETag of the answer DEST.part came from, so a later run
 * resumes with If-Range: a file changed on the server comes whole instead of being
 * spliced onto old bytes. Weak validators cannot be used with If-Range and are ignored.
 */
static void validator_load(const char *part, char *buf, size_t n)
{
	char path[PATH_MAX], *text;
	size_t len;

	buf[0] = '\0';
	if (snprintf(path, sizeof(path), "%s.etag", part) >= (int)sizeof(path))
		return;
	/* read_file: a FIFO or anything but a regular file is no validator, never waited on. */
	text = read_file(path, n - 1, &len);
	if (!text)
		return;
	snprintf(buf, n, "%s", text);
	free(text);
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] != '"')
		buf[0] = '\0';
}

/* Saves etag as DEST.part's validator; NULL removes it. */
static void validator_save(const char *part, const char *etag)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s.etag", part) >= (int)sizeof(path))
		return;
	if (etag) {
		safefile_replace(path, etag, strlen(etag), 0644, NULL);
		return;
	}
	unlink(path);
}

/* Empties the open DEST.part and restarts the digests of its bytes. */
static int empty_part(int fd, const char *part, struct digest_stream *d, unsigned algs,
		      struct error *e)
{
	if (ftruncate(fd, 0) < 0)
		return error_set(e, ERR_IO, "%s: %s", part, strerror(errno));
	digest_stream_free(d);
	return digest_stream_init(d, algs, e);
}

/* Deletes DEST.part and its validator. */
static void drop_part(const char *part)
{
	unlink(part);
	validator_save(part, NULL);
}

static int verify_and_commit(struct http *h, const struct http_download *req,
			     const char *part, struct digest_stream *d, bool check,
			     struct http_download_result *res, struct error *e)
{
	/* Wrong bytes may mean stray bytes on the connection too: use a new one next. */
	h->fresh = true;
	/* No fsync: a download is a cache, verified again whenever it is reused; what is
	 * installed from it is synced by whoever installs it (unpack_members does). */
	if (digest_stream_final(d, &res->digest, e) < 0)
		return -1;
	if (req->expected_size >= 0 && res->size != (uint64_t)req->expected_size) {
		drop_part(part);
		return error_set(e, ERR_DIGEST_MISMATCH, "%s: size mismatch: expected %lld bytes, "
				 "got %llu; the download was deleted", req->url,
				 (long long)req->expected_size, (unsigned long long)res->size);
	}
	if (check && digest_check(req->want, &res->digest, req->url, e) < 0) {
		drop_part(part);
		return error_wrap(e, "verification failed, the download was deleted");
	}
	h->fresh = false;
	if (rename(part, req->dest) < 0)
		return error_set(e, ERR_IO, "renaming %s to %s: %s", part, req->dest,
				 strerror(errno));
	validator_save(part, NULL);
	return 0;
}

/* The file is already whole: the server says the range starts at or past its end. */
static bool range_was_complete(const struct xfer *x, uint64_t have)
{
	int64_t start, total;

	if (x->status != 416)
		return false;
	parse_content_range(x->content_range, &start, &total);
	return total >= 0 && (uint64_t)total == have;
}

/* DEST is already there with the digest wanted: RES says so (cached, its size). */
static bool already_there(const struct http_download *req, unsigned algs,
			  struct http_download_result *res)
{
	struct error ignored;
	struct stat st;

	/* Only a regular file (not a link, a FIFO, a device) is a cached package: anything
	 * else is a miss, and the download's rename replaces it. */
	if (!req->want || req->want->alg == DIGEST_NONE || lstat(req->dest, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return false;
	if (digest_file(req->dest, algs, &res->digest, &ignored) == 0 &&
	    digest_matches(req->want, &res->digest)) {
		res->cached = true;
		res->size = stat(req->dest, &st) == 0 ? (uint64_t)st.st_size : 0;
		return true;
	}
	memset(&res->digest, 0, sizeof(res->digest));
	return false;
}

/* One download: DEST.part (open as fd, have bytes long) and what its requests share. */
struct download {
	struct http *h;
	const struct http_download *req;
	struct http_download_result *res;
	char part[PATH_MAX];
	char validator[256];   /* strong ETag DEST.part's bytes came with, "" none */
	unsigned algs;
	struct digest_stream d;
	struct progress prog;
	unsigned char *wbuf;
	int fd;
	uint64_t have;
};

/* Opens DEST.part, keeping its bytes when KEEP and they can be trusted. */
static int open_download(struct download *dl, bool keep, struct error *e)
{
	validator_load(dl->part, dl->validator, sizeof(dl->validator));
	/* Bytes from an earlier run can only be trusted against a published digest: the
	 * ETag says the server's file did not change, not that these bytes are its. */
	if (!digest_flag(dl->req->want))
		keep = false;
	dl->fd = open_part(dl->part, &dl->d, dl->algs, keep, &dl->have, e);
	if (dl->fd < 0)
		return -1;
	dl->res->resumed_from = dl->have;
	return 0;
}

/* The headers of a request for what DEST.part lacks: a range after its bytes, with
 * If-Range when a validator says which file they came from. */
static struct curl_slist *download_headers(const struct download *dl)
{
	struct curl_slist *extra = curl_slist_append(NULL, "Accept: application/octet-stream");
	char range[64], if_range[300];

	if (!dl->have)
		return extra;
	snprintf(range, sizeof(range), "Range: bytes=%llu-", (unsigned long long)dl->have);
	extra = curl_slist_append(extra, range);
	if (dl->validator[0]) {
		snprintf(if_range, sizeof(if_range), "If-Range: %s", dl->validator);
		extra = curl_slist_append(extra, if_range);
	}
	return extra;
}

/* The ETag of an answer whose bytes went into DEST.part: kept when strong, else none. */
static void new_validator(struct download *dl, const char *etag)
{
	bool strong = etag[0] == '"';

	snprintf(dl->validator, sizeof(dl->validator), "%s", strong ? etag : "");
	validator_save(dl->part, strong ? dl->validator : NULL);
}

/* One request for what DEST.part lacks, its bytes written there; *oc how it went. */
static int fetch_once(struct download *dl, struct xfer *x, enum outcome *oc, struct error *e)
{
	struct curl_slist *extra;

	*x = (struct xfer){ .h = dl->h, .fd = dl->fd, .part = dl->part, .d = &dl->d,
			    .d_algs = dl->algs, .offset = dl->have, .prog = &dl->prog,
			    .limit = dl->req->expected_size >= 0 ? dl->req->expected_size : MAX_DOWNLOAD,
			    .wbuf = dl->wbuf };
	progress_base(&dl->prog, dl->have);
	if (lseek(dl->fd, (off_t)dl->have, SEEK_SET) < 0)
		return error_set(e, ERR_IO, "%s: %s", dl->part, strerror(errno));
	extra = download_headers(dl);
	dl->res->attempts++;
	*oc = request(dl->h, x, dl->req->url, extra, true, e);
	curl_slist_free_all(extra);
	if (flush_body(x) < 0)
		return error_set(e, ERR_IO, "writing %s: %s", dl->part, strerror(x->io_errno));
	dl->have = x->offset + x->written;
	if ((x->status == 200 || x->status == 206) && strcmp(x->etag, dl->validator))
		new_validator(dl, x->etag);
	if (*oc == DONE && x->status == 200 && x->offset && !x->written) {
		/* An empty full answer to a range request: the file is now empty. */
		if (empty_part(dl->fd, dl->part, &dl->d, dl->algs, e) < 0)
			return -1;
		dl->have = 0;
	}
	if (*oc != DONE && range_was_complete(x, dl->have))
		*oc = DONE;
	return 0;
}

/* The server sent more than the size published: DEST.part is deleted. */
static int refuse_over_limit(struct download *dl, struct error *e)
{
	close(dl->fd);
	dl->fd = -1;
	drop_part(dl->part);
	if (dl->req->expected_size < 0)
		return error_set(e, ERR_NETWORK, "%s: the server sent more than %lld MiB (no size "
				 "published); the download was deleted", dl->req->url,
				 MAX_DOWNLOAD >> 20);
	return error_set(e, ERR_DIGEST_MISMATCH, "%s: the server sent more than the %lld bytes "
			 "published; the download was deleted", dl->req->url,
			 (long long)dl->req->expected_size);
}

/* Requests what DEST.part lacks until the server has sent it all, retrying as the
 * options allow. */
static int fetch_rest(struct download *dl, struct error *e)
{
	const struct http_options *o = &dl->h->o;
	enum outcome oc = FATAL;
	struct xfer x;

	for (int attempt = 0;; attempt++) {
		if (interrupt_check(e) < 0 || fetch_once(dl, &x, &oc, e) < 0)
			return -1;
		if (oc == DONE)
			return 0;
		if (x.over_limit)
			return refuse_over_limit(dl, e);
		if (x.restart || x.status == 416) {
			/* The server cannot continue our bytes: drop them and start over. */
			if (empty_part(dl->fd, dl->part, &dl->d, dl->algs, e) < 0)
				return -1;
			dl->have = 0;
			dl->res->resumed_from = 0;
			if (attempt < o->retries)
				continue;
			return error_set(e, ERR_NETWORK, "%s: the server does not answer range "
					 "requests consistently", dl->req->url);
		}
		if (oc == FATAL || o->retries < 0 || attempt >= o->retries)
			return -1;
		/* The bar's line ends where the transfer broke: the retry is said on a line
		 * of its own, and the bar goes on below. */
		progress_end(&dl->prog);
		backoff(dl->h, attempt + 1, e);
	}
}

/* DEST.part opened (see open_download) and completed; on failure it is closed. */
static int fetch_part(struct download *dl, bool keep, struct error *e)
{
	if (open_download(dl, keep, e) == 0 && fetch_rest(dl, e) == 0)
		return 0;
	progress_end(&dl->prog);
	digest_stream_free(&dl->d);
	if (dl->fd >= 0)
		close(dl->fd);
	dl->fd = -1;
	/* Only a digest makes leftover bytes worth keeping (open_download). */
	if (!digest_flag(dl->req->want))
		drop_part(dl->part);
	return -1;
}

/* The whole DEST.part: verified, renamed to DEST, closed. */
static int commit_part(struct download *dl, struct error *e)
{
	int rc;

	progress_end(&dl->prog);
	dl->res->size = dl->have;
	rc = verify_and_commit(dl->h, dl->req, dl->part, &dl->d,
			       (dl->algs & digest_flag(dl->req->want)) != 0, dl->res, e);
	close(dl->fd);
	dl->fd = -1;
	return rc;
}

/* Nothing of an earlier run at DEST or DEST.part: a download from scratch. */
static bool from_scratch(const char *dest, const char *part)
{
	struct stat st;

	return (lstat(dest, &st) != 0 || !S_ISREG(st.st_mode)) && lstat(part, &st) != 0 &&
	       errno == ENOENT;
}

int http_download(struct http *h, const struct http_download *req,
		  struct http_download_result *res, struct error *e)
{
	struct download dl = { .h = h, .req = req, .res = res, .fd = -1,
			       .algs = req->algs | digest_flag(req->want) };
	const char *label = req->label ? req->label : strrchr(req->dest, '/') ?
			    strrchr(req->dest, '/') + 1 : req->dest;
	int rc;

	memset(res, 0, sizeof(*res));
	if (snprintf(dl.part, sizeof(dl.part), "%s.part", req->dest) >= (int)sizeof(dl.part))
		return error_set(e, ERR_IO, "%s: path too long", req->dest);
	/* verify_later: the caller's pass over DEST is the one that hashes, but only bytes
	 * this run fetched; an earlier run's are checked here, before anyone reads them. */
	if (req->verify_later && from_scratch(req->dest, dl.part))
		dl.algs = 0;
	if (already_there(req, dl.algs, res))
		return 0;
	dl.wbuf = malloc(WBUF_SIZE);
	if (!dl.wbuf)
		return error_set(e, ERR_IO, "out of memory");
	progress_begin(&dl.prog, h->o.progress, label,
		       req->expected_size > 0 ? (uint64_t)req->expected_size : 0);
	for (bool keep = true;; keep = false) {
		if (fetch_part(&dl, keep, e) < 0) {
			rc = -1;
			break;
		}
		rc = commit_part(&dl, e);
		/* A .part left by another run may hold other bytes: one fresh try, then fail. */
		if (rc == 0 || !keep || e->code != ERR_DIGEST_MISMATCH || !res->resumed_from)
			break;
		e->code = ERR_NONE;
		e->message[0] = '\0';
	}
	free(dl.wbuf);
	return rc;
}
