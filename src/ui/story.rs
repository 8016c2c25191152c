//! The story panel: the story's steps as a list to click through, rename, reorder by dragging
//! (or with the move buttons) and delete; the current step's caption and quote; adding the
//! current view as a step; « Previous / Next » and Present.

use std::path::Path;

use egui::{RichText, Ui};

use crate::action::Action;
use crate::command::{Command, StoryCommand};
use crate::model::{Story, StoryStep};
use crate::theme;

/// What the story panel shows.
pub struct StoryPanel<'a> {
    pub story: &'a Story,
    /// Shown as the story's title when it has none of its own.
    pub dataset_title: &'a str,
    pub current: Option<usize>,
    /// The step whose title is being edited in the list.
    pub renaming: Option<usize>,
    /// The rename field takes the keyboard this frame.
    pub focus_rename: bool,
    /// Edited since the dataset opened.
    pub unsaved: bool,
    /// The title of the step deleted last (Undo puts it back).
    pub deleted: Option<&'a str>,
    /// Where Save writes the story, or why it cannot.
    pub save: Save<'a>,
    /// What the last Save did: where it wrote, or why it could not.
    pub saved: Option<Result<&'a str, &'a str>>,
}

/// Where the story is saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Save<'a> {
    /// In its file beside this data file.
    Beside(&'a Path),
    /// The built-in dataset has no file to save beside.
    Builtin,
    /// The dataset was opened without a file (dropped from another program).
    NoFile,
}

/// What is dragged when a step is dragged: its index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DraggedStep(usize);

/// The story panel.
pub fn story_panel_ui(ui: &mut Ui, panel: &StoryPanel) -> Vec<Command> {
    let mut commands = Vec::new();
    header_ui(ui, panel, &mut commands);
    ui.separator();
    if panel.story.is_empty() {
        ui.label("A story is a sequence of views of the data, each with a caption, to present step by step.");
        ui.colored_label(
            theme::hint_color(ui.visuals()),
            "Add the current view as the first step",
        );
    } else {
        steps_ui(ui, panel, &mut commands);
    }
    let add = ui
        .button("Add current view")
        .on_hover_text("Add a step that shows the map, the playhead, the time window, the filter and the selection as they are now");
    if add.clicked() {
        commands.push(Command::Story(StoryCommand::AddCurrentView));
    }
    if let Some(title) = panel.deleted {
        ui.horizontal_wrapped(|ui| {
            ui.weak(format!("Deleted “{title}”."));
            if ui.button("Undo").clicked() {
                commands.push(Command::Story(StoryCommand::UndoDelete));
            }
        });
    }
    let current = panel
        .current
        .and_then(|index| Some((index, panel.story.steps.get(index)?)));
    if let Some((index, step)) = current {
        ui.separator();
        step_editor_ui(ui, panel, index, step, &mut commands);
    }
    commands
}

/// The heading, the story's title, the unsaved mark and the Present button.
fn header_ui(ui: &mut Ui, panel: &StoryPanel, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("Story");
        if panel.unsaved {
            ui.label(RichText::new("unsaved changes").italics().weak())
                .on_hover_text("The story was changed since the dataset was opened");
        }
    });
    let mut title = panel.story.title.clone().unwrap_or_default();
    let field = egui::TextEdit::singleline(&mut title)
        .hint_text(panel.dataset_title)
        .desired_width(f32::INFINITY);
    let response = ui
        .add(field)
        .on_hover_text("The story's title (the dataset's when left empty)");
    if response.changed() {
        commands.push(Command::Story(StoryCommand::SetTitle(title)));
    }
    ui.horizontal(|ui| {
        let can_present = !panel.story.is_empty();
        let present = ui
            .add_enabled(can_present, egui::Button::new(Action::Present.name()))
            .on_hover_text(present_tooltip(ui))
            .on_disabled_hover_text("Add a step first");
        if present.clicked() {
            commands.push(Command::Story(StoryCommand::Present(true)));
        }
        save_button_ui(ui, panel.save, commands);
    });
    match panel.saved {
        Some(Ok(path)) => {
            ui.weak(format!("Saved to {path}"));
        }
        Some(Err(error)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Not saved: {error}"));
        }
        None => {}
    }
}

/// "Save story": enabled beside a file; else it says how to keep the story.
fn save_button_ui(ui: &mut Ui, save: Save, commands: &mut Vec<Command>) {
    let (enabled, tip) = match save {
        Save::Beside(data_file) => (
            true,
            format!(
                "Write the story to {}, beside the data file (it is read back whenever the file opens)",
                crate::io::story::sidecar_path(data_file).display()
            ),
        ),
        Save::Builtin => (
            false,
            "Export the dataset (File ▸ Export, Event Atlas JSON) to keep its story".to_owned(),
        ),
        Save::NoFile => (
            false,
            "The dataset was opened without a file: export it (File ▸ Export, Event Atlas JSON) to keep its story"
                .to_owned(),
        ),
    };
    let button = ui.add_enabled(enabled, egui::Button::new("Save story"));
    if enabled {
        if button.on_hover_text(tip).clicked() {
            commands.push(Command::Story(StoryCommand::Save));
        }
    } else {
        button.on_disabled_hover_text(tip);
    }
}

fn present_tooltip(ui: &Ui) -> String {
    match Action::Present.shortcut_text(ui.ctx()) {
        Some(keys) => format!("{} ({keys})", Action::Present.tooltip()),
        None => Action::Present.tooltip().to_owned(),
    }
}

/// The steps, numbered; the current one highlighted. Click shows a step, double-click renames
/// it, dragging moves it.
fn steps_ui(ui: &mut Ui, panel: &StoryPanel, commands: &mut Vec<Command>) {
    egui::ScrollArea::vertical()
        .id_salt("story-steps")
        .max_height(ui.available_height() * 0.45)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (index, step) in panel.story.steps.iter().enumerate() {
                if panel.renaming == Some(index) {
                    rename_ui(ui, index, step, panel.focus_rename, commands);
                } else {
                    step_row_ui(ui, panel, index, step, commands);
                }
            }
        });
}

/// One step in the list: a grip to drag it by, its number and its title; the whole row is
/// where a dragged step drops.
fn step_row_ui(
    ui: &mut Ui,
    panel: &StoryPanel,
    index: usize,
    step: &StoryStep,
    commands: &mut Vec<Command>,
) {
    let row = ui.horizontal(|ui| {
        let id = egui::Id::unique(("story-step", index));
        let grip = ui.dnd_drag_source(id, DraggedStep(index), grip_ui).response;
        let name = format!("Drag to move “{}”", step.title);
        grip.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Unknown, true, &name));
        ui.label(
            RichText::new(format!("{:>2}", index + 1))
                .weak()
                .monospace(),
        );
        // Long titles are cut to the panel's width; the tooltip has them whole.
        let title = egui::Button::selectable(panel.current == Some(index), &step.title).truncate();
        ui.add(title).on_hover_text(format!(
            "{}\nClick to show this step, double-click to rename it",
            step.title
        ))
    });
    let title = row.inner;
    if title.double_clicked() {
        commands.push(Command::Story(StoryCommand::StartRename(Some(index))));
    } else if title.clicked() {
        commands.push(Command::Story(StoryCommand::GoTo(index)));
    }
    drop_target_ui(ui, &row.response, index, commands);
}

/// Three short lines to drag a step by (the test font has no grip glyph).
fn grip_ui(ui: &mut Ui) {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(12.0, 14.0), egui::Sense::hover());
    let color = if response.hovered() {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().weak_text_color()
    };
    for i in 0..3 {
        let y = rect.top() + 3.0 + 4.0 * i as f32;
        ui.painter()
            .hline(rect.x_range().shrink(1.0), y, egui::Stroke::new(1.5, color));
    }
    response.on_hover_cursor(egui::CursorIcon::Grab);
}

/// While a step is dragged over this row: a line where it would go; dropped, it moves there.
fn drop_target_ui(ui: &Ui, row: &egui::Response, index: usize, commands: &mut Vec<Command>) {
    let Some(dragged) = row.dnd_hover_payload::<DraggedStep>() else {
        return;
    };
    let Some(pointer) = ui.input(|input| input.pointer.interact_pos()) else {
        return;
    };
    // Over the lower half of a row: after it.
    let below = pointer.y > row.rect.center().y;
    let line_y = if below {
        row.rect.bottom()
    } else {
        row.rect.top()
    };
    let color = ui.visuals().selection.stroke.color;
    ui.painter()
        .hline(row.rect.x_range(), line_y, egui::Stroke::new(2.0, color));
    if row.dnd_release_payload::<DraggedStep>().is_some() {
        let slot = if below { index + 1 } else { index };
        let from = dragged.0;
        let to = if from < slot { slot - 1 } else { slot };
        if to != from {
            commands.push(Command::Story(StoryCommand::Move { from, to }));
        }
    }
}

/// A step's title being edited in place: Enter or a click elsewhere ends it.
fn rename_ui(
    ui: &mut Ui,
    index: usize,
    step: &StoryStep,
    focus: bool,
    commands: &mut Vec<Command>,
) {
    let mut title = step.title.clone();
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("{:>2}", index + 1))
                .weak()
                .monospace(),
        );
        let field = egui::TextEdit::singleline(&mut title)
            .id_salt("story-rename")
            .hint_text("The step's title")
            .desired_width(f32::INFINITY);
        let response = ui.add(field);
        if focus {
            response.request_focus();
        }
        if response.changed() {
            commands.push(Command::Story(StoryCommand::Rename(index, title.clone())));
        }
        if response.lost_focus() {
            commands.push(Command::Story(StoryCommand::StartRename(None)));
        }
    });
}

/// The current step: where it is in the story, its caption and quote, and what can be done
/// with it.
fn step_editor_ui(
    ui: &mut Ui,
    panel: &StoryPanel,
    index: usize,
    step: &StoryStep,
    commands: &mut Vec<Command>,
) {
    let count = panel.story.steps.len();
    ui.horizontal(|ui| {
        let previous = ui
            .add_enabled(index > 0, egui::Button::new("« Previous"))
            .on_hover_text("The step before (PageUp)");
        if previous.clicked() {
            commands.push(Command::Story(StoryCommand::Previous));
        }
        ui.label(format!("Step {} of {count}", index + 1));
        let next = ui
            .add_enabled(index + 1 < count, egui::Button::new("Next »"))
            .on_hover_text("The next step (PageDown)");
        if next.clicked() {
            commands.push(Command::Story(StoryCommand::Next));
        }
    });
    ui.label(RichText::new(&step.title).strong());
    ui.label("Caption");
    let mut text = step.text.clone();
    let caption = egui::TextEdit::multiline(&mut text)
        .hint_text("What the reader should see in this step")
        .desired_rows(4)
        .desired_width(f32::INFINITY);
    if ui.add(caption).changed() {
        commands.push(Command::Story(StoryCommand::SetText(index, text)));
    }
    ui.label("Quote from the source");
    let mut quote = step.quote.clone().unwrap_or_default();
    let field = egui::TextEdit::multiline(&mut quote)
        .hint_text("The source's own words, quoted exactly")
        .desired_rows(2)
        .desired_width(f32::INFINITY);
    if ui.add(field).changed() {
        commands.push(Command::Story(StoryCommand::SetQuote(index, quote)));
    }
    step_buttons_ui(ui, index, count, commands);
}

/// Rename, recapture, move and delete the current step.
fn step_buttons_ui(ui: &mut Ui, index: usize, count: usize, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let mut button = |ui: &mut Ui, enabled: bool, label: &str, tip: &str, command| {
            if ui
                .add_enabled(enabled, egui::Button::new(label))
                .on_hover_text(tip)
                .clicked()
            {
                commands.push(Command::Story(command));
            }
        };
        button(
            ui,
            true,
            "Rename",
            "Edit the step's title (or double-click it in the list)",
            StoryCommand::StartRename(Some(index)),
        );
        button(
            ui,
            true,
            "Use current view",
            "Make this step show the map, the playhead, the window, the filter and the selection as they are now",
            StoryCommand::Recapture(index),
        );
        button(
            ui,
            index > 0,
            "« Move up",
            "Move the step one place earlier (or drag it in the list)",
            StoryCommand::Move {
                from: index,
                to: index.saturating_sub(1),
            },
        );
        button(
            ui,
            index + 1 < count,
            "Move down »",
            "Move the step one place later (or drag it in the list)",
            StoryCommand::Move {
                from: index,
                to: index + 1,
            },
        );
        button(
            ui,
            true,
            "Delete step",
            "Remove the step from the story (Undo puts it back)",
            StoryCommand::Delete(index),
        );
    });
}
