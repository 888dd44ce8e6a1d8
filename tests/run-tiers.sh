#!/bin/bash
# Run test tiers (make targets) one after the other and add up their
# results. Each tier ends with a line "<tier>: N passed, M failed"; a tier
# that exits non-zero without such a line counts as one failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
logdir=${IMX_TPM_PWM_LOGS:-$top/tests/logs}
mkdir -p "$logdir"

passed=0
failed=0
skipped=0
summary=()

for tier in "$@"; do
	log=$logdir/$tier.log
	start=$(date +%s)
	echo "=== $tier"
	make -s -C "$top" "$tier" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - start ))
	line=$(grep -E "^$tier: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
	if [ -z "$line" ]; then
		p=0 f=1 s=0
	else
		p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
		s=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$line")
		s=${s:-0}
		# a tier that fails must not report itself clean
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
		fi
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	summary+=("$(printf '%-8s %6d passed %4d failed %4d skipped %5ds  (log: %s)' \
		"$tier" "$p" "$f" "$s" "$secs" "$log")")
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
