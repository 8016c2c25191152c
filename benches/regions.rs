//! Regions and density benchmarks: building the region locator, locating every event of the
//! generated dataset, a frame of the choropleth over the world's regions, and frames of the
//! density layer. Numbers and the command that made them: docs/benchmarks.md.
//!
//! `EVENT_ATLAS_BENCH_SIZES=100000` changes the dataset's size (1,000,000 by default).

// Set-up in benchmarks may unwrap: a failure there is a broken benchmark, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use egui::{Pos2, Rect};
use event_atlas::map::basemap::RegionLocator;
use event_atlas::map::layers::choropleth::{ChoroplethFrame, MapPointer, choropleth_ui};
use event_atlas::map::layers::density::{
    DensityBins, DensityInput, ShownEvents, WindowAt, density_ui,
};
use event_atlas::map::{Basemap, MapCamera, MapData, Projector};
use event_atlas::model::calendar::DAY;
use event_atlas::model::projection::WorldPoint;
use event_atlas::model::{Dataset, EventSet, LonLat};

// The allocator the app ships with (src/main.rs), so frames cost what they cost users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MAP: Rect = Rect::from_min_max(Pos2::ZERO, Pos2::new(1400.0, 900.0));

fn sizes() -> Vec<usize> {
    std::env::var("EVENT_ATLAS_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000_000])
}

fn generated(events: usize) -> Dataset {
    let mut bytes = Vec::new();
    event_atlas::generate::write_dataset(&mut bytes, events, 1).expect("generate");
    event_atlas::io::parse_dataset(&bytes, "bench.json")
        .expect("valid")
        .dataset
}

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(MAP),
        ..Default::default()
    }
}

/// One frame of `draw` in `ctx`, tessellated as the app's frames are.
fn frame_cost(ctx: &egui::Context, mut draw: impl FnMut(&mut egui::Ui)) {
    let output = ctx.run_ui(raw_input(), |ui| draw(ui));
    black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
}

fn camera(lon: f64, lat: f64, zoom: f64) -> MapCamera {
    MapCamera {
        center: WorldPoint::from_lon_lat(LonLat::new(lon, lat)),
        zoom,
    }
}

fn locate(c: &mut Criterion, basemap: &Basemap, datasets: &[Dataset]) {
    let mut group = c.benchmark_group("regions");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("build_locator", |b| {
        b.iter(|| black_box(RegionLocator::new(basemap)));
    });
    let locator = RegionLocator::new(basemap);
    for dataset in datasets {
        let points: Vec<Option<LonLat>> = dataset
            .events
            .iter()
            .map(|event| event.location.point())
            .collect();
        group.throughput(criterion::Throughput::Elements(points.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("locate_all", points.len()),
            &points,
            |b, points| b.iter(|| black_box(locator.locate_all(points))),
        );
    }
    group.finish();
}

/// A frame of the choropleth with every region of the world holding events, at three views:
/// the whole world, Europe, and Moscow close up.
fn choropleth(c: &mut Criterion, basemap: &Basemap) {
    let mut group = c.benchmark_group("choropleth_frame");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    let locator = RegionLocator::new(basemap);
    let counts: Vec<u32> = (0..basemap.regions.len())
        .map(|n| 1 + (n as u32 * 7919) % 3000)
        .collect();
    let ctx = egui::Context::default();
    for (name, camera) in [
        ("world", camera(10.0, 20.0, 2.45)),
        ("europe", camera(30.0, 52.0, 4.5)),
        ("moscow", camera(37.6, 55.7, 7.0)),
    ] {
        let projector = Projector::new(camera, MAP);
        let pointer = MapPointer {
            hover: Some(projector.screen_from_world(camera.center)),
            clicked: false,
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                frame_cost(&ctx, |ui| {
                    let painter = ui.painter_at(MAP);
                    let frame = ChoroplethFrame {
                        painter: &painter,
                        projector: &projector,
                        basemap,
                        locator: &locator,
                        counts: &counts,
                        pointer,
                        legend_title: "Events in the window",
                    };
                    let response = choropleth_ui(ui, &frame);
                    black_box(response.hovered);
                });
            });
        });
    }
    group.finish();
}

/// Density frames over the generated dataset, framed whole: counting from nothing (a 14-day
/// window; cumulative, framed whole and over Moscow), a frame with nothing changed, and
/// scrubbing a day per frame.
fn density(c: &mut Criterion, basemap: &Basemap, datasets: &[Dataset]) {
    let mut group = c.benchmark_group("density_frame");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    for dataset in datasets {
        let events = dataset.events.len();
        let data = MapData::new(basemap, dataset);
        let matches = EventSet::all(events);
        let projector = Projector::new(MapCamera::fit(data.bounds, MAP.size()), MAP);
        let extent = dataset.extent.expect("extent");
        let middle = (extent.start + extent.end) / 2;
        let input = |at: WindowAt| DensityInput {
            world: &data.columns.world,
            shown: ShownEvents {
                matches: &matches,
                time: &dataset.time_index,
                at,
            },
        };
        let window = WindowAt {
            playhead: middle,
            window: 14 * DAY,
        };
        let cumulative = WindowAt {
            playhead: extent.end,
            window: extent.end - extent.start + DAY,
        };
        let ctx = egui::Context::default();
        let mut bins = DensityBins::default();
        let moscow = Projector::new(camera(37.6, 55.7, 9.0), MAP);
        let draw = |bins: &mut DensityBins, at: WindowAt, projector: &Projector| {
            frame_cost(&ctx, |ui| {
                let painter = ui.painter_at(MAP);
                let hover = Some(MAP.center());
                black_box(density_ui(ui, &painter, projector, bins, &input(at), hover));
            });
        };
        for (name, at, view) in [
            ("rebuild_window", window, &projector),
            ("rebuild_cumulative", cumulative, &projector),
            ("rebuild_cumulative_moscow", cumulative, &moscow),
        ] {
            group.bench_function(BenchmarkId::new(name, events), |b| {
                b.iter(|| {
                    bins.invalidate();
                    draw(&mut bins, at, view);
                });
            });
        }
        group.bench_function(BenchmarkId::new("unchanged", events), |b| {
            draw(&mut bins, window, &projector);
            b.iter(|| draw(&mut bins, window, &projector));
        });
        let mut forward = true;
        group.bench_function(BenchmarkId::new("scrub_one_day", events), |b| {
            b.iter(|| {
                let playhead = if forward { middle + DAY } else { middle };
                forward = !forward;
                draw(&mut bins, WindowAt { playhead, ..window }, &projector);
            });
        });
        let empty = egui::Context::default();
        group.bench_function(BenchmarkId::new("empty_frame", events), |b| {
            b.iter(|| {
                frame_cost(&empty, |ui| {
                    black_box(ui.painter_at(MAP).clip_rect());
                })
            });
        });
    }
    group.finish();
}

fn regions(c: &mut Criterion) {
    let basemap = Basemap::builtin().expect("basemap");
    let datasets: Vec<Dataset> = sizes().into_iter().map(generated).collect();
    locate(c, &basemap, &datasets);
    choropleth(c, &basemap);
    density(c, &basemap, &datasets);
}

criterion_group!(benches, regions);
criterion_main!(benches);
