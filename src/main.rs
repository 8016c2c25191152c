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
#[command(
    version = event_atlas::version::VERSION_LINE,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// A dataset to open (Event Atlas JSON, or a table, sheet… see docs/formats.md). Without
    /// it, the built-in story opens.
    file: Option<PathBuf>,
    #[command(flatten)]
    columns: ColumnArgs,
    #[command(flatten)]
    category: CategoryColumn,
    #[command(subcommand)]
    command: Option<Subcommands>,
}

/// The columns of a table (CSV, TSV, spreadsheet) to use, when their names are not recognised
/// or to override them: a column's name as in the header, or its position counted from 1 (for
/// a table without a header row).
#[derive(clap::Args, Default)]
struct ColumnArgs {
    /// The date column (the start, for spans).
    #[arg(long, value_name = "COLUMN")]
    time: Option<String>,
    /// The end date column, for spans.
    #[arg(long, value_name = "COLUMN")]
    end: Option<String>,
    /// The latitude column.
    #[arg(long, value_name = "COLUMN")]
    lat: Option<String>,
    /// The longitude column.
    #[arg(long, value_name = "COLUMN")]
    lon: Option<String>,
    /// The title column.
    #[arg(long, value_name = "COLUMN")]
    title: Option<String>,
    /// The sheet of a workbook, by name or position from 1 (default: the first; a TimeMap
    /// workbook's EXPORT_EVENTS).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
}

/// The category column of a table (`--category` chooses events, in `check` and `convert`).
#[derive(clap::Args, Default)]
struct CategoryColumn {
    /// The column whose values are the categories.
    #[arg(long = "category-column", value_name = "COLUMN")]
    category: Option<String>,
}

/// Which events count (`check`) or are written (`convert`): the app's filter.
#[derive(clap::Args, Default)]
struct FilterArgs {
    /// Only events that reach into this date or later (2024-03-22, 2024-03, 2024…).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only events that begin in this date or earlier (`--to 2024-03`: all of March).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only events in this category (its id or label); repeat for several.
    #[arg(long = "category", value_name = "CATEGORY")]
    categories: Vec<String>,
    /// Only events in this region (ISO 3166-2 code such as RU-MOS, or a country such as RU);
    /// repeat for several.
    #[arg(long = "region", value_name = "CODE")]
    regions: Vec<String>,
    /// Only events whose title, summary, actors or source quotes hold every word of this (any
    /// case, accents or not).
    #[arg(long, value_name = "WORDS")]
    text: Option<String>,
    /// Only events naming this actor (any case); repeat for several.
    #[arg(long = "actor", value_name = "NAME")]
    actors: Vec<String>,
    /// Only events with a place.
    #[arg(long)]
    has_place: bool,
}

impl FilterArgs {
    fn filter(self) -> Result<event_atlas::model::filter::Filter, String> {
        let span = event_atlas::io::export::span_between(self.from.as_deref(), self.to.as_deref())?;
        Ok(event_atlas::model::filter::Filter {
            span,
            categories: self.categories,
            regions: self.regions,
            text: self.text.unwrap_or_default(),
            has_place: self.has_place,
            actors: self.actors,
            ..Default::default()
        })
    }
}

impl ColumnArgs {
    fn options(self, category: Option<String>) -> event_atlas::io::ImportOptions {
        event_atlas::io::ImportOptions {
            time: self.time,
            end: self.end,
            lat: self.lat,
            lon: self.lon,
            title: self.title,
            category,
            sheet: self.sheet,
        }
    }
}

#[derive(Subcommand)]
enum Subcommands {
    /// Validate a dataset without opening a window: prints a one-line summary that begins with
    /// the event count and exits 0, or prints every error and exits 1. Without FILE (or with
    /// --builtin), the built-in story.
    Check {
        /// The dataset file; without it, the built-in story.
        #[arg(conflicts_with = "builtin")]
        file: Option<PathBuf>,
        /// Check the built-in story (the same as giving no FILE).
        #[arg(long)]
        builtin: bool,
        #[command(flatten)]
        columns: ColumnArgs,
        #[command(flatten)]
        category: CategoryColumn,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Write the events of a file in another format, chosen by OUT's extension: .json (Event
    /// Atlas JSON: keeps everything), .geojson, .csv or .kml. Reads every format the app opens.
    /// Never writes over IN; an existing OUT only with --overwrite. Prints what was read and
    /// written; exits 1 with the reason otherwise.
    Convert {
        /// The file to read.
        input: PathBuf,
        /// The file to write.
        output: PathBuf,
        /// Replace OUT if it exists.
        #[arg(long)]
        overwrite: bool,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        columns: ColumnArgs,
        #[command(flatten)]
        category: CategoryColumn,
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
    /// Draw the app's window (map, timeline, details) to a PNG without a window, GPU or
    /// display, for reports and CI. Without FILE (or with --builtin) the built-in story is drawn.
    /// With --story or --playback, an animation: OUT ending in .gif writes an animated GIF
    /// (looping), anything else a folder of numbered PNGs (frame-0001.png, …) at one frame rate.
    Render(RenderArgs),
}

#[derive(clap::Args)]
struct RenderArgs {
    /// The dataset file; without it, the built-in story.
    #[arg(conflicts_with = "builtin")]
    file: Option<PathBuf>,
    /// Draw the built-in story (the same as giving no FILE).
    #[arg(long)]
    builtin: bool,
    /// The playhead: 2024-03-22 (its midnight, UTC), 2024-03-22T18:00, 2024-03 (the 1st) or
    /// 2024. Default: the end of the data, as the app opens.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    at: Option<String>,
    /// The time window in days (fractions allowed). Default: the app's, 14 days.
    #[arg(long, value_name = "DAYS", allow_hyphen_values = true)]
    window: Option<String>,
    /// The picture's width and height in pixels.
    #[arg(long, value_name = "WxH", default_value = "1360x860")]
    size: String,
    /// Pixels per point: 2 draws the same layout twice as sharp (the size is in pixels).
    #[arg(long, default_value = "1")]
    scale: String,
    #[arg(long, value_enum, default_value = "dark")]
    theme: RenderTheme,
    /// The id of an event to select (shown in the details panel, highlighted on the map).
    #[arg(long, value_name = "ID")]
    select: Option<String>,
    /// The PNG to write; with --story or --playback, a .gif file or a folder for PNG frames
    /// (made if missing).
    #[arg(long, value_name = "OUT")]
    out: PathBuf,
    #[command(flatten)]
    animation: AnimationArgs,
    #[command(flatten)]
    columns: ColumnArgs,
    #[command(flatten)]
    category: CategoryColumn,
}

/// An animation instead of a still picture.
#[derive(clap::Args)]
struct AnimationArgs {
    /// Animate the dataset's story: each step's glide from the one before, then a hold with
    /// its caption.
    #[arg(long, conflicts_with = "playback")]
    story: bool,
    /// Animate playback: the playhead moving from --from to --to (default: the data's first and
    /// last dates) with the time window (--window).
    #[arg(long)]
    playback: bool,
    /// Where playback starts (a date as for --at).
    #[arg(
        long,
        value_name = "DATE",
        requires = "playback",
        allow_hyphen_values = true
    )]
    from: Option<String>,
    /// Where playback ends.
    #[arg(
        long,
        value_name = "DATE",
        requires = "playback",
        allow_hyphen_values = true
    )]
    to: Option<String>,
    /// Playback in exactly this many frames.
    #[arg(long, value_name = "N", requires = "playback", conflicts_with_all = ["seconds", "days_per_frame"])]
    frames: Option<usize>,
    /// Playback lasting this many seconds (default 6).
    #[arg(
        long,
        value_name = "S",
        requires = "playback",
        conflicts_with = "days_per_frame"
    )]
    seconds: Option<f64>,
    /// Playback moving this many days a frame.
    #[arg(long, value_name = "DAYS", requires = "playback")]
    days_per_frame: Option<f64>,
    /// Frames a second (1 to 50).
    #[arg(long, value_name = "N", default_value_t = event_atlas::render::frames::DEFAULT_FPS,
          value_parser = clap::value_parser!(u32).range(1..=50))]
    fps: u32,
    /// How long the story rests on each step, in seconds.
    #[arg(long, value_name = "S", default_value_t = event_atlas::render::frames::DEFAULT_HOLD_SECONDS,
          requires = "story")]
    hold: f64,
    /// Replace an existing GIF, or write into a folder that holds files (its old frame-*.png
    /// are removed first).
    #[arg(long)]
    force: bool,
}

impl AnimationArgs {
    /// The animation asked for (`None`: a still picture).
    fn spec(
        &self,
    ) -> Result<Option<event_atlas::render::frames::AnimationSpec>, event_atlas::render::RenderError>
    {
        use event_atlas::render::args::parse_at;
        use event_atlas::render::frames::{
            AnimationKind, AnimationSpec, PlaybackLength, PlaybackPlan,
        };
        let kind = if self.story {
            AnimationKind::Story
        } else if self.playback {
            let length = match (self.frames, self.seconds, self.days_per_frame) {
                (Some(frames), _, _) => PlaybackLength::Frames(frames),
                (_, _, Some(days)) => PlaybackLength::DaysPerFrame(days),
                (_, Some(seconds), _) => PlaybackLength::Seconds(seconds),
                (None, None, None) => PlaybackPlan::default().length,
            };
            AnimationKind::Playback(PlaybackPlan {
                from: self.from.as_deref().map(parse_at).transpose()?,
                to: self.to.as_deref().map(parse_at).transpose()?,
                length,
            })
        } else {
            return Ok(None);
        };
        Ok(Some(AnimationSpec {
            kind,
            fps: self.fps,
            hold_seconds: self.hold,
        }))
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum RenderTheme {
    Light,
    Dark,
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match cli.command {
        Some(Subcommands::Check {
            file,
            builtin: _,
            columns,
            category,
            filter,
        }) => check(file.as_deref(), &columns.options(category.category), filter),
        Some(Subcommands::Convert {
            input,
            output,
            overwrite,
            filter,
            columns,
            category,
        }) => convert(
            &input,
            &output,
            filter,
            overwrite,
            &columns.options(category.category),
        ),
        Some(Subcommands::Generate {
            events,
            seed,
            format,
        }) => generate(format, events, seed),
        Some(Subcommands::Render(args)) => render(args),
        None => run_window(cli.file, cli.columns.options(cli.category.category)),
    }
}

fn render(args: RenderArgs) -> ExitCode {
    use event_atlas::render::{self, args as parse};
    let request = || -> Result<render::RenderRequest, render::RenderError> {
        parse::check_out(&args.out, args.file.as_deref())?;
        Ok(render::RenderRequest {
            at: args.at.as_deref().map(parse::parse_at).transpose()?,
            window: args
                .window
                .as_deref()
                .map(parse::parse_window_days)
                .transpose()?,
            select: args.select.clone(),
            picture: render::Picture {
                size: parse::parse_size(&args.size)?,
                pixels_per_point: parse::parse_scale(&args.scale)?,
                theme: match args.theme {
                    RenderTheme::Light => egui::Theme::Light,
                    RenderTheme::Dark => egui::Theme::Dark,
                },
            },
            file: args.file.clone(),
            import: args.columns.options(args.category.category.clone()),
        })
    };
    let rendered = request().and_then(|request| match args.animation.spec()? {
        Some(spec) => {
            let output = render::animation::AnimationOutput::for_path(&args.out);
            let force = args.animation.force;
            let (written, notes) =
                event_atlas::EventAtlasApp::render_animation(&request, &spec, &output, force)?;
            for note in &notes {
                eprintln!("event-atlas render: {note}");
            }
            println!("wrote {}: {}", args.out.display(), written.line());
            Ok(())
        }
        None => {
            let rendered = event_atlas::EventAtlasApp::render(&request)?;
            for note in &rendered.notes {
                eprintln!("event-atlas render: {note}");
            }
            render::write_png(&rendered.canvas, &args.out)
        }
    });
    match rendered {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            for line in error.lines() {
                eprintln!("event-atlas render: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

fn check(
    file: Option<&std::path::Path>,
    options: &event_atlas::io::ImportOptions,
    filter: FilterArgs,
) -> ExitCode {
    let filter = match filter.filter() {
        Ok(filter) => filter,
        Err(message) => {
            eprintln!("event-atlas check: {message}");
            return ExitCode::FAILURE;
        }
    };
    let progress = event_atlas::io::LoadProgress::default();
    let (loaded, name) = match file {
        Some(file) => (
            event_atlas::io::load_path_with_options(file, options, &progress),
            file.display().to_string(),
        ),
        None => (
            event_atlas::builtin::crocus_dataset(),
            event_atlas::builtin::CROCUS_NAME.to_owned(),
        ),
    };
    match loaded {
        Ok(loaded) => {
            if !filter.is_empty() {
                match matching_line(&loaded.dataset, &filter, &name) {
                    Ok(line) => println!("{line}"),
                    Err(message) => {
                        eprintln!("{message}");
                        return ExitCode::FAILURE;
                    }
                }
            }
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

/// Each event's region as the app finds it (the data's, else the basemap region its point is
/// in), when the filter asks for regions.
fn regions_for(
    dataset: &event_atlas::model::Dataset,
    filter: &event_atlas::model::filter::Filter,
) -> Result<Option<event_atlas::model::regions::EventRegions>, String> {
    if filter.regions.is_empty() {
        return Ok(None);
    }
    let basemap = event_atlas::map::Basemap::builtin()
        .map_err(|error| format!("the built-in basemap could not be read: {error}"))?;
    Ok(Some(event_atlas::map::data::event_regions(
        dataset, &basemap,
    )))
}

/// "N of M events match" for `check` with a filter; an unknown category is an error.
fn matching_line(
    dataset: &event_atlas::model::Dataset,
    filter: &event_atlas::model::filter::Filter,
    name: &str,
) -> Result<String, String> {
    let unknown = filter.unknown_categories(dataset);
    if !unknown.is_empty() {
        return Err(format!("{name}: no category {}", unknown.join(", ")));
    }
    let regions = regions_for(dataset, filter)?;
    let context = event_atlas::model::filter::FilterContext {
        regions: regions.as_ref(),
        search: None,
    };
    let found = filter.outcome(dataset, &context)?.matches.count();
    let total = dataset.events.len();
    let verb = if found == 1 { "matches" } else { "match" };
    Ok(format!("{found} of {total} events {verb}"))
}

fn convert(
    input: &std::path::Path,
    output: &std::path::Path,
    filter: FilterArgs,
    overwrite: bool,
    options: &event_atlas::io::ImportOptions,
) -> ExitCode {
    use event_atlas::io::export;
    let filter = match filter.filter() {
        Ok(filter) => filter,
        Err(message) => {
            eprintln!("event-atlas convert: {message}");
            return ExitCode::FAILURE;
        }
    };
    let regions_of = |dataset: &event_atlas::model::Dataset| {
        regions_for(dataset, &filter)
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    let regions_of: Option<&dyn Fn(&event_atlas::model::Dataset) -> _> =
        (!filter.regions.is_empty()).then_some(&regions_of);
    match export::convert_with_regions(input, options, output, &filter, overwrite, regions_of) {
        Ok(converted) => {
            println!("read {}: {}", input.display(), converted.read);
            if let Some(report) = &converted.report {
                println!("{report}");
            }
            println!("wrote {}: {}", output.display(), converted.written.line());
            // Freeing a million events takes longer than writing them; the process ends now.
            std::mem::forget(converted.loaded);
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

/// eframe's settings folder is named after it (the desktop knows the app by
/// [`event_atlas::builtin::DESKTOP_ID`]).
const SETTINGS_NAME: &str = "event-atlas";

/// The window: its title until a dataset names it, its id and icon on the desktop, its size.
fn viewport() -> egui::ViewportBuilder {
    let viewport = egui::ViewportBuilder::default()
        .with_title("Event Atlas")
        .with_app_id(event_atlas::builtin::DESKTOP_ID)
        .with_inner_size([1360.0, 860.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true);
    // The tests decode the same bytes, so a failure here is a bug: the window opens without it.
    match eframe::icon_data::from_png_bytes(event_atlas::builtin::ICON_PNG) {
        Ok(icon) => viewport.with_icon(std::sync::Arc::new(icon)),
        Err(error) => {
            log::warn!("the window's icon could not be read: {error}");
            viewport
        }
    }
}

fn run_window(file: Option<PathBuf>, import: event_atlas::io::ImportOptions) -> ExitCode {
    use event_atlas::state::persist;
    let folder = persist::settings_folder(eframe::storage_dir(SETTINGS_NAME));
    // eframe drops an app.ron it cannot parse without a word, then overwrites it: set it
    // aside first, and say so.
    let notices: Vec<String> = folder
        .as_deref()
        .and_then(persist::check_eframe_file)
        .into_iter()
        .collect();
    let settings = event_atlas::app::Settings {
        folder: folder.clone(),
        notices,
    };
    let options = eframe::NativeOptions {
        // eframe's file in the same folder (the platform's, or $EVENT_ATLAS_CONFIG_DIR).
        persistence_path: folder.map(|folder| folder.join(persist::EFRAME_FILE)),
        viewport: viewport(),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Event Atlas",
        options,
        Box::new(move |cc| {
            Ok(Box::new(event_atlas::EventAtlasApp::from_creation_context(
                cc, file, import, settings,
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
