//! Which first-order region a point is in: exact point-in-polygon on the basemap's finest
//! region outlines (the detailed level: Natural Earth's world file at about 1.5 km, the European
//! Russian regions at 250 m), holes respected, found through two R-trees built once.
//!
//! The first tree holds the regions' areas by their boxes: the areas whose box holds the point
//! are the candidates. The second holds the areas' borders cut into short pieces: a ray from the
//! point due north to the top of the candidates' boxes meets a few of them, and an area holds the
//! point when its border crosses the ray an odd number of times (the even–odd rule, so holes
//! such as Berlin in Brandenburg are outside). Coordinates are the basemap's fixed point and the
//! arithmetic is integer, so the answer is exact for the outlines as they are stored. The
//! borders have no stretch along the antimeridian (vertical: a north ray never counts them) or
//! the clamped south pole (south of every point); no region reaches the clamped north edge.
//! No egui here.

use std::ops::Range;

use rstar::{AABB, Envelope, RTree, RTreeObject};

use super::pack::FixedPoint;
use super::{Basemap, Detail, Lines};
use crate::model::LonLat;
use crate::model::projection::WorldPoint;

/// Border segments per piece in the tree: short pieces, so a ray tests few segments.
const PIECE_SEGMENTS: usize = 16;
/// Below this many points one thread locates them all (a thread costs more than it saves).
const ONE_THREAD_POINTS: usize = 4096;

/// A point in the trees' coordinates: the fixed point, widened.
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

/// A stretch of an area's border: consecutive points of one ring.
struct BorderPiece {
    envelope: AABB<TreePoint>,
    area: u32,
    /// Into [`RegionLocator::points`].
    points: Range<u32>,
}

impl RTreeObject for BorderPiece {
    type Envelope = AABB<TreePoint>;

    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// An area whose box holds the point being located, and whether its border has been crossed
/// an odd number of times so far.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    area: u32,
    inside: bool,
}

/// Finds the first-order region of a point. Built once from a [`Basemap`] (about 10 ms); owns a
/// copy of the region borders (about 5 MB), so it can be shared with other threads.
pub struct RegionLocator {
    areas: RTree<AreaBox>,
    pieces: RTree<BorderPiece>,
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
        let mut area_region = vec![u32::MAX; basemap.region_areas.len()];
        for (region, members) in basemap.regions.iter().enumerate() {
            for &area in &members.areas {
                if let Some(slot) = area_region.get_mut(area) {
                    *slot = region as u32;
                }
            }
        }
        let (mut boxes, mut pieces, mut points) = (Vec::new(), Vec::new(), Vec::new());
        let mut area_size = Vec::with_capacity(basemap.region_areas.len());
        for (n, area) in basemap.region_areas.iter().enumerate() {
            let border = &area.outline_at(Detail::Detailed).border;
            let bounds = border_pieces(n as u32, border, &mut points, &mut pieces);
            area_size.push(bounds.map_or(0, |b| b.area()));
            if let Some(envelope) = bounds {
                boxes.push(AreaBox {
                    envelope,
                    area: n as u32,
                });
            }
        }
        Self {
            areas: RTree::bulk_load(boxes),
            pieces: RTree::bulk_load(pieces),
            points,
            area_region,
            area_size,
        }
    }

    /// The region `at` is in, as an index into [`Basemap::regions`] (`None`: in no region, e.g.
    /// at sea).
    pub fn locate(&self, at: LonLat) -> Option<usize> {
        self.locate_world(WorldPoint::from_lon_lat(at))
    }

    /// The region the world point `at` is in (for the map's pointer).
    pub fn locate_world(&self, at: WorldPoint) -> Option<usize> {
        let mut candidates = Vec::new();
        self.locate_fixed(FixedPoint::from_world(at), &mut candidates)
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
        let mut candidates = Vec::new();
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
                let fixed = FixedPoint::from_world(WorldPoint::from_lon_lat(at));
                let region = self.locate_fixed(fixed, &mut candidates);
                last = Some((at, region));
                region
            })
            .collect()
    }

    /// The region of a fixed point; `candidates` is scratch space.
    fn locate_fixed(&self, at: FixedPoint, candidates: &mut Vec<Candidate>) -> Option<u32> {
        let point = [i64::from(at.x), i64::from(at.y)];
        candidates.clear();
        let mut north = point[1];
        for found in self
            .areas
            .locate_in_envelope_intersecting(&AABB::from_point(point))
        {
            candidates.push(Candidate {
                area: found.area,
                inside: false,
            });
            north = north.min(found.envelope.lower()[1]);
        }
        if candidates.is_empty() {
            return None;
        }
        let ray = AABB::from_corners([point[0], north], point);
        for piece in self.pieces.locate_in_envelope_intersecting(&ray) {
            let Some(candidate) = candidates.iter_mut().find(|c| c.area == piece.area) else {
                continue;
            };
            let stretch = self
                .points
                .get(piece.points.start as usize..piece.points.end as usize);
            let crossings = stretch
                .unwrap_or_default()
                .windows(2)
                .filter(|segment| crosses_north_of(segment, point))
                .count();
            if crossings % 2 == 1 {
                candidate.inside = !candidate.inside;
            }
        }
        let size = |area: u32| self.area_size.get(area as usize).copied().unwrap_or(0);
        let area = candidates
            .iter()
            .filter(|c| c.inside)
            .min_by_key(|c| (size(c.area), c.area))?
            .area;
        self.area_region
            .get(area as usize)
            .copied()
            .filter(|&region| region != u32::MAX)
    }
}

/// Cuts `border` (of `area`) into pieces of at most [`PIECE_SEGMENTS`] segments, their points
/// copied to `points`; returns the box around them all (`None`: no border).
fn border_pieces(
    area: u32,
    border: &Lines,
    points: &mut Vec<FixedPoint>,
    pieces: &mut Vec<BorderPiece>,
) -> Option<AABB<TreePoint>> {
    let mut bounds: Option<AABB<TreePoint>> = None;
    for run in &border.runs {
        let run = border.run(run);
        let mut start = 0;
        while start + 1 < run.len() {
            let end = (start + PIECE_SEGMENTS + 1).min(run.len());
            let stretch = run.get(start..end).unwrap_or_default();
            let first = points.len() as u32;
            points.extend_from_slice(stretch);
            let envelope = envelope_of(stretch);
            bounds = Some(bounds.map_or(envelope, |b| b.merged(&envelope)));
            pieces.push(BorderPiece {
                envelope,
                area,
                points: first..points.len() as u32,
            });
            // Pieces share their end points: no segment is left out.
            start = end - 1;
        }
    }
    bounds
}

/// The box around `points` (at least one).
fn envelope_of(points: &[FixedPoint]) -> AABB<TreePoint> {
    let (mut min, mut max) = ([i64::MAX; 2], [i64::MIN; 2]);
    for p in points {
        let [x, y] = [i64::from(p.x), i64::from(p.y)];
        min = [min[0].min(x), min[1].min(y)];
        max = [max[0].max(x), max[1].max(y)];
    }
    AABB::from_corners(min, max)
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
