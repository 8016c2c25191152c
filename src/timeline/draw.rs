//! What the plot draws: the time window, each lane's marks or histogram, the selected and the
//! hovered event, and the playhead.

use egui::{Color32, Pos2, Rect, Stroke};
use egui_plot::{
    Bar, BarChart, MarkerShape, PlotPoint, PlotPoints, PlotTransform, PlotUi, Points, Polygon,
    Span, VLine,
};

use super::axis::days_from_seconds;
use super::frame::TimelineFrame;
use super::histogram::{HistogramBin, bin_count};
use super::lanes::{BAR_HALF_HEIGHT, Lane, MatchingLanes, ShownLane, TimelinePanel};
use super::range::range_seconds;
use super::uncertainty::{BarFades, Glyph, GradedBar, GradedBars, QualifierGlyphs};
use crate::model::{Event, EventIndex, EventStatus, Shape, TimeRange};
use crate::theme::category_color;
use crate::theme::timeline::TimelineColors;

/// At most this many marks per lane are drawn one by one; beyond, a histogram of counts.
const MARKS_PER_LANE: usize = 600;
/// Radius of a dot, and of the selected or hovered one.
const DOT_RADIUS: f32 = 5.5;
const EMPHASISED_DOT_RADIUS: f32 = 7.0;
/// A bar narrower than this many pixels is drawn as a dot.
const MIN_BAR_PIXELS: f64 = 2.0;

/// One bar of a lane's histogram as drawn, in plot units, for hover and click after the plot.
#[derive(Clone, Copy, Debug)]
pub struct HistogramBar {
    pub bin: HistogramBin,
    base: f64,
    height: f64,
}

impl HistogramBar {
    /// The bar on screen, its bin's whole width.
    pub fn rect(&self, transform: &PlotTransform) -> Rect {
        let (x0, x1) = (
            days_from_seconds(self.bin.span.start),
            days_from_seconds(self.bin.span.end),
        );
        Rect::from_two_pos(
            transform.position_from_point(&PlotPoint::new(x0, self.base + self.height)),
            transform.position_from_point(&PlotPoint::new(x1, self.base)),
        )
    }
}

/// What the plot drew this frame, for hit-testing after it.
#[derive(Default)]
pub struct DrawnItems {
    /// Lanes drawn as histograms (their marks are not hit-tested).
    pub histogram_lanes: Vec<usize>,
    pub bars: Vec<HistogramBar>,
    /// The events whose marks were drawn in full (inside the shown window).
    pub in_full: Vec<EventIndex>,
}

impl DrawnItems {
    /// The histogram bar under a screen position.
    pub fn bar_at(&self, transform: &PlotTransform, pointer: Pos2) -> Option<HistogramBar> {
        self.bars
            .iter()
            .find(|bar| bar.rect(transform).expand(1.0).contains(pointer))
            .copied()
    }
}

/// What the plot draws from: the panel, the frame and the lanes as the filter leaves them.
pub struct PlotContent<'a> {
    pub panel: &'a TimelinePanel,
    pub frame: &'a TimelineFrame<'a>,
    pub matching: &'a MatchingLanes,
    pub colors: &'a TimelineColors,
}

/// Draws everything inside the plot, lane by lane: only the events that match.
pub fn draw_items(plot_ui: &mut PlotUi<'_>, content: &PlotContent<'_>) -> DrawnItems {
    let PlotContent {
        panel,
        frame,
        matching,
        colors,
    } = *content;
    panel.eras.draw(plot_ui, colors);
    draw_spans(plot_ui, frame, colors);
    super::links::draw_links(plot_ui, panel, frame, matching);
    let view = range_seconds(frame.view);
    let bins = bin_count(plot_ui.transform().frame().width());
    let mut drawn = DrawnItems::default();
    for (lane_index, lane) in panel.lanes.iter().enumerate() {
        let shown = matching.lane(lane_index, lane);
        let visible = shown.visible(view);
        if visible.len() <= MARKS_PER_LANE {
            draw_marks(plot_ui, content, lane, visible, &mut drawn.in_full);
        } else {
            // Too many marks to tell apart: a histogram of starts.
            drawn.histogram_lanes.push(lane_index);
            let histogram = HistogramLane {
                shown,
                name: format!("histogram-{lane_index}"),
                color: category_color(frame.dataset, lane.category),
            };
            drawn
                .bars
                .extend(histogram.draw(plot_ui, view, bins, frame.time.playhead, colors));
        }
        // The selection stays visible, inside a histogram too (if the filter lets it through).
        for index in emphasised(frame).filter(|&index| matching.shows(index)) {
            if frame
                .dataset
                .events
                .get(index)
                .is_some_and(|event| lane.holds(frame.dataset, event))
            {
                draw_emphasised(plot_ui, panel, frame, colors, index);
            }
        }
    }
    plot_ui.vline(
        VLine::new("playhead", days_from_seconds(frame.time.playhead))
            .color(colors.playhead)
            .width(2.0)
            .allow_hover(false),
    );
    drawn
}

/// Behind the lanes: the filter's date range, and what the playback mode shows in full (the
/// window, everything from the start, or nothing but the playhead's line).
fn draw_spans(plot_ui: &mut PlotUi<'_>, frame: &TimelineFrame<'_>, colors: &TimelineColors) {
    if let Some(span) = frame.filter.span {
        plot_ui.span(
            // No name: egui_plot would print it inside the span (the panel writes the dates).
            Span::new(
                "",
                days_from_seconds(span.start)..=days_from_seconds(span.end),
            )
            .fill(colors.filter_span)
            .border_color(colors.filter_span_border)
            .border_width(1.0),
        );
    }
    if let Some(shaded) = frame.time.shaded_span(frame.dataset.extent) {
        plot_ui.span(
            Span::new(
                "",
                days_from_seconds(shaded.start)..=days_from_seconds(shaded.end),
            )
            .fill(colors.window_in_plot)
            .border_width(0.0),
        );
    }
}

/// The selected and the hovered event, each once.
fn emphasised(frame: &TimelineFrame<'_>) -> impl Iterator<Item = EventIndex> {
    let hovered = frame.hovered.filter(|&h| Some(h) != frame.selected);
    frame.selected.into_iter().chain(hovered)
}

/// A lane's events one by one: bars (graded: fading towards what the date leaves open), then
/// the dots on top, one plot item per status, then the `~`/`?` of qualified dates. The events
/// drawn in full are added to `in_full`.
fn draw_marks(
    plot_ui: &mut PlotUi<'_>,
    content: &PlotContent<'_>,
    lane: &Lane,
    members: &[u32],
    in_full: &mut Vec<EventIndex>,
) {
    let PlotContent {
        panel,
        frame,
        colors,
        ..
    } = *content;
    let (playhead, window) = (frame.time.playhead, frame.time.shown_window());
    let base = category_color(frame.dataset, lane.category);
    let pixels_per_day = plot_ui.transform().dpos_dvalue_x().abs();
    let mut dots = DotsByStatus::default();
    let mut bars = Vec::new();
    let mut glyphs = Vec::new();
    for &index in members {
        let index = index as usize;
        let (Some(event), Some(&y)) = (frame.dataset.events.get(index), panel.rows.get(index))
        else {
            continue;
        };
        let status = event.status(playhead, window);
        if status == EventStatus::Current {
            in_full.push(index);
        }
        let color = colors.event_color(base, status);
        // A year seen from a billion years away is a point: a dot, not an invisible bar.
        let width_px = days_from_seconds(event.span.duration()) * pixels_per_day;
        let glyph = if event.is_exact() || width_px < MIN_BAR_PIXELS {
            let at = PlotPoint::new(days_from_seconds(event.span.start), y);
            dots.of(status).push(at);
            Glyph::of_dot(event.certainty, at, DOT_RADIUS, color)
        } else {
            let bar = graded_bar(event, y, color);
            bars.push(bar);
            Glyph::of_bar(event.certainty, bar.x0, bar.x1, y, color)
        };
        glyphs.extend(glyph);
    }
    let bars = GradedBars::new(bars);
    if !bars.is_empty() {
        plot_ui.add(bars);
    }
    for (status, points) in dots.into_groups() {
        if !points.is_empty() {
            plot_ui.points(
                Points::new("", PlotPoints::Owned(points))
                    .shape(MarkerShape::Circle)
                    .radius(DOT_RADIUS)
                    .color(colors.event_color(base, status))
                    .filled(true)
                    .allow_hover(false),
            );
        }
    }
    let glyphs = QualifierGlyphs::new(glyphs);
    if !glyphs.is_empty() {
        plot_ui.add(glyphs);
    }
}

/// A lane's dots this frame, grouped by status (each group is drawn in one colour).
#[derive(Default)]
struct DotsByStatus {
    past: Vec<PlotPoint>,
    current: Vec<PlotPoint>,
    future: Vec<PlotPoint>,
}

impl DotsByStatus {
    fn of(&mut self, status: EventStatus) -> &mut Vec<PlotPoint> {
        match status {
            EventStatus::Past => &mut self.past,
            EventStatus::Current => &mut self.current,
            EventStatus::Future => &mut self.future,
        }
    }

    fn into_groups(self) -> [(EventStatus, Vec<PlotPoint>); 3] {
        [
            (EventStatus::Past, self.past),
            (EventStatus::Current, self.current),
            (EventStatus::Future, self.future),
        ]
    }
}

/// A lane drawn as a histogram of its matching events' starts.
struct HistogramLane<'a> {
    shown: ShownLane<'a>,
    name: String,
    color: Color32,
}

impl HistogramLane<'_> {
    /// Draws the bins over `view` (square-root heights) and returns the bars drawn.
    fn draw(
        self,
        plot_ui: &mut PlotUi<'_>,
        view: TimeRange,
        bins: usize,
        playhead: i64,
        colors: &TimelineColors,
    ) -> Vec<HistogramBar> {
        let bins = self.shown.histogram(view, bins);
        let most = bins.iter().map(|bin| bin.count).fold(1, usize::max);
        let lane = self.shown.lane;
        let base = lane.last_row - BAR_HALF_HEIGHT - 0.1;
        let full_height = lane.first_row - lane.last_row + 2.0 * BAR_HALF_HEIGHT + 0.2;
        let drawn: Vec<HistogramBar> = bins
            .into_iter()
            .filter(|bin| bin.count > 0)
            .map(|bin| HistogramBar {
                bin,
                base,
                // Square-root scale keeps small counts visible next to big ones.
                height: full_height * (bin.count as f64 / most as f64).sqrt(),
            })
            .collect();
        let bars = drawn
            .iter()
            .map(|bar| {
                let (x0, x1) = (
                    days_from_seconds(bar.bin.span.start),
                    days_from_seconds(bar.bin.span.end),
                );
                let after_playhead = bar.bin.span.start > playhead;
                Bar::new((x0 + x1) / 2.0, bar.height)
                    .width((x1 - x0) * 0.9)
                    .base_offset(base)
                    .fill(colors.histogram_color(self.color, after_playhead))
                    .stroke(Stroke::NONE)
            })
            .collect();
        plot_ui.bar_chart(BarChart::new(self.name, bars).allow_hover(false));
        drawn
    }
}

/// A month, a year or a range as a bar at height `y`, fading towards the ends its date leaves
/// open: strongest where the event surely was. Ranges are paler, with thin edges.
fn graded_bar(event: &Event, y: f64, color: Color32) -> GradedBar {
    let (x0, x1) = (
        days_from_seconds(event.span.start),
        days_from_seconds(event.span.end),
    );
    GradedBar {
        x0,
        x1,
        y,
        half_height: BAR_HALF_HEIGHT,
        color,
        is_range: event.shape == Shape::Range,
        fades: BarFades::of(event.certainty, x1 - x0),
    }
}

/// The corners of a bar spanning `span`, `half_height` above and below `y`.
fn bar_corners(span: TimeRange, y: f64, half_height: f64) -> PlotPoints<'static> {
    let (x0, x1) = (days_from_seconds(span.start), days_from_seconds(span.end));
    PlotPoints::new(vec![
        [x0, y - half_height],
        [x1, y - half_height],
        [x1, y + half_height],
        [x0, y + half_height],
    ])
}

/// The selected or hovered event: a larger dot with a ring, or a bar with an outline.
fn draw_emphasised(
    plot_ui: &mut PlotUi<'_>,
    panel: &TimelinePanel,
    frame: &TimelineFrame<'_>,
    colors: &TimelineColors,
    index: EventIndex,
) {
    let (Some(event), Some(&y)) = (frame.dataset.events.get(index), panel.rows.get(index)) else {
        return;
    };
    let status = event.status(frame.time.playhead, frame.time.shown_window());
    let color = colors.event_color(category_color(frame.dataset, event.category), status);
    let width_px =
        days_from_seconds(event.span.duration()) * plot_ui.transform().dpos_dvalue_x().abs();
    if event.is_exact() || width_px < MIN_BAR_PIXELS {
        let at = [days_from_seconds(event.span.start), y];
        plot_ui.points(
            Points::new("", at)
                .shape(MarkerShape::Circle)
                .radius(EMPHASISED_DOT_RADIUS)
                .color(color)
                .filled(true)
                .allow_hover(false),
        );
        plot_ui.points(
            Points::new("selection", at)
                .shape(MarkerShape::Circle)
                .radius(10.0)
                .color(colors.emphasis)
                .filled(false)
                .allow_hover(false),
        );
    } else {
        plot_ui.add(GradedBars::new(vec![graded_bar(event, y, color)]));
        plot_ui.polygon(
            Polygon::new(
                "selection",
                bar_corners(event.span, y, BAR_HALF_HEIGHT + 0.08),
            )
            .fill_color(Color32::TRANSPARENT)
            .stroke(Stroke::new(2.5, colors.emphasis))
            .allow_hover(false),
        );
    }
}
