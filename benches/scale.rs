//! Scale benchmarks: load, frame, scrub and pick at 10k, 100k and 1M generated events.
//! Numbers and the command that made them: docs/benchmarks.md.
//!
//! `EVENT_ATLAS_BENCH_SIZES=10000,100000` limits the sizes (the 1M load takes a while).

// Set-up in benchmarks may unwrap: a failure there is a broken benchmark, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use egui::{Pos2, Rect, pos2, vec2};
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::map::clusters::{GridSources, Moment};
use event_atlas::map::{Basemap, MapCamera, MapPanel, Projector};
use event_atlas::model::EventSet;
use event_atlas::model::LonLat;
use event_atlas::model::calendar::DAY;
use event_atlas::model::projection::WorldPoint;
use event_atlas::state::ViewState;
use event_atlas::timeline::TimelinePanel;

// The allocator the app ships with (src/main.rs), so frames cost what they cost users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn sizes() -> Vec<usize> {
    std::env::var("EVENT_ATLAS_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000])
}

fn generated_bytes(events: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    event_atlas::generate::write_dataset(&mut bytes, events, 1).expect("generate");
    bytes
}

/// The generated dataset written to a file (for opening it the way users do).
fn generated_file(events: usize, bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("event-atlas-bench-{events}.json"));
    std::fs::write(&path, bytes).expect("write the generated file");
    path
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for events in sizes() {
        let bytes = generated_bytes(events);
        let path = generated_file(events, &bytes);
        group.throughput(criterion::Throughput::Bytes(bytes.len() as u64));
        // Read + parse + validate + index, from a file (in the page cache): what opening does.
        group.bench_with_input(BenchmarkId::new("event_atlas", events), &path, |b, path| {
            b.iter(|| black_box(event_atlas::io::load_path(path).expect("valid")));
        });
        // A generic parse that builds nothing we need, on bytes already in memory.
        group.bench_with_input(
            BenchmarkId::new("serde_json_value", events),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    black_box(serde_json::from_slice::<serde_json::Value>(bytes).expect("json"))
                });
            },
        );
        // Opening the file in the app up to the first whole frame: load, the map's and the
        // timeline's indexes, and the first frame (which builds the clusters).
        group.bench_with_input(
            BenchmarkId::new("open_to_first_frame", events),
            &path,
            |b, path| {
                b.iter_batched(
                    || {
                        (
                            egui::Context::default(),
                            EventAtlasApp::new(ViewState::default()),
                        )
                    },
                    |(ctx, mut app)| {
                        assert!(app.open_path(path));
                        frame_cost(&ctx, &mut app, raw_input());
                        (ctx, app)
                    },
                    criterion::BatchSize::PerIteration,
                );
            },
        );
        std::fs::remove_file(&path).ok();
    }
    group.finish();
}

/// The same generated events as a CSV table and as GeoJSON, opened in the app up to the first
/// whole frame, against GDAL reading the same file (`ogrinfo -al -q FILE`, its output thrown
/// away): what QGIS and most GIS tools read through. GDAL is skipped when `ogrinfo` is absent.
fn import(c: &mut Criterion) {
    use event_atlas::generate::{GeneratedFormat, write_in};
    let mut group = c.benchmark_group("import");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let have_gdal = std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    for events in sizes() {
        for (format, extension) in [
            (GeneratedFormat::Csv, "csv"),
            (GeneratedFormat::Geojson, "geojson"),
        ] {
            let path = std::env::temp_dir().join(format!("event-atlas-bench-{events}.{extension}"));
            let mut bytes = Vec::new();
            write_in(format, &mut bytes, events, 1).expect("generate");
            std::fs::write(&path, &bytes).expect("write the generated file");
            group.throughput(criterion::Throughput::Bytes(bytes.len() as u64));
            drop(bytes);
            group.bench_with_input(
                BenchmarkId::new(format!("{extension}_open_to_first_frame"), events),
                &path,
                |b, path| {
                    b.iter_batched(
                        || {
                            (
                                egui::Context::default(),
                                EventAtlasApp::new(ViewState::default()),
                            )
                        },
                        |(ctx, mut app)| {
                            assert!(app.open_path(path), "{:?}", app.problem);
                            frame_cost(&ctx, &mut app, raw_input());
                            (ctx, app)
                        },
                        criterion::BatchSize::PerIteration,
                    );
                },
            );
            if have_gdal {
                group.bench_with_input(
                    BenchmarkId::new(format!("{extension}_gdal_ogrinfo"), events),
                    &path,
                    |b, path| {
                        b.iter(|| {
                            let status = std::process::Command::new("ogrinfo")
                                .args(["-al", "-q"])
                                .arg(path)
                                .stdout(std::process::Stdio::null())
                                .status()
                                .expect("ogrinfo runs");
                            assert!(status.success());
                        });
                    },
                );
            }
            std::fs::remove_file(&path).ok();
        }
    }
    group.finish();
}

const SCREEN: [f32; 2] = [1400.0, 900.0];

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(SCREEN[0], SCREEN[1]))),
        ..Default::default()
    }
}

/// The real app on a generated dataset, with the playhead mid-range.
fn app_with(events: usize) -> (egui::Context, EventAtlasApp) {
    let ctx = egui::Context::default();
    let mut app = EventAtlasApp::new(ViewState::default());
    assert!(app.open_bytes(&generated_bytes(events), "bench.json"));
    let extent = app.dataset.extent.expect("extent");
    app.apply(Command::SetPlayhead((extent.start + extent.end) / 2));
    // Two frames: the first fits the map and the timeline.
    for _ in 0..2 {
        let _ = ctx.run_ui(raw_input(), |ui| app.ui(ui));
    }
    (ctx, app)
}

fn frame_cost(ctx: &egui::Context, app: &mut EventAtlasApp, input: egui::RawInput) {
    let output = ctx.run_ui(input, |ui| app.ui(ui));
    black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
}

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    for events in sizes() {
        let (ctx, mut app) = app_with(events);
        group.bench_function(BenchmarkId::new("zoomed_out", events), |b| {
            b.iter(|| frame_cost(&ctx, &mut app, raw_input()));
        });
        // Panning: the camera moves every frame.
        let mut step = 0.0f64;
        group.bench_function(BenchmarkId::new("panning", events), |b| {
            b.iter(|| {
                step += 1.0;
                if let Some(mut camera) = app.view.camera {
                    camera.center.x += (step % 20.0 - 10.0) * 1e-4;
                    app.apply(Command::SetCamera(camera));
                }
                frame_cost(&ctx, &mut app, raw_input());
            });
        });
        // Scrubbing: the playhead moves by a day every frame.
        let mut forward = true;
        group.bench_function(BenchmarkId::new("scrubbing", events), |b| {
            b.iter(|| {
                let t = app.view.time.playhead + if forward { DAY } else { -DAY };
                forward = !forward;
                app.apply(Command::SetPlayhead(t));
                frame_cost(&ctx, &mut app, raw_input());
            });
        });
        if let Some(camera) = app.view.camera {
            app.apply(Command::SetCamera(MapCamera {
                center: WorldPoint::from_lon_lat(LonLat::new(37.62, 55.75)),
                zoom: camera.zoom + 4.0,
            }));
        }
        let _ = ctx.run_ui(raw_input(), |ui| app.ui(ui));
        group.bench_function(BenchmarkId::new("zoomed_in", events), |b| {
            b.iter(|| frame_cost(&ctx, &mut app, raw_input()));
        });
        // The naive way, measured in the same run: every event handed to egui_plot each frame.
        let points: Vec<[f64; 2]> = app
            .dataset
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| [e.span.start as f64 / DAY as f64, (i % 6) as f64])
            .collect();
        let naive_ctx = egui::Context::default();
        group.bench_function(BenchmarkId::new("naive_plot_points", events), |b| {
            b.iter(|| {
                let output = naive_ctx.run_ui(raw_input(), |ui| {
                    egui_plot::Plot::new("naive").show(ui, |plot_ui| {
                        plot_ui.points(egui_plot::Points::new(
                            "all",
                            egui_plot::PlotPoints::new(points.clone()),
                        ));
                    });
                });
                black_box(naive_ctx.tessellate(output.shapes, output.pixels_per_point));
            });
        });
    }
    group.finish();
}

fn scrub_and_pick(c: &mut Criterion) {
    let mut group = c.benchmark_group("scrub_pick");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(3));
    let basemap = Basemap::builtin().expect("basemap");
    for events in sizes() {
        let loaded =
            event_atlas::io::parse_dataset(&generated_bytes(events), "bench.json").expect("valid");
        let dataset = loaded.dataset;
        let mut panel = MapPanel::new(basemap.clone(), &dataset);
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 600.0));
        let camera = panel.fit_camera(rect.size());
        let projector = Projector::new(camera, rect);
        let extent = dataset.extent.expect("extent");
        let middle = (extent.start + extent.end) / 2;
        let all = EventSet::all(dataset.events.len());
        let moment = |playhead| Moment {
            zoom: camera.zoom,
            playhead,
            window: 14 * DAY,
        };
        panel.clusters.update(
            &projector,
            moment(middle),
            &GridSources {
                columns: &panel.data.columns,
                time: &dataset.time_index,
                space: &panel.data.spatial,
                matches: &all,
                matches_generation: 0,
            },
        );
        let mut forward = true;
        group.bench_function(BenchmarkId::new("scrub_one_day", events), |b| {
            b.iter(|| {
                let t = if forward { middle + DAY } else { middle };
                forward = !forward;
                panel.clusters.update(
                    &projector,
                    moment(t),
                    &GridSources {
                        columns: &panel.data.columns,
                        time: &dataset.time_index,
                        space: &panel.data.spatial,
                        matches: &all,
                        matches_generation: 0,
                    },
                );
                black_box(panel.clusters.total());
            });
        });
        group.bench_function(BenchmarkId::new("pick_map", events), |b| {
            let mut x = 0.0f32;
            b.iter(|| {
                x = (x + 37.0) % 1000.0;
                black_box(panel.clusters.pick(&projector, pos2(x, 300.0)));
            });
        });
        let timeline = TimelinePanel::new(&dataset);
        let days = |s: i64| s as f64 / DAY as f64;
        let transform = egui_plot::PlotTransform::new(
            Rect::from_min_size(pos2(150.0, 600.0), vec2(1200.0, 220.0)),
            egui_plot::PlotBounds::from_min_max(
                [days(extent.start), timeline.bottom],
                [days(extent.end), 0.82],
            ),
            false,
        );
        // Click where events are drawn (the worst case: every lane hit-tested, none a histogram).
        let targets: Vec<Pos2> = (0..64)
            .filter_map(|k| {
                timeline.mark_position(&dataset, &transform, k * dataset.events.len() / 64)
            })
            .collect();
        group.bench_function(BenchmarkId::new("pick_timeline", events), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) % targets.len();
                black_box(timeline.event_at(&dataset, &transform, targets[k]));
            });
        });
    }
    group.finish();
}

criterion_group!(benches, scrub_and_pick, frame, load, import);
criterion_main!(benches);
