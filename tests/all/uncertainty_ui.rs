//! Uncertainty you can see: what a date or a place leaves unknown is said on hover and in the
//! details, marked in the table, explained in the map's legend; place precision comes from
//! ACLED and GDELT codes and survives an export.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::io::{load_path, parse_dataset, write::write_dataset};
use event_atlas::model::{Dataset, PlacePrecision};

use crate::ui::{TestDir, harness, index_of};

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Tooltips without their usual delay, so that one hover and a few frames show them.
fn without_tooltip_delay(harness: &mut Harness<'_, EventAtlasApp>) {
    harness
        .ctx
        .all_styles_mut(|style| style.interaction.tooltip_delay = 0.0);
}

fn hover_mark(harness: &mut Harness<'_, EventAtlasApp>, id: &str) {
    let index = index_of(harness, id);
    let at = harness.state().timeline_mark_position(index).unwrap();
    harness.hover_at(at);
    for _ in 0..3 {
        harness.run();
    }
    assert_eq!(harness.state().hover.this_frame(), Some(index), "{id}");
}

#[test]
fn hovering_a_range_or_a_month_on_the_timeline_says_what_the_date_leaves_unknown() {
    let mut harness = harness();
    without_tooltip_delay(&mut harness);
    harness.run();
    hover_mark(&mut harness, "us-intel-since-november");
    harness.get_by_label("between November 2023 and 22 March 2024 — the exact dates are not given");
    hover_mark(&mut harness, "us-embassy-alert");
    harness.get_by_label_contains("— the day is not given");
    // Selected, the details panel says it too.
    let range = index_of(&harness, "us-intel-since-november");
    harness.state_mut().apply(Command::Select(Some(range)));
    harness.remove_cursor();
    harness.run();
    harness.get_by_label("— the exact dates are not given");
}

#[test]
fn the_legend_explains_the_date_and_place_marks() {
    let mut harness = harness();
    harness.run();
    for label in [
        "Dates",
        "known to the day",
        "month, year or a span",
        "approximate or uncertain (~ ?)",
        "Place",
        "exact place",
        "known to the city or town",
        "only the region is known",
    ] {
        harness.get_by_label(label);
    }
}

#[test]
fn on_a_small_map_the_date_and_place_keys_fold_and_open_with_a_click() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(800.0, 600.0))
        .build_ui_state(
            |ui, app: &mut EventAtlasApp| app.ui(ui),
            EventAtlasApp::new(event_atlas::state::ViewState::default()),
        );
    harness.run();
    assert!(harness.query_by_label("known to the day").is_none());
    harness.get_by_label("Dates and places").click();
    harness.run();
    harness.get_by_label("known to the day");
    harness.get_by_label("only the region is known");
}

const QUALIFIED: &str = r#"{"title": "Qualified dates",
  "places": [{"id": "town", "name": "Town", "lat": 50, "lon": 30, "precision": "city"}],
  "events": [
    {"id": "about", "title": "About the fifteenth", "when": "2024-03-15~", "where": "town"},
    {"id": "unsure", "title": "Perhaps the twentieth", "when": "2024-03-20?",
     "where": {"lat": 51, "lon": 31, "precision": "region"}},
    {"id": "sure", "title": "Surely the twenty-second", "when": "2024-03-22",
     "where": {"lat": 52, "lon": 32}}
  ]}"#;

#[test]
fn the_table_marks_approximate_and_uncertain_dates_and_says_them_in_words() {
    let dir = TestDir::new("qualified-table");
    let path = dir.file("qualified.json", QUALIFIED);
    let mut harness = harness();
    without_tooltip_delay(&mut harness);
    assert!(harness.state_mut().open_path(&path));
    harness.run();
    harness.state_mut().apply(Command::ToggleTable);
    harness.run();
    let approximate = harness.get_by_label("2024-03-15~");
    harness.get_by_label("2024-03-20?");
    harness.get_by_label("2024-03-22");
    approximate.hover();
    for _ in 0..3 {
        harness.run();
    }
    harness.get_by_label("about 15 March 2024 — the date is approximate");
    harness.get_by_label("2024-03-20?").hover();
    for _ in 0..3 {
        harness.run();
    }
    harness.get_by_label("20 March 2024, uncertain — the date is uncertain");
}

#[test]
fn the_details_say_how_precisely_the_place_is_known() {
    let dir = TestDir::new("place-precision-details");
    let path = dir.file("qualified.json", QUALIFIED);
    let mut harness = harness();
    assert!(harness.state_mut().open_path(&path));
    harness.run();
    let about = index_of(&harness, "about");
    harness.state_mut().apply(Command::Select(Some(about)));
    harness.run();
    harness.get_by_label_contains("Town (50.0000° N, 30.0000° E) — place known to the city");
    let unsure = index_of(&harness, "unsure");
    harness.state_mut().apply(Command::Select(Some(unsure)));
    harness.run();
    harness.get_by_label_contains("— only the region is known");
    let sure = index_of(&harness, "sure");
    harness.state_mut().apply(Command::Select(Some(sure)));
    harness.run();
    // An exact point says nothing more (the legend's "only the region is known" stays).
    harness.get_by_label("52.0000° N, 32.0000° E");
    assert!(harness.query_by_label_contains("E) —").is_none());
    assert!(harness.query_by_label_contains("° E —").is_none());
}

fn precision_of(dataset: &Dataset, id: &str) -> PlacePrecision {
    let index = dataset.find(id).unwrap_or_else(|| panic!("no event {id}"));
    dataset.events[index].place_known()
}

/// Written as Event Atlas JSON and read back.
fn exported(dataset: &Dataset) -> Dataset {
    let mut bytes = Vec::new();
    write_dataset(&mut bytes, dataset).unwrap();
    parse_dataset(&bytes, "exported.json").unwrap().dataset
}

#[test]
fn acled_geo_precision_and_gdelt_action_geo_type_become_place_precision_and_are_exported() {
    let acled = load_path(&data("csv/acled_style.csv")).unwrap().dataset;
    assert_eq!(precision_of(&acled, "XYZ1"), PlacePrecision::Exact);
    assert_eq!(precision_of(&acled, "XYZ2"), PlacePrecision::City);
    assert_eq!(precision_of(&acled, "XYZ3"), PlacePrecision::Region);
    let again = exported(&acled);
    for id in ["XYZ1", "XYZ2", "XYZ3"] {
        assert_eq!(precision_of(&again, id), precision_of(&acled, id), "{id}");
    }
    // GDELT: type 4 is a world city.
    let gdelt = load_path(&data("csv/gdelt2_style.csv")).unwrap().dataset;
    let consult = gdelt
        .events
        .iter()
        .find(|event| event.title() == "Consult: GOVERNMENT → JOURNALIST")
        .unwrap();
    assert_eq!(consult.place_known(), PlacePrecision::City);
    let again = exported(&gdelt);
    assert_eq!(
        precision_of(&again, consult.id()),
        PlacePrecision::City,
        "kept by the export"
    );
}
