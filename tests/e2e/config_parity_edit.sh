# SPDX-License-Identifier: MIT
# The editor on every parity fixture and sample file: `config set` of a key touches only
# the value bytes of the occurrence WSL uses (or adds its line, with a section header when
# the section is missing), WSL then reads exactly the value that was set, and `set` + `unset`
# of a key the file did not have gives back the original bytes (but for the section
# header set added, which unset leaves: an empty header may be the user's own).
. "$TESTS_DIR/lib.sh"

python3 - "$WSLCTL" "$T" "$TESTS_DIR/fixtures/wslconfig" <<'PY'
import difflib, glob, json, os, re, shutil, subprocess, sys

wslctl, tmp, fx = sys.argv[1:4]
SETS = [("wsl2.memory", "6GB"), ("wsl2.swap", "0"), ("wsl2.processors", "3"),
        ("wsl2.kernel", r"C:\k\bzImage"), ("wsl2.virtiofs", "true"),
        ("wsl2.networkingMode", "mirrored"), ("wsl2.kernelCommandLine", "a # b"),
        ("experimental.sparseVhd", "true"), ("experimental.autoMemoryReclaim", "gradual"),
        ("general.instanceIdleTimeout", "1000")]
# A last line "x\" without a line end cannot be followed by a new section without
# WSL reading it differently: the editor must refuse those, leaving the file alone.
REFUSE = {("escape-at-eof", "experimental.sparseVhd"),
          ("escape-at-eof", "experimental.autoMemoryReclaim"),
          ("escape-at-eof", "general.instanceIdleTimeout")}
fails = []
count = 0

def run(*args):
    p = subprocess.run([wslctl, "--json", "--wslconfig", work] + list(args),
                       capture_output=True, encoding="utf-8", errors="replace")
    return p.returncode, json.loads(p.stdout) if p.stdout.strip() else {}

def lines(b):
    if b.startswith(b"\xff\xfe"):
        t = b.decode("utf-16")
    else:
        t = b.decode("utf-8", "surrogateescape")
    # Lines as WSL counts them: a lone CR ends one too.
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", t)

def prefix(line):
    return line.split("=", 1)[0] + "=" if "=" in line else None

def eol(line):
    return "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else ""

# What WSL makes of each value written plainly, to compare by meaning: a file that already
# says 0K keeps it when asked for 0.
want = {}
for key, val in SETS:
    work = os.path.join(tmp, "ref.wslconfig")
    sect, name = key.split(".")
    open(work, "w").write(f'[{sect}]\n{name}="{val}"\n'.replace("\\", "\\\\"))
    want[key] = run("config", "get", key)[1]["effective"]
    if want[key] is None:
        fails.append(f"{key}={val} has no effective value to compare with")

files = sorted(glob.glob(fx + "/parity/*.wslconfig") + glob.glob(fx + "/*.wslconfig"))
for f in files:
    name = os.path.basename(f)[:-len(".wslconfig")]
    orig = open(f, "rb").read()
    for key, val in SETS:
        count += 1
        case = f"{name} {key}"
        work = os.path.join(tmp, "w.wslconfig")
        shutil.copyfile(f, work)
        _, before = run("config", "get", key)
        present = before.get("source") == "file"
        rc, _ = run("config", "set", key, val)
        after = open(work, "rb").read()
        if (name, key) in REFUSE:
            if rc != 3 or after != orig:
                fails.append(f"{case}: must refuse and leave the file alone (exit {rc})")
            continue
        if rc != 0:
            fails.append(f"{case}: set exited {rc}")
            continue
        _, got = run("config", "get", key)
        # A value WSL already reads the same way (TRUE for true) is left as it is.
        if got.get("effective") != want[key] or not got.get("valid") or got.get("source") != "file":
            fails.append(f"{case}: WSL would read {got.get('value')!r}, not {val!r}")
        a, b = lines(orig), lines(after)
        ops = [o for o in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
               if o[0] != "equal"]
        if present:
            ok = not ops or (len(ops) == 1 and ops[0][0] == "replace" and ops[0][4] - ops[0][3] == 1
                  and ops[0][2] == before["line"]
                  and prefix(a[ops[0][1]]) == prefix(b[ops[0][3]])
                  and eol(a[ops[0][2] - 1]) == eol(b[ops[0][3]]))
        else:
            inserted = sum(o[4] - o[3] for o in ops if o[0] == "insert")
            fixed = [o for o in ops if o[0] == "replace"]
            ok = (all(o[0] in ("insert", "replace") for o in ops) and inserted <= 3
                  and not any(o[0] == "delete" for o in ops)
                  and (not fixed or (len(fixed) == 1 and not inserted
                                     and fixed[0][2] - fixed[0][1] == 1
                                     and prefix(a[fixed[0][1]]) == prefix(b[fixed[0][3]]))))
        if not ok:
            fails.append(f"{case}: more than the value changed: {ops}")
        if not present and not any(o[0] == "replace" for o in ops):
            rc, _ = run("config", "unset", key)
            back = open(work, "rb").read()
            added = [l.strip() for o in ops for l in b[o[3]:o[4]]]
            if rc != 0:
                fails.append(f"{case}: unset after set exited {rc}")
            elif back != orig and "[" + key.split(".")[0] + "]" not in added:
                fails.append(f"{case}: set + unset did not give back the original bytes")
            elif back != orig:
                # The section set had to add stays (an empty header at the end may be the
                # user's own, so unset never removes headers); nothing else may remain.
                left = [o for o in difflib.SequenceMatcher(None, a, lines(back), autojunk=False)
                        .get_opcodes() if o[0] != "equal"]
                rest = [l.strip() for o in left for l in lines(back)[o[3]:o[4]]]
                if any(o[0] != "insert" for o in left) or [l for l in rest if l] != added[-2:-1]:
                    fails.append(f"{case}: set + unset left more than the added header: {rest}")
for m in fails:
    print("not ok - edit parity:", m)
print(f"{'ok' if not fails else 'not ok'} - edit parity: {count} set/unset cases over {len(files)} files")
PY
