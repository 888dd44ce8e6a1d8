#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/selftests/check.sh - the selftest as a kselftest target of a kernel
# tree, run by the kernel's own runner (make check-kselftest):
#
# 1. The kselftest skeleton of Debian's newest linux-source-7.3
#    (tools/testing/selftests: Makefile, lib.mk, run_kselftest.sh,
#    kselftest/, and scripts/subarch.include, which its Makefile reads),
#    extracted into the cache and copied to a work tree.
# 2. "make kselftest-install KSRC=<that tree>" puts tests/selftests/drivers/pwm
#    (Makefile, settings, config), pwm-imx-tpm.sh and pwm-cdev.c there.
# 3. The kernel's "make -C tools/testing/selftests TARGETS=drivers/pwm
#    install" builds pwm-cdev (static, for the guest) and installs
#    run_kselftest.sh, kselftest-list.txt and drivers/pwm/.
# 4. That installation boots in an amd64 7.3 guest with the TPM model
#    (tests/vm/vm.sh, VM_EXTRA_DIR: /vm/extra), where
#    tests/selftests/kselftest-guest.sh runs "run_kselftest.sh -t
#    drivers/pwm:pwm-imx-tpm.sh" with KSELFTEST_PWM_IMX_TPM_SH_ARGS (the
#    runner's way to pass options; default "-q -C 0,5") and checks that
#    the runner read the settings file's timeout and reported the test ok.
#
# Ends with "check-kselftest: N passed, M failed". Environment:
# IMX_TPM_PWM_CACHE, CHECK_KSELFTEST_ARGS (the selftest's options in the
# guest), CHECK_KSELFTEST_KEEP=1 (keep the work directory).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$top/tests/lib/debian.sh"
DEB_LOG_PREFIX=check-kselftest
# shellcheck source=../lib/checks.sh source-path=SCRIPTDIR
. "$top/tests/lib/checks.sh"
CHECKS_KEEP=${CHECK_KSELFTEST_KEEP:-0}
checks_init check-kselftest

ARGS=${CHECK_KSELFTEST_ARGS:--q -C 0,5}
KS=tools/testing/selftests
MEMBERS=("$KS/Makefile" "$KS/lib.mk" "$KS/run_kselftest.sh" "$KS/kselftest"
	"$KS/kselftest.h" "$KS/kselftest_harness.h"
	scripts/subarch.include)

src=$(deb_linux_source_series trixie-backports 7.3 "${MEMBERS[@]}") ||
	src=
check "the kselftest skeleton of Debian's linux-source-7.3 (${src##*/})" \
	test -n "$src" -a -f "$src/$KS/lib.mk"
[[ -n $src ]] || finish

tree=$work/linux
for m in "${MEMBERS[@]}"; do
	mkdir -p "$(dirname "$tree/$m")"
	cp -a "$src/$m" "$tree/$m"
done

# shellcheck disable=SC2016 # the inner shell's "$1" and "$2"
check "make kselftest-install KSRC=<tree> puts drivers/pwm there" \
	bash -c 'make -s -C "$1" kselftest-install KSRC="$2" &&
		cd "$2/tools/testing/selftests/drivers/pwm" &&
		ls Makefile settings config pwm-imx-tpm.sh pwm-cdev.c' sh "$top" "$tree"

out=$work/kselftest
check "the kernel's make TARGETS=drivers/pwm install (pwm-cdev built static)" \
	make -C "$tree/$KS" TARGETS=drivers/pwm KSFT_INSTALL_PATH="$out" \
	CC="gcc -static" install
# shellcheck disable=SC2016 # the inner shell's "$1"
check "the installation has run_kselftest.sh, drivers/pwm/pwm-imx-tpm.sh, pwm-cdev and settings" \
	bash -c 'cd "$1" && test -x run_kselftest.sh -a -x drivers/pwm/pwm-imx-tpm.sh \
		-a -x drivers/pwm/pwm-cdev -a -f drivers/pwm/settings' sh "$out"
check "kselftest-list.txt lists drivers/pwm:pwm-imx-tpm.sh" \
	grep -qx 'drivers/pwm:pwm-imx-tpm.sh' "$out/kselftest-list.txt"

log=$top/tests/logs/vm/amd64-7.3-model.log
if [[ -x $out/run_kselftest.sh ]]; then
	VM_EXTRA_DIR=$out "$top/tests/vm/vm.sh" run amd64:7.3 model \
		"$here/kselftest-guest.sh" -- "$ARGS" >"$work/vm.out" 2>&1
	rc=$?
	cp "$log" "$top/tests/logs/check-kselftest-guest.log" 2>/dev/null
	grep -E '^vm: ' "$work/vm.out"
	check "the guest ran run_kselftest.sh to its end (exit $rc)" test "$rc" = 0
	check "the runner took the timeout from settings (3600 s)" \
		grep -aq 'timeout set to 3600' "$log"
	check "the runner passed KSELFTEST_PWM_IMX_TPM_SH_ARGS ($ARGS) to the test" \
		grep -aq "^# # seed .*channels 0 5, quick mode" "$log"
	check "run_kselftest.sh: ok 1 selftests: drivers/pwm: pwm-imx-tpm.sh" \
		grep -aq '^ok 1 selftests: drivers/pwm: pwm-imx-tpm.sh' "$log"
	grep -a '# Totals\|^ok 1 selftests\|^not ok 1 selftests' "$log" | head -n 5
else
	bad "no installation to boot"
fi
finish
