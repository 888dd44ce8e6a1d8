#!/bin/bash
# tests/matrix/matrix.sh - build the module against Debian's kernel headers
# for several kernel series and architectures, with W=1 C=1, and fail on any
# warning.
#
# usage: tests/matrix/matrix.sh SRCDIR [ARCH:SERIES...]
#   SRCDIR  the module source tree (with its Kbuild), e.g. "$(CURDIR)"
#   ARCH:SERIES  targets, e.g. amd64:6.1 armhf:6.12 amd64:6.12-rt (default:
#           $MATRIX, else all of: amd64:5.10 amd64:6.1 amd64:6.12 amd64:7.3
#           armhf:5.10 armhf:6.1 armhf:6.12 arm64:6.1 arm64:6.12 arm64:7.3
#           armhf:5.10-rt armhf:6.1-rt arm64:6.12-rt amd64:6.12-rt)
#           SERIES-rt is Debian's PREEMPT_RT flavour of SERIES (rt-armmp,
#           rt-arm64, rt-amd64; tests/lib/kernels.sh).
#
# How it works:
# - Series -> suite: 5.10 bullseye, 6.1 bookworm, 6.12 trixie, 7.3
#   trixie-backports. The newest linux-headers-<series>.*-<flavour> package is
#   looked up in the suite's index (plus its -security pocket when that index
#   can be fetched) at run time; nothing is pinned.
# - rt targets: the headers of the rt flavour depend on their own -common-rt
#   package. The configuration the module was built against must have
#   CONFIG_PREEMPT_RT (and that of the other targets must not): both
#   flavours share kbuild, compiler and suite, so a build against the wrong
#   flavour's headers would otherwise pass unnoticed. vermagic alone cannot
#   tell: its preemption word is "preempt_rt" only without
#   CONFIG_PREEMPT_BUILD (include/linux/vermagic.h). Since 6.12, PREEMPT_RT
#   is an option on top of the full or lazy preemption model, which sets
#   PREEMPT_BUILD, so Debian's 6.12 rt modules say "preempt" like those of
#   the ordinary amd64 flavour (6.1 rt: "preempt_rt"). So the table's
#   "preempt" column is the headers' preemption model, and the vermagic must
#   carry the word that configuration gives.
# - Each header package depends on the gcc it was built with (gcc-N,
#   gcc-N-for-host or linux-compiler-gcc-N-<arch>). The build runs inside a
#   debootstrap chroot of the suite (trixie-backports: trixie) that has gcc-N
#   and its arm/aarch64 cross compilers, and CC is passed explicitly
#   (<triplet>-gcc-N), since the headers' default is "$(CROSS_COMPILE)gcc-N".
# - The arch headers, their -common package and the amd64 linux-kbuild are
#   unpacked into the chroot's root, where the absolute paths in Debian's
#   Makefiles resolve.
# - armhf needs an armhf modpost: modpost's device-table parsing uses the
#   struct layouts of the machine modpost was compiled for, and Debian's
#   amd64 linux-kbuild ships its 32-bit variant (modpost.real-lsb-32) with the
#   64-bit layout ("sizeof(struct of_device_id)=200 is not a modulo ..." for
#   any module with an OF table; armhf has 196). arm64 shares amd64's LP64
#   layout and needs no fix. Building modpost from linux-source would cost a
#   150 MB download and ~10 s of xz per series; instead we take modpost from
#   Debian's armhf linux-kbuild of the same version (1-2 MB) and run it with
#   qemu-user (one static binary taken from the suite's qemu package) against
#   the armhf libc that the cross compiler already brings. The armhf headers'
#   "scripts" link is pointed at a copy of the amd64 kbuild scripts whose
#   scripts/mod/modpost is that wrapper; nothing else changes.
# - The source is copied (not bind-mounted: nothing to unmount if we are
#   killed) to /build/<kernel release> in the chroot, a fresh copy per run.
#
# Environment: MATRIX (targets), MATRIX_JOBS (parallel builds, default nproc),
# MATRIX_PRUNE=0 (keep header trees the full matrix no longer uses), and
# those of tests/lib/debian.sh: IMX_TPM_PWM_CACHE (default
# /var/cache/imx-tpm-pwm), IMX_TPM_PWM_INDEX_TTL (default 86400 s),
# IMX_TPM_PWM_REFRESH=1 (fetch the indices now).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$here/../lib/debian.sh"
# shellcheck source=../lib/kernels.sh source-path=SCRIPTDIR
. "$here/../lib/kernels.sh"
DEB_LOG_PREFIX=matrix

# The rt targets: one per architecture, each on a series whose ordinary
# flavour is built too (armhf on 6.1, the oldest kernel Debian ships an rt
# armmp for that boots under QEMU's virt machine as armmp does; arm64 and
# amd64 on 6.12, where PREEMPT_RT is mainline).
DEFAULT_MATRIX="amd64:5.10 amd64:6.1 amd64:6.12 amd64:7.3 armhf:5.10 armhf:6.1 armhf:6.12 arm64:6.1 arm64:6.12 arm64:7.3 armhf:5.10-rt armhf:6.1-rt arm64:6.12-rt amd64:6.12-rt"
STATE=/var/lib/imx-tpm-pwm # inside each chroot
LIBDIR=/usr/lib/imx-tpm-pwm # inside each chroot
SPARSE_SUITE=${MATRIX_SPARSE_SUITE:-sid}

usage() {
	cat >&2 <<EOU
usage: $0 SRCDIR [ARCH:SERIES...]
  targets default to \$MATRIX, else: $DEFAULT_MATRIX
EOU
	exit 2
}

arch_kernel_arch() {
	case $1 in
	amd64) echo x86 ;;
	armhf) echo arm ;;
	arm64) echo arm64 ;;
	esac
}

arch_cross() {
	case $1 in
	amd64) echo '' ;;
	armhf) echo arm-linux-gnueabihf- ;;
	arm64) echo aarch64-linux-gnu- ;;
	esac
}

ensure_host_tools() {
	local t
	[[ $EUID == 0 ]] || deb_die "needs root (debootstrap, chroot)"
	for t in apt-get apt-cache dpkg-deb tar flock chroot unshare; do
		command -v "$t" >/dev/null || deb_die "$t is missing on the host"
	done
	if ! command -v debootstrap >/dev/null; then
		deb_log "installing debootstrap on the host (apt-get)"
		if ! apt-get install -y -q debootstrap >/dev/null 2>&1; then
			apt-get update -q >/dev/null 2>&1 || true
			apt-get install -y -q debootstrap >/dev/null ||
				deb_die "cannot install debootstrap"
		fi
	fi
}

# The entry of a Depends field whose package name matches REGEX, as
# "NAME OP VERSION" (OP and VERSION empty without a version constraint).
dep_entry() {
	local deps=$1 re=$2 entry name op ver
	local -a entries
	IFS=',' read -r -a entries <<<"$deps"
	for entry in "${entries[@]}"; do
		entry=${entry%%|*}
		if [[ $entry =~ ^[[:space:]]*([^[:space:]\(]+)[[:space:]]*(\(([<>=]+)[[:space:]]*([^\)]+)\))? ]]; then
			name=${BASH_REMATCH[1]}
			op=${BASH_REMATCH[3]}
			ver=${BASH_REMATCH[4]}
			if [[ $name =~ $re ]]; then
				printf '%s %s %s\n' "$name" "$op" "$ver"
				return 0
			fi
		fi
	done
	return 1
}

# dpkg's relation operators for --compare-versions.
dpkg_op() {
	case $1 in
	'>=') echo ge ;; '<=') echo le ;; '=') echo eq ;; '>>') echo gt ;; '<<') echo lt ;;
	esac
}

fail_target() {
	local t=$1
	shift
	printf '%s\n' "$*" >"$run/fail.$t"
}

# Resolve one target; write the assignments of its T_*[$t] variables to
# $run/resolved.$t (run as a background job), or mark it failed.
resolve_target() {
	local t=$1 arch=${1%%:*} series=${1#*:} suite flav re found hdr hver deps
	local cname cop cver kname kop kver kv akv gcc
	suite=$(series_suite "$series") || {
		fail_target "$t" "unknown kernel series $series"
		return 0
	}
	flav=$(arch_flavour "$arch" "$(series_variant "$series")") || {
		fail_target "$t" "unknown architecture $arch"
		return 0
	}
	series=$(series_base "$series")
	if [[ -e $run/noindex.$suite-$arch || -e $run/noindex.$suite-amd64 ]]; then
		fail_target "$t" "the $suite index ($arch and amd64) could not be fetched; see the error above"
		return 0
	fi
	re="^linux-headers-${series//./\\.}\\.[0-9][^-]*(-[0-9]+)?-$flav\$"
	found=$(deb_newest "$suite" "$arch" "$re") || {
		fail_target "$t" "no package matching $re in $suite $arch"
		return 0
	}
	read -r hdr hver <<<"$found"
	deps=$(deb_field "$suite" "$arch" "$hdr" "$hver" Depends)
	# (-common-rt for the rt flavour)
	read -r cname cop cver < <(dep_entry "$deps" '^linux-headers-.*-common(-rt)?$') || {
		fail_target "$t" "$hdr=$hver: no -common package in Depends: $deps"
		return 0
	}
	[[ $cop == '=' ]] || cver=$hver
	read -r kname kop kver < <(dep_entry "$deps" '^linux-kbuild-') || {
		fail_target "$t" "$hdr=$hver: no linux-kbuild in Depends: $deps"
		return 0
	}
	# gcc-N, gcc-N-for-host or linux-compiler-gcc-N-<arch>
	if [[ $deps =~ gcc-([0-9]+) ]]; then
		gcc=gcc-${BASH_REMATCH[1]}
	else
		fail_target "$t" "$hdr=$hver: no gcc-N in Depends: $deps"
		return 0
	fi
	# The newest amd64 kbuild, like apt would install; it must satisfy the
	# headers' constraint (>= their version for 5.10 and 6.1, whose kbuild
	# package name is shared by all ABIs of the series).
	kv=$(deb_candidate "$suite" amd64 "$kname")
	if [[ -z $kv ]] || { [[ -n $kop ]] && ! dpkg --compare-versions "$kv" "$(dpkg_op "$kop")" "$kver"; }; then
		fail_target "$t" "$hdr=$hver needs $kname ($kop $kver); amd64 index has '${kv:-none}'"
		return 0
	fi
	akv=''
	if [[ $arch == armhf ]]; then
		# modpost from the armhf kbuild of the same version if the armhf
		# index has it, else its newest one that suits these headers.
		if deb_has_version "$suite" armhf "$kname" "$kv"; then
			akv=$kv
		else
			akv=$(deb_candidate "$suite" armhf "$kname")
			if [[ -z $akv ]] || { [[ -n $kop ]] && ! dpkg --compare-versions "$akv" "$(dpkg_op "$kop")" "$kver"; }; then
				fail_target "$t" "no armhf $kname for $hdr=$hver"
				return 0
			fi
			deb_log "note: $t: armhf modpost from $kname $akv, kbuild scripts from $kv"
		fi
	fi
	local kdeps
	kdeps=$(deb_depends_names "$(deb_field "$suite" amd64 "$kname" "$kv" Depends)" | tr '\n' ' ')
	deb_log "$t: $hdr $hver, $kname $kv, $gcc"
	{
		printf 'T_SUITE[%q]=%q\n' "$t" "$suite"
		printf 'T_CHROOT[%q]=%q\n' "$t" "${suite%-backports}"
		printf 'T_KREL[%q]=%q\n' "$t" "${hdr#linux-headers-}"
		printf 'T_HDR[%q]=%q\n' "$t" "$hdr $hver"
		printf 'T_COMMON[%q]=%q\n' "$t" "$cname $cver"
		printf 'T_KBUILD[%q]=%q\n' "$t" "$kname $kv"
		printf 'T_AKBUILD[%q]=%q\n' "$t" "$akv"
		printf 'T_GCC[%q]=%q\n' "$t" "${gcc#gcc-}"
		printf 'T_KDEPS[%q]=%q\n' "$t" "$kdeps"
		printf 'T_RT[%q]=%q\n' "$t" "$(series_variant "${t#*:}")"
	} >"$run/resolved.$t"
}

# chroot_install_deb ROOT DEB: unpack DEB into ROOT unless it already is.
# The trees it brings (usr/src/X, usr/lib/linux-kbuild-X) are recorded as
# owned by it; a tree owned by another .deb (another version of the same
# package) is removed first.
chroot_install_deb() {
	local root=$1 deb=$2 base r owner intact=1
	local -a roots
	base=${deb##*/}
	mkdir -p "$root$STATE/debs" "$root$STATE/owners"
	if [[ -s $root$STATE/debs/$base ]]; then
		mapfile -t roots <"$root$STATE/debs/$base"
		for r in "${roots[@]}"; do
			owner=$(cat "$root$STATE/owners/${r//\//%}" 2>/dev/null || true)
			[[ $owner == "$base" && -d $root/$r ]] || intact=0
		done
		((intact)) && return 0
	fi
	mapfile -t roots < <(dpkg-deb -c "$deb" | awk '{ print $6 }' |
		sed -nE 's@^\./(usr/src/[^/]+|usr/lib/linux-kbuild-[^/]+)/?$@\1@p')
	for r in "${roots[@]}"; do
		owner=$(cat "$root$STATE/owners/${r//\//%}" 2>/dev/null || true)
		if [[ $owner != "$base" ]]; then
			rm -rf "${root:?}/$r"
			[[ -n $owner ]] && rm -f "$root$STATE/debs/$owner"
		fi
	done
	deb_log "unpack $base into ${root##*/}"
	deb_extract "$deb" "$root"
	for r in "${roots[@]}"; do
		printf '%s\n' "$base" >"$root$STATE/owners/${r//\//%}"
	done
	printf '%s\n' "${roots[@]}" >"$root$STATE/debs/$base"
}

# Remove the trees of unpacked .debs that are not in KEEP (basenames).
chroot_prune() {
	local root=$1 keep=" $2 " stamp base r owner
	for stamp in "$root$STATE"/debs/*; do
		[[ -e $stamp ]] || continue
		base=${stamp##*/}
		[[ $keep == *" $base "* ]] && continue
		while read -r r; do
			owner=$(cat "$root$STATE/owners/${r//\//%}" 2>/dev/null || true)
			if [[ $owner == "$base" ]]; then
				deb_log "prune ${root##*/}:/$r"
				rm -rf "${root:?}/$r" "$root$STATE/owners/${r//\//%}"
			fi
		done <"$stamp"
		rm -f "$stamp"
	done
}

# A static qemu-arm in the chroot, from the suite's qemu-user-static (or, where
# that is only a transitional package, qemu-user, which is static there).
chroot_qemu_arm() {
	local root=$1 suite=$2 q=$1$LIBDIR/qemu-arm pkg deb member tmp
	if [[ ! -x $q ]]; then
		for pkg in qemu-user-static qemu-user; do
			deb=$(deb_download "$suite" amd64 "$pkg") || continue
			for member in ./usr/bin/qemu-arm-static ./usr/bin/qemu-arm; do
				# (grep without -q: it must read all, or pipefail sees SIGPIPE)
				if dpkg-deb -c "$deb" | awk '$1 ~ /^-/ { print $6 }' | grep -xF "$member" >/dev/null; then
					tmp=$(mktemp -d "$root/tmp/qemu.XXXXXX")
					deb_extract "$deb" "$tmp" "$member"
					mkdir -p "$root$LIBDIR"
					mv "$tmp/$member" "$q.new"
					rm -rf "$tmp"
					mv "$q.new" "$q"
					break 2
				fi
			done
		done
	fi
	if [[ ! -x $q ]] || ! deb_chroot_run "$root" "$LIBDIR/qemu-arm" -version >/dev/null 2>&1; then
		deb_die "no working static qemu-arm for the $suite chroot"
	fi
}

# Point the armhf headers at kbuild scripts whose modpost is Debian's armhf
# modpost, run with qemu-arm (see the comment at the top).
chroot_armhf_modpost() {
	local root=$1 krel=$2 kname=$3 kdeb=$4 adeb=$5 ov stamp tmp member
	ov=$LIBDIR/armhf-kbuild/$kname
	stamp="${kdeb##*/} ${adeb##*/}"
	if [[ $(cat "$root$ov.stamp" 2>/dev/null || true) != "$stamp" || ! -x $root$ov/scripts/mod/modpost ]]; then
		deb_log "armhf modpost for $kname in ${root##*/}"
		rm -rf "${root:?}$ov" "$root$ov.stamp"
		mkdir -p "$root$ov"
		cp -a "$root/usr/lib/$kname/scripts" "$root$ov/scripts"
		member=./usr/lib/$kname/scripts/mod/modpost.real-lsb-32
		tmp=$(mktemp -d "$root/tmp/modpost.XXXXXX")
		deb_extract "$adeb" "$tmp" "$member"
		mv "$tmp/$member" "$root$ov/scripts/mod/modpost.armhf"
		rm -rf "$tmp"
		rm -f "$root$ov/scripts/mod/modpost"
		cat >"$root$ov/scripts/mod/modpost" <<EOF
#!/bin/sh
# Debian's armhf modpost (armhf struct layouts), run with qemu-user; the
# armhf libc comes with the cross compiler (libc6-armhf-cross).
exec $LIBDIR/qemu-arm -L /usr/arm-linux-gnueabihf $ov/scripts/mod/modpost.armhf "\$@"
EOF
		chmod 755 "$root$ov/scripts/mod/modpost"
		printf '%s\n' "$stamp" >"$root$ov.stamp"
	fi
	ln -sfn "../../lib/imx-tpm-pwm/armhf-kbuild/$kname/scripts" "$root/usr/src/linux-headers-$krel/scripts"
}

# Kernels whose Makefile validates the checker with scripts/checker-valid.sh
# (7.x) need a sparse that understands __typeof_unqual__, which they use
# whenever __CHECKER__ is defined. Debian's linux-kbuild-7.x does not ship
# that script (the Makefile then warns and silently skips sparse), and
# trixie's sparse 0.6.4 cannot parse such code; sparse >= 0.6.5~rc1 can. So:
# add our own checker-valid.sh, and if the chroot's sparse fails it, use the
# newest sparse binary from $SPARSE_SUITE (sid) unpacked beside the chroot's
# (it needs only libc). Writes the CHECK program for target T to $run/check.T.
chroot_sparse() {
	local t=$1 root=$2 common kname cv ver deb dir tmp
	common=/usr/src/${T_COMMON[$t]%% *}
	kname=${T_KBUILD[$t]%% *}
	if ! grep -q 'checker-valid\.sh' "$root$common/Makefile"; then
		echo sparse >"$run/check.$t"
		return 0
	fi
	cv=/usr/lib/$kname/scripts/checker-valid.sh
	if [[ ! -x $root$cv ]]; then
		cat >"$root$cv" <<'EOS'
#!/bin/sh
# Written by tests/matrix/matrix.sh: Debian's linux-kbuild lacks this script.
# The kernel's Makefile runs "checker-valid.sh $(CHECK) $(CHECKFLAGS)" and
# keeps C=1 only if it prints 1: the checker exists and parses
# __typeof_unqual__, which the kernel's headers use under __CHECKER__.
command -v "$1" >/dev/null 2>&1 || { echo 0; exit 0; }
probe=$(mktemp --suffix=.c) || { echo 0; exit 0; }
printf 'int probe(const int *p)\n{\n\t__typeof_unqual__(*p) v = *p;\n\n\tv++;\n\treturn v;\n}\n' >"$probe"
if out=$("$@" "$probe" 2>&1) && ! printf '%s\n' "$out" | grep -q 'error'; then
	echo 1
else
	echo 0
fi
rm -f "$probe"
EOS
		chmod 755 "$root$cv"
	fi
	if [[ $(deb_chroot_run "$root" "$cv" sparse) == 1 ]]; then
		echo sparse >"$run/check.$t"
		return 0
	fi
	deb_apt_update "$SPARSE_SUITE" amd64 || {
		deb_log "error: $t needs a sparse newer than the chroot's, and there is no $SPARSE_SUITE index"
		return 1
	}
	ver=$(deb_candidate "$SPARSE_SUITE" amd64 sparse)
	[[ -n $ver ]] || return 1
	dir=$LIBDIR/sparse-$ver
	if [[ ! -x $root$dir/sparse ]]; then
		deb=$(deb_download "$SPARSE_SUITE" amd64 sparse "$ver") || return 1
		deb_log "sparse $ver from $SPARSE_SUITE for $t"
		tmp=$(mktemp -d "$root/tmp/sparse.XXXXXX")
		deb_extract "$deb" "$tmp" ./usr/bin/sparse
		mkdir -p "$root$dir"
		mv "$tmp/usr/bin/sparse" "$root$dir/sparse"
		rm -rf "$tmp"
	fi
	if [[ $(deb_chroot_run "$root" "$cv" "$dir/sparse") != 1 ]]; then
		deb_log "error: $t: sparse $ver from $SPARSE_SUITE does not pass checker-valid.sh either"
		return 1
	fi
	echo "$dir/sparse" >"$run/check.$t"
}

# Download and unpack the headers of target T into ROOT (chroot CS); record
# the .debs in $run/keep.CS.
prepare_target() {
	local t=$1 root=$2 cs=$3 arch=${1%%:*} suite=${T_SUITE[$1]} name ver deb kdeb adeb
	read -r name ver <<<"${T_HDR[$t]}"
	deb=$(deb_download "$suite" "$arch" "$name" "$ver") || return 1
	deb_with_lock "chroot-$cs" chroot_install_deb "$root" "$deb" || return 1
	printf '%s\n' "${deb##*/}" >>"$run/keep.$cs"
	read -r name ver <<<"${T_COMMON[$t]}"
	deb=$(deb_download "$suite" "$arch" "$name" "$ver") || return 1
	deb_with_lock "chroot-$cs" chroot_install_deb "$root" "$deb" || return 1
	printf '%s\n' "${deb##*/}" >>"$run/keep.$cs"
	read -r name ver <<<"${T_KBUILD[$t]}"
	kdeb=$(deb_download "$suite" amd64 "$name" "$ver") || return 1
	deb_with_lock "chroot-$cs" chroot_install_deb "$root" "$kdeb" || return 1
	printf '%s\n' "${kdeb##*/}" >>"$run/keep.$cs"
	if [[ $arch == armhf ]]; then
		adeb=$(deb_download "$suite" armhf "$name" "${T_AKBUILD[$t]}") || return 1
		deb_with_lock "chroot-$cs" chroot_qemu_arm "$root" "$cs" || return 1
		deb_with_lock "chroot-$cs" chroot_armhf_modpost "$root" "${T_KREL[$t]}" \
			"$name" "$kdeb" "$adeb" || return 1
	fi
	deb_with_lock "chroot-$cs" chroot_sparse "$t" "$root" || return 1
}

# Everything one chroot needs for its targets; runs as a background job.
prepare_chroot() {
	local cs=$1 t root n
	local -a pkgs=(make libc6-dev sparse kmod) ts=() more
	for t in "${TARGETS[@]}"; do
		[[ ! -e $run/fail.$t && ${T_CHROOT[$t]:-} == "$cs" ]] && ts+=("$t")
	done
	((${#ts[@]})) || return 0
	for t in "${ts[@]}"; do
		n=${T_GCC[$t]}
		pkgs+=("gcc-$n" "gcc-$n-arm-linux-gnueabihf" "gcc-$n-aarch64-linux-gnu")
		read -r -a more <<<"${T_KDEPS[$t]}"
		pkgs+=("${more[@]}")
	done
	mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
	root=$(deb_chroot "$cs" "${pkgs[@]}") || {
		for t in "${ts[@]}"; do fail_target "$t" "no $cs chroot"; done
		return 0
	}
	: >"$run/keep.$cs"
	for t in "${ts[@]}"; do
		prepare_target "$t" "$root" "$cs" ||
			fail_target "$t" "could not prepare its headers in the $cs chroot"
	done
	if [[ $FULL == 1 && ${MATRIX_PRUNE:-1} == 1 ]] && ! compgen -G "$run/fail.*" >/dev/null; then
		deb_with_lock "chroot-$cs" chroot_prune "$root" "$(tr '\n' ' ' <"$run/keep.$cs")"
	fi
}

# preempt_model AUTOCONF_H: the preemption model of a kernel configuration
# (rt, dynamic, full, lazy, voluntary, none); rt first: since 6.12 it comes
# on top of one of the others.
preempt_model() {
	local h=$1 o m
	[[ -s $h ]] || {
		echo '?'
		return 0
	}
	for o in PREEMPT_RT:rt PREEMPT_DYNAMIC:dynamic PREEMPT:full PREEMPT_LAZY:lazy PREEMPT_VOLUNTARY:voluntary; do
		if grep -qx "#define CONFIG_${o%%:*} 1" "$h"; then
			m=${o#*:}
			break
		fi
	done
	echo "${m:-none}"
}

# vermagic_preempt AUTOCONF_H: the preemption word that configuration puts
# into vermagic (include/linux/vermagic.h), or nothing.
vermagic_preempt() {
	if grep -qx '#define CONFIG_PREEMPT_BUILD 1' "$1"; then
		echo preempt
	elif grep -qx '#define CONFIG_PREEMPT_RT 1' "$1"; then
		echo preempt_rt
	fi
}

# Build one target; record "PASS|FAIL<TAB>preemption model<TAB>vermagic" and
# the reasons.
build_target() {
	local t=$1 arch=${1%%:*} krel=${T_KREL[$1]} n=${T_GCC[$1]} root bdir log cross
	local rc=0 issues ko vermagic check autoconf model word
	local -a args kos
	root=$(deb_cache_dir)/chroot/${T_CHROOT[$t]}
	bdir=/build/$krel
	log=$root$bdir.log
	cross=$(arch_cross "$arch")
	rm -rf "${root:?}$bdir"
	mkdir -p "$root$bdir"
	# tests/logs is being written while we copy (make check tees into it)
	tar -C "$SRC" --exclude-vcs --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude=Module.symvers \
		--exclude=modules.order --exclude=./tests/logs \
		-cf - . | tar -C "$root$bdir" -xf -
	args=(-C "/usr/src/linux-headers-$krel" "M=$bdir" "ARCH=$(arch_kernel_arch "$arch")"
		"CC=${cross}gcc-$n" "HOSTCC=gcc-$n" W=1 C=1 modules)
	[[ -n $cross ]] && args+=("CROSS_COMPILE=$cross")
	check=$(cat "$run/check.$t" 2>/dev/null || echo sparse)
	[[ $check == sparse ]] || args+=("CHECK=$check")
	deb_log "build $krel ($arch, gcc-$n)"
	printf '+ make %s\n' "${args[*]}" >"$log"
	deb_chroot_run "$root" make "${args[@]}" >>"$log" 2>&1 || rc=$?
	# Compiler, sparse and linker diagnostics; modpost's WARNING/ERROR
	# lines; make's own messages ($(warning) in a Makefile, failed $(shell)
	# commands, errors).
	issues=$(grep -nE '(^|[[:space:]:])(warning|error):|^(WARNING|ERROR|FATAL)[: ]|^[^[:space:]]*(Makefile|Kbuild)[^[:space:]:]*:[0-9]+: |^make(\[[0-9]+\])?: ' "$log" |
		grep -vE '^[0-9]+:make(\[[0-9]+\])?: (Entering|Leaving) directory' || true)
	mapfile -t kos < <(cd "$root$bdir" && find . -name '*.ko' | sort)
	# the configuration the module was compiled against
	autoconf=$root/usr/src/linux-headers-$krel/include/generated/autoconf.h
	model=$(preempt_model "$autoconf")
	word=$(vermagic_preempt "$autoconf")
	vermagic='-'
	if ((${#kos[@]})); then
		ko=${kos[0]#./}
		vermagic=$(deb_chroot_run "$root" modinfo -F vermagic "$bdir/$ko" 2>/dev/null | sed 's/[[:space:]]*$//' || true)
	fi
	{
		((rc == 0)) || printf 'make failed (exit %s)\n' "$rc"
		[[ -z $issues ]] || printf 'diagnostics in the build log:\n%s\n' "$issues"
		((${#kos[@]})) || printf 'no .ko built\n'
		if ((rc == 0)) && ! grep -q '^  CHECK ' "$log"; then
			printf 'sparse did not run (C=1)\n'
		fi
		if ((${#kos[@]})) && [[ $vermagic != "$krel "* ]]; then
			printf 'vermagic "%s" does not start with "%s "\n' "$vermagic" "$krel"
		fi
		# an rt target is built against PREEMPT_RT headers, and only an
		# rt target; its vermagic carries the preemption word of those
		# headers (see the top: "preempt" on 6.12 rt, "preempt_rt" on 6.1)
		if [[ -n ${T_RT[$t]} && $model != rt ]]; then
			printf 'an rt target, but its headers have no CONFIG_PREEMPT_RT (%s)\n' "$autoconf"
		elif [[ -z ${T_RT[$t]} && $model == rt ]]; then
			printf 'not an rt target, but its headers have CONFIG_PREEMPT_RT (%s)\n' "$autoconf"
		fi
		if ((${#kos[@]})) && [[ -n $word && " $vermagic " != *" $word "* ]]; then
			printf 'vermagic "%s" lacks "%s", which its headers give (preemption model %s)\n' \
				"$vermagic" "$word" "$model"
		elif ((${#kos[@]})) && [[ $model != rt && " $vermagic " == *" preempt_rt "* ]]; then
			printf 'vermagic "%s" says preempt_rt, but the headers are not PREEMPT_RT\n' "$vermagic"
		fi
	} >"$run/why.$t"
	if [[ -s $run/why.$t ]]; then
		printf 'build log: %s\n' "$log" >>"$run/why.$t"
		printf 'FAIL\t%s\t%s\n' "$model" "${vermagic:--}" >"$run/res.$t"
	else
		printf 'PASS\t%s\t%s\n' "$model" "$vermagic" >"$run/res.$t"
	fi
}

main() {
	[[ $# -ge 1 && $1 != -h && $1 != --help ]] || usage
	SRC=$(cd "$1" && pwd)
	shift
	[[ -f $SRC/Kbuild || -f $SRC/Makefile ]] || deb_die "$SRC has no Kbuild or Makefile"
	local spec=${*:-${MATRIX:-$DEFAULT_MATRIX}}
	local -a given
	read -r -a given <<<"$spec"
	mapfile -t TARGETS < <(printf '%s\n' "${given[@]}" | awk '!seen[$0]++')
	FULL=0
	[[ "${TARGETS[*]}" == "$DEFAULT_MATRIX" ]] && FULL=1
	ensure_host_tools
	deb_cache_dir >/dev/null
	run=$(mktemp -d)
	trap 'rm -rf "$run"' EXIT
	# Stop our background jobs too when we are interrupted or terminated.
	trap 'trap - INT TERM; kill $(jobs -p) 2>/dev/null; exit 130' INT TERM
	local start=$SECONDS t sa s a

	# 1. Indices, in parallel: each target's (suite, arch) and (suite, amd64)
	# for linux-kbuild.
	local -A pairs=() pids=()
	for t in "${TARGETS[@]}"; do
		s=$(series_suite "${t#*:}") || continue
		pairs["$s ${t%%:*}"]=1
		pairs["$s amd64"]=1
	done
	for sa in "${!pairs[@]}"; do
		read -r s a <<<"$sa"
		deb_apt_update "$s" "$a" &
		pids[$sa]=$!
	done
	for sa in "${!pids[@]}"; do
		wait "${pids[$sa]}" || {
			read -r s a <<<"$sa"
			touch "$run/noindex.$s-$a"
		}
	done

	# 2. Resolve versions.
	declare -gA T_SUITE=() T_CHROOT=() T_KREL=() T_HDR=() T_COMMON=() T_KBUILD=() \
		T_AKBUILD=() T_GCC=() T_KDEPS=() T_RT=()
	for t in "${TARGETS[@]}"; do
		resolve_target "$t" &
	done
	wait
	for t in "${TARGETS[@]}"; do
		if [[ -e $run/resolved.$t ]]; then
			# shellcheck source=/dev/null
			. "$run/resolved.$t"
		elif [[ ! -e $run/fail.$t ]]; then
			fail_target "$t" "could not resolve its packages"
		fi
	done

	# 3. Chroots and headers, one background job per chroot.
	local -A chroots=()
	for t in "${TARGETS[@]}"; do
		[[ -n ${T_CHROOT[$t]:-} ]] && chroots[${T_CHROOT[$t]}]=1
	done
	pids=()
	for s in "${!chroots[@]}"; do
		prepare_chroot "$s" &
		pids[$s]=$!
	done
	for s in "${!pids[@]}"; do
		wait "${pids[$s]}" || true
	done
	deb_log "ready after $((SECONDS - start)) s; building"

	# 4. Builds, MATRIX_JOBS at a time.
	local jobs=${MATRIX_JOBS:-$(nproc)} running=0
	for t in "${TARGETS[@]}"; do
		[[ -e $run/fail.$t ]] && continue
		# the build directory is per kernel, not per run: another
		# matrix.sh building for the same kernel (make check's lanes:
		# vm's module builds, check-upstream's) waits
		deb_with_lock "build-${T_KREL[$t]}" build_target "$t" &
		running=$((running + 1))
		if ((running >= jobs)); then
			wait -n || true
			running=$((running - 1))
		fi
	done
	wait || true

	# 5. Report.
	local passed=0 failed=0 result model vermagic krel
	for t in "${TARGETS[@]}"; do
		if [[ -e $run/fail.$t ]]; then
			cp "$run/fail.$t" "$run/why.$t"
			printf 'FAIL\t-\t-\n' >"$run/res.$t"
		elif [[ ! -s $run/res.$t ]]; then
			echo "the build job ended without a result" >"$run/why.$t"
			printf 'FAIL\t-\t-\n' >"$run/res.$t"
		fi
		IFS=$'\t' read -r result model vermagic <"$run/res.$t"
		if [[ $result != PASS ]]; then
			printf '\n--- %s (%s) ---\n' "$t" "${T_KREL[$t]:-?}" >&2
			head -n 60 "$run/why.$t" >&2
		fi
	done
	printf '\n%-24s %-6s %-7s %-9s %s\n' kernel arch result preempt vermagic
	for t in "${TARGETS[@]}"; do
		IFS=$'\t' read -r result model vermagic <"$run/res.$t"
		krel=${T_KREL[$t]:-"${t#*:} (?)"}
		printf '%-24s %-6s %-7s %-9s %s\n' "$krel" "${t%%:*}" "$result" "$model" "$vermagic"
		if [[ $result == PASS ]]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	done
	deb_log "done in $((SECONDS - start)) s"
	printf 'matrix: %d passed, %d failed\n' "$passed" "$failed"
	((failed == 0))
}

main "$@"
