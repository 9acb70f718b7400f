#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages a make target needs, when they are missing.
# usage: deps.sh [--check] build|test|run|bench|deb|kernel|fuzz|stress ...   (groups add up)
# Runs apt-get as root, or through sudo otherwise. Prints nothing when all is there.
# --check installs nothing: it names what is missing and how to get it, and fails (plain make).
set -eu
check=""
if [ "${1:-}" = "--check" ]; then check=1; shift; fi

pkgs_build="build-essential pkg-config libcurl4-openssl-dev libarchive-dev libinih-dev
	libjansson-dev libssl-dev zlib1g-dev scdoc"
# Tests: cmocka; python3 serves loopback HTTP(S); openssl makes the test CA;
# patch and make drive fake kernel trees; e2fsprogs/qemu-utils make modules.vhd;
# distcc is the distributed compiler the build test starts on 127.0.0.1;
# bash-completion and zsh run the shell completions as a user's shell would; groff
# renders the man page; binutils' strings and strace look into the installed binaries.
# tmux shows bench --compare's chart in a real terminal.
pkgs_test="libcmocka-dev python3 openssl patch make e2fsprogs qemu-utils distcc strace
	bash-completion zsh groff-base binutils tmux"
# make run: python3 serves the demo's loopback update feed.
pkgs_run="python3"
# Benchmarks compare against what a user would otherwise run (fio: the reference for
# bench seq, bench/bench_io.sh).
pkgs_bench="git crudini hyperfine curl libarchive-tools coreutils time fio"
# make fuzz and the quick fuzz pass of make check: libFuzzer with ASan+UBSan;
# make stress: valgrind for the e2e suite under memcheck.
pkgs_fuzz="clang-14 libclang-rt-14-dev"
pkgs_stress="valgrind strace"
# make deb / deb-test: Debian's packaging tools and the package checker.
pkgs_deb="debhelper dpkg-dev fakeroot lintian"
# make kernel-test: Debian's 6.12 source, its build needs, QEMU and virtiofsd.
pkgs_kernel="flex bison bc cpio libelf-dev libssl-dev dwarves kmod busybox-static
	qemu-system-x86 qemu-system-common xz-utils python3-ply python3-git"

want=""
for group in "$@"; do
	eval "want=\"\$want \$pkgs_$group\""
done

# Without dpkg (not Debian), only the build group can be checked: by pkg-config and PATH.
if ! command -v dpkg-query >/dev/null 2>&1; then
	[ -n "$check" ] || { echo "deps.sh: not a Debian system; install the equivalents of:$want" >&2; exit 1; }
	case " $* " in *" build "*) ;; *) exit 0 ;; esac
	gone=""
	for c in cc pkg-config scdoc; do command -v $c >/dev/null 2>&1 || gone="$gone $c"; done
	if command -v pkg-config >/dev/null 2>&1; then
		for m in inih jansson zlib libcurl libarchive libcrypto; do
			pkg-config --exists $m || gone="$gone $m"
		done
	fi
	[ -z "$gone" ] && exit 0
	echo "make: missing:$gone (Debian names: $pkgs_build)" >&2
	exit 1
fi

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ -n "$check" ]; then
	echo "make: missing Debian packages:$missing" >&2
	echo "make: 'make deps' installs them (apt-get, through sudo when not root)," \
		"as 'make check' and 'make run' do" >&2
	exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: please install:$missing" >&2
	exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps.sh: need root or sudo to install:$missing" >&2
	exit 1
fi
echo "deps.sh: installing:$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
