//! The import dialog: a table whose date or place columns were not recognised by name shows its
//! first rows, and the user picks which column is the date, the latitude, the longitude, the
//! title and the category (the same choices as `--time`, `--lat`… on the command line).

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::command::{ColumnRole, Command, ImportCommand};
use crate::io::{ImportOptions, TablePreview};

/// The dialog's state: the file, what is missing, its first rows and the choices so far.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportDialog {
    pub path: PathBuf,
    pub message: String,
    pub preview: TablePreview,
    pub choice: ImportOptions,
}

impl ImportDialog {
    /// A dialog for `path`, starting from the choices already made (`previous`).
    pub fn new(
        path: PathBuf,
        message: String,
        preview: TablePreview,
        previous: ImportOptions,
    ) -> Self {
        let mut choice = previous;
        if choice.sheet.is_none() {
            choice.sheet.clone_from(&preview.sheet);
        }
        if choice.time.is_none() {
            choice.time = date_column(&preview);
        }
        Self {
            path,
            message,
            preview,
            choice,
        }
    }

    /// Records a choice (`Open`, `Cancel` and `Sheet` are the app's to carry out).
    pub fn choose(&mut self, role: ColumnRole, column: Option<String>) {
        *role.slot(&mut self.choice) = column;
    }

    /// Why the file cannot be opened with the choices so far, if it cannot.
    pub fn missing(&self) -> Option<&'static str> {
        if self.choice.time.is_none() {
            return Some("Choose the column that holds the dates.");
        }
        if self.choice.lat.is_some() != self.choice.lon.is_some() {
            return Some("Choose both the latitude and the longitude column, or neither.");
        }
        None
    }

    /// The same choice on the command line, e.g. `--time "Date" --lat "Y" --lon "X"`.
    pub fn command_line(&self) -> String {
        let mut words = Vec::new();
        for role in ColumnRole::ALL {
            if let Some(column) = role.chosen(&self.choice) {
                words.push(format!("{} {}", role.option(), quoted(column)));
            }
        }
        if let Some(sheet) = &self.choice.sheet
            && self.preview.sheets.len() > 1
        {
            words.push(format!("--sheet {}", quoted(sheet)));
        }
        words.join(" ")
    }
}

/// The first column whose every filled cell in the preview reads as a date: a suggestion the
/// user confirms (or changes) before opening.
fn date_column(preview: &TablePreview) -> Option<String> {
    preview
        .columns
        .iter()
        .enumerate()
        .find(|&(i, _)| {
            let mut cells = preview
                .rows
                .iter()
                .filter_map(|row| row.get(i))
                .filter(|cell| !cell.trim().is_empty())
                .peekable();
            cells.peek().is_some() && cells.all(|cell| crate::io::looks_like_date(cell))
        })
        .map(|(_, column)| column.clone())
}

fn quoted(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    {
        word.to_owned()
    } else {
        format!("\"{}\"", word.replace('"', "\\\""))
    }
}

/// The dialog window; returns what the user did.
pub fn import_dialog_ui(ctx: &egui::Context, dialog: &ImportDialog) -> Vec<Command> {
    let mut commands = Vec::new();
    let file = dialog.path.file_name().map_or_else(
        || dialog.path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    egui::Window::new(format!("Choose the columns of {file}"))
        .id(egui::Id::unique("import-dialog"))
        .collapsible(false)
        .resizable(true)
        .default_width(760.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.add(egui::Label::new(&dialog.message).wrap());
            ui.add_space(6.0);
            sheet_ui(ui, dialog, &mut commands);
            roles_ui(ui, dialog, &mut commands);
            ui.add_space(6.0);
            preview_ui(ui, dialog);
            ui.add_space(6.0);
            buttons_ui(ui, dialog, &mut commands);
        });
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        commands.push(Command::Import(ImportCommand::Cancel));
    }
    commands
}

fn sheet_ui(ui: &mut Ui, dialog: &ImportDialog, commands: &mut Vec<Command>) {
    if dialog.preview.sheets.len() < 2 {
        return;
    }
    ui.horizontal(|ui| {
        ui.label("Sheet");
        let shown = dialog.preview.sheet.clone().unwrap_or_default();
        egui::ComboBox::from_id_salt("import-sheet")
            .selected_text(&shown)
            .show_ui(ui, |ui| {
                for sheet in &dialog.preview.sheets {
                    if ui.selectable_label(*sheet == shown, sheet).clicked() && *sheet != shown {
                        commands.push(Command::Import(ImportCommand::Sheet(sheet.clone())));
                    }
                }
            })
            .response
            .on_hover_text("The sheet of the workbook to read");
    });
}

fn roles_ui(ui: &mut Ui, dialog: &ImportDialog, commands: &mut Vec<Command>) {
    egui::Grid::new("import-roles")
        .num_columns(4)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for (i, role) in ColumnRole::ALL.into_iter().enumerate() {
                ui.label(role.label()).on_hover_text(role.tooltip());
                let chosen = role.chosen(&dialog.choice);
                egui::ComboBox::from_id_salt(("import-role", role.label()))
                    .selected_text(chosen.unwrap_or("—"))
                    .width(180.0)
                    .show_ui(ui, |ui| {
                        if ui.selectable_label(chosen.is_none(), "—").clicked() && chosen.is_some()
                        {
                            commands.push(Command::Import(ImportCommand::Choose(role, None)));
                        }
                        for column in &dialog.preview.columns {
                            let is_chosen = chosen == Some(column.as_str());
                            if ui.selectable_label(is_chosen, column).clicked() && !is_chosen {
                                commands.push(Command::Import(ImportCommand::Choose(
                                    role,
                                    Some(column.clone()),
                                )));
                            }
                        }
                    })
                    .response
                    .on_hover_text(role.tooltip());
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
}

/// The first rows, with the chosen columns' roles above their names.
fn preview_ui(ui: &mut Ui, dialog: &ImportDialog) {
    ui.label(RichText::new(format!("The first {} rows", dialog.preview.rows.len())).strong());
    egui::ScrollArea::both()
        .max_height(220.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("import-preview")
                .striped(true)
                .spacing([14.0, 3.0])
                .show(ui, |ui| {
                    for column in &dialog.preview.columns {
                        let roles: Vec<&str> = ColumnRole::ALL
                            .into_iter()
                            .filter(|role| role.chosen(&dialog.choice) == Some(column.as_str()))
                            .map(ColumnRole::label)
                            .collect();
                        ui.vertical(|ui| {
                            ui.label(RichText::new(column).strong());
                            if !roles.is_empty() {
                                ui.label(
                                    RichText::new(roles.join(", "))
                                        .small()
                                        .color(ui.visuals().selection.stroke.color),
                                );
                            }
                        });
                    }
                    ui.end_row();
                    for row in &dialog.preview.rows {
                        for cell in row {
                            let short: String = cell.chars().take(40).collect();
                            let label = ui.label(&short);
                            if short.len() < cell.len() {
                                label.on_hover_text(cell);
                            }
                        }
                        ui.end_row();
                    }
                });
        });
}

fn buttons_ui(ui: &mut Ui, dialog: &ImportDialog, commands: &mut Vec<Command>) {
    let missing = dialog.missing();
    if let Some(missing) = missing {
        ui.colored_label(ui.visuals().warn_fg_color, missing);
    } else {
        ui.weak(format!("On the command line: {}", dialog.command_line()));
    }
    ui.horizontal(|ui| {
        let open = ui
            .add_enabled(missing.is_none(), egui::Button::new("Open"))
            .on_hover_text("Open the file with these columns")
            .on_disabled_hover_text(missing.unwrap_or_default());
        if open.clicked() {
            commands.push(Command::Import(ImportCommand::Open));
        }
        if ui
            .button("Cancel")
            .on_hover_text("Keep the data shown now (Esc)")
            .clicked()
        {
            commands.push(Command::Import(ImportCommand::Cancel));
        }
    });
    if missing.is_none() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        commands.push(Command::Import(ImportCommand::Open));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialog() -> ImportDialog {
        ImportDialog::new(
            PathBuf::from("odd.csv"),
            "no date column".to_owned(),
            TablePreview {
                columns: vec!["Wann".into(), "Breite".into(), "Länge".into(), "Was".into()],
                rows: vec![vec![
                    "2024-03-22".into(),
                    "55.8".into(),
                    "37.4".into(),
                    "x".into(),
                ]],
                ..TablePreview::default()
            },
            ImportOptions::default(),
        )
    }

    #[test]
    fn a_column_of_dates_is_suggested_for_the_date() {
        assert_eq!(dialog().choice.time.as_deref(), Some("Wann"));
        let numbers = ImportDialog::new(
            PathBuf::from("n.csv"),
            String::new(),
            TablePreview {
                columns: vec!["a".into(), "b".into()],
                rows: vec![
                    vec!["55.8".into(), "x".into()],
                    vec!["1711137480".into(), "y".into()],
                ],
                ..TablePreview::default()
            },
            ImportOptions::default(),
        );
        assert_eq!(
            numbers.choice.time, None,
            "numbers are not suggested as dates"
        );
    }

    #[test]
    fn the_dialog_needs_a_date_and_both_coordinates_or_neither() {
        let mut dialog = dialog();
        dialog.choose(ColumnRole::Time, None);
        assert!(dialog.missing().unwrap().contains("dates"));
        dialog.choose(ColumnRole::Time, Some("Wann".into()));
        assert_eq!(dialog.missing(), None);
        dialog.choose(ColumnRole::Lat, Some("Breite".into()));
        assert!(dialog.missing().unwrap().contains("both"));
        dialog.choose(ColumnRole::Lon, Some("Länge".into()));
        assert_eq!(dialog.missing(), None);
        assert_eq!(
            dialog.command_line(),
            "--time Wann --lat Breite --lon \"Länge\""
        );
        dialog.choose(ColumnRole::Lat, None);
        assert!(dialog.missing().is_some());
    }
}
