#!/usr/bin/env python3
"""Checks that examples and README code use only APIs that exist.

usage: check_api_use.py --allow LIST --headers H... --sources S... [--readme MD...]

Every call in the sources (and in the README's ```c/```cpp/```ino code blocks) must be one of:
  - a function or macro declared in the library's own headers (--headers);
  - a method of a class (or struct) of those headers, called on a variable of it (MqttVpn vpn;
    vpn.begin(...)), and every field assigned on a variable of one of their structs
    (cfg.broker = ...) must be a field of that struct;
  - a function defined in the same file;
  - an SDK / Arduino API named in the allow-list (LIST), which says where each comes from:
      fn: name ...             free functions and function-like macros
      type: Type method ...    a class/struct of the SDK and the methods used on it
      global: name Type        a global object of the SDK (Serial, WiFi, ESP)
What it proves: no example or snippet calls something the library does not declare (a renamed or
removed function, a typo, a method of the wrong class), and SDK calls are confined to a reviewed
list. What it cannot prove: argument types, or that the allow-listed SDK APIs behave as assumed.
"""
import os
import re
import sys

KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "defined", "catch", "else", "do",
            "case", "static_cast", "const_cast", "reinterpret_cast", "decltype", "alignof", "_Generic"}
CALL = re.compile(r"(?<![\w.>:])([A-Za-z_]\w*)\s*\(")
METHOD = re.compile(r"([A-Za-z_]\w*)\s*(?:\.|->)\s*([A-Za-z_]\w*)\s*\(")
CHAINED = re.compile(r"\)\s*(?:\.|->)\s*([A-Za-z_]\w*)\s*\(")
FIELD_SET = re.compile(r"([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*=(?!=)")
DEFINITION = re.compile(r"^[A-Za-z_][\w\s\*&:<>,]*?\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*\{", re.M)
DECL = re.compile(r"(?:^|[;{(,]\s*|\n\s*)(?:static\s+|const\s+|struct\s+)*([A-Za-z_]\w*)\s*\*?\s*"
                  r"([A-Za-z_]\w*)\s*(?=[;=(\[,)])")


def strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    text = re.sub(r"'(?:\\.|[^'\\\n])*'", "''", text)
    return re.sub(r"^\s*#\s*(include|error|pragma)[^\n]*", " ", text, flags=re.M)


def parse_headers(paths):
    funcs, classes, structs = set(), {}, {}
    for p in paths:
        t = strip(open(p).read())
        funcs |= {m for m in CALL.findall(t) if m not in KEYWORDS}
        funcs |= set(re.findall(r"#\s*define\s+([A-Za-z_]\w*)\(", t))
        for name, body in re.findall(r"\bclass\s+(\w+)[^{;]*\{(.*?)\n\};", t, re.S):
            classes[name] = set(CALL.findall(body)) - KEYWORDS
        bodies = re.findall(r"\bstruct\s+(\w+)\s*\{(.*?)\n\};", t, re.S)
        bodies += [(n, b) for b, n in re.findall(r"typedef\s+struct\s*\w*\s*\{(.*?)\}\s*(\w+)\s*;", t, re.S)]
        for name, body in bodies:
            fields = set()
            for decl in body.split(";"):
                decl = re.sub(r"=.*", "", decl, flags=re.S).strip()
                for part in decl.split(","):
                    m = re.search(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*$", part.strip())
                    if m:
                        fields.add(m.group(1))
            structs[name] = fields
            # A struct with member functions (MqttVpnConfig::addBroker) is checked as a class too.
            methods = set(CALL.findall(body)) - KEYWORDS
            if methods:
                classes.setdefault(name, set()).update(methods)
    return funcs, classes, structs


def parse_allow(path):
    fns, types, globals_ = set(), {}, {}
    for line in open(path):
        line = line.split("#", 1)[0].split()
        if not line:
            continue
        kind, rest = line[0], line[1:]
        if kind == "fn:":
            fns |= set(rest)
        elif kind == "type:":
            types.setdefault(rest[0], set()).update(rest[1:])
        elif kind == "global:":
            globals_[rest[0]] = rest[1]
        else:
            raise SystemExit(f"{path}: unknown line kind {kind}")
    return fns, types, globals_


def readme_code(path):
    text = open(path).read()
    return "\n".join(re.findall(r"```(?:c|cpp|c\+\+|ino|arduino)\n(.*?)```", text, re.S))


def check(name, text, funcs, classes, structs, allow_fns, allow_types, globals_):
    t = strip(text)
    local = set(DEFINITION.findall(t))
    known_types = set(classes) | set(structs) | set(allow_types)
    var_type = dict(globals_)
    for typ, var in DECL.findall(t):
        if typ in known_types:
            var_type[var] = typ
    all_methods = set().union(*classes.values(), *allow_types.values()) if (classes or allow_types) else set()
    problems = []
    for fn in CALL.findall(t):
        # "WiFiServer server(23);" declares an object of a known type: not a call.
        if fn in KEYWORDS or fn in local or fn in funcs or fn in allow_fns or fn in known_types or fn in var_type:
            continue
        problems.append(f"call of {fn}(): not declared by the library, not defined here, not in the allow-list "
                        f"(a typo or a removed API; an SDK function goes into the allow-list as 'fn: {fn}' "
                        f"after checking its header)")
    for var, method in METHOD.findall(t):
        typ = var_type.get(var)
        if typ in classes:
            ok = method in classes[typ]
        elif typ in allow_types:
            ok = method in allow_types[typ]
        else:
            ok = method in all_methods
        if not ok:
            problems.append(f"{var}.{method}(): no such method of {typ or 'any known type'} (an SDK method goes "
                            f"into the allow-list's 'type: {typ or 'Type'} ...' line)")
    for method in CHAINED.findall(t):
        if method not in all_methods:
            problems.append(f"....{method}(): no known type has this method")
    for var, field in FIELD_SET.findall(t):
        typ = var_type.get(var)
        if typ in structs and field not in structs[typ]:
            problems.append(f"{var}.{field}: {typ} has no such field")
    for p in sorted(set(problems)):
        print(f"{name}: {p}")
    calls = len(CALL.findall(t)) + len(METHOD.findall(t))
    print(f"{name}: {calls} calls checked, {len(set(problems))} problems")
    return len(set(problems))


def main(argv):
    def group(flag):
        if flag not in argv:
            return []
        i = argv.index(flag) + 1
        out = []
        while i < len(argv) and not argv[i].startswith("--"):
            out.append(argv[i])
            i += 1
        return out

    if not group("--allow") or not (group("--sources") or group("--readme")):
        raise SystemExit(__doc__.split("\n\n")[1])
    missing = [p for p in group("--allow") + group("--headers") + group("--sources") + group("--readme")
               if not os.path.isfile(p)]
    if missing:
        # An unmatched glob (examples/*/*.ino) arrives as itself: say so instead of a traceback.
        raise SystemExit(f"check_api_use.py: no such file: {', '.join(missing)}")
    allow_fns, allow_types, globals_ = parse_allow(group("--allow")[0])
    funcs, classes, structs = parse_headers(group("--headers"))
    bad = 0
    for s in group("--sources"):
        bad += check(s, open(s).read(), funcs, classes, structs, allow_fns, allow_types, globals_)
    for r in group("--readme"):
        bad += check(r, readme_code(r), funcs, classes, structs, allow_fns, allow_types, globals_)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
