#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/takeover-guest.sh - run in a guest on the model path of
# tests/vm/vm.sh (GUEST_SCRIPT). Reloads the TPM model with registers as a
# bootloader may leave them (init_sc, init_mod, init_cnsc, init_cnv) and
# checks what the driver makes of them: only channels in edge-aligned PWM
# on a counting, up-counting counter read as enabled; the first apply of
# another channel brings it (and the counter) into edge-aligned PWM. Then
# a slow counter clock (1 kHz, write latency): duty changes of a running
# channel, some of them made in the last counter cycle before a wrap, all
# succeed.
# KTAP; the last line is "takeover: N passed, M failed".

MODEL=/vm/imx-tpm-model.ko
MDIR=/sys/kernel/debug/imx-tpm-model
STRICT="cmod_ack=1 write_latency=1 buffer_ignore=1"
# shellcheck source=guest-ktap.sh source-path=SCRIPTDIR
. /vm/tests/guest-ktap.sh

# load_model PARAMS...: reload the model; CHIP is the driver's chip
load_model() {
	rmmod imx-tpm-model 2>/dev/null
	# shellcheck disable=SC2068 # split the parameters
	insmod "$MODEL" $@ || return 1
	i=0
	while [ "$i" -lt 50 ]; do
		for c in /sys/class/pwm/pwmchip*; do
			if [ -e "$c/npwm" ]; then
				CHIP=$c
				return 0
			fi
		done
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

regs_file() {
	for d in /sys/kernel/debug/regmap/*imx-tpm-model*; do
		[ -r "$d/registers" ] && echo "$d/registers" && return
	done
}

# reg OFFSET: the register's value (decimal)
reg() {
	v=$(grep "^0*$(printf %x "$1"): " "$(regs_file)" | cut -d' ' -f2)
	echo $((0x${v:-0}))
}

# enabled CH: the sysfs enable after export
enabled() {
	[ -e "$CHIP/pwm$1" ] || echo "$1" >"$CHIP/export"
	cat "$CHIP/pwm$1/enable"
}

unexport_all() {
	for p in "$CHIP"/pwm[0-9]*; do
		[ -e "$p" ] || continue
		echo 0 >"$p/enable" 2>/dev/null
		echo "${p##*pwm}" >"$CHIP/unexport"
	done
}

# expect_enabled "E0 E1 ...": each channel's enable as expected
expect_enabled() {
	ch=0
	for e in $1; do
		got=$(enabled "$ch")
		if [ "$got" != "$e" ]; then
			diag "pwm$ch: enable $got, expected $e (CnSC $(printf %#x "$(reg $((0x20 + 8 * ch)))"))"
			bad=1
		fi
		ch=$((ch + 1))
	done
}

# apply_check CH PERIOD DUTY: enable a channel, then SC must be counting
# up (CMOD 01, CPWMS 0) and CnSC edge-aligned high-true (0x28)
apply_check() {
	p=$CHIP/pwm$1
	[ -e "$p" ] || echo "$1" >"$CHIP/export"
	echo 0 >"$p/duty_cycle" 2>/dev/null
	if ! echo "$2" >"$p/period" || ! echo "$3" >"$p/duty_cycle" ||
		! echo 1 >"$p/enable"; then
		diag "pwm$1: enabling $2/$3 failed"
		bad=1
		return
	fi
	sc=$(reg 16)
	cnsc=$(reg $((0x20 + 8 * $1)))
	if [ $((sc & 0x38)) != 8 ] || [ $((cnsc & 0x3c)) != 40 ]; then
		diag "pwm$1: SC $(printf %#x "$sc") CnSC $(printf %#x "$cnsc"), expected CMOD 01 CPWMS 0, CnSC 0x28"
		bad=1
	fi
	if [ "$(cat "$p/enable")" != 1 ]; then
		diag "pwm$1: enable reads $(cat "$p/enable") after enabling"
		bad=1
	fi
}

errors_none() {
	if [ -s "$MDIR/errors" ]; then
		sed 's/^/# model: /' "$MDIR/errors"
		bad=1
	fi
}

ktap_plan 5

# 1. counting edge-aligned counter (1 ms), channels in every mode:
# 0 EPWM high-true, 1 EPWM low-true, 2 output compare (MSA, ELS 01),
# 3 input capture (ELS 10 only), 4 pulse output (MSB:MSA 11), 5 off
bad=0
if load_model "$STRICT" init_sc=0x08 init_mod=23999 \
	init_cnsc=0x28,0x24,0x14,0x08,0x38,0 \
	init_cnv=12000,6000,100,0,500,0; then
	expect_enabled "1 1 0 0 0 0"
	if [ "$(cat "$CHIP/pwm0/period" 2>/dev/null)" != 1000000 ] ||
		[ "$(cat "$CHIP/pwm0/duty_cycle" 2>/dev/null)" != 500000 ]; then
		diag "pwm0: $(cat "$CHIP/pwm0/period")/$(cat "$CHIP/pwm0/duty_cycle"), expected 1000000/500000"
		bad=1
	fi
else
	diag "model with presets not loaded or driver not bound"
	bad=1
fi
result "$bad" "takeover: only edge-aligned PWM channels of a counting counter read as enabled"

# 2. the first apply of a channel in another mode makes it a PWM
bad=0
if [ -n "$CHIP" ]; then
	apply_check 2 1000000 250000
	apply_check 4 1000000 250000
	apply_check 3 1000000 250000
	errors_none
	unexport_all
else
	bad=1
fi
result "$bad" "takeover: first apply brings a channel in another mode to edge-aligned PWM"

# 3. centre-aligned counter (CPWMS 1): nothing is a running PWM; the
# first apply makes the counter count up
bad=0
if load_model "$STRICT" init_sc=0x28 init_mod=11999 \
	init_cnsc=0x28,0x24,0,0,0,0 init_cnv=6000,3000,0,0,0,0; then
	expect_enabled "0 0 0 0 0 0"
	apply_check 0 500000 250000
	errors_none
	unexport_all
else
	bad=1
fi
result "$bad" "takeover: centre-aligned counter: disabled, first apply makes it edge-aligned"

# 4. stopped counter with a channel set up as PWM: not running
bad=0
if load_model "$STRICT" init_sc=0 init_mod=23999 init_cnsc=0x28,0,0,0,0,0 \
	init_cnv=12000,0,0,0,0,0; then
	expect_enabled "0 0 0 0 0 0"
	apply_check 0 1000000 500000
	errors_none
	unexport_all
else
	bad=1
fi
result "$bad" "takeover: stopped counter: disabled, first apply starts it"

# 5. slow clock: 1 kHz, one write takes up to 1 ms to arrive; 20 ms
# period: about one duty change in 20 is made in the last cycle before a
# wrap, misses it and is taken a period later
bad=0
fails=0
if load_model "$STRICT" rate=1000; then
	p=$CHIP/pwm0
	echo 0 >"$CHIP/export"
	if echo 20000000 >"$p/period" && echo 1000000 >"$p/duty_cycle" &&
		echo 1 >"$p/enable"; then
		i=0
		while [ "$i" -lt 100 ]; do
			d=$(((i % 19 + 1) * 1000000))
			echo "$d" >"$p/duty_cycle" 2>/tmp/err || {
				fails=$((fails + 1))
				[ "$fails" -le 3 ] && diag "duty $d: $(cat /tmp/err)"
			}
			# move the next change's phase by about a cycle
			sleep 0.00$(((i * 7) % 10))
			i=$((i + 1))
		done
	else
		diag "could not start pwm0 at 20 ms"
		bad=1
	fi
	diag "slow clock: 100 duty changes, $fails failed"
	[ "$fails" = 0 ] || bad=1
	errors_none
	unexport_all
else
	bad=1
fi
result "$bad" "slow clock: duty changes made just before a wrap do not time out"

ktap_end takeover
