//! Integration tests for the GeoJSON (and JSON-FG) and KML/KMZ importers: counts, dates as EDTF
//! text at their precision, places and outlines, categories, fields, and every message.

// Set-up helpers may unwrap: a failure there is a broken test, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use event_atlas::io::{
    ImportOptions, LoadError, LoadProgress, Loaded, load_path, load_path_with_options,
    parse_dataset,
};
use event_atlas::model::{Dataset, EventDetails, Location, LonLat, ShapePart};

fn manifest_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Loads a file of tests/data that must load; on failure shows every message.
fn load(relative: &str) -> Loaded {
    match load_path(&manifest_path(relative)) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{relative} did not load:\n{}", error.lines().join("\n")),
    }
}

/// Each warning as `line: message` (the file name left out).
fn warnings(loaded: &Loaded) -> Vec<String> {
    loaded
        .warnings
        .iter()
        .map(|w| {
            let line = w.line.map_or("-".to_owned(), |line| line.to_string());
            format!("{line}: {}", w.message)
        })
        .collect()
}

fn summary(loaded: &Loaded) -> String {
    loaded.report.as_ref().expect("an import report").summary()
}

/// The event with this id: `(when text, place, category id)`.
fn event(dataset: &Dataset, id: &str) -> (String, Option<LonLat>, Option<String>) {
    let index = dataset.find(id).unwrap_or_else(|| panic!("no event {id}"));
    let event = &dataset.events[index];
    let category = event.category.map(|c| dataset.categories[c].id.clone());
    let place = match event.location {
        Location::Point { at, .. } => Some(at),
        _ => None,
    };
    (event.when_text().to_owned(), place, category)
}

fn details(dataset: &Dataset, id: &str) -> EventDetails {
    dataset.details(dataset.find(id).unwrap()).unwrap()
}

fn field<'a>(details: &'a EventDetails, name: &str) -> Option<&'a str> {
    details
        .fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn close(a: LonLat, b: LonLat) -> bool {
    (a.lon - b.lon).abs() < 1e-9 && (a.lat - b.lat).abs() < 1e-9
}

// ---------------------------------------------------------------------------------------------
// GeoJSON

#[test]
fn a_usgs_feed_opens_with_times_places_titles_and_fields() {
    let loaded = load("tests/data/geojson/usgs_feed.geojson");
    assert_eq!(
        summary(&loaded),
        "GeoJSON: 4 features → 3 events (1 without a place); 1 skipped: 1 without a date"
    );
    let dataset = &loaded.dataset;
    assert_eq!(dataset.title, "USGS Significant Earthquakes, Past Day");
    assert_eq!(
        event(dataset, "us7000m1a1"),
        (
            "2024-03-22T19:58:00Z".to_owned(),
            Some(LonLat::new(121.7112, 23.6129)),
            Some("earthquake".to_owned())
        )
    );
    let index = dataset.find("us7000m1a1").unwrap();
    assert_eq!(
        dataset.events[index].title(),
        "M 6.1 - 45 km SSE of Hualien City, Taiwan"
    );
    // Milliseconds are dropped: Event Atlas keeps seconds.
    assert_eq!(event(dataset, "us7000m0zz").0, "2024-03-22T06:46:40Z");
    // No geometry: an event without a place, and no warning for it.
    assert_eq!(
        event(dataset, "nc75012345"),
        (
            "2024-03-22T09:33:20Z".to_owned(),
            None,
            Some("quarry blast".to_owned())
        )
    );
    let quake = details(dataset, "us7000m1a1");
    assert_eq!(field(&quake, "mag"), Some("6.1"));
    assert_eq!(
        field(&quake, "place"),
        Some("45 km SSE of Hualien City, Taiwan")
    );
    assert_eq!(field(&quake, "updated"), Some("1711140000000"));
    assert_eq!(field(&quake, "types"), Some(",origin,phase-data,"));
    // What became the title, the date and the category is not listed again; nulls are left out.
    for used in ["title", "time", "type", "tz"] {
        assert_eq!(field(&quake, used), None, "{used}");
    }
    let links: Vec<(&str, &str)> = quake
        .sources
        .iter()
        .map(|s| (s.title.as_str(), s.url.as_deref().unwrap()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "url",
                "https://earthquake.usgs.gov/earthquakes/eventpage/us7000m1a1"
            ),
            (
                "detail",
                "https://earthquake.usgs.gov/earthquakes/feed/v1.0/detail/us7000m1a1.geojson"
            ),
        ]
    );
    assert_eq!(
        warnings(&loaded),
        [
            "58: skipped: feature 4: no date: give it a \"time\" property (ISO 8601, or milliseconds since 1970) or choose its date property"
        ]
    );
}

#[test]
fn chosen_properties_go_before_the_usual_names() {
    let options = ImportOptions {
        time: Some("updated".to_owned()),
        title: Some("place".to_owned()),
        category: Some("alert".to_owned()),
        ..ImportOptions::default()
    };
    let path = manifest_path("tests/data/geojson/usgs_feed.geojson");
    let loaded = load_path_with_options(&path, &options, &LoadProgress::default()).unwrap();
    assert_eq!(
        summary(&loaded),
        "GeoJSON: 4 features → 1 event; 3 skipped: 3 without a date"
    );
    let dataset = &loaded.dataset;
    assert_eq!(
        event(dataset, "us7000m1a1"),
        (
            "2024-03-22T20:40:00Z".to_owned(),
            Some(LonLat::new(121.7112, 23.6129)),
            Some("green".to_owned())
        )
    );
    assert_eq!(
        dataset.events[0].title(),
        "45 km SSE of Hualien City, Taiwan"
    );
    // The usual names are fields now; the chosen ones are not.
    let quake = details(dataset, "us7000m1a1");
    assert_eq!(field(&quake, "time"), Some("1711137480000"));
    assert_eq!(
        field(&quake, "title"),
        Some("M 6.1 - 45 km SSE of Hualien City, Taiwan")
    );
    assert_eq!(field(&quake, "updated"), None);
    assert_eq!(field(&quake, "alert"), None);
    assert!(
        warnings(&loaded)[0].ends_with(
            "skipped: feature 2: it has no property \"updated\" (the date property chosen)"
        ),
        "{:?}",
        warnings(&loaded)
    );
}

#[test]
fn start_and_end_make_intervals_and_lines_and_areas_keep_their_outline() {
    let loaded = load("tests/data/geojson/leaflet_timeline.geojson");
    assert_eq!(
        summary(&loaded),
        "GeoJSON: 6 features → 5 events; 1 skipped: 1 with a date that cannot be read"
    );
    let dataset = &loaded.dataset;
    assert_eq!(dataset.title, "Borders over time");
    let by_title = |title: &str| {
        dataset
            .events
            .iter()
            .position(|e| e.title() == title)
            .unwrap_or_else(|| panic!("no event {title}"))
    };
    let road = by_title("Road to Kaluga");
    assert_eq!(dataset.events[road].when_text(), "2024-03-01/2024-03-15");
    assert_eq!(
        dataset.events[road].location.point(),
        Some(LonLat::new(37.0, 55.0))
    );
    let shape = dataset.shape_of(road).expect("the road's outline");
    assert_eq!(
        shape.parts,
        [ShapePart::Line(vec![
            LonLat::new(36.0, 55.0),
            LonLat::new(37.0, 55.0),
            LonLat::new(38.0, 55.0)
        ])]
    );
    assert_eq!(field(&dataset.details(road).unwrap(), "kind"), Some("road"));
    // Epoch milliseconds and a month as the two ends; a polygon with a hole.
    let zone = by_title("Exclusion zone");
    assert_eq!(
        dataset.events[zone].when_text(),
        "2024-03-01T00:00:00Z/2024-04"
    );
    match &dataset.shape_of(zone).unwrap().parts[..] {
        [ShapePart::Polygon(rings)] => assert_eq!(rings.len(), 2),
        other => panic!("{other:?}"),
    }
    let centroid = dataset.events[zone].location.point().unwrap();
    assert!(centroid.lon > 31.9 && centroid.lon < 32.1, "{centroid:?}");
    // Open ends.
    assert_eq!(
        dataset.events[by_title("Open-ended")].when_text(),
        "2024-02-10/.."
    );
    let until = by_title("Until March");
    assert_eq!(dataset.events[until].when_text(), "../2024-03");
    // Several points: their middle, and no outline.
    assert!(close(
        dataset.events[until].location.point().unwrap(),
        LonLat::new(11.0, 11.0)
    ));
    assert!(dataset.shape_of(until).is_none());
    let fields = by_title("Two fields");
    assert!(close(
        dataset.events[fields].location.point().unwrap(),
        LonLat::new(6.0, 1.0)
    ));
    assert_eq!(dataset.shape_of(fields).unwrap().parts.len(), 2);
    // Shapes follow their events into time order.
    assert_eq!(dataset.shapes.len(), 3);
    assert!(dataset.shapes.windows(2).all(|w| w[0].event < w[1].event));
    assert_eq!(
        warnings(&loaded),
        [
            "16: skipped: feature 6: '2024-01-05/2024-01-02' is not an interval: the interval ends (2 January 2024) before it starts (5 January 2024)"
        ]
    );
}

#[test]
fn json_fg_time_goes_first_with_open_ends() {
    let loaded = load("tests/data/geojson/jsonfg_times.json");
    assert_eq!(
        summary(&loaded),
        "GeoJSON: 5 features → 5 events (2 without a place)"
    );
    let dataset = &loaded.dataset;
    assert_eq!(dataset.title, "JSON-FG times");
    assert_eq!(event(dataset, "open-end").0, "2014-04-24T10:50:18Z/..");
    assert!(
        dataset
            .shape_of(dataset.find("open-end").unwrap())
            .is_some()
    );
    // JSON-FG's time wins over the properties' `time`, which stays a field.
    assert_eq!(event(dataset, "open-start").0, "../2020-06");
    let started = details(dataset, "open-start");
    assert_eq!(field(&started, "time"), Some("1999-01-01"));
    assert_eq!(field(&started, "name"), None);
    assert_eq!(event(dataset, "a-day").0, "2021-09-05");
    // An instant goes before an interval; no title: the id.
    assert_eq!(event(dataset, "a-moment").0, "2021-09-05T12:30:00Z");
    let day = dataset.find("a-day").unwrap();
    assert_eq!(dataset.events[day].title(), "a-day");
    assert_eq!(
        event(dataset, "no-json-fg-time").0,
        "2022-05-01T08:00:00+02:00"
    );
    assert!(loaded.warnings.is_empty(), "{:?}", warnings(&loaded));
}

#[test]
fn awkward_features_are_counted_and_each_problem_named() {
    let loaded = load("tests/data/geojson/awkward.geojson");
    assert_eq!(
        summary(&loaded),
        "GeoJSON: 11 features → 8 events (5 without a place); 3 skipped: 1 without a date, 1 with a date that cannot be read, 1 with a bad value"
    );
    let dataset = &loaded.dataset;
    // A numeric id; NaN (as a string) is no place.
    assert_eq!(
        event(dataset, "17"),
        ("2024-03-22".to_owned(), None, Some("attack".to_owned()))
    );
    let first = details(dataset, "17");
    assert_eq!(
        field(&first, "note"),
        Some(r#"{"source":"wire","tags":["a","b"]}"#)
    );
    assert_eq!(field(&first, "count"), Some("3"));
    assert_eq!(field(&first, "flag"), Some("true"));
    assert_eq!(field(&first, "empty"), None);
    assert_eq!(
        event(dataset, "huge"),
        ("2024-03-24".to_owned(), None, Some("protest".to_owned()))
    );
    // Dates in a string of digits: milliseconds since 1970, and YYYYMMDD.
    assert_eq!(event(dataset, "ms-string").0, "2024-03-22T19:58:00Z");
    assert_eq!(event(dataset, "compact").0, "2024-03-22");
    assert_eq!(
        details(dataset, "compact").summary.as_deref(),
        Some("Crowds at the square")
    );
    // A point and a line: placed on the line (the larger dimension), whose outline is kept.
    let mixed = dataset.find("collection").unwrap();
    assert_eq!(dataset.events[mixed].title(), "Mixed bag");
    assert!(close(
        dataset.events[mixed].location.point().unwrap(),
        LonLat::new(5.0, 0.0)
    ));
    assert_eq!(
        dataset.shape_of(mixed).unwrap().parts,
        [ShapePart::Line(vec![
            LonLat::new(0.0, 0.0),
            LonLat::new(10.0, 0.0)
        ])]
    );
    let off_earth =
        "is not a place on the Earth (longitude -180 to 180, latitude -90 to 90); it has no place";
    assert_eq!(
        warnings(&loaded),
        [
            format!("2: feature 1: longitude NaN, latitude 10 {off_earth}"),
            format!("4: feature 2: longitude 200, latitude 10 {off_earth}"),
            format!("6: feature 3: longitude inf, latitude 10 {off_earth}"),
            "12: skipped: feature 6: no date: give it a \"time\" property (ISO 8601, or milliseconds since 1970) or choose its date property".to_owned(),
            "14: skipped: feature 7: 'sometime soon' is not a date Event Atlas reads (e.g. 2024-03-22, 22/03/2024, 22 March 2024)".to_owned(),
            format!("16: feature 8: longitude 0, latitude 95 {off_earth}"),
            "22: skipped: feature 10 is a \"Geometry\", not a \"Feature\"".to_owned(),
            "23: feature 11: \"Circle\" is not a GeoJSON geometry type; it has no place".to_owned(),
        ]
    );
    // Warnings name the event and the field.
    assert_eq!(loaded.warnings[1].event_id.as_deref(), Some("far"));
    assert_eq!(loaded.warnings[1].field.as_deref(), Some("geometry"));
}

#[test]
fn one_feature_a_line_and_a_single_feature_open() {
    let loaded = load("tests/data/geojson/lines.geojsonl");
    assert_eq!(
        summary(&loaded),
        "GeoJSON (one feature a line): 4 features → 2 events; 2 skipped: 1 without a date, 1 with a bad value"
    );
    assert_eq!(event(&loaded.dataset, "l2").0, "2024-05-02");
    let messages = warnings(&loaded);
    assert!(
        messages[0].starts_with("4: skipped: feature 3: no date"),
        "{messages:?}"
    );
    assert_eq!(
        messages[1],
        "5: skipped: feature 4 cannot be read: expected `,` or `}`"
    );
    let single = br#"{"type": "Feature", "id": "one", "properties": {"time": 1711137480000},
        "geometry": {"type": "Point", "coordinates": [10, 20]}}"#;
    let loaded = parse_dataset(single, "one.geojson").unwrap();
    assert_eq!(summary(&loaded), "GeoJSON: 1 feature → 1 event");
    assert_eq!(loaded.dataset.title, "one");
    assert_eq!(event(&loaded.dataset, "one").0, "2024-03-22T19:58:00Z");
}

#[test]
fn geojson_that_cannot_open_says_why() {
    let lines = |bytes: &[u8], name: &str| match parse_dataset(bytes, name) {
        Err(error) => error.lines(),
        Ok(loaded) => panic!("{name} loaded: {}", loaded.dataset.summary_line()),
    };
    assert_eq!(
        lines(
            br#"{"type": "FeatureCollection", "features": []}"#,
            "e.geojson"
        ),
        ["e.geojson: no features found: there is nothing to show"]
    );
    assert_eq!(
        lines(br#"{"type": "Point", "coordinates": [1, 2]}"#, "p.geojson"),
        [
            "p.geojson: none of the rows became an event (GeoJSON: 1 feature → 0 events; 1 skipped: 1 with a bad value)",
            "p.geojson:1: warning: skipped: feature 1 is a bare Point geometry: wrap it in a Feature with a \"time\" property",
        ]
    );
    assert_eq!(
        lines(
            b"{\"type\": \"FeatureCollection\",\n \"features\": [{\"a\": 1}",
            "cut.geojson"
        ),
        ["cut.geojson:2: the file ends inside a feature: is it complete?"]
    );
    assert_eq!(
        lines(
            b"{\"type\": \"FeatureCollection\",\n \"features\": [{\"a\": 1} {}]}",
            "x.geojson"
        ),
        ["x.geojson:2: not GeoJSON: expected ',' or ']' after a feature"]
    );
}

#[test]
fn a_feature_collection_over_many_windows_and_both_cores_keeps_its_order() {
    // Enough features for both cores to convert chunks, with a gap every 997 features.
    let mut text = String::from("{\"type\": \"FeatureCollection\", \"features\": [\n");
    for i in 0..30_000 {
        if i > 0 {
            text.push_str(",\n");
        }
        if i % 997 == 0 {
            text.push_str(&format!(
                r#"{{"type": "Feature", "id": "f{i}", "properties": {{}}, "geometry": null}}"#
            ));
        } else {
            text.push_str(&format!(
                r#"{{"type": "Feature", "id": "f{i}", "properties": {{"time": {}, "category": "c{}"}}, "geometry": {{"type": "Point", "coordinates": [{}, 10]}}}}"#,
                1_700_000_000_000_i64 + i64::from(i) * 1000,
                i % 3,
                f64::from(i % 360) - 180.0
            ));
        }
    }
    text.push_str("\n]}\n");
    let loaded = parse_dataset(text.as_bytes(), "many.geojson").unwrap();
    let report = loaded.report.clone().unwrap();
    assert_eq!(report.rows, 30_000);
    assert_eq!(report.events, 30_000 - 31);
    let dataset = &loaded.dataset;
    let ids: Vec<&str> = dataset.events.iter().map(|e| e.id()).take(3).collect();
    assert_eq!(ids, ["f1", "f2", "f3"]);
    let categories: Vec<&str> = dataset.categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(categories, ["c1", "c2", "c0"]);
    // Numbers and lines in messages are the features' own, whichever core read them.
    let messages = warnings(&loaded);
    assert_eq!(messages.len(), 31);
    assert!(
        messages[30].starts_with("29912: skipped: feature 29911: no date"),
        "{}",
        messages[30]
    );
    let last = dataset.find("f29999").unwrap();
    assert_eq!(
        dataset.events[last].location.point(),
        Some(LonLat::new(f64::from(29_999 % 360) - 180.0, 10.0))
    );
}

// ---------------------------------------------------------------------------------------------
// KML and KMZ

#[test]
fn every_kml_date_form_keeps_its_precision() {
    let loaded = load("tests/data/kml/dates.kml");
    assert_eq!(
        summary(&loaded),
        "KML: 13 placemarks → 12 events (1 without a date); 1 skipped: 1 with a date that cannot be read"
    );
    let dataset = &loaded.dataset;
    assert_eq!(dataset.title, "Dates");
    for (id, when) in [
        ("year", "2009"),
        ("month", "2009-02"),
        ("day", "2009-03-01"),
        ("utc", "2009-04-01T01:06:30Z"),
        ("offset", "2009-04-03T06:10:46+03:00"),
        ("local", "2009-04-05T05:10:50"),
        ("fraction", "2015-07-31T17:00:00Z"),
        ("span", "2009-03/2009-05-15"),
        ("same", "2009-02"),
        ("from", "2009-06-01/.."),
        ("until", "../2008-12-31"),
    ] {
        assert_eq!(event(dataset, id).0, when, "{id}");
    }
    let words = |id: &str| dataset.events[dataset.find(id).unwrap()].when_words();
    assert_eq!(words("year"), "2009");
    assert_eq!(words("month"), "February 2009");
    let still = dataset.find("static").unwrap();
    assert!(dataset.events[still].is_undated());
    assert_eq!(
        dataset.events[still].location.point(),
        Some(LonLat::new(-122.5, 37.8))
    );
    assert_eq!(
        warnings(&loaded),
        [
            "30: skipped: placemark 13: 'last Tuesday' is not a KML date (2009, 2009-03, 2009-03-01, 2009-03-01T01:06:30Z)"
        ]
    );
}

#[test]
fn kml_folders_extended_data_and_geometries() {
    let loaded = load("tests/data/kml/folders.kml");
    check_field_notes(&loaded, "KML");
}

/// The events of tests/data/kml/folders.kml, read as `format`.
fn check_field_notes(loaded: &Loaded, format: &str) {
    assert_eq!(
        summary(loaded),
        format!("{format}: 8 placemarks → 8 events (3 without a place, 1 without a date)")
    );
    let dataset = &loaded.dataset;
    assert_eq!(dataset.title, "Field notes");
    assert_eq!(
        dataset.description.as_deref(),
        Some("Notes from two trips.")
    );
    // Blanks around the commas of a coordinate are tolerated; a style is ignored.
    assert_eq!(
        event(dataset, "loose"),
        (
            "2023-05-01".to_owned(),
            Some(LonLat::new(37.6173, 55.7558)),
            None
        )
    );
    let (when, at, category) = event(dataset, "ridge");
    assert_eq!(
        (when.as_str(), category.as_deref()),
        ("2023-07-01/2023-07-03", Some("Hiking"))
    );
    assert!(at.is_some());
    let ridge = details(dataset, "ridge");
    assert_eq!(
        ridge.fields,
        [
            ("distance".to_owned(), "12 km".to_owned()),
            ("guide".to_owned(), "Aslan".to_owned())
        ]
    );
    assert_eq!(
        ridge.place_name.as_deref(),
        Some("Elbrus, Kabardino-Balkaria")
    );
    let summary = ridge.summary.unwrap();
    assert!(
        summary.contains("long") && summary.contains("https://example.org/ridge"),
        "{summary}"
    );
    assert!(summary.contains("Windy & cold."), "{summary}");
    assert!(!summary.contains('<'), "{summary}");
    // No time: undated, still on the map, with its area's outline (outer ring, then the hole).
    let camp = dataset.find("camp").unwrap();
    assert!(dataset.events[camp].is_undated());
    assert_eq!(event(dataset, "camp").2.as_deref(), Some("Hiking"));
    match &dataset.shape_of(camp).unwrap().parts[..] {
        [ShapePart::Polygon(rings)] => {
            assert_eq!(rings.len(), 2);
            assert_eq!(rings[0][1], LonLat::new(42.2, 43.0));
        }
        other => panic!("{other:?}"),
    }
    // A gx:Track of two positions is a line.
    let (_, at, category) = event(dataset, "drive");
    assert_eq!(category.as_deref(), Some("Driving"));
    assert!(close(at.unwrap(), LonLat::new(36.925, 55.1)));
    let drive = dataset.find("drive").unwrap();
    assert_eq!(
        dataset.shape_of(drive).unwrap().parts,
        [ShapePart::Line(vec![
            LonLat::new(37.6, 55.7),
            LonLat::new(36.25, 54.5)
        ])]
    );
    // MultiGeometry: the empty point does not count; the point and the line are placed on the line.
    let (_, at, _) = event(dataset, "both");
    assert!(close(at.unwrap(), LonLat::new(36.25, 54.0)));
    assert_eq!(event(dataset, "nowhere").1, None);
    assert_eq!(
        warnings(loaded),
        [
            "63: placemark 7: longitude 37.6, latitude 95 is not a place on the Earth (longitude -180 to 180, latitude -90 to 90); it has no place",
            "68: placemark 8: the coordinates 'east,north' are not longitude,latitude[,altitude]; it has no place",
        ]
    );
}

#[test]
fn kml_entities_are_never_expanded_nor_fetched() {
    let loaded = load("tests/data/kml/entities.kml");
    assert_eq!(summary(&loaded), "KML: 1 placemark → 1 event");
    let dataset = &loaded.dataset;
    assert_eq!(dataset.events[0].title(), "Secret: &xxe;");
    let summary = dataset.details(0).unwrap().summary.unwrap();
    assert_eq!(
        summary,
        "Laughs: &lol9; and &remote; & a real ampersand, été"
    );
    assert_eq!(
        warnings(&loaded),
        [
            "-: the DOCTYPE declares entities: they are not expanded, and nothing they name is read or fetched; references to them (&name;) are shown as written"
        ]
    );
}

/// A KMZ in the temporary folder holding `entries` (name, content); removed when dropped.
struct TempKmz(PathBuf);

impl TempKmz {
    fn new(name: &str, entries: &[(&str, &[u8])]) -> Self {
        let path =
            std::env::temp_dir().join(format!("event-atlas-{}-{name}.kmz", std::process::id()));
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (entry, content) in entries {
            zip.start_file(*entry, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
        Self(path)
    }
}

impl Drop for TempKmz {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

#[test]
fn a_kmz_opens_its_first_kml_document() {
    let kml = std::fs::read(manifest_path("tests/data/kml/folders.kml")).unwrap();
    let kmz = TempKmz::new(
        "notes",
        &[
            ("files/icon.png", b"\x89PNG\r\n\x1a\n"),
            ("doc.kml", &kml),
            ("other.kml", b"<kml/>"),
        ],
    );
    let loaded = load_path(&kmz.0).unwrap();
    check_field_notes(&loaded, "KMZ");
    let empty = TempKmz::new("empty", &[("readme.txt", b"no map here")]);
    let error = load_path(&empty.0).unwrap_err();
    assert_eq!(
        error.lines(),
        [format!(
            "{}: this KMZ holds no .kml document",
            empty.0.display()
        )]
    );
    assert!(matches!(error, LoadError::Invalid { .. }));
}

/// The samples in /work/shared/samples, when they are there (not in CI), give SOURCES.md's
/// counts.
#[test]
fn shared_samples_give_their_documented_counts() {
    let samples = Path::new("/work/shared/samples");
    if !samples.is_dir() {
        return;
    }
    for (file, events, placed, undated) in [
        ("kml_giscore_timestamps.kml", 11, 11, 0),
        ("kml_giscore_timetest.kml", 6, 6, 1),
        ("kml_google_location_history.kml", 15, 7, 0),
        ("jsonfg_building.json", 1, 1, 0),
    ] {
        let loaded = load_path(&samples.join(file)).unwrap();
        let dataset = &loaded.dataset;
        assert_eq!(dataset.events.len(), events, "{file}");
        assert_eq!(dataset.located_count(), placed, "{file}");
        let report = loaded.report.unwrap();
        assert_eq!(report.undated, undated, "{file}");
        assert!(loaded.warnings.is_empty(), "{file}: {:?}", loaded.warnings);
    }
}

#[test]
fn the_app_opens_geojson_with_outlines_and_draws_the_selected_one() {
    use egui_kittest::kittest::Queryable;
    let mut harness = crate::ui::harness_with(event_atlas::state::ViewState::default());
    harness.run();
    let path = manifest_path("tests/data/geojson/leaflet_timeline.geojson");
    assert!(harness.state_mut().open_path(&path));
    harness.run();
    assert_eq!(harness.state().dataset.shapes.len(), 3);
    let road = harness.state().dataset.find("feature-1").expect("the road");
    harness
        .state_mut()
        .apply(event_atlas::command::Command::Select(Some(road)));
    harness.run();
    assert_eq!(harness.state().selected, Some(road));
    // Its marker on the map and its title in the details panel.
    assert!(
        harness
            .query_all_by_label_contains("Road to Kaluga")
            .count()
            >= 2
    );
}
