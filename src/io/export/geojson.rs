//! GeoJSON export (RFC 7946): a FeatureCollection, one feature a line, that GIS software
//! (QGIS, GDAL, kepler.gl) reads and Event Atlas reads back exactly (`docs/formats.md`,
//! "Exporting to GeoJSON").
//!
//! Before the features, foreign members: `"generator": "Event Atlas"` (so that Event Atlas
//! reads its own properties back as it wrote them), the dataset's `title`, `description`,
//! `sources` and `categories` (id, label, colour). Each feature: the event's id, its point or
//! outline (or `null`), and its properties: `title`, `when` (EDTF as written), `start`/`end`
//! (the first and last day, for time sliders), the category with its label and colour (also
//! as simplestyle's `marker-color`), `region`, `place`, `actors`, `summary`, `date_note`,
//! `sources`, `links`, then every imported field as text.
//!
//! Strings are escaped by hand and numbers written in their shortest form that reads back as
//! the same `f64`, straight into the buffer: a million events take about a second.

use std::io;

use super::{EventWriter, ExportEvent};
use crate::io::geojson::profile::{self, GENERATOR};
use crate::io::rules;
use crate::model::{Category, Dataset, LonLat, ShapePart, Source};

pub(super) struct GeoJsonWriter<'a> {
    dataset: &'a Dataset,
    /// Each category's properties, written once here: `"category": …, "category_label": …,
    /// "color": …, "marker-color": …`.
    category_properties: Vec<Vec<u8>>,
}

impl<'a> GeoJsonWriter<'a> {
    pub(super) fn new(dataset: &'a Dataset) -> Self {
        let category_properties = dataset
            .categories
            .iter()
            .map(|category| {
                let mut out = Vec::new();
                let color = rules::color_text(category.color);
                property(&mut out, "category", &category.id);
                property(&mut out, "category_label", &category.label);
                property(&mut out, "color", &color);
                property(&mut out, "marker-color", &color);
                out
            })
            .collect();
        Self {
            dataset,
            category_properties,
        }
    }
}

impl EventWriter for GeoJsonWriter<'_> {
    fn begin(&self, out: &mut Vec<u8>) -> io::Result<()> {
        let dataset = self.dataset;
        out.extend_from_slice(b"{\"type\": \"FeatureCollection\",\n\"generator\": ");
        string(out, GENERATOR);
        out.extend_from_slice(b",\n\"title\": ");
        string(out, &dataset.title);
        if let Some(description) = &dataset.description {
            out.extend_from_slice(b",\n\"description\": ");
            string(out, description);
        }
        if !dataset.sources.is_empty() {
            out.extend_from_slice(b",\n\"sources\": ");
            sources(out, &dataset.sources);
        }
        if !dataset.categories.is_empty() {
            out.extend_from_slice(b",\n\"categories\": [");
            for (index, category) in dataset.categories.iter().enumerate() {
                out.extend_from_slice(if index == 0 { b"\n" } else { b",\n" });
                category_entry(out, category);
            }
            out.extend_from_slice(b"\n]");
        }
        out.extend_from_slice(b",\n\"features\": [");
        Ok(())
    }

    fn event(
        &self,
        out: &mut Vec<u8>,
        position: usize,
        export: &ExportEvent<'_>,
    ) -> io::Result<()> {
        let event = export.event;
        out.extend_from_slice(if position == 0 { b"\n" } else { b",\n" });
        out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
        string(out, event.id());
        out.extend_from_slice(b",\"geometry\":");
        match (export.shape, event.location.point()) {
            (Some(shape), _) if !shape.parts.is_empty() => outline(out, &shape.parts)?,
            (_, Some(at)) => {
                out.extend_from_slice(b"{\"type\":\"Point\",\"coordinates\":");
                position_of(out, at)?;
                out.push(b'}');
            }
            (_, None) => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"properties\":{\"title\":");
        string(out, event.title());
        if !event.is_undated() {
            date_properties(out, event.when_text());
        }
        let category = event.category.and_then(|c| self.category_properties.get(c));
        if let Some(properties) = category {
            out.extend_from_slice(properties);
        }
        detail_properties(out, export);
        out.extend_from_slice(b"}}");
        Ok(())
    }

    fn finish(&self, out: &mut Vec<u8>, count: usize) -> io::Result<()> {
        out.extend_from_slice(if count == 0 { b"]}\n" } else { b"\n]}\n" });
        Ok(())
    }

    fn not_kept(&self) -> Vec<String> {
        super::dataset_parts_not_kept(self.dataset)
    }
}

/// `when` as written, and `start`/`end` as GIS software reads them.
fn date_properties(out: &mut Vec<u8>, when_text: &str) {
    property(out, "when", when_text);
    if let Ok(when) = crate::model::When::parse(when_text) {
        let (start, end) = profile::span_properties(&when);
        if let Some(start) = start {
            property(out, "start", start.as_str());
        }
        if let Some(end) = end {
            property(out, "end", end.as_str());
        }
    }
}

/// The place, the details, the links and the imported fields.
fn detail_properties(out: &mut Vec<u8>, export: &ExportEvent<'_>) {
    let details = &export.details;
    if let Some(region) = export.event.location.region_code() {
        property(out, "region", region);
    }
    if let Some(place) = &details.place_name {
        property(out, "place", place);
    }
    if !details.actors.is_empty() {
        out.extend_from_slice(b",\"actors\":[");
        for (index, actor) in details.actors.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            string(out, actor);
        }
        out.push(b']');
    }
    if let Some(summary) = &details.summary {
        property(out, "summary", summary);
    }
    if let Some(note) = &details.date_note {
        property(out, "date_note", note);
    }
    if !details.sources.is_empty() {
        out.extend_from_slice(b",\"sources\":");
        sources(out, &details.sources);
    }
    if !export.links.is_empty() {
        out.extend_from_slice(b",\"links\":[");
        for (index, &(to, kind)) in export.links.iter().enumerate() {
            out.extend_from_slice(if index == 0 {
                b"{\"to\":"
            } else {
                b",{\"to\":"
            });
            string(out, to);
            out.extend_from_slice(b",\"kind\":");
            string(out, kind);
            out.push(b'}');
        }
        out.push(b']');
    }
    for (name, value) in &details.fields {
        property(out, &profile::property_name(name), value);
    }
}

/// `,"name":"value"`.
fn property(out: &mut Vec<u8>, name: &str, value: &str) {
    out.push(b',');
    string(out, name);
    out.push(b':');
    string(out, value);
}

fn category_entry(out: &mut Vec<u8>, category: &Category) {
    out.extend_from_slice(b"{\"id\":");
    string(out, &category.id);
    property(out, "label", &category.label);
    property(out, "color", &rules::color_text(category.color));
    out.push(b'}');
}

fn sources(out: &mut Vec<u8>, sources: &[Source]) {
    out.push(b'[');
    for (index, source) in sources.iter().enumerate() {
        out.extend_from_slice(if index == 0 {
            b"{\"title\":"
        } else {
            b",{\"title\":"
        });
        string(out, &source.title);
        for (name, value) in [
            ("url", &source.url),
            ("publisher", &source.publisher),
            ("date", &source.date),
            ("quote", &source.quote),
            ("note", &source.note),
        ] {
            if let Some(value) = value {
                property(out, name, value);
            }
        }
        out.push(b'}');
    }
    out.push(b']');
}

/// An event's outline: a LineString or Polygon, Multi* when its parts are all alike, else a
/// GeometryCollection.
fn outline(out: &mut Vec<u8>, parts: &[ShapePart]) -> io::Result<()> {
    let lines = parts
        .iter()
        .filter(|part| matches!(part, ShapePart::Line(_)))
        .count();
    match parts {
        [part] => return geometry(out, part),
        _ if lines == parts.len() => {
            out.extend_from_slice(b"{\"type\":\"MultiLineString\",\"coordinates\":[");
        }
        _ if lines == 0 => out.extend_from_slice(b"{\"type\":\"MultiPolygon\",\"coordinates\":["),
        _ => {
            out.extend_from_slice(b"{\"type\":\"GeometryCollection\",\"geometries\":[");
            for (index, part) in parts.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                geometry(out, part)?;
            }
            out.extend_from_slice(b"]}");
            return Ok(());
        }
    }
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        coordinates(out, part)?;
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// One part as a LineString or a Polygon.
fn geometry(out: &mut Vec<u8>, part: &ShapePart) -> io::Result<()> {
    out.extend_from_slice(match part {
        ShapePart::Line(_) => b"{\"type\":\"LineString\",\"coordinates\":",
        ShapePart::Polygon(_) => b"{\"type\":\"Polygon\",\"coordinates\":",
    });
    coordinates(out, part)?;
    out.push(b'}');
    Ok(())
}

/// A part's coordinates: the positions of a line, the rings of a polygon.
fn coordinates(out: &mut Vec<u8>, part: &ShapePart) -> io::Result<()> {
    match part {
        ShapePart::Line(line) => positions(out, line),
        ShapePart::Polygon(rings) => {
            out.push(b'[');
            for (index, ring) in rings.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                positions(out, ring)?;
            }
            out.push(b']');
            Ok(())
        }
    }
}

fn positions(out: &mut Vec<u8>, line: &[LonLat]) -> io::Result<()> {
    out.push(b'[');
    for (index, &at) in line.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        position_of(out, at)?;
    }
    out.push(b']');
    Ok(())
}

/// `[lon,lat]`, each in its shortest form that reads back as the same number.
fn position_of(out: &mut Vec<u8>, at: LonLat) -> io::Result<()> {
    out.push(b'[');
    number(out, at.lon)?;
    out.push(b',');
    number(out, at.lat)?;
    out.push(b']');
    Ok(())
}

fn number(out: &mut Vec<u8>, value: f64) -> io::Result<()> {
    if !value.is_finite() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{value} cannot be written as a GeoJSON coordinate"),
        ));
    }
    serde_json::to_writer(out, &value).map_err(io::Error::from)
}

/// `text` as a JSON string: quotes, backslashes and control characters escaped, everything
/// else as it is (UTF-8).
fn string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let escaped: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1F => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xF)],
            ],
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..at).unwrap_or_default());
        out.extend_from_slice(escaped);
        start = at + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> String {
        let mut out = Vec::new();
        string(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for text in [
            "plain",
            "",
            "quote \" and \\ backslash",
            "lines\nand\r\ttabs",
            "control \u{1} \u{1f} \u{7f}",
            "Ünïcödé — «ok» 🚀 \u{2028}",
        ] {
            assert_eq!(json(text), serde_json::to_string(text).unwrap(), "{text:?}");
            let back: String = serde_json::from_str(&json(text)).unwrap();
            assert_eq!(back, text);
        }
    }

    #[test]
    fn outlines_are_one_geometry_multi_when_alike_and_a_collection_when_mixed() {
        let line = ShapePart::Line(vec![LonLat::new(0.0, 0.0), LonLat::new(1.5, 2.0)]);
        let area = ShapePart::Polygon(vec![vec![
            LonLat::new(0.0, 0.0),
            LonLat::new(1.0, 0.0),
            LonLat::new(1.0, 1.0),
            LonLat::new(0.0, 0.0),
        ]]);
        let written = |parts: &[ShapePart]| {
            let mut out = Vec::new();
            outline(&mut out, parts).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            written(std::slice::from_ref(&line)),
            r#"{"type":"LineString","coordinates":[[0.0,0.0],[1.5,2.0]]}"#
        );
        assert_eq!(
            written(&[line.clone(), line.clone()]),
            r#"{"type":"MultiLineString","coordinates":[[[0.0,0.0],[1.5,2.0]],[[0.0,0.0],[1.5,2.0]]]}"#
        );
        assert!(written(&[area.clone(), area.clone()]).starts_with(
            r#"{"type":"MultiPolygon","coordinates":[[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,0.0]]],"#
        ));
        assert!(
            written(&[line, area])
                .starts_with(r#"{"type":"GeometryCollection","geometries":[{"type":"LineString""#)
        );
    }
}
