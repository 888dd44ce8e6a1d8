#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/bench/bench.sh [COUNT [PERIOD_NS...]]: "make bench". Builds
# tests/bench/pwm-bench.c (static, amd64) and runs it in an amd64 7.3 guest
# with the TPM model (tests/vm/vm.sh): latency and CPU time of period and
# duty changes of a running channel, 1000 applies each at 100 us, 1 ms,
# 10 ms and 100 ms by default. Prints the table and
# "bench: N passed, M failed".
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
logdir=${VM_LOGDIR:-$top/tests/logs/bench}
export VM_LOGDIR=$logdir
log=$logdir/amd64-7.3-model.log
extra=$(mktemp -d)
trap 'rm -rf "$extra"' EXIT

if ! gcc -Wall -Wextra -O2 -static -o "$extra/pwm-bench" "$here/pwm-bench.c"; then
	echo "bench: 0 passed, 1 failed"
	exit 1
fi
rm -f "$log"
VM_EXTRA_DIR=$extra VM_TIMEOUT=${VM_TIMEOUT:-1800} \
	"$top/tests/vm/vm.sh" run amd64:7.3 model "$here/bench-guest.sh" -- "$@"
rc=$?
grep -E '^(ok|not ok) |^# ' "$log" 2>/dev/null |
	grep -vE '^# (vm\.sh|kernel config|modules in|pwm-cdev|timeout)' || true
line=$(grep -E '^bench: [0-9]+ passed, [0-9]+ failed' "$log" 2>/dev/null | tail -n 1)
if [[ -z $line ]]; then
	echo "bench: no result from the guest (log: ${log#"$top"/})"
	echo "bench: 0 passed, 1 failed"
	exit 1
fi
passed=$(sed -E 's/^bench: ([0-9]+) passed.*/\1/' <<<"$line")
failed=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
((rc != 0 && failed == 0)) && failed=1
echo "bench: $passed passed, $failed failed"
((failed == 0))
