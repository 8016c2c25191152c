//! The basemap's source, in the bottom-right corner.

use egui::{Align2, FontId, Ui, vec2};

use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// The basemap's attribution line.
pub struct Attribution;

impl MapLayer for Attribution {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        frame.painter.text(
            frame.rect.right_bottom() - vec2(6.0, 4.0),
            Align2::RIGHT_BOTTOM,
            "Basemap: Natural Earth (public domain)",
            FontId::proportional(10.0),
            frame.colors.attribution,
        );
    }
}
