//! The place of a feature that may be more than a point (GeoJSON geometries, KML Placemarks):
//! every coordinate checked, a point kept as it is, anything else placed at its centroid with
//! its lines and rings kept as the event's outline.

use geo::Centroid;

use crate::model::{LonLat, ShapePart};

/// One piece of a geometry as a source gives it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Part {
    Point(LonLat),
    /// A line, a track (one position is a point).
    Line(Vec<LonLat>),
    /// The outer ring, then the holes.
    Polygon(Vec<Vec<LonLat>>),
}

/// Where an event is: a point, and its outline when it is a line or an area.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Placed {
    pub at: LonLat,
    /// Empty for a point (or points).
    pub shape: Vec<ShapePart>,
}

/// The place of a geometry made of `parts`: `Ok(None)` when it has no coordinates at all, an
/// error naming the first coordinate that is not on the Earth (NaN, out of range).
pub(super) fn place(parts: Vec<Part>) -> Result<Option<Placed>, String> {
    let mut parts: Vec<Part> = parts.into_iter().filter_map(non_empty).collect();
    for part in &parts {
        if let Some(bad) = positions(part).find(|at| !at.is_valid()) {
            return Err(format!(
                "longitude {}, latitude {} is not a place on the Earth (longitude -180 to 180, latitude -90 to 90)",
                bad.lon, bad.lat
            ));
        }
    }
    if let [Part::Point(at)] = parts.as_slice() {
        return Ok(Some(Placed {
            at: *at,
            shape: Vec::new(),
        }));
    }
    let Some(first) = parts.iter().find_map(|part| positions(part).next()) else {
        return Ok(None);
    };
    let collection: geo::GeometryCollection<f64> = parts.iter().map(geo_geometry).collect();
    let at = collection
        .centroid()
        .map(|point| LonLat::new(point.x(), point.y()))
        .filter(LonLat::is_valid)
        .unwrap_or(first);
    let shape = parts
        .drain(..)
        .filter_map(|part| match part {
            Part::Point(_) => None,
            Part::Line(line) => Some(ShapePart::Line(line)),
            Part::Polygon(rings) => Some(ShapePart::Polygon(rings)),
        })
        .collect();
    Ok(Some(Placed { at, shape }))
}

/// The part without its empty pieces (`None` if nothing is left); a line of one position is
/// a point.
fn non_empty(part: Part) -> Option<Part> {
    match part {
        Part::Point(at) => Some(Part::Point(at)),
        Part::Line(line) => match line.as_slice() {
            [] => None,
            [at] => Some(Part::Point(*at)),
            _ => Some(Part::Line(line)),
        },
        Part::Polygon(rings) => {
            let rings: Vec<Vec<LonLat>> = rings.into_iter().filter(|r| !r.is_empty()).collect();
            (!rings.is_empty()).then_some(Part::Polygon(rings))
        }
    }
}

/// Every position of a part.
fn positions(part: &Part) -> Box<dyn Iterator<Item = LonLat> + '_> {
    match part {
        Part::Point(at) => Box::new(std::iter::once(*at)),
        Part::Line(line) => Box::new(line.iter().copied()),
        Part::Polygon(rings) => Box::new(rings.iter().flatten().copied()),
    }
}

fn line_string(line: &[LonLat]) -> geo::LineString<f64> {
    line.iter()
        .map(|at| geo::coord! { x: at.lon, y: at.lat })
        .collect()
}

fn geo_geometry(part: &Part) -> geo::Geometry<f64> {
    match part {
        Part::Point(at) => geo::Geometry::Point(geo::Point::new(at.lon, at.lat)),
        Part::Line(line) => geo::Geometry::LineString(line_string(line)),
        Part::Polygon(rings) => {
            let mut rings = rings.iter().map(|ring| line_string(ring));
            let outer = rings
                .next()
                .unwrap_or_else(|| geo::LineString::new(Vec::new()));
            geo::Geometry::Polygon(geo::Polygon::new(outer, rings.collect()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lon: f64, lat: f64) -> LonLat {
        LonLat::new(lon, lat)
    }

    #[test]
    fn a_point_stays_a_point_and_nothing_is_no_place() {
        let placed = place(vec![Part::Point(at(10.0, 20.0))]).unwrap().unwrap();
        assert_eq!(placed.at, at(10.0, 20.0));
        assert!(placed.shape.is_empty());
        assert_eq!(place(Vec::new()), Ok(None));
        assert_eq!(place(vec![Part::Line(Vec::new())]), Ok(None));
        // A track of one position is a point.
        let track = place(vec![Part::Line(vec![at(1.0, 2.0)])])
            .unwrap()
            .unwrap();
        assert_eq!(track.at, at(1.0, 2.0));
        assert!(track.shape.is_empty());
    }

    #[test]
    fn lines_and_areas_are_placed_at_their_centroid_and_keep_their_outline() {
        let line = vec![at(0.0, 0.0), at(10.0, 0.0)];
        let placed = place(vec![Part::Line(line.clone())]).unwrap().unwrap();
        assert_eq!(placed.at, at(5.0, 0.0));
        assert_eq!(placed.shape, [ShapePart::Line(line)]);
        let square = vec![
            at(0.0, 0.0),
            at(4.0, 0.0),
            at(4.0, 4.0),
            at(0.0, 4.0),
            at(0.0, 0.0),
        ];
        let placed = place(vec![Part::Polygon(vec![square.clone()])])
            .unwrap()
            .unwrap();
        assert_eq!(placed.at, at(2.0, 2.0));
        assert_eq!(placed.shape, [ShapePart::Polygon(vec![square])]);
        // Two points: their middle, and no outline to draw.
        let pair = place(vec![Part::Point(at(0.0, 0.0)), Part::Point(at(2.0, 2.0))])
            .unwrap()
            .unwrap();
        assert_eq!(pair.at, at(1.0, 1.0));
        assert!(pair.shape.is_empty());
    }

    #[test]
    fn a_coordinate_off_the_earth_is_named() {
        let error = place(vec![Part::Line(vec![at(0.0, 0.0), at(200.0, 10.0)])]).unwrap_err();
        assert!(
            error.starts_with("longitude 200, latitude 10 is not"),
            "{error}"
        );
        let error = place(vec![Part::Point(at(f64::NAN, 10.0))]).unwrap_err();
        assert!(error.starts_with("longitude NaN, latitude 10"), "{error}");
    }
}
