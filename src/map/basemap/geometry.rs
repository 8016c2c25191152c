//! Basemap geometry ready to draw: fill triangles in chunks and lines in runs, each with its
//! bounds, so that a frame touches only what is on screen (a view of Los Angeles does not
//! project the whole of the United States). Built once, when the pack is read. Points stay in
//! the pack's fixed point (8 bytes, not 16: the world's outlines are millions of points) and
//! become world points as they are drawn.

use std::ops::Range;

use super::pack::{FixedPoint, QUANTUM, StoredShape};
use crate::model::projection::{WorldBox, WorldPoint};

/// A polygon with more points than this is filled in several chunks.
const CHUNK_POINTS: usize = 1024;
/// About this many triangles per chunk of a big polygon.
const CHUNK_TRIANGLES: usize = 384;
/// A chunk has at most this many points (its triangles' corners are `u16`).
const MAX_CHUNK_POINTS: usize = u16::MAX as usize;
/// Lines are cut into runs of at most this many points.
const RUN_POINTS: usize = 96;

/// Part of a fill: some triangles and the points they use.
#[derive(Clone, Debug)]
pub struct FillChunk {
    /// Into [`Fill::points`].
    points: Range<u32>,
    /// Into [`Fill::corners`]; the corners count from the chunk's first point.
    corners: Range<u32>,
    pub bounds: WorldBox,
}

/// Triangles filling an area, in chunks.
#[derive(Clone, Debug, Default)]
pub struct Fill {
    points: Vec<FixedPoint>,
    corners: Vec<u16>,
    pub chunks: Vec<FillChunk>,
}

/// Part of a line: consecutive points.
#[derive(Clone, Debug)]
pub struct LineRun {
    /// Into [`Lines::points`].
    points: Range<u32>,
    pub bounds: WorldBox,
    /// The run goes on from the last point of the run before it (one path when both are drawn).
    pub continues: bool,
}

/// Lines (borders, rivers), in runs.
#[derive(Clone, Debug, Default)]
pub struct Lines {
    points: Vec<FixedPoint>,
    pub runs: Vec<LineRun>,
}

/// An area's geometry at one level of detail.
#[derive(Clone, Debug)]
pub struct Outline {
    pub fill: Fill,
    /// The rings, closed, without the stretches along the world's edge (the antimeridian and
    /// the clamped poles, where Natural Earth cuts shapes: no border is there).
    pub border: Lines,
    pub bounds: WorldBox,
    /// The box of the largest part (what a label of the area has room in).
    pub main_bounds: WorldBox,
}

impl Default for Outline {
    fn default() -> Self {
        Self {
            fill: Fill::default(),
            border: Lines::default(),
            bounds: WorldBox::EMPTY,
            main_bounds: WorldBox::EMPTY,
        }
    }
}

fn range(range: &Range<u32>) -> Range<usize> {
    range.start as usize..range.end as usize
}

/// The box around `points`.
fn bounds_of(points: &[FixedPoint]) -> WorldBox {
    let mut min = (i32::MAX, i32::MAX);
    let mut max = (i32::MIN, i32::MIN);
    for p in points {
        min = (min.0.min(p.x), min.1.min(p.y));
        max = (max.0.max(p.x), max.1.max(p.y));
    }
    if points.is_empty() {
        return WorldBox::EMPTY;
    }
    let world = |x: i32, y: i32| FixedPoint { x, y }.world();
    WorldBox {
        min: world(min.0, min.1),
        max: world(max.0, max.1),
    }
}

impl Fill {
    /// The points and the triangles (corners counting from the first point) of `chunk`.
    pub fn chunk(&self, chunk: &FillChunk) -> (&[FixedPoint], &[u16]) {
        (
            self.points.get(range(&chunk.points)).unwrap_or_default(),
            self.corners.get(range(&chunk.corners)).unwrap_or_default(),
        )
    }

    /// All triangles' corners, chunk by chunk (for tests).
    pub fn triangles(&self) -> impl Iterator<Item = [WorldPoint; 3]> + '_ {
        self.chunks.iter().flat_map(|chunk| {
            let (points, corners) = self.chunk(chunk);
            corners.chunks_exact(3).filter_map(|t| {
                let corner = |i: u16| points.get(usize::from(i)).map(|p| p.world());
                Some([corner(t[0])?, corner(t[1])?, corner(t[2])?])
            })
        })
    }

    fn push_chunk(&mut self, points: impl IntoIterator<Item = FixedPoint>, corners: &[u16]) {
        let first_point = self.points.len();
        let first_corner = self.corners.len() as u32;
        self.points.extend(points);
        self.corners.extend_from_slice(corners);
        let bounds = bounds_of(self.points.get(first_point..).unwrap_or_default());
        self.chunks.push(FillChunk {
            points: first_point as u32..self.points.len() as u32,
            corners: first_corner..self.corners.len() as u32,
            bounds,
        });
    }

    /// Adds a polygon's triangles: in one chunk, or for a big polygon in chunks of
    /// neighbouring triangles (by a grid over its box).
    fn push_polygon(&mut self, points: &[FixedPoint], triangles: &[u32], bounds: WorldBox) {
        if triangles.is_empty() {
            return;
        }
        if points.len() <= CHUNK_POINTS {
            let corners: Vec<u16> = triangles.iter().map(|&i| i as u16).collect();
            self.push_chunk(points.iter().copied(), &corners);
            return;
        }
        let cells_per_side = ((triangles.len() / 3 / CHUNK_TRIANGLES) as f64)
            .sqrt()
            .ceil()
            .max(1.0) as usize;
        let size = bounds.size();
        let cell_of = |t: &[u32]| {
            let (mut x, mut y) = (0.0, 0.0);
            for &i in t {
                let p = points.get(i as usize).map_or(bounds.min, |p| p.world());
                x += p.x / 3.0;
                y += p.y / 3.0;
            }
            let along = |v: f64, min: f64, extent: f64| {
                (((v - min) / extent.max(1e-12) * cells_per_side as f64) as usize)
                    .min(cells_per_side - 1)
            };
            along(y, bounds.min.y, size.height) * cells_per_side
                + along(x, bounds.min.x, size.width)
        };
        let mut by_cell: Vec<Vec<u32>> = vec![Vec::new(); cells_per_side * cells_per_side];
        for (n, t) in triangles.chunks_exact(3).enumerate() {
            if let Some(cell) = by_cell.get_mut(cell_of(t)) {
                cell.push(n as u32);
            }
        }
        let mut chunker = Chunker::new(points.len());
        for cell in by_cell.iter().filter(|cell| !cell.is_empty()) {
            for &n in cell {
                let corners = triangles.get(n as usize * 3..n as usize * 3 + 3);
                chunker.add(self, points, corners.unwrap_or_default());
            }
            chunker.finish(self, points);
        }
    }
}

/// Gathers triangles of a big polygon into a chunk that numbers the points it uses from 0.
struct Chunker {
    /// A point's number in the chunk (`u16::MAX`: not in it).
    local: Vec<u16>,
    /// The polygon's points in the chunk, in their chunk order.
    used: Vec<u32>,
    corners: Vec<u16>,
}

impl Chunker {
    fn new(point_count: usize) -> Self {
        Self {
            local: vec![u16::MAX; point_count],
            used: Vec::new(),
            corners: Vec::new(),
        }
    }

    fn add(&mut self, fill: &mut Fill, points: &[FixedPoint], triangle: &[u32]) {
        if self.used.len() + 3 >= MAX_CHUNK_POINTS {
            self.finish(fill, points);
        }
        for &i in triangle {
            let Some(slot) = self.local.get_mut(i as usize) else {
                continue;
            };
            if *slot == u16::MAX {
                *slot = self.used.len() as u16;
                self.used.push(i);
            }
            self.corners.push(*slot);
        }
    }

    fn finish(&mut self, fill: &mut Fill, points: &[FixedPoint]) {
        if self.corners.is_empty() {
            return;
        }
        for &i in &self.used {
            if let Some(slot) = self.local.get_mut(i as usize) {
                *slot = u16::MAX;
            }
        }
        let chunk_points = self
            .used
            .iter()
            .filter_map(|&i| points.get(i as usize).copied());
        fill.push_chunk(chunk_points, &self.corners);
        self.used.clear();
        self.corners.clear();
    }
}

/// A segment along the world's edge: the antimeridian or a clamped pole.
fn along_world_edge(a: FixedPoint, b: FixedPoint) -> bool {
    let edge = |v: i32| v <= 0 || v >= QUANTUM as i32;
    (a.x == b.x && edge(a.x)) || (a.y == b.y && edge(a.y))
}

impl Lines {
    /// The points of `run`.
    pub fn run(&self, run: &LineRun) -> &[FixedPoint] {
        self.points.get(range(&run.points)).unwrap_or_default()
    }

    /// Every point of every run (for tests).
    pub fn point_count(&self) -> usize {
        self.points.len()
    }

    /// Adds a line, cut into runs and where it runs along the world's edge.
    pub fn push_line(&mut self, line: impl IntoIterator<Item = FixedPoint>) {
        // The run being built: where its points start, and whether it goes on from the last.
        let mut current: Option<(u32, bool)> = None;
        let mut next_continues = false;
        let mut previous: Option<FixedPoint> = None;
        for point in line {
            let Some(last) = previous.replace(point) else {
                continue;
            };
            if last == point {
                continue;
            }
            if along_world_edge(last, point) {
                self.end_run(current.take());
                next_continues = false;
                continue;
            }
            let (start, _) = *current.get_or_insert_with(|| {
                self.points.push(last);
                ((self.points.len() - 1) as u32, next_continues)
            });
            self.points.push(point);
            if self.points.len() - start as usize >= RUN_POINTS {
                self.end_run(current.take());
                next_continues = true;
            }
        }
        self.end_run(current.take());
    }

    fn end_run(&mut self, run: Option<(u32, bool)>) {
        let Some((start, continues)) = run else {
            return;
        };
        let end = self.points.len() as u32;
        let bounds = bounds_of(self.points.get(start as usize..).unwrap_or_default());
        self.runs.push(LineRun {
            points: start..end,
            bounds,
            continues,
        });
    }
}

impl Outline {
    /// The drawable form of a stored shape.
    pub fn new(shape: &StoredShape) -> Self {
        Self::build(shape, &mut Outline::default())
    }

    /// The drawable form of a stored shape, made in `scratch` (reused from shape to shape) and
    /// copied out at its exact size: growing vectors would hold up to twice what they need.
    pub fn build(shape: &StoredShape, scratch: &mut Outline) -> Self {
        scratch.clear();
        let mut main_area = -1.0;
        for polygon in shape.polygons() {
            let bounds = bounds_of(polygon.points);
            for ring in polygon.rings() {
                let first = ring.first().copied();
                scratch.border.push_line(ring.iter().copied().chain(first));
            }
            scratch
                .fill
                .push_polygon(polygon.points, polygon.triangles, bounds);
            let size = bounds.size();
            if size.width * size.height > main_area {
                main_area = size.width * size.height;
                scratch.main_bounds = bounds;
            }
            scratch.bounds.include(bounds.min);
            scratch.bounds.include(bounds.max);
        }
        Self {
            fill: Fill {
                points: scratch.fill.points.to_vec(),
                corners: scratch.fill.corners.to_vec(),
                chunks: scratch.fill.chunks.to_vec(),
            },
            border: Lines {
                points: scratch.border.points.to_vec(),
                runs: scratch.border.runs.to_vec(),
            },
            bounds: scratch.bounds,
            main_bounds: scratch.main_bounds,
        }
    }

    fn clear(&mut self) {
        self.fill.points.clear();
        self.fill.corners.clear();
        self.fill.chunks.clear();
        self.border.points.clear();
        self.border.runs.clear();
        self.bounds = WorldBox::EMPTY;
        self.main_bounds = WorldBox::EMPTY;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(x: f64, y: f64) -> FixedPoint {
        FixedPoint::from_world(WorldPoint::new(x, y))
    }

    fn line(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<FixedPoint> {
        points.into_iter().map(|(x, y)| fixed(x, y)).collect()
    }

    #[test]
    fn runs_cover_a_ring_and_skip_the_world_edge() {
        let mut lines = Lines::default();
        // A ring along the antimeridian (x = 1) for its last stretch.
        let ring = [(0.9, 0.2), (1.0, 0.2), (1.0, 0.3), (0.9, 0.3), (0.9, 0.2)];
        lines.push_line(line(ring));
        let runs: Vec<_> = lines.runs.iter().map(|r| lines.run(r).len()).collect();
        assert_eq!(
            runs,
            vec![2, 3],
            "the edge stretch (1, .2)–(1, .3) is not a border"
        );
        // A long line: runs of at most RUN_POINTS, each going on from the one before.
        let mut long = Lines::default();
        long.push_line(line((0..1000).map(|i| (0.1 + f64::from(i) * 1e-4, 0.5))));
        assert!(long.runs.len() > 1);
        assert!(!long.runs[0].continues && long.runs[1..].iter().all(|r| r.continues));
        let total: usize = long.runs.iter().map(|r| long.run(r).len() - 1).sum();
        assert_eq!(total, 999, "runs share their end points");
        assert!(long.runs.iter().all(|r| long.run(r).len() <= RUN_POINTS));
    }

    #[test]
    fn a_big_polygon_is_filled_in_chunks_with_every_triangle_once() {
        // A fan of 3000 thin triangles around a square: one ring of 3001 points.
        let n = 3000u32;
        let ring: Vec<FixedPoint> = (0..=n)
            .map(|i| {
                let angle = f64::from(i) / f64::from(n + 1) * std::f64::consts::TAU;
                fixed(0.5 + 0.1 * angle.cos(), 0.5 + 0.1 * angle.sin())
            })
            .collect();
        let triangles: Vec<u32> = (1..n).flat_map(|i| [0, i, i + 1]).collect();
        let mut shape = StoredShape::default();
        shape.push_polygon(&[ring], &triangles);
        let outline = Outline::new(&shape);
        assert!(outline.fill.chunks.len() > 1);
        assert_eq!(outline.fill.triangles().count(), n as usize - 1);
        for chunk in &outline.fill.chunks {
            let (points, corners) = outline.fill.chunk(chunk);
            assert!(corners.iter().all(|&i| usize::from(i) < points.len()));
            assert!(points.iter().all(|&p| chunk.bounds.contains(p.world())));
        }
        assert_eq!(outline.bounds, outline.main_bounds);
        assert_eq!(
            outline.border.point_count(),
            n as usize + 2 + outline.border.runs.len() - 1
        );
    }
}
