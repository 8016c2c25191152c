//! Data embedded in the binary: the default story, the basemap and the window's icon.

/// The built-in dataset: the run-up to the Crocus City Hall attack (see `assets/crocus.json`).
pub const CROCUS_JSON: &[u8] = include_bytes!("../assets/crocus.json");
/// Name shown for the built-in dataset in messages.
pub const CROCUS_NAME: &str = "built-in: crocus.json";

/// The Natural Earth basemap (public domain), packed from the GeoJSON in `assets/basemap/` (see
/// `assets/basemap/README.md` and `map::basemap::source`).
pub const BASEMAP_PACK: &[u8] = include_bytes!("../assets/basemap/basemap.pack");

/// The app's id on the desktop: the name of its desktop entry, AppStream metadata and icon
/// (`assets/linux/`), and the window's Wayland app id and X11 class, by which the desktop finds
/// the entry (and its icon) for the window. The settings folder keeps its own name,
/// `event-atlas`.
pub const DESKTOP_ID: &str = "io.github.eventatlas.EventAtlas";

/// The window's icon, 256×256 (made from `assets/icon/event-atlas.svg`, see
/// `assets/icon/README.md`).
pub const ICON_PNG: &[u8] = include_bytes!("../assets/icon/png/event-atlas-256.png");

/// The built-in dataset, parsed. It is validated by the test suite, so failure here is a bug.
pub fn crocus_dataset() -> Result<crate::io::Loaded, crate::io::LoadError> {
    crate::io::parse_dataset(CROCUS_JSON, CROCUS_NAME)
}
