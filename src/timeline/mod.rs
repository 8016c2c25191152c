//! The timeline: lanes of events over a calendar axis, drawn with egui_plot, with the controls
//! that move the playhead. The time control itself is view state
//! ([`crate::state::TimeControl`]); so is the span shown, whose rules are in [`range`].
//!
//! Built once per dataset: [`TimelinePanel`] (lanes, rows, pick indexes). Drawn every frame:
//! [`timeline_ui`], from a [`TimelineFrame`], returning commands. Only the events the filter
//! lets through are drawn, picked and counted ([`MatchingLanes`], gathered once per filter
//! result). Moving through time over them: [`playback`].

pub mod axis;
mod controls;
mod draw;
mod eras;
mod frame;
mod histogram;
mod lanes;
pub mod links;
mod panel;
pub mod playback;
pub mod range;
mod span;
mod uncertainty;

pub use frame::TimelineFrame;
pub use lanes::{Lane, MatchingLanes, ShownLane, TimelinePanel};
pub use panel::{TimelineOutput, timeline_ui};
pub use playback::{DateStep, advance_playback, date_step, next_event_time, skip_empty_target};
pub use range::{fit_range, range_showing, shown_range};
pub use span::span_from_drag;
