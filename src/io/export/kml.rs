//! KML 2.2 export for Google Earth (`docs/formats.md`, "Exporting to KML"): a `Document` with
//! the dataset's name and description, one `Style` per category (its colour on icons, lines
//! and areas), and one `Placemark` per event in time order: `name`, `description` (the summary
//! as plain text), `TimeStamp` (a single date at its precision) or `TimeSpan` (an interval; an
//! open end is left out), `styleUrl`, `ExtendedData` and the point or outline.
//!
//! `ExtendedData` holds what KML has no element for, so that Event Atlas reads it back
//! exactly: `when` (EDTF as written: qualifiers, open ends), `category`, `region`, `place`,
//! `actor_N`, `date_note`, `source_N_title`/`_url`/…, `link_N_to`/`_kind`, then every imported
//! field (a name Event Atlas uses itself gets the prefix `field_`). The Document's own
//! `ExtendedData` says Event Atlas wrote the file and lists the categories and the dataset's
//! sources.
//!
//! Everything is XML-escaped; characters XML 1.0 cannot hold (control characters) are left
//! out and counted in [`EventWriter::not_kept`]. Blank space at either end of a text is
//! written as character references, which readers do not trim.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{EventWriter, ExportEvent};
use crate::io::kml::profile::{self, GENERATOR};
use crate::io::rules;
use crate::model::{Bound, Category, Dataset, DatePoint, LonLat, ShapePart, Source, When};

pub(super) struct KmlWriter<'a> {
    dataset: &'a Dataset,
    /// Each category's `styleUrl` element, written once here.
    style_urls: Vec<Vec<u8>>,
    /// Events with characters XML 1.0 cannot hold (left out), counted as they are written.
    stripped: AtomicUsize,
}

impl<'a> KmlWriter<'a> {
    pub(super) fn new(dataset: &'a Dataset) -> Self {
        let style_urls = (0..dataset.categories.len())
            .map(|position| {
                let mut out = b"<styleUrl>#".to_vec();
                out.extend_from_slice(style_id(dataset, position).as_bytes());
                out.extend_from_slice(b"</styleUrl>\n");
                out
            })
            .collect();
        Self {
            dataset,
            style_urls,
            stripped: AtomicUsize::new(0),
        }
    }
}

/// The id of a category's Style: `category-` and its id when that is a plain name, else its
/// position (`category--3`; a plain name never starts with `-`).
fn style_id(dataset: &Dataset, position: usize) -> String {
    let id = dataset
        .categories
        .get(position)
        .map_or("", |category| category.id.as_str());
    let plain = id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if plain {
        format!("category-{id}")
    } else {
        format!("category--{}", position + 1)
    }
}

/// A colour as KML writes it: `aabbggrr`.
fn kml_color(alpha: u8, [r, g, b]: [u8; 3]) -> String {
    format!("{alpha:02x}{b:02x}{g:02x}{r:02x}")
}

impl EventWriter for KmlWriter<'_> {
    fn begin(&self, out: &mut Vec<u8>) -> io::Result<()> {
        let dataset = self.dataset;
        let mut text = Text::new(out);
        text.raw(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        text.raw(b"<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
        text.element("name", &dataset.title);
        if let Some(description) = &dataset.description {
            text.element("description", description);
        }
        for (position, category) in dataset.categories.iter().enumerate() {
            style(&mut text, &style_id(dataset, position), category);
        }
        text.raw(b"<ExtendedData>\n");
        text.data("generator", GENERATOR);
        for (index, category) in dataset.categories.iter().enumerate() {
            let number = index + 1;
            text.data(&format!("category_{number}_id"), &category.id);
            text.data(&format!("category_{number}_label"), &category.label);
            text.data(
                &format!("category_{number}_color"),
                &rules::color_text(category.color),
            );
        }
        sources(&mut text, &dataset.sources);
        text.raw(b"</ExtendedData>\n");
        Ok(())
    }

    fn event(
        &self,
        out: &mut Vec<u8>,
        _position: usize,
        export: &ExportEvent<'_>,
    ) -> io::Result<()> {
        let event = export.event;
        let details = &export.details;
        let mut text = Text::new(out);
        text.raw(b"<Placemark id=\"");
        text.escaped(event.id(), true);
        text.raw(b"\">\n");
        text.element("name", event.title());
        if let Some(summary) = &details.summary {
            text.element("description", summary);
        }
        let when = (!event.is_undated())
            .then(|| When::parse(event.when_text()).ok())
            .flatten();
        if let Some(when) = &when {
            time_primitive(&mut text, when);
        }
        let style_url = event.category.and_then(|c| self.style_urls.get(c));
        if let Some(style_url) = style_url {
            text.raw(style_url);
        }
        text.raw(b"<ExtendedData>\n");
        if !event.is_undated() {
            text.data("when", event.when_text());
        }
        if let Some(category) = export.category {
            text.data("category", &category.id);
        }
        if let Some(region) = event.location.region_code() {
            text.data("region", region);
        }
        detail_data(&mut text, export);
        text.raw(b"</ExtendedData>\n");
        match (export.shape, event.location.point()) {
            (Some(shape), _) if !shape.parts.is_empty() => outline(&mut text, &shape.parts)?,
            (_, Some(at)) => {
                text.raw(b"<Point><coordinates>");
                coordinates(&mut text, &[at])?;
                text.raw(b"</coordinates></Point>\n");
            }
            (_, None) => {}
        }
        text.raw(b"</Placemark>\n");
        if text.stripped {
            self.stripped.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    fn finish(&self, out: &mut Vec<u8>, _count: usize) -> io::Result<()> {
        out.extend_from_slice(b"</Document>\n</kml>\n");
        Ok(())
    }

    fn not_kept(&self) -> Vec<String> {
        let mut lost = super::dataset_parts_not_kept(self.dataset);
        let stripped = self.stripped.load(Ordering::Relaxed);
        if stripped > 0 {
            let noun = if stripped == 1 { "event" } else { "events" };
            lost.push(format!(
                "control characters (in the text of {stripped} {noun}: left out)"
            ));
        }
        lost
    }
}

/// A category's Style: its colour on icons, lines and (half see-through) areas.
fn style(text: &mut Text<'_>, id: &str, category: &Category) {
    let opaque = kml_color(0xff, category.color);
    text.raw(b"<Style id=\"");
    text.escaped(id, true);
    text.raw(b"\"><IconStyle><color>");
    text.raw(opaque.as_bytes());
    text.raw(b"</color></IconStyle><LineStyle><color>");
    text.raw(opaque.as_bytes());
    text.raw(b"</color><width>2</width></LineStyle><PolyStyle><color>");
    text.raw(kml_color(0x80, category.color).as_bytes());
    text.raw(b"</color></PolyStyle></Style>\n");
}

/// The place's name, the actors, the date note, the sources, the links and the fields.
fn detail_data(text: &mut Text<'_>, export: &ExportEvent<'_>) {
    let details = &export.details;
    if let Some(place) = &details.place_name {
        text.data("place", place);
    }
    for (index, actor) in details.actors.iter().enumerate() {
        text.data(&format!("actor_{}", index + 1), actor);
    }
    if let Some(note) = &details.date_note {
        text.data("date_note", note);
    }
    sources(text, &details.sources);
    for (index, &(to, kind)) in export.links.iter().enumerate() {
        let number = index + 1;
        text.data(&format!("link_{number}_to"), to);
        text.data(&format!("link_{number}_kind"), kind);
    }
    for (name, value) in &details.fields {
        text.data(&profile::data_name(name), value);
    }
}

/// Sources as numbered Data: `source_1_title`, `source_1_url`…
fn sources(text: &mut Text<'_>, sources: &[Source]) {
    for (index, source) in sources.iter().enumerate() {
        let number = index + 1;
        text.data(&format!("source_{number}_title"), &source.title);
        for (name, value) in [
            ("url", &source.url),
            ("publisher", &source.publisher),
            ("date", &source.date),
            ("quote", &source.quote),
            ("note", &source.note),
        ] {
            if let Some(value) = value {
                text.data(&format!("source_{number}_{name}"), value);
            }
        }
    }
}

/// `TimeStamp` for a single date, `TimeSpan` for an interval (an open or unknown end left
/// out), at the precision of the date. Years beyond four digits (deep time) have neither:
/// Google Earth reads four-digit years only; the `when` Data keeps them.
fn time_primitive(text: &mut Text<'_>, when: &When) {
    let four_digits = |date: &DatePoint| (-9999..=9999).contains(&date.year);
    let readable = match when {
        When::Single(date) => four_digits(date),
        When::Interval { start, end } => [start, end]
            .into_iter()
            .all(|bound| !matches!(bound, Bound::Date(date) if !four_digits(date))),
    };
    if !readable {
        return;
    }
    match when {
        When::Single(date) => {
            text.raw(b"<TimeStamp><when>");
            kml_date(text, date);
            text.raw(b"</when></TimeStamp>\n");
        }
        When::Interval { start, end } => {
            text.raw(b"<TimeSpan>");
            if let Bound::Date(date) = start {
                text.raw(b"<begin>");
                kml_date(text, date);
                text.raw(b"</begin>");
            }
            if let Bound::Date(date) = end {
                text.raw(b"<end>");
                kml_date(text, date);
                text.raw(b"</end>");
            }
            text.raw(b"</TimeSpan>\n");
        }
    }
}

/// A date as kml:dateTimeType: `2024`, `2024-03`, `2024-03-22` or `2024-03-22T19:58:00Z`
/// (with the offset given, or none); EDTF's qualifiers are in the `when` Data.
fn kml_date(text: &mut Text<'_>, date: &DatePoint) {
    let sign = if date.year < 0 { "-" } else { "" };
    let mut written = format!("{sign}{:04}", date.year.abs());
    if let Some(month) = date.month {
        written.push_str(&format!("-{month:02}"));
    }
    if let Some(day) = date.day {
        written.push_str(&format!("-{day:02}"));
    }
    if let Some(time) = date.time {
        written.push_str(&format!(
            "T{:02}:{:02}:{:02}",
            time.hour, time.minute, time.second
        ));
        match time.offset_minutes {
            Some(0) => written.push('Z'),
            Some(offset) => {
                let sign = if offset < 0 { '-' } else { '+' };
                let offset = offset.abs();
                written.push_str(&format!("{sign}{:02}:{:02}", offset / 60, offset % 60));
            }
            None => {}
        }
    }
    text.raw(written.as_bytes());
}

/// An outline: one LineString or Polygon, or a MultiGeometry of them.
fn outline(text: &mut Text<'_>, parts: &[ShapePart]) -> io::Result<()> {
    let multi = parts.len() > 1;
    if multi {
        text.raw(b"<MultiGeometry>");
    }
    for part in parts {
        match part {
            ShapePart::Line(line) => {
                text.raw(b"<LineString><coordinates>");
                coordinates(text, line)?;
                text.raw(b"</coordinates></LineString>");
            }
            ShapePart::Polygon(rings) => {
                text.raw(b"<Polygon>");
                for (index, ring) in rings.iter().enumerate() {
                    let boundary: &[u8] = if index == 0 {
                        b"outerBoundaryIs"
                    } else {
                        b"innerBoundaryIs"
                    };
                    text.raw(b"<");
                    text.raw(boundary);
                    text.raw(b"><LinearRing><coordinates>");
                    coordinates(text, ring)?;
                    text.raw(b"</coordinates></LinearRing></");
                    text.raw(boundary);
                    text.raw(b">");
                }
                text.raw(b"</Polygon>");
            }
        }
    }
    if multi {
        text.raw(b"</MultiGeometry>");
    }
    text.raw(b"\n");
    Ok(())
}

/// `lon,lat` tuples separated by spaces, each number in its shortest form that reads back as
/// the same `f64`.
fn coordinates(text: &mut Text<'_>, positions: &[LonLat]) -> io::Result<()> {
    for (index, at) in positions.iter().enumerate() {
        if index > 0 {
            text.raw(b" ");
        }
        for (which, value) in [at.lon, at.lat].into_iter().enumerate() {
            if which > 0 {
                text.raw(b",");
            }
            if !value.is_finite() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{value} cannot be written as a KML coordinate"),
                ));
            }
            serde_json::to_writer(&mut *text.out, &value).map_err(io::Error::from)?;
        }
    }
    Ok(())
}

/// Writes XML text into a buffer, noting whether a character had to be left out.
struct Text<'o> {
    out: &'o mut Vec<u8>,
    /// A character XML 1.0 cannot hold was left out.
    stripped: bool,
}

impl<'o> Text<'o> {
    fn new(out: &'o mut Vec<u8>) -> Self {
        Self {
            out,
            stripped: false,
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// `<name>text</name>` on its own line.
    fn element(&mut self, name: &str, value: &str) {
        self.raw(b"<");
        self.raw(name.as_bytes());
        self.raw(b">");
        self.escaped(value, false);
        self.raw(b"</");
        self.raw(name.as_bytes());
        self.raw(b">\n");
    }

    /// `<Data name="…"><value>…</value></Data>` on its own line.
    fn data(&mut self, name: &str, value: &str) {
        self.raw(b"<Data name=\"");
        self.escaped(name, true);
        self.raw(b"\"><value>");
        self.escaped(value, false);
        self.raw(b"</value></Data>\n");
    }

    /// `value` escaped for XML text (or, `in_attribute`, a quoted attribute): `& < > " '` as
    /// entities; carriage returns, and blank space at either end (or any in an attribute), as
    /// character references that no reader normalises or trims; characters XML 1.0 cannot hold
    /// left out.
    fn escaped(&mut self, value: &str, in_attribute: bool) {
        let first_kept = value.len() - value.trim_start().len();
        let last_kept = value.trim_end().len();
        let mut start = 0;
        for (at, character) in value.char_indices() {
            let edge = at < first_kept || at >= last_kept;
            let replacement: &[u8] = match character {
                '&' => b"&amp;",
                '<' => b"&lt;",
                '>' => b"&gt;",
                '"' => b"&quot;",
                '\'' => b"&apos;",
                '\r' => b"&#13;",
                '\n' if edge || in_attribute => b"&#10;",
                '\t' if edge || in_attribute => b"&#9;",
                ' ' if edge => b"&#32;",
                '\t' | '\n' | ' ' => continue,
                c if c.is_whitespace() && edge => {
                    self.flush(value, start, at);
                    self.raw(format!("&#{};", u32::from(c)).as_bytes());
                    start = at + c.len_utf8();
                    continue;
                }
                '\u{0}'..='\u{8}'
                | '\u{b}'
                | '\u{c}'
                | '\u{e}'..='\u{1f}'
                | '\u{fffe}'
                | '\u{ffff}' => {
                    self.stripped = true;
                    b""
                }
                _ => continue,
            };
            self.flush(value, start, at);
            self.raw(replacement);
            start = at + character.len_utf8();
        }
        self.flush(value, start, value.len());
    }

    fn flush(&mut self, value: &str, from: usize, to: usize) {
        let part = value.as_bytes().get(from..to).unwrap_or_default();
        self.out.extend_from_slice(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(value: &str, in_attribute: bool) -> (String, bool) {
        let mut out = Vec::new();
        let mut text = Text::new(&mut out);
        text.escaped(value, in_attribute);
        let stripped = text.stripped;
        (String::from_utf8(out).unwrap(), stripped)
    }

    #[test]
    fn text_is_escaped_and_blank_ends_are_character_references() {
        assert_eq!(
            escaped(r#"a & b < c > "d" 'e'"#, false).0,
            "a &amp; b &lt; c &gt; &quot;d&quot; &apos;e&apos;"
        );
        assert_eq!(
            escaped(" two\nlines\r\n ", false).0,
            "&#32;two\nlines&#13;&#10;&#32;"
        );
        assert_eq!(escaped("a\tb\nc", true).0, "a&#9;b&#10;c");
        assert_eq!(escaped("\u{a0}x", false).0, "&#160;x");
        assert_eq!(escaped("Ünï 🚀", false), ("Ünï 🚀".to_owned(), false));
        assert_eq!(escaped("bell\u{7}!", false), ("bell!".to_owned(), true));
    }

    #[test]
    fn dates_are_written_at_their_precision() {
        let date = |edtf: &str| {
            let mut out = Vec::new();
            let mut text = Text::new(&mut out);
            time_primitive(&mut text, &When::parse(edtf).unwrap());
            String::from_utf8(out).unwrap()
        };
        assert_eq!(date("2024"), "<TimeStamp><when>2024</when></TimeStamp>\n");
        assert_eq!(
            date("2024-03~"),
            "<TimeStamp><when>2024-03</when></TimeStamp>\n"
        );
        assert_eq!(
            date("2024-03-22T22:58+03:00"),
            "<TimeStamp><when>2024-03-22T22:58:00+03:00</when></TimeStamp>\n"
        );
        assert_eq!(
            date("2024-03-22T19:58:30Z"),
            "<TimeStamp><when>2024-03-22T19:58:30Z</when></TimeStamp>\n"
        );
        assert_eq!(
            date("-0043-03-15"),
            "<TimeStamp><when>-0043-03-15</when></TimeStamp>\n"
        );
        assert_eq!(date("Y-170000000"), "");
        assert_eq!(date("Y-170000000/2024"), "");
        assert_eq!(
            date("2023-11/2024-03-22"),
            "<TimeSpan><begin>2023-11</begin><end>2024-03-22</end></TimeSpan>\n"
        );
        assert_eq!(
            date("../2024-03-07"),
            "<TimeSpan><end>2024-03-07</end></TimeSpan>\n"
        );
        assert_eq!(kml_color(0xff, [0xEE, 0x66, 0x77]), "ff7766ee");
    }
}
