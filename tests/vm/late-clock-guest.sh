#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/late-clock-guest.sh - run in a guest on the dt-late path of
# tests/vm/vm.sh: pwm-imx-tpm is loaded, but the TPM's clock provider
# (late-clk.ko) is not. The probe must defer, and the driver must bind
# once the provider is loaded; then the quick kselftest runs (-S).
# KTAP; the last line is "late-clock: N passed, M failed".

DRV=/sys/bus/platform/drivers/pwm-imx-tpm
DEFERRED=/sys/kernel/debug/devices_deferred
# shellcheck source=guest-ktap.sh source-path=SCRIPTDIR
. /vm/tests/guest-ktap.sh

bound() {
	for d in "$DRV"/*; do
		[ -L "$d" ] && [ -e "$d/driver" ] && return 0
	done
	return 1
}

ktap_plan 3
# 1. not bound, deferred for its clock
bad=0
if bound; then
	echo "# bound although the clock provider is not loaded"
	bad=1
fi
line=$(grep -E 'pwm|tpm' "$DEFERRED" 2>/dev/null)
diag "devices_deferred: ${line:-nothing}"
case $line in
*"failed to get clock"*) ;;
*) echo "# the TPM is not deferred for its clock"; bad=1 ;;
esac
result "$bad" "probe defers while the clock provider is missing"

# 2. the provider arrives: the driver binds
bad=0
insmod /vm/late-clk.ko || bad=1
i=0
while ! bound && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if bound; then
	echo "# bound $((i * 100)) ms after late-clk.ko was loaded"
else
	echo "# not bound 5 s after late-clk.ko was loaded"
	bad=1
fi
dmesg | grep -E 'late-clk|pwm-imx-tpm' | sed 's/^/# /'
result "$bad" "binds once the clock provider is there"

# 3. and works
bad=0
if bound; then
	sh /vm/tests/pwm-imx-tpm.sh -q -S >/tmp/ks.log 2>&1 || bad=1
	echo "# kselftest: $(grep '^# Totals' /tmp/ks.log)"
	[ "$bad" = 0 ] || grep '^not ok' /tmp/ks.log | sed 's/^/# /'
else
	bad=1
fi
result "$bad" "the quick kselftest (-S) passes on the late-bound chip"

ktap_end late-clock
