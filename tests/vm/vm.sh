#!/bin/bash
# tests/vm/vm.sh - the emulated test bench: boot Debian's own kernels under
# QEMU (TCG, no KVM) with pwm-imx-tpm.ko, and run the kselftest in the guest.
#
# usage:
#   tests/vm/vm.sh run ARCH:SERIES PATH [GUEST_SCRIPT] [-- ARGS...]
#   tests/vm/vm.sh matrix
#   tests/vm/vm.sh demo
#
#   ARCH:SERIES   armhf:5.10 armhf:6.1 armhf:6.12 arm64:6.12 arm64:7.3
#                 amd64:7.3 ... (series -> suite as in tests/matrix/matrix.sh)
#                 amd64:6.12-rt ...: Debian's PREEMPT_RT flavour of the
#                 series (tests/lib/kernels.sh); the guest must report a
#                 PREEMPT_RT kernel ("vm: PREEMPT_RT: yes", from uname -v or
#                 /sys/kernel/realtime), and any other kernel must not, or
#                 the run fails (NOT-RT, RT). On Debian's rt kernels the
#                 guest also records every sleeping-lock call made with
#                 interrupts off (probe events; those kernels lack
#                 DEBUG_ATOMIC_SLEEP): any is listed and fails the run,
#                 as does a check that could not be armed (NO-LOCKCHECK)
#                 amd64:7.3-debug: the debug kernel of tests/vm/debug-kernel.sh
#                 (PREEMPT_RT, KASAN, lockdep, kmemleak, debugobjects,
#                 PWM_DEBUG, irqsoff tracer; must report PREEMPT_RT like an
#                 rt target); the guest scans for kmemleak reports at the
#                 end, and the checkers' reports fail the run like WARNING:
#                 lines. amd64:6.12-debug: the 6.12 one (PWM_DEBUG on the
#                 .apply path, irqsoff tracer; not PREEMPT_RT)
#                 arm64:upstream: an arm64 kernel of tests/upstream/upstream.sh
#                 (the upstream series applied, or not: VM_UPSTREAM_KERNEL
#                 names its build directory), the driver built in as
#                 imx7ulp-tpm-pwm, PWM_DEBUG; nothing is loaded
#   PATH          model  load imx-tpm-model.ko (rate=24000000 channels=6
#                        width=16), then pwm-imx-tpm.ko, which binds to the
#                        model's child device by name;
#                 dt     (armhf, arm64) QEMU's own virt devicetree plus a
#                        fixed 24 MHz clock and a "fsl,imx7ulp-pwm" node whose
#                        registers are a no-map RAM page (PARAM preloaded with
#                        6 channels, 16 bits): the driver binds through the
#                        compatible; the counter never runs.
#                 dt-late as dt, but the TPM's clock is provided by
#                        tests/model/late-clk.ko, which the guest script
#                        loads (/vm/late-clk.ko): the probe defers until
#                        then (kernel option fw_devlink=permissive).
#                 dt-bl  as dt, with a pwm-backlight consumer on channel 1
#                        (pwms = <&tpm 1 50000 0>, as on the i.MX7ULP EVK
#                        and EA's uCOM kit), loaded after the driver
#                        (pwm_bl.ko): the selftest must test the other
#                        channels at the 50 us the backlight holds.
#   GUEST_SCRIPT  run in the guest with busybox sh instead of the kselftest
#                 (tests/pwm-imx-tpm.sh); ARGS go to the script.
#
# What a run does:
# 1. resolves the newest linux-headers-<series>.* of the series' suite (as
#    matrix.sh does) and builds pwm-imx-tpm.ko and imx-tpm-model.ko for that
#    kernel release with tests/matrix/matrix.sh, one after the other, copying
#    each .ko out of the chroot's build directory (cached per release and
#    source hash under $CACHE/vm/ko);
# 2. downloads linux-image-<release> (or -unsigned) of the same version as the
#    headers and busybox-static (trixie, same arch), unpacks them under
#    $CACHE/vm;
# 3. builds an initramfs: busybox, /init, the modules the driver and the model
#    depend on (from the kernel's modules.dep, decompressed), both .ko files,
#    the kselftest and, for kernels with /dev/pwmchipN, a static pwm-cdev;
# 4. boots it with QEMU and a timeout; the serial log goes to
#    tests/logs/vm/<arch>-<series>-<path>.log.
# Exit status: the guest script's exit status (kselftest: 0 pass, 1 fail,
# 4 all skipped); 1 if the guest log has WARNING:, BUG:, Oops, "Kernel panic"
# or "Call trace" lines (listed), or if no exit status came back (timeout,
# crash), or if the guest's PREEMPT_RT line does not match the target.
#
# "matrix" runs armhf 5.10, 6.1, 6.12 and arm64 6.12, 7.3 on both paths and
# amd64 7.3 on the model path, and armhf 6.1 on the model path with a slow
# clock and an 8-bit counter ("model-slow": rate=100000 width=8), armhf
# 6.12 and arm64 7.3 with the strict model at 32768 Hz and 24 MHz
# ("model-32k", "model-strict"), and amd64
# 6.12 rt (PREEMPT_RT) on the model path, and armhf 6.1 and arm64 7.3 on
# the dt path with a backlight on channel 1 ("dt-bl": the selftest tests
# channels 0 and 5 at its period) (15 runs, VM_JOBS guests at a time,
# default 2),
# prints a table and "vm: N passed, M failed, S skipped, X xfail", the sums
# of the guests' KTAP totals. A run passes only if the kselftest exits 0
# (4, everything skipped, means the driver did not bind), its skips are
# within the budget of its path and kernel (skip_budget: the count and
# the reason of each) and it has no XFAIL; a run that fails with no failed
# test point counts one failure.
#
# Environment: VM_KO (a pwm-imx-tpm.ko to boot instead of the tree's build),
# VM_UPSTREAM_KERNEL (arm64:upstream's kernel build directory),
# VM_MAINLINE_SRC (a module source directory whose Kbuild makes
# pwm-imx-tpm-mainline.ko, mainline's driver as make bench runs it:
# built for the guest's kernel like the driver, copied to
# /vm/pwm-imx-tpm-mainline.ko; the guest script loads it),
# VM_MEASURED_DRIVER (its PWM_DEBUG lines are counted, not problems),
# VM_EXTRA_DIR (its files go to /vm/extra in the guest), VM_EXTRA_SRC (C
# files built static for the guest into /vm/extra/NAME), VM_QEMU_ARGS (more
# QEMU options), VM_KERNEL_ARGS (more kernel command line words; with
# clocksource=jiffies the guest may run on the jiffies clocksource, which
# fails any other run: make faults' jiffies guest),
# IMX_TPM_PWM_CACHE (default /var/cache/imx-tpm-pwm), VM_JOBS,
# VM_MODEL_PARAMS (model module parameters on the model path, or the name
# of a set below: slow, strict, 32k), VM_RT_LOCKCHECK
# (0: rt targets without the check for sleeping locks taken with interrupts
# off; default 1, the run fails where it cannot be made), VM_TIMEOUT
# (seconds per guest, default 900 for run, per-run values in the
# matrix), VM_LOGDIR (default tests/logs/vm), VM_MATRIX_ARGS_MODEL and
# VM_MATRIX_ARGS_DT (kselftest options in the matrix), VM_MATRIX_RUNS (the
# matrix's runs, ARCH:SERIES:KIND words; default all 15), and those of
# tests/lib/debian.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$top/tests/lib/debian.sh"
# shellcheck source=../lib/kernels.sh source-path=SCRIPTDIR
. "$top/tests/lib/kernels.sh"
# shellcheck source=budget.sh source-path=SCRIPTDIR
. "$top/tests/vm/budget.sh"
export DEB_LOG_PREFIX=vm

LOGDIR=${VM_LOGDIR:-$top/tests/logs/vm}
BB_SUITE=${VM_BUSYBOX_SUITE:-trixie}
MATRIX_SH=$top/tests/matrix/matrix.sh
KSELFTEST=$top/tests/pwm-imx-tpm.sh
MODEL_PARAMS=${VM_MODEL_PARAMS:-"rate=24000000 channels=6 width=16"}
# the "model-slow" runs of the matrix: a slow clock and a narrow counter,
# where periods are few ticks long and every prescaler is reachable
MODEL_PARAMS_SLOW="rate=100000 channels=6 width=8"
# "model-strict" and "model-32k": the model as strict as the silicon (CMOD
# acknowledged after two counter clock cycles, register writes one cycle
# late, a second MOD/CnV write before the first was taken ignored and
# recorded; tests/model/INTERFACE.md), at 24 MHz and at 32768 Hz, where one
# counter cycle is 30.5 us; each with one of the two readings of the
# manual for the outputs from a counter start to the first overflow
# (first_period 1: inactive level, 2: low until the match)
MODEL_STRICT="cmod_ack=1 write_latency=1 buffer_ignore=1"
MODEL_PARAMS_STRICT="rate=24000000 channels=6 width=16 $MODEL_STRICT first_period=1"
MODEL_PARAMS_32K="rate=32768 channels=6 width=16 $MODEL_STRICT first_period=2"
case $MODEL_PARAMS in
slow) MODEL_PARAMS=$MODEL_PARAMS_SLOW ;;
strict) MODEL_PARAMS=$MODEL_PARAMS_STRICT ;;
32k) MODEL_PARAMS=$MODEL_PARAMS_32K ;;
esac
PARAM_VALUE=0x00100006 # PARAM: 6 channels, WIDTH 16
BAD_RE='WARNING:|BUG:|Oops|Kernel panic|Call [Tt]race'
# the guest's check for sleeping locks taken with interrupts off (rt targets)
BAD_RE+='|^vm: rt lock check: [1-9][0-9]* sleeping lock|^vm: rt lock check: stack'

# amd64:6.12-rt:model: the driver on a PREEMPT_RT kernel, with the model,
# whose glitch test makes the driver's interrupts-off register accesses
# (the sleeping-lock hazard of PREEMPT_RT) thousands of times.
MATRIX_RUNS=${VM_MATRIX_RUNS:-"armhf:5.10:dt armhf:5.10:model armhf:6.1:dt armhf:6.1:model
armhf:6.12:dt armhf:6.12:model-32k arm64:6.12:dt arm64:6.12:model
arm64:7.3:dt arm64:7.3:model-strict amd64:7.3:model armhf:6.1:model-slow
amd64:6.12-rt:model armhf:6.1:dt-bl arm64:7.3:dt-bl"}

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

vm_log() {
	printf 'vm: %s\n' "$*" >&2
}

vm_die() {
	printf 'vm: error: %s\n' "$*" >&2
	exit 1
}

ensure_host_tools() {
	local t missing=()
	[[ $EUID == 0 ]] || vm_die "needs root (matrix.sh builds in chroots)"
	for t in qemu-system-arm qemu-system-aarch64 qemu-system-x86_64 dtc cpio gzip xz \
		modinfo depmod timeout flock; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	((${#missing[@]} == 0)) ||
		vm_die "missing host tools: ${missing[*]} (run tests/deps.sh as root)"
}

# A hash of everything that goes into the two modules.
src_hash() {
	(
		cd "$top"
		find Kbuild VERSION src tests/model -type f \
			\( -name Kbuild -o -name VERSION -o -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name Makefile \) \
			! -name core_test.c -print0 | sort -z | xargs -0 sha256sum
	) | sha256sum | cut -c1-16
}

# resolve ARCH SERIES[-rt]: set SUITE, KREL, HVER (headers version), IMG_NAME
# and IMG_VER (the kernel image package of the same version).
resolve_kernel() {
	local arch=$1 series=$2 flav re found hdr name
	SUITE=$(series_suite "$series") || vm_die "unknown kernel series $series"
	flav=$(arch_flavour "$arch" "$(series_variant "$series")") ||
		vm_die "unknown architecture $arch"
	series=$(series_base "$series")
	deb_apt_update "$SUITE" "$arch" || vm_die "no $SUITE $arch index"
	re="^linux-headers-${series//./\\.}\\.[0-9][^-]*(-[0-9]+)?-$flav\$"
	found=$(deb_newest "$SUITE" "$arch" "$re") || vm_die "no package matching $re in $SUITE $arch"
	read -r hdr HVER <<<"$found"
	KREL=${hdr#linux-headers-}
	IMG_NAME=
	for name in "linux-image-$KREL" "linux-image-$KREL-unsigned"; do
		if deb_has_version "$SUITE" "$arch" "$name" "$HVER"; then
			IMG_NAME=$name
			IMG_VER=$HVER
			return 0
		fi
	done
	vm_die "no linux-image-$KREL(-unsigned) $HVER in $SUITE $arch"
}

# The modules for KREL: built with matrix.sh (driver, then model), copied out
# of the chroot's build directory. Sets KO_DIR.
build_modules() {
	local arch=$1 series=$2 chroot hash dir
	hash=$(src_hash)
	dir=$(deb_cache_dir)/vm/ko/$KREL/$hash
	KO_DIR=$dir
	if [[ -s $dir/pwm-imx-tpm.ko && -s $dir/imx-tpm-model.ko && -s $dir/late-clk.ko ]]; then
		return 0
	fi
	chroot=$SUITE
	chroot=${chroot%-backports}
	deb_with_lock vm-build build_modules_locked "$arch" "$series" "$chroot" "$dir"
	[[ -s $dir/pwm-imx-tpm.ko && -s $dir/imx-tpm-model.ko ]] ||
		vm_die "building the modules for $KREL failed"
}

# One matrix build at a time (its chroot's build directory is per kernel,
# not per run): wait while someone else's runs.
wait_matrix() {
	local n=0
	while pgrep -f 'tests/matrix/matrix\.sh' >/dev/null; do
		((n++ % 12 == 0)) && vm_log "waiting for another matrix.sh run to finish"
		sleep 5
	done
}

# ko_install KO DIR: KO, built for KREL (its vermagic says so, or the run
# dies), into DIR under its own name (a copy, then a rename: a cache entry
# is whole or absent)
ko_install() {
	local ko=$1 dir=$2 name vm
	name=${ko##*/}
	vm=$(modinfo -F vermagic "$ko" 2>/dev/null || true)
	[[ $vm == "$KREL "* ]] || vm_die "$name: vermagic '$vm' is not for $KREL"
	cp "$ko" "$dir/$name.new"
	mv "$dir/$name.new" "$dir/$name"
}

build_modules_locked() {
	local arch=$1 series=$2 chroot=$3 dir=$4 bdir log src ko
	[[ -s $dir/pwm-imx-tpm.ko && -s $dir/imx-tpm-model.ko && -s $dir/late-clk.ko ]] && return 0
	mkdir -p "$dir" "$LOGDIR"
	bdir=$(deb_cache_dir)/chroot/$chroot/build/$KREL
	wait_matrix
	for src in "$top" "$top/tests/model"; do
		if [[ $src == "$top" ]]; then ko=pwm-imx-tpm.ko; else ko=imx-tpm-model.ko; fi
		log=$LOGDIR/build-$KREL-${ko%.ko}.log
		vm_log "build $ko for $KREL (matrix.sh, log: ${log#"$top"/})"
		if ! "$MATRIX_SH" "$src" "$arch:$series" >"$log" 2>&1; then
			vm_log "note: matrix.sh reported a failure for $ko ($KREL):"
			grep -vE '^matrix: (unpack|download|index|build|ready|done|note)' "$log" | tail -n 15 | sed 's/^/  /' >&2
		fi
		[[ -s $bdir/$ko ]] || vm_die "$ko was not built for $KREL (see $log)"
		# the model's directory also builds late-clk.ko (dt-late path)
		[[ $ko == imx-tpm-model.ko && -s $bdir/late-clk.ko ]] &&
			cp "$bdir/late-clk.ko" "$dir/late-clk.ko"
		ko_install "$bdir/$ko" "$dir"
	done
}

# Unpack the kernel image package once; set KDIR_IMG (its root), VMLINUZ,
# KCONFIG, MODDIR.
kernel_tree() {
	local arch=$1 deb base dir name i=0
	local -a names=("$IMG_NAME") debs=()
	# Newer kernels split the image package: linux-image-X depends on
	# linux-binary-X (vmlinuz), linux-modules-X, linux-base-X (config) of the
	# same version. Take every dependency whose name has the release in it.
	while ((i < ${#names[@]})); do
		name=${names[i]}
		i=$((i + 1))
		deb=$(deb_download "$SUITE" "$arch" "$name" "$IMG_VER") || vm_die "cannot download $name $IMG_VER"
		debs+=("$deb")
		while read -r name; do
			[[ $name == *"$KREL"* && " ${names[*]} " != *" $name "* ]] && names+=("$name")
		done < <(deb_depends_names "$(deb_field "$SUITE" "$arch" "$name" "$IMG_VER" Depends)")
	done
	base=${debs[0]##*/}
	dir=$(deb_cache_dir)/vm/kernel/${base%.deb}
	if [[ ! -e $dir.ok ]]; then
		deb_with_lock "vm-kernel-${base%.deb}" kernel_unpack "$dir" "${debs[@]}"
	fi
	KDIR_IMG=$dir
	MODDIR=$dir/usr/lib/modules/$KREL
	[[ -d $MODDIR ]] || MODDIR=$dir/lib/modules/$KREL
	# 7.x packages keep vmlinuz and config in the modules
	# directory, older ones in /boot.
	VMLINUZ=$dir/boot/vmlinuz-$KREL
	KCONFIG=$dir/boot/config-$KREL
	[[ -e $VMLINUZ ]] || VMLINUZ=$MODDIR/vmlinuz
	[[ -e $KCONFIG ]] || KCONFIG=$MODDIR/config
	[[ -s $VMLINUZ && -s $KCONFIG && -s $MODDIR/modules.dep ]] ||
		vm_die "$base has no vmlinuz, config or modules.dep for $KREL"
}

kernel_unpack() {
	local dir=$1 deb
	shift
	[[ -e $dir.ok ]] && return 0
	rm -rf "$dir"
	for deb in "$@"; do
		vm_log "unpack ${deb##*/}"
		deb_extract "$deb" "$dir"
	done
	# The package has no modules.dep (depmod runs at install): make one.
	[[ -e $dir/lib ]] || ln -s usr/lib "$dir/lib"
	local krel
	for krel in "$dir"/lib/modules/*; do
		depmod -b "$dir" "${krel##*/}" || vm_die "depmod failed for ${krel##*/}"
	done
	touch "$dir.ok"
}

# The kernel QEMU loads: arm64 Image files may come gzip-compressed.
boot_kernel() {
	local arch=$1 out
	if [[ $arch == arm64 ]] && gzip -t "$VMLINUZ" 2>/dev/null; then
		out=$KDIR_IMG/Image-$KREL
		if [[ ! -s $out ]]; then
			gzip -dc "$VMLINUZ" >"$out.new"
			mv "$out.new" "$out"
		fi
		printf '%s\n' "$out"
	else
		printf '%s\n' "$VMLINUZ"
	fi
}

# A static busybox for ARCH; sets BUSYBOX.
busybox_bin() {
	local arch=$1 deb base dir member
	deb_apt_update "$BB_SUITE" "$arch" || vm_die "no $BB_SUITE $arch index"
	deb=$(deb_download "$BB_SUITE" "$arch" busybox-static) || vm_die "cannot download busybox-static"
	base=${deb##*/}
	dir=$(deb_cache_dir)/vm/busybox/${base%.deb}
	BUSYBOX=$dir/busybox
	[[ -x $BUSYBOX ]] && return 0
	member=$(dpkg-deb -c "$deb" | awk '$1 ~ /^-/ && $6 ~ /bin\/busybox$/ { print $6; exit }')
	[[ -n $member ]] || vm_die "no busybox binary in $base"
	mkdir -p "$dir"
	deb_extract "$deb" "$dir/x" "$member"
	mv "$dir/x/$member" "$BUSYBOX.new"
	rm -rf "$dir/x"
	mv "$BUSYBOX.new" "$BUSYBOX"
}

# pwm-cdev for the guest, static; empty if it cannot be built for ARCH.
cdev_bin() {
	static_bin "$1" "$top/tests/pwm-cdev.c"
}

# static_bin ARCH SRC: print the path of SRC (one C file) built as a static
# ARCH binary, cached per source hash; nothing if it cannot be built (amd64
# with the host's gcc, arm64 with the cross compiler and libc in the trixie
# chroot, installed there when missing).
static_bin() {
	local arch=$1 src=$2 name out root cc
	name=$(basename "$src" .c)
	out=$(deb_cache_dir)/vm/bin/$name-$arch-$(sha256sum "$src" | cut -c1-12)
	if [[ -x $out ]]; then
		printf '%s\n' "$out"
		return 0
	fi
	mkdir -p "${out%/*}"
	case $arch in
	amd64)
		gcc -Wall -O2 -static -o "$out" "$src" >&2 || return 0
		;;
	arm64)
		root=$(deb_chroot trixie gcc-aarch64-linux-gnu libc6-dev-arm64-cross) || {
			vm_log "note: no aarch64 cross compiler and libc in the trixie chroot: no $name for arm64"
			return 0
		}
		cc=/usr/bin/aarch64-linux-gnu-gcc
		cp "$src" "$root/tmp/$name.c"
		deb_chroot_run "$root" "$cc" -Wall -O2 -static -o "/tmp/$name" "/tmp/$name.c" >&2 || return 0
		mv "$root/tmp/$name" "$out"
		rm -f "$root/tmp/$name.c"
		;;
	*) return 0 ;;
	esac
	printf '%s\n' "$out"
}

kconfig() {
	local v
	v=$(sed -n "s/^CONFIG_$1=//p" "$KCONFIG")
	printf '%s\n' "${v:-n}"
}

# The in-kernel modules a .ko needs, dependencies first, as paths relative to
# MODDIR (from modinfo's depends and the kernel's modules.dep).
module_deps() {
	local ko names
	for ko in "$@"; do
		names+=",$(modinfo -F depends "$ko" 2>/dev/null || true)"
	done
	awk -v want="$names" '
	function norm(p,   b) { b = p; sub(/.*\//, "", b); sub(/\.ko(\.[a-z]+)?$/, "", b); gsub(/-/, "_", b); return b }
	function visit(n,   i, k, d) {
		if (n in done || !(n in path)) { if (!(n in path)) missing[n] = 1; return }
		done[n] = 1
		k = split(deps[n], d, " ")
		for (i = k; i >= 1; i--) visit(norm(d[i]))
		print path[n]
	}
	{ p = $1; sub(/:$/, "", p); n = norm(p); path[n] = p; $1 = ""; deps[n] = $0 }
	END {
		k = split(want, w, ",")
		for (i = 1; i <= k; i++) { x = w[i]; gsub(/-/, "_", x); if (x != "") visit(x) }
		for (n in missing) printf "vm: note: module %s not in modules.dep\n", n > "/dev/stderr"
	}' "$MODDIR/modules.dep"
}

# Decompress a module file to DEST.
unpack_module() {
	case $1 in
	*.ko.xz) xz -dc "$1" >"$2" ;;
	*.ko.zst) zstd -q -dc "$1" >"$2" ;;
	*.ko.gz) gzip -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# make_initrd WORK PATH GUEST_SCRIPT TOKEN ARGS...: WORK/initrd.gz
make_initrd() {
	local work=$1 path=$2 guest=$3 token=$4 r m i=0 cdev
	shift 4
	r=$work/root
	rm -rf "$r"
	mkdir -p "$r/bin" "$r/lib/vm" "$r/vm/tests" "$r/proc" "$r/sys" "$r/dev" "$r/tmp"
	cp "$BUSYBOX" "$r/bin/busybox"
	# VM_KO: another pwm-imx-tpm.ko for this kernel (e.g. one DKMS built
	# from the Debian package); VM_EXTRA_DIR: files for /vm/extra.
	local -a kos=()
	# the upstream series' kernel has the driver built in
	if [[ ${BUILTIN:-0} != 1 ]]; then
		cp "${VM_KO:-$KO_DIR/pwm-imx-tpm.ko}" "$r/vm/pwm-imx-tpm.ko"
		kos+=("${VM_KO:-$KO_DIR/pwm-imx-tpm.ko}")
	fi
	if [[ -n ${VM_EXTRA_DIR:-} ]]; then
		mkdir -p "$r/vm/extra"
		cp -a "$VM_EXTRA_DIR/." "$r/vm/extra/"
	fi
	# VM_EXTRA_SRC: C files, built static for the guest (/vm/extra/NAME)
	local src bin
	for src in ${VM_EXTRA_SRC:-}; do
		# $arch: prepare's
		bin=$(static_bin "$arch" "$src")
		[[ -n $bin ]] || vm_die "could not build $src for $arch"
		mkdir -p "$r/vm/extra"
		cp "$bin" "$r/vm/extra/$(basename "$src" .c)"
	done
	[[ $path == dt-late ]] && cp "$KO_DIR/late-clk.ko" "$r/vm/"
	if [[ -n ${BACKLIGHT:-} ]]; then
		local bl
		bl=$(cd "$MODDIR" && find kernel -name 'pwm_bl.ko*' | head -n 1)
		[[ -n $bl ]] || vm_die "the kernel has no pwm_bl module (CONFIG_BACKLIGHT_PWM)"
		unpack_module "$MODDIR/$bl" "$r/vm/pwm_bl.ko"
		kos+=("$r/vm/pwm_bl.ko")
	fi
	if [[ $path == model ]]; then
		cp "$KO_DIR/imx-tpm-model.ko" "$r/vm/"
		kos+=("$KO_DIR/imx-tpm-model.ko")
	fi
	if [[ -n ${MAINLINE_KO:-} ]]; then
		cp "$MAINLINE_KO" "$r/vm/pwm-imx-tpm-mainline.ko"
		kos+=("$MAINLINE_KO")
	fi
	: >"$r/lib/vm/order"
	while read -r m; do
		i=$((i + 1))
		local b=${m##*/}
		b=$(printf '%02d-%s' "$i" "${b%.ko*}.ko")
		unpack_module "$MODDIR/$m" "$r/lib/vm/$b"
		printf '%s\n' "$b" >>"$r/lib/vm/order"
	done < <(module_deps "${kos[@]}")
	cp "$KSELFTEST" "$r/vm/tests/pwm-imx-tpm.sh"
	cp "$here/guest-ktap.sh" "$r/vm/tests/guest-ktap.sh"
	cp "$here/guest-irqsoff.sh" "$r/vm/tests/guest-irqsoff.sh"
	cp "$here/irqsoff-guest.sh" "$r/vm/tests/irqsoff-guest.sh"
	if [[ -n $guest ]]; then
		cp "$guest" "$r/vm/guest"
	else
		ln -s tests/pwm-imx-tpm.sh "$r/vm/guest"
	fi
	cdev=${CDEV:-}
	[[ -n $cdev ]] && cp "$cdev" "$r/vm/tests/pwm-cdev"
	printf '%s\n' "$@" >"$r/vm/args"
	[[ $# -gt 0 ]] || : >"$r/vm/args"
	{
		printf 'VM_TOKEN=%s\n' "$token"
		printf 'VM_PATH=%s\n' "$path"
		printf 'VM_MODEL_PARAMS="%s"\n' "$MODEL_PARAMS"
		printf 'VM_RT_LOCKCHECK=%s\n' "$RT_LOCKCHECK"
		printf 'VM_BACKLIGHT=%s\n' "${BACKLIGHT:-0}"
		printf 'VM_BUILTIN=%s\n' "${BUILTIN:-0}"
		printf 'VM_DRIVER=%s\n' "$DRIVER_NAME"
	} >"$r/vm/env"
	guest_init | debug_guest_init >"$r/init"
	chmod 755 "$r/init" "$r/bin/busybox" "$r/vm/tests/pwm-imx-tpm.sh"
	[[ -L $r/vm/guest ]] || chmod 755 "$r/vm/guest"
	(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$work/initrd.gz")
}

# --- The debug kernel (target ARCH:SERIES-debug, e.g. amd64:7.3-debug) ------
# tests/vm/debug-kernel.sh builds it (KASAN, lockdep, DEBUG_ATOMIC_SLEEP,
# kmemleak, debugobjects, PWM_DEBUG; everything built in, no module
# dependencies); our two modules are built against its tree with its
# compiler (make -C KDIR M=<copy of the source>, in the trixie chroot).
DEBUG_KERNEL_SH=$here/debug-kernel.sh
DEBUG_KERNEL=
DEBUG_SERIES=
# What the debug kernel's checkers print, besides WARNING:/BUG: lines:
# KASAN, lockdep, kmemleak (scanned by /init at the end), debugobjects, and
# the PWM core's PWM_DEBUG checks (tests/vm/budget.sh PWM_DEBUG_RE).
DEBUG_BAD_RE='BUG: KASAN|WARNING: possible|inconsistent lock state|INFO: trying to register non-static key'
DEBUG_BAD_RE+='|unreferenced object 0x|new suspected memory leaks|ODEBUG'
DEBUG_BAD_RE+="|$PWM_DEBUG_RE"
BAD_RE="$BAD_RE|$DEBUG_BAD_RE"

# debug_kernel_setup ARCH SERIES NAME: what resolve_kernel, build_modules and
# kernel_tree set, for the debug kernel.
debug_kernel_setup() {
	local arch=$1 series=$2 name=$3 dk KREL_DK=''
	[[ $arch == amd64 ]] || vm_die "the debug kernel is amd64 only, not $arch"
	dk=$(DEBUG_KERNEL_SERIES=$series "$DEBUG_KERNEL_SH" build) ||
		vm_die "building the debug kernel failed"
	KREL_DK=$(sed -n 's/^KREL=//p' "$dk/info")
	[[ -n $KREL_DK ]] || vm_die "no kernel release in $dk/info"
	DEBUG_KERNEL=$dk
	DEBUG_SERIES=$series
	KREL=$KREL_DK
	SUITE=debug
	IMG_NAME="debug-kernel"
	IMG_VER=${dk##*/}
	KDIR_IMG=$dk
	VMLINUZ=$dk/bzImage
	KCONFIG=$dk/.config
	# no modules of its own: an empty modules.dep for module_deps
	MODDIR=$dk/moddir
	[[ -e $MODDIR/modules.dep ]] || { mkdir -p "$MODDIR" && : >"$MODDIR/modules.dep"; }
	vm_log "$name: debug kernel $KREL ($dk)"
	KO_DIR=$dk/ko/$(src_hash)
	if [[ ! -s $KO_DIR/pwm-imx-tpm.ko || ! -s $KO_DIR/imx-tpm-model.ko ]]; then
		deb_with_lock "vm-debug-ko" debug_modules_locked "$KO_DIR"
	fi
	[[ -s $KO_DIR/pwm-imx-tpm.ko && -s $KO_DIR/imx-tpm-model.ko ]] ||
		vm_die "building the modules for $KREL failed"
}

# --- The upstream series' kernel (target arm64:upstream) ---------------------
# tests/upstream/upstream.sh builds it from the linux-source tree with the
# series applied (PWM_DEBUG, DEBUG_ATOMIC_SLEEP; the driver built in, under
# mainline's driver name imx7ulp-tpm-pwm) and passes its build directory
# in VM_UPSTREAM_KERNEL. No modules: the guest loads nothing.
upstream_kernel_setup() {
	local arch=$1 name=$2 b=${VM_UPSTREAM_KERNEL:-}
	[[ $arch == arm64 ]] || vm_die "the upstream series' kernel is arm64 only, not $arch"
	[[ -n $b && -s $b/arch/arm64/boot/Image && -s $b/.config && -s $b/include/config/kernel.release ]] ||
		vm_die "VM_UPSTREAM_KERNEL must name the arm64 build directory of tests/upstream/upstream.sh"
	grep -qx 'CONFIG_PWM_IMX_TPM=y' "$b/.config" || vm_die "$b: the driver is not built in"
	KREL=$(cat "$b/include/config/kernel.release")
	SUITE=upstream
	IMG_NAME=upstream-series
	IMG_VER=${b##*/}
	KDIR_IMG=$b
	VMLINUZ=$b/arch/arm64/boot/Image
	KCONFIG=$b/.config
	MODDIR=$b/vm-moddir
	[[ -e $MODDIR/modules.dep ]] || { mkdir -p "$MODDIR" && : >"$MODDIR/modules.dep"; }
	BUILTIN=1
	DRIVER_NAME=imx7ulp-tpm-pwm
	vm_log "$name: the upstream series' kernel $KREL ($b)"
}

# mainline_module ARCH SERIES: VM_MAINLINE_SRC's pwm-imx-tpm-mainline.ko for
# KREL (matrix.sh for Debian's kernels, the debug kernel's own build for
# it), cached per source; sets MAINLINE_KO.
mainline_module() {
	local arch=$1 series=$2 ko=pwm-imx-tpm-mainline.ko dir hash
	MAINLINE_KO=
	[[ -n ${VM_MAINLINE_SRC:-} ]] || return 0
	hash=$( (cd "$VM_MAINLINE_SRC" && find . -type f -print0 | sort -z | xargs -0 sha256sum) |
		sha256sum | cut -c1-16)
	dir=$(deb_cache_dir)/vm/ko/$KREL/mainline-$hash
	if [[ ! -s $dir/$ko ]]; then
		deb_with_lock vm-build mainline_module_locked "$arch" "$series" "$dir"
	fi
	[[ -s $dir/$ko ]] || vm_die "$ko was not built for $KREL"
	MAINLINE_KO=$dir/$ko
}

mainline_module_locked() {
	local arch=$1 series=$2 dir=$3 ko=pwm-imx-tpm-mainline.ko log bdir
	[[ -s $dir/$ko ]] && return 0
	mkdir -p "$dir" "$LOGDIR"
	log=$LOGDIR/build-$KREL-${ko%.ko}.log
	vm_log "build $ko for $KREL (log: ${log#"$top"/})"
	rm -rf "$dir/src"
	cp -r "$VM_MAINLINE_SRC" "$dir/src"
	if [[ -n $DEBUG_KERNEL ]]; then
		DEBUG_KERNEL_SERIES=$DEBUG_SERIES "$DEBUG_KERNEL_SH" kmake "$dir/src" W=1 modules >"$log" 2>&1 ||
			vm_die "building $ko failed: $(tail -n 15 "$log")"
		bdir=$dir/src
	else
		wait_matrix
		"$MATRIX_SH" "$dir/src" "$arch:$series" >"$log" 2>&1 ||
			vm_die "building $ko failed (matrix.sh; W=1 C=1, no warning): $(grep -vE '^matrix: (unpack|download|index|build|ready|done|note)' "$log" | tail -n 15)"
		bdir=$(deb_cache_dir)/chroot/${SUITE%-backports}/build/$KREL
	fi
	ko_install "$bdir/$ko" "$dir"
}

debug_modules_locked() {
	local dir=$1 ko sub log
	[[ -s $dir/pwm-imx-tpm.ko && -s $dir/imx-tpm-model.ko ]] && return 0
	rm -rf "$dir/src"
	mkdir -p "$dir/src/drv" "$LOGDIR"
	cp -r "$top/Kbuild" "$top/VERSION" "$top/src" "$dir/src/drv/"
	cp -r "$top/tests/model" "$dir/src/model"
	for sub in drv model; do
		if [[ $sub == drv ]]; then ko=pwm-imx-tpm.ko; else ko=imx-tpm-model.ko; fi
		log=$LOGDIR/build-$KREL-${ko%.ko}.log
		vm_log "build $ko for $KREL (log: ${log#"$top"/})"
		DEBUG_KERNEL_SERIES=$DEBUG_SERIES "$DEBUG_KERNEL_SH" kmake "$dir/src/$sub" W=1 modules >"$log" 2>&1 ||
			vm_die "building $ko failed: $(tail -n 15 "$log")"
		ko_install "$dir/src/$sub/$ko" "$dir"
	done
}

# debug_guest_init: filter the guest's /init. For the debug kernel, kmemleak
# reports from before our modules are counted and cleared, and at the end
# kmemleak scans (twice; objects must be 5 s old) and its reports go to the
# console, where bad_lines catches "unreferenced object". The debug kernels
# have no ACPI (tests/vm/debug-kernel.config), so no poweroff: the guest
# resets instead, which ends QEMU (-no-reboot).
debug_guest_init() {
	if [[ -z $DEBUG_KERNEL ]]; then
		cat
		return 0
	fi
	awk '
	/^\. \/vm\/env$/ {
		print
		hit++
		print "if [ -w /sys/kernel/debug/kmemleak ]; then"
		print "\techo scan > /sys/kernel/debug/kmemleak"
		print "\tn=$(grep -c \"^unreferenced object\" /sys/kernel/debug/kmemleak)"
		print "\techo clear > /sys/kernel/debug/kmemleak"
		print "\techo \"vm: kmemleak: $n boot-time report(s) cleared\""
		print "fi"
		next
	}
	/^rc=\$\?$/ {
		print
		print "if [ -w /sys/kernel/debug/kmemleak ]; then"
		print "\tsleep 6"
		print "\techo scan > /sys/kernel/debug/kmemleak"
		print "\techo scan > /sys/kernel/debug/kmemleak"
		print "\tsed \"s/^/vm: kmemleak: /\" /sys/kernel/debug/kmemleak"
		print "\techo \"vm: kmemleak scan done: $(grep -c \"^unreferenced object\" /sys/kernel/debug/kmemleak) report(s)\""
		print "fi"
		hit++
		next
	}
	/^poweroff -f$/ { print "reboot -f"; hit++; next }
	{ print }
	END { if (hit != 3) { print "vm: debug_guest_init: no anchor in /init" > "/dev/stderr"; exit 1 } }'
}
# --- end of the debug kernel ---------------------------------------------

# The guest's /init (busybox sh).
guest_init() {
	cat <<'EOF'
#!/bin/busybox sh
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin /run
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
# a task stuck in the kernel for 30 s prints its stack on the console
echo 30 > /proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
echo 7 > /proc/sys/kernel/printk
. /vm/env
echo "vm: guest up: $(uname -r) $(uname -m), $(cut -d' ' -f1 /proc/uptime) s"
# vm.sh fails a guest whose time stands still with interrupts disabled
echo "vm: clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown)"
# vm.sh checks this line against the target (rt or not): uname -v says
# PREEMPT_RT on rt kernels (6.1 rt patch set and mainline 6.12+), and
# /sys/kernel/realtime is 1 there
rt=no
case "$(uname -v)" in *PREEMPT_RT*) rt=yes ;; esac
[ "$(cat /sys/kernel/realtime 2>/dev/null)" = 1 ] && rt=yes
echo "vm: PREEMPT_RT: $rt (uname -v: $(uname -v); /sys/kernel/realtime: $(cat /sys/kernel/realtime 2>/dev/null || echo none))"
# rt targets: on PREEMPT_RT, spinlock_t, rwlock_t and mutexes sleep, and
# taking one with interrupts disabled is a bug that only kernels with
# DEBUG_ATOMIC_SLEEP report ("BUG: sleeping function called from invalid
# context"); Debian's rt kernels have not. So record every call of those
# lock functions made with interrupts off: probe events filtered on
# TRACE_FLAG_IRQS_OFF (bit 0 of common_flags), each with its stack, from
# before our modules load to the end of the guest script. The flags must
# be the caller's: fprobe events (6.5+) run from ftrace, so they are; a
# kprobe is used only where it runs from ftrace too ([FTRACE] in the
# kprobes list, x86), not where it is a breakpoint whose exception handler
# has interrupts off (it would record every call).
T=/sys/kernel/tracing
if [ "$VM_RT_LOCKCHECK" = 1 ]; then
	[ -e $T/dynamic_events ] || mount -t tracefs tracefs $T
	n=0
	kinds=
	for f in rt_spin_lock rt_spin_trylock rt_read_lock rt_write_lock \
		mutex_lock mutex_lock_interruptible mutex_lock_killable \
		down down_interruptible down_read down_write; do
		if echo "f:vmrt/$f $f" >>$T/dynamic_events 2>/dev/null; then
			kinds="$kinds fprobe"
		elif echo "p:vmrt/$f $f" >>$T/kprobe_events 2>/dev/null &&
			grep -q " $f+0x0 .*FTRACE" /sys/kernel/debug/kprobes/list; then
			kinds="$kinds kprobe"
		else
			echo "-:vmrt/$f" >>$T/kprobe_events 2>/dev/null
			continue
		fi
		if echo 'common_flags & 1' >$T/events/vmrt/$f/filter; then
			n=$((n + 1))
		else
			# unfiltered, it would record every call
			echo "-:vmrt/$f" >>$T/dynamic_events
		fi
	done
	# armed only with rt_spin_lock (spinlock_t), the lock regmap takes
	[ -e $T/events/vmrt/rt_spin_lock ] &&
		echo 1 >$T/options/stacktrace && echo 1 >$T/events/vmrt/enable &&
		echo "vm: rt lock check: armed on $n lock functions ($(echo $kinds | tr ' ' '\n' | sort | uniq -c | xargs))"
fi
while read -r m; do
	[ -n "$m" ] || continue
	insmod "/lib/vm/$m" || echo "vm: insmod $m failed"
	echo "vm: loaded ${m#*-}"
done </lib/vm/order
if [ "$VM_PATH" = model ]; then
	# shellcheck disable=SC2086
	insmod /vm/imx-tpm-model.ko $VM_MODEL_PARAMS || echo "vm: insmod imx-tpm-model.ko failed"
fi
if [ "$VM_BUILTIN" = 1 ]; then
	echo "vm: $VM_DRIVER built in"
else
	insmod /vm/pwm-imx-tpm.ko || echo "vm: insmod pwm-imx-tpm.ko failed"
fi
if [ "$VM_BACKLIGHT" = 1 ]; then
	insmod /vm/pwm_bl.ko || echo "vm: insmod pwm_bl.ko failed"
	for b in /sys/class/backlight/*; do
		[ -e "$b/brightness" ] &&
			echo "vm: backlight ${b##*/}: brightness $(cat "$b/brightness") of $(cat "$b/max_brightness")"
	done
	[ -e /sys/kernel/debug/pwm ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	sed 's/^/vm: debugfs pwm: /' /sys/kernel/debug/pwm 2>/dev/null
fi
bound=
for d in /sys/bus/platform/drivers/$VM_DRIVER/*; do
	[ -L "$d" ] && [ -e "$d/driver" ] && bound="$bound ${d##*/}"
done
echo "vm: $VM_DRIVER bound to:${bound:- nothing}"
# where pwmchip_remove() can refuse (5.10), the driver offers no unbind
if [ -e /sys/bus/platform/drivers/$VM_DRIVER/unbind ]; then
	echo "vm: driver unbind: offered"
else
	echo "vm: driver unbind: not offered"
fi
for c in /sys/class/pwm/pwmchip*; do
	[ -e "$c" ] && echo "vm: ${c##*/}: npwm $(cat "$c/npwm"), device $(readlink "$c/device" | sed 's@.*/@@')"
done
ls /dev/pwmchip* 2>/dev/null | sed 's/^/vm: char device /'
set --
while IFS= read -r a; do
	set -- "$@" "$a"
done </vm/args
cd /vm/tests
echo "vm: running the guest script $*"
# the kselftest finds pwm-cdev next to itself
if [ -L /vm/guest ]; then
	sh /vm/tests/pwm-imx-tpm.sh "$@"
else
	sh /vm/guest "$@"
fi
rc=$?
if [ "$VM_RT_LOCKCHECK" = 1 ] && [ "$(cat $T/events/vmrt/enable 2>/dev/null)" = 1 ]; then
	echo 0 >$T/events/vmrt/enable
	n=$(grep -c '<stack trace>' $T/trace)
	echo "vm: rt lock check: $n sleeping lock(s) taken with interrupts disabled"
	# the distinct call chains, 8 frames each (the kprobe'd function first)
	awk '/<stack trace>/ { k = 0; s = ""; on = 1; next }
		on && /^ => / { if (k++ < 8) s = s " " $2; next }
		on { c[s]++; on = 0 }
		END { if (on) c[s]++; for (s in c) print "vm: rt lock check: stack (" c[s] "x):" s }' $T/trace
	echo "vm: rt lock check: done"
fi
echo "vm: guest script exit $rc after $(cut -d' ' -f1 /proc/uptime) s"
echo "vm-dmesg-begin-$VM_TOKEN"
dmesg
echo "vm-dmesg-end-$VM_TOKEN"
echo "vm-exit-$VM_TOKEN"
echo "$rc"
echo "vm-exit-$VM_TOKEN"
sync
poweroff -f
EOF
}

# make_dtb WORK ARCH QEMU_ARGS...: WORK/virt.dtb with the TPM node; sets
# TPM_BASE. VM_TPM_BASE puts the register page elsewhere (check-e2e boots
# through U-Boot, which takes the top of RAM for itself).
# VM_TPM_LAYOUT=imx7ulp-disabled: the node where the i.MX7ULP devicetree
# has TPM4, /bus@40000000/pwm@40250000 (a simple-bus whose ranges map
# 0x40250000 to the page), with status "disabled", so that only the
# package's overlay imx7ulp-tpm4 (target-path) makes it a PWM.
make_dtb() {
	local work=$1 arch=$2 ram_mb=$3 qemu=$4 base
	shift 4
	# 16 MiB below the top of RAM: a no-map page in the last MiB of lowmem
	# stops armmp kernels early in paging_init (measured, 6.12 armmp).
	base=$((0x40000000 + ram_mb * 1024 * 1024 - 0x1000000))
	[[ -n ${VM_TPM_BASE:-} ]] && base=$((VM_TPM_BASE))
	TPM_BASE=$(printf '0x%x' "$base")
	local clk_compat=fixed-clock
	[[ -n ${LATE_CLK:-} ]] && clk_compat=imx-tpm-pwm-test,late-clock
	"$qemu" "$@" -machine "virt,dumpdtb=$work/qemu.dtb" -m "$ram_mb" -display none \
		>"$work/dumpdtb.log" 2>&1 || vm_die "qemu dumpdtb failed: $(cat "$work/dumpdtb.log")"
	dtc -q -I dtb -O dts -o "$work/virt.dts" "$work/qemu.dtb"
	cat >>"$work/virt.dts" <<EOF

/* added by tests/vm/vm.sh: a TPM whose registers are a no-map RAM page */
/ {
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;

		tpm_regs: tpm-regs@${TPM_BASE#0x} {
			reg = <0x0 ${TPM_BASE} 0x0 0x1000>;
			no-map;
		};
	};

	tpm_clk: clock-tpm {
		compatible = "$clk_compat";
		#clock-cells = <0>;
		clock-frequency = <24000000>;
		clock-output-names = "tpm-clk";
	};

};
EOF
	if [[ ${VM_TPM_LAYOUT:-} == imx7ulp-disabled ]]; then
		cat >>"$work/virt.dts" <<EOF
/ {
	bus@40000000 {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges = <0x40250000 0x0 ${TPM_BASE} 0x1000>;

		tpm: pwm@40250000 {
			compatible = "fsl,imx7ulp-pwm";
			reg = <0x40250000 0x1000>;
			clocks = <&tpm_clk>;
			#pwm-cells = <3>;
			status = "disabled";
		};
	};
};
EOF
	else
		cat >>"$work/virt.dts" <<EOF
/ {
	tpm: pwm@${TPM_BASE#0x} {
		compatible = "fsl,imx7ulp-pwm";
		reg = <0x0 ${TPM_BASE} 0x0 0x1000>;
		clocks = <&tpm_clk>;
		#pwm-cells = <3>;
		status = "okay";
	};
};
EOF
	fi
	# BACKLIGHT=1: a panel backlight on channel 1 at 50 us, as the
	# i.MX7ULP EVK's and EA's uCOM kit's devicetrees have it (<&tpm4 1
	# 50000 0>); pwm_bl.ko binds it once the PWM chip is there
	if [[ -n ${BACKLIGHT:-} ]]; then
		cat >>"$work/virt.dts" <<EOF
/ {
	backlight-tpm {
		compatible = "pwm-backlight";
		pwms = <&tpm 1 50000 0>;
		brightness-levels = <0 4 8 16 32 64 128 255>;
		default-brightness-level = <6>;
	};
};
EOF
	fi
	dtc -q -I dts -O dtb -o "$work/virt.dtb" "$work/virt.dts" ||
		vm_die "dtc failed on $work/virt.dts"
}

# qemu_cmd ARCH: set QEMU and QARGS (machine, cpu, console) and RAM_MB.
qemu_cmd() {
	case $1 in
	armhf)
		QEMU="qemu-system-arm"
		QARGS=(-M virt -cpu cortex-a15)
		RAM_MB=256
		CONSOLE=ttyAMA0
		;;
	arm64)
		QEMU="qemu-system-aarch64"
		QARGS=(-M virt -cpu cortex-a57)
		RAM_MB=512
		CONSOLE=ttyAMA0
		;;
	amd64)
		QEMU="qemu-system-x86_64"
		QARGS=(-M pc -cpu qemu64)
		RAM_MB=512
		CONSOLE=ttyS0
		;;
	*) vm_die "unknown architecture $1" ;;
	esac
}

kselftest_has_opt() {
	grep -qE "getopts [^ ]*$1" "$KSELFTEST"
}

# prepare ARCH:SERIES PATH NAME GUEST [ARGS...]: everything a boot needs,
# written to $WORKROOT/NAME/ (initrd.gz, virt.dtb, boot.sh).
prepare() {
	local target=$1 path=$2 name=$3 guest=$4 arch series work token
	shift 4
	arch=${target%%:*}
	series=${target#*:}
	[[ $path == model || $path == dt || $path == dt-late || $path == dt-bl ]] ||
		vm_die "PATH must be model, dt, dt-late or dt-bl, not $path"
	if [[ $path == dt-bl ]]; then
		BACKLIGHT=1
		path=dt
	fi
	[[ $path == dt* && $arch == amd64 ]] && vm_die "the dt paths need an arm guest (amd64 has no OF)"
	BUILTIN=0
	DRIVER_NAME=pwm-imx-tpm
	if [[ $series == *-debug ]]; then
		debug_kernel_setup "$arch" "${series%-debug}" "$name"
	elif [[ $series == upstream ]]; then
		upstream_kernel_setup "$arch" "$name"
	else
		resolve_kernel "$arch" "$series"
		vm_log "$name: kernel $KREL ($IMG_NAME $IMG_VER)"
		build_modules "$arch" "$series"
		kernel_tree "$arch"
	fi
	mainline_module "$arch" "$series"
	busybox_bin "$arch"
	CDEV=
	# /dev/pwmchipN (the PWM waveform API) exists since 6.13.
	if [[ $path == model ]] && dpkg --compare-versions "${KREL%%[-+]*}" ge 6.13; then
		CDEV=$(cdev_bin "$arch")
		# without it the guest would skip the character device's tests
		[[ -n $CDEV ]] || vm_die "$name: cannot build the static pwm-cdev for $arch (its tests would be skipped)"
	fi
	work=$WORKROOT/$name
	mkdir -p "$work"
	token=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
	local -a kargs=("$@")
	# Debian's rt kernels: the guest checks for sleeping locks taken with
	# interrupts off (the debug kernel reports them itself), and the run
	# fails if it cannot (VM_RT_LOCKCHECK=0: go without, e.g. on arm64
	# 6.12, which has neither fprobe events nor ftrace-based kprobes)
	RT_LOCKCHECK=0
	[[ $(series_variant "$series") == rt ]] && RT_LOCKCHECK=${VM_RT_LOCKCHECK:-1}
	make_initrd "$work" "$path" "$guest" "$token" "${kargs[@]}"
	qemu_cmd "$arch"
	local kernel append
	kernel=$(boot_kernel "$arch")
	append="console=$CONSOLE panic=-1 cryptomgr.notests loglevel=5 rdinit=/init"
	# amd64: an emulated CPU on a busy host can miss the IO-APIC timer
	# check at boot ("IO-APIC + timer doesn't work!", a panic; seen under
	# load); the PWM has nothing to do with it
	[[ $arch == amd64 ]] && append+=" no_timer_check"
	# the debug kernels (no ACPI: no HPET, no PM timer) fail their TSC
	# calibration on a busy host and fall back to the jiffies clocksource,
	# whose time stands still with interrupts disabled: a driver's bounded
	# busy-wait then never ends (seen: make check's vm-debug guests hung in
	# pwm_imx_tpm_spin_to_wrap). Give them the host's TSC rate, which TCG
	# passes through; not with -icount, whose TSC is the virtual clock.
	if [[ $series == *-debug && ${VM_QEMU_ARGS:-} != *-icount* ]]; then
		local khz
		khz=$(host_tsc_khz) || vm_die "cannot measure the host's TSC rate (tests/vm/tsc-khz.c)"
		append+=" tsc_early_khz=$khz tsc=reliable"
	fi
	append+="${VM_KERNEL_ARGS:+ $VM_KERNEL_ARGS}"
	local -a qcmd=(timeout -k 10 "$TIMEOUT" "$QEMU" "${QARGS[@]}" -m "$RAM_MB" -smp 1
		-nographic -no-reboot -kernel "$kernel" -initrd "$work/initrd.gz" -append "$append")
	if [[ $path == dt* ]]; then
		# dt-late: the TPM's clock comes from late-clk.ko, loaded by the
		# guest script; fw_devlink=permissive lets the driver's probe run
		# (and defer) before its supplier is there
		LATE_CLK=
		if [[ $path == dt-late ]]; then
			LATE_CLK=1
			qcmd[${#qcmd[@]} - 1]+=" fw_devlink=permissive"
		fi
		make_dtb "$work" "$arch" "$RAM_MB" "$QEMU" "${QARGS[@]}"
		qcmd+=(-dtb "$work/virt.dtb" -device "loader,addr=$(printf '0x%x' $((TPM_BASE + 4))),data=$PARAM_VALUE,data-len=4")
	fi
	# VM_QEMU_ARGS: more QEMU options (e.g. make bench's -icount)
	local -a qextra=()
	read -r -a qextra <<<"${VM_QEMU_ARGS:-}"
	qcmd+=("${qextra[@]}")
	{
		printf 'TOKEN=%q\nKREL=%q\nIMG=%q\n' "$token" "$KREL" "$IMG_NAME $IMG_VER"
		# what the guest's "vm: PREEMPT_RT:" line must say: Debian's rt
		# flavours, and a debug kernel whose fragment sets PREEMPT_RT
		# (tests/vm/debug-kernel-7.3.config)
		printf 'RT=%q\n' "$([[ $(series_variant "$series") == rt || ($series == *-debug && $(kconfig PREEMPT_RT) == y) ]] && echo yes || echo no)"
		printf 'LOCKCHECK=%q\n' "$RT_LOCKCHECK"
		printf 'JIFFIES_OK=%q\n' "$([[ " ${VM_KERNEL_ARGS:-} " == *" clocksource=jiffies "* ]] && echo yes || echo no)"
		# pwmchip_remove() returns int before 5.15: the driver then
		# offers no unbind (src/pwm-imx-tpm-compat.h)
		printf 'UNBIND=%q\n' "$([[ $KREL == 5.10.* ]] && echo 'not offered' || echo offered)"
		printf 'CONFIG=%q\n' "PWM=$(kconfig PWM) COMMON_CLK=$(kconfig COMMON_CLK) REGMAP_MMIO=$(kconfig REGMAP_MMIO) OF=$(kconfig OF) DEBUG_FS=$(kconfig DEBUG_FS)"
		printf 'CDEV=%q\n' "${CDEV:+${CDEV##*/}}"
		printf 'CMD=('
		printf "%q " "${qcmd[@]}"
		printf ')\n'
	} >"$work/boot.env"

}

# host_tsc_khz: the host's TSC rate in kHz (x86 hosts; tests/vm/tsc-khz.c)
host_tsc_khz() {
	local bin=$WORKROOT/tsc-khz
	[[ $(uname -m) == x86_64 ]] || return 1
	[[ -x $bin ]] || gcc -O2 -Wall -o "$bin" "$here/tsc-khz.c" >&2 || return 1
	"$bin"
}

# boot NAME LOG: boot a prepared guest; print "RESULT RC SECONDS" on stdout.
boot() {
	local name=$1 log=$2 work start rc=0 secs grc problems status
	work=$WORKROOT/$name
	local TOKEN KREL IMG CONFIG CDEV RT LOCKCHECK=0 JIFFIES_OK=no UNBIND rtline
	local -a CMD
	# shellcheck source=/dev/null
	. "$work/boot.env"
	mkdir -p "${log%/*}"
	{
		printf '# vm.sh %s: %s, image %s\n' "$name" "$KREL" "$IMG"
		printf '# kernel config: %s\n' "$CONFIG"
		printf '# modules in the initramfs: %s\n' "$(tr '\n' ' ' <"$work/root/lib/vm/order")"
		printf '# pwm-cdev: %s\n' "${CDEV:-none}"
		printf '# %s\n' "${CMD[*]}"
	} >"$log"
	start=$SECONDS
	"${CMD[@]}" </dev/null >>"$log" 2>&1 || rc=$?
	secs=$((SECONDS - start))
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	grc=$(awk -v m="vm-exit-$TOKEN" 'index($0, m) { if (on) exit; on = 1; next } on && /^[0-9]+$/ { print; exit }' "$log")
	problems=$(bad_lines "$log")
	if [[ -n $problems ]]; then
		printf '%s\n' "$problems" >"$log.problems"
	else
		rm -f "$log.problems"
	fi
	rtline=$(grep -m1 -E '^vm: PREEMPT_RT: (yes|no)' "$log" | cut -d' ' -f3 || true)
	if [[ -z $grc ]]; then
		if ((rc == 124 || rc == 137)); then status=TIMEOUT; else status=NOEXIT; fi
		grc=1
	elif [[ -n $problems ]]; then
		status=KERNEL-WARN
	elif [[ $JIFFIES_OK != yes ]] && grep -qE '^vm: clocksource: .*jiffies' "$log"; then
		# time that stands still with interrupts disabled: the run
		# proves nothing about the driver's bounded waits
		status=JIFFIES
	elif ! grep -Eq "^vm: driver unbind: $UNBIND(\[ *[0-9]+\.[0-9]+\] .*)?\$" "$log"; then
		# pwmchip_remove() returns -EBUSY on 5.10: no unbind there.
		# A kernel message may follow on the same console line (seen:
		# "offered[    1.957548] tsc: Refined TSC clocksource ...").
		status=UNBIND
	elif [[ $rtline != "$RT" ]]; then
		# an rt target must have booted a PREEMPT_RT kernel, and only
		# an rt target
		if [[ $RT == yes ]]; then status=NOT-RT; else status=RT; fi
	elif [[ $LOCKCHECK == 1 ]] && ! grep -q '^vm: rt lock check: done' "$log"; then
		# the check must have run, or a clean log proves nothing
		status=NO-LOCKCHECK
	else
		status=OK
	fi
	printf '%s %s %s\n' "$status" "$grc" "$secs"
}

# The distinct kernel problem lines of a log (timestamps stripped).
# bad_lines LOG: the log's problem lines (BAD_RE), each once. Two kinds of
# PWM_DEBUG "Wrong rounding" line are not problems, only counted (in
# LOG.inversed-rounding), both documented limits (README "Behaviour"):
# - an inversed state (offset > 0, offset + duty >= period) produced in the
#   inversed shape with period and offset rounded down and a high time
#   longer than asked by at most what the offset lost (+1 ns of rounding
#   up). No setting of that shape rounds both down when the offset is not
#   a whole number of ticks, and the kernel says so itself
#   (drivers/pwm/core.c, __pwm_apply(): "The rounding is wrong here for
#   states with inverted polarity");
# - 0 % on an inversed channel at the longest period: one tick high at the
#   period end (low-true cannot be always low where CnV cannot exceed MOD,
#   and the polarity of an enabled channel stays): a high phase of at most
#   1/256 of the period (a tick of a counter of 8 bits or more) that ends
#   the period, where less was asked.
# Requested values that awk's doubles cannot hold exactly (2^53 and up)
# are only compared, as digit strings.
# VM_MEASURED_DRIVER (make bench's pair guests: mainline's driver,
# imx7ulp-tpm-pwm, measured beside this one): the PWM_DEBUG lines of that
# driver are its measured behaviour, not problems of the run; counted in
# LOG.measured-debug.
# Each kernel message counts once (budget.sh log_messages).
bad_lines() {
	rm -f "$1.inversed-rounding" "$1.measured-debug"
	log_messages "$BAD_RE" "$1" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' |
		MEASURED=${VM_MEASURED_DRIVER:-} DEBUG_RE=$PWM_DEBUG_RE awk -v known="$1.inversed-rounding" \
			-v measured="$1.measured-debug" '
		# x <= y for decimal digit strings
		function le(x, y) {
			sub(/^0+/, "", x)
			sub(/^0+/, "", y)
			if (length(x) != length(y))
				return length(x) < length(y)
			return x <= y
		}
		function known_limit(line,   s, a, i, small) {
			if (!match(line, /Wrong rounding: requested [0-9]+\/[0-9]+ \[\+[0-9]+\], result [0-9]+\/[0-9]+ \[\+[0-9]+\]/))
				return 0
			s = substr(line, RSTART, RLENGTH)
			gsub(/[^0-9]+/, " ", s)
			if (split(s, a, " ") != 6)
				return 0
			# a[1]/a[2] [+a[3]]: duty/period [+offset]; a[4..6] the result
			for (i = 4; i <= 6; i++)
				if (length(a[i]) > 15)
					return 0
			if (!le(a[5], a[2]))
				return 0
			small = length(a[1]) <= 15 && length(a[2]) <= 15 && length(a[3]) <= 15
			if (small && a[3] > 0 && a[1] + a[3] >= a[2] &&
			    a[6] <= a[3] && a[4] + a[6] >= a[5] &&
			    a[4] - a[1] <= a[3] - a[6] + 1)
				return 1
			return !le(a[4], a[1]) && a[4] * 256 <= a[5] + 256 &&
				a[4] + a[6] >= a[5] && a[4] + a[6] <= a[5] + 1
		}
		known_limit($0) { n++; next }
		ENVIRON["MEASURED"] != "" && index($0, ENVIRON["MEASURED"] " ") == 1 &&
		    $0 ~ ENVIRON["DEBUG_RE"] { m++; next }
		!seen[$0]++
		END { if (n) print n > known; if (m) print m > measured }' || true
}

# One run for the "run" command.
cmd_run() {
	local target=$1 path=$2 guest='' name log status grc secs
	shift 2
	if [[ $# -gt 0 && $1 != -- ]]; then
		guest=$(realpath "$1")
		[[ -r $guest ]] || vm_die "no guest script $1"
		shift
	fi
	[[ $# -gt 0 && $1 == -- ]] && shift
	local -a args=("$@")
	if [[ -z $guest && $path == dt* && ${#args[@]} -eq 0 ]] && kselftest_has_opt S; then
		args=(-S)
	fi
	name=${target/:/-}-$path
	log=$LOGDIR/$name.log
	TIMEOUT=${VM_TIMEOUT:-900}
	prepare "$target" "$path" "$name" "$guest" "${args[@]}"
	vm_log "$name: booting (log: ${log#"$top"/}, timeout ${TIMEOUT} s)"
	read -r status grc secs < <(boot "$name" "$log")
	summarize_run "$name" "$log" "$status" "$grc" "$secs"
	[[ $status == OK ]] || return 1
	return "$grc"
}

summarize_run() {
	local name=$1 log=$2 status=$3 grc=$4 secs=$5
	grep -E '^vm: pwm-imx-tpm bound|^# Totals' "$log" | sed "s/^/  $name: /" >&2 || true
	# each failed test point with the diagnostics printed since the
	# previous one (at most 8), so that a CI log names what failed
	awk -v n="$name" '
		/^(ok|not ok) / {
			if ($1 == "not") {
				for (i = 0; i < k; i++) print "  " n ": " d[i]
				print "  " n ": " $0
			}
			k = 0
			next
		}
		/^# / && k < 8 { d[k++] = $0 }
	' "$log" >&2 || true
	case $status in
	OK) vm_log "$name: guest exit $grc after $secs s" ;;
	TIMEOUT) vm_log "$name: TIMEOUT after $secs s (no exit status from the guest)" ;;
	NOEXIT) vm_log "$name: the guest ended without an exit status after $secs s" ;;
	KERNEL-WARN) vm_log "$name: guest exit $grc after $secs s, but the kernel log has problems:" ;;
	UNBIND) vm_log "$name: guest exit $grc after $secs s, but the driver unbind attribute is not as expected for this kernel (offered from 5.15 on): $(grep -m1 '^vm: driver unbind:' "$log" || echo 'no unbind line')" ;;
	NOT-RT) vm_log "$name: guest exit $grc after $secs s, but the kernel is not PREEMPT_RT: $(grep -m1 '^vm: PREEMPT_RT:' "$log" || echo 'no PREEMPT_RT line')" ;;
	RT) vm_log "$name: guest exit $grc after $secs s, but the kernel is PREEMPT_RT, the target is not" ;;
	JIFFIES) vm_log "$name: guest exit $grc after $secs s, but the guest ran on the jiffies clocksource ($(grep -m1 '^vm: clocksource:' "$log")): its time stands still with interrupts disabled" ;;
	NO-LOCKCHECK) vm_log "$name: guest exit $grc after $secs s, but the rt lock check did not run ($(grep -m1 '^vm: rt lock check' "$log" || echo 'no probe events on rt_spin_lock'); VM_RT_LOCKCHECK=0 goes without)" ;;
	esac
	if [[ -s $log.inversed-rounding ]]; then
		vm_log "$name: $(cat "$log.inversed-rounding") PWM_DEBUG \"Wrong rounding\" lines of the two documented limits (inversed states within what the offset lost; 0 % inversed at the longest period; README \"Behaviour\")"
	fi
	if [[ -s $log.measured-debug ]]; then
		vm_log "$name: $(cat "$log.measured-debug") PWM_DEBUG lines of $VM_MEASURED_DRIVER, the driver measured beside this one (its behaviour, not problems of the run)"
	fi
	if [[ -s $log.problems ]]; then
		sed 's/^/    /' "$log.problems" >&2
	fi
}

cmd_matrix() {
	local jobs=${VM_JOBS:-2} run target path kind name start=$SECONDS t0
	local -a runs
	read -r -a runs <<<"$(tr '\n' ' ' <<<"$MATRIX_RUNS")"
	local -A kver=() res=() nch=()
	mkdir -p "$LOGDIR"
	# 1. Prepare every run (builds, downloads): one at a time.
	t0=$SECONDS
	for run in "${runs[@]}"; do
		target=${run%:*}
		kind=${run##*:}
		path=${kind%%-*}
		name=${target/:/-}-$kind
		local -a args
		if [[ $kind == *-bl ]]; then
			# channel 1 is the backlight's
			read -r -a args <<<"${VM_MATRIX_ARGS_DT:--q -C 0,5}"
			kselftest_has_opt S && args+=(-S)
		elif [[ $path == dt ]]; then
			read -r -a args <<<"${VM_MATRIX_ARGS_DT:--q -C 0,1,5}"
			kselftest_has_opt S && args+=(-S)
		else
			# 300 glitch-test updates per guest, 2700 over the
			# matrix's nine model guests: each costs about 66 ms
			# under TCG (arm64 7.3: 99 s for -n 1000, 46 s for 200)
			read -r -a args <<<"${VM_MATRIX_ARGS_MODEL:--q -n 300 -C 0,1,5}"
		fi
		# channels tested, for the skip budget: -C's list
		nch[$name]=$(ktap_channels "${args[@]}")
		TIMEOUT=${VM_TIMEOUT:-600}
		if ! (
			case $kind in
			*-slow) MODEL_PARAMS=$MODEL_PARAMS_SLOW ;;
			*-strict) MODEL_PARAMS=$MODEL_PARAMS_STRICT ;;
			*-32k) MODEL_PARAMS=$MODEL_PARAMS_32K ;;
			*-bl) BACKLIGHT=1 ;;
			esac
			prepare "$target" "$path" "$name" "" "${args[@]}"
		); then
			res[$name]="FAIL prepare - 0"
		fi
		kver[$name]=$(sed -n 's/^KREL=//p' "$WORKROOT/$name/boot.env" 2>/dev/null || echo '?')
	done
	vm_log "prepared in $((SECONDS - t0)) s; booting $jobs at a time"
	# 2. Boot, JOBS at a time.
	local running=0
	for run in "${runs[@]}"; do
		target=${run%:*}
		name=${target/:/-}-${run##*:}
		[[ -n ${res[$name]:-} ]] && continue
		(
			read -r status grc secs < <(boot "$name" "$LOGDIR/$name.log")
			printf '%s %s %s\n' "$status" "$grc" "$secs" >"$WORKROOT/$name/result"
			summarize_run "$name" "$LOGDIR/$name.log" "$status" "$grc" "$secs"
		) &
		running=$((running + 1))
		if ((running >= jobs)); then
			wait -n || true
			running=$((running - 1))
		fi
	done
	wait || true
	# 3. Table. The tier's counts are the guests' KTAP points; a guest that
	# fails otherwise (no exit status, kernel warnings, skips over their
	# budget) counts one failure more if none of its points failed.
	local passed=0 failed=0 skipped=0 xfailed=0 status grc secs verdict
	local kp kf kx ks l
	printf '\n%-28s %-6s %-12s %-6s %-8s %-24s %s\n' kernel arch path result exit "pass/fail/xfail/skip" seconds
	for run in "${runs[@]}"; do
		target=${run%:*}
		kind=${run##*:}
		name=${target/:/-}-$kind
		if [[ -n ${res[$name]:-} ]]; then
			read -r verdict status grc secs <<<"${res[$name]}"
		else
			read -r status grc secs <"$WORKROOT/$name/result" 2>/dev/null || {
				status=NORESULT
				grc=-
				secs=0
			}
			if [[ $status == OK && $grc == 0 ]]; then verdict=PASS; else verdict=FAIL; fi
		fi
		[[ $status == OK ]] || verdict="FAIL"
		read -r kp kf kx ks <<<"$(ktap_totals "$LOGDIR/$name.log")"
		if [[ -z $ks ]]; then
			kp=0 kf=0 kx=0 ks=0
			verdict=FAIL
			vm_log "$name: no KTAP totals in its log"
		elif [[ -n ${nch[$name]} ]]; then
			if ! ktap_budget_check "$name" "$kind" "${kver[$name]}" "${nch[$name]}" "$ks" "$kx" >"$WORKROOT/budget"; then
				verdict=FAIL
			fi
			while read -r l; do vm_log "$l"; done <"$WORKROOT/budget"
			# every matrix guest has a counter clock the selftest
			# must find: the model's rate parameter, or the fixed
			# clock of the guest's devicetree
			if ! ktap_found_clock "$LOGDIR/$name.log"; then
				verdict=FAIL
				vm_log "$name: the kselftest did not find the counter clock's rate (the guest has one)"
			fi
		else
			vm_log "$name: skip budget not checked (kselftest options without -C)"
		fi
		passed=$((passed + kp))
		failed=$((failed + kf))
		skipped=$((skipped + ks))
		xfailed=$((xfailed + kx))
		[[ $verdict == PASS || $kf -gt 0 ]] || failed=$((failed + 1))
		[[ $status == OK ]] || grc="$grc ($status)"
		printf '%-28s %-6s %-12s %-6s %-8s %-24s %s\n' "${kver[$name]}" "${target%%:*}" "$kind" "$verdict" "$grc" "$kp/$kf/$kx/$ks" "$secs"
	done
	vm_log "matrix done in $((SECONDS - start)) s; logs in ${LOGDIR#"$top"/}/"
	printf 'vm: %d passed, %d failed, %d skipped, %d xfail\n' "$passed" "$failed" "$skipped" "$xfailed"
	((failed == 0))
}

main() {
	[[ $# -ge 1 ]] || usage
	local cmd=$1
	shift
	ensure_host_tools
	WORKROOT=$(deb_cache_dir)/vm/work/$$
	mkdir -p "$WORKROOT" "$LOGDIR"
	trap 'rm -rf "$WORKROOT"' EXIT
	trap 'trap - INT TERM; kill $(jobs -p) 2>/dev/null; exit 130' INT TERM
	case $cmd in
	run)
		[[ $# -ge 2 ]] || usage
		cmd_run "$@"
		;;
	matrix)
		[[ $# -eq 0 ]] || usage
		cmd_matrix
		;;
	demo)
		# shellcheck source=demo.sh source-path=SCRIPTDIR
		. "$here/demo.sh"
		demo_main "$@"
		;;
	-h | --help | help) usage ;;
	*) usage ;;
	esac
}

# Sourced (tests/deb/check-e2e.sh uses make_dtb and qemu_cmd): define only.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	main "$@"
fi
