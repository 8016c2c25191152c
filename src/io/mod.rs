//! Reading and writing datasets. Knows nothing of egui.
//!
//! The pipeline: the bytes' format is detected ([`detect`]: content first, name second), that
//! format's reader reads them (today one format, Event Atlas JSON: `atlas.rs`, with a streaming
//! reader for clean files, `fast.rs`, and a positional one that says where every problem is,
//! `json.rs`), checking the format's rules (`rules.rs`), and every reader ends in the same
//! assembly step (`assemble.rs`) that makes the [`Dataset`](crate::model::Dataset). [`write`]
//! writes the format back.

mod assemble;
mod atlas;
mod dates;
mod details;
mod diagnostic;
pub mod export;
mod fast;
#[doc(hidden)]
pub mod fuzzing;
mod geojson;
mod geometry;
mod import;
mod inert;
mod json;
mod kml;
mod palette;
mod records;
mod rules;
mod scan;
mod sniff;
pub mod story;
mod storymap;
mod table;
mod text;
mod timelinejs;
pub mod write;

pub use diagnostic::{
    CappedDiagnostics, Diagnostic, LISTED_ERRORS, LISTED_WARNINGS, LoadError, Severity, capped,
    inert, inert_keeping, is_active_char, thousands,
};
pub use import::{ImportOptions, ImportReport, PREVIEW_ROWS, SkipReason, TablePreview};
pub use palette::category_color as default_category_color;
pub use sniff::{Content, HEAD_BYTES};

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crate::model::Dataset;

/// A dataset that loaded, with the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    pub warnings: Vec<Diagnostic>,
    /// For a file imported from another format: what became of its rows.
    pub report: Option<ImportReport>,
    /// Set by a reader that made sure, while it read them, that no event's title needs an
    /// escape and no date is in year 0: the pass after reading then need not visit every
    /// event again (at a million events, that visit is what it costs).
    pub events_need_no_remark: bool,
}

/// Shared between a loading thread and the UI: how far it got, and a request to stop.
#[derive(Debug, Default)]
pub struct LoadProgress {
    /// Thousandths of the work done.
    permille: AtomicU32,
    cancel: AtomicBool,
}

impl LoadProgress {
    /// Fraction done, 0 to 1.
    pub fn fraction(&self) -> f32 {
        self.permille.load(Ordering::Relaxed) as f32 / 1000.0
    }

    /// Sets the fraction done (clamped to 0..=1).
    pub fn set_fraction(&self, fraction: f64) {
        self.permille.store(
            (fraction.clamp(0.0, 1.0) * 1000.0) as u32,
            Ordering::Relaxed,
        );
    }

    /// Asks the loading thread to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Files up to this size are read whole and kept in memory for the events' details; larger
/// ones are streamed, and details are read again from the file when an event is shown.
pub const STREAM_ABOVE_BYTES: u64 = 32 << 20;

/// The kinds of file the open dialog offers, with their usual extensions; the first entry
/// takes all of them. (Files are told apart by their content, so the name only helps to find
/// them.)
pub const FILE_TYPES: &[(&str, &[&str])] = &[
    (
        "Everything Event Atlas opens",
        &[
            "json", "geojson", "geojsonl", "ndjson", "csv", "CSV", "tsv", "tab", "txt", "xlsx",
            "ods", "kml", "kmz",
        ],
    ),
    ("Event Atlas JSON", &["json"]),
    (
        "GeoJSON (feeds, JSON-FG)",
        &["geojson", "geojsonl", "ndjson", "json"],
    ),
    (
        "CSV / TSV tables (ACLED, GDELT)",
        &["csv", "CSV", "tsv", "tab", "txt"],
    ),
    ("Spreadsheets (xlsx, ods; TimeMap sheets)", &["xlsx", "ods"]),
    ("KML / KMZ (Google Earth)", &["kml", "kmz"]),
    ("TimelineJS / StoryMapJS JSON", &["json"]),
];

/// Whether `text` reads as a date written out (ISO 8601, `22/03/2024`, `22 March 2024`,
/// `20240322`…), not as a plain number: the import dialog suggests such a column for the date.
pub fn looks_like_date(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.parse::<f64>().is_err()
        && dates::any(text, dates::SlashOrder::DayFirst).is_ok()
}

/// A format this version reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Event Atlas JSON (`docs/format.md`).
    EventAtlasJson,
    /// GeoJSON and OGC JSON-FG: a FeatureCollection, a Feature, or one feature a line.
    GeoJson,
    /// KML 2.2, and KMZ (zipped KML).
    Kml,
    /// TimelineJS3 JSON (`docs/formats.md`).
    TimelineJs,
    /// StoryMapJS JSON (`docs/formats.md`).
    StoryMapJs,
    /// CSV, TSV and other delimited tables, ACLED exports (`docs/formats.md`).
    Table,
    /// GDELT 1.0 and 2.0 event exports.
    Gdelt,
    /// Spreadsheets (xlsx, ods), TimeMap datasheets among them.
    Workbook,
    /// TimeMap's datasheet-server JSON.
    TimeMapJson,
}

impl Format {
    /// Reads a whole file's bytes; `file` names it in messages.
    fn read_bytes(
        self,
        bytes: &[u8],
        file: &str,
        options: &ImportOptions,
        progress: &LoadProgress,
    ) -> Result<Loaded, LoadError> {
        match self {
            Format::EventAtlasJson => atlas::read_bytes(bytes, file, progress),
            Format::GeoJson => geojson::read_bytes(bytes, file, options, progress),
            Format::Kml => kml::read_bytes(bytes, file, options, progress),
            Format::TimelineJs => timelinejs::read_bytes(bytes, file, progress),
            Format::StoryMapJs => storymap::read_bytes(bytes, file, progress),
            Format::Table => table::read_delimited(bytes, file, options, progress, false),
            Format::Gdelt => table::read_delimited(bytes, file, options, progress, true),
            Format::Workbook => table::read_workbook(bytes, file, options, progress),
            Format::TimeMapJson => table::read_timemap_json(bytes, file, options, progress),
        }
    }

    /// Reads a file on disk (which may be too big to hold whole). An Event Atlas JSON file
    /// bigger than `stream_above` bytes is streamed, its details read again when shown.
    fn read_path(
        self,
        path: &Path,
        file: &str,
        options: &ImportOptions,
        progress: &LoadProgress,
        stream_above: u64,
    ) -> Result<Loaded, LoadError> {
        if let Some(limit) = self.whole_file_limit() {
            refuse_past(path, file, limit, self.name())?;
        }
        match self {
            Format::EventAtlasJson => atlas::read_path(path, file, progress, stream_above),
            Format::GeoJson => geojson::read_path(path, file, options, progress),
            Format::Kml => kml::read_path(path, file, options, progress),
            Format::TimelineJs => timelinejs::read_path(path, file, progress),
            Format::StoryMapJs => storymap::read_path(path, file, progress),
            Format::Table => table::read_delimited_path(path, file, options, progress, false),
            Format::Gdelt => table::read_delimited_path(path, file, options, progress, true),
            Format::Workbook => table::read_workbook_path(path, file, options, progress),
            Format::TimeMapJson => {
                let bytes =
                    read_whole(path, progress, 0.3).map_err(|e| io_error(file, progress, &e))?;
                table::read_timemap_json(&bytes, file, options, progress)
            }
        }
    }
}

/// The largest file of a format that is read whole into memory (every format but Event Atlas
/// JSON and GeoJSON, which are streamed, and tables: [`WHOLE_TABLE_LIMIT`]): a larger one is
/// refused before it is read.
pub const WHOLE_FILE_LIMIT: u64 = 1 << 30;

/// The largest CSV/TSV or GDELT file: tables are read whole too, but their text is let go as
/// soon as the rows are events (peak memory about twice the file's size, measured in
/// docs/reliability.md), and ACLED or GDELT exports run to gigabytes.
pub const WHOLE_TABLE_LIMIT: u64 = 3 << 30;

impl Format {
    /// For a format read into memory whole, the largest file it opens.
    fn whole_file_limit(self) -> Option<u64> {
        match self {
            Format::EventAtlasJson | Format::GeoJson => None,
            Format::Table | Format::Gdelt => Some(WHOLE_TABLE_LIMIT),
            _ => Some(WHOLE_FILE_LIMIT),
        }
    }

    /// The format's name in messages.
    fn name(self) -> &'static str {
        match self {
            Format::EventAtlasJson => "Event Atlas JSON",
            Format::GeoJson => "GeoJSON",
            Format::Kml => "KML/KMZ",
            Format::TimelineJs => "TimelineJS",
            Format::StoryMapJs => "StoryMapJS",
            Format::Table => "CSV/TSV",
            Format::Gdelt => "GDELT",
            Format::Workbook => "spreadsheet",
            Format::TimeMapJson => "TimeMap JSON",
        }
    }
}

/// Refuses, before reading it, a file bigger than `limit` bytes.
fn refuse_past(path: &Path, file: &str, limit: u64, format: &str) -> Result<(), LoadError> {
    let size = std::fs::metadata(path).map_or(0, |metadata| metadata.len());
    if size <= limit {
        return Ok(());
    }
    Err(LoadError::whole_file(
        file,
        None,
        format!(
            "this {format} file is {}; files of this format are read whole, up to {}: split it into smaller files, or convert it to Event Atlas JSON (which is streamed) with another tool",
            size_in_words(size),
            size_in_words(limit)
        ),
    ))
}

/// A size for people: `2.1 GB`, `300 MB`, `12 KB`, `80 bytes` (in units of 1,024).
pub fn size_in_words(bytes: u64) -> String {
    const KB: u64 = 1 << 10;
    const MB: u64 = 1 << 20;
    const GB: u64 = 1 << 30;
    let (unit, name) = match bytes {
        b if b >= GB => (GB, "GB"),
        b if b >= MB => (MB, "MB"),
        b if b >= KB => (KB, "KB"),
        _ => return format!("{bytes} bytes"),
    };
    let whole = bytes / unit;
    if whole >= 10 {
        format!("{whole} {name}")
    } else {
        let tenths = (bytes % unit) * 10 / unit;
        if tenths == 0 {
            format!("{whole} {name}")
        } else {
            format!("{whole}.{tenths} {name}")
        }
    }
}

/// Decides which reader takes a file: from `head` (its first [`HEAD_BYTES`], or all of it if
/// shorter) after a UTF-8 byte-order mark and blank space, and from the name in `path` when the
/// content does not tell. `Err` says what the file looks like when no reader takes it.
///
/// To add a format: write its reader as one file under `io/` (bytes in, ending in
/// `assemble::dataset`), add its `Format` variant (whose `read_bytes`/`read_path` call it), and
/// one line here from what [`Content`] recognises to it, e.g.
/// `Content::GeoJsonFeatureCollection => Ok(Format::GeoJson),`.
pub fn detect(head: &[u8], path: Option<&Path>) -> Result<Format, Content> {
    match Content::of(head, path) {
        // A GeoJSON object whose `type` comes after the first 8 KB: its name says what it is.
        Content::EventAtlasJson if has_geojson_name(path) => Ok(Format::GeoJson),
        Content::EventAtlasJson => Ok(Format::EventAtlasJson),
        Content::GeoJsonFeatureCollection | Content::GeoJsonFeature | Content::GeoJsonGeometry => {
            Ok(Format::GeoJson)
        }
        Content::Kml | Content::Kmz => Ok(Format::Kml),
        Content::TimelineJs => Ok(Format::TimelineJs),
        Content::StoryMapJs => Ok(Format::StoryMapJs),
        Content::Csv | Content::Tsv => Ok(Format::Table),
        Content::Gdelt => Ok(Format::Gdelt),
        Content::Xlsx | Content::Ods => Ok(Format::Workbook),
        Content::TimeMapJson => Ok(Format::TimeMapJson),
        other => Err(other),
    }
}

/// Whether the file is named as GeoJSON (`.geojson`, or one feature a line: `.geojsonl`,
/// `.geojsons`, `.ndjson`).
fn has_geojson_name(path: Option<&Path>) -> bool {
    path.and_then(Path::extension)
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "geojson" | "geojsonl" | "geojsons" | "ndjson"))
}

/// The error for a file no reader takes.
fn unreadable(file: &str, content: Content) -> LoadError {
    LoadError::whole_file(file, None, content.message())
}

/// Parses and validates a dataset; `file` names it in messages (and its extension helps to
/// tell the format).
pub fn parse_dataset(bytes: &[u8], file: &str) -> Result<Loaded, LoadError> {
    parse_dataset_with_progress(bytes, file, &LoadProgress::default())
}

/// [`parse_dataset`], reporting progress from 30 % to 100 % and stopping when cancelled.
pub fn parse_dataset_with_progress(
    bytes: &[u8],
    file: &str,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    parse_dataset_with_options(bytes, file, &ImportOptions::default(), progress)
}

/// [`parse_dataset_with_progress`] with the columns (or sheet) the user chose.
pub fn parse_dataset_with_options(
    bytes: &[u8],
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let head = bytes.get(..HEAD_BYTES).unwrap_or(bytes);
    let format =
        detect(head, Some(Path::new(file))).map_err(|content| unreadable(file, content))?;
    let mut loaded = format
        .read_bytes(bytes, file, options, progress)
        .map_err(capped_error)?;
    after_reading(&mut loaded, file);
    Ok(loaded)
}

/// Reads and validates a dataset file.
pub fn load_path(path: &Path) -> Result<Loaded, LoadError> {
    load_path_with_progress(path, &LoadProgress::default())
}

/// Reads and validates a dataset file, reporting progress and stopping early when cancelled.
pub fn load_path_with_progress(path: &Path, progress: &LoadProgress) -> Result<Loaded, LoadError> {
    load_path_with_options(path, &ImportOptions::default(), progress)
}

/// [`load_path_with_progress`] with the columns (or sheet) the user chose.
pub fn load_path_with_options(
    path: &Path,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    load_path_streaming_above(path, options, progress, STREAM_ABOVE_BYTES)
}

/// [`load_path_with_options`] for reading every event's details next (export, `convert`): an
/// Event Atlas JSON file is held in memory whatever its size, so that it is read only once.
pub fn load_path_whole(
    path: &Path,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    load_path_streaming_above(path, options, progress, u64::MAX)
}

fn load_path_streaming_above(
    path: &Path,
    options: &ImportOptions,
    progress: &LoadProgress,
    stream_above: u64,
) -> Result<Loaded, LoadError> {
    use std::io::Read;
    let file = path.display().to_string();
    let handle = std::fs::File::open(path).map_err(|e| io_error(&file, progress, &e))?;
    let metadata = handle
        .metadata()
        .map_err(|e| io_error(&file, progress, &e))?;
    if metadata.is_dir() {
        return Err(LoadError::Io {
            file,
            message: "this is a folder, not a file".to_owned(),
        });
    }
    let mut head = Vec::with_capacity(HEAD_BYTES);
    handle
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| io_error(&file, progress, &e))?;
    let format = detect(&head, Some(path)).map_err(|content| unreadable(&file, content))?;
    let mut loaded = format
        .read_path(path, &file, options, progress, stream_above)
        .map_err(capped_error)?;
    after_reading(&mut loaded, &file);
    apply_sidecar(path, &mut loaded);
    Ok(loaded)
}

/// What every format's dataset goes through: one-line text made inert, year 0 said, and the
/// warnings capped (the first hundred listed, the rest counted).
fn after_reading(loaded: &mut Loaded, file: &str) {
    inert::make_inert(loaded, file);
    loaded.warnings = capped(std::mem::take(&mut loaded.warnings));
}

/// Every reader's list of problems capped as the positional reader's is.
fn capped_error(error: LoadError) -> LoadError {
    match error {
        LoadError::Invalid { file, diagnostics } => LoadError::Invalid {
            file,
            diagnostics: capped(diagnostics),
        },
        other => other,
    }
}

/// A story file beside the data file ([`story::sidecar_path`]) replaces the file's own story;
/// one that cannot be read is a warning, and the file's own story stays.
fn apply_sidecar(path: &Path, loaded: &mut Loaded) {
    match story::read_sidecar(path, &loaded.dataset) {
        Ok(None) => {}
        Ok(Some((story, warnings))) => {
            loaded.dataset.story = story;
            loaded.warnings.extend(warnings);
        }
        Err(error) => {
            let kept = if loaded.dataset.story.is_empty() {
                "the story file was not read"
            } else {
                "the story file was not read; the data file's own story is shown"
            };
            let problems = match error {
                LoadError::Invalid { diagnostics, .. } => diagnostics,
                other => vec![Diagnostic {
                    severity: Severity::Warning,
                    file: other.file().to_owned(),
                    line: None,
                    column: None,
                    event_id: None,
                    field: None,
                    message: match other {
                        LoadError::Io { message, .. } => format!("cannot read it: {message}"),
                        other => other.to_string(),
                    },
                }],
            };
            loaded
                .warnings
                .extend(problems.into_iter().map(|problem| Diagnostic {
                    severity: Severity::Warning,
                    message: format!("{}; {kept}", problem.message),
                    ..problem
                }));
        }
    }
}

/// A failure to read `file`: a cancel when one was asked for (reading stops by failing).
fn io_error(file: &str, progress: &LoadProgress, error: &std::io::Error) -> LoadError {
    if progress.is_cancelled() {
        LoadError::Cancelled {
            file: file.to_owned(),
        }
    } else {
        LoadError::Io {
            file: file.to_owned(),
            message: io_message(error),
        }
    }
}

/// Reads a whole file, reporting progress up to `share` and stopping when cancelled.
fn read_whole(path: &Path, progress: &LoadProgress, share: f64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut handle = std::fs::File::open(path)?;
    let size = handle.metadata()?.len();
    let mut bytes = Vec::with_capacity(size as usize);
    loop {
        if progress.is_cancelled() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "cancelled",
            ));
        }
        if (&mut handle).take(1 << 20).read_to_end(&mut bytes)? == 0 {
            return Ok(bytes);
        }
        progress.set_fraction(share * bytes.len() as f64 / size.max(1) as f64);
    }
}

fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "this is a folder, not a file".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_file_read_by_the_stream_still_gets_its_title_and_year_0_remarks() {
        // Both events are clean for the streaming reader: it checks titles and dates as it
        // reads, and the pass after reading must still visit these events.
        let text = "{\"title\": \"T\", \"events\": [\n{\"id\": \"a\", \"title\": \"x\\u202Ey\", \"when\": \"2024-03-01\"},\n{\"id\": \"b\", \"title\": \"plain\", \"when\": \"0000-01-01\"}]}";
        let loaded = parse_dataset(text.as_bytes(), "clean.json").unwrap();
        let lines: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        // In time order: year 0 first.
        assert!(lines[1].starts_with("clean.json: warning: event \"a\", field \"title\": 1 control or text-direction character"), "{lines:?}");
        assert!(
            lines[0].starts_with(
                "clean.json: warning: event \"b\", field \"when\": '0000-01-01': year 0000 is 1 BCE"
            ),
            "{lines:?}"
        );
        let escaped = loaded
            .dataset
            .events
            .iter()
            .find(|e| e.id() == "a")
            .unwrap();
        assert_eq!(escaped.title(), "x\\u{202E}y");
    }

    #[test]
    fn the_detector_hands_json_to_its_reader_and_names_everything_else() {
        assert_eq!(
            detect(b"{\"events\": []}", Some(Path::new("a.txt"))),
            Ok(Format::EventAtlasJson)
        );
        // GeoJSON (a collection, a feature, a bare geometry), KML and KMZ have their readers.
        for (head, name) in [
            (
                &br#"{"type": "FeatureCollection", "features": []}"#[..],
                "a.json",
            ),
            (br#"{"type": "Feature", "properties": {}}"#, "a.txt"),
            (br#"{"type": "Point", "coordinates": [1, 2]}"#, "a.geojson"),
        ] {
            assert_eq!(detect(head, Some(Path::new(name))), Ok(Format::GeoJson));
        }
        // A collection whose `type` comes late: the name tells.
        let late = br#"{"features": [{"type": "Feature"}"#;
        assert_eq!(
            detect(late, Some(Path::new("a.GeoJSON"))),
            Ok(Format::GeoJson)
        );
        assert_eq!(
            detect(late, Some(Path::new("a.json"))),
            Ok(Format::EventAtlasJson)
        );
        assert_eq!(detect(b"<kml>", Some(Path::new("a.xml"))), Ok(Format::Kml));
        assert_eq!(
            detect(b"PK\x03\x04", Some(Path::new("a.kmz"))),
            Ok(Format::Kml)
        );
        let geojson = br#"{"type": "FeatureCollection", "features": []}"#;
        let error = parse_dataset(geojson, "data.geojson").unwrap_err();
        assert_eq!(
            error.lines(),
            ["data.geojson: no features found: there is nothing to show"]
        );
        assert_eq!(error.file(), "data.geojson");
        let kml = parse_dataset(b"<kml>", "a.kml").unwrap_err();
        assert_eq!(
            kml.lines(),
            ["a.kml: no placemarks found: there is nothing to show"]
        );
        let kmz = parse_dataset(b"PK\x03\x04", "places.kmz").unwrap_err();
        assert!(
            kmz.lines()[0].starts_with("places.kmz: this KMZ is not a readable ZIP archive"),
            "{:?}",
            kmz.lines()
        );
        for (bytes, name, what) in [
            (&b"\x89PNG\r\n\x1a\n"[..], "map.png", "a PNG image"),
            (
                b"PK\x03\x04",
                "places.zip",
                "a ZIP archive (such as KMZ or xlsx)",
            ),
            (
                b"\x1f\x8b\x08\0",
                "events.json.gz",
                "a gzip-compressed file",
            ),
            (b"%PDF-1.4", "report.pdf", "a PDF document"),
            (b"\xFF\xFE{\0", "a.json", "UTF-16 text (save it as UTF-8)"),
            (b"hello", "a.txt", "not JSON"),
        ] {
            let error = parse_dataset(bytes, name).unwrap_err();
            let message = format!("{name}: this is {what}; Event Atlas opens");
            assert!(
                error.lines()[0].starts_with(&message),
                "{:?}",
                error.lines()
            );
        }
        let empty = parse_dataset(b"", "new.json").unwrap_err();
        assert_eq!(
            empty.lines(),
            ["new.json: the file is empty (is it complete? it may still be being written)"]
        );
    }
}
