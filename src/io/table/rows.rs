//! A table's row as an event: its date, place, title and category (with a message for every
//! value that cannot be used), and the details shown when it is selected.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Cell, Cells, Preset, RowAt, Table, acled, gdelt};
use crate::io::dates::{self, Dated};
use crate::io::import::{Importer, Row};
use crate::io::text::html_to_text;
use crate::io::{SkipReason, table::columns::normalise};
use crate::model::{
    DetailRef, EventDetails, LonLat, PlacePrecision, RegionCode, Source, When, latitude_is_valid,
    longitude_is_valid,
};

/// A row ready to become an event.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct RowEvent<'c> {
    pub id: Option<Cow<'c, str>>,
    pub title: Cow<'c, str>,
    /// `None`: an undated event (only in an Event Atlas CSV, whose empty date means that).
    pub when: Option<Dated>,
    pub at: Option<LonLat>,
    pub region: Option<RegionCode>,
    /// How precisely `at` is known (ACLED `geo_precision`, GDELT `ActionGeo_Type`).
    pub place_precision: PlacePrecision,
    pub category: Option<Cow<'c, str>>,
}

impl RowEvent<'_> {
    /// Gives the row for [`Importer::push`] / [`Importer::push_at`] to `push`, then sets the
    /// pushed event's place precision.
    fn with_row(self, importer: &mut Importer, push: impl FnOnce(&mut Importer, Row<'_>)) {
        let RowEvent {
            id,
            title,
            when,
            at,
            region,
            place_precision,
            category,
        } = self;
        push(
            importer,
            Row {
                id: id.as_deref(),
                title: &title,
                when,
                at,
                region,
                category: category.as_deref(),
            },
        );
        importer.set_last_place_precision(place_precision);
    }
}

/// FNV-1a: date texts are short and come from the file being read, so a fast hash will do.
#[derive(Clone, Copy, Debug)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type DateCache = HashMap<Box<str>, Dated, std::hash::BuildHasherDefault<Fnv>>;

/// Distinct date texts remembered per file (sorted exports repeat a date row after row).
const DATE_CACHE: usize = 1 << 16;

/// Reads the rows of one table, remembering what helps with the next row.
pub(super) struct RowReader<'t> {
    table: &'t Table,
    /// ACLED's `time_precision` column.
    precision: Option<usize>,
    /// ACLED's `geo_precision` or GDELT's `ActionGeo_Type` column.
    place_precision: Option<usize>,
    dates: DateCache,
}

impl<'t> RowReader<'t> {
    pub(super) fn new(table: &'t Table) -> Self {
        let precision = match table.preset {
            Preset::Acled => acled::precision_column(&table.columns),
            _ => None,
        };
        let place_precision = match table.preset {
            Preset::Acled => acled::geo_precision_column(&table.columns),
            Preset::Gdelt1 | Preset::Gdelt2 => gdelt::geo_type_column(table.preset),
            _ => None,
        };
        Self {
            table,
            precision,
            place_precision,
            dates: DateCache::default(),
        }
    }

    /// The event of a row, or `None` when it is skipped (counted and told by `importer`).
    pub(super) fn event<'c, C: Cells>(
        &mut self,
        cells: &'c C,
        at: RowAt<'_>,
        importer: &mut Importer,
    ) -> Option<RowEvent<'c>> {
        let atlas = self.table.atlas.as_ref();
        let undated = atlas.is_some()
            && self
                .table
                .roles
                .time
                .is_some_and(|column| cells.cell(column).text().trim().is_empty());
        let when = if undated {
            None
        } else {
            Some(self.when(cells, at, importer)?)
        };
        let place = self.place(cells, at, importer);
        let region = atlas.and_then(|atlas| {
            atlas.check_region(cells, at, importer);
            atlas.region(cells)
        });
        let roles = &self.table.roles;
        let category = roles
            .category
            .map(|column| cells.cell(column).into_text())
            .filter(|text| !text.is_empty())
            .map(|text| match self.table.preset {
                Preset::Gdelt1 | Preset::Gdelt2 => gdelt::quad_class_words(&text)
                    .map(Cow::Borrowed)
                    .unwrap_or(text),
                _ => text,
            });
        let title = self.title(cells, category.as_deref(), at);
        let id = roles
            .id
            .map(|column| cells.cell(column).into_text())
            .filter(|id| !id.is_empty());
        let place_precision = match (place, self.place_precision) {
            (Some(_), Some(column)) => {
                let code = cells.cell(column).into_text();
                match self.table.preset {
                    Preset::Acled => acled::place_precision(&code),
                    _ => gdelt::place_precision(&code),
                }
            }
            _ => None,
        };
        Some(RowEvent {
            id,
            title,
            when,
            at: place,
            region,
            place_precision: place_precision.unwrap_or_default(),
            category,
        })
    }

    fn column_name(&self, column: usize) -> &str {
        self.table
            .columns
            .get(column)
            .map_or("(no name)", String::as_str)
    }

    /// The row's date (with its time of day, end, precision), or `None` when it is skipped.
    fn when<C: Cells>(
        &mut self,
        cells: &C,
        at: RowAt<'_>,
        importer: &mut Importer,
    ) -> Option<Dated> {
        let column = self.table.roles.time?;
        let name = self.column_name(column).to_owned();
        let cell = cells.cell(column);
        if cell.is_empty() {
            let message = format!("no date in column \"{name}\"");
            importer.skip(at.line(), SkipReason::NoDate, at.message(message));
            return None;
        }
        let mut start = match self.date(&cell) {
            Ok(start) => start,
            Err(error) => {
                let message = format!("column \"{name}\": {error}");
                importer.skip(at.line(), SkipReason::BadDate, at.message(message));
                return None;
            }
        };
        if let Some(clock) = self.table.roles.clock {
            start = self.with_clock(start, &cells.cell(clock), clock, at, importer);
        }
        if let Some(precision) = self.precision {
            let precision = cells.cell(precision);
            match acled::with_precision(&start, &precision.text()) {
                Ok(Some(dated)) => start = dated,
                Ok(None) => {}
                Err(message) => warn(importer, at, Some("time_precision"), message),
            }
        }
        match self.table.roles.end {
            Some(end) => Some(self.with_end(start, &cells.cell(end), end, at, importer)),
            None => Some(start),
        }
    }

    /// A date cell's date.
    fn date(&mut self, cell: &Cell<'_>) -> Result<Dated, String> {
        match cell {
            Cell::Text(text) => {
                if let Some(dated) = self.dates.get(text.as_ref()) {
                    return Ok(dated.clone());
                }
                // What Event Atlas wrote is EDTF: kept as written when it reads as such.
                let verbatim = self
                    .table
                    .atlas
                    .as_ref()
                    .and_then(|_| When::parse(text).ok().map(|when| (text.to_string(), when)));
                let dated = match verbatim {
                    Some(dated) => dated,
                    None => dates::any(text, self.table.order)?,
                };
                if self.dates.len() < DATE_CACHE {
                    self.dates.insert(text.as_ref().into(), dated.clone());
                }
                Ok(dated)
            }
            Cell::Number(number) if number.fract() == 0.0 && (1000.0..3000.0).contains(number) => {
                dates::epoch_number(*number)
            }
            Cell::Number(number) => dates::spreadsheet_serial(*number),
            Cell::Date(text) => dates::iso(text),
            Cell::Time(text) => Err(format!("'{text}' is a time of day, not a date")),
            Cell::Empty => Err("the date is empty".to_owned()),
        }
    }

    /// `start` (a day) with the time of day in `cell`; the day alone when there is none.
    fn with_clock(
        &self,
        start: Dated,
        cell: &Cell<'_>,
        column: usize,
        at: RowAt<'_>,
        importer: &mut Importer,
    ) -> Dated {
        let clock = match cell {
            Cell::Empty => return start,
            Cell::Time(text) => Some(text.clone()),
            Cell::Text(text) => dates::clock(text),
            Cell::Number(fraction) if (0.0..1.0).contains(fraction) => {
                let seconds = (fraction * 86_400.0).round() as u32;
                Some(format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60))
            }
            Cell::Number(_) | Cell::Date(_) => None,
        };
        let is_day = start.0.len() == 10 && !start.0.contains('/');
        let combined = clock
            .filter(|_| is_day)
            .and_then(|clock| dates::iso(&format!("{}T{clock}", start.0)).ok());
        match combined {
            Some(dated) => dated,
            None => {
                let name = self.column_name(column).to_owned();
                let message = if is_day {
                    format!(
                        "'{}' is not a time of day (HH:MM) for {}: the event keeps its date",
                        cell.text(),
                        start.0
                    )
                } else {
                    format!(
                        "the time '{}' is left out: the date {} is not a single day without a time",
                        cell.text(),
                        start.0
                    )
                };
                warn(importer, at, Some(&name), message);
                start
            }
        }
    }

    /// `start` up to the date in the end column, when it has one.
    fn with_end(
        &mut self,
        start: Dated,
        cell: &Cell<'_>,
        column: usize,
        at: RowAt<'_>,
        importer: &mut Importer,
    ) -> Dated {
        if cell.is_empty() {
            return start;
        }
        let name = self.column_name(column).to_owned();
        let interval = self.date(cell).and_then(|end| {
            let text = format!("{}/{}", start.0, end.0);
            When::parse(&text)
                .map(|when| (text, when))
                .map_err(|error| error.0)
        });
        match interval {
            Ok(interval) => interval,
            Err(error) => {
                let message = format!("{error}: the event is dated by its start only");
                warn(importer, at, Some(&name), message);
                start
            }
        }
    }

    /// The row's place, or `None` (with a warning when the cells say something unusable).
    fn place<C: Cells>(&self, cells: &C, at: RowAt<'_>, importer: &mut Importer) -> Option<LonLat> {
        let roles = &self.table.roles;
        let (lat_column, lon_column) = (roles.lat?, roles.lon?);
        match gdelt::placeholder(self.table.preset, cells) {
            gdelt::Placeholder::No => {}
            gdelt::Placeholder::NoPlace => return None,
            gdelt::Placeholder::ZeroZero(message) => {
                warn(importer, at, Some("ActionGeo_Lat"), message);
                return None;
            }
        }
        let (lat_cell, lon_cell) = (cells.cell(lat_column), cells.cell(lon_column));
        if lat_cell.is_empty() && lon_cell.is_empty() {
            return None;
        }
        let lat_name = self.column_name(lat_column);
        let lon_name = self.column_name(lon_column);
        let lat = coordinate(&lat_cell, "latitude", 90.0);
        let lon = coordinate(&lon_cell, "longitude", 180.0);
        match (lat, lon) {
            (Ok(lat), Ok(lon)) => Some(LonLat::new(lon, lat)),
            (Err(message), _) => {
                warn(importer, at, Some(lat_name), message);
                None
            }
            (_, Err(message)) => {
                warn(importer, at, Some(lon_name), message);
                None
            }
        }
    }

    /// The title: the title column's, or made from what the row says.
    fn title<'c, C: Cells>(
        &self,
        cells: &'c C,
        category: Option<&str>,
        at: RowAt<'_>,
    ) -> Cow<'c, str> {
        let roles = &self.table.roles;
        let text = |column: Option<usize>| {
            column
                .map(|column| cells.cell(column).into_text())
                .filter(|text| !text.is_empty())
        };
        match self.table.preset {
            Preset::Gdelt1 | Preset::Gdelt2 => return Cow::Owned(gdelt::title(cells)),
            Preset::TimeMap => {
                if let Some(notes) = text(roles.notes) {
                    return Cow::Owned(short_title(&notes));
                }
            }
            Preset::Plain | Preset::Acled | Preset::Atlas => {}
        }
        if let Some(title) = text(roles.title) {
            return title;
        }
        let place = text(roles.place);
        match (category, place) {
            (Some(category), Some(place)) => return Cow::Owned(format!("{category}, {place}")),
            (category, place) => {
                if let Some(notes) = text(roles.notes) {
                    return Cow::Owned(short_title(&notes));
                }
                if let Some(one) = category.map(str::to_owned) {
                    return Cow::Owned(one);
                }
                if let Some(place) = place {
                    return place;
                }
            }
        }
        Cow::Owned(at.label())
    }
}

/// A coordinate from a cell, within `-limit..=limit`; `Err` says why it cannot be used.
fn coordinate(cell: &Cell<'_>, what: &str, limit: f64) -> Result<f64, String> {
    let value = match cell {
        Cell::Number(number) => Some(*number),
        Cell::Empty => {
            return Err(format!(
                "the {what} is empty but the other coordinate is given: the event has no place"
            ));
        }
        other => {
            let text = other.text();
            let text = text.trim();
            // A decimal comma (`55,75`), as tables written with `;` separators often have.
            text.parse::<f64>().ok().or_else(|| {
                (text.matches(',').count() == 1 && !text.contains('.'))
                    .then(|| text.replace(',', ".").parse().ok())
                    .flatten()
            })
        }
    };
    let valid = |v: f64| {
        if limit == 90.0 {
            latitude_is_valid(v)
        } else {
            longitude_is_valid(v)
        }
    };
    match value {
        Some(value) if valid(value) => Ok(value),
        Some(value) if value.is_finite() => Err(format!(
            "{what} {value} is outside -{limit}..{limit}: the event has no place (are latitude and longitude swapped? choose the columns with --lat and --lon)"
        )),
        _ => Err(format!(
            "{what} '{}' is not a number: the event has no place (fix the cell, or choose other columns with --lat and --lon)",
            cell.text()
        )),
    }
}

/// A title from a longer text: its first sentence, or its first words up to about 80
/// characters.
pub(super) fn short_title(text: &str) -> String {
    const LONGEST: usize = 80;
    let text = text.trim();
    let first_line = text.lines().next().unwrap_or_default().trim();
    let sentence_end = first_line
        .match_indices(". ")
        .map(|(at, _)| at)
        .find(|&at| at >= 12 && ends_sentence(first_line, at))
        .map_or(first_line.len(), |at| at + 1);
    let sentence = first_line.get(..sentence_end).unwrap_or(first_line);
    if sentence.chars().count() <= LONGEST {
        return sentence.to_owned();
    }
    let cut: String = sentence.chars().take(LONGEST).collect();
    let words = match cut.rfind(' ') {
        Some(space) if space > LONGEST / 2 => cut.get(..space).unwrap_or(&cut),
        _ => &cut,
    };
    format!("{}…", words.trim_end_matches([',', ';', ':', ' ']))
}

/// Whether the `.` at `at` ends a sentence: a capital follows, and the word before is no
/// abbreviation (`i.e.`, `U.S.`, `J. Smith`).
fn ends_sentence(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or_default();
    let word = before.rsplit(' ').next().unwrap_or_default();
    let next = text.get(at + 2..).and_then(|rest| rest.chars().next());
    next.is_some_and(char::is_uppercase) && word.chars().count() > 1 && !word.contains('.')
}

/// A warning about a row.
pub(super) fn warn(importer: &mut Importer, at: RowAt<'_>, field: Option<&str>, message: String) {
    importer.warn(at.line(), None, field, at.message(message));
}

impl Table {
    /// The details of a row: every cell not used for the date, place, title or category, in
    /// column order (empty ones left out); notes as the summary, actors, sources.
    pub(super) fn details(&self, cells: &impl Cells) -> EventDetails {
        if let Some(atlas) = &self.atlas {
            return atlas.details(self, cells);
        }
        let roles = &self.roles;
        let mut details = EventDetails::default();
        let count = cells.count().max(self.columns.len());
        for column in 0..count {
            let cell = cells.cell(column);
            if cell.is_empty() {
                continue;
            }
            let text = cell.text();
            if roles.notes == Some(column) {
                details.summary = Some(readable(&text));
            } else if roles.place == Some(column) {
                details.place_name = Some(text.into_owned());
            } else if roles.actors.contains(&column) {
                details.actors.push(text.into_owned());
            } else if roles.sources.contains(&column) {
                self.add_sources(&mut details, column, &text);
            } else if !roles.is_used(column) {
                let name = self.column_name(column);
                let value = self.field_value(&name, &text);
                details.fields.push((name.into_owned(), value));
            }
        }
        if let Some(column) =
            acled::precision_column(&self.columns).filter(|_| self.preset == Preset::Acled)
        {
            details.date_note = acled::date_note(&cells.cell(column).text());
        }
        details
    }

    fn column_name(&self, column: usize) -> Cow<'_, str> {
        match self.columns.get(column) {
            Some(name) => Cow::Borrowed(name),
            None => Cow::Owned(super::numbered_column(column)),
        }
    }

    /// A field's value, in words where the preset knows its codes.
    fn field_value(&self, name: &str, text: &str) -> String {
        let words = match self.preset {
            Preset::Acled => acled::field_words(&normalise(name), text),
            Preset::Gdelt1 | Preset::Gdelt2 => gdelt::field_words(name, text),
            Preset::Plain | Preset::TimeMap | Preset::Atlas => None,
        };
        words.unwrap_or_else(|| text.to_owned())
    }

    /// The sources in a source cell: links as links, other text as a source's title (TimeMap:
    /// source ids, kept as fields).
    fn add_sources(&self, details: &mut EventDetails, column: usize, text: &str) {
        for part in text
            .split([';', '\n', '|'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let is_link = part.starts_with("http://") || part.starts_with("https://");
            if self.preset == Preset::TimeMap && !is_link {
                let name = self.column_name(column).into_owned();
                details.fields.push((name, part.to_owned()));
                continue;
            }
            details.sources.push(Source {
                title: part.to_owned(),
                url: is_link.then(|| part.to_owned()),
                ..Source::default()
            });
        }
    }
}

/// Notes as plain text (HTML tags dropped when there are any).
fn readable(text: &str) -> String {
    if text.contains('<') && text.contains('>') {
        html_to_text(text)
    } else {
        text.to_owned()
    }
}

/// Pushes a row's event whose details are read again by byte range.
pub(super) fn push_at(
    importer: &mut Importer,
    at: RowAt<'_>,
    event: RowEvent<'_>,
    details: DetailRef,
) {
    event.with_row(importer, |importer, row| {
        importer.push_at(at.line(), row, details);
    });
}

/// Pushes a row's event with its details.
pub(super) fn push(
    importer: &mut Importer,
    at: RowAt<'_>,
    event: RowEvent<'_>,
    details: EventDetails,
) {
    event.with_row(importer, |importer, row| {
        importer.push(at.line(), row, details);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_first_sentence_or_the_first_words() {
        assert_eq!(
            short_title("Person A appears. Then leaves."),
            "Person A appears."
        );
        assert_eq!(
            short_title("Legislation passed (out of space); i.e. some law on pistols. More."),
            "Legislation passed (out of space); i.e. some law on pistols."
        );
        assert_eq!(
            short_title("Talks with J. Smith went on.\nSecond line"),
            "Talks with J. Smith went on."
        );
        let long = "word ".repeat(30);
        let title = short_title(&long);
        assert!(
            title.ends_with("word…") && title.chars().count() <= 81,
            "{title}"
        );
    }

    #[test]
    fn coordinates_are_numbers_in_range_with_a_decimal_point_or_comma() {
        let text = |t: &'static str| Cell::Text(Cow::Borrowed(t));
        assert_eq!(coordinate(&text("55.75"), "latitude", 90.0), Ok(55.75));
        assert_eq!(coordinate(&text("55,75"), "latitude", 90.0), Ok(55.75));
        assert_eq!(
            coordinate(&Cell::Number(-27.0), "latitude", 90.0),
            Ok(-27.0)
        );
        assert!(coordinate(&text("1,234,5"), "latitude", 90.0).is_err());
        assert!(
            coordinate(&text("NaN"), "latitude", 90.0)
                .unwrap_err()
                .starts_with("latitude 'NaN' is not a number")
        );
        assert!(
            coordinate(&text("-180.5"), "longitude", 180.0)
                .unwrap_err()
                .starts_with("longitude -180.5 is outside -180..180")
        );
        assert!(
            coordinate(&Cell::Empty, "longitude", 180.0)
                .unwrap_err()
                .starts_with("the longitude is empty")
        );
    }
}
