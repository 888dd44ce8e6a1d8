#!/bin/bash
# tests/upstream/upstream.sh - the driver as a patch series for mainline's
# drivers/pwm/pwm-imx-tpm.c, and its checks.
#
# usage:
#   tests/upstream/upstream.sh write [OUTDIR]   make upstream: write the
#                 series (git format-patch, with a cover letter) into OUTDIR
#                 (default build/upstream)
#   tests/upstream/upstream.sh check [OUTDIR]   make check-upstream: write
#                 it, then apply it with git am to the tree, run checkpatch
#                 --strict on every patch (signed off as the README tells the
#                 submitter to), build every step with W=1 for arm64, armhf
#                 and amd64 (COMPILE_TEST), build an arm64 kernel of the
#                 result (PWM_DEBUG, DEBUG_ATOMIC_SLEEP, the driver built
#                 in) and run the kselftest in it on the dt path under QEMU
#   tests/upstream/upstream.sh bench-src OUTDIR   make bench: mainline's
#                 driver (the tree's, at the tag "debian") after patch 1,
#                 with the test-only parent-regmap fallback (series.py
#                 --bench-mainline), as a module source directory: OUTDIR
#                 gets pwm-imx-tpm-mainline.c and a Kbuild
#
# The tree: Debian's newest linux-source (tests/upstream/tree.sh), a git
# repository in the cache. The series: tests/upstream/series.py makes the
# driver file of each step from mainline's file and src/, and
# tests/upstream/messages/N.txt are the commit messages (first line the
# subject), cover.txt the cover letter's. The commits are made on the
# branch "series" of the tree and written with git format-patch; the
# author is a placeholder and there is no Signed-off-by: the person who
# sends the series makes it theirs (README.md, "Upstream").
#
# Builds run in the cached trixie chroot (Debian's compilers for 7.x:
# gcc, gcc-aarch64-linux-gnu, gcc-arm-linux-gnueabihf) with the tree and
# the build directories bind-mounted at their own paths; a build
# directory per architecture (O=), configured once from
# tests/upstream/<arch>.config merged onto allnoconfig, cached with the
# tree.
#
# Environment: UPSTREAM_JOBS (2), UPSTREAM_GUEST (1; 0: no guest run),
# UPSTREAM_SELFTEST_ARGS (-q -S: the quick run on plain-memory registers;
# the kernels after patches 1 to 5 also get -C 0,5),
# and those of tests/lib/debian.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$top/tests/lib/debian.sh"
# shellcheck source=../lib/kernels.sh source-path=SCRIPTDIR
. "$top/tests/lib/kernels.sh"
# shellcheck source=tree.sh source-path=SCRIPTDIR
. "$here/tree.sh"
# shellcheck source=../vm/budget.sh source-path=SCRIPTDIR
. "$top/tests/vm/budget.sh"
export DEB_LOG_PREFIX=upstream

JOBS=${UPSTREAM_JOBS:-2}
NPATCH=6
ARCHS=(arm64 armhf amd64)
CHROOT_PKGS=(gcc make flex bison bc libelf-dev libssl-dev cpio kmod xz-utils
	gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf python3)
# the series' author until the submitter makes it theirs
SERIES_AUTHOR="imx-tpm-pwm series <series@imx-tpm-pwm.invalid>"
# the identity the check signs the series off with, as a submitter would
TEST_SUBMITTER_NAME="Test Submitter"
TEST_SUBMITTER_EMAIL="submitter@example.org"

up_die() {
	printf 'upstream: error: %s\n' "$*" >&2
	exit 1
}

up_log() {
	printf 'upstream: %s\n' "$*" >&2
}

tgit() {
	"${UP_GIT[@]}" -C "$UP_TREE" "$@"
}

# --- writing the series -----------------------------------------------------

# up_write OUTDIR: the series from the current src/ into OUTDIR; the tree
# is left at the tag "debian".
up_write() {
	local out=$1 states n msg
	# mainline's files as the package has them, not as a run left them
	tgit checkout -q -f -B series debian
	states=$(mktemp -d /var/tmp/imx-tpm-pwm-upstream.XXXXXX)
	python3 "$here/series.py" "$UP_TREE" "$top/src" "$states" ||
		{ rm -rf "$states"; up_die "cannot make the series' files from src/ (above)"; }
	for n in $(seq 1 "$NPATCH"); do
		msg=$here/messages/$n.txt
		[[ -s $msg ]] || up_die "no commit message ${msg#"$top"/}"
		cp "$states/$n.c" "$UP_TREE/drivers/pwm/pwm-imx-tpm.c"
		cp "$states/$n.Kconfig" "$UP_TREE/drivers/pwm/Kconfig"
		tgit add -f drivers/pwm/pwm-imx-tpm.c drivers/pwm/Kconfig
		tgit commit -q --author="$SERIES_AUTHOR" -F "$msg" ||
			up_die "patch $n: nothing to commit (is its state the same as the one before?)"
	done
	rm -rf "$states"
	tgit config branch.series.description "$(cat "$here/messages/cover.txt")"
	rm -rf "$out"
	mkdir -p "$out"
	tgit format-patch -q --cover-letter --cover-from-description=subject \
		-o "$(realpath "$out")" debian..series ||
		up_die "git format-patch failed"
	tgit checkout -q -f debian
	# the cover letter's diffstat and shortlog come from git; its own
	# placeholder lines must not be left
	if grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE \*\*\*' "$out"/0000-*.patch; then
		up_die "the cover letter still has git's placeholders"
	fi
}

cmd_write() {
	local out
	out=$(realpath -m "${1:-$top/build/upstream}")
	up_tree
	deb_with_lock "upstream-git" up_write "$out"
	up_log "wrote $(find "$out" -name '*.patch' | wc -l) files (cover letter and $NPATCH patches) against $UP_PKG $UP_VER into ${out#"$top"/}"
	find "$out" -name '*.patch' | sort | sed 's/^/  /'
}

# cmd_bench_src OUTDIR: see the usage
cmd_bench_src() {
	local out=${1:?usage: upstream.sh bench-src OUTDIR}
	up_tree
	mkdir -p "$out"
	tgit show debian:drivers/pwm/pwm-imx-tpm.c >"$out/mainline.c" ||
		up_die "no drivers/pwm/pwm-imx-tpm.c in $UP_TREE"
	python3 "$here/series.py" --bench-mainline "$out/mainline.c" "$out/pwm-imx-tpm-mainline.c" ||
		up_die "cannot make mainline's driver for make bench (above)"
	rm -f "$out/mainline.c"
	printf '# SPDX-License-Identifier: GPL-2.0\nobj-m += pwm-imx-tpm-mainline.o\n' >"$out/Kbuild"
	up_log "mainline's driver ($UP_PKG $UP_VER) with patch 1 and the test-only fallback in ${out#"$top"/}"
}

# --- builds -----------------------------------------------------------------

# arch_make ARCH: the make variables of ARCH
arch_make() {
	case $1 in
	arm64) echo "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-" ;;
	armhf) echo "ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-" ;;
	amd64) echo "ARCH=x86_64" ;;
	esac
}

# bdir ARCH: the build directory of ARCH (by the fragment's hash)
bdir() {
	local hash
	hash=$(sha256sum <"$here/$1.config" | cut -c1-12)
	printf '%s/build-%s-%s\n' "${UP_TREE%/tree}" "$1" "$hash"
}

# kmake ARCH ARGS...: make in the tree for ARCH, in the chroot
kmake() {
	local arch=$1 b
	shift
	b=$(bdir "$arch")
	# shellcheck disable=SC2046 # the make variables are words
	deb_chroot_run_with "$ROOT" "${UP_TREE%/tree}" -- \
		make -C "$UP_TREE" O="$b" $(arch_make "$arch") HOSTCC=gcc -j"$JOBS" "$@"
}

# configure ARCH: allnoconfig, the fragment, olddefconfig, at the tree's
# current state (the base); every line of the fragment must hold.
configure() {
	local arch=$1 b missing
	b=$(bdir "$arch")
	[[ -e $b/.configured ]] && return 0
	rm -rf "$b"
	mkdir -p "$b"
	cp "$here/$arch.config" "$b/fragment.config"
	# shellcheck disable=SC2016,SC2046 # expanded by the inner sh; words
	{
		kmake "$arch" allnoconfig &&
			deb_chroot_run_with "$ROOT" "${UP_TREE%/tree}" -- /bin/sh -c \
				'cd "$1" && shift && "$@"' sh "$UP_TREE" env $(arch_make "$arch") \
				scripts/kconfig/merge_config.sh -m -O "$b" "$b/.config" "$b/fragment.config" &&
			kmake "$arch" olddefconfig
	} >"$b/configure.log" 2>&1 || {
		tail -n 20 "$b/configure.log" >&2
		return 1
	}
	missing=$(kconfig_check "$b/fragment.config" "$b/.config")
	if [[ -n $missing ]]; then
		printf '%s\n' "$missing" | sed 's/^/  /' >&2
		echo "options of tests/upstream/$arch.config not in the final .config (wanted -> got)" >&2
		return 1
	fi
	touch "$b/.configured"
}

# build_step ARCH: W=1 build of the driver's object at the tree's current
# state; fails on any warning or error. arm64 (the guest kernel's
# configuration) builds and links the whole Image, to prove the step
# links too.
build_step() {
	local arch=$1
	# a step that fails leaves no Image of the step before to boot
	rm -f "$(bdir "$arch")/arch/arm64/boot/Image"
	kmake_clean "$arch" W=1 drivers/pwm/pwm-imx-tpm.o || return 1
	[[ $arch != arm64 ]] || kmake_clean "$arch" Image
}

# kmake_clean ARCH ARGS...: kmake, its output added to the build
# directory's steps.log; fails on a failed make or any warning or error
# line (which it prints)
kmake_clean() {
	local arch=$1 b out rc=0
	b=$(bdir "$arch")
	out=$(kmake "$@" 2>&1) || rc=$?
	printf '%s\n' "$out" >>"$b/steps.log"
	if ((rc != 0)) || grep -qE 'warning:|error:' <<<"$out"; then
		grep -E 'warning:|error:|Error' <<<"$out" | head -n 20
		return 1
	fi
}

# build_base: the arm64 Image at the tree's base (mainline's driver) into
# BUILDDIR/mainline/
build_base() {
	local b
	b=$(bdir arm64)
	kmake arm64 Image >>"$b/steps.log" 2>&1 || { tail -n 20 "$b/steps.log"; return 1; }
	save_image mainline
}

# save_image NAME: the arm64 build's Image, .config and kernel release
# into BUILDDIR/NAME/, laid out as vm.sh's VM_UPSTREAM_KERNEL wants them
save_image() {
	local b m
	b=$(bdir arm64)
	m=$b/$1
	rm -rf "$m"
	mkdir -p "$m/arch/arm64/boot" "$m/include/config"
	cp "$b/arch/arm64/boot/Image" "$m/arch/arm64/boot/Image"
	cp "$b/.config" "$m/.config"
	cp "$b/include/config/kernel.release" "$m/include/config/kernel.release"
}

# --- the check --------------------------------------------------------------

# shellcheck source=../lib/checks.sh source-path=SCRIPTDIR
. "$top/tests/lib/checks.sh"

# checkpatch_clean PATCH: checkpatch --strict in the tree, no message at all
checkpatch_clean() {
	local out
	out=$(cd "$UP_TREE" && perl scripts/checkpatch.pl --strict --no-color "$1" 2>&1) || true
	if ! grep -q '^total: 0 errors, 0 warnings, 0 checks' <<<"$out"; then
		printf '%s\n' "$out" | grep -v '^$' | head -n 40
		return 1
	fi
}

# subject PATCH: the patch's subject, its folded lines joined
subject() {
	awk '/^Subject: / { s = $0; on = 1; next }
		on && /^[ \t]/ { s = s $0; next }
		on { exit }
		END { sub(/^Subject: \[PATCH [0-9]+\/[0-9]+\] /, "", s); print s }' "$1"
}

# no_person_tag PATCH: no tag that names a person (the submitter adds theirs)
no_person_tag() {
	! grep -nE '^(Signed-off-by|Reviewed-by|Acked-by|Tested-by|Reported-by|Suggested-by|Co-developed-by|Cc):' "$1"
}

up_check_locked() {
	local out=$1 p i arch b commits=() signed=$work/signed subj what gm
	local -a patches
	# no kernel of an earlier run may be booted for this one, however
	# early this one stops
	b=$(bdir arm64)
	rm -rf "$b/arch/arm64/boot/Image" "$b/mainline" "$b"/step-*
	# a src/ that a step no longer fits fails here (series.py names the edit)
	if ! (up_write "$out"); then
		bad "the series written from src/ (tests/upstream/series.py)"
		return 0
	fi
	ok "the series written from src/ (tests/upstream/series.py)"
	mapfile -t patches < <(find "$out" -name '0*.patch' ! -name '0000-*' | sort)
	if ((${#patches[@]} == NPATCH)); then
		ok "the series has $NPATCH patches and a cover letter"
	else
		bad "the series has ${#patches[@]} patches, not $NPATCH"
		return 0
	fi
	for p in "${patches[@]}"; do
		subj=$(subject "$p")
		check "no tag naming a person: ${p##*/}" no_person_tag "$p" || true
		check "kernel-style subject (pwm: imx-tpm: Xxx): $subj" \
			grep -qE '^Subject: \[PATCH [0-9]+/[0-9]+\] pwm: imx-tpm: [A-Z]' "$p" || true
	done

	# git am onto the tree, one patch at a time
	tgit checkout -q -f -B am debian
	for p in "${patches[@]}"; do
		if check "git am ${p##*/}" tgit am -q "$p"; then
			commits+=("$(tgit rev-parse HEAD)")
		else
			tgit am --abort 2>/dev/null || true
			return 0
		fi
	done
	check "the series' result is the driver of src/ (state 6 of series.py)" \
		cmp "$UP_TREE/drivers/pwm/pwm-imx-tpm.c" <(tgit show series:drivers/pwm/pwm-imx-tpm.c) || true

	# the submitter's sign-off, then checkpatch as the maintainer runs it
	rm -rf "$signed"
	if check "the submitter's sign-off (git rebase --exec 'git commit --amend --no-edit --reset-author -s')" \
		"${UP_GIT[@]}" -C "$UP_TREE" -c user.name="$TEST_SUBMITTER_NAME" \
		-c user.email="$TEST_SUBMITTER_EMAIL" rebase -q \
		--exec "git -c user.name='$TEST_SUBMITTER_NAME' -c user.email='$TEST_SUBMITTER_EMAIL' commit -q --amend --no-edit --reset-author -s" debian; then
		tgit format-patch -q -o "$signed" debian..am
		for p in "$signed"/*.patch; do
			check "checkpatch --strict: ${p##*/}" checkpatch_clean "$p" || true
		done
	fi

	# whom the README's get_maintainer.pl step names (--no-git: the tree
	# has no history): the PWM list must be among them
	gm=$(cd "$UP_TREE" && perl scripts/get_maintainer.pl --no-git --no-git-fallback "$signed"/*.patch 2>&1) || true
	printf '%s\n' "$gm" | sed 's/^/  get_maintainer.pl: /'
	if grep -q 'linux-pwm@vger.kernel.org' <<<"$gm"; then
		ok "get_maintainer.pl names the PWM list (linux-pwm@vger.kernel.org)"
	else
		bad "get_maintainer.pl names the PWM list (linux-pwm@vger.kernel.org)"
	fi

	# every step builds
	for arch in "${ARCHS[@]}"; do
		tgit checkout -q -f debian
		if ! check "configure $arch (tests/upstream/$arch.config)" configure "$arch"; then
			continue
		fi
		b=$(bdir "$arch")
		: >"$b/steps.log"
		# mainline's driver in the same kernel, for the comparison
		if [[ $arch == arm64 ]]; then
			check "arm64 Image of mainline's driver (the tree before the series)" \
				build_base || true
		fi
		i=0
		for p in "${commits[@]}"; do
			i=$((i + 1))
			tgit checkout -q -f "$p"
			what="W=1 build, $arch, after patch $i"
			[[ $arch == arm64 ]] && what+=" (and the Image)"
			# each step's kernel is booted too (below)
			if check "$what" build_step "$arch" && [[ $arch == arm64 ]] && ((i < NPATCH)); then
				save_image "step-$i"
			fi
		done
	done
	tgit checkout -q -f debian
}

cmd_check() {
	local out b i
	out=$(realpath -m "${1:-$top/build/upstream}")
	checks_init check-upstream
	[[ $EUID == 0 ]] || up_die "needs root (builds in a chroot)"
	up_tree
	ROOT=$(deb_chroot trixie "${CHROOT_PKGS[@]}") || up_die "no trixie chroot"
	deb_with_lock "upstream-git" up_check_locked "$out"
	bench_src_check
	b=$(bdir arm64)
	if [[ ${UPSTREAM_GUEST:-1} == 1 ]]; then
		if [[ -s $b/arch/arm64/boot/Image ]]; then
			guest_run "$b" series
		else
			bad "kselftest in the in-tree kernel: no arm64 Image was built"
		fi
		if [[ -s $b/mainline/arch/arm64/boot/Image ]]; then
			guest_run "$b/mainline" mainline
		else
			bad "kselftest with mainline's driver: no arm64 Image was built"
		fi
		# every step works, not only builds
		for i in $(seq 1 $((NPATCH - 1))); do
			if [[ -s $b/step-$i/arch/arm64/boot/Image ]]; then
				guest_run "$b/step-$i" "step$i"
			else
				bad "kselftest after patch $i: no arm64 Image was built"
			fi
		done
		compare
	fi
	# tests/lib/checks.sh's finish counts with grep -c, which fails on 0
	set +e
	finish
}

# bench_src_check: make bench's mainline driver (cmd_bench_src) is written
# and builds against Debian's arm64 7.3 headers (tests/matrix/matrix.sh:
# W=1 C=1, no warning), as vm.sh builds it for make bench's guests; make
# bench itself (hours of guest time with its other parts) is not run here.
bench_src_check() {
	local ml=$work/bench-src
	check "make bench's mainline driver written (series.py --bench-mainline: patch 1 and the test-only fallback)" \
		cmd_bench_src "$ml"
	if [[ -s $ml/pwm-imx-tpm-mainline.c ]]; then
		check "make bench's mainline driver builds for arm64 7.3 (matrix.sh, W=1 C=1)" \
			"$top/tests/matrix/matrix.sh" "$ml" arm64:7.3
	else
		bad "make bench's mainline driver builds for arm64 7.3: not written"
	fi
}

# guest_run BUILDDIR WHICH: the kselftest on the dt path (tests/vm/vm.sh,
# target arm64:upstream) in the kernel of BUILDDIR. WHICH "series": the
# series' result, and "step2" to "step5", the kernels after patches 2 to
# 5: each must pass, with no PWM_DEBUG message beyond the documented
# inversed-state lines, no other kernel message; "mainline": mainline's
# driver, measured for the comparison (its failures are the defects the
# series fixes), and "step1", after the regmap patch, which must fail the
# same points (compare). The guest's serial log:
# tests/logs/upstream/WHICH/arm64-upstream-dt.log.
guest_run() {
	local b=$1 which=$2 log rc=0 glog
	local -a sargs
	read -r -a sargs <<<"${UPSTREAM_SELFTEST_ARGS:--q -S}"
	# the steps on channels 0 and 5 (the shared counter's tests need two),
	# to save make check's time; the series and mainline on all six
	[[ $which == step* ]] && sargs+=(-C "0,5")
	log=$work/guest-$which.log
	glog=$top/tests/logs/upstream/$which/arm64-upstream-dt.log
	rm -f "$glog"
	VM_UPSTREAM_KERNEL=$b VM_LOGDIR=$top/tests/logs/upstream/$which \
		"$top/tests/vm/vm.sh" run arm64:upstream dt -- "${sargs[@]}" \
		>"$log" 2>&1 || rc=$?
	grep -E '^vm: |Totals' "$log" | tail -n 12 | sed "s/^/  $which: /"
	TOTALS[$which]=$(ktap_totals "$glog")
	# the PWM core's PWM_DEBUG messages (budget.sh PWM_DEBUG_RE), each
	# once (log_messages)
	PWMDEBUG[$which]=$(log_messages "$PWM_DEBUG_RE" "$glog" | grep -c . || true)
	# vm.sh counts the "Wrong rounding" lines of the documented limits
	# of inversed states apart (README "Behaviour"): not problems
	KNOWN[$which]=$(cat "$glog.inversed-rounding" 2>/dev/null || echo 0)
	# (a kernel message may be glued to a line on the serial console)
	FAILED[$which]=$(grep -a '^not ok ' "$glog" |
		sed -E 's/^not ok [0-9]+ pwmchip[0-9]+ (pwm[0-9]+ )?//; s/\[ *[0-9]+\.[0-9]+\].*//' |
		sort | uniq -c | sort -rn || true)
	local what
	case $which in
	series) what="the series' kernel" ;;
	step*) what="the kernel after patch ${which#step}" ;;
	mainline) what="mainline's driver" ;;
	esac
	if [[ $which == series || $which == step[2-9] ]]; then
		if ((rc == 0)); then
			ok "kselftest in $what (arm64, dt path, PWM_DEBUG): passed, no message"
		else
			bad "kselftest in $what (arm64, dt path, PWM_DEBUG): passed, no message (log ${glog#"$top"/})"
		fi
	else
		check "kselftest with $what: ran and reported its totals (log ${glog#"$top"/})" \
			test -n "${TOTALS[$which]}" || true
	fi
}

# the guests' KTAP totals (PASS FAIL XFAIL SKIP) and PWM_DEBUG message
# counts, by WHICH
declare -A TOTALS=() PWMDEBUG=() KNOWN=() FAILED=()

# compare: the two kernels side by side (README.md, "Upstream")
compare() {
	local sp sf sx ss mp mf mx ms
	read -r sp sf sx ss <<<"${TOTALS[series]:-- - - -}"
	read -r mp mf mx ms <<<"${TOTALS[mainline]:-- - - -}"
	echo "upstream: the kselftest (${UPSTREAM_SELFTEST_ARGS:--q -S}) on the dt path, arm64 $UP_PKG $UP_VER with PWM_DEBUG:"
	printf 'upstream:   %-18s %4s passed %4s failed %2s xfail %3s skipped, %5s PWM_DEBUG messages (%s of them the inversed-state limit)\n' \
		"mainline's driver" "$mp" "$mf" "$mx" "$ms" "${PWMDEBUG[mainline]:--}" "${KNOWN[mainline]:--}" \
		"with the series" "$sp" "$sf" "$sx" "$ss" "${PWMDEBUG[series]:--}" "${KNOWN[series]:--}"
	if [[ -n ${FAILED[mainline]:-} ]]; then
		echo "upstream: the points mainline's driver fails (times: once per channel):"
		printf '%s\n' "${FAILED[mainline]}" | sed 's/^ */upstream:   /'
	fi
	if [[ $sf == 0 && $mf =~ ^[0-9]+$ && $mf -gt 0 ]]; then
		ok "the series' kernel passes points that mainline's driver fails (mainline: $mf failed, series: $sf)"
	else
		bad "the series' kernel passes points that mainline's driver fails (mainline: $mf failed, series: $sf)"
	fi
	# patch 1 says it changes no behaviour: the same points fail (their
	# names; how often a random case trips one can differ), except those
	# that could not see the registers with mainline's driver (it has no
	# regmap, so no debugfs register file): after patch 1 the selftest
	# checks the registers too, and finds mainline's rounding there
	local m1 s1 unseen new extra
	m1=$(printf '%s\n' "${FAILED[mainline]:-}" | sed -E 's/^ *[0-9]+ //' | sort -u)
	s1=$(printf '%s\n' "${FAILED[step1]:-}" | sed -E 's/^ *[0-9]+ //' | sort -u)
	unseen=$(unseen_registers "$top/tests/logs/upstream/mainline/arm64-upstream-dt.log")
	new=$(comm -13 <(printf '%s\n' "$m1") <(printf '%s\n' "$s1"))
	extra=$(grep -vxF -f <(printf '%s\n' "$unseen") <<<"$new" || true)
	if [[ -n ${TOTALS[step1]:-} && -n $m1 && -z $(comm -23 <(printf '%s\n' "$m1") <(printf '%s\n' "$s1")) && -z $extra ]]; then
		ok "after patch 1 (regmap) the selftest fails the same points as with mainline's driver ($(grep -c . <<<"$m1") kinds; and $(grep -c . <<<"$new") that now see the registers)"
	else
		bad "after patch 1 (regmap) the selftest fails the same points as with mainline's driver"
		diff <(printf '%s\n' "$m1") <(printf '%s\n' "$s1") | sed 's/^/    /'
	fi
}

# unseen_registers LOG: the names of the selftest's points that checked no
# register in LOG: skipped for the missing register file, or reported
# right after a "0 register checks" diagnostic (the backlight levels)
unseen_registers() {
	awk '/^# .* 0 register checks$/ { z = 1; next }
		/^(not )?ok [0-9]+ / {
			n = $0
			sub(/^(not )?ok [0-9]+ pwmchip[0-9]+ (pwm[0-9]+ )?/, "", n)
			if (z || n ~ / # SKIP no regmap debugfs registers file$/) {
				sub(/ # SKIP .*/, "", n)
				print n
			}
			z = 0
		}' "$1" | sort -u
}

main() {
	local cmd=${1:-}
	[[ $# -gt 0 ]] && shift
	case $cmd in
	write) cmd_write "$@" ;;
	check) cmd_check "$@" ;;
	bench-src) cmd_bench_src "$@" ;;
	*) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
	esac
}

main "$@"
