//! Eras (a TimelineJS file's named spans, "Roman Republic") as shaded, labelled bands behind
//! the lanes. Laid out once per dataset: an era that overlaps the one before it takes its label
//! to the bottom of the plot, so that the two labels do not cover each other.

use egui::Align2;
use egui_plot::{PlotUi, Span};

use super::axis::days_from_seconds;
use crate::model::Era;
use crate::theme::timeline::TimelineColors;

/// One era as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct EraBand {
    pub label: String,
    /// Plot x (days since 1970) of its start and end.
    pub start: f64,
    pub end: f64,
    /// Its label at the bottom (it overlaps the era before it) rather than the top.
    pub label_below: bool,
    /// Which of the two shades it takes: neighbours differ.
    pub shade: usize,
}

/// The eras of a dataset, in time order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EraBands {
    pub bands: Vec<EraBand>,
}

impl EraBands {
    /// Bands for `eras`, sorted by start (then end).
    pub fn new(eras: &[Era]) -> Self {
        let mut sorted: Vec<&Era> = eras.iter().collect();
        sorted.sort_by_key(|era| (era.span.start, era.span.end));
        let mut bands: Vec<EraBand> = Vec::with_capacity(sorted.len());
        // The latest end among the eras whose labels are on top.
        let mut top_end = i64::MIN;
        for (position, era) in sorted.into_iter().enumerate() {
            let label_below = era.span.start < top_end;
            if !label_below {
                top_end = era.span.end;
            }
            bands.push(EraBand {
                label: era.label.clone(),
                start: days_from_seconds(era.span.start),
                end: days_from_seconds(era.span.end),
                label_below,
                shade: position % 2,
            });
        }
        Self { bands }
    }

    /// Draws the bands (first, so that everything else is on top of them).
    pub fn draw(&self, plot_ui: &mut PlotUi<'_>, colors: &TimelineColors) {
        for band in &self.bands {
            let align = if band.label_below {
                Align2::CENTER_BOTTOM
            } else {
                Align2::CENTER_TOP
            };
            let fill = colors
                .era_fills
                .get(band.shade)
                .copied()
                .unwrap_or_default();
            plot_ui.span(
                // egui_plot writes the name inside the span: the era's label.
                Span::new(band.label.as_str(), band.start..=band.end)
                    .fill(fill)
                    .border(egui::Stroke::new(1.0, colors.era_border))
                    .label_align(align),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TimeRange;
    use crate::model::calendar::DAY;

    fn era(label: &str, start_day: i64, end_day: i64) -> Era {
        Era {
            label: label.to_owned(),
            span: TimeRange {
                start: start_day * DAY,
                end: end_day * DAY,
            },
        }
    }

    #[test]
    fn overlapping_eras_take_their_labels_below_and_neighbours_differ_in_shade() {
        let bands = EraBands::new(&[
            era("Tang", 50, 300),
            era("Republic", 0, 100),
            era("Empire", 100, 200),
            era("Later", 300, 400),
        ]);
        let laid_out: Vec<(&str, f64, bool, usize)> = bands
            .bands
            .iter()
            .map(|b| (b.label.as_str(), b.start, b.label_below, b.shade))
            .collect();
        assert_eq!(
            laid_out,
            [
                ("Republic", 0.0, false, 0),
                ("Tang", 50.0, true, 1),
                ("Empire", 100.0, false, 0),
                ("Later", 300.0, false, 1),
            ]
        );
        assert_eq!(bands.bands[1].end, 300.0);
        assert!(EraBands::new(&[]).bands.is_empty());
    }
}
