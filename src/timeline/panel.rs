//! The timeline panel: transport controls, a scrub bar and an egui_plot of events in lanes.

use egui::{CursorIcon, Pos2, Response, Sense, Ui, vec2};
use egui_plot::{AxisHints, GridMark, Plot, PlotTransform};

use super::axis::{calendar_marks, days_from_seconds, seconds_from_days, tick_label};
use super::controls::{scrub_bar_ui, transport_bar_ui};
use super::draw::{DrawnItems, PlotContent, draw_items};
use super::frame::TimelineFrame;
use super::lanes::{BAR_HALF_HEIGHT, MatchingLanes, TimelinePanel};
use super::range::{moved_range, zoom_on};
use super::span::{filter_span_ui, selecting_span, span_drag_ui};
use crate::command::Command;
use crate::model::calendar;
use crate::state::TimelineView;
use crate::theme::timeline::TimelineColors;

/// Pixels either side of the playhead line within which a drag moves the playhead.
const PLAYHEAD_GRAB: f32 = 6.0;

/// Output of the timeline besides commands: the plot transform, to place marks (for keyboard
/// focus and tests).
pub struct TimelineOutput {
    pub commands: Vec<Command>,
    pub transform: PlotTransform,
}

/// Draws the whole timeline panel: it shows `frame.view` exactly, only the events that
/// `frame.matches` holds, and reports what the user does, a pan or a zoom included, as commands.
pub fn timeline_ui(
    ui: &mut Ui,
    panel: &TimelinePanel,
    frame: &TimelineFrame<'_>,
) -> TimelineOutput {
    let colors = TimelineColors::new(ui.visuals().dark_mode);
    let mut commands = Vec::new();
    transport_bar_ui(ui, frame, &mut commands);
    let scrub_rect = ui
        .allocate_exact_size(vec2(ui.available_width(), 22.0), Sense::hover())
        .0;
    // Whether a drag starting now grabs the playhead; decided on hover, before the press, so
    // that the plot does not pan instead. Shift held: the drag selects a date range instead.
    let grab_id = egui::Id::unique("timeline-playhead-grab");
    let selecting = selecting_span(ui);
    let grab_near: bool = ui.data(|d| d.get_temp(grab_id).unwrap_or(false)) && !selecting;

    let matching = panel.matching(frame.dataset, frame.matches);
    let top = 0.5 + BAR_HALF_HEIGHT;
    let view = frame.view;
    let content = PlotContent {
        panel,
        frame,
        matching: &matching,
        colors: &colors,
    };
    let response = lanes_plot(panel, &matching, grab_near || selecting).show(ui, |plot_ui| {
        plot_ui.set_plot_bounds_x(view.min..=view.max);
        plot_ui.set_plot_bounds_y(panel.bottom..=top);
        draw_items(plot_ui, &content)
    });
    let transform = response.transform;
    let plot = &response.response;
    let bounds = transform.bounds();
    let shown = TimelineView {
        min: bounds.min()[0],
        max: bounds.max()[0],
    };
    if let Some(moved) = moved_range(view, shown) {
        commands.push(Command::SetTimelineView {
            min: moved.min,
            max: moved.max,
        });
        // The lanes were chosen for the old span: draw again for the new one.
        ui.ctx().request_repaint();
    }
    let near_playhead = playhead_drag_ui(ui, plot, &transform, frame, grab_near, &mut commands);
    // While dragging, the grab stays as it was when the drag began.
    let grab_next = if plot.dragged() {
        grab_near
    } else {
        near_playhead
    };
    ui.data_mut(|d| d.insert_temp(grab_id, grab_next));
    span_drag_ui(ui, plot, &transform, frame, &colors, &mut commands);
    let pointer = ui
        .input(|i| i.pointer.hover_pos())
        .filter(|p| plot.rect.contains(*p) && !near_playhead);
    undated_hint_ui(ui, panel, &matching, frame, plot.rect, &colors);
    let picking = Picking {
        panel,
        frame,
        drawn: &response.inner,
        transform: &transform,
    };
    picking.pointer_ui(plot, pointer, &mut commands);
    filter_span_ui(ui, plot.rect, &transform, frame, &colors, &mut commands);
    scrub_bar_ui(ui, scrub_rect, &transform, frame, &colors, &mut commands);
    panel.set_drawn_in_full(response.inner.in_full);
    TimelineOutput {
        commands,
        transform,
    }
}

/// Words over the plot about the events it leaves out: "no dated events" when there is no
/// lane at all, else how many events have no date (they are on the map only).
fn undated_hint_ui(
    ui: &Ui,
    panel: &TimelinePanel,
    matching: &MatchingLanes,
    frame: &TimelineFrame<'_>,
    rect: egui::Rect,
    colors: &TimelineColors,
) {
    let count = matching.undated();
    if count == 0 {
        return;
    }
    let painter = ui.painter_at(rect);
    if panel.lanes.is_empty() && !frame.dataset.events.is_empty() {
        let which = if count == 1 {
            "the event has no date and is".to_owned()
        } else {
            format!("the {count} events have no date and are")
        };
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            format!("no dated events: {which} shown on the map only"),
            egui::FontId::proportional(14.0),
            colors.hint,
        );
    } else {
        let events = if count == 1 { "event" } else { "events" };
        painter.text(
            rect.right_bottom() + vec2(-8.0, -6.0),
            egui::Align2::RIGHT_BOTTOM,
            format!("{count} {events} without a date: on the map only"),
            egui::FontId::proportional(12.0),
            colors.hint,
        );
    }
}

/// The plot: time on x (calendar ticks), lanes on y (their names, with how many match when
/// filtered), panning and zooming in time only, no pan while the drag is the pointer's own
/// (the playhead grabbed, a date range dragged out).
fn lanes_plot<'a>(
    panel: &'a TimelinePanel,
    matching: &MatchingLanes,
    drag_taken: bool,
) -> Plot<'a> {
    let filtered = matching.is_filtered();
    let labels: Vec<(f64, String)> = panel
        .lanes
        .iter()
        .enumerate()
        .map(|(index, lane)| (lane.first_row, matching.lane(index, lane).label(filtered)))
        .collect();
    Plot::new("timeline-plot")
        .allow_zoom([true, false])
        .allow_scroll([true, false])
        .allow_drag([!drag_taken, false])
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_crosshair(false)
        .label_formatter(|_| None)
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
            panel
                .lanes
                .iter()
                .map(|lane| GridMark {
                    value: lane.first_row,
                    // Large, so egui_plot always has room to print the lane name.
                    step_size: 50.0,
                })
                .collect()
        })
        .custom_y_axes(vec![
            AxisHints::new_y()
                .formatter(move |mark, _range| {
                    labels
                        .iter()
                        .find(|(row, _)| (row - mark.value).abs() < 1e-6)
                        .map_or_else(String::new, |(_, label)| label.clone())
                })
                .min_thickness(150.0),
        ])
}

/// Dragging the playhead line in the plot. Returns whether the pointer is near the line.
fn playhead_drag_ui(
    ui: &Ui,
    plot: &Response,
    transform: &PlotTransform,
    frame: &TimelineFrame<'_>,
    grab_near: bool,
    commands: &mut Vec<Command>,
) -> bool {
    let pointer = ui.input(|i| i.pointer.hover_pos());
    let playhead_x = transform.position_from_point_x(days_from_seconds(frame.time.playhead));
    let near =
        pointer.is_some_and(|p| (p.x - playhead_x).abs() <= PLAYHEAD_GRAB && plot.rect.contains(p));
    if plot.dragged() && grab_near {
        if let Some(p) = plot.interact_pointer_pos() {
            let seconds = seconds_from_days(transform.value_from_position(p).x);
            commands.push(Command::SetPlayhead(seconds));
        }
        ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal);
    } else if near && !plot.dragged() {
        ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal);
    }
    near
}

/// What the pointer can hover and click in the plot after it is drawn.
struct Picking<'a> {
    panel: &'a TimelinePanel,
    frame: &'a TimelineFrame<'a>,
    drawn: &'a DrawnItems,
    transform: &'a PlotTransform,
}

impl Picking<'_> {
    fn event_at(&self, pointer: Pos2) -> Option<usize> {
        self.panel.hit(
            self.frame.dataset,
            self.transform,
            pointer,
            &self.drawn.histogram_lanes,
        )
    }

    /// Hover and click on marks, then on histogram bars; a double-click fits.
    fn pointer_ui(&self, plot: &Response, pointer: Option<Pos2>, commands: &mut Vec<Command>) {
        let hovered = pointer.and_then(|p| self.event_at(p));
        let hovered_bar = pointer
            .filter(|_| hovered.is_none())
            .and_then(|p| self.drawn.bar_at(self.transform, p));
        if plot.contains_pointer() {
            commands.push(Command::Hover(hovered));
        }
        if let Some(index) = hovered {
            plot.ctx.set_cursor_icon(CursorIcon::PointingHand);
            plot.clone().on_hover_ui_at_pointer(|ui| {
                crate::theme::widgets::event_tooltip_ui(ui, self.frame.dataset, index);
            });
        } else if let Some(bar) = hovered_bar {
            plot.ctx.set_cursor_icon(CursorIcon::ZoomIn);
            plot.clone().on_hover_ui_at_pointer(|ui| {
                ui.label(egui::RichText::new(format!("{} events", bar.bin.count)).strong());
                ui.label(format!(
                    "starting {} – {}",
                    calendar::format_day_short(bar.bin.span.start),
                    calendar::format_day_short(bar.bin.span.end - 1)
                ));
                ui.weak("Click to zoom in on them");
            });
        }
        if plot.clicked()
            && let Some(p) = plot.interact_pointer_pos()
        {
            let bar = self.drawn.bar_at(self.transform, p);
            commands.push(match (self.event_at(p), bar) {
                (Some(index), _) => Command::Select(Some(index)),
                (None, Some(bar)) => {
                    let view = zoom_on(bar.bin.span);
                    Command::SetTimelineView {
                        min: view.min,
                        max: view.max,
                    }
                }
                (None, None) => Command::Select(None),
            });
        }
        if plot.double_clicked() {
            commands.push(Command::FitTimeline);
        }
    }
}
