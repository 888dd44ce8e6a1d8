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
  dtinfo.py nest IN OUT FUNC=GROUP[,GROUP...]...
                                    write IN to OUT with the named pin
                                    groups of the IOMUXC1 moved into new
                                    function nodes FUNC (the nested layout
                                    of some vendor trees), each placed
                                    where its first group was
  dtinfo.py same A B                 A and B hold the same tree, up to the
                                    numbers of phandles: a cell that
                                    differs must name the same node path
                                    in both
  dtinfo.py refs DTB                every phandle reference of the usual
                                    kinds (pwms, clocks, gpios, pinctrl-N,
                                    *-supply, ...) names a node
  dtinfo.py pinctrl DTB             replay the i.MX pin controller driver's
                                    devicetree parsing on DTB (see
                                    cmd_pinctrl): layout, registered groups,
                                    every enabled consumer's groups found,
                                    every pad claimed once

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


def to_blob(tree):
    """The tree as a DTB (FDT version 17, no memory reservations)."""
    strings = bytearray()
    offsets = {}
    struct_ = bytearray()

    def name_off(name):
        if name not in offsets:
            offsets[name] = len(strings)
            strings.extend(name.encode() + b"\0")
        return offsets[name]

    def pad4(buf):
        buf.extend(b"\0" * (-len(buf) % 4))

    def emit(node):
        struct_.extend(struct.pack(">I", 1))
        struct_.extend(node.name.encode() + b"\0")
        pad4(struct_)
        for name, raw in node.props.items():
            struct_.extend(struct.pack(">III", 3, len(raw), name_off(name)))
            struct_.extend(raw)
            pad4(struct_)
        for child in node.children:
            emit(child)
        struct_.extend(struct.pack(">I", 2))

    emit(tree.nodes[0])
    struct_.extend(struct.pack(">I", 9))
    off_rsv = 40
    off_struct = off_rsv + 16
    off_strings = off_struct + len(struct_)
    total = off_strings + len(strings)
    header = struct.pack(">10I", 0xD00DFEED, total, off_struct, off_strings,
                         off_rsv, 17, 16, 0, len(strings), len(struct_))
    return header + b"\0" * 16 + bytes(struct_) + bytes(strings)


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


# The i.MX pin controller driver (drivers/pinctrl/freescale/pinctrl-imx.c,
# read in Linux 5.15 to 6.12; the rules below are this project's summary of
# it, not its code):
#  1. Layout: the controller node's children are looked at in devicetree
#     order, and the first that decides it wins: a child with fsl,pins
#     makes the layout flat; a child without it, one of whose own children
#     has it, makes it nested; a child with neither is passed over. If none
#     decides, flat.
#  2. Flat: every child of the controller is a group of the one function.
#     Nested: every child is a function and every grandchild a group; a
#     function without children registers no group. Groups of the other
#     layout are not registered: in a flat parse a function node is a
#     group without pins and the groups under it do not exist; in a nested
#     parse a flat group is a function with no groups.
#  3. A consumer's pinctrl-N phandles are looked up among the registered
#     groups by node name alone ("unable to find group for node ..."),
#     and the consumer does not probe when one is missing. The
#     controller's own pinctrl-0 (its hog) is claimed when the controller
#     registers; if that fails, the controller fails, and with it every
#     consumer.
#  4. A pad belongs to one device: a second device whose groups mux a pad
#     that another one holds fails to probe. GPIO hogs on a GPIO port
#     hold their line's pad too (gpio-ranges map the line to the pad), as
#     does every group of the controller's own hog.
PINCTRL_COMPATS = (b"fsl,imx7ulp-iomuxc1",)


def layout(ctl):
    """("flat" | "nested", the child that decided it or None)."""
    for child in ctl.children:
        if "fsl,pins" in child.props:
            return "flat", child
        if any("fsl,pins" in g.props for g in child.children):
            return "nested", child
    return "flat", None


def registered(ctl, kind):
    """{group name: [group nodes]} that the driver registers."""
    out = {}
    if kind == "flat":
        groups = list(ctl.children)
    else:
        groups = [g for f in ctl.children for g in f.children]
    for g in groups:
        out.setdefault(g.name, []).append(g)
    return out


def compatible(node):
    return node.props.get("compatible", b"").split(b"\0")


def gpio_line_pad(tree, port, line):
    """The pad offset of GPIO line @line of @port (gpio-ranges), or None."""
    c = cells(port.props.get("gpio-ranges", b""))
    for i in range(0, len(c) - 3, 4):
        _, goff, pin, count = c[i:i + 4]
        if goff <= line < goff + count:
            return (pin + line - goff) * 4
    return None


def cmd_pinctrl(args):
    tree = load(args[0])
    ctls = [n for n in tree.nodes
            if any(c in PINCTRL_COMPATS for c in compatible(n))]
    if not ctls:
        print("no i.MX7ULP IOMUXC1 node")
        return 1
    bad = 0
    owners = {}  # pad -> [(consumer path, what)]
    for ctl in ctls:
        if not enabled(ctl):
            print("%s: disabled" % ctl.path)
            continue
        kind, by = layout(ctl)
        regs = registered(ctl, kind)
        ngroups = sum(len(v) for v in regs.values())
        print("%s: %s layout (decided by %s), %d groups registered"
              % (ctl.path, kind, by.name if by else "no child", ngroups))
        lost = [g.path for f in ctl.children for g in f.children
                if kind == "flat" and "fsl,pins" in g.props]
        lost += [f.path for f in ctl.children
                 if kind == "nested" and "fsl,pins" in f.props]
        for path in lost:
            print("  group %s is not registered (%s layout)" % (path, kind))
            bad += 1
        for name, nodes in sorted(regs.items()):
            if len(nodes) > 1:
                print("  group name %s is used by %d nodes: %s"
                      % (name, len(nodes), ", ".join(n.path for n in nodes)))
                bad += 1
        # consumers of this controller's groups, the controller first
        consumers = [ctl] + [n for n in tree.nodes if n is not ctl and enabled(n)]
        ctl_ok = True
        for node in consumers:
            groups = [(g, e) for g, e in pin_groups(tree, node)
                      if g.startswith("<") or g.startswith(ctl.path + "/")]
            if not groups:
                continue
            ok = True
            for gpath, entries in groups:
                gnode = tree.by_path.get(gpath)
                if gnode is None:
                    print("  %s: pinctrl %s" % (node.path, gpath))
                    ok = False
                    continue
                found = regs.get(gnode.name, [])
                if gnode not in found:
                    print("  %s: unable to find group for node %s"
                          % (node.path, gnode.name))
                    ok = False
                if not entries:
                    print("  %s: group %s has no fsl,pins" % (node.path, gpath))
                    ok = False
                for e in entries:
                    owners.setdefault(e[0], []).append((node.path, gnode.name))
            if node is ctl:
                ctl_ok = ok
            if not ok:
                bad += 1
        if not ctl_ok:
            print("  %s: its own pin hog cannot be claimed: the controller"
                  " and every consumer fail to probe" % ctl.path)
            bad += 1
    for node in tree.nodes:
        if "gpio-hog" not in node.props or node.parent is None:
            continue
        port = node.parent
        if not enabled(port) or "gpio-ranges" not in port.props:
            continue
        c = cells(node.props.get("gpios", b""))
        for i in range(0, len(c), 2):
            pad = gpio_line_pad(tree, port, c[i])
            if pad is not None:
                owners.setdefault(pad, []).append((node.path, "gpio-hog"))
    npads = 0
    for pad, who in sorted(owners.items()):
        npads += 1
        devices = sorted({w[0] for w in who})
        if len(devices) > 1:
            print("  pad %s (0x%03x) claimed by %s"
                  % (pad_name(pad), pad, "; ".join("%s (%s)" % w for w in who)))
            bad += 1
    print("%d pads claimed, %d findings" % (npads, bad))
    return 1 if bad else 0


# Properties that are lists of (phandle, the target's #NAME-cells cells)
REF_LISTS = {"pwms": "#pwm-cells", "clocks": "#clock-cells",
             "assigned-clocks": "#clock-cells",
             "assigned-clock-parents": "#clock-cells",
             "gpios": "#gpio-cells", "dmas": "#dma-cells",
             "power-domains": "#power-domain-cells",
             "resets": "#reset-cells", "phys": "#phy-cells",
             "mboxes": "#mbox-cells", "thermal-sensors": "#thermal-sensor-cells"}
# Properties whose first cell is a phandle
REF_FIRST = ("interrupt-parent", "fsl,usbphy", "fsl,usbmisc", "memory-region",
             "phy-handle", "remote-endpoint", "nxp,sim", "sim", "regmap",
             "fsl,tempmon", "backlight", "ddc-i2c-bus", "msi-parent")


def ref_entries(tree, name, raw):
    """[(phandle, where)] of the references a property holds; where is
    None when the list cannot be walked further (unknown target)."""
    c = cells(raw)
    out = []
    if name.startswith("pinctrl-") and name[8:].isdigit():
        return [(ph, i) for i, ph in enumerate(c)]
    count = REF_LISTS.get(name)
    if count is None and (name.endswith("-gpios") or name.endswith("-gpio")):
        count = "#gpio-cells"
    if count is not None:
        i = 0
        while i < len(c):
            out.append((c[i], i))
            target = tree.by_phandle.get(c[i])
            if target is None or count not in target.props:
                break
            i += 1 + cells(target.props[count])[0]
        return out
    if name in REF_FIRST or name.endswith("-supply"):
        return [(c[0], 0)] if c else []
    return []


def cmd_refs(args):
    tree = load(args[0])
    bad = 0
    n = 0
    for node in tree.nodes:
        if node.path.startswith("/__"):
            continue
        for name, raw in node.props.items():
            for ph, i in ref_entries(tree, name, raw):
                n += 1
                if ph not in tree.by_phandle:
                    print("%s: %s cell %d: phandle %d names no node"
                          % (node.path, name, i, ph))
                    bad += 1
    print("%d references, %d dangling" % (n, bad))
    return 1 if bad else 0


def cmd_same(args):
    a = load(args[0])
    b = load(args[1])
    bad = 0
    renumbered = set()
    pa = {n.path: n for n in a.nodes}
    pb = {n.path: n for n in b.nodes}
    for path in sorted(set(pa) ^ set(pb)):
        print("node %s only in %s" % (path, args[0] if path in pa else args[1]))
        bad += 1
    for path in sorted(set(pa) & set(pb)):
        na, nb = pa[path], pb[path]
        if [c.name for c in na.children] != [c.name for c in nb.children]:
            print("%s: children in another order" % path)
            bad += 1
        for name in sorted(set(na.props) | set(nb.props)):
            ra, rb = na.props.get(name), nb.props.get(name)
            if ra == rb:
                continue
            if ra is None or rb is None or len(ra) != len(rb) or len(ra) % 4:
                print("%s: %s differs" % (path, name))
                bad += 1
                continue
            if name in ("phandle", "linux,phandle"):
                renumbered.add(path)
                continue
            for x, y in zip(cells(ra), cells(rb)):
                if x == y:
                    continue
                tx, ty = a.by_phandle.get(x), b.by_phandle.get(y)
                if tx is None or ty is None or tx.path != ty.path:
                    print("%s: %s differs (%d / %d)" % (path, name, x, y))
                    bad += 1
                    break
    print("same tree%s, %d differences"
          % (" (phandle renumbered: %s)" % ", ".join(sorted(renumbered))
             if renumbered else "", bad))
    return 1 if bad else 0


def cmd_nest(args):
    tree = load(args[0])
    ctls = [n for n in tree.nodes
            if any(c in PINCTRL_COMPATS for c in compatible(n))]
    if len(ctls) != 1:
        raise DtbError("%d IOMUXC1 nodes" % len(ctls))
    ctl = ctls[0]
    for spec in args[2:]:
        func, _, names = spec.partition("=")
        groups = []
        for name in names.split(","):
            g = [c for c in ctl.children if c.name == name]
            if not g:
                raise DtbError("no group %s under %s" % (name, ctl.path))
            groups.append(g[0])
        at = min(ctl.children.index(g) for g in groups)
        fnode = Node(func, ctl.path + "/" + func, ctl)
        for g in groups:
            ctl.children.remove(g)
            g.parent = fnode
            fnode.children.append(g)
        ctl.children.insert(at, fnode)
    with open(args[1], "wb") as f:
        f.write(to_blob(tree))
    return 0


def main(argv):
    cmds = {"node": (cmd_node, 2), "pins": (cmd_pins, 2),
            "conflicts": (cmd_conflicts, 2), "phandles": (cmd_phandles, 2),
            "symbols": (cmd_symbols, 2),
            "ref": (cmd_ref, 3), "pinctrl": (cmd_pinctrl, 1),
            "same": (cmd_same, 2), "refs": (cmd_refs, 1)}
    if len(argv) >= 5 and argv[1] == "nest":
        cmds["nest"] = (cmd_nest, len(argv) - 2)
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
