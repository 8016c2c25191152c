//! The sea, then the countries and the regions in their plain fills.

use egui::{CornerRadius, Ui};

use super::shapes::fill_areas;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// The basemap's fills: sea, land and disputed land.
pub struct BasemapFills;

impl MapLayer for BasemapFills {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let colors = &frame.colors;
        frame
            .painter
            .rect_filled(frame.rect, CornerRadius::ZERO, colors.sea);
        let basemap = frame.basemap;
        fill_areas(
            frame,
            basemap.countries.iter().chain(&basemap.regions),
            |area| {
                Some(if area.disputed {
                    colors.disputed
                } else {
                    colors.land
                })
            },
        );
    }
}
