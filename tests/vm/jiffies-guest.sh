#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/jiffies-guest.sh - run by tests/vm/stress.sh --faults in an
# amd64 guest booted with clocksource=jiffies (tests/vm/vm.sh,
# VM_KERNEL_ARGS), with the TPM model: a kernel whose time stands still
# while interrupts are disabled. (make check's debug kernels fell back to
# that clocksource on a busy host, and the driver's wait for the counter
# wrap, made with interrupts disabled and bounded only by the clock, spun
# for ever: the guest hung.) The model's counter follows the same clock, so
# with interrupts disabled the wrap never comes either: every prescaler
# change of a running channel has to end by the driver's other bounds
# (delays counted in the spin, the deadline of its retries). A guest that
# hangs here has no test point left to print: vm.sh's timeout fails it.
# KTAP; the last line is "jiffies: N passed, M failed".

MDIR=/sys/kernel/debug/imx-tpm-model
# a write may take the driver's deadline (16 periods plus 200 ms) with
# the coarse clock's steps: far below this
LIMIT_MS=10000
# shellcheck source=guest-ktap.sh source-path=SCRIPTDIR
. /vm/tests/guest-ktap.sh

ktap_plan 3

cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
diag "clocksource: ${cs:-unknown}"
case $cs in
*jiffies*) ;;
*) fail "the guest is not on the jiffies clocksource: the case is not exercised" ;;
esac
[ -d "$MDIR" ] || fail "no model debugfs ($MDIR)"
point "the guest runs on the jiffies clocksource, with the TPM model"

CHIP=
for c in /sys/class/pwm/pwmchip*; do
	[ "$(readlink "$c/device/driver" 2>/dev/null | sed 's@.*/@@')" = pwm-imx-tpm ] && CHIP=$c
done
if [ -z "$CHIP" ]; then
	diag "pwm-imx-tpm is not bound"
	echo "jiffies: 0 passed, 1 failed"
	exit 1
fi

# 1 ms needs prescaler 0 at 24 MHz, 20 ms prescaler 3: each change of the
# enabled channel stops the counter at a wrap, with interrupts disabled
wr 0 "$CHIP/export"
p=$CHIP/pwm0
wr 1000000 "$p/period"
wr 500000 "$p/duty_cycle"
wr 1 "$p/enable"
[ -z "$ERR" ] || fail "enable at 1 ms: $ERR"
n=0
ok=0
timedout=0
while [ "$n" -lt 6 ]; do
	if [ $((n % 2)) = 0 ]; then
		wr 10000000 "$p/duty_cycle"
		wr 20000000 "$p/period"
		what="1 ms -> 20 ms"
	else
		wr 1000000 "$p/period"
		[ -n "$ERR" ] || wr 500000 "$p/duty_cycle"
		what="20 ms -> 1 ms"
	fi
	case $ERR in
	"") ok=$((ok + 1)) ;;
	*"timed out"*) timedout=$((timedout + 1)) ;;
	*) fail "change $n ($what): $ERR" ;;
	esac
	diag "change $n ($what): ${ERR:-done} after $MS ms"
	[ "$MS" -le "$LIMIT_MS" ] || fail "change $n ($what) took $MS ms, more than $LIMIT_MS ms"
	n=$((n + 1))
done
diag "6 prescaler changes of the running channel: $ok done, $timedout ETIMEDOUT"
point "prescaler changes of a running channel on a clock that stands still with interrupts disabled: each returns (done or ETIMEDOUT) within $LIMIT_MS ms"

wr 0 "$p/enable"
[ -z "$ERR" ] || fail "disable: $ERR"
wr 0 "$CHIP/unexport"
[ -z "$ERR" ] || fail "unexport: $ERR"
wr 0 "$CHIP/export"
[ -z "$ERR" ] || fail "export again: $ERR"
wr 1000000 "$CHIP/pwm0/period"
wr 250000 "$CHIP/pwm0/duty_cycle"
wr 1 "$CHIP/pwm0/enable"
[ -z "$ERR" ] || fail "enable again from a stopped counter: $ERR"
wr 0 "$CHIP/pwm0/enable"
wr 0 "$CHIP/unexport"
point "afterwards: disable, unexport, and a new start of the stopped counter work"

ktap_end jiffies
