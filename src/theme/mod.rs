//! The theme: every colour the app draws with, for the dark and the light mode, and the
//! widgets that several views share ([`widgets`]).

pub mod timeline;
pub mod widgets;

use egui::Color32;

use crate::model::Dataset;

/// Colour of a category (grey when the event has none).
pub fn category_color(dataset: &Dataset, category: Option<usize>) -> Color32 {
    category
        .and_then(|index| dataset.categories.get(index))
        .map_or(Color32::from_gray(110), |c| {
            let [r, g, b] = c.color;
            Color32::from_rgb(r, g, b)
        })
}

/// Label of a category ("Uncategorised" when the event has none).
pub fn category_label(dataset: &Dataset, category: Option<usize>) -> &str {
    category
        .and_then(|index| dataset.categories.get(index))
        .map_or("Uncategorised", |c| c.label.as_str())
}

/// The basemap's palette.
pub struct MapColors {
    pub sea: Color32,
    pub land: Color32,
    pub disputed: Color32,
    pub story_region: Color32,
    pub region_selected: Color32,
    pub region_border: Color32,
    pub country_border: Color32,
    pub story_border: Color32,
    pub river: Color32,
    pub label: Color32,
    pub story_label: Color32,
    pub region_label: Color32,
    pub country_label: Color32,
    pub halo: Color32,
}

impl MapColors {
    pub fn new(dark_mode: bool) -> Self {
        if dark_mode {
            Self {
                sea: Color32::from_rgb(28, 38, 52),
                land: Color32::from_rgb(52, 54, 56),
                disputed: Color32::from_rgb(70, 62, 52),
                story_region: Color32::from_rgb(84, 70, 48),
                region_selected: Color32::from_rgb(120, 96, 50),
                region_border: Color32::from_gray(78),
                country_border: Color32::from_gray(130),
                story_border: Color32::from_rgb(230, 160, 60),
                river: Color32::from_rgb(70, 100, 140),
                label: Color32::from_gray(220),
                story_label: Color32::from_rgb(250, 200, 120),
                region_label: Color32::from_gray(150),
                country_label: Color32::from_gray(170),
                halo: Color32::from_rgb(28, 30, 32),
            }
        } else {
            Self {
                sea: Color32::from_rgb(198, 220, 236),
                land: Color32::from_rgb(246, 243, 236),
                disputed: Color32::from_rgb(232, 226, 214),
                story_region: Color32::from_rgb(252, 234, 205),
                region_selected: Color32::from_rgb(250, 210, 150),
                region_border: Color32::from_gray(200),
                country_border: Color32::from_gray(120),
                story_border: Color32::from_rgb(214, 130, 30),
                river: Color32::from_rgb(150, 190, 225),
                label: Color32::from_gray(40),
                story_label: Color32::from_rgb(150, 80, 10),
                region_label: Color32::from_gray(130),
                country_label: Color32::from_gray(95),
                halo: Color32::from_rgb(250, 250, 248),
            }
        }
    }
}
