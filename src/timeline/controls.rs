//! The timeline's controls above the plot: the transport bar and the scrub bar.

use egui::{Align2, CursorIcon, FontId, Rect, Sense, Stroke, Ui, vec2};
use egui_plot::PlotTransform;

use super::axis::{days_from_seconds, seconds_from_days};
use super::frame::TimelineFrame;
use crate::command::{Command, Direction};
use crate::model::{calendar, calendar::format_duration};
use crate::state::PlaybackMode;
use crate::state::time::{speeds_for, windows_for};
use crate::theme::timeline::TimelineColors;

/// Buttons to move through time, the playhead's date, speed, what is shown in full (the mode
/// and the window), skipping empty stretches, and Fit. Wraps onto a second line when narrow.
pub fn transport_bar_ui(ui: &mut Ui, frame: &TimelineFrame<'_>, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let play_label = if frame.time.playing { "Pause" } else { "Play" };
        let buttons = [
            (
                "|< Start",
                "Go to the first date (Home)",
                Command::JumpToStart,
            ),
            (
                "« Date",
                "Move the playhead back to the last date with a matching event ([)",
                Command::StepDate(Direction::Previous),
            ),
            (
                "< Previous",
                "Select the previous event (Left arrow)",
                Command::Step(Direction::Previous),
            ),
            (play_label, "Play or pause (Space)", Command::TogglePlay),
            (
                "Next >",
                "Select the next event (Right arrow)",
                Command::Step(Direction::Next),
            ),
            (
                "Date »",
                "Move the playhead on to the next date with a matching event (])",
                Command::StepDate(Direction::Next),
            ),
            ("End >|", "Go to the last date (End)", Command::JumpToEnd),
        ];
        for (label, tooltip, command) in buttons {
            if ui.button(label).on_hover_text(tooltip).clicked() {
                commands.push(command);
            }
        }
        ui.separator();
        ui.label(egui::RichText::new(calendar::format_day(frame.time.playhead)).strong())
            .on_hover_text("The playhead: the map shows events up to this date");
        ui.separator();
        playback_choices_ui(ui, frame, commands);
        ui.separator();
        let mut skip = frame.time.skip_empty;
        if ui
            .checkbox(&mut skip, "Skip empty")
            .on_hover_text("While playing, jump over stretches of time without a matching event")
            .changed()
        {
            commands.push(Command::SetSkipEmpty(skip));
        }
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

/// The playback speed, the mode (what is shown in full) and the window's length, which only
/// the window mode uses.
fn playback_choices_ui(ui: &mut Ui, frame: &TimelineFrame<'_>, commands: &mut Vec<Command>) {
    ui.label("Speed");
    let speeds = speeds_for(frame.dataset.extent);
    let speed = Choices {
        id: "playback-speed",
        current: frame.time.speed,
        options: &speeds,
        tooltip: "How fast the playhead moves when playing",
    };
    if let Some(picked) = speed.ui(ui, speed_label) {
        commands.push(Command::SetSpeed(picked));
    }
    ui.separator();
    ui.label("Show");
    for mode in PlaybackMode::ALL {
        if ui
            .selectable_label(frame.time.mode == mode, mode.label())
            .on_hover_text(mode.explanation())
            .clicked()
            && frame.time.mode != mode
        {
            commands.push(Command::SetPlaybackMode(mode));
        }
    }
    let windows = windows_for(frame.dataset.extent);
    let window = Choices {
        id: "time-window",
        current: frame.time.window,
        options: &windows,
        tooltip: "The window: how far back from the playhead events are shown in full; older ones fade",
    };
    let in_window_mode = frame.time.mode == PlaybackMode::Window;
    ui.add_enabled_ui(in_window_mode, |ui| {
        if let Some(picked) = window.ui(ui, format_duration) {
            commands.push(Command::SetWindow(picked));
        }
    });
}

/// A drop-down list of values, the current one shown.
struct Choices<'a, T> {
    id: &'static str,
    current: T,
    options: &'a [T],
    tooltip: &'static str,
}

impl<T: Copy + PartialEq> Choices<'_, T> {
    /// Draws the list, each value as `label` writes it; returns the value picked.
    fn ui(&self, ui: &mut Ui, label: impl Fn(T) -> String) -> Option<T> {
        let mut picked = None;
        egui::ComboBox::from_id_salt(self.id)
            .selected_text(label(self.current))
            .show_ui(ui, |ui| {
                for &option in self.options {
                    if ui
                        .selectable_label(self.current == option, label(option))
                        .clicked()
                    {
                        picked = Some(option);
                    }
                }
            })
            .response
            .on_hover_text(self.tooltip);
        picked
    }
}

/// The bar above the plot: click or drag anywhere on it to move the playhead.
pub fn scrub_bar_ui(
    ui: &mut Ui,
    rect: Rect,
    transform: &PlotTransform,
    frame: &TimelineFrame<'_>,
    colors: &TimelineColors,
    commands: &mut Vec<Command>,
) {
    // The bar spans the plot's width, so that its x is the plot's time.
    let rect = Rect::from_x_y_ranges(transform.frame().x_range(), rect.y_range());
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
    paint_scrub_bar_ui(ui, rect, transform, frame, colors);
}

/// The scrub bar's track, what is shown in full, the playhead's handle and its date.
fn paint_scrub_bar_ui(
    ui: &Ui,
    rect: Rect,
    transform: &PlotTransform,
    frame: &TimelineFrame<'_>,
    colors: &TimelineColors,
) {
    // Room on the sides for the date next to a handle at either end.
    let painter = ui.painter_at(rect.expand2(vec2(60.0, 0.0)));
    painter.rect_filled(rect, 3.0, colors.scrub_track);
    let x_of = |seconds: i64| transform.position_from_point_x(days_from_seconds(seconds));
    let playhead_x = x_of(frame.time.playhead);
    if playhead_x < rect.left() - 1.0 || playhead_x > rect.right() + 1.0 {
        return;
    }
    // What the playback mode shows in full: the window, or everything from the data's start.
    if let Some(shaded) = frame.time.shaded_span(frame.dataset.extent) {
        let left = x_of(shaded.start).max(rect.left());
        painter.rect_filled(
            Rect::from_x_y_ranges(left..=playhead_x, rect.y_range()),
            3.0,
            colors.window_on_scrub_bar,
        );
    }
    let handle = vec![
        egui::pos2(playhead_x - 7.0, rect.top()),
        egui::pos2(playhead_x + 7.0, rect.top()),
        egui::pos2(playhead_x, rect.bottom()),
    ];
    painter.add(egui::Shape::convex_polygon(
        handle,
        colors.playhead,
        Stroke::NONE,
    ));
    // The date goes left of the handle near the right end, so that it stays readable.
    let (align, offset) = if playhead_x > rect.right() - 90.0 {
        (Align2::RIGHT_CENTER, -10.0)
    } else {
        (Align2::LEFT_CENTER, 10.0)
    };
    painter.text(
        egui::pos2(playhead_x + offset, rect.center().y),
        align,
        calendar::format_day_short(frame.time.playhead),
        FontId::proportional(12.0),
        colors.playhead_label,
    );
}

/// A speed in words, e.g. "1 day/s", "7 days/s", "6 hours/s".
fn speed_label(speed: f64) -> String {
    if speed >= 365.0 {
        let years = (speed / 365.0).round() as i64;
        let text =
            crate::model::calendar::format_duration(years * 365 * crate::model::calendar::DAY);
        format!("{text}/s")
    } else if speed >= 1.0 {
        format!("{speed} days/s").replace("1 days", "1 day")
    } else {
        format!("{} hours/s", speed * 24.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_read_as_words() {
        let labels: Vec<String> = crate::state::time::SPEEDS
            .into_iter()
            .map(speed_label)
            .collect();
        assert_eq!(
            labels,
            [
                "6 hours/s",
                "1 day/s",
                "3 days/s",
                "7 days/s",
                "30 days/s",
                "1 year/s",
                "10 years/s",
                "100 years/s",
                "1000 years/s",
                "100000 years/s",
                "1 million years/s",
                "1 billion years/s",
            ]
        );
    }
}
