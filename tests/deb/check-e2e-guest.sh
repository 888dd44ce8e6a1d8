#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/deb/check-e2e-guest.sh - runs at boot (systemd unit e2e-check.service,
# output on the serial console) in the armhf Debian image that
# tests/deb/check-e2e.sh builds and boots; then the unit powers the guest
# off. /var/lib/e2e/phase says which boot this is:
#   installed  pwm-imx-tpm-dkms is installed (DKMS built the module in the
#              chroot): the module was autoloaded by the devicetree node's
#              modalias from updates/dkms and bound to the node, a member of
#              "pwm" drives a channel (the udev rule), a non-member cannot,
#              the packaged selftest passes (-S: static registers; not run
#              on its own with the selftest-args "none": the README's
#              example runs it on channel 3 then); then
#              "apt-get remove pwm-imx-tpm-dkms" and phase "removed".
#   removed    after that removal and a reboot: the module is not loaded,
#              its file is gone, nothing is bound to the node.
# Prints "e2e: plan N", then "e2e: ok NAME" or "e2e: FAIL NAME" per check,
# and the exit status between two "e2e-exit-TOKEN" lines.
# "as" runs through t (SC2317); its scripts expand in their own shell (SC2016).
# shellcheck disable=SC2016,SC2317

state=/var/lib/e2e
phase=$(cat "$state/phase" 2>/dev/null)
token=$(cat "$state/token" 2>/dev/null)
MOD=pwm-imx-tpm
PKG=pwm-imx-tpm-dkms
k=$(uname -r)
# t NAME CMD...
# shellcheck source=e2e-checks.sh source-path=SCRIPTDIR
. /usr/local/lib/e2e-checks.sh
# as USER SCRIPT: run a shell script as USER, with the groups a login gives.
as() {
	runuser -u "$1" -- /bin/sh -c "$2"
}
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

echo "e2e: guest up: $k $(uname -m), phase $phase, $(cut -d' ' -f1 /proc/uptime) s," \
	"systemd $(systemctl is-system-running 2>/dev/null)"
udevadm settle -t 120

# the devicetree node of the TPM (vm.sh's make_dtb)
node=
for d in /sys/bus/platform/devices/*; do
	if grep -qs 'fsl,imx7ulp-pwm' "$d/of_node/compatible"; then
		node=$d
		break
	fi
done
drv=
[ -n "$node" ] && [ -L "$node/driver" ] && drv=$(basename "$(readlink "$node/driver")")
echo "e2e: node ${node:-none}, modalias $(cat "$node/modalias" 2>/dev/null), driver ${drv:-none}"

case $phase in
installed)
	docs=/usr/local/lib/e2e-docs
	ndocs=$(grep -cE '^[0-9]+ board(-member)? ' "$docs/manifest" 2>/dev/null)
	nself=1
	[ "$(cat "$state/selftest-args" 2>/dev/null)" = none ] && nself=0
	echo "e2e: plan $((19 + nself + ndocs))"
	t "TPM4 (/bus@40000000/pwm@40250000) enabled: the base DTB has it disabled, U-Boot applied the overlay" \
		sh -c '[ "$(tr -d "\000" </proc/device-tree/bus@40000000/pwm@40250000/status)" = okay ]'
	t "pwm_imx_tpm is loaded (lsmod)" sh -c 'lsmod | grep -q "^pwm_imx_tpm "'
	t "nothing loads it by name (modules-load.d, /etc/modules, modprobe.d)" \
		sh -c '! grep -rEqs "pwm[-_]imx[-_]tpm" /etc/modules /etc/modules-load.d /run/modules-load.d \
			/usr/lib/modules-load.d /lib/modules-load.d /etc/modprobe.d'
	t "the node's modalias resolves to pwm_imx_tpm (udev autoload)" \
		sh -c 'modprobe -R "$(cat "$1/modalias")" 2>/dev/null | grep -qx pwm_imx_tpm' sh "$node"
	path=$(modinfo -n "$MOD" 2>/dev/null)
	echo "e2e: modinfo -n $MOD: $path"
	t "modinfo -n $MOD is in /lib/modules/$k/updates/dkms" \
		sh -c 'case $1 in /lib/modules/"$2"/updates/dkms/*|/usr/lib/modules/"$2"/updates/dkms/*) [ -f "$1" ] ;; *) false ;; esac' \
		sh "$path" "$k"
	pv=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null)
	mv=$(cat /sys/module/pwm_imx_tpm/version 2>/dev/null)
	t "loaded module version $mv is the package's ($pv)" \
		sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' sh "$mv" "${pv%-*}"
	t "the node's driver is pwm-imx-tpm (bound through fsl,imx7ulp-pwm)" [ "$drv" = pwm-imx-tpm ]
	chip=
	for c in /sys/class/pwm/pwmchip*; do
		[ "$(readlink -f "$c/device")" = "$(readlink -f "$node")" ] && chip=$(readlink -f "$c")
	done
	echo "e2e: chip ${chip:-none}, npwm $(cat "$chip/npwm" 2>/dev/null)"
	# the base DTB's backlight (BACKLIGHT=1 in check-e2e.sh), bound once
	# the module is: it holds channel 1, and so the counter, at 50 us
	[ -e /sys/kernel/debug/pwm ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	grep -E '^ *pwm-1 ' /sys/kernel/debug/pwm 2>/dev/null | sed 's/^ */e2e: debugfs pwm: /'
	t "the devicetree's backlight (pwm_bl, autoloaded) holds channel 1 at 50000 ns" \
		sh -c 'ls /sys/class/backlight/*/brightness >/dev/null 2>&1 &&
			grep -Eq "^ *pwm-1 .*backlight.* requested enabled period: 50000 ns" /sys/kernel/debug/pwm'
	t "the udev rule gave export and unexport to group pwm (220)" \
		sh -c '[ "$(stat -c "%G %a" "$1/export" "$1/unexport" | sort -u)" = "pwm 220" ]' sh "$chip"
	t "member is in group pwm, other is not" \
		sh -c 'id -nG member | grep -qw pwm && ! id -nG other | grep -qw pwm'
	t "member exports channel 0" as member "echo 0 > $chip/export"
	udevadm settle -t 30
	n=0
	while [ "$(stat -c %G "$chip/pwm0/enable" 2>/dev/null)" != pwm ] && [ $n -lt 20 ]; do
		sleep 0.5
		n=$((n + 1))
	done
	t "udev: pwm0's period, duty_cycle, polarity, enable group pwm, g+w" \
		sh -c 'cd "$1/pwm0" && [ "$(stat -c "%G %a" period duty_cycle polarity enable | sort -u)" = "pwm 664" ]' sh "$chip"
	t "member sets period (the backlight's), duty_cycle, polarity and enables channel 0" \
		as member "cd $chip/pwm0 && echo 50000 > period && echo 12500 > duty_cycle &&
			echo inversed > polarity && echo normal > polarity && echo 1 > enable &&
			[ \"\$(cat enable)\" = 1 ] && [ \"\$(cat period)\" = 50000 ] && [ \"\$(cat duty_cycle)\" = 12500 ]"
	t "other can neither change channel 0 nor export channel 2" \
		as other "! { echo 0 > $chip/pwm0/enable; } 2>/dev/null && ! { echo 2 > $chip/export; } 2>/dev/null &&
			[ ! -e $chip/pwm2 ]"
	t "member disables and unexports channel 0" \
		as member "echo 0 > $chip/pwm0/enable && echo 0 > $chip/unexport && [ ! -e $chip/pwm0 ]"
	# The documents' board examples, in document order (check-e2e.sh
	# extracted them with tests/deb/doc-examples.py).
	while read -r n phase lang where; do
		case $phase in
		board) user=root ;;
		board-member) user=member ;;
		*) continue ;;
		esac
		case $lang in
		py) interp="python3" ;;
		*) interp="sh" ;;
		esac
		rc=0
		(cd /tmp && runuser -u "$user" -- "$interp" "$docs/$n.$lang") >"/tmp/doc-$n.log" 2>&1 || rc=$?
		sed "s|^|e2e: doc $where: |" "/tmp/doc-$n.log" | tail -n 20
		t "doc example $where as $user: exit $rc" [ "$rc" = 0 ]
	done <"$docs/manifest"
	# the README's selftest example (channel 3) ran beside the backlight
	grep -h 'tested at its period\|^# Totals' /tmp/doc-*.log 2>/dev/null | sed 's/^/e2e: README selftest: /'
	t "the README's selftest tested channel 3 at the backlight's period (50000 ns)" \
		sh -c 'grep -q "the other channels are tested at its period, 50000 ns" /tmp/doc-*.log'
	st_args=$(cat "$state/selftest-args" 2>/dev/null || echo "-S -q")
	if [ "$st_args" = none ]; then
		echo "e2e: selftest: no run of its own (CHECK_E2E_SELFTEST_ARGS=none); the README's example ran it on channel 3"
	else
		rc=0
		st0=$(cut -d' ' -f1 /proc/uptime)
		# shellcheck disable=SC2086 # options, split on purpose
		/usr/bin/pwm-imx-tpm-selftest $st_args >/tmp/selftest.log 2>&1 || rc=$?
		grep -E '^# Totals|^not ok' /tmp/selftest.log | sed 's/^/e2e: selftest: /'
		echo "e2e: selftest: $st0 s to $(cut -d' ' -f1 /proc/uptime) s of uptime"
		t "/usr/bin/pwm-imx-tpm-selftest $st_args passes (exit $rc)" [ "$rc" = 0 ]
		[ "$rc" = 0 ] || tail -n 30 /tmp/selftest.log
	fi
	rc=0
	apt-get remove -y -q "$PKG" >/tmp/remove.log 2>&1 || rc=$?
	sed 's/^/e2e: apt: /' /tmp/remove.log | grep -iE 'remov|dkms|error|warn' | head -n 15
	t "apt-get remove $PKG (exit $rc)" [ "$rc" = 0 ]
	t "after remove: no $MOD in updates/dkms, modinfo does not find it" \
		sh -c '! ls /lib/modules/"$1"/updates/dkms/pwm-imx-tpm.ko* 2>/dev/null && ! modinfo -n pwm-imx-tpm >/dev/null 2>&1' sh "$k"
	t "after remove: dkms status has no $MOD" sh -c '! dkms status 2>/dev/null | grep -q pwm-imx-tpm'
	echo removed >"$state/phase"
	;;
removed)
	echo "e2e: plan 5"
	t "$PKG is not installed (dpkg)" \
		sh -c '! dpkg-query -W -f="\${Status}" "$1" 2>/dev/null | grep -q "ok installed"' sh "$PKG"
	t "pwm_imx_tpm is not loaded (lsmod)" sh -c '! lsmod | grep -q "^pwm_imx_tpm "'
	t "no $MOD file in /lib/modules/$k, modinfo does not find it" \
		sh -c '[ -z "$(find /lib/modules/"$1" -name "pwm-imx-tpm.ko*" 2>/dev/null)" ] && ! modinfo -n pwm-imx-tpm >/dev/null 2>&1' sh "$k"
	t "the TPM node is there and no driver is bound to it" \
		sh -c '[ -n "$1" ] && [ -z "$2" ]' sh "$node" "$drv"
	t "no PWM chip" sh -c '! ls -d /sys/class/pwm/pwmchip* >/dev/null 2>&1'
	echo finished >"$state/phase"
	;;
*)
	echo "e2e: plan 1"
	t "known phase (got '$phase')" false
	;;
esac
finish
