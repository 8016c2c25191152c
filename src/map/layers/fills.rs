//! The sea, then the countries in their plain fills (the regions are filled, once, by the
//! region layer above).

use egui::{CornerRadius, Ui};

use super::shapes::fill_areas;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// The basemap's fills: sea, land and disputed land, country by country.
pub struct BasemapFills;

impl MapLayer for BasemapFills {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let colors = &frame.colors;
        frame
            .painter
            .rect_filled(frame.rect, CornerRadius::ZERO, colors.sea);
        fill_areas(frame, &frame.basemap.countries, |area| {
            colors.area_fill(area.disputed)
        });
    }
}
