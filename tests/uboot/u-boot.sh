#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/uboot/u-boot.sh - U-Boot for QEMU's 32-bit Arm virt board, built from
# Debian's own u-boot source package, with the option Debian's u-boot-qemu
# leaves out, CONFIG_OF_LIBFDT_OVERLAY ("fdt apply", and the "fdtoverlays"
# line of extlinux.conf), and the load addresses extlinux.conf's "fdt" and
# "fdtoverlays" need (qemu_arm-overlay.config). Debian's qemu_arm binary
# (bookworm 2023.01, trixie 2025.01) prints the usage for "fdt apply", and
# passes over an extlinux.conf's "fdtoverlays" without a word (2025.01
# boot/pxe_utils.c applies them only under CONFIG_OF_LIBFDT_OVERLAY).
#
# usage:
#   tests/uboot/u-boot.sh [build]     build (or find in the cache); print the
#                                     cache directory (u-boot.bin, .config,
#                                     info, build.log)
#
# How it is built, as debian/rules builds u-boot-qemu's qemu_arm:
# - the newest u-boot source of trixie, unpacked with Debian's patches
#   (deb_source in tests/lib/debian.sh);
# - in the cached trixie chroot, with Debian's cross compiler
#   gcc-arm-linux-gnueabihf and DTC=/usr/bin/dtc;
# - make qemu_arm_defconfig, then tests/uboot/qemu_arm-overlay.config
#   merged with scripts/kconfig/merge_config.sh and olddefconfig; every line
#   of the fragment must hold in the final .config; make u-boot.bin.
# Cache: $IMX_TPM_PWM_CACHE/u-boot/<version>-<hash>/ (hash of the fragment and
# this script); "ok" marks a finished build.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$top/tests/lib/debian.sh"
export DEB_LOG_PREFIX=u-boot

SUITE=trixie
FRAGMENT=$here/qemu_arm-overlay.config
JOBS=${UBOOT_JOBS:-2}
CHROOT_PKGS=(gcc-arm-linux-gnueabihf gcc make bc bison flex libssl-dev libgnutls28-dev
	uuid-dev python3 device-tree-compiler)

ub_die() {
	printf 'u-boot: error: %s\n' "$*" >&2
	exit 1
}

ub_log() {
	printf 'u-boot: %s\n' "$*" >&2
}

# ub_run ROOT CMD...: CMD in the chroot with the cache's u-boot/ and src/
# directories bind-mounted at their own paths (private namespaces: nothing
# stays mounted).
ub_run() {
	local root=$1
	shift
	deb_chroot_run_with "$root" "$UB_ROOT" "$SRC_ROOT" -- "$@"
}

ub_make() {
	local root=$1
	shift
	ub_run "$root" make -C "$TREE" O="$OUT/build" CROSS_COMPILE=arm-linux-gnueabihf- \
		DTC=/usr/bin/dtc "$@"
}

# ub_missing FRAGMENT CONFIG: the fragment's lines that do not hold.
ub_missing() {
	local line name
	while read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF "$line" "$2" || printf '%s\n' "$line" ;;
		"# CONFIG_"*" is not set")
			name=${line#\# }
			name=${name%% *}
			grep -q "^$name=[ym]" "$2" && printf '%s\n' "$line"
			;;
		esac
	done <"$1"
	return 0
}

ub_build_locked() {
	local root=$1 t0=$SECONDS log missing
	[[ -e $OUT/ok ]] && return 0
	rm -rf "$OUT"
	mkdir -p "$OUT/build"
	log=$OUT/build.log
	ub_log "configure qemu_arm_defconfig + ${FRAGMENT#"$top"/} (log: $log)"
	cp "$FRAGMENT" "$OUT/build/fragment.config"
	# shellcheck disable=SC2016 # expanded by the inner sh
	{
		ub_make "$root" qemu_arm_defconfig &&
			ub_run "$root" /bin/sh -c 'cd "$1" && "$2"/scripts/kconfig/merge_config.sh -m -O . .config fragment.config' \
				sh "$OUT/build" "$TREE" &&
			ub_make "$root" olddefconfig
	} >"$log" 2>&1 || {
		tail -n 20 "$log" >&2
		ub_die "configuring U-Boot failed (see $log)"
	}
	missing=$(ub_missing "$FRAGMENT" "$OUT/build/.config")
	[[ -z $missing ]] || {
		printf '  %s\n' "$missing" >&2
		ub_die "options of ${FRAGMENT#"$top"/} not in the final .config"
	}
	ub_log "build u-boot.bin with -j$JOBS"
	ub_make "$root" -j"$JOBS" u-boot.bin >>"$log" 2>&1 || {
		grep -E 'error|Error' "$log" | tail -n 20 >&2
		ub_die "the U-Boot build failed (see $log)"
	}
	cp "$OUT/build/u-boot.bin" "$OUT/u-boot.bin"
	cp "$OUT/build/.config" "$OUT/.config"
	{
		printf 'SOURCE=u-boot %s (%s)\n' "$SRC_VER" "$SUITE"
		printf 'VERSION=%s\n' "$(strings "$OUT/u-boot.bin" | grep -m1 '^U-Boot 20')"
		printf 'CC=%s\n' "$(ub_run "$root" arm-linux-gnueabihf-gcc --version | head -n1)"
		printf 'BUILD_SECONDS=%s\n' "$((SECONDS - t0))"
	} >"$OUT/info"
	rm -rf "$OUT/build"
	touch "$OUT/ok"
	ub_log "built in $((SECONDS - t0)) s"
}

cmd_build() {
	local root hash t0=$SECONDS
	[[ $EUID == 0 ]] || ub_die "needs root (builds in a chroot)"
	TREE=$(deb_source "$SUITE" u-boot) || ub_die "no u-boot source"
	SRC_ROOT=$(deb_cache_dir)/src
	SRC_VER=${TREE%/tree}
	SRC_VER=${SRC_VER##*/u-boot_}
	hash=$(cat "$FRAGMENT" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)
	UB_ROOT=$(deb_cache_dir)/u-boot
	OUT=$UB_ROOT/$SRC_VER-$hash
	if [[ -e $OUT/ok ]]; then
		ub_log "cache hit ($((SECONDS - t0)) s)"
	else
		root=$(deb_chroot "$SUITE" "${CHROOT_PKGS[@]}") ||
			ub_die "no $SUITE chroot with ${CHROOT_PKGS[*]}"
		deb_with_lock "u-boot-${OUT##*/}" ub_build_locked "$root"
		[[ -e $OUT/ok ]] || ub_die "no finished build in $OUT"
	fi
	printf '%s\n' "$OUT"
}

case ${1:-build} in
build) cmd_build ;;
*)
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
	;;
esac
