//! CSV files Event Atlas writes (`docs/formats.md`, "Exporting to CSV"), read back exactly:
//! recognised by their header (`id,title,date,latitude,longitude,…` with `category_label` and
//! `date_note` among the columns), every column found by its exact name. An empty `date` is an
//! undated event (not a skipped row); `region`, the category's label and colour, the named
//! place, actors, numbered sources and links are read back; every other column is a field
//! (`field:` in front of a field's name that would be taken for one of ours is dropped).
//!
//! The list cells (`actors`, `links`) join their items with `; `; inside an item `\`, `;` and
//! `→` are written `\\`, `\;` and `\→`. A link is `kind → target id`. The writer
//! (`io::export::csv`) and this reader share these rules and the column names below.

use super::{Cell, Cells, RowAt, Table};
use crate::io::import::Importer;
use crate::io::rules;
use crate::model::{EventDetails, LonLat, Place, RegionCode, Source};

/// The columns every Event Atlas CSV starts with, in order.
pub(in crate::io) const FIXED_COLUMNS: [&str; 14] = [
    "id",
    "title",
    "date",
    "latitude",
    "longitude",
    "region",
    "place",
    "place_id",
    "category",
    "category_label",
    "category_color",
    "actors",
    "summary",
    "date_note",
];

/// The parts of a source, each a column `source_N_part` (N from 1).
pub(in crate::io) const SOURCE_PARTS: [&str; 6] =
    ["title", "url", "publisher", "date", "quote", "note"];

/// The column of the links, after the sources.
pub(in crate::io) const LINKS_COLUMN: &str = "links";

/// Put before a field's name that would be read as one of our columns.
pub(in crate::io) const FIELD_PREFIX: &str = "field:";

/// What separates the items of a list cell.
pub(in crate::io) const LIST_SEPARATOR: &str = "; ";

/// What separates a link's kind from its target.
pub(in crate::io) const LINK_ARROW: &str = " → ";

/// Whether a header is an Event Atlas CSV's.
pub(super) fn recognises(columns: &[String]) -> bool {
    let has = |wanted: &str| columns.iter().any(|c| c == wanted);
    columns
        .iter()
        .map(String::as_str)
        .take(5)
        .eq(FIXED_COLUMNS.into_iter().take(5))
        && has("category_label")
        && has("date_note")
}

/// Whether a field called `name` must be written with [`FIELD_PREFIX`] in front.
pub(in crate::io) fn needs_prefix(name: &str) -> bool {
    name.is_empty()
        || FIXED_COLUMNS.contains(&name)
        || name == LINKS_COLUMN
        || name.starts_with(FIELD_PREFIX)
        || source_column(name).is_some()
}

/// `(group from 0, part)` of a `source_N_part` column.
fn source_column(name: &str) -> Option<(usize, SourcePart)> {
    let rest = name.strip_prefix("source_")?;
    let (number, part) = rest.split_once('_')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) || number.starts_with('0') {
        return None;
    }
    let group = number.parse::<usize>().ok()?.checked_sub(1)?;
    let part = SOURCE_PARTS.iter().position(|p| *p == part)?;
    Some((group, SourcePart(part)))
}

/// A part of a source, by its position in [`SOURCE_PARTS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SourcePart(usize);

/// What a column of an Event Atlas CSV holds, beyond its roles (`Roles::of_atlas_export`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Column {
    /// Read by the roles or when the row is read (date, coordinates, region, category, links).
    Used,
    Place,
    PlaceId,
    Actors,
    Summary,
    DateNote,
    Source {
        group: usize,
        part: SourcePart,
    },
    /// A field, by its name.
    Field(String),
}

/// The columns of an Event Atlas CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::io) struct AtlasColumns {
    columns: Vec<Column>,
    sources: usize,
    region: Option<usize>,
    place_id: Option<usize>,
    category_label: Option<usize>,
    category_color: Option<usize>,
    links: Option<usize>,
}

impl AtlasColumns {
    pub(super) fn new(names: &[String]) -> Self {
        let find = |wanted: &str| names.iter().position(|c| c == wanted);
        let columns: Vec<Column> = names.iter().map(|name| column(name)).collect();
        let sources = columns
            .iter()
            .filter_map(|c| match c {
                Column::Source { group, .. } => Some(group + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Self {
            columns,
            sources,
            region: find("region"),
            place_id: find("place_id"),
            category_label: find("category_label"),
            category_color: find("category_color"),
            links: find(LINKS_COLUMN),
        }
    }

    /// Before the row's event is pushed: its category's label and colour, its named place.
    pub(super) fn describe(
        &self,
        cells: &impl Cells,
        at: RowAt<'_>,
        importer: &mut Importer,
        table: &Table,
    ) {
        let text = |column: Option<usize>| column.map(|c| cells.cell(c).into_text());
        if let Some(id) = text(table.roles.category).filter(|id| !id.is_empty()) {
            let label = text(self.category_label).filter(|l| !l.is_empty());
            let color = text(self.category_color)
                .filter(|c| !c.is_empty())
                .and_then(|color| match rules::color(color.trim()) {
                    Ok(color) => Some(color),
                    Err(message) => {
                        importer.warn(at.line(), None, Some("category_color"), at.message(message));
                        None
                    }
                });
            importer.describe_category(id.trim(), label.as_deref(), color);
        }
        if let Some(id) = text(self.place_id).filter(|id| !id.is_empty())
            && let Some(at) = self.point(cells, table)
        {
            let name = text(table.roles.place).unwrap_or_default();
            importer.add_place(Place {
                id: id.into_owned(),
                name: name.into_owned(),
                at,
                region: self.region(cells),
                precision: crate::model::PlacePrecision::Exact,
                note: None,
            });
        }
    }

    /// The row's region (`None` when its cell is empty or no ISO 3166-2 code).
    pub(super) fn region(&self, cells: &impl Cells) -> Option<RegionCode> {
        let cell = cells.cell(self.region?);
        RegionCode::new(cell.text().trim())
    }

    /// A warning for a region cell that is no ISO 3166-2 code.
    pub(super) fn check_region(&self, cells: &impl Cells, at: RowAt<'_>, importer: &mut Importer) {
        let Some(column) = self.region else {
            return;
        };
        let cell = cells.cell(column);
        if !cell.is_empty() && RegionCode::new(cell.text().trim()).is_none() {
            let message = format!(
                "'{}' is not an ISO 3166-2 region code (like RU-MOS): the event has no region",
                cell.text()
            );
            importer.warn(at.line(), None, Some("region"), at.message(message));
        }
    }

    /// The point in the row's coordinate cells, when both read as coordinates.
    fn point(&self, cells: &impl Cells, table: &Table) -> Option<LonLat> {
        let number = |column: Option<usize>| match cells.cell(column?) {
            Cell::Number(number) => Some(number),
            other => other.text().trim().parse::<f64>().ok(),
        };
        let (lat, lon) = (number(table.roles.lat)?, number(table.roles.lon)?);
        (crate::model::latitude_is_valid(lat) && crate::model::longitude_is_valid(lon))
            .then(|| LonLat::new(lon, lat))
    }

    /// After the row's event is pushed: its links, by the ids of their targets.
    pub(super) fn links(&self, cells: &impl Cells, at: RowAt<'_>, importer: &mut Importer) {
        let Some(column) = self.links else {
            return;
        };
        let cell = cells.cell(column);
        if cell.is_empty() {
            return;
        }
        for (kind, target) in split_list(&cell.text(), true) {
            match target {
                Some(target) => importer.link_last(at.line(), &target, &kind),
                None => importer.link_last(at.line(), &kind, "related"),
            }
        }
    }

    /// The details of a row: place name and id, actors, summary, date note, sources and the
    /// fields, each exactly as written.
    pub(super) fn details(&self, table: &Table, cells: &impl Cells) -> EventDetails {
        let mut details = EventDetails::default();
        let mut sources: Vec<Option<Source>> = vec![None; self.sources];
        let has_point = self.point(cells, table).is_some();
        let count = cells.count().max(self.columns.len());
        for position in 0..count {
            let cell = cells.cell(position);
            if cell.is_empty() {
                continue;
            }
            let text = cell.text();
            match self.columns.get(position) {
                Some(Column::Used) => {}
                Some(Column::Place) => details.place_name = Some(text.into_owned()),
                Some(Column::PlaceId) if has_point => details.place_id = Some(text.into_owned()),
                Some(Column::PlaceId) => {}
                Some(Column::Actors) => {
                    details.actors = split_list(&text, false)
                        .into_iter()
                        .map(|(a, _)| a)
                        .collect();
                }
                Some(Column::Summary) => details.summary = Some(text.into_owned()),
                Some(Column::DateNote) => details.date_note = Some(text.into_owned()),
                Some(Column::Source { group, part }) => {
                    if let Some(slot) = sources.get_mut(*group) {
                        set_part(slot.get_or_insert_with(Source::default), *part, &text);
                    }
                }
                Some(Column::Field(name)) => details.fields.push((name.clone(), text.into_owned())),
                None => details
                    .fields
                    .push((super::numbered_column(position), text.into_owned())),
            }
        }
        details.sources = sources.into_iter().flatten().collect();
        details
    }
}

/// What the column named `name` holds.
fn column(name: &str) -> Column {
    match name {
        "place" => Column::Place,
        "place_id" => Column::PlaceId,
        "actors" => Column::Actors,
        "summary" => Column::Summary,
        "date_note" => Column::DateNote,
        _ if FIXED_COLUMNS.contains(&name) || name == LINKS_COLUMN => Column::Used,
        _ => match source_column(name) {
            Some((group, part)) => Column::Source { group, part },
            None => Column::Field(name.strip_prefix(FIELD_PREFIX).unwrap_or(name).to_owned()),
        },
    }
}

fn set_part(source: &mut Source, part: SourcePart, text: &str) {
    let text = text.to_owned();
    match part.0 {
        0 => source.title = text,
        1 => source.url = Some(text),
        2 => source.publisher = Some(text),
        3 => source.date = Some(text),
        4 => source.quote = Some(text),
        _ => source.note = Some(text),
    }
}

/// The items of a list cell: split at each `;` that is not escaped (one space after it
/// dropped), `\x` read as `x`. With `pairs`, an item is also split at its first `→` that is not
/// escaped (one space either side dropped): `(kind, Some(target))`.
pub(in crate::io) fn split_list(text: &str, pairs: bool) -> Vec<(String, Option<String>)> {
    let mut items = Vec::new();
    let mut first = String::new();
    let mut second: Option<String> = None;
    let mut chars = text.chars();
    let end_item = |first: &mut String, second: &mut Option<String>| {
        let mut first = std::mem::take(first);
        if second.is_some() && first.ends_with(' ') {
            first.pop();
        }
        (first, second.take())
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => match &mut second {
                Some(second) => second.extend(chars.next()),
                None => first.extend(chars.next()),
            },
            ';' => {
                items.push(end_item(&mut first, &mut second));
                if chars.as_str().starts_with(' ') {
                    chars.next();
                }
            }
            '→' if pairs && second.is_none() => {
                second = Some(String::new());
                if chars.as_str().starts_with(' ') {
                    chars.next();
                }
            }
            c => second.as_mut().unwrap_or(&mut first).push(c),
        }
    }
    items.push(end_item(&mut first, &mut second));
    items
}

/// Appends `text` as an item of a list cell: `\`, `;` and `→` escaped with `\`.
pub(in crate::io) fn push_list_item(out: &mut Vec<u8>, text: &str) {
    if !text.bytes().any(|b| b == b'\\' || b == b';' || b == 0xE2) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let mut buffer = [0; 4];
    for c in text.chars() {
        if matches!(c, '\\' | ';' | '→') {
            out.push(b'\\');
        }
        out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
    }
}

/// What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a text cell is written with `'` in front, so that a spreadsheet shows it rather than
/// runs it: it starts with a formula character (after any `'`s, so that the guard comes off
/// again exactly) and is not a plain number such as `-12.5`.
pub(in crate::io) fn needs_formula_guard(text: &str) -> bool {
    // Every text cell of an export passes here: one byte decides for almost all of them.
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'')
    ) && text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
        && !is_plain_number(text)
}

/// A cell of an Event Atlas CSV as it was before [`needs_formula_guard`] put `'` in front.
pub(in crate::io) fn without_formula_guard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(guarded) if needs_formula_guard(guarded) => guarded,
        _ => text,
    }
}

/// `-?digits[.digits][e[+-]digits]`: how the writer writes numbers.
fn is_plain_number(text: &str) -> bool {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_guards_go_on_text_only_and_come_off_exactly() {
        for (text, guarded) in [
            ("=HYPERLINK(\"https://x\")", true),
            ("+1", true),
            ("@SUM(A1)", true),
            ("\t=1", true),
            ("\r=1", true),
            ("-", true),
            ("-2+3+cmd|' /C calc'!A0", true),
            ("-0043-03-15", true),
            ("'=1", true),
            ("''@x", true),
            ("-1", false),
            ("-12.5", false),
            ("-1e-7", false),
            ("12", false),
            ("plain", false),
            ("'quoted'", false),
            ("", false),
        ] {
            assert_eq!(needs_formula_guard(text), guarded, "{text:?}");
            let written = if guarded {
                format!("'{text}")
            } else {
                text.to_owned()
            };
            assert_eq!(without_formula_guard(&written), text, "{text:?}");
        }
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    fn list(items: &[&str]) -> String {
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(LIST_SEPARATOR.as_bytes());
            }
            push_list_item(&mut out, item);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn list_items_with_separators_and_backslashes_come_back_whole() {
        let items = ["a; b", "c\\d", " lead", "x → y", "trail ", "", "Ünïcödé;"];
        let text = list(&items);
        assert_eq!(text, "a\\; b; c\\\\d;  lead; x \\→ y; trail ; ; Ünïcödé\\;");
        let back: Vec<String> = split_list(&text, false)
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        assert_eq!(back, items);
        assert_eq!(split_list("a;b", false)[1].0, "b");
    }

    #[test]
    fn links_are_a_kind_an_arrow_and_a_target() {
        assert_eq!(
            split_list("claim of → crocus-attack; → x;y", true),
            [
                ("claim of".to_owned(), Some("crocus-attack".to_owned())),
                (String::new(), Some("x".to_owned())),
                ("y".to_owned(), None),
            ]
        );
        let mut out = Vec::new();
        push_list_item(&mut out, "a→b ");
        out.extend_from_slice(LINK_ARROW.as_bytes());
        push_list_item(&mut out, " t;1");
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            split_list(&text, true),
            [("a→b ".to_owned(), Some(" t;1".to_owned()))]
        );
    }

    #[test]
    fn the_header_signature_and_our_column_names() {
        let mut columns = strings(&FIXED_COLUMNS);
        columns.extend(strings(&["source_1_title", "links", "end"]));
        assert!(recognises(&columns));
        assert!(!recognises(&strings(&[
            "id",
            "title",
            "date",
            "latitude",
            "longitude"
        ])));
        assert!(!recognises(&strings(&[
            "id",
            "date",
            "title",
            "latitude",
            "longitude",
            "category_label",
            "date_note"
        ])));
        for ours in ["title", "links", "source_2_quote", "field:x", ""] {
            assert!(needs_prefix(ours), "{ours}");
        }
        for theirs in [
            "end",
            "source_0_title",
            "source_01_url",
            "source_1_body",
            "Title",
        ] {
            assert!(!needs_prefix(theirs), "{theirs}");
        }
        assert_eq!(column("field:title"), Column::Field("title".to_owned()));
        assert_eq!(
            column("source_12_note"),
            Column::Source {
                group: 11,
                part: SourcePart(5)
            }
        );
    }
}
