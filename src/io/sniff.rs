//! What a file is, from its first bytes (and, when they do not tell, its name): for the
//! format detector in `io/mod.rs`, and for a clear message when it is something this version
//! cannot open.

use std::path::Path;

/// How many bytes from the start of a file [`Content::of`] looks at.
pub const HEAD_BYTES: usize = 8 << 10;

/// What a file looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// JSON that may be an Event Atlas dataset (its reader says whether it is).
    EventAtlasJson,
    /// TimelineJS3 JSON: `events` whose slides have a `start_date` (or `scale`, `eras`, a
    /// `title` slide).
    TimelineJs,
    /// StoryMapJS JSON: a top-level `storymap` object.
    StoryMapJs,
    GeoJsonFeatureCollection,
    GeoJsonFeature,
    GeoJsonGeometry,
    Png,
    Jpeg,
    Zip,
    Kmz,
    Xlsx,
    /// An OpenDocument spreadsheet.
    Ods,
    /// A GDELT events export (tab-separated, no header, 57, 58 or 61 columns).
    Gdelt,
    /// TimeMap's datasheet-server JSON: an array of objects with `description` and `date`.
    TimeMapJson,
    Gzip,
    Pdf,
    Kml,
    Gpx,
    Html,
    Xml,
    Utf16,
    Csv,
    Tsv,
    Empty,
    NotJson,
}

impl Content {
    /// Decides from `head` (the first [`HEAD_BYTES`] of the file, or all of it if shorter)
    /// after a UTF-8 byte-order mark and blank space; from the name's extension when the
    /// content does not say.
    pub fn of(head: &[u8], path: Option<&Path>) -> Content {
        let extension = path
            .and_then(Path::extension)
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let extension = extension.as_deref();
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
            return Content::Utf16;
        }
        let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        if let Some(content) = Content::of_magic(body, extension) {
            return content;
        }
        let text = body.trim_ascii_start();
        let whole = head.len() < HEAD_BYTES;
        match text.first() {
            None if whole => Content::Empty,
            Some(b'{') => geojson(text)
                .or_else(|| knightlab(text))
                .unwrap_or(Content::EventAtlasJson),
            Some(b'[') if timemap_json(text) => Content::TimeMapJson,
            // A table whose first cell is quoted.
            Some(b'"') => Content::of_extension(extension)
                .filter(|c| matches!(c, Content::Csv | Content::Tsv))
                .or_else(|| delimited(text))
                .unwrap_or(Content::EventAtlasJson),
            Some(b'[') => Content::EventAtlasJson,
            Some(b'<') => xml(text),
            // A lone number, true, false or null: JSON, which the reader says is no dataset.
            Some(_) if whole && serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok() => {
                Content::EventAtlasJson
            }
            _ if gdelt(text) => Content::Gdelt,
            _ => Content::of_extension(extension)
                .or_else(|| delimited(text))
                .unwrap_or(Content::NotJson),
        }
    }

    /// Binary formats known by their first bytes.
    fn of_magic(body: &[u8], extension: Option<&str>) -> Option<Content> {
        let content = if body.starts_with(b"\x89PNG\r\n\x1a\n") {
            Content::Png
        } else if body.starts_with(b"\xFF\xD8\xFF") {
            Content::Jpeg
        } else if body.starts_with(b"PK\x03\x04") || body.starts_with(b"PK\x05\x06") {
            match extension {
                Some("kmz") => Content::Kmz,
                Some("xlsx" | "xlsm") => Content::Xlsx,
                Some("ods") => Content::Ods,
                _ if contains(body, b"opendocument.spreadsheet") => Content::Ods,
                _ if contains(body, b"xl/") => Content::Xlsx,
                _ => Content::Zip,
            }
        } else if body.starts_with(b"\x1f\x8b") {
            Content::Gzip
        } else if body.starts_with(b"%PDF-") {
            Content::Pdf
        } else {
            return None;
        };
        Some(content)
    }

    /// What the extension says, for text whose start does not.
    fn of_extension(extension: Option<&str>) -> Option<Content> {
        Some(match extension? {
            // Let the JSON reader point at what is wrong.
            "json" => Content::EventAtlasJson,
            "geojson" => Content::GeoJsonFeatureCollection,
            "csv" => Content::Csv,
            "tsv" | "tab" => Content::Tsv,
            "kml" => Content::Kml,
            "kmz" => Content::Kmz,
            "gpx" => Content::Gpx,
            "xlsx" | "xlsm" => Content::Xlsx,
            "ods" => Content::Ods,
            "html" | "htm" => Content::Html,
            "xml" => Content::Xml,
            _ => return None,
        })
    }

    /// What it is, in words: "a GeoJSON FeatureCollection".
    pub fn description(self) -> &'static str {
        match self {
            Content::EventAtlasJson => "Event Atlas JSON",
            Content::TimelineJs => "a TimelineJS timeline",
            Content::StoryMapJs => "a StoryMapJS story map",
            Content::GeoJsonFeatureCollection => "a GeoJSON FeatureCollection",
            Content::GeoJsonFeature => "a GeoJSON Feature",
            Content::GeoJsonGeometry => "a GeoJSON geometry",
            Content::Png => "a PNG image",
            Content::Jpeg => "a JPEG image",
            Content::Zip => "a ZIP archive (such as KMZ or xlsx)",
            Content::Kmz => "a KMZ file (zipped KML)",
            Content::Xlsx => "an Excel workbook (xlsx)",
            Content::Ods => "an OpenDocument spreadsheet (ods)",
            Content::Gdelt => "a GDELT events export",
            Content::TimeMapJson => "TimeMap JSON (datasheet-server)",
            Content::Gzip => "a gzip-compressed file",
            Content::Pdf => "a PDF document",
            Content::Kml => "a KML document",
            Content::Gpx => "a GPX track",
            Content::Html => "a web page (HTML)",
            Content::Xml => "an XML document",
            Content::Utf16 => "UTF-16 text (save it as UTF-8)",
            Content::Csv => "a CSV table",
            Content::Tsv => "a TSV table",
            Content::Empty => "an empty file",
            Content::NotJson => "not JSON",
        }
    }

    /// Why a file with this content does not open (for one this version cannot read).
    pub fn message(self) -> String {
        match self {
            Content::Empty => {
                "the file is empty (is it complete? it may still be being written)".to_owned()
            }
            other => format!(
                "this is {}; Event Atlas opens Event Atlas JSON, GeoJSON, CSV/TSV tables (ACLED, GDELT), xlsx/ods spreadsheets (TimeMap), KML/KMZ, TimelineJS and StoryMapJS files (see docs/formats.md)",
                other.description()
            ),
        }
    }
}

/// The GeoJSON object `text` (which starts with `{`) is, by its top-level `"type"`.
fn geojson(text: &[u8]) -> Option<Content> {
    Some(match top_level_type(text)? {
        b"FeatureCollection" => Content::GeoJsonFeatureCollection,
        b"Feature" => Content::GeoJsonFeature,
        b"Point"
        | b"MultiPoint"
        | b"LineString"
        | b"MultiLineString"
        | b"Polygon"
        | b"MultiPolygon"
        | b"GeometryCollection" => Content::GeoJsonGeometry,
        _ => return None,
    })
}

/// KnightLab's formats, by their top-level keys: StoryMapJS has a `storymap` object; TimelineJS
/// has `events` whose slides have a `start_date` (Event Atlas JSON's events have `when`), or
/// what only TimelineJS has at the top: `scale`, `eras`, a `title` slide (an object, where
/// Event Atlas JSON's title is a string).
fn knightlab(text: &[u8]) -> Option<Content> {
    let mut has_events = false;
    let mut timeline_only = false;
    let mut section: &[u8] = b"";
    for key in object_keys(text) {
        match (key.depth, key.name) {
            (1, b"storymap") if key.value == b'{' => return Some(Content::StoryMapJs),
            // Not only a list: the reader then says that `events` must be one.
            (1, b"events") => has_events = true,
            (1, b"scale") if key.value == b'"' => timeline_only = true,
            (1, b"eras") if key.value == b'[' => timeline_only = true,
            (1, b"title") if key.value == b'{' => timeline_only = true,
            (3, b"start_date") if section == b"events" => timeline_only = true,
            _ => {}
        }
        if key.depth == 1 {
            section = key.name;
        }
    }
    (has_events && timeline_only).then_some(Content::TimelineJs)
}

/// A key of a JSON object: how deep its object is (1: the top level; arrays count), its name
/// and the first byte of its value.
struct ObjectKey<'a> {
    depth: usize,
    name: &'a [u8],
    value: u8,
}

/// The keys of the JSON `text` starts with, in order, as far as `text` goes.
fn object_keys(text: &[u8]) -> Vec<ObjectKey<'_>> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(&byte) = text.get(at) {
        match byte {
            b'"' => {
                let Some(end) = string_end(text, at) else {
                    break;
                };
                let after = after_blank(text, end + 1);
                if text.get(after) == Some(&b':') {
                    let value = after_blank(text, after + 1);
                    keys.push(ObjectKey {
                        depth,
                        name: text.get(at + 1..end).unwrap_or_default(),
                        value: text.get(value).copied().unwrap_or(b' '),
                    });
                }
                at = end;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at += 1;
    }
    keys
}

/// The string value of the `"type"` field of the object `text` starts with, if it comes
/// within `text`.
fn top_level_type(text: &[u8]) -> Option<&[u8]> {
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(&byte) = text.get(at) {
        match byte {
            b'"' => {
                let end = string_end(text, at)?;
                let after = after_blank(text, end + 1);
                if depth == 1
                    && text.get(at + 1..end) == Some(b"type")
                    && text.get(after) == Some(&b':')
                {
                    let value = after_blank(text, after + 1);
                    if text.get(value) != Some(&b'"') {
                        return None;
                    }
                    return text.get(value + 1..string_end(text, value)?);
                }
                at = end;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        at += 1;
    }
    None
}

/// The index of the quote that closes the string opening at `start`.
fn string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        match text.get(at)? {
            b'\\' => at += 2,
            b'"' => return Some(at),
            _ => at += 1,
        }
    }
}

/// The index of the first byte at or after `at` that is not blank.
fn after_blank(text: &[u8], at: usize) -> usize {
    let blank = text
        .get(at..)
        .map_or(0, |rest| rest.len() - rest.trim_ascii_start().len());
    at + blank
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Whether `text` (which starts with `[`) is an array of TimeMap event objects.
fn timemap_json(text: &[u8]) -> bool {
    let after = text.get(1..).unwrap_or_default().trim_ascii_start();
    after.first() == Some(&b'{')
        && contains(text, b"\"description\"")
        && contains(text, b"\"date\"")
        && (contains(text, b"\"latitude\"") || contains(text, b"\"location\""))
}

/// Whether the first line of `text` is a GDELT event row: 57, 58 or 61 tab-separated fields,
/// a numeric id, then an 8-digit `SQLDATE`.
fn gdelt(text: &[u8]) -> bool {
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let fields: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
    let digits = |field: &[u8]| !field.is_empty() && field.iter().all(u8::is_ascii_digit);
    matches!(fields.len(), 57 | 58 | 61)
        && fields.first().is_some_and(|id| digits(id))
        && fields
            .get(1)
            .is_some_and(|date| date.len() == 8 && digits(date))
}

/// A table by its look: at least two lines, most of them with as many (not 0) of one
/// separator (`,` `;` tab `|`, outside quotes) as the first; tab-separated is TSV.
fn delimited(text: &[u8]) -> Option<Content> {
    let lines: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .filter(|line| !line.trim_ascii().is_empty())
        .take(9)
        .collect();
    // The last line of a cut head may be incomplete.
    let complete = lines.get(..lines.len().min(8))?;
    if complete.len() < 2 {
        return None;
    }
    [b'\t', b',', b';', b'|'].into_iter().find_map(|separator| {
        let count = |line: &&[u8]| {
            let mut quoted = false;
            line.iter()
                .filter(|&&b| {
                    quoted ^= b == b'"';
                    b == separator && !quoted
                })
                .count()
        };
        let first = count(complete.first()?);
        let same = complete.iter().filter(|line| count(line) == first).count();
        (first > 0 && same >= 2 && 2 * same >= complete.len()).then_some(if separator == b'\t' {
            Content::Tsv
        } else {
            Content::Csv
        })
    })
}

/// Which XML document `text` (which starts with `<`) is.
fn xml(text: &[u8]) -> Content {
    let lower = text.to_ascii_lowercase();
    let has = |tag: &[u8]| lower.windows(tag.len()).any(|window| window == tag);
    if has(b"<kml") {
        Content::Kml
    } else if has(b"<gpx") {
        Content::Gpx
    } else if has(b"<html") || has(b"<!doctype html") {
        Content::Html
    } else {
        Content::Xml
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(head: &[u8], name: &str) -> Content {
        Content::of(head, Some(Path::new(name)))
    }

    #[test]
    fn json_is_recognised_by_its_content_whatever_the_name() {
        let dataset = br#"{"title": "T", "events": []}"#;
        assert_eq!(of(dataset, "data.json"), Content::EventAtlasJson);
        assert_eq!(of(dataset, "data.csv"), Content::EventAtlasJson);
        assert_eq!(Content::of(dataset, None), Content::EventAtlasJson);
        let with_bom_and_blanks = b"\xEF\xBB\xBF \n\t{\"events\": []}";
        assert_eq!(of(with_bom_and_blanks, "x"), Content::EventAtlasJson);
        // Other JSON: the reader says it is no dataset, with its position.
        for other in [
            &b"[1, 2]"[..],
            b"\"text\"",
            b"42",
            b"-1.5",
            b"null",
            b"  true",
        ] {
            assert_eq!(of(other, "x.txt"), Content::EventAtlasJson, "{other:?}");
        }
        // A `type` inside an event is not the top level's.
        let nested = br#"{"events": [{"type": "FeatureCollection"}], "title": "T"}"#;
        assert_eq!(of(nested, "x.json"), Content::EventAtlasJson);
        // Broken JSON in a .json file: the reader points at the mistake.
        assert_eq!(of(b"title: T", "x.json"), Content::EventAtlasJson);
    }

    #[test]
    fn geojson_is_told_by_its_type() {
        let collection = br#"{"type": "FeatureCollection", "features": []}"#;
        assert_eq!(of(collection, "x.json"), Content::GeoJsonFeatureCollection);
        let feature = br#"{ "properties": {"type": "x"}, "type" : "Feature" }"#;
        assert_eq!(of(feature, "x.json"), Content::GeoJsonFeature);
        let point = br#"{"type": "Point", "coordinates": [1, 2]}"#;
        assert_eq!(of(point, "x"), Content::GeoJsonGeometry);
        // An escaped quote does not end a string early.
        let escaped = br#"{"title": "a \"type\": \"Feature\"", "type": "Feature"}"#;
        assert_eq!(of(escaped, "x"), Content::GeoJsonFeature);
        let other_type = br#"{"type": "event-atlas", "events": []}"#;
        assert_eq!(of(other_type, "x"), Content::EventAtlasJson);
        // A head cut inside the value is left to the reader.
        assert_eq!(of(br#"{"type": "Featu"#, "x"), Content::EventAtlasJson);
    }

    #[test]
    fn knightlab_formats_are_told_from_event_atlas_json() {
        let timeline = br#"{"events": [{"start_date": {"year": "2024"}, "text": {}}]}"#;
        assert_eq!(of(timeline, "x.json"), Content::TimelineJs);
        let title_first = br#"{"title": {"text": {"headline": "T"}}, "events": []}"#;
        assert_eq!(of(title_first, "x.json"), Content::TimelineJs);
        let cosmological = br#"{"scale": "cosmological", "events": [{"start_date": {}}]}"#;
        assert_eq!(of(cosmological, "x"), Content::TimelineJs);
        let eras = br#"{"eras": [], "events": []}"#;
        assert_eq!(of(eras, "x"), Content::TimelineJs);
        let story = br#"{"width": 500, "storymap": {"slides": [{"type": "overview"}]}}"#;
        assert_eq!(of(story, "x.json"), Content::StoryMapJs);
        // Event Atlas JSON: a string title, events with `when`; `start_date` elsewhere is not
        // TimelineJS's.
        for atlas in [
            &br#"{"title": "T", "events": [{"id": "a", "when": "2024"}]}"#[..],
            br#"{"events": [{"id": "a", "when": "2024", "x": {"start_date": 1}}]}"#,
            br#"{"places": [{"start_date": 1}], "events": []}"#,
            br#"{"title": "T", "storymap": "no", "events": []}"#,
            br#"{"events": {"start_date": 1}}"#,
        ] {
            assert_eq!(of(atlas, "x.json"), Content::EventAtlasJson);
        }
    }

    #[test]
    fn binary_files_are_told_by_their_first_bytes() {
        assert_eq!(of(b"\x89PNG\r\n\x1a\n\0\0", "x.json"), Content::Png);
        assert_eq!(of(b"\xFF\xD8\xFF\xE0", "x.json"), Content::Jpeg);
        assert_eq!(of(b"PK\x03\x04rest", "x.zip"), Content::Zip);
        assert_eq!(of(b"PK\x03\x04rest", "x.KMZ"), Content::Kmz);
        assert_eq!(of(b"PK\x03\x04rest", "x.xlsx"), Content::Xlsx);
        assert_eq!(of(b"PK\x03\x04rest", "x.ods"), Content::Ods);
        let ods = b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK";
        assert_eq!(of(ods, "download"), Content::Ods);
        assert_eq!(of(b"\x1f\x8b\x08", "x.json.gz"), Content::Gzip);
        assert_eq!(of(b"%PDF-1.7", "x.json"), Content::Pdf);
        assert_eq!(of(b"\xFF\xFE{\0", "x.json"), Content::Utf16);
        assert_eq!(of(b"\xFE\xFF\0{", "x.json"), Content::Utf16);
    }

    #[test]
    fn xml_and_text_are_told_by_content_then_extension() {
        let kml = b"<?xml version=\"1.0\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">";
        assert_eq!(of(kml, "x.xml"), Content::Kml);
        assert_eq!(of(b"<gpx version=\"1.1\">", "x"), Content::Gpx);
        assert_eq!(of(b"<!DOCTYPE html><html>", "x.json"), Content::Html);
        assert_eq!(of(b"<root/>", "x"), Content::Xml);
        assert_eq!(of(b"id,title,when\n1,A,2024", "x.csv"), Content::Csv);
        assert_eq!(of(b"id\ttitle\n", "x.TSV"), Content::Tsv);
        assert_eq!(of(b"2024-03-22,Moscow", "x.csv"), Content::Csv);
        assert_eq!(of(b"hello", "notes.txt"), Content::NotJson);
        assert_eq!(
            of(b"\"id\",\"date\"\n\"1\",\"2024\"", "x.csv"),
            Content::Csv
        );
        assert_eq!(of(b"date;lat\n2024;55\n2025;56\n", "x.txt"), Content::Csv);
        assert_eq!(of(b"\"a\",\"b\"\n\"1\",\"2\"\n", "x.txt"), Content::Csv);
        assert_eq!(of(b"date\tlat\n2024\t55\n", "data"), Content::Tsv);
        assert_eq!(of(b"one line, no table", "x.txt"), Content::NotJson);
        assert_eq!(Content::of(b"hello", None), Content::NotJson);
    }

    #[test]
    fn gdelt_rows_and_timemap_json_are_told_by_their_content() {
        let mut row = vec!["410412347", "20140218"];
        row.resize(61, "");
        let row = row.join("\t");
        assert_eq!(of(row.as_bytes(), "events.csv"), Content::Gdelt);
        let short: Vec<&str> = row.split('\t').take(58).collect();
        assert_eq!(of(short.join("\t").as_bytes(), "x"), Content::Gdelt);
        let not_a_date = row.replacen("20140218", "2014-02-18", 1);
        assert_ne!(of(not_a_date.as_bytes(), "x.tsv"), Content::Gdelt);
        let timemap = br#"[{"description": "A", "date": "10/10/2015", "latitude": "31.3"}]"#;
        assert_eq!(of(timemap, "events.json"), Content::TimeMapJson);
        assert_eq!(of(b"[1, 2]", "x.json"), Content::EventAtlasJson);
    }

    #[test]
    fn empty_means_nothing_but_blanks_in_the_whole_file() {
        assert_eq!(of(b"", "x.json"), Content::Empty);
        assert_eq!(of(b"\xEF\xBB\xBF \n", "x.json"), Content::Empty);
        // A head of blanks from a longer file: the rest decides.
        let blanks = vec![b' '; HEAD_BYTES];
        assert_eq!(of(&blanks, "x.json"), Content::EventAtlasJson);
        assert_eq!(of(&blanks, "x.txt"), Content::NotJson);
    }

    #[test]
    fn messages_say_what_it_is_and_what_opens() {
        assert_eq!(
            Content::Png.message(),
            "this is a PNG image; Event Atlas opens Event Atlas JSON, GeoJSON, CSV/TSV tables (ACLED, GDELT), xlsx/ods spreadsheets (TimeMap), KML/KMZ, TimelineJS and StoryMapJS files (see docs/formats.md)"
        );
        assert!(Content::Empty.message().starts_with("the file is empty"));
        assert!(Content::Csv.message().starts_with("this is a CSV table; "));
    }
}
