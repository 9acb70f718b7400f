# SPDX-License-Identifier: MIT
# The command walk: every command and subcommand with good and bad input, each run in
# text mode and under --json from the same starting state. For each row of the table:
#   - both modes exit with the row's code (text and --json agree);
#   - under --json stdout is exactly one JSON object on one line, with a boolean "ok";
#   - exit 0: "ok":true and no "error";
#   - a verdict (the commands docs/cli.md heads "(verdict)"): "ok":false, no "error",
#     and no "wslctl: error:" on stderr in text mode;
#   - any other non-zero exit: "error":{"code","message"}, the code one of docs/cli.md's
#     error-code table with the exit code that table gives it, and "wslctl: error:" on
#     stderr in text mode.
# A new command or case is one more table row (see the table's header).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"
DOCS="$TESTS_DIR/../docs/cli.md"

# --- the machine every row starts from: $M, copied back from $T/tpl before each run -----
M="$T/m"
F="$T/fix" # inputs no row changes
ROOT="$M/root"
CFG="$ROOT/mnt/c/Users/me/.wslconfig"
G="--root $ROOT --home $ROOT/mnt/c/Users/me/wslctl --wslconfig $CFG"
export XDG_CACHE_HOME="$M/cache" WSLCTL_DATA_DIR="$T/data"
mkdir -p "$ROOT/mnt/c/Users/me" "$ROOT/proc/sys/kernel" "$F/adir" "$T/data/kernel-config"
echo "6.8.0-generic" >"$ROOT/proc/sys/kernel/osrelease"
printf '[wsl2]\r\nmemory=4GB\r\n' >"$CFG"
cp -R "$TESTS_DIR/fixtures/fake-kernel" "$M/tree"
cp -R "$TESTS_DIR/fixtures/patches-good" "$T/data/patches"
python3 "$MKFEED" "$T/feed" --release '2.9.4:WSL 2.9.4:l:6.18.35.2-1' \
	--kernel 6.18.33.2-2 --kernel 6.18.35.2-1 >/dev/null || exit 1
pkg() { echo "$T/feed/flat/microsoft.wsl.kernel/$1/microsoft.wsl.kernel.$1.nupkg"; }
PKG=$(pkg 6.18.35.2-1)
SUM=$(sha256sum "$PKG" | cut -d' ' -f1)
ZERO=0000000000000000000000000000000000000000000000000000000000000000
for v in 6.18.33.2-2 6.18.35.2-1; do
	"$WSLCTL" $G update --feed "$(pkg $v)" --sha256 "$(sha256sum "$(pkg $v)" | cut -d' ' -f1)" \
		>/dev/null 2>&1 || { not_ok "walk: set-up install of $v"; exit 1; }
done
# A manifest that recorded no digest and no source (hand-made, or from an older wslctl).
sed -i 's/"sha256": "[0-9a-f]*"/"sha256": ""/; s/"source": ".*"/"source": ""/' \
	"$ROOT/mnt/c/Users/me/wslctl/versions/6.18.33.2-2/manifest.json"
cp -a "$M" "$T/tpl"

printf '[wsl2]\nmemory=lots\n' >"$F/bad.wslconfig"
printf '[wsl2]\nswap=2GB\n' >"$F/frag.wslconfig"
mkfifo "$F/fifo"
{ grep -v MODULES "$M/tree/arch/x86/configs/config-wsl"; echo '# CONFIG_MODULES is not set'; } \
	>"$F/nomod.config"
NONUTF8=$(printf '%s/no\377such' "$F")
# A folder no one may write in (a read-only bind mount as root): its rows need it.
RO="$F/ro"
mkdir -p "$RO"
printf '[wsl2]\r\n' >"$RO/.wslconfig"
if [ "$(id -u)" = 0 ]; then mount --bind -o ro "$RO" "$RO" 2>/dev/null && ro_mounted=1
else chmod a-w "$RO"; fi
if touch "$RO/probe" 2>/dev/null; then rm -f "$RO/probe"; RO=; fi
trap '[ -n "${ro_mounted:-}" ] && umount "$F/ro"; server_stop; rm -rf "$T"' EXIT INT TERM

# --- checks of one row ---------------------------------------------------------------
# check_json DIR: for each row N, DIR/N.out (its --json stdout) and DIR/N.meta (exit,
# name, then the command words one a line); one "ok"/"not ok" line per row. One Python
# for the whole table: starting it per row would cost more than the runs.
check_json() {
	python3 - "$DOCS" "$1" <<'PY'
import json, os, re, sys
docs, d = sys.argv[1], sys.argv[2]
text = open(docs, encoding="utf-8").read()
# The documented error codes and their exits; the documented verdict commands.
codes = {m[0]: m[1] for m in re.findall(r"^\| `([a-z-]+)` \| (\d+|128\+N) \|", text, re.M)}
verdicts = [v.split() for v in re.findall(r"^### ([a-z ]+?) \(verdict", text, re.M)]
if len(codes) < 10 or not verdicts:
    print("not ok - walk: docs/cli.md's error-code table or verdict headings not found")

def walk(o, key=None):
    """The keys whose value is "" (a .wslconfig value or default may really be empty)."""
    if o == "":
        yield key
    for k, v in o.items() if isinstance(o, dict) else enumerate(o) if isinstance(o, list) else ():
        yield from walk(v, k if isinstance(k, str) else key)

def problems(raw, rc, words):
    cmd = [w for w in words if not w.startswith("-")]
    verdict = any(cmd[:len(v)] == v for v in verdicts)
    if raw.count(b"\n") != 1 or not raw.endswith(b"\n"):
        yield "stdout is not exactly one line: %r" % raw[:300]
    try:
        o = json.loads(raw)
    except ValueError as e:
        yield "stdout is not JSON (%s)" % e
        return
    if not isinstance(o, dict) or not isinstance(o.get("ok"), bool):
        yield "not an object with a boolean ok: %r" % raw[:300]
        return
    empty = [k for k in walk(o) if k not in ("value", "effective", "old", "new")]
    if empty:
        yield '"" where null is meant (a field that can be absent): %s' % ", ".join(empty)
    if rc == 0:
        if o["ok"] is not True or "error" in o:
            yield "exit 0 but ok=%r error=%r" % (o["ok"], o.get("error"))
        return
    if verdict and "error" not in o:
        if o["ok"] is not False:
            yield "a negative verdict with ok=true"
        return
    e = o.get("error")
    if o["ok"] is not False or not isinstance(e, dict):
        yield "a failure (exit %d) without an error object: %r" % (rc, raw[:300])
        return
    code, msg = e.get("code"), e.get("message")
    if code not in codes:
        yield "error.code %r is not in docs/cli.md's list" % code
    elif codes[code] != ("128+N" if rc > 128 else str(rc)):
        yield "error.code %s exits %s by docs/cli.md, %d here" % (code, codes[code], rc)
    if not isinstance(msg, str) or not msg:
        yield "error.message missing or empty"

for n in sorted(int(f[:-5]) for f in os.listdir(d) if f.endswith(".meta")):
    meta = open("%s/%d.meta" % (d, n), "rb").read().decode("utf-8", "surrogateescape")
    rc, name, *words = meta.split("\n")[:-1]
    p = list(problems(open("%s/%d.out" % (d, n), "rb").read(), int(rc), words))
    if p:
        print("not ok - walk: %s: --json: %s" % (name, "; ".join(p)))
    else:
        print("ok - walk: %s: --json is one object that follows the rule" % name)
PY
}

# walk_run MODE WORDS...: one run from the starting state; sets rc, leaves $T/.out, .err.
walk_run() {
	mode=$1
	shift
	rm -rf "$M" && cp -a "$T/tpl" "$M"
	if [ "$mode" = json ]; then
		"$WSLCTL" --json $G "$@" </dev/null >"$T/.out" 2>"$T/.err"
	else
		"$WSLCTL" $G "$@" </dev/null >"$T/.out" 2>"$T/.err"
	fi
	rc=$?
}

# row N WANT WORDS...: both modes; the exit codes and the text checked here, the JSON
# kept for check_json.
row() {
	n=$1 want=$2
	shift 2
	walk_run text "$@"
	trc=$rc
	terr=$(cat "$T/.err")
	walk_run json "$@"
	mv "$T/.out" "$T/rows/$n.out"
	{ echo "$rc"; echo "$name"; for w in "$@"; do echo "$w"; done; } >"$T/rows/$n.meta"
	if [ "$trc" -ne "$want" ] || [ "$rc" -ne "$want" ]; then
		not_ok "walk: $name: exit $want in both modes (text $trc, --json $rc; stderr: $(cat "$T/.err"))"
	else
		ok "walk: $name: exit $want in both modes"
	fi
	# The text mode says "wslctl: error:" exactly when the JSON is a failure.
	failure=
	grep -q '"error":{' "$T/rows/$n.out" && failure=1
	case "$trc:$failure:$terr" in
	0:*:*"wslctl: error:"*) not_ok "walk: $name: text mode says error on a success" ;;
	0:*) ok "walk: $name: text mode: no error on a success" ;;
	*:1:*"wslctl: error:"*) ok "walk: $name: text mode names the error" ;;
	*:1:*) not_ok "walk: $name: text mode: a failure without 'wslctl: error:'" ;;
	*:*"wslctl: error:"*) not_ok "walk: $name: text mode: a verdict said as an error" ;;
	*) ok "walk: $name: text mode: a verdict, not an error" ;;
	esac
}

# --- the table: EXIT  COMMAND WORDS (shell words; $G, the machine's global options,
# --- goes before them; a later --wslconfig/--root/--home wins). Rows naming $RO need a
# --- read-only folder; $FEED is the loopback feed and GitHub API.
server_start --root "$T/feed" --routes "$T/feed/routes.json" >/dev/null || exit 1
FEED="--releases $SERVER_URL --feed nuget:Microsoft.WSL.Kernel@$SERVER_URL/nuget/index.json"
mkdir "$T/rows"
i=0
while read -r want words; do
	case "$want" in ''|'#'*) continue ;; esac
	name=${words:-(no command)}
	case "$words" in *'$RO'*) if [ -z "$RO" ]; then
		echo "ok - # SKIP walk: $name: cannot make a read-only folder here"; continue; fi ;; esac
	i=$((i + 1))
	eval "set -- $words"
	row "$i" "$want" "$@"
done <<'TABLE'
# the tool itself
2
0 --help
0 --version
0 help
0 help help
2 help nosuch
2 nosuch
2 --bogus check
2 --wslconfig
2 config --version
# help of every command
0 help enable
0 help disable
0 help config
0 help check
0 help update
0 help kernel
0 help build
0 kernel --help
# enable, disable
0 enable virtiofs
0 disable virtiofs
0 -n enable virtiofs
2 enable
2 enable nosuch
2 enable virtiofs extra
2 enable virtiofs --bogus
3 enable virtiofs --wslconfig $F/fifo
3 enable virtiofs --wslconfig $F/adir
3 enable virtiofs --wslconfig $F/nodir/.wslconfig
1 enable virtiofs --wslconfig $RO/.wslconfig
# config
2 config
2 config nosuch
0 config get wsl2.memory
0 config get wsl2.swap
1 config get wsl2.memory --file $F/bad.wslconfig
2 config get
2 config get nosuch.key
0 config set wsl2.memory 8GB
0 -n config set wsl2.memory 8GB
0 config set wsl2.memory 8GB wsl2.swap 1GB
2 config set wsl2.memory
2 config set nosuch.key 1
3 config set wsl2.memory lots
1 config set wsl2.memory 8GB --wslconfig $RO/.wslconfig
0 config unset wsl2.memory
2 config unset
0 config merge $F/frag.wslconfig
2 config merge
3 config merge $F/missing.wslconfig
3 config merge "$NONUTF8"
3 config merge $F/fifo
3 config merge $F/adir
0 config list
0 config list --all
3 config list --file $F/fifo
0 config validate
1 config validate --file $F/bad.wslconfig
0 config validate --file $F/missing.wslconfig
3 config validate --file $F/fifo
0 config path
2 config path extra
# check
1 check
0 check --root $TESTS_DIR/fixtures/check/wsl-2.9-pool --wslconfig $TESTS_DIR/fixtures/check/wslconfig/on.wslconfig
1 check --root $TESTS_DIR/fixtures/check/wsl1
2 check --require nosuch
2 check extra
3 check --root $F/missing
1 check --root $F/adir
# update (a local package, and the loopback feed)
0 update --feed $PKG --sha256 $SUM
0 -n update --feed $PKG --sha256 $SUM
0 update --check $FEED
0 update $FEED --kernel-version 6.18.33.2-2 --allow-downgrade
1 update --feed $PKG --sha256 $ZERO
3 update --feed $PKG --sha256 xyz
3 update --feed $F/missing.nupkg --sha256 $SUM
1 update $FEED --kernel-version 9.9.9-1
1 update --feed http://127.0.0.1:1/k.nupkg --kernel-version 9.9.9-1
2 update --bogus
2 update extra
# kernel
0 kernel list
0 kernel use 6.18.33.2-2
0 -n kernel use 6.18.33.2-2
0 kernel rollback
0 kernel remove 6.18.33.2-2
0 kernel remove 1.2.3-4
1 kernel use 9.9.9-1
3 kernel remove 6.18.35.2-1
2 kernel
2 kernel nosuch
2 kernel use
2 kernel list extra
2 kernel use 6.18.33.2-2 --available
# build (the fake kernel tree: a build takes under a second)
0 -n build --source $M/tree --no-activate
0 build --source $M/tree --no-activate
2 build --source $M/tree --no-activate --modules --base-config $F/nomod.config
3 build --source $F/missing
3 build --source $F/fifo
3 build --source "$NONUTF8"
2 build --jobs 0 --source $M/tree
3 build --source $M/tree --no-activate --config-fragment $F/missing.config
3 build --source $M/tree --no-activate --config-fragment $F/adir
3 build --source $M/tree --no-activate --config-fragment $F/fifo
3 -n build --source $M/tree --no-activate --config-fragment $F/fifo
3 build --source $M/tree --no-activate --base-config $F/missing.config
3 build --source $M/tree --no-activate --base-config $F/adir
3 -n build --source $M/tree --no-activate --base-config $F/adir
3 build --source $M/tree --no-activate --base-config $F/fifo
3 build --source $M/tree --no-activate --patches $F/missing
3 build --source $M/tree --no-activate --patches $F/adir
2 build extra
# bench: a quick run on the machine's copy, its records in $G's --home
0 help bench
0 bench --quick --target $M --reference $M
2 -n bench --quick --target $M --reference $M
2 bench --quick --reference $M
3 bench --quick --target $F/missing --reference $M
3 bench --quick --target $F/fifo --reference $M
0 bench --history
0 bench --compare
2 bench --history --compare
2 bench extra
TABLE
check_json "$T/rows"

# --- what a table row cannot say ------------------------------------------------------
. "$TESTS_DIR/json-lib.sh"
rm -rf "$M" && cp -a "$T/tpl" "$M"
NUTREE=$(printf '%s/tr\377ee' "$M")
cp -R "$M/tree" "$NUTREE"
run --json $G -n build --source "$NUTREE" --no-activate
expect_json '"\ufffd" in j["source"] and "\ufffd" in j["build_dir"]' \
	"build -n: a source path that is not UTF-8 is reported with U+FFFD, not dropped"
run --json $G build --source "$NUTREE" --no-activate --modules --base-config "$F/nomod.config"
expect_rc 2 "build, a failure in a source path that is not UTF-8: exit 2"
expect_json '"\ufffd" in j["source"] and j["error"]["code"] == "usage" and "\ufffd" in j["error"]["message"]' \
	"build, a failure in a path that is not UTF-8: the report and the error both kept"
run --json $G bench --quick --target "$NUTREE" --reference "$M"
expect_json '"\ufffd" in j["target"]["path"]' \
	"bench: a target path that is not UTF-8 is reported with U+FFFD, not dropped"
cp -R "$TESTS_DIR/fixtures/check/wsl-2.9-pool" "$T/nu-root"
printf '6.18.35.2-microsoft-standard-WSL2\377\n' >"$T/nu-root/proc/sys/kernel/osrelease"
run --json check --root "$T/nu-root"
expect_json 'len(j["checks"]) == 10 and "\ufffd" in j["checks"][0]["detail"]' \
	"check: a release that is not UTF-8 keeps every check in the JSON (U+FFFD)"
cp -R "$TESTS_DIR/fixtures/patches-good" "$T/nu-patches"
mv "$T/nu-patches/0002-virtiofs-clamp-to-dma-size.patch" "$(printf '%s/0002-\377.patch' "$T/nu-patches")"
sed -i 's/^0002-virtiofs-clamp-to-dma-size.patch/0002-\o377.patch/' "$T/nu-patches/series"
run --json $G -n build --source "$M/tree" --patches "$T/nu-patches"
expect_json 'len(j["patches"]) == 4 and "\ufffd" in j["patches"][1]["name"]' \
	"build -n: a patch name that is not UTF-8 keeps its entry (U+FFFD)"
