//! Rivers: the major ones when zoomed out, more as the map zooms in; over European Russia the
//! detailed ones from [`crate::map::basemap::DETAILED_FROM_ZOOM`].

use egui::{Stroke, Ui};

use super::shapes::stroke_lines;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// River centre lines.
pub struct Rivers;

impl MapLayer for Rivers {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let zoom = frame.zoom();
        // Major rivers first; minor ones appear as the map zooms in.
        let max_rank = (zoom * 1.6 - 2.0).clamp(0.0, 12.0) as u32;
        for river in &frame.basemap.rivers {
            if river.scale_rank > max_rank
                || !river.shown_at(zoom)
                || !river.bounds.intersects(&frame.visible)
            {
                continue;
            }
            let width = if river.scale_rank <= 3 { 1.2 } else { 0.8 };
            stroke_lines(
                frame,
                &river.lines,
                Stroke::new(width, frame.colors.river),
                false,
            );
        }
    }
}
