//! The map widget: the background's input (drag to pan, scroll or pinch to zoom, double-click
//! to zoom in), then the layers in order.

use egui::{CursorIcon, Rect, Response, Sense, Ui};

use super::basemap::Detail;
use super::clusters::Moment;
use super::layers::{LAYERS, LayerFrame};
use super::marks::Marks;
use super::{MapCamera, MapFrame, MapPanel, Projector};
use crate::command::Command;
use crate::theme::MapColors;

/// Zoom factor per point of scrolling.
const SCROLL_ZOOM_RATE: f32 = 0.004;

/// Draws the map into the whole of `ui` and returns what the user asked for.
pub fn map_ui(ui: &mut Ui, panel: &mut MapPanel, view: &MapFrame<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    let rect = ui.max_rect();
    let camera = match view.camera {
        Some(camera) => camera,
        None => {
            let camera = panel.fit_camera(rect.size());
            commands.push(Command::SetCamera(camera));
            camera
        }
    };
    // The background takes drags and scrolls; markers added later take clicks first.
    let background = ui.allocate_rect(rect, Sense::click_and_drag());
    // Screen readers (and UI tests) find the map by its name.
    background.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Map: drag to pan, scroll to zoom")
    });
    let moved = camera_input_ui(ui, &background, camera, rect);
    if moved != camera {
        commands.push(Command::SetCamera(moved));
    }

    // This frame is drawn with the camera it started with; the move shows next frame.
    let projector = Projector::new(camera, rect);
    let moment = Moment {
        zoom: camera.zoom,
        playhead: view.playhead,
        window: view.window,
    };
    let data = &panel.data;
    panel
        .clusters
        .update(&projector, moment, &data.grid_sources(view));
    let marks = Marks::lay_out(data, &panel.clusters, view, &projector, rect);
    let frame = LayerFrame {
        rect,
        painter: ui.painter_at(rect),
        projector,
        visible: projector.visible_world(),
        detail: Detail::at_zoom(camera.zoom),
        colors: MapColors::for_visuals(ui.visuals()),
        basemap: &panel.basemap,
        data,
        clusters: &panel.clusters,
        view,
        marks: &marks,
    };
    for layer in LAYERS {
        layer.show_ui(ui, &frame, &mut commands);
    }
    commands
}

/// The camera after this frame's drag, scroll, pinch and double-click on the background.
fn camera_input_ui(ui: &Ui, background: &Response, camera: MapCamera, rect: Rect) -> MapCamera {
    let mut camera = camera;
    if background.dragged() {
        camera = camera.panned(background.drag_delta());
        ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
    }
    if background.contains_pointer() {
        let (scroll, pinch, pointer) = ui.input(|input| {
            (
                input.smooth_scroll_delta.y,
                input.zoom_delta(),
                input.pointer.hover_pos(),
            )
        });
        let factor = f64::from((scroll * SCROLL_ZOOM_RATE).exp() * pinch);
        if (factor - 1.0).abs() > 1e-4 {
            let anchor = pointer.unwrap_or(rect.center());
            camera = camera.zoomed_around(factor, anchor, rect);
        }
    }
    if background.double_clicked() {
        let anchor = background.interact_pointer_pos().unwrap_or(rect.center());
        camera = camera.zoomed_around(2.0, anchor, rect);
    }
    camera
}
