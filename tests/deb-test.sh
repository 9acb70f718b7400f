#!/bin/sh
# SPDX-License-Identifier: MIT
# make deb-test: the built .deb, unpacked into a scratch root (dpkg-deb -x), runs from
# there; its binaries link only Debian's shared libraries; lintian has nothing to say.
# usage: deb-test.sh DIR   (DIR holds wslctl_*.deb, as make deb leaves it)
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
WSLCTL=/nonexistent
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/installed.sh"
export WSLCTL_CMD_EXE="$T/no-cmd.exe" WSLCTL_WSL_EXE="$T/no-wsl.exe"

deb=$(ls "$1"/wslctl_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "deb-test: no wslctl_*.deb in $1 (run make deb)" >&2; exit 1; }
results="$T/results"
{
	dpkg-deb -x "$deb" "$T/root" && ok "dpkg-deb -x $(basename "$deb")" || not_ok "dpkg-deb -x failed"
	check_installed "$T/root" deb

	version=$(dpkg-deb -f "$deb" Version)
	run --version
	expect_out "wslctl $version" "the package version is the tool's"
	depends=$(dpkg-deb -f "$deb" Depends)
	for lib in libc6 libcurl4 libarchive13 libinih1 libjansson4 libssl3 zlib1g; do
		expect_contains "$depends" "$lib" "Depends names $lib (from shlibs)"
	done

	# wslctl must not pay for the network and archive libraries; wslctl-net has them.
	core=$(ldd "$T/root/usr/bin/wslctl")
	net=$(ldd "$T/root/usr/libexec/wslctl/wslctl-net")
	case "$core$net" in *"not found"*) not_ok "unresolved libraries: $core $net" ;;
	*) ok "every library of wslctl and wslctl-net resolves" ;; esac
	for lib in libcurl libarchive libcrypto; do
		case "$core" in *"$lib"*) not_ok "wslctl links $lib" ;;
		*) ok "wslctl does not link $lib" ;; esac
		expect_contains "$net" "$lib" "wslctl-net links the system's $lib"
	done
	if printf '%s\n%s\n' "$core" "$net" | grep '=>' | grep -v '=> /\(usr/\)\?lib' >"$T/odd"; then
		not_ok "libraries from outside the system dirs: $(cat "$T/odd")"
	else
		ok "all libraries come from the system's /lib and /usr/lib"
	fi
	for b in usr/bin/wslctl usr/libexec/wslctl/wslctl-net; do
		if readelf -d "$T/root/$b" | grep -q 'RPATH\|RUNPATH'; then not_ok "$b has an RPATH"
		else ok "$b has no RPATH"; fi
		if readelf -d "$T/root/$b" | grep -q 'BIND_NOW'; then ok "$b is linked with -z now (hardening)"
		else not_ok "$b lacks BIND_NOW: Debian's LDFLAGS were not used"; fi
	done

	if lintian --fail-on error,warning "$deb" >"$T/lintian" 2>&1; then
		ok "lintian: no errors or warnings"
	else
		not_ok "lintian: $(cat "$T/lintian")"
	fi
} >"$results"
cat "$results"
pass=$(grep -c '^ok ' "$results")
fail=$(grep -c '^not ok ' "$results")
echo "deb-test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
