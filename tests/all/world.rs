//! The world basemap in the app: a dataset anywhere on Earth opens framed on its events, and
//! its regions resolve worldwide.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use event_atlas::model::LonLat;
use event_atlas::model::projection::{WorldPoint, scale_at_zoom};
use event_atlas::state::ViewState;

use crate::ui::harness_with;

fn world(lon: f64, lat: f64) -> WorldPoint {
    WorldPoint::from_lon_lat(LonLat::new(lon, lat))
}

/// The screen centres (x) of the map's marks of the dataset in `tests/data/world.json`.
fn mark_centres(harness: &egui_kittest::Harness<'_, event_atlas::EventAtlasApp>) -> Vec<f32> {
    let marks = [
        "Cluster of",
        "Los Angeles",
        "Santa Monica",
        "California",
        "Tokyo",
        "Shinjuku",
    ];
    harness
        .query_all_by_role(Role::Button)
        .filter(|node| {
            let label = node.accesskit_node().label().unwrap_or_default();
            marks.iter().any(|mark| label.contains(mark))
        })
        .map(|node| node.rect().center().x)
        .collect()
}

#[test]
fn a_dataset_in_los_angeles_and_tokyo_opens_framed_on_them() {
    let mut harness = harness_with(ViewState::default());
    harness.run();
    assert!(
        harness
            .state_mut()
            .open_path(Path::new("tests/data/world.json"))
    );
    harness.run();
    let camera = harness
        .state()
        .view
        .camera
        .expect("the map frames the events");
    // Centred between the two cities (the map does not wrap: the middle is over Europe).
    let los_angeles = world(-118.2437, 34.0522);
    let tokyo = world(139.7671, 35.6938);
    let middle = (los_angeles.x + tokyo.x) / 2.0;
    assert!((camera.center.x - middle).abs() < 0.02, "{camera:?}");
    assert!(
        (camera.center.lon_lat().lat - 35.0).abs() < 3.0,
        "{camera:?}"
    );
    // As close as both allow: a map a few hundred to 1400 points wide shows them both and
    // less than the whole world.
    let shown_width = |map_width: f64| map_width / scale_at_zoom(camera.zoom);
    assert!(shown_width(1400.0) > tokyo.x - los_angeles.x, "{camera:?}");
    assert!(shown_width(700.0) < 1.0, "{camera:?}");
    // Both cities' marks are on screen, far apart.
    let centres = mark_centres(&harness);
    assert!(centres.len() >= 2, "{centres:?}");
    let west = centres.iter().copied().fold(f32::INFINITY, f32::min);
    let east = centres.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    assert!(east - west > 400.0, "{centres:?}");
    // The two region-only events are on the map too: US-CA and JP-13 resolve.
    harness.get_by_label_contains("6 shown on the map / 6 events");
}

#[test]
fn events_on_every_continent_show_the_whole_world() {
    let mut harness = harness_with(ViewState::default());
    harness.run();
    assert!(
        harness
            .state_mut()
            .open_path(Path::new("tests/data/world-continents.json"))
    );
    harness.run();
    let camera = harness
        .state()
        .view
        .camera
        .expect("the map frames the events");
    assert_eq!(camera.center.x, 0.5, "{camera:?}");
    // The whole world's width is the map's width.
    let map_width = scale_at_zoom(camera.zoom);
    assert!((500.0..1400.0).contains(&map_width), "{camera:?}");
    for city in [
        "Honolulu",
        "São Paulo",
        "London",
        "Nairobi",
        "Tokyo",
        "Auckland",
    ] {
        let title = format!("Event in {city}");
        assert!(
            harness
                .query_by_role_and_label(Role::Button, &title)
                .is_some(),
            "{title} is on the map"
        );
    }
}
