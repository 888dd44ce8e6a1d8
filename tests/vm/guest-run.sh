# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/vm/guest-run.sh - sourced by the host scripts that run one guest
# script each through tests/vm/vm.sh (stress.sh, ../bench/bench.sh) and
# add up the results. Needs $top (the source tree) and VM_LOGDIR.

: "${top:?}"
# shellcheck source=budget.sh source-path=SCRIPTDIR
. "$top/tests/vm/budget.sh"
total_passed=0
total_failed=0
total_skipped=0

# guest_krel LOG: the kernel release the guest of LOG booted (vm.sh's
# "# vm.sh TARGET: KREL, ..." line)
guest_krel() {
	sed -nE 's/^# vm\.sh [^:]+: ([^,]+),.*/\1/p' "$1" | head -n 1
}

# run_guest NAME TARGET PATH SCRIPT TIMEOUT [ARGS...]: one guest run; adds
# the result line "NAME: N passed, M failed[, K skipped]" of its log to the
# totals.
# SCRIPT "-" runs the kselftest, whose KTAP totals line counts instead; with
# "-C LIST" among ARGS its SKIPs and XFAILs are held to the budget of PATH
# and the guest's kernel (tests/vm/budget.sh), one failure if over it.
run_guest() {
	local name=$1 target=$2 path=$3 script=$4 timeout=$5 log line p f s rc start=$SECONDS
	: "${VM_LOGDIR:?}"
	shift 5
	log=$VM_LOGDIR/${target/:/-}-$path.log
	rm -f "$log"
	local -a guest=("$script")
	[[ $script == - ]] && guest=()
	VM_TIMEOUT=${VM_TIMEOUT:-$timeout} "$top/tests/vm/vm.sh" run "$target" "$path" \
		"${guest[@]}" -- "$@"
	rc=$?
	grep -E '^(ok|not ok) |^# ' "$log" 2>/dev/null |
		grep -vE '^# (vm\.sh|kernel config|modules in|pwm-cdev|timeout)' || true
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" 2>/dev/null | tail -n 1)
	if [[ -z $line && $script == - ]]; then
		line=$(sed -nE "s/^# Totals: pass:([0-9]+) fail:([0-9]+) .* skip:([0-9]+) .*/$name: \1 passed, \2 failed, \3 skipped/p" "$log" | tail -n 1)
	fi
	if [[ -z $line ]]; then
		# where it stopped, on the one line that run-tiers.sh repeats
		# at the end of make check (a CI log often shows only its tail)
		local last tail problem
		last=$(grep -E '^(ok|not ok) ' "$log" 2>/dev/null | tail -n 1 | cut -c1-120)
		tail=$(grep -vE '^[[:space:]]*$' "$log" 2>/dev/null | tail -n 1 | cut -c1-160)
		problem=$(head -n 1 "$log.problems" 2>/dev/null | cut -c1-160)
		echo "$name: no result from the guest (log: ${log#"$top"/}; vm.sh exit $rc after $((SECONDS - start)) s; last test point: ${last:-none}; last line: ${tail:-none}${problem:+; first kernel problem: $problem})"
		total_failed=$((total_failed + 1))
		return
	fi
	if [[ $script == - ]]; then
		local nch krel kp kf kx ks
		nch=$(ktap_channels "$@")
		krel=$(guest_krel "$log")
		read -r kp kf kx ks <<<"$(ktap_totals "$log")"
		if [[ -n $nch && -n $krel && -n $ks ]]; then
			if ! ktap_budget_check "$name" "$path" "$krel" "$nch" "$ks" "$kx"; then
				total_failed=$((total_failed + 1))
			fi
		elif [[ -n $nch ]]; then
			echo "$name: the skip budget cannot be checked (kernel '${krel:-?}', totals '${kp:+pass $kp fail $kf xfail $kx skip $ks}')"
			total_failed=$((total_failed + 1))
		fi
		# the model has a rate parameter, a dt guest a fixed clock
		if ! ktap_found_clock "$log"; then
			echo "$name: the kselftest did not find the counter clock's rate (the guest has one)"
			total_failed=$((total_failed + 1))
		fi
	fi
	p=$(sed -E 's/^[a-z-]+: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	if ((rc != 0 && f == 0)); then
		echo "$name: the guest passed, but vm.sh failed the run (kernel log problems: ${log#"$top"/}.problems)"
		f=1
	fi
	s=0
	[[ $line =~ ([0-9]+)\ skipped ]] && s=${BASH_REMATCH[1]}
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	total_skipped=$((total_skipped + s))
}


# guest_totals NAME: print "NAME: N passed, M failed[, K skipped]" of the
# totals; status 0 if none failed.
guest_totals() {
	if ((total_skipped > 0)); then
		echo "$1: $total_passed passed, $total_failed failed, $total_skipped skipped"
	else
		echo "$1: $total_passed passed, $total_failed failed"
	fi
	((total_failed == 0))
}
