//! The map panel's state: the basemap, the open dataset's map data and the cluster cache; and
//! what the map shows this frame ([`MapFrame`]). Drawing is in [`super::widget`].

use std::sync::Arc;

use egui::Vec2;

use super::basemap::RegionLocator;
use super::clusters::ClusterGrid;
use super::layers::choropleth::RegionCounts;
use super::layers::density::DensityBins;
use super::{Basemap, MapData};
use crate::model::filter::Filter;
use crate::model::{Dataset, EventIndex, EventSet};
use crate::state::{LinkDisplay, MapCamera, MapMode};

/// The map: the basemap, the open dataset's map data, and the clusters drawn from them.
pub struct MapPanel {
    /// Shared with the loading thread, which builds the next dataset's [`MapData`] over it.
    pub basemap: Arc<Basemap>,
    pub data: MapData,
    /// Cached bins of what is shown; updated each frame at the cost of what changed.
    pub clusters: ClusterGrid,
    /// The region under the pointer, for the regions map (built once, about 10 ms).
    pub locator: RegionLocator,
    /// The regions map's counts and the density map's bins, kept between frames.
    pub region_counts: RegionCounts,
    pub density: DensityBins,
}

impl MapPanel {
    /// The map of `dataset` over `basemap`.
    pub fn new(basemap: Basemap, dataset: &Dataset) -> Self {
        let data = MapData::new(&basemap, dataset);
        Self {
            locator: RegionLocator::new(&basemap),
            basemap: Arc::new(basemap),
            data,
            clusters: ClusterGrid::default(),
            region_counts: RegionCounts::default(),
            density: DensityBins::default(),
        }
    }

    /// Takes the map data of a new dataset (built with [`MapData::new`]).
    pub fn install(&mut self, data: MapData) {
        self.data = data;
        self.clusters.invalidate();
        self.region_counts.invalidate();
        self.density.invalidate();
    }

    /// How many events with a place among `matches` have started by `playhead` (all of them
    /// are on the map, in full or faded).
    pub fn shown_count(&self, dataset: &Dataset, playhead: i64, matches: &EventSet) -> usize {
        let started = dataset.time_index.started_by(playhead);
        if matches.is_all() {
            return self.data.placed_among_first(started);
        }
        // Bit sets: 16k words at a million events, tens of microseconds.
        let mut placed = self.data.placed.clone();
        placed.intersect_with(matches);
        placed.count_in(0..started)
    }

    /// The camera that frames every event with a place (the default camera when none has).
    pub fn fit_camera(&self, size: Vec2) -> MapCamera {
        MapCamera::fit(self.data.bounds, size)
    }
}

/// What the map shows this frame besides the data.
pub struct MapFrame<'a> {
    pub dataset: &'a Dataset,
    /// `None`: fit every event (the map asks for that camera).
    pub camera: Option<MapCamera>,
    /// Events starting after it are not shown.
    pub playhead: i64,
    /// Events that ended more than this before the playhead are faded.
    pub window: i64,
    pub selected: Option<EventIndex>,
    pub hovered: Option<EventIndex>,
    /// The events the filter lets through: the only ones drawn and counted.
    pub matches: &'a EventSet,
    /// Changes whenever `matches` does.
    pub matches_generation: u64,
    /// Markers, density or regions.
    pub mode: MapMode,
    /// The view's filter (the legend's entries toggle its categories).
    pub filter: &'a Filter,
    /// Matching events by category (the last entry: uncategorised), for the legend.
    pub by_category: &'a [usize],
    /// Which links between events to draw.
    pub link_display: LinkDisplay,
}
