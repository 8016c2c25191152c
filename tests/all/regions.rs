//! Regions found by point-in-polygon on the built-in world basemap, and the choropleth and
//! density layers drawn from them.

use std::sync::OnceLock;

use event_atlas::map::Basemap;
use event_atlas::map::basemap::RegionLocator;
use event_atlas::model::LonLat;

/// The built-in basemap and its locator, made once for every test here.
fn world() -> &'static (Basemap, RegionLocator) {
    static WORLD: OnceLock<(Basemap, RegionLocator)> = OnceLock::new();
    WORLD.get_or_init(|| {
        let basemap = Basemap::builtin().unwrap_or_else(|e| panic!("built-in basemap: {e}"));
        let locator = RegionLocator::new(&basemap);
        (basemap, locator)
    })
}

/// The code of the region at `lon`, `lat` (`None`: in no region).
fn code_at(lon: f64, lat: f64) -> Option<&'static str> {
    let (basemap, locator) = world();
    let region = locator.locate(LonLat::new(lon, lat))?;
    Some(basemap.regions[region].code.as_str())
}

#[test]
fn places_are_found_in_their_regions() {
    assert_eq!(code_at(37.6173, 55.7558), Some("RU-MOW"), "central Moscow");
    assert_eq!(code_at(44.90, 43.31), Some("RU-IN"), "Karabulak");
    assert_eq!(code_at(2.3522, 48.8566), Some("FR-75"), "Paris");
    assert_eq!(code_at(-118.2437, 34.0522), Some("US-CA"), "Los Angeles");
    assert_eq!(code_at(139.6917, 35.6895), Some("JP-13"), "Tokyo");
    assert_eq!(
        code_at(36.1, 55.5),
        Some("RU-MOS"),
        "Moscow Oblast, west of the city"
    );
    // Across the antimeridian: Chukotka's eastern tip, and both halves of Fiji.
    assert_eq!(code_at(-172.0, 66.0), Some("RU-CHU"));
    assert!(code_at(178.0, -17.8).is_some_and(|code| code.starts_with("FJ-")));
    assert!(code_at(-179.97, -16.8).is_some_and(|code| code.starts_with("FJ-")));
}

#[test]
fn the_sea_and_lakes_outside_regions_are_in_no_region() {
    assert_eq!(code_at(-30.0, 30.0), None, "the middle of the Atlantic");
    assert_eq!(code_at(50.5, 42.0), None, "the middle of the Caspian Sea");
    assert_eq!(code_at(0.0, 0.0), None, "the Gulf of Guinea");
}

#[test]
fn a_city_inside_its_surrounding_region_is_a_hole_in_it() {
    let (basemap, _) = world();
    // Brandenburg's outline has a hole where Berlin is; Moscow Oblast's where Moscow is.
    assert_eq!(code_at(13.405, 52.52), Some("DE-BE"), "Berlin");
    assert_eq!(code_at(13.06, 52.40), Some("DE-BB"), "Potsdam");
    let berlin = basemap.region("DE-BE").map(|r| r.bounds);
    let brandenburg = basemap.region("DE-BB").map(|r| r.bounds);
    assert!(
        brandenburg
            .zip(berlin)
            .is_some_and(|(outer, inner)| outer.contains_box(&inner)),
        "Berlin's box is inside Brandenburg's: only the hole tells them apart"
    );
    assert_eq!(code_at(30.3, 59.94), Some("RU-SPE"), "St Petersburg");
    assert_eq!(code_at(30.5, 60.5), Some("RU-LEN"), "Leningrad Oblast");
}

#[test]
fn crocus_city_hall_is_where_natural_earth_draws_it() {
    // Crocus City Hall is in Krasnogorsk, Moscow Oblast (RU-MOS), 0.2 km outside the real city
    // boundary; Natural Earth's Moscow-city polygon is coarse (79 vertices) and takes it in
    // (assets/basemap/README.md says so). Exact point-in-polygon on the shipped outlines answers
    // Moscow city: the built-in dataset names the region itself, and a named region is never
    // replaced by a located one.
    assert_eq!(code_at(37.3906, 55.8257), Some("RU-MOW"));
    // 2 km further west, beyond the polygon's inaccuracy, it is the oblast.
    assert_eq!(code_at(37.36, 55.8257), Some("RU-MOS"));
}

#[test]
fn locating_many_points_agrees_with_locating_each() {
    let (_, locator) = world();
    // A grid over European Russia and its neighbours, with gaps and repeated points.
    let mut points: Vec<Option<LonLat>> = Vec::new();
    for row in 0..80 {
        for column in 0..80 {
            let at = LonLat::new(20.0 + f64::from(column) * 0.5, 40.0 + f64::from(row) * 0.3);
            points.push(Some(at));
            if column % 7 == 0 {
                points.push(Some(at));
                points.push(None);
            }
        }
    }
    let all = locator.locate_all(&points);
    assert_eq!(all.len(), points.len());
    for (point, found) in points.iter().zip(&all) {
        let each = point.and_then(|at| locator.locate(at)).map(|r| r as u32);
        assert_eq!(*found, each, "{point:?}");
    }
    let located = all.iter().flatten().count();
    assert!(
        located > points.len() / 2,
        "most of the grid is land: {located}"
    );
}

#[test]
fn no_region_reaches_the_north_edge_of_the_map() {
    // The locator's rays run north: a border along the clamped north edge (left out of the
    // outlines) would be missed.
    let (basemap, _) = world();
    for area in &basemap.region_areas {
        assert!(area.bounds.min.y > 1e-4, "{} {}", area.code, area.name);
    }
}

#[test]
fn the_locator_agrees_with_the_detailed_fill_triangles() {
    use event_atlas::map::basemap::Detail;
    use event_atlas::model::projection::WorldPoint;
    let (basemap, locator) = world();
    // The regions whose detailed triangles cover `point` (earcut covers each polygon exactly).
    let covering = |point: WorldPoint| -> Vec<usize> {
        let side = |a: WorldPoint, b: WorldPoint| {
            (b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x)
        };
        basemap
            .regions
            .iter()
            .enumerate()
            .filter(|(_, region)| region.bounds.contains(point))
            .filter(|(_, region)| {
                basemap.areas_of(region).any(|area| {
                    let fill = &area.outline_at(Detail::Detailed).fill;
                    fill.triangles().any(|[a, b, c]| {
                        let sides = [side(a, b), side(b, c), side(c, a)];
                        sides.iter().all(|&s| s > 0.0) || sides.iter().all(|&s| s < 0.0)
                    })
                })
            })
            .map(|(n, _)| n)
            .collect()
    };
    // A deterministic scatter over the inhabited world.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut unit = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut checked, mut on_land) = (0, 0);
    for _ in 0..2000 {
        let at = LonLat::new(-180.0 + 360.0 * unit(), -55.0 + 130.0 * unit());
        let found = locator.locate(at);
        let regions = covering(WorldPoint::from_lon_lat(at));
        checked += 1;
        on_land += usize::from(found.is_some());
        match found {
            Some(region) => assert!(regions.contains(&region), "{at:?}: {region} {regions:?}"),
            None => assert!(regions.is_empty(), "{at:?}: {regions:?}"),
        }
    }
    assert!(on_land > checked / 5, "{on_land} of {checked} on land");
}

/// The choropleth in a harness of its own: the map's background takes the pointer, as in the
/// map widget, and the layer reports what is under it.
mod choropleth_ui {
    use egui::{Pos2, Rect, Sense};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use event_atlas::map::layers::choropleth::{
        ChoroplethFrame, ChoroplethResponse, MapPointer, choropleth_ui,
    };
    use event_atlas::map::{MapCamera, Projector};
    use event_atlas::model::LonLat;
    use event_atlas::model::projection::WorldPoint;

    use super::world;

    const MAP: Rect = Rect::from_min_max(Pos2::ZERO, Pos2::new(900.0, 600.0));

    fn projector() -> Projector {
        let camera = MapCamera {
            center: WorldPoint::from_lon_lat(LonLat::new(37.6, 55.7)),
            zoom: 7.0,
        };
        Projector::new(camera, MAP)
    }

    fn region_index(code: &str) -> usize {
        let (basemap, _) = world();
        let found = basemap.regions.iter().position(|r| r.code == code);
        found.unwrap_or_else(|| panic!("{code}"))
    }

    fn harness(counts: Vec<u32>) -> Harness<'static, Vec<ChoroplethResponse>> {
        Harness::builder().with_size(MAP.size()).build_ui_state(
            move |ui, responses: &mut Vec<ChoroplethResponse>| {
                let (basemap, locator) = world();
                let background = ui.allocate_rect(MAP, Sense::click_and_drag());
                let painter = ui.painter_at(MAP);
                let frame = ChoroplethFrame {
                    painter: &painter,
                    projector: &projector(),
                    basemap,
                    locator,
                    counts: &counts,
                    pointer: MapPointer {
                        hover: background.hover_pos(),
                        clicked: background.clicked(),
                    },
                    legend_title: "Events in the window",
                };
                responses.push(choropleth_ui(ui, &frame));
            },
            Vec::new(),
        )
    }

    #[test]
    fn hovering_a_region_names_it_with_its_count_and_clicking_reports_it() {
        let (basemap, _) = world();
        let (oblast, city) = (region_index("RU-MOS"), region_index("RU-MOW"));
        let mut counts = vec![0; basemap.regions.len()];
        counts[oblast] = 1204;
        counts[city] = 3;
        counts[region_index("RU-TVE")] = 40;
        let mut harness = harness(counts);
        harness.run();
        // The legend names the classes of the counts: 3, 40 and 1,204 events.
        harness.get_by_label("Events in the window:");
        // (Round breaks over 3..1204 are 10, 20, 50, 200 and 500; the empty ones join the next.)
        for class in ["3–10", "11–50", "51+"] {
            harness.get_by_label(class);
        }
        // West of Moscow, in the oblast.
        let west = projector().screen_from_world(WorldPoint::from_lon_lat(LonLat::new(36.6, 55.6)));
        assert!(MAP.contains(west));
        harness.hover_at(west);
        harness.run();
        let last = |harness: &Harness<'_, Vec<ChoroplethResponse>>| {
            harness.state().last().copied().unwrap_or_default()
        };
        assert_eq!(last(&harness).hovered, Some(oblast));
        assert_eq!(last(&harness).clicked, None);
        harness.get_by_label("Moscow Oblast (RU-MOS): 1,204 events");
        // Central Moscow is the city, a hole in the oblast.
        let centre =
            projector().screen_from_world(WorldPoint::from_lon_lat(LonLat::new(37.62, 55.75)));
        harness.hover_at(centre);
        harness.run();
        assert_eq!(last(&harness).hovered, Some(city));
        harness.get_by_label("Moscow (RU-MOW): 3 events");
        // A click there reports the city once.
        for pressed in [true, false] {
            harness.event(egui::Event::PointerButton {
                pos: centre,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            });
        }
        harness.run();
        let clicked: Vec<usize> = harness.state().iter().filter_map(|r| r.clicked).collect();
        assert_eq!(clicked, [city]);
    }

    #[test]
    fn without_events_the_legend_says_so() {
        let (basemap, _) = world();
        let mut harness = harness(vec![0; basemap.regions.len()]);
        harness.run();
        harness.get_by_label("none");
        assert!(harness.state().iter().all(|r| r.hovered.is_none()));
    }
}

/// The density layer in a harness: hovering a hexagon tells how many events are in it.
#[test]
fn hovering_a_density_hexagon_tells_its_count() {
    use egui::{Pos2, Rect, Sense};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use event_atlas::map::layers::density::{
        DensityBins, DensityInput, ShownEvents, WindowAt, density_ui,
    };
    use event_atlas::map::{MapCamera, Projector};
    use event_atlas::model::EventSet;
    use event_atlas::model::index::TimeIndex;
    use event_atlas::model::projection::{WorldPoint, WorldPoint32};

    let map = Rect::from_min_max(Pos2::ZERO, Pos2::new(600.0, 400.0));
    let spot = WorldPoint::from_lon_lat(LonLat::new(44.9, 43.31));
    // 1,500 events on one spot and 7 a little east, one of them filtered out.
    let mut world: Vec<Option<WorldPoint32>> = vec![Some(spot.compact()); 1500];
    world.extend(vec![Some(spot.offset(0.001, 0.0).compact()); 7]);
    let starts = vec![0; world.len()];
    let time = TimeIndex::from_spans(starts.clone(), vec![100; world.len()]);
    let matches = EventSet::from_indices(world.len(), 0..world.len() - 1);
    let projector = Projector::new(
        MapCamera {
            center: spot,
            zoom: 8.0,
        },
        map,
    );
    let state = (DensityBins::default(), None::<u32>);
    let mut harness = Harness::builder().with_size(map.size()).build_ui_state(
        |ui, (bins, hovered): &mut (DensityBins, Option<u32>)| {
            let background = ui.allocate_rect(map, Sense::click_and_drag());
            let input = DensityInput {
                world: &world,
                shown: ShownEvents {
                    matches: &matches,
                    time: &time,
                    at: WindowAt {
                        playhead: 50,
                        window: 10,
                    },
                },
            };
            let painter = ui.painter_at(map);
            let hover = background.hover_pos();
            *hovered = density_ui(ui, &painter, &projector, bins, &input, hover);
        },
        state,
    );
    harness.hover_at(projector.screen_from_world(spot));
    harness.run();
    assert_eq!(harness.state().1, Some(1500));
    harness.get_by_label("1,500 events here");
    harness.hover_at(projector.screen_from_world(spot.offset(0.001, 0.0)));
    harness.run();
    harness.get_by_label("6 events here");
    harness.hover_at(projector.screen_from_world(spot.offset(0.0, 0.0005)));
    harness.run();
    assert_eq!(harness.state().1, None, "no event there");
    assert_eq!(harness.state().0.total(), 1506);
}
