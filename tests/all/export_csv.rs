//! CSV export: load → write CSV → load keeps every event's id, title, date text, span, place,
//! category (id, label, colour), details (place name and id, actors, summary, sources, date
//! note, fields) and links; what CSV cannot hold is named in the summary's `not_kept`.

// Set-up helpers may unwrap: a failure there is a broken test, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use event_atlas::io::export::{
    EventFilter, ExportFormat, ExportSummary, select, write_events, write_file,
};
use event_atlas::io::{
    ImportOptions, LoadError, LoadProgress, Loaded, load_path, parse_dataset_with_options,
};
use event_atlas::model::{Dataset, Location, RegionCode};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn load(name: &str) -> Loaded {
    match load_path(&data(name)) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{name} did not load:\n{}", error.lines().join("\n")),
    }
}

fn parse(bytes: &[u8], file: &str) -> Result<Loaded, LoadError> {
    parse_dataset_with_options(
        bytes,
        file,
        &ImportOptions::default(),
        &LoadProgress::default(),
    )
}

/// Every event of `dataset` written as CSV.
fn export(dataset: &Dataset) -> (Vec<u8>, ExportSummary) {
    let events = select(dataset, &EventFilter::default()).unwrap();
    let mut bytes = Vec::new();
    let summary = write_events(&mut bytes, dataset, &events, ExportFormat::Csv).unwrap();
    assert_eq!(summary.bytes, bytes.len() as u64);
    assert_eq!(summary.events, dataset.events.len());
    (bytes, summary)
}

/// `dataset` written as CSV and read back, with the summary of the writing.
fn round_trip(dataset: &Dataset) -> (Loaded, ExportSummary) {
    let (bytes, summary) = export(dataset);
    match parse(&bytes, "x.csv") {
        Ok(back) => (back, summary),
        Err(error) => panic!(
            "the export did not load:\n{}\n{}",
            error.lines().join("\n"),
            String::from_utf8_lossy(&bytes)
        ),
    }
}

/// The links from event `index` as `(target id, kind)`.
fn links(dataset: &Dataset, index: usize) -> Vec<(String, String)> {
    let mut links: Vec<(String, String)> = dataset
        .links_from(index)
        .map(|(to, kind)| (dataset.events[to].id().to_owned(), kind.to_owned()))
        .collect();
    links.sort();
    links
}

/// Compares `back` with `original` event by event (in the same order: CSV keeps time order).
fn assert_same_events(original: &Dataset, back: &Dataset) {
    assert_eq!(original.events.len(), back.events.len());
    for (index, (a, b)) in original.events.iter().zip(&back.events).enumerate() {
        let id = a.id();
        assert_eq!(id, b.id(), "event {index}");
        assert_eq!(a.title(), b.title(), "{id}");
        assert_eq!(a.when_text(), b.when_text(), "{id}");
        assert_eq!(a.span, b.span, "{id}");
        assert_eq!(a.shape, b.shape, "{id}");
        assert_eq!(a.location, b.location, "{id}");
        let category = |dataset: &Dataset, event: &event_atlas::model::Event| {
            event.category.map(|c| dataset.categories[c].clone())
        };
        assert_eq!(category(original, a), category(back, b), "{id}");
        assert_eq!(original.details(index), back.details(index), "{id}");
        assert_eq!(links(original, index), links(back, index), "{id}");
    }
    assert_eq!(original.extent, back.extent);
}

#[test]
fn the_built_in_story_comes_back_whole() {
    let original = event_atlas::builtin::crocus_dataset().unwrap().dataset;
    let (back, summary) = round_trip(&original);
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(
        back.report.as_ref().unwrap().summary(),
        "Event Atlas CSV: 14 rows → 14 events (9 without a place)"
    );
    assert_same_events(&original, &back.dataset);
    assert_eq!(original.links.len(), back.dataset.links.len());
    // The named places come back (without their notes, which CSV cannot hold).
    let mut places: Vec<&str> = back.dataset.places.iter().map(|p| p.id.as_str()).collect();
    places.sort_unstable();
    assert_eq!(places, ["crocus-city-hall", "karabulak", "moscow"]);
    let moscow = back
        .dataset
        .places
        .iter()
        .find(|p| p.id == "moscow")
        .unwrap();
    assert_eq!(moscow.region, RegionCode::new("RU-MOW"));
    assert_eq!(
        summary.not_kept,
        [
            "the notes of 3 named places",
            "the dataset's description and sources",
            "the story (8 steps)"
        ]
    );
    // Read back, it writes the same bytes again.
    let (first, _) = export(&original);
    let (again, _) = export(&back.dataset);
    assert_eq!(
        String::from_utf8(first).unwrap(),
        String::from_utf8(again).unwrap()
    );
}

#[test]
fn a_hand_written_export_reads_undated_regions_lists_sources_links_and_fields() {
    let loaded = load("csv/atlas_export.csv");
    let dataset = &loaded.dataset;
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "Event Atlas CSV: 5 rows → 5 events (1 without a place, 1 without a date)"
    );
    let find = |id: &str| dataset.find(id).unwrap();
    let span = find("span");
    let event = &dataset.events[span];
    assert_eq!(event.title(), "Talks, in Geneva");
    assert_eq!(event.when_text(), "2023-11/2024-03-22");
    let details = dataset.details(span).unwrap();
    assert_eq!(
        details.actors,
        ["Smith, J.", "O;Brien", "Ünal \"the \\ one\""]
    );
    assert_eq!(details.place_id.as_deref(), Some("geneva"));
    assert_eq!(details.place_name.as_deref(), Some("Genève"));
    assert_eq!(details.sources.len(), 2);
    assert_eq!(
        details.sources[0].quote.as_deref(),
        Some("He said \"yes\".")
    );
    assert_eq!(details.sources[1].title, "Report two");
    assert_eq!(details.sources[1].url, None);
    assert_eq!(
        details.sources[1].note.as_deref(),
        Some("second source without a link")
    );
    assert_eq!(
        details.fields,
        [
            ("fatalities".to_owned(), "3".to_owned()),
            ("title".to_owned(), "a field named title".to_owned()),
            ("notes".to_owned(), "first note".to_owned()),
            ("notes".to_owned(), "second note".to_owned()),
        ]
    );
    assert_eq!(
        links(dataset, span),
        [
            ("open-start".to_owned(), String::new()),
            ("undated-slide".to_owned(), "answer".to_owned())
        ]
    );
    let category = &dataset.categories[event.category.unwrap()];
    assert_eq!(
        (category.label.as_str(), category.color),
        ("Talks & meetings", [0x44, 0x77, 0xAA])
    );
    assert_eq!(
        dataset.events[find("open-start")].when_text(),
        "../2024-03-07"
    );
    let region = find("region-only");
    assert_eq!(
        dataset.events[region].location,
        Location::Region(RegionCode::new("RU-MOS").unwrap())
    );
    assert_eq!(
        dataset.details(region).unwrap().summary.as_deref(),
        Some("Two lines:\nsecond line")
    );
    let undated = find("undated-slide");
    assert!(dataset.events[undated].is_undated());
    assert_eq!(
        dataset.details(undated).unwrap().actors,
        ["Ünïcödé → actor"]
    );
    let placeless = find("placeless");
    assert_eq!(dataset.events[placeless].location, Location::Unknown);
    assert_eq!(dataset.events[placeless].when_text(), "2024?");
    // And it goes round again unchanged.
    let (back, summary) = round_trip(dataset);
    assert!(summary.not_kept.is_empty(), "{:?}", summary.not_kept);
    assert_same_events(dataset, &back.dataset);
}

#[test]
fn imported_tables_keep_their_fields() {
    for name in [
        "csv/acled_style.csv",
        "csv/gdelt2_style.csv",
        "csv/bom_ragged.csv",
        "csv/numeric_dates.csv",
    ] {
        let original = load(name).dataset;
        let (back, summary) = round_trip(&original);
        assert!(
            summary.not_kept.is_empty(),
            "{name}: {:?}",
            summary.not_kept
        );
        assert_same_events(&original, &back.dataset);
        let with_fields = (0..original.events.len())
            .filter(|&i| !original.details(i).unwrap().fields.is_empty())
            .count();
        assert!(
            with_fields > 0 || name.contains("numeric"),
            "{name} has no fields to keep"
        );
    }
}

#[test]
fn geojson_kml_and_storymap_imports_keep_what_csv_holds() {
    for name in [
        "geojson/usgs_feed.geojson",
        "geojson/awkward.geojson",
        "kml/folders.kml",
        "kml/dates.kml",
        "storymap/undated.json",
    ] {
        let original = load(name).dataset;
        let (back, summary) = round_trip(&original);
        assert_same_events(&original, &back.dataset);
        // A StoryMapJS file's slides are a story, which CSV cannot hold.
        let story: Vec<String> = match original.story.steps.len() {
            0 => Vec::new(),
            steps => vec![format!("the story ({steps} steps)")],
        };
        if original.shapes.is_empty() {
            assert_eq!(summary.not_kept, story, "{name}");
        } else {
            let outlines = match original.shapes.len() {
                1 => "the outline (a line or an area) of 1 event".to_owned(),
                many => format!("the outlines (lines, areas) of {many} events"),
            };
            assert!(
                summary.not_kept.contains(&outlines),
                "{name}: {:?}",
                summary.not_kept
            );
            assert!(back.dataset.shapes.is_empty());
        }
    }
    let undated = load("storymap/undated.json").dataset;
    assert!(undated.undated_count() > 0);
}

/// Event Atlas JSON with the awkward cases: cells needing quotes, list separators inside
/// actors, non-ASCII text, a region without a point, an event without a place, many sources.
const AWKWARD: &str = r##"{
  "format": "event-atlas/1",
  "title": "Awkward",
  "categories": [{"id": "a,b", "label": "Quote \" and, comma", "color": "#010203"}],
  "events": [
    {"id": "one", "title": "Line\nbreak, comma and \"quotes\"", "when": "2024-03-22T19:58:30Z",
     "where": {"lat": -33.8688, "lon": 151.2093, "region": "AU-NSW", "name": "Sydney; \"NSW\""},
     "category": "a,b", "actors": ["a; b", "c\\d", "→ arrow", "x,y", "new\nline", "日本語"],
     "sources": [{"title": "One"}, {"title": "Two", "url": "https://example.org/2"},
                 {"title": "Three", "quote": "\"Quoted\", with comma", "date": "2024-03"}],
     "links": [{"to": "two; three", "kind": "kind → with; specials"}]},
    {"id": "two; three", "title": "Region only", "when": "2024-03",
     "where": {"region": "RU-MOS"}, "summary": "  spaces inside  kept  "},
    {"id": "placeless", "title": "Nowhere", "when": "2024-03-20/..", "date_note": "Ünïcödé"}
  ]
}"##;

#[test]
fn awkward_text_survives_and_reads_as_a_spreadsheet_would() {
    let original = parse(AWKWARD.as_bytes(), "awkward.json").unwrap().dataset;
    let (bytes, summary) = export(&original);
    assert!(summary.not_kept.is_empty(), "{:?}", summary.not_kept);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(!text.starts_with('\u{feff}'));
    let header = text.lines().next().unwrap();
    assert!(header.starts_with(
        "id,title,date,latitude,longitude,region,place,place_id,category,category_label,category_color,actors,summary,date_note,source_1_title,"
    ));
    assert!(
        header.ends_with(",source_3_quote,source_3_note,links"),
        "{header}"
    );
    assert!(text.contains(
        "one,\"Line\nbreak, comma and \"\"quotes\"\"\",2024-03-22T19:58:30Z,-33.8688,151.2093,AU-NSW,\"Sydney; \"\"NSW\"\"\",,\"a,b\",\"Quote \"\" and, comma\",#010203,"
    ), "{text}");
    assert!(
        text.contains(r#""a\; b; c\\d; \→ arrow; x,y; new"#),
        "{text}"
    );
    assert!(
        text.contains("kind \\→ with\\; specials → two\\; three"),
        "{text}"
    );
    // A CSV reader that knows nothing of Event Atlas sees one row per event.
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(reader.headers().unwrap().len(), 33);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|row| row.len() == 33));
    let one = rows.iter().find(|row| &row[0] == "one").unwrap();
    assert_eq!(&one[1], "Line\nbreak, comma and \"quotes\"");
    let back = parse(&bytes, "awkward.csv").unwrap().dataset;
    assert_same_events(&original, &back);
    let one = back.find("one").unwrap();
    assert_eq!(
        back.details(one).unwrap().actors,
        ["a; b", "c\\d", "→ arrow", "x,y", "new\nline", "日本語"]
    );
}

#[test]
fn no_events_give_a_header_that_loads_as_an_empty_dataset() {
    let dataset = event_atlas::builtin::crocus_dataset().unwrap().dataset;
    let mut bytes = Vec::new();
    let summary = write_events(&mut bytes, &dataset, &[], ExportFormat::Csv).unwrap();
    assert_eq!(summary.events, 0);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert_eq!(
        text,
        "id,title,date,latitude,longitude,region,place,place_id,category,category_label,category_color,actors,summary,date_note,links\n"
    );
    let back = parse(&bytes, "empty.csv").unwrap();
    assert!(back.dataset.events.is_empty());
    assert_eq!(
        back.report.unwrap().summary(),
        "Event Atlas CSV: 0 rows → 0 events"
    );
    // An ordinary CSV with a header and no rows still says there is nothing to show.
    let error = parse(b"date,lat,lon\n", "plain.csv").unwrap_err();
    assert!(error.to_string().contains("nothing to show"), "{error}");
}

#[test]
fn a_filtered_export_leaves_out_links_to_events_not_written_and_writes_a_file() {
    let dataset = event_atlas::builtin::crocus_dataset().unwrap().dataset;
    let filter = EventFilter {
        categories: vec!["security".to_owned(), "attack".to_owned()],
        ..EventFilter::default()
    };
    let events = select(&dataset, &filter).unwrap();
    let folder = std::env::temp_dir().join(format!("atlas-export-csv-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("filtered.csv");
    let summary = write_file(&path, &dataset, &events, ExportFormat::Csv, None, false).unwrap();
    assert_eq!(summary.events, events.len());
    assert!(summary.links_left_out > 0);
    let back = load_path(&path).unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(back.dataset.events.len(), events.len());
    for (index, event) in back.dataset.events.iter().enumerate() {
        let original = dataset.find(event.id()).unwrap();
        assert!(events.contains(&original));
        assert_eq!(
            back.dataset.details(index).unwrap(),
            dataset.details(original).unwrap()
        );
    }
}

#[test]
fn an_export_saved_as_a_workbook_reads_back_the_same() {
    let from_csv = load("csv/atlas_export.csv");
    let from_sheet = load("csv/atlas_export.xlsx");
    assert!(from_sheet.warnings.is_empty(), "{:?}", from_sheet.warnings);
    assert_eq!(
        from_sheet.report.as_ref().unwrap().summary(),
        "Event Atlas CSV (Excel workbook), sheet Events: 5 rows → 5 events (1 without a place, 1 without a date)"
    );
    assert_same_events(&from_csv.dataset, &from_sheet.dataset);
}

/// The real-world samples (only where /work/shared is, never in CI) go round the same way.
#[test]
fn shared_samples_come_back_whole_when_they_are_there() {
    let folder = Path::new("/work/shared/samples");
    if !folder.is_dir() {
        return;
    }
    for name in [
        "acled_africa_20160101-20160528.csv",
        "gdelt1_events_sample.csv",
        "gdelt2_events_sample.csv",
        "timemap_datasheet_example.xlsx",
        "kml_giscore_timestamps.kml",
        "kml_giscore_timetest.kml",
        "kml_google_location_history.kml",
        "jsonfg_building.json",
    ] {
        let path = folder.join(name);
        let Ok(original) = load_path(&path) else {
            continue;
        };
        let (back, summary) = round_trip(&original.dataset);
        assert_same_events(&original.dataset, &back.dataset);
        eprintln!(
            "{name}: {} → {} ({:?})",
            original.report.map(|r| r.summary()).unwrap_or_default(),
            back.report.map(|r| r.summary()).unwrap_or_default(),
            summary.not_kept
        );
    }
}

/// Text a spreadsheet would run as a formula (OWASP's CSV injection list), next to numbers.
const FORMULAS: &str = r#"{
  "title": "Formulas",
  "categories": [{"id": "=cat", "label": "+label"}],
  "events": [
    {"id": "f", "title": "=HYPERLINK(\"https://evil.example\",\"Click\")", "when": "-0043-03-15",
     "where": {"lat": -12.5, "lon": -77.25}, "category": "=cat",
     "actors": ["@SUM(A1)", "plain"], "summary": "+1", "date_note": "-1",
     "sources": [{"title": "\t=1", "url": "https://example.org/-1", "note": "-12.5"}],
     "fields": {"=x": "\r=1", "n": "-3"}}
  ]
}"#;

#[test]
fn would_be_formulas_are_written_as_text_and_read_back_whole() {
    let loaded = parse(FORMULAS.as_bytes(), "formulas.json").unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let original = loaded.dataset;
    let (bytes, _) = export(&original);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| {
        let at = header.iter().position(|h| h == name);
        row[at.unwrap_or_else(|| panic!("no column {name}: {header:?}"))].to_owned()
    };
    assert_eq!(
        cell("title"),
        "'=HYPERLINK(\"https://evil.example\",\"Click\")"
    );
    assert_eq!(cell("date"), "'-0043-03-15");
    // Numbers stay numbers.
    assert_eq!(
        (cell("latitude"), cell("longitude")),
        ("-12.5".into(), "-77.25".into())
    );
    assert_eq!(cell("category"), "'=cat");
    assert_eq!(cell("category_label"), "'+label");
    assert_eq!(cell("actors"), "'@SUM(A1); plain");
    assert_eq!(cell("summary"), "'+1");
    assert_eq!(cell("date_note"), "-1");
    assert_eq!(cell("source_1_title"), "'\t=1");
    assert_eq!(cell("source_1_url"), "https://example.org/-1");
    assert_eq!(cell("source_1_note"), "-12.5");
    assert_eq!(cell("'=x"), "'\r=1");
    assert_eq!(cell("n"), "-3");
    // Event Atlas takes the `'` off again: the same events, the same bytes written again.
    let back = parse(&bytes, "formulas.csv").unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    let back = back.dataset;
    assert_same_events(&original, &back);
    let (again, _) = export(&back);
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        String::from_utf8(again).unwrap()
    );
}
