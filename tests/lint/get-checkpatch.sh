#!/bin/bash
# Print the path of a cached checkpatch.pl taken from Debian's newest
# linux-source package (trixie-backports, else trixie). Next to it, as
# checkpatch expects in a kernel tree, are scripts/spelling.txt and
# scripts/const_structs.checkpatch; the tree root is the directory two levels
# up. Use it as: "$(tests/lint/get-checkpatch.sh)" --no-tree --strict -f FILE
#
# Environment: CHECKPATCH_SUITES (default "trixie-backports trixie"), and the
# cache variables of tests/lib/debian.sh (IMX_TPM_PWM_CACHE, ...).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$here/../lib/debian.sh"
DEB_LOG_PREFIX=checkpatch

suites=${CHECKPATCH_SUITES:-trixie-backports trixie}
root=$(deb_linux_source "$suites" \
	scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch)
[[ -x $root/scripts/checkpatch.pl ]] || deb_die "no executable $root/scripts/checkpatch.pl"
printf '%s\n' "$root/scripts/checkpatch.pl"
