#!/usr/bin/env bash
# Regenerates every derived icon file from the two hand-written SVG sources.
#
#   bash assets/icon/make-icons.sh        (from the repository root)
#
# Sources:
#   assets/icon/event-atlas.svg          full design, used for 48 px and up
#   assets/icon/event-atlas-small.svg    simplified design for 16, 24 and 32 px
# Writes:
#   assets/icon/png/event-atlas-{16,24,32,48,64,128,256,512}.png   (RGBA)
#   assets/icon/event-atlas.ico    Windows: 16, 24, 32, 48, 64, 256 (PNG entries)
#   assets/icon/event-atlas.icns   macOS: icp4 icp5 icp6 ic07 ic08 ic09 ic10
#
# Needs rsvg-convert (Debian/Ubuntu package librsvg2-bin) and python3 (standard
# library only; see containers.py). The output is deterministic: running it
# twice gives byte-identical files (PNG metadata chunks are stripped).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if ! command -v rsvg-convert >/dev/null 2>&1; then
    echo "make-icons.sh: rsvg-convert not found; install it with: sudo apt-get install librsvg2-bin" >&2
    exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "make-icons.sh: python3 not found; install it with: sudo apt-get install python3" >&2
    exit 1
fi

big=event-atlas.svg
small=event-atlas-small.svg
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

render() { # render SVG SIZE OUT
    rsvg-convert --format=png --width="$2" --height="$2" "$1" --output="$3"
}

mkdir -p png
for size in 16 24 32; do
    render "$small" "$size" "png/event-atlas-$size.png"
done
for size in 48 64 128 256 512; do
    render "$big" "$size" "png/event-atlas-$size.png"
done
# 1024 (512@2x) only goes into the .icns; it is not committed.
render "$big" 1024 "$tmp/event-atlas-1024.png"

python3 containers.py strip png/event-atlas-*.png "$tmp/event-atlas-1024.png"

python3 containers.py ico event-atlas.ico \
    png/event-atlas-16.png png/event-atlas-24.png png/event-atlas-32.png \
    png/event-atlas-48.png png/event-atlas-64.png png/event-atlas-256.png

python3 containers.py icns event-atlas.icns \
    icp4=png/event-atlas-16.png icp5=png/event-atlas-32.png \
    icp6=png/event-atlas-64.png ic07=png/event-atlas-128.png \
    ic08=png/event-atlas-256.png ic09=png/event-atlas-512.png \
    ic10="$tmp/event-atlas-1024.png"

python3 containers.py check png/event-atlas-*.png event-atlas.ico event-atlas.icns >/dev/null
echo "make-icons.sh: wrote assets/icon/png/*.png, event-atlas.ico, event-atlas.icns"
