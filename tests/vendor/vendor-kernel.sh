#!/bin/bash
# tests/vendor/vendor-kernel.sh - the kernel of make check-vendor-e2e's
# vendor-style image: armhf, configured like NXP's imx_v7_defconfig where it
# matters here (the TPM PWM driver built in; tests/vendor/vendor-kernel.config
# says what and why), cross-compiled on this amd64 host and packaged with
# the kernel's own "make bindeb-pkg", as a vendor's build machine does.
#
# usage: tests/vendor/vendor-kernel.sh [build]
#   build (or find in the cache) and print the cache directory, which holds
#   linux-image-*.deb and linux-headers-*.deb (armhf), .config and info.
#
# Which kernel: Debian's linux-source-6.1 (bookworm), newest version of the
# archive's index, resolved at run time. 6.1 is the base of NXP's lf-6.1
# BSP. It is also what makes the headers a vendor's: up to 6.11, bindeb-pkg
# copies the build machine's host programs (scripts/basic/fixdep,
# scripts/mod/modpost) into linux-headers as they are, amd64 binaries here
# (6.1's scripts/package/builddeb). From 6.12 on it rebuilds them with the
# cross compiler (scripts/package/install-extmod-build, "Rebuilding host
# programs with ${CC}"), so the newest series with an armhf kernel, 6.12,
# would not show what a user of an lf-5.15, lf-6.1 or lf-6.6 image meets.
#
# How: in the cached bookworm chroot (tests/lib/debian.sh deb_chroot), with
# Debian's gcc-arm-linux-gnueabihf (gcc 12, the compiler Debian builds 6.1
# with) and dpkg-dev and fakeroot for bindeb-pkg:
#   make ARCH=arm allnoconfig; merge_config.sh of the fragment;
#   olddefconfig; every fragment line must hold (tests/lib/kernels.sh
#   kconfig_check); make ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-
#   -j$VENDOR_KERNEL_JOBS bindeb-pkg (DPKG_FLAGS=-d: the cross build's
#   dependencies are the chroot's, not dpkg-checkbuilddeps' armhf ones).
# The build tree is deleted after a good build; the .debs, .config, info
# (release, source, compiler, seconds) and build.log stay.
#
# Cache: $IMX_TPM_PWM_CACHE/vendor-kernel/<version>-<hash>/ (hash of the
# fragment and this script), "ok" marks a finished build. Built only when
# one of them or the archive's linux-source-6.1 changes; a new build
# removes the older ones.
# Environment: VENDOR_KERNEL_JOBS (2), and those of tests/lib/debian.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$top/tests/lib/debian.sh"
# shellcheck source=../lib/kernels.sh source-path=SCRIPTDIR
. "$top/tests/lib/kernels.sh"
export DEB_LOG_PREFIX=vendor-kernel

SERIES=6.1
FRAGMENT=$here/vendor-kernel.config
JOBS=${VENDOR_KERNEL_JOBS:-2}
CHROOT_SUITE=bookworm
CROSS=arm-linux-gnueabihf-
CHROOT_PKGS=(gcc gcc-arm-linux-gnueabihf libc6-dev make flex bison bc libelf-dev
	libssl-dev cpio kmod xz-utils rsync dpkg-dev fakeroot)

vk_die() {
	printf 'vendor-kernel: error: %s\n' "$*" >&2
	exit 1
}

vk_log() {
	printf 'vendor-kernel: %s\n' "$*" >&2
}

# vk_resolve: set SRC_NAME, SRC_VER, SRC_SUITE, VK_ROOT and OUT.
vk_resolve() {
	local found hash re
	SRC_SUITE=$(series_suite "$SERIES") || vk_die "unknown kernel series $SERIES"
	deb_apt_update "$SRC_SUITE" amd64 || vk_die "no $SRC_SUITE amd64 index"
	re="^linux-source-${SERIES//./\\.}\$"
	found=$(deb_newest "$SRC_SUITE" amd64 "$re") ||
		vk_die "no package matching $re in $SRC_SUITE amd64"
	read -r SRC_NAME SRC_VER <<<"$found"
	hash=$(cat "$FRAGMENT" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)
	VK_ROOT=$(deb_cache_dir)/vendor-kernel
	OUT=$VK_ROOT/$SRC_VER-$hash
}

vk_cached() {
	[[ -e $OUT/ok ]] && vk_debs
}

# vk_debs: the build's results are there
vk_debs() {
	[[ -s $OUT/.config && -s $OUT/info ]] &&
		compgen -G "$OUT/linux-image-*_armhf.deb" >/dev/null &&
		compgen -G "$OUT/linux-headers-*_armhf.deb" >/dev/null
}

# make in the build tree, inside the chroot (VK_ROOT bind-mounted at its
# own path).
vk_make() {
	local root=$1
	shift
	deb_chroot_run_with "$root" "$VK_ROOT" -- \
		make -C "$OUT/build" ARCH=arm CROSS_COMPILE="$CROSS" "$@"
}

vk_build_locked() {
	local root=$1 deb tmp t0=$SECONDS log missing krel
	vk_cached && return 0
	rm -rf "$OUT"
	mkdir -p "$OUT"
	log=$OUT/build.log
	deb=$(deb_download "$SRC_SUITE" amd64 "$SRC_NAME" "$SRC_VER")
	vk_log "extract linux-source-$SERIES.tar.xz from ${deb##*/}"
	tmp=$OUT/build.tmp
	mkdir -p "$tmp"
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -O "./usr/src/linux-source-$SERIES.tar.xz" |
		tar -x -J -C "$tmp" --strip-components=1; then
		vk_die "cannot extract linux-source-$SERIES.tar.xz from $deb"
	fi
	[[ -e $tmp/Makefile && -d $tmp/scripts/kconfig ]] || vk_die "$deb has no kernel tree"
	mv "$tmp" "$OUT/build"
	cp "$FRAGMENT" "$OUT/build/vendor.config"
	vk_log "configure: allnoconfig + ${FRAGMENT#"$top"/} (log: $log)"
	# shellcheck disable=SC2016 # expanded by the inner sh
	{
		vk_make "$root" allnoconfig &&
			deb_chroot_run_with "$root" "$VK_ROOT" -- /bin/sh -c \
				'cd "$1" && ARCH=arm CROSS_COMPILE="$2" scripts/kconfig/merge_config.sh -m .config vendor.config' \
				sh "$OUT/build" "$CROSS" &&
			vk_make "$root" olddefconfig
	} >"$log" 2>&1 || {
		tail -n 20 "$log" >&2
		vk_die "configuring the kernel failed (see $log)"
	}
	missing=$(kconfig_check "$FRAGMENT" "$OUT/build/.config")
	if [[ -n $missing ]]; then
		printf '%s\n' "$missing" | sed 's/^/  /' >&2
		vk_die "options of ${FRAGMENT#"$top"/} not in the final .config (above: wanted -> got)"
	fi
	vk_log "make bindeb-pkg with -j$JOBS, $CROSS (log: $log)"
	if ! vk_make "$root" -j"$JOBS" DPKG_FLAGS=-d bindeb-pkg >>"$log" 2>&1; then
		grep -E 'error|Error' "$log" | tail -n 20 >&2
		vk_die "the kernel build failed (see $log)"
	fi
	krel=$(vk_make "$root" -s kernelrelease 2>/dev/null)
	cp "$OUT/build/.config" "$OUT/.config"
	{
		printf 'KREL=%s\n' "$krel"
		printf 'SOURCE=%s\n' "$SRC_NAME $SRC_VER ($SRC_SUITE)"
		printf 'CC=%s\n' "$(deb_chroot_run "$root" "${CROSS}gcc" --version | head -n1)"
		printf 'BUILD_SECONDS=%s\n' "$((SECONDS - t0))"
	} >"$OUT/info"
	# what the image does not use: the debug symbols (none without
	# DEBUG_INFO), the UAPI headers, dpkg-genchanges' records
	rm -rf "$OUT/build" "$OUT"/*-dbg_*.deb "$OUT"/linux-libc-dev_*.deb "$OUT"/*.changes "$OUT"/*.buildinfo
	vk_debs || vk_die "bindeb-pkg left no linux-image and linux-headers .deb in $OUT"
	touch "$OUT/ok"
	# earlier builds (another fragment, script or source version) go
	find "$VK_ROOT" -mindepth 1 -maxdepth 1 -type d ! -path "$OUT" -exec rm -rf {} +
	vk_log "built $krel in $((SECONDS - t0)) s: $(cd "$OUT" && echo ./*.deb)"
}

cmd_build() {
	local root t0=$SECONDS
	vk_resolve
	if ! vk_cached; then
		root=$(deb_chroot "$CHROOT_SUITE" "${CHROOT_PKGS[@]}") ||
			vk_die "no $CHROOT_SUITE chroot with ${CHROOT_PKGS[*]}"
		deb_with_lock "vendor-kernel-${OUT##*/}" vk_build_locked "$root"
		vk_cached || vk_die "no finished build in $OUT"
	else
		vk_log "cache hit ($((SECONDS - t0)) s)"
	fi
	printf '%s\n' "$OUT"
}

main() {
	[[ $EUID == 0 ]] || vk_die "needs root (builds in a chroot)"
	case ${1:-build} in
	build) cmd_build ;;
	*) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
	esac
}

main "$@"
