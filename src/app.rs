//! The application: owns the dataset and the view state, draws the panels and applies commands.

pub mod animation;
mod export;
mod filtering;
mod story;
mod table;

pub use export::ExportState;
pub use story::StoryState;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use egui::Ui;

use crate::action::{ActionContext, StoryContext};
use crate::background::{DialogOutcome, FileDialog, Loader, Loading, Prepared, guarded};
use crate::builtin;
use crate::command::{Command, Direction, ExportCommand, ImportCommand};
use crate::io::{self, Diagnostic, ImportOptions, ImportReport, LoadError, TablePreview};
use crate::map::{self, Basemap, MapPanel};
use crate::model::filter::Filter;
use crate::model::{Dataset, EventIndex};
use crate::state::persist::{self, RestoredView};
use crate::state::shared::{self, KnownLists};
use crate::state::{HoverState, TimeControl, TimelineView, ViewState};
use crate::timeline::{self, TimelinePanel};
use crate::ui::status_bar::{Following, StatusBar};
use crate::ui::{self, ImportDialog, LoadProblem, PaletteState};
use crate::watch::{FileNotice, FileWatch, Wake};

/// Where the open dataset came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatasetSource {
    Builtin,
    File(PathBuf),
}

impl DatasetSource {
    /// How the source is named to the user.
    pub fn name(&self) -> String {
        match self {
            DatasetSource::Builtin => builtin::CROCUS_NAME.to_owned(),
            DatasetSource::File(path) => path.display().to_string(),
        }
    }
}

/// Files at least this big are opened on a background thread.
pub const BACKGROUND_LOAD_BYTES: u64 = 4 << 20;

/// How long the status bar says "reloaded 14:02:31 UTC" after a live reload.
const RELOADED_NOTICE: Duration = Duration::from_secs(5);

/// Under the error of a followed file caught half-written or broken.
const KEPT_WHILE_BROKEN: &str =
    "The last good version stays on screen; it reloads when the file is whole again.";
/// Under the notice that a followed file was deleted.
const KEPT_WHILE_GONE: &str =
    "The last good version stays on screen; it reloads when the file is there again.";

/// The open file followed as it changes (View ▸ Follow file changes; see [`crate::watch`]).
#[derive(Default)]
struct LiveReload {
    watch: Option<FileWatch>,
    /// The file a watch was last made for: a failure to watch is shown once, not on every open.
    tried: Option<PathBuf>,
    /// A change being read, always in the background and without a progress bar.
    loading: Option<Loading>,
    /// When the last change was shown.
    reloaded: Option<(Instant, SystemTime)>,
    /// The UI to wake when a change arrives (known from the first frame on).
    wake: Arc<OnceLock<egui::Context>>,
    /// How long the file must be quiet before it is read again (`None`: [`crate::watch::DEBOUNCE`]).
    delay: Option<Duration>,
    counts: ReloadCounts,
}

/// What became of the followed file's changes since the app started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReloadCounts {
    /// Reloads started (one per change noticed).
    pub attempted: usize,
    /// Reloads whose data replaced what was shown.
    pub succeeded: usize,
    /// Reloads that failed (a file caught half-written or broken): the data shown stayed.
    pub kept_previous: usize,
    /// Reloads given up for a newer change before they finished.
    pub superseded: usize,
}

/// The Event Atlas application state.
pub struct EventAtlasApp {
    /// Shared, so that an export can write it on another thread while the app goes on.
    pub dataset: Arc<Dataset>,
    pub source: DatasetSource,
    /// Warnings from loading the open dataset.
    pub warnings: Vec<Diagnostic>,
    /// What became of the rows, when the open dataset was imported from another format.
    pub import_report: Option<ImportReport>,
    pub view: ViewState,
    pub selected: Option<EventIndex>,
    pub hover: HoverState,
    /// The last load that failed, shown until dismissed.
    pub problem: Option<LoadProblem>,
    pub help_open: bool,
    pub about_open: bool,
    pub palette: PaletteState,
    /// Columns to choose for a table whose columns were not recognised.
    pub import_dialog: Option<ImportDialog>,
    /// Events listed in the details panel (a cluster's), when nothing is selected.
    pub event_list: Option<Vec<EventIndex>>,
    /// File ▸ Export: its dialog, the export running and the last one's outcome.
    pub export: export::ExportState,
    /// File ▸ Export animation: its dialog and preview, the export running, its outcome.
    pub animation: animation::AnimationState,
    /// The events the view's filter lets through, computed in the background at scale.
    pub filtering: filtering::Filtering,
    /// Ctrl+F was pressed: the search field takes the keyboard next frame.
    focus_search: bool,
    /// The event table's sort keys and rows.
    pub table: table::TableData,
    /// The story shown and edited in the story panel, and presentation mode.
    pub story: StoryState,
    map: MapPanel,
    timeline: TimelinePanel,
    file_dialog: Option<FileDialog>,
    quit_requested: bool,
    /// A theme chosen this frame, handed to egui at the end of the frame.
    requested_theme: Option<egui::ThemePreference>,
    window_title: String,
    /// A file being opened on a background thread.
    pub loading: Option<Loading>,
    /// Events with a place in the open dataset (counted once, not every frame).
    located_count: usize,
    /// Size of the map last frame, for fitting from keyboard commands.
    map_size: egui::Vec2,
    /// Where the map and the timeline were last frame (pictures of them are cropped to these).
    map_rect: egui::Rect,
    timeline_rect: Option<egui::Rect>,
    /// The timeline's plot transform last frame.
    timeline_transform: Option<egui_plot::PlotTransform>,
    /// How files are read (tests put a failing reader here).
    loader: Loader,
    live_reload: LiveReload,
    saved_view: SavedView,
    /// What happened to the saved settings (set aside, not saved), shown until dismissed.
    pub settings_notices: Vec<String>,
}

/// Where the view state is saved (see [`crate::state::persist`]) and what was written last.
#[derive(Default)]
struct SavedView {
    /// `None`: kept in eframe's storage, as before (no settings folder is known).
    folder: Option<PathBuf>,
    /// The text last written or read: an unchanged view is not written again.
    written: Option<Vec<u8>>,
    /// The last failure to save, said once.
    failed: Option<String>,
    /// The shared lists as this window last read or wrote them (other windows write the same file).
    known: KnownLists,
}

impl EventAtlasApp {
    /// The app on the built-in dataset, with remembered view state.
    pub fn new(view: ViewState) -> Self {
        // Both are tested, so a failure is a bug; the window says so rather than stay empty.
        let mut problem = None;
        let basemap = Basemap::builtin().unwrap_or_else(|error| {
            problem = Some(LoadProblem::plain(
                "The built-in basemap could not be read",
                error.to_string(),
            ));
            Basemap::default()
        });
        let (dataset, warnings) = match builtin::crocus_dataset() {
            Ok(loaded) => (Arc::new(loaded.dataset), loaded.warnings),
            Err(error) => {
                problem = Some(LoadProblem::from_error(&error));
                (Arc::default(), Vec::new())
            }
        };
        let map = MapPanel::new(basemap, &dataset);
        let timeline = TimelinePanel::new(&dataset);
        let mut app = Self {
            dataset,
            source: DatasetSource::Builtin,
            warnings,
            import_report: None,
            view,
            selected: None,
            hover: HoverState::default(),
            problem,
            help_open: false,
            about_open: false,
            palette: PaletteState::default(),
            import_dialog: None,
            event_list: None,
            export: export::ExportState::default(),
            animation: animation::AnimationState::default(),
            filtering: filtering::Filtering::default(),
            focus_search: false,
            table: table::TableData::default(),
            story: StoryState::default(),
            map,
            timeline,
            file_dialog: None,
            quit_requested: false,
            requested_theme: None,
            window_title: String::new(),
            map_size: egui::vec2(900.0, 500.0),
            map_rect: egui::Rect::NOTHING,
            timeline_rect: None,
            loading: None,
            located_count: 0,
            timeline_transform: None,
            loader: io::load_path_with_options,
            live_reload: LiveReload::default(),
            saved_view: SavedView::default(),
            settings_notices: Vec::new(),
        };
        app.located_count = app.dataset.located_count();
        app.story = StoryState::new(app.dataset.story.clone());
        app.adopt_view_state();
        app.reset_filtering();
        app
    }

    /// The app for eframe: restores remembered state and opens `file` if given.
    /// `options` are the columns (or sheet) chosen on the command line for `file`; `settings`
    /// is the folder of the view file and what was found wrong there before the window opened.
    pub fn from_creation_context(
        cc: &eframe::CreationContext<'_>,
        file: Option<PathBuf>,
        options: ImportOptions,
        settings: Settings,
    ) -> Self {
        let mut app = Self::restored(settings.folder, cc.storage);
        app.settings_notices.extend(settings.notices);
        if let Some(path) = file {
            app.request_open_with(&path, options);
        }
        app
    }

    /// The app on the built-in dataset with the view saved in `folder`'s view file; without
    /// that file, the view eframe's `storage` kept before (read once: later saves go to the
    /// file). A view file that cannot be read is set aside, with a notice; the defaults are used.
    pub fn restored(folder: Option<PathBuf>, storage: Option<&dyn eframe::Storage>) -> Self {
        let from_eframe = || {
            // Nothing stored (a first run, an incompatible version): start fresh.
            storage
                .and_then(|storage| eframe::get_value::<ViewState>(storage, eframe::APP_KEY))
                .unwrap_or_default()
        };
        let mut notices = Vec::new();
        let view = match folder.as_deref().map(persist::restore_view) {
            Some(RestoredView::Read(view)) => *view,
            Some(RestoredView::SetAside(message)) => {
                notices.push(message);
                ViewState::default()
            }
            Some(RestoredView::Missing) | None => from_eframe(),
        };
        let known = KnownLists::of(&view);
        let mut app = Self::new(view);
        app.saved_view.folder = folder;
        app.saved_view.known = known;
        app.settings_notices = notices;
        app
    }

    /// Writes the view state to the view file, atomically (nothing when it is unchanged or
    /// there is no settings folder). A failure is shown once and returned.
    pub fn save_view(&mut self) -> Result<(), String> {
        let Some(folder) = &self.saved_view.folder else {
            return Ok(());
        };
        // Another window (every file opened from the desktop has its own) may have saved since.
        if let Some(on_disk) = persist::read_view(folder) {
            shared::merge_other_windows(&mut self.view, &self.saved_view.known, &on_disk);
        }
        let text = serde_json::to_vec_pretty(&self.view).map_err(|error| error.to_string())?;
        if self.saved_view.written.as_ref() == Some(&text) {
            return Ok(());
        }
        match persist::save_view_text(folder, &text) {
            Ok(()) => {
                self.saved_view.written = Some(text);
                self.saved_view.failed = None;
                self.saved_view.known = KnownLists::of(&self.view);
                Ok(())
            }
            Err(error) => {
                let message = format!("Your view could not be saved: {error}");
                if self.saved_view.failed.as_ref() != Some(&message) {
                    self.saved_view.failed = Some(message.clone());
                    self.settings_notices.push(message.clone());
                }
                Err(message)
            }
        }
    }

    /// Replaces how dataset files are read, for every later open and reload. Tests use it to
    /// make reading fail in ways a real file cannot (e.g. a panic).
    pub fn set_loader(&mut self, loader: Loader) {
        self.loader = loader;
    }

    /// How long a followed file must be quiet before it is read again, for files opened from
    /// now on (tests shorten it; the app uses [`crate::watch::DEBOUNCE`]).
    pub fn set_follow_delay(&mut self, delay: Duration) {
        self.live_reload.delay = Some(delay);
    }

    /// What became of the followed file's changes so far.
    pub fn reload_counts(&self) -> ReloadCounts {
        self.live_reload.counts
    }

    /// Whether a change of the followed file is being read.
    pub fn is_reloading(&self) -> bool {
        self.live_reload.loading.is_some()
    }

    /// Opens a dataset file. On failure the open dataset stays and the problem is shown.
    pub fn open_path(&mut self, path: &Path) -> bool {
        let options = self.view.import_choices.for_path(path);
        self.open_path_with(path, &options)
    }

    /// Opens a dataset file with the columns (or sheet) the user chose.
    pub fn open_path_with(&mut self, path: &Path, options: &ImportOptions) -> bool {
        let file = path.display().to_string();
        let prepared = guarded(&file, || {
            (self.loader)(path, options, &io::LoadProgress::default())
                .map(|loaded| Prepared::new(loaded, &self.map.basemap))
        });
        self.install(prepared, DatasetSource::File(path.to_path_buf()))
    }

    /// Opens a file without blocking the UI: small files at once, big ones on a thread with
    /// progress (see [`Self::loading`]); the open dataset stays usable until the new one is ready.
    /// The columns chosen before for the file are used again.
    pub fn request_open(&mut self, path: &Path) {
        let options = self.view.import_choices.for_path(path);
        self.request_open_with(path, options);
    }

    /// [`Self::request_open`] with the columns (or sheet) the user chose (remembered for the
    /// next time this file is opened or reloaded).
    pub fn request_open_with(&mut self, path: &Path, options: ImportOptions) {
        self.view.import_choices.remember(path, &options);
        // A file whose size cannot be read is opened at once, which reports why.
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        if size < BACKGROUND_LOAD_BYTES {
            self.open_path_with(path, &options);
            return;
        }
        if let Some(previous) = self.loading.take() {
            previous.progress.cancel();
        }
        self.loading = Some(Loading::spawn(
            self.loader,
            path,
            options,
            Arc::clone(&self.map.basemap),
        ));
    }

    /// Waits up to `timeout` for the file opening in the background, then shows it (or why it
    /// failed). Returns whether nothing is loading any more. The UI polls once a frame instead;
    /// this is for callers that wait for the result, such as tests.
    pub fn wait_for_loading(&mut self, timeout: Duration) -> bool {
        let Some(loading) = &self.loading else {
            return true;
        };
        let Some(result) = loading.wait_result(timeout) else {
            return false;
        };
        self.finish_loading(result);
        true
    }

    fn finish_loading(&mut self, result: Result<Prepared, LoadError>) {
        if let Some(loading) = self.loading.take() {
            self.install(result, DatasetSource::File(loading.path));
        }
    }

    /// Opens a dataset from bytes (drag-and-drop without a path).
    pub fn open_bytes(&mut self, bytes: &[u8], name: &str) -> bool {
        let prepared = guarded(name, || {
            io::parse_dataset(bytes, name).map(|loaded| Prepared::new(loaded, &self.map.basemap))
        });
        self.install(prepared, DatasetSource::File(PathBuf::from(name)))
    }

    /// Shows a dataset that was read from `path` elsewhere (`render` reads it itself, to report
    /// why a file cannot be read the way `check` does).
    pub fn open_loaded(&mut self, loaded: io::Loaded, path: &Path) -> bool {
        let file = path.display().to_string();
        let prepared = guarded(&file, || Ok(Prepared::new(loaded, &self.map.basemap)));
        self.install(prepared, DatasetSource::File(path.to_path_buf()))
    }

    /// Shows a prepared dataset, or the problem that stopped it.
    fn install(&mut self, prepared: Result<Prepared, LoadError>, source: DatasetSource) -> bool {
        match prepared {
            Ok(Prepared {
                loaded,
                map,
                timeline,
                located_count,
            }) => {
                let same_file = source == self.source;
                let selected_id = self
                    .selected
                    .and_then(|i| self.dataset.events.get(i))
                    .map(|e| e.id().to_owned());
                self.dataset = Arc::new(loaded.dataset);
                self.warnings = loaded.warnings;
                self.import_report = loaded.report;
                self.located_count = located_count;
                self.map.install(map);
                self.timeline = timeline;
                if let DatasetSource::File(path) = &source {
                    self.view.recent_files.add(path);
                }
                self.source = source;
                self.problem = None;
                self.import_dialog = None;
                self.hover = HoverState::default();
                self.event_list = None;
                // A reload keeps the selection and the view; a new file starts fresh.
                self.selected = if same_file {
                    selected_id.and_then(|id| self.dataset.find(&id))
                } else {
                    None
                };
                // The same file keeps its view even when its title changed.
                if same_file {
                    self.view.dataset_key.clone_from(&self.dataset.title);
                } else {
                    self.view.dataset_key.clear();
                }
                self.adopt_view_state();
                self.reset_story(same_file);
                self.reset_filtering();
                self.table.invalidate();
                self.follow_file();
                true
            }
            // Cancelling is what the user asked for: nothing to report.
            Err(LoadError::Cancelled { .. }) => false,
            Err(LoadError::NeedsColumns {
                message, preview, ..
            }) if matches!(source, DatasetSource::File(_)) => {
                self.ask_for_columns(source, message, *preview);
                false
            }
            Err(error) => {
                self.import_dialog = None;
                self.problem = Some(LoadProblem::from_error(&error));
                false
            }
        }
    }

    /// Shows the import dialog for a table whose columns were not recognised, keeping the
    /// choices made so far for the same file.
    fn ask_for_columns(&mut self, source: DatasetSource, message: String, preview: TablePreview) {
        let DatasetSource::File(path) = source else {
            return;
        };
        let previous = match self.import_dialog.take() {
            Some(dialog) if dialog.path == path => dialog.choice,
            _ => ImportOptions::default(),
        };
        self.problem = None;
        self.import_dialog = Some(ImportDialog::new(path, message, preview, previous));
    }

    fn apply_import(&mut self, command: ImportCommand) {
        let Some(dialog) = &mut self.import_dialog else {
            return;
        };
        match command {
            ImportCommand::Choose(role, column) => dialog.choose(role, column),
            ImportCommand::Sheet(sheet) => {
                // Another sheet has other columns: only the sheet is kept.
                let options = ImportOptions {
                    sheet: Some(sheet),
                    ..ImportOptions::default()
                };
                dialog.choice = options.clone();
                let path = dialog.path.clone();
                self.request_open_with(&path, options);
            }
            ImportCommand::Open => {
                let (path, options) = (dialog.path.clone(), dialog.choice.clone());
                self.request_open_with(&path, options);
            }
            ImportCommand::Cancel => self.import_dialog = None,
        }
    }

    /// Keeps the remembered view if it belongs to this dataset; otherwise starts fresh.
    fn adopt_view_state(&mut self) {
        if self.view.dataset_key != self.dataset.title {
            self.view.dataset_key = self.dataset.title.clone();
            self.view.camera = None;
            let speed = self.view.time.speed;
            self.view.time = TimeControl::at_end_of(self.dataset.extent);
            self.view.time.speed = speed;
            self.view.timeline_view = None;
            self.view.filter = Filter::default();
        } else {
            let playhead = self.view.time.playhead;
            self.view.time.set_playhead(playhead, self.dataset.extent);
        }
    }

    /// Where an event's mark was on the timeline in the last frame.
    pub fn timeline_mark_position(&self, index: EventIndex) -> Option<egui::Pos2> {
        let transform = self.timeline_transform.as_ref()?;
        self.timeline.mark_position(&self.dataset, transform, index)
    }

    /// The timeline's lanes and what it drew last frame, for tests.
    pub fn timeline_panel(&self) -> &TimelinePanel {
        &self.timeline
    }

    /// The map's static data and caches (indexes, clusters), for tests and benchmarks.
    pub fn map_panel(&self) -> &MapPanel {
        &self.map
    }

    /// How many events are on the map now (started, with a place, and matching the filter).
    pub fn shown_on_map(&self) -> usize {
        self.map.shown_count(
            &self.dataset,
            self.view.time.playhead,
            &self.filtering.matches,
        )
    }

    /// Applies one command. The only place that changes state.
    pub fn apply(&mut self, command: Command) {
        let extent = self.dataset.extent;
        match command {
            Command::Select(selection) => {
                self.selected = selection.filter(|&i| i < self.dataset.events.len());
            }
            Command::Hover(hovered) => {
                self.hover
                    .set(hovered.filter(|&i| i < self.dataset.events.len()));
            }
            Command::ListEvents(events) => {
                self.selected = None;
                self.event_list = (!events.is_empty()).then_some(events);
            }
            Command::Focus(index) => self.focus(index),
            Command::SetPlayhead(seconds) => self.view.time.set_playhead(seconds, extent),
            Command::SetWindow(window) => self.view.time.set_window(window),
            Command::TogglePlay => self.view.time.toggle_play(extent),
            Command::AdvancePlayback(seconds) => self.advance_playback(seconds),
            Command::SetSpeed(speed) => self.view.time.speed = speed,
            Command::Step(direction) => {
                if let Some(index) = self.step_target(direction) {
                    self.focus(index);
                }
            }
            Command::StepDate(direction) => self.step_date(direction),
            Command::JumpToStart => self.jump(|extent| extent.start),
            Command::JumpToEnd => self.jump(|extent| extent.end),
            Command::SetCamera(camera) => self.view.camera = Some(camera),
            Command::ZoomMap(factor) => self.zoom_map(factor),
            Command::FitAllEvents => self.view.camera = None,
            Command::SetTimelineView { min, max } => {
                self.view.timeline_view = Some(TimelineView { min, max });
            }
            Command::FitTimeline => self.view.timeline_view = Some(timeline::fit_range(extent)),
            Command::OpenDialog => self.open_dialog(),
            Command::OpenPath(path) => self.request_open(&path),
            Command::OpenBytes { name, bytes } => {
                self.open_bytes(&bytes, &name);
            }
            Command::ShowLoadError(error) => self.problem = Some(LoadProblem::from_error(&error)),
            Command::ClearRecentFiles => self.view.recent_files.clear(),
            Command::Reload => self.reload(),
            Command::CancelLoading => self.cancel_loading(),
            Command::DismissErrors => self.dismiss_notices(),
            Command::ToggleHelp => self.help_open = !self.help_open,
            Command::ShowAbout(open) => self.about_open = open,
            Command::ToggleDetails => self.view.show_details = !self.view.show_details,
            Command::ToggleTimeline => self.view.show_timeline = !self.view.show_timeline,
            Command::ToggleLiveReload => self.toggle_live_reload(),
            Command::SetTheme(theme) => self.requested_theme = Some(theme),
            Command::Palette(command) => self.palette.apply(command),
            Command::Import(command) => self.apply_import(command),
            Command::Export(command) => {
                // An export writes the story as edited, not as it was opened.
                if command == ExportCommand::Run {
                    self.story_into_dataset();
                }
                self.apply_export(command);
            }
            Command::Animation(command) => {
                // An animation of the story shows it as edited, as an export writes it.
                self.story_into_dataset();
                self.apply_animation(command);
            }
            Command::SetFilter(filter) => self.view.filter = filter,
            Command::ClearFilter => self.view.filter = Filter::default(),
            Command::SetPlaybackMode(mode) => self.view.time.mode = mode,
            Command::SetSkipEmpty(skip) => self.view.time.skip_empty = skip,
            Command::SetMapMode(mode) => self.view.map_mode = mode,
            Command::SetLinkDisplay(display) => self.view.link_display = display,
            Command::CycleLinkDisplay => self.view.link_display = self.view.link_display.next(),
            Command::SortTable(sort) => self.view.table_sort = sort,
            Command::ToggleFilters => self.view.show_filters = !self.view.show_filters,
            Command::ToggleTable => self.view.show_table = !self.view.show_table,
            Command::FocusSearch => (self.view.show_filters, self.focus_search) = (true, true),
            Command::Story(command) => self.apply_story(command),
            Command::Quit => self.quit_requested = true,
        }
    }

    /// The load's problem and the settings' notices, dismissed.
    fn dismiss_notices(&mut self) {
        self.problem = None;
        self.settings_notices.clear();
    }

    fn advance_playback(&mut self, seconds: f64) {
        let (dataset, matches) = (&self.dataset, &self.filtering.matches);
        timeline::advance_playback(&mut self.view.time, seconds, dataset, matches);
    }

    /// Moves the playhead to the previous or next date with a matching event.
    fn step_date(&mut self, direction: Direction) {
        let matches = &self.filtering.matches;
        if let Some(step) = timeline::date_step(&self.dataset, matches, &self.view, direction) {
            self.view
                .time
                .set_playhead(step.playhead, self.dataset.extent);
            self.view.timeline_view = step.view.or(self.view.timeline_view);
        }
    }

    /// Moves the playhead to one end of the data.
    fn jump(&mut self, end: impl Fn(crate::model::TimeRange) -> i64) {
        if let Some(extent) = self.dataset.extent {
            self.view.time.set_playhead(end(extent), Some(extent));
        }
    }

    fn zoom_map(&mut self, factor: f64) {
        let camera = self
            .view
            .camera
            .unwrap_or_else(|| self.map.fit_camera(self.map_size));
        self.view.camera = Some(camera.zoomed(factor));
    }

    fn reload(&mut self) {
        if let DatasetSource::File(path) = self.source.clone() {
            self.request_open(&path);
        }
    }

    fn cancel_loading(&mut self) {
        if let Some(loading) = self.loading.take() {
            loading.progress.cancel();
        }
    }

    /// Selects an event, moves the playhead to its start and brings it into view.
    fn focus(&mut self, index: EventIndex) {
        let Some(event) = self.dataset.events.get(index) else {
            return;
        };
        self.selected = Some(index);
        // An undated event is at every playhead and on no lane: time stays where it is.
        let dated = !event.is_undated();
        if dated {
            self.view
                .time
                .set_playhead(event.span.start, self.dataset.extent);
        }
        if let (Some(Some(anchor)), Some(camera)) =
            (self.map.data.anchors.get(index), self.view.camera)
        {
            self.view.camera = Some(camera.revealing(anchor.world(), self.map_size));
        }
        let shown = timeline::shown_range(self.view.timeline_view, self.dataset.extent);
        if dated && let Some(range) = timeline::range_showing(event.span, shown) {
            self.view.timeline_view = Some(range);
        }
    }

    fn step_target(&self, direction: Direction) -> Option<EventIndex> {
        let count = self.dataset.events.len();
        let playhead = self.view.time.playhead;
        match (direction, self.selected) {
            (Direction::Next, Some(index)) => (index + 1 < count).then_some(index + 1),
            (Direction::Previous, Some(index)) => index.checked_sub(1),
            (Direction::Next, None) => self
                .dataset
                .events
                .iter()
                .position(|e| e.span.start > playhead),
            (Direction::Previous, None) => self
                .dataset
                .events
                .iter()
                .rposition(|e| e.span.start <= playhead),
        }
    }

    fn open_dialog(&mut self) {
        if self.file_dialog.is_some() {
            return;
        }
        if !crate::background::file_dialog_available() {
            self.problem = Some(LoadProblem::no_file_dialog());
            return;
        }
        let start_dir = match &self.source {
            DatasetSource::File(path) => path.parent().map(Path::to_path_buf),
            DatasetSource::Builtin => None,
        };
        self.file_dialog = Some(FileDialog::spawn(start_dir));
    }

    /// Takes in what background work finished: the file chosen in the dialog, the file loaded.
    /// Called once a frame, from [`Self::on_frame_start`].
    fn receive_background_results(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Some(dialog) = &self.file_dialog {
            match dialog.outcome() {
                DialogOutcome::Open => ctx.request_repaint_after(Duration::from_millis(100)),
                DialogOutcome::Closed(choice) => {
                    self.file_dialog = None;
                    commands.extend(choice.map(Command::OpenPath));
                }
                DialogOutcome::Failed => {
                    self.file_dialog = None;
                    self.problem = Some(LoadProblem::no_file_dialog());
                }
            }
        }
        if let Some(loading) = &self.loading {
            match loading.try_result() {
                Some(result) => self.finish_loading(result),
                None => ctx.request_repaint_after(Duration::from_millis(50)),
            }
        }
        self.receive_export_results(ctx);
        self.receive_animation_results(ctx);
        self.receive_file_changes(ctx);
        commands
    }

    /// Follows the open file, or stops, as the source and View ▸ Follow file changes say: the
    /// watch moves with every file opened; the built-in dataset is not followed.
    fn follow_file(&mut self) {
        let wanted = match &self.source {
            // A dataset dropped without a path has only a name: no file to follow.
            DatasetSource::File(path) if self.view.follow_file_changes && path.is_file() => {
                Some(path.clone())
            }
            _ => None,
        };
        if wanted == self.live_reload.tried {
            return;
        }
        self.live_reload.watch = None;
        self.live_reload.loading = None;
        self.live_reload.reloaded = None;
        self.live_reload.tried.clone_from(&wanted);
        let Some(path) = wanted else {
            return;
        };
        let ui = Arc::clone(&self.live_reload.wake);
        let wake: Wake = Box::new(move || {
            if let Some(ctx) = ui.get() {
                ctx.request_repaint();
            }
        });
        let delay = self.live_reload.delay.unwrap_or(crate::watch::DEBOUNCE);
        match FileWatch::with_delay(&path, delay, Some(wake)) {
            Ok(watch) => self.live_reload.watch = Some(watch),
            Err(error) => {
                self.problem = Some(LoadProblem::plain(
                    "Changes to the file will not be followed",
                    format!("{error}. Use File ▸ Reload to read it again."),
                ));
            }
        }
    }

    /// View ▸ Follow file changes: on reads the file again (it may have changed meanwhile).
    fn toggle_live_reload(&mut self) {
        self.view.follow_file_changes = !self.view.follow_file_changes;
        self.follow_file();
        if self.live_reload.watch.is_some() {
            self.reload_in_background();
        }
    }

    /// Reads the open file again in the background, after it changed (small files too: the
    /// UI never waits for a file another program is writing).
    fn reload_in_background(&mut self) {
        let DatasetSource::File(path) = &self.source else {
            return;
        };
        if let Some(previous) = self.live_reload.loading.take() {
            previous.progress.cancel();
            self.live_reload.counts.superseded += 1;
        }
        self.live_reload.counts.attempted += 1;
        let options = self.view.import_choices.for_path(path);
        let basemap = Arc::clone(&self.map.basemap);
        let loading = Loading::spawn(self.loader, path, options, basemap);
        self.live_reload.loading = Some(loading);
    }

    /// Takes in the followed file's changes and the reload they started. A file caught broken
    /// or half-written shows why and keeps the last good data; the next good change replaces it.
    fn receive_file_changes(&mut self, ctx: &egui::Context) {
        self.live_reload.wake.get_or_init(|| ctx.clone());
        let notices = self.live_reload.watch.as_ref().map(FileWatch::poll);
        for notice in notices.unwrap_or_default() {
            match notice {
                FileNotice::Changed => self.reload_in_background(),
                FileNotice::Removed => {
                    let mut problem = LoadProblem::plain(
                        "The file was deleted or moved away",
                        format!("{} is no longer there.", self.source.name()),
                    );
                    problem.note = Some(KEPT_WHILE_GONE.to_owned());
                    self.problem = Some(problem);
                }
                FileNotice::Failed(message) => {
                    self.problem = Some(LoadProblem::plain("Changes may be missed", message));
                }
            }
        }
        if let Some(loading) = &self.live_reload.loading {
            let Some(result) = loading.try_result() else {
                ctx.request_repaint_after(Duration::from_millis(50));
                return;
            };
            let path = loading.path.clone();
            self.live_reload.loading = None;
            self.finish_live_reload(result, path);
        }
        if let Some((at, _)) = self.live_reload.reloaded {
            match RELOADED_NOTICE.checked_sub(at.elapsed()) {
                Some(left) => ctx.request_repaint_after(left),
                None => self.live_reload.reloaded = None,
            }
        }
    }

    fn finish_live_reload(&mut self, result: Result<Prepared, LoadError>, path: PathBuf) {
        let source = DatasetSource::File(path);
        // Another file was opened meanwhile.
        if source != self.source {
            return;
        }
        if self.install(result, source) {
            self.live_reload.counts.succeeded += 1;
            self.live_reload.reloaded = Some((Instant::now(), SystemTime::now()));
        } else if let Some(problem) = &mut self.problem {
            self.live_reload.counts.kept_previous += 1;
            self.live_reload.reloaded = None;
            problem.note = Some(KEPT_WHILE_BROKEN.to_owned());
        }
    }

    /// Starts a frame, like rerun's `on_frame_start`: last frame's hover becomes the one drawn
    /// and is collected anew, finished background work and dropped files are taken in.
    fn on_frame_start(&mut self, ctx: &egui::Context) {
        self.hover.on_frame_start();
        let mut commands = self.receive_background_results(ctx);
        commands.extend(ui::drop::dropped_file_command(ctx));
        for command in commands {
            self.apply(command);
        }
        self.advance_story(ctx);
        self.update_filtering(ctx);
        self.update_table(ctx);
    }

    /// What the actions need to know this frame.
    fn action_context(&self, ctx: &egui::Context) -> ActionContext {
        ActionContext {
            can_reload: matches!(self.source, DatasetSource::File(_)),
            has_recent_files: !self.view.recent_files.is_empty(),
            show_details: self.view.show_details,
            show_timeline: self.view.show_timeline,
            show_filters: self.view.show_filters,
            show_table: self.view.show_table,
            filtered: !self.view.filter.is_empty(),
            map_mode: self.view.map_mode,
            link_display: self.view.link_display,
            follow_file_changes: self.view.follow_file_changes,
            help_open: self.help_open,
            palette_open: self.palette.open,
            dialog_open: self.import_dialog.is_some()
                || self.export.dialog.is_some()
                || self.animation.dialog.is_some(),
            theme: ctx.options(|o| o.theme_preference),
            story: StoryContext {
                steps: self.story.story.steps.len(),
                presenting: self.story.presenting,
                show_panel: self.view.show_story,
            },
        }
    }

    /// Draws one frame and applies what the user did. Used by eframe and by the UI tests.
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.on_frame_start(&ctx);
        let actions = self.action_context(&ctx);
        let mut commands = ui::keys::shortcut_commands_ui(ui, &actions);
        if self.palette.open {
            commands.extend(ui::palette::palette_window(&ctx, &self.palette, &actions));
        }
        // Presenting shows only the map, the timeline and the caption (and what went wrong).
        let presenting = self.story.presenting;
        if !presenting {
            egui::Panel::top("menu-bar").show(ui, |ui| {
                commands.extend(ui::menu::menu_bar_ui(ui, &actions, &self.view.recent_files));
            });
        }
        self.notices_ui(ui, &mut commands);
        if !presenting {
            egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar_ui(ui));
        }
        if self.view.show_timeline {
            self.timeline_panel_ui(ui, &mut commands);
        } else {
            self.timeline_rect = None;
        }
        if !presenting {
            self.side_panels_ui(ui, &mut commands);
        }
        self.map_panel_ui(ui, &mut commands);
        if self.help_open {
            commands.extend(ui::help::help_window(&ctx));
        }
        if self.about_open {
            commands.extend(ui::about::about_window(&ctx));
        }
        if let Some(dialog) = &self.import_dialog {
            commands.extend(ui::import::import_dialog_ui(&ctx, dialog));
        }
        if let Some(dialog) = &self.export.dialog {
            commands.extend(ui::export::export_dialog_ui(&ctx, dialog));
        }
        if let Some(dialog) = &self.animation.dialog {
            commands.extend(ui::animation::animation_dialog_ui(&ctx, dialog));
        }
        for command in commands {
            self.apply(command);
        }
        self.on_frame_end(&ctx);
    }

    /// The panels around the map that presenting hides: the table, the details, the story, the
    /// filters and the filter's chips.
    fn side_panels_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        if self.view.show_table {
            self.table_panel_ui(ui, commands);
        }
        if self.view.show_details {
            self.details_panel_ui(ui, commands);
        }
        if self.view.show_story {
            self.story_panel_ui(ui, commands);
        }
        if self.view.show_filters {
            self.filter_panel_ui(ui, commands);
        }
        if !self.view.filter.is_empty() {
            egui::Panel::top("filter-chips").show(ui, |ui| {
                let matching = self.filtering.matches.count();
                commands.extend(ui::filters::filter_chips_ui(
                    ui,
                    &self.dataset,
                    &self.view.filter,
                    matching,
                ));
            });
        }
    }

    /// The story panel, on the left.
    fn story_panel_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let focus_rename = self.story.take_focus_rename();
        egui::Panel::left("story")
            .resizable(true)
            .default_size(300.0)
            .size_range(240.0..=480.0)
            .show(ui, |ui| {
                let panel =
                    ui::story::StoryPanel {
                        story: &self.story.story,
                        dataset_title: &self.dataset.title,
                        current: self.story.current,
                        renaming: self.story.renaming,
                        focus_rename,
                        unsaved: self.story.unsaved,
                        deleted: self
                            .story
                            .deleted
                            .as_ref()
                            .map(|(_, step)| step.title.as_str()),
                        save: match (&self.story.save_to, &self.source) {
                            (Some(path), _) => ui::story::Save::Beside(path),
                            (None, DatasetSource::Builtin) => ui::story::Save::Builtin,
                            (None, DatasetSource::File(_)) => ui::story::Save::NoFile,
                        },
                        saved: self.story.saved.as_ref().map(|saved| {
                            saved.as_ref().map(String::as_str).map_err(String::as_str)
                        }),
                    };
                commands.extend(ui::story::story_panel_ui(ui, &panel));
            });
    }

    /// The bars above the map: a file opening in the background, the last load's problem.
    fn notices_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        if let Some(loading) = &self.loading {
            egui::Panel::top("loading").show(ui, |ui| {
                commands.extend(ui::status_bar::loading_bar_ui(
                    ui,
                    loading,
                    &self.dataset.title,
                ));
            });
        }
        if self.export.running().is_some() || self.export.notice.is_some() {
            egui::Panel::top("export-notice").show(ui, |ui| {
                let (running, notice) = (self.export.running(), self.export.notice.as_ref());
                commands.extend(ui::export::export_notice_ui(ui, running, notice));
            });
        }
        if self.animation.running.is_some() || self.animation.notice.is_some() {
            egui::Panel::top("animation-notice").show(ui, |ui| {
                let (running, notice) = (&self.animation.running, &self.animation.notice);
                let running = running
                    .as_ref()
                    .map(|r| (r.what.as_str(), r.progress.as_ref()));
                commands.extend(ui::animation::animation_notice_ui(
                    ui,
                    running,
                    notice.as_ref(),
                ));
            });
        }
        if !self.settings_notices.is_empty() {
            egui::Panel::top("settings-notice").show(ui, |ui| {
                commands.extend(settings_notice_ui(ui, &self.settings_notices));
            });
        }
        if let Some(problem) = &self.problem {
            egui::Panel::top("load-errors").show(ui, |ui| {
                let kept = format!("“{}” ({})", self.dataset.title, self.source.name());
                commands.extend(ui::errors::error_panel_ui(ui, problem, &kept));
            });
        }
    }

    fn status_bar_ui(&self, ui: &mut Ui) {
        let source = self.source.name();
        let status = StatusBar {
            total: self.dataset.events.len(),
            shown: self.shown_on_map(),
            located: self.located_count,
            time: &self.view.time,
            source: &source,
            warnings: &self.warnings,
            report: self.import_report.as_ref(),
            following: self.live_reload.watch.as_ref().map(|_| Following {
                reloading: self.live_reload.loading.is_some(),
                reloaded_at: self.live_reload.reloaded.map(|(_, at)| at),
            }),
            matching: (!self.view.filter.is_empty()).then(|| self.filtering.matches.count()),
            filtering: self.filtering.is_running(),
        };
        ui::status_bar::status_bar_ui(ui, &status);
    }

    fn timeline_panel_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        // Slim while presenting (its own id, so its height is remembered apart).
        let (id, height) = if self.story.presenting {
            ("timeline-presenting", 220.0)
        } else {
            ("timeline", 250.0)
        };
        let panel = egui::Panel::bottom(id)
            .resizable(true)
            .default_size(height)
            .min_size(150.0)
            .show(ui, |ui| {
                let frame = timeline::TimelineFrame {
                    dataset: &self.dataset,
                    time: &self.view.time,
                    selected: self.selected,
                    hovered: self.hover.previous_frame(),
                    view: timeline::shown_range(self.view.timeline_view, self.dataset.extent),
                    matches: &self.filtering.matches,
                    filter: &self.view.filter,
                    link_display: self.view.link_display,
                };
                let output = timeline::timeline_ui(ui, &self.timeline, &frame);
                commands.extend(output.commands);
                self.timeline_transform = Some(output.transform);
            });
        self.timeline_rect = Some(panel.response.rect);
    }

    fn details_panel_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        egui::Panel::right("details")
            .resizable(true)
            .default_size(360.0)
            .size_range(240.0..=640.0)
            .show(ui, |ui| {
                commands.extend(ui::details::details_ui(
                    ui,
                    &self.dataset,
                    self.selected,
                    self.event_list.as_deref(),
                    &self.view.filter.text,
                ));
            });
    }

    /// The event table, above the timeline.
    fn table_panel_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        egui::Panel::bottom("event-table")
            .resizable(true)
            .default_size(220.0)
            .min_size(100.0)
            .show(ui, |ui| {
                let Some(keys) = &self.table.keys else {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Preparing the table (reading every event's place and actors)…");
                    });
                    return;
                };
                if let Some(error) = &self.table.error {
                    ui.colored_label(ui.visuals().warn_fg_color, error);
                }
                let frame = ui::table::TableFrame {
                    dataset: &self.dataset,
                    rows: &self.table.rows,
                    sort: self.view.table_sort,
                    selected: self.selected,
                    query: &self.view.filter.text,
                    keys,
                    filtered: !self.view.filter.is_empty(),
                };
                commands.extend(ui::table::event_table_ui(ui, &frame));
            });
    }

    fn filter_panel_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let focus_search = std::mem::take(&mut self.focus_search);
        egui::Panel::left("filters")
            .resizable(true)
            .default_size(250.0)
            .size_range(200.0..=420.0)
            .show(ui, |ui| {
                let result = &self.filtering.result;
                let removed_by = |criterion| result.removed_by(criterion);
                let panel = ui::filters::FilterPanel {
                    dataset: &self.dataset,
                    filter: &self.view.filter,
                    by_category: &result.by_category,
                    by_region: &result.by_region,
                    regions: &self.map.data.regions,
                    removed_by: &removed_by,
                    matching: self.filtering.matches.count(),
                    running: self.filtering.is_running(),
                    error: self.filtering.error.as_deref(),
                    focus_search,
                    actors: match self.filtering.search.get() {
                        Some(Ok(index)) => Some(index.actors()),
                        Some(Err(_)) => Some(&[]),
                        None => None,
                    },
                };
                commands.extend(ui::filters::filter_panel_ui(ui, &panel));
            });
    }

    fn map_panel_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.map_rect = ui.max_rect();
            self.map_size = self.map_rect.size();
            let frame = map::panel::MapFrame {
                dataset: &self.dataset,
                camera: self.view.camera,
                playhead: self.view.time.playhead,
                window: self.view.time.shown_window(),
                selected: self.selected,
                hovered: self.hover.previous_frame(),
                matches: &self.filtering.matches,
                matches_generation: self.filtering.generation,
                mode: self.view.map_mode,
                filter: &self.view.filter,
                by_category: &self.filtering.result.by_category,
                link_display: self.view.link_display,
            };
            commands.extend(map::map_ui(ui, &mut self.map, &frame));
            if self.story.presenting {
                let count = self.story.story.steps.len();
                let caption = self
                    .story
                    .current_step()
                    .map(|(index, step)| ui::present::Caption {
                        step,
                        number: index + 1,
                        count,
                    });
                commands.extend(ui::present::caption_card_ui(
                    ui,
                    self.map_rect,
                    caption.as_ref(),
                ));
                return;
            }
            commands.extend(ui::filters::map_toolbar_ui(
                ui,
                self.map_rect,
                self.view.show_filters,
                self.view.map_mode,
            ));
            ui::drop::drop_hint_ui(ui);
        });
    }

    /// Ends a frame: playback moves on, and what egui must do (theme, title, quit) is passed on.
    fn on_frame_end(&mut self, ctx: &egui::Context) {
        if self.view.time.playing {
            let dt = ctx.input(|i| i.stable_dt).min(0.1);
            self.apply(Command::AdvancePlayback(f64::from(dt)));
            ctx.request_repaint();
        }
        // The search field takes the keyboard in the next frame: draw it before keys arrive.
        if self.focus_search {
            ctx.request_repaint();
        }
        self.send_story_window_commands(ctx);
        if let Some(theme) = self.requested_theme.take() {
            ctx.set_theme(theme);
        }
        let title = format!("{} — Event Atlas", self.dataset.title);
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
        self.request_picture(ctx);
        if self.quit_requested {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

impl eframe::App for EventAtlasApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        EventAtlasApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.saved_view.folder.is_none() {
            eframe::set_value(storage, eframe::APP_KEY, &self.view);
        } else if self.save_view().is_ok() {
            // Moved to the view file: eframe's copy would only go stale.
            if storage.get_string(eframe::APP_KEY).is_some() {
                storage.remove_string(eframe::APP_KEY);
            }
        } else if let Some(message) = &self.saved_view.failed {
            log::warn!("{message}");
        }
        self.save_story_window(storage);
    }
}

/// Where the view file is, and what was found wrong with the saved settings before the window
/// opened (eframe's file set aside).
#[derive(Default)]
pub struct Settings {
    pub folder: Option<PathBuf>,
    pub notices: Vec<String>,
}

/// The bar above the map that says what became of the saved settings.
fn settings_notice_ui(ui: &mut Ui, notices: &[String]) -> Option<Command> {
    let mut command = None;
    ui.horizontal(|ui| {
        if ui.button("OK").clicked() {
            command = Some(Command::DismissErrors);
        }
        ui.vertical(|ui| {
            for notice in notices {
                ui.colored_label(ui.visuals().warn_fg_color, notice);
            }
        });
    });
    command
}
