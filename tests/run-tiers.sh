#!/bin/bash
# Run test tiers (make targets) and add up their results. Each tier ends
# with a line "<tier>: N passed, M failed[, K skipped]"; a tier that exits
# non-zero without such a line counts as one failure.
#
# usage: tests/run-tiers.sh TIER... where a TIER may be A+B+...: those
# tiers run at the same time (tiers that keep one core busy each, on a
# 2-core machine). The first one's output is shown as it runs, the others'
# when they are done; every tier's output also goes to tests/logs/TIER.log.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
logdir=${IMX_TPM_PWM_LOGS:-$top/tests/logs}
mkdir -p "$logdir"

passed=0
failed=0
skipped=0
summary=()

# result TIER RC SECS: add up the tier's result line
result() {
	local tier=$1 rc=$2 secs=$3 log=$logdir/$1.log line p f s
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
	summary+=("$(printf '%-9s %9d passed %4d failed %4d skipped %5ds  (log: %s)' \
		"$tier" "$p" "$f" "$s" "$secs" "$log")")
}

# background TIER: run it with its output in its log only; its exit status
# and time go to $logdir/.TIER.rc
background() {
	local tier=$1 start rc=0
	start=$(date +%s)
	make -s -C "$top" "$tier" >"$logdir/$tier.log" 2>&1 || rc=$?
	echo "$rc $(($(date +%s) - start))" >"$logdir/.$tier.rc"
}

for group in "$@"; do
	IFS=+ read -r -a tiers <<<"$group"
	first=${tiers[0]}
	others=("${tiers[@]:1}")
	pids=()
	for tier in "${others[@]}"; do
		rm -f "$logdir/.$tier.rc"
		background "$tier" &
		pids+=($!)
	done
	start=$(date +%s)
	if ((${#others[@]})); then
		echo "=== $first (${others[*]} running at the same time; output when done)"
	else
		echo "=== $first"
	fi
	make -s -C "$top" "$first" 2>&1 | tee "$logdir/$first.log"
	rc=${PIPESTATUS[0]}
	result "$first" "$rc" $(($(date +%s) - start))
	((${#pids[@]})) && wait "${pids[@]}"
	for tier in "${others[@]}"; do
		echo "=== $tier"
		cat "$logdir/$tier.log"
		read -r rc secs 2>/dev/null <"$logdir/.$tier.rc" || rc=1 secs=0
		rm -f "$logdir/.$tier.rc"
		result "$tier" "$rc" "$secs"
	done
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
