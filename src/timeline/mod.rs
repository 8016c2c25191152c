//! The timeline: lanes of events over a calendar axis, drawn with egui_plot, with the controls
//! that move the playhead. The time control itself is view state
//! ([`crate::state::TimeControl`]); so is the span shown, whose rules are in [`range`].
//!
//! Built once per dataset: [`TimelinePanel`] (lanes, rows, pick indexes). Drawn every frame:
//! [`timeline_ui`], from a [`TimelineFrame`], returning commands.

pub mod axis;
mod controls;
mod draw;
mod eras;
mod frame;
mod histogram;
mod lanes;
mod panel;
pub mod range;

pub use frame::TimelineFrame;
pub use lanes::{Lane, TimelinePanel};
pub use panel::{TimelineOutput, timeline_ui};
pub use range::{fit_range, range_showing, shown_range};
