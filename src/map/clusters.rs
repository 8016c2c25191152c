//! Aggregating what would overlap on the map: events are binned in cells of about
//! [`CELL_PIXELS`] on screen, and each non-empty cell is drawn once, as a marker or a cluster.
//!
//! The grid covers the view plus a margin, anchored to the world so panning within it needs no
//! work; moving the playhead updates only the events whose status changed (found with the time
//! index), so scrubbing costs what changed, not what is shown.

use egui::{Pos2, Rect};

use super::Projector;
use crate::model::projection::{WorldBox, WorldPoint, WorldPoint32, scale_at_zoom};
use crate::model::{EventSet, EventStatus, index::SpatialIndex, index::TimeIndex};

/// Cell size on screen, in points.
pub const CELL_PIXELS: f64 = 44.0;
/// Categories counted one by one in each cell: well above what datasets have; beyond, the
/// rest are counted together as "other categories".
pub const COUNTED_CATEGORIES: usize = 15;
/// The slot of events whose category is beyond [`COUNTED_CATEGORIES`].
const OTHER_CATEGORIES_SLOT: usize = COUNTED_CATEGORIES;
/// The slot of events without a category.
const UNCATEGORISED_SLOT: usize = COUNTED_CATEGORIES + 1;
/// Category counts per cell: one per counted category, then "other", then "uncategorised".
pub const CATEGORY_SLOTS: usize = COUNTED_CATEGORIES + 2;
// Slots are stored per event in a byte.
const _: () = assert!(CATEGORY_SLOTS <= u8::MAX as usize);
/// Above this many changed events a full rebuild is cheaper than updating.
const MAX_INCREMENTAL: usize = 200_000;

/// The zoom level and time the grid is brought to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moment {
    pub zoom: f64,
    pub playhead: i64,
    pub window: i64,
}

/// Counts of one cell.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bin {
    pub current: u32,
    pub past: u32,
    /// Sums of world positions, for the centroid.
    pub sum_x: f64,
    pub sum_y: f64,
    /// XOR of the indices of the events in each status: the index itself when there is one.
    pub xor_current: u32,
    pub xor_past: u32,
    /// Current events by category slot (see [`category_slot`]).
    pub categories: [u32; CATEGORY_SLOTS],
}

impl Bin {
    pub fn total(&self) -> u32 {
        self.current + self.past
    }

    /// The mean position of the cell's events.
    pub fn centroid(&self) -> WorldPoint {
        let n = f64::from(self.total().max(1));
        WorldPoint::new(self.sum_x / n, self.sum_y / n)
    }

    /// The only event in the cell, if there is exactly one.
    pub fn single(&self) -> Option<(u32, EventStatus)> {
        match (self.current, self.past) {
            (1, 0) => Some((self.xor_current, EventStatus::Current)),
            (0, 1) => Some((self.xor_past, EventStatus::Past)),
            _ => None,
        }
    }

    /// What most current events are (the first category on a tie; `None` when none is current).
    pub fn dominant_category(&self) -> Option<DominantCategory> {
        let (slot, &count) = self
            .categories
            .iter()
            .enumerate()
            .max_by_key(|&(slot, &count)| (count, std::cmp::Reverse(slot)))?;
        if count == 0 {
            return None;
        }
        Some(match slot {
            OTHER_CATEGORIES_SLOT => DominantCategory::OtherCategories,
            UNCATEGORISED_SLOT => DominantCategory::Uncategorised,
            category => DominantCategory::Category(category),
        })
    }
}

/// The category most of a cell's current events have, which colours its cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DominantCategory {
    /// The dataset's category at this position.
    Category(usize),
    /// Categories beyond [`COUNTED_CATEGORIES`], counted together.
    OtherCategories,
    Uncategorised,
}

/// The slot an event's category is counted in.
pub fn category_slot(category: Option<usize>) -> u8 {
    let slot = match category {
        Some(category) => category.min(OTHER_CATEGORIES_SLOT),
        None => UNCATEGORISED_SLOT,
    };
    slot as u8
}

/// Where events are and what category they have, by event index: two columns (not a vector of
/// structs) so that the spatial index reads the positions as they are, compactly.
#[derive(Clone, Debug, Default)]
pub struct EventColumns {
    /// World position (`None`: not on the map).
    pub world: Vec<Option<WorldPoint32>>,
    /// Category slot, from [`category_slot`].
    pub category_slot: Vec<u8>,
}

impl EventColumns {
    /// The category slot of event `index`.
    fn slot(&self, index: usize) -> usize {
        let slot = self.category_slot.get(index);
        debug_assert!(slot.is_some(), "one category slot per event");
        slot.map_or(UNCATEGORISED_SLOT, |&slot| usize::from(slot))
    }
}

/// What the grid bins: where events are, when, and which the filter lets through.
#[derive(Clone, Copy)]
pub struct GridSources<'a> {
    pub columns: &'a EventColumns,
    pub time: &'a TimeIndex,
    pub space: &'a SpatialIndex,
    pub matches: &'a EventSet,
    /// Changes whenever `matches` does (a new filter result), so the grid is rebuilt.
    pub matches_generation: u64,
}

/// The grid's cells for one zoom level and region.
#[derive(Clone, Copy, Debug, PartialEq)]
struct GridFrame {
    zoom_level: i64,
    cell_world: f64,
    first_column: i64,
    first_row: i64,
    columns: usize,
    rows: usize,
}

impl GridFrame {
    fn cell(&self, world: WorldPoint32) -> Option<usize> {
        let column = (f64::from(world.x) / self.cell_world).floor() as i64 - self.first_column;
        let row = (f64::from(world.y) / self.cell_world).floor() as i64 - self.first_row;
        if column < 0 || row < 0 || column as usize >= self.columns || row as usize >= self.rows {
            return None;
        }
        Some(row as usize * self.columns + column as usize)
    }

    fn covered(&self) -> WorldBox {
        WorldBox {
            min: WorldPoint::new(
                self.first_column as f64 * self.cell_world,
                self.first_row as f64 * self.cell_world,
            ),
            max: WorldPoint::new(
                (self.first_column + self.columns as i64) as f64 * self.cell_world,
                (self.first_row + self.rows as i64) as f64 * self.cell_world,
            ),
        }
    }

    /// World box of one cell.
    fn cell_box(&self, cell: usize) -> WorldBox {
        let column = (cell % self.columns) as i64 + self.first_column;
        let row = (cell / self.columns) as i64 + self.first_row;
        WorldBox {
            min: WorldPoint::new(
                column as f64 * self.cell_world,
                row as f64 * self.cell_world,
            ),
            max: WorldPoint::new(
                (column + 1) as f64 * self.cell_world,
                (row + 1) as f64 * self.cell_world,
            ),
        }
    }
}

/// Binned counts of the events shown on the map, kept up to date between frames.
#[derive(Clone, Debug, Default)]
pub struct ClusterGrid {
    frame: Option<GridFrame>,
    playhead: i64,
    window: i64,
    /// Bumped when the dataset changes, so the grid is rebuilt.
    generation: u64,
    built_generation: u64,
    /// The filter result the bins are of.
    matches_generation: u64,
    bins: Vec<Bin>,
    /// How the last update was done (for tests and benchmarks).
    pub last_update: UpdateKind,
}

/// A non-empty cell on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VisibleBin {
    /// The cell, for [`ClusterGrid::events_in`].
    pub cell: usize,
    /// Where it is drawn on screen: its centroid, kept inside its cell.
    pub at: Pos2,
    pub bin: Bin,
    /// How far its marks may reach from `at` and stay inside the cell.
    pub room: f32,
}

/// What [`ClusterGrid::update`] had to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UpdateKind {
    #[default]
    Nothing,
    Incremental(usize),
    Rebuilt,
}

fn status(start: i64, end: i64, playhead: i64, window: i64) -> Option<EventStatus> {
    if start > playhead {
        None
    } else if end > playhead - window {
        Some(EventStatus::Current)
    } else {
        Some(EventStatus::Past)
    }
}

impl ClusterGrid {
    /// Forgets everything (a new dataset).
    pub fn invalidate(&mut self) {
        self.generation += 1;
    }

    /// Brings the bins up to date for this view.
    pub fn update(&mut self, projector: &Projector, moment: Moment, sources: &GridSources<'_>) {
        let (columns, time, matches) = (sources.columns, sources.time, sources.matches);
        let (zoom, playhead, window) = (moment.zoom, moment.playhead, moment.window);
        let visible = projector.visible_world();
        let zoom_level = (zoom * 2.0).round() as i64;
        let fits = self.frame.is_some_and(|frame| {
            frame.zoom_level == zoom_level && frame.covered().contains_box(&visible)
        });
        if !fits
            || self.built_generation != self.generation
            || self.matches_generation != sources.matches_generation
        {
            self.rebuild(&visible, zoom_level, moment, sources);
            return;
        }
        if (playhead, window) == (self.playhead, self.window) {
            self.last_update = UpdateKind::Nothing;
            return;
        }
        let (old_playhead, old_window) = (self.playhead, self.window);
        let starts = time.starting_between(old_playhead.min(playhead), old_playhead.max(playhead));
        let (old_edge, new_edge) = (old_playhead - old_window, playhead - window);
        let ends = time.ending_between(old_edge.min(new_edge), old_edge.max(new_edge));
        if starts.len() + ends.len() > MAX_INCREMENTAL {
            self.rebuild(&visible, zoom_level, moment, sources);
            return;
        }
        let Some(frame) = self.frame else {
            return;
        };
        let changed = starts.len() + ends.len();
        let start_range = (old_playhead.min(playhead), old_playhead.max(playhead));
        let apply = |index: u32, bins: &mut Vec<Bin>| {
            let i = index as usize;
            let Some(Some(world)) = columns.world.get(i) else {
                return;
            };
            let Some(cell) = frame.cell(*world) else {
                return;
            };
            if !matches.contains(i) {
                return;
            }
            let (start, end) = (time.start(i), time.end(i));
            let before = status(start, end, old_playhead, old_window);
            let after = status(start, end, playhead, window);
            if before == after {
                return;
            }
            let slot = columns.slot(i);
            if let Some(bin) = bins.get_mut(cell) {
                if let Some(before) = before {
                    remove(bin, index, *world, before, slot);
                }
                if let Some(after) = after {
                    add(bin, index, *world, after, slot);
                }
            }
        };
        for index in starts.clone() {
            apply(index as u32, &mut self.bins);
        }
        for &index in ends {
            // Events whose start also crossed were handled above.
            let start = time.start(index as usize);
            if start > start_range.0 && start <= start_range.1 {
                continue;
            }
            apply(index, &mut self.bins);
        }
        self.playhead = playhead;
        self.window = window;
        self.last_update = UpdateKind::Incremental(changed);
    }

    /// Bins every shown event again, in a grid around `visible` at `zoom_level` (half levels).
    fn rebuild(
        &mut self,
        visible: &WorldBox,
        zoom_level: i64,
        moment: Moment,
        sources: &GridSources<'_>,
    ) {
        let GridSources {
            columns,
            time,
            space,
            matches,
            ..
        } = *sources;
        let Moment {
            playhead, window, ..
        } = moment;
        let cell_world = CELL_PIXELS / scale_at_zoom(zoom_level as f64 / 2.0);
        let size = visible.size();
        // One view of margin on each side, so panning stays inside the grid.
        let first_column = ((visible.min.x - size.width) / cell_world).floor() as i64;
        let first_row = ((visible.min.y - size.height) / cell_world).floor() as i64;
        let columns_count = ((3.0 * size.width / cell_world).ceil() as usize + 2).min(4096);
        let rows_count = ((3.0 * size.height / cell_world).ceil() as usize + 2).min(4096);
        let frame = GridFrame {
            zoom_level,
            cell_world,
            first_column,
            first_row,
            columns: columns_count,
            rows: rows_count,
        };
        self.bins.clear();
        self.bins.resize(columns_count * rows_count, Bin::default());
        let covered = frame.covered();
        let bins = &mut self.bins;
        space.for_each_started(&covered, playhead, |index| {
            let i = index as usize;
            if !matches.contains(i) {
                return;
            }
            let Some(Some(world)) = columns.world.get(i) else {
                return;
            };
            let Some(cell) = frame.cell(*world) else {
                return;
            };
            let Some(state) = status(time.start(i), time.end(i), playhead, window) else {
                return;
            };
            let slot = columns.slot(i);
            if let Some(bin) = bins.get_mut(cell) {
                add(bin, index, *world, state, slot);
            }
        });
        self.frame = Some(frame);
        self.playhead = playhead;
        self.window = window;
        self.built_generation = self.generation;
        self.matches_generation = sources.matches_generation;
        self.last_update = UpdateKind::Rebuilt;
    }

    /// Non-empty cells whose centroid is inside `rect`, with their screen position: the
    /// centroid, moved just enough that a mark reaching `reach(bin, room)` points around it
    /// stays inside its cell (`room`: half the cell's size on screen, less a point), so that no
    /// two cells' marks ever overlap.
    pub fn visible_bins(
        &self,
        projector: &Projector,
        rect: Rect,
        reach: impl Fn(&Bin, f32) -> f32,
    ) -> Vec<VisibleBin> {
        let Some(frame) = self.frame else {
            return Vec::new();
        };
        self.bins
            .iter()
            .enumerate()
            .filter(|(_, bin)| bin.total() > 0)
            .filter_map(|(cell, bin)| {
                let at = projector.screen_from_world(bin.centroid());
                if !rect.contains(at) {
                    return None;
                }
                let cell_box = frame.cell_box(cell);
                let on_screen = Rect::from_two_pos(
                    projector.screen_from_world(cell_box.min),
                    projector.screen_from_world(cell_box.max),
                );
                let room = (on_screen.width().min(on_screen.height()) / 2.0 - 1.0).max(1.0);
                let inner = on_screen.shrink(reach(bin, room).min(room));
                Some(VisibleBin {
                    cell,
                    at: at.clamp(inner.min, inner.max),
                    bin: *bin,
                    room,
                })
            })
            .collect()
    }

    /// The non-empty cell under a screen position (map picking), in constant time.
    pub fn pick(&self, projector: &Projector, at: Pos2) -> Option<(usize, Bin)> {
        let frame = self.frame?;
        let cell = frame.cell(projector.world_from_screen(at).compact())?;
        self.bins
            .get(cell)
            .filter(|bin| bin.total() > 0)
            .map(|bin| (cell, *bin))
    }

    /// Sum over all cells: the number of placed events shown (for tests: counts are conserved).
    pub fn total(&self) -> u64 {
        self.bins.iter().map(|b| u64::from(b.total())).sum()
    }

    /// Events in a cell that are shown (not future), in index order.
    pub fn events_in(&self, cell: usize, sources: &GridSources<'_>) -> Vec<u32> {
        let GridSources {
            columns,
            time,
            space,
            matches,
            ..
        } = *sources;
        let Some(frame) = self.frame else {
            return Vec::new();
        };
        let cell_box = frame.cell_box(cell);
        let mut found = Vec::new();
        space.for_each_started(&cell_box, self.playhead, |index| {
            let in_cell = columns
                .world
                .get(index as usize)
                .copied()
                .flatten()
                .and_then(|world| frame.cell(world))
                == Some(cell);
            if in_cell
                && time.start(index as usize) <= self.playhead
                && matches.contains(index as usize)
            {
                found.push(index);
            }
        });
        found.sort_unstable();
        found
    }
}

fn add(bin: &mut Bin, index: u32, world: WorldPoint32, status: EventStatus, slot: usize) {
    match status {
        EventStatus::Current => {
            bin.current += 1;
            bin.xor_current ^= index;
            if let Some(count) = bin.categories.get_mut(slot) {
                *count += 1;
            }
        }
        EventStatus::Past => {
            bin.past += 1;
            bin.xor_past ^= index;
        }
        EventStatus::Future => return,
    }
    bin.sum_x += f64::from(world.x);
    bin.sum_y += f64::from(world.y);
}

fn remove(bin: &mut Bin, index: u32, world: WorldPoint32, status: EventStatus, slot: usize) {
    match status {
        EventStatus::Current => {
            bin.current = bin.current.saturating_sub(1);
            bin.xor_current ^= index;
            if let Some(count) = bin.categories.get_mut(slot) {
                *count = count.saturating_sub(1);
            }
        }
        EventStatus::Past => {
            bin.past = bin.past.saturating_sub(1);
            bin.xor_past ^= index;
        }
        EventStatus::Future => return,
    }
    bin.sum_x -= f64::from(world.x);
    bin.sum_y -= f64::from(world.y);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::MapCamera;
    use egui::{Rect, vec2};

    /// One cell's dominant category after binning events of these categories at one spot, all
    /// current.
    fn dominant(categories: &[Option<usize>]) -> Option<DominantCategory> {
        let spot = WorldPoint::new(0.6, 0.3);
        let columns = EventColumns {
            world: vec![Some(spot.compact()); categories.len()],
            category_slot: categories.iter().map(|&c| category_slot(c)).collect(),
        };
        let starts = vec![0; categories.len()];
        let time = TimeIndex::from_spans(starts.clone(), vec![100; categories.len()]);
        let space = SpatialIndex::new(&columns.world, &starts);
        let camera = MapCamera {
            center: spot,
            zoom: 6.0,
        };
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0));
        let projector = Projector::new(camera, rect);
        let moment = Moment {
            zoom: camera.zoom,
            playhead: 50,
            window: 100,
        };
        let mut grid = ClusterGrid::default();
        let all = EventSet::all(categories.len());
        let sources = GridSources {
            columns: &columns,
            time: &time,
            space: &space,
            matches: &all,
            matches_generation: 0,
        };
        grid.update(&projector, moment, &sources);
        let bins = grid.visible_bins(&projector, rect, |_, _| 0.0);
        assert_eq!(bins.len(), 1, "one spot, one cell");
        assert_eq!(bins[0].bin.current as usize, categories.len());
        bins[0].bin.dominant_category()
    }

    #[test]
    fn every_category_of_a_dozen_has_its_own_count() {
        // The 8th category (index 7) once shared the uncategorised slot and was drawn grey.
        for category in 0..12 {
            let mut events = vec![Some(category); 3];
            events.extend([
                None,
                None,
                Some((category + 1) % 12),
                Some((category + 5) % 12),
            ]);
            assert_eq!(
                dominant(&events),
                Some(DominantCategory::Category(category)),
                "category {category}"
            );
        }
        assert_eq!(
            dominant(&[Some(7), None, None, Some(9)]),
            Some(DominantCategory::Uncategorised)
        );
        // A tie goes to the first category.
        assert_eq!(
            dominant(&[Some(11), Some(7), Some(7), Some(11)]),
            Some(DominantCategory::Category(7))
        );
    }

    #[test]
    fn categories_beyond_the_counted_ones_are_counted_together() {
        let beyond = COUNTED_CATEGORIES;
        assert_eq!(
            dominant(&[Some(beyond), Some(beyond + 3), Some(2), Some(beyond + 7)]),
            Some(DominantCategory::OtherCategories)
        );
        assert_eq!(
            dominant(&[Some(beyond - 1), Some(beyond - 1), Some(beyond + 1)]),
            Some(DominantCategory::Category(beyond - 1))
        );
    }

    #[test]
    fn a_cell_of_earlier_events_has_no_dominant_category() {
        let mut bin = Bin::default();
        add(
            &mut bin,
            3,
            WorldPoint::new(0.5, 0.5).compact(),
            EventStatus::Past,
            usize::from(category_slot(Some(7))),
        );
        assert_eq!((bin.total(), bin.dominant_category()), (1, None));
    }
}
