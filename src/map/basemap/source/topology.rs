//! Shared borders: the rings of the world's regions and countries cut into arcs at the points
//! where other than two borders meet, so that the border of two neighbours is one arc, simplified
//! once (no slivers between them) and drawn once.

use std::collections::{HashMap, HashSet};

use crate::map::basemap::pack::{FixedPoint, QUANTUM};

/// An arc that a ring runs along, and whether it runs along it forwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArcUse {
    pub arc: u32,
    pub forward: bool,
}

/// The arcs of a set of rings.
pub struct Topology {
    junctions: HashSet<FixedPoint>,
    /// Each arc's points; a closed arc (a ring that meets no other) ends with its first point.
    pub arcs: Vec<Vec<FixedPoint>>,
    /// The arc that starts with an edge, in the direction it is taken.
    by_first_edge: HashMap<(FixedPoint, FixedPoint), ArcUse>,
}

/// The edges of a ring given without its closing point, the closing edge included.
fn ring_edges(ring: &[FixedPoint]) -> impl Iterator<Item = (FixedPoint, FixedPoint)> + '_ {
    ring.iter()
        .zip(ring.iter().skip(1).chain(ring.first()))
        .map(|(&a, &b)| (a, b))
}

impl Topology {
    /// The topology of `rings` (each without its closing point): a point where other than two
    /// distinct edges meet is a junction.
    pub fn new<'a>(rings: impl IntoIterator<Item = &'a [FixedPoint]>) -> Self {
        let mut edges: HashSet<(FixedPoint, FixedPoint)> = HashSet::new();
        for ring in rings {
            for (a, b) in ring_edges(ring).filter(|(a, b)| a != b) {
                edges.insert((a.min(b), a.max(b)));
            }
        }
        let mut degree: HashMap<FixedPoint, u32> = HashMap::new();
        for &(a, b) in &edges {
            *degree.entry(a).or_default() += 1;
            *degree.entry(b).or_default() += 1;
        }
        Self {
            junctions: degree
                .into_iter()
                .filter(|&(_, d)| d != 2)
                .map(|(point, _)| point)
                .collect(),
            arcs: Vec::new(),
            by_first_edge: HashMap::new(),
        }
    }

    /// The arcs `ring` (without its closing point) runs along, in order; arcs not met before
    /// are added.
    pub fn ring_arcs(&mut self, ring: &[FixedPoint]) -> Vec<ArcUse> {
        let Some(start) = ring.iter().position(|p| self.junctions.contains(p)) else {
            return self.closed_arc(ring).into_iter().collect();
        };
        let mut uses = Vec::new();
        let mut piece: Vec<FixedPoint> = ring.get(start).copied().into_iter().collect();
        for k in 1..=ring.len() {
            let Some(&point) = ring.get((start + k) % ring.len()) else {
                continue;
            };
            piece.push(point);
            if self.junctions.contains(&point) {
                let done = std::mem::replace(&mut piece, vec![point]);
                uses.extend(self.open_arc(done));
            }
        }
        uses
    }

    fn register(
        &mut self,
        points: Vec<FixedPoint>,
        reverse_edge: (FixedPoint, FixedPoint),
    ) -> ArcUse {
        let arc = self.arcs.len() as u32;
        if let [first, second, ..] = points[..] {
            let forward = ArcUse { arc, forward: true };
            self.by_first_edge.insert((first, second), forward);
        }
        let backward = ArcUse {
            arc,
            forward: false,
        };
        self.by_first_edge.entry(reverse_edge).or_insert(backward);
        self.arcs.push(points);
        ArcUse { arc, forward: true }
    }

    /// The arc of a piece of ring from a junction to the next.
    fn open_arc(&mut self, piece: Vec<FixedPoint>) -> Option<ArcUse> {
        let [first, second, ..] = piece[..] else {
            return None;
        };
        if let Some(&known) = self.by_first_edge.get(&(first, second)) {
            return Some(known);
        }
        let [.., before_last, last] = piece[..] else {
            return None;
        };
        Some(self.register(piece, (last, before_last)))
    }

    /// The arc of a ring that meets no other ring: started at its smallest point, so that both
    /// rings along a loop (an enclave and the hole around it) find the same arc.
    fn closed_arc(&mut self, ring: &[FixedPoint]) -> Option<ArcUse> {
        let start = ring
            .iter()
            .enumerate()
            .min_by_key(|&(_, p)| *p)
            .map(|(i, _)| i)?;
        let mut points: Vec<FixedPoint> = ring
            .iter()
            .cycle()
            .skip(start)
            .take(ring.len())
            .copied()
            .collect();
        let first = *points.first()?;
        points.push(first);
        let [_, second, ..] = points[..] else {
            return None;
        };
        if let Some(&known) = self.by_first_edge.get(&(first, second)) {
            return Some(known);
        }
        let [.., before_last, _] = points[..] else {
            return None;
        };
        Some(self.register(points, (first, before_last)))
    }
}

/// A ring's points (without the closing point) from the arcs it runs along.
pub fn ring_points(uses: &[ArcUse], arcs: &[Vec<FixedPoint>]) -> Vec<FixedPoint> {
    let mut points: Vec<FixedPoint> = Vec::new();
    for arc_use in uses {
        let Some(arc) = arcs.get(arc_use.arc as usize) else {
            continue;
        };
        let mut add = |point: FixedPoint| {
            if points.last() != Some(&point) {
                points.push(point);
            }
        };
        if arc_use.forward {
            arc.iter().for_each(|&p| add(p));
        } else {
            arc.iter().rev().for_each(|&p| add(p));
        }
    }
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    points
}

/// `lines` joined end to end where they meet (greedily, in order), so that fewer, longer
/// paths are drawn: a border of many arcs is one path.
pub fn chain_lines(lines: Vec<Vec<FixedPoint>>) -> Vec<Vec<FixedPoint>> {
    let mut by_end: HashMap<FixedPoint, Vec<usize>> = HashMap::new();
    for (n, line) in lines.iter().enumerate() {
        if let (Some(&first), Some(&last)) = (line.first(), line.last())
            && first != last
        {
            by_end.entry(first).or_default().push(n);
            by_end.entry(last).or_default().push(n);
        }
    }
    let mut used = vec![false; lines.len()];
    let next_at = |point: FixedPoint, used: &mut [bool]| -> Option<usize> {
        let candidates = by_end.get(&point)?;
        let found = candidates
            .iter()
            .copied()
            .find(|&n| !used.get(n).copied().unwrap_or(true))?;
        if let Some(u) = used.get_mut(found) {
            *u = true;
        }
        Some(found)
    };
    let mut chains = Vec::new();
    for n in 0..lines.len() {
        if used.get(n).copied().unwrap_or(true) {
            continue;
        }
        if let Some(u) = used.get_mut(n) {
            *u = true;
        }
        let mut chain: Vec<FixedPoint> = lines.get(n).cloned().unwrap_or_default();
        // Forwards from the end, then backwards from the start.
        for _ in 0..2 {
            while let Some(&end) = chain.last() {
                if chain.first() == Some(&end) {
                    break;
                }
                let Some(next) = next_at(end, &mut used) else {
                    break;
                };
                let Some(line) = lines.get(next) else {
                    break;
                };
                if line.first() == Some(&end) {
                    chain.extend(line.iter().skip(1));
                } else {
                    chain.extend(line.iter().rev().skip(1));
                }
            }
            chain.reverse();
        }
        chains.push(chain);
    }
    chains
}

/// Distance of `p` from the segment `a`–`b`, in fixed-point units.
fn distance_to_segment(p: FixedPoint, a: FixedPoint, b: FixedPoint) -> f64 {
    let (px, py) = (f64::from(p.x), f64::from(p.y));
    let (ax, ay) = (f64::from(a.x), f64::from(a.y));
    let (dx, dy) = (f64::from(b.x) - ax, f64::from(b.y) - ay);
    let length_squared = dx * dx + dy * dy;
    let t = if length_squared == 0.0 {
        0.0
    } else {
        (((px - ax) * dx + (py - ay) * dy) / length_squared).clamp(0.0, 1.0)
    };
    (px - ax - t * dx).hypot(py - ay - t * dy)
}

/// Ramer–Douglas–Peucker: which points of `line` to keep (its ends always).
fn keep_points(line: &[FixedPoint], tolerance: f64, keep: &mut [bool]) {
    let mut stack = vec![(0usize, line.len().saturating_sub(1))];
    while let Some((first, last)) = stack.pop() {
        let (Some(&a), Some(&b)) = (line.get(first), line.get(last)) else {
            continue;
        };
        let farthest = (first + 1..last)
            .filter_map(|i| Some((i, distance_to_segment(*line.get(i)?, a, b))))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, distance)) = farthest
            && distance > tolerance
        {
            if let Some(k) = keep.get_mut(i) {
                *k = true;
            }
            stack.push((first, i));
            stack.push((i, last));
        }
    }
}

/// `arc` simplified to `tolerance` (world units): its ends stay; a closed arc also keeps its
/// point farthest from its start, and stays whole when simplifying would leave no triangle,
/// unless it is smaller than the tolerance (an islet below a pixel: left out).
pub fn simplify_arc(arc: &[FixedPoint], tolerance: f64) -> Vec<FixedPoint> {
    let tolerance = tolerance * QUANTUM;
    let closed = arc.len() > 2 && arc.first() == arc.last();
    if closed {
        let extent = |axis: fn(&FixedPoint) -> i32| {
            let values = arc.iter().map(axis);
            f64::from(values.clone().max().unwrap_or(0) - values.min().unwrap_or(0))
        };
        if extent(|p| p.x) < tolerance && extent(|p| p.y) < tolerance {
            return Vec::new();
        }
    }
    let mut keep = vec![false; arc.len()];
    if let Some(first) = keep.first_mut() {
        *first = true;
    }
    if let Some(last) = keep.last_mut() {
        *last = true;
    }
    if closed {
        let Some(&start) = arc.first() else {
            return Vec::new();
        };
        let far = (1..arc.len() - 1)
            .max_by(|&i, &j| {
                let d = |k: usize| {
                    arc.get(k)
                        .map_or(0.0, |&p| distance_to_segment(p, start, start))
                };
                d(i).total_cmp(&d(j))
            })
            .unwrap_or(0);
        if let Some(k) = keep.get_mut(far) {
            *k = true;
        }
        keep_points(arc.get(..=far).unwrap_or_default(), tolerance, &mut keep);
        let mut rest = vec![false; arc.len() - far];
        keep_points(arc.get(far..).unwrap_or_default(), tolerance, &mut rest);
        for (k, r) in keep.iter_mut().skip(far).zip(rest) {
            *k |= r;
        }
    } else {
        keep_points(arc, tolerance, &mut keep);
    }
    let simplified: Vec<FixedPoint> = arc
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(&p, _)| p)
        .collect();
    if closed && simplified.len() < 4 {
        return arc.to_vec();
    }
    simplified
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: i32, y: i32) -> FixedPoint {
        FixedPoint { x, y }
    }

    #[test]
    fn neighbours_share_their_border_arc() {
        // Two squares side by side, sharing the edge x = 10, and an island.
        let west = vec![p(0, 0), p(10, 0), p(10, 10), p(0, 10)];
        let east = vec![p(10, 0), p(20, 0), p(20, 10), p(10, 10)];
        let island = vec![p(50, 50), p(60, 50), p(60, 60)];
        let mut topology = Topology::new([&west[..], &east[..], &island[..]]);
        let west_arcs = topology.ring_arcs(&west);
        let east_arcs = topology.ring_arcs(&east);
        let island_arcs = topology.ring_arcs(&island);
        // The shared edge is one arc, taken in opposite directions.
        let shared: Vec<(ArcUse, ArcUse)> = west_arcs
            .iter()
            .flat_map(|&w| east_arcs.iter().map(move |&e| (w, e)))
            .filter(|(w, e)| w.arc == e.arc)
            .collect();
        assert_eq!(shared.len(), 1);
        assert_ne!(shared[0].0.forward, shared[0].1.forward);
        assert_eq!(
            topology.arcs.len(),
            4,
            "west, east, the shared edge, the island"
        );
        assert_eq!(island_arcs.len(), 1);
        // The rings come back from their arcs.
        let mut again = ring_points(&west_arcs, &topology.arcs);
        let at = again.iter().position(|&q| q == west[0]).unwrap();
        again.rotate_left(at);
        assert_eq!(again, west);
        assert_eq!(ring_points(&island_arcs, &topology.arcs).len(), 3);
    }

    #[test]
    fn lines_that_meet_are_chained() {
        let a = vec![p(0, 0), p(1, 0)];
        let b = vec![p(2, 0), p(1, 0)];
        let c = vec![p(2, 0), p(3, 0)];
        let island = vec![p(9, 9), p(9, 8), p(8, 8), p(9, 9)];
        let chains = chain_lines(vec![a, b, c, island.clone()]);
        assert_eq!(chains.len(), 2);
        let mut line = chains[0].clone();
        if line[0] != p(0, 0) {
            line.reverse();
        }
        assert_eq!(line, vec![p(0, 0), p(1, 0), p(2, 0), p(3, 0)]);
        assert_eq!(chains[1], island);
    }

    #[test]
    fn simplifying_keeps_the_ends_and_closed_arcs_whole() {
        let scale = QUANTUM;
        let wiggle: Vec<FixedPoint> = (0..=10).map(|i| p(i * 100, (i % 2) * 3)).collect();
        let simple = simplify_arc(&wiggle, 10.0 / scale);
        assert_eq!(simple, vec![p(0, 0), p(1000, 0)]);
        assert_eq!(simplify_arc(&wiggle, 1.0 / scale).len(), wiggle.len());
        // A closed arc does not collapse: it stays whole, or goes when below the tolerance.
        let loop_arc = vec![p(0, 0), p(500, 0), p(500, 500), p(0, 0)];
        assert_eq!(simplify_arc(&loop_arc, 300.0 / scale), loop_arc);
        assert_eq!(simplify_arc(&loop_arc, 600.0 / scale), vec![]);
    }
}
