# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# tests/deb/e2e-checks.sh - sourced by the two end-to-end guest scripts,
# tests/deb/e2e-guest.sh (check-deb's amd64 guest, as /vm/extra/e2e-checks.sh)
# and tests/deb/check-e2e-guest.sh (check-e2e's armhf image, as
# /usr/local/lib/e2e-checks.sh). The host scripts read their lines.
#
#   t NAME CMD...   run CMD: "e2e: ok NAME" or "e2e: FAIL NAME"; counts in
#                   $pass and $fail

pass=0
fail=0

t() {
	name=$1
	shift
	if "$@"; then
		echo "e2e: ok $name"
		pass=$((pass + 1))
	else
		echo "e2e: FAIL $name"
		fail=$((fail + 1))
	fi
}
