#!/usr/bin/env python3
"""The compile command arduino-cli would run for one source file, from the core's own
platform.txt and boards.txt: so that the check follows the flags of each core version (3.1.2
and master differ) instead of a copy of them.

usage: arduino_cmd.py CORE BUILD_DIR BOARD[:OPT=VAL,...] SOURCE OBJECT [INCLUDE_DIR...]

Prints one shell-quoted command line. Board menu options not given take their first value
in boards.txt, as arduino-cli does. Warnings are at the IDE's "All" level (-Wall -Wextra).
The compiler is the one on PATH (compiler.path emptied: Debian's xtensa-lx106-elf-gcc).
"""
import os
import re
import shlex
import sys

# What arduino-cli 1.x reports as runtime.ide.version.
IDE_VERSION = '10607'


def read_properties(path):
    props = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#') and '=' in line:
                key, value = line.split('=', 1)
                props[key.strip()] = value.strip()
    return props


def board_properties(boards, board, chosen):
    """The board's keys without the board prefix, with one value of every menu merged in."""
    prefix = board + '.'
    props = {k[len(prefix):]: v for k, v in boards.items()
             if k.startswith(prefix) and not k.startswith(prefix + 'menu.')}
    menus = {}  # menu -> options in file order
    for key in boards:
        m = re.match(re.escape(prefix) + r'menu\.([^.]+)\.([^.]+)$', key)
        if m:
            menus.setdefault(m.group(1), []).append(m.group(2))
    for menu, options in menus.items():
        option = chosen.pop(menu, options[0])
        if option not in options:
            sys.exit(f'arduino_cmd.py: {board} has no {menu}={option} (it has {", ".join(options)})')
        opt_prefix = f'{prefix}menu.{menu}.{option}.'
        props.update({k[len(opt_prefix):]: v for k, v in boards.items() if k.startswith(opt_prefix)})
    if chosen:
        sys.exit(f'arduino_cmd.py: {board} has no menu {", ".join(chosen)}')
    return props


def expand(value, props):
    for _ in range(20):
        new = re.sub(r'\{([^{}]+)\}', lambda m: props.get(m.group(1), m.group(0)), value)
        if new == value:
            return new
        value = new
    return value


def split_quoted(command):
    """arduino-cli's splitting: a token that starts with a quote runs to the matching closing
    quote and loses the quotes; quotes inside a token (-DX="y") are kept."""
    tokens, current, quote = [], [], None
    for token in command.split():
        if quote:
            current.append(token)
            if token.endswith(quote):
                tokens.append(' '.join(current)[1:-1])
                current, quote = [], None
        elif token[0] in '"\'' and not (len(token) > 1 and token.endswith(token[0])):
            current, quote = [token], token[0]
        elif token[0] in '"\'':
            tokens.append(token[1:-1])
        else:
            tokens.append(token)
    return tokens


def main():
    core, build_dir, board_spec, source, obj, *includes = sys.argv[1:]
    board, _, opts = board_spec.partition(':')
    chosen = dict(o.split('=', 1) for o in opts.split(',') if o)
    props = read_properties(os.path.join(core, 'platform.txt'))
    props.update(board_properties(read_properties(os.path.join(core, 'boards.txt')), board, chosen))
    props.update({
        'runtime.platform.path': core,
        'runtime.ide.version': IDE_VERSION,
        'build.path': build_dir,
        'build.arch': 'ESP8266',
        '_id': board,
        'compiler.path': '',
        'compiler.warning_flags': props['compiler.warning_flags.all'],
        'includes': ' '.join(f'"-I{d}"' for d in includes),
        'source_file': source,
        'object_file': obj,
    })
    recipe = 'recipe.c.o.pattern' if source.endswith('.c') else 'recipe.cpp.o.pattern'
    argv = split_quoted(expand(props[recipe], props))
    left = [t for t in argv if re.search(r'\{[^{}]+\}', t)]
    if left:
        sys.exit(f'arduino_cmd.py: unresolved in {recipe}: {" ".join(left)}')
    print(shlex.join(argv))


main()
