//! Panels around the map and the timeline: menu, status bar, help, about, errors.

pub mod details;

use egui::{Align2, Key, KeyboardShortcut, Modifiers, RichText, Ui};

use crate::command::{Command, Direction};
use crate::io::{Diagnostic, Severity};

/// Keyboard shortcuts, as listed in the help overlay.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "Play / pause"),
    ("Left / Right arrow", "Previous / next event"),
    ("Home / End", "Go to the first / last date"),
    ("+ / -", "Zoom the map in / out"),
    ("F", "Fit all events on the map"),
    ("Esc", "Clear the selection, close this help"),
    ("Ctrl+O", "Open a dataset"),
    ("Ctrl+R or F5", "Reload the dataset from its file"),
    ("F1 or ?", "Show / hide this help"),
    ("Ctrl+Q", "Quit"),
];

pub const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const RELOAD_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::R);
pub const QUIT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

/// Global keys. Skipped while a text field has focus.
pub fn keyboard_commands(ui: &Ui, help_open: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    if ui.ctx().egui_wants_keyboard_input() {
        return commands;
    }
    ui.input_mut(|input| {
        if input.consume_shortcut(&OPEN_SHORTCUT) {
            commands.push(Command::OpenDialog);
        }
        if input.consume_shortcut(&RELOAD_SHORTCUT) || input.consume_key(Modifiers::NONE, Key::F5) {
            commands.push(Command::Reload);
        }
        if input.consume_shortcut(&QUIT_SHORTCUT) {
            commands.push(Command::Quit);
        }
        let plain = [
            (Key::Space, Command::TogglePlay),
            (Key::ArrowLeft, Command::Step(Direction::Previous)),
            (Key::ArrowRight, Command::Step(Direction::Next)),
            (Key::Home, Command::JumpToStart),
            (Key::End, Command::JumpToEnd),
            (Key::Plus, Command::ZoomMap(2.0)),
            (Key::Equals, Command::ZoomMap(2.0)),
            (Key::Minus, Command::ZoomMap(0.5)),
            (Key::F, Command::FitAllEvents),
            (Key::F1, Command::ToggleHelp),
            (Key::Questionmark, Command::ToggleHelp),
        ];
        for (key, command) in plain {
            if input.consume_key(Modifiers::NONE, key) || input.consume_key(Modifiers::SHIFT, key) {
                commands.push(command);
            }
        }
        if input.consume_key(Modifiers::NONE, Key::Escape) {
            commands.push(if help_open {
                Command::ToggleHelp
            } else {
                Command::Select(None)
            });
        }
    });
    commands
}

/// Which panels are shown, for the View menu's check marks.
pub struct MenuState {
    pub show_details: bool,
    pub show_timeline: bool,
    pub can_reload: bool,
}

pub fn menu_bar(ui: &mut Ui, state: &MenuState) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui
                .add(
                    egui::Button::new("Open…")
                        .shortcut_text(ui.ctx().format_shortcut(&OPEN_SHORTCUT)),
                )
                .clicked()
            {
                commands.push(Command::OpenDialog);
            }
            if ui
                .add_enabled(
                    state.can_reload,
                    egui::Button::new("Reload")
                        .shortcut_text(ui.ctx().format_shortcut(&RELOAD_SHORTCUT)),
                )
                .on_disabled_hover_text("The built-in dataset has no file to reload")
                .clicked()
            {
                commands.push(Command::Reload);
            }
            ui.separator();
            if ui
                .add(
                    egui::Button::new("Quit")
                        .shortcut_text(ui.ctx().format_shortcut(&QUIT_SHORTCUT)),
                )
                .clicked()
            {
                commands.push(Command::Quit);
            }
        });
        ui.menu_button("View", |ui| {
            if ui
                .add(egui::Button::new("Fit all events on the map").shortcut_text("F"))
                .clicked()
            {
                commands.push(Command::FitAllEvents);
            }
            if ui.button("Fit the timeline").clicked() {
                commands.push(Command::FitTimeline);
            }
            ui.separator();
            if ui
                .checkbox(&mut state.show_details.clone(), "Details panel")
                .clicked()
            {
                commands.push(Command::ToggleDetails);
            }
            if ui
                .checkbox(&mut state.show_timeline.clone(), "Timeline")
                .clicked()
            {
                commands.push(Command::ToggleTimeline);
            }
            ui.separator();
            ui.label("Theme");
            let current = ui.ctx().options(|o| o.theme_preference);
            for (preference, label) in [
                (egui::ThemePreference::System, "Follow the system"),
                (egui::ThemePreference::Light, "Light"),
                (egui::ThemePreference::Dark, "Dark"),
            ] {
                if ui.radio(current == preference, label).clicked() {
                    ui.ctx().set_theme(preference);
                }
            }
        });
        ui.menu_button("Help", |ui| {
            if ui
                .add(egui::Button::new("Keyboard shortcuts").shortcut_text("F1"))
                .clicked()
            {
                commands.push(Command::ToggleHelp);
            }
            if ui.button("About Event Atlas").clicked() {
                commands.push(Command::ShowAbout(true));
            }
        });
    });
    commands
}

/// The help overlay listing the shortcuts.
pub fn help_window(ctx: &egui::Context) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").num_columns(2).spacing([24.0, 6.0]).show(ui, |ui| {
                for (keys, action) in SHORTCUTS {
                    ui.label(RichText::new(*keys).monospace().strong());
                    ui.label(*action);
                    ui.end_row();
                }
            });
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

/// Help ▸ About: what the app is and where its data comes from.
pub fn about_window(ctx: &egui::Context) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("About Event Atlas")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(format!("Event Atlas {}", env!("CARGO_PKG_VERSION")));
            ui.label("Dated events on an offline map linked to a scrubbable timeline.");
            ui.add_space(8.0);
            ui.label(RichText::new("Basemap").strong());
            ui.label("Natural Earth (naturalearthdata.com): countries, first-order regions, rivers and populated places. Public domain; “Made with Natural Earth”. Crimea is drawn as disputed.");
            ui.add_space(6.0);
            ui.label(RichText::new("Built-in story").strong());
            ui.label("The run-up to the Crocus City Hall attack near Moscow (22 March 2024), from a news article based on CNN reporting (the copy ends mid-sentence). Each event quotes the sentence it comes from; facts added from outside the text name their source in the event.");
            ui.add_space(6.0);
            ui.label(RichText::new("Licence").strong());
            ui.label("Event Atlas: MIT OR Apache-2.0. Works fully offline; links open in your browser only when you click them.");
        });
    if !open {
        commands.push(Command::ShowAbout(false));
    }
    commands
}

/// A failed load: what went wrong, in a panel the user can read and dismiss.
pub struct LoadProblem {
    pub headline: String,
    pub lines: Vec<Diagnostic>,
    /// For files that could not be read at all.
    pub plain: Vec<String>,
}

pub fn error_panel(ui: &mut Ui, problem: &LoadProblem, kept: &str) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Frame::new()
        .fill(ui.visuals().error_fg_color.gamma_multiply(0.12))
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(problem.headline.clone())
                        .color(ui.visuals().error_fg_color)
                        .strong(),
                );
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button("Dismiss").clicked() {
                        commands.push(Command::DismissErrors);
                    }
                    if ui
                        .button("Copy")
                        .on_hover_text("Copy every message to the clipboard")
                        .clicked()
                    {
                        let text: Vec<String> = problem
                            .plain
                            .iter()
                            .cloned()
                            .chain(problem.lines.iter().map(ToString::to_string))
                            .collect();
                        ui.ctx().copy_text(text.join("\n"));
                    }
                });
            });
            ui.label(format!("Still showing: {kept}"));
            egui::ScrollArea::vertical()
                .max_height(140.0)
                .show(ui, |ui| {
                    for line in &problem.plain {
                        ui.label(RichText::new(line).monospace());
                    }
                    for diagnostic in &problem.lines {
                        let color = match diagnostic.severity {
                            Severity::Error => ui.visuals().error_fg_color,
                            Severity::Warning => ui.visuals().warn_fg_color,
                        };
                        ui.label(
                            RichText::new(diagnostic.to_string())
                                .monospace()
                                .color(color),
                        );
                    }
                });
        });
    commands
}
