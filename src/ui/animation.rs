//! The Export animation dialog (File ▸ Export animation…): playback or the story, the size, the
//! frame rate and the length; a preview slider that shows frame k of the very frames the export
//! writes; and the bar that says how far the export has come and what it wrote.

use egui::{RichText, Ui};

use std::path::Path;

use crate::background;
use crate::command::{AnimationCommand, AnimationSubject, Command};
use crate::model::EventIndex;
use crate::render::animation::{AnimationOutput, AnimationProgress};
use crate::render::args::SIDE_RANGE;
use crate::render::frames::{
    AnimationKind, AnimationSpec, FPS_RANGE, FramePlan, PlaybackLength, PlaybackPlan,
};
use crate::state::ViewState;

/// The animation's size when the dialog opens.
pub const DEFAULT_ANIMATION_SIZE: [u32; 2] = [960, 600];

/// The Export animation dialog: what to show, how big and how fast; the frames planned from
/// it, the one previewed, and where to write.
#[derive(Clone, Debug, PartialEq)]
pub struct AnimationDialog {
    pub subject: AnimationSubject,
    pub size: [u32; 2],
    pub fps: u32,
    /// Playback's length in seconds (the story's follows from its steps).
    pub seconds: f64,
    /// The frames, or why there are none.
    pub plan: Result<FramePlan, String>,
    /// The frame shown in the main window.
    pub preview: usize,
    /// The `.gif` file or the folder of PNGs to write.
    pub path: String,
    pub replace: bool,
    /// Whether the dataset has a story to show.
    pub has_story: bool,
    /// The view and selection before the preview changed them, given back on closing.
    pub before: (ViewState, Option<EventIndex>),
}

impl AnimationDialog {
    /// What is wrong with the chosen file, if anything.
    pub fn problem(&self) -> Option<String> {
        if let Err(error) = &self.plan {
            return Some(error.clone());
        }
        let path = Path::new(self.path.trim());
        if self.path.trim().is_empty() {
            return Some("Choose a .gif file, or a folder for PNG frames.".to_owned());
        }
        match path.parent() {
            Some(folder) if !folder.as_os_str().is_empty() && !folder.is_dir() => {
                Some(format!("There is no folder {}.", folder.display()))
            }
            _ => None,
        }
    }

    /// Whether writing needs "replace" ticked: the GIF exists, or the folder holds files.
    pub fn exists(&self) -> bool {
        let path = Path::new(self.path.trim());
        match AnimationOutput::for_path(path) {
            AnimationOutput::Gif(path) => path.exists(),
            AnimationOutput::PngFolder(folder) => std::fs::read_dir(folder)
                .map(|mut entries| entries.next().is_some())
                .unwrap_or(false),
        }
    }

    /// The output, as `render` would read it.
    pub fn output(&self) -> AnimationOutput {
        AnimationOutput::for_path(Path::new(self.path.trim()))
    }

    pub fn spec(&self) -> AnimationSpec {
        let kind = match self.subject {
            AnimationSubject::Playback => AnimationKind::Playback(PlaybackPlan {
                length: PlaybackLength::Seconds(self.seconds),
                ..PlaybackPlan::default()
            }),
            AnimationSubject::Story => AnimationKind::Story,
        };
        AnimationSpec {
            kind,
            fps: self.fps,
            ..AnimationSpec::default()
        }
    }
}

/// The dialog window; returns what the user did.
pub fn animation_dialog_ui(ctx: &egui::Context, dialog: &AnimationDialog) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Window::new("Export animation")
        .id(egui::Id::unique("animation-dialog"))
        .collapsible(false)
        .resizable(false)
        .default_width(460.0)
        .anchor(egui::Align2::RIGHT_TOP, egui::vec2(-12.0, 48.0))
        .show(ctx, |ui| {
            subject_ui(ui, dialog, &mut commands);
            ui.add_space(6.0);
            pace_ui(ui, dialog, &mut commands);
            ui.add_space(6.0);
            preview_ui(ui, dialog, &mut commands);
            ui.add_space(6.0);
            path_ui(ui, dialog, &mut commands);
            ui.add_space(8.0);
            buttons_ui(ui, dialog, &mut commands);
        });
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        commands.push(Command::Animation(AnimationCommand::Close));
    }
    commands
}

fn subject_ui(ui: &mut Ui, dialog: &AnimationDialog, commands: &mut Vec<Command>) {
    ui.label(RichText::new("What to show").strong());
    let playback = ui
        .radio(dialog.subject == AnimationSubject::Playback, "Playback")
        .on_hover_text("The playhead moving from the first date to the last, with the current window, mode and filter");
    if playback.clicked() && dialog.subject != AnimationSubject::Playback {
        commands.push(Command::Animation(AnimationCommand::SetSubject(
            AnimationSubject::Playback,
        )));
    }
    let story = ui
        .add_enabled(
            dialog.has_story,
            egui::RadioButton::new(dialog.subject == AnimationSubject::Story, "The story"),
        )
        .on_hover_text(
            "Each step of the story: the glide from the step before, then a hold with its caption",
        )
        .on_disabled_hover_text("This dataset has no story: add steps in the story panel");
    if story.clicked() && dialog.subject != AnimationSubject::Story {
        commands.push(Command::Animation(AnimationCommand::SetSubject(
            AnimationSubject::Story,
        )));
    }
}

fn pace_ui(ui: &mut Ui, dialog: &AnimationDialog, commands: &mut Vec<Command>) {
    let [width, height] = dialog.size;
    let side =
        |range: std::ops::RangeInclusive<u32>| f64::from(*range.start())..=f64::from(*range.end());
    let mut edits = Vec::new();
    egui::Grid::new("animation-pace")
        .num_columns(2)
        .show(ui, |ui| {
            let mut field = |label, value, range, decimals| {
                let edited = number_ui(ui, label, value, range, decimals);
                edits.push(edited);
            };
            field("Width (pixels)", f64::from(width), side(SIDE_RANGE), 0);
            field("Height (pixels)", f64::from(height), side(SIDE_RANGE), 0);
            field(
                "Frames per second",
                f64::from(dialog.fps),
                side(FPS_RANGE),
                0,
            );
            if dialog.subject == AnimationSubject::Playback {
                field("Length (seconds)", dialog.seconds, 0.1..=300.0, 1);
            }
        });
    let whole = |value: f64| value.round() as u32;
    let command = match edits.as_slice() {
        [Some(w), ..] => AnimationCommand::SetSize([whole(*w), height]),
        [_, Some(h), ..] => AnimationCommand::SetSize([width, whole(*h)]),
        [_, _, Some(fps), ..] => AnimationCommand::SetFps(whole(*fps)),
        [_, _, _, Some(seconds)] => AnimationCommand::SetSeconds(*seconds),
        _ => return,
    };
    commands.push(Command::Animation(command));
}

/// A labelled number in the grid; its new value when edited.
fn number_ui(
    ui: &mut Ui,
    label: &str,
    value: f64,
    range: std::ops::RangeInclusive<f64>,
    decimals: usize,
) -> Option<f64> {
    let label = ui.label(label);
    let mut edited = value;
    let field = egui::DragValue::new(&mut edited)
        .range(range)
        .speed(0.2)
        .max_decimals(decimals);
    let changed = ui.add(field).labelled_by(label.id).changed();
    ui.end_row();
    changed.then_some(edited)
}

fn preview_ui(ui: &mut Ui, dialog: &AnimationDialog, commands: &mut Vec<Command>) {
    ui.label(RichText::new("Preview").strong());
    let plan = match &dialog.plan {
        Ok(plan) => plan,
        Err(error) => {
            ui.label(RichText::new(error).color(ui.visuals().warn_fg_color));
            return;
        }
    };
    let last = plan.len().saturating_sub(1);
    let mut frame = dialog.preview;
    let slider = egui::Slider::new(&mut frame, 0..=last).text("Preview frame");
    if ui
        .add(slider)
        .on_hover_text("Shows this frame in the window: the same frames the export writes")
        .changed()
    {
        commands.push(Command::Animation(AnimationCommand::Preview(frame)));
    }
    let seconds = plan.duration_ms() as f64 / 1000.0;
    let mut line = format!("{} frames, {seconds:.1} s, looping", plan.len());
    if let Some(step) = plan.frame(dialog.preview).and_then(|frame| frame.step) {
        line.push_str(&format!(
            " · step {} of {}",
            step + 1,
            plan.step_starts().len()
        ));
    }
    ui.label(line);
    for problem in &plan.problems {
        ui.label(RichText::new(problem).color(ui.visuals().warn_fg_color));
    }
}

fn path_ui(ui: &mut Ui, dialog: &AnimationDialog, commands: &mut Vec<Command>) {
    ui.label(RichText::new("Write to").strong());
    ui.horizontal(|ui| {
        let mut path = dialog.path.clone();
        let field = egui::TextEdit::singleline(&mut path)
            .desired_width(320.0)
            .hint_text(format!(
                "{} or a folder",
                super::export::example_path("animation.gif")
            ));
        if ui
            .add(field)
            .on_hover_text("A .gif file, or a folder for numbered PNG frames (made if missing)")
            .changed()
        {
            commands.push(Command::Animation(AnimationCommand::SetPath(path)));
        }
        let browse = ui
            .add_enabled(
                background::file_dialog_available(),
                egui::Button::new("Choose…"),
            )
            .on_hover_text("Choose the GIF in the desktop's save dialog")
            .on_disabled_hover_text(
                "No desktop file-chooser service (xdg-desktop-portal): type the path",
            );
        if browse.clicked() {
            commands.push(Command::Animation(AnimationCommand::Browse));
        }
    });
    if let Some(problem) = dialog.problem() {
        ui.label(RichText::new(problem).color(ui.visuals().warn_fg_color));
    } else if dialog.exists() {
        let text = match dialog.output() {
            AnimationOutput::Gif(_) => "Replace the existing file",
            AnimationOutput::PngFolder(_) => "Write into this folder (its old frames are removed)",
        };
        let mut replace = dialog.replace;
        if ui.checkbox(&mut replace, text).changed() {
            commands.push(Command::Animation(AnimationCommand::SetReplace(replace)));
        }
    }
}

fn buttons_ui(ui: &mut Ui, dialog: &AnimationDialog, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let ready = dialog.problem().is_none() && (!dialog.exists() || dialog.replace);
        let export = ui
            .add_enabled(ready, egui::Button::new("Export"))
            .on_hover_text(
                "Write the frames in the background (a GIF is written whole or not at all)",
            )
            .on_disabled_hover_text("Choose where to write first");
        if export.clicked() {
            commands.push(Command::Animation(AnimationCommand::Export));
        }
        if ui
            .button("Close")
            .on_hover_text("Close the dialog; the view goes back to where it was")
            .clicked()
        {
            commands.push(Command::Animation(AnimationCommand::Close));
        }
    });
}

/// The bar above the map: an animation being written (`what`, how far, Cancel), or what the
/// last one wrote (or why it failed).
pub fn animation_notice_ui(
    ui: &mut Ui,
    running: Option<(&str, &AnimationProgress)>,
    notice: Option<&Result<String, String>>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if let Some((what, progress)) = running {
            ui.label(what);
            let (done, total) = progress.frames();
            ui.add(
                egui::ProgressBar::new(progress.fraction())
                    .desired_width(200.0)
                    .text(format!("frame {done} of {total}")),
            );
            if ui.button("Cancel").clicked() {
                commands.push(Command::Animation(AnimationCommand::CancelExport));
            }
            return;
        }
        match notice {
            Some(Ok(written)) => {
                ui.label(written);
            }
            Some(Err(error)) => {
                ui.label(
                    RichText::new(format!("Animation export failed: {error}"))
                        .color(ui.visuals().error_fg_color),
                );
            }
            None => return,
        }
        if ui.small_button("Dismiss").clicked() {
            commands.push(Command::Animation(AnimationCommand::DismissNotice));
        }
    });
    commands
}
