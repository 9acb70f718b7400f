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

int homedir_resolve(const char *home, const char *root, char *buf, size_t n,
		    struct error *err)
{
	if (home && *home) {
		char cwd[WINPATH_MAX];

		if (home[0] == '/') {
			snprintf(buf, n, "%s", home);
			return 0;
		}
		if (!getcwd(cwd, sizeof(cwd)))
			return error_set(err, ERR_IO, "cannot get the current folder: %s",
					 strerror(errno));
		snprintf(buf, n, "%s/%s", cwd, home);
	} else if (root && *root && strcmp(root, "/") && sysprobe_is_wsl(root)) {
		/* A recorded machine: this machine's Windows profile is not its profile. */
		return error_set(err, ERR_USAGE, "under --root the store's folder is not looked "
				 "up through this machine's Windows profile: give it with --home DIR");
	} else if (sysprobe_is_wsl("/")) {
		char profile[WINPATH_MAX];
		bool cached;

		if (winpath_userprofile(root, profile, sizeof(profile), NULL, 0, &cached, err) < 0)
			return error_wrap(err, "finding the store (give it with --home DIR)");
		snprintf(buf, n, "%s/.wslctl", profile);
	} else {
		const char *xdg = getenv("XDG_DATA_HOME");
		const char *h = getenv("HOME");

		if (xdg && xdg[0] == '/')
			snprintf(buf, n, "%s/wslctl", xdg);
		else if (h && h[0] == '/')
			snprintf(buf, n, "%s/.local/share/wslctl", h);
		else
			return error_set(err, ERR_USAGE,
					 "no store folder: set HOME or give --home DIR");
	}
	return 0;
}
