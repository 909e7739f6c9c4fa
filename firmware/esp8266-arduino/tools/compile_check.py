#!/usr/bin/env python3
"""Compiles every C/C++ file of an unpacked package that needs no SDK header, for a target.

usage: compile_check.py --root DIR --cc CC --cxx CXX --out DIR [--must-compile FILE ...]
                        -- <flags for both>  (-I... -D... -W...)
A file needs an SDK when one of its #includes resolves neither to the package (the including
file's folder or an -I folder) nor to the target's C library / lwIP headers given with -I /
-isystem: such files are listed as skipped with the header that is missing. --must-compile
names files (relative to root) that must not be skipped: the portable core and glue, so an
SDK header slipping into them fails the check instead of skipping it.
"""
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def dirs_from(flags):
    out, i = [], 0
    while i < len(flags):
        f = flags[i]
        if f in ("-I", "-isystem"):
            out.append(flags[i + 1])
            i += 2
            continue
        if f.startswith("-I"):
            out.append(f[2:])
        elif f.startswith("-isystem"):
            out.append(f[len("-isystem"):])
        i += 1
    return out


def resolves(header, here, search):
    return any(os.path.isfile(os.path.join(d, header)) for d in [here] + search)


def missing_header(path, search, seen=None):
    """The first #include (followed through the package's own headers) that resolves nowhere."""
    seen = seen if seen is not None else set()
    if path in seen:
        return None
    seen.add(path)
    here = os.path.dirname(path)
    text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    for h in INCLUDE.findall(text):
        found = next((os.path.join(d, h) for d in [here] + search if os.path.isfile(os.path.join(d, h))), None)
        if found is None:
            return h
        if os.path.abspath(found).startswith(ROOT):
            m = missing_header(found, search, seen)
            if m:
                return m
    return None


def main(argv):
    global ROOT
    if "--" not in argv or any(k not in argv for k in ("--root", "--cc", "--cxx", "--out")):
        raise SystemExit(__doc__.split("\n\n")[1])
    sep = argv.index("--")
    opts, flags = argv[1:sep], argv[sep + 1:]
    get = lambda k: opts[opts.index(k) + 1]
    ROOT = os.path.abspath(get("--root"))
    cc, cxx, out = get("--cc"), get("--cxx"), get("--out")
    if not os.path.isdir(ROOT):
        raise SystemExit(f"compile_check.py: --root {ROOT} is not a folder (unpack the package there first)")
    must = set(opts[opts.index("--must-compile") + 1:]) if "--must-compile" in opts else set()
    # The compiler's own headers (stddef.h, stdint.h, stdarg.h) count as the target's C library.
    gcc_include = subprocess.run([cc, "-print-file-name=include"], capture_output=True, text=True).stdout.strip()
    search = dirs_from(flags) + [gcc_include]
    sources = sorted(os.path.relpath(os.path.join(r, n), ROOT)
                     for r, _d, names in os.walk(ROOT) for n in names if n.endswith((".c", ".cpp", ".ino")))
    compiled, skipped, failed = [], [], []
    os.makedirs(out, exist_ok=True)
    for rel in sources:
        path = os.path.join(ROOT, rel)
        sdk = missing_header(path, search)
        if sdk:
            skipped.append((rel, sdk))
            continue
        is_cxx = rel.endswith((".cpp", ".ino"))
        cmd = [cxx if is_cxx else cc] + (["-x", "c++", "-std=c++11"] if is_cxx else ["-std=c99"]) + flags + \
              ["-c", path, "-o", os.path.join(out, rel.replace("/", "__") + ".o")]
        r = subprocess.run(cmd, capture_output=True, text=True)
        (compiled if r.returncode == 0 else failed).append(rel)
        if r.returncode != 0:
            sys.stdout.write(r.stdout + r.stderr)
    for rel in compiled:
        print(f"compiled  {rel}")
    for rel, h in skipped:
        print(f"skipped   {rel}  (needs the SDK: {h})")
    for rel in failed:
        print(f"FAILED    {rel}")
    problems = [f"{m} must compile without an SDK but needs {h}" for m, h in skipped if m in must]
    problems += [f"{m} is not in the package" for m in must if m not in sources]
    for p in problems:
        print(f"ERROR     {p}")
    print(f"{len(compiled)} compiled, {len(failed)} failed, {len(skipped)} skipped (SDK)")
    return 1 if failed or problems or not compiled else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
