//! The outlines of events that are lines or areas (a GeoJSON LineString or Polygon, a KML
//! track): drawn under the markers in the event's category colour, with a light fill for areas,
//! faded like past markers, the selected or hovered one highlighted. Future events are not
//! drawn, as their markers are not.

use egui::{Mesh, Shape, Stroke, Ui, epaint::Vertex};

use super::shapes::screen_path;
use super::{LayerFrame, MapLayer};
use crate::command::Command;
use crate::map::data::EventOutline;
use crate::model::EventStatus;
use crate::theme;

/// Outlines of the events shown.
pub struct EventShapes;

impl MapLayer for EventShapes {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        let view = frame.view;
        let mut fill = Mesh::default();
        let mut strokes = Vec::new();
        for outline in &frame.data.outlines {
            if !outline.bounds.intersects(&frame.visible) || !view.matches.contains(outline.event) {
                continue;
            }
            let Some(event) = view.dataset.events.get(outline.event) else {
                continue;
            };
            let status = event.status(view.playhead, view.window);
            if status == EventStatus::Future {
                continue;
            }
            let alpha = if status == EventStatus::Past {
                0.35
            } else {
                1.0
            };
            let color = theme::category_color(view.dataset, event.category);
            let highlighted = [view.selected, view.hovered].contains(&Some(outline.event));
            let fill_alpha = if highlighted { 0.35 } else { 0.15 * alpha };
            add_fill(&mut fill, frame, outline, color.gamma_multiply(fill_alpha));
            let stroke = if view.selected == Some(outline.event) {
                Stroke::new(3.0, frame.colors.selection)
            } else if highlighted {
                Stroke::new(2.5, color)
            } else {
                Stroke::new(1.5, color.gamma_multiply(alpha))
            };
            for line in &outline.lines {
                let points = screen_path(frame, line);
                if points.len() >= 2 {
                    strokes.push(Shape::line(points, stroke));
                }
            }
        }
        // Every fill under every outline, in one mesh.
        if !fill.is_empty() {
            frame.painter.add(Shape::mesh(fill));
        }
        frame.painter.extend(strokes);
    }
}

/// Adds an outline's triangles to `mesh` in `color`.
fn add_fill(mesh: &mut Mesh, frame: &LayerFrame<'_>, outline: &EventOutline, color: egui::Color32) {
    if outline.indices.is_empty() {
        return;
    }
    let base = mesh.vertices.len() as u32;
    mesh.vertices
        .extend(outline.vertices.iter().map(|&world| Vertex {
            pos: frame.projector.screen_from_world(world),
            uv: egui::epaint::WHITE_UV,
            color,
        }));
    mesh.indices
        .extend(outline.indices.iter().map(|&i| base + i));
}
