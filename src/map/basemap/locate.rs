//! Which first-order region a point is in: exact point-in-polygon on the basemap's finest
//! region outlines (the detailed level: Natural Earth's world file at about 1.5 km, the European
//! Russian regions at 250 m), holes respected.
//!
//! An R-tree of the regions' areas by their boxes gives the candidates: the areas whose box
//! holds the point. Each area's border is cut into short pieces, listed by vertical strips of
//! its box; a ray from the point due north crosses only pieces of the point's strip, and the
//! area holds the point when its border crosses the ray an odd number of times (the even–odd
//! rule, so holes such as Berlin in Brandenburg are outside). Coordinates are the basemap's
//! fixed point and the arithmetic is integer, so the answer is exact for the outlines as they
//! are stored. The borders have no stretch along the antimeridian (vertical: a north ray never
//! counts them) or the clamped south pole (south of every point); no region reaches the clamped
//! north edge. No egui here.

use std::ops::Range;

use rstar::{AABB, Envelope, RTree, RTreeObject};

use super::pack::FixedPoint;
use super::{Basemap, Detail, Lines};
use crate::model::LonLat;
use crate::model::projection::WorldPoint;

/// Border segments per piece: short pieces, so a ray tests few segments.
const PIECE_SEGMENTS: usize = 16;
/// About this many pieces per strip of an area's box.
const PIECES_PER_STRIP: usize = 4;
/// An area's box has at most this many strips.
const MAX_STRIPS: usize = 4096;
/// Below this many points one thread locates them all (a thread costs more than it saves).
const ONE_THREAD_POINTS: usize = 4096;

/// A point in the tree's coordinates: the fixed point, widened.
type TreePoint = [i64; 2];

/// A region area's box.
struct AreaBox {
    envelope: AABB<TreePoint>,
    /// Into [`Basemap::region_areas`].
    area: u32,
}

impl RTreeObject for AreaBox {
    type Envelope = AABB<TreePoint>;

    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// A stretch of an area's border (consecutive points of one ring) and its box.
#[derive(Clone, Debug)]
struct BorderPiece {
    min: FixedPoint,
    max: FixedPoint,
    /// Into [`RegionLocator::points`].
    points: Range<u32>,
}

/// An area's border pieces by vertical strips of its box, each strip listing the pieces whose
/// box overlaps it.
#[derive(Clone, Debug, Default)]
struct AreaStrips {
    min_x: i64,
    /// Width of a strip, at least 1.
    width: i64,
    /// Into [`RegionLocator::strip_starts`]: one more than the strips (where each starts in
    /// [`RegionLocator::strip_pieces`], and where the last ends).
    starts: Range<u32>,
}

/// Finds the first-order region of a point. Built once from a [`Basemap`] (about 10 ms); owns a
/// copy of the region borders (about 5 MB), so it can be shared with other threads.
pub struct RegionLocator {
    areas: RTree<AreaBox>,
    /// By area.
    strips: Vec<AreaStrips>,
    strip_starts: Vec<u32>,
    /// Into `pieces`, strip after strip.
    strip_pieces: Vec<u32>,
    pieces: Vec<BorderPiece>,
    points: Vec<FixedPoint>,
    /// The region (into [`Basemap::regions`]) of each area.
    area_region: Vec<u32>,
    /// The size of each area's box: where areas overlap (neighbours drawn from different
    /// sources meet within about 1.5 km) the smallest holds the point.
    area_size: Vec<i64>,
}

impl RegionLocator {
    /// The locator of `basemap`'s first-order regions.
    pub fn new(basemap: &Basemap) -> Self {
        let mut locator = Self {
            areas: RTree::new(),
            strips: Vec::with_capacity(basemap.region_areas.len()),
            strip_starts: Vec::new(),
            strip_pieces: Vec::new(),
            pieces: Vec::new(),
            points: Vec::new(),
            area_region: vec![u32::MAX; basemap.region_areas.len()],
            area_size: Vec::with_capacity(basemap.region_areas.len()),
        };
        for (region, members) in basemap.regions.iter().enumerate() {
            for &area in &members.areas {
                if let Some(slot) = locator.area_region.get_mut(area) {
                    *slot = region as u32;
                }
            }
        }
        let mut boxes = Vec::new();
        for (n, area) in basemap.region_areas.iter().enumerate() {
            let first_piece = locator.pieces.len();
            locator.add_border(&area.outline_at(Detail::Detailed).border);
            let pieces = locator.pieces.get(first_piece..).unwrap_or_default();
            let envelope = pieces
                .iter()
                .map(piece_envelope)
                .reduce(|a, b| a.merged(&b));
            locator.area_size.push(envelope.map_or(0, |b| b.area()));
            let strips = locator.add_strips(first_piece, envelope.as_ref());
            locator.strips.push(strips);
            if let Some(envelope) = envelope {
                boxes.push(AreaBox {
                    envelope,
                    area: n as u32,
                });
            }
        }
        locator.areas = RTree::bulk_load(boxes);
        locator
    }

    /// Cuts `border` into pieces of at most [`PIECE_SEGMENTS`] segments, their points copied.
    fn add_border(&mut self, border: &Lines) {
        for run in &border.runs {
            let run = border.run(run);
            let mut start = 0;
            while start + 1 < run.len() {
                let end = (start + PIECE_SEGMENTS + 1).min(run.len());
                let stretch = run.get(start..end).unwrap_or_default();
                let first = self.points.len() as u32;
                self.points.extend_from_slice(stretch);
                let (min, max) = bounds_of(stretch);
                self.pieces.push(BorderPiece {
                    min,
                    max,
                    points: first..self.points.len() as u32,
                });
                // Pieces share their end points: no segment is left out.
                start = end - 1;
            }
        }
    }

    /// Lists the pieces from `first_piece` on (one area's, in `envelope`) by strips.
    fn add_strips(&mut self, first_piece: usize, envelope: Option<&AABB<TreePoint>>) -> AreaStrips {
        let first_start = self.strip_starts.len() as u32;
        let (Some(envelope), Some(pieces)) = (envelope, self.pieces.get(first_piece..)) else {
            self.strip_starts.push(self.strip_pieces.len() as u32);
            return AreaStrips {
                min_x: 0,
                width: 1,
                starts: first_start..first_start + 1,
            };
        };
        let count = (pieces.len() / PIECES_PER_STRIP).clamp(1, MAX_STRIPS);
        let (min_x, span) = (
            envelope.lower()[0],
            envelope.upper()[0] - envelope.lower()[0] + 1,
        );
        let width = (span + count as i64 - 1) / count as i64;
        let strip_of =
            |x: i32| ((i64::from(x) - min_x) / width).clamp(0, count as i64 - 1) as usize;
        // Counting sort: how many pieces each strip lists, then the lists.
        let mut sizes = vec![0u32; count];
        for piece in pieces {
            for strip in strip_of(piece.min.x)..=strip_of(piece.max.x) {
                if let Some(size) = sizes.get_mut(strip) {
                    *size += 1;
                }
            }
        }
        let base = self.strip_pieces.len() as u32;
        let mut next: Vec<u32> = sizes
            .iter()
            .scan(base, |start, &size| {
                let this = *start;
                *start += size;
                Some(this)
            })
            .collect();
        self.strip_starts.extend_from_slice(&next);
        let total: u32 = sizes.iter().sum();
        self.strip_starts.push(base + total);
        self.strip_pieces.resize((base + total) as usize, 0);
        for (n, piece) in pieces.iter().enumerate() {
            for strip in strip_of(piece.min.x)..=strip_of(piece.max.x) {
                if let Some(at) = next.get_mut(strip)
                    && let Some(slot) = self.strip_pieces.get_mut(*at as usize)
                {
                    *slot = (first_piece + n) as u32;
                    *at += 1;
                }
            }
        }
        AreaStrips {
            min_x,
            width,
            starts: first_start..self.strip_starts.len() as u32,
        }
    }

    /// The region `at` is in, as an index into [`Basemap::regions`] (`None`: in no region, e.g.
    /// at sea).
    pub fn locate(&self, at: LonLat) -> Option<usize> {
        self.locate_world(WorldPoint::from_lon_lat(at))
    }

    /// The region the world point `at` is in (for the map's pointer).
    pub fn locate_world(&self, at: WorldPoint) -> Option<usize> {
        self.locate_fixed(FixedPoint::from_world(at))
            .map(|region| region as usize)
    }

    /// The region of every point (`None` where there is no point or no region), by index into
    /// [`Basemap::regions`]; on two threads.
    pub fn locate_all(&self, points: &[Option<LonLat>]) -> Vec<Option<u32>> {
        if points.len() < ONE_THREAD_POINTS {
            return self.locate_each(points);
        }
        let (first, second) = points.split_at(points.len() / 2);
        std::thread::scope(|scope| {
            let second_half = scope.spawn(|| self.locate_each(second));
            let mut found = self.locate_each(first);
            // A panic there is a bug; the points are located here instead of lost.
            let rest = second_half
                .join()
                .unwrap_or_else(|_| self.locate_each(second));
            found.extend(rest);
            found
        })
    }

    /// The region of each point, on this thread.
    fn locate_each(&self, points: &[Option<LonLat>]) -> Vec<Option<u32>> {
        // Events often share a place: the last answer is kept for the next point.
        let mut last: Option<(LonLat, Option<u32>)> = None;
        points
            .iter()
            .map(|point| {
                let at = (*point)?;
                if let Some((previous, region)) = last
                    && previous == at
                {
                    return region;
                }
                let region =
                    self.locate_fixed(FixedPoint::from_world(WorldPoint::from_lon_lat(at)));
                last = Some((at, region));
                region
            })
            .collect()
    }

    /// The region of a fixed point.
    fn locate_fixed(&self, at: FixedPoint) -> Option<u32> {
        let point = [i64::from(at.x), i64::from(at.y)];
        let size = |area: u32| self.area_size.get(area as usize).copied().unwrap_or(0);
        let area = self
            .areas
            .locate_in_envelope_intersecting(&AABB::from_point(point))
            .map(|found| found.area)
            .filter(|&area| self.holds(area, point))
            .min_by_key(|&area| (size(area), area))?;
        self.area_region
            .get(area as usize)
            .copied()
            .filter(|&region| region != u32::MAX)
    }

    /// Whether `area` holds `point` (which is in its box): its border crosses the ray due north
    /// of the point an odd number of times.
    fn holds(&self, area: u32, point: TreePoint) -> bool {
        let Some(strips) = self.strips.get(area as usize) else {
            return false;
        };
        let strip_count = (strips.starts.end - strips.starts.start).saturating_sub(1) as i64;
        let strip = ((point[0] - strips.min_x) / strips.width).clamp(0, (strip_count - 1).max(0));
        let at = strips.starts.start as usize + strip as usize;
        let (Some(&from), Some(&to)) = (self.strip_starts.get(at), self.strip_starts.get(at + 1))
        else {
            return false;
        };
        let listed = self.strip_pieces.get(from as usize..to as usize);
        let mut inside = false;
        for piece in listed
            .unwrap_or_default()
            .iter()
            .filter_map(|&n| self.pieces.get(n as usize))
        {
            let [px, py] = point;
            // A piece south of the point, or beside it, cannot cross the ray.
            if i64::from(piece.min.y) > py
                || i64::from(piece.min.x) > px
                || i64::from(piece.max.x) < px
            {
                continue;
            }
            let stretch = self
                .points
                .get(piece.points.start as usize..piece.points.end as usize);
            let crossings = stretch
                .unwrap_or_default()
                .windows(2)
                .filter(|segment| crosses_north_of(segment, point))
                .count();
            inside ^= crossings % 2 == 1;
        }
        inside
    }
}

/// The corners of the box around `points` (at least one).
fn bounds_of(points: &[FixedPoint]) -> (FixedPoint, FixedPoint) {
    let mut min = FixedPoint {
        x: i32::MAX,
        y: i32::MAX,
    };
    let mut max = FixedPoint {
        x: i32::MIN,
        y: i32::MIN,
    };
    for p in points {
        min = FixedPoint {
            x: min.x.min(p.x),
            y: min.y.min(p.y),
        };
        max = FixedPoint {
            x: max.x.max(p.x),
            y: max.y.max(p.y),
        };
    }
    (min, max)
}

/// A piece's box in the tree's coordinates.
fn piece_envelope(piece: &BorderPiece) -> AABB<TreePoint> {
    let corner = |p: FixedPoint| [i64::from(p.x), i64::from(p.y)];
    AABB::from_corners(corner(piece.min), corner(piece.max))
}

/// Whether the segment `[a, b]` crosses the vertical line through `point` north of it (at a
/// smaller y). A segment counts where one end is at or west of the line and the other east of
/// it, so a ray through a vertex counts the vertex once, and vertical segments never count.
fn crosses_north_of(segment: &[FixedPoint], point: TreePoint) -> bool {
    let [a, b] = [0, 1].map(|n| {
        segment
            .get(n)
            .map_or([0, 0], |p| [i64::from(p.x), i64::from(p.y)])
    });
    let [px, py] = point;
    if (a[0] <= px) == (b[0] <= px) {
        return false;
    }
    let (west, east) = if a[0] < b[0] { (a, b) } else { (b, a) };
    // The cross product is positive when the point lies south of the segment (y grows south).
    let cross = (east[0] - west[0]) * (py - west[1]) - (east[1] - west[1]) * (px - west[0]);
    cross > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(x: i32, y: i32) -> FixedPoint {
        FixedPoint { x, y }
    }

    #[test]
    fn a_segment_counts_only_north_of_the_point_and_a_vertex_once() {
        let east_west = [fixed(0, 0), fixed(10, 0)];
        assert!(crosses_north_of(&east_west, [5, 5]), "the segment is north");
        assert!(
            !crosses_north_of(&east_west, [5, -5]),
            "the segment is south"
        );
        assert!(!crosses_north_of(&east_west, [11, 5]), "beside it");
        // A ray through the vertex shared by two segments meets it once.
        let (first, second) = ([fixed(0, 0), fixed(5, 0)], [fixed(5, 0), fixed(10, 0)]);
        let through_vertex = [first, second]
            .iter()
            .filter(|s| crosses_north_of(s.as_slice(), [5, 5]))
            .count();
        assert_eq!(through_vertex, 1);
        // Vertical segments (the antimeridian's, left out of the borders) never count.
        assert!(!crosses_north_of(&[fixed(5, 0), fixed(5, 10)], [5, 20]));
    }
}
