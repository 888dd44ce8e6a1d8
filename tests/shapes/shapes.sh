#!/bin/bash
# tests/shapes/shapes.sh - build the module against the API shapes of kernels
# that Debian does not ship (5.15, 6.6 to 6.11, 6.13 to 6.16; and the point
# releases before a backport), and check that the compile probes
# (src/probe.sh) detect what each shape has.
#
# usage: tests/shapes/shapes.sh SRCDIR [SHAPE...]   (default: all shapes)
#
# A shape is a cached Debian amd64 header tree (the one `make matrix`
# prepares in its chroot) copied with hard links, plus small edits to the
# headers and Module.symvers that turn its API into the one the shape's
# kernel has, as far as the driver uses it. Each edit must change its file
# (an edit that no longer applies fails the shape), and each shape has the
# probe results it must give: the probes themselves confirm that the edits
# made what they claim. tests/shapes/README.md gives, for each shape, the
# kernel change it reproduces and the evidence.
#
# Checks (each a line of "shapes: N passed, M failed"):
# - per shape: the module builds with W=1 and sparse (C=1), no diagnostic; the probes give
#   exactly the expected results; the waveform or the .apply path was
#   compiled, as the shape's kernel calls for;
# - the tier has teeth: with one probe taken out of the source, a shape
#   build fails (get_state on 6.6, devm_pwmchip_alloc on 6.17+), and a
#   compiler that cannot run stops the build with the probe script's message.
#
# Environment: SHAPES_JOBS (builds at a time, default 2), SHAPES_KEEP=1 (keep
# the shape trees), and those of tests/lib/debian.sh.
# The edits are perl expressions: their $1 and \t are perl's.
# shellcheck disable=SC2016
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$top/tests/lib/debian.sh"
# shellcheck source=../lib/kernels.sh source-path=SCRIPTDIR
. "$top/tests/lib/kernels.sh"
DEB_LOG_PREFIX=shapes

SHAPES=(5.10.0 5.15.0 5.15.83 6.1.1 6.6 6.7 6.8 6.9-6.10 6.13-6.16 6.17+)
# The probes, in the order of the expectation strings below.
PROBES=(devm-clk-get-enabled devm-pwmchip-add devm-pwmchip-alloc
	module-import-ns-string pwm-chip-base pwm-chip-of-pwm-n-cells
	pwm-ops-get-state-int pwm-ops-owner pwm-ops-waveform
	regmap-raw-spinlock simple-dev-pm-ops pwmchip-remove-void)

# shape -> "BASE-SERIES EXPECTED": the Debian series whose amd64 headers the
# shape starts from, and one digit per probe above (1 = the API is there).
declare -A SHAPE=(
	[5.10.0]="5.10 000011010000"
	[5.15.0]="6.1 010011010101"
	[5.15.83]="6.1 110011010101"
	[6.1.1]="6.1 110011010111"
	[6.6]="6.1 110011110111"
	[6.7]="6.1 110011100111"
	[6.8]="6.1 110001100111"
	[6.9-6.10]="6.12 111000100111"
	[6.13-6.16]="7.3 111100101111"
	[6.17+]="7.3 111100101111"
)

# ---- edits ---------------------------------------------------------------
# Each one reproduces a kernel change (tests/shapes/README.md). $tree is the
# shape's directory: common/ (the -common headers) and arch/ (the amd64 part).

# edit FILE PERL: apply a whole-file perl substitution to FILE (relative to
# $tree); it must change the file. The new file replaces the hard link, so
# the cached tree is never modified.
edit() {
	local f=$tree/$1 new
	[[ -f $f ]] || { echo "edit: no $1" >&2; return 1; }
	new=$(mktemp "$f.XXXXXX")
	perl -0777 -pe "$2" "$f" >"$new"
	if cmp -s "$f" "$new"; then
		rm -f "$new"
		echo "edit: did not change $1: $2" >&2
		return 1
	fi
	chmod 644 "$new"
	mv -f "$new" "$f"
}

# remove_symbols NAME...: the kernel does not export NAME
remove_symbols() {
	local re
	re=$(IFS='|'; echo "$*")
	edit arch/Module.symvers "s/^[^\\t]*\\t($re)\\t[^\\n]*\\n//mg"
}

# devm_clk_get_enabled() and its three siblings came in 6.0, and to 5.10.166
# and 5.15.83 (stable).
no_devm_clk_get_enabled() {
	edit common/include/linux/clk.h \
		's/^struct clk \*devm_clk_get_(optional_)?(prepared|enabled)\(struct device \*dev, const char \*id\);\n//mg' &&
	edit common/include/linux/clk.h \
		's/^static inline struct clk \*devm_clk_get_(optional_)?(prepared|enabled)\(.*?\n}\n//msg' &&
	remove_symbols devm_clk_get_prepared devm_clk_get_enabled \
		devm_clk_get_optional_prepared devm_clk_get_optional_enabled
}

# DEFINE_SIMPLE_DEV_PM_OPS() and pm_sleep_ptr() came in 5.17 (Debian's 5.10
# has them from the 5.10.y stable series)
no_simple_dev_pm_ops() {
	edit common/include/linux/pm.h \
		's/^#define DEFINE_SIMPLE_DEV_PM_OPS\(name, suspend_fn, resume_fn\) \\\n(?:[^\n]*\\\n)*[^\n]*\n//m' &&
	edit common/include/linux/pm.h 's/^#define pm_sleep_ptr\(_ptr\)[^\n]*\n//m'
}

# .get_state returned void until 6.2 (6.1.24 in stable)
void_get_state() {
	edit common/include/linux/pwm.h \
		's/^\tint \(\*get_state\)\(struct pwm_chip \*chip, struct pwm_device \*pwm,$/\tvoid (*get_state)(struct pwm_chip *chip, struct pwm_device *pwm,/m'
}

# 6.7: "pwm: Manage owner assignment implicitly for drivers": the owner moves
# from pwm_ops to pwm_chip, pwmchip_add() and devm_pwmchip_add() become
# macros that pass THIS_MODULE to __pwmchip_add() and __devm_pwmchip_add().
# (Only the CONFIG_PWM=y half of pwm.h: Debian's configs all have it.)
owner_in_chip() {
	edit common/include/linux/pwm.h \
		's/(struct pwm_ops \{.*?)\tstruct module \*owner;\n/$1/s' &&
	edit common/include/linux/pwm.h \
		's/(struct pwm_chip \{\n[^}]*?\tconst struct pwm_ops \*ops;\n)/$1\tstruct module *owner;\n/s' &&
	edit common/include/linux/pwm.h \
		's/^int pwmchip_add\(struct pwm_chip \*chip\);\n/int __pwmchip_add(struct pwm_chip *chip, struct module *owner);\n#define pwmchip_add(chip) __pwmchip_add(chip, THIS_MODULE)\n/m' &&
	edit common/include/linux/pwm.h \
		's/^int devm_pwmchip_add\(struct device \*dev, struct pwm_chip \*chip\);\n/int __devm_pwmchip_add(struct device *dev, struct pwm_chip *chip, struct module *owner);\n#define devm_pwmchip_add(dev, chip) __devm_pwmchip_add(dev, chip, THIS_MODULE)\n/m' &&
	edit arch/Module.symvers 's/\t(devm_)?pwmchip_add\t/\t__${1}pwmchip_add\t/g'
}

# 6.8: "pwm: Replace PWM chip unique base by unique ID"
id_not_base() {
	edit common/include/linux/pwm.h \
		's/(struct pwm_chip \{\n[^}]*?)\tint base;\n/$1\tunsigned int id;\n/s'
}

# 6.11 put the PWM core's symbols into the namespace "PWM", and <linux/pwm.h>
# imports it
no_pwm_namespace() {
	edit common/include/linux/pwm.h 's/^MODULE_IMPORT_NS\(PWM\);\n//m' &&
	edit arch/Module.symvers 's/^([^\t\n]*\t[^\t\n]*\tvmlinux\t[^\t\n]*)\tPWM$/$1\t/mg'
}

# 6.13 to 6.16 have the waveform callbacks, but their size limit is private
# to drivers/pwm/core.c; 6.17 made it public as PWM_WFHWSIZE
private_wfhwsize() {
	edit common/include/linux/pwm.h 's/^#define PWM_WFHWSIZE 20\n//m'
}

shape_edits() {
	case $1 in
	5.10.0) no_devm_clk_get_enabled && no_simple_dev_pm_ops ;;
	5.15.0) void_get_state && no_devm_clk_get_enabled && no_simple_dev_pm_ops ;;
	5.15.83) void_get_state && no_simple_dev_pm_ops ;;
	6.1.1) void_get_state ;;
	6.6) : ;;
	6.7) owner_in_chip ;;
	6.8) owner_in_chip && id_not_base ;;
	6.9-6.10) no_pwm_namespace ;;
	6.13-6.16) private_wfhwsize ;;
	6.17+) : ;;
	*) echo "unknown shape $1" >&2; return 1 ;;
	esac
}

# ---- plumbing ------------------------------------------------------------

# base_tree SERIES: "CHROOT-ROOT ARCH-DIR COMMON-DIR" of the cached amd64
# headers of SERIES (paths inside the chroot), or nothing
base_tree() {
	local series=$1 suite root d best='' common
	suite=$(series_suite "$series") || return 1
	root=$(deb_cache_dir)/chroot/${suite%-backports}
	for d in "$root"/usr/src/linux-headers-"$series".*-amd64; do
		[[ -f $d/Makefile ]] || continue
		[[ ${d##*/} =~ ^linux-headers-${series//./\\.}\.[0-9][^-]*(-[0-9]+)?-amd64$ ]] || continue
		if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$d" | sort -V | tail -n 1) == "$d" ]]; then
			best=$d
		fi
	done
	[[ -n $best ]] || return 1
	common=$(sed -n 's@^include \(/usr/src/[^/]*\)/Makefile$@\1@p' "$best/Makefile")
	[[ -n $common && -d $root$common ]] || return 1
	printf '%s %s %s\n' "$root" "${best#"$root"}" "$common"
}

# make_tree SHAPE DIR: the shape's header tree in DIR (a path inside the
# chroot of its base), edited
make_tree() {
	local shape=$1 dir=$2 series root arch common t
	series=${SHAPE[$shape]%% *}
	read -r root arch common <<<"$(base_tree "$series")"
	tree=$root$dir
	rm -rf "$tree"
	mkdir -p "$tree"
	cp -al "$root$common" "$tree/common"
	cp -al "$root$arch" "$tree/arch"
	# the arch part names the common part (and itself) by absolute path
	rm -f "$tree/arch/Makefile"
	sed -e "s@$common@$dir/common@g" -e "s@$arch@$dir/arch@g" \
		"$root$arch/Makefile" >"$tree/arch/Makefile"
	# the top-level links (scripts, tools -> ../../lib/linux-kbuild-*) are
	# relative to /usr/src: point them at the same place
	local part orig target
	for part in arch common; do
		[[ $part == arch ]] && orig=$root$arch || orig=$root$common
		for t in "$orig"/*; do
			[[ -L $t ]] || continue
			target=$(readlink "$t")
			[[ $target == /* ]] || target=$(realpath -m -s "$orig/$target")
			target=${target#"$root"}
			rm -f "$tree/$part/${t##*/}"
			ln -s "$target" "$tree/$part/${t##*/}"
		done
	done
	shape_edits "$shape"
}

# build SHAPE SRC-SUBDIR LOG [MAKE-ARGS...]: copy the source (from $SRCCOPY/
# SRC-SUBDIR) next to the shape's tree and build it there; exit status of make
build() {
	local shape=$1 sub=$2 log=$3 series root arch common bdir
	shift 3
	series=${SHAPE[$shape]%% *}
	read -r root arch common <<<"$(base_tree "$series")"
	bdir=$WORKDIR/$shape/$sub
	rm -rf "${root:?}$bdir"
	mkdir -p "$root$bdir"
	cp -a "$SRCCOPY/$sub/." "$root$bdir/"
	# sparse too (C=1): the kernels whose Makefile validates the checker
	# need the newer sparse that make matrix puts beside the chroot's
	local check=sparse s
	for s in "$root"/usr/lib/imx-tpm-pwm/sparse-*/sparse; do
		[[ -x $s ]] && grep -q 'checker-valid\.sh' "$root$common/Makefile" && check=${s#"$root"}
	done
	printf '+ make -C %s M=%s W=1 C=1 CHECK=%s %s\n' "$WORKDIR/$shape/tree/arch" "$bdir" "$check" "$*" >"$log"
	deb_chroot_run "$root" make -C "$WORKDIR/$shape/tree/arch" "M=$bdir" W=1 C=1 \
		"CHECK=$check" "$@" modules >>"$log" 2>&1
}

# the probe results of a build, as digits in the order of PROBES
probe_digits() {
	local h=$1 p m v out=''
	for p in "${PROBES[@]}"; do
		m=PWM_IMX_TPM_HAVE_$(tr 'a-z-' 'A-Z_' <<<"$p")
		v=$(sed -n "s/^#define $m \([01]\)$/\1/p" "$h")
		out+=${v:-?}
	done
	printf '%s\n' "$out"
}

diagnostics() {
	grep -nE '(^|[[:space:]:])(warning|error):|^(WARNING|ERROR|FATAL)[: ]|^make(\[[0-9]+\])?: \*\*\*' "$1" || true
}

# check_shape SHAPE: build it and record the results (runs as a job)
check_shape() {
	local shape=$1 series exp root arch common log res=$RUN/$1 got diag path
	series=${SHAPE[$shape]%% *}
	exp=${SHAPE[$shape]#* }
	log=$LOGDIR/$shape.log
	read -r root arch common <<<"$(base_tree "$series")"
	: >"$res"
	if ! tree='' make_tree "$shape" "$WORKDIR/$shape/tree" >"$log.edits" 2>&1; then
		printf 'FAIL %s: its edits do not apply to %s\n' "$shape" "${arch##*/}" >>"$res"
		sed 's/^/    /' "$log.edits" >>"$res"
		return 0
	fi
	if build "$shape" src "$log"; then
		diag=$(diagnostics "$log")
		if ! grep -q '^  CHECK ' "$log"; then
			printf 'FAIL %s: sparse did not run (log %s)\n' "$shape" "$log" >>"$res"
		elif [[ -z $diag ]] && compgen -G "$root$WORKDIR/$shape/src/*.ko" >/dev/null; then
			printf 'ok   %s: builds with W=1 C=1 against %s + edits, no diagnostic\n' "$shape" "${arch##*/}" >>"$res"
		else
			printf 'FAIL %s: diagnostics (log %s)\n%s\n' "$shape" "$log" "$diag" >>"$res"
		fi
	else
		printf 'FAIL %s: make failed (log %s)\n' "$shape" "$log" >>"$res"
		diagnostics "$log" | head -n 20 | sed 's/^/    /' >>"$res"
	fi
	got=$(probe_digits "$root$WORKDIR/$shape/src/pwm-imx-tpm-features.h" 2>/dev/null || echo '?')
	printf '%s\n' "$got" >"$RUN/$shape.probes"
	if [[ $got == "$exp" ]]; then
		printf 'ok   %s: probe results %s as expected\n' "$shape" "$got" >>"$res"
	else
		printf 'FAIL %s: probe results %s, expected %s\n' "$shape" "$got" "$exp" >>"$res"
	fi
	# which of the driver's two paths was compiled
	path=none
	if deb_chroot_run "$root" nm "$WORKDIR/$shape/src/src/pwm-imx-tpm.o" >"$RUN/$shape.nm" 2>/dev/null; then
		if grep -q ' pwm_imx_tpm_write_waveform$' "$RUN/$shape.nm"; then
			path=waveform
		elif grep -q ' pwm_imx_tpm_apply$' "$RUN/$shape.nm"; then
			path=apply
		fi
	fi
	local want=apply
	[[ ${exp:8:1} == 1 ]] && want=waveform
	printf '%s\n' "$path" >"$RUN/$shape.path"
	if [[ $path == "$want" ]]; then
		printf 'ok   %s: the driver uses the %s callbacks\n' "$shape" "$path" >>"$res"
	else
		printf 'FAIL %s: the driver compiled the %s path, the kernel calls for %s\n' "$shape" "$path" "$want" >>"$res"
	fi
}

# mutant SHAPE PROBE: the source without PROBE must not build for SHAPE
mutant() {
	local shape=$1 probe=$2 sub=without-$2 log=$LOGDIR/$1.without-$2.log
	mkdir -p "$SRCCOPY/$sub"
	cp -a "$SRCCOPY/src/." "$SRCCOPY/$sub/"
	rm "$SRCCOPY/$sub/src/probes/$probe.c"
	if build "$shape" "$sub" "$log"; then
		bad "$shape without the $probe probe still builds (log $log)"
	else
		ok "$shape without the $probe probe does not build"
	fi
}

ok() {
	printf 'ok   %s\n' "$*"
	passed=$((passed + 1))
}

bad() {
	printf 'FAIL %s\n' "$*"
	failed=$((failed + 1))
}

main() {
	[[ $# -ge 1 ]] || { echo "usage: $0 SRCDIR [SHAPE...]" >&2; exit 2; }
	local src s series need=() t start=$SECONDS
	src=$(cd "$1" && pwd)
	shift
	local -a shapes=("${@:-${SHAPES[@]}}")
	for s in "${shapes[@]}"; do
		[[ -n ${SHAPE[$s]:-} ]] || deb_die "unknown shape $s (known: ${SHAPES[*]})"
	done
	[[ $EUID == 0 ]] || deb_die "needs root (chroot)"
	passed=0
	failed=0

	# The base header trees are the ones make matrix prepares.
	local -A want=()
	for s in "${shapes[@]}" 6.6 6.17+; do
		want[${SHAPE[$s]%% *}]=1
	done
	for series in "${!want[@]}"; do
		base_tree "$series" >/dev/null || need+=("amd64:$series")
	done
	if ((${#need[@]})); then
		deb_log "preparing headers with the matrix: ${need[*]}"
		MATRIX_PRUNE=0 "$top/tests/matrix/matrix.sh" "$src" "${need[@]}" >&2 ||
			deb_die "the matrix could not prepare ${need[*]}"
	fi
	for series in "${!want[@]}"; do
		base_tree "$series" >/dev/null || deb_die "no amd64 headers for $series in the cache"
	done

	RUN=$(mktemp -d)
	WORKDIR=/var/tmp/imx-tpm-pwm-shapes.$$
	LOGDIR=${IMX_TPM_PWM_LOGS:-$top/tests/logs}/shapes
	SRCCOPY=$RUN/src
	mkdir -p "$LOGDIR" "$SRCCOPY/src"
	# shellcheck disable=SC2064 # expand now: the paths are fixed
	trap "cleanup '$RUN'" EXIT
	trap 'trap - INT TERM; kill $(jobs -p) 2>/dev/null; exit 130' INT TERM
	tar -C "$src" -cf - Kbuild VERSION src | tar -C "$SRCCOPY/src" -xf -

	local jobs=${SHAPES_JOBS:-2} running=0
	for s in "${shapes[@]}"; do
		check_shape "$s" &
		running=$((running + 1))
		if ((running >= jobs)); then
			wait -n || true
			running=$((running - 1))
		fi
	done
	wait || true

	printf '\n%-10s %-26s %-12s %-9s %s\n' shape base 'probes' path result
	for s in "${shapes[@]}"; do
		read -r root arch common <<<"$(base_tree "${SHAPE[$s]%% *}")"
		printf '%-10s %-26s %-12s %-9s %s\n' "$s" "${arch##*/linux-headers-}" \
			"$(cat "$RUN/$s.probes" 2>/dev/null || echo -)" \
			"$(cat "$RUN/$s.path" 2>/dev/null || echo -)" \
			"$(grep -q '^FAIL' "$RUN/$s" && echo FAIL || echo PASS)"
	done
	printf '(probes, in this order: %s)\n\n' "${PROBES[*]}"
	for s in "${shapes[@]}"; do
		cat "$RUN/$s"
		passed=$((passed + $(grep -c '^ok' "$RUN/$s" || true)))
		failed=$((failed + $(grep -c '^FAIL' "$RUN/$s" || true)))
	done

	# Teeth: without a probe, the shapes it decides do not build; a broken
	# compiler stops the build with the probe script's message. These use
	# the 6.6 and 6.17+ trees: only when those shapes were built.
	if [[ " ${shapes[*]} " == *" 6.6 "* && " ${shapes[*]} " == *" 6.17+ "* ]]; then
		mutant 6.6 pwm-ops-get-state-int
		mutant 6.17+ devm-pwmchip-alloc
		t=$LOGDIR/6.17+.broken-cc.log
		if ! build 6.17+ src "$t" CC=/bin/false &&
			grep -q 'pwm-imx-tpm: cannot compile against the kernel headers' "$t"; then
			ok "a compiler that fails stops the build with the probe script's message"
		else
			bad "a compiler that fails did not stop the build with the probe script's message (log $t)"
		fi
	else
		echo "(mutation checks need the shapes 6.6 and 6.17+: not run)"
	fi

	deb_log "done in $((SECONDS - start)) s"
	echo "shapes: $passed passed, $failed failed"
	((failed == 0))
}

cleanup() {
	local run=$1 series root
	if [[ ${SHAPES_KEEP:-0} != 1 ]]; then
		for series in 5.10 6.1 6.12 7.3; do
			root=$(base_tree "$series" | cut -d' ' -f1) || continue
			[[ -n $root && -d $root$WORKDIR ]] && rm -rf "${root:?}$WORKDIR"
		done
	fi
	rm -rf "$run"
}

main "$@"
