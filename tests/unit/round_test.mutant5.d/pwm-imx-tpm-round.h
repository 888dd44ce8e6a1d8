/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Conversion between nanoseconds and NXP TPM counter settings.
 *
 * The counter runs at rate / 2^ps (ps = SC.PS, 0..7); a period is MOD + 1
 * counter ticks and the duty is CnV ticks, CnV > MOD meaning 100 %.
 *
 * Nanoseconds are converted to ticks rounding down and ticks to nanoseconds
 * rounding up, so that applying a state that was read back yields the same
 * register values again (this holds for rates up to 1 GHz).
 *
 * Only integer types and the 64-bit division helpers are used, so that the
 * same code can be tested in userspace.
 */
#ifndef _PWM_IMX_TPM_ROUND_H
#define _PWM_IMX_TPM_ROUND_H

#include <linux/math64.h>
#include <linux/types.h>

#define IMX_TPM_PS_MAX		7
#define IMX_TPM_NS_PER_S	1000000000U
#define IMX_TPM_RATE_MAX	IMX_TPM_NS_PER_S
#define IMX_TPM_WIDTH_MAX	32

/**
 * struct imx_tpm_pwm_hw - register view of one channel's waveform
 * @ps: prescaler, the counter counts every 2^ps clock cycles (SC.PS)
 * @mod: period length in counter ticks minus one (MOD)
 * @cnv: duty length in counter ticks, 100 % if above @mod (CnV)
 */
struct imx_tpm_pwm_hw {
	u32 ps;
	u32 mod;
	u32 cnv;
};

/* floor(ns * rate / 10^9), saturated at @limit */
static inline u64 imx_tpm_ns_to_cycles(u64 ns, u32 rate, u64 limit)
{
	u32 rem;
	u64 sec = div_u64_rem(ns, IMX_TPM_NS_PER_S, &rem);
	u64 cycles;

	/* sec * rate would exceed @limit (and might overflow) */
	if (sec > div_u64(limit, rate))
		return limit;

	cycles = sec * rate + div_u64((u64)rem * rate, IMX_TPM_NS_PER_S);

	return cycles < limit ? cycles : limit;
}

/* ceil(cycles * 10^9 / rate), saturated at U64_MAX */
static inline u64 imx_tpm_cycles_to_ns(u64 cycles, u32 rate)
{
	u32 rem;
	u64 sec = div_u64_rem(cycles, rate, &rem);
	u64 frac = div_u64((u64)rem * IMX_TPM_NS_PER_S + rate - 1, rate);


	return sec * IMX_TPM_NS_PER_S + frac;
}

/**
 * imx_tpm_round_period() - choose prescaler and MOD for a period
 * @period_ns: requested period
 * @rate: counter clock rate in Hz, 1 .. IMX_TPM_RATE_MAX
 * @width: counter width in bits, 1 .. IMX_TPM_WIDTH_MAX
 * @hw: receives ps and mod, cnv is left alone
 *
 * Picks the longest period not above @period_ns, using the smallest
 * prescaler that can express it in fewer than 2^width ticks (finest duty
 * resolution with 100 % still possible). A request above the longest
 * possible period yields the longest period, 2^width ticks at the largest
 * prescaler.
 *
 * Return: 0, or 1 if @period_ns is shorter than one clock cycle; @hw then
 * holds the shortest possible period (one tick).
 */
static inline int imx_tpm_round_period(u64 period_ns, u32 rate,
				       unsigned int width,
				       struct imx_tpm_pwm_hw *hw)
{
	u64 ticks_max = 1ULL << width;
	u64 cycles = imx_tpm_ns_to_cycles(period_ns, rate,
					  ticks_max << IMX_TPM_PS_MAX);
	u32 ps = 0;

	if (!cycles) {
		hw->ps = 0;
		hw->mod = 0;
		return 1;
	}

	/*
	 * A full counter (2^width ticks) leaves no CnV value for 100 %, so
	 * it is used only at the largest prescaler; below that the same
	 * period is half the counter at the next prescaler. This also keeps
	 * the choice unique, so that re-applying a read-back period gives
	 * the same registers.
	 */
	while ((cycles >> ps) >= ticks_max && ps < IMX_TPM_PS_MAX)
		ps++;

	hw->ps = ps;
	hw->mod = (u32)((cycles >> ps) - 1);

	return 0;
}

/**
 * imx_tpm_round_duty() - choose CnV for a duty length
 * @duty_ns: requested duty length
 * @rate: counter clock rate in Hz
 * @width: counter width in bits
 * @hw: ps and mod as chosen by imx_tpm_round_period(); receives cnv
 *
 * Picks the longest duty not above @duty_ns and not above the period. A
 * full period is CnV = MOD + 1, which the register cannot hold when the
 * period is 2^width ticks (only the longest period): there MOD ticks is
 * the longest duty.
 */
static inline void imx_tpm_round_duty(u64 duty_ns, u32 rate,
				      unsigned int width,
				      struct imx_tpm_pwm_hw *hw)
{
	u64 ticks = (u64)hw->mod + 1;
	u64 duty = imx_tpm_ns_to_cycles(duty_ns, rate, ticks << hw->ps) >> hw->ps;

	if (duty == 1ULL << width)
		duty--;

	hw->cnv = (u32)duty;
}

/* The period that @hw produces, in nanoseconds rounded up */
static inline u64 imx_tpm_period_ns(const struct imx_tpm_pwm_hw *hw, u32 rate)
{
	return imx_tpm_cycles_to_ns(((u64)hw->mod + 1) << hw->ps, rate);
}

/* The duty length that @hw produces, in nanoseconds rounded up */
static inline u64 imx_tpm_duty_ns(const struct imx_tpm_pwm_hw *hw, u32 rate)
{
	u64 ticks = hw->cnv > hw->mod ? (u64)hw->mod + 1 : hw->cnv;

	return imx_tpm_cycles_to_ns(ticks << hw->ps, rate);
}

/**
 * imx_tpm_round_waveform() - hardware setting for a waveform
 * @period_ns: period
 * @duty_ns: length of the active (high) phase
 * @offset_ns: start of the active phase in the period
 * @rate: counter clock rate in Hz
 * @width: counter width in bits
 * @hw: receives ps, mod and cnv
 * @inversed: in: the channel's polarity; out: the polarity to program
 *
 * The hardware makes two shapes: high from the period start for CnV ticks
 * (normal polarity, ELS high-true), or low from the period start for CnV
 * ticks and high for the rest (inversed, low-true). A waveform whose
 * active phase reaches the end of the period (@offset_ns > 0 and
 * @offset_ns + @duty_ns >= @period_ns) takes the second shape, with the
 * low phase, the offset, rounded down as the duty cycle of an inversed
 * state is: a state has the same output whichever API applies it. Any
 * other waveform takes the first shape, the duty rounded down and the
 * offset to 0.
 *
 * 0 % and 100 % are constant outputs that both polarities express: they
 * are expressed in @*inversed, so that changing the duty of an enabled
 * channel never needs a polarity change. Where the register cannot hold
 * CnV = MOD + 1 (the longest period), the best in that polarity is one
 * tick short of it.
 *
 * Return: as imx_tpm_round_period()
 */
static inline int imx_tpm_round_waveform(u64 period_ns, u64 duty_ns,
					 u64 offset_ns, u32 rate,
					 unsigned int width,
					 struct imx_tpm_pwm_hw *hw,
					 bool *inversed)
{
	bool keep = *inversed;
	u64 ticks, full, t;
	bool high, low;
	int ret;

	ret = imx_tpm_round_period(period_ns, rate, width, hw);
	ticks = (u64)hw->mod + 1;
	/* CnV above MOD: high-true always high, low-true always low */
	full = ticks < 1ULL << width ? ticks : ticks - 1;

	*inversed = offset_ns && (offset_ns >= period_ns ||
				  duty_ns >= period_ns - offset_ns);
	imx_tpm_round_duty(*inversed ? offset_ns : duty_ns, rate, width, hw);

	/* the first phase in whole ticks, before CnV's limit */
	t = imx_tpm_ns_to_cycles(*inversed ? offset_ns : duty_ns, rate,
				 ticks << hw->ps) >> hw->ps;
	high = *inversed ? !t : t == ticks;
	low = *inversed ? t == ticks : !t;
	if (high)
		hw->cnv = keep ? 0 : (u32)full;
	else if (low)
		hw->cnv = keep ? (u32)full : 0;
	if (high || low)
		*inversed = keep;

	return ret;
}

/**
 * imx_tpm_waveform_ns() - the waveform that a hardware setting produces
 * @hw: ps, mod and cnv
 * @inversed: the polarity
 * @rate: counter clock rate in Hz
 * @period_ns: receives the period
 * @duty_ns: receives the length of the high phase
 * @offset_ns: receives its start in the period
 *
 * In nanoseconds rounded up; imx_tpm_round_waveform() gives @hw and
 * @inversed back for them. A constant output has offset 0.
 */
static inline void imx_tpm_waveform_ns(const struct imx_tpm_pwm_hw *hw,
				       bool inversed, u32 rate,
				       u64 *period_ns, u64 *duty_ns,
				       u64 *offset_ns)
{
	struct imx_tpm_pwm_hw high = *hw;

	*period_ns = imx_tpm_period_ns(hw, rate);
	*offset_ns = 0;
	if (!inversed) {
		*duty_ns = imx_tpm_duty_ns(hw, rate);
	} else if (!hw->cnv) {
		*duty_ns = *period_ns;
	} else if (hw->cnv > hw->mod) {
		*duty_ns = 0;
	} else {
		high.cnv = hw->mod + 1 - hw->cnv;
		*duty_ns = imx_tpm_duty_ns(&high, rate);
		*offset_ns = imx_tpm_duty_ns(hw, rate);
	}
}

#endif /* _PWM_IMX_TPM_ROUND_H */
