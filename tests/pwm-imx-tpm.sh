#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of the NXP i.MX TPM PWM driver (this package's pwm-imx-tpm, or
# the in-tree driver, imx7ulp-tpm-pwm) through the PWM sysfs interface,
# /dev/pwmchipN (with the pwm-cdev helper) where the kernel has it, and
# the output log of the test-only TPM model (imx-tpm-model)
# where that is loaded. Output is KTAP; exit status 0 all passed, 1 a test
# failed, 4 everything was skipped.
#
# POSIX sh: runs under busybox ash, dash and bash. Needs 64-bit shell
# arithmetic (checked at start; busybox with FEATURE_SH_MATH_64, dash and
# bash use 64 bits on 32-bit systems too) and awk for the model checks.
#
# Test points: per chip 6, per tested channel 14, so the plan is
# sum over chips of 6 + 14 * channels (fixed before the first test runs;
# a point that cannot run is reported as SKIP or failed, never dropped):
#   chip:    export range/EBUSY; shared counter: same period on two
#            channels, other period EBUSY, prescaler change while enabled;
#            model: glitch-free updates (first channel); model: no errors
#   channel: rounding: below one tick EINVAL, applied and not above the
#            request, best available, registers, idempotent, 0 %/100 %,
#            maximum; model: output after each apply; polarity: programmed
#            while disabled, EBUSY while enabled, kept while disabled; bad
#            input: non-numbers, out-of-range values; cdev (pwm-cdev check)
# A channel requested by another user (a kernel consumer such as a
# backlight, or exported through sysfs) holds the shared counter: the free
# channels are tested at its period, what needs the counter to itself is
# SKIP ("held counter", held_setup). A chip with a channel left enabled
# without a user (by the bootloader) is skipped. Without a known clock rate
# the exact checks skip; only rate-independent rules are checked. The
# expected settings come from a search over every prescaler and tick count
# (exp_round), not from the driver's formulas; -E prints them for make
# unit's comparison with its own oracle.
#
# Environment (for testing the test): PWM_SYSFS_ROOT (/sys/class/pwm),
# PWM_DEBUGFS_ROOT (/sys/kernel/debug), PWM_SYSMODULE_ROOT (/sys/module),
# PWM_DT_ROOT (/sys/firmware/devicetree/base).

usage() {
	cat <<EOF
usage: ${0##*/} [-c N] [-C LIST] [-r HZ] [-w BITS] [-n COUNT] [-s SEED] [-q] [-S] [-E] [-h]
  -c N       test only /sys/class/pwm/pwmchipN
  -C LIST    test only these channels, e.g. 0,1 (default: all)
  -r HZ      counter clock rate (default: model parameter, debugfs clk
             summary or devicetree fixed clock; unknown: exact checks skip)
  -w BITS    counter width (default: PARAM register from regmap debugfs,
             else the model parameter, else 16)
  -n COUNT   random updates in the glitch test (default 1000, -q: 200)
  -s SEED    random seed (default: from /dev/urandom, printed)
  -q         quick mode: fewer cases
  -S         static registers (an emulated TPM whose registers are plain
             memory): the counter never runs, so changes that must wait for
             a period boundary (prescaler change while enabled) are skipped
             and every case is applied with the channel disabled first
  -E         no test: read lines "RATE WIDTH PERIOD DUTY" and print the
             setting the test expects, "PS N CNV PERIOD_NS DUTY_NS" or
             "einval" (make unit compares it with its own oracle)
  -h         this help
Exit status: 0 all passed (skips allowed), 1 a test failed, 4 all skipped.
EOF
}

# The drivers whose chips are tested: this package's module, and the
# in-tree driver (drivers/pwm/pwm-imx-tpm.c of mainline and of NXP's
# trees, and of the upstream series: "make upstream")
DRIVERS="pwm-imx-tpm imx7ulp-tpm-pwm"
DRIVER=pwm-imx-tpm
MODEL_NAME=imx-tpm-model
SYSFS_PWM=${PWM_SYSFS_ROOT:-/sys/class/pwm}
DEBUGFS=${PWM_DEBUGFS_ROOT:-/sys/kernel/debug}
SYSMOD=${PWM_SYSMODULE_ROOT:-/sys/module}
DTBASE=${PWM_DT_ROOT:-/sys/firmware/devicetree/base}

NS=1000000000
PS_MAX=7
MAX_SHOWN=6

OPT_CHIP=
OPT_CHANNELS=
OPT_RATE=
OPT_WIDTH=
OPT_COUNT=
OPT_SEED=
QUICK=0
STATIC=0

# ---------------------------------------------------------------- KTAP

T_NUM=0
T_PASS=0
T_FAIL=0
T_SKIP=0
T_XFAIL=0

diag() {
	printf '# %s\n' "$*"
}

tp_pass() {
	T_NUM=$((T_NUM + 1))
	T_PASS=$((T_PASS + 1))
	printf 'ok %d %s\n' "$T_NUM" "$1"
}

tp_fail() {
	T_NUM=$((T_NUM + 1))
	T_FAIL=$((T_FAIL + 1))
	printf 'not ok %d %s\n' "$T_NUM" "$1"
}

tp_skip() {
	T_NUM=$((T_NUM + 1))
	T_SKIP=$((T_SKIP + 1))
	printf 'ok %d %s # SKIP %s\n' "$T_NUM" "$1" "$2"
}

# tp_result DESC NFAIL: pass if NFAIL is 0
tp_result() {
	if [ "$2" -eq 0 ]; then
		tp_pass "$1"
	else
		tp_fail "$1"
	fi
}

totals() {
	printf '# Totals: pass:%d fail:%d xfail:%d xpass:0 skip:%d error:0\n' \
		"$T_PASS" "$T_FAIL" "$T_XFAIL" "$T_SKIP"
}

# Per test point failure accounting: ck_reset, then ck_fail MSG for each
# failed check (the first MAX_SHOWN are printed), then tp_result with $CK.
ck_reset() {
	CK=0
}

ck_fail() {
	CK=$((CK + 1))
	if [ "$CK" -le "$MAX_SHOWN" ]; then
		diag "$CK_PFX$*"
	elif [ "$CK" -eq $((MAX_SHOWN + 1)) ]; then
		diag "$CK_PFX(further failures of this test not shown)"
	fi
}

# ---------------------------------------------------------------- helpers

die_usage() {
	printf '%s: %s\n' "${0##*/}" "$1" >&2
	usage >&2
	exit 1
}

is_uint() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	esac
	return 0
}

# Park-Miller minimal standard generator: portable and reproducible in any
# shell (products stay below 2^47)
RSTATE=1
rnd_seed() {
	RSTATE=$(($1 % 2147483646 + 1))
}

rnd31() {
	RSTATE=$((RSTATE * 48271 % 2147483647))
	RND=$RSTATE
}

# RND = random in [0, $1), $1 >= 1; 62 random bits for large ranges
rnd_below() {
	rnd31
	if [ "$1" -le 2147483647 ]; then
		RND=$((RND % $1))
	else
		_rb=$RND
		rnd31
		RND=$((((_rb << 31) | RND) % $1))
	fi
}

# RND = random in [0, $1], $1 <= 2^63 - 1
rnd_upto() {
	if [ "$1" -ge 4611686018427387904 ]; then
		rnd31
		_rb=$RND
		rnd31
		RND=$(((_rb << 31) | RND))
	else
		rnd_below $(($1 + 1))
	fi
}

# reseed for a (chip, channel, block) so that runs restricted with -c/-C
# see the same values as a full run
rnd_block() {
	rnd_seed $((SEED + 7919 * $1 + 104729 * $2 + 1299709 * $3))
}

errno_of() {
	case $1 in
	*"Invalid argument"*) ERRNO=EINVAL ;;
	*"esource busy"*) ERRNO=EBUSY ;;
	*"No such device or address"*) ERRNO=ENXIO ;;
	*"No such device"*) ERRNO=ENODEV ;;
	*"out of range"* | *"not representable"*) ERRNO=ERANGE ;;
	*"timed out"*) ERRNO=ETIMEDOUT ;;
	*"Input/output error"*) ERRNO=EIO ;;
	*"No such file"*) ERRNO=ENOENT ;;
	*"not supported"* | *"Not supported"*) ERRNO=EOPNOTSUPP ;;
	*"Permission denied"*) ERRNO=EACCES ;;
	*"out of domain"*) ERRNO=EDOM ;;
	*"No space left"*) ERRNO=ENOSPC ;;
	*) ERRNO="E?" ;;
	esac
}

# wr FILE VALUE: write VALUE and a newline with one write(). Returns the
# write's success; ERRNO is empty on success, else the errno name ("E?"
# if the shell does not tell).
wr() {
	if [ "$ECHO_MODE" = env ]; then
		env echo "$2" 2>"$ERRF" >"$1"
	else
		echo "$2" 2>"$ERRF" >"$1"
	fi
	_wr_rc=$?
	if [ "$_wr_rc" -eq 0 ]; then
		ERRNO=
		return 0
	fi
	_wr_msg=
	read -r _wr_msg <"$ERRF"
	errno_of "$_wr_msg"
	return 1
}

# wr_fail FILE VALUE "ERRNO..." [what]: the write must fail with one of the
# listed errnos (any failure if the shell cannot tell the errno). Sets
# FAILWHY when not.
wr_fail() {
	_wf_what=${4:-}
	if [ -z "$_wf_what" ]; then
		_wf_what="writing \"$2\" to ${1##*/}"
	fi
	if wr "$1" "$2"; then
		FAILWHY="$_wf_what succeeded, expected $3"
		return 1
	fi
	[ "$ERRNO_KNOWN" = 1 ] || return 0
	case " $3 " in
	*" $ERRNO "*) return 0 ;;
	esac
	FAILWHY="$_wf_what failed with $ERRNO, expected $3"
	return 1
}

rd() {
	RD=
	read -r RD <"$1" 2>/dev/null
}

# wait_ns NS: sleep at least NS nanoseconds
wait_ns() {
	_ws_us=$((($1 + 999) / 1000))
	case $SLEEP_MODE in
	frac)
		_ws_f=$((_ws_us % 1000000 + 1000000))
		sleep "$((_ws_us / 1000000)).${_ws_f#1}"
		;;
	usleep)
		usleep "$_ws_us"
		;;
	*)
		sleep $(((_ws_us + 999999) / 1000000))
		;;
	esac
}

TMPD=
ERRF=/dev/null
EXPORTED=
REC_FILE=
MOUNTED_DEBUGFS=

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	for _cl_e in $EXPORTED; do
		_cl_d=${_cl_e%:*}
		_cl_c=${_cl_e#*:}
		echo 0 2>/dev/null >"$_cl_d/pwm$_cl_c/enable"
		echo "$_cl_c" 2>/dev/null >"$_cl_d/unexport"
	done
	EXPORTED=
	[ -n "$TMPD" ] && rm -rf "$TMPD"
	[ -n "$MOUNTED_DEBUGFS" ] && umount "$DEBUGFS" 2>/dev/null
}

exported_add() {
	EXPORTED="$EXPORTED $1:$2"
}

exported_del() {
	_ex_new=
	for _ex_e in $EXPORTED; do
		[ "$_ex_e" = "$1:$2" ] || _ex_new="$_ex_new $_ex_e"
	done
	EXPORTED=$_ex_new
}

# ---------------------------------------------------------------- math
#
# RATE = f in Hz (1000 .. 1e9), WIDTH = W bits (1 .. 32), TMAX = 2^W,
# MAXCYC = 2^W << 7 clock cycles (the longest period). All products stay
# below 2^63: ns are split into seconds and remainder.

# RES = min(floor(ns * f / 1e9), cap)
ns2cyc() {
	_n2_q=$(($1 / NS))
	if [ "$_n2_q" -gt $(($2 / RATE)) ]; then
		RES=$2
		return
	fi
	RES=$((_n2_q * RATE + ($1 % NS) * RATE / NS))
	if [ "$RES" -gt "$2" ]; then
		RES=$2
	fi
}

# RES = ceil(cycles * 1e9 / f)
# shellcheck disable=SC2017 # whole seconds first, on purpose
cyc2ns() {
	RES=$(($1 / RATE * NS + ($1 % RATE * NS + RATE - 1) / RATE))
}

# The expected setting comes from a search over what the hardware can do,
# not from the driver's formulas: a setting of prescaler ps (0 .. PS_MAX) and
# n ticks lasts n * 2^ps clock cycles, and its length in ns, rounded up
# (cyc2ns), is at most the request exactly when the setting is not longer
# than the request (the request is a whole number of ns). For each
# prescaler, a bisection finds the most ticks that fit; the longest of those
# periods wins, the smaller prescaler on a tie (finer duty steps). Tick
# counts: 1 .. 2^W - 1 below PS_MAX, 1 .. 2^W at PS_MAX (DESIGN.md 2.1: a
# full counter elsewhere is the same period at the next prescaler). The
# duty: the most ticks, 0 .. n, that fit its request; n - 1 at most where n
# is 2^W (CnV cannot exceed MOD). The unit tier runs this search (-E) on
# the inputs of its 128-bit oracle and compares (tests/unit/Makefile).

# fit_ticks NS PS CAP: RES = the most ticks t in 0 .. CAP with
# cyc2ns(t << PS) <= NS
fit_ticks() {
	_ft_lo=0
	_ft_hi=$3
	while [ "$_ft_lo" -lt "$_ft_hi" ]; do
		_ft_mid=$(((_ft_lo + _ft_hi + 1) / 2))
		cyc2ns $((_ft_mid << $2))
		if [ "$RES" -le "$1" ]; then
			_ft_lo=$_ft_mid
		else
			_ft_hi=$((_ft_mid - 1))
		fi
	done
	RES=$_ft_lo
}

# exp_round PERIOD DUTY POLARITY: the hardware setting the driver must
# choose for an enabled channel. E_OK=0: period below one tick (EINVAL).
# Else E_PS, E_N (ticks, MOD = E_N - 1), E_CNV, E_INV (ELS 01 if 1),
# E_PC/E_HC (period/high time in clock cycles, as the model logs them).
# The same on every kernel: an inversed state is low for its duty cycle
# (rounded down like a normal one), then high to the period end, whether
# it reaches the driver as a state (.apply) or as a waveform (7.x).
exp_round() {
	E_OK=0
	_er_best=0
	_er_ps=0
	while [ "$_er_ps" -le "$PS_MAX" ]; do
		_er_cap=$((TMAX - 1))
		if [ "$_er_ps" -eq "$PS_MAX" ]; then
			_er_cap=$TMAX
		fi
		fit_ticks "$1" "$_er_ps" "$_er_cap"
		if [ $((RES << _er_ps)) -gt "$_er_best" ]; then
			_er_best=$((RES << _er_ps))
			E_OK=1
			E_PS=$_er_ps
			E_N=$RES
		fi
		_er_ps=$((_er_ps + 1))
	done
	[ "$E_OK" = 1 ] || return 0
	_er_cap=$E_N
	if [ "$E_N" -eq "$TMAX" ]; then
		_er_cap=$((TMAX - 1))
	fi
	fit_ticks "$2" "$E_PS" "$_er_cap"
	E_CNV=$RES
	E_INV=0
	if [ "$3" = inversed ]; then
		E_INV=1
	fi
	E_PC=$((E_N << E_PS))
	if [ "$E_INV" = 1 ]; then
		E_HC=$(((E_N - E_CNV) << E_PS))
	else
		E_HC=$((E_CNV << E_PS))
	fi
}

# expect_mode (-E): for each line "RATE WIDTH PERIOD DUTY" of the standard
# input, print "PS N CNV PERIOD_NS DUTY_NS" of the search above (the
# read-back lengths, rounded up), or "einval"; no sysfs access.
expect_mode() {
	while read -r RATE WIDTH _em_p _em_d; do
		TMAX=$((1 << WIDTH))
		exp_round "$_em_p" "$_em_d" normal
		if [ "$E_OK" = 0 ]; then
			echo einval
			continue
		fi
		cyc2ns "$E_PC"
		_em_pns=$RES
		cyc2ns $((E_CNV << E_PS))
		echo "$E_PS $E_N $E_CNV $_em_pns $RES"
	done
}

# exp_readback: what sysfs shows after re-export (get_state) for the
# enabled setting from exp_round: X_P, X_D, X_POL. With the waveform API
# the core derives the state from the waveform: a 100 % normal output
# reads as inversed 0, inversed duty = period - active time.
exp_readback() {
	cyc2ns "$E_PC"
	X_P=$RES
	_xr_c=$E_CNV
	if [ "$_xr_c" -gt "$E_N" ]; then
		_xr_c=$E_N
	fi
	if [ "$WF" != 1 ]; then
		cyc2ns $((_xr_c << E_PS))
		X_D=$RES
		X_POL=normal
		if [ "$E_INV" = 1 ]; then
			X_POL=inversed
		fi
		return
	fi
	if [ "$E_INV" = 0 ]; then
		cyc2ns $((_xr_c << E_PS))
		if [ "$RES" -lt "$X_P" ]; then
			X_D=$RES
			X_POL=normal
		else
			X_D=0
			X_POL=inversed
		fi
	elif [ "$_xr_c" -eq 0 ]; then
		X_D=0
		X_POL=inversed
	elif [ "$_xr_c" -lt "$E_N" ]; then
		cyc2ns $(((E_N - _xr_c) << E_PS))
		X_D=$((X_P - RES))
		X_POL=inversed
	else
		X_D=0
		X_POL=normal
	fi
}

# ---------------------------------------------------------------- sysfs

# per channel: CHIPDIR, CH, PWMDIR; the state sysfs shows: CUR_P, CUR_D,
# CUR_EN, CUR_POL

read_state() {
	rd "$PWMDIR/period"
	CUR_P=$RD
	rd "$PWMDIR/duty_cycle"
	CUR_D=$RD
	rd "$PWMDIR/enable"
	CUR_EN=$RD
	rd "$PWMDIR/polarity"
	CUR_POL=$RD
	is_uint "$CUR_P" && is_uint "$CUR_D"
}

set_channel() {
	CH=$1
	PWMDIR=$CHIPDIR/pwm$CH
}

ch_export() {
	if ! wr "$CHIPDIR/export" "$CH"; then
		FAILWHY="export of pwm$CH failed: $ERRNO"
		return 1
	fi
	exported_add "$CHIPDIR" "$CH"
	_ce_i=0
	while [ ! -e "$PWMDIR/enable" ] && [ "$_ce_i" -lt 100 ]; do
		wait_ns 10000000
		_ce_i=$((_ce_i + 1))
	done
	if ! read_state; then
		FAILWHY="pwm$CH: cannot read its attributes"
		return 1
	fi
	return 0
}

ch_unexport() {
	wr "$CHIPDIR/unexport" "$CH"
	_cu_rc=$?
	exported_del "$CHIPDIR" "$CH"
	return $_cu_rc
}

# unexport and export again: the core reads the hardware (get_state)
reexport() {
	if ! ch_unexport; then
		FAILWHY="unexport of pwm$CH failed: $ERRNO"
		return 1
	fi
	ch_export
}

# pw ATTR VALUE: write a channel attribute, track the requested state
pw() {
	if ! wr "$PWMDIR/$1" "$2"; then
		FAILWHY="writing $2 to pwm$CH/$1 failed: $ERRNO"
		return 1
	fi
	case $1 in
	period) CUR_P=$2 ;;
	duty_cycle) CUR_D=$2 ;;
	enable) CUR_EN=$2 ;;
	polarity) CUR_POL=$2 ;;
	esac
	if [ -n "$REC_FILE" ] && [ "$CUR_EN" = 1 ]; then
		rec_setting
	fi
	return 0
}

# set_pd PERIOD DUTY: each write is applied on its own, so write the duty
# first if it fits the current period, else the period first
set_pd() {
	if [ "$2" -le "$CUR_P" ]; then
		if [ "$2" != "$CUR_D" ]; then
			pw duty_cycle "$2" || return 1
		fi
		if [ "$1" != "$CUR_P" ]; then
			pw period "$1" || return 1
		fi
	else
		if [ "$1" != "$CUR_P" ]; then
			pw period "$1" || return 1
		fi
		if [ "$2" != "$CUR_D" ]; then
			pw duty_cycle "$2" || return 1
		fi
	fi
	return 0
}

ch_disable() {
	if [ "$CUR_EN" != 0 ]; then
		pw enable 0 || return 1
	fi
	return 0
}

# apply_start PERIOD DUTY POLARITY: program while disabled, then enable
# (the driver starts the stopped counter: no wait for a period end)
apply_start() {
	ch_disable || return 1
	if [ "$CUR_POL" != "$3" ]; then
		pw polarity "$3" || return 1
	fi
	set_pd "$1" "$2" || return 1
	pw enable 1
}

# ---------------------------------------------------------------- registers

# dbg_copy FILE: copy a debugfs file to $TMPD/dbg with large reads (the
# read builtin reads byte by byte, and regmap's registers file returns
# nothing for reads shorter than a line)
dbg_copy() {
	cat "$1" >"$TMPD/dbg" 2>/dev/null
}

# read_regs: RG_OK=1 and RG_PS, RG_CMOD, RG_MOD, RG_ELS, RG_CNV of channel
# CH from the regmap debugfs file REGS
read_regs() {
	RG_OK=0
	[ -n "$REGS" ] || return 1
	dbg_copy "$REGS" || return 1
	RG_SC=
	RG_MOD=
	RG_CNSC=
	RG_CNV=
	while read -r _rr_o _rr_v; do
		_rr_o=${_rr_o%:}
		case $_rr_o in
		*[!0-9a-fA-F]* | '') continue ;;
		esac
		case $_rr_v in
		*[!0-9a-fA-F]* | '') continue ;;
		esac
		_rr_o=$((0x$_rr_o))
		case $_rr_o in
		16) RG_SC=$((0x$_rr_v)) ;;
		24) RG_MOD=$((0x$_rr_v & MASK)) ;;
		"$((32 + 8 * CH))") RG_CNSC=$((0x$_rr_v)) ;;
		"$((36 + 8 * CH))") RG_CNV=$((0x$_rr_v & MASK)) ;;
		esac
	done <"$TMPD/dbg"
	[ -n "$RG_SC" ] && [ -n "$RG_MOD" ] && [ -n "$RG_CNSC" ] &&
		[ -n "$RG_CNV" ] || return 1
	RG_PS=$((RG_SC & 7))
	RG_CMOD=$(((RG_SC >> 3) & 3))
	RG_ELS=$(((RG_CNSC >> 2) & 3))
	RG_OK=1
	return 0
}

regs_str() {
	REGSTR="PS=$RG_PS CMOD=$RG_CMOD MOD=$RG_MOD ELS=$RG_ELS CnV=$RG_CNV"
}

# REGOUT: the registers as the output they give: a constant output (0 % or
# 100 %) the same in either polarity, which the driver may pick for it
regs_out() {
	_ro_o="ELS=$RG_ELS CnV=$RG_CNV"
	if [ "$RG_OK" = 1 ]; then
		if { [ "$RG_ELS" = 2 ] && [ "$RG_CNV" -gt "$RG_MOD" ]; } ||
			{ [ "$RG_ELS" = 1 ] && [ "$RG_CNV" = 0 ]; }; then
			_ro_o="always high"
		elif { [ "$RG_ELS" = 2 ] && [ "$RG_CNV" = 0 ]; } ||
			{ [ "$RG_ELS" = 1 ] && [ "$RG_CNV" -gt "$RG_MOD" ]; }; then
			_ro_o="always low"
		fi
	fi
	REGOUT="$RG_OK PS=$RG_PS CMOD=$RG_CMOD MOD=$RG_MOD $_ro_o"
}

# check the registers against exp_round for an enabled channel
regs_expected() {
	_re_els=2
	if [ "$E_INV" = 1 ]; then
		_re_els=1
	fi
	[ "$RG_PS" -eq "$E_PS" ] && [ "$RG_CMOD" -eq 1 ] &&
		[ "$RG_MOD" -eq $((E_N - 1)) ] && [ "$RG_ELS" -eq "$_re_els" ] &&
		[ "$RG_CNV" -eq "$E_CNV" ]
}

# ---------------------------------------------------------------- model

# model_first_full: after an apply (exp_round done), clear the log, wait
# three periods and check that the first complete period is the rounded
# one and that nothing but complete periods were logged. MC_WHY on error.
# The period that a counter start began (kind "first": the model's
# first_period 1 or 2, silicon whose outputs wait for the first overflow)
# must have the rounded length; its output is the inactive level, low, or
# the setting's own (tests/model/INTERFACE.md).
model_first_full() {
	MC_WHY=
	wr "$MODEL_DIR/clear" 1
	cyc2ns "$E_PC"
	wait_ns $((3 * RES + 3000000))
	_mf_found=0
	_mf_n=0
	dbg_copy "$MODEL_DIR/ch$CH"
	while read -r _mf_cnt _mf_kind _mf_p _mf_h; do
		_mf_n=$((_mf_n + 1))
		case $_mf_kind in
		full)
			if [ "$_mf_found" = 0 ]; then
				_mf_found=1
				if [ "$_mf_p" != "$E_PC" ] || [ "$_mf_h" != "$E_HC" ]; then
					MC_WHY="first full period $_mf_p/$_mf_h cycles, expected $E_PC/$E_HC"
				fi
			fi
			;;
		part)
			;;
		first)
			if [ "$_mf_p" != "$E_PC" ] || { [ "$_mf_h" != 0 ] &&
				[ "$_mf_h" != "$E_PC" ] && [ "$_mf_h" != "$E_HC" ]; }; then
				MC_WHY="period after the counter start $_mf_p/$_mf_h cycles, expected $E_PC/(0, $E_HC or $E_PC)"
			fi
			;;
		*)
			MC_WHY="unexpected run '$_mf_cnt $_mf_kind $_mf_p $_mf_h' in the log"
			;;
		esac
	done <"$TMPD/dbg"
	if [ "$_mf_found" = 0 ] && [ -z "$MC_WHY" ]; then
		MC_WHY="no complete period logged ($_mf_n runs)"
	fi
	[ -z "$MC_WHY" ]
}

# glitch test recording: one line "period_cycles high_cycles ps" per
# setting that the channel went through
rec_setting() {
	exp_round "$CUR_P" "$CUR_D" "$CUR_POL"
	if [ "$E_OK" = 1 ]; then
		echo "$E_PC $E_HC $E_PS" >>"$REC_FILE"
	fi
}

# Check a channel log against the recorded settings: every complete or
# partial period must be one of the settings, in order (settings may be
# missed); a truncated period and a stopped counter are allowed only where
# the prescaler changed (the driver restarts the counter there), each at
# most STRETCH_MAX cycles.
# A longer truncated period is a CPU stall, not a glitch, only when the
# model's cut record (file cutf: "<length> <cycles into it of the last CNT
# read>") shows that the driver read CNT at most STRETCH_MAX cycles after
# the wrap: it had seen the wrap in time, and the CPU was then held up
# before its next register access (under TCG the host can deschedule the
# guest even with interrupts off). The same for a stop longer than
# STRETCH_MAX: a CPU stall only when the model's stop record (file stopf:
# "<length> <longest time in it without a register access>") shows that
# all of it but one gap between two register accesses took at most
# STRETCH_MAX cycles. The caller bounds how many stalls there may be.
# Prints "runs glitches skipped restarts maxtrunc maxstop stalls maxstall
# firsts" then diagnostics.
# shellcheck disable=SC2016 # awk program
GLITCH_AWK='
FILENAME == recf { n++; P[n] = $1; H[n] = $2; S[n] = $3; next }
FILENAME == cutf {
	if ($1 != "overflow" && $2 != "-" && $2 + 0 <= smax && !($1 in SEEN))
		SEEN[$1] = $2
	next
}
FILENAME == stopf {
	if ($1 != "overflow" && $1 - $2 <= smax && !($1 in GAP))
		GAP[$1] = $2
	next
}
function show(msg) { if (shown++ < 8) out = out "\n# " msg }
{
	if ($1 == "overflow") { over += $2; show("log overflow: " $2 " runs lost"); glitch++; next }
	cnt = $1; kind = $2; p = $3; h = $4; line++
	# the period a counter restart began, on silicon whose outputs wait
	# for the first overflow (model first_period 1 or 2): only right after
	# the restart, as long as the setting, with the output at the inactive
	# level, low, or the setting itself; counted, not a glitch
	if (kind == "first") {
		if (pend || line == 1) {
			for (j = (i ? i : 1); j <= n; j++)
				if (P[j] == p && (h == 0 || h == p || h == H[j]))
					break
			if (j <= n) {
				firsts++
				kind = "full"
				h = H[j]
			}
		}
		if (kind == "first") {
			glitch++
			show("\"" $0 "\" (line " line ") a first period not right after a restart, or of no setting")
			next
		}
	}
	if (kind == "full" || kind == "part") {
		if (i == 0) i = 1
		j = i
		if (!(P[j] == p && H[j] == h)) {
			for (j = i + 1; j <= n; j++)
				if (P[j] == p && H[j] == h)
					break
		}
		if (j > n) {
			if (line == 1 && kind == "part") { runs += cnt; next }
			glitch++
			show("run \"" $0 "\" (line " line ") matches no setting from #" i " (" P[i] "/" H[i] ") on")
			pend = 0
			next
		}
		for (k = i + 1; k < j; k++)
			if (!(P[k] == P[i] && H[k] == H[i]) && !(P[k] == P[j] && H[k] == H[j]))
				skipped++
		if (pend) {
			if (S[j] == S[pendi]) {
				glitch++
				show("truncated/stopped period before line " line " without a prescaler change")
			} else
				restarts++
			pend = 0
		}
		i = j
		runs += cnt
	} else if (kind == "trunc" || kind == "stop") {
		if (kind == "trunc" && p > maxtrunc) maxtrunc = p
		if (kind == "stop" && p > maxstop) maxstop = p
		if (p > smax && kind == "trunc" && (p in SEEN)) {
			stalls++
			if (p - SEEN[p] > maxstall) maxstall = p - SEEN[p]
			show("\"" $0 "\" (line " line ") longer than " smax " cycles: CPU stall (CNT last read " SEEN[p] " cycles after the wrap)")
		} else if (p > smax && kind == "stop" && (p in GAP)) {
			stalls++
			if (GAP[p] > maxstall) maxstall = GAP[p]
			show("\"" $0 "\" (line " line ") longer than " smax " cycles: CPU stall (" GAP[p] " cycles of it without a register access)")
		} else if (p > smax) {
			glitch++
			show("\"" $0 "\" (line " line ") longer than " smax " cycles")
		}
		if (!pend) { pend = 1; pendi = (i ? i : 1) }
	} else {
		glitch++
		show("\"" $0 "\" (line " line ") while enabled")
	}
}
END {
	if (pend) {
		if (S[n] == S[pendi]) {
			glitch++
			show("log ends with a truncated/stopped period without a prescaler change")
		} else
			restarts++
	}
	printf "%d %d %d %d %d %d %d %d %d%s\n", runs, glitch, skipped, restarts, maxtrunc + 0, maxstop + 0, stalls + 0, maxstall + 0, firsts + 0, out
}'

# ---------------------------------------------------------------- chip setup

# find the regmap debugfs file of the device or its parent
find_regs() {
	REGS=
	for _fr_n in "$@"; do
		[ -n "$_fr_n" ] || continue
		for _fr_d in "$DEBUGFS/regmap/$_fr_n" "$DEBUGFS/regmap/$_fr_n"-*; do
			if [ -r "$_fr_d/registers" ] &&
				grep -q '^0*4: ' "$_fr_d/registers" 2>/dev/null; then
				REGS=$_fr_d/registers
				return 0
			fi
		done
	done
	return 1
}

# rate of the clock whose consumer is device $1 (clk_summary lists
# consumers since Linux 6.10 or so)
rate_from_clk_summary() {
	[ -r "$DEBUGFS/clk/clk_summary" ] || return 1
	RES=$(awk -v dev="$1" '
		NF >= 8 && $2 ~ /^[0-9]+$/ && $5 ~ /^[0-9]+$/ {
			rate = $5
			if (NF >= 10 && $(NF - 1) == dev) { print rate; exit }
			next
		}
		NF == 2 && $1 == dev && rate != "" { print rate; exit }
	' "$DEBUGFS/clk/clk_summary" 2>/dev/null)
	is_uint "$RES"
}

dt_u32() {
	RES=$(od -An -tx1 -N4 "$1" 2>/dev/null | tr -d ' \n')
	[ ${#RES} -eq 8 ] || return 1
	RES=$((0x$RES))
}

# a devicetree "fixed-clock" as the device's first clock
rate_from_dt() {
	_dt_of=$CHIPDIR/device/of_node
	[ -r "$_dt_of/clocks" ] && [ -d "$DTBASE" ] || return 1
	_dt_ph=$(od -An -tx1 -N4 "$_dt_of/clocks" 2>/dev/null | tr -d ' \n')
	[ ${#_dt_ph} -eq 8 ] || return 1
	_dt_node=$(find "$DTBASE" -name phandle 2>/dev/null | while read -r _dt_f; do
		if [ "$(od -An -tx1 -N4 "$_dt_f" | tr -d ' \n')" = "$_dt_ph" ]; then
			echo "${_dt_f%/phandle}"
			break
		fi
	done)
	[ -n "$_dt_node" ] && [ -r "$_dt_node/clock-frequency" ] || return 1
	tr '\0' ' ' <"$_dt_node/compatible" 2>/dev/null | grep -q fixed-clock ||
		return 1
	dt_u32 "$_dt_node/clock-frequency"
}

# chip_setup: CHIPDIR, CHIPN set. Finds DEVNAME, MODEL, MODEL_DIR, REGS,
# WIDTH, RATE, WF, CDEV_NODE.
chip_setup() {
	_cs_dev=$(readlink -f "$CHIPDIR/device")
	DEVNAME=${_cs_dev##*/}
	_cs_par=${_cs_dev%/*}
	PARNAME=${_cs_par##*/}
	MODEL=0
	MODEL_DIR=
	if [ "$PARNAME" = "$MODEL_NAME" ] && [ -d "$DEBUGFS/$MODEL_NAME" ]; then
		MODEL=1
		MODEL_DIR=$DEBUGFS/$MODEL_NAME
	fi
	diag "pwmchip$CHIPN: device $DEVNAME (parent $PARNAME), $NPWM channels"

	find_regs "$DEVNAME" "$PARNAME"
	if [ -n "$REGS" ]; then
		diag "pwmchip$CHIPN: registers from $REGS"
	else
		diag "pwmchip$CHIPN: no regmap debugfs file, register checks skip"
	fi

	WIDTH=
	_cs_src=
	if [ -n "$OPT_WIDTH" ]; then
		WIDTH=$OPT_WIDTH
		_cs_src="-w"
	elif [ -n "$REGS" ] && dbg_copy "$REGS"; then
		while read -r _cs_o _cs_v; do
			_cs_o=${_cs_o%:}
			case $_cs_o$_cs_v in
			*[!0-9a-fA-F]* | '') continue ;;
			esac
			if [ $((0x$_cs_o)) -eq 4 ]; then
				WIDTH=$(((0x$_cs_v >> 16) & 255))
				if [ "$WIDTH" -eq 0 ]; then
					WIDTH=16
				fi
				_cs_src="PARAM 0x$_cs_v"
				break
			fi
		done <"$TMPD/dbg"
	fi
	if [ -z "$WIDTH" ] && [ "$MODEL" = 1 ]; then
		rd "$SYSMOD/imx_tpm_model/parameters/width"
		if is_uint "$RD" && [ "$RD" -ge 1 ]; then
			WIDTH=$RD
			_cs_src="model parameter"
		fi
	fi
	if [ -z "$WIDTH" ]; then
		WIDTH=16
		_cs_src="default, PARAM not readable"
	fi
	diag "pwmchip$CHIPN: counter width $WIDTH bits ($_cs_src)"

	RATE=
	_cs_src=
	if [ -n "$OPT_RATE" ]; then
		RATE=$OPT_RATE
		_cs_src="-r"
	elif [ "$MODEL" = 1 ] && rd "$SYSMOD/imx_tpm_model/parameters/rate" &&
		is_uint "$RD"; then
		RATE=$RD
		_cs_src="model parameter"
	elif rate_from_clk_summary "$DEVNAME"; then
		RATE=$RES
		_cs_src="clk_summary"
	elif rate_from_dt; then
		RATE=$RES
		_cs_src="devicetree fixed-clock"
	fi
	if [ -n "$RATE" ] && { [ "$RATE" -lt 1000 ] || [ "$RATE" -gt "$NS" ]; }; then
		diag "pwmchip$CHIPN: clock rate $RATE Hz ($_cs_src) outside 1 kHz .. 1 GHz, treated as unknown"
		RATE=
	fi
	if [ -n "$RATE" ]; then
		diag "pwmchip$CHIPN: clock rate $RATE Hz ($_cs_src)"
	else
		diag "pwmchip$CHIPN: clock rate unknown (use -r HZ): exact checks skip"
	fi
	if [ "$WIDTH" -lt 1 ] || [ "$WIDTH" -gt 32 ]; then
		diag "pwmchip$CHIPN: width $WIDTH not supported, using 16"
		WIDTH=16
	fi
	TMAX=$((1 << WIDTH))
	MASK=$((TMAX - 1))
	MAXCYC=$((TMAX << PS_MAX))

	# only chips whose driver has the waveform callbacks get a cdev
	WF=0
	CDEV_NODE=
	if [ -e "$CHIPDIR/dev" ]; then
		WF=1
		if [ -c "/dev/pwmchip$CHIPN" ]; then
			CDEV_NODE=/dev/pwmchip$CHIPN
		else
			rd "$CHIPDIR/dev"
			if mknod "$TMPD/pwmchip$CHIPN" c "${RD%:*}" "${RD#*:}" 2>/dev/null; then
				CDEV_NODE=$TMPD/pwmchip$CHIPN
			fi
		fi
		diag "pwmchip$CHIPN: waveform API kernel (character device ${CDEV_NODE:-missing})"
	else
		diag "pwmchip$CHIPN: kernel without the PWM waveform API (apply/get_state)"
	fi
	if [ "$MODEL" = 1 ]; then
		diag "pwmchip$CHIPN: TPM model present: $MODEL_DIR"
	fi
}

# ---------------------------------------------------------------- tests

# Rounding: cases are "TAG PERIOD" lines; TAG c = at or above the maximum
gen_periods() {
	PERIODS=
	if [ -n "$HELD_P" ]; then
		gen_periods_held
		return
	fi
	if [ -n "$RATE" ]; then
		cyc2ns "$MAXCYC"
		_gp_maxns=$RES
		PERIODS="c:$_gp_maxns c:$((_gp_maxns + 1)) c:4611686018427387904 c:9223372036854775807 n:$((_gp_maxns - 1))"
		cyc2ns 1
		PERIODS="$PERIODS n:$RES"
		_gp_ps=1
		while [ "$_gp_ps" -le "$PS_MAX" ]; do
			if [ "$QUICK" = 0 ] || [ "$_gp_ps" -eq 1 ] || [ "$_gp_ps" -eq "$PS_MAX" ]; then
				cyc2ns $((TMAX << (_gp_ps - 1)))
				PERIODS="$PERIODS n:$((RES - 1)) n:$RES n:$((RES + 1))"
			fi
			_gp_ps=$((_gp_ps + 1))
		done
		_gp_i=0
		while [ "$_gp_i" -lt "$N_RANDOM" ]; do
			rnd_below $((WIDTH + PS_MAX))
			_gp_b=$RND
			rnd_below $((1 << _gp_b))
			cyc2ns $(((1 << _gp_b) + RND))
			_gp_p=$RES
			rnd_below $((NS / RATE + 1))
			PERIODS="$PERIODS n:$((_gp_p + RND))"
			_gp_i=$((_gp_i + 1))
		done
	else
		PERIODS="c:4611686018427387904 c:9223372036854775807 n:10000 n:100000"
		_gp_i=0
		while [ "$_gp_i" -lt "$N_RANDOM" ]; do
			rnd_below 20
			_gp_b=$((RND + 10))
			rnd_below $((1 << _gp_b))
			PERIODS="$PERIODS n:$(((1 << _gp_b) + RND))"
			_gp_i=$((_gp_i + 1))
		done
	fi
	for _gp_p in 1000000 50000 20000000; do
		if [ -n "$RATE" ]; then
			ns2cyc "$_gp_p" "$MAXCYC"
			[ "$RES" -gt 0 ] || continue
		fi
		PERIODS="$PERIODS n:$_gp_p"
	done
}

# With a held counter: the held period, and (rate known) requests up to one
# tick above it that map to the same hardware period (the search decides);
# HELD_OTHER: requests that map to another period (EBUSY, test_shared).
gen_periods_held() {
	PERIODS="n:$HELD_P"
	HELD_OTHER=
	[ -n "$HELD_N" ] || return 0
	cyc2ns $((1 << HELD_PS))
	_gh_tick=$RES
	_gh_i=0
	while [ "$_gh_i" -lt 4 ]; do
		case $_gh_i in
		0) _gh_p=$((HELD_P + _gh_tick - 1)) ;;
		1) _gh_p=$((HELD_P - 1)) ;;
		*) rnd_below "$_gh_tick"
		   _gh_p=$((HELD_P + RND)) ;;
		esac
		_gh_i=$((_gh_i + 1))
		[ "$_gh_p" -ge 1 ] || continue
		exp_round "$_gh_p" 0 normal
		if [ "$E_OK" = 1 ] && [ "$E_PS" = "$HELD_PS" ] && [ "$E_N" = "$HELD_N" ]; then
			PERIODS="$PERIODS n:$_gh_p"
		else
			HELD_OTHER="$HELD_OTHER $_gh_p"
		fi
	done
}

gen_duties() {
	rnd_upto "$1"
	if [ "$QUICK" = 1 ]; then
		DUTIES="0 $RND $1"
	else
		DUTIES="0 1 $RND $(($1 - 1)) $1"
	fi
}

# high time requested / read back, for "not above" (ns)
high_of() {
	if [ "$3" = inversed ]; then
		RES=$(($1 - $2))
	else
		RES=$2
	fi
}

test_rounding() {
	_tr_pfx="pwmchip$CHIPN pwm$CH rounding:"
	D_EINVAL="$_tr_pfx period below one clock cycle is EINVAL"
	D_APPLY="$_tr_pfx requests applied, read-back not above request"
	D_BEST="$_tr_pfx read-back is the best available setting"
	D_REGS="$_tr_pfx registers hold the expected setting"
	D_IDEM="$_tr_pfx read-back applied again gives the same setting"
	D_EXACT="$_tr_pfx 0 % and 100 % duty are exact"
	D_CLAMP="$_tr_pfx periods above the maximum give the maximum"
	D_MODEL="pwmchip$CHIPN pwm$CH model: output after each apply"

	if ! ch_export; then
		diag "$FAILWHY"
		for _tr_d in "$D_EINVAL" "$D_APPLY" "$D_BEST" "$D_REGS" "$D_IDEM" \
			"$D_EXACT" "$D_CLAMP" "$D_MODEL"; do
			tp_fail "$_tr_d"
		done
		return
	fi

	# -- below one tick
	CK_PFX="EINVAL: "
	ck_reset
	if [ -n "$HELD_P" ]; then
		tp_skip "$D_EINVAL" "$HELD_SKIP"
	elif [ -z "$RATE" ]; then
		tp_skip "$D_EINVAL" "clock rate unknown"
	else
		cyc2ns 1
		_tr_tick=$RES
		if apply_start 1000000 0 normal; then
			read_regs
			_tr_before="$RG_OK $RG_PS $RG_MOD $RG_CNV $RG_ELS"
			for _tr_p in $((_tr_tick - 1)) 1; do
				[ "$_tr_p" -ge 1 ] || continue
				ns2cyc "$_tr_p" "$MAXCYC"
				[ "$RES" -eq 0 ] || continue
				if ! wr_fail "$PWMDIR/period" "$_tr_p" EINVAL; then
					ck_fail "enabled: $FAILWHY"
					CUR_P=$_tr_p
				fi
				rd "$PWMDIR/period"
				[ "$RD" = 1000000 ] || ck_fail "period reads $RD after the failed write, expected 1000000"
				read_regs
				[ "$_tr_before" = "$RG_OK $RG_PS $RG_MOD $RG_CNV $RG_ELS" ] ||
					ck_fail "registers changed by the failed write: $_tr_before -> $RG_OK $RG_PS $RG_MOD $RG_CNV $RG_ELS"
			done
			# disabled: accepted, enabling fails
			_tr_p=$((_tr_tick - 1))
			if [ "$_tr_p" -lt 1 ]; then
				_tr_p=1
			fi
			if ch_disable && pw period "$_tr_p"; then
				ns2cyc "$CUR_P" "$MAXCYC"
				if [ "$RES" -eq 0 ]; then
					if ! wr_fail "$PWMDIR/enable" 1 EINVAL; then
						ck_fail "disabled, then enable: $FAILWHY"
						CUR_EN=1
					fi
					rd "$PWMDIR/enable"
					[ "$RD" = 0 ] || ck_fail "enable reads $RD after the failed enable"
				fi
			else
				ck_fail "$FAILWHY"
			fi
			ch_disable
			pw period 1000000 || ck_fail "$FAILWHY"
		else
			ck_fail "$FAILWHY"
		fi
		tp_result "$D_EINVAL" "$CK"
	fi

	# -- the cases
	gen_periods
	F_APPLY=0 F_BEST=0 F_REGS=0 F_IDEM=0 F_EXACT=0 F_CLAMP=0 F_MODEL=0
	N_CASES=0 N_MODEL=0 N_CLAMP=0 N_RUNNING=0
	MAXRB=
	_tr_k=0
	for _tr_tp in $PERIODS; do
		_tr_tag=${_tr_tp%%:*}
		_tr_p=${_tr_tp#*:}
		gen_duties "$_tr_p"
		for _tr_d in $DUTIES; do
			_tr_k=$((_tr_k + 1))
			N_CASES=$((N_CASES + 1))
			round_case "$_tr_tag" "$_tr_p" "$_tr_d" "$_tr_k"
		done
	done
	diag "pwmchip$CHIPN pwm$CH: $N_CASES rounding cases ($N_RUNNING applied to the running channel), $N_CLAMP at or above the maximum, $N_MODEL output checks"
	# floors: what these points stand for must have been checked (every
	# other case goes to the running channel when both periods are short
	# enough, and the model's output is checked for the periods it can
	# log quickly: 5 and 12 of 51 at 32768 Hz, the fewest seen)
	if [ "$STATIC" = 0 ] && [ "$N_RUNNING" -lt 1 ]; then
		case_fail F_APPLY "no case was applied to the running channel"
	fi
	if [ "$MODEL" = 1 ] && [ -n "$RATE" ] && [ "$N_MODEL" -lt $((N_CASES / 8)) ]; then
		case_fail F_MODEL "only $N_MODEL output checks in $N_CASES cases, expected at least $((N_CASES / 8))"
	fi

	tp_result "$D_APPLY" "$F_APPLY"
	if [ -z "$RATE" ]; then
		tp_skip "$D_BEST" "clock rate unknown"
		tp_skip "$D_REGS" "clock rate unknown"
	else
		tp_result "$D_BEST" "$F_BEST"
		if [ -z "$REGS" ]; then
			tp_skip "$D_REGS" "no regmap debugfs registers file"
		else
			tp_result "$D_REGS" "$F_REGS"
		fi
	fi
	tp_result "$D_IDEM" "$F_IDEM"
	tp_result "$D_EXACT" "$F_EXACT"
	if [ -n "$HELD_P" ]; then
		tp_skip "$D_CLAMP" "$HELD_SKIP"
	elif [ "$N_CLAMP" -lt 1 ]; then
		case_fail F_CLAMP "no request at or above the maximum was made"
		tp_result "$D_CLAMP" "$F_CLAMP"
	else
		tp_result "$D_CLAMP" "$F_CLAMP"
	fi
	if [ "$MODEL" != 1 ]; then
		tp_skip "$D_MODEL" "no TPM model"
	elif [ -z "$RATE" ]; then
		tp_skip "$D_MODEL" "clock rate unknown"
	else
		tp_result "$D_MODEL" "$F_MODEL"
	fi

	ch_disable
	ch_unexport
}

# case_fail VAR MSG: count a failure of one rounding check
case_fail() {
	eval "_cf_cnt=\$$1"
	_cf_cnt=$((_cf_cnt + 1))
	eval "$1=\$_cf_cnt"
	case $1 in
	F_APPLY) _cf_l="applied/not above" ;;
	F_BEST) _cf_l="best available" ;;
	F_REGS) _cf_l="registers" ;;
	F_IDEM) _cf_l="idempotent" ;;
	F_EXACT) _cf_l="0 %/100 %" ;;
	F_CLAMP) _cf_l="maximum" ;;
	*) _cf_l="model output" ;;
	esac
	if [ "$_cf_cnt" -le "$MAX_SHOWN" ]; then
		diag "$_cf_l: $2"
	elif [ "$_cf_cnt" -eq $((MAX_SHOWN + 1)) ]; then
		diag "$_cf_l: (further failures not shown)"
	fi
}

round_case() {
	_rc_tag=$1
	_rc_p=$2
	_rc_d=$3
	_rc_req="request $_rc_p/$_rc_d"
	_rc_path=start
	if [ "$STATIC" = 0 ] && [ $(($4 % 2)) -eq 0 ] && [ "$CUR_EN" = 1 ] &&
		[ "$CUR_POL" = normal ] &&
		[ "$_rc_p" -le "$RUN_MAX_NS" ] && [ "$CUR_P" -le "$RUN_MAX_NS" ]; then
		_rc_path=running
		N_RUNNING=$((N_RUNNING + 1))
		_rc_req="$_rc_req (running)"
	fi

	if [ "$_rc_path" = start ]; then
		apply_start "$_rc_p" "$_rc_d" normal
	else
		set_pd "$_rc_p" "$_rc_d"
	fi || {
		case_fail F_APPLY "$_rc_req: $FAILWHY"
		return
	}

	# sysfs shows the request
	read_state
	if [ "$CUR_P/$CUR_D/$CUR_EN" != "$_rc_p/$_rc_d/1" ]; then
		case_fail F_APPLY "$_rc_req: sysfs shows $CUR_P/$CUR_D/$CUR_EN"
	fi

	if [ -n "$RATE" ]; then
		exp_round "$_rc_p" "$_rc_d" normal
		exp_readback
		if [ "$MODEL" = 1 ] && [ "$X_P" -le "$MODEL_MAX_NS" ]; then
			N_MODEL=$((N_MODEL + 1))
			model_first_full || case_fail F_MODEL "$_rc_req: $MC_WHY"
		fi
	fi

	if ! read_regs && [ -n "$REGS" ]; then
		case_fail F_REGS "$_rc_req: cannot read $REGS"
	fi
	regs_out
	_rc_r1=$REGOUT
	if [ "$RG_OK" = 1 ] && [ -n "$RATE" ] && ! regs_expected; then
		regs_str
		case_fail F_REGS "$_rc_req: $REGSTR, expected PS=$E_PS MOD=$((E_N - 1)) CnV=$E_CNV inversed=$E_INV"
	fi

	if ! reexport; then
		case_fail F_APPLY "$_rc_req: $FAILWHY"
		return
	fi
	_rc_b1="$CUR_P/$CUR_D/$CUR_EN/$CUR_POL"

	# not above the request (active time compared for either polarity)
	high_of "$_rc_p" "$_rc_d" normal
	_rc_hreq=$RES
	high_of "$CUR_P" "$CUR_D" "$CUR_POL"
	if [ "$CUR_EN" != 1 ] || [ "$CUR_P" -gt "$_rc_p" ] || [ "$RES" -gt "$_rc_hreq" ]; then
		case_fail F_APPLY "$_rc_req: read back $_rc_b1, above the request"
	fi

	if [ -n "$RATE" ] && [ "$_rc_b1" != "$X_P/$X_D/1/$X_POL" ]; then
		case_fail F_BEST "$_rc_req: read back $_rc_b1, expected $X_P/$X_D/1/$X_POL"
	fi

	# 0 % and 100 %
	if [ "$_rc_d" -eq 0 ]; then
		if [ "$CUR_D/$CUR_POL" != 0/normal ] ||
			{ [ "$RG_OK" = 1 ] && [ "$RG_CNV" -ne 0 ]; }; then
			case_fail F_EXACT "$_rc_req: 0 % reads back $_rc_b1, CnV ${RG_CNV:-?}"
		fi
	elif [ "$_rc_d" -eq "$_rc_p" ]; then
		_rc_full=1
		if [ -n "$RATE" ]; then
			[ "$E_N" -lt "$TMAX" ] || _rc_full=0
		elif [ "$RG_OK" = 1 ]; then
			[ "$RG_MOD" -lt "$MASK" ] || _rc_full=0
		elif [ "$_rc_tag" = c ] || [ "$CUR_P" = "$MAXRB" ]; then
			_rc_full=0
		fi
		if [ "$_rc_full" = 1 ]; then
			if [ "$CUR_D/$CUR_POL" != "$CUR_P/normal" ] &&
				[ "$CUR_D/$CUR_POL" != "0/inversed" ]; then
				case_fail F_EXACT "$_rc_req: 100 % reads back $_rc_b1"
			elif [ "$RG_OK" = 1 ] && [ "$RG_CNV" -le "$RG_MOD" ]; then
				case_fail F_EXACT "$_rc_req: 100 % has CnV $RG_CNV <= MOD $RG_MOD"
			fi
		else
			# 2^W ticks: one tick less than the period
			if [ "$CUR_POL" != normal ] || [ "$CUR_D" -ge "$CUR_P" ]; then
				case_fail F_EXACT "$_rc_req: full-counter period, 100 % reads back $_rc_b1"
			elif [ "$RG_OK" = 1 ] && [ "$RG_CNV" -ne "$RG_MOD" ]; then
				case_fail F_EXACT "$_rc_req: full-counter period, CnV $RG_CNV, expected MOD $RG_MOD"
			fi
		fi
	fi

	# the maximum
	if [ "$_rc_tag" = c ]; then
		N_CLAMP=$((N_CLAMP + 1))
		if [ -z "$MAXRB" ]; then
			MAXRB=$CUR_P
		fi
		if [ "$CUR_P" != "$MAXRB" ]; then
			case_fail F_CLAMP "$_rc_req: period $CUR_P, other maximum requests gave $MAXRB"
		fi
		if [ -n "$RATE" ]; then
			cyc2ns "$MAXCYC"
			[ "$CUR_P" = "$RES" ] || case_fail F_CLAMP "$_rc_req: period $CUR_P, the maximum is $RES"
		fi
		if [ "$RG_OK" = 1 ] && { [ "$RG_PS" -ne "$PS_MAX" ] || [ "$RG_MOD" -ne "$MASK" ]; }; then
			case_fail F_CLAMP "$_rc_req: PS=$RG_PS MOD=$RG_MOD, expected PS=$PS_MAX MOD=$MASK"
		fi
	fi

	# idempotent: apply the read-back state again (disable, enable: the
	# core skips unchanged states, so this is what reaches the driver)
	if ! pw enable 0 || ! pw enable 1; then
		case_fail F_IDEM "$_rc_req: re-applying $_rc_b1: $FAILWHY"
		return
	fi
	read_regs
	regs_out
	_rc_r2=$REGOUT
	if ! reexport; then
		case_fail F_IDEM "$_rc_req: $FAILWHY"
		return
	fi
	_rc_b2="$CUR_P/$CUR_D/$CUR_EN/$CUR_POL"
	if [ "$_rc_b1" != "$_rc_b2" ] || [ "$_rc_r1" != "$_rc_r2" ]; then
		case_fail F_IDEM "$_rc_req: read back $_rc_b1 [$_rc_r1], re-applied gives $_rc_b2 [$_rc_r2]"
	fi
}

# a period/duty pair that is an exact number of ticks and nanoseconds
# (so that inversed polarity survives the waveform API conversion)
exact_pair() {
	if [ -n "$HELD_P" ]; then
		# the held period; a quarter of it, whole ticks where known
		XP=$HELD_P
		XD=$((HELD_P / 4))
		if [ -n "$HELD_N" ]; then
			cyc2ns $((HELD_N / 4 << HELD_PS))
			XD=$RES
		fi
		return 0
	fi
	XP=1000000
	XD=250000
	[ -n "$RATE" ] || return 0
	_ep_a=$NS
	_ep_b=$RATE
	while [ "$_ep_b" -ne 0 ]; do
		_ep_t=$((_ep_a % _ep_b))
		_ep_a=$_ep_b
		_ep_b=$_ep_t
	done
	# u ns are exactly cu clock cycles, the shortest such time
	_ep_u=$((NS / _ep_a))
	_ep_cu=$((RATE / _ep_a))
	# about 1 ms, at least 4 units, at most the longest period
	_ep_k=$((1000000 / _ep_u))
	if [ "$_ep_k" -lt 4 ]; then
		_ep_k=4
	fi
	if [ "$_ep_k" -gt $((MAXCYC / _ep_cu)) ]; then
		_ep_k=$((MAXCYC / _ep_cu))
	fi
	if [ "$_ep_k" -lt 1 ]; then
		_ep_k=1
	fi
	# whole ticks: k * cu a multiple of 2^ps
	exp_round $((_ep_k * _ep_u)) 0 normal
	_ep_m=$((1 << E_PS))
	_ep_c=$_ep_cu
	while [ $((_ep_c % 2)) -eq 0 ] && [ "$_ep_m" -gt 1 ]; do
		_ep_c=$((_ep_c / 2))
		_ep_m=$((_ep_m / 2))
	done
	if [ "$_ep_k" -ge "$_ep_m" ]; then
		_ep_k=$((_ep_k / _ep_m * _ep_m))
	fi
	XP=$((_ep_k * _ep_u))
	_ep_kd=$((_ep_k / 4 / _ep_m * _ep_m))
	if [ "$_ep_kd" -eq 0 ] && [ "$_ep_m" -lt "$_ep_k" ]; then
		_ep_kd=$_ep_m
	fi
	XD=$((_ep_kd * _ep_u))
}

# pol_case POLARITY PERIOD DUTY: disabled -> program -> enable -> check
pol_case() {
	if ! apply_start "$2" "$3" "$1"; then
		ck_fail "$1 $2/$3: $FAILWHY"
		return
	fi
	if [ -n "$RATE" ]; then
		exp_round "$2" "$3" "$1"
		exp_readback
		if [ "$MODEL" = 1 ] && [ "$X_P" -le "$MODEL_MAX_NS" ]; then
			model_first_full || ck_fail "$1 $2/$3: model: $MC_WHY"
		fi
	fi
	read_regs
	if ! reexport; then
		ck_fail "$FAILWHY"
		return
	fi
	if [ "$CUR_EN" != 1 ]; then
		ck_fail "$1 $2/$3: reads back disabled"
	fi
	if [ -n "$RATE" ]; then
		if [ "$CUR_P/$CUR_D/$CUR_POL" != "$X_P/$X_D/$X_POL" ]; then
			ck_fail "$1 $2/$3: read back $CUR_P/$CUR_D/$CUR_POL, expected $X_P/$X_D/$X_POL"
		fi
		if [ "$RG_OK" = 1 ] && ! regs_expected; then
			regs_str
			ck_fail "$1 $2/$3: $REGSTR, expected PS=$E_PS MOD=$((E_N - 1)) CnV=$E_CNV ELS=$((2 - E_INV))"
		fi
	elif [ "$CUR_POL" != "$1" ] &&
		{ [ "$WF" != 1 ] || { [ "$3" -ne 0 ] && [ "$3" -ne "$2" ]; }; }; then
		# (the waveform API reads a constant output back in either
		# polarity: 100 % as inversed 0, 0 % as normal 0)
		ck_fail "$1 $2/$3: reads back $CUR_POL"
	fi
	if [ "$RG_OK" = 1 ] && [ "$3" -ne 0 ] && [ "$3" -ne "$2" ]; then
		_pc_els=2
		if [ "$1" = inversed ]; then
			_pc_els=1
		fi
		[ "$RG_ELS" -eq "$_pc_els" ] || ck_fail "$1 $2/$3: ELS=$RG_ELS, expected $_pc_els"
	fi
}

# An inverted backlight (pwm_bl with an active-low enable) steps an enabled
# inversed channel through its levels: duty = period * level / 255. Every
# write must be taken, with the polarity kept (7.x: the core hands such a
# state over as a waveform). Then 0 % and 100 % while enabled, in both
# polarities: constant outputs never need a polarity change.
test_backlight() {
	D_BL="pwmchip$CHIPN pwm$CH polarity: an enabled inversed channel takes the levels of a 256-step backlight (20 kHz, 1 kHz), 0 % and 100 % in both polarities"
	if [ -n "$HELD_P" ]; then
		D_BL="pwmchip$CHIPN pwm$CH polarity: an enabled inversed channel takes the levels of a 256-step backlight (at the held period, $HELD_P ns), 0 % and 100 % in both polarities"
	fi
	CK_PFX="backlight: "
	ck_reset
	if ! ch_export; then
		ck_fail "$FAILWHY"
		tp_result "$D_BL" "$CK"
		return
	fi
	_tb_writes=0
	_tb_taken=0
	_tb_regs=0
	# all 256 levels; in quick mode only on the chip's first channel, on
	# the others every 17th (0, 17, ... 255)
	_tb_step=1
	if [ "$QUICK" = 1 ] && [ "$CH" != "${CHANNELS%% *}" ]; then
		_tb_step=17
	fi
	_tb_pers="50000 1000000"
	_tb_p2=1000000
	if [ -n "$HELD_P" ]; then
		_tb_pers=$HELD_P
		_tb_p2=$HELD_P
	fi
	# shellcheck disable=SC2086 # count the periods
	set -- $_tb_pers
	_tb_plan=$(($# * (255 / _tb_step + 1) + 2 * 3))
	for _tb_p in $_tb_pers; do
		if ! apply_start "$_tb_p" 0 inversed; then
			ck_fail "$_tb_p ns: $FAILWHY"
			continue
		fi
		_tb_l=0
		while [ "$_tb_l" -le 255 ]; do
			_tb_d=$((_tb_p * _tb_l / 255))
			_tb_writes=$((_tb_writes + 1))
			if ! pw duty_cycle "$_tb_d"; then
				ck_fail "level $_tb_l of $_tb_p ns: $FAILWHY"
			else
				_tb_taken=$((_tb_taken + 1))
				# (quick mode: registers at every 17th level)
				if [ -n "$RATE" ] && { [ "$QUICK" != 1 ] ||
					[ $((_tb_l % 17)) -eq 0 ]; } && read_regs; then
					exp_round "$_tb_p" "$_tb_d" inversed
					_tb_regs=$((_tb_regs + 1))
					regs_expected || {
						regs_str
						ck_fail "level $_tb_l ($_tb_d/$_tb_p ns): $REGSTR, expected PS=$E_PS MOD=$((E_N - 1)) CnV=$E_CNV ELS=$((2 - E_INV))"
					}
				fi
			fi
			_tb_l=$((_tb_l + _tb_step))
		done
		rd "$PWMDIR/polarity"
		[ "$RD" = inversed ] || ck_fail "$_tb_p ns: polarity reads $RD after the levels"
	done
	for _tb_pol in normal inversed; do
		if ! apply_start "$_tb_p2" $((_tb_p2 / 2)) "$_tb_pol"; then
			ck_fail "$_tb_pol: $FAILWHY"
			continue
		fi
		for _tb_d in 0 "$_tb_p2" $((_tb_p2 / 2)); do
			_tb_writes=$((_tb_writes + 1))
			if pw duty_cycle "$_tb_d"; then
				_tb_taken=$((_tb_taken + 1))
			else
				ck_fail "$_tb_pol $_tb_d/$_tb_p2 while enabled: $FAILWHY"
			fi
		done
		rd "$PWMDIR/polarity"
		[ "$RD" = "$_tb_pol" ] || ck_fail "$_tb_pol: polarity reads $RD after 0 % and 100 %"
	done
	diag "backlight: levels in steps of $_tb_step: $_tb_taken of $_tb_writes duty writes taken, $_tb_regs register checks"
	[ "$_tb_writes" -eq "$_tb_plan" ] ||
		ck_fail "$_tb_writes duty writes made, $_tb_plan planned"
	ch_disable || ck_fail "$FAILWHY"
	ch_unexport
	tp_result "$D_BL" "$CK"
}

test_polarity() {
	_po_pfx="pwmchip$CHIPN pwm$CH polarity:"
	D_PROG="$_po_pfx normal and inversed programmed while disabled"
	D_BUSY="$_po_pfx change on an enabled channel is EBUSY"
	D_KEEP="$_po_pfx a disabled channel keeps it (re-export; 6.13 on: disable, enable)"
	if ! ch_export; then
		diag "$FAILWHY"
		tp_fail "$D_PROG"
		tp_fail "$D_BUSY"
		tp_fail "$D_KEEP"
		return
	fi
	exact_pair

	# -- programming while disabled
	CK_PFX="polarity: "
	ck_reset
	pol_case inversed "$XP" "$XD"
	pol_case normal "$XP" "$XD"
	pol_case inversed "$XP" 0
	pol_case inversed "$XP" "$XP"
	# not a whole number of ticks (7.x: the waveform's offset)
	_po_gd=$((XP / 3 + 1))
	pol_case inversed "$XP" "$_po_gd"
	pol_case normal "$XP" "$_po_gd"
	tp_result "$D_PROG" "$CK"

	# -- EBUSY on an enabled channel
	CK_PFX="polarity EBUSY: "
	ck_reset
	for _po_pol in normal inversed; do
		_po_other=inversed
		if [ "$_po_pol" = inversed ]; then
			_po_other=normal
		fi
		if ! apply_start "$XP" "$XD" "$_po_pol"; then
			ck_fail "$FAILWHY"
			continue
		fi
		read_regs
		_po_before="$RG_OK $RG_PS $RG_MOD $RG_ELS $RG_CNV"
		if ! wr_fail "$PWMDIR/polarity" "$_po_other" EBUSY; then
			ck_fail "$_po_pol -> $_po_other: $FAILWHY"
			CUR_POL=$_po_other
		elif [ "$ERRNO_KNOWN" = 1 ]; then
			diag "$_po_pol -> $_po_other on the enabled channel: $ERRNO"
		fi
		rd "$PWMDIR/polarity"
		[ "$RD" = "$CUR_POL" ] || ck_fail "polarity reads $RD, expected $CUR_POL"
		read_regs
		[ "$_po_before" = "$RG_OK $RG_PS $RG_MOD $RG_ELS $RG_CNV" ] ||
			ck_fail "registers changed: $_po_before -> $RG_OK $RG_PS $RG_MOD $RG_ELS $RG_CNV"
	done
	tp_result "$D_BUSY" "$CK"

	# -- a disabled channel keeps the requested polarity
	CK_PFX="polarity kept: "
	ck_reset
	for _po_pol in inversed normal; do
		if ! ch_disable || { [ "$CUR_POL" != "$_po_pol" ] && ! pw polarity "$_po_pol"; }; then
			ck_fail "$FAILWHY"
			continue
		fi
		read_regs
		if [ "$RG_OK" = 1 ] && [ "$RG_ELS" -ne 0 ]; then
			ck_fail "disabled, ELS=$RG_ELS"
		fi
		if ! reexport; then
			ck_fail "$FAILWHY"
			continue
		fi
		if [ "$WF" = 1 ]; then
			# the waveform API has no polarity for a disabled channel
			if [ "$CUR_EN/$CUR_P/$CUR_D/$CUR_POL" != "0/0/0/normal" ]; then
				ck_fail "disabled ($_po_pol) reads back $CUR_EN/$CUR_P/$CUR_D/$CUR_POL, expected 0/0/0/normal"
			fi
		elif [ "$CUR_EN/$CUR_POL" != "0/$_po_pol" ]; then
			ck_fail "disabled, $_po_pol requested: reads back enable $CUR_EN polarity $CUR_POL"
		fi
	done
	if [ "$WF" = 1 ]; then
		# The core keeps a disabled channel's polarity itself (a
		# re-export reads the hardware: period 0, normal): disabling and
		# enabling again, without a new polarity, must give the same
		# output, inversed included (ELS 01).
		for _po_pol in inversed normal; do
			if ! apply_start "$XP" "$XD" "$_po_pol" || ! ch_disable ||
				! pw enable 1; then
				ck_fail "$_po_pol, disabled, enabled again: $FAILWHY"
				continue
			fi
			rd "$PWMDIR/polarity"
			[ "$RD" = "$_po_pol" ] || ck_fail "$_po_pol, disabled, enabled again: polarity reads $RD"
			_po_els=2
			if [ "$_po_pol" = inversed ]; then
				_po_els=1
			fi
			if read_regs && [ "$RG_OK" = 1 ] && [ "$RG_ELS" -ne "$_po_els" ]; then
				ck_fail "$_po_pol, disabled, enabled again: ELS=$RG_ELS, expected $_po_els"
			fi
		done
	fi
	tp_result "$D_KEEP" "$CK"

	ch_disable
	ch_unexport
}

# state_snapshot: sysfs attributes and registers, to compare around a
# rejected write
state_snapshot() {
	rd "$PWMDIR/period"
	SNAP=$RD
	rd "$PWMDIR/duty_cycle"
	SNAP="$SNAP/$RD"
	rd "$PWMDIR/enable"
	SNAP="$SNAP/$RD"
	rd "$PWMDIR/polarity"
	SNAP="$SNAP/$RD"
	read_regs
	SNAP="$SNAP [$RG_OK $RG_PS $RG_CMOD $RG_MOD $RG_ELS $RG_CNV]"
}

# bad ATTR VALUE ERRNOS: the write is rejected and changes nothing
bad() {
	state_snapshot
	_bd_s0=$SNAP
	if ! wr_fail "$PWMDIR/$1" "$2" "$3"; then
		ck_fail "$FAILWHY"
		read_state
		return
	fi
	state_snapshot
	[ "$_bd_s0" = "$SNAP" ] || ck_fail "'$2' to $1 changed the state: $_bd_s0 -> $SNAP"
}

test_bad_input() {
	_bi_pfx="pwmchip$CHIPN pwm$CH bad input:"
	D_NUM="$_bi_pfx non-numbers rejected, state unchanged"
	D_RANGE="$_bi_pfx enable=2, duty above period, period 0 rejected"
	if ! ch_export; then
		diag "$FAILWHY"
		tp_fail "$D_NUM"
		tp_fail "$D_RANGE"
		return
	fi
	exact_pair
	CK_PFX="bad input: "
	ck_reset
	if apply_start "$XP" "$XD" normal; then
		for _bi_a in period duty_cycle; do
			for _bi_v in abc -1 "" 1.5 0x 12abc; do
				bad "$_bi_a" "$_bi_v" EINVAL
			done
			bad "$_bi_a" 18446744073709551616 ERANGE
		done
		for _bi_v in abc "" 1.5 0x; do
			bad enable "$_bi_v" EINVAL
		done
		bad polarity foo EINVAL
		bad polarity "" EINVAL
	else
		ck_fail "$FAILWHY"
	fi
	tp_result "$D_NUM" "$CK"

	ck_reset
	if [ "$CUR_EN" = 1 ] || apply_start "$XP" "$XD" normal; then
		bad enable 2 EINVAL
		bad enable -1 EINVAL
		bad duty_cycle $((CUR_P + 1)) EINVAL
		if [ "$CUR_D" -gt 0 ]; then
			bad period $((CUR_D - 1)) EINVAL
		fi
		bad period 0 EINVAL
	else
		ck_fail "$FAILWHY"
	fi
	tp_result "$D_RANGE" "$CK"
	ch_disable
	ch_unexport
}

test_cdev() {
	_tc_d="pwmchip$CHIPN pwm$CH cdev: ROUNDWF/GETWF/SETROUNDEDWF (pwm-cdev check)"
	if [ "$WF" != 1 ]; then
		tp_skip "$_tc_d" "kernel without the PWM character device"
		return
	fi
	if [ -z "$CDEV_NODE" ]; then
		tp_skip "$_tc_d" "no /dev/pwmchip$CHIPN node"
		return
	fi
	if [ -z "$CDEV_BIN" ]; then
		tp_skip "$_tc_d" "pwm-cdev helper not found (next to the test or on PATH)"
		return
	fi
	if [ -z "$RATE" ]; then
		tp_skip "$_tc_d" "clock rate unknown"
		return
	fi
	if [ -n "$HELD_P" ]; then
		tp_skip "$_tc_d" "$HELD_SKIP"
		return
	fi
	"$CDEV_BIN" "$CDEV_NODE" check "$CH" "$RATE" "$WIDTH" "$SEED" \
		>"$TMPD/cdev.out" 2>&1
	_tc_rc=$?
	while read -r _tc_l; do
		case $_tc_l in
		"#"*) printf '%s\n' "$_tc_l" ;;
		*) diag "$_tc_l" ;;
		esac
	done <"$TMPD/cdev.out"
	case $_tc_rc in
	0) tp_pass "$_tc_d" ;;
	4) tp_skip "$_tc_d" "pwm-cdev: not supported" ;;
	*) tp_fail "$_tc_d" ;;
	esac
}

test_export_range() {
	_te_d="pwmchip$CHIPN export: out-of-range and repeated requests rejected"
	CK_PFX="export: "
	ck_reset
	if wr_fail "$CHIPDIR/export" "$NPWM" "ENODEV EINVAL"; then
		diag "export $NPWM (npwm): ${ERRNO:-failed}"
		if [ "$ERRNO_KNOWN" = 1 ] && [ "$ERRNO" != ENODEV ]; then
			diag "export $NPWM: $ERRNO instead of ENODEV (accepted)"
		fi
	else
		ck_fail "$FAILWHY"
		echo "$NPWM" 2>/dev/null >"$CHIPDIR/unexport"
	fi
	[ ! -e "$CHIPDIR/pwm$NPWM" ] || ck_fail "pwm$NPWM appeared"
	wr_fail "$CHIPDIR/export" abc EINVAL || ck_fail "$FAILWHY"
	wr_fail "$CHIPDIR/unexport" "$NPWM" ENODEV || ck_fail "$FAILWHY"
	set_channel "${CHANNELS%% *}"
	wr_fail "$CHIPDIR/unexport" "$CH" ENODEV "unexport of pwm$CH (not exported)" ||
		ck_fail "$FAILWHY"
	if ch_export; then
		wr_fail "$CHIPDIR/export" "$CH" EBUSY "second export of pwm$CH" ||
			ck_fail "$FAILWHY"
		ch_unexport || ck_fail "unexport pwm$CH: $ERRNO"
	else
		ck_fail "$FAILWHY"
	fi
	tp_result "$_te_d" "$CK"
}

# test_shared with a held counter: the other user's channel is the other
# channel. The first tested channel takes the held period (and reads it
# back), and every other period is EBUSY, enabled or not, with the state
# and the counter's registers unchanged.
test_shared_held() {
	CK_PFX="shared (held): "
	ck_reset
	set_channel "$_ts_a"
	read_regs
	_ts_r0="$RG_OK $RG_PS $RG_MOD"
	_ts_ok=1
	exact_pair
	if ! ch_export || ! apply_start "$XP" "$XD" normal; then
		ck_fail "pwm$_ts_a: the held period $XP ns: $FAILWHY"
		_ts_ok=0
	fi
	if [ "$_ts_ok" = 1 ]; then
		read_regs
		[ "$_ts_r0" = "$RG_OK $RG_PS $RG_MOD" ] ||
			ck_fail "pwm$_ts_a: the counter changed: $_ts_r0 -> $RG_OK $RG_PS $RG_MOD"
		if reexport && [ "$CUR_P" != "$HELD_P" ]; then
			ck_fail "pwm$_ts_a: reads back period $CUR_P, the held period is $HELD_P"
		fi
	fi
	tp_result "$D_SAME" "$CK"

	ck_reset
	_ts_n=0
	if [ "$_ts_ok" = 1 ]; then
		_ts_list="$((HELD_P * 2)) $((HELD_P / 2)) $HELD_OTHER"
		for _ts_en in 1 0; do
			if [ "$_ts_en" = 0 ]; then
				ch_disable || ck_fail "$FAILWHY"
			fi
			for _ts_p in $_ts_list; do
				[ "$_ts_p" -ge 1 ] || continue
				if [ -n "$HELD_N" ]; then
					exp_round "$_ts_p" 0 normal
					[ "$E_OK" = 1 ] || continue
					[ "$E_PS $E_N" != "$HELD_PS $HELD_N" ] || continue
				fi
				read_state
				if [ "$_ts_p" -lt "$CUR_D" ]; then
					continue
				fi
				_ts_n=$((_ts_n + 1))
				if [ "$_ts_en" = 1 ]; then
					state_snapshot
					_ts_s0=$SNAP
					wr_fail "$PWMDIR/period" "$_ts_p" EBUSY "pwm$_ts_a (enabled): period $_ts_p while the counter is held at $HELD_P" ||
						ck_fail "$FAILWHY"
					state_snapshot
					[ "$_ts_s0" = "$SNAP" ] || ck_fail "pwm$_ts_a: state changed: $_ts_s0 -> $SNAP"
				elif wr "$PWMDIR/period" "$_ts_p"; then
					# a disabled channel's period reaches the
					# hardware when it is enabled
					wr_fail "$PWMDIR/enable" 1 EBUSY "pwm$_ts_a: enable at period $_ts_p while the counter is held at $HELD_P" ||
						ck_fail "$FAILWHY"
					rd "$PWMDIR/enable"
					[ "$RD" = 0 ] || ck_fail "pwm$_ts_a: enable reads $RD after the refused enable"
					ch_disable
					pw period "$HELD_P" || ck_fail "$FAILWHY"
				elif [ "$ERRNO" != EBUSY ] && [ "$ERRNO_KNOWN" = 1 ]; then
					ck_fail "pwm$_ts_a (disabled): period $_ts_p: $ERRNO, expected success or EBUSY"
				fi
				read_regs
				[ "$_ts_r0" = "$RG_OK $RG_PS $RG_MOD" ] ||
					ck_fail "pwm$_ts_a: period $_ts_p changed the counter: $_ts_r0 -> $RG_OK $RG_PS $RG_MOD"
			done
		done
		diag "pwm$_ts_a: $_ts_n requests for another period than the held one, each EBUSY expected"
		[ "$_ts_n" -ge 2 ] || ck_fail "only $_ts_n requests for another period were made"
	else
		ck_fail "pwm$_ts_a does not run at the held period (see above)"
	fi
	tp_result "$D_DIFF" "$CK"
	ch_disable
	ch_unexport
	tp_skip "$D_PS" "$HELD_SKIP"
}

# the shared counter: needs two channels A and B
test_shared() {
	_ts_pfx="pwmchip$CHIPN shared counter:"
	D_SAME="$_ts_pfx same period on two channels"
	D_DIFF="$_ts_pfx other period while another channel is in use is EBUSY"
	D_PS="$_ts_pfx prescaler change of the only channel while enabled"
	_ts_a=${CHANNELS%% *}
	_ts_b=${CHANNELS#* }
	_ts_b=${_ts_b%% *}

	if [ -n "$HELD_P" ]; then
		test_shared_held
		return
	fi
	if [ "$_ts_a" = "$_ts_b" ]; then
		tp_skip "$D_SAME" "needs two channels"
		tp_skip "$D_DIFF" "needs two channels"
	else
		exact_pair
		# a period with another hardware setting
		_ts_p2=$((XP * 2))
		if [ -n "$RATE" ]; then
			exp_round "$XP" 0 normal
			_ts_h1="$E_PS $E_N"
			exp_round "$_ts_p2" 0 normal
			if [ "$E_PS $E_N" = "$_ts_h1" ]; then
				_ts_p2=$((XP / 2))
			fi
		fi
		CK_PFX="shared: "
		ck_reset
		_ts_ok=1
		set_channel "$_ts_a"
		if ! ch_export || ! apply_start "$XP" "$XD" normal; then
			ck_fail "pwm$_ts_a: $FAILWHY"
			_ts_ok=0
		fi
		_ts_ap=$CUR_P
		set_channel "$_ts_b"
		if [ "$_ts_ok" = 1 ] && ! ch_export; then
			ck_fail "pwm$_ts_b: $FAILWHY"
			_ts_ok=0
		fi
		if [ "$_ts_ok" = 1 ]; then
			diag "pwm$_ts_b exported while pwm$_ts_a runs: reads $CUR_P/$CUR_D/$CUR_EN/$CUR_POL"
			if ! apply_start "$XP" $((XD / 2)) normal; then
				ck_fail "pwm$_ts_b: same period as pwm$_ts_a: $FAILWHY"
			else
				read_regs
				if [ -n "$RATE" ] && [ "$RG_OK" = 1 ]; then
					exp_round "$XP" $((XD / 2)) normal
					regs_expected || {
						regs_str
						ck_fail "pwm$_ts_b: $REGSTR, expected PS=$E_PS MOD=$((E_N - 1)) CnV=$E_CNV"
					}
				fi
			fi
		fi
		tp_result "$D_SAME" "$CK"

		ck_reset
		if [ "$_ts_ok" = 1 ] && [ "$CUR_EN" = 1 ]; then
			state_snapshot
			_ts_s0=$SNAP
			if wr_fail "$PWMDIR/period" "$_ts_p2" EBUSY "pwm$_ts_b: period $_ts_p2 while pwm$_ts_a runs at $_ts_ap"; then
				diag "pwm$_ts_b: period $_ts_p2 while pwm$_ts_a runs: ${ERRNO:-failed}"
			else
				ck_fail "$FAILWHY"
			fi
			state_snapshot
			[ "$_ts_s0" = "$SNAP" ] || ck_fail "pwm$_ts_b: state changed: $_ts_s0 -> $SNAP"
			# the other way round, pwm$_ts_b only exported
			ch_disable || ck_fail "$FAILWHY"
			set_channel "$_ts_a"
			read_state
			state_snapshot
			_ts_s0=$SNAP
			if wr_fail "$PWMDIR/period" "$_ts_p2" EBUSY "pwm$_ts_a: period $_ts_p2 while pwm$_ts_b is exported"; then
				diag "pwm$_ts_a: period change while pwm$_ts_b is only exported: ${ERRNO:-failed}"
			else
				ck_fail "$FAILWHY"
			fi
			state_snapshot
			[ "$_ts_s0" = "$SNAP" ] || ck_fail "pwm$_ts_a: state changed: $_ts_s0 -> $SNAP"
		else
			ck_fail "no two running channels (see above)"
		fi
		tp_result "$D_DIFF" "$CK"
		set_channel "$_ts_b"
		if [ -e "$PWMDIR/enable" ]; then
			read_state
			ch_disable
			ch_unexport
		fi
		set_channel "$_ts_a"
		if [ -e "$PWMDIR/enable" ]; then
			read_state
			ch_disable
			ch_unexport
		fi
	fi

	# -- prescaler change with only one channel in use
	if [ "$STATIC" = 1 ]; then
		tp_skip "$D_PS" "static registers (-S): the counter never reaches a period boundary"
		return
	fi
	CK_PFX="prescaler change: "
	ck_reset
	set_channel "$_ts_a"
	# A short period, and one of 20 ms: a whole number of jiffies for
	# HZ 100, 250, 300 and 1000, so a sleep until near its end often ends
	# at the same count one or more periods later. A driver that takes
	# "CNT did not change" for "the counter is stopped" fails here.
	_ts_p1=80000
	_ts_p2=20000000
	if [ -n "$RATE" ]; then
		exp_round "$_ts_p1" 0 normal
		if [ "$E_OK" = 0 ]; then
			cyc2ns 2
			_ts_p1=$RES
			exp_round "$_ts_p1" 0 normal
		fi
		_ts_ps1=$E_PS
		exp_round "$_ts_p2" 0 normal
		if [ "$E_PS" -eq "$_ts_ps1" ]; then
			# the shortest period of the next prescaler
			cyc2ns $((TMAX << _ts_ps1))
			_ts_p2=$RES
		fi
	fi
	_ts_tries=10
	if [ "$QUICK" = 1 ]; then
		_ts_tries=5
	fi
	_ts_okn=0
	if ch_export && apply_start "$_ts_p1" $((_ts_p1 / 2)) normal; then
		_ts_i=0
		while [ "$_ts_i" -lt "$_ts_tries" ]; do
			for _ts_p in "$_ts_p2" "$_ts_p1"; do
				if ! set_pd "$_ts_p" $((_ts_p / 2)); then
					ck_fail "$CUR_P -> $_ts_p while enabled: $FAILWHY"
					continue
				fi
				if [ -n "$RATE" ]; then
					exp_round "$_ts_p" $((_ts_p / 2)) normal
					exp_readback
					read_regs
					if [ "$RG_OK" = 1 ] && ! regs_expected; then
						regs_str
						ck_fail "$_ts_p: $REGSTR, expected PS=$E_PS MOD=$((E_N - 1)) CnV=$E_CNV"
					fi
					if [ "$MODEL" = 1 ] && [ "$X_P" -le 400000000 ]; then
						model_first_full || ck_fail "$_ts_p: model: $MC_WHY"
					fi
				fi
				_ts_okn=$((_ts_okn + 1))
			done
			_ts_i=$((_ts_i + 1))
		done
		if reexport && [ -n "$RATE" ]; then
			[ "$CUR_P/$CUR_D/$CUR_EN" = "$X_P/$X_D/1" ] ||
				ck_fail "reads back $CUR_P/$CUR_D/$CUR_EN, expected $X_P/$X_D/1"
		fi
		diag "prescaler changes $_ts_p1 <-> $_ts_p2 ns while enabled: $_ts_okn of $((2 * _ts_tries)) succeeded"
	else
		ck_fail "$FAILWHY"
	fi
	tp_result "$D_PS" "$CK"
	read_state
	ch_disable
	ch_unexport
}

# random period (GL_MIN_CYC .. GL_MAX_CYC cycles, within the current
# prescaler if $1 is 0, anywhere if 1; if 2, among the shortest periods of
# prescaler 1: 2^W to 2^W + 2^W/8 cycles) and duty for the glitch test: GP,
# GD
glitch_pick() {
	_gk_lo=$GL_MIN_CYC
	_gk_hi=$GL_MAX_CYC
	if [ "$1" = 2 ]; then
		_gk_lo=$TMAX
		_gk_hi=$((TMAX + TMAX / 8))
	fi
	if [ "$1" = 0 ]; then
		exp_round "$CUR_P" 0 normal
		_gk_l=1
		if [ "$E_PS" -gt 0 ]; then
			_gk_l=$((TMAX << (E_PS - 1)))
		fi
		_gk_h=$(((TMAX << E_PS) - 1))
		if [ "$E_PS" -eq "$PS_MAX" ]; then
			_gk_h=$MAXCYC
		fi
		if [ "$_gk_l" -gt "$_gk_lo" ]; then
			_gk_lo=$_gk_l
		fi
		if [ "$_gk_h" -lt "$_gk_hi" ]; then
			_gk_hi=$_gk_h
		fi
		if [ "$_gk_lo" -gt "$_gk_hi" ]; then
			_gk_lo=$GL_MIN_CYC
			_gk_hi=$GL_MAX_CYC
		fi
		rnd_below $((_gk_hi - _gk_lo + 1))
		_gk_c=$((_gk_lo + RND))
	else
		# anywhere in the range
		rnd_below $((_gk_hi - _gk_lo + 1))
		_gk_c=$((_gk_lo + RND))
	fi
	cyc2ns "$_gk_c"
	GP=$RES
	rnd_upto "$GP"
	GD=$RND
}

# check the log so far against the recorded settings, then clear both
glitch_check() {
	cat "$MODEL_DIR/ch$CH" >"$TMPD/log" 2>/dev/null
	# after the log: every cut in the log is in the record
	cat "$MODEL_DIR/cuts" >"$TMPD/cuts" 2>/dev/null
	cat "$MODEL_DIR/stops" >"$TMPD/stops" 2>/dev/null
	_gc_out=$(awk -v smax="$STRETCH_MAX" -v recf="$REC_FILE" \
		-v cutf="$TMPD/cuts" -v stopf="$TMPD/stops" "$GLITCH_AWK" \
		"$REC_FILE" "$TMPD/cuts" "$TMPD/stops" "$TMPD/log")
	_gc_first=1
	_gc_ifs=$IFS
	IFS='
'
	set -f
	for _gc_l in $_gc_out; do
		if [ "$_gc_first" = 1 ]; then
			IFS=$_gc_ifs
			# shellcheck disable=SC2086 # split the numbers
			set -- $_gc_l
			IFS='
'
			G_RUNS=$((G_RUNS + $1))
			G_GLITCH=$((G_GLITCH + $2))
			G_SKIPPED=$((G_SKIPPED + $3))
			G_RESTARTS=$((G_RESTARTS + $4))
			if [ "$5" -gt "$G_MAXTRUNC" ]; then
				G_MAXTRUNC=$5
			fi
			if [ "$6" -gt "$G_MAXSTOP" ]; then
				G_MAXSTOP=$6
			fi
			G_STALLS=$((G_STALLS + $7))
			if [ "$8" -gt "$G_MAXSTALL" ]; then
				G_MAXSTALL=$8
			fi
			G_FIRSTS=$((G_FIRSTS + $9))
			_gc_first=0
		else
			printf '%s\n' "$_gc_l"
		fi
	done
	IFS=$_gc_ifs
	set +f
	if [ "$_gc_first" = 1 ]; then
		diag "glitch: log check failed (awk)"
		G_GLITCH=$((G_GLITCH + 1))
	fi
	wr "$MODEL_DIR/clear" 1
	: >"$REC_FILE"
	rec_setting
}

test_glitch() {
	_tg_d="pwmchip$CHIPN pwm${CHANNELS%% *} model: glitch-free updates of a running channel"
	if [ -n "$HELD_P" ]; then
		tp_skip "$_tg_d" "$HELD_SKIP"
		return
	fi
	if [ "$MODEL" != 1 ]; then
		tp_skip "$_tg_d" "no TPM model"
		return
	fi
	if [ -z "$RATE" ]; then
		tp_skip "$_tg_d" "clock rate unknown"
		return
	fi
	set_channel "${CHANNELS%% *}"
	rnd_block "$CHIPN" "$CH" 3
	ns2cyc "$GL_MIN_NS" "$MAXCYC"
	GL_MIN_CYC=$RES
	ns2cyc "$GL_MAX_NS" "$MAXCYC"
	GL_MAX_CYC=$RES
	if [ "$GL_MIN_CYC" -lt 1 ]; then
		GL_MIN_CYC=1
	fi
	# a restart at a prescaler change stretches one period by a few
	# register writes; allow up to 2 ms
	STRETCH_MAX=$((RATE / 500))
	G_RUNS=0 G_GLITCH=0 G_SKIPPED=0 G_RESTARTS=0 G_MAXTRUNC=0 G_MAXSTOP=0
	G_STALLS=0 G_MAXSTALL=0 G_FIRSTS=0
	_tg_fails=0
	_tg_cross=0
	_tg_psch=0
	# A slow counter clock (32768 Hz: prescaler 0 reaches 2 s) has no
	# prescaler range boundary between GL_MIN_NS and GL_MAX_NS: a few of
	# the random range changes then go to the next prescaler's shortest
	# periods (seconds long), so that the test still changes the
	# prescaler of the running channel.
	_tg_slow=0
	if [ "$GL_MAX_CYC" -lt "$TMAX" ]; then
		_tg_slow=3
		if [ "$QUICK" = 0 ]; then
			_tg_slow=6
		fi
	fi
	CK_PFX="glitch: "
	ck_reset
	if ! ch_export; then
		ck_fail "$FAILWHY"
		tp_fail "$_tg_d"
		return
	fi
	glitch_pick 1
	if ! apply_start "$GP" "$GD" normal; then
		ck_fail "$FAILWHY"
		tp_fail "$_tg_d"
		ch_disable
		ch_unexport
		return
	fi
	REC_FILE=$TMPD/settings
	: >"$REC_FILE"
	rec_setting
	wr "$MODEL_DIR/clear" 1
	_tg_i=0
	_tg_chunk=0
	while [ "$_tg_i" -lt "$GL_COUNT" ]; do
		rnd_below 8
		exp_round "$CUR_P" 0 normal
		_tg_ps=$E_PS
		if [ "$RND" -eq 0 ]; then
			_tg_x=1
			if [ "$_tg_slow" -gt 0 ] && [ "$_tg_ps" = 0 ]; then
				_tg_x=2
				_tg_slow=$((_tg_slow - 1))
			fi
			_tg_cross=$((_tg_cross + 1))
		else
			_tg_x=0
		fi
		glitch_pick "$_tg_x"
		exp_round "$GP" 0 normal
		if [ "$E_PS" != "$_tg_ps" ]; then
			_tg_psch=$((_tg_psch + 1))
		fi
		if ! set_pd "$GP" "$GD"; then
			_tg_fails=$((_tg_fails + 1))
			ck_fail "update $_tg_i to $GP/$GD: $FAILWHY"
		fi
		_tg_i=$((_tg_i + 1))
		_tg_chunk=$((_tg_chunk + 1))
		if [ "$_tg_chunk" -ge 1000 ]; then
			glitch_check
			_tg_chunk=0
		fi
	done
	# let the last setting run for a while
	cyc2ns $((GL_MAX_CYC * 2))
	wait_ns "$RES"
	glitch_check
	REC_FILE=
	if [ "$_tg_psch" = 0 ]; then
		ck_fail "no update changed the prescaler"
	fi
	# every update runs at least one complete period before the next
	# (the write returns once the setting is in effect): fewer logged
	# periods mean the log was not read
	if [ "$G_RUNS" -lt "$GL_COUNT" ]; then
		ck_fail "$G_RUNS periods logged for $GL_COUNT updates, expected at least one each"
	fi
	diag "glitch: $GL_COUNT updates ($_tg_cross random prescaler ranges, $_tg_psch prescaler changes), $_tg_fails failed writes, $G_RUNS periods logged, $G_GLITCH glitches, $G_SKIPPED settings not seen, $G_RESTARTS counter restarts (longest truncated period $G_MAXTRUNC, stop $G_MAXSTOP cycles), $G_STALLS CPU stalls (longest $G_MAXSTALL cycles), $G_FIRSTS periods after a restart with the output waiting for the first overflow"
	# A stall now and then is the emulator (on a loaded host: 3 in 82
	# restarts with make check's two lanes on 2 cores, armhf 6.1 at
	# 100 kHz); a driver that waits between seeing the wrap and stopping
	# the counter, or that keeps it stopped too long, stalls at most
	# restarts.
	if [ "$G_STALLS" -gt $((1 + G_RESTARTS / 10)) ]; then
		diag "glitch: $G_STALLS CPU stalls in $G_RESTARTS restarts: more than 1 + 1 in 10"
		G_GLITCH=$((G_GLITCH + 1))
	fi
	tp_result "$_tg_d" $((CK + G_GLITCH))
	ch_disable
	ch_unexport
}

# centiseconds since boot
now_cs() {
	read -r _nc_u _nc_rest </proc/uptime
	_nc_s=${_nc_u%.*}
	_nc_f=${_nc_u#*.}
	NOW_CS=$((_nc_s * 100 + 1${_nc_f} - 100))
}

# A change of a running channel sleeps until the period ends. The core
# calls .request (export) under its global lock: a request of another
# channel must not wait for that change. Up to three attempts, each with
# the longest period: the export must be done while the change is still
# waiting (the change then needs 30 ms or more to complete), and within a
# third of the period.
test_request_unblocked() {
	D_REQ="pwmchip$CHIPN shared counter: a waiting change does not hold up an export"
	_tr_a=${CHANNELS%% *}
	_tr_b=${CHANNELS#* }
	_tr_b=${_tr_b%% *}
	if [ -n "$HELD_P" ]; then
		tp_skip "$D_REQ" "$HELD_SKIP"
		return
	fi
	if [ "$_tr_a" = "$_tr_b" ]; then
		tp_skip "$D_REQ" "needs two channels"
		return
	fi
	if [ "$MODEL" != 1 ]; then
		tp_skip "$D_REQ" "needs a counter that runs (the TPM model)"
		return
	fi
	# From 6.13 the core holds the chip's lock across a change and while
	# it reads a channel that is being requested (pwm_get_state_hw(); not
	# in 6.12's drivers/pwm/core.c, in 7.3's): the export then waits
	# whatever the driver does.
	_tr_k=$(uname -r)
	_tr_maj=${_tr_k%%.*}
	_tr_min=${_tr_k#*.}
	_tr_min=${_tr_min%%[!0-9]*}
	if is_uint "$_tr_maj" && is_uint "$_tr_min" &&
		[ $((_tr_maj * 1000 + _tr_min)) -ge 6013 ]; then
		tp_skip "$D_REQ" "the PWM core of $_tr_k serialises requests with changes itself (6.13 and later)"
		return
	fi
	# the longest period, but not over 400 ms
	_tr_p=400000000
	if [ -n "$RATE" ]; then
		_tr_max=$(((1 << WIDTH) * 128 * 1000000000 / RATE))
		[ "$_tr_max" -lt "$_tr_p" ] && _tr_p=$_tr_max
	fi
	CK_PFX="request: "
	ck_reset
	set_channel "$_tr_a"
	if ! ch_export || ! apply_start "$_tr_p" $((_tr_p / 4)) normal; then
		ck_fail "pwm$_tr_a: $FAILWHY"
		tp_result "$D_REQ" "$CK"
		return
	fi
	_tr_p=$CUR_P
	_tr_ok=0
	_tr_try=0
	while [ "$_tr_try" -lt 3 ] && [ "$_tr_ok" = 0 ]; do
		_tr_try=$((_tr_try + 1))
		rm -f "$TMPD/change"
		_tr_d=$((_tr_p / (_tr_try + 2)))
		( wr "$PWMDIR/duty_cycle" "$_tr_d"; echo "$?" >"$TMPD/change" ) &
		_tr_bg=$!
		wait_ns 30000000
		now_cs
		_tr_t0=$NOW_CS
		set_channel "$_tr_b"
		if ! ch_export; then
			ck_fail "pwm$_tr_b: $FAILWHY"
			wait "$_tr_bg"
			break
		fi
		now_cs
		_tr_t1=$NOW_CS
		[ -e "$TMPD/change" ] && _tr_done=1 || _tr_done=0
		wait "$_tr_bg"
		now_cs
		_tr_t2=$NOW_CS
		diag "request: try $_tr_try: export took $(((_tr_t1 - _tr_t0) * 10)) ms, the change of pwm$_tr_a (period $_tr_p ns) ended $(((_tr_t2 - _tr_t1) * 10)) ms after it"
		if [ "$(cat "$TMPD/change" 2>/dev/null)" != 0 ]; then
			ck_fail "pwm$_tr_a: duty change to $_tr_d failed"
		elif [ "$_tr_done" = 0 ] && [ $((_tr_t2 - _tr_t1)) -ge 3 ] &&
			[ $((_tr_t1 - _tr_t0)) -le $((_tr_p / 30000000)) ]; then
			_tr_ok=1
		fi
		ch_unexport
		set_channel "$_tr_a"
		read_state
	done
	if [ "$_tr_ok" = 0 ]; then
		ck_fail "in $_tr_try tries the export of pwm$_tr_b never ended while the change of pwm$_tr_a was still waiting"
	fi
	set_channel "$_tr_a"
	read_state
	ch_disable || ck_fail "pwm$_tr_a: $FAILWHY"
	ch_unexport
	tp_result "$D_REQ" "$CK"
}

test_model_errors() {
	_tm_d="pwmchip$CHIPN model: no hardware misuse recorded"
	if [ "$MODEL" != 1 ]; then
		tp_skip "$_tm_d" "no TPM model"
		return
	fi
	_tm_n=0
	_tm_new=0
	if ! dbg_copy "$MODEL_DIR/errors"; then
		diag "cannot read $MODEL_DIR/errors"
		tp_fail "$_tm_d"
		return
	fi
	while read -r _tm_l; do
		_tm_n=$((_tm_n + 1))
		if [ "$_tm_n" -gt "$MODEL_ERRORS0" ]; then
			_tm_new=$((_tm_new + 1))
			[ "$_tm_new" -le "$MAX_SHOWN" ] && diag "model error: $_tm_l"
		fi
	done <"$TMPD/dbg"
	tp_result "$_tm_d" "$_tm_new"
}

# held_setup: HELD (channels another user has requested) holds the shared
# counter. Finds the period in use, HELD_P (ns, as the driver reports it),
# and with a known rate its hardware setting HELD_PS/HELD_N, from the
# registers, else from the PWM core's debugfs summary (/sys/kernel/debug/pwm,
# the other user's channel), else from the sysfs attributes of a channel
# exported by another user. HELD_SKIP: the reason for what cannot be tested
# (status 1: nothing can be, the period in use is unknown).
held_setup() {
	HELD_P=
	HELD_PS=
	HELD_N=
	_hs_src=
	_hs_first=${HELD# }
	_hs_first=${_hs_first%% *}
	if [ -n "$RATE" ] && read_regs && [ "$RG_OK" = 1 ]; then
		HELD_PS=$RG_PS
		HELD_N=$((RG_MOD + 1))
		cyc2ns $((HELD_N << HELD_PS))
		HELD_P=$RES
		_hs_src="registers PS=$RG_PS MOD=$RG_MOD"
	fi
	_hs_dbg=
	if [ -r "$DEBUGFS/pwm" ]; then
		# Two shapes: up to 6.12 one line per channel, " pwm-1
		# (label): requested enabled period: 50000 ns duty: ...";
		# from 6.13 (seen in Debian's 7.3) the channel's line is
		# followed by "  actual configuration: 25084/50000 [+0]"
		_hs_dbg=$(awk -v dev="$DEVNAME" -v ch="pwm-$_hs_first" '
			/^[^ ]/ { sec = index($0, "/" dev ",") > 0; on = 0; next }
			sec && $1 ~ /^pwm-/ { on = $1 == ch }
			on {
				for (i = 1; i < NF; i++) {
					if ($i == "period:") { print $(i + 1); exit }
					if ($i == "configuration:" && $(i - 1) == "actual") {
						v = $(i + 1); sub(/.*\//, "", v); print v; exit
					}
				}
			}' "$DEBUGFS/pwm" 2>/dev/null)
	fi
	if is_uint "$_hs_dbg" && [ "$_hs_dbg" -gt 0 ]; then
		if [ -z "$HELD_P" ]; then
			HELD_P=$_hs_dbg
			_hs_src="$DEBUGFS/pwm, pwm$_hs_first"
		elif [ "$_hs_dbg" != "$HELD_P" ]; then
			diag "pwmchip$CHIPN: $DEBUGFS/pwm shows pwm$_hs_first at $_hs_dbg ns, the registers $HELD_P ns"
		fi
	fi
	if [ -z "$HELD_P" ] && [ -r "$CHIPDIR/pwm$_hs_first/period" ]; then
		rd "$CHIPDIR/pwm$_hs_first/period"
		if is_uint "$RD" && [ "$RD" -gt 0 ]; then
			HELD_P=$RD
			_hs_src="pwm$_hs_first/period"
		fi
	fi
	if [ -z "$HELD_P" ]; then
		HELD_SKIP="$HELDWHY, and the period it holds the shared counter at cannot be read (no registers, no $DEBUGFS/pwm)"
		return 1
	fi
	HELD_SKIP="the shared counter is held at $HELD_P ns by another user ($HELDWHY)"
	diag "pwmchip$CHIPN: $HELDWHY: the other channels are tested at its period, $HELD_P ns ($_hs_src)"
	diag "pwmchip$CHIPN: not tested while it is held: periods below one tick and above the maximum, prescaler changes, the glitch test, the waiting-change test, the character device check"
	return 0
}

# skip every test point of a chip
skip_chip() {
	for _sk_t in "export: out-of-range and repeated requests rejected" \
		"shared counter: same period on two channels" \
		"shared counter: other period while another channel is in use is EBUSY" \
		"shared counter: prescaler change of the only channel while enabled" \
		"shared counter: a waiting change does not hold up an export" \
		"model: glitch-free updates of a running channel" \
		"model: no hardware misuse recorded"; do
		tp_skip "pwmchip$CHIPN $_sk_t" "$1"
	done
	for _sk_c in $CHANNELS; do
		for _sk_t in "rounding: period below one clock cycle is EINVAL" \
			"rounding: requests applied, read-back not above request" \
			"rounding: read-back is the best available setting" \
			"rounding: registers hold the expected setting" \
			"rounding: read-back applied again gives the same setting" \
			"rounding: 0 % and 100 % duty are exact" \
			"rounding: periods above the maximum give the maximum" \
			"model: output after each apply" \
			"polarity: normal and inversed programmed while disabled" \
			"polarity: change on an enabled channel is EBUSY" \
			"polarity: a disabled channel keeps it (re-export; 6.13 on: disable, enable)" \
			"polarity: an enabled inversed channel takes the levels of a 256-step backlight (20 kHz, 1 kHz), 0 % and 100 % in both polarities" \
			"bad input: non-numbers rejected, state unchanged" \
			"bad input: enable=2, duty above period, period 0 rejected" \
			"cdev: ROUNDWF/GETWF/SETROUNDEDWF (pwm-cdev check)"; do
			tp_skip "pwmchip$CHIPN pwm$_sk_c $_sk_t" "$1"
		done
	done
}

TP_PER_CHIP=7
TP_PER_CHANNEL=15

run_chip() {
	CHIPDIR=$SYSFS_PWM/pwmchip$CHIPN
	eval "NPWM=\$NPWM_$CHIPN CHANNELS=\$CHANNELS_$CHIPN _ru_busy=\$BUSY_$CHIPN"
	eval "HELD=\$HELD_$CHIPN HELDWHY=\$HELDWHY_$CHIPN"
	if [ -n "$_ru_busy" ]; then
		diag "pwmchip$CHIPN: $_ru_busy"
		skip_chip "$_ru_busy"
		return
	fi
	chip_setup
	HELD_P=
	if [ -n "$HELD" ] && ! held_setup; then
		diag "pwmchip$CHIPN: $HELD_SKIP"
		skip_chip "$HELD_SKIP"
		return
	fi
	MODEL_ERRORS0=0
	if [ "$MODEL" = 1 ] && dbg_copy "$MODEL_DIR/errors"; then
		while read -r _ru_l; do
			MODEL_ERRORS0=$((MODEL_ERRORS0 + 1))
			diag "model error before the test: $_ru_l"
		done <"$TMPD/dbg"
	fi

	test_export_range
	for _ru_c in $CHANNELS; do
		set_channel "$_ru_c"
		rnd_block "$CHIPN" "$CH" 1
		test_rounding
		set_channel "$_ru_c"
		test_polarity
		set_channel "$_ru_c"
		test_backlight
		set_channel "$_ru_c"
		test_bad_input
		set_channel "$_ru_c"
		test_cdev
	done
	test_shared
	test_request_unblocked
	test_glitch
	test_model_errors
}

# ---------------------------------------------------------------- main

while getopts c:C:r:w:n:s:qSEh _opt; do
	case $_opt in
	c) is_uint "$OPTARG" || die_usage "-c needs a chip number"
	   OPT_CHIP=$OPTARG ;;
	C) OPT_CHANNELS=$(echo "$OPTARG" | tr ',' ' ')
	   for _c in $OPT_CHANNELS; do
		   is_uint "$_c" || die_usage "-C needs channel numbers"
	   done ;;
	r) if ! is_uint "$OPTARG" || [ "$OPTARG" -lt 1 ]; then
		   die_usage "-r needs a rate in Hz"
	   fi
	   OPT_RATE=$OPTARG ;;
	w) if ! is_uint "$OPTARG" || [ "$OPTARG" -lt 1 ] ||
		   [ "$OPTARG" -gt 32 ]; then
		   die_usage "-w needs a width of 1..32 bits"
	   fi
	   OPT_WIDTH=$OPTARG ;;
	n) is_uint "$OPTARG" || die_usage "-n needs a count"
	   OPT_COUNT=$OPTARG ;;
	s) is_uint "$OPTARG" || die_usage "-s needs a number"
	   OPT_SEED=$OPTARG ;;
	q) QUICK=1 ;;
	S) STATIC=1 ;;
	E) expect_mode
	   exit 0 ;;
	h) usage
	   exit 0 ;;
	*) usage >&2
	   exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || die_usage "unexpected argument: $1"

echo "KTAP version 1"

# 64-bit arithmetic and comparisons are needed for periods and clock
# cycles (busybox: FEATURE_SH_MATH_64 and FEATURE_TEST_64)
if [ "$((1 << 40))" != 1099511627776 ] ||
	[ "$((9223372036854775807 / 3))" != 3074457345618258602 ] ||
	! [ "$((1 << 62))" -gt "$((1 << 32))" ] 2>/dev/null; then
	echo "1..1"
	diag "this shell's arithmetic or test is not 64-bit: run the test with another shell (e.g. bash, dash)"
	tp_fail "shell arithmetic is 64-bit"
	totals
	exit 1
fi

if [ "$QUICK" = 1 ]; then
	N_RANDOM=2
	GL_COUNT=${OPT_COUNT:-200}
	MODEL_MAX_NS=5000000
	RUN_MAX_NS=5000000
	GL_MIN_NS=100000
	GL_MAX_NS=6000000
else
	N_RANDOM=8
	GL_COUNT=${OPT_COUNT:-1000}
	MODEL_MAX_NS=20000000
	RUN_MAX_NS=20000000
	GL_MIN_NS=100000
	GL_MAX_NS=10000000
fi

if [ -n "$OPT_SEED" ]; then
	SEED=$OPT_SEED
else
	SEED=$(od -An -N4 -tu4 /dev/urandom 2>/dev/null | tr -d ' \n')
	is_uint "$SEED" || SEED=1
fi
SEED=$((SEED % 2147483646))

TMPD=$(mktemp -d 2>/dev/null || echo "/tmp/pwm-imx-tpm.$$")
mkdir -p "$TMPD"
ERRF=$TMPD/err
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Can the shell's echo tell why a write failed? dash's builtin says only
# "I/O error"; an external echo (coreutils, busybox) gives strerror().
ECHO_MODE=builtin
ERRNO_KNOWN=0
if [ -w /dev/full ]; then
	wr /dev/full x
	if [ "$ERRNO" = "E?" ]; then
		ECHO_MODE="env"
		wr /dev/full x
	fi
	if [ "$ERRNO" = "E?" ]; then
		ECHO_MODE=builtin
		diag "write errors carry no errno text in this shell: only failure is checked"
	else
		ERRNO_KNOWN=1
	fi
fi

if sleep 0.001 2>/dev/null; then
	SLEEP_MODE=frac
elif command -v usleep >/dev/null 2>&1; then
	SLEEP_MODE=usleep
else
	SLEEP_MODE=whole
	diag "sleep takes whole seconds only: model checks are slow"
fi

CDEV_BIN=
_dir=${0%/*}
if [ "$_dir" = "$0" ]; then
	_dir=.
fi
if [ -x "$_dir/pwm-cdev" ]; then
	CDEV_BIN=$_dir/pwm-cdev
elif command -v pwm-cdev >/dev/null 2>&1; then
	CDEV_BIN=$(command -v pwm-cdev)
fi

_mode=
if [ "$QUICK" = 1 ]; then
	_mode=", quick mode"
fi
diag "seed $SEED (repeat with -s $SEED)${OPT_CHIP:+, chip $OPT_CHIP}${OPT_CHANNELS:+, channels $OPT_CHANNELS}$_mode"

# find the chips, their channels, and chips in use elsewhere
CHIPS=
PLAN=0
for _cd in "$SYSFS_PWM"/pwmchip*; do
	[ -d "$_cd" ] || continue
	_n=${_cd##*pwmchip}
	is_uint "$_n" || continue
	if [ -n "$OPT_CHIP" ] && [ "$_n" != "$OPT_CHIP" ]; then
		continue
	fi
	_drv=$(readlink "$_cd/device/driver" 2>/dev/null)
	case " $DRIVERS " in
	*" ${_drv##*/} "*) DRIVER=${_drv##*/} ;;
	*) continue ;;
	esac
	rd "$_cd/npwm"
	_np=$RD
	if ! is_uint "$_np" || [ "$_np" -lt 1 ]; then
		diag "pwmchip$_n: unreadable npwm, ignored"
		continue
	fi
	_chs=
	if [ -n "$OPT_CHANNELS" ]; then
		for _c in $OPT_CHANNELS; do
			if [ "$_c" -lt "$_np" ]; then
				_chs="$_chs $_c"
			else
				diag "pwmchip$_n has no channel $_c"
			fi
		done
	else
		_c=0
		while [ "$_c" -lt "$_np" ]; do
			_chs="$_chs $_c"
			_c=$((_c + 1))
		done
	fi
	_chs=${_chs# }
	[ -n "$_chs" ] || continue
	# Channels in use by others. One requested by another user (a kernel
	# consumer such as pwm-backlight: export is EBUSY; or exported through
	# sysfs already) holds the shared counter at its period: the other
	# channels are tested at that period ("held counter", run_chip). A
	# channel left enabled without a user (by the bootloader) does not hold
	# the counter, but a test would change its period: the chip is skipped.
	_busy=
	_held=
	_heldwhy=
	if [ ! -w "$_cd/export" ]; then
		_busy="$_cd/export is not writable (run as root)"
	fi
	_c=0
	while [ -z "$_busy" ] && [ "$_c" -lt "$_np" ]; do
		if [ -d "$_cd/pwm$_c" ]; then
			_held="$_held $_c"
			_heldwhy="$_heldwhy; pwm$_c is exported by another user"
		elif ! wr "$_cd/export" "$_c"; then
			# other errors are left to the tests to report
			if [ "$ERRNO" = EBUSY ] || [ "$ERRNO_KNOWN" = 0 ]; then
				_held="$_held $_c"
				_heldwhy="$_heldwhy; pwm$_c is requested by a kernel user (export: $ERRNO)"
			fi
		else
			exported_add "$_cd" "$_c"
			rd "$_cd/pwm$_c/enable"
			if [ "$RD" = 1 ]; then
				_busy="pwm$_c is enabled without a user (left running at boot?)"
			fi
			echo "$_c" 2>/dev/null >"$_cd/unexport"
			exported_del "$_cd" "$_c"
		fi
		_c=$((_c + 1))
	done
	case $_busy in
	pwm*) _busy="$_busy; the counter is shared, so this chip is not tested" ;;
	esac
	_heldwhy=${_heldwhy#; }
	if [ -z "$_busy" ] && [ -n "$_held" ]; then
		_free=
		for _c in $_chs; do
			case " $_held " in
			*" $_c "*) diag "pwmchip$_n: pwm$_c is in use by another user, not tested" ;;
			*) _free="$_free $_c" ;;
			esac
		done
		if [ -n "$_free" ]; then
			_chs=${_free# }
		else
			_busy="every channel to test is in use by another user: $_heldwhy"
		fi
	fi
	eval "NPWM_$_n=\$_np CHANNELS_$_n=\$_chs BUSY_$_n=\$_busy HELD_$_n=\$_held HELDWHY_$_n=\$_heldwhy"
	CHIPS="$CHIPS $_n"
	# shellcheck disable=SC2086 # count the channels
	set -- $_chs
	PLAN=$((PLAN + TP_PER_CHIP + TP_PER_CHANNEL * $#))
done

if [ -z "$CHIPS" ]; then
	echo "1..1"
	tp_skip "$DRIVER" "no pwmchip bound to $(echo "$DRIVERS" | sed 's/ / or /g')${OPT_CHIP:+ (pwmchip$OPT_CHIP)}"
	totals
	exit 4
fi

# debugfs for the registers, the clock summary and the model
if [ "$DEBUGFS" = /sys/kernel/debug ] && [ ! -d "$DEBUGFS/regmap" ] &&
	[ -d "$DEBUGFS" ] && [ "$(id -u 2>/dev/null)" = 0 ] &&
	! grep -q " $DEBUGFS debugfs " /proc/mounts 2>/dev/null; then
	if mount -t debugfs debugfs "$DEBUGFS" 2>/dev/null; then
		MOUNTED_DEBUGFS=1
		diag "mounted debugfs on $DEBUGFS"
	fi
fi
echo "1..$PLAN"
for CHIPN in $CHIPS; do
	run_chip
done

if [ "$T_NUM" -ne "$PLAN" ]; then
	diag "internal error: $T_NUM test points reported, $PLAN planned"
	T_FAIL=$((T_FAIL + 1))
fi
totals
if [ "$T_FAIL" -gt 0 ]; then
	exit 1
fi
if [ "$T_PASS" -eq 0 ] && [ "$T_XFAIL" -eq 0 ]; then
	exit 4
fi
exit 0
