// SPDX-License-Identifier: MIT
#include "checks.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kconfig.h"
#include "krelease.h"
#include "swiotlbpool.h"
#include "sysprobe.h"
#include "version.h"
#include "wslconfig.h"
#include "wslexe.h"

/* The first Microsoft kernel with the dedicated hv_pci pool, and the first WSL release
 * whose host programs per-device apertures over it (docs/kernels.md). */
#define POOL_KERNEL "6.18.26.3"
#define POOL_HOST "2.8.9"
#define SLOT_BYTES 2048u

#define FIX_UPDATE "wslctl update --pre-release"
#define FIX_HOST "wsl.exe --update --pre-release"
#define FIX_ENABLE "wslctl enable virtiofs && wsl.exe --shutdown"
#define HV_PCI "/sys/bus/vmbus/drivers/hv_pci"
/* Where current WSL mounts each drive before bind-mounting it at /mnt/<x>. */
#define HIDDEN_MOUNTS "/run/wsl/virtiofs-mounts/"
#define WSLG_TAG "wslg"
#define MAX_MOUNTS 32

static const char *const ids[CK_COUNT] = {
	[CK_WSL_KERNEL] = "wsl.kernel",
	[CK_KERNEL_VERSION] = "kernel.version",
	[CK_KERNEL_CONFIG] = "kernel.config",
	[CK_VIRTIOFS_REGISTERED] = "virtiofs.registered",
	[CK_VIRTIOFS_MOUNTED] = "virtiofs.mounted",
	[CK_VIRTIO_DEVICES] = "virtio.devices",
	[CK_SWIOTLB_POOL] = "swiotlb.pool",
	[CK_SWIOTLB_USAGE] = "swiotlb.usage",
	[CK_WSLCONFIG_VIRTIOFS] = "wslconfig.virtiofs",
	[CK_WSL_HOST] = "wsl.host",
};

const char *check_id_name(enum check_id id)
{
	return ids[id];
}

int check_id_find(const char *name)
{
	for (int i = 0; i < CK_COUNT; i++)
		if (!strcmp(ids[i], name))
			return i;
	return -1;
}

const char *check_status_name(enum check_status st)
{
	static const char *const names[] = { "pass", "fail", "warn", "skip" };

	return names[st];
}

/* What the other checks learn along the way, for details and fixes. */
struct facts {
	const struct check_input *in;
	bool microsoft;        /* a release of Microsoft's WSL tree (krelease_is_microsoft) */
	char custom_why[160];  /* otherwise why it is a custom kernel */
	bool pool;             /* hv_pci publishes a pool of size > 0 */
	uint64_t pool_size;
	bool wslconfig_virtiofs; /* the known .wslconfig already turns virtiofs on */
	char cmdline_line[256];  /* .wslconfig's kernelCommandLine without hv_pci_swiotlb= */
	enum kconfig_state virtio_fs; /* from /proc/config.gz, KCONFIG_ABSENT when unknown */
};

static void set(struct check_result *r, enum check_status st, const char *fix,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set(struct check_result *r, enum check_status st, const char *fix,
		const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	snprintf(r->fix, sizeof(r->fix), "%s", fix ? fix : "");
}

static void trim_newline(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

/* The release from osrelease, or from "Linux version RELEASE (...)" in /proc/version. */
static int read_release(const char *root, char *rel, size_t n, struct error *err)
{
	char buf[1024];

	if (sysprobe_read(root, "/proc/sys/kernel/osrelease", rel, n) > 0) {
		trim_newline(rel);
		if (*rel)
			return 0;
	}
	if (sysprobe_read(root, "/proc/version", buf, sizeof(buf)) > 0 &&
	    !strncmp(buf, "Linux version ", 14)) {
		snprintf(rel, n, "%.*s", (int)strcspn(buf + 14, " \n"), buf + 14);
		if (*rel)
			return 0;
	}
	return error_set(err, ERR_NOT_FOUND,
			 "%s: no /proc/sys/kernel/osrelease or /proc/version to read; is it a "
			 "machine's root (--root)?", root);
}

static void size_text(uint64_t bytes, char *buf, size_t n)
{
	if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
		snprintf(buf, n, "%" PRIu64 " MiB", bytes >> 20);
	else if (bytes >= (1u << 20))
		snprintf(buf, n, "%.1f MiB", (double)bytes / (1u << 20));
	else
		snprintf(buf, n, "%" PRIu64 " bytes", bytes);
}

/* The distribution's name is only ours to fill in on the real machine. */
static void fix_wsl1(const struct facts *f, char *fix, size_t n)
{
	const char *distro = getenv("WSL_DISTRO_NAME");

	snprintf(fix, n, "wsl.exe --set-version %s 2",
		 distro && *distro && !strcmp(f->in->root, "/") ? distro : "<distro>");
}

static void check_wsl_kernel(struct check_report *rep, const struct facts *f, bool markers)
{
	struct check_result *r = &rep->r[CK_WSL_KERNEL];
	char fix[256];

	if (rep->wsl == 1) {
		fix_wsl1(f, fix, sizeof(fix));
		set(r, CHECK_FAIL, fix, "WSL 1 (%s): no Linux kernel, no virtiofs", rep->release);
	} else if (rep->wsl == 2 && f->microsoft) {
		set(r, CHECK_PASS, NULL, "WSL 2, Microsoft kernel %s", rep->release);
	} else if (rep->wsl == 2) {
		set(r, CHECK_PASS, NULL, "WSL 2, custom kernel %s%s", rep->release,
		    markers ? " (WSL interop present)" : "");
	} else {
		set(r, CHECK_FAIL, "run it inside a WSL 2 distribution (wsl.exe --install)",
		    "not WSL: %s names neither microsoft nor WSL2, and there is no WSL interop",
		    rep->release);
	}
}

static void check_kernel_version(struct check_report *rep, const struct facts *f)
{
	struct check_result *r = &rep->r[CK_KERNEL_VERSION];
	bool new_enough = *rep->version && version_cmp_numeric(rep->version, POOL_KERNEL) >= 0;
	char fix[256];

	fix_wsl1(f, fix, sizeof(fix));
	if (rep->wsl == 1)
		set(r, CHECK_FAIL, fix, "WSL 1 runs no Linux kernel");
	else if (f->microsoft && new_enough)
		set(r, CHECK_PASS, NULL, "Microsoft kernel %s >= %s", rep->version, POOL_KERNEL);
	else if (f->pool && f->microsoft)
		set(r, CHECK_PASS, NULL, "Microsoft kernel %s shows the dedicated pool", rep->version);
	else if (f->pool)
		set(r, CHECK_PASS, NULL, "custom kernel %s (%s) shows the dedicated pool",
		    rep->release, f->custom_why);
	else if (f->microsoft)
		set(r, CHECK_FAIL, FIX_UPDATE,
		    "Microsoft kernel %s is older than %s, the first with the dedicated pool",
		    rep->version, POOL_KERNEL);
	else
		set(r, CHECK_FAIL, FIX_UPDATE,
		    "custom kernel %s (%s): only a published pool shows it has one, and "
		    "none is", rep->release, f->custom_why);
}

/* Why there is no /proc/config.gz, as far as the machine tells. */
static void config_skip(struct check_result *r, const struct check_report *rep,
			const struct facts *f)
{
	if (rep->wsl == 1)
		set(r, CHECK_SKIP, NULL, "WSL 1 runs no Linux kernel: there is no kernel "
		    "configuration to read");
	else if (f->microsoft && version_cmp_numeric(rep->version, "6.18") >= 0)
		set(r, CHECK_SKIP, NULL,
		    "no /proc/config.gz (IKCONFIG_PROC off, as in Microsoft's 6.18 kernels); "
		    "the runtime checks decide");
	else
		set(r, CHECK_SKIP, NULL,
		    "no /proc/config.gz: %s was built without IKCONFIG_PROC (or has it as the "
		    "configs module, not loaded); the runtime checks decide", rep->release);
}

static void check_kernel_config(struct check_report *rep, struct facts *f)
{
	struct check_result *r = &rep->r[CK_KERNEL_CONFIG];
	struct kconfig_reqs reqs = { 0 };
	struct kconfig *cfg = NULL;
	struct error err = { 0 };
	char path[4096], dir[4096], missing[400] = "";
	int bad = 0, checked = 0;

	sysprobe_path(f->in->root, "/proc/config.gz", path, sizeof(path));
	if (!sysprobe_exists(f->in->root, "/proc/config.gz")) {
		config_skip(r, rep, f);
		return;
	}
	if (kconfig_load_file(path, &cfg, &err) < 0) {
		set(r, CHECK_WARN, NULL, "%s", err.message);
		return;
	}
	f->virtio_fs = kconfig_get(cfg, "VIRTIO_FS", NULL);
	snprintf(dir, sizeof(dir), "%s/kernel-config", f->in->data_dir);
	if (kconfig_fragment_dir(dir, &reqs, &err) < 0) {
		set(r, CHECK_SKIP, NULL, "cannot read the required options: %s (set WSLCTL_DATA_DIR)",
		    err.message);
		kconfig_free(cfg);
		return;
	}
	for (size_t i = 0; i < reqs.n; i++) {
		const struct kconfig_req *q = &reqs.v[i];
		struct check_option *o = &rep->options[rep->noptions];
		const char *value, *text;
		enum kconfig_state st;
		char sbuf[80];
		size_t used;

		if (q->need == KNEED_BUILD)
			continue;
		st = kconfig_get(cfg, q->name, &value);
		checked++;
		if (rep->noptions < CHECK_MAX_OPTIONS) {
			snprintf(o->name, sizeof(o->name), "%s", q->name);
			snprintf(o->state, sizeof(o->state), "%s",
				 kconfig_state_text(st, value, sbuf, sizeof(sbuf)));
			o->need = kconfig_need_text(q->need);
			o->ok = kconfig_req_met(q, cfg, KCONFIG_RUNTIME);
			rep->noptions++;
		}
		if (kconfig_req_met(q, cfg, KCONFIG_RUNTIME))
			continue;
		used = strlen(missing);
		text = kconfig_state_text(st, value, sbuf, sizeof(sbuf));
		snprintf(missing + used, sizeof(missing) - used, "%s%s%s%s (needs %s)",
			 bad++ ? ", " : "", q->name, text[0] == '=' ? "" : " ", text,
			 kconfig_need_text(q->need));
	}
	if (bad)
		set(r, CHECK_FAIL, FIX_UPDATE, "%d of %d options wrong: %s", bad, checked, missing);
	else
		set(r, CHECK_PASS, NULL, "all %d required options set (%zu in /proc/config.gz)",
		    checked, kconfig_count(cfg));
	kconfig_reqs_free(&reqs);
	kconfig_free(cfg);
}

/* What turns virtiofs on when the kernel can do it. */
static const char *fix_turn_on(const struct facts *f)
{
	return f->wslconfig_virtiofs ? "wsl.exe --shutdown" : FIX_ENABLE;
}

static void check_registered(struct check_report *rep, const struct facts *f)
{
	struct check_result *r = &rep->r[CK_VIRTIOFS_REGISTERED];
	int has = sysprobe_has_filesystem(f->in->root, "virtiofs");

	if (has < 0)
		set(r, CHECK_SKIP, NULL, "cannot read /proc/filesystems");
	else if (has)
		set(r, CHECK_PASS, NULL, "virtiofs in /proc/filesystems");
	else if (f->virtio_fs == KCONFIG_M)
		set(r, CHECK_FAIL, "sudo modprobe virtiofs",
		    "virtiofs not in /proc/filesystems (VIRTIO_FS=m, module not loaded)");
	else
		set(r, CHECK_FAIL, FIX_UPDATE,
		    "virtiofs not in /proc/filesystems: this kernel cannot mount it");
}

/* Appends an item to a ", "-separated LIST of CAP bytes; a cut list ends in "...". */
static void append_item(char *list, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append_item(char *list, size_t cap, const char *fmt, ...)
{
	size_t used = strlen(list);
	va_list ap;
	int w;

	if (used + 4 >= cap)
		return; /* already cut */
	if (used)
		used += (size_t)snprintf(list + used, cap - used, ", ");
	va_start(ap, fmt);
	w = vsnprintf(list + used, cap - used, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= cap - used)
		memcpy(list + cap - 4, "...", 4); /* the cut shows */
}

/* WSL's own mount of a drive, which it bind-mounts where the user sees it (/mnt/c). */
static bool hidden_mount(const struct mount_entry *m)
{
	return !strncmp(m->point, HIDDEN_MOUNTS, strlen(HIDDEN_MOUNTS));
}

/* M shows the file system of a hidden mount: same device, and its folder within. */
static bool binds_hidden(const struct mount_entry *m, const struct mount_entry *all, int n)
{
	for (int i = 0; i < n; i++)
		if (hidden_mount(&all[i]) && m->devno[0] && !strcmp(m->devno, all[i].devno) &&
		    !strncmp(m->fsroot, all[i].fsroot, strlen(all[i].fsroot)))
			return true;
	return false;
}

static void check_mounted(struct check_report *rep, const struct facts *f)
{
	struct check_result *r = &rep->r[CK_VIRTIOFS_MOUNTED];
	struct mount_entry m[MAX_MOUNTS];
	const char *from = NULL;
	char shown[300] = "", hidden[300] = "";
	int n = sysprobe_mount_list(f->in->root, "virtiofs", m, MAX_MOUNTS, &from);
	int nshown = 0, nbound = 0;

	if (n < 0) {
		set(r, CHECK_SKIP, NULL, "cannot read /proc/self/mountinfo or /proc/mounts");
		return;
	}
	if (n == 0) {
		set(r, CHECK_FAIL, fix_turn_on(f), "no virtiofs mount in %s", from);
		return;
	}
	n = n < MAX_MOUNTS ? n : MAX_MOUNTS;
	for (int i = 0; i < n; i++) {
		if (hidden_mount(&m[i])) {
			append_item(hidden, sizeof(hidden), "%s", m[i].point);
			continue;
		}
		append_item(shown, sizeof(shown), "%s", m[i].point);
		nshown++;
		nbound += binds_hidden(&m[i], m, n);
	}
	if (!nshown)
		set(r, CHECK_PASS, NULL, "only WSL's hidden virtiofs mounts: %s", hidden);
	else
		set(r, CHECK_PASS, NULL, "%d virtiofs mount%s: %s%s", nshown, nshown == 1 ? "" : "s",
		    shown, !nbound ? "" : nbound == nshown ?
		    " (bind mounts of WSL's hidden mounts under " HIDDEN_MOUNTS ")" :
		    " (some bind mounts of WSL's hidden mounts under " HIDDEN_MOUNTS ")");
}

/* A virtiofs mount of a share other than WSLg's, preferring one the user sees: "POINT
 * (tag TAG)" in OUT; false when there is none. */
static bool share_mount(const struct facts *f, char *out, size_t n)
{
	struct mount_entry m[MAX_MOUNTS];
	const char *from;
	int count = sysprobe_mount_list(f->in->root, "virtiofs", m, MAX_MOUNTS, &from), pick = -1;

	for (int i = 0; i < count && i < MAX_MOUNTS; i++)
		if (m[i].source[0] && strcmp(m[i].source, WSLG_TAG) &&
		    (pick < 0 || (hidden_mount(&m[pick]) && !hidden_mount(&m[i]))))
			pick = i;
	if (pick >= 0)
		snprintf(out, n, "%s (tag %s)", m[pick].point, m[pick].source);
	return pick >= 0;
}

/* A virtiofs mount of WSLg's share: "POINT" in OUT; false when there is none. */
static bool wslg_mount(const struct facts *f, char *out, size_t n)
{
	struct mount_entry m[MAX_MOUNTS];
	const char *from;
	int count = sysprobe_mount_list(f->in->root, "virtiofs", m, MAX_MOUNTS, &from);

	for (int i = 0; i < count && i < MAX_MOUNTS; i++)
		if (!strcmp(m[i].source, WSLG_TAG)) {
			snprintf(out, n, "%s", m[i].point);
			return true;
		}
	return false;
}

static const char *dma_text(int dma, int bound)
{
	return dma == bound ? "ACCESS_PLATFORM on: DMA through SWIOTLB" :
	       dma ? "ACCESS_PLATFORM on for some" : "ACCESS_PLATFORM off or unknown";
}

/*
 * WSL adds a virtio-fs device tagged "wslg" on every machine with GUI apps and virtio on,
 * virtiofs on or off; so a bound device passes only when it serves another share: by its
 * tag where the kernel exports tags, else by a virtiofs mount of another tag.
 */
static void check_devices(struct check_report *rep, const struct facts *f)
{
	struct check_result *r = &rep->r[CK_VIRTIO_DEVICES];
	struct virtio_dev dev[64];
	int n = sysprobe_virtio_devices(f->in->root, dev, 64), fs = 0, bound = 0, dma = 0, nshares = 0;
	int nuntied = 0;
	char shares[300] = "", wslg[200] = "", untied[200] = "", unbound[100] = "", mnt[300];
	const char *why;

	if (n < 0) {
		set(r, CHECK_FAIL, fix_turn_on(f), "no virtio bus (/sys/bus/virtio/devices is missing)");
		return;
	}
	for (int i = 0; i < n; i++) {
		const struct virtio_dev *d = &dev[i];

		if (d->device != VIRTIO_ID_FS)
			continue;
		fs++;
		if (!d->driver[0]) {
			append_item(unbound, sizeof(unbound), "%s", d->name);
			continue;
		}
		bound++;
		dma += d->access_platform == 1;
		if (!d->tag[0] && ++nuntied)
			append_item(untied, sizeof(untied), "%s", d->name);
		else if (!strcmp(d->tag, WSLG_TAG))
			append_item(wslg, sizeof(wslg), "%s (tag %s)", d->name, d->tag);
		else
			append_item(shares, sizeof(shares), "%s (tag %s)", d->name, d->tag);
		nshares += d->tag[0] && strcmp(d->tag, WSLG_TAG);
	}
	why = sysprobe_exists(f->in->root, SYSPROBE_VIRTIOFS_TAGS) ?
	      "no entry in " SYSPROBE_VIRTIOFS_TAGS : "no " SYSPROBE_VIRTIOFS_TAGS ", which Linux has from 6.9";
	if (!fs)
		set(r, CHECK_FAIL, fix_turn_on(f), "no virtio-fs device (id 26) among %d virtio device%s",
		    n, n == 1 ? "" : "s");
	else if (bound < fs)
		set(r, CHECK_FAIL, f->virtio_fs == KCONFIG_M ? "sudo modprobe virtiofs" : FIX_UPDATE,
		    "virtio-fs device without a driver: %s", unbound);
	else if (nshares)
		set(r, CHECK_PASS, NULL, "%s serve%s a share (%s)", shares, nshares == 1 ? "s" : "",
		    dma_text(dma, bound));
	else if (untied[0] && share_mount(f, mnt, sizeof(mnt)))
		set(r, CHECK_PASS, NULL, "tags not exported (%s); the virtiofs mount %s shows a "
		    "device serves a share (%s)", why, mnt, dma_text(dma, bound));
	else if (nuntied == 1 && !wslg[0] && wslg_mount(f, mnt, sizeof(mnt)))
		/* One device, and the one virtiofs mount is WSLg's share: that device is WSLg's. */
		set(r, CHECK_FAIL, fix_turn_on(f), "only WSLg's virtio-fs device: %s, the one "
		    "device, serves WSLg's share (tag %s at %s); none serves a drive or share",
		    untied, WSLG_TAG, mnt);
	else if (untied[0])
		set(r, CHECK_WARN, fix_turn_on(f), "%s cannot be tied to a share (%s, and no "
		    "virtiofs mount of a share): may be WSLg's device, which WSL adds whenever GUI "
		    "apps are on", untied, why);
	else
		set(r, CHECK_FAIL, fix_turn_on(f), "only WSLg's virtio-fs device: %s; none serves a "
		    "drive or share", wslg);
}

/* hv_pci_swiotlb= on the running kernel's command line, "" when absent. */
static void cmdline_pool(const char *root, char *val, size_t n)
{
	char buf[4096], *p;

	val[0] = '\0';
	if (sysprobe_read(root, "/proc/cmdline", buf, sizeof(buf)) <= 0)
		return;
	for (p = buf; (p = strstr(p, "hv_pci_swiotlb=")); p++)
		if (p == buf || p[-1] == ' ')
			snprintf(val, n, "%.*s", (int)strcspn(p + 15, " \n"), p + 15);
}

static void check_pool(struct check_report *rep, struct facts *f)
{
	struct check_result *r = &rep->r[CK_SWIOTLB_POOL];
	uint64_t base = 0, size = 0;
	int rs = sysprobe_read_u64(f->in->root, HV_PCI "/swiotlb_size", &size);
	int rb = sysprobe_read_u64(f->in->root, HV_PCI "/swiotlb_base", &base);
	char param[64], sz[32];

	cmdline_pool(f->in->root, param, sizeof(param));
	if (rs == 0 && size > 0) {
		f->pool = true;
		f->pool_size = size;
		size_text(size, sz, sizeof(sz));
		if (rb == 0)
			set(r, CHECK_PASS, NULL, "%s at 0x%" PRIx64, sz, base);
		else
			set(r, CHECK_PASS, NULL, "%s (swiotlb_base unreadable)", sz);
		return;
	}
	if (rs == 0)
		set(r, CHECK_FAIL, FIX_UPDATE, "published with size 0");
	else if (rs == -2)
		set(r, CHECK_FAIL, FIX_UPDATE, HV_PCI "/swiotlb_size is not a number");
	else if (param[0] && strtoull(param, NULL, 0) == 0)
		set(r, CHECK_FAIL,
		    "remove hv_pci_swiotlb= from [wsl2] kernelCommandLine, then wsl.exe --shutdown",
		    "not published: the kernel command line sets hv_pci_swiotlb=%s", param);
	else if (!sysprobe_exists(f->in->root, "/sys/bus/vmbus"))
		set(r, CHECK_FAIL, FIX_UPDATE,
		    "not published: no VMBus, so no hv_pci bus (not a Hyper-V guest, or WSL 1)");
	else if (!sysprobe_exists(f->in->root, HV_PCI))
		set(r, CHECK_FAIL, FIX_UPDATE,
		    "not published: no hv_pci driver (PCI_HYPERV missing or a module)");
	else
		set(r, CHECK_FAIL, FIX_UPDATE,
		    "not published: no " HV_PCI "/swiotlb_size (kernel without the dedicated pool)");
}

/* A command that doubles the pool, keeping the rest of kernelCommandLine. */
static void fix_bigger_pool(const struct facts *f, uint64_t bytes, char *fix, size_t n)
{
	uint64_t mib = (bytes * 2 + (1u << 20) - 1) >> 20;

	snprintf(fix, n, "wslctl config set wsl2.kernelCommandLine '%s%shv_pci_swiotlb=%" PRIu64
		 "M' && wsl.exe --shutdown", f->cmdline_line, f->cmdline_line[0] ? " " : "",
		 mib);
}

/* The dedicated pool nearest exhaustion (patch 0005 makes one per PCI bus; the pattern
 * matcher finds them all): 1 with U, 0 none, -1 one is unreadable (U names it). */
static int fullest_pool(const char *root, struct swiotlb_usage *u)
{
	struct swiotlbpool pools[SWIOTLBPOOL_MAX];
	int n = swiotlbpool_find(root, false, pools, SWIOTLBPOOL_MAX), got = 0;
	uint64_t worst = 0;

	for (int i = 0; i < n; i++) {
		struct swiotlb_usage one;
		uint64_t peak, pct;

		if (swiotlbpool_read(root, &pools[i], &one) < 0 || !one.nslabs) {
			*u = one;
			return -1;
		}
		peak = one.has_hiwater && one.hiwater > one.used ? one.hiwater : one.used;
		pct = peak * 1000 / one.nslabs;
		if (!got || pct > worst) {
			*u = one;
			worst = pct;
		}
		got = 1;
	}
	return got;
}

static void check_usage(struct check_report *rep, const struct facts *f)
{
	struct check_result *r = &rep->r[CK_SWIOTLB_USAGE];
	struct swiotlb_usage u;
	char fix[512], sz[32];
	uint64_t used_pct, hi_pct;
	int got;

	if (!f->pool) {
		set(r, CHECK_SKIP, NULL, "no dedicated pool to measure (see swiotlb.pool)");
		return;
	}
	switch (sysprobe_debugfs(f->in->root)) {
	case DEBUGFS_MISSING:
		set(r, CHECK_SKIP, NULL, "no debugfs at /sys/kernel/debug");
		return;
	case DEBUGFS_DENIED:
		set(r, CHECK_SKIP, NULL, "debugfs is readable by root only (sudo wslctl check)");
		return;
	case DEBUGFS_UNMOUNTED:
		set(r, CHECK_SKIP, NULL,
		    "debugfs is not mounted (sudo mount -t debugfs none /sys/kernel/debug)");
		return;
	case DEBUGFS_READABLE:
		break;
	}
	got = fullest_pool(f->in->root, &u);
	if (got == 0) {
		set(r, CHECK_SKIP, NULL, "debugfs has no " SWIOTLBPOOL_PATTERN " folder");
		return;
	}
	if (got < 0 || u.nslabs == 0) {
		set(r, CHECK_SKIP, NULL, "cannot read the counters in /sys/kernel/debug/%s (root only)",
		    u.dir);
		return;
	}
	used_pct = u.used * 100 / u.nslabs;
	hi_pct = u.has_hiwater ? u.hiwater * 100 / u.nslabs : used_pct;
	size_text(u.nslabs * SLOT_BYTES, sz, sizeof(sz));
	fix_bigger_pool(f, u.nslabs * SLOT_BYTES, fix, sizeof(fix));
	if (u.used >= u.nslabs)
		set(r, CHECK_FAIL, fix, "pool full: %" PRIu64 " of %" PRIu64 " slots used (%s)",
		    u.used, u.nslabs, sz);
	else if (u.used * 10 >= u.nslabs * 9 || (u.has_hiwater && u.hiwater * 10 >= u.nslabs * 9))
		set(r, CHECK_WARN, fix, "%" PRIu64 "%% of %s used, high-water %" PRIu64
		    "%%: near exhaustion", used_pct, sz, hi_pct);
	else
		set(r, CHECK_PASS, NULL, "%" PRIu64 "%% of %s used, high-water %" PRIu64 "%%",
		    used_pct, sz, hi_pct);
}

/* .wslconfig's kernelCommandLine minus hv_pci_swiotlb=, for the "bigger pool" fix. */
static void keep_cmdline(const char *p, char *out, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (p += strspn(p, " "); *p; p += strspn(p, " ")) {
		size_t len = strcspn(p, " ");

		if (strncmp(p, "hv_pci_swiotlb=", 15) && used + len + 2 < n)
			used += (size_t)snprintf(out + used, n - used, "%s%.*s", used ? " " : "",
						 (int)len, p);
		p += len;
	}
}

/* Everything that needs the .wslconfig engine stays in this one function. */
static void check_wslconfig(struct check_report *rep, struct facts *f)
{
	struct check_result *r = &rep->r[CK_WSLCONFIG_VIRTIOFS];
	const char *path = f->in->wslconfig;
	struct wslconfig_value v, cl;
	struct wslconfig *cfg;
	struct error err = { 0 };

	if (!path) {
		set(r, CHECK_SKIP, NULL, "%s", f->in->wslconfig_why && *f->in->wslconfig_why ?
		    f->in->wslconfig_why : "no .wslconfig known (give --wslconfig PATH)");
		return;
	}
	if (wslconfig_load(path, &cfg, &err) < 0) {
		set(r, CHECK_FAIL, "wslctl config validate", "%s", err.message);
		return;
	}
	if (wslconfig_get(cfg, "wsl2.kernelCommandLine", &cl) == 1 && cl.valid)
		keep_cmdline(cl.text, f->cmdline_line, sizeof(f->cmdline_line));
	if (wslconfig_get(cfg, "wsl2.virtiofs", &v) == 0)
		set(r, CHECK_FAIL, "wslctl enable virtiofs",
		    "%s: virtiofs not set (WSL's default is false)%s", path,
		    access(path, F_OK) ? "; the file does not exist" : "");
	else if (!v.valid)
		set(r, CHECK_FAIL, "wslctl enable virtiofs",
		    "%s:%d: virtiofs=%s is not a boolean; WSL uses false", path, v.line, v.text);
	else if (!wslconfig_get_bool(cfg, "wsl2.virtiofs"))
		set(r, CHECK_FAIL, "wslctl enable virtiofs", "%s:%d: virtiofs=%s", path, v.line,
		    v.text);
	else if (!wslconfig_get_bool(cfg, "wsl2.virtio"))
		set(r, CHECK_FAIL, "wslctl config unset wsl2.virtio",
		    "%s: virtio=false turns virtiofs off", path);
	else {
		f->wslconfig_virtiofs = true;
		set(r, CHECK_PASS, NULL, "%s:%d: virtiofs=%s", path, v.line, v.text);
	}
	wslconfig_free(cfg);
}

static void check_host(struct check_report *rep, const struct facts *f)
{
	struct check_result *r = &rep->r[CK_WSL_HOST];
	const char *exe = f->in->wsl_exe;
	struct error err = { 0 };
	char ver[64];
	int code = 0, got;

	if (!rep->wsl) {
		set(r, CHECK_SKIP, NULL, "not WSL: no wsl.exe to ask");
		return;
	}
	if (!exe) {
		set(r, CHECK_SKIP, NULL,
		    "under --root wsl.exe runs only when WSLCTL_WSL_EXE names it");
		return;
	}
	got = wslexe_ask_version(exe, f->in->host_timeout_ms, ver, sizeof(ver), &code, &err);
	if (got < 0 && err.code == ERR_NOT_FOUND && f->in->wsl_exe_fallback) {
		exe = f->in->wsl_exe_fallback;
		got = wslexe_ask_version(exe, f->in->host_timeout_ms, ver, sizeof(ver), &code,
					 &err);
	}
	if (got < 0 && err.code == ERR_NOT_FOUND)
		set(r, CHECK_SKIP, NULL, "%s", err.message);
	else if (got < 0)
		set(r, CHECK_WARN, NULL, "%s", err.message);
	else if (got == WSLEXE_USAGE)
		set(r, CHECK_FAIL, FIX_HOST, "%s does not know --version (it printed its usage, "
		    "exit %d): a WSL older than the Store package", exe, code);
	else if (got == 0 && code)
		set(r, CHECK_WARN, NULL, "%s --version failed (exit %d) and printed no version: "
		    "the WSL version is not known", exe, code);
	else if (got == 0)
		set(r, CHECK_WARN, NULL, "no version in the output of %s --version", exe);
	else if (version_cmp_numeric(ver, POOL_HOST) >= 0)
		set(r, CHECK_PASS, NULL, "WSL %s >= %s", ver, POOL_HOST);
	else
		set(r, CHECK_FAIL, FIX_HOST,
		    "WSL %s < %s: its host cannot give devices their own aperture on the pool",
		    ver, POOL_HOST);
}

/*
 * Off WSL 2 the usual fixes do not apply. WSL 1: nothing on the kernel side can be fixed
 * before the distribution runs WSL 2. Not WSL (a VM, an image being provisioned): the
 * kernel side is fixed by building the patched kernel; mounts and devices come from WSL.
 */
static void route_fixes(struct check_report *rep, const struct facts *f)
{
	static const enum check_id kernel_side[] = {
		CK_KERNEL_VERSION, CK_KERNEL_CONFIG, CK_VIRTIOFS_REGISTERED, CK_SWIOTLB_POOL,
	};
	char fix[256];

	fix_wsl1(f, fix, sizeof(fix));
	for (int i = CK_WSL_KERNEL + 1; i < CK_WSL_HOST; i++) {
		struct check_result *r = &rep->r[i];
		bool kernel = false;

		for (size_t k = 0; k < sizeof(kernel_side) / sizeof(kernel_side[0]); k++)
			kernel |= kernel_side[k] == (enum check_id)i;
		if (r->status != CHECK_FAIL || !strcmp(r->fix, "sudo modprobe virtiofs"))
			continue;
		snprintf(r->fix, sizeof(r->fix), "%s", rep->wsl == 1 ? fix : kernel ?
			 "wslctl build" : rep->r[CK_WSL_KERNEL].fix);
	}
}

int checks_run(const struct check_input *in, struct check_report *rep, struct error *err)
{
	struct facts f = { .in = in, .virtio_fs = KCONFIG_ABSENT };
	bool markers;

	memset(rep, 0, sizeof(*rep));
	if (read_release(in->root, rep->release, sizeof(rep->release), err) < 0)
		return -1;
	if (!version_from_text(rep->release, rep->version, sizeof(rep->version)))
		rep->version[0] = '\0';
	markers = sysprobe_wsl_markers(in->root);
	f.microsoft = krelease_is_microsoft(rep->release, f.custom_why, sizeof(f.custom_why));
	/* WSL 1 reports a fake 4.4.0-<build>-Microsoft; WSL 2 kernels, Microsoft's or built
	 * with its config, say microsoft or WSL2. */
	if (strstr(rep->release, "-Microsoft") && !strstr(rep->release, "microsoft"))
		rep->wsl = 1;
	else if (strstr(rep->release, "microsoft") || strcasestr(rep->release, "wsl") || markers)
		rep->wsl = 2;

	/* Evaluated in the order the facts flow; reported in docs/check.md's order. */
	check_wslconfig(rep, &f);
	check_kernel_config(rep, &f);
	check_pool(rep, &f);
	check_wsl_kernel(rep, &f, markers);
	check_kernel_version(rep, &f);
	check_registered(rep, &f);
	check_mounted(rep, &f);
	check_devices(rep, &f);
	check_usage(rep, &f);
	check_host(rep, &f);
	if (rep->wsl != 2)
		route_fixes(rep, &f);
	return 0;
}
