//! The story in the real UI: stepping applies every field of a step after the camera and the
//! playhead glide there; the story panel adds, renames, reorders and deletes steps; F11
//! presents the story full screen with a caption card and Esc leaves.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::accesskit::Role;
use egui::{Key, ViewportCommand};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use event_atlas::EventAtlasApp;
use event_atlas::command::{Command, StoryCommand};
use event_atlas::model::calendar::{DAY, days_from_civil};
use event_atlas::model::filter::Filter;
use event_atlas::model::{LonLat, PlaybackMode, StepCamera, StepView, Story, StoryStep};
use event_atlas::state::ViewState;
use event_atlas::state::story::TRANSITION_SECONDS;

use crate::ui::{MemoryStorage, index_of};

/// Seconds of egui time per frame: short, so that a double click is two clicks close enough.
const STEP_DT: f32 = 0.05;

/// The app with the story panel open. Frames are short and a glide takes many of them.
fn harness() -> Harness<'static, EventAtlasApp> {
    let view = ViewState {
        show_story: true,
        ..ViewState::default()
    };
    let glide_frames = (TRANSITION_SECONDS / f64::from(STEP_DT)).ceil() as u64;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_step_dt(STEP_DT)
        .with_max_steps(glide_frames + 20)
        .build_ui_state(
            |ui, app: &mut EventAtlasApp| app.ui(ui),
            EventAtlasApp::new(view),
        );
    harness.run();
    harness
}

fn day(m: u32, d: u32) -> i64 {
    days_from_civil(2024, m, d) * DAY
}

fn step(title: &str, text: &str, view: StepView) -> StoryStep {
    StoryStep {
        title: title.to_owned(),
        text: text.to_owned(),
        quote: Some(format!("{title}, as the source says")),
        view,
    }
}

fn camera(lon: f64, lat: f64, zoom: f64) -> Option<StepCamera> {
    Some(StepCamera {
        center: LonLat::new(lon, lat),
        zoom,
    })
}

/// Three steps over the built-in data, each naming every part of the view.
fn three_steps() -> Story {
    Story {
        title: Some("Three steps".to_owned()),
        steps: vec![
            step(
                "The cell in Kaluga",
                "A cell is found in Kaluga.",
                StepView {
                    camera: camera(36.25, 54.5, 7.0),
                    playhead: Some(day(3, 8)),
                    window: Some(3 * DAY),
                    mode: Some(PlaybackMode::Cumulative),
                    filter: Some(Filter {
                        has_place: true,
                        ..Filter::default()
                    }),
                    selection: Some("kaluga-cell".to_owned()),
                },
            ),
            step(
                "The attack",
                "Gunmen attack the concert hall.",
                StepView {
                    camera: camera(37.39, 55.83, 9.5),
                    playhead: Some(day(3, 22) + 20 * 3_600),
                    window: Some(7 * DAY),
                    mode: Some(PlaybackMode::Window),
                    filter: Some(Filter::default()),
                    selection: Some("crocus-attack".to_owned()),
                },
            ),
            step(
                "The alert",
                "The embassy warns its citizens.",
                StepView {
                    camera: camera(37.6, 55.75, 5.0),
                    playhead: Some(day(3, 10)),
                    window: Some(DAY),
                    mode: Some(PlaybackMode::AtPlayhead),
                    filter: Some(Filter::default()),
                    selection: Some("us-embassy-alert".to_owned()),
                },
            ),
        ],
    }
}

fn with_story(story: Story) -> Harness<'static, EventAtlasApp> {
    let mut harness = harness();
    harness.state_mut().set_story(story);
    harness.run();
    harness
}

/// Asserts that the view shows every part of `step`.
fn assert_shows(harness: &Harness<'_, EventAtlasApp>, step: &StoryStep) {
    let app = harness.state();
    let wanted = &step.view;
    let camera = app.view.camera.expect("a camera");
    let (center, expected) = (camera.center.lon_lat(), wanted.camera.unwrap());
    assert!(
        (center.lon - expected.center.lon).abs() < 1e-6
            && (center.lat - expected.center.lat).abs() < 1e-6,
        "{}: camera at {center:?}, not {:?}",
        step.title,
        expected.center
    );
    assert!((camera.zoom - expected.zoom).abs() < 1e-9, "{}", step.title);
    assert_eq!(
        Some(app.view.time.playhead),
        wanted.playhead,
        "{}",
        step.title
    );
    assert_eq!(Some(app.view.time.window), wanted.window, "{}", step.title);
    assert_eq!(Some(app.view.time.mode), wanted.mode, "{}", step.title);
    assert_eq!(
        Some(&app.view.filter),
        wanted.filter.as_ref(),
        "{}",
        step.title
    );
    let selected = wanted.selection.as_deref().map(|id| index_of(harness, id));
    assert_eq!(app.selected, selected, "{}", step.title);
}

fn titles(harness: &Harness<'_, EventAtlasApp>) -> Vec<String> {
    let steps = &harness.state().story.story.steps;
    steps.iter().map(|step| step.title.clone()).collect()
}

/// Presses and releases `key` within one frame, so that the frame's output is the one that
/// answered it.
fn press_in_one_frame(harness: &mut Harness<'_, EventAtlasApp>, key: Key) {
    for pressed in [true, false] {
        harness.input_mut().events.push(egui::Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.step();
}

/// Whether the last frame asked the window for `command`.
fn window_asked(harness: &Harness<'_, EventAtlasApp>, command: &ViewportCommand) -> bool {
    harness
        .output()
        .viewport_output
        .values()
        .any(|viewport| viewport.commands.contains(command))
}

/// The one-line field that holds `value` (the rename field).
fn rename_field<'a>(
    harness: &'a Harness<'_, EventAtlasApp>,
    value: &'a str,
) -> egui_kittest::Node<'a> {
    harness.get_by(|node| node.role() == Role::TextInput && node.value().as_deref() == Some(value))
}

/// The caption field that holds `value`.
fn caption_field<'a>(
    harness: &'a Harness<'_, EventAtlasApp>,
    value: &'a str,
) -> egui_kittest::Node<'a> {
    harness.get_by(|node| {
        node.role() == Role::MultilineTextInput && node.value().as_deref() == Some(value)
    })
}

#[test]
fn next_glides_to_the_step_and_then_shows_every_part_of_it() {
    let story = three_steps();
    let mut harness = with_story(story.clone());
    let before = harness.state().view.time.playhead;
    harness.key_press(Key::PageDown);
    harness.step();
    // At once: the parts that do not move.
    let first = &story.steps[0];
    assert_eq!(harness.state().story.current, Some(0));
    assert_eq!(harness.state().view.time.mode, PlaybackMode::Cumulative);
    assert_eq!(
        Some(&harness.state().view.filter),
        first.view.filter.as_ref()
    );
    // A few frames in, the playhead is on its way.
    harness.run_steps(8);
    let playhead = harness.state().view.time.playhead;
    let target = first.view.playhead.unwrap();
    assert!(
        playhead < before && playhead > target,
        "gliding from {before} to {target}: {playhead}"
    );
    assert!(harness.state().story.is_gliding());
    harness.run();
    assert!(!harness.state().story.is_gliding());
    assert_shows(&harness, first);
    // The details panel and the panel follow.
    harness.get_by_label("Step 1 of 3");

    for (key, index) in [(Key::PageDown, 1), (Key::PageDown, 2), (Key::PageUp, 1)] {
        harness.key_press(key);
        harness.run();
        assert_eq!(harness.state().story.current, Some(index), "{key:?}");
        assert_shows(&harness, &story.steps[index]);
    }
    // The « Previous and Next » buttons step too.
    harness.get_by_label("Next »").click();
    harness.run();
    assert_shows(&harness, &story.steps[2]);
    assert!(
        harness
            .get_by_label("Next »")
            .accesskit_node()
            .is_disabled(),
        "no step after the last"
    );
    harness.get_by_label("« Previous").click();
    harness.run();
    assert_shows(&harness, &story.steps[1]);
}

#[test]
fn stepping_again_during_a_glide_starts_from_where_the_view_is() {
    let story = three_steps();
    let mut harness = with_story(story.clone());
    harness.key_press(Key::PageDown);
    harness.run();
    harness.key_press(Key::PageDown);
    harness.run_steps(6);
    let midway = harness.state().view.time.playhead;
    let (first, second) = (
        story.steps[0].view.playhead.unwrap(),
        story.steps[1].view.playhead.unwrap(),
    );
    assert!(midway > first && midway < second, "{midway}");
    // Back to the first step from halfway: the playhead turns where it is, without jumping
    // to the second step first.
    harness.key_press(Key::PageUp);
    harness.step();
    let turn = harness.state().view.time.playhead;
    assert!(turn >= midway && turn < second, "{turn}");
    harness.step();
    harness.step();
    let next = harness.state().view.time.playhead;
    assert!(next <= turn && next > first, "{next} after {turn}");
    harness.run();
    assert_shows(&harness, &story.steps[0]);
}

#[test]
fn a_step_naming_an_unknown_event_says_so() {
    let mut story = three_steps();
    story.steps[0].view.selection = Some("no-such-event".to_owned());
    let mut harness = with_story(story);
    harness.key_press(Key::PageDown);
    harness.run();
    assert_eq!(harness.state().selected, None);
    harness.get_by_label_contains("A story step could not be shown in full");
    harness.get_by_label_contains("no-such-event");
}

#[test]
fn add_current_view_captures_the_view_as_a_step() {
    let mut harness = with_story(Story::default());
    harness.get_by_label("Add the current view as the first step");
    let kaluga = index_of(&harness, "kaluga-cell");
    harness.state_mut().apply(Command::Focus(kaluga));
    harness
        .state_mut()
        .apply(Command::SetPlaybackMode(PlaybackMode::Cumulative));
    harness.run();
    harness.get_by_label("Add current view").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.story.story.steps.len(), 1);
    let step = &app.story.story.steps[0];
    assert_eq!(
        step.title,
        app.dataset.events[kaluga].title(),
        "titled after the selection"
    );
    assert_eq!(step.view.selection.as_deref(), Some("kaluga-cell"));
    assert_eq!(step.view.playhead, Some(app.view.time.playhead));
    assert_eq!(step.view.window, Some(app.view.time.window));
    assert_eq!(step.view.mode, Some(PlaybackMode::Cumulative));
    assert_eq!(step.view.filter.as_ref(), Some(&app.view.filter));
    assert!(
        step.view.camera.is_some(),
        "a map that fits the data keeps what it shows"
    );
    assert_eq!(app.story.current, Some(0));
    assert!(app.story.unsaved);
    harness.get_by_label("unsaved changes");
    harness.get_by_label("Step 1 of 1");

    // Without a selection the step is numbered; it goes after the current step.
    harness.state_mut().apply(Command::Select(None));
    harness.run();
    harness.get_by_label("Add current view").click();
    harness.run();
    assert_eq!(titles(&harness)[1], "Step 2");
    assert_eq!(harness.state().story.current, Some(1));
}

#[test]
fn a_step_is_renamed_in_place_by_double_click_or_the_rename_button() {
    let mut harness = with_story(three_steps());
    let row = harness.get_by_label("The attack");
    row.click();
    row.click();
    harness.run();
    assert_eq!(
        harness.state().story.renaming,
        Some(1),
        "double-click renames"
    );
    let field = rename_field(&harness, "The attack");
    assert!(field.is_focused(), "the field takes the keyboard");
    harness.key_press(Key::End);
    harness.run();
    rename_field(&harness, "The attack").type_text(" at Crocus");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(titles(&harness)[1], "The attack at Crocus");
    assert_eq!(
        harness.state().story.renaming,
        None,
        "Enter ends the rename"
    );
    assert!(harness.state().story.unsaved);
    // The current step's Rename button does the same.
    harness.get_by_label("The cell in Kaluga").click();
    harness.run();
    harness.get_by_label("Rename").click();
    harness.run();
    assert_eq!(harness.state().story.renaming, Some(0));
}

#[test]
fn the_caption_and_the_quote_are_edited_in_the_panel() {
    let mut harness = with_story(three_steps());
    harness.get_by_label("The alert").click();
    harness.run();
    let caption = caption_field(&harness, "The embassy warns its citizens.");
    caption.focus();
    harness.run();
    harness.key_press(Key::End);
    harness.run();
    caption_field(&harness, "The embassy warns its citizens.").type_text(" Two weeks before.");
    harness.run();
    let step = &harness.state().story.story.steps[2];
    assert_eq!(
        step.text,
        "The embassy warns its citizens. Two weeks before."
    );
    assert!(harness.state().story.unsaved);
}

#[test]
fn a_step_dragged_below_another_moves_there() {
    let mut harness = with_story(three_steps());
    let from = harness
        .get_by_label("Drag to move “The cell in Kaluga”")
        .rect()
        .center();
    let target = harness.get_by_label("The alert").rect();
    // The lower half of the last row: after it.
    let to = target.center() + egui::vec2(0.0, target.height() * 0.3);
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for step in 1..=8 {
        harness.hover_at(from + (to - from) * (step as f32 / 8.0));
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
    assert_eq!(
        titles(&harness),
        ["The attack", "The alert", "The cell in Kaluga"]
    );
    assert!(harness.state().story.unsaved);
}

#[test]
fn the_move_buttons_reorder_and_delete_can_be_undone() {
    let mut harness = with_story(three_steps());
    harness.get_by_label("The alert").click();
    harness.run();
    harness.get_by_label("« Move up").click();
    harness.run();
    assert_eq!(
        titles(&harness),
        ["The cell in Kaluga", "The alert", "The attack"]
    );
    assert_eq!(
        harness.state().story.current,
        Some(1),
        "the step stays current"
    );
    harness.get_by_label("Move down »").click();
    harness.run();
    assert_eq!(
        titles(&harness),
        ["The cell in Kaluga", "The attack", "The alert"]
    );
    harness.get_by_label("Delete step").click();
    harness.run();
    assert_eq!(titles(&harness), ["The cell in Kaluga", "The attack"]);
    harness.get_by_label_contains("Deleted “The alert”");
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(
        titles(&harness),
        ["The cell in Kaluga", "The attack", "The alert"]
    );
}

#[test]
fn f11_presents_the_story_with_its_caption_and_escape_leaves() {
    let story = three_steps();
    let mut harness = with_story(story.clone());
    press_in_one_frame(&mut harness, Key::F11);
    assert!(harness.state().story.presenting);
    assert!(
        window_asked(&harness, &ViewportCommand::Fullscreen(true)),
        "full screen: {:?}",
        harness
            .output()
            .viewport_output
            .values()
            .map(|v| &v.commands)
            .collect::<Vec<_>>()
    );
    harness.run();
    // Only the map, the timeline and the caption: no menu, no story panel, no details.
    assert!(harness.query_by_label("File").is_none());
    assert!(harness.query_by_label("Add current view").is_none());
    assert!(harness.query_by_label("Links").is_none());
    harness.get_by_label("The cell in Kaluga");
    harness.get_by_label("A cell is found in Kaluga.");
    harness.get_by_label("“The cell in Kaluga, as the source says”");
    harness.get_by_label("1 / 3");
    assert_shows(&harness, &story.steps[0]);
    // The card keeps clear of the legend in the map's bottom-left corner.
    let title = harness.get_by_label("The cell in Kaluga").rect();
    let legend = harness.get_by_label("Legend").rect();
    assert!(title.left() > legend.right(), "{title:?} over {legend:?}");

    // → and PageDown step the story while presenting; Space still plays.
    harness.key_press(Key::ArrowRight);
    harness.run();
    harness.get_by_label("Gunmen attack the concert hall.");
    harness.get_by_label("2 / 3");
    assert_shows(&harness, &story.steps[1]);
    harness.get_by_label("»").click();
    harness.run();
    harness.get_by_label("3 / 3");
    harness.key_press(Key::ArrowLeft);
    harness.run();
    harness.get_by_label("2 / 3");
    assert_shows(&harness, &story.steps[1]);

    press_in_one_frame(&mut harness, Key::Escape);
    assert!(!harness.state().story.presenting);
    assert!(window_asked(&harness, &ViewportCommand::Fullscreen(false)));
    assert_eq!(
        harness.state().selected,
        Some(index_of(&harness, "crocus-attack")),
        "Esc only leaves presentation mode"
    );
    harness.run();
    harness.get_by_label("File");
    harness.get_by_label("Add current view");
    // Out of presentation mode the arrows step events again.
    let selected = harness.state().selected.unwrap();
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().selected, Some(selected + 1));
}

#[test]
fn closed_while_presenting_the_window_is_not_remembered_full_screen() {
    let mut harness = with_story(three_steps());
    harness.key_press(Key::F11);
    harness.run();
    assert!(harness.state().story.presenting);
    // eframe writes the window's state, then lets the app save.
    let mut settings = MemoryStorage::default();
    let window = "(normal_geometry:(outer_position:None,inner_size_points:Some((x:1200.0,y:800.0)),scale_factor:1.0),fullscreen:true,maximized:false)";
    eframe::Storage::set_string(&mut settings, "window", window.to_owned());
    eframe::App::save(harness.state_mut(), &mut settings);
    let saved = eframe::Storage::get_string(&settings, "window").unwrap();
    assert_eq!(saved, window.replace("fullscreen:true", "fullscreen:false"));
    assert!(eframe::Storage::get_string(&settings, eframe::APP_KEY).is_some());
}

#[test]
fn the_story_panel_opens_from_the_view_menu_and_present_from_its_button() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut EventAtlasApp| app.ui(ui),
            EventAtlasApp::new(ViewState::default()),
        );
    harness.run();
    assert!(harness.query_by_label("Add current view").is_none());
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Story").click();
    harness.run();
    assert!(harness.state().view.show_story);
    harness.get_by_label("Add current view").click();
    harness.run();
    harness.get_by_label("Present").click();
    harness.run();
    assert!(harness.state().story.presenting);
    harness.get_by_label("Leave").click();
    harness.run();
    assert!(!harness.state().story.presenting);
}

#[test]
fn opening_another_dataset_leaves_presentation_and_takes_its_story() {
    let dir = crate::ui::TestDir::new("story-open");
    let mut harness = with_story(three_steps());
    harness
        .state_mut()
        .apply(Command::Story(StoryCommand::Present(true)));
    harness.run();
    assert!(harness.state().story.presenting);
    let other = dir.file(
        "other.json",
        std::fs::read("tests/data/minimal.json").unwrap(),
    );
    assert!(harness.state_mut().open_path(&other));
    harness.step();
    assert!(!harness.state().story.presenting);
    assert!(window_asked(&harness, &ViewportCommand::Fullscreen(false)));
    assert_eq!(harness.state().story.story, harness.state().dataset.story);
    assert!(!harness.state().story.unsaved);
}

// ---- Saving, exporting and the built-in story (the story in files: `crate::io::story`). ----

#[test]
fn saving_writes_the_story_file_that_the_next_open_reads() {
    let dir = crate::ui::TestDir::new("story-save");
    let data = dir.file(
        "events.json",
        std::fs::read("tests/data/minimal.json").unwrap(),
    );
    let mut harness = harness();
    assert!(harness.state_mut().open_path(&data));
    harness.run();
    harness.get_by_label("Add current view").click();
    harness.run();
    harness
        .state_mut()
        .apply(Command::Story(StoryCommand::SetText(
            0,
            "Where it began.".to_owned(),
        )));
    harness.run();
    harness.get_by_label("unsaved changes");
    harness.get_by_label("Save story").click();
    harness.run();
    let sidecar = event_atlas::io::story::sidecar_path(&data);
    assert!(sidecar.is_file(), "{} written", sidecar.display());
    assert!(!harness.state().story.unsaved);
    assert!(harness.query_by_label("unsaved changes").is_none());
    harness.get_by_label_contains("Saved to ");
    let saved = harness.state().story.story.clone();

    // Opened again (a new run): the story is read back.
    let mut again = self::harness();
    assert!(again.state_mut().open_path(&data));
    again.run();
    let story = &again.state().story.story;
    assert_eq!(story.steps.len(), 1);
    assert_eq!(story.steps[0].title, saved.steps[0].title);
    assert_eq!(story.steps[0].text, "Where it began.");
    assert_eq!(story.steps[0].view.playhead, saved.steps[0].view.playhead);
    assert!(!again.state().story.unsaved);
}

#[test]
fn the_builtin_story_cannot_be_saved_and_says_how_to_keep_it() {
    let harness = harness();
    let save = harness.get_by_label("Save story");
    assert!(save.accesskit_node().is_disabled());
}

#[test]
fn an_export_writes_the_story_as_edited() {
    use event_atlas::command::ExportCommand;
    use event_atlas::io::export::ExportFormat;
    use event_atlas::state::export::{ExportScope, ExportTarget};
    let dir = crate::ui::TestDir::new("story-export");
    let mut harness = harness();
    harness
        .state_mut()
        .apply(Command::Story(StoryCommand::Rename(
            0,
            "Renamed".to_owned(),
        )));
    let path = dir.path().join("with-story.json");
    for command in [
        ExportCommand::Open,
        ExportCommand::SetTarget(ExportTarget::Events(ExportFormat::Atlas)),
        ExportCommand::SetScope(ExportScope::All),
        ExportCommand::SetPath(path.display().to_string()),
        ExportCommand::Run,
    ] {
        harness.state_mut().apply(Command::Export(command));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while harness.state().export.notice.is_none() && std::time::Instant::now() < deadline {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let notice = harness.state().export.notice.clone();
    assert!(matches!(notice, Some(Ok(_))), "{notice:?}");
    let written = event_atlas::io::load_path(&path).unwrap().dataset.story;
    assert_eq!(written, harness.state().story.story);
    assert_eq!(written.steps[0].title, "Renamed");
}

#[test]
fn presenting_the_builtin_story_shows_each_caption_and_moves_the_playhead_to_its_date() {
    let mut harness = harness();
    let story = harness.state().story.story.clone();
    assert!(
        (6..=8).contains(&story.steps.len()),
        "{} steps",
        story.steps.len()
    );
    let extent = harness.state().dataset.extent.unwrap();
    harness.key_press(Key::F11);
    harness.run();
    for (index, step) in story.steps.iter().enumerate() {
        if index > 0 {
            harness.key_press(Key::ArrowRight);
            harness.run();
        }
        assert_eq!(harness.state().story.current, Some(index));
        harness.get_by_label(&step.title);
        harness.get_by_label(&step.text);
        if let Some(quote) = &step.quote {
            harness.get_by_label(&format!("“{quote}”"));
        }
        harness.get_by_label(&format!("{} / {}", index + 1, story.steps.len()));
        let date = step.view.playhead.expect("every built-in step has a date");
        let expected = date.clamp(extent.start, extent.end - 1);
        assert_eq!(
            harness.state().view.time.playhead,
            expected,
            "{}",
            step.title
        );
        if let Some(id) = &step.view.selection {
            assert_eq!(harness.state().selected, Some(index_of(&harness, id)));
        }
    }
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!harness.state().story.presenting);
}
