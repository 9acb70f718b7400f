/* SPDX-License-Identifier: MIT */
/* Whole reads and writes on a file descriptor, through short counts and EINTR. */
#ifndef WSLCTL_FDIO_H
#define WSLCTL_FDIO_H

#include <stddef.h>

/* Writes all N bytes of P to FD. 0, or -1 with errno set. */
int write_all(int fd, const void *p, size_t n);

/*
 * Reads FD to its end into a malloc'd buffer, NUL-terminated, *LEN bytes (LEN may be
 * NULL). NULL with errno set: EFBIG when there are more than MAX bytes, ENOMEM, or the
 * error of read() (EISDIR for a folder).
 */
char *read_all(int fd, size_t max, size_t *len);

#endif
