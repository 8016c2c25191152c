//! Integration tests for the GeoJSON and KML exports: every dataset read back as it was written
//! (load → export → load keeps every field the format holds), the files as GIS software and
//! Google Earth read them (GDAL's `ogrinfo` when it is installed, well-formed XML), and what
//! each format cannot hold said in the summary.

// Set-up helpers may unwrap: a failure there is a broken test, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use event_atlas::io::export::{EventFilter, ExportFormat, ExportSummary, select, write_events};
use event_atlas::io::{ImportOptions, LoadProgress, Loaded, load_path, parse_dataset_with_options};
use event_atlas::model::{Dataset, EventDetails};

fn manifest_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn load(relative: &str) -> Dataset {
    match load_path(&manifest_path(relative)) {
        Ok(loaded) => loaded.dataset,
        Err(error) => panic!("{relative} did not load:\n{}", error.lines().join("\n")),
    }
}

fn crocus() -> Dataset {
    event_atlas::builtin::crocus_dataset().unwrap().dataset
}

/// Every event of `dataset` written in `format`.
fn export(dataset: &Dataset, format: ExportFormat) -> (Vec<u8>, ExportSummary) {
    let events = select(dataset, &EventFilter::default()).unwrap();
    let mut bytes = Vec::new();
    let summary = write_events(&mut bytes, dataset, &events, format).unwrap();
    assert_eq!(summary.bytes, bytes.len() as u64);
    assert_eq!(summary.events, dataset.events.len());
    (bytes, summary)
}

/// Reads back what was written in `format`; it must read without a warning.
fn read_back(bytes: &[u8], format: ExportFormat) -> Loaded {
    let name = format!("exported.{}", format.extension());
    let loaded = match parse_dataset_with_options(
        bytes,
        &name,
        &ImportOptions::default(),
        &LoadProgress::default(),
    ) {
        Ok(loaded) => loaded,
        Err(error) => panic!(
            "the {} export did not read back:\n{}\n{}",
            format.name(),
            error.lines().join("\n"),
            String::from_utf8_lossy(bytes)
        ),
    };
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    let report = loaded.report.as_ref().unwrap();
    assert_eq!(report.skipped_count(), 0, "{}", report.summary());
    loaded
}

/// The links of a dataset as `(from id, to id, kind)`, sorted.
fn links(dataset: &Dataset) -> Vec<(String, String, String)> {
    let mut links: Vec<(String, String, String)> = dataset
        .links
        .iter()
        .map(|link| {
            (
                dataset.events[link.from].id().to_owned(),
                dataset.events[link.to].id().to_owned(),
                link.kind.clone(),
            )
        })
        .collect();
    links.sort();
    links
}

/// Compares what was read back with the original, event by event: everything but the named
/// places' ids (neither format has named places: events keep the place's point and name).
fn assert_same(original: &Dataset, back: &Dataset, what: &str) {
    assert_eq!(back.title, original.title, "{what}: title");
    assert_eq!(
        back.description, original.description,
        "{what}: description"
    );
    assert_eq!(back.sources, original.sources, "{what}: sources");
    assert_eq!(back.categories, original.categories, "{what}: categories");
    assert_eq!(back.events.len(), original.events.len(), "{what}: events");
    assert_eq!(back.extent, original.extent, "{what}: extent");
    for (index, event) in original.events.iter().enumerate() {
        let id = event.id();
        let at = back
            .find(id)
            .unwrap_or_else(|| panic!("{what}: no event {id}"));
        let copy = &back.events[at];
        assert_eq!(copy.title(), event.title(), "{what}: {id}");
        assert_eq!(copy.when_text(), event.when_text(), "{what}: {id}");
        assert_eq!(copy.span, event.span, "{what}: {id}");
        assert_eq!(copy.shape, event.shape, "{what}: {id}");
        // Coordinates are compared as f64, exactly.
        assert_eq!(copy.location, event.location, "{what}: {id}");
        let category =
            |dataset: &Dataset, c: Option<usize>| c.map(|c| dataset.categories[c].clone());
        assert_eq!(
            category(back, copy.category),
            category(original, event.category),
            "{what}: {id}"
        );
        let mut expected: EventDetails = original.details(index).unwrap();
        expected.place_id = None;
        assert_eq!(back.details(at).unwrap(), expected, "{what}: {id}");
        assert_eq!(
            back.shape_of(at).map(|s| &s.parts),
            original.shape_of(index).map(|s| &s.parts),
            "{what}: {id}"
        );
    }
    assert_eq!(links(back), links(original), "{what}: links");
}

/// Exports `dataset` to both formats and reads each back: the same dataset.
fn round_trip_both(dataset: &Dataset, what: &str) -> [(Vec<u8>, ExportSummary); 2] {
    [ExportFormat::GeoJson, ExportFormat::Kml].map(|format| {
        let (bytes, summary) = export(dataset, format);
        let back = read_back(&bytes, format);
        assert_same(
            dataset,
            &back.dataset,
            &format!("{what} as {}", format.name()),
        );
        // And once more: what was read back writes the same bytes.
        let (again, _) = export(&back.dataset, format);
        assert_eq!(
            String::from_utf8_lossy(&again),
            String::from_utf8_lossy(&bytes),
            "{what} as {}",
            format.name()
        );
        (bytes, summary)
    })
}

/// An Event Atlas JSON dataset with everything awkward: actors with commas, quotes, line
/// breaks and other scripts; two sources; links; a region-only and a placeless event; EDTF
/// qualifiers and open ends; blank space at the ends of texts; text that looks like markup;
/// imported fields named like the formats' own properties.
const AWKWARD_JSON: &str = r##"{
  "format": "event-atlas/1",
  "title": "  Awkward <cases> & \"quotes\"",
  "description": "Line one\nline two\twith a tab, & <b>not bold</b>",
  "sources": [{"title": "Atlas of things", "url": "https://example.org/a?b=1&c=2", "note": "n"}],
  "categories": [
    {"id": "cat one", "label": "Category, one", "color": "#123456"},
    {"id": "protest", "label": "Protests «grands»", "color": "#ABCDEF"},
    {"id": "unused", "label": "Never used", "color": "#000000"}
  ],
  "places": [
    {"id": "kyiv", "name": "Київ", "lat": 50.4501, "lon": 30.5234, "region": "UA-30"}
  ],
  "events": [
    {"id": "a", "title": "Rally, \"big\" one", "when": "2024-03-22~",
     "where": {"lat": 55.75222000000001, "lon": 37.61556, "name": "Moscow, centre", "region": "RU-MOW"},
     "category": "protest",
     "actors": ["Smith, John", "O'Brien \"the \u00abelder\u00bb\"", "line\nbreak", "Łódź 東京"],
     "summary": "  Leading and trailing blanks  \n",
     "date_note": "Approximate: <i>about</i> that day & no later",
     "sources": [
       {"title": "First", "url": "https://example.org/1", "publisher": "P & Q", "date": "2024-03-23", "quote": "\"It happened\", they said.", "note": "page <2>"},
       {"title": "Second"}
     ],
     "links": [{"to": "b", "kind": "caused"}, {"to": "c", "kind": "related"}],
     "fields": {"when": "a field named when", "title": "a field named title", "time": "1711137480000",
                "name": "a name", "type": "not a category", "field_x": "prefixed already",
                "actor_1": "not an actor", "source_1_title": "not a source", "marker-color": "#ff0000",
                "empty": "", "notes": "multi\nline\r\nwith CRLF", "spaces": "  both ends  "}},
    {"id": "b", "title": "Region only", "when": "2023-11/2024-03-22", "where": {"region": "RU-IN", "name": "Ingushetia"},
     "category": "cat one", "links": [{"to": "a", "kind": "answers"}]},
    {"id": "c", "title": "No place at all", "when": "../2024-03-07"},
    {"id": "d", "title": "Named place", "when": "2024-03-22T19:58+03:00", "where": "kyiv", "category": "protest"},
    {"id": "e", "title": "Open end", "when": "2024-02/..", "where": {"lat": -33.8688, "lon": 151.2093}},
    {"id": "f", "title": "A year before Christ", "when": "-0043-03-15", "where": {"lat": 41.8925, "lon": 12.4853}},
    {"id": "g", "title": "Deep time", "when": "Y-170000000", "where": {"lat": 0.1, "lon": -0.1}}
  ]
}"##;

fn awkward() -> Dataset {
    let loaded = event_atlas::io::parse_dataset(AWKWARD_JSON.as_bytes(), "awkward.json").unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    loaded.dataset
}

#[test]
fn the_crocus_story_round_trips_through_geojson_and_kml() {
    let dataset = crocus();
    assert!(!dataset.links.is_empty());
    for (_, summary) in round_trip_both(&dataset, "crocus") {
        assert_eq!(
            summary.not_kept,
            [
                "named places (each event keeps its place's point, region and name)",
                "the story (8 steps)"
            ]
        );
    }
}

#[test]
fn awkward_text_places_dates_links_and_fields_round_trip() {
    let dataset = awkward();
    let [(geojson, _), (kml, _)] = round_trip_both(&dataset, "awkward");
    let geojson = String::from_utf8(geojson).unwrap();
    // Fields named like the properties Event Atlas writes keep their names with a prefix.
    assert!(
        geojson.contains(r#""field_when":"a field named when""#),
        "{geojson}"
    );
    assert!(geojson.contains(r#""time":"1711137480000""#), "{geojson}");
    assert!(
        geojson.contains(r#""field_field_x":"prefixed already""#),
        "{geojson}"
    );
    let kml = String::from_utf8(kml).unwrap();
    assert!(kml.contains(r#"<Data name="field_actor_1"><value>not an actor</value></Data>"#));
    assert!(kml.contains(r#"<Data name="actor_1"><value>Smith, John</value></Data>"#));
    assert!(kml.contains("<name>&#32;&#32;Awkward &lt;cases&gt; &amp; &quot;quotes&quot;</name>"));
}

#[test]
fn undated_events_and_imported_files_round_trip() {
    for file in [
        "tests/data/storymap/undated.json",
        "tests/data/kml/folders.kml",
        "tests/data/kml/dates.kml",
        "tests/data/geojson/usgs_feed.geojson",
        "tests/data/geojson/awkward.geojson",
        "tests/data/geojson/leaflet_timeline.geojson",
        "tests/data/geojson/jsonfg_times.json",
        "tests/data/csv/quoted_breaks.csv",
        "tests/data/csv/acled_style.csv",
    ] {
        let dataset = load(file);
        // A StoryMapJS file's slides are a story, which GeoJSON and KML cannot hold.
        let lost: Vec<String> = match dataset.story.steps.len() {
            0 => Vec::new(),
            steps => vec![format!("the story ({steps} steps)")],
        };
        for (_, summary) in round_trip_both(&dataset, file) {
            assert_eq!(summary.not_kept, lost, "{file}");
        }
    }
    let undated = load("tests/data/storymap/undated.json");
    assert!(undated.undated_count() > 0);
}

#[test]
fn imported_outlines_round_trip_as_lines_and_areas() {
    for file in [
        "tests/data/geojson/leaflet_timeline.geojson",
        "tests/data/kml/folders.kml",
    ] {
        let dataset = load(file);
        assert!(!dataset.shapes.is_empty(), "{file} has outlines");
        round_trip_both(&dataset, file);
    }
}

#[test]
fn geojson_is_one_feature_a_line_with_gis_dates() {
    let dataset = awkward();
    let (bytes, _) = export(&dataset, ExportFormat::GeoJson);
    let text = String::from_utf8(bytes).unwrap();
    let whole: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(whole["type"], "FeatureCollection");
    assert_eq!(whole["generator"], "Event Atlas");
    assert_eq!(whole["categories"][1]["color"], "#ABCDEF");
    let features = whole["features"].as_array().unwrap();
    assert_eq!(features.len(), dataset.events.len());
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("{\"type\":\"Feature\""))
        .collect();
    assert_eq!(lines.len(), features.len());
    for line in lines {
        let feature: serde_json::Value = serde_json::from_str(line.trim_end_matches(',')).unwrap();
        assert!(feature["id"].is_string());
    }
    let by_id = |id: &str| {
        features
            .iter()
            .find(|feature| feature["id"] == id)
            .unwrap()
            .clone()
    };
    let a = by_id("a");
    assert_eq!(
        a["geometry"]["coordinates"][1].as_f64(),
        Some(55.75222000000001)
    );
    assert_eq!(a["properties"]["when"], "2024-03-22~");
    assert_eq!(a["properties"]["start"], "2024-03-22");
    assert_eq!(a["properties"]["end"], "2024-03-22");
    assert_eq!(a["properties"]["marker-color"], "#ABCDEF");
    assert_eq!(a["properties"]["actors"][0], "Smith, John");
    let links = a["properties"]["links"].as_array().unwrap();
    assert!(
        links
            .iter()
            .any(|l| l["to"] == "b" && l["kind"] == "caused")
    );
    let b = by_id("b");
    assert!(b["geometry"].is_null());
    assert_eq!(b["properties"]["region"], "RU-IN");
    assert_eq!(b["properties"]["start"], "2023-11-01");
    let d = by_id("d");
    assert_eq!(d["properties"]["start"], "2024-03-22T16:58:00Z");
    assert_eq!(d["properties"]["place"], "Київ");
    // An open end has no `end`; a year GIS software cannot read has neither.
    assert!(by_id("e")["properties"].get("end").is_none());
    assert!(by_id("c")["properties"].get("start").is_none());
    assert!(by_id("f")["properties"].get("start").is_none());
}

#[test]
fn geojson_without_event_atlas_s_member_still_takes_its_date_from_when() {
    let dataset = awkward();
    let (bytes, _) = export(&dataset, ExportFormat::GeoJson);
    // As a GIS program may save it again: the foreign members gone.
    let mut whole: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let members = whole.as_object_mut().unwrap();
    for member in ["generator", "categories", "description", "sources"] {
        members.remove(member);
    }
    let resaved = serde_json::to_vec(&whole).unwrap();
    let back = read_back(&resaved, ExportFormat::GeoJson).dataset;
    for event in &dataset.events {
        let copy = &back.events[back.find(event.id()).unwrap()];
        assert_eq!(copy.when_text(), event.when_text(), "{}", event.id());
    }
    // `start` and `end` are the date again, not fields.
    let a = back.details(back.find("a").unwrap()).unwrap();
    assert!(
        a.fields
            .iter()
            .all(|(name, _)| name != "start" && name != "end")
    );
}

#[test]
fn gdal_reads_the_geojson_export() {
    let Ok(output) = std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
    else {
        return; // GDAL is not installed: nothing to check against.
    };
    if !output.status.success() {
        return;
    }
    let dataset = crocus();
    let (bytes, _) = export(&dataset, ExportFormat::GeoJson);
    let path = std::env::temp_dir().join(format!(
        "event-atlas-export-geo-{}-{:?}.geojson",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, &bytes).unwrap();
    let output = std::process::Command::new("ogrinfo")
        .args(["-al", "-so"])
        .arg(&path)
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        report.contains(&format!("Feature Count: {}", dataset.events.len())),
        "{report}"
    );
    for field in [
        "title: String",
        "when: String",
        "start: Date",
        "category_label: String",
    ] {
        assert!(report.contains(field), "{field}: {report}");
    }
}

#[test]
fn kml_is_well_formed_with_timestamps_timespans_and_styles() {
    let dataset = awkward();
    let (bytes, _) = export(&dataset, ExportFormat::Kml);
    let text = String::from_utf8(bytes).unwrap();
    // Well-formed to the end.
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut depth = 0i32;
    let mut placemarks = 0;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(start) => {
                depth += 1;
                if start.name().as_ref() == "Placemark" {
                    placemarks += 1;
                }
            }
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert_eq!(placemarks, dataset.events.len());
    for expected in [
        "<kml xmlns=\"http://www.opengis.net/kml/2.2\">",
        "<Style id=\"category--1\"><IconStyle><color>ff563412</color>",
        "<Style id=\"category-protest\">",
        "<TimeStamp><when>2024-03-22</when></TimeStamp>",
        "<TimeSpan><begin>2023-11</begin><end>2024-03-22</end></TimeSpan>",
        "<TimeSpan><end>2024-03-07</end></TimeSpan>",
        "<TimeSpan><begin>2024-02</begin></TimeSpan>",
        "<TimeStamp><when>2024-03-22T19:58:00+03:00</when></TimeStamp>",
        "<styleUrl>#category-protest</styleUrl>",
        "<Data name=\"when\"><value>2024-03-22~</value></Data>",
        "<Point><coordinates>37.61556,55.75222000000001</coordinates></Point>",
        "<description>&#32;&#32;Leading and trailing blanks&#32;&#32;&#10;</description>",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
}

#[test]
fn control_characters_are_left_out_of_kml_and_said() {
    let json = AWKWARD_JSON.replace("no later", "no \\u0007later");
    let dataset = event_atlas::io::parse_dataset(json.as_bytes(), "bell.json")
        .unwrap()
        .dataset;
    let (kml, summary) = export(&dataset, ExportFormat::Kml);
    assert!(
        summary
            .not_kept
            .contains(&"control characters (in the text of 1 event: left out)".to_owned()),
        "{:?}",
        summary.not_kept
    );
    let back = read_back(&kml, ExportFormat::Kml).dataset;
    let a = back.details(back.find("a").unwrap()).unwrap();
    assert_eq!(
        a.date_note.as_deref(),
        Some("Approximate: <i>about</i> that day & no later")
    );
    // GeoJSON holds them.
    let (geojson, summary) = export(&dataset, ExportFormat::GeoJson);
    assert!(summary.not_kept.len() == 1, "{:?}", summary.not_kept);
    let back = read_back(&geojson, ExportFormat::GeoJson).dataset;
    let a = back.details(back.find("a").unwrap()).unwrap();
    assert!(a.date_note.unwrap().contains('\u{7}'));
}

#[test]
fn the_shared_samples_round_trip() {
    // Real-world files on the development machine only (never copied into the repository).
    let folder = Path::new("/work/shared/samples");
    if !folder.is_dir() {
        return;
    }
    for file in [
        "kml_giscore_timestamps.kml",
        "kml_giscore_timetest.kml",
        "kml_google_location_history.kml",
        "jsonfg_building.json",
        "acled_africa_20160101-20160528.csv",
        "gdelt2_events_sample.csv",
        "timemap_datasheet_example.xlsx",
    ] {
        let loaded = load_path(&folder.join(file)).unwrap();
        round_trip_both(&loaded.dataset, file);
    }
}

/// Times writing a big dataset to GeoJSON and KML (`EVENT_ATLAS_BIG=/tmp/1m.json cargo test
/// --release --test all export_geo::timing -- --ignored --nocapture`).
#[test]
#[ignore = "needs a big dataset named by EVENT_ATLAS_BIG, and a release build"]
fn timing() {
    let Some(path) = std::env::var_os("EVENT_ATLAS_BIG") else {
        return;
    };
    let started = std::time::Instant::now();
    let dataset = load_path(Path::new(&path)).unwrap().dataset;
    let loaded = started.elapsed();
    let events = select(&dataset, &EventFilter::default()).unwrap();
    for format in [ExportFormat::GeoJson, ExportFormat::Kml] {
        let started = std::time::Instant::now();
        let mut out = std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(std::env::temp_dir().join(format!(
                "event-atlas-timing-{}.{}",
                std::process::id(),
                format.extension()
            )))
            .unwrap(),
        );
        let summary = write_events(&mut out, &dataset, &events, format).unwrap();
        drop(out);
        println!(
            "{} events loaded in {loaded:.2?}; {} written in {:.2?}: {}",
            dataset.events.len(),
            format.name(),
            started.elapsed(),
            summary.line()
        );
    }
    for format in [ExportFormat::GeoJson, ExportFormat::Kml] {
        let written = std::env::temp_dir().join(format!(
            "event-atlas-timing-{}.{}",
            std::process::id(),
            format.extension()
        ));
        let started = std::time::Instant::now();
        let back = load_path(&written).unwrap().dataset;
        println!(
            "{} read back in {:.2?}: {} events",
            format.name(),
            started.elapsed(),
            back.events.len()
        );
        std::fs::remove_file(&written).unwrap();
    }
}
