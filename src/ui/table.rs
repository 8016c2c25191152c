//! The event table: the matching events, one row each, sortable by any column. Only the rows
//! on screen are built (egui_extras' `TableBody::rows`), so it scrolls through a million rows
//! at frame rate; their place names and actors are read from the details as they come into
//! view and kept in a small cache.
//!
//! The selection is the app's, both ways: a click selects, a double-click focuses the event on
//! the map and the timeline, ↑/↓ move it, and a selection made elsewhere is scrolled into view.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use egui::text::{LayoutJob, TextFormat};
use egui::{Align, Color32, Key, Layout, Modifiers, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder, TableRow};

use crate::command::Command;
use crate::model::calendar::group_thousands;
use crate::model::filter::fold;
use crate::model::order::{PlaceOrder, SortColumn, SortKeys};
use crate::model::{Dataset, Event, EventDetails, EventIndex, Location};
use crate::state::{TableColumn, TableSort};
use crate::theme::{category_color, category_label, match_highlight};

/// Height of a row, in points.
const ROW_HEIGHT: f32 = 20.0;
/// How many rows "Copy rows" copies at most: a spreadsheet takes a million, but a clipboard of
/// a few hundred megabytes does not help anyone; File > Export writes them all.
pub const COPY_LIMIT: usize = 100_000;
/// What the table answers to, said under its count.
const HINT: &str = "Click a row to select it, double-click to show it on the map and the timeline; the Up and Down keys move, Ctrl+C copies the row";
/// How many rows' details are kept between frames (a few screens' worth).
const CACHED_ROWS: usize = 512;

/// What one frame of the table shows.
pub struct TableFrame<'a> {
    pub dataset: &'a Dataset,
    /// The rows in the order shown: the matching events, sorted by `sort`.
    pub rows: &'a [u32],
    pub sort: TableSort,
    pub selected: Option<EventIndex>,
    /// The text searched for: its words are highlighted in the titles.
    pub query: &'a str,
    /// The dataset's sort keys (and each event's region name).
    pub keys: &'a SortKeys,
    /// Whether a filter is set (an empty table then says so, and offers to clear it).
    pub filtered: bool,
}

impl From<TableColumn> for SortColumn {
    fn from(column: TableColumn) -> Self {
        match column {
            TableColumn::Date => SortColumn::Date,
            TableColumn::Title => SortColumn::Title,
            TableColumn::Category => SortColumn::Category,
            TableColumn::Place => SortColumn::Place,
            TableColumn::Region => SortColumn::Region,
            TableColumn::Actors => SortColumn::Actors,
        }
    }
}

/// What the table remembers between frames (egui temp memory, not the app's state).
#[derive(Clone, Default)]
struct TableMemory {
    /// The selection (with the order and the rows) last scrolled to: a selection is scrolled
    /// into view once, when it changes, and then the user may scroll away.
    scrolled_to: Option<ScrolledTo>,
    /// A row was clicked and nothing outside the table since: the arrow keys and Ctrl+C act on
    /// the table even when the pointer has left it. (Not egui focus: that would silence the
    /// app's own shortcuts.)
    keyboard_here: bool,
    details: DetailCache,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct ScrolledTo {
    selected: Option<EventIndex>,
    sort: TableSort,
    rows: usize,
    keys: u64,
}

/// The table: a heading line, then the rows (or why there are none).
pub fn event_table_ui(ui: &mut Ui, frame: &TableFrame<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    let memory_id = ui.scope_id().with("event-table");
    let mut memory: TableMemory = ui
        .data_mut(|data| data.remove_temp(memory_id))
        .unwrap_or_default();
    memory
        .details
        .start_frame((frame.keys.id(), frame.dataset.events.as_ptr() as usize));
    let area = ui.available_rect_before_wrap();
    let hovered = ui.rect_contains_pointer(area);
    if ui.input(|input| input.pointer.any_pressed()) && !hovered {
        memory.keyboard_here = false;
    }
    heading_ui(ui, frame);
    if frame.rows.is_empty() {
        empty_table_ui(ui, frame, &mut commands);
    } else {
        if hovered || memory.keyboard_here {
            commands.extend(keys_ui(ui, frame));
        }
        rows_ui(ui, frame, &mut memory, &mut commands);
    }
    ui.data_mut(|data| data.insert_temp(memory_id, memory));
    commands
}

/// "1,204 of 1,000,000 events match", a hint, and the copy menu.
fn heading_ui(ui: &mut Ui, frame: &TableFrame<'_>) {
    ui.horizontal(|ui| {
        let shown = frame.rows.len();
        let total = frame.dataset.events.len();
        let noun = if shown == 1 { "event" } else { "events" };
        let count = if frame.filtered {
            format!(
                "{} of {} {noun} match",
                group_thousands(shown as u64),
                group_thousands(total as u64)
            )
        } else {
            format!("{} {noun}", group_thousands(shown as u64))
        };
        ui.strong(count);
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            copy_menu_ui(ui, frame);
            // Cut short when the panel is narrow (the whole hint on hover).
            ui.add(
                egui::Label::new(RichText::new(HINT).weak())
                    .truncate()
                    .selectable(false),
            );
        });
    });
}

/// "Copy rows": all of them (up to [`COPY_LIMIT`]) as CSV or TSV.
fn copy_menu_ui(ui: &mut Ui, frame: &TableFrame<'_>) {
    let count = frame.rows.len();
    ui.add_enabled_ui(count > 0, |ui| {
        ui.menu_button("Copy rows", |ui| {
            let copied = count.min(COPY_LIMIT);
            let what = if copied < count {
                format!("the first {} rows", group_thousands(copied as u64))
            } else if count == 1 {
                "the row".to_owned()
            } else {
                format!("all {} rows", group_thousands(count as u64))
            };
            for separator in [Separator::Comma, Separator::Tab] {
                if ui
                    .button(format!("Copy {what} as {}", separator.name()))
                    .clicked()
                {
                    let rows = frame.rows.iter().take(copied).map(|&row| row as usize);
                    let text = rows_text(frame.dataset, frame.keys, rows, separator);
                    ui.ctx().copy_text(text);
                    ui.close();
                }
            }
            if copied < count {
                ui.weak(format!(
                    "The table has {} rows; Export in the File menu writes them all.",
                    group_thousands(count as u64)
                ));
            }
        });
    });
}

/// Why there is nothing to show, and the way out.
fn empty_table_ui(ui: &mut Ui, frame: &TableFrame<'_>, commands: &mut Vec<Command>) {
    ui.add_space(12.0);
    ui.vertical_centered(|ui| {
        if frame.dataset.events.is_empty() {
            ui.label("This dataset has no events.");
        } else if frame.filtered {
            ui.label("No event matches the filter.");
            if ui.button("Clear the filter").clicked() {
                commands.push(Command::ClearFilter);
            }
        } else {
            ui.label("No events to show.");
        }
    });
}

/// ↑/↓ move the selection through the rows; Ctrl+C copies the selected row.
fn keys_ui(ui: &mut Ui, frame: &TableFrame<'_>) -> Option<Command> {
    let (up, down, copy) = ui.input_mut(|input| {
        let copy = input.events.iter().any(|event| {
            matches!(event, egui::Event::Copy)
                || matches!(event, egui::Event::Key { key: Key::C, pressed: true, modifiers, .. }
                    if modifiers.command_only())
        });
        (
            input.count_and_consume_key(Modifiers::NONE, Key::ArrowUp),
            input.count_and_consume_key(Modifiers::NONE, Key::ArrowDown),
            copy,
        )
    });
    if copy && let Some(selected) = frame.selected {
        let text = rows_text(frame.dataset, frame.keys, [selected], Separator::Tab);
        ui.ctx().copy_text(text);
    }
    if up == down {
        return None;
    }
    let position = frame
        .selected
        .and_then(|selected| position_of(frame.rows, selected));
    let next = match position {
        Some(position) if down > up => position.saturating_add(down - up),
        Some(position) => position.saturating_sub(up - down),
        None => 0,
    };
    let last = frame.rows.len().checked_sub(1)?;
    let row = frame.rows.get(next.min(last))?;
    let row = *row as usize;
    (frame.selected != Some(row)).then_some(Command::Select(Some(row)))
}

/// Where `event` is among `rows` (a scan: only when the selection moves or changes).
fn position_of(rows: &[u32], event: EventIndex) -> Option<usize> {
    let event = u32::try_from(event).ok()?;
    rows.iter().position(|&row| row == event)
}

/// The header and the rows on screen.
fn rows_ui(ui: &mut Ui, frame: &TableFrame<'_>, memory: &mut TableMemory, out: &mut Vec<Command>) {
    let mut builder = TableBuilder::new(ui)
        .id_salt("event-table")
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .auto_shrink(false)
        .min_scrolled_height(0.0)
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::initial(130.0).at_least(60.0).clip(true))
        .column(Column::initial(340.0).at_least(80.0).clip(true))
        .column(Column::initial(150.0).at_least(60.0).clip(true))
        .column(Column::initial(170.0).at_least(60.0).clip(true))
        .column(Column::initial(130.0).at_least(60.0).clip(true))
        .column(Column::remainder().at_least(80.0).clip(true));
    let now = ScrolledTo {
        selected: frame.selected,
        sort: frame.sort,
        rows: frame.rows.len(),
        keys: frame.keys.id(),
    };
    if memory.scrolled_to != Some(now) {
        memory.scrolled_to = Some(now);
        let position = frame
            .selected
            .and_then(|selected| position_of(frame.rows, selected));
        if let Some(position) = position {
            builder = builder.scroll_to_row(position, None);
        }
    }
    let table = builder.header(ROW_HEIGHT + 4.0, |mut header| {
        for column in TableColumn::ALL {
            header.col(|ui| header_cell_ui(ui, frame, column, out));
        }
    });
    table.body(|body| {
        body.rows(ROW_HEIGHT, frame.rows.len(), |row| {
            let clicked = row_ui(row, frame, &mut memory.details, out);
            memory.keyboard_here |= clicked;
        });
    });
}

/// A column's heading: a click sorts by it (again: the other way); a triangle marks the sorted
/// one (drawn: the default fonts have no arrows), and its name says so to screen readers.
fn header_cell_ui(
    ui: &mut Ui,
    frame: &TableFrame<'_>,
    column: TableColumn,
    out: &mut Vec<Command>,
) {
    let sorted = frame.sort.column == column;
    let descending = sorted && frame.sort.descending;
    let name = match (sorted, descending) {
        (false, _) => column.label().to_owned(),
        (true, false) => format!("{}, sorted ascending", column.label()),
        (true, true) => format!("{}, sorted descending", column.label()),
    };
    let mut tooltip = format!("Sort by {}", column.label().to_lowercase());
    if sorted {
        tooltip.push_str(" (click again for the other way)");
    }
    let unread = frame.keys.unread().unwrap_or("the details were not read");
    if column == TableColumn::Place && frame.keys.place_order() == PlaceOrder::NamedPlaces {
        tooltip.push_str(&format!(
            "\nSorts by the dataset's named places only: {unread}"
        ));
    }
    if column == TableColumn::Actors && !frame.keys.actors_sorted() {
        tooltip.push_str(&format!("\nDoes not sort (keeps time order): {unread}"));
    }
    let button = egui::Button::new(RichText::new(column.label()).strong()).frame(false);
    let response = ui.add(button);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, ui.is_enabled(), &name));
    if sorted {
        sort_mark_ui(ui, descending);
    }
    if response.on_hover_text(tooltip).clicked() {
        out.push(Command::SortTable(TableSort {
            column,
            descending: sorted && !frame.sort.descending,
        }));
    }
}

/// ▲ (ascending) or ▼ (descending), painted.
fn sort_mark_ui(ui: &mut Ui, descending: bool) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), Sense::hover());
    let rect = rect.shrink(1.5);
    let (tip, base) = if descending {
        (rect.center_bottom(), [rect.left_top(), rect.right_top()])
    } else {
        (rect.center_top(), [rect.right_bottom(), rect.left_bottom()])
    };
    let color = ui.visuals().strong_text_color();
    ui.painter().add(egui::Shape::convex_polygon(
        vec![tip, base[0], base[1]],
        color,
        egui::Stroke::NONE,
    ));
}

/// One row's cells; returns whether it was clicked.
fn row_ui(
    mut row: TableRow<'_, '_>,
    frame: &TableFrame<'_>,
    details: &mut DetailCache,
    out: &mut Vec<Command>,
) -> bool {
    let Some(&event_row) = frame.rows.get(row.index()) else {
        return false;
    };
    let index = event_row as usize;
    let Some(event) = frame.dataset.events.get(index) else {
        return false;
    };
    row.set_selected(frame.selected == Some(index));
    let shown = details.get(frame.dataset, index);
    row.col(|ui| date_cell_ui(ui, event));
    row.col(|ui| title_cell_ui(ui, event.title(), frame.query));
    row.col(|ui| category_cell_ui(ui, frame.dataset, event.category));
    row.col(|ui| place_cell_ui(ui, event, shown));
    // Keys of another dataset (a reload whose keys are still being built) name no region.
    let region = (frame.keys.len() == frame.dataset.events.len())
        .then(|| frame.keys.region_name(index))
        .flatten();
    row.col(|ui| text_cell_ui(ui, region.unwrap_or_default()));
    row.col(|ui| text_cell_ui(ui, &shown.actors));
    let response = row.response();
    if response.double_clicked() {
        out.push(Command::Focus(index));
    } else if response.clicked() {
        out.push(Command::Select(Some(index)));
    }
    response.clicked() || response.double_clicked()
}

/// Text in a cell: one line, cut short with "…" (the whole text on hover); not selectable, so
/// a click on it is the row's.
fn text_cell_ui(ui: &mut Ui, text: impl Into<egui::WidgetText>) {
    ui.add(egui::Label::new(text).truncate().selectable(false));
}

/// The date as the source writes it (with its `~` or `?`); what it leaves unknown, in words,
/// on hover.
fn date_cell_ui(ui: &mut Ui, event: &Event) {
    if event.is_undated() {
        text_cell_ui(ui, RichText::new("no date").weak());
        return;
    }
    let response = ui.add(
        egui::Label::new(event.when_text())
            .truncate()
            .selectable(false),
    );
    if !event.certainty.is_certain() {
        // Worded only while hovered: parsing the date again is cheap but not free.
        response.on_hover_ui(|ui| {
            ui.label(date_words(event));
        });
    }
}

/// The date in words with what it leaves unknown: "about 15 March 2024 — the date is
/// approximate".
fn date_words(event: &Event) -> String {
    let words = event.when_words();
    match event.when().as_ref().and_then(crate::model::When::caveat) {
        Some(caveat) => format!("{words} — {caveat}"),
        None => words,
    }
}

/// The title, with the words searched for highlighted.
fn title_cell_ui(ui: &mut Ui, title: &str, query: &str) {
    let found = highlights(title, query);
    if found.is_empty() {
        text_cell_ui(ui, title);
        return;
    }
    let plain = TextFormat {
        font_id: egui::TextStyle::Body.resolve(ui.style()),
        // Filled in with the row's text colour (stronger on the selected row).
        color: Color32::PLACEHOLDER,
        ..TextFormat::default()
    };
    let marked = TextFormat {
        background: match_highlight(ui.visuals()),
        ..plain.clone()
    };
    let mut job = LayoutJob::default();
    let mut at = 0;
    for range in found {
        job.append(
            title.get(at..range.start).unwrap_or_default(),
            0.0,
            plain.clone(),
        );
        job.append(
            title.get(range.clone()).unwrap_or_default(),
            0.0,
            marked.clone(),
        );
        at = range.end;
    }
    job.append(title.get(at..).unwrap_or_default(), 0.0, plain);
    text_cell_ui(ui, job);
}

/// The category's colour and label.
fn category_cell_ui(ui: &mut Ui, dataset: &Dataset, category: Option<usize>) {
    let (swatch, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), Sense::hover());
    ui.painter()
        .rect_filled(swatch, 2.0, category_color(dataset, category));
    text_cell_ui(ui, category_label(dataset, category));
}

/// The place's name; its coordinates (dimmed) when it has none.
fn place_cell_ui(ui: &mut Ui, event: &Event, details: &RowDetails) {
    if let Some(problem) = &details.problem {
        ui.add(
            egui::Label::new(RichText::new("details unreadable").weak())
                .selectable(false)
                .truncate(),
        )
        .on_hover_text(problem);
        return;
    }
    match place_text(&event.location, details.place_name.as_deref()) {
        Some((text, true)) => text_cell_ui(ui, text),
        Some((text, false)) => text_cell_ui(ui, RichText::new(text).weak()),
        None => {}
    }
}

/// The place in a few words: its name (`true`), or its coordinates (`false`).
fn place_text(location: &Location, name: Option<&str>) -> Option<(String, bool)> {
    if let Some(name) = name {
        return Some((name.to_owned(), true));
    }
    let at = location.point()?;
    let ns = if at.lat >= 0.0 { 'N' } else { 'S' };
    let ew = if at.lon >= 0.0 { 'E' } else { 'W' };
    Some((
        format!("{:.3}° {ns}, {:.3}° {ew}", at.lat.abs(), at.lon.abs()),
        false,
    ))
}

/// What the table shows of an event's details.
#[derive(Clone, Default)]
struct RowDetails {
    place_name: Option<String>,
    /// "first, second, …".
    actors: String,
    /// Why the details could not be read.
    problem: Option<String>,
}

impl RowDetails {
    fn of(details: Result<EventDetails, String>) -> Self {
        match details {
            Ok(details) => Self {
                place_name: details.place_name,
                actors: details.actors.join(", "),
                problem: None,
            },
            Err(problem) => Self {
                problem: Some(problem),
                ..Self::default()
            },
        }
    }
}

/// The details of the rows lately on screen: each is read once as it scrolls into view (from
/// the file, for big files), not every frame.
#[derive(Clone, Default)]
struct DetailCache {
    /// Whose details these are: the sort keys' id and the events' address.
    dataset: (u64, usize),
    frame: u64,
    rows: HashMap<EventIndex, (u64, RowDetails)>,
}

impl DetailCache {
    fn start_frame(&mut self, dataset: (u64, usize)) {
        if self.dataset != dataset {
            self.dataset = dataset;
            self.rows.clear();
        }
        self.frame += 1;
        if self.rows.len() > CACHED_ROWS {
            let recent = self.frame.saturating_sub(2);
            self.rows.retain(|_, (used, _)| *used >= recent);
        }
    }

    fn get(&mut self, dataset: &Dataset, index: EventIndex) -> &RowDetails {
        let frame = self.frame;
        let entry = self
            .rows
            .entry(index)
            .or_insert_with(|| (frame, RowDetails::of(dataset.details(index))));
        entry.0 = frame;
        &entry.1
    }
}

/// How copied rows separate their cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Separator {
    Comma,
    Tab,
}

impl Separator {
    fn name(self) -> &'static str {
        match self {
            Separator::Comma => "CSV",
            Separator::Tab => "TSV",
        }
    }

    fn char(self) -> char {
        match self {
            Separator::Comma => ',',
            Separator::Tab => '\t',
        }
    }
}

/// The header and `rows` as CSV or TSV text for a spreadsheet: the table's columns, a cell
/// quoted when it holds the separator, a quote or a line break (quotes doubled).
fn rows_text(
    dataset: &Dataset,
    keys: &SortKeys,
    rows: impl IntoIterator<Item = EventIndex>,
    separator: Separator,
) -> String {
    let mut text = String::new();
    let header = TableColumn::ALL.map(TableColumn::label);
    push_line(&mut text, header.iter().copied(), separator);
    // Many rows: the details' file is read once, not once a row.
    let rows: Vec<EventIndex> = rows.into_iter().collect();
    let all = (rows.len() > 64)
        .then(|| dataset.all_details())
        .and_then(Result::ok);
    for index in rows {
        let Some(event) = dataset.events.get(index) else {
            continue;
        };
        let details = match &all {
            Some(all) => all.get(index),
            None => dataset.details(index),
        };
        let details = RowDetails::of(details);
        let place = place_text(&event.location, details.place_name.as_deref());
        let date = if event.is_undated() {
            ""
        } else {
            event.when_text()
        };
        let cells = [
            date,
            event.title(),
            category_label(dataset, event.category),
            place.as_ref().map_or("", |(text, _)| text.as_str()),
            keys.region_name(index).unwrap_or_default(),
            &details.actors,
        ];
        push_line(&mut text, cells.iter().copied(), separator);
    }
    text
}

fn push_line<'a>(text: &mut String, cells: impl Iterator<Item = &'a str>, separator: Separator) {
    for (at, cell) in cells.enumerate() {
        if at > 0 {
            text.push(separator.char());
        }
        text.push_str(&quoted(cell, separator));
    }
    text.push('\n');
}

/// A cell as CSV/TSV: in quotes (quotes doubled) when it holds the separator, a quote or a
/// line break; as it is otherwise.
fn quoted(cell: &str, separator: Separator) -> Cow<'_, str> {
    let needs_quotes = cell
        .chars()
        .any(|c| c == separator.char() || matches!(c, '"' | '\n' | '\r'));
    if needs_quotes {
        Cow::Owned(format!("\"{}\"", cell.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Where the words of `query` are in `text`, as byte ranges of `text`, in order and merged.
/// Compared as the filter compares (folded: case and Latin accents aside).
// The search module's `highlights` is not on this branch yet; this one does the same.
fn highlights(text: &str, query: &str) -> Vec<Range<usize>> {
    let words: Vec<Vec<char>> = fold(query)
        .split_whitespace()
        .map(|word| word.chars().collect())
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    // Each folded character, with the bytes of the character of `text` it comes from.
    let mut folded: Vec<(char, Range<usize>)> = Vec::new();
    let mut buffer = [0; 4];
    for (start, c) in text.char_indices() {
        let bytes = start..start + c.len_utf8();
        for f in fold(c.encode_utf8(&mut buffer)).chars() {
            folded.push((f, bytes.clone()));
        }
    }
    let mut found: Vec<Range<usize>> = Vec::new();
    for word in &words {
        for start in 0..folded.len() {
            let Some(window) = folded.get(start..start + word.len()) else {
                break;
            };
            if window.iter().map(|(c, _)| c).eq(word.iter()) {
                let (Some(first), Some(last)) = (window.first(), window.last()) else {
                    continue;
                };
                found.push(first.1.start..last.1.end);
            }
        }
    }
    found.sort_by_key(|range| range.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in found {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_find_every_word_folded() {
        let title = "Attack on Crocus City Hall, Krasnogórsk";
        assert_eq!(highlights(title, ""), Vec::<Range<usize>>::new());
        assert_eq!(highlights(title, "crocus"), vec![10..16]);
        // Accents and case aside; ranges are bytes of the title ("ó" is two).
        let found = highlights(title, "KRASNOGORSK hall");
        assert_eq!(found, [22..26, 28..40]);
        assert_eq!(title.get(28..40), Some("Krasnogórsk"));
        // Overlapping words merge; every occurrence counts.
        assert_eq!(highlights("aaa", "aa"), vec![0..3]);
        assert_eq!(highlights("a b a", "a"), [0..1, 4..5]);
        assert_eq!(highlights("Москва", "москв"), vec![0..10]);
    }

    #[test]
    fn cells_are_quoted_for_spreadsheets() {
        assert_eq!(quoted("plain", Separator::Tab), "plain");
        assert_eq!(quoted("a, b", Separator::Tab), "a, b");
        assert_eq!(quoted("a, b", Separator::Comma), "\"a, b\"");
        assert_eq!(quoted("a\tb", Separator::Tab), "\"a\tb\"");
        assert_eq!(quoted("a\tb", Separator::Comma), "a\tb");
        assert_eq!(quoted("say \"hi\"", Separator::Comma), "\"say \"\"hi\"\"\"");
        assert_eq!(quoted("two\nlines", Separator::Tab), "\"two\nlines\"");
        assert_eq!(quoted("cr\r", Separator::Comma), "\"cr\r\"");
    }

    #[test]
    fn rows_as_csv_and_tsv() {
        use crate::model::order::EventLabels;
        let loaded = crate::builtin::crocus_dataset().unwrap();
        let dataset = loaded.dataset;
        let keys = SortKeys::new(&dataset, EventLabels::region_codes(&dataset), None, None);
        let crocus = dataset.find("crocus-attack").unwrap();
        let tsv = rows_text(&dataset, &keys, [crocus], Separator::Tab);
        let lines: Vec<&str> = tsv.lines().collect();
        assert_eq!(
            lines.first(),
            Some(&"Date\tTitle\tCategory\tPlace\tRegion\tActors")
        );
        let cells: Vec<&str> = lines.get(1).unwrap().split('\t').collect();
        assert_eq!(cells.len(), 6, "{cells:?}");
        assert_eq!(cells[0], "2024-03-22");
        assert_eq!(cells[1], "Attack on Crocus City Hall");
        assert!(cells[3].starts_with("Crocus City Hall"), "{}", cells[3]);
        assert_eq!(cells[4], "RU-MOS");
        assert_eq!(lines.len(), 2);
        // CSV: a cell with a comma is quoted, so every line still has six cells.
        let all: Vec<EventIndex> = (0..dataset.events.len()).collect();
        let csv = rows_text(&dataset, &keys, all, Separator::Comma);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), dataset.events.len());
        assert!(records.iter().all(|record| record.len() == 6));
        let crocus_record = records.get(crocus).unwrap();
        assert!(
            crocus_record.get(3).unwrap().contains(", "),
            "{crocus_record:?}"
        );
    }
}
