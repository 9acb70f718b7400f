# SPDX-License-Identifier: MIT
# wslctl bench on this machine: a folder on disk against a tmpfs folder (--quick), the
# transports named, every workload run, its folders gone; --history and --compare (the
# chart in a real terminal through tmux: blocks in UTF-8, ASCII with TERM=dumb); -n
# refused; off WSL --target required; Ctrl-C removes its folders (exit 130); too little
# free space is refused before anything is written (a small tmpfs); and what an attacker
# found: budgets held on slow storage (tests/shim/benchslow.c), signals at the end, the
# records folder never followed through a link, too few inodes, hostile --root files.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/json-lib.sh"

export WSLCTL_HOME="$T/home" WSLCTL_CMD_EXE="$T/no-cmd.exe" XDG_CACHE_HOME="$T/cache"
unset WSL_DISTRO_NAME
# The disk side must not be tmpfs ($T may be): /var/tmp is on the root file system.
DISK=$(mktemp -d /var/tmp/wslctl-e2e-disk.XXXXXX)
SHM=$(mktemp -d /dev/shm/wslctl-e2e-shm.XXXXXX)
trap 'rm -rf "$T" "$DISK" "$SHM"' EXIT INT TERM
disk_type=$(findmnt -n -o FSTYPE -T "$DISK")

# expect_jsons EXPR NAME [EXPR NAME...]: expect_json for each pair, in one python3 run
# (its start-up is most of what a check costs).
expect_jsons() {
	python3 - "$T/.out" "$@" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
try:
    j = json.loads(text)
except ValueError:
    j = None
for expr, name in zip(sys.argv[2::2], sys.argv[3::2]):
    why = ""
    try:
        good = j is not None and eval(expr)
    except Exception as e:
        good, why = False, repr(e)
    print("ok - " + name if good else "not ok - %s (%s; stdout: %.300s)" % (name, why, text))
PY
}

# leftovers DIR...: the wslctl-bench.* folders still there.
leftovers() {
	for d in "$@"; do ls -d "$d"/wslctl-bench.* 2>/dev/null; done
}

# --- a quick run: disk as target, tmpfs as reference
start=$(date +%s)
run bench --quick --json --target "$DISK" --reference "$SHM"
took=$(($(date +%s) - start))
expect_rc 0 "bench --quick --json: exit 0"
if [ "$took" -le 10 ]; then ok "--quick ends within 10 s (${took} s)"; else not_ok "--quick took ${took} s"; fi
expect_jsons \
	'j["ok"] is True and j["quick"] is True' "JSON: ok, quick" \
	'j["reference"]["transport"] == "tmpfs" and j["reference"]["path"] == "'"$SHM"'"' "the tmpfs reference is named tmpfs" \
	'j["target"]["transport"] == "'"$disk_type"'" != "tmpfs"' "the disk target is named by its file system ($disk_type)" \
	'[w["id"] for w in j["workloads"]] == ["unpack", "status", "read", "seq", "clean"]' "the five workloads, in order" \
	'all(w[s]["rate"] > 0 and w[s].get("files", w[s].get("bytes", 0)) > 0 and w[s]["seconds"] > 0 for w in j["workloads"] for s in ("target", "reference"))' "every workload ran on both sides (count, seconds, rate)" \
	'all(w["unit"] == {"seq": "MiB/s", "read": "files/s"}.get(w["id"], "entries/s") and w["ratio"] > 0 for w in j["workloads"])' "units (entries/s where folders are timed too), and a ratio target/reference per workload" \
	'all(j["workloads"][0][s]["files"] == j["workloads"][1][s]["files"] or j["workloads"][1][s]["cut"] for s in ("target", "reference"))' "unpack counts what it timed: the entries status then sees (files and folders)" \
	'{"kernel", "wsl_version", "pool", "time", "record"} <= set(j) and j["wsl_version"] is None and set(j["pool"]) == {"published", "size"}' "kernel, WSL version (unknown off WSL), pool" \
	'j["workloads"][3]["target"]["write_rate"] > 0 and j["workloads"][3]["target"]["read_rate"] > 0' "seq: write and read rates"
[ -z "$(leftovers "$DISK" "$SHM")" ] && ok "its folders are removed" || not_ok "left: $(leftovers "$DISK" "$SHM")"
[ "$(ls "$T/home/bench" | wc -l)" -eq 1 ] && ok "one record kept in <home>/bench" || not_ok "records: $(ls "$T/home/bench")"
expect_contains "$err" "target vs reference" "--json: the table goes to stderr"

# The text form, the other way round: the second transport for --compare.
run bench --quick --target "$SHM" --reference "$DISK"
expect_rc 0 "bench --quick (text): exit 0"
expect_contains "$out" "target     $SHM (tmpfs)" "text: the target and its transport"
expect_contains "$out" "clean " "text: a row per workload"

# --- --history, --compare
run bench --history --json
expect_jsons \
	'len(j["runs"]) == 2 and j["runs"][0]["target"]["transport"] != "tmpfs" and j["runs"][1]["target"]["transport"] == "tmpfs"' "--history --json: both runs, oldest first" \
	'all(len(r["workloads"]) == 5 and {"id", "unit", "rate", "reference_rate", "ratio"} <= set(r["workloads"][0]) and {"file", "time", "kernel", "wsl_version"} <= set(r) for r in j["runs"])' "--history --json: the documented shape"
run bench --history
expect_contains "$out" "tmpfs" "--history: a line per run"
run bench --compare --json
expect_json 'len(j["runs"]) == 2' "--compare --json: the latest run per transport and kernel"
run bench --compare --quick
expect_rc 2 "--compare --quick: usage error"
# A full run (another transport) beside the quick ones: --compare says they do not mix.
python3 - "$T/home/bench" <<'PY'
import json, os, sys
d = sys.argv[1]
name = sorted(os.listdir(d))[0]
j = json.load(open(os.path.join(d, name)))
j["quick"] = False
j["target"]["transport"] = "virtiofs"
json.dump(j, open(os.path.join(d, "full-" + name), "w"))
PY
run bench --compare --json
expect_contains "$err" "mix --quick and full runs" "--compare of a quick and a full run: says they do not compare"
expect_json 'j["mixed_quick"] is True and sorted(r["quick"] for r in j["runs"]) == [False, True, True]' "--compare --json: mixed_quick, and each run's quick"
rm -f "$T/home/bench"/full-*

# The chart in a real terminal: UTF-8 blocks, then ASCII with TERM=dumb.
chart() { # TERM LANG: the screen after bench --compare
	tmux kill-session -t "wslctl-bench-$$" 2>/dev/null
	tmux new-session -d -s "wslctl-bench-$$" -x 160 -y 60 \
		"env TERM=$1 LANG=$2 LC_ALL=$2 WSLCTL_HOME=$WSLCTL_HOME '$WSLCTL' bench --compare; sleep 30"
	sleep 1
	tmux capture-pane -p -t "wslctl-bench-$$"
	tmux kill-session -t "wslctl-bench-$$"
}
if command -v tmux >/dev/null; then
	screen=$(chart xterm C.UTF-8)
	expect_contains "$screen" "█" "--compare in a UTF-8 terminal: block bars"
	expect_contains "$screen" "unpack (entries/s" "--compare: a chart per workload"
	screen=$(chart dumb C.UTF-8)
	expect_contains "$screen" "##" "--compare with TERM=dumb: ASCII bars"
	case "$screen" in *"█"*) not_ok "TERM=dumb: no block characters" ;; *) ok "TERM=dumb: no block characters" ;; esac
	screen=$(chart xterm C)
	case "$screen" in *"#"*) ok "--compare in the C locale: ASCII bars" ;; *) not_ok "C locale: no ASCII bars: $screen" ;; esac
else
	not_ok "tmux is missing (packaging/deps.sh test installs it)"
fi

# --- the pools, sampled under a recorded machine whose dedicated pool is 92% used
run --root "$TESTS_DIR/fixtures/check/pool-near-exhaustion" bench --quick --json --target "$SHM" --reference "$DISK"
expect_rc 0 "bench under --root: exit 0"
expect_jsons \
	'all([(p["pool"], p["dedicated"], p["slots"], p["peak"], p["hiwater"]) for p in w["target"]["pool_peak"]] == [("swiotlb/hv-pci-swiotlb", True, 32768, 30150, 31544), ("swiotlb", False, 32768, 118, 2204)] for w in j["workloads"])' "pool_peak per workload: the dedicated pool (matched by pattern) and the default pool" \
	'j["pool"] == {"published": True, "size": 67108864} and j["kernel"] == "6.18.35.2-microsoft-standard-WSL2"' "the recorded machine's kernel and published pool"
expect_contains "$err" "pool swiotlb/hv-pci-swiotlb reached 92% of its 32768 slots (target: unpack, status, read, seq, clean; reference: unpack, status, read, seq, clean): near exhaustion; a bigger hv_pci_swiotlb=" \
	"near exhaustion: one warning naming the fix"
[ -z "$(leftovers "$DISK" "$SHM")" ] && ok "its folders are removed" || not_ok "left: $(leftovers "$DISK" "$SHM")"

# --- refusals
run -n bench --quick --target "$DISK" --reference "$SHM"
expect_rc 2 "-n is refused"
run bench --dry-run --json --quick --target "$DISK" --reference "$SHM"
expect_json 'j["ok"] is False and j["error"]["code"] == "usage"' "--dry-run --json: a usage error"
[ -z "$(leftovers "$DISK" "$SHM")" ] && ok "-n: nothing written" || not_ok "-n wrote $(leftovers "$DISK" "$SHM")"
run bench --quick
expect_rc 2 "off WSL without --target: usage error"
expect_contains "$err" "--target" "the message names --target"
run bench --quick --target "$T/missing" --reference "$SHM"
expect_rc 3 "a missing target: exit 3"
run bench --quick --target "$DISK" --reference "$SHM" extra
expect_rc 2 "an argument: usage error"

# Too little free space: a 1 MiB tmpfs in a private mount namespace.
# on_tmpfs DIR OPTS: bench --quick with a fresh tmpfs (mount options OPTS) at DIR as its
# target, in a mount namespace of its own; rc, err and $T/.ls (what DIR holds after).
# Returns 1 when no tmpfs can be mounted here (not root, no unshare -rm).
on_tmpfs() {
	unshare -rm true 2>/dev/null || [ "$(id -u)" = 0 ] || return 1
	mkdir -p "$1"
	us_flags=-rm; [ "$(id -u)" = 0 ] && us_flags=-m
	unshare $us_flags sh -c 'mount -t tmpfs -o "$5" tmpfs "$1" && "$2" bench --quick --target "$1" --reference "$3" >"$4/.out" 2>"$4/.err"; echo $? >"$4/.rc"; ls -A "$1" >"$4/.ls"' \
		sh "$1" "$WSLCTL" "$SHM" "$T" "$2"
	rc=$(cat "$T/.rc"); err=$(cat "$T/.err")
}
if on_tmpfs "$T/small" size=1m; then
	expect_rc 3 "too little free space: exit 3"
	expect_contains "$err" "not enough free space" "the message says why"
	[ ! -s "$T/.ls" ] && ok "too little free space: nothing written" || not_ok "written: $(cat "$T/.ls")"
else
	echo "ok - # SKIP free-space refusal: cannot mount a small tmpfs (not root, no unshare -rm)"
fi

# --- Ctrl-C in the middle of a default run: 130, its folders gone.
"$WSLCTL" bench --target "$DISK" --reference "$SHM" >"$T/int.out" 2>"$T/int.err" &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
err=$(cat "$T/int.err")
expect_rc 130 "SIGINT mid-run: exit 130"
[ -z "$(leftovers "$DISK" "$SHM")" ] && ok "SIGINT: no wslctl-bench.* left" || not_ok "SIGINT left: $(leftovers "$DISK" "$SHM")"
"$WSLCTL" bench --json --target "$DISK" --reference "$SHM" >"$T/.out" 2>"$T/.err" &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
rc=$?
expect_rc 143 "SIGTERM mid-run: exit 143"
expect_json 'j["ok"] is False and j["error"]["code"] == "interrupted"' "SIGTERM --json: interrupted"
[ -z "$(leftovers "$DISK" "$SHM")" ] && ok "SIGTERM: no wslctl-bench.* left" || not_ok "SIGTERM left: $(leftovers "$DISK" "$SHM")"

# --- What an attacker found (the reviewer's findings, each a case).
# The shim for slow storage and signals at chosen moments (tests/shim/benchslow.c).
SHIM="$T/benchslow.so"
cc -shared -fPIC -o "$SHIM" "$TESTS_DIR/shim/benchslow.c" -ldl || not_ok "cannot build the shim"
# Under ASan (make sanitize) its runtime must be the first library loaded: it goes first.
ASAN_RT=$(ldd "$WSLCTL" 2>/dev/null | awk '/libasan/ { print $3 }')
PRELOAD="${ASAN_RT:+$ASAN_RT }$SHIM"
POOL="$TESTS_DIR/fixtures/check/pool-near-exhaustion"
# timed NAME LIMIT CMD...: runs CMD (stdout in $T/.out), says whether it ended within LIMIT s.
timed() {
	name=$1 limit=$2
	shift 2
	start=$(date +%s)
	"$@" >"$T/.out" 2>"$T/.err"
	rc=$? took=$(($(date +%s) - start)) err=$(cat "$T/.err")
	if [ "$took" -le "$limit" ]; then ok "$name (${took} s)"; else not_ok "$name took ${took} s"; fi
}

# Budgets on slow storage: fsync 20 ms per dirty MiB, unlink 2 ms, create 0.5 ms, and a
# wsl.exe that answers after 30 s (a --root machine that is WSL, with WSLCTL_WSL_EXE).
printf '#!/bin/sh\nsleep 30\necho "WSL version: 2.5.9.0"\n' >"$T/slow-wsl"
chmod +x "$T/slow-wsl"
slow() {
	env LD_PRELOAD="$PRELOAD" SLOW_SYNC_US_MIB=20000 SLOW_UNLINK_US=2000 SLOW_OPEN_US=500 \
		WSLCTL_WSL_EXE="$T/slow-wsl" "$WSLCTL" --root "$POOL" bench --json "$@" \
		--target "$DISK" --reference "$SHM"
}
timed "slow storage, slow wsl.exe: --quick ends within 10 s" 10 slow --quick
expect_rc 0 "slow storage --quick: exit 0"
# The default run's budget takes 40 s by design; a sanitized build only repeats it slower
# (make sanitize), so it runs on the plain binary, which make check runs first.
if [ -n "${E2E_SANITIZED:-}" ]; then
	echo "ok - # SKIP slow storage default run: timed on the plain binary (E2E_SANITIZED)"
else
	timed "slow storage, slow wsl.exe: a default run ends within 60 s" 60 slow
	expect_rc 0 "slow storage default run: exit 0"
	expect_json 'j["workloads"][3]["target"]["bytes"] > 0' "slow storage: seq wrote what its budget allowed"
fi
[ -z "$(leftovers "$DISK" "$SHM")" ] && ok "slow storage: its folders are removed" || not_ok "left: $(leftovers "$DISK" "$SHM")"

# A signal while the folders are removed, and while wsl.exe is asked: 128+N, not 0.
run_env() { env "$@" "$WSLCTL" bench --quick --target "$DISK" --reference "$SHM" >"$T/.out" 2>"$T/.err"; rc=$?; err=$(cat "$T/.err"); }
run_env LD_PRELOAD="$PRELOAD" SIG_AT_RMTOP=15
expect_rc 143 "SIGTERM while its folders are removed: exit 143 (was ignored: 0)"
[ -z "$(leftovers "$DISK" "$SHM")" ] && ok "SIGTERM at the end: its folders are removed" || not_ok "left: $(leftovers "$DISK" "$SHM")"
printf '#!/bin/sh\nkill -TERM $PPID\necho "WSL version: 2.5.9.0"\n' >"$T/kill-wsl"
chmod +x "$T/kill-wsl"
timed "SIGTERM during the wsl.exe query: ends at once" 10 env WSLCTL_WSL_EXE="$T/kill-wsl" "$WSLCTL" --root "$POOL" bench --quick --target "$DISK" --reference "$SHM"
expect_rc 143 "SIGTERM during the wsl.exe query: exit 143 (was 0)"
run_env WSLCTL_HOME="$T/h-sig" LD_PRELOAD="$PRELOAD" SIG_AT_RECORD=1
expect_rc 129 "SIGHUP once the record is written: exit 129 (was 0)"
[ "$(ls "$T/h-sig/bench" | wc -l)" -eq 1 ] && ok "SIGHUP after the record: the run is kept" || not_ok "records: $(ls "$T/h-sig/bench")"
# A fs call cut short by the signal (EINTR, as 9p does) is the interrupt, not an I/O error.
run_env LD_PRELOAD="$PRELOAD" SIG_AT_CREATE=2
expect_rc 130 "SIGINT that makes a create fail with EINTR: exit 130 (was 1)"
case "$err" in *"cannot create"*) not_ok "EINTR told as an I/O error: $err" ;; *) ok "EINTR: no I/O error told" ;; esac
[ -z "$(leftovers "$DISK" "$SHM")" ] && ok "EINTR: its folders are removed" || not_ok "left: $(leftovers "$DISK" "$SHM")"

# The records folder: never through a link, no FIFO waited on, no link or giant read.
mkdir -p "$T/outside" "$T/h-link"
ln -s "$T/outside" "$T/h-link/bench"
run_env WSLCTL_HOME="$T/h-link"
expect_rc 0 "home/bench a link: the run still reports"
expect_contains "$err" "not kept" "home/bench a link: a warning, the run not kept"
[ -z "$(ls -A "$T/outside")" ] && ok "home/bench a link: nothing written outside" || not_ok "written outside: $(ls "$T/outside")"
WSLCTL_HOME="$T/h-link"; run bench --history; WSLCTL_HOME="$T/home"
expect_rc 3 "home/bench a link: --history refuses it (exit 3)"
mkdir -p "$T/h-odd/bench"
cp "$(ls "$T/home/bench"/*.json | head -1)" "$T/h-odd/bench/real.json"
cp "$T/h-odd/bench/real.json" "$T/outside/linked.json"
ln -s "$T/outside/linked.json" "$T/h-odd/bench/link.json"
mkfifo "$T/h-odd/bench/fifo.json"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); j["pad"]="x"*(2<<20); json.dump(j, open(sys.argv[2],"w"))' \
	"$T/h-odd/bench/real.json" "$T/h-odd/bench/big.json"
timed "a FIFO among the records: --history does not wait on it" 10 \
	timeout -k 5 20 env WSLCTL_HOME="$T/h-odd" "$WSLCTL" bench --history --json
expect_rc 0 "records with a FIFO, a link and a giant: --history exit 0"
expect_json 'len(j["runs"]) == 1 and j["runs"][0]["file"].endswith("/real.json")' "only the regular record of sane size is read"

# Too few inodes: refused before anything is written (a tmpfs with 60 inodes).
if on_tmpfs "$T/few" size=512m,nr_inodes=60; then
	expect_rc 3 "too few inodes: exit 3 (was 1, after writing)"
	expect_contains "$err" "not enough free inodes" "the message says why"
	[ ! -s "$T/.ls" ] && ok "too few inodes: nothing written" || not_ok "written: $(cat "$T/.ls")"
else
	echo "ok - # SKIP inode refusal: cannot mount a small tmpfs (not root, no unshare -rm)"
fi

# A regular file as the target is named as one.
run bench --quick --target /etc/passwd --reference "$SHM"
expect_rc 3 "a regular file as target: exit 3"
expect_contains "$err" "/etc/passwd is a regular file, not a folder" "a regular file is named as one (was '(null)')"

# A relative --target is recorded as the absolute path.
(cd "$(dirname "$DISK")" && "$WSLCTL" bench --quick --json --target "$(basename "$DISK")" --reference "$SHM" >"$T/.out" 2>"$T/.err")
expect_json 'j["target"]["path"] == "'"$DISK"'" and j["record"] is not None' "a relative --target is recorded absolute"

# The pools: the default pool near full names swiotlb=; a counter of 2^64-1 is no
# number of slots; a FIFO under --root is not waited on.
cp -r "$POOL" "$T/pool"
D="$T/pool/sys/kernel/debug/swiotlb"
echo 32000 >"$D/io_tlb_used"
echo 18446744073709551615 >"$D/hv-pci-swiotlb/io_tlb_nslabs"
run --root "$T/pool" bench --quick --json --target "$SHM" --reference "$DISK"
expect_rc 0 "a recorded machine with its default pool near full: exit 0"
expect_contains "$err" "pool swiotlb reached 98% of its 32768 slots (target: unpack" "the default pool's warning"
expect_contains "$err" "; reference: unpack" "peaks on the reference side are warned too"
expect_contains "$err" "a bigger swiotlb= helps" "the default pool is sized by swiotlb= (not hv_pci_swiotlb=)"
expect_json 'all(p["slots"] >= 0 for w in j["workloads"] for s in ("target", "reference") for p in (w[s]["pool_peak"] or []))' "no pool with a negative number of slots"
rm "$D/io_tlb_used_hiwater"
mkfifo "$D/io_tlb_used_hiwater"
timed "a FIFO under --root: the pool readers do not wait on it" 15 \
	timeout -k 5 30 "$WSLCTL" --root "$T/pool" bench --quick --json --target "$SHM" --reference "$DISK"
expect_rc 0 "a FIFO under --root: exit 0"
