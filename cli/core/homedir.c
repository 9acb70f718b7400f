// SPDX-License-Identifier: MIT
#include "homedir.h"

#include <errno.h>
#include <limits.h>
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

/* Appends the components of REST to BUF (a resolved folder), folding "." and "..":
 * these folders do not exist yet, so none of them can be a link. */
static int append_rest(char *buf, size_t n, char *rest, struct error *err)
{
	char *save = NULL;

	for (char *c = strtok_r(rest, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		size_t len = strlen(buf);

		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			char *slash = strrchr(buf, '/');

			if (slash)
				slash[slash == buf] = '\0';
			continue;
		}
		if (fits(snprintf(buf + len, n - len, "%s%s", len > 1 ? "/" : "", c), n - len,
			 err) < 0)
			return -1;
	}
	return 0;
}

int homedir_canonical(char *buf, size_t n, struct error *err)
{
	char head[PATH_MAX], real[PATH_MAX], rest[PATH_MAX] = "", tmp[PATH_MAX];

	if (fits(snprintf(head, sizeof(head), "%s", buf), sizeof(head), err) < 0)
		return -1;
	/* The longest part that exists, resolved; the rest is still to be made. */
	while (!realpath(head, real)) {
		char *slash = strrchr(head, '/');

		if (errno != ENOENT || !slash)
			return error_set(err, ERR_INVALID_VALUE, "%s: cannot use it as the store's "
					 "folder: %s", buf, strerror(errno));
		if (fits(snprintf(tmp, sizeof(tmp), "%s%s%s", slash + 1, rest[0] ? "/" : "", rest),
			 sizeof(tmp), err) < 0)
			return -1;
		memcpy(rest, tmp, sizeof(rest));
		slash[slash == head] = '\0'; /* "/x" leaves "/" */
	}
	if (fits(snprintf(buf, n, "%s", real), n, err) < 0)
		return -1;
	return append_rest(buf, n, rest, err);
}

static int resolve(const char *home, const char *root, char *buf, size_t n,
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

int homedir_resolve(const char *home, const char *root, char *buf, size_t n,
		    struct error *err)
{
	if (resolve(home, root, buf, n, err) < 0)
		return -1;
	return homedir_canonical(buf, n, err);
}
