#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysprobe.h"
#include "version.h"

static const char *wsl_exe(void)
{
	const char *e = getenv("WSLCTL_WSL_EXE");

	return e && *e ? e : "wsl.exe";
}

bool platform_available(const char *root)
{
	if (!sysprobe_is_wsl(root))
		return false;
	/* A test (or a user) naming wsl.exe vouches for interop. */
	if (getenv("WSLCTL_WSL_EXE") && *getenv("WSLCTL_WSL_EXE"))
		return true;
	return sysprobe_exists(root, "/proc/sys/fs/binfmt_misc/WSLInterop") ||
	       sysprobe_exists(root, "/proc/sys/fs/binfmt_misc/WSLInterop-late");
}

int platform_parse_version(const char *out, size_t len, char *buf, size_t n)
{
	char text[4096];
	size_t k = 0;
	bool bom = len >= 2 && (unsigned char)out[0] == 0xff && (unsigned char)out[1] == 0xfe;
	bool utf16 = bom || (len >= 2 && out[1] == '\0');

	/* wsl.exe writes UTF-16LE; its labels may be localised, the numbers are ASCII. */
	for (size_t i = bom ? 2 : 0; i < len && k + 1 < sizeof(text); i += utf16 ? 2 : 1) {
		unsigned char ch = (unsigned char)out[i];

		if (utf16 && i + 1 < len && out[i + 1] != '\0')
			ch = '?';
		text[k++] = ch ? (char)ch : ' ';
	}
	text[k] = '\0';
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		char *colon;

		if (nl)
			*nl = '\0';
		colon = strchr(line, ':');
		if (colon && strchr(colon, '.') && version_from_text(colon, buf, n))
			return 0;
		line = nl ? nl + 1 : NULL;
	}
	return -1;
}

/* Runs wsl.exe ARGS; with CAPTURE its stdout is read into buf, else it goes to stderr. */
static int run_wsl(char *const args[], char *buf, size_t n, size_t *got)
{
	int pfd[2] = { -1, -1 }, status;
	pid_t pid;

	if (buf && pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		if (buf) {
			close(pfd[0]);
			close(pfd[1]);
		}
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(buf ? pfd[1] : STDERR_FILENO, STDOUT_FILENO);
		execvp(args[0], args);
		_exit(127);
	}
	if (buf) {
		ssize_t r;

		close(pfd[1]);
		*got = 0;
		while (*got < n && (r = read(pfd[0], buf + *got, n - *got)) > 0)
			*got += (size_t)r;
		close(pfd[0]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int platform_wsl_version(char *buf, size_t n)
{
	char out[8192];
	size_t got = 0;
	char *args[] = { (char *)wsl_exe(), "--version", NULL };

	if (run_wsl(args, out, sizeof(out), &got) != 0)
		return -1;
	return platform_parse_version(out, got, buf, n);
}

int platform_update(bool pre_release, struct error *err)
{
	char *args[] = { (char *)wsl_exe(), "--update", pre_release ? "--pre-release" : NULL,
			 NULL };
	int rc = run_wsl(args, NULL, 0, NULL);

	if (rc == 127)
		return error_set(err, ERR_INTEROP, "cannot run %s (is interop on?)", args[0]);
	if (rc != 0)
		return error_set(err, ERR_INTEROP, "%s --update%s failed (exit %d)", args[0],
				 pre_release ? " --pre-release" : "", rc);
	return 0;
}
