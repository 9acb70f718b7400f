// SPDX-License-Identifier: MIT
#include "sysprobe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	struct stat st;
	ssize_t r;
	int fd;

	join(path, sizeof(path), root, rel);
	/* O_NONBLOCK: a FIFO under --root is refused below, never waited on; /proc, /sys
	 * and debugfs files are regular. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
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
	char rel[4096];

	if (sysprobe_read(root, "/proc/sys/kernel/osrelease", rel, sizeof(rel)) > 0 &&
	    (strstr(rel, "Microsoft") || strstr(rel, "microsoft") || strstr(rel, "WSL")))
		return true;
	return sysprobe_wsl_markers(root);
}

void sysprobe_path(const char *root, const char *rel, char *out, size_t n)
{
	join(out, n, root, rel);
}

bool sysprobe_wsl_markers(const char *root)
{
	char path[4096];
	bool found = false;
	struct dirent *d;
	DIR *dir;

	if (sysprobe_exists(root, "/run/WSL"))
		return true;
	/* Named WSLInterop-late in some 2.x releases. */
	join(path, sizeof(path), root, "/proc/sys/fs/binfmt_misc");
	dir = opendir(path);
	if (!dir)
		return false;
	while (!found && (d = readdir(dir)))
		found = !strncmp(d->d_name, "WSLInterop", 10);
	closedir(dir);
	return found;
}

int sysprobe_read_u64(const char *root, const char *rel, uint64_t *out)
{
	char buf[64], *end;
	unsigned long long v;

	if (sysprobe_read(root, rel, buf, sizeof(buf)) < 0)
		return -1;
	errno = 0;
	v = strtoull(buf, &end, 0);
	/* Above INT64_MAX is no counter a kernel keeps (and JSON's integers end there). */
	if (errno || end == buf || buf[0] == '-' || (*end && *end != '\n') || v > INT64_MAX)
		return -2;
	*out = v;
	return 0;
}

/* Opens ROOT/REL for line reading. */
static FILE *open_at(const char *root, const char *rel)
{
	char path[4096];

	join(path, sizeof(path), root, rel);
	return fopen(path, "re");
}

int sysprobe_has_filesystem(const char *root, const char *fstype)
{
	FILE *f = open_at(root, "/proc/filesystems");
	char *line = NULL;
	size_t cap = 0;
	int found = 0;

	if (!f)
		return -1;
	/* "nodev\tvirtiofs" or "\text4": the name is the last field. */
	while (!found && getline(&line, &cap, f) > 0) {
		char *name = strrchr(line, '\t');

		name = name ? name + 1 : line;
		name[strcspn(name, "\n")] = '\0';
		found = !strcmp(name, fstype);
	}
	free(line);
	fclose(f);
	return found;
}

/* Mount points escape space, tab, newline and backslash as \ooo. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static void append_point(char *points, size_t n, const char *point)
{
	size_t used = strlen(points);

	if (used + 1 < n)
		snprintf(points + used, n - used, "%s%s", used ? ", " : "", point);
}

/* Splits S in place at spaces (and the newline) into at most MAX fields: how many. */
static int split(char *s, char **v, int max)
{
	char *save = NULL;
	int n = 0;

	for (char *t = strtok_r(s, " \n", &save); t && n < max; t = strtok_r(NULL, " \n", &save))
		v[n++] = t;
	return n;
}

/* Copies S into OUT (N bytes), octal escapes decoded; a value that does not fit is left
 * empty, not cut. */
static void copy_field(char *out, size_t n, char *s)
{
	unescape_octal(s);
	if (snprintf(out, n, "%s", s) >= (int)n)
		out[0] = '\0';
}

/*
 * One line into E: mountinfo "ID PARENT MAJ:MIN ROOT POINT OPTS [OPTIONAL...] - FSTYPE
 * SOURCE SUPER" (the optional fields end at " - "), or /proc/mounts "SOURCE POINT FSTYPE
 * OPTS 0 0". Fields are octal-escaped, so none holds a space. 1 when it is a mount of
 * FSTYPE.
 */
static int parse_mount(char *line, bool info, const char *fstype, struct mount_entry *e)
{
	char *sep = info ? strstr(line, " - ") : NULL, *head[6], *tail[3];
	int nh, nt;

	if (info && !sep)
		return 0;
	if (info) {
		*sep = '\0';
		nh = split(line, head, 6);
		nt = split(sep + 3, tail, 3);
		if (nh < 5 || nt < 1 || strcmp(tail[0], fstype))
			return 0;
	} else {
		nh = split(line, head, 3);
		if (nh < 3 || strcmp(head[2], fstype))
			return 0;
	}
	memset(e, 0, sizeof(*e));
	copy_field(e->point, sizeof(e->point), head[info ? 4 : 1]);
	if (!info) {
		copy_field(e->source, sizeof(e->source), head[0]);
		return 1;
	}
	if (nt > 1)
		copy_field(e->source, sizeof(e->source), tail[1]);
	copy_field(e->devno, sizeof(e->devno), head[2]);
	copy_field(e->fsroot, sizeof(e->fsroot), head[3]);
	return 1;
}

int sysprobe_mount_list(const char *root, const char *fstype, struct mount_entry *out, int max,
			const char **from)
{
	bool info = true;
	FILE *f = open_at(root, "/proc/self/mountinfo");
	struct mount_entry e;
	char *line = NULL;
	size_t cap = 0;
	int count = 0;

	if (!f) {
		info = false;
		f = open_at(root, "/proc/mounts");
	}
	if (!f)
		return -1;
	*from = info ? "/proc/self/mountinfo" : "/proc/mounts";
	while (getline(&line, &cap, f) > 0) {
		if (!parse_mount(line, info, fstype, &e))
			continue;
		if (count < max)
			out[count] = e;
		count++;
	}
	free(line);
	fclose(f);
	return count;
}

int sysprobe_mounts(const char *root, const char *fstype, char *points, size_t n,
		    const char **from)
{
	struct mount_entry m[16];
	int count = sysprobe_mount_list(root, fstype, m, 16, from);

	if (n)
		points[0] = '\0';
	for (int i = 0; i < count && i < 16; i++)
		append_point(points, n, m[i].point);
	return count;
}

static int cmp_name(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

static int not_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/*
 * The tag of virtio device NAME from /sys/fs/virtiofs/<n>/ (Linux 6.9+): <n> is the
 * device's index, and its "device" link names the device, which is what ties the two;
 * the index only when the link cannot be read. "" when nothing ties.
 */
static void virtiofs_tag(const char *root, const char *name, char *tag, size_t n)
{
	struct dirent *d;
	char path[4096];
	DIR *dir;

	tag[0] = '\0';
	join(path, sizeof(path), root, SYSPROBE_VIRTIOFS_TAGS);
	dir = opendir(path);
	if (!dir)
		return;
	while (!tag[0] && (d = readdir(dir))) {
		char rel[512], link[512], *base;
		ssize_t len;

		if (!not_dot(d))
			continue;
		snprintf(rel, sizeof(rel), SYSPROBE_VIRTIOFS_TAGS "/%s/device", d->d_name);
		join(path, sizeof(path), root, rel);
		len = readlink(path, link, sizeof(link) - 1);
		link[len > 0 ? len : 0] = '\0';
		base = strrchr(link, '/');
		base = base ? base + 1 : link;
		if (len > 0 ? strcmp(base, name) : strncmp(name, "virtio", 6) ||
		    strcmp(name + 6, d->d_name))
			continue;
		snprintf(rel, sizeof(rel), SYSPROBE_VIRTIOFS_TAGS "/%s/tag", d->d_name);
		/* Released kernels end the tag with a newline (the first patches did not). */
		if (sysprobe_read(root, rel, tag, n) > 0)
			tag[strcspn(tag, "\n")] = '\0';
	}
	closedir(dir);
}

int sysprobe_virtio_devices(const char *root, struct virtio_dev *out, int max)
{
	struct dirent **list;
	char path[4096];
	int n, count = 0;

	join(path, sizeof(path), root, "/sys/bus/virtio/devices");
	n = scandir(path, &list, not_dot, cmp_name);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct virtio_dev *d = &out[count];
		char rel[512], buf[512];
		uint64_t v;
		ssize_t len;

		/* A name that does not fit is no virtio device (virtioN): cut, it would name
		 * another one. */
		if (count < max && snprintf(d->name, sizeof(d->name), "%s", list[i]->d_name) <
					   (int)sizeof(d->name)) {
			snprintf(rel, sizeof(rel), "/sys/bus/virtio/devices/%s/device", d->name);
			d->device = sysprobe_read_u64(root, rel, &v) == 0 ? (long)v : -1;
			snprintf(rel, sizeof(rel), "/sys/bus/virtio/devices/%s/vendor", d->name);
			d->vendor = sysprobe_read_u64(root, rel, &v) == 0 ? (long)v : -1;
			snprintf(rel, sizeof(rel), "/sys/bus/virtio/devices/%s/driver", d->name);
			join(path, sizeof(path), root, rel);
			len = readlink(path, buf, sizeof(buf) - 1);
			d->driver[0] = '\0';
			if (len > 0) {
				char *base;

				buf[len] = '\0';
				base = strrchr(buf, '/');
				if (snprintf(d->driver, sizeof(d->driver), "%s", base ? base + 1 : buf) >=
				    (int)sizeof(d->driver))
					memcpy(d->driver + sizeof(d->driver) - 4, "...", 4);
			}
			/* "features" is one 0/1 character per bit, bit 0 first. */
			snprintf(rel, sizeof(rel), "/sys/bus/virtio/devices/%s/features", d->name);
			d->access_platform = -1;
			if (sysprobe_read(root, rel, buf, sizeof(buf)) > 33 &&
			    (buf[33] == '0' || buf[33] == '1'))
				d->access_platform = buf[33] == '1';
			d->tag[0] = '\0';
			if (d->device == VIRTIO_ID_FS)
				virtiofs_tag(root, d->name, d->tag, sizeof(d->tag));
			count++;
		}
		free(list[i]);
	}
	free(list);
	return count;
}

enum debugfs_state sysprobe_debugfs(const char *root)
{
	char path[4096];
	struct dirent *d;
	bool empty = true;
	DIR *dir;

	join(path, sizeof(path), root, "/sys/kernel/debug");
	dir = opendir(path);
	if (!dir)
		return errno == EACCES || errno == EPERM ? DEBUGFS_DENIED : DEBUGFS_MISSING;
	while (empty && (d = readdir(dir)))
		empty = not_dot(d) == 0;
	closedir(dir);
	return empty ? DEBUGFS_UNMOUNTED : DEBUGFS_READABLE;
}

static int read_pool(const char *root, const char *dir, struct swiotlb_usage *u)
{
	char rel[512];
	int r;

	snprintf(u->dir, sizeof(u->dir), "%s", dir);
	snprintf(rel, sizeof(rel), "/sys/kernel/debug/%s/io_tlb_nslabs", dir);
	if (sysprobe_read_u64(root, rel, &u->nslabs) < 0)
		return -1;
	snprintf(rel, sizeof(rel), "/sys/kernel/debug/%s/io_tlb_used", dir);
	if (sysprobe_read_u64(root, rel, &u->used) < 0)
		return -1;
	snprintf(rel, sizeof(rel), "/sys/kernel/debug/%s/io_tlb_used_hiwater", dir);
	r = sysprobe_read_u64(root, rel, &u->hiwater);
	u->has_hiwater = r == 0;
	return 1;
}

int sysprobe_swiotlb_usage(const char *root, const char *pool, struct swiotlb_usage *u)
{
	char dir[128];

	memset(u, 0, sizeof(*u));
	if (!pool)
		return sysprobe_exists(root, "/sys/kernel/debug/swiotlb/io_tlb_nslabs") ?
			read_pool(root, "swiotlb", u) : 0;
	/* At the debugfs root when the pool was made before swiotlb's own folder, else
	 * under it (as restricted DMA pools are). */
	snprintf(dir, sizeof(dir), "/sys/kernel/debug/%s", pool);
	if (sysprobe_exists(root, dir))
		return read_pool(root, pool, u);
	snprintf(dir, sizeof(dir), "/sys/kernel/debug/swiotlb/%s", pool);
	if (sysprobe_exists(root, dir))
		return read_pool(root, dir + strlen("/sys/kernel/debug/"), u);
	return 0;
}
