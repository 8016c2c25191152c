//! `event-atlas convert`: every format the app reads, written to every format it writes, read
//! back with the same events; and the command line's messages and refusals.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use event_atlas::io::export::{EventFilter, ExportFormat, convert};
use event_atlas::io::{ImportOptions, Loaded, load_path};

use crate::ui::TestDir;

/// One file of each format the app reads (tests/data and the built-in story).
const INPUTS: &[&str] = &[
    "assets/crocus.json",
    "tests/data/csv/acled_style.csv",
    "tests/data/csv/events.tsv",
    "tests/data/csv/gdelt2_style.csv",
    "tests/data/sheet/events.xlsx",
    "tests/data/sheet/events.ods",
    "tests/data/timemap/timemap_export.xlsx",
    "tests/data/timemap/timemap_events.json",
    "tests/data/geojson/usgs_feed.geojson",
    "tests/data/geojson/lines.geojsonl",
    "tests/data/kml/dates.kml",
    "tests/data/timelinejs/roman.json",
    "tests/data/storymap/census.json",
];

fn repository(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// What must survive any conversion: the events, their ids, dates as written (EDTF), places.
fn assert_same_events(input: &str, format: ExportFormat, original: &Loaded, again: &Loaded) {
    let context = format!("{input} → {}", format.name());
    let (a, b) = (&original.dataset, &again.dataset);
    assert_eq!(a.events.len(), b.events.len(), "{context}: event count");
    for (before, after) in a.events.iter().zip(&b.events) {
        let event = format!("{context}: event {:?}", before.id());
        assert_eq!(before.id(), after.id(), "{event}");
        assert_eq!(before.title(), after.title(), "{event}");
        assert_eq!(before.when_text(), after.when_text(), "{event}");
        assert_eq!(before.is_undated(), after.is_undated(), "{event}");
        assert_eq!(before.location, after.location, "{event}");
        let category = |loaded: &Loaded, at: Option<usize>| {
            at.and_then(|i| loaded.dataset.categories.get(i))
                .map(|c| (c.id.clone(), c.label.clone(), c.color))
        };
        assert_eq!(
            category(original, before.category),
            category(again, after.category),
            "{event}: category"
        );
    }
}

#[test]
fn every_input_format_converts_to_every_output_format_and_reads_back() {
    let dir = TestDir::new("convert-matrix");
    for input in INPUTS {
        let path = repository(input);
        let original = load_path(&path).unwrap_or_else(|e| panic!("{input}: {:?}", e.lines()));
        assert!(!original.dataset.events.is_empty(), "{input}");
        for format in ExportFormat::ALL {
            // Inputs of one name in two formats (events.xlsx, events.ods) stay apart.
            let name = Path::new(input).file_name().unwrap().to_string_lossy();
            let output = dir.path().join(format!("{name}.{}", format.extension()));
            let converted = convert(
                &path,
                &ImportOptions::default(),
                &output,
                &EventFilter::default(),
                false,
            )
            .unwrap_or_else(|e| panic!("{input} → {}: {:?}", format.name(), e.lines()));
            assert_eq!(
                converted.written.events,
                original.dataset.events.len(),
                "{input}"
            );
            let again = load_path(&output).unwrap_or_else(|e| {
                panic!(
                    "{input} → {}: reading it back: {:?}",
                    format.name(),
                    e.lines()
                )
            });
            assert_same_events(input, format, &original, &again);
        }
    }
}

/// Runs `event-atlas ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_event-atlas"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .output()
        .unwrap_or_else(|error| panic!("cannot run event-atlas: {error}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_command_says_what_it_read_and_wrote_and_keeps_only_what_the_options_ask_for() {
    let dir = TestDir::new("convert-cli");
    let crocus = repository("assets/crocus.json").display().to_string();
    let output = run(
        dir.path(),
        &[
            "convert",
            &crocus,
            "march.json",
            "--from",
            "2024-03-19",
            "--to",
            "2024-03",
            "--category",
            "attack",
            "--category",
            "Russian politics",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let said = text(&output.stdout);
    assert!(said.starts_with("read "), "{said}");
    assert!(said.contains("14 events, 5 with a place"), "{said}");
    assert!(
        said.contains("wrote march.json: Event Atlas JSON: "),
        "{said}"
    );
    let written = load_path(&dir.path().join("march.json")).unwrap().dataset;
    let categories: Vec<&str> = written
        .events
        .iter()
        .map(|e| written.categories[e.category.unwrap()].id.as_str())
        .collect();
    assert!(!categories.is_empty());
    assert!(
        categories
            .iter()
            .all(|c| *c == "attack" || *c == "politics"),
        "{categories:?}"
    );
    let start = event_atlas::model::When::parse("2024-03-19")
        .unwrap()
        .provisional_span()
        .start;
    assert!(written.events.iter().all(|e| e.span.end > start));
}

#[test]
fn the_command_refuses_the_input_an_existing_file_and_unknown_names_clearly() {
    let dir = TestDir::new("convert-refuse");
    let input = dir.file(
        "data.json",
        std::fs::read(repository("tests/data/minimal.json")).unwrap(),
    );
    let input = input.display().to_string();
    let over_input = run(dir.path(), &["convert", &input, &input]);
    assert_eq!(over_input.status.code(), Some(1));
    assert!(
        text(&over_input.stderr).contains("this is the file the data was opened from"),
        "{}",
        text(&over_input.stderr)
    );
    dir.file("taken.csv", "keep");
    let existing = run(dir.path(), &["convert", &input, "taken.csv"]);
    assert_eq!(existing.status.code(), Some(1));
    assert!(text(&existing.stderr).contains("taken.csv already exists"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("taken.csv")).unwrap(),
        "keep"
    );
    let replaced = run(dir.path(), &["convert", &input, "taken.csv", "--overwrite"]);
    assert!(replaced.status.success(), "{}", text(&replaced.stderr));
    assert_ne!(
        std::fs::read_to_string(dir.path().join("taken.csv")).unwrap(),
        "keep"
    );
    let extension = run(dir.path(), &["convert", &input, "out.txt"]);
    assert!(text(&extension.stderr).contains("must end in .json (Event Atlas JSON)"));
    let date = run(
        dir.path(),
        &["convert", &input, "a.json", "--from", "March"],
    );
    assert_eq!(date.status.code(), Some(1));
    assert!(
        text(&date.stderr).contains("--from March: "),
        "{}",
        text(&date.stderr)
    );
    let category = run(
        dir.path(),
        &["convert", &input, "b.json", "--category", "nope"],
    );
    assert!(
        text(&category.stderr).contains("no category nope"),
        "{}",
        text(&category.stderr)
    );
    let missing = run(dir.path(), &["convert", "missing.json", "c.json"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("missing.json"));
    // Nothing but the files asked for: no temporary files left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["data.json", "taken.csv"]);
}
