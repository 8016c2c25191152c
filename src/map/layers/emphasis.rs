//! The regions that events name, filled over their country: the region of the selected or
//! hovered event, and the regions the story is about. Other regions are plain land, already
//! filled by their country; their outlines are drawn with the borders, above the rivers.

use egui::Ui;

use super::shapes::fill_areas;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// Fills of the regions that events name.
pub struct RegionEmphasis;

impl MapLayer for RegionEmphasis {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let view = frame.view;
        let basemap = frame.basemap;
        let highlighted = [view.selected, view.hovered].map(|index| {
            index
                .and_then(|index| view.dataset.events.get(index))
                .and_then(|event| event.location.region_code())
        });
        // Each region once, in the colour of what it is most: highlighted, else story.
        let story = frame
            .data
            .story_regions
            .iter()
            .map(String::as_str)
            .filter(|code| !highlighted.contains(&Some(code)));
        let shown = story.chain(highlighted.iter().flatten().copied());
        let areas = shown
            .filter_map(|code| basemap.region(code))
            .flat_map(|region| basemap.areas_of(region));
        fill_areas(frame, areas, |area| {
            if highlighted.contains(&Some(area.code.as_str())) {
                frame.colors.region_selected
            } else {
                frame.colors.story_region
            }
        });
    }
}
