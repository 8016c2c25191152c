//! Basemap geometry on screen, shared by the layers that fill and stroke areas and lines.

use egui::{Color32, Mesh, Pos2, Shape, Stroke, epaint::Vertex};

use super::LayerFrame;
use crate::map::basemap::Area;
use crate::model::projection::WorldPoint;

/// Fills the visible `areas` with the colour `fill` gives each, as one mesh.
pub fn fill_areas<'a>(
    frame: &LayerFrame<'_>,
    areas: impl IntoIterator<Item = &'a Area>,
    fill: impl Fn(&Area) -> Color32,
) {
    let mut mesh = Mesh::default();
    for area in areas {
        if !area.bounds.intersects(&frame.visible) {
            continue;
        }
        let color = fill(area);
        let outline = area.outline(frame.zoom());
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
    if !mesh.is_empty() {
        frame.painter.add(Shape::mesh(mesh));
    }
}

/// Strokes the outline of `area` (if visible), solid or dashed.
pub fn stroke_outline(frame: &LayerFrame<'_>, area: &Area, stroke: Stroke, dashed: bool) {
    if !area.bounds.intersects(&frame.visible) {
        return;
    }
    for ring in &area.outline(frame.zoom()).rings {
        let points = screen_path(frame, ring);
        if points.len() < 2 {
            continue;
        }
        if dashed {
            frame
                .painter
                .extend(Shape::dashed_line(&points, stroke, 5.0, 4.0));
        } else {
            frame.painter.add(Shape::line(points, stroke));
        }
    }
}

/// Line points on screen, dropping points closer than 1.5 pixels to the last one kept (the
/// stroke tessellation is a large part of a frame).
pub fn screen_path(frame: &LayerFrame<'_>, line: &[WorldPoint]) -> Vec<Pos2> {
    let mut points: Vec<Pos2> = Vec::with_capacity(line.len() / 2);
    for &world in line {
        let point = frame.projector.screen_from_world(world);
        if points
            .last()
            .is_none_or(|last| last.distance_sq(point) > 2.25)
        {
            points.push(point);
        }
    }
    points
}
