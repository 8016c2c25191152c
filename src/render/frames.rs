//! The frames of an animation, as plain values: playback (the playhead moving from one date to
//! another) or the story (for each step, the glide from the previous one, then a hold on the
//! step applied in full). One [`FramePlan`] feeds both the app's preview and the export (GIF or
//! PNG sequence), so what is previewed is what is exported. No egui here: a frame is a view.

use crate::command::Command;
use crate::model::calendar::DAY;
use crate::model::{Dataset, EventIndex, TimeRange};
use crate::state::ViewState;
use crate::state::story::{self, Pose, TRANSITION_SECONDS, Transition};

/// Frames a second when none is given.
pub const DEFAULT_FPS: u32 = 10;
/// The frame rates accepted.
pub const FPS_RANGE: std::ops::RangeInclusive<u32> = 1..=50;
/// How long playback lasts when no length is given, in seconds.
pub const DEFAULT_PLAYBACK_SECONDS: f64 = 6.0;
/// How long the story rests on each step, in seconds.
pub const DEFAULT_HOLD_SECONDS: f64 = 3.0;
/// At most this many frames in one animation (a 1360×860 GIF frame is about 1 MB of pixels).
pub const MAX_FRAMES: usize = 5_000;

/// One frame of an animation: the view to draw, the event selected, the story step it belongs
/// to (for its caption; `None` in playback) and how long it stays on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameView {
    pub view: ViewState,
    pub selection: Option<EventIndex>,
    /// The position of the story step this frame shows or glides to.
    pub step: Option<usize>,
    /// How long the frame is shown, in milliseconds (a step's hold is one long frame).
    pub delay_ms: u32,
}

/// How many frames playback has.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlaybackLength {
    /// Exactly this many frames (at least one).
    Frames(usize),
    /// This many seconds at the plan's frame rate.
    Seconds(f64),
    /// The playhead moves on by this many days a frame (the last frame is at the end).
    DaysPerFrame(f64),
}

/// Playback from one date to another.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlaybackPlan {
    /// Where the playhead starts, Unix seconds (`None`: the start of the data).
    pub from: Option<i64>,
    /// Where it ends (`None`: the end of the data).
    pub to: Option<i64>,
    pub length: PlaybackLength,
}

impl Default for PlaybackPlan {
    fn default() -> Self {
        Self {
            from: None,
            to: None,
            length: PlaybackLength::Seconds(DEFAULT_PLAYBACK_SECONDS),
        }
    }
}

/// What the animation shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AnimationKind {
    Playback(PlaybackPlan),
    /// The dataset's story, step by step.
    Story,
}

/// An animation to make: what, and at what pace.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnimationSpec {
    pub kind: AnimationKind,
    /// Frames a second (the glides between steps, and playback).
    pub fps: u32,
    /// How long each story step is held, in seconds.
    pub hold_seconds: f64,
}

impl Default for AnimationSpec {
    fn default() -> Self {
        Self {
            kind: AnimationKind::Playback(PlaybackPlan::default()),
            fps: DEFAULT_FPS,
            hold_seconds: DEFAULT_HOLD_SECONDS,
        }
    }
}

/// Why no frames can be planned.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("{source_name} has no story: add steps in the story panel, or use --playback")]
    NoStory { source_name: String },
    #[error("{source_name} has no dated events: there is no time to play back")]
    NoDates { source_name: String },
    #[error("--from is after --to: the playhead would move backwards")]
    Backwards,
    #[error("{0} frames is too many: at most {MAX_FRAMES} (lower --frames, --fps or --seconds)")]
    TooManyFrames(usize),
    #[error("the length must be at least one frame, and days per frame more than 0")]
    BadLength,
}

/// The frames of one animation, any of them on demand (the preview shows frame k; the export
/// walks them in order).
#[derive(Clone, Debug, PartialEq)]
pub struct FramePlan {
    frames: PlannedFrames,
    /// What could not be applied (a step naming an event the dataset lacks).
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum PlannedFrames {
    Playback {
        start: Box<ViewState>,
        selection: Option<EventIndex>,
        extent: TimeRange,
        playheads: Playheads,
        delay_ms: u32,
    },
    Story(StoryFrames),
}

/// Where the playhead is in each playback frame.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Playheads {
    from: i64,
    to: i64,
    count: usize,
    /// Seconds a frame, when the length was given in days a frame.
    step: Option<i64>,
}

impl Playheads {
    fn at(&self, frame: usize) -> i64 {
        if let Some(step) = self.step {
            return self
                .from
                .saturating_add(step.saturating_mul(frame as i64))
                .min(self.to);
        }
        if self.count <= 1 {
            return self.from;
        }
        let span = i128::from(self.to) - i128::from(self.from);
        let offset = span * frame as i128 / (self.count as i128 - 1);
        (i128::from(self.from) + offset) as i64
    }
}

/// The story's frames: each step's view once applied in full, and where its frames begin.
#[derive(Clone, Debug, PartialEq)]
struct StoryFrames {
    held: Vec<(ViewState, Option<EventIndex>)>,
    /// The first frame of each step.
    starts: Vec<usize>,
    total: usize,
    glide_frames: usize,
    fps: u32,
    hold_ms: u32,
    extent: Option<TimeRange>,
}

impl FramePlan {
    /// Plans the frames of `spec` over `dataset`, starting from `view` with `selection`.
    /// `source_name` names the dataset in errors (its file).
    pub fn new(
        spec: &AnimationSpec,
        dataset: &Dataset,
        view: &ViewState,
        selection: Option<EventIndex>,
        source_name: &str,
    ) -> Result<Self, PlanError> {
        let fps = spec.fps.clamp(*FPS_RANGE.start(), *FPS_RANGE.end());
        let frame_ms = (1000.0 / f64::from(fps)).round() as u32;
        let mut start = view.clone();
        start.time.playing = false;
        match spec.kind {
            AnimationKind::Playback(playback) => {
                let extent = dataset.extent.ok_or_else(|| PlanError::NoDates {
                    source_name: source_name.to_owned(),
                })?;
                let playheads = playheads(&playback, extent, fps)?;
                Ok(Self {
                    frames: PlannedFrames::Playback {
                        start: Box::new(start),
                        selection,
                        extent,
                        playheads,
                        delay_ms: frame_ms,
                    },
                    problems: Vec::new(),
                })
            }
            AnimationKind::Story => story_plan(spec, dataset, start, selection, fps, source_name),
        }
    }

    /// How many frames.
    pub fn len(&self) -> usize {
        match &self.frames {
            PlannedFrames::Playback { playheads, .. } => playheads.count,
            PlannedFrames::Story(story) => story.total,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How long the animation lasts, in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        self.iter().map(|frame| u64::from(frame.delay_ms)).sum()
    }

    /// Frame `index` (`None` past the end).
    pub fn frame(&self, index: usize) -> Option<FrameView> {
        if index >= self.len() {
            return None;
        }
        match &self.frames {
            PlannedFrames::Playback {
                start,
                selection,
                extent,
                playheads,
                delay_ms,
            } => {
                let mut view = ViewState::clone(start);
                view.time.set_playhead(playheads.at(index), Some(*extent));
                Some(FrameView {
                    view,
                    selection: *selection,
                    step: None,
                    delay_ms: *delay_ms,
                })
            }
            PlannedFrames::Story(story) => story.frame(index),
        }
    }

    /// Every frame, in order.
    pub fn iter(&self) -> impl Iterator<Item = FrameView> + '_ {
        (0..self.len()).filter_map(|index| self.frame(index))
    }

    /// The first frame of each story step (empty for playback).
    pub fn step_starts(&self) -> &[usize] {
        match &self.frames {
            PlannedFrames::Playback { .. } => &[],
            PlannedFrames::Story(story) => &story.starts,
        }
    }
}

/// The commands that put `frame` on screen: the preview and the export both apply these, so the
/// app shows exactly what is written.
pub fn frame_commands(frame: &FrameView) -> Vec<Command> {
    let view = &frame.view;
    vec![
        view.camera
            .map_or(Command::FitAllEvents, Command::SetCamera),
        Command::SetPlaybackMode(view.time.mode),
        Command::SetWindow(view.time.window),
        Command::SetPlayhead(view.time.playhead),
        Command::SetFilter(view.filter.clone()),
        Command::Select(frame.selection),
    ]
}

/// Where playback starts and ends, and how many frames it has.
fn playheads(plan: &PlaybackPlan, extent: TimeRange, fps: u32) -> Result<Playheads, PlanError> {
    let last = extent.end - 1;
    let from = plan.from.unwrap_or(extent.start).clamp(extent.start, last);
    let to = plan.to.unwrap_or(last).clamp(extent.start, last);
    if from > to {
        return Err(PlanError::Backwards);
    }
    let (count, step) = match plan.length {
        PlaybackLength::Frames(count) => (count, None),
        PlaybackLength::Seconds(seconds) if seconds.is_finite() && seconds > 0.0 => {
            ((seconds * f64::from(fps)).round() as usize, None)
        }
        PlaybackLength::DaysPerFrame(days) if days.is_finite() && days > 0.0 => {
            let step = ((days * DAY as f64).round() as i64).max(1);
            let span = to - from;
            let frames = span / step + 1 + i64::from(span % step != 0);
            (usize::try_from(frames).unwrap_or(usize::MAX), Some(step))
        }
        PlaybackLength::Seconds(_) | PlaybackLength::DaysPerFrame(_) => {
            return Err(PlanError::BadLength);
        }
    };
    if count == 0 {
        return Err(PlanError::BadLength);
    }
    if count > MAX_FRAMES {
        return Err(PlanError::TooManyFrames(count));
    }
    Ok(Playheads {
        from,
        to,
        count,
        step,
    })
}

/// The story's steps applied one after the other, each step's frames counted.
fn story_plan(
    spec: &AnimationSpec,
    dataset: &Dataset,
    start: ViewState,
    selection: Option<EventIndex>,
    fps: u32,
    source_name: &str,
) -> Result<FramePlan, PlanError> {
    let steps = &dataset.story.steps;
    if steps.is_empty() {
        return Err(PlanError::NoStory {
            source_name: source_name.to_owned(),
        });
    }
    // The glide's frames between the two holds: elapsed 1/fps, 2/fps… short of its end.
    let glide_frames = ((TRANSITION_SECONDS * f64::from(fps)).ceil() as usize).saturating_sub(1);
    let mut problems = Vec::new();
    let mut held = Vec::with_capacity(steps.len());
    let mut starts = Vec::with_capacity(steps.len());
    let (mut view, mut selected) = (start, selection);
    let mut total = 0;
    for (position, step) in steps.iter().enumerate() {
        let applied = story::apply(step, &mut view, dataset);
        problems.extend(applied.problems);
        if let Some(selection) = applied.selection {
            selected = selection;
        }
        starts.push(total);
        // The animation opens on the first step: nothing to glide from.
        total += if position == 0 { 1 } else { glide_frames + 1 };
        held.push((view.clone(), selected));
    }
    if total > MAX_FRAMES {
        return Err(PlanError::TooManyFrames(total));
    }
    let hold_ms = (spec.hold_seconds.clamp(0.1, 60.0) * 1000.0).round() as u32;
    Ok(FramePlan {
        frames: PlannedFrames::Story(StoryFrames {
            held,
            starts,
            total,
            glide_frames,
            fps,
            hold_ms,
            extent: dataset.extent,
        }),
        problems,
    })
}

impl StoryFrames {
    fn frame(&self, index: usize) -> Option<FrameView> {
        let step = self.starts.iter().rposition(|&start| start <= index)?;
        let offset = index - self.starts.get(step)?;
        let (to_view, to_selection) = self.held.get(step)?;
        let is_hold = step == 0 || offset >= self.glide_frames;
        if is_hold {
            return Some(FrameView {
                view: to_view.clone(),
                selection: *to_selection,
                step: Some(step),
                delay_ms: self.hold_ms,
            });
        }
        // Gliding: the previous step's view, its camera and playhead on the way to this one.
        let (from_view, from_selection) = self.held.get(step - 1)?;
        let transition = Transition {
            from: Pose::of(from_view),
            to: Pose::of(to_view),
        };
        let elapsed = (offset + 1) as f64 / f64::from(self.fps);
        let pose = transition.pose_at(elapsed);
        let mut view = from_view.clone();
        view.camera = pose.camera;
        view.time.set_playhead(pose.playhead, self.extent);
        Some(FrameView {
            view,
            selection: *from_selection,
            step: Some(step),
            delay_ms: (1000.0 / f64::from(self.fps)).round() as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset() -> Dataset {
        crate::builtin::crocus_dataset()
            .unwrap_or_else(|e| panic!("the built-in story loads: {e}"))
            .dataset
    }

    #[test]
    fn playback_by_days_ends_on_its_last_date() {
        let dataset = dataset();
        let extent = dataset.extent.unwrap_or_else(|| panic!("dated"));
        let spec = AnimationSpec {
            kind: AnimationKind::Playback(PlaybackPlan {
                from: Some(extent.start),
                to: Some(extent.start + 10 * DAY + 5),
                length: PlaybackLength::DaysPerFrame(3.0),
            }),
            ..AnimationSpec::default()
        };
        let plan = FramePlan::new(&spec, &dataset, &ViewState::default(), None, "x").unwrap();
        let playheads: Vec<i64> = plan
            .iter()
            .map(|f| f.view.time.playhead - extent.start)
            .collect();
        assert_eq!(playheads, [0, 3 * DAY, 6 * DAY, 9 * DAY, 10 * DAY + 5]);
    }

    #[test]
    fn bad_lengths_and_backward_playback_are_refused() {
        let dataset = dataset();
        let extent = dataset.extent.unwrap_or_else(|| panic!("dated"));
        let plan = |playback: PlaybackPlan| {
            let spec = AnimationSpec {
                kind: AnimationKind::Playback(playback),
                ..AnimationSpec::default()
            };
            FramePlan::new(&spec, &dataset, &ViewState::default(), None, "x")
        };
        let backwards = PlaybackPlan {
            from: Some(extent.start + DAY),
            to: Some(extent.start),
            ..PlaybackPlan::default()
        };
        assert_eq!(plan(backwards), Err(PlanError::Backwards));
        for length in [
            PlaybackLength::Frames(0),
            PlaybackLength::Seconds(0.0),
            PlaybackLength::DaysPerFrame(-1.0),
        ] {
            let bad = PlaybackPlan {
                length,
                ..PlaybackPlan::default()
            };
            assert_eq!(plan(bad), Err(PlanError::BadLength), "{length:?}");
        }
        let huge = PlaybackPlan {
            length: PlaybackLength::Frames(MAX_FRAMES + 1),
            ..PlaybackPlan::default()
        };
        assert_eq!(plan(huge), Err(PlanError::TooManyFrames(MAX_FRAMES + 1)));
    }
}
