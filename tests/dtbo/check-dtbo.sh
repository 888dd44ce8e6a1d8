#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/dtbo/check-dtbo.sh - apply the overlays of dts-overlays/ to the
# i.MX7ULP EVK and COM board DTBs of Debian's kernels 5.10, 6.1, 6.12 and
# 7.3 (built from the board sources in Debian's linux-source packages, with
# and without __symbols__) and check every merged tree:
#
#   - the overlay applies (fdtoverlay);
#   - TPM4 (pwm@40250000) is enabled, #pwm-cells = <3>, its pin group is the
#     intended one, its clocks are those of the base;
#   - TPM5 (tpm@40260000, the system timer) is byte-identical to the base;
#   - every phandle and every __symbols__ entry of the base still names the
#     same node;
#   - no pad of a new or changed pin group is claimed by another enabled
#     node (the checker is itself tested on deliberately conflicting
#     overlays, tests/dtbo/conflict-*.dtso);
#   - the i.MX pin controller driver's devicetree parsing, replayed on the
#     base and on every merged tree (tests/dtbo/dtinfo.py pinctrl: flat or
#     nested layout as the driver decides it, every group of an enabled
#     consumer registered, the controller's own hog claimable, each pad
#     held by one device, GPIO hogs included), finds nothing; it too must
#     reject the conflicting overlays;
#   - every phandle reference of the usual kinds resolves (dtinfo.py refs);
#   - dtc 1.6's fdtoverlay (bookworm) gives the same tree as dtc 1.7's
#     (trixie), up to phandle numbers, with every reference resolved;
#   - dt-validate against the kernel's own binding of the PWM node (plus the
#     core schemas of dt-schema) reports nothing (the validator is itself
#     tested on a broken TPM4 node, tests/dtbo/bad-binding.dtso).
#
# Ends with "check-dtbo: N passed, M failed", counting the "ok"/"FAIL" lines
# (the line before it counts their checks). Trees and logs go to
# tests/logs/dtbo/; sources are cached below $IMX_TPM_PWM_CACHE.
#
# Environment:
#   CHECK_DTBO_KERNELS="6.12 7.3"  only these kernel series
#   CHECK_DTBO_FDTOVERLAY=host     apply with the host's fdtoverlay in place
#                                  of trixie's (see below)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$top/tests/lib/debian.sh"
export DEB_LOG_PREFIX=check-dtbo

TPM4=/bus@40000000/pwm@40250000
TPM5=/bus@40000000/tpm@40260000
KERNELS=(bullseye:5.10 bookworm:6.1 trixie:6.12 trixie-backports:7.3)
BOARDS=(evk com)
PY=/usr/bin/python3
DTINFO=$top/tests/dtbo/dtinfo.py

logs=${IMX_TPM_PWM_LOGS:-$top/tests/logs}/dtbo
rm -rf "$logs"
mkdir -p "$logs"

# checks, and test points: one per reported line (a base, overlay or case
# with its checks), failed if one of its checks failed
passed=0
failed=0
points_passed=0
points_failed=0
line_ok=()
line_bad=()

# check NAME CMD...: one check; its output is shown only when it fails.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		passed=$((passed + 1))
		line_ok+=("$name")
	else
		failed=$((failed + 1))
		line_bad+=("$name")
		printf '     %s:\n' "$name"
		[[ -n $out ]] && head -n 20 <<<"$out" | while IFS= read -r l; do
			printf '       %s\n' "$l"
		done
	fi
	return 0
}

# report LABEL: one line for the checks made since the last report.
report() {
	if ((${#line_bad[@]})); then
		echo "FAIL $1: ${line_bad[*]} (passed: ${line_ok[*]:-none})"
		points_failed=$((points_failed + 1))
	elif ((${#line_ok[@]})); then
		echo "ok   $1: ${line_ok[*]}"
		points_passed=$((points_passed + 1))
	fi
	line_ok=()
	line_bad=()
}

# same A B: the two strings are equal (shows both when not).
same() {
	[[ $1 == "$2" ]] && return 0
	printf 'expected:\n%s\ngot:\n%s\n' "$1" "$2"
	return 1
}

dtinfo() {
	"$PY" "$DTINFO" "$@"
}

# ---------------------------------------------------------------- tools

tools_ok=1
for t in cpp dtc fdtoverlay fdtget dt-validate dt-mk-schema "$PY"; do
	check "$t" command -v "$t" || true
	command -v "$t" >/dev/null || tools_ok=0
done
report "tools"
((tools_ok)) || echo "     missing tools: run tests/deps.sh (as root)"

# Every overlay is applied twice, with the fdtoverlay of dtc 1.7 (Debian
# trixie) and that of dtc 1.6 (bookworm), each from its chroot, whatever the
# host has: boards are set up with both, and U-Boot's fdt apply carries a
# libfdt of one age or the other. dtc 1.6.1's libfdt replaces a target
# node's phandle with the overlay's own (when the overlay labels the
# target) and so breaks the base's references to it; 1.7.2 keeps it. The
# trees must be the same up to phandle numbers, and every reference must
# resolve in both. CHECK_DTBO_FDTOVERLAY=host: the host's fdtoverlay in
# place of trixie's.
chroot_tmp=()
cleanup() {
	local d
	for d in "${chroot_tmp[@]}"; do
		rm -rf "$d"
	done
	return 0
}
trap cleanup EXIT
declare -A applier_root applier_tmp applier_name
for suite in trixie bookworm; do
	if [[ $suite == trixie && ${CHECK_DTBO_FDTOVERLAY:-} == host ]]; then
		applier_root[$suite]=
		applier_name[$suite]="fdtoverlay of dtc $(dtc --version 2>/dev/null | sed -n 's/^Version: DTC //p') (host)"
		continue
	fi
	root=$(
		set -e
		deb_chroot "$suite" device-tree-compiler
	)
	rc=$?
	check "$suite-chroot-fdtoverlay" test "$rc" -eq 0 -a -x "$root/usr/bin/fdtoverlay"
	applier_root[$suite]=$root
	if [[ $rc -eq 0 ]]; then
		applier_tmp[$suite]=$(mktemp -d "$root/tmp/check-dtbo.XXXXXX")
		chroot_tmp+=("${applier_tmp[$suite]}")
		applier_name[$suite]="fdtoverlay of dtc $(deb_chroot_run "$root" dtc --version |
			sed -n 's/^Version: DTC //p') ($suite chroot)"
	fi
done
report "overlays applied with ${applier_name[trixie]:-?}, and compared with ${applier_name[bookworm]:-?}"

# U-Boot (see "U-Boot" below) builds on one core while the matrix runs
uboot_dir=$logs/u-boot
mkdir -p "$uboot_dir"
UBOOT_JOBS=${UBOOT_JOBS:-1} "$top/tests/uboot/u-boot.sh" build \
	>"$uboot_dir/u-boot.path" 2>"$uboot_dir/build.log" &
uboot_pid=$!

# apply_with SUITE OUT BASE DTBO...: merge the overlays into BASE with that
# suite's fdtoverlay.
apply_with() {
	local suite=$1 out=$2 base=$3 f n=0 in root tmp
	local -a args=()
	shift 3
	root=${applier_root[$suite]}
	if [[ -z $root ]]; then
		fdtoverlay -i "$base" -o "$out" "$@"
		return
	fi
	tmp=${applier_tmp[$suite]:-}
	[[ -n $tmp ]] || return 1
	in=/${tmp#"$root"/}
	rm -f "$tmp"/*
	cp "$base" "$tmp/base.dtb" || return 1
	for f in "$@"; do
		cp "$f" "$tmp/$n.dtbo" || return 1
		args+=("$in/$n.dtbo")
		n=$((n + 1))
	done
	deb_chroot_run "$root" fdtoverlay -i "$in/base.dtb" -o "$in/out.dtb" "${args[@]}" &&
		cp "$tmp/out.dtb" "$out"
}

# apply OUT BASE DTBO...: with dtc 1.7's fdtoverlay
apply() {
	apply_with trixie "$@"
}

# dtc16_dangles MERGED BASE DTBO...: with dtc 1.6's fdtoverlay a
# reference dangles (the refs check rejects it)
dtc16_dangles() {
	local out=${1%.dtb}.dtc16.dtb o
	shift
	apply_with bookworm "$out" "$@" || return 1
	o=$(dtinfo refs "$out")
	echo "$o"
	[[ $o == *"names no node"* ]]
}

# dtc16_same MERGED BASE DTBO...: dtc 1.6's fdtoverlay gives the same tree
# as MERGED (up to phandle numbers), with every reference resolved
dtc16_same() {
	local merged=$1 out=${1%.dtb}.dtc16.dtb
	shift
	apply_with bookworm "$out" "$@" || return 1
	dtinfo refs "$out" || return 1
	dtinfo same "$merged" "$out"
}

# ------------------------------------------------------------- overlays

# dtso_build SRC OUT: cpp, then dtc -@ (as make dtbo does).
dtso_build() {
	cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp -I dts-overlays \
		-o "$2.pre" "$1" && dtc -@ -I dts -O dtb -o "$2" "$2.pre"
}

rm -f dts-overlays/*.dtbo
check "make-dtbo" make -s -C "$top" dtbo
for f in dts-overlays/*.dtso; do
	check "${f##*/}" test -s "${f%.dtso}.dtbo"
done
mkdir -p "$logs/test-overlays"
for f in tests/dtbo/*.dtso; do
	b=${f##*/}
	check "$b" dtso_build "$f" "$logs/test-overlays/${b%.dtso}.dtbo"
done
report "overlays built"

ov() {
	printf '%s\n' "$top/dts-overlays/$1.dtbo"
}
tov() {
	printf '%s\n' "$logs/test-overlays/$1.dtbo"
}

# ------------------------------------------------------ expected values

# The TPM4 groups of the board overlays: channel N on PTF(N+1), mux 6,
# input select 0x280 + 4 * N (value 3 for CH0..CH2, 2 for CH3..CH5),
# pull-down; written out here as numbers, independently of
# dts-overlays/imx7ulp-tpm4-pads.h. ptf_pins GROUP FIRST_CHANNEL
ptf_pins() {
	local ch sel
	for ch in 0 1 2 3 4 5; do
		((ch < $2)) && continue
		sel=3
		((ch >= 3)) && sel=2
		printf '%s 0x%x 0x%x 0x6 0x%x 0x2\n' "$1" $((0x184 + 4 * ch)) $((0x280 + 4 * ch)) "$sel"
	done
}
IOMUXC1=/bus@40800000/pinctrl@40ac0000

# Cases per board: "name|overlays in order|expected TPM4 pins (base: as in
# the base DTB)|extra checks".
# Expected pins: "base", or "GROUP-NAME:FIRST-CHANNEL" under the IOMUXC1
# (or under its function node, "FUNCTION/GROUP-NAME:FIRST-CHANNEL").
cases() {
	case $1 in
	evk)
		echo "tpm4|imx7ulp-tpm4|base|backlight"
		echo "pwm|imx7ulp-evk-tpm4-pwm|tpm4-ptf2-ptf6-grp:1|backlight"
		echo "pwm+led|imx7ulp-evk-tpm4-pwm imx7ulp-tpm4-ch3-led-with-backlight|tpm4-ptf2-ptf6-grp:1|backlight led"
		;;
	com)
		echo "tpm4|imx7ulp-tpm4|base|"
		echo "pwm|imx7ulp-com-tpm4-pwm|tpm4-ptf1-ptf6-grp:0|"
		echo "pwm+led|imx7ulp-com-tpm4-pwm imx7ulp-tpm4-ch3-led|tpm4-ptf1-ptf6-grp:0|led"
		;;
	nxp-evk)
		echo "pwm|imx7ulp-evk-tpm4-pwm|tpm4-ptf2-ptf6-grp:1|backlight"
		echo "pwm+led|imx7ulp-evk-tpm4-pwm imx7ulp-tpm4-ch3-led-with-backlight|tpm4-ptf2-ptf6-grp:1|backlight led"
		;;
	ea-ucom-kit)
		echo "pwm|imx7ulpea-ucom-kit-tpm4-pwm|imx7ulpea-ucom-kit/tpm4-ptf1-ptf6-grp:0|backlight-starts"
		echo "pwm+led|imx7ulpea-ucom-kit-tpm4-pwm imx7ulp-tpm4-ch3-led-with-backlight|imx7ulpea-ucom-kit/tpm4-ptf1-ptf6-grp:0|backlight-starts led"
		;;
	esac
}

# --------------------------------------------------------- tree checks

no_symbols() {
	! fdtget -l "$1" /__symbols__ >/dev/null 2>&1
}

prop() {
	fdtget -t x "$1" "$2" "$3" 2>/dev/null || echo "(absent)"
}

clocks_same() {
	local base=$1 merged=$2 p
	for p in clocks clock-names assigned-clocks assigned-clock-parents assigned-clock-rates; do
		same "$p: $(prop "$base" "$TPM4" "$p")" "$p: $(prop "$merged" "$TPM4" "$p")" || return 1
	done
}

tpm5_same() {
	local a b
	a=$(dtinfo node "$1" "$TPM5") || return 1
	b=$(dtinfo node "$2" "$TPM5") || return 1
	[[ -n $a ]] && same "$a" "$b"
}

pins_expected() {
	local base=$1 merged=$2 want=$3 got
	got=$(dtinfo pins "$merged" "$TPM4") || {
		echo "$got"
		return 1
	}
	if [[ $want == base ]]; then
		want=$(dtinfo pins "$base" "$TPM4") || return 1
		same "$(prop "$base" "$TPM4" pinctrl-names)" "$(prop "$merged" "$TPM4" pinctrl-names)" || return 1
	else
		want=$(ptf_pins "$IOMUXC1/${want%:*}" "${want##*:}")
		same "default" "$(fdtget "$merged" "$TPM4" pinctrl-names 2>&1)" || return 1
	fi
	same "$want" "$got"
}

# The EVK's backlight keeps TPM4 channel 1 at 50 us, and its pad (PTF2,
# mux 6, the base's pad setting) is in TPM4's group.
backlight_kept() {
	local base=$1 merged=$2 bpin
	same "$TPM4 1 50000 0" "$(dtinfo ref "$merged" /backlight pwms)" || return 1
	same "okay" "$(fdtget "$merged" /backlight status 2>&1)" || return 1
	bpin=$(dtinfo pins "$base" "$TPM4" | awk '$2 == "0x188" { $1 = ""; print }')
	[[ $bpin == " 0x188 0x284 0x6 0x3 "* ]] || {
		echo "base has no PTF2 TPM4_CH1 entry in TPM4's group: '$bpin'"
		return 1
	}
	dtinfo pins "$merged" "$TPM4" | awk '{ $1 = ""; print }' | grep -qxF -- "$bpin" || {
		echo "PTF2 entry '$bpin' of the base is not in the merged TPM4 group"
		return 1
	}
}

# A backlight on TPM4 channel 1 at 50 us that the base had while TPM4 was
# disabled (Embedded Artists' uCOM kit) is live once TPM4 is enabled: the
# overlay's comment and dts-overlays/README.md say so.
backlight_starts() {
	local base=$1 merged=$2 ov=$3
	same "disabled" "$(fdtget "$base" "$TPM4" status 2>&1)" || return 1
	same "$TPM4 1 50000 0" "$(dtinfo ref "$merged" /backlight pwms)" || return 1
	same "okay" "$(fdtget "$merged" /backlight status 2>&1)" || return 1
	same "okay" "$(fdtget "$merged" "$TPM4" status 2>&1)" || return 1
	grep -q "backlight" "$top/dts-overlays/$ov.dtso" || {
		echo "dts-overlays/$ov.dtso does not mention the backlight"
		return 1
	}
	grep -q "$ov.*backlight\|backlight.*$ov" "$top/dts-overlays/README.md" || {
		echo "dts-overlays/README.md has no line with $ov and the backlight"
		return 1
	}
}

led_ok() {
	local merged=$1
	same "pwm-leds" "$(fdtget "$merged" /leds-tpm4 compatible 2>&1)" &&
		same "$TPM4 3 50000 0" "$(dtinfo ref "$merged" /leds-tpm4/led-3 pwms)"
}

# schema_clean SCHEMA DTB: dt-validate finds nothing.
schema_clean() {
	local out
	out=$(dt-validate -s "$1" "$2" 2>&1) || {
		echo "$out"
		return 1
	}
	[[ -z $out ]] || {
		echo "$out"
		return 1
	}
}

# schema_rejects SCHEMA DTB: dt-validate reports the TPM4 node.
schema_rejects() {
	local out
	out=$(dt-validate -s "$1" "$2" 2>&1)
	grep -q 'pwm@40250000' <<<"$out" || {
		echo "no finding for pwm@40250000: $out"
		return 1
	}
}

# conflict_found BASE MERGED: the pad checker rejects the merged tree.
conflict_found() {
	local out rc
	out=$(dtinfo conflicts "$1" "$2")
	rc=$?
	echo "$out"
	[[ $rc -eq 1 && $out == *"also claimed by"* ]]
}

# pinctrl_rejects DTB [WHAT]: the replay of the i.MX pin controller
# driver (dtinfo.py pinctrl) finds a pad claimed twice (WHAT "pad", the
# default) or groups its layout does not register ("layout")
pinctrl_rejects() {
	local out rc
	out=$(dtinfo pinctrl "$1")
	rc=$?
	echo "$out"
	((rc == 1)) || return 1
	case ${2:-pad} in
	pad) [[ $out == *"pad "*" claimed by "* ]] ;;
	layout) [[ $out == *" is not registered ("*" layout)"* && $out == *"unable to find group"* ]] ;;
	esac
}

# refused OUT BASE DTBO: fdtoverlay (dtc 1.7) refuses the overlay, with
# libfdt's FDT_ERR_NOTFOUND
refused() {
	local out
	if out=$(apply "$@" 2>&1); then
		echo "applied: $out"
		return 1
	fi
	echo "$out"
	[[ $out == *FDT_ERR_NOTFOUND* ]]
}

# ------------------------------------------------------------- U-Boot

# The same merges done by U-Boot itself: Debian's u-boot source (trixie)
# built for QEMU's virt board with CONFIG_OF_LIBFDT_OVERLAY
# (tests/uboot/u-boot.sh), driven at its prompt with fdt addr, fdt resize
# and fdt apply for each case (tests/uboot/fdt-apply.py). U-Boot 2025.01
# carries a libfdt that, like dtc 1.6.1's, gives an overlay-labelled target
# the overlay's phandle: what the dtc 1.6 lane shows, U-Boot must show too.
declare -A uboot_expect uboot_merged
uboot_names=()
: >"$uboot_dir/cases"

# uboot_case MERGED EXPECT BASE DTBO...: have U-Boot merge DTBOs into BASE
# too; EXPECT: ok (the same tree as MERGED, up to phandle numbers, every
# reference resolved), dangles (applied, a reference names no node) or
# refused (fdt apply fails with FDT_ERR_NOTFOUND).
uboot_case() {
	local merged=$1 expect=$2 base=$3 name ovs
	shift 3
	name=${merged#"$logs"/}
	name=${name%.dtb}
	name=${name//\//_}
	ovs=$(
		IFS=,
		echo "$*"
	)
	echo "$name $base $ovs" >>"$uboot_dir/cases"
	uboot_names+=("$name")
	uboot_expect[$name]=$expect
	uboot_merged[$name]=$merged
}

# uboot_result NAME: U-Boot's result line for the case
uboot_result() {
	awk -v n="$1" '$1 == n' "$uboot_dir/results" 2>/dev/null
}

uboot_same() {
	local got=$uboot_dir/$1.dtb
	dtinfo refs "$got" || return 1
	dtinfo same "${uboot_merged[$1]}" "$got"
}

uboot_dangles() {
	local o
	o=$(dtinfo refs "$uboot_dir/$1.dtb")
	echo "$o"
	[[ $o == *"names no node"* ]]
}

# uboot_refused NAME RESULT: fdt apply failed, with libfdt's NOTFOUND
uboot_refused() {
	echo "$2"
	[[ $2 == "$1 failed: failed on fdt_overlay_apply(): FDT_ERR_NOTFOUND"* ]]
}

uboot_apply() {
	local ub name r n_ok=0 n_dangle=0 n_refused=0
	wait "$uboot_pid"
	check "u-boot-build" test $? -eq 0
	ub=$(cat "$uboot_dir/u-boot.path")
	check "u-boot-bin" test -s "$ub/u-boot.bin"
	check "u-boot-overlay-support" grep -qx CONFIG_OF_LIBFDT_OVERLAY=y "$ub/.config"
	[[ -s $ub/info ]] && sed 's/^/     /' "$ub/info"
	check "u-boot-session" "$PY" "$top/tests/uboot/fdt-apply.py" \
		"$ub/u-boot.bin" "$uboot_dir/cases" "$uboot_dir" "$TPM4"
	check "every-case-run" same "${#uboot_names[@]}" "$(wc -l <"$uboot_dir/results" 2>/dev/null)"
	report "U-Boot: ${#uboot_names[@]} cases at the prompt of $(sed -n 's/^VERSION=//p' "$ub/info" 2>/dev/null)"
	for name in "${uboot_names[@]}"; do
		r=$(uboot_result "$name")
		case ${uboot_expect[$name]} in
		ok)
			check "applied" same "$name ok" "$r"
			check "same-as-fdtoverlay" uboot_same "$name"
			n_ok=$((n_ok + 1))
			;;
		dangles)
			check "applied" same "$name ok" "$r"
			check "reference-dangles" uboot_dangles "$name"
			n_dangle=$((n_dangle + 1))
			;;
		refused)
			check "refused" uboot_refused "$name" "$r"
			n_refused=$((n_refused + 1))
			;;
		esac
		report "U-Boot fdt apply: $name (${uboot_expect[$name]})"
	done
	# the loop checked every case the matrix handed over
	check "case-count" same "${#uboot_names[@]}" "$((n_ok + n_dangle + n_refused))"
	report "U-Boot: $n_ok merges equal to fdtoverlay's, $n_dangle with a dangling reference (as dtc 1.6), $n_refused refused"
	# one case as it looked on U-Boot's console
	sed 's/^/     | /' "$uboot_dir/example.txt" 2>/dev/null
}

# ------------------------------------------------------------- sources

# check_cases KEY BASE PREFIX TAG: apply each case of KEY (cases) to BASE
# and check the merged tree (PREFIX-NAME.dtb).
check_cases() {
	local key=$1 base=$2 prefix=$3 tag=$4 cname overlays want extra merged o
	local -a dtbos
	while IFS='|' read -r cname overlays want extra; do
		merged=$prefix-$cname.dtb
		dtbos=()
		for o in $overlays; do
			dtbos+=("$(ov "$o")")
		done
		check "applies" apply "$merged" "$base" "${dtbos[@]}"
		if [[ ! -s $merged ]]; then
			report "$tag + ${overlays// / + }"
			continue
		fi
		check "status" same okay "$(fdtget "$merged" "$TPM4" status 2>&1)"
		check "pwm-cells" same 3 "$(fdtget "$merged" "$TPM4" '#pwm-cells' 2>&1)"
		check "pins" pins_expected "$base" "$merged" "$want"
		check "clocks" clocks_same "$base" "$merged"
		check "tpm5" tpm5_same "$base" "$merged"
		check "phandles" dtinfo phandles "$base" "$merged"
		check "symbols" dtinfo symbols "$base" "$merged"
		check "pads" dtinfo conflicts "$base" "$merged"
		check "pinctrl" dtinfo pinctrl "$merged"
		check "refs" dtinfo refs "$merged"
		check "dtc-1.6" dtc16_same "$merged" "$base" "${dtbos[@]}"
		[[ " $extra " == *" backlight "* ]] && check "backlight" backlight_kept "$base" "$merged"
		[[ $extra == *backlight-starts* ]] &&
			check "backlight-starts" backlight_starts "$base" "$merged" "${overlays%% *}"
		[[ $extra == *led* ]] && check "led" led_ok "$merged"
		check "schema" schema_clean "$schema" "$merged"
		report "$tag + ${overlays// / + }"
		uboot_case "$merged" ok "$base" "${dtbos[@]}"
	done < <(cases "$key")
}

# shape_base OUT DIR BOARD SHAPE [FUNC=GROUPS...]: the board's DTB with
# tests/dtbo/shape-SHAPE.dtsi included after it (cpp, dtc in DIR), its
# pin groups then moved into function nodes (dtinfo.py nest) if asked.
shape_base() {
	local out=$1 dir=$2 board=$3 shape=$4
	shift 4
	printf '#include "imx7ulp-%s.dts"\n#include "shape-%s.dtsi"\n' "$board" "$shape" \
		>"$dir/$shape.wrap.dts"
	cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp \
		-I "$src/$dts" -I "$src/include" -I "$top/tests/dtbo" \
		-o "$dir/$shape.dts" "$dir/$shape.wrap.dts" || return 1
	dtc -q -I dts -O dtb -o "$out" "$dir/$shape.dts" || return 1
	(($# == 0)) || dtinfo nest "$out" "$out" "$@"
}

# ---------------------------------------------------------- the matrix

for kv in "${KERNELS[@]}"; do
	suite=${kv%%:*}
	series=${kv#*:}
	if [[ -n ${CHECK_DTBO_KERNELS:-} && " $CHECK_DTBO_KERNELS " != *" $series "* ]]; then
		continue
	fi
	case $series in
	5.10 | 6.1) dts=arch/arm/boot/dts ;;
	*) dts=arch/arm/boot/dts/nxp/imx ;;
	esac
	k=$logs/$series
	mkdir -p "$k/bindings"
	src=$(
		set -e
		deb_linux_source_series "$suite" "$series" \
			"$dts/imx7ulp-evk.dts" "$dts/imx7ulp-com.dts" \
			"$dts/imx7ulp.dtsi" "$dts/imx7ulp-pinfunc.h" \
			include/dt-bindings include/uapi/linux/input-event-codes.h \
			Documentation/devicetree/bindings/pwm/imx-tpm-pwm.yaml \
			Documentation/devicetree/bindings/pwm/pwm.yaml
	)
	rc=$?
	check "linux-source" test "$rc" -eq 0 -a -d "$src/$dts"
	if [[ $rc -ne 0 ]]; then
		report "$series ($suite)"
		continue
	fi
	echo "     ${src##*/}"
	# The PWM bindings of this kernel, processed with dt-schema's core
	# schemas (dt-mk-schema adds those by itself).
	cp "$src"/Documentation/devicetree/bindings/pwm/{imx-tpm-pwm,pwm}.yaml "$k/bindings/"
	schema=$k/pwm-schema.json
	check "dt-mk-schema" dt-mk-schema -j -o "$schema" "$k/bindings"
	check "schema-has-binding" grep -q 'schemas/pwm/imx-tpm-pwm.yaml#' "$schema"
	report "$series ($suite): sources and schema"

	for board in "${BOARDS[@]}"; do
		cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp \
			-I "$src/$dts" -I "$src/include" \
			-o "$k/$board.dts" "$src/$dts/imx7ulp-$board.dts" 2>"$k/$board.cpp.log"
		cpp_rc=$?
		for sym in 1 0; do
			if ((sym)); then
				tag="$series $board -@"
				sfx=-sym
				dtcflags=(-@)
			else
				tag="$series $board"
				sfx=
				dtcflags=()
			fi
			base=$k/$board$sfx.dtb
			check "cpp" test "$cpp_rc" -eq 0
			check "dtc" dtc "${dtcflags[@]}" -I dts -O dtb -o "$base" "$k/$board.dts"
			if ((sym)); then
				check "has-__symbols__" fdtget -l "$base" /__symbols__
			else
				check "no-__symbols__" no_symbols "$base"
			fi
			check "base-schema-clean" schema_clean "$schema" "$base"
			check "base-pinctrl" dtinfo pinctrl "$base"
			report "$tag: base DTB"
			[[ -s $base ]] || continue

			check_cases "$board" "$base" "$k/$board$sfx" "$tag"

			# The checkers must be able to fail.
			case $board in
			evk) bad=conflict-evk-ptf2 ;;
			com) bad=conflict-com-ptd9 ;;
			esac
			merged=$k/$board$sfx-$bad.dtb
			check "applies" apply "$merged" "$base" "$(tov "$bad")"
			check "pads-rejected" conflict_found "$base" "$merged"
			check "pinctrl-rejects" pinctrl_rejects "$merged"
			# the LED overlay without the backlight's re-pointing, on
			# a base whose backlight refers to TPM4: dtc 1.6 leaves
			# the backlight pointing nowhere, and the check says so
			if [[ $board == evk ]]; then
				merged=$k/$board$sfx-led-plain.dtb
				check "applies" apply "$merged" "$base" \
					"$(ov imx7ulp-evk-tpm4-pwm)" "$(ov imx7ulp-tpm4-ch3-led)"
				check "dtc-1.6-dangles" dtc16_dangles "$merged" "$base" \
					"$(ov imx7ulp-evk-tpm4-pwm)" "$(ov imx7ulp-tpm4-ch3-led)"
				uboot_case "$merged" dangles "$base" \
					"$(ov imx7ulp-evk-tpm4-pwm)" "$(ov imx7ulp-tpm4-ch3-led)"
				bad+=", imx7ulp-tpm4-ch3-led"
			fi
			merged=$k/$board$sfx-missing-target.dtb
			check "missing-target-refused" refused "$merged" "$base" "$(tov missing-target)"
			uboot_case "$merged" refused "$base" "$(tov missing-target)"
			bad+=", missing-target"
			merged=$k/$board$sfx-bad-binding.dtb
			check "applies" apply "$merged" "$base" "$(tov bad-binding)"
			check "schema-rejects" schema_rejects "$schema" "$merged"
			report "$tag: negative tests ($bad, bad-binding)"
		done

		# The vendor shape of this board, without __symbols__
		case $board in
		evk)
			shape=nxp-evk
			nest=()
			bad=$(tov conflict-nxp-evk-ptf1)
			why=pad
			;;
		com)
			shape=ea-ucom-kit
			nest=("imx7ulpea-ucom=usdhc0grp,hoggrp-1"
				"imx7ulpea-ucom-kit=lpuart4grp,otg1idgrp")
			bad=$(ov imx7ulp-com-tpm4-pwm)
			why=layout
			;;
		esac
		tag="$series $board, vendor shape $shape"
		base=$k/$shape.dtb
		check "shape" shape_base "$base" "$k" "$board" "$shape" "${nest[@]}"
		check "base-pinctrl" dtinfo pinctrl "$base"
		check "base-schema-clean" schema_clean "$schema" "$base"
		report "$tag: base DTB (tests/dtbo/shape-$shape.dtsi)"
		[[ -s $base ]] || continue
		check_cases "$shape" "$base" "$k/$shape" "$tag"
		merged=$k/$shape-rejected.dtb
		check "applies" apply "$merged" "$base" "$bad"
		check "pinctrl-rejects" pinctrl_rejects "$merged" "$why"
		report "$tag: negative test (${bad##*/})"
	done
done

uboot_apply

report "checks not reported on a line of their own"
echo "checks: $passed passed, $failed failed"
echo "check-dtbo: $points_passed passed, $points_failed failed"
((failed == 0))
