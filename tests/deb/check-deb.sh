#!/bin/bash
# Functions here run through check, traps and deb_with_lock (SC2317), and
# the single-quoted scripts are expanded by the chroot's shell (SC2016).
# shellcheck disable=SC2317,SC2016
#
# tests/deb/check-deb.sh DEBDIR - install, build, upgrade, remove and purge
# the pwm-imx-tpm-dkms package (built by "make deb" into DEBDIR) in Debian
# chroots, as autopkgtest-pkg-dkms would, and more.
#
# - The chroots are the matrix's cached debootstrap chroots (trixie,
#   bookworm, bullseye in $IMX_TPM_PWM_CACHE/chroot), with the amd64 kernel
#   headers tests/matrix/matrix.sh unpacks there: 5.10 (bullseye), 6.1
#   (bookworm), 6.12 and 7.3 (trixie); each chroot has the gcc its kernels'
#   headers name (gcc-10, gcc-12, gcc-14). dkms (and adduser, udev) are
#   installed into the cached chroots once. Every run works in a fresh
#   overlay (overlayfs, upper layer in a temporary directory) on top of
#   them, so the cache stays clean and runs are repeatable.
# - Kernels of other architectures in a chroot (the matrix's armhf and
#   arm64 headers) are hidden in the overlay: DKMS here builds natively.
# - bullseye's own dkms (2.8.4) predates BUILD_EXCLUSIVE_CONFIG, which the
#   package needs (dkms >= 3.0.3); the bullseye run installs bookworm's dkms
#   .deb, as bullseye-backports had it.
# - trixie: install (DKMS builds for 6.12 and 7.3), package contents, the
#   pwm group, the udev helper on a fake sysfs tree, udevadm verify,
#   foreign-architecture host tools (fixdep) caught with the fix message,
#   remove, purge (DKMS state gone; the rest of a purge, files left and
#   dpkg's records, is piuparts's part in tests/deb/debian-tools.sh), upgrade
#   from an older package (built as 0.0.9), kernels the module cannot
#   support skipped (exit 77) without failing the kernel hook, and the
#   postinst's note for a kernel with the driver built in.
# - bookworm and bullseye: install (DKMS build for 6.1 / 5.10), purge.
#
# - e2e (trixie, after the upgrade): Debian's amd64 7.3 kernel boots in
#   QEMU (tests/vm/vm.sh, TPM model) with the module DKMS built from the
#   package, and tests/deb/e2e-guest.sh runs the packaged selftest, drives a
#   channel as a non-root member of "pwm" through the packaged udev helper
#   (a non-member cannot), and checks that the module refuses to load while
#   a driver named like the built-in one ("imx7ulp-tpm-pwm") is registered.
#
# Ends with "check-deb: N passed, M failed". Missing tools, chroots or
# headers are failures. Environment: IMX_TPM_PWM_CACHE (see
# tests/lib/debian.sh), CHECK_DEB_KEEP=1 keeps the overlays and logs,
# CHECK_DEB_E2E=0 leaves out the QEMU part, CHECK_DEB_VM_TIMEOUT (600 s).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$here/../lib/debian.sh"
# shellcheck source=../lib/kernels.sh source-path=SCRIPTDIR
. "$here/../lib/kernels.sh"
DEB_LOG_PREFIX=check-deb

SERIES=(5.10 6.1 6.12 7.3)
MOD=pwm-imx-tpm
PKG=pwm-imx-tpm-dkms
OLD_VERSION=0.0.9

debdir=${1:?usage: $0 DEBDIR}
# shellcheck source=../lib/checks.sh source-path=SCRIPTDIR
. "$top/tests/lib/checks.sh"
CHECKS_KEEP=${CHECK_DEB_KEEP:-0}
checks_init check-deb

# --- overlays ---------------------------------------------------------------

# ov_new NAME SUITE: a fresh overlay on the cached chroot of SUITE.
ov_new() {
	local d=$work/$1
	rm -rf "$d"
	mkdir -p "$d/upper" "$d/work" "$d/merged"
	printf '%s\n' "$(deb_cache_dir)/chroot/$2" >"$d/lower"
}

# ov_run NAME CMD...: run CMD in the overlay chroot NAME with a clean
# environment, in new mount and PID namespaces (the overlay and /proc mounts
# end with the command).
ov_run() {
	local d=$work/$1
	shift
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
		DEBIAN_FRONTEND=noninteractive \
		unshare --mount --propagation private --pid --fork /bin/sh -c '
			l=$1 d=$2
			shift 2
			mount -t overlay overlay -o "lowerdir=$l,upperdir=$d/upper,workdir=$d/work" "$d/merged" &&
				mount -t proc proc "$d/merged/proc" &&
				exec chroot "$d/merged" "$@"' sh "$(cat "$d/lower")" "$d" "$@"
}

# ov_sh NAME SCRIPT [ARGS...]: run a shell script in the overlay chroot.
ov_sh() {
	local n=$1 s=$2
	shift 2
	ov_run "$n" /bin/sh -c "$s" sh "$@"
}

# ov_put NAME FILE DEST: copy a host file into the overlay (upper layer).
ov_put() {
	local d=$work/$1/upper
	mkdir -p "$d$(dirname "$3")"
	cp "$2" "$d$3"
}

# The amd64 kernels with headers in the overlay NAME (one per line).
ov_kernels() {
	ov_sh "$1" 'for b in /lib/modules/*/build; do
		[ -e "$b/.config" ] && grep -q "^CONFIG_X86_64=y" "$b/.config" &&
			basename "$(dirname "$b")"
	done; true' | sort -V
}

# Hide kernels of other architectures. Give each of the others what an
# installed kernel with CONFIG_PWM_IMX_TPM=m has: its own pwm-imx-tpm module
# in kernel/drivers/pwm (a stand-in built here, without MODULE_VERSION like
# the upstream driver) and depmod's index files. DKMS must install ours
# next to it (updates/dkms), and modprobe must pick ours.
ov_prepare() {
	ov_sh "$1" '
		set -e
		mkdir -p /tmp/intree
		cat >/tmp/intree/pwm-imx-tpm.c <<EOF
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
MODULE_DESCRIPTION("stand-in for the in-tree pwm-imx-tpm (check-deb)");
MODULE_LICENSE("GPL");
EOF
		echo "obj-m := pwm-imx-tpm.o" >/tmp/intree/Kbuild
		for d in /lib/modules/*/; do
			k=$(basename "$d")
			if ! { [ -e "$d/build/.config" ] && grep -q "^CONFIG_X86_64=y" "$d/build/.config"; }; then
				rm -rf "$d"
				continue
			fi
			rm -f /tmp/intree/*.ko
			make -C "$d/build" M=/tmp/intree modules >/tmp/intree/build.log 2>&1 ||
				{ cat /tmp/intree/build.log; exit 1; }
			mkdir -p "$d/kernel/drivers/pwm"
			cp /tmp/intree/pwm-imx-tpm.ko "$d/kernel/drivers/pwm/"
			depmod "$k" 2>/dev/null
		done
		rm -rf /tmp/intree'
}

# File list of the overlay's root, less what changes on any dpkg run
# (dpkg's and apt's databases, caches, logs, temporary files) and the
# backups of /etc/group and friends that addgroup leaves (the pwm group
# itself stays after a purge, as Debian does with system groups: files may
# belong to it).
ov_files() {
	ov_sh "$1" 'find / -xdev \( -path /proc -o -path /dev -o -path /sys -o -path /run \
		-o -path /tmp -o -path /var/tmp -o -path /var/cache -o -path /var/log \
		-o -path /var/lib/dpkg -o -path /var/lib/apt \
		-o -path /etc/group- -o -path /etc/gshadow- -o -path /etc/passwd- \
		-o -path /etc/shadow- \) -prune -o -print | sort'
}

# module_ok NAME KREL VERSION: the DKMS module VERSION is installed for KREL.
module_ok() {
	ov_sh "$1" '
		k=$1 v=$2
		st=$(dkms status -m '"$MOD"' -k "$k")
		echo "dkms status: $st"
		printf "%s\n" "$st" | grep -q "^'"$MOD"'/$v, $k, [^:]*: installed" || exit 1
		[ "$(printf "%s\n" "$st" | grep -c .)" = 1 ] || { echo "more than one entry"; exit 1; }
		set -- /lib/modules/"$k"/updates/dkms/'"$MOD"'.ko*
		[ -f "$1" ] || { echo "no module in /lib/modules/$k/updates/dkms"; exit 1; }
		mv=$(modinfo -F version "$1")
		vm=$(modinfo -F vermagic "$1")
		echo "$1: version $mv, vermagic $vm"
		[ "$mv" = "$v" ] || exit 1
		case "$vm" in "$k "*) ;; *) exit 1 ;; esac
		# modprobe picks this one; the in-tree one is kept in kernel/
		# (dkms 3.0) or archived by DKMS until the module is removed
		# (dkms 3.2: "Original modules exist")
		[ "$(modinfo -k "$k" -n '"$MOD"')" = "$1" ] || { modinfo -k "$k" -n '"$MOD"'; exit 1; }
		ls /lib/modules/"$k"/kernel/drivers/pwm/'"$MOD"'.ko \
			/var/lib/dkms/'"$MOD"'/original_module/"$k"/*/'"$MOD"'.ko 2>/dev/null | grep -q .
	' "$2" "$3"
}

# module_gone NAME KREL: no module and no DKMS state for KREL.
module_gone() {
	ov_sh "$1" '
		k=$1
		ls /lib/modules/"$k"/updates/dkms/'"$MOD"'.ko* 2>/dev/null && exit 1
		[ -z "$(dkms status -m '"$MOD"' -k "$k" 2>/dev/null)" ] || { dkms status; exit 1; }
		[ ! -e /var/lib/dkms/'"$MOD"' ] || { ls -lR /var/lib/dkms/'"$MOD"'; exit 1; }
		! ls -d /usr/src/'"$MOD"'-* 2>/dev/null || exit 1
		# the in-tree module is back in place and found again
		[ "$(modinfo -k "$k" -n '"$MOD"')" = /lib/modules/"$k"/kernel/drivers/pwm/'"$MOD"'.ko ]
	' "$2"
}

# run_logged NAME LOG CMD...: run CMD in the overlay, output to LOG.
run_logged() {
	local n=$1 log=$2
	shift 2
	ov_run "$n" "$@" >"$log" 2>&1 || {
		local rc=$?
		tail -n 30 "$log"
		return "$rc"
	}
}

# --- checks of the .deb itself ------------------------------------------------

deb_contents_ok() {
	local deb=$1 list bad_paths
	list=$(dpkg-deb -c "$deb" | awk '{ print $6 }') || return 1
	# test-only code is never shipped; the selftest is, as a command
	bad_paths=$(grep -E '/tests?(/|$)|tests/model|tests/vm|\.ko$|\.o$' <<<"$list" || true)
	[[ -z $bad_paths ]] || {
		echo "test-only or built files in the package:"
		echo "$bad_paths"
		return 1
	}
	grep -qx './usr/bin/pwm-imx-tpm-selftest' <<<"$list" || {
		echo "no /usr/bin/pwm-imx-tpm-selftest"
		return 1
	}
	grep -qx "./usr/src/$MOD-$VERSION/dkms.conf" <<<"$list" || {
		echo "no /usr/src/$MOD-$VERSION/dkms.conf"
		return 1
	}
	# overlays, if any, never in u-boot-menu's directory
	! grep -E '\.dtbo$' <<<"$list" | grep -v '^\./usr/lib/pwm-imx-tpm/overlays/'
}

deb_control_ok() {
	local deb=$1 dep
	dep=$(dpkg-deb -f "$deb" Depends)
	echo "Depends: $dep"
	[[ $(dpkg-deb -f "$deb" Architecture) == all ]] &&
		[[ $dep == *"dkms (>= 3.0.3"* ]] &&
		[[ $dep == *adduser* ]]
}

# --- trixie: the whole life cycle ---------------------------------------------

# A fake foreign-architecture fixdep (an ELF header for aarch64: execve
# fails with ENOEXEC) in a copy of the 6.12 headers; the Makefile must stop
# with the fix, and build with the real fixdep in the same copy.
fixdep_checks() {
	local n=$1 k=$2 kb
	kb=$(ov_sh "$n" 'readlink -f /lib/modules/"$1"/build/scripts' "$k")
	kb=${kb%/scripts}
	ov_sh "$n" '
		set -e
		rm -rf /tmp/fk /tmp/src
		cp -a "$(readlink -f /lib/modules/"$1"/build)" /tmp/fk
		rm /tmp/fk/scripts /tmp/fk/tools
		cp -a "$2/scripts" /tmp/fk/scripts
		ln -s "$2/tools" /tmp/fk/tools
		cp /tmp/fk/scripts/basic/fixdep /tmp/fixdep.real
		# ELF64, little endian, EM_AARCH64 (183), nothing else
		printf "\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\267\000" >/tmp/fk/scripts/basic/fixdep
		head -c 44 /dev/zero >>/tmp/fk/scripts/basic/fixdep
		cp -a /usr/src/'"$MOD-$VERSION"' /tmp/src' "$k" "$kb" || return 1
	local out rc=0
	out=$(ov_sh "$n" 'make -C /tmp/src KDIR=/tmp/fk modules 2>&1') || rc=$?
	printf '%s\n' "$out" >"$work/fixdep.log"
	check "trixie: foreign-arch fixdep: make stops (exit $rc)" test "$rc" -ne 0
	check "trixie: foreign-arch fixdep: message names the tool and the fix" \
		grep -qF -e "/tmp/fk/scripts/basic/fixdep does not run on this machine" "$work/fixdep.log"
	check "trixie: foreign-arch fixdep: README's troubleshooting quotes the message" \
		readme_msg "pwm-imx-tpm: /" "$work/fixdep.log"
	check "trixie: foreign-arch fixdep: message gives 'make -C /tmp/src host-tools KDIR=/tmp/fk'" \
		grep -qxF -e "    make -C /tmp/src host-tools KDIR=/tmp/fk" "$work/fixdep.log"
	check "trixie: foreign-arch fixdep: nothing compiled" \
		ov_sh "$n" '! ls /tmp/src/src/*.o 2>/dev/null'
	# the same through DKMS (dkms.conf MAKE uses the Makefile)
	check "trixie: foreign-arch fixdep: dkms build fails, make.log has the fix (the source in /usr/src)" \
		ov_sh "$n" '
			mkdir -p /lib/modules/9.9.9-foreign && ln -sfn /tmp/fk /lib/modules/9.9.9-foreign/build
			rc=0; dkms build -m '"$MOD"' -v '"$VERSION"' -k 9.9.9-foreign >/tmp/dkms-fk.log 2>&1 || rc=$?
			log=/var/lib/dkms/'"$MOD/$VERSION"'/build/make.log
			ok=0
			[ "$rc" != 0 ] && [ "$rc" != 77 ] &&
				grep -qxF "    make -C /usr/src/'"$MOD-$VERSION"' host-tools KDIR=/tmp/fk" "$log" && ok=1
			[ $ok = 1 ] || { cat /tmp/dkms-fk.log; cat "$log"; echo "exit $rc"; }
			dkms remove -m '"$MOD"' -v '"$VERSION"' -k 9.9.9-foreign >/dev/null 2>&1
			rm -rf /lib/modules/9.9.9-foreign /var/lib/dkms/'"$MOD/$VERSION"'/build /tmp/dkms-fk.log
			[ $ok = 1 ]'
	check "trixie: same header copy with the real fixdep builds the module" \
		ov_sh "$n" 'cp /tmp/fixdep.real /tmp/fk/scripts/basic/fixdep &&
			make -C /tmp/src KDIR=/tmp/fk modules >/tmp/fk-ok.log 2>&1 &&
			test -f /tmp/src/'"$MOD"'.ko || { tail -n 20 /tmp/fk-ok.log; exit 1; }'
	ov_sh "$n" 'rm -rf /tmp/fk /tmp/src /tmp/fixdep.real /tmp/fk-ok.log'
}

# The udev helper on a fake sysfs chip: exactly the six attributes change.
udev_helper_check() {
	ov_sh "$1" '
		set -e
		c=/tmp/sys/devices/platform/40250000.pwm/pwm/pwmchip0
		rm -rf /tmp/sys
		mkdir -p "$c/pwm1" "$c/power"
		for f in export unexport; do : >"$c/$f"; chmod 200 "$c/$f"; done
		for f in npwm uevent power/control; do : >"$c/$f"; chmod 644 "$c/$f"; done
		for f in period duty_cycle polarity enable; do : >"$c/pwm1/$f"; chmod 644 "$c/pwm1/$f"; done
		: >"$c/pwm1/capture"; chmod 444 "$c/pwm1/capture"
		/usr/lib/pwm-imx-tpm/pwm-group-access "$c"
		cd "$c"
		find . -type f -printf "%p %g %m\n" | sort >/tmp/sys.got
		cat >/tmp/sys.want <<EOF
./export pwm 220
./npwm root 644
./power/control root 644
./pwm1/capture root 444
./pwm1/duty_cycle pwm 664
./pwm1/enable pwm 664
./pwm1/period pwm 664
./pwm1/polarity pwm 664
./uevent root 644
./unexport pwm 220
EOF
		diff -u /tmp/sys.want /tmp/sys.got
		rm -rf /tmp/sys /tmp/sys.got /tmp/sys.want'
}

# A kernel the module cannot support: the kernel hook succeeds, nothing is
# built, and "dkms build" says skipped (77).
skip_check() {
	local n=$1 k=$2 why=$3 cfgsed=$4 from=$5
	ov_sh "$n" '
		set -e
		k=$1 from=$2
		mkdir -p /usr/src/fake-$k/include/config /lib/modules/$k
		sed -E "$3" "$(readlink -f /lib/modules/$from/build)/include/config/auto.conf" \
			>/usr/src/fake-$k/include/config/auto.conf
		sed -E "$3" "$(readlink -f /lib/modules/$from/build)/.config" >/usr/src/fake-$k/.config
		ln -sfn /usr/src/fake-$k /lib/modules/$k/build' "$k" "$from" "$cfgsed" || return 1
	check "trixie: $k ($why): kernel hook /etc/kernel/postinst.d/dkms succeeds" \
		ov_sh "$n" '/etc/kernel/postinst.d/dkms "$1" >/tmp/hook.log 2>&1 || { cat /tmp/hook.log; exit 1; }' "$k"
	check "trixie: $k ($why): dkms build exits 77 (skipped)" \
		ov_sh "$n" 'rc=0; dkms build -m '"$MOD"' -v '"$VERSION"' -k "$1" >/tmp/b.log 2>&1 || rc=$?
			[ "$rc" = 77 ] || { cat /tmp/b.log; echo "exit $rc"; exit 1; }' "$k"
	check "trixie: $k ($why): nothing built or installed" \
		ov_sh "$n" '[ -z "$(dkms status -m '"$MOD"' -k "$1" | grep -E ": (built|installed)")" ] &&
			! ls /lib/modules/"$1"/updates/dkms/'"$MOD"'.ko* 2>/dev/null' "$k"
	ov_sh "$n" 'rm -rf /usr/src/fake-"$1" /lib/modules/"$1"' "$k"
}

# e2e: boot Debian's kernel (amd64 7.3) in QEMU with the TPM model
# (tests/vm/vm.sh) and the pwm-imx-tpm.ko that DKMS built from the package
# in the overlay; run tests/deb/e2e-guest.sh there: the packaged selftest,
# non-root access through the packaged udev helper, and the refusal to load
# next to a driver registered as the built-in "imx7ulp-tpm-pwm".
e2e_prepare() {
	local n=$1 k=$2 e=$work/e2e
	rm -rf "$e"
	mkdir -p "$e/x" "$work/$n/upper/tmp/standin"
	cp "$here/e2e-checks.sh" "$e/x/"
	cp "$here/builtin-standin/builtin-standin.c" "$here/builtin-standin/Kbuild" "$work/$n/upper/tmp/standin/"
	check "e2e: builtin-standin.ko built for $k" ov_sh "$n" '
		make -C /lib/modules/"$1"/build M=/tmp/standin modules >/tmp/standin/log 2>&1 ||
			{ cat /tmp/standin/log; exit 1; }' "$k" || return 0
	ov_sh "$n" 'cat /tmp/standin/builtin-standin.ko' >"$e/x/builtin-standin.ko" &&
		ov_sh "$n" 'set -- /lib/modules/"$1"/updates/dkms/'"$MOD"'.ko*
			case $1 in *.xz) xz -dc "$1" ;; *.zst) zstd -dc "$1" ;; *) cat "$1" ;; esac' "$k" >"$e/$MOD.ko" &&
		ov_sh "$n" 'cat /usr/bin/pwm-imx-tpm-selftest' >"$e/x/pwm-imx-tpm-selftest" &&
		ov_sh "$n" 'cat /usr/lib/pwm-imx-tpm/pwm-group-access' >"$e/x/pwm-group-access" &&
		ov_sh "$n" 'cat /usr/src/'"$MOD-$VERSION"'/VERSION' >"$e/x/VERSION"
	check "e2e: the package's files and the DKMS-built module copied out" \
		test -s "$e/$MOD.ko" -a -s "$e/x/pwm-imx-tpm-selftest" -a -s "$e/x/pwm-group-access" &&
		touch "$e/ready"
}

# The QEMU part; outside the chroot lock, which vm.sh's own build needs.
e2e_run() {
	local e=$work/e2e rc=0 plan line
	check "e2e: prepared in the trixie overlay" test -e "$e/ready" || return 0
	deb_log "e2e: boot amd64 7.3 with the DKMS-built module (tests/vm/vm.sh, log: $e/vm.log)"
	VM_KO=$e/$MOD.ko VM_EXTRA_DIR=$e/x VM_LOGDIR=$e/logs VM_TIMEOUT=${CHECK_DEB_VM_TIMEOUT:-600} \
		"$top/tests/vm/vm.sh" run amd64:7.3 model "$here/e2e-guest.sh" >"$e/vm.log" 2>&1 || rc=$?
	local glog=$e/logs/amd64-7.3-model.log
	plan=$(sed -nE 's/^e2e: plan ([0-9]+)\r?$/\1/p' "$glog" 2>/dev/null | head -n 1)
	check "e2e: guest ran and exited 0 (vm.sh exit $rc)" test "$rc" -eq 0 || tail -n 15 "$e/vm.log"
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"e2e: ok "*) ok "e2e: ${line#e2e: ok }" ;;
		"e2e: FAIL "*) bad "e2e: ${line#e2e: FAIL }" ;;
		esac
	done < <(grep -E '^e2e: (ok|FAIL) ' "$glog" 2>/dev/null)
	check "e2e: all ${plan:-?} planned guest checks reported" \
		test "$(grep -cE '^e2e: (ok|FAIL) ' "$glog" 2>/dev/null)" = "${plan:-none}"
}

# --- the overlay helper --------------------------------------------------------

# snap: checksums of every file below /etc and /boot (in the chroot)
SNAP='find /etc /boot -type f -exec md5sum {} + | sort -k2'

# overlay_helper_checks NAME: the installed pwm-imx-tpm-overlay with
# u-boot-menu's own u-boot-update (the trixie chroot has u-boot-menu), and
# on a vendor-style extlinux.conf without u-boot-menu (--root).
overlay_helper_checks() {
	local n=$1 evk=imx7ulp-evk-tpm4-pwm led=imx7ulp-tpm4-ch3-led-with-backlight
	local nov
	nov=$(find "$top/dts-overlays" -name '*.dtso' | wc -l)
	# A board's boot set-up: a kernel in /boot, the root in fstab, and an
	# overlay of the user's own already named in /etc/default/u-boot.
	check "helper: u-boot-update writes extlinux.conf with the user's own overlay" ov_sh "$n" '
		set -e
		: >/boot/vmlinuz-6.12.0-board-armmp
		mkdir -p /boot/dtbo
		echo "/dev/mmcblk0p2 / ext4 defaults 0 1" >/etc/fstab
		echo "user dtbo" >/boot/dtbo/user.dtbo
		echo "U_BOOT_FDT_OVERLAYS=\"user.dtbo\"" >>/etc/default/u-boot
		u-boot-update >/dev/null 2>&1
		grep -Eq "^	fdtoverlays +/boot/dtbo/user.dtbo$" /boot/extlinux/extlinux.conf ||
			{ cat /boot/extlinux/extlinux.conf; exit 1; }
		cp /boot/extlinux/extlinux.conf /tmp/extlinux.orig
		cp /etc/default/u-boot /tmp/default.orig'
	check "helper: list shows the $nov packaged overlays, none enabled, mode u-boot-menu" ov_sh "$n" '
		pwm-imx-tpm-overlay list >/tmp/l.log 2>&1 || { cat /tmp/l.log; exit 1; }
		cat /tmp/l.log
		[ "$(grep -c "^  \[ \]  *imx7ulp" /tmp/l.log)" = "$1" ] &&
			grep -q "(boot configuration: u-boot-menu)" /tmp/l.log' "$nov"
	check "helper: enable --dry-run shows the change and changes nothing" ov_sh "$n" '
		'"$SNAP"' >/tmp/s1
		pwm-imx-tpm-overlay --dry-run enable '"$evk"' >/tmp/d.log 2>&1 || { cat /tmp/d.log; exit 1; }
		'"$SNAP"' >/tmp/s2
		cat /tmp/d.log
		cmp -s /tmp/s1 /tmp/s2 && grep -q "would write /etc/u-boot-menu/conf.d/pwm-imx-tpm.conf" /tmp/d.log'
	check "helper: an unknown overlay: exit 2, the list of names, nothing changed" ov_sh "$n" '
		'"$SNAP"' >/tmp/s1
		rc=0; pwm-imx-tpm-overlay enable no-such-overlay >/tmp/u.log 2>&1 || rc=$?
		'"$SNAP"' >/tmp/s2
		cat /tmp/u.log
		[ "$rc" = 2 ] && cmp -s /tmp/s1 /tmp/s2 && grep -q "unknown overlay no-such-overlay" /tmp/u.log &&
			grep -q "^  '"$evk"'$" /tmp/u.log'
	check "helper: enable $evk: appended after the user's overlay in extlinux.conf, /etc/default/u-boot untouched" ov_sh "$n" '
		pwm-imx-tpm-overlay enable '"$evk"' >/tmp/e.log 2>&1 || { cat /tmp/e.log; exit 1; }
		grep "fdtoverlays" /boot/extlinux/extlinux.conf
		grep -Eq "^	fdtoverlays +/boot/dtbo/user.dtbo /boot/dtbo/'"$evk"'.dtbo$" /boot/extlinux/extlinux.conf &&
			cmp /etc/default/u-boot /tmp/default.orig &&
			cmp /boot/dtbo/'"$evk"'.dtbo /usr/lib/pwm-imx-tpm/overlays/'"$evk"'.dtbo &&
			! grep -q initcall_blacklist /boot/extlinux/extlinux.conf'
	check "helper: enable $evk again: nothing changes" ov_sh "$n" '
		'"$SNAP"' >/tmp/s1
		pwm-imx-tpm-overlay enable '"$evk"' >/tmp/e2.log 2>&1 || { cat /tmp/e2.log; exit 1; }
		'"$SNAP"' >/tmp/s2
		cmp -s /tmp/s1 /tmp/s2 && grep -q "already enabled" /tmp/e2.log'
	# a kernel with the driver built in, as modules.builtin says
	check "helper: with a built-in driver, enable $led: after $evk, and initcall_blacklist in append" ov_sh "$n" '
		mkdir -p /lib/modules/6.12.0-board-armmp
		echo kernel/drivers/pwm/pwm-imx-tpm.ko >/lib/modules/6.12.0-board-armmp/modules.builtin
		pwm-imx-tpm-overlay enable '"$led"' >/tmp/e3.log 2>&1 || { cat /tmp/e3.log; exit 1; }
		grep "fdtoverlays\|append" /boot/extlinux/extlinux.conf
		grep -Eq "^	fdtoverlays +/boot/dtbo/user.dtbo /boot/dtbo/'"$evk"'.dtbo /boot/dtbo/'"$led"'.dtbo$" /boot/extlinux/extlinux.conf &&
			grep -q "^	append root=/dev/mmcblk0p2 ro quiet initcall_blacklist=imx_tpm_pwm_driver_init$" /boot/extlinux/extlinux.conf &&
			grep -q "6.12.0-board-armmp have the TPM PWM driver built in" /tmp/e3.log'
	check "helper: disable both: extlinux.conf as before, drop-in and copies gone" ov_sh "$n" '
		pwm-imx-tpm-overlay disable '"$evk"' >/tmp/x.log 2>&1 &&
			pwm-imx-tpm-overlay disable '"$led"' >>/tmp/x.log 2>&1 || { cat /tmp/x.log; exit 1; }
		diff -u /tmp/extlinux.orig /boot/extlinux/extlinux.conf &&
			[ ! -e /etc/u-boot-menu/conf.d/pwm-imx-tpm.conf ] &&
			[ "$(ls /boot/dtbo)" = user.dtbo ]'
	# an empty U_BOOT_FDT_OVERLAYS: u-boot-menu takes every .dtbo there
	check "helper: empty U_BOOT_FDT_OVERLAYS: the directory's overlays kept, ours after them" ov_sh "$n" '
		cp /tmp/default.orig /etc/default/u-boot
		sed -i "/^U_BOOT_FDT_OVERLAYS=/d" /etc/default/u-boot
		echo "zz user dtbo" >/boot/dtbo/zz-user.dtbo
		pwm-imx-tpm-overlay enable '"$evk"' >/tmp/e4.log 2>&1 || { cat /tmp/e4.log; exit 1; }
		grep "fdtoverlays" /boot/extlinux/extlinux.conf
		grep -Eq "^	fdtoverlays +/boot/dtbo/user.dtbo /boot/dtbo/zz-user.dtbo /boot/dtbo/'"$evk"'.dtbo$" \
			/boot/extlinux/extlinux.conf
		rc=$?
		pwm-imx-tpm-overlay disable '"$evk"' >/dev/null 2>&1
		rm -f /lib/modules/6.12.0-board-armmp/modules.builtin
		exit $rc'
	# No u-boot-menu: a vendor image with its own extlinux.conf on a
	# separate /boot partition (paths as U-Boot sees them, from /).
	check "helper: extlinux.conf without u-boot-menu (--root): fdtoverlays and append of every entry, then back" ov_sh "$n" '
		set -e
		r=/tmp/img
		mkdir -p $r/boot/extlinux $r/lib/modules/6.6.52-lf-imx
		echo kernel/drivers/pwm/pwm-imx-tpm.ko >$r/lib/modules/6.6.52-lf-imx/modules.builtin
		printf "%s\n" "menu title vendor" "timeout 30" "" "label vendor" "	kernel /zImage" \
			"	fdt /imx7ulp-evk.dtb" "	append console=ttyLP0,115200 root=/dev/mmcblk0p2 rootwait" "" \
			"label vendor-old" "	kernel /zImage.old" "	fdt /imx7ulp-evk.dtb" \
			"	append console=ttyLP0,115200 root=/dev/mmcblk0p2 rootwait" >$r/boot/extlinux/extlinux.conf
		cp $r/boot/extlinux/extlinux.conf /tmp/ext.orig
		export PWM_IMX_TPM_OVERLAY_DIR=/usr/lib/pwm-imx-tpm/overlays
		pwm-imx-tpm-overlay --root $r enable '"$evk"'
		pwm-imx-tpm-overlay --root $r enable '"$evk"'
		cat $r/boot/extlinux/extlinux.conf
		[ "$(grep -c "^	fdtoverlays /dtbo/'"$evk"'.dtbo$" $r/boot/extlinux/extlinux.conf)" = 2 ]
		[ "$(grep -c "^	append .* initcall_blacklist=imx_tpm_pwm_driver_init$" $r/boot/extlinux/extlinux.conf)" = 2 ]
		pwm-imx-tpm-overlay --root $r list | grep -q "^  \[enabled\]  '"$evk"'$"
		pwm-imx-tpm-overlay --root $r disable '"$evk"'
		diff -u /tmp/ext.orig $r/boot/extlinux/extlinux.conf'
	# the overlay directory set in a drop-in of the user's, not in
	# /etc/default/u-boot: the purge must find the copy there
	check "helper: an overlay left enabled (directory from a user's drop-in): remove says so, purge takes it out of extlinux.conf and the directory" ov_sh "$n" '
		mkdir -p /etc/u-boot-menu/conf.d
		echo "U_BOOT_FDT_OVERLAYS_DIR=/boot/overlays-user/" >/etc/u-boot-menu/conf.d/00-user.conf
		pwm-imx-tpm-overlay enable '"$evk"' >/dev/null 2>&1 || exit 1
		[ -f /boot/overlays-user/'"$evk"'.dtbo ] || { ls -R /boot; exit 1; }
		dpkg -r '"$PKG"' >/tmp/r.log 2>&1 || { cat /tmp/r.log; exit 1; }
		grep -q "stay in u-boot-menu" /tmp/r.log || { cat /tmp/r.log; exit 1; }
		dpkg -P '"$PKG"' >/tmp/p.log 2>&1 || { cat /tmp/p.log; exit 1; }
		cat /tmp/p.log
		grep "fdtoverlays" /boot/extlinux/extlinux.conf
		[ ! -e /etc/u-boot-menu/conf.d/pwm-imx-tpm.conf ] && [ ! -e /boot/overlays-user/'"$evk"'.dtbo ] &&
			[ ! -e /boot/dtbo/'"$evk"'.dtbo ] && ! grep -q '"$evk"' /boot/extlinux/extlinux.conf'
}

# --- installs where the module cannot be built ---------------------------------

# readme_msg KEY LOG: the README's troubleshooting message that begins with
# KEY ("**where: `KEY...`**") is a line of LOG, up to the names of kernels,
# compilers, paths of fixdep and machines, which differ from board to board.
readme_msg() {
	local key=$1 log=$2 doc norm
	norm='s/kernel [^ :]*/kernel K/g; s/([^)]*gcc[^)]*)/(CC)/g; s/apt install gcc-[0-9]*/apt install GCC/g
		s|[^ ]*/scripts/basic/fixdep|FIXDEP|g; s/machine ([^)]*)/machine (ARCH)/g'
	doc=$(grep -o "^\*\*[^\`]*\`${key}[^\`]*\`" "$top/README.md" | head -n 1 | sed 's/^[^`]*`//; s/`$//')
	[[ -n $doc ]] || {
		echo "README.md has no troubleshooting entry **...: \`$key...\`**"
		return 1
	}
	doc=$(sed "$norm" <<<"$doc")
	if ! sed "s/^    | //; $norm" "$log" | grep -qxF -- "$doc"; then
		echo "README:  $doc"
		sed "$norm" "$log" | grep -F -- "${key:0:20}" | sed 's/^/real:    /'
		return 1
	fi
}

# nobuild_checks: a board image without headers, and one with headers
# but without the C compiler (trixie's dkms only recommends gcc): the
# install says in its own output what is missing and what to install, the
# package ends configured and dpkg has nothing pending, so later installs
# work; with the compiler back, "dkms autoinstall" builds the module.
nobuild_checks() {
	local n=trixie-nobuild k log
	ov_new "$n" trixie
	ov_prepare "$n"
	k=$(ov_kernels "$n" | head -n 1)
	ov_put "$n" "$NEW" /tmp/debs/new.deb

	ov_sh "$n" 'for b in /lib/modules/*/build; do mv "$b" "$b.hidden"; done'
	log=$work/nohdr.log
	check "no headers: dpkg -i ${NEW##*/} succeeds" run_logged "$n" "$log" dpkg -i /tmp/debs/new.deb
	sed 's/^/    | /' "$log"
	check "no headers: the install names the kernel and the package to install" \
		grep -q "^pwm-imx-tpm-dkms:   Install them (Debian: apt install linux-headers-$k;" "$log"
	check "no headers: README's troubleshooting quotes the message" \
		readme_msg "pwm-imx-tpm-dkms: not built for kernel" "$log"
	check "no headers: package configured (ii), dpkg --audit empty" ov_sh "$n" '
		[ "$(dpkg-query -W -f="\${db:Status-Abbrev}" '"$PKG"')" = "ii " ] && [ -z "$(dpkg --audit)" ]'
	ov_sh "$n" 'for b in /lib/modules/*/build.hidden; do mv "$b" "${b%.hidden}"; done
		dpkg -P '"$PKG"' >/dev/null'

	# the compiler each kernel was built with, as its .config names it
	check "no compiler: hidden" ov_sh "$n" '
		for c in /lib/modules/*/build/.config; do
			cc=$(sed -n "s/^CONFIG_CC_VERSION_TEXT=\"\([^ ]*\) .*/\1/p" "$c")
			p=$(command -v "$cc") || continue
			r=$(readlink -f "$p")
			mv "$r" "$r.hidden"
			[ "$p" = "$r" ] || mv "$p" "$p.hidden"
		done
		! command -v gcc-14'
	log=$work/nocc.log
	check "no compiler: dpkg -i ${NEW##*/} succeeds" run_logged "$n" "$log" dpkg -i /tmp/debs/new.deb
	sed 's/^/    | /' "$log"
	check "no compiler: the install says so and names the package to install" \
		bash -c 'grep -qxF "pwm-imx-tpm-dkms: DKMS could not build pwm-imx-tpm for kernel $1:" "$2" &&
			grep -Eq "^pwm-imx-tpm-dkms:   no C compiler \(([a-z0-9_]+-)*gcc-[0-9]+\)\. Install it: apt install gcc-[0-9]+ \(or build-essential\)$" "$2" &&
			grep -qxF "pwm-imx-tpm-dkms:   then: dkms autoinstall -k $1" "$2"' \
			sh "$k" "$log"
	check "no compiler: README's troubleshooting quotes the message" \
		readme_msg "pwm-imx-tpm-dkms:   no C compiler" "$log"
	check "no compiler: package configured (ii), dpkg --audit empty" ov_sh "$n" '
		[ "$(dpkg-query -W -f="\${db:Status-Abbrev}" '"$PKG"')" = "ii " ] && [ -z "$(dpkg --audit)" ]'
	ov_sh "$n" 'for h in /usr/bin/*.hidden; do mv "$h" "${h%.hidden}"; done'
	check "compiler back: dkms autoinstall -k $k builds and installs the module" \
		run_logged "$n" "$work/autoinstall.log" dkms autoinstall -k "$k"
	check "compiler back: $k: $MOD $VERSION installed" module_ok "$n" "$k" "$VERSION"
}

phase_trixie() {
	local n=trixie k log
	local -a ks
	ov_new "$n" trixie
	ov_prepare "$n"
	mapfile -t ks < <(ov_kernels "$n")
	echo "trixie kernels: ${ks[*]}"
	ov_put "$n" "$NEW" /tmp/debs/new.deb
	ov_put "$n" "$OLD" /tmp/debs/old.deb

	log=$work/trixie-install.log
	check "trixie: dpkg -i ${NEW##*/} (postinst builds with DKMS)" \
		run_logged "$n" "$log" dpkg -i /tmp/debs/new.deb
	for k in "${ks[@]}"; do
		check "trixie: $k: $MOD $VERSION built and installed by DKMS, preferred to the in-tree module" module_ok "$n" "$k" "$VERSION"
	done
	check "trixie: installed module carries the built-in-driver guard" \
		ov_sh "$n" 'for f in /lib/modules/*/updates/dkms/'"$MOD"'.ko*; do
			case $f in *.xz) xz -dc "$f" ;; *.zst) zstd -dc "$f" ;; *.gz) gzip -dc "$f" ;; *) cat "$f" ;; esac |
				grep -aq "initcall_blacklist=imx_tpm_pwm_driver_init" || { echo "$f"; exit 1; }
		done'
	check "trixie: no built-in-driver note without such a kernel" \
		bash -c '! grep -q initcall_blacklist "$1"' sh "$log"
	check "trixie: group pwm exists (system group)" \
		ov_sh "$n" 'gid=$(getent group pwm | cut -d: -f3) && [ "$gid" -lt 1000 ]'
	check "trixie: pwm-imx-tpm-selftest on PATH, runs under dash (-h)" \
		ov_sh "$n" 'command -v pwm-imx-tpm-selftest && pwm-imx-tpm-selftest -h | grep -q "^usage:"'
	check "trixie: pwm-imx-tpm-selftest without PWM chips: skipped (exit 4)" \
		ov_sh "$n" 'rc=0; PWM_SYSFS_ROOT=/nonexistent pwm-imx-tpm-selftest -q >/tmp/st.log 2>&1 || rc=$?
			[ "$rc" = 4 ] || { cat /tmp/st.log; echo "exit $rc"; exit 1; }'
	check "trixie: udev helper changes exactly export, unexport, period, duty_cycle, polarity, enable" \
		udev_helper_check "$n"
	check "trixie: udevadm verify 60-pwm-imx-tpm-dkms.rules" \
		ov_sh "$n" 'f=$(dpkg -L '"$PKG"' | grep "/rules.d/60-pwm-imx-tpm-dkms.rules$") &&
			udevadm verify --resolve-names=never "$f"'
	fixdep_checks "$n" "${ks[0]}"

	check "trixie: dpkg -r $PKG" run_logged "$n" "$work/trixie-remove.log" dpkg -r "$PKG"
	for k in "${ks[@]}"; do
		check "trixie: $k: module and DKMS state gone after remove, in-tree module back" module_gone "$n" "$k"
	done
	# what piuparts checks of a purge (files left, dpkg's records) is
	# left to it (tests/deb/debian-tools.sh); here: the DKMS state
	check "trixie: dpkg -P $PKG" run_logged "$n" "$work/trixie-purge.log" dpkg -P "$PKG"
	check "trixie: no DKMS tree, source or module of $MOD left after purge" \
		ov_sh "$n" '! ls -d /var/lib/dkms/'"$MOD"' /usr/src/'"$MOD"'-* /lib/modules/*/updates/dkms/'"$MOD"'.ko* 2>/dev/null'

	check "trixie: dpkg -i ${OLD##*/} (older release)" \
		run_logged "$n" "$work/trixie-old.log" dpkg -i /tmp/debs/old.deb
	for k in "${ks[@]}"; do
		check "trixie: $k: $MOD $OLD_VERSION installed" module_ok "$n" "$k" "$OLD_VERSION"
	done
	check "trixie: upgrade $OLD_VERSION -> $VERSION (dpkg -i)" \
		run_logged "$n" "$work/trixie-upgrade.log" dpkg -i /tmp/debs/new.deb
	for k in "${ks[@]}"; do
		check "trixie: $k: after upgrade $MOD $VERSION installed, $OLD_VERSION gone" module_ok "$n" "$k" "$VERSION"
	done
	check "trixie: /usr/src/$MOD-$OLD_VERSION gone after upgrade" \
		ov_sh "$n" '! ls -d /usr/src/'"$MOD-$OLD_VERSION"' /var/lib/dkms/'"$MOD/$OLD_VERSION"' 2>/dev/null'

	if [[ ${CHECK_DEB_E2E:-1} == 1 ]]; then
		k=$(printf '%s\n' "${ks[@]}" | grep -E '^7\.3\.' | tail -n 1)
		check "e2e: an amd64 7.3 kernel among the trixie kernels" test -n "$k" &&
			e2e_prepare "$n" "$k"
	fi

	skip_check "$n" 9.9.9-nopwm "no CONFIG_PWM" 's/^CONFIG_PWM=.*//' "${ks[0]}"
	skip_check "$n" 5.4.0-old "older than 5.10" 's/^$//' "${ks[0]}"

	# a kernel whose modules.builtin lists the driver (no /boot/config-*:
	# vendor images often have none)
	ov_sh "$n" 'mkdir -p /lib/modules/9.9.9-builtin &&
		echo kernel/drivers/pwm/pwm-imx-tpm.ko >/lib/modules/9.9.9-builtin/modules.builtin'
	check "trixie: postinst names initcall_blacklist=imx_tpm_pwm_driver_init for a kernel whose modules.builtin has the driver" \
		ov_sh "$n" '/var/lib/dpkg/info/'"$PKG"'.postinst configure '"$OLD_VERSION"'-1 >/tmp/pi.log 2>&1 || { cat /tmp/pi.log; exit 1; }
			grep -q "kernel 9.9.9-builtin has the in-tree" /tmp/pi.log &&
			grep -q "^    initcall_blacklist=imx_tpm_pwm_driver_init$" /tmp/pi.log || { cat /tmp/pi.log; exit 1; }'
	ov_sh "$n" 'rm -rf /lib/modules/9.9.9-builtin'
	# last: they leave boot files behind (the purge check above compares
	# file lists)
	overlay_helper_checks "$n"
}

# --- bookworm, bullseye: install and build, purge -------------------------------

phase_simple() {
	local n=$1 k
	local -a ks
	ov_new "$n" "$n"
	ov_prepare "$n"
	if [[ $n == bullseye ]]; then
		ov_put "$n" "$DKMS_BOOKWORM" /tmp/debs/dkms.deb
		check "bullseye: install bookworm's dkms ${DKMS_BOOKWORM##*/} (as bullseye-backports had it)" \
			run_logged "$n" "$work/bullseye-dkms.log" dpkg -i /tmp/debs/dkms.deb
	fi
	mapfile -t ks < <(ov_kernels "$n")
	echo "$n kernels: ${ks[*]}"
	ov_put "$n" "$NEW" /tmp/debs/new.deb
	ov_files "$n" >"$work/$n-files.before"
	check "$n: dpkg -i ${NEW##*/} (postinst builds with DKMS)" \
		run_logged "$n" "$work/$n-install.log" dpkg -i /tmp/debs/new.deb
	for k in "${ks[@]}"; do
		check "$n: $k: $MOD $VERSION built and installed by DKMS" module_ok "$n" "$k" "$VERSION"
	done
	check "$n: dpkg -P $PKG" run_logged "$n" "$work/$n-purge.log" dpkg -P "$PKG"
	for k in "${ks[@]}"; do
		check "$n: $k: module and DKMS state gone after purge, in-tree module back" module_gone "$n" "$k"
	done
	ov_files "$n" >"$work/$n-files.after"
	check "$n: after purge the file list equals the one before install" \
		diff -u "$work/$n-files.before" "$work/$n-files.after"
}

# --- main ---------------------------------------------------------------------

main() {
	local t s d missing=() found krel
	[[ $EUID == 0 ]] || {
		bad "runs as root (chroot, overlay mounts)"
		finish
	}
	for t in dpkg-deb dpkg-parsechangelog unshare chroot mount flock lintian debootstrap; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	check "host tools present${missing[*]:+ (missing: ${missing[*]})}" test ${#missing[@]} -eq 0 || finish
	check "overlayfs available" grep -qw overlay /proc/filesystems || finish

	VERSION=$(cat "$top/VERSION")
	local dver
	dver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
	NEW=$debdir/${PKG}_${dver}_all.deb
	check "package ${NEW##*/} built (make deb)" test -f "$NEW" || finish
	check "package: Architecture all, Depends dkms (>= 3.0.3~) and adduser" deb_control_ok "$NEW"
	check "package: no test-only code, selftest on PATH, DKMS source with dkms.conf, overlays in their own dir" \
		deb_contents_ok "$NEW"
	deb_log "building the $OLD_VERSION package for the upgrade check"
	OLD=$("$here/build-deb.sh" "$top/build/deb-old" "$OLD_VERSION" 2>"$work/old-build.log" | tail -n 1)
	check "package $OLD_VERSION built for the upgrade check (lintian clean too)" test -f "$OLD" ||
		tail -n 20 "$work/old-build.log"

	# The kernel headers: the matrix prepares them in its chroots (and
	# builds there, which is a quick check that they are usable).
	local -a targets=()
	for s in "${SERIES[@]}"; do targets+=("amd64:$s"); done
	deb_log "matrix: prepare the headers of ${targets[*]}"
	check "matrix chroots and headers for ${targets[*]}" \
		env MATRIX_JOBS=1 "$top/tests/matrix/matrix.sh" "$top" "${targets[@]}" || finish
	for s in "${SERIES[@]}"; do
		found=$(series_suite "$s")
		found=${found%-backports}
		krel=$(for d in "$(deb_cache_dir)/chroot/$found/lib/modules/$s".*-amd64; do
			[[ -L $d/build ]] && basename "$d"
		done | sort -V | tail -n 1)
		check "amd64 $s headers in the $found chroot (${krel:-none})" test -n "$krel"
	done

	deb_log "dkms in the chroots"
	DKMS_BOOKWORM=$(deb_apt_update bookworm amd64 && deb_download bookworm amd64 dkms) || DKMS_BOOKWORM=
	check "bookworm's dkms .deb for the bullseye chroot" test -f "$DKMS_BOOKWORM"
	check "trixie chroot: dkms adduser udev xz-utils u-boot-menu" deb_chroot trixie dkms adduser udev xz-utils u-boot-menu
	check "bookworm chroot: dkms adduser" deb_chroot bookworm dkms adduser
	check "bullseye chroot: adduser and bookworm dkms's dependencies" \
		deb_chroot bullseye adduser kmod dpkg-dev make patch gcc lsb-release

	deb_log "trixie: install, build, remove, purge, upgrade"
	deb_with_lock chroot-trixie phase_trixie
	deb_log "trixie: installs where the module cannot be built (no headers, no compiler)"
	deb_with_lock chroot-trixie nobuild_checks
	if [[ ${CHECK_DEB_E2E:-1} == 1 ]]; then
		e2e_run
	fi
	deb_log "bookworm: install, build, purge"
	deb_with_lock chroot-bookworm phase_simple bookworm
	if [[ -n $DKMS_BOOKWORM ]]; then
		deb_log "bullseye: install, build, purge"
		deb_with_lock chroot-bullseye phase_simple bullseye
	fi
	finish
}

main "$@"
