//! The zoom controls in the top-right corner: fit all events, zoom in, zoom out.

use egui::{Rect, Ui, UiBuilder, pos2, vec2};

use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// The zoom buttons.
pub struct ZoomControls;

impl MapLayer for ZoomControls {
    fn show_ui(&self, ui: &mut Ui, frame: &LayerFrame<'_>, commands: &mut Vec<Command>) {
        let rect = frame.rect;
        let controls = Rect::from_min_size(
            pos2(rect.right() - 150.0, rect.top() + 8.0),
            vec2(142.0, 90.0),
        );
        let builder = UiBuilder::new()
            .max_rect(controls)
            .layout(egui::Layout::top_down(egui::Align::Max));
        ui.scope_builder(builder, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                if ui
                    .button("Fit all events")
                    .on_hover_text("Frame every event that has a place (F)")
                    .clicked()
                {
                    commands.push(Command::FitAllEvents);
                }
                ui.horizontal(|ui| {
                    if ui.button(" + ").on_hover_text("Zoom in (+)").clicked() {
                        commands.push(Command::ZoomMap(2.0));
                    }
                    if ui.button(" - ").on_hover_text("Zoom out (-)").clicked() {
                        commands.push(Command::ZoomMap(0.5));
                    }
                });
            });
        });
    }
}
