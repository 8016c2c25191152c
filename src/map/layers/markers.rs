//! Event markers and clusters: drawn over the labels, and clickable. Hovering a marker shows
//! the event; clicking selects it. Clicking a cluster zooms in on it, or lists its events when
//! the map cannot zoom further.

use egui::{Align2, Color32, CursorIcon, FontId, Rect, Sense, Stroke, Ui, Vec2};

use super::{LayerFrame, MapLayer};
use crate::command::Command;
use crate::map::camera::MAX_ZOOM;
use crate::map::clusters::{COUNTED_CATEGORIES, DominantCategory, VisibleBin};
use crate::map::marks::{CATEGORY_RING, DateMark, PlacedMarker, cluster_radius, halo_radius};
use crate::model::{EventStatus, PlacePrecision};
use crate::state::MapCamera;
use crate::theme::{self, uncertainty, widgets::event_tooltip_ui};

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
    let emphasis = if selected {
        Some(Stroke::new(3.0, colors.selection))
    } else if hovered {
        Some(Stroke::new(2.5, colors.selection.gamma_multiply(0.8)))
    } else {
        None
    };
    let look = MarkerLook {
        date: marker.date,
        place: marker.place,
        ring: marker.region_only,
        color,
        outline: colors.marker_outline.gamma_multiply(alpha),
    };
    let radius = marker.radius
        + if selected && !marker.region_only {
            2.0
        } else {
            0.0
        };
    paint_marker(&frame.painter, marker.at, radius, &look);
    if let Some(stroke) = emphasis {
        let gap = if marker.region_only { 3.0 } else { 0.0 };
        frame.painter.circle_stroke(marker.at, radius + gap, stroke);
    }
}

/// What a marker shows: its date's and its place's certainty, drawn in `color`.
#[derive(Clone, Copy, Debug)]
pub struct MarkerLook {
    pub date: DateMark,
    pub place: PlacePrecision,
    /// Drawn as a ring: only the region is known.
    pub ring: bool,
    pub color: Color32,
    /// The thin outline of a solid marker, against the basemap.
    pub outline: Color32,
}

/// Paints a marker (for the map and its legend): a solid disc for a date known to the day, a
/// hollow one for a month, a year or a span, a dashed ring for an approximate or uncertain
/// date; a place known to the city gets a soft halo and a lighter fill, a place known to its
/// region is a ring.
pub fn paint_marker(painter: &egui::Painter, at: egui::Pos2, radius: f32, look: &MarkerLook) {
    let color = look.color;
    if look.ring {
        painter.circle_filled(at, radius, uncertainty::region_fill(color));
        ring(painter, at, radius, Stroke::new(3.0, color), look.date);
        return;
    }
    let solid = if look.place == PlacePrecision::City {
        // A blurred edge: two faint discs around a lighter one.
        painter.circle_filled(
            at,
            radius + 5.0,
            uncertainty::city_halo(color).gamma_multiply(0.6),
        );
        painter.circle_filled(at, radius + 2.5, uncertainty::city_halo(color));
        uncertainty::city_fill(color)
    } else {
        color
    };
    match look.date {
        DateMark::Solid => {
            let outline = if look.place == PlacePrecision::City {
                Stroke::NONE
            } else {
                Stroke::new(1.5, look.outline)
            };
            painter.circle(at, radius, solid, outline);
        }
        DateMark::Hollow | DateMark::Dashed => {
            painter.circle_filled(at, radius, uncertainty::hollow_fill(color));
            ring(
                painter,
                at,
                radius - 1.0,
                Stroke::new(2.0, color),
                look.date,
            );
        }
    }
}

/// A ring: solid, or dashed for an approximate or uncertain date.
fn ring(painter: &egui::Painter, at: egui::Pos2, radius: f32, stroke: Stroke, date: DateMark) {
    if date != DateMark::Dashed {
        painter.circle_stroke(at, radius, stroke);
        return;
    }
    // About eight dashes whatever the size, so that small markers still read as dashed.
    let steps = 48;
    let points: Vec<egui::Pos2> = (0..=steps)
        .map(|k| {
            let angle = std::f32::consts::TAU * k as f32 / steps as f32;
            at + egui::vec2(angle.cos(), angle.sin()) * radius
        })
        .collect();
    let circumference = std::f32::consts::TAU * radius;
    let dash = circumference / 8.0 * 0.55;
    let gap = circumference / 8.0 - dash;
    painter.extend(egui::Shape::dashed_line(&points, stroke, dash, gap));
}

/// A cluster: the events in the time window as a disc coloured by their most frequent
/// category, with their number; a ring around it split by category; the earlier events as a
/// faint halo (their number is in the tooltip).
fn draw_cluster(frame: &LayerFrame<'_>, cluster: &VisibleBin) {
    let colors = &frame.colors;
    let dataset = frame.view.dataset;
    let painter = &frame.painter;
    let bin = &cluster.bin;
    let radius = cluster_radius(cluster);
    if bin.past > 0 {
        let halo = halo_radius(cluster);
        painter.circle(
            cluster.at,
            halo,
            colors.earlier.gamma_multiply(0.18),
            Stroke::new(1.0, colors.earlier.gamma_multiply(0.45)),
        );
    }
    if bin.current == 0 {
        painter.circle_filled(cluster.at, radius, colors.earlier.gamma_multiply(0.45));
        return;
    }
    let color = match bin.dominant_category() {
        Some(DominantCategory::Category(index)) => theme::category_color(dataset, Some(index)),
        Some(DominantCategory::OtherCategories) => colors.other_categories,
        Some(DominantCategory::Uncategorised) | None => theme::category_color(dataset, None),
    };
    category_ring(frame, cluster, radius + CATEGORY_RING / 2.0);
    painter.circle(
        cluster.at,
        radius,
        color.gamma_multiply(0.92),
        Stroke::new(1.0, colors.marker_outline),
    );
    painter.text(
        cluster.at,
        Align2::CENTER_CENTER,
        short_count(bin.current),
        FontId::proportional(11.0),
        colors.cluster_text,
    );
}

/// "951", "1.2k", "34k".
fn short_count(count: u32) -> String {
    if count >= 10_000 {
        format!("{}k", count / 1000)
    } else if count >= 1000 {
        format!("{:.1}k", f64::from(count) / 1000.0)
    } else {
        count.to_string()
    }
}

/// The ring around a cluster's disc, one arc per category in proportion to its events in the
/// time window (clockwise from the top, in the categories' order).
fn category_ring(frame: &LayerFrame<'_>, cluster: &VisibleBin, radius: f32) {
    let bin = &cluster.bin;
    let total: u32 = bin.categories.iter().sum();
    if total == 0 {
        return;
    }
    let mut angle = -std::f32::consts::FRAC_PI_2;
    for (slot, &count) in bin.categories.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let sweep = std::f32::consts::TAU * count as f32 / total as f32;
        let color = slot_color(frame, slot);
        // About one point per 4 degrees, at least two.
        let steps = ((sweep / 0.07).ceil() as usize).max(2);
        let points: Vec<egui::Pos2> = (0..=steps)
            .map(|k| {
                let a = angle + sweep * k as f32 / steps as f32;
                cluster.at + egui::vec2(a.cos(), a.sin()) * radius
            })
            .collect();
        frame
            .painter
            .add(egui::Shape::line(points, Stroke::new(CATEGORY_RING, color)));
        angle += sweep;
    }
}

/// The colour of a cluster's category slot.
fn slot_color(frame: &LayerFrame<'_>, slot: usize) -> egui::Color32 {
    let dataset = frame.view.dataset;
    match slot {
        s if s < COUNTED_CATEGORIES => theme::category_color(dataset, Some(s)),
        s if s == COUNTED_CATEGORIES => frame.colors.other_categories,
        _ => theme::category_color(dataset, None),
    }
}

/// The cluster as a button: its tooltip, and what a click asks for.
fn cluster_ui(
    ui: &mut Ui,
    frame: &LayerFrame<'_>,
    cluster: &VisibleBin,
    commands: &mut Vec<Command>,
) {
    let bin = &cluster.bin;
    let hit = Rect::from_center_size(cluster.at, Vec2::splat(halo_radius(cluster) * 2.0));
    let id = ui.make_persistent_id(("event-cluster", cluster.cell));
    let response = ui.interact(hit, id, Sense::click());
    let label = format!(
        "Cluster of {} events: {} in the time window, {} earlier",
        bin.total(),
        bin.current,
        bin.past
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let zoom = frame.zoom();
    let zoom_more = zoom < MAX_ZOOM - 1.0;
    let response = response
        .on_hover_cursor(CursorIcon::ZoomIn)
        .on_hover_ui(|ui| {
            ui.label(egui::RichText::new(format!("{} in the time window", bin.current)).strong());
            ui.label(format!("{} earlier (the faint halo)", bin.past));
            category_breakdown_ui(ui, frame, bin);
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

/// A cluster's events in the time window by category, the most first.
fn category_breakdown_ui(ui: &mut Ui, frame: &LayerFrame<'_>, bin: &crate::map::clusters::Bin) {
    let mut slots: Vec<(usize, u32)> = bin
        .categories
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, count)| count > 0)
        .collect();
    slots.sort_by_key(|&(slot, count)| (std::cmp::Reverse(count), slot));
    let dataset = frame.view.dataset;
    for (slot, count) in slots.into_iter().take(6) {
        let label = match slot {
            s if s < COUNTED_CATEGORIES => theme::category_label(dataset, Some(s)),
            s if s == COUNTED_CATEGORIES => "Other categories",
            _ => "Uncategorised",
        };
        ui.horizontal(|ui| {
            let (dot, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
            ui.painter()
                .circle_filled(dot.center(), 4.5, slot_color(frame, slot));
            ui.label(format!("{label}: {count}"));
        });
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
