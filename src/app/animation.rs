//! Animations: File ▸ Export animation (its dialog's state, the preview that shows frame k of
//! the plan in the main window, the export written on a background thread from the loaded
//! dataset) and the app drawn without a window (`event-atlas render`), frame after frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::{DatasetSource, EventAtlasApp};
use crate::background::{DialogOutcome, FileDialog, Task, save_dialog};
use crate::command::{AnimationCommand, AnimationSubject, Command};
use crate::io::{self, export::suggested_path};
use crate::map::{Basemap, MapData};
use crate::model::Dataset;
use crate::render::animation::{
    AnimationOutput, AnimationProgress, FrameRenderer, WriteOptions, Written, captions,
    write_animation,
};
use crate::render::frames::{
    AnimationSpec, DEFAULT_FPS, DEFAULT_PLAYBACK_SECONDS, FramePlan, frame_commands,
};
use crate::render::{Picture, RenderError, RenderRequest, Rendered, Scene, outside_the_data};
use crate::state::ViewState;
use crate::timeline::TimelinePanel;
use crate::ui::animation::{AnimationDialog, DEFAULT_ANIMATION_SIZE};

/// An animation being written on a background thread.
pub struct RunningAnimation {
    /// What is written, for the bar above the map.
    pub what: String,
    pub progress: Arc<AnimationProgress>,
    task: Task<String>,
}

/// File ▸ Export animation: the dialog, the export running and the last one's outcome.
#[derive(Default)]
pub struct AnimationState {
    pub dialog: Option<AnimationDialog>,
    pub running: Option<RunningAnimation>,
    /// The last export's outcome, shown until dismissed: `Ok(what was written)` or the error.
    pub notice: Option<Result<String, String>>,
    save_dialog: Option<FileDialog>,
    /// The window's theme, for the exported pictures.
    theme: Option<egui::Theme>,
}

impl EventAtlasApp {
    pub(super) fn apply_animation(&mut self, command: AnimationCommand) {
        match command {
            AnimationCommand::Open => self.open_animation_dialog(),
            AnimationCommand::CancelExport => {
                if let Some(running) = &self.animation.running {
                    running.progress.cancel();
                }
            }
            AnimationCommand::DismissNotice => self.animation.notice = None,
            AnimationCommand::Close => self.close_animation_dialog(),
            AnimationCommand::Preview(frame) => self.preview_frame(frame),
            AnimationCommand::Export => self.export_animation(),
            AnimationCommand::Browse => {
                if let Some(dialog) = &self.animation.dialog {
                    let start = PathBuf::from(dialog.path.trim());
                    self.animation.save_dialog = Some(save_dialog(&start, ("GIF", "gif")));
                }
            }
            other => self.change_animation_choice(other),
        }
    }

    fn change_animation_choice(&mut self, command: AnimationCommand) {
        let Some(dialog) = &mut self.animation.dialog else {
            return;
        };
        match command {
            AnimationCommand::SetSubject(subject) => dialog.subject = subject,
            AnimationCommand::SetSize(size) => {
                // The size changes the pictures, not the frames.
                dialog.size = size;
                return;
            }
            AnimationCommand::SetFps(fps) => dialog.fps = fps,
            AnimationCommand::SetSeconds(seconds) => dialog.seconds = seconds,
            AnimationCommand::SetPath(path) => {
                dialog.path = path;
                dialog.replace = false;
                return;
            }
            AnimationCommand::SetReplace(replace) => {
                dialog.replace = replace;
                return;
            }
            _ => return,
        }
        self.plan_animation();
    }

    fn open_animation_dialog(&mut self) {
        // Open already: its view before the preview is the one to give back.
        if self.animation.dialog.is_some() {
            return;
        }
        // The preview moves the playhead: playback would move it on.
        self.view.time.playing = false;
        let has_story = !self.dataset.story.is_empty();
        let folder = match &self.source {
            DatasetSource::File(path) => {
                path.parent().filter(|p| p.is_dir()).map(Path::to_path_buf)
            }
            DatasetSource::Builtin => None,
        };
        let folder = folder
            .or_else(|| self.view.export.folder.clone().filter(|f| f.is_dir()))
            .or_else(std::env::home_dir)
            .unwrap_or_else(std::env::temp_dir);
        let path = suggested_path(&folder, &self.dataset.title, "animation", "gif");
        self.animation.dialog = Some(AnimationDialog {
            subject: if has_story {
                AnimationSubject::Story
            } else {
                AnimationSubject::Playback
            },
            size: DEFAULT_ANIMATION_SIZE,
            fps: DEFAULT_FPS,
            seconds: DEFAULT_PLAYBACK_SECONDS,
            plan: Err(String::new()),
            preview: 0,
            path: path.display().to_string(),
            replace: false,
            has_story,
            before: (self.view.clone(), self.selected),
        });
        self.plan_animation();
    }

    /// Plans the frames from the view the dialog opened on, and shows the first.
    fn plan_animation(&mut self) {
        let Some(dialog) = &mut self.animation.dialog else {
            return;
        };
        let (view, selection) = &dialog.before;
        dialog.plan = FramePlan::new(
            &dialog.spec(),
            &self.dataset,
            view,
            *selection,
            &self.source.name(),
        )
        .map_err(|error| error.to_string());
        self.preview_frame(0);
    }

    /// Shows frame `index` of the plan in the main window, with the export's own commands.
    fn preview_frame(&mut self, index: usize) {
        let Some(dialog) = &mut self.animation.dialog else {
            return;
        };
        let Ok(plan) = &dialog.plan else {
            return;
        };
        let index = index.min(plan.len().saturating_sub(1));
        dialog.preview = index;
        let Some(frame) = plan.frame(index) else {
            return;
        };
        for command in frame_commands(&frame) {
            self.apply(command);
        }
    }

    fn close_animation_dialog(&mut self) {
        let Some(dialog) = self.animation.dialog.take() else {
            return;
        };
        let (view, selection) = dialog.before;
        self.view.camera = view.camera;
        self.view.time = view.time;
        self.view.filter = view.filter;
        self.selected = selection;
    }

    /// Starts writing the animation on a background thread, from the loaded dataset.
    fn export_animation(&mut self) {
        let Some(dialog) = &self.animation.dialog else {
            return;
        };
        let Ok(plan) = &dialog.plan else {
            return;
        };
        if dialog.problem().is_some() || self.animation.running.is_some() {
            return;
        }
        let output = dialog.output();
        let options = WriteOptions {
            replace: dialog.replace,
            protected: match &self.source {
                DatasetSource::File(path) => Some(path.clone()),
                DatasetSource::Builtin => None,
            },
        };
        let picture = Picture {
            size: dialog.size,
            pixels_per_point: 1.0,
            theme: self.animation.theme.unwrap_or(egui::Theme::Dark),
        };
        let (plan, view) = (plan.clone(), dialog.before.0.clone());
        let (dataset, basemap) = (Arc::clone(&self.dataset), Arc::clone(&self.map.basemap));
        let source = self.source.clone();
        let progress = Arc::new(AnimationProgress::default());
        let thread_progress = Arc::clone(&progress);
        let what = format!("Writing {}…", output.path().display());
        let work = format!("Writing the animation {}", output.path().display());
        let task = Task::spawn(&work, move || {
            let captions = captions(&dataset.story);
            let mut app = EventAtlasApp::offscreen(dataset, &basemap, source, view);
            let mut renderer = FrameRenderer::new(&mut app, picture, captions);
            let written =
                write_animation(&mut renderer, &plan, &output, &options, &thread_progress)
                    .map_err(|error| error.to_string())?;
            Ok(format!(
                "Wrote {} — {}",
                output.path().display(),
                written.line()
            ))
        });
        self.animation.running = Some(RunningAnimation {
            what,
            progress,
            task,
        });
        self.close_animation_dialog();
        self.animation.notice = None;
    }

    /// Takes in a finished export and the file chosen in the save dialog. Called once a frame.
    pub(super) fn receive_animation_results(&mut self, ctx: &egui::Context) {
        self.animation.theme = Some(ctx.theme());
        if let Some(running) = &self.animation.running {
            match running.task.try_result() {
                Some(result) => {
                    self.animation.running = None;
                    self.animation.notice = Some(result);
                }
                None => ctx.request_repaint_after(Duration::from_millis(50)),
            }
        }
        let Some(save) = &self.animation.save_dialog else {
            return;
        };
        match save.outcome() {
            DialogOutcome::Open => ctx.request_repaint_after(Duration::from_millis(100)),
            DialogOutcome::Closed(choice) => {
                self.animation.save_dialog = None;
                if let (Some(path), Some(dialog)) = (choice, &mut self.animation.dialog) {
                    dialog.path = path.display().to_string();
                    // The desktop's dialog asked already.
                    dialog.replace = true;
                }
            }
            DialogOutcome::Failed => {
                self.animation.save_dialog = None;
                self.animation.notice = Some(Err(
                    "No desktop file-chooser service (xdg-desktop-portal) answered: type the path in the dialog instead.".to_owned(),
                ));
            }
        }
    }

    /// Waits up to `timeout` for the animation being written, and takes in its outcome (tests).
    pub fn wait_for_animation(&mut self, timeout: Duration) -> bool {
        let Some(running) = &self.animation.running else {
            return true;
        };
        let Some(result) = running.task.wait_result(timeout) else {
            return false;
        };
        self.animation.running = None;
        self.animation.notice = Some(result);
        true
    }

    /// An app of its own on a dataset already loaded (shared, not read again), with `view`:
    /// what the export draws on its thread while the window goes on.
    pub fn offscreen(
        dataset: Arc<Dataset>,
        basemap: &Basemap,
        source: DatasetSource,
        view: ViewState,
    ) -> Self {
        let mut app = Self::new(view);
        app.map.install(MapData::new(basemap, &dataset));
        app.timeline = TimelinePanel::new(&dataset);
        app.located_count = dataset.located_count();
        app.view.dataset_key.clone_from(&dataset.title);
        app.dataset = dataset;
        app.source = source;
        app.adopt_view_state();
        app.reset_filtering();
        app.table.invalidate();
        app
    }

    /// The app on a render request's dataset, in a fresh state (nothing remembered from a
    /// window), with its playhead, window and selection.
    pub fn for_render(request: &RenderRequest) -> Result<(Self, Vec<String>), RenderError> {
        let mut app = Self::opened_for_render(request)?;
        let mut notes = Vec::new();
        if let Some(at) = request.at {
            notes.extend(outside_the_data(at, app.dataset.extent));
            app.apply(Command::SetPlayhead(at));
        }
        if let Some(window) = request.window {
            app.apply(Command::SetWindow(window));
        }
        if let Some(id) = &request.select {
            let Some(index) = app.dataset.find(id) else {
                return Err(RenderError::UnknownEvent {
                    id: id.clone(),
                    dataset: app.dataset.title.clone(),
                });
            };
            app.apply(Command::Select(Some(index)));
        }
        Ok((app, notes))
    }

    /// Opens the dataset, sets the view as asked, and writes the animation `spec` describes to
    /// `output` (`event-atlas render --story` or `--playback`). Returns what was written and
    /// what the user should know (steps naming events the dataset lacks…).
    pub fn render_animation(
        request: &RenderRequest,
        spec: &AnimationSpec,
        output: &AnimationOutput,
        replace: bool,
    ) -> Result<(Written, Vec<String>), RenderError> {
        let (mut app, mut notes) = Self::for_render(request)?;
        let plan = FramePlan::new(
            spec,
            &app.dataset,
            &app.view,
            app.selected,
            &app.source.name(),
        )?;
        notes.extend(plan.problems.iter().cloned());
        let options = WriteOptions {
            replace,
            protected: request.file.clone(),
        };
        let captions = captions(&app.dataset.story);
        let mut renderer = FrameRenderer::new(&mut app, request.picture, captions);
        let progress = AnimationProgress::default();
        let written = write_animation(&mut renderer, &plan, output, &options, &progress)?;
        Ok((written, notes))
    }

    /// Opens the dataset, sets the view as asked and draws the app's window.
    pub fn render(request: &RenderRequest) -> Result<Rendered, RenderError> {
        let (mut app, notes) = Self::for_render(request)?;
        let canvas = crate::render::render_app(&mut app, &request.picture);
        Ok(Rendered { canvas, notes })
    }

    fn opened_for_render(request: &RenderRequest) -> Result<Self, RenderError> {
        let mut app = Self::new(ViewState::default());
        if let Some(problem) = &app.problem {
            // The built-in story or basemap did not load: a bug, reported rather than drawn.
            return Err(RenderError::NotShown {
                file: app.source.name(),
                message: problem.headline.clone(),
            });
        }
        let Some(path) = &request.file else {
            return Ok(app);
        };
        let progress = io::LoadProgress::default();
        let loaded = io::load_path_with_options(path, &request.import, &progress)?;
        if !app.open_loaded(loaded, path) {
            let message = app.problem.as_ref().map_or_else(
                || "the dataset could not be shown".to_owned(),
                |problem| {
                    [problem.headline.clone()]
                        .into_iter()
                        .chain(problem.plain.clone())
                        .collect::<Vec<_>>()
                        .join(": ")
                },
            );
            return Err(RenderError::NotShown {
                file: path.display().to_string(),
                message,
            });
        }
        Ok(app)
    }
}

impl Scene for EventAtlasApp {
    fn ui(&mut self, ui: &mut egui::Ui) {
        EventAtlasApp::ui(self, ui);
    }

    fn apply(&mut self, command: Command) {
        EventAtlasApp::apply(self, command);
    }

    fn busy(&self) -> bool {
        self.filtering.is_running() || (self.view.show_table && self.table.is_busy())
    }
}
