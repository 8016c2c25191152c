//! Place names: the story's regions first, then countries, cities and, zoomed in, the other
//! regions. A label is drawn only where it collides with no marker, cluster or other label.

use egui::{Align2, Color32, CornerRadius, FontId, Pos2, Rect, Stroke, StrokeKind, Ui, Vec2, vec2};

use super::shapes::screen_span;
use super::{LayerFrame, MapLayer};
use crate::command::Command;
use crate::model::projection::scale_at_zoom;

/// The other regions are named from this zoom.
const REGION_LABELS_FROM_ZOOM: f64 = 4.5;
/// Cities show this many zoom levels before Natural Earth's suggested zoom.
const CITY_ZOOM_LEAD: f64 = 1.5;
/// A country is named once its largest part spans this many points on screen.
const COUNTRY_LABEL_MIN_SPAN: f64 = 24.0;
/// A region is named once it spans this many points on screen.
const REGION_LABEL_MIN_SPAN: f64 = 60.0;

/// Labels of regions, countries and cities.
pub struct Labels;

impl MapLayer for Labels {
    fn show_ui(&self, _ui: &mut Ui, frame: &LayerFrame<'_>, _commands: &mut Vec<Command>) {
        // Markers and clusters are laid out already: labels keep out of their way.
        let mut placer = LabelPlacer {
            frame,
            bounds: frame.painter.clip_rect(),
            occupied: frame.marks.covered().collect(),
        };
        story_region_labels(&mut placer);
        country_labels(&mut placer);
        city_labels(&mut placer);
        if frame.zoom() >= REGION_LABELS_FROM_ZOOM {
            region_labels(&mut placer);
        }
    }
}

/// A label to place.
struct Label<'t> {
    text: &'t str,
    at: Pos2,
    anchor: Align2,
    size: f32,
    color: Color32,
}

/// Places labels where nothing else is yet.
struct LabelPlacer<'f> {
    frame: &'f LayerFrame<'f>,
    /// Labels must fit in here.
    bounds: Rect,
    /// What labels keep out of: marks and the labels placed so far.
    occupied: Vec<Rect>,
}

impl LabelPlacer<'_> {
    /// Draws `label` with a halo if it fits and collides with nothing; `extra` (a city's dot)
    /// is then occupied too. Returns whether it was drawn.
    fn place(&mut self, label: Label<'_>, extra: Option<Rect>) -> bool {
        if !self.bounds.contains(label.at) {
            return false;
        }
        let painter = &self.frame.painter;
        let font = FontId::proportional(label.size);
        let galley = painter.layout_no_wrap(label.text.to_owned(), font, label.color);
        let label_rect = label.anchor.anchor_size(label.at, galley.size());
        let padded = label_rect.expand(2.0);
        if !self.bounds.contains_rect(label_rect)
            || self.occupied.iter().any(|r| r.intersects(padded))
        {
            return false;
        }
        self.occupied.push(padded);
        self.occupied.extend(extra);
        let halo = self.frame.colors.halo;
        for offset in [
            vec2(-1.0, 0.0),
            vec2(1.0, 0.0),
            vec2(0.0, -1.0),
            vec2(0.0, 1.0),
        ] {
            painter.galley_with_override_text_color(label_rect.min + offset, galley.clone(), halo);
        }
        painter.galley(label_rect.min, galley, label.color);
        true
    }
}

/// The regions the story is about, under their marker spot: what the dataset is about.
fn story_region_labels(placer: &mut LabelPlacer<'_>) {
    let frame = placer.frame;
    let regions = frame
        .data
        .story_regions
        .iter()
        .filter_map(|code| frame.basemap.region(code));
    for region in regions {
        let Some(at) = region.label_at else {
            continue;
        };
        let label = Label {
            text: &region.name,
            at: frame.projector.screen_from_world(at) + vec2(0.0, 16.0),
            anchor: Align2::CENTER_TOP,
            size: 13.0,
            color: frame.colors.story_label,
        };
        placer.place(label, None);
    }
}

/// Countries, the biggest first, each at its label point or, when that is out of view, at
/// another of its label points in view; small ones only once they are big enough on screen.
fn country_labels(placer: &mut LabelPlacer<'_>) {
    let frame = placer.frame;
    for area in &frame.basemap.countries {
        if !area.bounds.intersects(&frame.visible)
            || screen_span(frame, area) < COUNTRY_LABEL_MIN_SPAN
        {
            continue;
        }
        let Some(at) = area.label_point(&frame.visible) else {
            continue;
        };
        let text = if area.disputed {
            format!("{} (disputed)", area.name)
        } else {
            area.name.to_uppercase()
        };
        let label = Label {
            text: &text,
            at: frame.projector.screen_from_world(at),
            anchor: Align2::CENTER_CENTER,
            size: if area.disputed { 11.0 } else { 13.0 },
            color: frame.colors.country_label,
        };
        placer.place(label, None);
    }
}

/// Cities by importance, each with its dot (a square for capitals) when its name fits.
fn city_labels(placer: &mut LabelPlacer<'_>) {
    let frame = placer.frame;
    let colors = &frame.colors;
    let shown_to = frame.zoom() + CITY_ZOOM_LEAD;
    for city in &frame.basemap.cities {
        if city.min_zoom > shown_to || !frame.visible.contains(city.at) {
            continue;
        }
        let at = frame.projector.screen_from_world(city.at);
        let dot = Rect::from_center_size(at, Vec2::splat(6.0));
        let label = Label {
            text: &city.name,
            at: at + vec2(5.0, -1.0),
            anchor: Align2::LEFT_BOTTOM,
            size: if city.national_capital { 13.0 } else { 11.5 },
            color: colors.label,
        };
        if !placer.place(label, Some(dot)) {
            continue;
        }
        let outline = Stroke::new(1.0, colors.halo);
        if city.national_capital {
            let square = StrokeKind::Outside;
            frame
                .painter
                .rect(dot, CornerRadius::ZERO, colors.label, outline, square);
        } else {
            frame.painter.circle(at, 2.5, colors.label, outline);
        }
    }
}

/// The other regions, zoomed in, the biggest first, once they have room for a name.
fn region_labels(placer: &mut LabelPlacer<'_>) {
    let frame = placer.frame;
    let scale = scale_at_zoom(frame.zoom());
    for region in &frame.basemap.regions {
        if !region.bounds.intersects(&frame.visible)
            || frame.data.story_regions.contains(&region.code)
        {
            continue;
        }
        let size = region.bounds.size();
        if size.width.max(size.height) * scale < REGION_LABEL_MIN_SPAN {
            continue;
        }
        if let Some(at) = region.label_at.filter(|&at| frame.visible.contains(at)) {
            let label = Label {
                text: &region.name,
                at: frame.projector.screen_from_world(at),
                anchor: Align2::CENTER_CENTER,
                size: 10.5,
                color: frame.colors.region_label,
            };
            placer.place(label, None);
        }
    }
}
