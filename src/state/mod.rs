//! What the user sees and is remembered between runs: plain data, no egui. The map's camera
//! and the time control live here so that commands, the map and the timeline can all name them
//! without depending on each other.

use serde::{Deserialize, Serialize};

pub mod time;

use crate::model::LonLat;
use crate::model::projection::WorldPoint;
pub use time::TimeControl;

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

/// What part of the world the map shows: a centre in world coordinates and a zoom level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapCamera {
    pub center: WorldPoint,
    pub zoom: f64,
}

impl Default for MapCamera {
    fn default() -> Self {
        // European Russia.
        Self {
            center: WorldPoint::from_lon_lat(LonLat::new(40.0, 52.0)),
            zoom: 4.0,
        }
    }
}
