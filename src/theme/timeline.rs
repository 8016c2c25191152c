//! The timeline's palette: the playhead, the time window, the scrub bar, the selection and how
//! events fade, for the dark and the light mode. Category colours come from
//! [`super::category_color`].

use egui::Color32;

use crate::model::EventStatus;

/// Every colour the timeline draws with, besides the categories'.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimelineColors {
    /// The playhead line in the plot and its handle on the scrub bar.
    pub playhead: Color32,
    /// The time window (from the playhead back) behind the plot's events.
    pub window_in_plot: Color32,
    /// The time window on the scrub bar.
    pub window_on_scrub_bar: Color32,
    /// The scrub bar's track.
    pub scrub_track: Color32,
    /// The date written next to the playhead handle.
    pub playhead_label: Color32,
    /// The ring or outline around the selected and the hovered event.
    pub emphasis: Color32,
    /// How strongly events before the window are drawn (1: in full).
    pub past_strength: f32,
    /// How strongly events after the playhead are drawn, marks and histogram bars alike.
    pub future_strength: f32,
    /// The two shades of eras behind the lanes (neighbouring eras alternate).
    pub era_fills: [Color32; 2],
    /// The edges of an era.
    pub era_border: Color32,
    /// Words in the plot where there is nothing to draw ("no dated events").
    pub hint: Color32,
    /// The filter's date range behind the lanes, and its edges.
    pub filter_span: Color32,
    pub filter_span_border: Color32,
}

impl TimelineColors {
    /// The palette for the dark (`true`) or the light mode.
    pub fn new(dark_mode: bool) -> Self {
        if dark_mode {
            Self {
                playhead: Color32::from_rgb(210, 50, 40),
                window_in_plot: Color32::from_rgba_unmultiplied(230, 80, 60, 28),
                window_on_scrub_bar: Color32::from_rgba_unmultiplied(230, 80, 60, 50),
                scrub_track: Color32::from_gray(10),
                playhead_label: Color32::from_gray(255),
                emphasis: Color32::from_gray(255),
                past_strength: 0.6,
                future_strength: 0.3,
                era_fills: [
                    Color32::from_rgba_unmultiplied(120, 150, 200, 22),
                    Color32::from_rgba_unmultiplied(200, 170, 110, 22),
                ],
                era_border: Color32::from_rgba_unmultiplied(160, 170, 190, 60),
                hint: Color32::from_gray(170),
                filter_span: Color32::from_rgba_unmultiplied(90, 160, 255, 30),
                filter_span_border: Color32::from_rgba_unmultiplied(120, 180, 255, 160),
            }
        } else {
            // On white, faded colours turn pale rather than dark: fade less, and give the
            // track and the window enough contrast against the panel's near-white.
            Self {
                playhead: Color32::from_rgb(200, 40, 30),
                window_in_plot: Color32::from_rgba_unmultiplied(220, 70, 50, 34),
                window_on_scrub_bar: Color32::from_rgba_unmultiplied(220, 70, 50, 70),
                scrub_track: Color32::from_gray(222),
                playhead_label: Color32::BLACK,
                emphasis: Color32::BLACK,
                past_strength: 0.7,
                future_strength: 0.4,
                era_fills: [
                    Color32::from_rgba_unmultiplied(70, 110, 180, 24),
                    Color32::from_rgba_unmultiplied(190, 140, 60, 26),
                ],
                era_border: Color32::from_rgba_unmultiplied(90, 100, 120, 70),
                hint: Color32::from_gray(90),
                filter_span: Color32::from_rgba_unmultiplied(40, 110, 220, 30),
                filter_span_border: Color32::from_rgba_unmultiplied(40, 110, 220, 170),
            }
        }
    }

    /// An event's colour at its status: in full inside the window, faded before and after.
    pub fn event_color(&self, category_color: Color32, status: EventStatus) -> Color32 {
        match status {
            EventStatus::Current => category_color,
            EventStatus::Past => category_color.gamma_multiply(self.past_strength),
            EventStatus::Future => category_color.gamma_multiply(self.future_strength),
        }
    }

    /// A histogram bar's colour: faded when its events start after the playhead.
    pub fn histogram_color(&self, category_color: Color32, after_playhead: bool) -> Color32 {
        if after_playhead {
            // A little stronger than single marks: a bar of counts is one wide shape.
            category_color.gamma_multiply((self.future_strength + 0.05).min(1.0))
        } else {
            category_color
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fading_keeps_future_fainter_than_past_in_both_modes() {
        for dark in [true, false] {
            let colors = TimelineColors::new(dark);
            let base = Color32::from_rgb(200, 100, 50);
            let current = colors.event_color(base, EventStatus::Current);
            let past = colors.event_color(base, EventStatus::Past);
            let future = colors.event_color(base, EventStatus::Future);
            assert_eq!(current, base);
            assert!(
                future.a() < past.a() && past.a() < current.a(),
                "dark {dark}"
            );
            assert!(colors.histogram_color(base, true).a() < base.a());
        }
    }

    #[test]
    fn emphasis_and_label_stand_out_from_the_track() {
        for dark in [true, false] {
            let colors = TimelineColors::new(dark);
            let track = i32::from(colors.scrub_track.r());
            let label = i32::from(colors.playhead_label.r());
            assert!((track - label).abs() > 180, "dark {dark}");
        }
    }

    #[test]
    fn eras_stay_faint_behind_the_events() {
        for dark in [true, false] {
            let colors = TimelineColors::new(dark);
            assert_ne!(colors.era_fills[0], colors.era_fills[1], "dark {dark}");
            for fill in colors.era_fills {
                assert!(fill.a() < colors.window_in_plot.a() + 10, "dark {dark}");
            }
        }
    }
}
