//! Story steps and the view: a step taken from what is on screen ([`capture`]), a step applied
//! to the view ([`apply`]), and the move between two steps ([`Transition`]): the camera and the
//! playhead glide, eased, with the map pulled back in the middle of a long flight. The app's
//! animation and the exported GIF both take their frames from [`Transition::pose_at`], so the
//! export shows exactly what the preview shows.

use super::{MapCamera, ViewState};
use crate::model::projection::WorldPoint;
use crate::model::{Dataset, EventIndex, StepCamera, StepView, StoryStep, TimeRange};

/// How long the move from one step to the next takes, in seconds.
pub const TRANSITION_SECONDS: f64 = 1.2;

/// A flight longer than this many points (at the lower zoom of its ends) pulls the map back in
/// the middle, so that the reader sees where it goes.
const FLIGHT_WITHOUT_PULL_BACK: f64 = 512.0;
/// At most this many zoom levels of pull-back.
const MAX_PULL_BACK: f64 = 4.0;

/// The step that shows the current view: the camera, the playhead, the window, the mode, the
/// filter and the selected event.
pub fn capture(
    view: &ViewState,
    selected: Option<EventIndex>,
    dataset: &Dataset,
    title: &str,
) -> StoryStep {
    StoryStep {
        title: title.to_owned(),
        text: String::new(),
        quote: None,
        view: StepView {
            camera: view.camera.map(|camera| StepCamera {
                center: camera.center.lon_lat(),
                zoom: camera.zoom,
            }),
            playhead: Some(view.time.playhead),
            window: Some(view.time.window),
            mode: Some(view.time.mode),
            filter: Some(view.filter.clone()),
            selection: selected
                .and_then(|index| dataset.events.get(index))
                .map(|event| event.id().to_owned()),
        },
    }
}

/// What applying a step did besides changing the view state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    /// The selection to make: `Some(None)` clears it, `None` leaves it.
    pub selection: Option<Option<EventIndex>>,
    /// What could not be applied, in words (an event id the dataset lacks).
    pub problems: Vec<String>,
}

/// Applies every part of `step`'s view that it names to `view`; parts it leaves out stay.
/// The playhead is kept inside the data's extent, as everywhere.
pub fn apply(step: &StoryStep, view: &mut ViewState, dataset: &Dataset) -> Applied {
    let wanted = &step.view;
    let mut applied = Applied::default();
    if let Some(camera) = wanted.camera {
        view.camera = Some(map_camera(camera));
    }
    if let Some(window) = wanted.window.filter(|&window| window > 0) {
        view.time.set_window(window);
    }
    if let Some(mode) = wanted.mode {
        view.time.mode = mode;
    }
    if let Some(playhead) = wanted.playhead {
        view.time.set_playhead(playhead, dataset.extent);
    }
    if let Some(filter) = &wanted.filter {
        view.filter = filter.clone();
    }
    if let Some(id) = &wanted.selection {
        let found = dataset.find(id);
        if found.is_none() {
            applied.problems.push(format!(
                "step “{}”: no event has the id “{id}”, so nothing is selected",
                step.title
            ));
        }
        applied.selection = Some(found);
    }
    applied
}

/// The camera a step names, as the map's camera.
pub fn map_camera(camera: StepCamera) -> MapCamera {
    MapCamera {
        center: WorldPoint::from_lon_lat(camera.center),
        zoom: camera.zoom,
    }
}

/// What moves during a transition: where the map looks and where the playhead stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pose {
    pub camera: Option<MapCamera>,
    pub playhead: i64,
}

impl Pose {
    /// The pose of a view.
    pub fn of(view: &ViewState) -> Self {
        Self {
            camera: view.camera,
            playhead: view.time.playhead,
        }
    }

    /// The pose `view` will have once `step` is applied.
    pub fn after(step: &StoryStep, view: &ViewState, extent: Option<TimeRange>) -> Self {
        let mut time = view.time.clone();
        if let Some(playhead) = step.view.playhead {
            time.set_playhead(playhead, extent);
        }
        Self {
            camera: step.view.camera.map(map_camera).or(view.camera),
            playhead: time.playhead,
        }
    }
}

/// The move from one pose to another over [`TRANSITION_SECONDS`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transition {
    pub from: Pose,
    pub to: Pose,
}

impl Transition {
    /// The pose `elapsed` seconds into the move (the end pose from [`TRANSITION_SECONDS`] on).
    pub fn pose_at(&self, elapsed: f64) -> Pose {
        let t = (elapsed / TRANSITION_SECONDS).clamp(0.0, 1.0);
        let eased = ease_in_out(t);
        let playhead = self.from.playhead as f64
            + (self.to.playhead as f64 - self.from.playhead as f64) * eased;
        let camera = match (self.from.camera, self.to.camera) {
            (Some(from), Some(to)) => Some(fly(from, to, eased)),
            (_, to) => to,
        };
        Pose {
            camera,
            playhead: playhead.round() as i64,
        }
    }

    /// Whether the move is over after `elapsed` seconds.
    pub fn is_done(&self, elapsed: f64) -> bool {
        elapsed >= TRANSITION_SECONDS
    }
}

/// Slow at both ends (a cubic "smoothstep").
pub fn ease_in_out(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The camera part of the way (`t` from 0 to 1, already eased) from `from` to `to`: the centre
/// moves in a straight line, the zoom changes linearly and is pulled back in the middle of a
/// long flight.
fn fly(from: MapCamera, to: MapCamera, t: f64) -> MapCamera {
    let dx = to.center.x - from.center.x;
    let dy = to.center.y - from.center.y;
    let distance = (dx * dx + dy * dy).sqrt();
    // The world is 256 · 2^zoom points wide.
    let points = distance * 256.0 * 2f64.powf(from.zoom.min(to.zoom));
    let pull_back = if points > FLIGHT_WITHOUT_PULL_BACK {
        (points / FLIGHT_WITHOUT_PULL_BACK)
            .log2()
            .min(MAX_PULL_BACK)
    } else {
        0.0
    };
    let zoom = from.zoom + (to.zoom - from.zoom) * t - pull_back * 4.0 * t * (1.0 - t);
    MapCamera {
        center: WorldPoint::new(from.center.x + dx * t, from.center.y + dy * t),
        zoom,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::filter::Filter;
    use crate::model::{LonLat, PlaybackMode};

    fn dataset() -> Dataset {
        crate::builtin::crocus_dataset()
            .expect("the built-in story loads")
            .dataset
    }

    /// Midnight UTC at the start of a day of March 2024.
    fn day(text: &str) -> i64 {
        let day: u32 = text
            .rsplit('-')
            .next()
            .and_then(|d| d.parse().ok())
            .expect("a day");
        crate::model::calendar::days_from_civil(2024, 3, day) * crate::model::calendar::DAY
    }

    fn step() -> StoryStep {
        StoryStep {
            title: "Kaluga".to_owned(),
            text: "A cell".to_owned(),
            quote: None,
            view: StepView {
                camera: Some(StepCamera {
                    center: LonLat::new(36.25, 54.5),
                    zoom: 7.5,
                }),
                playhead: Some(day("2024-03-08")),
                window: Some(3 * 86_400),
                mode: Some(PlaybackMode::Cumulative),
                filter: Some(Filter {
                    text: "cell".to_owned(),
                    ..Filter::default()
                }),
                selection: Some("kaluga-cell".to_owned()),
            },
        }
    }

    #[test]
    fn applying_a_step_sets_every_part_of_the_view_it_names() {
        let dataset = dataset();
        let mut view = ViewState::default();
        let applied = apply(&step(), &mut view, &dataset);
        let camera = view.camera.expect("a camera");
        let center = camera.center.lon_lat();
        assert!((center.lon - 36.25).abs() < 1e-9 && (center.lat - 54.5).abs() < 1e-9);
        assert_eq!(camera.zoom, 7.5);
        assert_eq!(view.time.playhead, step().view.playhead.expect("set"));
        assert_eq!(view.time.window, 3 * 86_400);
        assert_eq!(view.time.mode, PlaybackMode::Cumulative);
        assert_eq!(view.filter.text, "cell");
        assert_eq!(applied.selection, Some(dataset.find("kaluga-cell")));
        assert!(applied.problems.is_empty());
    }

    #[test]
    fn a_step_that_names_nothing_leaves_the_view() {
        let dataset = dataset();
        let mut view = ViewState::default();
        apply(&step(), &mut view, &dataset);
        let before = view.clone();
        let applied = apply(&StoryStep::default(), &mut view, &dataset);
        assert_eq!(view, before);
        assert_eq!(applied, Applied::default());
    }

    #[test]
    fn capturing_the_view_and_applying_it_gives_the_same_view() {
        let dataset = dataset();
        let mut view = ViewState::default();
        let applied = apply(&step(), &mut view, &dataset);
        let selected = applied.selection.flatten();
        let captured = capture(&view, selected, &dataset, "Again");
        let mut again = ViewState::default();
        let reapplied = apply(&captured, &mut again, &dataset);
        assert_eq!(again.camera.map(|c| c.zoom), view.camera.map(|c| c.zoom));
        assert_eq!(again.time, view.time);
        assert_eq!(again.filter, view.filter);
        assert_eq!(reapplied.selection, Some(selected));
    }

    #[test]
    fn an_unknown_event_id_is_reported_and_clears_the_selection() {
        let dataset = dataset();
        let mut bad = step();
        bad.view.selection = Some("nowhere".to_owned());
        let applied = apply(&bad, &mut ViewState::default(), &dataset);
        assert_eq!(applied.selection, Some(None));
        assert!(
            applied.problems[0].contains("nowhere"),
            "{:?}",
            applied.problems
        );
    }

    #[test]
    fn a_transition_starts_and_ends_at_its_poses_and_pulls_back_on_long_flights() {
        let near = MapCamera {
            center: WorldPoint::from_lon_lat(LonLat::new(37.6, 55.7)),
            zoom: 9.0,
        };
        let far = MapCamera {
            center: WorldPoint::from_lon_lat(LonLat::new(44.9, 43.3)),
            zoom: 9.0,
        };
        let transition = Transition {
            from: Pose {
                camera: Some(near),
                playhead: 0,
            },
            to: Pose {
                camera: Some(far),
                playhead: 1_000,
            },
        };
        assert_eq!(transition.pose_at(0.0), transition.from);
        let end = transition.pose_at(TRANSITION_SECONDS);
        assert_eq!(end.playhead, 1_000);
        let end_camera = end.camera.expect("a camera");
        assert!((end_camera.center.x - far.center.x).abs() < 1e-12);
        assert!((end_camera.zoom - 9.0).abs() < 1e-9);
        let middle = transition.pose_at(TRANSITION_SECONDS / 2.0);
        assert_eq!(middle.playhead, 500);
        assert!(middle.camera.expect("a camera").zoom < 9.0 - 1.0);
        assert!(transition.is_done(TRANSITION_SECONDS) && !transition.is_done(0.5));
        // The playhead never goes back during a forward move.
        let playheads: Vec<i64> = (0..=24)
            .map(|i| transition.pose_at(f64::from(i) * 0.05).playhead)
            .collect();
        assert!(playheads.windows(2).all(|pair| pair[0] <= pair[1]));
    }
}
