//! Tables: delimited text (CSV, TSV, ACLED and GDELT exports), spreadsheets (xlsx, ods) and
//! TimeMap datasheets (a workbook's `EXPORT_EVENTS` sheet, or datasheet-server's JSON).
//!
//! Every table goes the same way: its columns are recognised by name (`columns.rs`; a known
//! layout, a [`Preset`], may decide more), each row becomes an event (`rows.rs`), and every
//! column not used for the date, the place, the title or the category is listed in the event's
//! details. The readers (`delimited.rs`, `sheet.rs`, `timemap.rs` for JSON) turn their rows into
//! [`Cells`]; the presets' rules are in `acled.rs`, `gdelt.rs` and `timemap.rs`.

mod acled;
mod atlas;
mod columns;
mod delimited;
mod gdelt;
mod rows;
mod sheet;
mod timemap;

use std::borrow::Cow;

pub(super) use atlas::{
    FIELD_PREFIX, FIXED_COLUMNS, LINK_ARROW, LINKS_COLUMN, LIST_SEPARATOR, SOURCE_PARTS,
    needs_formula_guard, needs_prefix, push_list_item,
};
pub(super) use delimited::{read_delimited, read_delimited_path};
pub(super) use sheet::{read_workbook, read_workbook_path};
pub(super) use timemap::read_timemap_json;

use super::dates::SlashOrder;
use columns::Roles;

/// A known table layout whose rules go beyond recognising columns by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Preset {
    /// Columns recognised by their names only.
    Plain,
    /// An ACLED export: time and geo precision, actors, event type.
    Acled,
    /// GDELT 1.0 events (57 or 58 columns, no header).
    Gdelt1,
    /// GDELT 2.0 events (61 columns, no header).
    Gdelt2,
    /// A TimeMap datasheet (Forensic Architecture): description, MM/DD/YYYY dates, associations.
    TimeMap,
    /// A CSV Event Atlas wrote (`atlas.rs`): read back exactly, undated rows included.
    Atlas,
}

impl Preset {
    /// The format's name in the import report.
    fn format_name(self) -> &'static str {
        match self {
            Preset::Plain => "table",
            Preset::Acled => "ACLED export",
            Preset::Gdelt1 => "GDELT 1.0 events",
            Preset::Gdelt2 => "GDELT 2.0 events",
            Preset::TimeMap => "TimeMap datasheet",
            Preset::Atlas => "Event Atlas CSV",
        }
    }
}

/// One cell of a row, as the reader found it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Cell<'a> {
    Empty,
    /// Text, trimmed.
    Text(Cow<'a, str>),
    /// A number stored as a number (spreadsheets).
    Number(f64),
    /// A date stored as a date (spreadsheets), as EDTF text: `2024-03-22`, `2024-03-22T10:48:00`.
    Date(String),
    /// A time of day stored as a time (spreadsheets): `10:48` or `10:48:30`.
    Time(String),
}

impl<'a> Cell<'a> {
    /// The cell as text: numbers without a needless `.0`.
    pub(super) fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(text) => Cow::Borrowed(text),
            Cell::Number(number) => Cow::Owned(number_text(*number)),
            Cell::Date(text) | Cell::Time(text) => Cow::Borrowed(text),
        }
    }

    /// [`Cell::text`], keeping what it borrows from the row.
    pub(super) fn into_text(self) -> Cow<'a, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(text) => text,
            Cell::Number(number) => Cow::Owned(number_text(number)),
            Cell::Date(text) | Cell::Time(text) => Cow::Owned(text),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.is_empty(),
            _ => false,
        }
    }

    /// Text that is trimmed and may be empty: [`Cell::Empty`] when it is.
    pub(super) fn from_text(text: Cow<'a, str>) -> Cell<'a> {
        // Most cells have nothing to trim: a look at both ends saves a search.
        let bare =
            |byte: Option<&u8>| byte.is_some_and(|b| b.is_ascii() && !b.is_ascii_whitespace());
        if bare(text.as_bytes().first()) && bare(text.as_bytes().last()) {
            return Cell::Text(text);
        }
        match text {
            Cow::Borrowed(text) if text.trim().is_empty() => Cell::Empty,
            Cow::Borrowed(text) => Cell::Text(Cow::Borrowed(text.trim())),
            Cow::Owned(text) if text.trim().is_empty() => Cell::Empty,
            Cow::Owned(text) if text.trim().len() == text.len() => Cell::Text(Cow::Owned(text)),
            Cow::Owned(text) => Cell::Text(Cow::Owned(text.trim().to_owned())),
        }
    }
}

/// A number as a person would write it: `12`, `12.5`, `-0.25`.
fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        format!("{number}")
    }
}

/// The cells of one row, by column (0-based). Columns past the row's end are empty.
pub(super) trait Cells {
    /// How many cells the row has.
    fn count(&self) -> usize;
    fn cell(&self, column: usize) -> Cell<'_>;
}

/// Where a row is, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RowAt<'a> {
    /// A line of a text file (1-based; the line a record starts on).
    Line(usize),
    /// A row of a sheet (1-based, as the spreadsheet numbers it).
    Sheet { sheet: &'a str, row: usize },
    /// The n-th object (1-based) of a JSON array.
    Object(usize),
}

impl RowAt<'_> {
    /// The line, for [`Diagnostic::line`](super::Diagnostic).
    fn line(self) -> Option<usize> {
        match self {
            RowAt::Line(line) => Some(line),
            RowAt::Sheet { .. } | RowAt::Object(_) => None,
        }
    }

    /// The message with where the row is in front, when the line cannot say it.
    fn message(self, message: String) -> String {
        match self {
            RowAt::Line(_) => message,
            RowAt::Sheet { sheet, row } => format!("sheet {sheet}, row {row}: {message}"),
            RowAt::Object(number) => format!("event {number}: {message}"),
        }
    }

    /// A name for an untitled row: "line 12", "row 12", "event 3".
    fn label(self) -> String {
        match self {
            RowAt::Line(line) => format!("Line {line}"),
            RowAt::Sheet { row, .. } => format!("Row {row}"),
            RowAt::Object(number) => format!("Event {number}"),
        }
    }
}

/// A table's columns and what each is for.
#[derive(Debug)]
pub(super) struct Table {
    /// Column names as in the header (`column 7` for a blank one or a table without a header).
    pub columns: Vec<String>,
    pub roles: Roles,
    /// How slashed dates (`03/04/2024`) are read.
    pub order: SlashOrder,
    pub preset: Preset,
    /// The columns of an Event Atlas CSV ([`Preset::Atlas`]).
    pub atlas: Option<atlas::AtlasColumns>,
}

/// `column 1`, `column 2`…: names for columns without one.
fn numbered_column(index: usize) -> String {
    format!("column {}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_text_without_needless_decimals() {
        assert_eq!(Cell::Number(12.0).text(), "12");
        assert_eq!(Cell::Number(-0.25).text(), "-0.25");
        assert_eq!(Cell::Date("2024-03-22".into()).text(), "2024-03-22");
        assert!(Cell::from_text(Cow::Borrowed("  ")).is_empty());
        assert_eq!(
            Cell::from_text(Cow::Owned(" a ".to_owned())),
            Cell::Text(Cow::Borrowed("a"))
        );
    }

    #[test]
    fn rows_say_where_they_are() {
        assert_eq!(RowAt::Line(4).line(), Some(4));
        let at = RowAt::Sheet {
            sheet: "Events",
            row: 5,
        };
        assert_eq!(at.line(), None);
        assert_eq!(at.message("bad".into()), "sheet Events, row 5: bad");
        assert_eq!(RowAt::Object(3).label(), "Event 3");
    }
}
