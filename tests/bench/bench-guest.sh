#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/bench/bench-guest.sh [-b BUS_NS | -w] [COUNT [PERIOD_NS...]] - run in
# a guest by tests/bench/bench.sh: pwm-bench (in /vm/extra) on channel 0 of
# the chip bound to the TPM model, with the model's rate and width; -b and
# -w go to pwm-bench.
opts=
while [ $# -gt 0 ]; do
	case $1 in
	-b) opts="$opts -b $2"; shift 2 ;;
	-w) opts="$opts -w"; shift ;;
	*) break ;;
	esac
done
count=${1:-1000}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 100000 1000000 10000000 100000000
P=/sys/module/imx_tpm_model/parameters
dev=
for c in /sys/class/pwm/pwmchip*; do
	[ "$(readlink "$c/device" | sed 's@.*/@@')" = pwm-imx-tpm ] && dev=/dev/${c##*/}
done
if [ -z "$dev" ] || [ ! -c "$dev" ]; then
	echo "# no character device of the pwm-imx-tpm chip"
	echo "bench: 0 passed, 1 failed"
	exit 1
fi
echo "# $(uname -r), model rate $(cat $P/rate) Hz, width $(cat $P/width), $count applies per period"
# shellcheck disable=SC2086 # $opts: options, split on purpose
/vm/extra/pwm-bench $opts "$dev" 0 "$(cat $P/rate)" "$(cat $P/width)" "$count" "$@"
