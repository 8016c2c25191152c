//! Help ▸ About.

use egui::{Align2, RichText};

use crate::command::Command;

/// Help ▸ About: what the app is and where its data comes from.
pub fn about_window(ctx: &egui::Context) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("About Event Atlas")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(format!("Event Atlas {}", crate::version::VERSION));
            ui.label(
                RichText::new(format!("Built from commit {}", crate::version::COMMIT)).weak(),
            );
            ui.label("Dated events on an offline map linked to a scrubbable timeline.");
            ui.add_space(8.0);
            ui.label(RichText::new("Basemap").strong());
            ui.label("Natural Earth (naturalearthdata.com): countries, first-order regions, rivers and populated places. Public domain; “Made with Natural Earth”. Crimea is drawn as disputed.");
            ui.add_space(6.0);
            ui.label(RichText::new("Built-in story").strong());
            ui.label("The run-up to the Crocus City Hall attack near Moscow (22 March 2024), from a news article based on CNN reporting (the copy ends mid-sentence). Each event quotes the sentence it comes from; facts added from outside the text name their source in the event.");
            ui.add_space(6.0);
            ui.label(RichText::new("Licence").strong());
            ui.label("Event Atlas: MIT OR Apache-2.0. Works fully offline; links open in your browser only when you click them.");
        });
    if !open {
        commands.push(Command::ShowAbout(false));
    }
    commands
}
