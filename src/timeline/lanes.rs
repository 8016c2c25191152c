//! Lanes: one per category, laid out once per dataset, and which event is under the pointer.

use std::cell::{Ref, RefCell};
use std::sync::Arc;

use egui::{Pos2, Rect, vec2};
use egui_plot::{PlotPoint, PlotTransform};

use super::axis::{days_from_seconds, seconds_from_days};
use super::eras::EraBands;
use super::histogram::{HistogramBin, histogram};
use crate::model::{Dataset, Event, EventIndex, EventSet, TimeRange, calendar, index::TimeIndex};
use crate::theme::category_label;

/// Plot height of one row of events.
pub const ROW_HEIGHT: f64 = 1.0;
/// Plot height between two lanes.
const LANE_GAP: f64 = 0.6;
/// Half the plot height of a bar (a month, a year, a range).
pub const BAR_HALF_HEIGHT: f64 = 0.32;
/// Lanes with more events than this are not split into rows but drawn as one band, of marks or
/// of a histogram.
const DENSE_LANE: usize = 1500;
/// Pixels within which a click or hover hits a mark.
const HIT_RADIUS: f32 = 8.0;

/// One lane: the events of one category, in time order, on one or more rows.
pub struct Lane {
    /// The category (`None`: uncategorised), which gives the lane its label and colour.
    pub category: Option<usize>,
    pub label: String,
    /// Plot y of the lane's first row (its top) and of its last row.
    pub first_row: f64,
    pub last_row: f64,
    /// The lane's events (dataset indexes) in time order.
    members: Vec<u32>,
    /// Their starts, in the same order.
    starts: Vec<i64>,
    /// The longest span in the lane: events reaching into a view start at most this before it.
    longest: i64,
    /// Time index over the members (positions in `members`), for picking.
    index: TimeIndex,
    /// The last histogram drawn: its counts change only when the view, the plot's width or
    /// the filter's result does, not when the playhead moves, and counting a dense lane costs
    /// more than a frame.
    histogram_memo: RefCell<Option<HistogramMemo>>,
}

/// A lane's histogram for one view, one number of bins and one filter result.
struct HistogramMemo {
    view: TimeRange,
    bins: usize,
    /// The [`MatchingLanes::generation`] counted.
    generation: u64,
    counts: Vec<HistogramBin>,
}

impl Lane {
    fn new(
        dataset: &Dataset,
        category: Option<usize>,
        members: &[EventIndex],
        first_row: f64,
        last_row: f64,
    ) -> Self {
        let span_of = |i: &EventIndex| dataset.events.get(*i).map(|e| e.span);
        let starts: Vec<i64> = members
            .iter()
            .filter_map(|i| Some(span_of(i)?.start))
            .collect();
        let ends: Vec<i64> = members
            .iter()
            .filter_map(|i| Some(span_of(i)?.end))
            .collect();
        debug_assert_eq!(
            starts.len(),
            members.len(),
            "members are events of the dataset"
        );
        let longest = starts
            .iter()
            .zip(&ends)
            .map(|(s, e)| e - s)
            .max()
            .unwrap_or(0);
        Self {
            category,
            label: category_label(dataset, category).to_owned(),
            first_row,
            last_row,
            members: members.iter().map(|&i| i as u32).collect(),
            longest,
            index: TimeIndex::from_spans(starts.clone(), ends),
            starts,
            histogram_memo: RefCell::new(None),
        }
    }

    /// Their starts, in the same order.
    pub fn starts(&self) -> &[i64] {
        &self.starts
    }

    /// How many dated events the lane holds.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The histogram of `starts` (the lane's, or those of its events that match, as of filter
    /// result `generation`) over `view` in `bins` bins (see [`histogram`]), counted again only
    /// when one of the three changed since the last call.
    fn histogram_of(
        &self,
        starts: &[i64],
        generation: u64,
        view: TimeRange,
        bins: usize,
    ) -> Vec<HistogramBin> {
        let mut memo = self.histogram_memo.borrow_mut();
        match memo.as_ref() {
            Some(last)
                if last.view == view && last.bins == bins && last.generation == generation =>
            {
                last.counts.clone()
            }
            _ => {
                let counts = histogram(starts, view, bins);
                *memo = Some(HistogramMemo {
                    view,
                    bins,
                    generation,
                    counts: counts.clone(),
                });
                counts
            }
        }
    }

    /// Of `members` (the lane's, or some of them) with their `starts`, those that can reach
    /// into `view`: starting in it or less than the lane's longest span before it (a few more
    /// than needed).
    fn visible_of<'m>(&self, members: &'m [u32], starts: &[i64], view: TimeRange) -> &'m [u32] {
        let from = starts.partition_point(|&s| s < view.start.saturating_sub(self.longest));
        let to = starts.partition_point(|&s| s <= view.end);
        let visible = members.get(from..to.max(from));
        debug_assert!(visible.is_some(), "one start per member");
        visible.unwrap_or(&[])
    }

    /// The lane's events (dataset indexes, in time order) that can reach into `view`, matching
    /// or not (see [`ShownLane::visible`]).
    pub fn visible(&self, view: TimeRange) -> &[u32] {
        self.visible_of(&self.members, &self.starts, view)
    }

    /// Whether plot height `y` is on the lane (its rows and the bars' height around them).
    fn contains_y(&self, y: f64) -> bool {
        y <= self.first_row + BAR_HALF_HEIGHT + 0.2 && y >= self.last_row - BAR_HALF_HEIGHT - 0.2
    }

    /// Whether the event is one of this lane's (an undated event is in none).
    pub fn holds(&self, dataset: &Dataset, event: &Event) -> bool {
        !event.is_undated() && lane_category(dataset, event.category) == self.category
    }
}

/// A lane's events that the filter lets through, in time order, and their starts.
struct LaneSubset {
    members: Vec<u32>,
    starts: Vec<i64>,
}

impl LaneSubset {
    /// The members of `lane` in `matches`; `None` when that is all of them.
    fn of(lane: &Lane, matches: &EventSet) -> Option<Self> {
        let mut subset = Self {
            members: Vec::new(),
            starts: Vec::new(),
        };
        for (&member, &start) in lane.members.iter().zip(&lane.starts) {
            if matches.contains(member as usize) {
                subset.members.push(member);
                subset.starts.push(start);
            }
        }
        (subset.members.len() < lane.members.len()).then_some(subset)
    }
}

/// The lanes as the filter leaves them: each lane's matching events, gathered once per filter
/// result, so that a frame draws, picks and counts only those without looking at the others.
pub struct MatchingLanes {
    /// The filter's result these are of (`None`: every event). Held, so that no later result
    /// can be given its address while it is compared with.
    matches: Option<Arc<EventSet>>,
    /// A new number for every result: a lane's histogram is counted again when it changes.
    generation: u64,
    /// Per lane, its events that match; `None` (or no entry): all of them.
    subsets: Vec<Option<LaneSubset>>,
    /// How many undated events match.
    undated: usize,
}

impl MatchingLanes {
    /// Every event of every lane (no filter seen yet).
    fn everything(undated: usize) -> Self {
        Self {
            matches: None,
            generation: 0,
            subsets: Vec::new(),
            undated,
        }
    }

    /// Gathers each lane's events that `matches` lets through: once per filter result, a walk
    /// over the matching events only.
    fn gather(panel: &TimelinePanel, dataset: &Dataset, matches: &Arc<EventSet>) -> Self {
        let generation = panel.matching.borrow().generation + 1;
        if matches.is_all() || matches.universe() != dataset.events.len() {
            debug_assert_eq!(
                matches.universe(),
                dataset.events.len(),
                "one set per dataset"
            );
            return Self {
                matches: Some(Arc::clone(matches)),
                generation,
                ..Self::everything(panel.undated)
            };
        }
        // Each lane's own members, walked in order against the set's bits: no event is
        // looked up, and each subset comes out in time order.
        let subsets = panel
            .lanes
            .iter()
            .map(|lane| LaneSubset::of(lane, matches))
            .collect();
        let undated = panel
            .undated_events
            .iter()
            .filter(|&&index| matches.contains(index as usize))
            .count();
        Self {
            matches: Some(Arc::clone(matches)),
            generation,
            subsets,
            undated,
        }
    }

    /// Whether these are the lanes of this very result.
    fn is_of(&self, matches: &Arc<EventSet>) -> bool {
        self.matches
            .as_ref()
            .is_some_and(|m| Arc::ptr_eq(m, matches))
    }

    /// Whether some event is left out.
    pub fn is_filtered(&self) -> bool {
        self.matches.as_ref().is_some_and(|m| !m.is_all())
    }

    /// Whether the event is drawn: the filter lets it through.
    pub fn shows(&self, index: EventIndex) -> bool {
        match &self.matches {
            Some(matches) if !self.subsets.is_empty() => matches.contains(index),
            _ => true,
        }
    }

    /// How many undated events match (the timeline's hint counts them).
    pub fn undated(&self) -> usize {
        self.undated
    }

    /// Lane `lane_index` (which is `lane`) as the filter leaves it.
    pub fn lane<'a>(&'a self, lane_index: usize, lane: &'a Lane) -> ShownLane<'a> {
        let (members, starts) = match self.subsets.get(lane_index) {
            Some(Some(subset)) => (subset.members.as_slice(), subset.starts.as_slice()),
            _ => (lane.members.as_slice(), lane.starts.as_slice()),
        };
        ShownLane {
            lane,
            members,
            starts,
            generation: self.generation,
        }
    }
}

/// One lane's events that match, in time order.
#[derive(Clone, Copy)]
pub struct ShownLane<'a> {
    pub lane: &'a Lane,
    members: &'a [u32],
    starts: &'a [i64],
    generation: u64,
}

impl ShownLane<'_> {
    /// How many of the lane's events match.
    pub fn count(&self) -> usize {
        self.members.len()
    }

    /// The matching events (dataset indexes, in time order) that can reach into `view`.
    pub fn visible(&self, view: TimeRange) -> &[u32] {
        self.lane.visible_of(self.members, self.starts, view)
    }

    /// The histogram of the matching events' starts over `view` (memoised in the lane).
    pub fn histogram(&self, view: TimeRange, bins: usize) -> Vec<HistogramBin> {
        self.lane
            .histogram_of(self.starts, self.generation, view, bins)
    }

    /// The lane's name, with how many of its events match when some are left out:
    /// "Attacks · 12 of 340".
    pub fn label(&self, filtered: bool) -> String {
        if filtered {
            format!(
                "{} · {} of {}",
                self.lane.label,
                calendar::group_thousands(self.count() as u64),
                calendar::group_thousands(self.lane.len() as u64)
            )
        } else {
            self.lane.label.clone()
        }
    }
}

/// The category whose lane an event goes in: its own, or the uncategorised lane (`None`) for
/// none or one the dataset does not have (which loading never lets through).
fn lane_category(dataset: &Dataset, category: Option<usize>) -> Option<usize> {
    debug_assert!(category.is_none_or(|c| c < dataset.categories.len()));
    category.filter(|&c| c < dataset.categories.len())
}

/// The events of each lane: one lane per category that has dated events, in the dataset's
/// order of categories, the uncategorised last; within a lane in time order. Undated events
/// are in no lane: the timeline leaves them out.
fn lane_members(dataset: &Dataset) -> Vec<(Option<usize>, Vec<EventIndex>)> {
    let uncategorised = dataset.categories.len();
    let mut members: Vec<Vec<EventIndex>> = vec![Vec::new(); uncategorised + 1];
    for (index, event) in dataset.events.iter().enumerate() {
        if event.is_undated() {
            continue;
        }
        let lane = lane_category(dataset, event.category).unwrap_or(uncategorised);
        if let Some(lane) = members.get_mut(lane) {
            lane.push(index);
        }
    }
    members
        .into_iter()
        .enumerate()
        .filter(|(_, events)| !events.is_empty())
        .map(|(lane, events)| ((lane < uncategorised).then_some(lane), events))
        .collect()
}

/// Rows of a lane filled by interval partitioning: each event takes the first row free at its
/// start. Events must come in time order.
#[derive(Default)]
struct RowPacker {
    /// When each row is free again.
    row_ends: Vec<i64>,
}

impl RowPacker {
    /// The row of an event spanning `span`; exact days and moments keep half a day to
    /// themselves, so that dots on the same day do not hide each other.
    fn place(&mut self, span: TimeRange, exact: bool) -> usize {
        let end = if exact {
            span.start + calendar::DAY / 2
        } else {
            span.end
        };
        match self.row_ends.iter().position(|&e| e <= span.start) {
            Some(row) => {
                if let Some(slot) = self.row_ends.get_mut(row) {
                    *slot = end;
                }
                row
            }
            None => {
                self.row_ends.push(end);
                self.row_ends.len() - 1
            }
        }
    }

    /// Rows used so far (at least one).
    fn rows(&self) -> usize {
        self.row_ends.len().max(1)
    }
}

/// The timeline's data, computed once per dataset: its lanes and where each event is drawn.
pub struct TimelinePanel {
    /// Plot y of each event's row, by event index (undated events have none: they are left
    /// out of the timeline, and their entry is 0).
    pub rows: Vec<f64>,
    /// The lanes, top to bottom.
    pub lanes: Vec<Lane>,
    /// Lowest y used (the plot shows `bottom..=0.5`).
    pub bottom: f64,
    /// The eras drawn behind the lanes.
    pub eras: EraBands,
    /// How many events have no date (and are on the map only).
    pub undated: usize,
    /// The undated events (in no lane), by index.
    undated_events: Vec<u32>,
    /// The lanes as the last filter result drawn left them.
    matching: RefCell<MatchingLanes>,
    /// The events drawn in full (inside the shown window) in the last frame.
    drawn_in_full: RefCell<Vec<EventIndex>>,
}

impl TimelinePanel {
    /// Lanes by category (see [`lane_members`]); within a lane, events that overlap in time go
    /// on separate rows, except in lanes too dense for rows, drawn as one band.
    pub fn new(dataset: &Dataset) -> Self {
        let mut rows = vec![0.0; dataset.events.len()];
        let mut lanes = Vec::new();
        let mut y = 0.0;
        for (category, members) in lane_members(dataset) {
            let last_row = if members.len() > DENSE_LANE {
                // One band, two rows high, for marks or a histogram.
                for &index in &members {
                    if let Some(slot) = rows.get_mut(index) {
                        *slot = y - ROW_HEIGHT / 2.0;
                    }
                }
                y - ROW_HEIGHT
            } else {
                let mut packer = RowPacker::default();
                for &index in &members {
                    if let (Some(event), Some(slot)) =
                        (dataset.events.get(index), rows.get_mut(index))
                    {
                        *slot = y - packer.place(event.span, event.is_exact()) as f64 * ROW_HEIGHT;
                    }
                }
                y - (packer.rows() - 1) as f64 * ROW_HEIGHT
            };
            lanes.push(Lane::new(dataset, category, &members, y, last_row));
            y = last_row - ROW_HEIGHT - LANE_GAP;
        }
        let undated_events: Vec<u32> = (0..dataset.events.len())
            .filter(|&index| dataset.events.get(index).is_some_and(Event::is_undated))
            .map(|index| index as u32)
            .collect();
        let undated = undated_events.len();
        debug_assert_eq!(undated, dataset.undated_count());
        Self {
            rows,
            lanes,
            bottom: y + ROW_HEIGHT - 0.5,
            eras: EraBands::new(&dataset.eras),
            undated,
            undated_events,
            matching: RefCell::new(MatchingLanes::everything(undated)),
            drawn_in_full: RefCell::new(Vec::new()),
        }
    }

    /// The lanes as the filter's result `matches` leaves them: gathered again only for a new
    /// result, and remembered, so that picking and [`Self::mark_position`] leave out what the
    /// last frame did not draw.
    pub fn matching(&self, dataset: &Dataset, matches: &Arc<EventSet>) -> Ref<'_, MatchingLanes> {
        let stale = !self.matching.borrow().is_of(matches);
        if stale {
            let gathered = MatchingLanes::gather(self, dataset, matches);
            match self.matching.try_borrow_mut() {
                Ok(mut matching) => *matching = gathered,
                // Only while a frame still reads the last result, which it then keeps.
                Err(_) => debug_assert!(false, "the lanes are gathered before they are read"),
            }
        }
        self.matching.borrow()
    }

    /// Remembers the events drawn in full this frame (see [`Self::drawn_in_full`]).
    pub(super) fn set_drawn_in_full(&self, mut drawn: Vec<EventIndex>) {
        drawn.sort_unstable();
        drawn.dedup();
        if let Ok(mut last) = self.drawn_in_full.try_borrow_mut() {
            *last = drawn;
        }
    }

    /// The events whose marks the last frame drew in full, as the playback mode has it (inside
    /// the window, up to the playhead, or covering it), in index order. Lanes drawn as
    /// histograms add none.
    pub fn drawn_in_full(&self) -> Vec<EventIndex> {
        self.drawn_in_full.borrow().clone()
    }

    /// Screen position of an event's mark (its start) under `transform`; `None` for an undated
    /// event and for one the last filter result drawn leaves out.
    pub fn mark_position(
        &self,
        dataset: &Dataset,
        transform: &PlotTransform,
        index: EventIndex,
    ) -> Option<Pos2> {
        let event = dataset.events.get(index).filter(|e| !e.is_undated())?;
        if !self.matching.borrow().shows(index) {
            return None;
        }
        let y = *self.rows.get(index)?;
        Some(transform.position_from_point(&PlotPoint::new(days_from_seconds(event.span.start), y)))
    }

    /// The event under a screen position (timeline picking), see [`Self::hit`].
    pub fn event_at(
        &self,
        dataset: &Dataset,
        transform: &PlotTransform,
        pointer: Pos2,
    ) -> Option<EventIndex> {
        self.hit(dataset, transform, pointer, &[])
    }

    /// The lane under a plot height.
    fn lane_at(&self, y: f64) -> Option<usize> {
        self.lanes.iter().position(|lane| lane.contains_y(y))
    }

    /// The event under a screen position in the lane under it, skipping `histogram_lanes`
    /// (whose marks are not drawn). The nearest mark wins; a bar counts as near when the
    /// pointer is on it; ties go to the shorter event (so a dot on a bar wins), then to the
    /// first in time order.
    pub fn hit(
        &self,
        dataset: &Dataset,
        transform: &PlotTransform,
        pointer: Pos2,
        histogram_lanes: &[usize],
    ) -> Option<EventIndex> {
        let at_value = transform.value_from_position(pointer);
        let at = seconds_from_days(at_value.x);
        let slack = (seconds_from_days(
            transform
                .value_from_position(pointer + vec2(HIT_RADIUS, 0.0))
                .x,
        ) - at)
            .abs();
        let lane_index = self.lane_at(at_value.y)?;
        if histogram_lanes.contains(&lane_index) {
            return None;
        }
        let lane = self.lanes.get(lane_index)?;
        let matching = self.matching.borrow();
        let mut candidates = Vec::new();
        lane.index
            .overlapping(at - slack - 1, at + slack, &mut candidates);
        candidates
            .into_iter()
            .filter_map(|position| {
                let index = *lane.members.get(position as usize)? as usize;
                if !matching.shows(index) {
                    return None;
                }
                let event = dataset.events.get(index)?;
                let y = *self.rows.get(index)?;
                let distance = pointer_distance(event, y, transform, pointer);
                (distance <= HIT_RADIUS).then_some(Hit {
                    distance,
                    duration: event.span.duration(),
                    index,
                })
            })
            .min_by(Hit::best_first)
            .map(|hit| hit.index)
    }
}

/// A candidate under the pointer, ordered best first.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Hit {
    distance: f32,
    duration: i64,
    index: EventIndex,
}

impl Hit {
    fn best_first(a: &Self, b: &Self) -> std::cmp::Ordering {
        a.distance
            .total_cmp(&b.distance)
            .then(a.duration.cmp(&b.duration))
            .then(a.index.cmp(&b.index))
    }
}

/// Pixels from the pointer to an event drawn at height `y`: to a dot's centre; zero on a bar
/// (or within 2 px of it), infinite off it.
fn pointer_distance(event: &Event, y: f64, transform: &PlotTransform, pointer: Pos2) -> f32 {
    if event.is_exact() {
        let at =
            transform.position_from_point(&PlotPoint::new(days_from_seconds(event.span.start), y));
        at.distance(pointer)
    } else if bar_rect(transform, event.span, y)
        .expand(2.0)
        .contains(pointer)
    {
        0.0
    } else {
        f32::INFINITY
    }
}

/// Screen rectangle of a bar spanning `span` at height `y`; very short spans stay visible as at
/// least 3 px.
fn bar_rect(transform: &PlotTransform, span: TimeRange, y: f64) -> Rect {
    let a = transform.position_from_point(&PlotPoint::new(
        days_from_seconds(span.start),
        y + BAR_HALF_HEIGHT,
    ));
    let b = transform.position_from_point(&PlotPoint::new(
        days_from_seconds(span.end),
        y - BAR_HALF_HEIGHT,
    ));
    let rect = Rect::from_two_pos(a, b);
    if rect.width() < 3.0 {
        Rect::from_center_size(rect.center(), vec2(3.0, rect.height()))
    } else {
        rect
    }
}

#[cfg(test)]
mod tests {
    use egui_plot::PlotBounds;

    use super::*;
    use crate::model::{Category, Shape, calendar::DAY};

    fn event(start_day: i64, days: i64, shape: Shape, category: Option<usize>) -> Event {
        let mut event = Event::default();
        event.span = TimeRange {
            start: start_day * DAY,
            end: (start_day + days) * DAY,
        };
        event.shape = shape;
        event.category = category;
        event
    }

    fn dot(day: i64, category: Option<usize>) -> Event {
        event(day, 1, Shape::Exact, category)
    }

    fn dataset(categories: &[&str], mut events: Vec<Event>) -> Dataset {
        events.sort_by_key(|e| (e.span.start, e.span.end));
        Dataset {
            categories: categories
                .iter()
                .map(|&label| Category {
                    id: label.to_lowercase(),
                    label: label.to_owned(),
                    color: [1, 2, 3],
                })
                .collect(),
            events,
            ..Dataset::default()
        }
    }

    /// A plot 1000 px wide showing days 0 to 40 over the whole height of `panel`.
    fn transform(panel: &TimelinePanel) -> PlotTransform {
        PlotTransform::new(
            Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 400.0)),
            PlotBounds::from_min_max([0.0, panel.bottom], [40.0, 0.82]),
            false,
        )
    }

    #[test]
    fn one_lane_per_category_in_dataset_order_uncategorised_last() {
        let data = dataset(
            &["Alpha", "Beta", "Gamma"],
            vec![dot(1, Some(2)), dot(2, None), dot(3, Some(0))],
        );
        let panel = TimelinePanel::new(&data);
        let lanes: Vec<(Option<usize>, &str)> = panel
            .lanes
            .iter()
            .map(|l| (l.category, l.label.as_str()))
            .collect();
        // Beta has no events: no lane.
        assert_eq!(
            lanes,
            [
                (Some(0), "Alpha"),
                (Some(2), "Gamma"),
                (None, "Uncategorised")
            ]
        );
        assert_eq!(
            lane_members(&data),
            [(Some(0), vec![2]), (Some(2), vec![0]), (None, vec![1])]
        );
    }

    #[test]
    fn overlapping_events_take_separate_rows_and_lanes_stack_down() {
        let data = dataset(
            &["Alpha", "Beta"],
            vec![
                dot(10, Some(0)),
                dot(10, Some(0)),
                event(10, 30, Shape::Period, Some(0)),
                dot(11, Some(0)),
                dot(5, Some(1)),
            ],
        );
        let panel = TimelinePanel::new(&data);
        // Events in time order: the two dots of day 10, the month, the dot of day 11, then Beta's.
        let alpha: Vec<f64> = panel.lanes[0]
            .members
            .iter()
            .map(|&i| panel.rows[i as usize])
            .collect();
        assert_eq!(alpha, [0.0, -1.0, -2.0, 0.0]);
        assert_eq!(
            (panel.lanes[0].first_row, panel.lanes[0].last_row),
            (0.0, -2.0)
        );
        let beta = &panel.lanes[1];
        assert_eq!(beta.first_row, -2.0 - ROW_HEIGHT - LANE_GAP);
        assert_eq!(beta.last_row, beta.first_row);
        assert!((panel.bottom - (beta.last_row - LANE_GAP - 0.5)).abs() < 1e-9);
    }

    #[test]
    fn rows_are_reused_once_free() {
        let mut packer = RowPacker::default();
        assert_eq!(packer.rows(), 1, "an empty lane still has a row");
        let days = |a: i64, b: i64| TimeRange {
            start: a * DAY,
            end: b * DAY,
        };
        assert_eq!(packer.place(days(0, 10), false), 0);
        assert_eq!(packer.place(days(5, 6), false), 1);
        assert_eq!(
            packer.place(days(6, 7), false),
            1,
            "row 1 is free from day 6"
        );
        assert_eq!(
            packer.place(days(10, 11), false),
            0,
            "row 0 is free from day 10"
        );
        // An exact moment keeps half a day: a second one at the same time needs a new row.
        assert_eq!(packer.place(days(20, 20), true), 0);
        assert_eq!(packer.place(days(20, 20), true), 1);
        assert_eq!(packer.rows(), 2);
    }

    #[test]
    fn a_dense_lane_is_one_band() {
        let events = (0..=DENSE_LANE as i64)
            .map(|i| dot(i % 40, Some(0)))
            .collect();
        let panel = TimelinePanel::new(&dataset(&["Many"], events));
        assert_eq!(panel.lanes.len(), 1);
        assert_eq!(panel.lanes[0].last_row, -ROW_HEIGHT);
        assert!(panel.rows.iter().all(|&y| y == -ROW_HEIGHT / 2.0));
    }

    #[test]
    fn a_lane_counts_its_histogram_again_only_for_a_new_view_or_bin_count() {
        let events = (0..300).map(|i| dot(i % 50, Some(0))).collect();
        let panel = TimelinePanel::new(&dataset(&["Many"], events));
        let lane = &panel.lanes[0];
        let wide = TimeRange {
            start: 0,
            end: 50 * DAY,
        };
        let narrow = TimeRange {
            start: 10 * DAY,
            end: 20 * DAY,
        };
        for (view, bins) in [
            (wide, 10),
            (wide, 10),
            (narrow, 10),
            (narrow, 5),
            (wide, 10),
        ] {
            assert_eq!(
                lane.histogram_of(lane.starts(), 0, view, bins),
                histogram(lane.starts(), view, bins),
                "{view:?} in {bins} bins"
            );
        }
        let narrow_total: usize = lane
            .histogram_of(lane.starts(), 0, narrow, 5)
            .iter()
            .map(|b| b.count)
            .sum();
        assert_eq!(narrow_total, 60, "days 10 to 19, six events a day");
    }

    #[test]
    fn visible_events_include_long_ones_reaching_into_the_view() {
        let data = dataset(
            &["Alpha"],
            vec![
                event(0, 100, Shape::Range, Some(0)),
                dot(20, Some(0)),
                dot(50, Some(0)),
                dot(200, Some(0)),
            ],
        );
        let panel = TimelinePanel::new(&data);
        let lane = &panel.lanes[0];
        let view = |a: i64, b: i64| TimeRange {
            start: a * DAY,
            end: b * DAY,
        };
        // From day 40: the range started before but may reach in; the day-200 dot is out.
        assert_eq!(lane.visible(view(40, 60)), [0, 1, 2]);
        // A pre-filter: anything starting less than the longest span before the view is in.
        assert_eq!(lane.visible(view(250, 400)), [3]);
        assert_eq!(lane.visible(view(400, 500)), [0u32; 0]);
        assert_eq!(lane.visible(view(190, 210)), [3]);
        assert_eq!(lane.visible(view(90, 210)), [0, 1, 2, 3]);
    }

    #[test]
    fn a_mark_is_hit_at_its_own_position_and_only_in_its_lane() {
        let data = dataset(&["Alpha", "Beta"], vec![dot(10, Some(0)), dot(10, Some(1))]);
        let panel = TimelinePanel::new(&data);
        let transform = transform(&panel);
        for index in 0..2 {
            let at = panel.mark_position(&data, &transform, index).unwrap();
            assert_eq!(panel.event_at(&data, &transform, at), Some(index));
            let near = at + vec2(HIT_RADIUS - 1.0, 0.0);
            assert_eq!(panel.event_at(&data, &transform, near), Some(index));
            let far = at + vec2(HIT_RADIUS + 1.0, 0.0);
            assert_eq!(panel.event_at(&data, &transform, far), None);
        }
        let first = panel.mark_position(&data, &transform, 0).unwrap();
        // Lane 0 drawn as a histogram: its marks are not hit.
        assert_eq!(panel.hit(&data, &transform, first, &[0]), None);
        assert_eq!(panel.hit(&data, &transform, first, &[1]), Some(0));
    }

    #[test]
    fn a_bar_is_hit_anywhere_on_it() {
        let data = dataset(&["Alpha"], vec![event(5, 20, Shape::Period, Some(0))]);
        let panel = TimelinePanel::new(&data);
        let transform = transform(&panel);
        let rect = bar_rect(&transform, data.events[0].span, panel.rows[0]);
        for x in [rect.left() + 1.0, rect.center().x, rect.right() - 1.0] {
            let at = Pos2::new(x, rect.center().y);
            assert_eq!(panel.event_at(&data, &transform, at), Some(0));
        }
        let after = Pos2::new(rect.right() + 3.0, rect.center().y);
        assert_eq!(panel.event_at(&data, &transform, after), None);
    }

    #[test]
    fn ties_go_to_the_shorter_event_then_the_first() {
        // A dense band: a month and many dots on day 10, all at the same height.
        let mut events = vec![event(0, 30, Shape::Period, Some(0))];
        events.extend((0..DENSE_LANE).map(|_| dot(10, Some(0))));
        let data = dataset(&["Many"], events);
        let panel = TimelinePanel::new(&data);
        let transform = transform(&panel);
        let at = panel.mark_position(&data, &transform, 5).unwrap();
        // The month (index 0) is under the pointer too, but a dot is shorter; of the dots,
        // all as near, the first wins.
        assert_eq!(panel.event_at(&data, &transform, at), Some(1));
        let best = |a: Hit, b: Hit| Hit::best_first(&a, &b);
        let hit = |distance, duration, index| Hit {
            distance,
            duration,
            index,
        };
        assert!(
            best(hit(1.0, 100, 9), hit(2.0, 1, 0)).is_lt(),
            "nearer first"
        );
        assert!(best(hit(1.0, 1, 9), hit(1.0, 2, 0)).is_lt(), "then shorter");
        assert!(best(hit(1.0, 1, 0), hit(1.0, 1, 9)).is_lt(), "then first");
    }

    #[test]
    fn the_lanes_follow_the_filter_and_count_again_only_for_a_new_result() {
        // Alpha: dense (a histogram at any zoom), Beta: five dots.
        let mut events: Vec<Event> = (0..=DENSE_LANE as i64)
            .map(|i| dot(i % 40, Some(0)))
            .collect();
        events.extend((0..5).map(|i| dot(i * 5, Some(1))));
        let data = dataset(&["Alpha", "Beta"], events);
        let panel = TimelinePanel::new(&data);
        let is_beta = |i: usize| data.events[i].category == Some(1);
        let len = data.events.len();
        let view = TimeRange {
            start: 0,
            end: 40 * DAY,
        };

        let all = Arc::new(EventSet::all(len));
        let matching = panel.matching(&data, &all);
        assert!(!matching.is_filtered());
        let alpha = matching.lane(0, &panel.lanes[0]);
        assert_eq!(alpha.label(false), "Alpha");
        assert_eq!(alpha.count(), DENSE_LANE + 1);
        let every_alpha: usize = alpha.histogram(view, 8).iter().map(|b| b.count).sum();
        assert_eq!(every_alpha, DENSE_LANE + 1);
        drop(matching);

        // Beta and the Alpha events of days 0 to 9.
        let some = Arc::new(EventSet::from_indices(
            len,
            (0..len).filter(|&i| is_beta(i) || data.events[i].span.start < 10 * DAY),
        ));
        let matching = panel.matching(&data, &some);
        assert!(matching.is_filtered());
        let alpha = matching.lane(0, &panel.lanes[0]);
        let early_alpha = (0..len)
            .filter(|&i| !is_beta(i) && data.events[i].span.start < 10 * DAY)
            .count();
        assert_eq!(alpha.count(), early_alpha);
        assert_eq!(alpha.label(true), format!("Alpha · {early_alpha} of 1501"));
        // Same view, same bins, new result: counted again, not the memo of the last one.
        let counted: usize = alpha.histogram(view, 8).iter().map(|b| b.count).sum();
        assert_eq!(counted, early_alpha);
        assert_eq!(
            alpha.visible(TimeRange {
                start: 20 * DAY,
                end: 30 * DAY
            }),
            [0u32; 0],
            "no Alpha event after day 9 matches"
        );
        let beta = matching.lane(1, &panel.lanes[1]);
        assert_eq!(beta.label(true), "Beta · 5 of 5");
        let generation = matching.generation;
        drop(matching);
        assert_eq!(
            panel.matching(&data, &some).generation,
            generation,
            "the same result is not gathered again"
        );

        // Only the Beta event of day 20.
        let beta_20 = (0..len)
            .find(|&i| is_beta(i) && data.events[i].span.start == 20 * DAY)
            .unwrap();
        let beta_10 = (0..len)
            .find(|&i| is_beta(i) && data.events[i].span.start == 10 * DAY)
            .unwrap();
        let one = Arc::new(EventSet::from_indices(len, [beta_20]));
        let matching = panel.matching(&data, &one);
        assert_eq!(matching.lane(0, &panel.lanes[0]).count(), 0);
        assert_eq!(matching.lane(1, &panel.lanes[1]).count(), 1);
        drop(matching);
        let transform = transform(&panel);
        let at = panel.mark_position(&data, &transform, beta_20).unwrap();
        assert_eq!(panel.event_at(&data, &transform, at), Some(beta_20));
        assert_eq!(panel.mark_position(&data, &transform, beta_10), None);
        // Where the day-10 dot would be: nothing to pick.
        let x = transform.position_from_point_x(10.0);
        assert_eq!(panel.event_at(&data, &transform, Pos2::new(x, at.y)), None);
    }

    fn undated(category: Option<usize>) -> Event {
        let mut event = Event::undated("u", "Undated");
        // As loading leaves it: the whole extent.
        event.span = TimeRange {
            start: 0,
            end: 40 * DAY,
        };
        event.category = category;
        event
    }

    #[test]
    fn undated_events_are_in_no_lane_and_never_picked() {
        let data = dataset(
            &["Alpha", "Beta"],
            vec![
                undated(Some(0)),
                dot(10, Some(0)),
                undated(Some(1)),
                undated(None),
                event(5, 20, Shape::Period, Some(0)),
            ],
        );
        let panel = TimelinePanel::new(&data);
        assert_eq!(panel.undated, 3);
        // Beta and the uncategorised lane hold only undated events: no lane at all.
        let lanes: Vec<Option<usize>> = panel.lanes.iter().map(|l| l.category).collect();
        assert_eq!(lanes, [Some(0)]);
        let undated_indexes: Vec<usize> = (0..data.events.len())
            .filter(|&i| data.events[i].is_undated())
            .collect();
        assert_eq!(undated_indexes.len(), 3);
        let alpha = &panel.lanes[0];
        assert_eq!(alpha.members.len(), 2);
        assert_eq!(alpha.starts().len(), 2);
        assert!(
            alpha
                .visible(TimeRange {
                    start: 0,
                    end: 40 * DAY
                })
                .len()
                == 2
        );
        let counted: usize = alpha
            .histogram_of(
                alpha.starts(),
                0,
                TimeRange {
                    start: 0,
                    end: 40 * DAY,
                },
                4,
            )
            .iter()
            .map(|b| b.count)
            .sum();
        assert_eq!(counted, 2, "the histogram counts dated events only");
        let transform = transform(&panel);
        for &index in &undated_indexes {
            assert!(!alpha.holds(&data, &data.events[index]));
            assert_eq!(panel.mark_position(&data, &transform, index), None);
        }
        // Filtered: the hint counts the undated events that match.
        let one_undated = Arc::new(EventSet::from_indices(
            data.events.len(),
            [undated_indexes[0]],
        ));
        assert_eq!(panel.matching(&data, &one_undated).undated(), 1);
        let every = Arc::new(EventSet::all(data.events.len()));
        assert_eq!(panel.matching(&data, &every).undated(), 3);
        // Sweep the whole plot: whatever is hit is dated.
        for x in (0..1000).step_by(4) {
            for y in (0..400).step_by(4) {
                let at = Pos2::new(x as f32, y as f32);
                if let Some(hit) = panel.event_at(&data, &transform, at) {
                    assert!(!data.events[hit].is_undated(), "{at:?}");
                }
            }
        }
    }

    #[test]
    fn a_dataset_of_undated_events_has_no_lanes() {
        let data = dataset(&["Alpha"], vec![undated(Some(0)), undated(None)]);
        let panel = TimelinePanel::new(&data);
        assert!(panel.lanes.is_empty());
        assert_eq!(panel.undated, 2);
        let transform = PlotTransform::new(
            Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 400.0)),
            PlotBounds::from_min_max([0.0, -1.0], [40.0, 0.82]),
            false,
        );
        assert_eq!(
            panel.event_at(&data, &transform, Pos2::new(500.0, 10.0)),
            None
        );
    }
}
