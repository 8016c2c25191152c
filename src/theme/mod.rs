//! The theme: every colour the app draws with, for the dark and the light mode, and the
//! widgets that several views share ([`widgets`]).

pub mod links;
pub mod ramps;
pub mod story;
pub mod timeline;
pub mod uncertainty;
pub mod widgets;

use egui::Color32;

use crate::model::Dataset;

/// Colour of events without a category.
pub const UNCATEGORISED: Color32 = Color32::from_gray(110);

/// Colour of a hint that tells a first-time user what to do next (blue, readable on both
/// themes' panels).
pub fn hint_color(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(90, 150, 230)
    } else {
        Color32::from_rgb(30, 90, 170)
    }
}

/// Background of a filter chip above the map.
pub fn chip_fill(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(38, 62, 100)
    } else {
        Color32::from_rgb(214, 228, 248)
    }
}

/// Text of a filter chip.
pub fn chip_text(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(220, 232, 250)
    } else {
        Color32::from_rgb(20, 50, 100)
    }
}

/// Background behind the words of a search found in a text (the event table's titles): a
/// marker-pen amber that reads under the text colour of either theme, and apart from the
/// selected row's colour.
pub fn match_highlight(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(120, 90, 10)
    } else {
        Color32::from_rgb(255, 224, 110)
    }
}

/// Colour of a category (grey when the event has none).
pub fn category_color(dataset: &Dataset, category: Option<usize>) -> Color32 {
    category
        .and_then(|index| dataset.categories.get(index))
        .map_or(UNCATEGORISED, |c| {
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

/// The map's palette: the basemap, the labels and what is drawn over them (categories come
/// from the data, see [`category_color`]). The light theme keeps the dark one's contrast: labels
/// at least 4.5:1 against the land, lines and marker outlines at least 3:1.
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
    /// Lakes, drawn over the land (the sea's colour: both are water).
    pub lake: Color32,
    /// Built-up areas, a shade off the land.
    pub urban: Color32,
    pub label: Color32,
    pub story_label: Color32,
    pub region_label: Color32,
    pub country_label: Color32,
    /// Drawn around labels and city dots so they read over any fill.
    pub halo: Color32,
    /// Ring around markers and clusters, setting them off from the land.
    pub marker_outline: Color32,
    /// Ring around the selected (and, fainter, the hovered) marker.
    pub selection: Color32,
    /// The count on a cluster (drawn over the category colour).
    pub cluster_text: Color32,
    /// Clusters whose events are all earlier than the time window.
    pub earlier: Color32,
    /// Clusters mostly of categories beyond those counted one by one.
    pub other_categories: Color32,
    /// The basemap's source line.
    pub attribution: Color32,
}

impl MapColors {
    /// The plain fill of a country or a region: land, or disputed land.
    pub fn area_fill(&self, disputed: bool) -> Color32 {
        if disputed { self.disputed } else { self.land }
    }

    /// The palette for egui's current visuals (dark or light).
    pub fn for_visuals(visuals: &egui::Visuals) -> Self {
        let shared = Shared {
            selection: visuals.strong_text_color(),
            attribution: visuals.weak_text_color(),
        };
        if visuals.dark_mode {
            Self::dark(shared)
        } else {
            Self::light(shared)
        }
    }

    fn dark(shared: Shared) -> Self {
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
            lake: Color32::from_rgb(28, 38, 52),
            urban: Color32::from_rgb(44, 46, 50),
            label: Color32::from_gray(220),
            story_label: Color32::from_rgb(250, 200, 120),
            region_label: Color32::from_gray(150),
            country_label: Color32::from_gray(170),
            halo: Color32::from_rgb(28, 30, 32),
            marker_outline: Color32::WHITE,
            selection: shared.selection,
            cluster_text: Color32::BLACK,
            earlier: Color32::GRAY,
            other_categories: Color32::from_gray(175),
            attribution: shared.attribution,
        }
    }

    fn light(shared: Shared) -> Self {
        Self {
            sea: Color32::from_rgb(198, 220, 236),
            land: Color32::from_rgb(246, 243, 236),
            disputed: Color32::from_rgb(232, 226, 214),
            story_region: Color32::from_rgb(252, 234, 205),
            region_selected: Color32::from_rgb(250, 210, 150),
            region_border: Color32::from_gray(200),
            country_border: Color32::from_gray(120),
            story_border: Color32::from_rgb(180, 100, 20),
            river: Color32::from_rgb(150, 190, 225),
            lake: Color32::from_rgb(198, 220, 236),
            urban: Color32::from_rgb(234, 228, 216),
            label: Color32::from_gray(40),
            story_label: Color32::from_rgb(150, 80, 10),
            region_label: Color32::from_gray(110),
            country_label: Color32::from_gray(95),
            halo: Color32::from_rgb(250, 250, 248),
            // White would vanish on the light land; a dark ring sets light categories off.
            marker_outline: Color32::from_gray(60),
            selection: shared.selection,
            cluster_text: Color32::BLACK,
            earlier: Color32::GRAY,
            other_categories: Color32::from_gray(175),
            attribution: shared.attribution,
        }
    }
}

/// The map colours that follow egui's own visuals.
struct Shared {
    selection: Color32,
    attribution: Color32,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio of two opaque colours (1 to 21).
    fn contrast(a: Color32, b: Color32) -> f32 {
        let luminance = |c: Color32| {
            let channel = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
        };
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn both_themes_keep_labels_and_outlines_readable() {
        for visuals in [egui::Visuals::dark(), egui::Visuals::light()] {
            let colors = MapColors::for_visuals(&visuals);
            let mode = if visuals.dark_mode { "dark" } else { "light" };
            // Text is drawn on its halo.
            for (name, text) in [
                ("label", colors.label),
                ("story label", colors.story_label),
                ("region label", colors.region_label),
                ("country label", colors.country_label),
            ] {
                let ratio = contrast(text, colors.halo);
                assert!(ratio >= 4.5, "{mode}: {name} on its halo: {ratio}");
            }
            // Lines and marker rings are drawn on the land; the story border also on its region.
            for (name, line, background) in [
                ("country border", colors.country_border, colors.land),
                ("story border", colors.story_border, colors.land),
                ("story border", colors.story_border, colors.story_region),
                ("marker outline", colors.marker_outline, colors.land),
                ("marker outline", colors.marker_outline, colors.urban),
                ("country border", colors.country_border, colors.urban),
                ("marker outline", colors.marker_outline, colors.story_region),
                ("selection", colors.selection, colors.land),
            ] {
                let ratio = contrast(line, background);
                assert!(ratio >= 3.0, "{mode}: {name} on {background:?}: {ratio}");
            }
        }
    }
}
