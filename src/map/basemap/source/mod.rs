//! How the embedded pack is made from the Natural Earth GeoJSON in `assets/basemap/`: the
//! world layers everywhere, with the detailed European-Russia outlines and rivers where they
//! are better; projected, simplified for the zoomed-out levels (countries and regions along
//! their shared borders) and triangulated here, once, rather than at every start. The pack is
//! written by `cargo test --lib map::basemap::source::tests::write_pack -- --ignored`, and a
//! test checks that the committed pack is what these files and this code make.

mod areas;
mod rivers;
mod topology;

use std::collections::HashMap;
use std::path::Path;

use geo::{Area as _, BoundingRect, Coord, LineString, Polygon, Simplify, TriangulateEarcut};
use serde_json::Value;

use super::BasemapError;
use super::pack::{FixedPoint, LevelShapes, StoredArea, StoredBasemap, StoredCity, StoredShape};
use crate::model::LonLat;
use crate::model::projection::WorldPoint;

/// Simplification tolerance of the world outlines, in world units (~1.5 px at zoom 2.5).
const WORLD_TOLERANCE: f64 = 1.0e-3;
/// Simplification tolerance of the overview outlines, in world units (~1.5 px at zoom 3.7).
const OVERVIEW_TOLERANCE: f64 = 4.5e-4;
/// Simplification tolerance of the coarse outlines, in world units (~1.2 px at zoom 5.5).
const COARSE_TOLERANCE: f64 = 1.0e-4;

/// The GeoJSON files the pack is made of.
pub struct Sources {
    pub countries: Vec<u8>,
    pub regions: Vec<u8>,
    pub rivers: Vec<u8>,
    pub places: Vec<u8>,
    pub world_countries: Vec<u8>,
    pub world_admin1: Vec<u8>,
    pub world_places: Vec<u8>,
    pub world_lakes: Vec<u8>,
    pub world_rivers: Vec<u8>,
    pub world_urban_areas: Vec<u8>,
}

impl Sources {
    /// Reads the files from `dir` (the repository's `assets/basemap`).
    pub fn read(dir: &Path) -> std::io::Result<Self> {
        let read = |name: &str| std::fs::read(dir.join(name));
        Ok(Self {
            countries: read("countries.geojson")?,
            regions: read("regions.geojson")?,
            rivers: read("rivers.geojson")?,
            places: read("places.geojson")?,
            world_countries: read("world/world_countries.geojson")?,
            world_admin1: read("world/world_admin1.geojson")?,
            world_places: read("world/world_places.geojson")?,
            world_lakes: read("world/world_lakes.geojson")?,
            world_rivers: read("world/world_rivers.geojson")?,
            world_urban_areas: read("world/world_urban_areas.geojson")?,
        })
    }

    /// The basemap to pack.
    pub fn stored(&self) -> Result<StoredBasemap, BasemapError> {
        let detailed_countries = detailed_shapes(&self.countries, "countries", "key")?;
        let detailed_regions = detailed_shapes(&self.regions, "regions", "adm1_code")?;
        let areas = areas::countries_and_regions(
            &self.world_admin1,
            &self.world_countries,
            &detailed_countries,
            &detailed_regions,
        )?;
        Ok(StoredBasemap {
            countries: areas.countries,
            regions: areas.regions,
            borders: areas.borders,
            lakes: plain_areas(&self.world_lakes, "lakes")?,
            urban_areas: plain_areas(&self.world_urban_areas, "urban areas")?,
            rivers: rivers::rivers(&self.world_rivers, &self.rivers)?,
            cities: cities(&self.world_places, &self.places)?,
        })
    }
}

fn features(bytes: &[u8], layer: &'static str) -> Result<Vec<Value>, BasemapError> {
    let invalid = |message: String| BasemapError::Invalid { layer, message };
    let mut root: Value = serde_json::from_slice(bytes).map_err(|e| invalid(e.to_string()))?;
    match root.get_mut("features").map(Value::take) {
        Some(Value::Array(features)) => Ok(features),
        _ => Err(invalid("no \"features\" list".to_owned())),
    }
}

fn string_property(feature: &Value, name: &str) -> Option<String> {
    feature
        .get("properties")?
        .get(name)?
        .as_str()
        .map(str::to_owned)
}

fn number_property(feature: &Value, name: &str) -> Option<f64> {
    feature.get("properties")?.get(name)?.as_f64()
}

fn flag_property(feature: &Value, name: &str) -> bool {
    feature
        .get("properties")
        .and_then(|p| p.get(name))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Tenths of Natural Earth's `min_zoom` (0 when it has none).
fn min_zoom_tenths(feature: &Value) -> u32 {
    number_property(feature, "min_zoom").map_or(0, |z| (z * 10.0).round().max(0.0) as u32)
}

fn line_from_json(line: &Value) -> Option<LineString<f64>> {
    let coords = line
        .as_array()?
        .iter()
        .filter_map(|position| {
            let pair = position.as_array()?;
            Some(Coord {
                x: pair.first()?.as_f64()?,
                y: pair.get(1)?.as_f64()?,
            })
        })
        .collect::<Vec<_>>();
    Some(LineString::new(coords))
}

/// A world point on the fixed-point grid (so the triangles are made on the points stored).
fn world(lon: f64, lat: f64) -> Coord<f64> {
    let point = FixedPoint::from_world(WorldPoint::from_lon_lat(LonLat::new(lon, lat))).world();
    Coord {
        x: point.x,
        y: point.y,
    }
}

/// A longitude/latitude ring in world coordinates, without repeated points; `None` when fewer
/// than three points are left.
fn world_ring(ring: &LineString<f64>) -> Option<LineString<f64>> {
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let point = world(c.x, c.y);
        if coords.last() != Some(&point) {
            coords.push(point);
        }
    }
    if coords.first() == coords.last() {
        coords.pop();
    }
    (coords.len() >= 3).then(|| LineString::new(coords))
}

/// The polygons of a GeoJSON Polygon or MultiPolygon, in world coordinates.
fn world_polygons(geometry: Option<&Value>) -> Vec<Polygon<f64>> {
    let Some(geometry) = geometry else {
        return Vec::new();
    };
    let polygon = |rings: &Value| {
        let mut rings = rings.as_array()?.iter().filter_map(line_from_json);
        let exterior = world_ring(&rings.next()?)?;
        Some(Polygon::new(
            exterior,
            rings.filter_map(|r| world_ring(&r)).collect(),
        ))
    };
    match (
        geometry.get("type").and_then(Value::as_str),
        geometry.get("coordinates"),
    ) {
        (Some("Polygon"), Some(rings)) => polygon(rings).into_iter().collect(),
        (Some("MultiPolygon"), Some(Value::Array(polygons))) => {
            polygons.iter().filter_map(polygon).collect()
        }
        _ => Vec::new(),
    }
}

/// Larger than `tolerance` on some side: visible at the zoom the tolerance is for.
fn visible_at(ring: &LineString<f64>, tolerance: f64) -> bool {
    ring.bounding_rect()
        .is_some_and(|r| r.width() >= tolerance || r.height() >= tolerance)
}

/// `shape` simplified to `tolerance`: parts and holes smaller than it are left out (below a
/// pixel), parts that simplification would break are kept as they are; a shape that would
/// vanish keeps its largest part.
fn simplified(shape: &[Polygon<f64>], tolerance: f64) -> Vec<Polygon<f64>> {
    let mut parts = Vec::new();
    for polygon in shape {
        if !visible_at(polygon.exterior(), tolerance) {
            continue;
        }
        let simple = polygon.simplify(tolerance);
        let exterior = if simple.exterior().0.len() >= 4 {
            simple.exterior().clone()
        } else {
            polygon.exterior().clone()
        };
        let holes = simple
            .interiors()
            .iter()
            .filter(|hole| hole.0.len() >= 4 && visible_at(hole, tolerance))
            .cloned()
            .collect();
        parts.push(Polygon::new(exterior, holes));
    }
    if parts.is_empty() {
        let largest = shape
            .iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
        parts.extend(largest.cloned());
    }
    parts
}

/// The stored form of polygons: rings without the closing point, and triangles.
fn stored_shape(polygons: &[Polygon<f64>]) -> StoredShape {
    let mut shape = StoredShape::default();
    for polygon in polygons {
        let rings: Vec<Vec<FixedPoint>> = std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .map(|ring| {
                let open = ring.0.len().saturating_sub(1);
                ring.0
                    .iter()
                    .take(open)
                    .map(|c| FixedPoint::from_world(WorldPoint::new(c.x, c.y)))
                    .collect()
            })
            .collect();
        let triangles: Vec<u32> = polygon
            .earcut_triangles_raw()
            .triangle_indices
            .iter()
            .map(|&i| i as u32)
            .collect();
        shape.push_polygon(&rings, &triangles);
    }
    shape
}

/// The shapes of the four levels (world, overview, coarse, detailed), a level equal to the one
/// before it stored once.
fn store_levels(levels: [&Vec<Polygon<f64>>; 4]) -> (Vec<StoredShape>, LevelShapes) {
    let mut shapes: Vec<StoredShape> = Vec::new();
    let mut indexes: LevelShapes = [0; 4];
    let mut before: Option<&Vec<Polygon<f64>>> = None;
    for (index, level) in indexes.iter_mut().zip(levels) {
        if before != Some(level) {
            shapes.push(stored_shape(level));
        }
        *index = shapes.len().saturating_sub(1) as u8;
        before = Some(level);
    }
    (shapes, indexes)
}

fn detailed_shapes(
    bytes: &[u8],
    layer: &'static str,
    key: &str,
) -> Result<HashMap<String, Vec<Polygon<f64>>>, BasemapError> {
    let mut shapes = HashMap::new();
    for feature in features(bytes, layer)? {
        if let Some(code) = string_property(&feature, key) {
            shapes.insert(code, world_polygons(feature.get("geometry")));
        }
    }
    Ok(shapes)
}

fn label_point(feature: &Value) -> Option<FixedPoint> {
    let lon = number_property(feature, "label_lon")?;
    let lat = number_property(feature, "label_lat")?;
    Some(FixedPoint::from_world(WorldPoint::from_lon_lat(
        LonLat::new(lon, lat),
    )))
}

fn plain_areas(bytes: &[u8], layer: &'static str) -> Result<Vec<StoredArea>, BasemapError> {
    let mut areas = Vec::new();
    for feature in features(bytes, layer)? {
        let shape = world_polygons(feature.get("geometry"));
        if shape.is_empty() {
            continue;
        }
        let name = string_property(&feature, "name").unwrap_or_default();
        let world = simplified(&shape, WORLD_TOLERANCE);
        let overview = simplified(&shape, OVERVIEW_TOLERANCE);
        let coarse = simplified(&shape, COARSE_TOLERANCE);
        let (shapes, levels) = store_levels([&world, &overview, &coarse, &shape]);
        areas.push(StoredArea {
            shapes,
            levels,
            code: name.clone(),
            name,
            disputed: false,
            min_zoom_tenths: min_zoom_tenths(&feature),
            label_at: None,
            more_label_points: Vec::new(),
        });
    }
    Ok(areas)
}

fn e5(degrees: f64) -> i32 {
    (degrees * 1e5).round() as i32
}

/// Every world place, at the European file's more precise position where it has the place.
fn cities(world: &[u8], european: &[u8]) -> Result<Vec<StoredCity>, BasemapError> {
    let mut precise: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    for feature in features(european, "places")? {
        let (Some(name), Some(lon), Some(lat)) = (
            string_property(&feature, "name"),
            number_property(&feature, "lon"),
            number_property(&feature, "lat"),
        ) else {
            continue;
        };
        precise.entry(name).or_default().push((lon, lat));
    }
    let mut cities = Vec::new();
    for feature in features(world, "world places")? {
        let (Some(lon), Some(lat)) = (
            number_property(&feature, "lon"),
            number_property(&feature, "lat"),
        ) else {
            continue;
        };
        let Some(name) = string_property(&feature, "name") else {
            continue;
        };
        let (lon, lat) = precise
            .get(&name)
            .and_then(|places| {
                places
                    .iter()
                    .find(|(x, y)| (x - lon).abs() < 2e-4 && (y - lat).abs() < 2e-4)
            })
            .copied()
            .unwrap_or((lon, lat));
        cities.push(StoredCity {
            name: string_property(&feature, "name_en").unwrap_or(name),
            lon_e5: e5(lon),
            lat_e5: e5(lat),
            min_zoom_tenths: min_zoom_tenths(&feature),
            national_capital: string_property(&feature, "capital").as_deref() == Some("national"),
        });
    }
    Ok(cities)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::basemap::pack::StoredLines;

    fn sources() -> Sources {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/basemap");
        Sources::read(&dir).unwrap()
    }

    /// Writes `assets/basemap/basemap.pack` from the GeoJSON (run it after changing either).
    #[test]
    #[ignore = "writes the pack: run by hand after changing the GeoJSON or this code"]
    fn write_pack() {
        let bytes = sources().stored().unwrap().encode();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/basemap/basemap.pack");
        std::fs::write(path, bytes).unwrap();
    }

    const OUT_OF_DATE: &str = "assets/basemap/basemap.pack is out of date: run \
        `cargo test --lib map::basemap::source::tests::write_pack -- --ignored`";

    /// Points one fixed-point step apart at most (a platform's maths library may round a
    /// projected point the other way; anything more means the pack is out of date).
    fn assert_points_close(made: &[FixedPoint], committed: &[FixedPoint], what: &str) {
        assert_eq!(made.len(), committed.len(), "{what}: {OUT_OF_DATE}");
        for (a, b) in made.iter().zip(committed) {
            let close = (a.x - b.x).abs() <= 1 && (a.y - b.y).abs() <= 1;
            assert!(close, "{what}: {a:?} vs {b:?}: {OUT_OF_DATE}");
        }
    }

    fn assert_lines_close(made: &StoredLines, committed: &StoredLines, what: &str) {
        assert_eq!(
            made.points_per_line, committed.points_per_line,
            "{what}: {OUT_OF_DATE}"
        );
        assert_points_close(&made.points, &committed.points, what);
    }

    fn assert_areas_close(made: &[StoredArea], committed: &[StoredArea]) {
        assert_eq!(made.len(), committed.len(), "{OUT_OF_DATE}");
        for (a, b) in made.iter().zip(committed) {
            let what = &a.code;
            assert_eq!(
                (&a.code, &a.name, a.disputed, a.min_zoom_tenths, a.levels),
                (&b.code, &b.name, b.disputed, b.min_zoom_tenths, b.levels),
                "{OUT_OF_DATE}"
            );
            let labels = |area: &StoredArea| area.label_at.into_iter().collect::<Vec<_>>();
            assert_points_close(&labels(a), &labels(b), what);
            assert_points_close(&a.more_label_points, &b.more_label_points, what);
            assert_eq!(a.shapes.len(), b.shapes.len(), "{what}: {OUT_OF_DATE}");
            for (sa, sb) in a.shapes.iter().zip(&b.shapes) {
                assert_eq!(
                    (
                        &sa.rings_per_polygon,
                        &sa.points_per_ring,
                        &sa.corners_per_polygon
                    ),
                    (
                        &sb.rings_per_polygon,
                        &sb.points_per_ring,
                        &sb.corners_per_polygon
                    ),
                    "{what}: {OUT_OF_DATE}"
                );
                // Triangulations of points a step apart may differ, not in number.
                assert_points_close(&sa.points, &sb.points, what);
            }
        }
    }

    #[test]
    fn the_committed_pack_is_made_from_the_geojson() {
        let made = sources().stored().unwrap();
        let committed = StoredBasemap::decode(crate::builtin::BASEMAP_PACK).unwrap();
        if made == committed {
            return;
        }
        assert_areas_close(&made.countries, &committed.countries);
        assert_areas_close(&made.regions, &committed.regions);
        for (a, b) in made.borders.iter().zip(&committed.borders) {
            assert_lines_close(&a.countries, &b.countries, "country borders");
            assert_lines_close(&a.disputed, &b.disputed, "disputed borders");
            assert_lines_close(&a.regions, &b.regions, "region borders");
            assert_eq!(a.region_zoom_tenths, b.region_zoom_tenths, "{OUT_OF_DATE}");
        }
        assert_areas_close(&made.lakes, &committed.lakes);
        assert_areas_close(&made.urban_areas, &committed.urban_areas);
        assert_eq!(made.rivers.len(), committed.rivers.len(), "{OUT_OF_DATE}");
        for (a, b) in made.rivers.iter().zip(&committed.rivers) {
            assert_eq!(
                (&a.name, a.scale_rank, a.detail),
                (&b.name, b.scale_rank, b.detail),
                "{OUT_OF_DATE}"
            );
            assert_lines_close(&a.lines, &b.lines, &a.name);
        }
        assert_eq!(made.cities, committed.cities, "{OUT_OF_DATE}");
    }
}
