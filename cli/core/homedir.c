// SPDX-License-Identifier: MIT
#include "homedir.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysprobe.h"
#include "winpath.h"

/* A path cut short could name a parent folder: refuse it. */
static int fits(int len, size_t n, struct error *err)
{
	if (len < 0 || (size_t)len >= n)
		return error_set(err, ERR_USAGE, "the store's folder path is too long");
	return 0;
}

static int xdg_home(char *buf, size_t n, struct error *err)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *h = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return fits(snprintf(buf, n, "%s/wslctl", xdg), n, err);
	if (h && h[0] == '/')
		return fits(snprintf(buf, n, "%s/.local/share/wslctl", h), n, err);
	return error_set(err, ERR_USAGE, "no store folder: set HOME or give --home DIR");
}

int homedir_resolve(const char *home, const char *root, char *buf, size_t n,
		    struct error *err)
{
	char profile[WINPATH_MAX];
	bool cached;

	if (home && *home) {
		char cwd[WINPATH_MAX];

		if (home[0] == '/')
			return fits(snprintf(buf, n, "%s", home), n, err);
		if (!getcwd(cwd, sizeof(cwd)))
			return error_set(err, ERR_IO, "cannot get the current folder: %s",
					 strerror(errno));
		return fits(snprintf(buf, n, "%s/%s", cwd, home), n, err);
	}
	if (root && *root && strcmp(root, "/")) {
		/* A recorded machine: this machine's Windows profile is not its profile. */
		if (sysprobe_is_wsl(root))
			return error_set(err, ERR_USAGE,
					 "under --root the store's folder is not looked up through "
					 "this machine's Windows profile: give it with --home DIR");
		return xdg_home(buf, n, err);
	}
	if (!sysprobe_is_wsl("/"))
		return xdg_home(buf, n, err);
	if (winpath_userprofile("/", profile, sizeof(profile), NULL, 0, &cached, err) < 0)
		return error_wrap(err, "finding the store (give it with --home DIR)");
	return fits(snprintf(buf, n, "%s/.wslctl", profile), n, err);
}
