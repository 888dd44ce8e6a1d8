#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/vendor/check-vendor-e2e-guest.sh - runs at boot (systemd unit
# e2e-check.service, output on the serial console) in the vendor-style
# image that tests/vendor/check-vendor-e2e.sh builds: a kernel with the TPM
# PWM driver built in, its headers cross-built on amd64 (their host tools
# are x86 programs), the vendor devicetree with TPM4 enabled. It walks the
# user's path, typing what the README's troubleshooting section says and
# checking what each command prints; then the unit powers the guest off and
# the host boots it again. /var/lib/e2e/phase says which boot this is:
#   vendor       the built-in driver has TPM4; apt install of the package
#                (DKMS stops: no gcc, and the headers' fixdep is an x86
#                program; apt's output gives both fixes), apt install gcc
#                libc6-dev (from apt's cache), the fix as printed, dkms
#                autoinstall (as pwm-imx-tpm-dkms.ko), modprobe of both
#                names (nothing; refused: built in),
#                pwm-imx-tpm-overlay enable (adds initcall_blacklist=),
#                adduser member pwm
#   blacklisted  the built-in driver stayed out, the module bound TPM4, the
#                packaged selftest passes, member drives a channel; then
#                apt remove
#   removed      the parameter is still on the command line: no driver has
#                TPM4; then apt purge (takes it out)
#   purged       the built-in driver has TPM4 again
# Each user command and its output go to the console as "e2e: $ CMD" and
# "e2e: | LINE" (the host compares them with the README) and to
# /var/lib/e2e/transcript. Prints "e2e: plan N", "e2e: ok NAME" or
# "e2e: FAIL NAME" per check, and the exit status between two
# "e2e-exit-TOKEN" lines.
# Scripts run by t expand in their own shell (SC2016); has runs through t
# (SC2317).
# shellcheck disable=SC2016,SC2317

state=/var/lib/e2e
phase=$(cat "$state/phase" 2>/dev/null)
token=$(cat "$state/token" 2>/dev/null)
PKG=pwm-imx-tpm-dkms
BUILTIN_DRV=imx7ulp-tpm-pwm
OUR_DRV=pwm-imx-tpm
# the module's file on a kernel with the driver built in (dkms.conf)
DKMS_MOD=pwm-imx-tpm-dkms
OVERLAY=imx7ulp-tpm4
PARAM=initcall_blacklist=imx_tpm_pwm_driver_init
k=$(uname -r)
# t NAME CMD...
# shellcheck source=../deb/e2e-checks.sh source-path=SCRIPTDIR
. /usr/local/lib/e2e-checks.sh

finish() {
	echo "e2e: $phase: $pass passed, $fail failed after $(cut -d' ' -f1 /proc/uptime) s"
	rc=0
	[ "$fail" -eq 0 ] || rc=1
	echo "e2e-exit-$token"
	echo "$rc"
	echo "e2e-exit-$token"
	sync
	exit "$rc"
}

# user CMD: run the shell command line CMD as root in /root, as a user
# types it; its output (stdout and stderr) in /tmp/out, its exit status in
# $urc; both go to the console and the transcript.
user() {
	echo "\$ $1" | tee -a "$state/transcript" | sed 's/^/e2e: /'
	urc=0
	# apt runs dpkg on a pseudo-terminal: its lines end in CR LF
	(cd /root && DEBIAN_FRONTEND=noninteractive sh -c "$1") >/tmp/out.raw 2>&1 </dev/null || urc=$?
	tr -d '\r' </tmp/out.raw >/tmp/out
	sed 's/^/| /' /tmp/out | tee -a "$state/transcript" | sed 's/^/e2e: /'
	echo "e2e: (exit $urc)"
}

# has FIXED-STRING: a line of the last command's output contains it
has() {
	grep -qF -- "$1" /tmp/out
}

# the TPM4 node and the driver bound to it
node=
for d in /sys/bus/platform/devices/*; do
	if grep -qs 'fsl,imx7ulp-pwm' "$d/of_node/compatible"; then
		node=$d
		break
	fi
done
drv=
[ -n "$node" ] && [ -L "$node/driver" ] && drv=$(basename "$(readlink "$node/driver")")
chips=$(for c in /sys/class/pwm/pwmchip*; do [ -e "$c" ] && printf '%s ' "${c##*/}"; done)
echo "e2e: guest up: $k $(uname -m), phase $phase, $(cut -d' ' -f1 /proc/uptime) s," \
	"systemd $(systemctl is-system-running 2>/dev/null)"
echo "e2e: node ${node:-none}, driver ${drv:-none}, chips ${chips:-none}"
echo "e2e: cmdline $(cat /proc/cmdline)"

case $phase in
vendor)
	echo "e2e: plan 23"
	t "the kernel has CONFIG_PWM_IMX_TPM=y (/proc/config.gz) and lists the driver in modules.builtin" \
		sh -c 'zcat /proc/config.gz | grep -qx CONFIG_PWM_IMX_TPM=y &&
			grep -qx "kernel/drivers/pwm/pwm-imx-tpm.ko" "/lib/modules/$1/modules.builtin"' sh "$k"
	t "the built-in driver ($BUILTIN_DRV) has TPM4 and a PWM chip" \
		sh -c '[ "$1" = "$2" ] && [ -n "$3" ]' sh "$drv" "$BUILTIN_DRV" "$chips"
	t "the headers' fixdep is not a program for this machine (cross-built headers)" \
		sh -c '! "/lib/modules/$1/build/scripts/basic/fixdep" >/dev/null 2>&1' sh "$k"
	# 1. The README's install: DKMS cannot build, the package still ends
	# configured, and apt's output says why and what to do.
	user "apt install -y ./$PKG"'_*_all.deb'
	t "apt install: exit 0, the package is configured" \
		sh -c '[ "$1" = 0 ] && dpkg-query -W -f="\${Status}" "$2" | grep -q "install ok installed"' sh "$urc" "$PKG"
	t "apt install: says it could not build for $k" \
		grep -qxF "pwm-imx-tpm-dkms: DKMS could not build pwm-imx-tpm for kernel $k:" /tmp/out
	t "apt install: says Kbuild's compiler, gcc, is missing and how to install it" \
		grep -qxF "pwm-imx-tpm-dkms:   no C compiler (gcc). Install it: apt install gcc (or build-essential)" /tmp/out
	t "apt install: says the headers' fixdep does not run on this machine" \
		has "pwm-imx-tpm-dkms:   pwm-imx-tpm: /lib/modules/$k/build/scripts/basic/fixdep does not run on this machine ($(uname -m)):"
	fix=$(sed -n 's/^pwm-imx-tpm-dkms: *\(make -C [^ ]* host-tools KDIR=[^ ]*\)$/\1/p' /tmp/out | head -n 1)
	want="make -C /usr/src/pwm-imx-tpm-$(cat "$state/version") host-tools KDIR=/usr/src/linux-headers-$k"
	t "apt install: gives the fix, $want (got: ${fix:-none})" [ "$fix" = "$want" ]
	t "apt install: then dkms autoinstall -k $k" has "pwm-imx-tpm-dkms:   then: dkms autoinstall -k $k"
	t "apt install: says the kernel has the driver built in, and the parameter" \
		sh -c 'grep -qxF "pwm-imx-tpm-dkms: kernel $1 has the in-tree i.MX TPM PWM driver built in" /tmp/out &&
			grep -qxF "    $2" /tmp/out' sh "$k" "$PARAM"
	t "apt install: no module installed for $k (dkms status)" \
		sh -c '! dkms status -k "$1" 2>/dev/null | grep -q ": installed"' sh "$k"
	# 2. What the messages ask for: the compiler and the C library's
	# headers (from apt's cache: the guest has no network), the fix as
	# printed, and the build DKMS could not do.
	user "apt install -y gcc libc6-dev"
	t "apt install gcc libc6-dev (exit $urc)" sh -c '[ "$1" = 0 ] && command -v gcc >/dev/null' sh "$urc"
	user "${fix:-false}"
	t "the fix ran (exit $urc) and the headers' fixdep runs here" \
		sh -c '[ "$1" = 0 ] && "/lib/modules/$2/build/scripts/basic/fixdep" 2>&1 | grep -q "Usage: fixdep"' sh "$urc" "$k"
	changed=$(dpkg --verify "linux-headers-$k" 2>&1 | grep -v " /usr/src/linux-headers-$k/scripts/")
	t "the fix changed nothing in the headers package but files under scripts/ (dpkg --verify: ${changed:-nothing else})" \
		[ -z "$changed" ]
	user "dkms autoinstall -k $k"
	t "dkms autoinstall -k $k: exit 0, the module installed as updates/dkms/$DKMS_MOD.ko (the built-in driver has the name $OUR_DRV)" \
		sh -c '[ "$1" = 0 ] && ls /lib/modules/"$2"/updates/dkms/"$3".ko* >/dev/null' sh "$urc" "$k" "$DKMS_MOD"
	t "the module's vermagic is the vendor kernel's" \
		sh -c 'modinfo -F vermagic "$2" | grep -q "^$1 "' sh "$k" "$DKMS_MOD"
	# 3. Loading it next to the built-in driver.
	user "modprobe pwm-imx-tpm"
	t "modprobe pwm-imx-tpm: exit 0, prints nothing, loads nothing (the name is in modules.builtin)" \
		sh -c '[ "$1" = 0 ] && [ ! -s /tmp/out ] && ! lsmod | grep -q "^pwm_imx_tpm "' sh "$urc"
	user "modprobe $DKMS_MOD"
	t "modprobe $DKMS_MOD: refused (exit $urc), Device or resource busy" \
		sh -c '[ "$1" != 0 ] && grep -qF "Device or resource busy" /tmp/out && ! lsmod | grep -q "^pwm_imx_tpm "' sh "$urc"
	user "dmesg | grep pwm-imx-tpm:"
	t "dmesg: the module says the driver is built in and names $PARAM" \
		has "pwm-imx-tpm: the kernel has the driver built in (CONFIG_PWM_IMX_TPM=y); boot with $PARAM to use this module"
	t "the built-in driver still has TPM4" \
		sh -c '[ "$(basename "$(readlink "$1/driver")")" = "$2" ]' sh "$node" "$BUILTIN_DRV"
	# 4. The overlay helper adds the parameter for such a kernel.
	user "pwm-imx-tpm-overlay enable $OVERLAY"
	t "pwm-imx-tpm-overlay enable: exit 0, says it adds $PARAM" \
		sh -c '[ "$1" = 0 ] && grep -qF "$2" /tmp/out' sh "$urc" "adding $PARAM"
	t "extlinux.conf: the parameter on the append line, the overlay on fdtoverlays" \
		sh -c 'grep -q "^	append .*$1" /boot/extlinux/extlinux.conf &&
			grep -q "^	fdtoverlays .*/$2.dtbo" /boot/extlinux/extlinux.conf' sh "$PARAM" "$OVERLAY"
	user "adduser member pwm"
	t "adduser member pwm" sh -c '[ "$1" = 0 ] && id -nG member | grep -qw pwm' sh "$urc"
	echo "\$ reboot" | tee -a "$state/transcript" | sed "s/^/e2e: /"
	echo blacklisted >"$state/phase"
	;;
blacklisted)
	echo "e2e: plan 10"
	t "the kernel command line has $PARAM" grep -qw "$PARAM" /proc/cmdline
	t "the built-in driver is not registered" [ ! -e "/sys/bus/platform/drivers/$BUILTIN_DRV" ]
	t "pwm_imx_tpm autoloaded from updates/dkms/$DKMS_MOD.ko by the node's modalias (lsmod)" \
		sh -c 'lsmod | grep -q "^pwm_imx_tpm " && modprobe -R "$(cat "$1/modalias")" | grep -qx pwm_imx_tpm_dkms' sh "$node"
	t "the module's driver ($OUR_DRV) has TPM4" [ "$drv" = "$OUR_DRV" ]
	pv=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null)
	t "loaded module version is the package's (${pv%-*})" \
		sh -c '[ -n "$1" ] && [ "$(cat /sys/module/pwm_imx_tpm/version)" = "$1" ]' sh "${pv%-*}"
	# the packaged selftest on two channels, so that the shared counter's
	# tests run (-S: the board's registers are static RAM here; all six
	# channels take about 8 minutes under TCG)
	user "pwm-imx-tpm-selftest -S -q -C 0,3"
	grep -E '^# Totals|^not ok' /tmp/out | sed 's/^/e2e: selftest: /'
	t "pwm-imx-tpm-selftest -S -q -C 0,3 passes (exit $urc)" [ "$urc" = 0 ]
	chip=
	for c in /sys/class/pwm/pwmchip*; do
		[ -e "$c" ] && chip=$c && break
	done
	t "member (group pwm) exports channel 0, sets 1 ms / 250 us, enables it" \
		runuser -u member -- sh -c 'echo 0 > "$1/export" && n=0
			while [ ! -w "$1/pwm0/enable" ] && [ $n -lt 40 ]; do sleep 0.5; n=$((n + 1)); done
			cd "$1/pwm0" && echo 1000000 > period && echo 250000 > duty_cycle && echo 1 > enable &&
			[ "$(cat period) $(cat duty_cycle) $(cat enable)" = "1000000 250000 1" ] &&
			echo 0 > enable && echo 0 > "$1/unexport"' sh "$chip"
	# 5. Removing the package: what stays in the boot configuration.
	user "apt remove -y $PKG"
	t "apt remove: exit 0" [ "$urc" = 0 ]
	t "apt remove: says the overlays (and so the parameter) stay until purge" \
		has "pwm-imx-tpm-dkms: the overlays enabled with pwm-imx-tpm-overlay stay in u-boot-menu's configuration"
	t "extlinux.conf still has $PARAM after remove" grep -q "$PARAM" /boot/extlinux/extlinux.conf
	echo "\$ reboot" | tee -a "$state/transcript" | sed "s/^/e2e: /"
	echo removed >"$state/phase"
	;;
removed)
	echo "e2e: plan 5"
	t "the kernel command line still has $PARAM" grep -qw "$PARAM" /proc/cmdline
	t "no driver has TPM4 and there is no PWM chip (the built-in one is kept out, the module is gone)" \
		sh -c '[ -n "$1" ] && [ -z "$2" ] && [ -z "$3" ]' sh "$node" "$drv" "$chips"
	user "apt purge -y $PKG"
	t "apt purge: exit 0, says it took the overlays out" \
		sh -c '[ "$1" = 0 ] && grep -qF "pwm-imx-tpm-dkms: removed the overlays" /tmp/out' sh "$urc"
	t "extlinux.conf: no $PARAM, no overlay" \
		sh -c '! grep -q "$1" /boot/extlinux/extlinux.conf && ! grep -q fdtoverlays /boot/extlinux/extlinux.conf' sh "$PARAM"
	t "$PKG is purged (dpkg)" sh -c '! dpkg-query -W -f="\${Status}" "$1" 2>/dev/null | grep -q installed' sh "$PKG"
	echo "\$ reboot" | tee -a "$state/transcript" | sed "s/^/e2e: /"
	echo purged >"$state/phase"
	;;
purged)
	echo "e2e: plan 3"
	t "the kernel command line has no $PARAM" sh -c '! grep -qw "$1" /proc/cmdline' sh "$PARAM"
	t "the built-in driver ($BUILTIN_DRV) has TPM4 again, with a PWM chip" \
		sh -c '[ "$1" = "$2" ] && [ -n "$3" ]' sh "$drv" "$BUILTIN_DRV" "$chips"
	t "no pwm_imx_tpm module loaded" sh -c '! lsmod | grep -q "^pwm_imx_tpm "'
	echo finished >"$state/phase"
	;;
*)
	echo "e2e: plan 1"
	t "known phase (got '$phase')" false
	;;
esac
finish
