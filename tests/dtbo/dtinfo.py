#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Read flattened devicetrees (DTBs) for tests/dtbo/check-dtbo.sh.

  dtinfo.py node DTB PATH           canonical dump of a node and its subtree
  dtinfo.py pins DTB PATH           fsl,pins entries of the pinctrl-0 groups
                                    of the node at PATH, one entry a line
  dtinfo.py conflicts BASE MERGED   pads of the enabled nodes whose pin
                                    groups the overlay added or changed,
                                    that another enabled node also claims
  dtinfo.py phandles BASE MERGED    every phandle of BASE still names the
                                    same node path in MERGED
  dtinfo.py symbols BASE MERGED     every __symbols__ entry of BASE is the
                                    same in MERGED
  dtinfo.py ref DTB PATH PROP       the node path a phandle property names
                                    (first cell), then the other cells

Exit status 0 when fine, 1 on a finding (printed), 2 on a usage or read
error. Written for the i.MX7ULP IOMUXC1: an fsl,pins entry is five cells,
the first of which is the pad's register offset.
"""

import struct
import sys

PIN_CELLS = 5


class DtbError(Exception):
    pass


class Node:
    def __init__(self, name, path, parent):
        self.name = name
        self.path = path
        self.parent = parent
        self.props = {}  # name -> bytes, in order
        self.children = []


class Tree:
    """A flattened devicetree read into nodes (FDT format, version 16/17)."""

    def __init__(self, blob):
        if len(blob) < 40:
            raise DtbError("too short for a DTB")
        (magic, totalsize, off_struct, off_strings, _, version, _, _, size_strings,
         size_struct) = struct.unpack(">10I", blob[:40])
        if magic != 0xD00DFEED or version < 16 or totalsize > len(blob):
            raise DtbError("not a DTB (magic 0x%08x, version %d)" % (magic, version))
        strings = blob[off_strings:off_strings + size_strings]
        self.nodes = []
        self.by_path = {}
        self.by_phandle = {}
        pos = off_struct
        end = off_struct + size_struct
        node = None
        while pos < end:
            (token,) = struct.unpack_from(">I", blob, pos)
            pos += 4
            if token == 1:  # FDT_BEGIN_NODE
                nul = blob.index(b"\0", pos)
                name = blob[pos:nul].decode()
                pos = (nul + 4) & ~3
                if node is None:
                    path = "/"
                else:
                    path = node.path.rstrip("/") + "/" + name
                child = Node(name, path, node)
                if node is not None:
                    node.children.append(child)
                self.nodes.append(child)
                self.by_path[path] = child
                node = child
            elif token == 2:  # FDT_END_NODE
                node = node.parent
            elif token == 3:  # FDT_PROP
                length, nameoff = struct.unpack_from(">II", blob, pos)
                pos += 8
                name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
                node.props[name] = blob[pos:pos + length]
                pos = (pos + length + 3) & ~3
            elif token == 4:  # FDT_NOP
                continue
            elif token == 9:  # FDT_END
                break
            else:
                raise DtbError("bad token %d at 0x%x" % (token, pos - 4))
        for n in self.nodes:
            raw = n.props.get("phandle") or n.props.get("linux,phandle")
            if raw is not None and len(raw) == 4:
                self.by_phandle[struct.unpack(">I", raw)[0]] = n


def load(path):
    with open(path, "rb") as f:
        return Tree(f.read())


def cells(raw):
    return list(struct.unpack(">%dI" % (len(raw) // 4), raw[: len(raw) // 4 * 4]))


def enabled(node):
    status = node.props.get("status")
    if status is None:
        return True
    return status.rstrip(b"\0") in (b"okay", b"ok")


def pad_name(offset):
    ports = {0x000: "PTC", 0x080: "PTD", 0x100: "PTE", 0x180: "PTF"}
    base = offset & ~0x7F
    if base in ports:
        return "%s%d" % (ports[base], (offset - base) // 4)
    return "pad@0x%03x" % offset


def node_dump(node, indent=""):
    out = ["%s%s = %s" % (indent, k, v.hex()) for k, v in node.props.items()]
    for child in node.children:
        out.append("%s%s {" % (indent, child.name))
        out.extend(node_dump(child, indent + "  "))
        out.append("%s}" % indent)
    return out


def group_entries(group):
    c = cells(group.props.get("fsl,pins", b""))
    return [tuple(c[i:i + PIN_CELLS]) for i in range(0, len(c), PIN_CELLS)]


def pin_groups(tree, node, states=None):
    """[(group path or error, entries)] named by the node's pinctrl-N."""
    groups = []
    n = 0
    while states is None or n < states:
        raw = node.props.get("pinctrl-%d" % n)
        if raw is None:
            break
        for ph in cells(raw):
            group = tree.by_phandle.get(ph)
            if group is None:
                groups.append(("<dangling phandle %d>" % ph, []))
            else:
                groups.append((group.path, group_entries(group)))
        n += 1
    return groups


def claims(tree):
    """{node path: (groups, set of pad offsets)} of every enabled node."""
    out = {}
    for node in tree.nodes:
        if not enabled(node):
            continue
        groups = pin_groups(tree, node)
        if groups:
            out[node.path] = (groups, {e[0] for _, g in groups for e in g if e})
    return out


def find(tree, path):
    node = tree.by_path.get(path)
    if node is None:
        raise DtbError("no node %s" % path)
    return node


def cmd_node(args):
    print("\n".join(node_dump(find(load(args[0]), args[1]))))
    return 0


def cmd_pins(args):
    tree = load(args[0])
    bad = 0
    for path, entries in pin_groups(tree, find(tree, args[1]), 1):
        if path.startswith("<"):
            print(path)
            bad = 1
        for e in entries:
            print("%s %s" % (path, " ".join("0x%x" % v for v in e)))
    return bad


def cmd_conflicts(args):
    base = claims(load(args[0]))
    merged = claims(load(args[1]))
    bad = 0
    checked = 0
    for path, (groups, pads) in sorted(merged.items()):
        if base.get(path) == (groups, pads):
            continue  # not touched by the overlay
        for gpath, _ in groups:
            if gpath.startswith("<"):
                print("%s: pinctrl %s" % (path, gpath))
                bad += 1
        for pad in sorted(pads):
            checked += 1
            for other, (_, opads) in sorted(merged.items()):
                if other != path and pad in opads:
                    print("pad %s (0x%03x) of %s is also claimed by %s"
                          % (pad_name(pad), pad, path, other))
                    bad += 1
    print("%d pads of new or changed pin groups checked, %d conflicts"
          % (checked, bad))
    return 1 if bad else 0


def cmd_phandles(args):
    base = load(args[0])
    merged = load(args[1])
    bad = 0
    for ph, node in sorted(base.by_phandle.items()):
        other = merged.by_phandle.get(ph)
        if other is None or other.path != node.path:
            print("phandle %d was %s, is %s"
                  % (ph, node.path, other.path if other else "(none)"))
            bad += 1
    return 1 if bad else 0


def cmd_symbols(args):
    base = load(args[0]).by_path.get("/__symbols__")
    merged = load(args[1]).by_path.get("/__symbols__")
    if base is None:
        return 0
    bad = 0
    for name, raw in base.props.items():
        new = merged.props.get(name) if merged else None
        if new != raw:
            print("symbol %s was %r, is %r" % (name, raw.rstrip(b"\0").decode(),
                                              new.rstrip(b"\0").decode() if new else None))
            bad += 1
    return 1 if bad else 0


def cmd_ref(args):
    tree = load(args[0])
    raw = find(tree, args[1]).props.get(args[2])
    if raw is None or len(raw) < 4:
        print("no property %s" % args[2])
        return 1
    c = cells(raw)
    target = tree.by_phandle.get(c[0])
    print(" ".join([target.path if target else "(dangling)"] + [str(v) for v in c[1:]]))
    return 0 if target else 1


def main(argv):
    cmds = {"node": (cmd_node, 2), "pins": (cmd_pins, 2),
            "conflicts": (cmd_conflicts, 2), "phandles": (cmd_phandles, 2),
            "symbols": (cmd_symbols, 2),
            "ref": (cmd_ref, 3)}
    if len(argv) < 2 or argv[1] not in cmds or len(argv) - 2 != cmds[argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return cmds[argv[1]][0](argv[2:])
    except (OSError, ValueError, struct.error, DtbError) as err:
        print("dtinfo: %s" % err)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
