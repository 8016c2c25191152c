//! The help overlay: every shortcut, from the action registry.

use egui::{Align2, RichText};

use crate::action::Action;
use crate::command::Command;

/// The help overlay listing every action that has a shortcut.
pub fn help_window(ctx: &egui::Context) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .spacing([24.0, 6.0])
                .show(ui, |ui| {
                    for action in Action::ALL {
                        let Some(keys) = action.shortcut_text(ctx) else {
                            continue;
                        };
                        ui.label(RichText::new(keys).monospace().strong());
                        ui.label(action.name()).on_hover_text(action.tooltip());
                        ui.end_row();
                    }
                });
            ui.label("Esc closes the command palette or this help first, then leaves presentation mode.");
            ui.separator();
            ui.label("Mouse: drag the map to pan, scroll to zoom, double-click to zoom in.");
            ui.label("Timeline: drag the red playhead or the bar above the plot; scroll to zoom time, drag to pan.");
            ui.label("Drop a dataset file onto the window to open it.");
        });
    if !open {
        commands.push(Command::ToggleHelp);
    }
    commands
}
