#!/usr/bin/env python3
"""A sketch's .ino as arduino-cli turns it into C++: '#include <Arduino.h>', #line directives
pointing back at the .ino (so diagnostics name the sketch's own lines), and prototypes of the
sketch's top-level functions (found with universal-ctags, as arduino-cli does) inserted just
before the first function definition.

usage: ino2cpp.py IN.ino OUT.cpp
"""
import json
import subprocess
import sys

src, dst = sys.argv[1], sys.argv[2]
lines = open(src, encoding='utf-8').read().split('\n')
tags = subprocess.run(['ctags', '--output-format=json', '--language-force=C++', '--kinds-C++=f',
                       '--fields=+nSt', '-f', '-', src], capture_output=True, text=True, check=True).stdout
protos, first = [], None
for line in tags.splitlines():
    tag = json.loads(line)
    if tag.get('_type') != 'tag' or tag.get('kind') != 'function' or 'scope' in tag:
        continue
    ret = tag.get('typeref', 'typename:void').split(':', 1)[1]
    # arduino-cli: a definition whose line holds "static " gets a static prototype
    static = 'static ' if 'static ' in lines[tag['line'] - 1] else ''
    protos.append(f"{static}{ret} {tag['name']}{tag.get('signature', '()')};")
    first = tag['line'] if first is None else min(first, tag['line'])
at = (first or len(lines) + 1) - 1
out = ['#include <Arduino.h>', f'#line 1 "{src}"'] + lines[:at]
out += [f'#line {at + 1} "{src}"'] + protos + [f'#line {at + 1} "{src}"'] + lines[at:]
open(dst, 'w', encoding='utf-8').write('\n'.join(out))
