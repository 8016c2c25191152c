//! The status bar along the bottom and the progress bar of a file opening in the background.

use std::time::SystemTime;

use egui::{RichText, Ui};

use crate::background::Loading;
use crate::command::Command;
use crate::io::{Diagnostic, ImportReport};
use crate::model::calendar;
use crate::state::{PlaybackMode, TimeControl};

/// What the status bar shows.
pub struct StatusBar<'a> {
    /// Events in the dataset.
    pub total: usize,
    /// Events on the map now (started, with a place).
    pub shown: usize,
    /// Events with a place.
    pub located: usize,
    pub time: &'a TimeControl,
    /// Where the data came from, as named to the user.
    pub source: &'a str,
    pub warnings: &'a [Diagnostic],
    /// What became of the rows, for a file imported from another format.
    pub report: Option<&'a ImportReport>,
    /// The open file followed as it changes (`None`: not followed).
    pub following: Option<Following>,
    /// Events the filter lets through (`None`: no filter).
    pub matching: Option<usize>,
    /// A new filter is being applied.
    pub filtering: bool,
}

/// The followed file's state, for the status bar.
pub struct Following {
    /// A change is being read.
    pub reloading: bool,
    /// When the last change was shown, while it is news (a few seconds).
    pub reloaded_at: Option<SystemTime>,
}

/// Counts, the playhead and the time window, the source, and the load's warnings.
pub fn status_bar_ui(ui: &mut Ui, status: &StatusBar<'_>) {
    ui.horizontal(|ui| {
        debug_assert!(status.located <= status.total, "located events are events");
        let without = status.total.saturating_sub(status.located);
        if let Some(matching) = status.matching {
            let text = format!(
                "{} of {} match",
                calendar::group_thousands(matching as u64),
                calendar::group_thousands(status.total as u64)
            );
            ui.label(RichText::new(text).strong())
                .on_hover_text("Events the filter lets through: the map, the timeline, the table and exports show only these. Clear the filter above the map.");
            if status.filtering {
                ui.spinner();
            }
            ui.separator();
        }
        ui.label(format!(
            "{} shown on the map / {} events / {without} without a place",
            status.shown, status.total
        ))
        .on_hover_text("Shown: events up to the playhead that have a place. Events without a place are on the timeline only.");
        ui.separator();
        let shown = match status.time.mode {
            PlaybackMode::Window => {
                format!("window {}", calendar::format_duration(status.time.window))
            }
            PlaybackMode::Cumulative => "everything up to it".to_owned(),
            PlaybackMode::AtPlayhead => "only what covers it".to_owned(),
        };
        ui.label(format!(
            "Playhead {} · {shown}",
            calendar::format_day(status.time.playhead),
        ));
        ui.separator();
        ui.label(RichText::new(status.source).weak());
        if let Some(following) = &status.following {
            following_ui(ui, following, status.source);
        }
        if let Some(report) = status.report {
            import_report_ui(ui, report);
        }
        if !status.warnings.is_empty() {
            let text = format!("{} warning(s)", status.warnings.len());
            let tooltip: Vec<String> = status
                .warnings
                .iter()
                .take(20)
                .map(ToString::to_string)
                .collect();
            ui.label(RichText::new(text).color(ui.visuals().warn_fg_color))
                .on_hover_text(tooltip.join("\n"));
        }
    });
}

/// "• following changes", then "reloading…" or "reloaded 14:02:31 UTC" after a change.
fn following_ui(ui: &mut Ui, following: &Following, source: &str) {
    ui.separator();
    ui.label(RichText::new("• following changes").color(ui.visuals().hyperlink_color))
        .on_hover_text(format!(
            "When {source} changes on disk it is read again, keeping the selection, the map and the playhead. Turn it off in View ▸ Follow file changes."
        ));
    if following.reloading {
        ui.weak("reloading…");
    } else if let Some(at) = following.reloaded_at {
        ui.weak(format!("reloaded {}", time_of_day(at)));
    }
}

/// "14:02:31 UTC" (no time-zone database here: UTC says plainly which time it is).
pub fn time_of_day(at: SystemTime) -> String {
    let seconds = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let of_day = seconds % 86_400;
    format!(
        "{:02}:{:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// "CSV: 12 rows → 10 events", in the warning colour when rows were skipped; the whole report
/// on hover.
fn import_report_ui(ui: &mut Ui, report: &ImportReport) {
    ui.separator();
    let skipped = report.skipped_count();
    let short = format!(
        "{}: {} of {} {}s became events",
        report.format, report.events, report.rows, report.row_noun
    );
    let text = if skipped == 0 {
        RichText::new(short)
    } else {
        RichText::new(short).color(ui.visuals().warn_fg_color)
    };
    let mut tooltip = report.summary();
    if skipped > 0 {
        tooltip.push_str(
            "
The skipped rows and why are listed in the warnings.",
        );
    }
    ui.label(text).on_hover_text(tooltip);
}

/// "Opening FILE…" with its progress and a Cancel button; `still_showing` names the data kept.
pub fn loading_bar_ui(ui: &mut Ui, loading: &Loading, still_showing: &str) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.label(format!("Opening {}…", loading.path.display()));
        ui.add(
            egui::ProgressBar::new(loading.progress.fraction())
                .desired_width(240.0)
                .show_percentage(),
        );
        if ui
            .button("Cancel")
            .on_hover_text("Stop opening; the data shown now stays")
            .clicked()
        {
            commands.push(Command::CancelLoading);
        }
        ui.weak(format!("still showing “{still_showing}”"));
    });
    commands
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_reload_time_reads_as_hours_minutes_seconds_utc() {
        let at =
            SystemTime::UNIX_EPOCH + Duration::from_secs(19_723 * 86_400 + 14 * 3600 + 2 * 60 + 31);
        assert_eq!(time_of_day(at), "14:02:31 UTC");
        assert_eq!(time_of_day(SystemTime::UNIX_EPOCH), "00:00:00 UTC");
    }
}
