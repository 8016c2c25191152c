//! The map's layers, drawn bottom to top: each is a small type behind [`MapLayer`] (walkers'
//! `Plugin` is the model), and [`super::map_ui`] calls every entry of [`LAYERS`] in order.
//!
//! To add a layer (a choropleth, relation arcs…): one new file here with a type that
//! implements [`MapLayer`], and one line in [`LAYERS`] at the depth it is drawn. A layer reads
//! what it needs from the [`LayerFrame`] and paints with its painter; a layer that the user can
//! click pushes [`Command`]s, which `app.rs` applies after the frame.

mod attribution;
mod borders;
pub mod choropleth;
mod controls;
pub mod density;
mod emphasis;
mod event_shapes;
mod fills;
mod labels;
mod lakes;
mod legend;
pub mod links;
mod markers;
mod rivers;
mod shapes;
mod urban;

use egui::{Painter, Rect, Ui};

use super::basemap::Detail;
use super::clusters::ClusterGrid;
use super::marks::Marks;
use super::{Basemap, MapData, MapFrame, Projector};
use crate::command::Command;
use crate::model::projection::WorldBox;
use crate::theme::MapColors;

/// The basemap's layers under the data layers of the density and regions maps, bottom to top.
pub const BASE_LAYERS: &[&dyn MapLayer] = &[
    &fills::BasemapFills,
    &emphasis::RegionEmphasis,
    &urban::UrbanAreas,
    &lakes::Lakes,
    &rivers::Rivers,
];

/// The layers over them, bottom to top.
pub const LAYERS: &[&dyn MapLayer] = &[
    &borders::Borders,
    &labels::Labels,
    &event_shapes::EventShapes,
    &links::Links,
    &markers::Markers,
    &controls::ZoomControls,
    &legend::Legend,
    &attribution::Attribution,
];

/// One layer of the map.
pub trait MapLayer {
    /// Draws the layer over the ones below it. `ui` is the map's; its `max_rect` is the map.
    fn show_ui(&self, ui: &mut Ui, frame: &LayerFrame<'_>, commands: &mut Vec<Command>);
}

/// What every layer may read in one frame.
pub struct LayerFrame<'a> {
    /// The map on screen.
    pub rect: Rect,
    /// Paints inside the map only.
    pub painter: Painter,
    /// World points to screen positions, for this frame's camera.
    pub projector: Projector,
    /// The world box on screen (for culling).
    pub visible: WorldBox,
    /// The level of detail of the basemap's outlines at this zoom.
    pub detail: Detail,
    /// Every colour the layers draw with (categories: [`crate::theme::category_color`]).
    pub colors: MapColors,
    pub basemap: &'a Basemap,
    /// The open dataset's map data.
    pub data: &'a MapData,
    /// The binned events, up to date for this frame.
    pub clusters: &'a ClusterGrid,
    /// The dataset, the time and the selection.
    pub view: &'a MapFrame<'a>,
    /// The markers and clusters of this frame.
    pub marks: &'a Marks,
}

impl LayerFrame<'_> {
    /// The camera's zoom level.
    pub fn zoom(&self) -> f64 {
        self.projector.zoom()
    }
}
