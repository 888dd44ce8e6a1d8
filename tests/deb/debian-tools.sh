#!/bin/bash
# Functions here run through check (SC2317).
# shellcheck disable=SC2317
# tests/deb/debian-tools.sh DEBDIR - Debian's own package test tools on the
# pwm-imx-tpm source and binary packages that "make deb" built into DEBDIR:
#
# - autopkgtest runs the test that debian/control declares
#   (Testsuite: autopkgtest-pkg-dkms; autodep8 turns it into dkms's
#   /usr/lib/dkms/dkms-autopkgtest, needs-root and breaks-testbed) in a
#   trixie testbed of autopkgtest-virt-unshare, the backend here that can
#   revert a broken testbed (the chroot and null backends skip
#   breaks-testbed tests). The testbed gets linux-headers-amd64 first
#   (--setup-commands): with no headers installed the test installs those
#   of every amd64 flavour (amd64, cloud-amd64, rt-amd64) and builds for
#   each, 6.5 minutes here; with them it builds for the one kernel.
# - piuparts (install and purge; install of the older package from a
#   local repository, upgrade to this one, purge) on trixie. Like a
#   Debian user's first install, the piuparts chroot has no kernel
#   headers, so nothing is built there; tests/deb/check-deb.sh checks the
#   DKMS builds, upgrades and removals with headers.
#
# Both start from one minimal trixie tarball (mmdebstrap, cached in
# $IMX_TPM_PWM_CACHE/debian-tools, made again after a week). Needs root, and
# an /etc/subuid and /etc/subgid entry for root (autopkgtest-virt-unshare
# maps users; tests/deps.sh adds them).
#
# Ends with "check-debian-tools: N passed, M failed".
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/debian.sh source-path=SCRIPTDIR
. "$here/../lib/debian.sh"
DEB_LOG_PREFIX=check-debian-tools

PKG=pwm-imx-tpm-dkms
MOD=pwm-imx-tpm
OLD_VERSION=0.0.9
SUITE=trixie

debdir=${1:?usage: $0 DEBDIR}
# shellcheck source=../lib/checks.sh source-path=SCRIPTDIR
. "$top/tests/lib/checks.sh"
CHECKS_KEEP=${CHECK_DEB_KEEP:-0}
checks_init check-debian-tools

cache=$(deb_cache_dir)/debian-tools
logs=${IMX_TPM_PWM_LOGS:-$top/tests/logs}/debian-tools
mkdir -p "$cache/archives" "$logs"

# base: the minimal trixie tarball, made at most once a week
base() {
	local tgz=$cache/$SUITE-amd64-minbase.tar.gz
	if ! deb_fresh "$tgz" $((7 * 24 * 3600)); then
		deb_log "mmdebstrap $SUITE (minbase) -> $tgz"
		# mmdebstrap compresses by the name's extension
		local tmp=$cache/new-$SUITE.tar.gz
		rm -f "$tmp"
		deb_retry 3 mmdebstrap --variant=minbase --mode=root \
			"$SUITE" "$tmp" "$DEB_MIRROR" >"$logs/mmdebstrap.log" 2>&1 ||
			return 1
		mv "$tmp" "$tgz"
	fi
	printf '%s\n' "$tgz"
}

# autopkgtest_run TGZ DSC DEB: the declared test; its output in $logs
autopkgtest_run() {
	local out=$logs/autopkgtest rc=0
	rm -rf "$out"
	deb_log "autopkgtest ${2##*/} ${3##*/} (log: ${out#"$top"/}/log)"
	autopkgtest -U -o "$out" \
		--setup-commands='apt-get install -y -q --no-install-recommends linux-headers-amd64' \
		"$2" "$3" -- unshare --release "$SUITE" --arch amd64 --tarball "$1" \
		--bind "$cache/archives" /var/cache/apt/archives \
		>"$logs/autopkgtest.out" 2>&1 || rc=$?
	echo "$rc" >"$logs/autopkgtest.rc"
}

# piuparts_run TGZ OLD NEW: install/purge of NEW, and upgrade OLD -> NEW,
# with OLD in a local repository
piuparts_run() {
	local repo=$work/repo rc=0
	mkdir -p "$repo"
	cp "$2" "$repo/"
	(cd "$repo" && dpkg-scanpackages . >Packages 2>/dev/null) || return 1
	deb_log "piuparts ${3##*/} (upgrade from ${2##*/}; log: ${logs#"$top"/}/piuparts.log)"
	# /var/cache/debconf/tmp.ci/: trixie's debconf leaves it; trixie's
	# piuparts (1.6.0) ignores it by default, bookworm's (1.1.7) here
	# does not know it yet
	piuparts -d "$SUITE" -m "$DEB_MIRROR" -b "$1" \
		-i /var/cache/debconf/tmp.ci/ \
		--extra-repo "deb [trusted=yes] file://$repo ./" --bindmount "$repo" \
		-l "$logs/piuparts.log" "$3" >"$logs/piuparts.out" 2>&1 || rc=$?
	echo "$rc" >"$logs/piuparts.rc"
}

# autopkgtest_ok RC SUMMARY: autopkgtest passed
autopkgtest_ok() {
	[[ -s $2 ]] || return 1
	case $1 in
	0) return 0 ;;
	8) ! grep -qvE '^[^ ]+ +PASS \(superficial\)$' "$2" ;;
	*) return 1 ;;
	esac
}

# no_line RE FILE: FILE exists and has no line matching RE
no_line() {
	[[ -f $2 ]] && ! grep -qE "$1" "$2"
}

main() {
	local t missing=() tgz dver new old dsc krel
	[[ $EUID == 0 ]] || {
		bad "runs as root (autopkgtest-virt-unshare, piuparts)"
		finish
	}
	for t in autopkgtest autopkgtest-virt-unshare autodep8 piuparts mmdebstrap dpkg-scanpackages; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	check "host tools present${missing[*]:+ (missing: ${missing[*]})}" test ${#missing[@]} -eq 0 || finish
	check "/etc/subuid and /etc/subgid have an entry for root (autopkgtest-virt-unshare)" \
		grep -q '^root:' /etc/subuid /etc/subgid || finish

	VERSION=$(cat "$top/VERSION")
	dver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
	new=$debdir/${PKG}_${dver}_all.deb
	dsc=$debdir/src-$VERSION/pwm-imx-tpm_$dver.dsc
	check "package ${new##*/} and source ${dsc##*/} built (make deb)" test -f "$new" -a -f "$dsc" || finish
	old=$("$here/build-deb.sh" "$top/build/deb-old" "$OLD_VERSION" 2>"$work/old-build.log" | tail -n 1)
	check "package $OLD_VERSION built for the upgrade (make deb's build, lintian clean)" test -f "$old" ||
		{ tail -n 20 "$work/old-build.log"; finish; }

	tgz=$(base) || true
	check "minimal $SUITE tarball (mmdebstrap)" test -s "$tgz" ||
		{ tail -n 20 "$logs/mmdebstrap.log"; finish; }

	autopkgtest_run "$tgz" "$dsc" "$new"
	local out=$logs/autopkgtest
	# exit 8: "no tests, or all non-superficial tests were skipped";
	# autodep8 declares the dkms test superficial, so its PASS ends in 8
	check "autopkgtest: exit 0, or 8 with every test PASS (superficial) (log: ${out#"$top"/}/log)" \
		autopkgtest_ok "$(cat "$logs/autopkgtest.rc")" "$out/summary" ||
		tail -n 20 "$logs/autopkgtest.out"
	check "autopkgtest: the declared test ran as dkms-autopkgtest and passed" \
		grep -qE '^dkms-autopkgtest +PASS' "$out/summary"
	krel=$(sed -nE "s|^I: PASS $MOD/$VERSION ||p" "$out/dkms-autopkgtest-stdout" 2>/dev/null | head -n 1)
	check "autopkgtest: dkms-autopkgtest built and installed $MOD/$VERSION for trixie's kernel (${krel:-none})" \
		test -n "$krel"
	check "autopkgtest: dkms-autopkgtest reports no FAIL" \
		no_line '^I: FAIL ' "$out/dkms-autopkgtest-stdout"

	piuparts_run "$tgz" "$old" "$new"
	check "piuparts: exit 0 (log: ${logs#"$top"/}/piuparts.log)" \
		test "$(cat "$logs/piuparts.rc")" = 0 ||
		grep -E 'ERROR|FAIL' "$logs/piuparts.log" | tail -n 20
	check "piuparts: install and purge leave the system as it was" \
		grep -q 'PASS: Installation and purging test\.' "$logs/piuparts.log"
	check "piuparts: install $OLD_VERSION (apt), upgrade to $VERSION, purge" \
		grep -q 'PASS: Installation, upgrade and purging tests\.' "$logs/piuparts.log"
	finish
}

main "$@"
