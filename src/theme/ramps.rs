//! Sequential colour ramps for the map's data layers: the classes of the regions' choropleth
//! and the density's hexagons. More events read as more ink: darker and redder on the light
//! land, brighter on the dark land, each step apart from the next and the first apart from the
//! land.

use egui::{Color32, Visuals};

/// The most classes a choropleth has.
pub const MAX_CLASSES: usize = 6;

/// Yellow to dark red (ColorBrewer's YlOrRd without its palest step, which the land would hide).
const LIGHT_RAMP: [Color32; MAX_CLASSES] = [
    Color32::from_rgb(254, 217, 118),
    Color32::from_rgb(254, 178, 76),
    Color32::from_rgb(253, 141, 60),
    Color32::from_rgb(252, 78, 42),
    Color32::from_rgb(227, 26, 28),
    Color32::from_rgb(177, 0, 38),
];

/// Dim purple to pale yellow (the upper part of the "inferno" ramp), growing brighter.
const DARK_RAMP: [Color32; MAX_CLASSES] = [
    Color32::from_rgb(120, 28, 109),
    Color32::from_rgb(172, 46, 94),
    Color32::from_rgb(221, 81, 58),
    Color32::from_rgb(245, 125, 21),
    Color32::from_rgb(250, 180, 40),
    Color32::from_rgb(252, 240, 140),
];

/// The ramp for egui's current visuals.
fn ramp(visuals: &Visuals) -> &'static [Color32; MAX_CLASSES] {
    if visuals.dark_mode {
        &DARK_RAMP
    } else {
        &LIGHT_RAMP
    }
}

/// The fills of `classes` choropleth classes (at most [`MAX_CLASSES`]), fewest events first:
/// fewer classes take steps spread over the whole ramp.
pub fn class_colors(visuals: &Visuals, classes: usize) -> Vec<Color32> {
    let ramp = ramp(visuals);
    let classes = classes.min(MAX_CLASSES);
    let last = MAX_CLASSES - 1;
    (0..classes)
        .map(|class| {
            let step = if classes <= 1 {
                last / 2
            } else {
                (class * last + (classes - 1) / 2) / (classes - 1)
            };
            ramp.get(step).copied().unwrap_or(Color32::GRAY)
        })
        .collect()
}

/// The colour of a density hexagon at `t` (0: one event, 1: the most), along the ramp and
/// more opaque as it grows, so that the basemap shows through sparse hexagons.
pub fn density_color(visuals: &Visuals, t: f32) -> Color32 {
    let ramp = ramp(visuals);
    let along = t.clamp(0.0, 1.0) * (MAX_CLASSES - 1) as f32;
    let below = (along.floor() as usize).min(MAX_CLASSES - 2);
    let fraction = along - below as f32;
    let (Some(&from), Some(&to)) = (ramp.get(below), ramp.get(below + 1)) else {
        return Color32::GRAY;
    };
    let mix =
        |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * fraction).round() as u8;
    let alpha = (140.0 + 100.0 * t.clamp(0.0, 1.0)).round() as u8;
    Color32::from_rgba_unmultiplied(
        mix(from.r(), to.r()),
        mix(from.g(), to.g()),
        mix(from.b(), to.b()),
        alpha,
    )
}

/// The outline of the region under the pointer.
pub fn hovered_region_outline(visuals: &Visuals) -> Color32 {
    visuals.strong_text_color()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::MapColors;

    /// Relative luminance (WCAG 2) of an opaque colour.
    fn luminance(c: Color32) -> f32 {
        let channel = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    fn contrast(a: Color32, b: Color32) -> f32 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn classes_step_away_from_the_land_in_both_themes() {
        for visuals in [Visuals::light(), Visuals::dark()] {
            let land = MapColors::for_visuals(&visuals).land;
            let colors = class_colors(&visuals, MAX_CLASSES);
            let mode = if visuals.dark_mode { "dark" } else { "light" };
            assert!(
                contrast(colors[0], land) >= 1.2,
                "{mode}: first class on land"
            );
            for pair in colors.windows(2) {
                // Each class further from the land than the one before, and apart from it.
                let (nearer, further) = (contrast(pair[0], land), contrast(pair[1], land));
                assert!(further > nearer, "{mode}: {pair:?}");
                assert!(contrast(pair[0], pair[1]) >= 1.25, "{mode}: {pair:?}");
            }
        }
    }

    #[test]
    fn fewer_classes_spread_over_the_ramp() {
        let visuals = Visuals::light();
        assert_eq!(class_colors(&visuals, 6), LIGHT_RAMP.to_vec());
        assert_eq!(
            class_colors(&visuals, 2),
            vec![LIGHT_RAMP[0], LIGHT_RAMP[5]]
        );
        assert_eq!(class_colors(&visuals, 3)[1], LIGHT_RAMP[3]);
        assert_eq!(class_colors(&visuals, 1).len(), 1);
        assert_eq!(class_colors(&visuals, 9).len(), MAX_CLASSES);
        // The density ramp starts and ends on the class ramp, more opaque as it grows.
        // (Within a step: colours are stored with their alpha multiplied in.)
        let near = |a: Color32, b: Color32| {
            let (a, b) = (a.to_srgba_unmultiplied(), b.to_array());
            (0..3).all(|n| a[n].abs_diff(b[n]) <= 1)
        };
        let (low, high) = (density_color(&visuals, 0.0), density_color(&visuals, 1.0));
        assert!(
            near(low, LIGHT_RAMP[0]) && near(high, LIGHT_RAMP[5]),
            "{low:?} {high:?}"
        );
        assert!(high.a() > low.a());
    }
}
