//! What panels ask for. Panels read state and return commands; `app.rs` applies them.

use std::path::PathBuf;

use crate::model::EventIndex;
use crate::state::MapCamera;

/// Which way to step through events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Previous,
    Next,
}

/// A change the user asked for.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select an event (or clear the selection).
    Select(Option<EventIndex>),
    /// The pointer is over an event (or nothing), in either view.
    Hover(Option<EventIndex>),
    /// Select an event and bring it into view on the map and the timeline.
    Focus(EventIndex),
    /// Show these events as a list in the details panel (a cluster's events); empty clears it.
    ListEvents(Vec<EventIndex>),
    SetPlayhead(i64),
    SetWindow(i64),
    TogglePlay,
    /// Playback speed in days of data per second.
    SetSpeed(f64),
    Step(Direction),
    JumpToStart,
    JumpToEnd,
    SetCamera(MapCamera),
    /// Zoom the map by this factor around its centre.
    ZoomMap(f64),
    FitAllEvents,
    /// Show this time span on the timeline.
    SetTimelineView {
        min: f64,
        max: f64,
    },
    FitTimeline,
    OpenDialog,
    OpenPath(PathBuf),
    /// Stop opening a file in the background.
    CancelLoading,
    Reload,
    DismissErrors,
    ToggleHelp,
    ShowAbout(bool),
    ToggleDetails,
    ToggleTimeline,
    Quit,
}
