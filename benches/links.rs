//! Links benchmarks at 1M generated events (about 100,000 links, `generate --seed 1`): the map's
//! visible links (rebuilt for a new filter result, stepped as the playhead moves), the
//! selection's links, and whole headless frames with the links drawn or hidden, zoomed out and
//! zoomed in, so the layer's cost is the difference. Numbers: docs/benchmarks.md.
//!
//! `EVENT_ATLAS_BENCH_SIZES=100000` changes the size (default 1,000,000).

// Set-up in benchmarks may unwrap: a failure there is a broken benchmark, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use egui::{Pos2, Rect, vec2};
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::map::MapCamera;
use event_atlas::model::calendar::DAY;
use event_atlas::model::projection::WorldPoint;
use event_atlas::model::{EventSet, LonLat};
use event_atlas::state::{LinkDisplay, ViewState};

// The allocator the app ships with (src/main.rs), so frames cost what they cost users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn sizes() -> Vec<usize> {
    std::env::var("EVENT_ATLAS_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000_000])
}

const SCREEN: [f32; 2] = [1400.0, 900.0];

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(SCREEN[0], SCREEN[1]))),
        ..Default::default()
    }
}

/// The real app on a generated dataset (seed 1, as `event-atlas generate --seed 1` writes it).
fn app_with(events: usize) -> (egui::Context, EventAtlasApp) {
    let mut bytes = Vec::new();
    event_atlas::generate::write_dataset(&mut bytes, events, 1).expect("generate");
    let ctx = egui::Context::default();
    let mut app = EventAtlasApp::new(ViewState::default());
    assert!(app.open_bytes(&bytes, "bench.json"));
    // Two frames: the first fits the map and the timeline.
    for _ in 0..2 {
        let _ = ctx.run_ui(raw_input(), |ui| app.ui(ui));
    }
    (ctx, app)
}

fn frame_cost(ctx: &egui::Context, app: &mut EventAtlasApp) {
    let output = ctx.run_ui(raw_input(), |ui| app.ui(ui));
    black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
}

/// The visible links: a new filter result (a full pass over the placed links), a day of
/// scrubbing (an incremental step), and the selection's links.
fn visible(c: &mut Criterion) {
    let mut group = c.benchmark_group("links_visible");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(4));
    for events in sizes() {
        let (_ctx, app) = app_with(events);
        let dataset = &app.dataset;
        let links = &app.map_panel().data.links;
        let extent = dataset.extent.expect("extent");
        let middle = (extent.start + extent.end) / 2;
        let all = EventSet::all(dataset.events.len());
        println!(
            "{events} events: {} links, {} with a place at both ends, {} visible mid-range",
            dataset.links.len(),
            links.placed_count(),
            links.visible(dataset, &all, 0, middle).len()
        );
        let mut generation = 1_000;
        group.bench_function(BenchmarkId::new("new_filter_result", events), |b| {
            b.iter(|| {
                generation += 1;
                black_box(links.visible(dataset, &all, generation, middle).len())
            });
        });
        let mut forward = true;
        group.bench_function(BenchmarkId::new("scrub_one_day", events), |b| {
            b.iter(|| {
                let t = if forward { middle + DAY } else { middle };
                forward = !forward;
                black_box(links.visible(dataset, &all, generation, t).len())
            });
        });
        // The event with the most links (the generator's targets are random earlier events).
        let busiest = (0..dataset.events.len())
            .step_by(97)
            .max_by_key(|&i| links.of_event(dataset, i).count())
            .expect("events");
        group.bench_function(BenchmarkId::new("selection_links", events), |b| {
            b.iter(|| {
                links
                    .of_event(dataset, busiest)
                    .filter(|&l| links.is_visible(dataset, l, &all, middle))
                    .count()
            });
        });
        // The timeline's links with that event selected: past its walk limit it finds the
        // selection's incoming links in one pass over the links.
        group.bench_function(BenchmarkId::new("timeline_selection_links", events), |b| {
            b.iter(|| {
                let plan = event_atlas::timeline::links::timeline_links(
                    dataset,
                    |_| true,
                    extent,
                    Some(busiest),
                    LinkDisplay::All,
                );
                black_box(plan.links.len())
            });
        });
    }
    group.finish();
}

/// Whole frames, links hidden or shown: zoomed out and in at mid-range (too many links: only
/// the selection's are drawn), with an event selected, and early on (a few hundred drawn).
fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("links_frame");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    for events in sizes() {
        let (ctx, mut app) = app_with(events);
        let extent = app.dataset.extent.expect("extent");
        app.apply(Command::SetPlayhead((extent.start + extent.end) / 2));
        let busiest = (0..app.dataset.events.len())
            .step_by(97)
            .max_by_key(|&i| app.map_panel().data.links.of_event(&app.dataset, i).count())
            .expect("events");
        let fitted = app.view.camera;
        let zoomed_in = fitted.map(|camera| MapCamera {
            center: WorldPoint::from_lon_lat(LonLat::new(37.62, 55.75)),
            zoom: camera.zoom + 4.0,
        });
        for (zoom, camera) in [("zoomed_out", fitted), ("zoomed_in", zoomed_in)] {
            app.view.camera = camera;
            for display in [LinkDisplay::Hidden, LinkDisplay::All] {
                app.apply(Command::SetLinkDisplay(display));
                for selected in [None, Some(busiest)] {
                    app.apply(Command::Select(selected));
                    frame_cost(&ctx, &mut app);
                    let name = format!(
                        "{zoom}_{}{}",
                        if display == LinkDisplay::All {
                            "links"
                        } else {
                            "hidden"
                        },
                        if selected.is_some() { "_selected" } else { "" }
                    );
                    group.bench_function(BenchmarkId::new(name, events), |b| {
                        b.iter(|| frame_cost(&ctx, &mut app));
                    });
                }
            }
        }
        early_frames(&mut group, &ctx, &mut app, events, fitted);
    }
    group.finish();
}

/// Early in time, when a few hundred links are visible and every one is drawn: the playhead
/// is moved back until at most the map's limit are.
fn early_frames(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    ctx: &egui::Context,
    app: &mut EventAtlasApp,
    events: usize,
    fitted: Option<MapCamera>,
) {
    let extent = app.dataset.extent.expect("extent");
    app.view.camera = fitted;
    app.apply(Command::Select(None));
    let all = EventSet::all(app.dataset.events.len());
    let visible_at = |app: &EventAtlasApp, t| {
        app.map_panel()
            .data
            .links
            .visible(&app.dataset, &all, u64::MAX, t)
            .len()
    };
    let (mut early, mut late) = (extent.start, extent.end);
    while late - early > DAY {
        let middle = (early + late) / 2;
        if visible_at(app, middle) <= event_atlas::map::links::MAP_LINK_LIMIT {
            early = middle;
        } else {
            late = middle;
        }
    }
    println!("{} links visible early on", visible_at(app, early));
    app.apply(Command::SetPlayhead(early));
    for display in [LinkDisplay::Hidden, LinkDisplay::All] {
        app.apply(Command::SetLinkDisplay(display));
        frame_cost(ctx, app);
        let drawn = app.map_panel().data.links.drawn().links.len();
        println!("{display:?}: {drawn} links drawn");
        let name = if display == LinkDisplay::All {
            "early_all_drawn"
        } else {
            "early_hidden"
        };
        group.bench_function(BenchmarkId::new(name, events), |b| {
            b.iter(|| frame_cost(ctx, app));
        });
    }
}

criterion_group!(benches, visible, frames);
criterion_main!(benches);
