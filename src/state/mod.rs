//! What the user sees and is remembered between runs: plain data, no egui. The map's camera
//! and the time control live here so that commands, the map and the timeline can all name them
//! without depending on each other. [`HoverState`] is view state too, but never saved.

use serde::{Deserialize, Serialize};

pub mod export;
pub mod import_choices;
pub mod persist;
pub mod recent;
pub mod shared;
pub mod story;
pub mod table;
pub mod time;

use crate::model::filter::Filter;
use crate::model::projection::WorldPoint;
use crate::model::{EventIndex, LonLat};
pub use import_choices::ImportChoices;
pub use recent::RecentFiles;
pub use table::{TableColumn, TableSort};
pub use time::{PlaybackMode, TimeControl};

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
    /// Reload the open file when it changes on disk (View ▸ Follow file changes). Missing from
    /// state saved by older versions: on, like a new install.
    pub follow_file_changes: bool,
    /// Files opened before, the latest first (File ▸ Open recent).
    pub recent_files: RecentFiles,
    /// Columns chosen for files whose columns were not recognised.
    pub import_choices: ImportChoices,
    /// What File ▸ Export wrote last, and where.
    pub export: export::ExportChoices,
    /// Which events every view shows (the filter panel, the chips above the map); belongs to
    /// the dataset, like the camera.
    pub filter: Filter,
    /// Markers, density or regions.
    pub map_mode: MapMode,
    /// The filter panel on the left (View ▸ Filters).
    pub show_filters: bool,
    /// The event table above the timeline (View ▸ Event table).
    pub show_table: bool,
    pub table_sort: TableSort,
    /// Which links between events the map and the timeline draw (View ▸ Links).
    pub link_display: LinkDisplay,
    /// The story panel (View ▸ Story).
    pub show_story: bool,
}

/// How the map draws the events that match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapMode {
    /// A marker for each event, clusters where they would overlap.
    #[default]
    Markers,
    /// A heat map of where the events are, for millions of points.
    Density,
    /// Regions shaded by how many events are in them (a choropleth).
    Regions,
}

impl MapMode {
    pub const ALL: [MapMode; 3] = [MapMode::Markers, MapMode::Density, MapMode::Regions];

    pub fn label(self) -> &'static str {
        match self {
            MapMode::Markers => "Markers",
            MapMode::Density => "Density",
            MapMode::Regions => "Regions",
        }
    }
}

/// Which links between events are drawn, on the map and on the timeline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkDisplay {
    /// Every link whose two ends are shown (the selection's highlighted).
    #[default]
    All,
    /// Only the links of the selected event.
    SelectionOnly,
    /// No link.
    Hidden,
}

impl LinkDisplay {
    /// The next choice, for the key that cycles them.
    pub fn next(self) -> Self {
        match self {
            LinkDisplay::All => LinkDisplay::SelectionOnly,
            LinkDisplay::SelectionOnly => LinkDisplay::Hidden,
            LinkDisplay::Hidden => LinkDisplay::All,
        }
    }
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
            follow_file_changes: true,
            recent_files: RecentFiles::default(),
            import_choices: ImportChoices::default(),
            export: export::ExportChoices::default(),
            filter: Filter::default(),
            map_mode: MapMode::default(),
            show_filters: false,
            show_table: false,
            table_sort: TableSort::default(),
            link_display: LinkDisplay::default(),
            show_story: false,
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
    pub center: WorldPoint,
    pub zoom: f64,
}

impl Default for MapCamera {
    /// The whole world in a map about a thousand points wide (the map fits its view with
    /// `MapCamera::fit`; this is the camera before any view).
    fn default() -> Self {
        Self {
            center: WorldPoint::from_lon_lat(LonLat::new(0.0, 25.0)),
            zoom: 2.0,
        }
    }
}

/// What the pointer is over, double-buffered like rerun's selection state: the views draw what
/// was hovered in the last frame while they report this frame's hover, and the frame start
/// forgets it, so that nothing stays hovered after the pointer leaves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HoverState {
    previous_frame: Option<EventIndex>,
    this_frame: Option<EventIndex>,
}

impl HoverState {
    /// Starts a frame: this frame's hover becomes the one to draw, and is collected anew.
    pub fn on_frame_start(&mut self) {
        self.previous_frame = self.this_frame.take();
    }

    /// What the pointer is over in this frame, as a view reported it.
    pub fn set(&mut self, hovered: Option<EventIndex>) {
        self.this_frame = hovered;
    }

    /// The hover to draw: what the pointer was over in the last frame.
    pub fn previous_frame(&self) -> Option<EventIndex> {
        self.previous_frame
    }

    /// The hover reported so far in this frame (after a frame: what the pointer is over now).
    pub fn this_frame(&self) -> Option<EventIndex> {
        self.this_frame
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_saved_before_live_reload_follows_file_changes() {
        let old: ViewState = serde_json::from_str(r#"{"show_details": false}"#).unwrap();
        assert!(old.follow_file_changes);
        assert!(!old.show_details);
        let off = ViewState {
            follow_file_changes: false,
            ..ViewState::default()
        };
        let saved = serde_json::to_string(&off).unwrap();
        let restored: ViewState = serde_json::from_str(&saved).unwrap();
        assert!(!restored.follow_file_changes);
    }

    #[test]
    fn link_display_is_remembered_and_cycles_through_its_three_choices() {
        let old: ViewState = serde_json::from_str("{}").unwrap();
        assert_eq!(
            old.link_display,
            LinkDisplay::All,
            "state saved before links"
        );
        let view = ViewState {
            link_display: LinkDisplay::SelectionOnly,
            ..ViewState::default()
        };
        let restored: ViewState =
            serde_json::from_str(&serde_json::to_string(&view).unwrap()).unwrap();
        assert_eq!(restored.link_display, LinkDisplay::SelectionOnly);
        let cycle = [LinkDisplay::All.next(), LinkDisplay::All.next().next()];
        assert_eq!(cycle, [LinkDisplay::SelectionOnly, LinkDisplay::Hidden]);
        assert_eq!(LinkDisplay::Hidden.next(), LinkDisplay::All);
    }

    #[test]
    fn hover_is_drawn_for_a_frame_then_forgotten_unless_reported_again() {
        let mut hover = HoverState::default();
        hover.set(Some(3));
        hover.on_frame_start();
        assert_eq!(hover.previous_frame(), Some(3), "drawn in the next frame");
        assert_eq!(hover.this_frame(), None, "and collected anew");
        hover.set(Some(3));
        hover.on_frame_start();
        assert_eq!(hover.previous_frame(), Some(3), "still hovered");
        // The pointer left: no view reports a hover this frame.
        hover.on_frame_start();
        assert_eq!(hover.previous_frame(), None);
        assert_eq!(hover.this_frame(), None);
    }
}
