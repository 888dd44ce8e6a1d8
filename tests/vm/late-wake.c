// SPDX-License-Identifier: GPL-2.0
/*
 * late-wake SECONDS BUSY_MAX_US IDLE_US - make the sleeps of other tasks
 * wake up late (tests/vm/irqsoff-guest.sh).
 *
 * A SCHED_FIFO task (priority 50, above every SCHED_OTHER task, such as a
 * shell writing to sysfs and the PWM driver sleeping in its write) that
 * holds the CPU for a random 1..BUSY_MAX_US microseconds, then sleeps
 * IDLE_US, for SECONDS. On a one-CPU guest a sleep of another task that
 * ends inside a busy burst wakes up only when the burst is over: up to
 * BUSY_MAX_US late. Prints the share of the time it was busy and the
 * number of bursts when done, or when stopped by SIGTERM or SIGINT.
 *
 * Exit status 0, or 1 if SCHED_FIFO could not be set (then nothing ran).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int parse(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || end == s || *end || *v == 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct sched_param sp = { .sched_priority = 50 };
	unsigned long secs, busy_max, idle;
	uint64_t start, end, t, busy_ns = 0, bursts = 0, x = 88172645463325252ull;
	struct timespec nap;

	if (argc != 4 || parse(argv[1], &secs) || parse(argv[2], &busy_max) ||
	    parse(argv[3], &idle)) {
		fprintf(stderr, "usage: %s SECONDS BUSY_MAX_US IDLE_US (all > 0)\n",
			argv[0]);
		return 2;
	}
	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		fprintf(stderr, "late-wake: SCHED_FIFO: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	nap.tv_sec = idle / 1000000;
	nap.tv_nsec = (long)(idle % 1000000) * 1000;
	start = now_ns();
	end = start + (uint64_t)secs * 1000000000u;
	while (!stop && (t = now_ns()) < end) {
		uint64_t until;

		/* xorshift64: the burst length, 1..busy_max us */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		until = t + (1 + x % busy_max) * 1000;
		while (now_ns() < until)
			;
		busy_ns += now_ns() - t;
		bursts++;
		nanosleep(&nap, NULL);
	}
	t = now_ns() - start;
	printf("late-wake: %llu bursts of 1 to %lu us, %lu us apart, in %llu ms: busy %llu %% of the time\n",
	       (unsigned long long)bursts, busy_max, idle,
	       (unsigned long long)(t / 1000000),
	       (unsigned long long)(t ? busy_ns * 100 / t : 0));
	return 0;
}
