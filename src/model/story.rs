//! A story: an ordered list of steps that guide a reader through a dataset. Each step has a
//! title, a short text (the caption shown when presenting), the source quote it rests on, and
//! the view it shows: where the map looks, where the playhead stands, the time window, the
//! playback mode, the filter and the selected event. Every part of the view is optional: a step
//! that names no camera leaves the map where it is.
//!
//! Read from a dataset's `story` field or from a sidecar file beside it (by the readers), imported
//! from StoryMapJS slides, applied to the view by the view state's story module.

use super::filter::Filter;
use super::{LonLat, PlaybackMode};

/// An ordered list of steps. Empty when the dataset has none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Story {
    /// The story's own title, when it has one (else the dataset's is used).
    pub title: Option<String>,
    pub steps: Vec<StoryStep>,
}

impl Story {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// One step of a story.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoryStep {
    /// A short title ("The embassy's alert").
    pub title: String,
    /// The caption: a few sentences, plain text.
    pub text: String,
    /// The words of the source this step rests on, quoted exactly.
    pub quote: Option<String>,
    pub view: StepView,
}

/// What a step shows. `None` leaves that part of the view as it was.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepView {
    /// The map camera: its centre and zoom level (web-map levels, 0 = the world in 256 points).
    pub camera: Option<StepCamera>,
    /// The playhead, Unix seconds (UTC).
    pub playhead: Option<i64>,
    /// The time window, seconds back from the playhead.
    pub window: Option<i64>,
    pub mode: Option<PlaybackMode>,
    /// The filter every view follows (`Some(Filter::default())` clears any filter).
    pub filter: Option<Filter>,
    /// The selected event, by id (`None` leaves the selection; an id the dataset lacks clears
    /// it and is reported when the step is applied).
    pub selection: Option<String>,
}

/// Where the map looks in a step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepCamera {
    pub center: LonLat,
    pub zoom: f64,
}
