//! Camera geometry: fitting a box, zooming, panning and bringing a point into view. Pure: the
//! camera is view state ([`crate::state::MapCamera`]); `app.rs` applies what these return.

use egui::{Pos2, Rect, Vec2};

use super::Projector;
use crate::model::LonLat;
use crate::model::projection::{TILE_SIZE, WorldBox, WorldPoint, scale_at_zoom};
use crate::state::MapCamera;

/// Smallest and largest camera zoom (web-map levels). At the smallest, the whole world fits in
/// a map 362 points wide.
pub const MIN_ZOOM: f64 = 0.5;
pub const MAX_ZOOM: f64 = 15.0;
/// Largest zoom a fit goes to (a single point is not shown at street level).
const MAX_FIT_ZOOM: f64 = 10.0;
/// Zoom for a box of no size (one point, or several at the same spot).
const POINT_FIT_ZOOM: f64 = 8.0;
/// A point this close (in points) to the view's edge counts as out of view.
const REVEAL_MARGIN: f32 = 40.0;
/// The share of the view's width and height a fit gives the events (the rest is margin).
const FIT_SHARE: f32 = 0.8;
/// The latitude the whole-world view centres on when there are no events: the middle of the
/// inhabited world, which lies mostly north of the equator.
const WORLD_CENTER_LATITUDE: f64 = 25.0;

impl MapCamera {
    /// A camera that shows `bounds` inside a view of `size` points, with a margin; the whole
    /// world when `bounds` is empty or wider than the world a view can show (the map does not
    /// wrap around the antimeridian).
    pub fn fit(bounds: WorldBox, size: Vec2) -> Self {
        if bounds.is_empty() {
            let center = WorldPoint::from_lon_lat(LonLat::new(0.0, WORLD_CENTER_LATITUDE));
            return Self::whole_world(center.y, size);
        }
        let extent = bounds.size();
        let usable_width = f64::from(size.x * FIT_SHARE).max(50.0);
        let usable_height = f64::from(size.y * FIT_SHARE).max(50.0);
        let zoom = if extent.width <= 0.0 && extent.height <= 0.0 {
            POINT_FIT_ZOOM
        } else {
            let scale = (usable_width / extent.width.max(1e-12))
                .min(usable_height / extent.height.max(1e-12));
            (scale / TILE_SIZE).log2()
        };
        let zoom = zoom.clamp(MIN_ZOOM, MAX_FIT_ZOOM);
        let shown_width = f64::from(size.x.max(1.0)) / scale_at_zoom(zoom);
        if shown_width >= 1.0 {
            return Self::whole_world(bounds.center().y, size);
        }
        Self {
            center: bounds.center(),
            zoom,
        }
    }

    /// The whole world's width in a view of `size`, centred on world `y` as far as the world
    /// reaches (no empty band above the north or below the south edge when it can be helped).
    pub fn whole_world(y: f64, size: Vec2) -> Self {
        let zoom = (f64::from(size.x.max(1.0)) / TILE_SIZE)
            .log2()
            .clamp(MIN_ZOOM, MAX_FIT_ZOOM);
        let half_height = f64::from(size.y.max(1.0)) / scale_at_zoom(zoom) / 2.0;
        let y = if half_height >= 0.5 {
            0.5
        } else {
            y.clamp(half_height, 1.0 - half_height)
        };
        Self {
            center: WorldPoint::new(0.5, y),
            zoom,
        }
    }

    /// The camera zoomed by `factor` keeping the world point under `anchor` (screen) fixed.
    pub fn zoomed_around(self, factor: f64, anchor: Pos2, rect: Rect) -> Self {
        let before = Projector::new(self, rect).world_from_screen(anchor);
        let mut camera = self.zoomed(factor);
        let after = Projector::new(camera, rect).world_from_screen(anchor);
        camera.center = camera.center.offset(before.x - after.x, before.y - after.y);
        camera
    }

    /// The camera zoomed by `factor` around the view's centre.
    pub fn zoomed(self, factor: f64) -> Self {
        Self {
            zoom: (self.zoom + factor.log2()).clamp(MIN_ZOOM, MAX_ZOOM),
            ..self
        }
    }

    /// The camera moved by a screen-space drag.
    pub fn panned(self, delta: Vec2) -> Self {
        let scale = scale_at_zoom(self.zoom);
        Self {
            center: WorldPoint::new(
                (self.center.x - f64::from(delta.x) / scale).clamp(0.0, 1.0),
                (self.center.y - f64::from(delta.y) / scale).clamp(0.0, 1.0),
            ),
            ..self
        }
    }

    /// The camera, centred on `point` if a view of `size` points does not show it well inside
    /// its edges; unchanged if it does (focusing an event on screen must not move the map).
    pub fn revealing(self, point: WorldPoint, size: Vec2) -> Self {
        let rect = Rect::from_min_size(Pos2::ZERO, size);
        let at = Projector::new(self, rect).screen_from_world(point);
        if rect.shrink(REVEAL_MARGIN).contains(at) {
            self
        } else {
            Self {
                center: point,
                ..self
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{pos2, vec2};

    fn world(lon: f64, lat: f64) -> WorldPoint {
        WorldPoint::from_lon_lat(LonLat::new(lon, lat))
    }

    fn moscow_camera() -> MapCamera {
        MapCamera {
            center: world(37.6, 55.7),
            zoom: 6.0,
        }
    }

    #[test]
    fn fit_shows_every_point() {
        let points = [
            world(37.6, 55.7),
            world(44.9, 43.3),
            world(20.5, 54.7),
            world(49.1, 55.8),
        ];
        let mut bounds = WorldBox::EMPTY;
        for point in points {
            bounds.include(point);
        }
        for size in [vec2(900.0, 500.0), vec2(300.0, 800.0)] {
            let rect = Rect::from_min_size(Pos2::ZERO, size);
            let camera = MapCamera::fit(bounds, size);
            let projector = Projector::new(camera, rect);
            for point in points {
                let at = projector.screen_from_world(point);
                assert!(rect.shrink(20.0).contains(at), "{at:?} in {size:?}");
            }
            // Tight: one more zoom level would lose a point.
            let closer = Projector::new(camera.zoomed(2.0), rect);
            assert!(
                points
                    .iter()
                    .any(|&p| !rect.contains(closer.screen_from_world(p)))
            );
        }
        // No event: the whole world.
        let empty = MapCamera::fit(WorldBox::EMPTY, vec2(900.0, 500.0));
        let shown = Projector::new(empty, Rect::from_min_size(Pos2::ZERO, vec2(900.0, 500.0)))
            .visible_world();
        assert!(
            shown.min.x <= 1e-9 && shown.max.x >= 1.0 - 1e-9,
            "{shown:?}"
        );
        let mut one = WorldBox::EMPTY;
        one.include(points[0]);
        let camera = MapCamera::fit(one, vec2(900.0, 500.0));
        assert_eq!((camera.center, camera.zoom), (points[0], POINT_FIT_ZOOM));
    }

    fn bounds_of(points: &[WorldPoint]) -> WorldBox {
        let mut bounds = WorldBox::EMPTY;
        for &point in points {
            bounds.include(point);
        }
        bounds
    }

    #[test]
    fn fit_frames_events_across_the_world() {
        let size = vec2(1000.0, 600.0);
        let rect = Rect::from_min_size(Pos2::ZERO, size);
        // Los Angeles and Tokyo: framed between them (the map does not wrap, so across
        // Europe), as close as both allow.
        let los_angeles = world(-118.24, 34.05);
        let tokyo = world(139.69, 35.69);
        let camera = MapCamera::fit(bounds_of(&[los_angeles, tokyo]), size);
        let projector = Projector::new(camera, rect);
        for point in [los_angeles, tokyo] {
            assert!(
                rect.shrink(20.0)
                    .contains(projector.screen_from_world(point))
            );
        }
        assert!((camera.center.x - (los_angeles.x + tokyo.x) / 2.0).abs() < 1e-9);
        let shown = projector.visible_world();
        assert!(shown.size().width < 1.0, "not the whole world: {shown:?}");
        // Events on every continent: the whole world's width, centred.
        let continents = [
            world(-157.86, 21.31), // Honolulu
            world(-46.63, -23.55), // São Paulo
            world(-0.13, 51.51),   // London
            world(36.82, -1.29),   // Nairobi
            world(139.69, 35.69),  // Tokyo
            world(174.76, -36.85), // Auckland
        ];
        let camera = MapCamera::fit(bounds_of(&continents), size);
        assert_eq!(camera.center.x, 0.5);
        let shown = Projector::new(camera, rect).visible_world();
        assert!(
            shown.min.x <= 1e-9 && shown.max.x >= 1.0 - 1e-9,
            "{shown:?}"
        );
        assert!(
            shown.min.y >= -1e-9 && shown.max.y <= 1.0 + 1e-9,
            "no band off the world"
        );
        // Latitudes beyond Web Mercator's clamp to it.
        let poles = [world(0.0, 89.9), world(10.0, -90.0)];
        let camera = MapCamera::fit(bounds_of(&poles), size);
        assert!(camera.center.y.is_finite() && camera.zoom >= MIN_ZOOM);
    }

    #[test]
    fn zoom_around_the_pointer_keeps_what_is_under_it() {
        let rect = Rect::from_min_size(pos2(10.0, 20.0), vec2(800.0, 600.0));
        let camera = moscow_camera();
        let anchor = pos2(300.0, 200.0);
        let zoomed = camera.zoomed_around(2.0, anchor, rect);
        assert!((zoomed.zoom - 7.0).abs() < 1e-9);
        let before = Projector::new(camera, rect).world_from_screen(anchor);
        let after = Projector::new(zoomed, rect).world_from_screen(anchor);
        assert!((before.x - after.x).abs() < 1e-9 && (before.y - after.y).abs() < 1e-9);
    }

    #[test]
    fn zoom_keeps_the_centre_and_stays_in_range() {
        let camera = moscow_camera();
        let zoomed = camera.zoomed(2.0);
        assert_eq!(zoomed.center, camera.center);
        assert!((zoomed.zoom - 7.0).abs() < 1e-9);
        assert!((camera.zoomed(0.5).zoom - 5.0).abs() < 1e-9);
        assert_eq!(camera.zoomed(1e9).zoom, MAX_ZOOM);
        assert_eq!(camera.zoomed(1e-9).zoom, MIN_ZOOM);
    }

    #[test]
    fn dragging_right_moves_the_view_west() {
        let camera = moscow_camera();
        let panned = camera.panned(vec2(100.0, 0.0));
        assert!(panned.center.x < camera.center.x);
        assert_eq!(
            (panned.center.y, panned.zoom),
            (camera.center.y, camera.zoom)
        );
        let far = camera.panned(vec2(1e9, -1e9));
        assert_eq!(far.center, WorldPoint::new(0.0, 1.0));
    }

    #[test]
    fn revealing_moves_the_camera_only_for_points_off_screen() {
        let camera = moscow_camera();
        let size = vec2(800.0, 600.0);
        // Tula is on screen around Moscow at zoom 6: nothing moves.
        let tula = world(37.6, 54.2);
        assert_eq!(camera.revealing(tula, size), camera);
        // Grozny is not: the camera centres it, at the same zoom.
        let grozny = world(45.7, 43.3);
        let moved = camera.revealing(grozny, size);
        assert_eq!(moved.center, grozny);
        assert_eq!(moved.zoom, camera.zoom);
        // A point on screen but in the margin along the edge counts as out of view.
        let rect = Rect::from_min_size(Pos2::ZERO, size);
        let near_edge = Projector::new(camera, rect).world_from_screen(pos2(790.0, 300.0));
        assert_eq!(camera.revealing(near_edge, size).center, near_edge);
    }

    #[test]
    fn remembered_cameras_still_load() {
        // A view state file written before positions were typed: the centre is an array.
        let saved = r#"{"center":[0.6044,0.3213],"zoom":5.5}"#;
        let camera: MapCamera = serde_json::from_str(saved).unwrap();
        assert_eq!(camera.center, WorldPoint::new(0.6044, 0.3213));
        assert_eq!(camera.zoom, 5.5);
        assert_eq!(serde_json::to_string(&camera).unwrap(), saved);
        let view: crate::state::ViewState =
            serde_json::from_str(&format!(r#"{{"dataset_key":"Crocus","camera":{saved}}}"#))
                .unwrap();
        assert_eq!(view.camera, Some(camera));
    }
}
