//! The regions the story is about, and the region of the selected or hovered event, filled
//! over the plain land (their outlines are drawn with the borders, above the rivers).

use egui::Ui;

use super::shapes::fill_areas;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// Fills of the regions that events name.
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
                Some(frame.colors.region_selected)
            } else if story.contains(&area.code) {
                Some(frame.colors.story_region)
            } else {
                None
            }
        });
    }
}
