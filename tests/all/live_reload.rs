//! Live reload: the open file is followed as another program rewrites it (whole, half-written,
//! broken, whole again, deleted, replaced), and View ▸ Follow file changes turns it off and on.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::model::calendar::{DAY, days_from_civil};
use event_atlas::state::{MapCamera, TimelineView};

use crate::ui::{TestDir, harness, index_of};

/// How long a change may take to show (it shows after about 0.3 s; test threads share the CPU).
const DEADLINE: Duration = Duration::from_secs(4);

/// How long a change that must not show is waited for: several debounce delays.
const QUIET: Duration = Duration::from_millis(1200);

/// An Event Atlas JSON dataset of `count` events, `e1`… on the first days of 2020.
fn dataset(title: &str, count: usize) -> String {
    let events: Vec<String> = (1..=count)
        .map(|n| {
            format!(
                r#"  {{"id": "e{n}", "title": "Event {n}", "when": "2020-01-{n:02}", "where": {{"lat": 55.{n}, "lon": 37.{n}}}}}"#
            )
        })
        .collect();
    format!(
        "{{\"title\": \"{title}\", \"events\": [\n{}\n]}}\n",
        events.join(",\n")
    )
}

/// Draws frames until `done` holds, sleeping a little between them; false after [`DEADLINE`].
fn wait_until(
    harness: &mut Harness<'_, EventAtlasApp>,
    done: impl Fn(&EventAtlasApp) -> bool,
) -> bool {
    let start = Instant::now();
    while start.elapsed() < DEADLINE {
        harness.step();
        if done(harness.state()) {
            harness.run();
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Draws frames for [`QUIET`]: time for a change that should not show to show anyway.
fn keep_drawing(harness: &mut Harness<'_, EventAtlasApp>) {
    let start = Instant::now();
    while start.elapsed() < QUIET {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run();
}

fn opened(path: &Path) -> Harness<'static, EventAtlasApp> {
    let mut harness = harness();
    harness.run();
    harness.state_mut().request_open(path);
    harness.run();
    assert!(harness.state().problem.is_none(), "{path:?} opens");
    harness
}

fn selected_id(harness: &Harness<'_, EventAtlasApp>) -> Option<String> {
    let app = harness.state();
    let index = app.selected?;
    Some(app.dataset.events.get(index)?.id().to_owned())
}

fn event_count(app: &EventAtlasApp) -> usize {
    app.dataset.events.len()
}

#[test]
fn a_rewritten_file_reloads_and_a_broken_one_keeps_the_last_good_data() {
    let dir = TestDir::new("live-rewrite");
    let path = dir.file("story.json", dataset("Story", 3));
    let mut harness = opened(&path);
    harness.get_by_label("• following changes");
    let playhead = days_from_civil(2020, 1, 2) * DAY + DAY / 2;
    let camera = MapCamera::default();
    let timeline = TimelineView {
        min: 18_000.0,
        max: 18_400.0,
    };
    for command in [
        Command::Select(Some(index_of(&harness, "e2"))),
        Command::SetPlayhead(playhead),
        Command::SetCamera(camera),
        Command::SetTimelineView {
            min: timeline.min,
            max: timeline.max,
        },
    ] {
        harness.state_mut().apply(command);
    }
    harness.run();

    // Whole: read again, the selection and the view kept, even with a new title.
    std::fs::write(&path, dataset("Story, updated", 4)).unwrap();
    assert!(wait_until(&mut harness, |app| event_count(app) == 4));
    assert_eq!(selected_id(&harness).as_deref(), Some("e2"));
    let app = harness.state();
    assert_eq!(app.dataset.title, "Story, updated");
    assert_eq!(app.view.time.playhead, playhead);
    assert_eq!(app.view.camera, Some(camera));
    assert_eq!(app.view.timeline_view, Some(timeline));
    harness.get_by_label_contains("reloaded ");

    // Half-written: the error, and the four events stay.
    let whole = dataset("Story", 4);
    std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
    assert!(wait_until(&mut harness, |app| app.problem.is_some()));
    harness.get_by_label_contains("ends too early");
    harness.get_by_label_contains("reloads when the file is whole again");
    assert_eq!(event_count(harness.state()), 4);
    assert_eq!(selected_id(&harness).as_deref(), Some("e2"));

    // Broken: the error names the file, the line and the column.
    let broken = dataset("Story", 4).replacen(r#""title": "Event 2""#, r#""title" "Event 2""#, 1);
    std::fs::write(&path, broken).unwrap();
    let message = format!("{}:3:24: invalid JSON", path.display());
    assert!(wait_until(&mut harness, |app| {
        app.problem
            .as_ref()
            .is_some_and(|p| p.lines.iter().any(|d| d.to_string().starts_with(&message)))
    }));
    harness.get_by_label_contains(&message);
    harness.get_by_label_contains("reloads when the file is whole again");
    assert_eq!(event_count(harness.state()), 4);

    // Whole again: the error goes, the new data shows, the selection stays.
    std::fs::write(&path, dataset("Story", 5)).unwrap();
    assert!(wait_until(&mut harness, |app| event_count(app) == 5));
    assert!(harness.state().problem.is_none());
    assert!(harness.query_by_label_contains("whole again").is_none());
    assert_eq!(selected_id(&harness).as_deref(), Some("e2"));
    assert_eq!(harness.state().view.time.playhead, playhead);
}

#[test]
fn following_can_be_turned_off_and_on_in_the_view_menu() {
    let dir = TestDir::new("live-toggle");
    let path = dir.file("story.json", dataset("Story", 3));
    let mut harness = opened(&path);
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Follow file changes").click();
    harness.run();
    assert!(!harness.state().view.follow_file_changes);
    assert!(harness.query_by_label("• following changes").is_none());

    std::fs::write(&path, dataset("Story", 4)).unwrap();
    keep_drawing(&mut harness);
    assert_eq!(event_count(harness.state()), 3, "not followed");

    // On again: what changed meanwhile is read, and later changes are followed.
    harness.state_mut().apply(Command::ToggleLiveReload);
    assert!(wait_until(&mut harness, |app| event_count(app) == 4));
    harness.get_by_label("• following changes");
    std::fs::write(&path, dataset("Story", 5)).unwrap();
    assert!(wait_until(&mut harness, |app| event_count(app) == 5));
}

/// Replaces `path` as atomic writers do: a temporary file beside it, then a rename.
fn replace(path: &Path, contents: &str) {
    let temporary = PathBuf::from(format!("{}.tmp", path.display()));
    std::fs::write(&temporary, contents).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

#[test]
fn a_deleted_file_keeps_its_data_and_is_picked_up_when_it_is_back() {
    let dir = TestDir::new("live-delete");
    let path = dir.file("story.json", dataset("Story", 3));
    let mut harness = opened(&path);
    std::fs::remove_file(&path).unwrap();
    assert!(wait_until(&mut harness, |app| app.problem.is_some()));
    harness.get_by_label("The file was deleted or moved away");
    harness.get_by_label_contains("reloads when the file is there again");
    assert_eq!(event_count(harness.state()), 3);

    replace(&path, &dataset("Story", 4));
    assert!(wait_until(&mut harness, |app| event_count(app) == 4));
    assert!(harness.state().problem.is_none());
    // Replaced again by a rename: still followed.
    replace(&path, &dataset("Story", 2));
    assert!(wait_until(&mut harness, |app| event_count(app) == 2));
}

#[test]
fn opening_another_file_moves_the_watch_and_the_builtin_dataset_is_not_followed() {
    let mut builtin = harness();
    builtin.run();
    assert!(builtin.query_by_label("• following changes").is_none());

    let dir = TestDir::new("live-move");
    let first = dir.file("first.json", dataset("First", 3));
    let second = dir.file("second.json", dataset("Second", 2));
    let mut harness = opened(&first);
    harness.state_mut().request_open(&second);
    harness.run();
    assert_eq!(harness.state().dataset.title, "Second");

    std::fs::write(&first, dataset("First", 4)).unwrap();
    keep_drawing(&mut harness);
    assert_eq!(
        harness.state().dataset.title,
        "Second",
        "the first is not followed"
    );
    std::fs::write(&second, dataset("Second", 5)).unwrap();
    assert!(wait_until(&mut harness, |app| event_count(app) == 5));
    assert_eq!(harness.state().dataset.title, "Second");
}
