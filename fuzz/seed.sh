#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the seed inputs: small files from tests/data, KMZ archives
# made of its KML files, story and date texts, and every regression file of the target
# (tests/data/fuzz-regressions/<target>-*.bin). The corpus is not committed: the fuzzer grows it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="$here/../tests/data"
corpus="$here/corpus"

seed() { # seed TARGET FILE...
    local target="$1"; shift
    mkdir -p "$corpus/$target"
    for file in "$@"; do
        [ -f "$file" ] && cp "$file" "$corpus/$target/$(basename "$file")"
    done
    return 0
}

text() { # text TARGET NAME TEXT
    mkdir -p "$corpus/$1"
    printf '%s' "$3" > "$corpus/$1/$2"
}

seed atlas_json "$data"/*.json
seed atlas_stream "$data"/*.json
seed geojson "$data"/geojson/* "$data"/places.geojson
seed table "$data"/csv/*.csv "$data"/csv/*.tsv
seed gdelt "$data"/csv/gdelt1_style.tsv "$data"/csv/gdelt2_style.csv
seed timelinejs "$data"/timelinejs/*.json
seed storymap "$data"/storymap/*.json
seed kml "$data"/kml/*.kml
seed timemap_json "$data"/timemap/*.json
seed workbook "$data"/sheet/*.xlsx "$data"/sheet/*.ods "$data"/timemap/*.xlsx "$data"/csv/*.xlsx

# KMZ: each KML zipped as doc.kml.
mkdir -p "$corpus/kmz"
python3 - "$data/kml" "$corpus" <<'PY'
import pathlib, sys, zipfile
source, corpus = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for kml in sorted(source.glob("*.kml")):
    for target in ("kmz", "kml"):
        with zipfile.ZipFile(corpus / target / (kml.stem + ".kmz"), "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("doc.kml", kml.read_bytes())
PY

text story full.json '{"event_atlas_story": 1, "dataset": "Fuzz", "story": {"title": "A walk", "steps": [
 {"title": "First", "text": "Here", "events": ["a", "b"], "time": "2024-03-22", "window": "P30D",
  "camera": {"lon": 37.6, "lat": 55.7, "zoom": 5}},
 {"title": "Second", "events": ["c", "x"], "map": "density", "filter": {"categories": ["q"]}}]}}'
text story empty.json '{"event_atlas_story": 1, "story": {"steps": []}}'

i=0
for date in 2024-03-22 2024-03 -0043 Y-170000000 2024-03-22T19:58:30.123Z "2024-03-22 19:58+03:00" \
    2023-11/2024-03-22 ../2024 "2024-03~/.." 20240322 22/03/2024 3/22/2024 22.03.2024 \
    "22 March 2024" "March 22, 2024" 1711137510 45373.5 "44 BC" "c. 1200" "the 1940s" \
    "12th century" "Spring 1945" "1939 to 1945" "44 BC - AD 14"; do
    text dates "date-$i" "$date"
    i=$((i + 1))
done

# The detector and `open`: the first byte picks the file name (io::fuzzing::NAMES, 12 of them).
for target in detect open; do
    mkdir -p "$corpus/$target"
    n=0
    for file in "$data"/*.json "$data"/geojson/* "$data"/csv/*.csv "$data"/csv/*.tsv "$data"/kml/*.kml \
        "$data"/timelinejs/*.json "$data"/storymap/*.json "$data"/timemap/* "$data"/sheet/*.xlsx \
        "$data"/sheet/*.ods; do
        [ -f "$file" ] || continue
        { printf "\\x$(printf %02x $((n % 12)))"; cat "$file"; } > "$corpus/$target/$n-$(basename "$file")"
        n=$((n + 1))
    done
done

# What once broke a target is where its fuzzing starts.
for file in "$data"/fuzz-regressions/*.bin; do
    [ -f "$file" ] || continue
    name="$(basename "$file")"
    seed "${name%%-*}" "$file"
done
for target in "$corpus"/*; do
    echo "$(basename "$target"): $(ls "$target" | wc -l) seeds"
done
