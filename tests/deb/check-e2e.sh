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
#    initramfs-tools and adduser from the main suite (and -updates when its
#    index can be fetched; this mirror's armhf -security indices are broken,
#    so -security is not used). Cached in
#    $IMX_TPM_PWM_CACHE/e2e/<suite>-armhf/root (".ok" marks a finished one,
#    "versions" lists what it has); built again when missing or when the
#    archive's linux-image-armmp has moved on (index age: tests/lib/debian.sh).
# 2. A copy of it; in a chroot there (qemu-user),
#    "apt-get install ./pwm-imx-tpm-dkms_*.deb": DKMS builds the module
#    natively for the image's kernel into /lib/modules/<kver>/updates/dkms.
#    Two users: "member" (in group pwm) and "other"; the guest check
#    (tests/deb/check-e2e-guest.sh) as a oneshot systemd unit that writes to
#    the serial console and powers off.
# 3. An ext4 disk image of the copy (mke2fs -d, no loop mount), booted with
#    its own kernel and initrd under qemu-system-arm -M virt -cpu cortex-a15
#    (TCG, virtio-blk root, systemd and udev) and the DTB of tests/vm/vm.sh
#    (make_dtb: QEMU's virt DTB plus a fixed clock and a "fsl,imx7ulp-pwm"
#    node on a no-map RAM page, PARAM preloaded). First boot: autoload by
#    modalias from updates/dkms, binding, non-root access, the packaged
#    selftest -S -q, then "apt-get remove pwm-imx-tpm-dkms" in the guest.
#    Second boot: the module is gone (not loaded, no file, nothing bound).
#
# Serial logs: tests/logs/e2e/<suite>-boot{1,2}.log. Ends with
# "check-e2e: N passed, M failed"; missing tools or packages are failures.
# Environment: IMX_TPM_PWM_CACHE, CHECK_E2E_TIMEOUT (seconds per boot,
# default 1800: boot 1 took 844 s beside make check's other lane),
# CHECK_E2E_SELFTEST_ARGS (options of the selftest in the guest, default
# "-S -q": all 6 channels, about 8 min under TCG; "-S -q -C 0,5"
# takes a fraction of that), CHECK_E2E_KEEP=1 (keep the work directory), CHECK_E2E_LOGDIR,
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
	initramfs-tools adduser)

debdir=${1:?usage: $0 DEBDIR [SUITE...]}
shift
SUITES=("$@")
((${#SUITES[@]})) || SUITES=(bookworm trixie)
# shellcheck source=../lib/checks.sh source-path=SCRIPTDIR
. "$top/tests/lib/checks.sh"
CHECKS_KEEP=${CHECK_E2E_KEEP:-0}
checks_init check-e2e

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
	have=$(sed -n 's/^linux-image-armmp //p' "$d/versions" 2>/dev/null)
	if [[ ! -e $d/root.ok || ${IMX_TPM_PWM_E2E_REBUILD:-0} == 1 ]] ||
		[[ -n $want && $want != "$have" ]]; then
		deb_with_lock "e2e-$suite-$ARCH" rootfs_build "$suite" "$d" "$want" || return 1
	fi
	[[ -e $d/root.ok ]] || return 1
	printf '%s\n' "$d/root"
}

rootfs_build() {
	local suite=$1 d=$2 want=$3 have r log t0=$SECONDS
	have=$(sed -n 's/^linux-image-armmp //p' "$d/versions" 2>/dev/null)
	if [[ -e $d/root.ok && ${IMX_TPM_PWM_E2E_REBUILD:-0} != 1 ]] &&
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

# The DTB: tests/vm/vm.sh's make_dtb, in its own shell (vm.sh sets its own
# globals; sourced, it only defines them). Prints the TPM's base address.
e2e_dtb() {
	bash -c '. "$1" && qemu_cmd "$2" && make_dtb "$3" "$2" "$4" "$QEMU" "${QARGS[@]}" >&2 &&
		printf "%s\n" "$TPM_BASE"' sh "$top/tests/vm/vm.sh" "$ARCH" "$1" "$RAM_MB"
}

# The image's own configuration: fstab, users, the check unit.
e2e_configure() {
	local r=$1 token=$2
	printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$r/etc/fstab"
	echo e2e-armhf >"$r/etc/hostname"
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$r/etc/machine-id"
	echo >>"$r/etc/machine-id"
	mkdir -p "$r/var/lib/e2e" "$r/usr/local/sbin" "$r/etc/systemd/system/multi-user.target.wants"
	echo installed >"$r/var/lib/e2e/phase"
	echo "$token" >"$r/var/lib/e2e/token"
	echo "${CHECK_E2E_SELFTEST_ARGS:--S -q}" >"$r/var/lib/e2e/selftest-args"
	install -m 755 "$here/check-e2e-guest.sh" "$r/usr/local/sbin/e2e-check"
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
TimeoutStartSec=1200

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

# install_pkg ROOT DEB LOG: apt-get install ./DEB in the chroot ROOT.
install_pkg() {
	mkdir -p "${3%/*}"
	deb_chroot_run "$1" apt-get install -y -q --no-install-recommends "/tmp/$2" >"$3" 2>&1 || {
		tail -n 30 "$3"
		return 1
	}
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
		-nographic -no-reboot -kernel "$W/vmlinuz" -initrd "$W/initrd.img" -dtb "$W/virt.dtb"
		-device "loader,addr=$(printf '0x%x' $((TPM_BASE + 4))),data=$PARAM_VALUE,data-len=4"
		-drive "file=$W/disk.img,format=raw,if=none,id=hd0,cache=unsafe"
		-device "virtio-blk-device,drive=hd0"
		-append "root=/dev/vda rw console=ttyAMA0 panic=-1 cryptomgr.notests loglevel=5 fsck.mode=skip systemd.mask=serial-getty@ttyAMA0.service systemd.mask=getty@tty1.service systemd.mask=apt-daily.timer systemd.mask=apt-daily-upgrade.timer systemd.mask=e2scrub_reap.service")
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
	problems=$(grep -E "$BAD_RE" "$log" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' | awk '!seen[$0]++')
	check "$name: no kernel warnings, BUGs or oopses on the console" test -z "$problems" ||
		printf '%s\n' "$problems" | head -n 10 | sed 's/^/    /'
	grep -E '^e2e: (guest up|node|modinfo|chip|selftest|[a-z]+: [0-9]+ passed)' "$log" | sed "s/^/  $name: /"
}

suite_run() {
	local s=$1 base r t0=$SECONDS t1 ver size kimg
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
	check "$s: image configured (fstab, users member and other, e2e-check.service)" \
		e2e_configure "$r" "$TOKEN" || return 0
	cp "$NEW" "$r/tmp/"
	deb_log "$s: apt-get install ./${NEW##*/} in the chroot (DKMS under qemu-user)"
	local ti=$SECONDS
	check "$s: apt-get install ./${NEW##*/} (chroot, qemu-user) exit 0" \
		install_pkg "$r" "${NEW##*/}" "$LOGDIR/$s-install.log"
	deb_log "$s: install with the DKMS build took $((SECONDS - ti)) s"
	check "$s: $MOD $VERSION in /lib/modules/$KVER/updates/dkms (vermagic $KVER)" \
		module_in_chroot "$r" "$KVER" "$VERSION"
	check "$s: adduser member pwm (the group the package made)" \
		deb_chroot_run "$r" /bin/sh -c 'adduser --quiet member pwm && getent group pwm | grep -qw member'
	rm -f "$r/tmp/${NEW##*/}"

	# kernel, initrd, DTB, disk image
	kimg=$r/boot/vmlinuz-$KVER
	cp "$kimg" "$W/vmlinuz" && cp "$r/boot/initrd.img-$KVER" "$W/initrd.img"
	check "$s: kernel and initrd of the image (/boot/*-$KVER)" test -s "$W/vmlinuz" -a -s "$W/initrd.img" || return 0
	TPM_BASE=$(e2e_dtb "$W" 2>"$W/dtb.log")
	check "$s: DTB with the fsl,imx7ulp-pwm node (tests/vm/vm.sh make_dtb) at ${TPM_BASE:-?}" \
		test -n "$TPM_BASE" -a -s "$W/virt.dtb" || { cat "$W/dtb.log"; return 0; }
	size=$(du -sm "$r" | cut -f1)
	size=$((size + 768))
	check "$s: ext4 disk image of the root filesystem (mke2fs -d, ${size} MiB)" \
		mke2fs -q -t ext4 -L root -d "$r" "$W/disk.img" "${size}M" || return 0
	rm -rf "$r"

	deb_log "$s: boot 1 (package installed; timeout $TIMEOUT s)"
	boot "$s-boot1"
	guest_results "$s-boot1"
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

main() {
	local t missing=() s
	[[ $EUID == 0 ]] || {
		bad "runs as root (debootstrap, chroot)"
		finish
	}
	for t in debootstrap qemu-system-arm qemu-arm-static mke2fs dtc dpkg-deb dpkg-parsechangelog \
		unshare chroot flock timeout; do
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
	VERSION=$(cat "$top/VERSION")
	local dver
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

main "$@"
