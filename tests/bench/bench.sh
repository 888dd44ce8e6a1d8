#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/bench/bench.sh [COUNT [PERIOD_NS...]]: "make bench". Runs
# tests/bench/pwm-bench.c (built static for the guest) in an arm64 7.3 guest
# with the TPM model (tests/vm/vm.sh): latency and CPU time of period and
# duty changes of a running channel, 1000 applies each at 100 us, 1 ms,
# 10 ms and 100 ms by default. Two guests:
#
#  1. "board": QEMU -icount shift=BENCH_ICOUNT_SHIFT (default 1: the guest
#     clock advances 2 ns per instruction, 500 million instructions per
#     second, about an i.MX7ULP Cortex-A7 at its 720 MHz operating point at
#     0.7 instructions per cycle). Every time the bench measures is then
#     instruction count, independent of the emulator's own overheads. The
#     CPU target is checked on the driver's CPU time: the time spent inside
#     the model's register emulation is taken out and BENCH_BUS_NS (default
#     500 ns, pessimistic for one peripheral register access) counted per
#     access instead. Latency and glitch targets are checked too.
#  2. "wall": plain TCG, timed by the host clock: latency and glitches under
#     real timer jitter are checked; CPU time is reported only (a context
#     switch costs the emulator about 100 us), its check is a SKIP.
#  3. "irqsoff": tests/vm/irqsoff-guest.sh on the amd64 6.12 debug kernel
#     (tests/vm/debug-kernel.sh; Debian's kernels have no irqsoff tracer),
#     timed by instruction count as guest 1: the longest section with
#     interrupts disabled after each of 200 changes of a running channel
#     across prescaler ranges, with the tracer's own start and end
#     functions, on an idle CPU and with the driver's sleeps waking up to
#     1 ms late; at most 50 us (BENCH_IRQSOFF_US).
#  4. "32k": guests 1 and 3 again with the model at a 32768 Hz counter
#     clock (the i.MX7ULP's slow oscillator) and as strict as the silicon
#     (tests/vm/vm.sh MODEL_PARAMS_32K: CMOD acknowledged two counter clock
#     cycles late, writes one cycle late): periods of 300 us (9 ticks; a
#     period below two write windows, 223 us there, may mix old and new
#     values once: README), 1 ms, 10 ms and 100 ms, and the interrupts-off
#     sections with prescaler changes, which there need periods of seconds
#     (BENCH_32K=0 leaves this part out, BENCH_24M=0 the three above).
#
# Prints the tables and "bench: N passed, M failed, K skipped".
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
logroot=${VM_LOGDIR:-$top/tests/logs/bench}
shift_=${BENCH_ICOUNT_SHIFT:-1}
bus_ns=${BENCH_BUS_NS:-500}
target=${BENCH_TARGET:-arm64:7.3}

# shellcheck source=../vm/guest-run.sh source-path=SCRIPTDIR
. "$top/tests/vm/guest-run.sh"
export VM_EXTRA_SRC=$here/pwm-bench.c

if [ "${BENCH_24M:-1}" = 1 ]; then
	echo "bench: board-like timing (QEMU -icount shift=$shift_: $((1 << shift_)) ns per instruction), $bus_ns ns per register access"
	VM_LOGDIR=$logroot/icount VM_QEMU_ARGS="-icount shift=$shift_,sleep=off" \
		run_guest bench "$target" model "$here/bench-guest.sh" 1800 -b "$bus_ns" "$@"
	echo "bench: wall-clock TCG timing"
	VM_LOGDIR=$logroot/wall VM_QEMU_ARGS='' \
		run_guest bench "$target" model "$here/bench-guest.sh" 1800 -w "$@"
	echo "bench: interrupts off (irqsoff tracer, amd64 6.12 debug kernel, -icount shift=$shift_)"
	VM_LOGDIR=$logroot/irqsoff VM_QEMU_ARGS="-icount shift=$shift_,sleep=off" \
		VM_EXTRA_SRC=$top/tests/vm/late-wake.c \
		run_guest irqsoff amd64:6.12-debug model "$top/tests/vm/irqsoff-guest.sh" 1800 \
		-n 200 -l 50 -L 80 -T "${BENCH_IRQSOFF_US:-50}"
fi
if [ "${BENCH_32K:-1}" = 1 ]; then
	echo "bench: 32768 Hz counter clock, strict model (tests/vm/vm.sh MODEL_PARAMS_32K), board-like timing"
	VM_MODEL_PARAMS=32k VM_LOGDIR=$logroot/icount-32k \
		VM_QEMU_ARGS="-icount shift=$shift_,sleep=off" \
		run_guest bench "$target" model "$here/bench-guest.sh" 1800 -b "$bus_ns" \
		"${1:-1000}" 300000 1000000 10000000 100000000
	echo "bench: 32768 Hz counter clock, interrupts off (amd64 6.12 debug kernel, -icount shift=$shift_)"
	VM_MODEL_PARAMS=32k VM_LOGDIR=$logroot/irqsoff-32k \
		VM_QEMU_ARGS="-icount shift=$shift_,sleep=off" \
		VM_EXTRA_SRC=$top/tests/vm/late-wake.c \
		run_guest irqsoff amd64:6.12-debug model "$top/tests/vm/irqsoff-guest.sh" 1800 \
		-n 60 -l 20 -L 120 -T "${BENCH_IRQSOFF_US:-50}"
fi
guest_totals bench
