//! Which build this is: the version and the commit it was built from (recorded by build.rs).

/// The version in Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit the binary was built from: "3d0f58e, 2026-12-01" (short hash, commit date), the
/// `EVENT_ATLAS_COMMIT` given to the build, or "unknown" when there was neither.
pub const COMMIT: &str = env!("EVENT_ATLAS_COMMIT");

/// What `event-atlas --version` prints after the program's name: "0.1.0 (commit 3d0f58e, 2026-12-01)".
pub const VERSION_LINE: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("EVENT_ATLAS_COMMIT"),
    ")"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_line_names_the_version_and_the_commit() {
        assert_eq!(VERSION_LINE, format!("{VERSION} (commit {COMMIT})"));
        assert!(!COMMIT.trim().is_empty());
    }
}
