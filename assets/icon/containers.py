#!/usr/bin/env python3
"""Icon container writer for Event Atlas (Python standard library only).

Called by make-icons.sh; usable on its own:

    containers.py strip FILE.png...           drop ancillary PNG chunks (time
                                              stamps, text, bKGD) in place
    containers.py ico OUT.ico FILE.png...     Windows icon, PNG-compressed entries
    containers.py icns OUT.icns TYPE=FILE.png...
                                              macOS icon, e.g. icp4=16.png
    containers.py check FILE...               parse PNG/ICO/ICNS files back and
                                              print what they hold; exit 1 on error

Everything is byte-for-byte deterministic: the same PNGs give the same files.
"""

import struct
import sys

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Chunks kept by `strip`: the ones needed to decode the image and to get its
# colours right. Everything else (tIME, tEXt, zTXt, iTXt, bKGD, pHYs, ...) goes.
KEEP_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND",
               b"gAMA", b"cHRM", b"sRGB", b"iCCP"}

# ICNS types that hold a PNG, and the pixel size each one must have.
ICNS_SIZES = {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128,
              b"ic08": 256, b"ic09": 512, b"ic10": 1024,
              b"ic11": 32, b"ic12": 64, b"ic13": 256, b"ic14": 512}


class IconError(Exception):
    pass


def png_chunks(data, name="PNG"):
    """Yield (type, body) for each chunk; raise IconError if malformed."""
    if not data.startswith(PNG_SIGNATURE):
        raise IconError(f"{name}: not a PNG (bad signature)")
    i = len(PNG_SIGNATURE)
    while i < len(data):
        if i + 8 > len(data):
            raise IconError(f"{name}: truncated chunk header")
        length, ctype = struct.unpack(">I4s", data[i:i + 8])
        end = i + 12 + length
        if end > len(data):
            raise IconError(f"{name}: truncated {ctype!r} chunk")
        yield ctype, data[i + 8:i + 8 + length], data[i:end]
        i = end
        if ctype == b"IEND":
            return
    raise IconError(f"{name}: no IEND chunk")


def png_info(data, name="PNG"):
    """(width, height, bit depth, colour type) from the IHDR chunk."""
    for ctype, body, _ in png_chunks(data, name):
        if ctype != b"IHDR":
            raise IconError(f"{name}: first chunk is {ctype!r}, not IHDR")
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        return width, height, depth, colour
    raise IconError(f"{name}: no chunks")


def strip(paths):
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        kept = [raw for ctype, _, raw in png_chunks(data, path) if ctype in KEEP_CHUNKS]
        out = PNG_SIGNATURE + b"".join(kept)
        if out != data:
            with open(path, "wb") as f:
                f.write(out)


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    png_info(data, path)
    return data


def write_ico(out, paths):
    images = []
    for path in paths:
        data = read_png(path)
        w, h, _, _ = png_info(data, path)
        if w != h or not 1 <= w <= 256:
            raise IconError(f"{path}: {w}x{h} cannot go in an ICO")
        images.append((w, data))
    header = struct.pack("<HHH", 0, 1, len(images))   # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, data in images:
        byte = 0 if size == 256 else size                # 0 means 256
        entries += struct.pack("<BBBBHHII", byte, byte, 0, 0, 1, 32, len(data), offset)
        payload += data
        offset += len(data)
    with open(out, "wb") as f:
        f.write(header + entries + payload)


def write_icns(out, pairs):
    body = b""
    for pair in pairs:
        ictype, _, path = pair.partition("=")
        ictype = ictype.encode("ascii")
        if ictype not in ICNS_SIZES or not path:
            raise IconError(f"{pair}: expected TYPE=FILE.png with TYPE one of "
                            + ", ".join(t.decode() for t in ICNS_SIZES))
        data = read_png(path)
        w, h, _, _ = png_info(data, path)
        if (w, h) != (ICNS_SIZES[ictype],) * 2:
            raise IconError(f"{path}: {w}x{h}, but {ictype.decode()} needs "
                            f"{ICNS_SIZES[ictype]}x{ICNS_SIZES[ictype]}")
        body += ictype + struct.pack(">I", 8 + len(data)) + data
    with open(out, "wb") as f:
        f.write(b"icns" + struct.pack(">I", 8 + len(body)) + body)


COLOUR_TYPES = {0: "grey", 2: "RGB", 3: "palette", 4: "grey+alpha", 6: "RGBA"}


def describe_png(data, name):
    w, h, depth, colour = png_info(data, name)
    extra = sorted({c.decode() for c, _, _ in png_chunks(data, name)} - {"IHDR", "IDAT", "IEND"})
    return f"{w}x{h} {depth}-bit {COLOUR_TYPES.get(colour, colour)}" + (
        f" (chunks: {', '.join(extra)})" if extra else "")


def check_ico(data, name):
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    if reserved != 0 or kind != 1:
        raise IconError(f"{name}: not an ICO header")
    lines = [f"{name}: ICO, {count} entries"]
    for k in range(count):
        bw, bh, _, _, planes, bpp, size, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * k:22 + 16 * k])
        png = data[offset:offset + size]
        if len(png) != size:
            raise IconError(f"{name}: entry {k} runs past the end of the file")
        w, h, _, _ = png_info(png, f"{name} entry {k}")
        if (w, h) != (bw or 256, bh or 256):
            raise IconError(f"{name}: entry {k} says {bw or 256}x{bh or 256}, PNG is {w}x{h}")
        lines.append(f"  {bw or 256:>3}x{bh or 256:<3} planes={planes} bpp={bpp} "
                     f"{size} bytes at {offset}: PNG {describe_png(png, name)}")
    return lines


def check_icns(data, name):
    magic, total = struct.unpack(">4sI", data[:8])
    if magic != b"icns" or total != len(data):
        raise IconError(f"{name}: bad ICNS header ({magic!r}, length {total} vs {len(data)})")
    lines, i = [f"{name}: ICNS, {total} bytes"], 8
    while i < len(data):
        ictype, length = struct.unpack(">4sI", data[i:i + 8])
        if length < 8 or i + length > len(data):
            raise IconError(f"{name}: entry {ictype!r} has bad length {length}")
        png = data[i + 8:i + length]
        w, h, _, _ = png_info(png, f"{name} {ictype.decode()}")
        want = ICNS_SIZES.get(ictype)
        if want is not None and (w, h) != (want, want):
            raise IconError(f"{name}: {ictype.decode()} holds {w}x{h}, should be {want}x{want}")
        lines.append(f"  {ictype.decode()} {length - 8} bytes: PNG {describe_png(png, name)}")
        i += length
    return lines


def check(paths):
    ok = True
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        try:
            if data.startswith(PNG_SIGNATURE):
                lines = [f"{path}: PNG {describe_png(data, path)}"]
            elif data.startswith(b"icns"):
                lines = check_icns(data, path)
            elif data[:4] == b"\0\0\1\0":
                lines = check_ico(data, path)
            else:
                raise IconError(f"{path}: unknown format")
            print("\n".join(lines))
        except IconError as e:
            print(f"ERROR {e}", file=sys.stderr)
            ok = False
    return ok


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[1], argv[2:]
    try:
        if command == "strip":
            strip(args)
        elif command == "ico":
            write_ico(args[0], args[1:])
        elif command == "icns":
            write_icns(args[0], args[1:])
        elif command == "check":
            return 0 if check(args) else 1
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except IconError as e:
        print(f"containers.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
