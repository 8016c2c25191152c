//! The timeline: calendar axis and the timeline panel (egui_plot). The time control itself is
//! view state ([`crate::state::TimeControl`]).

pub mod axis;
pub mod panel;

pub use panel::{TimelinePanel, timeline_ui};
