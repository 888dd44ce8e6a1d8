#!/bin/bash
# Style checks: checkpatch.pl --strict (from Debian's linux-source) on the
# driver sources, shellcheck on every shell script, and the version number
# being the same everywhere. Ends with "lint: N passed, M failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
passed=0
failed=0

result() {
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $2"
	else
		failed=$((failed + 1))
		echo "FAIL $2"
	fi
}

# checkpatch
if checkpatch=$(tests/lint/get-checkpatch.sh); then
	for f in src/*.c src/*.h src/probes/*.c; do
		out=$(perl "$checkpatch" --strict --no-tree --no-summary \
			--terse --show-types -f "$f" 2>&1)
		[ -n "$out" ] && printf '%s\n' "$out"
		[ -z "$out" ]
		result $? "checkpatch --strict $f"
	done
else
	result 1 "fetch checkpatch.pl from Debian's linux-source"
fi

# Shell scripts: *.sh and any file whose first line names a shell
mapfile -t scripts < <(git ls-files -co --exclude-standard |
	while read -r f; do
		[ -f "$f" ] || continue
		case "$f" in
		*.sh) echo "$f" ;;
		*) head -n 1 "$f" 2>/dev/null |
			grep -qE '^#!(/usr)?/bin/(env )?(ba|da)?sh' && echo "$f" ;;
		esac
	done | sort -u)
for f in "${scripts[@]}"; do
	shellcheck -x "$f"
	result $? "shellcheck $f"
done

# one version number
ver=$(cat VERSION)
dkms=$(sed -nE 's/^PACKAGE_VERSION="?([^"]*)"?$/\1/p' dkms.conf)
[ "$ver" = "$dkms" ]
result $? "dkms.conf PACKAGE_VERSION ($dkms) = VERSION ($ver)"
# the upstream part of the newest debian/changelog entry: "0.1.0" of 0.1.0-1
deb=$(sed -nE '1s/^[a-z0-9.+-]+ \(([^)]*)\).*/\1/p' debian/changelog 2>/dev/null)
deb=${deb#*:}
deb=${deb%-*}
[ -n "$deb" ] && [ "$ver" = "$deb" ]
result $? "debian/changelog upstream version (${deb:-none}) = VERSION ($ver)"

# API differences are decided by probes (src/probe.sh), not by version
# numbers: no LINUX_VERSION_CODE or KERNEL_VERSION in the module's source
! grep -n 'LINUX_VERSION_CODE\|KERNEL_VERSION\|linux/version\.h' src/*.c src/*.h src/probes/*.c
result $? "no kernel version tests in src/"

# The documents' examples: each sh/python block says where check-e2e runs
# it (tests/deb/doc-examples.py); the shell ones pass shellcheck as sh.
docx=$(mktemp -d)
out=$(tests/deb/doc-examples.py extract "$docx" README.md dts-overlays/README.md 2>&1)
rc=$?
printf '%s\n' "$out" | tail -n 1
result $rc "doc examples of README.md and dts-overlays/README.md: every sh/python block marked"
for f in "$docx"/*.sh; do
	[ -f "$f" ] || continue
	shellcheck -s sh -e SC2164 "$f"
	result $? "shellcheck doc example $(head -n 1 "$f" | cut -c3-)"
done
rm -rf "$docx"

echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
