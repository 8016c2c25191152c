//! The Event Atlas JSON format (`docs/format.md`), read with positions for every field.
//!
//! The file is parsed into borrowed raw values first, so each field's byte offset (and so its
//! line:column) is known when it is validated.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::value::RawValue;

use super::diagnostic::{Diagnostic, LoadError, Severity};
use crate::model::{
    Category, Dataset, DetailList, DetailRef, Event, EventDetails, Link, Location, LonLat, Place,
    RegionCode, Source, TimeRange, When, calendar::DAY, latitude_is_valid, longitude_is_valid,
};

/// A dataset that loaded, with the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    pub warnings: Vec<Diagnostic>,
}

/// Parses and validates a dataset; `file` names it in messages.
pub fn parse_dataset(bytes: &[u8], file: &str) -> Result<Loaded, LoadError> {
    parse_dataset_with_progress(bytes, file, &super::LoadProgress::default())
}

/// [`parse_dataset`], reporting progress from 30 % to 100 % and stopping when cancelled.
pub fn parse_dataset_with_progress(
    bytes: &[u8],
    file: &str,
    progress: &super::LoadProgress,
) -> Result<Loaded, LoadError> {
    // Clean files (the common case) load in one typed pass; anything else goes through the
    // positional reader below, which reports every problem with its line and column.
    let streamed = super::fast::stream_clean(bytes, bytes.len() as u64, file, progress)
        .ok()
        .flatten();
    if let Some((mut dataset, pending)) = streamed {
        dataset.details = Some(std::sync::Arc::new(super::fast::MemoryDetails(
            std::sync::Arc::from(bytes),
        )));
        let warnings = super::fast::place_warnings(bytes, pending).unwrap_or_default();
        progress.set_fraction(1.0);
        return Ok(Loaded { dataset, warnings });
    }
    if progress.is_cancelled() {
        return Err(LoadError::Cancelled {
            file: file.to_owned(),
        });
    }
    parse_positional_bytes(bytes, file, progress)
}

/// The positional reader on raw bytes: checks they are UTF-8 text first.
pub(super) fn parse_positional_bytes(
    bytes: &[u8],
    file: &str,
    progress: &super::LoadProgress,
) -> Result<Loaded, LoadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let reader = Reader::new("", file);
            let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
            let (line, column) = reader.line_column_of_prefix(valid);
            return Err(file_error(
                file,
                line,
                column,
                "the file is not UTF-8 text".to_owned(),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    parse_positional(text, file, progress)
}

/// The positional reader: slower, but knows where every value is, for messages.
pub(super) fn parse_positional(
    text: &str,
    file: &str,
    progress: &super::LoadProgress,
) -> Result<Loaded, LoadError> {
    let mut reader = Reader::new(text, file);
    reader.progress = Some(progress);
    let syntax_error = |error: serde_json::Error, reader: &Reader<'_>| {
        let line = error.line().max(1);
        let column = reader.character_column(line, error.column().max(1));
        file_error(file, line, column, syntax_message(&error))
    };
    let top: Fields<'_> = match serde_json::from_str(text) {
        Ok(fields) => fields,
        Err(error) if error.classify() == serde_json::error::Category::Data => {
            // Valid JSON, but not an object: point at where the value starts.
            let (line, column) = reader.root_position();
            let kind = match text.trim_start().as_bytes().first() {
                Some(b'[') => "a list",
                Some(b'"') => "a string",
                Some(b't' | b'f') => "true/false",
                Some(b'n') => "null",
                _ => "a number",
            };
            return Err(file_error(
                file,
                line,
                column,
                format!(
                    "the file holds {kind}; an Event Atlas dataset is an object with \"title\" and \"events\""
                ),
            ));
        }
        Err(error) => return Err(syntax_error(error, &reader)),
    };
    let dataset = reader.dataset(&top);
    if progress.is_cancelled() {
        return Err(LoadError::Cancelled {
            file: file.to_owned(),
        });
    }
    progress.set_fraction(1.0);
    let (mut errors, mut warnings): (Vec<_>, Vec<_>) = reader
        .diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    errors.sort_by_key(|d| (d.line, d.column));
    warnings.sort_by_key(|d| (d.line, d.column));
    match dataset {
        Some(dataset) if errors.is_empty() => Ok(Loaded { dataset, warnings }),
        _ => Err(invalid(file, errors.into_iter().chain(warnings).collect())),
    }
}

/// A load error with one problem that concerns the whole file at a position.
fn file_error(file: &str, line: usize, column: usize, message: String) -> LoadError {
    invalid(
        file,
        vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line: Some(line),
            column: Some(column),
            event_id: None,
            field: None,
            message,
        }],
    )
}

fn invalid(file: &str, diagnostics: Vec<Diagnostic>) -> LoadError {
    LoadError::Invalid {
        file: file.to_owned(),
        diagnostics,
    }
}

fn syntax_message(error: &serde_json::Error) -> String {
    if error.classify() == serde_json::error::Category::Eof {
        return "the file ends too early (is it complete? it may still be being written)"
            .to_owned();
    }
    // serde_json appends " at line L column C"; the position is printed in front instead.
    let message = error.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head)
        .to_owned();
    format!("invalid JSON: {message}")
}

type Fields<'a> = BTreeMap<String, &'a RawValue>;

/// Where a value sits: which event (if any) and the dotted field path.
#[derive(Clone, Debug)]
struct Context {
    event_id: Option<String>,
    path: String,
}

impl Context {
    fn field(&self, name: &str) -> Context {
        Context {
            event_id: self.event_id.clone(),
            path: if self.path.is_empty() {
                name.to_owned()
            } else {
                format!("{}.{name}", self.path)
            },
        }
    }

    fn item(&self, index: usize) -> Context {
        Context {
            event_id: self.event_id.clone(),
            path: format!("{}[{index}]", self.path),
        }
    }
}

const TOP_FIELDS: &[&str] = &[
    "format",
    "title",
    "description",
    "sources",
    "categories",
    "places",
    "events",
    "$schema",
];
const EVENT_FIELDS: &[&str] = &[
    "id",
    "title",
    "when",
    "where",
    "category",
    "actors",
    "summary",
    "sources",
    "links",
    "date_note",
];
const SOURCE_FIELDS: &[&str] = &["title", "url", "publisher", "date", "quote", "note"];
const PLACE_FIELDS: &[&str] = &["id", "name", "lat", "lon", "region", "note"];
const CATEGORY_FIELDS: &[&str] = &["id", "label", "color"];
const WHERE_FIELDS: &[&str] = &["lat", "lon", "name", "region"];
const LINK_FIELDS: &[&str] = &["to", "kind"];

/// Colours for categories a file uses without declaring (Okabe–Ito, colour-blind safe).
const PALETTE: [[u8; 3]; 8] = [
    [0, 114, 178],
    [213, 94, 0],
    [0, 158, 115],
    [204, 121, 167],
    [230, 159, 0],
    [86, 180, 233],
    [120, 94, 240],
    [90, 90, 90],
];

/// The colour of the `position`-th category when the file gives none.
pub(super) fn palette_color(position: usize) -> [u8; 3] {
    PALETTE[position % PALETTE.len()]
}

struct Reader<'a> {
    text: &'a str,
    file: &'a str,
    line_starts: Vec<usize>,
    diagnostics: Vec<Diagnostic>,
    progress: Option<&'a super::LoadProgress>,
}

/// An event as read, before links are resolved and open ends are placed. `event` is `None`
/// when a field was invalid; its id and links are still checked.
struct ParsedEvent<'a> {
    id: Option<String>,
    event: Option<(Event, EventDetails)>,
    /// `(target id, kind, context, position)` of each link.
    links: Vec<(String, String, Context, &'a RawValue)>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, file: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            text,
            file,
            line_starts,
            diagnostics: Vec::new(),
            progress: None,
        }
    }

    fn line_column_of_prefix(&self, prefix: &[u8]) -> (usize, usize) {
        let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
        let last_line = prefix.rsplit(|&b| b == b'\n').next().unwrap_or_default();
        let column = String::from_utf8_lossy(last_line).chars().count() + 1;
        (line, column)
    }

    /// Where the top-level value starts.
    fn root_position(&self) -> (usize, usize) {
        let start = self.text.len() - self.text.trim_start().len();
        self.line_column_of_prefix(self.text.as_bytes().get(..start).unwrap_or_default())
    }

    /// Converts serde_json's byte column on `line` (1-based) into a character column.
    fn character_column(&self, line: usize, byte_column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line - 1) else {
            return byte_column;
        };
        let mut end = (start + byte_column - 1).min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        self.text
            .get(start..end)
            .map_or(byte_column, |s| s.chars().count() + 1)
    }

    /// 1-based line and column (in characters) of a raw value inside `text`.
    fn position(&self, raw: &RawValue) -> (usize, usize) {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let offset = offset.min(self.text.len());
        let line_index = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count())
            + 1;
        (line_index + 1, column)
    }

    fn report(
        &mut self,
        severity: Severity,
        at: Option<&RawValue>,
        context: &Context,
        message: String,
    ) {
        let (line, column) = match at {
            Some(raw) => {
                let (line, column) = self.position(raw);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.file.to_owned(),
            line,
            column,
            event_id: context.event_id.clone(),
            field: (!context.path.is_empty()).then(|| context.path.clone()),
            message,
        });
    }

    fn error(&mut self, at: Option<&RawValue>, context: &Context, message: impl Into<String>) {
        self.report(Severity::Error, at, context, message.into());
    }

    fn warning(&mut self, at: Option<&RawValue>, context: &Context, message: impl Into<String>) {
        self.report(Severity::Warning, at, context, message.into());
    }

    fn object(&mut self, raw: &'a RawValue, context: &Context) -> Option<Fields<'a>> {
        match serde_json::from_str::<Fields<'a>>(raw.get()) {
            Ok(fields) => Some(fields),
            Err(_) => {
                let kind = kind_of(raw);
                self.error(
                    Some(raw),
                    context,
                    format!("expected an object, found {kind}"),
                );
                None
            }
        }
    }

    fn array(&mut self, raw: &'a RawValue, context: &Context) -> Option<Vec<&'a RawValue>> {
        match serde_json::from_str::<Vec<&'a RawValue>>(raw.get()) {
            Ok(items) => Some(items),
            Err(_) => {
                let kind = kind_of(raw);
                self.error(Some(raw), context, format!("expected a list, found {kind}"));
                None
            }
        }
    }

    fn unknown_fields(&mut self, fields: &Fields<'a>, known: &[&str], context: &Context) {
        for (name, raw) in fields {
            if !known.contains(&name.as_str()) {
                let message = match closest(name, known) {
                    Some(guess) => format!("unknown field (did you mean \"{guess}\"?); ignored"),
                    None => "unknown field; ignored".to_owned(),
                };
                self.warning(Some(raw), &context.field(name), message);
            }
        }
    }

    /// An optional string field; `null` counts as absent.
    fn string(&mut self, fields: &Fields<'a>, name: &str, context: &Context) -> Option<String> {
        let raw = *fields.get(name)?;
        if raw.get() == "null" {
            return None;
        }
        match serde_json::from_str::<String>(raw.get()) {
            Ok(value) => Some(value),
            Err(_) => {
                let message = string_type_message(raw);
                self.error(Some(raw), &context.field(name), message);
                None
            }
        }
    }

    fn required_string(
        &mut self,
        fields: &Fields<'a>,
        name: &str,
        context: &Context,
        at: &'a RawValue,
    ) -> Option<String> {
        let Some(&raw) = fields.get(name) else {
            self.error(
                Some(at),
                &context.field(name),
                "this required field is missing",
            );
            return None;
        };
        if raw.get() == "null" {
            self.error(
                Some(raw),
                &context.field(name),
                "this required field is null",
            );
            return None;
        }
        let value = self.string(fields, name, context)?;
        if value.trim().is_empty() {
            let raw = fields.get(name).copied();
            self.error(raw, &context.field(name), "must not be empty");
            return None;
        }
        Some(value)
    }

    fn number(&mut self, fields: &Fields<'a>, name: &str, context: &Context) -> Option<f64> {
        let raw = *fields.get(name)?;
        match serde_json::from_str::<f64>(raw.get()) {
            Ok(value) if value.is_finite() => Some(value),
            _ if kind_of(raw) == "a number" => {
                self.error(
                    Some(raw),
                    &context.field(name),
                    format!("the number {} is out of range", raw.get()),
                );
                None
            }
            _ => {
                let kind = kind_of(raw);
                let hint = if kind == "a string" {
                    " (write the number without quotes)"
                } else {
                    ""
                };
                self.error(
                    Some(raw),
                    &context.field(name),
                    format!("expected a number, found {kind}{hint}"),
                );
                None
            }
        }
    }

    fn strings(&mut self, fields: &Fields<'a>, name: &str, context: &Context) -> Vec<String> {
        let Some(&raw) = fields.get(name).filter(|raw| raw.get() != "null") else {
            return Vec::new();
        };
        let context = context.field(name);
        let Some(items) = self.array(raw, &context) else {
            return Vec::new();
        };
        let mut values = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            match serde_json::from_str::<String>(item.get()) {
                Ok(value) => values.push(value),
                Err(_) => {
                    let message = string_type_message(item);
                    self.error(Some(item), &context.item(index), message);
                }
            }
        }
        values
    }

    fn latitude_longitude(
        &mut self,
        fields: &Fields<'a>,
        context: &Context,
        at: &'a RawValue,
    ) -> Option<LonLat> {
        let lat = self.number(fields, "lat", context);
        let lon = self.number(fields, "lon", context);
        for (name, present) in [
            ("lat", fields.contains_key("lat")),
            ("lon", fields.contains_key("lon")),
        ] {
            if !present {
                self.error(
                    Some(at),
                    &context.field(name),
                    "a point needs both \"lat\" and \"lon\"",
                );
            }
        }
        let (lat, lon) = (lat?, lon?);
        let mut ok = true;
        if !latitude_is_valid(lat) {
            let raw = fields.get("lat").copied();
            self.error(
                raw,
                &context.field("lat"),
                format!("latitude {lat} is outside -90..90"),
            );
            ok = false;
        }
        if !longitude_is_valid(lon) {
            let raw = fields.get("lon").copied();
            self.error(
                raw,
                &context.field("lon"),
                format!("longitude {lon} is outside -180..180"),
            );
            ok = false;
        }
        ok.then_some(LonLat::new(lon, lat))
    }

    fn region_code(&mut self, fields: &Fields<'a>, context: &Context) -> Option<RegionCode> {
        let code = self.string(fields, "region", context)?;
        if let Some(region) = RegionCode::new(&code) {
            Some(region)
        } else {
            let raw = fields.get("region").copied();
            self.error(
                raw,
                &context.field("region"),
                format!("\"{code}\" is not an ISO 3166-2 code such as \"RU-IN\""),
            );
            None
        }
    }

    fn sources(&mut self, fields: &Fields<'a>, context: &Context) -> Vec<Source> {
        let Some(&raw) = fields.get("sources").filter(|raw| raw.get() != "null") else {
            return Vec::new();
        };
        let context = context.field("sources");
        let Some(items) = self.array(raw, &context) else {
            return Vec::new();
        };
        let mut sources = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let context = context.item(index);
            let Some(fields) = self.object(item, &context) else {
                continue;
            };
            self.unknown_fields(&fields, SOURCE_FIELDS, &context);
            let title = self.required_string(&fields, "title", &context, item);
            let url = self.string(&fields, "url", &context);
            if let Some(url) = &url
                && !url.starts_with("https://")
            {
                let raw = fields.get("url").copied();
                let message = if url.starts_with("http://") {
                    format!(
                        "\"{url}\" is not a secure address (https://…); shown as text, not as a link"
                    )
                } else {
                    format!("\"{url}\" is not a web address (https://…); shown as text")
                };
                self.warning(raw, &context.field("url"), message);
            }
            let date = self.string(&fields, "date", &context);
            if let Some(date) = &date
                && let Err(error) = When::parse(date)
            {
                let raw = fields.get("date").copied();
                self.error(raw, &context.field("date"), error.0);
            }
            let source = Source {
                title: title.unwrap_or_default(),
                url,
                publisher: self.string(&fields, "publisher", &context),
                date,
                quote: self.string(&fields, "quote", &context),
                note: self.string(&fields, "note", &context),
            };
            sources.push(source);
        }
        sources
    }

    fn categories(&mut self, top: &Fields<'a>) -> Vec<Category> {
        let Some(&raw) = top.get("categories").filter(|raw| raw.get() != "null") else {
            return Vec::new();
        };
        let context = Context {
            event_id: None,
            path: "categories".to_owned(),
        };
        let Some(items) = self.array(raw, &context) else {
            return Vec::new();
        };
        let mut categories: Vec<Category> = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let context = context.item(index);
            let Some(fields) = self.object(item, &context) else {
                continue;
            };
            self.unknown_fields(&fields, CATEGORY_FIELDS, &context);
            let Some(id) = self.required_string(&fields, "id", &context, item) else {
                continue;
            };
            if categories.iter().any(|c| c.id == id) {
                let raw = fields.get("id").copied();
                self.error(
                    raw,
                    &context.field("id"),
                    format!("duplicate category id \"{id}\""),
                );
                continue;
            }
            let label = self
                .string(&fields, "label", &context)
                .unwrap_or_else(|| id.clone());
            let fallback = palette_color(categories.len());
            let color = match self.string(&fields, "color", &context) {
                Some(text) => parse_color(&text).unwrap_or_else(|| {
                    let raw = fields.get("color").copied();
                    self.error(
                        raw,
                        &context.field("color"),
                        format!("\"{text}\" is not a colour like \"#d62728\""),
                    );
                    fallback
                }),
                None => fallback,
            };
            categories.push(Category { id, label, color });
        }
        categories
    }

    fn places(&mut self, top: &Fields<'a>) -> Vec<Place> {
        let Some(&raw) = top.get("places").filter(|raw| raw.get() != "null") else {
            return Vec::new();
        };
        let context = Context {
            event_id: None,
            path: "places".to_owned(),
        };
        let Some(items) = self.array(raw, &context) else {
            return Vec::new();
        };
        let mut places: Vec<Place> = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let context = context.item(index);
            let Some(fields) = self.object(item, &context) else {
                continue;
            };
            self.unknown_fields(&fields, PLACE_FIELDS, &context);
            let id = self.required_string(&fields, "id", &context, item);
            let name = self.required_string(&fields, "name", &context, item);
            let point = self.latitude_longitude(&fields, &context, item);
            let region = self.region_code(&fields, &context);
            let note = self.string(&fields, "note", &context);
            let (Some(id), Some(name), Some(at)) = (id, name, point) else {
                continue;
            };
            if places.iter().any(|p| p.id == id) {
                let raw = fields.get("id").copied();
                self.error(
                    raw,
                    &context.field("id"),
                    format!("duplicate place id \"{id}\""),
                );
                continue;
            }
            places.push(Place {
                id,
                name,
                at,
                region,
                note,
            });
        }
        places
    }

    /// The location, with the place's name and id (if a named place) for the details.
    fn location(
        &mut self,
        fields: &Fields<'a>,
        context: &Context,
        places: &[Place],
    ) -> (Location, Option<String>, Option<String>) {
        let unknown = (Location::Unknown, None, None);
        let Some(&raw) = fields.get("where") else {
            return unknown;
        };
        let context = context.field("where");
        if raw.get() == "null" {
            return unknown;
        }
        if raw.get().starts_with('"') {
            let id: String = serde_json::from_str(raw.get()).unwrap_or_default();
            return match places.iter().find(|p| p.id == id) {
                Some(place) => (
                    Location::Point {
                        at: place.at,
                        region: place.region,
                    },
                    Some(place.name.clone()),
                    Some(place.id.clone()),
                ),
                None => {
                    let known = places.iter().map(|p| p.id.as_str()).collect::<Vec<_>>();
                    let hint = closest(&id, &known)
                        .map(|guess| format!(" (did you mean \"{guess}\"?)"))
                        .unwrap_or_default();
                    self.error(
                        Some(raw),
                        &context,
                        format!("unknown place \"{id}\"{hint}; places are declared in \"places\""),
                    );
                    unknown
                }
            };
        }
        let Some(where_fields) = self.object(raw, &context) else {
            return unknown;
        };
        self.unknown_fields(&where_fields, WHERE_FIELDS, &context);
        let name = self.string(&where_fields, "name", &context);
        let region = self.region_code(&where_fields, &context);
        let has_point = where_fields.contains_key("lat") || where_fields.contains_key("lon");
        if has_point {
            match self.latitude_longitude(&where_fields, &context, raw) {
                Some(at) => (Location::Point { at, region }, name, None),
                None => unknown,
            }
        } else if let Some(code) = region {
            (Location::Region(code), name, None)
        } else {
            if !where_fields.contains_key("region") {
                self.error(
                    Some(raw),
                    &context,
                    "give a place id, {\"lat\", \"lon\"} or {\"region\": \"RU-IN\"}",
                );
            }
            unknown
        }
    }

    fn event(
        &mut self,
        index: usize,
        raw: &'a RawValue,
        places: &[Place],
        categories: &mut Vec<Category>,
        declared_categories: bool,
    ) -> Option<ParsedEvent<'a>> {
        let anonymous = Context {
            event_id: None,
            path: format!("events[{index}]"),
        };
        let fields = self.object(raw, &anonymous)?;
        let id = match self.string(&fields, "id", &anonymous) {
            Some(id) if !id.trim().is_empty() => Some(id),
            Some(_) => {
                let at = fields.get("id").copied();
                self.error(at, &anonymous.field("id"), "must not be empty");
                None
            }
            None => {
                if fields.get("id").is_some_and(|raw| raw.get() == "null") {
                    let at = fields.get("id").copied();
                    self.error(at, &anonymous.field("id"), "this required field is null");
                } else if !fields.contains_key("id") {
                    self.error(
                        Some(raw),
                        &anonymous.field("id"),
                        "this required field is missing",
                    );
                }
                None
            }
        };
        let context = Context {
            event_id: id.clone(),
            path: String::new(),
        };
        let context = if id.is_some() { context } else { anonymous };
        self.unknown_fields(&fields, EVENT_FIELDS, &context);
        let title = self.required_string(&fields, "title", &context, raw);
        let when_text = self.required_string(&fields, "when", &context, raw);
        let when = when_text.as_ref().and_then(|text| match When::parse(text) {
            Ok(when) => Some(when),
            Err(error) => {
                let at = fields.get("when").copied();
                self.error(at, &context.field("when"), error.0);
                None
            }
        });
        let (location, place_name, place_id) = self.location(&fields, &context, places);
        let category = self.string(&fields, "category", &context).and_then(|name| {
            if let Some(position) = categories.iter().position(|c| c.id == name) {
                return Some(position);
            }
            if declared_categories {
                let known = categories.iter().map(|c| c.id.as_str()).collect::<Vec<_>>();
                let at = fields.get("category").copied();
                self.error(
                    at,
                    &context.field("category"),
                    if known.is_empty() {
                        format!("unknown category \"{name}\"; the \"categories\" list is empty")
                    } else {
                        format!(
                            "unknown category \"{name}\"; declared: {}",
                            known.join(", ")
                        )
                    },
                );
                return None;
            }
            let color = palette_color(categories.len());
            categories.push(Category {
                id: name.clone(),
                label: name,
                color,
            });
            Some(categories.len() - 1)
        });
        let actors = self.strings(&fields, "actors", &context);
        let summary = self.string(&fields, "summary", &context);
        let sources = self.sources(&fields, &context);
        let date_note = self.string(&fields, "date_note", &context);
        let mut links = Vec::new();
        if let Some(&links_raw) = fields.get("links").filter(|raw| raw.get() != "null") {
            let links_context = context.field("links");
            for (link_index, item) in self
                .array(links_raw, &links_context)
                .unwrap_or_default()
                .into_iter()
                .enumerate()
            {
                let link_context = links_context.item(link_index);
                let Some(link_fields) = self.object(item, &link_context) else {
                    continue;
                };
                self.unknown_fields(&link_fields, LINK_FIELDS, &link_context);
                let to = self.required_string(&link_fields, "to", &link_context, item);
                let kind = self
                    .string(&link_fields, "kind", &link_context)
                    .unwrap_or_else(|| "related".to_owned());
                if let Some(to) = to {
                    let at = link_fields.get("to").copied().unwrap_or(item);
                    links.push((to, kind, link_context.field("to"), at));
                }
            }
        }
        let event = match (id.clone(), title, when_text, when) {
            (Some(id), Some(title), Some(when_text), Some(when)) => {
                let mut event = Event::new(&id, &title, &when_text, &when);
                event.location = location;
                event.category = category;
                let details = EventDetails {
                    place_name,
                    place_id,
                    actors,
                    summary,
                    sources,
                    date_note,
                };
                Some((event, details))
            }
            _ => None,
        };
        Some(ParsedEvent { id, event, links })
    }

    fn dataset(&mut self, top: &Fields<'a>) -> Option<Dataset> {
        let root = Context {
            event_id: None,
            path: String::new(),
        };
        self.unknown_fields(top, TOP_FIELDS, &root);
        if let Some(format) = self.string(top, "format", &root)
            && format != "event-atlas/1"
        {
            let at = top.get("format").copied();
            self.error(
                at,
                &root.field("format"),
                format!("unsupported format \"{format}\"; this version reads \"event-atlas/1\""),
            );
        }
        let title = self.string(top, "title", &root).unwrap_or_else(|| {
            if !top.contains_key("title") {
                self.warning(
                    None,
                    &root.field("title"),
                    "the dataset has no title; using the file name",
                );
            }
            file_stem(self.file)
        });
        let description = self.string(top, "description", &root);
        let sources = self.sources(top, &root);
        let mut categories = self.categories(top);
        let declared_categories = top.get("categories").is_some_and(|raw| raw.get() != "null");
        let places = self.places(top);
        let Some(&events_raw) = top.get("events") else {
            self.error(
                None,
                &root.field("events"),
                "the file has no \"events\" list; is this an Event Atlas dataset?",
            );
            // Point at the object that lacks it.
            let (line, column) = self.root_position();
            if let Some(last) = self.diagnostics.last_mut() {
                last.line = Some(line);
                last.column = Some(column);
            }
            return None;
        };
        let events_context = root.field("events");
        let items = self.array(events_raw, &events_context)?;
        let mut parsed = Vec::with_capacity(items.len());
        let mut first_seen: HashMap<String, (usize, usize)> = HashMap::new();
        for (index, item) in items.iter().enumerate() {
            if index % 4096 == 0
                && let Some(progress) = self.progress
            {
                if progress.is_cancelled() {
                    return None;
                }
                progress.set_fraction(0.35 + 0.6 * index as f64 / items.len().max(1) as f64);
            }
            let Some(event) =
                self.event(index, item, &places, &mut categories, declared_categories)
            else {
                continue;
            };
            let Some(id) = event.id.clone() else {
                continue;
            };
            let (line, column) = self.position(item);
            if let Some((first_line, first_column)) = first_seen.get(&id) {
                let context = Context {
                    event_id: Some(id.clone()),
                    path: "id".to_owned(),
                };
                self.error(
                    Some(item),
                    &context,
                    format!(
                        "duplicate id: another event with this id starts at {first_line}:{first_column}"
                    ),
                );
                continue;
            }
            first_seen.insert(id, (line, column));
            parsed.push(event);
        }
        let all_ids: BTreeSet<&str> = first_seen.keys().map(String::as_str).collect();
        let mut events = Vec::with_capacity(parsed.len());
        let mut details = Vec::with_capacity(parsed.len());
        let mut links = Vec::new();
        let mut bounds = Bounds::default();
        for parsed_event in parsed {
            for (to, _, context, at) in &parsed_event.links {
                if !all_ids.contains(to.as_str()) {
                    let known: Vec<&str> = all_ids.iter().copied().collect();
                    let hint = closest(to, &known)
                        .map(|guess| format!(" (did you mean \"{guess}\"?)"))
                        .unwrap_or_default();
                    self.error(
                        Some(at),
                        context,
                        format!("links to unknown event \"{to}\"{hint}"),
                    );
                }
            }
            if let Some((mut event, event_details)) = parsed_event.event {
                if let Some(when) = event.when() {
                    bounds.include(&when);
                }
                let position = events.len() as u32;
                event.details = DetailRef {
                    offset: u64::from(position),
                    len: 0,
                };
                for (to, kind, _, _) in parsed_event.links {
                    links.push((position, to, kind));
                }
                events.push(event);
                details.push(event_details);
            }
        }
        let position_of: HashMap<&str, u32> = events
            .iter()
            .enumerate()
            .map(|(position, event)| (event.id(), position as u32))
            .collect();
        let links = links
            .into_iter()
            .filter_map(|(from, to, kind)| Some((from, *position_of.get(to.as_str())?, kind)))
            .collect();
        drop(position_of);
        let order = time_order(&events, bounds);
        let (events, links, extent) = assemble(events, bounds, &order, links);
        let time_index = crate::model::index::TimeIndex::new(&events);
        Some(Dataset {
            title,
            description,
            sources,
            categories,
            places,
            events,
            links,
            extent,
            time_index,
            details: Some(std::sync::Arc::new(DetailList(details))),
        })
    }
}

/// Why a value is not a usable string.
fn string_type_message(raw: &RawValue) -> String {
    match kind_of(raw) {
        "a string" => "the text is not valid (it has an unpaired \\u surrogate escape)".to_owned(),
        kind => format!("expected a string, found {kind}"),
    }
}

/// One event read on its own by the positional reader (for the streaming reader): the event
/// and its details if it is valid, its links by target id, and what was remarked, with
/// positions relative to the event's first byte.
pub(super) struct LenientEvent {
    pub event: Option<(Event, EventDetails)>,
    pub links: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the event in `text` (the `index`-th of the file) with the positional reader; `None`
/// when the text is not one JSON object.
pub(super) fn event_leniently(
    text: &str,
    file: &str,
    index: usize,
    places: &[Place],
    categories: &mut Vec<Category>,
    declared_categories: bool,
) -> Option<LenientEvent> {
    let raw: &RawValue = serde_json::from_str(text).ok()?;
    let mut reader = Reader::new(text, file);
    let parsed = reader.event(index, raw, places, categories, declared_categories)?;
    Some(LenientEvent {
        event: parsed.event,
        links: parsed
            .links
            .into_iter()
            .map(|(to, kind, _, _)| (to, kind))
            .collect(),
        diagnostics: reader.diagnostics,
    })
}

/// The details of event `id` in `text`, read as the positional reader reads them.
pub(super) fn details_leniently(text: &str, id: &str, places: &[Place]) -> Option<EventDetails> {
    let (event, details) = event_leniently(text, "", 0, places, &mut Vec::new(), false)?.event?;
    (event.id() == id).then_some(details)
}

/// The earliest known start and the latest known end: where open ends are placed.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bounds {
    low: i64,
    high: i64,
}

impl Default for Bounds {
    fn default() -> Self {
        Self {
            low: i64::MAX,
            high: i64::MIN,
        }
    }
}

impl Bounds {
    pub(super) fn merge(&mut self, other: Bounds) {
        self.low = self.low.min(other.low);
        self.high = self.high.max(other.high);
    }

    pub(super) fn include(&mut self, when: &When) {
        if let Some(start) = when.known_start().or(when.known_end().map(|e| e - DAY)) {
            self.low = self.low.min(start);
        }
        if let Some(end) = when.known_end().or(when.known_start().map(|s| s + DAY)) {
            self.high = self.high.max(end);
        }
    }
}

/// A link by the positions of its events in the file: `(from, to, kind)`.
pub(super) type PendingLink = (u32, u32, String);

/// An event's span with open and unknown ends placed at the edges of the data.
fn placed_span(event: &Event, bounds: Bounds) -> TimeRange {
    let mut span = event.span;
    if span.start == i64::MIN {
        span.start = bounds.low.min(span.end - DAY);
    }
    if span.end == i64::MAX {
        span.end = bounds.high.max(span.start + DAY);
    }
    span
}

/// `(start, end, position in the file)` of each event, in time order (ties in file order).
pub(super) fn time_order(events: &[Event], bounds: Bounds) -> Vec<(i64, i64, u32)> {
    let mut order: Vec<(i64, i64, u32)> = events
        .iter()
        .enumerate()
        .map(|(position, event)| {
            let span = placed_span(event, bounds);
            (span.start, span.end, position as u32)
        })
        .collect();
    order.sort_unstable();
    order
}

/// Places open and unknown ends at the edges of the data, puts the events (in file order) in
/// `order` (from [`time_order`]) and turns links between file positions into links between
/// events.
pub(super) fn assemble(
    mut events: Vec<Event>,
    bounds: Bounds,
    order: &[(i64, i64, u32)],
    pending: Vec<PendingLink>,
) -> (Vec<Event>, Vec<Link>, Option<TimeRange>) {
    for event in &mut events {
        event.span = placed_span(event, bounds);
    }
    // Sorted small keys, not the events: move the events into place by following the
    // permutation's cycles (no second copy of them).
    let mut source_of: Vec<u32> = order.iter().map(|&(_, _, p)| p).collect();
    // Where each event of the file ends up, for the links.
    let mut index_of_position = vec![0u32; events.len()];
    for (index, &position) in source_of.iter().enumerate() {
        if let Some(slot) = index_of_position.get_mut(position as usize) {
            *slot = index as u32;
        }
    }
    for start in 0..events.len() {
        let mut position = start;
        while let Some(slot) = source_of.get_mut(position) {
            let source = std::mem::replace(slot, position as u32) as usize;
            if source == start {
                break;
            }
            events.swap(position, source);
            position = source;
        }
    }
    drop(source_of);
    let index_of = |position: u32| {
        index_of_position
            .get(position as usize)
            .map(|&i| i as usize)
    };
    let mut links: Vec<Link> = pending
        .into_iter()
        .filter_map(|(from, to, kind)| {
            Some(Link {
                from: index_of(from)?,
                to: index_of(to)?,
                kind,
            })
        })
        .collect();
    links.sort_unstable();
    let extent = (bounds.low <= bounds.high && !events.is_empty()).then_some(TimeRange {
        start: bounds.low,
        end: bounds.high,
    });
    (events, links, extent)
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

pub(super) fn parse_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    // from_str_radix accepts a leading '+', which is no colour.
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel =
        |range: std::ops::Range<usize>| hex.get(range).and_then(|h| u8::from_str_radix(h, 16).ok());
    match hex.len() {
        6 => Some([channel(0..2)?, channel(2..4)?, channel(4..6)?]),
        3 => {
            let [r, g, b] = [channel(0..1)?, channel(1..2)?, channel(2..3)?];
            Some([r * 17, g * 17, b * 17])
        }
        _ => None,
    }
}

fn file_stem(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_owned(), |s| s.to_string_lossy().into_owned())
}

/// The known name closest to a misspelt one, if it is close enough to be a likely typo.
fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(distance, candidate)| {
            let allowed = match candidate.chars().count() {
                0..=2 => 0,
                3..=4 => 1,
                _ => 2,
            };
            *distance <= allowed && *distance < name.chars().count()
        })
        .min()
        .map(|(_, candidate)| candidate)
}

/// Edit distance where swapping two neighbouring letters counts as one edit ("titel" → "title").
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut table = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        if let Some(cell) = table.get_mut(at(i, 0)) {
            *cell = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(cell) = table.get_mut(at(0, j)) {
            *cell = j;
        }
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let get = |i: usize, j: usize| table.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
            let (ca, cb) = (a.get(i - 1), b.get(j - 1));
            let mut best = (get(i - 1, j) + 1)
                .min(get(i, j - 1) + 1)
                .min(get(i - 1, j - 1) + usize::from(ca != cb));
            if i > 1 && j > 1 && ca == b.get(j - 2) && a.get(i - 2) == cb {
                best = best.min(get(i - 2, j - 2) + 1);
            }
            if let Some(cell) = table.get_mut(at(i, j)) {
                *cell = best;
            }
        }
    }
    table.last().copied().unwrap_or(0)
}
