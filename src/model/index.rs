//! Indexes over a dataset's events, built once at load: time (starts, ends, overlap) and space
//! (a grid of world cells, each with its events sorted by start). No egui here.

use std::ops::Range;

use super::Event;
use super::projection::{WorldBox, WorldPoint32};

/// Time index. Events are already sorted by start in the dataset, so starts are a sorted array;
/// ends get a sorted permutation; overlap queries use duration classes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeIndex {
    starts: Vec<i64>,
    ends: Vec<i64>,
    /// Event indices sorted by end.
    by_end: Vec<u32>,
    /// `ends` in `by_end` order, for binary search.
    sorted_ends: Vec<i64>,
    /// Events grouped by duration (each class twice as long as the one before), each group
    /// sorted by start: an event of at most `max_duration` that overlaps `(from, to]` starts in
    /// `(from - max_duration, to]`, so each class is one binary search plus a short scan.
    classes: Vec<DurationClass>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct DurationClass {
    max_duration: i64,
    members: Vec<u32>,
    starts: Vec<i64>,
}

impl TimeIndex {
    /// Builds the index; `events` must be sorted by start (as [`super::Dataset::events`] is).
    pub fn new(events: &[Event]) -> Self {
        Self::from_spans(
            events.iter().map(|e| e.span.start).collect(),
            events.iter().map(|e| e.span.end).collect(),
        )
    }

    /// Builds the index over spans given as starts (sorted) and ends; indices are positions.
    pub fn from_spans(starts: Vec<i64>, ends: Vec<i64>) -> Self {
        // Sort the keys themselves (no lookups while sorting); positions make them unique.
        let mut end_order: Vec<(i64, u32)> = ends
            .iter()
            .enumerate()
            .map(|(i, &end)| (end, i as u32))
            .collect();
        end_order.sort_unstable();
        let (sorted_ends, by_end): (Vec<i64>, Vec<u32>) = end_order.into_iter().unzip();
        let mut classes: Vec<DurationClass> = Vec::new();
        for (index, (&start, &end)) in starts.iter().zip(&ends).enumerate() {
            let duration = (end - start).max(1);
            // Class k holds durations in (2^(k-1), 2^k] seconds.
            let class = (64 - (duration - 1).leading_zeros()) as usize;
            while classes.len() <= class {
                let k = classes.len() as u32;
                classes.push(DurationClass {
                    max_duration: if k >= 62 { i64::MAX / 4 } else { 1i64 << k },
                    ..DurationClass::default()
                });
            }
            if let Some(group) = classes.get_mut(class) {
                group.members.push(index as u32);
                group.starts.push(start);
            }
        }
        classes.retain(|c| !c.members.is_empty());
        Self {
            starts,
            ends,
            by_end,
            sorted_ends,
            classes,
        }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    pub fn start(&self, index: usize) -> i64 {
        self.starts.get(index).copied().unwrap_or(i64::MAX)
    }

    pub fn end(&self, index: usize) -> i64 {
        self.ends.get(index).copied().unwrap_or(i64::MIN)
    }

    /// Events that have started by `t` (`start <= t`): indices `0..count`.
    pub fn started_by(&self, t: i64) -> usize {
        self.starts.partition_point(|&s| s <= t)
    }

    /// Indices of events starting in `(after, until]`.
    pub fn starting_between(&self, after: i64, until: i64) -> Range<usize> {
        self.starts.partition_point(|&s| s <= after)..self.starts.partition_point(|&s| s <= until)
    }

    /// Indices of events ending in `(after, until]`.
    pub fn ending_between(&self, after: i64, until: i64) -> &[u32] {
        let from = self.sorted_ends.partition_point(|&e| e <= after);
        let to = self.sorted_ends.partition_point(|&e| e <= until);
        within(&self.by_end, from..to.max(from))
    }

    /// Events overlapping `(from, to]` (`start <= to && end > from`), appended to `out`
    /// in no particular order. Cost: one binary search per duration class plus the matches
    /// and, per class, at most the events that end within one class length before `from`.
    pub fn overlapping(&self, from: i64, to: i64, out: &mut Vec<u32>) {
        for class in &self.classes {
            let lo = class
                .starts
                .partition_point(|&s| s <= from.saturating_sub(class.max_duration));
            let hi = class.starts.partition_point(|&s| s <= to);
            for &index in within(&class.members, lo..hi.max(lo)) {
                if self.end(index as usize) > from {
                    out.push(index);
                }
            }
        }
    }
}

/// The items in `range`, which the index's own bookkeeping keeps within `items`.
fn within<T>(items: &[T], range: Range<usize>) -> &[T] {
    let part = items.get(range);
    debug_assert!(part.is_some(), "index ranges stay within their arrays");
    part.unwrap_or(&[])
}

/// Side of the grid in cells: world cells of about 39 km at the equator.
pub const GRID_SIZE: u32 = 1024;

/// Spatial index: events with a position, bucketed by world grid cell; within a cell sorted by
/// start, so "placed events started by t in this box" is a few binary searches and a scan.
#[derive(Clone, Debug, Default)]
pub struct SpatialIndex {
    /// Non-empty cells, sorted by key.
    cells: Vec<GridCell>,
    /// Event indices, grouped by cell, each group sorted by start.
    order: Vec<u32>,
    /// Starts in `order` order.
    starts: Vec<i64>,
}

/// A non-empty cell of the [`SpatialIndex`] and where its events are in `order`.
#[derive(Clone, Copy, Debug)]
struct GridCell {
    /// `row * GRID_SIZE + column`.
    key: u32,
    begin: u32,
    end: u32,
}

/// Column and row of the grid cell holding `world` (points outside the world clamp to its edge).
fn cell_of(world: WorldPoint32) -> (u32, u32) {
    let max = GRID_SIZE as f32 - 1.0;
    (
        (world.x * GRID_SIZE as f32).clamp(0.0, max) as u32,
        (world.y * GRID_SIZE as f32).clamp(0.0, max) as u32,
    )
}

impl SpatialIndex {
    /// `positions[i]` is event `i`'s world position (`None`: not on the map); `starts[i]` its start.
    pub fn new(positions: &[Option<WorldPoint32>], starts: &[i64]) -> Self {
        debug_assert_eq!(positions.len(), starts.len(), "one start per event");
        let mut keyed: Vec<(u32, i64, u32)> = positions
            .iter()
            .zip(starts)
            .enumerate()
            .filter_map(|(i, (p, &start))| {
                let (column, row) = cell_of((*p)?);
                Some((row * GRID_SIZE + column, start, i as u32))
            })
            .collect();
        keyed.sort_unstable();
        let mut cells: Vec<GridCell> = Vec::new();
        for (position, &(key, _, _)) in keyed.iter().enumerate() {
            let end = position as u32 + 1;
            match cells.last_mut() {
                Some(last) if last.key == key => last.end = end,
                _ => cells.push(GridCell {
                    key,
                    begin: position as u32,
                    end,
                }),
            }
        }
        Self {
            cells,
            order: keyed.iter().map(|k| k.2).collect(),
            starts: keyed.iter().map(|k| k.1).collect(),
        }
    }

    /// Calls `visit` for every placed event in `area` that started by `t`. Whole cells are
    /// visited, so events just outside the box may be included.
    pub fn for_each_started(&self, area: &WorldBox, t: i64, mut visit: impl FnMut(u32)) {
        let (c0, r0) = cell_of(area.min.compact());
        let (c1, r1) = cell_of(area.max.compact());
        for row in r0..=r1 {
            let first = row * GRID_SIZE + c0;
            let last = row * GRID_SIZE + c1;
            let from = self.cells.partition_point(|c| c.key < first);
            let to = self.cells.partition_point(|c| c.key <= last);
            for cell in within(&self.cells, from..to.max(from)) {
                let (begin, end) = (cell.begin as usize, cell.end as usize);
                let starts = within(&self.starts, begin..end);
                let started = starts.partition_point(|&s| s <= t);
                for &index in within(&self.order, begin..begin + started) {
                    visit(index);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::projection::WorldPoint;
    use crate::model::{TimeRange, When};

    /// A small deterministic generator for property tests.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }
    }

    fn random_events(seed: u64, n: usize) -> Vec<Event> {
        let mut rng = Lcg(seed);
        let mut events: Vec<Event> = (0..n)
            .map(|i| {
                let start = (rng.next() % 10_000) as i64 * 3600;
                let duration = match rng.next() % 4 {
                    0 => 1,
                    1 => 86_400,
                    2 => (rng.next() % 90 + 1) as i64 * 86_400,
                    _ => (rng.next() % 3000 + 1) as i64 * 86_400,
                };
                let when = When::parse("2024").unwrap();
                let mut event = Event::new(&format!("e{i}"), "", "2024", &when);
                event.span = TimeRange {
                    start,
                    end: start + duration,
                };
                event
            })
            .collect();
        events.sort_by_key(|e| (e.span.start, e.span.end));
        events
    }

    #[test]
    fn time_queries_agree_with_brute_force() {
        for seed in 1..20 {
            let events = random_events(seed, 500);
            let index = TimeIndex::new(&events);
            let mut rng = Lcg(seed * 31);
            for _ in 0..50 {
                let to = (rng.next() % 12_000) as i64 * 3600;
                let from = to - (rng.next() % 2000) as i64 * 3600;
                let mut got = Vec::new();
                index.overlapping(from, to, &mut got);
                got.sort_unstable();
                let want: Vec<u32> = (0..events.len() as u32)
                    .filter(|&i| {
                        let e = &events[i as usize];
                        e.span.start <= to && e.span.end > from
                    })
                    .collect();
                assert_eq!(got, want, "seed {seed} ({from}, {to}]");

                let started = index.started_by(to);
                assert_eq!(
                    started,
                    events.iter().filter(|e| e.span.start <= to).count()
                );
                let starting: Vec<usize> = index.starting_between(from, to).collect();
                let want_starting: Vec<usize> = (0..events.len())
                    .filter(|&i| events[i].span.start > from && events[i].span.start <= to)
                    .collect();
                assert_eq!(starting, want_starting);
                let mut ending: Vec<u32> = index.ending_between(from, to).to_vec();
                ending.sort_unstable();
                let want_ending: Vec<u32> = (0..events.len() as u32)
                    .filter(|&i| {
                        events[i as usize].span.end > from && events[i as usize].span.end <= to
                    })
                    .collect();
                assert_eq!(ending, want_ending);
            }
        }
    }

    #[test]
    fn spatial_queries_agree_with_brute_force() {
        for seed in 1..10 {
            let mut rng = Lcg(seed);
            let n = 2000;
            let positions: Vec<Option<WorldPoint32>> = (0..n)
                .map(|_| {
                    (!rng.next().is_multiple_of(10)).then(|| WorldPoint32 {
                        x: 0.55 + (rng.next() % 10_000) as f32 * 1e-5,
                        y: 0.30 + (rng.next() % 10_000) as f32 * 1e-5,
                    })
                })
                .collect();
            let mut starts: Vec<i64> = (0..n).map(|_| (rng.next() % 1000) as i64).collect();
            starts.sort_unstable();
            let index = SpatialIndex::new(&positions, &starts);
            for _ in 0..30 {
                let x0 = 0.55 + (rng.next() % 10_000) as f64 * 1e-5;
                let y0 = 0.30 + (rng.next() % 10_000) as f64 * 1e-5;
                let area = WorldBox {
                    min: WorldPoint::new(x0, y0),
                    max: WorldPoint::new(x0 + 0.03, y0 + 0.02),
                };
                let t = (rng.next() % 1000) as i64;
                let mut got = Vec::new();
                index.for_each_started(&area, t, |i| got.push(i));
                got.sort_unstable();
                // Every event in the box must be there; extras may only come from edge cells.
                for (i, p) in positions.iter().enumerate() {
                    let Some(p) = *p else { continue };
                    let wanted = area.contains(p.into()) && starts[i] <= t;
                    if wanted {
                        assert!(got.binary_search(&(i as u32)).is_ok(), "missing {i}");
                    }
                }
                let cell = 1.0 / GRID_SIZE as f64;
                let grown = WorldBox {
                    min: area.min.offset(-cell, -cell),
                    max: area.max.offset(cell, cell),
                };
                for &i in &got {
                    let p = positions[i as usize].unwrap();
                    assert!(starts[i as usize] <= t);
                    assert!(grown.contains(p.into()));
                }
            }
        }
    }
}
