//! Data embedded in the binary: the default story and the basemap.

/// The built-in dataset: the run-up to the Crocus City Hall attack (see `assets/crocus.json`).
pub const CROCUS_JSON: &[u8] = include_bytes!("../assets/crocus.json");
/// Name shown for the built-in dataset in messages.
pub const CROCUS_NAME: &str = "built-in: crocus.json";

/// The Natural Earth basemap (public domain), packed from the GeoJSON in `assets/basemap/` (see
/// `assets/basemap/README.md` and `map::basemap::source`).
pub const BASEMAP_PACK: &[u8] = include_bytes!("../assets/basemap/basemap.pack");

/// The built-in dataset, parsed. It is validated by the test suite, so failure here is a bug.
pub fn crocus_dataset() -> Result<crate::io::Loaded, crate::io::LoadError> {
    crate::io::parse_dataset(CROCUS_JSON, CROCUS_NAME)
}
