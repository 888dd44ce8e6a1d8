#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/irqsoff-guest.sh - how long pwm-imx-tpm keeps interrupts
# disabled, measured by the kernel's irqsoff tracer (tests/vm/guest-irqsoff.sh)
# in a guest of tests/vm/vm.sh with the TPM model on a debug kernel.
#
# usage: irqsoff-guest.sh [-n UPDATES] [-l UPDATES] [-T TARGET_US | -M] [-L SECONDS] [-s SEED]
#                         [-d DRIVER] [-x]
#   -s  seed of the random periods and duties (default: from /dev/urandom;
#       printed as "# seed N (repeat with -s N)")
#   -n  changes of the running channel on the idle CPU (default 100)
#   -l  changes with late wake-ups (default 25; 0: no such part, and no
#       third test point)
#   -T  the longest section allowed, in us (default 0: report only, for a
#       guest timed by the host's clock, whose scheduling stretches
#       sections at random; make bench and make vm-debug pass 50 to the
#       guest timed by instruction count)
#   -L  how long the late-wake part may take at most (default 40 s: under
#       the bursts each change takes about a second of guest time, most of
#       it the shell's own and the sampling's)
#   -d  the chip of this driver (default pwm-imx-tpm; make bench runs
#       mainline's, imx7ulp-tpm-pwm, in the same guest)
#   -x  periods of the first prescaler range only (100 us to 99 % of the
#       longest period of prescaler 0): no change crosses a range, which
#       mainline's driver refuses on a running counter (EBUSY); the
#       check that some change crossed one is left out
#   -M  measure only (make bench's run of mainline's driver, which is
#       not held to the target): a part passes when the changes were
#       accepted and the tracer recorded sections; its figures are
#       reported
#
# Each part changes period and duty of channel 0 at random between 100 us
# and 6 ms at 24 MHz, 4.4 s at 32768 Hz (below: P_HI; about half the
# changes cross a prescaler range: the driver
# then stops the counter at a wrap, with interrupts disabled for the last
# 20 us before it and the writes after it), and samples the tracer after
# each change:
#   1. the irqsoff tracer is there
#   2. the changes on an idle CPU
#   3. the same while tests/vm/late-wake.c (/vm/extra/late-wake) holds the
#      CPU with a SCHED_FIFO task in random bursts of up to 1 ms, 200 us
#      apart: every sleep of the driver that ends inside a burst (most of
#      them) wakes up late, by up to 1 ms. How long interrupts stay off must
#      not depend on it.
# A part passes when every change was accepted (part 3: changes refused
# with ETIMEDOUT because the late wake-ups missed every wrap are counted,
# not failed), some changes crossed a prescaler range, the tracer
# recorded sections, and with -T the driver's longest section is at most
# TARGET_US. The rest of the kernel's and the model's longest sections are
# reported, not checked: a driver section in a sample where another one
# was longer is not measured (how many samples were the driver's is
# reported). Only when no sample's longest section was the driver's (at a
# slow counter clock its sections are a few register accesses) is the
# longest section of all samples, which bounds the driver's, checked
# instead. Last line "irqsoff: N passed, M failed[,
# K skipped]".

UPDATES=100
LATE_UPDATES=25
TARGET=0
LATE_MAX=40
SEED=
DRIVER=pwm-imx-tpm
ONE_RANGE=0
MEASURE=0
while getopts n:l:T:L:s:d:xM o; do
	case $o in
	n) UPDATES=$OPTARG ;;
	l) LATE_UPDATES=$OPTARG ;;
	T) TARGET=$OPTARG ;;
	L) LATE_MAX=$OPTARG ;;
	s) SEED=$OPTARG ;;
	d) DRIVER=$OPTARG ;;
	x) ONE_RANGE=1 ;;
	M) MEASURE=1 ;;
	*) echo "usage: $0 [-n UPDATES] [-l UPDATES] [-T TARGET_US | -M] [-L SECONDS] [-s SEED] [-d DRIVER] [-x]" >&2; exit 2 ;;
	esac
done

# shellcheck source=guest-ktap.sh source-path=SCRIPTDIR
. /vm/tests/guest-ktap.sh
# shellcheck source=guest-irqsoff.sh source-path=SCRIPTDIR
. /vm/tests/guest-irqsoff.sh

if [ "$LATE_UPDATES" = 0 ]; then
	ktap_plan 2
else
	ktap_plan 3
fi

CHIP=
for c in /sys/class/pwm/pwmchip*; do
	[ "$(readlink "$c/device/driver" | sed 's@.*/@@')" = "$DRIVER" ] && CHIP=$c
done
PWM=$CHIP/pwm0
# The periods: 100 us to 6 ms, or to 2.2 times the longest period of
# prescaler 0 if that is longer (a slow counter clock: 4.4 s at 32768 Hz),
# so that about half the changes cross a prescaler range.
MP=/sys/module/imx_tpm_model/parameters
RATE=24000000
WIDTH=16
[ -r $MP/rate ] && read -r RATE <$MP/rate
[ -r $MP/width ] && read -r WIDTH <$MP/width
P0=$(((1 << WIDTH) * 1000000000 / RATE))
P_HI=$(((1 << WIDTH) * 22 * 100000000 / RATE))
[ "$P_HI" -ge 6000000 ] || P_HI=6000000
[ "$ONE_RANGE" = 1 ] && P_HI=$((P0 * 99 / 100))

# a pseudo-random number below $1 in R (a linear congruential generator,
# two steps of 23 bits each: periods up to seconds need more than 23)
X=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
X=$((X % 2147483648))
echo "# seed $X (repeat with -s $X)"
rnd() {
	X=$(((X * 1103515245 + 12345) % 2147483648))
	R=$((X >> 8))
	X=$(((X * 1103515245 + 12345) % 2147483648))
	R=$((((R << 23) | (X >> 8)) % $1))
}

# set period $1 and duty $2 of the running channel, in the order that keeps
# duty <= period; status 1 if a write was refused
set_pd() {
	_rc=0
	if [ "$1" -ge "$CUR_P" ]; then
		{ echo "$1" >"$PWM/period" && echo "$2" >"$PWM/duty_cycle"; } 2>/dev/null || _rc=1
	else
		{ echo "$2" >"$PWM/duty_cycle" && echo "$1" >"$PWM/period"; } 2>/dev/null || _rc=1
	fi
	read -r CUR_P <"$PWM/period"
	return "$_rc"
}

# part NAME COUNT: COUNT changes, sampled; sets FAILS, DONE and CROSS (the
# changes between a period below P0 and one from P0 up)
part() {
	FAILS=0
	DONE=0
	CROSS=0
	irqsoff_reset
	_i=0
	while [ "$_i" -lt "$2" ]; do
		rnd $((P_HI - 100000 + 1))
		_p=$((100000 + R))
		rnd $((_p + 1))
		_a=0
		_b=0
		[ "$_p" -ge "$P0" ] && _a=1
		[ "$CUR_P" -ge "$P0" ] && _b=1
		[ "$_a" = "$_b" ] || CROSS=$((CROSS + 1))
		set_pd "$_p" "$R" || FAILS=$((FAILS + 1))
		irqsoff_sample
		_i=$((_i + 1))
		read -r _up _ </proc/uptime
		if [ -n "${DEADLINE:-}" ] && [ "${_up%.*}" -ge "$DEADLINE" ]; then
			break
		fi
	done
	DONE=$_i
	irqsoff_report "$1"
}

# verdict DESC LATE COUNT: the test point of a part
verdict() {
	_bad=0
	if [ "$DONE" -lt "$3" ]; then
		diag "$1: only $DONE of $3 changes in the time allowed"
	fi
	if [ "$FAILS" -gt 0 ]; then
		if [ "$2" = 1 ]; then
			diag "$1: $FAILS of $DONE changes refused (late wake-ups that missed every wrap until the deadline: ETIMEDOUT)"
		else
			diag "$1: $FAILS of $DONE changes refused"
			_bad=1
		fi
	fi
	diag "$1: $CROSS of $DONE changes crossed a prescaler range"
	if [ "$ONE_RANGE" = 1 ]; then
		if [ "$CROSS" != 0 ]; then
			diag "$1: with -x no change may cross a prescaler range"
			_bad=1
		fi
	elif [ "$CROSS" = 0 ]; then
		diag "$1: no change crossed a prescaler range: the restart was not measured"
		_bad=1
	fi
	# Each sample's longest section bounds every other section of it. If
	# none was the driver's, its sections were all shorter than the
	# longest of the rest, which is then the bound.
	_us=$IO_DRV_US
	_how="$IO_DRV_N samples"
	if [ "$IO_DRV_N" = 0 ]; then
		_us=$IO_OTHER_US
		[ "$IO_MODEL_US" -gt "$_us" ] && _us=$IO_MODEL_US
		_how="never the longest section of one of $IO_N samples"
		if [ "$IO_N" = 0 ]; then
			diag "$1: the tracer recorded nothing: nothing measured"
			_bad=1
		else
			diag "$1: no sample's longest section was the driver's: each of its sections was shorter than the longest of the rest, $_us us"
		fi
	fi
	if [ "$MEASURE" = 1 ]; then
		result "$_bad" "$1: measured, driver $_us us ($_how)"
	elif [ "$TARGET" -gt 0 ]; then
		if [ "$_us" -gt "$TARGET" ]; then
			diag "$1: the driver kept interrupts disabled for up to $_us us ($_how; $IO_DRV_AT), more than $TARGET us"
			_bad=1
		fi
		result "$_bad" "$1: the driver disables interrupts for at most $TARGET us ($_us us, $_how)"
	elif [ "$_bad" = 0 ]; then
		skip "$1: driver $IO_DRV_US us" "no target on a guest timed by the host's clock (run with -T on an instruction-count guest)"
	else
		result 1 "$1"
	fi
}

if [ -z "$CHIP" ] || ! echo 0 >"$CHIP/export"; then
	diag "no $DRIVER chip, or its channel 0 cannot be exported"
	result 1 "the irqsoff tracer is on"
	result 1 "changes of a running channel"
	[ "$LATE_UPDATES" = 0 ] || result 1 "changes of a running channel with late wake-ups"
	ktap_end irqsoff
	exit 1
fi
echo 1000000 >"$PWM/period"
echo 500000 >"$PWM/duty_cycle"
echo 1 >"$PWM/enable"
CUR_P=1000000

if ! irqsoff_start; then
	diag "$IO_WHY"
	result 1 "the irqsoff tracer is on"
	skip "changes of a running channel" "no irqsoff tracer"
	[ "$LATE_UPDATES" = 0 ] || skip "changes of a running channel with late wake-ups" "no irqsoff tracer"
	ktap_end irqsoff
	exit 1
fi
result 0 "the irqsoff tracer is on ($IO_T)"
_tgt="report only"
[ "$TARGET" -gt 0 ] && _tgt="target $TARGET us"
[ "$MEASURE" = 1 ] && _tgt="measured only"
diag "$(uname -r): $DRIVER: changes of pwm0, periods 100 us to $((P_HI / 1000)) us at random, model rate $RATE Hz, $_tgt"

part "idle CPU" "$UPDATES"
verdict "$UPDATES changes of a running channel, idle CPU" 0 "$UPDATES"

if [ "$LATE_UPDATES" = 0 ]; then
	:
elif [ -x /vm/extra/late-wake ]; then
	DEADLINE=$(($(cut -d. -f1 /proc/uptime) + LATE_MAX))
	/vm/extra/late-wake "$((LATE_MAX + 5))" 1000 200 >/tmp/late-wake.out 2>&1 &
	_lw=$!
	sleep 1
	if kill -0 "$_lw" 2>/dev/null; then
		part "late wake-ups" "$LATE_UPDATES"
		kill "$_lw" 2>/dev/null
		wait "$_lw" 2>/dev/null
		diag "$(cat /tmp/late-wake.out)"
		verdict "$LATE_UPDATES changes of a running channel, sleeps waking up to 1 ms late (SCHED_FIFO bursts)" 1 "$LATE_UPDATES"
	else
		wait "$_lw"
		diag "late-wake did not run: $(cat /tmp/late-wake.out)"
		result 1 "changes of a running channel with late wake-ups"
	fi
	DEADLINE=
else
	result 1 "changes of a running channel with late wake-ups (no /vm/extra/late-wake)"
fi

irqsoff_stop
echo 0 >"$PWM/enable"
echo 0 >"$CHIP/unexport"
ktap_end irqsoff
