// SPDX-License-Identifier: GPL-2.0
/*
 * PWM driver for the NXP i.MX TPM (Timer/PWM Module), as found on i.MX7ULP,
 * i.MX8ULP and i.MX9x.
 *
 * All channels of a TPM share one counter: its prescaler (SC.PS) and period
 * (MOD) are common, each channel has its own duty (CnV) and polarity
 * (CnSC.ELS). The channels are used in edge-aligned PWM mode: the output is
 * active from the counter wrap until the counter matches CnV.
 *
 * Limitations:
 * - The period can only be changed while no other channel is in use.
 * - The polarity of an enabled channel cannot be changed: the hardware
 *   applies ELS at once, not at a period boundary.
 * - MOD and CnV take effect at the next counter wrap. They are written
 *   within one period so that no period mixes old and new values, which
 *   cannot be guaranteed when the running period is shorter than 40 us;
 *   a prescaler change then restarts the counter without waiting for the
 *   end of that period.
 * - A change of the prescaler stops the counter right after a wrap for a
 *   few register writes, so the first new period starts that much late.
 * - A channel enabled while another one keeps the counter running starts
 *   in the middle of a period; its first complete period is the next one.
 * - A disabled channel's output is switched off at once, not at the end of
 *   the running period.
 * - A 100 % duty cycle is not possible at the longest period, 2^width
 *   ticks at the largest prescaler (CnV cannot exceed MOD); the longest
 *   duty there is one tick shorter.
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/clk.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/iopoll.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/mutex.h>
#include <linux/pinctrl/consumer.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/pwm.h>
#include <linux/regmap.h>

#include "pwm-imx-tpm-compat.h"
#include "pwm-imx-tpm-round.h"

#define PWM_IMX_TPM_PARAM	0x04
#define PWM_IMX_TPM_SC		0x10
#define PWM_IMX_TPM_CNT		0x14
#define PWM_IMX_TPM_MOD		0x18
#define PWM_IMX_TPM_CnSC(n)	(0x20 + (n) * 0x8)
#define PWM_IMX_TPM_CnV(n)	(0x24 + (n) * 0x8)
#define PWM_IMX_TPM_CONF	0x84

#define PWM_IMX_TPM_PARAM_CHAN		GENMASK(7, 0)
#define PWM_IMX_TPM_PARAM_WIDTH		GENMASK(23, 16)

#define PWM_IMX_TPM_SC_PS		GENMASK(2, 0)
#define PWM_IMX_TPM_SC_CMOD		GENMASK(4, 3)
#define PWM_IMX_TPM_SC_CMOD_INC_EVERY_CLK	FIELD_PREP(PWM_IMX_TPM_SC_CMOD, 1)
#define PWM_IMX_TPM_SC_CPWMS		BIT(5)
#define PWM_IMX_TPM_SC_TOF		BIT(7)

#define PWM_IMX_TPM_CnSC_MSB		BIT(5)
/*
 * ELSB:ELSA select the output mode. In edge-aligned PWM mode 10 is
 * high-true, 01 is low-true and 00 disconnects the channel from its pin.
 */
#define PWM_IMX_TPM_CnSC_ELS		GENMASK(3, 2)
#define PWM_IMX_TPM_CnSC_ELS_INVERSED	FIELD_PREP(PWM_IMX_TPM_CnSC_ELS, 1)
#define PWM_IMX_TPM_CnSC_ELS_NORMAL	FIELD_PREP(PWM_IMX_TPM_CnSC_ELS, 2)

#define PWM_IMX_TPM_MAX_CHANNELS	8
#define PWM_IMX_TPM_DEFAULT_WIDTH	16

/*
 * Time that writing MOD and CnV needs at most. Closer to the end of a
 * period the driver waits for the counter to wrap before writing.
 */
#define PWM_IMX_TPM_MARGIN_NS		(20 * NSEC_PER_USEC)
/*
 * A running period shorter than this is too short to place the writes in
 * and to see its wrap by polling CNT: it is not waited for.
 */
#define PWM_IMX_TPM_SHORT_PERIOD_NS	(2 * PWM_IMX_TPM_MARGIN_NS)
/* longest time the counter may take to stop (a few counter clock cycles) */
#define PWM_IMX_TPM_STOP_US		10
/* bounds of the time a sleep before a prescaler change aims early */
#define PWM_IMX_TPM_EARLY_MIN_NS	(50 * NSEC_PER_USEC)
#define PWM_IMX_TPM_EARLY_MAX_NS	(5 * NSEC_PER_MSEC)

struct pwm_imx_tpm {
	struct regmap *regmap;
	struct clk *clk;
	u32 rate;
	unsigned int width;
	/*
	 * Channels requested by a user. Changed with atomic bit operations,
	 * not under @lock: the core calls .request and .free under its
	 * global lock, which must not wait for a change of another channel.
	 */
	unsigned long requested;
	/* serialises register sequences and protects the masks below */
	struct mutex lock;
	unsigned long enabled;
	/*
	 * Polarity last requested, for channels that are disabled; read
	 * without @lock
	 */
	unsigned long inversed;
};

/* Hardware view of one channel, also the waveform API's wfhw */
struct pwm_imx_tpm_wfhw {
	struct imx_tpm_pwm_hw hw;
	bool enabled;
	bool inversed;
};

static u32 pwm_imx_tpm_mask(const struct pwm_imx_tpm *tpm)
{
	return (u32)(BIT_ULL(tpm->width) - 1);
}

/*
 * The channel's setting, from the registers. Without the driver's lock: the
 * core reads a channel when it is requested, under its global lock, and
 * that must not wait for a change of another channel that sleeps until
 * the period ends.
 */
static int pwm_imx_tpm_read(struct pwm_imx_tpm *tpm, unsigned int ch,
			    struct pwm_imx_tpm_wfhw *wfhw)
{
	u32 mask = pwm_imx_tpm_mask(tpm);
	u32 sc, mod, cnsc, cnv, els;
	int ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_SC, &sc);
	if (!ret)
		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_MOD, &mod);
	if (!ret)
		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CnSC(ch), &cnsc);
	if (!ret)
		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CnV(ch), &cnv);
	if (ret)
		return ret;

	els = cnsc & PWM_IMX_TPM_CnSC_ELS;
	wfhw->hw.ps = FIELD_GET(PWM_IMX_TPM_SC_PS, sc);
	wfhw->hw.mod = mod & mask;
	wfhw->hw.cnv = cnv & mask;
	wfhw->enabled = els;
	/* a disabled channel has no polarity, report the requested one */
	if (els)
		wfhw->inversed = els == PWM_IMX_TPM_CnSC_ELS_INVERSED;
	else
		wfhw->inversed = test_bit(ch, &tpm->inversed);

	return 0;
}

/*
 * Time from now to the next counter wrap for the running period @cur; the
 * count it was computed from goes to @cnt.
 */
static int pwm_imx_tpm_time_to_wrap(struct pwm_imx_tpm *tpm,
				    const struct imx_tpm_pwm_hw *cur,
				    u64 *ns, u32 *cnt)
{
	u64 ticks;
	int ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CNT, cnt);
	if (ret)
		return ret;

	*cnt &= pwm_imx_tpm_mask(tpm);
	ticks = *cnt <= cur->mod ? (u64)cur->mod - *cnt + 1 : 1;
	*ns = imx_tpm_cycles_to_ns(ticks << cur->ps, tpm->rate);

	return 0;
}

/*
 * Busy-wait, for at most @max_ns, until the counter has wrapped since it
 * read @from (it may have done so already). A wrap first seen at a count
 * above @late (the CPU was held up between two reads) is -ETIMEDOUT too:
 * the caller waits for the next one.
 */
static int pwm_imx_tpm_spin_to_wrap(struct pwm_imx_tpm *tpm, u32 from,
				    u32 late, u64 max_ns)
{
	ktime_t end = ktime_add_ns(ktime_get(), max_ns);
	u32 mask = pwm_imx_tpm_mask(tpm);
	u32 cnt;
	int ret;

	for (;;) {
		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CNT, &cnt);
		if (ret)
			return ret;
		cnt &= mask;
		if (cnt < from)
			return cnt <= late ? 0 : -ETIMEDOUT;
		if (ktime_after(ktime_get(), end))
			return -ETIMEDOUT;
		from = cnt;
		cpu_relax();
	}
}

/* 1 if MOD and CnV hold @hw's values, 0 if not yet, or an error */
static int pwm_imx_tpm_latched(struct pwm_imx_tpm *tpm, unsigned int ch,
			       const struct imx_tpm_pwm_hw *hw)
{
	u32 mask = pwm_imx_tpm_mask(tpm);
	u32 mod, cnv;
	int ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_MOD, &mod);
	if (!ret)
		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CnV(ch), &cnv);
	if (ret)
		return ret;

	return (mod & mask) == hw->mod && (cnv & mask) == hw->cnv;
}

/*
 * Sleep until the values written to MOD and CnV are in effect, which
 * happens at the counter wrap @left_ns from now, or up to @late_ns after
 * it. Then poll until 1 ms after that: a counter clock a little slower than
 * its nominal rate, and a late CNT read, are well within that. The sleep
 * is a high-resolution one: a jiffy-based sleep may end up to a jiffy early
 * or late.
 */
static int pwm_imx_tpm_wait_latched(struct pwm_imx_tpm *tpm, unsigned int ch,
				    const struct imx_tpm_pwm_hw *hw,
				    u64 left_ns, u64 late_ns)
{
	ktime_t end = ktime_add_ns(ktime_get(),
				   left_ns + late_ns + NSEC_PER_MSEC);
	u64 left_us = div_u64(left_ns, NSEC_PER_USEC);
	unsigned long poll_us;
	int latched;

	latched = pwm_imx_tpm_latched(tpm, ch, hw);
	if (latched)
		return latched < 0 ? latched : 0;

	if (left_us > 10)
		usleep_range(left_us, left_us + left_us / 16 + 10);

	poll_us = clamp_t(u64, div_u64(late_ns, 16 * NSEC_PER_USEC), 10, 100);
	for (;;) {
		latched = pwm_imx_tpm_latched(tpm, ch, hw);
		if (latched)
			return latched < 0 ? latched : 0;
		if (ktime_after(ktime_get(), end))
			return -ETIMEDOUT;
		usleep_range(poll_us, 2 * poll_us);
	}
}

/* Program a channel while the counter is stopped and start the counter */
static int pwm_imx_tpm_start(struct pwm_imx_tpm *tpm, unsigned int ch,
			     const struct imx_tpm_pwm_hw *hw, u32 cnsc)
{
	struct regmap *map = tpm->regmap;
	u32 sc;
	int ret;

	ret = regmap_update_bits(map, PWM_IMX_TPM_SC,
				 PWM_IMX_TPM_SC_CMOD, 0);
	/* CMOD is synchronised to the counter clock; PS is locked until then */
	if (!ret)
		ret = regmap_read_poll_timeout_atomic(map, PWM_IMX_TPM_SC, sc,
						      !(sc & PWM_IMX_TPM_SC_CMOD),
						      0, PWM_IMX_TPM_STOP_US);
	if (!ret)
		ret = regmap_update_bits(map, PWM_IMX_TPM_SC,
					 PWM_IMX_TPM_SC_PS | PWM_IMX_TPM_SC_CPWMS,
					 FIELD_PREP(PWM_IMX_TPM_SC_PS, hw->ps));
	if (!ret)
		ret = regmap_write(map, PWM_IMX_TPM_MOD, hw->mod);
	if (!ret)
		ret = regmap_write(map, PWM_IMX_TPM_CnV(ch), hw->cnv);
	/* any write resets the counter */
	if (!ret)
		ret = regmap_write(map, PWM_IMX_TPM_CNT, 0);
	if (!ret)
		ret = regmap_write(map, PWM_IMX_TPM_CnSC(ch), cnsc);
	if (!ret)
		ret = regmap_update_bits(map, PWM_IMX_TPM_SC,
					 PWM_IMX_TPM_SC_CMOD,
					 PWM_IMX_TPM_SC_CMOD_INC_EVERY_CLK);

	return ret;
}

/*
 * Whether the counter has wrapped since TOF was last cleared; a set TOF is
 * cleared (write 1 to clear, the other fields written back unchanged).
 */
static int pwm_imx_tpm_wrapped(struct pwm_imx_tpm *tpm)
{
	u32 sc;
	int ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_SC, &sc);
	if (ret || !(sc & PWM_IMX_TPM_SC_TOF))
		return ret;

	ret = regmap_write(tpm->regmap, PWM_IMX_TPM_SC, sc);

	return ret ?: 1;
}

/*
 * Change the prescaler of the running counter. PS can only be written
 * while the counter is stopped, so stop it right after a wrap, program the
 * new period and duty and start it again.
 *
 * How late a sleep wakes up is not known (it is much later in a virtual
 * machine than on a board), so the sleep aims at @early before the wrap and
 * the rest is busy-waited with interrupts disabled. @early starts at 50 us
 * and doubles whenever a sleep overshoots the wrap.
 *
 * A counter that does not count never wraps. It is told from one that
 * does by CNT changing or TOF being set; the same CNT after a sleep alone
 * proves nothing, as the sleep may have lasted whole periods.
 */
static int pwm_imx_tpm_restart(struct pwm_imx_tpm *tpm, unsigned int ch,
			       const struct imx_tpm_pwm_hw *cur,
			       const struct imx_tpm_pwm_hw *hw, u32 cnsc)
{
	u64 period_ns = imx_tpm_period_ns(cur, tpm->rate);
	u64 tick_ns = imx_tpm_cycles_to_ns(1ULL << cur->ps, tpm->rate);
	/* stop the counter at most this many ticks into the new period */
	u32 late = div64_u64(PWM_IMX_TPM_MARGIN_NS, tick_ns);
	ktime_t now = ktime_get(), first = now;
	ktime_t end = ktime_add_ns(now, 16 * period_ns +
				   40 * PWM_IMX_TPM_EARLY_MAX_NS);
	u64 early = PWM_IMX_TPM_EARLY_MIN_NS;
	u64 left, wait, prev = ~0ULL;
	bool counting = false;
	unsigned long flags;
	u32 cnt;
	int ret;

	/* a period this short cannot be caught at its end: restart at once */
	if (period_ns < PWM_IMX_TPM_SHORT_PERIOD_NS) {
		local_irq_save(flags);
		ret = pwm_imx_tpm_start(tpm, ch, hw, cnsc);
		local_irq_restore(flags);
		return ret;
	}

	ret = pwm_imx_tpm_wrapped(tpm);
	if (ret < 0)
		return ret;

	for (;;) {
		ret = pwm_imx_tpm_time_to_wrap(tpm, cur, &left, &cnt);
		if (ret)
			return ret;

		now = ktime_get();
		if (prev == ~0ULL)
			first = now;
		else if (left != prev)
			counting = true;
		/*
		 * TOF and CNT are read again after @now, so at least that long
		 * after CNT was first read.
		 */
		if (!counting && ktime_to_ns(ktime_sub(now, first)) >
		    2 * tick_ns + PWM_IMX_TPM_MARGIN_NS) {
			ret = pwm_imx_tpm_wrapped(tpm);
			if (ret < 0)
				return ret;
			counting = ret;
			ret = pwm_imx_tpm_time_to_wrap(tpm, cur, &left, &cnt);
			if (ret)
				return ret;
			if (!counting && left == prev)
				return -ETIMEDOUT;
			counting = true;
		}
		if (ktime_after(now, end))
			return -ETIMEDOUT;

		if (left > prev && early < PWM_IMX_TPM_EARLY_MAX_NS)
			early *= 2;
		prev = left;

		if (left <= early) {
			local_irq_save(flags);
			ret = pwm_imx_tpm_time_to_wrap(tpm, cur, &left, &cnt);
			if (!ret)
				ret = pwm_imx_tpm_spin_to_wrap(tpm, cnt, late, left +
							       PWM_IMX_TPM_MARGIN_NS);
			if (!ret)
				ret = pwm_imx_tpm_start(tpm, ch, hw, cnsc);
			local_irq_restore(flags);
			/* a missed wrap (the CPU was held up): take the next */
			if (ret != -ETIMEDOUT)
				return ret;
			continue;
		}

		wait = left - early;
		if (wait > 20 * NSEC_PER_MSEC)
			msleep(div_u64(wait, NSEC_PER_MSEC) - 10);
		else
			usleep_range(div_u64(wait, NSEC_PER_USEC),
				     div_u64(wait, NSEC_PER_USEC) + 10);
	}
}

/*
 * Change period and duty of the running counter. Both registers are
 * written in the same period so that they take effect at the same wrap.
 */
static int pwm_imx_tpm_update(struct pwm_imx_tpm *tpm, unsigned int ch,
			      const struct imx_tpm_pwm_hw *cur,
			      const struct imx_tpm_pwm_hw *hw)
{
	u64 period_ns = imx_tpm_period_ns(cur, tpm->rate);
	bool short_period = period_ns < PWM_IMX_TPM_SHORT_PERIOD_NS;
	unsigned int tries = 0;
	unsigned long flags;
	u64 left;
	u32 cnt;
	int ret;

	do {
		local_irq_save(flags);
		ret = pwm_imx_tpm_time_to_wrap(tpm, cur, &left, &cnt);
		if (!ret && hw->mod != cur->mod && !short_period &&
		    left < PWM_IMX_TPM_MARGIN_NS)
			ret = pwm_imx_tpm_spin_to_wrap(tpm, cnt, U32_MAX, left +
						       PWM_IMX_TPM_MARGIN_NS);
		if (!ret && hw->mod != cur->mod)
			ret = regmap_write(tpm->regmap, PWM_IMX_TPM_MOD,
					   hw->mod);
		if (!ret && hw->cnv != cur->cnv)
			ret = regmap_write(tpm->regmap, PWM_IMX_TPM_CnV(ch),
					   hw->cnv);
		/* the next wrap takes them at the latest */
		if (!ret)
			ret = pwm_imx_tpm_time_to_wrap(tpm, cur, &left, &cnt);
		local_irq_restore(flags);
		/* a missed wrap (the CPU was held up): decide again */
	} while (ret == -ETIMEDOUT && ++tries < 4);
	if (ret)
		return ret;

	/*
	 * A period too short for both writes, or to tell from CNT when they
	 * were made, may end before MOD is written; CnV may only be taken at
	 * the wrap after MOD, one new period later.
	 */
	if (short_period)
		return pwm_imx_tpm_wait_latched(tpm, ch, hw, left, period_ns +
						imx_tpm_period_ns(hw, tpm->rate));

	return pwm_imx_tpm_wait_latched(tpm, ch, hw, left, 0);
}

static int pwm_imx_tpm_disable(struct pwm_imx_tpm *tpm, unsigned int ch)
{
	int ret;

	if (!(tpm->enabled & BIT(ch)))
		return 0;

	ret = regmap_write(tpm->regmap, PWM_IMX_TPM_CnSC(ch), 0);
	if (ret)
		return ret;

	tpm->enabled &= ~BIT(ch);
	if (tpm->enabled)
		return 0;

	return regmap_update_bits(tpm->regmap, PWM_IMX_TPM_SC,
				  PWM_IMX_TPM_SC_CMOD, 0);
}

static int pwm_imx_tpm_write_locked(struct pwm_imx_tpm *tpm, unsigned int ch,
				    const struct pwm_imx_tpm_wfhw *wfhw)
{
	const struct imx_tpm_pwm_hw *hw = &wfhw->hw;
	unsigned long others = READ_ONCE(tpm->requested) | tpm->enabled;
	bool enabled = tpm->enabled & BIT(ch);
	struct pwm_imx_tpm_wfhw cur;
	u32 cnsc;
	int ret;

	if (!wfhw->enabled) {
		ret = pwm_imx_tpm_disable(tpm, ch);
		if (ret)
			return ret;
		goto out;
	}

	ret = pwm_imx_tpm_read(tpm, ch, &cur);
	if (ret)
		return ret;

	/* ELS takes effect at once, there is no glitch-free way */
	if (enabled && cur.inversed != wfhw->inversed)
		return -EBUSY;

	/* the counter is shared by all channels */
	others &= ~BIT(ch);
	if (others && (cur.hw.ps != hw->ps || cur.hw.mod != hw->mod))
		return -EBUSY;

	cnsc = PWM_IMX_TPM_CnSC_MSB | (wfhw->inversed ?
					PWM_IMX_TPM_CnSC_ELS_INVERSED :
					PWM_IMX_TPM_CnSC_ELS_NORMAL);

	if (!tpm->enabled) {
		/* no channel drives its pin, so the counter is free */
		ret = pwm_imx_tpm_start(tpm, ch, hw, cnsc);
	} else if (cur.hw.ps != hw->ps) {
		/* only this channel is in use */
		ret = pwm_imx_tpm_restart(tpm, ch, &cur.hw, hw, cnsc);
	} else {
		ret = pwm_imx_tpm_update(tpm, ch, &cur.hw, hw);
		if (!ret && !enabled)
			ret = regmap_write(tpm->regmap, PWM_IMX_TPM_CnSC(ch),
					   cnsc);
	}
	if (ret)
		return ret;

	tpm->enabled |= BIT(ch);
out:
	assign_bit(ch, &tpm->inversed, wfhw->inversed);

	return 0;
}

static int pwm_imx_tpm_write(struct pwm_imx_tpm *tpm, unsigned int ch,
			     const struct pwm_imx_tpm_wfhw *wfhw)
{
	int ret;

	mutex_lock(&tpm->lock);
	ret = pwm_imx_tpm_write_locked(tpm, ch, wfhw);
	mutex_unlock(&tpm->lock);

	return ret;
}

static int pwm_imx_tpm_request(struct pwm_chip *chip, struct pwm_device *pwm)
{
	struct pwm_imx_tpm *tpm = pwmchip_get_drvdata(chip);

	set_bit(pwm->hwpwm, &tpm->requested);

	return 0;
}

static void pwm_imx_tpm_free(struct pwm_chip *chip, struct pwm_device *pwm)
{
	struct pwm_imx_tpm *tpm = pwmchip_get_drvdata(chip);

	clear_bit(pwm->hwpwm, &tpm->requested);
}

#ifdef PWM_WFHWSIZE
/*
 * Waveform API. The hardware produces the active phase either at the start
 * of the period (normal polarity) or at its end (inversed polarity); see
 * imx_tpm_round_waveform() for which waveform gets which.
 */
static int pwm_imx_tpm_round_waveform_tohw(struct pwm_chip *chip,
					   struct pwm_device *pwm,
					   const struct pwm_waveform *wf,
					   void *_wfhw)
{
	struct pwm_imx_tpm *tpm = pwmchip_get_drvdata(chip);
	struct pwm_imx_tpm_wfhw *wfhw = _wfhw;
	unsigned int ch = pwm->hwpwm;

	/*
	 * The polarity that 0 % and 100 % are expressed in: an enabled
	 * channel's, else the one its user last asked for (a waveform has no
	 * polarity, and a disabled state reaches the driver without it).
	 */
	*wfhw = (struct pwm_imx_tpm_wfhw){
		.inversed = test_bit(ch, &tpm->enabled) ?
			    test_bit(ch, &tpm->inversed) :
			    pwm->state.polarity == PWM_POLARITY_INVERSED,
	};

	if (!wf->period_length_ns)
		return 0;

	wfhw->enabled = true;

	return imx_tpm_round_waveform(wf->period_length_ns, wf->duty_length_ns,
				      wf->duty_offset_ns, tpm->rate, tpm->width,
				      &wfhw->hw, &wfhw->inversed);
}

static int pwm_imx_tpm_round_waveform_fromhw(struct pwm_chip *chip,
					     struct pwm_device *pwm,
					     const void *_wfhw,
					     struct pwm_waveform *wf)
{
	struct pwm_imx_tpm *tpm = pwmchip_get_drvdata(chip);
	const struct pwm_imx_tpm_wfhw *wfhw = _wfhw;

	*wf = (struct pwm_waveform){ };

	if (wfhw->enabled)
		imx_tpm_waveform_ns(&wfhw->hw, wfhw->inversed, tpm->rate,
				    &wf->period_length_ns, &wf->duty_length_ns,
				    &wf->duty_offset_ns);

	return 0;
}

static int pwm_imx_tpm_read_waveform(struct pwm_chip *chip,
				     struct pwm_device *pwm, void *_wfhw)
{
	return pwm_imx_tpm_read(pwmchip_get_drvdata(chip), pwm->hwpwm, _wfhw);
}

static int pwm_imx_tpm_write_waveform(struct pwm_chip *chip,
				      struct pwm_device *pwm,
				      const void *_wfhw)
{
	return pwm_imx_tpm_write(pwmchip_get_drvdata(chip), pwm->hwpwm, _wfhw);
}

#else /* !PWM_WFHWSIZE: kernels without the waveform API */

static int pwm_imx_tpm_apply(struct pwm_chip *chip, struct pwm_device *pwm,
			     const struct pwm_state *state)
{
	struct pwm_imx_tpm *tpm = pwmchip_get_drvdata(chip);
	bool inversed = state->polarity == PWM_POLARITY_INVERSED;
	struct pwm_imx_tpm_wfhw wfhw = {
		.enabled = state->enabled,
		.inversed = inversed,
	};
	u64 high, offset;

	if (state->enabled) {
		/* inversed: low for duty_cycle, then high to the period end */
		high = inversed ? state->period - state->duty_cycle :
				  state->duty_cycle;
		offset = inversed ? state->duty_cycle : 0;
		if (imx_tpm_round_waveform(state->period, high, offset,
					   tpm->rate, tpm->width, &wfhw.hw,
					   &wfhw.inversed))
			return -EINVAL;
	}

	return pwm_imx_tpm_write(tpm, pwm->hwpwm, &wfhw);
}

static int pwm_imx_tpm_get_state(struct pwm_chip *chip,
				 struct pwm_device *pwm,
				 struct pwm_state *state)
{
	struct pwm_imx_tpm *tpm = pwmchip_get_drvdata(chip);
	struct pwm_imx_tpm_wfhw wfhw;
	int ret;

	ret = pwm_imx_tpm_read(tpm, pwm->hwpwm, &wfhw);
	if (ret)
		return ret;

	state->period = imx_tpm_period_ns(&wfhw.hw, tpm->rate);
	state->duty_cycle = imx_tpm_duty_ns(&wfhw.hw, tpm->rate);
	state->enabled = wfhw.enabled;
	state->polarity = wfhw.inversed ? PWM_POLARITY_INVERSED :
					  PWM_POLARITY_NORMAL;

	return 0;
}

DEFINE_COMPAT_GET_STATE(pwm_imx_tpm_get_state)
#endif /* PWM_WFHWSIZE */

static const struct pwm_ops pwm_imx_tpm_ops = {
	.request = pwm_imx_tpm_request,
	.free = pwm_imx_tpm_free,
#ifdef PWM_WFHWSIZE
	.sizeof_wfhw = sizeof(struct pwm_imx_tpm_wfhw),
	.round_waveform_tohw = pwm_imx_tpm_round_waveform_tohw,
	.round_waveform_fromhw = pwm_imx_tpm_round_waveform_fromhw,
	.read_waveform = pwm_imx_tpm_read_waveform,
	.write_waveform = pwm_imx_tpm_write_waveform,
#else
	.apply = pwm_imx_tpm_apply,
	.get_state = COMPAT_GET_STATE(pwm_imx_tpm_get_state),
#endif
	COMPAT_PWM_OPS_OWNER
};

/*
 * Some register accesses are made with interrupts disabled, so regmap's
 * lock must not sleep, not even on PREEMPT_RT.
 */
static const struct regmap_config pwm_imx_tpm_regmap_config = {
	.reg_bits = 32,
	.val_bits = 32,
	.reg_stride = 4,
	.max_register = PWM_IMX_TPM_CONF,
	.use_raw_spinlock = true,
};

static void pwm_imx_tpm_rate_put(void *clk)
{
	clk_rate_exclusive_put(clk);
}

static struct regmap *pwm_imx_tpm_regmap(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct regmap *regmap = NULL;
	void __iomem *base;

	if (platform_get_resource(pdev, IORESOURCE_MEM, 0)) {
		base = devm_platform_ioremap_resource(pdev, 0);
		if (IS_ERR(base))
			return ERR_CAST(base);

		return devm_regmap_init_mmio(dev, base,
					     &pwm_imx_tpm_regmap_config);
	}

	/*
	 * No registers of its own: a parent device provides them. Its regmap
	 * must not sleep, it is used with interrupts disabled.
	 */
	if (dev->parent)
		regmap = dev_get_regmap(dev->parent, NULL);

	return regmap ?: ERR_PTR(-ENODEV);
}

static int pwm_imx_tpm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	unsigned int npwm, width, ch;
	struct pwm_imx_tpm *tpm;
	struct pwm_chip *chip;
	struct regmap *regmap;
	unsigned long rate;
	u32 param, cnsc;
	struct clk *clk;
	int ret;

	regmap = pwm_imx_tpm_regmap(pdev);
	if (IS_ERR(regmap))
		return dev_err_probe(dev, PTR_ERR(regmap),
				     "failed to get registers\n");

	clk = devm_clk_get_enabled(dev, NULL);
	if (IS_ERR(clk))
		return dev_err_probe(dev, PTR_ERR(clk),
				     "failed to get clock\n");

	/* the rate is used for every conversion, it must not change */
	ret = clk_rate_exclusive_get(clk);
	if (ret)
		return dev_err_probe(dev, ret,
				     "failed to get exclusive clock rate\n");

	ret = devm_add_action_or_reset(dev, pwm_imx_tpm_rate_put, clk);
	if (ret)
		return ret;

	rate = clk_get_rate(clk);
	if (!rate || rate > IMX_TPM_RATE_MAX)
		return dev_err_probe(dev, -EINVAL,
				     "unsupported clock rate %lu Hz\n", rate);

	ret = regmap_read(regmap, PWM_IMX_TPM_PARAM, &param);
	if (ret)
		return dev_err_probe(dev, ret, "failed to read PARAM\n");

	npwm = FIELD_GET(PWM_IMX_TPM_PARAM_CHAN, param);
	if (!npwm || npwm > PWM_IMX_TPM_MAX_CHANNELS)
		return dev_err_probe(dev, -ENODEV,
				     "PARAM reports %u channels, 1 to %u are possible\n",
				     npwm, PWM_IMX_TPM_MAX_CHANNELS);

	width = FIELD_GET(PWM_IMX_TPM_PARAM_WIDTH, param);
	if (!width)
		width = PWM_IMX_TPM_DEFAULT_WIDTH;
	if (width > IMX_TPM_WIDTH_MAX)
		return dev_err_probe(dev, -ENODEV,
				     "PARAM reports a %u bit counter, at most %u bits are possible\n",
				     width, IMX_TPM_WIDTH_MAX);

	chip = devm_pwmchip_alloc(dev, npwm, sizeof(*tpm));
	if (IS_ERR(chip))
		return PTR_ERR(chip);

	tpm = pwmchip_get_drvdata(chip);
	tpm->regmap = regmap;
	tpm->clk = clk;
	tpm->rate = rate;
	tpm->width = width;
	mutex_init(&tpm->lock);

	/* keep channels that the bootloader left running as they are */
	for (ch = 0; ch < npwm; ch++) {
		ret = regmap_read(regmap, PWM_IMX_TPM_CnSC(ch), &cnsc);
		if (ret)
			return dev_err_probe(dev, ret,
					     "failed to read channel %u\n", ch);

		cnsc &= PWM_IMX_TPM_CnSC_ELS;
		if (cnsc)
			tpm->enabled |= BIT(ch);
		if (cnsc == PWM_IMX_TPM_CnSC_ELS_INVERSED)
			tpm->inversed |= BIT(ch);
	}

	chip->ops = &pwm_imx_tpm_ops;
	platform_set_drvdata(pdev, chip);

	ret = devm_pwmchip_add(dev, chip);
	if (ret)
		return dev_err_probe(dev, ret, "failed to add PWM chip\n");

	return 0;
}

static int pwm_imx_tpm_suspend(struct device *dev)
{
	struct pwm_imx_tpm *tpm = pwmchip_get_drvdata(dev_get_drvdata(dev));
	int ret;

	mutex_lock(&tpm->lock);
	ret = tpm->enabled ? -EBUSY : 0;
	mutex_unlock(&tpm->lock);
	if (ret)
		return ret;

	clk_disable_unprepare(tpm->clk);

	ret = pinctrl_pm_select_sleep_state(dev);
	if (ret)
		clk_prepare_enable(tpm->clk);

	return ret;
}

static int pwm_imx_tpm_resume(struct device *dev)
{
	struct pwm_imx_tpm *tpm = pwmchip_get_drvdata(dev_get_drvdata(dev));
	int ret;

	ret = pinctrl_pm_select_default_state(dev);
	if (ret)
		return ret;

	ret = clk_prepare_enable(tpm->clk);
	if (ret)
		pinctrl_pm_select_sleep_state(dev);

	return ret;
}

static DEFINE_SIMPLE_DEV_PM_OPS(pwm_imx_tpm_pm, pwm_imx_tpm_suspend,
				pwm_imx_tpm_resume);

static const struct of_device_id pwm_imx_tpm_dt_ids[] = {
	{ .compatible = "fsl,imx7ulp-pwm" },
	{ }
};
MODULE_DEVICE_TABLE(of, pwm_imx_tpm_dt_ids);

static struct platform_driver pwm_imx_tpm_driver = {
	.driver = {
		.name = "pwm-imx-tpm",
		.of_match_table = pwm_imx_tpm_dt_ids,
		.pm = pm_sleep_ptr(&pwm_imx_tpm_pm),
	},
	.probe = pwm_imx_tpm_probe,
};

module_platform_driver(pwm_imx_tpm_driver);

MODULE_DESCRIPTION("i.MX TPM PWM driver");
MODULE_LICENSE("GPL");
MODULE_VERSION(PWM_IMX_TPM_VERSION);
MODULE_ALIAS("platform:pwm-imx-tpm");
MODULE_IMPORT_NS("PWM");
