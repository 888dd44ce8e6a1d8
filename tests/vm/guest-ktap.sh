# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# tests/vm/guest-ktap.sh - KTAP helpers for the guest scripts of
# tests/vm/ (stress, faults, late clock). tests/vm/vm.sh puts it into the
# initramfs as /vm/tests/guest-ktap.sh; the scripts source it.
#
#   ktap_plan N         print the KTAP header and plan
#   diag TEXT           a "# TEXT" line
#   result RC DESC      test point: "ok" if RC is 0, else "not ok"
#   skip DESC REASON    test point skipped
#   ktap_end NAME       totals, then "NAME: N passed, M failed[, K skipped]";
#                       the status (0 if none failed)
# and for scripts whose test points gather several checks:
#   fail TEXT           a diagnostic, and the current test point fails
#   point DESC          the test point: passed unless fail was called since
#                       the previous one
#   now_ms              time since boot in ms (10 ms steps)
#   wr VALUE FILE       write VALUE to FILE; ERR: empty on success, else
#                       the error text; MS: the time it took

KTAP_N=0
KTAP_PASSED=0
KTAP_FAILED=0
KTAP_SKIPPED=0
BAD=0

ktap_plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

diag() {
	echo "# $*"
}

result() {
	KTAP_N=$((KTAP_N + 1))
	if [ "$1" = 0 ]; then
		KTAP_PASSED=$((KTAP_PASSED + 1))
		echo "ok $KTAP_N $2"
	else
		KTAP_FAILED=$((KTAP_FAILED + 1))
		echo "not ok $KTAP_N $2"
	fi
}

skip() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_SKIPPED=$((KTAP_SKIPPED + 1))
	echo "ok $KTAP_N $1 # SKIP $2"
}

ktap_end() {
	echo "# Totals: pass:$KTAP_PASSED fail:$KTAP_FAILED skip:$KTAP_SKIPPED"
	if [ "$KTAP_SKIPPED" -gt 0 ]; then
		echo "$1: $KTAP_PASSED passed, $KTAP_FAILED failed, $KTAP_SKIPPED skipped"
	else
		echo "$1: $KTAP_PASSED passed, $KTAP_FAILED failed"
	fi
	[ "$KTAP_FAILED" = 0 ]
}

fail() {
	diag "$*"
	BAD=1
}

point() {
	result "$BAD" "$1"
	BAD=0
}

now_ms() {
	_n=$(cut -d' ' -f1 /proc/uptime)
	_f=${_n#*.}
	# two decimals; no leading 0 (not octal)
	echo $((${_n%.*} * 1000 + 10 * ${_f#0}))
}

wr() {
	ERR=
	_t0=$(now_ms)
	if ! echo "$1" 2>/tmp/ktap-wr.err >"$2"; then
		ERR=$(cat /tmp/ktap-wr.err)
		[ -n "$ERR" ] || ERR=failed
	fi
	# shellcheck disable=SC2034 # read by the scripts that source this
	MS=$(($(now_ms) - _t0))
}
