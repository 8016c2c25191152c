//! Presentation mode's caption card: the step's title, its text and the source's words in
//! italics, over the bottom-left corner of the map, with « » to step and "3 / 7".

use egui::{Align2, RichText, Ui};

use crate::command::{Command, StoryCommand};
use crate::model::StoryStep;
use crate::theme::story::CaptionColors;

/// The step to caption and where it is in the story.
pub struct Caption<'a> {
    pub step: &'a StoryStep,
    /// 1-based.
    pub number: usize,
    pub count: usize,
}

/// How far the card stays from the map's edges.
const MARGIN: f32 = 16.0;
/// The widest the card grows (a caption is read, not scanned).
const MAX_WIDTH: f32 = 460.0;
/// The narrowest the card gets.
const MIN_WIDTH: f32 = 240.0;

/// The caption card over the map (`map`: the map's rectangle). Without a step, only the way
/// out is shown.
pub fn caption_card_ui(ui: &mut Ui, map: egui::Rect, caption: Option<&Caption>) -> Vec<Command> {
    let mut commands = Vec::new();
    let colors = CaptionColors::for_visuals(ui.visuals());
    let left = card_left(ui, map);
    let width = MAX_WIDTH
        .min(map.right() - left - 2.0 * MARGIN)
        .max(MIN_WIDTH);
    egui::Area::new(ui.make_persistent_id("story-caption"))
        .pivot(Align2::LEFT_BOTTOM)
        .fixed_pos(egui::pos2(left, map.bottom() - MARGIN))
        .constrain_to(map)
        .order(egui::Order::Foreground)
        .show(ui.ctx(), |ui| {
            egui::Frame::new()
                .fill(colors.fill)
                .stroke(egui::Stroke::new(1.5, colors.border))
                .corner_radius(8.0)
                .inner_margin(14.0)
                .show(ui, |ui| {
                    ui.set_width(width);
                    if let Some(caption) = caption {
                        caption_text_ui(ui, caption, &colors);
                        ui.add_space(6.0);
                    }
                    controls_ui(ui, caption, &colors, &mut commands);
                });
        });
    commands
}

/// Where the card's left edge goes: right of the map's legend, which holds the bottom-left
/// corner (`map/layers/legend.rs`, drawn with the same `ui`), when there is room beside it;
/// else the corner itself.
fn card_left(ui: &Ui, map: egui::Rect) -> f32 {
    let legend = ui
        .ctx()
        .memory(|memory| memory.area_rect(ui.make_persistent_id("map-legend")));
    match legend {
        Some(legend) if legend.right() + MIN_WIDTH + 2.0 * MARGIN <= map.right() => {
            legend.right() + MARGIN
        }
        _ => map.left() + MARGIN,
    }
}

fn caption_text_ui(ui: &mut Ui, caption: &Caption, colors: &CaptionColors) {
    let step = caption.step;
    ui.label(
        RichText::new(&step.title)
            .size(20.0)
            .strong()
            .color(colors.title),
    );
    if !step.text.is_empty() {
        ui.label(RichText::new(&step.text).size(15.0).color(colors.text));
    }
    if let Some(quote) = &step.quote {
        ui.label(
            RichText::new(format!("“{quote}”"))
                .size(14.0)
                .italics()
                .color(colors.quote),
        );
    }
}

/// « 3 / 7 » and the way out.
fn controls_ui(
    ui: &mut Ui,
    caption: Option<&Caption>,
    colors: &CaptionColors,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let (number, count) = caption.map_or((0, 0), |c| (c.number, c.count));
        let previous = ui
            .add_enabled(number > 1, egui::Button::new(RichText::new("«").size(18.0)))
            .on_hover_text("The step before (PageUp or Left)");
        if previous.clicked() {
            commands.push(Command::Story(StoryCommand::Previous));
        }
        if caption.is_some() {
            ui.label(RichText::new(format!("{number} / {count}")).color(colors.count));
        }
        let next = ui
            .add_enabled(
                number < count,
                egui::Button::new(RichText::new("»").size(18.0)),
            )
            .on_hover_text("The next step (PageDown or Right)");
        if next.clicked() {
            commands.push(Command::Story(StoryCommand::Next));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let leave = ui
                .button("Leave")
                .on_hover_text("Leave presentation mode (Esc or F11)");
            if leave.clicked() {
                commands.push(Command::Story(StoryCommand::Present(false)));
            }
        });
    });
}
