#!/bin/bash
# tests/deb/build-deb.sh OUTDIR [VERSION]
#
# Build the Debian source package pwm-imx-tpm and the binary package
# pwm-imx-tpm-dkms with dpkg-buildpackage -us -uc from a copy of the source
# tree (so nothing is written into the tree
# and the results land in OUTDIR, not in the tree's parent), then run
# lintian (pedantic too) on the .changes, source and binary, and fail on
# any error, warning or pedantic tag that debian/*lintian-overrides does
# not explain.
#
# VERSION (e.g. 0.0.9) builds an older or newer release for upgrade tests:
# the copy gets it in VERSION, dkms.conf and a new debian/changelog entry.
# Prints the path of the .deb as the last line.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:?usage: $0 OUTDIR [VERSION]}
ver=${2:-}
mkdir -p "$out"
out=$(cd "$out" && pwd)

missing=()
for t in dpkg-buildpackage dpkg-checkbuilddeps dh dh_dkms lintian fakeroot; do
	command -v "$t" >/dev/null || missing+=("$t")
done
if ((${#missing[@]})); then
	echo "build-deb: missing ${missing[*]}: apt-get install dpkg-dev debhelper dh-dkms lintian fakeroot (or: make deps)" >&2
	exit 1
fi

src_ver=$(cat "$top/VERSION")
ver=${ver:-$src_ver}

# tree_tar: the tree as it is (committed or not), less what git ignores:
# build products of every tier (the test binaries too, which the source
# package must not carry), logs, build/. Without git: less the usual
# kernel build products, logs and build/.
tree_tar() {
	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$top" ls-files -z -co --exclude-standard |
			tar -C "$top" --null --no-recursion -cf - -T -
		return
	fi
	tar -C "$top" --exclude-vcs --exclude=./build --exclude=./tests/logs \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude=Module.symvers --exclude=modules.order \
		-cf - .
}

# One build at a time per OUTDIR (make check's lanes may ask for the
# package twice at once), and none when the tree has not changed since
# the last build of this version: its .deb is printed again.
exec 8>"$out/.lock"
flock 8
key=$({
	echo "$ver"
	tree_tar
} | sha256sum | cut -d' ' -f1)
stamp=$out/.built-$ver
if [[ -f $stamp ]]; then
	read -r old_key old_deb <"$stamp"
	if [[ $old_key == "$key" && -f $old_deb ]]; then
		echo "build-deb: ${old_deb##*/} is up to date (same tree)" >&2
		printf '%s\n' "$old_deb"
		exit 0
	fi
fi
rm -f "$stamp"
work=$out/src-$ver
rm -rf "$work"
mkdir -p "$work/pwm-imx-tpm"
tree=$work/pwm-imx-tpm
tree_tar | tar -C "$tree" -xf -

if [[ $ver != "$src_ver" ]]; then
	echo "$ver" >"$tree/VERSION"
	sed -i -E "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$ver\"/" "$tree/dkms.conf"
	{
		printf 'pwm-imx-tpm (%s-1) unstable; urgency=medium\n\n' "$ver"
		printf '  * Test build of version %s (tests/deb/build-deb.sh).\n\n' "$ver"
		printf ' -- pwm-imx-tpm developers <dev@imx-tpm-pwm.invalid>  %s\n\n' "$(date -R)"
		cat "$tree/debian/changelog"
	} >"$tree/debian/changelog.new"
	mv "$tree/debian/changelog.new" "$tree/debian/changelog"
fi

rm -f "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo
# The upstream tarball of the 3.0 (quilt) source package: the tree less
# debian/.
tar -C "$work" --exclude=./pwm-imx-tpm/debian --sort=name --owner=0 --group=0 \
	--mtime=@0 -cJf "$work/pwm-imx-tpm_$ver.orig.tar.xz" ./pwm-imx-tpm
echo "build-deb: dpkg-buildpackage -us -uc ($ver, source and binary; log: $work/build.log)" >&2
if ! (cd "$tree" && dpkg-buildpackage -us -uc) >"$work/build.log" 2>&1; then
	tail -n 30 "$work/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed" >&2
	exit 1
fi
changes=("$work"/pwm-imx-tpm_*.changes)
debs=("$work"/pwm-imx-tpm-dkms_*_all.deb)
[[ -f ${changes[0]} && -f ${debs[0]} ]] || {
	echo "build-deb: no .changes or .deb in $work" >&2
	exit 1
}

echo "build-deb: lintian ${changes[0]##*/}" >&2
lintian_rc=0
lintian --fail-on error,warning,pedantic --pedantic --info --display-info "${changes[0]}" \
	>"$work/lintian.log" 2>&1 || lintian_rc=$?
sed 's/^/lintian: /' "$work/lintian.log" >&2
if ((lintian_rc)); then
	echo "build-deb: lintian reports errors or warnings (exit $lintian_rc)" >&2
	exit 1
fi
# Keep the artefacts of the newest build of each version next to each other.
cp "${debs[0]}" "${changes[0]}" "${changes[0]%.changes}.buildinfo" "$out/"
echo "$key $out/${debs[0]##*/}" >"$stamp"
printf '%s\n' "$out/${debs[0]##*/}"
