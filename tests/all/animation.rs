//! Animations: the frame plan (playback, the story's glides and holds), the GIF and the PNG
//! sequence written from it, the preview that shows the same frames, `render --playback` and
//! `render --story` on the command line, and File ▸ Export animation in the real UI.

use std::path::Path;
use std::process::{Command as Process, Output};
use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::action::Action;
use event_atlas::app::DatasetSource;
use event_atlas::command::{AnimationCommand, AnimationSubject, Command};
use event_atlas::map::Basemap;
use event_atlas::model::calendar::{DAY, days_from_civil};
use event_atlas::model::filter::Filter;
use event_atlas::model::{Dataset, LonLat, PlaybackMode, StepCamera, StepView, Story, StoryStep};
use event_atlas::render::animation::{
    AnimationOutput, AnimationProgress, FrameRenderer, WriteOptions, captions, frame_file_name,
    write_animation,
};
use event_atlas::render::frames::{
    AnimationKind, AnimationSpec, FramePlan, PlaybackLength, PlaybackPlan,
};
use event_atlas::render::{Canvas, Picture};
use event_atlas::state::ViewState;
use event_atlas::state::story::{self, TRANSITION_SECONDS};

use crate::ui::{TestDir, entry_label, harness};

fn day(month: u32, day: u32) -> i64 {
    days_from_civil(2024, month, day) * DAY
}

/// The built-in dataset with a story of three steps that each set every part of the view.
fn dataset_with_story() -> Dataset {
    let mut dataset = event_atlas::builtin::crocus_dataset()
        .unwrap_or_else(|e| panic!("the built-in story loads: {e}"))
        .dataset;
    let step =
        |title: &str, (lon, lat, zoom), playhead, mode, text: &str, selection: &str| StoryStep {
            title: title.to_owned(),
            text: format!("The caption of {title}."),
            quote: None,
            view: StepView {
                camera: Some(StepCamera {
                    center: LonLat::new(lon, lat),
                    zoom,
                }),
                playhead: Some(playhead),
                window: Some(5 * DAY),
                mode: Some(mode),
                filter: Some(Filter {
                    text: text.to_owned(),
                    ..Filter::default()
                }),
                selection: Some(selection.to_owned()),
            },
        };
    dataset.story = Story {
        title: Some("Test story".to_owned()),
        steps: vec![
            step(
                "Kaluga",
                (36.25, 54.5, 7.0),
                day(3, 8),
                PlaybackMode::Window,
                "",
                "kaluga-cell",
            ),
            step(
                "Moscow",
                (37.4, 55.8, 9.0),
                day(3, 22),
                PlaybackMode::Cumulative,
                "",
                "crocus-attack",
            ),
            step(
                "The claim",
                (40.0, 50.0, 4.0),
                day(3, 23),
                PlaybackMode::AtPlayhead,
                "claim",
                "crocus-attack",
            ),
        ],
    };
    dataset
}

fn story_spec(fps: u32) -> AnimationSpec {
    AnimationSpec {
        kind: AnimationKind::Story,
        fps,
        hold_seconds: 2.0,
    }
}

fn playback_spec(frames: usize) -> AnimationSpec {
    AnimationSpec {
        kind: AnimationKind::Playback(PlaybackPlan {
            from: Some(day(3, 1)),
            to: Some(day(3, 25)),
            length: PlaybackLength::Frames(frames),
        }),
        ..AnimationSpec::default()
    }
}

fn plan(spec: &AnimationSpec, dataset: &Dataset) -> FramePlan {
    FramePlan::new(spec, dataset, &ViewState::default(), None, "test.json")
        .unwrap_or_else(|e| panic!("planned: {e}"))
}

/// An app of its own on `dataset`, as the in-app export draws.
fn offscreen(dataset: Dataset) -> EventAtlasApp {
    let basemap = Basemap::builtin().unwrap_or_else(|e| panic!("basemap: {e}"));
    EventAtlasApp::offscreen(
        Arc::new(dataset),
        &basemap,
        DatasetSource::Builtin,
        ViewState::default(),
    )
}

fn picture(size: [u32; 2]) -> Picture {
    Picture {
        size,
        ..Picture::default()
    }
}

/// Writes `plan` over `dataset` to `output` at `size`.
fn export(dataset: Dataset, plan: &FramePlan, output: &AnimationOutput, size: [u32; 2]) {
    let captions = captions(&dataset.story);
    let mut app = offscreen(dataset);
    let mut renderer = FrameRenderer::new(&mut app, picture(size), captions);
    let progress = AnimationProgress::default();
    let written = write_animation(
        &mut renderer,
        plan,
        output,
        &WriteOptions::default(),
        &progress,
    )
    .unwrap_or_else(|e| panic!("written: {e}"));
    assert_eq!(written.frames, plan.len());
    assert_eq!(progress.frames(), (plan.len(), plan.len()));
}

/// The frames of a GIF: (width, height, delay in hundredths of a second) each; and the
/// screen's size.
fn gif_frames(path: &Path) -> ([u16; 2], Vec<(u16, u16, u16)>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options
        .read_info(file)
        .unwrap_or_else(|e| panic!("a GIF: {e}"));
    let screen = [decoder.width(), decoder.height()];
    let mut frames = Vec::new();
    while let Some(frame) = decoder
        .read_next_frame()
        .unwrap_or_else(|e| panic!("a frame: {e}"))
    {
        frames.push((frame.width, frame.height, frame.delay));
    }
    (screen, frames)
}

fn read_png(path: &Path) -> image::RgbaImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgba8()
}

fn canvas_bytes(canvas: &Canvas) -> Vec<u8> {
    canvas.to_rgba_bytes()
}

#[test]
fn playback_frames_move_the_playhead_from_the_start_to_the_end() {
    let dataset = dataset_with_story();
    let plan = plan(&playback_spec(7), &dataset);
    assert_eq!(plan.len(), 7);
    let frames: Vec<_> = plan.iter().collect();
    let playheads: Vec<i64> = frames.iter().map(|f| f.view.time.playhead).collect();
    assert_eq!(playheads.first(), Some(&day(3, 1)));
    assert_eq!(playheads.last(), Some(&day(3, 25)));
    assert!(
        playheads.windows(2).all(|pair| pair[0] < pair[1]),
        "{playheads:?}"
    );
    assert!(frames.iter().all(|f| f.step.is_none() && f.delay_ms == 100));
    // The window and the mode are the view's, in every frame.
    assert!(frames.iter().all(|f| f.view.time.window == 14 * DAY));

    // By seconds: frames a second times seconds; the whole data by default.
    let spec = AnimationSpec {
        kind: AnimationKind::Playback(PlaybackPlan::default()),
        fps: 5,
        ..AnimationSpec::default()
    };
    let whole = FramePlan::new(&spec, &dataset, &ViewState::default(), None, "x").unwrap();
    assert_eq!(whole.len(), 30);
    let extent = dataset.extent.unwrap();
    assert_eq!(whole.frame(0).unwrap().view.time.playhead, extent.start);
    assert_eq!(whole.frame(29).unwrap().view.time.playhead, extent.end - 1);
    assert_eq!(whole.duration_ms(), 6_000);
}

#[test]
fn story_frames_glide_from_the_step_before_then_hold_the_step_applied_in_full() {
    let dataset = dataset_with_story();
    let fps = 10;
    let plan = plan(&story_spec(fps), &dataset);
    let glide = (TRANSITION_SECONDS * f64::from(fps)).ceil() as usize - 1;
    assert_eq!(plan.step_starts(), [0, 1, 2 + glide]);
    assert_eq!(plan.len(), 3 + 2 * glide);
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    // Each step applied in full, one after the other, from the same start.
    let mut view = ViewState::default();
    let mut selected = None;
    for (position, step) in dataset.story.steps.iter().enumerate() {
        let applied = story::apply(step, &mut view, &dataset);
        selected = applied.selection.unwrap_or(selected);
        let next = plan.step_starts().get(position + 1).copied();
        let hold_index = next.unwrap_or(plan.len()) - 1;
        let hold = plan.frame(hold_index).unwrap();
        assert_eq!(hold.step, Some(position));
        assert_eq!(hold.delay_ms, 2_000, "held for --hold seconds");
        assert_eq!(hold.view.camera, view.camera, "step {position}: camera");
        assert_eq!(hold.view.time.playhead, view.time.playhead);
        assert_eq!(hold.view.time.window, view.time.window);
        assert_eq!(hold.view.time.mode, view.time.mode);
        assert_eq!(hold.view.filter, view.filter);
        assert_eq!(hold.selection, selected);
        assert_eq!(hold.view.time.window, 5 * DAY);
        if position == 0 {
            continue;
        }
        // The glide: the step before's view, its camera and playhead on their way.
        let start = plan.step_starts()[position];
        let before = plan.frame(start - 1).unwrap();
        let mut playheads = vec![before.view.time.playhead];
        for index in start..hold_index {
            let frame = plan.frame(index).unwrap();
            assert_eq!(frame.step, Some(position));
            assert_eq!(frame.delay_ms, 100);
            assert_eq!(frame.view.time.mode, before.view.time.mode);
            assert_eq!(frame.view.filter, before.view.filter);
            assert_eq!(frame.selection, before.selection);
            assert_ne!(frame.view.camera, before.view.camera);
            playheads.push(frame.view.time.playhead);
        }
        playheads.push(hold.view.time.playhead);
        assert!(
            playheads.windows(2).all(|pair| pair[0] <= pair[1]),
            "{playheads:?}"
        );
    }
}

#[test]
fn a_dataset_without_a_story_cannot_be_told() {
    let mut dataset = dataset_with_story();
    dataset.story = Story::default();
    let error = FramePlan::new(
        &story_spec(10),
        &dataset,
        &ViewState::default(),
        None,
        "events.csv",
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "events.csv has no story: add steps in the story panel, or use --playback"
    );
}

#[test]
fn an_exported_gif_has_every_frame_at_its_size_with_the_holds_delays() {
    let dir = TestDir::new("animation-gif");
    let dataset = dataset_with_story();
    let plan = plan(&story_spec(5), &dataset);
    let path = dir.path().join("story.gif");
    export(
        dataset,
        &plan,
        &AnimationOutput::Gif(path.clone()),
        [240, 160],
    );
    let (screen, frames) = gif_frames(&path);
    assert_eq!(screen, [240, 160]);
    assert_eq!(frames.len(), plan.len());
    assert!(frames.iter().all(|&(w, h, _)| [w, h] == [240, 160]));
    let delays: Vec<u16> = frames.iter().map(|&(_, _, delay)| delay).collect();
    let expected: Vec<u16> = plan.iter().map(|f| (f.delay_ms / 10) as u16).collect();
    assert_eq!(delays, expected);
    assert_eq!(delays.last(), Some(&200));
    // Nothing is left beside it (the temporary file was renamed).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_png_sequence_repeats_held_frames_to_keep_one_frame_rate() {
    let dir = TestDir::new("animation-png");
    let dataset = dataset_with_story();
    let plan = plan(&story_spec(5), &dataset);
    let folder = dir.path().join("frames");
    export(
        dataset,
        &plan,
        &AnimationOutput::PngFolder(folder.clone()),
        [480, 320],
    );
    // At 5 frames a second a 2 s hold is 10 files; each glide frame one.
    let files: usize = plan.iter().map(|f| (f.delay_ms / 200) as usize).sum();
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected: Vec<String> = (1..=files).map(|n| frame_file_name(n, 4)).collect();
    assert_eq!(names, expected);
    for name in [&names[0], &names[files - 1]] {
        assert_eq!(read_png(&folder.join(name)).dimensions(), (480, 320));
    }
    // The first step's hold: ten identical files; the glide's first frame differs.
    let same =
        |a: usize, b: usize| read_png(&folder.join(&names[a])) == read_png(&folder.join(&names[b]));
    assert!(same(0, 9), "the hold's copies are one picture");
    assert!(!same(9, 10), "the glide moves on");
}

#[test]
fn the_preview_shows_exactly_the_frames_the_export_writes() {
    let dir = TestDir::new("animation-preview");
    let size = [240, 160];
    let dataset = dataset_with_story();
    let spec = AnimationSpec {
        kind: AnimationKind::Playback(PlaybackPlan {
            length: PlaybackLength::Frames(3),
            ..PlaybackPlan::default()
        }),
        ..AnimationSpec::default()
    };
    // The app's preview: the dialog's plan, frame k applied to the main view.
    let mut app = offscreen(dataset.clone());
    let plan = FramePlan::new(&spec, &dataset, &app.view, app.selected, "x").unwrap();
    let folder = dir.path().join("frames");
    export(
        dataset,
        &plan,
        &AnimationOutput::PngFolder(folder.clone()),
        size,
    );
    app.apply(Command::Animation(AnimationCommand::Open));
    app.apply(Command::Animation(AnimationCommand::SetSubject(
        AnimationSubject::Playback,
    )));
    app.apply(Command::Animation(AnimationCommand::SetSeconds(0.3)));
    let previewed = app.animation.dialog.as_ref().unwrap().plan.clone().unwrap();
    assert_eq!(previewed, plan, "the dialog plans the same frames");
    for k in 0..plan.len() {
        app.apply(Command::Animation(AnimationCommand::Preview(k)));
        let frame = plan.frame(k).unwrap();
        assert_eq!(app.view.time, frame.view.time, "frame {k}");
        assert_eq!(app.view.camera, frame.view.camera);
        assert_eq!(app.selected, frame.selection);
        // The same pixels, drawn without the dialog on top.
        let dialog = app.animation.dialog.take();
        let drawn = event_atlas::render::render_app(&mut app, &picture(size));
        app.animation.dialog = dialog;
        let written = read_png(&folder.join(frame_file_name(k + 1, 4)));
        assert!(
            canvas_bytes(&drawn) == written.into_raw(),
            "frame {k}: the preview draws other pixels than the export wrote"
        );
    }
}

fn run_render(args: &[&str]) -> Output {
    Process::new(env!("CARGO_BIN_EXE_event-atlas"))
        .arg("render")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .output()
        .unwrap_or_else(|error| panic!("cannot run event-atlas: {error}"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn render_playback_writes_a_gif_of_the_frames_asked_for() {
    let dir = TestDir::new("animation-cli-gif");
    let out = dir.path().join("x.gif");
    let out_text = out.to_string_lossy().into_owned();
    let args = [
        "--playback",
        "--frames",
        "5",
        "--size",
        "320x200",
        "--out",
        &out_text,
    ];
    let output = run_render(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("5 frames, 320×200"), "{said}");
    let (screen, frames) = gif_frames(&out);
    assert_eq!(screen, [320, 200]);
    assert_eq!(frames.len(), 5);
    // An existing GIF is replaced only with --force.
    let again = run_render(&args);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    let forced = run_render(&[&args[..], &["--force"]].concat());
    assert!(forced.status.success(), "{}", stderr(&forced));
}

#[test]
fn render_story_without_a_story_says_so_and_fails_as_render_does() {
    let dir = TestDir::new("animation-cli-nostory");
    let out = dir.path().join("story.gif");
    let output = run_render(&[
        "tests/data/minimal.json",
        "--story",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "event-atlas render: tests/data/minimal.json has no story: add steps in the story panel, or use --playback\n"
    );
    assert!(!out.exists());
}

#[test]
fn render_story_writes_a_folder_of_frames_and_refuses_a_folder_in_use() {
    let dir = TestDir::new("animation-cli-story");
    let folder = dir.path().join("frames");
    let folder_text = folder.to_string_lossy().into_owned();
    // A StoryMapJS file: its slides are the story's steps (8, each selecting its event).
    let args = [
        "tests/data/storymap/census.json",
        "--story",
        "--fps",
        "5",
        "--hold",
        "0.4",
        "--size",
        "160x120",
        "--out",
        &folder_text,
    ];
    let output = run_render(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    // 8 holds of 2 files, 7 glides of 5 frames.
    let count = || std::fs::read_dir(&folder).unwrap().count();
    assert_eq!(count(), 8 * 2 + 7 * 5);
    assert_eq!(
        read_png(&folder.join("frame-0001.png")).dimensions(),
        (160, 120)
    );
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    let refused = run_render(&args);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("holds other files"),
        "{}",
        stderr(&refused)
    );
    let forced = run_render(&[&args[..], &["--force"]].concat());
    assert!(forced.status.success(), "{}", stderr(&forced));
    // The old frames were replaced; the other file is left alone.
    assert_eq!(count(), 8 * 2 + 7 * 5 + 1);
    assert!(folder.join("notes.txt").exists());
}

#[test]
fn the_export_animation_dialog_opens_from_the_menu_and_its_slider_moves_the_playhead() {
    let mut harness = harness();
    harness.run();
    let before = harness.state().view.time.playhead;
    harness.get_by_label("File").click();
    harness.run();
    harness
        .get_by_label(&entry_label(Action::ExportAnimation))
        .click();
    harness.run();
    assert!(
        harness.state().animation.dialog.is_some(),
        "the dialog opens"
    );
    harness.get_by_label("Playback").click();
    harness.run();
    let (first, frame) = {
        let dialog = harness.state().animation.dialog.as_ref().unwrap();
        let plan = dialog.plan.as_ref().unwrap();
        (plan.frame(0).unwrap(), plan.frame(20).unwrap())
    };
    // The preview starts on the first frame.
    assert_eq!(harness.state().view.time.playhead, first.view.time.playhead);
    harness
        .get_by_role_and_label(Role::Slider, "Preview frame")
        .set_value_accesskit(20.0);
    harness.run();
    assert_eq!(
        harness.state().animation.dialog.as_ref().unwrap().preview,
        20
    );
    assert_eq!(harness.state().view.time.playhead, frame.view.time.playhead);
    assert_ne!(frame.view.time.playhead, first.view.time.playhead);
    // Closing gives the view back.
    harness.get_by_label("Close").click();
    harness.run();
    assert!(harness.state().animation.dialog.is_none());
    assert_eq!(harness.state().view.time.playhead, before);
}

#[test]
fn exporting_from_the_dialog_writes_the_gif_in_the_background_and_says_so() {
    let dir = TestDir::new("animation-ui-export");
    let path = dir.path().join("playback.gif");
    let mut harness = harness();
    harness.run();
    let app = harness.state_mut();
    app.apply(Command::Animation(AnimationCommand::Open));
    for command in [
        AnimationCommand::SetSubject(AnimationSubject::Playback),
        AnimationCommand::SetSize([160, 100]),
        AnimationCommand::SetSeconds(0.4),
        AnimationCommand::SetPath(path.display().to_string()),
    ] {
        app.apply(Command::Animation(command));
    }
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Export")
        .click();
    harness.step();
    harness.step();
    assert!(
        harness.state().animation.dialog.is_none(),
        "the dialog closes"
    );
    assert!(
        harness
            .state_mut()
            .wait_for_animation(Duration::from_secs(120)),
        "the export finished"
    );
    harness.run();
    let notice = harness.state().animation.notice.clone().unwrap();
    let said = notice.unwrap_or_else(|e| panic!("failed: {e}"));
    assert!(
        said.contains("playback.gif") && said.contains("4 frames"),
        "{said}"
    );
    harness.get_by_label_contains("Wrote ");
    let (screen, frames) = gif_frames(&path);
    assert_eq!((screen, frames.len()), ([160, 100], 4));
}

#[test]
fn a_cancelled_export_leaves_nothing_and_an_existing_gif_is_kept() {
    let dir = TestDir::new("animation-cancel");
    let dataset = dataset_with_story();
    let plan = plan(&playback_spec(4), &dataset);
    let mut app = offscreen(dataset);
    let mut renderer = FrameRenderer::new(&mut app, picture([160, 100]), Vec::new());
    let path = dir.path().join("cancelled.gif");
    let cancelled = AnimationProgress::default();
    cancelled.cancel();
    let options = WriteOptions::default();
    let gif = AnimationOutput::Gif(path.clone());
    let error = write_animation(&mut renderer, &plan, &gif, &options, &cancelled).unwrap_err();
    assert_eq!(error.to_string(), "cancelled: nothing was written");
    let folder = AnimationOutput::PngFolder(dir.path().join("frames"));
    let error = write_animation(&mut renderer, &plan, &folder, &options, &cancelled).unwrap_err();
    assert_eq!(error.to_string(), "cancelled: nothing was written");
    assert_eq!(
        std::fs::read_dir(dir.path().join("frames"))
            .unwrap()
            .count(),
        0
    );
    // Only the empty folder is there: no GIF, no temporary file.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // An existing file is refused before anything is drawn, and kept.
    std::fs::write(&path, "mine").unwrap();
    let progress = AnimationProgress::default();
    let error = write_animation(&mut renderer, &plan, &gif, &options, &progress).unwrap_err();
    assert!(error.to_string().contains("--force"), "{error}");
    assert_eq!(progress.frames().0, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
}
