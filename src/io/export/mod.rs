//! Writing events out again: Event Atlas JSON, GeoJSON, CSV and KML (`docs/formats.md`,
//! "Exporting"). [`select`] picks the events (a time span, categories); [`write_events`]
//! writes them in time order, on two threads, each event's details read from memory (the file
//! they are kept in is read once); [`write_file`] writes a file atomically and never over the
//! file the data came from.
//!
//! Each format is an [`EventWriter`]: what comes before the events, one event (written by
//! several threads at once, so it keeps no state), what comes after.

mod atlas;
mod atomic;
mod convert;
mod csv;
mod geojson;
mod kml;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::model::{AllDetails, Category, Dataset, Event, EventDetails, EventIndex, EventShape};

pub use atomic::{WriteError, same_file, write_atomically};
pub use convert::{ConvertError, Converted, convert, convert_with_regions, span_between};

/// A format events can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ExportFormat {
    /// Event Atlas JSON (`docs/format.md`): everything the app knows of an event.
    Atlas,
    GeoJson,
    Csv,
    Kml,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Atlas,
        ExportFormat::GeoJson,
        ExportFormat::Csv,
        ExportFormat::Kml,
    ];

    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "json" => Some(ExportFormat::Atlas),
            "geojson" => Some(ExportFormat::GeoJson),
            "csv" => Some(ExportFormat::Csv),
            "kml" => Some(ExportFormat::Kml),
            _ => None,
        }
    }

    /// The usual extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Atlas => "json",
            ExportFormat::GeoJson => "geojson",
            ExportFormat::Csv => "csv",
            ExportFormat::Kml => "kml",
        }
    }

    /// How the format is named to the user.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Atlas => "Event Atlas JSON",
            ExportFormat::GeoJson => "GeoJSON",
            ExportFormat::Csv => "CSV",
            ExportFormat::Kml => "KML",
        }
    }

    /// What the format keeps, in a few words (the export dialog's tooltips, `convert --help`).
    pub fn keeps(self) -> &'static str {
        match self {
            ExportFormat::Atlas => {
                "Everything: dates with their precision, places, categories and colours, actors, summaries, sources with quotes, links and every imported field"
            }
            ExportFormat::GeoJson => {
                "For GIS (QGIS, kepler.gl…): one feature per event with its point or outline; every other field as a property"
            }
            ExportFormat::Csv => {
                "For spreadsheets: one row per event, one column per field; sources in numbered columns"
            }
            ExportFormat::Kml => {
                "For Google Earth: one placemark per event with its time span, folders by category, fields as extended data"
            }
        }
    }

    /// The message when a path's extension names no format.
    pub fn unknown_extension(path: &Path) -> String {
        let known: Vec<String> = Self::ALL
            .iter()
            .map(|f| format!(".{} ({})", f.extension(), f.name()))
            .collect();
        format!(
            "{}: the file name must end in {}",
            path.display(),
            known.join(", ")
        )
    }
}

/// Which events to write: the same filter as the app's (`model::filter`).
pub use crate::model::filter::Filter as EventFilter;

/// The events of `dataset` that `filter` keeps, in time order (their details are read when the
/// filter has text to look for, which can fail).
pub fn select(dataset: &Dataset, filter: &EventFilter) -> Result<Vec<EventIndex>, String> {
    filter.matching(dataset)
}

/// One event as the writers see it: the event, its details, its category, its links to
/// other exported events and its outline.
#[derive(Debug)]
pub struct ExportEvent<'a> {
    pub event: &'a Event,
    pub details: EventDetails,
    pub category: Option<&'a Category>,
    /// `(target id, kind)` of each link to an event that is exported too.
    pub links: Vec<(&'a str, &'a str)>,
    pub shape: Option<&'a EventShape>,
}

/// A format's writer. `event` is called from several threads at once, for events in any
/// order, each into its own buffer; the buffers are written in order.
pub trait EventWriter: Sync {
    /// Everything before the first event.
    fn begin(&self, out: &mut Vec<u8>) -> io::Result<()>;
    /// One event; `position` counts the exported events from 0 (for separators).
    fn event(&self, out: &mut Vec<u8>, position: usize, event: &ExportEvent<'_>) -> io::Result<()>;
    /// Everything after the last event (`count` were written).
    fn finish(&self, out: &mut Vec<u8>, count: usize) -> io::Result<()>;
    /// What of the data the format cannot hold, in words (e.g. "the outlines of 3 events").
    fn not_kept(&self) -> Vec<String> {
        Vec::new()
    }
}

/// What GeoJSON and KML cannot hold of a dataset: its named places (as places of their own),
/// its eras and its story.
fn dataset_parts_not_kept(dataset: &Dataset) -> Vec<String> {
    let mut lost = Vec::new();
    if !dataset.places.is_empty() {
        lost.push("named places (each event keeps its place's point, region and name)".to_owned());
    }
    if !dataset.eras.is_empty() {
        lost.push(format!("{} eras", dataset.eras.len()));
    }
    if let Some(story) = story_not_kept(dataset) {
        lost.push(story);
    }
    lost
}

/// "the story (6 steps)", for formats that cannot hold a story (all but Event Atlas JSON).
fn story_not_kept(dataset: &Dataset) -> Option<String> {
    match dataset.story.steps.len() {
        0 => None,
        1 => Some("the story (1 step)".to_owned()),
        steps => Some(format!("the story ({steps} steps)")),
    }
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub format: Option<ExportFormat>,
    pub events: usize,
    pub with_place: usize,
    /// Links to events that were not exported, left out.
    pub links_left_out: usize,
    /// What the format could not hold (e.g. "outlines of 3 events"), in words.
    pub not_kept: Vec<String>,
    pub bytes: u64,
}

impl ExportSummary {
    /// One line for the status bar and `convert`, e.g. "CSV: 14 events (4 with a place), 12 kB".
    pub fn line(&self) -> String {
        let format = self.format.map_or("Export", ExportFormat::name);
        let noun = if self.events == 1 { "event" } else { "events" };
        let mut line = format!(
            "{format}: {} {noun} ({} with a place), {}",
            self.events,
            self.with_place,
            size_words(self.bytes)
        );
        if self.links_left_out > 0 {
            line.push_str(&format!(
                "; {} links to events not exported were left out",
                self.links_left_out
            ));
        }
        if !self.not_kept.is_empty() {
            line.push_str(&format!(
                "; {format} cannot hold {}",
                self.not_kept.join(", ")
            ));
        }
        line
    }
}

/// A byte count in words ("12 kB", "356 MB").
pub fn size_words(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{} kB", bytes.div_ceil(1_000)),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// How many events one thread formats before the buffers are written out.
const CHUNK: usize = 16_384;

/// Writes `events` of `dataset` (indices in time order) in `format` to `out`.
pub fn write_events(
    out: &mut dyn Write,
    dataset: &Dataset,
    events: &[EventIndex],
    format: ExportFormat,
) -> Result<ExportSummary, String> {
    let details = dataset.all_details()?;
    let exported = Exported::new(dataset, events);
    // A writer may read every event's details first (the CSV's columns depend on them).
    let writer: Box<dyn EventWriter> = match format {
        ExportFormat::Atlas => Box::new(atlas::AtlasWriter::new(dataset, events)),
        ExportFormat::Csv => Box::new(csv::CsvWriter::new(dataset, events, &details)?),
        ExportFormat::GeoJson => Box::new(geojson::GeoJsonWriter::new(dataset)),
        ExportFormat::Kml => Box::new(kml::KmlWriter::new(dataset)),
    };
    let mut summary = ExportSummary {
        format: Some(format),
        ..ExportSummary::default()
    };
    let mut counted = CountingWriter { out, bytes: 0 };
    let mut buffer = Vec::new();
    writer.begin(&mut buffer).map_err(|e| e.to_string())?;
    counted.write_all(&buffer).map_err(|e| e.to_string())?;
    // Two buffers, kept from round to round: growing fresh ones costs more than formatting.
    let (mut left_bytes, mut right_bytes) = (Vec::new(), Vec::new());
    for (round, indices) in events.chunks(2 * CHUNK).enumerate() {
        let first = round * 2 * CHUNK;
        let (left, right) = indices.split_at(indices.len().min(CHUNK));
        left_bytes.clear();
        right_bytes.clear();
        let (a, b) = std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                let position = first + left.len();
                format_events(
                    &*writer,
                    &exported,
                    &details,
                    right,
                    position,
                    &mut right_bytes,
                )
            });
            let a = format_events(&*writer, &exported, &details, left, first, &mut left_bytes);
            let b = second
                .join()
                .unwrap_or_else(|_| Err("exporting stopped unexpectedly".to_owned()));
            (a, b)
        });
        for (part, bytes) in [(a?, &left_bytes), (b?, &right_bytes)] {
            counted.write_all(bytes).map_err(|e| e.to_string())?;
            summary.with_place += part.with_place;
            summary.links_left_out += part.links_left_out;
        }
    }
    buffer.clear();
    writer
        .finish(&mut buffer, events.len())
        .map_err(|e| e.to_string())?;
    counted.write_all(&buffer).map_err(|e| e.to_string())?;
    counted.flush().map_err(|e| e.to_string())?;
    summary.not_kept = writer.not_kept();
    summary.events = events.len();
    summary.bytes = counted.bytes;
    Ok(summary)
}

/// Which events are exported, to tell links to them from links that are left out.
struct Exported<'a> {
    dataset: &'a Dataset,
    /// Whether each event of the dataset is exported.
    chosen: Vec<bool>,
}

impl<'a> Exported<'a> {
    fn new(dataset: &'a Dataset, events: &[EventIndex]) -> Self {
        let mut chosen = vec![false; dataset.events.len()];
        for &index in events {
            if let Some(slot) = chosen.get_mut(index) {
                *slot = true;
            }
        }
        Self { dataset, chosen }
    }

    /// The event as the writers see it, and how many of its links were left out.
    fn event(
        &self,
        index: EventIndex,
        details: EventDetails,
    ) -> Result<(ExportEvent<'a>, usize), String> {
        let dataset = self.dataset;
        let event = dataset
            .events
            .get(index)
            .ok_or_else(|| format!("no event number {index}"))?;
        let mut links = Vec::new();
        let mut left_out = 0;
        for (to, kind) in dataset.links_from(index) {
            match dataset.events.get(to) {
                Some(target) if self.chosen.get(to) == Some(&true) => {
                    links.push((target.id(), kind));
                }
                _ => left_out += 1,
            }
        }
        let category = event.category.and_then(|c| dataset.categories.get(c));
        let shape = dataset.shape_of(index);
        let export = ExportEvent {
            event,
            details,
            category,
            links,
            shape,
        };
        Ok((export, left_out))
    }
}

/// What one thread counted while formatting a run of events.
struct Formatted {
    with_place: usize,
    links_left_out: usize,
}

fn format_events(
    writer: &dyn EventWriter,
    exported: &Exported<'_>,
    details: &AllDetails<'_>,
    indices: &[EventIndex],
    first_position: usize,
    bytes: &mut Vec<u8>,
) -> Result<Formatted, String> {
    let mut formatted = Formatted {
        with_place: 0,
        links_left_out: 0,
    };
    for (offset, &index) in indices.iter().enumerate() {
        let id = || exported.dataset.events.get(index).map_or("?", Event::id);
        let event_details = details
            .get(index)
            .map_err(|e| format!("event \"{}\": {e}", id()))?;
        let (event, left_out) = exported.event(index, event_details)?;
        formatted.links_left_out += left_out;
        if event.event.location != crate::model::Location::Unknown {
            formatted.with_place += 1;
        }
        writer
            .event(bytes, first_position + offset, &event)
            .map_err(|e| format!("event \"{}\": {e}", id()))?;
    }
    Ok(formatted)
}

/// Counts the bytes written through it.
struct CountingWriter<'w> {
    out: &'w mut dyn Write,
    bytes: u64,
}

impl Write for CountingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.out.write(buf)?;
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Writes `events` of `dataset` to the file at `path` in `format`, atomically (a temporary
/// file beside it, then renamed over it). Refuses to write over `protected` (the file the data
/// came from) and, unless `replace`, over any existing file.
pub fn write_file(
    path: &Path,
    dataset: &Dataset,
    events: &[EventIndex],
    format: ExportFormat,
    protected: Option<&Path>,
    replace: bool,
) -> Result<ExportSummary, WriteError> {
    write_atomically(path, protected, replace, |out| {
        write_events(out, dataset, events, format)
    })
}

/// A file name in `folder` for an export of the dataset titled `title`: its words joined by
/// dashes, then `-SUFFIX.EXTENSION` (`Crocus-export.csv`, `Crocus-map.png`), numbered so that
/// it names no existing file.
pub fn suggested_path(folder: &Path, title: &str, suffix: &str, extension: &str) -> PathBuf {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    // One dash between words, and not too long a name.
    let words: Vec<&str> = stem.split('-').filter(|word| !word.is_empty()).collect();
    let mut stem = String::new();
    for word in words {
        if stem.len() + word.len() > 48 {
            break;
        }
        if !stem.is_empty() {
            stem.push('-');
        }
        stem.push_str(word);
    }
    let stem = if stem.is_empty() { "events" } else { &stem };
    let mut path = folder.join(format!("{stem}-{suffix}.{extension}"));
    let mut number = 2;
    while path.exists() && number < 1000 {
        path = folder.join(format!("{stem}-{suffix}-{number}.{extension}"));
        number += 1;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crocus() -> Dataset {
        crate::builtin::crocus_dataset().unwrap().dataset
    }

    #[test]
    fn formats_follow_the_extension_in_any_case() {
        assert_eq!(
            ExportFormat::from_path(Path::new("a/b.CSV")),
            Some(ExportFormat::Csv)
        );
        assert_eq!(
            ExportFormat::from_path(Path::new("b.geojson")),
            Some(ExportFormat::GeoJson)
        );
        assert_eq!(ExportFormat::from_path(Path::new("b.txt")), None);
        let message = ExportFormat::unknown_extension(Path::new("b.txt"));
        assert!(message.contains(".kml (KML)"), "{message}");
    }

    #[test]
    fn a_filter_keeps_events_in_its_span_and_categories() {
        let dataset = crocus();
        let all = select(&dataset, &EventFilter::default()).unwrap();
        assert_eq!(all.len(), dataset.events.len());
        let march = crate::model::When::parse("2024-03-20/2024-03-23").unwrap();
        let filter = EventFilter {
            span: Some(march.provisional_span()),
            categories: vec!["attack".to_owned()],
            ..EventFilter::default()
        };
        let chosen = select(&dataset, &filter).unwrap();
        assert!(!chosen.is_empty());
        for index in chosen {
            let event = &dataset.events[index];
            assert_eq!(dataset.categories[event.category.unwrap()].id, "attack");
            assert!(event.span.end > march.provisional_span().start);
        }
        let none = EventFilter {
            categories: vec!["no-such-category".to_owned()],
            ..EventFilter::default()
        };
        assert!(select(&dataset, &none).unwrap().is_empty());
    }

    #[test]
    fn suggested_names_are_tidy_and_do_not_exist() {
        let folder = std::env::temp_dir().join(format!("atlas-suggest-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let first = suggested_path(&folder, "Crocus: the run-up", "export", "csv");
        assert_eq!(first, folder.join("Crocus-the-run-up-export.csv"));
        std::fs::write(&first, "x").unwrap();
        let second = suggested_path(&folder, "Crocus: the run-up", "export", "csv");
        assert_eq!(second, folder.join("Crocus-the-run-up-export-2.csv"));
        let long = suggested_path(
            &folder,
            "Run-up to the Crocus City Hall attack (March 2024)",
            "export",
            "kml",
        );
        assert_eq!(
            long,
            folder.join("Run-up-to-the-Crocus-City-Hall-attack-March-2024-export.kml")
        );
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_summary_says_what_was_written_and_left_out() {
        let summary = ExportSummary {
            format: Some(ExportFormat::Csv),
            events: 14,
            with_place: 4,
            links_left_out: 2,
            not_kept: vec!["links".to_owned()],
            bytes: 12_345,
        };
        assert_eq!(
            summary.line(),
            "CSV: 14 events (4 with a place), 13 kB; 2 links to events not exported were left out; CSV cannot hold links"
        );
    }
}
