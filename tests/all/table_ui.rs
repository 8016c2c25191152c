//! The event table on its own, in a kittest harness over a tiny state that applies what the
//! table returns the way the app does: selection, focus, sorting.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::command::Command;
use event_atlas::model::order::{EventLabels, SortKeys, sort_rows};
use event_atlas::model::{Dataset, EventIndex};
use event_atlas::state::{TableColumn, TableSort};
use event_atlas::ui::table::{TableFrame, event_table_ui};

const CROCUS: &str = "Attack on Crocus City Hall";
/// The table's height in the 500-point-high harness: what is below is outside it.
const TABLE_HEIGHT: f32 = 420.0;
/// A point below the table.
const OUTSIDE: egui::Pos2 = egui::pos2(600.0, 480.0);

/// What the app keeps for the table, and what the table asked for.
struct TableState {
    dataset: Dataset,
    keys: SortKeys,
    rows: Vec<u32>,
    sort: TableSort,
    selected: Option<EventIndex>,
    query: String,
    filtered: bool,
    focused: Vec<EventIndex>,
    cleared: bool,
}

impl TableState {
    fn new(dataset: Dataset) -> Self {
        let keys = SortKeys::new(&dataset, EventLabels::region_codes(&dataset), None, None);
        let rows = (0..dataset.events.len() as u32).collect();
        Self {
            dataset,
            keys,
            rows,
            sort: TableSort::default(),
            selected: None,
            query: String::new(),
            filtered: false,
            focused: Vec::new(),
            cleared: false,
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui) {
        let frame = TableFrame {
            dataset: &self.dataset,
            rows: &self.rows,
            sort: self.sort,
            selected: self.selected,
            query: &self.query,
            keys: &self.keys,
            filtered: self.filtered,
        };
        // The table above a strip of something else (as the app has the timeline below it).
        let size = egui::vec2(ui.available_width(), TABLE_HEIGHT);
        let commands = ui.allocate_ui(size, |ui| event_table_ui(ui, &frame)).inner;
        for command in commands {
            self.apply(command);
        }
    }

    fn apply(&mut self, command: Command) {
        match command {
            Command::Select(selected) => self.selected = selected,
            Command::Focus(index) => {
                self.selected = Some(index);
                self.focused.push(index);
            }
            Command::SortTable(sort) => {
                self.sort = sort;
                self.rows = (0..self.dataset.events.len() as u32).collect();
                sort_rows(
                    &mut self.rows,
                    sort.column.into(),
                    sort.descending,
                    &self.keys,
                );
            }
            Command::ClearFilter => self.cleared = true,
            other => panic!("the table asked for {other:?}"),
        }
    }

    fn titles(&self) -> Vec<&str> {
        self.rows
            .iter()
            .map(|&row| self.dataset.events[row as usize].title())
            .collect()
    }
}

fn harness_over(dataset: Dataset) -> Harness<'static, TableState> {
    harness_stepping(dataset, 0.25)
}

/// A harness whose frames are `step` seconds apart (each queued event gets a frame of its own,
/// so two clicks make a double-click only when frames are short).
fn harness_stepping(dataset: Dataset, step: f32) -> Harness<'static, TableState> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1300.0, 500.0))
        .with_step_dt(step)
        .build_ui_state(
            |ui, state: &mut TableState| state.ui(ui),
            TableState::new(dataset),
        );
    harness.run();
    harness
}

fn crocus_harness() -> Harness<'static, TableState> {
    harness_over(event_atlas::builtin::crocus_dataset().unwrap().dataset)
}

fn crocus_index(harness: &Harness<'_, TableState>) -> EventIndex {
    harness.state().dataset.find("crocus-attack").unwrap()
}

/// The text put on the clipboard while `events` are handled, a frame each (a frame's output
/// is all the harness keeps, so they are stepped through one by one).
fn copied_after(
    harness: &mut Harness<'_, TableState>,
    events: impl IntoIterator<Item = egui::Event>,
) -> Option<String> {
    let mut copied = None;
    for event in events {
        harness.event(event);
        harness.step();
        let text =
            harness
                .output()
                .platform_output
                .commands
                .iter()
                .find_map(|command| match command {
                    egui::OutputCommand::CopyText(text) => Some(text.clone()),
                    _ => None,
                });
        copied = copied.or(text);
    }
    copied
}

/// Ctrl+C as the keys come, for integrations that pass them on as keys.
fn ctrl_c_keys() -> Vec<egui::Event> {
    let key = |pressed| egui::Event::Key {
        key: Key::C,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    };
    vec![
        egui::Event::ModifiersChanged(Modifiers::COMMAND),
        key(true),
        key(false),
        egui::Event::ModifiersChanged(Modifiers::NONE),
    ]
}

#[test]
fn shows_every_event_with_its_date_category_place_and_region() {
    let harness = crocus_harness();
    harness.get_by_label("14 events");
    // Sorted by date at first, and marked so.
    harness.get_by_role_and_label(Role::Button, "Date, sorted ascending");
    for column in &TableColumn::ALL[1..] {
        harness.get_by_role_and_label(Role::Button, column.label());
    }
    harness.get_by_label(CROCUS);
    harness.get_by_label("2024-03-19");
    harness.get_by_label("../2024-03-07");
    assert!(
        harness
            .query_all_by_label_contains("Crocus City Hall, Krasnogorsk")
            .next()
            .is_some()
    );
    assert!(harness.query_all_by_label("RU-MOS").next().is_some());
}

#[test]
fn clicking_a_row_selects_it_and_a_double_click_focuses_it() {
    let dataset = event_atlas::builtin::crocus_dataset().unwrap().dataset;
    let mut harness = harness_stepping(dataset, 0.02);
    let crocus = crocus_index(&harness);
    harness.get_by_label(CROCUS).click();
    harness.run();
    assert_eq!(harness.state().selected, Some(crocus));
    assert!(harness.state().focused.is_empty());
    // Two clicks in a row: the second is a double-click.
    let title = harness.get_by_label(CROCUS);
    title.click();
    title.click();
    harness.run();
    assert_eq!(harness.state().focused, [crocus]);
    // Another row's date cell selects that row.
    harness.get_by_label("2024-03-07").click();
    harness.run();
    let selected = harness.state().selected.unwrap();
    assert_eq!(
        harness.state().dataset.events[selected].when_text(),
        "2024-03-07"
    );
}

#[test]
fn the_title_header_sorts_by_title_then_the_other_way() {
    let mut harness = crocus_harness();
    let by_time: Vec<String> = harness
        .state()
        .titles()
        .iter()
        .map(|t| t.to_string())
        .collect();
    harness.get_by_role_and_label(Role::Button, "Title").click();
    harness.run();
    let state = harness.state();
    assert_eq!(
        state.sort,
        TableSort {
            column: TableColumn::Title,
            descending: false
        }
    );
    let mut expected: Vec<String> = by_time.clone();
    expected.sort_by_key(|title| title.to_lowercase());
    assert_eq!(state.titles(), expected);
    // Marked, and a second click flips it.
    harness
        .get_by_role_and_label(Role::Button, "Title, sorted ascending")
        .click();
    harness.run();
    assert!(harness.state().sort.descending);
    harness.get_by_role_and_label(Role::Button, "Title, sorted descending");
    expected.reverse();
    assert_eq!(harness.state().titles(), expected);
    // Back to the date: time order again.
    harness.get_by_role_and_label(Role::Button, "Date").click();
    harness.run();
    assert_eq!(harness.state().titles(), by_time);
}

#[test]
fn arrow_keys_move_the_selection_through_the_rows() {
    let mut harness = crocus_harness();
    harness.get_by_role_and_label(Role::Button, "Title").click();
    harness.run();
    let rows = harness.state().rows.clone();
    let row = |n: usize| Some(rows[n] as usize);
    // With nothing selected, ↓ selects the first row (the pointer is over the table).
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().selected, row(0));
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().selected, row(2));
    harness.key_press(Key::ArrowUp);
    harness.run();
    assert_eq!(harness.state().selected, row(1));
    // At the ends the selection stays.
    harness.key_press(Key::ArrowUp);
    harness.key_press(Key::ArrowUp);
    harness.run();
    assert_eq!(harness.state().selected, row(0));
}

#[test]
fn ctrl_c_copies_the_selected_row_as_tsv() {
    let mut harness = crocus_harness();
    harness.get_by_label(CROCUS).click();
    harness.run();
    // What the window's integration sends for Ctrl+C.
    let text = copied_after(&mut harness, [egui::Event::Copy]).expect("Ctrl+C copies the row");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("Date\tTitle\tCategory\tPlace\tRegion\tActors")
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("2024-03-22\tAttack on Crocus City Hall\t"),
        "{row}"
    );
    assert_eq!(lines.next(), None);
    // The key itself (integrations that pass it on) does the same.
    assert_eq!(copied_after(&mut harness, ctrl_c_keys()), Some(text));
    // Not when the pointer is elsewhere and nothing in the table was clicked since.
    harness.hover_at(OUTSIDE);
    harness.event(egui::Event::PointerButton {
        pos: OUTSIDE,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.run();
    assert_eq!(copied_after(&mut harness, [egui::Event::Copy]), None);
}

#[test]
fn copy_rows_copies_every_row_as_csv() {
    let mut harness = crocus_harness();
    harness.get_by_label("Copy rows").click();
    harness.run();
    let item = harness.get_by_label("Copy all 14 rows as CSV");
    let center = item.rect().center();
    let press = |pressed| egui::Event::PointerButton {
        pos: center,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    let clicks = [egui::Event::PointerMoved(center), press(true), press(false)];
    let text = copied_after(&mut harness, clicks).expect("the menu copies the rows");
    assert_eq!(
        text.lines().next(),
        Some("Date,Title,Category,Place,Region,Actors")
    );
    let records = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .count();
    assert_eq!(records, 14);
}

#[test]
fn search_words_are_highlighted_and_the_title_still_selects() {
    let mut harness = crocus_harness();
    harness.state_mut().query = "crocus".to_owned();
    harness.run();
    // Laid out in parts, read as one label.
    harness.get_by_label(CROCUS).click();
    harness.run();
    assert_eq!(harness.state().selected, Some(crocus_index(&harness)));
}

#[test]
fn an_empty_table_says_why() {
    let mut harness = crocus_harness();
    harness.state_mut().rows.clear();
    harness.state_mut().filtered = true;
    harness.run();
    harness.get_by_label("0 of 14 events match");
    harness.get_by_label("No event matches the filter.");
    harness
        .get_by_role_and_label(Role::Button, "Clear the filter")
        .click();
    harness.run();
    assert!(harness.state().cleared);
}

/// A dataset of `count` events with titles of their own, a day apart.
fn numbered(count: usize) -> Dataset {
    let events: Vec<String> = (0..count)
        .map(|i| {
            let day = 1 + i % 28;
            let month = 1 + (i / 28) % 12;
            let year = 2000 + i / (28 * 12);
            format!(
                r#"{{"id": "e{i}", "title": "Event number {i}", "when": "{year}-{month:02}-{day:02}"}}"#
            )
        })
        .collect();
    let json = format!(
        r#"{{"title": "Numbered", "events": [{}]}}"#,
        events.join(",")
    );
    event_atlas::io::parse_dataset(json.as_bytes(), "numbered.json")
        .unwrap()
        .dataset
}

#[test]
fn only_visible_rows_are_built_and_a_selection_from_elsewhere_scrolls_into_view() {
    let mut harness = harness_over(numbered(5000));
    harness.hover_at(egui::pos2(600.0, 200.0));
    harness.get_by_label("5000 events");
    assert!(harness.query_by_label("Event number 0").is_some());
    // Only a screenful of rows exists.
    assert!(harness.query_by_label("Event number 100").is_none());
    assert!(harness.query_by_label("Event number 3000").is_none());
    // Selected on the map, say: the table scrolls to it.
    let far = harness.state().dataset.find("e3000").unwrap();
    harness.state_mut().selected = Some(far);
    harness.run();
    harness.get_by_label("Event number 3000");
    assert!(harness.query_by_label("Event number 0").is_none());
    // ↓ from there, and the next row comes into view as the selection moves.
    for _ in 0..40 {
        harness.key_press(Key::ArrowDown);
        harness.run();
    }
    let selected = harness.state().selected.unwrap();
    assert_eq!(harness.state().dataset.events[selected].id(), "e3040");
    harness.get_by_label("Event number 3040");
}
