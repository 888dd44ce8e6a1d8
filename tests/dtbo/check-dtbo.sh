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
#   - dt-validate against the kernel's own binding of the PWM node (plus the
#     core schemas of dt-schema) reports nothing (the validator is itself
#     tested on a broken TPM4 node, tests/dtbo/bad-binding.dtso).
#
# Ends with "check-dtbo: N passed, M failed". Trees and logs go to
# tests/logs/dtbo/; sources are cached below $IMX_TPM_PWM_CACHE.
#
# Environment:
#   CHECK_DTBO_KERNELS="6.12 7.3"  only these kernel series
#   CHECK_DTBO_FDTOVERLAY=host     apply with the host's fdtoverlay even if
#                                  it is older than dtc 1.7 (see below)
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

passed=0
failed=0
skipped=0
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
	elif ((${#line_ok[@]})); then
		echo "ok   $1: ${line_ok[*]}"
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

# fdtoverlay of dtc 1.6.1 (bookworm) replaces a target node's phandle with
# the overlay's own and so breaks the base's references to it (the LED
# overlay on the EVK); 1.7.2 (trixie) keeps it. When the host's dtc is older
# than 1.7.2, apply with trixie's, in a chroot.
chroot_root=
chroot_tmp=
cleanup() {
	[[ -n $chroot_tmp ]] && rm -rf "$chroot_tmp"
	return 0
}
trap cleanup EXIT
dtc_ver=$(dtc --version 2>/dev/null | sed -n 's/^Version: DTC //p')
if [[ ${CHECK_DTBO_FDTOVERLAY:-} != host && -n $dtc_ver ]] &&
	dpkg --compare-versions "${dtc_ver%%-*}" lt 1.7.2; then
	chroot_root=$(
		set -e
		deb_chroot trixie device-tree-compiler
	)
	rc=$?
	check "trixie-chroot-fdtoverlay" test "$rc" -eq 0 -a -x "$chroot_root/usr/bin/fdtoverlay"
	if [[ $rc -eq 0 ]]; then
		chroot_tmp=$(mktemp -d "$chroot_root/tmp/check-dtbo.XXXXXX")
		applier="fdtoverlay of dtc $(deb_chroot_run "$chroot_root" dtc --version |
			sed -n 's/^Version: DTC //p') (trixie chroot; the host has $dtc_ver)"
	else
		chroot_root=
		applier="fdtoverlay of dtc $dtc_ver (host)"
	fi
else
	applier="fdtoverlay of dtc $dtc_ver (host)"
fi
report "overlays applied with $applier"

# apply OUT BASE DTBO...: merge the overlays into BASE.
apply() {
	local out=$1 base=$2 f n=0 in
	local -a args=()
	shift 2
	if [[ -z $chroot_root ]]; then
		fdtoverlay -i "$base" -o "$out" "$@"
		return
	fi
	in=/${chroot_tmp#"$chroot_root"/}
	rm -f "$chroot_tmp"/*
	cp "$base" "$chroot_tmp/base.dtb" || return 1
	for f in "$@"; do
		cp "$f" "$chroot_tmp/$n.dtbo" || return 1
		args+=("$in/$n.dtbo")
		n=$((n + 1))
	done
	deb_chroot_run "$chroot_root" fdtoverlay -i "$in/base.dtb" -o "$in/out.dtb" "${args[@]}" &&
		cp "$chroot_tmp/out.dtb" "$out"
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

# The TPM4 group of the board overlays: channels 0..5 on PTF1..PTF6, mux 6,
# input select 0x280 + 4 * channel, pull-down; written out here as numbers,
# independently of dts-overlays/imx7ulp-tpm4-pads.h.
ptf_group=/bus@40800000/pinctrl@40ac0000/tpm4-ptf1-ptf6-grp
ptf_pins="$ptf_group 0x184 0x280 0x6 0x3 0x2
$ptf_group 0x188 0x284 0x6 0x3 0x2
$ptf_group 0x18c 0x288 0x6 0x3 0x2
$ptf_group 0x190 0x28c 0x6 0x2 0x2
$ptf_group 0x194 0x290 0x6 0x2 0x2
$ptf_group 0x198 0x294 0x6 0x2 0x2"

# Cases per board: "name|overlays in order|expected TPM4 pins (base: as in
# the base DTB)|extra checks".
cases() {
	case $1 in
	evk)
		echo "tpm4|imx7ulp-tpm4|base|backlight"
		echo "pwm|imx7ulp-evk-tpm4-pwm|ptf|backlight"
		echo "pwm+led|imx7ulp-evk-tpm4-pwm imx7ulp-tpm4-ch3-led|ptf|backlight led"
		;;
	com)
		echo "tpm4|imx7ulp-tpm4|base|"
		echo "pwm|imx7ulp-com-tpm4-pwm|ptf|"
		echo "pwm+led|imx7ulp-com-tpm4-pwm imx7ulp-tpm4-ch3-led|ptf|led"
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
		want=$ptf_pins
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

# ------------------------------------------------------------- sources

# linux_source SUITE SERIES MEMBER...: the tree of the newest
# linux-source-SERIES in SUITE, with MEMBERs extracted (cached). A suite can
# carry more than one series (bullseye-security has 6.1, bookworm-security
# 6.12), so the series is named, not taken as the newest.
linux_source() {
	local suite=$1 series=$2 name ver dir
	shift 2
	name=linux-source-$series
	deb_apt_update "$suite" amd64
	ver=$(deb_candidate "$suite" amd64 "$name")
	[[ -n $ver ]] || deb_die "no $name in $suite"
	dir=$(deb_cache_dir)/linux-source/${name}_$ver
	deb_with_lock "src-${name}_$ver" deb_linux_source_locked \
		"$suite" "$name" "$ver" "$dir" "$@"
	printf '%s\n' "$dir"
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
		linux_source "$suite" "$series" \
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
			report "$tag: base DTB"
			[[ -s $base ]] || continue

			while IFS='|' read -r cname overlays want extra; do
				merged=$k/$board$sfx-$cname.dtb
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
				[[ $extra == *backlight* ]] && check "backlight" backlight_kept "$base" "$merged"
				[[ $extra == *led* ]] && check "led" led_ok "$merged"
				check "schema" schema_clean "$schema" "$merged"
				report "$tag + ${overlays// / + }"
			done < <(cases "$board")

			# The checkers must be able to fail.
			case $board in
			evk) bad=conflict-evk-ptf2 ;;
			com) bad=conflict-com-ptd9 ;;
			esac
			merged=$k/$board$sfx-$bad.dtb
			check "applies" apply "$merged" "$base" "$(tov "$bad")"
			check "pads-rejected" conflict_found "$base" "$merged"
			merged=$k/$board$sfx-bad-binding.dtb
			check "applies" apply "$merged" "$base" "$(tov bad-binding)"
			check "schema-rejects" schema_rejects "$schema" "$merged"
			report "$tag: negative tests ($bad, bad-binding)"
		done
	done
done

if ((skipped)); then
	echo "check-dtbo: $passed passed, $failed failed, $skipped skipped"
else
	echo "check-dtbo: $passed passed, $failed failed"
fi
((failed == 0))
