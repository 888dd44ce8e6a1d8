# shellcheck shell=bash
#
# tests/lib/kernels.sh - the project's kernel matrix vocabulary, shared by
# tests/matrix/matrix.sh and tests/vm/vm.sh: which Debian suite carries a
# kernel series, and which flavour an architecture uses.
#
# A kernel is named SERIES[-VARIANT]: "6.12" is Debian's ordinary kernel of
# that series, "6.12-rt" its PREEMPT_RT flavour (rt-amd64, rt-armmp,
# rt-arm64), which Debian builds from the same source package in the same
# suite, so only the flavour differs. (tests/vm/vm.sh also knows
# "7.3-debug", a kernel it builds itself; that one is not Debian's.)

# series_base SERIES[-VARIANT]: the series, e.g. 6.12 for 6.12-rt.
series_base() {
	printf '%s\n' "${1%-rt}"
}

# series_variant SERIES[-VARIANT]: the variant ("rt"), or nothing.
series_variant() {
	case $1 in
	*-rt) echo rt ;;
	esac
}

# series_suite SERIES[-VARIANT]: the Debian suite whose newest kernel of
# SERIES we use (the rt flavour comes from the same suite).
series_suite() {
	case $(series_base "$1") in
	5.10) echo bullseye ;;
	6.1) echo bookworm ;;
	6.12) echo trixie ;;
	7.3) echo trixie-backports ;;
	*) return 1 ;;
	esac
}

# arch_flavour ARCH [VARIANT]: Debian's kernel flavour for ARCH, or for its
# VARIANT ("rt": the PREEMPT_RT flavour, Debian's "rt-" prefix).
arch_flavour() {
	local flav
	case $1 in
	amd64) flav=amd64 ;;
	armhf) flav=armmp ;;
	arm64) flav=arm64 ;;
	*) return 1 ;;
	esac
	case ${2:-} in
	'') printf '%s\n' "$flav" ;;
	rt) printf 'rt-%s\n' "$flav" ;;
	*) return 1 ;;
	esac
}

# kconfig_check FRAGMENT CONFIG: print "LINE -> ACTUAL" for each line of the
# config fragment FRAGMENT ("CONFIG_X=..." or "# CONFIG_X is not set") that
# does not hold in the .config CONFIG; nothing when all hold.
kconfig_check() {
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
