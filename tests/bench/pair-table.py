#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tests/bench/pair-table.py - make bench's side-by-side table: this
driver and mainline's, from the logs of tests/bench/pair-guest.sh.

usage: pair-table.py BENCH_LOG IRQSOFF_LOG KSELFTEST_THIS KSELFTEST_MAINLINE

BENCH_LOG has pwm-bench's "# result this: k=v ..." and "# result
mainline: ..." lines, IRQSOFF_LOG irqsoff-guest.sh's report line ("# idle
CPU: longest interrupts-off section ...") after each "# pair: WHO:
irqsoff" line, the KSELFTEST logs the kselftests' KTAP; IRQSOFF_LOG's
".measured-debug" file (tests/vm/vm.sh) the number of mainline's PWM_DEBUG
lines on the debug kernel (this driver has none: any fails the run).
Prints a Markdown
table; a figure that is missing is "-" (and the run that should have given
it has failed already).
"""

import re
import sys

WHO = ('this', 'mainline')


def results(path):
    out = {w: {} for w in WHO}
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            m = re.match(r'# result (this|mainline): (.*)', line)
            if not m:
                continue
            kv = dict(x.split('=', 1) for x in m.group(2).split())
            out[m.group(1)][int(kv['period_ns'])] = kv
    return out


def irqsoff(path):
    out = {}
    who = None
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in f:
                m = re.match(r'# pair: (this|mainline): irqsoff', line)
                if m:
                    who = m.group(1)
                    continue
                m = re.match(r'# [^:]*: longest interrupts-off section in (\d+) samples: '
                             r'driver (\d+) us \((\d+) samples;.*\), TPM model (\d+) us .*'
                             r'rest of the kernel (\d+) us', line)
                if m and who and who not in out:
                    out[who] = [int(x) for x in m.groups()]
    except OSError:
        pass
    return out


def totals(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in reversed(f.readlines()):
                m = re.match(r'# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:\d+ skip:(\d+)', line)
                if m:
                    return [int(x) for x in m.groups()]
    except OSError:
        pass
    return None


def ratio(a, b):
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return '-'
    if a == 0:
        return '-' if b == 0 else 'inf'
    return f'{b / a:.2f}'


def main(argv):
    if len(argv) != 5:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    res = results(argv[1])
    irq = irqsoff(argv[2])
    ks = {'this': totals(argv[3]), 'mainline': totals(argv[4])}
    rows = []

    def row(name, this, mainline, r):
        rows.append((name, this, mainline, r))

    periods = sorted(set(res['this']) | set(res['mainline']))
    for p in periods:
        t = res['this'].get(p, {})
        m = res['mainline'].get(p, {})
        pn = f'{p / 1e6:g} ms'

        def fig(kv, key, scale, unit, fmt='{:.3f}'):
            return (fmt.format(float(kv[key]) / scale) + unit) if key in kv else '-'
        row(f'{pn}: apply latency, median', fig(t, 'lat_med_ns', 1e6, ' ms'),
            fig(m, 'lat_med_ns', 1e6, ' ms'), ratio(t.get('lat_med_ns'), m.get('lat_med_ns')))
        row(f'{pn}: latency / floor, median', fig(t, 'lat_floor', 1, ''),
            fig(m, 'lat_floor', 1, ''), ratio(t.get('lat_floor'), m.get('lat_floor')))
        row(f'{pn}: CPU per apply (the thread), median', fig(t, 'cpu_med_ns', 1e3, ' us', '{:.0f}'),
            fig(m, 'cpu_med_ns', 1e3, ' us', '{:.0f}'),
            ratio(t.get('cpu_med_ns'), m.get('cpu_med_ns')))
        row(f'{pn}: CPU, % of the latency', fig(t, 'cpu_pct', 1, ' %', '{:.2f}'),
            fig(m, 'cpu_pct', 1, ' %', '{:.2f}'), ratio(t.get('cpu_pct'), m.get('cpu_pct')))
        row(f'{pn}: driver CPU per apply, median', fig(t, 'drv_med_ns', 1e3, ' us', '{:.0f}'),
            fig(m, 'drv_med_ns', 1e3, ' us', '{:.0f}'),
            ratio(t.get('drv_med_ns'), m.get('drv_med_ns')))
        row(f'{pn}: driver CPU, % of the latency', fig(t, 'drv_pct', 1, ' %', '{:.2f}'),
            fig(m, 'drv_pct', 1, ' %', '{:.2f}'), ratio(t.get('drv_pct'), m.get('drv_pct')))
        row(f'{pn}: register accesses per apply', fig(t, 'regs', 1, '', '{:.1f}'),
            fig(m, 'regs', 1, '', '{:.1f}'), ratio(t.get('regs'), m.get('regs')))

        def gl(kv):
            if 'glitches' not in kv:
                return '-'
            return f"{kv['glitches']} in {kv['periods']} periods, {kv['failed']} refused"
        row(f'{pn}: glitches', gl(t), gl(m), '')

    def kst(w):
        k = ks[w]
        return f'{k[0]} passed, {k[1]} failed, {k[3]} skipped' if k else '-'
    row('kselftest -q, channels 0 and 5', kst('this'), kst('mainline'),
        ratio(ks['this'][0] if ks['this'] else None,
              ks['mainline'][0] if ks['mainline'] else None) + ' (passed)')

    def io(w, i):
        return f'{irq[w][i]} us' if w in irq else '-'

    def drv(w):
        if w not in irq:
            return '-'
        n, d, dn = irq[w][0], irq[w][1], irq[w][2]
        return f'{d} us ({dn} of {n} samples)' if dn else f'none of its own ({n} samples)'
    # a driver with no section of its own has no figure to divide
    row("interrupts off: the driver's own longest section", drv('this'), drv('mainline'),
        ratio(irq['this'][1] if irq.get('this', [0] * 3)[2] else None,
              irq['mainline'][1] if irq.get('mainline', [0] * 3)[2] else None))
    row('interrupts off: longest register access (model)', io('this', 3), io('mainline', 3),
        ratio(irq['this'][3] if 'this' in irq else None,
              irq['mainline'][3] if 'mainline' in irq else None))
    row('interrupts off: longest elsewhere in the kernel', io('this', 4), io('mainline', 4), '')
    try:
        with open(argv[2] + '.measured-debug', encoding='utf-8') as f:
            ndebug = f.read().strip()
    except OSError:
        ndebug = '0'
    row('PWM_DEBUG lines, 6.12 debug kernel, same changes', '0' if 'this' in irq else '-',
        ndebug if 'mainline' in irq else '-', '')

    head = ('figure', 'this driver', "mainline's", 'mainline / this')
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(4)]
    for r in [head, tuple('-' * w for w in widths)] + rows:
        print('| ' + ' | '.join(c.ljust(w) for c, w in zip(r, widths)) + ' |')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
