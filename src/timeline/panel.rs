//! The timeline panel: transport controls, a scrub bar and an egui_plot of events in lanes.

use egui::{Align2, Color32, CursorIcon, FontId, Pos2, Rect, Sense, Stroke, Ui, vec2};
use egui_plot::{
    AxisHints, Bar, BarChart, GridMark, MarkerShape, Plot, PlotPoint, PlotPoints, PlotTransform,
    Points, Polygon, Span, VLine,
};

use super::axis::{calendar_marks, days_from_seconds, seconds_from_days, tick_label};
use crate::command::{Command, Direction};
use crate::model::{
    Dataset, EventIndex, EventStatus, calendar, calendar::format_duration, index::TimeIndex,
};
use crate::state::TimeControl;
use crate::state::time::{SPEEDS, WINDOWS};
use crate::theme::{category_color, category_label};

/// Lane layout of the events, computed once per dataset.
pub struct TimelinePanel {
    /// Plot y of each event's row.
    pub rows: Vec<f64>,
    /// `(label, y of the lane's first row, y of its last row, category)` for each lane.
    pub lanes: Vec<(String, f64, f64, Option<usize>)>,
    /// Lowest y used (the plot shows `bottom..=0.5`).
    pub bottom: f64,
    /// Per lane: its events in time order, their starts, and the longest duration.
    lane_members: Vec<Vec<u32>>,
    lane_starts: Vec<Vec<i64>>,
    lane_max_duration: Vec<i64>,
    /// Per lane, a time index over its members (positions in `lane_members`), for picking.
    lane_index: Vec<TimeIndex>,
}

/// Lanes with more events than this are not split into rows; they show a histogram when
/// their marks would crowd.
const DENSE_LANE: usize = 1500;
/// At most this many marks per lane are drawn one by one; beyond, a histogram of counts.
const MARKS_PER_LANE: usize = 600;

/// One bar of a lane's histogram, for hover and click.
#[derive(Clone, Copy, Debug)]
struct HistogramBar {
    start: i64,
    end: i64,
    count: usize,
    rect: Rect,
}

/// What the plot drew this frame, for hit-testing after it.
#[derive(Default)]
struct DrawnItems {
    /// Lanes drawn as histograms (their marks are not hit-tested).
    histogram_lanes: Vec<bool>,
    bars: Vec<HistogramBar>,
}

const ROW_HEIGHT: f64 = 1.0;
const LANE_GAP: f64 = 0.6;
const BAR_HALF_HEIGHT: f64 = 0.32;
/// Pixels within which a click or hover hits a mark.
const HIT_RADIUS: f32 = 8.0;

impl TimelinePanel {
    /// Lanes by category (in the dataset's order, uncategorised last); within a lane, events
    /// that overlap in time go on separate rows.
    pub fn new(dataset: &Dataset) -> Self {
        let mut rows = vec![0.0; dataset.events.len()];
        let mut lanes = Vec::new();
        let mut lane_members = Vec::new();
        let mut lane_starts = Vec::new();
        let mut lane_max_duration = Vec::new();
        let mut y = 0.0;
        // Members of each lane in one pass: by category, uncategorised last.
        let uncategorised = dataset.categories.len();
        let mut members_by_lane: Vec<Vec<EventIndex>> = vec![Vec::new(); uncategorised + 1];
        for (index, event) in dataset.events.iter().enumerate() {
            let lane = event.category.unwrap_or(uncategorised);
            if let Some(members) = members_by_lane.get_mut(lane) {
                members.push(index);
            }
        }
        for (lane, members) in members_by_lane.into_iter().enumerate() {
            let key = (lane < uncategorised).then_some(lane);
            if members.is_empty() {
                continue;
            }
            lane_members.push(members.iter().map(|&i| i as u32).collect());
            lane_starts.push(
                members
                    .iter()
                    .filter_map(|&i| dataset.events.get(i).map(|e| e.span.start))
                    .collect(),
            );
            lane_max_duration.push(
                members
                    .iter()
                    .filter_map(|&i| dataset.events.get(i).map(|e| e.span.duration()))
                    .max()
                    .unwrap_or(0),
            );
            if members.len() > DENSE_LANE {
                // Too many to give rows: one band, two rows high, for marks or a histogram.
                for &index in &members {
                    if let Some(slot) = rows.get_mut(index) {
                        *slot = y - ROW_HEIGHT / 2.0;
                    }
                }
                let last = y - ROW_HEIGHT;
                lanes.push((category_label(dataset, key).to_owned(), y, last, key));
                y = last - ROW_HEIGHT - LANE_GAP;
                continue;
            }
            // Interval partitioning: each event takes the first row free at its start.
            let mut row_ends: Vec<i64> = Vec::new();
            for &index in &members {
                let Some(event) = dataset.events.get(index) else {
                    continue;
                };
                // Exact days get a little room so dots on the same day do not hide each other.
                let end = if event.is_exact() {
                    event.span.start + calendar::DAY / 2
                } else {
                    event.span.end
                };
                let row = match row_ends.iter().position(|&e| e <= event.span.start) {
                    Some(row) => row,
                    None => {
                        row_ends.push(i64::MIN);
                        row_ends.len() - 1
                    }
                };
                if let Some(slot) = row_ends.get_mut(row) {
                    *slot = end;
                }
                if let Some(slot) = rows.get_mut(index) {
                    *slot = y - row as f64 * ROW_HEIGHT;
                }
            }
            let last = y - (row_ends.len().max(1) - 1) as f64 * ROW_HEIGHT;
            lanes.push((category_label(dataset, key).to_owned(), y, last, key));
            y = last - ROW_HEIGHT - LANE_GAP;
        }
        let lane_index = lane_members
            .iter()
            .zip(&lane_starts)
            .map(|(members, starts): (&Vec<u32>, &Vec<i64>)| {
                let ends = members
                    .iter()
                    .map(|&i| dataset.events.get(i as usize).map_or(0, |e| e.span.end))
                    .collect();
                TimeIndex::from_spans(starts.clone(), ends)
            })
            .collect();
        Self {
            rows,
            lanes,
            bottom: y + ROW_HEIGHT - 0.5,
            lane_members,
            lane_starts,
            lane_max_duration,
            lane_index,
        }
    }

    /// Screen position of an event's mark (its start) under `transform`.
    pub fn mark_position(
        &self,
        dataset: &Dataset,
        transform: &PlotTransform,
        index: EventIndex,
    ) -> Option<Pos2> {
        let event = dataset.events.get(index)?;
        let y = *self.rows.get(index)?;
        Some(transform.position_from_point(&PlotPoint::new(days_from_seconds(event.span.start), y)))
    }

    /// The event under a screen position: dots before bars, the shortest bar first.
    /// The event under a screen position (timeline picking).
    pub fn event_at(
        &self,
        dataset: &Dataset,
        transform: &PlotTransform,
        pointer: Pos2,
    ) -> Option<EventIndex> {
        self.hit_skipping(dataset, transform, pointer, &[])
    }

    /// The event under a screen position (dots before bars, the shortest bar first),
    /// ignoring events of lanes drawn as histograms.
    fn hit_skipping(
        &self,
        dataset: &Dataset,
        transform: &PlotTransform,
        pointer: Pos2,
        histogram_lanes: &[bool],
    ) -> Option<EventIndex> {
        let at = seconds_from_days(transform.value_from_position(pointer).x);
        let slack = seconds_from_days(
            transform
                .value_from_position(pointer + vec2(HIT_RADIUS, 0.0))
                .x,
        ) - at;
        // Only the lane under the pointer can be hit.
        let pointer_y = transform.value_from_position(pointer).y;
        let lane = self.lanes.iter().position(|(_, first, last, _)| {
            pointer_y <= first + BAR_HALF_HEIGHT + 0.2 && pointer_y >= last - BAR_HALF_HEIGHT - 0.2
        })?;
        if histogram_lanes.get(lane).copied().unwrap_or(false) {
            return None;
        }
        let members = self.lane_members.get(lane)?;
        let mut candidates = Vec::new();
        self.lane_index.get(lane)?.overlapping(
            at - slack.abs() - 1,
            at + slack.abs(),
            &mut candidates,
        );
        let mut best: Option<(f32, i64, EventIndex)> = None;
        for position in candidates {
            let Some(&index) = members.get(position as usize) else {
                continue;
            };
            let index = index as usize;
            let Some(event) = dataset.events.get(index) else {
                continue;
            };
            let y = self.rows.get(index).copied().unwrap_or(0.0);
            let distance = if event.is_exact() {
                let at = transform
                    .position_from_point(&PlotPoint::new(days_from_seconds(event.span.start), y));
                at.distance(pointer)
            } else {
                let rect = bar_rect(transform, event.span.start, event.span.end, y);
                if rect.expand(2.0).contains(pointer) {
                    0.0
                } else {
                    f32::INFINITY
                }
            };
            if distance <= HIT_RADIUS {
                let key = (distance, event.span.duration(), index);
                if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                    best = Some(key);
                }
            }
        }
        best.map(|(_, _, index)| index)
    }
}

fn bar_rect(transform: &PlotTransform, start: i64, end: i64, y: f64) -> Rect {
    let a = transform.position_from_point(&PlotPoint::new(
        days_from_seconds(start),
        y + BAR_HALF_HEIGHT,
    ));
    let b =
        transform.position_from_point(&PlotPoint::new(days_from_seconds(end), y - BAR_HALF_HEIGHT));
    // Very short spans stay visible as at least 3 px.
    let mut rect = Rect::from_two_pos(a, b);
    if rect.width() < 3.0 {
        rect = Rect::from_center_size(rect.center(), vec2(3.0, rect.height()));
    }
    rect
}

/// What the timeline shows this frame.
pub struct TimelineFrame<'a> {
    pub dataset: &'a Dataset,
    pub time: &'a TimeControl,
    pub selected: Option<EventIndex>,
    pub hovered: Option<EventIndex>,
    /// Set when the visible span must change (days since 1970).
    pub requested_view: Option<(f64, f64)>,
}

/// Output of the timeline besides commands: the visible span, to remember it, and the
/// plot transform, to place marks (for keyboard focus and tests).
pub struct TimelineOutput {
    pub commands: Vec<Command>,
    pub view: Option<(f64, f64)>,
    pub transform: PlotTransform,
}

/// Draws the whole timeline panel.
pub fn timeline_ui(
    ui: &mut Ui,
    panel: &TimelinePanel,
    frame: &TimelineFrame<'_>,
) -> TimelineOutput {
    let mut commands = Vec::new();
    transport_bar(ui, frame, &mut commands);
    let extent = frame.dataset.extent;
    let scrub_rect = ui
        .allocate_exact_size(vec2(ui.available_width(), 22.0), Sense::hover())
        .0;

    let grab_id = egui::Id::unique("timeline-playhead-grab");
    let grab_near: bool = ui.data(|d| d.get_temp(grab_id).unwrap_or(false));

    let data_range = extent.map_or((0.0, 1.0), |e| {
        let pad = (days_from_seconds(e.end) - days_from_seconds(e.start)) * 0.04 + 1.0;
        (
            days_from_seconds(e.start) - pad,
            days_from_seconds(e.end) + pad,
        )
    });
    let lanes = panel.lanes.clone();
    let top = 0.5 + BAR_HALF_HEIGHT;
    let bottom = panel.bottom;
    let plot = Plot::new("timeline-plot")
        .allow_zoom([true, false])
        .allow_scroll([true, false])
        .allow_drag([!grab_near, false])
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_crosshair(false)
        .label_formatter(|_| None)
        .default_x_bounds(data_range.0, data_range.1)
        .default_y_bounds(bottom, top)
        .x_grid_spacer(|input| {
            calendar_marks(input.bounds.0, input.bounds.1, input.base_step_size)
                .into_iter()
                .map(|(value, step_size)| GridMark { value, step_size })
                .collect()
        })
        .custom_x_axes(vec![
            AxisHints::new_x()
                .formatter(|mark, _range| tick_label(mark.value, mark.step_size))
                .label_spacing(60.0..=90.0),
        ])
        .y_grid_spacer(move |_input| {
            lanes
                .iter()
                .map(|(_, first, _, _)| GridMark {
                    value: *first,
                    // Large, so egui_plot always has room to print the lane name.
                    step_size: 50.0,
                })
                .collect()
        })
        .custom_y_axes(vec![{
            let lanes = panel.lanes.clone();
            AxisHints::new_y()
                .formatter(move |mark, _range| {
                    lanes
                        .iter()
                        .find(|(_, first, _, _)| (first - mark.value).abs() < 1e-6)
                        .map(|(label, _, _, _)| label.clone())
                        .unwrap_or_default()
                })
                .min_thickness(150.0)
        }]);

    let requested_view = frame.requested_view;
    let response = plot.show(ui, |plot_ui| {
        if let Some((min, max)) = requested_view {
            plot_ui.set_plot_bounds_x(min..=max);
        }
        plot_ui.set_plot_bounds_y(bottom..=top);
        add_items(plot_ui, panel, frame)
    });
    let drawn = response.inner;
    let transform = response.transform;
    let plot_response = &response.response;

    // Dragging the playhead line; the decision is made on hover so the plot does not pan.
    let pointer = ui.input(|i| i.pointer.hover_pos());
    let playhead_x = transform.position_from_point_x(days_from_seconds(frame.time.playhead));
    let near_playhead =
        pointer.is_some_and(|p| (p.x - playhead_x).abs() <= 6.0 && plot_response.rect.contains(p));
    if plot_response.dragged() && grab_near {
        if let Some(p) = plot_response.interact_pointer_pos() {
            let seconds = seconds_from_days(transform.value_from_position(p).x);
            commands.push(Command::SetPlayhead(seconds));
        }
        ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal);
    } else if !plot_response.dragged() {
        ui.data_mut(|d| d.insert_temp(grab_id, near_playhead));
        if near_playhead {
            ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal);
        }
    }

    // Hover and click on marks, then on histogram bars.
    let hit = |p: Pos2| panel.hit_skipping(frame.dataset, &transform, p, &drawn.histogram_lanes);
    let hovered = pointer
        .filter(|p| plot_response.rect.contains(*p) && !near_playhead)
        .and_then(hit);
    let hovered_bar = pointer
        .filter(|p| plot_response.rect.contains(*p) && !near_playhead && hovered.is_none())
        .and_then(|p| {
            drawn
                .bars
                .iter()
                .find(|bar| bar.rect.expand(1.0).contains(p))
                .copied()
        });
    if plot_response.contains_pointer() {
        commands.push(Command::Hover(hovered));
    }
    if let Some(index) = hovered {
        ui.ctx().set_cursor_icon(CursorIcon::PointingHand);
        plot_response.clone().on_hover_ui_at_pointer(|ui| {
            crate::theme::widgets::event_tooltip(ui, frame.dataset, index);
        });
    } else if let Some(bar) = hovered_bar {
        ui.ctx().set_cursor_icon(CursorIcon::ZoomIn);
        plot_response.clone().on_hover_ui_at_pointer(|ui| {
            ui.label(egui::RichText::new(format!("{} events", bar.count)).strong());
            ui.label(format!(
                "starting {} – {}",
                calendar::format_day_short(bar.start),
                calendar::format_day_short(bar.end - 1)
            ));
            ui.weak("Click to zoom in on them");
        });
    }
    if plot_response.clicked()
        && let Some(p) = plot_response.interact_pointer_pos()
    {
        match (hit(p), hovered_bar) {
            (Some(index), _) => commands.push(Command::Select(Some(index))),
            (None, Some(bar)) => {
                let (a, b) = (days_from_seconds(bar.start), days_from_seconds(bar.end));
                let pad = (b - a).max(1.0) * 2.0;
                commands.push(Command::SetTimelineView {
                    min: a - pad,
                    max: b + pad,
                });
            }
            (None, None) => commands.push(Command::Select(None)),
        }
    }
    if plot_response.double_clicked() {
        commands.push(Command::FitTimeline);
    }

    scrub_bar(ui, scrub_rect, &transform, frame, &mut commands);
    let bounds = transform.bounds();
    TimelineOutput {
        commands,
        view: Some((bounds.min()[0], bounds.max()[0])),
        transform,
    }
}

fn add_items(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    panel: &TimelinePanel,
    frame: &TimelineFrame<'_>,
) -> DrawnItems {
    let dataset = frame.dataset;
    let (playhead, window) = (frame.time.playhead, frame.time.window);
    plot_ui.span(
        // No name: egui_plot would print it inside the span.
        Span::new(
            "",
            days_from_seconds(playhead - window)..=days_from_seconds(playhead),
        )
        .fill(Color32::from_rgba_unmultiplied(230, 80, 60, 28))
        .border_width(0.0),
    );
    let bounds = plot_ui.plot_bounds();
    let (view_start, view_end) = (
        seconds_from_days(bounds.min()[0]),
        seconds_from_days(bounds.max()[0]),
    );
    let width_px = plot_ui.transform().frame().width().max(1.0);
    let mut drawn = DrawnItems::default();
    for (lane, (_, first, last, category)) in panel.lanes.iter().enumerate() {
        let members = panel.lane_members.get(lane).map_or(&[][..], Vec::as_slice);
        let starts = panel.lane_starts.get(lane).map_or(&[][..], Vec::as_slice);
        let longest = panel.lane_max_duration.get(lane).copied().unwrap_or(0);
        // Events that can reach into the view start at most `longest` before it.
        let from = starts.partition_point(|&s| s < view_start.saturating_sub(longest));
        let to = starts.partition_point(|&s| s <= view_end);
        if to.saturating_sub(from) <= MARKS_PER_LANE {
            drawn.histogram_lanes.push(false);
            for &index in members.get(from..to.max(from)).unwrap_or_default() {
                draw_event(plot_ui, panel, frame, index as usize);
            }
            continue;
        }
        // Too many marks to tell apart: a histogram of starts, its bins following the zoom.
        drawn.histogram_lanes.push(true);
        let bin_count = ((width_px / 5.0) as usize).clamp(10, 400);
        let span = (view_end - view_start).max(1);
        let edges: Vec<i64> = (0..=bin_count)
            .map(|b| view_start + (span as i128 * b as i128 / bin_count as i128) as i64)
            .collect();
        let counts: Vec<usize> = edges
            .windows(2)
            .map(|pair| match pair {
                [a, b] => starts.partition_point(|&s| s < *b) - starts.partition_point(|&s| s < *a),
                _ => 0,
            })
            .collect();
        let most = counts.iter().copied().max().unwrap_or(0).max(1);
        let base = last - BAR_HALF_HEIGHT - 0.1;
        let full_height = first - last + 2.0 * BAR_HALF_HEIGHT + 0.2;
        let color = category_color(dataset, *category);
        let mut bars = Vec::new();
        for (bin, &count) in counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let (Some(&a), Some(&b)) = (edges.get(bin), edges.get(bin + 1)) else {
                continue;
            };
            // Square-root scale keeps small counts visible next to big ones.
            let height = full_height * ((count as f64) / most as f64).sqrt();
            let (x0, x1) = (days_from_seconds(a), days_from_seconds(b));
            let tint = if a > playhead {
                color.gamma_multiply(0.35)
            } else {
                color
            };
            bars.push(
                Bar::new((x0 + x1) / 2.0, height)
                    .width((x1 - x0) * 0.9)
                    .base_offset(base)
                    .fill(tint)
                    .stroke(Stroke::NONE),
            );
            let top_left = plot_ui.screen_from_plot(PlotPoint::new(x0, base + height));
            let bottom_right = plot_ui.screen_from_plot(PlotPoint::new(x1, base));
            drawn.bars.push(HistogramBar {
                start: a,
                end: b,
                count,
                rect: Rect::from_two_pos(top_left, bottom_right),
            });
        }
        plot_ui.bar_chart(BarChart::new(format!("histogram-{lane}"), bars).allow_hover(false));
        // The selection stays visible inside a histogram.
        for index in [frame.selected, frame.hovered].into_iter().flatten() {
            if dataset
                .events
                .get(index)
                .is_some_and(|e| e.category == *category)
            {
                draw_event(plot_ui, panel, frame, index);
            }
        }
    }
    plot_ui.vline(
        VLine::new("playhead", days_from_seconds(playhead))
            .color(Color32::from_rgb(210, 50, 40))
            .width(2.0)
            .allow_hover(false),
    );
    drawn
}

/// One event as a mark (exact days and times) or a bar (months, years, ranges).
fn draw_event(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    panel: &TimelinePanel,
    frame: &TimelineFrame<'_>,
    index: EventIndex,
) {
    let dataset = frame.dataset;
    let (playhead, window) = (frame.time.playhead, frame.time.window);
    let emphasis_color = plot_ui.ctx().global_style().visuals.strong_text_color();
    let Some(event) = dataset.events.get(index) else {
        return;
    };
    let y = panel.rows.get(index).copied().unwrap_or(0.0);
    let status = event.status(playhead, window);
    let base = category_color(dataset, event.category);
    let color = match status {
        EventStatus::Current => base,
        EventStatus::Past => base.gamma_multiply(0.6),
        EventStatus::Future => base.gamma_multiply(0.3),
    };
    let emphasis = frame.selected == Some(index) || frame.hovered == Some(index);
    if event.is_exact() {
        let point = [days_from_seconds(event.span.start), y];
        plot_ui.points(
            Points::new(event.title().to_owned(), PlotPoints::new(vec![point]))
                .shape(MarkerShape::Circle)
                .radius(if emphasis { 7.0 } else { 5.5 })
                .color(color)
                .filled(true)
                .allow_hover(false),
        );
    } else {
        let (x0, x1) = (
            days_from_seconds(event.span.start),
            days_from_seconds(event.span.end),
        );
        let half = BAR_HALF_HEIGHT;
        let corners = vec![
            [x0, y - half],
            [x1, y - half],
            [x1, y + half],
            [x0, y + half],
        ];
        // Ranges are outlined and pale; a single month or year is a solid bar.
        let is_range = event.shape == crate::model::Shape::Range;
        let (fill, stroke) = if is_range {
            (color.gamma_multiply(0.25), Stroke::new(1.5, color))
        } else {
            (color.gamma_multiply(0.75), Stroke::new(1.0, color))
        };
        plot_ui.polygon(
            Polygon::new(event.title().to_owned(), PlotPoints::new(corners))
                .fill_color(fill)
                .stroke(stroke)
                .allow_hover(false),
        );
    }
    if emphasis {
        let (x0, x1) = (
            days_from_seconds(event.span.start),
            days_from_seconds(event.span.end),
        );
        if event.is_exact() {
            plot_ui.points(
                Points::new("selection", PlotPoints::new(vec![[x0, y]]))
                    .shape(MarkerShape::Circle)
                    .radius(10.0)
                    .color(emphasis_color)
                    .filled(false)
                    .allow_hover(false),
            );
        } else {
            let half = BAR_HALF_HEIGHT + 0.08;
            let corners = vec![
                [x0, y - half],
                [x1, y - half],
                [x1, y + half],
                [x0, y + half],
            ];
            plot_ui.polygon(
                Polygon::new("selection", PlotPoints::new(corners))
                    .fill_color(Color32::TRANSPARENT)
                    .stroke(Stroke::new(2.5, emphasis_color))
                    .allow_hover(false),
            );
        }
    }
}

fn scrub_bar(
    ui: &mut Ui,
    rect: Rect,
    transform: &PlotTransform,
    frame: &TimelineFrame<'_>,
    commands: &mut Vec<Command>,
) {
    let plot_frame = transform.frame();
    let rect = Rect::from_x_y_ranges(plot_frame.x_range(), rect.y_range());
    let response = ui
        .interact(
            rect,
            ui.make_persistent_id("timeline-scrub-bar"),
            Sense::click_and_drag(),
        )
        .on_hover_text("Drag to move the playhead (events after it are hidden on the map)");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, "Playhead"));
    if (response.dragged() || response.clicked())
        && let Some(p) = response.interact_pointer_pos()
    {
        let x = p.x.clamp(rect.left(), rect.right());
        let seconds = seconds_from_days(transform.value_from_position(egui::pos2(x, p.y)).x);
        commands.push(Command::SetPlayhead(seconds));
    }
    if response.hovered() || response.dragged() {
        ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal);
    }
    let painter = ui.painter_at(rect.expand2(vec2(60.0, 0.0)));
    painter.rect_filled(rect, 3.0, ui.visuals().extreme_bg_color);
    let x_of = |seconds: i64| transform.position_from_point_x(days_from_seconds(seconds));
    let window_left = x_of(frame.time.playhead - frame.time.window).max(rect.left());
    let playhead_x = x_of(frame.time.playhead);
    if playhead_x >= rect.left() - 1.0 && playhead_x <= rect.right() + 1.0 {
        painter.rect_filled(
            Rect::from_x_y_ranges(window_left..=playhead_x, rect.y_range()),
            3.0,
            Color32::from_rgba_unmultiplied(230, 80, 60, 50),
        );
        let handle = [
            egui::pos2(playhead_x - 7.0, rect.top()),
            egui::pos2(playhead_x + 7.0, rect.top()),
            egui::pos2(playhead_x, rect.bottom()),
        ];
        painter.add(egui::Shape::convex_polygon(
            handle.to_vec(),
            Color32::from_rgb(210, 50, 40),
            Stroke::NONE,
        ));
        let label = calendar::format_day_short(frame.time.playhead);
        let align = if playhead_x > rect.right() - 90.0 {
            Align2::RIGHT_CENTER
        } else {
            Align2::LEFT_CENTER
        };
        let offset = if align == Align2::RIGHT_CENTER {
            -10.0
        } else {
            10.0
        };
        painter.text(
            egui::pos2(playhead_x + offset, rect.center().y),
            align,
            label,
            FontId::proportional(12.0),
            ui.visuals().strong_text_color(),
        );
    }
}

fn transport_bar(ui: &mut Ui, frame: &TimelineFrame<'_>, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if ui
            .button("|< Start")
            .on_hover_text("Go to the first date (Home)")
            .clicked()
        {
            commands.push(Command::JumpToStart);
        }
        if ui
            .button("< Previous")
            .on_hover_text("Select the previous event (Left arrow)")
            .clicked()
        {
            commands.push(Command::Step(Direction::Previous));
        }
        let play_label = if frame.time.playing { "Pause" } else { "Play" };
        if ui
            .button(play_label)
            .on_hover_text("Play or pause (Space)")
            .clicked()
        {
            commands.push(Command::TogglePlay);
        }
        if ui
            .button("Next >")
            .on_hover_text("Select the next event (Right arrow)")
            .clicked()
        {
            commands.push(Command::Step(Direction::Next));
        }
        if ui
            .button("End >|")
            .on_hover_text("Go to the last date (End)")
            .clicked()
        {
            commands.push(Command::JumpToEnd);
        }
        ui.separator();
        ui.label(egui::RichText::new(calendar::format_day(frame.time.playhead)).strong())
            .on_hover_text("The playhead: the map shows events up to this date");
        ui.separator();
        ui.label("Speed");
        egui::ComboBox::from_id_salt("playback-speed")
            .selected_text(speed_label(frame.time.speed))
            .show_ui(ui, |ui| {
                for speed in SPEEDS {
                    if ui
                        .selectable_label(frame.time.speed == speed, speed_label(speed))
                        .clicked()
                    {
                        commands.push(Command::SetSpeed(speed));
                    }
                }
            })
            .response
            .on_hover_text("How fast the playhead moves when playing");
        ui.label("Window");
        egui::ComboBox::from_id_salt("time-window")
            .selected_text(format_duration(frame.time.window))
            .show_ui(ui, |ui| {
                for window in WINDOWS {
                    if ui
                        .selectable_label(frame.time.window == window, format_duration(window))
                        .clicked()
                    {
                        commands.push(Command::SetWindow(window));
                    }
                }
            })
            .response
            .on_hover_text(
                "How far back from the playhead events are shown in full; older ones fade",
            );
        ui.separator();
        if ui
            .button("Fit")
            .on_hover_text("Show the whole time span (double-click the timeline)")
            .clicked()
        {
            commands.push(Command::FitTimeline);
        }
    });
}

fn speed_label(speed: f64) -> String {
    if speed >= 365.0 {
        "1 year/s".to_owned()
    } else if speed >= 1.0 {
        format!("{speed} days/s").replace("1 days", "1 day")
    } else {
        format!("{} hours/s", speed * 24.0)
    }
}
