#!/usr/bin/env python3
"""Deterministic zip of a staged directory: sorted entries, fixed timestamps and modes.

usage: zipdir.py <stage-dir> <out.zip> [--prefix NAME]
Entries are relative to stage-dir; with --prefix they sit under NAME/ (one top-level folder).
"""
import os
import sys
import zipfile

FIXED = (1980, 1, 1, 0, 0, 0)


def main(argv):
    stage, out = argv[1], argv[2]
    prefix = argv[argv.index("--prefix") + 1] + "/" if "--prefix" in argv else ""
    files = []
    for root, _dirs, names in os.walk(stage):
        for n in names:
            full = os.path.join(root, n)
            files.append(os.path.relpath(full, stage).replace(os.sep, "/"))
    files.sort()
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        dirs = set()
        for f in files:
            parts = (prefix + f).split("/")[:-1]
            for i in range(1, len(parts) + 1):
                dirs.add("/".join(parts[:i]) + "/")
        for name in sorted(dirs | {prefix + f for f in files}):
            info = zipfile.ZipInfo(name, FIXED)
            if name.endswith("/"):
                info.external_attr = (0o40755 << 16) | 0x10
                z.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(os.path.join(stage, name[len(prefix):]), "rb") as fh:
                    z.writestr(info, fh.read())
    os.replace(tmp, out)
    print(f"{out}: {len(files)} files")


if __name__ == "__main__":
    main(sys.argv)
