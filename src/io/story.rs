//! Stories in files (`docs/format.md`, "Story"): the `story` field of an Event Atlas JSON file
//! and the story file beside a data file of any format (`NAME.EXT.story.json`, a "sidecar").
//!
//! One reader for both: [`read_story`] reads a `story` value and says where each problem is. A
//! bad story never stops a dataset from opening: every problem is a warning that leaves out the
//! bad step, or the bad part of a step. One writer for both: [`story_to_json`] (and
//! [`write_story`], one step a line, for the dataset writer).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::value::RawValue;

use super::diagnostic::{Diagnostic, LoadError, Severity};
use super::rules;
use crate::model::calendar::{CivilTime, DAY, edtf_year};
use crate::model::filter::{DatePrecision, Filter};
use crate::model::{
    Dataset, LonLat, PlaybackMode, StepCamera, StepView, Story, StoryStep, TimeRange,
};

/// What a story file's name adds to its data file's name: `events.csv` → `events.csv.story.json`.
pub const SIDECAR_SUFFIX: &str = ".story.json";
/// The version of the story file this version writes and reads (`"event_atlas_story": 1`).
pub const SIDECAR_VERSION: u64 = 1;

/// Fields of a story.
const STORY_FIELDS: &[&str] = &["title", "steps"];
/// Fields of a step.
const STEP_FIELDS: &[&str] = &["title", "text", "quote", "view"];
/// Fields of a step's view.
const VIEW_FIELDS: &[&str] = &[
    "center",
    "zoom",
    "at",
    "window_days",
    "mode",
    "select",
    "filter",
];
/// Fields of a step's filter.
const FILTER_FIELDS: &[&str] = &[
    "text",
    "categories",
    "regions",
    "actors",
    "from",
    "to",
    "has_place",
    "precisions",
];
/// Fields of a story file.
const SIDECAR_FIELDS: &[&str] = &["event_atlas_story", "dataset", "story"];
/// Up to this many events, an unknown `select` gets a "did you mean" hint.
const SUGGEST_AMONG_AT_MOST: usize = 50_000;
/// The map's zoom levels a step may name.
const ZOOM_RANGE: std::ops::RangeInclusive<f64> = 0.0..=20.0;

/// The playback modes as the format names them.
const MODES: [(PlaybackMode, &str); 3] = [
    (PlaybackMode::Window, "window"),
    (PlaybackMode::Cumulative, "cumulative"),
    (PlaybackMode::AtPlayhead, "at-playhead"),
];
/// The date precisions a filter can ask for, as the format names them.
const PRECISIONS: [(DatePrecision, &str); 4] = [
    (DatePrecision::Exact, "day"),
    (DatePrecision::Period, "month-or-year"),
    (DatePrecision::Range, "range"),
    (DatePrecision::Undated, "undated"),
];

/// The story file beside `data_file`: its whole name with [`SIDECAR_SUFFIX`] added
/// (`events.csv` → `events.csv.story.json`), so that `events.csv` and `events.json` each keep
/// their own.
pub fn sidecar_path(data_file: &Path) -> PathBuf {
    let mut name = data_file
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(SIDECAR_SUFFIX);
    data_file.with_file_name(name)
}

/// Reads the story file beside `data_file`, checking its steps against `dataset`: `None` when
/// there is none; the story and the warnings about it when it reads; an error (with the story
/// file's line and column) when it is not a story file at all.
pub fn read_sidecar(
    data_file: &Path,
    dataset: &Dataset,
) -> Result<Option<(Story, Vec<Diagnostic>)>, LoadError> {
    let path = sidecar_path(data_file);
    let file = path.display().to_string();
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(LoadError::Io {
                file,
                message: error.to_string(),
            });
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Err(LoadError::whole_file(
            &file,
            None,
            "the file is not UTF-8 text".to_owned(),
        ));
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    read_sidecar_text(text, &file, dataset).map(Some)
}

/// Reads a story file's text (`file` names it in messages).
pub(super) fn read_sidecar_text(
    text: &str,
    file: &str,
    dataset: &Dataset,
) -> Result<(Story, Vec<Diagnostic>), LoadError> {
    let fields: Fields<'_> = serde_json::from_str(text).map_err(|error| {
        let line = error.line().max(1);
        let column = character_column(text, line, error.column().max(1));
        let message = match error.classify() {
            serde_json::error::Category::Data => {
                "a story file is an object: {\"event_atlas_story\": 1, \"dataset\": …, \"story\": {…}}"
                    .to_owned()
            }
            _ => syntax_message(&error),
        };
        position_error(file, Some((line, column)), None, message)
    })?;
    let mut reader = StoryReader::new(text, file, dataset);
    let version = fields.get("event_atlas_story").copied();
    if version.is_none_or(|raw| raw.get().trim() != SIDECAR_VERSION.to_string()) {
        let at = version.map(|raw| reader.position(raw)).unwrap_or((1, 1));
        let message = format!(
            "not an Event Atlas story file: it needs \"event_atlas_story\": {SIDECAR_VERSION}"
        );
        return Err(position_error(
            file,
            Some(at),
            Some("event_atlas_story"),
            message,
        ));
    }
    let Some(&story) = fields.get("story") else {
        let message = "the story file has no \"story\"".to_owned();
        return Err(position_error(file, Some((1, 1)), Some("story"), message));
    };
    if !story.get().starts_with('{') {
        // Not a story at all: the data file's own story is better than none.
        let at = reader.position(story);
        let message = format!(
            "expected a story ({{\"steps\": […]}}), found {}",
            kind_of(story)
        );
        return Err(position_error(file, Some(at), Some("story"), message));
    }
    reader.unknown_fields(&fields, SIDECAR_FIELDS, "");
    if let Some(name) = reader.string(&fields, "dataset", "")
        && name != dataset.title
    {
        let at = fields.get("dataset").copied();
        reader.warn(
            at,
            "dataset",
            format!(
                "this story was made for the dataset \"{name}\", and the file holds \"{}\"; its steps are shown all the same",
                dataset.title
            ),
        );
    }
    let story = reader.story(story, "story");
    reader.warnings.sort_by_key(|d| (d.line, d.column));
    Ok((story, reader.warnings))
}

/// Writes `story` to the story file beside `data_file` (never the data file itself), through a
/// temporary file renamed over it, so that it is never seen half-written. Returns its path.
pub fn write_sidecar(
    data_file: &Path,
    dataset_title: &str,
    story: &Story,
) -> Result<PathBuf, String> {
    let path = sidecar_path(data_file);
    let document = SidecarOut {
        event_atlas_story: SIDECAR_VERSION,
        dataset: dataset_title,
        story: StoryOut::of(story),
    };
    let mut bytes = serde_json::to_vec_pretty(&document).map_err(|error| error.to_string())?;
    bytes.push(b'\n');
    let name = path
        .file_name()
        .map_or_else(|| "story".into(), |name| name.to_string_lossy());
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)
    })();
    written.map_err(|error| {
        // Whatever was written is not wanted; it may not exist at all.
        std::fs::remove_file(&temporary).ok();
        format!("{}: {error}; the story was not saved", path.display())
    })?;
    Ok(path)
}

/// The story as the format writes it (`docs/format.md`, "Story"): a value for any JSON
/// writer. Parts a step does not name are left out.
pub fn story_to_json(story: &Story) -> serde_json::Value {
    serde_json::to_value(StoryOut::of(story)).unwrap_or_else(|error| {
        // Only a map with non-text keys fails to convert; the story has none.
        debug_assert!(false, "a story converts to JSON: {error}");
        serde_json::Value::Null
    })
}

/// Writes `story` as the value of a dataset's `story` field: its title, then one step a line,
/// indented for a field of the top-level object.
pub(crate) fn write_story(out: &mut impl Write, story: &Story) -> std::io::Result<()> {
    let written = StoryOut::of(story);
    out.write_all(b"{")?;
    if let Some(title) = written.title {
        out.write_all(b"\"title\": ")?;
        serde_json::to_writer(&mut *out, title)?;
        out.write_all(b", ")?;
    }
    out.write_all(b"\"steps\": [")?;
    for (index, step) in written.steps.iter().enumerate() {
        out.write_all(if index == 0 { b"\n    " } else { b",\n    " })?;
        let mut serializer = serde_json::Serializer::with_formatter(&mut *out, OneLine);
        step.serialize(&mut serializer)?;
    }
    out.write_all(if written.steps.is_empty() {
        b"]}"
    } else {
        b"\n  ]}"
    })
}

/// JSON on one line with a space after each `,` and `:`, as the dataset writer lays out events.
struct OneLine;

impl serde_json::ser::Formatter for OneLine {
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first { Ok(()) } else { out.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first { Ok(()) } else { out.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }
}

/// Reads the `story` value `raw`, which lies in `text` (the whole file, or the story's own
/// text), at the field path `path`; `file` names the file in messages. Every problem is a
/// warning positioned in `text`; bad steps and bad parts of steps are left out.
pub(super) fn read_story(
    text: &str,
    raw: &RawValue,
    file: &str,
    dataset: &Dataset,
) -> (Story, Vec<Diagnostic>) {
    let mut reader = StoryReader::new(text, file, dataset);
    let story = reader.story(raw, "story");
    reader.warnings.sort_by_key(|d| (d.line, d.column));
    (story, reader.warnings)
}

type Fields<'a> = BTreeMap<String, &'a RawValue>;

/// Reads a story, with each problem's line and column in `text`.
struct StoryReader<'a> {
    text: &'a str,
    file: &'a str,
    dataset: &'a Dataset,
    /// Where each line of `text` starts: counted when the first problem is found.
    line_starts: Option<Vec<usize>>,
    warnings: Vec<Diagnostic>,
}

impl<'a> StoryReader<'a> {
    fn new(text: &'a str, file: &'a str, dataset: &'a Dataset) -> Self {
        Self {
            text,
            file,
            dataset,
            line_starts: None,
            warnings: Vec::new(),
        }
    }

    /// 1-based line and column (in characters) of a raw value inside `text`.
    fn position(&mut self, raw: &RawValue) -> (usize, usize) {
        let text = self.text;
        let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let offset = offset.min(text.len());
        let line_starts = self.line_starts.get_or_insert_with(|| {
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        });
        let line_index = line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = line_starts.get(line_index).copied().unwrap_or(0);
        let column = text
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count())
            + 1;
        (line_index + 1, column)
    }

    fn warn(&mut self, at: Option<&RawValue>, path: &str, message: impl Into<String>) {
        let (line, column) = match at {
            Some(raw) => {
                let (line, column) = self.position(raw);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        self.warnings.push(Diagnostic {
            severity: Severity::Warning,
            file: self.file.to_owned(),
            line,
            column,
            event_id: None,
            field: (!path.is_empty()).then(|| path.to_owned()),
            message: message.into(),
        });
    }

    fn object(&mut self, raw: &'a RawValue, path: &str) -> Option<Fields<'a>> {
        match serde_json::from_str::<Fields<'a>>(raw.get()) {
            Ok(fields) => Some(fields),
            Err(_) => {
                let message = format!("expected an object, found {}", kind_of(raw));
                self.warn(Some(raw), path, message);
                None
            }
        }
    }

    fn unknown_fields(&mut self, fields: &Fields<'a>, known: &[&str], path: &str) {
        for (name, &raw) in fields {
            if !known.contains(&name.as_str()) {
                let message = rules::unknown_field(name, known);
                self.warn(Some(raw), &field_path(path, name), message);
            }
        }
    }

    /// The field `name` of `fields` unless it is absent or `null`.
    fn present(fields: &Fields<'a>, name: &str) -> Option<&'a RawValue> {
        fields.get(name).copied().filter(|raw| raw.get() != "null")
    }

    /// An optional string field; `null` counts as absent, anything else is a warning.
    fn string(&mut self, fields: &Fields<'a>, name: &str, path: &str) -> Option<String> {
        let raw = Self::present(fields, name)?;
        match serde_json::from_str::<String>(raw.get()) {
            Ok(value) => Some(value),
            Err(_) => {
                let message = format!("expected a string, found {}", kind_of(raw));
                self.warn(Some(raw), &field_path(path, name), message);
                None
            }
        }
    }

    /// An optional number field.
    fn number(&mut self, fields: &Fields<'a>, name: &str, path: &str) -> Option<f64> {
        let raw = Self::present(fields, name)?;
        match serde_json::from_str::<f64>(raw.get()) {
            Ok(value) if value.is_finite() => Some(value),
            _ => {
                let message = format!("expected a number, found {}", kind_of(raw));
                self.warn(Some(raw), &field_path(path, name), message);
                None
            }
        }
    }

    /// An optional list of strings; a list with anything else in it is left out whole.
    fn strings(&mut self, fields: &Fields<'a>, name: &str, path: &str) -> Vec<String> {
        let Some(raw) = Self::present(fields, name) else {
            return Vec::new();
        };
        match serde_json::from_str::<Vec<String>>(raw.get()) {
            Ok(values) => values,
            Err(_) => {
                let message = format!("expected a list of strings, found {}", kind_of(raw));
                self.warn(Some(raw), &field_path(path, name), message);
                Vec::new()
            }
        }
    }

    fn story(&mut self, raw: &'a RawValue, path: &str) -> Story {
        if raw.get() == "null" {
            return Story::default();
        }
        let Some(fields) = self.object(raw, path) else {
            return Story::default();
        };
        self.unknown_fields(&fields, STORY_FIELDS, path);
        let title = self.string(&fields, "title", path);
        let steps_path = field_path(path, "steps");
        let items = match Self::present(&fields, "steps") {
            Some(list) => match serde_json::from_str::<Vec<&'a RawValue>>(list.get()) {
                Ok(items) => items,
                Err(_) => {
                    let message = format!("expected a list of steps, found {}", kind_of(list));
                    self.warn(Some(list), &steps_path, message);
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        let steps = items
            .into_iter()
            .enumerate()
            .filter_map(|(index, item)| self.step(item, &format!("{steps_path}[{index}]")))
            .collect();
        Story { title, steps }
    }

    /// One step; `None` (with a warning) when it is not an object or has no title.
    fn step(&mut self, raw: &'a RawValue, path: &str) -> Option<StoryStep> {
        let Ok(fields) = serde_json::from_str::<Fields<'a>>(raw.get()) else {
            let message = format!(
                "expected an object, found {}; the step is left out",
                kind_of(raw)
            );
            self.warn(Some(raw), path, message);
            return None;
        };
        self.unknown_fields(&fields, STEP_FIELDS, path);
        let title_raw = Self::present(&fields, "title");
        let title = title_raw.and_then(|title| serde_json::from_str::<String>(title.get()).ok());
        let Some(title) = title.filter(|title| rules::required(title).is_ok()) else {
            let message = "a step needs a title (a short text); the step is left out";
            self.warn(
                Some(title_raw.unwrap_or(raw)),
                &field_path(path, "title"),
                message,
            );
            return None;
        };
        let text = self.string(&fields, "text", path).unwrap_or_default();
        let quote = self.string(&fields, "quote", path);
        let view = match Self::present(&fields, "view") {
            Some(view) => self.view(view, &field_path(path, "view")),
            None => StepView::default(),
        };
        Some(StoryStep {
            title,
            text,
            quote,
            view,
        })
    }

    fn view(&mut self, raw: &'a RawValue, path: &str) -> StepView {
        let Some(fields) = self.object(raw, path) else {
            return StepView::default();
        };
        self.unknown_fields(&fields, VIEW_FIELDS, path);
        let playhead = Self::present(&fields, "at")
            .and_then(|at| self.instant(at, &field_path(path, "at"), Edge::Start));
        StepView {
            camera: self.camera(&fields, path),
            playhead,
            window: self.window(&fields, path),
            mode: self.mode(&fields, path),
            filter: Self::present(&fields, "filter")
                .and_then(|filter| self.filter(filter, &field_path(path, "filter"))),
            selection: self.selection(&fields, path),
        }
    }

    /// `center` ([longitude, latitude]) and `zoom`, both present and in range.
    fn camera(&mut self, fields: &Fields<'a>, path: &str) -> Option<StepCamera> {
        let center_raw = Self::present(fields, "center");
        let zoom_raw = Self::present(fields, "zoom");
        if center_raw.is_none() && zoom_raw.is_none() {
            return None;
        }
        let center = center_raw.and_then(|raw| self.center(raw, &field_path(path, "center")));
        let zoom = self.number(fields, "zoom", path);
        if let Some(level) = zoom
            && !ZOOM_RANGE.contains(&level)
        {
            let message =
                format!("zoom {level} is outside 0..20; the step keeps the map where it is");
            self.warn(zoom_raw, &field_path(path, "zoom"), message);
            return None;
        }
        match (center_raw, zoom_raw) {
            (Some(_), None) | (None, Some(_)) => {
                let (missing, at) = match center_raw {
                    Some(raw) => ("zoom", raw),
                    None => ("center", zoom_raw?),
                };
                let message = format!(
                    "a camera needs both \"center\" and \"zoom\"; \"{missing}\" is missing, so the step keeps the map where it is"
                );
                self.warn(Some(at), &field_path(path, missing), message);
                None
            }
            _ => Some(StepCamera {
                center: center?,
                zoom: zoom?,
            }),
        }
    }

    /// `[longitude, latitude]`, in range.
    fn center(&mut self, raw: &'a RawValue, path: &str) -> Option<LonLat> {
        let Ok([lon, lat]) = serde_json::from_str::<[f64; 2]>(raw.get()) else {
            let message = format!(
                "expected [longitude, latitude] (two numbers), found {}",
                kind_of(raw)
            );
            self.warn(Some(raw), path, message);
            return None;
        };
        for problem in [rules::longitude(lon).err(), rules::latitude(lat).err()]
            .into_iter()
            .flatten()
        {
            self.warn(Some(raw), path, problem);
        }
        rules::point(lon, lat)
    }

    /// A date or date-time (`at`, a filter's `from` and `to`): its first instant, or the one
    /// after its last for the `End` of a span.
    fn instant(&mut self, raw: &'a RawValue, path: &str, edge: Edge) -> Option<i64> {
        let Ok(text) = serde_json::from_str::<String>(raw.get()) else {
            let message = format!(
                "expected a date as text (\"2024-03-07\"), found {}",
                kind_of(raw)
            );
            self.warn(Some(raw), path, message);
            return None;
        };
        let when = match rules::date(&text) {
            Ok(when) => when,
            Err(message) => {
                self.warn(Some(raw), path, message);
                return None;
            }
        };
        let instant = match edge {
            Edge::Start => when.known_start(),
            Edge::End => when.known_end(),
        };
        if instant.is_none() {
            let side = if edge == Edge::Start { "start" } else { "end" };
            let message = format!("\"{text}\" has no {side} to stand at; give a date");
            self.warn(Some(raw), path, message);
        }
        instant
    }

    /// `window_days`: a number of days above 0, as seconds.
    fn window(&mut self, fields: &Fields<'a>, path: &str) -> Option<i64> {
        let days = self.number(fields, "window_days", path)?;
        let seconds = (days * DAY as f64).round();
        if days > 0.0 && seconds >= 1.0 && seconds < i64::MAX as f64 {
            return Some(seconds as i64);
        }
        let at = Self::present(fields, "window_days");
        let message = format!("the window must be more than 0 days, not {days}");
        self.warn(at, &field_path(path, "window_days"), message);
        None
    }

    fn mode(&mut self, fields: &Fields<'a>, path: &str) -> Option<PlaybackMode> {
        let name = self.string(fields, "mode", path)?;
        let found = MODES.iter().find(|(_, written)| *written == name.trim());
        if found.is_none() {
            let at = Self::present(fields, "mode");
            let message = format!(
                "unknown mode \"{name}\"; the modes are \"window\", \"cumulative\" and \"at-playhead\""
            );
            self.warn(at, &field_path(path, "mode"), message);
        }
        found.map(|(mode, _)| *mode)
    }

    /// `select`: the id of an event of the dataset.
    fn selection(&mut self, fields: &Fields<'a>, path: &str) -> Option<String> {
        let id = self.string(fields, "select", path)?;
        if self.dataset.find(&id).is_some() {
            return Some(id);
        }
        // A near miss is looked for among a dataset's ids only where that is quick: it costs
        // about 1.5 s among a million.
        let hint = if self.dataset.events.len() <= SUGGEST_AMONG_AT_MOST {
            let known: Vec<&str> = self.dataset.events.iter().map(|event| event.id()).collect();
            rules::did_you_mean(&id, &known)
        } else {
            String::new()
        };
        let message = format!("no event has the id \"{id}\"{hint}");
        let at = Self::present(fields, "select");
        self.warn(at, &field_path(path, "select"), message);
        None
    }

    /// A step's filter; a bad part of it is left out (with a warning), the rest kept.
    fn filter(&mut self, raw: &'a RawValue, path: &str) -> Option<Filter> {
        let fields = self.object(raw, path)?;
        self.unknown_fields(&fields, FILTER_FIELDS, path);
        let from = Self::present(&fields, "from")
            .and_then(|from| self.instant(from, &field_path(path, "from"), Edge::Start));
        let to = Self::present(&fields, "to")
            .and_then(|to| self.instant(to, &field_path(path, "to"), Edge::End));
        let mut span = match (from, to) {
            (None, None) => None,
            (start, end) => Some(TimeRange {
                start: start.unwrap_or(i64::MIN),
                end: end.unwrap_or(i64::MAX),
            }),
        };
        if let Some(range) = span
            && range.start >= range.end
        {
            let at = Self::present(&fields, "to");
            let message = "\"to\" is before \"from\": the dates are left out of the filter";
            self.warn(at, &field_path(path, "to"), message);
            span = None;
        }
        let has_place = match Self::present(&fields, "has_place") {
            Some(raw) => serde_json::from_str::<bool>(raw.get()).unwrap_or_else(|_| {
                let message = format!("expected true or false, found {}", kind_of(raw));
                self.warn(Some(raw), &field_path(path, "has_place"), message);
                false
            }),
            None => false,
        };
        Some(Filter {
            span,
            categories: self.strings(&fields, "categories", path),
            regions: self.strings(&fields, "regions", path),
            precisions: self.precisions(&fields, path),
            has_place,
            text: self.string(&fields, "text", path).unwrap_or_default(),
            actors: self.strings(&fields, "actors", path),
        })
    }

    fn precisions(&mut self, fields: &Fields<'a>, path: &str) -> Vec<DatePrecision> {
        let names = self.strings(fields, "precisions", path);
        let mut precisions = Vec::new();
        for name in names {
            match PRECISIONS
                .iter()
                .find(|(_, written)| *written == name.trim())
            {
                Some((precision, _)) => precisions.push(*precision),
                None => {
                    let at = Self::present(fields, "precisions");
                    let message = format!(
                        "unknown precision \"{name}\"; the precisions are \"day\", \"month-or-year\", \"range\" and \"undated\""
                    );
                    self.warn(at, &field_path(path, "precisions"), message);
                }
            }
        }
        precisions
    }
}

/// Which instant of a date: its first, or the one after its last.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    Start,
    End,
}

/// `path.name`, or `name` at the top.
fn field_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn kind_of(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'{') => "an object",
        Some(b'[') => "a list",
        Some(b't' | b'f') => "true/false",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// A load error with one problem at a position of `file`.
fn position_error(
    file: &str,
    at: Option<(usize, usize)>,
    field: Option<&str>,
    message: String,
) -> LoadError {
    LoadError::Invalid {
        file: file.to_owned(),
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
            event_id: None,
            field: field.map(str::to_owned),
            message,
        }],
    }
}

fn syntax_message(error: &serde_json::Error) -> String {
    if error.classify() == serde_json::error::Category::Eof {
        return "the file ends too early (is it complete?)".to_owned();
    }
    // serde_json appends " at line L column C"; the position is printed in front instead.
    let message = error.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head)
        .to_owned();
    format!("invalid JSON: {message}")
}

/// serde_json's byte column on `line` (1-based) as a character column.
fn character_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line - 1) else {
        return byte_column;
    };
    let mut end = (byte_column - 1).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text
        .get(..end)
        .map_or(byte_column, |s| s.chars().count() + 1)
}

/// An instant as a date (`2024-03-07`) when it is the start of a day, else as a UTC date-time
/// (`2024-03-07T18:30Z`, with seconds when it has them). Beyond four-digit years, the year.
fn instant_text(seconds: i64) -> String {
    let t = CivilTime::from_unix(seconds);
    let year = edtf_year(t.year);
    if t.year.abs() > 9999 {
        return year;
    }
    let day = format!("{year}-{:02}-{:02}", t.month, t.day);
    match (seconds.rem_euclid(DAY), t.second) {
        (0, _) => day,
        (_, 0) => format!("{day}T{:02}:{:02}Z", t.hour, t.minute),
        (_, second) => format!("{day}T{:02}:{:02}:{second:02}Z", t.hour, t.minute),
    }
}

/// The text of a span's last instant, that reads back (as `to`) to the span's `end`: the day
/// before a midnight end, else the minute or second before it.
fn end_text(end: i64) -> String {
    if end.rem_euclid(DAY) == 0 {
        instant_text(end - DAY)
    } else if end.rem_euclid(60) == 0 {
        instant_text(end - 60)
    } else {
        instant_text(end - 1)
    }
}

/// A story file as written.
#[derive(Serialize)]
struct SidecarOut<'a> {
    event_atlas_story: u64,
    dataset: &'a str,
    story: StoryOut<'a>,
}

#[derive(Serialize)]
struct StoryOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    steps: Vec<StepOut<'a>>,
}

impl<'a> StoryOut<'a> {
    fn of(story: &'a Story) -> Self {
        Self {
            title: story.title.as_deref(),
            steps: story.steps.iter().map(StepOut::of).collect(),
        }
    }
}

#[derive(Serialize)]
struct StepOut<'a> {
    title: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    view: ViewOut<'a>,
}

impl<'a> StepOut<'a> {
    fn of(step: &'a StoryStep) -> Self {
        let view = &step.view;
        Self {
            title: &step.title,
            text: &step.text,
            quote: step.quote.as_deref(),
            view: ViewOut {
                center: view
                    .camera
                    .map(|camera| [camera.center.lon, camera.center.lat]),
                zoom: view.camera.map(|camera| camera.zoom),
                at: view.playhead.map(instant_text),
                window_days: view.window.map(|seconds| seconds as f64 / DAY as f64),
                mode: view.mode.and_then(|mode| {
                    MODES
                        .iter()
                        .find(|(known, _)| *known == mode)
                        .map(|(_, name)| *name)
                }),
                select: view.selection.as_deref(),
                filter: view.filter.as_ref().map(FilterOut::of),
            },
        }
    }
}

#[derive(Serialize)]
struct ViewOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    center: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zoom: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    window_days: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    select: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<FilterOut<'a>>,
}

#[derive(Serialize)]
struct FilterOut<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    text: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    categories: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    regions: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    actors: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    has_place: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    precisions: Vec<&'static str>,
}

impl<'a> FilterOut<'a> {
    fn of(filter: &'a Filter) -> Self {
        let span = filter.span;
        Self {
            text: &filter.text,
            categories: &filter.categories,
            regions: &filter.regions,
            actors: &filter.actors,
            from: span
                .map(|span| span.start)
                .filter(|&start| start != i64::MIN)
                .map(instant_text),
            to: span
                .map(|span| span.end)
                .filter(|&end| end != i64::MAX)
                .map(end_text),
            has_place: filter.has_place,
            precisions: filter
                .precisions
                .iter()
                .filter_map(|precision| {
                    PRECISIONS
                        .iter()
                        .find(|(known, _)| known == precision)
                        .map(|(_, name)| *name)
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::When;

    fn crocus() -> Dataset {
        crate::builtin::crocus_dataset().unwrap().dataset
    }

    /// A story that names every part of a view, and one step that names none.
    fn full_story() -> Story {
        let day = |text: &str| When::parse(text).unwrap().known_start().unwrap();
        Story {
            title: Some("How the warnings came before the attack".to_owned()),
            steps: vec![
                StoryStep {
                    title: "The embassy's alert".to_owned(),
                    text: "On 7 March the US embassy warned \"everyone\".".to_owned(),
                    quote: Some("exact words".to_owned()),
                    view: StepView {
                        camera: Some(StepCamera {
                            center: LonLat::new(37.6, 55.75),
                            zoom: 8.5,
                        }),
                        playhead: Some(day("2024-03-07")),
                        window: Some(14 * DAY),
                        mode: Some(PlaybackMode::AtPlayhead),
                        filter: Some(Filter {
                            span: Some(TimeRange {
                                start: day("2024-03-01"),
                                end: day("2024-03-24"),
                            }),
                            categories: vec!["warning".to_owned()],
                            regions: vec!["RU-MOS".to_owned()],
                            precisions: vec![DatePrecision::Exact, DatePrecision::Range],
                            has_place: true,
                            text: "embassy".to_owned(),
                            actors: vec!["US embassy in Russia".to_owned()],
                        }),
                        selection: Some("us-embassy-alert".to_owned()),
                    },
                },
                StoryStep {
                    title: "Nothing else".to_owned(),
                    view: StepView {
                        playhead: Some(day("2024-03-22") + 19 * 3600 + 58 * 60 + 7),
                        window: Some(90 * 60),
                        filter: Some(Filter::default()),
                        ..StepView::default()
                    },
                    ..StoryStep::default()
                },
                StoryStep {
                    title: "Only a title".to_owned(),
                    ..StoryStep::default()
                },
            ],
        }
    }

    fn read(text: &str, dataset: &Dataset) -> (Story, Vec<String>) {
        let raw: &RawValue = serde_json::from_str(text).unwrap();
        let (story, warnings) = read_story(text, raw, "s.json", dataset);
        (story, warnings.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn the_sidecar_sits_beside_the_whole_file_name() {
        assert_eq!(
            sidecar_path(Path::new("/data/events.csv")),
            Path::new("/data/events.csv.story.json")
        );
        assert_eq!(
            sidecar_path(Path::new("crocus.json")),
            Path::new("crocus.json.story.json")
        );
    }

    #[test]
    fn every_part_of_a_step_is_written_and_read_back_equal() {
        let dataset = crocus();
        let story = full_story();
        let value = story_to_json(&story);
        let text = serde_json::to_string_pretty(&value).unwrap();
        let (again, warnings) = read(&text, &dataset);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(again, story);
        let view = &value["steps"][0]["view"];
        assert_eq!(view["at"], "2024-03-07");
        assert_eq!(view["window_days"], 14.0);
        assert_eq!(view["mode"], "at-playhead");
        assert_eq!(view["filter"]["from"], "2024-03-01");
        assert_eq!(view["filter"]["to"], "2024-03-23");
        assert_eq!(
            view["filter"]["precisions"],
            serde_json::json!(["day", "range"])
        );
        assert_eq!(value["steps"][1]["view"]["at"], "2024-03-22T19:58:07Z");
        assert_eq!(value["steps"][1]["view"]["filter"], serde_json::json!({}));
        // The dataset writer's layout reads back the same.
        let mut written = Vec::new();
        write_story(&mut written, &story).unwrap();
        let written = String::from_utf8(written).unwrap();
        assert_eq!(written.lines().count(), 5, "{written}");
        assert_eq!(read(&written, &dataset).0, story);
    }

    #[test]
    fn bad_parts_are_left_out_with_a_warning_each() {
        let dataset = crocus();
        let text = r#"{"title": 3, "steps": [
  {"title": "A", "view": {"center": [37.6, 95], "zoom": 8, "select": "kaluga-cel"}},
  "not a step",
  {"text": "no title"},
  {"title": "B", "view": {"zoom": 30, "at": "2024-02-30", "window_days": 0, "mode": "loop"}},
  {"title": "C", "view": {"center": [37.6, 55.7], "at": "../2024-03", "filter": {"from": "2024-03-09", "to": "2024-03-01", "precisions": ["day", "hour"], "colour": 1}}, "titel": "x"}
]}"#;
        let (story, warnings) = read(text, &dataset);
        assert_eq!(
            warnings,
            [
                "s.json:1:11: warning: field \"story.title\": expected a string, found a number",
                "s.json:2:37: warning: field \"story.steps[0].view.center\": latitude 95 is outside -90..90",
                "s.json:2:70: warning: field \"story.steps[0].view.select\": no event has the id \"kaluga-cel\" (did you mean \"kaluga-cell\"?)",
                "s.json:3:3: warning: field \"story.steps[1]\": expected an object, found a string; the step is left out",
                "s.json:4:3: warning: field \"story.steps[2].title\": a step needs a title (a short text); the step is left out",
                "s.json:5:35: warning: field \"story.steps[3].view.zoom\": zoom 30 is outside 0..20; the step keeps the map where it is",
                "s.json:5:45: warning: field \"story.steps[3].view.at\": '2024-02-30': day 30 does not exist in February 2024 (it has 29 days)",
                "s.json:5:74: warning: field \"story.steps[3].view.window_days\": the window must be more than 0 days, not 0",
                "s.json:5:85: warning: field \"story.steps[3].view.mode\": unknown mode \"loop\"; the modes are \"window\", \"cumulative\" and \"at-playhead\"",
                "s.json:6:37: warning: field \"story.steps[4].view.zoom\": a camera needs both \"center\" and \"zoom\"; \"zoom\" is missing, so the step keeps the map where it is",
                "s.json:6:57: warning: field \"story.steps[4].view.at\": \"../2024-03\" has no start to stand at; give a date",
                "s.json:6:110: warning: field \"story.steps[4].view.filter.to\": \"to\" is before \"from\": the dates are left out of the filter",
                "s.json:6:138: warning: field \"story.steps[4].view.filter.precisions\": unknown precision \"hour\"; the precisions are \"day\", \"month-or-year\", \"range\" and \"undated\"",
                "s.json:6:165: warning: field \"story.steps[4].view.filter.colour\": unknown field; ignored",
                "s.json:6:179: warning: field \"story.steps[4].titel\": unknown field (did you mean \"title\"?); ignored",
            ]
        );
        let titles: Vec<&str> = story.steps.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["A", "B", "C"]);
        assert_eq!(story.title, None);
        let [a, b, c] = &story.steps[..] else {
            panic!()
        };
        assert_eq!(a.view, StepView::default());
        assert_eq!(b.view, StepView::default());
        let filter = c.view.filter.as_ref().unwrap();
        assert_eq!(filter.span, None);
        assert_eq!(filter.precisions, [DatePrecision::Exact]);
    }

    #[test]
    fn a_sidecar_is_written_atomically_and_read_back_equal() {
        let folder = std::env::temp_dir().join(format!("atlas-sidecar-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let data = folder.join("events.csv");
        let dataset = crocus();
        assert_eq!(read_sidecar(&data, &dataset).unwrap(), None);
        let written = write_sidecar(&data, &dataset.title, &full_story()).unwrap();
        assert_eq!(written, folder.join("events.csv.story.json"));
        assert!(!data.exists(), "the data file is never written");
        let (story, warnings) = read_sidecar(&data, &dataset).unwrap().unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(story, full_story());
        let names: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
