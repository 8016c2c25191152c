//! Rivers: the world's, cut at the box of the detailed European rivers (outside it drawn at
//! every zoom, inside it only below the detailed zoom) and the detailed European ones.

use geo::{Coord, LineString};
use serde_json::Value;

use super::{features, line_from_json, number_property, string_property};
use crate::map::basemap::BasemapError;
use crate::map::basemap::pack::{FixedPoint, RiverDetail, StoredLines, StoredRiver};
use crate::model::LonLat;
use crate::model::projection::WorldPoint;

/// The box the detailed European rivers were clipped to (south-west, north-east corners).
const EUROPEAN_RIVERS_AREA: [LonLat; 2] = [LonLat::new(19.0, 40.0), LonLat::new(60.0, 62.0)];

fn lines_from_geometry(geometry: Option<&Value>) -> Vec<LineString<f64>> {
    let Some(geometry) = geometry else {
        return Vec::new();
    };
    match (
        geometry.get("type").and_then(Value::as_str),
        geometry.get("coordinates"),
    ) {
        (Some("LineString"), Some(line)) => line_from_json(line).into_iter().collect(),
        (Some("MultiLineString"), Some(Value::Array(lines))) => {
            lines.iter().filter_map(line_from_json).collect()
        }
        _ => Vec::new(),
    }
}

/// A longitude/latitude line as stored.
fn stored_line(line: &[Coord<f64>]) -> Vec<FixedPoint> {
    let mut points: Vec<FixedPoint> = Vec::with_capacity(line.len());
    for c in line {
        let point = FixedPoint::from_world(WorldPoint::from_lon_lat(LonLat::new(c.x, c.y)));
        if points.last() != Some(&point) {
            points.push(point);
        }
    }
    points
}

fn river(feature: &Value, detail: RiverDetail, lines: &[Vec<Coord<f64>>]) -> StoredRiver {
    let mut stored = StoredLines::default();
    for line in lines.iter().map(|line| stored_line(line)) {
        if line.len() >= 2 {
            stored.push_line(&line);
        }
    }
    StoredRiver {
        name: string_property(feature, "name_en")
            .or_else(|| string_property(feature, "name"))
            .unwrap_or_default(),
        scale_rank: number_property(feature, "scalerank").map_or(10, |r| r.max(0.0) as u32),
        detail,
        lines: stored,
    }
}

/// The world rivers (outside the European box at every zoom, inside it below the detailed
/// zoom) and the detailed European ones.
pub fn rivers(world: &[u8], european: &[u8]) -> Result<Vec<StoredRiver>, BasemapError> {
    let mut rivers = Vec::new();
    for feature in features(world, "world rivers")? {
        let mut split = BoxSplit::default();
        for line in lines_from_geometry(feature.get("geometry")) {
            split.add_line(&line);
        }
        for (detail, lines) in [
            (RiverDetail::Always, &split.outside),
            (RiverDetail::Overview, &split.inside),
        ] {
            if !lines.is_empty() {
                rivers.push(river(&feature, detail, lines));
            }
        }
    }
    for feature in features(european, "rivers")? {
        let lines: Vec<Vec<Coord<f64>>> = lines_from_geometry(feature.get("geometry"))
            .into_iter()
            .map(|line| line.0)
            .collect();
        rivers.push(river(&feature, RiverDetail::Detailed, &lines));
    }
    Ok(rivers)
}

/// Lines cut where they cross the European rivers' box: the parts inside, the parts outside.
#[derive(Default)]
struct BoxSplit {
    inside: Vec<Vec<Coord<f64>>>,
    outside: Vec<Vec<Coord<f64>>>,
    /// Whether the last piece added was inside (`None`: a new line starts).
    last_inside: Option<bool>,
}

impl BoxSplit {
    fn add_line(&mut self, line: &LineString<f64>) {
        self.last_inside = None;
        for segment in line.lines() {
            let (a, b) = (segment.start, segment.end);
            match clip_to_box(a, b) {
                None => self.add_piece(a, b, false),
                Some((t0, t1)) => {
                    let at = |t: f64| a + (b - a) * t;
                    if t0 > 0.0 {
                        self.add_piece(a, at(t0), false);
                    }
                    self.add_piece(at(t0), at(t1), true);
                    if t1 < 1.0 {
                        self.add_piece(at(t1), b, false);
                    }
                }
            }
        }
    }

    fn add_piece(&mut self, a: Coord<f64>, b: Coord<f64>, inside: bool) {
        let lines = if inside {
            &mut self.inside
        } else {
            &mut self.outside
        };
        match lines.last_mut() {
            Some(line) if self.last_inside == Some(inside) => line.push(b),
            _ => lines.push(vec![a, b]),
        }
        self.last_inside = Some(inside);
    }
}

/// The part of segment `a`–`b` inside the European rivers' box, as the segment's parameters
/// where it enters and leaves (Liang–Barsky); `None` when it stays outside.
fn clip_to_box(a: Coord<f64>, b: Coord<f64>) -> Option<(f64, f64)> {
    let [south_west, north_east] = EUROPEAN_RIVERS_AREA;
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.x - south_west.lon),
        (dx, north_east.lon - a.x),
        (-dy, a.y - south_west.lat),
        (dy, north_east.lat - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
    }
    (t0 < t1).then_some((t0, t1))
}

/// Degrees in hundred-thousandths.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rivers_are_cut_at_the_european_box() {
        let c = |x, y| Coord { x, y };
        let mut split = BoxSplit::default();
        // From the west into the box and out of its north edge.
        split.add_line(&LineString::new(vec![
            c(10.0, 50.0),
            c(30.0, 50.0),
            c(30.0, 70.0),
        ]));
        assert_eq!(
            split.inside,
            vec![vec![c(19.0, 50.0), c(30.0, 50.0), c(30.0, 62.0)]]
        );
        assert_eq!(
            split.outside,
            vec![
                vec![c(10.0, 50.0), c(19.0, 50.0)],
                vec![c(30.0, 62.0), c(30.0, 70.0)]
            ]
        );
        assert_eq!(clip_to_box(c(0.0, 0.0), c(10.0, 10.0)), None);
    }
}
