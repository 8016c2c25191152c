//! What Event Atlas writes into GeoJSON (`io/export/geojson.rs`) and reads back exactly: the
//! collection's `"generator": "Event Atlas"` member, the property names that are Event Atlas's
//! own (an imported field with one of those names is written with a prefix), and the
//! `start`/`end` properties written beside the EDTF `when` for GIS time sliders.

use std::borrow::Cow;

use serde::Deserialize;

use crate::model::calendar::{CivilTime, DAY};
use crate::model::{Bound, DatePoint, Source, When};

/// The value of the collection's `generator` member in a file Event Atlas wrote.
pub(in crate::io) const GENERATOR: &str = "Event Atlas";

/// Put before an imported field's name that is one of [`OWN_PROPERTIES`] (or starts with
/// this prefix itself), so that it reads back as a field.
pub(in crate::io) const FIELD_PREFIX: &str = "field_";

/// The properties Event Atlas writes for every event (any case).
pub(in crate::io) const OWN_PROPERTIES: [&str; 15] = [
    "title",
    "when",
    "start",
    "end",
    "category",
    "category_label",
    "color",
    "marker-color",
    "region",
    "place",
    "actors",
    "summary",
    "date_note",
    "sources",
    "links",
];

fn is_own(name: &str) -> bool {
    // Checked for every field of every event written: the length first (they differ in it).
    (3..=14).contains(&name.len())
        && OWN_PROPERTIES
            .iter()
            .any(|own| own.eq_ignore_ascii_case(name))
}

/// The property an imported field is written as: its name, or the name after
/// [`FIELD_PREFIX`] when it would be read as one of Event Atlas's own.
pub(in crate::io) fn property_name(field: &str) -> Cow<'_, str> {
    if is_own(field) || field.starts_with(FIELD_PREFIX) {
        Cow::Owned(format!("{FIELD_PREFIX}{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// The field a property of an Event Atlas file holds (the inverse of [`property_name`]).
pub(super) fn field_name(property: &str) -> &str {
    match property.strip_prefix(FIELD_PREFIX) {
        Some(field) if is_own(field) || field.starts_with(FIELD_PREFIX) => field,
        _ => property,
    }
}

/// A source as Event Atlas writes it (in `sources`, of an event or of the collection).
#[derive(Deserialize)]
pub(super) struct SourceEntry {
    title: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    quote: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

impl From<SourceEntry> for Source {
    fn from(entry: SourceEntry) -> Self {
        Source {
            title: entry.title,
            url: entry.url,
            publisher: entry.publisher,
            date: entry.date,
            quote: entry.quote,
            note: entry.note,
        }
    }
}

/// The sources in a `sources` value (`None` if it is not a list of sources).
pub(super) fn sources_of(json: &str) -> Option<Vec<Source>> {
    let entries: Vec<SourceEntry> = serde_json::from_str(json).ok()?;
    Some(entries.into_iter().map(Source::from).collect())
}

/// A link as Event Atlas writes it: `{"to": id, "kind": …}`.
#[derive(Deserialize)]
pub(super) struct LinkEntry {
    pub(super) to: String,
    #[serde(default = "default_link_kind")]
    pub(super) kind: String,
}

fn default_link_kind() -> String {
    crate::io::rules::DEFAULT_LINK_KIND.to_owned()
}

/// The links in a `links` value (`None` if it is not a list of links).
pub(super) fn links_of(json: &str) -> Option<Vec<LinkEntry>> {
    serde_json::from_str(json).ok()
}

/// A category as Event Atlas writes it in the collection's `categories`.
#[derive(Deserialize)]
pub(super) struct CategoryEntry {
    pub(super) id: String,
    #[serde(default)]
    pub(super) label: String,
    #[serde(default)]
    pub(super) color: Option<String>,
}

/// The categories in a `categories` value (`None` if it is not a list of categories).
pub(super) fn categories_of(json: &str) -> Option<Vec<CategoryEntry>> {
    serde_json::from_str(json).ok()
}

/// An ISO 8601 day (`2024-03-22`) or UTC moment (`2024-03-22T19:58:00Z`), without allocating.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(in crate::io) struct IsoText {
    bytes: [u8; 20],
    len: usize,
}

impl IsoText {
    /// The day or moment of Unix `seconds` (`None` outside years 1 to 9999, which GIS
    /// software does not read as dates).
    fn of(seconds: i64, with_time: bool) -> Option<Self> {
        let t = CivilTime::from_unix(seconds);
        let year = u32::try_from(t.year)
            .ok()
            .filter(|y| (1..=9999).contains(y))?;
        let mut text = Self {
            bytes: [0; 20],
            len: 0,
        };
        text.digits(year, 4);
        text.push(b'-');
        text.digits(t.month, 2);
        text.push(b'-');
        text.digits(t.day, 2);
        if with_time {
            text.push(b'T');
            text.digits(t.hour, 2);
            text.push(b':');
            text.digits(t.minute, 2);
            text.push(b':');
            text.digits(t.second, 2);
            text.push(b'Z');
        }
        Some(text)
    }

    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    fn digits(&mut self, value: u32, width: u32) {
        for place in (0..width).rev() {
            let digit = (value / 10u32.pow(place) % 10) as u8;
            self.push(b'0' + digit);
        }
    }

    /// The text (ASCII digits, `-`, `:`, `T`, `Z`).
    pub(in crate::io) fn as_str(&self) -> &str {
        let text = self
            .bytes
            .get(..self.len)
            .and_then(|bytes| std::str::from_utf8(bytes).ok());
        debug_assert!(text.is_some(), "only ASCII is pushed");
        text.unwrap_or_default()
    }
}

/// The first day (or the moment) a date starts.
fn first(date: &DatePoint) -> Option<IsoText> {
    IsoText::of(date.start(), date.time.is_some())
}

/// The last day a date covers (or its moment).
fn last(date: &DatePoint) -> Option<IsoText> {
    match date.time {
        Some(_) => IsoText::of(date.start(), true),
        None => IsoText::of(date.end() - DAY, false),
    }
}

/// The `start` and `end` properties written for a date: the first and the last day (or the
/// moments) it covers, `None` for an open or unknown end.
pub(in crate::io) fn span_properties(when: &When) -> (Option<IsoText>, Option<IsoText>) {
    match when {
        When::Single(date) => (first(date), last(date)),
        When::Interval { start, end } => {
            let start = match start {
                Bound::Date(date) => first(date),
                Bound::Open | Bound::Unknown => None,
            };
            let end = match end {
                Bound::Date(date) => last(date),
                Bound::Open | Bound::Unknown => None,
            };
            (start, end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str) -> (Option<String>, Option<String>) {
        let (start, end) = span_properties(&When::parse(text).unwrap());
        let text = |iso: Option<IsoText>| iso.map(|iso| iso.as_str().to_owned());
        (text(start), text(end))
    }

    fn both(start: &str, end: &str) -> (Option<String>, Option<String>) {
        (Some(start.to_owned()), Some(end.to_owned()))
    }

    #[test]
    fn start_and_end_are_the_first_and_last_day_or_the_moment() {
        assert_eq!(span("2024-03"), both("2024-03-01", "2024-03-31"));
        assert_eq!(span("2024"), both("2024-01-01", "2024-12-31"));
        assert_eq!(span("2024-03-22~"), both("2024-03-22", "2024-03-22"));
        assert_eq!(
            span("2024-03-22T22:58+03:00"),
            both("2024-03-22T19:58:00Z", "2024-03-22T19:58:00Z")
        );
        assert_eq!(span("2023-11/2024-03-22"), both("2023-11-01", "2024-03-22"));
        assert_eq!(span("../2024-03-07"), (None, Some("2024-03-07".to_owned())));
        assert_eq!(span("2024-01/"), (Some("2024-01-01".to_owned()), None));
        // GIS software reads years 1 to 9999 only.
        assert_eq!(span("-0043-03-15"), (None, None));
        assert_eq!(span("Y-170000000"), (None, None));
    }

    #[test]
    fn fields_named_like_event_atlas_properties_get_a_prefix_and_lose_it_again() {
        for (field, property) in [
            ("mag", "mag"),
            ("When", "field_When"),
            ("end", "field_end"),
            ("CATEGORY_LABEL", "field_CATEGORY_LABEL"),
            ("marker-color", "field_marker-color"),
            ("field_x", "field_field_x"),
            ("field_title", "field_field_title"),
            ("fieldwork", "fieldwork"),
            ("time", "time"),
        ] {
            assert_eq!(property_name(field), property, "{field}");
            assert_eq!(field_name(property), field, "{property}");
        }
        // A property that merely starts with the prefix is a field of that name.
        assert_eq!(field_name("field_notes"), "field_notes");
    }
}
