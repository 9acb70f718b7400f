// SPDX-License-Identifier: MIT
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysprobe.h"
#include "wslhost.h"

/* wsl.exe --version answers at once; a hung interop must not hang us. */
#define PLATFORM_TIMEOUT_MS 20000

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

/* Runs wsl.exe ARGS with its output on our stderr (stdout is for our result). */
static int run_wsl(char *const args[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(args[0], args);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int platform_wsl_version(char *buf, size_t n)
{
	struct error ignored;
	int status;

	return wslhost_version(wsl_exe(), PLATFORM_TIMEOUT_MS, buf, n, &status, &ignored) == 1
	       ? 0 : -1;
}

int platform_update(bool pre_release, struct error *err)
{
	char *args[] = { (char *)wsl_exe(), "--update", pre_release ? "--pre-release" : NULL,
			 NULL };
	int rc = run_wsl(args);

	if (rc == 127)
		return error_set(err, ERR_INTEROP, "cannot run %s (is interop on?)", args[0]);
	if (rc != 0)
		return error_set(err, ERR_INTEROP, "%s --update%s failed (exit %d)", args[0],
				 pre_release ? " --pre-release" : "", rc);
	return 0;
}
