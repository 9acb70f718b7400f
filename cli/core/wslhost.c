// SPDX-License-Identifier: MIT
#include "wslhost.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WSLHOST_MAX_OUTPUT (64 << 10)

/* UTF-16LE text shows a NUL high byte on most ASCII characters. */
static bool looks_utf16le(const unsigned char *s, size_t len)
{
	size_t zeros = 0;

	for (size_t i = 1; i < len; i += 2)
		zeros += s[i] == 0;
	return len >= 2 && zeros * 4 >= len / 2;
}

/* Converts to UTF-8 with iconv; undecodable units are skipped. */
static char *utf16le_to_utf8(const unsigned char *s, size_t len)
{
	size_t cap = len * 2 + 1, left = cap - 1;
	char *out = malloc(cap), *w = out, *in = (char *)s;
	iconv_t cd = iconv_open("UTF-8", "UTF-16LE");

	if (!out || cd == (iconv_t)-1) {
		free(out);
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		return NULL;
	}
	while (len >= 2 && iconv(cd, &in, &len, &w, &left) == (size_t)-1 && errno == EILSEQ) {
		in += 2;
		len -= 2;
	}
	iconv_close(cd);
	*w = '\0';
	return out;
}

static bool is_version(const char *s, size_t len)
{
	int dots = 0;

	if (!len || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
			dots++;
		} else if (!isdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return dots == 2 || dots == 3;
}

/* Spaces around a value: ASCII, NO-BREAK SPACE and NARROW NO-BREAK SPACE (French). */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r')
		return 1;
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0xaf)
		return 3;
	return 0;
}

static int find_version(const char *text, char *ver, size_t n)
{
	const char *line = text;

	while (*line) {
		const char *eol = strchr(line, '\n'), *v = NULL, *end;

		if (!eol)
			eol = line + strlen(line);
		for (const char *p = line; p < eol; p++) {
			if (*p == ':')
				v = p + 1;
			else if (!strncmp(p, "\xef\xbc\x9a", 3)) /* U+FF1A FULLWIDTH COLON */
				v = p + 3;
		}
		if (!v) {
			for (const char *p = line; p < eol; p++)
				if (*p == ' ' || *p == '\t')
					v = p + 1;
		}
		if (!v)
			v = line;
		end = eol;
		for (size_t k; v < end && (k = space_at(v)); v += k)
			;
		while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (is_version(v, (size_t)(end - v))) {
			snprintf(ver, n, "%.*s", (int)(end - v), v);
			return 1;
		}
		line = *eol ? eol + 1 : eol;
	}
	return 0;
}

int wslhost_parse(const unsigned char *out, size_t len, char *ver, size_t n)
{
	char *text;
	int r;

	if (len >= 2 && out[0] == 0xff && out[1] == 0xfe)
		text = utf16le_to_utf8(out + 2, len - 2);
	else if (len >= 3 && out[0] == 0xef && out[1] == 0xbb && out[2] == 0xbf)
		text = strndup((const char *)out + 3, len - 3);
	else if (looks_utf16le(out, len))
		text = utf16le_to_utf8(out, len);
	else
		text = strndup((const char *)out, len);
	if (!text)
		return 0;
	r = find_version(text, ver, n);
	free(text);
	return r;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* In the child: stdin and stderr from/to /dev/null, stdout to the pipe. BUF is the
 * parent's read buffer: the child's copy is freed so a failed exec leaks nothing. */
static void child(const char *program, int out_fd, int status_fd, void *buf)
{
	int null = open("/dev/null", O_RDWR);
	int e;

	free(buf);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDERR_FILENO);
	}
	dup2(out_fd, STDOUT_FILENO);
	execlp(program, program, "--version", (char *)NULL);
	e = errno;
	if (write(status_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int wslhost_version(const char *program, int timeout_ms, char *ver, size_t n, int *exit,
		    struct error *err)
{
	int out[2], status[2], exec_errno = 0, st = 0;
	unsigned char *buf = malloc(WSLHOST_MAX_OUTPUT);
	long deadline = now_ms() + timeout_ms;
	size_t len = 0;
	bool timed_out = false;
	pid_t pid;

	if (!buf)
		return error_set(err, ERR_IO, "out of memory");
	/* The status pipe closes on a successful exec, so a read of 0 bytes means "ran". */
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0) {
		free(buf);
		return error_set(err, ERR_INTEROP, "%s: pipe: %s", program, strerror(errno));
	}
	pid = fork();
	if (pid == 0)
		child(program, out[1], status[1], buf);
	close(out[1]);
	close(status[1]);
	if (pid < 0) {
		close(out[0]);
		close(status[0]);
		free(buf);
		return error_set(err, ERR_INTEROP, "%s: fork: %s", program, strerror(errno));
	}
	if (read(status[0], &exec_errno, sizeof(exec_errno)) != sizeof(exec_errno))
		exec_errno = 0;
	close(status[0]);
	while (!exec_errno) {
		struct pollfd p = { .fd = out[0], .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t r;

		if (left <= 0) {
			timed_out = true;
			break;
		}
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!p.revents)
			continue;
		r = read(out[0], buf + len, WSLHOST_MAX_OUTPUT - len);
		if (r <= 0 || (len += (size_t)r) == WSLHOST_MAX_OUTPUT)
			break;
	}
	close(out[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (exec_errno) {
		free(buf);
		return error_set(err, exec_errno == ENOENT ? ERR_NOT_FOUND : ERR_INTEROP,
				 "cannot run %s: %s", program, strerror(exec_errno));
	}
	if (timed_out) {
		free(buf);
		return error_set(err, ERR_INTEROP, "%s --version did not finish within %d ms",
				 program, timeout_ms);
	}
	*exit = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	st = wslhost_parse(buf, len, ver, n);
	free(buf);
	return st;
}
