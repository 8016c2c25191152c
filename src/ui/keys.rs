//! Keyboard shortcuts, read from the action registry.

use egui::Ui;

use crate::action::{Action, ActionContext, shortcut_command};
use crate::command::Command;

/// The shortcuts pressed this frame, as commands. Skipped while a text field has focus and
/// while the command palette or a dialog is open (they read their own keys). Shortcuts of actions that cannot
/// run now are consumed and do nothing.
pub fn shortcut_commands_ui(ui: &Ui, context: &ActionContext) -> Vec<Command> {
    let mut commands = Vec::new();
    if context.palette_open || context.dialog_open || ui.ctx().egui_wants_keyboard_input() {
        return commands;
    }
    ui.input_mut(|input| {
        // No two actions share a key (a unit test says so), so the order does not matter.
        for action in Action::ALL {
            let pressed = action
                .shortcuts()
                .iter()
                .any(|shortcut| input.consume_shortcut(shortcut));
            if !pressed || action.unavailable_reason(context).is_some() {
                continue;
            }
            commands.push(shortcut_command(action, context));
        }
    });
    commands
}
