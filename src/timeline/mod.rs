//! The timeline: time control (pure) and the timeline panel (egui_plot).

pub mod axis;
pub mod control;
pub mod panel;

pub use control::TimeControl;
pub use panel::{TimelinePanel, timeline_ui};
