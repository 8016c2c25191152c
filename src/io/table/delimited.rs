//! Delimited text: CSV, TSV, `;`- or `|`-separated tables, ACLED and GDELT exports.
//!
//! The separator is told from the first lines; text is UTF-8 (with or without a byte-order
//! mark), and a cell that is not UTF-8 is read as Windows-1252 (one warning says so). Records
//! may span lines (quoted line breaks): messages give the line a record starts on. Rows are read
//! into one reused `ByteRecord`; an event keeps only the byte range of its row, and its details
//! are parsed again from that range when it is shown ([`RowDetails`]).

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use csv::{ByteRecord, ReaderBuilder};

use super::columns::{Preview, Roles, looks_like_data, names_from_header};
use super::rows::{RowReader, push_at, warn};
use super::{Cell, Cells, Preset, RowAt, Table, acled, atlas, gdelt, numbered_column};
use crate::io::details::{FileDetails, MemoryDetails};
use crate::io::import::{Importer, title_from_file};
use crate::io::{
    ImportOptions, LoadError, LoadProgress, Loaded, STREAM_ABOVE_BYTES, io_error, read_whole,
};
use crate::model::{DetailReader, DetailRef, EventDetails, Place};

/// Rows read for the separator, the header, the date order and the preview.
const SAMPLE_ROWS: usize = 200;

/// Rows between two looks at the progress and the cancel button.
const PROGRESS_EVERY: usize = 1 << 14;

/// How the text is cut into cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Dialect {
    delimiter: u8,
    /// `false` for GDELT, whose quotes are plain characters.
    quoting: bool,
}

impl Dialect {
    fn reader(self, bytes: &[u8]) -> csv::Reader<&[u8]> {
        ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .quoting(self.quoting)
            .from_reader(bytes)
    }

    /// The separator told from the first lines: the candidate found the same number of times
    /// (outside quotes) on every line, the most often; else the most frequent on the first.
    fn sniff(head: &[u8]) -> Dialect {
        const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
        let lines = quoted_lines(head, 10);
        let counts = |delimiter: u8| -> Vec<usize> {
            lines
                .iter()
                .map(|line| count_outside_quotes(line, delimiter))
                .collect()
        };
        let consistent = CANDIDATES
            .iter()
            .map(|&d| (d, counts(d)))
            .filter(|(_, c)| {
                c.first().is_some_and(|&n| n > 0) && c.iter().all(|n| Some(n) == c.first())
            })
            .max_by_key(|(_, c)| c.first().copied().unwrap_or(0))
            .map(|(d, _)| d);
        let most = || {
            CANDIDATES
                .iter()
                .copied()
                .max_by_key(|&d| counts(d).first().copied().unwrap_or(0))
                .filter(|&d| counts(d).first().is_some_and(|&n| n > 0))
        };
        Dialect {
            delimiter: consistent.or_else(most).unwrap_or(b','),
            quoting: true,
        }
    }
}

/// The first `most` lines of `head`, a quoted line break not ending a line (the last line is
/// left out when `head` may have cut it).
fn quoted_lines(head: &[u8], most: usize) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (at, &byte) in head.iter().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                let line = head.get(start..at).unwrap_or_default();
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if !line.is_empty() {
                    lines.push(line);
                }
                start = at + 1;
                if lines.len() == most {
                    return lines;
                }
            }
            _ => {}
        }
    }
    if lines.is_empty() {
        lines.extend(head.get(start..).filter(|rest| !rest.is_empty()));
    }
    lines
}

fn count_outside_quotes(line: &[u8], delimiter: u8) -> usize {
    let mut quoted = false;
    line.iter()
        .filter(|&&byte| {
            if byte == b'"' {
                quoted = !quoted;
            }
            byte == delimiter && !quoted
        })
        .count()
}

/// A cell's text: UTF-8, or Windows-1252 when it is not.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The cells of a parsed record: trimmed, except in an Event Atlas CSV (whose text is read back
/// exactly as it was written).
struct RecordCells<'r> {
    record: &'r ByteRecord,
    trim: bool,
}

impl<'r> RecordCells<'r> {
    fn new(record: &'r ByteRecord, table: &Table) -> Self {
        Self {
            record,
            trim: table.preset != Preset::Atlas,
        }
    }
}

impl Cells for RecordCells<'_> {
    fn count(&self) -> usize {
        self.record.len()
    }

    fn cell(&self, column: usize) -> Cell<'_> {
        match self.record.get(column) {
            Some(bytes) if self.trim => Cell::from_text(decode(bytes)),
            Some([]) | None => Cell::Empty,
            // The `'` the writer put before a would-be formula comes off again.
            Some(bytes) => match decode(bytes) {
                Cow::Borrowed(text) => {
                    Cell::Text(Cow::Borrowed(atlas::without_formula_guard(text)))
                }
                Cow::Owned(text) => {
                    Cell::Text(Cow::Owned(atlas::without_formula_guard(&text).to_owned()))
                }
            },
        }
    }
}

/// The fields of the first row of `bytes`, split by `parser` (`None` if there is no row).
fn split_row(parser: &mut csv_core::Reader, bytes: &[u8]) -> Option<ByteRecord> {
    use csv_core::ReadFieldResult;
    let mut record = ByteRecord::new();
    // A field is never longer than the row it comes from.
    let mut field = vec![0; bytes.len() + 1];
    let (mut input, mut written) = (bytes, 0);
    loop {
        let out = field.get_mut(written..)?;
        let (result, read, wrote) = parser.read_field(input, out);
        input = input.get(read..)?;
        written += wrote;
        match result {
            ReadFieldResult::Field { record_end } => {
                record.push_field(field.get(..written)?);
                written = 0;
                if record_end {
                    return Some(record);
                }
            }
            // All of the row was given: the next call says it ended.
            ReadFieldResult::InputEmpty => {}
            ReadFieldResult::OutputFull => return None,
            ReadFieldResult::End => return (!record.is_empty()).then_some(record),
        }
    }
}

/// Where an event's row is: the file's bytes in memory, or the file, read again.
#[derive(Debug)]
enum RowBytes {
    Memory(MemoryDetails),
    File(FileDetails),
}

/// Reads an event's details by parsing its row again.
#[derive(Debug)]
struct RowDetails {
    table: Arc<Table>,
    dialect: Dialect,
    rows: RowBytes,
    /// Row parsers to use again: building one costs more than parsing a row (an export reads
    /// every row, on two threads).
    parsers: std::sync::Mutex<Vec<csv_core::Reader>>,
}

impl RowDetails {
    fn new(table: Arc<Table>, dialect: Dialect, rows: RowBytes) -> Self {
        Self {
            table,
            dialect,
            rows,
            parsers: std::sync::Mutex::default(),
        }
    }

    /// The fields of the one row in `bytes` (`None` if there is none).
    fn split(&self, bytes: &[u8]) -> Option<ByteRecord> {
        let reused = self
            .parsers
            .lock()
            .ok()
            .and_then(|mut parsers| parsers.pop());
        let mut parser = reused.unwrap_or_else(|| {
            csv_core::ReaderBuilder::new()
                .delimiter(self.dialect.delimiter)
                .quoting(self.dialect.quoting)
                .build()
        });
        let record = split_row(&mut parser, bytes);
        parser.reset();
        if let Ok(mut parsers) = self.parsers.lock() {
            parsers.push(parser);
        }
        record
    }

    fn decode(&self, bytes: &[u8], id: &str) -> Result<EventDetails, String> {
        let Some(record) = self.split(bytes) else {
            return Err("the event's row is no longer in the file".to_owned());
        };
        let cells = RecordCells::new(&record, &self.table);
        // The row must still be this event's (ids made unique get a `-2` after them).
        if let Some(column) = self.table.roles.id {
            // Ids were trimmed when made, and a row parsed on its own loses a byte-order mark
            // before it (csv_core drops one at the start of its input), which the id kept as
            // UTF-8 or, in a file that is not UTF-8, as Windows-1252 (`ï»¿`).
            let bare = |text: &str| -> String {
                let mut text = text.trim();
                while let Some(rest) = text
                    .strip_prefix('\u{feff}')
                    .or_else(|| text.strip_prefix("\u{ef}\u{bb}\u{bf}"))
                {
                    text = rest.trim();
                }
                text.to_owned()
            };
            let given = bare(&cells.cell(column).into_text());
            if !given.is_empty() && !bare(id).starts_with(&given) {
                return Err("the event's row is no longer in the file".to_owned());
            }
        }
        Ok(self.table.details(&cells))
    }
}

impl DetailReader for RowDetails {
    fn read(&self, at: DetailRef, id: &str, _places: &[Place]) -> Result<EventDetails, String> {
        match &self.rows {
            RowBytes::Memory(memory) => {
                let start = usize::try_from(at.offset).map_err(|e| e.to_string())?;
                let bytes = memory
                    .bytes()
                    .get(start..start + at.len as usize)
                    .ok_or("the event's details are out of range")?;
                self.decode(bytes, id)
            }
            RowBytes::File(file) => file.read_with(at, |bytes| self.decode(bytes, id)),
        }
    }

    fn in_memory(&self) -> Result<Option<Arc<dyn DetailReader>>, String> {
        let RowBytes::File(file) = &self.rows else {
            return Ok(None);
        };
        let reader: Arc<dyn DetailReader> = Arc::new(RowDetails::new(
            Arc::clone(&self.table),
            self.dialect,
            RowBytes::Memory(file.whole()?),
        ));
        Ok(Some(reader))
    }
}

/// Reads a delimited table from its bytes (`gdelt`: a GDELT export, as the detector said).
pub(in crate::io) fn read_delimited(
    bytes: &[u8],
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
    gdelt: bool,
) -> Result<Loaded, LoadError> {
    let rows = RowBytes::Memory(MemoryDetails::new(bytes));
    parse(bytes, file, options, progress, gdelt, rows)?.finish(file)
}

/// Reads a delimited table from a file: details of a large one are read again from the file.
pub(in crate::io) fn read_delimited_path(
    path: &Path,
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
    gdelt: bool,
) -> Result<Loaded, LoadError> {
    let fail = |error: std::io::Error| io_error(file, progress, &error);
    let before = FileDetails::of(path.to_path_buf()).map_err(fail)?;
    let (len, modified) = (before.len, before.modified);
    let bytes = read_whole(path, progress, 0.3).map_err(fail)?;
    if bytes.len() as u64 <= STREAM_ABOVE_BYTES {
        return read_delimited(&bytes, file, options, progress, gdelt);
    }
    let parsed = parse(
        &bytes,
        file,
        options,
        progress,
        gdelt,
        RowBytes::File(before),
    )?;
    // The events are made: the text is no longer needed while they are put in order.
    let read = bytes.len() as u64;
    drop(bytes);
    // Details are read again by byte range: the file must not have changed under the ranges.
    let unchanged = std::fs::metadata(path)
        .is_ok_and(|now| now.len() == len && len == read && now.modified().ok() == modified);
    if !unchanged {
        return Err(LoadError::Io {
            file: file.to_owned(),
            message: "the file changed while it was being read; open it again when it is complete"
                .to_owned(),
        });
    }
    parsed.finish(file)
}

/// The first rows of the table, as text.
fn sample(bytes: &[u8], dialect: Dialect) -> Vec<Vec<String>> {
    let mut reader = dialect.reader(bytes);
    let mut record = ByteRecord::new();
    let mut rows = Vec::new();
    while rows.len() < SAMPLE_ROWS && matches!(reader.read_byte_record(&mut record), Ok(true)) {
        rows.push(
            record
                .iter()
                .map(|cell| decode(cell).trim().to_owned())
                .collect(),
        );
    }
    rows
}

/// A table's layout: its columns and whether the first row is their names.
struct Layout {
    table: Table,
    has_header: bool,
}

/// The columns of a table from its first rows; `Err` when the user must choose them.
fn layout(
    sample: &[Vec<String>],
    file: &str,
    options: &ImportOptions,
    gdelt: bool,
) -> Result<Layout, LoadError> {
    let first = sample.first().cloned().unwrap_or_default();
    let (columns, preset, has_header) = if gdelt {
        let preset = gdelt::version(first.len()).unwrap_or(Preset::Gdelt1);
        (gdelt::columns(preset), preset, false)
    } else if looks_like_data(&first) {
        let width = sample.iter().map(Vec::len).max().unwrap_or(0);
        let columns = (0..width).map(numbered_column).collect();
        (columns, Preset::Plain, false)
    } else {
        let mut columns = names_from_header(&first);
        let preset = if atlas::recognises(&columns) {
            columns = columns
                .iter()
                .map(|c| atlas::without_formula_guard(c).to_owned())
                .collect();
            Preset::Atlas
        } else if acled::recognises(&columns) {
            Preset::Acled
        } else {
            Preset::Plain
        };
        (columns, preset, true)
    };
    let roles = match preset {
        Preset::Acled => acled::roles(&columns),
        Preset::Gdelt1 | Preset::Gdelt2 => gdelt::roles(&columns),
        Preset::Atlas => Roles::of_atlas_export(&columns),
        Preset::Plain | Preset::TimeMap => Roles::recognise(&columns),
    };
    let data = sample.get(usize::from(has_header)..).unwrap_or_default();
    match Table::new(columns.clone(), roles, preset, options, data) {
        Ok(table) => Ok(Layout { table, has_header }),
        Err(missing) => Err(Preview {
            file,
            columns: &columns,
            rows: data.to_vec(),
            sheets: Vec::new(),
            sheet: None,
        }
        .needs_columns(missing)),
    }
}

/// The format's name for the report.
fn format_name(preset: Preset, dialect: Dialect) -> String {
    match (preset, dialect.delimiter) {
        (Preset::Plain, b',') => "CSV".to_owned(),
        (Preset::Plain, b'\t') => "TSV".to_owned(),
        (Preset::Plain, other) => format!("CSV ('{}'-separated)", char::from(other)),
        (preset, _) => preset.format_name().to_owned(),
    }
}

/// A table's rows read, waiting for the dataset to be made of them.
struct Parsed {
    importer: Importer,
    details: RowDetails,
}

impl Parsed {
    fn finish(self, file: &str) -> Result<Loaded, LoadError> {
        let details = Arc::new(self.details);
        self.importer
            .finish_with(title_from_file(file), None, Vec::new(), details)
    }
}

fn parse(
    bytes: &[u8],
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
    gdelt: bool,
    rows: RowBytes,
) -> Result<Parsed, LoadError> {
    let head = bytes.get(..64 << 10).unwrap_or(bytes);
    let dialect = if gdelt {
        Dialect {
            delimiter: b'\t',
            quoting: false,
        }
    } else {
        Dialect::sniff(head)
    };
    let sample = sample(bytes, dialect);
    let Layout { table, has_header } = layout(&sample, file, options, gdelt)?;
    let mut importer = Importer::new(file, &format_name(table.preset, dialect), "row");
    importer.reserve(bytes.len() / 100);
    if table.preset == Preset::Atlas {
        // An export of no events is an empty dataset, as in Event Atlas JSON.
        importer.allow_empty();
    }
    if table.roles.lat.is_none() || table.roles.lon.is_none() {
        importer.warn(None, None, None, no_place_columns());
    }
    if let Err(error) = std::str::from_utf8(bytes) {
        let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        importer.warn(
            Some(line),
            None,
            None,
            "the file is not UTF-8 (from this line): text that is not UTF-8 is read as Windows-1252; if letters look wrong, save the file as UTF-8".to_owned(),
        );
    }
    read_rows(
        bytes,
        &table,
        dialect,
        has_header,
        &mut importer,
        progress,
        file,
    )?;
    let details = RowDetails::new(Arc::new(table), dialect, rows);
    Ok(Parsed { importer, details })
}

/// The warning for a table with a date but no place columns.
pub(super) fn no_place_columns() -> String {
    "no place columns found (named lat or latitude, and lon, lng or longitude): the events are listed but not on the map; choose the columns in the import dialog or with --lat and --lon".to_owned()
}

/// Reads every row into `importer`.
fn read_rows(
    bytes: &[u8],
    table: &Table,
    dialect: Dialect,
    has_header: bool,
    importer: &mut Importer,
    progress: &LoadProgress,
    file: &str,
) -> Result<(), LoadError> {
    let mut reader = dialect.reader(bytes);
    let mut rows = RowReader::new(table);
    let mut record = ByteRecord::new();
    let mut first = true;
    let mut count = 0usize;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(error) => return Err(csv_error(file, &error)),
        }
        let (start, line) = record_start(bytes, &record);
        let end = reader.position().byte();
        if std::mem::take(&mut first) && has_header {
            continue;
        }
        count += 1;
        if count.is_multiple_of(PROGRESS_EVERY) {
            if progress.is_cancelled() {
                return Err(LoadError::Cancelled {
                    file: file.to_owned(),
                });
            }
            progress.set_fraction(0.3 + 0.6 * end as f64 / bytes.len().max(1) as f64);
        }
        if record.iter().all(|cell| cell.trim_ascii().is_empty()) {
            continue;
        }
        let at = RowAt::Line(line);
        check_width(table, &record, at, importer);
        let cells = RecordCells::new(&record, table);
        if let Some(event) = rows.event(&cells, at, importer) {
            let details = DetailRef {
                offset: start,
                len: u32::try_from(end.saturating_sub(start)).unwrap_or(u32::MAX),
            };
            if let Some(atlas) = &table.atlas {
                atlas.describe(&cells, at, importer, table);
            }
            push_at(importer, at, event, details);
            if let Some(atlas) = &table.atlas {
                atlas.links(&cells, at, importer);
            }
        }
    }
}

/// Where a record's text starts (after the blank lines the reader skipped) and its line.
fn record_start(bytes: &[u8], record: &ByteRecord) -> (u64, usize) {
    let Some(position) = record.position() else {
        return (0, 0);
    };
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let rest = bytes.get(from..).unwrap_or_default();
    let blank = rest
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .count();
    let newlines = rest
        .get(..blank)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    (
        position.byte() + blank as u64,
        position.line() as usize + newlines,
    )
}

/// A warning for a row with more or fewer cells than the header.
fn check_width(table: &Table, record: &ByteRecord, at: RowAt<'_>, importer: &mut Importer) {
    let (cells, columns) = (record.len(), table.columns.len());
    let fine = match table.preset {
        Preset::Gdelt1 | Preset::Gdelt2 => gdelt::is_full_row(table.preset, cells),
        _ => cells == columns,
    };
    if fine {
        return;
    }
    let what = if cells < columns {
        "the missing cells are read as empty"
    } else {
        "the extra cells are listed as fields"
    };
    let message = format!("this row has {cells} cells but the table has {columns} columns: {what}");
    warn(importer, at, None, message);
}

fn csv_error(file: &str, error: &csv::Error) -> LoadError {
    LoadError::whole_file(
        file,
        error.position().map(|p| p.line() as usize),
        format!("the table cannot be read: {error}"),
    )
}

#[cfg(test)]
mod split_tests {
    use super::*;

    fn fields(row: &str, delimiter: u8, quoting: bool) -> Option<Vec<String>> {
        let mut parser = csv_core::ReaderBuilder::new()
            .delimiter(delimiter)
            .quoting(quoting)
            .build();
        let record = split_row(&mut parser, row.as_bytes())?;
        Some(
            record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect(),
        )
    }

    #[test]
    fn a_row_is_split_as_the_table_reader_splits_it() {
        assert_eq!(fields("a,b,c\n", b',', true).unwrap(), ["a", "b", "c"]);
        assert_eq!(fields("a,b,c", b',', true).unwrap(), ["a", "b", "c"]);
        assert_eq!(
            fields("1,\"x, \"\"y\"\"\nz\",\r\n", b',', true).unwrap(),
            ["1", "x, \"y\"\nz", ""]
        );
        assert_eq!(fields("a\t\"b\t", b'\t', false).unwrap(), ["a", "\"b", ""]);
        assert_eq!(fields("", b',', true), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_one_every_line_has_as_often() {
        assert_eq!(Dialect::sniff(b"a,b,c\n1,2,3\n").delimiter, b',');
        assert_eq!(Dialect::sniff(b"a;b;c\r\n1;2,5;3\r\n").delimiter, b';');
        assert_eq!(Dialect::sniff(b"a\tb\n1\t2\n").delimiter, b'\t');
        assert_eq!(Dialect::sniff(b"a|b\n1|2").delimiter, b'|');
        // Commas inside quotes do not count.
        assert_eq!(
            Dialect::sniff(b"name;note\n\"a, b, c\";x\n\"d\ne, f\";y\n").delimiter,
            b';'
        );
        assert_eq!(Dialect::sniff(b"single column\n").delimiter, b',');
    }

    #[test]
    fn records_start_on_their_own_line_after_blank_lines_and_quoted_breaks() {
        let bytes = b"h1,h2\r\na,b\r\n\r\n\"x\ny\",c\r\nd,e\r\n";
        let mut reader = Dialect::sniff(bytes).reader(bytes);
        let mut record = ByteRecord::new();
        let mut starts = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let (start, line) = record_start(bytes, &record);
            starts.push((line, bytes[start as usize]));
        }
        assert_eq!(starts, [(1, b'h'), (2, b'a'), (4, b'"'), (6, b'd')]);
    }

    #[test]
    fn cells_that_are_not_utf8_are_windows_1252() {
        assert_eq!(decode(b"caf\xe9 \x93quoted\x94"), "café “quoted”");
        assert_eq!(decode("café".as_bytes()), "café");
    }
}
