# shellcheck shell=bash
#
# tests/upstream/tree.sh - the kernel tree that the upstream series is made
# against and checked in (sourced by tests/upstream/upstream.sh).
#
# up_tree: the newest linux-source-X.Y of trixie-backports and trixie (the
# packages tests/lint/get-checkpatch.sh reads; deb_linux_source_newest of
# tests/lib/debian.sh), its whole kernel tree
# extracted once into $CACHE/upstream/<package>_<version>/tree and made a
# git repository of one commit, tagged "debian": git am needs a tree that
# git knows, and every run starts again from that commit. Sets UP_TREE,
# UP_PKG, UP_VER.

UP_SUITES=${UPSTREAM_SUITES:-trixie-backports trixie}
UP_GIT=(git -c user.name=imx-tpm-pwm -c user.email=imx-tpm-pwm@invalid
	-c core.autocrlf=false -c gc.auto=0 -c advice.detachedHead=false)

up_tree() {
	local found suite
	found=$(deb_linux_source_newest "$UP_SUITES") || exit 1
	read -r suite UP_PKG UP_VER <<<"$found"
	UP_TREE=$(deb_cache_dir)/upstream/${UP_PKG}_$UP_VER/tree
	deb_with_lock "upstream-tree-${UP_PKG}_$UP_VER" up_tree_locked "$suite"
	[[ -e ${UP_TREE%/tree}/ok ]] || deb_die "no kernel tree in $UP_TREE"
}

up_tree_locked() {
	local suite=$1 deb top dir=${UP_TREE%/tree} t0=$SECONDS
	[[ -e $dir/ok ]] && return 0
	# older versions of the tree are not needed any more
	rm -rf "$(deb_cache_dir)/upstream/"linux-source-*
	mkdir -p "$dir"
	deb=$(deb_download "$suite" amd64 "$UP_PKG" "$UP_VER")
	top=linux-source-${UP_PKG#linux-source-}
	deb_log "extract $top.tar.xz"
	rm -rf "$dir/tree.tmp"
	mkdir -p "$dir/tree.tmp"
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -O "./usr/src/$top.tar.xz" |
		tar -x -J -C "$dir/tree.tmp" --strip-components=1; then
		deb_die "cannot extract $top.tar.xz from $deb"
	fi
	[[ -f $dir/tree.tmp/MAINTAINERS && -f $dir/tree.tmp/scripts/checkpatch.pl ]] ||
		deb_die "$deb has no kernel tree"
	deb_log "git repository of the tree"
	(
		cd "$dir/tree.tmp" &&
			"${UP_GIT[@]}" init -q &&
			"${UP_GIT[@]}" add -A -f . &&
			"${UP_GIT[@]}" commit -q -m "$UP_PKG $UP_VER (Debian)" &&
			"${UP_GIT[@]}" tag debian
	) || deb_die "cannot make a git repository of the tree"
	mv "$dir/tree.tmp" "$UP_TREE"
	touch "$dir/ok"
	deb_log "tree ready in $((SECONDS - t0)) s"
}
