//! Command line and window start-up.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Event Atlas: dated events on an offline map linked to a scrubbable timeline.
#[derive(Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    /// A dataset to open (Event Atlas JSON). Without it, the built-in story opens.
    file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Subcommands>,
}

#[derive(Subcommand)]
enum Subcommands {
    /// Validate a dataset without opening a window: prints a one-line summary that begins with
    /// the event count and exits 0, or prints every error and exits 1.
    Check {
        /// The dataset file.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match cli.command {
        Some(Subcommands::Check { file }) => check(&file),
        None => run_window(cli.file),
    }
}

fn check(file: &std::path::Path) -> ExitCode {
    match event_atlas::io::load_path(file) {
        Ok(loaded) => {
            println!("{}", loaded.dataset.summary_line());
            for warning in &loaded.warnings {
                eprintln!("{warning}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            for line in error.lines() {
                eprintln!("{line}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run_window(file: Option<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Event Atlas")
            .with_app_id("event-atlas")
            .with_inner_size([1360.0, 860.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Event Atlas",
        options,
        Box::new(move |cc| {
            Ok(Box::new(event_atlas::EventAtlasApp::from_creation_context(
                cc, file,
            )))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("event-atlas: could not open a window: {error}");
            ExitCode::FAILURE
        }
    }
}
