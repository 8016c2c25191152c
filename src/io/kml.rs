//! KML 2.2 (Google Earth, My Maps, Location History) and KMZ (zipped KML): every Placemark,
//! wherever it is (Document, nested Folders).
//!
//! Of a Placemark: `name` (the title), `description` (HTML, as text), `address`,
//! `TimeStamp/when` or `TimeSpan/begin`/`end` (kml:dateTimeType: the form gives the precision;
//! a missing end is open), `ExtendedData` (`Data`/`value` and `SchemaData`/`SimpleData`, as
//! fields), and its geometry: a Point, or lines, rings, polygons, MultiGeometry and `gx:Track`
//! placed at their centroid with their outline kept. The innermost named Folder is the
//! category. A Placemark without a time is an undated event (on the map, not the timeline).
//! Styles are ignored. A Document Event Atlas wrote (its `generator` Data) is read as it was
//! written: [`profile`].
//!
//! Nothing is fetched and no entity is expanded: a DOCTYPE is skipped, and a reference to an
//! entity it declares stays as written (`&name;`).

use std::borrow::Cow;
use std::path::Path;

use quick_xml::events::{BytesStart, Event as XmlEvent};

use super::dates;
use super::geometry::{self, Part, Placed};
use super::import::{ImportOptions, Importer, Row, SkipReason, title_from_file};
use super::text::html_to_text;
use super::{LoadError, LoadProgress, Loaded, io_error, read_whole};
use crate::model::{EventDetails, LonLat};
use profile::OwnData;

pub(in crate::io) mod profile;

/// The most a KMZ's KML may unpack to: more is refused (a "zip bomb" guard). 256 MB of KML is
/// about a million placemarks; the unpacked text is read whole, so the limit bounds memory.
pub(super) const KMZ_LIMIT: u64 = 256 << 20;

/// Reads KML (or KMZ, by its first bytes) from its bytes.
pub(super) fn read_bytes(
    bytes: &[u8],
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    if bytes.starts_with(b"PK") {
        let kml = kmz_document(bytes, KMZ_LIMIT)
            .map_err(|message| LoadError::whole_file(file, None, message))?;
        return read_kml(&kml, file, "KMZ", options, progress);
    }
    read_kml(bytes, file, "KML", options, progress)
}

/// Reads a KML or KMZ file.
pub(super) fn read_path(
    path: &Path,
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let bytes = read_whole(path, progress, 0.3).map_err(|e| io_error(file, progress, &e))?;
    read_bytes(&bytes, file, options, progress)
}

/// The first `.kml` entry of a KMZ archive, refused if it unpacks to more than `limit` bytes.
pub(super) fn kmz_document(bytes: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|error| format!("this KMZ is not a readable ZIP archive ({error})"))?;
    let index = (0..archive.len())
        .find(|&index| {
            archive
                .name_for_index(index)
                .and_then(Result::ok)
                .is_some_and(|name| name.to_ascii_lowercase().ends_with(".kml"))
        })
        .ok_or("this KMZ holds no .kml document")?;
    let mut entry = archive
        .by_index(index)
        .map_err(|error| format!("the KMZ's document cannot be read ({error})"))?;
    let name = entry.name().map(Cow::into_owned).unwrap_or_default();
    let too_big = |size: u64| {
        format!(
            "{name} in this KMZ unpacks to {}, over the limit of {}: it is refused (it may be a zip bomb)",
            size_in_words(size),
            size_in_words(limit)
        )
    };
    if entry.size() > limit {
        return Err(too_big(entry.size()));
    }
    let mut document = Vec::new();
    (&mut entry)
        .take(limit + 1)
        .read_to_end(&mut document)
        .map_err(|error| format!("{name} in this KMZ cannot be unpacked ({error})"))?;
    // The size declared in the archive can lie: stop past the limit whatever it says.
    if document.len() as u64 > limit {
        return Err(too_big(document.len() as u64));
    }
    Ok(document)
}

/// A size for a message: `12 MB`, or `700 bytes` below a megabyte.
fn size_in_words(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// The document's text: UTF-8, or the encoding its XML declaration names.
fn document_text(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    let head = String::from_utf8_lossy(bytes.get(..200).unwrap_or(bytes));
    let label = head
        .split_once("encoding=")
        .and_then(|(_, rest)| rest.get(1..))
        .and_then(|rest| rest.split(['"', '\'']).next())
        .unwrap_or("windows-1252");
    let encoding =
        encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252);
    let (text, _, _) = encoding.decode(bytes);
    text
}

/// Reads a KML document's placemarks into events.
fn read_kml(
    bytes: &[u8],
    file: &str,
    format: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let text = document_text(bytes);
    let mut reader = quick_xml::Reader::from_str(&text);
    reader.config_mut().expand_empty_elements = true;
    let mut kml = KmlReader::new(file, format, options);
    for count in 0usize.. {
        let event = reader.read_event().map_err(|error| {
            let offset = usize::try_from(reader.error_position()).unwrap_or(0);
            let line = kml.lines.line_of(&text, offset);
            LoadError::whole_file(
                file,
                Some(line),
                format!("this is not well-formed XML: {error}"),
            )
        })?;
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(0);
        match event {
            XmlEvent::Start(start) => kml.start(&start, &text, offset),
            XmlEvent::End(_) => kml.end(),
            XmlEvent::Text(part) => kml.text(&part.xml10_content()),
            XmlEvent::CData(part) => kml.kept_text(&part.xml10_content()),
            XmlEvent::GeneralRef(reference) => kml.reference(&reference),
            XmlEvent::DocType(doctype) if doctype.contains("<!ENTITY") => kml.entities_ignored(),
            XmlEvent::Eof => break,
            _ => {}
        }
        if count % 65_536 == 65_535 {
            if progress.is_cancelled() {
                return Err(LoadError::Cancelled {
                    file: file.to_owned(),
                });
            }
            progress.set_fraction(0.3 + 0.6 * offset as f64 / text.len().max(1) as f64);
        }
    }
    let title = kml
        .document_name
        .take()
        .unwrap_or_else(|| title_from_file(file));
    let description = kml
        .document_description
        .take()
        .map(|text| kml.summary_of(text));
    let sources = std::mem::take(&mut kml.document_sources);
    kml.importer.finish(title, description, sources)
}

/// The elements that matter (by local name: `gx:Track` is `Track`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Document,
    Folder,
    Placemark,
    Name,
    Description,
    Address,
    TimeStamp,
    When,
    TimeSpan,
    Begin,
    End,
    ExtendedData,
    Data,
    Value,
    SimpleData,
    Point,
    LineString,
    LinearRing,
    Polygon,
    OuterBoundaryIs,
    InnerBoundaryIs,
    Coordinates,
    Track,
    Coord,
    Other,
}

fn tag_of(local_name: &[u8]) -> Tag {
    match local_name {
        b"Document" => Tag::Document,
        b"Folder" => Tag::Folder,
        b"Placemark" => Tag::Placemark,
        b"name" => Tag::Name,
        b"description" => Tag::Description,
        b"address" => Tag::Address,
        b"TimeStamp" => Tag::TimeStamp,
        b"when" => Tag::When,
        b"TimeSpan" => Tag::TimeSpan,
        b"begin" => Tag::Begin,
        b"end" => Tag::End,
        b"ExtendedData" => Tag::ExtendedData,
        b"Data" => Tag::Data,
        b"value" => Tag::Value,
        b"SimpleData" => Tag::SimpleData,
        b"Point" => Tag::Point,
        b"LineString" => Tag::LineString,
        b"LinearRing" => Tag::LinearRing,
        b"Polygon" => Tag::Polygon,
        b"outerBoundaryIs" => Tag::OuterBoundaryIs,
        b"innerBoundaryIs" => Tag::InnerBoundaryIs,
        b"coordinates" => Tag::Coordinates,
        b"Track" => Tag::Track,
        b"coord" => Tag::Coord,
        _ => Tag::Other,
    }
}

/// Line numbers of byte offsets, counted forward from the last one asked for.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    /// The 1-based line of `offset` in `text`.
    fn line_of(&mut self, text: &str, offset: usize) -> usize {
        if offset < self.offset {
            *self = LineCounter::default();
        }
        let between = text.as_bytes().get(self.offset..offset.min(text.len()));
        self.line += between.map_or(0, |b| b.iter().filter(|&&b| b == b'\n').count());
        self.offset = offset.min(text.len()).max(self.offset);
        self.line + 1
    }
}

/// What one Placemark says, gathered as its elements close.
#[derive(Debug, Default)]
struct Placemark {
    number: usize,
    line: usize,
    id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    address: Option<String>,
    when: Option<String>,
    begin: Option<String>,
    end: Option<String>,
    fields: Vec<(String, String)>,
    parts: Vec<Part>,
    /// The rings of the Polygon being read, the outer first.
    rings: Vec<Vec<LonLat>>,
    /// The positions of the `gx:Track` being read.
    track: Vec<LonLat>,
    /// Coordinates that are not numbers.
    bad_coordinates: Option<String>,
}

/// Reads the elements of a KML document as they open and close.
struct KmlReader {
    importer: Importer,
    /// The elements open, outermost first.
    stack: Vec<Tag>,
    /// How many of them are descriptions (counted, not searched for: a document nested
    /// 100,000 deep would take the square of that).
    descriptions_open: usize,
    /// The text of the element being read.
    text: String,
    /// The names of the Folders open (`None`: no name yet), outermost first.
    folders: Vec<Option<String>>,
    /// The `name` of the ExtendedData field being read.
    field_name: Option<String>,
    placemark: Option<Placemark>,
    placemarks: usize,
    document_name: Option<String>,
    /// As written (HTML, or plain text in a file Event Atlas wrote).
    document_description: Option<String>,
    /// The Document's own ExtendedData fields.
    document_data: Vec<(String, String)>,
    /// The dataset's sources, in a file Event Atlas wrote.
    document_sources: Vec<crate::model::Source>,
    /// The Document's ExtendedData says Event Atlas wrote the file: its own Data names are
    /// read as it writes them.
    by_event_atlas: bool,
    /// The ExtendedData field the user chose as the category.
    category_field: Option<String>,
    lines: LineCounter,
    entities_warned: bool,
    /// The part of [`KmlReader::text`] from character references and CDATA sections: blank
    /// space there is the text's own, never trimmed.
    kept: Option<(usize, usize)>,
}

impl KmlReader {
    fn new(file: &str, format: &str, options: &ImportOptions) -> Self {
        Self {
            importer: Importer::new(file, format, "placemark"),
            stack: Vec::new(),
            descriptions_open: 0,
            text: String::new(),
            folders: Vec::new(),
            field_name: None,
            placemark: None,
            placemarks: 0,
            document_name: None,
            document_description: None,
            document_data: Vec::new(),
            document_sources: Vec::new(),
            by_event_atlas: false,
            kept: None,
            category_field: options.category.clone().filter(|c| !c.trim().is_empty()),
            lines: LineCounter::default(),
            entities_warned: false,
        }
    }

    fn start(&mut self, start: &BytesStart<'_>, text: &str, offset: usize) {
        let tag = tag_of(start.local_name().as_ref().as_bytes());
        // A description may hold markup of its own (XHTML): its text is gathered whole.
        if self.descriptions_open == 0 {
            self.text.clear();
            self.kept = None;
        }
        self.stack.push(tag);
        self.descriptions_open += usize::from(tag == Tag::Description);
        match tag {
            Tag::Folder => self.folders.push(None),
            Tag::Placemark => {
                self.placemarks += 1;
                self.placemark = Some(Placemark {
                    number: self.placemarks,
                    line: self.lines.line_of(text, offset),
                    id: attribute(start, "id"),
                    ..Placemark::default()
                });
            }
            Tag::Data | Tag::SimpleData => self.field_name = attribute(start, "name"),
            _ => {}
        }
    }

    fn text(&mut self, part: &str) {
        self.text.push_str(part);
    }

    /// Text whose blank space at either end is its own (a CDATA section, a character
    /// reference): never trimmed.
    fn kept_text(&mut self, part: &str) {
        let start = self.text.len();
        self.text.push_str(part);
        let end = self.text.len();
        self.kept = Some(match self.kept {
            Some((first, _)) => (first, end),
            None => (start, end),
        });
    }

    /// An entity reference in text: the five of XML and character references are read; any
    /// other (declared in a DOCTYPE) stays as written, never expanded.
    fn reference(&mut self, reference: &quick_xml::events::BytesRef<'_>) {
        if let Ok(Some(character)) = reference.resolve_char_ref() {
            self.kept_text(character.encode_utf8(&mut [0; 4]));
            return;
        }
        let name: &str = reference;
        match quick_xml::escape::resolve_predefined_entity(name) {
            Some(text) => self.text.push_str(text),
            None => {
                self.text.push('&');
                self.text.push_str(name);
                self.text.push(';');
            }
        }
    }

    fn entities_ignored(&mut self) {
        if !self.entities_warned {
            self.entities_warned = true;
            self.importer.warn(
                None,
                None,
                None,
                "the DOCTYPE declares entities: they are not expanded, and nothing they name is read or fetched; references to them (&name;) are shown as written"
                    .to_owned(),
            );
        }
    }

    fn end(&mut self) {
        let Some(tag) = self.stack.pop() else { return };
        self.descriptions_open = self
            .descriptions_open
            .saturating_sub(usize::from(tag == Tag::Description));
        let parent = self.stack.last().copied();
        let text = std::mem::take(&mut self.text);
        if self.descriptions_open > 0 {
            // Inside a description's own markup: keep gathering.
            self.text = text;
            return;
        }
        let text = trimmed(&text, self.kept.take());
        let value = || Some(text.to_owned()).filter(|t| !t.is_empty());
        match (tag, parent) {
            (Tag::Folder, _) => {
                self.folders.pop();
            }
            (Tag::Placemark, _) => self.finish_placemark(),
            (Tag::Name, Some(Tag::Folder)) => {
                if let Some(folder) = self.folders.last_mut() {
                    *folder = value();
                }
            }
            (Tag::Name, Some(Tag::Document)) if self.placemark.is_none() => {
                self.document_name = self.document_name.take().or_else(value);
            }
            (Tag::Description, Some(Tag::Document)) if self.placemark.is_none() => {
                self.document_description = self.document_description.take().or_else(value);
            }
            (Tag::Value, Some(Tag::Data)) if self.placemark.is_none() => {
                if let Some(name) = self.field_name.clone() {
                    self.document_data.push((name, text.to_owned()));
                }
            }
            (Tag::ExtendedData, Some(Tag::Document)) if self.placemark.is_none() => {
                self.document_extended_data();
            }
            _ => self.placemark_element(tag, parent, text),
        }
    }

    /// The Document's ExtendedData closes: whether Event Atlas wrote the file, and if so its
    /// categories (declared before any placemark names one) and the dataset's sources.
    fn document_extended_data(&mut self) {
        let data = std::mem::take(&mut self.document_data);
        self.by_event_atlas = data
            .iter()
            .any(|(name, value)| name == "generator" && value == profile::GENERATOR);
        if !self.by_event_atlas {
            return;
        }
        let mut categories: std::collections::BTreeMap<usize, [Option<&str>; 3]> =
            std::collections::BTreeMap::new();
        for (name, value) in &data {
            let Some((number, part)) = profile::numbered(name, "category_") else {
                continue;
            };
            let slot = ["_id", "_label", "_color"].iter().position(|p| *p == part);
            let entry = categories.entry(number).or_default();
            if let Some(kept) = slot.and_then(|slot| entry.get_mut(slot)) {
                *kept = Some(value.as_str());
            }
        }
        for [id, label, color] in categories.into_values() {
            if let Some(id) = id {
                let color = color.and_then(|color| super::rules::color(color).ok());
                let label = label.filter(|label| !label.is_empty());
                self.importer.describe_category(id, label, color);
            }
        }
        self.document_sources = profile::sources(&data);
    }

    /// A description as the summary: HTML as text, or, in a file Event Atlas wrote, the plain
    /// text it is.
    fn summary_of(&self, description: String) -> String {
        if self.by_event_atlas {
            description
        } else {
            html_to_text(&description)
        }
    }

    /// An element of the Placemark being read closes.
    fn placemark_element(&mut self, tag: Tag, parent: Option<Tag>, text: &str) {
        let field_name = self.field_name.clone();
        let grandparent = self.stack.iter().rev().nth(1).copied();
        let Some(placemark) = self.placemark.as_mut() else {
            return;
        };
        let value = || Some(text.to_owned()).filter(|t| !t.is_empty());
        match (tag, parent) {
            (Tag::Name, Some(Tag::Placemark)) => placemark.name = value(),
            (Tag::Description, Some(Tag::Placemark)) => placemark.description = value(),
            (Tag::Address, Some(Tag::Placemark)) => placemark.address = value(),
            (Tag::When, Some(Tag::TimeStamp)) => placemark.when = value(),
            (Tag::Begin, Some(Tag::TimeSpan)) => placemark.begin = value(),
            (Tag::End, Some(Tag::TimeSpan)) => placemark.end = value(),
            (Tag::Value, Some(Tag::Data)) | (Tag::SimpleData, _) => {
                if let Some(name) = field_name {
                    placemark.fields.push((name, text.to_owned()));
                }
            }
            (Tag::Coordinates, parent) => {
                let positions = match coordinates(text) {
                    Ok(positions) => positions,
                    Err(message) => {
                        placemark.bad_coordinates.get_or_insert(message);
                        return;
                    }
                };
                match (parent, grandparent) {
                    (Some(Tag::LinearRing), Some(Tag::OuterBoundaryIs)) => {
                        placemark.rings.insert(0, positions);
                    }
                    (Some(Tag::LinearRing), Some(Tag::InnerBoundaryIs)) => {
                        placemark.rings.push(positions);
                    }
                    (Some(Tag::LinearRing), _) => {
                        placemark.parts.push(Part::Polygon(vec![positions]));
                    }
                    (Some(Tag::Point), _) => {
                        placemark
                            .parts
                            .extend(positions.into_iter().map(Part::Point));
                    }
                    _ => placemark.parts.push(Part::Line(positions)),
                }
            }
            (Tag::Coord, Some(Tag::Track)) => match track_position(text) {
                Ok(position) => placemark.track.push(position),
                Err(message) => {
                    placemark.bad_coordinates.get_or_insert(message);
                }
            },
            (Tag::Track, _) => {
                let track = std::mem::take(&mut placemark.track);
                placemark.parts.push(Part::Line(track));
            }
            (Tag::Polygon, _) => {
                let rings = std::mem::take(&mut placemark.rings);
                placemark.parts.push(Part::Polygon(rings));
            }
            _ => {}
        }
    }

    /// The Placemark closes: it becomes an event (or a skipped row, for a date that cannot be
    /// read).
    fn finish_placemark(&mut self) {
        let Some(mut placemark) = self.placemark.take() else {
            return;
        };
        let number = placemark.number;
        let line = Some(placemark.line);
        let own = if self.by_event_atlas {
            OwnData::of(std::mem::take(&mut placemark.fields))
        } else {
            OwnData::default()
        };
        let when = match own_date(&own).unwrap_or_else(|| placemark_date(&placemark)) {
            Ok(when) => when,
            Err(message) => {
                let message = format!("placemark {number}: {message}");
                self.importer.skip(line, SkipReason::BadDate, message);
                return;
            }
        };
        let id = placemark.id.as_deref();
        let placed = self.placemark_place(&placemark);
        let title = match &placemark.name {
            Some(name) => Cow::Borrowed(name.as_str()),
            None => Cow::Owned(format!("placemark {number}")),
        };
        let category = own
            .category
            .clone()
            .or_else(|| self.category_of(&placemark).map(str::to_owned));
        let (at, shape) = match placed {
            Some(Placed { at, shape }) => (Some(at), shape),
            None => (None, Vec::new()),
        };
        let row = Row {
            id,
            title: &title,
            when,
            at,
            region: own.region,
            category: category.as_deref(),
        };
        let summary = placemark.description.clone().map(|d| self.summary_of(d));
        let details = EventDetails {
            summary,
            place_name: own.place.or_else(|| placemark.address.clone()),
            actors: own.actors,
            sources: own.sources,
            date_note: own.date_note,
            fields: if self.by_event_atlas {
                own.fields
            } else {
                placemark.fields
            },
            ..EventDetails::default()
        };
        self.importer.push(line, row, details);
        self.importer.push_shape(shape);
        for (to, kind) in &own.links {
            self.importer.link_last(line, to, kind);
        }
    }

    /// The category of a Placemark: the ExtendedData field the user chose, else the innermost
    /// named Folder.
    fn category_of<'p>(&'p self, placemark: &'p Placemark) -> Option<&'p str> {
        match &self.category_field {
            Some(chosen) => placemark
                .fields
                .iter()
                .find(|(name, _)| name == chosen)
                .map(|(_, value)| value.as_str()),
            None => self
                .folders
                .iter()
                .rev()
                .flatten()
                .next()
                .map(String::as_str),
        }
    }

    /// The place of a Placemark; a warning (and no place) for coordinates off the Earth.
    fn placemark_place(&mut self, placemark: &Placemark) -> Option<Placed> {
        let number = placemark.number;
        let line = Some(placemark.line);
        let id = placemark.id.as_deref();
        if let Some(message) = &placemark.bad_coordinates {
            let message = format!("placemark {number}: {message}; it has no place");
            self.importer.warn(line, id, Some("coordinates"), message);
            return None;
        }
        match geometry::place(placemark.parts.clone()) {
            Ok(placed) => placed,
            Err(message) => {
                let message = format!("placemark {number}: {message}; it has no place");
                self.importer.warn(line, id, Some("coordinates"), message);
                None
            }
        }
    }
}

/// `text` without the blank space at either end, except where it is in `kept` (the part from
/// character references and CDATA sections).
fn trimmed(text: &str, kept: Option<(usize, usize)>) -> &str {
    let (kept_start, kept_end) = kept.unwrap_or((text.len(), 0));
    let from = (text.len() - text.trim_start().len()).min(kept_start);
    let to = text.trim_end().len().max(kept_end);
    text.get(from..to).unwrap_or_default()
}

/// An attribute's value (entities other than XML's five are left as written).
fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = start.try_get_attribute(name).ok()??;
    let value = attribute
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map(Cow::into_owned)
        .unwrap_or_else(|_| attribute.value.clone().into_owned());
    Some(value.trim().to_owned()).filter(|value| !value.is_empty())
}

/// The positions of a `coordinates` element: `lon,lat[,alt]` tuples separated by blanks (a
/// blank after a comma is tolerated).
fn coordinates(text: &str) -> Result<Vec<LonLat>, String> {
    let mut tuples: Vec<String> = Vec::new();
    for token in text.split_ascii_whitespace() {
        match tuples.last_mut() {
            Some(last) if last.ends_with(',') || token.starts_with(',') => last.push_str(token),
            _ => tuples.push(token.to_owned()),
        }
    }
    tuples
        .iter()
        .map(|tuple| {
            let mut numbers = tuple.split(',').map(|n| n.trim().parse::<f64>());
            match (numbers.next(), numbers.next()) {
                (Some(Ok(lon)), Some(Ok(lat))) => Ok(LonLat::new(lon, lat)),
                _ => Err(format!(
                    "the coordinates '{tuple}' are not longitude,latitude[,altitude]"
                )),
            }
        })
        .collect()
}

/// A `gx:coord`: `lon lat alt`, separated by blanks.
fn track_position(text: &str) -> Result<LonLat, String> {
    let mut numbers = text.split_ascii_whitespace().map(str::parse::<f64>);
    match (numbers.next(), numbers.next()) {
        (Some(Ok(lon)), Some(Ok(lat))) => Ok(LonLat::new(lon, lat)),
        _ => Err(format!(
            "the gx:coord '{}' is not 'longitude latitude altitude'",
            text.trim()
        )),
    }
}

/// The date in a placemark's `when` Data (EDTF as Event Atlas writes it, qualifiers and
/// all); `None` when it has none.
fn own_date(own: &OwnData) -> Option<Result<Option<dates::Dated>, String>> {
    let text = own.when.as_ref()?;
    Some(
        crate::model::When::parse(text)
            .map(|when| Some((text.clone(), when)))
            .map_err(|error| format!("'{text}' is not a date: {}", error.0)),
    )
}

/// A Placemark's date: its TimeStamp, or its TimeSpan (either end may be missing: open);
/// `None` when it has neither.
fn placemark_date(placemark: &Placemark) -> Result<Option<dates::Dated>, String> {
    let kml_date = |text: &str| {
        dates::iso(text).map(|(edtf, _)| edtf).map_err(|_| {
            format!("'{text}' is not a KML date (2009, 2009-03, 2009-03-01, 2009-03-01T01:06:30Z)")
        })
    };
    if let Some(when) = &placemark.when {
        return dates::iso(when).map(Some).map_err(|_| {
            format!("'{when}' is not a KML date (2009, 2009-03, 2009-03-01, 2009-03-01T01:06:30Z)")
        });
    }
    let begin = placemark.begin.as_deref().map(kml_date).transpose()?;
    let end = placemark.end.as_deref().map(kml_date).transpose()?;
    let text = match (begin, end) {
        (None, None) => return Ok(None),
        (Some(begin), Some(end)) if begin == end => begin,
        (begin, end) => format!(
            "{}/{}",
            begin.as_deref().unwrap_or(".."),
            end.as_deref().unwrap_or("..")
        ),
    };
    crate::model::When::parse(&text)
        .map(|when| Some((text.clone(), when)))
        .map_err(|error| format!("the TimeSpan '{text}' cannot be read: {}", error.0))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A KMZ in memory holding `entries`, stored (`deflated: false`) or compressed.
    fn kmz(entries: &[(&str, &[u8])], deflated: bool) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let method = if deflated {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, content) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_kmz_gives_its_first_kml_within_the_limit() {
        let archive = kmz(
            &[("a.txt", b"x"), ("Doc.KML", b"<kml/>"), ("b.kml", b"")],
            true,
        );
        assert_eq!(kmz_document(&archive, 100).unwrap(), b"<kml/>");
        let big = vec![b' '; 5000];
        let archive = kmz(&[("doc.kml", &big)], true);
        assert_eq!(
            kmz_document(&archive, 1000).unwrap_err(),
            "doc.kml in this KMZ unpacks to 5000 bytes, over the limit of 1000 bytes: it is refused (it may be a zip bomb)"
        );
        assert_eq!(kmz_document(&archive, 5000).unwrap().len(), 5000);
        assert_eq!(size_in_words(KMZ_LIMIT), "256 MB");
    }

    #[test]
    fn a_kmz_that_understates_its_size_is_stopped_at_the_limit() {
        let content = vec![b'a'; 3000];
        let mut archive = kmz(&[("doc.kml", &content)], false);
        // Declare 10 bytes in the central directory (uncompressed size at +24 of its entry).
        let central = archive.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        archive[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
        let error = kmz_document(&archive, 1000).unwrap_err();
        // The zip crate stops at the declared size itself; past the limit, so would we.
        assert!(
            error.contains("over the limit of 1000 bytes")
                || error.ends_with("is larger than its declared uncompressed size)"),
            "{error}"
        );
    }

    #[test]
    fn coordinates_are_tuples_separated_by_blanks() {
        assert_eq!(
            coordinates(" 1,2,3\n\t4.5,-6 ").unwrap(),
            [LonLat::new(1.0, 2.0), LonLat::new(4.5, -6.0)]
        );
        assert_eq!(
            coordinates("1, 2, 3  4 ,5").unwrap(),
            [LonLat::new(1.0, 2.0), LonLat::new(4.0, 5.0)]
        );
        assert_eq!(coordinates("  ").unwrap(), []);
        assert!(coordinates("1;2").is_err());
        assert_eq!(
            track_position("37.6 55.7 150").unwrap(),
            LonLat::new(37.6, 55.7)
        );
        assert!(track_position("37.6").is_err());
    }

    fn date(when: Option<&str>, begin: Option<&str>, end: Option<&str>) -> String {
        let placemark = Placemark {
            when: when.map(str::to_owned),
            begin: begin.map(str::to_owned),
            end: end.map(str::to_owned),
            ..Placemark::default()
        };
        match placemark_date(&placemark) {
            Ok(Some((text, _))) => text,
            Ok(None) => "undated".to_owned(),
            Err(message) => format!("error: {message}"),
        }
    }

    #[test]
    fn timestamps_and_timespans_keep_the_form_they_are_given_in() {
        assert_eq!(date(Some("2009"), None, None), "2009");
        assert_eq!(
            date(Some("2009-07-16T07:30:15Z"), None, None),
            "2009-07-16T07:30:15Z"
        );
        assert_eq!(
            date(Some("2009-07-16T10:30:15+03:00"), None, None),
            "2009-07-16T10:30:15+03:00"
        );
        assert_eq!(date(None, Some("2009-02"), Some("2009-02")), "2009-02");
        assert_eq!(date(None, Some("2009"), Some("2010-06")), "2009/2010-06");
        assert_eq!(
            date(None, None, Some("2008-08-12T02:00:00Z")),
            "../2008-08-12T02:00:00Z"
        );
        assert_eq!(date(None, Some("2008-08-12"), None), "2008-08-12/..");
        assert_eq!(date(None, None, None), "undated");
        assert!(date(None, Some("2010"), Some("2009")).starts_with("error: the TimeSpan"));
        assert!(date(Some("soon"), None, None).starts_with("error: 'soon' is not a KML date"));
    }

    #[test]
    fn a_document_in_another_encoding_is_decoded_by_its_declaration() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><kml>caf\xE9</kml>";
        assert!(document_text(latin1).contains("caf\u{e9}"));
        assert_eq!(document_text(b"\xEF\xBB\xBF<kml/>"), "<kml/>");
    }

    #[test]
    fn broken_xml_is_an_error_with_its_line() {
        let error = read_bytes(
            b"<kml>\n<Placemark>\n</Folder>",
            "bad.kml",
            &ImportOptions::default(),
            &LoadProgress::default(),
        )
        .unwrap_err();
        let lines = error.lines();
        assert!(
            lines[0].starts_with("bad.kml:3: this is not well-formed XML"),
            "{lines:?}"
        );
    }

    #[test]
    fn blank_ends_are_trimmed_unless_they_come_from_references() {
        assert_eq!(trimmed("  a b \n", None), "a b");
        assert_eq!(trimmed("   ", None), "");
        // "\n<![CDATA[ x ]]>\n": the CDATA's blanks are its own.
        assert_eq!(trimmed("\n x \n", Some((1, 4))), " x ");
        let kml = b"<kml><Placemark><name>&#32;padded&#10;</name>\n<description>\n  <![CDATA[ <b>x</b> ]]>\n</description></Placemark></kml>";
        let loaded = read_bytes(
            kml,
            "t.kml",
            &ImportOptions::default(),
            &LoadProgress::default(),
        )
        .unwrap();
        assert_eq!(loaded.dataset.events[0].title(), " padded\n");
        let details = loaded.dataset.details(0).unwrap();
        assert_eq!(details.summary.as_deref(), Some("x"));
    }

    #[test]
    fn event_atlas_data_names_count_only_in_a_file_event_atlas_wrote() {
        let placemark = r#"<Placemark><name>P</name><ExtendedData>
            <Data name="when"><value>2024-03~</value></Data>
            <Data name="category"><value>visit</value></Data>
            <Data name="actor_1"><value>Ann</value></Data>
            </ExtendedData></Placemark>"#;
        let read = |document: String| {
            read_bytes(
                document.as_bytes(),
                "e.kml",
                &ImportOptions::default(),
                &LoadProgress::default(),
            )
            .unwrap()
            .dataset
        };
        let other = read(format!(
            "<kml><Document><Folder><name>F</name>{placemark}</Folder></Document></kml>"
        ));
        assert!(other.events[0].is_undated());
        assert_eq!(other.categories[0].id, "F");
        assert_eq!(other.details(0).unwrap().fields.len(), 3);
        let marker = r#"<ExtendedData><Data name="generator"><value>Event Atlas</value></Data>
            <Data name="category_1_id"><value>visit</value></Data>
            <Data name="category_1_label"><value>Visits</value></Data>
            <Data name="category_1_color"><value>#102030</value></Data></ExtendedData>"#;
        let ours = read(format!(
            "<kml><Document>{marker}<Folder><name>F</name>{placemark}</Folder></Document></kml>"
        ));
        assert_eq!(ours.events[0].when_text(), "2024-03~");
        assert_eq!(ours.categories.len(), 1);
        assert_eq!(ours.categories[0].label, "Visits");
        assert_eq!(ours.categories[0].color, [0x10, 0x20, 0x30]);
        let details = ours.details(0).unwrap();
        assert_eq!(details.actors, ["Ann"]);
        assert!(details.fields.is_empty());
    }

    #[test]
    fn a_chosen_extended_data_field_is_the_category() {
        let kml = br#"<kml><Folder><name>F</name><Placemark><name>P</name>
            <ExtendedData><Data name="kind"><value>visit</value></Data></ExtendedData>
            </Placemark></Folder></kml>"#;
        let options = ImportOptions {
            category: Some("kind".to_owned()),
            ..ImportOptions::default()
        };
        let loaded = read_bytes(kml, "c.kml", &options, &LoadProgress::default()).unwrap();
        assert_eq!(loaded.dataset.categories[0].id, "visit");
        let folder = read_bytes(
            kml,
            "c.kml",
            &ImportOptions::default(),
            &LoadProgress::default(),
        )
        .unwrap();
        assert_eq!(folder.dataset.categories[0].id, "F");
    }
}
