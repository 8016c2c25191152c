//! Web Mercator: longitude/latitude to "world" coordinates in `[0, 1]²` and back.
//!
//! World x grows east, world y grows south (as on screen). A camera zoom `z` shows
//! `256 · 2^z` pixels per world unit, as web maps do.

use std::f64::consts::PI;

/// Latitude limit of Web Mercator (the world is square).
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// Pixels per world unit at zoom 0.
pub const TILE_SIZE: f64 = 256.0;

/// World coordinates `[x, y]` of a longitude and latitude (degrees).
pub fn world_from_lon_lat(lon: f64, lat: f64) -> [f64; 2] {
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0;
    [x, y]
}

/// Longitude and latitude (degrees) of world coordinates.
pub fn lon_lat_from_world(world: [f64; 2]) -> (f64, f64) {
    let [x, y] = world;
    let lon = x * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    (lon, lat)
}

/// Pixels per world unit at `zoom`.
pub fn scale_at_zoom(zoom: f64) -> f64 {
    TILE_SIZE * zoom.exp2()
}

/// An axis-aligned box in world coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldBox {
    pub min: [f64; 2],
    pub max: [f64; 2],
}

impl WorldBox {
    /// The empty box (grows with [`WorldBox::include`]).
    pub const EMPTY: WorldBox = WorldBox {
        min: [f64::INFINITY, f64::INFINITY],
        max: [f64::NEG_INFINITY, f64::NEG_INFINITY],
    };

    pub fn include(&mut self, point: [f64; 2]) {
        self.min = [self.min[0].min(point[0]), self.min[1].min(point[1])];
        self.max = [self.max[0].max(point[0]), self.max[1].max(point[1])];
    }

    pub fn is_empty(&self) -> bool {
        self.min[0] > self.max[0] || self.min[1] > self.max[1]
    }

    pub fn intersects(&self, other: &WorldBox) -> bool {
        self.min[0] <= other.max[0]
            && other.min[0] <= self.max[0]
            && self.min[1] <= other.max[1]
            && other.min[1] <= self.max[1]
    }

    pub fn center(&self) -> [f64; 2] {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }

    pub fn size(&self) -> [f64; 2] {
        [self.max[0] - self.min[0], self.max[1] - self.min[1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for lon in [-179.9, -30.0, 0.0, 37.6173, 44.9036, 179.9] {
            for lat in [-80.0, -10.0, 0.0, 43.3, 55.7558, 80.0] {
                let (lon2, lat2) = lon_lat_from_world(world_from_lon_lat(lon, lat));
                assert!((lon - lon2).abs() < 1e-9, "{lon} {lon2}");
                assert!((lat - lat2).abs() < 1e-9, "{lat} {lat2}");
            }
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(world_from_lon_lat(0.0, 0.0), [0.5, 0.5]);
        let [x, y] = world_from_lon_lat(-180.0, MAX_LATITUDE);
        assert!(x.abs() < 1e-12 && y.abs() < 1e-9);
        // Moscow is north of Karabulak: smaller world y.
        assert!(world_from_lon_lat(37.6, 55.75)[1] < world_from_lon_lat(44.9, 43.3)[1]);
        // Poles clamp instead of going infinite.
        assert!(world_from_lon_lat(0.0, 90.0)[1].is_finite());
        assert_eq!(scale_at_zoom(0.0), 256.0);
        assert_eq!(scale_at_zoom(2.0), 1024.0);
    }

    #[test]
    fn boxes() {
        let mut b = WorldBox::EMPTY;
        assert!(b.is_empty());
        b.include([0.2, 0.3]);
        b.include([0.4, 0.1]);
        assert_eq!(b.center(), [0.30000000000000004, 0.2]);
        assert!(b.intersects(&WorldBox {
            min: [0.35, 0.0],
            max: [1.0, 0.15]
        }));
        assert!(!b.intersects(&WorldBox {
            min: [0.5, 0.0],
            max: [1.0, 1.0]
        }));
    }
}
