//! The application: owns the dataset and the view state, draws the panels and applies commands.

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

use egui::{Color32, RichText, Ui};

use crate::builtin;
use crate::command::{Command, Direction};
use crate::io::{self, Diagnostic, LoadError};
use crate::map::MapData;
use crate::map::{self, Basemap, MapPanel};
use crate::model::{Dataset, EventIndex, calendar};
use crate::state::{TimeControl, ViewState};
use crate::timeline::axis::days_from_seconds;
use crate::timeline::{self, TimelinePanel};
use crate::ui::{self, LoadProblem, MenuState};

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

/// A file being opened in the background.
pub struct Loading {
    pub path: PathBuf,
    pub progress: Arc<io::LoadProgress>,
    receiver: mpsc::Receiver<Result<Prepared, LoadError>>,
}

/// A loaded dataset with what the map and the timeline need of it, ready to show. Built on the
/// loading thread, so that the UI only swaps it in.
pub struct Prepared {
    loaded: io::Loaded,
    map: MapData,
    timeline: TimelinePanel,
    located_count: usize,
}

/// From this many events, the map's and the timeline's data are built on two threads.
const PREPARE_IN_PARALLEL_FROM: usize = 50_000;

impl Prepared {
    pub fn new(loaded: io::Loaded, basemap: &Basemap) -> Self {
        let dataset = &loaded.dataset;
        let (map, timeline) = if dataset.events.len() < PREPARE_IN_PARALLEL_FROM {
            (MapData::new(basemap, dataset), TimelinePanel::new(dataset))
        } else {
            std::thread::scope(|scope| {
                let timeline = scope.spawn(|| TimelinePanel::new(dataset));
                let map = MapData::new(basemap, dataset);
                let timeline = timeline
                    .join()
                    .unwrap_or_else(|_| TimelinePanel::new(dataset));
                (map, timeline)
            })
        };
        let located_count = dataset.located_count();
        Self {
            loaded,
            map,
            timeline,
            located_count,
        }
    }
}

/// The Event Atlas application state.
pub struct EventAtlasApp {
    pub dataset: Dataset,
    pub source: DatasetSource,
    /// Warnings from loading the open dataset.
    pub warnings: Vec<Diagnostic>,
    pub view: ViewState,
    pub selected: Option<EventIndex>,
    pub hovered: Option<EventIndex>,
    /// The last load that failed, shown until dismissed.
    pub problem: Option<LoadProblem>,
    pub help_open: bool,
    pub about_open: bool,
    /// Events listed in the details panel (a cluster's), when nothing is selected.
    pub event_list: Option<Vec<EventIndex>>,
    map: MapPanel,
    timeline: TimelinePanel,
    requested_timeline_view: Option<(f64, f64)>,
    file_dialog: Option<mpsc::Receiver<Option<PathBuf>>>,
    quit_requested: bool,
    window_title: String,
    /// A file being opened on a background thread.
    pub loading: Option<Loading>,
    /// Events with a place in the open dataset (counted once, not every frame).
    located_count: usize,
    /// Size of the map last frame, for fitting from keyboard commands.
    map_size: egui::Vec2,
    /// The timeline's plot transform last frame.
    timeline_transform: Option<egui_plot::PlotTransform>,
}

impl EventAtlasApp {
    /// The app on the built-in dataset, with remembered view state.
    pub fn new(view: ViewState) -> Self {
        let basemap = Basemap::builtin().unwrap_or_else(|error| {
            log::error!("{error}");
            Basemap::default()
        });
        let (dataset, warnings) = match builtin::crocus_dataset() {
            Ok(loaded) => (loaded.dataset, loaded.warnings),
            Err(error) => {
                log::error!("the built-in dataset is broken: {error}");
                (Dataset::default(), Vec::new())
            }
        };
        let map = MapPanel::new(basemap, &dataset);
        let timeline = TimelinePanel::new(&dataset);
        let mut app = Self {
            dataset,
            source: DatasetSource::Builtin,
            warnings,
            view,
            selected: None,
            hovered: None,
            problem: None,
            help_open: false,
            about_open: false,
            event_list: None,
            map,
            timeline,
            requested_timeline_view: None,
            file_dialog: None,
            quit_requested: false,
            window_title: String::new(),
            map_size: egui::vec2(900.0, 500.0),
            loading: None,
            located_count: 0,
            timeline_transform: None,
        };
        app.located_count = app.dataset.located_count();
        app.adopt_view_state();
        app
    }

    /// The app for eframe: restores remembered state and opens `file` if given.
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> Self {
        let view: ViewState = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        let mut app = Self::new(view);
        if let Some(path) = file {
            app.request_open(&path);
        }
        app
    }

    /// Opens a dataset file. On failure the open dataset stays and the problem is shown.
    pub fn open_path(&mut self, path: &Path) -> bool {
        let loaded = io::load_path(path);
        self.accept(loaded, DatasetSource::File(path.to_path_buf()))
    }

    /// Opens a file without blocking the UI: small files at once, big ones on a thread with
    /// progress (see [`Self::loading`]); the open dataset stays usable until the new one is ready.
    pub fn request_open(&mut self, path: &Path) {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size < BACKGROUND_LOAD_BYTES {
            self.open_path(path);
            return;
        }
        if let Some(previous) = self.loading.take() {
            previous.progress.cancel();
        }
        let progress = Arc::new(io::LoadProgress::default());
        let (sender, receiver) = mpsc::channel();
        let thread_progress = Arc::clone(&progress);
        let thread_path = path.to_path_buf();
        let basemap = Arc::clone(&self.map.basemap);
        std::thread::spawn(move || {
            let result = io::load_path_with_progress(&thread_path, &thread_progress)
                .map(|loaded| Prepared::new(loaded, &basemap));
            let _ = sender.send(result);
        });
        self.loading = Some(Loading {
            path: path.to_path_buf(),
            progress,
            receiver,
        });
    }

    fn poll_loading(&mut self, ctx: &egui::Context) {
        let Some(loading) = &self.loading else {
            return;
        };
        match loading.receiver.try_recv() {
            Ok(result) => {
                let path = loading.path.clone();
                self.loading = None;
                self.install(result, DatasetSource::File(path));
            }
            Err(mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            Err(mpsc::TryRecvError::Disconnected) => self.loading = None,
        }
    }

    /// Opens a dataset from bytes (drag-and-drop without a path).
    pub fn open_bytes(&mut self, bytes: &[u8], name: &str) -> bool {
        let loaded = io::parse_dataset(bytes, name);
        self.accept(loaded, DatasetSource::File(PathBuf::from(name)))
    }

    fn accept(&mut self, loaded: Result<io::Loaded, LoadError>, source: DatasetSource) -> bool {
        let prepared = loaded.map(|loaded| Prepared::new(loaded, &self.map.basemap));
        self.install(prepared, source)
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
                self.dataset = loaded.dataset;
                self.warnings = loaded.warnings;
                self.located_count = located_count;
                self.map.install(map);
                self.timeline = timeline;
                if let DatasetSource::File(path) = &source {
                    self.view.last_file = Some(path.clone());
                }
                self.source = source;
                self.problem = None;
                self.hovered = None;
                self.event_list = None;
                // A reload keeps the selection and the view; a new file starts fresh.
                self.selected = if same_file {
                    selected_id.and_then(|id| self.dataset.find(&id))
                } else {
                    None
                };
                if !same_file {
                    self.view.dataset_key.clear();
                }
                self.adopt_view_state();
                true
            }
            // Cancelling is what the user asked for: nothing to report.
            Err(LoadError::Cancelled { .. }) => false,
            Err(error) => {
                self.problem = Some(load_problem(&error));
                false
            }
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
            self.requested_timeline_view = Some(self.timeline_fit_range());
        } else {
            let playhead = self.view.time.playhead;
            self.view.time.set_playhead(playhead, self.dataset.extent);
            self.requested_timeline_view =
                Some(self.view.timeline_view.unwrap_or(self.timeline_fit_range()));
        }
    }

    fn timeline_fit_range(&self) -> (f64, f64) {
        match self.dataset.extent {
            Some(extent) => {
                let (start, end) = (
                    days_from_seconds(extent.start),
                    days_from_seconds(extent.end),
                );
                let pad = (end - start) * 0.04 + 1.0;
                (start - pad, end + pad)
            }
            None => (0.0, 365.0),
        }
    }

    /// Where an event's mark was on the timeline in the last frame.
    pub fn timeline_mark_position(&self, index: EventIndex) -> Option<egui::Pos2> {
        let transform = self.timeline_transform.as_ref()?;
        self.timeline.mark_position(&self.dataset, transform, index)
    }

    /// The map's static data and caches (indexes, clusters), for tests and benchmarks.
    pub fn map_panel(&self) -> &MapPanel {
        &self.map
    }

    /// How many events are on the map now (started, with a place).
    pub fn shown_on_map(&self) -> usize {
        self.map.shown_count(&self.dataset, self.view.time.playhead)
    }

    /// Applies one command. The only place that changes state.
    pub fn apply(&mut self, command: Command) {
        let extent = self.dataset.extent;
        match command {
            Command::Select(selection) => {
                self.selected = selection.filter(|&i| i < self.dataset.events.len());
            }
            Command::Hover(hovered) => self.hovered = hovered,
            Command::ListEvents(events) => {
                self.selected = None;
                self.event_list = (!events.is_empty()).then_some(events);
            }
            Command::Focus(index) => self.focus(index),
            Command::SetPlayhead(seconds) => self.view.time.set_playhead(seconds, extent),
            Command::SetWindow(window) => self.view.time.set_window(window),
            Command::TogglePlay => self.view.time.toggle_play(extent),
            Command::SetSpeed(speed) => self.view.time.speed = speed,
            Command::Step(direction) => {
                if let Some(index) = self.step_target(direction) {
                    self.focus(index);
                }
            }
            Command::JumpToStart => {
                if let Some(extent) = extent {
                    self.view.time.set_playhead(extent.start, Some(extent));
                }
            }
            Command::JumpToEnd => {
                if let Some(extent) = extent {
                    self.view.time.set_playhead(extent.end, Some(extent));
                }
            }
            Command::SetCamera(camera) => self.view.camera = Some(camera),
            Command::ZoomMap(factor) => {
                let camera = self
                    .view
                    .camera
                    .unwrap_or_else(|| self.map.fit_camera(self.map_size));
                self.view.camera = Some(camera.zoomed(factor));
            }
            Command::FitAllEvents => self.view.camera = None,
            Command::SetTimelineView { min, max } => {
                self.requested_timeline_view = Some((min, max))
            }
            Command::FitTimeline => self.requested_timeline_view = Some(self.timeline_fit_range()),
            Command::OpenDialog => self.open_dialog(),
            Command::OpenPath(path) => self.request_open(&path),
            Command::Reload => {
                if let DatasetSource::File(path) = self.source.clone() {
                    self.request_open(&path);
                }
            }
            Command::CancelLoading => {
                if let Some(loading) = self.loading.take() {
                    loading.progress.cancel();
                }
            }
            Command::DismissErrors => self.problem = None,
            Command::ToggleHelp => self.help_open = !self.help_open,
            Command::ShowAbout(open) => self.about_open = open,
            Command::ToggleDetails => self.view.show_details = !self.view.show_details,
            Command::ToggleTimeline => self.view.show_timeline = !self.view.show_timeline,
            Command::Quit => self.quit_requested = true,
        }
    }

    /// Selects an event, moves the playhead to its start and brings it into view.
    fn focus(&mut self, index: EventIndex) {
        let Some(event) = self.dataset.events.get(index) else {
            return;
        };
        self.selected = Some(index);
        self.view
            .time
            .set_playhead(event.span.start, self.dataset.extent);
        if let (Some(Some(anchor)), Some(camera)) =
            (self.map.data.anchors.get(index), self.view.camera)
        {
            self.view.camera = Some(camera.revealing(anchor.world(), self.map_size));
        }
        if let Some((min, max)) = self.view.timeline_view {
            let (start, end) = (
                days_from_seconds(event.span.start),
                days_from_seconds(event.span.end),
            );
            if start < min || start > max {
                let width = max - min;
                self.requested_timeline_view = Some((start - width / 2.0, start + width / 2.0));
            } else if end > max && end - start < max - min {
                self.requested_timeline_view = Some((min, end + (max - min) * 0.05));
            }
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
        // On Linux the dialog is the desktop portal, reached over the session bus.
        if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            self.problem = Some(no_file_dialog_problem());
            return;
        }
        let (sender, receiver) = mpsc::channel();
        let start_dir = match &self.source {
            DatasetSource::File(path) => path.parent().map(Path::to_path_buf),
            DatasetSource::Builtin => None,
        };
        // The dialog blocks, so it runs on its own thread and the UI keeps drawing.
        std::thread::spawn(move || {
            let mut dialog = rfd::FileDialog::new()
                .set_title("Open an Event Atlas dataset")
                .add_filter("Event Atlas dataset (JSON)", &["json"])
                .add_filter("All files", &["*"]);
            if let Some(dir) = start_dir {
                dialog = dialog.set_directory(dir);
            }
            let _ = sender.send(dialog.pick_file());
        });
        self.file_dialog = Some(receiver);
    }

    fn poll_file_dialog(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let Some(receiver) = &self.file_dialog else {
            return Vec::new();
        };
        match receiver.try_recv() {
            Ok(choice) => {
                self.file_dialog = None;
                choice.map(Command::OpenPath).into_iter().collect()
            }
            Err(mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                Vec::new()
            }
            Err(mpsc::TryRecvError::Disconnected) => {
                self.file_dialog = None;
                self.problem = Some(no_file_dialog_problem());
                Vec::new()
            }
        }
    }

    fn dropped_files(&mut self, ui: &Ui) {
        let dropped = ui.input(|i| i.raw.dropped_files.clone());
        // Several files: the last one wins, as in most viewers.
        if let Some(file) = dropped.last() {
            let path = file.path().to_path_buf();
            if path.is_file() {
                self.request_open(&path);
            } else {
                match file.bytes() {
                    Ok(bytes) => {
                        let name = path.display().to_string();
                        self.open_bytes(&bytes, &name);
                    }
                    Err(message) => {
                        self.accept(
                            Err(LoadError::Io {
                                file: path.display().to_string(),
                                message,
                            }),
                            DatasetSource::File(path),
                        );
                    }
                }
            }
        }
    }

    /// Draws one frame and applies what the user did. Used by eframe and by the UI tests.
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let mut commands = ui::keyboard_commands(ui, self.help_open);
        commands.extend(self.poll_file_dialog(&ctx));
        self.poll_loading(&ctx);
        self.dropped_files(ui);

        egui::Panel::top("menu-bar").show(ui, |ui| {
            let state = MenuState {
                show_details: self.view.show_details,
                show_timeline: self.view.show_timeline,
                can_reload: matches!(self.source, DatasetSource::File(_)),
            };
            commands.extend(ui::menu_bar(ui, &state));
        });
        if let Some(loading) = &self.loading {
            egui::Panel::top("loading").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(format!("Opening {}…", loading.path.display()));
                    let fraction = loading.progress.fraction();
                    ui.add(
                        egui::ProgressBar::new(fraction)
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
                    ui.weak(format!("still showing “{}”", self.dataset.title));
                });
            });
        }
        if let Some(problem) = &self.problem {
            egui::Panel::top("load-errors").show(ui, |ui| {
                let kept = format!("“{}” ({})", self.dataset.title, self.source.name());
                commands.extend(ui::error_panel(ui, problem, &kept));
            });
        }
        egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar(ui));
        if self.view.show_timeline {
            egui::Panel::bottom("timeline")
                .resizable(true)
                .default_size(250.0)
                .min_size(150.0)
                .show(ui, |ui| {
                    let frame = timeline::panel::TimelineFrame {
                        dataset: &self.dataset,
                        time: &self.view.time,
                        selected: self.selected,
                        hovered: self.hovered,
                        requested_view: self.requested_timeline_view.take(),
                    };
                    let output = timeline::timeline_ui(ui, &self.timeline, &frame);
                    commands.extend(output.commands);
                    self.timeline_transform = Some(output.transform);
                    if output.view.is_some() {
                        self.view.timeline_view = output.view;
                    }
                });
        }
        if self.view.show_details {
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
                    ));
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.map_size = ui.max_rect().size();
            let frame = map::panel::MapFrame {
                dataset: &self.dataset,
                camera: self.view.camera,
                playhead: self.view.time.playhead,
                window: self.view.time.window,
                selected: self.selected,
                hovered: self.hovered,
            };
            commands.extend(map::map_ui(ui, &mut self.map, &frame));
            self.drop_hint(ui);
        });
        if self.help_open {
            commands.extend(ui::help_window(&ctx));
        }
        if self.about_open {
            commands.extend(ui::about_window(&ctx));
        }

        // Hover is recomputed every frame: no hover command means nothing is hovered.
        if !commands.iter().any(|c| matches!(c, Command::Hover(_))) {
            self.hovered = None;
        }
        for command in commands {
            self.apply(command);
        }
        let dt = ui.input(|i| i.stable_dt).min(0.1);
        if self.view.time.playing {
            self.view.time.advance(f64::from(dt), self.dataset.extent);
            ctx.request_repaint();
        }
        self.update_title(&ctx);
        if self.quit_requested {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = format!("{} — Event Atlas", self.dataset.title);
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }

    fn drop_hint(&self, ui: &Ui) {
        let hovering = ui.input(|i| i.raw.hovered_files.first().and_then(|f| f.path.clone()));
        if let Some(path) = hovering {
            let rect = ui.max_rect();
            let painter = ui.painter();
            painter.rect_filled(rect, 0.0, Color32::from_black_alpha(140));
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                format!("Drop to open {}", path.display()),
                egui::FontId::proportional(20.0),
                Color32::WHITE,
            );
        }
    }

    fn status_bar(&self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let total = self.dataset.events.len();
            let shown = self.shown_on_map();
            let without = total - self.located_count;
            ui.label(format!("{shown} shown on the map / {total} events / {without} without a place"))
                .on_hover_text("Shown: events up to the playhead that have a place. Events without a place are on the timeline only.");
            ui.separator();
            ui.label(format!(
                "Playhead {} · window {}",
                calendar::format_day(self.view.time.playhead),
                calendar::format_duration(self.view.time.window)
            ));
            ui.separator();
            ui.label(RichText::new(self.source.name()).weak());
            if !self.warnings.is_empty() {
                let text = format!("{} warning(s)", self.warnings.len());
                let tooltip: Vec<String> = self.warnings.iter().take(20).map(ToString::to_string).collect();
                ui.label(RichText::new(text).color(ui.visuals().warn_fg_color))
                    .on_hover_text(tooltip.join("\n"));
            }
        });
    }
}

fn no_file_dialog_problem() -> LoadProblem {
    LoadProblem {
        headline: "The file dialog could not be opened".to_owned(),
        lines: Vec::new(),
        plain: vec![
            "No desktop file-chooser service (xdg-desktop-portal) answered. Drop the file onto the window, or start with: event-atlas FILE".to_owned(),
        ],
    }
}

fn load_problem(error: &LoadError) -> LoadProblem {
    match error {
        LoadError::Cancelled { .. } => LoadProblem {
            headline: "Opening was cancelled".to_owned(),
            lines: Vec::new(),
            plain: vec![error.to_string()],
        },
        LoadError::Io { .. } => LoadProblem {
            headline: format!("Could not open {}", error.file()),
            lines: Vec::new(),
            plain: vec![error.to_string()],
        },
        LoadError::Invalid { file, diagnostics } => {
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == io::Severity::Error)
                .count();
            LoadProblem {
                headline: format!("Could not open {file}: {errors} error(s)"),
                lines: diagnostics.clone(),
                plain: Vec::new(),
            }
        }
    }
}

impl eframe::App for EventAtlasApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        EventAtlasApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.view);
    }
}
