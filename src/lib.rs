//! Event Atlas: dated events on an offline regional map linked to a scrubbable timeline.
//!
//! `model` and `io` know nothing of egui; `map`, `timeline` and `ui` draw; `app` owns the state
//! and is the one place that changes it.

pub mod action;
pub mod app;
pub mod background;
pub mod builtin;
pub mod command;
pub mod generate;
pub mod io;
pub mod map;
pub mod model;
pub mod render;
pub mod state;
pub mod theme;
pub mod timeline;
pub mod ui;
pub mod version;
pub mod watch;

pub use app::EventAtlasApp;
