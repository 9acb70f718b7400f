// SPDX-License-Identifier: MIT
#include "kpkg.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fsutil.h"
#include "unpack.h"

static bool ends_with(const char *s, const char *ext)
{
	size_t len = strlen(s), el = strlen(ext);

	return len > el && !strcasecmp(s + len - el, ext);
}

static bool is_archive(const char *name)
{
	static const char *const ext[] = { ".nupkg", ".zip", ".tar", ".tar.gz", ".tgz",
					   ".tar.xz", ".txz", ".tar.zst", ".tar.bz2" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (ends_with(name, ext[i]))
			return true;
	return false;
}

/* Where the kernel sits in packages that do not follow the NuGet layout. */
struct found {
	const char *arch;
	char kernel[1024];
	int score;
};

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int consider(const char *name, uint64_t size, void *arg)
{
	struct found *f = arg;
	const char *b = base_name(name);
	const char *other = strcmp(f->arch, "arm64") ? "/arm64/" : "/x64/";
	int score;

	(void)size;
	if (strcmp(b, "kernel") && strcmp(b, "bzImage") && strcmp(b, "Image") &&
	    strncmp(b, "vmlinuz", 7))
		return 0;
	if (strstr(name, other))
		return 0;
	score = strstr(name, f->arch) ? 2 : 1;
	if (score > f->score) {
		f->score = score;
		snprintf(f->kernel, sizeof(f->kernel), "%s", name);
	}
	return 0;
}

/* The SHA-256 the last pass computed (when M recorded no digest) into M. */
static int fill_sha256(const struct unpack_opts *o, struct store_manifest *m)
{
	if (o->digest)
		snprintf(m->sha256, sizeof(m->sha256), "%s", o->digest->sha256);
	return 0;
}

/* Pulls KNAME (and modules.vhd beside it, when there) out of the package in one pass. */
static int pull(const char *file, const struct unpack_opts *o, const char *kname,
		const char *dir, struct store_manifest *m, struct error *err)
{
	char kdest[STORE_PATH_MAX + 16], mdest[STORE_PATH_MAX + 16], mname[1100];
	const char *slash = strrchr(kname, '/');
	struct unpack_member mem[2];

	snprintf(kdest, sizeof(kdest), "%s/kernel", dir);
	snprintf(mdest, sizeof(mdest), "%s/modules.vhd", dir);
	snprintf(mname, sizeof(mname), "%.*smodules.vhd", slash ? (int)(slash + 1 - kname) : 0,
		 kname);
	memset(mem, 0, sizeof(mem));
	mem[0] = (struct unpack_member){ .name = kname, .dest = kdest };
	mem[1] = (struct unpack_member){ .name = mname, .dest = mdest, .optional = true };
	if (unpack_members(file, mem, 2, o, err) < 0)
		return -1;
	m->has_modules = mem[1].found;
	return 0;
}

/* What FILE's bytes must hash to: the digest M records, when it records one. */
static int recorded(const struct store_manifest *m, struct digest_want *want,
		    struct error *err)
{
	char text[160];

	memset(want, 0, sizeof(*want));
	if (!m->sha512[0] && !m->sha256[0])
		return 0;
	snprintf(text, sizeof(text), "%s:%s", m->sha512[0] ? "sha512" : "sha256",
		 m->sha512[0] ? m->sha512 : m->sha256);
	return digest_parse(text, want, err);
}

static int extract(const char *file, const char *name, const char *arch, const char *dir,
		   struct store_manifest *m, struct error *err)
{
	char kname[1100], kdest[STORE_PATH_MAX + 16];
	struct digest_want want;
	struct digest_result got;
	struct unpack_opts o = { .percent_decode = ends_with(name, ".nupkg"), .want = &want };
	struct found f = { .arch = arch };

	if (recorded(m, &want, err) < 0)
		return -1;
	if (want.alg == DIGEST_NONE) {
		o.algs = DIGEST_F_SHA256;
		o.digest = &got;
	}
	if (!is_archive(name)) {
		snprintf(kdest, sizeof(kdest), "%s/kernel", dir);
		if (unpack_copy(file, kdest, &o, err) < 0)
			return -1;
		return fill_sha256(&o, m);
	}
	/* The NuGet layout in one pass; only other packages pay for a search first. */
	snprintf(kname, sizeof(kname), "build/native/bin/%s/kernel", arch);
	if (pull(file, &o, kname, dir, m, err) == 0)
		return fill_sha256(&o, m);
	if (err->code != ERR_NOT_FOUND)
		return -1;
	if (unpack_list(file, &o, consider, &f, err) < 0)
		return -1;
	if (f.score == 0)
		return error_set(err, ERR_NOT_FOUND,
				 "%s: no kernel for %s in the package (expected %s)", file, arch,
				 kname);
	if (pull(file, &o, f.kernel, dir, m, err) < 0)
		return -1;
	return fill_sha256(&o, m);
}

int kpkg_install(struct store *s, const char *file, const char *name, const char *arch,
		 struct store_manifest *m)
{
	struct store_stage st;

	if (store_stage_begin(s, m->version, &st) < 0)
		return -1;
	if (extract(file, name, arch, st.dir, m, s->err) < 0) {
		store_stage_abort(&st);
		return -1;
	}
	return store_stage_commit(s, &st, m);
}
