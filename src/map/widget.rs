//! The map widget: the background's input (drag to pan, scroll or pinch to zoom, double-click
//! to zoom in), then the layers in order.

use egui::{CursorIcon, Rect, Response, Sense, Ui};

use super::basemap::Detail;
use super::basemap::RegionLocator;
use super::clusters::Moment;
use super::layers::choropleth::{ChoroplethFrame, MapPointer, RegionCounts, choropleth_ui};
use super::layers::density::{DensityBins, DensityInput, ShownEvents, WindowAt, density_ui};
use super::layers::{BASE_LAYERS, LAYERS, LayerFrame};
use super::marks::Marks;
use super::{MapCamera, MapFrame, MapPanel, Projector};
use crate::command::Command;
use crate::model::filter::Filter;
use crate::state::MapMode;
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
    let marks = if view.mode == MapMode::Markers {
        panel
            .clusters
            .update(&projector, moment, &data.grid_sources(view));
        Marks::lay_out(data, &panel.clusters, view, &projector, rect)
    } else {
        Marks::default()
    };
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
    for layer in BASE_LAYERS {
        layer.show_ui(ui, &frame, &mut commands);
    }
    let pointer = MapPointer {
        hover: background.hover_pos(),
        clicked: background.clicked(),
    };
    let state = DataLayerState {
        density: &mut panel.density,
        region_counts: &mut panel.region_counts,
        locator: &panel.locator,
    };
    data_layer_ui(ui, &frame, state, pointer, &mut commands);
    for layer in LAYERS {
        layer.show_ui(ui, &frame, &mut commands);
    }
    commands
}

/// What the density and regions maps keep between frames.
struct DataLayerState<'a> {
    density: &'a mut DensityBins,
    region_counts: &'a mut RegionCounts,
    locator: &'a RegionLocator,
}

/// The density or the regions map, over the basemap and under the borders and labels (nothing
/// in the markers mode, whose marks are layers of their own).
fn data_layer_ui(
    ui: &mut Ui,
    frame: &LayerFrame<'_>,
    state: DataLayerState<'_>,
    pointer: MapPointer,
    commands: &mut Vec<Command>,
) {
    let (view, data) = (frame.view, frame.data);
    let shown = ShownEvents {
        matches: view.matches,
        time: &view.dataset.time_index,
        at: WindowAt {
            playhead: view.playhead,
            window: view.window,
        },
    };
    match view.mode {
        MapMode::Markers => {}
        MapMode::Density => {
            let input = DensityInput {
                world: &data.columns.world,
                shown,
            };
            let (painter, projector) = (&frame.painter, &frame.projector);
            density_ui(ui, painter, projector, state.density, &input, pointer.hover);
        }
        MapMode::Regions => {
            let basemap = frame.basemap;
            let counts =
                state
                    .region_counts
                    .update(&data.basemap_regions, basemap.regions.len(), &shown);
            let choropleth = ChoroplethFrame {
                painter: &frame.painter,
                projector: &frame.projector,
                basemap,
                locator: state.locator,
                counts,
                pointer,
                legend_title: "Events in the window",
            };
            let response = choropleth_ui(ui, &choropleth);
            if let Some(region) = response.clicked.and_then(|r| basemap.regions.get(r)) {
                commands.push(Command::SetFilter(filter_to_region(
                    view.filter,
                    &region.code,
                )));
            }
        }
    }
}

/// The filter with `code` added to its regions (a region clicked on the regions map), or taken
/// out when it is there already.
fn filter_to_region(filter: &Filter, code: &str) -> Filter {
    Filter {
        regions: Filter::toggled(&filter.regions, &code.to_owned()),
        ..filter.clone()
    }
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
