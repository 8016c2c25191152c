//! Moving through time over the events that match: the next date that holds one, and where
//! playback jumps to over an empty stretch. Pure: no egui.

use crate::command::Direction;
use crate::model::{Dataset, EventIndex, EventSet, TimeRange, calendar::DAY};
use crate::state::{TimeControl, TimelineView, ViewState};

use super::range::{range_showing, shown_range};

/// Playback jumps when the next matching event is more than this many seconds of playback away…
pub const SKIP_AFTER_SECONDS: f64 = 1.5;
/// …and lands this many seconds of playback before it, so that it is seen arriving.
pub const SKIP_LEAD_SECONDS: f64 = 0.5;

/// Events looked at together when looking for a match: a run of them without any is passed over
/// with one count of bits.
const SCAN_CHUNK: usize = 512;

/// The start of the nearest matching dated event strictly after (`Next`) or strictly before
/// (`Previous`) the playhead, or `None` when there is none that way.
///
/// Events are in time order: a binary search finds the playhead, and the walk from there
/// passes over runs without a match a chunk at a time.
pub fn next_event_time(
    dataset: &Dataset,
    matches: &EventSet,
    playhead: i64,
    direction: Direction,
) -> Option<i64> {
    let events = &dataset.events;
    debug_assert_eq!(matches.universe(), events.len(), "a set of these events");
    let every = matches.is_all() || matches.universe() != events.len();
    let shown = |index: EventIndex| {
        (every || matches.contains(index))
            && events.get(index).is_some_and(|event| !event.is_undated())
    };
    let found = match direction {
        Direction::Next => {
            let after = events.partition_point(|e| e.span.start <= playhead);
            first_in(matches, every, after..events.len(), shown)
        }
        Direction::Previous => {
            let before = events.partition_point(|e| e.span.start < playhead);
            last_in(matches, every, 0..before, shown)
        }
    }?;
    events.get(found).map(|event| event.span.start)
}

/// The first index of `range` that is in `matches` (every one when `every`) and `shown`.
fn first_in(
    matches: &EventSet,
    every: bool,
    range: std::ops::Range<usize>,
    shown: impl Fn(EventIndex) -> bool,
) -> Option<EventIndex> {
    let mut chunk_start = range.start;
    while chunk_start < range.end {
        let chunk = chunk_start..(chunk_start + SCAN_CHUNK).min(range.end);
        if (every || matches.count_in(chunk.clone()) > 0)
            && let Some(found) = chunk.clone().find(|&i| shown(i))
        {
            return Some(found);
        }
        chunk_start = chunk.end;
    }
    None
}

/// The last index of `range` that is in `matches` (every one when `every`) and `shown`.
fn last_in(
    matches: &EventSet,
    every: bool,
    range: std::ops::Range<usize>,
    shown: impl Fn(EventIndex) -> bool,
) -> Option<EventIndex> {
    let mut chunk_end = range.end;
    while chunk_end > range.start {
        let chunk = chunk_end.saturating_sub(SCAN_CHUNK).max(range.start)..chunk_end;
        if (every || matches.count_in(chunk.clone()) > 0)
            && let Some(found) = chunk.clone().rev().find(|&i| shown(i))
        {
            return Some(found);
        }
        chunk_end = chunk.start;
    }
    None
}

/// Where playback at `speed` (days of data per second) jumps to from `playhead`: shortly before
/// the next matching event when that is more than [`SKIP_AFTER_SECONDS`] of playback away;
/// `None` when it is near (or there is none left).
pub fn skip_empty_target(
    dataset: &Dataset,
    matches: &EventSet,
    playhead: i64,
    speed: f64,
) -> Option<i64> {
    let next = next_event_time(dataset, matches, playhead, Direction::Next)?;
    let data_seconds_per_second = speed * DAY as f64;
    let gap = next as f64 - playhead as f64;
    let lead = (SKIP_LEAD_SECONDS * data_seconds_per_second) as i64;
    (gap > SKIP_AFTER_SECONDS * data_seconds_per_second)
        .then(|| next.saturating_sub(lead).max(playhead))
}

/// One frame of playback: the playhead moves on by `seconds` of wall time, and over an empty
/// stretch when the control skips them (see [`skip_empty_target`]).
pub fn advance_playback(
    time: &mut TimeControl,
    seconds: f64,
    dataset: &Dataset,
    matches: &EventSet,
) {
    time.advance(seconds, dataset.extent);
    if time.playing
        && time.skip_empty
        && let Some(target) = skip_empty_target(dataset, matches, time.playhead, time.speed)
    {
        time.set_playhead(target, dataset.extent);
    }
}

/// A step of the playhead to the next date that holds a matching event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DateStep {
    pub playhead: i64,
    /// The timeline's new span, when the date was out of view.
    pub view: Option<TimelineView>,
}

/// Where stepping `direction` from the view's playhead goes (see [`next_event_time`]), and the
/// timeline span that brings the date into view; `None` when there is no such date.
pub fn date_step(
    dataset: &Dataset,
    matches: &EventSet,
    view: &ViewState,
    direction: Direction,
) -> Option<DateStep> {
    let playhead = next_event_time(dataset, matches, view.time.playhead, direction)?;
    let shown = shown_range(view.timeline_view, dataset.extent);
    let date = TimeRange {
        start: playhead,
        end: playhead,
    };
    Some(DateStep {
        playhead,
        view: range_showing(date, shown),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, Shape};

    /// Events starting on these days (in order), every one a day long, plus an undated one.
    fn dataset(days: &[i64]) -> Dataset {
        let mut events: Vec<Event> = days
            .iter()
            .map(|&day| {
                let mut event = Event::default();
                event.span = TimeRange {
                    start: day * DAY,
                    end: (day + 1) * DAY,
                };
                event.shape = Shape::Exact;
                event
            })
            .collect();
        let mut undated = Event::undated("u", "Undated");
        // As loading leaves it: the whole extent, among the dated events.
        undated.span = TimeRange {
            start: days.first().copied().unwrap_or(0) * DAY,
            end: (days.last().copied().unwrap_or(0) + 1) * DAY,
        };
        events.insert(0, undated);
        let extent = events.first().map(|e| e.span);
        Dataset {
            events,
            extent,
            ..Dataset::default()
        }
    }

    #[test]
    fn steps_go_to_the_nearest_start_strictly_either_side() {
        let data = dataset(&[10, 10, 20, 35]);
        let all = EventSet::all(data.events.len());
        let step = |playhead, direction| next_event_time(&data, &all, playhead, direction);
        assert_eq!(step(0, Direction::Next), Some(10 * DAY));
        assert_eq!(
            step(10 * DAY, Direction::Next),
            Some(20 * DAY),
            "strictly after"
        );
        assert_eq!(step(10 * DAY + 5, Direction::Next), Some(20 * DAY));
        assert_eq!(step(35 * DAY, Direction::Next), None);
        assert_eq!(step(35 * DAY, Direction::Previous), Some(20 * DAY));
        assert_eq!(step(20 * DAY, Direction::Previous), Some(10 * DAY));
        assert_eq!(
            step(10 * DAY, Direction::Previous),
            None,
            "the undated event at the extent's start is no date to step to"
        );
    }

    #[test]
    fn steps_pass_over_events_the_filter_leaves_out() {
        // Ten thousand days, one event a day: more than one chunk between matches.
        let days: Vec<i64> = (0..10_000).collect();
        let data = dataset(&days);
        // Index 0 is the undated event: day d is index d + 1.
        let matches = EventSet::from_indices(data.events.len(), [0, 4, 1_500, 9_000]);
        let step = |day: i64, direction| {
            next_event_time(&data, &matches, day * DAY, direction).map(|t| t / DAY)
        };
        assert_eq!(step(0, Direction::Next), Some(3));
        assert_eq!(step(3, Direction::Next), Some(1_499));
        assert_eq!(step(1_499, Direction::Next), Some(8_999));
        assert_eq!(step(8_999, Direction::Next), None);
        assert_eq!(step(9_999, Direction::Previous), Some(8_999));
        assert_eq!(step(8_999, Direction::Previous), Some(1_499));
        assert_eq!(step(1_499, Direction::Previous), Some(3));
        assert_eq!(
            step(3, Direction::Previous),
            None,
            "the undated one matches, but has no date"
        );
        let none = EventSet::none(data.events.len());
        assert_eq!(next_event_time(&data, &none, 0, Direction::Next), None);
        assert_eq!(
            next_event_time(&data, &none, 9_999 * DAY, Direction::Previous),
            None
        );
    }

    #[test]
    fn playback_skips_only_stretches_longer_than_a_second_and_a_half() {
        let data = dataset(&[10, 11, 40]);
        let all = EventSet::all(data.events.len());
        // At one day a second, day 11 is one second away: no jump.
        assert_eq!(skip_empty_target(&data, &all, 10 * DAY, 1.0), None);
        // Day 40 is 29 seconds away: land half a second (half a day) before it.
        assert_eq!(
            skip_empty_target(&data, &all, 11 * DAY, 1.0),
            Some(40 * DAY - DAY / 2)
        );
        // At 30 days a second it is under a second away.
        assert_eq!(skip_empty_target(&data, &all, 11 * DAY, 30.0), None);
        // Nothing left: play on to the end.
        assert_eq!(skip_empty_target(&data, &all, 40 * DAY, 1.0), None);
        // Only day 40 matches: from day 9 the jump goes past the other two.
        let matches = EventSet::from_indices(data.events.len(), [3]);
        assert_eq!(
            skip_empty_target(&data, &matches, 9 * DAY, 1.0),
            Some(40 * DAY - DAY / 2)
        );
    }

    #[test]
    fn advancing_with_skip_on_jumps_and_plays_on() {
        let data = dataset(&[10, 40, 41]);
        let all = EventSet::all(data.events.len());
        let mut time = TimeControl {
            playhead: 10 * DAY,
            playing: true,
            ..TimeControl::default()
        };
        advance_playback(&mut time, 0.5, &data, &all);
        assert_eq!(time.playhead, 10 * DAY + DAY / 2, "skipping is off");
        time.skip_empty = true;
        advance_playback(&mut time, 0.5, &data, &all);
        assert_eq!(time.playhead, 40 * DAY - DAY / 2);
        assert!(time.playing);
        // Near the next event now: plain playback.
        advance_playback(&mut time, 0.25, &data, &all);
        assert_eq!(time.playhead, 40 * DAY - DAY / 4);
        time.playing = false;
        advance_playback(&mut time, 1.0, &data, &all);
        assert_eq!(time.playhead, 40 * DAY - DAY / 4, "paused: no jump either");
    }

    #[test]
    fn a_step_out_of_view_brings_the_date_into_view() {
        let data = dataset(&[10, 500]);
        let all = EventSet::all(data.events.len());
        let mut view = ViewState::default();
        view.time.playhead = 10 * DAY;
        view.timeline_view = Some(TimelineView {
            min: 0.0,
            max: 100.0,
        });
        let step = date_step(&data, &all, &view, Direction::Next);
        assert_eq!(
            step,
            Some(DateStep {
                playhead: 500 * DAY,
                view: Some(TimelineView {
                    min: 450.0,
                    max: 550.0
                }),
            })
        );
        view.time.playhead = 500 * DAY;
        view.timeline_view = Some(TimelineView {
            min: 0.0,
            max: 600.0,
        });
        let back = date_step(&data, &all, &view, Direction::Previous);
        assert_eq!(
            back,
            Some(DateStep {
                playhead: 10 * DAY,
                view: None
            })
        );
    }
}
