//! CSV export (`docs/formats.md`, "Exporting to CSV"): RFC 4180, UTF-8 without a byte-order
//! mark, `\n` line ends, a cell quoted only when it holds a comma, a quote or a line break. One
//! row per event; the columns are the fixed ones (`id` … `date_note`), then one group of six
//! columns per source (as many groups as the event with the most sources has), `links`, and
//! one column per imported field name, in an order every event's fields follow (when they
//! agree); a name that repeats within an event gets as many columns, side by side, all with
//! that name.
//!
//! A text cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a
//! tab or a carriage return, and is not a plain number such as `-12.5`) gets `'` in front
//! (OWASP's advice for CSV injection); coordinates are numbers and never get it.
//!
//! Event Atlas reads such a file back exactly (`io::table::atlas`): the column names, the
//! list cells (`actors`, `links`), the `field:` prefix and the `'` guard are shared with it.

use std::collections::{HashMap, HashSet};
use std::io;

use super::{EventWriter, ExportEvent};
use crate::io::table::{
    FIELD_PREFIX, FIXED_COLUMNS, LINK_ARROW, LINKS_COLUMN, LIST_SEPARATOR, SOURCE_PARTS,
    needs_formula_guard, needs_prefix, push_list_item,
};
use crate::model::{AllDetails, Dataset, EventIndex, Source};

/// A field column: the field's name and which of its occurrences in an event it holds.
#[derive(Debug)]
struct FieldColumn {
    name: String,
    occurrence: usize,
}

pub(super) struct CsvWriter {
    /// The header line, with its line end.
    header: Vec<u8>,
    /// Groups of source columns.
    source_groups: usize,
    fields: Vec<FieldColumn>,
    not_kept: Vec<String>,
}

impl CsvWriter {
    /// The writer for `events` of `dataset`: reads every event's details once (on two threads)
    /// for the source groups and field names the header needs.
    pub(super) fn new(
        dataset: &Dataset,
        events: &[EventIndex],
        details: &AllDetails<'_>,
    ) -> Result<Self, String> {
        let (left, right) = events.split_at(events.len() / 2);
        let (a, b) = std::thread::scope(|scope| {
            let second = scope.spawn(|| Survey::of(dataset, details, right));
            let a = Survey::of(dataset, details, left);
            let b = second
                .join()
                .unwrap_or_else(|_| Err("exporting stopped unexpectedly".to_owned()));
            (a, b)
        });
        let mut survey = a?;
        survey.merge(b?);
        let fields = survey.columns();
        let header = header(survey.sources, &fields);
        let not_kept = not_kept(dataset, events, &survey.places);
        Ok(Self {
            header,
            source_groups: survey.sources,
            fields,
            not_kept,
        })
    }
}

/// What the header needs to know of the exported events' details.
#[derive(Debug, Default)]
struct Survey {
    /// The most sources an event has.
    sources: usize,
    /// Field names in the order first seen.
    names: Vec<String>,
    /// The position of each name in `names`.
    positions: HashMap<String, u32>,
    /// The most times one event has each name (by position).
    most: Vec<usize>,
    /// `(a, b)`: an event lists field `b` right after field `a` (by position).
    follows: HashSet<(u32, u32)>,
    /// The named places the events refer to.
    places: HashSet<String>,
    /// How many times each name came so far in the event being looked at (by position).
    seen: Vec<usize>,
}

impl Survey {
    fn of(
        dataset: &Dataset,
        details: &AllDetails<'_>,
        events: &[EventIndex],
    ) -> Result<Self, String> {
        let mut survey = Survey::default();
        let mut last_layout: Vec<String> = Vec::new();
        for &index in events {
            let layout = details.layout(index).map_err(|e| {
                let id = dataset.events.get(index).map_or("?", |e| e.id());
                format!("event \"{id}\": {e}")
            })?;
            survey.sources = survey.sources.max(layout.sources);
            if let Some(place) = layout.place_id
                && !survey.places.contains(&place)
            {
                survey.places.insert(place);
            }
            // Events of an imported table share one layout of fields: looked at once.
            if layout.field_names != last_layout {
                last_layout = layout.field_names;
                survey.add_layout(&last_layout);
            }
        }
        Ok(survey)
    }

    /// The position of `name`, added when new.
    fn position(&mut self, name: &str) -> u32 {
        if let Some(&position) = self.positions.get(name) {
            return position;
        }
        let position = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.positions.insert(name.to_owned(), position);
        self.most.push(0);
        position
    }

    /// Notes the field names of one event (`names` in its order, repeats included).
    fn add_layout(&mut self, names: &[String]) {
        let mut previous: Option<u32> = None;
        let mut seen = std::mem::take(&mut self.seen);
        for name in names {
            let position = self.position(name);
            seen.resize(self.names.len(), 0);
            let times = seen.get_mut(position as usize).map_or(1, |times| {
                *times += 1;
                *times
            });
            self.count(position, times, previous);
            previous = Some(position);
        }
        // Cleared for the next event, name by name (there may be many names, few in one row).
        for name in names {
            if let Some(times) = self
                .positions
                .get(name.as_str())
                .and_then(|&p| seen.get_mut(p as usize))
            {
                *times = 0;
            }
        }
        self.seen = seen;
    }

    /// Notes that an event has the name at `position` `times` times, right after the name at
    /// `previous`.
    fn count(&mut self, position: u32, times: usize, previous: Option<u32>) {
        if let Some(most) = self.most.get_mut(position as usize) {
            *most = (*most).max(times);
        }
        if let Some(previous) = previous.filter(|&p| p != position) {
            self.follows.insert((previous, position));
        }
    }

    /// Adds what `later` (the events after these) found.
    fn merge(&mut self, later: Survey) {
        self.sources = self.sources.max(later.sources);
        let mapped: Vec<u32> = later.names.iter().map(|name| self.position(name)).collect();
        let at = |position: u32| mapped.get(position as usize).copied();
        for (position, &times) in later.most.iter().enumerate() {
            if let Some(position) = at(position as u32) {
                self.count(position, times, None);
            }
        }
        for (a, b) in later.follows {
            if let (Some(a), Some(b)) = (at(a), at(b)) {
                self.follows.insert((a, b));
            }
        }
        self.places.extend(later.places);
    }

    /// The names in an order every event's fields follow (when they agree), else first seen
    /// first: a name an event lists after another goes after it, though the rows that had
    /// both came later (rows of one table with different cells left out).
    fn order(&self) -> Vec<u32> {
        let count = self.names.len();
        let mut after: Vec<Vec<u32>> = vec![Vec::new(); count];
        let mut waiting = vec![0usize; count];
        for &(a, b) in &self.follows {
            if let (Some(list), Some(wait)) =
                (after.get_mut(a as usize), waiting.get_mut(b as usize))
            {
                list.push(b);
                *wait += 1;
            }
        }
        let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<u32>> = (0..count as u32)
            .filter(|&n| waiting.get(n as usize) == Some(&0))
            .map(std::cmp::Reverse)
            .collect();
        let mut placed = vec![false; count];
        let mut order = Vec::with_capacity(count);
        while order.len() < count {
            let next = match ready.pop() {
                Some(std::cmp::Reverse(next)) => next,
                // Events disagree (a cycle): the first seen of the names left goes next.
                None => match placed.iter().position(|done| !done) {
                    Some(first) => first as u32,
                    None => break,
                },
            };
            match placed.get_mut(next as usize) {
                Some(done) if !*done => *done = true,
                _ => continue,
            }
            order.push(next);
            for &b in after.get(next as usize).into_iter().flatten() {
                if let Some(wait) = waiting.get_mut(b as usize) {
                    *wait = wait.saturating_sub(1);
                    if *wait == 0 && !placed.get(b as usize).copied().unwrap_or(true) {
                        ready.push(std::cmp::Reverse(b));
                    }
                }
            }
        }
        order
    }

    /// One column per name and occurrence, in [`Survey::order`].
    fn columns(&self) -> Vec<FieldColumn> {
        self.order()
            .into_iter()
            .filter_map(|position| {
                let name = self.names.get(position as usize)?;
                let times = self
                    .most
                    .get(position as usize)
                    .copied()
                    .unwrap_or(1)
                    .max(1);
                Some((name, times))
            })
            .flat_map(|(name, times)| {
                (0..times).map(|occurrence| FieldColumn {
                    name: name.clone(),
                    occurrence,
                })
            })
            .collect()
    }
}

/// The header line.
fn header(source_groups: usize, fields: &[FieldColumn]) -> Vec<u8> {
    let mut out = Vec::new();
    for (at, name) in FIXED_COLUMNS.iter().enumerate() {
        if at > 0 {
            out.push(b',');
        }
        out.extend_from_slice(name.as_bytes());
    }
    for group in 1..=source_groups {
        for part in SOURCE_PARTS {
            out.extend_from_slice(format!(",source_{group}_{part}").as_bytes());
        }
    }
    out.push(b',');
    out.extend_from_slice(LINKS_COLUMN.as_bytes());
    for field in fields {
        out.push(b',');
        if needs_prefix(&field.name) {
            cell(&mut out, &format!("{FIELD_PREFIX}{}", field.name));
        } else {
            cell(&mut out, &field.name);
        }
    }
    out.push(b'\n');
    out
}

/// What the exported events have that CSV cannot hold, in words.
fn not_kept(dataset: &Dataset, events: &[EventIndex], places: &HashSet<String>) -> Vec<String> {
    let mut lost = Vec::new();
    let outlines = dataset
        .shapes
        .iter()
        .filter(|shape| events.binary_search(&shape.event).is_ok())
        .count();
    match outlines {
        0 => {}
        1 => lost.push("the outline (a line or an area) of 1 event".to_owned()),
        _ => lost.push(format!("the outlines (lines, areas) of {outlines} events")),
    }
    let notes = dataset
        .places
        .iter()
        .filter(|place| place.note.is_some() && places.contains(&place.id))
        .count();
    match notes {
        0 => {}
        1 => lost.push("the note of 1 named place".to_owned()),
        _ => lost.push(format!("the notes of {notes} named places")),
    }
    if dataset.description.is_some() || !dataset.sources.is_empty() {
        lost.push("the dataset's description and sources".to_owned());
    }
    if !dataset.eras.is_empty() {
        lost.push(format!("{} eras", dataset.eras.len()));
    }
    if let Some(story) = super::story_not_kept(dataset) {
        lost.push(story);
    }
    lost
}

impl EventWriter for CsvWriter {
    fn begin(&self, out: &mut Vec<u8>) -> io::Result<()> {
        out.extend_from_slice(&self.header);
        Ok(())
    }

    fn event(
        &self,
        out: &mut Vec<u8>,
        _position: usize,
        export: &ExportEvent<'_>,
    ) -> io::Result<()> {
        let event = export.event;
        let details = &export.details;
        cell(out, event.id());
        out.push(b',');
        cell(out, event.title());
        out.push(b',');
        // Empty for an undated event: read back as undated.
        cell(out, event.when_text());
        out.push(b',');
        if let Some(at) = event.location.point().filter(|at| at.is_valid()) {
            number(out, at.lat)?;
            out.push(b',');
            number(out, at.lon)?;
        } else {
            out.push(b',');
        }
        out.push(b',');
        cell(out, event.location.region_code().unwrap_or_default());
        out.push(b',');
        optional(out, details.place_name.as_deref());
        out.push(b',');
        optional(out, details.place_id.as_deref());
        out.push(b',');
        match export.category {
            Some(category) => {
                cell(out, &category.id);
                out.push(b',');
                cell(out, &category.label);
                out.push(b',');
                color(out, category.color);
            }
            None => out.extend_from_slice(b",,"),
        }
        out.push(b',');
        list(
            out,
            details.actors.iter().map(|actor| (actor.as_str(), None)),
        );
        out.push(b',');
        optional(out, details.summary.as_deref());
        out.push(b',');
        optional(out, details.date_note.as_deref());
        self.sources(out, &details.sources);
        out.push(b',');
        list(out, export.links.iter().map(|&(to, kind)| (kind, Some(to))));
        self.fields(out, &details.fields);
        out.push(b'\n');
        Ok(())
    }

    fn finish(&self, _out: &mut Vec<u8>, _count: usize) -> io::Result<()> {
        Ok(())
    }

    fn not_kept(&self) -> Vec<String> {
        self.not_kept.clone()
    }
}

impl CsvWriter {
    /// The source groups, each cell after a comma.
    fn sources(&self, out: &mut Vec<u8>, sources: &[Source]) {
        for group in 0..self.source_groups {
            let Some(source) = sources.get(group) else {
                out.extend_from_slice(b",,,,,,");
                continue;
            };
            for part in [
                Some(source.title.as_str()),
                source.url.as_deref(),
                source.publisher.as_deref(),
                source.date.as_deref(),
                source.quote.as_deref(),
                source.note.as_deref(),
            ] {
                out.push(b',');
                optional(out, part);
            }
        }
    }

    /// The field cells, each after a comma. Fields in the columns' order (the usual case) are
    /// written in one pass; others are looked up column by column.
    fn fields(&self, out: &mut Vec<u8>, fields: &[(String, String)]) {
        if self.fields.is_empty() {
            return;
        }
        let mark = out.len();
        let mut next = fields.iter().peekable();
        for column in &self.fields {
            out.push(b',');
            if let Some((_, value)) = next.next_if(|(name, _)| *name == column.name) {
                cell(out, value);
            }
        }
        if next.peek().is_none() {
            return;
        }
        // Out of order: a field whose column was passed before it came.
        out.truncate(mark);
        for column in &self.fields {
            out.push(b',');
            let value = fields
                .iter()
                .filter(|(name, _)| *name == column.name)
                .nth(column.occurrence);
            if let Some((_, value)) = value {
                cell(out, value);
            }
        }
    }
}

/// Whether a cell must be quoted.
fn needs_quotes(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// Writes a text cell, quoted (its quotes doubled) when it must be, with `'` in front when a
/// spreadsheet would take it for a formula ([`needs_formula_guard`]).
fn cell(out: &mut Vec<u8>, text: &str) {
    let guard: &[u8] = if needs_formula_guard(text) { b"'" } else { b"" };
    if !needs_quotes(text.as_bytes()) {
        out.extend_from_slice(guard);
        out.extend_from_slice(text.as_bytes());
        return;
    }
    if guard.is_empty() {
        quoted(out, text.as_bytes());
    } else {
        // Rare: only a cell that is both quoted and guarded is copied.
        quoted(out, &[guard, text.as_bytes()].concat());
    }
}

fn quoted(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    for &byte in bytes {
        if byte == b'"' {
            out.push(b'"');
        }
        out.push(byte);
    }
    out.push(b'"');
}

fn optional(out: &mut Vec<u8>, text: Option<&str>) {
    if let Some(text) = text {
        cell(out, text);
    }
}

/// Writes a list cell: items joined by `; `, an item `(kind, Some(target))` as `kind → target`.
fn list<'a>(out: &mut Vec<u8>, items: impl Iterator<Item = (&'a str, Option<&'a str>)>) {
    let mark = out.len();
    for (at, (first, second)) in items.enumerate() {
        if at > 0 {
            out.extend_from_slice(LIST_SEPARATOR.as_bytes());
        }
        push_list_item(out, first);
        if let Some(second) = second {
            out.extend_from_slice(LINK_ARROW.as_bytes());
            push_list_item(out, second);
        }
    }
    let guard = out
        .get(mark..)
        .and_then(|raw| std::str::from_utf8(raw).ok())
        .is_some_and(needs_formula_guard);
    if guard {
        out.insert(mark, b'\'');
    }
    if out.get(mark..).is_some_and(needs_quotes) {
        let raw = out.split_off(mark);
        quoted(out, &raw);
    }
}

/// Writes a coordinate in the shortest form that reads back as the same number.
fn number(out: &mut Vec<u8>, value: f64) -> io::Result<()> {
    serde_json::to_writer(out, &value).map_err(io::Error::from)
}

/// `#RRGGBB`.
fn color(out: &mut Vec<u8>, rgb: [u8; 3]) {
    let digit = |nibble: u8| match nibble {
        0..=9 => b'0' + nibble,
        _ => b'A' + nibble - 10,
    };
    out.push(b'#');
    for byte in rgb {
        out.push(digit(byte >> 4));
        out.push(digit(byte & 0xF));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::export::{ExportFormat, write_events};

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    fn fields(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn writer(survey: &Survey) -> CsvWriter {
        let fields = survey.columns();
        CsvWriter {
            header: header(survey.sources, &fields),
            source_groups: survey.sources,
            fields,
            not_kept: Vec::new(),
        }
    }

    #[test]
    fn cells_are_quoted_only_when_they_must_be() {
        let mut out = Vec::new();
        for text in [
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\r",
            "Ünïcödé; ok",
            "",
        ] {
            cell(&mut out, text);
            out.push(b'|');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"cr\r\"|Ünïcödé; ok||"
        );
        let mut out = Vec::new();
        list(&mut out, [("a, b", None), ("c;d", None)].into_iter());
        out.push(b'|');
        list(&mut out, [("claim of", Some("x"))].into_iter());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a, b; c\\;d\"|claim of → x"
        );
        let mut out = Vec::new();
        color(&mut out, [0x44, 0x77, 0xAA]);
        color(&mut out, [0, 9, 255]);
        number(&mut out, -33.8688).unwrap();
        number(&mut out, 1e-7).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "#4477AA#0009FF-33.86881e-7"
        );
    }

    #[test]
    fn would_be_formulas_are_written_as_text() {
        let mut out = Vec::new();
        for text in [
            "=HYPERLINK(\"https://evil.example\",\"Click\")",
            "+1",
            "-1",
            "-12.5",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "'=1",
            "a=1",
        ] {
            cell(&mut out, text);
            out.push(b'|');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"Click\"\")\"|'+1|-1|-12.5|'@SUM(A1)|'\t=1|\"'\r=1\"|''=1|a=1|"
        );
        let mut out = Vec::new();
        list(&mut out, [("=cmd", None), ("b", None)].into_iter());
        out.push(b'|');
        list(&mut out, [("-x", Some("=y"))].into_iter());
        assert_eq!(String::from_utf8(out).unwrap(), "'=cmd; b|'-x → =y");
    }

    #[test]
    fn field_names_keep_the_order_rows_with_gaps_give_them() {
        let mut survey = Survey::default();
        survey.add_layout(&names(&["a", "c", "d"]));
        survey.add_layout(&names(&["a", "b", "c", "d"]));
        survey.add_layout(&names(&["x", "d", "e"]));
        let mut later = Survey::default();
        later.add_layout(&names(&["b", "f", "notes", "notes"]));
        later.sources = 2;
        survey.merge(later);
        let header = String::from_utf8(writer(&survey).header).unwrap();
        assert!(
            header.ends_with(",source_2_quote,source_2_note,links,a,b,c,x,d,e,f,notes,notes\n"),
            "{header}"
        );
        // A name placed before it is known what follows it: `t` comes after `c` once a row
        // has both, though the first row with `t` had no `c`.
        let mut survey = Survey::default();
        survey.add_layout(&names(&["a", "c"]));
        survey.add_layout(&names(&["a", "t"]));
        survey.add_layout(&names(&["a", "c", "t"]));
        let order: Vec<String> = survey.columns().into_iter().map(|c| c.name).collect();
        assert_eq!(order, ["a", "c", "t"]);
        // Rows that disagree: the first seen goes first, and every name gets its column.
        let mut survey = Survey::default();
        survey.add_layout(&names(&["p", "q"]));
        survey.add_layout(&names(&["q", "p", "r"]));
        let order: Vec<String> = survey.columns().into_iter().map(|c| c.name).collect();
        assert_eq!(order, ["p", "q", "r"]);
    }

    #[test]
    fn field_names_like_ours_get_a_prefix() {
        let mut survey = Survey::default();
        survey.add_layout(&names(&[
            "title",
            "links",
            "source_1_url",
            "field:x",
            "a,b",
            "",
        ]));
        let header = String::from_utf8(writer(&survey).header).unwrap();
        assert!(
            header.ends_with(
                ",links,field:title,field:links,field:source_1_url,field:field:x,\"a,b\",field:\n"
            ),
            "{header}"
        );
    }

    #[test]
    fn fields_out_of_the_columns_order_still_go_under_their_names() {
        let mut survey = Survey::default();
        survey.add_layout(&names(&["a", "a", "b", "c"]));
        let writer = writer(&survey);
        let mut out = Vec::new();
        writer.fields(&mut out, &fields(&[("a", "1"), ("b", "2"), ("c", "3")]));
        out.push(b'|');
        writer.fields(
            &mut out,
            &fields(&[("c", "3"), ("a", "1"), ("b", "2"), ("a", "4")]),
        );
        out.push(b'|');
        writer.fields(&mut out, &[]);
        assert_eq!(String::from_utf8(out).unwrap(), ",1,,2,3|,1,4,2,3|,,,,");
        let mut out = Vec::new();
        let source = Source {
            title: "T".into(),
            quote: Some("q, q".into()),
            ..Source::default()
        };
        CsvWriter {
            source_groups: 2,
            ..writer
        }
        .sources(&mut out, &[source]);
        assert_eq!(String::from_utf8(out).unwrap(), ",T,,,,\"q, q\",,,,,,,");
    }

    #[test]
    fn every_row_has_as_many_cells_as_the_header() {
        let dataset = crate::builtin::crocus_dataset().unwrap().dataset;
        let events: Vec<usize> = (0..dataset.events.len()).collect();
        let mut out = Vec::new();
        write_events(&mut out, &dataset, &events, ExportFormat::Csv).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(out.as_slice());
        let width = reader.headers().unwrap().len();
        assert_eq!(width, 14 + 3 * 6 + 1);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), dataset.events.len());
        assert!(rows.iter().all(|row| row.len() == width));
        let attack = rows.iter().find(|row| &row[0] == "crocus-attack").unwrap();
        assert_eq!(&attack[2], "2024-03-22");
        assert_eq!(
            (&attack[3], &attack[4], &attack[5]),
            ("55.8256", "37.3887", "RU-MOS")
        );
        assert_eq!(&attack[10], "#EE6677");
    }
}
