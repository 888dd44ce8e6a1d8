#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/stress.sh [--short | --faults]: guest runs of tests/vm/vm.sh
# that stress the driver or inject faults.
#   (default) tests/vm/stress-guest.sh with the TPM model on amd64 7.3:
#             4 writers for 60 s, 200 unbind/bind, 200 rmmod/insmod, 20
#             suspend/resume cycles
#   --short   the same with 4 writers for 20 s, 20 of each cycle, 5
#             suspend/resume
#   --faults  tests/vm/faults-guest.sh with the model on amd64 7.3 (latch
#             never happens, register access fails, bad PARAM), and
#             tests/vm/late-clock-guest.sh on arm64 7.3's dt-late path
#             (the clock provider arrives after the driver)
# Ends with "stress: N passed, M failed" (or "faults: ..."); a guest that
# crashes, hangs or logs a kernel problem (vm.sh) counts as one more
# failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
total_passed=0
total_failed=0

# run_guest NAME TARGET PATH SCRIPT TIMEOUT [ARGS...]: one guest run; adds
# the result line "NAME: N passed, M failed" of its log to the totals
run_guest() {
	local name=$1 target=$2 path=$3 script=$4 timeout=$5 log line p f rc
	shift 5
	log=$VM_LOGDIR/${target/:/-}-$path.log
	rm -f "$log"
	VM_TIMEOUT=${VM_TIMEOUT:-$timeout} "$here/vm.sh" run "$target" "$path" \
		"$script" -- "$@"
	rc=$?
	grep -E '^(ok|not ok) |^# ' "$log" 2>/dev/null |
		grep -vE '^# (vm\.sh|kernel config|modules in|pwm-cdev|timeout)' || true
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" 2>/dev/null | tail -n 1)
	if [[ -z $line ]]; then
		echo "$name: no result from the guest (log: ${log#"$top"/})"
		total_failed=$((total_failed + 1))
		return
	fi
	p=$(sed -E 's/^[a-z-]+: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	if ((rc != 0 && f == 0)); then
		echo "$name: the guest passed, but vm.sh failed the run (kernel log problems: ${log#"$top"/}.problems)"
		f=1
	fi
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
}

case ${1:-} in
--faults)
	tier=faults
	export VM_LOGDIR=${VM_LOGDIR:-$top/tests/logs/faults}
	run_guest faults amd64:7.3 model "$here/faults-guest.sh" 600
	run_guest late-clock arm64:7.3 dt-late "$here/late-clock-guest.sh" 600
	;;
--short)
	tier=stress
	export VM_LOGDIR=${VM_LOGDIR:-$top/tests/logs/stress}
	run_guest stress amd64:7.3 model "$here/stress-guest.sh" 600 \
		-t 20 -w 4 -b 20 -m 20 -p 5
	;;
'')
	tier=stress
	export VM_LOGDIR=${VM_LOGDIR:-$top/tests/logs/stress}
	run_guest stress amd64:7.3 model "$here/stress-guest.sh" 1800 \
		-t 60 -w 4 -b 200 -m 200 -p 20
	;;
*)
	echo "usage: $0 [--short | --faults]" >&2
	exit 2
	;;
esac
echo "$tier: $total_passed passed, $total_failed failed"
((total_failed == 0))
