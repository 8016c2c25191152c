//! The integration tests, in one binary: each test binary links the whole app and its
//! dependencies, so one binary instead of five saves four links on every build (CI builds cold).
//! Run a part with `cargo test --test all loader::` (or `animation::`, `cli::`, `convert::`, `desktop::`, `export_csv::`,
//! `export_geo::`, `export_ui::`, `filter::`, `import_geo::`, `import_story::`, `import_table::`,
//! `filter_ui::`, `import_ui::`, `links_ui::`, `live_reload::`, `persist::`, `playback::`,
//! `regions::`, `reload_stress::`, `render::`, `safety::`, `scale::`, `search::`, `story::`,
//! `story_ui::`, `table_ui::`, `timeline_ui::`,
//! `ui::`, `uncertainty_ui::`, `world::`).

mod animation;
mod bad_inputs;
mod cli;
mod convert;
mod desktop;
mod export_csv;
mod export_geo;
mod export_ui;
mod filter;
mod filter_ui;
mod fuzz;
mod import_geo;
mod import_story;
mod import_table;
mod import_ui;
mod links_ui;
mod live_reload;
mod loader;
mod persist;
mod playback;
mod regions;
mod reload_stress;
mod render;
mod safety;
mod scale;
mod search;
mod story;
mod story_ui;
mod table_ui;
mod timeline_ui;
mod ui;
mod uncertainty_ui;
mod world;
