// SPDX-License-Identifier: MIT
/*
 * The key tables of .wslconfig and /etc/wsl.conf and WSL's rules for their
 * values. Each rule follows what WSL's parser does, quirks included: ints go
 * through strtol base 0 with Windows' 32-bit long for .wslconfig, sizes
 * through strtoull base 10 plus an uppercase unit, enums compare
 * case-insensitively, a MAC is 17 characters with one separator.
 */
#include "wslkeys.h"
#include "hex.h"
#include "suggest.h"
#include "textenc.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const networking_modes[] = {
	"None", "Nat", "Bridged", "Mirrored", "Consomme", "VirtioProxy", NULL
};
static const char *const reclaim_modes[] = { "Disabled", "Gradual", "DropCache", NULL };
static const char *const cgroup_versions[] = { "v1", "v2", NULL };

/*
 * Defaults that differ by architecture: WSL turns nested virtualisation and
 * performance counters off on arm64, and virtio on only on Windows 11 there.
 * Where the answer still depends on the Windows release, it is NULL.
 */
#if defined(__aarch64__)
#define DEF_NESTED "false"
#define DEF_VIRTIO NULL
#define DEF_PERFCOUNTERS "false"
#else
#define DEF_NESTED NULL
#define DEF_VIRTIO "true"
#define DEF_PERFCOUNTERS "true"
#endif

#define KEY(sec, nm, t, d, sum) { sec, nm, t, d, NULL, NULL, 0, sum }
#define KEYF(sec, nm, t, d, fl, sum) { sec, nm, t, d, NULL, NULL, fl, sum }
#define ENUMKEY(sec, nm, vals, d, sum) { sec, nm, KT_ENUM, d, vals, NULL, 0, sum }
#define OLD(nm, t, d, vals, canon) \
	{ "experimental", nm, t, d, vals, canon, 0, "old spelling of " canon }

static const struct wslkey wslconfig_keys[] = {
	KEY("wsl2", "kernel", KT_PATH, NULL, "custom kernel image (Windows path); default: WSL's own"),
	KEY("wsl2", "kernelModules", KT_PATH, NULL, "modules VHD for a custom kernel"),
	KEY("wsl2", "kernelCommandLine", KT_STRING, "", "extra kernel command line"),
	KEYF("wsl2", "memory", KT_SIZE, NULL, KF_ZERO_IS_AUTO | KF_MIN_256M,
	     "memory of the VM; default: half of the host's"),
	KEYF("wsl2", "processors", KT_INT, NULL, KF_ZERO_IS_AUTO,
	     "virtual processors; default: all"),
	KEYF("wsl2", "swap", KT_SIZE, NULL, KF_MAX_IS_AUTO,
	     "swap size, 0 for none; default: a quarter of memory"),
	KEY("wsl2", "swapFile", KT_PATH, NULL, "swap VHD path"),
	KEY("wsl2", "localhostForwarding", KT_BOOL, "true", "forward localhost ports to Windows"),
	KEY("wsl2", "nestedVirtualization", KT_BOOL, DEF_NESTED, "nested virtualisation"),
	KEY("wsl2", "virtio", KT_BOOL, DEF_VIRTIO, "virtio devices (false turns virtiofs off)"),
	KEY("wsl2", "virtiofs", KT_BOOL, "false", "share Windows drives over virtiofs"),
	KEY("wsl2", "virtio9p", KT_BOOL, "false", "share Windows drives over virtio 9p"),
	KEY("wsl2", "debugConsole", KT_BOOL, "false", "open a console with the kernel log"),
	KEY("wsl2", "earlyBootLogging", KT_BOOL, "false", "log early boot (on with a debug console)"),
	KEY("wsl2", "debugConsoleLogFile", KT_PATH, "", "file for the debug console output"),
	KEY("wsl2", "kernelDebugPort", KT_INT, "0", "COM port for the kernel debugger"),
	KEY("wsl2", "gpuSupport", KT_BOOL, "true", "GPU access"),
	KEY("wsl2", "guiApplications", KT_BOOL, "true", "GUI applications (WSLg)"),
	KEY("wsl2", "systemDistro", KT_PATH, NULL, "custom system distribution VHD"),
	KEY("wsl2", "telemetry", KT_BOOL, "true", "telemetry from the VM"),
	KEY("wsl2", "vmIdleTimeout", KT_INT, "60000", "ms idle before the VM stops"),
	KEY("wsl2", "kernelBootTimeout", KT_INT, "90000", "ms the kernel may take to boot"),
	KEY("wsl2", "distributionStartTimeout", KT_INT, "60000", "ms a distribution may take to start"),
	KEY("wsl2", "mountDeviceTimeout", KT_INT, "5000", "ms a device mount may take"),
	KEY("wsl2", "hostFileSystemAccess", KT_BOOL, "true", "access to Windows drives"),
	KEY("wsl2", "hardwarePerformanceCounters", KT_BOOL, DEF_PERFCOUNTERS,
	    "hardware performance counters"),
	ENUMKEY("wsl2", "networkingMode", networking_modes, "Nat", "networking mode"),
	KEY("wsl2", "vmSwitch", KT_STRING, "", "Hyper-V switch for bridged networking"),
	KEY("wsl2", "macAddress", KT_MAC, NULL, "MAC address of the VM (invalid: WSL does not start)"),
	KEY("wsl2", "dhcp", KT_BOOL, "true", "DHCP in the VM"),
	KEY("wsl2", "dhcpTimeout", KT_INT, "5000", "ms DHCP may take"),
	KEY("wsl2", "ipv6", KT_BOOL, "false", "IPv6"),
	KEY("wsl2", "dnsProxy", KT_BOOL, "true", "DNS proxy in NAT mode"),
	KEY("wsl2", "dnsTunneling", KT_BOOL, "true", "DNS tunnelling"),
	KEY("wsl2", "firewall", KT_BOOL, "true", "Hyper-V firewall"),
	KEY("wsl2", "autoProxy", KT_BOOL, "true", "use Windows' HTTP proxy"),
	KEY("wsl2", "safeMode", KT_BOOL, "false", "safe mode (turns many features off)"),
	KEY("wsl2", "defaultVhdSize", KT_SIZE, "1TB", "maximum size of new distribution VHDs"),
	KEY("wsl2", "crashDumpFolder", KT_PATH, NULL, "folder for crash dumps"),
	KEY("wsl2", "maxCrashDumpCount", KT_INT, "10", "crash dumps kept (-1: none)"),
	KEY("wsl2", "loadDefaultKernelModules", KT_BOOL, "true", "load tun, ip_tables, br_netfilter"),
	KEY("wsl2", "loadKernelModules", KT_STRING, "", "more kernel modules to load (comma list)"),
	KEY("wsl2", "isolateDistroCgroup", KT_BOOL, "true", "one cgroup per distribution"),

	ENUMKEY("experimental", "autoMemoryReclaim", reclaim_modes, "DropCache",
		"give unused memory back to Windows"),
	KEY("experimental", "sparseVhd", KT_BOOL, "false", "new VHDs are sparse"),
	KEY("experimental", "bestEffortDnsParsing", KT_BOOL, "false", "lenient DNS tunnelling"),
	KEY("experimental", "dnsTunnelingIpAddress", KT_IPV4, "10.255.255.254",
	    "nameserver address with DNS tunnelling (invalid: tunnelling off)"),
	KEY("experimental", "initialAutoProxyTimeout", KT_INT, "1000", "ms to wait for the proxy"),
	KEY("experimental", "ignoredPorts", KT_LIST, "", "ports mirrored networking leaves alone"),
	KEY("experimental", "hostAddressLoopback", KT_BOOL, "false", "reach the host by its address"),
	KEY("experimental", "setVersionDebug", KT_BOOL, "false", "debug wsl --set-version"),
	KEYF("experimental", "swiotlb", KT_SIZE, "0", KF_ZERO_IS_AUTO,
	     "SWIOTLB bounce buffer; 0: sized by WSL"),
	KEY("experimental", "virtioFsAggregateShares", KT_BOOL, "true", "one virtiofs device for all drives"),
	OLD("networkingMode", KT_ENUM, "Nat", networking_modes, "wsl2.networkingMode"),
	OLD("dnsTunneling", KT_BOOL, "true", NULL, "wsl2.dnsTunneling"),
	OLD("firewall", KT_BOOL, "true", NULL, "wsl2.firewall"),
	OLD("autoProxy", KT_BOOL, "true", NULL, "wsl2.autoProxy"),

	KEY("general", "distributionInstallPath", KT_PATH, NULL, "where new distributions go"),
	KEY("general", "instanceIdleTimeout", KT_INT, "15000", "ms idle before a distribution stops"),
	{ 0 }
};

static const struct wslkey wslconf_keys[] = {
	KEY("automount", "enabled", KT_BOOL, "true", "mount Windows drives"),
	KEY("automount", "root", KT_STRING, "/mnt/", "where drives are mounted"),
	KEY("automount", "options", KT_STRING, "", "drvfs mount options"),
	KEY("automount", "mountFsTab", KT_BOOL, "true", "mount /etc/fstab at start"),
	KEY("automount", "ldconfig", KT_BOOL, "true", "add Windows' GPU libraries to ld.so"),
	ENUMKEY("automount", "cgroups", cgroup_versions, "v2", "cgroup version"),
	KEY("filesystem", "umask", KT_INT, "022", "umask of every process"),
	KEY("interop", "enabled", KT_BOOL, "true", "run Windows programs"),
	KEY("interop", "appendWindowsPath", KT_BOOL, "true", "append Windows' PATH"),
	KEY("network", "generateHosts", KT_BOOL, "true", "write /etc/hosts"),
	KEY("network", "generateResolvConf", KT_BOOL, "true", "write /etc/resolv.conf"),
	KEY("network", "hostname", KT_STRING, NULL, "host name; default: Windows' host name"),
	KEY("time", "useWindowsTimezone", KT_BOOL, "true", "follow Windows' time zone"),
	KEY("fileServer", "enabled", KT_BOOL, "true", "the 9p file server for \\\\wsl$"),
	KEY("fileServer", "logFile", KT_STRING, "", "9p server log file"),
	KEY("fileServer", "logLevel", KT_INT, "4", "9p server log level"),
	KEY("fileServer", "logTruncate", KT_BOOL, "true", "truncate the 9p log at start"),
	KEY("gpu", "enabled", KT_BOOL, "true", "GPU access"),
	KEY("gpu", "appendLibPath", KT_BOOL, "true", "add the GPU library path"),
	KEY("user", "default", KT_STRING, NULL, "default user; default: the one set at install"),
	KEY("boot", "command", KT_STRING, "", "command run at start"),
	KEY("boot", "systemd", KT_BOOL, "false", "boot systemd"),
	KEY("boot", "initTimeout", KT_INT, "10000", "ms systemd may take to start"),
	KEY("boot", "protectBinfmt", KT_BOOL, "true", "keep WSL's binfmt entry from systemd"),
	KEY("general", "guiApplications", KT_BOOL, "true", "GUI applications (WSLg)"),
	{ 0 }
};

const struct wslkey *wslkeys_table(enum wslconf_kind kind)
{
	return kind == WSLCONF_WSLCONF ? wslconf_keys : wslconfig_keys;
}

const struct wslkey *wslkeys_find(enum wslconf_kind kind, const char *section, const char *name)
{
	if (!section || !name)
		return NULL;
	for (const struct wslkey *k = wslkeys_table(kind); k->name; k++)
		if (!strcasecmp(k->section, section) && !strcasecmp(k->name, name))
			return k;
	return NULL;
}

const struct wslkey *wslkeys_lookup(enum wslconf_kind kind, const char *dotted)
{
	const char *dot;
	size_t len;

	if (!dotted || !(dot = strchr(dotted, '.')))
		return NULL;
	/* Compared in place: a section of any length is looked up, never cut. */
	len = (size_t)(dot - dotted);
	for (const struct wslkey *k = wslkeys_table(kind); k->name; k++)
		if (strlen(k->section) == len && !strncasecmp(k->section, dotted, len) &&
		    !strcasecmp(k->name, dot + 1))
			return k;
	return NULL;
}

const struct wslkey *wslkeys_canonical(enum wslconf_kind kind, const struct wslkey *k)
{
	const struct wslkey *c;

	if (!k || !k->same_as)
		return k;
	c = wslkeys_lookup(kind, k->same_as);
	return c ? c : k;
}

int wslkeys_spellings(enum wslconf_kind kind, const struct wslkey *k,
		      const struct wslkey **out, int max)
{
	const struct wslkey *canon = wslkeys_canonical(kind, k);
	char dotted[128];
	int n = 0;

	if (!canon || max <= 0)
		return 0;
	out[n++] = canon;
	wslkeys_dotted(canon, dotted, sizeof(dotted));
	for (const struct wslkey *o = wslkeys_table(kind); o->name && n < max; o++)
		if (o->same_as && !strcasecmp(o->same_as, dotted))
			out[n++] = o;
	return n;
}

const char *wslkeys_dotted(const struct wslkey *k, char *buf, size_t n)
{
	snprintf(buf, n, "%s.%s", k->section, k->name);
	return buf;
}

const char *wslkeys_type_name(enum wslkey_type t)
{
	static const char *const names[] = {
		[KT_BOOL] = "bool", [KT_INT] = "int", [KT_SIZE] = "size",
		[KT_STRING] = "string", [KT_PATH] = "path", [KT_ENUM] = "enum",
		[KT_MAC] = "mac", [KT_IPV4] = "ipv4", [KT_LIST] = "list",
	};

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "string";
}

enum wslconf_kind wslkeys_kind_for_path(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path;
	return base && !strcmp(base, "wsl.conf") ? WSLCONF_WSLCONF : WSLCONF_WSLCONFIG;
}

/* ---- value rules ---- */

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcasecmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "0") || !strcasecmp(v, "false"))
		*out = false;
	else
		return -1;
	return 0;
}

/*
 * strtol(v, &end, 0) with a value that is then stored in an int. On Windows
 * long is 32 bits, so strtol itself saturates and the int check never fires;
 * on Linux long is 64 bits and the int check rejects what does not fit.
 * Like WSL, errno is not looked at. glibc 2.38+ also reads a 0b prefix; the C
 * libraries WSL uses stop at the b.
 */
static int parse_int(enum wslconf_kind kind, const char *v, long long *out)
{
	const char *p = v;
	long long n;
	char *end;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		p++;
	if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		return -1;
	n = strtoll(v, &end, 0);
	if (*v == '\0' || *end != '\0')
		return -1;
	if (kind == WSLCONF_WSLCONFIG) {
		if (n > INT32_MAX)
			n = INT32_MAX;
		else if (n < INT32_MIN)
			n = INT32_MIN;
	} else if (n > INT_MAX || n < INT_MIN) {
		return -1;
	}
	*out = n;
	return 0;
}

/*
 * WSL's memory-size rule: strtoull base 10 (leading blanks and a sign are
 * accepted, overflow saturates, "-1" wraps to the largest value), a zero must
 * be exactly one "0", then nothing or one uppercase unit. The product wraps
 * like WSL's 64-bit multiplication.
 */
static int parse_size(const char *v, uint64_t *out)
{
	static const struct { const char *unit; unsigned shift; } units[] = {
		{ "B", 0 }, { "K", 10 }, { "KB", 10 }, { "M", 20 }, { "MB", 20 },
		{ "G", 30 }, { "GB", 30 }, { "T", 40 }, { "TB", 40 },
	};
	unsigned long long n;
	char *end;

	n = strtoull(v, &end, 10);
	if (n == 0 && (v[0] != '0' || end != v + 1))
		return -1;
	if (*end == '\0') {
		*out = n;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			*out = (uint64_t)n << units[i].shift;
			return 0;
		}
	return -1;
}

/* The index of V among the enum's values, compared case-insensitively. */
static int parse_enum(const struct wslkey *k, const char *v)
{
	for (int i = 0; k->enum_values && k->enum_values[i]; i++)
		if (!strcasecmp(k->enum_values[i], v))
			return i;
	return -1;
}

/* Six hex pairs, separated all by ':' or all by '-' (the third character decides). */
static int parse_mac(const char *v, unsigned char mac[6])
{
	char sep;

	if (strlen(v) != 17)
		return -1;
	sep = v[2];
	if (sep != ':' && sep != '-')
		return -1;
	for (int i = 0; i < 6; i++) {
		int hi = hexval((unsigned char)v[3 * i]), lo = hexval((unsigned char)v[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && v[3 * i + 2] != sep))
			return -1;
		mac[i] = (unsigned char)(hi * 16 + lo);
	}
	return 0;
}

/*
 * One port of ignoredPorts, read as std::stoi does: leading blanks and a
 * sign, decimal digits, anything after them ignored; then 1..65535.
 */
static int parse_port(const char *entry, size_t len, long *out)
{
	char buf[64], *end;
	long n;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, entry, len);
	buf[len] = '\0';
	errno = 0;
	n = strtol(buf, &end, 10);
	if (end == buf || errno == ERANGE || n < INT32_MIN || n > INT32_MAX)
		return -1;
	if (n <= 0 || n > 65535)
		return -1;
	*out = n;
	return 0;
}

static int add_problem(struct wslkey_problem *probs, int max, int n, const char *code,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int add_problem(struct wslkey_problem *probs, int max, int n, const char *code,
		       const char *fmt, ...)
{
	va_list ap;

	if (n >= max || !probs)
		return n + 1;
	probs[n].code = code;
	va_start(ap, fmt);
	vsnprintf(probs[n].message, sizeof(probs[n].message), fmt, ap);
	va_end(ap);
	return n + 1;
}

static void enum_list(const struct wslkey *k, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; k->enum_values[i] && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "",
					k->enum_values[i]);
}

static const char *default_words(const struct wslkey *k)
{
	return k->def ? k->def : "the machine's default";
}

int wslkeys_check(enum wslconf_kind kind, const struct wslkey *k, const char *value,
		  struct wslkey_problem *probs, int max)
{
	char key[128], list[128];
	unsigned char mac[6];
	struct in_addr ip;
	long long i;
	uint64_t sz;
	bool b;
	int n = 0;

	if (!k || !value)
		return 0;
	wslkeys_dotted(k, key, sizeof(key));
	switch (k->type) {
	case KT_BOOL:
		if (parse_bool(value, &b) < 0)
			n = add_problem(probs, max, n, "invalid-bool",
					"'%s' is not a boolean for %s: write true or false "
					"(WSL keeps %s)", value, key, default_words(k));
		break;
	case KT_INT:
		if (parse_int(kind, value, &i) < 0)
			n = add_problem(probs, max, n, "invalid-int",
					"'%s' is not an integer for %s: write a whole number "
					"such as 5000 (0x/0 prefixes mean hex/octal; WSL keeps %s)",
					value, key, default_words(k));
		break;
	case KT_SIZE:
		if (parse_size(value, &sz) < 0)
			n = add_problem(probs, max, n, "invalid-size",
					"'%s' is not a size for %s: write a whole number with an "
					"optional uppercase unit, no space, e.g. 8GB or 512MB "
					"(WSL keeps %s)", value, key, default_words(k));
		break;
	case KT_ENUM:
		if (parse_enum(k, value) < 0) {
			enum_list(k, list, sizeof(list));
			n = add_problem(probs, max, n, "invalid-enum",
					"'%s' is not a valid value for %s: use one of %s "
					"(WSL keeps %s)", value, key, list, default_words(k));
		}
		break;
	case KT_MAC:
		if (parse_mac(value, mac) < 0)
			n = add_problem(probs, max, n, "invalid-mac",
					"'%s' is not a MAC address for %s: write six hex pairs "
					"such as 00:15:5D:01:02:03 (WSL will not start with this)",
					value, key);
		break;
	case KT_IPV4:
		if (inet_pton(AF_INET, value, &ip) != 1)
			n = add_problem(probs, max, n, "invalid-ip",
					"'%s' is not an IPv4 address for %s: write a dotted quad "
					"such as 10.255.255.254 (WSL turns DNS tunnelling off)",
					value, key);
		break;
	case KT_LIST:
		for (const char *p = value; *p;) {
			size_t len = strcspn(p, ",");
			long port;

			if (len && parse_port(p, len, &port) < 0)
				n = add_problem(probs, max, n, "invalid-int",
						"'%.*s' in %s is not a port: write port numbers "
						"1-65535 separated by commas (WSL skips this one)",
						(int)len, p, key);
			p += len;
			if (*p == ',')
				p++;
		}
		break;
	case KT_STRING:
	case KT_PATH:
		break;
	}
	return n;
}

static json_t *size_json(const struct wslkey *k, uint64_t v)
{
	if (k->flags & KF_ZERO_IS_AUTO && v == 0)
		return json_null();
	if (k->flags & KF_MAX_IS_AUTO && v == UINT64_MAX)
		return json_null();
	if (k->flags & KF_MIN_256M && v < (256ULL << 20))
		v = 256ULL << 20;
	/* Beyond what JSON integers carry WSL clamps to the machine anyway. */
	if (v > INT64_MAX)
		return json_null();
	return json_integer((json_int_t)v);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The set of valid ports, sorted and without repeats, as WSL keeps them. */
static json_t *ports_json(const char *value)
{
	size_t count = 0, cap = strlen(value) / 2 + 1;
	long *ports = malloc(cap * sizeof(*ports));
	json_t *arr = json_array();

	if (!ports || !arr) {
		free(ports);
		json_decref(arr);
		return NULL;
	}
	for (const char *p = value; *p;) {
		size_t len = strcspn(p, ",");
		long port;

		if (len && count < cap && parse_port(p, len, &port) == 0)
			ports[count++] = port;
		p += len;
		if (*p == ',')
			p++;
	}
	qsort(ports, count, sizeof(*ports), cmp_long);
	for (size_t j = 0; j < count; j++)
		if (j == 0 || ports[j] != ports[j - 1])
			json_array_append_new(arr, json_integer(ports[j]));
	free(ports);
	return arr;
}

/* The typed value of a value that passed wslkeys_check, or NULL when it did not. */
static json_t *typed(enum wslconf_kind kind, const struct wslkey *k, const char *v)
{
	unsigned char mac[6];
	char buf[18];
	long long i;
	uint64_t sz;
	bool b;
	int e;

	switch (k->type) {
	case KT_BOOL:
		return parse_bool(v, &b) < 0 ? NULL : json_boolean(b);
	case KT_INT:
		if (parse_int(kind, v, &i) < 0)
			return NULL;
		if (k->flags & KF_ZERO_IS_AUTO && i <= 0)
			return json_null();
		return json_integer(i);
	case KT_SIZE:
		return parse_size(v, &sz) < 0 ? NULL : size_json(k, sz);
	case KT_ENUM:
		e = parse_enum(k, v);
		if (e < 0)
			return NULL;
		/* VirtioProxy is the old name of Consomme: WSL reports the new one. */
		if (!strcmp(k->enum_values[e], "VirtioProxy"))
			return json_string("Consomme");
		return json_string(k->enum_values[e]);
	case KT_MAC:
		if (parse_mac(v, mac) < 0)
			return NULL;
		snprintf(buf, sizeof(buf), "%02X:%02X:%02X:%02X:%02X:%02X",
			 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
		return json_string(buf);
	case KT_IPV4:
		return wslkeys_check(kind, k, v, NULL, 0) ? NULL : json_string(v);
	case KT_LIST:
		return ports_json(v);
	case KT_STRING:
	case KT_PATH:
		break;
	}
	/* Bytes that are not UTF-8 still make a value (WSL mangles them; jansson would refuse). */
	return textenc_json(v, strlen(v));
}

json_t *wslkeys_effective(enum wslconf_kind kind, const struct wslkey *k, const char *value)
{
	json_t *j;

	if (!k)
		return json_null();
	if (value && (j = typed(kind, k, value)))
		return j;
	/* Absent or rejected: WSL uses its default. */
	if (!k->def)
		return json_null();
	j = typed(kind, k, k->def);
	return j ? j : json_null();
}

/* ---- "did you mean" ---- */

const char *wslkeys_suggest(enum wslconf_kind kind, const char *dotted, char *buf, size_t n)
{
	const struct wslkey *best = NULL;
	size_t best_d, len, seclen;
	const char *dot, *name;
	char cand[128];

	if (!dotted || !n)
		return NULL;
	dot = strchr(dotted, '.');
	name = dot ? dot + 1 : dotted;
	seclen = dot ? (size_t)(dot - dotted) : 0;
	len = strlen(name);
	/* A suggestion must beat this; farther ones are not worth computing exactly. */
	best_d = (len < 9 ? 2 : len / 4 + 1) + 1;
	for (const struct wslkey *k = wslkeys_table(kind); k->name && best_d; k++) {
		size_t d;

		if (k->same_as)
			continue;
		d = suggest_distance(name, k->name, best_d - 1, true);
		/*
		 * "virtiofs" alone is compared with key names; "wsl2.virtiofz" with
		 * full names, and a right name in the wrong section
		 * ("wsl2.sparseVhd") costs one edit.
		 */
		if (dot) {
			const char *full_name = wslkeys_dotted(k, cand, sizeof(cand));
			size_t full = suggest_distance(dotted, full_name, best_d - 1, true);
			bool same_sec = strlen(k->section) == seclen &&
					!strncasecmp(k->section, dotted, seclen);

			d += !same_sec;
			if (full < d)
				d = full;
		}
		if (d < best_d) {
			best_d = d;
			best = k;
		}
	}
	return best ? wslkeys_dotted(best, buf, n) : NULL;
}
