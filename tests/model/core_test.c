// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace test of the TPM model core, tpm-model-core.h.
 *
 * 1. Directed scenarios with logs worked out by hand: steady PWM, buffered
 *    writes latched at the wrap, stop/start, CNT writes, ELS changes,
 *    polarity, prescaler, counter above MOD, fault_no_latch, errors, ring
 *    overflow, clear, and a large time gap with 1 us periods (which must
 *    take constant time).
 * 2. A random comparison against a reference model that steps the counter
 *    one clock cycle at a time (no arithmetic shortcuts), for random
 *    register writes and time steps: every channel's log text, the
 *    registers and the error count must be the same.
 * 3. The nanosecond to cycle conversion, whose fractions are carried from
 *    call to call, against exact 128-bit arithmetic.
 * 4. The strict (silicon-like) behaviours, test_strict_*: one test per
 *    statement of the manual, the SDK or NXP's Linux drivers (INTERFACE.md,
 *    "Strict behaviours"), checked through register reads and pin logs;
 *    and part 2 again with the strict behaviours drawn per sequence.
 *
 * Parts 1 and 2 use the ideal model (env_new()), part 4 the strict one.
 *
 * The final line is "model-core: N passed, M failed", counting test points,
 * one per test function as run from main() ("ok"/"not ok" lines); the line
 * before it counts the checks. The exit status is 1 if a check failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tpm-model-core.h"

#define SC_CMOD1	((u32)BIT(TPM_SC_CMOD_SHIFT))
#define CNSC_HIGH	(TPM_CNSC_MSB | (TPM_ELS_HIGH_TRUE << TPM_CNSC_ELS_SHIFT))
#define CNSC_LOW	(TPM_CNSC_MSB | (TPM_ELS_LOW_TRUE << TPM_CNSC_ELS_SHIFT))

static unsigned long long passed, failed;

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			passed++;					\
		} else {						\
			failed++;					\
			printf("FAIL %s:%d: ", __func__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

/* ------------------------------------------------------------------ */
/* Helpers around the core */

struct env {
	struct tpm_core c;
	struct tpm_run *runs;
	struct tpm_log_snap snap;
	char *text;
	size_t text_size;
};

/*
 * A model with the ideal behaviours of the first version (no clock domain
 * crossing, a later write replaces a buffered one, outputs set at the
 * start): the directed scenarios of part 1 and the reference of part 2
 * are written for it. env_new_strict() makes the silicon-like one.
 */
static struct env *env_new(u32 rate, u32 width, u32 nch)
{
	struct env *e = calloc(1, sizeof(*e));

	e->runs = calloc((size_t)nch * TPM_LOG_RUNS, sizeof(*e->runs));
	e->snap.runs = calloc(TPM_LOG_RUNS, sizeof(*e->snap.runs));
	e->text_size = (TPM_LOG_RUNS + 2) * TPM_LINE_MAX + 1;
	e->text = malloc(e->text_size);
	if (tpm_core_init(&e->c, rate, width, nch, false, 0, e->runs, 0)) {
		printf("core init failed\n");
		exit(2);
	}
	tpm_core_set_strict(&e->c, false, false, false, TPM_FIRST_SET);
	return e;
}

/* The silicon-like model (the module's defaults), @first: first_period */
static struct env *env_new_strict(u32 rate, u32 width, u32 nch, u32 first)
{
	struct env *e = env_new(rate, width, nch);

	if (tpm_core_set_strict(&e->c, true, true, true, first)) {
		printf("bad first_period %u\n", first);
		exit(2);
	}
	return e;
}

static void env_free(struct env *e)
{
	free(e->runs);
	free(e->snap.runs);
	free(e->text);
	free(e);
}

static const char *log_text(struct env *e, u32 ch)
{
	tpm_core_snap_log(&e->c, ch, &e->snap);
	if (tpm_core_log_size(&e->snap) > e->text_size) {
		printf("text buffer too small\n");
		exit(2);
	}
	tpm_core_format_log(&e->snap, e->text, e->text_size);
	return e->text;
}

static void wr(struct env *e, u32 off, u32 val)
{
	tpm_core_write(&e->c, off, val);
}

static u32 rd(struct env *e, u32 off)
{
	return tpm_core_read(&e->c, off);
}

static void adv(struct env *e, u64 cycles)
{
	tpm_core_advance(&e->c, cycles);
}

static void check_log(struct env *e, u32 ch, const char *expect,
		      const char *func, int line)
{
	const char *t = log_text(e, ch);

	if (!strcmp(t, expect)) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s:%d: ch%u log:\n%s--- expected:\n%s", func, line, ch, t,
	       expect);
}

#define CHECK_LOG(e, ch, expect) check_log(e, ch, expect, __func__, __LINE__)

/* Start the counter like the driver does: PS, MOD, CnV, CNT, CnSC, CMOD */
static void start_pwm(struct env *e, u32 ch, u32 ps, u32 mod, u32 cnv,
		      u32 cnsc)
{
	wr(e, TPM_SC, 0);
	wr(e, TPM_SC, ps);
	wr(e, TPM_MOD, mod);
	wr(e, TPM_CNV(ch), cnv);
	wr(e, TPM_CNT, 0);
	wr(e, TPM_CNSC(ch), cnsc);
	wr(e, TPM_SC, ps | SC_CMOD1);
}

/* ------------------------------------------------------------------ */
/* Directed scenarios */

static void test_steady(void)
{
	struct env *e = env_new(24000000, 16, 2);

	CHECK(rd(e, TPM_PARAM) == (2 | 16 << 16), "PARAM 0x%x",
	      rd(e, TPM_PARAM));
	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	CHECK_LOG(e, 0, "");
	CHECK(!(rd(e, TPM_SC) & TPM_SC_TOF), "TOF before the first wrap");
	adv(e, 100 * 1000 + 30);
	CHECK_LOG(e, 0, "1000 full 100 25\n");
	/* channel 1 is off */
	CHECK_LOG(e, 1, "1000 off 100 0\n");
	CHECK(rd(e, TPM_CNT) == 30, "CNT %u", rd(e, TPM_CNT));
	CHECK(rd(e, TPM_SC) & TPM_SC_TOF, "TOF after a wrap");
	/* TOF is write 1 to clear, other bits kept */
	wr(e, TPM_SC, rd(e, TPM_SC));
	CHECK(rd(e, TPM_SC) == SC_CMOD1, "SC 0x%x after TOF clear",
	      rd(e, TPM_SC));
	wr(e, TPM_SC, SC_CMOD1);
	adv(e, 70);
	CHECK_LOG(e, 0, "1001 full 100 25\n");
	CHECK(rd(e, TPM_SC) & TPM_SC_TOF, "TOF set again");
	tpm_core_format_now(&e->c, e->text, e->text_size);
	CHECK(!strcmp(e->text, "0 0 99 1\n"), "now: %s", e->text);
	CHECK(e->c.err_total == 0, "errors %llu", e->c.err_total);
	env_free(e);
}

static void test_buffered(void)
{
	struct env *e = env_new(24000000, 16, 1);

	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	adv(e, 100 * 10 + 40);
	wr(e, TPM_MOD, 199);
	wr(e, TPM_CNV(0), 50);
	/* "next" has the buffered values */
	tpm_core_format_next(&e->c, e->text, e->text_size);
	CHECK(!strcmp(e->text, "0 199 50\n"), "next: %s", e->text);
	/* reads return the value in effect */
	CHECK(rd(e, TPM_MOD) == 99, "MOD %u before the wrap", rd(e, TPM_MOD));
	CHECK(rd(e, TPM_CNV(0)) == 25, "CnV %u before the wrap",
	      rd(e, TPM_CNV(0)));
	adv(e, 59);
	CHECK(rd(e, TPM_MOD) == 99, "MOD %u just before the wrap",
	      rd(e, TPM_MOD));
	adv(e, 1);
	CHECK(rd(e, TPM_MOD) == 199, "MOD %u after the wrap", rd(e, TPM_MOD));
	CHECK(rd(e, TPM_CNV(0)) == 50, "CnV %u after the wrap",
	      rd(e, TPM_CNV(0)));
	/* in effect, nothing buffered: "next" has them too */
	wr(e, TPM_CNV(0), 50);
	adv(e, 200);
	tpm_core_format_next(&e->c, e->text, e->text_size);
	CHECK(!strcmp(e->text, "0 199 50\n"), "next after the wrap: %s",
	      e->text);
	adv(e, 200 * 4);
	CHECK_LOG(e, 0, "11 full 100 25\n5 full 200 50\n");

	/* MOD and CnV written in different periods: one mixed period */
	adv(e, 150);
	wr(e, TPM_MOD, 49);
	adv(e, 60);
	wr(e, TPM_CNV(0), 10);
	adv(e, 40 + 50 * 3);
	CHECK_LOG(e, 0,
		  "11 full 100 25\n6 full 200 50\n1 full 50 50\n3 full 50 10\n");

	/* many wraps in one step latch at the first */
	wr(e, TPM_MOD, 9);
	adv(e, 50 + 10 * 500);
	CHECK_LOG(e, 0,
		  "11 full 100 25\n6 full 200 50\n1 full 50 50\n4 full 50 10\n"
		  "500 full 10 10\n");
	env_free(e);
}

static void test_stop_start(void)
{
	struct env *e = env_new(24000000, 16, 2);

	wr(e, TPM_CNV(1), 25);
	wr(e, TPM_CNSC(1), CNSC_LOW);
	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	adv(e, 100 * 3 + 40);
	wr(e, TPM_SC, 0);
	/* held at CNT 40 >= CnV 25: ch0 low, ch1 (low-true) high */
	adv(e, 1000);
	CHECK(rd(e, TPM_CNT) == 40, "CNT %u held", rd(e, TPM_CNT));
	CHECK_LOG(e, 0, "3 full 100 25\n1 trunc 40 25\n1 stop 1000 0\n");
	CHECK_LOG(e, 1, "3 full 100 75\n1 trunc 40 15\n1 stop 1000 1000\n");
	/* restart continues from the held count: a partial period first */
	wr(e, TPM_SC, SC_CMOD1);
	adv(e, 60 + 100 * 2);
	CHECK_LOG(e, 0,
		  "3 full 100 25\n1 trunc 40 25\n1 stop 1000 0\n"
		  "1 part 60 0\n2 full 100 25\n");
	CHECK_LOG(e, 1,
		  "3 full 100 75\n1 trunc 40 15\n1 stop 1000 1000\n"
		  "1 part 60 60\n2 full 100 75\n");

	/* stop while high, CNT written while stopped: restart at 0 */
	tpm_core_clear(&e->c);
	adv(e, 10);
	wr(e, TPM_SC, 0);
	adv(e, 500);
	wr(e, TPM_CNT, 1234);
	CHECK(rd(e, TPM_CNT) == 0, "CNT %u after write", rd(e, TPM_CNT));
	adv(e, 500);
	wr(e, TPM_SC, SC_CMOD1);
	adv(e, 100);
	CHECK_LOG(e, 0,
		  "1 trunc 10 10\n1 stop 1000 1000\n1 full 100 25\n");

	/* a stop exactly at the wrap leaves no truncated period */
	wr(e, TPM_SC, 0);
	adv(e, 7);
	wr(e, TPM_SC, SC_CMOD1);
	adv(e, 100);
	CHECK_LOG(e, 0,
		  "1 trunc 10 10\n1 stop 1000 1000\n1 full 100 25\n"
		  "1 stop 7 7\n1 full 100 25\n");
	env_free(e);
}

/*
 * The cut record: the length of each period cut short and how far into it
 * CNT was last read (as the module notes every read)
 */
static void test_cuts(void)
{
	struct env *e = env_new(24000000, 16, 1);
	char buf[TPM_CUTS_SIZE];
	u32 i;

	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	tpm_core_clear(&e->c);
	/* a read in an earlier period does not count */
	adv(e, 30);
	rd(e, TPM_CNT);
	tpm_core_note_read(&e->c, TPM_CNT);
	adv(e, 70 + 12);
	rd(e, TPM_CNT);
	tpm_core_note_read(&e->c, TPM_CNT);
	/* other registers do not count either */
	adv(e, 5);
	rd(e, TPM_SC);
	tpm_core_note_read(&e->c, TPM_SC);
	adv(e, 40);
	wr(e, TPM_SC, 0);
	adv(e, 3);
	wr(e, TPM_SC, SC_CMOD1);
	/* cut by a CNT write without a read in that period */
	adv(e, 20);
	wr(e, TPM_CNT, 0);
	adv(e, 100);
	tpm_core_format_cuts(&e->c, buf, sizeof(buf));
	CHECK(!strcmp(buf, "57 12\n20 -\n"), "cuts \"%s\"", buf);
	/* a stopped counter does not count reads */
	wr(e, TPM_SC, 0);
	rd(e, TPM_CNT);
	tpm_core_note_read(&e->c, TPM_CNT);
	wr(e, TPM_SC, SC_CMOD1);
	adv(e, 10);
	wr(e, TPM_SC, 0);
	wr(e, TPM_SC, SC_CMOD1);
	tpm_core_format_cuts(&e->c, buf, sizeof(buf));
	CHECK(!strcmp(buf, "57 12\n20 -\n10 -\n"), "cuts \"%s\"", buf);
	/* clear empties it; past TPM_MAX_CUTS only a count is kept */
	tpm_core_clear(&e->c);
	tpm_core_format_cuts(&e->c, buf, sizeof(buf));
	CHECK(!strcmp(buf, ""), "cuts after clear \"%s\"", buf);
	for (i = 0; i < TPM_MAX_CUTS + 3; i++) {
		adv(e, 1 + i % 50);
		wr(e, TPM_CNT, 0);
	}
	tpm_core_format_cuts(&e->c, buf, sizeof(buf));
	CHECK(!strncmp(buf, "overflow 3\n1 -\n2 -\n3 -\n", 23), "cuts overflow");
	CHECK(strlen(buf) < sizeof(buf) - 1, "cuts text fits");
	env_free(e);
}

/*
 * The stop record: the length of each stop of the counter and the longest
 * time in it between two register accesses (a held-up CPU shows as one
 * long gap, a driver that keeps the counter stopped as many)
 */
static void test_stops(void)
{
	struct env *e = env_new(24000000, 16, 1);
	char buf[TPM_STOPS_SIZE];
	u32 i;

	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	adv(e, 30);
	tpm_core_clear(&e->c);
	/* accesses 10, 50 and 7 cycles apart: 67 cycles, longest gap 50 */
	wr(e, TPM_SC, 0);
	adv(e, 10);
	rd(e, TPM_SC);
	adv(e, 50);
	rd(e, TPM_SC);
	adv(e, 7);
	wr(e, TPM_SC, SC_CMOD1);
	adv(e, 100);
	tpm_core_format_stops(&e->c, buf, sizeof(buf));
	CHECK(!strcmp(buf, "67 50\n"), "stops \"%s\"", buf);
	/* a stop in progress is not listed; a clear in it restarts it */
	wr(e, TPM_SC, 0);
	adv(e, 40);
	tpm_core_format_stops(&e->c, buf, sizeof(buf));
	CHECK(!strcmp(buf, "67 50\n"), "stop in progress \"%s\"", buf);
	tpm_core_clear(&e->c);
	adv(e, 5);
	rd(e, TPM_SC);
	adv(e, 6);
	wr(e, TPM_SC, SC_CMOD1);
	tpm_core_format_stops(&e->c, buf, sizeof(buf));
	CHECK(!strcmp(buf, "11 6\n"), "stop after a clear \"%s\"", buf);
	/* past TPM_MAX_CUTS only a count is kept */
	tpm_core_clear(&e->c);
	for (i = 0; i < TPM_MAX_CUTS + 2; i++) {
		wr(e, TPM_SC, 0);
		adv(e, 1 + i % 3);
		wr(e, TPM_SC, SC_CMOD1);
		adv(e, 3);
	}
	tpm_core_format_stops(&e->c, buf, sizeof(buf));
	CHECK(!strncmp(buf, "overflow 2\n1 1\n2 2\n3 3\n1 1\n", 27),
	      "stops overflow \"%.40s\"", buf);
	CHECK(strlen(buf) < sizeof(buf) - 1, "stops text fits");
	env_free(e);
}

static void test_cnt_reset(void)
{
	struct env *e = env_new(24000000, 16, 1);

	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	adv(e, 100 * 2 + 70);
	wr(e, TPM_CNT, 0);
	adv(e, 100 * 2 + 10);
	wr(e, TPM_CNT, 5);
	adv(e, 100);
	CHECK_LOG(e, 0,
		  "2 full 100 25\n1 trunc 70 25\n2 full 100 25\n"
		  "1 trunc 10 10\n1 full 100 25\n");
	env_free(e);
}

static void test_els(void)
{
	struct env *e = env_new(24000000, 16, 2);

	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	wr(e, TPM_CNV(1), 50);
	adv(e, 100 + 30);
	/* enable ch1 mid-period, high-true, CNT 30 < 50: high 20 more */
	wr(e, TPM_CNSC(1), CNSC_HIGH);
	adv(e, 70 + 100);
	CHECK_LOG(e, 1, "1 off 100 0\n1 part 100 20\n1 full 100 50\n");
	/* disable mid-period */
	adv(e, 10);
	wr(e, TPM_CNSC(1), 0);
	adv(e, 90 + 100);
	CHECK_LOG(e, 1,
		  "1 off 100 0\n1 part 100 20\n1 full 100 50\n"
		  "1 part 100 10\n1 off 100 0\n");
	/* writing the same ELS is no change */
	adv(e, 10);
	wr(e, TPM_CNSC(0), CNSC_HIGH);
	adv(e, 90);
	CHECK_LOG(e, 0, "6 full 100 25\n");
	/* polarity flip mid-period: part */
	adv(e, 50);
	wr(e, TPM_CNSC(0), CNSC_LOW);
	adv(e, 50 + 100);
	CHECK_LOG(e, 0, "6 full 100 25\n1 part 100 75\n1 full 100 75\n");
	/* ELS changed and changed back: still part */
	adv(e, 10);
	wr(e, TPM_CNSC(0), 0);
	wr(e, TPM_CNSC(0), CNSC_LOW);
	adv(e, 90);
	CHECK_LOG(e, 0,
		  "6 full 100 25\n1 part 100 75\n1 full 100 75\n"
		  "1 part 100 75\n");
	CHECK(e->c.err_total == 0, "errors %llu", e->c.err_total);
	env_free(e);
}

static void test_duty_edges(void)
{
	struct env *e = env_new(24000000, 16, 4);

	start_pwm(e, 0, 0, 99, 0, CNSC_HIGH);
	wr(e, TPM_SC, 0);
	wr(e, TPM_CNV(1), 100);
	wr(e, TPM_CNSC(1), CNSC_HIGH);
	wr(e, TPM_CNV(2), 0);
	wr(e, TPM_CNSC(2), CNSC_LOW);
	wr(e, TPM_CNV(3), 99);
	wr(e, TPM_CNSC(3), CNSC_HIGH);
	wr(e, TPM_SC, SC_CMOD1);
	adv(e, 100 * 4);
	/* 0 %, CnV > MOD is 100 %, low-true 0 is 100 %, CnV = MOD */
	CHECK_LOG(e, 0, "4 full 100 0\n");
	CHECK_LOG(e, 1, "4 full 100 100\n");
	CHECK_LOG(e, 2, "4 full 100 100\n");
	CHECK_LOG(e, 3, "4 full 100 99\n");
	env_free(e);
}

static void test_prescaler(void)
{
	struct env *e = env_new(24000000, 16, 1);

	start_pwm(e, 0, 3, 99, 25, CNSC_HIGH);
	adv(e, 800 * 2 + 13);
	CHECK(rd(e, TPM_CNT) == 1, "CNT %u at PS 3", rd(e, TPM_CNT));
	CHECK_LOG(e, 0, "2 full 800 200\n");
	/* PS is write-protected while counting */
	wr(e, TPM_SC, 5 | SC_CMOD1);
	CHECK((rd(e, TPM_SC) & TPM_SC_PS) == 3, "PS %u",
	      rd(e, TPM_SC) & TPM_SC_PS);
	CHECK(e->c.err_total == 1, "errors %llu", e->c.err_total);
	tpm_core_format_errors(&e->c, e->text, e->text_size);
	CHECK(!strcmp(e->text,
		      "SC: PS write 3 -> 5 while counting, ignored\n"),
	      "errors: %s", e->text);
	/* stopped, PS changes keep CNT */
	wr(e, TPM_SC, 3);
	wr(e, TPM_SC, 1);
	CHECK(rd(e, TPM_CNT) == 1, "CNT %u after PS change", rd(e, TPM_CNT));
	wr(e, TPM_SC, 1 | SC_CMOD1);
	adv(e, 2 * 99 + 200 * 2);
	CHECK_LOG(e, 0,
		  "2 full 800 200\n1 trunc 13 13\n1 part 198 48\n"
		  "2 full 200 50\n");
	CHECK(e->c.err_total == 1, "errors %llu", e->c.err_total);
	env_free(e);
}

static void test_cnt_above_mod(void)
{
	struct env *e = env_new(24000000, 8, 1);

	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	adv(e, 80);
	wr(e, TPM_SC, 0);
	wr(e, TPM_MOD, 49);
	wr(e, TPM_SC, SC_CMOD1);
	/* counts 80 .. 255 then wraps to 0 */
	adv(e, 176 + 50);
	CHECK_LOG(e, 0, "1 trunc 80 25\n1 part 176 0\n1 full 50 25\n");
	env_free(e);
}

static void test_no_latch(void)
{
	struct env *e = env_new(24000000, 16, 1);

	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	e->c.fault_no_latch = true;
	wr(e, TPM_MOD, 49);
	wr(e, TPM_CNV(0), 10);
	adv(e, 100 * 5);
	CHECK(rd(e, TPM_MOD) == 99, "MOD %u latched", rd(e, TPM_MOD));
	CHECK_LOG(e, 0, "5 full 100 25\n");
	/* writes while stopped are immediate even so */
	wr(e, TPM_SC, 0);
	wr(e, TPM_MOD, 49);
	CHECK(rd(e, TPM_MOD) == 49, "MOD %u while stopped", rd(e, TPM_MOD));
	/* the fault gone, a buffered value latches at the next wrap */
	e->c.fault_no_latch = false;
	wr(e, TPM_SC, SC_CMOD1);
	wr(e, TPM_CNV(0), 5);
	adv(e, 50 * 2);
	CHECK(rd(e, TPM_CNV(0)) == 5, "CnV %u", rd(e, TPM_CNV(0)));
	CHECK_LOG(e, 0, "5 full 100 25\n1 full 50 25\n1 full 50 5\n");
	env_free(e);
}

static void test_errors_param(void)
{
	struct env *e = env_new(24000000, 32, 8);
	struct tpm_run *runs = calloc(TPM_LOG_RUNS, sizeof(*runs));
	struct tpm_core raw;
	int i;

	CHECK(rd(e, TPM_PARAM) == (8 | 32 << 16), "PARAM 0x%x",
	      rd(e, TPM_PARAM));
	wr(e, TPM_PARAM, 1);
	CHECK(rd(e, TPM_PARAM) == (8 | 32 << 16), "PARAM written");
	wr(e, TPM_CNSC(2), TPM_CNSC_MSB | TPM_CNSC_ELS);
	wr(e, TPM_CNSC(3), TPM_ELS_HIGH_TRUE << TPM_CNSC_ELS_SHIFT);
	wr(e, TPM_SC, TPM_SC_CPWMS);
	wr(e, TPM_SC, TPM_SC_CPWMS | 2 << TPM_SC_CMOD_SHIFT);
	tpm_core_format_errors(&e->c, e->text, e->text_size);
	CHECK(!strcmp(e->text,
		      "PARAM: write 0x1 to a read-only register\n"
		      "C2SC: ELS = 11 (reserved), write 0x2c\n"
		      "C3SC: ELS set without MSB (not edge-aligned PWM), write 0x8\n"
		      "SC: CPWMS = 1 (center-aligned PWM, not modelled)\n"
		      "SC: CMOD = 2 (not modelled, counts every clock)\n"),
	      "errors:\n%s", e->text);
	for (i = 0; i < TPM_MAX_ERRORS + 5; i++)
		wr(e, TPM_PARAM, i);
	tpm_core_format_errors(&e->c, e->text, e->text_size);
	CHECK(strstr(e->text, "\n10 more errors not shown\n"),
	      "errors tail:\n%s", e->text);

	/* plain storage, and a 32-bit counter */
	wr(e, 0x70, 0xdeadbeef);
	CHECK(rd(e, 0x70) == 0xdeadbeef, "TRIG storage");
	wr(e, TPM_SC, 0);
	wr(e, TPM_MOD, 0xffffffff);
	wr(e, TPM_CNV(0), 0xffffffff);
	wr(e, TPM_CNT, 0);
	wr(e, TPM_CNSC(0), CNSC_HIGH);
	wr(e, TPM_SC, 7 | SC_CMOD1);
	adv(e, (1ULL << 39) * 3 + 128 * 5);
	CHECK(rd(e, TPM_CNT) == 5, "CNT %u", rd(e, TPM_CNT));
	CHECK_LOG(e, 0, "3 full 549755813888 549755813760\n");

	if (tpm_core_init(&raw, 1000, 16, 2, true, 0x00210009, runs, 0) ||
	    tpm_core_read(&raw, TPM_PARAM) != 0x00210009)
		CHECK(0, "raw PARAM");
	else
		CHECK(1, "raw PARAM");
	CHECK(tpm_core_init(&raw, 1000, 7, 2, false, 0, runs, 0) &&
	      tpm_core_init(&raw, 1000, 33, 2, false, 0, runs, 0) &&
	      tpm_core_init(&raw, 0, 16, 2, false, 0, runs, 0) &&
	      tpm_core_init(&raw, 1000, 16, 9, false, 0, runs, 0) &&
	      tpm_core_init(&raw, 1000, 16, 0, false, 0, runs, 0),
	      "init accepts a bad parameter");
	free(runs);
	env_free(e);
}

static void test_overflow_clear(void)
{
	struct env *e = env_new(24000000, 16, 1);
	const char *t;
	int i;

	start_pwm(e, 0, 0, 65535, 25, CNSC_HIGH);
	/* every run differs: truncated periods of 100, 101, ... cycles */
	for (i = 0; i < TPM_LOG_RUNS + 10; i++) {
		adv(e, 100 + i);
		wr(e, TPM_CNT, 0);
	}
	t = log_text(e, 0);
	CHECK(!strncmp(t, "overflow 10\n1 trunc 110 25\n", 27),
	      "overflow head: %.60s", t);
	CHECK(e->snap.len == TPM_LOG_RUNS, "len %u", e->snap.len);
	CHECK(strstr(t, "\n1 trunc 4205 25\n") &&
	      t[strlen(t) - 1] == '\n', "overflow tail");
	tpm_core_clear(&e->c);
	CHECK_LOG(e, 0, "");
	start_pwm(e, 0, 0, 999, 25, CNSC_HIGH);
	tpm_core_clear(&e->c);
	/* a period in progress is logged whole after a clear */
	adv(e, 500);
	tpm_core_clear(&e->c);
	adv(e, 500);
	CHECK_LOG(e, 0, "1 full 1000 25\n");
	/* a stop in progress counts from the clear */
	adv(e, 100);
	wr(e, TPM_SC, 0);
	adv(e, 300);
	tpm_core_clear(&e->c);
	adv(e, 200);
	CHECK_LOG(e, 0, "1 stop 200 0\n");
	wr(e, TPM_SC, SC_CMOD1);
	CHECK_LOG(e, 0, "1 stop 200 0\n");
	env_free(e);
}

/* 1 us periods, accesses a second apart, for a long time: constant cost */
static void test_large_gaps(void)
{
	struct env *e = env_new(24000000, 16, 8);
	u64 now = 0, cycles, n;
	clock_t t0, t1;
	char expect[128];
	int i;

	for (i = 0; i < 8; i++)
		wr(e, TPM_CNSC(i), CNSC_HIGH);
	start_pwm(e, 0, 0, 23, 12, CNSC_HIGH);
	t0 = clock();
	for (i = 0; i < 100000; i++) {
		now += 1000000000ULL + 7;
		tpm_core_advance_to(&e->c, now);
		rd(e, TPM_CNT);
	}
	t1 = clock();
	/* 100000 s of 1 us periods: 10^11 periods */
	cycles = now / 1000000000ULL * 24000000ULL +
		 (now % 1000000000ULL) * 24 / 1000;
	n = cycles / 24;
	snprintf(expect, sizeof(expect), "%llu full 24 12\n", n);
	CHECK_LOG(e, 0, expect);
	CHECK(rd(e, TPM_CNT) == cycles % 24, "CNT %u", rd(e, TPM_CNT));
	CHECK((double)(t1 - t0) / CLOCKS_PER_SEC < 2.0,
	      "100000 accesses took %.2f s", (double)(t1 - t0) / CLOCKS_PER_SEC);
	env_free(e);
}

/* ------------------------------------------------------------------ */
/*
 * Strict behaviours, from the statements of the manual, the SDK and NXP's
 * Linux drivers (INTERFACE.md, "Strict behaviours"), checked through
 * register reads and the pin logs only. Time is stepped in counter clock
 * cycles from a write made on a clock edge, so "one cycle after the write"
 * is adv(e, 1).
 */

#define SC_CMOD(v)	(((v) & TPM_SC_CMOD) >> TPM_SC_CMOD_SHIFT)

/* start_pwm(), then the two cycles the start takes to be acknowledged */
static void start_strict(struct env *e, u32 ch, u32 ps, u32 mod, u32 cnv,
			 u32 cnsc)
{
	start_pwm(e, ch, ps, mod, cnv, cnsc);
	adv(e, 2);
}

/*
 * KL25 RM 31.4.1: disabling the counter "must be acknowledged by the TPM
 * counter clock domain before they read as zero"; until then it counts.
 */
static void test_strict_cmod0_reads_1_until_acknowledged(void)
{
	struct env *e = env_new_strict(24000000, 16, 1, TPM_FIRST_SET);

	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	CHECK(SC_CMOD(rd(e, TPM_SC)) == 1, "CMOD %u after the start ack",
	      SC_CMOD(rd(e, TPM_SC)));
	adv(e, 100 * 3 + 10);
	wr(e, TPM_SC, 0);
	CHECK(SC_CMOD(rd(e, TPM_SC)) == 1, "CMOD %u right after the write",
	      SC_CMOD(rd(e, TPM_SC)));
	adv(e, 1);
	CHECK(SC_CMOD(rd(e, TPM_SC)) == 1 && rd(e, TPM_CNT) == 11,
	      "1 cycle after CMOD=0: CMOD %u CNT %u (still counting)",
	      SC_CMOD(rd(e, TPM_SC)), rd(e, TPM_CNT));
	adv(e, 1);
	CHECK(SC_CMOD(rd(e, TPM_SC)) == 0 && rd(e, TPM_CNT) == 12,
	      "2 cycles after CMOD=0: CMOD %u CNT %u", SC_CMOD(rd(e, TPM_SC)),
	      rd(e, TPM_CNT));
	adv(e, 50);
	CHECK(rd(e, TPM_CNT) == 12, "CNT %u held", rd(e, TPM_CNT));
	CHECK_LOG(e, 0, "1 stop 2 1\n3 full 100 25\n1 trunc 12 12\n"
		  "1 stop 50 50\n");
	env_free(e);
}

/* the same synchroniser for a start: no count before it is acknowledged */
static void test_strict_cmod1_counts_only_after_acknowledge(void)
{
	struct env *e = env_new_strict(24000000, 16, 1, TPM_FIRST_SET);

	start_pwm(e, 0, 0, 99, 25, CNSC_HIGH);
	CHECK(SC_CMOD(rd(e, TPM_SC)) == 0, "CMOD %u at the write",
	      SC_CMOD(rd(e, TPM_SC)));
	adv(e, 1);
	CHECK(SC_CMOD(rd(e, TPM_SC)) == 0 && rd(e, TPM_CNT) == 0,
	      "1 cycle after CMOD=1: CMOD %u CNT %u", SC_CMOD(rd(e, TPM_SC)),
	      rd(e, TPM_CNT));
	adv(e, 1);
	CHECK(SC_CMOD(rd(e, TPM_SC)) == 1 && rd(e, TPM_CNT) == 0,
	      "2 cycles after CMOD=1: CMOD %u CNT %u", SC_CMOD(rd(e, TPM_SC)),
	      rd(e, TPM_CNT));
	adv(e, 5);
	CHECK(rd(e, TPM_CNT) == 5, "CNT %u", rd(e, TPM_CNT));
	env_free(e);
}

/*
 * PS "is write protected while the counter runs": a PS write right after
 * the stop, before its acknowledge (the SDK's TPM_StopTimer waits "till
 * this reads as zero"), is ignored.
 */
static void test_strict_ps_write_before_stop_ack_is_ignored(void)
{
	struct env *e = env_new_strict(24000000, 16, 1, TPM_FIRST_SET);

	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	adv(e, 40);
	wr(e, TPM_SC, 0);
	wr(e, TPM_SC, 3);
	CHECK((rd(e, TPM_SC) & TPM_SC_PS) == 0, "PS %u",
	      rd(e, TPM_SC) & TPM_SC_PS);
	tpm_core_format_errors(&e->c, e->text, e->text_size);
	CHECK(!strcmp(e->text, "SC: PS write 0 -> 3 while counting, ignored\n"),
	      "errors: %s", e->text);
	adv(e, 2);
	wr(e, TPM_SC, 3);
	CHECK((rd(e, TPM_SC) & TPM_SC_PS) == 3 && e->c.err_total == 1,
	      "PS %u, %llu errors after the ack", rd(e, TPM_SC) & TPM_SC_PS,
	      e->c.err_total);
	env_free(e);
}

/*
 * Model choice (not the manual's words): the latest SC write wins, so
 * writing SC back to clear TOF before the stop is acknowledged (it reads
 * CMOD = 1) cancels the stop.
 */
static void test_strict_sc_writeback_cancels_pending_stop(void)
{
	struct env *e = env_new_strict(24000000, 16, 1, TPM_FIRST_SET);

	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	adv(e, 150);
	wr(e, TPM_SC, 0);
	wr(e, TPM_SC, rd(e, TPM_SC));
	adv(e, 10);
	CHECK(SC_CMOD(rd(e, TPM_SC)) == 1 && rd(e, TPM_CNT) == 60,
	      "CMOD %u CNT %u", SC_CMOD(rd(e, TPM_SC)), rd(e, TPM_CNT));
	CHECK(!(rd(e, TPM_SC) & TPM_SC_TOF), "TOF cleared");
	env_free(e);
}

/*
 * Linux commit 3d5c2f8e75a5 (clocksource/drivers/imx-tpm): "Additional
 * writes to the CnV write buffer are ignored until the register has been
 * updated." In EPWM mode the update is at the wrap (KL02 RM 27.4.8.2).
 */
static void test_strict_second_cnv_write_before_update_is_ignored(void)
{
	struct env *e = env_new_strict(24000000, 16, 1, TPM_FIRST_SET);

	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	adv(e, 10);
	wr(e, TPM_CNV(0), 50);
	/* in flight (same cycle) */
	wr(e, TPM_CNV(0), 70);
	adv(e, 5);
	/* buffered, waiting for the wrap */
	wr(e, TPM_CNV(0), 60);
	adv(e, 85);
	CHECK(rd(e, TPM_CNV(0)) == 50, "CnV %u after the wrap (50 expected)",
	      rd(e, TPM_CNV(0)));
	tpm_core_format_errors(&e->c, e->text, e->text_size);
	CHECK(!strcmp(e->text,
		      "C0V: write 0x46 ignored, 0x32 not taken yet (one write per period)\n"
		      "C0V: write 0x3c ignored, 0x32 not taken yet (one write per period)\n"),
	      "errors:\n%s", e->text);
	/* updated: the buffer takes a write again */
	wr(e, TPM_CNV(0), 60);
	adv(e, 200);
	CHECK(rd(e, TPM_CNV(0)) == 60, "CnV %u", rd(e, TPM_CNV(0)));
	CHECK(e->c.err_total == 2, "errors %llu", e->c.err_total);
	CHECK_LOG(e, 0, "1 stop 2 1\n1 full 100 25\n1 full 100 50\n"
		  "1 full 100 60\n");
	env_free(e);
}

/* the same for MOD, which is updated from its write buffer alike */
static void test_strict_second_mod_write_before_update_is_ignored(void)
{
	struct env *e = env_new_strict(24000000, 16, 1, TPM_FIRST_SET);

	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	adv(e, 10);
	wr(e, TPM_MOD, 49);
	adv(e, 1);
	wr(e, TPM_MOD, 199);
	adv(e, 89);
	CHECK(rd(e, TPM_MOD) == 49, "MOD %u after the wrap (49 expected)",
	      rd(e, TPM_MOD));
	tpm_core_format_errors(&e->c, e->text, e->text_size);
	CHECK(!strcmp(e->text,
		      "MOD: write 0xc7 ignored, 0x31 not taken yet (one write per period)\n"),
	      "errors:\n%s", e->text);
	env_free(e);
}

/*
 * SDK TPM_EnableChannel(): "Wait till mode change is acknowledged" (CnSC
 * read back). Model: at most one cycle; the pin follows then.
 */
static void test_strict_cnsc_takes_effect_within_one_cycle(void)
{
	struct env *e = env_new_strict(24000000, 16, 2, TPM_FIRST_SET);

	wr(e, TPM_CNV(1), 50);
	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	tpm_core_clear(&e->c);
	adv(e, 100 + 30);
	wr(e, TPM_CNSC(1), CNSC_HIGH);
	CHECK(rd(e, TPM_CNSC(1)) == 0, "CnSC 0x%x at the write",
	      rd(e, TPM_CNSC(1)));
	adv(e, 1);
	CHECK(rd(e, TPM_CNSC(1)) == CNSC_HIGH, "CnSC 0x%x 1 cycle later",
	      rd(e, TPM_CNSC(1)));
	adv(e, 69);
	/* high from CNT 31 (not 30) to the match at 50 */
	CHECK_LOG(e, 1, "1 off 100 0\n1 part 100 19\n");
	env_free(e);
}

/*
 * KL02 RM 27.4.8.2: "If (CMOD[1:0] = 0:0) then CnV register is updated
 * when CnV register is written" - through the clock domain crossing, at
 * most one cycle later (SDK TPM_SetupPwm(): CnV written "while (cnv !=
 * base->CONTROLS[chnlId].CnV)").
 */
static void test_strict_stopped_write_reads_back_within_one_cycle(void)
{
	struct env *e = env_new_strict(24000000, 16, 1, TPM_FIRST_SET);

	wr(e, TPM_CNV(0), 7);
	wr(e, TPM_MOD, 9);
	CHECK(rd(e, TPM_CNV(0)) == 0 && rd(e, TPM_MOD) == 0,
	      "CnV %u MOD %u at the write", rd(e, TPM_CNV(0)), rd(e, TPM_MOD));
	adv(e, 1);
	CHECK(rd(e, TPM_CNV(0)) == 7 && rd(e, TPM_MOD) == 9,
	      "CnV %u MOD %u 1 cycle later", rd(e, TPM_CNV(0)),
	      rd(e, TPM_MOD));
	env_free(e);
}

/*
 * A CnV write that reaches the counter clock domain at the wrap's edge
 * misses that wrap: it is updated one period later (the latch wait of a
 * driver that wrote just before the wrap must allow for it).
 */
static void test_strict_write_on_last_cycle_misses_the_wrap(void)
{
	struct env *e = env_new_strict(24000000, 16, 1, TPM_FIRST_SET);

	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	tpm_core_clear(&e->c);
	adv(e, 98);
	wr(e, TPM_CNV(0), 10);
	adv(e, 2);
	CHECK(rd(e, TPM_CNV(0)) == 10, "written at CNT 98: CnV %u",
	      rd(e, TPM_CNV(0)));
	adv(e, 99);
	wr(e, TPM_CNV(0), 40);
	adv(e, 1);
	CHECK(rd(e, TPM_CNV(0)) == 10, "written at CNT 99: CnV %u at the wrap",
	      rd(e, TPM_CNV(0)));
	adv(e, 100);
	CHECK(rd(e, TPM_CNV(0)) == 40, "CnV %u a period later",
	      rd(e, TPM_CNV(0)));
	CHECK_LOG(e, 0, "1 full 100 25\n2 full 100 10\n");
	env_free(e);
}

/*
 * Linux commit 661dfb7f4629 (pwm-imx-tpm): "suspend causes the period
 * related registers to become their reset values" ("During suspend, all
 * the tpm registers will lose values"). MOD's reset value is all ones.
 */
static void test_strict_suspend_reset_reads_reset_values(void)
{
	struct env *e = env_new_strict(24000000, 16, 3, TPM_FIRST_SET);
	struct env *e8 = env_new_strict(24000000, 8, 1, TPM_FIRST_SET);
	u32 i, bad = 0;

	start_strict(e, 0, 3, 99, 25, CNSC_HIGH);
	wr(e, TPM_CNSC(2), CNSC_LOW);
	adv(e, 800 + 40);
	wr(e, TPM_CNV(0), 50);
	wr(e, TPM_MOD, 9);
	tpm_core_reset(&e->c);
	CHECK(rd(e, TPM_SC) == 0 && rd(e, TPM_CNT) == 0 &&
	      rd(e, TPM_MOD) == 0xffff,
	      "SC 0x%x CNT %u MOD 0x%x", rd(e, TPM_SC), rd(e, TPM_CNT),
	      rd(e, TPM_MOD));
	for (i = 0; i < 3; i++)
		bad |= rd(e, TPM_CNSC(i)) | rd(e, TPM_CNV(i));
	CHECK(!bad, "CnSC/CnV not 0");
	/* the lost writes never arrive; the counter stays stopped */
	adv(e, 100);
	CHECK(rd(e, TPM_CNV(0)) == 0 && rd(e, TPM_MOD) == 0xffff &&
	      rd(e, TPM_CNSC(2)) == 0 && rd(e, TPM_CNT) == 0,
	      "pending writes arrived after the reset");
	CHECK_LOG(e, 0, "1 stop 2 1\n1 full 800 200\n1 trunc 40 40\n"
		  "1 stop 100 0\n");
	tpm_core_reset(&e8->c);
	CHECK(rd(e8, TPM_MOD) == 0xff, "8-bit MOD 0x%x", rd(e8, TPM_MOD));
	env_free(e8);
	env_free(e);
}

/*
 * KL27 RM 29.5.3.3: "Any write to CNT resets the TPM counter and the
 * channel outputs to their initial values"; EPWM: "forced high at the
 * counter overflow". first_period = 1: the output holds its inactive level
 * until the first overflow (no pulse; low-true: high).
 */
static void test_strict_first_period_inactive_until_overflow(void)
{
	struct env *e = env_new_strict(24000000, 16, 2, TPM_FIRST_INACTIVE);

	wr(e, TPM_CNV(1), 25);
	wr(e, TPM_CNSC(1), CNSC_LOW);
	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	tpm_core_clear(&e->c);
	adv(e, 300);
	CHECK_LOG(e, 0, "1 first 100 0\n2 full 100 25\n");
	CHECK_LOG(e, 1, "1 first 100 100\n2 full 100 75\n");
	/* a CNT write: initial values again until the next overflow */
	adv(e, 40);
	wr(e, TPM_CNT, 0);
	adv(e, 200);
	CHECK_LOG(e, 0, "1 first 100 0\n2 full 100 25\n1 trunc 40 25\n"
		  "1 first 100 0\n1 full 100 25\n");
	CHECK_LOG(e, 1, "1 first 100 100\n2 full 100 75\n1 trunc 40 15\n"
		  "1 first 100 100\n1 full 100 75\n");
	env_free(e);
}

/*
 * first_period = 2: the initial value is low (the output's reset value)
 * and the first match still acts: a high-true output has no pulse, a
 * low-true one goes high at the match as usual.
 */
static void test_strict_first_period_low_until_match(void)
{
	struct env *e = env_new_strict(24000000, 16, 2, TPM_FIRST_LOW);

	wr(e, TPM_CNV(1), 25);
	wr(e, TPM_CNSC(1), CNSC_LOW);
	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	tpm_core_clear(&e->c);
	adv(e, 300);
	CHECK_LOG(e, 0, "1 first 100 0\n2 full 100 25\n");
	CHECK_LOG(e, 1, "1 first 100 75\n2 full 100 75\n");
	env_free(e);
}

/* first_period = 0: the start sets the outputs as a wrap does */
static void test_strict_first_period_set_at_start(void)
{
	struct env *e = env_new_strict(24000000, 16, 2, TPM_FIRST_SET);

	wr(e, TPM_CNV(1), 25);
	wr(e, TPM_CNSC(1), CNSC_LOW);
	start_strict(e, 0, 0, 99, 25, CNSC_HIGH);
	tpm_core_clear(&e->c);
	adv(e, 300);
	CHECK_LOG(e, 0, "3 full 100 25\n");
	CHECK_LOG(e, 1, "3 full 100 75\n");
	CHECK(tpm_core_set_strict(&e->c, true, true, true, TPM_FIRST_MAX + 1),
	      "first_period %u accepted", TPM_FIRST_MAX + 1);
	env_free(e);
}

/* ------------------------------------------------------------------ */
/* Reference model: one clock cycle per step */

struct ref_log {
	struct tpm_run *r;
	size_t len, cap;
};

/* a write that reaches the counter clock domain at cycle @due */
struct ref_wr {
	bool on;
	u32 val;
	u64 due, seq;
};

struct ref_ch {
	u32 cnsc, cnv, cnv_buf;
	bool cnv_pend;
	struct ref_wr cnv_w, cnsc_w;
	u64 high;
	u32 els0;
	bool changed;
	u64 stop_high;
	struct ref_log log;
};

struct ref {
	u32 width, mask, nch;
	u32 sc;		/* PS, CMOD, TOF, other bits */
	u32 cnt, sub, mod, mod_buf;
	bool mod_pend, no_latch;
	u64 plen;	/* counting cycles of the period in progress */
	bool pstart0;	/* it started at CNT 0 */
	u64 stop_len;
	u32 nerr;
	u32 regs[TPM_NREGS];
	struct ref_ch ch[TPM_MAX_CH];
	/* strictness; cycles since start; write order */
	bool cmod_ack, latency, ignore;
	u32 first_mode;
	bool first;	/* no wrap since the last start or CNT write */
	u64 now, seq;
	struct ref_wr cmod_w, mod_w;
};

static u32 ref_els(const struct ref_ch *ch)
{
	return (ch->cnsc >> 2) & 3;
}

static bool ref_counting(const struct ref *r)
{
	return (r->sc >> 3) & 3;
}

static u32 ref_ps(const struct ref *r)
{
	return r->sc & 7;
}

static void ref_add(struct ref_log *l, u32 kind, u64 period, u64 high)
{
	struct tpm_run *last = l->len ? &l->r[l->len - 1] : NULL;

	if (last && last->kind == kind && last->period == period &&
	    last->high == high) {
		last->count++;
		return;
	}
	if (l->len == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->r = realloc(l->r, l->cap * sizeof(*l->r));
	}
	l->r[l->len++] = (struct tpm_run){ 1, period, high, kind };
}

static bool ref_level(const struct ref *r, const struct ref_ch *ch)
{
	bool below = ch->cnv > r->mod || r->cnt < ch->cnv;

	/*
	 * First period: the output holds its initial value, the inactive
	 * level (mode 1), or low until the match (mode 2: only a high-true
	 * output differs, it has no pulse)
	 */
	if (r->first && (r->first_mode == TPM_FIRST_INACTIVE ||
			 ref_els(ch) == 2))
		below = false;

	switch (ref_els(ch)) {
	case 2:
		return below;
	case 1:
		return !below;
	default:
		return false;
	}
}

static void ref_new_period(struct ref *r)
{
	u32 i;

	r->plen = 0;
	r->pstart0 = r->cnt == 0 && r->sub == 0;
	for (i = 0; i < r->nch; i++) {
		r->ch[i].high = 0;
		r->ch[i].els0 = ref_els(&r->ch[i]);
		r->ch[i].changed = false;
	}
}

static void ref_cut(struct ref *r)
{
	u32 i;

	if (r->plen)
		for (i = 0; i < r->nch; i++)
			ref_add(&r->ch[i].log, TPM_KIND_TRUNC, r->plen,
				r->ch[i].high);
}

static void ref_cycle(struct ref *r)
{
	struct ref_ch *ch;
	u32 i, kind;

	if (!ref_counting(r)) {
		r->stop_len++;
		for (i = 0; i < r->nch; i++)
			r->ch[i].stop_high += ref_level(r, &r->ch[i]);
		return;
	}

	for (i = 0; i < r->nch; i++)
		r->ch[i].high += ref_level(r, &r->ch[i]);
	r->plen++;

	if (++r->sub < (1U << ref_ps(r)))
		return;
	r->sub = 0;
	if (r->cnt != r->mod && r->cnt != r->mask) {
		r->cnt++;
		return;
	}

	/* wrap */
	for (i = 0; i < r->nch; i++) {
		ch = &r->ch[i];
		if (!r->pstart0 || ch->changed)
			kind = TPM_KIND_PART;
		else if (ch->els0 != 1 && ch->els0 != 2)
			kind = TPM_KIND_OFF;
		else if (r->first)
			kind = TPM_KIND_FIRST;
		else
			kind = TPM_KIND_FULL;
		ref_add(&ch->log, kind, r->plen, ch->high);
	}
	r->first = false;
	r->sc |= TPM_SC_TOF;
	if (!r->no_latch) {
		if (r->mod_pend)
			r->mod = r->mod_buf;
		r->mod_pend = false;
		for (i = 0; i < r->nch; i++) {
			if (r->ch[i].cnv_pend)
				r->ch[i].cnv = r->ch[i].cnv_buf;
			r->ch[i].cnv_pend = false;
		}
	}
	r->cnt = 0;
	ref_new_period(r);
}

static void ref_queue(struct ref *r, struct ref_wr *w, u32 val, u64 edges)
{
	w->on = true;
	w->val = val;
	w->due = r->now + edges;
	w->seq = r->seq++;
}

/* CMOD as seen by the counter: start or stop */
static void ref_set_cmod(struct ref *r, u32 cmod)
{
	bool was = ref_counting(r);
	u32 i;

	r->sc = (r->sc & ~0x18U) | cmod << 3;
	if (was && !ref_counting(r)) {
		ref_cut(r);
		r->stop_len = 0;
		for (i = 0; i < r->nch; i++)
			r->ch[i].stop_high = 0;
	} else if (!was && ref_counting(r)) {
		for (i = 0; i < r->nch; i++) {
			if (r->stop_len)
				ref_add(&r->ch[i].log, TPM_KIND_STOP,
					r->stop_len, r->ch[i].stop_high);
			r->ch[i].stop_high = 0;
		}
		r->stop_len = 0;
		r->first = r->first_mode != TPM_FIRST_SET;
		ref_new_period(r);
	}
}

/* MOD or CnV reaches the counter: buffered while counting */
static void ref_buf_arrive(struct ref *r, u32 *reg, u32 *buf, bool *pend,
			   u32 v)
{
	if (ref_counting(r)) {
		*buf = v;
		*pend = true;
	} else {
		*reg = v;
		*pend = false;
	}
}

static void ref_buf_write(struct ref *r, u32 *reg, u32 *buf, bool *pend,
			  struct ref_wr *w, u32 val)
{
	u32 v = val & r->mask;

	/* the write buffer takes nothing until the register was updated */
	if (r->ignore && (w->on || (*pend && ref_counting(r)))) {
		r->nerr++;
		return;
	}
	if (r->latency)
		ref_queue(r, w, v, 1);
	else
		ref_buf_arrive(r, reg, buf, pend, v);
}

static void ref_cnsc(struct ref *r, struct ref_ch *ch, u32 val)
{
	u32 els = (val >> 2) & 3;

	if (els == 3 || (els && !(val & TPM_CNSC_MSB)))
		r->nerr++;
	if (ref_counting(r) && els != ref_els(ch))
		ch->changed = true;
	ch->cnsc = val & ~TPM_CNSC_CHF;
}

static void ref_write(struct ref *r, u32 off, u32 val)
{
	bool was = ref_counting(r);
	struct ref_ch *ch;
	u32 ps, cmod;

	if (off >= 0x20 && off < 0x20 + 8 * r->nch) {
		ch = &r->ch[(off - 0x20) / 8];
		if (off & 4)
			ref_buf_write(r, &ch->cnv, &ch->cnv_buf, &ch->cnv_pend,
				      &ch->cnv_w, val);
		else if (r->latency)
			ref_queue(r, &ch->cnsc_w, val, 1);
		else
			ref_cnsc(r, ch, val);
		return;
	}

	switch (off) {
	case TPM_PARAM:
		r->nerr++;
		return;
	case TPM_SC:
		ps = val & 7;
		cmod = (val >> 3) & 3;
		if (was && ps != ref_ps(r)) {
			r->nerr++;
			ps = ref_ps(r);
		}
		if ((val & TPM_SC_CPWMS) && !(r->sc & TPM_SC_CPWMS))
			r->nerr++;
		if (cmod > 1 && cmod != ((r->sc >> 3) & 3))
			r->nerr++;
		if (!was && ps != ref_ps(r))
			r->sub = 0;
		r->sc = (val & ~0x9fU) | ps | (r->sc & 0x80 & ~val) |
			(r->sc & 0x18);
		if (!r->cmod_ack)
			ref_set_cmod(r, cmod);
		else if (cmod == ((r->sc >> 3) & 3))
			r->cmod_w.on = false;
		else if (!r->cmod_w.on || r->cmod_w.val != cmod)
			ref_queue(r, &r->cmod_w, cmod, 2);
		return;
	case TPM_CNT:
		if (was)
			ref_cut(r);
		r->cnt = 0;
		r->sub = 0;
		if (was)
			ref_new_period(r);
		r->first = r->first_mode != TPM_FIRST_SET;
		return;
	case TPM_MOD:
		ref_buf_write(r, &r->mod, &r->mod_buf, &r->mod_pend, &r->mod_w,
			      val);
		return;
	default:
		r->regs[off / 4] = val;
	}
}

/* One clock cycle, then the writes due at its end, oldest first */
static void ref_step(struct ref *r)
{
	struct ref_wr *w, *best;
	u32 i;

	ref_cycle(r);
	r->now++;
	for (;;) {
		best = NULL;
		if (r->cmod_w.on && r->cmod_w.due <= r->now)
			best = &r->cmod_w;
		if (r->mod_w.on && r->mod_w.due <= r->now &&
		    (!best || r->mod_w.seq < best->seq))
			best = &r->mod_w;
		for (i = 0; i < r->nch; i++) {
			w = &r->ch[i].cnv_w;
			if (w->on && w->due <= r->now &&
			    (!best || w->seq < best->seq))
				best = w;
			w = &r->ch[i].cnsc_w;
			if (w->on && w->due <= r->now &&
			    (!best || w->seq < best->seq))
				best = w;
		}
		if (!best)
			return;
		best->on = false;
		if (best == &r->cmod_w) {
			ref_set_cmod(r, best->val);
		} else if (best == &r->mod_w) {
			ref_buf_arrive(r, &r->mod, &r->mod_buf, &r->mod_pend,
				       best->val);
		} else {
			for (i = 0; i < r->nch; i++) {
				if (best == &r->ch[i].cnv_w)
					ref_buf_arrive(r, &r->ch[i].cnv,
						       &r->ch[i].cnv_buf,
						       &r->ch[i].cnv_pend,
						       best->val);
				else if (best == &r->ch[i].cnsc_w)
					ref_cnsc(r, &r->ch[i], best->val);
			}
		}
	}
}

/* Power loss: reset values (MOD all ones), a running period cut */
static void ref_reset(struct ref *r)
{
	u32 i;

	if (ref_counting(r)) {
		ref_cut(r);
		r->stop_len = 0;
		for (i = 0; i < r->nch; i++)
			r->ch[i].stop_high = 0;
	}
	r->sc = 0;
	r->cnt = 0;
	r->sub = 0;
	r->mod = r->mask;
	r->mod_pend = false;
	r->cmod_w.on = false;
	r->mod_w.on = false;
	r->first = false;
	memset(r->regs, 0, sizeof(r->regs));
	for (i = 0; i < r->nch; i++) {
		r->ch[i].cnsc = 0;
		r->ch[i].cnv = 0;
		r->ch[i].cnv_pend = false;
		r->ch[i].cnv_w.on = false;
		r->ch[i].cnsc_w.on = false;
	}
	ref_new_period(r);
}

static u32 ref_read(const struct ref *r, u32 off)
{
	if (off >= 0x20 && off < 0x20 + 8 * r->nch)
		return off & 4 ? r->ch[(off - 0x20) / 8].cnv :
				 r->ch[(off - 0x20) / 8].cnsc;
	switch (off) {
	case TPM_PARAM:
		return r->nch | r->width << 16;
	case TPM_SC:
		return r->sc;
	case TPM_CNT:
		return r->cnt;
	case TPM_MOD:
		return r->mod;
	default:
		return r->regs[off / 4];
	}
}

static void ref_clear(struct ref *r)
{
	u32 i;

	for (i = 0; i < r->nch; i++) {
		r->ch[i].log.len = 0;
		if (!ref_counting(r))
			r->ch[i].stop_high = 0;
	}
	if (!ref_counting(r))
		r->stop_len = 0;
}

static const char *ref_text(const struct ref *r, u32 n, char *buf,
			    size_t size)
{
	const struct ref_log *l = &r->ch[n].log;
	static const char * const kinds[] = {
		"full", "part", "trunc", "off", "stop", "first"
	};
	size_t len = 0, i;

	buf[0] = '\0';
	for (i = 0; i < l->len; i++)
		len += snprintf(buf + len, size - len, "%llu %s %llu %llu\n",
				l->r[i].count, kinds[l->r[i].kind],
				l->r[i].period, l->r[i].high);
	if (!ref_counting(r) && r->stop_len)
		snprintf(buf + len, size - len, "1 stop %llu %llu\n",
			 r->stop_len, r->ch[n].stop_high);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Random comparison */

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	u64 z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 rnd_below(u32 n)
{
	return (u32)(rnd() % n);
}

static u32 rnd_cnsc(void)
{
	static const u32 v[] = {
		0, CNSC_HIGH, CNSC_LOW, CNSC_HIGH, CNSC_LOW,
		TPM_CNSC_MSB | TPM_CNSC_ELS, TPM_CNSC_CHF | CNSC_HIGH,
		TPM_ELS_HIGH_TRUE << TPM_CNSC_ELS_SHIFT, TPM_CNSC_MSB,
	};

	return v[rnd_below(ARRAY_SIZE(v))];
}

static u32 rnd_val(const struct ref *r)
{
	switch (rnd_below(6)) {
	case 0:
		return 0;
	case 1:
		return r->mod + 1;
	case 2:
		return r->mod;
	case 3:
		return rnd_below(r->mask + 1);
	default:
		return rnd_below(40);
	}
}

static int compare(struct env *e, struct ref *r, char *buf, size_t size,
		   int seq, int step)
{
	static const u32 regs[] = { TPM_PARAM, TPM_SC, TPM_CNT, TPM_MOD };
	u32 i, a, b;
	int bad = 0;

	for (i = 0; i < r->nch; i++) {
		const char *t = log_text(e, i);

		ref_text(r, i, buf, size);
		if (strcmp(t, buf)) {
			printf("seq %d step %d ch%u:\n%s--- reference:\n%s",
			       seq, step, i, t, buf);
			bad = 1;
		}
	}
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		a = tpm_core_read(&e->c, regs[i]);
		b = ref_read(r, regs[i]);
		if (a != b) {
			printf("seq %d step %d reg 0x%x: 0x%x, reference 0x%x\n",
			       seq, step, regs[i], a, b);
			bad = 1;
		}
	}
	for (i = 0; i < r->nch; i++) {
		if (tpm_core_read(&e->c, TPM_CNV(i)) != ref_read(r, TPM_CNV(i)) ||
		    tpm_core_read(&e->c, TPM_CNSC(i)) != ref_read(r, TPM_CNSC(i))) {
			printf("seq %d step %d ch%u registers differ\n",
			       seq, step, i);
			bad = 1;
		}
	}
	if (e->c.err_total != r->nerr) {
		printf("seq %d step %d: %llu errors, reference %u\n", seq, step,
		       e->c.err_total, r->nerr);
		bad = 1;
	}
	return bad;
}

/*
 * @strict: each sequence draws the strict behaviours (CMOD acknowledge,
 * write latency, ignored second writes, first_period) at random, steps
 * time by a few cycles more often and has power-loss resets.
 */
static void test_random(bool strict, int nseqs)
{
	const size_t size = 1 << 20;
	char *buf = malloc(size);
	int seq, step, bad, seqs_bad = 0;

	for (seq = 0; seq < nseqs; seq++) {
		u32 nch = 1 + rnd_below(TPM_MAX_CH);
		u32 width = 8 + rnd_below(2) * 2;
		struct env *e = env_new(1000000, width, nch);
		struct ref *r = calloc(1, sizeof(*r));
		u64 cycles, k, period;
		u32 i, v;

		r->width = width;
		r->mask = (1U << width) - 1;
		r->nch = nch;
		if (strict) {
			r->cmod_ack = rnd_below(4) != 0;
			r->latency = rnd_below(4) != 0;
			r->ignore = rnd_below(4) != 0;
			r->first_mode = rnd_below(3);
			tpm_core_set_strict(&e->c, r->cmod_ack, r->latency,
					    r->ignore, r->first_mode);
		}
		bad = 0;
		for (step = 0; step < 150 && !bad; step++) {
			switch (rnd_below(13)) {
			case 0:
			case 1:
			case 2:
				period = ((u64)r->mod + 1) << ref_ps(r);
				cycles = rnd_below(4) ? rnd_below(3 * period + 2) :
					 rnd_below(20 * period + 2);
				adv(e, cycles);
				for (k = 0; k < cycles; k++)
					ref_step(r);
				break;
			case 3:
				v = rnd_below(8) ? rnd_below(48) : rnd_val(r);
				wr(e, TPM_MOD, v);
				ref_write(r, TPM_MOD, v);
				break;
			case 4:
			case 5:
				i = rnd_below(nch);
				v = rnd_val(r);
				wr(e, TPM_CNV(i), v);
				ref_write(r, TPM_CNV(i), v);
				break;
			case 6:
				i = rnd_below(nch);
				v = rnd_cnsc();
				wr(e, TPM_CNSC(i), v);
				ref_write(r, TPM_CNSC(i), v);
				break;
			case 7:
			case 8:
				/* start/stop, prescaler, TOF, rarely odd bits */
				v = ref_read(r, TPM_SC) & ~(TPM_SC_CMOD | TPM_SC_PS);
				v |= rnd_below(3) ? (u32)ref_counting(r) << 3 :
				     (u32)!ref_counting(r) << 3;
				v |= rnd_below(3) ? ref_ps(r) : rnd_below(4);
				if (!rnd_below(3))
					v &= ~TPM_SC_TOF;
				if (!rnd_below(40))
					v |= TPM_SC_CPWMS;
				if (!rnd_below(40))
					v |= 2 << TPM_SC_CMOD_SHIFT;
				wr(e, TPM_SC, v);
				ref_write(r, TPM_SC, v);
				break;
			case 9:
				v = rnd_below(100);
				wr(e, TPM_CNT, v);
				ref_write(r, TPM_CNT, v);
				break;
			case 10:
				if (strict && !rnd_below(5)) {
					tpm_core_reset(&e->c);
					ref_reset(r);
				} else if (!rnd_below(4)) {
					e->c.fault_no_latch = !e->c.fault_no_latch;
					r->no_latch = e->c.fault_no_latch;
				} else if (!rnd_below(3)) {
					tpm_core_clear(&e->c);
					ref_clear(r);
				} else {
					/* plain storage above the channels */
					i = 0x60 + 4 * rnd_below(10);
					v = (u32)rnd();
					wr(e, i, v);
					ref_write(r, i, v);
					if (tpm_core_read(&e->c, i) != v)
						bad = 1;
				}
				break;
			case 11:
				/* a few cycles: writes on their way arrive */
				if (!strict)
					break;
				cycles = rnd_below(4);
				adv(e, cycles);
				for (k = 0; k < cycles; k++)
					ref_step(r);
				break;
			default:
				break;
			}
			bad |= compare(e, r, buf, size, seq, step);
		}
		if (bad)
			seqs_bad++;
		CHECK(!bad, "random sequence %d differs", seq);
		for (i = 0; i < nch; i++)
			free(r->ch[i].log.r);
		free(r);
		env_free(e);
	}
	printf("random%s: %d of %d sequences differ\n",
	       strict ? " (strict)" : "", seqs_bad, nseqs);
	free(buf);
}

/* ------------------------------------------------------------------ */
/* ns -> cycles with the fraction carried */

static void test_ns_to_cycles(void)
{
	static const u32 rates[] = { 1, 32768, 24000000, 999999937,
				     1000000000 };
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(rates); i++) {
		struct env *e = env_new(rates[i], 16, 1);
		u64 d;
		int ok = 1;
		/* exact: 128 bits */
		unsigned __int128 total_ns = 0, sum = 0, expect;

		for (j = 0; j < 200000; j++) {
			switch (rnd_below(4)) {
			case 0:
				d = rnd_below(10);
				break;
			case 1:
				d = rnd_below(1000000);
				break;
			case 2:
				d = rnd() % 10000000000000ULL;
				break;
			default:
				d = 1000000000ULL * rnd_below(5);
				break;
			}
			total_ns += d;
			sum += tpm_core_ns_to_cycles(&e->c, d);
			expect = total_ns * rates[i] / 1000000000U;
			if (sum != expect) {
				ok = 0;
				break;
			}
		}
		CHECK(ok, "rate %u: cycle sum differs after %u steps", rates[i],
		      j);
		env_free(e);
	}
}

/*
 * One test point per test function (with its arguments): it passes if
 * none of its checks failed. The final line counts these points; the line
 * before it the checks.
 */
static unsigned int points_passed, points_failed;

#define RUN(call)							\
	do {								\
		unsigned long long before = failed;			\
									\
		call;							\
		if (failed == before) {					\
			points_passed++;				\
			printf("ok %s\n", #call);			\
		} else {						\
			points_failed++;				\
			printf("not ok %s\n", #call);			\
		}							\
	} while (0)

int main(void)
{
	RUN(test_steady());
	RUN(test_buffered());
	RUN(test_stop_start());
	RUN(test_cuts());
	RUN(test_stops());
	RUN(test_cnt_reset());
	RUN(test_els());
	RUN(test_duty_edges());
	RUN(test_prescaler());
	RUN(test_cnt_above_mod());
	RUN(test_no_latch());
	RUN(test_errors_param());
	RUN(test_overflow_clear());
	RUN(test_large_gaps());
	RUN(test_strict_cmod0_reads_1_until_acknowledged());
	RUN(test_strict_cmod1_counts_only_after_acknowledge());
	RUN(test_strict_ps_write_before_stop_ack_is_ignored());
	RUN(test_strict_sc_writeback_cancels_pending_stop());
	RUN(test_strict_second_cnv_write_before_update_is_ignored());
	RUN(test_strict_second_mod_write_before_update_is_ignored());
	RUN(test_strict_cnsc_takes_effect_within_one_cycle());
	RUN(test_strict_stopped_write_reads_back_within_one_cycle());
	RUN(test_strict_write_on_last_cycle_misses_the_wrap());
	RUN(test_strict_suspend_reset_reads_reset_values());
	RUN(test_strict_first_period_inactive_until_overflow());
	RUN(test_strict_first_period_low_until_match());
	RUN(test_strict_first_period_set_at_start());
	RUN(test_ns_to_cycles());
	RUN(test_random(false, 1500));
	RUN(test_random(true, 1000));

	printf("checks: %llu passed, %llu failed\n", passed, failed);
	printf("model-core: %u passed, %u failed\n", points_passed,
	       points_failed);
	return failed ? 1 : 0;
}
