//! Stories in files: the built-in story, a story through the JSON writer and the export, the
//! story file beside a data file (it wins over the file's own story; a broken one is a warning),
//! bad steps as warnings with their line and column, and both JSON readers agreeing.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use event_atlas::io::export::{EventFilter, ExportFormat, select, write_events};
use event_atlas::io::story::{read_sidecar, sidecar_path, story_to_json, write_sidecar};
use event_atlas::io::{Loaded, load_path, parse_dataset};
use event_atlas::model::{
    Dataset, LonLat, PlaybackMode, StepCamera, StepView, Story, StoryStep, When,
};

use crate::ui::TestDir;

fn crocus() -> Loaded {
    event_atlas::builtin::crocus_dataset().unwrap()
}

fn day(text: &str) -> i64 {
    When::parse(text).unwrap().known_start().unwrap()
}

/// A short story of two steps for the crocus data, unlike its own.
fn other_story() -> Story {
    Story {
        title: Some("Only the end".to_owned()),
        steps: vec![
            StoryStep {
                title: "Moscow".to_owned(),
                text: "The city.".to_owned(),
                quote: None,
                view: StepView {
                    camera: Some(StepCamera {
                        center: LonLat::new(37.62, 55.75),
                        zoom: 9.0,
                    }),
                    playhead: Some(day("2024-03-20")),
                    window: Some(2 * 86_400),
                    mode: Some(PlaybackMode::Window),
                    ..StepView::default()
                },
            },
            StoryStep {
                title: "The attack".to_owned(),
                text: String::new(),
                quote: Some("Gunmen attacked".to_owned()),
                view: StepView {
                    selection: Some("crocus-attack".to_owned()),
                    ..StepView::default()
                },
            },
        ],
    }
}

fn messages(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(ToString::to_string).collect()
}

/// Every quote of the dataset's events' sources.
fn dataset_quotes(dataset: &Dataset) -> Vec<String> {
    (0..dataset.events.len())
        .flat_map(|index| dataset.details(index).unwrap().sources)
        .filter_map(|source| source.quote)
        .collect()
}

#[test]
fn the_built_in_story_walks_the_chain_step_by_step() {
    let loaded = crocus();
    assert!(loaded.warnings.is_empty(), "{:?}", messages(&loaded));
    let dataset = &loaded.dataset;
    let story = &dataset.story;
    assert_eq!(
        story.title.as_deref(),
        Some("How the warnings came before the attack")
    );
    assert!(
        (6..=8).contains(&story.steps.len()),
        "{}",
        story.steps.len()
    );
    let extent = dataset.extent.unwrap();
    // The quotes are the article's own words: each is one the events already cite (those were
    // checked against the article when the data was made; the article is not in the
    // repository).
    let quotes = dataset_quotes(dataset);
    for step in &story.steps {
        let title = &step.title;
        assert!(!title.is_empty() && !step.text.is_empty(), "{title}");
        let sentences = step.text.matches(". ").count() + 1;
        assert!(sentences <= 3, "{title}: {sentences} sentences");
        let quote = step.quote.as_deref().unwrap();
        assert!(quotes.iter().any(|q| q.contains(quote)), "{title}: {quote}");
        let view = &step.view;
        let id = view.selection.as_deref().unwrap();
        assert!(dataset.find(id).is_some(), "{title}: {id}");
        let playhead = view.playhead.unwrap();
        assert!(
            extent.start <= playhead && playhead < extent.end,
            "{title}: {playhead}"
        );
        assert!(view.camera.is_some() && view.mode.is_some(), "{title}");
    }
    let selected: Vec<&str> = story
        .steps
        .iter()
        .filter_map(|step| step.view.selection.as_deref())
        .collect();
    assert_eq!(
        selected,
        [
            "us-intel-since-november",
            "us-duty-to-warn",
            "us-embassy-alert",
            "karabulak-operation",
            "kaluga-cell",
            "putin-provocative-speech",
            "crocus-attack",
            "isis-claim",
        ]
    );
    // The embassy's alert stands at 7 March; the last step shows the whole chain.
    assert_eq!(story.steps[2].view.playhead, Some(day("2024-03-07")));
    let last = &story.steps[7].view;
    assert_eq!(last.mode, Some(PlaybackMode::Cumulative));
    assert_eq!(last.playhead, Some(day("2024-03-22")));
}

#[test]
fn a_story_comes_back_equal_through_the_writer_and_the_export() {
    let original = crocus().dataset;
    let mut written = Vec::new();
    event_atlas::io::write::write_dataset(&mut written, &original).unwrap();
    let back = parse_dataset(&written, "written.json").unwrap();
    assert!(back.warnings.is_empty(), "{:?}", messages(&back));
    assert_eq!(back.dataset.story, original.story);
    // The writer puts the story before the events, one step a line.
    let text = String::from_utf8(written).unwrap();
    let story_at = text.find("\"story\": {").unwrap();
    assert!(story_at < text.find("\"events\": [").unwrap());
    assert!(text.contains("\n    {\"title\": \"The embassy's alert\", \"text\": "));
    // File ▸ Export and `convert` write the same.
    let all = select(&original, &EventFilter::default()).unwrap();
    let mut exported = Vec::new();
    let summary = write_events(&mut exported, &original, &all, ExportFormat::Atlas).unwrap();
    assert!(summary.not_kept.is_empty(), "{:?}", summary.not_kept);
    let back = parse_dataset(&exported, "exported.json").unwrap();
    assert_eq!(back.dataset.story, original.story);
    // An export of some events keeps every step, and says which lost their selected event.
    let march_20_on = EventFilter {
        span: Some(
            When::parse("2024-03-20/2024-03-22")
                .unwrap()
                .provisional_span(),
        ),
        ..EventFilter::default()
    };
    let some = select(&original, &march_20_on).unwrap();
    let mut part = Vec::new();
    let summary = write_events(&mut part, &original, &some, ExportFormat::Atlas).unwrap();
    assert_eq!(
        summary.not_kept,
        ["the selected events of 3 story steps (they are not exported)"]
    );
    let back = parse_dataset(&part, "part.json").unwrap();
    assert!(back.warnings.is_empty(), "{:?}", messages(&back));
    let story = &back.dataset.story;
    assert_eq!(story.steps.len(), original.story.steps.len());
    let kept: Vec<&str> = story
        .steps
        .iter()
        .filter_map(|step| step.view.selection.as_deref())
        .collect();
    assert_eq!(
        kept,
        [
            "us-intel-since-november",
            "us-duty-to-warn",
            "us-embassy-alert",
            "crocus-attack",
            "isis-claim"
        ]
    );
    // Other formats say they cannot hold it.
    for format in [ExportFormat::GeoJson, ExportFormat::Csv, ExportFormat::Kml] {
        let summary = write_events(&mut Vec::new(), &original, &all, format).unwrap();
        assert!(
            summary.not_kept.contains(&"the story (8 steps)".to_owned()),
            "{format:?}: {:?}",
            summary.not_kept
        );
    }
}

#[test]
fn a_story_file_beside_the_data_wins_and_reads_back_equal() {
    let dir = TestDir::new("story-sidecar");
    let data = dir.file("crocus.json", event_atlas::builtin::CROCUS_JSON);
    let dataset = load_path(&data).unwrap().dataset;
    assert_eq!(dataset.story, crocus().dataset.story, "no story file yet");
    let saved = write_sidecar(&data, &dataset.title, &other_story()).unwrap();
    assert_eq!(saved, dir.path().join("crocus.json.story.json"));
    assert_eq!(saved, sidecar_path(&data));
    assert_eq!(
        std::fs::read(&data).unwrap(),
        event_atlas::builtin::CROCUS_JSON,
        "the data file is never written"
    );
    let (story, warnings) = read_sidecar(&data, &dataset).unwrap().unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(story, other_story());
    // Opened again, the story file's story replaces the file's own.
    let loaded = load_path(&data).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", messages(&loaded));
    assert_eq!(loaded.dataset.story, other_story());
    // The story file holds what the format documents.
    let text = std::fs::read_to_string(&saved).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["event_atlas_story"], 1);
    assert_eq!(value["dataset"], dataset.title.as_str());
    assert_eq!(value["story"], story_to_json(&other_story()));
    // Any format: a CSV file gets its story from beside it too.
    let csv = dir.file(
        "events.csv",
        "id,title,date,lat,lon\ncrocus-attack,Attack,2024-03-22,55.8256,37.3887\n",
    );
    write_sidecar(&csv, "events", &other_story()).unwrap();
    let loaded = load_path(&csv).unwrap();
    assert_eq!(loaded.dataset.story, other_story());
    assert!(dir.path().join("events.csv.story.json").exists());
}

#[test]
fn a_broken_story_file_is_a_warning_and_the_files_own_story_stays() {
    let dir = TestDir::new("story-broken");
    let data = dir.file("crocus.json", event_atlas::builtin::CROCUS_JSON);
    let sidecar = sidecar_path(&data);
    let name = sidecar.display().to_string();
    std::fs::write(
        &sidecar,
        "{\"event_atlas_story\": 1,\n  \"story\": {\"steps\": [}\n}",
    )
    .unwrap();
    let loaded = load_path(&data).unwrap();
    assert_eq!(loaded.dataset.story, crocus().dataset.story);
    assert_eq!(
        messages(&loaded),
        [format!(
            "{name}:2:23: warning: invalid JSON: expected value; the story file was not read; the data file's own story is shown"
        )]
    );
    std::fs::write(&sidecar, "{\"story\": {\"steps\": []}}").unwrap();
    let loaded = load_path(&data).unwrap();
    assert_eq!(loaded.dataset.story, crocus().dataset.story);
    assert_eq!(
        messages(&loaded),
        [format!(
            "{name}:1:1: warning: field \"event_atlas_story\": not an Event Atlas story file: it needs \"event_atlas_story\": 1; the story file was not read; the data file's own story is shown"
        )]
    );
    std::fs::write(&sidecar, "{\"event_atlas_story\": 1, \"story\": null}").unwrap();
    let loaded = load_path(&data).unwrap();
    assert_eq!(loaded.dataset.story, crocus().dataset.story);
    assert_eq!(
        messages(&loaded),
        [format!(
            "{name}:1:35: warning: field \"story\": expected a story ({{\"steps\": […]}}), found null; the story file was not read; the data file's own story is shown"
        )]
    );
    // A story file that reads, with a bad step: that step is left out, with a warning.
    std::fs::write(
        &sidecar,
        "{\"event_atlas_story\": 1, \"dataset\": \"Another dataset\",\n  \"story\": {\"steps\": [{\"title\": \"A\", \"view\": {\"select\": \"kaluga-cel\"}}, {\"text\": \"B\"}]}}",
    )
    .unwrap();
    let loaded = load_path(&data).unwrap();
    assert_eq!(
        messages(&loaded),
        [
            format!(
                "{name}:1:37: warning: field \"dataset\": this story was made for the dataset \"Another dataset\", and the file holds \"Run-up to the Crocus City Hall attack (March 2024)\"; its steps are shown all the same"
            ),
            format!(
                "{name}:2:57: warning: field \"story.steps[0].view.select\": no event has the id \"kaluga-cel\" (did you mean \"kaluga-cell\"?)"
            ),
            format!(
                "{name}:2:73: warning: field \"story.steps[1].title\": a step needs a title (a short text); the step is left out"
            ),
        ]
    );
    let story = &loaded.dataset.story;
    assert_eq!(story.steps.len(), 1);
    assert_eq!(story.steps[0].view.selection, None);
}

/// A dataset whose story has a bad part in each step. `tail` ends the file: `"sources": []`
/// keeps it clean for the streaming reader, `"places": []` after the events sends it to the
/// positional one; the story's lines are the same in both.
fn bad_story_file(tail: &str) -> String {
    format!(
        r#"{{"title": "T",
"story": {{"title": "Bad parts", "steps": [
  {{"title": "One", "view": {{"center": [37.6, 91], "zoom": 8, "at": "2024-03-07"}}}},
  {{"title": "Two", "view": {{"select": "kaluga-cel", "mode": "loop", "window_days": -1}}}},
  {{"title": "", "text": "no title"}},
  {{"title": "Three", "quote": "q", "view": {{"zoom": 21, "center": [37.6, 55.7], "filter": {{"from": "2024-13", "regions": ["RU-MOS"]}}}}, "caption": "x"}}
]}},
"events": [
  {{"id": "kaluga-cell", "title": "Cell", "when": "2024-03-07"}},
  {{"id": "crocus-attack", "title": "Attack", "when": "2024-03-22"}}
],
{tail}}}"#
    )
}

#[test]
fn bad_steps_are_warnings_with_line_and_column_and_both_readers_agree() {
    let fast = parse_dataset(bad_story_file("\"sources\": []").as_bytes(), "bad.json").unwrap();
    let slow = parse_dataset(bad_story_file("\"places\": []").as_bytes(), "bad.json").unwrap();
    // Each reader did read one of them.
    let reader = |loaded: &Loaded| format!("{:?}", loaded.dataset.details);
    assert!(reader(&fast).contains("MemoryDetails"), "{}", reader(&fast));
    assert!(reader(&slow).contains("DetailList"), "{}", reader(&slow));
    let expected = [
        "bad.json:3:39: warning: field \"story.steps[0].view.center\": latitude 91 is outside -90..90",
        "bad.json:4:39: warning: field \"story.steps[1].view.select\": no event has the id \"kaluga-cel\" (did you mean \"kaluga-cell\"?)",
        "bad.json:4:61: warning: field \"story.steps[1].view.mode\": unknown mode \"loop\"; the modes are \"window\", \"cumulative\" and \"at-playhead\"",
        "bad.json:4:84: warning: field \"story.steps[1].view.window_days\": the window must be more than 0 days, not -1",
        "bad.json:5:13: warning: field \"story.steps[2].title\": a step needs a title (a short text); the step is left out",
        "bad.json:6:53: warning: field \"story.steps[3].view.zoom\": zoom 21 is outside 0..20; the step keeps the map where it is",
        "bad.json:6:100: warning: field \"story.steps[3].view.filter.from\": '2024-13': month 13 does not exist",
        "bad.json:6:147: warning: field \"story.steps[3].caption\": unknown field; ignored",
    ];
    assert_eq!(messages(&fast), expected);
    assert_eq!(messages(&slow), expected);
    assert_eq!(fast.dataset.story, slow.dataset.story);
    // The events are all there; the bad step is left out, the bad parts of the others.
    let story = &fast.dataset.story;
    assert_eq!(fast.dataset.events.len(), 2);
    let titles: Vec<&str> = story.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["One", "Two", "Three"]);
    assert_eq!(story.steps[0].view.camera, None);
    assert_eq!(story.steps[0].view.playhead, Some(day("2024-03-07")));
    assert_eq!(story.steps[1].view, StepView::default());
    let three = &story.steps[2];
    assert_eq!(three.quote.as_deref(), Some("q"));
    assert_eq!(three.view.camera, None);
    let filter = three.view.filter.as_ref().unwrap();
    assert_eq!(
        (filter.span, filter.regions.as_slice()),
        (None, &["RU-MOS".to_owned()][..])
    );
}

#[test]
fn a_story_that_is_not_an_object_leaves_the_events_open() {
    let text = r#"{"title": "T", "story": ["a list"], "events": [{"id": "a", "title": "A", "when": "2024"}]}"#;
    let loaded = parse_dataset(text.as_bytes(), "list.json").unwrap();
    assert_eq!(
        messages(&loaded),
        ["list.json:1:25: warning: field \"story\": expected an object, found a list"]
    );
    assert!(loaded.dataset.story.is_empty());
    assert_eq!(loaded.dataset.events.len(), 1);
    // A story file opened as data says what it is.
    let sidecar = r#"{"event_atlas_story": 1, "dataset": "T", "story": {"steps": []}}"#;
    let error = parse_dataset(sidecar.as_bytes(), "a.json.story.json").unwrap_err();
    let lines: BTreeSet<String> = error.lines().into_iter().collect();
    assert!(
        lines
            .iter()
            .any(|line| line.contains("this is a story file")),
        "{lines:?}"
    );
}
