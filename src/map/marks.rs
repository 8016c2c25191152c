//! What marks the events on the map this frame: one marker per event when few are shown, one
//! mark per grid cell (a marker or a cluster) when many are. Laid out before any layer draws, so
//! that the labels can keep out of the marks' way.

use egui::{Pos2, Rect, Vec2, vec2};

use super::clusters::{ClusterGrid, VisibleBin};
use super::{MapData, MapFrame, MarkerAnchor, Projector};
use crate::model::{Event, EventIndex, EventStatus, PlacePrecision};

/// At most this many markers are drawn one by one; beyond, cells with several events become
/// clusters.
pub const DETAIL_LIMIT: u64 = 1500;

const MARKER_RADIUS: f32 = 7.0;
const REGION_RING_RADIUS: f32 = 12.0;
/// Markers closer than this (in points) sit on the same spot and are spread apart.
const SAME_SPOT: f32 = 4.0;

/// One marker to draw this frame.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedMarker {
    /// The event it marks.
    pub index: EventIndex,
    /// Its centre on screen (moved apart from markers at the same spot).
    pub at: Pos2,
    pub radius: f32,
    /// Current or faded (future events have no marker).
    pub status: EventStatus,
    /// Only the event's region is known (a region-only place, or a point that stands for its
    /// region): drawn as a ring.
    pub region_only: bool,
    /// How sure the date is: a solid, a hollow or a dashed marker.
    pub date: DateMark,
    /// How precisely the place is known: a sharp marker, a soft one, or a ring.
    pub place: PlacePrecision,
}

/// How a marker shows what its event's date leaves unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateMark {
    /// Known to the day (or the moment): a solid disc.
    Solid,
    /// Only the month, the year or a span: a hollow disc.
    Hollow,
    /// Approximate or uncertain (`~`, `?`): a dashed ring.
    Dashed,
}

impl DateMark {
    pub fn of(event: &Event) -> Self {
        if event.certainty.is_qualified() {
            DateMark::Dashed
        } else if event.is_exact() || event.is_undated() {
            DateMark::Solid
        } else {
            DateMark::Hollow
        }
    }
}

/// The markers and clusters of one frame.
#[derive(Debug, Default)]
pub struct Marks {
    /// In drawing order: faded first, then current, then the selection on top.
    pub markers: Vec<PlacedMarker>,
    /// Cells of several events, drawn as one cluster each.
    pub clusters: Vec<VisibleBin>,
}

impl Marks {
    /// Lays out what `clusters` (brought up to date for this frame) hold inside `rect`.
    pub fn lay_out(
        data: &MapData,
        clusters: &ClusterGrid,
        view: &MapFrame<'_>,
        projector: &Projector,
        rect: Rect,
    ) -> Self {
        let bins = clusters.visible_bins(projector, rect, |bin, room| {
            halo_radius(&VisibleBin {
                cell: 0,
                at: Pos2::ZERO,
                bin: *bin,
                room,
            })
        });
        let shown: u64 = bins
            .iter()
            .map(|visible| u64::from(visible.bin.total()))
            .sum();
        let mut singles = Vec::new();
        let mut groups = Vec::new();
        if shown <= DETAIL_LIMIT {
            // Few events: each gets its marker, even where several share a cell.
            data.spatial
                .for_each_started(&projector.visible_world(), view.playhead, |i| {
                    if view.matches.contains(i as usize) {
                        singles.push(i as usize);
                    }
                });
            singles.sort_unstable();
        } else {
            for visible in bins {
                match visible.bin.single() {
                    Some((index, _)) => singles.push(index as usize),
                    None => groups.push(visible),
                }
            }
        }
        let mut markers = place_markers(data, view, projector, &singles);
        spread_overlapping(&mut markers);
        markers.sort_by_key(|m| {
            (
                view.selected == Some(m.index),
                m.status == EventStatus::Current,
                !m.region_only,
            )
        });
        Self {
            markers,
            clusters: groups,
        }
    }

    /// The screen rectangles the marks cover, with a small margin.
    pub fn covered(&self) -> impl Iterator<Item = Rect> + '_ {
        let clusters = self
            .clusters
            .iter()
            .map(|c| Rect::from_center_size(c.at, Vec2::splat(halo_radius(c) * 2.0 + 4.0)));
        let markers = self
            .markers
            .iter()
            .map(|m| Rect::from_center_size(m.at, Vec2::splat(m.radius * 2.0 + 4.0)));
        clusters.chain(markers)
    }
}

/// Width of the ring around a cluster that shows its categories.
pub const CATEGORY_RING: f32 = 3.0;

/// The radius of a cluster's main disc: grows with the events in the time window (history
/// alone makes a small faint dot), and leaves room in its cell for the ring and the halo.
pub fn cluster_radius(cluster: &VisibleBin) -> f32 {
    let bin = &cluster.bin;
    let wanted = if bin.current == 0 {
        5.0
    } else {
        (7.0 + 2.0 * (bin.current as f32).ln()).min(14.0)
    };
    wanted.min(cluster.room - CATEGORY_RING - 2.0).max(3.0)
}

/// The radius of the faint halo of a cluster's earlier events (its disc and ring when it has
/// none); never past its cell.
pub fn halo_radius(cluster: &VisibleBin) -> f32 {
    let bin = &cluster.bin;
    let disc = cluster_radius(cluster) + if bin.current > 0 { CATEGORY_RING } else { 0.0 };
    let halo = if bin.past == 0 {
        disc
    } else {
        (disc + 2.0 + (bin.past as f32).ln()).min(disc + 6.0)
    };
    halo.min(cluster.room)
}

/// Markers for the shown events among `indices` (future events are not drawn).
fn place_markers(
    data: &MapData,
    view: &MapFrame<'_>,
    projector: &Projector,
    indices: &[EventIndex],
) -> Vec<PlacedMarker> {
    let mut markers = Vec::with_capacity(indices.len());
    for &index in indices {
        let (Some(Some(anchor)), Some(event)) =
            (data.anchors.get(index), view.dataset.events.get(index))
        else {
            continue;
        };
        let status = event.status(view.playhead, view.window);
        if status == EventStatus::Future {
            continue;
        }
        let place = event.place_known();
        let region_only =
            matches!(anchor, MarkerAnchor::Region(_)) || place == PlacePrecision::Region;
        let radius = match (region_only, status) {
            (true, _) => REGION_RING_RADIUS,
            (false, EventStatus::Current) => MARKER_RADIUS,
            (false, _) => MARKER_RADIUS - 2.0,
        };
        markers.push(PlacedMarker {
            index,
            at: projector.screen_from_world(anchor.world()),
            radius,
            status,
            region_only,
            date: DateMark::of(event),
            place,
        });
    }
    markers
}

/// Spreads point markers at the same spot on a small circle around it, so that each can be
/// clicked. The first marker of a spot (in slice order) takes the top of the circle and the
/// others follow clockwise, so the same input always gives the same picture.
pub fn spread_overlapping(markers: &mut [PlacedMarker]) {
    let mut done = vec![false; markers.len()];
    let mut group: Vec<usize> = Vec::new();
    for i in 0..markers.len() {
        if done.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some(origin) = markers.get(i).map(|m| m.at) else {
            continue;
        };
        group.clear();
        group.extend((i..markers.len()).filter(|&j| {
            markers
                .get(j)
                .is_some_and(|m| !m.region_only && m.at.distance(origin) < SAME_SPOT)
        }));
        for &j in &group {
            if let Some(flag) = done.get_mut(j) {
                *flag = true;
            }
        }
        if group.len() > 1 {
            let spread = 9.0 + group.len() as f32 * 1.5;
            for (k, &j) in group.iter().enumerate() {
                let angle = std::f32::consts::TAU * k as f32 / group.len() as f32
                    - std::f32::consts::FRAC_PI_2;
                if let Some(marker) = markers.get_mut(j) {
                    marker.at = origin + vec2(angle.cos(), angle.sin()) * spread;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    fn marker(index: EventIndex, at: Pos2) -> PlacedMarker {
        PlacedMarker {
            index,
            at,
            radius: MARKER_RADIUS,
            status: EventStatus::Current,
            region_only: false,
            date: DateMark::Solid,
            place: PlacePrecision::Exact,
        }
    }

    #[test]
    fn markers_on_one_spot_are_spread_apart_and_keep_their_events() {
        let spot = pos2(100.0, 100.0);
        let input = vec![
            marker(4, spot),
            marker(9, pos2(300.0, 50.0)),
            marker(2, spot + vec2(1.0, 1.0)),
            marker(7, spot + vec2(-2.0, 0.5)),
        ];
        let mut markers = input.clone();
        spread_overlapping(&mut markers);
        let indices: Vec<EventIndex> = markers.iter().map(|m| m.index).collect();
        assert_eq!(indices, [4, 9, 2, 7], "same markers, same order");
        // The lone marker stays; the three at the spot sit on a circle around the first one.
        assert_eq!(markers[1].at, pos2(300.0, 50.0));
        let radius = 9.0 + 3.0 * 1.5;
        for m in [&markers[0], &markers[2], &markers[3]] {
            assert!((m.at.distance(spot) - radius).abs() < 1e-3, "{m:?}");
        }
        // The first one on top, then clockwise.
        assert!((markers[0].at - (spot - vec2(0.0, radius))).length() < 1e-3);
        assert!(markers[2].at.x > spot.x && markers[3].at.x < spot.x);
        for (a, b) in [(0, 2), (0, 3), (2, 3)] {
            assert!(markers[a].at.distance(markers[b].at) > 2.0 * MARKER_RADIUS);
        }
        // Deterministic: the same input gives the same layout.
        let mut again = input;
        spread_overlapping(&mut again);
        assert_eq!(again, markers);
    }

    #[test]
    fn region_rings_are_not_spread() {
        let spot = pos2(50.0, 50.0);
        let mut ring = marker(1, spot);
        ring.region_only = true;
        let mut markers = vec![ring.clone(), marker(2, spot)];
        spread_overlapping(&mut markers);
        assert_eq!(markers[0], ring);
        assert_eq!(
            markers[1].at, spot,
            "alone at its spot once the ring is left out"
        );
    }
}
