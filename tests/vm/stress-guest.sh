#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/stress-guest.sh - stress of pwm-imx-tpm against the TPM model, run
# in a guest by tests/vm/vm.sh (busybox sh). Needs /vm/pwm-imx-tpm.ko (for
# the insmod/rmmod cycles) and the kselftest in /vm/tests.
#
# usage: stress-guest.sh [-t SECONDS] [-w WRITERS] [-b BIND] [-m MOD] [-p PM] [-K] [-R] [-s SEED] [-C LIST]
#   -t  how long the writers run (default 60)
#   -w  writer processes over all channels (default 4)
#   -b  unbind/bind cycles with channels exported and enabled (default 200)
#   -m  rmmod/insmod cycles (default 200)
#   -p  suspend/resume cycles through /sys/power/pm_test (default 20)
#   -K  run the quick kselftest only after the last part, not after each
#       (for slow kernels)
#   -C  the channels the quick kselftest tests, e.g. 0,5 (default: all)
#   -s  seed of the writers' random states (default: from /dev/urandom;
#       printed as "# seed N (repeat with -s N)")
#   -R  the kernel must be PREEMPT_RT (the debug kernel): one more test
#       point, failed unless uname -v says PREEMPT_RT or
#       /sys/kernel/realtime is 1
#
# Each part is one KTAP test point; the last line is
# "stress: N passed, M failed". Exit 0 if all passed, 1 if not.

SECS=60
WRITERS=4
BINDS=200
MODS=200
PMS=20
KS_EACH=1
NEED_RT=0
SEED=
KS_CH=
while getopts t:w:b:m:p:KRs:C: o; do
	case $o in
	t) SECS=$OPTARG ;;
	w) WRITERS=$OPTARG ;;
	b) BINDS=$OPTARG ;;
	m) MODS=$OPTARG ;;
	p) PMS=$OPTARG ;;
	K) KS_EACH=0 ;;
	R) NEED_RT=1 ;;
	s) SEED=$OPTARG ;;
	C) KS_CH=$OPTARG ;;
	*) echo "usage: $0 [-t S] [-w N] [-b N] [-m N] [-p N] [-K] [-R] [-s SEED] [-C LIST]" >&2; exit 2 ;;
	esac
done

DRV=/sys/bus/platform/drivers/pwm-imx-tpm
KO=/vm/pwm-imx-tpm.ko
KSELFTEST=/vm/tests/pwm-imx-tpm.sh
TMP=${TMPDIR:-/tmp}/stress.$$
mkdir -p "$TMP"
NTEST=6
# shellcheck source=guest-ktap.sh source-path=SCRIPTDIR
. /vm/tests/guest-ktap.sh
# shellcheck source=guest-irqsoff.sh source-path=SCRIPTDIR
. /vm/tests/guest-irqsoff.sh

# the platform device the driver is bound to: DEV
find_dev() {
	DEV=
	for d in "$DRV"/*; do
		[ -L "$d" ] && [ -e "$d/driver" ] && DEV=${d##*/}
	done
	[ -n "$DEV" ]
}

# the pwmchip of the bound device: CHIP (directory), NPWM
find_chip() {
	CHIP=
	for c in /sys/class/pwm/pwmchip*; do
		[ -e "$c/device" ] || continue
		[ "$(readlink "$c/device" | sed 's@.*/@@')" = "$DEV" ] || continue
		CHIP=$c
		NPWM=$(cat "$c/npwm")
	done
	[ -n "$CHIP" ]
}

# random number below $1 (< 2^27), from a 31-bit linear congruential
# generator (each writer seeds its own)
SEED=$((${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')} % 2147483648))
SEED0=$SEED
rnd() {
	SEED=$(((SEED * 1103515245 + 12345) % 2147483648))
	R=$(((SEED >> 4) % $1))
}

# a value for a period or duty attribute: valid, out of range, or garbage
rnd_value() {
	rnd 16
	case $R in
	0) V=0 ;;
	1) V=-1 ;;
	2) V=abc ;;
	3) V=18446744073709551615 ;;
	4) V=4294967296 ;;
	5) V=" " ;;
	6) rnd 1000; V=$R ;;
	7) rnd 100000; V=$R ;;
	*) rnd 20000000; V=$((R + 1)) ;;
	esac
}

# one writer: random attribute writes until $1 (uptime seconds); $2 is its
# number
writer() {
	_w_end=$1
	SEED=$(((SEED + $2 * 7919) % 2147483648))
	_w_n=0
	_w_err=0
	while :; do
		_w_now=$(cut -d. -f1 /proc/uptime)
		[ "$_w_now" -lt "$_w_end" ] || break
		rnd "$NPWM"
		_w_ch=$R
		_w_p=$CHIP/pwm$_w_ch
		rnd 12
		# Only writer 0 exports and unexports: the PWM core does not
		# serialise export against unexport of the same channel (seen on
		# 7.3: unexport during an export leaves the channel requested,
		# with a pwmN directory, and neither can be undone).
		if [ "$2" != 0 ] && [ "$R" -lt 2 ]; then
			R=11
		fi
		case $R in
		0) echo "$_w_ch" >"$CHIP/export" ;;
		1) echo "$_w_ch" >"$CHIP/unexport" ;;
		2 | 3 | 4) rnd_value; echo "$V" >"$_w_p/period" ;;
		5 | 6 | 7) rnd_value; echo "$V" >"$_w_p/duty_cycle" ;;
		8) echo inversed >"$_w_p/polarity" ;;
		9) echo normal >"$_w_p/polarity" ;;
		10) rnd 3; echo "$R" >"$_w_p/enable" ;;
		*) cat "$_w_p/period" "$_w_p/duty_cycle" "$_w_p/polarity" "$_w_p/enable" >/dev/null ;;
		esac 2>/dev/null || _w_err=$((_w_err + 1))
		_w_n=$((_w_n + 1))
	done
	echo "$_w_n $_w_err" >"$TMP/writer.$2"
}

# disable and unexport every channel. Unexport leaves a channel as it is,
# enabled too: export each one to disable it.
quiesce() {
	_q_ch=0
	while [ "$_q_ch" -lt "$NPWM" ]; do
		echo "$_q_ch" >"$CHIP/export" 2>/dev/null
		echo 0 >"$CHIP/pwm$_q_ch/enable" 2>/dev/null
		echo "$_q_ch" >"$CHIP/unexport" 2>/dev/null
		_q_ch=$((_q_ch + 1))
	done
	if ls -d "$CHIP"/pwm[0-9]* >/dev/null 2>&1 ||
		grep -q ' enabled' /sys/kernel/debug/pwm 2>/dev/null; then
		diag "channels still exported or enabled:"
		for _q_p in "$CHIP"/pwm[0-9]*; do [ -e "$_q_p" ] && diag "  $_q_p"; done
		sed 's/^/#   /' /sys/kernel/debug/pwm 2>/dev/null
		_q_ch=0
		while [ "$_q_ch" -lt "$NPWM" ]; do
			echo "$_q_ch" 2>&1 >"$CHIP/export" | sed "s/^/#   export $_q_ch: /"
			echo 0 2>&1 >"$CHIP/pwm$_q_ch/enable" | sed "s/^/#   disable $_q_ch: /"
			echo "$_q_ch" 2>&1 >"$CHIP/unexport" | sed "s/^/#   unexport $_q_ch: /"
			_q_ch=$((_q_ch + 1))
		done
		return 1
	fi
}

# the quick kselftest on the chip, as the check that the driver and its
# state are sound after each part (with -K only once, at the end: "last")
kselftest_ok() {
	if [ "$KS_EACH" = 0 ] && [ "$2" != last ]; then
		find_dev && find_chip
		return
	fi
	if ! { find_dev && find_chip; }; then
		diag "$1: driver not bound"
		return 1
	fi
	sh "$KSELFTEST" -q -n 100 -c "${CHIP##*/pwmchip}" ${KS_CH:+-C "$KS_CH"} >"$TMP/ks.log" 2>&1
	_k_rc=$?
	if [ "$_k_rc" != 0 ]; then
		grep -E '^not ok|^# .*(fail|FAIL)' "$TMP/ks.log" | head -n 10 |
			sed 's/^/# ks: /'
		diag "$1: kselftest exit $_k_rc"
		return 1
	fi
	diag "$1: $(grep '^# Totals' "$TMP/ks.log")"
}

# $1 ns as read back from the hardware: whole counter clock cycles
# (prescaler 0, as for the periods used here), rounded up to ns
RATE=$(cat /sys/module/imx_tpm_model/parameters/rate)
tick_ns() {
	_t_c=$(($1 * RATE / 1000000000))
	echo $(((_t_c * 1000000000 + RATE - 1) / RATE))
}

# the model's counter: "<ps> <mod> <cmod>"
model_counter() {
	cut -d' ' -f2- /sys/kernel/debug/imx-tpm-model/now
}

# enable channels 0 and 1 with a period: $1 ns
start_two() {
	for _s_ch in 0 1; do
		[ "$_s_ch" -lt "$NPWM" ] || continue
		echo "$_s_ch" >"$CHIP/export" 2>/dev/null
		echo 0 >"$CHIP/pwm$_s_ch/enable" 2>/dev/null
		echo 0 >"$CHIP/pwm$_s_ch/duty_cycle" 2>/dev/null
		echo "$1" >"$CHIP/pwm$_s_ch/period" || return 1
		echo $(($1 / (_s_ch + 2))) >"$CHIP/pwm$_s_ch/duty_cycle" || return 1
		echo 1 >"$CHIP/pwm$_s_ch/enable" || return 1
	done
}

[ "$KS_EACH" = 0 ] && NTEST=$((NTEST + 1))
[ "$NEED_RT" = 1 ] && NTEST=$((NTEST + 1))
ktap_plan "$NTEST"
diag "seed $SEED0 (repeat with -s $SEED0)"
if ! find_dev || ! find_chip; then
	diag "pwm-imx-tpm is not bound to a device with a pwmchip"
	echo "stress: 0 passed, 1 failed"
	exit 1
fi
diag "device $DEV, ${CHIP##*/}, $NPWM channels"

# -- 0. (-R) the kernel is PREEMPT_RT, as tests/vm/vm.sh's "vm: PREEMPT_RT:"
# line reads it: uname -v says so (mainline), or /sys/kernel/realtime is 1
# (the rt patch set; mainline 7.3 has no such file)
if [ "$NEED_RT" = 1 ]; then
	uv=$(uname -v)
	rtf=$(cat /sys/kernel/realtime 2>/dev/null || echo none)
	diag "uname -v: $uv; /sys/kernel/realtime: $rtf"
	bad=1
	case $uv in *PREEMPT_RT*) bad=0 ;; esac
	[ "$rtf" = 1 ] && bad=0
	result "$bad" "the kernel is PREEMPT_RT"
fi

# -- 1. writers, starting with every channel exported
i=0
while [ "$i" -lt "$NPWM" ]; do
	echo "$i" >"$CHIP/export"
	i=$((i + 1))
done
# the longest interrupts-off sections while they run, where the kernel has
# the irqsoff tracer (the debug kernels): sampled every 0.1 s and put down
# to the driver or the rest (tests/vm/guest-irqsoff.sh); reported, not
# checked (a guest timed by the host's clock, whose scheduling stretches
# sections; tests/vm/irqsoff-guest.sh checks them by instruction count).
# The sampler runs as SCHED_FIFO (/vm/extra/fifo, tests/vm/fifo.c) so that
# the writers, which keep the one CPU busy, cannot starve it.
IRQSOFF=0
irqsoff_start && IRQSOFF=1
end=$(($(cut -d. -f1 /proc/uptime) + SECS))
if [ "$IRQSOFF" = 1 ]; then
	# A sample (reading the tracer) costs the sampler CPU time, much
	# of it on the debug kernels under TCG; as SCHED_FIFO it would then
	# starve the writers (seen: 3 writes in 12 s with a sample every
	# 0.1 s). It sleeps five times as long as its last sample took.
	(
		nap=10
		while read -r up _ </proc/uptime && [ "${up%.*}" -lt "$end" ]; do
			sleep "$((nap / 100)).$((nap % 100 / 10))$((nap % 10))"
			read -r t0 _ </proc/uptime
			irqsoff_sample
			read -r t1 _ </proc/uptime
			nap=$((5 * (${t1%.*}${t1#*.} - ${t0%.*}${t0#*.})))
			[ "$nap" -ge 10 ] || nap=10
		done
		irqsoff_report "irqsoff: writers"
	) >"$TMP/irqsoff" 2>&1 &
	sampler=$!
	if [ -x /vm/extra/fifo ]; then
		/vm/extra/fifo 60 "$sampler" || diag "irqsoff: the sampler runs as SCHED_OTHER"
	else
		diag "irqsoff: no /vm/extra/fifo, the sampler runs as SCHED_OTHER"
	fi
fi
i=0
while [ "$i" -lt "$WRITERS" ]; do
	writer "$end" "$i" &
	i=$((i + 1))
done
wait
if [ "$IRQSOFF" = 1 ]; then
	cat "$TMP/irqsoff"
	irqsoff_stop
else
	diag "irqsoff: not measured ($IO_WHY)"
fi
bad=0
total=0
errs=0
i=0
while [ "$i" -lt "$WRITERS" ]; do
	if read -r n e <"$TMP/writer.$i"; then
		total=$((total + n))
		errs=$((errs + e))
	else
		bad=1
		diag "writer $i left no result"
	fi
	i=$((i + 1))
done
diag "writers: $WRITERS for $SECS s: $total writes, $errs refused"
# a floor: a write per writer (the 7.3 debug kernel, four writers for
# 12 s: 20 and 48 writes; 3 when a SCHED_FIFO sampler starved them)
if [ "$total" -lt "$WRITERS" ]; then
	diag "writers: only $total writes, fewer than one per writer: starved?"
	bad=1
fi
quiesce || { diag "writers: channels left exported or enabled"; bad=1; }
kselftest_ok "after the writers" || bad=1
result "$bad" "$WRITERS writers with random valid and invalid states for $SECS s"

# -- 2. unbind/bind with channels exported and enabled
bad=0
i=0
while [ "$i" -lt "$BINDS" ]; do
	if ! start_two 1000000; then
		diag "bind cycle $i: could not enable channels"
		bad=1
		break
	fi
	echo "$DEV" >"$DRV/unbind" || { diag "bind cycle $i: unbind failed"; bad=1; break; }
	if [ -e "$CHIP" ]; then
		diag "bind cycle $i: ${CHIP##*/} still there after unbind"
		bad=1
		break
	fi
	echo "$DEV" >"$DRV/bind" || { diag "bind cycle $i: bind failed"; bad=1; break; }
	if ! find_chip; then
		diag "bind cycle $i: no pwmchip after bind"
		bad=1
		break
	fi
	i=$((i + 1))
done
diag "unbind/bind: $i of $BINDS cycles"
# The channels kept running across unbind: probe found them enabled, and
# export reads the hardware: whole ticks, rounded up to ns.
if [ "$bad" = 0 ]; then
	for ch in 0 1; do
		[ "$ch" -lt "$NPWM" ] || continue
		echo "$ch" >"$CHIP/export"
		st=$(cat "$CHIP/pwm$ch/period" "$CHIP/pwm$ch/duty_cycle" "$CHIP/pwm$ch/enable" | tr '\n' ' ')
		exp="$(tick_ns 1000000) $(tick_ns $((1000000 / (ch + 2)))) 1 "
		[ "$st" = "$exp" ] || { diag "pwm$ch after the last bind: $st, expected $exp"; bad=1; }
	done
fi
quiesce || bad=1
kselftest_ok "after unbind/bind" || bad=1
result "$bad" "$BINDS unbind/bind cycles with channels exported and enabled"

# -- 3. rmmod/insmod: refused while a channel is exported
bad=0
i=0
while [ "$i" -lt "$MODS" ]; do
	echo 0 >"$CHIP/export" || { bad=1; diag "mod cycle $i: export failed"; break; }
	if rmmod pwm_imx_tpm 2>/dev/null; then
		diag "mod cycle $i: rmmod succeeded with pwm0 exported"
		bad=1
		break
	fi
	echo 0 >"$CHIP/unexport" || { bad=1; break; }
	rmmod pwm_imx_tpm || { diag "mod cycle $i: rmmod failed"; bad=1; break; }
	[ -e "$CHIP" ] && { diag "mod cycle $i: ${CHIP##*/} left after rmmod"; bad=1; break; }
	insmod "$KO" || { diag "mod cycle $i: insmod failed"; bad=1; break; }
	if ! { find_dev && find_chip; }; then
		diag "mod cycle $i: not bound after insmod"
		bad=1
		break
	fi
	i=$((i + 1))
done
diag "rmmod/insmod: $i of $MODS cycles"
kselftest_ok "after rmmod/insmod" || bad=1
result "$bad" "$MODS rmmod/insmod cycles, rmmod refused while a channel is exported"

# -- 4. suspend/resume (pm_test). The PWM core disables exported channels
# before the chip's device suspends and enables them again after it
# resumed: suspend succeeds and the channels run again afterwards.
bad=0
PM=/sys/power
if [ ! -w "$PM/pm_test" ] || ! grep -qw freeze "$PM/state" 2>/dev/null; then
	skip "suspend/resume cycles" "no /sys/power/pm_test or freeze state"
else
	echo 0 >/sys/module/suspend/parameters/pm_test_delay 2>/dev/null
	echo devices >"$PM/pm_test"
	i=0
	while [ "$i" -lt "$PMS" ]; do
		start_two 2000000 || { bad=1; diag "pm cycle $i: could not enable"; break; }
		before=$(model_counter)
		if ! echo freeze >"$PM/state"; then
			diag "pm cycle $i: suspend failed"
			bad=1
			break
		fi
		after=$(model_counter)
		st=$(cat "$CHIP/pwm0/period" "$CHIP/pwm0/duty_cycle" "$CHIP/pwm0/enable" | tr '\n' ' ')
		if [ "$st" != "2000000 1000000 1 " ] || [ "$after" != "$before" ]; then
			diag "pm cycle $i: after resume pwm0 $st, counter $after (before: $before)"
			bad=1
			break
		fi
		case $after in
		*" 1") ;;
		*) diag "pm cycle $i: counter not running after resume: $after"; bad=1; break ;;
		esac
		# and once with the channels disabled
		quiesce
		echo freeze >"$PM/state" || { diag "pm cycle $i: idle suspend failed"; bad=1; break; }
		i=$((i + 1))
	done
	echo none >"$PM/pm_test"
	diag "suspend/resume: $i of $PMS cycles"
	# with the model's suspend_resets every resume was a power loss: the
	# channels must have been restored from reset registers
	if [ "$(cat /sys/module/imx_tpm_model/parameters/suspend_resets 2>/dev/null)" = Y ]; then
		resets=$(cat /sys/kernel/debug/imx-tpm-model/suspend_reset)
		diag "suspend/resume: the model reset its registers $resets times (suspend_resets)"
		[ "$resets" -ge $((2 * i)) ] || { diag "suspend/resume: fewer resets than resumes ($((2 * i)))"; bad=1; }
	fi
	quiesce || bad=1
	kselftest_ok "after suspend/resume" || bad=1
	result "$bad" "$PMS suspend/resume cycles (pm_test=devices) with exported channels running, restored after resume"
fi

# -K: the kselftest once, now
if [ "$KS_EACH" = 0 ]; then
	kselftest_ok "after the stress" last
	result $? "the quick kselftest passes after the stress"
fi

# -- 5. the model saw no misuse
errs=$(wc -l </sys/kernel/debug/imx-tpm-model/errors)
[ "$errs" = 0 ] || sed 's/^/# model: /' /sys/kernel/debug/imx-tpm-model/errors | head -n 10
result "$errs" "the model recorded no hardware misuse"

# -- 6. kmemleak, where the kernel has it
KML=/sys/kernel/debug/kmemleak
if [ -w "$KML" ]; then
	echo scan >"$KML"
	echo scan >"$KML"
	leaks=$(grep -c 'unreferenced object' "$KML")
	[ "$leaks" = 0 ] || head -n 40 "$KML" | sed 's/^/# /'
	result "$leaks" "kmemleak: no leak reported"
else
	skip kmemleak "kernel without kmemleak"
fi

rm -rf "$TMP"
ktap_end stress
