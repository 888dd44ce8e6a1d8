// SPDX-License-Identifier: GPL-2.0
/*
 * fifo PRIORITY PID - give a running task the SCHED_FIFO policy at
 * PRIORITY (1..99), so that it runs before every SCHED_OTHER task
 * (tests/vm/stress-guest.sh: the irqsoff sampler, which must keep up
 * while four shell writers keep the guest's one CPU busy). Children it
 * starts afterwards inherit the policy.
 *
 * Exit status 0, 1 if the policy could not be set, 2 on bad arguments.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static int parse(const char *s, long lo, long hi, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return errno || end == s || *end || *v < lo || *v > hi ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct sched_param sp;
	long prio, pid;

	if (argc != 3 || parse(argv[1], 1, 99, &prio) ||
	    parse(argv[2], 1, 0x7fffffff, &pid)) {
		fprintf(stderr, "usage: %s PRIORITY(1-99) PID\n", argv[0]);
		return 2;
	}
	sp.sched_priority = (int)prio;
	if (sched_setscheduler((pid_t)pid, SCHED_FIFO, &sp)) {
		fprintf(stderr, "%s: SCHED_FIFO %ld for %ld: %s\n", argv[0],
			prio, pid, strerror(errno));
		return 1;
	}
	return 0;
}
