//! TimelineJS3 JSON (<https://timeline.knightlab.com/docs/json-format.html>): `events` (slides
//! with `start_date`/`end_date` objects of numbers or numeric strings, `text`, `media`, `group`,
//! `unique_id`), an optional `title` slide, `eras` and `scale` (`"cosmological"` for deep time).
//!
//! The fields a date object gives are its precision: a year alone is EDTF `2024`, a year and a
//! month `2024-03`, and so on. An hour without minutes is the interval of that hour. Years beyond
//! four digits are written in EDTF's `Y` form (`Y-170000000`).
//!
//! StoryMapJS (`storymap.rs`), from the same lab, shares the slide parts read here: text, media
//! and numbers that may be strings.

use std::path::Path;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::dates::{Dated, year_text};
use super::import::{Importer, Row, SkipReason, title_from_file};
use super::text::html_to_text;
use super::{LoadError, LoadProgress, Loaded, io_error, read_whole};
use crate::model::{Era, EventDetails, TimeRange, When, calendar::MAX_YEAR};

/// Reads a TimelineJS file from its bytes.
pub(super) fn read_bytes(
    bytes: &[u8],
    file: &str,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    // Nesting past serde's limit: refused with its place, not a puzzling type error.
    super::scan::refuse_too_deep(bytes, file)?;
    let source = SourceText::new(bytes, file)?;
    let timeline: TimelineFile<'_> =
        serde_json::from_str(source.text).map_err(|error| syntax_error(file, &error))?;
    let events = source.list(timeline.events, "events", file)?;
    let cosmological = timeline
        .scale
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|scale| scale.trim().eq_ignore_ascii_case("cosmological"));
    let format = if cosmological {
        "TimelineJS (cosmological scale)"
    } else {
        "TimelineJS"
    };
    let mut importer = Importer::new(file, format, "event");
    importer.reserve(events.len());
    for (index, raw) in events.iter().enumerate() {
        if progress.is_cancelled() {
            return Err(LoadError::Cancelled {
                file: file.to_owned(),
            });
        }
        read_event(&mut importer, index + 1, raw, source.line_of(raw));
        progress.set_fraction(0.3 + 0.6 * (index + 1) as f64 / events.len() as f64);
    }
    let eras = read_eras(&mut importer, &source, timeline.eras, file)?;
    let slide = timeline
        .title
        .as_ref()
        .map(SlideText::of)
        .unwrap_or_default();
    let title = slide.headline.unwrap_or_else(|| title_from_file(file));
    let mut loaded = importer.finish(title, slide.text, Vec::new())?;
    loaded.dataset.eras = eras;
    progress.set_fraction(1.0);
    Ok(loaded)
}

/// Reads a TimelineJS file on disk (they are small: read whole).
pub(super) fn read_path(
    path: &Path,
    file: &str,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let bytes =
        read_whole(path, progress, 0.3).map_err(|error| io_error(file, progress, &error))?;
    read_bytes(&bytes, file, progress)
}

/// The top level of a TimelineJS file; the slides are read one by one, with their lines.
#[derive(serde::Deserialize)]
struct TimelineFile<'a> {
    #[serde(borrow, default)]
    events: Option<&'a RawValue>,
    #[serde(default)]
    title: Option<Value>,
    #[serde(borrow, default)]
    eras: Option<&'a RawValue>,
    #[serde(default)]
    scale: Option<Value>,
}

/// One slide of `events` (number `index`, from 1, at `line`) as an event, or a skipped row.
fn read_event(importer: &mut Importer, index: usize, raw: &RawValue, line: usize) {
    let value: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
    let Some(slide) = value.as_object() else {
        importer.skip(
            Some(line),
            SkipReason::BadValue,
            format!(
                "event {index} is not an object: each event is {{\"start_date\": …, \"text\": …}}"
            ),
        );
        return;
    };
    let text = SlideText::of(&value);
    let named = match &text.headline {
        Some(headline) => format!("event {index} (\"{headline}\")"),
        None => format!("event {index}"),
    };
    let start = match slide.get("start_date").map(DateObject::read) {
        found @ (None | Some(Ok(None))) => {
            let what = if found.is_none() {
                "has no start_date"
            } else {
                "has a start_date without a year"
            };
            let message = format!(
                "{named} {what}: give it one with at least a year, e.g. \"start_date\": {{\"year\": 2024}}"
            );
            importer.skip(Some(line), SkipReason::NoDate, message);
            return;
        }
        Some(Err(message)) => {
            let message = format!("{named}: its start_date {message}");
            importer.skip(Some(line), SkipReason::BadDate, message);
            return;
        }
        Some(Ok(Some(start))) => start,
    };
    let id = slide.get("unique_id").and_then(plain_string);
    let mut warnings = start.notes.clone();
    let when = event_when(&start, slide.get("end_date"), &mut warnings);
    for warning in warnings {
        importer.warn(
            Some(line),
            id.as_deref(),
            None,
            format!("{named}: {warning}"),
        );
    }
    let Some(when) = when else {
        let message = format!("{named}: its start_date cannot be read");
        importer.skip(Some(line), SkipReason::BadDate, message);
        return;
    };
    let title = text.title(slide, index);
    let group = slide.get("group").and_then(plain_string);
    let details = EventDetails {
        summary: text.text.clone(),
        fields: event_fields(slide),
        ..EventDetails::default()
    };
    let row = Row {
        id: id.as_deref(),
        title: &title,
        when: Some(when),
        category: group.as_deref(),
        ..Row::default()
    };
    importer.push(Some(line), row, details);
}

/// The event's date: its start, or the interval to its end; an end that cannot be read, or
/// comes before the start, is dropped with a warning.
fn event_when(
    start: &DateObject,
    end: Option<&Value>,
    warnings: &mut Vec<String>,
) -> Option<Dated> {
    let end = match end.map(DateObject::read) {
        None | Some(Ok(None)) => None,
        Some(Ok(Some(end))) => {
            warnings.extend(end.notes.iter().map(|note| format!("end_date: {note}")));
            Some(end)
        }
        Some(Err(message)) => {
            warnings.push(format!(
                "its end_date {message}; the event is shown at its start_date only"
            ));
            None
        }
    };
    if let Some(end) = end {
        let text = format!("{}/{}", start.first, end.last);
        match When::parse(&text) {
            Ok(when) => return Some((text, when)),
            Err(error) => warnings.push(format!(
                "its end_date is not after its start_date ({error}); the event is shown at its start_date only"
            )),
        }
    }
    let text = start.edtf();
    When::parse(&text).ok().map(|when| (text, when))
}

/// What the details panel lists besides the summary: the date as the source shows it, media.
fn event_fields(slide: &Map<String, Value>) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let shown = slide
        .get("display_date")
        .and_then(plain_string)
        .or_else(|| {
            slide
                .get("start_date")
                .and_then(|date| {
                    date.get("display_date")
                        .or_else(|| date.get("display_text"))
                })
                .and_then(plain_string)
        });
    if let Some(shown) = shown {
        fields.push(("date as shown".to_owned(), html_to_text(&shown)));
    }
    if let Some(media) = slide.get("media") {
        media_fields(media, &mut fields);
    }
    fields
}

/// The `eras`: spans with a label, drawn behind the timeline. One that cannot be read is
/// dropped with a warning.
fn read_eras(
    importer: &mut Importer,
    source: &SourceText<'_>,
    eras: Option<&RawValue>,
    file: &str,
) -> Result<Vec<Era>, LoadError> {
    let mut read = Vec::new();
    for (index, raw) in source.list(eras, "eras", file)?.into_iter().enumerate() {
        let line = source.line_of(raw);
        let value: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
        let label = SlideText::of(&value).headline.unwrap_or_default();
        let date = |key: &str| match value.get(key).map(DateObject::read) {
            Some(Ok(Some(date))) => Ok(date),
            Some(Err(message)) => Err(format!("its {key} {message}")),
            None | Some(Ok(None)) => Err(format!("it has no {key}")),
        };
        let span = date("start_date").and_then(|start| {
            let end = date("end_date")?;
            let text = format!("{}/{}", start.first, end.last);
            let when = When::parse(&text).map_err(|error| error.0)?;
            Ok(TimeRange {
                start: when.known_start().unwrap_or(i64::MIN),
                end: when.known_end().unwrap_or(i64::MAX),
            })
        });
        match span {
            Ok(span) => read.push(Era { label, span }),
            Err(message) => importer.warn(
                Some(line),
                None,
                Some("eras"),
                format!(
                    "era {} (\"{label}\"): {message}; it is not drawn (an era needs a start_date and an end_date after it)",
                    index + 1
                ),
            ),
        }
    }
    Ok(read)
}

/// A TimelineJS date object read as EDTF: as precise as the fields it gives.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct DateObject {
    /// The first instant's EDTF text.
    first: String,
    /// The last one's: the same but for an hour without minutes (`T14:59` for `T14:00`).
    last: String,
    /// Fields that were given but could not be kept, in words.
    notes: Vec<String>,
}

impl DateObject {
    /// The date as EDTF: one date, or the interval of an hour.
    fn edtf(&self) -> String {
        if self.first == self.last {
            self.first.clone()
        } else {
            format!("{}/{}", self.first, self.last)
        }
    }

    /// `Ok(None)` for an object without a year (or `null`); an error says what is wrong.
    fn read(value: &Value) -> Result<Option<Self>, String> {
        if value.is_null() {
            return Ok(None);
        }
        let Some(object) = value.as_object() else {
            return Err("is not an object such as {\"year\": 2024, \"month\": 3}".to_owned());
        };
        let mut parts = Vec::new();
        for name in ["year", "month", "day", "hour", "minute", "second"] {
            let part = match object.get(name) {
                Some(value) if !is_blank(value) => {
                    Some(whole_number(value).ok_or_else(|| {
                        format!("has {name} {value}, which is not a whole number")
                    })?)
                }
                _ => None,
            };
            parts.push((name, part));
        }
        Self::from_parts(&parts)
    }

    /// From `(field, value)` in order year to second: the leading run of given fields is the
    /// precision; fields after a gap are noted and left out.
    fn from_parts(parts: &[(&str, Option<i64>)]) -> Result<Option<Self>, String> {
        let given = parts.iter().take_while(|(_, part)| part.is_some()).count();
        let value = |at: usize| parts.get(at).and_then(|&(_, part)| part);
        let Some(year) = value(0) else {
            return Ok(None);
        };
        if year.abs() > MAX_YEAR {
            return Err(format!(
                "has year {year}, beyond the 50 billion years either way that Event Atlas reads"
            ));
        }
        let mut notes: Vec<String> = parts
            .iter()
            .skip(given)
            .filter(|(_, part)| part.is_some())
            .map(|(name, _)| {
                let missing = parts.get(given).map_or("", |(name, _)| *name);
                format!("{name} given without {missing}: left out")
            })
            .collect();
        let mut given = given;
        if year.abs() > 9999 && given > 1 {
            notes.push("EDTF writes years beyond four digits without months or days: only the year is kept".to_owned());
            given = 1;
        }
        let two = |at: usize| value(at).map(|n| format!("{n:02}")).unwrap_or_default();
        let mut first = year_text(year);
        for (at, separator) in [(1, "-"), (2, "-")]
            .into_iter()
            .take(given.saturating_sub(1))
        {
            first.push_str(separator);
            first.push_str(&two(at));
        }
        let mut last = first.clone();
        if given >= 4 {
            let hour = two(3);
            if given == 4 {
                // An hour alone is the whole hour.
                first = format!("{first}T{hour}:00");
                last = format!("{last}T{hour}:59");
            } else {
                let mut clock = format!("T{hour}:{}", two(4));
                if given >= 6 {
                    clock.push_str(&format!(":{}", two(5)));
                }
                first.push_str(&clock);
                last.push_str(&clock);
            }
        }
        When::parse(&first).map_err(|error| format!("is not a date: {error}"))?;
        Ok(Some(Self { first, last, notes }))
    }
}

/// A whole number given as a JSON number or a numeric string (`2024`, `"2024"`, `" 3 "`,
/// `"-13798000000"`, `2024.0`).
fn whole_number(value: &Value) -> Option<i64> {
    if let Some(number) = value.as_i64() {
        return Some(number);
    }
    let number = match value {
        Value::String(text) => text.trim().parse::<f64>().ok()?,
        other => other.as_f64()?,
    };
    (number.is_finite() && number.fract() == 0.0 && number.abs() < 1e15).then_some(number as i64)
}

/// Empty: `null`, `""` or blanks (TimelineJS writes every field, filled or not).
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

/// A number given as a JSON number or a numeric string (`55.75`, `"55.75"`).
pub(super) fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A string or a number as text, trimmed; `None` when empty.
pub(super) fn plain_string(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => text.trim().to_owned(),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A string field that may hold HTML, as plain text; `None` when empty.
fn html_string(value: Option<&Value>) -> Option<String> {
    let text = html_to_text(value?.as_str()?);
    (!text.is_empty()).then_some(text)
}

/// A slide's `text` object: its headline and text, as plain text.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct SlideText {
    pub headline: Option<String>,
    pub text: Option<String>,
}

impl SlideText {
    /// Of a slide (or a title slide, or an era).
    pub(super) fn of(slide: &Value) -> Self {
        let text = slide.get("text");
        Self {
            headline: html_string(text.and_then(|t| t.get("headline"))),
            text: html_string(text.and_then(|t| t.get("text"))),
        }
    }

    /// The event's title: the headline, else the start of the text or the media's caption,
    /// else "Event 3".
    fn title(&self, slide: &Map<String, Value>, index: usize) -> String {
        self.headline
            .clone()
            .or_else(|| self.text.as_deref().map(first_words))
            .or_else(|| html_string(slide.get("media").and_then(|m| m.get("caption"))))
            .unwrap_or_else(|| format!("Event {index}"))
    }
}

/// The first line of a text, cut at about 80 characters on a word boundary.
pub(super) fn first_words(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() <= 80 {
        return line.to_owned();
    }
    let cut: String = line.chars().take(80).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// A slide's `media` (`url`, `caption`, `credit`, `thumbnail`…) as fields: listed, never
/// fetched.
pub(super) fn media_fields(media: &Value, fields: &mut Vec<(String, String)>) {
    for (key, name) in [
        ("url", "media"),
        ("caption", "media caption"),
        ("credit", "media credit"),
        ("thumbnail", "media thumbnail"),
        ("alt", "media description"),
        ("title", "media title"),
        ("link", "media link"),
    ] {
        if let Some(value) = html_string(media.get(key)) {
            fields.push((name.to_owned(), value));
        }
    }
}

/// The text of a JSON file, with where its lines start (for the line of each slide).
pub(super) struct SourceText<'a> {
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceText<'a> {
    /// The bytes as UTF-8 text after a byte-order mark.
    pub(super) fn new(bytes: &'a [u8], file: &str) -> Result<Self, LoadError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|error| {
            let line = bytes
                .get(..error.valid_up_to())
                .map_or(1, |valid| valid.iter().filter(|&&b| b == b'\n').count() + 1);
            LoadError::whole_file(
                file,
                Some(line),
                "the file is not UTF-8 text: save it as UTF-8".to_owned(),
            )
        })?;
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Ok(Self { text, line_starts })
    }

    /// The 1-based line where a value of this text starts.
    pub(super) fn line_of(&self, raw: &RawValue) -> usize {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        self.line_starts
            .partition_point(|&start| start <= offset)
            .max(1)
    }

    /// The items of a list field (`events`, `slides`…); absent is empty, anything else than a
    /// list is an error at its line.
    pub(super) fn list(
        &self,
        raw: Option<&'a RawValue>,
        name: &str,
        file: &str,
    ) -> Result<Vec<&'a RawValue>, LoadError> {
        let Some(raw) = raw else {
            return Ok(Vec::new());
        };
        if raw.get() == "null" {
            return Ok(Vec::new());
        }
        serde_json::from_str(raw.get()).map_err(|_| {
            LoadError::whole_file(
                file,
                Some(self.line_of(raw)),
                format!("\"{name}\" must be a list ([…])"),
            )
        })
    }
}

/// The error for JSON that does not parse, at its line and column.
pub(super) fn syntax_error(file: &str, error: &serde_json::Error) -> LoadError {
    let message = if error.classify() == serde_json::error::Category::Eof {
        "the file ends too early (is it complete? it may still be being written)".to_owned()
    } else {
        // serde_json appends " at line L column C": the position goes in front instead.
        let message = error.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(head, _)| head)
            .to_owned();
        format!("invalid JSON: {message}")
    };
    let mut invalid = LoadError::whole_file(file, Some(error.line()), message);
    if let LoadError::Invalid { diagnostics, .. } = &mut invalid {
        for diagnostic in diagnostics {
            diagnostic.column = Some(error.column());
        }
    }
    invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Option<DateObject>, String> {
        DateObject::read(&serde_json::from_str(json).unwrap())
    }

    fn edtf(json: &str) -> String {
        match read(json) {
            Ok(Some(date)) => date.edtf(),
            Ok(None) => "none".to_owned(),
            Err(error) => format!("error: {error}"),
        }
    }

    #[test]
    fn date_objects_are_as_precise_as_their_fields() {
        assert_eq!(edtf(r#"{"year": 2024}"#), "2024");
        assert_eq!(edtf(r#"{"year": "2024", "month": " 3 "}"#), "2024-03");
        assert_eq!(
            edtf(r#"{"year": "2024", "month": "3", "day": "22"}"#),
            "2024-03-22"
        );
        assert_eq!(
            edtf(r#"{"year": 2024, "month": 3, "day": 22, "hour": 14}"#),
            "2024-03-22T14:00/2024-03-22T14:59"
        );
        assert_eq!(
            edtf(r#"{"year": 2024, "month": 3, "day": 22, "hour": 14, "minute": 5}"#),
            "2024-03-22T14:05"
        );
        assert_eq!(
            edtf(
                r#"{"year": 2024, "month": 3, "day": 22, "hour": 14, "minute": 5, "second": 9, "millisecond": 120}"#
            ),
            "2024-03-22T14:05:09"
        );
        assert_eq!(edtf(r#"{"year": -43}"#), "-0043");
        assert_eq!(edtf(r#"{"year": "-13798000000"}"#), "Y-13798000000");
        assert_eq!(edtf(r#"{"year": 2024.0}"#), "2024");
        assert_eq!(edtf(r#"{"year": "", "month": ""}"#), "none");
        assert_eq!(edtf("null"), "none");
        assert_eq!(edtf("{}"), "none");
    }

    #[test]
    fn fields_after_a_gap_are_noted_and_bad_values_explained() {
        let date = read(r#"{"year": 1700, "day": 3, "minute": 2}"#)
            .unwrap()
            .unwrap();
        assert_eq!(date.edtf(), "1700");
        assert_eq!(
            date.notes,
            [
                "day given without month: left out",
                "minute given without month: left out"
            ]
        );
        let deep = read(r#"{"year": -170000000, "month": 6}"#)
            .unwrap()
            .unwrap();
        assert_eq!(deep.edtf(), "Y-170000000");
        assert_eq!(deep.notes.len(), 1);
        for (json, expected) in [
            (
                r#"{"year": "soon"}"#,
                "has year \"soon\", which is not a whole number",
            ),
            (r#"{"year": 2024.5}"#, "not a whole number"),
            (r#"{"year": 2024, "month": 13}"#, "month 13 does not exist"),
            (
                r#"{"year": 2023, "month": 2, "day": 29}"#,
                "day 29 does not exist",
            ),
            (
                r#"{"year": 2024, "month": 1, "day": 1, "hour": 24}"#,
                "does not exist",
            ),
            (r#"{"year": 90000000000}"#, "beyond the 50 billion years"),
            ("2024", "is not an object"),
        ] {
            let error = read(json).unwrap_err();
            assert!(error.contains(expected), "{json}: {error}");
        }
    }

    #[test]
    fn numbers_and_strings_as_the_formats_write_them() {
        assert_eq!(whole_number(&serde_json::json!(" 12 ")), Some(12));
        assert_eq!(whole_number(&serde_json::json!(-3)), Some(-3));
        assert_eq!(whole_number(&serde_json::json!("1e3")), Some(1000));
        assert_eq!(whole_number(&serde_json::json!("3.5")), None);
        assert_eq!(whole_number(&serde_json::json!(true)), None);
        assert_eq!(number(&serde_json::json!(" 55.75 ")), Some(55.75));
        assert_eq!(number(&serde_json::json!(null)), None);
        assert_eq!(plain_string(&serde_json::json!("  ")), None);
        assert_eq!(plain_string(&serde_json::json!(42)), Some("42".to_owned()));
        let long = "word ".repeat(30);
        let cut = first_words(&long);
        assert!(cut.ends_with('…') && cut.chars().count() <= 81, "{cut}");
        assert_eq!(first_words("First line\nsecond"), "First line");
    }

    #[test]
    fn slides_are_found_at_their_lines() {
        let text = "{\"events\": [\n  {\"a\": 1},\n\n  {\"b\": 2}\n]}";
        let source = SourceText::new(text.as_bytes(), "t.json").unwrap();
        let file: TimelineFile<'_> = serde_json::from_str(source.text).unwrap();
        let events = source.list(file.events, "events", "t.json").unwrap();
        let lines: Vec<usize> = events.iter().map(|raw| source.line_of(raw)).collect();
        assert_eq!(lines, [2, 4]);
        let not_utf8 = SourceText::new(b"{\n\"events\": \"\xFF\"}", "t.json");
        assert_eq!(
            not_utf8.err().unwrap().lines(),
            ["t.json:2: the file is not UTF-8 text: save it as UTF-8"]
        );
    }

    #[test]
    fn a_timeline_reads_whole() {
        let json = r#"{
            "title": {"text": {"headline": "<b>T</b>", "text": "About"}},
            "events": [
                {"start_date": {"year": 2024}, "end_date": {"year": 2025}, "text": {"headline": "A"}, "group": " G "},
                {"start_date": {"year": 2024, "month": 5}, "media": {"caption": "<i>Only a caption</i>"}}
            ]
        }"#;
        let loaded = read_bytes(json.as_bytes(), "t.json", &LoadProgress::default()).unwrap();
        let dataset = &loaded.dataset;
        assert_eq!(dataset.title, "T");
        assert_eq!(dataset.description.as_deref(), Some("About"));
        let whens: Vec<&str> = dataset.events.iter().map(|e| e.when_text()).collect();
        assert_eq!(whens, ["2024/2025", "2024-05"]);
        let titles: Vec<&str> = dataset.events.iter().map(|e| e.title()).collect();
        assert_eq!(titles, ["A", "Only a caption"]);
        assert_eq!(dataset.categories[0].id, "G");
        assert!(dataset.eras.is_empty() && dataset.story.is_empty());
    }
}
