//! The fast path for clean files: one typed, borrowing pass with serde, no positions kept.
//!
//! It accepts only files that the positional reader (`json.rs`) would load without a single
//! error or warning, and builds the same dataset. On anything else it returns `None` and the
//! positional reader runs to report every problem with its line and column.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use super::LoadProgress;
use super::json::{PALETTE, assemble, is_region_code, parse_color};
use crate::model::{Category, Dataset, Event, Location, Place, Source, When, index::TimeIndex};

type Text<'a> = Cow<'a, str>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRecord<'a> {
    #[serde(borrow, default)]
    format: Option<Text<'a>>,
    #[serde(borrow, default)]
    title: Option<Text<'a>>,
    #[serde(borrow, default)]
    description: Option<Text<'a>>,
    #[serde(borrow, default)]
    sources: Option<Vec<SourceRecord<'a>>>,
    #[serde(borrow, default)]
    categories: Option<Vec<CategoryRecord<'a>>>,
    #[serde(borrow, default)]
    places: Option<Vec<PlaceRecord<'a>>>,
    #[serde(borrow)]
    events: Vec<EventRecord<'a>>,
    #[serde(rename = "$schema", borrow, default)]
    _schema: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRecord<'a> {
    #[serde(borrow)]
    title: Text<'a>,
    #[serde(borrow, default)]
    url: Option<Text<'a>>,
    #[serde(borrow, default)]
    publisher: Option<Text<'a>>,
    #[serde(borrow, default)]
    date: Option<Text<'a>>,
    #[serde(borrow, default)]
    quote: Option<Text<'a>>,
    #[serde(borrow, default)]
    note: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryRecord<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow, default)]
    label: Option<Text<'a>>,
    #[serde(borrow, default)]
    color: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceRecord<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    name: Text<'a>,
    lat: f64,
    lon: f64,
    #[serde(borrow, default)]
    region: Option<Text<'a>>,
    #[serde(borrow, default)]
    note: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkRecord<'a> {
    #[serde(borrow)]
    to: Text<'a>,
    #[serde(borrow, default)]
    kind: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventRecord<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    title: Text<'a>,
    #[serde(borrow)]
    when: Text<'a>,
    #[serde(rename = "where", borrow, default)]
    place: Option<WhereRecord<'a>>,
    #[serde(borrow, default)]
    category: Option<Text<'a>>,
    #[serde(borrow, default)]
    actors: Option<Vec<Text<'a>>>,
    #[serde(borrow, default)]
    summary: Option<Text<'a>>,
    #[serde(borrow, default)]
    sources: Option<Vec<SourceRecord<'a>>>,
    #[serde(borrow, default)]
    links: Option<Vec<LinkRecord<'a>>>,
    #[serde(borrow, default)]
    date_note: Option<Text<'a>>,
}

/// `where`: a place id, or an object with `lat`/`lon`/`name`/`region`.
enum WhereRecord<'a> {
    Place(Text<'a>),
    Object {
        lat: Option<f64>,
        lon: Option<f64>,
        name: Option<Text<'a>>,
        region: Option<Text<'a>>,
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
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "lat" => lat = map.next_value::<Option<f64>>()?,
                        "lon" => lon = map.next_value::<Option<f64>>()?,
                        "name" => name = map.next_value::<Option<Cow<'de, str>>>()?,
                        "region" => region = map.next_value::<Option<Cow<'de, str>>>()?,
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["lat", "lon", "name", "region"],
                            ));
                        }
                    }
                }
                Ok(WhereRecord::Object {
                    lat,
                    lon,
                    name,
                    region,
                })
            }
        }
        deserializer.deserialize_any(WhereVisitor)
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_owned())
}

fn owned(text: Option<Text<'_>>) -> Option<String> {
    text.map(Cow::into_owned)
}

fn source(record: SourceRecord<'_>) -> Option<Source> {
    let title = non_empty(&record.title)?;
    if let Some(url) = &record.url
        && !url.starts_with("https://")
    {
        return None; // a warning in the positional reader
    }
    if let Some(date) = &record.date
        && When::parse(date).is_err()
    {
        return None;
    }
    Some(Source {
        title,
        url: owned(record.url),
        publisher: owned(record.publisher),
        date: owned(record.date),
        quote: owned(record.quote),
        note: owned(record.note),
    })
}

fn sources(records: Option<Vec<SourceRecord<'_>>>) -> Option<Vec<Source>> {
    records
        .unwrap_or_default()
        .into_iter()
        .map(source)
        .collect()
}

fn valid_lat_lon(lat: f64, lon: f64) -> bool {
    (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}

/// Loads a clean file in one typed pass, or returns `None` (see the module docs).
pub fn parse_clean(text: &str, progress: &LoadProgress) -> Option<Dataset> {
    let file: FileRecord<'_> = serde_json::from_str(text).ok()?;
    if file.format.as_deref().is_some_and(|f| f != "event-atlas/1") {
        return None;
    }
    // A missing title is a warning: let the positional reader say so.
    let title = non_empty(file.title.as_deref()?)?;
    let dataset_sources = sources(file.sources)?;
    let declared_categories = file.categories.is_some();
    let mut categories: Vec<Category> = Vec::new();
    for record in file.categories.unwrap_or_default() {
        let id = non_empty(&record.id)?;
        if categories.iter().any(|c| c.id == id) {
            return None;
        }
        let fallback = PALETTE.get(categories.len() % PALETTE.len()).copied()?;
        let color = match record.color {
            Some(text) => parse_color(&text)?,
            None => fallback,
        };
        let label = owned(record.label).unwrap_or_else(|| id.clone());
        categories.push(Category { id, label, color });
    }
    let mut places: Vec<Place> = Vec::new();
    for record in file.places.unwrap_or_default() {
        let id = non_empty(&record.id)?;
        let name = non_empty(&record.name)?;
        if !valid_lat_lon(record.lat, record.lon) || places.iter().any(|p| p.id == id) {
            return None;
        }
        if record.region.as_deref().is_some_and(|r| !is_region_code(r)) {
            return None;
        }
        places.push(Place {
            id,
            name,
            lat: record.lat,
            lon: record.lon,
            region: owned(record.region),
            note: owned(record.note),
        });
    }
    let place_index: HashMap<&str, usize> = places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut category_index: HashMap<String, usize> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    let total = file.events.len();
    // Ids borrow from the text where they can: no allocation per event for the check.
    let mut ids: HashSet<Text<'_>> = HashSet::with_capacity(total);
    let mut pending: Vec<(Event, Vec<(String, String)>)> = Vec::with_capacity(total);
    for (number, record) in file.events.into_iter().enumerate() {
        if number % 16_384 == 0 {
            if progress.is_cancelled() {
                return None;
            }
            progress.set_fraction(0.5 + 0.4 * number as f64 / total.max(1) as f64);
        }
        if record.id.trim().is_empty() || !ids.insert(record.id.clone()) {
            return None;
        }
        let id = record.id.into_owned();
        let title = non_empty(&record.title)?;
        let when_text = non_empty(&record.when)?;
        let when = When::parse(&when_text).ok()?;
        let location = match record.place {
            None => Location::Unknown,
            Some(WhereRecord::Place(place)) => {
                let place = places.get(*place_index.get(place.as_ref())?)?;
                Location::Point {
                    lat: place.lat,
                    lon: place.lon,
                    name: Some(place.name.clone()),
                    place_id: Some(place.id.clone()),
                    region: place.region.clone(),
                }
            }
            Some(WhereRecord::Object {
                lat,
                lon,
                name,
                region,
            }) => {
                if region.as_deref().is_some_and(|r| !is_region_code(r)) {
                    return None;
                }
                match (lat, lon, region) {
                    (Some(lat), Some(lon), region) if valid_lat_lon(lat, lon) => Location::Point {
                        lat,
                        lon,
                        name: owned(name),
                        place_id: None,
                        region: owned(region),
                    },
                    (None, None, Some(code)) => Location::Region {
                        code: code.into_owned(),
                        name: owned(name),
                    },
                    _ => return None,
                }
            }
        };
        let category = match record.category {
            None => None,
            Some(name) => match category_index.get(name.as_ref()) {
                Some(&position) => Some(position),
                None if declared_categories => return None,
                None => {
                    let color = PALETTE.get(categories.len() % PALETTE.len()).copied()?;
                    let name = name.into_owned();
                    categories.push(Category {
                        id: name.clone(),
                        label: name.clone(),
                        color,
                    });
                    category_index.insert(name, categories.len() - 1);
                    Some(categories.len() - 1)
                }
            },
        };
        let mut links = Vec::new();
        for link in record.links.unwrap_or_default() {
            let to = non_empty(&link.to)?;
            let kind = owned(link.kind).unwrap_or_else(|| "related".to_owned());
            links.push((to, kind));
        }
        let span = when.provisional_span();
        pending.push((
            Event {
                id,
                title,
                when_text,
                when,
                span,
                location,
                category,
                actors: record
                    .actors
                    .unwrap_or_default()
                    .into_iter()
                    .map(Cow::into_owned)
                    .collect(),
                summary: owned(record.summary),
                sources: sources(record.sources)?,
                links: Vec::new(),
                date_note: owned(record.date_note),
            },
            links,
        ));
    }
    // Every link must point at an event of the file.
    if pending
        .iter()
        .any(|(_, links)| links.iter().any(|(to, _)| !ids.contains(to.as_str())))
    {
        return None;
    }
    drop(ids);
    let (events, extent) = assemble(pending);
    let time_index = TimeIndex::new(&events);
    Some(Dataset {
        title,
        description: owned(file.description),
        sources: dataset_sources,
        categories,
        places,
        events,
        extent,
        time_index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(text: &str) -> (Option<Dataset>, Dataset) {
        let progress = LoadProgress::default();
        let fast = parse_clean(text, &progress);
        let slow = super::super::json::parse_positional(text, "test.json", &progress)
            .map(|loaded| loaded.dataset)
            .unwrap_or_default();
        (fast, slow)
    }

    #[test]
    fn clean_files_load_the_same_on_both_paths() {
        let crocus = std::str::from_utf8(crate::builtin::CROCUS_JSON).unwrap();
        let (fast, slow) = both(crocus);
        assert_eq!(fast.as_ref(), Some(&slow), "the built-in dataset");
        let mut generated = Vec::new();
        crate::generate::write_dataset(&mut generated, 3000, 9).unwrap();
        let (fast, slow) = both(std::str::from_utf8(&generated).unwrap());
        assert_eq!(fast.as_ref(), Some(&slow), "a generated dataset");
        let with_nulls = r#"{"title": "T", "format": null, "categories": null, "events": [
            {"id": "a", "title": "A", "when": "2024", "actors": null, "links": null, "sources": null,
             "category": "x", "summary": null, "where": {"region": "RU-IN", "name": null}},
            {"id": "b", "title": "B", "when": "../2024-03-07", "links": [{"to": "a", "kind": null}]}
        ]}"#;
        let (fast, slow) = both(with_nulls);
        assert_eq!(
            fast.as_ref(),
            Some(&slow),
            "nulls count as absent on both paths"
        );
    }

    #[test]
    fn anything_the_positional_reader_would_remark_on_is_left_to_it() {
        for text in [
            r#"{"events": []}"#,
            r#"{"title": "T", "events": [], "extra": 1}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "sumary": "x"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024-02-30"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024"}, {"id": "a", "title": "B", "when": "2024"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "links": [{"to": "b"}]}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": {"lat": 91, "lon": 0}}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": "nowhere"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "", "when": "2024"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "sources": [{"title": "S", "url": "http://x"}]}]}"#,
            r#"{"title": "T", "categories": [{"id": "c"}], "events": [{"id": "a", "title": "A", "when": "2024", "category": "d"}]}"#,
            r#"{"title": "T", "title": "U", "events": []}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": {"lat": 1}}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": {"region": "Kaluga"}}]}"#,
        ] {
            assert!(
                parse_clean(text, &LoadProgress::default()).is_none(),
                "{text}"
            );
        }
    }
}
