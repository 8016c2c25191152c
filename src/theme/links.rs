//! How links between events are drawn, on the map and on the timeline: a few styles (colour,
//! width, dashes), one per kind of link chosen by a stable hash of the kind's text, so that the
//! same kind always looks the same; how the selection's links stand out; and the arc's shape,
//! a curve bowed to one side with an arrowhead at its `to` end, the same in both views.

use egui::{Color32, Pos2, Shape, Stroke, Vec2};

/// How a link's line is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dash {
    Solid,
    /// Dashes of this many points, with gaps of half that.
    Dashed(u8),
    /// Dots this many points apart.
    Dotted(u8),
}

/// The look of one kind of link.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkStyle {
    pub color: Color32,
    /// Line width in points (the selection's links and the hovered one are drawn wider).
    pub width: f32,
    pub dash: Dash,
}

/// How many styles the kinds share.
pub const STYLE_COUNT: usize = 6;

/// The dashes of the styles: colours alone would not tell kinds apart for everyone.
const DASHES: [Dash; STYLE_COUNT] = [
    Dash::Solid,
    Dash::Dashed(8),
    Dash::Dotted(5),
    Dash::Solid,
    Dash::Dashed(5),
    Dash::Dotted(4),
];

/// Colours that read over the basemap of either theme and apart from the category colours'
/// most common hues (the dark theme's are lighter).
const DARK_COLORS: [Color32; STYLE_COUNT] = [
    Color32::from_rgb(240, 200, 90),
    Color32::from_rgb(120, 200, 240),
    Color32::from_rgb(240, 140, 200),
    Color32::from_rgb(150, 230, 150),
    Color32::from_rgb(250, 160, 100),
    Color32::from_rgb(200, 180, 250),
];
const LIGHT_COLORS: [Color32; STYLE_COUNT] = [
    Color32::from_rgb(150, 100, 0),
    Color32::from_rgb(20, 100, 170),
    Color32::from_rgb(170, 40, 120),
    Color32::from_rgb(30, 120, 40),
    Color32::from_rgb(190, 80, 10),
    Color32::from_rgb(100, 70, 180),
];

/// Line width of a link drawn plainly, and of the selection's (or the hovered one).
pub const LINK_WIDTH: f32 = 1.8;
pub const EMPHASISED_WIDTH: f32 = 3.2;
/// How strongly the links that are not the selection's are drawn while something is selected.
pub const FAINT: f32 = 0.25;

/// Which of the [`STYLE_COUNT`] styles a kind has: FNV-1a of its text, so the same kind gets the
/// same style in every run and every dataset.
pub fn style_slot(kind: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in kind.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % STYLE_COUNT
}

/// The style of a kind of link, in the dark (`true`) or the light theme.
pub fn link_style(kind: &str, dark_mode: bool) -> LinkStyle {
    let slot = style_slot(kind);
    let colors = if dark_mode {
        &DARK_COLORS
    } else {
        &LIGHT_COLORS
    };
    LinkStyle {
        color: colors.get(slot).copied().unwrap_or(Color32::GRAY),
        width: LINK_WIDTH,
        dash: DASHES.get(slot).copied().unwrap_or(Dash::Solid),
    }
}

impl LinkStyle {
    /// The style as drawn: wider when `emphasised` (the selection's or the hovered link),
    /// faint when something else is selected.
    pub fn drawn(self, emphasised: bool, faint: bool) -> Self {
        if emphasised {
            Self {
                width: EMPHASISED_WIDTH,
                ..self
            }
        } else if faint {
            Self {
                color: self.color.gamma_multiply(FAINT),
                ..self
            }
        } else {
            self
        }
    }
}

/// How far an arc's control point is from the straight line, as a share of its length (its
/// middle bows out half that): enough that the
/// links A→B and B→A (bowed to opposite sides) are apart.
const BOW: f32 = 0.18;
/// Points along an arc.
const ARC_SAMPLES: usize = 24;
/// The arrowhead's length and half width, in points.
const ARROW_LENGTH: f32 = 10.0;
const ARROW_HALF_WIDTH: f32 = 4.5;

/// A link drawn between two marks on screen: a quadratic Bézier curve bowed to the left of the
/// direction of travel, cut where it enters the marks, with an arrowhead whose tip touches the
/// `to` mark.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkArc {
    /// The curve, from the `from` mark's edge to the arrowhead's base.
    pub points: Vec<Pos2>,
    /// The arrowhead: its tip, then its two back corners.
    pub arrow: [Pos2; 3],
}

impl LinkArc {
    /// The arc from `from` to `to` (mark centres), leaving out the marks' discs of
    /// `from_radius` and `to_radius`. `None` when the marks are too close to draw between.
    pub fn new(from: Pos2, to: Pos2, from_radius: f32, to_radius: f32) -> Option<Self> {
        Self::bowed(from, to, (from_radius, to_radius), 0.0..=f32::INFINITY)
    }

    /// The same arc, its middle `bow` points out of the straight line at least and at most
    /// (the timeline's connectors: long ones would sweep across its lanes, and marks a row
    /// apart need room for an arrow).
    pub fn bowed(
        from: Pos2,
        to: Pos2,
        (from_radius, to_radius): (f32, f32),
        bow: std::ops::RangeInclusive<f32>,
    ) -> Option<Self> {
        let chord = to - from;
        let length = chord.length();
        if !length.is_finite() || length < 1.0 {
            return None;
        }
        // Left of the direction of travel: the reverse link bows to the other side. The
        // curve's middle is halfway to its control point.
        let normal = Vec2::new(chord.y, -chord.x) / length;
        let depth = (length * BOW / 2.0).clamp(*bow.start(), *bow.end());
        let control = from + chord * 0.5 + normal * (2.0 * depth);
        let at = |t: f32| {
            let u = 1.0 - t;
            Pos2::new(
                u * u * from.x + 2.0 * u * t * control.x + t * t * to.x,
                u * u * from.y + 2.0 * u * t * control.y + t * t * to.y,
            )
        };
        let curve: Vec<Pos2> = (0..=ARC_SAMPLES)
            .map(|k| at(k as f32 / ARC_SAMPLES as f32))
            .collect();
        let tip_reach = to_radius + 1.0;
        let mut points: Vec<Pos2> = curve
            .iter()
            .copied()
            .filter(|p| p.distance(from) >= from_radius && p.distance(to) >= tip_reach)
            .collect();
        // The tip: where the curve meets the `to` mark's edge, towards the last point kept.
        let last = *points.last()?;
        let tip = to + (last - to).normalized() * tip_reach;
        // Room for the arrowhead between the two marks, or no arc.
        if points
            .first()
            .is_none_or(|first| first.distance(tip) < ARROW_LENGTH)
        {
            return None;
        }
        let back = (tip - last).normalized();
        let base = tip - back * ARROW_LENGTH;
        let side = Vec2::new(-back.y, back.x) * ARROW_HALF_WIDTH;
        // The curve stops at the arrowhead's base, so a wide stroke does not blunt its tip.
        while points.len() > 1
            && points
                .last()
                .is_some_and(|p| p.distance(tip) < ARROW_LENGTH)
        {
            points.pop();
        }
        points.push(base);
        Some(Self {
            points,
            arrow: [tip, base + side, base - side],
        })
    }

    /// How far `pointer` is from the arc (its curve or its arrowhead).
    pub fn distance_to(&self, pointer: Pos2) -> f32 {
        let curve = self
            .points
            .windows(2)
            .filter_map(|pair| match pair {
                [a, b] => Some(segment_distance(pointer, *a, *b)),
                _ => None,
            })
            .fold(f32::INFINITY, f32::min);
        let [tip, ..] = self.arrow;
        curve.min(pointer.distance(tip))
    }

    /// The shapes that draw the arc in `style`.
    pub fn shapes(&self, style: LinkStyle) -> Vec<Shape> {
        let stroke = Stroke::new(style.width, style.color);
        let mut shapes = match style.dash {
            Dash::Solid => vec![Shape::line(self.points.clone(), stroke)],
            Dash::Dashed(length) => {
                let length = f32::from(length);
                Shape::dashed_line(&self.points, stroke, length, length / 2.0)
            }
            Dash::Dotted(spacing) => Shape::dotted_line(
                &self.points,
                style.color,
                f32::from(spacing),
                style.width * 0.75,
            ),
        };
        shapes.push(Shape::convex_polygon(
            self.arrow.to_vec(),
            style.color,
            Stroke::NONE,
        ));
        shapes
    }
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let along = if ab.length_sq() > 0.0 {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(a + ab * along)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    /// Which side of the line `a`–`b` a point is on (the sign of the cross product).
    fn side(a: Pos2, b: Pos2, p: Pos2) -> f32 {
        (b - a).x * (p - a).y - (b - a).y * (p - a).x
    }

    #[test]
    fn an_arc_runs_between_the_two_places_and_its_arrow_points_to_the_to_end() {
        let (a, b) = (pos2(100.0, 300.0), pos2(400.0, 200.0));
        let arc = LinkArc::new(a, b, 0.0, 0.0).unwrap_or_else(|| panic!("an arc"));
        assert_eq!(arc.points.first(), Some(&a), "starts at the `from` place");
        let [tip, left, right] = arc.arrow;
        assert!(
            tip.distance(b) <= 1.01,
            "the tip touches the `to` place: {tip:?}"
        );
        // The arrow points at `to`: its tip is nearer to it than its back corners are.
        let base = pos2((left.x + right.x) / 2.0, (left.y + right.y) / 2.0);
        assert!((tip - base).normalized().dot((b - base).normalized()) > 0.9);
        assert!((base.distance(tip) - ARROW_LENGTH).abs() < 0.01);
        assert_eq!(
            arc.points.last(),
            Some(&base),
            "the curve ends at the arrow's base"
        );
        // Cut where the marks are.
        let cut = LinkArc::new(a, b, 7.0, 12.0).unwrap_or_else(|| panic!("an arc"));
        assert!(
            cut.points
                .iter()
                .all(|p| p.distance(a) >= 7.0 && p.distance(b) >= 12.0)
        );
        assert!((cut.arrow[0].distance(b) - 13.0).abs() < 0.01);
    }

    #[test]
    fn a_to_b_and_b_to_a_bow_to_different_sides() {
        let (a, b) = (pos2(100.0, 100.0), pos2(300.0, 180.0));
        let there = LinkArc::new(a, b, 7.0, 7.0).unwrap_or_else(|| panic!("an arc"));
        let back = LinkArc::new(b, a, 7.0, 7.0).unwrap_or_else(|| panic!("an arc"));
        let middle = |arc: &LinkArc| arc.points.get(arc.points.len() / 2).copied();
        let (Some(m1), Some(m2)) = (middle(&there), middle(&back)) else {
            panic!("arcs have points");
        };
        assert!(side(a, b, m1) * side(a, b, m2) < 0.0, "{m1:?} {m2:?}");
        // Bowed clearly away from the straight line.
        assert!(segment_distance(m1, a, b) > 15.0);
        assert!(there.distance_to(m1) < 0.01 && back.distance_to(m1) > 30.0);
    }

    #[test]
    fn a_long_arc_can_be_kept_flat() {
        let (a, b) = (pos2(0.0, 100.0), pos2(1000.0, 100.0));
        let flat = LinkArc::bowed(a, b, (0.0, 0.0), 0.0..=20.0).unwrap_or_else(|| panic!("an arc"));
        let deepest = flat
            .points
            .iter()
            .map(|p| (p.y - 100.0).abs())
            .fold(0.0, f32::max);
        assert!((deepest - 20.0).abs() < 0.5, "{deepest}");
        let free = LinkArc::new(a, b, 0.0, 0.0).unwrap_or_else(|| panic!("an arc"));
        assert!(free.points.iter().any(|p| (p.y - 100.0).abs() > 80.0));
        // Marks a row apart still get a connector, bowed out enough for its arrow.
        let (c, d) = (pos2(50.0, 50.0), pos2(50.0, 64.0));
        assert_eq!(
            LinkArc::new(c, d, 6.5, 6.5),
            None,
            "too close for a flat arc"
        );
        let bowed =
            LinkArc::bowed(c, d, (6.5, 6.5), 16.0..=20.0).unwrap_or_else(|| panic!("an arc"));
        assert!(bowed.arrow[0].distance(d) < 7.6);
    }

    #[test]
    fn marks_too_close_have_no_arc() {
        assert_eq!(
            LinkArc::new(pos2(0.0, 0.0), pos2(10.0, 0.0), 7.0, 7.0),
            None
        );
        assert_eq!(LinkArc::new(pos2(5.0, 5.0), pos2(5.0, 5.0), 0.0, 0.0), None);
    }

    #[test]
    fn a_kind_always_has_the_same_style_and_kinds_spread_over_the_styles() {
        assert_eq!(
            link_style("planned attack", true),
            link_style("planned attack", true)
        );
        assert_eq!(style_slot("includes"), style_slot("includes"));
        let kinds = [
            "includes",
            "planned attack",
            "planned by",
            "response to",
            "claim of",
            "follows",
            "",
        ];
        let slots: std::collections::BTreeSet<usize> =
            kinds.iter().map(|kind| style_slot(kind)).collect();
        assert!(slots.len() >= 4, "{slots:?}");
        assert!(slots.iter().all(|&slot| slot < STYLE_COUNT));
        let light = link_style("includes", false);
        assert_ne!(light.color, link_style("includes", true).color);
        assert_eq!(light.dash, link_style("includes", true).dash);
    }

    #[test]
    fn the_selection_s_links_are_wider_and_the_others_faint() {
        let style = link_style("response to", true);
        assert!(style.drawn(true, false).width > style.width);
        let faint = style.drawn(false, true);
        assert!(faint.color.a() < style.color.a());
        assert_eq!(style.drawn(false, false), style);
    }
}
