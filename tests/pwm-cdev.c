// SPDX-License-Identifier: GPL-2.0
/*
 * pwm-cdev - drive a PWM chip through its character device (/dev/pwmchipN)
 *
 * A helper of the pwm-imx-tpm selftest (pwm-imx-tpm.sh), usable on its own:
 *
 *   pwm-cdev DEV roundwf CH PERIOD DUTY OFFSET   PWM_IOCTL_ROUNDWF
 *   pwm-cdev DEV getwf CH                        PWM_IOCTL_GETWF
 *   pwm-cdev DEV setwf CH PERIOD DUTY OFFSET     PWM_IOCTL_SETROUNDEDWF
 *   pwm-cdev DEV setexactwf CH PERIOD DUTY OFFSET PWM_IOCTL_SETEXACTWF
 *   pwm-cdev DEV check CH RATE WIDTH [SEED]      self-check of the
 *                                                pwm-imx-tpm rounding
 *
 * roundwf, getwf, setwf and setexactwf print the resulting waveform as
 * "PERIOD DUTY OFFSET" (in ns; setwf and setexactwf print what GETWF
 * reads back afterwards). A failing ioctl prints its errno on stderr.
 * Note that the channel keeps its waveform when the program exits.
 *
 * "check" runs a set of waveforms through PWM_IOCTL_ROUNDWF and compares
 * the results with the settings a search over every prescaler and tick
 * count of a TPM counter of WIDTH bits clocked at RATE Hz finds (see
 * search_period; "pwm-cdev expect" prints them, make unit compares them
 * with its oracle); it sets a subset with
 * PWM_IOCTL_SETROUNDEDWF and reads it back with PWM_IOCTL_GETWF, tries
 * PWM_IOCTL_SETEXACTWF and invalid requests, and finally disables the
 * channel. Its output is KTAP diagnostics ("# ...") ending with a summary
 * line.
 *
 * Exit status: 0 success, 1 failure, 2 usage error, 4 the device or the
 * ioctls are not available (skip).
 *
 * Builds with plain gcc, statically linked too, no other sources. The
 * uapi definitions are taken from <linux/pwm.h> when the system has them,
 * otherwise from the local copy below (same layout and numbers as the
 * kernel's include/uapi/linux/pwm.h, Linux 6.13 and later).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#if defined(__has_include)
#if __has_include(<linux/pwm.h>)
#include <linux/pwm.h>
#endif
#endif

#ifndef PWM_IOCTL_ROUNDWF
/* one waveform of channel hwpwm; period_length_ns == 0 means disabled */
struct pwmchip_waveform {
	__u32 hwpwm;
	__u32 __pad;		/* must be zero */
	__u64 period_length_ns;
	__u64 duty_length_ns;
	__u64 duty_offset_ns;
};

#define PWM_IOCTL_REQUEST	_IO(0x75, 1)
#define PWM_IOCTL_FREE		_IO(0x75, 2)
#define PWM_IOCTL_ROUNDWF	_IOWR(0x75, 3, struct pwmchip_waveform)
#define PWM_IOCTL_GETWF		_IOWR(0x75, 4, struct pwmchip_waveform)
#define PWM_IOCTL_SETROUNDEDWF	_IOW(0x75, 5, struct pwmchip_waveform)
#define PWM_IOCTL_SETEXACTWF	_IOW(0x75, 6, struct pwmchip_waveform)
#endif

_Static_assert(sizeof(struct pwmchip_waveform) == 32,
	       "struct pwmchip_waveform must match the kernel's layout");

#define NSEC		1000000000ULL
#define PS_MAX		7
#define S64_MAX_	0x7fffffffffffffffULL
#define U64_MAX_	(~0ULL)
#define MAX_SHOWN	10
/* waveforms with a longer period are only rounded, not set (time) */
#define SET_MAX_NS	20000000ULL
#define SET_MAX_COUNT	60

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_SKIP	4

struct wf {
	uint64_t period;
	uint64_t duty;
	uint64_t offset;
};

/* counter setting as the TPM holds it: 2^ps prescaler, n ticks, CnV */
struct tpm_hw {
	unsigned int ps;
	uint64_t n;
	uint64_t start, len;	/* the high phase, in ticks */
	int inversed;
	int constant;		/* 0 % or 100 %: either polarity */
	int rounded_up;
};

struct check {
	int fd;
	unsigned int ch;
	uint64_t rate;
	unsigned int width;
	uint64_t rng;
	unsigned int pass;
	unsigned int fail;
	unsigned int shown;
	unsigned int set_count;
	struct wf cur;		/* last waveform set, period 0 if disabled */
	int inversed;		/* the channel's polarity (ELS low-true) */
	int exp_inversed;	/* the last ROUNDWF: polarity it needs, */
	int exp_constant;	/* and whether either polarity does */
	uint64_t exp_tick;	/* one counter tick there, ns rounded up */
};

static const char *errno_name(int err)
{
	switch (err) {
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case ENOTTY: return "ENOTTY";
	case EDOM: return "EDOM";
	case ERANGE: return "ERANGE";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EIO: return "EIO";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENXIO: return "ENXIO";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EFAULT: return "EFAULT";
	default: return "E?";
	}
}

/* 0 and the result, or -errno */
static int wf_ioctl(int fd, unsigned long req, unsigned int ch,
		    const struct wf *in, struct wf *out)
{
	struct pwmchip_waveform cwf;
	int ret;

	memset(&cwf, 0, sizeof(cwf));
	cwf.hwpwm = ch;
	if (in) {
		cwf.period_length_ns = in->period;
		cwf.duty_length_ns = in->duty;
		cwf.duty_offset_ns = in->offset;
	}

	ret = ioctl(fd, req, &cwf);
	if (ret < 0)
		return -errno;

	if (out) {
		out->period = cwf.period_length_ns;
		out->duty = cwf.duty_length_ns;
		out->offset = cwf.duty_offset_ns;
	}

	return ret;
}

/* ----- expected values: a search over what the hardware can do ----- */

/* floor(ns * rate / 1e9), at most @cap */
static uint64_t ns_to_cycles(uint64_t ns, uint64_t rate, uint64_t cap)
{
	uint64_t sec = ns / NSEC, rem = ns % NSEC, cycles;

	if (sec > cap / rate)
		return cap;
	/* rem < 1e9 and rate <= 1e9: no overflow */
	cycles = sec * rate + rem * rate / NSEC;

	return cycles < cap ? cycles : cap;
}

/* ceil(cycles * 1e9 / rate), saturated */
static uint64_t cycles_to_ns(uint64_t cycles, uint64_t rate)
{
	uint64_t sec = cycles / rate, rem = cycles % rate;
	uint64_t frac = (rem * NSEC + rate - 1) / rate;

	if (sec > (U64_MAX_ - frac) / NSEC)
		return U64_MAX_;

	return sec * NSEC + frac;
}

/*
 * The most ticks t in 0 .. @cap whose length at prescaler @ps, in ns and
 * rounded up, is at most @ns: exactly the settings not longer than a
 * request of @ns (a whole number of ns). A bisection over the tick counts.
 */
static uint64_t fit_ticks(uint64_t ns, unsigned int ps, uint64_t cap,
			  uint64_t rate)
{
	uint64_t lo = 0, hi = cap;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		if (cycles_to_ns(mid << ps, rate) <= ns)
			lo = mid;
		else
			hi = mid - 1;
	}

	return lo;
}

/*
 * The longest period the hardware has that is not above @ns: a search over
 * every prescaler and tick count (n ticks of 2^ps cycles; 1 .. 2^width - 1
 * ticks below the largest prescaler, 1 .. 2^width at it, where a full
 * counter is not the same period as half of it at the next prescaler). On
 * equal lengths the smaller prescaler wins (finer duty steps). Not from
 * the driver's formulas: make unit compares this search, through
 * "pwm-cdev - expect", with its own 128-bit oracle. Returns 0 if no
 * period fits (the request is below one clock cycle).
 */
static int search_period(uint64_t ns, uint64_t rate, unsigned int width,
			 unsigned int *ps_out, uint64_t *n_out)
{
	uint64_t tmax = 1ULL << width, best = 0;
	unsigned int ps;

	for (ps = 0; ps <= PS_MAX; ps++) {
		uint64_t n = fit_ticks(ns, ps, ps == PS_MAX ? tmax : tmax - 1,
				       rate);

		if ((n << ps) > best) {
			best = n << ps;
			*ps_out = ps;
			*n_out = n;
		}
	}

	return best != 0;
}

/*
 * The hardware setting for a requested waveform, as the pin shows it: high
 * for @len ticks from tick @start of a period of n ticks.
 *
 * The period is the longest not above the request (search_period); below
 * one clock cycle the shortest period, one tick, is taken and rounded_up
 * set.
 *
 * The hardware has two shapes: high from the period start (normal) or low
 * from the period start and high to its end (inversed). A waveform whose
 * active phase reaches the period end (offset > 0, offset + duty >= period)
 * is an inversed state: low for the offset rounded down, as .apply rounds
 * an inversed duty cycle, so that a state gives the same output through
 * either API. Any other waveform: high for the duty rounded down, from the
 * period start. Both are the most ticks, up to n, that fit (fit_ticks).
 * Low-true cannot be always low, nor high-true always high,
 * where CnV cannot exceed MOD (n = 2^width): there a constant output is one
 * tick short of it in the polarity that cannot express it, and 0 % and
 * 100 % are expressed in the channel's polarity @inversed.
 */
static void expect_hw(const struct check *c, const struct wf *req,
		      int inversed, struct tpm_hw *hw)
{
	uint64_t tmax = 1ULL << c->width;
	uint64_t t;
	int shape;

	memset(hw, 0, sizeof(*hw));
	if (!search_period(req->period, c->rate, c->width, &hw->ps, &hw->n)) {
		hw->ps = 0;
		hw->n = 1;
		hw->rounded_up = 1;
	}

	shape = req->offset && (req->offset >= req->period ||
				req->duty >= req->period - req->offset);
	t = fit_ticks(shape ? req->offset : req->duty, hw->ps, hw->n, c->rate);
	if (shape) {
		hw->start = t;
		hw->len = hw->n - t;
	} else {
		hw->len = t;
	}
	if (hw->len == 0 || hw->len == hw->n) {
		/* constant: in the channel's polarity, as far as it can */
		hw->constant = 1;
		hw->inversed = inversed;
		hw->start = 0;
		hw->len = hw->len ? hw->n : 0;
		if (hw->n == tmax && hw->len == hw->n && !inversed)
			hw->len = hw->n - 1;
		else if (hw->n == tmax && !hw->len && inversed) {
			hw->start = hw->n - 1;
			hw->len = 1;
		}
	} else {
		hw->inversed = shape;
	}
}

/* The waveform that @hw produces, as GETWF/ROUNDWF report it */
static void hw_to_wf(const struct check *c, const struct tpm_hw *hw,
		     struct wf *wf)
{
	wf->period = cycles_to_ns(hw->n << hw->ps, c->rate);
	wf->duty = hw->len == hw->n ? wf->period :
		   cycles_to_ns(hw->len << hw->ps, c->rate);
	wf->offset = hw->len && hw->len < hw->n ?
		     cycles_to_ns(hw->start << hw->ps, c->rate) : 0;
}

static void expect_wf(const struct check *c, const struct wf *req,
		      struct wf *out, int *rounded_up, int *inversed,
		      int *constant, uint64_t *tick)
{
	struct tpm_hw hw;

	if (!req->period) {
		memset(out, 0, sizeof(*out));
		*rounded_up = 0;
		*inversed = 0;
		*constant = 1;
		*tick = 0;
		return;
	}
	expect_hw(c, req, c->cur.period ? c->inversed : 0, &hw);
	hw_to_wf(c, &hw, out);
	*rounded_up = hw.rounded_up;
	*inversed = hw.inversed;
	*constant = hw.constant;
	*tick = cycles_to_ns(1ULL << hw.ps, c->rate);
}

/* ----- check mode ----- */

static uint64_t rnd64(struct check *c)
{
	/* xorshift64* */
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;

	return c->rng * 0x2545f4914f6cdd1dULL;
}

/* uniform enough in [0, n], n < 2^64 - 1 */
static uint64_t rnd_upto(struct check *c, uint64_t n)
{
	return n == U64_MAX_ ? rnd64(c) : rnd64(c) % (n + 1);
}

static __printf(3, 4)
void result(struct check *c, int ok, const char *fmt, ...);

static void result(struct check *c, int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		c->pass++;
		return;
	}
	c->fail++;
	if (c->shown++ >= MAX_SHOWN) {
		if (c->shown == MAX_SHOWN + 1)
			printf("# (further failures not shown)\n");
		return;
	}
	printf("# FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int wf_equal(const struct wf *a, const struct wf *b)
{
	return a->period == b->period && a->duty == b->duty &&
	       a->offset == b->offset;
}

#define WF_FMT		"%" PRIu64 "/%" PRIu64 "/%" PRIu64
#define WF_ARG(w)	(w).period, (w).duty, (w).offset

/* ROUNDWF of @req against the expected result; returns the result */
static void check_round(struct check *c, const struct wf *req,
			struct wf *got)
{
	struct wf exp;
	int up, ret;

	expect_wf(c, req, &exp, &up, &c->exp_inversed, &c->exp_constant,
		  &c->exp_tick);
	ret = wf_ioctl(c->fd, PWM_IOCTL_ROUNDWF, c->ch, req, got);
	if (ret < 0) {
		result(c, 0, "ROUNDWF " WF_FMT " failed: %s (%s)",
		       WF_ARG(*req), strerror(-ret), errno_name(-ret));
		*got = exp;
		return;
	}
	result(c, wf_equal(got, &exp),
	       "ROUNDWF " WF_FMT " -> " WF_FMT ", expected " WF_FMT,
	       WF_ARG(*req), WF_ARG(*got), WF_ARG(exp));
	/* the ioctl may return 1 for "rounded up"; Linux 7.3 returns 0 */
	result(c, ret == 0 || (ret == 1 && up),
	       "ROUNDWF " WF_FMT " returned %d", WF_ARG(*req), ret);
	/*
	 * Everything rounds down unless the period is below one tick, with
	 * two exceptions of at most a tick of high time: an inversed state
	 * (its low time, the offset, rounds down as .apply does), and 0 % on
	 * an inversed channel at the longest period (one tick high: low-true
	 * cannot be always low there, and the polarity stays).
	 */
	if (!up)
		result(c, got->period <= req->period &&
			  (got->offset <= req->offset ||
			   (c->exp_constant && c->exp_inversed)) &&
			  (got->duty <= req->duty ||
			   ((req->offset || (c->exp_constant && c->exp_inversed)) &&
			    got->duty <= req->duty + c->exp_tick)),
		       "ROUNDWF " WF_FMT " -> " WF_FMT " rounded up",
		       WF_ARG(*req), WF_ARG(*got));
}

/* SETROUNDEDWF @req, then GETWF must give @rounded */
static void check_set(struct check *c, const struct wf *req,
		      const struct wf *rounded)
{
	struct wf got = { 0, 0, 0 }, again = { 0, 0, 0 };
	struct wf off = { 0, 0, 0 };
	struct wf want = *rounded;
	int ret, up;

	/*
	 * The polarity of an enabled channel cannot change (the output would
	 * glitch); 0 % and 100 % are expressed in either.
	 */
	if (c->cur.period && rounded->period && !c->exp_constant &&
	    c->exp_inversed != c->inversed) {
		ret = wf_ioctl(c->fd, PWM_IOCTL_SETROUNDEDWF, c->ch, req, NULL);
		result(c, ret == -EBUSY,
		       "SETROUNDEDWF " WF_FMT " after " WF_FMT
		       " (polarity change while enabled): %s, expected EBUSY",
		       WF_ARG(*req), WF_ARG(c->cur), errno_name(-ret));
		ret = wf_ioctl(c->fd, PWM_IOCTL_SETROUNDEDWF, c->ch, &off, NULL);
		if (ret < 0) {
			result(c, 0, "SETROUNDEDWF 0/0/0 (disable) failed: %s",
			       strerror(-ret));
			return;
		}
		c->cur = off;
		c->inversed = 0;
		/* 0 % or 100 % now in the disabled channel's polarity */
		expect_wf(c, req, &want, &up, &c->exp_inversed,
			  &c->exp_constant, &c->exp_tick);
	}

	ret = wf_ioctl(c->fd, PWM_IOCTL_SETROUNDEDWF, c->ch, req, NULL);
	if (ret < 0) {
		result(c, 0, "SETROUNDEDWF " WF_FMT " failed: %s (%s)",
		       WF_ARG(*req), strerror(-ret), errno_name(-ret));
		return;
	}
	ret = wf_ioctl(c->fd, PWM_IOCTL_GETWF, c->ch, NULL, &got);
	if (ret < 0) {
		result(c, 0, "GETWF after SETROUNDEDWF " WF_FMT " failed: %s",
		       WF_ARG(*req), strerror(-ret));
		return;
	}
	c->cur = want;
	/* a disabled channel's polarity is normal for the core (pwm_wf2state) */
	c->inversed = want.period ? c->exp_inversed : 0;
	result(c, wf_equal(&got, &want),
	       "SETROUNDEDWF " WF_FMT ": GETWF " WF_FMT ", expected "
	       WF_FMT, WF_ARG(*req), WF_ARG(got), WF_ARG(want));

	/* what was read back is exact: rounding and setting it is a no-op */
	ret = wf_ioctl(c->fd, PWM_IOCTL_ROUNDWF, c->ch, &got, &again);
	result(c, ret >= 0 && wf_equal(&got, &again),
	       "ROUNDWF of read-back " WF_FMT " -> " WF_FMT " (ret %d)",
	       WF_ARG(got), WF_ARG(again), ret);
	ret = wf_ioctl(c->fd, PWM_IOCTL_SETEXACTWF, c->ch, &got, NULL);
	result(c, ret == 0, "SETEXACTWF of read-back " WF_FMT ": %s",
	       WF_ARG(got), ret < 0 ? errno_name(-ret) : "ok");
}

/* one period with its duties and offsets */
static void check_period(struct check *c, uint64_t period)
{
	uint64_t duties[5], offsets[7];
	unsigned int i, j, nd = 0, no;
	struct wf req, got = { 0, 0, 0 };

	duties[nd++] = 0;
	duties[nd++] = period > 1 ? 1 : period;
	duties[nd++] = rnd_upto(c, period);
	duties[nd++] = period - 1;
	duties[nd++] = period;

	for (i = 0; i < nd; i++) {
		uint64_t d = duties[i];

		no = 0;
		offsets[no++] = 0;
		offsets[no++] = rnd_upto(c, period - 1);
		offsets[no++] = period - 1;
		/* around period - duty: inversed output possible */
		if (d && d < period) {
			offsets[no++] = period - d;
			offsets[no++] = period - d - 1;
			if (d > 1)
				offsets[no++] = period - d + 1;
		}
		if (d && period - d / 2 < period)
			offsets[no++] = period - d / 2;

		for (j = 0; j < no; j++) {
			req.period = period;
			req.duty = d;
			req.offset = offsets[j];
			check_round(c, &req, &got);
			if (period <= SET_MAX_NS &&
			    c->set_count < SET_MAX_COUNT &&
			    (rnd64(c) & 7) == 0) {
				c->set_count++;
				check_set(c, &req, &got);
			}
		}
	}
}

static void check_invalid(struct check *c)
{
	struct pwmchip_waveform cwf;
	struct wf req, got = { 0, 0, 0 };
	int ret;

	/* duty above period */
	req = (struct wf){ 1000000, 1000001, 0 };
	ret = wf_ioctl(c->fd, PWM_IOCTL_ROUNDWF, c->ch, &req, &got);
	result(c, ret == -EINVAL, "ROUNDWF duty > period: %s, expected EINVAL",
	       ret < 0 ? errno_name(-ret) : "ok");
	/* offset not below period */
	req = (struct wf){ 1000000, 0, 1000000 };
	ret = wf_ioctl(c->fd, PWM_IOCTL_ROUNDWF, c->ch, &req, &got);
	result(c, ret == -EINVAL,
	       "ROUNDWF offset = period: %s, expected EINVAL",
	       ret < 0 ? errno_name(-ret) : "ok");
	/* period above S64_MAX */
	req = (struct wf){ S64_MAX_ + 1, 0, 0 };
	ret = wf_ioctl(c->fd, PWM_IOCTL_SETROUNDEDWF, c->ch, &req, NULL);
	result(c, ret == -EINVAL,
	       "SETROUNDEDWF period > S64_MAX: %s, expected EINVAL",
	       ret < 0 ? errno_name(-ret) : "ok");
	/* channel out of range */
	req = (struct wf){ 1000000, 0, 0 };
	ret = wf_ioctl(c->fd, PWM_IOCTL_ROUNDWF, 1000, &req, &got);
	result(c, ret == -EINVAL,
	       "ROUNDWF on channel 1000: %s, expected EINVAL",
	       ret < 0 ? errno_name(-ret) : "ok");
	/* padding must be zero */
	memset(&cwf, 0, sizeof(cwf));
	cwf.hwpwm = c->ch;
	cwf.__pad = 1;
	cwf.period_length_ns = 1000000;
	ret = ioctl(c->fd, PWM_IOCTL_ROUNDWF, &cwf) < 0 ? -errno : 0;
	result(c, ret == -EINVAL,
	       "ROUNDWF with non-zero padding: %s, expected EINVAL",
	       ret < 0 ? errno_name(-ret) : "ok");
}

static int run_check(const char *dev, int fd, unsigned int ch, uint64_t rate,
		     unsigned int width, uint64_t seed)
{
	struct check c = {
		.fd = fd, .ch = ch, .rate = rate, .width = width,
		.rng = seed ? seed : 0x9e3779b97f4a7c15ULL,
	};
	uint64_t tick = cycles_to_ns(1, rate);
	uint64_t tmax = 1ULL << width;
	uint64_t maxcyc = tmax << PS_MAX;
	uint64_t maxns = cycles_to_ns(maxcyc, rate);
	static const uint64_t typical[] = {
		1000000, 50000, 20000000, 333, 1000000000,
	};
	struct wf req, got = { 0, 0, 0 }, exp;
	unsigned int ps, i;
	int ret, up;

	printf("# pwm-cdev check: %s channel %u, rate %" PRIu64
	       " Hz, width %u, seed %" PRIu64 "\n", dev, ch, rate, width, seed);

	/* PWM_IOCTL_REQUEST takes the channel as the argument itself */
	ret = ioctl(fd, PWM_IOCTL_REQUEST, (unsigned long)ch) < 0 ? -errno : 0;
	if (ret == -ENOTTY || ret == -EOPNOTSUPP) {
		printf("# PWM_IOCTL_REQUEST: %s, no waveform ioctls\n",
		       strerror(-ret));
		return EXIT_SKIP;
	}
	if (ret < 0) {
		printf("# PWM_IOCTL_REQUEST channel %u: %s (%s)%s\n", ch,
		       strerror(-ret), errno_name(-ret),
		       ret == -EBUSY ? ", exported through sysfs?" : "");
		return EXIT_FAIL;
	}

	ret = wf_ioctl(fd, PWM_IOCTL_GETWF, ch, NULL, &got);
	if (ret < 0)
		result(&c, 0, "GETWF failed: %s", strerror(-ret));
	else
		printf("# initial waveform " WF_FMT "\n", WF_ARG(got));

	/* period 0: disabled, rounds to all 0 */
	req = (struct wf){ 0, 0, 0 };
	check_round(&c, &req, &got);

	/* below one clock cycle: rounded up to one tick, not an error */
	for (i = 0; i < 2; i++) {
		req = (struct wf){ i ? 1 : tick - 1, 0, 0 };
		if (!req.period || ns_to_cycles(req.period, rate, maxcyc))
			continue;
		ret = wf_ioctl(fd, PWM_IOCTL_ROUNDWF, ch, &req, &got);
		result(&c, ret >= 0 && got.period == tick && !got.duty &&
			   !got.offset,
		       "ROUNDWF period %" PRIu64 " (below one tick): ret %d, "
		       WF_FMT ", expected %" PRIu64 "/0/0", req.period, ret,
		       WF_ARG(got), tick);
		if (ret >= 0)
			printf("# ROUNDWF below one tick: ioctl returned %d, period %"
			       PRIu64 " rounded up to %" PRIu64 "\n",
			       ret, req.period, got.period);
	}

	/* one tick, the prescaler boundaries, the maximum and above */
	check_period(&c, tick);
	for (ps = 1; ps <= PS_MAX; ps++) {
		uint64_t b = cycles_to_ns(tmax << (ps - 1), rate);

		check_period(&c, b - 1);
		check_period(&c, b);
		check_period(&c, b + 1);
	}
	check_period(&c, maxns - 1);
	check_period(&c, maxns);
	check_period(&c, maxns + 1);
	check_period(&c, S64_MAX_);
	for (i = 0; i < ARRAY_SIZE(typical); i++)
		if (typical[i] >= tick)
			check_period(&c, typical[i]);
	/* random periods, spread over all prescalers */
	for (i = 0; i < 24; i++) {
		unsigned int bits = (unsigned int)(rnd64(&c) % (width + PS_MAX));
		uint64_t cyc = (1ULL << bits) + rnd_upto(&c, (1ULL << bits) - 1);

		check_period(&c, cycles_to_ns(cyc, rate) + rnd64(&c) % 64);
	}

	/* SETEXACTWF of a waveform that is not exact must fail with EDOM */
	req = (struct wf){ 1000000, 250000, 0 };
	check_round(&c, &req, &got);
	req = got;
	req.period++;
	expect_wf(&c, &req, &exp, &up, &c.exp_inversed, &c.exp_constant,
		  &c.exp_tick);
	ret = wf_ioctl(fd, PWM_IOCTL_SETEXACTWF, ch, &req, NULL);
	if (wf_equal(&exp, &req))
		result(&c, ret == 0, "SETEXACTWF of exact " WF_FMT ": %s",
		       WF_ARG(req), ret < 0 ? errno_name(-ret) : "ok");
	else
		result(&c, ret == -EDOM,
		       "SETEXACTWF of inexact " WF_FMT ": %s, expected EDOM",
		       WF_ARG(req), ret < 0 ? errno_name(-ret) : "ok");

	check_invalid(&c);

	/* disable, and the channel reads back disabled */
	req = (struct wf){ 0, 0, 0 };
	ret = wf_ioctl(fd, PWM_IOCTL_SETROUNDEDWF, ch, &req, NULL);
	result(&c, ret == 0, "SETROUNDEDWF 0/0/0 (disable): %s",
	       ret < 0 ? errno_name(-ret) : "ok");
	ret = wf_ioctl(fd, PWM_IOCTL_GETWF, ch, NULL, &got);
	result(&c, ret == 0 && !got.period && !got.duty && !got.offset,
	       "GETWF after disable: " WF_FMT, WF_ARG(got));

	ret = ioctl(fd, PWM_IOCTL_FREE, (unsigned long)ch) < 0 ? -errno : 0;
	result(&c, ret == 0, "PWM_IOCTL_FREE: %s",
	       ret < 0 ? errno_name(-ret) : "ok");

	printf("# pwm-cdev check: %u waveforms set, %u passed, %u failed\n",
	       c.set_count, c.pass, c.fail);

	return c.fail ? EXIT_FAIL : 0;
}

/* ----- command line ----- */

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;

	return 0;
}

/*
 * "pwm-cdev expect": for each line "RATE WIDTH PERIOD DUTY" of stdin, the
 * setting "check" expects for a normal waveform (offset 0) of a channel
 * that is off, as "PS N CNV PERIOD_NS DUTY_NS", or "einval" below one
 * clock cycle; make unit compares it with its oracle.
 */
static int expect_mode(void)
{
	uint64_t rate, width, period, duty;
	struct check c;
	struct tpm_hw hw;
	struct wf req, wf;

	memset(&c, 0, sizeof(c));
	while (scanf("%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
		     &rate, &width, &period, &duty) == 4) {
		if (!rate || rate > NSEC || width < 1 || width > 32)
			return EXIT_USAGE;
		c.rate = rate;
		c.width = (unsigned int)width;
		req.period = period;
		req.duty = duty;
		req.offset = 0;
		expect_hw(&c, &req, 0, &hw);
		if (hw.rounded_up) {
			printf("einval\n");
			continue;
		}
		hw_to_wf(&c, &hw, &wf);
		printf("%u %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		       hw.ps, hw.n, hw.len, wf.period,
		       cycles_to_ns(hw.len << hw.ps, rate));
	}

	return 0;
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: pwm-cdev DEV roundwf CH PERIOD DUTY OFFSET\n"
		"       pwm-cdev DEV getwf CH\n"
		"       pwm-cdev DEV setwf CH PERIOD DUTY OFFSET\n"
		"       pwm-cdev DEV setexactwf CH PERIOD DUTY OFFSET\n"
		"       pwm-cdev DEV check CH RATE WIDTH [SEED]\n"
		"       pwm-cdev expect   (lines RATE WIDTH PERIOD DUTY on stdin)\n"
		"DEV is /dev/pwmchipN; times in ns, RATE in Hz, WIDTH in bits.\n"
		"Exit status: 0 ok, 1 failure, 2 usage, 4 not supported.\n");
}

int main(int argc, char **argv)
{
	uint64_t ch, a[4] = { 0, 0, 0, 0 };
	const char *dev, *cmd;
	unsigned long req = 0;
	struct wf in, out = { 0, 0, 0 };
	int fd, ret, i, nargs;

	if (argc == 2 && (!strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		print_usage(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "expect"))
		return expect_mode();
	if (argc < 4) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	dev = argv[1];
	cmd = argv[2];

	if (!strcmp(cmd, "roundwf") || !strcmp(cmd, "setwf") ||
	    !strcmp(cmd, "setexactwf"))
		nargs = 3;
	else if (!strcmp(cmd, "getwf"))
		nargs = 0;
	else if (!strcmp(cmd, "check"))
		nargs = argc == 7 ? 3 : 2;
	else
		nargs = -1;

	if (nargs < 0 || argc != 4 + nargs || parse_u64(argv[3], &ch) ||
	    ch > UINT32_MAX) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < nargs; i++) {
		if (parse_u64(argv[4 + i], &a[i])) {
			fprintf(stderr, "pwm-cdev: not a number: %s\n",
				argv[4 + i]);
			return EXIT_USAGE;
		}
	}

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = errno;
		fprintf(stderr, "pwm-cdev: %s: %s\n", dev, strerror(ret));
		printf("# pwm-cdev: cannot open %s: %s\n", dev, strerror(ret));
		return ret == ENOENT || ret == ENXIO || ret == ENODEV ?
		       EXIT_SKIP : EXIT_FAIL;
	}

	if (!strcmp(cmd, "check")) {
		if (!a[0] || a[0] > NSEC || a[1] < 1 || a[1] > 32) {
			fprintf(stderr,
				"pwm-cdev: RATE must be 1..1e9, WIDTH 1..32\n");
			close(fd);
			return EXIT_USAGE;
		}
		ret = run_check(dev, fd, (unsigned int)ch, a[0],
				(unsigned int)a[1], a[2]);
		close(fd);
		return ret;
	}

	ret = ioctl(fd, PWM_IOCTL_REQUEST, (unsigned long)ch) < 0 ? -errno : 0;
	if (ret < 0) {
		fprintf(stderr, "pwm-cdev: PWM_IOCTL_REQUEST %" PRIu64
			": %s (%s)\n", ch, strerror(-ret), errno_name(-ret));
		close(fd);
		return ret == -ENOTTY ? EXIT_SKIP : EXIT_FAIL;
	}

	in = (struct wf){ a[0], a[1], a[2] };
	if (!strcmp(cmd, "roundwf"))
		req = PWM_IOCTL_ROUNDWF;
	else if (!strcmp(cmd, "getwf"))
		req = PWM_IOCTL_GETWF;
	else if (!strcmp(cmd, "setwf"))
		req = PWM_IOCTL_SETROUNDEDWF;
	else
		req = PWM_IOCTL_SETEXACTWF;

	ret = wf_ioctl(fd, req, (unsigned int)ch, &in, &out);
	if (ret >= 0 && (req == PWM_IOCTL_SETROUNDEDWF ||
			 req == PWM_IOCTL_SETEXACTWF))
		ret = wf_ioctl(fd, PWM_IOCTL_GETWF, (unsigned int)ch, NULL,
			       &out);
	if (ret < 0) {
		fprintf(stderr, "pwm-cdev: %s: %s (%s)\n", cmd,
			strerror(-ret), errno_name(-ret));
		close(fd);
		return EXIT_FAIL;
	}
	printf("%" PRIu64 " %" PRIu64 " %" PRIu64 "\n", WF_ARG(out));
	if (ret > 0)
		fprintf(stderr, "pwm-cdev: %s returned %d\n", cmd, ret);
	close(fd);

	return 0;
}
