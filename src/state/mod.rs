//! What the user sees and is remembered between runs: plain data, no egui. The map's camera
//! and the time control live here so that commands, the map and the timeline can all name them
//! without depending on each other.

use serde::{Deserialize, Serialize};

pub mod time;

use crate::model::projection::world_from_lon_lat;
pub use time::TimeControl;

/// View state, saved on exit and restored on start. Never holds data, only how it is viewed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// Which dataset this view belongs to (its title); a different dataset starts fresh.
    pub dataset_key: String,
    pub camera: Option<MapCamera>,
    pub time: TimeControl,
    /// The time span the timeline shows (`None`: fit the data). The one owner of that span:
    /// the timeline panel draws exactly it and reports pans and zooms as commands; the rules
    /// that change it (fit, focus) are in the timeline's `range` module.
    pub timeline_view: Option<TimelineView>,
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

/// A span of the timeline in days since 1970 (the plot's x units). Saved as `[min, max]`, as
/// the `(f64, f64)` it replaced was, so views remembered by older versions still load.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "(f64, f64)", into = "(f64, f64)")]
pub struct TimelineView {
    pub min: f64,
    pub max: f64,
}

impl From<(f64, f64)> for TimelineView {
    fn from((min, max): (f64, f64)) -> Self {
        Self { min, max }
    }
}

impl From<TimelineView> for (f64, f64) {
    fn from(view: TimelineView) -> Self {
        (view.min, view.max)
    }
}

/// What part of the world the map shows: a centre in world coordinates and a zoom level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapCamera {
    pub center: [f64; 2],
    pub zoom: f64,
}

impl Default for MapCamera {
    fn default() -> Self {
        // European Russia.
        Self {
            center: world_from_lon_lat(40.0, 52.0),
            zoom: 4.0,
        }
    }
}
