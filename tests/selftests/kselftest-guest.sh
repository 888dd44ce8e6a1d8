#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/selftests/kselftest-guest.sh ARGS - run in a guest by tests/vm/vm.sh
# (busybox sh) with a kselftest installation in /vm/extra (see
# tests/selftests/check.sh): the kernel's run_kselftest.sh runs
# drivers/pwm:pwm-imx-tpm.sh, with ARGS as KSELFTEST_PWM_IMX_TPM_SH_ARGS.
# The runner calls "/usr/bin/timeout --foreground"; busybox's timeout has
# no --foreground (a job-control option that matters only on a terminal), so
# /usr/bin/timeout becomes a wrapper that drops it and runs busybox's: the
# settings file's timeout is then enforced as on a board with coreutils.
# Exit 0 if the runner reported the test ok.

ARGS=${1:--q -C 0,5}
cd /vm/extra || exit 1
[ -e /sys/kernel/debug/regmap ] || mount -t debugfs none /sys/kernel/debug
# The runner writes to /dev/stdout (its default logfile); a system with
# udev has /dev/stdout and /dev/fd, the guest's devtmpfs does not.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
for n in 0:stdin 1:stdout 2:stderr; do
	[ -e "/dev/${n#*:}" ] || ln -s "/proc/self/fd/${n%%:*}" "/dev/${n#*:}"
done
rm -f /usr/bin/timeout
# shellcheck disable=SC2016 # the wrapper's own "$1" and "$@"
printf '%s\n' '#!/bin/sh' '[ "$1" = --foreground ] && shift' \
	'exec busybox timeout "$@"' >/usr/bin/timeout
chmod 755 /usr/bin/timeout
echo "selftest options: $ARGS"
KSELFTEST_PWM_IMX_TPM_SH_ARGS=$ARGS
export KSELFTEST_PWM_IMX_TPM_SH_ARGS
# Append mode: the runner also opens /dev/stdout itself (O_APPEND); with a
# plain ">" its own writes and the test's would overwrite each other.
: >/tmp/ksft.log
./run_kselftest.sh -t drivers/pwm:pwm-imx-tpm.sh >>/tmp/ksft.log 2>&1
rc=$?
cat /tmp/ksft.log
echo "run_kselftest.sh exit $rc"
grep -q '^ok 1 selftests: drivers/pwm: pwm-imx-tpm.sh' /tmp/ksft.log || exit 1
# the options reached the test: it prints its channels and mode
case " $ARGS " in
*" -C 0,5 "*) grep -q 'channels 0 5' /tmp/ksft.log || { echo "the test did not get -C 0,5"; exit 1; } ;;
esac
exit "$rc"
