//! The first-order regions, each filled once: the region of the selected or hovered event, the
//! regions the story is about, the others as plain land (their outlines are drawn with the
//! borders, above the rivers).

use egui::Ui;

use super::shapes::fill_areas;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// Fills of the regions, those that events name emphasised.
pub struct RegionEmphasis;

impl MapLayer for RegionEmphasis {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let view = frame.view;
        let highlighted = [view.selected, view.hovered].map(|index| {
            index
                .and_then(|index| view.dataset.events.get(index))
                .and_then(|event| event.location.region_code())
        });
        let story = &frame.data.story_regions;
        fill_areas(frame, &frame.basemap.regions, |area| {
            if highlighted.contains(&Some(area.code.as_str())) {
                frame.colors.region_selected
            } else if story.contains(&area.code) {
                frame.colors.story_region
            } else {
                frame.colors.area_fill(area.disputed)
            }
        });
    }
}
