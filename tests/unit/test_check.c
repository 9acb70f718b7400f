// SPDX-License-Identifier: MIT
/* sysprobe on fixture machines, the wsl.exe --version reader, and check's rules. Run
 * from the top of the tree (make unit does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "checks.h"
#include "sysprobe.h"
#include "testutil.h"
#include "wslexe.h"

#define FIX "tests/fixtures/check"

/* Writes ROOT/REL (making folders). */
static void put(const char *root, const char *rel, const char *text)
{
	assert_int_equal(put_under(root, rel, text), 0);
}

static void test_probe_files(void **state)
{
	uint64_t v = 0;
	char buf[64];

	(void)state;
	assert_int_equal(sysprobe_read_u64(FIX "/wsl-2.9-pool", "/sys/bus/vmbus/drivers/hv_pci/swiotlb_base", &v), 0);
	assert_true(v == 0xf4000000ull);
	assert_int_equal(sysprobe_read_u64(FIX "/wsl-2.9-pool", "sys/bus/vmbus/drivers/hv_pci/swiotlb_size", &v), 0);
	assert_true(v == 64ull << 20);
	assert_int_equal(sysprobe_read_u64(FIX "/wsl-2.9-pool", "/proc/version", &v), -2);
	assert_int_equal(sysprobe_read_u64(FIX "/wsl-2.9-pool", "/no/such/file", &v), -1);
	sysprobe_path("/", "/proc/cmdline", buf, sizeof(buf));
	assert_string_equal(buf, "/proc/cmdline");
	sysprobe_path("/x/", "proc", buf, sizeof(buf));
	assert_string_equal(buf, "/x/proc");
	assert_true(sysprobe_wsl_markers(FIX "/wsl-2.9-pool"));
	assert_true(sysprobe_wsl_markers(FIX "/third-party-pool")); /* WSLInterop-late */
	assert_false(sysprobe_wsl_markers(FIX "/not-wsl"));
	assert_true(sysprobe_is_wsl(FIX "/wsl1"));
	assert_false(sysprobe_is_wsl(FIX "/not-wsl"));
}

static void test_filesystems_and_mounts(void **state)
{
	const char *from = NULL;
	char points[256], root[256];

	(void)state;
	assert_int_equal(sysprobe_has_filesystem(FIX "/wsl-2.9-pool", "virtiofs"), 1);
	assert_int_equal(sysprobe_has_filesystem(FIX "/not-wsl", "virtiofs"), 0);
	assert_int_equal(sysprobe_has_filesystem(FIX "/not-wsl", "ext4"), 1); /* "\text4" */
	assert_int_equal(sysprobe_has_filesystem(scratch_dir, "virtiofs"), -1);

	assert_int_equal(sysprobe_mounts(FIX "/wsl-2.9-pool", "virtiofs", points, sizeof(points), &from), 3);
	assert_string_equal(from, "/proc/self/mountinfo");
	assert_string_equal(points, "/mnt/c, /mnt/d, /mnt/My Share"); /* \040 decoded */
	assert_int_equal(sysprobe_mounts(FIX "/wsl-6.6-9p", "virtiofs", points, sizeof(points), &from), 0);
	assert_int_equal(sysprobe_mounts(FIX "/wsl-6.6-9p", "9p", points, sizeof(points), &from), 2);
	/* No mountinfo: /proc/mounts, with its own field order. */
	assert_int_equal(sysprobe_mounts(FIX "/no-config-gz", "virtiofs", points, sizeof(points), &from), 3);
	assert_string_equal(from, "/proc/mounts");
	assert_string_equal(points, "/mnt/c, /mnt/d, /mnt/My Share");
	assert_int_equal(sysprobe_mounts(scratch_dir, "virtiofs", points, sizeof(points), &from), -1);

	/* Optional fields before " - ", and a type that only looks alike. */
	put(scratch_dir, "m/proc/self/mountinfo",
	    "1 0 0:1 / /a rw shared:1 master:2 - virtiofs tag rw\n"
	    "2 0 0:2 / /b rw - virtiofsx tag rw\n"
	    "3 0 0:3 / /virtiofs rw - ext4 /dev/x rw\n");
	snprintf(root, sizeof(root), "%s/m", scratch_dir);
	assert_int_equal(sysprobe_mounts(root, "virtiofs", points, sizeof(points), &from), 1);
	assert_string_equal(points, "/a");
}

/* Each mount's source (a virtiofs tag), device and folder: what ties /mnt/c to the hidden
 * mount current WSL binds it from. */
static void test_mount_list(void **state)
{
	struct mount_entry m[4];
	const char *from = NULL;
	char root[256];

	(void)state;
	assert_int_equal(sysprobe_mount_list(FIX "/virtiofs-bind", "virtiofs", m, 4, &from), 4);
	assert_string_equal(m[0].point, "/run/wsl/virtiofs-mounts/C");
	assert_string_equal(m[1].point, "/mnt/c");
	assert_string_equal(m[1].source, "5d0b6e2c-1f4a-4c3e-9a57-2b8f0e4d7c11");
	assert_string_equal(m[1].devno, "0:64");
	assert_string_equal(m[1].fsroot, "/");
	/* Only MAX are filled; the count is every mount. */
	assert_int_equal(sysprobe_mount_list(FIX "/virtiofs-bind", "virtiofs", m, 1, &from), 4);
	/* /proc/mounts has the source, not the device or folder. */
	assert_int_equal(sysprobe_mount_list(FIX "/no-config-gz", "virtiofs", m, 4, &from), 3);
	assert_string_equal(m[2].point, "/mnt/My Share");
	assert_string_equal(m[0].source, "drvfsC");
	assert_string_equal(m[0].devno, "");
	/* A line cut before its source, and octal escapes in the folder and the source. */
	put(scratch_dir, "ml/proc/self/mountinfo",
	    "1 0 0:1 /sub\\040dir /b rw - virtiofs\n"
	    "2 0 0:2 / /c rw - virtiofs my\\040tag rw\n");
	snprintf(root, sizeof(root), "%s/ml", scratch_dir);
	assert_int_equal(sysprobe_mount_list(root, "virtiofs", m, 4, &from), 2);
	assert_string_equal(m[0].source, "");
	assert_string_equal(m[0].fsroot, "/sub dir");
	assert_string_equal(m[1].source, "my tag");
}

static void test_virtio(void **state)
{
	struct virtio_dev d[8];
	char root[256];

	(void)state;
	assert_int_equal(sysprobe_virtio_devices(FIX "/wsl-2.9-pool", d, 8), 3);
	assert_string_equal(d[0].name, "virtio0");
	assert_int_equal(d[0].device, VIRTIO_ID_FS);
	assert_int_equal(d[0].vendor, 0x1af4);
	assert_string_equal(d[0].driver, "virtiofs");
	assert_int_equal(d[0].access_platform, 1);
	assert_int_equal(d[2].device, 1);
	assert_string_equal(d[2].driver, "virtio_net");
	assert_int_equal(sysprobe_virtio_devices(FIX "/not-wsl", d, 8), 2);
	assert_int_equal(d[0].access_platform, 0);
	assert_int_equal(sysprobe_virtio_devices(FIX "/wsl-6.6-9p", d, 8), -1);
	/* At most MAX are filled, in natural order (virtio2 before virtio10). */
	put(scratch_dir, "v/sys/bus/virtio/devices/virtio10/device", "0x001a\n");
	put(scratch_dir, "v/sys/bus/virtio/devices/virtio2/device", "0x0002\n");
	snprintf(root, sizeof(root), "%s/v", scratch_dir);
	assert_int_equal(sysprobe_virtio_devices(root, d, 1), 1);
	assert_string_equal(d[0].name, "virtio2");
	assert_int_equal(sysprobe_virtio_devices(root, d, 8), 2);
	assert_string_equal(d[1].driver, "");
	assert_int_equal(d[1].access_platform, -1);
	assert_string_equal(d[1].tag, "");
}

/* /sys/fs/virtiofs/<n>/tag, tied to its device by the "device" link. */
static void test_virtiofs_tags(void **state)
{
	struct virtio_dev d[8];
	char root[256], path[512];

	(void)state;
	assert_int_equal(sysprobe_virtio_devices(FIX "/virtiofs-bind", d, 8), 3);
	assert_string_equal(d[0].tag, "wslg");
	assert_string_equal(d[1].tag, "5d0b6e2c-1f4a-4c3e-9a57-2b8f0e4d7c11");
	assert_int_equal(sysprobe_virtio_devices(FIX "/wsl-2.9-pool", d, 8), 3);
	assert_string_equal(d[0].tag, ""); /* not exported */
	assert_string_equal(d[2].tag, ""); /* not virtio-fs */

	/* The link decides, not the folder's name; without a link, the index does. No
	 * trailing newline in the tag is fine too. */
	snprintf(root, sizeof(root), "%s/t", scratch_dir);
	put(scratch_dir, "t/sys/bus/virtio/devices/virtio3/device", "0x001a\n");
	put(scratch_dir, "t/sys/bus/virtio/devices/virtio4/device", "0x001a\n");
	put(scratch_dir, "t/sys/bus/virtio/devices/virtio5/device", "0x001a\n");
	put(scratch_dir, "t/sys/fs/virtiofs/9/tag", "linked\n");
	snprintf(path, sizeof(path), "%s/sys/fs/virtiofs/9/device", root);
	assert_int_equal(symlink("../../../devices/pci0000:00/0000:00:03.0/virtio3", path), 0);
	put(scratch_dir, "t/sys/fs/virtiofs/4/tag", "byindex");
	put(scratch_dir, "t/sys/fs/virtiofs/3/tag", "wrong");
	snprintf(path, sizeof(path), "%s/sys/fs/virtiofs/3/device", root);
	assert_int_equal(symlink("../../../devices/x/virtio7", path), 0);
	assert_int_equal(sysprobe_virtio_devices(root, d, 8), 3);
	assert_string_equal(d[0].tag, "linked");
	assert_string_equal(d[1].tag, "byindex");
	assert_string_equal(d[2].tag, "");
}

static void test_debugfs(void **state)
{
	struct swiotlb_usage u;
	char root[256];

	(void)state;
	assert_int_equal(sysprobe_debugfs(FIX "/wsl-2.9-pool"), DEBUGFS_MISSING);
	assert_int_equal(sysprobe_debugfs(FIX "/pool-near-exhaustion"), DEBUGFS_READABLE);
	/* An empty mount point: debugfs is not mounted. */
	put(scratch_dir, "d/sys/kernel/x", "");
	snprintf(root, sizeof(root), "%s/d/sys/kernel/debug", scratch_dir);
	assert_int_equal(mkdir(root, 0700), 0);
	snprintf(root, sizeof(root), "%s/d", scratch_dir);
	assert_int_equal(sysprobe_debugfs(root), DEBUGFS_UNMOUNTED);

	/* The pool under swiotlb/, and the default pool beside it. */
	assert_int_equal(sysprobe_swiotlb_usage(FIX "/pool-near-exhaustion", "hv-pci-swiotlb", &u), 1);
	assert_string_equal(u.dir, "swiotlb/hv-pci-swiotlb");
	assert_true(u.nslabs == 32768 && u.used == 30150 && u.hiwater == 31544 && u.has_hiwater);
	assert_int_equal(sysprobe_swiotlb_usage(FIX "/pool-near-exhaustion", NULL, &u), 1);
	assert_true(u.nslabs == 32768 && u.used == 118);
	/* The pool at the debugfs root. */
	assert_int_equal(sysprobe_swiotlb_usage(FIX "/pool-full", "hv-pci-swiotlb", &u), 1);
	assert_string_equal(u.dir, "hv-pci-swiotlb");
	assert_int_equal(sysprobe_swiotlb_usage(FIX "/pool-full", NULL, &u), 0);
	assert_int_equal(sysprobe_swiotlb_usage(FIX "/wsl-2.9-pool", "hv-pci-swiotlb", &u), 0);
	/* Present but garbled counters. */
	put(scratch_dir, "g/sys/kernel/debug/hv-pci-swiotlb/io_tlb_nslabs", "lots\n");
	snprintf(root, sizeof(root), "%s/g", scratch_dir);
	assert_int_equal(sysprobe_swiotlb_usage(root, "hv-pci-swiotlb", &u), -1);
}

static const char *parse_file(const char *name, char *ver, size_t n)
{
	static unsigned char buf[4096];
	char path[256];
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), FIX "/wsl-exe/%s", name);
	f = fopen(path, "rb");
	assert_non_null(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return wslexe_parse_version(buf, len, ver, n) == 1 ? ver : NULL;
}

static void test_wslexe_parse_version(void **state)
{
	char ver[64];
	/* UTF-16LE without BOM, label without a colon, Windows line after it. */
	static const unsigned char nocolon[] = "W\0S\0L\0 \0""2\0.\0""9\0.\0""4\0.\0""0\0\r\0\n\0";
	static const char plain_kernel_first[] = "Kernel version: 6.18.35.2-1\nWSL version: 2.9.4.0\n";

	(void)state;
	assert_string_equal(parse_file("en-2.9.4-bom.out", ver, sizeof(ver)), "2.9.4.0");
	assert_string_equal(parse_file("en-2.7.3.out", ver, sizeof(ver)), "2.7.3.0");
	assert_string_equal(parse_file("en-2.7.11-utf8.out", ver, sizeof(ver)), "2.7.11.0");
	assert_string_equal(parse_file("de-2.8.9.out", ver, sizeof(ver)), "2.8.9.0");
	assert_string_equal(parse_file("fr-2.8.8-nbsp.out", ver, sizeof(ver)), "2.8.8.0");
	assert_string_equal(parse_file("zh-2.9.1-fullwidth.out", ver, sizeof(ver)), "2.9.1.0");
	assert_null(parse_file("inbox-usage.out", ver, sizeof(ver)));
	assert_int_equal(wslexe_parse_version(nocolon, sizeof(nocolon) - 1, ver, sizeof(ver)), 1);
	assert_string_equal(ver, "2.9.4.0");
	/* "6.18.35.2-1" is not N.N.N(.N): the kernel line never passes for the WSL version. */
	assert_int_equal(wslexe_parse_version((const unsigned char *)plain_kernel_first,
				       sizeof(plain_kernel_first) - 1, ver, sizeof(ver)), 1);
	assert_string_equal(ver, "2.9.4.0");
	assert_int_equal(wslexe_parse_version((const unsigned char *)"", 0, ver, sizeof(ver)), 0);
	assert_int_equal(wslexe_parse_version((const unsigned char *)"\xff\xfe\x00", 3, ver, sizeof(ver)), 0);
}

static void test_wslexe_ask_version(void **state)
{
	struct error err = { 0 };
	struct timespec t0, t1;
	char ver[64];
	int code = -1;

	(void)state;
	setenv("WSL_FAKE_OUTPUT", "de-2.8.9.out", 1);
	unsetenv("WSL_FAKE_EXIT");
	unsetenv("WSL_FAKE_SLEEP");
	assert_int_equal(wslexe_ask_version(FIX "/wsl-exe/wsl.exe", 5000, ver, sizeof(ver), &code, &err), 1);
	assert_string_equal(ver, "2.8.9.0");
	assert_int_equal(code, 0);

	setenv("WSL_FAKE_OUTPUT", "inbox-usage.out", 1);
	setenv("WSL_FAKE_EXIT", "255", 1);
	assert_int_equal(wslexe_ask_version(FIX "/wsl-exe/wsl.exe", 5000, ver, sizeof(ver), &code, &err),
			 WSLEXE_USAGE);
	assert_int_equal(code, 255);
	/* A failure that is not the usage text (interop's own error, microsoft/WSL#11920)
	 * says nothing about the version. */
	setenv("WSL_FAKE_OUTPUT", "vsock-error.out", 1);
	setenv("WSL_FAKE_EXIT", "1", 1);
	assert_int_equal(wslexe_ask_version(FIX "/wsl-exe/wsl.exe", 5000, ver, sizeof(ver), &code, &err), 0);
	assert_int_equal(code, 1);
	/* A Windows program where interop is off (microsoft/WSL#8952): never run by sh. */
	assert_int_equal(wslexe_ask_version(FIX "/wsl-exe/pe.exe", 5000, ver, sizeof(ver), &code, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_non_null(strstr(err.message, "interop is off"));

	assert_int_equal(wslexe_ask_version("/nonexistent/wsl.exe", 5000, ver, sizeof(ver), &code, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_int_equal(wslexe_ask_version("no-such-wsl-exe-in-path", 5000, ver, sizeof(ver), &code, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);

	/* A hung wsl.exe is killed at the deadline. */
	setenv("WSL_FAKE_SLEEP", "5", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(wslexe_ask_version(FIX "/wsl-exe/wsl.exe", 300, ver, sizeof(ver), &code, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(err.code, ERR_INTEROP);
	assert_non_null(strstr(err.message, "did not finish within 300 ms"));
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	unsetenv("WSL_FAKE_SLEEP");
	unsetenv("WSL_FAKE_EXIT");
}

static void run_on(const char *root, struct check_report *rep)
{
	struct check_input in = {
		.root = root, .data_dir = ".", .wsl_exe = "/nonexistent/wsl.exe",
		.host_timeout_ms = 1000,
	};
	struct error err = { 0 };

	assert_int_equal(checks_run(&in, rep, &err), 0);
}

static void test_rules(void **state)
{
	struct check_report *rep = malloc(sizeof(*rep));
	struct error err = { 0 };
	struct check_input in = { .root = scratch_dir, .data_dir = "." };
	char root[256];

	(void)state;
	assert_non_null(rep);
	assert_int_equal(check_id_find("swiotlb.pool"), CK_SWIOTLB_POOL);
	assert_int_equal(check_id_find("swiotlb"), -1);
	assert_string_equal(check_id_name(CK_WSL_HOST), "wsl.host");

	run_on(FIX "/wsl-2.9-pool", rep);
	assert_string_equal(rep->release, "6.18.35.2-microsoft-standard-WSL2");
	assert_string_equal(rep->version, "6.18.35.2");
	assert_int_equal(rep->wsl, 2);
	assert_int_equal(rep->r[CK_SWIOTLB_POOL].status, CHECK_PASS);
	assert_string_equal(rep->r[CK_SWIOTLB_POOL].detail, "64 MiB at 0xf4000000");
	assert_int_equal(rep->r[CK_WSL_HOST].status, CHECK_SKIP);

	run_on(FIX "/wsl1", rep);
	assert_int_equal(rep->wsl, 1);
	assert_string_equal(rep->r[CK_WSL_KERNEL].fix, "wsl.exe --set-version <distro> 2");

	run_on(FIX "/pci-hyperv-m", rep);
	assert_int_equal(rep->r[CK_KERNEL_CONFIG].status, CHECK_FAIL);
	assert_non_null(strstr(rep->r[CK_KERNEL_CONFIG].detail, "PCI_HYPERV=m (needs y)"));
	assert_int_equal(rep->noptions, 11);
	/* 6.18.26.3-microsoft-standard-WSL2+: Microsoft's version with local changes, no pool. */
	assert_int_equal(rep->r[CK_KERNEL_VERSION].status, CHECK_FAIL);
	assert_non_null(strstr(rep->r[CK_KERNEL_VERSION].detail, "custom kernel"));
	assert_non_null(strstr(rep->r[CK_WSL_KERNEL].detail, "custom kernel"));

	/* Version order is numeric, part by part: 6.18.100.1 > 6.18.26.3 > 6.18.9.9. */
	snprintf(root, sizeof(root), "%s/v", scratch_dir);
	put(scratch_dir, "v/proc/sys/kernel/osrelease", "6.18.100.1-microsoft-standard-WSL2\n");
	run_on(root, rep);
	assert_int_equal(rep->r[CK_KERNEL_VERSION].status, CHECK_PASS);
	put(scratch_dir, "v/proc/sys/kernel/osrelease", "6.18.9.9-microsoft-standard-WSL2\n");
	run_on(root, rep);
	assert_int_equal(rep->r[CK_KERNEL_VERSION].status, CHECK_FAIL);
	assert_string_equal(rep->r[CK_KERNEL_VERSION].fix, "wslctl update --pre-release");

	/* Pool turned off on the command line: the fix says so. */
	put(scratch_dir, "v/proc/cmdline", "console=hvc0 hv_pci_swiotlb=0\n");
	put(scratch_dir, "v/sys/bus/vmbus/drivers/hv_pci/uevent", "");
	run_on(root, rep);
	assert_int_equal(rep->r[CK_SWIOTLB_POOL].status, CHECK_FAIL);
	assert_non_null(strstr(rep->r[CK_SWIOTLB_POOL].detail, "hv_pci_swiotlb=0"));
	assert_non_null(strstr(rep->r[CK_SWIOTLB_POOL].fix, "kernelCommandLine"));
	/* A pool of size 0 is no pool. */
	put(scratch_dir, "v/sys/bus/vmbus/drivers/hv_pci/swiotlb_size", "0\n");
	run_on(root, rep);
	assert_int_equal(rep->r[CK_SWIOTLB_POOL].status, CHECK_FAIL);
	assert_string_equal(rep->r[CK_SWIOTLB_POOL].detail, "published with size 0");

	/* Only /proc/version: the release comes from there. */
	snprintf(root, sizeof(root), "%s/pv", scratch_dir);
	put(scratch_dir, "pv/proc/version", "Linux version 6.6.87.2-microsoft-standard-WSL2 (root@x) (gcc) #1\n");
	run_on(root, rep);
	assert_string_equal(rep->release, "6.6.87.2-microsoft-standard-WSL2");

	/* Nothing under ROOT at all: an error, not a report. */
	snprintf(root, sizeof(root), "%s/empty", scratch_dir);
	in.root = root;
	assert_int_equal(checks_run(&in, rep, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	free(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_files),
		cmocka_unit_test(test_filesystems_and_mounts),
		cmocka_unit_test(test_virtio),
		cmocka_unit_test(test_mount_list),
		cmocka_unit_test(test_virtiofs_tags),
		cmocka_unit_test(test_debugfs),
		cmocka_unit_test(test_wslexe_parse_version),
		cmocka_unit_test(test_wslexe_ask_version),
		cmocka_unit_test(test_rules),
	};

	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
