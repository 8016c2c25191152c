//! GeoJSON (RFC 7946) and OGC JSON-FG: a FeatureCollection, a single Feature, or features one
//! a line (`.geojsonl`, `.ndjson`, RFC 8142 sequences).
//!
//! Made for big files: the file is read in blocks and never held whole ([`scan`] finds each
//! feature's bytes without building anything), the features of a block are read on both cores
//! with a borrowing serde visitor that keeps only what every frame needs (the date, the place,
//! the title, the category: [`feature`]), and an event's other properties are read again from
//! its feature's byte range when it is shown ([`GeoJsonDetails`]).
//!
//! What is read, in order (docs/formats.md): the date from JSON-FG's `time`, then the
//! properties `when` (EDTF), `time`, `start`/`end`, `date`, `datetime`, `timestamp`,
//! `event_date`, `when`; the title from `title`, `name`, `place`, else the feature's id; the
//! category from `category`, `type`, `event_type`, `class`. The properties the user chose
//! ([`ImportOptions`]) go first. A collection Event Atlas wrote (its `generator` member) is read
//! as it was written: [`profile`].

mod feature;
pub(in crate::io) mod profile;
mod scan;

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use serde_json::value::RawValue;

use super::details::{FileDetails, MemoryDetails, RecordBytes};
use super::geometry::Placed;
use super::import::{ImportOptions, Importer, Row, SkipReason, title_from_file};
use super::text::html_to_text;
use super::{LoadError, LoadProgress, Loaded, STREAM_ABOVE_BYTES, io_error};
use crate::model::{DetailReader, DetailRef, EventDetails, Place, RegionCode, Source};
use feature::{
    FeatureRecord, Names, TimeSource, category_slots, date_from, first_text, is_geometry_type,
    no_date_message, parse_feature, place_of, slot, text_of, time_source, title_slots,
};
use scan::{BLOCK, LineCounter, Scanner, Window};

/// Reads GeoJSON from its bytes, kept in memory for the events' details.
pub(super) fn read_bytes(
    bytes: &[u8],
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    // Nesting past serde's limit: refused with its place, not a puzzling type error.
    super::scan::refuse_too_deep(bytes, file)?;
    let read = read_stream(
        bytes,
        bytes.len() as u64,
        file,
        Names::of(options),
        progress,
        BLOCK,
    )?;
    // No feature has a date property known by name: the import dialog lets the user pick one.
    if read.importer.all_skipped_for(SkipReason::NoDate)
        && options.time.is_none()
        && let Some(preview) = properties_preview(bytes)
    {
        return Err(needs_date_property(file, preview));
    }
    read.finish(RecordBytes::Memory(MemoryDetails::new(bytes)))
}

/// The properties of the first features, as a table for the import dialog: one column a
/// property (in the order first seen), one row a feature.
fn properties_preview(bytes: &[u8]) -> Option<super::TablePreview> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let features: Vec<&serde_json::Value> = match value.get("features") {
        Some(serde_json::Value::Array(features)) => features.iter().collect(),
        _ => vec![&value],
    };
    let mut columns: Vec<String> = Vec::new();
    let mut records = Vec::new();
    for feature in features.into_iter().take(super::PREVIEW_ROWS) {
        let Some(serde_json::Value::Object(properties)) = feature.get("properties") else {
            continue;
        };
        for key in properties.keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
        records.push(properties);
    }
    if columns.is_empty() {
        return None;
    }
    let rows = records
        .iter()
        .map(|properties| {
            columns
                .iter()
                .map(|column| match properties.get(column) {
                    Some(serde_json::Value::String(text)) => text.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                })
                .collect()
        })
        .collect();
    Some(super::TablePreview {
        columns,
        rows,
        missing: vec!["a date property".to_owned()],
        ..super::TablePreview::default()
    })
}

/// The error that opens the import dialog on a GeoJSON file's properties.
fn needs_date_property(file: &str, preview: super::TablePreview) -> LoadError {
    let found = preview.columns.join(", ");
    LoadError::NeedsColumns {
        file: file.to_owned(),
        message: format!(
            "no feature has a date property Event Atlas knows by name (time, start, end, date, datetime, timestamp, event_date, when); found properties: {found}. Choose the date property in the import dialog, or on the command line with --time NAME"
        ),
        preview: Box::new(preview),
    }
}

/// Reads a GeoJSON file: read whole up to [`STREAM_ABOVE_BYTES`]; streamed above, its events'
/// details then read again from the file when shown.
pub(super) fn read_path(
    path: &Path,
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let fail = |error: std::io::Error| io_error(file, progress, &error);
    let handle = std::fs::File::open(path).map_err(fail)?;
    let len = handle.metadata().map_err(fail)?.len();
    if len <= STREAM_ABOVE_BYTES {
        drop(handle);
        let bytes = super::read_whole(path, progress, 0.3).map_err(fail)?;
        return read_bytes(&bytes, file, options, progress);
    }
    let before = FileDetails::of(path.to_path_buf()).map_err(fail)?;
    let read = read_stream(handle, len, file, Names::of(options), progress, BLOCK)?;
    // Details are read again by byte range: the file must not change under the ranges.
    if !before.unchanged() {
        return Err(LoadError::Io {
            file: file.to_owned(),
            message: "the file changed while it was being read; open it again when it is complete"
                .to_owned(),
        });
    }
    read.finish(RecordBytes::File(before))
}

/// A GeoJSON file read: its events, and what the collection says of itself.
struct ReadFeatures {
    importer: Importer,
    title: String,
    description: Option<String>,
    sources: Vec<Source>,
    /// With `by_event_atlas` set if the collection says Event Atlas wrote it.
    names: Names,
}

impl ReadFeatures {
    /// The dataset, its events' details read again from `bytes`.
    fn finish(self, bytes: RecordBytes) -> Result<Loaded, LoadError> {
        let details = GeoJsonDetails {
            bytes,
            names: self.names,
        };
        self.importer.finish_with(
            self.title,
            self.description,
            self.sources,
            Arc::new(details),
        )
    }
}

/// What the collection's members before its features say: whether Event Atlas wrote it (its
/// own properties are then read as it writes them), and its categories with their labels and
/// colours, declared before any feature names one.
fn read_header(scanner: &Scanner, names: &mut Names, importer: &mut Importer) {
    let generator = scanner
        .header_member("generator")
        .and_then(|raw| serde_json::from_str::<String>(raw).ok());
    names.by_event_atlas = generator.as_deref() == Some(profile::GENERATOR);
    if !names.by_event_atlas {
        return;
    }
    let categories = scanner.header_member("categories");
    for category in categories
        .and_then(profile::categories_of)
        .unwrap_or_default()
    {
        let color = category
            .color
            .as_deref()
            .and_then(|c| super::rules::color(c).ok());
        let label = Some(category.label.as_str()).filter(|label| !label.is_empty());
        importer.describe_category(&category.id, label, color);
    }
}

/// The collection's `description` and `sources`, in a file Event Atlas wrote.
fn collection_details(scanner: &Scanner, names: &Names) -> (Option<String>, Vec<Source>) {
    if !names.by_event_atlas {
        return (None, Vec::new());
    }
    let description = scanner
        .header_member("description")
        .and_then(|raw| serde_json::from_str::<String>(raw).ok());
    let sources = scanner
        .header_member("sources")
        .and_then(profile::sources_of);
    (description, sources.unwrap_or_default())
}

/// Reads every feature of a stream of `len` bytes, `block` bytes at a time, into an importer;
/// with the dataset's title.
fn read_stream(
    reader: impl Read,
    len: u64,
    file: &str,
    mut names: Names,
    progress: &LoadProgress,
    block: usize,
) -> Result<ReadFeatures, LoadError> {
    let mut window = Window::new(reader, block);
    let mut scanner = Scanner::default();
    let mut lines = LineCounter::default();
    let mut importer = Importer::new(file, "GeoJSON", "feature");
    let mut header_read = false;
    let fail = |error: std::io::Error| io_error(file, progress, &error);
    loop {
        let more = window.fill().map_err(fail)?;
        let base = window.offset();
        let bytes = window.unconsumed();
        // A byte-order mark is not part of the JSON (and may be cut by a tiny first window).
        if base == 0 && more && bytes.len() < 3 && b"\xEF\xBB\xBF".starts_with(bytes) {
            continue;
        }
        let skip = if base == 0 && bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let found = match scanner.scan(bytes.get(skip..).unwrap_or_default(), !more) {
            Ok(found) => found,
            Err(error) => {
                let at = base + (skip + error.at) as u64;
                let line = lines.line_of(bytes, base, at);
                return Err(LoadError::whole_file(
                    file,
                    Some(line),
                    format!("not GeoJSON: {}", error.message),
                ));
            }
        };
        let features = features_in(bytes, base, skip, &found.features);
        if !header_read && !features.is_empty() {
            read_header(&scanner, &mut names, &mut importer);
            header_read = true;
        }
        if importer.rows() == 0 && !features.is_empty() {
            // Room for the rest, estimated from the first features' size.
            let per_feature = (found.consumed / features.len()).max(1) as u64;
            importer.reserve((len / per_feature) as usize * 21 / 20);
        }
        let mut batch = Batch {
            window: bytes,
            base,
            lines: &mut lines,
            importer: &mut importer,
        };
        batch.convert_and_push(&features, &names, progress)?;
        let consumed = skip + found.consumed;
        lines.line_of(bytes, base, base + consumed as u64);
        window.consume(consumed);
        progress.set_fraction(0.3 + 0.6 * window.offset() as f64 / len.max(1) as f64);
        if !more {
            break;
        }
    }
    let rest = (window.unconsumed(), window.offset());
    finish_stream(scanner, rest, &mut lines, importer, names, file)
}

/// After the last window: the file must end outside any feature; the collection's title,
/// description and sources.
fn finish_stream(
    scanner: Scanner,
    (unconsumed, offset): (&[u8], u64),
    lines: &mut LineCounter,
    mut importer: Importer,
    names: Names,
    file: &str,
) -> Result<ReadFeatures, LoadError> {
    if !scanner.at_rest() || !unconsumed.trim_ascii().is_empty() {
        let line = lines.line_of(unconsumed, offset, offset);
        return Err(LoadError::whole_file(
            file,
            Some(line),
            "the file ends inside a feature: is it complete?".to_owned(),
        ));
    }
    if !scanner.saw_collection && importer.rows() > 1 {
        importer.set_format("GeoJSON (one feature a line)");
    }
    // Event Atlas writes the title as it is, blank ends and all.
    let own_title = names
        .by_event_atlas
        .then(|| scanner.titles[1].as_deref())
        .flatten()
        .and_then(|raw| serde_json::from_str::<String>(raw).ok());
    let title = own_title
        .or_else(|| collection_title(&scanner.titles))
        .unwrap_or_else(|| title_from_file(file));
    let (description, sources) = collection_details(&scanner, &names);
    Ok(ReadFeatures {
        importer,
        title,
        description,
        sources,
        names,
    })
}

/// The features found in a window (which starts at `base` in the file, and at `skip` of which
/// the scan started): their offsets in the file, and their bytes.
fn features_in<'w>(
    bytes: &'w [u8],
    base: u64,
    skip: usize,
    found: &[(usize, usize)],
) -> Vec<(u64, &'w [u8])> {
    found
        .iter()
        .filter_map(|&(start, end)| {
            let feature = bytes.get(skip + start..skip + end)?;
            Some((base + (skip + start) as u64, feature))
        })
        .collect()
}

/// The collection's `name`, `title` or `metadata.title` (from their raw JSON).
fn collection_title(raw: &[Option<String>; 3]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Metadata<'a> {
        #[serde(borrow, default)]
        title: Option<&'a RawValue>,
    }
    let parse = |text: &Option<String>| -> Option<String> {
        let raw: &RawValue = serde_json::from_str(text.as_deref()?).ok()?;
        Some(text_of(raw)?.trim().to_owned())
    };
    let [name, title, metadata] = raw;
    let metadata_title = metadata
        .as_deref()
        .and_then(|text| serde_json::from_str::<Metadata<'_>>(text).ok())
        .and_then(|metadata| metadata.title)
        .map(|raw| raw.get().to_owned());
    [parse(name), parse(title), parse(&metadata_title)]
        .into_iter()
        .flatten()
        .find(|title| !title.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Features to events

/// What became of one feature, borrowing from the window: worked out on either core, then
/// handed to the importer in file order.
type Converted<'a> = Result<FeatureEvent<'a>, Skipped>;

/// A feature that becomes an event.
struct FeatureEvent<'a> {
    id: Option<Cow<'a, str>>,
    title: Cow<'a, str>,
    /// `None`: undated (only in a file Event Atlas wrote; elsewhere such a feature is skipped).
    when: Option<super::dates::Dated>,
    placed: Option<Placed>,
    region: Option<RegionCode>,
    /// Links to other features by id, `(to, kind)` (in a file Event Atlas wrote).
    links: Vec<profile::LinkEntry>,
    category: Option<Cow<'a, str>>,
    details: DetailRef,
    /// What is wrong with the geometry (the event then has no place).
    geometry_problem: Option<String>,
    /// A property Event Atlas reads, written twice in the feature.
    repeated: Option<String>,
}

/// A feature that does not, why, and where it is in the file.
struct Skipped {
    reason: SkipReason,
    message: String,
    offset: u64,
}

/// Converts feature number `number` (1-based), whose JSON is `bytes`, at `offset` in the file.
fn convert<'a>(bytes: &'a [u8], offset: u64, number: usize, names: &Names) -> Converted<'a> {
    let skipped = |reason, message| {
        Err(Skipped {
            reason,
            message,
            offset,
        })
    };
    let record = match std::str::from_utf8(bytes)
        .map_err(|error| format!("it is not UTF-8 text ({error}); save the file as UTF-8"))
        .and_then(|text| parse_feature(text, names, false).map_err(|e| json_message(&e)))
    {
        Ok(record) => record,
        Err(what) => {
            let message = format!("feature {number} cannot be read: {what}");
            return skipped(SkipReason::BadValue, message);
        }
    };
    if let Some(kind) = record.kind.as_deref().filter(|kind| *kind != "Feature") {
        let message = if is_geometry_type(kind) {
            format!(
                "feature {number} is a bare {kind} geometry: wrap it in a Feature with a \"time\" property"
            )
        } else {
            format!("feature {number} is a \"{kind}\", not a \"Feature\"")
        };
        return skipped(SkipReason::BadValue, message);
    }
    let when = match date_from(time_source(&record, names), &record.properties) {
        Ok(Some(dated)) => Some(dated),
        Ok(None) if names.by_event_atlas => None,
        Ok(None) => {
            let message = format!("feature {number}: {}", no_date_message(names));
            return skipped(SkipReason::NoDate, message);
        }
        Err(message) => {
            return skipped(SkipReason::BadDate, format!("feature {number}: {message}"));
        }
    };
    let (placed, geometry_problem) = match place_of(record.geometry) {
        Ok(placed) => (placed, None),
        Err(message) => (
            None,
            Some(format!("feature {number}: {message}; it has no place")),
        ),
    };
    event(
        record,
        number,
        names,
        when,
        placed,
        geometry_problem,
        (offset, bytes.len()),
    )
}

/// A feature with a date as an event.
fn event<'a>(
    record: FeatureRecord<'a>,
    number: usize,
    names: &Names,
    when: Option<super::dates::Dated>,
    placed: Option<Placed>,
    geometry_problem: Option<String>,
    (offset, len): (u64, usize),
) -> Converted<'a> {
    let id = record.id.and_then(text_of);
    let own = |slot: usize| {
        names
            .by_event_atlas
            .then(|| record.properties.get(slot))
            .flatten()
    };
    let region = own(slot::REGION)
        .and_then(text_of)
        .and_then(|code| RegionCode::new(&code));
    let links = own(slot::LINKS)
        .and_then(|raw| profile::links_of(raw.get()))
        .unwrap_or_default();
    let title = match (first_text(&record.properties, title_slots(names)), &id) {
        (Some((Cow::Borrowed(title), _)), _) => Cow::Borrowed(title.trim()),
        (Some((Cow::Owned(title), _)), _) => Cow::Owned(title.trim().to_owned()),
        (None, Some(id)) => id.clone(),
        (None, None) => Cow::Owned(format!("feature {number}")),
    };
    Ok(FeatureEvent {
        id,
        title,
        when,
        placed,
        region,
        links,
        category: first_text(&record.properties, category_slots(names)).map(|(text, _)| text),
        details: DetailRef {
            offset,
            len: u32::try_from(len).unwrap_or(u32::MAX),
        },
        geometry_problem,
        repeated: record.properties.repeated.map(Cow::into_owned),
    })
}

/// A serde_json error without its position (the message gives the feature's).
fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_owned()
}

/// Features converted at once on one core.
const CHUNK: usize = 4096;

/// The features of one window, going to the importer.
struct Batch<'w, 'i> {
    /// The window, starting at `base` in the file.
    window: &'w [u8],
    base: u64,
    lines: &'i mut LineCounter,
    importer: &'i mut Importer,
}

impl Batch<'_, '_> {
    /// Converts `features` (their offsets in the file and bytes) on both cores, chunk by chunk
    /// in turn, and adds them to the importer in order.
    fn convert_and_push<'f>(
        &mut self,
        features: &[(u64, &'f [u8])],
        names: &Names,
        progress: &LoadProgress,
    ) -> Result<(), LoadError> {
        let first = self.importer.rows() + 1;
        let convert_chunk = |(index, chunk): (usize, &[(u64, &'f [u8])])| -> Vec<Converted<'f>> {
            let number = first + index * CHUNK;
            chunk
                .iter()
                .enumerate()
                .map(|(at, &(offset, bytes))| convert(bytes, offset, number + at, names))
                .collect()
        };
        let file = self.importer.file().to_owned();
        let cancelled = || LoadError::Cancelled { file: file.clone() };
        std::thread::scope(|scope| {
            // Adding to the importer takes this core about as long as converting a chunk:
            // the other core converts two chunks of every three, this one the third.
            let (sender, receiver) = std::sync::mpsc::sync_channel(4);
            if features.len() > CHUNK {
                scope.spawn(move || {
                    let theirs = features
                        .chunks(CHUNK)
                        .enumerate()
                        .filter(|(i, _)| i % 3 != 0);
                    for chunk in theirs {
                        if sender.send(convert_chunk(chunk)).is_err() {
                            return;
                        }
                    }
                });
            }
            for (index, chunk) in features.chunks(CHUNK).enumerate() {
                if progress.is_cancelled() {
                    return Err(cancelled());
                }
                let converted = if index % 3 == 0 || features.len() <= CHUNK {
                    convert_chunk((index, chunk))
                } else {
                    receiver.recv().map_err(|_| cancelled())?
                };
                for feature in converted {
                    self.push(feature);
                }
            }
            Ok(())
        })
    }

    /// The line of a feature at `offset` in the file (counted only for messages).
    fn line(&mut self, offset: u64) -> Option<usize> {
        Some(self.lines.line_of(self.window, self.base, offset))
    }

    /// Adds a converted feature to the importer.
    fn push(&mut self, feature: Converted<'_>) {
        match feature {
            Err(Skipped {
                reason,
                message,
                offset,
            }) => {
                let line = self.line(offset);
                self.importer.skip(line, reason, message);
            }
            Ok(FeatureEvent {
                id,
                title,
                when,
                placed,
                region,
                links,
                category,
                details,
                geometry_problem,
                repeated,
            }) => {
                if let Some(message) = geometry_problem {
                    let line = self.line(details.offset);
                    self.importer
                        .warn(line, id.as_deref(), Some("geometry"), message);
                }
                if let Some(key) = repeated {
                    let line = self.line(details.offset);
                    let message = format!(
                        "duplicate key \"{key}\" in the properties: the first value that is not null is used; remove one of them"
                    );
                    self.importer
                        .warn(line, id.as_deref(), Some("properties"), message);
                }
                let (at, shape) = match placed {
                    Some(Placed { at, shape }) => (Some(at), shape),
                    None => (None, Vec::new()),
                };
                let row = Row {
                    id: id.as_deref(),
                    title: &title,
                    when,
                    at,
                    region,
                    category: category.as_deref(),
                };
                self.importer.push_at(None, row, details);
                self.importer.push_shape(shape);
                for link in links {
                    self.importer.link_last(None, &link.to, &link.kind);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Details, read again when an event is shown

/// Reads a feature's properties again from its bytes.
#[derive(Debug)]
struct GeoJsonDetails {
    bytes: RecordBytes,
    names: Names,
}

impl DetailReader for GeoJsonDetails {
    fn read(&self, at: DetailRef, _id: &str, _places: &[Place]) -> Result<EventDetails, String> {
        self.bytes
            .read_with(at, |bytes| feature_details(bytes, &self.names))
    }

    fn in_memory(&self) -> Result<Option<Arc<dyn DetailReader>>, String> {
        Ok(self.bytes.in_memory()?.map(|bytes| {
            let reader: Arc<dyn DetailReader> = Arc::new(GeoJsonDetails {
                bytes,
                names: self.names.clone(),
            });
            reader
        }))
    }
}

/// The details of the feature in `bytes`: every property not used for the title, the date or
/// the category as a field; `url` and `detail` links as sources too; `description` as the
/// summary.
fn feature_details(bytes: &[u8], names: &Names) -> Result<EventDetails, String> {
    let text = std::str::from_utf8(bytes).map_err(|error| error.to_string())?;
    let record = parse_feature(text, names, true).map_err(|error| error.to_string())?;
    if names.by_event_atlas {
        return Ok(event_atlas_details(&record));
    }
    let properties = &record.properties;
    let time = time_source(&record, names);
    let mut used = time.slots();
    for slots in [title_slots(names), category_slots(names)] {
        if let Some((_, slot)) = first_text(properties, slots) {
            used |= 1 << slot;
        }
    }
    let summary =
        first_text(properties, &[slot::DESCRIPTION]).map(|(text, _)| html_to_text(text.as_ref()));
    if summary.is_some() {
        used |= 1 << slot::DESCRIPTION;
    }
    let mut used_positions: Vec<usize> = properties
        .slots
        .iter()
        .enumerate()
        .filter(|(slot, _)| used & (1 << slot) != 0)
        .filter_map(|(_, property)| property.map(|p| p.position))
        .collect();
    if let TimeSource::Edtf(_) = time {
        used_positions.extend(span_written_with(&record, time));
    }
    let fields = properties
        .all
        .iter()
        .enumerate()
        .filter(|(position, _)| !used_positions.contains(position))
        .filter_map(|(_, (key, value))| Some((key.to_string(), field_text(value)?)))
        .collect();
    let sources = [slot::URL, slot::DETAIL]
        .into_iter()
        .filter_map(|slot| {
            let property = properties.slots.get(slot).copied().flatten()?;
            let url = text_of(property.value)?;
            let (key, _) = properties.all.get(property.position)?;
            (url.starts_with("https://") || url.starts_with("http://")).then(|| Source {
                title: key.to_string(),
                url: Some(url.into_owned()),
                ..Source::default()
            })
        })
        .collect();
    Ok(EventDetails {
        summary,
        sources,
        fields,
        ..EventDetails::default()
    })
}

/// The positions of the `start` and `end` properties that say what Event Atlas writes beside
/// the `when` the date was read from (they are that date again, not fields).
fn span_written_with(record: &FeatureRecord<'_>, time: TimeSource<'_>) -> Vec<usize> {
    let Ok(Some((_, when))) = date_from(time, &record.properties) else {
        return Vec::new();
    };
    let (start, end) = profile::span_properties(&when);
    [(slot::START, start), (slot::END, end)]
        .into_iter()
        .filter_map(|(slot, written)| {
            let property = record.properties.slots.get(slot).copied().flatten()?;
            let text = text_of(property.value)?;
            (Some(text.as_ref()) == written.as_ref().map(profile::IsoText::as_str))
                .then_some(property.position)
        })
        .collect()
}

/// The details of a feature in a file Event Atlas wrote: its own properties by name, every
/// other property a field (without the prefix that kept it apart from Event Atlas's own).
fn event_atlas_details(record: &FeatureRecord<'_>) -> EventDetails {
    let mut details = EventDetails::default();
    let text = |raw: &RawValue| text_of(raw).map(Cow::into_owned);
    for (key, value) in &record.properties.all {
        match key.as_ref() {
            "title" | "when" | "start" | "end" | "category" | "category_label" | "color"
            | "marker-color" | "region" | "links" => {}
            "place" => details.place_name = text(value),
            "summary" => details.summary = text(value),
            "date_note" => details.date_note = text(value),
            "actors" => {
                details.actors = serde_json::from_str(value.get()).unwrap_or_default();
            }
            "sources" => details.sources = profile::sources_of(value.get()).unwrap_or_default(),
            name => {
                if let Some(value) = field_text(value) {
                    details
                        .fields
                        .push((profile::field_name(name).to_owned(), value));
                }
            }
        }
    }
    details
}

/// A property's value as text: strings as they are, objects and arrays as compact JSON; null
/// is left out.
fn field_text(raw: &RawValue) -> Option<String> {
    if let Some(text) = text_of(raw) {
        return Some(text.into_owned());
    }
    let text = raw.get();
    if text == "null" {
        return None;
    }
    Some(
        serde_json::from_str::<serde_json::Value>(text)
            .map_or_else(|_| text.to_owned(), |value| value.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: [(&str, &[u8]); 6] = [
        (
            "usgs_feed.geojson",
            include_bytes!("../../tests/data/geojson/usgs_feed.geojson"),
        ),
        (
            "leaflet_timeline.geojson",
            include_bytes!("../../tests/data/geojson/leaflet_timeline.geojson"),
        ),
        (
            "jsonfg_times.json",
            include_bytes!("../../tests/data/geojson/jsonfg_times.json"),
        ),
        (
            "awkward.geojson",
            include_bytes!("../../tests/data/geojson/awkward.geojson"),
        ),
        (
            "lines.geojsonl",
            include_bytes!("../../tests/data/geojson/lines.geojsonl"),
        ),
        (
            "event_atlas_export.geojson",
            include_bytes!("../../tests/data/geojson/event_atlas_export.geojson"),
        ),
    ];

    /// Reads `bytes` through windows of `block` bytes, its details kept in memory.
    fn read_in_windows(bytes: &[u8], file: &str, block: usize) -> Loaded {
        let progress = LoadProgress::default();
        let read = read_stream(
            bytes,
            bytes.len() as u64,
            file,
            Names::default(),
            &progress,
            block,
        )
        .unwrap();
        read.finish(RecordBytes::Memory(MemoryDetails::new(bytes)))
            .unwrap()
    }

    #[test]
    fn a_collection_event_atlas_wrote_is_read_as_it_was_written() {
        let (file, bytes) = SAMPLES[5];
        let loaded = read_in_windows(bytes, file, 16);
        let dataset = &loaded.dataset;
        assert_eq!(dataset.title, " Written by Event Atlas ");
        assert_eq!(dataset.sources[0].title, "Atlas of things");
        let categories: Vec<(&str, &str, [u8; 3])> = dataset
            .categories
            .iter()
            .map(|c| (c.id.as_str(), c.label.as_str(), c.color))
            .collect();
        assert_eq!(
            categories,
            [
                ("protest", "Protests", [0xAB, 0xCD, 0xEF]),
                ("unused", "Never named", [0, 0, 0])
            ]
        );
        let a = dataset.find("a").unwrap();
        assert_eq!(dataset.events[a].when_text(), "2024-03-22~");
        assert_eq!(dataset.events[a].location.region_code(), Some("RU-MOW"));
        let details = dataset.details(a).unwrap();
        assert_eq!(details.actors, ["Smith, John", "Łódź"]);
        assert_eq!(details.summary.as_deref(), Some(" blank ends "));
        assert_eq!(details.place_name.as_deref(), Some("Moscow"));
        assert_eq!(details.sources[0].quote.as_deref(), Some("\"Yes\""));
        // Imported fields, the prefix taken off; `time` and `type` are fields here.
        assert_eq!(
            details.fields,
            [
                ("when".to_owned(), "a field named when".to_owned()),
                ("time".to_owned(), "1711137480000".to_owned()),
                ("type".to_owned(), "not a category".to_owned()),
            ]
        );
        let b = dataset.find("b").unwrap();
        assert_eq!(dataset.events[b].location.region_code(), Some("RU-IN"));
        assert_eq!(dataset.events[b].location.point(), None);
        assert!(dataset.details(b).unwrap().fields.is_empty());
        // Without `when`, undated (its `date` is a field), its outline read exactly.
        let u = dataset.find("u").unwrap();
        assert!(dataset.events[u].is_undated());
        let road = &dataset.shape_of(u).unwrap().parts;
        assert_eq!(
            road,
            &[crate::model::ShapePart::Line(vec![
                crate::model::LonLat::new(0.1, 0.2),
                crate::model::LonLat::new(0.30000000000000004, 0.4)
            ])]
        );
        assert_eq!(dataset.links_from(a).count(), 1);
        let messages: Vec<&str> = loaded.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the link to \"nowhere\" is left out: no event has that id (is that event missing from the file, or is the id misspelt?)"
            ]
        );
    }

    #[test]
    fn small_windows_read_what_one_window_reads() {
        for (file, bytes) in SAMPLES {
            let whole = read_bytes(
                bytes,
                file,
                &ImportOptions::default(),
                &LoadProgress::default(),
            )
            .unwrap();
            for block in [1, 5, 64, 1000] {
                let windowed = read_in_windows(bytes, file, block);
                assert_eq!(windowed.dataset, whole.dataset, "{file}, window of {block}");
                assert_eq!(
                    windowed.warnings, whole.warnings,
                    "{file}, window of {block}"
                );
                assert_eq!(windowed.report, whole.report, "{file}, window of {block}");
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_details_still_found() {
        let (file, bytes) = SAMPLES[0];
        let mut marked = b"\xEF\xBB\xBF".to_vec();
        marked.extend_from_slice(bytes);
        let plain = read_bytes(
            bytes,
            file,
            &ImportOptions::default(),
            &LoadProgress::default(),
        )
        .unwrap();
        for block in [2, 4096] {
            let loaded = read_in_windows(&marked, file, block);
            assert_eq!(loaded.dataset, plain.dataset, "window of {block}");
        }
    }

    #[test]
    fn details_are_read_again_from_the_file_and_a_changed_file_says_so() {
        let (file, bytes) = SAMPLES[0];
        let path = std::env::temp_dir().join(format!(
            "event-atlas-geojson-details-{}.geojson",
            std::process::id()
        ));
        std::fs::write(&path, bytes).unwrap();
        let in_memory = read_bytes(
            bytes,
            file,
            &ImportOptions::default(),
            &LoadProgress::default(),
        )
        .unwrap();
        let mut from_file = in_memory.dataset.clone();
        from_file.details = Some(Arc::new(GeoJsonDetails {
            bytes: RecordBytes::File(FileDetails::of(path.clone()).unwrap()),
            names: Names::default(),
        }));
        assert_eq!(from_file, in_memory.dataset);
        let quake = from_file.find("us7000m1a1").unwrap();
        assert_eq!(from_file.details(quake).unwrap().sources.len(), 2);
        let mut changed = bytes.to_vec();
        changed.push(b'\n');
        std::fs::write(&path, &changed).unwrap();
        let problem = from_file.details(quake).unwrap_err();
        assert!(problem.contains("changed on disk"), "{problem}");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_cancel_stops_the_read() {
        let (file, bytes) = SAMPLES[0];
        let progress = LoadProgress::default();
        progress.cancel();
        let error = read_bytes(bytes, file, &ImportOptions::default(), &progress).unwrap_err();
        assert!(matches!(error, LoadError::Cancelled { .. }), "{error:?}");
    }
}
