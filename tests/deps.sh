#!/bin/bash
# Install the host packages that "make check" needs (Debian, as root).
# tests/deps.sh deb: only what "make deb" needs: debian/control's
# Build-Depends (apt-get build-dep), dpkg-dev, fakeroot and lintian.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ "${1:-}" = deb ]; then
	if dpkg-checkbuilddeps "$top/debian/control" 2>/dev/null &&
		command -v lintian >/dev/null && command -v fakeroot >/dev/null; then
		exit 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing build dependencies: run as root, or apt-get build-dep ./ && apt-get install lintian fakeroot" >&2
		exit 1
	fi
	for try in 1 2 3; do
		if apt-get update -q && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends dpkg-dev fakeroot lintian &&
			DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q "$top"; then
			exit 0
		fi
		echo "deps: apt failed (try $try), retrying" >&2
		sleep $((try * 10))
	done
	exit 1
fi

pkgs=(make gcc libc6-dev perl shellcheck debootstrap xz-utils
      dpkg-dev debhelper dh-dkms lintian fakeroot
      debian-archive-keyring ca-certificates kmod
      qemu-system-arm qemu-system-x86 device-tree-compiler cpio gzip procps
      dt-schema python3 qemu-user-static binfmt-support e2fsprogs
      autopkgtest autodep8 piuparts mmdebstrap rsync git uidmap)

# autopkgtest-virt-unshare (make check-debian-tools) maps the testbed's
# users through an /etc/subuid and /etc/subgid range of the calling user,
# with "unshare --map-auto", which runs newuidmap and newgidmap (package
# uidmap, only recommended by autopkgtest and mmdebstrap: a fresh machine
# without it fails with "failed to execute newuidmap")
if [ "$(id -u)" -eq 0 ]; then
	for f in /etc/subuid /etc/subgid; do
		if ! grep -q '^root:' "$f" 2>/dev/null; then
			echo "deps: adding root:1000000:65536 to $f (autopkgtest-virt-unshare)" >&2
			echo 'root:1000000:65536' >>"$f"
		fi
	done
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}" >&2
for try in 1 2 3; do
	if apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"; then
		exit 0
	fi
	echo "deps: apt failed (try $try), retrying" >&2
	sleep $((try * 10))
done
exit 1
