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
 * - MOD and CnV take effect at the next counter wrap. A period change
 *   writes both in a window before the same wrap, so that no period mixes
 *   old and new values; a running period shorter than two such windows
 *   (40 us, plus 6 counter clock cycles) is not waited for, and may mix
 *   them once. A duty change alone may be taken one period later.
 * - A change of the prescaler stops the counter right after a wrap for a
 *   few register writes and the stop and start acknowledgments (up to two
 *   counter clock cycles each), so the first new period starts that much
 *   late. Interrupts are disabled from 20 us before the wrap to the stop
 *   request, whatever the counter clock; the counter stays stopped for
 *   its acknowledgment, the writes and any interrupt handler that runs
 *   meanwhile. A running period shorter than two write windows is
 *   restarted without waiting for its end.
 * - The counter restarts from 0. On silicon whose outputs stay at their
 *   initial (inactive) level from a counter start or CNT write until the
 *   first overflow, the first period after a prescaler change or after the
 *   start of a stopped counter has no active phase. PS can only be written
 *   with the counter stopped and a stop-start that does not write CNT
 *   continues from the held count in a period of the new prescaler, so
 *   this cannot be avoided.
 * - A channel enabled while another one keeps the counter running starts
 *   in the middle of a period; its first complete period is the next one.
 * - A disabled channel's output is switched off at once, not at the end of
 *   the running period.
 * - A 100 % duty cycle is not possible at the longest period, 2^width
 *   ticks at the largest prescaler (CnV cannot exceed MOD); the longest
 *   duty there is one tick shorter.
 * - Only channels in edge-aligned PWM mode on an up-counting counter are
 *   taken over from the bootloader as running; a channel in another mode
 *   reads as disabled and keeps driving its pin until it is first applied.
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
#include <linux/preempt.h>
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
#define PWM_IMX_TPM_CnSC_MSA		BIT(4)
/*
 * ELSB:ELSA select the output mode. In edge-aligned PWM mode 10 is
 * high-true, 01 is low-true and 00 disconnects the channel from its pin.
 */
#define PWM_IMX_TPM_CnSC_ELS		GENMASK(3, 2)
#define PWM_IMX_TPM_CnSC_ELS_INVERSED	FIELD_PREP(PWM_IMX_TPM_CnSC_ELS, 1)
#define PWM_IMX_TPM_CnSC_ELS_NORMAL	FIELD_PREP(PWM_IMX_TPM_CnSC_ELS, 2)
/* the channel mode: MSB:MSA = 10 with ELS 10 or 01 is edge-aligned PWM */
#define PWM_IMX_TPM_CnSC_MODE		(PWM_IMX_TPM_CnSC_MSB | \
					 PWM_IMX_TPM_CnSC_MSA | \
					 PWM_IMX_TPM_CnSC_ELS)

#define PWM_IMX_TPM_MAX_CHANNELS	8
#define PWM_IMX_TPM_DEFAULT_WIDTH	16

/*
 * CPU time that the register writes of a period change (MOD and CnV) need
 * at most; closer to the end of a period the driver waits for the counter
 * to wrap before writing. The writes also take up to a counter clock cycle
 * to reach the counter (pwm_imx_tpm::sync_ns).
 */
#define PWM_IMX_TPM_MARGIN_NS		(20 * NSEC_PER_USEC)
/*
 * Counter clock cycles that a register write takes to reach the counter
 * clock domain (one) and a CMOD change to be acknowledged (two), with one
 * more for a clock a little slower than its nominal rate
 */
#define PWM_IMX_TPM_SYNC_CYCLES		3
/* CPU time added to the acknowledgment bound, and the poll interval */
#define PWM_IMX_TPM_ACK_SLACK_US	10
#define PWM_IMX_TPM_POLL_US		10
/* bounds of the time a sleep before a prescaler change aims early */
#define PWM_IMX_TPM_EARLY_MIN_NS	(50 * NSEC_PER_USEC)
#define PWM_IMX_TPM_EARLY_MAX_NS	(5 * NSEC_PER_MSEC)

struct pwm_imx_tpm {
	struct regmap *regmap;
	struct clk *clk;
	u32 rate;
	unsigned int width;
	/* time of PWM_IMX_TPM_SYNC_CYCLES counter clock cycles */
	u64 sync_ns;
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
	 * Polarity last written: an enabled channel's ELS, and for a
	 * disabled one the polarity last requested. Read without @lock.
	 */
	unsigned long inversed;
	/*
	 * SC and MOD across system suspend, which resets the TPM's registers
	 * (the counter is stopped then: no channel may be enabled)
	 */
	u32 suspend_sc;
	u32 suspend_mod;
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
 * Whether a channel produces edge-aligned PWM: the counter counts up on
 * every clock (SC.CMOD = 01, SC.CPWMS = 0) and the channel is in
 * edge-aligned PWM mode (CnSC MSB:MSA = 10) with an output (ELS 10 or 01).
 * A bootloader may have left a channel in another mode (input capture,
 * output compare, centre-aligned PWM): that is not a running PWM.
 */
static bool pwm_imx_tpm_is_pwm(u32 sc, u32 cnsc)
{
	u32 els = cnsc & PWM_IMX_TPM_CnSC_ELS;

	if ((sc & (PWM_IMX_TPM_SC_CMOD | PWM_IMX_TPM_SC_CPWMS)) !=
	    PWM_IMX_TPM_SC_CMOD_INC_EVERY_CLK)
		return false;

	if ((cnsc & (PWM_IMX_TPM_CnSC_MSB | PWM_IMX_TPM_CnSC_MSA)) !=
	    PWM_IMX_TPM_CnSC_MSB)
		return false;

	return els == PWM_IMX_TPM_CnSC_ELS_NORMAL ||
	       els == PWM_IMX_TPM_CnSC_ELS_INVERSED;
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
	u32 sc, mod, cnsc, cnv;
	int ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_SC, &sc);
	if (ret)
		return ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_MOD, &mod);
	if (ret)
		return ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CnSC(ch), &cnsc);
	if (ret)
		return ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CnV(ch), &cnv);
	if (ret)
		return ret;

	wfhw->hw.ps = FIELD_GET(PWM_IMX_TPM_SC_PS, sc);
	wfhw->hw.mod = mod & mask;
	wfhw->hw.cnv = cnv & mask;
	wfhw->enabled = pwm_imx_tpm_is_pwm(sc, cnsc);
	/* a disabled channel has no polarity, report the requested one */
	if (wfhw->enabled)
		wfhw->inversed = (cnsc & PWM_IMX_TPM_CnSC_ELS) ==
				 PWM_IMX_TPM_CnSC_ELS_INVERSED;
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
 * Time a register write must be made before a counter wrap to be taken at
 * that wrap: the CPU's margin plus the write's way into the counter clock
 * domain.
 */
static u64 pwm_imx_tpm_window_ns(const struct pwm_imx_tpm *tpm)
{
	return PWM_IMX_TPM_MARGIN_NS + tpm->sync_ns;
}

/*
 * Whether a running period is too short to place the writes in a window
 * before its wrap: its wrap is not waited for.
 */
static bool pwm_imx_tpm_short(const struct pwm_imx_tpm *tpm, u64 period_ns)
{
	return period_ns < 2 * pwm_imx_tpm_window_ns(tpm);
}

/*
 * Busy-wait, for at most @max_ns, until the counter has wrapped since it
 * read @from (it may have done so already). -EAGAIN if it did not, or if
 * the wrap was first seen more than @late ticks into the new period.
 *
 * This may run with interrupts disabled, where the clock need not advance
 * (a jiffies clocksource): the wait also ends when the delays between the
 * reads add up to @max_ns, as read_poll_timeout_atomic() does.
 */
static int pwm_imx_tpm_spin_to_wrap(struct pwm_imx_tpm *tpm, u32 from,
				    u32 late, u64 max_ns)
{
	ktime_t end = ktime_add_ns(ktime_get(), max_ns);
	u32 mask = pwm_imx_tpm_mask(tpm);
	u64 spun_ns = 0;
	u32 cnt;
	int ret;

	for (;;) {
		bool expired = ktime_after(ktime_get(), end) ||
			       spun_ns >= max_ns;

		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CNT, &cnt);
		if (ret)
			return ret;
		cnt &= mask;
		if (cnt < from)
			return cnt <= late ? 0 : -EAGAIN;
		if (expired)
			return -EAGAIN;
		from = cnt;
		udelay(1);
		spun_ns += NSEC_PER_USEC;
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
	if (ret)
		return ret;

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
 * or late. The time is taken before each read, so that only a read made
 * after the deadline can fail the wait: a CPU taken away between a read
 * and the clock would otherwise fail a change that did happen.
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
		bool expired = ktime_after(ktime_get(), end);

		latched = pwm_imx_tpm_latched(tpm, ch, hw);
		if (latched)
			return latched < 0 ? latched : 0;
		if (expired)
			return -ETIMEDOUT;
		usleep_range(poll_us, 2 * poll_us);
	}
}

/* Longest time, in us, that a CMOD change takes to be acknowledged */
static unsigned long pwm_imx_tpm_ack_us(const struct pwm_imx_tpm *tpm)
{
	return div_u64(tpm->sync_ns, NSEC_PER_USEC) + PWM_IMX_TPM_ACK_SLACK_US;
}

/*
 * Wait until the counter clock domain has taken a CMOD change: it reads
 * back one to two counter clock cycles after the write. @atomic: poll
 * without sleeping (preemption is disabled).
 */
static int pwm_imx_tpm_cmod_taken(struct pwm_imx_tpm *tpm, u32 cmod,
				  bool atomic)
{
	u32 sc;

	if (atomic)
		return regmap_read_poll_timeout_atomic(tpm->regmap,
						       PWM_IMX_TPM_SC, sc,
						       (sc & PWM_IMX_TPM_SC_CMOD) == cmod,
						       0, pwm_imx_tpm_ack_us(tpm));

	return regmap_read_poll_timeout(tpm->regmap, PWM_IMX_TPM_SC, sc,
					(sc & PWM_IMX_TPM_SC_CMOD) == cmod,
					PWM_IMX_TPM_POLL_US,
					pwm_imx_tpm_ack_us(tpm));
}

static int pwm_imx_tpm_write_cmod(struct pwm_imx_tpm *tpm, u32 cmod)
{
	return regmap_update_bits(tpm->regmap, PWM_IMX_TPM_SC,
				  PWM_IMX_TPM_SC_CMOD, cmod);
}

/* Set SC.CMOD and wait until it is taken */
static int pwm_imx_tpm_set_cmod(struct pwm_imx_tpm *tpm, u32 cmod)
{
	int ret;

	ret = pwm_imx_tpm_write_cmod(tpm, cmod);
	if (ret)
		return ret;

	return pwm_imx_tpm_cmod_taken(tpm, cmod, false);
}

/*
 * Program a channel into the stopped counter, in edge-aligned PWM mode,
 * and start the counter from 0. The start is acknowledged later, see
 * pwm_imx_tpm_started().
 */
static int pwm_imx_tpm_program(struct pwm_imx_tpm *tpm, unsigned int ch,
			       const struct imx_tpm_pwm_hw *hw, u32 cnsc)
{
	struct regmap *map = tpm->regmap;
	int ret;

	ret = regmap_update_bits(map, PWM_IMX_TPM_SC,
				 PWM_IMX_TPM_SC_PS | PWM_IMX_TPM_SC_CPWMS,
				 FIELD_PREP(PWM_IMX_TPM_SC_PS, hw->ps));
	if (ret)
		return ret;

	ret = regmap_write(map, PWM_IMX_TPM_MOD, hw->mod);
	if (ret)
		return ret;

	ret = regmap_write(map, PWM_IMX_TPM_CnV(ch), hw->cnv);
	if (ret)
		return ret;

	/* any write resets the counter */
	ret = regmap_write(map, PWM_IMX_TPM_CNT, 0);
	if (ret)
		return ret;

	ret = regmap_write(map, PWM_IMX_TPM_CnSC(ch), cnsc);
	if (ret)
		return ret;

	return pwm_imx_tpm_write_cmod(tpm, PWM_IMX_TPM_SC_CMOD_INC_EVERY_CLK);
}

/* Wait until the counter is seen counting after pwm_imx_tpm_program() */
static int pwm_imx_tpm_started(struct pwm_imx_tpm *tpm)
{
	return pwm_imx_tpm_cmod_taken(tpm, PWM_IMX_TPM_SC_CMOD_INC_EVERY_CLK,
				      false);
}

/*
 * Once the stop requested at a wrap is taken, program a channel and start
 * the counter again; if the stop is not taken, set the counter counting
 * again, as it was. Called with preemption disabled, so that only
 * interrupt handlers can hold the counter stopped longer.
 */
static int pwm_imx_tpm_stopped_start(struct pwm_imx_tpm *tpm,
				     unsigned int ch,
				     const struct imx_tpm_pwm_hw *hw,
				     u32 cnsc)
{
	int ret;

	ret = pwm_imx_tpm_cmod_taken(tpm, 0, true);
	if (ret) {
		pwm_imx_tpm_write_cmod(tpm, PWM_IMX_TPM_SC_CMOD_INC_EVERY_CLK);
		return ret;
	}

	return pwm_imx_tpm_program(tpm, ch, hw, cnsc);
}

/* Start the stopped counter with a channel */
static int pwm_imx_tpm_start(struct pwm_imx_tpm *tpm, unsigned int ch,
			     const struct imx_tpm_pwm_hw *hw, u32 cnsc)
{
	int ret;

	ret = pwm_imx_tpm_set_cmod(tpm, 0);
	if (ret)
		return ret;

	ret = pwm_imx_tpm_program(tpm, ch, hw, cnsc);
	if (ret)
		return ret;

	return pwm_imx_tpm_started(tpm);
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
 * -ETIMEDOUT if the counter does not count: CNT is the same two ticks
 * later and TOF was not set in between (the same CNT alone proves nothing,
 * the sleep may have lasted whole periods).
 */
static int pwm_imx_tpm_counting(struct pwm_imx_tpm *tpm,
				const struct imx_tpm_pwm_hw *cur)
{
	u64 us = div_u64(imx_tpm_cycles_to_ns(2ULL << cur->ps, tpm->rate) +
			 tpm->sync_ns, NSEC_PER_USEC) + 1;
	u32 cnt0, cnt;
	int ret;

	ret = pwm_imx_tpm_wrapped(tpm);
	if (ret < 0)
		return ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CNT, &cnt0);
	if (ret)
		return ret;

	usleep_range(us, us + us / 4 + 10);

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CNT, &cnt);
	if (ret || cnt != cnt0)
		return ret;

	ret = pwm_imx_tpm_wrapped(tpm);
	if (ret < 0)
		return ret;

	return ret ? 0 : -ETIMEDOUT;
}

/*
 * Sleep until about @early before the next counter wrap, then busy-wait
 * with interrupts enabled until it is at most PWM_IMX_TPM_MARGIN_NS away,
 * or in the last tick of the period; the count read then goes to @cnt, the
 * time left to @left. How late a sleep wakes up is not known (much later
 * in a virtual machine than on a board), so @early doubles, up to half a
 * period, whenever the sleep missed the wrap; -EAGAIN then (the next one
 * is to be waited for).
 *
 * The busy-wait may miss the last PWM_IMX_TPM_MARGIN_NS as well, when an
 * interrupt handler runs then. That interrupt may come at the same point
 * of every period (a tick of a period that divides the PWM period, from
 * the same oscillator), so the wrap that has just passed is not given up:
 * the count read before it goes to @cnt and 0 to @left, and the caller
 * checks with interrupts disabled whether it is still early enough in the
 * new period.
 */
static int pwm_imx_tpm_near_wrap(struct pwm_imx_tpm *tpm,
				 const struct imx_tpm_pwm_hw *cur, u64 *early,
				 u32 *cnt, u64 *left)
{
	u64 period_ns = imx_tpm_period_ns(cur, tpm->rate);
	u64 half = div_u64(period_ns, 2);
	bool slept = false;
	ktime_t end;
	u64 wait;
	u32 prev;
	int ret;

	ret = pwm_imx_tpm_time_to_wrap(tpm, cur, left, cnt);
	if (ret)
		return ret;
	/*
	 * The wait ends a period after the wrap was due, whatever the count:
	 * a counter that stopped, or one read against a clock that moves in
	 * steps of whole periods (a jiffies clocksource, which the test
	 * model's counter follows), would never reach the end.
	 */
	end = ktime_add_ns(ktime_get(), *left + period_ns +
			   PWM_IMX_TPM_EARLY_MAX_NS);

	if (*left > *early) {
		wait = div_u64(*left - *early, NSEC_PER_USEC);
		if (wait > 20 * USEC_PER_MSEC)
			msleep(div_u64(wait, USEC_PER_MSEC) - 10);
		else
			usleep_range(wait, wait + 10);
		slept = true;
	}

	while (*left > PWM_IMX_TPM_MARGIN_NS && *cnt != cur->mod) {
		prev = *cnt;
		ret = pwm_imx_tpm_time_to_wrap(tpm, cur, left, cnt);
		if (ret)
			return ret;
		if (*cnt < prev && slept) {
			/* overslept: the wrap has passed */
			*early = min_t(u64, 2 * *early,
				       max_t(u64, half,
					     PWM_IMX_TPM_EARLY_MIN_NS));
			return -EAGAIN;
		}
		if (*cnt < prev) {
			/* held up in the last part of the period */
			*cnt = prev;
			*left = 0;
			return 0;
		}
		if (ktime_after(ktime_get(), end))
			return -EAGAIN;
		slept = false;
		cpu_relax();
	}

	return 0;
}

/*
 * Wait for the wrap that the counter at @cnt is @left away from, make sure
 * it is seen at most @late ticks after it and ask the counter to stop,
 * with interrupts disabled for at most PWM_IMX_TPM_MARGIN_NS plus a write
 * window; then, with interrupts enabled, program the channel into the
 * stopped counter and start it. -EAGAIN if the wrap was not seen in time.
 */
static int pwm_imx_tpm_restart_at_wrap(struct pwm_imx_tpm *tpm,
				       unsigned int ch,
				       const struct imx_tpm_pwm_hw *hw,
				       u32 cnsc, u32 late, u32 cnt, u64 left)
{
	unsigned long flags;
	int ret;

	preempt_disable();
	local_irq_save(flags);
	ret = pwm_imx_tpm_spin_to_wrap(tpm, cnt, late,
				       left + pwm_imx_tpm_window_ns(tpm));
	if (!ret)
		ret = pwm_imx_tpm_write_cmod(tpm, 0);
	local_irq_restore(flags);
	if (!ret)
		ret = pwm_imx_tpm_stopped_start(tpm, ch, hw, cnsc);
	preempt_enable();

	return ret;
}

/* A period too short to be caught at its end: restart at once */
static int pwm_imx_tpm_restart_now(struct pwm_imx_tpm *tpm, unsigned int ch,
				   const struct imx_tpm_pwm_hw *hw, u32 cnsc)
{
	int ret;

	preempt_disable();
	ret = pwm_imx_tpm_write_cmod(tpm, 0);
	if (!ret)
		ret = pwm_imx_tpm_stopped_start(tpm, ch, hw, cnsc);
	preempt_enable();
	if (ret)
		return ret;

	return pwm_imx_tpm_started(tpm);
}

/*
 * Change the prescaler of the running counter. PS can only be written
 * while the counter is stopped, so stop it right after a wrap, program the
 * new period and duty and start it again. Interrupts are disabled only
 * for the last PWM_IMX_TPM_MARGIN_NS before the wrap, the wrap itself and
 * the stop request; the wait for the stop, which takes up to two counter
 * clock cycles (61 us at 32768 Hz), and the writes that follow run with
 * interrupts enabled and preemption disabled.
 */
static int pwm_imx_tpm_restart(struct pwm_imx_tpm *tpm, unsigned int ch,
			       const struct imx_tpm_pwm_hw *cur,
			       const struct imx_tpm_pwm_hw *hw, u32 cnsc)
{
	u64 period_ns = imx_tpm_period_ns(cur, tpm->rate);
	u64 tick_ns = imx_tpm_cycles_to_ns(1ULL << cur->ps, tpm->rate);
	/*
	 * Stop the counter at most this many ticks into the new period. It
	 * doubles, up to an eighth of the period, whenever the wrap was seen
	 * later: a CPU held up that long once (an interrupt, a virtual
	 * machine's host) may be held up at every wrap.
	 */
	u32 late = max_t(u64, div64_u64(PWM_IMX_TPM_MARGIN_NS, tick_ns), 1);
	u32 late_max = max(late, (cur->mod + 1) / 8);
	ktime_t end = ktime_add_ns(ktime_get(), 16 * period_ns +
				   40 * PWM_IMX_TPM_EARLY_MAX_NS);
	u64 early = PWM_IMX_TPM_EARLY_MIN_NS;
	u64 left;
	u32 cnt;
	int ret;

	if (pwm_imx_tpm_short(tpm, period_ns))
		return pwm_imx_tpm_restart_now(tpm, ch, hw, cnsc);

	ret = pwm_imx_tpm_counting(tpm, cur);
	if (ret)
		return ret;

	for (;;) {
		/* as in pwm_imx_tpm_wait_latched(): time first, then try */
		bool expired = ktime_after(ktime_get(), end);

		ret = pwm_imx_tpm_near_wrap(tpm, cur, &early, &cnt, &left);
		/*
		 * A tick longer than the margin (a slow counter clock): see
		 * the wrap with interrupts enabled; it is still the first
		 * tick when they are disabled.
		 */
		if (!ret && tick_ns > PWM_IMX_TPM_MARGIN_NS)
			ret = pwm_imx_tpm_spin_to_wrap(tpm, cnt, U32_MAX, left +
						       pwm_imx_tpm_window_ns(tpm));
		if (!ret) {
			ret = pwm_imx_tpm_restart_at_wrap(tpm, ch, hw, cnsc,
							  late, cnt, left);
			if (ret == -EAGAIN)
				late = min(2 * late, late_max);
		}
		if (ret != -EAGAIN)
			break;
		if (expired)
			return -ETIMEDOUT;
	}
	if (ret)
		return ret;

	return pwm_imx_tpm_started(tpm);
}

/*
 * Busy-wait with interrupts enabled until the next counter wrap if it is
 * less than a write window away.
 */
static int pwm_imx_tpm_wait_window(struct pwm_imx_tpm *tpm,
				   const struct imx_tpm_pwm_hw *cur)
{
	u64 window = pwm_imx_tpm_window_ns(tpm);
	u64 left;
	u32 cnt;
	int ret;

	ret = pwm_imx_tpm_time_to_wrap(tpm, cur, &left, &cnt);
	if (ret || left >= window)
		return ret;

	return pwm_imx_tpm_spin_to_wrap(tpm, cnt, U32_MAX, left + window);
}

/*
 * Write MOD and CnV, with interrupts disabled, if there is a write window
 * left before the next wrap (-EAGAIN if not, when the period changes).
 * The time to that wrap goes to @left.
 */
static int pwm_imx_tpm_write_period(struct pwm_imx_tpm *tpm, unsigned int ch,
				    const struct imx_tpm_pwm_hw *cur,
				    const struct imx_tpm_pwm_hw *hw,
				    bool in_window, u64 *left)
{
	unsigned long flags;
	u32 cnt;
	int ret;

	local_irq_save(flags);
	ret = pwm_imx_tpm_time_to_wrap(tpm, cur, left, &cnt);
	if (!ret && in_window && *left < pwm_imx_tpm_window_ns(tpm))
		ret = -EAGAIN;
	if (!ret && hw->mod != cur->mod)
		ret = regmap_write(tpm->regmap, PWM_IMX_TPM_MOD, hw->mod);
	if (!ret && hw->cnv != cur->cnv)
		ret = regmap_write(tpm->regmap, PWM_IMX_TPM_CnV(ch), hw->cnv);
	local_irq_restore(flags);

	return ret;
}

/*
 * Change period and duty of the running counter. A period change writes
 * both registers in a window before the same wrap, so that they take
 * effect together. A duty change alone may miss the next wrap (the write
 * takes up to a counter clock cycle to arrive) and is then taken at the
 * one after.
 */
static int pwm_imx_tpm_update(struct pwm_imx_tpm *tpm, unsigned int ch,
			      const struct imx_tpm_pwm_hw *cur,
			      const struct imx_tpm_pwm_hw *hw)
{
	u64 period_ns = imx_tpm_period_ns(cur, tpm->rate);
	u64 new_ns = imx_tpm_period_ns(hw, tpm->rate);
	bool in_window = hw->mod != cur->mod &&
			 !pwm_imx_tpm_short(tpm, period_ns);
	unsigned int tries = 0;
	u64 left;
	int ret;

	do {
		ret = in_window ? pwm_imx_tpm_wait_window(tpm, cur) : 0;
		if (!ret)
			ret = pwm_imx_tpm_write_period(tpm, ch, cur, hw,
						       in_window, &left);
		/* held up past the window: try the next period */
	} while (ret == -EAGAIN && ++tries < 4);
	if (ret)
		return ret == -EAGAIN ? -ETIMEDOUT : ret;

	/*
	 * Taken at the next wrap or the one after; a period too short for
	 * a write window may take MOD and CnV at two wraps.
	 */
	if (!in_window && hw->mod != cur->mod)
		return pwm_imx_tpm_wait_latched(tpm, ch, hw, left, period_ns +
						new_ns + tpm->sync_ns);

	return pwm_imx_tpm_wait_latched(tpm, ch, hw, left,
					max(period_ns, new_ns) + tpm->sync_ns);
}

/*
 * Switch a channel off. A channel that a bootloader left in another mode
 * (not counted as enabled) is switched off too.
 */
static int pwm_imx_tpm_disable(struct pwm_imx_tpm *tpm, unsigned int ch)
{
	u32 cnsc;
	int ret;

	if (!(tpm->enabled & BIT(ch))) {
		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CnSC(ch), &cnsc);
		if (ret || !(cnsc & PWM_IMX_TPM_CnSC_MODE))
			return ret;

		return regmap_write(tpm->regmap, PWM_IMX_TPM_CnSC(ch), 0);
	}

	ret = regmap_write(tpm->regmap, PWM_IMX_TPM_CnSC(ch), 0);
	if (ret)
		return ret;

	tpm->enabled &= ~BIT(ch);
	if (tpm->enabled)
		return 0;

	return pwm_imx_tpm_set_cmod(tpm, 0);
}

/*
 * Enable a channel or change an enabled one. The counter is shared by all
 * channels: its period can only change while no other channel is in use.
 */
static int pwm_imx_tpm_enable(struct pwm_imx_tpm *tpm, unsigned int ch,
			      const struct pwm_imx_tpm_wfhw *wfhw)
{
	unsigned long others = (READ_ONCE(tpm->requested) | tpm->enabled) &
			       ~BIT(ch);
	const struct imx_tpm_pwm_hw *hw = &wfhw->hw;
	bool enabled = tpm->enabled & BIT(ch);
	struct pwm_imx_tpm_wfhw cur;
	u32 cnsc;
	int ret;

	ret = pwm_imx_tpm_read(tpm, ch, &cur);
	if (ret)
		return ret;

	/* ELS takes effect at once, there is no glitch-free way */
	if (enabled && cur.inversed != wfhw->inversed)
		return -EBUSY;

	if (others && (cur.hw.ps != hw->ps || cur.hw.mod != hw->mod))
		return -EBUSY;

	cnsc = PWM_IMX_TPM_CnSC_MSB | (wfhw->inversed ?
					PWM_IMX_TPM_CnSC_ELS_INVERSED :
					PWM_IMX_TPM_CnSC_ELS_NORMAL);

	/* no channel drives its pin, so the counter is free */
	if (!tpm->enabled)
		return pwm_imx_tpm_start(tpm, ch, hw, cnsc);

	/* only this channel is in use */
	if (cur.hw.ps != hw->ps)
		return pwm_imx_tpm_restart(tpm, ch, &cur.hw, hw, cnsc);

	ret = pwm_imx_tpm_update(tpm, ch, &cur.hw, hw);
	if (ret || enabled)
		return ret;

	return regmap_write(tpm->regmap, PWM_IMX_TPM_CnSC(ch), cnsc);
}

static int pwm_imx_tpm_write_locked(struct pwm_imx_tpm *tpm, unsigned int ch,
				    const struct pwm_imx_tpm_wfhw *wfhw)
{
	int ret;

	if (wfhw->enabled)
		ret = pwm_imx_tpm_enable(tpm, ch, wfhw);
	else
		ret = pwm_imx_tpm_disable(tpm, ch);
	if (ret)
		return ret;

	if (wfhw->enabled)
		tpm->enabled |= BIT(ch);
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

/*
 * Keep the channels that the bootloader left running as PWMs as they are:
 * count them as enabled. Channels in another mode are left alone until
 * their first apply, which switches them (and the counter) to edge-aligned
 * PWM.
 */
static int pwm_imx_tpm_takeover(struct device *dev, struct pwm_imx_tpm *tpm,
				unsigned int npwm)
{
	unsigned int ch;
	u32 sc, cnsc;
	int ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_SC, &sc);
	if (ret)
		return dev_err_probe(dev, ret, "failed to read SC\n");

	for (ch = 0; ch < npwm; ch++) {
		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_CnSC(ch), &cnsc);
		if (ret)
			return dev_err_probe(dev, ret,
					     "failed to read channel %u\n", ch);

		if (!pwm_imx_tpm_is_pwm(sc, cnsc))
			continue;

		tpm->enabled |= BIT(ch);
		if ((cnsc & PWM_IMX_TPM_CnSC_ELS) ==
		    PWM_IMX_TPM_CnSC_ELS_INVERSED)
			tpm->inversed |= BIT(ch);
	}

	return 0;
}

static int pwm_imx_tpm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	unsigned int npwm, width;
	struct pwm_imx_tpm *tpm;
	struct pwm_chip *chip;
	struct regmap *regmap;
	unsigned long rate;
	struct clk *clk;
	u32 param;
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
	tpm->sync_ns = imx_tpm_cycles_to_ns(PWM_IMX_TPM_SYNC_CYCLES, rate);
	mutex_init(&tpm->lock);

	ret = pwm_imx_tpm_takeover(dev, tpm, npwm);
	if (ret)
		return ret;

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
	if (!ret)
		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_SC, &tpm->suspend_sc);
	if (!ret)
		ret = regmap_read(tpm->regmap, PWM_IMX_TPM_MOD, &tpm->suspend_mod);
	mutex_unlock(&tpm->lock);
	if (ret)
		return ret;

	clk_disable_unprepare(tpm->clk);

	ret = pinctrl_pm_select_sleep_state(dev);
	if (ret)
		clk_prepare_enable(tpm->clk);

	return ret;
}

/*
 * Put back the prescaler and the period that suspend may have reset: the
 * PWM core enables the channels that were in use again after resume, with
 * the period the other requested channels still share.
 */
static int pwm_imx_tpm_restore(struct pwm_imx_tpm *tpm)
{
	u32 sc;
	int ret;

	ret = regmap_read(tpm->regmap, PWM_IMX_TPM_SC, &sc);
	if (ret || (sc & PWM_IMX_TPM_SC_CMOD))
		return ret;

	ret = regmap_write(tpm->regmap, PWM_IMX_TPM_MOD, tpm->suspend_mod);
	if (ret)
		return ret;

	return regmap_write(tpm->regmap, PWM_IMX_TPM_SC,
			    tpm->suspend_sc & PWM_IMX_TPM_SC_PS);
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
		goto err_pinctrl;

	mutex_lock(&tpm->lock);
	ret = pwm_imx_tpm_restore(tpm);
	mutex_unlock(&tpm->lock);
	if (!ret)
		return 0;

	clk_disable_unprepare(tpm->clk);
err_pinctrl:
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
