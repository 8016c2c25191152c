//! The offline basemap: Natural Earth countries, first-order regions, lakes, urban areas,
//! rivers and cities of the whole world, with more detail over European Russia. Made from the
//! GeoJSON ahead of time ([`source`]) and embedded as a compact pack ([`pack`]): start-up only
//! decodes it and cuts the shapes into chunks for culling ([`geometry`]). No egui here.

pub mod geometry;
pub mod locate;
pub mod pack;
pub mod source;

use std::collections::HashMap;
use std::sync::Arc;

pub use geometry::{Fill, FillChunk, LineRun, Lines, Outline};
pub use locate::RegionLocator;
use pack::{
    Reader, RiverDetail, Sections, StoredArea, StoredBorders, StoredCity, StoredRiver, StoredShape,
};

use crate::builtin;
use crate::model::LonLat;
use crate::model::projection::{WorldBox, WorldPoint};

/// From this zoom the detailed outlines are drawn, and over European Russia the detailed
/// European layers (regions, countries, rivers) take over from the world ones.
pub const DETAILED_FROM_ZOOM: f64 = 5.5;
/// From this zoom the coarse outlines are drawn (a continent on screen).
pub const COARSE_FROM_ZOOM: f64 = 3.7;
/// From this zoom the overview outlines are drawn; below it the world outlines (the whole
/// world on screen).
pub const OVERVIEW_FROM_ZOOM: f64 = 2.5;
/// A region's borders are drawn once its largest part spans this many points on screen: the
/// borders of small regions (Latvia's municipalities) wait until the map zooms in on them.
pub const REGION_BORDER_MIN_SPAN: f64 = 28.0;
/// The box of the European places (south-west, north-east corners): the cities the synthetic
/// datasets are made around.
pub const EUROPEAN_PLACES_AREA: [LonLat; 2] = [LonLat::new(19.0, 40.0), LonLat::new(60.0, 70.0)];

/// How much detail an outline has: each simplified level is about a pixel and a half off at
/// the largest zoom it is drawn at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// For the whole world on screen (below [`OVERVIEW_FROM_ZOOM`]).
    World,
    /// For most of the world (below [`COARSE_FROM_ZOOM`]).
    Overview,
    /// For a continent (below [`DETAILED_FROM_ZOOM`]).
    Coarse,
    /// Everything there is (1.5 km, 250 m over European Russia).
    Detailed,
}

impl Detail {
    /// Every level, least detailed first.
    pub const ALL: [Detail; 4] = [
        Detail::World,
        Detail::Overview,
        Detail::Coarse,
        Detail::Detailed,
    ];

    /// The detail to draw at `zoom`.
    pub fn at_zoom(zoom: f64) -> Self {
        if zoom < OVERVIEW_FROM_ZOOM {
            Detail::World
        } else if zoom < COARSE_FROM_ZOOM {
            Detail::Overview
        } else if zoom < DETAILED_FROM_ZOOM {
            Detail::Coarse
        } else {
            Detail::Detailed
        }
    }
}

/// A filled area: a country, a region, a lake or an urban area, in world coordinates.
#[derive(Clone, Debug)]
pub struct Area {
    /// The Natural Earth key for countries (e.g. `RUS`, `CRIMEA`), the ISO 3166-2 code for
    /// regions (not unique: see [`Region`]), the name for lakes, nothing for urban areas.
    pub code: String,
    pub name: String,
    pub disputed: bool,
    /// Natural Earth's suggested smallest zoom (lakes, urban areas; 0 for the others).
    pub min_zoom: f64,
    pub bounds: WorldBox,
    /// The box of the largest part.
    pub main_bounds: WorldBox,
    pub label_at: Option<WorldPoint>,
    /// More label points of a big area, for views of part of it (see [`Area::label_point`]).
    pub more_label_points: Vec<WorldPoint>,
    /// By [`Detail`], least detailed first; equal levels share one outline.
    outlines: [Arc<Outline>; 4],
}

impl Area {
    /// The outline to draw at `zoom`.
    pub fn outline(&self, zoom: f64) -> &Outline {
        self.outline_at(Detail::at_zoom(zoom))
    }

    /// The outline with `detail`.
    pub fn outline_at(&self, detail: Detail) -> &Outline {
        let [world, overview, coarse, detailed] = &self.outlines;
        match detail {
            Detail::World => world,
            Detail::Overview => overview,
            Detail::Coarse => coarse,
            Detail::Detailed => detailed,
        }
    }

    /// Where to label the area in a view of `visible`: its label point if that is in view,
    /// otherwise the one of its other label points in view nearest the view's centre.
    pub fn label_point(&self, visible: &WorldBox) -> Option<WorldPoint> {
        if let Some(at) = self.label_at.filter(|&at| visible.contains(at)) {
            return Some(at);
        }
        let center = visible.center();
        let distance = |p: &&WorldPoint| (p.x - center.x).powi(2) + (p.y - center.y).powi(2);
        self.more_label_points
            .iter()
            .filter(|&&p| visible.contains(p))
            .min_by(|a, b| distance(a).total_cmp(&distance(b)))
            .copied()
    }

    /// The area of a stored one (without its shapes) and its shapes' outlines.
    fn new(stored: StoredArea, outlines: &[Arc<Outline>]) -> Self {
        // Levels that simplification left alone share one outline.
        let level = |n: u8| outlines.get(usize::from(n)).cloned().unwrap_or_default();
        let [world, overview, coarse, detailed] = stored.levels.map(level);
        let point = |p: &pack::FixedPoint| p.world();
        Self {
            bounds: detailed.bounds,
            main_bounds: overview.main_bounds,
            label_at: stored.label_at.as_ref().map(point),
            more_label_points: stored.more_label_points.iter().map(point).collect(),
            outlines: [world, overview, coarse, detailed],
            code: stored.code,
            name: stored.name,
            disputed: stored.disputed,
            min_zoom: f64::from(stored.min_zoom_tenths) / 10.0,
        }
    }
}

/// The borders of countries and regions at a simplified level, each drawn once (neighbours
/// share theirs).
#[derive(Clone, Debug, Default)]
pub struct SharedBorders {
    /// Country borders and coasts.
    pub countries: Lines,
    /// Borders of disputed areas, drawn dashed.
    pub disputed: Lines,
    /// Borders between regions of one country, in bands by the zoom they are drawn from
    /// (smallest first): a region's borders wait until it is big enough on screen to read.
    pub regions: Vec<BorderBand>,
}

/// Region borders drawn from one zoom on.
#[derive(Clone, Debug, Default)]
pub struct BorderBand {
    pub from_zoom: f64,
    pub lines: Lines,
}

impl SharedBorders {
    fn new(stored: &StoredBorders) -> Self {
        let lines = |stored: &pack::StoredLines| {
            let mut lines = Lines::default();
            for line in stored.lines() {
                lines.push_line(line.iter().copied());
            }
            lines
        };
        // Bands a quarter of a zoom level wide.
        let mut bands: std::collections::BTreeMap<u32, Lines> = Default::default();
        for (line, &tenths) in stored.regions.lines().zip(&stored.region_zoom_tenths) {
            let quarters = (tenths * 4).div_ceil(10);
            let band = bands.entry(quarters).or_default();
            band.push_line(line.iter().copied());
        }
        Self {
            countries: lines(&stored.countries),
            disputed: lines(&stored.disputed),
            regions: bands
                .into_iter()
                .map(|(quarters, lines)| BorderBand {
                    from_zoom: f64::from(quarters) / 4.0,
                    lines,
                })
                .collect(),
        }
    }
}

/// A first-order region: every area with one ISO 3166-2 code (Natural Earth has a few codes
/// on several features, e.g. `PH-MNL`; they make one region).
#[derive(Clone, Debug)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub disputed: bool,
    /// The label point of its largest area.
    pub label_at: Option<WorldPoint>,
    pub bounds: WorldBox,
    /// Its areas, as indexes into [`Basemap::region_areas`].
    pub areas: Vec<usize>,
}

/// A river centre line.
#[derive(Clone, Debug)]
pub struct River {
    pub name: Option<String>,
    /// Natural Earth scale rank: smaller is more important.
    pub scale_rank: u32,
    pub detail: RiverDetail,
    pub lines: Lines,
    pub bounds: WorldBox,
}

impl River {
    /// Whether the river is drawn at `zoom` (the detailed European rivers take over from the
    /// world ones in their box).
    pub fn shown_at(&self, zoom: f64) -> bool {
        match self.detail {
            RiverDetail::Always => true,
            RiverDetail::Overview => zoom < DETAILED_FROM_ZOOM,
            RiverDetail::Detailed => zoom >= DETAILED_FROM_ZOOM,
        }
    }
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
    /// Every country (Crimea a separate, disputed one), the biggest first.
    pub countries: Vec<Area>,
    /// The first-order regions' areas, country by country.
    pub region_areas: Vec<Area>,
    /// The regions, one per code, the biggest first.
    pub regions: Vec<Region>,
    /// Index into `regions` by code.
    region_index: HashMap<String, usize>,
    /// The borders of the world, overview and coarse levels.
    shared_borders: [SharedBorders; 3],
    pub lakes: Vec<Area>,
    pub urban_areas: Vec<Area>,
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

impl Basemap {
    /// The embedded Natural Earth layers.
    pub fn builtin() -> Result<Self, BasemapError> {
        Self::from_pack(builtin::BASEMAP_PACK)
    }

    /// The basemap in a pack (see [`pack`]). The regions, half of it, are read on a thread of
    /// their own while this one reads the rest.
    pub fn from_pack(bytes: &[u8]) -> Result<Self, BasemapError> {
        let Sections(
            [
                countries,
                regions,
                borders,
                lakes,
                urban_areas,
                rivers,
                cities,
            ],
        ) = Sections::split(bytes)?;
        std::thread::scope(|scope| {
            let regions = scope.spawn(move || {
                let areas = read_areas(regions)?;
                let by_code = regions_by_code(&areas);
                Ok::<_, BasemapError>((areas, by_code))
            });
            let countries = read_areas(countries)?;
            let shared_borders = read_borders(borders)?;
            let lakes = read_areas(lakes)?;
            let urban_areas = read_areas(urban_areas)?;
            let rivers = read_list(rivers, |r| r.river().map(river))?;
            let cities = read_list(cities, |r| r.city().map(city))?;
            let (region_areas, regions) = regions.join().map_err(|_| BasemapError::Invalid {
                layer: "regions",
                message: "reading them failed".to_owned(),
            })??;
            let region_index = regions
                .iter()
                .enumerate()
                .map(|(n, region)| (region.code.clone(), n))
                .collect();
            Ok(Self {
                countries,
                region_areas,
                regions,
                region_index,
                shared_borders,
                lakes,
                urban_areas,
                rivers,
                cities,
            })
        })
    }

    /// The borders of countries and regions at `detail`, each drawn once; `None` for the
    /// detailed level, where each area's own outline is drawn (few are on screen).
    pub fn shared_borders(&self, detail: Detail) -> Option<&SharedBorders> {
        let [world, overview, coarse] = &self.shared_borders;
        match detail {
            Detail::World => Some(world),
            Detail::Overview => Some(overview),
            Detail::Coarse => Some(coarse),
            Detail::Detailed => None,
        }
    }

    /// The region with this ISO 3166-2 code.
    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.get(*self.region_index.get(code)?)
    }

    /// The position in [`Self::regions`] of the region with this code.
    pub fn region_position(&self, code: &str) -> Option<usize> {
        self.region_index.get(code).copied()
    }

    /// The areas of `region`.
    pub fn areas_of<'a>(&'a self, region: &'a Region) -> impl Iterator<Item = &'a Area> + 'a {
        region
            .areas
            .iter()
            .filter_map(|&n| self.region_areas.get(n))
    }

    /// The country with this Natural Earth key.
    pub fn country(&self, key: &str) -> Option<&Area> {
        self.countries.iter().find(|country| country.code == key)
    }
}

fn read_list<T>(
    mut section: Reader<'_>,
    item: impl FnMut(&mut Reader<'_>) -> Result<T, BasemapError>,
) -> Result<Vec<T>, BasemapError> {
    section.list(item)
}

/// The areas of a section, each made drawable as it is read.
fn read_areas(section: Reader<'_>) -> Result<Vec<Area>, BasemapError> {
    let (mut shape_scratch, mut outline_scratch) = (StoredShape::default(), Outline::default());
    read_list(section, |reader| {
        let (stored, outlines) = reader.area_with(&mut shape_scratch, |shape| {
            Arc::new(Outline::build(shape, &mut outline_scratch))
        })?;
        Ok(Area::new(stored, &outlines))
    })
}

fn read_borders(section: Reader<'_>) -> Result<[SharedBorders; 3], BasemapError> {
    let borders = read_list(section, |reader| {
        reader.borders().map(|stored| SharedBorders::new(&stored))
    })?;
    <[SharedBorders; 3]>::try_from(borders).map_err(|_| BasemapError::Invalid {
        layer: "borders",
        message: "not the three simplified levels' borders".to_owned(),
    })
}

fn size_of(bounds: &WorldBox) -> f64 {
    let size = bounds.size();
    size.width.max(0.0) * size.height.max(0.0)
}

/// One region per code, the biggest first (their labels are placed first).
fn regions_by_code(areas: &[Area]) -> Vec<Region> {
    let mut by_code: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, area) in areas.iter().enumerate() {
        by_code.entry(area.code.as_str()).or_default().push(n);
    }
    let mut regions: Vec<Region> = by_code
        .into_iter()
        .filter_map(|(code, members)| {
            let largest = members
                .iter()
                .filter_map(|&n| areas.get(n))
                .max_by(|a, b| size_of(&a.main_bounds).total_cmp(&size_of(&b.main_bounds)))?;
            let mut bounds = WorldBox::EMPTY;
            for area in members.iter().filter_map(|&n| areas.get(n)) {
                bounds.include(area.bounds.min);
                bounds.include(area.bounds.max);
            }
            Some(Region {
                code: code.to_owned(),
                name: largest.name.clone(),
                disputed: largest.disputed,
                label_at: largest.label_at,
                bounds,
                areas: members,
            })
        })
        .collect();
    regions.sort_by(|a, b| {
        size_of(&b.bounds)
            .total_cmp(&size_of(&a.bounds))
            .then_with(|| a.code.cmp(&b.code))
    });
    regions
}

fn river(stored: StoredRiver) -> River {
    let mut lines = Lines::default();
    for line in stored.lines.lines() {
        lines.push_line(line.iter().copied());
    }
    let mut bounds = WorldBox::EMPTY;
    for run in &lines.runs {
        bounds.include(run.bounds.min);
        bounds.include(run.bounds.max);
    }
    River {
        name: Some(stored.name).filter(|name| !name.is_empty()),
        scale_rank: stored.scale_rank,
        detail: stored.detail,
        lines,
        bounds,
    }
}

fn city(stored: StoredCity) -> City {
    let degrees = |e5: i32| f64::from(e5) / 1e5;
    City {
        name: stored.name,
        at: WorldPoint::from_lon_lat(LonLat::new(degrees(stored.lon_e5), degrees(stored.lat_e5))),
        min_zoom: f64::from(stored.min_zoom_tenths) / 10.0,
        national_capital: stored.national_capital,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(lon: f64, lat: f64) -> WorldPoint {
        WorldPoint::from_lon_lat(LonLat::new(lon, lat))
    }

    /// Whether `point` is in a fill triangle of `area` at `detail`.
    fn covers(area: &Area, detail: Detail, point: WorldPoint) -> bool {
        let side = |a: WorldPoint, b: WorldPoint| {
            (b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x)
        };
        area.outline_at(detail).fill.triangles().any(|[a, b, c]| {
            let sides = [side(a, b), side(b, c), side(c, a)];
            sides.iter().all(|&s| s >= 0.0) || sides.iter().all(|&s| s <= 0.0)
        })
    }

    #[test]
    fn builtin_basemap_has_the_whole_world() {
        let basemap = Basemap::builtin().unwrap();
        assert_eq!(basemap.countries.len(), 252);
        assert_eq!(basemap.region_areas.len(), 4596);
        assert_eq!(
            basemap.regions.len(),
            4501,
            "one region per ISO 3166-2 code"
        );
        assert_eq!(basemap.cities.len(), 7343);
        assert_eq!(basemap.lakes.len(), 405);
        assert_eq!(basemap.urban_areas.len(), 2143);
        assert!(basemap.rivers.len() > 1000);
        for code in [
            "US-CA", "JP-13", "RU-MOW", "RU-MOS", "RU-KLU", "RU-IN", "BR-SP",
        ] {
            let region = basemap.region(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(region.code, code);
            assert!(region.label_at.is_some(), "{code}");
            for area in basemap.areas_of(region) {
                for detail in Detail::ALL {
                    let outline = area.outline_at(detail);
                    assert!(outline.fill.triangles().count() > 0, "{code} {detail:?}");
                    assert!(!outline.border.runs.is_empty(), "{code} {detail:?}");
                }
                let points = |d| area.outline_at(d).border.point_count();
                let counts = Detail::ALL.map(points);
                assert!(counts.is_sorted(), "{code}: {counts:?}");
            }
        }
        assert_eq!(basemap.region("US-CA").unwrap().name, "California");
        assert_eq!(basemap.region("JP-13").unwrap().name, "Tokyo");
        assert!(basemap.region("XX-NOPE").is_none());
        let names: Vec<&str> = basemap.cities.iter().map(|c| c.name.as_str()).collect();
        for city in ["Tokyo", "Los Angeles", "Moscow", "São Paulo", "Lagos"] {
            assert!(names.contains(&city), "{city}");
        }
    }

    #[test]
    fn places_lie_in_their_country_and_region() {
        let basemap = Basemap::builtin().unwrap();
        let los_angeles = world(-118.2437, 34.0522);
        let tokyo = world(139.6917, 35.6895);
        let country = |key| basemap.country(key).unwrap();
        for detail in Detail::ALL {
            assert!(covers(country("USA"), detail, los_angeles), "{detail:?}");
            assert!(!covers(country("MEX"), detail, los_angeles), "{detail:?}");
            assert!(covers(country("JPN"), detail, tokyo), "{detail:?}");
        }
        let in_region = |code, point| {
            let region = basemap.region(code).unwrap();
            basemap
                .areas_of(region)
                .any(|area| covers(area, Detail::Detailed, point))
        };
        assert!(in_region("US-CA", los_angeles));
        assert!(!in_region("US-NV", los_angeles));
        assert!(in_region("JP-13", tokyo));
        // Across the antimeridian: Chukotka's eastern tip and Fiji's two halves.
        assert!(covers(
            country("RUS"),
            Detail::Detailed,
            world(-172.0, 66.0)
        ));
        assert!(covers(
            country("FJI"),
            Detail::Detailed,
            world(178.0, -17.8)
        ));
        assert!(covers(
            country("FJI"),
            Detail::Detailed,
            world(-179.97, -16.8)
        ));
        assert!(covers(
            country("USA"),
            Detail::Detailed,
            world(-176.66, 51.88)
        ));
    }

    #[test]
    fn crimea_is_a_separate_disputed_area() {
        let basemap = Basemap::builtin().unwrap();
        let crimea = basemap.country("CRIMEA").unwrap();
        assert!(crimea.disputed);
        let simferopol = world(34.1, 44.95);
        assert!(covers(crimea, Detail::Detailed, simferopol));
        for key in ["RUS", "UKR"] {
            let country = basemap.country(key).unwrap();
            assert!(!country.disputed);
            for detail in [Detail::Coarse, Detail::Detailed] {
                assert!(!covers(country, detail, simferopol), "{key} {detail:?}");
            }
        }
        for code in ["UA-43", "UA-40"] {
            assert!(basemap.region(code).unwrap().disputed, "{code}");
        }
        assert!(!basemap.region("UA-30").unwrap().disputed);
    }

    #[test]
    fn a_code_on_several_areas_is_one_region() {
        let basemap = Basemap::builtin().unwrap();
        let manila = basemap.region("PH-MNL").unwrap();
        assert_eq!(manila.areas.len(), 17);
        for area in basemap.areas_of(manila) {
            assert_eq!(area.code, "PH-MNL");
            assert!(manila.bounds.contains_box(&area.bounds));
        }
        let shared = basemap.regions.iter().filter(|r| r.areas.len() > 1).count();
        assert!(shared > 10, "{shared}");
        // Every area is in exactly one region.
        let total: usize = basemap.regions.iter().map(|r| r.areas.len()).sum();
        assert_eq!(total, basemap.region_areas.len());
    }

    #[test]
    fn european_russia_is_detailed_from_the_detailed_zoom() {
        let basemap = Basemap::builtin().unwrap();
        // Moscow Oblast's detailed outline is the European file's (250 m), not the world's.
        let oblast = basemap.region("RU-MOS").unwrap();
        let area = basemap.areas_of(oblast).next().unwrap();
        let detailed = area.outline_at(Detail::Detailed).border.point_count();
        let coarse = area.outline_at(Detail::Coarse).border.point_count();
        assert!(detailed > 3 * coarse, "{detailed} vs {coarse}");
        // The Volga is drawn once at every zoom: the world line zoomed out, the detailed one
        // zoomed in.
        let volga: Vec<&River> = basemap
            .rivers
            .iter()
            .filter(|r| r.name.as_deref() == Some("Volga"))
            .collect();
        for zoom in [2.0, 4.0, 5.0, 6.0, 9.0] {
            let shown: Vec<RiverDetail> = volga
                .iter()
                .filter(|r| r.shown_at(zoom))
                .map(|r| r.detail)
                .collect();
            let expected = if zoom < DETAILED_FROM_ZOOM {
                RiverDetail::Overview
            } else {
                RiverDetail::Detailed
            };
            assert!(!shown.is_empty(), "{zoom}");
            assert!(shown.iter().all(|&d| d == expected), "{zoom}: {shown:?}");
        }
        // The European places are the world's, at their more precise positions.
        let moscow = basemap.cities.iter().find(|c| c.name == "Moscow").unwrap();
        let at = moscow.at.lon_lat();
        assert!((at.lon - 37.61358).abs() < 1e-9 && (at.lat - 55.75411).abs() < 1e-9);
    }

    #[test]
    fn a_big_country_is_labelled_in_the_part_in_view() {
        let basemap = Basemap::builtin().unwrap();
        let russia = basemap.country("RUS").unwrap();
        let whole_world = WorldBox {
            min: WorldPoint::new(0.0, 0.0),
            max: WorldPoint::new(1.0, 1.0),
        };
        assert_eq!(russia.label_point(&whole_world), russia.label_at);
        assert!(russia.label_at.unwrap().lon_lat().lon > 90.0, "in Siberia");
        // A view of European Russia names Russia there, not in Siberia.
        let european = WorldBox {
            min: world(25.0, 62.0),
            max: world(55.0, 42.0),
        };
        let label = russia.label_point(&european).unwrap();
        assert!(european.contains(label));
        assert!(covers(russia, Detail::Coarse, label));
        // A small country has only its one label point.
        let belgium = basemap.country("BEL").unwrap();
        assert!(belgium.more_label_points.is_empty());
        assert_eq!(belgium.label_point(&european), None);
    }

    #[test]
    fn triangles_cover_the_area() {
        let basemap = Basemap::builtin().unwrap();
        let region = basemap.region("RU-IN").unwrap();
        let area = basemap.areas_of(region).next().unwrap();
        let outline = area.outline_at(Detail::Detailed);
        // Compare triangle area with the ring area (shoelace), in world units.
        let triangle_area: f64 = outline
            .fill
            .triangles()
            .map(|[a, b, c]| ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)).abs() / 2.0)
            .sum();
        let mut ring_area = 0.0;
        for run in &outline.border.runs {
            let points: Vec<WorldPoint> =
                outline.border.run(run).iter().map(|p| p.world()).collect();
            ring_area += points
                .windows(2)
                .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
                .sum::<f64>();
        }
        let ring_area = ring_area.abs() / 2.0;
        assert!((triangle_area - ring_area).abs() / ring_area < 0.01);
    }
}
