//! UI tests that drive the real app through egui_kittest: clicks, drags, keys and file drops.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::model::calendar::{DAY, days_from_civil};
use event_atlas::state::ViewState;

const CROCUS: &str = "Attack on Crocus City Hall";
const KALUGA: &str = "Vilayat Khorasan cell neutralised in the Kaluga region";

fn harness() -> Harness<'static, EventAtlasApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut EventAtlasApp| app.ui(ui),
            EventAtlasApp::new(ViewState::default()),
        )
}

fn day(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d) * DAY
}

fn index_of(harness: &Harness<'_, EventAtlasApp>, id: &str) -> usize {
    harness.state().dataset.find(id).expect(id)
}

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("event-atlas-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
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
    while harness.state().selected != Some(kaluga) {
        harness.key_press(egui::Key::ArrowRight);
        harness.run();
    }
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
    let mut harness = harness();
    harness.run();
    let bad = temp_file(
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
    let half = temp_file(
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
    let mut harness = harness();
    harness.run();
    let good = temp_file(
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
        harness.state().hovered,
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

    let mut again = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut EventAtlasApp| app.ui(ui),
            EventAtlasApp::new(restored.clone()),
        );
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
    let mut fresh = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut EventAtlasApp| app.ui(ui),
            EventAtlasApp::new(other),
        );
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

fn open_json(harness: &mut Harness<'_, EventAtlasApp>, name: &str, json: &str) {
    let path = temp_file(name, json);
    assert!(harness.state_mut().open_path(&path), "{name} should load");
    harness.run();
}

#[test]
fn odd_but_valid_datasets_open_without_trouble() {
    let mut harness = harness();
    harness.run();

    // No events at all.
    open_json(
        &mut harness,
        "empty.json",
        r#"{"title": "Empty", "events": []}"#,
    );
    assert_eq!(harness.state().dataset.events.len(), 0);
    harness.get_by_label_contains("0 shown on the map / 0 events");
    harness.key_press(egui::Key::ArrowRight);
    harness.key_press(egui::Key::Space);
    harness.key_press(egui::Key::End);
    harness.run_steps(3);

    // Nothing has a place: the map says so, the timeline still works.
    open_json(
        &mut harness,
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
    let mut harness = harness();
    harness.run();
    open_json(&mut harness, "many.json", &json);
    assert_eq!(harness.state().dataset.events.len(), 3000);
    assert_eq!(harness.state().dataset.categories.len(), 5);
    for offset in [10, 100, 200, 300] {
        harness
            .state_mut()
            .apply(Command::SetPlayhead(day(2023, 1, 1) + offset * DAY));
        harness.run();
        let shown = harness.state().shown_on_map();
        assert!(shown > 0 && shown < 3000, "{shown}");
    }
}

/// A generated dataset written once per test process.
fn generated(events: usize) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "event-atlas-ui-{}/generated-{events}.json",
        std::process::id()
    ));
    if !path.exists() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        event_atlas::generate::write_dataset(&mut file, events, 42).unwrap();
        std::io::Write::flush(&mut file).unwrap();
    }
    path
}

#[test]
fn a_generated_100k_dataset_scrubs_clusters_and_zooms_on_click() {
    let mut harness = harness();
    harness.run();
    assert!(harness.state_mut().open_path(&generated(100_000)));
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

fn run_until_loaded(harness: &mut Harness<'_, EventAtlasApp>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while harness.state().loading.is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "loading did not finish"
        );
        harness.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run();
}

#[test]
fn big_files_open_in_the_background_and_can_be_cancelled() {
    let path = generated(100_000);
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
    std::thread::sleep(std::time::Duration::from_millis(200));
    harness.run();
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
    run_until_loaded(&mut harness);
    assert_eq!(harness.state().dataset.events.len(), 100_000);
    assert_eq!(harness.state().selected, None);
}

#[test]
fn details_of_a_big_file_are_read_from_it_and_a_changed_file_asks_for_a_reload() {
    // A copy of its own: this test rewrites it.
    let path = generated(100_000).with_file_name("details-from-file.json");
    std::fs::copy(generated(100_000), &path).unwrap();
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
    run_until_loaded(&mut harness);
    let index = index_of(&harness, "e12345");
    assert_eq!(harness.state().selected, Some(index));
    harness.get_by_label_contains(&source);
    std::fs::remove_file(&path).unwrap();
}
