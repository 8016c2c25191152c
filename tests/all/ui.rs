//! UI tests that drive the real app through egui_kittest: clicks, drags, keys and file drops.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use event_atlas::EventAtlasApp;
use event_atlas::action::{Action, ActionContext, escape_command};
use event_atlas::command::Command;
use event_atlas::io::{LoadError, LoadProgress, Loaded};
use event_atlas::model::calendar::{DAY, days_from_civil};
use event_atlas::state::RecentFiles;
use event_atlas::state::ViewState;
use event_atlas::ui::menu::{Entry, MENUS, menu_bar_ui};

const CROCUS: &str = "Attack on Crocus City Hall";
const KALUGA: &str = "Vilayat Khorasan cell neutralised in the Kaluga region";

/// How long a background load may take before a test fails (a 100k-event file takes about a
/// second on a laptop; test threads share the CPU).
const LOAD_DEADLINE: Duration = Duration::from_secs(120);

pub(crate) fn harness() -> Harness<'static, EventAtlasApp> {
    harness_with(ViewState::default())
}

pub(crate) fn harness_with(view: ViewState) -> Harness<'static, EventAtlasApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut EventAtlasApp| app.ui(ui),
            EventAtlasApp::new(view),
        )
}

fn day(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d) * DAY
}

pub(crate) fn index_of(harness: &Harness<'_, EventAtlasApp>, id: &str) -> usize {
    harness.state().dataset.find(id).expect(id)
}

/// eframe's storage kept in memory, as eframe keeps it in a file.
#[derive(Default)]
pub(crate) struct MemoryStorage(pub(crate) std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// A directory of one test's own, removed with its files when the test ends, even when it
/// fails: no two tests (or two runs) share a file.
pub(crate) struct TestDir(PathBuf);

impl TestDir {
    pub(crate) fn new(test: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "event-atlas-ui-{}-{unique}-{test}",
            std::process::id()
        ));
        // `create_dir`, not `create_dir_all`: an existing directory is someone else's.
        std::fs::create_dir(&path).unwrap();
        Self(path)
    }

    /// The directory itself.
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.0
    }

    pub(crate) fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// The generated 100,000-event dataset, as a file in this directory.
    fn generated(&self) -> PathBuf {
        self.file("generated-100000.json", generated_bytes())
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let removed = std::fs::remove_dir_all(&self.0);
        // Panicking while a failed test unwinds would abort and hide its message.
        if let Err(error) = removed
            && !std::thread::panicking()
        {
            panic!("could not remove {}: {error}", self.0.display());
        }
    }
}

/// A generated dataset of 100,000 events (about 35 MB), made once per test process in memory.
fn generated_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut bytes = Vec::new();
        event_atlas::generate::write_dataset(&mut bytes, 100_000, 42).unwrap();
        bytes
    })
}

/// Waits (bounded) for the file opening in the background, then draws the result.
fn finish_loading(harness: &mut Harness<'_, EventAtlasApp>) {
    assert!(
        harness.state_mut().wait_for_loading(LOAD_DEADLINE),
        "loading did not finish within {LOAD_DEADLINE:?}"
    );
    harness.run();
}

fn zoom(harness: &Harness<'_, EventAtlasApp>) -> f64 {
    harness
        .state()
        .view
        .camera
        .expect("the map has a camera")
        .zoom
}

#[test]
fn opens_on_the_builtin_crocus_story() {
    let mut harness = harness();
    harness.run();
    let app = harness.state();
    assert_eq!(
        app.dataset.title,
        "Run-up to the Crocus City Hall attack (March 2024)"
    );
    assert_eq!(app.dataset.events.len(), 14);
    // Opens with the playhead at the end: every placed event is on the map.
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, KALUGA)
            .is_some()
    );
    harness.get_by_label("File");
    harness.get_by_label_contains("shown on the map / 14 events");
}

#[test]
fn clicking_the_crocus_marker_shows_its_details() {
    let mut harness = harness();
    harness.run();
    harness.get_by_role_and_label(Role::Button, CROCUS).click();
    harness.run();
    let crocus = index_of(&harness, "crocus-attack");
    assert_eq!(harness.state().selected, Some(crocus));
    // The details panel: date with its precision, place, and the quote from the article.
    harness.get_by_label("22 March 2024");
    harness.get_by_label_contains("exact day");
    harness.get_by_label_contains("Crocus City Hall, Krasnogorsk");
    harness.get_by_label_contains("Gunmen attacked the Crocus City Hall near Moscow on Friday");
    // Esc clears the selection.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(harness.state().selected, None);
}

#[test]
fn playhead_on_10_march_hides_crocus_and_shows_kaluga() {
    let mut harness = harness();
    harness.run();
    harness
        .state_mut()
        .apply(Command::SetPlayhead(day(2024, 3, 10)));
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_none()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, KALUGA)
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(
                Role::Button,
                "Six ISIS members killed in counter-terrorist operation in Karabulak"
            )
            .is_some()
    );
    // Back to the end: the attack appears.
    harness.key_press(egui::Key::End);
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_some()
    );
}

#[test]
fn dragging_the_scrub_bar_moves_the_playhead_and_the_map_follows() {
    let mut harness = harness();
    harness.run();
    let extent = harness.state().dataset.extent.unwrap();
    let bar = harness.get_by_label("Playhead").rect();
    let end = bar.right_center() - egui::vec2(2.0, 0.0);
    let start = bar.left_center() + egui::vec2(2.0, 0.0);
    harness.hover_at(end);
    harness.run();
    harness.drag_at(end);
    harness.run();
    for step in 1..=10 {
        harness.hover_at(end + (start - end) * (step as f32 / 10.0));
        harness.run();
    }
    harness.drop_at(start);
    harness.run();
    let playhead = harness.state().view.time.playhead;
    assert!(
        playhead < extent.start + 10 * DAY,
        "playhead {playhead} near the start {}",
        extent.start
    );
    // At the start nothing that happens in March 2024 is on the map.
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_none()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, KALUGA)
            .is_none()
    );
}

#[test]
fn arrow_keys_step_the_selection_through_events_in_time_order() {
    let mut harness = harness();
    harness.run();
    harness.key_press(egui::Key::Home);
    harness.run();
    let start = harness.state().view.time.playhead;
    assert_eq!(Some(start), harness.state().dataset.extent.map(|e| e.start));
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    let first = harness.state().selected.expect("a selection after →");
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    let second = harness.state().selected.unwrap();
    assert_eq!(second, first + 1);
    let second_start = harness.state().dataset.events[second].span.start;
    assert_eq!(harness.state().view.time.playhead, second_start.max(start));
    harness.key_press(egui::Key::ArrowLeft);
    harness.run();
    assert_eq!(harness.state().selected, Some(first));
    // Stepping onto Kaluga puts it on the map and in the details panel.
    let kaluga = index_of(&harness, "kaluga-cell");
    for _ in 0..harness.state().dataset.events.len() {
        if harness.state().selected == Some(kaluga) {
            break;
        }
        harness.key_press(egui::Key::ArrowRight);
        harness.run();
    }
    assert_eq!(harness.state().selected, Some(kaluga), "→ reaches Kaluga");
    harness.get_by_label_contains("written 2024-03-07");
    assert!(
        harness
            .query_by_role_and_label(Role::Button, KALUGA)
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_none()
    );
}

#[test]
fn a_bad_file_leaves_the_previous_data_loaded_and_explains_why() {
    let dir = TestDir::new("bad-file");
    let mut harness = harness();
    harness.run();
    let bad = dir.file(
        "bad.json",
        "{\n  \"title\": \"Bad\",\n  \"events\": [\n    {\"id\": \"a\", \"title\": \"A\", \"when\": \"2024-02-30\"}\n  ]\n}\n",
    );
    assert!(!harness.state_mut().open_path(&bad));
    harness.run();
    let app = harness.state();
    assert_eq!(
        app.dataset.events.len(),
        14,
        "the Crocus story is still open"
    );
    assert!(app.problem.is_some());
    harness.get_by_label_contains("Could not open");
    harness.get_by_label_contains("bad.json:4:");
    harness.get_by_label_contains("day 30 does not exist");
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.state().problem.is_none());
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_some()
    );

    // A half-written file (as during a save) is refused the same way.
    let half = dir.file(
        "half.json",
        "{\"title\": \"Half\", \"events\": [{\"id\": \"a\"",
    );
    assert!(!harness.state_mut().open_path(&half));
    harness.run();
    harness.get_by_label_contains("ends too early");
    assert_eq!(harness.state().dataset.events.len(), 14);
}

#[derive(Debug)]
struct TestDrop(std::path::PathBuf);

impl egui::DroppedFile for TestDrop {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_good_file_opens_it_and_reload_picks_up_changes() {
    let dir = TestDir::new("drop");
    let mut harness = harness();
    harness.run();
    let good = dir.file(
        "good.json",
        r#"{"title": "Two events", "events": [
            {"id": "one", "title": "First", "when": "2020-01-02", "where": {"lat": 59.93, "lon": 30.31}},
            {"id": "two", "title": "Second", "when": "2020-02"}
        ]}"#,
    );
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(TestDrop(good.clone())));
    harness.run();
    assert_eq!(harness.state().dataset.title, "Two events");
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "First")
            .is_some()
    );
    harness.get_by_label_contains("1 shown on the map / 2 events / 1 without a place");

    // Rewrite the file; Ctrl+R reloads it.
    std::fs::write(
        &good,
        r#"{"title": "Two events", "events": [
            {"id": "one", "title": "First again", "when": "2020-01-02", "where": {"lat": 59.93, "lon": 30.31}}
        ]}"#,
    )
    .unwrap();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::R);
    harness.run();
    assert_eq!(harness.state().dataset.events.len(), 1);
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "First again")
            .is_some()
    );

    // Half-written on reload: the last good data stays.
    std::fs::write(&good, r#"{"title": "Two events", "events": [{"id": "#).unwrap();
    harness.key_press(egui::Key::F5);
    harness.run();
    assert_eq!(harness.state().dataset.events[0].title(), "First again");
    assert!(harness.state().problem.is_some());
}

#[test]
fn help_overlay_opens_with_f1_and_closes_with_escape() {
    let mut harness = harness();
    harness.run();
    assert!(harness.query_by_label("Keyboard shortcuts").is_none());
    harness.key_press(egui::Key::F1);
    harness.run();
    assert!(harness.state().help_open);
    harness.get_by_label("Play / pause");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!harness.state().help_open);
}

#[test]
fn space_plays_and_pauses() {
    let mut harness = harness();
    harness.run();
    harness.key_press(egui::Key::Home);
    harness.run();
    let before = harness.state().view.time.playhead;
    harness.key_press(egui::Key::Space);
    harness.run_steps(5);
    assert!(harness.state().view.time.playing);
    assert!(harness.state().view.time.playhead > before);
    harness.key_press(egui::Key::Space);
    harness.run_steps(2);
    assert!(!harness.state().view.time.playing);
}

#[test]
fn linked_events_are_clickable_in_the_details() {
    let mut harness = harness();
    harness.run();
    let kaluga = index_of(&harness, "kaluga-cell");
    harness.state_mut().apply(Command::Select(Some(kaluga)));
    harness.run();
    harness
        .get_by_role_and_label(
            Role::Link,
            "Planned attack on a synagogue in Moscow (foiled)",
        )
        .click();
    harness.run();
    assert_eq!(
        harness.state().selected,
        Some(index_of(&harness, "moscow-synagogue-plot"))
    );
}

#[test]
fn clicking_a_mark_on_the_timeline_selects_it_everywhere() {
    let mut harness = harness();
    harness.run();
    let karabulak = index_of(&harness, "karabulak-operation");
    let at = harness.state().timeline_mark_position(karabulak).unwrap();
    harness.hover_at(at);
    harness.run();
    assert_eq!(
        harness.state().hover.this_frame(),
        Some(karabulak),
        "hover highlights in both views"
    );
    harness.drag_at(at);
    harness.run();
    harness.drop_at(at);
    harness.run();
    assert_eq!(harness.state().selected, Some(karabulak));
    harness.remove_cursor();
    harness.run();
    harness.get_by_label_contains("Karabulak, Ingushetia (43.3058");
    // Selected on the timeline, highlighted on the map: its marker is drawn and clickable.
    assert!(
        harness
            .query_by_role_and_label(
                Role::Button,
                "Six ISIS members killed in counter-terrorist operation in Karabulak"
            )
            .is_some()
    );
}

fn map_center(harness: &Harness<'_, EventAtlasApp>) -> egui::Pos2 {
    // The map fills the centre: left of the details panel, above the timeline.
    let details = harness.get_by_label("Fit all events").rect();
    egui::pos2(details.left() - 300.0, details.bottom() + 150.0)
}

#[test]
fn map_zooms_with_scroll_keys_and_buttons_and_pans_with_drag() {
    let mut harness = harness();
    harness.run();
    let fitted = harness
        .state()
        .view
        .camera
        .expect("the map frames the events on open");
    let center = map_center(&harness);

    harness.hover_at(center);
    harness.run();
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 120.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run();
    let zoomed = harness.state().view.camera.unwrap();
    assert!(
        zoomed.zoom > fitted.zoom,
        "scrolling up zooms in: {} -> {}",
        fitted.zoom,
        zoomed.zoom
    );

    harness.key_press(egui::Key::Minus);
    harness.run();
    let out = harness.state().view.camera.unwrap();
    assert!((out.zoom - (zoomed.zoom - 1.0)).abs() < 1e-6);

    harness.get_by_label(" + ").click();
    harness.run();
    assert!((harness.state().view.camera.unwrap().zoom - zoomed.zoom).abs() < 1e-6);

    let before = harness.state().view.camera.unwrap();
    harness.drag_at(center);
    harness.run();
    for step in 1..=5 {
        harness.hover_at(center + egui::vec2(20.0 * step as f32, 0.0));
        harness.run();
    }
    harness.drop_at(center + egui::vec2(100.0, 0.0));
    harness.run();
    let panned = harness.state().view.camera.unwrap();
    assert!(
        panned.center.x < before.center.x,
        "dragging right moves the view west"
    );
    assert_eq!(panned.zoom, before.zoom);

    harness.get_by_label("Fit all events").click();
    harness.run();
    let refitted = harness.state().view.camera.unwrap();
    assert!((refitted.zoom - fitted.zoom).abs() < 1e-6);
}

#[test]
fn remembered_view_is_restored_for_the_same_dataset_only() {
    let mut harness = harness();
    harness.run();
    harness
        .state_mut()
        .apply(Command::SetPlayhead(day(2024, 3, 10)));
    harness.state_mut().apply(Command::SetWindow(3 * DAY));
    harness.state_mut().apply(Command::ZoomMap(2.0));
    harness.run();
    let saved = harness.state().view.clone();
    // What eframe stores is the serialised ViewState.
    let text = serde_json::to_string(&saved).unwrap();
    let restored: ViewState = serde_json::from_str(&text).unwrap();
    assert_eq!(restored, saved);

    let mut again = harness_with(restored.clone());
    again.run();
    let view = &again.state().view;
    assert_eq!(view.time.playhead, day(2024, 3, 10));
    assert_eq!(view.time.window, 3 * DAY);
    assert_eq!(view.camera, saved.camera);
    assert!(
        again
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_none()
    );

    // A view remembered for another dataset does not apply.
    let other = ViewState {
        dataset_key: "Some other dataset".to_owned(),
        ..restored
    };
    let mut fresh = harness_with(other);
    fresh.run();
    assert!(
        fresh
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_some()
    );
}

#[test]
fn panels_collapse_from_the_view_menu() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Details panel").click();
    harness.run();
    assert!(!harness.state().view.show_details);
    harness.state_mut().apply(Command::ToggleTimeline);
    harness.run();
    assert!(
        harness.query_by_label("Playhead").is_none(),
        "timeline hidden"
    );
    // The map still works without the side panels.
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_some()
    );
}

#[test]
fn about_names_the_data_sources() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label("About Event Atlas").click();
    harness.run();
    harness.get_by_label_contains("Natural Earth (naturalearthdata.com)");
    harness.get_by_label_contains("Each event quotes the sentence it comes from");
}

fn open_json(harness: &mut Harness<'_, EventAtlasApp>, dir: &TestDir, name: &str, json: &str) {
    let path = dir.file(name, json);
    assert!(harness.state_mut().open_path(&path), "{name} should load");
    harness.run();
}

#[test]
fn odd_but_valid_datasets_open_without_trouble() {
    let dir = TestDir::new("odd");
    let mut harness = harness();
    harness.run();

    // No events at all.
    open_json(
        &mut harness,
        &dir,
        "empty.json",
        r#"{"title": "Empty", "events": []}"#,
    );
    assert_eq!(harness.state().dataset.events.len(), 0);
    harness.get_by_label_contains("0 shown on the map / 0 events");
    // Keys that need events do nothing, and nothing breaks.
    let before = harness.state().view.time.playhead;
    harness.key_press(egui::Key::ArrowRight);
    harness.key_press(egui::Key::End);
    harness.run_steps(3);
    assert_eq!(harness.state().selected, None);
    assert_eq!(harness.state().view.time.playhead, before);
    harness.get_by_label_contains("0 shown on the map / 0 events");

    // Nothing has a place: the map says so, the timeline still works.
    open_json(
        &mut harness,
        &dir,
        "unplaced.json",
        r#"{"title": "Unplaced", "events": [
            {"id": "a", "title": "A", "when": "2020"},
            {"id": "b", "title": "B", "when": "2021-06-01T12:30Z"}
        ]}"#,
    );
    harness.get_by_label_contains("0 shown on the map / 2 events / 2 without a place");
    harness.key_press(egui::Key::Home);
    harness.run();
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    assert!(harness.state().selected.is_some());

    // Thousands of years, BCE dates and the edges of the map.
    open_json(
        &mut harness,
        &dir,
        "wide.json",
        r#"{"title": "Wide", "events": [
            {"id": "ides", "title": "Ides of March", "when": "-0043-03-15", "where": {"lat": 41.89, "lon": 12.48}},
            {"id": "pole", "title": "Near the pole", "when": "1909-04-06", "where": {"lat": 90, "lon": 180}},
            {"id": "date-line", "title": "Date line", "when": "2999-12-31", "where": {"lat": -89.9, "lon": -180}}
        ]}"#,
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Ides of March")
            .is_some()
    );
    harness.get_by_label("Fit all events").click();
    harness.run();
    let camera = harness.state().view.camera.unwrap();
    assert!(camera.zoom.is_finite() && camera.center.x.is_finite() && camera.center.y.is_finite());
}

#[test]
fn a_few_thousand_events_load_and_scrub() {
    let mut events = Vec::new();
    for i in 0..3000 {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        events.push(format!(
            r#"{{"id": "e{i}", "title": "Event {i}", "when": "2023-{month:02}-{day:02}", "where": {{"lat": {}, "lon": {}}}, "category": "c{}"}}"#,
            45.0 + (i % 97) as f64 * 0.1,
            30.0 + (i % 89) as f64 * 0.2,
            i % 5
        ));
    }
    let json = format!(r#"{{"title": "Many", "events": [{}]}}"#, events.join(",\n"));
    let dir = TestDir::new("many");
    let mut harness = harness();
    harness.run();
    open_json(&mut harness, &dir, "many.json", &json);
    assert_eq!(harness.state().dataset.events.len(), 3000);
    assert_eq!(harness.state().dataset.categories.len(), 5);
    // Later playheads show more events, never all before the end.
    let mut shown_before = 0;
    for offset in [10, 100, 200, 300] {
        harness
            .state_mut()
            .apply(Command::SetPlayhead(day(2023, 1, 1) + offset * DAY));
        harness.run();
        let shown = harness.state().shown_on_map();
        assert!(
            shown > shown_before && shown < 3000,
            "{shown} after {offset} days"
        );
        shown_before = shown;
    }
}

#[test]
fn a_generated_100k_dataset_scrubs_clusters_and_zooms_on_click() {
    let dir = TestDir::new("scrub-100k");
    let mut harness = harness();
    harness.run();
    assert!(harness.state_mut().open_path(&dir.generated()));
    harness.run();
    let extent = harness.state().dataset.extent.unwrap();
    // Scrub across the whole range: the map keeps up and counts are conserved.
    for step in 0..=10 {
        let t = extent.start + (extent.end - extent.start) * step / 10;
        harness.state_mut().apply(Command::SetPlayhead(t));
        harness.run();
        let app = harness.state();
        let shown = app.shown_on_map();
        let clustered = app.map_panel().clusters.total();
        // Fitted on all events, the grid covers every placed event that has started.
        assert_eq!(clustered, shown as u64, "at step {step}");
    }
    // One day later: only what changed is updated.
    let t = harness.state().view.time.playhead;
    harness.state_mut().apply(Command::SetPlayhead(t - DAY));
    harness.run();
    assert!(matches!(
        harness.state().map_panel().clusters.last_update,
        event_atlas::map::clusters::UpdateKind::Incremental(_)
    ));
    assert_eq!(
        harness.state().map_panel().clusters.total(),
        harness.state().shown_on_map() as u64
    );

    // Clusters are buttons; clicking one zooms the map in on it.
    let zoom_before = harness.state().view.camera.unwrap().zoom;
    let cluster = harness
        .query_all_by(|node| node.label().is_some_and(|l| l.starts_with("Cluster of ")))
        .next()
        .expect("clusters at full zoom-out");
    cluster.click();
    harness.run();
    assert!(harness.state().view.camera.unwrap().zoom > zoom_before);
}

#[test]
fn big_files_open_in_the_background_and_can_be_cancelled() {
    let dir = TestDir::new("background");
    let path = dir.generated();
    assert!(std::fs::metadata(&path).unwrap().len() > event_atlas::app::BACKGROUND_LOAD_BYTES);
    let mut harness = harness();
    harness.run();

    // Cancel: the built-in story stays.
    harness.state_mut().apply(Command::OpenPath(path.clone()));
    harness.run_steps(1);
    assert!(harness.state().loading.is_some());
    harness.get_by_label_contains("Opening ");
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(harness.state().loading.is_none());
    assert!(harness.query_by_label_contains("Opening ").is_none());
    assert_eq!(harness.state().dataset.events.len(), 14);
    assert!(harness.state().problem.is_none());

    // Open: the UI keeps drawing (and the old data stays usable) until the new data is ready.
    harness.state_mut().apply(Command::OpenPath(path));
    harness.run_steps(1);
    harness.state_mut().apply(Command::Select(Some(0)));
    harness.run_steps(1);
    assert_eq!(
        harness.state().selected,
        Some(0),
        "the previous dataset is still usable"
    );
    finish_loading(&mut harness);
    assert_eq!(harness.state().dataset.events.len(), 100_000);
    assert_eq!(harness.state().selected, None);
}

#[test]
fn details_of_a_big_file_are_read_from_it_and_a_changed_file_asks_for_a_reload() {
    // A copy of its own: this test rewrites it.
    let dir = TestDir::new("details-from-file");
    let path = dir.generated();
    assert!(std::fs::metadata(&path).unwrap().len() > event_atlas::io::STREAM_ABOVE_BYTES);
    let mut harness = harness();
    harness.run();
    assert!(harness.state_mut().open_path(&path));
    let index = index_of(&harness, "e12345");
    harness.state_mut().apply(Command::Select(Some(index)));
    harness.run();
    // The source (with its quote) comes from the file, read again on selection.
    let details = harness.state().dataset.details(index).unwrap();
    let source = details.sources[0].title.clone();
    assert!(source.starts_with("Synthetic report "), "{source}");
    harness.get_by_label_contains(&source);
    harness.get_by_label_contains(details.sources[0].quote.as_deref().unwrap());

    // Rewritten on disk: the panel says so instead of showing details that may be wrong.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"\n\n");
    std::fs::write(&path, &bytes).unwrap();
    harness.run();
    harness.get_by_label_contains("changed on disk");
    assert!(harness.query_by_label_contains(&source).is_none());
    // What the map and the timeline need is still in memory.
    assert_eq!(harness.state().dataset.events[index].id(), "e12345");

    // Reloading reads the file again and keeps the selection.
    harness.state_mut().apply(Command::Reload);
    finish_loading(&mut harness);
    let index = index_of(&harness, "e12345");
    assert_eq!(harness.state().selected, Some(index));
    harness.get_by_label_contains(&source);
}

// ---- The action registry: menus, shortcuts, help and the command palette read it. ----

/// The context of the built-in dataset, or of a file when `can_reload`.
fn context(can_reload: bool) -> ActionContext {
    ActionContext {
        can_reload,
        has_recent_files: true,
        show_details: true,
        show_timeline: true,
        show_filters: true,
        show_table: false,
        filtered: true,
        map_mode: event_atlas::state::MapMode::Markers,
        link_display: event_atlas::state::LinkDisplay::All,
        follow_file_changes: true,
        help_open: false,
        palette_open: false,
        dialog_open: false,
        theme: egui::ThemePreference::System,
        story: event_atlas::action::StoryContext {
            steps: 3,
            ..Default::default()
        },
    }
}

/// How a menu entry or a palette row is labelled: the action's name, then its shortcuts.
pub(crate) fn entry_label(action: Action) -> String {
    match action.shortcut_text(&egui::Context::default()) {
        Some(keys) => format!("{} {keys}", action.name()),
        None => action.name().to_owned(),
    }
}

/// Only the menu bar, collecting the commands it returns.
fn menu_harness(context: ActionContext) -> Harness<'static, Vec<Command>> {
    Harness::builder()
        .with_size(egui::vec2(900.0, 900.0))
        .build_ui_state(
            move |ui, commands: &mut Vec<Command>| {
                commands.extend(menu_bar_ui(ui, &context, &RecentFiles::default()))
            },
            Vec::new(),
        )
}

#[test]
fn each_menu_entry_runs_its_action() {
    let mut in_menus = Vec::new();
    for menu in &MENUS {
        for entry in menu.entries {
            let (action, submenu) = match *entry {
                Entry::Action(action) => (action, None),
                Entry::RecentFiles => (Action::ClearRecentFiles, Some("Open recent")),
                Entry::Separator => continue,
            };
            let mut harness = menu_harness(context(true));
            harness.run();
            harness.get_by_label(menu.title).click();
            harness.run();
            if let Some(submenu) = submenu {
                harness.get_by_label(submenu).click();
                harness.run();
            }
            harness.get_by_label(&entry_label(action)).click();
            harness.run();
            assert_eq!(
                harness.state(),
                &vec![action.command()],
                "{} ▸ {}",
                menu.title,
                action.name()
            );
            in_menus.push(action);
        }
    }
    // Without a shortcut, a menu is how most people find an action.
    for action in Action::ALL {
        if action.shortcuts().is_empty() {
            assert!(in_menus.contains(&action), "{action:?} is in no menu");
        }
    }
}

#[test]
fn reload_is_disabled_in_the_menu_for_the_builtin_dataset() {
    let mut harness = menu_harness(context(false));
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    let label = entry_label(Action::Reload);
    let reload = harness.get_by_label(&label);
    assert!(reload.accesskit_node().is_disabled());
    reload.click();
    harness.run();
    assert_eq!(harness.state(), &Vec::<Command>::new());
}

/// Only the shortcut handling, collecting the commands it returns.
fn shortcut_harness(context: ActionContext) -> Harness<'static, Vec<Command>> {
    Harness::new_ui_state(
        move |ui, commands: &mut Vec<Command>| {
            commands.extend(event_atlas::ui::keys::shortcut_commands_ui(ui, &context));
        },
        Vec::new(),
    )
}

fn press(modifiers: Modifiers, key: Key, context: ActionContext) -> Vec<Command> {
    let mut harness = shortcut_harness(context);
    harness.run();
    harness.key_press_modifiers(modifiers, key);
    harness.run();
    harness.into_state()
}

#[test]
fn every_shortcut_issues_its_actions_command() {
    let context = context(true);
    for action in Action::ALL {
        let expected = match action {
            Action::ClearSelection => escape_command(&context),
            _ => action.command(),
        };
        for shortcut in action.shortcuts() {
            let commands = press(shortcut.modifiers, shortcut.logical_key, context);
            assert_eq!(commands, vec![expected.clone()], "{action:?} {shortcut:?}");
            // Plain keys also work with Shift (on many layouts `+` and `?` need it).
            if shortcut.modifiers.is_none() {
                let shifted = press(Modifiers::SHIFT, shortcut.logical_key, context);
                assert_eq!(shifted, vec![expected.clone()], "Shift + {shortcut:?}");
            }
        }
    }
    // A plain key with Ctrl is another shortcut, not this one.
    assert_eq!(press(Modifiers::COMMAND, Key::Home, context), Vec::new());
}

#[test]
fn shortcuts_of_actions_that_cannot_run_do_nothing() {
    assert_eq!(
        press(Modifiers::COMMAND, Key::R, context(false)),
        Vec::new()
    );
    assert_eq!(press(Modifiers::NONE, Key::F5, context(false)), Vec::new());
}

#[test]
fn the_help_overlay_lists_every_action_with_a_shortcut() {
    let mut harness = harness();
    harness.run();
    harness.key_press(Key::F1);
    harness.run();
    let ctx = egui::Context::default();
    let mut listed = 0;
    for action in Action::ALL {
        let Some(keys) = action.shortcut_text(&ctx) else {
            continue;
        };
        harness.get_by_label(&keys);
        assert!(
            harness.query_all_by_label(action.name()).next().is_some(),
            "{} ({keys}) is missing from the help",
            action.name()
        );
        listed += 1;
    }
    assert!(listed >= 14, "only {listed} shortcuts listed");
}

#[test]
fn shortcuts_in_the_app_do_what_they_say() {
    let mut harness = harness();
    harness.run();
    let fitted = zoom(&harness);
    for key in [Key::Plus, Key::Equals] {
        let before = zoom(&harness);
        harness.key_press(key);
        harness.run();
        assert!(
            (zoom(&harness) - (before + 1.0)).abs() < 1e-6,
            "{key:?} zooms in"
        );
    }
    // Shift+F (as typed with Caps Lock or on some layouts) fits like F.
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F);
    harness.run();
    assert!(
        (zoom(&harness) - fitted).abs() < 1e-6,
        "Shift+F fits the map"
    );

    harness.key_press_modifiers(Modifiers::SHIFT, Key::Questionmark);
    harness.run();
    assert!(harness.state().help_open, "? opens the help");
    harness.key_press(Key::Questionmark);
    harness.run();
    assert!(!harness.state().help_open, "? closes the help");

    // Ctrl+R on the built-in dataset cannot reload: nothing changes.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    harness.run();
    assert!(harness.state().problem.is_none());
    assert_eq!(harness.state().dataset.events.len(), 14);

    // The window closing keeps the harness repainting: one frame is enough.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    harness.step();
    let closing = harness
        .output()
        .viewport_output
        .values()
        .any(|viewport| viewport.commands.contains(&egui::ViewportCommand::Close));
    assert!(closing, "Ctrl+Q closes the window");
}

#[test]
fn the_theme_menu_sets_the_theme() {
    let mut harness = harness();
    harness.run();
    for (action, theme) in [
        (Action::ThemeDark, egui::ThemePreference::Dark),
        (Action::ThemeLight, egui::ThemePreference::Light),
    ] {
        harness.get_by_label("View").click();
        harness.run();
        harness.get_by_label(action.name()).click();
        harness.run();
        let chosen = harness.ctx.options(|o| o.theme_preference);
        assert_eq!(chosen, theme, "{}", action.name());
    }
}

fn palette_field<'a>(harness: &'a Harness<'_, EventAtlasApp>) -> egui_kittest::Node<'a> {
    harness.get_by(|node| {
        node.role() == Role::TextInput
            && node
                .placeholder()
                .is_some_and(|hint| hint == "Type to find an action")
    })
}

#[test]
fn the_command_palette_finds_an_action_and_runs_it_with_the_arrows_and_enter() {
    let mut harness = harness();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run();
    assert!(harness.state().palette.open, "Ctrl+K opens the palette");
    assert!(palette_field(&harness).is_focused());
    assert!(
        harness
            .query_by_label(&entry_label(Action::PlayPause))
            .is_some()
    );

    palette_field(&harness).type_text("ZOOM");
    harness.run();
    assert_eq!(harness.state().palette.query, "ZOOM");
    assert!(
        harness
            .query_by_label(&entry_label(Action::ZoomIn))
            .is_some()
    );
    assert!(
        harness
            .query_by_label(&entry_label(Action::ZoomOut))
            .is_some()
    );
    assert!(
        harness
            .query_by_label(&entry_label(Action::PlayPause))
            .is_none(),
        "filtered out"
    );

    // Keys go to the palette while it is open: F and Space do not fit or play.
    let before = zoom(&harness);
    harness.key_press(Key::F);
    harness.key_press(Key::Space);
    harness.run();
    assert!(!harness.state().view.time.playing);

    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().palette.choice, 1);
    harness.key_press(Key::Enter);
    harness.run();
    assert!(
        !harness.state().palette.open,
        "running an action closes the palette"
    );
    assert!(
        (zoom(&harness) - (before - 1.0)).abs() < 1e-6,
        "ran Zoom the map out"
    );

    // Words in any order, or letters in order.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run();
    assert_eq!(
        harness.state().palette.query,
        "",
        "a new search starts empty"
    );
    palette_field(&harness).type_text("map fit");
    harness.run();
    assert!(
        harness
            .query_by_label(&entry_label(Action::FitMap))
            .is_some()
    );
    harness.key_press(Key::Enter);
    harness.run();
    assert!(
        (zoom(&harness) - before).abs() < 1e-6,
        "ran Fit all events on the map"
    );
}

#[test]
fn the_command_palette_closes_with_escape_and_runs_a_clicked_row() {
    let mut harness = harness();
    harness.run();
    let crocus = index_of(&harness, "crocus-attack");
    harness.state_mut().apply(Command::Select(Some(crocus)));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    harness.run();
    assert!(
        harness.state().palette.open,
        "Ctrl+Shift+P opens the palette"
    );
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!harness.state().palette.open, "Esc closes it");
    assert_eq!(
        harness.state().selected,
        Some(crocus),
        "and does nothing else"
    );

    harness.get_by_label("Help").click();
    harness.run();
    harness
        .get_by_label(&entry_label(Action::CommandPalette))
        .click();
    harness.run();
    assert!(
        harness.state().palette.open,
        "Help ▸ Command palette opens it"
    );
    palette_field(&harness).type_text("details");
    harness.run();
    harness.get_by_label("Details panel").click();
    harness.run();
    assert!(!harness.state().view.show_details);
    assert!(!harness.state().palette.open);
}

#[test]
fn the_command_palette_shows_why_an_action_cannot_run_and_does_not_run_it() {
    let mut harness = harness();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run();
    palette_field(&harness).type_text("reload");
    harness.run();
    let label = entry_label(Action::Reload);
    let reload = harness.get_by_label(&label);
    assert!(reload.accesskit_node().is_disabled());
    harness.get_by_label_contains("The built-in dataset has no file to reload");
    harness.key_press(Key::Enter);
    harness.run();
    assert!(
        harness.state().palette.open,
        "Enter on a disabled action does nothing"
    );
    harness.get_by_label(&entry_label(Action::Reload)).click();
    harness.run();
    assert!(harness.state().palette.open);
    assert!(harness.state().problem.is_none());
}

#[test]
fn hover_is_forgotten_the_frame_after_the_pointer_leaves() {
    let mut harness = harness();
    harness.run();
    let karabulak = index_of(&harness, "karabulak-operation");
    let at = harness.state().timeline_mark_position(karabulak).unwrap();
    harness.hover_at(at);
    harness.run();
    assert_eq!(harness.state().hover.this_frame(), Some(karabulak));
    assert_eq!(harness.state().hover.previous_frame(), Some(karabulak));
    harness.remove_cursor();
    harness.step();
    assert_eq!(
        harness.state().hover.this_frame(),
        None,
        "forgotten at once"
    );
    harness.step();
    assert_eq!(
        harness.state().hover.previous_frame(),
        None,
        "no longer drawn"
    );
}

#[derive(Debug)]
struct BytesDrop {
    name: PathBuf,
    bytes: Result<Vec<u8>, String>,
}

impl egui::DroppedFile for BytesDrop {
    fn path(&self) -> &Path {
        &self.name
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        self.bytes.clone()
    }
}

#[test]
fn a_file_dropped_without_a_path_opens_from_its_bytes() {
    let mut harness = harness();
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(BytesDrop {
            name: PathBuf::from("from-a-browser.json"),
            bytes: Ok(std::fs::read("tests/data/minimal.json").unwrap()),
        }));
    harness.run();
    assert_eq!(harness.state().dataset.title, "Minimal");
    harness.get_by_label_contains("from-a-browser.json");

    // Unreadable: the problem is shown, the data stays.
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(BytesDrop {
            name: PathBuf::from("gone.json"),
            bytes: Err("the source went away".to_owned()),
        }));
    harness.run();
    assert_eq!(harness.state().dataset.title, "Minimal");
    harness.get_by_label_contains("gone.json: cannot read the file: the source went away");
}

fn panicking_loader(
    _: &Path,
    _: &event_atlas::io::ImportOptions,
    _: &LoadProgress,
) -> Result<Loaded, LoadError> {
    panic!("injected reader failure")
}

#[test]
fn a_load_that_panics_keeps_the_data_and_shows_why() {
    let dir = TestDir::new("panic");
    let small = dir.file(
        "small.json",
        std::fs::read("tests/data/minimal.json").unwrap(),
    );
    // Only its size matters: the loader panics before reading it.
    let big = dir.file(
        "big.json",
        vec![b' '; event_atlas::app::BACKGROUND_LOAD_BYTES as usize],
    );
    let mut harness = harness();
    harness.run();
    harness.state_mut().set_loader(panicking_loader);

    // On the UI thread (a small file).
    harness.state_mut().apply(Command::OpenPath(small));
    harness.run();
    assert_eq!(harness.state().dataset.events.len(), 14);
    harness.get_by_label_contains(
        "small.json: cannot read the file: opening stopped unexpectedly: injected reader failure",
    );
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.state().problem.is_none());

    // On the loading thread (a big file).
    harness.state_mut().apply(Command::OpenPath(big));
    assert!(
        harness.state().loading.is_some(),
        "big files open in the background"
    );
    finish_loading(&mut harness);
    assert_eq!(harness.state().dataset.events.len(), 14);
    harness.get_by_label_contains(
        "big.json: cannot read the file: opening stopped unexpectedly: injected reader failure",
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CROCUS)
            .is_some()
    );
}

#[test]
fn a_dropped_file_becomes_a_command_to_open_it() {
    let dir = TestDir::new("drop-command");
    let path = dir.file(
        "dropped.json",
        std::fs::read("tests/data/minimal.json").unwrap(),
    );
    let mut harness = Harness::new_ui_state(
        |ui, commands: &mut Vec<Command>| {
            commands.extend(event_atlas::ui::drop::dropped_file_command(ui.ctx()));
        },
        Vec::new(),
    );
    harness.run();
    assert_eq!(harness.state(), &Vec::<Command>::new(), "nothing dropped");
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(TestDrop(path.clone())));
    harness.run();
    assert_eq!(harness.state(), &vec![Command::OpenPath(path)]);
}

#[test]
fn open_recent_lists_the_files_opened_latest_first_and_reopens_them() {
    let dir = TestDir::new("recent");
    let first = dir.file(
        "first.json",
        std::fs::read("tests/data/minimal.json").unwrap(),
    );
    let second = dir.file("second.json", std::fs::read("assets/crocus.json").unwrap());
    let mut harness = harness();
    harness.run();
    assert!(harness.state_mut().open_path(&first));
    assert!(harness.state_mut().open_path(&second));
    harness.run();
    let listed: Vec<_> = harness
        .state()
        .view
        .recent_files
        .iter()
        .map(Path::to_path_buf)
        .collect();
    assert_eq!(
        listed,
        [
            second.canonicalize().unwrap(),
            first.canonicalize().unwrap()
        ]
    );
    let first_title = {
        let mut other = harness_with(ViewState::default());
        assert!(other.state_mut().open_path(&first));
        other.state().dataset.title.clone()
    };
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Open recent").click();
    harness.run();
    harness.get_by_label_contains("first.json").click();
    harness.run();
    assert_eq!(harness.state().dataset.title, first_title);
    assert_eq!(
        harness.state().view.recent_files.iter().next(),
        Some(first.canonicalize().unwrap().as_path()),
        "reopened: first again"
    );
    // A file that is gone is greyed out, and the list can be cleared.
    std::fs::remove_file(&second).unwrap();
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Open recent").click();
    harness.run();
    assert!(
        harness
            .get_by_label_contains("second.json")
            .accesskit_node()
            .is_disabled()
    );
    harness.get_by_label("Clear recent files").click();
    harness.run();
    assert!(harness.state().view.recent_files.is_empty());
}

/// Opens the drop-down list that shows `value` now.
fn open_combo_box_showing(harness: &Harness<'_, EventAtlasApp>, value: &str) {
    harness
        .query_all_by_role(Role::ComboBox)
        .find(|node| node.accesskit_node().value().as_deref() == Some(value))
        .unwrap_or_else(|| panic!("no drop-down list shows {value:?}"))
        .click();
}

#[test]
fn the_speed_and_window_lists_set_the_playback() {
    let mut harness = harness();
    harness.run();
    assert_eq!(harness.state().view.time.window, 14 * DAY);
    // The lists show the current values; picking another sets it.
    open_combo_box_showing(&harness, "14 days");
    harness.run();
    harness.get_by_label("3 days").click();
    harness.run();
    assert_eq!(harness.state().view.time.window, 3 * DAY);
    open_combo_box_showing(&harness, "1 day/s");
    harness.run();
    harness.get_by_label("7 days/s").click();
    harness.run();
    assert_eq!(harness.state().view.time.speed, 7.0);
}

#[test]
fn a_month_precision_event_says_the_day_is_not_given() {
    let mut harness = harness();
    harness.run();
    let alert = index_of(&harness, "us-embassy-alert");
    harness.state_mut().apply(Command::Select(Some(alert)));
    harness.run();
    harness.get_by_label("— the day is not given");
    let range = index_of(&harness, "us-intel-since-november");
    harness.state_mut().apply(Command::Select(Some(range)));
    harness.run();
    harness.get_by_label("— the exact dates are not given");
    // An exact day has no caveat.
    let attack = index_of(&harness, "crocus-attack");
    harness.state_mut().apply(Command::Select(Some(attack)));
    harness.run();
    assert!(harness.query_by_label_contains("is not given").is_none());
    assert!(harness.query_by_label_contains("are not given").is_none());
}
