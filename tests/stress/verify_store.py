#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks a kernel store after a crash: every version the store lists is complete and
byte-identical to its package, and the active kernel (kernel= in .wslconfig) is one of
them. usage: verify_store.py STORE PKGDIR WSLCONFIG ACTIVE-ALLOWED... ; exit 1 with a
reason on stderr. PKGDIR holds the mkfeed.py flat container (the packages installed)."""
import glob
import hashlib
import json
import os
import re
import sys
import zipfile

store, pkgdir, wslconfig, allowed = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]


def fail(msg):
    print("verify_store: " + msg, file=sys.stderr)
    sys.exit(1)


versions = {}
for d in sorted(glob.glob(os.path.join(store, "versions", "*"))):
    v = os.path.basename(d)
    if v.startswith("."):
        continue  # a move-aside of an atomic replace, not listed
    try:
        m = json.load(open(os.path.join(d, "manifest.json")))
    except (OSError, ValueError) as e:
        fail("%s: no readable manifest (%s)" % (d, e))
    pkg = glob.glob(os.path.join(pkgdir, "*", v, "*.nupkg"))
    if len(pkg) != 1:
        fail("%s: no package for version %s" % (d, v))
    data = open(pkg[0], "rb").read()
    if m.get("sha256") and m["sha256"] != hashlib.sha256(data).hexdigest():
        fail("%s: manifest sha256 is not the package's" % d)
    with zipfile.ZipFile(pkg[0]) as z:
        for f in m.get("files", []):
            want = z.read("build/native/bin/x64/" + f)
            try:
                got = open(os.path.join(d, f), "rb").read()
            except OSError:
                fail("%s: %s listed in the manifest is missing" % (d, f))
            if got != want:
                fail("%s/%s: %d bytes differ from the package's %d" % (d, f, len(got), len(want)))
    if "kernel" not in m.get("files", []):
        fail("%s: manifest lists no kernel" % d)
    versions[v] = m

text = open(wslconfig, "rb").read().decode("utf-8", "replace") if os.path.exists(wslconfig) else ""
k = re.search(r"(?mi)^\s*kernel\s*=\s*(.*?)\s*$", text)
active = None
if k:
    mm = re.search(r"versions\\\\([^\\]+)\\\\kernel", k.group(1))
    if not mm:
        fail("kernel=%s names no store version" % k.group(1))
    active = mm.group(1)
    if active not in versions:
        fail("kernel= names %s, which is not complete in the store" % active)
if (active or "none") not in allowed:
    fail("active kernel %s, wanted one of %s" % (active, allowed))
st = os.path.join(store, "state.json")
if os.path.exists(st):
    try:
        json.load(open(st))
    except ValueError as e:
        fail("state.json does not parse: %s" % e)
