//! The density layer: a heat map of the events shown, for millions of them. Events are counted
//! in hexagons about [`HEX_PIXELS`] across on screen and drawn as one mesh, coloured by count on
//! a log ramp (nothing where there is no event).
//!
//! As with the clusters, the hexagons are anchored to the world at half zoom levels and cover
//! the view with a margin of a view on each side, so panning within it costs only the mesh; a
//! moving playhead updates the counts of the events whose status changed; the mesh itself is
//! kept while nothing moved.

use std::f64::consts::PI;
use std::ops::Range;
use std::sync::Arc;

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Painter, PopupAnchor, Pos2, Rect, Shape, Tooltip, Ui, Visuals, pos2};

use crate::map::Projector;
use crate::model::EventSet;
use crate::model::calendar::group_thousands;
use crate::model::index::TimeIndex;
use crate::model::projection::{WorldBox, WorldPoint, WorldPoint32, scale_at_zoom};
use crate::theme::ramps::density_color;

/// Width of a hexagon on screen (between two opposite sides), in points, at the zoom its grid is
/// made for; between 12 and 17 at the zooms in between.
pub const HEX_PIXELS: f64 = 14.0;
/// Above this many events whose status may have changed, counting again is cheaper.
const MAX_INCREMENTAL: usize = 200_000;
/// The grid has at most this many hexagons a side.
const MAX_SIDE: usize = 4096;
const SQRT_3: f64 = 1.732_050_807_568_877_2;
/// From this many events started, a rebuild counts them on two threads.
const TWO_THREADS_FROM: usize = 200_000;

/// The moment the events are shown at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WindowAt {
    pub playhead: i64,
    /// Events that ended more than this before the playhead are not shown in full.
    pub window: i64,
}

/// The events a data layer counts: those the filter lets through that are shown in full at the
/// playhead (started by it, and not ended a window or more before it).
#[derive(Clone, Copy)]
pub struct ShownEvents<'a> {
    /// The events the filter lets through.
    pub matches: &'a EventSet,
    pub time: &'a TimeIndex,
    pub at: WindowAt,
}

/// Whether an event spanning `start..end` is shown in full at `at`.
fn in_full(start: i64, end: i64, at: WindowAt) -> bool {
    start <= at.playhead && end > at.playhead.saturating_sub(at.window)
}

impl ShownEvents<'_> {
    /// Whether event `index` is shown in full.
    pub fn contains(&self, index: usize) -> bool {
        self.matches.contains(index) && self.in_full(index, self.at)
    }

    fn in_full(&self, index: usize, at: WindowAt) -> bool {
        in_full(self.time.start(index), self.time.end(index), at)
    }

    /// Calls `visit` with every event shown in full, in no particular order; `scratch` is
    /// reused between calls.
    pub fn for_each(&self, scratch: &mut Vec<u32>, mut visit: impl FnMut(usize)) {
        scratch.clear();
        let from = self.at.playhead.saturating_sub(self.at.window);
        self.time.overlapping(from, self.at.playhead, scratch);
        for &index in scratch.iter() {
            if self.matches.contains(index as usize) {
                visit(index as usize);
            }
        }
    }

    /// How many events have started by the playhead, and how many of them started within the
    /// window: when few did, the time index finds the shown events faster than reading every
    /// started event.
    fn started(&self) -> (usize, usize) {
        let started = self.time.started_by(self.at.playhead);
        let edge = self.at.playhead.saturating_sub(self.at.window);
        (started, started - self.time.started_by(edge).min(started))
    }

    /// Calls `changed(index, now_shown)` for each matching event whose status differs between
    /// `before` and this moment. Returns `false` (and calls nothing) when more than
    /// [`MAX_INCREMENTAL`] events may have changed: counting again is cheaper.
    pub fn for_each_change(&self, before: WindowAt, mut changed: impl FnMut(usize, bool)) -> bool {
        let now = self.at;
        let (low, high) = (
            before.playhead.min(now.playhead),
            before.playhead.max(now.playhead),
        );
        let starts = self.time.starting_between(low, high);
        let (old_edge, new_edge) = (
            before.playhead.saturating_sub(before.window),
            now.playhead.saturating_sub(now.window),
        );
        let ends = self
            .time
            .ending_between(old_edge.min(new_edge), old_edge.max(new_edge));
        if starts.len() + ends.len() > MAX_INCREMENTAL {
            return false;
        }
        let mut check = |index: usize| {
            let (was, is) = (self.in_full(index, before), self.in_full(index, now));
            if was != is && self.matches.contains(index) {
                changed(index, is);
            }
        };
        for index in starts {
            check(index);
        }
        for &index in ends {
            let start = self.time.start(index as usize);
            // Events whose start also moved across were checked above.
            if !(start > low && start <= high) {
                check(index as usize);
            }
        }
        true
    }
}

/// The hexagon (column, row) holding the world point `x`, `y` in a grid of pointy-topped
/// hexagons `size` from centre to corner, rows offset by half a hexagon on odd rows. The point is
/// in the hexagon whose centre is nearest (cube rounding of axial coordinates).
fn hexagon_of(x: f64, y: f64, size: f64) -> (i64, i64) {
    let q = (SQRT_3 / 3.0 * x - y / 3.0) / size;
    let r = (2.0 / 3.0 * y) / size;
    let s = -q - r;
    let (round_q, round_r, round_s) = (nearest(q), nearest(r), nearest(s));
    let (dq, dr, ds) = (
        (round_q - q).abs(),
        (round_r - r).abs(),
        (round_s - s).abs(),
    );
    // The coordinate rounded furthest is made from the other two. Written as arithmetic, not
    // branches: the points come in no order, and mispredicted branches were half the cost of
    // counting a million events.
    let fix_q = f64::from(u8::from((dq > dr) & (dq > ds)));
    let fix_r = (1.0 - fix_q) * f64::from(u8::from(dr > ds));
    let round_q = round_q + fix_q * (-round_r - round_s - round_q);
    let round_r = round_r + fix_r * (-round_q - round_s - round_r);
    let (q, r) = (round_q as i64, round_r as i64);
    (q + (r >> 1), r)
}

/// The whole number nearest `value` (halves up), without a call into the maths library: this
/// runs for every event counted, and `f64::round` is a function call on baseline x86-64.
fn nearest(value: f64) -> f64 {
    let shifted = value + 0.5;
    let truncated = shifted as i64 as f64;
    if truncated > shifted {
        truncated - 1.0
    } else {
        truncated
    }
}

/// The centre of hexagon (`column`, `row`).
fn hexagon_center(column: i64, row: i64, size: f64) -> WorldPoint {
    let shift = 0.5 * row.rem_euclid(2) as f64;
    WorldPoint::new(
        SQRT_3 * size * (column as f64 + shift),
        1.5 * size * row as f64,
    )
}

/// The hexagons counted: a view and a view's margin on each side, at one half zoom level.
#[derive(Clone, Copy, Debug, PartialEq)]
struct HexGrid {
    zoom_level: i64,
    /// Centre to corner, in world units.
    size: f64,
    first_column: i64,
    first_row: i64,
    columns: usize,
    rows: usize,
}

impl HexGrid {
    /// The grid around `visible` at `zoom_level` (half levels).
    fn around(visible: &WorldBox, zoom_level: i64) -> Self {
        let size = HEX_PIXELS / SQRT_3 / scale_at_zoom(zoom_level as f64 / 2.0);
        let (width, height) = (SQRT_3 * size, 1.5 * size);
        let view = visible.size();
        let side =
            |extent: f64, step: f64| ((3.0 * extent / step).ceil() as usize + 4).min(MAX_SIDE);
        Self {
            zoom_level,
            size,
            first_column: ((visible.min.x - view.width) / width).floor() as i64 - 2,
            first_row: ((visible.min.y - view.height) / height).floor() as i64 - 2,
            columns: side(view.width, width),
            rows: side(view.height, height),
        }
    }

    fn len(&self) -> usize {
        self.columns * self.rows
    }

    /// The cell of the hexagon holding `world` (`None`: outside the grid).
    fn cell(&self, world: WorldPoint32) -> Option<usize> {
        let (column, row) = hexagon_of(f64::from(world.x), f64::from(world.y), self.size);
        let (column, row) = (column - self.first_column, row - self.first_row);
        if column < 0 || row < 0 || column as usize >= self.columns || row as usize >= self.rows {
            return None;
        }
        Some(row as usize * self.columns + column as usize)
    }

    /// The centre of `cell`'s hexagon.
    fn center(&self, cell: usize) -> WorldPoint {
        let column = (cell % self.columns.max(1)) as i64 + self.first_column;
        let row = (cell / self.columns.max(1)) as i64 + self.first_row;
        hexagon_center(column, row, self.size)
    }

    /// The box every point of which is in a hexagon of the grid (the grid is used while the
    /// view stays inside it).
    fn covered(&self) -> WorldBox {
        let (width, height) = (SQRT_3 * self.size, 1.5 * self.size);
        WorldBox {
            min: WorldPoint::new(
                (self.first_column + 1) as f64 * width,
                (self.first_row + 1) as f64 * height,
            ),
            max: WorldPoint::new(
                (self.first_column + self.columns as i64 - 1) as f64 * width,
                (self.first_row + self.rows as i64 - 1) as f64 * height,
            ),
        }
    }

    /// A box around every hexagon of the grid (the events to count).
    fn extent(&self) -> WorldBox {
        let (width, height) = (SQRT_3 * self.size, 1.5 * self.size);
        WorldBox {
            min: WorldPoint::new(
                (self.first_column - 1) as f64 * width,
                (self.first_row - 1) as f64 * height,
            ),
            max: WorldPoint::new(
                (self.first_column + self.columns as i64 + 1) as f64 * width,
                (self.first_row + self.rows as i64 + 1) as f64 * height,
            ),
        }
    }
}

/// Adds an event at `world` to the count of its hexagon, if it is in the grid.
fn count_event(grid: &HexGrid, counts: &mut [u32], world: Option<WorldPoint32>) {
    if let Some(count) = world
        .and_then(|w| grid.cell(w))
        .and_then(|cell| counts.get_mut(cell))
    {
        *count += 1;
    }
}

/// Counts the shown events among `events` (all started by the playhead) in index order: in a
/// long window (cumulative) most events started are shown, and reading them in order is 20
/// times faster than visiting those in view through the spatial index, whose every event is
/// three scattered reads (166 ms at a million events).
fn count_in_order(
    grid: &HexGrid,
    input: &DensityInput<'_>,
    events: Range<usize>,
    counts: &mut [u32],
) {
    let shown = input.shown;
    let edge = shown.at.playhead.saturating_sub(shown.at.window);
    let extent = grid.extent();
    let (min, max) = (extent.min.compact(), extent.max.compact());
    let worlds = input.world.get(events.clone()).unwrap_or_default();
    for (index, world) in events.zip(worlds) {
        let Some(world) = *world else {
            continue;
        };
        // Most events of a view framing one country are off screen when it zooms in.
        if world.x < min.x || world.x > max.x || world.y < min.y || world.y > max.y {
            continue;
        }
        if shown.time.end(index) > edge && shown.matches.contains(index) {
            count_event(grid, counts, Some(world));
        }
    }
}

/// What the density layer counts, one frame.
#[derive(Clone, Copy)]
pub struct DensityInput<'a> {
    /// World position by event (`MapData::columns.world`).
    pub world: &'a [Option<WorldPoint32>],
    pub shown: ShownEvents<'a>,
}

/// What [`DensityBins::update`] had to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DensityUpdate {
    #[default]
    Nothing,
    /// The counts of this many events' hexagons changed with the playhead.
    Incremental(usize),
    Rebuilt,
}

/// The mesh drawn last, and what it was drawn for.
struct CachedMesh {
    visible: WorldBox,
    rect: Rect,
    revision: u64,
    dark_mode: bool,
    mesh: Option<Arc<Mesh>>,
}

/// The hexagons' counts of the events shown, kept up to date between frames.
#[derive(Default)]
pub struct DensityBins {
    grid: Option<HexGrid>,
    counts: Vec<u32>,
    at: WindowAt,
    /// The matches the counts are of.
    matches: EventSet,
    /// Bumped when the dataset changes, so the counts are made again.
    generation: u64,
    built_generation: u64,
    /// Bumped whenever the counts change (the mesh is made again).
    revision: u64,
    mesh: Option<CachedMesh>,
    scratch: Vec<u32>,
    /// How the last update was done (for tests and benchmarks).
    pub last_update: DensityUpdate,
}

impl DensityBins {
    /// Forgets everything (a new dataset).
    pub fn invalidate(&mut self) {
        self.generation += 1;
    }

    /// Brings the counts up to date for this view and moment.
    pub fn update(&mut self, projector: &Projector, input: &DensityInput<'_>) {
        let visible = projector.visible_world();
        let zoom_level = (projector.zoom() * 2.0).round() as i64;
        let fits = self.grid.is_some_and(|grid| {
            grid.zoom_level == zoom_level && grid.covered().contains_box(&visible)
        });
        let matches = input.shown.matches;
        let same_matches = self.matches.universe() == matches.universe()
            && self.matches.count() == matches.count()
            && self.matches == *matches;
        if !fits || !same_matches || self.built_generation != self.generation {
            self.rebuild(HexGrid::around(&visible, zoom_level), input);
            return;
        }
        if input.shown.at == self.at {
            self.last_update = DensityUpdate::Nothing;
            return;
        }
        let Some(grid) = self.grid else {
            return;
        };
        let (counts, world) = (&mut self.counts, input.world);
        let mut changed = 0;
        let incremental = input.shown.for_each_change(self.at, |index, shown| {
            let Some(cell) = world
                .get(index)
                .copied()
                .flatten()
                .and_then(|w| grid.cell(w))
            else {
                return;
            };
            if let Some(count) = counts.get_mut(cell) {
                *count = if shown {
                    *count + 1
                } else {
                    count.saturating_sub(1)
                };
                changed += 1;
            }
        });
        if !incremental {
            self.rebuild(grid, input);
            return;
        }
        self.at = input.shown.at;
        self.revision += 1;
        self.last_update = DensityUpdate::Incremental(changed);
    }

    /// Counts every shown event again, in `grid`.
    fn rebuild(&mut self, grid: HexGrid, input: &DensityInput<'_>) {
        let shown = input.shown;
        self.counts.clear();
        self.counts.resize(grid.len(), 0);
        let (started, started_in_window) = shown.started();
        if started_in_window.saturating_mul(4) < started {
            // A short window: the few events in it, found by the time index.
            let (counts, world) = (&mut self.counts, input.world);
            shown.for_each(&mut self.scratch, |index| {
                count_event(&grid, counts, world.get(index).copied().flatten());
            });
        } else if started < TWO_THREADS_FROM {
            count_in_order(&grid, input, 0..started, &mut self.counts);
        } else {
            // Many events: half of them on another thread, into counts of its own.
            let half = started / 2;
            let counts = &mut self.counts;
            let other = std::thread::scope(|scope| {
                let second = scope.spawn(|| {
                    let mut counts = vec![0; grid.len()];
                    count_in_order(&grid, input, half..started, &mut counts);
                    counts
                });
                count_in_order(&grid, input, 0..half, counts);
                second.join()
            });
            match other {
                Ok(other) => {
                    for (count, more) in self.counts.iter_mut().zip(other) {
                        *count += more;
                    }
                }
                // A panic there is a bug; those events are counted here instead.
                Err(_) => count_in_order(&grid, input, half..started, &mut self.counts),
            }
        }
        self.grid = Some(grid);
        self.at = shown.at;
        if self.matches != *shown.matches {
            self.matches = shown.matches.clone();
        }
        self.built_generation = self.generation;
        self.revision += 1;
        self.last_update = DensityUpdate::Rebuilt;
    }

    /// How many shown events are in the hexagon holding `world` (0 outside the grid).
    pub fn count_at(&self, world: WorldPoint) -> u32 {
        self.grid
            .and_then(|grid| grid.cell(world.compact()))
            .and_then(|cell| self.counts.get(cell))
            .copied()
            .unwrap_or(0)
    }

    /// The events counted in all hexagons (for tests: counts are conserved).
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|&count| u64::from(count)).sum()
    }

    /// The hexagons in `rect` as one mesh (`None`: no event there), kept while neither the
    /// view nor the counts change.
    pub fn mesh(
        &mut self,
        projector: &Projector,
        rect: Rect,
        visuals: &Visuals,
    ) -> Option<Arc<Mesh>> {
        let visible = projector.visible_world();
        if let Some(cached) = &self.mesh
            && cached.visible == visible
            && cached.rect == rect
            && cached.revision == self.revision
            && cached.dark_mode == visuals.dark_mode
        {
            return cached.mesh.clone();
        }
        let mesh = self.build_mesh(projector, rect, visuals).map(Arc::new);
        self.mesh = Some(CachedMesh {
            visible,
            rect,
            revision: self.revision,
            dark_mode: visuals.dark_mode,
            mesh: mesh.clone(),
        });
        mesh
    }

    /// The most events in one hexagon (the top of the colour scale).
    pub fn most(&self) -> u32 {
        self.counts.iter().copied().max().unwrap_or(0)
    }

    fn build_mesh(&self, projector: &Projector, rect: Rect, visuals: &Visuals) -> Option<Mesh> {
        let grid = self.grid?;
        let most = self.counts.iter().copied().max().filter(|&most| most > 0)?;
        let log_most = f64::from(most).ln().max(f64::MIN_POSITIVE);
        let radius = (grid.size * scale_at_zoom(projector.zoom())) as f32;
        // Pointy-topped: corners at 30° + 60° k.
        let corners: [egui::Vec2; 6] = std::array::from_fn(|k| {
            let angle = PI / 6.0 + PI / 3.0 * k as f64;
            egui::vec2(angle.cos() as f32, angle.sin() as f32) * radius
        });
        let in_view = rect.expand(radius);
        let mut mesh = Mesh::default();
        for (cell, &count) in self.counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let center = projector.screen_from_world(grid.center(cell));
            if !in_view.contains(center) {
                continue;
            }
            let t = (f64::from(count).ln() / log_most) as f32;
            let color = density_color(visuals, t);
            let base = mesh.vertices.len() as u32;
            mesh.vertices.extend(corners.iter().map(|&corner| Vertex {
                pos: pos2(center.x + corner.x, center.y + corner.y),
                uv: WHITE_UV,
                color,
            }));
            // A fan of four triangles from the first corner.
            for k in 1..5 {
                mesh.indices.extend([base, base + k, base + k + 1]);
            }
        }
        (!mesh.is_empty()).then_some(mesh)
    }
}

/// Draws the density of the events shown and, under the pointer (`hover`, over the map's
/// background), a tooltip with the hexagon's count. Returns that count (`None`: no event there).
/// The density's legend at the map's top-left corner (under its mode switch): the colours from
/// one event per hexagon to the most, on the same log scale as the hexagons.
fn density_legend_ui(ui: &Ui, map: Rect, most: u32) {
    egui::Area::new(ui.make_persistent_id("map-density-legend"))
        .fixed_pos(map.left_top() + egui::vec2(8.0, 52.0))
        .constrain_to(map)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(egui::RichText::new("Events per hexagon in the window:").strong());
                    if most == 0 {
                        ui.label("none");
                        return;
                    }
                    ui.label("1");
                    for step in 0..=4 {
                        let t = step as f32 / 4.0;
                        let (swatch, _) =
                            ui.allocate_exact_size(egui::Vec2::splat(12.0), egui::Sense::hover());
                        ui.painter()
                            .rect_filled(swatch, 2.0, density_color(ui.visuals(), t));
                    }
                    ui.label(group_thousands(u64::from(most)));
                });
            });
        });
}

pub fn density_ui(
    ui: &mut Ui,
    painter: &Painter,
    projector: &Projector,
    bins: &mut DensityBins,
    input: &DensityInput<'_>,
    hover: Option<Pos2>,
) -> Option<u32> {
    bins.update(projector, input);
    if let Some(mesh) = bins.mesh(projector, painter.clip_rect(), ui.visuals()) {
        painter.add(Shape::Mesh(mesh));
    }
    density_legend_ui(ui, painter.clip_rect(), bins.most());
    let at = hover?;
    let count = bins.count_at(projector.world_from_screen(at));
    if count == 0 {
        return None;
    }
    let text = format!("{} here", events_words(count));
    let id = ui.make_persistent_id("map-density-hexagon");
    Tooltip::always_open(ui.ctx().clone(), ui.layer_id(), id, PopupAnchor::Pointer)
        .show(|ui| ui.label(text));
    Some(count)
}

/// "no events", "1 event", "1,204 events".
pub fn events_words(count: u32) -> String {
    match count {
        0 => "no events".to_owned(),
        1 => "1 event".to_owned(),
        1000..10_000 => format!("{},{:03} events", count / 1000, count % 1000),
        _ => format!("{} events", group_thousands(u64::from(count))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::MapCamera;
    use egui::vec2;

    /// A small deterministic generator.
    struct Lcg(u64);
    impl Lcg {
        fn unit(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn distance_squared(a: WorldPoint, b: WorldPoint) -> f64 {
        (a.x - b.x).powi(2) + (a.y - b.y).powi(2)
    }

    #[test]
    fn a_point_lands_in_the_one_hexagon_whose_centre_is_nearest() {
        let mut random = Lcg(7);
        let size = 0.001;
        for _ in 0..20_000 {
            let point = WorldPoint::new(random.unit(), random.unit());
            let (column, row) = hexagon_of(point.x, point.y, size);
            let own = distance_squared(point, hexagon_center(column, row, size));
            // Hexagons are the cells of their centres: every other centre is at least as far.
            for dr in -2..=2 {
                for dc in -2..=2 {
                    let other = hexagon_center(column + dc, row + dr, size);
                    assert!(
                        own <= distance_squared(point, other) + 1e-18,
                        "{point:?} in ({column}, {row}), nearer ({}, {})",
                        column + dc,
                        row + dr
                    );
                }
            }
            // And it is inside its hexagon: within the inner radius, or within the corner radius.
            assert!(own.sqrt() <= size * (1.0 + 1e-9));
        }
        // The centre of a hexagon lands in it, whatever the row's parity.
        for (column, row) in [(0, 0), (3, 1), (-2, -3), (10, 7)] {
            let center = hexagon_center(column, row, size);
            assert_eq!(hexagon_of(center.x, center.y, size), (column, row));
        }
    }

    /// Events at random places around (0.6, 0.3) with random spans, all matching but every
    /// seventh.
    fn scattered(n: usize) -> (Vec<Option<WorldPoint32>>, TimeIndex, EventSet) {
        let mut random = Lcg(11);
        let world: Vec<Option<WorldPoint32>> = (0..n)
            .map(|i| {
                let point = WorldPoint::new(0.6 + 0.02 * random.unit(), 0.3 + 0.02 * random.unit());
                (i % 11 != 0).then(|| point.compact())
            })
            .collect();
        let mut starts: Vec<i64> = (0..n).map(|_| (random.unit() * 1000.0) as i64).collect();
        starts.sort_unstable();
        let ends: Vec<i64> = starts
            .iter()
            .map(|&s| s + 1 + (random.unit() * 200.0) as i64)
            .collect();
        let time = TimeIndex::from_spans(starts.clone(), ends);
        let matches = EventSet::from_indices(n, (0..n).filter(|i| i % 7 != 0));
        (world, time, matches)
    }

    #[test]
    fn counts_sum_to_the_events_shown_and_follow_the_playhead() {
        let (world, time, matches) = scattered(5000);
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0));
        let camera = MapCamera {
            center: WorldPoint::new(0.61, 0.31),
            zoom: 7.0,
        };
        let projector = Projector::new(camera, rect);
        let mut bins = DensityBins::default();
        let expected = |at: WindowAt| {
            let shown = ShownEvents {
                matches: &matches,
                time: &time,
                at,
            };
            (0..world.len())
                .filter(|&i| world[i].is_some() && shown.contains(i))
                .count() as u64
        };
        for (playhead, window, update) in [
            (500, 50, DensityUpdate::Rebuilt),
            (520, 50, DensityUpdate::Incremental(0)),
            (480, 300, DensityUpdate::Incremental(0)),
            (480, 300, DensityUpdate::Nothing),
            (1000, 2000, DensityUpdate::Incremental(0)),
        ] {
            let at = WindowAt { playhead, window };
            let input = DensityInput {
                world: &world,
                shown: ShownEvents {
                    matches: &matches,
                    time: &time,
                    at,
                },
            };
            bins.update(&projector, &input);
            let kind = match bins.last_update {
                DensityUpdate::Incremental(_) => DensityUpdate::Incremental(0),
                other => other,
            };
            assert_eq!(kind, update, "{at:?}");
            assert_eq!(bins.total(), expected(at), "{at:?}");
            // Counted again from nothing, by either path, the counts are the same.
            let mut fresh = DensityBins::default();
            fresh.update(&projector, &input);
            assert_eq!(fresh.counts, bins.counts, "{at:?}");
        }
        // Another filter is counted again.
        let fewer = EventSet::from_indices(world.len(), 0..100);
        let at = WindowAt {
            playhead: 1000,
            window: 2000,
        };
        let input = DensityInput {
            world: &world,
            shown: ShownEvents {
                matches: &fewer,
                time: &time,
                at,
            },
        };
        bins.update(&projector, &input);
        assert_eq!(bins.last_update, DensityUpdate::Rebuilt);
        let placed = (0..100).filter(|&i| world[i].is_some()).count() as u64;
        assert_eq!(bins.total(), placed);
    }

    #[test]
    fn many_events_are_counted_on_two_threads_as_on_one() {
        let n = TWO_THREADS_FROM + 5000;
        let (world, time, matches) = scattered(n);
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0));
        let camera = MapCamera {
            center: WorldPoint::new(0.61, 0.31),
            zoom: 6.0,
        };
        let projector = Projector::new(camera, rect);
        let shown = ShownEvents {
            matches: &matches,
            time: &time,
            at: WindowAt {
                playhead: 900,
                window: 1000,
            },
        };
        let input = DensityInput {
            world: &world,
            shown,
        };
        let mut bins = DensityBins::default();
        bins.update(&projector, &input);
        let grid = bins.grid.unwrap();
        let mut one_thread = vec![0; grid.len()];
        count_in_order(&grid, &input, 0..time.started_by(900), &mut one_thread);
        assert_eq!(bins.counts, one_thread);
        let expected = (0..n)
            .filter(|&i| world[i].is_some() && shown.contains(i))
            .count();
        assert_eq!(bins.total(), expected as u64);
    }

    #[test]
    fn the_mesh_is_kept_while_nothing_changes() {
        let (world, time, matches) = scattered(2000);
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0));
        let camera = MapCamera {
            center: WorldPoint::new(0.61, 0.31),
            zoom: 8.0,
        };
        let projector = Projector::new(camera, rect);
        let input = DensityInput {
            world: &world,
            shown: ShownEvents {
                matches: &matches,
                time: &time,
                at: WindowAt {
                    playhead: 1000,
                    window: 2000,
                },
            },
        };
        let mut bins = DensityBins::default();
        bins.update(&projector, &input);
        let visuals = Visuals::dark();
        let first = bins.mesh(&projector, rect, &visuals).unwrap();
        bins.update(&projector, &input);
        let second = bins.mesh(&projector, rect, &visuals).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        // Six corners and four triangles per hexagon; the hexagon under a shown event counts it.
        assert_eq!(first.vertices.len() % 6, 0);
        assert_eq!(first.indices.len(), first.vertices.len() / 6 * 12);
        let shown = (0..world.len())
            .find(|&i| world[i].is_some() && input.shown.contains(i))
            .unwrap();
        assert!(bins.count_at(world[shown].unwrap().into()) >= 1);
        let moved = Projector::new(
            MapCamera {
                center: camera.center.offset(1e-4, 0.0),
                ..camera
            },
            rect,
        );
        bins.update(&moved, &input);
        assert_eq!(
            bins.last_update,
            DensityUpdate::Nothing,
            "panning keeps the counts"
        );
        let panned = bins.mesh(&moved, rect, &visuals).unwrap();
        assert!(
            !Arc::ptr_eq(&first, &panned),
            "but draws them where they now are"
        );
    }
}
