//! The map: projection and basemap (pure), camera and projector, and the map panel.

pub mod basemap;
pub mod clusters;
pub mod panel;

pub use basemap::Basemap;
pub use panel::{MapPanel, map_ui};

use egui::{Pos2, Rect, Vec2, pos2};

use crate::model::projection::{self, WorldBox, scale_at_zoom, world_from_lon_lat};
use crate::model::{Dataset, Location};
pub use crate::state::MapCamera;

/// Smallest and largest camera zoom (web-map levels).
pub const MIN_ZOOM: f64 = 1.0;
pub const MAX_ZOOM: f64 = 15.0;

/// Camera geometry (the camera itself is view state, in [`crate::state`]).
impl MapCamera {
    /// A camera that shows `bounds` inside a view of `size` points, with a margin.
    pub fn fit(bounds: WorldBox, size: Vec2) -> Self {
        if bounds.is_empty() {
            return Self::default();
        }
        let [width, height] = bounds.size();
        let usable_width = f64::from(size.x * 0.8).max(50.0);
        let usable_height = f64::from(size.y * 0.8).max(50.0);
        let zoom = if width <= 0.0 && height <= 0.0 {
            8.0
        } else {
            let scale = (usable_width / width.max(1e-12)).min(usable_height / height.max(1e-12));
            (scale / projection::TILE_SIZE).log2()
        };
        Self {
            center: bounds.center(),
            zoom: zoom.clamp(MIN_ZOOM, 10.0),
        }
    }

    /// The camera zoomed by `factor` keeping the world point under `anchor` (screen) fixed.
    pub fn zoomed_around(self, factor: f64, anchor: Pos2, rect: Rect) -> Self {
        let before = Projector::new(self, rect).world_from_screen(anchor);
        let zoom = (self.zoom + factor.log2()).clamp(MIN_ZOOM, MAX_ZOOM);
        let mut camera = Self { zoom, ..self };
        let after = Projector::new(camera, rect).world_from_screen(anchor);
        camera.center = [
            camera.center[0] + before[0] - after[0],
            camera.center[1] + before[1] - after[1],
        ];
        camera
    }

    /// The camera moved by a screen-space drag.
    pub fn panned(self, delta: Vec2) -> Self {
        let scale = scale_at_zoom(self.zoom);
        Self {
            center: [
                (self.center[0] - f64::from(delta.x) / scale).clamp(0.0, 1.0),
                (self.center[1] - f64::from(delta.y) / scale).clamp(0.0, 1.0),
            ],
            ..self
        }
    }
}

/// Turns world coordinates into screen positions for one camera and one screen rectangle.
#[derive(Clone, Copy, Debug)]
pub struct Projector {
    camera: MapCamera,
    rect: Rect,
    scale: f64,
}

impl Projector {
    pub fn new(camera: MapCamera, rect: Rect) -> Self {
        Self {
            camera,
            rect,
            scale: scale_at_zoom(camera.zoom),
        }
    }

    pub fn screen_from_world(&self, world: [f64; 2]) -> Pos2 {
        let center = self.rect.center();
        pos2(
            center.x + ((world[0] - self.camera.center[0]) * self.scale) as f32,
            center.y + ((world[1] - self.camera.center[1]) * self.scale) as f32,
        )
    }

    pub fn world_from_screen(&self, screen: Pos2) -> [f64; 2] {
        let center = self.rect.center();
        [
            self.camera.center[0] + f64::from(screen.x - center.x) / self.scale,
            self.camera.center[1] + f64::from(screen.y - center.y) / self.scale,
        ]
    }

    pub fn zoom(&self) -> f64 {
        self.camera.zoom
    }

    /// The world box visible on screen.
    pub fn visible_world(&self) -> WorldBox {
        let a = self.world_from_screen(self.rect.min);
        let b = self.world_from_screen(self.rect.max);
        WorldBox { min: a, max: b }
    }
}

/// Where each event is drawn on the map, computed once per dataset.
#[derive(Clone, Debug, PartialEq)]
pub enum MarkerAnchor {
    /// A point.
    Point([f64; 2]),
    /// Only the region is known: drawn as a ring at the region's label point.
    Region([f64; 2]),
}

impl MarkerAnchor {
    pub fn world(&self) -> [f64; 2] {
        match self {
            MarkerAnchor::Point(world) | MarkerAnchor::Region(world) => *world,
        }
    }
}

/// Marker anchors for every event (`None`: not on the map).
pub fn marker_anchors(dataset: &Dataset, basemap: &Basemap) -> Vec<Option<MarkerAnchor>> {
    dataset
        .events
        .iter()
        .map(|event| match &event.location {
            Location::Point { at, .. } => {
                Some(MarkerAnchor::Point(world_from_lon_lat(at.lon, at.lat)))
            }
            Location::Region(code) => basemap
                .region(code.as_str())
                .and_then(|region| region.label_at)
                .map(MarkerAnchor::Region),
            Location::Unknown => None,
        })
        .collect()
}

/// The world box around every anchored event.
pub fn anchors_bounds(anchors: &[Option<MarkerAnchor>]) -> WorldBox {
    let mut bounds = WorldBox::EMPTY;
    for anchor in anchors.iter().flatten() {
        bounds.include(anchor.world());
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::vec2;

    #[test]
    fn projector_round_trip_and_zoom_keeps_anchor() {
        let rect = Rect::from_min_size(pos2(10.0, 20.0), vec2(800.0, 600.0));
        let camera = MapCamera {
            center: world_from_lon_lat(37.6, 55.7),
            zoom: 6.0,
        };
        let projector = Projector::new(camera, rect);
        let world = world_from_lon_lat(44.9, 43.3);
        let screen = projector.screen_from_world(world);
        let back = projector.world_from_screen(screen);
        assert!((back[0] - world[0]).abs() < 1e-6 && (back[1] - world[1]).abs() < 1e-6);
        assert_eq!(projector.screen_from_world(camera.center), rect.center());

        let anchor = pos2(300.0, 200.0);
        let zoomed = camera.zoomed_around(2.0, anchor, rect);
        assert!((zoomed.zoom - 7.0).abs() < 1e-9);
        let before = projector.world_from_screen(anchor);
        let after = Projector::new(zoomed, rect).world_from_screen(anchor);
        assert!((before[0] - after[0]).abs() < 1e-9 && (before[1] - after[1]).abs() < 1e-9);
    }

    #[test]
    fn fit_shows_every_point() {
        let mut bounds = WorldBox::EMPTY;
        bounds.include(world_from_lon_lat(37.6, 55.7));
        bounds.include(world_from_lon_lat(44.9, 43.3));
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(900.0, 500.0));
        let camera = MapCamera::fit(bounds, rect.size());
        let projector = Projector::new(camera, rect);
        for corner in [bounds.min, bounds.max] {
            assert!(rect.contains(projector.screen_from_world(corner)));
        }
    }
}
