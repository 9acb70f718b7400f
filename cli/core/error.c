// SPDX-License-Identifier: MIT
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int exit_code;
} codes[] = {
	[ERR_NONE] = { "none", 0 },
	[ERR_USAGE] = { "usage", 2 },
	[ERR_UNKNOWN_KEY] = { "unknown-key", 2 },
	[ERR_INVALID_VALUE] = { "invalid-value", 3 },
	[ERR_INVALID_FILE] = { "invalid-file", 3 },
	[ERR_NOT_FOUND] = { "not-found", 1 },
	[ERR_LOCKED] = { "locked", 1 },
	[ERR_IO] = { "io", 1 },
	[ERR_NETWORK] = { "network", 1 },
	[ERR_TLS] = { "tls", 1 },
	[ERR_DIGEST_MISMATCH] = { "digest-mismatch", 1 },
	[ERR_NO_DIGEST] = { "no-digest", 1 },
	[ERR_UNSAFE_ARCHIVE] = { "unsafe-archive", 3 },
	[ERR_PATCH_CONFLICT] = { "patch-conflict", 1 },
	[ERR_CONFIG_DROPPED] = { "config-dropped", 1 },
	[ERR_BUILD_FAILED] = { "build-failed", 1 },
	[ERR_CHECK_FAILED] = { "check-failed", 1 },
	[ERR_INTEROP] = { "interop", 1 },
	[ERR_INTERRUPTED] = { "interrupted", 130 },
};

int error_set(struct error *e, enum err_code code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return -1;
}

int error_wrap(struct error *e, const char *fmt, ...)
{
	char prefix[1024], old[sizeof(e->message)];
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->message, sizeof(old));
	/* A message too long for the buffer ends in "..." so the cut shows. */
	if (snprintf(e->message, sizeof(e->message), "%s: %s", prefix, old) >=
	    (int)sizeof(e->message))
		memcpy(e->message + sizeof(e->message) - 4, "...", 4);
	return -1;
}

const char *error_code_name(enum err_code code)
{
	if ((unsigned)code >= sizeof(codes) / sizeof(codes[0]))
		return "io";
	return codes[code].name;
}

int error_exit_code(enum err_code code)
{
	if ((unsigned)code >= sizeof(codes) / sizeof(codes[0]))
		return 1;
	return codes[code].exit_code;
}
