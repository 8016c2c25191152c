//! `event-atlas convert` at scale: the generated events (Event Atlas JSON, and the same events
//! as a CSV table and as GeoJSON) written to CSV and to GeoJSON, read and written in one go as
//! the command does, against GDAL's `ogr2ogr` converting the same files in the same run (skipped
//! when `ogr2ogr` is absent). Numbers and the command that made them: docs/benchmarks.md.
//!
//! `EVENT_ATLAS_BENCH_SIZES=100000` limits the sizes (default: 100,000 and 1,000,000).

// Set-up in benchmarks may unwrap: a failure there is a broken benchmark, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use event_atlas::generate::{GeneratedFormat, write_in};
use event_atlas::io::ImportOptions;
use event_atlas::io::export::{EventFilter, convert};

// The allocator the app ships with (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn sizes() -> Vec<usize> {
    std::env::var("EVENT_ATLAS_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000])
}

fn folder() -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("event-atlas-bench-convert-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// The generated events in `format`, as a file in `folder`.
fn generated(folder: &Path, format: GeneratedFormat, events: usize) -> PathBuf {
    let extension = match format {
        GeneratedFormat::Json => "json",
        GeneratedFormat::Csv => "csv",
        GeneratedFormat::Geojson => "geojson",
    };
    let path = folder.join(format!("generated-{events}.{extension}"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_in(format, &mut out, events, 1).unwrap();
    std::io::Write::flush(&mut out).unwrap();
    path
}

fn have_ogr2ogr() -> bool {
    Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// What `event-atlas convert INPUT OUTPUT --overwrite` does, in the process.
fn convert_once(input: &Path, output: &Path) {
    let converted = convert(
        input,
        &ImportOptions::default(),
        output,
        &EventFilter::default(),
        true,
    )
    .unwrap_or_else(|error| panic!("{:?}", error.lines()));
    assert!(converted.written.events > 0);
}

/// `ogr2ogr` writing `output` from `input`, the coordinates kept as columns (CSV) or read from
/// the latitude/longitude columns (CSV to GeoJSON), as our convert does.
fn ogr2ogr_once(input: &Path, output: &Path) {
    std::fs::remove_file(output).ok();
    let mut command = Command::new("ogr2ogr");
    match output.extension().and_then(|e| e.to_str()) {
        Some("csv") => command.args(["-f", "CSV", "-lco", "GEOMETRY=AS_XY"]),
        _ => command.args([
            "-f",
            "GeoJSON",
            "-oo",
            "X_POSSIBLE_NAMES=longitude",
            "-oo",
            "Y_POSSIBLE_NAMES=latitude",
        ]),
    };
    let status = command
        .arg(output)
        .arg(input)
        .stdout(Stdio::null())
        .status()
        .expect("ogr2ogr runs");
    assert!(status.success());
}

fn convert_group(c: &mut Criterion) {
    let mut group = c.benchmark_group("convert");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let gdal = have_ogr2ogr();
    let folder = folder();
    for events in sizes() {
        let json = generated(&folder, GeneratedFormat::Json, events);
        let csv = generated(&folder, GeneratedFormat::Csv, events);
        let geojson = generated(&folder, GeneratedFormat::Geojson, events);
        let out_csv = folder.join("out.csv");
        let out_geojson = folder.join("out.geojson");
        // The app's own format to each target: the ≤ 2 s target at 1M.
        for (name, output) in [("json_to_csv", &out_csv), ("json_to_geojson", &out_geojson)] {
            group.bench_with_input(BenchmarkId::new(name, events), &json, |b, input| {
                b.iter(|| convert_once(input, output));
            });
        }
        // The same events from files GDAL reads too, ours and ogr2ogr's in the same run.
        for (name, input, output) in [
            ("geojson_to_csv", &geojson, &out_csv),
            ("csv_to_geojson", &csv, &out_geojson),
        ] {
            group.bench_with_input(BenchmarkId::new(name, events), input, |b, input| {
                b.iter(|| convert_once(input, output));
            });
            if gdal {
                let id = BenchmarkId::new(format!("{name}_gdal_ogr2ogr"), events);
                group.bench_with_input(id, input, |b, input| {
                    b.iter(|| ogr2ogr_once(input, output));
                });
            }
        }
        for path in [json, csv, geojson, out_csv, out_geojson] {
            std::fs::remove_file(path).ok();
        }
    }
    group.finish();
    std::fs::remove_dir_all(&folder).ok();
}

criterion_group!(benches, convert_group);
criterion_main!(benches);
