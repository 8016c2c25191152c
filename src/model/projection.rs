//! Web Mercator: longitude/latitude to "world" coordinates in `[0, 1]²` and back.
//!
//! World x grows east, world y grows south (as on screen). A camera zoom `z` shows
//! `256 · 2^z` pixels per world unit, as web maps do. Geographic points are [`LonLat`], world
//! points [`WorldPoint`] (or the compact [`WorldPoint32`] in per-event columns); screen positions
//! are the map's business (`map::Projector`).

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

use super::LonLat;

/// Latitude limit of Web Mercator (the world is square).
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// Pixels per world unit at zoom 0.
pub const TILE_SIZE: f64 = 256.0;

/// A point in Web-Mercator world units: `x` from 0 (180° W) to 1 (180° E), `y` from 0 (north
/// edge) to 1 (south edge). Saved as the `[x, y]` array it always was, so remembered views load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "[f64; 2]", into = "[f64; 2]")]
pub struct WorldPoint {
    /// West to east, 0 to 1.
    pub x: f64,
    /// North to south, 0 to 1.
    pub y: f64,
}

impl WorldPoint {
    /// The world point at `x`, `y`.
    pub const fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }

    /// The world point of a longitude and latitude (latitudes beyond [`MAX_LATITUDE`] clamp).
    pub fn from_lon_lat(at: LonLat) -> Self {
        let lat = at.lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
        Self {
            x: (at.lon + 180.0) / 360.0,
            y: (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0,
        }
    }

    /// The longitude and latitude of this world point.
    pub fn lon_lat(self) -> LonLat {
        LonLat {
            lon: self.x * 360.0 - 180.0,
            lat: (PI * (1.0 - 2.0 * self.y)).sinh().atan().to_degrees(),
        }
    }

    /// This point moved by `dx`, `dy` world units.
    pub fn offset(self, dx: f64, dy: f64) -> Self {
        Self::new(self.x + dx, self.y + dy)
    }

    /// The compact form kept per event.
    pub fn compact(self) -> WorldPoint32 {
        WorldPoint32 {
            x: self.x as f32,
            y: self.y as f32,
        }
    }
}

impl From<LonLat> for WorldPoint {
    fn from(at: LonLat) -> Self {
        Self::from_lon_lat(at)
    }
}

impl From<[f64; 2]> for WorldPoint {
    fn from([x, y]: [f64; 2]) -> Self {
        Self { x, y }
    }
}

impl From<WorldPoint> for [f64; 2] {
    fn from(point: WorldPoint) -> Self {
        [point.x, point.y]
    }
}

/// A world point in single precision (about a metre at the equator): the per-event columns of
/// the spatial index and the cluster grid, where a million events make the size count.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WorldPoint32 {
    /// West to east, 0 to 1.
    pub x: f32,
    /// North to south, 0 to 1.
    pub y: f32,
}

impl From<WorldPoint32> for WorldPoint {
    fn from(point: WorldPoint32) -> Self {
        Self {
            x: f64::from(point.x),
            y: f64::from(point.y),
        }
    }
}

/// Pixels per world unit at `zoom`.
pub fn scale_at_zoom(zoom: f64) -> f64 {
    TILE_SIZE * zoom.exp2()
}

/// An axis-aligned box in world coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldBox {
    /// The north-west corner.
    pub min: WorldPoint,
    /// The south-east corner.
    pub max: WorldPoint,
}

/// The size of a [`WorldBox`] in world units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldSize {
    /// West to east.
    pub width: f64,
    /// North to south.
    pub height: f64,
}

impl WorldBox {
    /// The empty box (grows with [`WorldBox::include`]).
    pub const EMPTY: WorldBox = WorldBox {
        min: WorldPoint::new(f64::INFINITY, f64::INFINITY),
        max: WorldPoint::new(f64::NEG_INFINITY, f64::NEG_INFINITY),
    };

    /// Grows the box to contain `point`.
    pub fn include(&mut self, point: WorldPoint) {
        self.min = WorldPoint::new(self.min.x.min(point.x), self.min.y.min(point.y));
        self.max = WorldPoint::new(self.max.x.max(point.x), self.max.y.max(point.y));
    }

    /// No point is inside (the empty box).
    pub fn is_empty(&self) -> bool {
        self.min.x > self.max.x || self.min.y > self.max.y
    }

    /// The boxes share at least a point (edges included).
    pub fn intersects(&self, other: &WorldBox) -> bool {
        self.min.x <= other.max.x
            && other.min.x <= self.max.x
            && self.min.y <= other.max.y
            && other.min.y <= self.max.y
    }

    /// `other` lies inside this box (edges included).
    pub fn contains_box(&self, other: &WorldBox) -> bool {
        self.min.x <= other.min.x
            && self.min.y <= other.min.y
            && self.max.x >= other.max.x
            && self.max.y >= other.max.y
    }

    /// `point` lies inside this box (edges included).
    pub fn contains(&self, point: WorldPoint) -> bool {
        (self.min.x..=self.max.x).contains(&point.x) && (self.min.y..=self.max.y).contains(&point.y)
    }

    /// The point halfway between the corners.
    pub fn center(&self) -> WorldPoint {
        WorldPoint::new(
            (self.min.x + self.max.x) / 2.0,
            (self.min.y + self.max.y) / 2.0,
        )
    }

    /// Width and height (negative for the empty box).
    pub fn size(&self) -> WorldSize {
        WorldSize {
            width: self.max.x - self.min.x,
            height: self.max.y - self.min.y,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(lon: f64, lat: f64) -> WorldPoint {
        WorldPoint::from_lon_lat(LonLat::new(lon, lat))
    }

    #[test]
    fn round_trip() {
        for lon in [-179.9, -30.0, 0.0, 37.6173, 44.9036, 179.9] {
            for lat in [-80.0, -10.0, 0.0, 43.3, 55.7558, 80.0] {
                let back = world(lon, lat).lon_lat();
                assert!((lon - back.lon).abs() < 1e-9, "{lon} {}", back.lon);
                assert!((lat - back.lat).abs() < 1e-9, "{lat} {}", back.lat);
            }
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(world(0.0, 0.0), WorldPoint::new(0.5, 0.5));
        let corner = world(-180.0, MAX_LATITUDE);
        assert!(corner.x.abs() < 1e-12 && corner.y.abs() < 1e-9);
        // Moscow is north of Karabulak: smaller world y.
        assert!(world(37.6, 55.75).y < world(44.9, 43.3).y);
        // Poles clamp instead of going infinite.
        assert!(world(0.0, 90.0).y.is_finite());
        assert_eq!(scale_at_zoom(0.0), 256.0);
        assert_eq!(scale_at_zoom(2.0), 1024.0);
    }

    #[test]
    fn world_points_are_saved_as_arrays() {
        let point = WorldPoint::new(0.25, 0.75);
        assert_eq!(serde_json::to_string(&point).unwrap(), "[0.25,0.75]");
        let read: WorldPoint = serde_json::from_str("[0.6, 0.3]").unwrap();
        assert_eq!(read, WorldPoint::new(0.6, 0.3));
        assert!(serde_json::from_str::<WorldPoint>(r#"{"x": 0.6, "y": 0.3}"#).is_err());
    }

    #[test]
    fn boxes() {
        let mut b = WorldBox::EMPTY;
        assert!(b.is_empty());
        b.include(WorldPoint::new(0.2, 0.3));
        b.include(WorldPoint::new(0.4, 0.1));
        assert_eq!(b.center(), WorldPoint::new(0.30000000000000004, 0.2));
        assert!(b.contains(WorldPoint::new(0.2, 0.1)));
        assert!(!b.contains(WorldPoint::new(0.41, 0.2)));
        assert!(b.intersects(&WorldBox {
            min: WorldPoint::new(0.35, 0.0),
            max: WorldPoint::new(1.0, 0.15)
        }));
        assert!(!b.intersects(&WorldBox {
            min: WorldPoint::new(0.5, 0.0),
            max: WorldPoint::new(1.0, 1.0)
        }));
        let inner = WorldBox {
            min: WorldPoint::new(0.25, 0.15),
            max: WorldPoint::new(0.3, 0.2),
        };
        assert!(b.contains_box(&inner) && !inner.contains_box(&b));
    }
}
