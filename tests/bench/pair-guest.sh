#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/bench/pair-guest.sh - make bench's side-by-side part, in one guest
# of tests/vm/vm.sh with the TPM model: this repository's driver, then
# mainline's (/vm/pwm-imx-tpm-mainline.ko: tests/upstream/upstream.sh
# bench-src, built by vm.sh from VM_MAINLINE_SRC), each bound in turn to
# the model's device pwm-imx-tpm and measured the same way.
#
# usage: pair-guest.sh bench "PWM_BENCH_OPTS" COUNT PERIOD_NS... [-- KSELFTEST_ARGS...]
#        pair-guest.sh irqsoff IRQSOFF_ARGS...
#
# bench: pwm-bench -s -n PWM_BENCH_OPTS (one word: "-b BUS_NS" or "-w")
# on channel 0, then the kselftest with KSELFTEST_ARGS, for each driver.
# Through sysfs: mainline's driver has only .apply, so no /dev/pwmchipN on
# 7.3. Measured only: the latency and CPU targets are make bench's first
# part's, through the character device. Points: each driver measured at
# every period; this driver without a glitch or a refused write at each
# (mainline's are reported). The kselftests'
# output goes to the console with "ks-this: " and "ks-mainline: " before
# each line, for bench.sh to total and hold to the budget (this driver)
# or report (mainline).
# irqsoff: tests/vm/irqsoff-guest.sh IRQSOFF_ARGS -x for this driver, then
# with -M (measured only) instead of its -T for mainline's.
# Points of its own: mainline's driver bound, mainline's runs completed.
# Last line "pair: N passed, M failed[, K skipped]", the sums of the
# points and the sub-runs' result lines.

DEV=/sys/bus/platform/devices/pwm-imx-tpm
THIS=pwm-imx-tpm
MAINLINE=imx7ulp-tpm-pwm
P=/sys/module/imx_tpm_model/parameters

# shellcheck source=../vm/guest-ktap.sh source-path=SCRIPTDIR
. /vm/tests/guest-ktap.sh

# add the "NAME: N passed, M failed[, K skipped]" line of file $1
add_totals() {
	_l=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$_l" ]; then
		result 1 "$2: a result line"
		return
	fi
	# shellcheck disable=SC2086 # the words of the line
	set -- $_l
	KTAP_PASSED=$((KTAP_PASSED + $2))
	KTAP_FAILED=$((KTAP_FAILED + $4))
	[ -n "${6:-}" ] && KTAP_SKIPPED=$((KTAP_SKIPPED + $6))
}

chip() {
	for _c in "$DEV"/pwm/pwmchip*; do
		[ -e "$_c" ] && echo "/sys/class/pwm/${_c##*/}"
	done
}

bound() {
	readlink "$DEV/driver" | sed 's@.*/@@'
}

# this driver off the device, mainline's on: the device's name matches
# this driver, so mainline's binds only through driver_override
to_mainline() {
	echo "$MAINLINE" >"$DEV/driver_override" &&
		echo pwm-imx-tpm >"/sys/bus/platform/drivers/$THIS/unbind" &&
		insmod /vm/pwm-imx-tpm-mainline.ko &&
		{ [ "$(bound)" = "$MAINLINE" ] ||
			echo pwm-imx-tpm >"/sys/bus/platform/drivers/$MAINLINE/bind"; }
	_b=$(bound)
	echo "# pair: $(chip) bound to ${_b:-nothing}; the model's next values: $(cat /sys/kernel/debug/imx-tpm-model/next)"
	result "$([ "$_b" = "$MAINLINE" ] && echo 0 || echo 1)" "mainline's driver $MAINLINE bound to the model's device after $THIS was unbound"
	[ "$_b" = "$MAINLINE" ]
}

mode=$1
shift
if [ "$(bound)" != "$THIS" ] || [ -z "$(chip)" ]; then
	result 1 "$THIS bound to the model's device, with a chip"
	ktap_end pair
	exit 1
fi

case $mode in
bench)
	opts=$1
	count=$2
	shift 2
	periods=
	np=0
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		periods="$periods $1"
		np=$((np + 1))
		shift
	done
	[ "${1:-}" = -- ] && shift
	rate=$(cat $P/rate)
	width=$(cat $P/width)
	echo "# $(uname -r), model rate $rate Hz, width $width, $count applies per period through sysfs"
	for who in this mainline; do
		if [ "$who" = mainline ]; then
			to_mainline || break
		fi
		echo "# pair: $who: pwm-bench"
		# shellcheck disable=SC2086 # options and periods, split on purpose
		/vm/extra/pwm-bench -s -n $opts "$(chip)" 0 "$rate" "$width" "$count" $periods \
			>/tmp/bench.$who 2>&1
		sed "s/^# result:/# result $who:/" /tmp/bench.$who
		n=$(grep -c '^# result:' /tmp/bench.$who)
		result "$([ "$n" = "$np" ] && echo 0 || echo 1)" "$who driver measured at $n of $np periods"
		if [ "$who" = this ]; then
			# this driver: no glitch, no refused write, whatever the path
			sed -n 's/^# result: //p' /tmp/bench.this >/tmp/bench.this.r
			while read -r line; do
				g=$(echo "$line" | sed -n 's/.* glitches=\([0-9]*\).*/\1/p')
				f=$(echo "$line" | sed -n 's/.* failed=\([0-9]*\).*/\1/p')
				r=$(echo "$line" | sed -n 's/.* periods=\([0-9]*\).*/\1/p')
				p=$(echo "$line" | sed -n 's/^period_ns=\([0-9]*\).*/\1/p')
				result "$([ "$g" = 0 ] && [ "$f" = 0 ] && [ "${r:-0}" -gt 0 ] && echo 0 || echo 1)" \
					"this driver through sysfs, period $p ns: $g glitches, $f refused writes, $r periods checked"
			done </tmp/bench.this.r
		fi
		echo "# pair: $who: kselftest $*"
		sh /vm/tests/pwm-imx-tpm.sh "$@" >/tmp/ks.$who 2>&1
		echo "# pair: $who: kselftest exit $?"
		sed "s/^/ks-$who: /" /tmp/ks.$who
	done
	;;
irqsoff)
	for who in this mainline; do
		if [ "$who" = mainline ]; then
			to_mainline || break
			set -- "$@" -d "$MAINLINE" -M
		fi
		echo "# pair: $who: irqsoff"
		sh /vm/tests/irqsoff-guest.sh -x "$@" >/tmp/irqsoff.$who 2>&1
		grep -E '^(ok|not ok|#) ' /tmp/irqsoff.$who
		add_totals /tmp/irqsoff.$who "$who: irqsoff-guest.sh"
	done
	;;
*)
	echo "usage: $0 bench|irqsoff ..." >&2
	exit 2
	;;
esac

ktap_end pair
