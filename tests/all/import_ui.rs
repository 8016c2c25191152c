//! UI tests of importing other formats: the import dialog for a table whose columns are not
//! recognised, and an imported file's events, properties and row counts on screen.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use event_atlas::command::Command;

use crate::ui::{TestDir, harness};

/// Columns named in German: nothing is recognised by name, so the dialog asks.
const UNRECOGNISED: &str = "Wann;Breite;Laenge;Was;Art\n\
2024-03-22;55.8261;37.3928;Angriff auf die Crocus City Hall;Anschlag\n\
2024-03-07;54.51;36.26;Zelle in der Region Kaluga;Einsatz\n\
2024-03;;;Warnungen;Warnung\n";

/// Clicks the combo box of `role` in the import dialog, then the entry `column` in its list.
fn choose(
    harness: &mut egui_kittest::Harness<'_, event_atlas::EventAtlasApp>,
    role: usize,
    column: &str,
) {
    // The dialog's combo boxes (the timeline has its own) in the dialog's order, two a row: date, end date, latitude, longitude, title, category.
    let dialog = harness
        .get_by_label_contains("Choose the columns of")
        .rect();
    let mut combos: Vec<egui::Rect> = harness
        .get_all_by_role(Role::ComboBox)
        .map(|node| node.rect())
        .filter(|rect| dialog.contains(rect.center()))
        .collect();
    combos.sort_by(|a, b| (a.min.y, a.min.x).partial_cmp(&(b.min.y, b.min.x)).unwrap());
    let at = combos[role].center();
    harness
        .get_all_by_role(Role::ComboBox)
        .find(|node| node.rect().center() == at)
        .unwrap()
        .click();
    harness.run();
    // The list opens under its combo box, as wide as it: its entry is the node with that
    // label and that width (the preview's column header has the same label).
    let combo = combos[role];
    harness
        .get_all_by_label(column)
        .find(|node| {
            let entry = node.rect();
            entry.min.y >= combo.max.y - 1.0 && (entry.width() - combo.width()).abs() < 20.0
        })
        .unwrap()
        .click();
    harness.run();
}

#[test]
fn a_table_whose_columns_are_not_recognised_is_mapped_in_the_import_dialog() {
    let dir = TestDir::new("import-dialog");
    let path = dir.file("ereignisse.csv", UNRECOGNISED);
    let mut harness = harness();
    harness.run();
    harness.state_mut().apply(Command::OpenPath(path.clone()));
    harness.run();

    // The dialog shows what was found and the first rows; the built-in story stays open.
    assert_eq!(harness.state().dataset.events.len(), 14);
    assert!(harness.state().import_dialog.is_some());
    harness.get_by_label_contains("Choose the columns of ereignisse.csv");
    harness.get_by_label("Wann");
    harness.get_by_label("Zelle in der Region Kaluga");
    // The column whose cells read as dates is suggested; the place columns are not guessed.
    harness.get_by_label_contains("On the command line: --time Wann");

    choose(&mut harness, 2, "Breite");
    choose(&mut harness, 3, "Laenge");
    choose(&mut harness, 4, "Was");
    choose(&mut harness, 5, "Art");
    let choice = &harness.state().import_dialog.as_ref().unwrap().choice;
    assert_eq!(choice.time.as_deref(), Some("Wann"));
    assert_eq!(choice.lat.as_deref(), Some("Breite"));
    assert_eq!(choice.lon.as_deref(), Some("Laenge"));
    harness.get_by_label_contains("On the command line: --time Wann");

    harness.get_by_label("Open").click();
    harness.run();
    let app = harness.state();
    assert!(
        app.import_dialog.is_none(),
        "the dialog closes once the file opens"
    );
    assert_eq!(app.dataset.events.len(), 3);
    assert_eq!(app.dataset.located_count(), 2);
    let crocus = app
        .dataset
        .events
        .iter()
        .find(|e| e.title() == "Angriff auf die Crocus City Hall")
        .unwrap();
    assert_eq!(crocus.when_text(), "2024-03-22");
    let warnings = app
        .dataset
        .events
        .iter()
        .find(|e| e.title() == "Warnungen")
        .unwrap();
    assert_eq!(warnings.when_text(), "2024-03", "a month stays a month");
    let categories: Vec<&str> = app
        .dataset
        .categories
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(categories.len(), 3, "{categories:?}");
    harness.get_by_label_contains("3 of 3 rows became events");
}

#[test]
fn cancelling_the_import_dialog_keeps_the_data_on_screen() {
    let dir = TestDir::new("import-cancel");
    let path = dir.file("odd.csv", UNRECOGNISED);
    let mut harness = harness();
    harness.run();
    harness.state_mut().apply(Command::OpenPath(path));
    harness.run();
    assert!(harness.state().import_dialog.is_some());
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.state().import_dialog.is_none());
    assert_eq!(harness.state().dataset.events.len(), 14);
    assert!(harness.state().problem.is_none());
}

/// A USGS-style earthquake feed: `time` in epoch milliseconds, `mag`, `place`, `url`.
const QUAKES: &str = r#"{"type": "FeatureCollection",
 "metadata": {"title": "Test earthquakes"},
 "features": [
  {"type": "Feature", "id": "ci1",
   "properties": {"mag": 4.2, "place": "10 km NE of Ridgecrest, CA", "time": 1711065600000,
                  "url": "https://earthquake.usgs.gov/earthquakes/eventpage/ci1",
                  "title": "M 4.2 - 10 km NE of Ridgecrest, CA", "tsunami": 0},
   "geometry": {"type": "Point", "coordinates": [-117.6, 35.7, 8.1]}},
  {"type": "Feature", "id": "us2",
   "properties": {"mag": 6.1, "place": "Izu Islands, Japan", "time": 1711152000000,
                  "title": "M 6.1 - Izu Islands, Japan", "tsunami": 1},
   "geometry": {"type": "Point", "coordinates": [140.1, 32.4, 10.0]}},
  {"type": "Feature", "id": "us3",
   "properties": {"mag": 5.0, "place": "Off the coast", "time": 1711238400000,
                  "title": "M 5.0 - Off the coast", "tsunami": 0},
   "geometry": null}
 ]}"#;

#[test]
fn a_geojson_feed_opens_scrubs_and_shows_an_events_properties() {
    let dir = TestDir::new("import-geojson");
    let path = dir.file("quakes.geojson", QUAKES);
    let mut harness = harness();
    harness.run();
    harness.state_mut().apply(Command::OpenPath(path));
    harness.run();
    harness.run();
    let app = harness.state();
    assert!(app.problem.is_none(), "{:?}", app.problem);
    assert_eq!(app.dataset.events.len(), 3);
    assert_eq!(app.dataset.located_count(), 2);
    harness.get_by_label_contains("3 of 3 features became events");

    // Scrub back to the first quake's day: only it is on the map.
    let first = harness.state().dataset.events[0].span.start;
    harness.state_mut().apply(Command::SetPlayhead(first));
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "M 6.1 - Izu Islands, Japan")
            .is_none()
    );
    // Then to the end: both located quakes are there; click the Japanese one.
    let extent = harness.state().dataset.extent.unwrap();
    harness.state_mut().apply(Command::SetPlayhead(extent.end));
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "M 6.1 - Izu Islands, Japan")
        .click();
    harness.run();
    let selected = harness.state().selected.unwrap();
    assert_eq!(harness.state().dataset.events[selected].id(), "us2");
    // Its properties in the details panel, the date in words from the epoch milliseconds.
    harness.get_by_label_contains("23 March 2024");
    harness.get_by_label("From the file");
    harness.get_by_label("mag");
    harness.get_by_label("6.1");
    harness.get_by_label("tsunami");
}

#[test]
fn a_geojson_file_without_a_known_date_property_asks_for_it() {
    let dir = TestDir::new("import-geojson-dialog");
    let path = dir.file(
        "sightings.geojson",
        r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "A", "seen_on": "2024-03-01", "kind": "x"},
   "geometry": {"type": "Point", "coordinates": [10.0, 50.0]}},
  {"type": "Feature", "properties": {"name": "B", "seen_on": "2024-03", "kind": "y"},
   "geometry": {"type": "Point", "coordinates": [11.0, 51.0]}}]}"#,
    );
    let mut harness = harness();
    harness.run();
    harness.state_mut().apply(Command::OpenPath(path));
    harness.run();
    harness.get_by_label_contains("found properties: kind, name, seen_on");
    harness.get_by_label_contains("On the command line: --time seen_on");
    choose(&mut harness, 5, "kind");
    harness.get_by_label("Open").click();
    harness.run();
    let app = harness.state();
    assert!(app.import_dialog.is_none());
    assert_eq!(app.dataset.events.len(), 2);
    let month = app
        .dataset
        .events
        .iter()
        .find(|e| e.title() == "B")
        .unwrap();
    assert_eq!(month.when_text(), "2024-03");
    assert_eq!(app.dataset.categories.len(), 2);
}
