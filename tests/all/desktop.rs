//! At home on the desktop: the desktop entry and AppStream metadata agree with the app (its id,
//! version, licence, every format it opens), the Debian package's files exist and its icons are
//! the sizes they are installed as, the window's icon reads, `--version` names the commit, and
//! two windows (every file opened from the desktop starts its own) keep each other's lists.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use event_atlas::EventAtlasApp;
use event_atlas::app::DatasetSource;
use event_atlas::builtin::{DESKTOP_ID, ICON_PNG};

use crate::ui::TestDir;

fn repo_file(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn desktop_entry() -> String {
    repo_file(&format!("assets/linux/{DESKTOP_ID}.desktop"))
}

/// The value of `key` in the desktop entry's main group.
fn desktop_key(entry: &str, key: &str) -> String {
    let main_group = entry.split("\n[Desktop Action").next().unwrap();
    main_group
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("the desktop entry has no {key}"))
        .to_owned()
}

fn list(value: &str) -> BTreeSet<String> {
    value
        .split(';')
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The MIME type the desktop (shared-mime-info) gives files with each extension the open dialog
/// offers, or `None` for those deliberately not claimed.
fn mime_type_of(extension: &str) -> Option<&'static str> {
    match extension.to_ascii_lowercase().as_str() {
        "json" => Some("application/json"),
        "geojson" => Some("application/geo+json"),
        "csv" => Some("text/csv"),
        "tsv" | "tab" => Some("text/tab-separated-values"),
        "xlsx" => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "ods" => Some("application/vnd.oasis.opendocument.spreadsheet"),
        "kml" => Some("application/vnd.google-earth.kml+xml"),
        "kmz" => Some("application/vnd.google-earth.kmz"),
        // text/plain would offer Event Atlas for every text file; line-delimited GeoJSON has
        // no registered type. They open from the app (File ▸ Open, drag-and-drop, the command line).
        "txt" | "geojsonl" | "ndjson" => None,
        other => panic!(
            "the open dialog offers .{other}: say in mime_type_of (and the desktop entry) which MIME type it is"
        ),
    }
}

#[test]
fn the_desktop_entry_offers_event_atlas_for_every_format_it_opens() {
    let entry = desktop_entry();
    let claimed = list(&desktop_key(&entry, "MimeType"));
    let (everything, extensions) = event_atlas::io::FILE_TYPES[0];
    assert_eq!(everything, "Everything Event Atlas opens");
    let wanted: BTreeSet<String> = extensions
        .iter()
        .filter_map(|extension| mime_type_of(extension))
        .map(str::to_owned)
        .collect();
    assert_eq!(claimed, wanted);
    assert_eq!(wanted.len(), 8);
}

#[test]
fn the_desktop_entry_starts_one_window_per_file_and_names_the_window_class() {
    let entry = desktop_entry();
    assert!(entry.starts_with("[Desktop Entry]\n"));
    // %f: the desktop starts the program once per file, each in its own window.
    assert_eq!(desktop_key(&entry, "Exec"), "event-atlas %f");
    assert_eq!(desktop_key(&entry, "TryExec"), "event-atlas");
    assert_eq!(desktop_key(&entry, "Type"), "Application");
    assert_eq!(desktop_key(&entry, "Name"), "Event Atlas");
    assert_eq!(desktop_key(&entry, "Icon"), DESKTOP_ID);
    assert_eq!(desktop_key(&entry, "StartupWMClass"), DESKTOP_ID);
    assert_eq!(desktop_key(&entry, "Terminal"), "false");
    let categories = list(&desktop_key(&entry, "Categories"));
    for category in ["Education", "Science", "Geography"] {
        assert!(categories.contains(category), "{category}");
    }
}

#[test]
fn the_appstream_metadata_agrees_with_the_app() {
    let metainfo = repo_file(&format!("assets/linux/{DESKTOP_ID}.metainfo.xml"));
    let element = |name: &str| {
        let open = format!("<{name}>");
        let start = metainfo
            .find(&open)
            .unwrap_or_else(|| panic!("no <{name}>"))
            + open.len();
        let end = start + metainfo[start..].find(&format!("</{name}>")).unwrap();
        metainfo[start..end].trim().to_owned()
    };
    assert_eq!(element("id"), DESKTOP_ID);
    assert_eq!(element("name"), "Event Atlas");
    assert_eq!(element("project_license"), env!("CARGO_PKG_LICENSE"));
    assert_eq!(element("metadata_license"), "CC0-1.0");
    assert!(metainfo.contains(&format!(
        "<launchable type=\"desktop-id\">{DESKTOP_ID}.desktop</launchable>"
    )));
    // The newest release (listed first) is this version.
    let first_release = metainfo.find("<release ").unwrap();
    assert!(
        metainfo[first_release..].starts_with(&format!(
            "<release version=\"{}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "the metainfo's newest release is not version {}",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(element("binary"), "event-atlas");
}

/// The text of a `[table]` of Cargo.toml, up to the next table.
fn manifest_table(header: &str) -> String {
    let manifest = repo_file("Cargo.toml");
    let after = manifest.split(&format!("\n{header}\n")).nth(1).unwrap();
    after.split("\n[").next().unwrap().to_owned()
}

/// The `[package.metadata.deb]` assets of Cargo.toml: (source, destination).
fn deb_assets() -> Vec<(String, String)> {
    let section = manifest_table("[package.metadata.deb]");
    let assets = section.split("assets = [").nth(1).unwrap();
    let assets = assets.split("\n]").next().unwrap();
    assets
        .lines()
        .filter(|line| line.trim_start().starts_with("[\""))
        .map(|line| {
            let quoted: Vec<&str> = line.split('"').collect();
            (quoted[1].to_owned(), quoted[3].to_owned())
        })
        .collect()
}

#[test]
fn the_debian_package_installs_the_entry_the_metadata_and_an_icon_at_every_size() {
    let assets = deb_assets();
    let destinations: Vec<&str> = assets.iter().map(|(_, to)| to.as_str()).collect();
    assert!(destinations.contains(&"usr/bin/"));
    assert!(destinations.contains(&"usr/share/applications/"));
    assert!(destinations.contains(&"usr/share/metainfo/"));
    assert!(destinations.contains(&"usr/share/doc/event-atlas/README.md"));
    let mut icon_sizes = Vec::new();
    for (source, destination) in &assets {
        if source.starts_with("target/") {
            continue;
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(source);
        assert!(path.is_file(), "{source} is packaged but missing");
        // usr/share/icons/hicolor/48x48/apps/ID.png holds a 48×48 picture named after the app.
        if let Some(size) = destination
            .strip_prefix("usr/share/icons/hicolor/")
            .and_then(|rest| rest.split('/').next())
        {
            assert!(
                destination.ends_with(&format!("/apps/{DESKTOP_ID}.png")) || size == "scalable"
            );
            if size == "scalable" {
                assert!(destination.ends_with(&format!("/apps/{DESKTOP_ID}.svg")));
                continue;
            }
            let picture = image::open(&path).unwrap();
            assert_eq!(format!("{}x{}", picture.width(), picture.height()), size);
            icon_sizes.push(picture.width());
        }
    }
    icon_sizes.sort_unstable();
    assert_eq!(icon_sizes, [16, 24, 32, 48, 64, 128, 256, 512]);
    // The copyright file names the embedded data's licences.
    let copyright = repo_file("assets/linux/copyright");
    assert!(copyright.contains("Files: assets/basemap/*"));
    assert!(copyright.contains("License: public-domain"));
    assert!(copyright.contains("Files: assets/crocus.json"));
}

#[test]
fn the_debian_package_depends_on_the_libraries_the_readme_names() {
    let section = manifest_table("[package.metadata.deb]");
    let depends = section
        .lines()
        .find_map(|line| line.strip_prefix("depends = "))
        .unwrap()
        .trim_matches('"');
    let depends: BTreeSet<&str> = depends.split(", ").collect();
    let readme = repo_file("README.md");
    let install = readme
        .split("sudo apt-get install libx11-6")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let mut named: BTreeSet<&str> = install
        .split_whitespace()
        .filter(|word| word.starts_with("lib"))
        .collect();
    named.insert("libx11-6");
    assert!(named.len() >= 10, "{named:?}");
    for package in &named {
        assert!(depends.contains(package), "{package} is not in depends");
    }
    assert!(depends.contains("$auto"));
}

#[test]
fn the_window_icon_is_a_square_picture_the_window_can_use() {
    let icon = eframe::icon_data::from_png_bytes(ICON_PNG).unwrap();
    assert_eq!((icon.width, icon.height), (256, 256));
    assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    // Not empty: the tile covers the middle, and the corners are see-through (rounded).
    let alpha = |x: usize, y: usize| icon.rgba[(y * 256 + x) * 4 + 3];
    assert_eq!(alpha(128, 128), 255);
    assert_eq!(alpha(0, 0), 0);
}

#[test]
fn the_version_names_the_commit_it_was_built_from() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_event-atlas"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        printed.trim_end(),
        format!("event-atlas {}", event_atlas::version::VERSION_LINE)
    );
    // Built from a git checkout (CI's clone): the commit is HEAD's, by its short hash.
    let head = std::process::Command::new("git")
        .args(["log", "-1", "--format=%h, %cs"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    if let Some(head) = head.ok().filter(|head| head.status.success()) {
        let head = String::from_utf8(head.stdout).unwrap();
        assert!(
            printed.contains(&format!("(commit {})", head.trim())),
            "{printed} does not name HEAD, {head}"
        );
    }
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn recent(app: &EventAtlasApp) -> Vec<PathBuf> {
    app.view
        .recent_files
        .iter()
        .map(Path::to_path_buf)
        .collect()
}

#[test]
fn two_windows_open_their_own_files_and_keep_each_others_recent_files() {
    // Each file opened from the desktop starts `event-atlas FILE`: a window (process) of its
    // own, with the same settings folder as the others.
    let settings = TestDir::new("two-windows");
    let folder = settings.path().to_path_buf();
    let (first_file, second_file) = (
        data("minimal.json"),
        data("geojson/event_atlas_export.geojson"),
    );
    let mut first = EventAtlasApp::restored(Some(folder.clone()), None);
    let mut second = EventAtlasApp::restored(Some(folder.clone()), None);
    assert!(first.open_path(&first_file));
    assert!(second.open_path(&second_file));
    assert_ne!(first.dataset.title, second.dataset.title);
    assert_eq!(first.source, DatasetSource::File(first_file.clone()));
    assert_eq!(second.source, DatasetSource::File(second_file.clone()));

    // The first saves (autosave), then the second: the second does not drop the first's file.
    first.save_view().unwrap();
    second.save_view().unwrap();
    let canonical = |path: &Path| std::fs::canonicalize(path).unwrap();
    let both = vec![canonical(&second_file), canonical(&first_file)];
    assert_eq!(recent(&second), both);
    // The first closes later: its save keeps the second's file too.
    first.save_view().unwrap();
    let third = EventAtlasApp::restored(Some(folder.clone()), None);
    let remembered: BTreeSet<PathBuf> = recent(&third).into_iter().collect();
    assert_eq!(remembered, both.iter().cloned().collect());
    assert!(
        third.settings_notices.is_empty(),
        "{:?}",
        third.settings_notices
    );
}

#[test]
fn a_list_cleared_in_one_window_stays_cleared_but_keeps_what_another_opened_since() {
    let settings = TestDir::new("cleared");
    let folder = settings.path().to_path_buf();
    let mut earlier = EventAtlasApp::restored(Some(folder.clone()), None);
    assert!(earlier.open_path(&data("minimal.json")));
    earlier.save_view().unwrap();

    let mut clearing = EventAtlasApp::restored(Some(folder.clone()), None);
    let mut other = EventAtlasApp::restored(Some(folder.clone()), None);
    assert_eq!(recent(&clearing).len(), 1);
    assert!(other.open_path(&data("geojson/event_atlas_export.geojson")));
    other.save_view().unwrap();
    clearing.apply(event_atlas::command::Command::ClearRecentFiles);
    clearing.save_view().unwrap();
    let after = EventAtlasApp::restored(Some(folder), None);
    assert_eq!(
        recent(&after),
        vec![std::fs::canonicalize(data("geojson/event_atlas_export.geojson")).unwrap()]
    );
}

#[test]
fn the_macos_and_windows_bundles_associate_the_same_formats_as_the_desktop_entry() {
    let packager = manifest_table("[package.metadata.packager]");
    let associated: BTreeSet<String> = packager
        .split("mime-type = \"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(associated, list(&desktop_key(&desktop_entry(), "MimeType")));
    assert!(packager.contains(&format!("identifier = \"{DESKTOP_ID}\"")));
    for icon in [
        "assets/icon/event-atlas.icns",
        "assets/icon/event-atlas.ico",
    ] {
        assert!(packager.contains(icon), "{icon}");
        let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(icon)).unwrap();
        let magic: &[u8] = if icon.ends_with(".icns") {
            b"icns"
        } else {
            &[0, 0, 1, 0]
        };
        assert!(bytes.starts_with(magic), "{icon} is not what its name says");
    }
}

#[test]
fn help_about_names_the_version_and_the_commit() {
    let mut harness = crate::ui::harness();
    harness.run();
    harness
        .state_mut()
        .apply(event_atlas::command::Command::ShowAbout(true));
    harness.run();
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label(&format!("Event Atlas {}", event_atlas::version::VERSION));
    harness.get_by_label(&format!(
        "Built from commit {}",
        event_atlas::version::COMMIT
    ));
}
