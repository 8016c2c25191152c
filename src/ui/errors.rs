//! The error panel: why a file did not open, readable, copyable and dismissable.

use egui::{RichText, Ui};

use crate::command::Command;
use crate::io::{Diagnostic, LoadError, Severity};

/// A failed load: what went wrong, in a panel the user can read and dismiss.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadProblem {
    pub headline: String,
    pub lines: Vec<Diagnostic>,
    /// For files that could not be read at all.
    pub plain: Vec<String>,
    /// What happens next, under what is still shown (e.g. for a followed file: it reloads when
    /// it is whole again).
    pub note: Option<String>,
}

impl LoadProblem {
    /// The problem to show for a load that failed.
    pub fn from_error(error: &LoadError) -> Self {
        match error {
            LoadError::Cancelled { .. } => LoadProblem {
                headline: "Opening was cancelled".to_owned(),
                lines: Vec::new(),
                plain: vec![error.to_string()],
                note: None,
            },
            LoadError::Io { .. } | LoadError::NeedsColumns { .. } => LoadProblem {
                headline: format!("Could not open {}", error.file()),
                lines: Vec::new(),
                plain: vec![error.to_string()],
                note: None,
            },
            LoadError::Invalid { file, diagnostics } => {
                // Past the first hundred, errors are counted in one closing line: count them too.
                let errors = crate::io::thousands(error.error_count());
                LoadProblem {
                    headline: format!("Could not open {file}: {errors} error(s)"),
                    lines: diagnostics.clone(),
                    plain: Vec::new(),
                    note: None,
                }
            }
        }
    }

    /// A problem told in a headline and one message.
    pub fn plain(headline: &str, message: String) -> Self {
        LoadProblem {
            headline: headline.to_owned(),
            lines: Vec::new(),
            plain: vec![message],
            note: None,
        }
    }

    /// No desktop file chooser answered.
    pub fn no_file_dialog() -> Self {
        Self::plain(
            "The file dialog could not be opened",
            "No desktop file-chooser service (xdg-desktop-portal) answered. Drop the file onto the window, or start with: event-atlas FILE".to_owned(),
        )
    }

    /// Every message, one a line, for the clipboard.
    fn text(&self) -> String {
        let lines: Vec<String> = self
            .plain
            .iter()
            .cloned()
            .chain(self.lines.iter().map(ToString::to_string))
            .collect();
        lines.join("\n")
    }
}

/// The panel above the map: the problem, what is still shown (`kept`), Copy and Dismiss.
pub fn error_panel_ui(ui: &mut Ui, problem: &LoadProblem, kept: &str) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Frame::new()
        .fill(ui.visuals().error_fg_color.gamma_multiply(0.12))
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(problem.headline.clone())
                        .color(ui.visuals().error_fg_color)
                        .strong(),
                );
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button("Dismiss").clicked() {
                        commands.push(Command::DismissErrors);
                    }
                    if ui
                        .button("Copy")
                        .on_hover_text("Copy every message to the clipboard")
                        .clicked()
                    {
                        ui.ctx().copy_text(problem.text());
                    }
                });
            });
            ui.label(format!("Still showing: {kept}"));
            if let Some(note) = &problem.note {
                ui.label(RichText::new(note).italics());
            }
            egui::ScrollArea::vertical()
                .max_height(140.0)
                .show(ui, |ui| messages_ui(ui, problem));
        });
    commands
}

fn messages_ui(ui: &mut Ui, problem: &LoadProblem) {
    for line in &problem.plain {
        ui.label(RichText::new(line).monospace());
    }
    for diagnostic in &problem.lines {
        let color = match diagnostic.severity {
            Severity::Error => ui.visuals().error_fg_color,
            Severity::Warning => ui.visuals().warn_fg_color,
        };
        ui.label(
            RichText::new(diagnostic.to_string())
                .monospace()
                .color(color),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::CappedDiagnostics;

    #[test]
    fn the_headline_counts_the_errors_past_the_listed_hundred() {
        let mut capped = CappedDiagnostics::default();
        for line in 1..=5000 {
            capped.push(Diagnostic {
                severity: Severity::Error,
                file: "many.json".to_owned(),
                line: Some(line),
                column: Some(1),
                event_id: None,
                field: Some("when".to_owned()),
                message: "month 13 does not exist".to_owned(),
            });
        }
        let error = LoadError::Invalid {
            file: "many.json".to_owned(),
            diagnostics: capped.finish(|d| d.line),
        };
        let problem = LoadProblem::from_error(&error);
        assert_eq!(problem.headline, "Could not open many.json: 5,000 error(s)");
        assert_eq!(problem.lines.len(), 101);
        assert_eq!(
            problem.lines.last().map(ToString::to_string).as_deref(),
            Some(
                "many.json: … and 4,900 more errors (4,900 in field \"when\"), not listed: fix the ones above and check again"
            )
        );
    }
}
