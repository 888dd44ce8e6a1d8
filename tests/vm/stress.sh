#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/stress.sh [--short | --faults] [ARCH:SERIES]: the stress run of
# tests/vm/stress-guest.sh, or the fault run of tests/vm/faults-guest.sh,
# in a guest with the TPM model (tests/vm/vm.sh), default amd64:7.3.
#   full:     4 writers for 60 s, 200 unbind/bind, 200 rmmod/insmod, 20
#             suspend/resume cycles
#   --short:  4 writers for 20 s, 20 of each cycle, 5 suspend/resume
#   --faults: latch never happens, register access fails, bad PARAM
# Ends with "stress: N passed, M failed" (or "faults: ..."); a guest that
# crashes, hangs or logs a kernel problem (vm.sh) counts as one more
# failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
name=stress
script=$here/stress-guest.sh
args=(-t 60 -w 4 -b 200 -m 200 -p 20)
timeout=1800
case ${1:-} in
--short)
	args=(-t 20 -w 4 -b 20 -m 20 -p 5)
	timeout=600
	shift
	;;
--faults)
	name=faults
	script=$here/faults-guest.sh
	args=()
	timeout=600
	shift
	;;
esac
target=${1:-amd64:7.3}
logdir=${VM_LOGDIR:-$top/tests/logs/$name}
export VM_LOGDIR=$logdir
log=$logdir/${target/:/-}-model.log
rm -f "$log"

VM_TIMEOUT=${VM_TIMEOUT:-$timeout} "$here/vm.sh" run "$target" model \
	"$script" -- "${args[@]}"
rc=$?

grep -E '^(ok|not ok) |^# ' "$log" 2>/dev/null | grep -vE '^# (vm\.sh|kernel config|modules in|pwm-cdev|timeout)' || true
line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" 2>/dev/null | tail -n 1)
if [[ -z $line ]]; then
	echo "$name: no result from the guest (log: ${log#"$top"/})"
	echo "$name: 0 passed, 1 failed"
	exit 1
fi
passed=$(sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/' <<<"$line")
failed=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
if ((rc != 0 && failed == 0)); then
	echo "$name: the guest passed, but vm.sh failed the run (kernel log problems: ${log#"$top"/}.problems)"
	failed=1
fi
echo "$name: $passed passed, $failed failed"
((failed == 0))
