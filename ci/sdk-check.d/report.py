#!/usr/bin/env python3
"""Reads every compile's log and exit status, decides each table cell, prints the table and
writes it to the work folder (sdk-check.md, and results.tsv with one line per compile).

usage: report.py WORK_DIR ctrl|all

A diagnostic is ours when its file lies under WORK_DIR/ours (the unpacked packages, the
rendered projects, the sketches made C++); any other is the SDKs' (or their stand-in headers')
and is listed apart, never counted in a cell. A cell of ours:
  clean            every compile succeeded with no warning in our files
  warnings(N)      N distinct warnings in our files
  ERRORS(N)        N distinct errors in our files
  expected-#error  a nat sketch on an lwIP variant without NAPT stopped at its own #error about
                   NAPT: compiled with -Wfatal-errors, its first and only error is a #error
                   naming NAPT in the sketch itself (any other #error, or another error first,
                   is ERRORS). C++ reports preprocessing errors before all others, so the
                   sketch's other lines are judged in the columns whose variant has NAPT.
                   Likewise on an ESP8266 core older than the library supports (3.0.2): each
                   C++ file of ours stopped at the library's #error saying which core it needs,
                   in MqttVpnCoreCheck.h (which both public headers include), and at nothing else.
  SDK-ERRORS(N)    a compile failed on N errors inside SDK files only: our code may provoke
                   them, or the setup is wrong; never a pass
  FAILED(...)      a compile failed without any diagnostic we can place, or did not run
  MISSING          a column of this row's platform has no compile: the check itself is wrong
  n/a              the row's platform is not this column's
A control (the SDK's own code) is "ok" when it compiled, with or without warnings.
Exit status: 0 every cell of ours clean or expected-#error and every control ok; 1 a cell of
ours is not; 3 a control failed (setup broken: nothing of ours is judged).
"""
import collections
import os
import re
import sys
import traceback

# A crash of this script is no verdict on the code: exit 2 (ci/sdk-check's "something is wrong
# with the check"), never 1 ("ours is not clean") or 0.
sys.excepthook = lambda *exc: (traceback.print_exception(*exc), sys.stderr.flush(), os._exit(2))

W = os.path.abspath(sys.argv[1])
PHASES = ('ctrl',) if sys.argv[2] == 'ctrl' else ('ctrl', 'ours')
OURS = W + '/ours/'
DIAG = re.compile(r'^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?:(?P<col>\d+):)? '
                  r'(?P<kind>fatal error|error|warning): (?P<msg>.*)$')
TOOL = re.compile(r'^(?P<tool>[^\s:]+): (?:(?P<fatal>fatal )?error): (?P<msg>.*)$')

columns = [line.rstrip('\n').split('\t') for line in open(f'{W}/columns.tsv')]  # id, label, family, sdk
col_ids = [c[0] for c in columns]
family = {c[0]: c[2] for c in columns}


class Compile:
    def __init__(self, phase, col, row, expect, script, log):
        self.phase, self.col, self.row, self.expect, self.script, self.log = phase, col, row, expect, script, log
        self.ours_e, self.ours_w, self.sdk_e, self.sdk_w, self.tool_e = set(), set(), set(), set(), set()
        self.rc = None
        try:
            self.rc = int(open(log + '.rc').read().strip())
            lines = open(log, errors='replace').read().splitlines()
        except (OSError, ValueError):
            return
        for line in lines:
            m = DIAG.match(line)
            if m:
                path = os.path.normpath(m['file'])
                error = m['kind'] != 'warning'
                d = (path, int(m['line']), int(m['col'] or 0), m['kind'], m['msg'])
                if path.startswith(OURS):
                    (self.ours_e if error else self.ours_w).add(d)
                else:
                    (self.sdk_e if error else self.sdk_w).add(d)
                continue
            m = TOOL.match(line)
            if m:
                self.tool_e.add((m['tool'], 0, 0, 'error', m['msg']))

    def expected_error(self):
        """The acceptable failures, each alone: a nat sketch's own #error about NAPT
        (napt-error:FILE), or the library's #error about the ESP8266 core version in one of its
        public headers (core-error:FILE|FILE...)."""
        if self.expect == '-' or self.rc in (None, 0):
            return False
        kind, where = self.expect.split(':', 1)
        files = {os.path.normpath(f) for f in where.split('|')} if kind == 'core-error' else {os.path.normpath(where)}
        words = {'napt-error': 'NAPT', 'core-error': 'needs the ESP8266 Arduino core'}[kind]
        return (len(self.ours_e) == 1 and not self.sdk_e and not self.tool_e
                and all(d[0] in files and d[4].startswith('#error') and words in d[4] for d in self.ours_e))

    def status(self):
        if self.rc is None:
            return 'FAILED(not run)'
        if self.phase == 'ctrl':
            return 'ok' if self.rc == 0 and not (self.sdk_e | self.ours_e | self.tool_e) else 'FAIL'
        if self.expected_error():
            return f'warnings({len(self.ours_w)})' if self.ours_w else 'expected-#error'
        if self.ours_e:
            return f'ERRORS({len(self.ours_e)})'
        if self.rc != 0:
            return f'SDK-ERRORS({len(self.sdk_e)})' if self.sdk_e else f'FAILED(rc={self.rc})'
        if self.ours_w:
            return f'warnings({len(self.ours_w)})'
        return 'clean'


compiles = []
for line in open(f'{W}/cells.tsv'):
    fields = line.rstrip('\n').split('\t')
    if fields[0] in PHASES:
        compiles.append(Compile(*fields))

# Cells: (phase, row) -> col -> [Compile]; rows keep the order in which the jobs were written.
cells = collections.OrderedDict()
for c in compiles:
    cells.setdefault((c.phase, c.row), {}).setdefault(c.col, []).append(c)


def cell_status(phase, jobs):
    if phase == 'ctrl':
        bad = [j for j in jobs if j.status() != 'ok']
        warned = sum(len(j.sdk_w | j.ours_w) for j in jobs)
        return ('FAIL' if bad else 'ok') + (f' ({warned}w)' if warned and not bad else '')
    statuses = [j.status() for j in jobs]
    for prefix in ('FAILED', 'ERRORS', 'SDK-ERRORS', 'warnings'):
        hits = [s for s in statuses if s.startswith(prefix)]
        if hits:
            if prefix == 'FAILED':
                return hits[0]
            # distinct diagnostics across the cell's compiles (a header's warning counts once)
            if prefix == 'ERRORS':
                n = len(set().union(*(j.ours_e for j in jobs if not j.expected_error())))
            elif prefix == 'SDK-ERRORS':
                n = len(set().union(*(j.sdk_e for j in jobs)))
            else:
                n = len(set().union(*(j.ours_w for j in jobs)))
            return f'{prefix}({n})'
    return 'expected-#error' if 'expected-#error' in statuses else 'clean'


table = collections.OrderedDict()  # (phase, section) -> [(label, {col: status}, {col: jobs})]
failed_ours, failed_ctrl = [], []
for (phase, row), by_col in cells.items():
    section, label = row.split('|', 1)
    families = {family[c] for c in by_col}
    statuses = {}
    for col in col_ids:
        if col in by_col:
            statuses[col] = cell_status(phase, by_col[col])
        elif family[col] in families:
            statuses[col] = 'MISSING'
        else:
            statuses[col] = 'n/a'
        s = statuses[col]
        if phase == 'ctrl' and (s.startswith('FAIL') or s == 'MISSING'):
            failed_ctrl.append((row, col))
        elif phase == 'ours' and s not in ('clean', 'expected-#error', 'n/a'):
            failed_ours.append((row, col))
    table.setdefault((phase, section), []).append((label, statuses, by_col))

# Sections of one platform first (in the order of the columns), then those of both.
fam_order = list(dict.fromkeys(family[c] for c in col_ids))
def section_key(item):
    (phase, _), rows = item
    fams = {family[c] for _, _, by_col in rows for c in by_col}
    return (PHASES.index(phase), len(fams), min(fam_order.index(f) for f in fams))
table = collections.OrderedDict(sorted(table.items(), key=section_key))


def rel(path):
    for base, name in ((OURS, ''), (W + '/sdk/', 'sdk/'), (W + '/sysroot/', 'sysroot/'), (W + '/', '')):
        if path.startswith(base):
            return name + path[len(base):]
    return path


def fmt(d):
    path, line, col, kind, msg = d
    where = f'{rel(path)}:{line}' + (f':{col}' if col else '')
    return f'{where}: {kind}: {msg}'


out, md = [], []
labels = {c[0]: c[1] for c in columns}
width = max(len(label) for (_, _), rows in table.items() for label, _, _ in rows) + 4
cw = max(16, max(len(labels[c]) for c in col_ids) + 2)
for c in columns:
    out.append(f'  {c[1]:<14} {c[3]}')
out.append('')
md.append('| | ' + ' | '.join(labels[c] for c in col_ids) + ' |')
md.append('|---|' + '---|' * len(col_ids))
for phase in PHASES:
    title = 'Controls: the SDKs\' own code, compiled the same way' if phase == 'ctrl' else 'Ours'
    out.append(f'== {title}')
    out.append((' ' * width + ''.join(f'{labels[c]:<{cw}}' for c in col_ids)).rstrip())
    for (ph, section), rows in table.items():
        if ph != phase:
            continue
        out.append(f'{section}')
        md.append(f'| **{"control: " if phase == "ctrl" else ""}{section}** |' + ' |' * len(col_ids))
        for label, statuses, _ in rows:
            out.append(f'  {label:<{width - 2}}' + ''.join(f'{statuses[c]:<{cw}}' for c in col_ids).rstrip())
            md.append(f'| {label} | ' + ' | '.join(statuses[c] for c in col_ids) + ' |')
    out.append('')

# What is not clean, grouped by row: each distinct diagnostic once, with the columns it is in.
details = []
for (phase, section), rows in table.items():
    for label, statuses, by_col in rows:
        bad = [c for c in col_ids if statuses[c] not in ('clean', 'expected-#error', 'n/a')
               and not statuses[c].startswith('ok')]
        if not bad:
            continue
        details.append(f'{"control " if phase == "ctrl" else ""}{section} / {label}: '
                       + ', '.join(f'{labels[c]} {statuses[c]}' for c in bad))
        seen, logged = collections.OrderedDict(), False
        for c in bad:
            for j in by_col.get(c, []):
                if j.status() in ('clean', 'ok', 'expected-#error'):
                    continue
                # ours first; the SDK's errors when they are all there is (or for a control)
                ds = set() if phase == 'ctrl' else j.ours_e | j.ours_w
                ds = ds or j.sdk_e | j.tool_e
                for d in sorted(ds, key=lambda d: (d[3] == 'warning', d)):
                    seen.setdefault(fmt(d), set()).add(labels[c])
                if not logged:
                    logged = True
                    details.append(f'    log {j.log}   repeat: bash {j.script}')
        shown = list(seen.items())
        for k, cols in shown[:8]:
            details.append(f'    {k}   [{", ".join(c for c in (labels[x] for x in col_ids) if c in cols)}]')
        if len(shown) > 8:
            details.append(f'    ... {len(shown) - 8} more in the logs')

sdk_side = collections.Counter()
for j in compiles:
    for d in j.sdk_e | j.sdk_w:
        sdk_side[fmt(d)] += 1
expected = collections.OrderedDict((c, []) for c in col_ids)  # column -> rows that stopped as expected
for (ph, r), by_col in cells.items():
    for c, jobs in by_col.items():
        if ph == 'ours' and all(j.expected_error() for j in jobs):
            expected[c].append(r.split('|', 1)[1])
expected = [f'  {labels[c]}: ' + '; '.join(rows) for c, rows in expected.items() if rows]

extra = []
if details:
    extra += ['== Not clean', *details, '']
if expected:
    extra += ['== expected-#error (a nat sketch on an lwIP variant without NAPT stops at its own #error; on a core '
              'older than the library supports, each C++ file stops at the library\'s #error):', *expected, '']
if sdk_side:
    extra.append('== SDK-side diagnostics (in SDK or stand-in headers; not counted in any cell): compiles')
    for k, n in sdk_side.most_common(15):
        extra.append(f'  {n:4}  {k}')
    if len(sdk_side) > 15:
        extra.append(f'  ... {len(sdk_side) - 15} more in the logs')
    extra.append('')
unlisted = f'{W}/unlisted-sources'
if os.path.exists(unlisted):
    files = sorted({line.split(' ', 1)[1].strip() for line in open(unlisted)})
    extra += ['== Sources of the ESP-IDF component that its CMakeLists.txt does not list (compiled here; '
              'idf.py would not build them):', '  ' + ' '.join(files), '']

ctrl_total = sum(1 for j in compiles if j.phase == 'ctrl')
ctrl_bad = sum(1 for j in compiles if j.phase == 'ctrl' and j.status() != 'ok')
ours_total = sum(1 for j in compiles if j.phase == 'ours')
if failed_ctrl:
    verdict = (f'SETUP BROKEN: {ctrl_bad} of {ctrl_total} controls (the SDKs\' own code) failed to compile: the '
               'SDK trees, stand-in headers or flags are wrong, so nothing of ours is judged.')
    code = 3
elif failed_ours:
    verdict = (f'FAIL: {len(failed_ours)} cells of ours are not clean ({ours_total} compiles of ours, '
               f'{ctrl_total} controls ok).')
    code = 1
elif 'ours' in PHASES:
    verdict = f'OK: every cell of ours is clean ({ours_total} compiles of ours, {ctrl_total} controls ok).'
    code = 0
else:
    verdict = f'controls ok ({ctrl_total} compiles)'
    code = 0

text = '\n'.join(out + extra + [verdict])
print(text)
with open(f'{W}/sdk-check.md', 'w') as f:
    f.write('# ci/sdk-check\n\n')
    for c in columns:
        f.write(f'- **{c[1]}**: {c[3]}\n')
    f.write('\n' + '\n'.join(md) + '\n\n```\n' + '\n'.join(extra) + '\n```\n\n**' + verdict + '**\n')
with open(f'{W}/results.tsv', 'w') as f:
    for j in compiles:
        f.write(f'{j.phase}\t{labels[j.col]}\t{j.row}\t{j.status()}\t{rel(j.log)}\n')
sys.exit(code)
