//! TimeMap datasheets (Forensic Architecture's timemap with datasheet-server): a workbook whose
//! `EXPORT_EVENTS` sheet has `description`, `date` (MM/DD/YYYY), `time` (HH:mm), `location`,
//! `latitude`, `longitude`, `association1…`, `source1…`; or the JSON datasheet-server serves
//! (an array of such objects, with `associations` and `sources` as arrays).
//!
//! The description is the summary and gives the title (its first sentence, or its first ~80
//! characters); the date and time are combined at their precision; the category is the
//! `category` column, else the first association; the other associations are fields. Source ids
//! are looked up in the workbook's `EXPORT_SOURCES` sheet when there is one (title, link,
//! description), and are listed as fields otherwise.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use super::Cell;
use super::columns::{Roles, normalise};
use super::sheet::{Grid, GridSource, read_grid};
use crate::io::{Diagnostic, ImportOptions, LoadError, LoadProgress, Loaded, Severity};
use crate::model::{EventDetails, Source};

/// The sheet of a TimeMap workbook that holds the events.
pub(super) const EVENTS_SHEET: &str = "EXPORT_EVENTS";
/// The sheet of a TimeMap workbook that describes the sources.
pub(super) const SOURCES_SHEET: &str = "EXPORT_SOURCES";

/// Whether a table is a TimeMap datasheet: its `EXPORT_EVENTS` sheet, or a description, a
/// date, coordinates and associations.
pub(super) fn recognises(columns: &[String], sheet: Option<&str>) -> bool {
    let names: Vec<String> = columns.iter().map(|c| normalise(c)).collect();
    let has = |wanted: &str| names.iter().any(|name| name == wanted);
    let has_date = has("description") && has("date");
    if sheet == Some(EVENTS_SHEET) {
        return has_date;
    }
    has_date
        && has("latitude")
        && has("longitude")
        && names.iter().any(|name| name.starts_with("association"))
}

/// The roles of a TimeMap datasheet's columns.
pub(super) fn roles(columns: &[String]) -> Roles {
    let mut roles = Roles::recognise(columns);
    let names: Vec<String> = columns.iter().map(|c| normalise(c)).collect();
    let find = |wanted: &str| names.iter().position(|name| name == wanted);
    roles.notes = find("description");
    roles.title = find("title");
    roles.place = find("location").or(roles.place);
    if roles.category.is_none() {
        roles.category = names
            .iter()
            .position(|name| name.starts_with("association"));
    }
    roles.sources = names
        .iter()
        .enumerate()
        .filter(|(i, name)| name.starts_with("source") && !roles_take(&roles, *i))
        .map(|(i, _)| i)
        .collect();
    roles
}

/// Whether a column already has a role other than a source.
fn roles_take(roles: &Roles, column: usize) -> bool {
    let mut others = roles.clone();
    others.sources.clear();
    others.is_used(column)
}

/// Source ids and what they stand for, from an `EXPORT_SOURCES` sheet (`id`, `title`,
/// `description`, `path1…`).
pub(super) fn source_book(grid: &Grid<'_>) -> HashMap<String, Source> {
    let names: Vec<String> = grid.header.iter().map(|c| normalise(c)).collect();
    let find = |wanted: &str| names.iter().position(|name| name == wanted);
    let Some(id) = find("id") else {
        return HashMap::new();
    };
    let (title, description) = (find("title"), find("description"));
    let paths: Vec<usize> = names
        .iter()
        .enumerate()
        .filter(|(_, name)| name.starts_with("path"))
        .map(|(i, _)| i)
        .collect();
    let text = |cells: &[Cell<'_>], column: Option<usize>| {
        column
            .and_then(|c| cells.get(c))
            .map(|cell| cell.text().into_owned())
            .filter(|text| !text.is_empty())
    };
    grid.rows
        .iter()
        .filter_map(|(_, cells)| {
            let id = text(cells, Some(id))?;
            let url = paths.iter().find_map(|&path| text(cells, Some(path)));
            let source = Source {
                title: text(cells, title).unwrap_or_else(|| id.clone()),
                url,
                note: text(cells, description),
                ..Source::default()
            };
            Some((id, source))
        })
        .collect()
}

/// Moves source ids found in `book` from the fields to the sources.
pub(super) fn resolve_sources(details: &mut EventDetails, book: &HashMap<String, Source>) {
    if book.is_empty() {
        return;
    }
    let mut kept = Vec::with_capacity(details.fields.len());
    for (name, value) in std::mem::take(&mut details.fields) {
        match book.get(&value) {
            Some(source) if normalise(&name).starts_with("source") => {
                details.sources.push(source.clone());
            }
            _ => kept.push((name, value)),
        }
    }
    details.fields = kept;
}

/// Reads datasheet-server's JSON: an array of event objects.
pub(in crate::io) fn read_timemap_json(
    bytes: &[u8],
    file: &str,
    options: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let objects: Vec<Object> =
        serde_json::from_slice(bytes).map_err(|error| LoadError::Invalid {
            file: file.to_owned(),
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                file: file.to_owned(),
                line: Some(error.line()),
                column: Some(error.column()),
                event_id: None,
                field: None,
                message: format!("this is not TimeMap JSON (an array of event objects): {error}"),
            }],
        })?;
    progress.set_fraction(0.5);
    let grid = grid_of_objects(&objects);
    let source = GridSource {
        format: "JSON",
        sheet: None,
        sheets: Vec::new(),
        sources: HashMap::new(),
    };
    read_grid(&grid, file, options, &source)
}

/// The objects as a table: a column per key (in the order keys first appear), an array's
/// items in numbered columns (`associations 1`, `associations 2`…).
fn grid_of_objects(objects: &[Object]) -> Grid<'_> {
    let mut header: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut column = |name: String, header: &mut Vec<String>| {
        *index.entry(name.clone()).or_insert_with(|| {
            header.push(name);
            header.len() - 1
        })
    };
    let mut rows = Vec::with_capacity(objects.len());
    for (number, object) in objects.iter().enumerate() {
        let mut cells: Vec<(usize, Cell<'_>)> = Vec::new();
        for (key, value) in &object.0 {
            match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        cells.push((
                            column(format!("{key} {}", i + 1), &mut header),
                            json_cell(item),
                        ));
                    }
                }
                other => cells.push((column(key.clone(), &mut header), json_cell(other))),
            }
        }
        let mut row = vec![Cell::Empty; header.len()];
        for (at, cell) in cells {
            if let Some(slot) = row.get_mut(at) {
                *slot = cell;
            }
        }
        rows.push((number + 1, row));
    }
    Grid { header, rows }
}

/// A JSON object's members in the order the file gives them (the order of the columns).
#[derive(Debug, Default)]
struct Object(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Object {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = Object;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an event object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Object, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Value>()? {
                    members.push(member);
                }
                Ok(Object(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

fn json_cell(value: &Value) -> Cell<'_> {
    match value {
        Value::Null => Cell::Empty,
        Value::String(text) => Cell::from_text(Cow::Borrowed(text)),
        Value::Number(number) => number.as_f64().map_or(Cell::Empty, Cell::Number),
        Value::Bool(flag) => Cell::Text(Cow::Borrowed(if *flag { "true" } else { "false" })),
        other => Cell::Text(Cow::Owned(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn the_export_sheet_and_the_datasheet_columns_are_recognised() {
        let columns = strings(&[
            "description",
            "date",
            "time",
            "location",
            "latitude",
            "longitude",
            "association1",
            "association2",
            "source1",
        ]);
        assert!(recognises(&columns, None));
        assert!(recognises(&columns[..2], Some(EVENTS_SHEET)));
        assert!(!recognises(&columns[..6], None));
        let roles = roles(&columns);
        assert_eq!(roles.notes, Some(0));
        assert_eq!((roles.time, roles.clock), (Some(1), Some(2)));
        assert_eq!(roles.place, Some(3));
        assert_eq!(roles.category, Some(6));
        assert_eq!(roles.sources, vec![8]);
        assert!(!roles.is_used(7));
    }

    #[test]
    fn json_objects_become_rows_with_arrays_in_numbered_columns() {
        let objects: Vec<Object> = serde_json::from_str(
            r#"[{"description": "A", "associations": ["x", "y"], "latitude": 31.5},
                {"date": "10/10/2015", "description": "B"}]"#,
        )
        .unwrap();
        let grid = grid_of_objects(&objects);
        assert_eq!(
            grid.header,
            [
                "description",
                "associations 1",
                "associations 2",
                "latitude",
                "date"
            ]
        );
        assert_eq!(grid.rows[0].1[3], Cell::Number(31.5));
        assert_eq!(grid.rows[1].0, 2);
        assert_eq!(grid.rows[1].1[4], Cell::Text(Cow::Borrowed("10/10/2015")));
        assert_eq!(grid.rows[1].1[1], Cell::Empty);
    }
}
