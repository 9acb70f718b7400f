// SPDX-License-Identifier: MIT
#include "fdio.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int write_all(int fd, const void *p, size_t n)
{
	const char *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A first buffer the size of a regular file, so it is read in one go. */
static size_t first_cap(int fd, size_t max)
{
	struct stat st;
	size_t cap = 4096;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	return cap > max ? max + 1 : cap;
}

char *read_all(int fd, size_t max, size_t *len)
{
	size_t cap = first_cap(fd, max), n = 0;
	char *buf = malloc(cap + 1);

	if (!buf)
		return NULL;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			/* One byte past MAX is read to know that the file is longer. */
			size_t nc = cap > max / 2 ? max + 1 : cap * 2;
			char *nb = nc > cap ? realloc(buf, nc + 1) : NULL;

			if (!nb) {
				free(buf);
				errno = nc > cap ? ENOMEM : EFBIG;
				return NULL;
			}
			buf = nb;
			cap = nc;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
