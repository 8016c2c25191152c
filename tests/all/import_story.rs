//! TimelineJS3 and StoryMapJS files (tests/data/timelinejs, tests/data/storymap): what every
//! slide becomes (dates at their precision, deep time, eras, undated slides, the story's
//! order), and the app showing them: the timeline's axis covers the events, undated events are
//! on the map and nowhere on the timeline.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use egui_kittest::Harness;
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::io::{LoadError, Loaded, load_path, parse_dataset};
use event_atlas::model::calendar::{DAY, days_from_civil};
use event_atlas::model::{Dataset, EventDetails, LonLat, Precision, StepCamera, When};
use event_atlas::state::ViewState;
use event_atlas::timeline::{fit_range, shown_range};

use crate::ui::harness_with;

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

fn load(path: &str) -> Loaded {
    match load_path(&data(path)) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{path} should load:\n{}", error.lines().join("\n")),
    }
}

fn day(year: i64, month: u32, day: u32) -> i64 {
    days_from_civil(year, month, day) * DAY
}

/// The event with this id, its `when` text and its details.
fn event<'a>(dataset: &'a Dataset, id: &str) -> (&'a str, EventDetails) {
    let index = dataset.find(id).unwrap_or_else(|| panic!("no event {id}"));
    let event = &dataset.events[index];
    (event.when_text(), dataset.details(index).unwrap())
}

/// The id of the event with this title.
fn id_of(dataset: &Dataset, title: &str) -> String {
    dataset
        .events
        .iter()
        .find(|e| e.title() == title)
        .unwrap_or_else(|| panic!("no event titled {title}"))
        .id()
        .to_owned()
}

fn field<'a>(details: &'a EventDetails, name: &str) -> Option<&'a str> {
    details
        .fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn warnings(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn timelinejs_slides_become_events_at_their_precision() {
    let loaded = load("timelinejs/roman.json");
    let report = loaded.report.clone().unwrap();
    assert_eq!(
        report.summary(),
        "TimelineJS: 10 events → 7 events (7 without a place); 3 skipped: 2 without a date, 1 with a date that cannot be read"
    );
    let dataset = &loaded.dataset;
    assert_eq!(dataset.title, "Rome and after");
    assert_eq!(
        dataset.description.as_deref(),
        Some("A test timeline written from the TimelineJS3 JSON format documentation.")
    );
    // Numeric strings with blanks, a BCE year; HTML shown inert; media listed, not fetched.
    let (when, details) = event(dataset, "ides");
    assert_eq!(when, "-0043-03-15");
    let ides = &dataset.events[dataset.find("ides").unwrap()];
    assert_eq!(ides.when_words(), "15 March 44 BCE");
    assert_eq!(details.summary.as_deref(), Some("Caesar is killed."));
    assert_eq!(
        details.fields,
        [
            ("media".into(), "https://example.org/caesar.jpg".into()),
            ("media caption".into(), "The death of Caesar".into()),
            ("media credit".into(), "Example Museum".into()),
            (
                "media thumbnail".into(),
                "https://example.org/caesar-small.jpg".into()
            ),
        ]
    );
    let categories: Vec<&str> = dataset.categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(categories, ["Politics", "Nature"]);
    assert_eq!(dataset.categories[ides.category.unwrap()].id, "Politics");
    // A month without a day stays a month; the display date is kept.
    let (when, details) = event(dataset, &id_of(dataset, "Vesuvius erupts"));
    assert_eq!(when, "0079-10");
    assert_eq!(field(&details, "date as shown"), Some("Autumn 79 AD"));
    // An hour without minutes is that hour; seconds are kept, milliseconds are not.
    assert_eq!(
        event(dataset, &id_of(dataset, "Battle of Hastings begins")).0,
        "1066-10-14T09:00/1066-10-14T09:59"
    );
    assert_eq!(event(dataset, "ides-2").0, "1969-07-20T20:17:40");
    assert_eq!(
        event(dataset, &id_of(dataset, "Last Roman–Persian war")).0,
        "0602/0629"
    );
    assert_eq!(
        event(dataset, &id_of(dataset, "A day without a month")).0,
        "1700"
    );
    assert_eq!(
        event(dataset, &id_of(dataset, "Ends before it starts")).0,
        "1800"
    );
    assert_eq!(
        dataset.summary_line(),
        "7 events, 0 with a place, -0043-03-15 to 1969-07-20T20:17Z"
    );
}

#[test]
fn timelinejs_problems_name_the_line_and_say_what_to_do() {
    let loaded = load("timelinejs/roman.json");
    let file = data("timelinejs/roman.json").display().to_string();
    let expected = [
        ":69: warning: event 6 (\"A day without a month\"): day given without month: left out",
        ":73: warning: event 7 (\"Ends before it starts\"): its end_date is not after its start_date (the interval ends (1700) before it starts (1800)); the event is shown at its start_date only",
        ":78: warning: skipped: event 8 (\"No start date\") has no start_date: give it one with at least a year, e.g. \"start_date\": {\"year\": 2024}",
        ":82: warning: skipped: event 9 (\"Month thirteen\"): its start_date is not a date: '2024-13': month 13 does not exist",
        ":86: warning: skipped: event 10 (\"Blank date\") has a start_date without a year: give it one with at least a year, e.g. \"start_date\": {\"year\": 2024}",
        ":25: warning: field \"eras\": era 4 (\"Era without an end\"): it has no end_date; it is not drawn (an era needs a start_date and an end_date after it)",
    ];
    let expected: Vec<String> = expected
        .iter()
        .map(|line| format!("{file}{line}"))
        .collect();
    assert_eq!(warnings(&loaded), expected);
}

#[test]
fn timelinejs_eras_are_kept_with_their_spans() {
    let dataset = load("timelinejs/roman.json").dataset;
    let eras: Vec<(&str, i64, i64)> = dataset
        .eras
        .iter()
        .map(|era| (era.label.as_str(), era.span.start, era.span.end))
        .collect();
    assert_eq!(
        eras,
        [
            ("Roman Republic", day(-509, 1, 1), day(-26, 1, 1)),
            ("Roman Empire", day(-27, 1, 1), day(477, 1, 1)),
            ("Tang dynasty", day(618, 6, 18), day(907, 6, 2)),
        ]
    );
}

#[test]
fn cosmological_years_load_in_deep_time() {
    let loaded = load("timelinejs/cosmological.json");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "TimelineJS (cosmological scale): 6 events → 6 events (6 without a place)"
    );
    let dataset = &loaded.dataset;
    assert_eq!(dataset.title, "Deep time");
    let big_bang = dataset.find(&id_of(dataset, "The Big Bang")).unwrap();
    let event = &dataset.events[big_bang];
    assert_eq!(event.when_text(), "Y-13798000000");
    assert_eq!(event.when_words(), "about 13.8 billion years ago");
    assert_eq!(event.span.start, day(-13_798_000_000, 1, 1));
    assert_eq!(big_bang, 0, "the earliest event comes first");
    let jurassic = id_of(dataset, "Jurassic");
    assert_eq!(event_when(dataset, &jurassic), "Y-201400000/Y-145000000");
    let middle = id_of(dataset, "Middle Jurassic");
    assert_eq!(event_when(dataset, &middle), "Y-170000000");
    let middle = &dataset.events[dataset.find(&middle).unwrap()];
    assert_eq!(middle.when_words(), "170 million years ago");
    match middle.when() {
        Some(When::Single(date)) => assert_eq!(date.precision(), Precision::Year),
        other => panic!("{other:?}"),
    }
    let today = id_of(dataset, "Today");
    assert_eq!(event_when(dataset, &today), "0000");
    let (_, details) = self::event(dataset, &today);
    assert_eq!(field(&details, "date as shown"), Some("Now"));
    let extent = dataset.extent.unwrap();
    assert_eq!(extent.start, day(-13_798_000_000, 1, 1));
    assert_eq!(extent.end, day(1, 1, 1));
    assert_eq!(
        dataset.summary_line(),
        "6 events, 0 with a place, Y-13798000000 to 0000"
    );
    assert_eq!(dataset.eras.len(), 1);
    assert_eq!(dataset.eras[0].label, "Mesozoic");
    assert!(
        warnings(&loaded)[0].ends_with(
            "event 3 (\"Middle Jurassic\"): EDTF writes years beyond four digits without months or days: only the year is kept"
        ),
        "{:?}",
        warnings(&loaded)
    );
}

fn event_when(dataset: &Dataset, id: &str) -> String {
    event(dataset, id).0.to_owned()
}

#[test]
fn storymap_slides_become_located_events_in_story_order() {
    let loaded = load("storymap/census.json");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "StoryMapJS: 8 slides → 8 events (2 without a place, 3 without a date)"
    );
    let dataset = &loaded.dataset;
    assert_eq!(dataset.title, "A story told in places");
    assert_eq!(
        dataset.description.as_deref(),
        Some("A test story map written from the StoryMapJS format.")
    );
    let titles: Vec<&str> = story_ids(dataset)
        .iter()
        .map(|id| dataset.events[dataset.find(id).unwrap()].title())
        .collect();
    assert_eq!(
        titles,
        [
            "Crocus City Hall",
            "A year",
            "A season",
            "About 1200",
            "No date at all",
            "A date that is no date",
            "Bad coordinates",
            "A slide whose headline is empty, so its text names it.",
        ]
    );
    assert_eq!(story_ids(dataset)[0], "slide-1");
    // Coordinates as strings; the place name; the free text kept; the slide's number.
    let (when, details) = event(dataset, "slide-1");
    assert_eq!(when, "2024-03-22");
    let crocus = &dataset.events[dataset.find("slide-1").unwrap()];
    assert_eq!(crocus.location.point(), Some(LonLat::new(37.3870, 55.8234)));
    assert_eq!(details.place_name.as_deref(), Some("Krasnogorsk"));
    assert_eq!(field(&details, "date"), Some("March 22, 2024"));
    assert_eq!(field(&details, "slide"), Some("1 of 8"));
    assert_eq!(
        field(&details, "media credit"),
        Some("Example (https://example.org)")
    );
    assert_eq!(event(dataset, "slide-2").0, "1945");
    let (when, details) = event(dataset, "slide-3");
    assert_eq!(when, "1945");
    assert_eq!(
        details.date_note.as_deref(),
        Some("'Spring 1945' read as the year 1945: seasons are not dates Event Atlas keeps")
    );
    let (when, details) = event(dataset, "slide-4");
    assert_eq!(when, "1200~");
    assert_eq!(
        details.summary.as_deref(),
        Some("Safe text"),
        "HTML is inert"
    );
    assert_eq!(event(dataset, "slide-7").0, "-0043");
    assert_eq!(field(&event(dataset, "slide-8").1, "slide"), Some("8 of 8"));
}

#[test]
fn storymap_slides_become_complete_story_steps() {
    let loaded = load("storymap/census.json");
    let story = &loaded.dataset.story;
    assert_eq!(story.title.as_deref(), Some("A story told in places"));
    assert_eq!(story.steps.len(), 8);
    let first = &story.steps[0];
    assert_eq!(first.title, "Crocus City Hall");
    assert_eq!(first.text, "An exact day.");
    assert_eq!(first.quote, None);
    let view = &first.view;
    assert_eq!(
        view.camera,
        Some(StepCamera {
            center: LonLat::new(37.3870, 55.8234),
            zoom: 10.0,
        }),
        "the slide's own zoom"
    );
    assert_eq!(view.playhead, Some(day(2024, 3, 22)));
    assert_eq!(view.selection.as_deref(), Some("slide-1"));
    assert_eq!((view.window, view.mode, &view.filter), (None, None, &None));
    // Without a zoom of its own, a region around the point; a year's playhead at its start.
    let year = &story.steps[1].view;
    assert_eq!(year.camera.unwrap().zoom, 8.0);
    assert_eq!(year.playhead, Some(day(1945, 1, 1)));
    assert_eq!(
        story.steps[3].text, "Safe text",
        "HTML is inert in captions too"
    );
    // Without a date the playhead stays; without a place the map does.
    let undated = &story.steps[4].view;
    assert_eq!(undated.playhead, None);
    assert_eq!(undated.camera.unwrap().center, LonLat::new(2.3522, 48.8566));
    let bad_point = &story.steps[6].view;
    assert_eq!(
        (bad_point.camera, bad_point.playhead),
        (None, Some(day(-43, 1, 1)))
    );
    assert_eq!(story.steps[7].view.camera, None);
    // A story map of places only: every step moves the map, none the playhead.
    let places = load("storymap/undated.json").dataset.story;
    assert_eq!(places.title.as_deref(), Some("Places only"));
    let centers: Vec<LonLat> = places
        .steps
        .iter()
        .map(|step| step.view.camera.unwrap().center)
        .collect();
    assert_eq!(
        centers,
        [
            LonLat::new(-9.1393, 38.7223),
            LonLat::new(-8.6291, 41.1579),
            LonLat::new(-8.4103, 40.2033)
        ]
    );
    assert!(places.steps.iter().all(|step| step.view.playhead.is_none()));
}

#[test]
fn storymap_slides_without_a_usable_date_are_undated_events() {
    let loaded = load("storymap/census.json");
    let dataset = &loaded.dataset;
    for id in ["slide-5", "slide-6", "slide-8"] {
        let event = &dataset.events[dataset.find(id).unwrap()];
        assert!(event.is_undated(), "{id}");
        assert_eq!(event.when_words(), "no date given");
    }
    let paris = &dataset.events[dataset.find("slide-5").unwrap()];
    assert_eq!(paris.location.point(), Some(LonLat::new(2.3522, 48.8566)));
    // The undated do not stretch the extent: from 44 BC to 22 March 2024.
    let extent = dataset.extent.unwrap();
    assert_eq!(
        (extent.start, extent.end),
        (day(-43, 1, 1), day(2024, 3, 23))
    );
    assert_eq!(
        dataset.extent_text().as_deref(),
        Some("-0043 to 2024-03-22")
    );
    assert_eq!(fit_range(dataset.extent), fit_range(Some(extent)));
    let file = data("storymap/census.json").display().to_string();
    assert_eq!(
        warnings(&loaded),
        [
            format!(
                "{file}:41: warning: field \"date\": slide 6 (\"A date that is no date\"): the date 'the day after' is not one Event Atlas reads (e.g. 1945, March 22, 2024, c. 1200): the slide is shown on the map without a date"
            ),
            format!(
                "{file}:46: warning: field \"location\": slide 7 (\"Bad coordinates\"): lat 95, lon 12.48 is not on the earth (lat -90 to 90, lon -180 to 180); the slide has no place"
            ),
        ]
    );
}

#[test]
fn a_story_map_with_no_dates_still_opens() {
    let loaded = load("storymap/undated.json");
    let dataset = &loaded.dataset;
    assert_eq!(dataset.extent, None);
    assert_eq!(dataset.extent_text(), None);
    assert_eq!(
        dataset.summary_line(),
        "3 events, 3 with a place, 3 without a date"
    );
    assert_eq!(story_ids(dataset), ["slide-1", "slide-2", "slide-3"]);
    assert!(dataset.events.iter().all(|e| e.is_undated()));
    let porto = &dataset.events[dataset.find("slide-2").unwrap()];
    assert_eq!(porto.location.point(), Some(LonLat::new(-8.6291, 41.1579)));
}

#[test]
fn knightlab_files_are_told_apart_from_event_atlas_json() {
    let timeline = br#"{"events": [{"start_date": {"year": 1900}, "text": {"headline": "A"}}]}"#;
    let loaded = parse_dataset(timeline, "notes.txt").unwrap();
    assert_eq!(loaded.report.unwrap().format, "TimelineJS");
    let story = br#"{"storymap": {"slides": [{"text": {"headline": "A"}, "date": "1900"}]}}"#;
    let loaded = parse_dataset(story, "story.json").unwrap();
    assert_eq!(loaded.report.unwrap().format, "StoryMapJS");
    let atlas = br#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "Y-170000000"}]}"#;
    let loaded = parse_dataset(atlas, "atlas.json").unwrap();
    assert!(loaded.report.is_none(), "Event Atlas JSON, not an import");
    assert_eq!(
        loaded.dataset.events[0].when_words(),
        "170 million years ago"
    );
}

#[test]
fn broken_knightlab_files_say_where() {
    let lines = |bytes: &[u8], name: &str| match parse_dataset(bytes, name) {
        Err(error @ LoadError::Invalid { .. }) => error.lines(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        lines(
            b"{\"events\": [{\"start_date\": {\"year\": 1}},\n  oops]}",
            "t.json"
        ),
        ["t.json:2:3: invalid JSON: expected value"]
    );
    assert_eq!(
        lines(
            b"{\"scale\": \"human\",\n \"events\": {\"a\": 1}}",
            "t.json"
        ),
        ["t.json:2: \"events\" must be a list ([…])"]
    );
    assert_eq!(
        lines(b"{\"storymap\": {\"slides\": []}}", "s.json"),
        ["s.json: no slides found: there is nothing to show"]
    );
    assert_eq!(
        lines(
            b"{\"events\": [{\"start_date\": {\"year\": \"soon\"}}]}",
            "t.json"
        ),
        [
            "t.json: none of the rows became an event (TimelineJS: 1 event → 0 events; 1 skipped: 1 with a date that cannot be read)",
            "t.json:1: warning: skipped: event 1: its start_date has year \"soon\", which is not a whole number",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// In the app

fn open(path: &str) -> Harness<'static, EventAtlasApp> {
    let mut harness = harness_with(ViewState::default());
    harness.run();
    assert!(harness.state_mut().open_path(&data(path)), "{path} opens");
    harness.run();
    harness.run();
    harness
}

/// The x of an event's mark on screen.
fn mark_x(harness: &Harness<'_, EventAtlasApp>, index: usize) -> f32 {
    harness
        .state()
        .timeline_mark_position(index)
        .unwrap_or_else(|| panic!("event {index} has a mark"))
        .x
}

#[test]
fn the_timeline_shows_eras_and_deep_time_across_its_width() {
    for path in ["timelinejs/roman.json", "timelinejs/cosmological.json"] {
        let mut harness = open(path);
        let app = harness.state();
        let dataset = &app.dataset;
        assert!(!dataset.eras.is_empty(), "{path}");
        let shown = shown_range(app.view.timeline_view, dataset.extent);
        let extent = dataset.extent.unwrap();
        let (first, last) = (
            extent.start as f64 / DAY as f64,
            extent.end as f64 / DAY as f64,
        );
        assert!(shown.min < first && shown.max > last, "{path}: {shown:?}");
        // The first and the last event are drawn, in order, inside the window.
        let count = dataset.events.len();
        let (left, right) = (mark_x(&harness, 0), mark_x(&harness, count - 1));
        assert!(
            0.0 < left && left < right && right < 1400.0,
            "{path}: {left} {right}"
        );
        // Zoomed far out and back: no panic, the marks stay in order.
        harness.state_mut().apply(Command::SetTimelineView {
            min: -1.0e15,
            max: 1.0e15,
        });
        harness.run();
        harness.state_mut().apply(Command::FitTimeline);
        harness.run();
        assert!(mark_x(&harness, 0) < mark_x(&harness, count - 1), "{path}");
    }
}

#[test]
fn undated_events_are_on_the_map_at_every_playhead_and_never_on_the_timeline() {
    let mut harness = open("storymap/census.json");
    let undated: Vec<usize> = {
        let dataset = &harness.state().dataset;
        (0..dataset.events.len())
            .filter(|&i| dataset.events[i].is_undated())
            .collect()
    };
    assert_eq!(undated.len(), 3);
    for &index in &undated {
        assert_eq!(harness.state().timeline_mark_position(index), None);
    }
    // At the end every placed event is shown; at the start, only the undated ones with a
    // place (Paris, Madrid): the first dated event, 44 BC, has none.
    harness.state_mut().apply(Command::JumpToEnd);
    harness.run();
    assert_eq!(harness.state().shown_on_map(), 6);
    harness.state_mut().apply(Command::JumpToStart);
    harness.run();
    assert_eq!(harness.state().shown_on_map(), 2);
    // Selecting an undated event moves neither the playhead nor the timeline.
    let (playhead, view) = (
        harness.state().view.time.playhead,
        harness.state().view.timeline_view,
    );
    harness.state_mut().apply(Command::Focus(undated[0]));
    harness.run();
    assert_eq!(harness.state().selected, Some(undated[0]));
    assert_eq!(harness.state().view.time.playhead, playhead);
    assert_eq!(harness.state().view.timeline_view, view);
}

#[test]
fn a_file_of_undated_events_opens_with_an_empty_timeline() {
    let mut harness = open("storymap/undated.json");
    assert_eq!(harness.state().dataset.events.len(), 3);
    assert_eq!(harness.state().dataset.extent, None);
    assert_eq!(harness.state().shown_on_map(), 3);
    // As far as the timeline reaches either way (see `seconds_from_days`).
    for playhead in [i64::MIN / 4, -1_000_000 * DAY, 0, i64::MAX / 4] {
        harness.state_mut().apply(Command::SetPlayhead(playhead));
        harness.run();
        assert_eq!(harness.state().shown_on_map(), 3, "at {playhead}");
    }
    harness.state_mut().apply(Command::Focus(1));
    harness.run();
    assert_eq!(harness.state().view.timeline_view, None);
}

/// The events the story's steps select, in order.
fn story_ids(dataset: &event_atlas::model::Dataset) -> Vec<&str> {
    dataset
        .story
        .steps
        .iter()
        .filter_map(|step| step.view.selection.as_deref())
        .collect()
}
