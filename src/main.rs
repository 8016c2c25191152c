//! Command line and window start-up.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// glibc's allocator returns big per-frame buffers (meshes, tessellation) to the kernel and
// faults them back in every frame: measured 5 ms of system time per frame. mimalloc keeps them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Write a deterministic synthetic dataset (JSON) to standard output, for benchmarks and
    /// stress tests: events clustered around real cities, with days, months and ranges.
    Generate {
        /// How many events.
        #[arg(long, default_value_t = 10_000)]
        events: usize,
        /// Random seed: the same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The format to write: Event Atlas JSON, or the same events as a CSV table or GeoJSON.
        #[arg(long, value_enum, default_value = "json")]
        format: event_atlas::generate::GeneratedFormat,
    },
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match cli.command {
        Some(Subcommands::Check { file }) => check(&file),
        Some(Subcommands::Generate {
            events,
            seed,
            format,
        }) => generate(format, events, seed),
        None => run_window(cli.file),
    }
}

fn check(file: &std::path::Path) -> ExitCode {
    match event_atlas::io::load_path(file) {
        Ok(loaded) => {
            println!("{}", loaded.dataset.summary_line());
            if let Some(report) = &loaded.report {
                println!("{}", report.summary());
            }
            for warning in &loaded.warnings {
                eprintln!("{warning}");
            }
            // Freeing a million events one by one takes longer than the check; the process
            // is ending anyway.
            std::mem::forget(loaded);
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

fn generate(format: event_atlas::generate::GeneratedFormat, events: usize, seed: u64) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let written = event_atlas::generate::write_in(format, &mut out, events, seed)
        .and_then(|()| std::io::Write::flush(&mut out));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (e.g. `| head`) is not worth a message.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("event-atlas generate: {error}");
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
                cc,
                file,
                event_atlas::io::ImportOptions::default(),
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
