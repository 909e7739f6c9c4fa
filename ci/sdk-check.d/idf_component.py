#!/usr/bin/env python3
"""What ESP-IDF's build takes from a component's CMakeLists.txt for compiling it: the sources,
the include dirs (public and private) and the compile definitions, with ${...} resolved
(CONFIG_* from the project's sdkconfig.h). It reads the few CMake commands our CMakeLists.txt
files use (set, if(EXISTS)/else/endif, idf_component_register, target_compile_definitions) and
stops with a message on anything else, so that a change there cannot be silently misread.

usage: idf_component.py COMPONENT_DIR SDKCONFIG_H
prints shell assignments: SRCS=(...) INCS=(...) PRIV_INCS=(...) DEFS=(...) with absolute paths.
"""
import os
import re
import shlex
import sys

comp, sdkconfig_h = os.path.abspath(sys.argv[1]), sys.argv[2]
path = os.path.join(comp, 'CMakeLists.txt')
text = open(path, encoding='utf-8').read()

config = {}
for line in open(sdkconfig_h, encoding='utf-8'):
    m = re.match(r'#define (CONFIG_\w+) (.*)$', line)
    if m:
        value = m.group(2).strip()
        config[m.group(1)] = value[1:-1] if value.startswith('"') else value
variables = {'CMAKE_CURRENT_LIST_DIR': comp, 'COMPONENT_DIR': comp, 'COMPONENT_LIB': '__idf_component'}


def fail(msg):
    sys.exit(f'idf_component.py: {path}: {msg}; teach ci/sdk-check.d/idf_component.py to read it')


def resolve(word):
    def var(m):
        name = m.group(1)
        if name in variables:
            return variables[name]
        if name.startswith('CONFIG_'):
            if name not in config:
                fail(f'${{{name}}} is not in {sdkconfig_h}')
            return config[name]
        fail(f'unknown variable ${{{name}}}')
    return re.sub(r'\$\{(\w+)\}', var, word)


def commands(src):
    """(name, [args]) of each command invocation; comments dropped, quotes removed."""
    src = re.sub(r'(?m)^\s*#.*$|(?<=\s)#[^"\n]*$', '', src)
    for m in re.finditer(r'(\w+)\s*\(((?:[^()"]|"[^"]*")*)\)', src):
        args = [a[1:-1] if a.startswith('"') else a for a in re.findall(r'"[^"]*"|[^\s"]+', m.group(2))]
        yield m.group(1).lower(), args


out = {'SRCS': [], 'INCS': [], 'PRIV_INCS': [], 'DEFS': []}
keys = {'SRCS': 'SRCS', 'INCLUDE_DIRS': 'INCS', 'PRIV_INCLUDE_DIRS': 'PRIV_INCS'}
skip_keys = {'REQUIRES', 'PRIV_REQUIRES', 'EMBED_FILES', 'EMBED_TXTFILES', 'LDFRAGMENTS', 'WHOLE_ARCHIVE'}
active = [True]  # if/else nesting: is this branch taken?
for name, args in commands(text):
    if name == 'if':
        if len(args) != 2 or args[0] != 'EXISTS':
            fail(f'if({" ".join(args)})')
        active.append(active[-1] and os.path.exists(resolve(args[1])))
    elif name == 'else':
        taken = active.pop()
        active.append(active[-1] and not taken)
    elif name == 'endif':
        active.pop()
    elif not active[-1]:
        continue
    elif name == 'set':
        variables[args[0]] = ' '.join(resolve(a) for a in args[1:])
    elif name == 'idf_component_register':
        key = None
        for a in args:
            if a in keys or a in skip_keys:
                key = a
            elif key in keys:
                p = resolve(a)
                out[keys[key]].append(os.path.normpath(p if os.path.isabs(p) else os.path.join(comp, p)))
            elif key is None:
                fail(f'idf_component_register argument {a} before any keyword')
    elif name == 'target_compile_definitions':
        out['DEFS'] += ['-D' + resolve(a).removeprefix('-D') for a in args[1:]
                        if a not in ('PRIVATE', 'PUBLIC', 'INTERFACE')]
    else:
        fail(f'command {name}()')
for key, values in out.items():
    print(f'{key}=({" ".join(shlex.quote(v) for v in values)})')
