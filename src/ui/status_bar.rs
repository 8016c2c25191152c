//! The status bar along the bottom and the progress bar of a file opening in the background.

use egui::{RichText, Ui};

use crate::background::Loading;
use crate::command::Command;
use crate::io::{Diagnostic, ImportReport};
use crate::model::calendar;
use crate::state::TimeControl;

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
}

/// Counts, the playhead and the time window, the source, and the load's warnings.
pub fn status_bar_ui(ui: &mut Ui, status: &StatusBar<'_>) {
    ui.horizontal(|ui| {
        debug_assert!(status.located <= status.total, "located events are events");
        let without = status.total.saturating_sub(status.located);
        ui.label(format!(
            "{} shown on the map / {} events / {without} without a place",
            status.shown, status.total
        ))
        .on_hover_text("Shown: events up to the playhead that have a place. Events without a place are on the timeline only.");
        ui.separator();
        ui.label(format!(
            "Playhead {} · window {}",
            calendar::format_day(status.time.playhead),
            calendar::format_duration(status.time.window)
        ));
        ui.separator();
        ui.label(RichText::new(status.source).weak());
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
