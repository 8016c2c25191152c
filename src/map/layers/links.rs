//! Links between events, drawn as arcs between their marks (under the markers, which stay
//! clickable on top): bowed to one side so that A→B and B→A are apart, an arrowhead at the `to`
//! end, styled by kind. An arc is drawn only when both ends are on the map (matching the
//! filter, started by the playhead, with a place); an end inside a cluster attaches to the
//! cluster, a region-only end to its ring. The selection's links are highlighted and the others
//! faint; beyond [`MAP_LINK_LIMIT`] visible links only the selection's are drawn. Hovering an
//! arc names it; clicking it selects its `to` event.

use std::collections::{BTreeSet, HashMap};

use egui::{CursorIcon, Pos2, Rect, Sense, Ui, Vec2};

use super::{LayerFrame, MapLayer};
use crate::command::Command;
use crate::map::MarkerAnchor;
use crate::map::links::{DrawnLinks, MAP_LINK_LIMIT};
use crate::map::marks::halo_radius;
use crate::model::{Dataset, EventIndex};
use crate::state::LinkDisplay;
use crate::theme::links::{LinkArc, link_style};

/// How near (in points) the pointer must be to an arc to hover it.
const HOVER_DISTANCE: f32 = 5.0;
/// The radius of a point marker and of a region ring, for ends that have no mark this frame
/// (off the screen).
const POINT_RADIUS: f32 = 7.0;
const RING_RADIUS: f32 = 12.0;

/// The arcs of the links shown.
pub struct Links;

impl MapLayer for Links {
    fn show_ui(&self, ui: &mut Ui, frame: &LayerFrame<'_>, commands: &mut Vec<Command>) {
        let plan = LinkPlan::of(frame);
        let ends = MarkEnds::of(frame);
        let dataset = frame.view.dataset;
        let arcs: Vec<(u32, LinkArc)> = plan
            .links
            .iter()
            .filter_map(|&link| Some((link, arc_of(frame, &ends, dataset, link)?)))
            .collect();
        let pointer = ui
            .input(|input| input.pointer.hover_pos())
            .filter(|&p| frame.rect.contains(p) && !ends.over_a_mark(p));
        let hovered = pointer.and_then(|p| nearest_arc(&arcs, p));
        let dark_mode = ui.visuals().dark_mode;
        let faint = frame.view.selected.is_some();
        // The faint ones first, the emphasised ones (and the hovered one) on top.
        let mut order: Vec<&(u32, LinkArc)> = arcs.iter().collect();
        order.sort_by_key(|(link, _)| (plan.emphasised(*link) || hovered == Some(*link), *link));
        for (link, arc) in order {
            let Some(kind) = dataset.links.get(*link as usize).map(|l| l.kind.as_str()) else {
                continue;
            };
            let emphasised = plan.emphasised(*link) || hovered == Some(*link);
            let style = link_style(kind, dark_mode).drawn(emphasised, faint);
            frame.painter.extend(arc.shapes(style));
        }
        if let (Some(link), Some(at)) = (hovered, pointer) {
            hovered_arc_ui(ui, dataset, link, at, commands);
        }
        let mut drawn: Vec<u32> = arcs.into_iter().map(|(link, _)| link).collect();
        drawn.sort_unstable();
        frame.data.links.set_drawn(DrawnLinks {
            kinds: kinds_of(dataset, drawn.iter().copied()),
            links: drawn,
            hovered,
            visible: plan.visible,
            limited: plan.limited,
        });
    }
}

/// Which links to draw this frame, and which of them to emphasise.
struct LinkPlan {
    /// Links to draw, in the order they appeared.
    links: Vec<u32>,
    /// The selection's links among them.
    selection: BTreeSet<u32>,
    /// Links with both ends on the map.
    visible: usize,
    /// There were too many to draw: only the selection's are.
    limited: bool,
}

impl LinkPlan {
    fn of(frame: &LayerFrame<'_>) -> Self {
        let view = frame.view;
        let (dataset, links) = (view.dataset, &frame.data.links);
        let mut plan = Self {
            links: Vec::new(),
            selection: BTreeSet::new(),
            visible: 0,
            limited: false,
        };
        if view.link_display == LinkDisplay::Hidden || links.placed_count() == 0 {
            return plan;
        }
        if let Some(selected) = view.selected {
            plan.selection = links
                .of_event(dataset, selected)
                .filter(|&link| links.is_visible(dataset, link, view.matches, view.playhead))
                .collect();
        }
        let visible = links.visible(
            dataset,
            view.matches,
            view.matches_generation,
            view.playhead,
        );
        plan.visible = visible.len();
        plan.limited = plan.visible > MAP_LINK_LIMIT;
        plan.links = if view.link_display == LinkDisplay::All && !plan.limited {
            visible.to_vec()
        } else {
            plan.selection.iter().copied().collect()
        };
        plan
    }

    fn emphasised(&self, link: u32) -> bool {
        self.selection.contains(&link)
    }
}

/// Where the marks of this frame are, for the arcs' ends.
struct MarkEnds {
    /// Events with a marker of their own: its centre and radius.
    markers: HashMap<EventIndex, (Pos2, f32)>,
    /// Clusters by grid cell: centre and radius.
    clusters: HashMap<usize, (Pos2, f32)>,
}

impl MarkEnds {
    fn of(frame: &LayerFrame<'_>) -> Self {
        let selected = frame.view.selected;
        let markers = frame
            .marks
            .markers
            .iter()
            .map(|m| {
                let grown = if selected == Some(m.index) { 2.0 } else { 0.0 };
                (m.index, (m.at, m.radius + grown))
            })
            .collect();
        let clusters = frame
            .marks
            .clusters
            .iter()
            .map(|c| (c.cell, (c.at, halo_radius(c))))
            .collect();
        Self { markers, clusters }
    }

    /// Whether `pointer` is on a marker or a cluster (which take the pointer first).
    fn over_a_mark(&self, pointer: Pos2) -> bool {
        let on = |&(at, radius): &(Pos2, f32)| at.distance(pointer) <= radius + 3.0;
        self.markers.values().any(on) || self.clusters.values().any(on)
    }
}

/// Where an event's end of an arc is on screen, and the radius of its mark: its marker, else
/// the cluster it is in, else its place (off the screen, or in a map without markers).
fn end_of(frame: &LayerFrame<'_>, ends: &MarkEnds, index: EventIndex) -> Option<(Pos2, f32)> {
    if let Some(&end) = ends.markers.get(&index) {
        return Some(end);
    }
    let anchor = frame.data.anchors.get(index).copied().flatten()?;
    let at = frame.projector.screen_from_world(anchor.world());
    let cluster = frame
        .clusters
        .pick(&frame.projector, at)
        .and_then(|(cell, _)| ends.clusters.get(&cell));
    if let Some(&end) = cluster {
        return Some(end);
    }
    let radius = match anchor {
        MarkerAnchor::Point(_) => POINT_RADIUS,
        MarkerAnchor::Region(_) => RING_RADIUS,
    };
    Some((at, radius))
}

fn arc_of(
    frame: &LayerFrame<'_>,
    ends: &MarkEnds,
    dataset: &Dataset,
    link: u32,
) -> Option<LinkArc> {
    let link = dataset.links.get(link as usize)?;
    let (from, from_radius) = end_of(frame, ends, link.from)?;
    let (to, to_radius) = end_of(frame, ends, link.to)?;
    LinkArc::new(from, to, from_radius, to_radius)
}

/// The arc nearest to `pointer`, if it is near enough to hover.
fn nearest_arc(arcs: &[(u32, LinkArc)], pointer: Pos2) -> Option<u32> {
    arcs.iter()
        .map(|(link, arc)| (arc.distance_to(pointer), *link))
        .filter(|(distance, _)| *distance <= HOVER_DISTANCE)
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|(_, link)| link)
}

/// A link's kind as the data gives it, "linked to" when it gives none.
pub fn kind_words(kind: &str) -> &str {
    if kind.trim().is_empty() {
        "linked to"
    } else {
        kind
    }
}

/// A link named in words: "Kaluga cell — planned attack → Moscow synagogue plot".
pub fn link_name(dataset: &Dataset, link: u32) -> Option<String> {
    let link = dataset.links.get(link as usize)?;
    let from = dataset.events.get(link.from)?.title();
    let to = dataset.events.get(link.to)?.title();
    Some(format!("{from} — {} → {to}", kind_words(&link.kind)))
}

/// The kinds of `links`, sorted, each once.
fn kinds_of(dataset: &Dataset, links: impl Iterator<Item = u32>) -> Vec<String> {
    let kinds: BTreeSet<&str> = links
        .filter_map(|link| dataset.links.get(link as usize))
        .map(|link| link.kind.as_str())
        .collect();
    kinds.into_iter().map(str::to_owned).collect()
}

/// The hovered arc as a small button under the pointer: its name in a tooltip (and to screen
/// readers), a click selects its `to` event. Markers, added later, still take their clicks.
fn hovered_arc_ui(
    ui: &mut Ui,
    dataset: &Dataset,
    link: u32,
    pointer: Pos2,
    commands: &mut Vec<Command>,
) {
    let (Some(name), Some(to)) = (
        link_name(dataset, link),
        dataset.links.get(link as usize).map(|l| l.to),
    ) else {
        return;
    };
    let hit = Rect::from_center_size(pointer, Vec2::splat(HOVER_DISTANCE * 2.0 + 2.0));
    let response = ui.interact(hit, ui.make_persistent_id("map-link"), Sense::click());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    let response = response
        .on_hover_cursor(CursorIcon::PointingHand)
        .on_hover_ui(|ui| link_tooltip_ui(ui, dataset, link));
    if response.clicked() {
        commands.push(Command::Select(Some(to)));
    }
}

/// "Kaluga cell — planned attack", a drawn arrow, "Moscow synagogue plot" (the default fonts
/// have no arrow glyph), and what a click does.
fn link_tooltip_ui(ui: &mut Ui, dataset: &Dataset, link: u32) {
    let Some(link) = dataset.links.get(link as usize) else {
        return;
    };
    let title = |index: EventIndex| dataset.events.get(index).map_or("", |e| e.title());
    let style = link_style(&link.kind, ui.visuals().dark_mode);
    ui.horizontal_wrapped(|ui| {
        ui.strong(title(link.from));
        ui.label(format!("— {}", kind_words(&link.kind)));
        let (rect, _) = ui.allocate_exact_size(Vec2::new(24.0, 12.0), Sense::hover());
        let arrow = LinkArc::new(rect.left_center(), rect.right_center(), 0.0, 0.0);
        if let Some(arrow) = arrow {
            ui.painter().extend(arrow.shapes(style));
        }
        ui.strong(title(link.to));
    });
    ui.weak("Click to select where it leads");
}
