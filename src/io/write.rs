//! Writing the Event Atlas JSON format (`docs/format.md`, `assets/event-atlas.schema.json`).
//!
//! One event a line, categories and places before the events (so the file streams when it is
//! read back). Strings go through serde_json; numbers are written in their shortest form that
//! reads back as the same `f64`. [`DatasetWriter`] writes event by event, without a
//! [`Dataset`] (the generator writes a million this way); [`write_dataset`] writes a whole one.

use std::io::{self, Write};

use super::rules;
use crate::model::{
    Category, Dataset, EventDetails, Location, LonLat, Place, RegionCode, Source, Story,
};

/// The top-level fields, written before the events.
#[derive(Clone, Copy, Debug)]
pub struct Header<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub sources: &'a [Source],
    pub categories: &'a [Category],
    pub places: &'a [Place],
    /// The guided steps (`None` or an empty story: no `story` field).
    pub story: Option<&'a Story>,
}

/// An event's `where`, as written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Where<'a> {
    /// No place is known: no `where`.
    Unknown,
    /// A named place from `places`, by its id.
    Place(&'a str),
    /// A point, with the region it lies in and its name, if known.
    Point {
        at: LonLat,
        region: Option<RegionCode>,
        name: Option<&'a str>,
    },
    /// Somewhere in a region.
    Region {
        code: RegionCode,
        name: Option<&'a str>,
    },
}

/// A link to another event, by its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkEntry<'a> {
    pub to: &'a str,
    pub kind: &'a str,
}

/// One event as written: a plain record, borrowed from wherever the event comes from.
#[derive(Clone, Copy, Debug)]
pub struct EventEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The date exactly as it is to be written (EDTF); empty for an event whose source gives
    /// no date (written as `null`).
    pub when: &'a str,
    pub place: Where<'a>,
    /// The id of the event's category.
    pub category: Option<&'a str>,
    pub actors: &'a [String],
    pub summary: Option<&'a str>,
    pub sources: &'a [Source],
    pub date_note: Option<&'a str>,
    pub links: &'a [LinkEntry<'a>],
    /// Every other field the event's source gave (imported columns, properties), in order.
    pub fields: &'a [(String, String)],
}

impl<'a> EventEntry<'a> {
    /// The entry of a loaded event, with its details, its category's id and its links.
    pub(crate) fn of(
        event: &'a crate::model::Event,
        details: &'a EventDetails,
        category: Option<&'a str>,
        links: &'a [LinkEntry<'a>],
    ) -> Self {
        Self {
            id: event.id(),
            title: event.title(),
            when: event.when_text(),
            place: where_of(&event.location, details),
            category,
            actors: &details.actors,
            summary: details.summary.as_deref(),
            sources: &details.sources,
            date_note: details.date_note.as_deref(),
            links,
            fields: &details.fields,
        }
    }
}

/// Writes a dataset event by event: [`DatasetWriter::begin`], [`DatasetWriter::event`] for
/// each, [`DatasetWriter::finish`].
#[derive(Debug)]
pub struct DatasetWriter<W: Write> {
    out: W,
    events: usize,
}

impl<W: Write> DatasetWriter<W> {
    /// Writes everything up to the first event.
    pub fn begin(mut out: W, header: &Header<'_>) -> io::Result<Self> {
        write_header(&mut out, header)?;
        Ok(Self { out, events: 0 })
    }

    /// Writes one event, on its own line.
    pub fn event(&mut self, event: &EventEntry<'_>) -> io::Result<()> {
        write_event(&mut self.out, self.events, event)?;
        self.events += 1;
        Ok(())
    }

    /// Closes the events and the dataset; gives back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        write_footer(&mut self.out, self.events)?;
        Ok(self.out)
    }
}

/// Writes everything up to the first event.
pub(crate) fn write_header(mut out: impl Write, header: &Header<'_>) -> io::Result<()> {
    {
        out.write_all(b"{\n  \"format\": ")?;
        string(&mut out, rules::FORMAT)?;
        out.write_all(b",\n  \"title\": ")?;
        string(&mut out, header.title)?;
        if let Some(description) = header.description {
            out.write_all(b",\n  \"description\": ")?;
            string(&mut out, description)?;
        }
        list(&mut out, "sources", header.sources, source)?;
        list(&mut out, "categories", header.categories, category)?;
        list(&mut out, "places", header.places, place)?;
        if let Some(story) = header
            .story
            .filter(|story| !story.is_empty() || story.title.is_some())
        {
            out.write_all(b",\n  \"story\": ")?;
            super::story::write_story(&mut out, story)?;
        }
        out.write_all(b",\n  \"events\": [")
    }
}

/// Writes one event on its own line; `position` counts the events written before it.
pub(crate) fn write_event(
    mut out: impl Write,
    position: usize,
    event: &EventEntry<'_>,
) -> io::Result<()> {
    {
        let out = &mut out;
        out.write_all(if position == 0 { b"\n    " } else { b",\n    " })?;
        let mut fields = Object::open(out)?;
        fields.string("id", event.id)?;
        fields.string("title", event.title)?;
        // An event whose source gives no date has an empty `when` text: written as null.
        if event.when.is_empty() {
            fields.key("when")?.write_all(b"null")?;
        } else {
            fields.string("when", event.when)?;
        }
        match event.place {
            Where::Unknown => {}
            Where::Place(id) => fields.string("where", id)?,
            Where::Point { at, region, name } => {
                let mut point = Object::open(fields.key("where")?)?;
                point.number("lat", at.lat)?;
                point.number("lon", at.lon)?;
                point.optional("name", name)?;
                point.optional("region", region.as_ref().map(RegionCode::as_str))?;
                point.close()?;
            }
            Where::Region { code, name } => {
                let mut region = Object::open(fields.key("where")?)?;
                region.string("region", code.as_str())?;
                region.optional("name", name)?;
                region.close()?;
            }
        }
        fields.optional("category", event.category)?;
        if !event.actors.is_empty() {
            let out = fields.key("actors")?;
            items(out, event.actors, |out, actor| string(out, actor))?;
        }
        fields.optional("summary", event.summary)?;
        if !event.sources.is_empty() {
            items(fields.key("sources")?, event.sources, source)?;
        }
        fields.optional("date_note", event.date_note)?;
        if !event.links.is_empty() {
            items(fields.key("links")?, event.links, link)?;
        }
        if !event.fields.is_empty() {
            text_fields(fields.key("fields")?, event.fields)?;
        }
        fields.close()
    }
}

/// Closes the events (`count` were written) and the dataset.
pub(crate) fn write_footer(mut out: impl Write, count: usize) -> io::Result<()> {
    out.write_all(if count == 0 { b"]\n}\n" } else { b"\n  ]\n}\n" })
}

/// Writes `fields` as one object of texts, in order.
fn text_fields(out: &mut impl Write, fields: &[(String, String)]) -> io::Result<()> {
    out.write_all(b"{")?;
    for (index, (name, value)) in fields.iter().enumerate() {
        if index > 0 {
            out.write_all(b", ")?;
        }
        string(out, name)?;
        out.write_all(b": ")?;
        string(out, value)?;
    }
    out.write_all(b"}")
}

/// Writes a whole dataset, its events in their order, with their details (read through
/// [`Dataset::details`]: this fails if they can no longer be read).
pub fn write_dataset(out: impl Write, dataset: &Dataset) -> io::Result<()> {
    let header = Header {
        title: &dataset.title,
        description: dataset.description.as_deref(),
        sources: &dataset.sources,
        categories: &dataset.categories,
        places: &dataset.places,
        story: Some(&dataset.story),
    };
    let mut writer = DatasetWriter::begin(out, &header)?;
    let mut links = Vec::new();
    for (index, event) in dataset.events.iter().enumerate() {
        let problem = |message: String| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("event \"{}\": {message}", event.id()),
            )
        };
        let details = dataset.details(index).map_err(problem)?;
        links.clear();
        for (to, kind) in dataset.links_from(index) {
            let target = dataset.events.get(to);
            let target = target.ok_or_else(|| problem(format!("a link to event {to}")))?;
            links.push(LinkEntry {
                to: target.id(),
                kind,
            });
        }
        let category = match event.category {
            Some(position) => Some(
                dataset
                    .categories
                    .get(position)
                    .ok_or_else(|| problem(format!("no category {position}")))?
                    .id
                    .as_str(),
            ),
            None => None,
        };
        writer.event(&EventEntry::of(event, &details, category, &links))?;
    }
    writer.finish()?.flush()
}

/// How an event's place is written: by the named place's id when it used one.
pub(crate) fn where_of<'a>(location: &Location, details: &'a EventDetails) -> Where<'a> {
    if let Some(id) = &details.place_id {
        return Where::Place(id);
    }
    let name = details.place_name.as_deref();
    match *location {
        Location::Unknown => Where::Unknown,
        Location::Point { at, region } => Where::Point { at, region, name },
        Location::Region(code) => Where::Region { code, name },
    }
}

/// Writes `text` as a JSON string.
fn string(out: &mut impl Write, text: &str) -> io::Result<()> {
    serde_json::to_writer(out, text).map_err(io::Error::from)
}

/// Writes a number so that it reads back as the same `f64` (JSON has no NaN or infinity).
fn number(out: &mut impl Write, value: f64) -> io::Result<()> {
    if !value.is_finite() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{value} cannot be written as a JSON number"),
        ));
    }
    serde_json::to_writer(out, &value).map_err(io::Error::from)
}

/// Writes a top-level list, one item a line; nothing if it is empty.
fn list<W: Write, T>(
    out: &mut W,
    name: &str,
    values: &[T],
    item: impl Fn(&mut W, &T) -> io::Result<()>,
) -> io::Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    write!(out, ",\n  \"{name}\": [")?;
    for (index, value) in values.iter().enumerate() {
        out.write_all(if index == 0 { b"\n    " } else { b",\n    " })?;
        item(out, value)?;
    }
    out.write_all(b"\n  ]")
}

/// Writes a list on one line.
fn items<W: Write, T>(
    out: &mut W,
    values: &[T],
    item: impl Fn(&mut W, &T) -> io::Result<()>,
) -> io::Result<()> {
    out.write_all(b"[")?;
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            out.write_all(b", ")?;
        }
        item(out, value)?;
    }
    out.write_all(b"]")
}

fn source<W: Write>(out: &mut W, source: &Source) -> io::Result<()> {
    let mut fields = Object::open(out)?;
    fields.string("title", &source.title)?;
    fields.optional("url", source.url.as_deref())?;
    fields.optional("publisher", source.publisher.as_deref())?;
    fields.optional("date", source.date.as_deref())?;
    fields.optional("quote", source.quote.as_deref())?;
    fields.optional("note", source.note.as_deref())?;
    fields.close()
}

fn category<W: Write>(out: &mut W, category: &Category) -> io::Result<()> {
    let mut fields = Object::open(out)?;
    fields.string("id", &category.id)?;
    fields.string("label", &category.label)?;
    fields.string("color", &rules::color_text(category.color))?;
    fields.close()
}

fn place<W: Write>(out: &mut W, place: &Place) -> io::Result<()> {
    let mut fields = Object::open(out)?;
    fields.string("id", &place.id)?;
    fields.string("name", &place.name)?;
    fields.number("lat", place.at.lat)?;
    fields.number("lon", place.at.lon)?;
    fields.optional("region", place.region.as_ref().map(RegionCode::as_str))?;
    fields.optional("note", place.note.as_deref())?;
    fields.close()
}

fn link<W: Write>(out: &mut W, link: &LinkEntry<'_>) -> io::Result<()> {
    let mut fields = Object::open(out)?;
    fields.string("to", link.to)?;
    fields.string("kind", link.kind)?;
    fields.close()
}

/// A JSON object being written on one line: `{"key": value, …}`.
struct Object<'w, W: Write> {
    out: &'w mut W,
    empty: bool,
}

impl<'w, W: Write> Object<'w, W> {
    fn open(out: &'w mut W) -> io::Result<Self> {
        out.write_all(b"{")?;
        Ok(Self { out, empty: true })
    }

    /// Writes the key (one of the format's field names, which need no escaping); the value
    /// is written next to what this returns.
    fn key(&mut self, name: &str) -> io::Result<&mut W> {
        debug_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        if !self.empty {
            self.out.write_all(b", ")?;
        }
        self.empty = false;
        self.out.write_all(b"\"")?;
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(b"\": ")?;
        Ok(self.out)
    }

    fn string(&mut self, name: &str, text: &str) -> io::Result<()> {
        string(self.key(name)?, text)
    }

    /// Writes the field if there is a value.
    fn optional(&mut self, name: &str, text: Option<&str>) -> io::Result<()> {
        match text {
            Some(text) => self.string(name, text),
            None => Ok(()),
        }
    }

    fn number(&mut self, name: &str, value: f64) -> io::Result<()> {
        number(self.key(name)?, value)
    }

    fn close(self) -> io::Result<()> {
        self.out.write_all(b"}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{LoadProgress, parse_dataset};

    /// Writes `dataset` and reads it back.
    fn written_and_read(dataset: &Dataset) -> (Vec<u8>, crate::io::Loaded) {
        let mut bytes = Vec::new();
        write_dataset(&mut bytes, dataset).unwrap();
        let loaded = parse_dataset(&bytes, "written.json").unwrap_or_else(|error| {
            panic!(
                "{}\n{}",
                error.lines().join("\n"),
                String::from_utf8_lossy(&bytes)
            )
        });
        (bytes, loaded)
    }

    /// Writes `dataset`, reads it back (it must load without a remark) and returns it.
    fn round_trip(dataset: &Dataset) -> (Vec<u8>, Dataset) {
        let (bytes, loaded) = written_and_read(dataset);
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        (bytes, loaded.dataset)
    }

    #[test]
    fn the_built_in_story_and_the_sample_files_read_back_equal() {
        let crocus = crate::builtin::crocus_dataset().unwrap().dataset;
        let (bytes, again) = round_trip(&crocus);
        assert!(again == crocus, "the built-in story");
        // Named places are written by id, and the layout is one event a line.
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\"where\": \"crocus-city-hall\""), "{text}");
        let (_, events) = text.split_once("\"events\": [\n").unwrap();
        assert_eq!(events.lines().count(), 14 + 2, "{events}");
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        let mut loaded = 0;
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if let Ok(sample) = crate::io::load_path(&path) {
                let (_, again) = written_and_read(&sample.dataset);
                assert!(again.dataset == sample.dataset, "{path:?}");
                // What the file kept (an insecure address…) is remarked on again.
                let messages = |loaded: &crate::io::Loaded| -> Vec<String> {
                    let kept = loaded.warnings.iter();
                    kept.map(|w| w.message.clone())
                        .filter(|m| !m.starts_with("unknown field"))
                        .collect()
                };
                assert_eq!(messages(&again), messages(&sample), "{path:?}");
                loaded += 1;
            }
        }
        assert!(loaded >= 3, "{loaded} sample files loaded");
    }

    #[test]
    fn every_field_and_awkward_text_and_numbers_read_back_equal() {
        let text = r##"{"title": "Quotes \" and \\ and\nnew lines, tabs\t, \u0001 and ёжик 🦔",
          "description": "</script>", "sources": [{"title": "S", "url": "https://a.b/?q=\"x\"",
            "publisher": "P", "date": "2024-03", "quote": "Q", "note": "N"}],
          "categories": [{"id": "a", "label": "A", "color": "#abc"}, {"id": "b"}],
          "places": [{"id": "p", "name": "Place", "lat": -0.0, "lon": 179.99999999999997,
            "region": "RU-MOW", "note": "from OSM"}],
          "events": [
            {"id": "e1", "title": "One", "when": "2024-03-22T20:00+03:00", "where": "p",
             "category": "b", "actors": ["X", "Y \"Z\""], "summary": "S", "date_note": "D",
             "sources": [{"title": "T"}], "links": [{"to": "e2"}, {"to": "e3", "kind": "part of"}]},
            {"id": "e2", "title": "Two", "when": "../2024-03-07",
             "where": {"lat": 0.30000000000000004, "lon": 1e-7, "name": "N", "region": "UA-43"}},
            {"id": "e3", "title": "Three", "when": "2023-11/..", "where": {"region": "RU-KLU", "name": "Kaluga"}},
            {"id": "e4", "title": "Four", "when": "2024~", "where": {"region": "RU-IN"}}
          ]}"##;
        let original = parse_dataset(text.as_bytes(), "all.json").unwrap().dataset;
        let (bytes, again) = round_trip(&original);
        assert!(again == original, "every field");
        let written = String::from_utf8(bytes).unwrap();
        assert!(written.contains("\"color\": \"#AABBCC\""), "{written}");
        assert!(written.contains("\"lon\": 1e-7"), "{written}");
        assert!(written.contains("\"kind\": \"related\""), "{written}");
        // Undeclared categories are written with the colours they were given.
        let undeclared = r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "category": "x"}]}"#;
        let original = parse_dataset(undeclared.as_bytes(), "u.json")
            .unwrap()
            .dataset;
        assert!(round_trip(&original).1 == original, "undeclared categories");
    }

    #[test]
    fn a_generated_dataset_reads_back_equal_from_memory_and_from_a_streamed_file() {
        let mut generated = Vec::new();
        crate::generate::write_dataset(&mut generated, 2000, 11).unwrap();
        let original = parse_dataset(&generated, "generated.json").unwrap().dataset;
        let (bytes, again) = round_trip(&original);
        assert!(again == original, "read back from memory");
        // Streamed from a file (a tiny threshold instead of 32 MB), details read from the file.
        let path = std::env::temp_dir().join(format!(
            "event-atlas-write-{}-{:?}.json",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, &bytes).unwrap();
        // The file is removed whatever the outcome.
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let progress = LoadProgress::default();
            let streamed = super::super::atlas::read_path(&path, "written.json", &progress, 0);
            let streamed = streamed.unwrap().dataset;
            assert!(format!("{:?}", streamed.details).contains("FileDetails"));
            assert!(streamed == original, "streamed from the file");
            let mut rewritten = Vec::new();
            write_dataset(&mut rewritten, &streamed).unwrap();
            assert!(
                rewritten == bytes,
                "written the same from memory or from a file"
            );
        }));
        std::fs::remove_file(&path).unwrap();
        if let Err(panic) = checked {
            std::panic::resume_unwind(panic);
        }
    }

    #[test]
    fn numbers_that_json_cannot_hold_are_refused() {
        let header = Header {
            title: "T",
            description: None,
            sources: &[],
            categories: &[],
            places: &[],
            story: None,
        };
        let mut writer = DatasetWriter::begin(Vec::new(), &header).unwrap();
        let event = EventEntry {
            id: "a",
            title: "A",
            when: "2024",
            place: Where::Point {
                at: LonLat::new(f64::NAN, 0.0),
                region: None,
                name: None,
            },
            category: None,
            actors: &[],
            summary: None,
            sources: &[],
            date_note: None,
            links: &[],
            fields: &[],
        };
        let error = writer.event(&event).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        // Without events, the list is empty and the file still loads.
        let empty = DatasetWriter::begin(Vec::new(), &header)
            .unwrap()
            .finish()
            .unwrap();
        let loaded = parse_dataset(&empty, "empty.json").unwrap();
        assert!(loaded.dataset.events.is_empty());
    }

    #[test]
    fn imported_fields_are_written_in_order_and_read_back_by_both_readers() {
        let text = r#"{"title": "T", "events": [
            {"id": "a", "title": "A", "when": "2024-03-22",
             "fields": {"zeta": "1", "alpha": "two \"quoted\"", "fatalities": "0"}}]}"#;
        let original = parse_dataset(text.as_bytes(), "f.json").unwrap();
        assert!(original.warnings.is_empty(), "{:?}", original.warnings);
        let fields = original.dataset.details(0).unwrap().fields;
        let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha", "fatalities"]);
        assert_eq!(fields[1].1, "two \"quoted\"");
        let (bytes, again) = round_trip(&original.dataset);
        assert!(again == original.dataset);
        let written = String::from_utf8(bytes).unwrap();
        assert!(
            written.contains(
                r#""fields": {"zeta": "1", "alpha": "two \"quoted\"", "fatalities": "0"}"#
            ),
            "{written}"
        );
    }

    #[test]
    fn fields_that_are_not_texts_are_an_error_that_says_which() {
        let text = r#"{"title": "T", "events": [
            {"id": "a", "title": "A", "when": "2024", "fields": {"n": "1", "count": 3}}]}"#;
        let error = parse_dataset(text.as_bytes(), "f.json").unwrap_err();
        let message = error.lines().join("\n");
        assert!(
            message.contains("event \"a\"") && message.contains("a number for \"count\""),
            "{message}"
        );
    }

    #[test]
    fn an_event_without_a_date_is_written_with_a_null_when_and_read_back_undated() {
        let text = r#"{"title": "T", "events": [
            {"id": "a", "title": "A", "when": "2024-03-22"},
            {"id": "u", "title": "Somewhere, some time", "when": null, "where": {"lat": 55.7, "lon": 37.6}}]}"#;
        let original = parse_dataset(text.as_bytes(), "u.json").unwrap();
        assert!(original.warnings.is_empty(), "{:?}", original.warnings);
        let dataset = &original.dataset;
        let undated = dataset.find("u").unwrap();
        assert!(dataset.events[undated].is_undated());
        assert_eq!(dataset.undated_count(), 1);
        let (bytes, again) = round_trip(dataset);
        assert!(again == *dataset);
        let written = String::from_utf8(bytes).unwrap();
        assert!(
            written.contains(r#""id": "u", "title": "Somewhere, some time", "when": null"#),
            "{written}"
        );
        // A missing `when` is still an error: only an explicit null means "no date".
        let missing = r#"{"title": "T", "events": [{"id": "m", "title": "M"}]}"#;
        let error = parse_dataset(missing.as_bytes(), "m.json").unwrap_err();
        assert!(
            error
                .lines()
                .join("\n")
                .contains("\"when\": this required field is missing")
                || error.lines().join("\n").contains("when"),
            "{:?}",
            error.lines()
        );
    }
}
