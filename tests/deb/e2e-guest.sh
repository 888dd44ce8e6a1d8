#!/bin/sh
# tests/deb/e2e-guest.sh - runs in a QEMU guest (tests/vm/vm.sh, model path,
# busybox) booted with the pwm-imx-tpm.ko that DKMS built from the Debian
# package; /vm/extra holds the package's selftest and udev helper, its
# VERSION and the test-only builtin-standin.ko. Prints "e2e: ok NAME" or
# "e2e: FAIL NAME" per check, after "e2e: plan N"; exit 0 if all passed.
# shellcheck disable=SC2016 # the scripts run by "as" expand in their own shell

x=/vm/extra
# t NAME CMD...
# shellcheck source=e2e-checks.sh source-path=SCRIPTDIR
. "$x/e2e-checks.sh"
# as USER SCRIPT: run a shell script as USER (uid and primary group from
# /etc/passwd, as a login would give them).
as() {
	su -s /bin/sh "$1" -c "$2"
}

echo "e2e: plan 13"
t "loaded pwm-imx-tpm is the package's version $(cat "$x/VERSION")" \
	[ "$(cat /sys/module/pwm_imx_tpm/version 2>/dev/null)" = "$(cat "$x/VERSION")" ]
chip=$(readlink -f /sys/class/pwm/pwmchip0)
t "the driver bound to the model: $chip" [ -e "$chip/export" ]
# channels 0 and 5 (make vm tests the same script on 0, 1 and 5 of every kernel)
t "packaged pwm-imx-tpm-selftest -q -C 0,5 passes" env PATH="$PATH:/vm/tests" sh "$x/pwm-imx-tpm-selftest" -q -C 0,5

# Non-root access: the udev rule runs the helper for the chip's "add" and,
# after an export, its "change" event; here we call it the same way.
mkdir -p /etc
echo "root:x:0:0:root:/root:/bin/sh" >/etc/passwd
echo "member:x:1000:990::/tmp:/bin/sh" >>/etc/passwd
echo "other:x:1001:1001::/tmp:/bin/sh" >>/etc/passwd
printf 'root:x:0:\npwm:x:990:member\nother:x:1001:\n' >/etc/group
t "helper on the chip's add event: export and unexport group pwm, g+w" \
	sh -c "sh $x/pwm-group-access $chip && [ \"\$(stat -c '%G %a' $chip/export $chip/unexport)\" = 'pwm 220
pwm 220' ]"
t "a pwm member exports channel 0" as member "echo 0 > $chip/export"
t "helper on the chip's change event: pwm0's four attributes group pwm, g+w" \
	sh -c "sh $x/pwm-group-access $chip && cd $chip/pwm0 &&
		[ \"\$(stat -c '%G %a' period duty_cycle polarity enable | sort -u)\" = 'pwm 664' ]"
t "a pwm member sets period, duty_cycle, polarity and enables channel 0" \
	as member "cd $chip/pwm0 && echo 1000000 > period && echo 250000 > duty_cycle &&
		echo inversed > polarity && echo normal > polarity && echo 1 > enable &&
		[ \"\$(cat enable)\" = 1 ] && [ \"\$(cat duty_cycle)\" = 250000 ]"
t "a non-member can neither change channel 0 nor export" \
	as other "! { echo 0 > $chip/pwm0/enable; } 2>/dev/null && ! { echo 1 > $chip/export; } 2>/dev/null"
t "no other attribute changed group or mode" \
	sh -c "[ \"\$(stat -c '%G %a' $chip/npwm)\" = 'root 444' ] && [ \"\$(stat -c '%G %a' $chip/uevent)\" = 'root 644' ]"
t "a pwm member disables and unexports channel 0" \
	as member "echo 0 > $chip/pwm0/enable && echo 0 > $chip/unexport && [ ! -e $chip/pwm0 ]"

# A kernel with the driver built in: the stand-in registers its name.
rmmod pwm_imx_tpm
insmod "$x/builtin-standin.ko"
dmesg -c >/dev/null
t "with imx7ulp-tpm-pwm registered, insmod pwm-imx-tpm.ko fails" \
	sh -c '! insmod /vm/pwm-imx-tpm.ko 2>/tmp/insmod.err'
t "... with EBUSY and the initcall_blacklist hint in the kernel log" \
	sh -c 'grep -q "busy" /tmp/insmod.err &&
		dmesg | grep -q "boot with initcall_blacklist=imx_tpm_pwm_driver_init"'
rmmod builtin_standin
t "without it, pwm-imx-tpm loads and binds again" \
	sh -c 'insmod /vm/pwm-imx-tpm.ko && [ -e /sys/class/pwm/pwmchip0/export ]'

echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
