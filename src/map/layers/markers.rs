//! Event markers and clusters: drawn over the labels, and clickable. Hovering a marker shows
//! the event; clicking selects it. Clicking a cluster zooms in on it, or lists its events when
//! the map cannot zoom further.

use egui::{Align2, CursorIcon, FontId, Rect, Sense, Stroke, Ui, Vec2};

use super::{LayerFrame, MapLayer};
use crate::command::Command;
use crate::map::camera::MAX_ZOOM;
use crate::map::clusters::{DominantCategory, VisibleBin};
use crate::map::marks::{PlacedMarker, cluster_radius};
use crate::model::EventStatus;
use crate::state::MapCamera;
use crate::theme::{self, widgets::event_tooltip_ui};

/// Clicking a cluster zooms in this many levels.
const CLUSTER_ZOOM_STEP: f64 = 2.0;

/// Markers and clusters of the events shown.
pub struct Markers;

impl MapLayer for Markers {
    fn show_ui(&self, ui: &mut Ui, frame: &LayerFrame<'_>, commands: &mut Vec<Command>) {
        let marks = frame.marks;
        for marker in &marks.markers {
            draw_marker(frame, marker);
        }
        // Clusters first: markers, added later, take the clicks where both are.
        for cluster in &marks.clusters {
            draw_cluster(frame, cluster);
            cluster_ui(ui, frame, cluster, commands);
        }
        for marker in &marks.markers {
            marker_ui(ui, frame, marker, commands);
        }
        if frame.data.bounds.is_empty() {
            no_place_hint(frame);
        }
    }
}

/// Says why the map is empty, on a plate so that it reads over the basemap's labels.
fn no_place_hint(frame: &LayerFrame<'_>) {
    let galley = frame.painter.layout_no_wrap(
        "No event in this dataset has a place; see the timeline.".to_owned(),
        FontId::proportional(16.0),
        frame.colors.label,
    );
    let text = Align2::CENTER_CENTER.anchor_size(frame.rect.center(), galley.size());
    frame
        .painter
        .rect_filled(text.expand2(egui::vec2(12.0, 8.0)), 6.0, frame.colors.halo);
    frame.painter.galley(text.min, galley, frame.colors.label);
}

fn draw_marker(frame: &LayerFrame<'_>, marker: &PlacedMarker) {
    let view = frame.view;
    let colors = &frame.colors;
    let category = view
        .dataset
        .events
        .get(marker.index)
        .and_then(|e| e.category);
    let faded = marker.status == EventStatus::Past;
    let alpha = if faded { 0.35 } else { 1.0 };
    let color = theme::category_color(view.dataset, category).gamma_multiply(alpha);
    let selected = view.selected == Some(marker.index);
    let hovered = view.hovered == Some(marker.index);
    let outline = if selected {
        Stroke::new(3.0, colors.selection)
    } else if hovered {
        Stroke::new(2.5, colors.selection.gamma_multiply(0.8))
    } else {
        Stroke::new(1.5, colors.marker_outline.gamma_multiply(alpha))
    };
    let painter = &frame.painter;
    if marker.region_only {
        let ring = Stroke::new(3.0, color);
        painter.circle(marker.at, marker.radius, color.gamma_multiply(0.25), ring);
        if selected || hovered {
            painter.circle_stroke(marker.at, marker.radius + 3.0, outline);
        }
    } else {
        let radius = marker.radius + if selected { 2.0 } else { 0.0 };
        painter.circle(marker.at, radius, color, outline);
    }
}

fn draw_cluster(frame: &LayerFrame<'_>, cluster: &VisibleBin) {
    let colors = &frame.colors;
    let dataset = frame.view.dataset;
    // Colour of the most frequent category in the window; grey when all are earlier.
    let (color, alpha) = match cluster.bin.dominant_category() {
        Some(DominantCategory::Category(index)) => {
            (theme::category_color(dataset, Some(index)), 0.9)
        }
        Some(DominantCategory::Uncategorised) => (theme::category_color(dataset, None), 0.9),
        Some(DominantCategory::OtherCategories) => (colors.other_categories, 0.9),
        None => (colors.earlier, 0.4),
    };
    let outline = Stroke::new(2.0, colors.marker_outline.gamma_multiply(alpha));
    let painter = &frame.painter;
    painter.circle(
        cluster.at,
        cluster_radius(cluster),
        color.gamma_multiply(alpha),
        outline,
    );
    let count = cluster.bin.total();
    let text = if count >= 10_000 {
        format!("{}k", count / 1000)
    } else if count >= 1000 {
        format!("{:.1}k", f64::from(count) / 1000.0)
    } else {
        count.to_string()
    };
    let font = FontId::proportional(11.0);
    painter.text(
        cluster.at,
        Align2::CENTER_CENTER,
        text,
        font,
        colors.cluster_text,
    );
}

/// The cluster as a button: its tooltip, and what a click asks for.
fn cluster_ui(
    ui: &mut Ui,
    frame: &LayerFrame<'_>,
    cluster: &VisibleBin,
    commands: &mut Vec<Command>,
) {
    let bin = &cluster.bin;
    let hit = Rect::from_center_size(cluster.at, Vec2::splat(cluster_radius(cluster) * 2.0));
    let id = ui.make_persistent_id(("event-cluster", cluster.cell));
    let response = ui.interact(hit, id, Sense::click());
    let label = format!("Cluster of {} events", bin.total());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let zoom = frame.zoom();
    let zoom_more = zoom < MAX_ZOOM - 1.0;
    let response = response
        .on_hover_cursor(CursorIcon::ZoomIn)
        .on_hover_ui(|ui| {
            ui.label(egui::RichText::new(format!("{} events here", bin.total())).strong());
            ui.label(format!(
                "{} in the time window, {} earlier",
                bin.current, bin.past
            ));
            ui.weak(if zoom_more {
                "Click to zoom in"
            } else {
                "Click to list them"
            });
        });
    if !response.clicked() {
        return;
    }
    if zoom_more {
        commands.push(Command::SetCamera(MapCamera {
            center: bin.centroid(),
            zoom: (zoom + CLUSTER_ZOOM_STEP).min(MAX_ZOOM),
        }));
    } else {
        let sources = frame.data.grid_sources(frame.view);
        let events = frame.clusters.events_in(cluster.cell, &sources);
        commands.push(Command::ListEvents(
            events.into_iter().map(|i| i as usize).collect(),
        ));
    }
}

/// The marker as a button: hovering shows the event, clicking selects it.
fn marker_ui(
    ui: &mut Ui,
    frame: &LayerFrame<'_>,
    marker: &PlacedMarker,
    commands: &mut Vec<Command>,
) {
    let dataset = frame.view.dataset;
    let Some(event) = dataset.events.get(marker.index) else {
        return;
    };
    let hit = Rect::from_center_size(marker.at, Vec2::splat((marker.radius + 3.0) * 2.0));
    let id = ui.make_persistent_id(("event-marker", marker.index));
    let response = ui.interact(hit, id, Sense::click());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, event.title()));
    if response.hovered() {
        commands.push(Command::Hover(Some(marker.index)));
    }
    let response = response
        .on_hover_cursor(CursorIcon::PointingHand)
        .on_hover_ui(|ui| event_tooltip_ui(ui, dataset, marker.index));
    if response.clicked() {
        commands.push(Command::Select(Some(marker.index)));
    }
}
