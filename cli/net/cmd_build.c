// SPDX-License-Identifier: MIT
/*
 * wslctl build: the patched kernel from source. Source -> patches -> configuration ->
 * make -> store (-> .wslconfig). Any failure after the patches reverses the ones this
 * run applied, so the source tree is exactly as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "activation.h"
#include "args.h"
#include "commands.h"
#include "digest.h"
#include "filelock.h"
#include "fsutil.h"
#include "kbuild.h"
#include "kconfig.h"
#include "ksource.h"
#include "modvhd.h"
#include "http.h"
#include "output.h"
#include "patchseries.h"
#include "interrupt.h"
#include "runproc.h"
#include "safefile.h"
#include "store.h"
#include "winpath.h"

command_fn cmd_build;

enum {
	O_SOURCE = 1, O_PATCHES, O_FRAGMENT, O_NO_DEFAULT_FRAGMENTS, O_BASE_CONFIG, O_JOBS,
	O_DISTCC, O_NO_CCACHE, O_MODULES, O_NO_ACTIVATE, O_LOCALVERSION, O_BUILD_DIR,
	O_WORK_DIR, O_SHA256, O_CACERT, O_ARCHIVE_BASE,
};

static const struct option_spec opts[] = {
	{ "source", 0, ARG_REQUIRED, O_SOURCE },
	{ "patches", 0, ARG_REQUIRED, O_PATCHES },
	{ "config-fragment", 0, ARG_REQUIRED, O_FRAGMENT },
	{ "no-default-fragments", 0, ARG_NONE, O_NO_DEFAULT_FRAGMENTS },
	{ "base-config", 0, ARG_REQUIRED, O_BASE_CONFIG },
	{ "jobs", 'j', ARG_REQUIRED, O_JOBS },
	{ "distcc", 0, ARG_REQUIRED, O_DISTCC },
	{ "no-ccache", 0, ARG_NONE, O_NO_CCACHE },
	{ "modules", 0, ARG_NONE, O_MODULES },
	{ "no-activate", 0, ARG_NONE, O_NO_ACTIVATE },
	{ "localversion", 0, ARG_REQUIRED, O_LOCALVERSION },
	{ "build-dir", 0, ARG_REQUIRED, O_BUILD_DIR },
	{ "work-dir", 0, ARG_REQUIRED, O_WORK_DIR },
	{ "sha256", 0, ARG_REQUIRED, O_SHA256 },
	{ "cacert", 0, ARG_REQUIRED, O_CACERT },
	{ "archive-base", 0, ARG_REQUIRED, O_ARCHIVE_BASE },
	{ NULL, 0, 0, 0 },
};

struct build_opts {
	const char *source, *patches, *base_config, *distcc, *localversion;
	const char *build_dir, *work_dir, *sha256, *cacert, *archive_base;
	const char **fragments;
	size_t nfragments;
	bool no_default_fragments, no_ccache, modules, no_activate;
	long jobs;
};

static int on_opt(void *ud, int id, const char *val, struct error *err)
{
	struct build_opts *o = ud;
	const char **g;

	switch (id) {
	case O_SOURCE: o->source = val; break;
	case O_PATCHES: o->patches = val; break;
	case O_FRAGMENT:
		g = realloc(o->fragments, (o->nfragments + 1) * sizeof(*g));
		if (!g)
			return error_set(err, ERR_IO, "out of memory");
		o->fragments = g;
		o->fragments[o->nfragments++] = val;
		break;
	case O_NO_DEFAULT_FRAGMENTS: o->no_default_fragments = true; break;
	case O_BASE_CONFIG: o->base_config = val; break;
	case O_JOBS: return args_int("--jobs", val, 1, KBUILD_JOBS_MAX, &o->jobs, err);
	case O_DISTCC: o->distcc = val; break;
	case O_NO_CCACHE: o->no_ccache = true; break;
	case O_MODULES: o->modules = true; break;
	case O_NO_ACTIVATE: o->no_activate = true; break;
	case O_LOCALVERSION: o->localversion = val; break;
	case O_BUILD_DIR: o->build_dir = val; break;
	case O_WORK_DIR: o->work_dir = val; break;
	case O_SHA256: o->sha256 = val; break;
	case O_CACERT: o->cacert = val; break;
	case O_ARCHIVE_BASE: o->archive_base = val; break;
	}
	return 0;
}

/* Everything one run works with; freed by state_free. */
struct build_state {
	struct build_opts o;
	struct series series;
	struct series_run run;
	bool patched;                 /* series_apply succeeded: run.applied may need undoing */
	struct kconfig_reqs reqs;
	char **frag_paths;            /* merge order: kernel-config/ first, then ours */
	size_t nfrag;
	char **dropped;
	size_t ndropped;
	struct ksource src;
	struct kbuild kb;
	struct store store;
	struct winpath_found wc;      /* the .wslconfig to activate in: wc.path */
	char work[4096], objdir[4096], log_path[4200], lock_path[4300];
	int log_fd, lock_fd;
	struct digest_want want;
};

static void state_free(struct build_state *b)
{
	series_free(&b->series);
	series_run_free(&b->run);
	kconfig_reqs_free(&b->reqs);
	for (size_t i = 0; i < b->nfrag; i++)
		free(b->frag_paths[i]);
	free(b->frag_paths);
	for (size_t i = 0; i < b->ndropped; i++)
		free(b->dropped[i]);
	free(b->dropped);
	free(b->o.fragments);
	if (b->log_fd >= 0)
		close(b->log_fd);
	/* Removed while still held: the next build makes its own (filelock.h). */
	filelock_release(b->lock_fd, b->lock_fd >= 0 ? b->lock_path : NULL);
	store_close(&b->store);
}

static int add_fragment(struct build_state *b, const char *path, struct error *err)
{
	char **g = realloc(b->frag_paths, (b->nfrag + 1) * sizeof(*g));

	if (!g)
		return error_set(err, ERR_IO, "out of memory");
	b->frag_paths = g;
	if (!(g[b->nfrag] = strdup(path)))
		return error_set(err, ERR_IO, "out of memory");
	b->nfrag++;
	return kconfig_fragment_load(path, &b->reqs, err);
}

/* The fragments in merge order, each read (and checked) before anything is touched. */
static int load_fragments(struct ctx *c, struct build_state *b)
{
	if (!b->o.no_default_fragments) {
		char pattern[4200];
		glob_t g;
		int rc;

		snprintf(pattern, sizeof(pattern), "%s/kernel-config/*.config", c->data_dir);
		rc = glob(pattern, 0, NULL, &g);
		if (rc == GLOB_NOMATCH)
			warnf(c, "no fragments in %s/kernel-config: building the base config as it is",
			      c->data_dir);
		for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++)
			if (add_fragment(b, g.gl_pathv[i], &c->err) < 0) {
				globfree(&g);
				return -1;
			}
		if (rc == 0)
			globfree(&g);
	}
	for (size_t i = 0; i < b->o.nfragments; i++)
		if (add_fragment(b, b->o.fragments[i], &c->err) < 0)
			return -1;
	return 0;
}

/* The repository's series (absent: no patches) or --patches DIR (must have one). */
static int load_series(struct ctx *c, struct build_state *b)
{
	char dir[4200], file[4300];
	struct stat st;

	if (b->o.patches) {
		if (series_load(b->o.patches, &b->series, &c->err) < 0) {
			/* Named on the command line: missing is bad input (exit 3). */
			if (c->err.code == ERR_NOT_FOUND)
				c->err.code = ERR_INVALID_FILE;
			return -1;
		}
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/patches", c->data_dir);
	/* Only a series that is not there at all means no patches; anything wrong with one
	 * that is (a missing patch, a FIFO) is an error. */
	snprintf(file, sizeof(file), "%s/series", dir);
	if (lstat(file, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
		warnf(c, "no patch series in %s: building the tree as it is", dir);
		return 0;
	}
	return series_load(dir, &b->series, &c->err);
}

static void default_work_dir(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	/* Linux side, case-sensitive: a kernel does not build on a Windows drive. */
	if (xdg && *xdg)
		snprintf(buf, n, "%s/wslctl", xdg);
	else
		snprintf(buf, n, "%s/.cache/wslctl", home && *home ? home : "/tmp");
}

/* One build folder per source tree, so a second build is incremental. */
static int default_objdir(struct ctx *c, struct build_state *b)
{
	const char *base = strrchr(b->src.tree, '/');
	unsigned long crc = crc32(0L, (const unsigned char *)b->src.tree,
				  (unsigned)strlen(b->src.tree));

	if (snprintf(b->objdir, sizeof(b->objdir), "%s/build/%s-%08lx", b->work,
		     base && base[1] ? base + 1 : "tree", crc) >= (int)sizeof(b->objdir))
		return error_set(&c->err, ERR_INVALID_VALUE, "the build folder under %s would "
				 "be a path longer than %zu bytes: give a shorter --work-dir",
				 b->work, sizeof(b->objdir) - 1);
	return 0;
}

/* A second build of the same folder at the same time would corrupt both. */
static int lock_objdir(struct ctx *c, struct build_state *b)
{
	char path[4300];

	snprintf(path, sizeof(path), "%s/.wslctl", b->objdir);
	if (mkdir_p(path, 0755, &c->err) < 0)
		return -1;
	snprintf(b->lock_path, sizeof(b->lock_path), "%s/.wslctl/lock", b->objdir);
	b->lock_fd = filelock_take(b->lock_path, 0, &c->err);
	if (b->lock_fd < 0 && c->err.code == ERR_LOCKED)
		return error_set(&c->err, ERR_LOCKED, "another build is using %s", b->objdir);
	return b->lock_fd < 0 ? -1 : 0;
}

static int open_log(struct ctx *c, struct build_state *b)
{
	char dir[STORE_PATH_MAX + 8], stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	snprintf(dir, sizeof(dir), "%s/logs", b->store.dir);
	if (mkdir_p(dir, 0755, &c->err) < 0)
		return -1;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(b->log_path, sizeof(b->log_path), "%s/build-%s-%ld.log", dir, stamp,
		 (long)getpid());
	b->log_fd = open(b->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (b->log_fd < 0)
		return error_set(&c->err, ERR_IO, "cannot create %s: %s", b->log_path,
				 strerror(errno));
	return 0;
}

/* Activation needs a .wslconfig and a store Windows can read: known before building. */
static int check_activation(struct ctx *c, struct build_state *b)
{
	enum winpath_need need = b->o.no_activate ? WINPATH_SKIP : WINPATH_REQUIRED;
	char win[STORE_PATH_MAX];

	if (winpath_find_wslconfig(c->root, c->wslconfig, need, &b->wc, &c->err) < 0)
		return error_wrap(&c->err, "activating the kernel (or build with --no-activate)");
	if (b->o.no_activate)
		return 0;
	if (store_winpath(&b->store, NULL, NULL, win, sizeof(win)) < 0) {
		/* The options contradict each other: a usage error, before any work. */
		c->err.code = ERR_USAGE;
		return error_wrap(&c->err, "the store cannot be activated (use --home on a "
				  "Windows drive, or --no-activate)");
	}
	return 0;
}

static json_t *patches_json(const struct build_state *b)
{
	json_t *a = json_array();

	for (size_t i = 0; i < b->run.done; i++)
		json_array_append_new(a, json_pack("{s:o, s:s}", "name",
						   json_str_or_null(b->series.e[i].name),
						   "status",
						   patch_status_name(b->run.status[i])));
	return a;
}

/* A dry run applied nothing: its text says what would happen (the JSON keeps the
 * statuses, with "dry_run":true beside them, as for "changed"). */
static void report_patches(struct ctx *c, const struct build_state *b, bool dry)
{
	for (size_t i = 0; i < b->run.done; i++) {
		enum patch_status st = b->run.status[i];

		info(c, "patch %-40s %s", b->series.e[i].name,
		     !dry ? patch_status_name(st) : st == PATCH_APPLIED ? "would apply" :
		     st == PATCH_PRESENT ? "present" : "pending (on the patches before it)");
	}
}

/* The build folder remembers what it last installed, so nothing new is installed twice. */
static void marker_path(const struct build_state *b, char *buf, size_t n)
{
	snprintf(buf, n, "%s/.wslctl/installed", b->objdir);
}

/* Reads the marker: "<release> <kernel sha256> <modules sha256|-> <modules signature|->". */
static bool read_marker(const struct build_state *b, char f[4][256])
{
	char path[4300], line[1100];
	FILE *fp;
	bool ok;

	marker_path(b, path, sizeof(path));
	fp = fopen(path, "r");
	if (!fp)
		return false;
	ok = fgets(line, sizeof(line), fp) &&
	     sscanf(line, "%255s %255s %255s %255s", f[0], f[1], f[2], f[3]) == 4;
	fclose(fp);
	return ok;
}

static bool already_installed(struct build_state *b, const char *ksha, const char *msha)
{
	struct store_manifest m;
	char f[4][256];

	if (!store_has(&b->store, b->kb.release, &m) || strcmp(m.sha256, ksha) ||
	    m.has_modules != b->o.modules || !read_marker(b, f))
		return false;
	return !strcmp(f[0], b->kb.release) && !strcmp(f[1], ksha) && !strcmp(f[2], msha);
}

/* The modules make built are those of the last install: no modules_install needed. */
static bool modules_unchanged(struct build_state *b, const char *ksha, const char *sig,
			      char msha[65])
{
	char f[4][256];

	if (!read_marker(b, f) || strcmp(f[0], b->kb.release) || strcmp(f[1], ksha) ||
	    strcmp(f[3], sig) || strlen(f[2]) != 64)
		return false;
	memcpy(msha, f[2], 65);
	return already_installed(b, ksha, msha);
}

/* What the store records of a build. The release is a valid store version (shorter
 * than the fields); the source was checked to fit by resolve_source. */
static int manifest_of(struct ctx *c, const struct build_state *b, const char *sha256,
		       struct store_manifest *m)
{
	memset(m, 0, sizeof(*m));
	if (snprintf(m->version, sizeof(m->version), "%s", b->kb.release) >=
	    (int)sizeof(m->version) ||
	    snprintf(m->release, sizeof(m->release), "%s", b->kb.release) >=
	    (int)sizeof(m->release) ||
	    snprintf(m->source, sizeof(m->source), "build:%s", b->src.tree) >=
	    (int)sizeof(m->source))
		return error_set(&c->err, ERR_BUILD_FAILED, "release %s or source %s is too "
				 "long for the store's manifest", b->kb.release, b->src.tree);
	snprintf(m->sha256, sizeof(m->sha256), "%s", sha256);
	snprintf(m->verified, sizeof(m->verified), "built");
	m->has_modules = b->o.modules;
	return 0;
}

static int install(struct ctx *c, struct build_state *b, bool *changed)
{
	struct store_manifest m;
	struct store_stage st;
	struct digest_result kd;
	char msha[65] = "-", msig[65] = "-", moddir[4600] = "", staging[4300];
	char path[STORE_PATH_MAX + 64], line[600];
	struct error ignored;

	*changed = false;
	if (!store_version_valid(b->kb.release))
		return error_set(&c->err, ERR_BUILD_FAILED, "kernel release '%s' cannot name a "
				 "store version (use --localversion with [A-Za-z0-9._+-])",
				 b->kb.release);
	if (digest_file(b->kb.image, DIGEST_F_SHA256, &kd, &c->err) < 0)
		return -1;
	if (b->o.modules && kbuild_modules_signature(&b->kb, msig, &c->err) < 0)
		return -1;
	snprintf(staging, sizeof(staging), "%s/.wslctl/modules", b->objdir);
	if (b->o.modules && !modules_unchanged(b, kd.sha256, msig, msha)) {
		if (rm_rf(staging) < 0)
			return error_set(&c->err, ERR_IO, "cannot remove %s: %s", staging,
					 strerror(errno));
		if (kbuild_modules_install(&b->kb, staging, &c->err) < 0)
			return -1;
		snprintf(moddir, sizeof(moddir), "%s/lib/modules/%s", staging, b->kb.release);
		if (modvhd_tree_digest(moddir, msha, &c->err) < 0)
			return -1;
	}
	if (already_installed(b, kd.sha256, msha)) {
		info(c, "kernel %s is already in the store, unchanged", b->kb.release);
		return 0;
	}
	if (store_lock(&b->store) < 0 || store_stage_begin(&b->store, b->kb.release, &st) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/kernel", st.dir);
	if (copy_file(b->kb.image, path, &c->err) < 0) {
		store_stage_abort(&st);
		return -1;
	}
	if (b->o.modules) {
		info(c, "making modules.vhd");
		snprintf(path, sizeof(path), "%s/modules.vhd", st.dir);
		if (modvhd_make(moddir, staging, path, b->log_fd, &c->err) < 0) {
			store_stage_abort(&st);
			return -1;
		}
	}
	if (manifest_of(c, b, kd.sha256, &m) < 0) {
		store_stage_abort(&st);
		return -1;
	}
	if (store_stage_commit(&b->store, &st, &m) < 0)
		return -1;
	marker_path(b, path, sizeof(path));
	snprintf(line, sizeof(line), "%s %s %s %s\n", b->kb.release, kd.sha256, msha, msig);
	/* Whole or not at all: without it the next build only installs again. */
	safefile_replace(path, line, strlen(line), 0644, &ignored);
	*changed = true;
	return 0;
}

/* Undoes this run's patches after a later failure; the first error stays the one told. */
static void undo_patches(struct ctx *c, struct build_state *b)
{
	struct error undo = { 0 };

	if (!b->patched || !b->run.applied)
		return;
	interrupt_defer();
	if (series_unapply(&b->series, b->src.tree, &b->run, &undo) < 0)
		warnf(c, "could not reverse every patch this run applied: %s", undo.message);
	else
		info(c, "reversed the patches this run applied: %s is as it was", b->src.tree);
}

/* A --source that is not a URL or a tag names a folder or a tarball here: one that does
 * not exist, cannot be read or is neither is bad input (exit 3), said before any work. */
static int check_source_path(struct ctx *c, const char *spec)
{
	struct stat st;

	if (stat(spec, &st) != 0) {
		if (!strncmp(spec, "https://", 8) || !strncmp(spec, "http://", 7) ||
		    ksource_is_tag(spec))
			return 0;
		return error_set(&c->err, ERR_INVALID_FILE, "--source %s: %s (a source is a "
				 "kernel folder, a tarball, an https:// URL or a tag such as "
				 "linux-msft-wsl-6.18.35.2)", spec,
				 errno == ENOENT ? "no such folder or file" : strerror(errno));
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return error_set(&c->err, ERR_INVALID_FILE, "--source %s is neither a folder nor "
				 "a regular file (a tarball)", spec);
	if (access(spec, S_ISDIR(st.st_mode) ? R_OK | X_OK : R_OK) != 0)
		return error_set(&c->err, ERR_INVALID_FILE, "--source %s: cannot read it: %s",
				 spec, strerror(errno));
	return 0;
}

/* A kernel .config is a few hundred KiB; far more is not one. */
#define BASE_CONFIG_MAX (64u << 20)

/* --base-config FILE: a regular file, refused (exit 3, with -n too) before any patch is
 * applied; a FIFO is refused, never waited on. */
static int check_base_config(struct ctx *c, const char *path)
{
	int fd = open_regular(path, BASE_CONFIG_MAX, &c->err);

	if (fd < 0 && errno == ENOENT)
		return error_set(&c->err, ERR_INVALID_FILE, "--base-config %s: no such file (or "
				 "give defconfig or tinyconfig)", path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int prepare(struct ctx *c, struct build_state *b, const char **image_name)
{
	if (check_source_path(c, b->o.source ? b->o.source : ".") < 0)
		return -1;
	if (!(b->kb.arch = kbuild_arch(image_name)))
		return error_set(&c->err, ERR_USAGE, "building is supported on x86_64 and arm64 "
				 "machines only");
	if (b->o.sha256 && digest_parse(b->o.sha256, &b->want, &c->err) < 0)
		return -1;
	if (b->o.base_config && strcmp(b->o.base_config, "defconfig") &&
	    strcmp(b->o.base_config, "tinyconfig") && check_base_config(c, b->o.base_config) < 0)
		return -1;
	if (load_series(c, b) < 0 || load_fragments(c, b) < 0)
		return -1;
	if (b->o.work_dir)
		snprintf(b->work, sizeof(b->work), "%s", b->o.work_dir);
	else
		default_work_dir(b->work, sizeof(b->work));
	return 0;
}

/* ksource's progress notes, as info(): filtered, in order with stdout, hidden by -q. */
static void source_note(const char *msg, void *arg)
{
	info(arg, "%s", msg);
}

/* --build-dir made absolute into objdir: created by a real run, never by -n (a dry run
 * creates no folder), where a folder not there yet is only made absolute. */
static int build_dir_path(struct ctx *c, struct build_state *b)
{
	const char *d = b->o.build_dir;
	char abs[PATH_MAX], cwd[PATH_MAX];

	if (!c->dry_run && mkdir_p(d, 0755, &c->err) < 0)
		return -1;
	if (realpath(d, abs)) {
		snprintf(b->objdir, sizeof(b->objdir), "%s", abs);
		return 0;
	}
	if (!c->dry_run || errno != ENOENT)
		return error_set(&c->err, ERR_IO, "--build-dir %s: %s", d, strerror(errno));
	if (d[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return error_set(&c->err, ERR_IO, "the current folder: %s", strerror(errno));
	if ((size_t)snprintf(b->objdir, sizeof(b->objdir), "%s%s%s", d[0] == '/' ? "" : cwd,
			     d[0] == '/' ? "" : "/", d) >= sizeof(b->objdir))
		return error_set(&c->err, ERR_INVALID_VALUE, "--build-dir %s: path too long", d);
	return 0;
}

static int resolve_source(struct ctx *c, struct build_state *b)
{
	char cache[STORE_PATH_MAX + 16], abs[PATH_MAX];
	struct ksource_opts so = {
		.spec = b->o.source ? b->o.source : ".", .work_dir = b->work, .cache_dir = cache,
		.archive_base = b->o.archive_base, .want = b->o.sha256 ? &b->want : NULL,
		.cacert = b->o.cacert, .progress = c->progress, .note = source_note, .note_arg = c,
	};

	snprintf(cache, sizeof(cache), "%s/cache", b->store.dir);
	if (ksource_resolve(&so, &b->src, &c->err) < 0)
		return -1;
	/* The store records "build:<tree>": say before building that it cannot. */
	if (strlen(b->src.tree) + sizeof("build:") > sizeof(((struct store_manifest *)0)->source))
		return error_set(&c->err, ERR_INVALID_VALUE, "the source folder %s is a path "
				 "longer than %zu bytes, more than the store records: move it",
				 b->src.tree, sizeof(((struct store_manifest *)0)->source) -
				 sizeof("build:"));
	/* Before any patch touches it: is this a kernel tree at all? */
	snprintf(abs, sizeof(abs), "%s/scripts/kconfig/merge_config.sh", b->src.tree);
	if (access(abs, R_OK) != 0)
		return error_set(&c->err, ERR_INVALID_FILE, "%s is not a kernel source tree (it has "
				 "no scripts/kconfig/merge_config.sh); give --source", b->src.tree);
	/* make O= refuses a tree built in place; say so before patching it. */
	snprintf(abs, sizeof(abs), "%s/.config", b->src.tree);
	if (access(abs, F_OK) == 0)
		return error_set(&c->err, ERR_USAGE, "%s was configured in place (it has a "
				 ".config): run 'make mrproper' there or use a clean copy; wslctl "
				 "builds in a separate folder", b->src.tree);
	if (b->o.build_dir) {
		if (build_dir_path(c, b) < 0)
			return -1;
	} else if (default_objdir(c, b) < 0) {
		return -1;
	}
	if (!strncmp(b->objdir, b->src.tree, strlen(b->src.tree)) &&
	    (b->objdir[strlen(b->src.tree)] == '/' || !b->objdir[strlen(b->src.tree)]))
		return error_set(&c->err, ERR_USAGE, "the build folder %s is inside the source "
				 "tree: the tree must hold no build output", b->objdir);
	return 0;
}

static int dry_run(struct ctx *c, struct build_state *b)
{
	struct stat st;

	/* Only a folder is looked at: fetching or unpacking would change things. */
	if (b->o.source && (stat(b->o.source, &st) != 0 || !S_ISDIR(st.st_mode))) {
		info(c, "would fetch or unpack %s, then patch, configure and build it",
		     b->o.source);
		json_object_set_new(c->result, "source", json_str_or_null(b->o.source));
		json_object_set_new(c->result, "changed", json_true());
		json_object_set_new(c->result, "dry_run", json_true());
		return 0;
	}
	if (resolve_source(c, b) < 0)
		return -1;
	if (series_apply(&b->series, b->src.tree, NULL, true, &b->run, &c->err) < 0) {
		if (b->run.report)
			output_text(stderr, b->run.report);
		return -1;
	}
	report_patches(c, b, true);
	info(c, "would configure and build %s in %s", b->src.tree, b->objdir);
	json_object_set_new(c->result, "source", json_str_or_null(b->src.tree));
	json_object_set_new(c->result, "build_dir", json_str_or_null(b->objdir));
	json_object_set_new(c->result, "patches", patches_json(b));
	json_object_set_new(c->result, "changed", json_true());
	json_object_set_new(c->result, "dry_run", json_true());
	return 0;
}

/* A failure after the build started: the JSON keeps what is known (patches, dropped
 * options, log) next to the error (output_error: "ok" set keeps the result); text mode
 * shows the error like any other. */
static void result_json(struct ctx *c, struct build_state *b);

static int fail(struct ctx *c, struct build_state *b)
{
	undo_patches(c, b);
	result_json(c, b);
	json_object_set_new(c->result, "ok", json_false());
	run_log(b->log_fd, "wslctl: error: ");
	run_log(b->log_fd, c->err.message);
	run_log(b->log_fd, "\n");
	return -1;
}

static void result_json(struct ctx *c, struct build_state *b)
{
	json_t *dropped = json_array();

	for (size_t i = 0; i < b->ndropped; i++)
		json_array_append_new(dropped, json_str_or_null(b->dropped[i]));
	json_object_set_new(c->result, "source", json_str_or_null(b->src.tree));
	json_object_set_new(c->result, "build_dir", json_str_or_null(b->objdir));
	json_object_set_new(c->result, "patches", patches_json(b));
	json_object_set_new(c->result, "dropped_options", dropped);
	json_object_set_new(c->result, "log", json_str_or_null(b->log_path[0] ? b->log_path
									   : NULL));
}

/* --modules on a configuration without modules: say so before a long build. */
static bool modules_disabled(struct ctx *c, struct build_state *b)
{
	char path[4200];
	struct kconfig *cfg;
	bool off;

	snprintf(path, sizeof(path), "%s/.config", b->objdir);
	if (kconfig_load_file(path, &cfg, &c->err) < 0)
		return true;
	off = kconfig_get(cfg, "MODULES", NULL) != KCONFIG_Y;
	kconfig_free(cfg);
	if (off)
		error_set(&c->err, ERR_USAGE, "--modules, but %s has no CONFIG_MODULES=y: add it "
			  "to a fragment, or build without --modules", path);
	return off;
}

static int build(struct ctx *c, struct build_state *b)
{
	struct activation act = { 0 };
	char kernel[STORE_PATH_MAX + 64];
	bool installed = false;

	char scratch[4300];

	info(c, "source %s, build folder %s", b->src.tree, b->objdir);
	/* The copies that undo a patch stopped half-way: in the build folder we hold locked. */
	snprintf(scratch, sizeof(scratch), "%s/.wslctl", b->objdir);
	if (series_apply(&b->series, b->src.tree, scratch, false, &b->run, &c->err) < 0) {
		if (b->run.report) {
			output_text(stderr, b->run.report);
			run_log(b->log_fd, b->run.report);
		}
		return fail(c, b);
	}
	b->patched = true;
	report_patches(c, b, false);

	b->kb.tree = b->src.tree;
	b->kb.objdir = b->objdir;
	b->kb.base_config = b->o.base_config;
	b->kb.fragments = (const char *const *)b->frag_paths;
	b->kb.nfragments = b->nfrag;
	b->kb.log_fd = b->log_fd;
	b->kb.progress = c->progress;
	info(c, "configuring (%zu fragment%s)", b->nfrag, b->nfrag == 1 ? "" : "s");
	if (kbuild_configure(&b->kb, &b->reqs, &b->dropped, &b->ndropped, &c->err) < 0) {
		for (size_t i = 0; i < b->ndropped; i++)
			info(c, "dropped: %s", b->dropped[i]);
		if (c->err.code == ERR_BUILD_FAILED)
			kbuild_print_tail(&b->kb, b->log_path);
		return fail(c, b);
	}
	info(c, "base config %s%s", b->kb.base_used,
	     b->kb.config_reused ? " (configuration reused: nothing it reads changed)" :
	     b->kb.config_changed ? "" : " (configuration unchanged)");
	if (b->o.modules && modules_disabled(c, b))
		return fail(c, b);
	info(c, "make -j%d%s%s", b->kb.jobs, b->kb.ccache ? " with ccache" : "",
	     b->kb.distcc_hosts ? " with distcc" : "");
	if (kbuild_make(&b->kb, &c->err) < 0 || interrupt_check(&c->err) < 0 ||
	    install(c, b, &installed) < 0) {
		if (c->err.code == ERR_BUILD_FAILED)
			kbuild_print_tail(&b->kb, b->log_path);
		error_wrap(&c->err, "log %s", b->log_path);
		return fail(c, b);
	}
	store_kernel_path(&b->store, b->kb.release, kernel, sizeof(kernel));
	/* Installed stays installed; an interrupt now only skips the activation. */
	if (!b->o.no_activate && (interrupt_check(&c->err) < 0 ||
	    activation_use(&b->store, b->wc.path, b->kb.release, false, &act) < 0))
		return fail(c, b);
	result_json(c, b);
	json_object_set_new(c->result, "ok", json_true());
	json_object_set_new(c->result, "changed", json_boolean(installed || act.changed));
	json_object_set_new(c->result, "release", json_str_or_null(b->kb.release));
	json_object_set_new(c->result, "image", json_str_or_null(kernel));
	if (b->o.modules) {
		struct store_manifest m;

		if (store_get(&b->store, b->kb.release, &m) == 1) {
			char mp[STORE_PATH_MAX + 64];

			store_modules_path(&b->store, &m, mp, sizeof(mp));
			json_object_set_new(c->result, "modules", json_str_or_null(mp));
		}
	}
	json_object_set_new(c->result, "activated", json_boolean(!b->o.no_activate));
	json_object_set_new(c->result, "restart_required", json_boolean(act.changed));
	out(c, "kernel %s built%s: %s", b->kb.release, installed ? " and installed" : "", kernel);
	if (!b->o.no_activate)
		did(c, act.changed ? "active: kernel=%s (restart WSL: wsl.exe --shutdown)"
				   : "already active: kernel=%s", act.kernel_win);
	info(c, "log: %s", b->log_path);
	return 0;
}

int cmd_build(struct ctx *c, int argc, char **argv)
{
	struct build_state b;
	const char *image_name;
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int n, jobs, rc = -1;

	/* A signal is noted from the start, so that a download or an unpack stops through
	 * its error path (no staging folder left) and the run ends with its JSON error. */
	interrupt_catch();
	/* With -v, each network retry is said (the source download). */
	http_on_retry(output_verbose_note, c);
	memset(&b, 0, sizeof(b));
	b.log_fd = b.lock_fd = b.store.lock_fd = -1;
	if (!pos)
		return error_set(&c->err, ERR_IO, "out of memory");
	n = args_parse(argc - 1, argv + 1, opts, on_opt, &b.o, pos, 0, &c->err);
	if (n > 0)
		n = error_set(&c->err, ERR_USAGE, "build takes no arguments ('%s'); the source is "
			      "--source DIR|TARBALL|URL|TAG", pos[0]);
	free(pos);
	if (ncpu < 1)
		ncpu = 1;
	if (ncpu > KBUILD_JOBS_MAX)
		ncpu = KBUILD_JOBS_MAX;
	/* The hosts' limits are checked with or without -j: distcc reads them too. */
	if (n < 0 || (b.o.distcc && kbuild_distcc_jobs(b.o.distcc, (int)ncpu, &jobs,
							&c->err) < 0) ||
	    prepare(c, &b, &image_name) < 0)
		goto out;
	b.kb.jobs = b.o.jobs ? (int)b.o.jobs : c->settings.jobs > 0 ? c->settings.jobs : (int)ncpu;
	if (b.o.distcc && !b.o.jobs)
		b.kb.jobs = jobs;
	b.kb.distcc_hosts = b.o.distcc;
	b.kb.ccache = !b.o.no_ccache && run_have("ccache");
	b.kb.modules = b.o.modules;
	b.kb.localversion = b.o.localversion ? b.o.localversion : "-wslctl";
	if (b.o.distcc && !run_have("distcc")) {
		error_set(&c->err, ERR_NOT_FOUND, "--distcc needs distcc (apt-get install distcc)");
		goto out;
	}
	if (c->dry_run) {
		rc = dry_run(c, &b);
		goto out;
	}
	if (store_open(&b.store, c->home, c->root, &c->err) < 0 ||
	    check_activation(c, &b) < 0 || resolve_source(c, &b) < 0)
		goto out;
	/* A signal noted so far stops here; later ones unwind the run: patches reversed,
	 * the lock released (interrupt.h). */
	if (lock_objdir(c, &b) < 0 || open_log(c, &b) < 0 || interrupt_check(&c->err) < 0)
		goto out;
	rc = build(c, &b);
out:
	state_free(&b);
	return rc;
}
