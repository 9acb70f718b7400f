/* SPDX-License-Identifier: MIT */
/*
 * For cmocka tests: starts tests/server/server.py on 127.0.0.1 (HTTP or HTTPS) and stops
 * it, and reads its request log. Tests run from the repository root (make does that);
 * WSLCTL_TESTS_DIR overrides where tests/ is.
 */
#ifndef WSLCTL_TEST_FETCH_SERVER_H
#define WSLCTL_TEST_FETCH_SERVER_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct test_server {
	pid_t pid;
	int port;
	char log[PATH_MAX];
	char base[64];   /* http://127.0.0.1:PORT or https://... */
};

static inline const char *test_tests_dir(void)
{
	const char *d = getenv("WSLCTL_TESTS_DIR");

	return d && *d ? d : "tests";
}

/* Makes DIR/ca.pem, DIR/other-ca.pem, DIR/server.pem, DIR/server.key. */
static inline int test_make_certs(const char *dir)
{
	char cmd[PATH_MAX * 2];

	snprintf(cmd, sizeof(cmd), "sh '%s/server/mkcert.sh' '%s'", test_tests_dir(), dir);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * Starts a server in scratch folder `dir` (which holds its log and port file), serving
 * files below `root` and the routes in the JSON file `routes` (either may be NULL).
 * certdir != NULL: HTTPS with certdir/server.pem. Returns 0 when it listens.
 */
static inline int test_server_start(struct test_server *s, const char *dir, const char *name,
				    const char *root, const char *routes, const char *certdir)
{
	char script[PATH_MAX], port_file[PATH_MAX], cert[PATH_MAX], key[PATH_MAX];
	const char *argv[16];
	int argc = 0;

	memset(s, 0, sizeof(*s));
	snprintf(script, sizeof(script), "%s/server/server.py", test_tests_dir());
	snprintf(port_file, sizeof(port_file), "%s/%s.port", dir, name);
	snprintf(s->log, sizeof(s->log), "%s/%s.log", dir, name);
	unlink(port_file);
	argv[argc++] = "python3";
	argv[argc++] = script;
	argv[argc++] = "--port-file";
	argv[argc++] = port_file;
	argv[argc++] = "--log";
	argv[argc++] = s->log;
	if (root) {
		argv[argc++] = "--root";
		argv[argc++] = root;
	}
	if (routes) {
		argv[argc++] = "--routes";
		argv[argc++] = routes;
	}
	if (certdir) {
		snprintf(cert, sizeof(cert), "%s/server.pem", certdir);
		snprintf(key, sizeof(key), "%s/server.key", certdir);
		argv[argc++] = "--tls";
		argv[argc++] = cert;
		argv[argc++] = key;
	}
	argv[argc] = NULL;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execvp("python3", (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 400; i++) {
		FILE *f = fopen(port_file, "r");

		if (f) {
			int ok = fscanf(f, "%d", &s->port) == 1;

			fclose(f);
			if (ok) {
				snprintf(s->base, sizeof(s->base), "%s://127.0.0.1:%d",
					 certdir ? "https" : "http", s->port);
				return 0;
			}
		}
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		usleep(25000);
	}
	return -1;
}

static inline void test_server_stop(struct test_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
}

/* Number of log lines (one per request) that contain every one of the given needles. */
static inline int test_server_count(const struct test_server *s, const char *n1,
				    const char *n2)
{
	FILE *f = fopen(s->log, "r");
	char line[4096];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, n1) && (!n2 || strstr(line, n2)))
			n++;
	fclose(f);
	return n;
}

static inline bool test_file_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static inline double test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
