#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""tests/uboot/fdt-apply.py - have U-Boot itself apply overlays.

usage: fdt-apply.py U-BOOT.BIN CASES OUTDIR [NODE]

CASES has one case per line: "NAME BASE.dtb OVERLAY.dtbo[,OVERLAY.dtbo...]".
All files are packed into one image that QEMU's generic loader puts into the
guest's RAM; U-Boot (qemu-system-arm -M virt -bios U-BOOT.BIN) is then driven
over its serial console, as a user at the prompt would, for each case:

    cp.b BASE WORK SIZE; fdt addr WORK; fdt resize 65536
    cp.b OVERLAY OV SIZE; fdt apply OV    (for each overlay, in order)

(the copies matter: libfdt's overlay code changes the overlay, and on an
error the base too). After the last overlay the merged tree is read out of
the guest's memory through QEMU's QMP "pmemsave", cut to the size in its
header, and written to OUTDIR/NAME.dtb.

Writes OUTDIR/transcript.txt (the whole console), OUTDIR/example.txt (the
console of the first case that applied, ended by "fdt print NODE" when NODE
is given), and OUTDIR/results, one line
per case: "NAME ok" or "NAME failed: <U-Boot's messages>"; the caller
decides what each case should give. Exit status 0 when U-Boot came up and
every case ran (whatever its result), 1 otherwise.
"""

import os
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time

RAM = 0x40000000
BUNDLE = 0x50000000  # the packed files
WORK = 0x48000000  # the base, then the merged tree
OVL = 0x49000000  # the overlay being applied
RESIZE = 65536  # bytes of room "fdt resize" adds
DUMP = 0x100000  # bytes read back; the header's totalsize cuts it
PROMPT = b"=> "


class Console:
    """U-Boot's serial console on QEMU's stdin and stdout."""

    def __init__(self, proc, transcript):
        self.proc = proc
        self.out = proc.stdout.fileno()
        self.buf = b""
        self.log = transcript

    def read_until(self, pred, timeout):
        end = time.monotonic() + timeout
        while not pred(self.buf):
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(self.buf[-400:].decode(errors="replace"))
            r, _, _ = select.select([self.out], [], [], left)
            if not r:
                continue
            data = os.read(self.out, 65536)
            if not data:
                raise EOFError(self.buf[-400:].decode(errors="replace"))
            self.log.write(data)
            self.buf += data
        got, self.buf = self.buf, b""
        return got

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def command(self, line, timeout=60):
        """Run one command line; return what it printed (echo removed)."""
        self.mark = self.log.tell()
        self.send(line + "\n")
        got = self.read_until(lambda b: b.endswith(PROMPT), timeout)
        text = got[: -len(PROMPT)].decode(errors="replace").replace("\r", "")
        first, _, rest = text.partition("\n")
        if first.strip() != line.strip():
            raise RuntimeError(f"console did not echo {line!r}: {first!r}")
        return rest


class Qmp:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(100):
            try:
                self.sock.connect(path)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("no QMP socket")
        self.f = self.sock.makefile("rwb")
        self.f.readline()  # greeting
        self.call('{"execute": "qmp_capabilities"}')

    def call(self, msg):
        self.f.write(msg.encode() + b"\n")
        self.f.flush()
        while True:
            line = self.f.readline()
            if not line:
                raise EOFError("QMP closed")
            if b'"return"' in line:
                return line
            if b'"error"' in line:
                raise RuntimeError(line.decode())

    def pmemsave(self, addr, size, path):
        self.call(
            '{"execute": "pmemsave", "arguments": '
            f'{{"val": {addr}, "size": {size}, "filename": "{path}"}}}}'
        )


def pack(cases, image):
    """Put every distinct file into IMAGE at 64 KiB steps; return
    {path: (address, size)}."""
    where = {}
    off = 0
    with open(image, "wb") as out:
        for _, files in cases:
            for path in files:
                if path in where:
                    continue
                data = open(path, "rb").read()
                if len(data) > DUMP - RESIZE:
                    raise ValueError(f"{path}: {len(data)} bytes, too big")
                out.seek(off)
                out.write(data)
                where[path] = (BUNDLE + off, len(data))
                off += (len(data) + 0xFFFF) & ~0xFFFF
    if BUNDLE + off > RAM + 0x30000000:
        raise ValueError("the files do not fit below U-Boot")
    return where


def failed(text):
    """The lines U-Boot printed that are not the "Working FDT set to"
    note of fdt addr: its fdt commands print only their errors."""
    bad = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("Working FDT set to"):
            continue
        bad.append(line)
    return bad


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    uboot, casefile, outdir = sys.argv[1:4]
    show = sys.argv[4] if len(sys.argv) == 5 else None
    example = None
    cases = []
    for line in open(casefile):
        if line.strip():
            name, base, ovs = line.split()
            cases.append((name, [base] + ovs.split(",")))
    os.makedirs(outdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="fdt-apply.")
    image = os.path.join(tmp, "bundle.bin")
    where = pack(cases, image)
    qmp_path = os.path.join(tmp, "qmp")
    transcript = open(os.path.join(outdir, "transcript.txt"), "wb")
    proc = subprocess.Popen(
        ["qemu-system-arm", "-M", "virt", "-cpu", "cortex-a15", "-m", "1024",
         "-bios", uboot, "-nic", "none", "-display", "none",
         "-monitor", "none", "-serial", "stdio",
         "-qmp", f"unix:{qmp_path},server=on,wait=off",
         "-device", f"loader,file={image},addr={BUNDLE:#x},force-raw=on"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    con = Console(proc, transcript)
    results = []
    try:
        # stop the autoboot, as a user does
        con.read_until(lambda b: b"Hit any key" in b or b.endswith(PROMPT),
                       120)
        con.send("\n")
        con.read_until(lambda b: b.endswith(PROMPT), 30)
        qmp = Qmp(qmp_path)
        print(con.command("version").strip().splitlines()[0])
        for name, files in cases:
            base, ovs = files[0], files[1:]
            addr, size = where[base]
            out = con.command(f"cp.b {addr:#x} {WORK:#x} {size:#x}")
            start = con.mark
            out += con.command(f"fdt addr {WORK:#x}")
            out += con.command(f"fdt resize {RESIZE:#x}")
            bad = failed(out)
            for ov in ovs:
                if bad:
                    break
                addr, size = where[ov]
                con.command(f"cp.b {addr:#x} {OVL:#x} {size:#x}")
                bad = failed(con.command(f"fdt apply {OVL:#x}"))
            if bad:
                results.append(f"{name} failed: {' / '.join(bad)}")
                continue
            dump = os.path.join(tmp, "dump")
            qmp.pmemsave(WORK, DUMP, dump)
            data = open(dump, "rb").read()
            magic, total = struct.unpack(">II", data[:8])
            if magic != 0xD00DFEED or total > DUMP:
                results.append(f"{name} failed: no tree at {WORK:#x} after apply")
                continue
            with open(os.path.join(outdir, name + ".dtb"), "wb") as f:
                f.write(data[:total])
            results.append(f"{name} ok")
            if example is None:
                if show:
                    con.command(f"fdt print {show}")
                transcript.flush()
                with open(transcript.name, "rb") as f:
                    f.seek(start)
                    example = PROMPT + f.read()
                with open(os.path.join(outdir, "example.txt"), "wb") as f:
                    f.write(f"# case {name}\n".encode())
                    f.write(example.replace(b"\r", b"") + b"\n")
        con.send("poweroff\n")
    except (TimeoutError, EOFError, RuntimeError, OSError) as e:
        print(f"fdt-apply: U-Boot console: {type(e).__name__}: {e}",
              file=sys.stderr)
        return 1
    finally:
        proc.kill()
        proc.wait()
        transcript.close()
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    with open(os.path.join(outdir, "results"), "w") as f:
        f.write("\n".join(results) + "\n")
    return 0 if len(results) == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
