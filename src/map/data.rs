//! What the map needs of one dataset, built once at load (on the loading thread for big files):
//! where each event is drawn, the regions the story is about, and the spatial index.

use std::collections::BTreeSet;
use std::sync::Arc;

use geo::TriangulateEarcut;

use super::Basemap;
use super::basemap::RegionLocator;
use super::clusters::{EventColumns, GridSources, category_slot};
use super::links::MapLinks;
use super::panel::MapFrame;
use crate::model::index::SpatialIndex;
use crate::model::projection::{WorldBox, WorldPoint};
use crate::model::regions::EventRegions;
use crate::model::{Dataset, EventIndex, EventSet, EventShape, Location, LonLat, ShapePart};

/// Where an event is drawn on the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MarkerAnchor {
    /// A point.
    Point(WorldPoint),
    /// Only the region is known: drawn as a ring at the region's label point.
    Region(WorldPoint),
}

impl MarkerAnchor {
    /// The world point the marker is drawn at.
    pub fn world(&self) -> WorldPoint {
        match self {
            MarkerAnchor::Point(world) | MarkerAnchor::Region(world) => *world,
        }
    }
}

/// The map's data of one dataset.
pub struct MapData {
    /// Where each event is drawn (`None`: not on the map), by event index.
    pub anchors: Vec<Option<MarkerAnchor>>,
    /// The box around every anchor (empty when no event has a place).
    pub bounds: WorldBox,
    /// Regions the dataset's events are in, drawn emphasised.
    pub story_regions: BTreeSet<String>,
    /// Positions and category slots by event, for the indexes and the clusters.
    pub columns: EventColumns,
    /// The placed events by grid cell, for what is on screen.
    pub spatial: SpatialIndex,
    /// `placed_before[i]`: how many of the first `i` events (in time order) have a place.
    placed_before: Vec<u32>,
    /// The events with a place.
    pub placed: EventSet,
    /// Each event's region: the one the data names, else the first-order region its point is
    /// in (shared with the filter's thread).
    pub regions: Arc<EventRegions>,
    /// Each event's region as a basemap region (into [`Basemap::regions`]), for the regions map.
    pub basemap_regions: Vec<Option<u32>>,
    /// The outlines of the events that are lines or areas, by event.
    pub outlines: Vec<EventOutline>,
    /// The links between events that can be on the map, and those visible now.
    pub links: MapLinks,
}

/// An event's outline in world coordinates, projected and triangulated once at load.
#[derive(Clone, Debug, PartialEq)]
pub struct EventOutline {
    pub event: EventIndex,
    pub bounds: WorldBox,
    /// The lines, and the rings of the areas, to stroke.
    pub lines: Vec<Vec<WorldPoint>>,
    /// The areas' triangles, to fill (none for lines): every three indices make one.
    pub vertices: Vec<WorldPoint>,
    pub indices: Vec<u32>,
}

impl EventOutline {
    /// The outline of `shape` on the map.
    pub fn new(shape: &EventShape) -> Self {
        let mut outline = EventOutline {
            event: shape.event,
            bounds: WorldBox::EMPTY,
            lines: Vec::new(),
            vertices: Vec::new(),
            indices: Vec::new(),
        };
        let world = |line: &[LonLat]| -> Vec<WorldPoint> {
            line.iter()
                .map(|&at| WorldPoint::from_lon_lat(at))
                .collect()
        };
        for part in &shape.parts {
            match part {
                ShapePart::Line(line) => outline.lines.push(world(line)),
                ShapePart::Polygon(rings) => {
                    let rings: Vec<Vec<WorldPoint>> = rings.iter().map(|r| world(r)).collect();
                    outline.add_fill(&rings);
                    outline.lines.extend(rings);
                }
            }
        }
        for &point in outline.lines.iter().flatten() {
            outline.bounds.include(point);
        }
        outline
    }

    /// Triangulates an area (its outer ring, then its holes) in world space, so that the
    /// triangles are right on screen.
    fn add_fill(&mut self, rings: &[Vec<WorldPoint>]) {
        let ring = |points: &Vec<WorldPoint>| -> geo::LineString<f64> {
            points
                .iter()
                .map(|&p| geo::coord! { x: p.x, y: p.y })
                .collect()
        };
        let Some((outer, holes)) = rings.split_first() else {
            return;
        };
        let polygon = geo::Polygon::new(ring(outer), holes.iter().map(ring).collect());
        let triangulation = polygon.earcut_triangles_raw();
        let base = self.vertices.len() as u32;
        self.vertices.extend(
            triangulation
                .vertices
                .iter()
                .map(|&xy| WorldPoint::from(xy)),
        );
        self.indices.extend(
            triangulation
                .triangle_indices
                .iter()
                .map(|&i| base + i as u32),
        );
    }
}

impl MapData {
    /// Builds the map data of `dataset` over `basemap` (one pass over the events, and a sort).
    pub fn new(basemap: &Basemap, dataset: &Dataset) -> Self {
        let anchors = marker_anchors(dataset, basemap);
        let mut bounds = WorldBox::EMPTY;
        for anchor in anchors.iter().flatten() {
            bounds.include(anchor.world());
        }
        let outlines: Vec<EventOutline> = dataset.shapes.iter().map(EventOutline::new).collect();
        for outline in outlines.iter().filter(|o| !o.bounds.is_empty()) {
            bounds.include(outline.bounds.min);
            bounds.include(outline.bounds.max);
        }
        let columns = EventColumns {
            world: anchors
                .iter()
                .map(|anchor| anchor.map(|a| a.world().compact()))
                .collect(),
            category_slot: dataset
                .events
                .iter()
                .map(|event| category_slot(event.category))
                .collect(),
        };
        let starts: Vec<i64> = dataset.events.iter().map(|e| e.span.start).collect();
        let spatial = SpatialIndex::new(&columns.world, &starts);
        let placed_before = std::iter::once(0)
            .chain(anchors.iter().scan(0u32, |count, anchor| {
                *count += u32::from(anchor.is_some());
                Some(*count)
            }))
            .collect();
        let placed = EventSet::from_indices(
            anchors.len(),
            (0..anchors.len()).filter(|&i| matches!(anchors.get(i), Some(Some(_)))),
        );
        let basemap_regions = basemap_regions(dataset, basemap);
        let links = MapLinks::new(dataset, |i| matches!(anchors.get(i), Some(Some(_))));
        let regions = Arc::new(regions_named(dataset, basemap, &basemap_regions));
        Self {
            regions,
            basemap_regions,
            placed,
            anchors,
            bounds,
            story_regions: story_regions(dataset, basemap),
            columns,
            spatial,
            placed_before,
            outlines,
            links,
        }
    }

    /// What the cluster grid bins this frame.
    pub fn grid_sources<'a>(&'a self, view: &MapFrame<'a>) -> GridSources<'a> {
        GridSources {
            columns: &self.columns,
            time: &view.dataset.time_index,
            space: &self.spatial,
            matches: view.matches,
            matches_generation: view.matches_generation,
        }
    }

    /// How many of the first `started` events (in time order) have a place.
    pub fn placed_among_first(&self, started: usize) -> usize {
        let count = self.placed_before.get(started);
        debug_assert!(count.is_some(), "at most every event has started");
        count.map_or(0, |&count| count as usize)
    }
}

/// Marker anchors for every event (`None`: not on the map).
fn marker_anchors(dataset: &Dataset, basemap: &Basemap) -> Vec<Option<MarkerAnchor>> {
    dataset
        .events
        .iter()
        .map(|event| match &event.location {
            Location::Point { at, .. } => Some(MarkerAnchor::Point(WorldPoint::from_lon_lat(*at))),
            Location::Region(code) => basemap
                .region(code.as_str())
                .and_then(|region| region.label_at)
                .map(MarkerAnchor::Region),
            Location::Unknown => None,
        })
        .collect()
}

/// Each event's region: the one its data names, else the first-order region of `basemap` its
/// point falls in. The region filter reads it (the app's and the command line's).
pub fn event_regions(dataset: &Dataset, basemap: &Basemap) -> EventRegions {
    regions_named(dataset, basemap, &basemap_regions(dataset, basemap))
}

/// Each event's region code (the data's, else `found`'s), named as the basemap names it.
fn regions_named(dataset: &Dataset, basemap: &Basemap, found: &[Option<u32>]) -> EventRegions {
    let codes = dataset.events.iter().zip(found).map(|(event, found)| {
        event.location.region_code().or_else(|| {
            found
                .and_then(|r| basemap.regions.get(r as usize))
                .map(|region| region.code.as_str())
        })
    });
    EventRegions::new(codes, |code| {
        basemap.region(code).map(|region| region.name.clone())
    })
}

/// Each event's basemap region: the one its location names, else the one its point falls in
/// (point-in-polygon on the detailed outlines, on two threads; about a second at a million).
fn basemap_regions(dataset: &Dataset, basemap: &Basemap) -> Vec<Option<u32>> {
    let named = |event: &crate::model::Event| {
        let code = event.location.region_code()?;
        basemap.region_position(code).map(|r| r as u32)
    };
    let unnamed: Vec<Option<LonLat>> = dataset
        .events
        .iter()
        .map(|event| match named(event) {
            Some(_) => None,
            None => event.location.point(),
        })
        .collect();
    if unnamed.iter().all(Option::is_none) {
        return dataset.events.iter().map(named).collect();
    }
    let located = RegionLocator::new(basemap).locate_all(&unnamed);
    dataset
        .events
        .iter()
        .zip(located)
        .map(|(event, found)| named(event).or(found))
        .collect()
}

/// The basemap's regions that the dataset's events name (by region or as a point's region).
fn story_regions(dataset: &Dataset, basemap: &Basemap) -> BTreeSet<String> {
    let codes: BTreeSet<&str> = dataset
        .events
        .iter()
        .filter_map(|event| event.location.region_code())
        .collect();
    codes
        .into_iter()
        .filter(|code| basemap.region(code).is_some())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outline_is_projected_and_its_areas_triangulated_once() {
        let square = vec![
            LonLat::new(0.0, 0.0),
            LonLat::new(10.0, 0.0),
            LonLat::new(10.0, 10.0),
            LonLat::new(0.0, 10.0),
            LonLat::new(0.0, 0.0),
        ];
        let road = vec![LonLat::new(20.0, 5.0), LonLat::new(30.0, 5.0)];
        let shape = EventShape {
            event: 3,
            parts: vec![ShapePart::Polygon(vec![square]), ShapePart::Line(road)],
        };
        let outline = EventOutline::new(&shape);
        assert_eq!(outline.event, 3);
        assert_eq!(outline.lines.len(), 2);
        // A square is two triangles; the road is only stroked.
        assert_eq!(outline.indices.len(), 6);
        assert!(
            outline
                .indices
                .iter()
                .all(|&i| (i as usize) < outline.vertices.len())
        );
        let west = WorldPoint::from_lon_lat(LonLat::new(0.0, 10.0));
        let east = WorldPoint::from_lon_lat(LonLat::new(30.0, 0.0));
        assert_eq!(outline.bounds.min, west);
        assert_eq!(outline.bounds.max, east);
    }
}
