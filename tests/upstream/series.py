#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tests/upstream/series.py - the files of the upstream series, one state
per patch, made from mainline's drivers/pwm/pwm-imx-tpm.c and this
repository's driver (src/). Nothing of either is kept here: mainline's file
is read from the linux-source tree, ours from src/, and each state is a
list of edits of one of them that must each apply exactly as written, or
the run fails naming the edit (a change in src/ or in mainline that a step
no longer fits must be looked at, not skipped).

usage: series.py TREE SRCDIR OUTDIR
       series.py --bench-mainline MAINLINE_C OUT_C

TREE is the kernel tree (drivers/pwm/pwm-imx-tpm.c, drivers/pwm/Kconfig as
its Debian package ships them). OUTDIR receives, for patch N (1..6),
N.c (drivers/pwm/pwm-imx-tpm.c after it) and N.Kconfig (drivers/pwm/Kconfig
after it).

The states:
 1  mainline with its registers accessed through regmap (the only step
    made from mainline's file: edits of its text)
 2  the rework: rounding down, state read back from the registers, 100 %
    duty, channels in use counted per channel, bootloader takeover of PWM
    channels only, fixed clock rate; a 16-bit counter, the period and duty
    written one after the other and waited for with a busy-wait, and no
    prescaler change while a channel is enabled
 3  + the counter width from PARAM
 4  + period and duty written in one window before a wrap, the wait for
    them sleeping
 5  + a prescaler change of the only channel in use
 6  + the waveform callbacks: this repository's driver as it is, without
    what only the out-of-tree module needs
States 2 to 5 are made from state 6 by taking its features out again, the
newest first.

--bench-mainline writes OUT_C: mainline's driver for make bench, state 1
(patch 1, regmap) plus a test-only fallback that is never part of the
series: without a memory resource of its own, the parent device's regmap
(the TPM model of tests/model, as this repository's driver has it).
"""

import re
import sys


class EditError(Exception):
    pass


def sub(text, pattern, repl, what, count=1, flags=re.M):
    """re.subn that must replace exactly @count times"""
    new, n = re.subn(pattern, repl, text, flags=flags)
    if n != count:
        raise EditError(f"{what}: pattern matched {n} times, expected {count}: {pattern!r}")
    return new


def replace(text, old, new, what):
    """replace the one occurrence of @old"""
    n = text.count(old)
    if n != 1:
        raise EditError(f"{what}: text found {n} times, expected once: {old!r}")
    return text.replace(old, new)


def function_span(text, name, what):
    """start and end of a top-level function or object definition named
    @name: from the comment block right above it to the blank line after
    its closing brace"""
    m = list(re.finditer(r'^(?:static |const |struct |[a-z_0-9]+ )+\**' +
                         re.escape(name) + r'\(', text, re.M))
    if len(m) != 1:
        raise EditError(f"{what}: {len(m)} definitions of {name}()")
    start = m[0].start()
    end = text.find('\n}\n', start)
    if end < 0:
        raise EditError(f"{what}: no end of {name}()")
    end += 3
    if text[end:end + 1] == '\n':
        end += 1
    # the comment block above it
    before = text[:start]
    if before.endswith('*/\n'):
        cstart = before.rfind('\n/*')
        if cstart >= 0 and '\n\n' not in before[cstart + 1:]:
            start = cstart + 1
    return start, end


def delete_function(text, name, what):
    start, end = function_span(text, name, what)
    return text[:start] + text[end:]


def replace_function(text, name, code, what):
    start, end = function_span(text, name, what)
    return text[:start] + code.lstrip('\n') + '\n' + text[end:]


def unifdef(text, macro, defined, what):
    """resolve #ifdef MACRO ... [#else ...] #endif blocks (not nested in each
    other; other directives inside are kept)"""
    out = []
    state = None  # None outside; 'if' or 'else' inside
    blocks = 0
    for line in text.splitlines(keepends=True):
        if re.match(r'#ifdef ' + re.escape(macro) + r'\b', line):
            if state:
                raise EditError(f"{what}: nested #ifdef {macro}")
            state = 'if'
            blocks += 1
            continue
        if state and re.match(r'#else\b', line):
            state = 'else'
            continue
        if state and re.match(r'#endif\b', line):
            state = None
            continue
        if state == 'if' and not defined:
            continue
        if state == 'else' and defined:
            continue
        out.append(line)
    if state or not blocks:
        raise EditError(f"{what}: no complete #ifdef {macro} block")
    return ''.join(out)


def column(ws):
    """the column after leading whitespace @ws (tabs every 8)"""
    col = 0
    for c in ws:
        col = (col // 8 + 1) * 8 if c == '\t' else col + 1
    return col


def drop_inline(text, what):
    """"static inline" to "static" (the compiler decides in a .c file, and
    warns of an unused function), with the continuation lines of each
    header moved left as far, as they align with its parenthesis"""
    lines = text.split('\n')
    n = 0
    i = 0
    while i < len(lines):
        if lines[i].startswith('static inline '):
            n += 1
            lines[i] = 'static ' + lines[i][len('static inline '):]
            while not lines[i].rstrip().endswith(')'):
                i += 1
                m = re.match(r'^([\t ]*)(.*)$', lines[i])
                col = column(m.group(1)) - len('inline ')
                lines[i] = '\t' * (col // 8) + ' ' * (col % 8) + m.group(2)
        i += 1
    if not n:
        raise EditError(f"{what}: no static inline function")
    return '\n'.join(lines)


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


# ---------------------------------------------------------------- step 1

REGMAP_READ_HELPER = '''
/* A register of the MMIO map, which regmap_read() cannot fail to read */
static u32 pwm_imx_tpm_readl(struct imx_tpm_pwm_chip *tpm, unsigned int reg)
{
	unsigned int val = 0;

	regmap_read(tpm->regmap, reg, &val);

	return val;
}
'''

REGMAP_CONFIG_MAINLINE = '''static const struct regmap_config pwm_imx_tpm_regmap_config = {
	.reg_bits = 32,
	.val_bits = 32,
	.reg_stride = 4,
	.max_register = PWM_IMX_TPM_CONF,
};

'''

REGMAP_INIT = '''	regmap = devm_regmap_init_mmio(&pdev->dev, base,
				       &pwm_imx_tpm_regmap_config);
	if (IS_ERR(regmap))
		return dev_err_probe(&pdev->dev, PTR_ERR(regmap),
				     "failed to init register map\\n");

'''


def step1(mainline):
    """mainline's driver with regmap instead of readl/writel; the shape of
    mainline 7.3's pwm-imx-tpm.c (one struct imx_tpm_pwm_chip with a
    void __iomem *base, readl/writel on tpm->base in the state functions,
    on a local base in probe) is what the edits expect"""
    w = 'step 1 (regmap)'
    t = mainline
    t = replace(t, '#include <linux/pwm.h>\n',
                '#include <linux/pwm.h>\n#include <linux/regmap.h>\n', w)
    t = sub(t, r'^(#define PWM_IMX_TPM_CnV\(n\)\s.*\n)',
            r'\1#define PWM_IMX_TPM_CONF\t0x84\n', w)
    t = sub(t, r'(^struct imx_tpm_pwm_chip \{\n(?:\t.*\n)*?)\tvoid __iomem \*base;\n',
            r'\1\tstruct regmap *regmap;\n', w)
    t = sub(t, r'(^to_imx_tpm_pwm_chip\(struct pwm_chip \*chip\)\n\{\n.*\n\}\n)',
            lambda m: m.group(1) + REGMAP_READ_HELPER, w)
    t = sub(t, r'\breadl\(tpm->base \+ ', 'pwm_imx_tpm_readl(tpm, ', w,
            count=8)
    # the loop condition's "||" at the end of the line, as checkpatch
    # wants it of a changed line
    t = sub(t, r'^(\t+while \(pwm_imx_tpm_readl\(tpm, PWM_IMX_TPM_MOD\) != p->mod)\n'
            r'(\t+ +)\|\| (pwm_imx_tpm_readl\(tpm, PWM_IMX_TPM_CnV\(pwm->hwpwm\)\))\n'
            r'\t+ +!= p->val\) \{$',
            r'\1 ||\n\2\3 != p->val) {', w)
    t = sub(t, r'\bwritel\((.+?), tpm->base \+ (.+)\);$',
            r'regmap_write(tpm->regmap, \2, \1);', w, count=6)
    t = sub(t, r'^(\tvoid __iomem \*base;\n)', r'\1\tstruct regmap *regmap;\n', w)
    t = sub(t, r'^(\t/\* get number of channels \*/\n)',
            lambda m: REGMAP_INIT + m.group(1), w)
    t = sub(t, r'^(\t+)val = readl\(base \+ (.+)\);$',
            r'\1ret = regmap_read(regmap, \2, &val);\n\1if (ret)\n\1\treturn ret;',
            w, count=2)
    t = replace(t, '\ttpm->base = base;\n', '\ttpm->regmap = regmap;\n', w)
    t = sub(t, r'^(static int pwm_imx_tpm_probe\(struct platform_device \*pdev\)\n)',
            lambda m: REGMAP_CONFIG_MAINLINE + m.group(1), w)
    if re.search(r'\b(readl|writel)\(', t):
        raise EditError(f"{w}: readl/writel left over")
    return t


BENCH_HEADER = '''/*
 * make bench (tests/bench/bench.sh): mainline's drivers/pwm/pwm-imx-tpm.c
 * after patch 1 of the upstream series (regmap), with a test-only fallback
 * to the parent device's regmap (tests/model). Written at test time by
 * tests/upstream/series.py --bench-mainline; never shipped, never sent.
 */
'''

BENCH_FALLBACK = '''	/*
	 * Test only: the TPM model (tests/model) gives no registers of its
	 * own, but its parent device's regmap.
	 */
	regmap = NULL;
	if (!platform_get_resource(pdev, IORESOURCE_MEM, 0) && pdev->dev.parent)
		regmap = dev_get_regmap(pdev->dev.parent, NULL);
	base = regmap ? NULL : devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(base))
		return PTR_ERR(base);
'''


def bench_mainline(mainline):
    """state 1 with the parent-regmap fallback (make bench only)"""
    w = 'make bench (mainline with the test-only fallback)'
    t = step1(mainline)
    t = replace(t, '\tbase = devm_platform_ioremap_resource(pdev, 0);\n'
                '\tif (IS_ERR(base))\n\t\treturn PTR_ERR(base);\n', BENCH_FALLBACK, w)
    t = replace(t, '\tregmap = devm_regmap_init_mmio(&pdev->dev, base,\n'
                '\t\t\t\t       &pwm_imx_tpm_regmap_config);\n',
                '\tif (base)\n\t\tregmap = devm_regmap_init_mmio(&pdev->dev, base,\n'
                '\t\t\t\t\t       &pwm_imx_tpm_regmap_config);\n', w)
    t = sub(t, r'^(// SPDX-License-Identifier: .*\n)', lambda m: m.group(1) + BENCH_HEADER, w)
    return t


def kconfig1(kconfig):
    return sub(kconfig,
               r'(^config PWM_IMX_TPM\n(?:\t(?!help).*\n)*?\tdepends on HAVE_CLK && HAS_IOMEM\n)',
               r'\1\tselect REGMAP_MMIO\n', 'Kconfig (regmap)')


# ---------------------------------------------------------------- step 6

UPSTREAM_REGMAP = '''
static struct regmap *pwm_imx_tpm_regmap(struct platform_device *pdev)
{
	void __iomem *base;

	base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(base))
		return ERR_CAST(base);

	return devm_regmap_init_mmio(&pdev->dev, base,
				     &pwm_imx_tpm_regmap_config);
}
'''


def upstream(src, roundh, mainline, waveform):
    """src/pwm-imx-tpm.c as an in-tree file: the rounding header inlined,
    the compat header and its macros gone, the kernel's waveform API
    assumed present (@waveform) or absent, the registers only from the
    device's own memory resource (the parent-regmap fallback is a seam for
    the test model), no module version or alias, the platform driver's
    name and the copyright and author lines as mainline has them"""
    w = 'step 6 (upstream form of src/)' if waveform else 'step 5 (no waveform API)'
    t = src
    copyright_ = re.findall(r'^ \* Copyright .*$', mainline, re.M)
    author = re.findall(r'^MODULE_AUTHOR\(.*\);$', mainline, re.M)
    name = re.findall(r'^\t\t\.name = ("[^"]+"),$', mainline, re.M)
    if len(copyright_) != 1 or len(author) != 1 or len(name) != 1:
        raise EditError(f"{w}: mainline's copyright, MODULE_AUTHOR or driver name not found once")
    t = sub(t, r'\A(// SPDX-License-Identifier: GPL-2.0\n/\*\n)',
            lambda m: m.group(1) + copyright_[0] + '\n *\n', w)

    # the rounding code, inlined where the header was included
    r = roundh
    r = sub(r, r'\A/\* SPDX-License-Identifier: GPL-2.0 \*/\n', '', w)
    r = sub(r, r'^#ifndef _PWM_IMX_TPM_ROUND_H\n#define _PWM_IMX_TPM_ROUND_H\n\n', '', w)
    r = sub(r, r'^#include <linux/math64.h>\n#include <linux/types.h>\n\n', '', w)
    r = sub(r, r'\n#endif /\* _PWM_IMX_TPM_ROUND_H \*/\n\Z', '', w)
    r = drop_inline(r, w)
    t = replace(t, '#include "pwm-imx-tpm-compat.h"\n', '', w)
    t = replace(t, '#include "pwm-imx-tpm-round.h"\n\n', '', w)
    t = replace(t, '#include <linux/ktime.h>\n',
                '#include <linux/ktime.h>\n#include <linux/math64.h>\n', w)
    t = sub(t, r'^(struct pwm_imx_tpm \{\n)', lambda m: r + '\n' + m.group(1), w)

    t = unifdef(t, 'PWM_WFHWSIZE', waveform, w)
    t = re.sub(r'\n{3,}', '\n\n', t)
    if not waveform:
        t = replace(t, 'DEFINE_COMPAT_GET_STATE(pwm_imx_tpm_get_state)\n', '', w)
        t = replace(t, 'COMPAT_GET_STATE(pwm_imx_tpm_get_state)',
                    'pwm_imx_tpm_get_state', w)
    t = replace(t, '\tCOMPAT_PWM_OPS_OWNER\n', '', w)
    t = replace_function(t, 'pwm_imx_tpm_regmap', UPSTREAM_REGMAP, w)
    t = sub(t, r'^MODULE_VERSION\(.*\);\n', '', w)
    t = sub(t, r'^MODULE_ALIAS\("platform:pwm-imx-tpm"\);\n', '', w)
    t = sub(t, r'^(MODULE_DESCRIPTION\()', author[0] + r'\n\1', w)
    t = sub(t, r'^\t\t\.name = "[^"]+",$', '\t\t.name = ' + name[0] + ',', w)
    return t


# ---------------------------------------------------------------- step 5

def step5(src, roundh, mainline):
    w = 'step 5 (no waveform callbacks)'
    t = upstream(src, roundh, mainline, waveform=False)
    t = delete_function(t, 'imx_tpm_waveform_ns', w)
    t = replace(t, "/* Hardware view of one channel, also the waveform API's wfhw */",
                '/* Hardware view of one channel */', w)
    return t


# ---------------------------------------------------------------- step 4

def step4(s5):
    w = 'step 4 (no prescaler change while enabled)'
    t = s5
    t = sub(t, r'^\t/\* only this channel is in use \*/\n\tif \(cur\.hw\.ps != hw->ps\)\n'
            r'\t\treturn pwm_imx_tpm_restart\(tpm, ch, &cur\.hw, hw, cnsc\);\n',
            '\t/* PS can only be written while the counter is stopped */\n'
            '\tif (cur.hw.ps != hw->ps)\n\t\treturn -EBUSY;\n', w)
    for f in ('pwm_imx_tpm_restart', 'pwm_imx_tpm_restart_now',
              'pwm_imx_tpm_restart_at_wrap', 'pwm_imx_tpm_near_wrap',
              'pwm_imx_tpm_counting', 'pwm_imx_tpm_wrapped',
              'pwm_imx_tpm_stopped_start'):
        t = delete_function(t, f, w)
    t = replace_function(t, 'pwm_imx_tpm_cmod_taken', '''
/*
 * Wait until the counter clock domain has taken a CMOD change: it reads
 * back one to two counter clock cycles after the write.
 */
static int pwm_imx_tpm_cmod_taken(struct pwm_imx_tpm *tpm, u32 cmod)
{
	u32 sc;

	return regmap_read_poll_timeout(tpm->regmap, PWM_IMX_TPM_SC, sc,
					(sc & PWM_IMX_TPM_SC_CMOD) == cmod,
					PWM_IMX_TPM_POLL_US,
					pwm_imx_tpm_ack_us(tpm));
}
''', w)
    t = sub(t, r'pwm_imx_tpm_cmod_taken\((tpm, [^;]*?),\s*false\)',
            r'pwm_imx_tpm_cmod_taken(\1)', w, count=2)
    t = sub(t, r'^/\* bounds of the time a sleep before a prescaler change aims early \*/\n'
            r'#define PWM_IMX_TPM_EARLY_MIN_NS.*\n#define PWM_IMX_TPM_EARLY_MAX_NS.*\n', '', w)
    t = sub(t, r'^#define PWM_IMX_TPM_SC_TOF\s.*\n', '', w)
    t = replace(t, '#include <linux/preempt.h>\n', '', w)
    # the limitations in the file's head
    t = sub(t, r'^ \* - A change of the prescaler stops the counter(?:.*\n)*? \*   restarted without waiting for its end\.\n',
            ' * - The prescaler can only be changed while no channel is enabled: a\n'
            ' *   period that needs another prescaler than the running one is\n'
            ' *   refused.\n', w)
    t = sub(t, r'^ \* - The counter restarts from 0\.(?:.*\n)*? \*   this cannot be avoided\.\n',
            ' * - The counter restarts from 0. On silicon whose outputs stay at their\n'
            ' *   initial (inactive) level from a counter start or CNT write until the\n'
            ' *   first overflow, the first period after the start of a stopped counter\n'
            ' *   has no active phase.\n', w)
    return t


# ---------------------------------------------------------------- step 3

SIMPLE_UPDATE = '''
/*
 * Change period and duty of the running counter. Both take effect at the
 * next counter wrap, or the one after for a write that arrives too late
 * for it: wait until they have.
 */
static int pwm_imx_tpm_update(struct pwm_imx_tpm *tpm, unsigned int ch,
			      const struct imx_tpm_pwm_hw *cur,
			      const struct imx_tpm_pwm_hw *hw)
{
	u64 wait_ns = imx_tpm_period_ns(cur, tpm->rate) +
		      imx_tpm_period_ns(hw, tpm->rate) + tpm->sync_ns;
	ktime_t end = ktime_add_ns(ktime_get(), wait_ns + NSEC_PER_MSEC);
	int latched, ret;

	if (hw->mod != cur->mod) {
		ret = regmap_write(tpm->regmap, PWM_IMX_TPM_MOD, hw->mod);
		if (ret)
			return ret;
	}

	if (hw->cnv != cur->cnv) {
		ret = regmap_write(tpm->regmap, PWM_IMX_TPM_CnV(ch), hw->cnv);
		if (ret)
			return ret;
	}

	for (;;) {
		bool expired = ktime_after(ktime_get(), end);

		latched = pwm_imx_tpm_latched(tpm, ch, hw);
		if (latched)
			return latched < 0 ? latched : 0;
		if (expired)
			return -ETIMEDOUT;
		cpu_relax();
	}
}
'''


def step3(s4):
    w = 'step 3 (period and duty written one after the other)'
    t = s4
    t = replace_function(t, 'pwm_imx_tpm_update', SIMPLE_UPDATE, w)
    for f in ('pwm_imx_tpm_write_period', 'pwm_imx_tpm_wait_window',
              'pwm_imx_tpm_wait_latched', 'pwm_imx_tpm_short',
              'pwm_imx_tpm_window_ns', 'pwm_imx_tpm_spin_to_wrap',
              'pwm_imx_tpm_time_to_wrap'):
        t = delete_function(t, f, w)
    t = sub(t, r'^/\*\n \* CPU time that the register writes of a period change(?:.*\n)*?'
            r'#define PWM_IMX_TPM_MARGIN_NS.*\n', '', w)
    t = sub(t, r'^/\*\n \* Some register accesses are made with interrupts disabled(?:.*\n)*? \*/\n', '', w)
    t = replace(t, '\t.use_raw_spinlock = true,\n', '', w)
    t = replace(t, '#include <linux/irqflags.h>\n', '', w)
    t = replace(t, '#include <linux/delay.h>\n', '', w)
    t = sub(t, r'^ \* - MOD and CnV take effect at the next counter wrap\.(?:.*\n)*? \*   them once\. A duty change alone may be taken one period later\.\n',
            ' * - MOD and CnV take effect at the next counter wrap, and are written\n'
            ' *   one after the other: a wrap between the two writes gives a period\n'
            ' *   that mixes old and new values. apply busy-waits until both are in\n'
            ' *   effect, up to two periods.\n', w)
    return t


# ---------------------------------------------------------------- step 2

def step2(s3):
    w = 'step 2 (16-bit counter)'
    t = s3
    t = sub(t, r'^\twidth = FIELD_GET\(PWM_IMX_TPM_PARAM_WIDTH, param\);\n(?:.*\n)*?'
            r'[\t ]+width, IMX_TPM_WIDTH_MAX\);\n',
            '\twidth = PWM_IMX_TPM_DEFAULT_WIDTH;\n', w)
    t = sub(t, r'^#define PWM_IMX_TPM_PARAM_WIDTH\s.*\n', '', w)
    t = replace(t, '#define PWM_IMX_TPM_DEFAULT_WIDTH\t16\n',
                '/* the counter width of the i.MX7ULP\'s TPM */\n'
                '#define PWM_IMX_TPM_DEFAULT_WIDTH\t16\n', w)
    return t


def main(argv):
    if len(argv) == 4 and argv[1] == '--bench-mainline':
        try:
            text = bench_mainline(read(argv[2]))
        except EditError as e:
            print(f'series: {e}', file=sys.stderr)
            return 1
        with open(argv[3], 'w', encoding='utf-8') as f:
            f.write(text)
        return 0
    if len(argv) != 4:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    tree, srcdir, out = argv[1:]
    mainline = read(f'{tree}/drivers/pwm/pwm-imx-tpm.c')
    kconfig = read(f'{tree}/drivers/pwm/Kconfig')
    src = read(f'{srcdir}/pwm-imx-tpm.c')
    roundh = read(f'{srcdir}/pwm-imx-tpm-round.h')
    try:
        states = {1: step1(mainline)}
        states[6] = upstream(src, roundh, mainline, waveform=True)
        states[5] = step5(src, roundh, mainline)
        states[4] = step4(states[5])
        states[3] = step3(states[4])
        states[2] = step2(states[3])
        k1 = kconfig1(kconfig)
    except EditError as e:
        print(f'series: {e}', file=sys.stderr)
        return 1
    for n, text in states.items():
        if n > 1:
            # a deleted function leaves its blank line next to another
            text = re.sub(r'\n{3,}', '\n\n', text)
        for bad in ('pwm-imx-tpm-compat.h', 'COMPAT_', 'PWM_WFHWSIZE', 'MODULE_VERSION',
                    'dev_get_regmap', 'pwm-imx-tpm-round.h'):
            if bad in text:
                print(f'series: state {n} still has "{bad}"', file=sys.stderr)
                return 1
        with open(f'{out}/{n}.c', 'w', encoding='utf-8') as f:
            f.write(text)
        with open(f'{out}/{n}.Kconfig', 'w', encoding='utf-8') as f:
            f.write(k1)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
