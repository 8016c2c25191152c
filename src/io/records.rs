//! The records of the Event Atlas JSON format as serde reads them, borrowing from the bytes.
//!
//! Each record denies unknown fields: a record that does not deserialize is one the positional
//! reader would remark on. The streaming reader (`fast.rs`) and the detail readers
//! (`details.rs`) read these.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use super::assemble::{Categories, FindPlace};
use super::diagnostic::Diagnostic;
use super::rules;
use crate::model::{Event, EventDetails, Place, Source};

/// Text borrowed from the bytes, or owned when it had escapes.
pub(super) type Text<'a> = Cow<'a, str>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceRecord<'a> {
    #[serde(borrow)]
    pub(super) title: Text<'a>,
    #[serde(borrow, default)]
    pub(super) url: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) publisher: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) date: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) quote: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) note: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CategoryRecord<'a> {
    #[serde(borrow)]
    pub(super) id: Text<'a>,
    #[serde(borrow, default)]
    pub(super) label: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) color: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlaceRecord<'a> {
    #[serde(borrow)]
    pub(super) id: Text<'a>,
    #[serde(borrow)]
    pub(super) name: Text<'a>,
    pub(super) lat: f64,
    pub(super) lon: f64,
    #[serde(borrow, default)]
    pub(super) region: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) precision: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) note: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LinkRecord<'a> {
    #[serde(borrow)]
    pub(super) to: Text<'a>,
    #[serde(borrow, default)]
    pub(super) kind: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventRecord<'a> {
    #[serde(borrow)]
    pub(super) id: Text<'a>,
    #[serde(borrow)]
    pub(super) title: Text<'a>,
    #[serde(borrow)]
    pub(super) when: Text<'a>,
    #[serde(rename = "where", borrow, default)]
    pub(super) place: Option<WhereRecord<'a>>,
    #[serde(borrow, default)]
    pub(super) category: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) actors: Option<Vec<Text<'a>>>,
    #[serde(borrow, default)]
    pub(super) summary: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) sources: Option<Vec<SourceRecord<'a>>>,
    #[serde(borrow, default)]
    pub(super) links: Option<Vec<LinkRecord<'a>>>,
    #[serde(borrow, default)]
    pub(super) date_note: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) fields: Option<FieldsRecord<'a>>,
}

/// What of an event record decides a table's columns, read without keeping anything else.
#[derive(Deserialize)]
pub(super) struct LayoutRecord<'a> {
    #[serde(borrow)]
    pub(super) id: Text<'a>,
    #[serde(rename = "where", borrow, default)]
    pub(super) place: Option<WhereRecord<'a>>,
    #[serde(default)]
    pub(super) sources: Option<Vec<de::IgnoredAny>>,
    #[serde(borrow, default)]
    pub(super) fields: Option<FieldsRecord<'a>>,
}

/// `fields`: an object of texts, in the file's order (imported columns and properties).
#[derive(Debug, Default, PartialEq)]
pub(super) struct FieldsRecord<'a>(pub(super) Vec<(Text<'a>, Text<'a>)>);

impl<'de: 'a, 'a> Deserialize<'de> for FieldsRecord<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A name written twice is not clean: the positional reader warns about it.
        deserializer.deserialize_map(FieldsVisitor { strict: true })
    }
}

/// `fields` as the positional reader takes it: a name written twice keeps its first place and
/// its last value (the reader warns about it).
pub(super) fn fields_last_wins(text: &str) -> serde_json::Result<Vec<(String, String)>> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let record =
        de::Deserializer::deserialize_map(&mut deserializer, FieldsVisitor { strict: false })?;
    deserializer.end()?;
    Ok(record.into_owned())
}

struct FieldsVisitor {
    /// Whether a name written twice is an error (else the last value is kept).
    strict: bool,
}

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = FieldsRecord<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object whose values are texts")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut fields: Vec<(Cow<'de, str>, Cow<'de, str>)> = Vec::new();
        // Names seen, by place: looked up in the list while it is short (no allocation for
        // the usual handful of fields), in a map past that.
        let mut places: Option<std::collections::HashMap<Cow<'de, str>, usize>> = None;
        while let Some(name) = map.next_key::<Cow<'de, str>>()? {
            let value = map.next_value::<Cow<'de, str>>()?;
            let earlier = match &places {
                Some(places) => places.get(&name).copied(),
                None => fields.iter().position(|(seen, _)| *seen == name),
            };
            match earlier {
                Some(_) if self.strict => return Err(de::Error::duplicate_field("a field name")),
                Some(at) => {
                    if let Some(field) = fields.get_mut(at) {
                        *field = (name, value);
                    }
                }
                None => {
                    if let Some(places) = &mut places {
                        places.insert(name.clone(), fields.len());
                    } else if fields.len() >= 16 {
                        let mut map: std::collections::HashMap<_, _> = fields
                            .iter()
                            .enumerate()
                            .map(|(at, (seen, _))| (seen.clone(), at))
                            .collect();
                        map.insert(name.clone(), fields.len());
                        places = Some(map);
                    }
                    fields.push((name, value));
                }
            }
        }
        Ok(FieldsRecord(fields))
    }
}

impl FieldsRecord<'_> {
    /// Owned `(name, value)` pairs, as [`EventDetails::fields`] keeps them.
    pub(super) fn into_owned(self) -> Vec<(String, String)> {
        self.0
            .into_iter()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect()
    }
}

/// `where`: a place id, or an object with `lat`/`lon`/`name`/`region`/`precision`.
pub(super) enum WhereRecord<'a> {
    Place(Text<'a>),
    Object {
        lat: Option<f64>,
        lon: Option<f64>,
        name: Option<Text<'a>>,
        region: Option<Text<'a>>,
        precision: Option<Text<'a>>,
    },
}

impl<'de: 'a, 'a> Deserialize<'de> for WhereRecord<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WhereVisitor;
        impl<'de> Visitor<'de> for WhereVisitor {
            type Value = WhereRecord<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a place id or a {lat, lon} / {region} object")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(WhereRecord::Place(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(WhereRecord::Place(Cow::Owned(v.to_owned())))
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let (mut lat, mut lon, mut name, mut region) = (None, None, None, None);
                let mut precision = None;
                // One bit per known key (no allocation on the fast path).
                let mut seen = 0u8;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    let bit = match key.as_ref() {
                        "lat" => 1,
                        "lon" => 2,
                        "name" => 4,
                        "region" => 8,
                        "precision" => 16,
                        _ => 0,
                    };
                    // A key written twice: the positional reader warns about it.
                    if seen & bit != 0 {
                        return Err(de::Error::duplicate_field("a key"));
                    }
                    seen |= bit;
                    match key.as_ref() {
                        "lat" => lat = map.next_value::<Option<f64>>()?,
                        "lon" => lon = map.next_value::<Option<f64>>()?,
                        "name" => name = map.next_value::<Option<Cow<'de, str>>>()?,
                        "region" => region = map.next_value::<Option<Cow<'de, str>>>()?,
                        "precision" => {
                            precision = map.next_value::<Option<Cow<'de, str>>>()?;
                        }
                        other => {
                            return Err(de::Error::unknown_field(other, rules::WHERE_FIELDS));
                        }
                    }
                }
                Ok(WhereRecord::Object {
                    lat,
                    lon,
                    name,
                    region,
                    precision,
                })
            }
        }
        deserializer.deserialize_any(WhereVisitor)
    }
}

/// The text, if it passes [`rules::required`].
pub(super) fn non_empty(text: &str) -> Option<String> {
    rules::required(text).is_ok().then(|| text.to_owned())
}

/// An owned copy of optional text.
pub(super) fn owned(text: Option<Text<'_>>) -> Option<String> {
    text.map(Cow::into_owned)
}

/// Whether the positional reader would take this source without a remark.
pub(super) fn source_is_clean(record: &SourceRecord<'_>) -> bool {
    rules::required(&record.title).is_ok()
        && record
            .url
            .as_ref()
            .is_none_or(|url| rules::source_url(url).is_ok())
        && record
            .date
            .as_ref()
            .is_none_or(|date| rules::date(date).is_ok())
}

/// The source a clean record describes.
pub(super) fn source(record: SourceRecord<'_>) -> Source {
    Source {
        title: record.title.into_owned(),
        url: owned(record.url),
        publisher: owned(record.publisher),
        date: owned(record.date),
        quote: owned(record.quote),
        note: owned(record.note),
    }
}

/// The parts of a (clean) event record shown only on demand.
pub(super) fn details_of(record: EventRecord<'_>, places: &[Place]) -> EventDetails {
    let (place_name, place_id) = match record.place {
        Some(WhereRecord::Place(id)) => match places.iter().find(|p| p.id == id) {
            Some(place) => (Some(place.name.clone()), Some(place.id.clone())),
            None => (None, Some(id.into_owned())),
        },
        Some(WhereRecord::Object { name, .. }) => (owned(name), None),
        None => (None, None),
    };
    EventDetails {
        place_name,
        place_id,
        // An absent list is an empty one.
        actors: record
            .actors
            .into_iter()
            .flatten()
            .map(Cow::into_owned)
            .collect(),
        summary: owned(record.summary),
        sources: record.sources.into_iter().flatten().map(source).collect(),
        date_note: owned(record.date_note),
        fields: record
            .fields
            .map(FieldsRecord::into_owned)
            .unwrap_or_default(),
    }
}

/// One event record read on its own by the positional reader, for the streaming reader: the
/// event and its details if it is valid, its links as `(target id, kind)`, and what was
/// remarked, with positions relative to the record's first byte.
pub(super) struct LenientEvent {
    pub event: Option<(Event, EventDetails)>,
    pub links: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one event record (text, file name, index in the file) as the positional reader does;
/// `None` when the text is not one JSON value. The streaming reader is handed this for the
/// records it does not take itself.
pub(super) type ReadEvent =
    fn(&str, &str, usize, &dyn FindPlace, &mut Categories) -> Option<LenientEvent>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_name_written_twice_is_unclean_and_then_read_last_wins_in_first_place() {
        for count in [3, 40] {
            // Names f0..f(count-1), then f1 again: the list and the map lookups alike.
            let mut pairs: Vec<String> = (0..count).map(|i| format!(r#""f{i}":"v{i}""#)).collect();
            pairs.push(r#""f1":"again""#.to_owned());
            let text = format!("{{{}}}", pairs.join(","));
            assert!(serde_json::from_str::<FieldsRecord<'_>>(&text).is_err());
            let fields = fields_last_wins(&text).unwrap();
            assert_eq!(fields.len(), count);
            assert_eq!(fields[1], ("f1".to_owned(), "again".to_owned()));
            assert_eq!(fields[0], ("f0".to_owned(), "v0".to_owned()));
        }
        let clean = r#"{"a":"1","b":"2"}"#;
        assert_eq!(
            serde_json::from_str::<FieldsRecord<'_>>(clean)
                .unwrap()
                .0
                .len(),
            2
        );
    }

    #[test]
    fn a_where_key_written_twice_is_unclean() {
        let twice = r#"{"lat":1,"lon":2,"lat":3}"#;
        assert!(serde_json::from_str::<WhereRecord<'_>>(twice).is_err());
        let once = r#"{"lat":1,"lon":2,"name":"x"}"#;
        assert!(serde_json::from_str::<WhereRecord<'_>>(once).is_ok());
    }
}
