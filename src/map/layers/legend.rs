//! The legend, pinned to the map's bottom-left corner: the categories, faded and region-only
//! markers.

use egui::{Align2, Sense, Stroke, Ui, Vec2, vec2};

use super::{LayerFrame, MapLayer};
use crate::command::Command;
use crate::theme::category_color;

/// The map's legend.
pub struct Legend;

impl MapLayer for Legend {
    fn show_ui(&self, ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let dataset = frame.view.dataset;
        let earlier = frame.colors.earlier;
        // The legend sizes itself.
        egui::Area::new(ui.make_persistent_id("map-legend"))
            .fixed_pos(frame.rect.left_bottom() + vec2(8.0, -8.0))
            .pivot(Align2::LEFT_BOTTOM)
            .constrain_to(frame.rect)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(egui::RichText::new("Legend").strong());
                    for (index, category) in dataset.categories.iter().enumerate() {
                        let color = category_color(dataset, Some(index));
                        key_ui(ui, &category.label, |painter, at| {
                            painter.circle_filled(at, 5.5, color);
                        });
                    }
                    ui.separator();
                    key_ui(ui, "earlier than the time window", |painter, at| {
                        painter.circle_filled(at, 4.0, earlier.gamma_multiply(0.35));
                    });
                    key_ui(ui, "region only (no exact place)", |painter, at| {
                        painter.circle_stroke(at, 5.0, Stroke::new(2.0, earlier));
                    });
                });
            });
    }
}

/// One line of the legend: a symbol drawn by `symbol` at its centre, and a label.
fn key_ui(ui: &mut Ui, label: &str, symbol: impl FnOnce(&egui::Painter, egui::Pos2)) {
    ui.horizontal(|ui| {
        let (dot, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
        symbol(ui.painter(), dot.center());
        ui.label(label);
    });
}
