//! What panels ask for. Panels read state and return commands; `app.rs` applies them.

use std::path::PathBuf;

use crate::io::{ImportOptions, LoadError};
use crate::model::EventIndex;
use crate::model::filter::Filter;
use crate::state::export::{ExportScope, ExportTarget};
use crate::state::{LinkDisplay, MapCamera, MapMode, PlaybackMode, TableSort};

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
    /// Move the playhead to the nearest date before or after it that holds a matching event.
    StepDate(Direction),
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
    /// Follow the open file as it changes (reload it when it does), or stop.
    ToggleLiveReload,
    SetTheme(egui::ThemePreference),
    Palette(PaletteCommand),
    /// A choice in the import dialog (columns of a table that were not recognised).
    Import(ImportCommand),
    /// File ▸ Export: the dialog and the export itself.
    Export(ExportCommand),
    /// File ▸ Export animation: the dialog, its preview and the export.
    Animation(AnimationCommand),
    /// Show only the events this filter lets through, in every view.
    SetFilter(Filter),
    /// Show every event again.
    ClearFilter,
    /// Window, cumulative or at the playhead.
    SetPlaybackMode(PlaybackMode),
    /// Playback jumps over stretches without matching events, or not.
    SetSkipEmpty(bool),
    SetMapMode(MapMode),
    /// Which links between events the map and the timeline draw.
    SetLinkDisplay(LinkDisplay),
    /// The next of the link choices (all, the selection's, none).
    CycleLinkDisplay,
    SortTable(TableSort),
    ToggleFilters,
    ToggleTable,
    /// Show the filter panel and put the cursor in its search field (Ctrl+F).
    FocusSearch,
    /// The story: its steps, the step shown, presenting (see [`StoryCommand`]).
    Story(StoryCommand),
    Quit,
}

/// A change to the story being shown or edited, or to how it is shown.
#[derive(Clone, Debug, PartialEq)]
pub enum StoryCommand {
    /// Add the current view as a step after the current one (at the end when none is current).
    AddCurrentView,
    /// Give a step the current view; its words stay.
    Recapture(usize),
    /// The story's own title (empty: none, the dataset's is shown).
    SetTitle(String),
    Rename(usize, String),
    /// Start renaming a step in the list, or stop (`None`).
    StartRename(Option<usize>),
    /// A step's caption.
    SetText(usize, String),
    /// The words of the source a step rests on (empty: none).
    SetQuote(usize, String),
    /// The step at `from` moves to index `to` (its index after the move).
    Move {
        from: usize,
        to: usize,
    },
    Delete(usize),
    /// Put the step deleted last back where it was.
    UndoDelete,
    /// Show a step: the camera and the playhead glide there, the rest is set at once.
    GoTo(usize),
    Next,
    Previous,
    /// Enter presentation mode (full screen, only the map, the timeline and the caption) or leave.
    Present(bool),
    /// Show or hide the story panel (View ▸ Story).
    TogglePanel,
    /// Write the story to its file beside the dataset's (`crate::io::story::write_sidecar`).
    Save,
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

/// What a column can stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnRole {
    Time,
    End,
    Lat,
    Lon,
    Title,
    Category,
}

impl ColumnRole {
    pub const ALL: [ColumnRole; 6] = [
        ColumnRole::Time,
        ColumnRole::End,
        ColumnRole::Lat,
        ColumnRole::Lon,
        ColumnRole::Title,
        ColumnRole::Category,
    ];

    /// The label in the dialog.
    pub fn label(self) -> &'static str {
        match self {
            ColumnRole::Time => "Date (or start)",
            ColumnRole::End => "End date",
            ColumnRole::Lat => "Latitude",
            ColumnRole::Lon => "Longitude",
            ColumnRole::Title => "Title",
            ColumnRole::Category => "Category",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            ColumnRole::Time => {
                "Required. Dates such as 2024-03-22, 22/03/2024, 22 March 2024, 2024-03 or 2024 (the precision is kept)"
            }
            ColumnRole::End => "Optional: the end of each event's span",
            ColumnRole::Lat => {
                "Latitude in degrees (−90 to 90); choose it with the longitude, or neither"
            }
            ColumnRole::Lon => {
                "Longitude in degrees (−180 to 180); choose it with the latitude, or neither"
            }
            ColumnRole::Title => "Optional: the text shown for each event",
            ColumnRole::Category => {
                "Optional: events with the same value share a colour and a timeline lane"
            }
        }
    }

    /// The command-line option that makes the same choice.
    pub fn option(self) -> &'static str {
        match self {
            ColumnRole::Time => "--time",
            ColumnRole::End => "--end",
            ColumnRole::Lat => "--lat",
            ColumnRole::Lon => "--lon",
            ColumnRole::Title => "--title",
            ColumnRole::Category => "--category-column",
        }
    }

    pub fn slot(self, options: &mut ImportOptions) -> &mut Option<String> {
        match self {
            ColumnRole::Time => &mut options.time,
            ColumnRole::End => &mut options.end,
            ColumnRole::Lat => &mut options.lat,
            ColumnRole::Lon => &mut options.lon,
            ColumnRole::Title => &mut options.title,
            ColumnRole::Category => &mut options.category,
        }
    }

    pub fn chosen(self, options: &ImportOptions) -> Option<&str> {
        match self {
            ColumnRole::Time => options.time.as_deref(),
            ColumnRole::End => options.end.as_deref(),
            ColumnRole::Lat => options.lat.as_deref(),
            ColumnRole::Lon => options.lon.as_deref(),
            ColumnRole::Title => options.title.as_deref(),
            ColumnRole::Category => options.category.as_deref(),
        }
    }
}

/// A change in the import dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportCommand {
    /// Use this column (or none) for a role.
    Choose(ColumnRole, Option<String>),
    /// Show another sheet of the workbook.
    Sheet(String),
    /// Open the file with the chosen columns.
    Open,
    Cancel,
}

/// A change in the export dialog, or the export itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportCommand {
    /// Open the dialog with the choices made last time.
    Open,
    SetTarget(ExportTarget),
    SetScope(ExportScope),
    /// The file to write, as typed.
    SetPath(String),
    /// Whether to replace the file if it exists.
    SetReplace(bool),
    /// Choose the file in the desktop's save dialog.
    Browse,
    /// Write the file (events on a background thread; a picture after the next frame).
    Run,
    Cancel,
    /// Hide the message about the last export.
    DismissNotice,
}

/// What an animation shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AnimationSubject {
    /// The playhead moving through the data.
    #[default]
    Playback,
    /// The story, step by step.
    Story,
}

/// A change in the Export animation dialog, its preview, or the export.
#[derive(Clone, Debug, PartialEq)]
pub enum AnimationCommand {
    Open,
    SetSubject(AnimationSubject),
    /// Width and height in pixels.
    SetSize([u32; 2]),
    SetFps(u32),
    /// Playback's length in seconds.
    SetSeconds(f64),
    /// Show this frame of the animation in the main window.
    Preview(usize),
    /// The file (`.gif`) or folder (PNGs) to write, as typed.
    SetPath(String),
    /// Replace the GIF, or write into a folder that holds files.
    SetReplace(bool),
    /// Choose the file in the desktop's save dialog.
    Browse,
    /// Write the animation in the background.
    Export,
    /// Close the dialog; the view is as before the preview.
    Close,
    /// Stop the export being written.
    CancelExport,
    /// Hide the message about the last export.
    DismissNotice,
}
