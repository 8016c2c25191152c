//! What panels ask for. Panels read state and return commands; `app.rs` applies them.

use std::path::PathBuf;

use crate::io::LoadError;
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
    /// The pointer is over an event (or nothing), in either view. Hover is forgotten at the
    /// start of every frame, so the views say it again each frame.
    Hover(Option<EventIndex>),
    /// Select an event and bring it into view on the map and the timeline.
    Focus(EventIndex),
    /// Show these events as a list in the details panel (a cluster's events); empty clears it.
    ListEvents(Vec<EventIndex>),
    SetPlayhead(i64),
    SetWindow(i64),
    TogglePlay,
    /// Playback moves on by this many seconds of wall time (one frame's worth).
    AdvancePlayback(f64),
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
    /// Open a dataset from its bytes (a file dropped without a path); `name` names it.
    OpenBytes {
        name: String,
        bytes: Vec<u8>,
    },
    /// Show a problem that stopped a file from opening (e.g. a dropped file that cannot be read).
    ShowLoadError(LoadError),
    /// Stop opening a file in the background.
    CancelLoading,
    /// Forget the recently opened files.
    ClearRecentFiles,
    Reload,
    DismissErrors,
    ToggleHelp,
    ShowAbout(bool),
    ToggleDetails,
    ToggleTimeline,
    SetTheme(egui::ThemePreference),
    Palette(PaletteCommand),
    /// A choice in the import dialog (columns of a table that were not recognised).
    Import(crate::ui::ImportCommand),
    Quit,
}

/// A change to the command palette.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaletteCommand {
    /// Open the palette, or close it if it is open.
    Toggle,
    Close,
    /// What is typed in the search field; the first match becomes the chosen row.
    SetQuery(String),
    /// Which of the matching rows is chosen (what Enter runs).
    Choose(usize),
}
