#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The shell and Python examples of the Markdown files, for check-e2e.

Every fenced block whose info string is sh, shell, bash or python must be
preceded (blank lines apart) by a marker that says where it runs:

  <!-- doc-test: image -->         as root in the board image before its
                                   first boot (a chroot: installing, enabling
                                   an overlay, as a user does before the
                                   reboot), in /tmp, where the .deb is
  <!-- doc-test: board -->         as root on the booted emulated board
  <!-- doc-test: board-member -->  as the user "member" (group pwm) there
  <!-- doc-test: skip: REASON -->  not run; the reason is printed

A marker may add replacements for what the emulated board lacks, each
applied to the block's text and each required to match:

  <!-- doc-test: board; replace "-q" with "-S -q" (why) -->

and a note in parentheses after the phase says what the emulated board
provides for the example (it is printed, not interpreted).

So the examples run as the documents show them: a changed document changes
the test, and a block without a marker fails it.

  doc-examples.py check FILE...        list the blocks, fail on a bad one
  doc-examples.py extract DIR FILE...  write DIR/NNN.sh or DIR/NNN.py and
                                       DIR/manifest ("NNN PHASE LANG
                                       FILE:LINE" per line, in document
                                       order); skipped blocks are listed
                                       with PHASE skip and no file
"""

import os
import re
import sys

LANGS = {"sh": "sh", "shell": "sh", "bash": "sh", "python": "py",
         "python3": "py"}
PHASES = ("image", "board", "board-member")
FENCE = re.compile(r"^(\s*)```\s*([A-Za-z0-9_+-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*doc-test:\s*(.*?)\s*-->\s*$")
REPLACE = re.compile(r'replace "((?:[^"\\]|\\.)*)" with "((?:[^"\\]|\\.)*)"'
                     r"(?:\s*\([^)]*\))?\s*$")


class DocError(Exception):
    pass


def parse_marker(text, where):
    """(phase, [(old, new)], reason) of a marker's text."""
    if text.startswith("skip:"):
        reason = text[len("skip:"):].strip()
        if not reason:
            raise DocError(f"{where}: a skip needs a reason")
        return "skip", [], reason
    parts = [p.strip() for p in text.split(";")]
    # a note on the emulated board may follow the phase: "board (why)"
    phase = re.sub(r"\s*\(.*\)$", "", parts[0])
    if phase not in PHASES:
        raise DocError(f"{where}: unknown doc-test phase {phase!r}")
    subs = []
    for p in parts[1:]:
        m = REPLACE.match(p)
        if not m:
            raise DocError(f"{where}: not a replacement: {p!r}")
        subs.append((m.group(1).replace('\\"', '"'),
                     m.group(2).replace('\\"', '"')))
    return phase, subs, ""


def blocks(path):
    """Yield (line, lang, phase, text, reason) for each example of path."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    last = None  # (line number, text) of the last non-blank line
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            if lines[i].strip():
                last = (i + 1, lines[i])
            i += 1
            continue
        indent, info = m.group(1), m.group(2).lower()
        start = i + 1
        body = []
        i += 1
        while i < len(lines) and not re.match(r"^\s*```\s*$", lines[i]):
            line = lines[i]
            if line.startswith(indent):
                line = line[len(indent):]
            elif line.strip():
                raise DocError(f"{path}:{i + 1}: line indented less than "
                               f"its block")
            body.append(line)
            i += 1
        if i == len(lines):
            raise DocError(f"{path}:{start}: block never closed")
        i += 1
        where = f"{path}:{start}"
        mk = MARKER.match(last[1]) if last else None
        last = (i, "```")
        if info not in LANGS:
            if mk:
                raise DocError(f"{where}: doc-test marker on a {info or 'plain'} "
                               f"block (only {', '.join(sorted(LANGS))} run)")
            continue
        if not mk:
            raise DocError(f"{where}: a {info} example without a doc-test "
                           f"marker (<!-- doc-test: PHASE --> before it)")
        phase, subs, reason = parse_marker(mk.group(1), where)
        text = "\n".join(body) + "\n"
        for old, new in subs:
            if old not in text:
                raise DocError(f"{where}: replacement text {old!r} is not "
                               f"in the block")
            text = text.replace(old, new)
        yield start, LANGS[info], phase, text, reason


def main(argv):
    if len(argv) < 2 or argv[0] not in ("check", "extract") or \
            (argv[0] == "extract" and len(argv) < 3):
        print(__doc__.split("\n\n")[-1], file=sys.stderr)
        return 2
    out = argv[1] if argv[0] == "extract" else None
    files = argv[2:] if out else argv[1:]
    found = []
    try:
        for path in files:
            for start, lang, phase, text, reason in blocks(path):
                found.append((path, start, lang, phase, text, reason))
    except (DocError, OSError) as e:
        print(f"doc-examples: {e}", file=sys.stderr)
        return 1
    if out:
        os.makedirs(out, exist_ok=True)
    manifest = []
    for n, (path, start, lang, phase, text, reason) in enumerate(found, 1):
        name = f"{n:03d}"
        if out and phase != "skip":
            with open(os.path.join(out, f"{name}.{lang}"), "w",
                      encoding="utf-8") as f:
                if lang == "sh":
                    f.write(f"# {path}:{start}\nset -e\n")
                f.write(text)
        manifest.append(f"{name} {phase} {lang} {path}:{start}")
        print(f"{name} {phase:12} {lang} {path}:{start}"
              + (f" (skip: {reason})" if reason else ""))
    if out:
        with open(os.path.join(out, "manifest"), "w", encoding="utf-8") as f:
            f.write("".join(m + "\n" for m in manifest))
    counts = {}
    for _, _, _, phase, _, _ in found:
        counts[phase] = counts.get(phase, 0) + 1
    print("doc-examples: " + ", ".join(f"{counts[p]} {p}" for p in
                                        sorted(counts)) +
          f" ({len(found)} in {len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
