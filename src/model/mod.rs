//! The data model: events, places and datasets. Knows nothing of egui.

pub mod calendar;
mod dataset;
pub mod index;
pub mod when;

pub use dataset::{
    Category, Dataset, DetailList, DetailReader, DetailRef, Event, EventDetails, EventIndex,
    EventStatus, Link, Location, Place, RegionCode, Shape, Source, TimeRange,
};
pub use when::{Bound, DatePoint, Precision, When, WhenError};
