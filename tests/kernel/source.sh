# SPDX-License-Identifier: MIT
# Sourced by tests/kernel/kernel-test.sh and bench/kernel_build.sh: Debian's 6.12 kernel
# source, installed and unpacked once. The caller sets PRISTINE (the unpacked tree) and
# TREE (a fresh hard-linked copy to patch), and defines die().
SRC_PKG=linux-source-6.12
TARBALL=/usr/src/linux-source-6.12.tar.xz

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# linux-source-6.12 is only in bookworm-security: add that suite when apt lacks it.
ensure_source_pkg() {
	if dpkg-query -W -f='${Status}\n' "$SRC_PKG" 2>/dev/null | grep -q "ok installed" &&
		[ -f "$TARBALL" ]; then
		return 0
	fi
	if ! grep -rqs "bookworm-security" /etc/apt/sources.list /etc/apt/sources.list.d/; then
		echo "adding the bookworm-security suite for $SRC_PKG"
		echo "deb http://deb.debian.org/debian-security bookworm-security main" |
			as_root tee /etc/apt/sources.list.d/wslctl-bookworm-security.list >/dev/null
	fi
	as_root apt-get update -qq || die "apt-get update failed"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "$SRC_PKG" >/dev/null || die "cannot install $SRC_PKG"
	[ -f "$TARBALL" ] || die "$SRC_PKG is installed but $TARBALL is missing"
}

# The tarball is unpacked once (keyed by its version); each run patches a fresh
# hard-linked copy, so GNU patch (which replaces files) never touches the pristine one.
unpack_source() {
	stamp=$(dpkg-query -W -f='${Version}' "$SRC_PKG")
	if [ "$(cat "$PRISTINE.stamp" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$PRISTINE" "$PRISTINE.tmp"
		mkdir -p "$PRISTINE.tmp"
		tar -xf "$TARBALL" -C "$PRISTINE.tmp" --strip-components=1 ||
			die "cannot unpack $TARBALL"
		mv "$PRISTINE.tmp" "$PRISTINE"
		echo "$stamp" >"$PRISTINE.stamp"
	fi
	rm -rf "$TREE"
	cp -al "$PRISTINE" "$TREE" || die "cannot copy $PRISTINE"
	echo "kernel source: $SRC_PKG $stamp ($(make -s -C "$TREE" kernelversion))"
}
