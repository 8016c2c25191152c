//! The export dialog (File ▸ Export…): what to write (events in a format, or a picture), which
//! events, and where; and the bar that says what was written.

use egui::{RichText, Ui};

use crate::background;
use crate::command::{Command, ExportCommand};
use crate::state::export::{ExportDialog, ExportScope, ExportTarget};

/// The dialog window; returns what the user did.
pub fn export_dialog_ui(ctx: &egui::Context, dialog: &ExportDialog) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Window::new("Export")
        .id(egui::Id::unique("export-dialog"))
        .collapsible(false)
        .resizable(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            target_ui(ui, dialog, &mut commands);
            ui.add_space(6.0);
            // Shown for pictures too (greyed out), so that the buttons stay where they are.
            ui.add_enabled_ui(matches!(dialog.target, ExportTarget::Events(_)), |ui| {
                scope_ui(ui, dialog, &mut commands);
            })
            .response
            .on_disabled_hover_text("A picture shows what is on screen now");
            ui.add_space(6.0);
            path_ui(ui, dialog, &mut commands);
            ui.add_space(8.0);
            buttons_ui(ui, dialog, &mut commands);
        });
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        commands.push(Command::Export(ExportCommand::Cancel));
    }
    commands
}

fn target_ui(ui: &mut Ui, dialog: &ExportDialog, commands: &mut Vec<Command>) {
    ui.label(RichText::new("What to write").strong());
    for target in ExportTarget::all() {
        let tooltip = match target {
            ExportTarget::Events(format) => format.keeps(),
            ExportTarget::Picture(_) => {
                "A PNG of what is on screen now, at the screen's resolution"
            }
        };
        if ui
            .radio(dialog.target == target, target.label())
            .on_hover_text(tooltip)
            .clicked()
            && dialog.target != target
        {
            commands.push(Command::Export(ExportCommand::SetTarget(target)));
        }
    }
}

fn scope_ui(ui: &mut Ui, dialog: &ExportDialog, commands: &mut Vec<Command>) {
    ui.label(RichText::new("Which events").strong());
    for scope in ExportScope::ALL {
        let count = dialog.count(scope);
        let noun = if count == 1 { "event" } else { "events" };
        let text = format!("{} ({count} {noun})", scope.label());
        if ui
            .radio(dialog.scope == scope, text)
            .on_hover_text(scope.tooltip())
            .clicked()
            && dialog.scope != scope
        {
            commands.push(Command::Export(ExportCommand::SetScope(scope)));
        }
    }
}

fn path_ui(ui: &mut Ui, dialog: &ExportDialog, commands: &mut Vec<Command>) {
    ui.label(RichText::new("File").strong());
    ui.horizontal(|ui| {
        let mut path = dialog.path.clone();
        let field = egui::TextEdit::singleline(&mut path)
            .desired_width(400.0)
            .hint_text(example_path("file"));
        if ui
            .add(field)
            .on_hover_text("The file to write; its folder must exist")
            .changed()
        {
            commands.push(Command::Export(ExportCommand::SetPath(path)));
        }
        let browse = ui
            .add_enabled(
                background::file_dialog_available(),
                egui::Button::new("Choose…"),
            )
            .on_hover_text("Choose the file in the desktop's save dialog")
            .on_disabled_hover_text(
                "No desktop file-chooser service (xdg-desktop-portal): type the path",
            );
        if browse.clicked() {
            commands.push(Command::Export(ExportCommand::Browse));
        }
    });
    if let Some(problem) = dialog.problem() {
        ui.label(RichText::new(problem).color(ui.visuals().warn_fg_color));
    } else if dialog.exists() {
        let mut replace = dialog.replace;
        if ui
            .checkbox(&mut replace, "Replace the existing file")
            .on_hover_text("A file of that name exists; it is replaced only if this is ticked")
            .changed()
        {
            commands.push(Command::Export(ExportCommand::SetReplace(replace)));
        }
    }
}

fn buttons_ui(ui: &mut Ui, dialog: &ExportDialog, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let ready = dialog.problem().is_none() && (!dialog.exists() || dialog.replace);
        let export = ui
            .add_enabled(ready, egui::Button::new("Export"))
            .on_hover_text("Write the file (atomically: a half-written file is never left)")
            .on_disabled_hover_text("Choose a file that can be written first");
        if export.clicked() {
            commands.push(Command::Export(ExportCommand::Run));
        }
        if ui.button("Cancel").clicked() {
            commands.push(Command::Export(ExportCommand::Cancel));
        }
    });
}

/// The bar above the map: an export `running`, or what the last one wrote (or why it failed).
pub fn export_notice_ui(
    ui: &mut Ui,
    running: Option<&str>,
    notice: Option<&Result<String, String>>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if let Some(running) = running {
            ui.spinner();
            ui.label(running);
            return;
        }
        match notice {
            Some(Ok(written)) => {
                ui.label(written);
            }
            Some(Err(error)) => {
                ui.label(
                    RichText::new(format!("Export failed: {error}"))
                        .color(ui.visuals().error_fg_color),
                );
            }
            None => return,
        }
        if ui.small_button("Dismiss").clicked() {
            commands.push(Command::Export(ExportCommand::DismissNotice));
        }
    });
    commands
}

/// A path as this system writes them, for a text field's hint: `/path/to/NAME`, or
/// `C:\path\to\NAME` on Windows.
pub fn example_path(name: &str) -> String {
    if cfg!(windows) {
        format!("C:\\path\\to\\{name}")
    } else {
        format!("/path/to/{name}")
    }
}
