//! A point on the Earth, typed so that longitude and latitude cannot be swapped.

/// A geographic point: longitude and latitude in degrees (WGS 84). Longitude first, as in
/// GeoJSON; the fields are named, so the order never matters at a call site.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LonLat {
    /// Degrees east of Greenwich, -180 to 180.
    pub lon: f64,
    /// Degrees north of the equator, -90 to 90.
    pub lat: f64,
}

impl LonLat {
    pub const fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }

    /// Both coordinates finite and within their ranges.
    pub fn is_valid(&self) -> bool {
        latitude_is_valid(self.lat) && longitude_is_valid(self.lon)
    }
}

/// A latitude in -90..=90 (and not NaN).
pub fn latitude_is_valid(lat: f64) -> bool {
    (-90.0..=90.0).contains(&lat)
}

/// A longitude in -180..=180 (and not NaN).
pub fn longitude_is_valid(lon: f64) -> bool {
    (-180.0..=180.0).contains(&lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_inclusive_and_reject_nan() {
        assert!(LonLat::new(180.0, -90.0).is_valid());
        assert!(LonLat::new(-180.0, 90.0).is_valid());
        assert!(!LonLat::new(181.0, 0.0).is_valid());
        assert!(!LonLat::new(0.0, 91.0).is_valid());
        assert!(!LonLat::new(f64::NAN, 0.0).is_valid());
        assert!(!LonLat::new(0.0, f64::INFINITY).is_valid());
    }
}
