//! How playback shows the past: a plain setting of the view, also named by story steps (which
//! are data), so it lives in the model.

use serde::{Deserialize, Serialize};

/// What the map and the timeline show in full at the playhead (the timeline bar switches it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaybackMode {
    /// Events in the last `window` before the playhead; older ones faded.
    #[default]
    Window,
    /// Everything up to the playhead.
    Cumulative,
    /// Only events whose span covers the playhead; the rest of the past faded.
    AtPlayhead,
}

impl PlaybackMode {
    pub const ALL: [PlaybackMode; 3] = [
        PlaybackMode::Window,
        PlaybackMode::Cumulative,
        PlaybackMode::AtPlayhead,
    ];

    /// How the mode is named in the timeline bar.
    pub fn label(self) -> &'static str {
        match self {
            PlaybackMode::Window => "Window",
            PlaybackMode::Cumulative => "Cumulative",
            PlaybackMode::AtPlayhead => "At the playhead",
        }
    }

    /// What the mode shows, for its tooltip.
    pub fn explanation(self) -> &'static str {
        match self {
            PlaybackMode::Window => {
                "Events of the last days before the playhead, in full; older ones faded"
            }
            PlaybackMode::Cumulative => "Every event up to the playhead, in full",
            PlaybackMode::AtPlayhead => {
                "Only events whose dates cover the playhead, in full; earlier ones faded"
            }
        }
    }
}
