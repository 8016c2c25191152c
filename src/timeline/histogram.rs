//! Histograms of event starts, for lanes with too many marks to tell apart. The bins divide the
//! visible span, so they follow the zoom.

use crate::model::TimeRange;

/// One bin: how many events start in `[span.start, span.end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistogramBin {
    pub span: TimeRange,
    pub count: usize,
}

/// Bins for a plot `width_px` wide: about one per 5 px, between 10 and 400.
pub fn bin_count(width_px: f32) -> usize {
    ((width_px.max(0.0) / 5.0) as usize).clamp(10, 400)
}

/// `bins` equal bins over `view`, counting the `starts` (sorted) in each: every start inside
/// the view is in exactly one bin.
pub fn histogram(starts: &[i64], view: TimeRange, bins: usize) -> Vec<HistogramBin> {
    debug_assert!(starts.is_sorted(), "lane starts are in time order");
    let bins = bins.max(1);
    let length = i128::from((view.end - view.start).max(1));
    let edge = |bin: usize| view.start + (length * bin as i128 / bins as i128) as i64;
    // At a million events this runs every frame for every dense lane. Each bin's end is found
    // by galloping forward from the previous one: the search stays within the few cache lines
    // that the bin's starts occupy, where a binary search over the whole lane would miss the
    // cache at most of its steps.
    let mut below_start = starts.partition_point(|&s| s < view.start);
    (0..bins)
        .map(|bin| {
            let span = TimeRange {
                start: edge(bin),
                end: edge(bin + 1),
            };
            let rest = starts.get(below_start..).unwrap_or_default();
            let inside = gallop(rest, span.end);
            below_start += inside;
            HistogramBin {
                span,
                count: inside,
            }
        })
        .collect()
}

/// How many of the sorted `starts` are before `t`, searched from the front: cheap when the
/// answer is small, as it is for one bin of a histogram.
fn gallop(starts: &[i64], t: i64) -> usize {
    let mut bound = 1;
    while bound < starts.len() && starts.get(bound).is_some_and(|&s| s < t) {
        bound *= 2;
    }
    let window = starts
        .get(bound / 2..bound.min(starts.len()))
        .unwrap_or_default();
    bound / 2 + window.partition_point(|&s| s < t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::DAY;

    fn view(start: i64, end: i64) -> TimeRange {
        TimeRange { start, end }
    }

    #[test]
    fn galloping_counts_what_a_binary_search_counts() {
        let starts: Vec<i64> = (0..1000).map(|i| i / 3 * 7).collect();
        for t in [-5, 0, 1, 7, 8, 700, 2330, 2331, 5000] {
            assert_eq!(
                gallop(&starts, t),
                starts.partition_point(|&s| s < t),
                "{t}"
            );
        }
        assert_eq!(gallop(&[], 3), 0);
    }

    #[test]
    fn every_start_in_view_is_counted_once() {
        let starts: Vec<i64> = (0..10_000).map(|i| i * 37 % 5_000 * 61).collect();
        let mut starts = starts;
        starts.sort_unstable();
        let whole = view(1_000, 250_000);
        for bins in [1, 7, 10, 400] {
            let histogram = histogram(&starts, whole, bins);
            assert_eq!(histogram.len(), bins);
            let counted: usize = histogram.iter().map(|b| b.count).sum();
            let inside = starts
                .iter()
                .filter(|&&s| s >= whole.start && s < whole.end)
                .count();
            assert_eq!(counted, inside, "{bins} bins");
        }
    }

    #[test]
    fn bins_tile_the_view_and_follow_the_zoom() {
        let starts = [5 * DAY, 6 * DAY, 6 * DAY, 40 * DAY];
        let wide = histogram(&starts, view(0, 100 * DAY), 10);
        assert_eq!(wide.first().map(|b| b.span.start), Some(0));
        assert_eq!(wide.last().map(|b| b.span.end), Some(100 * DAY));
        for pair in wide.windows(2) {
            assert_eq!(pair[0].span.end, pair[1].span.start);
        }
        assert_eq!(wide[0].count, 3);
        assert_eq!(wide[4].count, 1);
        // Zoomed in on days 5 to 7: the same events spread over narrower bins.
        let narrow = histogram(&starts, view(5 * DAY, 7 * DAY), 10);
        assert_eq!(narrow[0].span, view(5 * DAY, 5 * DAY + DAY / 5));
        assert_eq!(narrow[0].count, 1);
        assert_eq!(narrow[5].count, 2);
        assert_eq!(narrow.iter().map(|b| b.count).sum::<usize>(), 3);
    }

    #[test]
    fn an_empty_or_reversed_view_still_gives_bins() {
        assert!(histogram(&[], view(0, 10), 10).iter().all(|b| b.count == 0));
        let reversed = histogram(&[5], view(10, 0), 3);
        assert_eq!(reversed.len(), 3);
        assert_eq!(reversed.iter().map(|b| b.count).sum::<usize>(), 0);
    }

    #[test]
    fn about_one_bin_per_five_pixels() {
        assert_eq!(bin_count(1000.0), 200);
        assert_eq!(bin_count(10.0), 10);
        assert_eq!(bin_count(-3.0), 10);
        assert_eq!(bin_count(10_000.0), 400);
    }
}
