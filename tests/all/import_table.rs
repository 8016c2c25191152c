//! Tables: CSV, TSV, ACLED and GDELT exports, spreadsheets (xlsx, ods) and TimeMap datasheets,
//! read from the small files in `tests/data/{csv,sheet,timemap}` (see their README).

// Set-up helpers may unwrap: a failure there is a broken test, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use event_atlas::io::{
    Diagnostic, ImportOptions, LoadError, LoadProgress, Loaded, SkipReason, load_path,
    load_path_with_options, parse_dataset,
};
use event_atlas::model::{Dataset, EventDetails, Location, LonLat, Source};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn load_with(name: &str, options: &ImportOptions) -> Loaded {
    match load_path_with_options(&data(name), options, &LoadProgress::default()) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{name} did not load:\n{}", error.lines().join("\n")),
    }
}

fn load(name: &str) -> Loaded {
    load_with(name, &ImportOptions::default())
}

/// Every warning as `(line, field, message)`.
fn warnings(loaded: &Loaded) -> Vec<(Option<usize>, Option<&str>, &str)> {
    loaded
        .warnings
        .iter()
        .map(|w: &Diagnostic| (w.line, w.field.as_deref(), w.message.as_str()))
        .collect()
}

fn event(dataset: &Dataset, title: &str) -> usize {
    dataset
        .events
        .iter()
        .position(|e| e.title() == title)
        .unwrap_or_else(|| panic!("no event titled {title:?}"))
}

fn when(dataset: &Dataset, title: &str) -> String {
    dataset.events[event(dataset, title)].when_text().to_owned()
}

fn place(dataset: &Dataset, title: &str) -> Option<LonLat> {
    match dataset.events[event(dataset, title)].location {
        Location::Point { at, .. } => Some(at),
        _ => None,
    }
}

fn category(dataset: &Dataset, title: &str) -> Option<String> {
    let index = dataset.events[event(dataset, title)].category?;
    Some(dataset.categories[index].id.clone())
}

fn details(dataset: &Dataset, title: &str) -> EventDetails {
    dataset.details(event(dataset, title)).unwrap()
}

fn field<'d>(details: &'d EventDetails, name: &str) -> Option<&'d str> {
    details
        .fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn needs_columns(name: &str, options: &ImportOptions) -> (String, event_atlas::io::TablePreview) {
    match load_path_with_options(&data(name), options, &LoadProgress::default()) {
        Err(LoadError::NeedsColumns {
            message, preview, ..
        }) => (message, *preview),
        Err(other) => panic!("expected NeedsColumns, got {:?}", other.lines()),
        Ok(loaded) => panic!(
            "expected NeedsColumns, but it loaded: {}",
            loaded.dataset.summary_line()
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// CSV and TSV

#[test]
fn a_csv_with_a_bom_and_ragged_rows_loads_every_row_with_its_fields() {
    let loaded = load("csv/bom_ragged.csv");
    let report = loaded.report.clone().unwrap();
    assert_eq!(report.summary(), "CSV: 5 rows → 5 events");
    assert_eq!(
        warnings(&loaded),
        [
            (
                Some(3),
                None,
                "this row has 7 cells but the table has 8 columns: the missing cells are read as empty"
            ),
            (
                Some(5),
                None,
                "this row has 6 cells but the table has 8 columns: the missing cells are read as empty"
            ),
            (
                Some(6),
                None,
                "this row has 9 cells but the table has 8 columns: the extra cells are listed as fields"
            ),
        ]
    );
    let dataset = &loaded.dataset;
    // The byte-order mark is not part of the first column's name: `id` is recognised.
    let attack = dataset.find("a1").unwrap();
    assert_eq!(dataset.events[attack].title(), "Concert hall attack");
    assert_eq!(dataset.events[attack].when_text(), "2024-03-22");
    assert_eq!(
        place(dataset, "Concert hall attack"),
        Some(LonLat::new(37.4, 55.8))
    );
    assert_eq!(
        category(dataset, "Concert hall attack").as_deref(),
        Some("attack")
    );
    let attack = details(dataset, "Concert hall attack");
    assert_eq!(
        attack.summary.as_deref(),
        Some("Gunmen opened fire, then set the hall on fire.")
    );
    assert_eq!(attack.fields, [("fatalities".to_owned(), "145".to_owned())]);
    // Empty cells are left out; an extra cell is a numbered field.
    assert_eq!(details(dataset, "Short row").fields, []);
    assert_eq!(
        details(dataset, "Long row").fields,
        [
            ("fatalities".to_owned(), "0".to_owned()),
            ("column 9".to_owned(), "extra cell".to_owned())
        ]
    );
}

#[test]
fn semicolons_windows_1252_and_decimal_commas_are_read() {
    let loaded = load("csv/semicolon_1252.csv");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "CSV (';'-separated): 2 rows → 2 events"
    );
    assert_eq!(
        warnings(&loaded),
        [(
            Some(2),
            None,
            "the file is not UTF-8 (from this line): text that is not UTF-8 is read as Windows-1252; if letters look wrong, save the file as UTF-8"
        )]
    );
    let dataset = &loaded.dataset;
    let cafe = "Café “Roter Platz” geschlossen";
    assert_eq!(when(dataset, cafe), "2024-03-22");
    assert_eq!(place(dataset, cafe), Some(LonLat::new(37.41, 55.79)));
    assert_eq!(category(dataset, cafe).as_deref(), Some("Sicherheit"));
    assert_eq!(
        details(dataset, cafe).sources,
        [Source {
            title: "https://example.org/a".into(),
            url: Some("https://example.org/a".into()),
            ..Source::default()
        }]
    );
    assert_eq!(
        details(dataset, "Straßensperre").sources,
        [Source {
            title: "Zeitung à la carte".into(),
            ..Source::default()
        }]
    );
}

#[test]
fn messages_give_the_line_a_record_starts_on_after_quoted_line_breaks() {
    let loaded = load("csv/quoted_breaks.csv");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "CSV: 5 rows → 3 events (1 without a place); 2 skipped: 1 without a date, 1 with a date that cannot be read"
    );
    let lines: Vec<Option<usize>> = loaded.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [Some(8), Some(9), Some(11)]);
    assert!(
        loaded.warnings[0]
            .message
            .starts_with("skipped: column \"date\": 'someday' is not a date")
    );
    assert_eq!(loaded.warnings[1].field.as_deref(), Some("lat"));
    assert_eq!(
        loaded.warnings[2].message,
        "skipped: no date in column \"date\""
    );
    let dataset = &loaded.dataset;
    assert_eq!(
        details(dataset, "First").summary.as_deref(),
        Some("one line\nsecond line\nthird line")
    );
    assert_eq!(
        details(dataset, "Second").summary.as_deref(),
        Some("a \"quoted\" word\nand a break")
    );
    assert_eq!(
        details(dataset, "Bad latitude").summary.as_deref(),
        Some("multi\nline")
    );
}

#[test]
fn unusable_coordinates_leave_the_event_without_a_place_and_say_why() {
    let loaded = load("csv/bad_coordinates.csv");
    assert_eq!(
        loaded.dataset.summary_line(),
        "7 events, 1 with a place, 2024-05-01 to 2024-05-07"
    );
    let found: Vec<(Option<usize>, Option<&str>)> = warnings(&loaded)
        .iter()
        .map(|(line, field, _)| (*line, *field))
        .collect();
    assert_eq!(
        found,
        [
            (Some(2), Some("latitude")),
            (Some(3), Some("latitude")),
            (Some(4), Some("longitude")),
            (Some(5), Some("latitude")),
            (Some(6), Some("longitude")),
        ]
    );
    let messages: Vec<&str> = warnings(&loaded).iter().map(|(_, _, m)| *m).collect();
    assert!(messages[0].starts_with("latitude 'NaN' is not a number: the event has no place"));
    assert!(messages[1].starts_with("latitude 91 is outside -90..90: the event has no place"));
    assert!(messages[2].starts_with("longitude 181 is outside -180..180"));
    assert_eq!(
        messages[4],
        "the longitude is empty but the other coordinate is given: the event has no place"
    );
    assert_eq!(
        place(&loaded.dataset, "Cape Town"),
        Some(LonLat::new(18.4, -33.9))
    );
}

#[test]
fn dates_keep_their_precision_whatever_their_form() {
    let loaded = load("csv/numeric_dates.csv");
    let dataset = &loaded.dataset;
    for (title, expected) in [
        ("Compact day", "2024-03-22"),
        ("Year only", "2024"),
        ("Epoch seconds", "2024-03-22T19:58:00Z"),
        ("Month without a day", "2024-03"),
        ("Month span", "2024-03/2024-05"),
        ("End before start", "2024-03-22"),
        ("Day and time", "2024-03-22T19:58"),
    ] {
        assert_eq!(when(dataset, title), expected, "{title}");
    }
    assert_eq!(
        warnings(&loaded),
        [(
            Some(7),
            Some("end"),
            "the interval ends (20 March 2024) before it starts (22 March 2024): the event is dated by its start only"
        )]
    );
}

#[test]
fn a_table_with_dates_and_no_coordinates_loads_without_places() {
    let loaded = load("csv/date_only.csv");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "CSV: 3 rows → 3 events (3 without a place)"
    );
    assert_eq!(
        warnings(&loaded),
        [(
            None,
            None,
            "no place columns found (named lat or latitude, and lon, lng or longitude): the events are listed but not on the map; choose the columns in the import dialog or with --lat and --lon"
        )]
    );
    let dataset = &loaded.dataset;
    assert_eq!(when(dataset, "Armistice"), "1918");
    assert_eq!(
        details(dataset, "Start of the First World War")
            .summary
            .as_deref(),
        Some("Austria-Hungary declares war on Serbia.")
    );
}

#[test]
fn unrecognised_columns_ask_for_a_choice_then_load_with_it() {
    let (message, preview) = needs_columns("csv/unrecognised.csv", &ImportOptions::default());
    assert_eq!(
        message,
        "found columns: when it happened, north, east, what; no date column (named date, event_date, start, datetime, time, year…) — choose the columns in the import dialog or with --time, --lat, --lon"
    );
    assert_eq!(
        preview.columns,
        ["when it happened", "north", "east", "what"]
    );
    assert_eq!(preview.rows.len(), 2);
    assert_eq!(
        preview.rows[1],
        ["22/03/2024", "55.7", "37.6", "Second report"]
    );
    assert_eq!(
        preview.missing,
        ["a date column", "a latitude column", "a longitude column"]
    );
    assert!(preview.sheets.is_empty());
    let options = ImportOptions {
        time: Some("When it happened".into()),
        lat: Some("north".into()),
        lon: Some("east".into()),
        title: Some("what".into()),
        ..ImportOptions::default()
    };
    let loaded = load_with("csv/unrecognised.csv", &options);
    let dataset = &loaded.dataset;
    assert_eq!(
        dataset.summary_line(),
        "2 events, 2 with a place, 2024-03-22"
    );
    assert_eq!(when(dataset, "Second report"), "2024-03-22");
    assert_eq!(
        place(dataset, "Concert hall attack"),
        Some(LonLat::new(37.4, 55.8))
    );
    // A choice that is no column is said, with the columns there are.
    let wrong = ImportOptions {
        time: Some("date".into()),
        ..ImportOptions::default()
    };
    let (message, _) = needs_columns("csv/unrecognised.csv", &wrong);
    assert!(message.contains("no column named 'date' (chosen as the date column)"));
}

#[test]
fn a_table_without_a_header_is_chosen_by_column_numbers() {
    let (message, preview) = needs_columns("csv/no_header.csv", &ImportOptions::default());
    assert!(message.starts_with("found columns: column 1, column 2, column 3, column 4; "));
    // The first row is data, shown in the preview.
    assert_eq!(preview.rows[0][0], "2024-03-22");
    let options = ImportOptions {
        time: Some("1".into()),
        lat: Some("2".into()),
        lon: Some("3".into()),
        title: Some("4".into()),
        ..ImportOptions::default()
    };
    let loaded = load_with("csv/no_header.csv", &options);
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "CSV: 2 rows → 2 events"
    );
    assert_eq!(
        place(&loaded.dataset, "Arrests"),
        Some(LonLat::new(37.6, 55.7))
    );
}

#[test]
fn a_tsv_joins_a_date_column_and_a_time_column() {
    let loaded = load("csv/events.tsv");
    let dataset = &loaded.dataset;
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "TSV: 3 rows → 3 events"
    );
    assert_eq!(when(dataset, "Attack begins"), "2024-03-22T19:58");
    assert_eq!(when(dataset, "Whole day"), "2024-03-22");
    assert_eq!(when(dataset, "Bad time"), "2024-03-23");
    assert_eq!(
        warnings(&loaded),
        [(
            Some(4),
            Some("time"),
            "'25:99' is not a time of day (HH:MM) for 2024-03-23: the event keeps its date"
        )]
    );
}

#[test]
fn tables_are_told_by_content_and_read_from_bytes_too() {
    let bytes = std::fs::read(data("csv/bom_ragged.csv")).unwrap();
    let loaded = parse_dataset(&bytes, "copy.txt").unwrap();
    assert_eq!(loaded.dataset.events.len(), 5);
    let details = loaded
        .dataset
        .details(loaded.dataset.find("a5").unwrap())
        .unwrap();
    assert_eq!(details.fields, [("fatalities".to_owned(), "3".to_owned())]);
    let header_only = parse_dataset(b"date,lat,lon\n", "empty.csv").unwrap_err();
    assert_eq!(
        header_only.lines(),
        ["empty.csv: no rows found: there is nothing to show"]
    );
}

// ---------------------------------------------------------------------------------------------
// ACLED and GDELT

#[test]
fn acled_time_precision_gives_a_day_a_week_or_a_month() {
    let loaded = load("csv/acled_style.csv");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "ACLED export: 3 rows → 3 events"
    );
    let dataset = &loaded.dataset;
    let whens: Vec<(&str, &str)> = ["XYZ1", "XYZ2", "XYZ3"]
        .iter()
        .map(|id| {
            let event = &dataset.events[dataset.find(id).unwrap()];
            (event.title(), event.when_text())
        })
        .collect();
    assert_eq!(
        whens,
        [
            ("Battles, Alpha", "2016-01-02"),
            ("Protests, Beta", "2015-12-30/2016-01-05"),
            ("Riots, Gamma", "2016-01"),
        ]
    );
    assert_eq!(
        category(dataset, "Protests, Beta").as_deref(),
        Some("Protests")
    );
    let protest = details(dataset, "Protests, Beta");
    assert_eq!(protest.actors, ["Protesters", "Teachers"]);
    assert_eq!(protest.place_name.as_deref(), Some("Beta"));
    assert_eq!(
        protest.summary.as_deref(),
        Some("Teachers marched during the week.")
    );
    assert_eq!(
        protest.sources,
        [
            Source {
                title: "Daily News".into(),
                ..Source::default()
            },
            Source {
                title: "https://example.org/beta".into(),
                url: Some("https://example.org/beta".into()),
                ..Source::default()
            }
        ]
    );
    assert_eq!(field(&protest, "time_precision"), Some("2 — the week"));
    assert_eq!(
        field(&protest, "geo_precision"),
        Some("2 — near the place named, or a part of the region around it")
    );
    assert_eq!(field(&protest, "fatalities"), Some("0"));
    assert_eq!(field(&protest, "sub_event_type"), Some("Peaceful protest"));
    assert!(protest.date_note.unwrap().contains("the 7 days around it"));
    let battle = details(dataset, "Battles, Alpha");
    assert_eq!(battle.actors, ["Military Forces", "Rebels"]);
    assert_eq!(battle.date_note, None);
}

#[test]
fn the_acled_2016_layout_has_upper_case_names_and_day_first_dates() {
    let loaded = load("csv/acled_2016_style.csv");
    let dataset = &loaded.dataset;
    assert_eq!(
        dataset.summary_line(),
        "2 events, 2 with a place, 2015-12-29 to 2016-01-16"
    );
    assert_eq!(when(dataset, "Riots/Protests, Town"), "2015-12-29");
    assert_eq!(
        when(dataset, "Battle-No change of territory, Village"),
        "2016-01-10/2016-01-16"
    );
    let riot = details(dataset, "Riots/Protests, Town");
    assert_eq!(riot.actors, ["Protesters (Country)"]);
    assert_eq!(
        field(&riot, "GEO_PRECISION"),
        Some("1 — the exact place (a town or village)")
    );
    // The blank header cells name nothing: their empty cells are not listed.
    assert!(
        riot.fields
            .iter()
            .all(|(name, _)| !name.starts_with("column"))
    );
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn gdelt_2_rows_are_titled_by_their_root_event_and_placed_by_action_geo() {
    let loaded = load("csv/gdelt2_style.csv");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "GDELT 2.0 events: 3 rows → 3 events (1 without a place)"
    );
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let dataset = &loaded.dataset;
    let consult = "Consult: GOVERNMENT → JOURNALIST";
    assert_eq!(when(dataset, consult), "2020-03-18");
    assert_eq!(
        place(dataset, consult),
        Some(LonLat::new(36.8167, -1.28333))
    );
    assert_eq!(
        category(dataset, consult).as_deref(),
        Some("Verbal cooperation")
    );
    let details = details(dataset, consult);
    assert_eq!(
        details.place_name.as_deref(),
        Some("Nairobi, Nairobi Area, Kenya")
    );
    assert_eq!(details.actors, ["GOVERNMENT", "JOURNALIST"]);
    assert_eq!(
        details.sources[0].url.as_deref(),
        Some("https://example.org/news/1")
    );
    assert_eq!(field(&details, "EventRootCode"), Some("04 — Consult"));
    assert_eq!(
        field(&details, "ActionGeo_Type"),
        Some("4 — city or landmark")
    );
    assert_eq!(field(&details, "ActionGeo_ADM2Code"), Some("12345"));
    assert_eq!(field(&details, "DATEADDED"), Some("20200318104500"));
    // Quotes are plain characters in GDELT; type 0 has no place.
    assert_eq!(place(dataset, "Protest: \"THE\" PROTESTERS"), None);
    assert_eq!(
        category(dataset, "Fight: POLICE → CIVILIAN").as_deref(),
        Some("Material conflict")
    );
    assert_eq!(
        dataset.events[dataset.find("500000003").unwrap()].title(),
        "Fight: POLICE → CIVILIAN"
    );
}

#[test]
fn gdelt_1_mixes_57_and_58_columns_and_0_0_without_a_type_is_no_place() {
    let loaded = load("csv/gdelt1_style.tsv");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "GDELT 1.0 events: 4 rows → 4 events (2 without a place)"
    );
    assert_eq!(
        warnings(&loaded),
        [(
            Some(1),
            Some("ActionGeo_Lat"),
            "ActionGeo_Lat/Long 0,0 with no ActionGeo_Type is GDELT's placeholder for an unknown place: the event has no place"
        )]
    );
    let dataset = &loaded.dataset;
    assert_eq!(when(dataset, "Consult: AFRICA"), "1979-01-01");
    assert_eq!(
        place(dataset, "Consult: MIGRANT → AUSTRALIA"),
        Some(LonLat::new(133.0, -27.0))
    );
    assert_eq!(
        place(dataset, "Express intent to cooperate: CHINA → JAPAN"),
        Some(LonLat::new(138.0, 36.0))
    );
    assert_eq!(place(dataset, "Coerce: POLICE"), None);
    let migrant = details(dataset, "Consult: MIGRANT → AUSTRALIA");
    assert_eq!(
        migrant.sources[0].url.as_deref(),
        Some("http://example.org/australia")
    );
}

// ---------------------------------------------------------------------------------------------
// Spreadsheets and TimeMap

#[test]
fn workbooks_read_dates_times_serials_formulas_and_skip_empty_rows() {
    for (name, format) in [
        ("sheet/events.xlsx", "Excel workbook"),
        ("sheet/events.ods", "OpenDocument spreadsheet"),
    ] {
        let loaded = load(name);
        assert_eq!(
            loaded.report.as_ref().unwrap().summary(),
            format!(
                "{format}, sheet Events: 5 rows → 4 events (1 without a place); 1 skipped: 1 without a date"
            ),
            "{name}"
        );
        let dataset = &loaded.dataset;
        assert_eq!(
            when(dataset, "Concert hall attack"),
            "2024-03-22T19:58",
            "{name}"
        );
        assert_eq!(when(dataset, "Text date"), "2024-03-22T20:15", "{name}");
        assert_eq!(
            when(dataset, "Serial without a date format"),
            "2024-03-23",
            "{name}"
        );
        assert_eq!(when(dataset, "Month only"), "2024-03", "{name}");
        assert_eq!(
            place(dataset, "Text date"),
            Some(LonLat::new(37.62, 55.75)),
            "{name}"
        );
        assert_eq!(
            field(&details(dataset, "Concert hall attack"), "Casualties"),
            Some("145")
        );
        assert_eq!(
            warnings(&loaded),
            [
                (
                    None,
                    Some("Time"),
                    "sheet Events, row 4: '13.45' is not a time of day (HH:MM) for 2024-03-23: the event keeps its date"
                ),
                (
                    None,
                    None,
                    "skipped: sheet Events, row 5: no date in column \"Date\""
                ),
            ],
            "{name}"
        );
    }
}

#[test]
fn a_sheet_is_chosen_by_name_and_the_preview_lists_the_sheets() {
    let options = ImportOptions {
        sheet: Some("people".into()),
        ..ImportOptions::default()
    };
    let (message, preview) = needs_columns("sheet/events.xlsx", &options);
    assert!(message.starts_with("found columns: Name, Born, Town; no date column"));
    assert_eq!(preview.sheets, ["Events", "People"]);
    assert_eq!(preview.sheet.as_deref(), Some("People"));
    assert_eq!(preview.rows, [["Ada", "1815", "London"]]);
    let options = ImportOptions {
        sheet: Some("People".into()),
        time: Some("Born".into()),
        title: Some("Name".into()),
        ..ImportOptions::default()
    };
    let loaded = load_with("sheet/events.ods", &options);
    assert_eq!(when(&loaded.dataset, "Ada"), "1815");
    let missing = ImportOptions {
        sheet: Some("Nope".into()),
        ..ImportOptions::default()
    };
    let error = load_path_with_options(
        &data("sheet/events.xlsx"),
        &missing,
        &LoadProgress::default(),
    )
    .unwrap_err();
    assert!(
        error.lines()[0].ends_with("no sheet named 'Nope' (sheets: Events, People)"),
        "{:?}",
        error.lines()
    );
}

#[test]
fn a_timemap_workbook_reads_export_events_with_its_sources() {
    let loaded = load("timemap/timemap_export.xlsx");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "TimeMap datasheet (Excel workbook), sheet EXPORT_EVENTS: 3 rows → 3 events (1 without a place)"
    );
    let dataset = &loaded.dataset;
    let gas = "Person A appears at the gate and sprays tear gas.";
    assert_eq!(when(dataset, gas), "2015-10-10T16:20");
    assert_eq!(
        place(dataset, gas),
        Some(LonLat::new(34.7874169, 31.3484783))
    );
    assert_eq!(category(dataset, gas).as_deref(), Some("tear_gas"));
    let gas = details(dataset, gas);
    assert_eq!(
        gas.summary.as_deref(),
        Some("Person A appears at the gate and sprays tear gas. Then leaves.")
    );
    assert_eq!(gas.place_name.as_deref(), Some("Site A"));
    assert_eq!(field(&gas, "association2"), Some("narrative_1"));
    assert_eq!(
        gas.sources,
        [Source {
            title: "Gate footage".into(),
            url: Some("https://example.org/photo.jpg".into()),
            note: Some("A single photo.".into()),
            ..Source::default()
        }]
    );
    // A long description is cut at a word for the title.
    let vehicle = "A vehicle is seen on the road north of the village, moving slowly towards the…";
    assert_eq!(when(dataset, vehicle), "2015-10-21T07:00");
    // An unknown source id stays a field; no association1: no category.
    let law = details(dataset, "Legislation passed (no place).");
    assert_eq!(field(&law, "source1"), Some("src9"));
    assert_eq!(
        when(dataset, "Legislation passed (no place)."),
        "2014-12-10"
    );
    assert_eq!(category(dataset, "Legislation passed (no place)."), None);
}

#[test]
fn timemap_json_arrays_become_associations_and_sources() {
    let loaded = load("timemap/timemap_events.json");
    assert_eq!(
        loaded.report.as_ref().unwrap().summary(),
        "TimeMap datasheet (JSON): 3 rows → 3 events (1 without a place)"
    );
    let dataset = &loaded.dataset;
    let gas = "Person A appears at the gate and sprays tear gas.";
    assert_eq!(dataset.events[dataset.find("1").unwrap()].title(), gas);
    assert_eq!(when(dataset, gas), "2015-10-10T16:20");
    assert_eq!(category(dataset, gas).as_deref(), Some("alpha"));
    let gas = details(dataset, gas);
    assert_eq!(field(&gas, "associations 1"), Some("tear_gas"));
    assert_eq!(field(&gas, "sources 1"), Some("src1"));
    assert_eq!(
        gas.sources[0].url.as_deref(),
        Some("https://example.org/report")
    );
    assert_eq!(
        place(dataset, "A vehicle is seen on the road."),
        Some(LonLat::new(34.784818, 31.356397))
    );
    assert_eq!(when(dataset, "Legislation passed; no place."), "2014-12");
}

// ---------------------------------------------------------------------------------------------
// Large files and the command line

/// A temporary file removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str) -> Self {
        let unique = format!(
            "event-atlas-{}-{:?}-{name}",
            std::process::id(),
            std::thread::current().id()
        );
        TempFile(std::env::temp_dir().join(unique.replace(['(', ')'], "")))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

#[test]
fn a_large_table_reads_an_events_details_again_from_the_file() {
    use std::io::Write;
    let file = TempFile::new("large.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file.0).unwrap());
    writeln!(out, "id,date,lat,lon,title,notes,padding").unwrap();
    let padding = "x".repeat(200);
    let rows = (event_atlas::io::STREAM_ABOVE_BYTES / 200) as usize;
    for row in 0..rows {
        let day = row % 28 + 1;
        writeln!(
            out,
            "e{row},2024-02-{day:02},10.5,20.5,Event {row},\"Note {row}\",{padding}"
        )
        .unwrap();
    }
    out.flush().unwrap();
    drop(out);
    let loaded = load_path(&file.0).unwrap();
    let dataset = &loaded.dataset;
    assert_eq!(dataset.events.len(), rows);
    let last = dataset.find(&format!("e{}", rows - 1)).unwrap();
    let details = dataset.details(last).unwrap();
    assert_eq!(details.summary, Some(format!("Note {}", rows - 1)));
    assert_eq!(details.fields, [("padding".to_owned(), padding)]);
    // A file changed after it was opened no longer gives details.
    std::fs::write(&file.0, "id,date\n").unwrap();
    let error = dataset.details(last).unwrap_err();
    assert!(error.contains("changed on disk"), "{error}");
}

#[test]
fn check_takes_the_column_options() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_event-atlas"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap()
    };
    let asked = run(&["check", "tests/data/csv/no_header.csv"]);
    assert!(!asked.status.success());
    let stderr = String::from_utf8(asked.stderr).unwrap();
    assert!(
        stderr.contains("choose the columns in the import dialog or with --time, --lat, --lon")
    );
    let chosen = run(&[
        "check",
        "tests/data/csv/no_header.csv",
        "--time",
        "1",
        "--lat",
        "2",
        "--lon",
        "3",
        "--title",
        "4",
    ]);
    assert!(chosen.status.success());
    assert_eq!(
        String::from_utf8(chosen.stdout).unwrap(),
        "2 events, 2 with a place, 2024-03-22 to 2024-03-23\nCSV: 2 rows → 2 events\n"
    );
    let sheet = run(&[
        "check",
        "tests/data/sheet/events.xlsx",
        "--sheet",
        "People",
        "--time",
        "Born",
    ]);
    assert!(
        sheet.status.success(),
        "{}",
        String::from_utf8_lossy(&sheet.stderr)
    );
}

#[test]
fn skip_reasons_are_counted_per_reason() {
    let loaded = load("csv/quoted_breaks.csv");
    assert_eq!(
        loaded.report.unwrap().skipped,
        [(SkipReason::NoDate, 1), (SkipReason::BadDate, 1)]
    );
}
