# shellcheck shell=bash
#
# tests/lib/kernels.sh - the project's kernel matrix vocabulary, shared by
# tests/matrix/matrix.sh and tests/vm/vm.sh: which Debian suite carries a
# kernel series, and which flavour an architecture uses.

# series_suite SERIES: the Debian suite whose newest kernel of SERIES we use.
series_suite() {
	case $1 in
	5.10) echo bullseye ;;
	6.1) echo bookworm ;;
	6.12) echo trixie ;;
	7.3) echo trixie-backports ;;
	*) return 1 ;;
	esac
}

# arch_flavour ARCH: Debian's kernel flavour for ARCH.
arch_flavour() {
	case $1 in
	amd64) echo amd64 ;;
	armhf) echo armmp ;;
	arm64) echo arm64 ;;
	*) return 1 ;;
	esac
}
