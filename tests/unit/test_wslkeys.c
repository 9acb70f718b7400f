// SPDX-License-Identifier: MIT
/* The key tables and WSL's value rules (cli/wslkeys.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wslkeys.h"

#define WC WSLCONF_WSLCONFIG
#define LC WSLCONF_WSLCONF

static const struct wslkey *key(enum wslconf_kind kind, const char *dotted)
{
	const struct wslkey *k = wslkeys_lookup(kind, dotted);

	assert_non_null(k);
	return k;
}

/* The number of problems WSL's rule finds in VALUE for KEY. */
static int problems(enum wslconf_kind kind, const char *dotted, const char *value)
{
	struct wslkey_problem p[8];

	return wslkeys_check(kind, key(kind, dotted), value, p, 8);
}

static const char *first_code(enum wslconf_kind kind, const char *dotted, const char *value)
{
	static struct wslkey_problem p[8];

	if (wslkeys_check(kind, key(kind, dotted), value, p, 8) == 0)
		return "";
	return p[0].code;
}

static void assert_json_int(json_t *j, long long v)
{
	assert_non_null(j);
	assert_true(json_is_integer(j));
	assert_int_equal(json_integer_value(j), v);
	json_decref(j);
}

static void assert_json_null(json_t *j)
{
	assert_non_null(j);
	assert_true(json_is_null(j));
	json_decref(j);
}

static void assert_json_bool(json_t *j, bool v)
{
	assert_non_null(j);
	assert_true(json_is_boolean(j));
	assert_int_equal(json_is_true(j), v);
	json_decref(j);
}

static void assert_json_str(json_t *j, const char *s)
{
	assert_non_null(j);
	assert_true(json_is_string(j));
	assert_string_equal(json_string_value(j), s);
	json_decref(j);
}

static json_t *eff(enum wslconf_kind kind, const char *dotted, const char *value)
{
	return wslkeys_effective(kind, key(kind, dotted), value);
}

static void test_lookup_case_insensitive(void **state)
{
	const struct wslkey *k = wslkeys_lookup(WC, "WSL2.VirtioFS");

	(void)state;
	assert_non_null(k);
	assert_string_equal(k->section, "wsl2");
	assert_string_equal(k->name, "virtiofs");
	assert_int_equal(k->type, KT_BOOL);
	assert_string_equal(k->def, "false");
	assert_ptr_equal(wslkeys_find(WC, "Wsl2", "VIRTIOFS"), k);
	assert_null(wslkeys_lookup(WC, "virtiofs"));
	assert_null(wslkeys_lookup(WC, "wsl2.virtiofsx"));
	assert_null(wslkeys_lookup(WC, "wsl2."));
	assert_null(wslkeys_lookup(WC, NULL));
	assert_null(wslkeys_find(WC, NULL, "virtiofs"));
	/* wsl.conf has its own table. */
	assert_null(wslkeys_lookup(LC, "wsl2.virtiofs"));
	assert_non_null(wslkeys_lookup(LC, "boot.systemd"));
	assert_null(wslkeys_lookup(WC, "boot.systemd"));
}

static void test_tables_complete(void **state)
{
	static const char *const wslconfig[] = {
		"wsl2.kernel", "wsl2.kernelModules", "wsl2.kernelCommandLine", "wsl2.memory",
		"wsl2.processors", "wsl2.swap", "wsl2.swapFile", "wsl2.localhostForwarding",
		"wsl2.nestedVirtualization", "wsl2.virtio", "wsl2.virtiofs", "wsl2.virtio9p",
		"wsl2.debugConsole", "wsl2.earlyBootLogging", "wsl2.debugConsoleLogFile",
		"wsl2.kernelDebugPort", "wsl2.gpuSupport", "wsl2.guiApplications",
		"wsl2.systemDistro", "wsl2.telemetry", "wsl2.vmIdleTimeout",
		"wsl2.kernelBootTimeout", "wsl2.distributionStartTimeout",
		"wsl2.mountDeviceTimeout", "wsl2.hostFileSystemAccess",
		"wsl2.hardwarePerformanceCounters", "wsl2.networkingMode", "wsl2.vmSwitch",
		"wsl2.macAddress", "wsl2.dhcp", "wsl2.dhcpTimeout", "wsl2.ipv6", "wsl2.dnsProxy",
		"wsl2.dnsTunneling", "wsl2.firewall", "wsl2.autoProxy", "wsl2.safeMode",
		"wsl2.defaultVhdSize", "wsl2.crashDumpFolder", "wsl2.maxCrashDumpCount",
		"wsl2.loadDefaultKernelModules", "wsl2.loadKernelModules",
		"wsl2.isolateDistroCgroup", "experimental.autoMemoryReclaim",
		"experimental.sparseVhd", "experimental.bestEffortDnsParsing",
		"experimental.dnsTunnelingIpAddress", "experimental.initialAutoProxyTimeout",
		"experimental.ignoredPorts", "experimental.hostAddressLoopback",
		"experimental.setVersionDebug", "experimental.swiotlb",
		"experimental.virtioFsAggregateShares", "experimental.networkingMode",
		"experimental.dnsTunneling", "experimental.firewall", "experimental.autoProxy",
		"general.distributionInstallPath", "general.instanceIdleTimeout",
	};
	static const char *const wslconf[] = {
		"automount.enabled", "automount.root", "automount.options",
		"automount.mountFsTab", "automount.ldconfig", "automount.cgroups",
		"filesystem.umask", "interop.enabled", "interop.appendWindowsPath",
		"network.generateHosts", "network.generateResolvConf", "network.hostname",
		"time.useWindowsTimezone", "fileServer.enabled", "fileServer.logFile",
		"fileServer.logLevel", "fileServer.logTruncate", "gpu.enabled",
		"gpu.appendLibPath", "user.default", "boot.command", "boot.systemd",
		"boot.initTimeout", "boot.protectBinfmt", "general.guiApplications",
	};
	size_t count = 0;
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(wslconfig) / sizeof(wslconfig[0]); i++) {
		const struct wslkey *k = key(WC, wslconfig[i]);

		/* The canonical spelling is what the table gives back. */
		assert_string_equal(wslkeys_dotted(k, buf, sizeof(buf)), wslconfig[i]);
	}
	for (const struct wslkey *k = wslkeys_table(WC); k->name; k++)
		count++;
	assert_int_equal(count, sizeof(wslconfig) / sizeof(wslconfig[0]));
	count = 0;
	for (size_t i = 0; i < sizeof(wslconf) / sizeof(wslconf[0]); i++)
		key(LC, wslconf[i]);
	for (const struct wslkey *k = wslkeys_table(LC); k->name; k++)
		count++;
	assert_int_equal(count, sizeof(wslconf) / sizeof(wslconf[0]));
}

static void test_old_spellings(void **state)
{
	const struct wslkey *old = key(WC, "experimental.networkingMode");
	const struct wslkey *canon = key(WC, "wsl2.networkingMode");
	const struct wslkey *sp[4];
	int n;

	(void)state;
	assert_string_equal(old->same_as, "wsl2.networkingMode");
	assert_null(canon->same_as);
	assert_ptr_equal(wslkeys_canonical(WC, old), canon);
	assert_ptr_equal(wslkeys_canonical(WC, canon), canon);
	/* Same rule as the key it stands for. */
	assert_int_equal(old->type, KT_ENUM);
	assert_int_equal(problems(WC, "experimental.networkingMode", "mirrored"), 0);

	n = wslkeys_spellings(WC, canon, sp, 4);
	assert_int_equal(n, 2);
	assert_ptr_equal(sp[0], canon);
	assert_ptr_equal(sp[1], old);
	/* Asking with the old spelling gives the same list. */
	n = wslkeys_spellings(WC, old, sp, 4);
	assert_int_equal(n, 2);
	assert_ptr_equal(sp[0], canon);
	n = wslkeys_spellings(WC, key(WC, "wsl2.virtiofs"), sp, 4);
	assert_int_equal(n, 1);
	for (const char *const *s = (const char *const[]){ "dnsTunneling", "firewall",
							   "autoProxy", NULL }; *s; s++) {
		char dotted[64];

		snprintf(dotted, sizeof(dotted), "experimental.%s", *s);
		assert_non_null(key(WC, dotted)->same_as);
		assert_int_equal(wslkeys_spellings(WC, key(WC, dotted), sp, 4), 2);
	}
	/* max is respected */
	assert_int_equal(wslkeys_spellings(WC, canon, sp, 1), 1);
}

static void test_bool(void **state)
{
	static const char *const good[] = { "true", "false", "TRUE", "False", "tRuE", "1", "0" };
	static const char *const bad[] = { "yes", "no", "on", "off", "", " true", "true ",
					   "01", "2", "t", "f", "truee", "-1" };

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(problems(WC, "wsl2.virtiofs", good[i]), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_string_equal(first_code(WC, "wsl2.virtiofs", bad[i]), "invalid-bool");
	assert_json_bool(eff(WC, "wsl2.virtiofs", "TRUE"), true);
	assert_json_bool(eff(WC, "wsl2.virtiofs", "0"), false);
	/* Rejected: the default stays. */
	assert_json_bool(eff(WC, "wsl2.virtiofs", "yes"), false);
	assert_json_bool(eff(WC, "wsl2.dhcp", "yes"), true);
	assert_json_bool(eff(WC, "wsl2.virtiofs", NULL), false);
	assert_json_bool(eff(LC, "boot.systemd", "true"), true);
}

static void test_int_wslconfig(void **state)
{
	(void)state;
	/* strtol base 0: hex, octal, sign, leading blanks. */
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "0x10"), 16);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "0X1f"), 31);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "010"), 8);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "-5"), -5);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "+7"), 7);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", " 42"), 42);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "-0x10"), -16);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "0"), 0);
	/* Windows' long is 32 bits: out of range saturates instead of failing. */
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "4294967296"), 2147483647);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "2147483648"), 2147483647);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "99999999999999999999999"), 2147483647);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "-2147483649"), -2147483648LL);
	assert_int_equal(problems(WC, "wsl2.vmIdleTimeout", "4294967296"), 0);

	static const char *const bad[] = { "08", "09", "0x", "0xg", "12abc", "1.5", "5 ", "",
					   " ", "+", "-", "ten", "1e3", "0b101", "--1", "0x10 " };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_string_equal(first_code(WC, "wsl2.vmIdleTimeout", bad[i]), "invalid-int");
	/* Rejected: the default stays. */
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", "08"), 60000);
	assert_json_int(eff(WC, "wsl2.vmIdleTimeout", NULL), 60000);
	assert_json_int(eff(WC, "wsl2.kernelBootTimeout", NULL), 90000);
	assert_json_int(eff(WC, "general.instanceIdleTimeout", NULL), 15000);
	assert_json_int(eff(WC, "wsl2.maxCrashDumpCount", "-1"), -1);
}

static void test_int_wslconf(void **state)
{
	(void)state;
	/* Linux long is 64 bits: what does not fit an int is rejected. */
	assert_string_equal(first_code(LC, "boot.initTimeout", "4294967296"), "invalid-int");
	assert_string_equal(first_code(LC, "boot.initTimeout", "2147483648"), "invalid-int");
	assert_string_equal(first_code(LC, "boot.initTimeout", "-2147483649"), "invalid-int");
	assert_string_equal(first_code(LC, "boot.initTimeout", "99999999999999999999"),
			    "invalid-int");
	assert_int_equal(problems(LC, "boot.initTimeout", "2147483647"), 0);
	assert_int_equal(problems(LC, "boot.initTimeout", "-2147483648"), 0);
	assert_json_int(eff(LC, "boot.initTimeout", "2147483648"), 10000);
	/* umask is octal by strtol's rule */
	assert_json_int(eff(LC, "filesystem.umask", "077"), 63);
	assert_json_int(eff(LC, "filesystem.umask", NULL), 18);
	assert_string_equal(first_code(LC, "filesystem.umask", "0778"), "invalid-int");
}

static void test_size(void **state)
{
	static const char *const bad[] = {
		"8gb", "8 GB", "1.5GB", "8Gb", "8GiB", "8KBB", "-0", "00", "0x10", "", " ",
		"GB", "8 ", "8E", "8EB", "8P", "+0", "0 ", "1kb", "5b",
	};

	(void)state;
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "8GB"), 8LL << 30);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "8G"), 8LL << 30);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "512MB"), 512LL << 20);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "512M"), 512LL << 20);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "4K"), 4096);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "4KB"), 4096);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "7B"), 7);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "7"), 7);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "2TB"), 2LL << 40);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "2T"), 2LL << 40);
	/* Decimal only, so a leading zero is not octal; blanks and + before the digits pass. */
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "08GB"), 8LL << 30);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", " 1"), 1);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "+1K"), 1024);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "0K"), 0);
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", NULL), 1LL << 40);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_string_equal(first_code(WC, "wsl2.memory", bad[i]), "invalid-size");
	/* Rejected: the default (1TB) stays. */
	assert_json_int(eff(WC, "wsl2.defaultVhdSize", "8gb"), 1LL << 40);
	/* "-1" wraps to the largest value: accepted by WSL, swap treats it as unset. */
	assert_int_equal(problems(WC, "wsl2.swap", "-1"), 0);
	assert_json_null(eff(WC, "wsl2.swap", "-1"));
	assert_json_int(eff(WC, "wsl2.swap", "0"), 0);
	assert_json_null(eff(WC, "wsl2.swap", NULL));
}

static void test_size_machine_defaults(void **state)
{
	(void)state;
	/* memory: 0 or absent is half the host's RAM; small values are raised to 256 MiB. */
	assert_json_null(eff(WC, "wsl2.memory", NULL));
	assert_json_null(eff(WC, "wsl2.memory", "0"));
	assert_json_null(eff(WC, "wsl2.memory", "bad"));
	assert_json_int(eff(WC, "wsl2.memory", "100MB"), 256LL << 20);
	assert_json_int(eff(WC, "wsl2.memory", "8GB"), 8LL << 30);
	assert_json_null(eff(WC, "wsl2.processors", NULL));
	assert_json_null(eff(WC, "wsl2.processors", "0"));
	assert_json_null(eff(WC, "wsl2.processors", "-3"));
	assert_json_int(eff(WC, "wsl2.processors", "4"), 4);
	assert_json_null(eff(WC, "experimental.swiotlb", NULL));
	assert_json_int(eff(WC, "experimental.swiotlb", "64MB"), 64LL << 20);
	assert_null(key(WC, "wsl2.memory")->def);
	assert_string_equal(key(WC, "experimental.swiotlb")->def, "0");
}

static void test_enum(void **state)
{
	(void)state;
	assert_int_equal(problems(WC, "wsl2.networkingMode", "mirrored"), 0);
	assert_int_equal(problems(WC, "wsl2.networkingMode", "NAT"), 0);
	assert_int_equal(problems(WC, "wsl2.networkingMode", "virtioproxy"), 0);
	assert_string_equal(first_code(WC, "wsl2.networkingMode", "bridge"), "invalid-enum");
	assert_string_equal(first_code(WC, "wsl2.networkingMode", " nat"), "invalid-enum");
	assert_string_equal(first_code(WC, "wsl2.networkingMode", ""), "invalid-enum");
	assert_json_str(eff(WC, "wsl2.networkingMode", "mirrored"), "Mirrored");
	assert_json_str(eff(WC, "wsl2.networkingMode", "VIRTIOPROXY"), "Consomme");
	assert_json_str(eff(WC, "wsl2.networkingMode", "bridge"), "Nat");
	assert_json_str(eff(WC, "experimental.autoMemoryReclaim", "gradual"), "Gradual");
	assert_json_str(eff(WC, "experimental.autoMemoryReclaim", NULL), "DropCache");
	assert_string_equal(first_code(WC, "experimental.autoMemoryReclaim", "on"),
			    "invalid-enum");
	assert_json_str(eff(LC, "automount.cgroups", "V1"), "v1");
	assert_string_equal(first_code(LC, "automount.cgroups", "v3"), "invalid-enum");
}

static void test_enum_message_lists_values(void **state)
{
	struct wslkey_problem p[2];

	(void)state;
	assert_int_equal(wslkeys_check(WC, key(WC, "wsl2.networkingMode"), "bridge", p, 2), 1);
	assert_non_null(strstr(p[0].message, "bridge"));
	assert_non_null(strstr(p[0].message, "Mirrored"));
	assert_non_null(strstr(p[0].message, "wsl2.networkingMode"));
}

static void test_mac(void **state)
{
	static const char *const good[] = {
		"00:15:5d:01:02:03", "00-15-5D-01-02-03", "AA:BB:CC:DD:EE:FF",
	};
	static const char *const bad[] = {
		"00:15:5d:01:02", "00:15:5d:01:02:03:04", "00-15:5d:01:02:03", "00.15.5d.01.02.03",
		"0:15:5d:01:02:03", "00:15:5d:01:02:0g", "00155d010203", "", " 00:15:5d:01:02:03",
		"00:15:5d:01:02:03 ", "00:15:5d:01:02-03",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(problems(WC, "wsl2.macAddress", good[i]), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_string_equal(first_code(WC, "wsl2.macAddress", bad[i]), "invalid-mac");
	assert_json_str(eff(WC, "wsl2.macAddress", "00-15-5d-0a-0b-0c"), "00:15:5D:0A:0B:0C");
	assert_json_null(eff(WC, "wsl2.macAddress", NULL));
}

static void test_ipv4(void **state)
{
	static const char *const bad[] = {
		"10.255.255", "10.255.255.256", "010.1.1.1", "10.1.1.1 ", " 10.1.1.1", "::1",
		"10.1.1.1.1", "0x0a.1.1.1", "", "a.b.c.d", "10..1.1",
	};

	(void)state;
	assert_int_equal(problems(WC, "experimental.dnsTunnelingIpAddress", "10.0.0.1"), 0);
	assert_int_equal(problems(WC, "experimental.dnsTunnelingIpAddress", "0.0.0.0"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_string_equal(first_code(WC, "experimental.dnsTunnelingIpAddress", bad[i]),
				    "invalid-ip");
	assert_json_str(eff(WC, "experimental.dnsTunnelingIpAddress", NULL), "10.255.255.254");
	assert_json_str(eff(WC, "experimental.dnsTunnelingIpAddress", "1.2.3.4"), "1.2.3.4");
}

static void test_ignored_ports(void **state)
{
	struct wslkey_problem p[8];
	const struct wslkey *k = key(WC, "experimental.ignoredPorts");
	json_t *j;

	(void)state;
	assert_int_equal(wslkeys_check(WC, k, "80,443,8080", p, 8), 0);
	/* Empty entries are skipped; stoi reads blanks, leading zeros and ignores a tail. */
	assert_int_equal(wslkeys_check(WC, k, "80,,443,", p, 8), 0);
	assert_int_equal(wslkeys_check(WC, k, " 80,080,443x", p, 8), 0);
	assert_int_equal(wslkeys_check(WC, k, "", p, 8), 0);
	/* One problem per bad entry. */
	assert_int_equal(wslkeys_check(WC, k, "0,80,65536,x,-1,65535", p, 8), 4);
	assert_string_equal(p[0].code, "invalid-int");
	assert_non_null(strstr(p[0].message, "'0'"));
	assert_non_null(strstr(p[1].message, "'65536'"));
	assert_non_null(strstr(p[2].message, "'x'"));
	assert_non_null(strstr(p[3].message, "'-1'"));
	assert_int_equal(wslkeys_check(WC, k, "a,b,c", p, 2), 3);
	assert_int_equal(wslkeys_check(WC, k, "99999999999", p, 8), 1);
	assert_int_equal(wslkeys_check(WC, k, " ", p, 8), 1);

	j = wslkeys_effective(WC, k, "443,80,x,443,0x50");
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 2);
	assert_int_equal(json_integer_value(json_array_get(j, 0)), 80);
	assert_int_equal(json_integer_value(json_array_get(j, 1)), 443);
	json_decref(j);
	j = wslkeys_effective(WC, k, NULL);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
}

static void test_strings(void **state)
{
	(void)state;
	assert_int_equal(problems(WC, "wsl2.kernel", "C:\\anything at all"), 0);
	assert_int_equal(problems(WC, "wsl2.loadKernelModules", "a,,b x"), 0);
	assert_json_str(eff(WC, "wsl2.kernel", "C:\\k\\bzImage"), "C:\\k\\bzImage");
	assert_json_null(eff(WC, "wsl2.kernel", NULL));
	assert_json_str(eff(WC, "wsl2.kernelCommandLine", NULL), "");
	assert_json_str(eff(LC, "automount.root", NULL), "/mnt/");
	assert_json_null(eff(LC, "user.default", NULL));
}

static void test_suggest(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(wslkeys_suggest(WC, "wsl2.virtiofz", buf, sizeof(buf)),
			    "wsl2.virtiofs");
	assert_string_equal(wslkeys_suggest(WC, "wsl2.memroy", buf, sizeof(buf)), "wsl2.memory");
	assert_string_equal(wslkeys_suggest(WC, "virtiofs", buf, sizeof(buf)), "wsl2.virtiofs");
	/* The right name in the wrong section. */
	assert_string_equal(wslkeys_suggest(WC, "wsl2.sparseVhd", buf, sizeof(buf)),
			    "experimental.sparseVhd");
	assert_string_equal(wslkeys_suggest(WC, "wls2.swap", buf, sizeof(buf)), "wsl2.swap");
	assert_string_equal(wslkeys_suggest(WC, "wsl2.localhostForwardin", buf, sizeof(buf)),
			    "wsl2.localhostForwarding");
	assert_null(wslkeys_suggest(WC, "wsl2.completelydifferent", buf, sizeof(buf)));
	assert_null(wslkeys_suggest(WC, "zzzzzz", buf, sizeof(buf)));
	assert_string_equal(wslkeys_suggest(LC, "boot.sytemd", buf, sizeof(buf)), "boot.systemd");
}

static void test_kind_for_path(void **state)
{
	(void)state;
	assert_int_equal(wslkeys_kind_for_path("/etc/wsl.conf"), LC);
	assert_int_equal(wslkeys_kind_for_path("wsl.conf"), LC);
	assert_int_equal(wslkeys_kind_for_path("/mnt/c/Users/me/.wslconfig"), WC);
	assert_int_equal(wslkeys_kind_for_path("/tmp/wsl.conf.bak"), WC);
	assert_int_equal(wslkeys_kind_for_path(NULL), WC);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(wslkeys_type_name(KT_SIZE), "size");
	assert_string_equal(wslkeys_type_name(KT_MAC), "mac");
	assert_string_equal(wslkeys_type_name(KT_LIST), "list");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_case_insensitive),
		cmocka_unit_test(test_tables_complete),
		cmocka_unit_test(test_old_spellings),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_int_wslconfig),
		cmocka_unit_test(test_int_wslconf),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_size_machine_defaults),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_enum_message_lists_values),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ignored_ports),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_kind_for_path),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
