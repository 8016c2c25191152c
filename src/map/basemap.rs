//! The offline basemap: Natural Earth countries, Russian regions, rivers and cities, projected
//! and triangulated once at start-up. No egui here.

use geo::{Area as _, BooleanOps, Coord, InteriorPoint, LineString, MultiPolygon, Polygon, Rect};
use geo::{MapCoords as _, Simplify, TriangulateEarcut};
use serde_json::Value;

use crate::builtin;
use crate::model::LonLat;
use crate::model::projection::{WorldBox, WorldPoint};

/// A filled area (a country or a region), in world coordinates.
#[derive(Clone, Debug)]
pub struct Area {
    /// ISO 3166-2 code for regions, the Natural Earth key for countries (e.g. `RUS`, `CRIMEA`).
    pub code: String,
    pub name: String,
    pub disputed: bool,
    /// Full detail, for zooming in.
    pub detailed: Outline,
    /// Simplified to about a pixel at zoom 5, for the zoomed-out views (a third of the points).
    pub coarse: Outline,
    pub bounds: WorldBox,
    pub label_at: Option<WorldPoint>,
}

/// The geometry of an area at one level of detail, in world coordinates.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    pub rings: Vec<Vec<WorldPoint>>,
    /// Triangle vertices; every three indices make a triangle.
    pub vertices: Vec<WorldPoint>,
    pub indices: Vec<u32>,
}

/// Below this zoom the coarse outlines are drawn.
pub const COARSE_BELOW_ZOOM: f64 = 5.5;
/// Simplification tolerance of the coarse outlines, in world units (~0.8 px at zoom 5).
const COARSE_TOLERANCE: f64 = 1.0e-4;

impl Area {
    /// The outline to draw at `zoom`.
    pub fn outline(&self, zoom: f64) -> &Outline {
        if zoom < COARSE_BELOW_ZOOM {
            &self.coarse
        } else {
            &self.detailed
        }
    }
}

impl Outline {
    fn add_polygon(&mut self, projected: &Polygon<f64>, bounds: &mut WorldBox) {
        // Triangulate in projected space so the triangles are right on screen.
        let triangulation = projected.earcut_triangles_raw();
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
        for ring in std::iter::once(projected.exterior()).chain(projected.interiors()) {
            let points: Vec<WorldPoint> =
                ring.coords().map(|c| WorldPoint::new(c.x, c.y)).collect();
            for &point in &points {
                bounds.include(point);
            }
            self.rings.push(points);
        }
    }
}

/// A river centre line.
#[derive(Clone, Debug)]
pub struct River {
    pub name: Option<String>,
    /// Natural Earth scale rank: smaller is more important.
    pub scale_rank: u32,
    pub lines: Vec<Vec<WorldPoint>>,
    pub bounds: WorldBox,
}

/// A populated place.
#[derive(Clone, Debug)]
pub struct City {
    pub name: String,
    pub at: WorldPoint,
    /// Web-map zoom from which Natural Earth suggests showing it.
    pub min_zoom: f64,
    pub national_capital: bool,
}

/// All basemap layers.
#[derive(Clone, Debug, Default)]
pub struct Basemap {
    pub countries: Vec<Area>,
    pub regions: Vec<Area>,
    pub rivers: Vec<River>,
    /// Most important first.
    pub cities: Vec<City>,
}

/// Why a basemap layer could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    #[error("basemap layer {layer}: {message}")]
    Invalid {
        layer: &'static str,
        message: String,
    },
}

/// Where labels of countries go: the part of the country inside the basemap's area of interest,
/// from its south-west corner to its north-east corner.
const LABEL_AREA: [LonLat; 2] = [LonLat::new(19.0, 40.0), LonLat::new(60.0, 62.0)];

impl Basemap {
    /// The embedded Natural Earth layers.
    pub fn builtin() -> Result<Self, BasemapError> {
        Ok(Self {
            countries: read_areas(builtin::COUNTRIES_GEOJSON, "countries", "key", None)?,
            regions: read_areas(
                builtin::REGIONS_GEOJSON,
                "regions",
                "iso_3166_2",
                Some(("label_lon", "label_lat")),
            )?,
            rivers: read_rivers(builtin::RIVERS_GEOJSON)?,
            cities: read_cities(builtin::PLACES_GEOJSON)?,
        })
    }

    /// The region with this ISO 3166-2 code.
    pub fn region(&self, code: &str) -> Option<&Area> {
        self.regions.iter().find(|region| region.code == code)
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

fn ring_from_json(ring: &Value) -> Option<LineString<f64>> {
    let coords = ring
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

fn polygon_from_json(rings: &Value) -> Option<Polygon<f64>> {
    let mut rings = rings.as_array()?.iter().filter_map(ring_from_json);
    let exterior = rings.next()?;
    Some(Polygon::new(exterior, rings.collect()))
}

fn multipolygon_from_geometry(geometry: &Value) -> MultiPolygon<f64> {
    let coordinates = geometry.get("coordinates");
    let polygons = match (geometry.get("type").and_then(Value::as_str), coordinates) {
        (Some("Polygon"), Some(rings)) => polygon_from_json(rings).into_iter().collect(),
        (Some("MultiPolygon"), Some(Value::Array(polygons))) => {
            polygons.iter().filter_map(polygon_from_json).collect()
        }
        _ => Vec::new(),
    };
    MultiPolygon::new(polygons)
}

/// The world point of a GeoJSON position (longitude, latitude).
fn project(coord: Coord<f64>) -> WorldPoint {
    WorldPoint::from_lon_lat(LonLat::new(coord.x, coord.y))
}

fn read_areas(
    bytes: &[u8],
    layer: &'static str,
    code_property: &str,
    label_properties: Option<(&str, &str)>,
) -> Result<Vec<Area>, BasemapError> {
    let mut areas = Vec::new();
    for (position, feature) in features(bytes, layer)?.into_iter().enumerate() {
        let Some(geometry) = feature.get("geometry") else {
            continue;
        };
        let lon_lat = multipolygon_from_geometry(geometry);
        // Events and the story regions find areas by their code: an area without one is a
        // broken layer, not an area to draw nameless.
        let code =
            string_property(&feature, code_property).ok_or_else(|| BasemapError::Invalid {
                layer,
                message: format!("feature {position} has no \"{code_property}\""),
            })?;
        let name = string_property(&feature, "name_en")
            .or_else(|| string_property(&feature, "name"))
            .unwrap_or_else(|| code.clone());
        let disputed = feature
            .get("properties")
            .and_then(|p| p.get("disputed"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let label_at = match label_properties {
            Some((lon, lat)) => number_property(&feature, lon)
                .zip(number_property(&feature, lat))
                .map(|(lon, lat)| WorldPoint::from_lon_lat(LonLat::new(lon, lat))),
            None => country_label_point(&lon_lat),
        };
        let mut area = Area {
            code,
            name,
            disputed,
            detailed: Outline::default(),
            coarse: Outline::default(),
            bounds: WorldBox::EMPTY,
            label_at,
        };
        let mut unused = WorldBox::EMPTY;
        for polygon in &lon_lat {
            let projected = polygon.map_coords(|c| {
                let WorldPoint { x, y } = project(c);
                Coord { x, y }
            });
            area.detailed.add_polygon(&projected, &mut area.bounds);
            let simplified = projected.simplify(COARSE_TOLERANCE);
            // Tiny islands vanish when simplified; keep them as they are.
            let coarse = if simplified.exterior().0.len() >= 4 {
                simplified
            } else {
                projected
            };
            area.coarse.add_polygon(&coarse, &mut unused);
        }
        areas.push(area);
    }
    Ok(areas)
}

/// A label point inside the part of the country that the basemap is about.
fn country_label_point(shape: &MultiPolygon<f64>) -> Option<WorldPoint> {
    let [south_west, north_east] = LABEL_AREA;
    let window = Rect::new(
        Coord {
            x: south_west.lon,
            y: south_west.lat,
        },
        Coord {
            x: north_east.lon,
            y: north_east.lat,
        },
    );
    let inside = shape.intersection(&window.to_polygon());
    let largest = inside
        .0
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    // Tiny slivers along the box edge make poor label anchors.
    if largest.unsigned_area() < 1.0 {
        return None;
    }
    largest.interior_point().map(|p| project(p.0))
}

fn read_rivers(bytes: &[u8]) -> Result<Vec<River>, BasemapError> {
    let mut rivers = Vec::new();
    for feature in features(bytes, "rivers")? {
        let Some(geometry) = feature.get("geometry") else {
            continue;
        };
        let coordinates = geometry.get("coordinates");
        let lines: Vec<LineString<f64>> =
            match (geometry.get("type").and_then(Value::as_str), coordinates) {
                (Some("LineString"), Some(line)) => ring_from_json(line).into_iter().collect(),
                (Some("MultiLineString"), Some(Value::Array(lines))) => {
                    lines.iter().filter_map(ring_from_json).collect()
                }
                _ => Vec::new(),
            };
        let mut bounds = WorldBox::EMPTY;
        let lines: Vec<Vec<WorldPoint>> = lines
            .iter()
            .map(|line| {
                line.coords()
                    .map(|&c| {
                        let point = project(c);
                        bounds.include(point);
                        point
                    })
                    .collect()
            })
            .collect();
        rivers.push(River {
            name: string_property(&feature, "name_en"),
            scale_rank: number_property(&feature, "scalerank").unwrap_or(10.0) as u32,
            lines,
            bounds,
        });
    }
    Ok(rivers)
}

fn read_cities(bytes: &[u8]) -> Result<Vec<City>, BasemapError> {
    let mut cities = Vec::new();
    for feature in features(bytes, "places")? {
        let (Some(lon), Some(lat)) = (
            number_property(&feature, "lon"),
            number_property(&feature, "lat"),
        ) else {
            continue;
        };
        let Some(name) =
            string_property(&feature, "name_en").or_else(|| string_property(&feature, "name"))
        else {
            continue;
        };
        cities.push(City {
            name,
            at: WorldPoint::from_lon_lat(LonLat::new(lon, lat)),
            min_zoom: number_property(&feature, "min_zoom").unwrap_or(8.0),
            national_capital: string_property(&feature, "capital").as_deref() == Some("national"),
        });
    }
    Ok(cities)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_basemap_loads_with_story_regions() {
        let basemap = Basemap::builtin().unwrap();
        assert!(basemap.countries.len() >= 30);
        assert_eq!(basemap.regions.len(), 58);
        for code in ["RU-MOW", "RU-MOS", "RU-KLU", "RU-IN"] {
            let region = basemap.region(code).unwrap_or_else(|| panic!("{code}"));
            for outline in [&region.detailed, &region.coarse] {
                assert!(!outline.indices.is_empty(), "{code} has triangles");
                assert_eq!(outline.indices.len() % 3, 0);
            }
            assert!(region.coarse.vertices.len() <= region.detailed.vertices.len());
            assert!(region.label_at.is_some());
        }
        let crimea = basemap
            .countries
            .iter()
            .find(|c| c.code == "CRIMEA")
            .unwrap();
        assert!(crimea.disputed);
        let russia = basemap.countries.iter().find(|c| c.code == "RUS").unwrap();
        let label = russia.label_at.unwrap();
        assert!(
            label.lon_lat().lon < 60.0,
            "Russia's label sits in European Russia, not Siberia"
        );
        assert_eq!(
            basemap.cities.first().map(|c| c.name.as_str()),
            Some("Moscow")
        );
        assert!(!basemap.rivers.is_empty());
    }

    #[test]
    fn triangles_cover_the_area() {
        let basemap = Basemap::builtin().unwrap();
        let region = &basemap.region("RU-IN").unwrap().detailed;
        // Compare triangle area with the ring area (shoelace), in world units.
        let triangle_area: f64 = region
            .indices
            .chunks(3)
            .map(|t| {
                let p = |i: u32| region.vertices[i as usize];
                let (a, b, c) = (p(t[0]), p(t[1]), p(t[2]));
                ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)).abs() / 2.0
            })
            .sum();
        let ring_area: f64 = region
            .rings
            .iter()
            .map(|ring| {
                ring.windows(2)
                    .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
                    .sum::<f64>()
                    .abs()
                    / 2.0
            })
            .sum();
        assert!((triangle_area - ring_area).abs() / ring_area < 0.01);
    }
}
