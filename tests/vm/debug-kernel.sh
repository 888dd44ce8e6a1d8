#!/bin/bash
# tests/vm/debug-kernel.sh - a small debug kernel for the amd64 QEMU guest,
# built from Debian's linux-source-<series> package. Every one has
# PWM_DEBUG, DEBUG_ATOMIC_SLEEP and the irqsoff tracer; 7.3 adds PREEMPT_RT,
# KASAN, lockdep, kmemleak and debugobjects; 6.12 (the driver's .apply
# path) has nothing more.
#
# usage:
#   tests/vm/debug-kernel.sh [build]          build (or find in the cache);
#                                             print the cache directory
#   tests/vm/debug-kernel.sh kmake DIR [ARGS...]
#                                             make -C KDIR M=DIR ARGS... with
#                                             the kernel's compiler (in the
#                                             chroot, DIR bind-mounted at its
#                                             own path); the host's gcc 12
#                                             cannot build against KDIR
#
# How it works:
# - The newest linux-source-<series> (default 7.3) of the series' suite
#   (7.3: trixie-backports), amd64 index, is resolved at run time.
# - The build runs in the cached trixie chroot (deb_chroot; gcc, make, flex,
#   bison, bc, libelf-dev, libssl-dev are installed into it as needed), whose
#   gcc is the one Debian builds 7.3 with. The cache's debug-kernel/
#   directory is bind-mounted at the same path inside the chroot, in a
#   private mount namespace that disappears with the command: paths are the
#   same inside and out, nothing is left mounted.
# - Configuration: ARCH=x86_64 tinyconfig, then tests/vm/debug-kernel.config
#   and tests/vm/debug-kernel-<series>.config (a series without one is
#   refused) merged with scripts/kconfig/merge_config.sh, then olddefconfig;
#   every line of both fragments must hold in the final .config (missing
#   options are listed and the build fails).
# - make bzImage and modules (Module.symvers), -j$DEBUG_KERNEL_JOBS (2).
#
# Cache: $IMX_TPM_PWM_CACHE/debug-kernel/<version>-<hash>/ (hash of the
# fragments and this script) with bzImage, .config, build/ (the configured
# and built tree: KDIR for out-of-tree modules), info (kernel release,
# compiler, build seconds), build.log. A finished build is marked by "ok".
#
# Environment: DEBUG_KERNEL_SERIES (7.3), DEBUG_KERNEL_JOBS (2), and those of
# tests/lib/debian.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$top/tests/lib/debian.sh"
# shellcheck source=../lib/kernels.sh source-path=SCRIPTDIR
. "$top/tests/lib/kernels.sh"
export DEB_LOG_PREFIX=debug-kernel

SERIES=${DEBUG_KERNEL_SERIES:-7.3}
FRAGMENTS=("$here/debug-kernel.config" "$here/debug-kernel-$SERIES.config")
JOBS=${DEBUG_KERNEL_JOBS:-2}
CHROOT_SUITE=trixie
CHROOT_PKGS=(gcc make flex bison bc libelf-dev libssl-dev cpio kmod xz-utils)

dk_die() {
	printf 'debug-kernel: error: %s\n' "$*" >&2
	exit 1
}

dk_log() {
	printf 'debug-kernel: %s\n' "$*" >&2
}

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

# dk_resolve: set SRC_NAME, SRC_VER, SRC_SUITE, OUT (the cache directory).
dk_resolve() {
	local found hash re
	SRC_SUITE=$(series_suite "$SERIES") || dk_die "unknown kernel series $SERIES"
	deb_apt_update "$SRC_SUITE" amd64 || dk_die "no $SRC_SUITE amd64 index"
	re="^linux-source-${SERIES//./\\.}\$"
	found=$(deb_newest "$SRC_SUITE" amd64 "$re") ||
		dk_die "no package matching $re in $SRC_SUITE amd64"
	read -r SRC_NAME SRC_VER <<<"$found"
	local f
	for f in "${FRAGMENTS[@]}"; do
		[[ -r $f ]] || dk_die "no config fragment ${f#"$top"/} (a debug kernel of series $SERIES needs one)"
	done
	hash=$(cat "${FRAGMENTS[@]}" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)
	DK_ROOT=$(deb_cache_dir)/debug-kernel
	OUT=$DK_ROOT/$SRC_VER-$hash
}

dk_cached() {
	[[ -e $OUT/ok && -s $OUT/bzImage && -s $OUT/.config && -s $OUT/build/Module.symvers ]]
}

# dk_run ROOT CMD...: run CMD in the chroot ROOT with DK_ROOT and the
# directories in DK_BINDS (array) bind-mounted at the same paths; private
# mount and PID namespaces, as deb_chroot_run: nothing stays mounted.
DK_BINDS=()
dk_run() {
	local root=$1
	shift
	deb_chroot_run_with "$root" "$DK_ROOT" "${DK_BINDS[@]}" -- "$@"
}

# make in the build tree, inside the chroot.
dk_make() {
	local root=$1
	shift
	dk_run "$root" make -C "$OUT/build" ARCH=x86_64 CC=gcc HOSTCC=gcc "$@"
}

dk_build_locked() {
	local root=$1 deb top_dir tmp t0 log missing krel f
	dk_cached && return 0
	rm -rf "$OUT"
	mkdir -p "$OUT"
	log=$OUT/build.log
	t0=$SECONDS
	deb=$(deb_download "$SRC_SUITE" amd64 "$SRC_NAME" "$SRC_VER")
	top_dir=linux-source-$SERIES
	dk_log "extract $top_dir.tar.xz from ${deb##*/}"
	tmp=$OUT/build.tmp
	mkdir -p "$tmp"
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -O "./usr/src/$top_dir.tar.xz" |
		tar -x -J -C "$tmp" --strip-components=1; then
		dk_die "cannot extract $top_dir.tar.xz from $deb"
	fi
	[[ -e $tmp/Makefile && -d $tmp/scripts/kconfig ]] || dk_die "$deb has no kernel tree"
	mv "$tmp" "$OUT/build"
	dk_log "extracted in $((SECONDS - t0)) s; configure (log: $log)"
	cp "${FRAGMENTS[0]}" "$OUT/build/debug-kernel.config"
	cp "${FRAGMENTS[1]}" "$OUT/build/debug-kernel-series.config"
	# shellcheck disable=SC2016 # expanded by the inner sh
	{
		dk_make "$root" tinyconfig &&
			dk_run "$root" /bin/sh -c 'cd "$1" && ARCH=x86_64 CC=gcc HOSTCC=gcc scripts/kconfig/merge_config.sh -m .config debug-kernel.config debug-kernel-series.config' \
				sh "$OUT/build" &&
			dk_make "$root" olddefconfig
	} >"$log" 2>&1 || {
		tail -n 20 "$log" >&2
		dk_die "configuring the kernel failed (see $log)"
	}
	for f in "${FRAGMENTS[@]}"; do
		missing=$(dk_check_config "$f" "$OUT/build/.config")
		if [[ -n $missing ]]; then
			printf '%s\n' "$missing" | sed 's/^/  /' >&2
			dk_die "options of ${f#"$top"/} not in the final .config (above: wanted -> got)"
		fi
	done
	dk_log "build bzImage and modules with -j$JOBS (log: $log)"
	if ! dk_make "$root" -j"$JOBS" bzImage modules >>"$log" 2>&1; then
		grep -E 'error|Error' "$log" | tail -n 20 >&2
		dk_die "the kernel build failed (see $log)"
	fi
	krel=$(dk_make "$root" -s kernelrelease 2>/dev/null)
	cp "$OUT/build/arch/x86/boot/bzImage" "$OUT/bzImage"
	cp "$OUT/build/.config" "$OUT/.config"
	{
		printf 'KREL=%s\n' "$krel"
		printf 'SOURCE=%s\n' "$SRC_NAME $SRC_VER ($SRC_SUITE)"
		printf 'CC=%s\n' "$(dk_run "$root" gcc --version | head -n1)"
		printf 'BUILD_SECONDS=%s\n' "$((SECONDS - t0))"
	} >"$OUT/info"
	touch "$OUT/ok"
	dk_log "built $krel in $((SECONDS - t0)) s"
}

# dk_check_config FRAGMENT CONFIG: print "LINE -> ACTUAL" for each line of
# the fragment that does not hold in CONFIG.
dk_check_config() {
	awk '
	FNR == NR {
		if ($0 ~ /^CONFIG_[A-Za-z0-9_]+=/) {
			n = $0; sub(/=.*/, "", n); want[n] = $0; order[++k] = n
		} else if ($0 ~ /^# CONFIG_[A-Za-z0-9_]+ is not set$/) {
			n = $2; want[n] = $0; order[++k] = n
		}
		next
	}
	/^CONFIG_[A-Za-z0-9_]+=/ { n = $0; sub(/=.*/, "", n); got[n] = $0 }
	END {
		for (i = 1; i <= k; i++) {
			n = order[i]
			if (want[n] ~ /^#/) {
				if ((n in got) && got[n] !~ /=n$/)
					print want[n] " -> " got[n]
			} else if (!(n in got) || got[n] != want[n]) {
				print want[n] " -> " ((n in got) ? got[n] : "not set")
			}
		}
	}' "$1" "$2"
}

cmd_build() {
	local root t0=$SECONDS
	dk_resolve
	if ! dk_cached; then
		root=$(deb_chroot "$CHROOT_SUITE" "${CHROOT_PKGS[@]}") ||
			dk_die "no $CHROOT_SUITE chroot with ${CHROOT_PKGS[*]}"
		deb_with_lock "debug-kernel-${OUT##*/}" dk_build_locked "$root"
		dk_cached || dk_die "no finished build in $OUT"
	else
		dk_log "cache hit ($((SECONDS - t0)) s)"
	fi
	printf '%s\n' "$OUT"
}

cmd_kmake() {
	local dir root
	[[ $# -ge 1 ]] || usage
	dir=$(realpath "$1")
	shift
	dk_resolve
	dk_cached || dk_die "no debug kernel in $OUT: run $0 build first"
	[[ -d $dir ]] || dk_die "no directory $dir"
	root=$(deb_cache_dir)/chroot/$CHROOT_SUITE
	[[ -e $root.ok ]] || dk_die "no $CHROOT_SUITE chroot"
	[[ $dir == "$DK_ROOT"/* ]] || DK_BINDS=("$dir")
	[[ $dir != "$root"/* ]] || dk_die "$dir is inside the chroot"
	dk_make "$root" M="$dir" "$@"
}

main() {
	local cmd=${1:-build}
	[[ $# -gt 0 ]] && shift
	[[ $EUID == 0 ]] || dk_die "needs root (builds in a chroot)"
	case $cmd in
	build) [[ $# -eq 0 ]] || usage; cmd_build ;;
	kmake) cmd_kmake "$@" ;;
	*) usage ;;
	esac
}

main "$@"
