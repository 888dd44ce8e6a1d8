#!/bin/bash
# Functions here run through check and deb_with_lock (SC2317); the
# single-quoted scripts are expanded by the chroot's shell (SC2016).
# shellcheck disable=SC2317,SC2016
#
# tests/deb/check-e2e.sh DEBDIR [SUITE...] - the user's whole story on an
# emulated armhf board, for bookworm and trixie (default) with the package
# that "make deb" built into DEBDIR:
#
# 1. A Debian armhf root filesystem: debootstrap --arch=armhf (second stage
#    through qemu-user and binfmt), then apt-get install of
#    linux-image-armmp, linux-headers-armmp, dkms, udev, kmod, systemd-sysv,
#    initramfs-tools, adduser, u-boot-menu, device-tree-compiler and
#    python3-periphery from the main suite (and -updates when its index
#    can be fetched; this mirror's armhf -security indices are broken, so
#    -security is not used). Cached in
#    $IMX_TPM_PWM_CACHE/e2e/<suite>-armhf/root (".ok" marks a finished one,
#    "versions" lists what it has); built again when missing, when it lacks
#    one of those packages, or when the archive's linux-image-armmp has
#    moved on (index age: tests/lib/debian.sh).
# 2. A copy of it, configured as a board image: the board's base DTB in
#    /boot (tests/vm/vm.sh make_dtb: QEMU's virt DTB, a fixed clock, and
#    TPM4 where the i.MX7ULP devicetree has it, /bus@40000000/pwm@40250000,
#    disabled, its registers a no-map RAM page with PARAM preloaded),
#    /etc/default/u-boot naming it and the kernel command line,
#    u-boot-update; users "member" and "other"; the guest check
#    (tests/deb/check-e2e-guest.sh) as a oneshot systemd unit that writes to
#    the serial console and powers off.
# 3. The documents' examples (tests/deb/doc-examples.py extracts every
#    sh/python block of README.md and dts-overlays/README.md with its
#    marker): the "image" ones in a chroot there, as root, in /tmp with the
#    package: the README's "apt install ./pwm-imx-tpm-dkms_*_all.deb" (DKMS
#    builds the module natively under qemu-user) and
#    "pwm-imx-tpm-overlay enable" (u-boot-menu's drop-in, u-boot-update).
# 4. A disk image (MBR, one ext4 partition: mke2fs -d, no loop mount),
#    booted by U-Boot (tests/uboot/u-boot.sh: Debian's u-boot source,
#    qemu_arm with CONFIG_OF_LIBFDT_OVERLAY) under qemu-system-arm -M virt
#    -cpu cortex-a15 (TCG): U-Boot reads the extlinux.conf that u-boot-menu
#    wrote, loads the kernel, initrd and base DTB and applies the overlay;
#    systemd and udev start. First boot: TPM4 enabled by the overlay, the
#    module autoloaded by modalias from updates/dkms and bound, non-root
#    access, the documents' "board" examples (as root and as member), the
#    packaged selftest, then "apt-get remove pwm-imx-tpm-dkms" in the guest.
#    Second boot: the module is gone (not loaded, no file, nothing bound).
#
# Serial logs: tests/logs/e2e/<suite>-boot{1,2}.log. Ends with
# "check-e2e: N passed, M failed"; missing tools or packages are failures.
# Environment: IMX_TPM_PWM_CACHE, CHECK_E2E_TIMEOUT (seconds per boot,
# default 1800: boot 1 took 844 s beside make check's other lane),
# CHECK_E2E_SELFTEST_ARGS (options of the selftest's own run in the guest,
# default "-S -q": all 6 channels, about 8 min under TCG; "-S -q -C 0,5"
# took 289 s; "none": no run of its own, the README's example, which runs it
# on channel 3, is then the only one), CHECK_E2E_KEEP=1 (keep the work directory), CHECK_E2E_LOGDIR,
# IMX_TPM_PWM_E2E_REBUILD=1 (build the cached root filesystems again), and
# those of tests/lib/debian.sh.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$here/../lib/debian.sh"
DEB_LOG_PREFIX=check-e2e

PKG=pwm-imx-tpm-dkms
MOD=pwm-imx-tpm
ARCH=armhf
RAM_MB=512
TIMEOUT=${CHECK_E2E_TIMEOUT:-1800}
LOGDIR=${CHECK_E2E_LOGDIR:-$top/tests/logs/e2e}
PARAM_VALUE=0x00100006 # PARAM: 6 channels, WIDTH 16 (as tests/vm/vm.sh)
BAD_RE='WARNING:|BUG:|Oops|Kernel panic|Call [Tt]race'
# what the image has besides debootstrap's minbase
ROOT_PKGS=(linux-image-armmp linux-headers-armmp dkms udev kmod systemd-sysv
	initramfs-tools adduser u-boot-menu device-tree-compiler python3-periphery)
# Where the TPM's register page is: below the top of RAM that U-Boot takes
# for itself (relocated code, malloc area: it would clear the preloaded
# PARAM), in lowmem.
TPM_PAGE=0x50000000
# The kernel command line of both boots, as a board image's
# /etc/default/u-boot sets it (u-boot-menu adds root= from /etc/fstab).
BOOT_PARAMETERS="rw console=ttyAMA0 panic=-1 cryptomgr.notests loglevel=5 fsck.mode=skip systemd.mask=serial-getty@ttyAMA0.service systemd.mask=getty@tty1.service systemd.mask=apt-daily.timer systemd.mask=apt-daily-upgrade.timer systemd.mask=e2scrub_reap.service"

# shellcheck source=../lib/checks.sh source-path=SCRIPTDIR
. "$top/tests/lib/checks.sh"
# The guest check that e2e_configure installs (tests/vendor/check-vendor-e2e.sh,
# which sources this file for its functions, installs its own).
E2E_GUEST=$here/check-e2e-guest.sh

# --- the cached base root filesystem ------------------------------------------

e2e_dir() {
	printf '%s/e2e/%s-%s\n' "$(deb_cache_dir)" "$1" "$ARCH"
}

# rootfs SUITE: make sure the cached root filesystem of SUITE is there and
# has the archive's current linux-image-armmp; print its directory.
rootfs() {
	local suite=$1 d want have
	d=$(e2e_dir "$suite")
	want=
	if deb_apt_update "$suite" "$ARCH" >/dev/null; then
		want=$(deb_candidate "$suite" "$ARCH" linux-image-armmp)
	else
		deb_log "note: no $suite $ARCH index; using the cached root filesystem as it is"
	fi
	# the archive's candidate when it was built: the host's index has
	# -security, which the image cannot use, so the kernel installed may be
	# older than the candidate; compare like with like
	have=$(sed -n 's/^candidate linux-image-armmp //p' "$d/versions" 2>/dev/null)
	local p lacks=
	for p in "${ROOT_PKGS[@]}"; do
		grep -q "^$p " "$d/versions" 2>/dev/null || lacks="$lacks $p"
	done
	[[ -z $lacks || ! -e $d/root.ok ]] || deb_log "$suite: the cached root filesystem lacks$lacks: building it again"
	if [[ ! -e $d/root.ok || ${IMX_TPM_PWM_E2E_REBUILD:-0} == 1 || -n $lacks ]] ||
		[[ -n $want && $want != "$have" ]]; then
		deb_with_lock "e2e-$suite-$ARCH" rootfs_build "$suite" "$d" "$want" || return 1
	fi
	[[ -e $d/root.ok ]] || return 1
	printf '%s\n' "$d/root"
}

rootfs_build() {
	local suite=$1 d=$2 want=$3 have r log t0=$SECONDS
	# the archive's candidate when it was built: the host's index has
	# -security, which the image cannot use, so the kernel installed may be
	# older than the candidate; compare like with like
	have=$(sed -n 's/^candidate linux-image-armmp //p' "$d/versions" 2>/dev/null)
	local p lacks=
	for p in "${ROOT_PKGS[@]}"; do
		grep -q "^$p " "$d/versions" 2>/dev/null || lacks="$lacks $p"
	done
	if [[ -e $d/root.ok && ${IMX_TPM_PWM_E2E_REBUILD:-0} != 1 && -z $lacks ]] &&
		[[ -z $want || $want == "$have" ]]; then
		return 0 # built meanwhile by someone else
	fi
	mkdir -p "$d"
	r=$d/root.tmp
	log=$d/build.log
	rm -rf "$d/root" "$d/root.ok" "$r"
	deb_log "$suite $ARCH: debootstrap (second stage through qemu-user; log: $log)"
	if ! deb_retry 2 rootfs_debootstrap "$suite" "$r" "$log"; then
		tail -n 20 "$log" >&2
		return 1
	fi
	# -updates if its index can be fetched; never -security (broken here)
	{
		echo "deb $DEB_MIRROR $suite main"
		echo "deb $DEB_MIRROR $suite-updates main"
	} >"$r/etc/apt/sources.list"
	if ! deb_retry "$DEB_RETRIES" deb_chroot_run "$r" apt-get update -q >>"$log" 2>&1; then
		deb_log "note: $suite-updates $ARCH index unavailable; main suite only"
		echo "deb $DEB_MIRROR $suite main" >"$r/etc/apt/sources.list"
		deb_retry "$DEB_RETRIES" deb_chroot_run "$r" apt-get update -q >>"$log" 2>&1 || {
			tail -n 20 "$log" >&2
			return 1
		}
	fi
	# The initramfs with just what the virt board's root needs:
	# MODULES=most takes many minutes under qemu-user (one modprobe per
	# module); this is the only change to Debian's defaults.
	mkdir -p "$r/etc/initramfs-tools/conf.d"
	echo MODULES=list >"$r/etc/initramfs-tools/conf.d/check-e2e.conf"
	mkdir -p "$r/usr/share/initramfs-tools/modules.d"
	printf '%s\n' virtio_mmio virtio_blk ext4 >"$r/usr/share/initramfs-tools/modules.d/check-e2e"
	deb_log "$suite $ARCH: apt-get install ${ROOT_PKGS[*]} (qemu-user)"
	if ! deb_retry 2 deb_chroot_run "$r" apt-get install -y -q --no-install-recommends \
		"${ROOT_PKGS[@]}" >>"$log" 2>&1; then
		tail -n 20 "$log" >&2
		return 1
	fi
	deb_chroot_run "$r" apt-get clean
	deb_chroot_run "$r" dpkg-query -W -f '${db:Status-Abbrev} ${Package} ${Version}\n' \
		"${ROOT_PKGS[@]}" 'linux-image-[0-9]*' 'linux-headers-[0-9]*' 2>/dev/null |
		sed -n 's/^ii  *//p' >"$d/versions"
	cat "$r/etc/apt/sources.list" >>"$d/versions"
	[[ -z $want ]] || echo "candidate linux-image-armmp $want" >>"$d/versions"
	mv "$r" "$d/root"
	touch "$d/root.ok"
	deb_log "$suite $ARCH: root filesystem ready in $((SECONDS - t0)) s"
}

rootfs_debootstrap() {
	local suite=$1 dir=$2 log=$3
	rm -rf "$dir"
	unshare --mount --propagation private --fork \
		debootstrap --arch="$ARCH" --variant=minbase --components=main \
		--include=systemd-sysv,udev,kmod --keyring="$DEB_KEYRING" \
		"$suite" "$dir" "$DEB_MIRROR" >"$log" 2>&1
}

# --- one suite ----------------------------------------------------------------

# The board's base DTB: tests/vm/vm.sh's make_dtb, in its own shell (vm.sh
# sets its own globals; sourced, it only defines them), with TPM4 where the
# i.MX7ULP devicetree has it and disabled, as the EVK's vendor devicetree
# leaves the TPMs it does not use: the package's overlay enables it. With a
# panel backlight on its channel 1 (pwm-backlight, <&tpm 1 50000 0>), as
# EA's uCOM kit has while its TPM4 is disabled: enabling TPM4 starts it, and
# it then holds the shared counter at 50 us (BACKLIGHT=1; E2E_BACKLIGHT=0
# leaves it out).
# Prints the TPM's base address.
e2e_dtb() {
	VM_TPM_BASE=$TPM_PAGE VM_TPM_LAYOUT=imx7ulp-disabled BACKLIGHT=${E2E_BACKLIGHT:-1} \
		bash -c '. "$1" && qemu_cmd "$2" && make_dtb "$3" "$2" "$4" "$QEMU" "${QARGS[@]}" >&2 &&
		printf "%s\n" "$TPM_BASE"' sh "$top/tests/vm/vm.sh" "$ARCH" "$1" "$RAM_MB"
}

# evk_dtb OUT: mainline's i.MX7ULP EVK DTB, built from Debian's
# linux-source 6.12 (trixie; the tree check-dtbo uses, cached): the board
# DTB a vendor image keeps in /boot, for the overlay README's fdtget and
# fdtoverlay examples (the emulated board boots its own).
evk_dtb() {
	local src dts=arch/arm/boot/dts/nxp/imx
	src=$(deb_linux_source_series trixie 6.12 "$dts/imx7ulp-evk.dts" "$dts/imx7ulp.dtsi" \
		"$dts/imx7ulp-pinfunc.h" include/dt-bindings include/uapi/linux/input-event-codes.h) ||
		return 1
	cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp -I "$src/$dts" -I "$src/include" \
		-o "$W/evk.dts" "$src/$dts/imx7ulp-evk.dts" &&
		dtc -q -I dts -O dtb -o "$1" "$W/evk.dts"
}

# disk_image ROOT IMG MIB: IMG, an MBR with one bootable Linux partition
# from 1 MiB on, holding an ext4 file system of ROOT of MIB MiB (mke2fs -d,
# no loop mount), as a board's SD card has.
disk_image() {
	local r=$1 img=$2 mib=$3
	rm -f "$img"
	truncate -s $(((mib + 1) * 1024 * 1024)) "$img" &&
		python3 - "$img" "$mib" <<'EOF' &&
import struct, sys
img, mib = sys.argv[1], int(sys.argv[2])
entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x83, b"\xfe\xff\xff",
                    2048, mib * 2048)
with open(img, "r+b") as f:
    f.seek(446)
    f.write(entry + bytes(48) + b"\x55\xaa")
EOF
		mke2fs -q -t ext4 -L root -d "$r" -E offset=1048576 "$img" "${mib}M"
}

# The image's own configuration: fstab, users, the check unit.
e2e_configure() {
	local r=$1 token=$2
	printf '/dev/vda1 / ext4 rw,errors=remount-ro 0 1\n' >"$r/etc/fstab"
	# The board's boot configuration, for u-boot-menu (which writes
	# /boot/extlinux/extlinux.conf): its base DTB (TPM4 disabled) and
	# kernel command line, one entry, no menu delay.
	cat >>"$r/etc/default/u-boot" <<EOF

# check-e2e's emulated board (tests/deb/check-e2e.sh)
U_BOOT_FDT="/boot/e2e-board.dtb"
U_BOOT_PARAMETERS="$BOOT_PARAMETERS"
U_BOOT_ALTERNATIVES="default"
U_BOOT_TIMEOUT="1"
EOF
	echo e2e-armhf >"$r/etc/hostname"
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$r/etc/machine-id"
	echo >>"$r/etc/machine-id"
	mkdir -p "$r/var/lib/e2e" "$r/usr/local/sbin" "$r/etc/systemd/system/multi-user.target.wants"
	echo installed >"$r/var/lib/e2e/phase"
	echo "$token" >"$r/var/lib/e2e/token"
	echo "${CHECK_E2E_SELFTEST_ARGS:--S -q}" >"$r/var/lib/e2e/selftest-args"
	install -m 755 "$E2E_GUEST" "$r/usr/local/sbin/e2e-check"
	install -D -m 644 "$here/e2e-checks.sh" "$r/usr/local/lib/e2e-checks.sh"
	cat >"$r/etc/systemd/system/e2e-check.service" <<'EOF'
[Unit]
Description=imx-tpm-pwm end-to-end check (tests/deb/check-e2e-guest.sh)
After=systemd-udev-trigger.service systemd-udevd.service local-fs.target systemd-user-sessions.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/e2e-check
ExecStopPost=/bin/systemctl --no-block poweroff
StandardOutput=tty
StandardError=inherit
TTYPath=/dev/console
TTYReset=no
TTYVHangup=no
# no limit of its own: the host's QEMU timeout bounds the boot (seen: a
# 1200 s limit ran out under load after every check had passed)
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
	ln -sf /etc/systemd/system/e2e-check.service \
		"$r/etc/systemd/system/multi-user.target.wants/e2e-check.service"
	deb_chroot_run "$r" /bin/sh -c 'set -e
		id member >/dev/null 2>&1 || adduser --quiet --disabled-password --gecos "" member
		id other >/dev/null 2>&1 || adduser --quiet --disabled-password --gecos "" other'
}

# image_ok ROOT KVER: kernel, headers (the build link is absolute: resolved
# in the chroot), dkms, udevadm and systemd are there.
image_ok() {
	[[ -n $2 ]] || {
		echo "no kernel in /lib/modules"
		return 1
	}
	deb_chroot_run "$1" /bin/sh -c 'for f in /boot/vmlinuz-"$1" /boot/initrd.img-"$1" \
		/lib/modules/"$1"/build/Makefile /usr/sbin/dkms /bin/udevadm /lib/systemd/systemd; do
		[ -e "$f" ] || { echo "missing: $f"; exit 1; }
	done' sh "$2"
}

# doc_in_image ROOT N LOG: the extracted example N (/tmp/doc-N.sh) in the
# chroot ROOT, as root, in /tmp.
doc_in_image() {
	mkdir -p "${3%/*}"
	deb_chroot_run "$1" /usr/bin/env DEBIAN_FRONTEND=noninteractive /bin/sh -c \
		'cd /tmp && sh "/tmp/doc-$1.sh"' sh "$2" >"$3" 2>&1
}

# module_in_chroot ROOT KVER VERSION: the module DKMS installed.
module_in_chroot() {
	local r=$1 k=$2 v=$3 f
	f=$(find "$r/lib/modules/$k/updates/dkms" -name "$MOD.ko*" 2>/dev/null | head -n 1)
	[[ -n $f ]] || {
		echo "no $MOD.ko* in /lib/modules/$k/updates/dkms"
		deb_chroot_run "$r" dkms status
		return 1
	}
	echo "${f#"$r"}"
	deb_chroot_run "$r" /bin/sh -c 'modinfo -F version "$1"; modinfo -F vermagic "$1"' sh "${f#"$r"}" >"$work/modinfo" || return 1
	cat "$work/modinfo"
	[[ $(sed -n 1p "$work/modinfo") == "$v" && $(sed -n 2p "$work/modinfo") == "$k "* ]]
}

# boot NAME: boot the disk image; the serial log goes to LOGDIR/NAME.log.
# Sets GRC (the guest check's exit status, empty if none came back) and
# BOOT_SECS.
boot() {
	local name=$1 log=$LOGDIR/$1.log rc=0 t0=$SECONDS
	local -a cmd=(timeout -k 10 "$TIMEOUT" qemu-system-arm -M virt -cpu cortex-a15 -m "$RAM_MB" -smp 1
		-nographic -no-reboot -bios "$UBOOT" -nic none
		-device "loader,addr=$(printf '0x%x' $((TPM_BASE + 4))),data=$PARAM_VALUE,data-len=4"
		-drive "file=$W/disk.img,format=raw,if=none,id=hd0,cache=unsafe"
		-device "virtio-blk-device,drive=hd0")
	mkdir -p "$LOGDIR"
	printf '# check-e2e %s: %s\n# %s\n' "$name" "$KVER" "${cmd[*]}" >"$log"
	"${cmd[@]}" </dev/null >>"$log" 2>&1 || rc=$?
	BOOT_SECS=$((SECONDS - t0))
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	GRC=$(awk -v m="e2e-exit-$TOKEN" 'index($0, m) { if (on) exit; on = 1; next } on && /^[0-9]+$/ { print; exit }' "$log")
	deb_log "$name: qemu exit $rc after $BOOT_SECS s, guest check exit ${GRC:-none} (log: ${log#"$top"/})"
}

# guest_results NAME: the guest's checks from the serial log as results.
guest_results() {
	local name=$1 log=$LOGDIR/$1.log plan line problems
	check "$name: booted, the guest check ran and reported an exit status (${BOOT_SECS} s)" test -n "$GRC" ||
		tail -n 20 "$log" | sed 's/^/    /'
	plan=$(sed -nE 's/^e2e: plan ([0-9]+)$/\1/p' "$log" | head -n 1)
	while IFS= read -r line; do
		case $line in
		"e2e: ok "*) ok "$name: ${line#e2e: ok }" ;;
		"e2e: FAIL "*) bad "$name: ${line#e2e: FAIL }" ;;
		esac
	done < <(grep -E '^e2e: (ok|FAIL) ' "$log")
	check "$name: all ${plan:-?} planned guest checks reported" \
		test "$(grep -cE '^e2e: (ok|FAIL) ' "$log")" = "${plan:-none}"
	# the kernel's lines: not the guest check's own ("e2e: ...", which
	# quote what the user's commands print)
	problems=$(grep -v '^e2e: ' "$log" | grep -E "$BAD_RE" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' | awk '!seen[$0]++')
	check "$name: no kernel warnings, BUGs or oopses on the console" test -z "$problems" ||
		printf '%s\n' "$problems" | head -n 10 | sed 's/^/    /'
	grep -E '^e2e: (guest up|node|modinfo|chip|selftest|doc |[a-z]+: [0-9]+ passed)' "$log" | sed "s/^/  $name: /"
}

suite_run() {
	local s=$1 base r t0=$SECONDS t1 ver size
	W=$work/$s
	mkdir -p "$W"
	deb_log "$s: root filesystem"
	base=$(rootfs "$s")
	check "$s: cached armhf root filesystem ($(e2e_dir "$s"))" test -n "$base" -a -d "$base" || return 0
	t1=$((SECONDS - t0))
	KVER=$(find "$base/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
	check "$s: the image has kernel $KVER with its headers, dkms, udev, systemd" \
		image_ok "$base" "$KVER" || return 0
	deb_log "$s: kernel $KVER; $(tr '\n' ';' <"$(e2e_dir "$s")/versions")"

	r=$W/root
	deb_log "$s: copy of the root filesystem"
	cp -a "$base" "$r" || {
		bad "$s: copy of the root filesystem"
		return 0
	}
	TOKEN=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
	TPM_BASE=$(e2e_dtb "$W" 2>"$W/dtb.log")
	check "$s: base DTB with TPM4 at /bus@40000000/pwm@40250000, disabled (registers at ${TPM_BASE:-?})" \
		bash -c '[ "$(fdtget "$1" /bus@40000000/pwm@40250000 status)" = disabled ]' sh "$W/virt.dtb" ||
		{ cat "$W/dtb.log"; return 0; }
	cp "$W/virt.dtb" "$r/boot/e2e-board.dtb"
	check "$s: /boot/imx7ulp-evk.dtb: mainline's EVK DTB (Debian's linux-source 6.12), for the documents' examples" \
		evk_dtb "$r/boot/imx7ulp-evk.dtb"
	check "$s: image configured (fstab, /etc/default/u-boot, users member and other, e2e-check.service)" \
		e2e_configure "$r" "$TOKEN" || return 0
	check "$s: u-boot-update: extlinux.conf with the board's DTB and no overlay" \
		deb_chroot_run "$r" /bin/sh -c 'u-boot-update >/dev/null 2>&1 &&
			grep -q "^	fdt /boot/e2e-board.dtb$" /boot/extlinux/extlinux.conf &&
			! grep -q fdtoverlays /boot/extlinux/extlinux.conf || { cat /boot/extlinux/extlinux.conf; exit 1; }'

	# The documents' examples (tests/deb/doc-examples.py): those a user
	# runs before the first boot now, in the image, as root, in /tmp with
	# the package there (the README's "apt install ./pwm-imx-tpm-dkms_*");
	# the board's at boot 1 (tests/deb/check-e2e-guest.sh).
	local docs=$W/docs n phase lang where ti=$SECONDS
	check "$s: the examples of README.md and dts-overlays/README.md extracted" \
		"$top/tests/deb/doc-examples.py" extract "$docs" "$top/README.md" "$top/dts-overlays/README.md" ||
		return 0
	sed -i "s|$top/||" "$docs/manifest"
	cp "$NEW" "$r/tmp/"
	while read -r n phase lang where; do
		[[ $phase == image ]] || continue
		cp "$docs/$n.$lang" "$r/tmp/doc-$n.sh"
		check "$s: doc example $where (in the image, as root) exit 0" \
			doc_in_image "$r" "$n" "$LOGDIR/$s-doc-$n.log"
		sed 's/^/    | /' "$LOGDIR/$s-doc-$n.log" | tail -n 25
		rm -f "$r/tmp/doc-$n.sh"
	done <"$docs/manifest"
	deb_log "$s: the image's examples (install with the DKMS build, overlay) took $((SECONDS - ti)) s"
	check "$s: $MOD $VERSION in /lib/modules/$KVER/updates/dkms (vermagic $KVER)" \
		module_in_chroot "$r" "$KVER" "$VERSION"
	check "$s: extlinux.conf (u-boot-update) applies /boot/dtbo/imx7ulp-tpm4.dtbo, copied from the package" \
		deb_chroot_run "$r" /bin/sh -c 'grep -Eq "^	fdtoverlays +/boot/dtbo/imx7ulp-tpm4.dtbo$" /boot/extlinux/extlinux.conf &&
			cmp /boot/dtbo/imx7ulp-tpm4.dtbo /usr/lib/pwm-imx-tpm/overlays/imx7ulp-tpm4.dtbo ||
			{ cat /boot/extlinux/extlinux.conf; exit 1; }'
	check "$s: adduser member pwm (the group the package made)" \
		deb_chroot_run "$r" /bin/sh -c 'adduser --quiet member pwm && getent group pwm | grep -qw member'
	rm -f "$r/tmp/${NEW##*/}"
	mkdir -p "$r/usr/local/lib/e2e-docs"
	cp "$docs"/* "$r/usr/local/lib/e2e-docs/"
	chmod -R a+rX "$r/usr/local/lib/e2e-docs"

	# U-Boot and the disk image: U-Boot reads /boot/extlinux/extlinux.conf
	# from the disk, loads the kernel, initrd and base DTB, and applies the
	# overlays of "fdtoverlays" (CONFIG_OF_LIBFDT_OVERLAY).
	UBOOT=$("$top/tests/uboot/u-boot.sh" build 2>"$W/u-boot.log")/u-boot.bin
	check "$s: U-Boot for qemu_arm with CONFIG_OF_LIBFDT_OVERLAY (tests/uboot/u-boot.sh)" test -s "$UBOOT" ||
		{ tail -n 20 "$W/u-boot.log"; return 0; }
	size=$(du -sm "$r" | cut -f1)
	size=$((size + 768))
	check "$s: disk image: MBR, one ext4 partition of the root filesystem (${size} MiB)" \
		disk_image "$r" "$W/disk.img" "$size" || return 0
	rm -rf "$r"

	deb_log "$s: boot 1 (package installed; timeout $TIMEOUT s)"
	boot "$s-boot1"
	check "$s-boot1: U-Boot loaded the overlay from extlinux.conf and applied it" \
		bash -c 'grep -q "^Retrieving file: /boot/dtbo/imx7ulp-tpm4.dtbo" "$1" &&
			! grep -q "^Failed to apply overlay\|^Failed loading overlay\|^Invalid fdtoverlay_addr_r" "$1" ||
			{ grep -E "^(Retrieving|Failed|Invalid|Scanning|Skipping|.*extlinux)" "$1"; exit 1; }' sh "$LOGDIR/$s-boot1.log"
	guest_results "$s-boot1"
	# The README's selftest example (channel 3, static registers, the
	# backlight holding channel 1): its skips against the budget of its
	# path, dt-bl, on the image's kernel (tests/vm/budget.sh)
	local tot ks kx
	tot=$(sed -n 's/.*e2e: README selftest: # Totals: //p' "$LOGDIR/$s-boot1.log" | tail -n 1)
	ks=$(sed -nE 's/.*skip:([0-9]+).*/\1/p' <<<"$tot")
	kx=$(sed -nE 's/.*xfail:([0-9]+).*/\1/p' <<<"$tot")
	check "$s-boot1: the README's selftest within its skip budget (${tot:-no totals})" \
		bash -c '[[ -n $5 && -n $6 ]] && . "$1" && ktap_budget_check "$2" dt-bl "$3" "$4" "$5" "$6"' \
		sh "$top/tests/vm/budget.sh" "$s README selftest" "$KVER" 1 "$ks" "$kx"
	local b1=$BOOT_SECS
	deb_log "$s: boot 2 (after apt-get remove in boot 1)"
	# the guest kept the token; the second boot reports with it again
	boot "$s-boot2"
	guest_results "$s-boot2"
	ver=$(sed -n 's/^linux-image-armmp //p' "$(e2e_dir "$s")/versions")
	deb_log "$s: $((SECONDS - t0)) s (root filesystem ${t1} s, boot 1 ${b1} s, boot 2 ${BOOT_SECS} s; linux-image-armmp $ver)"
	printf '%s %s %s %s %s\n' "$s" "$((SECONDS - t0))" "$t1" "$b1" "$BOOT_SECS" >>"$work/times"
	rm -rf "$W"
}

# host_ready: root, the host tools, binfmt_misc with qemu-arm, mke2fs -d;
# a failed one ends the run (finish).
host_ready() {
	local t missing=()
	[[ $EUID == 0 ]] || {
		bad "runs as root (debootstrap, chroot)"
		finish
	}
	for t in debootstrap qemu-system-arm qemu-arm-static mke2fs dtc fdtget python3 dpkg-deb \
		dpkg-parsechangelog unshare chroot flock timeout truncate; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	check "host tools present${missing[*]:+ (missing: ${missing[*]}; run tests/deps.sh)}" \
		test ${#missing[@]} -eq 0 || finish
	# a fresh machine may not have binfmt_misc mounted, or qemu-arm
	# registered yet (qemu-user-static registers it through binfmt-support)
	if [[ ! -e /proc/sys/fs/binfmt_misc/status ]]; then
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
	fi
	if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-arm ]] && command -v update-binfmts >/dev/null; then
		update-binfmts --enable qemu-arm >/dev/null 2>&1 || true
	fi
	check "binfmt_misc runs armhf binaries through qemu-user (qemu-arm, flag F)" \
		grep -qx 'flags: .*F.*' /proc/sys/fs/binfmt_misc/qemu-arm || finish
	check "mke2fs supports -d (populate from a directory)" \
		bash -c 'mke2fs 2>&1 | grep -q -- "-d "' || finish
}

main() {
	local s t t1 b1 b2 dver
	debdir=${1:?usage: $0 DEBDIR [SUITE...]}
	shift
	SUITES=("$@")
	((${#SUITES[@]})) || SUITES=(bookworm trixie)
	CHECKS_KEEP=${CHECK_E2E_KEEP:-0}
	checks_init check-e2e
	host_ready
	VERSION=$(cat "$top/VERSION")
	dver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
	NEW=$debdir/${PKG}_${dver}_all.deb
	check "package ${NEW##*/} built (make deb)" test -f "$NEW" || finish
	for s in "${SUITES[@]}"; do
		rm -f "$LOGDIR/$s"-*.log
		suite_run "$s"
	done
	if [[ -s $work/times ]]; then
		while read -r s t t1 b1 b2; do
			deb_log "time $s: ${t} s (root filesystem ${t1} s, boot 1 ${b1} s, boot 2 ${b2} s)"
		done <"$work/times"
	fi
	finish
}

# sourced by tests/vendor/check-vendor-e2e.sh for its functions
[[ ${BASH_SOURCE[0]} != "$0" ]] || main "$@"
