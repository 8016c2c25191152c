//! One GeoJSON feature as the loader reads it: the properties that give the title, the date and
//! the category (found by name, in one pass, borrowing from the bytes), JSON-FG's `time`, and
//! the place from the geometry. The same reading serves the details of an event later.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::super::dates::{self, Dated, SlashOrder};
use super::super::geometry::{self, Part, Placed};
use super::super::import::ImportOptions;
use crate::model::{LonLat, When};

/// A JSON string borrowed from the bytes (owned when it has escapes).
#[derive(Deserialize)]
#[serde(transparent)]
pub(super) struct Key<'a>(#[serde(borrow)] pub(super) Cow<'a, str>);

/// Whether `kind` names a GeoJSON geometry.
pub(super) fn is_geometry_type(kind: &str) -> bool {
    matches!(
        kind,
        "Point"
            | "MultiPoint"
            | "LineString"
            | "MultiLineString"
            | "Polygon"
            | "MultiPolygon"
            | "GeometryCollection"
    )
}

/// The properties a feature's title, date and category may come from: one bit each.
pub(super) mod slot {
    pub const TITLE: usize = 0;
    pub const NAME: usize = 1;
    pub const PLACE: usize = 2;
    pub const TIME: usize = 3;
    pub const START: usize = 4;
    pub const END: usize = 5;
    pub const DATE: usize = 6;
    pub const DATETIME: usize = 7;
    pub const TIMESTAMP: usize = 8;
    pub const EVENT_DATE: usize = 9;
    pub const WHEN: usize = 10;
    pub const CATEGORY: usize = 11;
    pub const TYPE: usize = 12;
    pub const EVENT_TYPE: usize = 13;
    pub const CLASS: usize = 14;
    pub const URL: usize = 15;
    pub const DETAIL: usize = 16;
    pub const DESCRIPTION: usize = 17;
    pub const CHOSEN_TIME: usize = 18;
    pub const CHOSEN_END: usize = 19;
    pub const CHOSEN_TITLE: usize = 20;
    pub const CHOSEN_CATEGORY: usize = 21;
    pub const REGION: usize = 22;
    pub const LINKS: usize = 23;
    pub const COUNT: usize = 24;
}

/// The slot of a property by its usual name (any case).
fn usual_slot(key: &str) -> Option<usize> {
    let mut folded = [0u8; 11];
    let bytes = key.as_bytes();
    let folded = folded.get_mut(..bytes.len())?;
    for (to, from) in folded.iter_mut().zip(bytes) {
        *to = from.to_ascii_lowercase();
    }
    Some(match &*folded {
        b"title" => slot::TITLE,
        b"name" => slot::NAME,
        b"place" => slot::PLACE,
        b"time" => slot::TIME,
        b"start" => slot::START,
        b"end" => slot::END,
        b"date" => slot::DATE,
        b"datetime" => slot::DATETIME,
        b"timestamp" => slot::TIMESTAMP,
        b"event_date" => slot::EVENT_DATE,
        b"when" => slot::WHEN,
        b"category" => slot::CATEGORY,
        b"type" => slot::TYPE,
        b"event_type" => slot::EVENT_TYPE,
        b"class" => slot::CLASS,
        b"url" => slot::URL,
        b"detail" => slot::DETAIL,
        b"description" => slot::DESCRIPTION,
        b"region" => slot::REGION,
        b"links" => slot::LINKS,
        _ => return None,
    })
}

/// The properties the user chose (import dialog, `--time`…); the usual names otherwise, or
/// Event Atlas's own in a file it wrote.
#[derive(Clone, Debug, Default)]
pub(super) struct Names {
    pub(super) time: Option<String>,
    pub(super) end: Option<String>,
    pub(super) title: Option<String>,
    pub(super) category: Option<String>,
    /// The collection says Event Atlas wrote it (`"generator": "Event Atlas"`): its own
    /// properties are read by their names alone, and a feature without `when` is undated.
    pub(super) by_event_atlas: bool,
}

impl Names {
    pub(super) fn of(options: &ImportOptions) -> Self {
        let chosen = |name: &Option<String>| {
            name.as_deref()
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
        };
        Self {
            time: chosen(&options.time),
            end: chosen(&options.end),
            title: chosen(&options.title),
            category: chosen(&options.category),
            by_event_atlas: false,
        }
    }

    /// The slots a property named `key` fills, one bit each.
    fn slots(&self, key: &str) -> u32 {
        let mut bits = usual_slot(key).map_or(0, |slot| 1 << slot);
        for (chosen, slot) in [
            (&self.time, slot::CHOSEN_TIME),
            (&self.end, slot::CHOSEN_END),
            (&self.title, slot::CHOSEN_TITLE),
            (&self.category, slot::CHOSEN_CATEGORY),
        ] {
            if chosen.as_deref() == Some(key) {
                bits |= 1 << slot;
            }
        }
        bits
    }

    fn chose_time(&self) -> bool {
        self.time.is_some() || self.end.is_some()
    }
}

/// A property that fills a slot: its position among the properties, and its value.
#[derive(Clone, Copy, Debug)]
pub(super) struct Property<'a> {
    pub(super) position: usize,
    pub(super) value: &'a RawValue,
}

/// The properties of a feature that fill slots (the first of each; nulls are left out), and,
/// when asked for, every property in order.
#[derive(Default)]
pub(super) struct Properties<'a> {
    pub(super) slots: [Option<Property<'a>>; slot::COUNT],
    pub(super) all: Vec<(Cow<'a, str>, &'a RawValue)>,
    /// A property Event Atlas reads (date, title, category…) written twice in the feature.
    pub(super) repeated: Option<Cow<'a, str>>,
}

impl<'a> Properties<'a> {
    pub(super) fn get(&self, slot: usize) -> Option<&'a RawValue> {
        self.slots.get(slot).copied().flatten().map(|p| p.value)
    }
}

/// A feature's members as read: what every frame needs, borrowed from the bytes.
#[derive(Default)]
pub(super) struct FeatureRecord<'a> {
    pub(super) kind: Option<Cow<'a, str>>,
    pub(super) id: Option<&'a RawValue>,
    pub(super) geometry: Option<&'a RawValue>,
    /// JSON-FG's `time` member.
    pub(super) time: Option<&'a RawValue>,
    pub(super) properties: Properties<'a>,
}

/// Reads a feature (or, with `all`, its properties in full too).
#[derive(Clone, Copy)]
struct FeatureSeed<'n> {
    names: &'n Names,
    all: bool,
}

pub(super) fn parse_feature<'a>(
    text: &'a str,
    names: &Names,
    all: bool,
) -> Result<FeatureRecord<'a>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let record = FeatureSeed { names, all }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(record)
}

impl<'de> DeserializeSeed<'de> for FeatureSeed<'_> {
    type Value = FeatureRecord<'de>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FeatureSeed<'_> {
    type Value = FeatureRecord<'de>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a GeoJSON Feature object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut record = FeatureRecord::default();
        while let Some(Key(key)) = map.next_key()? {
            match key.as_ref() {
                "type" => record.kind = Some(map.next_value::<Key<'de>>()?.0),
                "id" => record.id = map.next_value()?,
                "geometry" => record.geometry = map.next_value()?,
                "time" => record.time = map.next_value()?,
                "properties" => record.properties = map.next_value_seed(PropertiesSeed(self))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(record)
    }
}

/// Reads `properties` (an object, or null).
struct PropertiesSeed<'n>(FeatureSeed<'n>);

impl<'de> DeserializeSeed<'de> for PropertiesSeed<'_> {
    type Value = Properties<'de>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for PropertiesSeed<'_> {
    type Value = Properties<'de>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an object of properties")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Properties::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Properties::default())
    }

    fn visit_some<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let FeatureSeed { names, all } = self.0;
        let mut properties = Properties::default();
        let mut position = 0;
        // The properties read so far that fill slots (no allocation: a feature has a few).
        let mut recognised: [Option<Cow<'de, str>>; 8] = Default::default();
        while let Some(Key(key)) = map.next_key()? {
            let bits = names.slots(&key);
            if bits != 0 && properties.repeated.is_none() {
                if recognised.iter().flatten().any(|seen| *seen == key) {
                    properties.repeated = Some(key.clone());
                } else if let Some(free) = recognised.iter_mut().find(|seen| seen.is_none()) {
                    *free = Some(key.clone());
                }
            }
            if bits == 0 && !all {
                map.next_value::<IgnoredAny>()?;
            } else {
                let value: &'de RawValue = map.next_value()?;
                if value.get() != "null" {
                    for (slot, filled) in properties.slots.iter_mut().enumerate() {
                        if bits & (1 << slot) != 0 && filled.is_none() {
                            *filled = Some(Property { position, value });
                        }
                    }
                }
                if all {
                    properties.all.push((key, value));
                }
            }
            position += 1;
        }
        Ok(properties)
    }
}

/// A JSON string, number or boolean as text (`None` for null, objects and arrays).
pub(super) fn text_of(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    match text.as_bytes().first()? {
        b'"' => serde_json::from_str::<Key<'_>>(text).ok().map(|key| key.0),
        b'-' | b'0'..=b'9' | b't' | b'f' => Some(Cow::Borrowed(text)),
        _ => None,
    }
}

/// The first of `slots` whose value is non-empty text, with its slot.
pub(super) fn first_text<'a>(
    properties: &Properties<'a>,
    slots: &[usize],
) -> Option<(Cow<'a, str>, usize)> {
    slots.iter().find_map(|&slot| {
        let text = text_of(properties.get(slot)?)?;
        (!text.trim().is_empty()).then_some((text, slot))
    })
}

// ---------------------------------------------------------------------------------------------
// Title, category and date: decided the same way at load and when details are read

/// Where a feature's date comes from.
#[derive(Clone, Copy, Debug)]
pub(super) enum TimeSource<'a> {
    /// JSON-FG's `time` member.
    JsonFg(&'a RawValue),
    /// One property holding EDTF text, kept as written (`when`).
    Edtf(usize),
    /// One property.
    Single(usize),
    /// A start and an end property (either may be missing: an open end).
    Span(Option<usize>, Option<usize>),
    /// None of the names is there.
    Missing,
}

impl TimeSource<'_> {
    /// The slots it reads.
    pub(super) fn slots(self) -> u32 {
        let bit = |slot: Option<usize>| slot.map_or(0, |slot| 1 << slot);
        match self {
            TimeSource::Single(slot) | TimeSource::Edtf(slot) => 1 << slot,
            TimeSource::Span(start, end) => bit(start) | bit(end),
            TimeSource::JsonFg(_) | TimeSource::Missing => 0,
        }
    }
}

/// The properties tried for a date, one at a time, after `time` and `start`/`end`.
const DATE_SLOTS: [usize; 5] = [
    slot::DATE,
    slot::DATETIME,
    slot::TIMESTAMP,
    slot::EVENT_DATE,
    slot::WHEN,
];

pub(super) fn time_source<'a>(record: &FeatureRecord<'a>, names: &Names) -> TimeSource<'a> {
    let properties = &record.properties;
    let present = |slot: usize| properties.get(slot).is_some().then_some(slot);
    if names.chose_time() {
        return match (present(slot::CHOSEN_TIME), present(slot::CHOSEN_END)) {
            (None, None) => TimeSource::Missing,
            // One date property, no end property chosen: a date, not an open interval.
            (Some(time), None) if names.end.is_none() => TimeSource::Single(time),
            (start, end) => TimeSource::Span(start, end),
        };
    }
    let edtf_when = properties
        .get(slot::WHEN)
        .and_then(text_of)
        .is_some_and(|text| When::parse(&text).is_ok());
    if names.by_event_atlas {
        return match edtf_when {
            true => TimeSource::Edtf(slot::WHEN),
            false => TimeSource::Missing,
        };
    }
    if let Some(time) = record.time {
        return TimeSource::JsonFg(time);
    }
    // EDTF in `when` (as Event Atlas writes it) goes before the other properties: the `start`
    // and `end` written beside it for GIS software say less (no qualifiers, days for months),
    // and a `time` or `date` beside it is an imported field.
    if edtf_when {
        return TimeSource::Edtf(slot::WHEN);
    }
    if let Some(time) = present(slot::TIME) {
        return TimeSource::Single(time);
    }
    match (present(slot::START), present(slot::END)) {
        (None, None) => {}
        (start, end) => return TimeSource::Span(start, end),
    }
    DATE_SLOTS
        .iter()
        .find_map(|&slot| present(slot))
        .map_or(TimeSource::Missing, TimeSource::Single)
}

/// The title's and the category's slots for these names.
pub(super) fn title_slots(names: &Names) -> &'static [usize] {
    if names.title.is_some() {
        &[slot::CHOSEN_TITLE]
    } else if names.by_event_atlas {
        &[slot::TITLE]
    } else {
        &[slot::TITLE, slot::NAME, slot::PLACE]
    }
}

pub(super) fn category_slots(names: &Names) -> &'static [usize] {
    if names.category.is_some() {
        &[slot::CHOSEN_CATEGORY]
    } else if names.by_event_atlas {
        &[slot::CATEGORY]
    } else {
        &[slot::CATEGORY, slot::TYPE, slot::EVENT_TYPE, slot::CLASS]
    }
}

/// A date property: ISO 8601 text (or another form `dates::any` reads, e.g. a numeric
/// string), or a number of seconds or milliseconds since 1970.
fn date_of(raw: &RawValue) -> Result<Dated, String> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => {
            let value = text_of(raw).unwrap_or_default();
            dates::any(&value, SlashOrder::DayFirst)
        }
        Some(b'-' | b'0'..=b'9') => text
            .parse::<f64>()
            .map_err(|_| format!("{text} is not a date"))
            .and_then(dates::epoch_number),
        _ => Err(format!("{text} is not a date")),
    }
}

/// One end of an interval: a date, or `None` for an open end (`".."`, `""` or null).
fn bound_of(raw: Option<&RawValue>) -> Result<Option<String>, String> {
    let Some(raw) = raw.filter(|raw| raw.get() != "null") else {
        return Ok(None);
    };
    if matches!(raw.get(), "\"..\"" | "\"\"") {
        return Ok(None);
    }
    date_of(raw).map(|(text, _)| Some(text))
}

/// An interval from two ends; one date when both are the same.
fn span_of(start: Option<&RawValue>, end: Option<&RawValue>) -> Result<Option<Dated>, String> {
    let text = match (bound_of(start)?, bound_of(end)?) {
        (None, None) => return Ok(None),
        (Some(start), Some(end)) if start == end => start,
        (start, end) => format!(
            "{}/{}",
            start.as_deref().unwrap_or(".."),
            end.as_deref().unwrap_or("..")
        ),
    };
    match When::parse(&text) {
        Ok(when) => Ok(Some((text, when))),
        Err(error) => Err(format!("'{text}' is not an interval: {}", error.0)),
    }
}

/// JSON-FG's `time`: `{"timestamp": …}`, `{"date": …}` or `{"interval": [start, end]}`.
fn json_fg_time(raw: &RawValue) -> Result<Option<Dated>, String> {
    #[derive(Deserialize)]
    struct JsonFgTime<'a> {
        #[serde(borrow, default)]
        date: Option<&'a RawValue>,
        #[serde(borrow, default)]
        timestamp: Option<&'a RawValue>,
        #[serde(borrow, default)]
        interval: Option<Vec<&'a RawValue>>,
    }
    let time: JsonFgTime<'_> = serde_json::from_str(raw.get()).map_err(|_| {
        format!(
            "the JSON-FG \"time\" {} is not an object with \"date\", \"timestamp\" or \"interval\"",
            raw.get()
        )
    })?;
    if let Some(instant) = time.timestamp.or(time.date) {
        return date_of(instant).map(Some);
    }
    match time.interval.as_deref() {
        None => Ok(None),
        Some([start, end]) => span_of(Some(start), Some(end)),
        Some(_) => Err("a JSON-FG \"interval\" has two ends: [start, end]".to_owned()),
    }
}

/// The date of a feature from `source`.
pub(super) fn date_from(
    source: TimeSource<'_>,
    properties: &Properties<'_>,
) -> Result<Option<Dated>, String> {
    let value = |slot: Option<usize>| slot.and_then(|slot| properties.get(slot));
    match source {
        TimeSource::JsonFg(raw) => json_fg_time(raw),
        TimeSource::Edtf(slot) => {
            let Some(text) = value(Some(slot)).and_then(text_of) else {
                return Ok(None);
            };
            match When::parse(&text) {
                Ok(when) => Ok(Some((text.into_owned(), when))),
                Err(error) => Err(format!("'{text}' is not a date: {}", error.0)),
            }
        }
        TimeSource::Single(slot) => value(Some(slot)).map(date_of).transpose(),
        TimeSource::Span(start, end) => span_of(value(start), value(end)),
        TimeSource::Missing => Ok(None),
    }
}

/// What to do when a feature has no date: the names looked for.
pub(super) fn no_date_message(names: &Names) -> String {
    match (&names.time, &names.end) {
        (Some(time), _) => format!("it has no property \"{time}\" (the date property chosen)"),
        (None, Some(end)) => format!("it has no property \"{end}\" (the end property chosen)"),
        (None, None) => "no date: give it a \"time\" property (ISO 8601, or milliseconds since 1970) or choose its date property".to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Geometry

/// The `type` and `coordinates` of a geometry (a Point is read from these alone).
#[derive(Deserialize)]
struct GeometryHead<'a> {
    #[serde(rename = "type", borrow)]
    kind: Key<'a>,
    #[serde(borrow, default)]
    coordinates: Option<&'a RawValue>,
}

/// A position's longitude and latitude (an altitude is not kept). Numbers written as strings
/// and numbers too large for a double (`1e999`) are read as what they say, then checked.
struct Position {
    numbers: [f64; 2],
    count: usize,
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PositionVisitor;
        impl<'de> Visitor<'de> for PositionVisitor {
            type Value = Position;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a position [longitude, latitude]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                let mut position = Position {
                    numbers: [f64::NAN; 2],
                    count: 0,
                };
                while let Some(raw) = seq.next_element::<&'de RawValue>()? {
                    if let Some(number) = position.numbers.get_mut(position.count) {
                        *number = number_of(raw);
                    }
                    position.count += 1;
                }
                Ok(position)
            }
        }
        deserializer.deserialize_seq(PositionVisitor)
    }
}

/// A coordinate as a number (NaN when it is not one).
fn number_of(raw: &RawValue) -> f64 {
    let text = raw.get();
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    text.trim().parse().unwrap_or(f64::NAN)
}

/// Where a feature is: `Ok(None)` for no geometry (null, or empty), an error saying what is
/// wrong with it.
pub(super) fn place_of(geometry: Option<&RawValue>) -> Result<Option<Placed>, String> {
    let Some(raw) = geometry else {
        return Ok(None);
    };
    let head: GeometryHead<'_> = serde_json::from_str(raw.get())
        .map_err(|error| format!("the geometry cannot be read ({error})"))?;
    match head.kind.0.as_ref() {
        "Point" => {
            let Some(coordinates) = head.coordinates else {
                return Ok(None);
            };
            let position: Position = serde_json::from_str(coordinates.get())
                .map_err(|error| format!("the Point's coordinates cannot be read ({error})"))?;
            match position.count {
                0 => Ok(None),
                1 => Err("a Point needs [longitude, latitude]".to_owned()),
                _ => {
                    let [lon, lat] = position.numbers;
                    geometry::place(vec![Part::Point(LonLat::new(lon, lat))])
                }
            }
        }
        kind if is_geometry_type(kind) => {
            let mut parts = Vec::new();
            parts_of(raw, &mut parts, 0)
                .map_err(|error| format!("the {kind} cannot be read ({error})"))?;
            geometry::place(parts)
        }
        other => Err(format!("\"{other}\" is not a GeoJSON geometry type")),
    }
}

/// A position in a line or a ring: numbers only, each read by `str::parse` (which rounds
/// correctly: a coordinate written in its shortest form reads back as the same `f64`).
struct Coordinate(LonLat);

impl<'de> Deserialize<'de> for Coordinate {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let numbers: Vec<&'de RawValue> = Deserialize::deserialize(deserializer)?;
        let number = |raw: Option<&&RawValue>| -> Result<f64, D::Error> {
            let raw =
                raw.ok_or_else(|| de::Error::custom("a position needs [longitude, latitude]"))?;
            let text = raw.get();
            match text.as_bytes().first() {
                Some(b'-' | b'0'..=b'9') => text
                    .parse()
                    .map_err(|_| de::Error::custom(format!("{text} is not a number"))),
                _ => Err(de::Error::custom(format!("{text} is not a number"))),
            }
        };
        Ok(Coordinate(LonLat::new(
            number(numbers.first())?,
            number(numbers.get(1))?,
        )))
    }
}

/// How deep GeometryCollections may nest.
const MAX_NESTING: usize = 16;

/// The pieces of a GeoJSON geometry (other than a lone Point, read on its own).
fn parts_of(raw: &RawValue, parts: &mut Vec<Part>, depth: usize) -> Result<(), String> {
    #[derive(Deserialize)]
    struct Geometry<'a> {
        #[serde(rename = "type", borrow)]
        kind: Key<'a>,
        #[serde(borrow, default)]
        coordinates: Option<&'a RawValue>,
        #[serde(borrow, default)]
        geometries: Option<Vec<&'a RawValue>>,
    }
    fn read<'a, T: Deserialize<'a>>(raw: Option<&'a RawValue>) -> Result<T, String> {
        let raw = raw.ok_or("it has no coordinates")?;
        serde_json::from_str(raw.get()).map_err(|error| error.to_string())
    }
    type Line = Vec<Coordinate>;
    let line = |line: Line| line.into_iter().map(|c| c.0).collect::<Vec<_>>();
    let polygon = |rings: Vec<Line>| Part::Polygon(rings.into_iter().map(line).collect());
    let geometry: Geometry<'_> = serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
    let coordinates = geometry.coordinates;
    match geometry.kind.0.as_ref() {
        "Point" => parts.push(Part::Point(read::<Coordinate>(coordinates)?.0)),
        "MultiPoint" => {
            parts.extend(
                read::<Line>(coordinates)?
                    .into_iter()
                    .map(|c| Part::Point(c.0)),
            );
        }
        "LineString" => parts.push(Part::Line(line(read(coordinates)?))),
        "MultiLineString" => {
            let lines: Vec<Line> = read(coordinates)?;
            parts.extend(lines.into_iter().map(|l| Part::Line(line(l))));
        }
        "Polygon" => parts.push(polygon(read(coordinates)?)),
        "MultiPolygon" => {
            let polygons: Vec<Vec<Line>> = read(coordinates)?;
            parts.extend(polygons.into_iter().map(polygon));
        }
        "GeometryCollection" if depth < MAX_NESTING => {
            for member in geometry.geometries.ok_or("it has no \"geometries\"")? {
                parts_of(member, parts, depth + 1)?;
            }
        }
        "GeometryCollection" => return Err("GeometryCollections nest too deep".to_owned()),
        other => return Err(format!("\"{other}\" is not a GeoJSON geometry type")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).unwrap()
    }

    fn date(json: &str) -> String {
        date_of(&raw(json)).map_or_else(|e| format!("error: {e}"), |(text, _)| text)
    }

    #[test]
    fn dates_are_iso_text_or_numbers_since_1970() {
        assert_eq!(date("1711137480000"), "2024-03-22T19:58:00Z");
        assert_eq!(date("1711137480"), "2024-03-22T19:58:00Z");
        assert_eq!(date("\"1711137480000\""), "2024-03-22T19:58:00Z");
        assert_eq!(date("\"2024-03\""), "2024-03");
        assert_eq!(date("2024"), "2024");
        assert_eq!(date("\"20240322\""), "2024-03-22");
        assert_eq!(date("\"22/03/2024\""), "2024-03-22");
        assert_eq!(date("true"), "error: true is not a date");
        assert!(date("\"soon\"").starts_with("error: 'soon' is not a date"));
    }

    #[test]
    fn intervals_have_open_ends_and_one_date_when_both_ends_agree() {
        let span = |start: Option<&str>, end: Option<&str>| {
            let (start, end) = (start.map(raw), end.map(raw));
            span_of(start.as_deref(), end.as_deref()).map(|dated| dated.map(|(text, _)| text))
        };
        assert_eq!(
            span(Some("\"2024-01\""), Some("\"2024-03-05\"")),
            Ok(Some("2024-01/2024-03-05".to_owned()))
        );
        assert_eq!(
            span(Some("\"2024-01\""), Some("\"..\"")),
            Ok(Some("2024-01/..".to_owned()))
        );
        assert_eq!(
            span(Some("null"), Some("\"2024\"")),
            Ok(Some("../2024".to_owned()))
        );
        assert_eq!(
            span(Some("\"2024-02\""), Some("\"2024-02\"")),
            Ok(Some("2024-02".to_owned()))
        );
        assert_eq!(span(None, Some("\"\"")), Ok(None));
        assert!(span(Some("\"2024\""), Some("\"2023\"")).is_err());
    }

    #[test]
    fn json_fg_time_takes_an_instant_or_an_interval() {
        let time = |json: &str| json_fg_time(&raw(json)).map(|dated| dated.map(|(text, _)| text));
        assert_eq!(
            time(r#"{"interval": ["2014-04-24T10:50:18Z", ".."]}"#),
            Ok(Some("2014-04-24T10:50:18Z/..".to_owned()))
        );
        assert_eq!(
            time(r#"{"date": "2021-09-05"}"#),
            Ok(Some("2021-09-05".to_owned()))
        );
        assert_eq!(time("{}"), Ok(None));
        assert_eq!(
            time(r#"{"interval": ["2014"]}"#),
            Err("a JSON-FG \"interval\" has two ends: [start, end]".to_owned())
        );
        assert!(time("\"2014\"").unwrap_err().contains("is not an object"));
    }

    #[test]
    fn usual_names_are_found_in_any_case_and_chosen_names_exactly() {
        assert_eq!(usual_slot("Title"), Some(slot::TITLE));
        assert_eq!(usual_slot("EVENT_DATE"), Some(slot::EVENT_DATE));
        assert_eq!(usual_slot("description"), Some(slot::DESCRIPTION));
        assert_eq!(usual_slot("a_much_longer_name"), None);
        assert_eq!(usual_slot("dates"), None);
        let names = Names::of(&ImportOptions {
            time: Some("Begin".to_owned()),
            category: Some(" ".to_owned()),
            ..ImportOptions::default()
        });
        assert_eq!(names.slots("Begin"), 1 << slot::CHOSEN_TIME);
        assert_eq!(names.slots("begin"), 0);
        // A blank choice is no choice.
        assert_eq!(names.category, None);
        assert_eq!(
            names.slots("time"),
            1 << slot::TIME,
            "still found, but not used for the date"
        );
    }

    #[test]
    fn a_feature_is_read_in_one_pass_keeping_the_first_of_each_name() {
        let text = r#"{"type": "Feature", "id": 7, "time": null,
            "properties": {"name": "Second", "title": "First", "Title": "Later", "date": null,
                           "when": "2024", "x": {"deep": [1]}},
            "geometry": {"type": "Point", "coordinates": [1, 2]}}"#;
        let names = Names::default();
        let record = parse_feature(text, &names, false).unwrap();
        assert_eq!(record.kind.as_deref(), Some("Feature"));
        assert_eq!(record.id.map(RawValue::get), Some("7"));
        assert!(record.time.is_none());
        let title = first_text(&record.properties, title_slots(&names));
        assert_eq!(title, Some((Cow::Borrowed("First"), slot::TITLE)));
        // A null is as good as absent: `when` gives the date (EDTF, kept as written).
        assert!(matches!(
            time_source(&record, &names),
            TimeSource::Edtf(slot::WHEN)
        ));
        assert!(record.properties.all.is_empty());
        let all = parse_feature(text, &names, true).unwrap();
        let keys: Vec<&str> = all.properties.all.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["name", "title", "Title", "date", "when", "x"]);
    }

    #[test]
    fn points_are_read_from_numbers_strings_and_overflowing_numbers() {
        let place = |json: &str| place_of(Some(&raw(json)));
        assert_eq!(
            place(r#"{"type": "Point", "coordinates": [10.5, -20, 300]}"#)
                .unwrap()
                .map(|p| p.at),
            Some(LonLat::new(10.5, -20.0))
        );
        assert_eq!(
            place(r#"{"type": "Point", "coordinates": ["10.5", "20"]}"#)
                .unwrap()
                .map(|p| p.at),
            Some(LonLat::new(10.5, 20.0))
        );
        assert_eq!(place(r#"{"type": "Point", "coordinates": []}"#), Ok(None));
        assert_eq!(
            place(r#"{"type": "Point", "coordinates": [1]}"#),
            Err("a Point needs [longitude, latitude]".to_owned())
        );
        assert!(
            place(r#"{"type": "Point", "coordinates": [1e999, 0]}"#)
                .unwrap_err()
                .starts_with("longitude inf")
        );
        assert!(
            place(r#"{"type": "LineString", "coordinates": [[1, 2], ["NaN", 3]]}"#)
                .unwrap_err()
                .starts_with("the LineString cannot be read")
        );
        assert_eq!(place_of(None), Ok(None));
    }
}
