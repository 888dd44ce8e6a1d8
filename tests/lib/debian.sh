#!/bin/bash
# shellcheck shell=bash
#
# tests/lib/debian.sh - read Debian's archive without touching the host's apt
# setup: private apt configuration per (suite, arch), newest-package lookup,
# cached downloads with retry, extraction, debootstrap chroots and members of
# Debian's linux-source tarballs.
#
# Source it from a bash script that runs with `set -euo pipefail`, or run it
# directly for a quick look, e.g.
#   tests/lib/debian.sh newest bookworm armhf '^linux-headers-6\.1\.0-[0-9]+-armmp$'
#
# Everything lives below the cache directory ${IMX_TPM_PWM_CACHE:-/var/cache/imx-tpm-pwm}:
#   apt/<suite>-<arch>/   apt.conf, sources, lists, binary cache, stamps
#   debs/                 downloaded .deb files (pool file names)
#   chroot/<suite>/       debootstrap chroots (chroot/<suite>.ok marks a finished one)
#   linux-source/<pkg>_<version>/   members extracted from linux-source tarballs
#   locks/                flock files
#
# Environment:
#   IMX_TPM_PWM_CACHE      cache directory (default /var/cache/imx-tpm-pwm)
#   IMX_TPM_PWM_INDEX_TTL  seconds an index (or an absent optional pocket) stays
#                          valid before it is fetched again (default 86400)
#   IMX_TPM_PWM_REFRESH=1  fetch the indices again now, whatever their age
#   DEB_MIRROR, DEB_SECURITY_MIRROR   archive URLs (default deb.debian.org)
#   DEB_RETRIES            attempts for network operations (default 3; the
#                          waits between them are 2 s, 4 s, 8 s, ...)
#   DEB_LOG_PREFIX         prefix of the progress lines on stderr
#   DEB_NO_VALID_UNTIL     suites whose Release may be past its Valid-Until
#                          date (default "sid unstable": this mirror's copy of
#                          sid is not refreshed often enough; signatures are
#                          still checked)

DEB_MIRROR=${DEB_MIRROR:-http://deb.debian.org/debian}
DEB_SECURITY_MIRROR=${DEB_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
DEB_KEYRING=${DEB_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
DEB_RETRIES=${DEB_RETRIES:-3}
DEB_LOG_PREFIX=${DEB_LOG_PREFIX:-debian}
DEB_NO_VALID_UNTIL=${DEB_NO_VALID_UNTIL:-sid unstable}

deb_log() {
	printf '%s: %s\n' "$DEB_LOG_PREFIX" "$*" >&2
}

deb_die() {
	printf '%s: error: %s\n' "$DEB_LOG_PREFIX" "$*" >&2
	exit 1
}

# deb_cache_dir: print the cache directory, creating it. It must not be inside
# a git work tree (it holds gigabytes of chroots).
deb_cache_dir() {
	local dir=${IMX_TPM_PWM_CACHE:-/var/cache/imx-tpm-pwm}
	[[ $dir == /* ]] || deb_die "IMX_TPM_PWM_CACHE must be an absolute path: $dir"
	if [[ ! -d $dir ]]; then
		mkdir -p "$dir" || deb_die "cannot create cache directory $dir"
	fi
	if command -v git >/dev/null &&
		git -C "$dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		deb_die "cache directory $dir is inside a git work tree; set IMX_TPM_PWM_CACHE elsewhere"
	fi
	printf '%s\n' "$dir"
}

# deb_retry TRIES CMD...: run CMD until it succeeds, at most TRIES times,
# waiting 2, 4, 8, ... seconds in between.
deb_retry() {
	local tries=$1 n=1 delay=2
	shift
	until "$@"; do
		if ((n >= tries)); then
			return 1
		fi
		sleep "$delay"
		n=$((n + 1))
		delay=$((delay * 2))
	done
}

# deb_fresh FILE TTL: true if FILE exists and is younger than TTL seconds.
deb_fresh() {
	local file=$1 ttl=$2 now mtime
	[[ -e $file ]] || return 1
	now=$(date +%s)
	mtime=$(stat -c %Y "$file")
	((now - mtime < ttl))
}

# deb_with_lock NAME CMD...: run CMD in a subshell holding the lock NAME.
deb_with_lock() {
	local name=$1 cache
	shift
	cache=$(deb_cache_dir)
	mkdir -p "$cache/locks"
	(
		exec 9>"$cache/locks/$name.lock"
		flock 9
		"$@"
	)
}

# deb_pockets SUITE: print "URI SUITE required|optional" for each archive
# pocket that belongs to SUITE. Security is optional: the build works from the
# main suite alone, just with an older kernel.
deb_pockets() {
	local suite=$1
	case $suite in
	sid | unstable | experimental | *-backports | *-updates)
		printf '%s %s required\n' "$DEB_MIRROR" "$suite"
		;;
	*)
		printf '%s %s required\n' "$DEB_MIRROR" "$suite"
		printf '%s %s optional\n' "$DEB_SECURITY_MIRROR" "$suite-security"
		;;
	esac
}

# deb_apt_dir SUITE ARCH: the private apt directory of (SUITE, ARCH).
deb_apt_dir() {
	printf '%s/apt/%s-%s\n' "$(deb_cache_dir)" "$1" "$2"
}

# Write the private apt.conf of a directory. APT_CONFIG is read first, and
# Dir::Etc::Main/Parts point away from /etc/apt, so nothing of the host's apt
# configuration (sources, pinning, hooks, proxies) applies.
deb_write_apt_conf() {
	local d=$1 arch=$2 suite=$3 valid=true
	[[ " $DEB_NO_VALID_UNTIL " == *" $suite "* ]] && valid=false
	# "source": a directory for the Sources indices (deb-src lines)
	[[ $arch == source ]] && arch=amd64
	mkdir -p "$d/empty.d" "$d/lists/partial" "$d/cache/archives/partial"
	# An empty dpkg status; written once, as a newer one would make apt
	# rebuild its binary cache on every call.
	[[ -e $d/status ]] || : >"$d/status"
	cat >"$d/apt.conf.new" <<EOF
Dir::Etc::Main "/dev/null";
Dir::Etc::Parts "$d/empty.d";
Dir::Etc::SourceList "$d/sources.list";
Dir::Etc::SourceParts "$d/empty.d";
Dir::Etc::Preferences "$d/preferences";
Dir::Etc::PreferencesParts "$d/empty.d";
Dir::Etc::TrustedParts "$d/empty.d";
Dir::State "$d";
Dir::State::Lists "$d/lists";
Dir::State::status "$d/status";
Dir::Cache "$d/cache";
Dir::Cache::srcpkgcache "";
Dir::Log "$d";
APT::Architecture "$arch";
APT::Architectures { "$arch"; };
APT::Get::List-Cleanup "false";
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::PDiffs "false";
Acquire::Retries "3";
Acquire::http::Timeout "60";
Acquire::Check-Valid-Until "$valid";
EOF
	mv "$d/apt.conf.new" "$d/apt.conf"
}

# Body of deb_apt_update, run under the (suite, arch) lock.
deb_apt_update_locked() {
	local suite=$1 arch=$2 d ttl uri psuite kind old lines=() absent=() stale=0
	local type=deb
	[[ $arch == source ]] && type="deb-src"
	d=$(deb_apt_dir "$suite" "$arch")
	ttl=${IMX_TPM_PWM_INDEX_TTL:-86400}
	mkdir -p "$d"
	deb_write_apt_conf "$d" "$arch" "$suite"
	if [[ ${IMX_TPM_PWM_REFRESH:-0} != 1 && -s $d/sources.list ]] &&
		deb_fresh "$d/stamp" "$ttl"; then
		if [[ -s $d/absent ]]; then
			while read -r psuite; do
				deb_log "note: $psuite $arch index unavailable when fetched $(date -r "$d/stamp" '+%F %R'), using the rest"
			done <"$d/absent"
		fi
		return 0
	fi
	deb_log "index $suite $arch"
	old=$(cat "$d/sources.list" 2>/dev/null || true)
	while read -r uri psuite kind; do
		printf '%s [signed-by=%s] %s %s main\n' "$type" "$DEB_KEYRING" "$uri" "$psuite" \
			>"$d/sources-$psuite.list"
		# One apt-get update per pocket, each with its own sources file into
		# the shared lists directory (List-Cleanup is off): a broken pocket
		# then cannot hide the others.
		if deb_retry "$DEB_RETRIES" deb_apt_update_pocket "$d" "$psuite"; then
			lines+=("$(cat "$d/sources-$psuite.list")")
		elif [[ $kind == optional ]]; then
			absent+=("$psuite")
			deb_log "note: $psuite $arch index unavailable ($(deb_apt_update_error "$d" "$psuite")), using the rest"
		elif [[ -e $d/stamp && $old == *" $psuite main"* ]]; then
			# A refresh failed but an older copy is there (apt keeps
			# the previous index when an update fails): use it, and
			# try again next time.
			lines+=("$(grep -F " $psuite main" <<<"$old")")
			stale=1
			deb_log "note: cannot refresh the $psuite $arch index ($(deb_apt_update_error "$d" "$psuite")); using the one from $(date -r "$d/stamp" '+%F %R')"
		else
			deb_log "error: cannot fetch the $psuite $arch index:"
			sed 's/^/  /' "$d/update-$psuite.log" >&2
			return 1
		fi
	done < <(deb_pockets "$suite")
	printf '%s\n' "${lines[@]}" >"$d/sources.list"
	printf '%s\n' "${absent[@]}" | sed '/^$/d' >"$d/absent"
	# Build the binary cache once now, so that parallel readers find it.
	rm -f "$d/cache/pkgcache.bin" "$d/cache/srcpkgcache.bin"
	APT_CONFIG=$d/apt.conf apt-cache stats >/dev/null
	((stale)) || touch "$d/stamp"
}

deb_apt_update_pocket() {
	local d=$1 psuite=$2
	APT_CONFIG=$d/apt.conf apt-get update -q \
		-o "Dir::Etc::SourceList=$d/sources-$psuite.list" \
		>"$d/update-$psuite.log" 2>&1
}

# The most telling line of a failed update log, shortened.
deb_apt_update_error() {
	local d=$1 psuite=$2 log line
	log=$d/update-$psuite.log
	# Prefer the reason (size or hash mismatch, HTTP status) over the URL.
	line=$(grep -m1 -oE 'File has unexpected size \([0-9]+ != [0-9]+\)|Hash Sum mismatch|[0-9]{3} +[A-Z][A-Za-z ]+ \[IP' "$log" ||
		grep -m1 -E '^E:' "$log" || true)
	line=${line% \[IP}
	line=${line#E: }
	printf '%s\n' "${line:0:160}"
}

# deb_apt_update SUITE ARCH: make sure the private index of (SUITE, ARCH) is
# there and younger than IMX_TPM_PWM_INDEX_TTL. Fails if the main suite's
# index cannot be fetched; an optional pocket that still fails after retries
# is left out with a one-line note.
deb_apt_update() {
	deb_with_lock "apt-$1-$2" deb_apt_update_locked "$1" "$2"
}

# deb_apt SUITE ARCH CMD...: run an apt command with the private configuration
# of (SUITE, ARCH), e.g. deb_apt trixie arm64 apt-cache policy gcc-14.
deb_apt() {
	local d
	d=$(deb_apt_dir "$1" "$2")
	shift 2
	[[ -s $d/apt.conf ]] || deb_die "no index for $d; call deb_apt_update first"
	APT_CONFIG=$d/apt.conf "$@"
}

# deb_candidate SUITE ARCH NAME: the newest version of NAME (empty if none).
deb_candidate() {
	deb_apt "$1" "$2" apt-cache show --no-all-versions "$3" 2>/dev/null |
		awk '/^Version: /{ print $2; exit }'
}

# deb_field SUITE ARCH NAME VERSION FIELD: one field of that package version.
deb_field() {
	deb_apt "$1" "$2" apt-cache show "$3=$4" 2>/dev/null |
		awk -v f="$5" 'index($0, f ": ") == 1 { print substr($0, length(f) + 3); exit }'
}

# deb_has_version SUITE ARCH NAME VERSION: true if that exact version is known.
deb_has_version() {
	[[ -n $(deb_field "$1" "$2" "$3" "$4" Version) ]]
}

# deb_newest SUITE ARCH REGEX: print "NAME VERSION" of the highest version of
# any package whose name matches the extended regular expression REGEX
# (anchor it). Fails if nothing matches.
deb_newest() {
	local suite=$1 arch=$2 re=$3 prefix name ver best_name='' best_ver=''
	local -a names=()
	prefix=${re#^}
	prefix=${prefix%%[!A-Za-z0-9_-]*}
	while read -r name; do
		[[ $name =~ $re ]] && names+=("$name")
	done < <(deb_apt "$suite" "$arch" apt-cache pkgnames "$prefix" 2>/dev/null | sort)
	((${#names[@]})) || return 1
	# One apt-cache call for all candidates (each call loads the cache).
	while read -r name ver; do
		if [[ -z $best_ver ]] || dpkg --compare-versions "$ver" gt "$best_ver"; then
			best_name=$name
			best_ver=$ver
		fi
	done < <(deb_apt "$suite" "$arch" apt-cache show --no-all-versions "${names[@]}" 2>/dev/null |
		awk '/^Package: /{ p = $2 } /^Version: /{ print p, $2 }')
	[[ -n $best_name ]] || return 1
	printf '%s %s\n' "$best_name" "$best_ver"
}

# deb_depends_names "DEPENDS": the package names of a Depends field, first
# alternative of each entry, without versions or architecture qualifiers.
deb_depends_names() {
	local entry
	local -a entries
	IFS=',' read -r -a entries <<<"$1"
	for entry in "${entries[@]}"; do
		entry=${entry%%|*}
		entry=${entry%%(*}
		entry=${entry//[[:space:]]/}
		entry=${entry%%:*}
		[[ -n $entry ]] && printf '%s\n' "$entry"
	done
	return 0
}

# deb_download SUITE ARCH NAME [VERSION]: download a package (default: newest
# version) into the cache's pool unless it is already there; print its path.
deb_download() {
	local suite=$1 arch=$2 name=$3 ver=${4:-} filename base pool
	if [[ -z $ver ]]; then
		ver=$(deb_candidate "$suite" "$arch" "$name")
		[[ -n $ver ]] || deb_die "no package $name in $suite $arch"
	fi
	filename=$(deb_field "$suite" "$arch" "$name" "$ver" Filename)
	[[ -n $filename ]] || deb_die "no package $name=$ver in $suite $arch"
	base=${filename##*/}
	pool=$(deb_cache_dir)/debs
	if [[ ! -s $pool/$base ]]; then
		mkdir -p "$pool"
		deb_with_lock "deb-$base" deb_download_locked "$suite" "$arch" "$name" "$ver" "$pool" "$base" ||
			deb_die "download of $name=$ver ($suite $arch) failed"
	fi
	printf '%s\n' "$pool/$base"
}

deb_download_locked() {
	local suite=$1 arch=$2 name=$3 ver=$4 pool=$5 base=$6 tmp
	[[ -s $pool/$base ]] && return 0
	deb_log "download $base"
	tmp=$(mktemp -d "$pool/.dl.XXXXXX")
	if ! (cd "$tmp" && deb_retry "$DEB_RETRIES" deb_apt "$suite" "$arch" \
		apt-get download -q "$name=$ver" >"$tmp/log" 2>&1); then
		sed 's/^/  /' "$tmp/log" >&2
		rm -rf "$tmp"
		return 1
	fi
	local got=("$tmp"/*.deb)
	[[ ${#got[@]} == 1 && -s ${got[0]} ]] || {
		rm -rf "$tmp"
		return 1
	}
	mv "${got[0]}" "$pool/$base"
	rm -rf "$tmp"
}

# deb_source SUITE NAME: download the newest source package NAME of SUITE
# (apt-get source checks the signed index's hashes) and unpack it with
# dpkg-source -x, Debian's patches applied, once; print the tree's path,
# $cache/src/NAME_VERSION/tree. The Sources indices live in the private apt
# directory SUITE-source (deb_apt_update SUITE source).
deb_source() {
	local suite=$1 name=$2 ver dir
	deb_apt_update "$suite" source || deb_die "no $suite Sources index"
	ver=$(deb_apt "$suite" source apt-cache showsrc --only-source "$name" 2>/dev/null |
		awk '/^Version: /{ print $2 }' | sort -V | tail -n 1)
	[[ -n $ver ]] || deb_die "no source package $name in $suite"
	dir=$(deb_cache_dir)/src/${name}_$ver
	if [[ ! -e $dir/ok ]]; then
		deb_with_lock "src-${name}_$ver" deb_source_locked "$suite" "$name" "$ver" "$dir" ||
			deb_die "cannot fetch and unpack the source of $name $ver ($suite)"
	fi
	printf '%s/tree\n' "$dir"
}

deb_source_locked() {
	local suite=$1 name=$2 ver=$3 dir=$4 uri file size hash dsc='' orig='' dtar='' p
	[[ -e $dir/ok ]] && return 0
	rm -rf "$dir"
	mkdir -p "$dir/dl"
	deb_log "download the source of $name $ver ($suite)"
	deb_apt "$suite" source apt-get source -q --print-uris "$name=$ver" 2>/dev/null |
		grep "^'" >"$dir/uris" || return 1
	# One file at a time, each checked against the SHA256 of the signed
	# Sources index. This mirror may lack a file the others have (seen: no
	# .dsc for u-boot 2025.01-3+deb13u1); a missing .dsc is tolerated, as
	# the tarballs alone make the tree.
	while read -r uri file size hash; do
		uri=${uri//\'/}
		if ! deb_retry "$DEB_RETRIES" curl -sfL -o "$dir/dl/$file" "$uri"; then
			[[ $file == *.dsc ]] && { deb_log "note: $file not on the mirror; unpacking the tarballs"; continue; }
			deb_log "error: cannot download $uri"
			return 1
		fi
		[[ $(stat -c %s "$dir/dl/$file") == "$size" && $hash == SHA256:* &&
			$(sha256sum "$dir/dl/$file" | cut -d' ' -f1) == "${hash#SHA256:}" ]] || {
			deb_log "error: $file does not match the Sources index (size $size, $hash)"
			return 1
		}
		case $file in
		*.dsc) dsc=$dir/dl/$file ;;
		*.orig.tar.*[!c]) orig=$dir/dl/$file ;;
		*.debian.tar.*) dtar=$dir/dl/$file ;;
		esac
	done <"$dir/uris"
	if [[ -n $dsc ]]; then
		deb_log "unpack ${dsc##*/} (dpkg-source -x)"
		dpkg-source --no-check -x "$dsc" "$dir/tree" >"$dir/unpack.log" 2>&1 || {
			sed 's/^/  /' "$dir/unpack.log" >&2
			return 1
		}
	else
		# What dpkg-source -x does for format 3.0 (quilt): the upstream
		# tarball, debian/ over it, then debian/patches/series in order.
		[[ -n $orig && -n $dtar ]] || { deb_log "error: no .orig and .debian tarballs"; return 1; }
		deb_log "unpack ${orig##*/} and ${dtar##*/}, apply debian/patches"
		mkdir -p "$dir/tree"
		{
			tar -x -C "$dir/tree" --strip-components=1 -f "$orig" &&
				tar -x -C "$dir/tree" -f "$dtar" &&
				if [[ -s $dir/tree/debian/patches/series ]]; then
					sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$dir/tree/debian/patches/series" |
						while read -r p _; do
							patch -d "$dir/tree" -p1 -s -N -i "debian/patches/$p" || exit 1
						done
				fi
		} >"$dir/unpack.log" 2>&1 || {
			sed 's/^/  /' "$dir/unpack.log" >&2
			return 1
		}
	fi
	rm -rf "$dir/dl"
	touch "$dir/ok"
}

# deb_extract DEB DEST [MEMBER...]: unpack a .deb's files (or only the given
# members, named as in the archive, e.g. ./usr/bin/qemu-arm-static) into DEST.
# Like dpkg-deb -x, but existing symlinks to directories are kept: unpacking
# ./lib/modules/... into a merged-/usr root must not replace /lib -> usr/lib.
deb_extract() {
	local deb=$1 dest=$2
	shift 2
	mkdir -p "$dest"
	dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$dest" "$@"
}

# deb_chroot_run ROOT CMD...: run CMD in the chroot with a clean environment
# and a /proc (objtool and apt need one). The command runs in new mount and
# PID namespaces with /proc mounted there: the mount is gone when the command
# ends, however it ends, so there is nothing to unmount and no trap to keep.
deb_chroot_run() {
	local root=$1
	shift
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
		DEBIAN_FRONTEND=noninteractive \
		unshare --mount --propagation private --pid --fork --mount-proc="$root/proc" \
		chroot "$root" "$@"
}

# deb_chroot_run_with ROOT DIR... -- CMD...: CMD in the chroot as
# deb_chroot_run does, with each host DIR bind-mounted at its own path
# inside (created there if missing); the mounts go with the namespace.
deb_chroot_run_with() {
	local root=$1 d
	local -a dirs=()
	shift
	while [[ $1 != -- ]]; do
		dirs+=("$1")
		shift
	done
	shift
	for d in "${dirs[@]}"; do
		mkdir -p "$root$d"
	done
	# shellcheck disable=SC2016 # expanded by the inner sh
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
		unshare --mount --propagation private --pid --fork --mount-proc="$root/proc" \
		/bin/sh -c 'root=$1; shift
			while [ "$1" != -- ]; do mount --bind "$1" "$root$1" || exit 1; shift; done
			shift; exec chroot "$root" "$@"' \
		sh "$root" "${dirs[@]}" -- "$@"
}

# deb_chroot SUITE PKG...: print the path of a minbase chroot of SUITE (amd64,
# like the host) that has PKG... installed, creating it with debootstrap or
# installing missing packages with apt inside it as needed.
deb_chroot() {
	local suite=$1 root
	shift
	root=$(deb_cache_dir)/chroot/$suite
	deb_with_lock "chroot-$suite" deb_chroot_locked "$suite" "$root" "$@" || return 1
	printf '%s\n' "$root"
}

deb_chroot_locked() {
	local suite=$1 root=$2 pkg missing=()
	shift 2
	if [[ ! -e $root.ok ]]; then
		command -v debootstrap >/dev/null ||
			deb_die "debootstrap is missing: apt-get install debootstrap"
		if grep -qF " $root/" /proc/mounts || grep -qF " $root.tmp/" /proc/mounts; then
			deb_die "something is mounted below $root; unmount it first"
		fi
		rm -rf "$root" "$root.tmp"
		mkdir -p "${root%/*}"
		deb_log "debootstrap $suite (log: $root.log)"
		local incl
		incl=$(
			IFS=,
			printf '%s' "$*"
		)
		if ! deb_retry 2 deb_debootstrap_once "$suite" "$root.tmp" "$incl" "$root.log"; then
			tail -n 20 "$root.log" >&2
			rm -rf "$root.tmp"
			deb_die "debootstrap $suite failed"
		fi
		mv "$root.tmp" "$root"
		touch "$root.ok"
		return 0
	fi
	for pkg in "$@"; do
		deb_chroot_run "$root" dpkg-query -W -f="\${Status}\n" "$pkg" 2>/dev/null |
			grep -q '^install ok installed$' || missing+=("$pkg")
	done
	((${#missing[@]})) || return 0
	deb_log "install into the $suite chroot: ${missing[*]}"
	if ! deb_retry "$DEB_RETRIES" deb_chroot_run "$root" apt-get update -q \
		>"$root.apt.log" 2>&1 ||
		! deb_chroot_run "$root" apt-get install -y -q --no-install-recommends \
			"${missing[@]}" >>"$root.apt.log" 2>&1; then
		tail -n 20 "$root.apt.log" >&2
		deb_die "cannot install ${missing[*]} into the $suite chroot"
	fi
}

# debootstrap mounts /proc and /sys inside the new root while it installs;
# running it in a private mount namespace keeps those mounts from ever
# showing on the host, even if it is killed half-way.
deb_debootstrap_once() {
	local suite=$1 dir=$2 incl=$3 log=$4
	rm -rf "$dir"
	unshare --mount --propagation private --fork \
		debootstrap --variant=minbase --components=main --include="$incl" \
		--keyring="$DEB_KEYRING" "$suite" "$dir" "$DEB_MIRROR" >"$log" 2>&1
}

# deb_linux_source_newest "SUITE...": "SUITE NAME VERSION" of the newest
# linux-source-X.Y package found in any of the given suites (amd64 index).
# A suite whose index cannot be fetched is skipped with a note.
deb_linux_source_newest() {
	local suite best_suite='' best_name='' best_ver='' found name ver
	for suite in $1; do
		if ! deb_apt_update "$suite" amd64; then
			deb_log "note: no $suite index, skipping it"
			continue
		fi
		found=$(deb_newest "$suite" amd64 '^linux-source-[0-9]+\.[0-9]+$') || continue
		read -r name ver <<<"$found"
		if [[ -z $best_ver ]] || dpkg --compare-versions "$ver" gt "$best_ver"; then
			best_suite=$suite
			best_name=$name
			best_ver=$ver
		fi
	done
	[[ -n $best_name ]] || deb_die "no linux-source package in: $1"
	printf '%s %s %s\n' "$best_suite" "$best_name" "$best_ver"
}

# deb_linux_source "SUITE..." MEMBER...: extract members (paths inside the
# kernel tree, e.g. scripts/checkpatch.pl) of the newest linux-source-X.Y
# package found in any of the given suites (deb_linux_source_newest); print
# the tree root.
deb_linux_source() {
	local suites=$1 best_suite best_name best_ver found
	shift
	found=$(deb_linux_source_newest "$suites") || exit 1
	read -r best_suite best_name best_ver <<<"$found"
	local dir
	dir=$(deb_cache_dir)/linux-source/${best_name}_$best_ver
	deb_with_lock "src-${best_name}_$best_ver" deb_linux_source_locked \
		"$best_suite" "$best_name" "$best_ver" "$dir" "$@" || return 1
	printf '%s\n' "$dir"
}

# deb_linux_source_series SUITE SERIES MEMBER...: the tree of the newest
# linux-source-SERIES in SUITE, with MEMBERs extracted (cached). A suite can
# carry more than one series (bullseye-security has 6.1, bookworm-security
# 6.12), so the series is named, not taken as the newest.
deb_linux_source_series() {
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

deb_linux_source_locked() {
	local suite=$1 name=$2 ver=$3 dir=$4 m need=() deb top tmp
	shift 4
	for m in "$@"; do
		[[ -e $dir/$m ]] || need+=("$m")
	done
	((${#need[@]})) || return 0
	deb=$(deb_download "$suite" amd64 "$name" "$ver")
	top=${name#linux-source-}
	top=linux-source-$top
	deb_log "extract ${need[*]} from $top.tar.xz"
	mkdir -p "${dir%/*}"
	tmp=$(mktemp -d "${dir%/*}/.x.XXXXXX")
	local -a members=()
	for m in "${need[@]}"; do
		members+=("$top/$m")
	done
	# The inner tarball is read to its end: stopping tar early would kill
	# the producers with SIGPIPE, and scripts/ is near the end anyway.
	if ! dpkg-deb --fsys-tarfile "$deb" |
		tar -x -O "./usr/src/$top.tar.xz" |
		tar -x -J -C "$tmp" --strip-components=1 "${members[@]}"; then
		rm -rf "$tmp"
		deb_die "cannot extract ${need[*]} from $deb"
	fi
	mkdir -p "$dir"
	for m in "${need[@]}"; do
		mkdir -p "$(dirname "$dir/$m")"
		mv "$tmp/$m" "$dir/$m"
	done
	rm -rf "$tmp"
}

# Run as a script: tests/lib/debian.sh FUNCTION ARGS... calls deb_FUNCTION
# after making sure the indices it needs are there.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	[[ $# -ge 1 ]] || {
		echo "usage: $0 {update|newest|candidate|field|download|linux_source} ARGS..." >&2
		exit 2
	}
	fn=$1
	shift
	case $fn in
	newest | candidate | field | download | has_version)
		deb_apt_update "$1" "$2"
		;;
	esac
	case $fn in
	update) deb_apt_update "$@" ;;
	*) "deb_$fn" "$@" ;;
	esac
fi
