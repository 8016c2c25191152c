//! Rivers: the major ones when zoomed out, more as the map zooms in.

use egui::{Shape, Stroke, Ui};

use super::shapes::screen_path;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// River centre lines.
pub struct Rivers;

impl MapLayer for Rivers {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        // Major rivers first; minor ones appear as the map zooms in.
        let max_rank = (frame.zoom() * 1.6 - 2.0).clamp(0.0, 12.0) as u32;
        for river in &frame.basemap.rivers {
            if river.scale_rank > max_rank || !river.bounds.intersects(&frame.visible) {
                continue;
            }
            let width = if river.scale_rank <= 3 { 1.2 } else { 0.8 };
            for line in &river.lines {
                let points = screen_path(frame, line);
                if points.len() >= 2 {
                    let stroke = Stroke::new(width, frame.colors.river);
                    frame.painter.add(Shape::line(points, stroke));
                }
            }
        }
    }
}
