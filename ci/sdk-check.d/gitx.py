#!/usr/bin/env python3
"""Extract PATHS of COMMIT from a bare repository into DEST, without a work tree or checkout.

usage: gitx.py GITDIR COMMIT DEST PATH...   ("." = the whole tree)

A snapshot taken by the fetch tool may lack some large blobs; those files are skipped (and
counted on stderr) instead of failing the whole extraction: if one of them is needed, the
controls of ci/sdk-check fail and say so. Submodule entries are left out (pins.tsv lists each
submodule as a line of its own).
"""
import os
import subprocess
import sys

gitdir, commit, dest, *paths = sys.argv[1:]
listing = subprocess.run(['git', '--git-dir', gitdir, 'ls-tree', '-r', '-z', commit, '--'] + paths,
                         capture_output=True, check=True).stdout
entries = []
for record in listing.split(b'\0'):
    if not record:
        continue
    meta, name = record.split(b'\t', 1)
    mode, kind, sha = meta.split()
    if kind == b'blob':
        entries.append((mode, sha, name.decode()))

cat = subprocess.Popen(['git', '--git-dir', gitdir, 'cat-file', '--batch'],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
skipped = 0
for mode, sha, name in entries:
    cat.stdin.write(sha + b'\n')
    cat.stdin.flush()
    header = cat.stdout.readline().split()
    if len(header) < 3 or header[1] == b'missing':
        skipped += 1
        continue
    data = cat.stdout.read(int(header[2]))
    cat.stdout.read(1)
    path = os.path.join(dest, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if mode == b'120000':
        if not os.path.lexists(path):
            os.symlink(data.decode(), path)
    else:
        with open(path, 'wb') as out:
            out.write(data)
cat.stdin.close()
cat.wait()
print(f'{len(entries) - skipped} files' + (f', {skipped} absent from the snapshot' if skipped else ''),
      file=sys.stderr)
