// SPDX-License-Identifier: MIT
#include "kbuild.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "digest.h"
#include "fsutil.h"
#include "output.h"
#include "runproc.h"
#include "safefile.h"
#include "strbuf.h"

const char *kbuild_arch(const char **image_name)
{
	struct utsname u;

	if (uname(&u) != 0)
		return NULL;
	if (!strcmp(u.machine, "x86_64")) {
		*image_name = "bzImage";
		return "x86";
	}
	if (!strcmp(u.machine, "aarch64") || !strcmp(u.machine, "arm64")) {
		*image_name = "Image";
		return "arm64";
	}
	return NULL;
}

int kbuild_wsl_config(const char *tree, const char *arch, char *buf, size_t n)
{
	static const char *const x86[] = { "arch/x86/configs/config-wsl", "Microsoft/config-wsl",
					   NULL };
	static const char *const arm64[] = { "arch/arm64/configs/config-wsl-arm64",
					     "Microsoft/config-wsl-arm64", NULL };

	for (const char *const *c = strcmp(arch, "arm64") ? x86 : arm64; *c; c++) {
		snprintf(buf, n, "%s/%s", tree, *c);
		if (access(buf, R_OK) == 0)
			return 1;
	}
	buf[0] = '\0';
	return 0;
}

/* The /LIMIT of distcc host spec H (up to a ',' of options), or -1 when H has none. */
static int distcc_limit(const char *h, long *limit, struct error *err)
{
	const char *slash = strchr(h, '/');
	char *end;

	if (!slash)
		return 0;
	errno = 0;
	*limit = strtol(slash + 1, &end, 10);
	if (errno || end == slash + 1 || (*end && *end != ',') || *limit < 1 ||
	    *limit > KBUILD_JOBS_MAX)
		return error_set(err, ERR_USAGE, "--distcc: the limit of '%s' must be a whole "
				 "number from 1 to %d", h, KBUILD_JOBS_MAX);
	return 0;
}

int kbuild_distcc_jobs(const char *hosts, int local, int *jobs, struct error *err)
{
	long total = local;
	char *copy = strdup(hosts), *save = NULL;
	int rc = 0;

	if (!copy)
		return error_set(err, ERR_IO, "out of memory");
	for (char *h = strtok_r(copy, " \t\n", &save); h && !rc;
	     h = strtok_r(NULL, " \t\n", &save)) {
		long limit = strncmp(h, "localhost", 9) ? 4 : 2;

		/* "--randomize", "+zeroconf" and the like are options, not hosts. */
		if (h[0] == '-' || h[0] == '+')
			continue;
		rc = distcc_limit(h, &limit, err);
		if (!rc) /* a refused limit may be anything, LONG_MAX included */
			total += limit;
	}
	free(copy);
	if (!rc && total > KBUILD_JOBS_MAX)
		rc = error_set(err, ERR_USAGE, "--distcc: this machine's %d jobs and the hosts' "
			       "limits add up to %ld, more than %d: give -j N", local, total,
			       KBUILD_JOBS_MAX);
	if (!rc)
		*jobs = (int)total;
	return rc;
}

/* True when both files exist and hold the same bytes. */
static bool same_content(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa && fb;

	while (same) {
		char x[8192], y[8192];
		size_t nx = fread(x, 1, sizeof(x), fa), ny = fread(y, 1, sizeof(y), fb);

		if (nx != ny || memcmp(x, y, nx))
			same = false;
		else if (nx == 0)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* ---- running the tools, with the log, the tail and the progress line ---- */

static void on_line(void *ud, const char *line)
{
	struct kbuild *kb = ud;

	snprintf(kb->tail[kb->nlines % KBUILD_TAIL], sizeof(kb->tail[0]), "%s", line);
	kb->nlines++;
	if (kb->ntail < KBUILD_TAIL)
		kb->ntail++;
	/* What make printed goes through the output filter: it cannot drive the terminal. */
	if (kb->progress && *line) {
		char shown[101];

		snprintf(shown, sizeof(shown), "%s", line);
		fprintf(stderr, "\r\033[K[%u] ", kb->nlines);
		output_text(stderr, shown);
	}
}

void kbuild_print_tail(const struct kbuild *kb, const char *log_path)
{
	unsigned first = kb->nlines - kb->ntail;

	fprintf(stderr, "--- the last %u lines of %s ---\n", kb->ntail, log_path);
	for (unsigned i = 0; i < kb->ntail; i++) {
		output_text(stderr, kb->tail[(first + i) % KBUILD_TAIL]);
		fputc('\n', stderr);
	}
	fprintf(stderr, "---\n");
}

static void log_command(int fd, const char *const argv[])
{
	struct strbuf line = { 0 };

	if (fd < 0)
		return;
	strbuf_str(&line, "$");
	for (int i = 0; argv[i]; i++)
		strbuf_printf(&line, " %s", argv[i]);
	strbuf_str(&line, "\n");
	if (!line.oom)
		run_log(fd, line.s);
	strbuf_free(&line);
}

/* Runs ARGV with the build's log and tail; 0 on exit status 0, else ERR_BUILD_FAILED
 * saying WHAT failed. */
static int tool(struct kbuild *kb, const char *what, const char *const argv[], const char *cwd,
		const char *const *env, char **capture, struct error *err)
{
	struct run_opts o = { .cwd = cwd, .env = env, .log_fd = kb->log_fd, .on_line = on_line,
			      .ud = kb, .capture = capture != NULL };
	struct run_result r;
	int rc;

	log_command(kb->log_fd, argv);
	rc = run_cmd(argv, &o, &r, err);
	if (kb->progress)
		fprintf(stderr, "\r\033[K");
	if (rc < 0)
		return -1;
	if (r.status != 0) {
		free(r.output);
		return error_set(err, ERR_BUILD_FAILED, "%s failed (exit status %d)", what,
				 r.status);
	}
	if (capture)
		*capture = r.output;
	return 0;
}

/* ---- configuration ---- */

/* Which base: a file (the tree's WSL config or the user's) or a make target. */
static bool pick_base(struct kbuild *kb)
{
	const char *b = kb->base_config;

	if (!b && kbuild_wsl_config(kb->tree, kb->arch, kb->base_used, sizeof(kb->base_used)))
		return true;
	snprintf(kb->base_used, sizeof(kb->base_used), "%s", b ? b : "defconfig");
	return b && strcmp(b, "defconfig") && strcmp(b, "tinyconfig");
}

static int make_base(struct kbuild *kb, const char *base, struct error *err)
{
	char env_cfg[4400], odir[4200];
	const char *env[] = { env_cfg, NULL };
	const char *argv[] = { "make", "-C", kb->tree, odir, kb->base_used, NULL };

	if (pick_base(kb))
		return copy_file(kb->base_used, base, err);
	snprintf(odir, sizeof(odir), "O=%s", kb->objdir);
	snprintf(env_cfg, sizeof(env_cfg), "KCONFIG_CONFIG=%s", base);
	return tool(kb, kb->base_used, argv, NULL, env, NULL, err);
}

/* ---- the configuration key: skip merge + olddefconfig when nothing they read changed ---- */

static void hash_file(struct digest_stream *d, const char *path)
{
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	digest_stream_update(d, path, strlen(path) + 1);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* Unreadable now: a key no build can match. */
			digest_stream_update(d, "?", 1);
			break;
		}
		digest_stream_update(d, buf, (size_t)n);
	}
	close(fd);
}

static void hash_stat(struct digest_stream *d, const char *path)
{
	struct stat st;
	char line[4400];
	int n;

	if (stat(path, &st) != 0)
		n = snprintf(line, sizeof(line), "%s -\n", path);
	else
		n = snprintf(line, sizeof(line), "%s %lld.%09ld %lld\n", path,
			     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			     (long long)st.st_size);
	digest_stream_update(d, line, (size_t)n);
}

/* Ends D and writes its SHA-256 (hex, NUL-terminated) to HEX. */
static int final_hex(struct digest_stream *d, char hex[65], struct error *err)
{
	struct digest_result r;

	if (digest_stream_final(d, &r, err) < 0)
		return -1;
	memcpy(hex, r.sha256, 65);
	return 0;
}

/*
 * What olddefconfig's result depends on: the base, the fragments and every Kconfig file
 * of the tree, which the kernel's syncconfig lists in include/config/auto.conf.cmd
 * (deps_config). Of the compiler only whether ccache wraps it is hashed, not its
 * version: after a compiler upgrade the key still matches, and it is make's own
 * syncconfig (auto.conf.cmd also records the compiler's version text) that brings
 * .config up to date, without the fragment check. 0 and HEX filled, 1 when that list
 * does not exist yet (before the first build), -1 on error.
 */
static int config_key(struct kbuild *kb, char hex[65], struct error *err)
{
	static const char *const base_sources[] = {
		"arch/x86/configs/x86_64_defconfig", "arch/arm64/configs/defconfig",
		"kernel/configs/tiny.config", "arch/x86/configs/tiny.config", NULL,
	};
	struct digest_stream d;
	char path[4400], line[4400];
	FILE *f;
	bool file_base = pick_base(kb);

	snprintf(path, sizeof(path), "%s/include/config/auto.conf.cmd", kb->objdir);
	f = fopen(path, "r");
	if (!f)
		return 1;
	if (digest_stream_init(&d, DIGEST_F_SHA256, err) < 0) {
		fclose(f);
		return -1;
	}
	digest_stream_update(&d, "wslctl-config-key-1", sizeof("wslctl-config-key-1"));
	digest_stream_update(&d, kb->base_used, strlen(kb->base_used) + 1);
	if (file_base)
		hash_file(&d, kb->base_used);
	for (const char *const *b = base_sources; !file_base && *b; b++) {
		snprintf(path, sizeof(path), "%s/%s", kb->tree, *b);
		hash_stat(&d, path);
	}
	for (size_t i = 0; i < kb->nfragments; i++)
		hash_file(&d, kb->fragments[i]);
	{
		const char *cc = kb->ccache ? "ccache" : "-";

		digest_stream_update(&d, cc, strlen(cc) + 1);
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		if (*p != '\t')
			continue;
		while (*p == '\t' || *p == ' ')
			p++;
		end = p + strcspn(p, " \\\n");
		*end = '\0';
		if (!*p)
			continue;
		if (*p == '/')
			snprintf(path, sizeof(path), "%s", p);
		else
			snprintf(path, sizeof(path), "%s/%s", kb->tree, p);
		hash_stat(&d, path);
	}
	fclose(f);
	return final_hex(&d, hex, err);
}

/* The key file holds the key and the SHA-256 of the .config it produced. */
static void key_path(const struct kbuild *kb, char *buf, size_t n)
{
	snprintf(buf, n, "%s/.wslctl/config.key", kb->objdir);
}

static bool config_key_matches(struct kbuild *kb, struct error *err)
{
	char key[65], path[4400], want[200], have[200] = "";
	struct digest_result cd;
	struct error ignored;
	FILE *f;

	if (config_key(kb, key, err) != 0)
		return false;
	snprintf(path, sizeof(path), "%s/.config", kb->objdir);
	if (digest_file(path, DIGEST_F_SHA256, &cd, &ignored) < 0)
		return false;
	key_path(kb, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(have, sizeof(have), f))
		have[0] = '\0';
	fclose(f);
	snprintf(want, sizeof(want), "%s %s\n", key, cd.sha256);
	return !strcmp(want, have);
}

/* After a successful build (syncconfig has listed the Kconfig files by then). */
static void config_key_save(struct kbuild *kb)
{
	char key[65], path[4400], line[200];
	struct digest_result cd;
	struct error ignored;

	key_path(kb, path, sizeof(path));
	unlink(path);
	if (config_key(kb, key, &ignored) != 0)
		return;
	snprintf(path, sizeof(path), "%s/.config", kb->objdir);
	if (digest_file(path, DIGEST_F_SHA256, &cd, &ignored) < 0)
		return;
	key_path(kb, path, sizeof(path));
	snprintf(line, sizeof(line), "%s %s\n", key, cd.sha256);
	/* Whole or not at all: a cut key only costs a configuration run. */
	safefile_replace(path, line, strlen(line), 0644, &ignored);
}

static char *dropped_text(const struct kconfig_req *r, const struct kconfig *cfg)
{
	const char *value, *now;
	enum kconfig_state st = kconfig_get(cfg, r->name, &value);
	char buf[512];
	char *s;

	now = kconfig_state_text(st, value, buf, sizeof(buf));
	if (asprintf(&s, "CONFIG_%s=%s (%s:%d): %s after olddefconfig%s", r->name, r->value,
		     r->file, r->line, st == KCONFIG_NOT_SET ? "not set" : now,
		     st == KCONFIG_ABSENT ? " (a dependency is missing)" : "") < 0)
		return NULL;
	return s;
}

static int check_survival(const char *config, const struct kconfig_reqs *reqs,
			  char ***dropped, size_t *ndropped, struct error *err)
{
	struct kconfig *cfg;

	*dropped = NULL;
	*ndropped = 0;
	if (kconfig_load_file(config, &cfg, err) < 0)
		return -1;
	for (size_t i = 0; reqs && i < reqs->n; i++) {
		char **g;

		if (kconfig_req_met(&reqs->v[i], cfg, KCONFIG_BUILD))
			continue;
		g = realloc(*dropped, (*ndropped + 1) * sizeof(*g));
		if (!g || !(g[*ndropped] = dropped_text(&reqs->v[i], cfg))) {
			if (g)
				*dropped = g;
			kconfig_free(cfg);
			return error_set(err, ERR_IO, "out of memory");
		}
		*dropped = g;
		(*ndropped)++;
	}
	kconfig_free(cfg);
	return 0;
}

int kbuild_configure(struct kbuild *kb, const struct kconfig_reqs *reqs, char ***dropped,
		     size_t *ndropped, struct error *err)
{
	char dir[4200], base[4300], fresh[4300], cur[4300], merge[4300], env_cfg[4400];
	char keyfile[4400];
	const char *env[] = { env_cfg, NULL };
	const char **argv;
	size_t n = 0;
	int rc = -1;

	*dropped = NULL;
	*ndropped = 0;
	snprintf(dir, sizeof(dir), "%s/.wslctl", kb->objdir);
	snprintf(base, sizeof(base), "%s/base.config", dir);
	snprintf(fresh, sizeof(fresh), "%s/new.config", dir);
	snprintf(cur, sizeof(cur), "%s/.config", kb->objdir);
	snprintf(merge, sizeof(merge), "%s/scripts/kconfig/merge_config.sh", kb->tree);
	snprintf(env_cfg, sizeof(env_cfg), "KCONFIG_CONFIG=%s", fresh);
	if (access(merge, R_OK) != 0)
		return error_set(err, ERR_NOT_FOUND, "%s has no scripts/kconfig/merge_config.sh: "
				 "is it a kernel source tree?", kb->tree);
	kb->config_reused = config_key_matches(kb, err);
	if (kb->config_reused) {
		if (check_survival(cur, reqs, dropped, ndropped, err) < 0)
			return -1;
		if (*ndropped)
			return error_set(err, ERR_CONFIG_DROPPED, "%zu fragment option%s missing "
					 "from %s", *ndropped, *ndropped == 1 ? "" : "s", cur);
		return 0;
	}
	/* Whatever happens next, the old key no longer describes .config. */
	key_path(kb, keyfile, sizeof(keyfile));
	unlink(keyfile);
	if (mkdir_p(dir, 0755, err) < 0 || make_base(kb, base, err) < 0)
		return -1;

	/* merge_config.sh splits its arguments on spaces: give it plain names, from here. */
	argv = calloc(kb->nfragments + 8, sizeof(*argv));
	if (!argv)
		return error_set(err, ERR_IO, "out of memory");
	argv[n++] = "sh";
	argv[n++] = merge;
	argv[n++] = "-m";
	argv[n++] = "-O";
	argv[n++] = kb->objdir;
	argv[n++] = ".wslctl/base.config";
	for (size_t i = 0; i < kb->nfragments; i++) {
		char name[64], path[4300];

		snprintf(name, sizeof(name), ".wslctl/fragment-%02zu.config", i + 1);
		snprintf(path, sizeof(path), "%s/%s", kb->objdir, name);
		if (copy_file(kb->fragments[i], path, err) < 0)
			goto out;
		if (!(argv[n++] = strdup(name))) {
			error_set(err, ERR_IO, "out of memory");
			goto out;
		}
	}
	if (tool(kb, "merge_config.sh", argv, kb->objdir, env, NULL, err) < 0)
		goto out;
	{
		char odir[4200];
		const char *mk[] = { "make", "-C", kb->tree, odir, "olddefconfig", NULL };

		snprintf(odir, sizeof(odir), "O=%s", kb->objdir);
		if (tool(kb, "make olddefconfig", mk, NULL, env, NULL, err) < 0)
			goto out;
	}
	if (check_survival(fresh, reqs, dropped, ndropped, err) < 0)
		goto out;
	if (*ndropped) {
		error_set(err, ERR_CONFIG_DROPPED, "%zu fragment option%s did not survive "
			  "olddefconfig (first: %s); add what they depend on to a fragment",
			  *ndropped, *ndropped == 1 ? "" : "s", (*dropped)[0]);
		unlink(fresh);
		goto out;
	}
	/* An identical configuration keeps .config's time stamp: make stays a no-op. */
	kb->config_changed = !same_content(fresh, cur);
	if (kb->config_changed ? rename(fresh, cur) != 0 : unlink(fresh) != 0) {
		error_set(err, ERR_IO, "cannot replace %s: %s", cur, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	for (size_t i = 6; i < n; i++)
		free((char *)argv[i]);
	free(argv);
	return rc;
}

/* ---- make ---- */

struct make_args {
	char odir[4200], lv[300], jobs[32], cc[64];
	char distcc[4200];
	const char *env[4];
};

static void make_args(const struct kbuild *kb, struct make_args *a)
{
	size_t ne = 0;

	snprintf(a->odir, sizeof(a->odir), "O=%s", kb->objdir);
	snprintf(a->lv, sizeof(a->lv), "LOCALVERSION=%s", kb->localversion ? kb->localversion : "");
	snprintf(a->jobs, sizeof(a->jobs), "-j%d", kb->jobs > 0 ? kb->jobs : 1);
	a->cc[0] = '\0';
	if (kb->ccache)
		snprintf(a->cc, sizeof(a->cc), "CC=ccache gcc");
	else if (kb->distcc_hosts)
		snprintf(a->cc, sizeof(a->cc), "CC=distcc gcc");
	if (kb->distcc_hosts) {
		snprintf(a->distcc, sizeof(a->distcc), "DISTCC_HOSTS=%s", kb->distcc_hosts);
		a->env[ne++] = a->distcc;
		/* ccache hands its misses to distcc. */
		if (kb->ccache)
			a->env[ne++] = "CCACHE_PREFIX=distcc";
	}
	a->env[ne] = NULL;
}

/* The release make just wrote to include/config/kernel.release (what `make
 * kernelrelease` prints, without another pass over the kernel's Makefiles). */
static int read_release(struct kbuild *kb, struct error *err)
{
	char path[4400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/include/config/kernel.release", kb->objdir);
	f = fopen(path, "r");
	if (!f)
		return error_set(err, ERR_BUILD_FAILED, "make left no %s: %s", path,
				 strerror(errno));
	if (!fgets(kb->release, sizeof(kb->release), f))
		kb->release[0] = '\0';
	fclose(f);
	kb->release[strcspn(kb->release, "\r\n")] = '\0';
	if (!kb->release[0])
		return error_set(err, ERR_BUILD_FAILED, "%s is empty", path);
	return 0;
}

int kbuild_make(struct kbuild *kb, struct error *err)
{
	struct make_args a;
	const char *image_name, *argv[12];
	size_t n = 0;
	struct stat st;

	make_args(kb, &a);
	kbuild_arch(&image_name);
	argv[n++] = "make";
	argv[n++] = "-C";
	argv[n++] = kb->tree;
	argv[n++] = a.odir;
	argv[n++] = a.jobs;
	argv[n++] = a.lv;
	if (a.cc[0])
		argv[n++] = a.cc;
	argv[n++] = image_name;
	if (kb->modules)
		argv[n++] = "modules";
	argv[n] = NULL;
	if (tool(kb, "make", argv, NULL, a.env, NULL, err) < 0)
		return -1;

	if (read_release(kb, err) < 0)
		return -1;
	snprintf(kb->image, sizeof(kb->image), "%s/arch/%s/boot/%s", kb->objdir, kb->arch,
		 image_name);
	if (stat(kb->image, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return error_set(err, ERR_BUILD_FAILED, "make succeeded but left no %s", kb->image);
	config_key_save(kb);
	return 0;
}

int kbuild_modules_signature(struct kbuild *kb, char hex[65], struct error *err)
{
	struct digest_stream d;
	char path[4400], line[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/modules.order", kb->objdir);
	f = fopen(path, "r");
	if (!f)
		return error_set(err, ERR_BUILD_FAILED, "make modules left no %s", path);
	if (digest_stream_init(&d, DIGEST_F_SHA256, err) < 0) {
		fclose(f);
		return -1;
	}
	digest_stream_update(&d, kb->release, strlen(kb->release) + 1);
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");

		line[n] = '\0';
		/* Older trees list foo.ko, newer ones foo.o: the module is foo.ko. */
		if (n > 2 && !strcmp(line + n - 2, ".o"))
			snprintf(path, sizeof(path), "%s/%.*s.ko", kb->objdir, (int)(n - 2), line);
		else
			snprintf(path, sizeof(path), "%s/%s", kb->objdir, line);
		hash_stat(&d, path);
	}
	fclose(f);
	return final_hex(&d, hex, err);
}

int kbuild_modules_install(struct kbuild *kb, const char *staging, struct error *err)
{
	struct make_args a;
	char dest[4200];
	const char *argv[] = { "make", "-C", kb->tree, a.odir, a.lv, dest, "INSTALL_MOD_STRIP=1",
			       "modules_install", NULL };

	make_args(kb, &a);
	snprintf(dest, sizeof(dest), "INSTALL_MOD_PATH=%s", staging);
	return tool(kb, "make modules_install", argv, NULL, NULL, NULL, err);
}
