// SPDX-License-Identifier: MIT
/*
 * wslctl update: resolve the channel as wsl.exe --update does, fetch and verify the
 * kernel it pins, install it into the store, activate it in .wslconfig, and run the
 * platform update through interop last (it may stop the VM we run in).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "activation.h"
#include "argconflict.h"
#include "commands.h"
#include "feed.h"
#include "http.h"
#include "kpkg.h"
#include "output.h"
#include "wslexe.h"
#include "store.h"
#include "sysprobe.h"
#include "version.h"
#include "winpath.h"
#include "wslrelease.h"

int cmd_update(struct ctx *c, int argc, char **argv);

enum {
	O_PRE = 1, O_CHECK, O_KVER, O_DOWNGRADE, O_CUSTOM, O_INBOX, O_NO_PLATFORM, O_FEED,
	O_SHA256, O_UNVERIFIED, O_REQUIRE, O_RELEASES, O_CACERT, O_ARCH,
};

static const struct option_spec opts[] = {
	{ "pre-release", 0, ARG_NONE, O_PRE },
	{ "check", 0, ARG_NONE, O_CHECK },
	{ "kernel-version", 0, ARG_REQUIRED, O_KVER },
	{ "allow-downgrade", 0, ARG_NONE, O_DOWNGRADE },
	{ "custom-kernel", 0, ARG_NONE, O_CUSTOM },
	{ "inbox", 0, ARG_NONE, O_INBOX },
	{ "no-platform", 0, ARG_NONE, O_NO_PLATFORM },
	{ "feed", 0, ARG_REQUIRED, O_FEED },
	{ "sha256", 0, ARG_REQUIRED, O_SHA256 },
	{ "allow-unverified", 0, ARG_NONE, O_UNVERIFIED },
	{ "require-digest", 0, ARG_NONE, O_REQUIRE },
	{ "releases", 0, ARG_REQUIRED, O_RELEASES },
	{ "cacert", 0, ARG_REQUIRED, O_CACERT },
	{ "arch", 0, ARG_REQUIRED, O_ARCH },
	{ NULL, 0, 0, 0 },
};

struct update_opts {
	bool pre, check, downgrade, custom, inbox, no_platform, unverified, require_digest;
	const char *kernel_version, *feed, *sha256, *releases, *cacert, *arch;
};

static int on_opt(void *ud, int id, const char *val, struct error *err)
{
	struct update_opts *o = ud;

	switch (id) {
	case O_PRE: o->pre = true; break;
	case O_CHECK: o->check = true; break;
	case O_KVER: o->kernel_version = val; break;
	case O_DOWNGRADE: o->downgrade = true; break;
	case O_CUSTOM: o->custom = true; break;
	case O_INBOX: o->inbox = true; break;
	case O_NO_PLATFORM: o->no_platform = true; break;
	case O_FEED: o->feed = val; break;
	case O_SHA256: o->sha256 = val; break;
	case O_UNVERIFIED: o->unverified = true; break;
	case O_REQUIRE: o->require_digest = true; break;
	case O_RELEASES: o->releases = val; break;
	case O_CACERT: o->cacert = val; break;
	case O_ARCH:
		if (strcmp(val, "x64") && strcmp(val, "arm64"))
			return error_set(err, ERR_USAGE, "--arch must be x64 or arm64, not '%s'", val);
		o->arch = val;
		break;
	}
	return 0;
}

/* Everything the command learns on the way, for the text and the JSON at the end. */
struct update_state {
	struct update_opts o;
	struct winpath_found wc;     /* the .wslconfig: wc.path */
	bool in_wsl, kernel_step, changed, platform_updated;
	struct wsl_release rel;      /* rel.tag empty when not resolved */
	struct feed feed;
	struct feed_pkg pkg;
	char active[STORE_VERSION_MAX];   /* store version in use (activation.h), "" if none */
	char named[STORE_VERSION_MAX];    /* store folder kernel=/kernelModules= name, even
					     one whose manifest cannot be read, "" if none */
	char current[STORE_VERSION_MAX];  /* what runs now: named, or the inbox kernel */
	char kernel_value[STORE_PATH_MAX];
	struct activation act;
	struct store_manifest m;
	char wsl_before[64], wsl_after[64];
	char token_base[600];
	struct error platform_err;   /* code ERR_NONE unless wsl.exe --update failed */
};

static int parse(struct ctx *c, int argc, char **argv, struct update_opts *o)
{
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	int n;

	if (!pos)
		return error_set(&c->err, ERR_IO, "out of memory");
	n = args_parse_checked("update", argc - 1, argv + 1, opts, on_opt, o, pos, &c->err);
	if (n > 0)
		n = error_set(&c->err, ERR_USAGE, "update takes no arguments ('%s'); see "
			      "'wslctl update --help'", pos[0]);
	free(pos);
	return n < 0 ? -1 : 0;
}

/* The kernel the machine runs when kernel= is absent: the inbox one (numbers only). */
static void running_kernel(const struct ctx *c, char *buf, size_t n)
{
	char rel[256];

	buf[0] = '\0';
	if (sysprobe_read(c->root, "/proc/sys/kernel/osrelease", rel, sizeof(rel)) > 0 &&
	    version_from_text(rel, buf, n) && !strchr(buf, '.'))
		buf[0] = '\0';
}

/* The metadata cache is written into the store: a writing run refuses a folder that
 * cannot be one before anything is made there (docs/store.md); a run that changes
 * nothing uses the cache only where the store already is. "" when there is none. */
static int cache_allowed(struct ctx *c, struct update_state *u, struct store *s,
			 char *cache)
{
	bool reading = c->dry_run || u->o.check;
	struct error saved = c->err;

	if (store_check(s) == 0 && (!reading || access(cache, F_OK) == 0))
		return 0;
	cache[0] = '\0';
	if (!reading)
		return -1;
	c->err = saved;
	return 0;
}

static int make_http(struct ctx *c, struct update_state *u, const char *cache,
		     struct http **h)
{
	/* The token is for the releases API only, not for feeds that share its host. */
	snprintf(u->token_base, sizeof(u->token_base), "%s/repos/",
		 u->o.releases ? u->o.releases : c->settings.releases);
	struct http_options ho = {
		.cacert = u->o.cacert,
		.cache_dir = cache[0] ? cache : NULL,
		.cache_read_only = c->dry_run || u->o.check,
		.token = getenv("GITHUB_TOKEN"),
		.token_base = u->token_base,
		.progress = c->progress,
	};

	*h = http_new(&ho, &c->err);
	return *h ? 0 : -1;
}

/* Which version the channel (or the pin) asks for, and where its package is. */
static int resolve(struct ctx *c, struct update_state *u, struct http *h)
{
	const char *api = u->o.releases ? u->o.releases : c->settings.releases;
	const char *version = u->o.kernel_version;
	const struct feed_fetch net = feed_fetch_http(h);

	if (!http_url_allowed(api))
		return error_set(&c->err, ERR_USAGE, "--releases '%s': only https:// "
				 "(plain http:// only to loopback)", api);
	if (feed_parse(u->o.feed ? u->o.feed : c->settings.feed, u->o.arch, &u->feed,
		       &c->err) < 0)
		return -1;
	u->feed.pre_release = u->o.pre;
	/* The WSL release matters for Microsoft's feed (it pins the kernel) and for
	 * reporting when only the platform is updated. */
	if (!version && (u->feed.kind == FEED_NUGET || !u->kernel_step)) {
		if (wsl_release_resolve(&net, api, u->o.pre, &u->rel, &c->err) < 0) {
			if (u->kernel_step || u->o.check)
				return -1;
			/* Only for the report: wsl.exe --update does not need it. */
			warnf(c, "%s", c->err.message);
			memset(&c->err, 0, sizeof(c->err));
			memset(&u->rel, 0, sizeof(u->rel));
			return 0;
		}
		info(c, "WSL %s (%s channel) pins kernel %s", u->rel.tag,
		     u->o.pre ? "pre-release" : "stable", u->rel.kernel);
		if (u->feed.kind == FEED_NUGET)
			version = u->rel.kernel;
	}
	if (!u->kernel_step) {
		snprintf(u->pkg.version, sizeof(u->pkg.version), "%s", u->rel.kernel);
		return 0;
	}
	if (feed_resolve(&net, &u->feed, version, &u->pkg, &c->err) < 0)
		return -1;
	if (!store_version_valid(u->pkg.version))
		return error_set(&c->err, ERR_INVALID_FILE, "the feed names version '%s', which "
				 "cannot be a store folder", u->pkg.version);
	if (u->o.sha256 && digest_parse(u->o.sha256, &u->pkg.want, &c->err) < 0)
		return error_wrap(&c->err, "--sha256");
	return 0;
}

/*
 * 1: the offered version goes on (newer than what runs, or the same; or allowed to go
 * back: pinned, --allow-downgrade); 0: what runs is newer and stays; -1: which is older
 * cannot be told (ERR_CHECK_FAILED). --custom-kernel only sets aside the comparison
 * with the inbox kernel, never the one with a store version.
 */
static int wanted(struct ctx *c, const struct update_state *u)
{
	if (!u->current[0] || u->o.kernel_version || u->o.downgrade)
		return 1;
	if (!u->named[0])
		return u->o.custom || version_cmp_numeric(u->pkg.version, u->current) > 0;
	if (!version_orderable(u->current) || !version_orderable(u->pkg.version))
		return error_set(&c->err, ERR_CHECK_FAILED,
				 "cannot tell whether kernel %s is older than the active %s (a "
				 "version name should start with numbers, e.g. 6.18.35.2-mine): "
				 "give --kernel-version %s to install it, or --allow-downgrade",
				 u->pkg.version, u->current, u->pkg.version);
	/* The same version goes on, to find it installed and active: nothing changes. */
	return version_cmp(u->pkg.version, u->current) >= 0;
}

/* No published digest: only verified TLS, and never under --require-digest. */
static int digest_policy(struct ctx *c, struct update_state *u)
{
	if (u->pkg.want.alg != DIGEST_NONE)
		return 0;
	if (u->o.require_digest)
		return error_set(&c->err, ERR_NO_DIGEST,
				 "%s publishes no digest for %s and --require-digest was given",
				 u->pkg.source, u->pkg.version);
	if (u->feed.kind == FEED_FILE && !u->o.unverified)
		return error_set(&c->err, ERR_NO_DIGEST,
				 "%s: a local package needs --sha256 HEX (or --allow-unverified)",
				 u->pkg.location);
	if (strncmp(u->pkg.location, "https://", 8) && u->feed.kind != FEED_FILE &&
	    !u->o.unverified)
		return error_set(&c->err, ERR_NO_DIGEST,
				 "%s: no digest published and not over TLS; give --sha256 HEX "
				 "(or --allow-unverified)", u->pkg.location);
	warnf(c, "%s publishes no digest for %s: trusting %s", u->pkg.source, u->pkg.version,
	      u->feed.kind == FEED_FILE || u->o.unverified ? "it unverified" : "verified TLS");
	return 0;
}

/* The store already holds this version from a package with the wanted digest. */
static bool already_installed(const struct store *s, struct update_state *u)
{
	struct digest_result got = { { 0 }, { 0 } };

	if (!store_has(s, u->pkg.version, &u->m))
		return false;
	if (u->pkg.want.alg == DIGEST_NONE)
		return !strcmp(u->m.source, u->pkg.source);
	snprintf(got.sha256, sizeof(got.sha256), "%s", u->m.sha256);
	snprintf(got.sha512, sizeof(got.sha512), "%s", u->m.sha512);
	return digest_matches(&u->pkg.want, &got);
}

/*
 * The digest the manifest records (u->m) before extraction: the published one, which
 * kpkg_install checks the package's bytes against while it extracts them (the one pass
 * that hashes them). None published: it records the SHA-256 of that same pass.
 */
static void record_digest(struct update_state *u)
{
	char text[16 + 2 * DIGEST_MAX_LEN];
	const char *hex;

	digest_format(&u->pkg.want, text, sizeof(text));
	hex = strchr(text, ':') ? strchr(text, ':') + 1 : text;
	if (u->pkg.want.alg == DIGEST_SHA512)
		snprintf(u->m.sha512, sizeof(u->m.sha512), "%.128s", hex);
	else if (u->pkg.want.alg == DIGEST_SHA256)
		snprintf(u->m.sha256, sizeof(u->m.sha256), "%.64s", hex);
}

/* The manifest of the package (u->m) but for what extraction fills in. */
static int describe(struct ctx *c, struct update_state *u)
{
	memset(&u->m, 0, sizeof(u->m));
	snprintf(u->m.version, sizeof(u->m.version), "%s", u->pkg.version);
	if (snprintf(u->m.source, sizeof(u->m.source), "%s", u->pkg.source) >=
	    (int)sizeof(u->m.source))
		return error_set(&c->err, ERR_INVALID_VALUE, "%s: the package's source is too long "
				 "to record (at most %zu characters)", u->pkg.source,
				 sizeof(u->m.source) - 1);
	record_digest(u);
	snprintf(u->m.verified, sizeof(u->m.verified), "%s",
		 u->pkg.want.alg != DIGEST_NONE ? digest_alg_name(u->pkg.want.alg)
		 : u->o.unverified || u->feed.kind == FEED_FILE ? "unverified" : "tls-only");
	return 0;
}

/*
 * FILE into the store. Extraction stops at the first damaged entry, before it has hashed
 * the whole file: when it fails, a FILE that is not the package published is said to be
 * that (ERR_DIGEST_MISMATCH), whatever else went wrong first, as when the digest was
 * checked before extracting. Only this failure path reads FILE a second time.
 */
static int install_file(struct ctx *c, struct update_state *u, struct store *s,
			const char *file)
{
	struct digest_result dr;
	struct error again = { 0 };

	if (kpkg_install(s, file, u->pkg.file_name, u->feed.arch, &u->m) == 0)
		return 0;
	if (u->pkg.want.alg == DIGEST_NONE || c->err.code == ERR_DIGEST_MISMATCH ||
	    c->err.code == ERR_INTERRUPTED)
		return -1;
	if (digest_file(file, digest_flag(&u->pkg.want), &dr, &again) == 0)
		digest_check(&u->pkg.want, &dr, file, &c->err);
	else if (again.code == ERR_INTERRUPTED)
		c->err = again;
	/* Otherwise a file that cannot be read again keeps the first error. */
	return -1;
}

/*
 * Downloads the package into the store's cache and installs it. Bytes this run fetched
 * are checked by extraction alone (verify_later); an earlier run's are checked by
 * http_download before they are used. A package that cannot be installed, or is not the
 * one published, is deleted from the cache.
 */
static int fetch_into_store(struct ctx *c, struct update_state *u, struct store *s,
			    struct http *h)
{
	char cache[STORE_PATH_MAX + 300];
	struct http_download_result res;
	struct http_download req = {
		.url = u->pkg.location, .dest = cache, .want = &u->pkg.want,
		.expected_size = u->pkg.size, .label = u->pkg.file_name, .verify_later = true,
	};

	snprintf(cache, sizeof(cache), "%s/cache/%s", s->dir, u->pkg.file_name);
	info(c, "downloading %s", u->pkg.location);
	if (http_download(h, &req, &res, &c->err) < 0)
		return -1;
	if (res.cached)
		info(c, "using the cached %s (digest matches)", cache);
	else if (res.resumed_from)
		info(c, "resumed at byte %llu", (unsigned long long)res.resumed_from);
	if (install_file(c, u, s, cache) == 0)
		return 0;
	if (c->err.code != ERR_UNSAFE_ARCHIVE && c->err.code != ERR_DIGEST_MISMATCH)
		return -1;
	if (unlink(cache) < 0 && errno != ENOENT)
		warnf(c, "cannot delete %s: %s (delete it by hand)", cache, strerror(errno));
	if (c->err.code == ERR_DIGEST_MISMATCH)
		return error_wrap(&c->err, "%s: the package does not match the digest; the "
				  "download was deleted and nothing was installed (try again; if it "
				  "persists, the feed is at fault)", u->pkg.location);
	return -1;
}

static int fetch_and_install(struct ctx *c, struct update_state *u, struct store *s,
			     struct http *h)
{
	if (describe(c, u) < 0)
		return -1;
	/* A local file is the user's: checked while extracting, never deleted. */
	if (u->feed.kind == FEED_FILE ? install_file(c, u, s, u->pkg.location) < 0
	    : fetch_into_store(c, u, s, h) < 0)
		return -1;
	if (u->pkg.want.alg == DIGEST_NONE)
		info(c, "sha256 %s (recorded; the feed publishes no digest)", u->m.sha256);
	info(c, "installed kernel %s into %s/versions/%s", u->pkg.version, s->dir,
	     u->pkg.version);
	return 0;
}

static void platform_step(struct ctx *c, struct update_state *u)
{
	if (c->dry_run) {
		info(c, "would run wsl.exe --update%s", u->o.pre ? " --pre-release" : "");
		return;
	}
	if (wslexe_version(u->wsl_before, sizeof(u->wsl_before)) < 0)
		u->wsl_before[0] = '\0';
	info(c, "running wsl.exe --update%s (this may stop WSL)", u->o.pre ? " --pre-release" : "");
	fflush(stdout);
	fflush(stderr);
	if (wslexe_update(u->o.pre, &u->platform_err) < 0)
		return;
	if (wslexe_version(u->wsl_after, sizeof(u->wsl_after)) < 0)
		u->wsl_after[0] = '\0';
	u->platform_updated = !u->wsl_before[0] || !u->wsl_after[0] ||
			      strcmp(u->wsl_before, u->wsl_after) != 0;
	if (u->wsl_before[0] && u->wsl_after[0])
		did(c, "WSL %s -> %s", u->wsl_before, u->wsl_after);
}

static void report(struct ctx *c, struct update_state *u)
{
	json_t *r = c->result;
	bool restart = u->changed || u->platform_updated;

	/* The kernel step's result stands; a failed platform step still fails the run. */
	json_object_set_new(r, "ok", json_boolean(!u->platform_err.code));
	json_object_set_new(r, "changed", json_boolean(u->changed));
	json_object_set_new(r, "channel", json_string(u->o.pre ? "pre-release" : "stable"));
	json_object_set_new(r, "wsl_release", json_text_or_null(u->rel.tag));
	json_object_set_new(r, "version", json_text_or_null(u->pkg.version));
	json_object_set_new(r, "kernel", json_text_or_null(u->act.kernel_win));
	json_object_set_new(r, "modules", json_text_or_null(u->act.modules_win));
	json_object_set_new(r, "previous", json_text_or_null(u->act.previous));
	json_object_set_new(r, "platform_updated", json_boolean(u->platform_updated));
	json_object_set_new(r, "restart_required", json_boolean(restart));
	if (u->m.sha256[0])
		json_object_set_new(r, "sha256", json_string(u->m.sha256));
	if (u->m.verified[0])
		json_object_set_new(r, "verified", json_string(u->m.verified));
	if (u->wsl_before[0])
		json_object_set_new(r, "wsl_version_before", json_string(u->wsl_before));
	if (u->wsl_after[0])
		json_object_set_new(r, "wsl_version_after", json_string(u->wsl_after));
	if (c->dry_run)
		json_object_set_new(r, "dry_run", json_true());
	if (u->act.note[0])
		warnf(c, "%s", u->act.note);
	if (restart)
		did(c, c->dry_run ? "WSL would then have to restart: wsl.exe --shutdown"
		    : "WSL must restart for this to apply: run wsl.exe --shutdown");
}

static int check_only(struct ctx *c, struct update_state *u)
{
	int w = u->pkg.version[0] ? wanted(c, u) : 0;
	bool avail = w > 0 && (!u->current[0] || strcmp(u->current, u->pkg.version));

	if (w < 0)
		return -1;
	json_object_set_new(c->result, "ok", json_true());
	json_object_set_new(c->result, "changed", json_false());
	json_object_set_new(c->result, "channel",
			    json_string(u->o.pre ? "pre-release" : "stable"));
	json_object_set_new(c->result, "wsl_release",
			    json_text_or_null(u->rel.tag));
	json_object_set_new(c->result, "current", json_text_or_null(u->current));
	json_object_set_new(c->result, "available",
			    json_text_or_null(u->pkg.version));
	json_object_set_new(c->result, "version",
			    json_text_or_null(u->pkg.version));
	json_object_set_new(c->result, "update_available", json_boolean(avail));
	out(c, "current kernel: %s%s", u->current[0] ? u->current : "(none)",
	    u->named[0] ? " (store)" : u->kernel_value[0] ? " (custom kernel=)" : " (inbox)");
	out(c, "available:      %s%s%s", u->pkg.version[0] ? u->pkg.version : "(unknown)",
	    u->rel.tag[0] ? " from WSL " : "", u->rel.tag);
	if (avail)
		out(c, "an update is available: run 'wslctl update%s'", u->o.pre ? " --pre-release" : "");
	else
		out(c, "up to date");
	return 0;
}

/* Parses the command line and finds the .wslconfig: what runs is what kernel= says, so
 * update needs one every time. */
static int begin(struct ctx *c, struct update_state *u, int argc, char **argv)
{
	if (parse(c, argc, argv, &u->o) < 0)
		return -1;
	if (!strcmp(c->settings.channel, "pre-release"))
		u->o.pre = true;
	u->in_wsl = sysprobe_is_wsl(c->root);
	if (winpath_find_wslconfig(c->root, c->wslconfig, WINPATH_REQUIRED, &u->wc, &c->err) < 0)
		return -1;
	return 0;
}

/* Reads kernel= and works out what runs now. */
static int current_state(struct ctx *c, struct update_state *u, struct store *s)
{
	struct activation_state st;

	if (activation_read(s, u->wc.path, NULL, 0, &st) < 0)
		return -1;
	snprintf(u->active, sizeof(u->active), "%s", st.active);
	snprintf(u->named, sizeof(u->named), "%s", st.named);
	snprintf(u->kernel_value, sizeof(u->kernel_value), "%s", st.kernel);
	u->current[0] = '\0';
	/* A store folder whose manifest cannot be read still names a version: fail closed,
	 * it is compared like any other, never taken for "not from the store". */
	if (u->named[0])
		snprintf(u->current, sizeof(u->current), "%s", u->named);
	else if (!u->kernel_value[0] && u->in_wsl)
		running_kernel(c, u->current, sizeof(u->current));
	return 0;
}

/* --inbox: kernel= goes, so that WSL boots its own kernel. */
static int inbox(struct ctx *c, struct update_state *u, struct store *s)
{
	if (activation_inbox(s, u->wc.path, c->dry_run, &u->act) < 0)
		return -1;
	u->changed = u->act.changed;
	did(c, !u->changed ? "%s names no custom kernel: WSL already boots its own"
	    : c->dry_run ? "would remove kernel= and kernelModules= from %s: WSL would boot its own kernel"
	    : "kernel= and kernelModules= removed from %s: WSL boots its own kernel", u->wc.path);
	return 0;
}

/* What runs is newer than what is offered: nothing changes. */
static int keep(struct ctx *c, const struct update_state *u)
{
	did(c, "kernel %s is active and newer than the offered %s: keeping it "
	       "(--allow-downgrade or --kernel-version to change)", u->current, u->pkg.version);
	return 0;
}

/* --dry-run: what activating would write, installing nothing. */
static int dry_run_kernel(struct ctx *c, struct update_state *u, struct store *s)
{
	if (already_installed(s, u)) {
		if (activation_use(s, u->wc.path, u->pkg.version, true, &u->act) < 0)
			return -1;
		u->changed = u->act.changed;
	} else {
		info(c, "would download %s and install kernel %s", u->pkg.location,
		     u->pkg.version);
		if (store_winpath(s, u->pkg.version, "kernel", u->act.kernel_win,
				  sizeof(u->act.kernel_win)) < 0)
			return -1;
		snprintf(u->act.previous, sizeof(u->act.previous), "%s", u->active);
		u->changed = true;
	}
	/* The text says what the JSON does: which kernel would become active. */
	did(c, u->changed ? "would activate kernel %s: kernel=%s"
			  : "kernel %s is already active (%s)", u->pkg.version, u->act.kernel_win);
	return 0;
}

/* The offered kernel into the store (unless it is there) and into .wslconfig. */
static int install_kernel(struct ctx *c, struct update_state *u, struct store *s,
			  struct http *h)
{
	char win[STORE_PATH_MAX];
	int w;

	if (digest_policy(c, u) < 0)
		return -1;
	/* A store Windows cannot read could never be activated: say so before downloading. */
	if (store_winpath(s, NULL, NULL, win, sizeof(win)) < 0)
		return error_wrap(&c->err, "the store (--home)");
	if (c->dry_run)
		return dry_run_kernel(c, u, s);
	if (store_lock(s) < 0)
		return -1;
	/* Decided again under the lock: a kernel use since the first look must not be
	 * replaced by an older one. */
	if (current_state(c, u, s) < 0 || (w = wanted(c, u)) < 0)
		return -1;
	if (!w)
		return keep(c, u);
	if (already_installed(s, u))
		info(c, "kernel %s is already in the store", u->pkg.version);
	else if (fetch_and_install(c, u, s, h) < 0)
		return -1;
	if (u->kernel_value[0] && !u->named[0])
		info(c, "replacing kernel=%s (not from the store)", u->kernel_value);
	if (activation_use(s, u->wc.path, u->pkg.version, false, &u->act) < 0)
		return -1;
	u->changed = u->act.changed;
	did(c, u->changed ? "kernel %s is active: kernel=%s" : "kernel %s is already active (%s)",
	    u->pkg.version, u->act.kernel_win);
	return 0;
}

/* After resolving: keep what runs, or install and activate what is offered. */
static int kernel_step(struct ctx *c, struct update_state *u, struct store *s, struct http *h)
{
	int w;

	if (!u->kernel_step) {
		did(c, "the inbox kernel is in use: wsl.exe --update brings kernel %s",
		    u->pkg.version[0] ? u->pkg.version : "(unknown)");
		return 0;
	}
	w = wanted(c, u);
	if (w <= 0)
		return w < 0 ? -1 : keep(c, u);
	return install_kernel(c, u, s, h);
}

/*
 * Last: wsl.exe --update may stop the VM this runs in; the rest is on disk. A failed
 * platform step is a failure like any other, its report ("ok" set) kept beside the error.
 */
static int platform_and_report(struct ctx *c, struct update_state *u)
{
	if (u->in_wsl && !u->o.no_platform && wslexe_available(c->root))
		platform_step(c, u);
	report(c, u);
	if (!u->platform_err.code)
		return 0;
	c->err = u->platform_err;
	return -1;
}

int cmd_update(struct ctx *c, int argc, char **argv)
{
	struct update_state u;
	struct store s = { .lock_fd = -1 };
	struct http *h = NULL;
	char cache[STORE_PATH_MAX + 16];
	int rc = -1;

	http_on_retry(output_verbose_note, c);
	memset(&u, 0, sizeof(u));
	if (begin(c, &u, argc, argv) < 0 || store_open(&s, c->home, c->root, &c->err) < 0 ||
	    current_state(c, &u, &s) < 0)
		goto done;
	if (u.o.inbox) {
		if (inbox(c, &u, &s) < 0)
			goto done;
		rc = platform_and_report(c, &u);
		goto done;
	}
	/* A custom kernel= hides the inbox update; off WSL we are provisioning an image. */
	u.kernel_step = u.kernel_value[0] || u.o.custom || !u.in_wsl || u.o.kernel_version;
	/* Metadata answers (ETags) apart from the packages in cache/. */
	snprintf(cache, sizeof(cache), "%s/cache/meta", s.dir);
	if (cache_allowed(c, &u, &s, cache) < 0 || make_http(c, &u, cache, &h) < 0 || resolve(c, &u, h) < 0)
		goto done;
	if (u.o.check)
		rc = check_only(c, &u);
	else if (kernel_step(c, &u, &s, h) == 0)
		rc = platform_and_report(c, &u);
done:
	http_free(h);
	store_close(&s);
	return rc;
}
