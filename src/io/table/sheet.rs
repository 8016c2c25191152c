//! Spreadsheets (xlsx, ods; also xls and xlsb, which calamine reads as well): one sheet — the
//! one chosen, else a TimeMap workbook's `EXPORT_EVENTS`, else the first — read as a table.
//! Dates stored as dates or as serial numbers in a date column become dates; formula cells give
//! their cached values; empty rows (a sheet formatted far below its data) are left out.
//! Messages name the sheet and the row as the spreadsheet numbers it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, ExcelDateTime, Reader, Sheets};

use super::columns::{Preview, Roles, names_from_header};
use super::rows::{RowReader, push};
use super::{
    Cell, Cells, Preset, RowAt, Table, acled, atlas, delimited::no_place_columns, timemap,
};
use crate::io::import::{Importer, title_from_file};
use crate::io::{ImportOptions, LoadError, LoadProgress, Loaded, io_error, read_whole};
use crate::model::Source;

/// Data rows shown in the preview and used to tell the date order.
const SAMPLE_ROWS: usize = 200;

/// A table held in memory: a sheet's rows, or TimeMap JSON's objects.
pub(super) struct Grid<'a> {
    pub header: Vec<String>,
    /// Data rows with their numbers (the sheet's row number, or the object's).
    pub rows: Vec<(usize, Vec<Cell<'a>>)>,
}

/// Where a [`Grid`] comes from.
pub(super) struct GridSource<'a> {
    /// "Excel workbook", "OpenDocument spreadsheet", "TimeMap JSON"…
    pub format: &'a str,
    /// The sheet read (`None`: the rows are JSON objects).
    pub sheet: Option<&'a str>,
    pub sheets: Vec<String>,
    /// Source ids and what they stand for (a TimeMap workbook's `EXPORT_SOURCES`).
    pub sources: HashMap<String, Source>,
}

/// A row of a [`Grid`].
struct GridCells<'r, 'a>(&'r [Cell<'a>]);

impl Cells for GridCells<'_, '_> {
    fn count(&self) -> usize {
        self.0.len()
    }

    fn cell(&self, column: usize) -> Cell<'_> {
        match self.0.get(column) {
            Some(Cell::Text(text)) => Cell::Text(Cow::Borrowed(text)),
            Some(other) => other.clone(),
            None => Cell::Empty,
        }
    }
}

/// Reads a workbook file.
pub(in crate::io) fn read_workbook_path(
    path: &Path,
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let bytes = read_whole(path, progress, 0.3).map_err(|e| io_error(file, progress, &e))?;
    read_workbook(&bytes, file, options, progress)
}

/// Reads a workbook from its bytes.
pub(in crate::io) fn read_workbook(
    bytes: &[u8],
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let damaged = |message: String| LoadError::whole_file(file, None, message);
    let mut workbook = guarded(|| calamine::open_workbook_auto_from_rs(Cursor::new(bytes)))
        .map_err(damaged)?
        .map_err(|e| {
            damaged(format!(
                "cannot read the workbook: {e} (does a spreadsheet program open it?)"
            ))
        })?;
    let format = match &workbook {
        Sheets::Xlsx(_) => "Excel workbook",
        Sheets::Xls(_) => "Excel 97-2003 workbook",
        Sheets::Xlsb(_) => "Excel binary workbook",
        Sheets::Ods(_) => "OpenDocument spreadsheet",
    };
    let sheets = workbook.sheet_names();
    let chosen = match options.sheet.as_deref() {
        Some(wanted) => find_sheet(&sheets, wanted).ok_or_else(|| {
            let message = format!("no sheet named '{wanted}' (sheets: {})", sheets.join(", "));
            LoadError::whole_file(file, None, message)
        })?,
        None => default_sheet(&sheets).ok_or_else(|| {
            LoadError::whole_file(file, None, "the workbook has no sheets".to_owned())
        })?,
    };
    let range = guarded(|| workbook.worksheet_range(&chosen))
        .map_err(damaged)?
        .map_err(|e| damaged(format!("sheet {chosen}: cannot be read: {e}")))?;
    progress.set_fraction(0.5);
    let grid = grid_of(&range);
    let sources = match sheets.iter().find(|s| *s == timemap::SOURCES_SHEET) {
        Some(name) if chosen == timemap::EVENTS_SHEET => guarded(|| workbook.worksheet_range(name))
            .ok()
            .and_then(Result::ok)
            .map(|range| timemap::source_book(&grid_of(&range)))
            .unwrap_or_default(),
        _ => HashMap::new(),
    };
    let source = GridSource {
        format,
        sheet: Some(&chosen),
        sheets: sheets.clone(),
        sources,
    };
    read_grid(&grid, file, options, &source)
}

/// Runs a call into calamine, which can panic on a damaged file (an overflow on a huge cell
/// reference, found by fuzzing): the panic becomes a message saying the workbook is damaged.
fn guarded<T>(call: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).map_err(|_| {
        "cannot read the workbook: it is damaged (does a spreadsheet program open it?)".to_owned()
    })
}

/// The sheet the user named (exactly, whatever the case, or by its position from 1).
fn find_sheet(sheets: &[String], wanted: &str) -> Option<String> {
    let wanted = wanted.trim();
    sheets
        .iter()
        .find(|s| *s == wanted)
        .or_else(|| sheets.iter().find(|s| s.eq_ignore_ascii_case(wanted)))
        .or_else(|| {
            let number: usize = wanted.parse().ok()?;
            sheets.get(number.checked_sub(1)?)
        })
        .cloned()
}

/// A TimeMap workbook's events sheet, else the first.
fn default_sheet(sheets: &[String]) -> Option<String> {
    sheets
        .iter()
        .find(|s| *s == timemap::EVENTS_SHEET)
        .or_else(|| sheets.first())
        .cloned()
}

/// A sheet's rows as cells: the first row with something in it is the header; empty rows are
/// left out.
fn grid_of(range: &calamine::Range<Data>) -> Grid<'_> {
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let mut rows = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            (
                first_row + i + 1,
                row.iter().map(sheet_cell).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, cells)| cells.iter().any(|cell| !cell.is_empty()));
    let header = rows
        .next()
        .map(|(_, cells)| cells.iter().map(|c| c.text().into_owned()).collect())
        .unwrap_or_default();
    Grid {
        header,
        rows: rows.collect(),
    }
}

/// One spreadsheet cell.
fn sheet_cell(data: &Data) -> Cell<'_> {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) => Cell::from_text(Cow::Borrowed(text)),
        Data::Float(number) => Cell::Number(*number),
        Data::Int(number) => Cell::Number(*number as f64),
        Data::Bool(true) => Cell::Text(Cow::Borrowed("TRUE")),
        Data::Bool(false) => Cell::Text(Cow::Borrowed("FALSE")),
        Data::DateTime(date) => date_cell(date),
        Data::DateTimeIso(text) if text.contains('-') => Cell::Text(Cow::Borrowed(text)),
        Data::DateTimeIso(text) => Cell::Time(text.get(..5).unwrap_or(text).to_owned()),
        Data::DurationIso(text) => duration_cell(text),
        Data::Error(error) => Cell::Text(Cow::Owned(error.to_string())),
    }
}

/// A cell formatted as a date or a time: a time of day below 1 (a day), else a date.
fn date_cell(date: &ExcelDateTime) -> Cell<'static> {
    let value = date.as_f64();
    if date.is_duration() || (0.0..1.0).contains(&value) {
        let seconds = (value.fract() * 86_400.0).round() as u32;
        return Cell::Time(clock_text(seconds));
    }
    let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
    if (hour, minute, second) == (0, 0, 0) {
        Cell::Date(format!("{year:04}-{month:02}-{day:02}"))
    } else {
        Cell::Date(format!(
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"
        ))
    }
}

/// `HH:MM`, or `HH:MM:SS` when there are seconds.
fn clock_text(seconds: u32) -> String {
    let seconds = seconds % 86_400;
    let (hour, minute, second) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if second == 0 {
        format!("{hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    }
}

/// An OpenDocument time (`PT16H20M00S`) as a time of day.
fn duration_cell(text: &str) -> Cell<'_> {
    let Some(body) = text.strip_prefix("PT") else {
        return Cell::Text(Cow::Borrowed(text));
    };
    let mut seconds = 0.0;
    let mut number = String::new();
    for c in body.chars() {
        let unit = match c {
            'H' => 3600.0,
            'M' => 60.0,
            'S' => 1.0,
            _ => {
                number.push(c);
                continue;
            }
        };
        seconds += number.parse::<f64>().unwrap_or(0.0) * unit;
        number.clear();
    }
    Cell::Time(clock_text(seconds.round() as u32))
}

/// The preset of a grid's columns.
fn preset_of(columns: &[String], sheet: Option<&str>) -> Preset {
    if timemap::recognises(columns, sheet) {
        Preset::TimeMap
    } else if atlas::recognises(columns) {
        // An Event Atlas CSV saved from a spreadsheet.
        Preset::Atlas
    } else if acled::recognises(columns) {
        Preset::Acled
    } else {
        Preset::Plain
    }
}

/// Reads a grid's rows as events.
pub(super) fn read_grid(
    grid: &Grid<'_>,
    file: &str,
    options: &ImportOptions,
    source: &GridSource<'_>,
) -> Result<Loaded, LoadError> {
    let columns = names_from_header(&grid.header);
    let preset = preset_of(&columns, source.sheet);
    let roles = match preset {
        Preset::TimeMap => timemap::roles(&columns),
        Preset::Acled => acled::roles(&columns),
        Preset::Atlas => Roles::of_atlas_export(&columns),
        _ => Roles::recognise(&columns),
    };
    let sample: Vec<Vec<String>> = grid
        .rows
        .iter()
        .take(SAMPLE_ROWS)
        .map(|(_, cells)| cells.iter().map(|c| c.text().into_owned()).collect())
        .collect();
    let table =
        Table::new(columns.clone(), roles, preset, options, &sample).map_err(|missing| {
            Preview {
                file,
                columns: &columns,
                rows: sample.clone(),
                sheets: source.sheets.clone(),
                sheet: source.sheet.map(str::to_owned),
            }
            .needs_columns(missing)
        })?;
    let mut format = match preset {
        Preset::TimeMap | Preset::Atlas => format!("{} ({})", preset.format_name(), source.format),
        _ => source.format.to_owned(),
    };
    if let Some(sheet) = source.sheet {
        format.push_str(&format!(", sheet {sheet}"));
    }
    let mut importer = Importer::new(file, &format, "row");
    if preset == Preset::Atlas {
        importer.allow_empty();
    }
    if table.roles.lat.is_none() || table.roles.lon.is_none() {
        importer.warn(None, None, None, no_place_columns());
    }
    let mut rows = RowReader::new(&table);
    for (number, cells) in &grid.rows {
        let at = match source.sheet {
            Some(sheet) => RowAt::Sheet {
                sheet,
                row: *number,
            },
            None => RowAt::Object(*number),
        };
        let cells = GridCells(cells);
        if let Some(event) = rows.event(&cells, at, &mut importer) {
            let mut details = table.details(&cells);
            timemap::resolve_sources(&mut details, &source.sources);
            if let Some(atlas) = &table.atlas {
                atlas.describe(&cells, at, &mut importer, &table);
            }
            push(&mut importer, at, event, details);
            if let Some(atlas) = &table.atlas {
                atlas.links(&cells, at, &mut importer);
            }
        }
    }
    importer.finish(title_from_file(file), None, Vec::new())
}

#[cfg(test)]
mod tests {
    use calamine::ExcelDateTimeType;

    use super::*;

    #[test]
    fn dates_and_times_stored_as_such_become_text_at_their_precision() {
        let date = |value| ExcelDateTime::new(value, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_cell(&date(45373.0)), Cell::Date("2024-03-22".into()));
        assert_eq!(
            date_cell(&date(45373.5)),
            Cell::Date("2024-03-22T12:00:00".into())
        );
        assert_eq!(
            date_cell(&date(0.680555555555556)),
            Cell::Time("16:20".into())
        );
        let from_1904 = ExcelDateTime::new(43911.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(date_cell(&from_1904), Cell::Date("2024-03-22".into()));
        assert_eq!(duration_cell("PT16H20M00S"), Cell::Time("16:20".into()));
        assert_eq!(duration_cell("PT1H0M30S"), Cell::Time("01:00:30".into()));
    }

    #[test]
    fn sheets_are_chosen_by_name_case_or_number_and_export_events_first() {
        let sheets: Vec<String> = ["Events", "EXPORT_EVENTS", "Notes"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(default_sheet(&sheets).as_deref(), Some("EXPORT_EVENTS"));
        assert_eq!(find_sheet(&sheets, "notes").as_deref(), Some("Notes"));
        assert_eq!(find_sheet(&sheets, "1").as_deref(), Some("Events"));
        assert_eq!(find_sheet(&sheets, "4"), None);
        assert_eq!(default_sheet(&sheets[..1]).as_deref(), Some("Events"));
    }
}
