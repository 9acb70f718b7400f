# SPDX-License-Identifier: MIT
# wslctl bench on this machine: a folder on disk against a tmpfs folder (--quick), the
# transports named, every workload run, its folders gone; --history and --compare (the
# chart in a real terminal through tmux: blocks in UTF-8, ASCII with TERM=dumb); -n
# refused; off WSL --target required; Ctrl-C removes its folders (exit 130); too little
# free space is refused before anything is written (a small tmpfs).
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
	'all(w["unit"] == ("MiB/s" if w["id"] == "seq" else "files/s") and w["ratio"] > 0 for w in j["workloads"])' "units, and a ratio target/reference per workload" \
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
	expect_contains "$screen" "unpack (files/s" "--compare: a chart per workload"
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
expect_contains "$err" "pool swiotlb/hv-pci-swiotlb reached 92% of its 32768 slots (unpack, status, read, seq, clean): near exhaustion; a bigger hv_pci_swiotlb=" \
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
if unshare -rm true 2>/dev/null || [ "$(id -u)" = 0 ]; then
	mkdir -p "$T/small"
	us=unshare; [ "$(id -u)" = 0 ] && us_flags=-m || us_flags=-rm
	$us $us_flags sh -c 'mount -t tmpfs -o size=1m tmpfs "$1" && "$2" bench --quick --target "$1" --reference "$3" >"$4/.out" 2>"$4/.err"; echo $? >"$4/.rc"; ls -A "$1" >"$4/.ls"' \
		sh "$T/small" "$WSLCTL" "$SHM" "$T"
	rc=$(cat "$T/.rc"); err=$(cat "$T/.err")
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
