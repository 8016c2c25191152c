//! The legend, pinned to the map's bottom-left corner: the categories, faded markers, how
//! markers show an uncertain date or place, and the kinds of links drawn.

use egui::{Align2, Color32, Response, RichText, Sense, Stroke, Ui, Vec2, vec2};

use super::links::kind_words;
use super::markers::{MarkerLook, paint_marker};
use super::{LayerFrame, MapLayer};
use crate::command::Command;
use crate::map::marks::DateMark;
use crate::model::PlacePrecision;
use crate::model::calendar::group_thousands;
use crate::state::LinkDisplay;
use crate::theme::links::{LinkArc, link_style};
use crate::theme::{category_color, uncertainty};

/// The map's legend.
pub struct Legend;

impl MapLayer for Legend {
    fn show_ui(&self, ui: &mut Ui, frame: &LayerFrame<'_>, commands: &mut Vec<Command>) {
        let (dataset, filter) = (frame.view.dataset, frame.view.filter);
        let earlier = frame.colors.earlier;
        // The legend sizes itself.
        egui::Area::new(ui.make_persistent_id("map-legend"))
            .fixed_pos(frame.rect.left_bottom() + vec2(8.0, -8.0))
            .pivot(Align2::LEFT_BOTTOM)
            .constrain_to(frame.rect)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(egui::RichText::new("Legend").strong());
                    for (index, category) in dataset.categories.iter().enumerate() {
                        let shown = filter.shows_category(dataset, Some(index));
                        let count = frame.view.by_category.get(index).copied().unwrap_or(0);
                        let color = category_color(dataset, Some(index));
                        let label =
                            format!("{} ({})", category.label, group_thousands(count as u64));
                        let response = category_key_ui(ui, &label, color, shown);
                        if response.clicked() {
                            let toggled = filter.with_category_toggled(dataset, index);
                            commands.push(Command::SetFilter(toggled));
                        }
                    }
                    ui.separator();
                    key_ui(ui, "earlier than the time window", |painter, at| {
                        painter.circle_filled(at, 4.0, earlier.gamma_multiply(0.35));
                    });
                    uncertainty_keys_ui(ui, frame);
                    links_key_ui(ui, frame);
                });
            });
    }
}

/// A category's line of the legend: clicking it hides or shows the category everywhere.
fn category_key_ui(ui: &mut Ui, label: &str, color: Color32, shown: bool) -> Response {
    let text = if shown {
        RichText::new(label)
    } else {
        RichText::new(label).strikethrough().weak()
    };
    let response = ui
        .horizontal(|ui| {
            let (dot, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
            if shown {
                ui.painter().circle_filled(dot.center(), 5.5, color);
            } else {
                ui.painter()
                    .circle_stroke(dot.center(), 4.5, Stroke::new(1.5, color));
            }
            ui.add(
                egui::Label::new(text)
                    .selectable(false)
                    .sense(Sense::click()),
            )
        })
        .inner;
    let tip = if shown {
        "Click to hide this category everywhere"
    } else {
        "Click to show this category again"
    };
    response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(tip)
}

/// The "Dates" and "Place" sections side by side: how markers show what a date or a place
/// leaves unknown, drawn by the markers' own painter.
fn uncertainty_keys_ui(ui: &mut Ui, frame: &LayerFrame<'_>) {
    let color = uncertainty::legend_key(ui.visuals());
    let marker = |date, place, ring| MarkerLook {
        date,
        place,
        ring,
        color,
        outline: frame.colors.marker_outline,
    };
    let dates = [
        (DateMark::Solid, "known to the day"),
        (DateMark::Hollow, "month, year or a span"),
        (DateMark::Dashed, "approximate or uncertain (~ ?)"),
    ];
    let places = [
        (PlacePrecision::Exact, "exact place", 5.5),
        (PlacePrecision::City, "known to the city or town", 4.0),
        (PlacePrecision::Region, "only the region is known", 7.0),
    ];
    // Folded on a small map, which the legend would otherwise cover; unfolded on a tall one.
    egui::CollapsingHeader::new("Dates and places")
        .id_salt("legend-dates-and-places")
        .default_open(frame.rect.height() >= TALL_MAP)
        .show(ui, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.label(RichText::new("Dates").strong());
                    for (date, label) in dates {
                        let look = marker(date, PlacePrecision::Exact, false);
                        uncertainty_key_ui(ui, label, 5.5, &look);
                    }
                });
                ui.add_space(6.0);
                ui.vertical(|ui| {
                    ui.label(RichText::new("Place").strong());
                    for (place, label, radius) in places {
                        let ring = place == PlacePrecision::Region;
                        let look = marker(DateMark::Solid, place, ring);
                        uncertainty_key_ui(ui, label, radius, &look);
                    }
                });
            });
        });
}

/// A map at least this tall (in points) shows the Dates and Place keys unfolded.
const TALL_MAP: f32 = 480.0;

/// One key of the Dates or Place section: wider than the other keys, as a halo and a ring
/// need the room.
fn uncertainty_key_ui(ui: &mut Ui, label: &str, radius: f32, look: &MarkerLook) {
    ui.horizontal(|ui| {
        let (symbol, _) = ui.allocate_exact_size(Vec2::splat(18.0), Sense::hover());
        paint_marker(ui.painter(), symbol.center(), radius, look);
        ui.label(label);
    });
}

/// At most this many kinds of links are named in the legend.
const KINDS_NAMED: usize = 6;

/// The links' part of the legend: the style of each kind drawn, and why some are not drawn.
fn links_key_ui(ui: &mut Ui, frame: &LayerFrame<'_>) {
    let drawn = frame.data.links.drawn();
    let view = frame.view;
    let note = match (view.link_display, view.selected.is_some()) {
        (LinkDisplay::Hidden, _) if frame.data.links.placed_count() > 0 => {
            Some("links hidden (View menu, or L)".to_owned())
        }
        (LinkDisplay::SelectionOnly, _) if drawn.visible > 0 => {
            Some("links of the selection only".to_owned())
        }
        _ if drawn.limited => Some(format!(
            "{} links — {}",
            group_thousands(drawn.visible as u64),
            if view.selected.is_some() {
                "only the selection's are drawn"
            } else {
                "select an event to see its own"
            }
        )),
        _ => None,
    };
    if drawn.kinds.is_empty() && note.is_none() {
        return;
    }
    ui.separator();
    let dark_mode = ui.visuals().dark_mode;
    for kind in drawn.kinds.iter().take(KINDS_NAMED) {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(vec2(24.0, 12.0), Sense::hover());
            let sample = LinkArc::new(rect.left_center(), rect.right_center(), 0.0, 0.0);
            if let Some(sample) = sample {
                ui.painter()
                    .extend(sample.shapes(link_style(kind, dark_mode)));
            }
            ui.label(format!("link: {}", kind_words(kind)));
        });
    }
    if drawn.kinds.len() > KINDS_NAMED {
        ui.weak(format!(
            "and {} more kinds",
            drawn.kinds.len() - KINDS_NAMED
        ));
    }
    if let Some(note) = note {
        ui.weak(note);
    }
}

/// One line of the legend: a symbol drawn by `symbol` at its centre, and a label.
fn key_ui(ui: &mut Ui, label: &str, symbol: impl FnOnce(&egui::Painter, egui::Pos2)) {
    ui.horizontal(|ui| {
        let (dot, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
        symbol(ui.painter(), dot.center());
        ui.label(label);
    });
}
