//! The map: the basemap (pure), the dataset's map data, the camera's geometry and the
//! projector, the clusters, and the map widget drawn as a stack of [`layers`].
//!
//! A frame: [`map_ui`] handles the background's input (pan, zoom), brings the clusters up to
//! date, lays out the markers ([`marks`]) and calls each layer of [`layers::LAYERS`] in order.

pub mod basemap;
pub mod camera;
pub mod clusters;
pub mod data;
pub mod layers;
pub mod links;
pub mod marks;
pub mod panel;
pub mod projector;
mod widget;

pub use basemap::Basemap;
pub use data::{MapData, MarkerAnchor};
pub use panel::{MapFrame, MapPanel};
pub use projector::Projector;
pub use widget::map_ui;

pub use crate::state::MapCamera;
