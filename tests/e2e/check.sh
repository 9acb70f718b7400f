# SPDX-License-Identifier: MIT
# wslctl check: every fixture machine under tests/fixtures/check/<machine>/ against its
# `expect` file (exit code and the status of every check id), then the options, the
# output forms, bad input and this machine's real /proc and /sys.
. "$TESTS_DIR/lib.sh"

F="$TESTS_DIR/fixtures/check"
FAKE_WSL="$F/wsl-exe/wsl.exe"
# kernel-config/ of this tree; no interop (cmd.exe) and no cache from the developer's machine.
export WSLCTL_DATA_DIR="$TESTS_DIR/.." WSLCTL_CMD_EXE="$T/no-cmd.exe" XDG_CACHE_HOME="$T/cache"
unset WSL_FAKE_OUTPUT WSL_FAKE_EXIT WSL_FAKE_SLEEP WSL_DISTRO_NAME

# statuses FILE: "id status" lines (and "exit N") from a check --json object on stdin.
statuses() {
	python3 -c '
import json, sys
o = json.load(sys.stdin)
assert set(o) >= {"ok", "kernel", "checks"}, o.keys()
assert set(o["kernel"]) >= {"release", "version"}
for c in o["checks"]:
    assert set(c) >= {"id", "status", "detail", "fix"}, c
    assert c["detail"], c
    if c["fix"] is not None:
        assert c["status"] in ("fail", "warn"), "a fix on a %s: %s" % (c["status"], c)
    if c["status"] == "fail":
        assert c["fix"], "fail without a fix: %s" % c
    print(c["id"], c["status"])
'
}

for expect in "$F"/*/expect; do
	m=$(basename "$(dirname "$expect")")
	host=$(sed -n 's/^host //p' "$expect")
	wslconfig=$(sed -n 's/^wslconfig //p' "$expect")
	want_exit=$(sed -n 's/^exit //p' "$expect")
	set -- --json --root "$F/$m"
	[ -n "$wslconfig" ] && set -- "$@" --wslconfig "$F/wslconfig/$wslconfig"
	if [ -n "$host" ]; then
		# "host FILE [EXIT]": wsl.exe prints FILE and exits with EXIT.
		export WSLCTL_WSL_EXE="$FAKE_WSL" WSL_FAKE_OUTPUT="${host%% *}"
		case "$host" in *" "*) export WSL_FAKE_EXIT="${host#* }" ;; *) unset WSL_FAKE_EXIT ;; esac
	else
		export WSLCTL_WSL_EXE="$T/no-wsl.exe"
	fi
	run check "$@"
	expect_rc "$want_exit" "$m: exit $want_exit"
	printf '%s' "$out" | statuses >"$T/got" 2>"$T/py.err"
	grep -E '^[a-z0-9]+\.[a-z0-9.]+ ' "$expect" >"$T/want"
	if cmp -s "$T/want" "$T/got"; then
		ok "$m: every check id has its expected status"
	else
		not_ok "$m: statuses differ: $(diff "$T/want" "$T/got" | tr '\n' ' ') $(cat "$T/py.err")"
	fi
done
unset WSL_FAKE_EXIT

W="$F/wsl-2.9-pool"
export WSLCTL_WSL_EXE="$FAKE_WSL" WSL_FAKE_OUTPUT=en-2.9.4-bom.out

# The text table: each failure with its fix, skips with their reason.
run check --root "$F/wsl-6.6-9p" --wslconfig "$F/wslconfig/off.wslconfig"
expect_rc 1 "text: a failing machine exits 1"
expect_contains "$out" "FAIL  kernel.version" "text: failures are marked FAIL"
expect_contains "$out" "fix: wslctl update --pre-release" "text: a failure shows the command that fixes it"
expect_contains "$out" "fix: wslctl enable virtiofs" "text: the wslconfig failure says to enable virtiofs"
expect_contains "$out" "skip  swiotlb.usage        no dedicated pool" "text: a skip says why"
case "$out" in *"$(printf '\033')"*) not_ok "text: no colour when stdout is not a TTY" ;; *) ok "text: no colour when stdout is not a TTY" ;; esac

# On a terminal: colour, unless NO_COLOR or --no-color (script(1) gives us a TTY).
if command -v script >/dev/null 2>&1; then
	esc=$(printf '\033')
	# on_tty ENV-ARG [OPTION]: check on the 6.6 machine with stdout on a pseudo-terminal.
	on_tty() {
		env "$1" script -qc "\"$WSLCTL\" check ${2:-} --root \"$F/wsl-6.6-9p\"" /dev/null 2>&1 </dev/null
	}
	o=$(on_tty -uNO_COLOR)
	expect_contains "$o" "${esc}[31mFAIL${esc}[0m" "tty: FAIL in red"
	o=$(on_tty NO_COLOR=1)
	case "$o" in *"$esc["*) not_ok "tty: NO_COLOR turns colour off" ;; *) ok "tty: NO_COLOR turns colour off" ;; esac
	o=$(on_tty -uNO_COLOR --no-color)
	case "$o" in *"$esc["*) not_ok "tty: --no-color turns colour off" ;; *) ok "tty: --no-color turns colour off" ;; esac
fi

# kernel objects and facts in JSON.
run --json check --root "$W"
expect_contains "$out" '"kernel":{"release":"6.18.35.2-microsoft-standard-WSL2","version":"6.18.35.2"' \
	"json: kernel release and version"
printf '%s' "$out" | python3 -m json.tool >/dev/null 2>&1 && ok "json: --json before the command is valid JSON" ||
	not_ok "json: --json before the command is valid JSON ($out)"
a=$out
run check --root "$W" --json
expect_out "$a" "json: --json after the command gives the same object"
case "$err" in *"pass  wsl.kernel"*) ok "json: the table goes to stderr" ;; *) not_ok "json: the table goes to stderr ($err)" ;; esac

# Off WSL the fixes change: the kernel side is built, the rest needs WSL itself.
run check --json --root "$F/not-wsl"
expect_contains "$out" '"id":"kernel.version","status":"fail","detail":"custom kernel 6.1.0-28-amd64 (not N.N.N.N-microsoft-standard-WSL2): only a published pool shows it has one, and none is","fix":"wslctl build"' \
	"not WSL: the kernel fix is wslctl build"
expect_contains "$out" '"id":"virtiofs.mounted","status":"fail","detail":"no virtiofs mount in /proc/self/mountinfo","fix":"run it inside a WSL 2 distribution' \
	"not WSL: a mount needs WSL"
run check --json --root "$F/wsl1"
expect_contains "$out" '"id":"swiotlb.pool","status":"fail","detail":"not published: no VMBus, so no hv_pci bus (not a Hyper-V guest, or WSL 1)","fix":"wsl.exe --set-version <distro> 2"' \
	"WSL 1: every kernel fix is to convert the distribution"
# VMBus without the hv_pci driver: a kernel whose PCI_HYPERV is missing or not loaded.
cp -R "$F/wsl-6.6-9p" "$T/no-hv-pci"
rm -rf "$T/no-hv-pci/sys/bus/vmbus/drivers/hv_pci"
run check --json --root "$T/no-hv-pci"
expect_contains "$out" '"id":"swiotlb.pool","status":"fail","detail":"not published: no hv_pci driver (PCI_HYPERV missing or a module)"' \
	"VMBus without hv_pci: the driver is named as missing"

# kernel.config lists every option with its state.
run check --json --root "$F/pci-hyperv-m"
expect_contains "$out" '{"name":"PCI_HYPERV","state":"=m","need":"y","ok":false}' "kernel.config: PCI_HYPERV=m is named, needs y"
expect_contains "$out" '{"name":"VIRTIO_FS","state":"=m","need":"y|m","ok":true}' "kernel.config: VIRTIO_FS=m is allowed"
expect_contains "$out" 'PCI_HYPERV=m (needs y)' "kernel.config: the detail names the option and what it needs"
run check -v --root "$F/wsl-6.6-9p"
expect_contains "$out" "ok  CONFIG_PCI_HYPERV=y (needs y)" "kernel.config: -v lists the options"

# --require narrows what must pass; a skipped required check could not be verified.
run check --root "$F/virtiofs-off" --require swiotlb.pool,kernel.version
expect_rc 0 "--require: other failures do not count"
expect_contains "$out" "every required check passed" "--require: the summary says so"
run check --json --root "$F/virtiofs-off" --require swiotlb.pool --require virtiofs.mounted
expect_rc 1 "--require: a required failure exits 1 (repeatable option)"
expect_contains "$out" '"required":["virtiofs.mounted","swiotlb.pool"]' "--require: listed in JSON"
expect_contains "$out" '"ok":false' "--require: ok false"
run check --root "$W" --require swiotlb.usage
expect_rc 1 "--require: a skipped required check counts as failed"
expect_contains "$out" "could not be verified" "--require: says it could not verify"
run check --json --root "$W" --require bogus.check
expect_rc 2 "--require: an unknown id is a usage error"
expect_contains "$out" '"code":"usage"' "--require: the usage error is the JSON error object"
expect_contains "$out" "wsl.kernel, kernel.version" "--require: the error lists the ids"
run check --root "$W" --require ""
expect_rc 2 "--require: an empty list is a usage error"
run check extra --root "$W"
expect_rc 2 "check takes no arguments"

# wsl.host: localised labels, UTF-16LE with and without BOM, UTF-8; older hosts fail.
for c in en-2.9.4-bom.out:pass:2.9.4.0 de-2.8.9.out:pass:2.8.9.0 zh-2.9.1-fullwidth.out:pass:2.9.1.0 \
	fr-2.8.8-nbsp.out:fail:2.8.8.0 en-2.7.3.out:fail:2.7.3.0 en-2.7.11-utf8.out:fail:2.7.11.0; do
	file=${c%%:*} rest=${c#*:}
	WSL_FAKE_OUTPUT=$file run check --json --root "$W" --require wsl.host
	expect_contains "$out" "{\"id\":\"wsl.host\",\"status\":\"${rest%%:*}\",\"detail\":\"WSL ${rest#*:} " \
		"wsl.host: $file reads WSL ${rest#*:} (${rest%%:*})"
done
WSLCTL_WSL_EXE="$T/none/wsl.exe" run check --json --root "$W"
expect_contains "$out" '"id":"wsl.host","status":"skip"' "wsl.host: skipped when wsl.exe is missing"
WSL_FAKE_OUTPUT=inbox-usage.out WSL_FAKE_EXIT=255 run check --json --root "$W"
expect_contains "$out" '"id":"wsl.host","status":"fail","detail":"' "wsl.host: an inbox wsl.exe without --version fails"
expect_contains "$out" '"fix":"wsl.exe --update --pre-release"' "wsl.host: the fix updates WSL"

# wslconfig.virtiofs through the .wslconfig engine.
run check --json --root "$W" --wslconfig "$F/wslconfig/invalid.wslconfig"
expect_contains "$out" 'invalid.wslconfig:2: virtiofs=yes is not a boolean' "wslconfig: an invalid value names file and line"
run check --json --root "$W" --wslconfig "$T/absent.wslconfig"
expect_contains "$out" 'the file does not exist' "wslconfig: a missing file is WSL's default (false)"
[ ! -e "$T/absent.wslconfig" ] && ok "wslconfig: check creates nothing" || not_ok "wslconfig: check creates nothing"
WSLCTL_WSLCONFIG="$F/wslconfig/on.wslconfig" run check --json --root "$W"
expect_contains "$out" '"id":"wslconfig.virtiofs","status":"pass"' "wslconfig: WSLCTL_WSLCONFIG is used"

# swiotlb.usage's fix keeps the rest of kernelCommandLine and doubles the pool.
run check --json --root "$F/pool-full" --wslconfig "$F/wslconfig/on.wslconfig"
expect_contains "$out" "wslctl config set wsl2.kernelCommandLine 'quiet hv_pci_swiotlb=64M'" \
	"swiotlb.usage: the fix doubles the pool and keeps other parameters"

# Bad input: a corrupt config.gz warns and names the file; a broken fragment names file:line.
mkdir -p "$T/m" && cp -R "$F/wsl-6.6-9p/." "$T/m/" && printf 'not gzip at all\000\001' >"$T/m/proc/config.gz"
run check --json --root "$T/m"
expect_contains "$out" '"id":"kernel.config","status":"warn"' "bad config.gz: kernel.config warns"
expect_contains "$out" "config.gz: not a kernel configuration" "bad config.gz: the message names the file"
printf '\037\213\010\000\000\000\000\000' >"$T/m/proc/config.gz"
run check --json --root "$T/m"
expect_contains "$out" 'config.gz: cannot decompress' "truncated config.gz: says it cannot decompress"
cp "$F/wsl-6.6-9p/proc/config.gz" "$T/m/proc/config.gz"
mkdir -p "$T/data/kernel-config" && printf '# why: x\n# need: maybe\nCONFIG_X=y\n' >"$T/data/kernel-config/bad.config"
WSLCTL_DATA_DIR="$T/data" run check --json --root "$T/m"
expect_contains "$out" "bad.config:2: unknown need 'maybe'" "bad fragment: the message names file and line"
mkdir -p "$T/nothing-here" # a missing --root is exit 3 (edges_files.sh)
run check --json --root "$T/nothing-here"
expect_rc 1 "a root without /proc is an error"
expect_contains "$out" '"code":"not-found"' "a root without /proc: not-found error object"

# Under --root the live machine is never consulted: a cmd.exe and a wsl.exe that would
# answer (cmd.exe named as the tests name it, both on PATH) do not run; the recorded
# machine's .wslconfig and wsl.exe are known only when named.
unset WSLCTL_WSL_EXE
mkdir -p "$T/live"
for p in cmd.exe wsl.exe; do
	printf '#!/bin/sh\necho "$*" >>"$0.log"\n' >"$T/live/$p" && chmod +x "$T/live/$p"
done
PATH="$T/live:$PATH" WSLCTL_CMD_EXE="$T/live/cmd.exe" run check --json --root "$W"
[ ! -e "$T/live/cmd.exe.log" ] && [ ! -e "$T/live/wsl.exe.log" ] &&
	ok "under --root: neither cmd.exe nor wsl.exe runs" ||
	not_ok "under --root: the live machine was asked ($(cat "$T"/live/*.log 2>/dev/null))"
expect_contains "$out" '"id":"wslconfig.virtiofs","status":"skip","detail":"no .wslconfig given' \
	"under --root: wslconfig.virtiofs skips without --wslconfig"
expect_contains "$out" '"id":"wsl.host","status":"skip","detail":"under --root' \
	"under --root: wsl.host skips without WSLCTL_WSL_EXE"

# verdict ROOT ID STATUS DETAIL NAME: check --json on machine ROOT gives check ID the STATUS
# with a detail that starts with DETAIL.
verdict() {
	run check --json --root "$1"
	expect_contains "$out" "{\"id\":\"$2\",\"status\":\"$3\",\"detail\":\"$4" "$5"
}

# kernel.version judges by evidence: only N.N.N.N-microsoft-standard-WSL2 is Microsoft's tree
# (names seen on real machines: Microsoft's config puts "microsoft-standard" in any tree built
# with it); anything else is a custom kernel that passes on the pool alone.
# kv RELEASE FROM STATUS TEXT: RELEASE on a copy of machine FROM gives kernel.version STATUS
# with a detail starting with TEXT.
kv() {
	rm -rf "$T/kv" && cp -R "$F/$2" "$T/kv" && printf '%s\n' "$1" >"$T/kv/proc/sys/kernel/osrelease"
	verdict "$T/kv" kernel.version "$3" "$4" "kernel.version: $1 on $2: $3, $4"
}
kv 7.0.13-arch1-1-wsl-microsoft-standard-WSL2 custom-arch fail "custom kernel 7.0.13-arch1-1-wsl-microsoft-standard-WSL2 ("
kv 7.0.13-arch1-1-wsl-microsoft-standard-WSL2 wsl-2.9-pool pass "custom kernel 7.0.13-arch1-1-wsl-microsoft-standard-WSL2 ("
kv 6.1.6-microsoft-standard-WSL2 custom-arch fail "custom kernel 6.1.6-microsoft-standard-WSL2 (three numeric parts"
kv 5.19.0-microsoft-standard-WSL2+ custom-arch fail "custom kernel 5.19.0-microsoft-standard-WSL2+ (three numeric parts"
kv 6.18.26.3-microsoft-standard-WSL2+ custom-arch fail "custom kernel 6.18.26.3-microsoft-standard-WSL2+ ('+' after -WSL2"
kv 6.18.26.3-microsoft-standard-WSL2+ wsl-2.9-pool pass "custom kernel 6.18.26.3-microsoft-standard-WSL2+ ('+' after -WSL2"
kv 4.19.104-microsoft-standard custom-arch fail "custom kernel 4.19.104-microsoft-standard (three numeric parts"
kv 5.15.90.1-microsoft-standard-WSL2 custom-arch fail "Microsoft kernel 5.15.90.1 is older than 6.18.26.3"
kv 6.18.26.3-microsoft-standard-WSL2 custom-arch pass "Microsoft kernel 6.18.26.3 >= 6.18.26.3"
# wsl.kernel says "Microsoft kernel" only for Microsoft's tree.
verdict "$F/custom-arch" wsl.kernel pass "WSL 2, custom kernel 7.0.13-arch1-1-wsl-microsoft-standard-WSL2" \
	"wsl.kernel: a kernel only named like Microsoft's is custom"
verdict "$W" wsl.kernel pass "WSL 2, Microsoft kernel 6.18.35.2-microsoft-standard-WSL2" \
	"wsl.kernel: Microsoft's tree is named so"

# kernel.config's skip says what is known.
verdict "$W" kernel.config skip "no /proc/config.gz (IKCONFIG_PROC off, as in Microsoft's 6.18 kernels)" \
	"kernel.config: Microsoft's 6.18 kernel: IKCONFIG off as Microsoft builds it"
verdict "$F/wsl1" kernel.config skip "WSL 1 runs no Linux kernel" "kernel.config: WSL 1 says why"
verdict "$F/wslg-9p" kernel.config skip "no /proc/config.gz: 6.6.87.2-microsoft-standard-WSL2 was built without IKCONFIG_PROC" \
	"kernel.config: a 6.6 kernel: not Microsoft's 6.18 reason"
verdict "$F/custom-arch" kernel.config skip "no /proc/config.gz: 7.0.13-arch1-1-wsl-microsoft-standard-WSL2 was built without IKCONFIG_PROC" \
	"kernel.config: a custom kernel: not Microsoft's 6.18 reason"

# virtio.devices: WSLg's device (tag wslg) is on every default machine; only a device that
# serves another share passes.
verdict "$F/wslg-tagged" virtio.devices fail "only WSLg's virtio-fs device: virtio0 (tag wslg)" \
	"virtio.devices: WSLg's device alone fails"
verdict "$F/wslg-9p" virtio.devices warn "virtio0 cannot be tied to a share" "virtio.devices: an untied device warns"
expect_contains "$out" "may be WSLg's" "virtio.devices: the warning says it may be WSLg's"
verdict "$F/virtiofs-bind" virtio.devices pass \
	"virtio1 (tag 5d0b6e2c-1f4a-4c3e-9a57-2b8f0e4d7c11), virtio2 (tag a3e91f70-6c2d-4b8e-8f15-7d4c2a9b0e63) serve" \
	"virtio.devices: devices tied to their tags through /sys/fs/virtiofs/N/device"
verdict "$W" virtio.devices pass "tags not exported" "virtio.devices: without tags a virtiofs mount shows a share is served"
# A device link names the device even when N is not its index; a wslg mount is no share.
rm -rf "$T/vd" && cp -R "$F/wslg-tagged" "$T/vd" && mv "$T/vd/sys/fs/virtiofs/0" "$T/vd/sys/fs/virtiofs/7"
verdict "$T/vd" virtio.devices fail "only WSLg's" "virtio.devices: tag found through the device link"
rm -rf "$T/vd" && cp -R "$F/wslg-9p" "$T/vd"
echo '99 56 0:70 / /mnt/wslg/x rw - virtiofs wslg rw' >>"$T/vd/proc/self/mountinfo"
verdict "$T/vd" virtio.devices fail "only WSLg's virtio-fs device: virtio0, the one device, serves WSLg's share" \
	"virtio.devices: a mount of WSLg's tag shows no share, and ties the one device to WSLg"
# Two untied devices and only WSLg's mount: one of them may serve something else.
cp -R "$T/vd/sys/bus/virtio/devices/virtio0" "$T/vd/sys/bus/virtio/devices/virtio9"
verdict "$T/vd" virtio.devices warn "virtio0, virtio9 cannot be tied" \
	"virtio.devices: with two untied devices WSLg's mount ties neither"

# virtiofs.mounted names the drives as the user sees them: /mnt/c, not WSL's hidden mount.
verdict "$F/virtiofs-bind" virtiofs.mounted pass \
	"2 virtiofs mounts: /mnt/c, /mnt/d (bind mounts of WSL's hidden mounts under /run/wsl/virtiofs-mounts/)\"" \
	"virtiofs.mounted: the new layout names /mnt/c and /mnt/d"
verdict "$W" virtiofs.mounted pass "3 virtiofs mounts: /mnt/c, /mnt/d, /mnt/My Share\"" \
	"virtiofs.mounted: the old layout (virtiofs at /mnt/c) names them as they are"

# Under --root the live machine is never asked, even when it is WSL: in a mount namespace
# whose /run shows WSL, the live run asks cmd.exe (the control) and the recorded one does not.
if unshare -rm true 2>/dev/null; then
	rm -f "$T"/live/*.log
	# in_wsl ARGS: check with /run/WSL present, cmd.exe and wsl.exe of $T/live on PATH.
	in_wsl() {
		PATH="$T/live:$PATH" WSLCTL_CMD_EXE="$T/live/cmd.exe" unshare -rm sh -c \
			'mount -t tmpfs none /run && mkdir /run/WSL && exec "$0" "$@"' "$WSLCTL" check --json "$@" >/dev/null 2>&1
	}
	in_wsl --root /
	[ -e "$T/live/cmd.exe.log" ] && ok "live WSL (control): check asks cmd.exe for the .wslconfig" ||
		not_ok "live WSL (control): cmd.exe was not asked, so the next case proves nothing"
	rm -f "$T"/live/*.log
	in_wsl --root "$W"
	[ ! -e "$T/live/cmd.exe.log" ] && [ ! -e "$T/live/wsl.exe.log" ] &&
		ok "under --root on a live WSL machine: neither cmd.exe nor wsl.exe runs" ||
		not_ok "under --root on a live WSL machine: the live machine was asked ($(cat "$T"/live/*.log 2>/dev/null))"
	rm -f "$T"/live/*.log
	WSLCTL_WSLCONFIG="$F/wslconfig/on.wslconfig" WSLCTL_WSL_EXE="$FAKE_WSL" WSL_FAKE_OUTPUT=en-2.9.4-bom.out in_wsl --root "$W"
	[ ! -e "$T/live/cmd.exe.log" ] && [ ! -e "$T/live/wsl.exe.log" ] &&
		ok "under --root: named .wslconfig and wsl.exe are used, the live ones not" ||
		not_ok "under --root with names: the live machine was asked"
else
	ok "# SKIP no user namespaces: the live-WSL --root case cannot run here"
fi

# This machine's real /proc and /sys: not WSL, no crash, valid JSON.
run check --json
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] && ok "real machine: exits 0 or 1 (rc $rc)" || not_ok "real machine: exit $rc ($err)"
printf '%s' "$out" | python3 -m json.tool >/dev/null 2>&1 && ok "real machine: valid JSON" ||
	not_ok "real machine: valid JSON ($out)"
if grep -qiE 'microsoft|wsl' /proc/sys/kernel/osrelease || [ -e /run/WSL ]; then
	ok "real machine: is WSL, so no not-WSL assertion"
else
	expect_contains "$out" '"id":"wsl.kernel","status":"fail","detail":"not WSL' "real machine: reports not WSL"
	expect_contains "$out" '"id":"wsl.host","status":"skip"' "real machine: wsl.host skipped off WSL"
fi
run check
expect_contains "$out" "wsl.kernel" "real machine: text table"
