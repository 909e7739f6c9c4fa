#!/usr/bin/env python3
"""Checks a package zip against the list of entries it must contain.

usage: check_zip.py <zip> <expected-list> [VAR=value ...]
The list has one path per line (# comments); ${VAR} is replaced. Fails when an expected entry
is missing, when a file is there that the list does not name, or, with a line "version-file
PATH LINE", when that file lacks LINE (the version filled in).
"""
import sys
import zipfile


def main(argv):
    zpath, listing = argv[1], argv[2]
    subst = dict(a.split("=", 1) for a in argv[3:])
    expected, version_checks = set(), []
    for line in open(listing):
        line = line.split("#", 1)[0].strip()
        for k, v in subst.items():
            line = line.replace("${" + k + "}", v)
        if not line:
            continue
        if line.startswith("version-file "):
            _, path, want = line.split(None, 2)
            version_checks.append((path, want))
        else:
            expected.add(line)
    z = zipfile.ZipFile(zpath)
    names = [n for n in z.namelist() if not n.endswith("/")]
    problems = [f"missing: {e} (listed in {listing}, not staged: copy it in the Makefile's stage target, "
                f"or drop it from the list)" for e in sorted(expected - set(names))]
    problems += [f"unexpected: {n} (staged, not listed: add it to {listing} if it belongs in the package, "
                 f"else stop the Makefile's stage target copying it)" for n in sorted(set(names) - expected)]
    for info in z.infolist():
        if info.date_time != (1980, 1, 1, 0, 0, 0):
            problems.append(f"timestamp not fixed: {info.filename} (build the zip with tools/zipdir.py)")
    if names != sorted(names):
        problems.append("entries are not sorted (build the zip with tools/zipdir.py)")
    for path, want in version_checks:
        lines = z.read(path).decode().splitlines() if path in names else []
        if want not in lines:
            problems.append(f"{path}: no line '{want}' (the stage target writes the version into it)")
    for p in problems:
        print(f"{zpath}: {p}")
    print(f"{zpath}: {len(names)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
