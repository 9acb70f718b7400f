# SPDX-License-Identifier: MIT
# The host's side of tests/kernel/bench.sh: reads LOG/bench-NAME.json (and .rc) that
# kernel-test.sh cut out of the guest's console, prints TAP lines and writes the
# per-workload ratios to LOG/bench-ratios.txt.
# usage: bench_assert.py LOG "shell-max=N hiwater=N"   (the guest's KTEST pool-during)
import json
import os
import sys

WORKLOADS = ["unpack", "status", "read", "seq", "clean"]
# run name: (target transport, reference transport)
RUNS = {"9p": ("9p", "ext4"), "virtiofs": ("virtiofs", "ext4"), "sampler": ("ext4", "tmpfs")}

log = sys.argv[1]
during = dict(kv.split("=", 1) for kv in sys.argv[2].split() if "=" in kv)


def ok(cond, msg):
    print(("ok - " if cond else "not ok - ") + msg)
    return cond


def load(name):
    rc = open(os.path.join(log, "bench-%s.rc" % name)).read().strip()
    try:
        doc = json.load(open(os.path.join(log, "bench-%s.json" % name)))
    except ValueError as e:
        ok(False, "bench %s: no JSON object (exit %s): %s" % (name, rc or "none", e))
        return None
    if not ok(rc == "0" and doc.get("ok", True) is not False,
              "bench %s: exit %s, ok %s" % (name, rc or "none", doc.get("ok"))):
        print("# %s" % json.dumps(doc.get("error")))
    return doc


def side_ran(name, wl, side):
    s = wl.get(side) or {}
    n = s.get("bytes", s.get("files")) or 0
    rate = s.get("rate") or 0
    return n > 0 and rate > 0, "%s %s: %s %s in %.3f s, %.1f %s" % (
        name, side, n, "bytes" if "bytes" in s else "files", s.get("seconds") or 0, rate,
        wl.get("unit"))


def default_peak(side):
    """The largest peak of the default pool ("swiotlb") this side reported."""
    return max([p.get("peak") or 0 for p in (side.get("pool_peak") or [])
                if p.get("pool") == "swiotlb" and not p.get("dedicated")] or [-1])


def check_run(name, doc):
    want_t, want_r = RUNS[name]
    got_t = (doc.get("target") or {}).get("transport")
    got_r = (doc.get("reference") or {}).get("transport")
    ok(got_t == want_t, "bench %s: target named %s (wanted %s)" % (name, got_t, want_t))
    ok(got_r == want_r, "bench %s: reference named %s (wanted %s)" % (name, got_r, want_r))
    wls = {w.get("id"): w for w in doc.get("workloads", [])}
    ok(sorted(wls) == sorted(WORKLOADS), "bench %s: workloads %s" % (name, " ".join(wls)))
    ran = []
    for wid in WORKLOADS:
        wl = wls.get(wid, {})
        for side in ("target", "reference"):
            good, what = side_ran(wid, wl, side)
            ran.append(good)
            if not good:
                ok(False, "bench %s: %s did not run: %s" % (name, wid, what))
    ok(all(ran), "bench %s: every workload ran on target and reference" % name)
    return wls


def ratios(runs):
    out = ["workload | unit | 9p/ext4 | virtiofs/ext4 | 9p/virtiofs | ext4/tmpfs"]
    for wid in WORKLOADS:
        def r(name):
            w = runs.get(name, {}).get(wid) or {}
            return w.get("ratio")
        a, b, c = r("9p"), r("virtiofs"), r("sampler")
        ab = a / b if a and b else None
        cell = ["%.3g" % v if v else "-" for v in (a, b, ab, c)]
        unit = (runs.get("9p", {}).get(wid) or {}).get("unit", "-")
        out.append(" | ".join([wid, unit] + cell))
    return "\n".join(out) + "\n"


runs = {}
for name in RUNS:
    doc = load(name)
    if doc is not None:
        runs[name] = check_run(name, doc)

# The sampler: the bench's own peak for the default pool on the bouncing ext4 disk,
# and the shell's polling of io_tlb_used while it ran.
smp = runs.get("sampler", {})
peaks = {wid: default_peak((smp.get(wid) or {}).get("target") or {}) for wid in WORKLOADS}
ok(any(p > 0 for p in peaks.values()),
   "bench sampler: default pool peak reported on ext4 over virtio-blk (%s)" %
   " ".join("%s=%s" % kv for kv in peaks.items()))
shell_max = int(during.get("shell-max") or 0)
hiwater = int(during.get("hiwater") or 0)
ok(shell_max > 0 and hiwater > 0,
   "default pool io_tlb_used rose during the bench: polled max %d, high-water %d slots" %
   (shell_max, hiwater))
ok(0 < max(peaks.values()) <= hiwater,
   "the reported peak (%d) is within the pool's high-water mark (%d)" %
   (max(peaks.values()), hiwater))

with open(os.path.join(log, "bench-ratios.txt"), "w") as f:
    f.write(ratios(runs))
