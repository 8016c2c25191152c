//! Borders: regions' when zoomed in enough to read them, countries' (dashed where disputed),
//! and the outlines of the regions the story is about on top. Zoomed out, each border is drawn
//! once from the basemap's shared borders; zoomed in (few areas on screen), from each area's
//! outline.

use egui::{Stroke, Ui};

use super::shapes::{screen_span, stroke_lines, stroke_outline};
use super::{LayerFrame, MapLayer};
use crate::command::Command;
use crate::map::basemap::REGION_BORDER_MIN_SPAN;

/// Region borders are noise below this zoom (a continent is on screen).
const REGION_BORDERS_FROM_ZOOM: f64 = 4.0;

/// Region, country and story-region borders.
pub struct Borders;

impl MapLayer for Borders {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let basemap = frame.basemap;
        let colors = &frame.colors;
        let zoom = frame.zoom();
        let region_stroke = Stroke::new(0.6, colors.region_border);
        let country_stroke = Stroke::new(1.2, colors.country_border);
        if let Some(shared) = basemap.shared_borders(frame.detail) {
            if zoom >= REGION_BORDERS_FROM_ZOOM {
                for band in shared.regions.iter().filter(|band| band.from_zoom <= zoom) {
                    stroke_lines(frame, &band.lines, region_stroke, false);
                }
            }
            stroke_lines(frame, &shared.countries, country_stroke, false);
            stroke_lines(frame, &shared.disputed, country_stroke, true);
        } else {
            let readable = basemap.region_areas.iter().filter(|area| {
                !area.disputed
                    && area.bounds.intersects(&frame.visible)
                    && screen_span(frame, area) >= REGION_BORDER_MIN_SPAN
            });
            for area in readable {
                stroke_outline(frame, area, region_stroke, false);
            }
            for area in &basemap.countries {
                stroke_outline(frame, area, country_stroke, area.disputed);
            }
        }
        let stroke = Stroke::new(2.0, colors.story_border);
        let story = &frame.data.story_regions;
        let story_areas = story
            .iter()
            .filter_map(|code| basemap.region(code))
            .flat_map(|region| basemap.areas_of(region));
        for area in story_areas {
            stroke_outline(frame, area, stroke, false);
        }
    }
}
