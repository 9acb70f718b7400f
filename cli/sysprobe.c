#include "sysprobe.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void join(char *out, size_t n, const char *root, const char *rel)
{
	size_t rl = strlen(root);

	while (rl > 1 && root[rl - 1] == '/')
		rl--;
	if (rl == 1 && root[0] == '/')
		rl = 0;
	snprintf(out, n, "%.*s/%s", (int)rl, root, rel[0] == '/' ? rel + 1 : rel);
}

long sysprobe_read(const char *root, const char *rel, char *buf, size_t n)
{
	char path[4096];
	size_t len = 0;
	ssize_t r;
	int fd;

	join(path, sizeof(path), root, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len + 1 < n && (r = read(fd, buf + len, n - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

bool sysprobe_exists(const char *root, const char *rel)
{
	char path[4096];

	join(path, sizeof(path), root, rel);
	return access(path, F_OK) == 0;
}

bool sysprobe_is_wsl(const char *root)
{
	char rel[4096], path[4096];
	bool found = false;
	struct dirent *d;
	DIR *dir;

	if (sysprobe_read(root, "/proc/sys/kernel/osrelease", rel, sizeof(rel)) > 0 &&
	    (strstr(rel, "Microsoft") || strstr(rel, "microsoft") || strstr(rel, "WSL")))
		return true;
	if (sysprobe_exists(root, "/run/WSL"))
		return true;
	join(path, sizeof(path), root, "/proc/sys/fs/binfmt_misc");
	dir = opendir(path);
	if (!dir)
		return false;
	while (!found && (d = readdir(dir)))
		found = !strncmp(d->d_name, "WSLInterop", 10);
	closedir(dir);
	return found;
}
