// SPDX-License-Identifier: MIT
#include "settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "feedid.h"
#include "fsutil.h"

struct load_state {
	struct settings *s;
	const char *path;
	char bad[256];
};

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct load_state *st = user;
	struct settings *s = st->s;

	if (!strcasecmp(section, "update") && !strcasecmp(name, "feed")) {
		char why[160];

		if (feedid_spec_check(value, why, sizeof(why)) < 0) {
			snprintf(st->bad, sizeof(st->bad), "feed '%.80s': %s", value, why);
			return 0;
		}
		copy(s->feed, sizeof(s->feed), value);
	} else if (!strcasecmp(section, "update") && !strcasecmp(name, "channel")) {
		if (strcmp(value, "stable") && strcmp(value, "pre-release")) {
			snprintf(st->bad, sizeof(st->bad),
				 "channel must be 'stable' or 'pre-release', not '%s'", value);
			return 0;
		}
		copy(s->channel, sizeof(s->channel), value);
	} else if (!strcasecmp(section, "update") && !strcasecmp(name, "releases"))
		copy(s->releases, sizeof(s->releases), value);
	else if (!strcasecmp(section, "store") && !strcasecmp(name, "path"))
		copy(s->store, sizeof(s->store), value);
	else if (!strcasecmp(section, "build") && !strcasecmp(name, "jobs")) {
		char *end;
		long j = strtol(value, &end, 10);

		if (*value == '\0' || *end || j < 0 || j > 4096) {
			snprintf(st->bad, sizeof(st->bad), "jobs must be a number from 0 to 4096, not '%s'",
				 value);
			return 0;
		}
		s->jobs = (int)j;
	} else {
		snprintf(st->bad, sizeof(st->bad), "unknown setting '%s.%s'", section, name);
		return 0;
	}
	return 1;
}

/* Settings files are small; anything bigger is not one. */
#define SETTINGS_MAX (1024 * 1024)

int settings_load_file(struct settings *s, const char *path, struct error *err)
{
	struct load_state st = { .s = s, .path = path };
	struct error oe = { 0 };
	/* open_regular, not fopen: a FIFO or /dev/zero here would hang every command, and a
	 * folder would be read as empty. */
	int fd = open_regular(path, SETTINGS_MAX, &oe);
	FILE *f;
	int line;

	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		if (!oe.code)
			error_set(&oe, ERR_IO, "%s: cannot read: %s", path, strerror(errno));
		*err = oe;
		return -1;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return error_set(err, ERR_IO, "%s: cannot read: %s", path, strerror(errno));
	}
	line = ini_parse_file(f, on_entry, &st);
	fclose(f);
	if (line != 0)
		return error_set(err, ERR_INVALID_FILE, "%s:%d: %s", path, line,
				 st.bad[0] ? st.bad : "not a valid settings line (expected key = value or [section])");
	return 0;
}

int settings_load(struct settings *s, struct error *err)
{
	const char *sys = getenv("WSLCTL_SYSTEM_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char user[4096];

	memset(s, 0, sizeof(*s));
	copy(s->feed, sizeof(s->feed), "nuget:Microsoft.WSL.Kernel");
	copy(s->channel, sizeof(s->channel), "stable");
	copy(s->releases, sizeof(s->releases), "https://api.github.com");

	if (settings_load_file(s, sys ? sys : "/etc/wslctl.conf", err) < 0)
		return -1;
	if (xdg && *xdg)
		snprintf(user, sizeof(user), "%s/wslctl/config", xdg);
	else if (home && *home)
		snprintf(user, sizeof(user), "%s/.config/wslctl/config", home);
	else
		return 0;
	return settings_load_file(s, user, err);
}
