//! UI tests that drive the real app through egui_kittest: clicks, drags, keys and file drops.

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
    assert_eq!(harness.state().dataset.events[0].title, "First again");
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
