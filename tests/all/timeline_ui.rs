//! UI tests of the timeline's visible span: the panel shows exactly what the view state holds,
//! reports pans, zooms and clicks as changes of it, and the span is remembered between runs.
//! And of the timeline and the filter: only matching events are drawn and picked, and a
//! Shift-drag sets the filter's date range.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::model::TimeRange;
use event_atlas::model::calendar::DAY;
use event_atlas::model::filter::Filter;
use event_atlas::state::{TimelineView, ViewState};
use event_atlas::timeline::fit_range;

use crate::ui::{harness_with, index_of};

fn harness() -> Harness<'static, EventAtlasApp> {
    let mut harness = harness_with(ViewState::default());
    harness.run();
    harness
}

/// Day (since 1970) of an event's start.
fn start_day(harness: &Harness<'_, EventAtlasApp>, index: usize) -> f64 {
    harness.state().dataset.events[index].span.start as f64 / DAY as f64
}

fn view(harness: &Harness<'_, EventAtlasApp>) -> TimelineView {
    harness.state().view.timeline_view.expect("a view is set")
}

fn set_view(harness: &mut Harness<'_, EventAtlasApp>, min: f64, max: f64) {
    harness
        .state_mut()
        .apply(Command::SetTimelineView { min, max });
    harness.run();
}

/// The span the plot showed in the last frame, read back from where two marks were drawn.
fn drawn_span(harness: &Harness<'_, EventAtlasApp>, plot_left: f32, plot_width: f32) -> (f64, f64) {
    let (a, b) = (
        index_of(harness, "karabulak-operation"),
        index_of(harness, "crocus-attack"),
    );
    let (xa, xb) = (
        harness.state().timeline_mark_position(a).unwrap().x as f64,
        harness.state().timeline_mark_position(b).unwrap().x as f64,
    );
    let days_per_px = (start_day(harness, b) - start_day(harness, a)) / (xb - xa);
    let min = start_day(harness, a) - (xa - plot_left as f64) * days_per_px;
    (min, min + plot_width as f64 * days_per_px)
}

/// The plot's left edge and width, from two frames showing known spans.
fn plot_geometry(harness: &mut Harness<'_, EventAtlasApp>) -> (f32, f32) {
    let crocus = index_of(harness, "crocus-attack");
    let day = start_day(harness, crocus);
    set_view(harness, day, day + 10.0);
    let left = harness.state().timeline_mark_position(crocus).unwrap().x;
    set_view(harness, day - 10.0, day);
    let right = harness.state().timeline_mark_position(crocus).unwrap().x;
    (left, right - left)
}

#[test]
fn the_panel_shows_exactly_the_view_and_a_still_frame_changes_nothing() {
    let mut harness = harness();
    // Nothing chosen yet: the data is fitted, and drawing it writes nothing back.
    assert_eq!(harness.state().view.timeline_view, None);
    harness.run();
    assert_eq!(harness.state().view.timeline_view, None);

    let (left, width) = plot_geometry(&mut harness);
    assert!(width > 500.0, "{width}");
    let crocus = index_of(&harness, "crocus-attack");
    let day = start_day(&harness, crocus);
    for (min, max) in [(day - 30.0, day + 5.0), (day - 200.0, day + 100.0)] {
        set_view(&mut harness, min, max);
        harness.run();
        assert_eq!(view(&harness), TimelineView { min, max }, "kept as given");
        let (drawn_min, drawn_max) = drawn_span(&harness, left, width);
        let tolerance = (max - min) / width as f64;
        assert!(
            (drawn_min - min).abs() < tolerance && (drawn_max - max).abs() < tolerance,
            "drawn {drawn_min}..{drawn_max}, asked {min}..{max}"
        );
    }
}

#[test]
fn zooming_and_panning_the_plot_change_the_view() {
    let mut harness = harness();
    let karabulak = index_of(&harness, "karabulak-operation");
    let crocus = index_of(&harness, "crocus-attack");
    let day = start_day(&harness, crocus);
    set_view(&mut harness, day - 40.0, day + 10.0);
    let at = harness.state().timeline_mark_position(karabulak).unwrap();

    harness.hover_at(at);
    harness.run();
    harness.event(egui::Event::Zoom(2.0));
    harness.run();
    let zoomed = view(&harness);
    assert!(
        (zoomed.max - zoomed.min - 25.0).abs() < 0.5,
        "twice the zoom, half the span: {zoomed:?}"
    );
    // Zoomed around the pointer: the day under it stays put.
    let after = harness.state().timeline_mark_position(karabulak).unwrap();
    assert!((after.x - at.x).abs() < 2.0, "{at:?} -> {after:?}");

    // Drag the plot 200 px to the left: later dates come into view, the zoom is kept.
    let start = at + egui::vec2(0.0, 12.0);
    harness.hover_at(start);
    harness.run();
    harness.drag_at(start);
    harness.run();
    for step in 1..=5 {
        harness.hover_at(start - egui::vec2(40.0 * step as f32, 0.0));
        harness.run();
    }
    harness.drop_at(start - egui::vec2(200.0, 0.0));
    harness.run();
    let panned = view(&harness);
    assert!(panned.min > zoomed.min + 1.0, "{zoomed:?} -> {panned:?}");
    assert!(((panned.max - panned.min) - (zoomed.max - zoomed.min)).abs() < 1e-6);
}

#[test]
fn the_fit_button_fits_the_data() {
    let mut harness = harness();
    let extent = harness.state().dataset.extent;
    let day = start_day(&harness, index_of(&harness, "crocus-attack"));
    set_view(&mut harness, day - 3.0, day + 3.0);
    harness.get_by_label("Fit").click();
    harness.run();
    assert_eq!(view(&harness), fit_range(extent));
}

#[test]
fn a_double_click_on_the_plot_fits_the_data() {
    // Kittest runs a frame per press or release: short frames keep two clicks a double-click.
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_step_dt(0.05)
        .build_ui_state(
            |ui, app: &mut EventAtlasApp| app.ui(ui),
            EventAtlasApp::new(ViewState::default()),
        );
    harness.run();
    let extent = harness.state().dataset.extent;
    let crocus = index_of(&harness, "crocus-attack");
    let day = start_day(&harness, crocus);
    set_view(&mut harness, day - 3.0, day + 3.0);
    // Half a day before the crocus mark, between two rows: inside the plot, on no event.
    let at = harness.state().timeline_mark_position(crocus).unwrap() + egui::vec2(-100.0, 10.0);
    harness.hover_at(at);
    harness.run();
    for pressed in [true, false, true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run();
    assert_eq!(harness.state().selected, None);
    assert_eq!(view(&harness), fit_range(extent));
}

#[test]
fn focusing_an_event_scrolls_the_timeline_to_it() {
    let mut harness = harness();
    let crocus = index_of(&harness, "crocus-attack");
    let day = start_day(&harness, crocus);
    set_view(&mut harness, day - 100.0, day - 90.0);
    harness.state_mut().apply(Command::Focus(crocus));
    harness.run();
    let shown = view(&harness);
    assert_eq!(
        shown,
        TimelineView {
            min: day - 5.0,
            max: day + 5.0
        },
        "centred, same zoom"
    );
    assert_eq!(harness.state().selected, Some(crocus));
    // Already in view: focusing does not move it.
    harness.state_mut().apply(Command::Focus(crocus));
    harness.run();
    assert_eq!(view(&harness), shown);
}

#[test]
fn the_view_is_remembered_between_runs_also_from_older_versions() {
    let mut harness = harness();
    let day = start_day(&harness, index_of(&harness, "crocus-attack"));
    set_view(&mut harness, day - 20.0, day + 1.5);
    let saved = serde_json::to_value(&harness.state().view).unwrap();
    assert_eq!(
        saved["timeline_view"],
        serde_json::json!([day - 20.0, day + 1.5]),
        "saved as [min, max], as before"
    );

    // A state written by an older version, with the span as a `(f64, f64)`.
    let key = harness.state().dataset.title.clone();
    let old = format!(r#"{{"dataset_key": {key:?}, "timeline_view": [19700.5, 19800.25]}}"#);
    let restored: ViewState = serde_json::from_str(&old).unwrap();
    let mut again = harness_with(restored);
    again.run();
    assert_eq!(
        view(&again),
        TimelineView {
            min: 19700.5,
            max: 19800.25
        }
    );
}

#[test]
fn clicking_a_histogram_bar_zooms_in_on_its_events() {
    // 2000 events over ten days in one category: a lane too dense for single marks.
    let events: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                r#"{{"id": "e{i}", "title": "Event {i}", "when": "2023-01-{:02}", "category": "busy"}}"#,
                1 + i % 10
            )
        })
        .collect();
    let json = format!(r#"{{"title": "Busy", "events": [{}]}}"#, events.join(",\n"));
    let mut harness = harness();
    assert!(harness.state_mut().open_bytes(json.as_bytes(), "busy.json"));
    harness.run();
    assert_eq!(
        harness.state().view.timeline_view,
        None,
        "a new dataset is fitted"
    );
    let fitted = fit_range(harness.state().dataset.extent);
    // Where the events of the 5th of January are counted.
    let fifth = index_of(&harness, "e4");
    let at = harness.state().timeline_mark_position(fifth).unwrap();
    harness.hover_at(at);
    harness.run();
    harness.get_by_label_contains("Click to zoom in on them");
    assert_eq!(
        harness.state().hover.this_frame(),
        None,
        "a histogram's marks are not picked"
    );
    harness.drag_at(at);
    harness.run();
    harness.drop_at(at);
    harness.run();
    let zoomed = view(&harness);
    // The bin (a few pixels of the fitted span) with two days of context on each side.
    assert!(
        zoomed.max - zoomed.min < (fitted.max - fitted.min) / 2.0,
        "{fitted:?} -> {zoomed:?}"
    );
    let fifth_day = start_day(&harness, fifth);
    assert!(
        zoomed.min < fifth_day && fifth_day < zoomed.max,
        "{zoomed:?}"
    );
}

/// Drags on the plot from `from` to `to` with Shift held, in small steps.
fn shift_drag(harness: &mut Harness<'_, EventAtlasApp>, from: egui::Pos2, to: egui::Pos2) {
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for step in 1..=4 {
        harness.hover_at(from + (to - from) * (step as f32 / 4.0));
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness.run();
}

#[test]
fn a_shift_drag_on_the_plot_sets_the_filters_date_range() {
    let mut harness = harness();
    let (karabulak, crocus) = (
        index_of(&harness, "karabulak-operation"),
        index_of(&harness, "crocus-attack"),
    );
    // Another criterion is kept when the range is set.
    harness.state_mut().apply(Command::SetFilter(Filter {
        has_place: true,
        ..Filter::default()
    }));
    // The lanes' labels now count what matches: the plot settles on their new width.
    harness.run_steps(3);
    let before = harness.state().view.timeline_view;
    let (a, b) = (
        harness.state().timeline_mark_position(karabulak).unwrap(),
        harness.state().timeline_mark_position(crocus).unwrap(),
    );
    // From a little after the 3rd of March to a little after the 22nd, between two rows.
    let y = a.y + 12.0;
    shift_drag(
        &mut harness,
        egui::pos2(a.x + 2.0, y),
        egui::pos2(b.x + 2.0, y),
    );
    let filter = &harness.state().view.filter;
    let first = harness.state().dataset.events[karabulak].span.start;
    let after_last = harness.state().dataset.events[crocus].span.start + DAY;
    assert_eq!(
        filter.span,
        Some(TimeRange {
            start: first,
            end: after_last
        }),
        "whole days, from the 3rd to the 22nd"
    );
    assert!(filter.has_place, "the rest of the filter is kept");
    assert_eq!(
        harness.state().view.timeline_view,
        before,
        "the plot did not pan"
    );
    assert_eq!(harness.state().selected, None);

    // The × over the range clears it, and only it.
    let timeline_top = harness.state().timeline_mark_position(karabulak).unwrap().y - 200.0;
    let clear = harness
        .get_all_by_label("×")
        .find(|node| node.rect().top() > timeline_top)
        .expect("a × in the timeline");
    clear.click();
    harness.run();
    assert_eq!(harness.state().view.filter.span, None);
    assert!(harness.state().view.filter.has_place);
}

#[test]
fn a_drag_without_shift_still_pans() {
    let mut harness = harness();
    let karabulak = index_of(&harness, "karabulak-operation");
    let day = start_day(&harness, karabulak);
    set_view(&mut harness, day - 20.0, day + 20.0);
    let at = harness.state().timeline_mark_position(karabulak).unwrap() + egui::vec2(0.0, 12.0);
    harness.hover_at(at);
    harness.run();
    harness.drag_at(at);
    harness.run();
    for step in 1..=4 {
        harness.hover_at(at - egui::vec2(50.0 * step as f32, 0.0));
        harness.run();
    }
    harness.drop_at(at - egui::vec2(200.0, 0.0));
    harness.run();
    assert_eq!(harness.state().view.filter.span, None);
    assert!(view(&harness).min > day - 20.0 + 1.0);
}

#[test]
fn a_category_filter_hides_the_other_lanes_marks() {
    let mut harness = harness();
    let ids = ["karabulak-operation", "crocus-attack", "isis-claim"];
    let [karabulak, crocus, claim] = ids.map(|id| index_of(&harness, id));
    for index in [karabulak, crocus, claim] {
        assert!(harness.state().timeline_mark_position(index).is_some());
    }
    harness.state_mut().apply(Command::SetFilter(Filter {
        categories: vec!["attack".to_owned(), "claim".to_owned()],
        ..Filter::default()
    }));
    harness.run();
    let app = harness.state();
    assert!(app.timeline_mark_position(crocus).is_some());
    assert!(app.timeline_mark_position(claim).is_some());
    assert_eq!(app.timeline_mark_position(karabulak), None);
    let in_full = app.timeline_panel().drawn_in_full();
    let matching: Vec<usize> = app.filtering.matches.iter().collect();
    assert!(
        in_full.iter().all(|index| matching.contains(index)),
        "only matching events are drawn: {in_full:?}"
    );

    // Where the Karabulak mark was, there is nothing to hover or pick.
    harness.state_mut().apply(Command::ClearFilter);
    harness.run();
    let at = harness.state().timeline_mark_position(karabulak).unwrap();
    harness.state_mut().apply(Command::SetFilter(Filter {
        categories: vec!["attack".to_owned()],
        ..Filter::default()
    }));
    harness.run();
    harness.hover_at(at);
    harness.run();
    assert_eq!(harness.state().hover.this_frame(), None);
    harness.hover_at(at + egui::vec2(0.0, 1.0));
    harness.run();
    harness.drag_at(at);
    harness.run();
    harness.drop_at(at);
    harness.run();
    assert_eq!(harness.state().selected, None);
}
