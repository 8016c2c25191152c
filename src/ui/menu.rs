//! The menu bar, laid out from the action registry.

use std::path::Path;

use egui::Ui;

use crate::action::{Action, ActionContext, Mark};
use crate::command::Command;
use crate::state::RecentFiles;

/// One menu of the menu bar.
pub struct Menu {
    pub title: &'static str,
    pub entries: &'static [Entry],
}

/// An entry in a menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Runs the action when clicked.
    Action(Action),
    /// The submenu of recently opened files, ending in [`Action::ClearRecentFiles`].
    RecentFiles,
    Separator,
}

/// The menu bar, left to right.
pub const MENUS: [Menu; 3] = [
    Menu {
        title: "File",
        entries: &[
            Entry::Action(Action::Open),
            Entry::RecentFiles,
            Entry::Action(Action::Reload),
            Entry::Separator,
            Entry::Action(Action::Export),
            Entry::Action(Action::ExportAnimation),
            Entry::Separator,
            Entry::Action(Action::Quit),
        ],
    },
    Menu {
        title: "View",
        entries: &[
            Entry::Action(Action::FitMap),
            Entry::Action(Action::FitTimeline),
            Entry::Separator,
            Entry::Action(Action::ToggleDetails),
            Entry::Action(Action::ToggleTimeline),
            Entry::Action(Action::ToggleFilters),
            Entry::Action(Action::ToggleTable),
            Entry::Action(Action::ToggleStory),
            Entry::Separator,
            Entry::Action(Action::Present),
            Entry::Action(Action::PreviousStep),
            Entry::Action(Action::NextStep),
            Entry::Separator,
            Entry::Action(Action::Search),
            Entry::Action(Action::ClearFilter),
            Entry::Separator,
            Entry::Action(Action::MapMarkers),
            Entry::Action(Action::MapDensity),
            Entry::Action(Action::MapRegions),
            Entry::Separator,
            Entry::Action(Action::LinksAll),
            Entry::Action(Action::LinksOfSelection),
            Entry::Action(Action::LinksHidden),
            Entry::Separator,
            Entry::Action(Action::ToggleLiveReload),
            Entry::Separator,
            Entry::Action(Action::ThemeSystem),
            Entry::Action(Action::ThemeLight),
            Entry::Action(Action::ThemeDark),
        ],
    },
    Menu {
        title: "Help",
        entries: &[
            Entry::Action(Action::Help),
            Entry::Action(Action::CommandPalette),
            Entry::Separator,
            Entry::Action(Action::About),
        ],
    },
];

/// The menu bar: each entry shows its action's name, shortcut and tooltip, and runs it.
pub fn menu_bar_ui(ui: &mut Ui, context: &ActionContext, recent: &RecentFiles) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        for menu in &MENUS {
            ui.menu_button(menu.title, |ui| {
                for entry in menu.entries {
                    match *entry {
                        Entry::Separator => {
                            ui.separator();
                        }
                        Entry::Action(action) => {
                            if entry_ui(ui, action, context) {
                                commands.push(action.command());
                            }
                        }
                        Entry::RecentFiles => recent_files_ui(ui, context, recent, &mut commands),
                    }
                }
            });
        }
    });
    commands
}

/// One entry: a check box for a panel, a radio button for a choice, else a button. Returns
/// whether it was clicked.
fn entry_ui(ui: &mut Ui, action: Action, context: &ActionContext) -> bool {
    let reason = action.unavailable_reason(context);
    let enabled = reason.is_none();
    let response = match action.mark(context) {
        Some(Mark::Check(checked)) => {
            let mut shown = checked;
            let label = match action.shortcut_text(ui.ctx()) {
                Some(keys) => name_and_keys(ui, action.name(), &keys),
                None => egui::WidgetText::from(action.name()),
            };
            ui.add_enabled(enabled, egui::Checkbox::new(&mut shown, label))
        }
        Some(Mark::Radio(selected)) => {
            ui.add_enabled(enabled, egui::RadioButton::new(selected, action.name()))
        }
        None => {
            let mut button = egui::Button::new(action.name());
            if let Some(keys) = action.shortcut_text(ui.ctx()) {
                button = button.shortcut_text(keys);
            }
            ui.add_enabled(enabled, button)
        }
    };
    let response = response.on_hover_text(action.tooltip());
    match reason {
        Some(reason) => response.on_disabled_hover_text(reason).clicked(),
        None => response.clicked(),
    }
}

/// "Event table Ctrl+T", the keys weak, for a check box (buttons show keys on their own).
fn name_and_keys(ui: &Ui, name: &str, keys: &str) -> egui::WidgetText {
    let mut job = egui::text::LayoutJob::default();
    let font = egui::TextStyle::Button.resolve(ui.style());
    // The check box gives the name its own colour (enabled, disabled, hovered).
    let plain = egui::TextFormat::simple(font.clone(), egui::Color32::PLACEHOLDER);
    job.append(name, 0.0, plain);
    let weak = egui::TextFormat::simple(font, ui.visuals().weak_text_color());
    job.append(&format!(" {keys}"), 0.0, weak);
    job.into()
}

/// File ▸ Open recent: the latest file first; a file that is no longer there is shown greyed.
fn recent_files_ui(
    ui: &mut Ui,
    context: &ActionContext,
    recent: &RecentFiles,
    commands: &mut Vec<Command>,
) {
    ui.menu_button("Open recent", |ui| {
        if recent.is_empty() {
            ui.weak("No file was opened yet");
        }
        // Only drawn while the submenu is open: at most ten checks of the disk then.
        for path in recent.iter() {
            let there = path.is_file();
            let response = ui
                .add_enabled(there, egui::Button::new(recent_label(path)))
                .on_hover_text(path.display().to_string())
                .on_disabled_hover_text(format!("No longer there: {}", path.display()));
            if response.clicked() {
                commands.push(Command::OpenPath(path.to_path_buf()));
            }
        }
        ui.separator();
        if entry_ui(ui, Action::ClearRecentFiles, context) {
            commands.push(Action::ClearRecentFiles.command());
        }
    });
}

/// "name.json — folder": the name first, as file menus show it.
fn recent_label(path: &Path) -> String {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    match path.parent().and_then(Path::file_name) {
        Some(folder) => format!("{name} — {}", folder.to_string_lossy()),
        None => name,
    }
}
