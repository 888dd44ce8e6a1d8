#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/bench/bench-guest.sh [COUNT [PERIOD_NS...]] - run in a guest by
# tests/bench/bench.sh: pwm-bench (in /vm/extra) on channel 0 of the chip
# bound to the TPM model, with the model's rate and width.
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
/vm/extra/pwm-bench "$dev" 0 "$(cat $P/rate)" "$(cat $P/width)" "$count" "$@"
