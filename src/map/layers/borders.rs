//! Borders: regions' when zoomed in, countries' (dashed where disputed), and the outlines of
//! the regions the story is about on top.

use egui::{Stroke, Ui};

use super::shapes::stroke_outline;
use super::{LayerFrame, MapLayer};
use crate::command::Command;

/// Region borders are noise below this zoom (the whole of European Russia is on screen).
const REGION_BORDERS_FROM_ZOOM: f64 = 3.5;

/// Region, country and story-region borders.
pub struct Borders;

impl MapLayer for Borders {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let basemap = frame.basemap;
        let colors = &frame.colors;
        if frame.zoom() >= REGION_BORDERS_FROM_ZOOM {
            let stroke = Stroke::new(0.6, colors.region_border);
            for area in basemap.regions.iter().filter(|area| !area.disputed) {
                stroke_outline(frame, area, stroke, false);
            }
        }
        let stroke = Stroke::new(1.2, colors.country_border);
        for area in &basemap.countries {
            stroke_outline(frame, area, stroke, area.disputed);
        }
        let stroke = Stroke::new(2.0, colors.story_border);
        let story = &frame.data.story_regions;
        for area in basemap.regions.iter().filter(|a| story.contains(&a.code)) {
            stroke_outline(frame, area, stroke, false);
        }
    }
}
