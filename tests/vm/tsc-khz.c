// SPDX-License-Identifier: GPL-2.0
/*
 * tests/vm/tsc-khz.c - print the host's TSC rate in kHz.
 *
 * Under QEMU TCG (no -icount) the guest's RDTSC returns the host's TSC, so
 * this is the rate a guest kernel must be told (tsc_early_khz=) when it
 * cannot measure it: the debug kernels have no ACPI, hence no HPET or PM
 * timer, and their quick PIT calibration fails on a busy host ("tsc:
 * Unable to calibrate against PIT"). They then run on the jiffies
 * clocksource, whose time stands still while interrupts are disabled.
 * x86 hosts only.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static uint64_t ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

int main(void)
{
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	uint64_t t0, t1, c0, c1;

	t0 = ns_now();
	c0 = __rdtsc();
	nanosleep(&nap, NULL);
	t1 = ns_now();
	c1 = __rdtsc();
	if (t1 <= t0 || c1 <= c0)
		return 1;
	printf("%llu\n", (unsigned long long)((c1 - c0) * 1000000 / (t1 - t0)));
	return 0;
}
