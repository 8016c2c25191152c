//! UI tests of playback over the built-in Crocus story: what each playback mode shows in full at
//! a date, skipping empty stretches while playing, and stepping between dates that hold events.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::time::Duration;

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use event_atlas::EventAtlasApp;
use event_atlas::command::{Command, Direction};
use event_atlas::model::EventStatus;
use event_atlas::model::calendar::{DAY, days_from_civil};
use event_atlas::model::filter::Filter;
use event_atlas::state::PlaybackMode;

use crate::ui::{harness, index_of};

/// Noon (UTC) of a day of March 2024.
fn march(day: u32) -> i64 {
    days_from_civil(2024, 3, day) * DAY + DAY / 2
}

fn start_of(harness: &Harness<'_, EventAtlasApp>, id: &str) -> i64 {
    harness.state().dataset.events[index_of(harness, id)]
        .span
        .start
}

/// The ids of the events the timeline drew in full in the last frame.
fn drawn_in_full(harness: &Harness<'_, EventAtlasApp>) -> BTreeSet<String> {
    let app = harness.state();
    app.timeline_panel()
        .drawn_in_full()
        .into_iter()
        .map(|index| app.dataset.events[index].id().to_owned())
        .collect()
}

/// The ids of the dated events that are current at the playhead in the app's mode.
fn current_by_status(harness: &Harness<'_, EventAtlasApp>) -> BTreeSet<String> {
    let app = harness.state();
    let time = &app.view.time;
    app.dataset
        .events
        .iter()
        .filter(|e| {
            !e.is_undated() && e.status(time.playhead, time.shown_window()) == EventStatus::Current
        })
        .map(|e| e.id().to_owned())
        .collect()
}

#[test]
fn each_playback_mode_shows_its_own_events_in_full_at_a_date() {
    let mut harness = harness();
    harness.run();
    harness.state_mut().apply(Command::SetPlayhead(march(20)));
    harness.state_mut().apply(Command::SetWindow(DAY));
    harness.run();
    assert_eq!(harness.state().view.time.mode, PlaybackMode::Window);
    let window = drawn_in_full(&harness);

    harness.get_by_label("Cumulative").click();
    harness.run();
    assert_eq!(harness.state().view.time.mode, PlaybackMode::Cumulative);
    let cumulative = drawn_in_full(&harness);
    assert_eq!(cumulative, current_by_status(&harness));

    harness.get_by_label("At the playhead").click();
    harness.run();
    assert_eq!(harness.state().view.time.mode, PlaybackMode::AtPlayhead);
    let at_playhead = drawn_in_full(&harness);
    assert_eq!(at_playhead, current_by_status(&harness));

    // The arrest of the 20th covers the playhead: in full in every mode; the attack of the
    // 22nd is still to come in all of them.
    for shown in [&window, &cumulative, &at_playhead] {
        assert!(shown.contains("isis-commander-arrest"), "{shown:?}");
        assert!(shown.contains("us-intel-since-november"), "{shown:?}");
        assert!(!shown.contains("crocus-attack"), "{shown:?}");
    }
    // The speech of the 19th ended less than a day before: in the one-day window only.
    assert!(window.contains("putin-provocative-speech"), "{window:?}");
    assert!(!at_playhead.contains("putin-provocative-speech"));
    // The operations of the 3rd and the 7th: only everything-so-far shows them.
    for early in ["karabulak-operation", "kaluga-cell"] {
        assert!(cumulative.contains(early), "{cumulative:?}");
        assert!(!window.contains(early), "{window:?}");
    }
    assert!(at_playhead.is_subset(&window) && window.is_subset(&cumulative));
    assert!(at_playhead.len() < window.len() && window.len() < cumulative.len());

    // Back to the window: the same events as before.
    harness.get_by_label("Window").click();
    harness.run();
    assert_eq!(harness.state().view.time.mode, PlaybackMode::Window);
    assert_eq!(drawn_in_full(&harness), window);
    assert_eq!(window, current_by_status(&harness));
}

#[test]
fn the_window_length_is_offered_only_in_window_mode() {
    let mut harness = harness();
    harness.state_mut().apply(Command::SetWindow(14 * DAY));
    harness.run();
    assert!(
        !harness
            .get_by_value("14 days")
            .accesskit_node()
            .is_disabled()
    );
    harness.get_by_label("At the playhead").click();
    harness.run();
    assert!(
        harness
            .get_by_value("14 days")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn playing_with_skip_empty_jumps_to_shortly_before_the_next_event() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label("Skip empty").click();
    harness.run();
    assert!(harness.state().view.time.skip_empty);

    // The 8th of March: nothing until the campaign of the 15th, seven seconds away at a day
    // a second.
    let campaign = start_of(&harness, "election-campaign");
    let app = harness.state_mut();
    app.apply(Command::SetSpeed(1.0));
    app.apply(Command::SetPlayhead(march(8)));
    app.apply(Command::TogglePlay);
    app.apply(Command::AdvancePlayback(1.0 / 60.0));
    assert_eq!(app.view.time.playhead, campaign - DAY / 2);
    assert!(app.view.time.playing, "playback goes on");
    // Near it now: plain steps of a frame.
    app.apply(Command::AdvancePlayback(0.1));
    assert_eq!(app.view.time.playhead, campaign - DAY / 2 + DAY / 10);

    // Without skipping, the same frame moves a sixtieth of a day.
    app.apply(Command::SetSkipEmpty(false));
    app.apply(Command::SetPlayhead(march(8)));
    app.apply(Command::AdvancePlayback(1.0 / 60.0));
    assert_eq!(app.view.time.playhead, march(8) + DAY / 60);
    app.apply(Command::TogglePlay);
}

#[test]
fn skipping_follows_the_filter() {
    let mut harness = harness();
    let app = harness.state_mut();
    app.apply(Command::SetFilter(Filter {
        categories: vec!["attack".to_owned()],
        ..Filter::default()
    }));
    assert!(app.wait_for_filter(Duration::from_secs(10)));
    harness.run();
    let crocus = start_of(&harness, "crocus-attack");
    let app = harness.state_mut();
    app.apply(Command::SetSkipEmpty(true));
    app.apply(Command::SetPlayhead(march(8)));
    app.apply(Command::TogglePlay);
    app.apply(Command::AdvancePlayback(1.0 / 60.0));
    // The campaign, the speech and the arrest are left out: straight on to the attack.
    assert_eq!(app.view.time.playhead, crocus - DAY / 2);
    app.apply(Command::TogglePlay);
}

#[test]
fn the_bracket_keys_step_between_dates_with_matching_events() {
    let mut harness = harness();
    harness.run();
    harness.state_mut().apply(Command::SetFilter(Filter {
        categories: vec!["security".to_owned()],
        ..Filter::default()
    }));
    harness.state_mut().apply(Command::SetPlayhead(march(4)));
    harness.run();
    let (kaluga, arrest) = (
        start_of(&harness, "kaluga-cell"),
        start_of(&harness, "isis-commander-arrest"),
    );
    harness.key_press(Key::CloseBracket);
    harness.run();
    assert_eq!(harness.state().view.time.playhead, kaluga);
    // Past the campaign and the speech (politics): on to the next security operation.
    harness.key_press(Key::CloseBracket);
    harness.run();
    assert_eq!(harness.state().view.time.playhead, arrest);
    assert_eq!(harness.state().selected, None, "only the playhead moves");
    // Nothing later: the playhead stays.
    harness.key_press(Key::CloseBracket);
    harness.run();
    assert_eq!(harness.state().view.time.playhead, arrest);
    harness.key_press(Key::OpenBracket);
    harness.run();
    assert_eq!(harness.state().view.time.playhead, kaluga);

    // The buttons in the bar do the same.
    harness.get_by_label("Date »").click();
    harness.run();
    assert_eq!(harness.state().view.time.playhead, arrest);
    harness.get_by_label("« Date").click();
    harness.run();
    assert_eq!(harness.state().view.time.playhead, kaluga);
}

#[test]
fn a_step_to_a_date_out_of_view_scrolls_the_timeline() {
    let mut harness = harness();
    harness.run();
    let arrest = start_of(&harness, "isis-commander-arrest");
    let attack = start_of(&harness, "crocus-attack");
    let attack_day = attack as f64 / DAY as f64;
    let app = harness.state_mut();
    app.apply(Command::SetPlayhead(arrest));
    app.apply(Command::SetTimelineView {
        min: attack_day - 30.0,
        max: attack_day - 20.0,
    });
    app.apply(Command::StepDate(Direction::Next));
    // Strictly after the arrest's date: the attack, centred at the same zoom.
    assert_eq!(app.view.time.playhead, attack);
    let view = app.view.timeline_view.unwrap();
    assert!(
        (view.min - (attack_day - 5.0)).abs() < 1e-6
            && (view.max - (attack_day + 5.0)).abs() < 1e-6,
        "{view:?}"
    );
}
