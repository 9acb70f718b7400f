// SPDX-License-Identifier: MIT
#include "patchsnap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"

enum snap_kind { SNAP_ABSENT, SNAP_FILE, SNAP_LINK, SNAP_OTHER };

struct patchsnap_entry {
	char *rel;                 /* relative to the tree */
	enum snap_kind kind;
	mode_t mode;               /* SNAP_FILE */
	struct timespec times[2];  /* SNAP_FILE: atime, mtime (make looks at them) */
	char *link;                /* SNAP_LINK: the target */
	size_t made_from;          /* SNAP_ABSENT: how much of REL's folder existed */
};

bool tree_path_escapes(const char *p)
{
	if (p[0] == '/')
		return true;
	for (const char *c = p; *c; ) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return true;
		c += n + (c[n] == '/');
	}
	return false;
}

static void full_path(const struct patchsnap *s, const char *rel, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", s->tree, rel);
}

static void copy_path(const struct patchsnap *s, size_t i, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%zu", s->dir, i);
}

/* The length of the leading folders of REL that exist as folders in the tree. */
static size_t existing_prefix(const struct patchsnap *s, const char *rel)
{
	size_t made = 0;

	for (const char *slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		char path[8400];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%.*s", s->tree, (int)(slash - rel), rel);
		if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			break;
		made = (size_t)(slash - rel);
	}
	return made;
}

/* Records what REL is now (copying a regular file's bytes into the snapshot). */
static int record(struct patchsnap *s, struct patchsnap_entry *e, size_t i,
		  struct error *err)
{
	char path[8400], copy[4300], target[4096];
	struct stat st;
	ssize_t n;

	full_path(s, e->rel, path, sizeof(path));
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			return error_set(err, ERR_IO, "cannot look at %s: %s", path,
					 strerror(errno));
		e->kind = SNAP_ABSENT;
		e->made_from = existing_prefix(s, e->rel);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return error_set(err, ERR_IO, "cannot read the link %s: %s", path,
					 strerror(errno));
		target[n] = '\0';
		e->kind = SNAP_LINK;
		return (e->link = strdup(target)) ? 0 : error_set(err, ERR_IO, "out of memory");
	}
	if (!S_ISREG(st.st_mode)) {
		e->kind = SNAP_OTHER; /* patch changes files and links only */
		return 0;
	}
	e->kind = SNAP_FILE;
	e->mode = st.st_mode & 07777;
	e->times[0] = st.st_atim;
	e->times[1] = st.st_mtim;
	copy_path(s, i, copy, sizeof(copy));
	return copy_file(path, copy, err);
}

static int add(struct patchsnap *s, const char *rel, size_t len, struct error *err)
{
	struct patchsnap_entry *g, *e;
	char *name = strndup(rel, len);

	if (!name)
		return error_set(err, ERR_IO, "out of memory");
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->e[i].rel, name)) {
			free(name);
			return 0;
		}
	if (strlen(s->tree) + 1 + strlen(name) >= sizeof(s->tree)) {
		error_set(err, ERR_PATCH_CONFLICT, "the patch names a path longer than %zu bytes "
			  "in %s", sizeof(s->tree) - 1, s->tree);
		free(name);
		return -1;
	}
	if (!*name || tree_path_escapes(name)) {
		error_set(err, ERR_PATCH_CONFLICT, "the patch names '%s', outside %s", name,
			  s->tree);
		free(name);
		return -1;
	}
	g = realloc(s->e, (s->n + 1) * sizeof(*g));
	if (!g) {
		free(name);
		return error_set(err, ERR_IO, "out of memory");
	}
	s->e = g;
	e = &s->e[s->n++];
	memset(e, 0, sizeof(*e));
	e->rel = name;
	return record(s, e, s->n - 1, err);
}

/* The names of one line of patch's dry run: "checking file F[ (renamed from G)]". */
static int add_line(struct patchsnap *s, const char *line, size_t len, struct error *err)
{
	static const char *const verbs[] = { "checking file ", "checking symbolic link ", NULL };
	static const char *const froms[] = { " (renamed from ", " (copied from ", NULL };

	for (const char *const *v = verbs; *v; v++) {
		size_t vl = strlen(*v);

		if (len <= vl || strncmp(line, *v, vl))
			continue;
		line += vl;
		len -= vl;
		for (const char *const *f = froms; *f; f++) {
			char *at = memmem(line, len, *f, strlen(*f));
			size_t fl = strlen(*f);

			if (!at || line[len - 1] != ')')
				continue;
			if (add(s, at + fl, (size_t)(line + len - 1 - (at + fl)), err) < 0)
				return -1;
			len = (size_t)(at - line);
			break;
		}
		return add(s, line, len, err);
	}
	return 0;
}

int patchsnap_take(struct patchsnap *s, const char *tree, const char *parent,
		   const char *dry_output, struct error *err)
{
	const char *tmp = getenv("TMPDIR");

	memset(s, 0, sizeof(*s));
	snprintf(s->tree, sizeof(s->tree), "%s", tree);
	if (!parent)
		parent = tmp && *tmp ? tmp : "/tmp";
	snprintf(s->dir, sizeof(s->dir), "%s/wslctl-undo.XXXXXX", parent);
	if (!mkdtemp(s->dir)) {
		error_set(err, ERR_IO, "cannot make a folder in %s to save the files a patch "
			  "changes: %s", parent, strerror(errno));
		s->dir[0] = '\0';
		return -1;
	}
	for (const char *p = dry_output ? dry_output : ""; *p; ) {
		size_t n = strcspn(p, "\n");

		if (add_line(s, p, n, err) < 0) {
			patchsnap_free(s);
			return -1;
		}
		p += n + (p[n] == '\n');
	}
	return 0;
}

/* Removes what is at PATH now, a folder with all in it (one the patch made). */
static int clear(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	return S_ISDIR(st.st_mode) ? rm_rf(path) : unlink(path);
}

/* An absent path: removed again, with the folders the patch made for it. */
static int unmake(const struct patchsnap *s, const struct patchsnap_entry *e)
{
	char path[8400];
	size_t len = strlen(e->rel);

	full_path(s, e->rel, path, sizeof(path));
	if (clear(path) < 0)
		return -1;
	for (;;) {
		while (len && e->rel[len - 1] != '/')
			len--;
		if (!len || --len <= e->made_from)
			break;
		snprintf(path, sizeof(path), "%s/%.*s", s->tree, (int)len, e->rel);
		rmdir(path); /* only when empty: something else there stays */
	}
	return 0;
}

/* A file or a link: put back as saved (its folder made again if patch removed it). */
static int put_back(const struct patchsnap *s, size_t i, struct error *err)
{
	const struct patchsnap_entry *e = &s->e[i];
	char path[8400], copy[4300];
	const char *slash = strrchr(e->rel, '/');

	full_path(s, e->rel, path, sizeof(path));
	if (clear(path) < 0)
		return error_set(err, ERR_IO, "cannot remove %s: %s", path, strerror(errno));
	if (slash) {
		char dir[8400];

		snprintf(dir, sizeof(dir), "%s/%.*s", s->tree, (int)(slash - e->rel), e->rel);
		if (mkdir_p(dir, 0755, err) < 0)
			return -1;
	}
	if (e->kind == SNAP_LINK)
		return symlink(e->link, path) == 0 ? 0 :
		       error_set(err, ERR_IO, "cannot restore the link %s: %s", path,
				 strerror(errno));
	copy_path(s, i, copy, sizeof(copy));
	if (copy_file(copy, path, err) < 0)
		return -1;
	if (chmod(path, e->mode) != 0 || utimensat(AT_FDCWD, path, e->times, 0) != 0)
		return error_set(err, ERR_IO, "cannot restore the mode and times of %s: %s",
				 path, strerror(errno));
	return 0;
}

int patchsnap_restore(struct patchsnap *s, struct error *err)
{
	int failed = 0;

	/* First what the patch created (the deepest last named, first removed), then what
	 * it changed or deleted: a folder it made in place of a file is gone by then. */
	for (size_t i = s->n; i-- > 0; )
		if (s->e[i].kind == SNAP_ABSENT && unmake(s, &s->e[i]) < 0 && !failed++)
			error_set(err, ERR_IO, "cannot remove %s/%s: %s", s->tree, s->e[i].rel,
				  strerror(errno));
	for (size_t i = 0; i < s->n; i++) {
		struct error one = { 0 };

		if (s->e[i].kind != SNAP_FILE && s->e[i].kind != SNAP_LINK)
			continue;
		if (put_back(s, i, &one) < 0 && !failed++)
			*err = one;
	}
	return failed ? -1 : 0;
}

void patchsnap_free(struct patchsnap *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].rel);
		free(s->e[i].link);
	}
	free(s->e);
	if (s->dir[0])
		rm_rf(s->dir);
	memset(s, 0, sizeof(*s));
}
