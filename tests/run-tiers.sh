#!/bin/bash
# Run test tiers (make targets) and add up their results. Each tier ends
# with a line "<tier>: N passed, M failed[, K skipped]"; a tier that exits
# non-zero without such a line counts as one failure.
#
# usage: tests/run-tiers.sh GROUP... where a GROUP is one tier, or lanes
# that run at the same time, joined by "+", each lane one tier or tiers
# joined by "," that run one after the other: "a,b+c" runs a then b while
# c runs. The first lane's output is shown as it runs, the others' when
# the group is done; every tier's output also goes to tests/logs/TIER.log.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
logdir=${IMX_TPM_PWM_LOGS:-$top/tests/logs}
mkdir -p "$logdir"

passed=0
failed=0
skipped=0
summary=()
failed_tiers=()

# result TIER RC SECS: add up the tier's result line
result() {
	local tier=$1 rc=$2 secs=$3 log=$logdir/$1.log line p f s x
	line=$(grep -E "^$tier: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
	if [ -z "$line" ]; then
		p=0 f=1 s=0 x=0
	else
		p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
		s=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$line")
		s=${s:-0}
		x=$(sed -nE 's/.* ([0-9]+) xfail.*/\1/p' <<<"$line")
		x=${x:-0}
		# a tier that fails must not report itself clean
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
		fi
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	((f == 0)) || failed_tiers+=("$tier")
	skipped=$((skipped + s))
	summary+=("$(printf '%-18s %7d passed %4d failed %4d skipped %3d xfail %5ds  (log: %s)' \
		"$tier" "$p" "$f" "$s" "$x" "$secs" "$log")")
}

# background TIER: run it with its output in its log only; its exit status
# and time go to $logdir/.TIER.rc
background() {
	local tier=$1 start rc=0
	start=$(date +%s)
	make -s -C "$top" "$tier" >"$logdir/$tier.log" 2>&1 || rc=$?
	echo "$rc $(($(date +%s) - start))" >"$logdir/.$tier.rc"
}

# lane TIER...: run the tiers one after the other, in the background
lane() {
	local tier
	for tier in "$@"; do
		background "$tier"
	done
}

for group in "$@"; do
	IFS=+ read -r -a lanes <<<"$group"
	IFS=, read -r -a firsts <<<"${lanes[0]}"
	others=()
	pids=()
	for l in "${lanes[@]:1}"; do
		IFS=, read -r -a ts <<<"$l"
		for tier in "${ts[@]}"; do
			rm -f "$logdir/.$tier.rc"
		done
		others+=("${ts[@]}")
		lane "${ts[@]}" &
		pids+=($!)
	done
	for first in "${firsts[@]}"; do
		start=$(date +%s)
		if ((${#others[@]})); then
			echo "=== $first (${others[*]} running at the same time; output when done)"
		else
			echo "=== $first"
		fi
		make -s -C "$top" "$first" 2>&1 | tee "$logdir/$first.log"
		rc=${PIPESTATUS[0]}
		result "$first" "$rc" $(($(date +%s) - start))
	done
	((${#pids[@]})) && wait "${pids[@]}"
	for tier in "${others[@]}"; do
		echo "=== $tier"
		cat "$logdir/$tier.log"
		read -r rc secs 2>/dev/null <"$logdir/.$tier.rc" || rc=1 secs=0
		rm -f "$logdir/.$tier.rc"
		result "$tier" "$rc" "$secs"
	done
done

# what failed, so that the end of the output says it (a CI log often
# shows only its tail)
for tier in "${failed_tiers[@]}"; do
	echo "=== failures of $tier (from $logdir/$tier.log)"
	grep -E '^(not ok|FAIL) |^[a-z0-9.-]+: (no result|the guest passed, but)|problem|error:' \
		"$logdir/$tier.log" 2>/dev/null | head -n 30
done

# where the time went, so that a CI log's tail has it: the tiers' own
# time lines (phases, guests)
echo "=== times"
for l in "${summary[@]}"; do
	tier=${l%% *}
	grep -hE "^$tier: (time |done in [0-9]+ s)|^vm: [a-z0-9.-]+: guest exit .* after [0-9]+ s" \
		"$logdir/$tier.log" 2>/dev/null | sed "s/^vm:/$tier:/"
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
