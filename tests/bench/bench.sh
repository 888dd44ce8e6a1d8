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

extra=$(mktemp -d)
trap 'rm -rf "$extra"' EXIT

if ! gcc -Wall -Wextra -O2 -static -o "$extra/pwm-bench" "$here/pwm-bench.c"; then
	echo "bench: 0 passed, 1 failed"
	exit 1
fi
# shellcheck source=../vm/guest-run.sh source-path=SCRIPTDIR
. "$top/tests/vm/guest-run.sh"
export VM_EXTRA_DIR=$extra
run_guest bench amd64:7.3 model "$here/bench-guest.sh" 1800 "$@"
echo "bench: $total_passed passed, $total_failed failed"
((total_failed == 0))
