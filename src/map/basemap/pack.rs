//! The basemap as it is embedded: projected, simplified and triangulated ahead of time (by
//! the packer, from the GeoJSON in `assets/basemap/`) and written in a compact binary
//! form, so that start-up only decodes numbers. No floating point is stored: world coordinates
//! are fixed-point ([`QUANTUM`]), so a pack reads back the same everywhere.
//!
//! The form: a magic line, then the layers in order (countries, regions, lakes, urban areas,
//! rivers, cities). Every number is an unsigned LEB128 varint; signed numbers (coordinate and
//! index differences) are zigzag-encoded; strings are a length and UTF-8 bytes.

use super::BasemapError;
use crate::model::projection::WorldPoint;

/// Fixed-point steps per world unit: 2^26, about 0.6 m at the equator and an eighth of a pixel
/// at the largest zoom.
pub const QUANTUM: f64 = 67_108_864.0;
/// The first bytes of a pack, with its format version.
const MAGIC: &[u8] = b"event-atlas basemap 2\n";

/// A world point in fixed point: `x`, `y` in `0..=QUANTUM`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FixedPoint {
    pub x: i32,
    pub y: i32,
}

impl FixedPoint {
    /// The fixed point nearest to `world` (clamped to the world).
    pub fn from_world(world: WorldPoint) -> Self {
        let fix = |v: f64| (v.clamp(0.0, 1.0) * QUANTUM).round() as i32;
        Self {
            x: fix(world.x),
            y: fix(world.y),
        }
    }

    /// The world point this stands for.
    pub fn world(self) -> WorldPoint {
        WorldPoint::new(f64::from(self.x) / QUANTUM, f64::from(self.y) / QUANTUM)
    }
}

/// Polygons, flat (one list of each kind, not one per ring): the points of every ring, ring
/// after ring and without the closing point; how many rings each polygon has and how many points
/// each ring; and each polygon's triangles over its own points (counting from its first point;
/// every three indices make a triangle).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredShape {
    pub points: Vec<FixedPoint>,
    pub rings_per_polygon: Vec<u32>,
    pub points_per_ring: Vec<u32>,
    pub triangles: Vec<u32>,
    pub corners_per_polygon: Vec<u32>,
}

/// One polygon of a [`StoredShape`].
pub struct PolygonView<'a> {
    /// Its rings' points, ring after ring.
    pub points: &'a [FixedPoint],
    /// How many points each of its rings has.
    pub points_per_ring: &'a [u32],
    /// Its triangles, over `points`.
    pub triangles: &'a [u32],
}

impl StoredShape {
    /// Adds a polygon: its rings (the outer one first, each without the closing point) and its
    /// triangles over their points.
    pub fn push_polygon(&mut self, rings: &[Vec<FixedPoint>], triangles: &[u32]) {
        self.rings_per_polygon.push(rings.len() as u32);
        for ring in rings {
            self.points_per_ring.push(ring.len() as u32);
            self.points.extend_from_slice(ring);
        }
        self.corners_per_polygon.push(triangles.len() as u32);
        self.triangles.extend_from_slice(triangles);
    }

    /// The polygons, one by one.
    pub fn polygons(&self) -> impl Iterator<Item = PolygonView<'_>> + '_ {
        let (mut ring, mut point, mut corner) = (0usize, 0usize, 0usize);
        self.rings_per_polygon
            .iter()
            .zip(&self.corners_per_polygon)
            .map(move |(&rings, &corners)| {
                let ring_sizes = self
                    .points_per_ring
                    .get(ring..ring + rings as usize)
                    .unwrap_or_default();
                let count: usize = ring_sizes.iter().map(|&n| n as usize).sum();
                let view = PolygonView {
                    points: self.points.get(point..point + count).unwrap_or_default(),
                    points_per_ring: ring_sizes,
                    triangles: self
                        .triangles
                        .get(corner..corner + corners as usize)
                        .unwrap_or_default(),
                };
                ring += rings as usize;
                point += count;
                corner += corners as usize;
                view
            })
    }
}

impl PolygonView<'_> {
    /// The rings' points, ring by ring.
    pub fn rings(&self) -> impl Iterator<Item = &[FixedPoint]> + '_ {
        let mut start = 0usize;
        self.points_per_ring.iter().map(move |&n| {
            let ring = self
                .points
                .get(start..start + n as usize)
                .unwrap_or_default();
            start += n as usize;
            ring
        })
    }
}

/// Lines, flat: the points of every line, line after line, and how many points each has.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredLines {
    pub points: Vec<FixedPoint>,
    pub points_per_line: Vec<u32>,
}

impl StoredLines {
    /// Adds a line.
    pub fn push_line(&mut self, line: &[FixedPoint]) {
        self.points_per_line.push(line.len() as u32);
        self.points.extend_from_slice(line);
    }

    /// The lines, one by one.
    pub fn lines(&self) -> impl Iterator<Item = &[FixedPoint]> + '_ {
        let mut start = 0usize;
        self.points_per_line.iter().map(move |&n| {
            let line = self
                .points
                .get(start..start + n as usize)
                .unwrap_or_default();
            start += n as usize;
            line
        })
    }
}

/// The levels of detail of an area (world, overview, coarse, detailed: see
/// [`super::Detail`]) as indexes into its shapes: levels that simplification left alone share
/// one shape.
pub type LevelShapes = [u8; 4];

/// A country, a region, a lake or an urban area.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredArea {
    /// The Natural Earth key (countries), ISO 3166-2 code (regions), name (lakes) or nothing.
    pub code: String,
    pub name: String,
    pub disputed: bool,
    /// Natural Earth's suggested smallest zoom, in tenths.
    pub min_zoom_tenths: u32,
    pub label_at: Option<FixedPoint>,
    /// More label points, for views of part of a big area.
    pub more_label_points: Vec<FixedPoint>,
    /// One to four shapes, each level's given by `levels`.
    pub shapes: Vec<StoredShape>,
    pub levels: LevelShapes,
}

/// The borders of countries and regions at one simplified level, each drawn once: the shared
/// border of two neighbours is one line, simplified once by the packer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredBorders {
    /// Country borders and coasts.
    pub countries: StoredLines,
    /// Borders of disputed areas (drawn dashed).
    pub disputed: StoredLines,
    /// Borders between regions of one country, each line with the zoom (in tenths) from which
    /// one of the regions it bounds is big enough on screen for its borders to be drawn.
    pub regions: StoredLines,
    pub region_zoom_tenths: Vec<u32>,
}

/// Which zooms a river line is drawn at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RiverDetail {
    /// At every zoom.
    #[default]
    Always,
    /// Below [`super::DETAILED_FROM_ZOOM`]: a world line where a detailed one takes over.
    Overview,
    /// From [`super::DETAILED_FROM_ZOOM`]: a detailed line.
    Detailed,
}

/// A river centre line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredRiver {
    pub name: String,
    pub scale_rank: u32,
    pub detail: RiverDetail,
    pub lines: StoredLines,
}

/// A populated place, at its longitude and latitude in hundred-thousandths of a degree.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredCity {
    pub name: String,
    pub lon_e5: i32,
    pub lat_e5: i32,
    pub min_zoom_tenths: u32,
    pub national_capital: bool,
}

/// Every layer as stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredBasemap {
    pub countries: Vec<StoredArea>,
    pub regions: Vec<StoredArea>,
    /// The world, overview and coarse levels' borders (the detailed level draws areas' rings).
    pub borders: [StoredBorders; 3],
    pub lakes: Vec<StoredArea>,
    pub urban_areas: Vec<StoredArea>,
    pub rivers: Vec<StoredRiver>,
    pub cities: Vec<StoredCity>,
}

/// The pack's sections, in order; each is its length in bytes and its content, so that a
/// reader can hand sections to threads.
const SECTIONS: [&str; 7] = [
    "countries",
    "regions",
    "borders",
    "lakes",
    "urban areas",
    "rivers",
    "cities",
];

impl StoredBasemap {
    /// The pack's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Writer(MAGIC.to_vec());
        for section in SECTIONS {
            let mut body = Writer(Vec::new());
            match section {
                "countries" => body.list(&self.countries, Writer::area),
                "regions" => body.list(&self.regions, Writer::area),
                "borders" => body.list(&self.borders, Writer::borders),
                "lakes" => body.list(&self.lakes, Writer::area),
                "urban areas" => body.list(&self.urban_areas, Writer::area),
                "rivers" => body.list(&self.rivers, Writer::river),
                _ => body.list(&self.cities, Writer::city),
            }
            out.count(body.0.len());
            out.0.extend_from_slice(&body.0);
        }
        out.0
    }

    /// Reads a pack written by [`StoredBasemap::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Self, BasemapError> {
        let sections = Sections::split(bytes)?;
        let [
            mut countries,
            mut regions,
            mut borders,
            mut lakes,
            mut urban_areas,
            mut rivers,
            mut cities,
        ] = sections.0;
        let borders: Vec<StoredBorders> = borders.list(Reader::borders)?;
        let Ok(borders) = <[StoredBorders; 3]>::try_from(borders) else {
            return Err(BasemapError::Invalid {
                layer: "borders",
                message: "not the three simplified levels' borders".to_owned(),
            });
        };
        Ok(Self {
            countries: countries.list(Reader::area)?,
            regions: regions.list(Reader::area)?,
            borders,
            lakes: lakes.list(Reader::area)?,
            urban_areas: urban_areas.list(Reader::area)?,
            rivers: rivers.list(Reader::river)?,
            cities: cities.list(Reader::city)?,
        })
    }
}

/// A pack cut into its sections, each ready to read.
pub struct Sections<'a>(pub [Reader<'a>; 7]);

impl<'a> Sections<'a> {
    /// The sections of `bytes`.
    pub fn split(bytes: &'a [u8]) -> Result<Self, BasemapError> {
        let Some(body) = bytes.strip_prefix(MAGIC) else {
            return Err(BasemapError::Invalid {
                layer: "pack",
                message: "not an Event Atlas basemap pack of this version".to_owned(),
            });
        };
        let mut reader = Reader {
            bytes: body,
            at: 0,
            offset: MAGIC.len(),
            layer: "pack",
        };
        let mut sections = Vec::with_capacity(SECTIONS.len());
        for layer in SECTIONS {
            reader.layer = layer;
            let length = reader.varint()? as usize;
            let start = reader.at;
            let Some(section) = body.get(start..start.saturating_add(length)) else {
                return Err(reader.error("a section longer than the pack"));
            };
            reader.at += length;
            sections.push(Reader {
                bytes: section,
                at: 0,
                offset: MAGIC.len() + start,
                layer,
            });
        }
        if reader.at != body.len() {
            return Err(reader.error("bytes left after the last section"));
        }
        let Ok(sections) = <[Reader<'a>; 7]>::try_from(sections) else {
            return Err(reader.error("a section missing"));
        };
        Ok(Self(sections))
    }
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    (value >> 1) as i64 ^ -((value & 1) as i64)
}

struct Writer(Vec<u8>);

impl Writer {
    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.0.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.0.push(value as u8);
    }

    fn count(&mut self, count: usize) {
        self.varint(count as u64);
    }

    fn signed(&mut self, value: i64) {
        self.varint(zigzag(value));
    }

    fn text(&mut self, text: &str) {
        self.count(text.len());
        self.0.extend_from_slice(text.as_bytes());
    }

    fn list<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
        self.count(items.len());
        for one in items {
            item(self, one);
        }
    }

    fn point(&mut self, point: FixedPoint) {
        self.varint(point.x as u64);
        self.varint(point.y as u64);
    }

    /// Points as differences from the one before (the first from the origin).
    fn points(&mut self, points: &[FixedPoint]) {
        self.count(points.len());
        let mut previous = FixedPoint::default();
        for &point in points {
            self.signed(i64::from(point.x) - i64::from(previous.x));
            self.signed(i64::from(point.y) - i64::from(previous.y));
            previous = point;
        }
    }

    fn numbers(&mut self, numbers: &[u32]) {
        self.count(numbers.len());
        for &n in numbers {
            self.varint(u64::from(n));
        }
    }

    fn shape(&mut self, shape: &StoredShape) {
        self.points(&shape.points);
        self.numbers(&shape.rings_per_polygon);
        self.numbers(&shape.points_per_ring);
        self.numbers(&shape.corners_per_polygon);
        // Triangle corners as differences from the one before: neighbours are near.
        self.count(shape.triangles.len());
        let mut last = 0i64;
        for &index in &shape.triangles {
            self.signed(i64::from(index) - last);
            last = i64::from(index);
        }
    }

    fn lines(&mut self, lines: &StoredLines) {
        self.points(&lines.points);
        self.numbers(&lines.points_per_line);
    }

    fn area(&mut self, area: &StoredArea) {
        self.text(&area.code);
        self.text(&area.name);
        self.varint(u64::from(area.disputed));
        self.varint(u64::from(area.min_zoom_tenths));
        match area.label_at {
            Some(at) => {
                self.varint(1);
                self.point(at);
            }
            None => self.varint(0),
        }
        self.list(&area.more_label_points, |out, &at| out.point(at));
        self.list(&area.shapes, Writer::shape);
        for &level in &area.levels {
            self.varint(u64::from(level));
        }
    }

    fn borders(&mut self, borders: &StoredBorders) {
        self.lines(&borders.countries);
        self.lines(&borders.disputed);
        self.lines(&borders.regions);
        self.numbers(&borders.region_zoom_tenths);
    }

    fn river(&mut self, river: &StoredRiver) {
        self.text(&river.name);
        self.varint(u64::from(river.scale_rank));
        self.varint(match river.detail {
            RiverDetail::Always => 0,
            RiverDetail::Overview => 1,
            RiverDetail::Detailed => 2,
        });
        self.lines(&river.lines);
    }

    fn city(&mut self, city: &StoredCity) {
        self.text(&city.name);
        self.signed(i64::from(city.lon_e5));
        self.signed(i64::from(city.lat_e5));
        self.varint(u64::from(city.min_zoom_tenths));
        self.varint(u64::from(city.national_capital));
    }
}

/// Reads one section of a pack.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Where `bytes` starts in the pack, for messages.
    offset: usize,
    /// The section being read, for messages.
    layer: &'static str,
}

/// Counts in a pack are at most this (a corrupt count must not reserve gigabytes).
const MAX_COUNT: u64 = 1 << 24;

impl Reader<'_> {
    fn error(&self, what: &str) -> BasemapError {
        BasemapError::Invalid {
            layer: self.layer,
            message: format!("pack byte {}: {what}", self.offset + self.at),
        }
    }

    fn varint(&mut self) -> Result<u64, BasemapError> {
        // Most numbers are one or two bytes.
        match self.bytes.get(self.at..self.at + 2) {
            Some(&[first, _]) if first < 0x80 => {
                self.at += 1;
                return Ok(u64::from(first));
            }
            Some(&[first, second]) if second < 0x80 => {
                self.at += 2;
                return Ok(u64::from(first & 0x7f) | u64::from(second) << 7);
            }
            _ => {}
        }
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&byte) = self.bytes.get(self.at) else {
                return Err(self.error("ends in the middle of a number"));
            };
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.error("a number longer than 64 bits"))
    }

    fn count(&mut self) -> Result<usize, BasemapError> {
        let count = self.varint()?;
        if count > MAX_COUNT {
            return Err(self.error("an impossible count"));
        }
        Ok(count as usize)
    }

    fn small(&mut self) -> Result<u32, BasemapError> {
        u32::try_from(self.varint()?).map_err(|_| self.error("a number out of range"))
    }

    fn signed(&mut self) -> Result<i64, BasemapError> {
        Ok(unzigzag(self.varint()?))
    }

    fn flag(&mut self) -> Result<bool, BasemapError> {
        match self.varint()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.error("a flag that is neither 0 nor 1")),
        }
    }

    fn text(&mut self) -> Result<String, BasemapError> {
        let length = self.count()?;
        let Some(bytes) = self.bytes.get(self.at..self.at + length) else {
            return Err(self.error("ends in the middle of a name"));
        };
        self.at += length;
        String::from_utf8(bytes.to_vec()).map_err(|_| self.error("a name that is not UTF-8"))
    }

    fn coordinate(&self, value: i64) -> Result<i32, BasemapError> {
        i32::try_from(value)
            .ok()
            .filter(|v| (0..=QUANTUM as i32).contains(v))
            .ok_or_else(|| self.error("a point outside the world"))
    }

    fn point(&mut self) -> Result<FixedPoint, BasemapError> {
        let x = self.varint()? as i64;
        let y = self.varint()? as i64;
        Ok(FixedPoint {
            x: self.coordinate(x)?,
            y: self.coordinate(y)?,
        })
    }

    /// Reads points into `points` (cleared first: buffers are reused across shapes).
    fn points_into(&mut self, points: &mut Vec<FixedPoint>) -> Result<(), BasemapError> {
        let count = self.count()?;
        points.clear();
        points.reserve(count);
        let (mut x, mut y) = (0i64, 0i64);
        for _ in 0..count {
            x += self.signed()?;
            y += self.signed()?;
            points.push(FixedPoint {
                x: self.coordinate(x)?,
                y: self.coordinate(y)?,
            });
        }
        Ok(())
    }

    fn numbers_into(&mut self, numbers: &mut Vec<u32>) -> Result<(), BasemapError> {
        let count = self.count()?;
        numbers.clear();
        numbers.reserve(count);
        for _ in 0..count {
            numbers.push(self.small()?);
        }
        Ok(())
    }

    /// A list of items read by `item`.
    pub fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, BasemapError>,
    ) -> Result<Vec<T>, BasemapError> {
        let count = self.count()?;
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            items.push(item(self)?);
        }
        if self.at != self.bytes.len() {
            return Err(self.error("bytes left after the section's last item"));
        }
        Ok(items)
    }

    fn sum(&self, counts: &[u32]) -> u64 {
        counts.iter().map(|&n| u64::from(n)).sum()
    }

    /// Reads a shape into `shape` (its buffers reused).
    fn shape_into(&mut self, shape: &mut StoredShape) -> Result<(), BasemapError> {
        self.points_into(&mut shape.points)?;
        self.numbers_into(&mut shape.rings_per_polygon)?;
        self.numbers_into(&mut shape.points_per_ring)?;
        self.numbers_into(&mut shape.corners_per_polygon)?;
        let corner_count = self.count()?;
        let consistent = self.sum(&shape.rings_per_polygon) == shape.points_per_ring.len() as u64
            && self.sum(&shape.points_per_ring) == shape.points.len() as u64
            && self.sum(&shape.corners_per_polygon) == corner_count as u64
            && shape.rings_per_polygon.len() == shape.corners_per_polygon.len()
            && shape.corners_per_polygon.iter().all(|&n| n % 3 == 0);
        if !consistent {
            return Err(self.error("a shape whose counts do not add up"));
        }
        shape.triangles.clear();
        shape.triangles.reserve(corner_count);
        let mut last = 0i64;
        for _ in 0..corner_count {
            last += self.signed()?;
            let corner = u32::try_from(last).map_err(|_| self.error("a bad corner"))?;
            shape.triangles.push(corner);
        }
        // Every corner must be a point of its polygon.
        let corners_fit = shape.polygons().all(|polygon| {
            let count = polygon.points.len() as u32;
            polygon.triangles.iter().all(|&i| i < count)
        });
        if !corners_fit {
            return Err(self.error("a triangle corner that is no point of its polygon"));
        }
        Ok(())
    }

    fn lines(&mut self) -> Result<StoredLines, BasemapError> {
        let mut lines = StoredLines::default();
        self.points_into(&mut lines.points)?;
        self.numbers_into(&mut lines.points_per_line)?;
        if self.sum(&lines.points_per_line) != lines.points.len() as u64 {
            return Err(self.error("lines whose counts do not add up"));
        }
        Ok(lines)
    }

    /// A list inside an item (no end-of-section check).
    fn items<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, BasemapError>,
    ) -> Result<Vec<T>, BasemapError> {
        let count = self.count()?;
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            items.push(item(self)?);
        }
        Ok(items)
    }

    /// An area, with its shapes.
    pub fn area(&mut self) -> Result<StoredArea, BasemapError> {
        let (mut area, shapes) = self.area_with(&mut StoredShape::default(), StoredShape::clone)?;
        area.shapes = shapes;
        Ok(area)
    }

    /// An area without its shapes, and what `made` makes of each shape as it is read into
    /// `scratch` (reused: the pack's shapes are read without an allocation each).
    pub fn area_with<T>(
        &mut self,
        scratch: &mut StoredShape,
        mut made: impl FnMut(&StoredShape) -> T,
    ) -> Result<(StoredArea, Vec<T>), BasemapError> {
        let code = self.text()?;
        let name = self.text()?;
        let disputed = self.flag()?;
        let min_zoom_tenths = self.small()?;
        let label_at = if self.flag()? {
            Some(self.point()?)
        } else {
            None
        };
        let more_label_points = self.items(Reader::point)?;
        let shapes = self.items(|reader| {
            reader.shape_into(scratch)?;
            Ok(made(scratch))
        })?;
        let mut levels = [0u8; 4];
        for level in &mut levels {
            match u8::try_from(self.varint()?) {
                Ok(index) if usize::from(index) < shapes.len() => *level = index,
                _ => return Err(self.error("a level without its shape")),
            }
        }
        let area = StoredArea {
            code,
            name,
            disputed,
            min_zoom_tenths,
            label_at,
            more_label_points,
            shapes: Vec::new(),
            levels,
        };
        Ok((area, shapes))
    }

    /// The borders of one level.
    pub fn borders(&mut self) -> Result<StoredBorders, BasemapError> {
        let countries = self.lines()?;
        let disputed = self.lines()?;
        let regions = self.lines()?;
        let mut region_zoom_tenths = Vec::new();
        self.numbers_into(&mut region_zoom_tenths)?;
        if region_zoom_tenths.len() != regions.points_per_line.len() {
            return Err(self.error("region borders without their zoom"));
        }
        Ok(StoredBorders {
            countries,
            disputed,
            regions,
            region_zoom_tenths,
        })
    }

    /// A river.
    pub fn river(&mut self) -> Result<StoredRiver, BasemapError> {
        let name = self.text()?;
        let scale_rank = self.small()?;
        let detail = match self.varint()? {
            0 => RiverDetail::Always,
            1 => RiverDetail::Overview,
            2 => RiverDetail::Detailed,
            _ => return Err(self.error("an unknown river detail")),
        };
        Ok(StoredRiver {
            name,
            scale_rank,
            detail,
            lines: self.lines()?,
        })
    }

    /// A city.
    pub fn city(&mut self) -> Result<StoredCity, BasemapError> {
        let name = self.text()?;
        let degrees = |reader: &mut Self| {
            let value = reader.signed()?;
            i32::try_from(value).map_err(|_| reader.error("a coordinate out of range"))
        };
        let lon_e5 = degrees(self)?;
        let lat_e5 = degrees(self)?;
        Ok(StoredCity {
            name,
            lon_e5,
            lat_e5,
            min_zoom_tenths: self.small()?,
            national_capital: self.flag()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StoredBasemap {
        let p = |x, y| FixedPoint { x, y };
        let mut square = StoredShape::default();
        square.push_polygon(
            &[vec![p(10, 10), p(20, 10), p(20, 20), p(10, 20)]],
            &[0, 1, 2, 0, 2, 3],
        );
        let area = StoredArea {
            code: "RU-MOW".to_owned(),
            name: "Москва".to_owned(),
            disputed: true,
            min_zoom_tenths: 47,
            label_at: Some(p(15, 15)),
            more_label_points: vec![p(12, 12)],
            shapes: vec![square.clone(), StoredShape::default()],
            levels: [0, 0, 0, 1],
        };
        let mut line = StoredLines::default();
        line.push_line(&[p(0, 0), p(QUANTUM as i32, 5)]);
        line.push_line(&[p(3, 4)]);
        let borders = StoredBorders {
            countries: line.clone(),
            disputed: StoredLines::default(),
            regions: line.clone(),
            region_zoom_tenths: vec![40, 55],
        };
        StoredBasemap {
            countries: vec![area.clone()],
            regions: vec![
                area.clone(),
                StoredArea {
                    shapes: vec![StoredShape::default()],
                    ..StoredArea::default()
                },
            ],
            borders: [borders.clone(), borders.clone(), borders],
            lakes: vec![],
            urban_areas: vec![area],
            rivers: vec![StoredRiver {
                name: "Volga".to_owned(),
                scale_rank: 2,
                detail: RiverDetail::Detailed,
                lines: line,
            }],
            cities: vec![StoredCity {
                name: "Tokyo".to_owned(),
                lon_e5: 13_975_000,
                lat_e5: -3_568_000,
                min_zoom_tenths: 17,
                national_capital: true,
            }],
        }
    }

    #[test]
    fn a_pack_reads_back_what_was_written() {
        let basemap = sample();
        let bytes = basemap.encode();
        assert_eq!(StoredBasemap::decode(&bytes).unwrap(), basemap);
        assert_eq!(zigzag(-3), 5);
        assert_eq!(unzigzag(zigzag(i64::from(i32::MIN))), i64::from(i32::MIN));
        let square = &basemap.countries[0].shapes[0];
        let polygon = square.polygons().next().unwrap();
        assert_eq!(polygon.rings().count(), 1);
        assert_eq!(polygon.triangles, &[0, 1, 2, 0, 2, 3]);
    }

    #[test]
    fn a_damaged_pack_is_an_error_not_a_panic() {
        let bytes = sample().encode();
        for cut in [0, MAGIC.len(), MAGIC.len() + 3, bytes.len() - 1] {
            assert!(
                StoredBasemap::decode(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        let message = StoredBasemap::decode(&longer).unwrap_err().to_string();
        assert!(message.contains("bytes left"), "{message}");
        // Flip every byte in turn: each result is an error or some basemap, never a panic.
        for at in MAGIC.len()..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0xff;
            let _ = StoredBasemap::decode(&damaged);
        }
    }
}
