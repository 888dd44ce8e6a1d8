#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/faults-guest.sh - hardware faults through the TPM model, run in a
# guest by tests/vm/vm.sh (busybox sh) with /vm/imx-tpm-model.ko and
# /vm/pwm-imx-tpm.ko loaded:
#   - the latch never happens: -ETIMEDOUT within two periods plus a
#     margin (a duty write that reaches the counter just after a wrap is
#     taken one period later), and the driver stays usable;
#   - the writer's CPU taken away right after it read "not latched yet",
#     past the driver's deadline, while the change latches: no -ETIMEDOUT
#     (the model's fault_held_up_us);
#   - an interrupt at the same point of every period, across the wrap: a
#     prescaler change still stops the counter at a wrap (the model's
#     fault_wrap_irq_us);
#   - register access fails: the error comes back to the writer, nothing
#     crashes, and at probe time the probe fails with the error;
#   - PARAM reports 0 channels or an impossible counter width: probe fails
#     with a clear message.
# KTAP output; the last line is "faults: N passed, M failed".

DRV=/sys/bus/platform/drivers/pwm-imx-tpm
MDIR=/sys/kernel/debug/imx-tpm-model
KO=/vm/pwm-imx-tpm.ko
MODEL_KO=/vm/imx-tpm-model.ko
KSELFTEST=/vm/tests/pwm-imx-tpm.sh
# the latest an -ETIMEDOUT may come after the period in progress ends. The
# driver's own bound is 1 ms after the next period (then a period more);
# the rest is the guest's clock under TCG, which follows the host's: on a
# loaded host (make check's two lanes) a guest loses up to about 100 ms at
# a time (measured: ETIMEDOUT after 120 ms for a 2 ms bound, with 3 busy
# threads on 2 cores). What this must catch is a wait of seconds (a retry
# until a deadline far away), which this margin still does.
MARGIN_MS=250
# shellcheck source=guest-ktap.sh source-path=SCRIPTDIR
. /vm/tests/guest-ktap.sh

# the bound device and its pwmchip: DEV, CHIP
find_chip() {
	DEV=
	CHIP=
	for d in "$DRV"/*; do
		[ -L "$d" ] && [ -e "$d/driver" ] && DEV=${d##*/}
	done
	[ -n "$DEV" ] || return 1
	for c in /sys/class/pwm/pwmchip*; do
		[ "$(readlink "$c/device" 2>/dev/null | sed 's@.*/@@')" = "$DEV" ] && CHIP=$c
	done
	[ -n "$CHIP" ]
}

# reload the model with the given parameters, then the driver
reload() {
	rmmod pwm_imx_tpm 2>/dev/null
	rmmod imx_tpm_model 2>/dev/null
	dmesg -c >/dev/null
	# shellcheck disable=SC2086 # parameters are words
	insmod "$MODEL_KO" $VM_MODEL_PARAMS "$@" || return 1
	insmod "$KO"
}

RATE=$(cat /sys/module/imx_tpm_model/parameters/rate)

# settled CHDIR PERIOD DUTY WHAT: the channel reads back PERIOD and DUTY
# rounded (the longest setting not above each, so at most one counter
# tick, 1/32768 of the period at 16 bits, below), and the model's pin then
# shows complete periods of that setting: cycles from first principles,
# the smallest prescaler that holds the period in 16 bits, each length
# rounded down to whole ticks of it.
settled() {
	_s_p=$(cat "$1/period")
	_s_d=$(cat "$1/duty_cycle")
	if [ "$_s_p" -gt "$2" ] || [ "$_s_p" -lt $(($2 - $2 / 32768 - 1)) ]; then
		fail "$4: period reads $_s_p after a write of $2"
		return 1
	fi
	if [ "$_s_d" -gt "$3" ] || [ "$_s_d" -lt $(($3 - $2 / 32768 - 1)) ]; then
		fail "$4: duty_cycle reads $_s_d after a write of $3"
		return 1
	fi
	_s_pc=$(($2 * RATE / 1000000000))
	_s_ps=0
	while [ $((_s_pc >> _s_ps)) -gt 65536 ]; do
		_s_ps=$((_s_ps + 1))
	done
	if [ $((_s_pc >> _s_ps)) -eq 65536 ] && [ "$_s_ps" != 7 ]; then
		_s_ps=$((_s_ps + 1))
	fi
	_s_pc=$(((_s_pc >> _s_ps) << _s_ps))
	_s_hc=$(((($3 * RATE / 1000000000) >> _s_ps) << _s_ps))
	echo 1 >"$MDIR/clear"
	sleep $((3 * $2 / 1000000000 + 1))
	_s_full=$(grep -c " full $_s_pc $_s_hc\$" "$MDIR/ch${1##*pwm}")
	if [ "$_s_full" -lt 1 ]; then
		fail "$4: the model's pin has no complete period of $_s_pc/$_s_hc cycles: $(tr '\n' ';' <"$MDIR/ch${1##*pwm}")"
		return 1
	fi
	diag "$4: reads back $_s_p/$_s_d, the pin runs $_s_pc/$_s_hc cycles"
}

ktap_plan 8
# shellcheck source=/dev/null # written by vm.sh: VM_MODEL_PARAMS
. /vm/env
if ! find_chip; then
	diag "pwm-imx-tpm is not bound"
	echo "faults: 0 passed, 1 failed"
	exit 1
fi

# -- 1. the latch never happens
for period in 1000000 100000000; do
	wr 0 "$CHIP/export"
	p=$CHIP/pwm0
	wr "$period" "$p/period"
	wr $((period / 2)) "$p/duty_cycle"
	wr 1 "$p/enable"
	[ -z "$ERR" ] || fail "period $period: enable: $ERR"
	echo 1 >"$MDIR/fault_no_latch"
	t0=$(now_ms)
	wr $((period / 4)) "$p/duty_cycle"
	t1=$(now_ms)
	echo 0 >"$MDIR/fault_no_latch"
	ms=$((t1 - t0))
	limit=$((2 * period / 1000000 + MARGIN_MS))
	case $ERR in
	*"timed out"*) diag "period $period ns: duty change without latch: ETIMEDOUT after $ms ms (limit $limit ms)" ;;
	*) fail "period $period ns: duty change without latch: ${ERR:-succeeded}, expected ETIMEDOUT" ;;
	esac
	[ "$ms" -le "$limit" ] || fail "period $period ns: ETIMEDOUT after $ms ms, more than $limit ms"
	# usable again: a new setting takes effect and reads back
	wr $((period / 3)) "$p/duty_cycle"
	[ -z "$ERR" ] || fail "period $period ns: duty change after the fault: $ERR"
	settled "$p" "$period" $((period / 3)) "period $period ns, after the fault"
	wr 0 "$p/enable"
	wr 0 "$CHIP/unexport"
done
point "latch never happens: -ETIMEDOUT within two periods + $MARGIN_MS ms, then a new setting reads back and runs"

# -- 1b. the CPU taken away right after a read that saw "not yet": the
# model takes a duty change one wrap late (as a write that reached the
# counter just too late for a wrap is taken), and the first read that
# finds it still buffered after that wrap is held up for 3 ms, three
# periods: the time is past the driver's deadline when the read returns,
# but the change has happened by then. The driver may give up only on a
# read made after its deadline. Whether a read falls between the two
# wraps depends on when the driver's sleep ends: 20 changes, of which at
# least one must have been held up.
wr 0 "$CHIP/export"
p=$CHIP/pwm0
wr 1000000 "$p/period"
wr 500000 "$p/duty_cycle"
wr 1 "$p/enable"
[ -z "$ERR" ] || fail "enable: $ERR"
held0=$(cat "$MDIR/fault_held_up_us")
n=0
nfail=0
while [ "$n" -lt 20 ]; do
	d=$((250000 + n % 2 * 100000))
	echo 3000 >"$MDIR/fault_held_up_us"
	wr "$d" "$p/duty_cycle"
	echo 0 >"$MDIR/fault_held_up_us"
	if [ -n "$ERR" ]; then
		nfail=$((nfail + 1))
		[ "$nfail" -le 3 ] && fail "duty change $n to $d ns: $ERR"
	fi
	RD=$(cat "$p/duty_cycle")
	[ "$RD" = "$d" ] || fail "duty change $n: duty_cycle reads $RD, expected $d"
	n=$((n + 1))
done
held=$(($(cat "$MDIR/fault_held_up_us") - held0))
diag "20 duty changes, $held with the reader held up 3 ms, $nfail failed"
[ "$held" -ge 1 ] || fail "no read was held up: the case was not exercised"
wr 0 "$p/enable"
wr 0 "$CHIP/unexport"
point "reader held up 3 ms right after seeing a duty change not yet taken: every change succeeds (no -ETIMEDOUT)"

# -- 1c. an interrupt at the same point of every period: the model holds
# a CNT read made with interrupts enabled in the last 100 us before a wrap
# until 100 us after it. The driver's busy-wait before the wrap at which a
# prescaler change stops the counter sees each such wrap only after it has
# passed; it must stop the counter at one of them, early enough in the new
# period, rather than wait for a wrap it can never see coming (driver of
# c457de5: ETIMEDOUT after 0.5 s, every time). 20 ms -> 80 us changes the
# prescaler (3 -> 0 at 24 MHz); the way back runs without the fault.
wr 0 "$CHIP/export"
p=$CHIP/pwm0
wr 80000 "$p/period"
wr 40000 "$p/duty_cycle"
wr 1 "$p/enable"
[ -z "$ERR" ] || fail "enable: $ERR"
irqs0=$(cat "$MDIR/fault_wrap_irq_us")
n=0
nfail=0
ms_max=0
while [ "$n" -lt 10 ]; do
	wr 20000000 "$p/period"
	[ -z "$ERR" ] || fail "change $n: 80 us -> 20 ms: $ERR"
	echo 100 >"$MDIR/fault_wrap_irq_us"
	wr 80000 "$p/period"
	echo 0 >"$MDIR/fault_wrap_irq_us"
	[ "$MS" -le "$ms_max" ] || ms_max=$MS
	if [ -n "$ERR" ]; then
		nfail=$((nfail + 1))
		[ "$nfail" -le 3 ] && fail "change $n: 20 ms -> 80 us with an interrupt at every wrap: $ERR after $MS ms"
	fi
	RD=$(cat "$p/period")
	[ "$RD" = 80000 ] || fail "change $n: period reads $RD, expected 80000"
	n=$((n + 1))
done
irqs=$(($(cat "$MDIR/fault_wrap_irq_us") - irqs0))
diag "10 prescaler changes 20 ms -> 80 us: $irqs reads held across a wrap, $nfail failed, longest $ms_max ms"
[ "$irqs" -ge 1 ] || fail "no read was held across a wrap: the case was not exercised"
wr 0 "$p/enable"
wr 0 "$CHIP/unexport"
point "an interrupt at the same point of every period, 100 us before the wrap to 100 us after: every prescaler change succeeds"

# -- 2. register access fails on a running channel
wr 0 "$CHIP/export"
p=$CHIP/pwm0
wr 1000000 "$p/period"
wr 500000 "$p/duty_cycle"
wr 1 "$p/enable"
echo 1 >"$MDIR/fault_io"
wr 250000 "$p/duty_cycle"
e1=$ERR
wr 0 "$p/enable"
e2=$ERR
wr 1 "$CHIP/export"
e3=$ERR
echo 0 >"$MDIR/fault_io"
case $e1 in *"Input/output error"*) ;; *) fail "duty change with failing registers: ${e1:-succeeded}, expected EIO" ;; esac
case $e2 in *"Input/output error"*) ;; *) fail "disable with failing registers: ${e2:-succeeded}, expected EIO" ;; esac
diag "with failing registers: duty change: $e1; disable: $e2; export of pwm1: ${e3:-succeeded}"
wr 250000 "$p/duty_cycle"
[ -z "$ERR" ] || fail "duty change after the fault: $ERR"
settled "$p" 1000000 250000 "after failing registers"
wr 0 "$p/enable"
[ -z "$ERR" ] || fail "disable after the fault: $ERR"
wr 0 "$CHIP/unexport"
wr 1 "$CHIP/unexport"
point "register access fails: the error is returned, then a new setting reads back and runs"

# -- 3. register access fails at probe
dev=$DEV
echo "$dev" >"$DRV/unbind"
echo 1 >"$MDIR/fault_io"
dmesg -c >/dev/null
echo "$dev" >"$DRV/bind" 2>/dev/null && fail "bind succeeded with failing registers"
msg=$(dmesg | grep 'pwm-imx-tpm.*PARAM' | tail -n 1)
diag "probe with failing registers: ${msg:-no message}"
case $msg in *"failed to read PARAM"*) ;; *) fail "no probe error message" ;; esac
find_chip && fail "a pwmchip exists after the failed probe"
echo 0 >"$MDIR/fault_io"
echo "$dev" >"$DRV/bind" || fail "bind after the fault failed"
find_chip || fail "not bound after the fault"
point "register access fails at probe: probe fails with a message, later bind works"

# -- 4. PARAM: 0 channels, 5. impossible width
for case in "param=0 0 channels" "param=$((40 << 16 | 6)) a 40 bit counter"; do
	arg=${case%% *}
	what=${case#* }
	reload "$arg"
	msg=$(dmesg | grep 'pwm-imx-tpm' | grep PARAM | tail -n 1)
	diag "model $arg: $msg"
	case $msg in *"PARAM reports $what"*) ;; *) fail "no message \"PARAM reports $what\"" ;; esac
	find_chip && fail "bound although PARAM reports $what"
	point "PARAM reports $what: probe fails with a clear message"
done

# -- 6. back to a sound model: the quick kselftest passes
reload
if find_chip; then
	sh "$KSELFTEST" -q -n 100 >/tmp/faults.ks 2>&1
	rc=$?
	diag "kselftest after the faults: $(grep '^# Totals' /tmp/faults.ks)"
	[ "$rc" = 0 ] || { grep -E '^not ok|^# .*(fail|EBUSY|ETIMEDOUT|EIO|expected)' /tmp/faults.ks | head -n 20 | sed 's/^/# ks: /'; fail "kselftest exit $rc"; }
else
	fail "not bound after reloading the model"
fi
point "after the faults: the quick kselftest passes"

ktap_end faults
