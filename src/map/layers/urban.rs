//! Urban areas (built-up footprints), over the land fills, from the zoom Natural Earth
//! suggests for each.

use egui::Ui;

use super::shapes::fill_areas;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// Urban area fills.
pub struct UrbanAreas;

impl MapLayer for UrbanAreas {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let zoom = frame.zoom();
        let shown = frame
            .basemap
            .urban_areas
            .iter()
            .filter(|area| area.min_zoom <= zoom);
        fill_areas(frame, shown, |_| frame.colors.urban);
    }
}
