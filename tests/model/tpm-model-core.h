/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Core of the NXP TPM hardware model (test-only): registers, counter and the
 * run-length log of every channel's output, as plain functions of the
 * elapsed time, so that the same code runs in the kernel module
 * (tpm-model.c) and in the userspace test (core_test.c).
 *
 * Only integer types, the 64-bit division helpers, memset() and snprintf()
 * are used; the caller serialises all calls (the module holds a spinlock).
 *
 * Time is counted in cycles of the counter clock. The position inside the
 * current counter pass, @pos, is in cycles too: CNT = pos >> PS. A pass
 * ends when CNT would go past MOD (or past the counter's maximum when CNT
 * was above MOD): the counter wraps to 0, TOF is set and buffered MOD/CnV
 * writes take effect. Many identical periods are added to the log at once,
 * so advancing the model costs the same for any elapsed time.
 *
 * As on the silicon (INTERFACE.md, "Strict behaviours"), writes to SC.CMOD,
 * MOD, CnV and CnSC cross into the counter clock domain: they are held as
 * pending writes (struct tpm_wr) that arrive at a later clock edge. At most
 * 2 + 2 * channels writes are pending, so advancing stays O(1): the model
 * runs up to the next arrival, applies it, and runs on.
 */
#ifndef _TPM_MODEL_CORE_H
#define _TPM_MODEL_CORE_H

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/types.h>

#define TPM_PARAM		0x04
#define TPM_SC			0x10
#define TPM_CNT			0x14
#define TPM_MOD			0x18
#define TPM_CH_BASE		0x20
#define TPM_CH_STRIDE		0x08
#define TPM_CNSC(n)		(TPM_CH_BASE + (n) * TPM_CH_STRIDE)
#define TPM_CNV(n)		(TPM_CNSC(n) + 4)
#define TPM_REG_MAX		0x84
#define TPM_NREGS		(TPM_REG_MAX / 4 + 1)

#define TPM_SC_PS		0x07U
#define TPM_SC_CMOD_SHIFT	3
#define TPM_SC_CMOD		(0x3U << TPM_SC_CMOD_SHIFT)
#define TPM_SC_CPWMS		(0x1U << 5)
#define TPM_SC_TOF		(0x1U << 7)

#define TPM_CNSC_ELS_SHIFT	2
#define TPM_CNSC_ELS		(0x3U << TPM_CNSC_ELS_SHIFT)
#define TPM_CNSC_MSB		(0x1U << 5)
#define TPM_CNSC_CHF		(0x1U << 7)

#define TPM_ELS_OFF		0
#define TPM_ELS_LOW_TRUE	1
#define TPM_ELS_HIGH_TRUE	2
#define TPM_ELS_RESERVED	3

#define TPM_MAX_CH		8
#define TPM_WIDTH_MIN		8
#define TPM_WIDTH_MAX		32
#define TPM_RATE_MAX		1000000000U
#define TPM_NS_PER_S		1000000000U

/* runs kept per channel, a power of two */
#define TPM_LOG_RUNS		4096
/* cut periods, and stops, remembered between two clears */
#define TPM_MAX_CUTS		256
/* errors kept, later ones are only counted */
#define TPM_MAX_ERRORS		64

/* longest line of a channel log: 3 numbers of up to 20 digits and a kind */
#define TPM_LINE_MAX		72
/* longest line of the error list */
#define TPM_ERR_LINE_MAX	96

#define TPM_U64_MAX		(~0ULL)

enum tpm_kind {
	TPM_KIND_FULL,
	TPM_KIND_PART,
	TPM_KIND_TRUNC,
	TPM_KIND_OFF,
	TPM_KIND_STOP,
	TPM_KIND_FIRST,
};

/* first_period: how the outputs behave until the first wrap after a start */
enum tpm_first {
	TPM_FIRST_SET,		/* set at the start, as at a wrap (ideal) */
	TPM_FIRST_INACTIVE,	/* held at the inactive level until the wrap */
	TPM_FIRST_LOW,		/* held low (output reset value) until a match */
	TPM_FIRST_MAX = TPM_FIRST_LOW,
};

enum tpm_err_code {
	TPM_ERR_PS_COUNTING,
	TPM_ERR_ELS_RESERVED,
	TPM_ERR_MSB,
	TPM_ERR_CPWMS,
	TPM_ERR_CMOD,
	TPM_ERR_PARAM_WRITE,
	TPM_ERR_MOD_IGNORED,
	TPM_ERR_CNV_IGNORED,
};

/*
 * A register write on its way into the counter clock domain: it takes
 * effect when the model reaches clock cycle @due (counted from init);
 * writes due at the same edge arrive in the order they were made (@seq).
 */
struct tpm_wr {
	bool on;
	u32 val;
	u64 due;
	u64 seq;
};

/* @count identical periods of one kind */
struct tpm_run {
	u64 count;
	u64 period;
	u64 high;
	u32 kind;
};

/* Ring of runs, oldest at @head; @dropped counts runs pushed out */
struct tpm_log {
	struct tpm_run *runs;
	u32 head;
	u32 len;
	u64 dropped;
};

struct tpm_chan {
	u32 cnsc;
	u32 cnv;
	u32 cnv_buf;
	bool cnv_pending;
	/* writes not yet in the counter clock domain */
	struct tpm_wr cnv_wr;
	struct tpm_wr cnsc_wr;
	/* the period in progress: pin high time, ELS at its start, changes */
	u64 high;
	u32 els_start;
	bool els_changed;
	/* the stop in progress: pin high time */
	u64 stop_high;
	struct tpm_log log;
};

/*
 * What happened to the counter since the last clear, one entry per event,
 * both numbers in clock cycles (TPM_U64_MAX: none): for a period cut
 * short, its length and where in it the counter was last read; for a stop
 * of the counter, its length and the longest time in it without a
 * register access (the model advances its clock at each access). Past
 * TPM_MAX_CUTS entries only a count is kept.
 */
struct tpm_record {
	struct {
		u64 len;
		u64 at;
	} e[TPM_MAX_CUTS];
	u32 n;
	u64 dropped;
};

struct tpm_error {
	u32 code;
	u32 ch;
	u32 a;
	u32 b;
};

struct tpm_core {
	/* configuration */
	u32 rate;
	u32 width;
	u32 mask;
	u32 nch;
	u32 param;
	bool param_raw;
	bool fault_no_latch;
	/*
	 * Wraps at which a buffered CnV waits on, still buffered: a write
	 * that reached the counter just too late for a wrap (the time it
	 * takes to cross clock domains), which software sees as taken one
	 * period later.
	 */
	u32 fault_skip_latch;
	bool latch_skipped;
	/* strictness, see tpm_core_set_strict() */
	bool cmod_ack;
	bool write_latency;
	bool buffer_ignore;
	u32 first_period;

	/* registers */
	u32 regs[TPM_NREGS];
	u32 sc;
	u32 mod;
	u32 mod_buf;
	bool mod_pending;
	struct tpm_chan ch[TPM_MAX_CH];

	/* clock cycles since init, and the write order counter */
	u64 now;
	u64 seq;
	/* CMOD and MOD writes not yet in the counter clock domain */
	struct tpm_wr cmod_wr;
	struct tpm_wr mod_wr;
	/* since the last start or CNT write, no wrap yet (first_period) */
	bool first;

	/* counter position in the current pass, in clock cycles */
	u64 pos;
	/* position where the logged period in progress started */
	u64 start_pos;
	/* length of the stop in progress and its longest access gap, cycles */
	u64 stop_cycles;
	u64 stop_gap;
	/* position of the last CNT read in this period, or TPM_U64_MAX */
	u64 read_pos;

	struct tpm_record cuts;
	struct tpm_record stops;

	/* time of the last evaluation and the fraction of a cycle left */
	u64 last_ns;
	u32 carry;

	struct tpm_error err[TPM_MAX_ERRORS];
	u32 nerr;
	u64 err_total;
};

/* A copy of one channel's log, taken under the lock, printed without it */
struct tpm_log_snap {
	struct tpm_run *runs;	/* TPM_LOG_RUNS entries, filled oldest first */
	u32 len;
	u64 dropped;
	/* the counter is stopped: the stop in progress, as a last line */
	bool stopped;
	u64 stop_cycles;
	u64 stop_high;
};

static inline u64 tpm_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

static inline u32 tpm_ps(const struct tpm_core *c)
{
	return c->sc & TPM_SC_PS;
}

static inline u32 tpm_cmod(const struct tpm_core *c)
{
	return (c->sc & TPM_SC_CMOD) >> TPM_SC_CMOD_SHIFT;
}

static inline bool tpm_counting(const struct tpm_core *c)
{
	return tpm_cmod(c) != 0;
}

static inline u32 tpm_els(const struct tpm_chan *ch)
{
	return (ch->cnsc & TPM_CNSC_ELS) >> TPM_CNSC_ELS_SHIFT;
}

/* ELS selects a PWM output (ELS = 11 is reserved and drives nothing) */
static inline bool tpm_els_on(u32 els)
{
	return els == TPM_ELS_LOW_TRUE || els == TPM_ELS_HIGH_TRUE;
}

static inline u32 tpm_cnt(const struct tpm_core *c)
{
	return (u32)(c->pos >> tpm_ps(c)) & c->mask;
}

/* End of the current counter pass, in cycles from the pass's start */
static inline u64 tpm_pass_end(const struct tpm_core *c)
{
	u64 cnt = c->pos >> tpm_ps(c);
	u64 end = cnt <= c->mod ? (u64)c->mod + 1 : (u64)c->mask + 1;

	return end << tpm_ps(c);
}

/*
 * The pin of a high-true channel is high while CNT < CnV, that is for the
 * first CnV << PS cycles of a pass; always if CnV > MOD.
 */
static inline u64 tpm_threshold(const struct tpm_core *c,
				const struct tpm_chan *ch)
{
	/*
	 * Until the first wrap after a start or a CNT write the output keeps
	 * its initial value: as if CnV were 0 (no pulse; low-true: high),
	 * or, for TPM_FIRST_LOW, low until the match (high-true only; a
	 * low-true output is low until the match anyway).
	 */
	if (c->first && (c->first_period == TPM_FIRST_INACTIVE ||
			 tpm_els(ch) == TPM_ELS_HIGH_TRUE))
		return 0;

	if (ch->cnv > c->mod)
		return TPM_U64_MAX;

	return (u64)ch->cnv << tpm_ps(c);
}

/* Cycles in [@x, @y) of the current pass during which the pin is high */
static inline u64 tpm_seg_high(const struct tpm_core *c,
			       const struct tpm_chan *ch, u64 x, u64 y)
{
	u64 t = tpm_threshold(c, ch);
	u64 h = x < t ? tpm_min(y, t) - x : 0;

	switch (tpm_els(ch)) {
	case TPM_ELS_HIGH_TRUE:
		return h;
	case TPM_ELS_LOW_TRUE:
		return y - x - h;
	default:
		return 0;
	}
}

/* Level of the pin at the current position */
static inline bool tpm_level(const struct tpm_core *c,
			     const struct tpm_chan *ch)
{
	bool below = c->pos < tpm_threshold(c, ch);

	switch (tpm_els(ch)) {
	case TPM_ELS_HIGH_TRUE:
		return below;
	case TPM_ELS_LOW_TRUE:
		return !below;
	default:
		return false;
	}
}

static inline void tpm_error(struct tpm_core *c, u32 code, u32 ch,
			     u32 a, u32 b)
{
	c->err_total++;
	if (c->nerr < TPM_MAX_ERRORS)
		c->err[c->nerr++] = (struct tpm_error){
			.code = code, .ch = ch, .a = a, .b = b,
		};
}

/* Append @count periods to @log, merging with an identical last run */
static inline void tpm_log_add(struct tpm_log *log, u32 kind, u64 period,
			       u64 high, u64 count)
{
	struct tpm_run *run;

	if (!count)
		return;

	if (log->len) {
		run = &log->runs[(log->head + log->len - 1) &
				 (TPM_LOG_RUNS - 1)];
		if (run->kind == kind && run->period == period &&
		    run->high == high) {
			run->count += count;
			return;
		}
	}

	if (log->len == TPM_LOG_RUNS) {
		log->head = (log->head + 1) & (TPM_LOG_RUNS - 1);
		log->len--;
		log->dropped++;
	}

	run = &log->runs[(log->head + log->len) & (TPM_LOG_RUNS - 1)];
	*run = (struct tpm_run){
		.count = count, .period = period, .high = high, .kind = kind,
	};
	log->len++;
}

/* Start accounting a new period at position @start */
static inline void tpm_period_reset(struct tpm_core *c, u64 start)
{
	u32 i;

	c->start_pos = start;
	c->read_pos = TPM_U64_MAX;
	for (i = 0; i < c->nch; i++) {
		c->ch[i].high = 0;
		c->ch[i].els_start = tpm_els(&c->ch[i]);
		c->ch[i].els_changed = false;
	}
}

static inline void tpm_accumulate(struct tpm_core *c, u64 x, u64 y)
{
	u32 i;

	for (i = 0; i < c->nch; i++)
		c->ch[i].high += tpm_seg_high(c, &c->ch[i], x, y);
}

/* The counter wrapped at @end: log the period that ended there */
static inline void tpm_log_wrap(struct tpm_core *c, u64 end)
{
	struct tpm_chan *ch;
	u32 i, kind;

	for (i = 0; i < c->nch; i++) {
		ch = &c->ch[i];
		if (c->start_pos || ch->els_changed)
			kind = TPM_KIND_PART;
		else if (!tpm_els_on(ch->els_start))
			kind = TPM_KIND_OFF;
		else if (c->first)
			kind = TPM_KIND_FIRST;
		else
			kind = TPM_KIND_FULL;
		tpm_log_add(&ch->log, kind, end - c->start_pos, ch->high, 1);
	}
}

static inline void tpm_record_add(struct tpm_record *r, u64 len, u64 at)
{
	if (r->n == TPM_MAX_CUTS) {
		r->dropped++;
		return;
	}
	r->e[r->n].len = len;
	r->e[r->n].at = at;
	r->n++;
}

/* The period in progress is cut short at the current position */
static inline void tpm_log_cut(struct tpm_core *c)
{
	u64 len = c->pos - c->start_pos;
	u32 i;

	if (!len)
		return;

	for (i = 0; i < c->nch; i++)
		tpm_log_add(&c->ch[i].log, TPM_KIND_TRUNC, len,
			    c->ch[i].high, 1);

	tpm_record_add(&c->cuts, len, c->read_pos == TPM_U64_MAX ?
		       TPM_U64_MAX : c->read_pos - c->start_pos);
}

/* Buffered MOD and CnV take effect */
static inline void tpm_latch(struct tpm_core *c)
{
	u32 i;

	if (c->fault_no_latch)
		return;

	if (c->fault_skip_latch) {
		for (i = 0; i < c->nch; i++) {
			if (c->ch[i].cnv_pending) {
				c->fault_skip_latch--;
				c->latch_skipped = true;
				return;
			}
		}
	}

	if (c->mod_pending) {
		c->mod = c->mod_buf;
		c->mod_pending = false;
	}
	for (i = 0; i < c->nch; i++) {
		if (c->ch[i].cnv_pending) {
			c->ch[i].cnv = c->ch[i].cnv_buf;
			c->ch[i].cnv_pending = false;
		}
	}
}

static inline void tpm_advance_counting(struct tpm_core *c, u64 cycles)
{
	u64 end = tpm_pass_end(c);
	u64 left = end - c->pos;
	u64 period, n, h;
	u32 i, kind;

	if (cycles < left) {
		tpm_accumulate(c, c->pos, c->pos + cycles);
		c->pos += cycles;
		return;
	}

	/* first wrap: finish the period in progress, latch */
	tpm_accumulate(c, c->pos, end);
	tpm_log_wrap(c, end);
	cycles -= left;
	c->first = false;
	c->sc |= TPM_SC_TOF;
	tpm_latch(c);
	c->pos = 0;
	tpm_period_reset(c, 0);

	/* a latch skipped at this wrap happens at the next one */
	if (c->latch_skipped) {
		c->latch_skipped = false;
		tpm_advance_counting(c, cycles);
		return;
	}

	/* whole periods with the latched values, all alike */
	period = ((u64)c->mod + 1) << tpm_ps(c);
	n = div64_u64(cycles, period);
	if (n) {
		for (i = 0; i < c->nch; i++) {
			kind = tpm_els_on(tpm_els(&c->ch[i])) ?
			       TPM_KIND_FULL : TPM_KIND_OFF;
			h = tpm_seg_high(c, &c->ch[i], 0, period);
			tpm_log_add(&c->ch[i].log, kind, period, h, n);
		}
		cycles -= n * period;
	}

	tpm_accumulate(c, 0, cycles);
	c->pos = cycles;
}

static inline void tpm_advance_stopped(struct tpm_core *c, u64 cycles)
{
	u32 i;

	c->stop_cycles += cycles;
	if (cycles > c->stop_gap)
		c->stop_gap = cycles;
	for (i = 0; i < c->nch; i++)
		if (tpm_level(c, &c->ch[i]))
			c->ch[i].stop_high += cycles;
}

/* Let @cycles clock cycles pass with no write arriving */
static inline void tpm_run(struct tpm_core *c, u64 cycles)
{
	if (!cycles)
		return;

	if (tpm_counting(c))
		tpm_advance_counting(c, cycles);
	else
		tpm_advance_stopped(c, cycles);
}

/*
 * Set up a stopped counter with all registers 0 at time @now_ns, strict
 * (tpm_core_set_strict(c, true, true, true, TPM_FIRST_INACTIVE)). @runs
 * holds TPM_LOG_RUNS runs for each of the @nch channels. Returns 0, or -1
 * if a parameter is out of range.
 */
static inline int tpm_core_init(struct tpm_core *c, u32 rate, u32 width,
				u32 nch, bool param_raw, u32 param,
				struct tpm_run *runs, u64 now_ns)
{
	u32 i;

	if (!rate || rate > TPM_RATE_MAX || width < TPM_WIDTH_MIN ||
	    width > TPM_WIDTH_MAX || !nch || nch > TPM_MAX_CH)
		return -1;

	memset(c, 0, sizeof(*c));
	c->rate = rate;
	c->width = width;
	c->mask = (u32)((1ULL << width) - 1);
	c->nch = nch;
	c->param = param;
	c->param_raw = param_raw;
	c->last_ns = now_ns;
	c->read_pos = TPM_U64_MAX;
	c->cmod_ack = true;
	c->write_latency = true;
	c->buffer_ignore = true;
	c->first_period = TPM_FIRST_INACTIVE;
	for (i = 0; i < nch; i++)
		c->ch[i].log.runs = runs + (size_t)i * TPM_LOG_RUNS;

	return 0;
}

/*
 * How strict the model is (each true / non-zero is the silicon's way, see
 * INTERFACE.md): @cmod_ack: a CMOD change takes effect and reads back at
 * the second counter clock edge after the write; @write_latency: MOD, CnV
 * and CnSC writes reach the counter clock domain at the next edge;
 * @buffer_ignore: a MOD or CnV write while an earlier one is not yet taken
 * is ignored (and recorded as an error); @first_period: enum tpm_first.
 * Call it before the first register access. Returns -1 if @first_period is
 * out of range.
 */
static inline int tpm_core_set_strict(struct tpm_core *c, bool cmod_ack,
				      bool write_latency, bool buffer_ignore,
				      u32 first_period)
{
	if (first_period > TPM_FIRST_MAX)
		return -1;

	c->cmod_ack = cmod_ack;
	c->write_latency = write_latency;
	c->buffer_ignore = buffer_ignore;
	c->first_period = first_period;

	return 0;
}

/* The counter stops: cut the period in progress, start a stop */
static inline void tpm_stop(struct tpm_core *c)
{
	u32 i;

	tpm_log_cut(c);
	tpm_period_reset(c, c->pos);
	c->stop_cycles = 0;
	c->stop_gap = 0;
	for (i = 0; i < c->nch; i++)
		c->ch[i].stop_high = 0;
}

/* The counter starts: log the stop, start a period at the held count */
static inline void tpm_start(struct tpm_core *c)
{
	u32 i;

	for (i = 0; i < c->nch; i++) {
		if (c->stop_cycles)
			tpm_log_add(&c->ch[i].log, TPM_KIND_STOP,
				    c->stop_cycles, c->ch[i].stop_high, 1);
		c->ch[i].stop_high = 0;
	}
	if (c->stop_cycles)
		tpm_record_add(&c->stops, c->stop_cycles, c->stop_gap);
	c->stop_cycles = 0;
	c->stop_gap = 0;
	c->first = c->first_period != TPM_FIRST_SET;
	tpm_period_reset(c, c->pos);
}

/*
 * Registers as a bootloader left them, set before the first access: SC
 * (TOF ignored), MOD, and each channel's CnSC and CnV, in effect at once
 * and without the write rules (no error recorded). A counting SC starts
 * the counter at CNT 0 as if it had been running: no first period rule.
 */
static inline void tpm_core_preset(struct tpm_core *c, u32 sc, u32 mod,
				   const u32 *cnsc, const u32 *cnv)
{
	u32 i;

	c->mod = mod & c->mask;
	for (i = 0; i < c->nch; i++) {
		c->ch[i].cnsc = cnsc[i] & ~TPM_CNSC_CHF;
		c->ch[i].cnv = cnv[i] & c->mask;
	}
	c->sc = sc & ~TPM_SC_TOF;
	if (tpm_counting(c))
		tpm_start(c);
	c->first = false;
	tpm_period_reset(c, c->pos);
}

/* CMOD changes in the counter clock domain */
static inline void tpm_set_cmod(struct tpm_core *c, u32 cmod)
{
	bool was = tpm_counting(c);

	c->sc = (c->sc & ~TPM_SC_CMOD) | cmod << TPM_SC_CMOD_SHIFT;

	if (was && !tpm_counting(c))
		tpm_stop(c);
	else if (!was && tpm_counting(c))
		tpm_start(c);
}

/* Queue a write to arrive @edges clock edges from now */
static inline void tpm_wr_queue(struct tpm_core *c, struct tpm_wr *w,
				u32 val, u64 edges)
{
	w->on = true;
	w->val = val;
	w->due = c->now + edges;
	w->seq = c->seq++;
}

static inline void tpm_write_sc(struct tpm_core *c, u32 val)
{
	u32 old = c->sc;
	bool was = tpm_counting(c);
	u32 ps_old = old & TPM_SC_PS;
	u32 ps = val & TPM_SC_PS;
	u32 cmod = (val & TPM_SC_CMOD) >> TPM_SC_CMOD_SHIFT;

	/* PS is write-protected while the counter runs (CMOD as in effect) */
	if (was && ps != ps_old) {
		tpm_error(c, TPM_ERR_PS_COUNTING, 0, ps_old, ps);
		ps = ps_old;
	}
	if ((val & TPM_SC_CPWMS) && !(old & TPM_SC_CPWMS))
		tpm_error(c, TPM_ERR_CPWMS, 0, 0, 0);
	if (cmod > 1 && cmod != tpm_cmod(c))
		tpm_error(c, TPM_ERR_CMOD, 0, cmod, 0);

	/* a stopped counter keeps CNT across a prescaler change */
	if (!was && ps != ps_old)
		c->pos = (c->pos >> ps_old) << ps;

	/* TOF is write 1 to clear; CMOD changes below */
	c->sc = (val & ~(TPM_SC_PS | TPM_SC_TOF | TPM_SC_CMOD)) | ps |
		(old & (TPM_SC_TOF & ~val)) | (old & TPM_SC_CMOD);

	if (!c->cmod_ack) {
		tpm_set_cmod(c, cmod);
		return;
	}
	/*
	 * The latest write wins: writing back the CMOD in effect (as a TOF
	 * clear that writes SC back does) cancels a change not yet taken.
	 */
	if (cmod == tpm_cmod(c))
		c->cmod_wr.on = false;
	else if (!c->cmod_wr.on || c->cmod_wr.val != cmod)
		tpm_wr_queue(c, &c->cmod_wr, cmod, 2);
}

static inline void tpm_write_cnsc(struct tpm_core *c, u32 n, u32 val)
{
	struct tpm_chan *ch = &c->ch[n];
	u32 old = tpm_els(ch);
	u32 els;

	/* CHF (write 1 to clear) is not modelled: never set */
	ch->cnsc = val & ~TPM_CNSC_CHF;
	els = tpm_els(ch);

	if (els == TPM_ELS_RESERVED)
		tpm_error(c, TPM_ERR_ELS_RESERVED, n, val, 0);
	else if (els && !(val & TPM_CNSC_MSB))
		tpm_error(c, TPM_ERR_MSB, n, val, 0);

	if (els != old && tpm_counting(c))
		ch->els_changed = true;
}

/*
 * A MOD or CnV value reaches the counter clock domain: while counting it
 * waits in the write buffer for the next wrap, while stopped it is the
 * register's value at once (and replaces a value still buffered).
 */
static inline void tpm_buf_arrive(struct tpm_core *c, u32 *reg, u32 *buf,
				  bool *pending, u32 val)
{
	if (tpm_counting(c)) {
		*buf = val;
		*pending = true;
	} else {
		*reg = val;
		*pending = false;
	}
}

/*
 * A MOD or CnV write from the CPU. With buffer_ignore it is ignored while
 * an earlier write is on its way or, counting, waits for the wrap.
 */
static inline void tpm_buf_write(struct tpm_core *c, u32 code, u32 n,
				 u32 *reg, u32 *buf, bool *pending,
				 struct tpm_wr *w, u32 val)
{
	val &= c->mask;
	if (c->buffer_ignore && (w->on || (*pending && tpm_counting(c)))) {
		tpm_error(c, code, n, val, w->on ? w->val : *buf);
		return;
	}
	if (c->write_latency)
		tpm_wr_queue(c, w, val, 1);
	else
		tpm_buf_arrive(c, reg, buf, pending, val);
}

/* Pending write @i: 0 CMOD, 1 MOD, then CnV and CnSC of each channel */
static inline struct tpm_wr *tpm_wr_at(struct tpm_core *c, u32 i)
{
	if (i == 0)
		return &c->cmod_wr;
	if (i == 1)
		return &c->mod_wr;
	i -= 2;
	return i & 1 ? &c->ch[i / 2].cnsc_wr : &c->ch[i / 2].cnv_wr;
}

/* The pending write that arrives first, or NULL */
static inline struct tpm_wr *tpm_wr_next(struct tpm_core *c, u32 *idx)
{
	struct tpm_wr *best = NULL, *w;
	u32 i;

	for (i = 0; i < 2 + 2 * c->nch; i++) {
		w = tpm_wr_at(c, i);
		if (w->on && (!best || w->due < best->due ||
			      (w->due == best->due && w->seq < best->seq))) {
			best = w;
			*idx = i;
		}
	}

	return best;
}

/* Pending write @i takes effect */
static inline void tpm_wr_arrive(struct tpm_core *c, u32 i)
{
	struct tpm_wr *w = tpm_wr_at(c, i);
	struct tpm_chan *ch;

	w->on = false;
	if (i == 0) {
		tpm_set_cmod(c, w->val);
	} else if (i == 1) {
		tpm_buf_arrive(c, &c->mod, &c->mod_buf, &c->mod_pending,
			       w->val);
	} else if ((i - 2) & 1) {
		tpm_write_cnsc(c, (i - 2) / 2, w->val);
	} else {
		ch = &c->ch[(i - 2) / 2];
		tpm_buf_arrive(c, &ch->cnv, &ch->cnv_buf, &ch->cnv_pending,
			       w->val);
	}
}

/*
 * Let @cycles clock cycles pass. Pending writes arrive at their clock
 * edge, after the counter stepped there (a write due at the edge of a wrap
 * misses that wrap), in the order they were made.
 */
static inline void tpm_core_advance(struct tpm_core *c, u64 cycles)
{
	struct tpm_wr *w;
	u64 step;
	u32 i;

	while ((w = tpm_wr_next(c, &i)) && w->due - c->now <= cycles) {
		step = w->due - c->now;
		tpm_run(c, step);
		c->now += step;
		cycles -= step;
		tpm_wr_arrive(c, i);
	}
	tpm_run(c, cycles);
	c->now += cycles;
}

/* Clock cycles in @ns nanoseconds, carrying the fraction to the next call */
static inline u64 tpm_core_ns_to_cycles(struct tpm_core *c, u64 ns)
{
	u32 rem, frac;
	u64 sec = div_u64_rem(ns, TPM_NS_PER_S, &rem);
	/* below 10^18 + 10^9, no overflow */
	u64 cycles = div_u64_rem((u64)rem * c->rate + c->carry,
				 TPM_NS_PER_S, &frac);

	c->carry = frac;

	return sec * c->rate + cycles;
}

/* Bring the model up to the time @now_ns */
static inline void tpm_core_advance_to(struct tpm_core *c, u64 now_ns)
{
	u64 ns;

	if (now_ns <= c->last_ns)
		return;

	ns = now_ns - c->last_ns;
	c->last_ns = now_ns;
	tpm_core_advance(c, tpm_core_ns_to_cycles(c, ns));
}

/* Write a register; the model must have been advanced to now */
static inline void tpm_core_write(struct tpm_core *c, u32 off, u32 val)
{
	struct tpm_chan *ch;
	u32 n;

	if (off >= TPM_CH_BASE && off < TPM_CNSC(c->nch)) {
		n = (off - TPM_CH_BASE) / TPM_CH_STRIDE;
		ch = &c->ch[n];
		if (off != TPM_CNSC(n))
			tpm_buf_write(c, TPM_ERR_CNV_IGNORED, n, &ch->cnv,
				      &ch->cnv_buf, &ch->cnv_pending,
				      &ch->cnv_wr, val);
		else if (c->write_latency)
			/* a CnSC write not yet taken is replaced */
			tpm_wr_queue(c, &ch->cnsc_wr, val, 1);
		else
			tpm_write_cnsc(c, n, val);
		return;
	}

	switch (off) {
	case TPM_PARAM:
		tpm_error(c, TPM_ERR_PARAM_WRITE, 0, val, 0);
		break;
	case TPM_SC:
		tpm_write_sc(c, val);
		break;
	case TPM_CNT:
		/* any write resets the counter and the outputs */
		if (tpm_counting(c)) {
			tpm_log_cut(c);
			c->pos = 0;
			tpm_period_reset(c, 0);
		} else {
			c->pos = 0;
		}
		c->first = c->first_period != TPM_FIRST_SET;
		break;
	case TPM_MOD:
		tpm_buf_write(c, TPM_ERR_MOD_IGNORED, 0, &c->mod, &c->mod_buf,
			      &c->mod_pending, &c->mod_wr, val);
		break;
	default:
		if (off <= TPM_REG_MAX)
			c->regs[off / 4] = val;
		break;
	}
}

/*
 * Power loss (system suspend): every register reads its reset value, MOD
 * all ones of the counter width, the others 0; writes on their way and
 * buffered values are lost. A running counter stops (its period is cut).
 */
static inline void tpm_core_reset(struct tpm_core *c)
{
	struct tpm_chan *ch;
	u32 i;

	if (tpm_counting(c))
		tpm_stop(c);

	c->sc = 0;
	c->pos = 0;
	c->mod = c->mask;
	c->mod_buf = 0;
	c->mod_pending = false;
	c->cmod_wr.on = false;
	c->mod_wr.on = false;
	c->first = false;
	memset(c->regs, 0, sizeof(c->regs));
	for (i = 0; i < c->nch; i++) {
		ch = &c->ch[i];
		ch->cnsc = 0;
		ch->cnv = 0;
		ch->cnv_buf = 0;
		ch->cnv_pending = false;
		ch->cnv_wr.on = false;
		ch->cnsc_wr.on = false;
	}
	tpm_period_reset(c, 0);
}

/* Read a register; the model must have been advanced to now */
static inline u32 tpm_core_read(const struct tpm_core *c, u32 off)
{
	u32 n;

	if (off >= TPM_CH_BASE && off < TPM_CNSC(c->nch)) {
		n = (off - TPM_CH_BASE) / TPM_CH_STRIDE;
		return off == TPM_CNSC(n) ? c->ch[n].cnsc : c->ch[n].cnv;
	}

	switch (off) {
	case TPM_PARAM:
		return c->param_raw ? c->param : c->nch | c->width << 16;
	case TPM_SC:
		return c->sc;
	case TPM_CNT:
		return tpm_cnt(c);
	case TPM_MOD:
		return c->mod;
	default:
		return off <= TPM_REG_MAX ? c->regs[off / 4] : 0;
	}
}

/*
 * Empty every channel's log. A stop in progress is counted from here on,
 * a period in progress is kept and logged whole.
 */
static inline void tpm_core_clear(struct tpm_core *c)
{
	u32 i;

	for (i = 0; i < c->nch; i++) {
		c->ch[i].log.head = 0;
		c->ch[i].log.len = 0;
		c->ch[i].log.dropped = 0;
		if (!tpm_counting(c))
			c->ch[i].stop_high = 0;
	}
	if (!tpm_counting(c)) {
		c->stop_cycles = 0;
		c->stop_gap = 0;
	}
	c->cuts.n = 0;
	c->cuts.dropped = 0;
	c->stops.n = 0;
	c->stops.dropped = 0;
}

/* Note a register read at the current position (after tpm_core_read) */
static inline void tpm_core_note_read(struct tpm_core *c, u32 off)
{
	if (off == TPM_CNT && tpm_counting(c))
		c->read_pos = c->pos;
}

/* Copy channel @n's log to @s, oldest run first */
static inline void tpm_core_snap_log(const struct tpm_core *c, u32 n,
				     struct tpm_log_snap *s)
{
	const struct tpm_log *log = &c->ch[n].log;
	u32 first = TPM_LOG_RUNS - log->head;
	u32 i;

	/* two pieces of the ring: head .. end, then 0 .. */
	for (i = 0; i < log->len; i++)
		s->runs[i] = log->runs[i < first ? log->head + i : i - first];
	s->len = log->len;
	s->dropped = log->dropped;
	s->stopped = !tpm_counting(c);
	s->stop_cycles = c->stop_cycles;
	s->stop_high = c->ch[n].stop_high;
}

static inline const char *tpm_kind_name(u32 kind)
{
	static const char * const names[] = {
		[TPM_KIND_FULL] = "full",
		[TPM_KIND_PART] = "part",
		[TPM_KIND_TRUNC] = "trunc",
		[TPM_KIND_OFF] = "off",
		[TPM_KIND_STOP] = "stop",
		[TPM_KIND_FIRST] = "first",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "?";
}

/* Buffer size that tpm_core_format_log() needs for @s */
static inline size_t tpm_core_log_size(const struct tpm_log_snap *s)
{
	return ((size_t)s->len + 2) * TPM_LINE_MAX + 1;
}

/* Length of the text after snprintf() returned @ret at @len */
static inline size_t tpm_put(size_t size, size_t len, int ret)
{
	if (ret < 0)
		return len;
	len += ret;
	return len < size ? len : size - 1;
}

/* Print a log snapshot; returns the length of the text in @buf */
static inline size_t tpm_core_format_log(const struct tpm_log_snap *s,
					 char *buf, size_t size)
{
	const struct tpm_run *r;
	size_t len = 0;
	u32 i;

	if (!size)
		return 0;
	buf[0] = '\0';

	if (s->dropped)
		len = tpm_put(size, len,
			      snprintf(buf + len, size - len, "overflow %llu\n",
				       s->dropped));
	for (i = 0; i < s->len; i++) {
		r = &s->runs[i];
		len = tpm_put(size, len,
			      snprintf(buf + len, size - len,
				       "%llu %s %llu %llu\n", r->count,
				       tpm_kind_name(r->kind), r->period,
				       r->high));
	}
	if (s->stopped && s->stop_cycles)
		len = tpm_put(size, len,
			      snprintf(buf + len, size - len,
				       "1 %s %llu %llu\n",
				       tpm_kind_name(TPM_KIND_STOP),
				       s->stop_cycles, s->stop_high));

	return len;
}

/* Buffer size that tpm_core_format_cuts() and _stops() need */
#define TPM_CUTS_SIZE		((TPM_MAX_CUTS + 1) * TPM_LINE_MAX + 1)
#define TPM_STOPS_SIZE		TPM_CUTS_SIZE

/*
 * Print a record, one entry per line: "<len> <at>", "-" for an @at of
 * TPM_U64_MAX; a first line "overflow <n>" if n were not kept
 */
static inline size_t tpm_format_record(const struct tpm_record *r,
				       char *buf, size_t size)
{
	size_t len = 0;
	u32 i;

	if (!size)
		return 0;
	buf[0] = '\0';

	if (r->dropped)
		len = tpm_put(size, len,
			      snprintf(buf + len, size - len, "overflow %llu\n",
				       r->dropped));
	for (i = 0; i < r->n; i++) {
		if (r->e[i].at == TPM_U64_MAX)
			len = tpm_put(size, len,
				      snprintf(buf + len, size - len,
					       "%llu -\n", r->e[i].len));
		else
			len = tpm_put(size, len,
				      snprintf(buf + len, size - len,
					       "%llu %llu\n", r->e[i].len,
					       r->e[i].at));
	}

	return len;
}

/*
 * The periods cut short since the last clear: "<length> <cycles into it of
 * the last CNT read, or ->"
 */
static inline size_t tpm_core_format_cuts(const struct tpm_core *c,
					  char *buf, size_t size)
{
	return tpm_format_record(&c->cuts, buf, size);
}

/*
 * The counter stops that ended since the last clear: "<length> <longest
 * time without a register access>"
 */
static inline size_t tpm_core_format_stops(const struct tpm_core *c,
					   char *buf, size_t size)
{
	return tpm_format_record(&c->stops, buf, size);
}

/* Buffer size that tpm_core_format_errors() needs */
#define TPM_ERRORS_SIZE		((TPM_MAX_ERRORS + 1) * TPM_ERR_LINE_MAX + 1)

static inline int tpm_format_error(const struct tpm_error *e, char *buf,
				   size_t size)
{
	switch (e->code) {
	case TPM_ERR_PS_COUNTING:
		return snprintf(buf, size,
				"SC: PS write %u -> %u while counting, ignored\n",
				e->a, e->b);
	case TPM_ERR_ELS_RESERVED:
		return snprintf(buf, size,
				"C%uSC: ELS = 11 (reserved), write 0x%x\n",
				e->ch, e->a);
	case TPM_ERR_MSB:
		return snprintf(buf, size,
				"C%uSC: ELS set without MSB (not edge-aligned PWM), write 0x%x\n",
				e->ch, e->a);
	case TPM_ERR_CPWMS:
		return snprintf(buf, size,
				"SC: CPWMS = 1 (center-aligned PWM, not modelled)\n");
	case TPM_ERR_CMOD:
		return snprintf(buf, size,
				"SC: CMOD = %u (not modelled, counts every clock)\n",
				e->a);
	case TPM_ERR_PARAM_WRITE:
		return snprintf(buf, size,
				"PARAM: write 0x%x to a read-only register\n",
				e->a);
	case TPM_ERR_MOD_IGNORED:
		return snprintf(buf, size,
				"MOD: write 0x%x ignored, 0x%x not taken yet (one write per period)\n",
				e->a, e->b);
	case TPM_ERR_CNV_IGNORED:
		return snprintf(buf, size,
				"C%uV: write 0x%x ignored, 0x%x not taken yet (one write per period)\n",
				e->ch, e->a, e->b);
	default:
		return snprintf(buf, size, "error %u\n", e->code);
	}
}

/* Print the error list, one line each; returns the length of the text */
static inline size_t tpm_core_format_errors(const struct tpm_core *c,
					    char *buf, size_t size)
{
	size_t len = 0;
	u32 i;

	if (!size)
		return 0;
	buf[0] = '\0';

	for (i = 0; i < c->nerr; i++)
		len = tpm_put(size, len,
			      tpm_format_error(&c->err[i], buf + len,
					       size - len));
	if (c->err_total > c->nerr)
		len = tpm_put(size, len,
			      snprintf(buf + len, size - len,
				       "%llu more errors not shown\n",
				       c->err_total - c->nerr));

	return len;
}

/* The "now" line: CNT, PS, MOD, CMOD */
static inline size_t tpm_core_format_now(const struct tpm_core *c,
					 char *buf, size_t size)
{
	if (!size)
		return 0;

	return tpm_put(size, 0,
		       snprintf(buf, size, "%u %u %u %u\n", tpm_cnt(c),
				tpm_ps(c), c->mod, tpm_cmod(c)));
}

/* Longest "next" line: PS, MOD and TPM_MAX_CH values of CnV */
#define TPM_NEXT_SIZE		((TPM_MAX_CH + 2) * 11 + 2)

/*
 * The "next" line: PS, MOD and each channel's CnV as the next period will
 * have them: a MOD or CnV written while counting and waiting for the wrap,
 * else the value in effect (writes still crossing into the counter clock
 * domain, write_latency, are not counted)
 */
static inline size_t tpm_core_format_next(const struct tpm_core *c,
					  char *buf, size_t size)
{
	size_t len;
	u32 i;

	if (!size)
		return 0;
	len = tpm_put(size, 0, snprintf(buf, size, "%u %u", tpm_ps(c),
					c->mod_pending ? c->mod_buf : c->mod));
	for (i = 0; i < c->nch; i++)
		len = tpm_put(size, len,
			      snprintf(buf + len, size - len, " %u",
				       c->ch[i].cnv_pending ? c->ch[i].cnv_buf :
				       c->ch[i].cnv));
	return tpm_put(size, len, snprintf(buf + len, size - len, "\n"));
}

#endif /* _TPM_MODEL_CORE_H */
