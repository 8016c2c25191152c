//! The colours of the story: the caption card shown over the map while presenting.

use egui::Color32;

/// The caption card's colours, readable over any part of the map in either theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CaptionColors {
    /// The card itself: nearly opaque, so the map under it does not blur the words.
    pub fill: Color32,
    pub border: Color32,
    pub title: Color32,
    pub text: Color32,
    /// The quote from the source, set apart from our own words.
    pub quote: Color32,
    /// "3 / 7".
    pub count: Color32,
}

impl CaptionColors {
    /// The colours for egui's current visuals (dark or light).
    pub fn for_visuals(visuals: &egui::Visuals) -> Self {
        if visuals.dark_mode {
            Self {
                fill: Color32::from_rgba_unmultiplied(22, 26, 32, 240),
                border: Color32::from_rgb(230, 160, 60),
                title: Color32::from_gray(245),
                text: Color32::from_gray(225),
                quote: Color32::from_rgb(250, 205, 140),
                count: Color32::from_gray(170),
            }
        } else {
            Self {
                fill: Color32::from_rgba_unmultiplied(253, 252, 248, 245),
                border: Color32::from_rgb(180, 100, 20),
                title: Color32::from_gray(15),
                text: Color32::from_gray(35),
                quote: Color32::from_rgb(120, 62, 8),
                count: Color32::from_gray(90),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio of two colours (alpha ignored: the card is nearly opaque).
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
    fn the_caption_reads_on_its_card_in_both_themes() {
        for visuals in [egui::Visuals::dark(), egui::Visuals::light()] {
            let colors = CaptionColors::for_visuals(&visuals);
            let opaque = Color32::from_rgb(colors.fill.r(), colors.fill.g(), colors.fill.b());
            for (name, text) in [
                ("title", colors.title),
                ("text", colors.text),
                ("quote", colors.quote),
                ("count", colors.count),
            ] {
                let ratio = contrast(text, opaque);
                assert!(ratio >= 4.5, "dark {}: {name}: {ratio}", visuals.dark_mode);
            }
            assert!(colors.fill.a() >= 230, "the map must not show through");
        }
    }
}
