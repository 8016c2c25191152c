//! Basemap geometry on screen, shared by the layers that fill and stroke areas and lines. Only
//! the chunks and runs whose bounds are in view are projected.

use egui::{Color32, Mesh, Pos2, Shape, Stroke, epaint::Vertex};

use super::LayerFrame;
use crate::map::basemap::pack::FixedPoint;
use crate::map::basemap::{Area, Lines};
use crate::model::projection::{WorldPoint, scale_at_zoom};

/// Points closer than this (squared, in points) to the last one kept are dropped: the stroke
/// tessellation is a large part of a frame.
const MIN_STEP_SQUARED: f32 = 2.25;
/// A line smaller than this on screen (in points) is not stroked.
const MIN_LINE_SPAN: f64 = 2.0;

/// The larger side of `area`'s largest part on screen, in points.
pub fn screen_span(frame: &LayerFrame<'_>, area: &Area) -> f64 {
    let size = area.main_bounds.size();
    size.width.max(size.height) * scale_at_zoom(frame.zoom())
}

/// Fills the visible parts of `areas` with the colour `fill` gives each, as one mesh.
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
        let outline = area.outline_at(frame.detail);
        for chunk in &outline.fill.chunks {
            if !chunk.bounds.intersects(&frame.visible) {
                continue;
            }
            let (points, corners) = outline.fill.chunk(chunk);
            let base = mesh.vertices.len() as u32;
            mesh.vertices.extend(points.iter().map(|point| Vertex {
                pos: frame.projector.screen_from_world(point.world()),
                uv: egui::epaint::WHITE_UV,
                color,
            }));
            mesh.indices
                .extend(corners.iter().map(|&i| base + u32::from(i)));
        }
    }
    if !mesh.is_empty() {
        frame.painter.add(Shape::mesh(mesh));
    }
}

/// Strokes the outline of `area` (if visible), solid or dashed.
pub fn stroke_outline(frame: &LayerFrame<'_>, area: &Area, stroke: Stroke, dashed: bool) {
    if area.bounds.intersects(&frame.visible) {
        stroke_lines(frame, &area.outline_at(frame.detail).border, stroke, dashed);
    }
}

/// Strokes the runs of `lines` that are in view, joining runs that go on from each other;
/// a line that is a dot on screen (an islet zoomed out) is left to its fill.
pub fn stroke_lines(frame: &LayerFrame<'_>, lines: &Lines, stroke: Stroke, dashed: bool) {
    let mut path: Vec<Pos2> = Vec::new();
    let scale = scale_at_zoom(frame.zoom());
    let runs = &lines.runs;
    for (n, run) in runs.iter().enumerate() {
        if !run.bounds.intersects(&frame.visible) {
            finish_path(frame, &mut path, stroke, dashed);
            continue;
        }
        let size = run.bounds.size();
        let whole_line = !run.continues && !runs.get(n + 1).is_some_and(|next| next.continues);
        if whole_line && size.width.max(size.height) * scale < MIN_LINE_SPAN {
            finish_path(frame, &mut path, stroke, dashed);
            continue;
        }
        if !run.continues {
            finish_path(frame, &mut path, stroke, dashed);
        }
        extend_screen_path(frame, &mut path, lines.run(run));
    }
    finish_path(frame, &mut path, stroke, dashed);
}

fn finish_path(frame: &LayerFrame<'_>, path: &mut Vec<Pos2>, stroke: Stroke, dashed: bool) {
    if path.len() < 2 {
        path.clear();
        return;
    }
    let points = std::mem::take(path);
    if dashed {
        frame
            .painter
            .extend(Shape::dashed_line(&points, stroke, 5.0, 4.0));
    } else {
        frame.painter.add(Shape::line(points, stroke));
    }
}

/// Adds a line's points on screen to `path`, dropping points too close to the last one kept.
fn extend_screen_path(frame: &LayerFrame<'_>, path: &mut Vec<Pos2>, line: &[FixedPoint]) {
    path.reserve(line.len() / 2);
    for fixed in line {
        let point = frame.projector.screen_from_world(fixed.world());
        if path
            .last()
            .is_none_or(|last| last.distance_sq(point) > MIN_STEP_SQUARED)
        {
            path.push(point);
        }
    }
}

/// A line in world coordinates on screen, leaving out points within 1.5 px of the one before.
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
