//! The span of time the timeline shows, and the pure rules that change it.
//!
//! One owner: [`crate::state::ViewState::timeline_view`] is the truth (`None`: fit the data).
//! Each frame the panel shows exactly [`shown_range`] of it and reports what the user did to it
//! (pan, zoom, a click on a histogram bar, a double-click) as a command; `app.rs`'s `apply`
//! stores the new span, computing fit and focus with [`fit_range`] and [`range_showing`].
//! Nothing writes the span back every frame, and egui_plot's own memory of it is overridden
//! each frame.

use super::axis::{days_from_seconds, seconds_from_days};
use crate::model::TimeRange;
use crate::state::TimelineView;

/// What the timeline shows before any data is open: a year from 1970.
const EMPTY_RANGE: TimelineView = TimelineView {
    min: 0.0,
    max: 365.0,
};

/// The whole extent with some room: 4 % of its length and a day on each side.
pub fn fit_range(extent: Option<TimeRange>) -> TimelineView {
    let Some(extent) = extent else {
        return EMPTY_RANGE;
    };
    let (start, end) = (
        days_from_seconds(extent.start),
        days_from_seconds(extent.end),
    );
    let pad = (end - start) * 0.04 + 1.0;
    TimelineView {
        min: start - pad,
        max: end + pad,
    }
}

/// The span the timeline shows for a remembered view: the view itself, or the fitted extent
/// when there is none or it is unusable (empty, reversed or not finite, from a damaged file).
pub fn shown_range(view: Option<TimelineView>, extent: Option<TimeRange>) -> TimelineView {
    view.filter(|v| v.min.is_finite() && v.max.is_finite() && v.min < v.max)
        .unwrap_or_else(|| fit_range(extent))
}

/// A span that brings `span` into view from `current`, or `None` when it is in view already.
///
/// A start outside the view centres the view on it at the same zoom; an end beyond the right
/// edge, of a span shorter than the view, slides the right edge just past it.
pub fn range_showing(span: TimeRange, current: TimelineView) -> Option<TimelineView> {
    let TimelineView { min, max } = current;
    let width = max - min;
    let (start, end) = (days_from_seconds(span.start), days_from_seconds(span.end));
    if start < min || start > max {
        Some(TimelineView {
            min: start - width / 2.0,
            max: start + width / 2.0,
        })
    } else if end > max && end - start < width {
        Some(TimelineView {
            min,
            max: end + width * 0.05,
        })
    } else {
        None
    }
}

/// The span to zoom to from a histogram bin `[start, end)`: the bin with twice its width of
/// context on each side (at least two days).
pub fn zoom_on(bin: TimeRange) -> TimelineView {
    let (a, b) = (days_from_seconds(bin.start), days_from_seconds(bin.end));
    let pad = (b - a).max(1.0) * 2.0;
    TimelineView {
        min: a - pad,
        max: b + pad,
    }
}

/// The span the plot ended the frame on, when it differs from the one it was given (the user
/// panned or zoomed); rounding noise far below a pixel is not a change.
pub fn moved_range(given: TimelineView, shown: TimelineView) -> Option<TimelineView> {
    let tolerance = (given.max - given.min).abs() * 1e-9;
    let moved =
        (shown.min - given.min).abs() > tolerance || (shown.max - given.max).abs() > tolerance;
    moved.then_some(shown)
}

/// The span in Unix seconds.
pub fn range_seconds(view: TimelineView) -> TimeRange {
    TimeRange {
        start: seconds_from_days(view.min),
        end: seconds_from_days(view.max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::DAY;

    fn days(min: f64, max: f64) -> TimelineView {
        TimelineView { min, max }
    }

    fn span(start_day: i64, end_day: i64) -> TimeRange {
        TimeRange {
            start: start_day * DAY,
            end: end_day * DAY,
        }
    }

    #[test]
    fn fit_pads_the_extent_on_both_sides() {
        assert_eq!(fit_range(Some(span(100, 200))), days(95.0, 205.0));
        // A single day still gets room.
        let day = fit_range(Some(span(10, 11)));
        assert!(
            (day.min - 8.96).abs() < 1e-9 && (day.max - 12.04).abs() < 1e-9,
            "{day:?}"
        );
        assert_eq!(fit_range(None), EMPTY_RANGE);
    }

    #[test]
    fn a_remembered_view_wins_over_the_fit() {
        let extent = Some(span(100, 200));
        assert_eq!(shown_range(None, extent), fit_range(extent));
        assert_eq!(shown_range(Some(days(1.0, 2.0)), extent), days(1.0, 2.0));
        let broken = [
            days(2.0, 2.0),
            days(3.0, 1.0),
            days(f64::NAN, 1.0),
            days(0.0, f64::INFINITY),
        ];
        for view in broken {
            assert_eq!(
                shown_range(Some(view), extent),
                fit_range(extent),
                "{view:?}"
            );
        }
    }

    #[test]
    fn focus_centres_a_start_outside_the_view_at_the_same_zoom() {
        let view = days(100.0, 110.0);
        assert_eq!(range_showing(span(50, 51), view), Some(days(45.0, 55.0)));
        assert_eq!(
            range_showing(span(300, 301), view),
            Some(days(295.0, 305.0))
        );
    }

    #[test]
    fn focus_slides_the_right_edge_to_an_end_beyond_it() {
        let view = days(100.0, 110.0);
        assert_eq!(
            range_showing(span(105, 112), view),
            Some(days(100.0, 112.5))
        );
        // A span longer than the view keeps the view: its start is shown already.
        assert_eq!(range_showing(span(105, 130), view), None);
    }

    #[test]
    fn focus_leaves_a_visible_event_alone() {
        let view = days(100.0, 110.0);
        assert_eq!(range_showing(span(101, 102), view), None);
        assert_eq!(range_showing(span(100, 110), view), None);
    }

    #[test]
    fn zooming_on_a_bin_keeps_context_around_it() {
        assert_eq!(zoom_on(span(10, 20)), days(-10.0, 40.0));
        let short = TimeRange {
            start: 10 * DAY,
            end: 10 * DAY + 3600,
        };
        let view = zoom_on(short);
        assert!((view.min - 8.0).abs() < 1e-9, "{view:?}");
        assert!(view.max > 12.0 && view.max < 12.1, "{view:?}");
    }

    #[test]
    fn only_a_real_change_of_span_is_reported() {
        let given = days(19_000.0, 19_100.0);
        assert_eq!(moved_range(given, given), None);
        assert_eq!(moved_range(given, days(19_000.0, 19_100.000_000_01)), None);
        let panned = days(19_010.0, 19_110.0);
        assert_eq!(moved_range(given, panned), Some(panned));
        let zoomed = days(19_025.0, 19_075.0);
        assert_eq!(moved_range(given, zoomed), Some(zoomed));
    }

    #[test]
    fn seconds_round_trip() {
        let range = range_seconds(days(1.0, 2.5));
        assert_eq!(
            range,
            TimeRange {
                start: DAY,
                end: 5 * DAY / 2
            }
        );
    }
}
