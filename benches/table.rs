//! The event table at a million generated events: sorting every row by each column, a frame
//! of the table scrolled to the middle (still, and scrolling), and building the sort keys (at
//! load). Numbers and the command that made them: docs/benchmarks.md.
//!
//! `EVENT_ATLAS_BENCH_SIZES=100000` changes the size (one size: the first given).

// Set-up in benchmarks may unwrap: a failure there is a broken benchmark, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use egui::{Pos2, Rect, vec2};
use event_atlas::model::Dataset;
use event_atlas::model::order::{EventLabels, READ_DETAILS_UP_TO, SortColumn, SortKeys, sort_rows};
use event_atlas::state::{TableColumn, TableSort};
use event_atlas::ui::table::{TableFrame, event_table_ui};

// The allocator the app ships with (src/main.rs), so frames cost what they cost users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SCREEN: [f32; 2] = [1400.0, 900.0];

fn size() -> usize {
    std::env::var("EVENT_ATLAS_BENCH_SIZES")
        .ok()
        .and_then(|s| s.split(',').find_map(|n| n.trim().parse().ok()))
        .unwrap_or(1_000_000)
}

/// The generated dataset, parsed from bytes in memory (its details stay in memory too).
fn generated(events: usize) -> Dataset {
    let mut bytes = Vec::new();
    event_atlas::generate::write_dataset(&mut bytes, events, 1).expect("generate");
    event_atlas::io::parse_dataset(&bytes, "bench.json")
        .expect("valid")
        .dataset
}

fn keys_of(dataset: &Dataset) -> SortKeys {
    SortKeys::new(dataset, EventLabels::region_codes(dataset), None, None)
}

/// Building the keys: at a million (the details are not read: named places, no actors), what
/// reading every event's details would add there, and the keys with that pass at the size up
/// to which it is made ([`READ_DETAILS_UP_TO`]).
fn building(c: &mut Criterion, dataset: &Dataset) {
    let events = dataset.events.len();
    let mut group = c.benchmark_group("table");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function(BenchmarkId::new("keys", events), |b| {
        b.iter(|| black_box(keys_of(dataset)));
    });
    group.bench_function(BenchmarkId::new("details_pass_one_thread", events), |b| {
        b.iter(|| {
            let details = dataset.all_details().unwrap();
            let mut named = 0;
            for index in 0..events {
                named += usize::from(details.get(index).unwrap().place_name.is_some());
            }
            black_box(named)
        });
    });
    if events > READ_DETAILS_UP_TO {
        let at_limit = generated(READ_DETAILS_UP_TO);
        group.bench_function(
            BenchmarkId::new("keys_reading_details", READ_DETAILS_UP_TO),
            |b| b.iter(|| black_box(keys_of(&at_limit))),
        );
    }
    group.finish();
}

/// Sorting every row (in time order, as the filter gives them) by each column.
fn sorting(c: &mut Criterion, keys: &SortKeys) {
    let events = keys.len();
    let rows: Vec<u32> = (0..events as u32).collect();
    let mut group = c.benchmark_group("table");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for column in TableColumn::ALL {
        for descending in [false, true] {
            let way = if descending {
                "descending"
            } else {
                "ascending"
            };
            let name = format!("sort_{}_{way}", column.label().to_lowercase());
            group.bench_function(BenchmarkId::new(name, events), |b| {
                b.iter_batched_ref(
                    || rows.clone(),
                    |rows| sort_rows(rows, SortColumn::from(column), descending, keys),
                    BatchSize::LargeInput,
                );
            });
        }
    }
    group.finish();
}

fn raw_input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(SCREEN[0], SCREEN[1]))),
        events,
        ..Default::default()
    }
}

/// One whole frame of the table filling the screen: layout, painting and tessellation.
fn table_frame(ctx: &egui::Context, frame: &TableFrame<'_>, events: Vec<egui::Event>) {
    let mut output = ctx.run_ui(raw_input(events), |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            black_box(event_table_ui(ui, frame));
        });
    });
    output.textures_delta.clear();
    black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
}

/// A frame of the table at every row, scrolled to the middle: still, and scrolling (new rows,
/// and their details, every frame).
fn frames(c: &mut Criterion, dataset: &Dataset, keys: &SortKeys) {
    let events = dataset.events.len();
    let mut rows: Vec<u32> = (0..events as u32).collect();
    sort_rows(&mut rows, SortColumn::Title, false, keys);
    let middle = rows.get(events / 2).map(|&row| row as usize);
    let frame = TableFrame {
        dataset,
        rows: &rows,
        sort: TableSort {
            column: TableColumn::Title,
            descending: false,
        },
        selected: middle,
        query: "gathered",
        keys,
        filtered: false,
    };
    let ctx = egui::Context::default();
    // The first frames scroll to the selected row (and settle the columns).
    for _ in 0..4 {
        table_frame(&ctx, &frame, Vec::new());
    }
    let mut group = c.benchmark_group("table");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.bench_function(BenchmarkId::new("frame_middle", events), |b| {
        b.iter(|| table_frame(&ctx, &frame, Vec::new()));
    });
    let pointer = egui::pos2(SCREEN[0] / 2.0, SCREEN[1] / 2.0);
    let mut down = true;
    let mut frames = 0u32;
    group.bench_function(BenchmarkId::new("frame_scrolling", events), |b| {
        b.iter(|| {
            // A page of rows a frame, down for a while, then back up.
            frames += 1;
            if frames.is_multiple_of(200) {
                down = !down;
            }
            let delta = if down { -800.0 } else { 800.0 };
            let scroll = vec![
                egui::Event::PointerMoved(pointer),
                egui::Event::MouseWheel {
                    unit: egui::MouseWheelUnit::Point,
                    delta: vec2(0.0, delta),
                    modifiers: egui::Modifiers::NONE,
                    phase: egui::TouchPhase::Move,
                    source: egui::MouseWheelSource::Wheel,
                },
            ];
            table_frame(&ctx, &frame, scroll);
        });
    });
    group.finish();
}

fn table(c: &mut Criterion) {
    let dataset = generated(size());
    let keys = keys_of(&dataset);
    sorting(c, &keys);
    frames(c, &dataset, &keys);
    building(c, &dataset);
}

criterion_group!(benches, table);
criterion_main!(benches);
