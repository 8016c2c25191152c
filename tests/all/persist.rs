//! The view state's own file (`view.json`): restored at start, written atomically, set aside
//! with a message when it cannot be read, taken over from eframe's storage once; eframe's
//! `app.ron` checked before eframe reads it.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use eframe::Storage as _;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::state::ViewState;
use event_atlas::state::persist::{self, RestoredView, VIEW_FILE};

use crate::ui::{MemoryStorage as Memory, TestDir};

fn harness_restored(folder: &Path, storage: Option<&Memory>) -> Harness<'static, EventAtlasApp> {
    let storage = storage.map(|s| s as &dyn eframe::Storage);
    let app = EventAtlasApp::restored(Some(folder.to_path_buf()), storage);
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut EventAtlasApp| app.ui(ui), app)
}

/// The files of `folder` whose names start with `prefix`.
fn files_starting(folder: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with(prefix))
        })
        .collect();
    found.sort();
    found
}

/// A view unlike the defaults, with a recent file.
fn remembered_view(dir: &TestDir) -> ViewState {
    let data = dir.file(
        "data.json",
        std::fs::read("tests/data/minimal.json").unwrap(),
    );
    let mut view = ViewState {
        show_details: false,
        show_table: true,
        ..ViewState::default()
    };
    view.recent_files.add(&data);
    view
}

#[test]
fn the_view_is_saved_to_its_file_and_restored_from_it() {
    let dir = TestDir::new("persist-roundtrip");
    let folder = dir.path().join("settings");
    let view = remembered_view(&dir);
    let mut app = EventAtlasApp::restored(Some(folder.clone()), None);
    app.view = view.clone();
    app.save_view().unwrap();
    let saved = std::fs::read_to_string(folder.join(VIEW_FILE)).unwrap();
    assert!(saved.contains("\"show_details\": false"), "{saved}");
    let restored = EventAtlasApp::restored(Some(folder.clone()), None);
    assert_eq!(restored.view.recent_files, view.recent_files);
    assert!(!restored.view.show_details && restored.view.show_table);
    assert!(restored.settings_notices.is_empty());
    // Nothing but the file itself is left in the folder (no temporary file).
    assert_eq!(files_starting(&folder, ""), [folder.join(VIEW_FILE)]);
}

/// Starts on `text` as the view file: the file is set aside, the defaults are used, and the app
/// shows the message, which is returned.
fn start_on_broken_view_file(test: &str, text: &[u8]) -> String {
    let dir = TestDir::new(test);
    let original = dir.file(VIEW_FILE, text);
    let mut harness = harness_restored(dir.path(), None);
    harness.run();
    let mut fresh = crate::ui::harness();
    fresh.run();
    let app = harness.state();
    // The map is fitted to what is left of the window under the notice: only the camera differs.
    let without_camera = |view: &ViewState| ViewState {
        camera: None,
        ..view.clone()
    };
    assert_eq!(
        without_camera(&app.view),
        without_camera(&fresh.state().view),
        "the defaults are used"
    );
    assert_eq!(app.settings_notices.len(), 1);
    let message = app.settings_notices.first().unwrap().clone();
    harness.get_by_label_contains("Your saved view could not be read");
    // Set aside, whole: nothing is lost.
    assert!(!original.exists());
    let aside = files_starting(dir.path(), "view.json.corrupt-");
    assert_eq!(aside.len(), 1, "{aside:?}");
    let aside = aside.first().unwrap();
    assert_eq!(std::fs::read(aside).unwrap(), text);
    let name = aside.file_name().unwrap().to_string_lossy().into_owned();
    // view.json.corrupt-YYYYMMDD-HHMMSS
    assert_eq!(name.len(), "view.json.corrupt-".len() + 15, "{name}");
    assert!(
        message.contains(&format!("it was set aside as {name}")),
        "{message}"
    );
    assert!(message.ends_with("defaults are used."), "{message}");
    // Dismissed with OK; the next save writes a good file beside the one set aside.
    harness.get_by_label("OK").click();
    harness.run();
    assert!(harness.state().settings_notices.is_empty());
    harness.state_mut().save_view().unwrap();
    let saved = std::fs::read(dir.path().join(VIEW_FILE)).unwrap();
    assert!(serde_json::from_slice::<ViewState>(&saved).is_ok());
    assert!(aside.exists());
    message
}

#[test]
fn a_corrupt_view_file_is_set_aside_and_the_defaults_are_used_with_a_message() {
    let message = start_on_broken_view_file(
        "persist-corrupt",
        b"{\n  \"show_details\": false,\n  \"camera\" nul\n}\n",
    );
    assert!(
        message.starts_with(
            "Your saved view could not be read (view.json: line 3 column 12: expected `:`)"
        ),
        "{message}"
    );
}

#[test]
fn a_view_file_of_the_wrong_types_is_set_aside() {
    let message =
        start_on_broken_view_file("persist-types", b"{\n  \"show_details\": \"yes\"\n}\n");
    assert!(
        message.contains(
            "(view.json: line 2 column 23: invalid type: string \"yes\", expected a boolean)"
        ),
        "{message}"
    );
}

#[test]
fn a_truncated_view_file_is_set_aside() {
    let dir = TestDir::new("persist-truncated-source");
    let whole = serde_json::to_vec_pretty(&remembered_view(&dir)).unwrap();
    let half = whole.get(..whole.len() / 2).unwrap();
    let message = start_on_broken_view_file("persist-truncated", half);
    assert!(message.contains("EOF while parsing"), "{message}");
    // Not even a byte: still set aside, never a crash.
    let message = start_on_broken_view_file("persist-empty", b"");
    assert!(
        message.contains("(view.json: line 1 column 0: EOF while parsing a value)"),
        "{message}"
    );
}

#[test]
fn a_failing_write_leaves_the_old_view_file_whole() {
    let dir = TestDir::new("persist-failing-write");
    let old = remembered_view(&dir);
    persist::save_view(dir.path(), &old).unwrap();
    let before = std::fs::read(dir.path().join(VIEW_FILE)).unwrap();
    // The disk fills half-way through the new file.
    let failed = persist::save_view_with(dir.path(), |out| {
        out.write_all(b"{\n  \"show_details\": tr")
            .map_err(|e| e.to_string())?;
        Err("No space left on device (os error 28)".to_owned())
    });
    let error = failed.unwrap_err().to_string();
    assert!(error.contains("No space left on device"), "{error}");
    assert_eq!(std::fs::read(dir.path().join(VIEW_FILE)).unwrap(), before);
    let RestoredView::Read(restored) = persist::restore_view(dir.path()) else {
        panic!("the old file should still read");
    };
    assert_eq!(*restored, old);
    let leftovers: Vec<_> = files_starting(dir.path(), ".");
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_reader_never_sees_a_half_written_view_file() {
    let dir = TestDir::new("persist-atomic");
    let folder = dir.path().to_path_buf();
    let small = ViewState::default();
    let big = remembered_view(&dir);
    persist::save_view(&folder, &small).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (folder, done) = (folder.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut reads = 0;
            while !done.load(Ordering::Relaxed) {
                let text = std::fs::read(folder.join(VIEW_FILE)).unwrap();
                serde_json::from_slice::<ViewState>(&text).unwrap();
                reads += 1;
            }
            reads
        })
    };
    for round in 0..300 {
        let view = if round % 2 == 0 { &big } else { &small };
        persist::save_view(&folder, view).unwrap();
    }
    done.store(true, Ordering::Relaxed);
    let reads = reader.join().unwrap();
    assert!(reads > 0);
}

#[test]
fn a_view_that_cannot_be_saved_says_so_once() {
    let dir = TestDir::new("persist-unsaveable");
    // The settings "folder" is a file: it cannot be made.
    let folder = dir.file("settings", "not a folder");
    let mut app = EventAtlasApp::restored(Some(folder.clone()), None);
    assert!(app.save_view().is_err());
    app.view.show_details = !app.view.show_details;
    assert!(app.save_view().is_err());
    assert_eq!(app.settings_notices.len(), 1, "{:?}", app.settings_notices);
    let notice = app.settings_notices.first().unwrap();
    assert!(
        notice.starts_with("Your view could not be saved: "),
        "{notice}"
    );
}

#[test]
fn the_view_eframe_kept_is_taken_over_once() {
    let dir = TestDir::new("persist-migrate");
    let folder = dir.path().join("settings");
    let old = remembered_view(&dir);
    let mut storage = Memory::default();
    eframe::set_value(&mut storage, eframe::APP_KEY, &old);
    let mut app = EventAtlasApp::restored(Some(folder.clone()), Some(&storage));
    assert_eq!(app.view.recent_files, old.recent_files, "nobody loses them");
    assert!(!app.view.show_details);
    eframe::App::save(&mut app, &mut storage);
    assert!(folder.join(VIEW_FILE).is_file());
    assert!(
        storage.get_string(eframe::APP_KEY).is_none(),
        "eframe's copy is gone"
    );
    // From now on the file counts, not eframe's storage.
    eframe::set_value(&mut storage, eframe::APP_KEY, &ViewState::default());
    let again = EventAtlasApp::restored(Some(folder), Some(&storage));
    assert_eq!(again.view.recent_files, old.recent_files);
}

#[test]
fn a_broken_eframe_file_is_set_aside_before_eframe_reads_it() {
    let dir = TestDir::new("persist-eframe");
    assert_eq!(
        persist::check_eframe_file(dir.path()),
        None,
        "missing: fine"
    );
    let good = "{\n    \"egui\": \"(ok)\",\n    \"window\": \"(fullscreen:false)\",\n}";
    let path = dir.file("app.ron", good);
    assert_eq!(persist::check_eframe_file(dir.path()), None);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), good, "untouched");
    let broken = "{\n    \"egui\": \"(ok)\",\n    \"window\": \"(fullscr";
    dir.file("app.ron", broken);
    let message = persist::check_eframe_file(dir.path()).unwrap();
    assert!(
        message.starts_with("The saved window layout could not be read (app.ron: "),
        "{message}"
    );
    assert!(
        message.contains("it was set aside as app.ron.corrupt-"),
        "{message}"
    );
    assert!(!path.exists());
    let aside = files_starting(dir.path(), "app.ron.corrupt-");
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read_to_string(aside.first().unwrap()).unwrap(),
        broken
    );
    // A second broken file in the same second gets a name of its own.
    dir.file("app.ron", "(");
    assert!(persist::check_eframe_file(dir.path()).is_some());
    assert_eq!(files_starting(dir.path(), "app.ron.corrupt-").len(), 2);
}
