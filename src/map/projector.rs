//! World points to screen positions and back, for one camera and one screen rectangle.

use egui::{Pos2, Rect, pos2};

use crate::model::projection::{WorldBox, WorldPoint, scale_at_zoom};
use crate::state::MapCamera;

/// Turns world points into screen positions (and back) for one camera and one screen rectangle.
#[derive(Clone, Copy, Debug)]
pub struct Projector {
    camera: MapCamera,
    rect: Rect,
    /// Pixels per world unit.
    scale: f64,
}

impl Projector {
    /// The projector of `camera` showing the map in `rect`.
    pub fn new(camera: MapCamera, rect: Rect) -> Self {
        Self {
            camera,
            rect,
            scale: scale_at_zoom(camera.zoom),
        }
    }

    /// Where `world` is on screen.
    pub fn screen_from_world(&self, world: WorldPoint) -> Pos2 {
        let center = self.rect.center();
        pos2(
            center.x + ((world.x - self.camera.center.x) * self.scale) as f32,
            center.y + ((world.y - self.camera.center.y) * self.scale) as f32,
        )
    }

    /// The world point under `screen`.
    pub fn world_from_screen(&self, screen: Pos2) -> WorldPoint {
        let center = self.rect.center();
        self.camera.center.offset(
            f64::from(screen.x - center.x) / self.scale,
            f64::from(screen.y - center.y) / self.scale,
        )
    }

    /// The camera's zoom level.
    pub fn zoom(&self) -> f64 {
        self.camera.zoom
    }

    /// The world box visible on screen.
    pub fn visible_world(&self) -> WorldBox {
        WorldBox {
            min: self.world_from_screen(self.rect.min),
            max: self.world_from_screen(self.rect.max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LonLat;
    use egui::vec2;

    #[test]
    fn screen_and_world_round_trip() {
        let rect = Rect::from_min_size(pos2(10.0, 20.0), vec2(800.0, 600.0));
        let camera = MapCamera {
            center: WorldPoint::from_lon_lat(LonLat::new(37.6, 55.7)),
            zoom: 6.0,
        };
        let projector = Projector::new(camera, rect);
        let world = WorldPoint::from_lon_lat(LonLat::new(44.9, 43.3));
        let back = projector.world_from_screen(projector.screen_from_world(world));
        assert!((back.x - world.x).abs() < 1e-6 && (back.y - world.y).abs() < 1e-6);
        assert_eq!(projector.screen_from_world(camera.center), rect.center());
        let visible = projector.visible_world();
        assert!(visible.contains(camera.center) && !visible.contains(world));
        let size = visible.size();
        let pixels = scale_at_zoom(6.0);
        assert!((size.width * pixels - 800.0).abs() < 1e-3);
        assert!((size.height * pixels - 600.0).abs() < 1e-3);
    }
}
