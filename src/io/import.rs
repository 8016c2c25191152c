//! What the readers of other formats (GeoJSON, CSV, spreadsheets, KML, TimelineJS…) share: the
//! choices the user made (columns, sheet), rows turned into events with a count of what became
//! of every row, and the end of the pipeline (`assemble::dataset`).

use std::collections::HashMap;
use std::sync::Arc;

use super::assemble::{self, Bounds, Categories, Parts, PendingLink, Places};
use super::{Diagnostic, LoadError, Loaded, Severity};
use crate::model::{
    DetailList, DetailReader, DetailRef, Event, EventDetails, EventShape, Location, LonLat, Place,
    PlacePrecision, RegionCode, ShapePart, Source, When,
};

/// Columns (or properties) the user picked for a table whose names were not recognised, and
/// the sheet of a workbook. Empty fields: found by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportOptions {
    /// The date (or start date) column.
    pub time: Option<String>,
    /// The end date column, for spans.
    pub end: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub title: Option<String>,
    /// The column (GeoJSON: the property) whose values are the categories.
    pub category: Option<String>,
    /// The sheet of a workbook (the first one when `None`).
    pub sheet: Option<String>,
}

impl ImportOptions {
    /// Nothing chosen: every column is found by its name.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The first rows of a table whose columns were not recognised, for the import dialog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TablePreview {
    /// Column names (or `column 1`, `column 2`… for a table without a header row).
    pub columns: Vec<String>,
    /// The first rows, cell by cell.
    pub rows: Vec<Vec<String>>,
    /// The sheets of a workbook (empty for a text table).
    pub sheets: Vec<String>,
    /// The sheet shown.
    pub sheet: Option<String>,
    /// What could not be found, in words: e.g. `["a date column", "a latitude column"]`.
    pub missing: Vec<String>,
}

/// How many rows are shown in [`TablePreview::rows`].
pub const PREVIEW_ROWS: usize = 8;

/// Why a row of the source did not become an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// The row has no date at all (and the format needs one).
    NoDate,
    /// The date is there but cannot be read.
    BadDate,
    /// Another value makes the row unusable (an empty row, a wrong type…).
    BadValue,
}

impl SkipReason {
    fn words(self, count: usize) -> String {
        let (one, many) = match self {
            SkipReason::NoDate => ("without a date", "without a date"),
            SkipReason::BadDate => (
                "with a date that cannot be read",
                "with dates that cannot be read",
            ),
            SkipReason::BadValue => ("with a bad value", "with bad values"),
        };
        format!("{count} {}", if count == 1 { one } else { many })
    }
}

/// What became of the rows of an imported file: shown by `check` and in the status bar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The format as read, e.g. "GDELT 2.0 events", "CSV", "GeoJSON".
    pub format: String,
    /// What a row is called in this format: "row", "feature", "placemark", "slide"…
    pub row_noun: &'static str,
    /// Rows (features, placemarks…) read.
    pub rows: usize,
    /// Rows that became events.
    pub events: usize,
    /// Of the events: how many have no place (still events, not on the map).
    pub without_place: usize,
    /// Of the events: how many have no date (on the map and in lists, not on the timeline).
    pub undated: usize,
    /// Rows that did not become events, by reason (the lines are in the warnings).
    pub skipped: Vec<(SkipReason, usize)>,
}

impl ImportReport {
    /// E.g. "GDELT 2.0 events: 100 rows → 100 events (3 without a place)" or
    /// "CSV: 12 rows → 10 events; 2 skipped: 1 without a date, 1 with a bad value".
    pub fn summary(&self) -> String {
        let plural = |count: usize, noun: &str| {
            if count == 1 {
                format!("{count} {noun}")
            } else {
                format!("{count} {noun}s")
            }
        };
        let mut line = format!(
            "{}: {} → {}",
            self.format,
            plural(self.rows, self.row_noun),
            plural(self.events, "event")
        );
        let mut notes = Vec::new();
        if self.without_place > 0 {
            notes.push(format!("{} without a place", self.without_place));
        }
        if self.undated > 0 {
            notes.push(format!("{} without a date", self.undated));
        }
        if !notes.is_empty() {
            line.push_str(&format!(" ({})", notes.join(", ")));
        }
        let skipped: usize = self.skipped.iter().map(|(_, count)| count).sum();
        if skipped > 0 {
            let reasons: Vec<String> = self
                .skipped
                .iter()
                .map(|&(reason, count)| reason.words(count))
                .collect();
            line.push_str(&format!("; {skipped} skipped: {}", reasons.join(", ")));
        }
        line
    }

    /// Rows that did not become events.
    pub fn skipped_count(&self) -> usize {
        self.skipped.iter().map(|(_, count)| count).sum()
    }
}

/// Per-row messages kept in full; past this many, one line says how many more there were.
pub const MAX_ROW_MESSAGES: usize = 200;

/// One row (feature, placemark, slide…) read from the source, ready to become an event.
#[derive(Clone, Debug, Default)]
pub(super) struct Row<'a> {
    /// The source's own id; made from the row number when `None` (or already taken).
    pub id: Option<&'a str>,
    pub title: &'a str,
    /// The date as EDTF text (see `docs/format.md`) and parsed; `None`: the source gives none.
    pub when: Option<(String, When)>,
    pub at: Option<LonLat>,
    pub region: Option<RegionCode>,
    pub category: Option<&'a str>,
}

/// The ids of the events pushed so far, kept as hashes that point at the event holding the id
/// (a million ids cost no string copies); ids whose hash another id already has are kept whole.
#[derive(Default)]
struct IdSet {
    by_hash: HashMap<u64, u32, std::hash::BuildHasherDefault<PassThrough>>,
    /// Ids whose hash was taken by a different id (almost never).
    colliding: std::collections::HashSet<Box<str>>,
}

impl IdSet {
    fn hash(id: &str) -> u64 {
        // FNV-1a then a final mix: fast on short ids, and spread well enough for a table.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in id.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        hash ^ (hash >> 29)
    }

    fn contains(&self, id: &str, events: &[Event]) -> bool {
        match self.by_hash.get(&Self::hash(id)) {
            Some(&position) => {
                events.get(position as usize).is_some_and(|e| e.id() == id)
                    || self.colliding.contains(id)
            }
            None => false,
        }
    }

    /// Adds an id not [`IdSet::contains`]ed yet, of the event that will be at `position`.
    fn insert(&mut self, id: &str, position: u32, events: &[Event]) {
        match self.by_hash.entry(Self::hash(id)) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(position);
            }
            std::collections::hash_map::Entry::Occupied(taken) => {
                debug_assert!(
                    events
                        .get(*taken.get() as usize)
                        .is_none_or(|e| e.id() != id),
                    "only new ids are inserted"
                );
                self.colliding.insert(id.into());
            }
        }
    }
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8) | u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// A link from an event to another named by its id, resolved when the dataset is made.
struct LinkById {
    /// The position of the event in the file.
    from: u32,
    target: String,
    kind: String,
    /// The line of the row that gives it.
    line: Option<usize>,
}

/// Turns rows into events, counting what became of each; [`Importer::finish`] makes the
/// dataset.
pub(super) struct Importer {
    file: String,
    report: ImportReport,
    categories: Categories,
    events: Vec<Event>,
    details: Vec<EventDetails>,
    bounds: Bounds,
    /// The ids taken so far, to keep them unique.
    ids: IdSet,
    warnings: Vec<Diagnostic>,
    /// Warnings past [`MAX_ROW_MESSAGES`], counted only.
    unlisted_warnings: usize,
    skipped: HashMap<SkipReason, usize>,
    /// Outlines of events that are lines or areas: `(position of the event in the file, parts)`.
    shapes: Vec<(usize, Vec<ShapePart>)>,
    /// Named places (an Event Atlas CSV's `place_id`s).
    places: Places,
    /// Links by their target's id.
    links: Vec<LinkById>,
    /// A source with no rows is an empty dataset rather than an error.
    empty_is_fine: bool,
}

impl Importer {
    /// An importer for `file`, read as `format` whose rows are called `row_noun`.
    pub(super) fn new(file: &str, format: &str, row_noun: &'static str) -> Self {
        Self {
            file: file.to_owned(),
            report: ImportReport {
                format: format.to_owned(),
                row_noun,
                ..ImportReport::default()
            },
            categories: Categories::undeclared(),
            events: Vec::new(),
            details: Vec::new(),
            bounds: Bounds::default(),
            ids: IdSet::default(),
            warnings: Vec::new(),
            unlisted_warnings: 0,
            skipped: HashMap::new(),
            shapes: Vec::new(),
            places: Places::default(),
            links: Vec::new(),
            empty_is_fine: false,
        }
    }

    /// Room for `rows` more events.
    pub(super) fn reserve(&mut self, rows: usize) {
        self.events.reserve(rows);
        self.ids.by_hash.reserve(rows);
    }

    /// The format's name may be refined once the content is seen (e.g. "ACLED export").
    pub(super) fn set_format(&mut self, format: &str) {
        format.clone_into(&mut self.report.format);
    }

    /// Adds an event whose details are kept in memory; `line` (1-based, when the format has
    /// lines) names the row in messages.
    pub(super) fn push(&mut self, line: Option<usize>, row: Row<'_>, details: EventDetails) {
        let slot = self.details.len() as u64;
        self.details.push(details);
        self.push_at(
            line,
            row,
            DetailRef {
                offset: slot,
                len: 0,
            },
        );
    }

    /// Adds an event whose details are read on demand by the reader given to
    /// [`Importer::finish_with`] (e.g. from the row's bytes).
    pub(super) fn push_at(&mut self, line: Option<usize>, row: Row<'_>, details: DetailRef) {
        self.report.rows += 1;
        self.report.events += 1;
        let number = self.report.rows;
        let id = self.unique_id(row.id, number);
        let mut event = match &row.when {
            Some((text, when)) => {
                self.bounds.include(when);
                Event::new(&id, row.title, text, when)
            }
            None => {
                self.report.undated += 1;
                Event::undated(&id, row.title)
            }
        };
        event.location = match (row.at, row.region) {
            (Some(at), region) => Location::Point { at, region },
            (None, Some(region)) => Location::Region(region),
            (None, None) => {
                self.report.without_place += 1;
                Location::Unknown
            }
        };
        if let Some(name) = row.category.map(str::trim).filter(|name| !name.is_empty()) {
            match self.categories.position_or_add(name) {
                Ok(position) => event.category = Some(position),
                Err(message) => self.warn(line, Some(&id), Some("category"), message),
            }
        }
        event.details = details;
        self.events.push(event);
    }

    /// The label and colour of the category `id`, when it is new (else the first ones given
    /// stay); `None` leaves the id as label, the next default colour.
    pub(super) fn describe_category(
        &mut self,
        id: &str,
        label: Option<&str>,
        color: Option<[u8; 3]>,
    ) {
        if matches!(self.categories.find(id), Ok(None)) {
            let label = label.map(str::to_owned);
            self.categories.declare(id.to_owned(), label, color);
        }
    }

    /// A named place events refer to by id (the first one with an id wins).
    pub(super) fn add_place(&mut self, place: Place) {
        if self.places.check_new(&place.id).is_ok() {
            self.places.declare(place);
        }
    }

    /// A link from the event pushed last to the event with id `target` (resolved when the
    /// dataset is made; a link to no event is left out with a warning).
    pub(super) fn link_last(&mut self, line: Option<usize>, target: &str, kind: &str) {
        if let Some(from) = self.events.len().checked_sub(1) {
            self.links.push(LinkById {
                from: from as u32,
                target: target.to_owned(),
                kind: kind.to_owned(),
                line,
            });
        }
    }

    /// How precisely the point of the event pushed last is known (exact unless set).
    pub(super) fn set_last_place_precision(&mut self, precision: PlacePrecision) {
        if let Some(event) = self.events.last_mut() {
            event.place_precision = precision;
        }
    }

    /// A source with no rows at all makes an empty dataset (not an error).
    pub(super) fn allow_empty(&mut self) {
        self.empty_is_fine = true;
    }

    /// Gives the event pushed last an outline (drawn on the map around its place).
    pub(super) fn push_shape(&mut self, parts: Vec<ShapePart>) {
        debug_assert!(!self.events.is_empty(), "a shape follows its event");
        if !parts.is_empty() && !self.events.is_empty() {
            self.shapes.push((self.events.len() - 1, parts));
        }
    }

    /// The source's id if it is new, else one made from the row number (`row-12`); a taken id
    /// gets a number (`a-2`, `a-3`…) that no other event has.
    fn unique_id(&mut self, given: Option<&str>, number: usize) -> String {
        let base = match given.map(str::trim).filter(|id| !id.is_empty()) {
            Some(id) => id.to_owned(),
            None => format!("{}-{number}", self.report.row_noun),
        };
        let position = self.events.len() as u32;
        if !self.ids.contains(&base, &self.events) {
            self.ids.insert(&base, position, &self.events);
            return base;
        }
        let mut suffix = 2;
        loop {
            let id = format!("{base}-{suffix}");
            if !self.ids.contains(&id, &self.events) {
                self.ids.insert(&id, position, &self.events);
                return id;
            }
            suffix += 1;
        }
    }

    /// A row that does not become an event, and why (listed in the warnings with its line).
    pub(super) fn skip(&mut self, line: Option<usize>, reason: SkipReason, message: String) {
        self.report.rows += 1;
        *self.skipped.entry(reason).or_default() += 1;
        self.warn(line, None, None, format!("skipped: {message}"));
    }

    /// A problem that does not stop the row (e.g. coordinates out of range: no place).
    pub(super) fn warn(
        &mut self,
        line: Option<usize>,
        event_id: Option<&str>,
        field: Option<&str>,
        message: String,
    ) {
        if self.warnings.len() >= MAX_ROW_MESSAGES {
            self.unlisted_warnings += 1;
            return;
        }
        self.warnings.push(Diagnostic {
            severity: Severity::Warning,
            file: self.file.clone(),
            line,
            column: None,
            event_id: event_id.map(str::to_owned),
            field: field.map(str::to_owned),
            message,
        });
    }

    /// The file read, as messages name it.
    pub(super) fn file(&self) -> &str {
        &self.file
    }

    /// The id the last event pushed was given (the source's, or one made unique).
    pub(super) fn last_id(&self) -> Option<&str> {
        self.events.last().map(Event::id)
    }

    /// Whether rows were read, none became an event, and every one was skipped for `reason`.
    pub(super) fn all_skipped_for(&self, reason: SkipReason) -> bool {
        self.events.is_empty()
            && self.report.rows > 0
            && self.skipped.len() == 1
            && self.skipped.contains_key(&reason)
    }

    /// How many rows were read so far.
    pub(super) fn rows(&self) -> usize {
        self.report.rows
    }

    /// The dataset, with the details pushed with [`Importer::push`].
    pub(super) fn finish(
        mut self,
        title: String,
        description: Option<String>,
        sources: Vec<Source>,
    ) -> Result<Loaded, LoadError> {
        let details = std::mem::take(&mut self.details);
        self.finish_with(title, description, sources, Arc::new(DetailList(details)))
    }

    /// The dataset, its events' details read by `details`.
    pub(super) fn finish_with(
        mut self,
        title: String,
        description: Option<String>,
        sources: Vec<Source>,
        details: Arc<dyn DetailReader>,
    ) -> Result<Loaded, LoadError> {
        self.count_unlisted_warnings();
        let mut skipped: Vec<(SkipReason, usize)> =
            std::mem::take(&mut self.skipped).into_iter().collect();
        skipped.sort_unstable();
        self.report.skipped = skipped;
        if self.events.is_empty() && !(self.empty_is_fine && self.report.rows == 0) {
            let message = if self.report.rows == 0 {
                format!(
                    "no {}s found: there is nothing to show",
                    self.report.row_noun
                )
            } else {
                format!(
                    "none of the rows became an event ({})",
                    self.report.summary()
                )
            };
            let mut diagnostics = vec![Diagnostic {
                severity: Severity::Error,
                file: self.file.clone(),
                line: None,
                column: None,
                event_id: None,
                field: None,
                message,
            }];
            diagnostics.append(&mut self.warnings);
            return Err(LoadError::Invalid {
                file: self.file,
                diagnostics,
            });
        }
        // Events are put in time order: their shapes follow them by id.
        let shapes: Vec<(String, Vec<ShapePart>)> = std::mem::take(&mut self.shapes)
            .into_iter()
            .filter_map(|(position, parts)| {
                Some((self.events.get(position)?.id().to_owned(), parts))
            })
            .collect();
        let links = self.resolve_links();
        let parts = Parts {
            title,
            description,
            sources,
            categories: self.categories,
            places: self.places,
            events: self.events,
            bounds: self.bounds,
            details: Some(details),
        };
        let mut dataset =
            assemble::dataset(parts, |_| Some(links)).ok_or_else(|| LoadError::Io {
                file: self.file.clone(),
                message: "the events could not be put in order".to_owned(),
            })?;
        dataset.shapes = shapes_in_time_order(&dataset.events, shapes);
        Ok(Loaded {
            dataset,
            warnings: self.warnings,
            report: Some(self.report),
            events_need_no_remark: false,
        })
    }
}

impl Importer {
    /// One line for the warnings past [`MAX_ROW_MESSAGES`].
    fn count_unlisted_warnings(&mut self) {
        if self.unlisted_warnings > 0 {
            let more = self.unlisted_warnings;
            self.unlisted_warnings = 0;
            self.warnings.push(Diagnostic {
                severity: Severity::Warning,
                file: self.file.clone(),
                line: None,
                column: None,
                event_id: None,
                field: None,
                message: format!("… and {more} more warnings like these"),
            });
        }
    }

    /// The links by the positions of their events; a link to an id no event has is left out
    /// with a warning.
    fn resolve_links(&mut self) -> Vec<PendingLink> {
        let links = std::mem::take(&mut self.links);
        if links.is_empty() {
            return Vec::new();
        }
        let position_of: HashMap<&str, u32> = self
            .events
            .iter()
            .enumerate()
            .map(|(position, event)| (event.id(), position as u32))
            .collect();
        let mut resolved = Vec::with_capacity(links.len());
        let mut unknown = Vec::new();
        for link in links {
            match position_of.get(link.target.as_str()) {
                Some(&to) => resolved.push(PendingLink {
                    from: link.from,
                    to,
                    kind: link.kind,
                }),
                None => unknown.push(link),
            }
        }
        drop(position_of);
        for link in unknown {
            let id = self
                .events
                .get(link.from as usize)
                .map(|e| e.id().to_owned());
            let message = format!(
                "the link to \"{}\" is left out: no event has that id (is that event missing from the file, or is the id misspelt?)",
                link.target
            );
            self.warn(link.line, id.as_deref(), Some("links"), message);
        }
        resolved
    }
}

/// The shapes of events (by id) with the events' indices in time order, sorted by them.
fn shapes_in_time_order(
    events: &[Event],
    shapes: Vec<(String, Vec<ShapePart>)>,
) -> Vec<EventShape> {
    if shapes.is_empty() {
        return Vec::new();
    }
    let mut index_of: Vec<Option<usize>> = vec![None; shapes.len()];
    {
        let mut slot_of: HashMap<&str, usize> = shapes
            .iter()
            .enumerate()
            .map(|(slot, (id, _))| (id.as_str(), slot))
            .collect();
        for (index, event) in events.iter().enumerate() {
            if let Some(slot) = slot_of.remove(event.id()) {
                if let Some(found) = index_of.get_mut(slot) {
                    *found = Some(index);
                }
                if slot_of.is_empty() {
                    break;
                }
            }
        }
    }
    let mut placed: Vec<EventShape> = shapes
        .into_iter()
        .zip(index_of)
        .filter_map(|((_, parts), index)| {
            Some(EventShape {
                event: index?,
                parts,
            })
        })
        .collect();
    placed.sort_unstable_by_key(|shape| shape.event);
    placed
}

/// The title of a dataset read from `file`: its name without folders and extension.
pub(super) fn title_from_file(file: &str) -> String {
    let path = std::path::Path::new(file);
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .filter(|stem| !stem.is_empty())
        .unwrap_or_else(|| file.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(text: &str) -> Option<(String, When)> {
        Some((text.to_owned(), When::parse(text).unwrap()))
    }

    #[test]
    fn rows_become_events_and_the_report_counts_every_row() {
        let mut importer = Importer::new("feed.csv", "CSV", "row");
        importer.push(
            Some(2),
            Row {
                id: Some("a"),
                title: "First",
                when: when("2024-03-22"),
                at: Some(LonLat::new(37.4, 55.8)),
                category: Some("attack"),
                ..Row::default()
            },
            EventDetails {
                fields: vec![("fatalities".into(), "3".into())],
                ..EventDetails::default()
            },
        );
        importer.push(
            Some(3),
            Row {
                id: Some("a"),
                title: "Second, same id",
                when: when("2024-03"),
                ..Row::default()
            },
            EventDetails::default(),
        );
        importer.push(
            Some(4),
            Row {
                title: "Undated",
                ..Row::default()
            },
            EventDetails::default(),
        );
        importer.skip(
            Some(5),
            SkipReason::NoDate,
            "no date in column \"date\"".into(),
        );
        let loaded = importer.finish("feed".into(), None, Vec::new()).unwrap();
        let report = loaded.report.clone().unwrap();
        assert_eq!(
            report.summary(),
            "CSV: 4 rows → 3 events (2 without a place, 1 without a date); 1 skipped: 1 without a date"
        );
        let dataset = &loaded.dataset;
        assert_eq!(dataset.events.len(), 3);
        let ids: Vec<&str> = dataset.events.iter().map(|e| e.id()).collect();
        assert!(ids.contains(&"a") && ids.contains(&"a-2") && ids.contains(&"row-3"));
        // A made-up id never takes one the source gives, nor the other way round.
        let mut importer = Importer::new("feed.csv", "CSV", "row");
        for id in ["x", "x-2", "x", "row-4", ""] {
            importer.push(
                None,
                Row {
                    id: Some(id),
                    title: id,
                    when: when("2024"),
                    ..Row::default()
                },
                EventDetails::default(),
            );
        }
        let ids: Vec<String> = importer.events.iter().map(|e| e.id().to_owned()).collect();
        assert_eq!(ids, ["x", "x-2", "x-3", "row-4", "row-5"]);
        let mut set = IdSet::default();
        set.insert("same-hash", 0, &[]);
        // Two ids with the same hash (forced here) are both kept.
        set.by_hash.insert(IdSet::hash("other"), 0);
        set.insert("other", 1, &[]);
        assert!(set.colliding.contains("other"));
        let first = dataset.find("a").unwrap();
        assert_eq!(dataset.details(first).unwrap().fields[0].1, "3");
        assert_eq!(dataset.categories[0].id, "attack");
        let undated = dataset.find("row-3").unwrap();
        assert!(dataset.events[undated].is_undated());
        assert_eq!(dataset.events[undated].when_words(), "no date given");
        assert_eq!(
            loaded.warnings[0].to_string(),
            "feed.csv:5: warning: skipped: no date in column \"date\""
        );
    }

    #[test]
    fn a_file_where_no_row_becomes_an_event_is_an_error_that_says_why() {
        let mut importer = Importer::new("feed.csv", "CSV", "row");
        importer.skip(
            Some(2),
            SkipReason::BadDate,
            "'2024-13-01' is not a date".into(),
        );
        let error = importer
            .finish("feed".into(), None, Vec::new())
            .unwrap_err();
        assert_eq!(
            error.lines(),
            [
                "feed.csv: none of the rows became an event (CSV: 1 row → 0 events; 1 skipped: 1 with a date that cannot be read)",
                "feed.csv:2: warning: skipped: '2024-13-01' is not a date",
            ]
        );
        let empty = Importer::new("a.kml", "KML", "placemark");
        assert_eq!(
            empty
                .finish("a".into(), None, Vec::new())
                .unwrap_err()
                .lines(),
            ["a.kml: no placemarks found: there is nothing to show"]
        );
    }

    #[test]
    fn warnings_past_the_cap_are_counted_in_one_line() {
        let mut importer = Importer::new("big.csv", "CSV", "row");
        for line in 0..MAX_ROW_MESSAGES + 5 {
            importer.skip(Some(line + 2), SkipReason::NoDate, "no date".into());
        }
        importer.push(
            None,
            Row {
                title: "kept",
                when: when("2020"),
                ..Row::default()
            },
            EventDetails::default(),
        );
        let loaded = importer.finish("big".into(), None, Vec::new()).unwrap();
        assert_eq!(loaded.warnings.len(), MAX_ROW_MESSAGES + 1);
        assert_eq!(
            loaded.warnings.last().unwrap().message,
            "… and 5 more warnings like these"
        );
    }

    #[test]
    fn links_by_id_categories_with_colours_and_named_places() {
        let mut importer = Importer::new("atlas.csv", "Event Atlas CSV", "row");
        importer.describe_category("a", Some("Alpha"), Some([1, 2, 3]));
        for (line, id, date) in [(2, "late", "2024-03"), (3, "early", "2024-01")] {
            importer.push(
                Some(line),
                Row {
                    id: Some(id),
                    title: id,
                    when: when(date),
                    category: Some("a"),
                    ..Row::default()
                },
                EventDetails::default(),
            );
            // The first label and colour given stay.
            importer.describe_category("a", Some("Other"), None);
        }
        importer.link_last(Some(3), "late", "before");
        importer.link_last(Some(3), "missing", "related");
        importer.add_place(Place {
            id: "p".into(),
            name: "P".into(),
            at: LonLat::new(1.0, 2.0),
            region: None,
            precision: PlacePrecision::Exact,
            note: None,
        });
        let loaded = importer.finish("atlas".into(), None, Vec::new()).unwrap();
        let dataset = &loaded.dataset;
        assert_eq!(dataset.categories[0].label, "Alpha");
        assert_eq!(dataset.categories[0].color, [1, 2, 3]);
        let early = dataset.find("early").unwrap();
        let late = dataset.find("late").unwrap();
        assert_eq!(
            dataset.links_from(early).collect::<Vec<_>>(),
            [(late, "before")]
        );
        assert_eq!(dataset.places.len(), 1);
        assert_eq!(
            loaded.warnings[0].to_string(),
            "atlas.csv:3: warning: event \"early\", field \"links\": the link to \"missing\" is left out: no event has that id (is that event missing from the file, or is the id misspelt?)"
        );
        // With no rows at all, an empty dataset when the format allows it.
        let mut empty = Importer::new("atlas.csv", "Event Atlas CSV", "row");
        empty.allow_empty();
        let loaded = empty.finish("atlas".into(), None, Vec::new()).unwrap();
        assert!(loaded.dataset.events.is_empty());
    }

    #[test]
    fn shapes_follow_their_events_into_time_order() {
        let mut importer = Importer::new("shapes.geojson", "GeoJSON", "feature");
        let line = |lon: f64| ShapePart::Line(vec![LonLat::new(lon, 0.0), LonLat::new(lon, 1.0)]);
        for (id, date, lon) in [
            ("late", "2024-03", 1.0),
            ("point", "2024-02", 0.0),
            ("early", "2024-01", 2.0),
        ] {
            importer.push(
                None,
                Row {
                    id: Some(id),
                    title: id,
                    when: when(date),
                    at: Some(LonLat::new(lon, 0.5)),
                    ..Row::default()
                },
                EventDetails::default(),
            );
            if id != "point" {
                importer.push_shape(vec![line(lon)]);
            }
        }
        // An empty outline is no outline.
        importer.push_shape(Vec::new());
        let dataset = importer
            .finish("s".into(), None, Vec::new())
            .unwrap()
            .dataset;
        let ids: Vec<&str> = dataset.events.iter().map(|e| e.id()).collect();
        assert_eq!(ids, ["early", "point", "late"]);
        assert_eq!(dataset.shapes.len(), 2);
        assert_eq!(dataset.shapes[0].event, 0);
        assert_eq!(dataset.shapes[0].parts, [line(2.0)]);
        assert_eq!(dataset.shape_of(2).unwrap().parts, [line(1.0)]);
        assert!(dataset.shape_of(1).is_none());
    }
}
