#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after the other, and prints the
# executions each reached. Needs nightly and cargo-fuzz (see README.md). Crashes, timeouts and
# out-of-memory inputs land in fuzz/artifacts/<target>/; the grown corpus in fuzz/corpus/.
#   fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(atlas_json atlas_stream geojson table gdelt timelinejs storymap kml kmz timemap_json
        workbook story dates detect open)
fi
# The same flags every time: other flags would rebuild every dependency (half an hour here).
build=(-s none --codegen-units 16)
[ -d corpus ] || ./seed.sh > /dev/null
cargo +nightly fuzz build "${build[@]}" || exit 1

dict_of() {
    case "$1" in
        atlas_json | atlas_stream | geojson | timelinejs | storymap | timemap_json | story) echo dict/json.dict ;;
        kml) echo dict/kml.dict ;;
        table | gdelt) echo dict/csv.dict ;;
        dates) echo dict/dates.dict ;;
    esac
}

mkdir -p logs
printf '%-14s %12s %8s %10s  %s\n' target executions seconds exec/s result
status=0
for target in "${targets[@]}"; do
    dict="$(dict_of "$target")"
    log="logs/$target.log"
    mkdir -p "corpus/$target" "artifacts/$target"
    cargo +nightly fuzz run "${build[@]}" "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        ${dict:+-dict="$dict"} > "$log" 2>&1
    code=$?
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
    took="$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1)"
    if [ "$code" -eq 0 ]; then
        result=ok
    else
        result="FAILED ($(grep -m1 -o 'ERROR: libFuzzer: [a-z-]*\|panicked at [^ ]*' "$log"); see fuzz/$log)"
        status=1
    fi
    rate=$(( ${runs:-0} / ${took:-$seconds} ))
    [ "${took:-0}" -gt 0 ] 2>/dev/null || rate=$(( ${runs:-0} / seconds ))
    printf '%-14s %12s %8s %10s  %s\n' "$target" "${runs:-?}" "${took:-$seconds}" "$rate" "$result"
done
exit $status
