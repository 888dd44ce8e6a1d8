#!/bin/bash
# Functions here run through check (SC2317); the single-quoted scripts are
# expanded by their own shell (SC2016).
# shellcheck disable=SC2317,SC2016
#
# tests/vendor/check-vendor-e2e.sh DEBDIR - the user's whole path on a
# vendor-style BSP image, with the package that "make deb" built into
# DEBDIR (make check-vendor-e2e):
#
# 1. The vendor's kernel (tests/vendor/vendor-kernel.sh, cached): Debian's
#    linux-source-6.1 configured like NXP's imx_v7_defconfig where it
#    matters (CONFIG_PWM_IMX_TPM=y), cross-compiled here and packaged with
#    make bindeb-pkg, so linux-headers carries amd64 host tools.
# 2. The image: a copy of check-e2e's cached Debian trixie armhf root
#    filesystem (tests/deb/check-e2e.sh, whose functions this script uses)
#    with Debian's kernel packages purged and the vendor's linux-image and
#    linux-headers installed from the .deb files (dpkg -i, qemu-user); the
#    board's DTB with TPM4 enabled, as a vendor devicetree that uses it has
#    it, so the built-in driver binds it at boot; users member and other;
#    gcc and libc6-dev in apt's cache (the image has gcc-14 only, which
#    satisfies dkms; the guest has no network); the package's .deb in
#    /root; the guest check (tests/vendor/check-vendor-e2e-guest.sh) as a
#    boot unit.
# 3. Four boots through U-Boot (extlinux.conf from u-boot-menu) under
#    qemu-system-arm: the guest types the user's commands (apt install,
#    apt install gcc libc6-dev and the host-tools fix as the messages say,
#    dkms autoinstall, modprobe of both names, pwm-imx-tpm-overlay enable;
#    reboot: the module has TPM4, the selftest on two channels, a pwm
#    member; apt remove; reboot: the parameter stays, no driver; apt purge;
#    reboot: the built-in driver is back) and checks each output; the
#    selftest's skips against the dt path's budget (tests/vm/budget.sh).
# 4. The transcript of those commands (tests/logs/vendor-e2e/transcript.txt)
#    against the README's troubleshooting transcript: every line of the
#    README's block is in the real output, and every message of this
#    package in the real output is in the README's block (kernel release
#    and package version normalised).
#
# Ends with "check-vendor-e2e: N passed, M failed". Environment:
# CHECK_E2E_TIMEOUT (seconds per boot, 1800), CHECK_VENDOR_E2E_KEEP=1 (keep
# the work directory), and those of tests/lib/debian.sh and
# tests/vendor/vendor-kernel.sh.
set -uo pipefail

vhere=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../deb/check-e2e.sh source-path=SCRIPTDIR
. "$vhere/../deb/check-e2e.sh"
DEB_LOG_PREFIX=check-vendor-e2e
E2E_GUEST=$vhere/check-vendor-e2e-guest.sh
LOGDIR=${CHECK_VENDOR_E2E_LOGDIR:-$top/tests/logs/vendor-e2e}
SUITE=trixie
NODE=/bus@40000000/pwm@40250000
# shellcheck source=../vm/budget.sh source-path=SCRIPTDIR
. "$top/tests/vm/budget.sh"

# elf_machine FILE: the ELF e_machine of FILE as 4 hex digits (x86-64:
# 3e00, ARM: 2800).
elf_machine() {
	od -An -tx1 -j18 -N2 "$1" | tr -d ' \n'
}

# vendor_kernel_into ROOT DIR: Debian's kernel packages out of the image,
# the vendor's linux-image and linux-headers (DIR) in, with dpkg.
vendor_kernel_into() {
	local r=$1 dir=$2 pkgs
	pkgs=$(deb_chroot_run "$r" dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' 'linux-image-*' \
		'linux-headers-*' 'linux-kbuild-*' 2>/dev/null | sed -n 's/^ii  *//p' | tr '\n' ' ')
	[[ -n $pkgs ]] || return 1
	# shellcheck disable=SC2086 # package names, split on purpose
	deb_chroot_run "$r" apt-get purge -y -q $pkgs || return 1
	mkdir -p "$r/tmp/vendor"
	cp "$dir"/linux-image-*_armhf.deb "$dir"/linux-headers-*_armhf.deb "$r/tmp/vendor/"
	deb_chroot_run "$r" /bin/sh -c 'dpkg -i /tmp/vendor/*.deb' || return 1
	rm -rf "$r/tmp/vendor"
}

# apt_cache_for_guest ROOT PKG...: PKG... and what they need and recommend,
# downloaded into the image's apt cache (apt-get --download-only, with a
# fresh index if the image's is too old): the guest installs them without
# a network, as the user's "apt install" would from the archive.
apt_cache_for_guest() {
	local r=$1
	shift
	# with what they recommend: the user's "apt install" takes that too
	deb_chroot_run "$r" apt-get install -y -q --download-only "$@" ||
		{ deb_retry "$DEB_RETRIES" deb_chroot_run "$r" apt-get update -q &&
			deb_chroot_run "$r" apt-get install -y -q --download-only "$@"; }
}

# selftest_in_budget KREL SKIPS XFAILS: the vendor guest's selftest (two
# channels, static registers: the dt path) within its skip budget; fails
# without totals.
selftest_in_budget() {
	[[ -n $2 && -n $3 ]] || {
		echo "no KTAP totals in boot 2's log"
		return 1
	}
	ktap_budget_check "vendor selftest" dt "$1" 2 "$2" "$3"
}

# transcript_lines FILE...: the user's commands and their output from the
# serial logs ("e2e: $ CMD", "e2e: | LINE"), without the prefix.
transcript_lines() {
	sed -n 's/^e2e: \(\$ .*\)$/\1/p; s/^e2e: \(| .*\)$/\1/p' "$@"
}

# The README's block: the fenced text after the marker line.
README_MARK='<!-- check-vendor-e2e: transcript -->'
readme_transcript() {
	awk -v m="$README_MARK" '
		$0 == m { on = 1; next }
		on == 1 && /^```/ { on = 2; next }
		on == 2 && /^```/ { exit }
		on == 2 { print }' "$top/README.md"
}

# norm: kernel release, package version and the kernel log's timestamps
# become words, so that the README's example stays true across rebuilds.
norm() {
	sed -E "s/[0-9]+\.[0-9]+\.[0-9]+-imx-vendor/KREL/g; s/${VERSION//./\\.}(-[0-9]+)?/VERSION/g
		s/^\| \[ *[0-9.]+\] /| [T] /"
}

# own_messages: the normalised transcript's lines that this package prints
# (its maintainer scripts, Makefile, module, overlay helper).
own_messages() {
	grep -E '^\$ |^\| (pwm-imx-tpm(-dkms|-overlay)?: |modprobe: |insmod: |\[T\] pwm-imx-tpm: )'
}

transcript_check() {
	local real=$1 doc=$2 missing
	missing=$(norm <"$doc" | grep -vxF -f <(norm <"$real") || true)
	if [[ -n $missing ]]; then
		echo "lines of the README's transcript that the run did not print:"
		printf '%s\n' "$missing" | sed 's/^/    /'
		return 1
	fi
}

messages_check() {
	local real=$1 doc=$2 missing
	missing=$(norm <"$real" | own_messages | grep -vxF -f <(norm <"$doc") || true)
	if [[ -n $missing ]]; then
		echo "this package's messages (and commands) that the README's transcript lacks:"
		printf '%s\n' "$missing" | sed 's/^/    /'
		return 1
	fi
}

vendor_run() {
	local s=$SUITE base r vk krel t0=$SECONDS size b name
	W=$work/$s
	mkdir -p "$W" "$LOGDIR"
	rm -f "$LOGDIR"/*.log "$LOGDIR/transcript.txt"
	deb_log "vendor kernel (tests/vendor/vendor-kernel.sh)"
	vk=$("$vhere/vendor-kernel.sh" build 2>"$W/vendor-kernel.log")
	check "vendor kernel: linux-image and linux-headers (armhf) from make bindeb-pkg" \
		test -n "$vk" -a -e "$vk/ok" || { tail -n 20 "$W/vendor-kernel.log"; return 0; }
	sed 's/^/  /' "$vk/info"
	krel=$(sed -n 's/^KREL=//p' "$vk/info")
	check "vendor kernel: CONFIG_PWM_IMX_TPM=y, modules, KALLSYMS (initcall_blacklist needs it)" \
		bash -c 'grep -qx CONFIG_PWM_IMX_TPM=y "$1" && grep -qx CONFIG_MODULES=y "$1" && grep -qx CONFIG_KALLSYMS=y "$1"' sh "$vk/.config"
	mkdir -p "$W/hdr"
	dpkg-deb -x "$(compgen -G "$vk/linux-headers-*_armhf.deb" | head -n 1)" "$W/hdr"
	local hdr=$W/hdr/usr/src/linux-headers-$krel machines
	machines="$(elf_machine "$hdr/scripts/basic/fixdep") $(elf_machine "$hdr/scripts/mod/modpost")"
	check "vendor headers: scripts/basic/fixdep and scripts/mod/modpost are x86-64 programs (got $machines)" \
		test "$machines" = "3e00 3e00"
	rm -rf "$W/hdr"

	base=$(rootfs "$s")
	check "$s: cached armhf root filesystem (check-e2e's)" test -n "$base" -a -d "$base" || return 0
	r=$W/root
	cp -a "$base" "$r" || {
		bad "$s: copy of the root filesystem"
		return 0
	}
	check "image: Debian's kernel packages purged, the vendor's linux-image and linux-headers $krel installed (dpkg -i)" \
		vendor_kernel_into "$r" "$vk" || return 0
	check "image: /lib/modules has only $krel" \
		test "$(find "$r/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n')" = "$krel"
	check "image: kernel $krel with initrd, headers, dkms, udev, systemd" image_ok "$r" "$krel" || return 0
	check "image: no gcc command and no libc6-dev (the compiler is gcc-14, which dkms accepts)" \
		deb_chroot_run "$r" /bin/sh -c '! command -v gcc && [ ! -e /usr/include/stdio.h ] && command -v gcc-14'
	check "image: gcc and libc6-dev in apt's cache for the guest (apt-get --download-only)" \
		apt_cache_for_guest "$r" gcc libc6-dev

	TOKEN=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
	TPM_BASE=$(E2E_BACKLIGHT=0 e2e_dtb "$W" 2>"$W/dtb.log")
	check "the vendor's board DTB: TPM4 at $NODE enabled (registers at ${TPM_BASE:-?})" \
		bash -c 'fdtput -t s "$1" "$2" status okay && [ "$(fdtget "$1" "$2" status)" = okay ]' sh "$W/virt.dtb" "$NODE" ||
		{ cat "$W/dtb.log"; return 0; }
	cp "$W/virt.dtb" "$r/boot/e2e-board.dtb"
	check "image configured (fstab, /etc/default/u-boot, users member and other, the guest check)" \
		e2e_configure "$r" "$TOKEN" || return 0
	echo vendor >"$r/var/lib/e2e/phase"
	echo "$VERSION" >"$r/var/lib/e2e/version"
	: >"$r/var/lib/e2e/transcript"
	check "u-boot-update: extlinux.conf boots $krel with the board's DTB, no overlay" \
		deb_chroot_run "$r" /bin/sh -c 'u-boot-update >/dev/null 2>&1 &&
			grep -q "^	linux /boot/vmlinuz-$1$" /boot/extlinux/extlinux.conf &&
			grep -q "^	fdt /boot/e2e-board.dtb$" /boot/extlinux/extlinux.conf &&
			! grep -q fdtoverlays /boot/extlinux/extlinux.conf || { cat /boot/extlinux/extlinux.conf; exit 1; }' sh "$krel"
	cp "$NEW" "$r/root/"

	UBOOT=$("$top/tests/uboot/u-boot.sh" build 2>"$W/u-boot.log")/u-boot.bin
	check "U-Boot for qemu_arm with CONFIG_OF_LIBFDT_OVERLAY (tests/uboot/u-boot.sh)" test -s "$UBOOT" ||
		{ tail -n 20 "$W/u-boot.log"; return 0; }
	size=$(du -sm "$r" | cut -f1)
	size=$((size + 1024))
	check "disk image: MBR, one ext4 partition (${size} MiB)" disk_image "$r" "$W/disk.img" "$size" || return 0
	rm -rf "$r"

	KVER=$krel
	b=0
	for name in vendor blacklisted removed purged; do
		b=$((b + 1))
		deb_log "boot $b ($name; timeout $TIMEOUT s)"
		boot "boot$b-$name"
		guest_results "boot$b-$name"
		printf 'boot%s %s %s\n' "$b" "$name" "$BOOT_SECS" >>"$work/times"
		[[ -n $GRC ]] || break
	done
	# the selftest's skips (boot 2: channels 0 and 3, static registers)
	# against the budget of the dt path on this kernel (tests/vm/budget.sh)
	local kp kf kx ks
	read -r kp kf kx ks <<<"$(ktap_totals <(sed -n 's/^e2e: selftest: //p' "$LOGDIR/boot2-blacklisted.log"))"
	check "boot2-blacklisted: the selftest within its skip budget (${ks:+pass $kp fail $kf xfail $kx skip $ks})" \
		selftest_in_budget "$krel" "$ks" "$kx"
	transcript_lines "$LOGDIR"/boot*.log >"$LOGDIR/transcript.txt"
	readme_transcript >"$W/readme-transcript.txt"
	check "README: the troubleshooting section has the transcript block ($README_MARK)" \
		test -s "$W/readme-transcript.txt"
	check "README's transcript: every line of it is in the real one" \
		transcript_check "$LOGDIR/transcript.txt" "$W/readme-transcript.txt"
	check "README's transcript: every command and message of this package in the real one is in it" \
		messages_check "$LOGDIR/transcript.txt" "$W/readme-transcript.txt"
	deb_log "$((SECONDS - t0)) s; boots: $(awk '{ printf "%s %s %s s; ", $1, $2, $3 }' "$work/times")"
}

vendor_main() {
	local dver
	debdir=${1:?usage: $0 DEBDIR}
	CHECKS_KEEP=${CHECK_VENDOR_E2E_KEEP:-0}
	checks_init check-vendor-e2e
	host_ready
	VERSION=$(cat "$top/VERSION")
	dver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
	NEW=$debdir/${PKG}_${dver}_all.deb
	check "package ${NEW##*/} built (make deb)" test -f "$NEW" || finish
	vendor_run
	finish
}

vendor_main "$@"
