//! What the user sees and is remembered between runs.

use serde::{Deserialize, Serialize};

use crate::map::MapCamera;
use crate::timeline::TimeControl;

/// View state, saved on exit and restored on start. Never holds data, only how it is viewed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// Which dataset this view belongs to (its title); a different dataset starts fresh.
    pub dataset_key: String,
    pub camera: Option<MapCamera>,
    pub time: TimeControl,
    /// Visible time span on the timeline, in days since 1970 (`None`: fit the data).
    pub timeline_view: Option<(f64, f64)>,
    pub show_details: bool,
    pub show_timeline: bool,
    /// The file last opened, offered again on the next start.
    pub last_file: Option<std::path::PathBuf>,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            dataset_key: String::new(),
            camera: None,
            time: TimeControl::default(),
            timeline_view: None,
            show_details: true,
            show_timeline: true,
            last_file: None,
        }
    }
}
