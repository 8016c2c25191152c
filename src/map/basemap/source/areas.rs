//! Countries and regions: the world's, simplified along shared borders (see [`super::topology`])
//! for the overview and coarse levels, in full for the detailed level, where European Russia
//! has its own detailed outlines; and the borders to draw at the simplified levels.

use std::collections::HashMap;

use geo::{Area as _, BooleanOps, BoundingRect, Coord, InteriorPoint, LineString};
use geo::{MultiPolygon, Polygon, Rect};
use serde_json::Value;

use super::topology::{ArcUse, Topology, chain_lines, ring_points, simplify_arc};
use super::{
    COARSE_TOLERANCE, OVERVIEW_TOLERANCE, WORLD_TOLERANCE, features, flag_property, label_point,
    simplified, store_levels, string_property, world_polygons,
};
use crate::map::basemap::pack::{FixedPoint, StoredArea, StoredBorders};
use crate::map::basemap::{BasemapError, REGION_BORDER_MIN_SPAN};
use crate::model::projection::{TILE_SIZE, WorldPoint};

/// Big countries get a label point in each cell of this size (world units, 22.5° of longitude)
/// that they fill enough, so that a view of part of them can name them.
const LABEL_CELL: f64 = 1.0 / 16.0;
/// The share of a cell that a country must fill to be labelled there.
const LABEL_CELL_SHARE: f64 = 0.15;

/// A world country or region as read: its feature (for the properties) and its polygons.
struct WorldArea {
    feature: Value,
    code: String,
    shape: Vec<Polygon<f64>>,
}

/// The rings of a polygon (outer first), without closing points, on the fixed-point grid.
fn fixed_rings(polygon: &Polygon<f64>) -> Vec<Vec<FixedPoint>> {
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .map(|ring| {
            let open = ring.0.len().saturating_sub(1);
            ring.0
                .iter()
                .take(open)
                .map(|c| FixedPoint::from_world(WorldPoint::new(c.x, c.y)))
                .collect()
        })
        .collect()
}

fn read_world_areas(
    bytes: &[u8],
    layer: &'static str,
    key: &str,
) -> Result<Vec<WorldArea>, BasemapError> {
    let mut areas = Vec::new();
    for (n, feature) in features(bytes, layer)?.into_iter().enumerate() {
        // Events and the story regions find areas by their code: an area without one is a
        // broken layer, not an area to draw nameless.
        let code = string_property(&feature, key).ok_or_else(|| BasemapError::Invalid {
            layer,
            message: format!("feature {n} has no \"{key}\""),
        })?;
        let shape = world_polygons(feature.get("geometry"));
        areas.push(WorldArea {
            feature,
            code,
            shape,
        });
    }
    Ok(areas)
}

/// An area's polygons as arcs: polygon by polygon, ring by ring.
type ArcShape = Vec<Vec<Vec<ArcUse>>>;

/// Countries (and regions) over their shared arcs, simplified to one tolerance.
struct SharedArcs {
    tolerance: f64,
    /// Each arc simplified.
    arcs: Vec<Vec<FixedPoint>>,
    /// Every region's arcs; empty when only the countries' borders are shared (the overview
    /// draws no region borders, and arcs cut at every region's corner simplify less).
    regions: Vec<ArcShape>,
    countries: Vec<ArcShape>,
}

impl SharedArcs {
    fn new(regions: &[WorldArea], countries: &[WorldArea], tolerance: f64) -> Self {
        let rings = |areas: &[WorldArea]| -> Vec<Vec<Vec<Vec<FixedPoint>>>> {
            areas
                .iter()
                .map(|area| area.shape.iter().map(fixed_rings).collect())
                .collect()
        };
        let (region_rings, country_rings) = (rings(regions), rings(countries));
        let all = region_rings
            .iter()
            .chain(&country_rings)
            .flatten()
            .flatten();
        let mut topology = Topology::new(all.map(Vec::as_slice));
        let mut arcs_of = |areas: &[Vec<Vec<Vec<FixedPoint>>>]| -> Vec<ArcShape> {
            areas
                .iter()
                .map(|polygons| {
                    polygons
                        .iter()
                        .map(|rings| rings.iter().map(|r| topology.ring_arcs(r)).collect())
                        .collect()
                })
                .collect()
        };
        let regions = arcs_of(&region_rings);
        let countries = arcs_of(&country_rings);
        let arcs = topology
            .arcs
            .iter()
            .map(|arc| simplify_arc(arc, tolerance))
            .collect();
        Self {
            tolerance,
            arcs,
            regions,
            countries,
        }
    }
}

/// A ring visible at `tolerance`: a triangle at least, and bigger than the tolerance.
fn visible_ring(ring: &[FixedPoint], tolerance: f64) -> Option<LineString<f64>> {
    if ring.len() < 3 {
        return None;
    }
    let line: LineString<f64> = ring
        .iter()
        .map(|p| {
            let w = p.world();
            Coord { x: w.x, y: w.y }
        })
        .collect();
    line.bounding_rect()
        .is_some_and(|r| r.width() >= tolerance || r.height() >= tolerance)
        .then_some(line)
}

/// An area's polygons from simplified arcs; its largest polygon unsimplified when none is
/// left (a story region must have something to fill).
fn shape_from_arcs(
    arcs: &ArcShape,
    simplified_arcs: &[Vec<FixedPoint>],
    tolerance: f64,
    original: &[Polygon<f64>],
) -> Vec<Polygon<f64>> {
    let mut polygons = Vec::new();
    for rings in arcs {
        let mut rings = rings
            .iter()
            .map(|uses| visible_ring(&ring_points(uses, simplified_arcs), tolerance));
        let Some(Some(exterior)) = rings.next() else {
            continue;
        };
        polygons.push(Polygon::new(exterior, rings.flatten().collect()));
    }
    if polygons.is_empty() {
        polygons = simplified(original, tolerance);
    }
    polygons
}

/// The larger side of the box of an area's largest part, in world units.
fn main_span(shape: &[Polygon<f64>]) -> f64 {
    shape
        .iter()
        .filter_map(BoundingRect::bounding_rect)
        .max_by(|a, b| (a.width() * a.height()).total_cmp(&(b.width() * b.height())))
        .map_or(0.0, |r| r.width().max(r.height()))
}

/// Countries and regions as stored, and the borders of the simplified levels.
pub struct CountriesAndRegions {
    pub countries: Vec<StoredArea>,
    pub regions: Vec<StoredArea>,
    pub borders: [StoredBorders; 3],
}

/// The countries and regions of the world layers, with the detailed European shapes (by
/// country key and by region `adm1_code`).
pub fn countries_and_regions(
    world_regions: &[u8],
    world_countries: &[u8],
    detailed_countries: &HashMap<String, Vec<Polygon<f64>>>,
    detailed_regions: &HashMap<String, Vec<Polygon<f64>>>,
) -> Result<CountriesAndRegions, BasemapError> {
    let regions = read_world_areas(world_regions, "world regions", "iso_3166_2")?;
    let countries = read_world_areas(world_countries, "world countries", "key")?;
    // The world and overview levels share the countries' borders; the coarse level also the
    // regions'.
    let shared = [
        SharedArcs::new(&[], &countries, WORLD_TOLERANCE),
        SharedArcs::new(&[], &countries, OVERVIEW_TOLERANCE),
        SharedArcs::new(&regions, &countries, COARSE_TOLERANCE),
    ];
    // An area's shapes at the simplified levels: from the shared arcs that include it.
    let simplified_levels =
        |area: &WorldArea, arcs_of: &dyn Fn(&SharedArcs) -> Option<&ArcShape>| {
            shared.each_ref().map(|level| match arcs_of(level) {
                Some(arcs) => shape_from_arcs(arcs, &level.arcs, level.tolerance, &area.shape),
                None => simplified(&area.shape, level.tolerance),
            })
        };
    let mut stored_regions = Vec::new();
    for (n, area) in regions.iter().enumerate() {
        let adm1_code = string_property(&area.feature, "adm1_code").unwrap_or_default();
        let detailed = detailed_regions.get(&adm1_code).unwrap_or(&area.shape);
        // Zoomed out that far only story regions are filled: the overview shape does.
        let [_, overview, coarse] = simplified_levels(area, &|level| level.regions.get(n));
        let world = overview.clone();
        stored_regions.push(StoredArea {
            name: string_property(&area.feature, "name_en")
                .or_else(|| string_property(&area.feature, "name"))
                .unwrap_or_else(|| area.code.clone()),
            ..stored_area(area, [&world, &overview, &coarse, detailed])
        });
    }
    let mut stored_countries = Vec::new();
    for (n, area) in countries.iter().enumerate() {
        let detailed = detailed_countries.get(&area.code).unwrap_or(&area.shape);
        let [world, overview, coarse] = simplified_levels(area, &|level| level.countries.get(n));
        // Map labels want the short name ("Russia", not "Russian Federation").
        let names = [
            string_property(&area.feature, "name"),
            string_property(&area.feature, "name_en"),
        ];
        let name = names
            .into_iter()
            .flatten()
            .min_by_key(|n| n.chars().count());
        let country = StoredArea {
            name: name.unwrap_or_else(|| area.code.clone()),
            more_label_points: grid_label_points(&coarse),
            ..stored_area(area, [&world, &overview, &coarse, detailed])
        };
        stored_countries.push((MultiPolygon::new(coarse).unsigned_area(), country));
    }
    // The biggest first: they are labelled first.
    stored_countries.sort_by(|(a, x), (b, y)| b.total_cmp(a).then_with(|| x.code.cmp(&y.code)));
    let borders = shared
        .each_ref()
        .map(|level| shared_borders(level, &regions, &countries));
    Ok(CountriesAndRegions {
        countries: stored_countries.into_iter().map(|(_, c)| c).collect(),
        regions: stored_regions,
        borders,
    })
}

fn stored_area(area: &WorldArea, levels: [&Vec<Polygon<f64>>; 4]) -> StoredArea {
    let (shapes, levels) = store_levels(levels);
    StoredArea {
        code: area.code.clone(),
        name: area.code.clone(),
        disputed: flag_property(&area.feature, "disputed"),
        min_zoom_tenths: 0,
        label_at: label_point(&area.feature),
        more_label_points: Vec::new(),
        shapes,
        levels,
    }
}

/// The borders at one simplified level: each arc once, as a country border (dashed where
/// it bounds a disputed area) or as a border between regions with the zoom it is drawn from.
fn shared_borders(
    shared: &SharedArcs,
    regions: &[WorldArea],
    countries: &[WorldArea],
) -> StoredBorders {
    let arcs = &shared.arcs;
    // Which areas each arc bounds.
    let sides = |shapes: &[ArcShape]| {
        let mut sides: Vec<Vec<usize>> = vec![Vec::new(); arcs.len()];
        for (n, shape) in shapes.iter().enumerate() {
            for arc_use in shape.iter().flatten().flatten() {
                if let Some(side) = sides.get_mut(arc_use.arc as usize) {
                    side.push(n);
                }
            }
        }
        sides
    };
    let (region_sides, country_sides) = (sides(&shared.regions), sides(&shared.countries));
    let disputed = |areas: &[WorldArea], side: &[usize]| {
        side.iter().any(|&n| {
            areas
                .get(n)
                .is_some_and(|a| flag_property(&a.feature, "disputed"))
        })
    };
    let spans: Vec<f64> = regions.iter().map(|area| main_span(&area.shape)).collect();
    let mut borders = StoredBorders::default();
    let (mut country_lines, mut disputed_lines) = (Vec::new(), Vec::new());
    for (n, arc) in arcs.iter().enumerate() {
        let (Some(in_regions), Some(in_countries)) = (region_sides.get(n), country_sides.get(n))
        else {
            continue;
        };
        if arc.len() < 2 {
            continue;
        }
        if !in_countries.is_empty() {
            if disputed(countries, in_countries) {
                disputed_lines.push(arc.clone());
            } else {
                country_lines.push(arc.clone());
            }
        } else if !in_regions.is_empty() && !disputed(regions, in_regions) {
            let span = in_regions
                .iter()
                .filter_map(|&r| spans.get(r))
                .fold(0.0f64, |a, &b| a.max(b));
            // Drawn once one of its regions spans REGION_BORDER_MIN_SPAN points.
            let zoom = (REGION_BORDER_MIN_SPAN / (span.max(1e-9) * TILE_SIZE)).log2();
            borders.regions.push_line(arc);
            borders
                .region_zoom_tenths
                .push((zoom * 10.0).ceil().clamp(0.0, 250.0) as u32);
        }
    }
    for line in chain_lines(country_lines) {
        borders.countries.push_line(&line);
    }
    for line in chain_lines(disputed_lines) {
        borders.disputed.push_line(&line);
    }
    borders
}

/// A label point inside the shape in each grid cell that it fills enough.
fn grid_label_points(shape: &[Polygon<f64>]) -> Vec<FixedPoint> {
    let shape = MultiPolygon::new(shape.to_vec());
    let Some(bounds) = shape.bounding_rect() else {
        return Vec::new();
    };
    if bounds.width() < LABEL_CELL && bounds.height() < LABEL_CELL {
        return Vec::new();
    }
    let cells = |min: f64, max: f64| (min / LABEL_CELL).floor() as i32..=(max / LABEL_CELL) as i32;
    let mut points = Vec::new();
    for row in cells(bounds.min().y, bounds.max().y) {
        for column in cells(bounds.min().x, bounds.max().x) {
            let min = Coord {
                x: f64::from(column) * LABEL_CELL,
                y: f64::from(row) * LABEL_CELL,
            };
            let cell = Rect::new(
                min,
                min + Coord {
                    x: LABEL_CELL,
                    y: LABEL_CELL,
                },
            );
            let inside = shape.intersection(&cell.to_polygon());
            let largest = inside
                .0
                .iter()
                .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
            let Some(largest) = largest else {
                continue;
            };
            if largest.unsigned_area() >= LABEL_CELL * LABEL_CELL * LABEL_CELL_SHARE {
                points.extend(
                    largest
                        .interior_point()
                        .map(|p| FixedPoint::from_world(WorldPoint::new(p.x(), p.y()))),
                );
            }
        }
    }
    points
}
