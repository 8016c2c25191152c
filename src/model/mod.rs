//! The data model: events, places and datasets. Knows nothing of egui.

pub mod calendar;
mod dataset;
mod event_set;
pub mod filter;
pub mod index;
pub mod order;
mod playback;
mod position;
pub mod projection;
pub mod regions;
pub mod search;
pub mod story;
pub mod url;
pub mod when;

pub use dataset::{
    AllDetails, Category, Dataset, DetailLayout, DetailList, DetailReader, DetailRef, Era, Event,
    EventDetails, EventIndex, EventShape, EventStatus, Link, Location, Place, PlacePrecision,
    RegionCode, Shape, ShapePart, Source, TimeRange,
};
pub use event_set::EventSet;
pub use playback::PlaybackMode;
pub use position::{LonLat, latitude_is_valid, longitude_is_valid};
pub use story::{StepCamera, StepView, Story, StoryStep};
pub use when::{Bound, Certainty, DatePoint, EndKnown, Precision, When, WhenError};
