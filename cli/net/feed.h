/* SPDX-License-Identifier: MIT */
/*
 * Kernel sources (`--feed SPEC`): a NuGet v3 feed, GitHub releases, a plain URL or a
 * local file. Each lists versions and resolves one version to a download and the digest
 * the feed publishes for it (if any), fetching through the struct feed_fetch the caller
 * passes (feed_fetch_http() for the network). wslctl-net only. The kinds themselves are
 * feed_*.c behind feed_backend.h.
 */
#ifndef WSLCTL_FEED_H
#define WSLCTL_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "error.h"
#include "feed_fetch.h"

/* Microsoft's public Azure Artifacts feed of WSL's dependencies (see microsoft/WSL nuget.config). */
#define FEED_NUGET_DEFAULT \
	"https://pkgs.dev.azure.com/shine-oss/wsl/_packaging/WslDependencies/nuget/v3/index.json"
#define FEED_NUGET_KERNEL_ID "Microsoft.WSL.Kernel"

enum feed_kind { FEED_NUGET, FEED_GITHUB, FEED_URL, FEED_FILE };

struct feed {
	enum feed_kind kind;
	char id[256];        /* NuGet package id, or OWNER/REPO */
	char where[2048];    /* service index URL, API base, package URL or file path */
	const char *arch;    /* "x64" or "arm64": which kernel of the package */
	bool pre_release;    /* GitHub feeds: consider releases marked prerelease */
};

/* What one version resolves to. */
struct feed_pkg {
	char version[128];
	char location[2048];     /* URL to download, or the local file (FEED_FILE) */
	char file_name[256];     /* name for the download cache */
	char source[2048];       /* for the store manifest: "nuget:ID@URL", the asset URL... */
	struct digest_want want; /* what the feed publishes; DIGEST_NONE when nothing */
	int64_t size;            /* published size, -1 when unknown */
};

/*
 * Parses `nuget:ID[@SERVICE-INDEX-URL]`, `github:OWNER/REPO[@API-BASE-URL]`, an
 * `https://` (or loopback `http://`) URL, or a local file path. ERR_USAGE with the
 * accepted forms otherwise.
 */
int feed_parse(const char *spec, const char *arch, struct feed *f, struct error *err);
/* The machine's package architecture ("x64", "arm64"). */
const char *feed_host_arch(void);

/*
 * Available versions, newest first (malloc'd array of malloc'd strings; free with
 * feed_versions_free). URL and file feeds have just the version in their name, if any.
 */
int feed_versions(const struct feed_fetch *net, const struct feed *f, char ***out, size_t *n,
		  struct error *err);
void feed_versions_free(char **v, size_t n);

/*
 * Resolves VERSION (NULL: the newest on the feed's channel) to a package. For URL and
 * file feeds VERSION names the package when its file name does not (ERR_USAGE asking
 * for --kernel-version when neither does).
 */
int feed_resolve(const struct feed_fetch *net, const struct feed *f, const char *version,
		 struct feed_pkg *p, struct error *err);

/* The NuGet-style version inside a file name ("Microsoft.WSL.Kernel.6.18.26.3-1.nupkg"). */
bool feed_version_from_name(const char *name, char *buf, size_t n);

#endif
