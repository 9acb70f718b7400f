/* SPDX-License-Identifier: MIT */
/* Errors: one enum for the whole tool, one place that maps them to exit codes. */
#ifndef WSLCTL_ERROR_H
#define WSLCTL_ERROR_H

enum err_code {
	ERR_NONE = 0,
	ERR_USAGE,
	ERR_UNKNOWN_KEY,
	ERR_INVALID_VALUE,
	ERR_INVALID_FILE,
	ERR_NOT_FOUND,
	ERR_LOCKED,
	ERR_IO,
	ERR_NETWORK,
	ERR_TLS,
	ERR_DIGEST_MISMATCH,
	ERR_NO_DIGEST,
	ERR_UNSAFE_ARCHIVE,
	ERR_PATCH_CONFLICT,
	ERR_CONFIG_DROPPED,
	ERR_BUILD_FAILED,
	ERR_CHECK_FAILED,
	ERR_INTEROP,
	ERR_INTERRUPTED,   /* exit 128 + the signal: interrupt.h */
};

struct error {
	enum err_code code;
	char message[2048];
};

/* Records the error and returns -1, so callers can `return error_set(...)`. */
int error_set(struct error *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefixes the existing message with more context ("reading X: <old>"). */
int error_wrap(struct error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *error_code_name(enum err_code code);
int error_exit_code(enum err_code code);

#endif
