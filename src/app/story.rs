//! The story in the app: a copy of the dataset's story that the story panel edits, the step
//! shown, the glide from one step to the next, and presentation mode. Every story command is
//! applied here ([`EventAtlasApp::apply_story`], called from `app.rs::apply`).

use std::path::PathBuf;
use std::sync::Arc;

use super::{DatasetSource, EventAtlasApp};
use crate::command::StoryCommand;
use crate::io;
use crate::model::{StepCamera, Story, StoryStep, TimeRange};
use crate::state::story::{self, Applied, Pose, Transition};
use crate::timeline;
use crate::ui::LoadProblem;

/// eframe's key for the window's size, place and full-screen state (private in eframe).
const WINDOW_KEY: &str = "window";

/// The story being shown or edited, and how it is shown.
#[derive(Default)]
pub struct StoryState {
    /// A copy of the open dataset's story, with the edits made since it opened.
    pub story: Story,
    /// The step shown last (while a glide runs: the step it goes to).
    pub current: Option<usize>,
    glide: Option<Glide>,
    /// Edited since the dataset opened or the story was saved.
    pub unsaved: bool,
    /// The data file whose story file Save writes (`None`: the built-in dataset, or one
    /// opened without a file).
    pub save_to: Option<PathBuf>,
    /// What the last Save did: `Ok(where it wrote)` or why it could not.
    pub saved: Option<Result<String, String>>,
    /// Presentation mode: full screen, only the map, the timeline and the caption.
    pub presenting: bool,
    /// The step whose title is being edited in the story panel's list.
    pub renaming: Option<usize>,
    /// The rename field takes the keyboard in the next frame.
    focus_rename: bool,
    /// The step deleted last and where it was, for Undo.
    pub deleted: Option<(usize, StoryStep)>,
    /// Presenting made the window full screen (it was not before): leaving undoes it.
    made_fullscreen: bool,
    /// A change to the window to ask for at the end of the frame.
    fullscreen_request: Option<Fullscreen>,
}

/// What presentation mode asks of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fullscreen {
    Enter,
    Leave,
}

/// The move to a step: the camera and the playhead follow [`Transition::pose_at`].
struct Glide {
    step: StoryStep,
    transition: Transition,
    /// egui's clock when the glide's first frame was drawn (`None` before it).
    started: Option<f64>,
}

impl StoryState {
    /// A story to show, from its first step on.
    pub fn new(story: Story) -> Self {
        Self {
            story,
            ..Self::default()
        }
    }

    /// Whether the camera and the playhead are moving to a step.
    pub fn is_gliding(&self) -> bool {
        self.glide.is_some()
    }

    /// The step shown, with its index.
    pub fn current_step(&self) -> Option<(usize, &StoryStep)> {
        let index = self.current?;
        Some((index, self.story.steps.get(index)?))
    }

    /// Whether the rename field should take the keyboard this frame (once).
    pub fn take_focus_rename(&mut self) -> bool {
        std::mem::take(&mut self.focus_rename)
    }

    /// The step a Next or Previous goes to, or `None` when there is none.
    fn neighbour(&self, forward: bool) -> Option<usize> {
        let last = self.story.steps.len().checked_sub(1)?;
        let target = match (forward, self.current) {
            (_, None) => 0,
            (true, Some(current)) => (current + 1).min(last),
            (false, Some(current)) => current.saturating_sub(1).min(last),
        };
        (Some(target) != self.current).then_some(target)
    }
}

/// Where the step at `index` is after the step at `from` moved to `to`.
pub fn index_after_move(index: usize, from: usize, to: usize) -> usize {
    if index == from {
        to
    } else if from < index && index <= to {
        index - 1
    } else if to <= index && index < from {
        index + 1
    } else {
        index
    }
}

/// Sets the stored window state to "not full screen", so that the next start does not open
/// full screen because the app was closed while presenting.
pub fn forget_fullscreen(storage: &mut dyn eframe::Storage) {
    if let Some(window) = storage.get_string(WINDOW_KEY)
        && window.contains("fullscreen:true")
    {
        storage.set_string(
            WINDOW_KEY,
            window.replace("fullscreen:true", "fullscreen:false"),
        );
    }
}

impl EventAtlasApp {
    /// Shows `story` in place of the one open, from its start, with no unsaved edits.
    pub fn set_story(&mut self, story: Story) {
        self.story.story = story;
        self.story.current = None;
        self.story.glide = None;
        self.story.unsaved = false;
        self.story.renaming = None;
        self.story.deleted = None;
    }

    /// Makes the story as edited the dataset's, so that File ▸ Export writes it. The dataset is
    /// copied only if another thread holds it (an export or a filter running).
    pub(super) fn story_into_dataset(&mut self) {
        if self.dataset.story != self.story.story {
            Arc::make_mut(&mut self.dataset).story = self.story.story.clone();
        }
    }

    /// Applies one story command.
    pub(super) fn apply_story(&mut self, command: StoryCommand) {
        match command {
            StoryCommand::AddCurrentView => self.add_current_view(),
            StoryCommand::Recapture(index) => self.recapture(index),
            StoryCommand::SetTitle(title) => {
                let title = (!title.trim().is_empty()).then_some(title);
                if title != self.story.story.title {
                    self.story.story.title = title;
                    self.story.unsaved = true;
                }
            }
            StoryCommand::Rename(index, title) => self.edit_step(index, |step| step.title = title),
            StoryCommand::StartRename(index) => {
                self.story.renaming = index.filter(|&i| i < self.story.story.steps.len());
                self.story.focus_rename = self.story.renaming.is_some();
            }
            StoryCommand::SetText(index, text) => self.edit_step(index, |step| step.text = text),
            StoryCommand::SetQuote(index, quote) => self.edit_step(index, |step| {
                step.quote = (!quote.trim().is_empty()).then_some(quote);
            }),
            StoryCommand::Move { from, to } => self.move_step(from, to),
            StoryCommand::Delete(index) => self.delete_step(index),
            StoryCommand::UndoDelete => self.undo_delete(),
            StoryCommand::GoTo(index) => self.go_to_step(index),
            StoryCommand::Next => {
                if let Some(index) = self.story.neighbour(true) {
                    self.go_to_step(index);
                }
            }
            StoryCommand::Previous => {
                if let Some(index) = self.story.neighbour(false) {
                    self.go_to_step(index);
                }
            }
            StoryCommand::Present(on) => self.present(on),
            StoryCommand::TogglePanel => self.view.show_story = !self.view.show_story,
            StoryCommand::Save => self.save_story(),
        }
    }

    /// The story of a newly opened dataset. A reload of the same file keeps the step shown
    /// and presentation mode, and keeps unsaved edits over the file's story.
    pub(super) fn reset_story(&mut self, same_file: bool) {
        self.story.glide = None;
        if same_file {
            if !self.story.unsaved {
                self.story.story = self.dataset.story.clone();
            }
            let count = self.story.story.steps.len();
            self.story.current = self.story.current.filter(|&i| i < count);
            self.story.renaming = self.story.renaming.filter(|&i| i < count);
            return;
        }
        self.present(false);
        self.set_story(self.dataset.story.clone());
        self.story.saved = None;
        // A file dropped without a path has only a name: no folder to save beside.
        self.story.save_to = match &self.source {
            DatasetSource::File(path) if path.is_file() => Some(path.clone()),
            _ => None,
        };
    }

    /// Writes the story to its file beside the dataset's; the panel says where, or why not.
    fn save_story(&mut self) {
        let Some(data_file) = &self.story.save_to else {
            return;
        };
        let title = &self.dataset.title;
        let written = io::story::write_sidecar(data_file, title, &self.story.story);
        if written.is_ok() {
            self.story.unsaved = false;
        }
        self.story.saved = Some(written.map(|path| path.display().to_string()));
    }

    /// The step the current view makes, after the current step (at the end when none is
    /// current); it becomes the current step. Titled after the selected event, else "Step n".
    fn add_current_view(&mut self) {
        let count = self.story.story.steps.len();
        let index = self
            .story
            .current
            .map_or(count, |current| (current + 1).min(count));
        let selected_title = self
            .selected
            .and_then(|i| self.dataset.events.get(i))
            .map(|event| event.title().to_owned());
        let title = selected_title.unwrap_or_else(|| format!("Step {}", index + 1));
        let step = self.capture_view(&title);
        self.story.story.steps.insert(index, step);
        self.story.current = Some(index);
        self.story.glide = None;
        self.story.unsaved = true;
    }

    /// Gives a step the current view; its words stay.
    fn recapture(&mut self, index: usize) {
        let Some(title) = self.story.story.steps.get(index).map(|s| s.title.clone()) else {
            return;
        };
        let captured = self.capture_view(&title);
        self.edit_step(index, |step| step.view = captured.view);
    }

    /// The current view as a step. A map that fits the data (no camera of its own) is
    /// captured as the camera it shows, so the step looks the same on another screen size.
    fn capture_view(&self, title: &str) -> StoryStep {
        let mut step = story::capture(&self.view, self.selected, &self.dataset, title);
        if step.view.camera.is_none() {
            let fitted = self.map.fit_camera(self.map_size);
            step.view.camera = Some(StepCamera {
                center: fitted.center.lon_lat(),
                zoom: fitted.zoom,
            });
        }
        step
    }

    /// Changes a step; marks the story unsaved when that changed anything.
    fn edit_step(&mut self, index: usize, edit: impl FnOnce(&mut StoryStep)) {
        let Some(step) = self.story.story.steps.get_mut(index) else {
            return;
        };
        let before = step.clone();
        edit(step);
        if *step != before {
            self.story.unsaved = true;
        }
    }

    fn move_step(&mut self, from: usize, to: usize) {
        let steps = &mut self.story.story.steps;
        if from == to || from >= steps.len() || to >= steps.len() {
            return;
        }
        let step = steps.remove(from);
        steps.insert(to, step);
        let moved = |index| index_after_move(index, from, to);
        self.story.current = self.story.current.map(moved);
        self.story.renaming = self.story.renaming.map(moved);
        self.story.unsaved = true;
    }

    fn delete_step(&mut self, index: usize) {
        if index >= self.story.story.steps.len() {
            return;
        }
        let step = self.story.story.steps.remove(index);
        self.story.deleted = Some((index, step));
        self.story.current = match self.story.current {
            Some(current) if current == index => None,
            Some(current) if current > index => Some(current - 1),
            current => current,
        };
        self.story.renaming = None;
        self.story.unsaved = true;
    }

    fn undo_delete(&mut self) {
        let Some((index, step)) = self.story.deleted.take() else {
            return;
        };
        let index = index.min(self.story.story.steps.len());
        self.story.story.steps.insert(index, step);
        self.story.current = self.story.current.map(|current| {
            if current >= index {
                current + 1
            } else {
                current
            }
        });
        self.story.unsaved = true;
    }

    /// Shows a step: the parts that do not move (window, mode, filter, selection) are set at
    /// once, so that the map is right during the glide; the camera and the playhead glide from
    /// where they are now (also in the middle of another glide).
    fn go_to_step(&mut self, index: usize) {
        let Some(step) = self.story.story.steps.get(index).cloned() else {
            return;
        };
        self.story.current = Some(index);
        // Playback would fight the glide over the playhead.
        self.view.time.playing = false;
        let mut still = step.clone();
        still.view.camera = None;
        still.view.playhead = None;
        let applied = story::apply(&still, &mut self.view, &self.dataset);
        self.take_applied(applied, true);
        let from = Pose {
            // A map that fits the data glides from what it shows.
            camera: Some(
                self.view
                    .camera
                    .unwrap_or_else(|| self.map.fit_camera(self.map_size)),
            ),
            playhead: self.view.time.playhead,
        };
        let to = Pose::after(&step, &self.view, self.dataset.extent);
        self.reveal_on_timeline(to.playhead);
        self.story.glide = Some(Glide {
            step,
            transition: Transition { from, to },
            started: None,
        });
    }

    /// Brings the step's date into the timeline's view, as focusing an event does.
    fn reveal_on_timeline(&mut self, playhead: i64) {
        let shown = timeline::shown_range(self.view.timeline_view, self.dataset.extent);
        let instant = TimeRange {
            start: playhead,
            end: playhead,
        };
        if let Some(range) = timeline::range_showing(instant, shown) {
            self.view.timeline_view = Some(range);
        }
    }

    /// Makes the selection a step names, and shows what could not be applied (`report`: the
    /// first time the step is applied, not again at the end of its glide).
    fn take_applied(&mut self, applied: Applied, report: bool) {
        if let Some(selection) = applied.selection {
            self.selected = selection;
            self.event_list = None;
        }
        if report && !applied.problems.is_empty() {
            let mut problem =
                LoadProblem::plain("A story step could not be shown in full", String::new());
            problem.plain = applied.problems;
            self.problem = Some(problem);
        }
    }

    /// Moves the camera and the playhead one frame further on the glide; at its end the step
    /// is applied in full. Called once a frame, before anything is drawn.
    pub(super) fn advance_story(&mut self, ctx: &egui::Context) {
        let Some(glide) = &mut self.story.glide else {
            return;
        };
        let now = ctx.input(|input| input.time);
        let elapsed = now - *glide.started.get_or_insert(now);
        let pose = glide.transition.pose_at(elapsed);
        if glide.step.view.camera.is_some() && pose.camera.is_some() {
            self.view.camera = pose.camera;
        }
        if glide.step.view.playhead.is_some() {
            self.view
                .time
                .set_playhead(pose.playhead, self.dataset.extent);
        }
        if !glide.transition.is_done(elapsed) {
            ctx.request_repaint();
            return;
        }
        let step = glide.step.clone();
        self.story.glide = None;
        let applied = story::apply(&step, &mut self.view, &self.dataset);
        self.take_applied(applied, false);
    }

    /// Enters presentation mode on the current step (or the first) or leaves it.
    fn present(&mut self, on: bool) {
        if on == self.story.presenting || (on && self.story.story.is_empty()) {
            return;
        }
        self.story.presenting = on;
        self.story.renaming = None;
        self.story.fullscreen_request = Some(if on {
            Fullscreen::Enter
        } else {
            Fullscreen::Leave
        });
        // The step is shown as it was saved, even if the view moved since.
        if on {
            self.go_to_step(self.story.current.unwrap_or(0));
        }
    }

    /// Asks the window to go full screen or back, at the end of a frame (a window that was
    /// full screen before presenting stays so after), and for the next frame when needed.
    pub(super) fn send_story_window_commands(&mut self, ctx: &egui::Context) {
        match self.story.fullscreen_request.take() {
            Some(Fullscreen::Enter) => {
                let already = ctx.input(|input| input.viewport().fullscreen.unwrap_or(false));
                self.story.made_fullscreen = !already;
                if !already {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
                }
            }
            Some(Fullscreen::Leave) if std::mem::take(&mut self.story.made_fullscreen) => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
            }
            Some(Fullscreen::Leave) | None => {}
        }
        // A glide asked for this frame starts in the next, and a rename field takes the
        // keyboard in the next: both need that frame even if nothing else moves.
        if self.story.focus_rename || self.story.glide.is_some() {
            ctx.request_repaint();
        }
    }

    /// What is saved on exit: closed while presenting, the window opens as it was before.
    pub(super) fn save_story_window(&self, storage: &mut dyn eframe::Storage) {
        if self.story.presenting && self.story.made_fullscreen {
            forget_fullscreen(storage);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::Storage as _;

    #[test]
    fn a_moved_step_takes_its_new_place_and_the_others_close_up() {
        // Steps a b c d e; b (1) moves to 3: a c d b e.
        let after: Vec<usize> = (0..5).map(|i| index_after_move(i, 1, 3)).collect();
        assert_eq!(after, [0, 3, 1, 2, 4]);
        // d (3) moves to 0: d a b c e.
        let after: Vec<usize> = (0..5).map(|i| index_after_move(i, 3, 0)).collect();
        assert_eq!(after, [1, 2, 3, 0, 4]);
    }

    #[test]
    fn next_and_previous_stop_at_the_ends() {
        let mut state = StoryState::new(Story {
            title: None,
            steps: vec![StoryStep::default(); 3],
        });
        assert_eq!(state.neighbour(true), Some(0), "the first step first");
        assert_eq!(state.neighbour(false), Some(0));
        state.current = Some(2);
        assert_eq!(state.neighbour(true), None);
        assert_eq!(state.neighbour(false), Some(1));
        state.current = Some(0);
        assert_eq!(state.neighbour(false), None);
        assert_eq!(StoryState::default().neighbour(true), None, "no steps");
    }

    #[derive(Default)]
    struct Memory(std::collections::HashMap<String, String>);

    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn the_window_is_not_remembered_full_screen() {
        let mut storage = Memory::default();
        let saved = "(normal_geometry:(outer_position:None,inner_size_points:Some((x:900.0,y:600.0)),scale_factor:1.0),fullscreen:true,maximized:false)";
        storage.set_string(WINDOW_KEY, saved.to_owned());
        forget_fullscreen(&mut storage);
        let window = storage.get_string(WINDOW_KEY).unwrap_or_default();
        assert!(window.contains("fullscreen:false"), "{window}");
        assert_eq!(window.replace("fullscreen:false", "fullscreen:true"), saved);
    }
}
