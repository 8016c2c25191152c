//! File ▸ Export driven through the real UI: the dialog, the events written on a background
//! thread, pictures taken from the next frame and cropped to the map.

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use event_atlas::EventAtlasApp;
use event_atlas::action::Action;
use event_atlas::state::ViewState;
use event_atlas::state::export::ExportChoices;

use crate::ui::{TestDir, entry_label, harness_with};

/// A harness whose exports go to `dir` by default.
fn harness_exporting_to(dir: &TestDir) -> Harness<'static, EventAtlasApp> {
    let view = ViewState {
        export: ExportChoices {
            folder: Some(dir.path().to_path_buf()),
            ..ExportChoices::default()
        },
        ..ViewState::default()
    };
    let mut harness = harness_with(view);
    harness.run();
    harness
}

/// File ▸ Export…
fn open_export_dialog(harness: &mut Harness<'_, EventAtlasApp>) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label(&entry_label(Action::Export)).click();
    harness.run();
    assert!(harness.state().export.dialog.is_some(), "the dialog opens");
}

/// Steps frames until the export has finished, and returns what the bar says.
pub(crate) fn wait_for_notice(harness: &mut Harness<'_, EventAtlasApp>) -> Result<String, String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        harness.step();
        if let Some(notice) = &harness.state().export.notice {
            return notice.clone();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the export did not finish within 60 s");
}

#[test]
fn exporting_the_time_window_from_the_menu_writes_a_file_that_reads_back() {
    let dir = TestDir::new("export-menu");
    let mut harness = harness_exporting_to(&dir);
    open_export_dialog(&mut harness);
    harness.get_by_label("Events as Event Atlas JSON").click();
    harness.run();
    let expected = {
        let app = harness.state();
        let dialog = app.export.dialog.as_ref().unwrap();
        assert!(dialog.path.ends_with("-export.json"), "{}", dialog.path);
        harness.get_by_label_contains("In the time window (");
        let (playhead, window) = (app.view.time.playhead, app.view.time.window);
        event_atlas::state::export::ExportScope::TimeWindow.events(
            &app.dataset,
            &app.filtering.matches,
            playhead,
            window,
        )
    };
    assert!(!expected.is_empty());
    harness
        .get_by_role_and_label(Role::Button, "Export")
        .click();
    // A spinner turns while the file is written: step, do not wait for the UI to settle.
    harness.step();
    harness.step();
    assert!(harness.state().export.dialog.is_none(), "the dialog closes");
    let notice = wait_for_notice(&mut harness).unwrap();
    assert!(notice.contains("Event Atlas JSON"), "{notice}");
    harness.get_by_label_contains("Wrote ");
    let written = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "json"))
        .expect("the exported file");
    let loaded = event_atlas::io::load_path(&written).unwrap();
    let ids: Vec<&str> = loaded.dataset.events.iter().map(|e| e.id()).collect();
    let app = harness.state();
    let wanted: Vec<&str> = expected
        .iter()
        .map(|&i| app.dataset.events[i].id())
        .collect();
    assert_eq!(ids, wanted);
    // The choices are remembered for the next export.
    assert_eq!(
        app.view.export.target,
        event_atlas::state::export::ExportTarget::Events(
            event_atlas::io::export::ExportFormat::Atlas
        )
    );
}

#[test]
fn an_existing_file_is_replaced_only_when_asked_and_escape_closes_the_dialog() {
    let dir = TestDir::new("export-exists");
    let mut harness = harness_exporting_to(&dir);
    open_export_dialog(&mut harness);
    let target = dir.file("taken.csv", "keep me");
    harness
        .state_mut()
        .apply(event_atlas::command::Command::Export(
            event_atlas::command::ExportCommand::SetPath(target.display().to_string()),
        ));
    harness.run();
    harness.get_by_label("Replace the existing file");
    let export = harness.get_by_role_and_label(Role::Button, "Export");
    assert!(
        export.accesskit_node().is_disabled(),
        "Export waits for the tick"
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().export.dialog.is_none());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
}

#[test]
fn a_picture_of_the_map_is_taken_from_a_frame_without_the_dialog_and_cropped() {
    let dir = TestDir::new("export-picture");
    let mut harness = harness_exporting_to(&dir);
    open_export_dialog(&mut harness);
    harness.get_by_label("Picture of the map (PNG)").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Export")
        .click();
    // The frame after the click still drew the dialog; the next one is taken.
    let mut callback = None;
    for _ in 0..5 {
        harness.step();
        assert!(harness.state().export.dialog.is_none());
        callback = harness
            .output()
            .viewport_output
            .values()
            .flat_map(|viewport| viewport.commands.iter())
            .find_map(|command| match command {
                egui::ViewportCommand::Screenshot(callback) => Some(callback.clone()),
                _ => None,
            });
        if callback.is_some() {
            break;
        }
    }
    let callback = callback.expect("a screenshot is asked for");
    // The window as the renderer would give it: 1400×900, red where the map is.
    let mut window = egui::ColorImage::filled([1400, 900], egui::Color32::WHITE);
    let map = harness.get_by_label_contains("Map: drag").rect();
    for y in map.min.y as usize..map.max.y as usize {
        for x in map.min.x as usize..map.max.x as usize {
            window.pixels[y * 1400 + x] = egui::Color32::RED;
        }
    }
    callback.complete(std::sync::Arc::new(window));
    let notice = wait_for_notice(&mut harness).unwrap();
    assert!(notice.ends_with(" picture"), "{notice}");
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "png"))
        .expect("the picture");
    let image = image::open(&png).unwrap().to_rgba8();
    assert!(
        image.width() > 400 && image.height() > 200,
        "{:?}",
        image.dimensions()
    );
    assert!(
        image.width() < 1400 && image.height() < 900,
        "cropped to the map"
    );
    let red = image.pixels().filter(|p| p.0 == [255, 0, 0, 255]).count();
    assert!(
        red * 10 > image.pixels().len() * 9,
        "the picture is the map's part of the window"
    );
}
