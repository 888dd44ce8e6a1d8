# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/lib/checks.sh - check bookkeeping for the host test scripts that
# count their own checks (tests/deb/check-deb.sh, tests/deb/check-e2e.sh).
#
#   checks_init NAME   a work directory $work (removed at exit unless
#                      $CHECKS_KEEP is 1), the result file, the timer
#   check DESC CMD...  run CMD: "ok DESC", or "FAIL DESC" and the last
#                      lines of its output
#   ok DESC / bad DESC record a result directly
#   finish             "NAME: N passed, M failed" and exit (1 if any failed)

checks_init() {
	CHECKS_NAME=$1
	CHECKS_START=$SECONDS
	work=$(mktemp -d "/var/tmp/imx-tpm-pwm-$1.XXXXXX")
	RES=$work/results
	: >"$RES"
	trap checks_cleanup EXIT
	trap 'trap - INT TERM; exit 130' INT TERM
}

checks_cleanup() {
	if [[ ${CHECKS_KEEP:-0} == 1 ]]; then
		echo "$CHECKS_NAME: kept $work" >&2
	else
		rm -rf "$work"
	fi
}

ok() {
	printf 'ok   %s\n' "$*"
	echo ok >>"$RES"
}

bad() {
	printf 'FAIL %s\n' "$*"
	echo FAIL >>"$RES"
}

check() {
	local name=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if ((rc == 0)); then
		ok "$name"
	else
		bad "$name"
		[[ -n $out ]] && printf '%s\n' "$out" | tail -n 25 | sed 's/^/    /'
	fi
	return "$rc"
}

finish() {
	local p f
	p=$(grep -c '^ok$' "$RES")
	f=$(grep -c '^FAIL$' "$RES")
	echo "$CHECKS_NAME: done in $((SECONDS - CHECKS_START)) s" >&2
	echo "$CHECKS_NAME: $p passed, $f failed"
	((f == 0))
	exit $?
}
