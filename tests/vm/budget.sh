# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/vm/budget.sh - sourced by tests/vm/vm.sh (make vm's matrix) and
# tests/vm/guest-run.sh (the debug kernels' kselftest guests): how many
# SKIPs the kselftest may report in a guest, and why. A guest over its
# budget, or with any XFAIL (a known defect, budget 0), fails.

# skip_budget KIND KREL CHANNELS: the skips the kselftest is expected to
# report in a guest that tests CHANNELS channels (C) of one chip, by
# path and kernel; printed as "N reasons". Each with its reason:
#   before 6.13: the PWM character device's check, per channel (C: the
#     kernel has no /dev/pwmchipN);
#   6.13 and later: "a waiting change does not hold up an export" (1: the
#     core serialises requests with changes itself);
#   dt (registers in plain memory, no model): the model's output after each
#     apply, per channel (C), the glitch test and the misuse check (2: no
#     model), the prescaler change (1: the counter never reaches a period
#     boundary), before 6.13 also the waiting change (1: it needs a counter
#     that runs), and from 6.13 the character device's check per channel
#     (C: the dt guests get no pwm-cdev, it checks against the model's rate
#     and output);
#   dt-bl (a backlight holds the counter at its period): per channel
#     tested, the period below one tick and the maximum (2C: only the held
#     period can be set).
skip_budget() {
	local kind=$1 krel=$2 c=$3 n=0 why=()
	if dpkg --compare-versions "${krel%%[-+]*}" ge 6.13; then
		n=$((n + 1))
		why+=("waiting change")
	else
		n=$((n + c))
		why+=("no character device x$c")
	fi
	if [[ $kind == dt* ]]; then
		n=$((n + c + 3))
		why+=("no model: output x$c, glitch, misuse" "static: prescaler change")
		if dpkg --compare-versions "${krel%%[-+]*}" ge 6.13; then
			n=$((n + c))
			why+=("no pwm-cdev in dt guests x$c")
		else
			n=$((n + 1))
			why+=("static: waiting change")
		fi
	fi
	if [[ $kind == *-bl ]]; then
		n=$((n + 2 * c))
		why+=("held counter (backlight on channel 1): below one tick and maximum x$c")
	fi
	local IFS=';'
	printf '%d %s\n' "$n" "${why[*]}"
}

# ktap_budget_check NAME KIND KREL CHANNELS SKIPS XFAILS: 0 if within the
# budget, else prints why (prefixed with NAME) and returns 1.
ktap_budget_check() {
	local name=$1 kind=$2 krel=$3 c=$4 ks=$5 kx=$6 budget why rc=0
	read -r budget why <<<"$(skip_budget "$kind" "$krel" "$c")"
	if ((ks > budget)); then
		echo "$name: $ks skipped, over its budget of $budget ($why)"
		rc=1
	elif ((ks < budget)); then
		echo "$name: note: $ks skipped, fewer than its budget of $budget ($why): the budget in tests/vm/budget.sh is out of date"
	fi
	if ((kx > 0)); then
		echo "$name: $kx XFAIL, over its budget of 0"
		rc=1
	fi
	return "$rc"
}

# ktap_channels ARGS...: how many channels the last "-C LIST" among the
# selftest's ARGS names; nothing without -C.
ktap_channels() {
	local a prev='' list=''
	for a in "$@"; do
		[[ $prev == -C ]] && list=$a
		prev=$a
	done
	[[ -z $list ]] || tr ',' '\n' <<<"$list" | grep -c .
}

# PWM_DEBUG_RE: what the PWM core's PWM_DEBUG checks print
# (drivers/pwm/core.c of 6.12 and 7.3: dev_warn and dev_err without a
# WARNING: prefix; 6.12's pwm_apply_debug() checks requests to disable
# too). tests/vm/vm.sh fails a guest on them (DEBUG_BAD_RE), and
# tests/upstream/upstream.sh counts them.
PWM_DEBUG_RE="\.apply ignored \.polarity|\.apply didn't pick the best available|\.apply is supposed to round down"
PWM_DEBUG_RE+='|\.apply is not idempotent|failed to reapply current setting|Wrong rounding: requested'
PWM_DEBUG_RE+='|Unexpected return value from __pwm_round_waveform|Unexpected setting: requested'
PWM_DEBUG_RE+='|Please implement the \.get_state\(\) callback'
PWM_DEBUG_RE+='|requested disabled, but yielded enabled'

# log_messages RE LOG: the lines of a guest's LOG that match RE, each
# kernel message once: the log has every message twice, the console's copy
# and the guest's dmesg at the end (the same timestamp and text)
log_messages() {
	grep -aE "$1" "$2" | awk '!seen[$0]++'
}

# ktap_totals LOG: "PASS FAIL XFAIL SKIP" of the last "# Totals:" line of
# LOG; nothing when it has none.
ktap_totals() {
	grep -a '^# Totals:' "$1" 2>/dev/null | tail -n 1 |
		sed -nE 's/^# Totals: pass:([0-9]+) fail:([0-9]+) xfail:([0-9]+) xpass:[0-9]+ skip:([0-9]+).*/\1 \2 \3 \4/p'
}

# ktap_found_clock LOG: the selftest found the counter clock's rate (every
# guest has one: the model's rate parameter, or a devicetree's fixed clock).
ktap_found_clock() {
	grep -aqE '^# pwmchip[0-9]+: clock rate [0-9]+ Hz \(' "$1"
}
