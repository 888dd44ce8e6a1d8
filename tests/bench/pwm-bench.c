// SPDX-License-Identifier: GPL-2.0
/*
 * pwm-bench - latency and CPU cost of changing period and duty of a running
 * pwm-imx-tpm channel, measured against the test-only TPM model.
 *
 *   pwm-bench [-b BUS_NS | -w] [-n] DEV CH RATE WIDTH COUNT PERIOD_NS...
 *   pwm-bench -s [-b BUS_NS | -w] [-n] CHIPDIR CH RATE WIDTH COUNT PERIOD_NS...
 *
 * DEV is /dev/pwmchipN (Linux 6.13 and later: one PWM_IOCTL_SETROUNDEDWF
 * changes period and duty in one apply), RATE and WIDTH those of the model
 * (module parameters rate and width). For each PERIOD_NS the channel runs
 * at a whole number of ticks near it, then COUNT applies alternate between
 * that period and one tick less (or more), each with a random duty, at
 * random points of the running period.
 *
 * -s: through sysfs instead, CHIPDIR being /sys/class/pwm/pwmchipN: what
 * any driver offers, those with only .apply (no character device) too, so
 * that make bench can run mainline's driver beside this one. Each apply is
 * one write of the channel's "period" or "duty_cycle" file, as a script
 * changes them: the applies alternate between the period (that period and
 * one tick less or more, the duty unchanged in ns) and a random duty below
 * both periods. What the driver made of a write is read from the model
 * ("next": the MOD and CnV the next period runs with) right after it, so
 * the log check below needs no knowledge of the driver's rounding.
 *
 * For every apply:
 *   - floor: the time from the apply to the next period boundary, read
 *     from the model's counter just before it: no driver can do better,
 *     the hardware takes new values at a boundary;
 *   - latency: how long the ioctl took;
 *   - CPU: the thread's CPU time during the ioctl;
 *   - driver CPU: the same, less the time the ioctl spent inside the model's
 *     register callbacks (debugfs "io"), plus BUS_NS for each register
 *     access: on the board an access is one bus transaction, in the model
 *     it is a few hundred instructions that emulate the TPM.
 * For comparison it also measures the CPU time of a GETWF ioctl (-s: a
 * read of "duty_cycle"; no sleep) and of the nanosleep before each apply
 * (one sleep, no driver).
 * Afterwards the model's output log of the channel must show only complete
 * periods of the applied settings, in order: no period that mixes old and
 * new values, none cut short.
 *
 * For periods of 1 ms and more the targets are: the median apply within
 * 1.2 x its floor + 200 us, CPU time at most 5 % of the total latency, no
 * glitch. The CPU target is checked on the driver CPU time with -b (a guest
 * whose clock counts instructions, QEMU -icount), on the plain CPU time
 * without options, and not at all with -w (wall-clock TCG, where a context
 * switch costs the emulator ~100 us: reported, and the check is a SKIP).
 * -n: measure only (make bench's run of mainline's driver, which is not
 * held to these targets): no test points.
 * Output: a table, a "# result:" line per period (the figures as numbers,
 * for make bench's side-by-side table), then "bench: N passed, M failed,
 * K skipped" (one check per target and period). Exit 0 if none failed, 1
 * if some did, 2 usage, 4 no character device (-s: no such channel).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#if defined(__has_include)
#if __has_include(<linux/pwm.h>)
#include <linux/pwm.h>
#endif
#endif

#ifndef PWM_IOCTL_SETROUNDEDWF
struct pwmchip_waveform {
	__u32 hwpwm;
	__u32 __pad;
	__u64 period_length_ns;
	__u64 duty_length_ns;
	__u64 duty_offset_ns;
};

#define PWM_IOCTL_REQUEST	_IO(0x75, 1)
#define PWM_IOCTL_FREE		_IO(0x75, 2)
#define PWM_IOCTL_GETWF		_IOWR(0x75, 4, struct pwmchip_waveform)
#define PWM_IOCTL_SETROUNDEDWF	_IOW(0x75, 5, struct pwmchip_waveform)
#endif

#define NSEC		1000000000ULL
#define PS_MAX		7
#define MODEL		"/sys/kernel/debug/imx-tpm-model"
/* settings kept for the log check; the log is checked and cleared sooner */
#define CHUNK		400

struct setting {
	uint64_t period;	/* clock cycles */
	uint64_t high;
};

static uint64_t rate;
static unsigned int width;
static int64_t bus_ns = -1;	/* -b: driver CPU time is checked */
static int wall;		/* -w: no CPU check */
static int use_sysfs;		/* -s: through sysfs */
static int measure_only;	/* -n: no test points */
static int period_fd = -1, duty_fd = -1;	/* -s: the channel's files */
static char enable_path[300];			/* -s: its "enable" */
static uint64_t rnd_state;

static uint64_t rnd(uint64_t below)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (rnd_state >> 11) % below;
}

static uint64_t now_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / NSEC, .tv_nsec = ns % NSEC };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ns for @cycles clock cycles, rounded up: the driver rounds ns down */
static uint64_t cyc_to_ns(uint64_t cycles)
{
	return (uint64_t)(((unsigned __int128)cycles * NSEC + rate - 1) / rate);
}

static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((size_t)len < size - 1 &&
	       (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : (int)len;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/* the model's counter: time to the next period boundary in ns */
static int model_left(uint64_t *left)
{
	unsigned long long cnt, ps, mod, cmod;
	char buf[128];

	if (read_file(MODEL "/now", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%llu %llu %llu %llu", &cnt, &ps, &mod, &cmod) != 4 ||
	    !cmod)
		return -1;
	*left = cyc_to_ns((cnt <= mod ? mod - cnt + 1 : 1) << ps);
	return 0;
}

/* the model's register accesses and the time spent in them */
static int model_io(uint64_t *count, uint64_t *ns)
{
	unsigned long long c, t;
	char buf[64];

	if (read_file(MODEL "/io", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%llu %llu", &c, &t) != 2)
		return -1;
	*count = c;
	*ns = t;
	return 0;
}

/*
 * -s: what the driver set, from the model: the period and high time (clock
 * cycles) that the next period of channel @ch runs with. Edge-aligned,
 * high-true (ELS 10, what both drivers program for normal polarity): the
 * output is high from the wrap to the match, the whole period if CnV is
 * above MOD.
 */
static int model_next(unsigned int ch, struct setting *s)
{
	unsigned long long ps, mod, cnv = 0;
	char buf[160], *p, *end;
	unsigned int i;

	if (read_file(MODEL "/next", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%llu %llu", &ps, &mod) != 2)
		return -1;
	p = buf;
	for (i = 0; i <= ch + 2; i++) {
		cnv = strtoull(p, &end, 10);
		if (end == p)
			return -1;
		p = end;
	}
	s->period = (mod + 1) << ps;
	s->high = (cnv < mod + 1 ? cnv : mod + 1) << ps;
	return 0;
}

/* -s: write @ns to an open sysfs file; -1 and errno if refused */
static int sysfs_put(int fd, uint64_t ns)
{
	char buf[24];
	int len = snprintf(buf, sizeof(buf), "%" PRIu64, ns);

	return pwrite(fd, buf, len, 0) == len ? 0 : -1;
}

/* -s: the number in an open sysfs file; -1 and errno if it cannot be read */
static int sysfs_get(int fd, uint64_t *v)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	*v = strtoull(buf, NULL, 10);
	return 0;
}

/* -s: write @ch to CHIPDIR's "export" or "unexport" */
static int sysfs_chip_put(const char *chipdir, const char *file,
			  unsigned int ch)
{
	char path[300], num[16];

	snprintf(path, sizeof(path), "%s/%s", chipdir, file);
	snprintf(num, sizeof(num), "%u", ch);
	return write_file(path, num);
}

/*
 * -s: the channel disabled (a new period may need another prescaler, which
 * mainline's driver refuses while the counter runs), then period and duty
 * of @wf, enabled. The core refuses a duty above the period at every step,
 * and mainline's driver reports a period of 0 after probe with the duty
 * its registers give: a period of at least the present duty comes first.
 * (Mainline's driver also refuses to disable a channel of period 0.)
 */
static int sysfs_start(const struct pwmchip_waveform *wf)
{
	uint64_t duty;

	if (sysfs_get(duty_fd, &duty))
		return -1;
	write_file(enable_path, "0");
	if (duty > wf->period_length_ns && sysfs_put(period_fd, duty))
		return -1;
	if (duty > wf->period_length_ns && sysfs_put(duty_fd, wf->duty_length_ns))
		return -1;
	if (sysfs_put(period_fd, wf->period_length_ns) ||
	    sysfs_put(duty_fd, wf->duty_length_ns))
		return -1;
	return write_file(enable_path, "1");
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int64_t median(int64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_i64);
	return v[n / 2];
}

static int64_t pct(int64_t *v, size_t n, unsigned int p)
{
	qsort(v, n, sizeof(*v), cmp_i64);
	return v[(n * p) / 100 < n ? (n * p) / 100 : n - 1];
}

/*
 * Check the model's log of channel @ch against @s[0..@n-1] (in order, any
 * may be missed), then clear it. Returns the number of glitches; @runs
 * gets the periods seen.
 */
static unsigned int check_log(unsigned int ch, const struct setting *s,
			      size_t n, uint64_t *runs)
{
	static char buf[1 << 20];
	char path[96], kind[16], *line, *save;
	unsigned long long cnt, p, h;
	unsigned int glitches = 0, shown = 0, first = 1;
	size_t j = 0, k;

	snprintf(path, sizeof(path), MODEL "/ch%u", ch);
	if (read_file(path, buf, sizeof(buf)) < 0) {
		printf("# cannot read %s\n", path);
		return 1;
	}
	write_file(MODEL "/clear", "1");
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), first = 0) {
		if (sscanf(line, "%llu %15s %llu %llu", &cnt, kind, &p, &h) != 4) {
			glitches++;
			if (shown++ < 5)
				printf("# log: \"%s\"\n", line);
			continue;
		}
		/* the log was cleared in the middle of a period */
		if (first && !strcmp(kind, "part"))
			continue;
		if (strcmp(kind, "full")) {
			glitches += cnt;
			if (shown++ < 5)
				printf("# log: \"%s\": not a complete period\n", line);
			continue;
		}
		for (k = j; k < n; k++)
			if (s[k].period == p && s[k].high == h)
				break;
		if (k == n) {
			glitches += cnt;
			if (shown++ < 5)
				printf("# log: \"%s\": no applied setting from #%zu on\n",
				       line, j);
			continue;
		}
		j = k;
		*runs += cnt;
	}
	return glitches;
}

struct result {
	uint64_t period_ns;
	size_t count;
	int64_t floor_med, lat_med, lat_p90, excess_med, cpu_med, cpu_p90;
	int64_t get_cpu_med, drv_med, sleep_cpu_med;
	double ratio_med, cpu_pct, switches, drv_pct, io;
	unsigned int glitches, failed_ioctl;
	uint64_t runs;
};

static int bench_one(int fd, unsigned int ch, uint64_t period_ns, size_t count,
		     struct result *r)
{
	uint64_t c = (uint64_t)((unsigned __int128)period_ns * rate / NSEC);
	uint64_t n, other, lat_sum = 0, cpu_sum = 0, nsw = 0, drv_sum = 0, nio = 0;
	struct setting s[CHUNK + 1];
	struct pwmchip_waveform wf, gwf = { .hwpwm = ch };
	uint64_t rd;
	int64_t *floor, *lat, *excess, *ratio, *cpu, *getcpu, *drv, *slp;
	unsigned int ps = 0;
	size_t i, ns = 0;

	while (ps < PS_MAX && (c >> ps) >= (1ULL << width))
		ps++;
	n = c >> ps;
	if (n < 3 || n >= (1ULL << width)) {
		printf("# period %" PRIu64 " ns: not a usable number of ticks\n",
		       period_ns);
		return -1;
	}
	floor = calloc(count, sizeof(*floor));
	lat = calloc(count, sizeof(*lat));
	excess = calloc(count, sizeof(*excess));
	ratio = calloc(count, sizeof(*ratio));
	cpu = calloc(count, sizeof(*cpu));
	getcpu = calloc(count, sizeof(*getcpu));
	drv = calloc(count, sizeof(*drv));
	slp = calloc(count, sizeof(*slp));
	if (!floor || !lat || !excess || !ratio || !cpu || !getcpu || !drv ||
	    !slp)
		return -1;
	memset(r, 0, sizeof(*r));
	r->period_ns = cyc_to_ns(n << ps);
	r->count = count;

	/* start: the first setting, then a clean log */
	memset(&wf, 0, sizeof(wf));
	wf.hwpwm = ch;
	wf.period_length_ns = cyc_to_ns(n << ps);
	wf.duty_length_ns = cyc_to_ns((n / 2) << ps);
	if (use_sysfs) {
		if (sysfs_start(&wf)) {
			printf("# period %" PRIu64 " ns: sysfs: %s\n", period_ns,
			       strerror(errno));
			return -1;
		}
	} else if (ioctl(fd, PWM_IOCTL_SETROUNDEDWF, &wf)) {
		printf("# period %" PRIu64 " ns: SETROUNDEDWF: %s\n", period_ns,
		       strerror(errno));
		return -1;
	}
	if (!use_sysfs) {
		s[0] = (struct setting){ n << ps, (n / 2) << ps };
	} else if (model_next(ch, &s[0])) {
		printf("# cannot read the model's next values\n");
		return -1;
	}
	ns = 1;
	sleep_ns(2 * r->period_ns);
	write_file(MODEL "/clear", "1");

	/* the other period: one tick less, or more where that would need a
	 * smaller prescaler
	 */
	other = (ps && n - 1 < (1ULL << (width - 1))) ? n + 1 : n - 1;
	for (i = 0; i < count; i++) {
		/* -s: period, duty, period, duty... */
		uint64_t pn = (use_sysfs ? i & 2 : i & 1) ? n : other;
		uint64_t dn = 1 + rnd((use_sysfs ? (n < other ? n : other) : pn) - 1);
		int fail;
		uint64_t before, after, t0, t1, c0, c1, left, io0, io1, ns0, ns1;
		struct rusage ru0, ru1;

		/* a random point of the running period; for comparison, the
		 * CPU time of that sleep (one nanosleep)
		 */
		c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		sleep_ns(1 + rnd(r->period_ns));
		slp[i] = now_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
		before = now_ns(CLOCK_MONOTONIC);
		if (model_left(&left)) {
			printf("# cannot read the model's counter\n");
			return -1;
		}
		after = now_ns(CLOCK_MONOTONIC);
		wf.period_length_ns = cyc_to_ns(pn << ps);
		wf.duty_length_ns = cyc_to_ns(dn << ps);
		if (model_io(&io0, &ns0)) {
			printf("# cannot read the model's io counters\n");
			return -1;
		}
		getrusage(RUSAGE_THREAD, &ru0);
		c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		t0 = now_ns(CLOCK_MONOTONIC);
		if (!use_sysfs)
			fail = ioctl(fd, PWM_IOCTL_SETROUNDEDWF, &wf);
		else if (i & 1)
			fail = sysfs_put(duty_fd, wf.duty_length_ns);
		else
			fail = sysfs_put(period_fd, wf.period_length_ns);
		t1 = now_ns(CLOCK_MONOTONIC);
		c1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		getrusage(RUSAGE_THREAD, &ru1);
		if (fail)
			r->failed_ioctl++;
		if (model_io(&io1, &ns1)) {
			printf("# cannot read the model's io counters\n");
			return -1;
		}
		nsw += ru1.ru_nvcsw - ru0.ru_nvcsw + ru1.ru_nivcsw - ru0.ru_nivcsw;

		/* the counter was read between before and after */
		left -= (t0 - (before + after) / 2) % r->period_ns;
		while ((int64_t)left <= 0)
			left += r->period_ns;
		floor[i] = left;
		lat[i] = t1 - t0;
		excess[i] = (int64_t)(t1 - t0) - (int64_t)(left * 6 / 5) - 200000;
		ratio[i] = (int64_t)((t1 - t0) * 1000 / left);
		lat_sum += t1 - t0;
		cpu_sum += c1 - c0;
		cpu[i] = c1 - c0;
		drv[i] = (int64_t)(c1 - c0) - (int64_t)(ns1 - ns0) +
			 (int64_t)(io1 - io0) * (bus_ns > 0 ? bus_ns : 0);
		drv_sum += drv[i];
		nio += io1 - io0;

		/* for comparison: the CPU time of reading the waveform back */
		c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		if (use_sysfs) {
			if (sysfs_get(duty_fd, &rd))
				r->failed_ioctl++;
		} else {
			ioctl(fd, PWM_IOCTL_GETWF, &gwf);
		}
		c1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		getcpu[i] = c1 - c0;

		if (!use_sysfs) {
			s[ns] = (struct setting){ pn << ps, dn << ps };
		} else if (model_next(ch, &s[ns])) {
			printf("# cannot read the model's next values\n");
			return -1;
		}
		ns++;
		if (ns == CHUNK + 1 || i == count - 1) {
			/* let the last setting show, then check */
			sleep_ns(2 * r->period_ns);
			r->glitches += check_log(ch, s, ns, &r->runs);
			s[0] = s[ns - 1];
			ns = 1;
		}
	}
	r->floor_med = median(floor, count);
	r->lat_med = median(lat, count);
	r->lat_p90 = pct(lat, count, 90);
	r->excess_med = median(excess, count);
	r->ratio_med = median(ratio, count) / 1000.0;
	r->cpu_pct = lat_sum ? 100.0 * cpu_sum / lat_sum : 0;
	r->switches = (double)nsw / count;
	r->cpu_med = median(cpu, count);
	r->cpu_p90 = pct(cpu, count, 90);
	r->get_cpu_med = median(getcpu, count);
	r->drv_pct = lat_sum ? 100.0 * (int64_t)drv_sum / lat_sum : 0;
	r->drv_med = median(drv, count);
	r->io = (double)nio / count;
	r->sleep_cpu_med = median(slp, count);
	free(slp);
	free(drv);
	free(cpu);
	free(getcpu);
	free(floor);
	free(lat);
	free(excess);
	free(ratio);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int ch, passed = 0, failed = 0, skipped = 0;
	struct result r;
	size_t count;
	int fd, i, opt;

	while ((opt = getopt(argc, argv, "+b:wsn")) != -1) {
		if (opt == 'b')
			bus_ns = strtoll(optarg, NULL, 0);
		else if (opt == 'w')
			wall = 1;
		else if (opt == 's')
			use_sysfs = 1;
		else if (opt == 'n')
			measure_only = 1;
		else
			return 2;
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 7 || (wall && bus_ns >= 0)) {
		fprintf(stderr, "usage: %s [-s] [-b BUS_NS | -w] [-n] DEV|CHIPDIR CH RATE WIDTH COUNT PERIOD_NS...\n",
			argv[0]);
		return 2;
	}
	ch = strtoul(argv[2], NULL, 0);
	rate = strtoull(argv[3], NULL, 0);
	width = strtoul(argv[4], NULL, 0);
	count = strtoull(argv[5], NULL, 0);
	if (!rate || rate > NSEC || width < 8 || width > 32 || count < 2) {
		fprintf(stderr, "bad RATE, WIDTH or COUNT\n");
		return 2;
	}
	rnd_state = now_ns(CLOCK_MONOTONIC) | 1;
	if (use_sysfs) {
		char path[300];

		fd = -1;
		if (sysfs_chip_put(argv[1], "export", ch))
			printf("# %s/export %u: %s (already exported?)\n",
			       argv[1], ch, strerror(errno));
		snprintf(path, sizeof(path), "%s/pwm%u/period", argv[1], ch);
		period_fd = open(path, O_RDWR);
		snprintf(path, sizeof(path), "%s/pwm%u/duty_cycle", argv[1], ch);
		duty_fd = open(path, O_RDWR);
		snprintf(enable_path, sizeof(enable_path), "%s/pwm%u/enable",
			 argv[1], ch);
		if (period_fd < 0 || duty_fd < 0) {
			printf("# %s: %s\n", path, strerror(errno));
			return 4;
		}
	} else {
		fd = open(argv[1], O_RDWR);
		if (fd < 0) {
			printf("# %s: %s\n", argv[1], strerror(errno));
			return 4;
		}
		if (ioctl(fd, PWM_IOCTL_REQUEST, ch)) {
			printf("# PWM_IOCTL_REQUEST %u: %s\n", ch, strerror(errno));
			return 1;
		}
	}
	printf("# applies through %s\n", use_sysfs ?
	       "sysfs: one write of period or duty_cycle each" :
	       "/dev/pwmchipN: one PWM_IOCTL_SETROUNDEDWF each, period and duty");

	if (bus_ns >= 0)
		printf("# driver CPU = CPU - time in the model's register callbacks + %lld ns per access\n",
		       (long long)bus_ns);
	printf("# %-10s %7s %10s %10s %10s %7s %10s %6s %8s %8s %8s %8s %6s %8s %6s %8s %8s %8s\n",
	       "period", "applies", "floor med", "lat med", "lat p90",
	       "lat/flr", "excess med", "CPU %", "CPU med", "CPU p90",
	       use_sysfs ? "read" : "GETWF", "sleep", "regs", "drv med",
	       "drv %", "switches", "glitches", "periods");
	for (i = 6; i < argc; i++) {
		uint64_t p = strtoull(argv[i], NULL, 0);
		int target = p >= 1000000;
		int ok;

		if (bench_one(fd, ch, p, count, &r)) {
			failed++;
			continue;
		}
		printf("# %8.3f ms %7zu %7.3f ms %7.3f ms %7.3f ms %7.3f %7.3f ms %6.2f %5.0f us %5.0f us %5.0f us %5.0f us %6.1f %5.0f us %6.2f %8.2f %8u %8" PRIu64 "\n",
		       r.period_ns / 1e6, r.count, r.floor_med / 1e6,
		       r.lat_med / 1e6, r.lat_p90 / 1e6, r.ratio_med,
		       r.excess_med / 1e6, r.cpu_pct, r.cpu_med / 1e3,
		       r.cpu_p90 / 1e3, r.get_cpu_med / 1e3,
		       r.sleep_cpu_med / 1e3, r.io,
		       r.drv_med / 1e3, r.drv_pct, r.switches,
		       r.glitches, r.runs);
		if (r.failed_ioctl)
			printf("# %u applies failed\n", r.failed_ioctl);
		printf("# result: period_ns=%" PRIu64 " applies=%zu floor_med_ns=%" PRId64
		       " lat_med_ns=%" PRId64 " lat_p90_ns=%" PRId64 " lat_floor=%.3f"
		       " cpu_med_ns=%" PRId64 " cpu_pct=%.2f drv_med_ns=%" PRId64
		       " drv_pct=%.2f regs=%.1f switches=%.2f glitches=%u failed=%u periods=%" PRIu64 "\n",
		       r.period_ns, r.count, r.floor_med, r.lat_med, r.lat_p90,
		       r.ratio_med, r.cpu_med, r.cpu_pct, r.drv_med, r.drv_pct,
		       r.io, r.switches, r.glitches, r.failed_ioctl, r.runs);
		if (!target || measure_only)
			continue;
		ok = r.excess_med <= 0;
		printf("%s - period %.3f ms: median apply within 1.2 x floor + 200 us (median excess %.3f ms)\n",
		       ok ? "ok" : "not ok", r.period_ns / 1e6, r.excess_med / 1e6);
		ok ? passed++ : failed++;
		if (wall) {
			printf("ok - period %.3f ms: CPU time of the apply # SKIP wall-clock TCG: %.2f %% is the emulator's cost (make bench checks it with -icount)\n",
			       r.period_ns / 1e6, r.cpu_pct);
			skipped++;
		} else if (bus_ns >= 0) {
			ok = r.drv_pct <= 5.0;
			printf("%s - period %.3f ms: driver CPU time %.2f %% of the latency (at most 5 %%; all CPU time %.2f %%)\n",
			       ok ? "ok" : "not ok", r.period_ns / 1e6,
			       r.drv_pct, r.cpu_pct);
			ok ? passed++ : failed++;
		} else {
			ok = r.cpu_pct <= 5.0;
			printf("%s - period %.3f ms: CPU time %.2f %% of the latency (at most 5 %%)\n",
			       ok ? "ok" : "not ok", r.period_ns / 1e6, r.cpu_pct);
			ok ? passed++ : failed++;
		}
		ok = !r.glitches && !r.failed_ioctl && r.runs > 0;
		printf("%s - period %.3f ms: %u glitches, %u failed applies, %" PRIu64 " periods checked\n",
		       ok ? "ok" : "not ok", r.period_ns / 1e6, r.glitches,
		       r.failed_ioctl, r.runs);
		ok ? passed++ : failed++;
	}
	memset(&r, 0, sizeof(r));
	if (use_sysfs) {
		write_file(enable_path, "0");
		close(period_fd);
		close(duty_fd);
		sysfs_chip_put(argv[1], "unexport", ch);
	} else {
		ioctl(fd, PWM_IOCTL_FREE, ch);
		close(fd);
	}
	printf("bench: %u passed, %u failed, %u skipped\n", passed, failed,
	       skipped);
	return failed ? 1 : 0;
}
