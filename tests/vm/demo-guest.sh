#!/bin/sh
# tests/vm/demo-guest.sh - the guest side of "make demo" (busybox sh, run by
# tests/vm/vm.sh demo in a QEMU guest with imx-tpm-model.ko and
# pwm-imx-tpm.ko loaded): a short sysfs session on the model's pwmchip, and
# after each setting a dump of the model's output logs of channels 0 and 1,
# between "demo-phase" / "demo-end" lines that the host renders.

CHIP=
for c in /sys/class/pwm/pwmchip*; do
	[ "$(readlink "$c/device/driver" 2>/dev/null | sed 's@.*/@@')" = pwm-imx-tpm ] && CHIP=$c
done
MODEL=/sys/kernel/debug/imx-tpm-model
if [ -z "$CHIP" ] || [ ! -d "$MODEL" ]; then
	echo "demo: no pwm-imx-tpm chip with the TPM model" >&2
	exit 1
fi
echo "demo: rate $(cat /sys/module/imx_tpm_model/parameters/rate) Hz"

# run CMD...: show the command as in a shell session, then run it
run() {
	echo "guest# $*"
	sh -c "$*" || {
		echo "demo: failed: $*" >&2
		exit 1
	}
}

# phase TITLE: let the setting run for a few periods, then dump the logs
phase() {
	echo 1 >"$MODEL/clear"
	sleep 0.03
	echo "demo-phase $1"
	# the model logs how long each pin is high, not where in the period:
	# with inversed polarity the driver puts the high part at the end
	for ch in 0 1; do
		pol=normal
		[ -r "$CHIP/pwm$ch/polarity" ] && pol=$(cat "$CHIP/pwm$ch/polarity")
		echo "demo-pol ch$ch $pol"
	done
	for ch in 0 1; do
		while read -r line; do
			echo "demo-log ch$ch $line"
		done <"$MODEL/ch$ch"
	done
	echo "demo-end"
}

P0=${CHIP}/pwm0
P1=${CHIP}/pwm1
run "echo 0 > $CHIP/export"
run "echo 1000000 > $P0/period"
run "echo 250000 > $P0/duty_cycle"
run "echo 1 > $P0/enable"
phase "pwm0 1 kHz, duty 25 %"
run "echo 500000 > $P0/duty_cycle"
phase "pwm0 duty 50 %"
run "echo 1 > $CHIP/export"
run "echo 1000000 > $P1/period"
run "echo inversed > $P1/polarity"
run "echo 250000 > $P1/duty_cycle"
run "echo 1 > $P1/enable"
phase "pwm1 1 kHz, inversed, duty 25 %"
run "echo 0 > $P1/enable"
run "echo 0 > $P0/enable"
errors=$(cat "$MODEL/errors")
[ -z "$errors" ] || echo "demo: model errors: $errors"
exit 0
