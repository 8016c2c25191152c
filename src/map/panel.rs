//! The map panel: basemap, event markers, labels and map controls. Returns commands.

use std::collections::BTreeSet;
use std::sync::Arc;

use egui::{
    Align2, Color32, CornerRadius, CursorIcon, FontId, Mesh, Pos2, Rect, Sense, Shape, Stroke,
    StrokeKind, Ui, UiBuilder, Vec2, epaint::Vertex, pos2, vec2,
};

use super::basemap::Area;
use super::clusters::{Bin, CATEGORY_SLOTS, ClusterGrid, EventColumns, Moment};
use super::{Basemap, MapCamera, MarkerAnchor, Projector, anchors_bounds, marker_anchors};
use crate::command::Command;
use crate::model::index::SpatialIndex;
use crate::model::projection::WorldBox;
use crate::model::{Dataset, EventIndex, EventStatus};
use crate::theme as style;

/// The map: the basemap, the open dataset's map data, and the clusters drawn from them.
pub struct MapPanel {
    pub basemap: Arc<Basemap>,
    pub data: MapData,
    /// Cached bins of what is shown; updated each frame at the cost of what changed.
    pub clusters: ClusterGrid,
}

/// At most this many markers are drawn one by one; beyond, cells with several events become
/// clusters.
pub const DETAIL_LIMIT: u64 = 1500;

/// What the map needs of one dataset: where each event goes, and the indexes. Built at load,
/// on the loading thread for big files.
pub struct MapData {
    pub anchors: Vec<Option<MarkerAnchor>>,
    /// Regions the dataset's events are in, drawn emphasised.
    pub story_regions: BTreeSet<String>,
    /// Positions and category slots by event, for the indexes and the clusters.
    pub columns: EventColumns,
    pub spatial: SpatialIndex,
    /// `placed_before[i]`: how many of the first `i` events (in time order) have a place.
    placed_before: Vec<u32>,
}

impl MapData {
    pub fn new(basemap: &Basemap, dataset: &Dataset) -> Self {
        let anchors = marker_anchors(dataset, basemap);
        let codes: BTreeSet<&str> = dataset
            .events
            .iter()
            .filter_map(|event| event.location.region_code())
            .collect();
        let story_regions = codes
            .into_iter()
            .filter(|code| basemap.region(code).is_some())
            .map(str::to_owned)
            .collect();
        let columns = EventColumns {
            world: anchors
                .iter()
                .map(|anchor| {
                    anchor.as_ref().map(|a| {
                        let [x, y] = a.world();
                        [x as f32, y as f32]
                    })
                })
                .collect(),
            category_slot: dataset
                .events
                .iter()
                .map(|e| {
                    e.category
                        .map_or(CATEGORY_SLOTS - 1, |c| c.min(CATEGORY_SLOTS - 1))
                        as u8
                })
                .collect(),
        };
        let starts: Vec<i64> = dataset.events.iter().map(|e| e.span.start).collect();
        let spatial = SpatialIndex::new(&columns.world, &starts);
        let placed_before = std::iter::once(0)
            .chain(anchors.iter().scan(0u32, |count, anchor| {
                *count += u32::from(anchor.is_some());
                Some(*count)
            }))
            .collect();
        Self {
            anchors,
            story_regions,
            columns,
            spatial,
            placed_before,
        }
    }
}

impl MapPanel {
    pub fn new(basemap: Basemap, dataset: &Dataset) -> Self {
        let data = MapData::new(&basemap, dataset);
        Self {
            basemap: Arc::new(basemap),
            data,
            clusters: ClusterGrid::default(),
        }
    }

    /// Takes the map data of a new dataset (built with [`MapData::new`]).
    pub fn install(&mut self, data: MapData) {
        self.data = data;
        self.clusters.invalidate();
    }

    /// How many events with a place have started by `playhead` (all of them are on the map,
    /// in full or faded).
    pub fn shown_count(&self, dataset: &Dataset, playhead: i64) -> usize {
        let started = dataset.time_index.started_by(playhead);
        self.data.placed_before.get(started).copied().unwrap_or(0) as usize
    }

    /// The camera that frames every event with a place.
    pub fn fit_camera(&self, size: Vec2) -> MapCamera {
        let bounds = anchors_bounds(&self.data.anchors);
        if bounds.is_empty() {
            MapCamera::default()
        } else {
            MapCamera::fit(bounds, size)
        }
    }
}

/// What the map shows this frame besides the data.
pub struct MapFrame<'a> {
    pub dataset: &'a Dataset,
    pub camera: Option<MapCamera>,
    pub playhead: i64,
    pub window: i64,
    pub selected: Option<EventIndex>,
    pub hovered: Option<EventIndex>,
}

const MARKER_RADIUS: f32 = 7.0;
const REGION_RING_RADIUS: f32 = 12.0;

/// Draws the map into the whole of `ui` and returns what the user asked for.
pub fn map_ui(ui: &mut Ui, panel: &mut MapPanel, frame: &MapFrame<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    let rect = ui.max_rect();
    let camera = match frame.camera {
        Some(camera) => camera,
        None => {
            let camera = panel.fit_camera(rect.size());
            commands.push(Command::SetCamera(camera));
            camera
        }
    };

    // The background takes drags and scrolls; markers added later take clicks first.
    let background = ui.allocate_rect(rect, Sense::click_and_drag());
    let mut camera_after = camera;
    if background.dragged() {
        camera_after = camera_after.panned(background.drag_delta());
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
        let factor = f64::from((scroll * 0.004).exp() * pinch);
        if (factor - 1.0).abs() > 1e-4 {
            let anchor = pointer.unwrap_or(rect.center());
            camera_after = camera_after.zoomed_around(factor, anchor, rect);
        }
    }
    if background.double_clicked() {
        let anchor = background.interact_pointer_pos().unwrap_or(rect.center());
        camera_after = camera_after.zoomed_around(2.0, anchor, rect);
    }
    if camera_after != camera {
        commands.push(Command::SetCamera(camera_after));
    }

    let projector = Projector::new(camera, rect);
    let painter = ui.painter_at(rect);
    let visible = projector.visible_world();
    let visuals = style::MapColors::new(ui.visuals().dark_mode);

    painter.rect_filled(rect, CornerRadius::ZERO, visuals.sea);
    draw_areas(
        &painter,
        &projector,
        &visible,
        &panel.basemap.countries,
        camera.zoom,
        |area| {
            if area.disputed {
                visuals.disputed
            } else {
                visuals.land
            }
        },
    );
    let highlighted_region = [frame.selected, frame.hovered]
        .into_iter()
        .flatten()
        .filter_map(|index| frame.dataset.events.get(index))
        .filter_map(|event| event.location.region_code())
        .collect::<Vec<_>>();
    draw_areas(
        &painter,
        &projector,
        &visible,
        &panel.basemap.regions,
        camera.zoom,
        |area| {
            if highlighted_region.contains(&area.code.as_str()) {
                visuals.region_selected
            } else if panel.data.story_regions.contains(&area.code) {
                visuals.story_region
            } else if area.disputed {
                visuals.disputed
            } else {
                visuals.land
            }
        },
    );
    draw_rivers(
        &painter,
        &projector,
        &visible,
        &panel.basemap,
        camera.zoom,
        &visuals,
    );
    // Region borders of the whole of European Russia are noise when zoomed far out.
    for area in panel.basemap.regions.iter().filter(|_| camera.zoom >= 3.5) {
        if area.bounds.intersects(&visible) && !area.disputed {
            draw_outline(
                &painter,
                &projector,
                area,
                Stroke::new(0.6, visuals.region_border),
                false,
            );
        }
    }
    for area in &panel.basemap.countries {
        if area.bounds.intersects(&visible) {
            let stroke = Stroke::new(1.2, visuals.country_border);
            draw_outline(&painter, &projector, area, stroke, area.disputed);
        }
    }
    for area in &panel.basemap.regions {
        if panel.data.story_regions.contains(&area.code) && area.bounds.intersects(&visible) {
            draw_outline(
                &painter,
                &projector,
                area,
                Stroke::new(2.0, visuals.story_border),
                false,
            );
        }
    }

    panel.clusters.update(
        &projector,
        Moment {
            zoom: camera.zoom,
            playhead: frame.playhead,
            window: frame.window,
        },
        &panel.data.columns,
        &frame.dataset.time_index,
        &panel.data.spatial,
    );
    let bins = panel.clusters.visible_bins(&projector, rect);
    let shown: u64 = bins.iter().map(|(_, _, bin)| u64::from(bin.total())).sum();
    let panel = &*panel;
    // Few events: each gets its marker. Many: one shape per cell (a marker or a cluster).
    let (detailed, clusters): (Vec<EventIndex>, Vec<(usize, Pos2, Bin)>) = if shown <= DETAIL_LIMIT
    {
        let mut indices = Vec::new();
        let visible = projector.visible_world();
        panel
            .data
            .spatial
            .for_each_started(visible.min, visible.max, frame.playhead, |i| {
                indices.push(i as usize)
            });
        indices.sort_unstable();
        (indices, Vec::new())
    } else {
        let mut singles = Vec::new();
        let mut groups = Vec::new();
        for (cell, at, bin) in bins {
            match bin.single() {
                Some((index, _)) => singles.push(index as usize),
                None => groups.push((cell, at, bin)),
            }
        }
        (singles, groups)
    };

    // Labels go where nothing else is; markers are placed first so labels avoid them.
    let mut occupied: Vec<Rect> = Vec::new();
    let markers = layout_markers(panel, frame, &projector, &detailed);
    for (_, at, bin) in &clusters {
        occupied.push(Rect::from_center_size(
            *at,
            Vec2::splat(cluster_radius(bin) * 2.0 + 4.0),
        ));
    }
    for marker in &markers {
        occupied.push(Rect::from_center_size(
            marker.at,
            Vec2::splat(marker.radius * 2.0 + 4.0),
        ));
    }
    draw_labels(
        &painter,
        &projector,
        panel,
        camera.zoom,
        &visuals,
        &mut occupied,
    );

    let emphasis = ui.visuals().strong_text_color();
    for marker in &markers {
        draw_marker(&painter, frame, marker, emphasis);
    }
    for (cell, at, bin) in &clusters {
        draw_cluster(&painter, frame, *at, bin);
        let radius = cluster_radius(bin);
        let hit = Rect::from_center_size(*at, Vec2::splat(radius * 2.0));
        let response = ui.interact(
            hit,
            ui.make_persistent_id(("event-cluster", *cell)),
            Sense::click(),
        );
        let label = format!("Cluster of {} events", bin.total());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        let zoom_more = camera.zoom < super::MAX_ZOOM - 1.0;
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
        if response.clicked() {
            if zoom_more {
                commands.push(Command::SetCamera(MapCamera {
                    center: bin.centroid(),
                    zoom: (camera.zoom + 2.0).min(super::MAX_ZOOM),
                }));
            } else {
                let events = panel.clusters.events_in(
                    *cell,
                    &panel.data.columns,
                    &frame.dataset.time_index,
                    &panel.data.spatial,
                );
                commands.push(Command::ListEvents(
                    events.into_iter().map(|i| i as usize).collect(),
                ));
            }
        }
    }
    for marker in &markers {
        let Some(event) = frame.dataset.events.get(marker.index) else {
            continue;
        };
        let hit = Rect::from_center_size(marker.at, Vec2::splat((marker.radius + 3.0) * 2.0));
        let response = ui.interact(
            hit,
            ui.make_persistent_id(("event-marker", marker.index)),
            Sense::click(),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, event.title()));
        if response.hovered() {
            commands.push(Command::Hover(Some(marker.index)));
        }
        let response = response
            .on_hover_cursor(CursorIcon::PointingHand)
            .on_hover_ui(|ui| {
                crate::theme::widgets::event_tooltip(ui, frame.dataset, marker.index)
            });
        if response.clicked() {
            commands.push(Command::Select(Some(marker.index)));
        }
    }

    if panel.data.anchors.iter().all(Option::is_none) {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            "No event in this dataset has a place; see the timeline.",
            FontId::proportional(16.0),
            visuals.label,
        );
    }
    overlay_controls(ui, rect, frame, &mut commands);
    commands
}

/// One marker to draw this frame.
struct PlacedMarker {
    index: EventIndex,
    at: Pos2,
    radius: f32,
    status: EventStatus,
    region_only: bool,
}

fn layout_markers(
    panel: &MapPanel,
    frame: &MapFrame<'_>,
    projector: &Projector,
    indices: &[EventIndex],
) -> Vec<PlacedMarker> {
    let mut markers: Vec<PlacedMarker> = Vec::new();
    for &index in indices {
        let (Some(Some(anchor)), Some(event)) = (
            panel.data.anchors.get(index),
            frame.dataset.events.get(index),
        ) else {
            continue;
        };
        let status = event.status(frame.playhead, frame.window);
        if status == EventStatus::Future {
            continue;
        }
        let region_only = matches!(anchor, MarkerAnchor::Region(_));
        let radius = match (region_only, status) {
            (true, _) => REGION_RING_RADIUS,
            (false, EventStatus::Current) => MARKER_RADIUS,
            (false, _) => MARKER_RADIUS - 2.0,
        };
        markers.push(PlacedMarker {
            index,
            at: projector.screen_from_world(anchor.world()),
            radius,
            status,
            region_only,
        });
    }
    // Events at the same spot are spread on a small circle so each can be clicked.
    let mut done = vec![false; markers.len()];
    for i in 0..markers.len() {
        if done.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some(origin) = markers.get(i).map(|m| m.at) else {
            continue;
        };
        let group: Vec<usize> = (i..markers.len())
            .filter(|&j| {
                markers
                    .get(j)
                    .is_some_and(|m| !m.region_only && m.at.distance(origin) < 4.0)
            })
            .collect();
        for &j in &group {
            if let Some(flag) = done.get_mut(j) {
                *flag = true;
            }
        }
        if group.len() > 1 {
            let spread = 9.0 + group.len() as f32 * 1.5;
            for (k, &j) in group.iter().enumerate() {
                let angle = std::f32::consts::TAU * k as f32 / group.len() as f32
                    - std::f32::consts::FRAC_PI_2;
                if let Some(marker) = markers.get_mut(j) {
                    marker.at = origin + vec2(angle.cos(), angle.sin()) * spread;
                }
            }
        }
    }
    // Draw faded first, then current, then the selection on top.
    markers.sort_by_key(|m| {
        (
            frame.selected == Some(m.index),
            m.status == EventStatus::Current,
            !m.region_only,
        )
    });
    markers
}

fn cluster_radius(bin: &Bin) -> f32 {
    // Diameter stays under the cell size, so neighbouring clusters do not cover each other.
    (7.0 + 2.2 * (bin.total() as f32).ln()).min(20.0)
}

fn draw_cluster(painter: &egui::Painter, frame: &MapFrame<'_>, at: Pos2, bin: &Bin) {
    let radius = cluster_radius(bin);
    // Colour of the most frequent category in the window; grey when all are earlier.
    let (color, alpha) = match bin.dominant_category() {
        Some(slot) => (
            style::category_color(frame.dataset, (slot < CATEGORY_SLOTS - 1).then_some(slot)),
            0.9,
        ),
        None => (Color32::GRAY, 0.4),
    };
    painter.circle(
        at,
        radius,
        color.gamma_multiply(alpha),
        Stroke::new(2.0, Color32::WHITE.gamma_multiply(alpha)),
    );
    let count = bin.total();
    let text = if count >= 10_000 {
        format!("{}k", count / 1000)
    } else if count >= 1000 {
        format!("{:.1}k", f64::from(count) / 1000.0)
    } else {
        count.to_string()
    };
    painter.text(
        at,
        Align2::CENTER_CENTER,
        text,
        FontId::proportional(11.0),
        Color32::BLACK,
    );
}

fn draw_marker(
    painter: &egui::Painter,
    frame: &MapFrame<'_>,
    marker: &PlacedMarker,
    emphasis: Color32,
) {
    let color = frame
        .dataset
        .events
        .get(marker.index)
        .map_or(Color32::GRAY, |event| {
            style::category_color(frame.dataset, event.category)
        });
    let faded = marker.status == EventStatus::Past;
    let alpha = if faded { 0.35 } else { 1.0 };
    let color = color.gamma_multiply(alpha);
    let selected = frame.selected == Some(marker.index);
    let hovered = frame.hovered == Some(marker.index);
    let outline = if selected {
        Stroke::new(3.0, emphasis)
    } else if hovered {
        Stroke::new(2.5, emphasis.gamma_multiply(0.8))
    } else {
        Stroke::new(1.5, Color32::WHITE.gamma_multiply(alpha))
    };
    if marker.region_only {
        painter.circle(
            marker.at,
            marker.radius,
            color.gamma_multiply(0.25),
            Stroke::new(3.0, color),
        );
        if selected || hovered {
            painter.circle_stroke(marker.at, marker.radius + 3.0, outline);
        }
    } else {
        let radius = if selected {
            marker.radius + 2.0
        } else {
            marker.radius
        };
        painter.circle(marker.at, radius, color, outline);
    }
}

fn draw_areas(
    painter: &egui::Painter,
    projector: &Projector,
    visible: &WorldBox,
    areas: &[Area],
    zoom: f64,
    fill: impl Fn(&Area) -> Color32,
) {
    let mut mesh = Mesh::default();
    for area in areas {
        if !area.bounds.intersects(visible) {
            continue;
        }
        let color = fill(area);
        let outline = area.outline(zoom);
        let base = mesh.vertices.len() as u32;
        mesh.vertices
            .extend(outline.vertices.iter().map(|&world| Vertex {
                pos: projector.screen_from_world(world),
                uv: egui::epaint::WHITE_UV,
                color,
            }));
        mesh.indices
            .extend(outline.indices.iter().map(|&i| base + i));
    }
    painter.add(Shape::mesh(mesh));
}

/// Ring points on screen, dropping points closer than 1.5 pixels to the last one kept (the
/// stroke tessellation is a large part of a frame).
fn screen_path(projector: &Projector, ring: &[[f64; 2]]) -> Vec<Pos2> {
    let mut points: Vec<Pos2> = Vec::with_capacity(ring.len() / 2);
    for &world in ring {
        let point = projector.screen_from_world(world);
        if points
            .last()
            .is_none_or(|last| last.distance_sq(point) > 2.25)
        {
            points.push(point);
        }
    }
    points
}

fn draw_outline(
    painter: &egui::Painter,
    projector: &Projector,
    area: &Area,
    stroke: Stroke,
    dashed: bool,
) {
    for ring in &area.outline(projector.zoom()).rings {
        let points = screen_path(projector, ring);
        if points.len() < 2 {
            continue;
        }
        if dashed {
            painter.extend(Shape::dashed_line(&points, stroke, 5.0, 4.0));
        } else {
            painter.add(Shape::line(points, stroke));
        }
    }
}

fn draw_rivers(
    painter: &egui::Painter,
    projector: &Projector,
    visible: &WorldBox,
    basemap: &Basemap,
    zoom: f64,
    visuals: &style::MapColors,
) {
    // Major rivers first; minor ones appear as the map zooms in.
    let max_rank = (zoom * 1.6 - 2.0).clamp(0.0, 12.0) as u32;
    for river in &basemap.rivers {
        if river.scale_rank > max_rank || !river.bounds.intersects(visible) {
            continue;
        }
        let width = if river.scale_rank <= 3 { 1.2 } else { 0.8 };
        for line in &river.lines {
            let points = screen_path(projector, line);
            if points.len() >= 2 {
                painter.add(Shape::line(points, Stroke::new(width, visuals.river)));
            }
        }
    }
}

fn draw_labels(
    painter: &egui::Painter,
    projector: &Projector,
    panel: &MapPanel,
    zoom: f64,
    visuals: &style::MapColors,
    occupied: &mut Vec<Rect>,
) {
    let rect = painter.clip_rect();
    let mut place = |text: &str,
                     at: Pos2,
                     anchor: Align2,
                     font: FontId,
                     color: Color32,
                     extra: Option<Rect>|
     -> bool {
        if !rect.contains(at) {
            return false;
        }
        let galley = painter.layout_no_wrap(text.to_owned(), font, color);
        let label_rect = anchor.anchor_size(at, galley.size());
        let padded = label_rect.expand(2.0);
        if !rect.contains_rect(label_rect) || occupied.iter().any(|r| r.intersects(padded)) {
            return false;
        }
        occupied.push(padded);
        occupied.extend(extra);
        for offset in [
            vec2(-1.0, 0.0),
            vec2(1.0, 0.0),
            vec2(0.0, -1.0),
            vec2(0.0, 1.0),
        ] {
            painter.galley_with_override_text_color(
                label_rect.min + offset,
                galley.clone(),
                visuals.halo,
            );
        }
        painter.galley(label_rect.min, galley, color);
        true
    };
    // Story regions first: they are what the dataset is about.
    for area in &panel.basemap.regions {
        if let (true, Some(at)) = (panel.data.story_regions.contains(&area.code), area.label_at) {
            let at = projector.screen_from_world(at);
            place(
                &area.name,
                at + vec2(0.0, 16.0),
                Align2::CENTER_TOP,
                FontId::proportional(13.0),
                visuals.story_label,
                None,
            );
        }
    }
    for area in &panel.basemap.countries {
        if let Some(at) = area.label_at {
            let at = projector.screen_from_world(at);
            let text = if area.disputed {
                format!("{} (disputed)", area.name)
            } else {
                area.name.to_uppercase()
            };
            let size = if area.disputed { 11.0 } else { 13.0 };
            place(
                &text,
                at,
                Align2::CENTER_CENTER,
                FontId::proportional(size),
                visuals.country_label,
                None,
            );
        }
    }
    for city in &panel.basemap.cities {
        if city.min_zoom > zoom + 1.5 {
            continue;
        }
        let at = projector.screen_from_world(city.at);
        if !rect.contains(at) {
            continue;
        }
        let size = if city.national_capital { 13.0 } else { 11.5 };
        let dot = Rect::from_center_size(at, Vec2::splat(6.0));
        if place(
            &city.name,
            at + vec2(5.0, -1.0),
            Align2::LEFT_BOTTOM,
            FontId::proportional(size),
            visuals.label,
            Some(dot),
        ) {
            if city.national_capital {
                painter.rect(
                    Rect::from_center_size(at, Vec2::splat(6.0)),
                    CornerRadius::ZERO,
                    visuals.label,
                    Stroke::new(1.0, visuals.halo),
                    StrokeKind::Outside,
                );
            } else {
                painter.circle(at, 2.5, visuals.label, Stroke::new(1.0, visuals.halo));
            }
        }
    }
    if zoom >= 4.5 {
        for area in &panel.basemap.regions {
            if panel.data.story_regions.contains(&area.code) {
                continue;
            }
            if let Some(at) = area.label_at {
                let at = projector.screen_from_world(at);
                place(
                    &area.name,
                    at,
                    Align2::CENTER_CENTER,
                    FontId::proportional(10.5),
                    visuals.region_label,
                    None,
                );
            }
        }
    }
}

fn overlay_controls(ui: &mut Ui, rect: Rect, frame: &MapFrame<'_>, commands: &mut Vec<Command>) {
    let controls = Rect::from_min_size(
        pos2(rect.right() - 150.0, rect.top() + 8.0),
        vec2(142.0, 90.0),
    );
    ui.scope_builder(
        UiBuilder::new()
            .max_rect(controls)
            .layout(egui::Layout::top_down(egui::Align::Max)),
        |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                if ui
                    .button("Fit all events")
                    .on_hover_text("Frame every event that has a place (F)")
                    .clicked()
                {
                    commands.push(Command::FitAllEvents);
                }
                ui.horizontal(|ui| {
                    if ui.button(" + ").on_hover_text("Zoom in (+)").clicked() {
                        commands.push(Command::ZoomMap(2.0));
                    }
                    if ui.button(" - ").on_hover_text("Zoom out (-)").clicked() {
                        commands.push(Command::ZoomMap(0.5));
                    }
                });
            });
        },
    );
    // The legend sizes itself; it is pinned to the map's bottom-left corner.
    egui::Area::new(ui.make_persistent_id("map-legend"))
        .fixed_pos(rect.left_bottom() + vec2(8.0, -8.0))
        .pivot(Align2::LEFT_BOTTOM)
        .constrain_to(rect)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(egui::RichText::new("Legend").strong());
                for category in &frame.dataset.categories {
                    ui.horizontal(|ui| {
                        let (dot, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
                        let [r, g, b] = category.color;
                        ui.painter()
                            .circle_filled(dot.center(), 5.5, Color32::from_rgb(r, g, b));
                        ui.label(&category.label);
                    });
                }
                ui.separator();
                ui.horizontal(|ui| {
                    let (dot, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
                    ui.painter().circle_filled(
                        dot.center(),
                        4.0,
                        Color32::GRAY.gamma_multiply(0.35),
                    );
                    ui.label("earlier than the time window");
                });
                ui.horizontal(|ui| {
                    let (dot, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
                    ui.painter()
                        .circle_stroke(dot.center(), 5.0, Stroke::new(2.0, Color32::GRAY));
                    ui.label("region only (no exact place)");
                });
            });
        });
    ui.painter().text(
        rect.right_bottom() - vec2(6.0, 4.0),
        Align2::RIGHT_BOTTOM,
        "Basemap: Natural Earth (public domain)",
        FontId::proportional(10.0),
        ui.visuals().weak_text_color(),
    );
}
