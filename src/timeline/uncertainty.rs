//! Uncertainty on the timeline: bars that fade towards the ends a date leaves uncertain (a
//! month, a year, an open end) instead of starting and stopping hard, and the `~`/`?` written
//! next to an approximate or uncertain mark. A lane's bars are one plot item (one mesh), not a
//! polygon each; only marks drawn one by one get them (histograms stay as they are).

use std::ops::RangeInclusive;

use egui::{Align2, Color32, FontId, Mesh, Pos2, Shape, Ui, vec2};
use egui_plot::{PlotBounds, PlotGeometry, PlotItem, PlotItemBase, PlotPoint, PlotTransform};

use crate::model::{Certainty, EndKnown};
use crate::theme::uncertainty as look;

const DAYS_PER_WEEK: f64 = 7.0;
const DAYS_PER_MONTH: f64 = 30.44;
const DAYS_PER_YEAR: f64 = 365.25;
/// The largest share of a bar one coarse end fades over: a month's two ends meet near its
/// middle, which is the strongest part.
const COARSE_FADE_SHARE: f64 = 0.45;
/// An end known to the day is only softened, over this share of the bar.
const FINE_FADE_SHARE: f64 = 0.1;
/// An open end fades out over this share of the bar (it reaches the dataset's edge only
/// because something had to be drawn there).
const OPEN_FADE_SHARE: f64 = 0.6;
/// Thickness of a range's top and bottom edges, in points.
const EDGE_POINTS: f32 = 1.5;
/// Space between a mark and its `~`/`?`, in points.
const GLYPH_GAP: f32 = 2.0;
const GLYPH_SIZE: f32 = 13.0;

/// How a bar fades at one end: over `days` from that end, from `strength` there to full.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fade {
    pub days: f64,
    pub strength: f32,
}

/// How a bar fades at its two ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BarFades {
    pub start: Fade,
    pub end: Fade,
}

impl BarFades {
    /// The fades of a bar `width_days` long whose date leaves `certainty` open.
    pub fn of(certainty: Certainty, width_days: f64) -> Self {
        let width = width_days.max(0.0);
        let coarse = |unit: f64| Fade {
            days: unit.min(width * COARSE_FADE_SHARE),
            strength: look::COARSE_END_STRENGTH,
        };
        let fade = |known: EndKnown| match known {
            EndKnown::Fine => Fade {
                days: width * FINE_FADE_SHARE,
                strength: look::FINE_END_STRENGTH,
            },
            EndKnown::Month => coarse(DAYS_PER_MONTH),
            EndKnown::Year => coarse(DAYS_PER_YEAR),
            EndKnown::Open => Fade {
                days: width * OPEN_FADE_SHARE,
                strength: look::OPEN_END_STRENGTH,
            },
        };
        // A day given as approximate or uncertain fades like a coarse end, over about a week.
        let qualified = |known: EndKnown, is_qualified: bool| match known {
            EndKnown::Fine if is_qualified => coarse(DAYS_PER_WEEK),
            _ => fade(known),
        };
        let mut start = qualified(certainty.start(), certainty.start_is_qualified());
        let mut end = qualified(certainty.end(), certainty.end_is_qualified());
        // An open end and a coarse one can ask for more than the bar: share it out.
        let asked = start.days + end.days;
        if asked > width && asked > 0.0 {
            start.days *= width / asked;
            end.days *= width / asked;
        }
        Self { start, end }
    }

    /// Where the strength changes across a bar `width` days long: `(days from its start,
    /// strength)`, from the start to the end; in between, it changes linearly.
    pub fn stops(&self, width: f64) -> [(f64, f32); 4] {
        [
            (0.0, self.start.strength),
            (self.start.days, 1.0),
            (width - self.end.days, 1.0),
            (width, self.end.strength),
        ]
    }

    /// The strength `days` from the start of a bar `width` days long.
    #[cfg(test)]
    pub fn strength_at(&self, days: f64, width: f64) -> f32 {
        let stops = self.stops(width);
        let mut previous = stops[0];
        for stop in stops {
            if days <= stop.0 {
                let span = stop.0 - previous.0;
                if span <= 0.0 {
                    return stop.1;
                }
                let t = ((days - previous.0) / span) as f32;
                return previous.1 + (stop.1 - previous.1) * t;
            }
            previous = stop;
        }
        previous.1
    }
}

/// One bar: its span in days on the plot's x axis, its row, colour and fades.
#[derive(Clone, Copy, Debug)]
pub struct GradedBar {
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    pub half_height: f64,
    pub color: Color32,
    /// A range: paler, with thin top and bottom edges.
    pub is_range: bool,
    pub fades: BarFades,
}

/// A lane's bars as one plot item: a mesh whose colours fade at the ends.
pub struct GradedBars {
    base: PlotItemBase,
    bars: Vec<GradedBar>,
}

impl GradedBars {
    pub fn new(bars: Vec<GradedBar>) -> Self {
        Self {
            base: PlotItemBase::new(String::new()),
            bars,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bars.is_empty()
    }
}

/// Adds a band from `top` to `bottom` (screen y) across `stops` (screen x, colour) to `mesh`.
fn add_band(mesh: &mut Mesh, top: f32, bottom: f32, stops: &[(f32, Color32)]) {
    let first = mesh.vertices.len() as u32;
    for &(x, color) in stops {
        mesh.colored_vertex(Pos2::new(x, top), color);
        mesh.colored_vertex(Pos2::new(x, bottom), color);
    }
    for k in 0..stops.len().saturating_sub(1) as u32 {
        let (a, b) = (first + 2 * k, first + 2 * k + 2);
        mesh.add_triangle(a, a + 1, b);
        mesh.add_triangle(b, a + 1, b + 1);
    }
}

impl PlotItem for GradedBars {
    fn shapes(&self, _ui: &Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let mut mesh = Mesh::default();
        for bar in &self.bars {
            let width = bar.x1 - bar.x0;
            let stops = bar.fades.stops(width);
            let top = transform
                .position_from_point(&PlotPoint::new(bar.x0, bar.y + bar.half_height))
                .y;
            let bottom = transform
                .position_from_point(&PlotPoint::new(bar.x0, bar.y - bar.half_height))
                .y;
            let screen_x = |days: f64| {
                transform
                    .position_from_point(&PlotPoint::new(bar.x0 + days, bar.y))
                    .x
            };
            let fill = stops.map(|(days, strength)| {
                let color = look::graded_fill(bar.color, strength, bar.is_range);
                (screen_x(days), color)
            });
            let (top, bottom) = (top.min(bottom), top.max(bottom));
            add_band(&mut mesh, top, bottom, &fill);
            if bar.is_range {
                let edge = stops.map(|(days, strength)| {
                    (screen_x(days), look::graded_edge(bar.color, strength))
                });
                add_band(&mut mesh, top, top + EDGE_POINTS, &edge);
                add_band(&mut mesh, bottom - EDGE_POINTS, bottom, &edge);
            }
        }
        if !mesh.is_empty() {
            shapes.push(Shape::mesh(mesh));
        }
    }

    fn initialize(&mut self, _x_range: RangeInclusive<f64>) {}

    fn color(&self) -> Color32 {
        self.bars
            .first()
            .map_or(Color32::TRANSPARENT, |bar| bar.color)
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }

    fn bounds(&self) -> PlotBounds {
        let mut bounds = PlotBounds::NOTHING;
        for bar in &self.bars {
            bounds.extend_with(&PlotPoint::new(bar.x0, bar.y - bar.half_height));
            bounds.extend_with(&PlotPoint::new(bar.x1, bar.y + bar.half_height));
        }
        bounds
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }

    // Hover and click are the lanes' own hit-testing, as for the other marks.
    fn allow_hover(&self) -> bool {
        false
    }
}

/// A `~`, `?` or `~?` written beside a mark: right of it, or left of a bar whose start only is
/// qualified (`2024-02-22~/2024-03-22`).
#[derive(Clone, Copy, Debug)]
pub struct Glyph {
    /// The side of the mark it is written at (a dot's centre, a bar's end or start).
    pub at: PlotPoint,
    /// How far the mark reaches beyond `at`, in points (a dot's radius).
    pub reach: f32,
    /// Written left of `at` rather than right.
    pub before: bool,
    pub text: &'static str,
    pub color: Color32,
}

impl Glyph {
    /// The glyph of a dot at `at` whose date is `certainty`, if approximate or uncertain.
    pub fn of_dot(
        certainty: Certainty,
        at: PlotPoint,
        radius: f32,
        color: Color32,
    ) -> Option<Self> {
        Some(Self {
            at,
            reach: radius,
            before: false,
            text: certainty.glyph()?,
            color,
        })
    }

    /// The glyph of a bar from `x0` to `x1` (days) at `y`, at the end that carries it.
    pub fn of_bar(certainty: Certainty, x0: f64, x1: f64, y: f64, color: Color32) -> Option<Self> {
        let before = certainty.start_is_qualified() && !certainty.end_is_qualified();
        Some(Self {
            at: PlotPoint::new(if before { x0 } else { x1 }, y),
            reach: 0.0,
            before,
            text: certainty.glyph()?,
            color,
        })
    }
}

/// The `~`/`?` of a lane's qualified marks, as one plot item.
pub struct QualifierGlyphs {
    base: PlotItemBase,
    glyphs: Vec<Glyph>,
}

impl QualifierGlyphs {
    pub fn new(glyphs: Vec<Glyph>) -> Self {
        Self {
            base: PlotItemBase::new(String::new()),
            glyphs,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.glyphs.is_empty()
    }
}

impl PlotItem for QualifierGlyphs {
    fn shapes(&self, ui: &Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let font = FontId::proportional(GLYPH_SIZE);
        for glyph in &self.glyphs {
            let color = look::qualifier_glyph(glyph.color, ui.visuals());
            let side = if glyph.before { -1.0 } else { 1.0 };
            let at = transform.position_from_point(&glyph.at)
                + vec2(side * (glyph.reach + GLYPH_GAP), 0.0);
            let galley = ui
                .painter()
                .layout_no_wrap(glyph.text.to_owned(), font.clone(), color);
            let anchor = if glyph.before {
                Align2::RIGHT_CENTER
            } else {
                Align2::LEFT_CENTER
            };
            let rect = anchor.anchor_size(at, galley.size());
            shapes.push(Shape::galley(rect.min, galley, color));
        }
    }

    fn initialize(&mut self, _x_range: RangeInclusive<f64>) {}

    fn color(&self) -> Color32 {
        self.glyphs
            .first()
            .map_or(Color32::TRANSPARENT, |glyph| glyph.color)
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }

    fn bounds(&self) -> PlotBounds {
        let mut bounds = PlotBounds::NOTHING;
        for glyph in &self.glyphs {
            bounds.extend_with(&glyph.at);
        }
        bounds
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }

    // Hover and click are the lanes' own hit-testing, as for the other marks.
    fn allow_hover(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::When;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-5
    }

    fn fades(text: &str, width: f64) -> BarFades {
        BarFades::of(Certainty::of(&When::parse(text).unwrap()), width)
    }

    #[test]
    fn a_month_is_strongest_in_the_middle_and_fades_at_both_ends() {
        let width = 31.0;
        let month = fades("2024-03", width);
        assert_eq!(month.start, month.end);
        assert!((month.start.days - width * COARSE_FADE_SHARE).abs() < 1e-9);
        assert!(close(
            month.strength_at(0.0, width),
            look::COARSE_END_STRENGTH
        ));
        assert!(close(
            month.strength_at(width, width),
            look::COARSE_END_STRENGTH
        ));
        assert!(close(month.strength_at(width / 2.0, width), 1.0));
        // The alpha ramp rises steadily from each end towards the middle.
        let ramp: Vec<f32> = (0..=7)
            .map(|k| month.strength_at(f64::from(k) * 2.0, width))
            .collect();
        assert!(ramp.windows(2).all(|w| w[0] < w[1]), "{ramp:?}");
        let back: Vec<f32> = (0..=7)
            .map(|k| month.strength_at(width - f64::from(k) * 2.0, width))
            .collect();
        assert!(
            ramp.iter().zip(&back).all(|(a, b)| close(*a, *b)),
            "symmetric"
        );
        // A year fades the same way over its own length.
        let year = fades("2024", 366.0);
        assert!((year.start.days - 366.0 * COARSE_FADE_SHARE).abs() < 1e-9);
    }

    #[test]
    fn an_open_start_fades_out_towards_the_start() {
        let width = 200.0;
        let until = fades("../2024-03-07", width);
        assert!(close(
            until.strength_at(0.0, width),
            look::OPEN_END_STRENGTH
        ));
        assert!(close(until.strength_at(0.0, width), 0.0));
        assert!(until.start.days > until.end.days);
        assert!(until.strength_at(width * 0.3, width) < until.strength_at(width * 0.5, width));
        assert!(close(until.strength_at(width * 0.8, width), 1.0));
        assert!(close(
            until.strength_at(width, width),
            look::FINE_END_STRENGTH
        ));
        // And an open end towards the end: a month's start, then the fade out.
        let since = fades("2023-11/..", width);
        assert!(close(since.strength_at(width, width), 0.0));
        assert!(close(
            since.strength_at(0.0, width),
            look::COARSE_END_STRENGTH
        ));
        assert!((since.start.days - DAYS_PER_MONTH).abs() < 1e-9);
        assert!(since.start.days + since.end.days <= width + 1e-9);
    }

    #[test]
    fn the_qualifier_is_written_at_the_end_that_carries_it() {
        let glyph = |text: &str| {
            let certainty = Certainty::of(&When::parse(text).unwrap());
            Glyph::of_bar(certainty, 10.0, 40.0, 2.0, Color32::RED)
        };
        let start = glyph("2024-02-22~/2024-03-22").unwrap();
        assert!(start.before && start.at == PlotPoint::new(10.0, 2.0));
        assert_eq!(start.text, "~");
        let end = glyph("2024-02-22/2024-03-22?").unwrap();
        assert!(!end.before && end.at == PlotPoint::new(40.0, 2.0));
        assert_eq!(end.text, "?");
        assert_eq!(glyph("2024-03~").unwrap().at, PlotPoint::new(40.0, 2.0));
        assert!(glyph("2024-03").is_none() && glyph("2023-11/2024-03-22").is_none());
        let about = Certainty::of(&When::parse("2024-03-15~").unwrap());
        let dot = Glyph::of_dot(about, PlotPoint::new(5.0, 1.0), 5.5, Color32::RED).unwrap();
        assert!(!dot.before && dot.reach == 5.5);
    }

    #[test]
    fn fades_never_ask_for_more_than_the_bar() {
        // A short span with an open end and a year: the two fades share the bar.
        let short = fades("2024/..", 100.0);
        assert!((short.start.days + short.end.days - 100.0).abs() < 1e-9);
        assert!(short.stops(100.0).windows(2).all(|w| w[0].0 <= w[1].0));
        // An approximate start fades over about a week, as a coarse end does.
        let about = fades("2024-02-22~/2024-03-22", 30.0);
        assert_eq!(about.start.strength, look::COARSE_END_STRENGTH);
        assert!((about.start.days - DAYS_PER_WEEK).abs() < 1e-9);
        assert_eq!(about.end.strength, look::FINE_END_STRENGTH);
        // A range known to the day at both ends is only softened.
        let days = fades("2024-03-01/2024-03-20", 20.0);
        assert_eq!(days.start.strength, look::FINE_END_STRENGTH);
        assert!((days.start.days - 2.0).abs() < 1e-9);
    }
}
