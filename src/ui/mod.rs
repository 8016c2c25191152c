//! Panels around the map and the timeline: menu bar, shortcuts, command palette, status bar,
//! help, about, errors, details. Each reads state and returns commands.

pub mod about;
pub mod animation;
pub mod details;
pub mod drop;
pub mod errors;
pub mod export;
pub mod filters;
pub mod help;
pub mod import;
pub mod keys;
pub mod menu;
pub mod palette;
pub mod present;
pub mod status_bar;
pub mod story;
pub mod table;

pub use errors::LoadProblem;
pub use import::ImportDialog;
pub use palette::PaletteState;
