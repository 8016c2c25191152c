//! The positional reader of the Event Atlas JSON format (`docs/format.md`): slower than the
//! streaming reader, but it knows where every value is, so each problem gets its line:column.
//!
//! The file is parsed into borrowed raw values first, so each field's byte offset (and so its
//! line:column) is known when it is validated against the format's [`rules`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::value::RawValue;

use super::assemble::{self, Bounds, Categories, FindPlace, PendingLink, Places};
use super::diagnostic::{CappedDiagnostics, Diagnostic, LoadError, Severity};
use super::records::LenientEvent;
use super::{LoadProgress, Loaded, rules, story};
use crate::model::{
    Dataset, DetailList, DetailRef, Event, EventDetails, Location, LonLat, Place, PlacePrecision,
    RegionCode, Source,
};

/// An event's `where` as read: the location, how precisely its point is known, and the place's
/// name and id (if a named place) for the details.
#[derive(Default)]
struct EventPlace {
    location: Location,
    precision: PlacePrecision,
    name: Option<String>,
    id: Option<String>,
}

/// The positional reader on raw bytes: checks they are UTF-8 text first.
pub(super) fn parse_positional_bytes(
    bytes: &[u8],
    file: &str,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = bytes.get(..error.valid_up_to());
            debug_assert!(valid.is_some(), "valid_up_to is within the bytes");
            let (line, column) = line_column_of_prefix(valid.unwrap_or_default());
            return Err(file_error(
                file,
                line,
                column,
                "the file is not UTF-8 text (the text here is in another encoding): save it as UTF-8".to_owned(),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    parse_positional(text, file, progress)
}

/// The positional reader: every problem of the file, errors first, each in file order.
pub(super) fn parse_positional(
    text: &str,
    file: &str,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let mut reader = Reader::new(text, file);
    reader.progress = Some(progress);
    let top = reader.top_fields()?;
    // Nesting past serde's limit and keys written twice, which serde does not say clearly.
    match super::scan::check(text.as_bytes(), file) {
        Ok(warnings) => warnings
            .into_iter()
            .for_each(|warning| reader.diagnostics.push(warning)),
        Err(too_deep) => return Err(too_deep),
    }
    let dataset = reader.dataset(&top);
    if progress.is_cancelled() {
        return Err(LoadError::Cancelled {
            file: file.to_owned(),
        });
    }
    progress.set_fraction(1.0);
    let has_errors = reader.diagnostics.error_count() > 0;
    let diagnostics = reader.diagnostics.finish(|d| (d.line, d.column));
    match dataset {
        Some(dataset) if !has_errors => Ok(Loaded {
            dataset,
            warnings: diagnostics,
            report: None,
            events_need_no_remark: false,
        }),
        _ => Err(invalid(file, diagnostics)),
    }
}

/// Reads the event in `text` (the `index`-th of the file) on its own; `None` when the text is
/// not one JSON value. Positions are relative to the start of `text`.
pub(super) fn read_event(
    text: &str,
    file: &str,
    index: usize,
    places: &dyn FindPlace,
    categories: &mut Categories,
) -> Option<LenientEvent> {
    let raw: &RawValue = serde_json::from_str(text).ok()?;
    let mut reader = Reader::new(text, file);
    let parsed = reader.event(index, raw, places, categories)?;
    Some(LenientEvent {
        event: parsed.event,
        links: parsed
            .links
            .into_iter()
            .map(|link| (link.to, link.kind))
            .collect(),
        diagnostics: reader.diagnostics.finish(|d| (d.line, d.column)),
    })
}

/// The details of event `id` in `text`, read as the positional reader reads them.
pub(super) fn details_of_one_event(text: &str, id: &str, places: &[Place]) -> Option<EventDetails> {
    let read = read_event(text, "", 0, &places, &mut Categories::undeclared())?;
    let (event, details) = read.event?;
    (event.id() == id).then_some(details)
}

/// A load error with one problem that concerns the whole file at a position.
fn file_error(file: &str, line: usize, column: usize, message: String) -> LoadError {
    invalid(
        file,
        vec![Diagnostic::at_position(
            Severity::Error,
            file,
            (line, column),
            message,
        )],
    )
}

fn invalid(file: &str, diagnostics: Vec<Diagnostic>) -> LoadError {
    LoadError::Invalid {
        file: file.to_owned(),
        diagnostics,
    }
}

/// What serde_json's syntax error means, said for a person; `rest` is the text from where
/// it stopped.
fn syntax_message(error: &serde_json::Error, rest: &str) -> String {
    for word in ["NaN", "-Infinity", "Infinity", "+Infinity"] {
        if rest.starts_with(word) {
            return format!("{word} is not a JSON number: write null, or leave the field out");
        }
    }
    if error.to_string().starts_with("recursion limit exceeded") {
        return super::scan::too_deep_message();
    }
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

/// 1-based line and character column just after `prefix`.
fn line_column_of_prefix(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let last_line = prefix.rsplit(|&b| b == b'\n').next().unwrap_or(prefix);
    let column = String::from_utf8_lossy(last_line).chars().count() + 1;
    (line, column)
}

type Fields<'a> = BTreeMap<String, &'a RawValue>;

/// What a `fields` value that is not an object of texts is.
fn describe_fields(raw: &RawValue) -> String {
    match serde_json::from_str::<BTreeMap<String, &RawValue>>(raw.get()) {
        Ok(values) => values
            .iter()
            .find(|(_, value)| kind_of(value) != "a string")
            .map_or_else(
                || "an object".to_owned(),
                |(name, value)| format!("{} for \"{name}\"", kind_of(value)),
            ),
        Err(_) => kind_of(raw).to_owned(),
    }
}

/// Where a value sits: which event (if any) and the dotted field path.
#[derive(Clone, Debug)]
struct Context {
    event_id: Option<String>,
    path: String,
}

impl Context {
    fn root() -> Context {
        Context {
            event_id: None,
            path: String::new(),
        }
    }

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

struct Reader<'a> {
    text: &'a str,
    file: &'a str,
    line_starts: Vec<usize>,
    /// Capped: a file with a million bad events keeps a hundred messages and the counts.
    diagnostics: CappedDiagnostics,
    progress: Option<&'a LoadProgress>,
}

/// A link as read: its target by id, its kind, and where the target is written.
struct ParsedLink<'a> {
    to: String,
    kind: String,
    context: Context,
    at: &'a RawValue,
}

/// An event as read, before links are resolved and open ends are placed. `event` is `None`
/// when a field was invalid; its id and links are still checked.
struct ParsedEvent<'a> {
    id: Option<String>,
    event: Option<(Event, EventDetails)>,
    links: Vec<ParsedLink<'a>>,
}

/// The top-level fields other than `events`, as read.
struct Header {
    title: String,
    description: Option<String>,
    sources: Vec<Source>,
    categories: Categories,
    places: Places,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, file: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            text,
            file,
            line_starts,
            diagnostics: CappedDiagnostics::default(),
            progress: None,
        }
    }

    /// Where the top-level value starts.
    fn root_position(&self) -> (usize, usize) {
        let blank = self.text.len() - self.text.trim_start().len();
        let before = self.text.as_bytes().get(..blank);
        debug_assert!(before.is_some(), "the blank start is within the text");
        line_column_of_prefix(before.unwrap_or_default())
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

    /// The top-level object's fields, or the error that says why the text is not one.
    fn top_fields(&self) -> Result<Fields<'a>, LoadError> {
        let text = self.text;
        match serde_json::from_str(text) {
            Ok(fields) => Ok(fields),
            Err(error) if error.classify() == serde_json::error::Category::Data => {
                // Valid JSON, but not an object: point at where the value starts.
                let (line, column) = self.root_position();
                let kind = match text.trim_start().as_bytes().first() {
                    Some(b'[') => "a list",
                    Some(b'"') => "a string",
                    Some(b't' | b'f') => "true/false",
                    Some(b'n') => "null",
                    _ => "a number",
                };
                Err(file_error(
                    self.file,
                    line,
                    column,
                    format!(
                        "the file holds {kind}; an Event Atlas dataset is an object with \"title\" and \"events\""
                    ),
                ))
            }
            Err(error) => {
                let line = error.line().max(1);
                let byte_column = error.column().max(1);
                // serde_json stops on the token's first byte or just after it.
                let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
                let at = (start + byte_column - 1).min(text.len());
                let token_at = [at.saturating_sub(1), at]
                    .into_iter()
                    .find(|&at| {
                        text.get(at..).is_some_and(|rest| {
                            ["NaN", "-Infinity", "Infinity", "+Infinity"]
                                .iter()
                                .any(|word| rest.starts_with(word))
                        })
                    })
                    .unwrap_or(at);
                let rest = text.get(token_at..).unwrap_or_default();
                let column = self.character_column(line, token_at - start + 1);
                Err(file_error(
                    self.file,
                    line,
                    column,
                    syntax_message(&error, rest),
                ))
            }
        }
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

    /// The items of an optional list field; `null` counts as absent.
    fn optional_array(
        &mut self,
        fields: &Fields<'a>,
        name: &str,
        context: &Context,
    ) -> Vec<&'a RawValue> {
        match fields.get(name).filter(|raw| raw.get() != "null") {
            // Not a list: reported, and read as no items.
            Some(&raw) => self.array(raw, &context.field(name)).unwrap_or_default(),
            None => Vec::new(),
        }
    }

    fn unknown_fields(&mut self, fields: &Fields<'a>, known: &[&str], context: &Context) {
        for (name, raw) in fields {
            if !known.contains(&name.as_str()) {
                let message = rules::unknown_field(name, known);
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
        if let Err(message) = rules::required(&value) {
            self.error(Some(raw), &context.field(name), message);
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
                    format!(
                        "the number {} is out of range (larger than any number can be): write the real value",
                        raw.get()
                    ),
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

    /// `fields`: an object of texts, kept in the file's order.
    fn text_fields(&mut self, fields: &Fields<'a>, context: &Context) -> Vec<(String, String)> {
        let Some(&raw) = fields.get("fields") else {
            return Vec::new();
        };
        match super::records::fields_last_wins(raw.get()) {
            Ok(fields) => fields,
            Err(_) => {
                self.error(
                    Some(raw),
                    &context.field("fields"),
                    format!(
                        "expected an object whose values are texts (\"name\": \"value\"), found {}",
                        describe_fields(raw)
                    ),
                );
                Vec::new()
            }
        }
    }

    fn strings(&mut self, fields: &Fields<'a>, name: &str, context: &Context) -> Vec<String> {
        let items = self.optional_array(fields, name, context);
        let context = context.field(name);
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

    /// `lat` and `lon` of a place or a `where` object (`at`), both present and in range.
    fn latitude_longitude(
        &mut self,
        fields: &Fields<'a>,
        context: &Context,
        at: &'a RawValue,
    ) -> Option<LonLat> {
        let lat = self.number(fields, "lat", context);
        let lon = self.number(fields, "lon", context);
        for name in ["lat", "lon"] {
            if !fields.contains_key(name) {
                self.error(Some(at), &context.field(name), rules::POINT_NEEDS_BOTH);
            }
        }
        let (lat, lon) = (lat?, lon?);
        if let Err(message) = rules::latitude(lat) {
            let raw = fields.get("lat").copied();
            self.error(raw, &context.field("lat"), message);
        }
        if let Err(message) = rules::longitude(lon) {
            let raw = fields.get("lon").copied();
            self.error(raw, &context.field("lon"), message);
        }
        rules::point(lon, lat)
    }

    fn region_code(&mut self, fields: &Fields<'a>, context: &Context) -> Option<RegionCode> {
        let code = self.string(fields, "region", context)?;
        match rules::region(&code) {
            Ok(region) => Some(region),
            Err(message) => {
                let raw = fields.get("region").copied();
                self.error(raw, &context.field("region"), message);
                None
            }
        }
    }

    fn sources(&mut self, fields: &Fields<'a>, context: &Context) -> Vec<Source> {
        let items = self.optional_array(fields, "sources", context);
        let context = context.field("sources");
        let mut sources = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let context = context.item(index);
            if let Some(source) = self.source(item, &context) {
                sources.push(source);
            }
        }
        sources
    }

    fn source(&mut self, item: &'a RawValue, context: &Context) -> Option<Source> {
        let fields = self.object(item, context)?;
        self.unknown_fields(&fields, rules::SOURCE_FIELDS, context);
        let title = self.required_string(&fields, "title", context, item);
        let url = self.string(&fields, "url", context);
        if let Some(url) = &url
            && let Err(message) = rules::source_url(url)
        {
            let raw = fields.get("url").copied();
            self.warning(raw, &context.field("url"), message);
        }
        let date = self.string(&fields, "date", context);
        if let Some(date) = &date
            && let Err(message) = rules::date(date)
        {
            let raw = fields.get("date").copied();
            self.error(raw, &context.field("date"), message);
        }
        Some(Source {
            // A missing title was reported: the file does not load, and this is never shown.
            title: title.unwrap_or_default(),
            url,
            publisher: self.string(&fields, "publisher", context),
            date,
            quote: self.string(&fields, "quote", context),
            note: self.string(&fields, "note", context),
        })
    }

    fn categories(&mut self, top: &Fields<'a>) -> Categories {
        if top.get("categories").is_none_or(|raw| raw.get() == "null") {
            return Categories::undeclared();
        }
        let mut categories = Categories::declared();
        let context = Context::root().field("categories");
        for (index, item) in self
            .optional_array(top, "categories", &Context::root())
            .into_iter()
            .enumerate()
        {
            let context = context.item(index);
            let Some(fields) = self.object(item, &context) else {
                continue;
            };
            self.unknown_fields(&fields, rules::CATEGORY_FIELDS, &context);
            let Some(id) = self.required_string(&fields, "id", &context, item) else {
                continue;
            };
            if let Err(message) = categories.check_new(&id) {
                let raw = fields.get("id").copied();
                self.error(raw, &context.field("id"), message);
                continue;
            }
            let label = self.string(&fields, "label", &context);
            let color = self.string(&fields, "color", &context).and_then(|text| {
                rules::color(&text)
                    .map_err(|message| {
                        let raw = fields.get("color").copied();
                        self.error(raw, &context.field("color"), message);
                    })
                    .ok()
            });
            categories.declare(id, label, color);
        }
        categories
    }

    fn places(&mut self, top: &Fields<'a>) -> Places {
        let mut places = Places::default();
        let context = Context::root().field("places");
        for (index, item) in self
            .optional_array(top, "places", &Context::root())
            .into_iter()
            .enumerate()
        {
            let context = context.item(index);
            let Some(fields) = self.object(item, &context) else {
                continue;
            };
            self.unknown_fields(&fields, rules::PLACE_FIELDS, &context);
            let id = self.required_string(&fields, "id", &context, item);
            let name = self.required_string(&fields, "name", &context, item);
            let point = self.latitude_longitude(&fields, &context, item);
            let region = self.region_code(&fields, &context);
            let precision = self.place_precision(&fields, &context);
            let note = self.string(&fields, "note", &context);
            let (Some(id), Some(name), Some(at)) = (id, name, point) else {
                continue;
            };
            if let Err(message) = places.check_new(&id) {
                let raw = fields.get("id").copied();
                self.error(raw, &context.field("id"), message);
                continue;
            }
            places.declare(Place {
                id,
                name,
                at,
                region,
                precision,
                note,
            });
        }
        places
    }

    /// A place's or a `where`'s `precision` (exact when absent or wrong: a wrong one is an
    /// error).
    fn place_precision(&mut self, fields: &Fields<'a>, context: &Context) -> PlacePrecision {
        let Some(name) = self.string(fields, "precision", context) else {
            return PlacePrecision::Exact;
        };
        rules::place_precision(&name).unwrap_or_else(|message| {
            let raw = fields.get("precision").copied();
            self.error(raw, &context.field("precision"), message);
            PlacePrecision::Exact
        })
    }

    /// The location, with the place's name and id (if a named place) for the details.
    fn location(
        &mut self,
        fields: &Fields<'a>,
        context: &Context,
        places: &dyn FindPlace,
    ) -> EventPlace {
        let Some(&raw) = fields.get("where").filter(|raw| raw.get() != "null") else {
            return EventPlace::default();
        };
        if raw.get().starts_with('"') {
            let Some(id) = self.string(fields, "where", context) else {
                return EventPlace::default();
            };
            return match places.find_place(&id) {
                Ok(place) => EventPlace {
                    location: Location::Point {
                        at: place.at,
                        region: place.region,
                    },
                    precision: place.precision,
                    name: Some(place.name.clone()),
                    id: Some(place.id.clone()),
                },
                Err(message) => {
                    self.error(Some(raw), &context.field("where"), message);
                    EventPlace::default()
                }
            };
        }
        let context = context.field("where");
        let Some(where_fields) = self.object(raw, &context) else {
            return EventPlace::default();
        };
        self.unknown_fields(&where_fields, rules::WHERE_FIELDS, &context);
        let name = self.string(&where_fields, "name", &context);
        let region = self.region_code(&where_fields, &context);
        let precision = self.place_precision(&where_fields, &context);
        let has_point = where_fields.contains_key("lat") || where_fields.contains_key("lon");
        let location = if has_point {
            match self.latitude_longitude(&where_fields, &context, raw) {
                Some(at) => Location::Point { at, region },
                None => return EventPlace::default(),
            }
        } else if let Some(code) = region {
            Location::Region(code)
        } else {
            if !where_fields.contains_key("region") {
                self.error(Some(raw), &context, rules::WHERE_NEEDS_SOMETHING);
            }
            return EventPlace::default();
        };
        EventPlace {
            location,
            precision,
            name,
            id: None,
        }
    }

    /// The event's id, which must be a non-empty string.
    fn event_id(
        &mut self,
        fields: &Fields<'a>,
        raw: &'a RawValue,
        anonymous: &Context,
    ) -> Option<String> {
        if fields.get("id").is_some_and(|id| id.get() == "null") {
            let at = fields.get("id").copied();
            self.error(at, &anonymous.field("id"), "this required field is null");
            return None;
        }
        if !fields.contains_key("id") {
            self.error(
                Some(raw),
                &anonymous.field("id"),
                "this required field is missing",
            );
            return None;
        }
        let id = self.string(fields, "id", anonymous)?;
        if let Err(message) = rules::required(&id) {
            let at = fields.get("id").copied();
            self.error(at, &anonymous.field("id"), message);
            return None;
        }
        Some(id)
    }

    /// The position of the event's category, created when first named (if undeclared).
    fn category(
        &mut self,
        fields: &Fields<'a>,
        context: &Context,
        categories: &mut Categories,
    ) -> Option<usize> {
        let name = self.string(fields, "category", context)?;
        match categories.position_or_add(&name) {
            Ok(position) => Some(position),
            Err(message) => {
                let at = fields.get("category").copied();
                self.error(at, &context.field("category"), message);
                None
            }
        }
    }

    fn links(&mut self, fields: &Fields<'a>, context: &Context) -> Vec<ParsedLink<'a>> {
        let links_context = context.field("links");
        let mut links = Vec::new();
        for (index, item) in self
            .optional_array(fields, "links", context)
            .into_iter()
            .enumerate()
        {
            let link_context = links_context.item(index);
            let Some(link_fields) = self.object(item, &link_context) else {
                continue;
            };
            self.unknown_fields(&link_fields, rules::LINK_FIELDS, &link_context);
            let to = self.required_string(&link_fields, "to", &link_context, item);
            let kind = self
                .string(&link_fields, "kind", &link_context)
                .unwrap_or_else(|| rules::DEFAULT_LINK_KIND.to_owned());
            if let Some(to) = to {
                let at = link_fields.get("to").copied().unwrap_or(item);
                links.push(ParsedLink {
                    to,
                    kind,
                    context: link_context.field("to"),
                    at,
                });
            }
        }
        links
    }

    fn event(
        &mut self,
        index: usize,
        raw: &'a RawValue,
        places: &dyn FindPlace,
        categories: &mut Categories,
    ) -> Option<ParsedEvent<'a>> {
        let anonymous = Context {
            event_id: None,
            path: format!("events[{index}]"),
        };
        let fields = self.object(raw, &anonymous)?;
        let id = self.event_id(&fields, raw, &anonymous);
        let context = match &id {
            Some(id) => Context {
                event_id: Some(id.clone()),
                path: String::new(),
            },
            None => anonymous,
        };
        self.unknown_fields(&fields, rules::EVENT_FIELDS, &context);
        let title = self.required_string(&fields, "title", &context, raw);
        // `"when": null`: the source gives no date (an undated slide or placemark, exported).
        let undated = fields.get("when").is_some_and(|when| when.get() == "null");
        let when_text = if undated {
            None
        } else {
            self.required_string(&fields, "when", &context, raw)
        };
        let when = when_text.as_ref().and_then(|text| match rules::date(text) {
            Ok(when) => Some(when),
            Err(message) => {
                let at = fields.get("when").copied();
                self.error(at, &context.field("when"), message);
                None
            }
        });
        let place = self.location(&fields, &context, places);
        let category = self.category(&fields, &context, categories);
        let details = EventDetails {
            place_name: place.name,
            place_id: place.id,
            actors: self.strings(&fields, "actors", &context),
            summary: self.string(&fields, "summary", &context),
            sources: self.sources(&fields, &context),
            date_note: self.string(&fields, "date_note", &context),
            fields: self.text_fields(&fields, &context),
        };
        let links = self.links(&fields, &context);
        let event = match (&id, title, when_text, when) {
            (Some(id), Some(title), Some(when_text), Some(when)) => {
                Some(Event::new(id, &title, &when_text, &when))
            }
            (Some(id), Some(title), None, None) if undated => Some(Event::undated(id, &title)),
            _ => None,
        };
        let event = event.map(|mut event| {
            event.location = place.location;
            event.place_precision = place.precision;
            event.category = category;
            (event, details)
        });
        Some(ParsedEvent { id, event, links })
    }

    /// The top-level fields other than `events`.
    fn header(&mut self, top: &Fields<'a>) -> Header {
        let root = Context::root();
        self.unknown_fields(top, rules::TOP_FIELDS, &root);
        if let Some(format) = self.string(top, "format", &root)
            && let Err(message) = rules::format(&format)
        {
            let at = top.get("format").copied();
            self.error(at, &root.field("format"), message);
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
        Header {
            title,
            description: self.string(top, "description", &root),
            sources: self.sources(top, &root),
            categories: self.categories(top),
            places: self.places(top),
        }
    }

    /// Reads every event; those with a valid id that is not a repeat are kept (with their
    /// links), in file order. `None` when cancelled or when `events` is not a list.
    fn events(
        &mut self,
        events_raw: &'a RawValue,
        places: &Places,
        categories: &mut Categories,
    ) -> Option<Vec<ParsedEvent<'a>>> {
        let items = self.array(events_raw, &Context::root().field("events"))?;
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
            let Some(event) = self.event(index, item, places, categories) else {
                continue;
            };
            let Some(id) = event.id.clone() else {
                continue;
            };
            if let Some(&(line, column)) = first_seen.get(&id) {
                let context = Context {
                    event_id: Some(id),
                    path: "id".to_owned(),
                };
                self.error(Some(item), &context, rules::duplicate_event(line, column));
                continue;
            }
            first_seen.insert(id, self.position(item));
            parsed.push(event);
        }
        Some(parsed)
    }

    /// Reports links to unknown events; the links between events that were read, by position.
    fn resolve_links(&mut self, parsed: &[ParsedEvent<'a>]) -> Vec<PendingLink> {
        let all_ids: BTreeSet<&str> = parsed.iter().filter_map(|e| e.id.as_deref()).collect();
        let mut position_of: HashMap<&str, u32> = HashMap::new();
        for event in parsed.iter().filter_map(|e| e.event.as_ref()) {
            let position = position_of.len() as u32;
            position_of.insert(event.0.id(), position);
        }
        let mut links = Vec::new();
        for parsed_event in parsed {
            let from = parsed_event
                .event
                .as_ref()
                .and_then(|(event, _)| position_of.get(event.id()).copied());
            for link in &parsed_event.links {
                if !all_ids.contains(link.to.as_str()) {
                    let known: Vec<&str> = all_ids.iter().copied().collect();
                    let message = rules::unknown_link_target(&link.to, &known);
                    self.error(Some(link.at), &link.context, message);
                } else if let (Some(from), Some(&to)) = (from, position_of.get(link.to.as_str())) {
                    links.push(PendingLink {
                        from,
                        to,
                        kind: link.kind.clone(),
                    });
                }
            }
        }
        links
    }

    fn dataset(&mut self, top: &Fields<'a>) -> Option<Dataset> {
        let Header {
            title,
            description,
            sources,
            mut categories,
            places,
        } = self.header(top);
        let Some(&events_raw) = top.get("events") else {
            // Point at the object that lacks it.
            let (line, column) = self.root_position();
            self.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: self.file.to_owned(),
                line: Some(line),
                column: Some(column),
                event_id: None,
                field: Some("events".to_owned()),
                message: if top.contains_key("event_atlas_story") {
                    "this is a story file, kept beside its data file (NAME.story.json beside NAME); open the data file".to_owned()
                } else {
                    "the file has no \"events\" list; is this an Event Atlas dataset?".to_owned()
                },
            });
            return None;
        };
        let parsed = self.events(events_raw, &places, &mut categories)?;
        let links = self.resolve_links(&parsed);
        let mut events = Vec::with_capacity(parsed.len());
        let mut details = Vec::with_capacity(parsed.len());
        let mut bounds = Bounds::default();
        for (mut event, event_details) in parsed.into_iter().filter_map(|parsed| parsed.event) {
            if let Some(when) = event.when() {
                bounds.include(&when);
            }
            event.details = DetailRef {
                offset: events.len() as u64,
                len: 0,
            };
            events.push(event);
            details.push(event_details);
        }
        let parts = assemble::Parts {
            title,
            description,
            sources,
            categories,
            places,
            events,
            bounds,
            details: Some(std::sync::Arc::new(DetailList(details))),
        };
        let mut dataset = assemble::dataset(parts, move |_| Some(links))?;
        if let Some(&story) = top.get("story") {
            // Read once the events are known: a step selects one by its id.
            let (story, warnings) = story::read_story(self.text, story, self.file, &dataset);
            dataset.story = story;
            for warning in warnings {
                self.diagnostics.push(warning);
            }
        }
        Some(dataset)
    }
}

/// Why a value is not a usable string.
fn string_type_message(raw: &RawValue) -> String {
    match kind_of(raw) {
        "a string" => "the text is not valid (it has an unpaired \\u surrogate escape)".to_owned(),
        kind => format!("expected a string, found {kind}"),
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

fn file_stem(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_owned(), |s| s.to_string_lossy().into_owned())
}
