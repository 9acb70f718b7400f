# SPDX-License-Identifier: MIT
# Sourced by tests/e2e/package.sh and tests/deb-test.sh after lib.sh: checks a tree
# that holds an installed wslctl (ROOT/usr/bin/wslctl and the rest, as PREFIX=/usr
# lays them out) and runs it from there, where /usr/share/wslctl does not exist.
# usage: check_installed ROOT NAME   (NAME prefixes the test names)
check_installed() {
	r=$(realpath "$1") n=$2
	for f in usr/bin/wslctl usr/libexec/wslctl/wslctl-net \
		usr/share/bash-completion/completions/wslctl \
		usr/share/wslctl/kernel-config/swiotlb-pool.config; do
		if [ -f "$r/$f" ]; then ok "$n: /$f installed"; else not_ok "$n: /$f missing"; fi
	done
	if ls "$r"/usr/share/man/man1/wslctl.1* >/dev/null 2>&1; then ok "$n: man page installed"
	else not_ok "$n: no man page in /usr/share/man/man1"; fi
	if ls "$r"/usr/share/zsh/*/_wslctl >/dev/null 2>&1; then ok "$n: zsh completion installed"
	else not_ok "$n: no zsh completion under /usr/share/zsh"; fi

	WSLCTL="$r/usr/bin/wslctl"
	run --version
	expect_rc 0 "$n: installed wslctl --version runs"
	expect_out "wslctl $(sed -n "1s/^[^(]*(\\([^)]*\\)).*/\\1/p" "$TESTS_DIR/../packaging/debian/changelog")" \
		"$n: --version is the Makefile's VERSION"

	# A machine whose kernel.config fails only when the installed fragments are read
	# (without them the check is skipped); strace shows where they were read from.
	F="$TESTS_DIR/fixtures/check/pci-hyperv-m"
	strace -f -qq -e trace=openat,execve -o "$T/$n.trace" \
		"$WSLCTL" --json check --root "$F" >"$T/.out" 2>"$T/.err"
	rc=$? out=$(cat "$T/.out") err=$(cat "$T/.err")
	expect_rc 1 "$n: check --root pci-hyperv-m exits 1 (PCI_HYPERV=m, no pool)"
	expect_contains "$out" '"id":"kernel.config","status":"fail"' \
		"$n: kernel.config was judged against the installed fragments"
	expect_contains "$out" 'PCI_HYPERV' "$n: kernel.config names the wrong option"
	data=$(realpath "$r/usr/share/wslctl")
	if grep -q "\"$data/kernel-config/swiotlb-pool.config\"" "$T/$n.trace"; then
		ok "$n: the fragments were read from the installed /usr/share/wslctl"
	else
		not_ok "$n: no fragment opened under $data: $(grep kernel-config "$T/$n.trace" | head -3)"
	fi

	# A network command runs the installed wslctl-net, which gets the same data dir.
	strace -f -qq -e trace=execve -o "$T/$n.exec" \
		"$WSLCTL" --json kernel list --home "$T/$n-store" >"$T/.out" 2>"$T/.err"
	rc=$? out=$(cat "$T/.out") err=$(cat "$T/.err")
	expect_rc 0 "$n: kernel list through the installed wslctl-net exits 0"
	expect_contains "$out" '"ok":true' "$n: kernel list answers a JSON object"
	if grep -q "execve(\"$r/usr/bin/../libexec/wslctl/wslctl-net\"" "$T/$n.exec"; then
		ok "$n: wslctl ran the installed wslctl-net"
	else
		not_ok "$n: wslctl-net not run from $r: $(grep execve "$T/$n.exec" | tr '\n' ' ')"
	fi
}
