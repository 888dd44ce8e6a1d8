// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test of the TPM rounding core, src/pwm-imx-tpm-round.h.
 *
 * Every request (a period and a duty in ns, for one clock rate and counter
 * width) is rounded by the core and compared with an independent oracle that
 * works in exact 128-bit arithmetic: a time of t ns at f Hz is t * f in units
 * of 1e-9 clock cycles, so "k ticks at prescaler ps fit into t ns" is simply
 * k * 2^ps * 1e9 <= t * f, with no rounding anywhere.
 *
 * Usage: round_test [--mutate N]
 *   --mutate 1  wrap the core so that it rounds the duty up by one tick
 *   --mutate 2  wrap the core so that it picks the next larger prescaler
 *   --mutate 3  make the inversed waveform shape one tick later (its high
 *               time rounded down instead of its offset)
 * A mutated run must report failures; the Makefile checks that it does.
 * The Makefile also builds the test against copies of the header with an
 * error put in by sed (mutants 4 to 6, see there): those are caught by the
 * slow rates and the read-back of arbitrary register states.
 *
 * The final line is "unit: N passed, M failed", counting test points: one
 * per rate, width and class of case (rounded requests, waveforms, register
 * states read back) and the oracle's self-check, each failed if any of its
 * checks failed. The line before it counts the individual checks (one
 * request gives up to 11). The exit status is 1 if any check failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pwm-imx-tpm-round.h"

typedef unsigned __int128 u128;

#define NSEC		1000000000ULL
#define PS_COUNT	8
#define U64_MAX_	(~0ULL)
#define INT64_MAX_	(U64_MAX_ >> 1)
#define MAX_SHOWN	20

/* random periods per (rate, width); each is tried with DUTIES duties */
#define RANDOM_PERIODS	50000
/* oracle self-check by literal enumeration, periods per rate (width 16) */
#define BRUTE_PERIODS	64
/* waveforms per rate and width */
#define WAVEFORMS	20000
/* register states read back per rate and width */
#define STATES		20000

/*
 * Rates: the i.MX7ULP's 32768 Hz and 24 MHz clocks and more, and slow ones
 * where a period or duty in ns no longer fits in 64 bits (1 and 29 Hz at
 * width 32: 2^39 cycles are 5.5e20 and 1.9e19 ns; read back saturates)
 */
static const u32 rates[] = {
	1, 29, 1000, 32767, 32768, 24000000, 48000000, 1000000000,
};
static const unsigned int widths[] = { 16, 32 };

static int mutate;

static unsigned long long checks_passed, checks_failed;
/*
 * Test points, what the final line counts: one per rate, width and class
 * of case (requests, waveforms, register states), the oracle's
 * self-check, and one per on-device search compared with the oracle
 * (--search); each passes if none of its checks failed.
 */
static unsigned int points_passed, points_failed;

static void point(unsigned long long failed_before)
{
	if (checks_failed == failed_before)
		points_passed++;
	else
		points_failed++;
}
static unsigned long long requests, requests_failed;
static unsigned int shown;

/* ------------------------------------------------------------------ */
/* Deterministic PRNG (splitmix64) */

static u64 rng_state = 0x1d2c3b4a59687706ULL;

static u64 rnd(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform-ish in 0 .. n - 1, n > 0 (the modulo bias does not matter here) */
static u64 rnd_below(u64 n)
{
	return rnd() % n;
}

/* random value of at most @bits bits, 0 .. 64 */
static u64 rnd_bits(unsigned int bits)
{
	return bits ? rnd() >> (64 - bits) : 0;
}

/* random value whose bit length is uniform in 0 .. @bits */
static u64 rnd_log(unsigned int bits)
{
	return rnd_bits((unsigned int)rnd_below(bits + 1));
}

static unsigned int bit_length(u64 v)
{
	return v ? 64 - (unsigned int)__builtin_clzll(v) : 0;
}

/* ------------------------------------------------------------------ */
/* The oracle */

struct expect {
	int ret;	/* 1: request shorter than one clock cycle */
	u32 ps;		/* prescaler */
	u64 n;		/* period in counter ticks (MOD + 1) */
	u64 c;		/* duty in counter ticks = CnV; c == n is 100 % */
	u64 period_ns;	/* what reading back reports, rounded up */
	u64 duty_ns;
};

static void oracle_bug(const char *what, u64 ns, u32 rate)
{
	printf("oracle bug (%s) at %llu ns, %u Hz\n", what, ns, rate);
	exit(2);
}

/* one counter tick at prescaler @ps, in units of 1e-9 clock cycles */
static u128 tick_len(unsigned int ps)
{
	return (u128)NSEC << ps;
}

/* ceil(@len / @rate): a length in 1e-9 cycles to ns, saturated at U64_MAX */
static u64 len_to_ns_up(u128 len, u32 rate)
{
	u128 ns = (len + rate - 1) / rate;

	return ns > U64_MAX_ ? U64_MAX_ : (u64)ns;
}

/*
 * For each prescaler, the largest tick count n that fits into the request:
 * n * 2^ps * 1e9 <= period_ns * rate, taken by division and then verified
 * on n and n + 1. The result is the longest of these periods.
 *
 * n is at most 2^W - 1 below the largest prescaler and 2^W at it: a full
 * counter leaves no CnV value for 100 % duty, and the same period is
 * 2^(W-1) ticks at the next prescaler. Among equally long periods the
 * smaller prescaler wins (finer duty steps). This makes the choice unique,
 * so re-applying a read-back period must give the same registers.
 *
 * A request below one clock cycle gives ret = 1 and one tick at ps 0.
 */
static void oracle_period(u64 period_ns, u32 rate, unsigned int width,
			  struct expect *e)
{
	u128 req = (u128)period_ns * rate;
	u128 top = (u128)1 << width;
	u128 best = 0;
	unsigned int ps;

	e->ret = 1;
	e->ps = 0;
	e->n = 1;

	for (ps = 0; ps < PS_COUNT; ps++) {
		u128 tick = tick_len(ps);
		u128 cap = ps == PS_COUNT - 1 ? top : top - 1;
		u128 n = req / tick;

		if (n > cap)
			n = cap;
		if (n * tick > req || (n < cap && (n + 1) * tick <= req))
			oracle_bug("period ticks", period_ns, rate);
		if (!n)
			continue;
		/* strictly longer only: on a tie keep the smaller ps */
		if ((n << ps) > best) {
			best = n << ps;
			e->ret = 0;
			e->ps = ps;
			e->n = (u64)n;
		}
	}

	e->period_ns = len_to_ns_up(e->n * tick_len(e->ps), rate);
}

/*
 * The largest duty c * 2^ps * 1e9 <= duty_ns * rate, c at most n (100 %),
 * and at most 2^W - 1 as CnV cannot exceed MOD when n is 2^W.
 */
static void oracle_duty(u64 duty_ns, u32 rate, unsigned int width,
			struct expect *e)
{
	u128 req = (u128)duty_ns * rate;
	u128 tick = tick_len(e->ps);
	u128 cap = e->n == 1ULL << width ? e->n - 1 : e->n;
	u128 c = req / tick;

	if (c > cap)
		c = cap;
	if (c * tick > req || (c < cap && (c + 1) * tick <= req))
		oracle_bug("duty ticks", duty_ns, rate);

	e->c = (u64)c;
	e->duty_ns = len_to_ns_up(c * tick, rate);
}

/*
 * Literal enumeration of every prescaler, tick count and duty count, used
 * to check the oracle itself on small widths.
 */
static void brute_force(u64 period_ns, u64 duty_ns, u32 rate,
			unsigned int width, struct expect *e)
{
	u128 preq = (u128)period_ns * rate;
	u128 dreq = (u128)duty_ns * rate;
	u64 top = 1ULL << width;
	u64 best = 0, n, c, cap;
	unsigned int ps;

	e->ret = 1;
	e->ps = 0;
	e->n = 1;
	e->c = 0;

	for (ps = 0; ps < PS_COUNT; ps++) {
		/* a full counter only at the largest prescaler, see above */
		u64 nmax = ps == PS_COUNT - 1 ? top : top - 1;

		for (n = 1; n <= nmax; n++) {
			if (n * tick_len(ps) > preq)
				break;
			if (n << ps > best) {
				best = n << ps;
				e->ret = 0;
				e->ps = ps;
				e->n = n;
			}
		}
	}
	if (e->ret)
		return;

	cap = e->n == top ? top - 1 : e->n;
	for (c = 0; c <= cap; c++) {
		if (c * tick_len(e->ps) > dreq)
			break;
		e->c = c;
	}
}

/* ------------------------------------------------------------------ */
/* The core under test, optionally broken on purpose */

static int core_period(u64 period_ns, u32 rate, unsigned int width,
		       struct imx_tpm_pwm_hw *hw)
{
	int ret = imx_tpm_round_period(period_ns, rate, width, hw);

	if (mutate == 2 && !ret && hw->ps < IMX_TPM_PS_MAX) {
		hw->ps++;
		hw->mod >>= 1;
	}
	return ret;
}

static void core_duty(u64 duty_ns, u32 rate, unsigned int width,
		      struct imx_tpm_pwm_hw *hw)
{
	imx_tpm_round_duty(duty_ns, rate, width, hw);

	if (mutate == 1 && hw->cnv <= hw->mod)
		hw->cnv++;
}

/* ------------------------------------------------------------------ */
/* One request */

struct tcase {
	u32 rate;
	unsigned int width;
	u64 period_ns;
	u64 duty_ns;
	int ret;
	struct imx_tpm_pwm_hw hw;	/* rounded by the core */
	u64 rb_period, rb_duty;		/* read back by the core */
	int ret2;
	struct imx_tpm_pwm_hw hw2;	/* the read-back state re-rounded */
	struct expect e;
	int failed;			/* checks failed */
	const char *what[16];		/* their names */
};

struct stats {
	unsigned long long requests, passed, failed;
};

static struct stats cfg_stats;

/* a request with failed checks: its inputs, what the core did, the oracle */
static void show_failure(const struct tcase *t)
{
	int i;

	if (++shown > MAX_SHOWN) {
		if (shown == MAX_SHOWN + 1)
			printf("(further failures not shown)\n");
		return;
	}
	printf("FAIL rate %u Hz, width %u, period_ns %llu, duty_ns %llu:",
	       t->rate, t->width, t->period_ns, t->duty_ns);
	for (i = 0; i < t->failed; i++)
		printf("%s %s", i ? "," : "", t->what[i]);
	printf("\n");
	printf("  got:  ret %d ps %u mod %u cnv %u, read back %llu/%llu\n",
	       t->ret, t->hw.ps, t->hw.mod, t->hw.cnv, t->rb_period,
	       t->rb_duty);
	printf("        read back re-applied: ret %d ps %u mod %u cnv %u\n",
	       t->ret2, t->hw2.ps, t->hw2.mod, t->hw2.cnv);
	printf("  want: ret %d ps %u mod %llu cnv %llu, read back %llu/%llu\n",
	       t->e.ret, t->e.ps, t->e.n - 1, t->e.c, t->e.period_ns,
	       t->e.duty_ns);
}

static void check(struct tcase *t, int ok, const char *what)
{
	if (ok) {
		checks_passed++;
		cfg_stats.passed++;
		return;
	}
	checks_failed++;
	cfg_stats.failed++;
	if (t->failed < (int)(sizeof(t->what) / sizeof(t->what[0])))
		t->what[t->failed++] = what;
}

/* ticks * 2^ps * 1e9 <= ns * rate: @ticks at @ps fit into @ns */
static int fits(u64 ticks, unsigned int ps, u64 ns, u32 rate)
{
	return (u128)ticks * tick_len(ps) <= (u128)ns * rate;
}

static void run_request(u32 rate, unsigned int width, u64 period_ns,
			u64 duty_ns)
{
	struct tcase t;
	u64 top = 1ULL << width;
	u64 ticks;

	memset(&t, 0, sizeof(t));
	t.rate = rate;
	t.width = width;
	t.period_ns = period_ns;
	t.duty_ns = duty_ns;
	requests++;
	cfg_stats.requests++;

	oracle_period(period_ns, rate, width, &t.e);
	t.ret = core_period(period_ns, rate, width, &t.hw);
	check(&t, t.ret == t.e.ret, "return value");
	if (t.e.ret) {
		check(&t, t.hw.ps == 0 && t.hw.mod == 0,
		      "too short: one tick at ps 0");
		goto out;
	}
	check(&t, t.hw.ps == t.e.ps && t.hw.mod == t.e.n - 1,
	      "period: prescaler and MOD");
	check(&t, fits((u64)t.hw.mod + 1, t.hw.ps, period_ns, rate),
	      "period: not above the request");
	/* at or above the longest period: clamp, no error */
	if (fits(top, IMX_TPM_PS_MAX, period_ns, rate))
		check(&t, t.hw.ps == IMX_TPM_PS_MAX && t.hw.mod == top - 1,
		      "period: clamped to the maximum");

	oracle_duty(duty_ns, rate, width, &t.e);
	core_duty(duty_ns, rate, width, &t.hw);
	check(&t, t.hw.cnv == t.e.c, "duty: CnV");
	ticks = t.hw.cnv > t.hw.mod ? (u64)t.hw.mod + 1 : t.hw.cnv;
	check(&t, fits(ticks, t.hw.ps, duty_ns, rate) &&
	      ticks <= (u64)t.hw.mod + 1,
	      "duty: not above the request nor the period");

	t.rb_period = imx_tpm_period_ns(&t.hw, rate);
	t.rb_duty = imx_tpm_duty_ns(&t.hw, rate);
	check(&t, t.rb_period == t.e.period_ns, "read-back period");
	check(&t, t.rb_duty == t.e.duty_ns, "read-back duty");
	check(&t, t.rb_period <= period_ns && t.rb_duty <= duty_ns &&
	      t.rb_duty <= t.rb_period,
	      "read-back not above the request nor the period");

	/* applying what was read back must give the same registers */
	t.ret2 = core_period(t.rb_period, rate, width, &t.hw2);
	check(&t, !t.ret2 && t.hw2.ps == t.hw.ps && t.hw2.mod == t.hw.mod,
	      "re-applied period");
	core_duty(t.rb_duty, rate, width, &t.hw2);
	check(&t, t.hw2.cnv == t.hw.cnv, "re-applied duty");
out:
	if (t.failed) {
		requests_failed++;
		show_failure(&t);
	}
}

/* ------------------------------------------------------------------ */
/* Request generators */

/* ceil(cycles * 1e9 / rate): the shortest request worth @cycles cycles */
static u64 cycles_to_ns_up(u64 cycles, u32 rate)
{
	return len_to_ns_up((u128)cycles * NSEC, rate);
}

/* a period with a spread of duties: edges, random, exact tick multiples */
static void run_period(u32 rate, unsigned int width, u64 p)
{
	struct expect e;
	u64 d[16];
	unsigned int i = 0, k;

	oracle_period(p, rate, width, &e);

	d[i++] = 0;
	d[i++] = 1;
	d[i++] = p - 1;			/* wraps for p = 0: fine */
	d[i++] = p;
	d[i++] = p + 1;			/* wraps for p = U64_MAX: fine */
	d[i++] = U64_MAX_;
	d[i++] = U64_MAX_ - 1;
	d[i++] = 1ULL << 63;
	d[i++] = p == U64_MAX_ ? rnd() : rnd_below(p + 1);
	d[i++] = rnd_log(bit_length(p));
	d[i++] = rnd();
	/* a random tick count at the chosen prescaler, and around it */
	k = 0;
	if (!e.ret) {
		u64 ns = len_to_ns_up(rnd_below(e.n + 1) * tick_len(e.ps),
				      rate);

		d[i++] = ns - 1;
		d[i++] = ns;
		d[i++] = ns + 1;
		/* exactly the period that will be read back, and around it */
		ns = e.period_ns;
		d[i++] = ns - 1;
		d[i++] = ns;
		k = 1;
	}
	if (!k) {
		/* keep the count per period constant */
		while (i < 16)
			d[i++] = rnd();
	}

	for (k = 0; k < i; k++)
		run_request(rate, width, p, d[k]);
}

/*
 * Prescaler boundaries: the cycle counts where the prescaler or the tick
 * count changes, each as the shortest request that reaches it (ns) and its
 * neighbours ns - 2 .. ns + 2.
 */
static void run_boundaries(u32 rate, unsigned int width)
{
	u64 top = 1ULL << width;
	unsigned int ps, i;
	int delta;

	for (ps = 0; ps < PS_COUNT; ps++) {
		u64 c[] = {
			(top << ps) - 1, top << ps, (top << ps) + 1,
			((top + 1) << ps) - 1, (top + 1) << ps,
			((top + 1) << ps) + 1,
			((top + 2) << ps) - 1, (top + 2) << ps,
			((top / 2) << ps) - 1, (top / 2) << ps,
			((top / 2) << ps) + 1,
			(1ULL << ps) - 1, 1ULL << ps, (1ULL << ps) + 1,
		};

		for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			u64 ns = cycles_to_ns_up(c[i], rate);

			for (delta = -2; delta <= 2; delta++) {
				if (delta < 0 && ns < (u64)-delta)
					continue;
				run_period(rate, width, ns + (u64)delta);
			}
		}
	}
}

/* both ends of the range, u64 extremes, multiples of a second */
static void run_ends(u32 rate, unsigned int width)
{
	static const u64 secs[] = {
		1, 2, 3, 4, 7, 10, 60, 100, 1000, 1000000, 1000000000ULL,
		U64_MAX_ / NSEC,
	};
	u64 tick = cycles_to_ns_up(1, rate);
	u64 max = cycles_to_ns_up((1ULL << width) << IMX_TPM_PS_MAX, rate);
	u64 sec0 = ((1ULL << width) << IMX_TPM_PS_MAX) / rate;
	u64 p[64];
	unsigned int i = 0, k;

	p[i++] = 0;
	p[i++] = 1;
	p[i++] = 2;
	p[i++] = tick - 1;
	p[i++] = tick;
	p[i++] = tick + 1;
	p[i++] = 2 * tick;
	p[i++] = max - 1;
	p[i++] = max;
	p[i++] = max + 1;
	p[i++] = 2 * max;
	p[i++] = U64_MAX_;
	p[i++] = U64_MAX_ - 1;
	p[i++] = 1ULL << 63;
	p[i++] = (1ULL << 63) - 1;
	p[i++] = (1ULL << 63) + 1;
	p[i++] = 1ULL << 62;
	p[i++] = (1ULL << 32) - 1;
	p[i++] = 1ULL << 32;
	p[i++] = (1ULL << 32) + 1;
	/* whole seconds around where seconds * rate reaches the limit */
	p[i++] = sec0 * NSEC;
	p[i++] = sec0 * NSEC + 1;
	p[i++] = sec0 * NSEC + NSEC - 1;
	p[i++] = (sec0 + 1) * NSEC;
	for (k = 0; k < sizeof(secs) / sizeof(secs[0]); k++) {
		p[i++] = secs[k] * NSEC - 1;
		p[i++] = secs[k] * NSEC;
		p[i++] = secs[k] * NSEC + 1;
	}

	for (k = 0; k < i; k++)
		run_period(rate, width, p[k]);
}

static u64 random_period(u32 rate, unsigned int width)
{
	u64 max = cycles_to_ns_up((1ULL << width) << IMX_TPM_PS_MAX, rate);
	unsigned int bits = bit_length(max) + 2;
	unsigned int ps;
	u64 n;

	switch (rnd() & 7) {
	case 0:
		return rnd();
	case 1:
		/* near a multiple of a second */
		return rnd_below(U64_MAX_ / NSEC + 1) * NSEC + rnd_below(5) - 2;
	case 2:
		/* near an exactly achievable period */
		ps = (unsigned int)rnd_below(PS_COUNT);
		n = 1 + rnd_log(width);
		if (n > 1ULL << width)
			n = 1ULL << width;
		return cycles_to_ns_up(n << ps, rate) + rnd_below(3) - 1;
	default:
		return rnd_log(bits > 64 ? 64 : bits);
	}
}

static void run_config(u32 rate, unsigned int width)
{
	unsigned int i;

	unsigned long long before = checks_failed;

	memset(&cfg_stats, 0, sizeof(cfg_stats));

	run_boundaries(rate, width);
	run_ends(rate, width);
	for (i = 0; i < RANDOM_PERIODS; i++)
		run_period(rate, width, random_period(rate, width));

	printf("%10u Hz, width %2u: %7llu requests, %8llu checks passed, %llu failed\n",
	       rate, width, cfg_stats.requests, cfg_stats.passed,
	       cfg_stats.failed);
	point(before);
}

/* the oracle against literal enumeration (width 16 keeps this quick) */
static void run_brute_force(void)
{
	unsigned long long before = checks_failed, n = 0;
	unsigned int r, i;

	for (r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
		u32 rate = rates[r];

		for (i = 0; i < BRUTE_PERIODS; i++) {
			struct tcase t;
			struct expect b;
			u64 p, d;

			/* prescaler boundaries first, then random */
			if (i < PS_COUNT)
				p = cycles_to_ns_up((65536ULL << i) + 1, rate);
			else
				p = random_period(rate, 16);
			d = rnd_below(4) ? rnd_below(p / 2 + 2) * 2 : p;

			memset(&t, 0, sizeof(t));
			t.rate = rate;
			t.width = 16;
			t.period_ns = p;
			t.duty_ns = d;
			oracle_period(p, rate, 16, &t.e);
			if (!t.e.ret)
				oracle_duty(d, rate, 16, &t.e);
			else
				t.e.c = 0;
			brute_force(p, d, rate, 16, &b);
			check(&t, b.ret == t.e.ret && b.ps == t.e.ps &&
			      b.n == t.e.n && b.c == t.e.c,
			      "oracle vs. literal enumeration");
			if (t.failed) {
				printf("enumeration: ret %d ps %u n %llu c %llu\n",
				       b.ret, b.ps, b.n, b.c);
				show_failure(&t);
			}
			n++;
		}
	}
	printf("oracle self-check by enumeration: %llu requests, %llu failed\n",
	       n, checks_failed - before);
	point(before);
}

/* ------------------------------------------------------------------ */
/*
 * Waveforms: imx_tpm_round_waveform() and imx_tpm_waveform_ns(). The
 * expectation is stated on the pin, from the oracle's period and duty
 * ticks above: the output is high for len ticks from tick start in a period
 * of n ticks, constant outputs written (0, 0) and (0, n).
 */

struct pin {
	u64 start, len;
};

static struct pin pin_of(u64 n, u64 cnv, int inversed)
{
	struct pin p = { 0, 0 };
	u64 c = cnv > n ? n : cnv;

	if (!inversed) {
		p.len = c;
	} else if (c == 0) {
		p.len = n;
	} else if (c < n) {
		p.start = c;
		p.len = n - c;
	}
	return p;
}

/* the smallest ns that is at least @ticks at @ps: ceil(ticks * 2^ps * 1e9 / rate) */
static u64 ticks_ns(u64 ticks, unsigned int ps, u32 rate)
{
	return len_to_ns_up((u128)ticks * tick_len(ps), rate);
}

struct wf_stats {
	unsigned long long requests, states, inversed, over, over_forced, over_max;
};

static struct wf_stats wfs;

static int wf_fail(u32 rate, unsigned int width, u64 p, u64 d, u64 o,
		   int keep, const char *what)
{
	checks_failed++;
	if (++shown <= MAX_SHOWN)
		printf("FAIL waveform %llu/%llu [+%llu] at %u Hz, width %u, channel %s: %s\n",
		       d, p, o, rate, width, keep ? "inversed" : "normal", what);
	return 0;
}

#define WF_CHECK(cond, what) \
	((cond) ? (checks_passed++, 1) : wf_fail(rate, width, p, d, o, keep, what))

/*
 * One waveform request on a channel whose polarity is @keep. @state_pol >= 0:
 * the request is the waveform the core makes of a state of that polarity
 * with duty cycle @sd; its output must then be what .apply makes of it.
 */
static void run_waveform(u32 rate, unsigned int width, u64 p, u64 d, u64 o,
			 int keep, int state_pol, u64 sd)
{
	struct imx_tpm_pwm_hw hw = { 0 }, hw2 = { 0 };
	struct expect e;
	bool inv = keep, inv2;
	int ret, shape_inv, hi, lo;
	u128 tq;
	u64 n, top = 1ULL << width, rp, rd, ro;
	struct pin got, want;

	wfs.requests++;
	ret = imx_tpm_round_waveform(p, d, o, rate, width, &hw, &inv);
	/* mutant 3: the high time of the inversed shape rounded down */
	if (mutate == 3 && inv && hw.cnv && hw.cnv < hw.mod)
		hw.cnv++;
	memset(&e, 0, sizeof(e));
	oracle_period(p, rate, width, &e);
	if (!WF_CHECK(ret == e.ret && hw.ps == e.ps && (u64)hw.mod + 1 == e.n,
		      "period as imx_tpm_round_period()") || e.ret)
		return;
	n = e.n;

	/* the shape: the active phase reaching the period end is low-true */
	shape_inv = o && (o >= p || d >= p - o);
	oracle_duty(shape_inv ? o : d, rate, width, &e);
	/* its first phase in ticks, not limited by CnV: = n is all of it */
	tq = (u128)(shape_inv ? o : d) * rate / tick_len(e.ps);
	if (tq > n)
		tq = n;
	hi = shape_inv ? tq == 0 : tq == n;
	lo = shape_inv ? tq == n : tq == 0;
	want = pin_of(n, e.c, shape_inv);
	/* constant outputs in the channel's polarity, as far as it can */
	if (hi) {
		want.start = 0;
		want.len = !keep && n == top ? n - 1 : n;
	} else if (lo) {
		want.start = keep && n == top ? n - 1 : 0;
		want.len = keep && n == top ? 1 : 0;
	}
	got = pin_of(n, hw.cnv, inv);
	WF_CHECK(got.start == want.start && got.len == want.len,
		 "pin output (start and length of the high phase)");
	if (hi || lo)
		WF_CHECK(inv == keep, "0 % and 100 % keep the channel's polarity");
	else
		WF_CHECK(inv == shape_inv, "polarity from the shape");
	WF_CHECK(hw.cnv <= n && (hw.cnv < top), "CnV fits the register");

	/* read back and applied again: the same registers */
	imx_tpm_waveform_ns(&hw, inv, rate, &rp, &rd, &ro);
	WF_CHECK(rp == ticks_ns(n, hw.ps, rate) && rd == ticks_ns(got.len, hw.ps, rate) &&
		 ro == (got.len == n || got.len == 0 ? 0 : ticks_ns(got.start, hw.ps, rate)),
		 "read-back is the pin output in ns, rounded up");
	inv2 = inv;
	imx_tpm_round_waveform(rp, rd, ro, rate, width, &hw2, &inv2);
	WF_CHECK(hw2.ps == hw.ps && hw2.mod == hw.mod && hw2.cnv == hw.cnv &&
		 inv2 == inv, "read-back applied again gives the same registers");

	/*
	 * Rounded down where any setting can be: a result above the request
	 * is allowed only if every setting of this shape is (the inversed
	 * shape cannot round both the offset and the high time down when
	 * the period has no slack; drivers/pwm/core.c says so for inversed
	 * states).
	 */
	if (rp > p || rd > d || ro > o) {
		/*
		 * An inversed setting low for c ticks is at or below the
		 * request iff c ticks fit into the offset and n - c ticks into
		 * the duty (ns rounded up stay below an integer bound iff the
		 * exact value does).
		 */
		u128 tick = tick_len(hw.ps);
		u128 cmax = (u128)o * rate / tick;
		u128 hmax = (u128)d * rate / tick;
		u128 cmin = hmax >= n ? 1 : n - hmax;

		if (cmin < 1)
			cmin = 1;
		if (cmax > n - 1)
			cmax = n - 1;
		wfs.over++;
		/*
		 * Or 0 % on an inversed channel at the longest period: low-true
		 * cannot be always low there (CnV cannot exceed MOD), and one
		 * tick high keeps the polarity, as .apply does for that state.
		 */
		if (want.len == 1 && keep && n == top && rd == ticks_ns(1, hw.ps, rate)) {
			wfs.over_max++;
			checks_passed++;
			goto state;
		}
		if (!WF_CHECK(shape_inv && cmin > cmax && rp <= p && ro <= o,
			      "above the request only where no inversed setting is not"))
			return;
		wfs.over_forced++;
	}

state:
	/* a state: the same output as .apply (round_waveform with its polarity) */
	if (state_pol >= 0) {
		struct pin legacy;

		wfs.states++;
		memset(&e, 0, sizeof(e));
		oracle_period(p, rate, width, &e);
		oracle_duty(sd, rate, width, &e);
		legacy = pin_of(e.n, e.c, state_pol);
		if (keep == state_pol)
			WF_CHECK(got.start == legacy.start && got.len == legacy.len,
				 "a state gives the output .apply gives it");
		if (state_pol)
			wfs.inversed++;
	}
}

static void run_waveforms(u32 rate, unsigned int width, unsigned int count)
{
	unsigned long long before = checks_failed;
	unsigned int i;

	memset(&wfs, 0, sizeof(wfs));
	for (i = 0; i < count; i++) {
		u64 p = random_period(rate, width) % ((u64)1 << 62);
		u64 d, o, sd;
		int pol = (int)(rnd() & 1), keep = (int)(rnd() & 1);

		if (!p)
			p = 1;
		switch (rnd() & 3) {
		case 0:
			/* a state, as the core turns it into a waveform */
		case 1:
			sd = rnd_below(4) ? rnd_below(p + 1) : (rnd() & 1 ? p : 0);
			d = pol ? p - sd : sd;
			o = pol ? sd : 0;
			run_waveform(rate, width, p, d, o, keep, pol, sd);
			run_waveform(rate, width, p, d, o, pol, pol, sd);
			break;
		default:
			/* any valid waveform */
			d = rnd_below(4) ? rnd_below(p + 1) : (rnd() & 1 ? p : 0);
			o = rnd_below(3) ? rnd_below(p) : 0;
			run_waveform(rate, width, p, d, o, keep, -1, 0);
			break;
		}
	}
	printf("%10u Hz, width %2u: %7llu waveforms (%llu states, %llu inversed), above the request: %llu where every setting is, %llu inversed 0 %% at the longest period; %llu failed\n",
	       rate, width, wfs.requests, wfs.states, wfs.inversed,
	       wfs.over_forced, wfs.over_max, checks_failed - before);
	point(before);
}

/*
 * Read-back of register states the rounding never writes but a bootloader
 * may leave: any prescaler, any MOD, any CnV (also above MOD + 1), both
 * polarities. The expectation is the pin output of pin_of() in whole
 * ticks, each length in ns rounded up and saturated at U64_MAX, as the
 * core promises; imx_tpm_period_ns() and imx_tpm_duty_ns() are the legacy
 * state's view (the duty as the CnV ticks, whatever the polarity).
 */
static void run_states(u32 rate, unsigned int width, unsigned int count)
{
	unsigned long long before = checks_failed, above = 0, sat = 0;
	u64 top = 1ULL << width;
	unsigned int i;

	for (i = 0; i < count; i++) {
		struct imx_tpm_pwm_hw hw;
		struct pin want;
		u64 n, c, rp, rd, ro, wd;
		u64 p = 0, d = 0, o = 0;
		int keep = (int)(rnd() & 1);

		hw.ps = (unsigned int)rnd_below(PS_COUNT);
		switch (rnd() & 3) {
		case 0:
			hw.mod = (u32)(top - 1);
			break;
		case 1:
			hw.mod = (u32)rnd_below(4);
			break;
		default:
			hw.mod = (u32)rnd_below(top);
			break;
		}
		n = (u64)hw.mod + 1;
		switch (rnd() & 7) {
		case 0:
			c = 0;
			break;
		case 1:
			c = n - 1;
			break;
		case 2:
			c = n;
			break;
		case 3:
		case 4:
			/* above MOD + 1: 100 %, as MOD + 1 */
			c = n + rnd_below(top - n + 1);
			break;
		default:
			c = rnd_below(top);
			break;
		}
		if (c > top - 1)
			c = top - 1;	/* the register's width */
		hw.cnv = (u32)c;
		if (c > n)
			above++;
		if (ticks_ns(n, hw.ps, rate) == U64_MAX_)
			sat++;

		/* imx_tpm_period_ns(), imx_tpm_duty_ns(): c ticks, at most n */
		rp = imx_tpm_period_ns(&hw, rate);
		rd = imx_tpm_duty_ns(&hw, rate);
		wd = ticks_ns(c < n ? c : n, hw.ps, rate);
		WF_CHECK(rp == ticks_ns(n, hw.ps, rate),
			 "state read-back: period of MOD + 1 ticks");
		WF_CHECK(rd == wd, "state read-back: duty of min(CnV, MOD + 1) ticks");

		/* imx_tpm_waveform_ns(): the pin */
		want = pin_of(n, c, keep);
		imx_tpm_waveform_ns(&hw, keep, rate, &rp, &rd, &ro);
		WF_CHECK(rp == ticks_ns(n, hw.ps, rate) &&
			 rd == ticks_ns(want.len, hw.ps, rate) &&
			 ro == (want.len == n || !want.len ? 0 :
				ticks_ns(want.start, hw.ps, rate)),
			 "state read-back: waveform is the pin output");
	}
	/* the cases this is for must have come up */
	if (above < count / 8) {
		checks_failed++;
		printf("FAIL %u Hz, width %u: only %llu states with CnV above MOD + 1\n",
		       rate, width, above);
	}
	if (width == 32 && rate <= 29 && sat < count / 100) {
		checks_failed++;
		printf("FAIL %u Hz, width %u: only %llu periods beyond 2^64 ns\n",
		       rate, width, sat);
	}
	printf("%10u Hz, width %2u: %7u register states read back (%llu with CnV above MOD + 1, %llu periods beyond 2^64 ns); %llu failed\n",
	       rate, width, count, above, sat, checks_failed - before);
	point(before);
}

/*
 * The searches of the selftest (pwm-imx-tpm.sh -E) and of its cdev helper
 * (pwm-cdev expect) against the oracle, on the same inputs: they give the
 * on-device tests their expected settings, so they must not drift from it.
 * Their domain: 1 kHz .. 1 GHz (the selftest treats other rates as
 * unknown), requests up to 2^63 - 1 ns (shell arithmetic). One point per
 * command; it fails on any difference or if fewer answers than inputs came
 * back.
 */
static const u32 search_rates[] = { 1000, 32767, 32768, 24000000, 1000000000 };
static const unsigned int search_widths[] = { 1, 8, 16, 32 };
#define SEARCH_CASES 60		/* per rate and width */

static void search_line(char *buf, size_t len, u64 p, u64 d, u32 rate,
			unsigned int width)
{
	struct expect e;

	oracle_period(p, rate, width, &e);
	if (e.ret) {
		snprintf(buf, len, "einval");
		return;
	}
	oracle_duty(d, rate, width, &e);
	snprintf(buf, len, "%u %llu %llu %llu %llu", e.ps,
		 (unsigned long long)e.n, (unsigned long long)e.c,
		 (unsigned long long)e.period_ns,
		 (unsigned long long)e.duty_ns);
}

static void run_search(const char *cmd)
{
	unsigned long long before = checks_failed;
	char in[] = "/tmp/round_test.in.XXXXXX";
	char out[] = "/tmp/round_test.out.XXXXXX";
	char line[256], want[256], *sh;
	unsigned int r, w, i, inputs = 0, answers = 0, differ = 0;
	u64 (*cases)[4];
	FILE *f;
	int fd;

	cases = calloc(sizeof(search_rates) / sizeof(search_rates[0]) *
		       sizeof(search_widths) / sizeof(search_widths[0]) *
		       SEARCH_CASES, sizeof(*cases));
	fd = mkstemp(in);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!cases || !f) {
		printf("FAIL search %s: no temporary file\n", cmd);
		checks_failed++;
		point(before);
		return;
	}
	for (r = 0; r < sizeof(search_rates) / sizeof(search_rates[0]); r++) {
		for (w = 0; w < sizeof(search_widths) / sizeof(search_widths[0]); w++) {
			u32 rate = search_rates[r];
			unsigned int width = search_widths[w];
			u64 max = cycles_to_ns_up((1ULL << width) << IMX_TPM_PS_MAX, rate);
			u64 tick = cycles_to_ns_up(1, rate);

			for (i = 0; i < SEARCH_CASES; i++) {
				u64 p, d;

				switch (i) {
				case 0: p = 0; break;
				case 1: p = tick - 1; break;
				case 2: p = tick; break;
				case 3: p = max - 1; break;
				case 4: p = max; break;
				case 5: p = max + 1; break;
				case 6: p = (u64)INT64_MAX_; break;
				default: p = random_period(rate, width);
				}
				p &= (u64)INT64_MAX_;
				switch (rnd() & 3) {
				case 0: d = p; break;
				case 1: d = p < (u64)INT64_MAX_ ? p + 1 : p; break;
				case 2: d = 0; break;
				default: d = rnd_below(p + (p < (u64)INT64_MAX_));
				}
				cases[inputs][0] = rate;
				cases[inputs][1] = width;
				cases[inputs][2] = p;
				cases[inputs][3] = d;
				inputs++;
				fprintf(f, "%u %u %llu %llu\n", rate, width,
					(unsigned long long)p,
					(unsigned long long)d);
			}
		}
	}
	fclose(f);
	fd = mkstemp(out);
	if (fd >= 0)
		close(fd);
	sh = malloc(strlen(cmd) + sizeof(in) + sizeof(out) + 16);
	if (fd < 0 || !sh) {
		printf("FAIL search %s: no temporary file\n", cmd);
		checks_failed++;
	} else {
		sprintf(sh, "%s < %s > %s", cmd, in, out);
		if (system(sh) != 0) {
			printf("FAIL search: \"%s\" failed\n", sh);
			checks_failed++;
		}
	}
	f = fd < 0 ? NULL : fopen(out, "r");
	while (f && answers < inputs && fgets(line, sizeof(line), f)) {
		u64 *c = cases[answers++];

		line[strcspn(line, "\n")] = 0;
		search_line(want, sizeof(want), c[2], c[3], (u32)c[0],
			    (unsigned int)c[1]);
		if (strcmp(line, want)) {
			if (differ++ < 5)
				printf("FAIL search %s: %llu Hz, width %llu, %llu/%llu ns: \"%s\", oracle \"%s\"\n",
				       cmd, (unsigned long long)c[0],
				       (unsigned long long)c[1],
				       (unsigned long long)c[2],
				       (unsigned long long)c[3], line, want);
			checks_failed++;
		} else {
			checks_passed++;
		}
	}
	if (f)
		fclose(f);
	if (answers < inputs) {
		printf("FAIL search %s: %u answers for %u inputs\n", cmd,
		       answers, inputs);
		checks_failed++;
	}
	printf("search \"%s\" vs. the oracle: %u inputs, %u answers, %u differ\n",
	       cmd, inputs, answers, differ);
	unlink(in);
	unlink(out);
	free(sh);
	free(cases);
	point(before);
}

int main(int argc, char **argv)
{
	unsigned int r, w;

	int a;

	for (a = 1; a < argc; a++) {
		if (a + 1 < argc && !strcmp(argv[a], "--mutate")) {
			mutate = atoi(argv[++a]);
			printf("mutant %d: this run must fail\n", mutate);
		} else if (a + 1 < argc && !strcmp(argv[a], "--search")) {
			a++;
		} else {
			fprintf(stderr, "usage: %s [--mutate 1|2|3] [--search CMD]...\n",
				argv[0]);
			return 2;
		}
	}

	for (r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
		for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			run_config(rates[r], widths[w]);
	run_brute_force();
	for (r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
		for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			run_waveforms(rates[r], widths[w], WAVEFORMS);
	for (r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
		for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			run_states(rates[r], widths[w], STATES);
	for (a = 1; a < argc; a++)
		if (!strcmp(argv[a], "--search"))
			run_search(argv[++a]);
		else if (!strcmp(argv[a], "--mutate"))
			a++;

	printf("requests: %llu, %llu with a failed check\n", requests,
	       requests_failed);
	printf("checks: %llu passed, %llu failed\n", checks_passed,
	       checks_failed);
	printf("unit: %u passed, %u failed\n", points_passed,
	       points_failed);

	return checks_failed ? 1 : 0;
}
