//! The bad-input catalogue (`tests/data/bad/`, described in its README): for each file, the
//! whole of every line the user sees (what `event-atlas check` prints), and whether it opens.
//! The large cases (deep nesting, a 50 MB string, a 2 GB file, many errors) are made here in a
//! temporary folder, not stored.

// Set-up helpers may unwrap: a failure there is a broken test, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use event_atlas::io::{LoadError, Loaded, load_path};

use crate::ui::TestDir;

const BAD: &str = "tests/data/bad";

/// (file, whether it opens, every line the user sees: the errors, or the warnings).
const CATALOGUE: &[(&str, bool, &[&str])] = &[
    ("bom.json", true, &[]),
    (
        "control-and-bidi.json",
        true,
        &[
            "tests/data/bad/control-and-bidi.json: warning: event \"a\\u{202E}b\", field \"title\": 4 control or text-direction characters (which could hide or reorder text) shown as \\u{…} escapes; remove them from the file if they are not meant",
            "tests/data/bad/control-and-bidi.json: warning: field \"categories.c\\u{0}\": 1 control or text-direction character (which could hide or reorder text) shown as \\u{…} escapes; remove them from the file if they are not meant",
        ],
    ),
    (
        "csv-latin1.csv",
        true,
        &[
            "tests/data/bad/csv-latin1.csv:2: warning: the file is not UTF-8 (from this line): text that is not UTF-8 is read as Windows-1252; if letters look wrong, save the file as UTF-8",
        ],
    ),
    (
        "csv-ragged.csv",
        true,
        &[
            "tests/data/bad/csv-ragged.csv:3: warning: this row has 2 cells but the table has 4 columns: the missing cells are read as empty",
            "tests/data/bad/csv-ragged.csv:3: warning: field \"lon\": the longitude is empty but the other coordinate is given: the event has no place",
            "tests/data/bad/csv-ragged.csv:4: warning: this row has 5 cells but the table has 4 columns: the extra cells are listed as fields",
        ],
    ),
    ("csv-semicolon-decimal-comma.csv", true, &[]),
    (
        "dangling-link.json",
        false,
        &[
            "tests/data/bad/dangling-link.json:1:89: event \"a\", field \"links[0].to\": links to unknown event \"zzz\"",
        ],
    ),
    (
        "date-2023-13.json",
        false,
        &[
            "tests/data/bad/date-2023-13.json:1:61: event \"a\", field \"when\": '2023-13': month 13 does not exist",
        ],
    ),
    (
        "date-2024-02-30.json",
        false,
        &[
            "tests/data/bad/date-2024-02-30.json:1:61: event \"a\", field \"when\": '2024-02-30': day 30 does not exist in February 2024 (it has 29 days)",
        ],
    ),
    (
        "duplicate-ids.json",
        false,
        &[
            "tests/data/bad/duplicate-ids.json:1:75: event \"a\", field \"id\": duplicate id: another event with this id starts at 1:32",
        ],
    ),
    (
        "duplicate-keys-fields.json",
        true,
        &[
            "tests/data/bad/duplicate-keys-fields.json:1:92: warning: duplicate key \"x\" (also at 1:84): the last one is used; remove one of them",
        ],
    ),
    (
        "duplicate-keys.json",
        true,
        &[
            "tests/data/bad/duplicate-keys.json:1:58: warning: duplicate key \"title\" (also at 1:42): the last one is used; remove one of them",
        ],
    ),
    (
        "empty.json",
        false,
        &[
            "tests/data/bad/empty.json: the file is empty (is it complete? it may still be being written)",
        ],
    ),
    (
        "geojson-duplicate-property.geojson",
        true,
        &[
            "tests/data/bad/geojson-duplicate-property.geojson:2: warning: field \"properties\": duplicate key \"title\" in the properties: the first value that is not null is used; remove one of them",
        ],
    ),
    ("geojson-null-geometry.geojson", true, &[]),
    (
        "infinity.json",
        false,
        &[
            "tests/data/bad/infinity.json:1:98: Infinity is not a JSON number: write null, or leave the field out",
        ],
    ),
    (
        "interval-reversed.json",
        false,
        &[
            "tests/data/bad/interval-reversed.json:1:61: event \"a\", field \"when\": the interval ends (1 March 2024) before it starts (5 March 2024)",
        ],
    ),
    (
        "invalid-utf8.json",
        false,
        &[
            "tests/data/bad/invalid-utf8.json:2:23: the file is not UTF-8 text (the text here is in another encoding): save it as UTF-8",
        ],
    ),
    (
        "kml-entity-bomb.kml",
        true,
        &[
            "tests/data/bad/kml-entity-bomb.kml: warning: the DOCTYPE declares entities: they are not expanded, and nothing they name is read or fetched; references to them (&name;) are shown as written",
        ],
    ),
    (
        "kml-external-entity.kml",
        true,
        &[
            "tests/data/bad/kml-external-entity.kml: warning: the DOCTYPE declares entities: they are not expanded, and nothing they name is read or fetched; references to them (&name;) are shown as written",
        ],
    ),
    (
        "kmz-zip-bomb.kmz",
        false,
        &[
            "tests/data/bad/kmz-zip-bomb.kmz: doc.kml in this KMZ unpacks to 300 MB, over the limit of 256 MB: it is refused (it may be a zip bomb)",
        ],
    ),
    (
        "lat-91.json",
        false,
        &[
            "tests/data/bad/lat-91.json:1:89: event \"a\", field \"where.lat\": latitude 91 is outside -90..90",
        ],
    ),
    ("link-cycle.json", true, &[]),
    (
        "lon-181.json",
        false,
        &[
            "tests/data/bad/lon-181.json:1:97: event \"a\", field \"where.lon\": longitude 181 is outside -180..180",
        ],
    ),
    (
        "minus-infinity.json",
        false,
        &[
            "tests/data/bad/minus-infinity.json:1:98: -Infinity is not a JSON number: write null, or leave the field out",
        ],
    ),
    (
        "nan.json",
        false,
        &[
            "tests/data/bad/nan.json:1:89: NaN is not a JSON number: write null, or leave the field out",
        ],
    ),
    (
        "number-1e999.json",
        false,
        &[
            "tests/data/bad/number-1e999.json:1:89: event \"a\", field \"where.lat\": the number 1e999 is out of range (larger than any number can be): write the real value",
        ],
    ),
    (
        "png-renamed.json",
        false,
        &[
            "tests/data/bad/png-renamed.json: this is a PNG image; Event Atlas opens Event Atlas JSON, GeoJSON, CSV/TSV tables (ACLED, GDELT), xlsx/ods spreadsheets (TimeMap), KML/KMZ, TimelineJS and StoryMapJS files (see docs/formats.md)",
        ],
    ),
    (
        "truncated.json",
        false,
        &[
            "tests/data/bad/truncated.json:1:115: the file ends too early (is it complete? it may still be being written)",
        ],
    ),
    (
        "utf16.json",
        false,
        &[
            "tests/data/bad/utf16.json: this is UTF-16 text (save it as UTF-8); Event Atlas opens Event Atlas JSON, GeoJSON, CSV/TSV tables (ACLED, GDELT), xlsx/ods spreadsheets (TimeMap), KML/KMZ, TimelineJS and StoryMapJS files (see docs/formats.md)",
        ],
    ),
    (
        "whitespace.json",
        false,
        &[
            "tests/data/bad/whitespace.json: the file is empty (is it complete? it may still be being written)",
        ],
    ),
    (
        "year-0.json",
        true,
        &[
            "tests/data/bad/year-0.json: warning: event \"a\", field \"when\": '0000-01-01': year 0000 is 1 BCE (ISO 8601 counts a year 0 before 1 CE) and is shown so; if the year is not known, leave the date out or write only what is known",
        ],
    ),
    (
        "zip-renamed.json",
        false,
        &[
            "tests/data/bad/zip-renamed.json: this is a ZIP archive (such as KMZ or xlsx); Event Atlas opens Event Atlas JSON, GeoJSON, CSV/TSV tables (ACLED, GDELT), xlsx/ods spreadsheets (TimeMap), KML/KMZ, TimelineJS and StoryMapJS files (see docs/formats.md)",
        ],
    ),
];

fn path_of(name: &str) -> PathBuf {
    Path::new(BAD).join(name)
}

/// What the user is told about a file: the warnings of a load, or the error's lines.
fn seen(result: &Result<Loaded, LoadError>) -> Vec<String> {
    match result {
        Ok(loaded) => loaded.warnings.iter().map(ToString::to_string).collect(),
        Err(error) => error.lines(),
    }
}

#[test]
fn every_bad_input_gives_its_exact_message() {
    let mut failures = Vec::new();
    for &(name, opens, expected) in CATALOGUE {
        let result = load_path(&path_of(name));
        let lines = seen(&result);
        if result.is_ok() != opens || lines != expected {
            failures.push(format!(
                "{name}: opens {} (expected {opens}), lines {lines:#?}",
                result.is_ok()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_catalogue_covers_every_file_in_the_folder_and_its_readme() {
    let readme = std::fs::read_to_string(path_of("README.md")).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(BAD)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "README.md")
        .collect();
    files.sort();
    let listed: Vec<String> = CATALOGUE
        .iter()
        .map(|(name, ..)| (*name).to_owned())
        .collect();
    assert_eq!(files, listed);
    for name in &files {
        assert!(
            readme.contains(&format!("`{name}`")),
            "{name} is not in the README"
        );
    }
}

#[test]
fn imports_say_what_became_of_their_rows() {
    for (name, summary) in [
        (
            "geojson-null-geometry.geojson",
            "GeoJSON: 1 feature → 1 event (1 without a place)",
        ),
        (
            "csv-semicolon-decimal-comma.csv",
            "CSV (';'-separated): 2 rows → 2 events",
        ),
        (
            "csv-ragged.csv",
            "CSV: 3 rows → 3 events (1 without a place)",
        ),
    ] {
        let loaded = load_path(&path_of(name)).unwrap();
        assert_eq!(loaded.report.unwrap().summary(), summary, "{name}");
    }
    // The decimal commas are read as decimals: 55,7 is 55.7.
    let loaded = load_path(&path_of("csv-semicolon-decimal-comma.csv")).unwrap();
    let first = loaded.dataset.events.first().unwrap();
    let point = first.location.point().unwrap();
    assert!((point.lat - 55.7).abs() < 1e-9 && (point.lon - 37.1).abs() < 1e-9);
}

#[test]
fn control_and_direction_characters_are_shown_as_escapes_and_links_still_hold() {
    let loaded = load_path(&path_of("control-and-bidi.json")).unwrap();
    let dataset = &loaded.dataset;
    let a = dataset.find("a\u{202E}b").expect("ids are kept as written");
    let title = dataset.events.get(a).unwrap().title();
    assert_eq!(title, r"abc\u{202E}evil\u{2066}x\u{7}\u{1B}[31mred");
    assert!(!title.chars().any(event_atlas::io::is_active_char));
    // Both links (one to the id with the override) are kept.
    assert_eq!(dataset.links.len(), 2);
    // A message quoting such text never carries it raw (a terminal would obey it).
    for line in seen(&Ok(loaded.clone())) {
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
    }
}

#[test]
fn a_link_cycle_opens_and_its_links_are_one_step_each_way() {
    let loaded = load_path(&path_of("link-cycle.json")).unwrap();
    let dataset = &loaded.dataset;
    let (a, b) = (dataset.find("a").unwrap(), dataset.find("b").unwrap());
    // What the details panel and the timeline's connectors ask for: one step, not a walk, so
    // a cycle cannot loop them.
    assert_eq!(dataset.links_from(a).collect::<Vec<_>>(), [(b, "related")]);
    assert_eq!(dataset.links_to(a), [(b, "related")]);
    assert_eq!(dataset.links_from(b).collect::<Vec<_>>(), [(a, "related")]);
    // Following links from a as far as they go, never visiting an event twice, ends at once.
    let mut visited = std::collections::BTreeSet::new();
    let mut at = a;
    while visited.insert(at) {
        let Some((next, _)) = dataset.links_from(at).next() else {
            break;
        };
        at = next;
    }
    assert_eq!(visited.len(), 2);
}

fn check(path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_event-atlas"))
        .arg("check")
        .arg(path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
fn check_exits_1_on_a_refused_file_and_0_on_one_with_warnings_only() {
    for (name, code) in [
        ("empty.json", 1),
        ("png-renamed.json", 1),
        ("nan.json", 1),
        ("kmz-zip-bomb.kmz", 1),
        ("duplicate-keys.json", 0),
        ("kml-entity-bomb.kml", 0),
        ("control-and-bidi.json", 0),
    ] {
        let output = check(&path_of(name));
        assert_eq!(output.status.code(), Some(code), "{name}");
    }
    // The terminal gets escapes, never the raw ESC or override of the file's text.
    let output = check(&path_of("control-and-bidi.json"));
    let printed = String::from_utf8(output.stderr).unwrap();
    assert!(!printed.contains('\u{1B}') && !printed.contains('\u{202E}'));
    assert!(printed.contains(r#"event "a\u{202E}b""#), "{printed}");
}

#[test]
fn many_errors_are_listed_up_to_a_hundred_then_counted() {
    let dir = TestDir::new("many-errors");
    let events: Vec<String> = (0..5000)
        .map(|i| format!(r#"{{"id":"e{i}","title":"t","when":"2024-13-01"}}"#))
        .collect();
    let text = format!(r#"{{"title":"Many","events":[{}]}}"#, events.join(","));
    let path = dir.file("many.json", &text);
    let error = load_path(&path).unwrap_err();
    assert_eq!(error.error_count(), 5000);
    let lines = error.lines();
    assert_eq!(lines.len(), 101);
    let file = path.display().to_string();
    assert_eq!(
        lines.first().unwrap(),
        &format!(
            "{file}:1:57: event \"e0\", field \"when\": '2024-13-01': month 13 does not exist"
        )
    );
    assert_eq!(
        lines.last().unwrap(),
        &format!(
            "{file}: … and 4,900 more errors (4,900 in field \"when\"), not listed: fix the ones above and check again"
        )
    );
    let output = check(&path);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap().lines().count(),
        101
    );
}

#[test]
fn nesting_past_128_levels_is_refused_with_its_place_in_every_json_reader() {
    let dir = TestDir::new("deep");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for (name, text, line_column) in [
        (
            "fields.json",
            format!(
                r#"{{"title":"Deep","events":[{{"id":"a","title":"t","when":"2024-03-01","fields":{{"x":{deep}}}}}]}}"#
            ),
            "1:",
        ),
        (
            "geometry.geojson",
            format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"time":"2024-03-01"}},"geometry":{{"type":"Point","coordinates":{deep}}}}}]}}"#
            ),
            "1:",
        ),
        (
            "timeline.json",
            format!(r#"{{"events":[{{"start_date":{{"year":2024}},"text":{deep}}}]}}"#),
            "1:",
        ),
    ] {
        let path = dir.file(name, &text);
        let error = load_path(&path).unwrap_err();
        let lines = error.lines();
        assert_eq!(lines.len(), 1, "{name}: {lines:?}");
        let line = lines.first().unwrap();
        assert!(
            line.starts_with(&format!("{}:{line_column}", path.display()))
                && line.contains("nested deeper than 128 levels"),
            "{name}: {line}"
        );
    }
}

#[test]
fn a_50_mb_string_opens() {
    let dir = TestDir::new("big-string");
    let big = "x".repeat(50 << 20);
    let text = format!(
        r#"{{"title":"Big","events":[{{"id":"a","title":"t","when":"2024-03-01","summary":"{big}"}}]}}"#
    );
    let path = dir.file("big-string.json", &text);
    let loaded = load_path(&path).unwrap();
    assert_eq!(loaded.dataset.events.len(), 1);
    assert!(loaded.warnings.is_empty());
}

#[test]
fn a_file_too_big_to_read_whole_is_refused_before_it_is_read() {
    let dir = TestDir::new("two-gb");
    for (name, head, size, expected) in [
        (
            "big.kml",
            "<kml>",
            2 << 30,
            "this KML/KMZ file is 2 GB; files of this format are read whole, up to 1 GB: split it into smaller files, or convert it to Event Atlas JSON (which is streamed) with another tool",
        ),
        (
            "big.csv",
            "date,lat,lon,title\n",
            4 << 30,
            "this CSV/TSV file is 4 GB; files of this format are read whole, up to 3 GB: split it into smaller files, or convert it to Event Atlas JSON (which is streamed) with another tool",
        ),
        (
            "big.geojson",
            r#"{"type":"FeatureCollection","features":["#,
            2 << 30,
            "cannot read the file: one feature (or what lies between two) is over 1 GB: the file is damaged, or not what it seems",
        ),
        (
            "big.json",
            r#"{"title":"Big","events":["#,
            2 << 30,
            "this Event Atlas JSON file is 2 GB and not clean (not valid JSON, or with problems): such a file is checked whole, up to 1 GB; check a smaller part of it to see where, or fix it with a streaming tool",
        ),
    ] {
        let path = dir.file(name, head);
        // Sparse: gigabytes on paper, nothing on disk (zeros after the head).
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(size)
            .unwrap();
        let error = load_path(&path).unwrap_err();
        assert_eq!(
            error.lines(),
            [format!("{}: {expected}", path.display())],
            "{name}"
        );
    }
}

#[test]
fn a_cell_of_megabytes_is_named_not_copied_into_the_message() {
    let dir = TestDir::new("huge-cell");
    let cell = "\u{1B}".repeat(10 << 20);
    let path = dir.file("huge.csv", format!("date,lat,lon,title\n{cell},55,37,a\n"));
    let error = load_path(&path).unwrap_err();
    let lines = error.lines();
    let file = path.display();
    let start = r"\u{1B}".repeat(40);
    assert_eq!(
        lines,
        [
            format!(
                "{file}: none of the rows became an event (CSV: 1 row → 0 events; 1 skipped: 1 with a date that cannot be read)"
            ),
            format!(
                "{file}:2: warning: skipped: column \"date\": '{start}…' (10485760 bytes) is far too long to be a date: is this the right column?"
            ),
        ]
    );
}
