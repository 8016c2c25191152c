//! Fuzz targets: one function per reader, each taking any bytes. A reader must never panic,
//! whatever it is given; each target also checks the cheap promises the code makes about what
//! it returns (a loaded dataset has events, each starting before it ends, sorted, its links and
//! categories in range; an error names the file; a date's EDTF text reads back as the same
//! date). A panic in a target is a bug found.
//!
//! Used by `fuzz/` (`cargo +nightly fuzz`, libFuzzer) and by `tests/all/fuzz.rs` (stable, a
//! bounded stream of mutated seeds in `cargo test`); see `fuzz/README.md`.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::dates::{self, SlashOrder};
use super::details::MemoryDetails;
use super::fast::{self, Streamed};
use super::{
    Content, ImportOptions, LoadError, LoadProgress, Loaded, atlas, detect, geojson, json, kml,
    storymap, table, timelinejs,
};
use crate::model::calendar::{civil_from_days, days_from_civil};
use crate::model::when::format_at_precision;
use crate::model::{Bound, Dataset, DatePoint, Precision, Story, When};

/// A fuzz target: its name (as in `fuzz/fuzz_targets/<name>.rs`) and the function it runs.
#[derive(Clone, Copy)]
pub struct Target {
    pub name: &'static str,
    pub run: fn(&[u8]),
}

/// Every target, in the order `fuzz/run.sh` runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "atlas_json",
        run: atlas_json,
    },
    Target {
        name: "atlas_stream",
        run: atlas_stream,
    },
    Target {
        name: "geojson",
        run: geojson,
    },
    Target {
        name: "table",
        run: table,
    },
    Target {
        name: "gdelt",
        run: gdelt,
    },
    Target {
        name: "timelinejs",
        run: timelinejs,
    },
    Target {
        name: "storymap",
        run: storymap,
    },
    Target {
        name: "kml",
        run: kml,
    },
    Target {
        name: "kmz",
        run: kmz,
    },
    Target {
        name: "timemap_json",
        run: timemap_json,
    },
    Target {
        name: "workbook",
        run: workbook,
    },
    Target {
        name: "story",
        run: story,
    },
    Target {
        name: "dates",
        run: dates,
    },
    Target {
        name: "detect",
        run: detect_format,
    },
    Target {
        name: "open",
        run: open,
    },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().copied().find(|target| target.name == name)
}

/// Event Atlas JSON as the app reads bytes: the streaming reader, and the positional one when
/// the file is not clean. A dataset that loads is written and read back equal.
pub fn atlas_json(bytes: &[u8]) {
    const FILE: &str = "fuzz.json";
    let result = atlas::read_bytes(bytes, FILE, &LoadProgress::default());
    if let Ok(loaded) = &result {
        let mut written = Vec::new();
        let wrote = super::write::write_dataset(&mut written, &loaded.dataset);
        assert!(wrote.is_ok(), "writing to memory cannot fail: {wrote:?}");
        match atlas::read_bytes(&written, FILE, &LoadProgress::default()) {
            Ok(again) => assert!(
                again.dataset == loaded.dataset,
                "load → write → load gives another dataset; written:\n{}",
                String::from_utf8_lossy(&written)
            ),
            Err(error) => panic!(
                "a written dataset does not load again: {:?}; written:\n{}",
                error.lines(),
                String::from_utf8_lossy(&written)
            ),
        }
    }
    check_result(&result, FILE);
}

/// Event Atlas JSON through the streaming reader alone, with a small window (so values
/// straddle its edges); a file it calls clean loads the same through the positional reader.
pub fn atlas_stream(bytes: &[u8]) {
    const FILE: &str = "fuzz.json";
    let progress = LoadProgress::default();
    let block = 1 + bytes.len() % 61;
    let streamed = fast::stream_with_block(
        bytes,
        bytes.len() as u64,
        FILE,
        &progress,
        json::read_event,
        block,
    );
    let Ok(Some(Streamed {
        mut dataset,
        warnings,
        events_need_no_remark,
    })) = streamed
    else {
        return;
    };
    // The promise that lets the pass after reading skip the events.
    assert!(
        !events_need_no_remark
            || dataset
                .events
                .iter()
                .all(|event| !super::inert::needs_remark(event.title(), event.when_text())),
        "the stream said no event needs a remark, but one does"
    );
    dataset.details = Some(Arc::new(MemoryDetails::new(bytes)));
    let has_warnings = !warnings.is_empty();
    let placed = fast::place_warnings(bytes, warnings);
    assert!(placed.is_ok(), "placing warnings in memory: {placed:?}");
    check_dataset(&dataset, FILE);
    if has_warnings {
        return;
    }
    match json::parse_positional_bytes(bytes, FILE, &progress) {
        Ok(loaded) => assert!(
            loaded.dataset == dataset,
            "the streaming and the positional readers load different datasets"
        ),
        Err(error) => panic!(
            "streamed as clean, but the positional reader fails: {:?}",
            error.lines()
        ),
    }
}

/// GeoJSON: a FeatureCollection, a Feature, a bare geometry, or one feature a line.
pub fn geojson(bytes: &[u8]) {
    const FILE: &str = "fuzz.geojson";
    let result = geojson::read_bytes(bytes, FILE, &ImportOptions::default(), &progress());
    check_result(&result, FILE);
}

/// CSV, TSV and the other delimited tables, ACLED exports among them.
pub fn table(bytes: &[u8]) {
    const FILE: &str = "fuzz.csv";
    let result = table::read_delimited(bytes, FILE, &ImportOptions::default(), &progress(), false);
    check_result(&result, FILE);
}

/// GDELT 1.0 and 2.0 event exports (tab-separated, no header).
pub fn gdelt(bytes: &[u8]) {
    const FILE: &str = "fuzz.tsv";
    let result = table::read_delimited(bytes, FILE, &ImportOptions::default(), &progress(), true);
    check_result(&result, FILE);
}

/// TimelineJS3 JSON.
pub fn timelinejs(bytes: &[u8]) {
    const FILE: &str = "fuzz.json";
    check_result(&timelinejs::read_bytes(bytes, FILE, &progress()), FILE);
}

/// StoryMapJS JSON.
pub fn storymap(bytes: &[u8]) {
    const FILE: &str = "fuzz.json";
    check_result(&storymap::read_bytes(bytes, FILE, &progress()), FILE);
}

/// KML (and KMZ, when the bytes start as a ZIP archive does).
pub fn kml(bytes: &[u8]) {
    const FILE: &str = "fuzz.kml";
    let result = kml::read_bytes(bytes, FILE, &ImportOptions::default(), &progress());
    check_result(&result, FILE);
}

/// KMZ: the archive's KML is refused past the size limit, and what it unpacks to is read.
pub fn kmz(bytes: &[u8]) {
    const FILE: &str = "fuzz.kmz";
    // A small limit, so that the limit itself is reached by small inputs.
    const LIMIT: u64 = 1 << 16;
    if let Ok(document) = kml::kmz_document(bytes, LIMIT) {
        assert!(
            document.len() as u64 <= LIMIT,
            "a KMZ's KML of {} bytes passed the limit of {LIMIT}",
            document.len()
        );
    }
    let result = kml::read_bytes(bytes, FILE, &ImportOptions::default(), &progress());
    check_result(&result, FILE);
}

/// TimeMap's datasheet-server JSON.
pub fn timemap_json(bytes: &[u8]) {
    const FILE: &str = "fuzz.json";
    let result = table::read_timemap_json(bytes, FILE, &ImportOptions::default(), &progress());
    check_result(&result, FILE);
}

/// Spreadsheets: xlsx and ods (TimeMap datasheets among them).
pub fn workbook(bytes: &[u8]) {
    let file = if bytes.windows(11).any(|w| w == b"opendocumen") {
        "fuzz.ods"
    } else {
        "fuzz.xlsx"
    };
    let result = table::read_workbook(bytes, file, &ImportOptions::default(), &progress());
    check_result(&result, file);
}

/// A story file beside a data file (`events.json.story.json`), checked against a small
/// dataset. A story that reads is written as a story file and read back the same.
pub fn story(bytes: &[u8]) {
    const FILE: &str = "fuzz.json.story.json";
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let dataset = story_dataset();
    match super::story::read_sidecar_text(text, FILE, dataset) {
        Ok((story, _warnings)) => check_story_round_trip(&story, dataset),
        Err(error) => check_error(&error, FILE),
    }
}

/// Every parser that turns text into a date: EDTF (`When::parse`) and the forms other formats
/// write (`io/dates.rs`). Each date's EDTF text reads back as the same date.
pub fn dates(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let text = text.as_ref();
    if let Ok(when) = When::parse(text) {
        check_when(&when);
    }
    let _ = super::looks_like_date(text);
    for order in [SlashOrder::DayFirst, SlashOrder::MonthFirst] {
        check_dated(dates::any(text, order));
        check_dated(dates::slashed(text, order));
    }
    check_dated(dates::iso(text));
    check_dated(dates::compact(text));
    check_dated(dates::named_month(text));
    if let Ok(free) = dates::free_text(text) {
        check_dated(Ok(free.dated));
    }
    let _ = dates::clock(text);
    if let Ok(number) = text.trim().parse::<f64>() {
        check_dated(dates::epoch_number(number));
        check_dated(dates::epoch_millis(number));
        check_dated(dates::spreadsheet_serial(number));
    }
    if let Ok(seconds) = text.trim().parse::<i64>() {
        check_dated(dates::epoch_seconds(seconds));
    }
}

/// The format detector, on a head and a file name (chosen by the first byte).
pub fn detect_format(bytes: &[u8]) {
    let (name, head) = named(bytes);
    let path = Path::new(name);
    let content = Content::of(head, Some(path));
    assert!(!content.description().is_empty());
    assert!(!content.message().is_empty());
    match detect(head, Some(path)) {
        Ok(_) => {}
        Err(other) => assert_eq!(other, content, "detect names what Content::of saw"),
    }
    let _ = detect(head, None);
}

/// A file opened by name as the app opens bytes: detected, then read by its reader.
pub fn open(bytes: &[u8]) {
    let (name, body) = named(bytes);
    let result = super::parse_dataset(body, name);
    check_result(&result, name);
}

/// File names the detector and `open` are tried with.
const NAMES: [&str; 12] = [
    "fuzz.json",
    "fuzz.geojson",
    "fuzz.geojsonl",
    "fuzz.csv",
    "fuzz.tsv",
    "fuzz.txt",
    "fuzz.kml",
    "fuzz.kmz",
    "fuzz.xlsx",
    "fuzz.ods",
    "fuzz.gpx",
    "fuzz",
];

/// A file name picked by the first byte, and the rest of the bytes.
fn named(bytes: &[u8]) -> (&'static str, &[u8]) {
    match bytes.split_first() {
        Some((&first, rest)) => {
            let name = NAMES.get(usize::from(first) % NAMES.len());
            (name.copied().unwrap_or("fuzz.json"), rest)
        }
        None => ("fuzz.json", bytes),
    }
}

fn progress() -> LoadProgress {
    LoadProgress::default()
}

/// What every reader promises about its result.
fn check_result(result: &Result<Loaded, LoadError>, file: &str) {
    match result {
        Ok(loaded) => {
            // Event Atlas's own formats (JSON, and a CSV export) may hold no events at all;
            // every other format says "nothing to show" instead.
            let own_format = loaded
                .report
                .as_ref()
                .is_none_or(|report| report.format.starts_with("Event Atlas"));
            assert!(
                own_format || !loaded.dataset.events.is_empty(),
                "{file}: a dataset imported from another format has events"
            );
            check_dataset(&loaded.dataset, file);
            for warning in &loaded.warnings {
                assert!(!warning.message.is_empty(), "a warning says something");
            }
        }
        Err(error) => check_error(error, file),
    }
}

/// An error names the file and says something.
fn check_error(error: &LoadError, file: &str) {
    assert_eq!(error.file(), file, "the error names the file: {error:?}");
    let lines = error.lines();
    assert!(!lines.is_empty(), "an error has a message: {error:?}");
}

/// What a loaded dataset promises: its events each start before they end, are sorted by start
/// then end, and have unique ids; links, categories and outlines are in range; details read.
fn check_dataset(dataset: &Dataset, file: &str) {
    let events = &dataset.events;
    for (index, event) in events.iter().enumerate() {
        assert!(
            event.span.start <= event.span.end,
            "{file}: event {:?} ends before it starts: {:?}",
            event.id(),
            event.span
        );
        assert_eq!(dataset.find(event.id()), Some(index), "ids are unique");
        if let Some(category) = event.category {
            assert!(category < dataset.categories.len(), "category in range");
        }
        let _ = (event.when(), event.when_words());
    }
    for pair in events.windows(2) {
        if let [a, b] = pair {
            assert!(
                (a.span.start, a.span.end) <= (b.span.start, b.span.end),
                "{file}: events are sorted by start, then end: {:?} before {:?}",
                a.span,
                b.span
            );
        }
    }
    for link in &dataset.links {
        assert!(
            link.from < events.len() && link.to < events.len(),
            "link in range"
        );
    }
    assert!(
        dataset
            .links
            .windows(2)
            .all(|pair| matches!(pair, [a, b] if (a.from, a.to) <= (b.from, b.to))),
        "links are sorted by from, then to"
    );
    for shape in &dataset.shapes {
        assert!(dataset.shape_of(shape.event).is_some(), "outline in range");
    }
    if let Some(extent) = dataset.extent {
        assert!(
            extent.start <= extent.end,
            "the extent starts before it ends"
        );
    }
    // Details are in memory: reading a few must work.
    for index in 0..events.len().min(4) {
        let details = dataset.details(index);
        assert!(
            details.is_ok(),
            "{file}: details of event {index}: {details:?}"
        );
    }
    let _ = (dataset.summary_line(), dataset.extent_text());
}

/// A small dataset (events `a`, `b`, `c`) for story files to refer to.
fn story_dataset() -> &'static Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET.get_or_init(|| {
        let text = br#"{"title": "Fuzz", "events": [
            {"id": "a", "title": "A", "when": "2024-03-22", "where": {"lat": 55.7, "lon": 37.6}},
            {"id": "b", "title": "B", "when": "2024-04"},
            {"id": "c", "title": "C", "when": "2023/2024", "where": {"region": "RU-MOS"}}]}"#;
        atlas::read_bytes(text, "fuzz.json", &LoadProgress::default())
            .map(|loaded| loaded.dataset)
            .unwrap_or_default()
    })
}

/// A story read from a story file, written as one (`story::write_sidecar`'s layout) and read
/// again, is the same story.
fn check_story_round_trip(story: &Story, dataset: &Dataset) {
    let document = serde_json::json!({
        "event_atlas_story": super::story::SIDECAR_VERSION,
        "dataset": dataset.title,
        "story": super::story::story_to_json(story),
    });
    let text = document.to_string();
    match super::story::read_sidecar_text(&text, "again.story.json", dataset) {
        Ok((again, _)) => assert!(
            again == *story,
            "a story written and read again differs: {text}"
        ),
        Err(error) => panic!("a written story does not read: {:?}; {text}", error.lines()),
    }
}

/// A date read from another format: its EDTF text reads back as the same date.
fn check_dated(dated: Result<dates::Dated, String>) {
    let Ok((text, when)) = dated else {
        return;
    };
    assert_eq!(
        When::parse(&text).as_ref(),
        Ok(&when),
        "the EDTF text {text:?} reads back as the same date"
    );
    check_when(&when);
}

/// A parsed date: its words, its order (an interval ends after it starts), and each day's
/// round trip through the calendar and through the EDTF writer.
fn check_when(when: &When) {
    let _ = (when.describe(), when.caveat(), when.precision_words());
    let span = when.provisional_span();
    assert!(span.start < span.end, "{when:?} ends after it starts");
    match when {
        When::Single(date) => check_point(date),
        When::Interval { start, end } => {
            for bound in [start, end] {
                if let Bound::Date(date) = bound {
                    check_point(date);
                }
            }
        }
    }
}

fn check_point(date: &DatePoint) {
    assert!(date.start() < date.end(), "{date:?} ends after it starts");
    if let (Some(month), Some(day)) = (date.month, date.day) {
        let days = days_from_civil(date.year, month, day);
        assert_eq!(
            civil_from_days(days),
            (date.year, month, day),
            "the calendar round-trips the day"
        );
    }
    // The EDTF writer at the date's precision: four-digit years (beyond, only the year is
    // written), whole minutes (it writes no seconds).
    let precision = date.precision();
    let writable = match precision {
        Precision::Year => true,
        Precision::Month | Precision::Day => date.year.abs() <= 9999,
        Precision::Time => false,
    };
    if writable {
        let text = format_at_precision(date.start(), precision);
        match When::parse(&text) {
            Ok(When::Single(again)) => assert!(
                again.start() == date.start() && again.end() == date.end(),
                "{date:?} written as {text:?} reads back as {again:?}"
            ),
            other => panic!("{date:?} written as {text:?} reads back as {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_target_checks_against_three_events() {
        let ids: Vec<&str> = story_dataset().events.iter().map(|e| e.id()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
    }

    #[test]
    fn every_target_has_a_unique_name() {
        for each in TARGETS {
            assert_eq!(target(each.name).map(|t| t.name), Some(each.name));
        }
        assert_eq!(TARGETS.len(), 15);
    }
}
