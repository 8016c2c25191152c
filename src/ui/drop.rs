//! Files dragged onto the window: the hint while hovering, and the command that opens them.

use egui::{Color32, Ui};

use crate::command::Command;
use crate::io::LoadError;

/// The command that opens the file dropped on the window this frame, if any. Of several files
/// the last one wins, as in most viewers.
pub fn dropped_file_command(ctx: &egui::Context) -> Option<Command> {
    let file = ctx.input(|i| i.raw.dropped_files.last().cloned())?;
    let path = file.path().to_path_buf();
    if path.is_file() {
        return Some(Command::OpenPath(path));
    }
    // No readable path (e.g. dropped from a sandboxed app): open the bytes it brings.
    let name = path.display().to_string();
    Some(match file.bytes() {
        Ok(bytes) => Command::OpenBytes { name, bytes },
        Err(message) => Command::ShowLoadError(LoadError::Io {
            file: name,
            message,
        }),
    })
}

/// Darkens the map and says which file a drop would open, while one is dragged over it.
pub fn drop_hint_ui(ui: &Ui) {
    let hovering = ui.input(|i| i.raw.hovered_files.first().and_then(|f| f.path.clone()));
    if let Some(path) = hovering {
        let rect = ui.max_rect();
        let painter = ui.painter();
        painter.rect_filled(rect, 0.0, Color32::from_black_alpha(140));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            format!("Drop to open {}", path.display()),
            egui::FontId::proportional(20.0),
            Color32::WHITE,
        );
    }
}
