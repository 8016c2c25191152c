//! Scale properties: clusters conserve counts, picking finds what is drawn.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::{Pos2, Rect, vec2};
use event_atlas::map::clusters::{GridSources, Moment};
use event_atlas::map::{Basemap, MapCamera, MapPanel, Projector};
use event_atlas::model::EventSet;
use event_atlas::model::calendar::DAY;
use event_atlas::timeline::TimelinePanel;

fn generated(events: usize, seed: u64) -> event_atlas::model::Dataset {
    let mut bytes = Vec::new();
    event_atlas::generate::write_dataset(&mut bytes, events, seed).unwrap();
    event_atlas::io::parse_dataset(&bytes, "generated.json")
        .unwrap()
        .dataset
}

#[test]
fn clusters_conserve_counts_under_any_scrub_and_camera() {
    let dataset = generated(20_000, 3);
    let mut panel = MapPanel::new(Basemap::builtin().unwrap(), &dataset);
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 700.0));
    let fitted = panel.fit_camera(rect.size());
    let extent = dataset.extent.unwrap();
    // A filter lets two events of three through; the grid counts only those.
    let all = EventSet::from_indices(
        dataset.events.len(),
        (0..dataset.events.len()).filter(|i| i % 3 != 0),
    );
    let mut t = extent.start;
    for step in 0..60u64 {
        // A walk of small and large playhead moves, windows and zooms.
        let jump = match step % 4 {
            0 => DAY,
            1 => 17 * DAY,
            2 => -3 * DAY,
            _ => 200 * DAY,
        };
        t = (t + jump).clamp(extent.start, extent.end);
        let window = [DAY, 14 * DAY, 365 * DAY][(step % 3) as usize];
        let camera = MapCamera {
            zoom: fitted.zoom + (step % 5) as f64 * 0.5,
            ..fitted
        };
        let projector = Projector::new(camera, rect);
        panel.clusters.update(
            &projector,
            Moment {
                zoom: camera.zoom,
                playhead: t,
                window,
            },
            &GridSources {
                columns: &panel.data.columns,
                time: &dataset.time_index,
                space: &panel.data.spatial,
                matches: &all,
                matches_generation: 0,
            },
        );
        // Brute force over the grid's area: every placed event started by t, in full or faded.
        let covered = panel.clusters.total();
        let mut expected = 0u64;
        let (mut current, mut past) = (0u64, 0u64);
        let visible = projector.visible_world();
        for (i, event) in dataset.events.iter().enumerate() {
            let Some(world) = panel.data.columns.world[i] else {
                continue;
            };
            if event.span.start > t || i % 3 == 0 {
                continue;
            }
            expected += 1;
            if visible.contains(world.into()) {
                if event.span.end > t - window {
                    current += 1
                } else {
                    past += 1
                }
            }
        }
        assert!(
            covered <= expected,
            "step {step}: more in clusters than exist"
        );
        if camera.zoom == fitted.zoom {
            assert_eq!(
                covered, expected,
                "step {step}: fitted, the grid covers every event"
            );
        }
        // Marks reaching as far as their cell allows never overlap: each stays in its cell.
        let bins = panel
            .clusters
            .visible_bins(&projector, Rect::EVERYTHING, |_, room| room);
        for (i, a) in bins.iter().enumerate() {
            for b in &bins[i + 1..] {
                assert!(
                    a.at.distance(b.at) >= a.room + b.room - 1e-3,
                    "step {step}: clusters at {:?} and {:?} overlap",
                    a.at,
                    b.at
                );
            }
        }
        let drawn: (u64, u64) = bins.iter().fold((0, 0), |(c, p), visible| {
            (
                c + u64::from(visible.bin.current),
                p + u64::from(visible.bin.past),
            )
        });
        assert!(
            drawn.0 >= current && drawn.1 >= past,
            "step {step}: on-screen events all counted"
        );
    }
}

#[test]
fn timeline_pick_finds_the_mark_under_the_pointer() {
    let dataset = generated(20_000, 4);
    let timeline = TimelinePanel::new(&dataset);
    let extent = dataset.extent.unwrap();
    let days = |s: i64| s as f64 / DAY as f64;
    // Zoomed in on a month so marks stand apart.
    let from = (extent.start + extent.end) / 2;
    let transform = egui_plot::PlotTransform::new(
        Rect::from_min_size(Pos2::new(150.0, 600.0), vec2(1200.0, 300.0)),
        egui_plot::PlotBounds::from_min_max(
            [days(from), timeline.bottom],
            [days(from + 30 * DAY), 0.82],
        ),
        false,
    );
    let mut checked = 0;
    for (index, event) in dataset.events.iter().enumerate() {
        if !event.is_exact() || event.span.start < from || event.span.start > from + 30 * DAY {
            continue;
        }
        let at = timeline.mark_position(&dataset, &transform, index).unwrap();
        let picked = timeline
            .event_at(&dataset, &transform, at)
            .expect("a mark is under its own position");
        // Another mark may sit on the same spot; it must be as close.
        let picked_at = timeline
            .mark_position(&dataset, &transform, picked)
            .unwrap();
        assert!(picked_at.distance(at) < 8.0, "{index} -> {picked}");
        checked += 1;
    }
    assert!(checked > 20, "{checked}");
}
