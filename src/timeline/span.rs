//! A date range for the filter, dragged out on the plot with Shift held; the range in force
//! drawn with its dates and a × that clears it.

use egui::{Align2, FontId, Rect, Response, Ui, vec2};
use egui_plot::PlotTransform;

use super::axis::{days_from_seconds, seconds_from_days};
use super::frame::TimelineFrame;
use crate::command::Command;
use crate::model::filter::Filter;
use crate::model::{TimeRange, calendar};
use crate::theme::timeline::TimelineColors;

/// The whole days from one dragged end to the other (in days since 1970, either order): from the
/// start of the first to the end of the last, at least one day.
pub fn span_from_drag(from_day: f64, to_day: f64) -> TimeRange {
    let (low, high) = (from_day.min(to_day), from_day.max(to_day));
    let first = low.floor();
    let last = high.ceil().max(first + 1.0);
    TimeRange {
        start: seconds_from_days(first),
        end: seconds_from_days(last),
    }
}

/// A span in words, its last day included: "3 Mar 2024 – 20 Mar 2024", or one date.
pub fn span_words(span: TimeRange) -> String {
    let (first, last) = (span.start, span.end.saturating_sub(1).max(span.start));
    let (from, to) = (
        calendar::format_day_short(first),
        calendar::format_day_short(last),
    );
    if from == to {
        from
    } else {
        format!("{from} – {to}")
    }
}

/// Whether a Shift-drag on the plot is selecting a span now: decided when the drag starts, so
/// that the plot does not pan (the key may be let go before the end).
pub fn selecting_span(ui: &Ui) -> bool {
    let starting = ui.input(|i| i.modifiers.shift);
    ui.data(|d| d.get_temp::<f64>(drag_start_id()).is_some()) || starting
}

fn drag_start_id() -> egui::Id {
    egui::Id::unique("timeline-span-drag-start")
}

/// A Shift-drag on the plot: the span under it is shaded while dragging; letting go sets it as
/// the filter's date range (the rest of the filter kept).
pub fn span_drag_ui(
    ui: &Ui,
    plot: &Response,
    transform: &PlotTransform,
    frame: &TimelineFrame<'_>,
    colors: &TimelineColors,
    commands: &mut Vec<Command>,
) {
    let id = drag_start_id();
    let day_at = |x: f32| transform.value_from_position(egui::pos2(x, 0.0)).x;
    if plot.drag_started() && ui.input(|i| i.modifiers.shift) {
        let origin = ui.input(|i| i.pointer.press_origin());
        if let Some(origin) = origin.or_else(|| plot.interact_pointer_pos()) {
            ui.data_mut(|d| d.insert_temp(id, day_at(origin.x)));
        }
    }
    let Some(start_day) = ui.data(|d| d.get_temp::<f64>(id)) else {
        return;
    };
    let Some(pointer) = plot
        .interact_pointer_pos()
        .or(ui.input(|i| i.pointer.latest_pos()))
    else {
        return;
    };
    let span = span_from_drag(start_day, day_at(pointer.x));
    if plot.drag_stopped() || !plot.dragged() {
        ui.data_mut(|d| d.remove::<f64>(id));
        commands.push(Command::SetFilter(Filter {
            span: Some(span),
            ..frame.filter.clone()
        }));
        return;
    }
    ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeColumn);
    let rect = span_rect(transform, span, plot.rect);
    let painter = ui.painter_at(plot.rect);
    painter.rect_filled(rect, 0.0, colors.filter_span);
    painter.text(
        rect.center_top() + vec2(0.0, 4.0),
        Align2::CENTER_TOP,
        span_words(span),
        FontId::proportional(12.0),
        colors.filter_span_border,
    );
}

/// The screen rectangle of `span` over the whole height of the plot.
fn span_rect(transform: &PlotTransform, span: TimeRange, plot: Rect) -> Rect {
    let x = |seconds| transform.position_from_point_x(days_from_seconds(seconds));
    Rect::from_x_y_ranges(x(span.start)..=x(span.end), plot.y_range())
}

/// The filter's date range in the plot: its dates over the band (kept inside the plot when the
/// band is off to one side) and a × that clears it.
pub fn filter_span_ui(
    ui: &mut Ui,
    plot: Rect,
    transform: &PlotTransform,
    frame: &TimelineFrame<'_>,
    colors: &TimelineColors,
    commands: &mut Vec<Command>,
) {
    let Some(span) = frame.filter.span else {
        return;
    };
    let band = span_rect(transform, span, plot);
    let words = span_words(span);
    let font = FontId::proportional(12.0);
    let width = ui.fonts_mut(|f| {
        f.layout_no_wrap(words.clone(), font.clone(), colors.filter_span_border)
            .size()
            .x
    }) + 24.0;
    // Centred over the band's visible part; at the plot's edge when the band is outside it.
    let centre = band.center().x.clamp(
        plot.left() + width / 2.0 + 4.0,
        plot.right() - width / 2.0 - 4.0,
    );
    let top = plot.top() + 4.0;
    let painter = ui.painter_at(plot);
    // On the panel's own background, so that the dates stay readable over the lanes.
    let tag = Rect::from_center_size(egui::pos2(centre, top + 7.0), vec2(width + 4.0, 18.0));
    painter.rect_filled(tag, 4.0, ui.visuals().panel_fill);
    painter.rect_stroke(
        tag,
        4.0,
        egui::Stroke::new(1.0, colors.filter_span_border),
        egui::StrokeKind::Inside,
    );
    painter.text(
        egui::pos2(centre - 10.0, top),
        Align2::CENTER_TOP,
        words,
        font,
        colors.filter_span_border,
    );
    let close = Rect::from_min_size(
        egui::pos2(centre + width / 2.0 - 18.0, top - 2.0),
        vec2(18.0, 18.0),
    );
    let clicked = ui
        .put(close, egui::Button::new("×").small().frame(false))
        .on_hover_text("Clear the date range (show every date)")
        .clicked();
    if clicked {
        commands.push(Command::SetFilter(Filter {
            span: None,
            ..frame.filter.clone()
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::{DAY, days_from_civil};

    #[test]
    fn a_drag_covers_whole_days_either_way() {
        let span = TimeRange {
            start: 10 * DAY,
            end: 13 * DAY,
        };
        assert_eq!(span_from_drag(10.4, 12.6), span);
        assert_eq!(span_from_drag(12.6, 10.4), span, "dragged leftwards");
        assert_eq!(
            span_from_drag(10.2, 10.3),
            TimeRange {
                start: 10 * DAY,
                end: 11 * DAY
            },
            "at least a day"
        );
        assert_eq!(
            span_from_drag(-1.5, 0.5),
            TimeRange {
                start: -2 * DAY,
                end: DAY
            }
        );
    }

    #[test]
    fn a_span_reads_as_its_first_and_last_day() {
        let day = |d| days_from_civil(2024, 3, d) * DAY;
        let span = TimeRange {
            start: day(3),
            end: day(21),
        };
        assert_eq!(
            span_words(span),
            format!(
                "{} – {}",
                calendar::format_day_short(day(3)),
                calendar::format_day_short(day(20))
            )
        );
        let one = TimeRange {
            start: day(3),
            end: day(4),
        };
        assert_eq!(span_words(one), calendar::format_day_short(day(3)));
    }
}
