//! Lakes, over every land fill: Natural Earth's regions do not leave them out (Baikal, Ladoga
//! and the Great Lakes lie inside regions).

use egui::Ui;

use super::shapes::fill_areas;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// Lakes show this many zoom levels before Natural Earth's suggested zoom.
const LAKE_ZOOM_LEAD: f64 = 1.0;

/// Lake fills.
pub struct Lakes;

impl MapLayer for Lakes {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let zoom = frame.zoom();
        let shown = frame
            .basemap
            .lakes
            .iter()
            .filter(|lake| lake.min_zoom <= zoom + LAKE_ZOOM_LEAD);
        fill_areas(frame, shown, |_| frame.colors.lake);
    }
}
