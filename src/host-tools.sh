#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# host-tools.sh KDIR - rebuild, with this machine's C compiler, the programs
# of the kernel build tree KDIR that an out-of-tree module build runs:
# scripts/basic/fixdep, scripts/mod/modpost, and scripts/genksyms/genksyms,
# scripts/recordmcount and scripts/sign-file where the tree has them
# (make host-tools; the Makefile's kbuild-tools check says when).
#
# Headers packages made by "make bindeb-pkg" up to kernel 6.11 carry these
# programs as the build machine compiled them, x86 programs when a vendor
# cross-builds on a PC. "make -C KDIR scripts" cannot rebuild them there:
# it first updates the configuration (.config is newer than auto.conf, and
# the compiler differs), which needs the Kconfig files such a package does
# not have, and make then deletes include/generated/autoconf.h, which
# breaks every later module build against KDIR.
#
# This script does not touch the configuration. Kbuild recorded the command
# that built each program, and each of its objects, in a .cmd file next to
# it ("cmd_FILE := ..." up to 6.2, "savedcmd_FILE := ..." from 6.3); the
# script runs those commands again with this machine's compiler ($HOSTCC,
# default gcc) in place of the recorded one. Only commands that begin with
# the compiler that built fixdep (the build machine's HOSTCC) are run: the
# tree's target-compiled files stay as they are.
set -euf

kdir=${1:?usage: host-tools.sh KDIR}
cc=${HOSTCC:-gcc}
me=pwm-imx-tpm

die() {
	printf '%s: %s\n' "$me" "$*" >&2
	exit 1
}

cd "$kdir" || die "no kernel build tree at $kdir"
command -v "$cc" >/dev/null 2>&1 ||
	die "no C compiler ($cc): install one (Debian: apt install gcc libc6-dev), then run this again"

# cmd_of FILE: the command that built FILE, with make's escapes ($$, \#)
# undone; fails when the tree has no record of it.
cmd_of() {
	rec=$(dirname "$1")/.$(basename "$1").cmd
	[ -f "$rec" ] || return 1
	sed -n "s|^\(saved\)\{0,1\}cmd_$1 := ||p" "$rec" | head -n 1 |
		sed 's/\$\$/$/g; s/\\#/#/g'
}

# run TARGET COMMAND: COMMAND (as recorded, compiler first) with this
# machine's compiler; its dependency file goes.
run() {
	printf '  HOSTCC  %s\n' "$1"
	sh -c "$cc${2#"$hostcc"}"
	rm -f "$(dirname "$1")/.$(basename "$1").d"
}

fixdep=scripts/basic/fixdep
rec=$(cmd_of "$fixdep") ||
	die "$kdir/scripts/basic/.fixdep.cmd is missing: these headers do not record how their host programs were built. Install headers built for $(uname -m), or build against the full configured kernel source tree."
hostcc=${rec%% *}
[ -n "$hostcc" ] || die "cannot read the compiler from $kdir/scripts/basic/.fixdep.cmd"

n=0
for prog in $fixdep scripts/mod/modpost scripts/genksyms/genksyms scripts/recordmcount scripts/sign-file; do
	[ -e "$prog" ] || continue
	link=$(cmd_of "$prog") || die "$kdir: no record of how $prog was built"
	case $link in
	"$hostcc "*) ;;
	*) die "$kdir: $prog was not built by $hostcc: $link" ;;
	esac
	# its objects first (a one-file program has none)
	for word in $link; do
		case $word in
		*.o)
			obj=$(cmd_of "$word") || die "$kdir: no record of how $word was built"
			run "$word" "$obj"
			;;
		esac
	done
	run "$prog" "$link"
	n=$((n + 1))
done

out=$("./$fixdep" 2>&1 </dev/null || true)
case $out in
*"Usage: fixdep"*) ;;
*) die "$kdir/$fixdep still does not run after the rebuild: $out" ;;
esac
printf '%s: rebuilt %d host programs of %s with %s\n' "$me" "$n" "$kdir" "$cc"
