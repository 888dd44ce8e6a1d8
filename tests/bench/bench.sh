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
#  5. "pair": mainline's driver beside this one (BENCH_PAIR=0 leaves it
#     out). Mainline's drivers/pwm/pwm-imx-tpm.c of Debian's newest
#     linux-source, with the upstream series' patch 1 (regmap) and a
#     test-only fallback to the model's regmap (tests/upstream/upstream.sh
#     bench-src), built as pwm-imx-tpm-mainline.ko. In one guest each
#     (tests/bench/pair-guest.sh), this driver then mainline's are bound to
#     the model's device in turn:
#     - arm64 7.3, timed as guest 1: pwm-bench through sysfs (mainline's
#       driver implements .apply only, so it has no /dev/pwmchipN), each
#       apply one write of period or duty_cycle, BENCH_PAIR_COUNT (300)
#       applies at each period, then the kselftest -q on channels 0 and 5
#       (this driver's held to its budget; mainline's reported);
#     - amd64 6.12 debug kernel, timed as guest 3: irqsoff-guest.sh with
#       100 changes within the first prescaler range (mainline's driver
#       refuses a prescaler change of a running counter), the longest
#       interrupts-off sections.
#     Then one table of both drivers' figures and their ratios. This
#     driver's runs are checked as in the parts above; mainline's are
#     measured only (its points pass when the runs complete).
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

# pair_selftest LOG: the two kselftest runs of the pair guest (lines
# "ks-this: ", "ks-mainline: "): this driver's must pass within the
# budget of the model path; mainline's totals are reported
pair_selftest() {
	local log=$1 who f krel kp kf kx ks
	krel=$(guest_krel "$log")
	for who in this mainline; do
		f=$logroot/pair/kselftest-$who.log
		sed -n "s/^ks-$who: //p" "$log" >"$f"
		read -r kp kf kx ks <<<"$(ktap_totals "$f")"
		if [[ -z $ks ]]; then
			echo "not ok - pair: the kselftest of $who driver gave no totals (${f#"$top"/})"
			total_failed=$((total_failed + 1))
			continue
		fi
		echo "# pair: kselftest of the $who driver: $kp passed, $kf failed, $kx xfail, $ks skipped"
		[[ $who == mainline ]] && continue
		if ((kf == 0)) && ktap_budget_check pair model "$krel" 2 "$ks" "$kx"; then
			echo "ok - pair: this driver's kselftest on channels 0 and 5 ($kp passed, $ks skipped within the budget)"
			total_passed=$((total_passed + 1))
		else
			echo "not ok - pair: this driver's kselftest on channels 0 and 5 ($kf failed)"
			total_failed=$((total_failed + 1))
		fi
	done
}

# pair_table LOG IRQSOFF_LOG: both drivers' figures side by side
pair_table() {
	python3 "$here/pair-table.py" "$1" "$2" "$logroot/pair/kselftest-this.log" \
		"$logroot/pair/kselftest-mainline.log" | tee "$logroot/pair/table.txt"
}

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
if [ "${BENCH_PAIR:-1}" = 1 ]; then
	pair_count=${BENCH_PAIR_COUNT:-300}
	mlsrc=$(mktemp -d /var/tmp/imx-tpm-pwm-mainline.XXXXXX)
	trap 'rm -rf "$mlsrc"' EXIT
	if "$top/tests/upstream/upstream.sh" bench-src "$mlsrc"; then
		echo "bench: side by side with mainline's driver, board-like timing (-icount shift=$shift_), through sysfs, $pair_count applies per period"
		VM_MAINLINE_SRC=$mlsrc VM_MEASURED_DRIVER=imx7ulp-tpm-pwm VM_LOGDIR=$logroot/pair \
			VM_QEMU_ARGS="-icount shift=$shift_,sleep=off" \
			run_guest pair "$target" model "$here/pair-guest.sh" 3600 \
			bench "-b $bus_ns" "$pair_count" 100000 1000000 10000000 100000000 \
			-- -q -C 0,5
		pair_log=$logroot/pair/${target/:/-}-model.log
		pair_selftest "$pair_log"
		echo "bench: side by side with mainline's driver, interrupts off (amd64 6.12 debug kernel, -icount shift=$shift_)"
		VM_MAINLINE_SRC=$mlsrc VM_MEASURED_DRIVER=imx7ulp-tpm-pwm VM_LOGDIR=$logroot/pair-irqsoff \
			VM_QEMU_ARGS="-icount shift=$shift_,sleep=off" \
			run_guest pair amd64:6.12-debug model "$here/pair-guest.sh" 1800 \
			irqsoff -n 100 -l 0 -T "${BENCH_IRQSOFF_US:-50}"
		pair_table "$pair_log" "$logroot/pair-irqsoff/amd64-6.12-debug-model.log"
	else
		echo "bench: not ok - mainline's driver for the side-by-side part (tests/upstream/upstream.sh bench-src)"
		total_failed=$((total_failed + 1))
	fi
fi
guest_totals bench
