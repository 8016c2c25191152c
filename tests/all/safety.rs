//! Nothing runs that was not asked: a source's address opens only when clicked and only when it
//! is an `http:`/`https:` address; HTML in imported text is never markup and loads nothing;
//! media addresses are never fetched; the opened data file is never written.

use std::time::Duration;

use egui::OutputCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::command::{
    AnimationCommand, AnimationSubject, Command, ExportCommand, StoryCommand,
};
use event_atlas::io::export::ExportFormat;
use event_atlas::state::export::ExportTarget;

use crate::ui::{TestDir, harness, index_of};

/// One event whose sources have a web address, a `javascript:` one and a `file:` one.
const SOURCES: &str = r#"{
  "title": "Sources of every kind",
  "events": [
    {"id": "e", "title": "An event with sources", "when": "2024-03-22",
     "sources": [
       {"title": "Safe report", "url": "https://example.org/report?id=1"},
       {"title": "Hostile script", "url": "javascript:alert(document.cookie)"},
       {"title": "Local file", "url": "file:///etc/passwd"}
     ]}
  ]
}"#;

/// Runs `steps` frames one by one and gathers every address the app asked egui to open (a run
/// of frames only keeps the last one's output).
fn opened(harness: &mut Harness<'_, EventAtlasApp>, steps: usize) -> Vec<String> {
    let mut urls = Vec::new();
    for _ in 0..steps {
        harness.step();
        urls.extend(
            harness
                .output()
                .platform_output
                .commands
                .iter()
                .filter_map(|command| match command {
                    OutputCommand::OpenUrl(open) => Some(open.url.clone()),
                    _ => None,
                }),
        );
    }
    urls
}

fn open_sources(dir: &TestDir) -> Harness<'static, EventAtlasApp> {
    let mut harness = harness();
    harness.run();
    let path = dir.file("sources.json", SOURCES);
    assert!(harness.state_mut().open_path(&path));
    harness.run();
    harness
}

#[test]
fn only_a_web_address_is_a_link_and_it_opens_only_on_a_click() {
    let dir = TestDir::new("links");
    let mut harness = open_sources(&dir);
    // Selecting the event shows its sources and opens nothing.
    let index = index_of(&harness, "e");
    harness.state_mut().apply(Command::Select(Some(index)));
    assert_eq!(opened(&mut harness, 5), Vec::<String>::new());
    harness.get_by_label("Safe report");

    // The other addresses are shown as text, whole, with the reason on hover.
    harness
        .get_by_label("javascript:alert(document.cookie)")
        .hover();
    harness.run();
    harness.get_by_label_contains("not a web link (javascript:): shown as text");
    harness.get_by_label("file:///etc/passwd").hover();
    harness.run();
    harness.get_by_label_contains("not a web link (file:): shown as text");

    // Their titles and addresses are no links: clicking them opens nothing.
    for text in [
        "Hostile script",
        "javascript:alert(document.cookie)",
        "Local file",
        "file:///etc/passwd",
    ] {
        harness.get_by_label(text).click();
        assert_eq!(opened(&mut harness, 3), Vec::<String>::new(), "{text}");
    }

    // The web address opens on a click, exactly as written, and only then.
    harness.get_by_label("Safe report").hover();
    harness.run();
    harness.get_by_label("https://example.org/report?id=1");
    harness.get_by_label("Safe report").click();
    assert_eq!(
        opened(&mut harness, 3),
        vec!["https://example.org/report?id=1".to_owned()]
    );
    assert_eq!(opened(&mut harness, 3), Vec::<String>::new());
}

fn hostile_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/timelinejs/hostile.json")
}

#[test]
fn html_in_a_hostile_timeline_is_plain_text_and_its_media_are_only_listed() {
    let loaded = event_atlas::io::load_path(&hostile_path())
        .unwrap_or_else(|error| panic!("{}", error.lines().join("\n")));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let dataset = &loaded.dataset;
    assert_eq!(dataset.title, "Hostile timeline");
    assert_eq!(dataset.description.as_deref(), Some("Overview"));
    let markup = dataset.find("markup").expect("the first slide");
    let event = &dataset.events[markup];
    assert_eq!(event.title(), "Bold headline");
    let details = dataset.details(markup).expect("details");
    assert_eq!(
        details.summary.as_deref(),
        Some(
            "Read this, the report (https://example.org/report) and that.\n\n<script>alert(3)</script> is text."
        )
    );
    // Media are fields (text), never fetched; their addresses as written.
    let fields: Vec<(&str, &str)> = details
        .fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("media", "https://tracker.example/video.mp4"),
            ("media caption", "Caption in italics"),
            ("media credit", "Credit"),
            (
                "media thumbnail",
                "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+"
            ),
            ("media link", "javascript:alert(5)"),
        ]
    );
    assert!(details.sources.is_empty());
    let media_only = dataset.find("media-only").expect("the second slide");
    assert_eq!(dataset.events[media_only].title(), "Only the media");
    // Nothing in the text runs: no script's code, no tag, survives as text of its own.
    for index in 0..dataset.events.len() {
        let details = dataset.details(index).expect("details");
        let texts = std::iter::once(dataset.events[index].title().to_owned())
            .chain(details.summary.clone())
            .chain(details.fields.iter().map(|(_, value)| value.clone()));
        for text in texts {
            for code in [
                "alert(1)", "alert(2)", "alert(4)", "alert(6)", "alert(7)", "<img", "<iframe",
                "onerror",
            ] {
                assert!(!text.contains(code), "{text:?} has {code}");
            }
        }
    }
}

#[test]
fn a_hostile_timeline_shown_in_the_app_opens_and_loads_nothing() {
    let mut harness = harness();
    harness.run();
    assert!(harness.state_mut().open_path(&hostile_path()));
    harness.run();
    let index = index_of(&harness, "markup");
    harness.state_mut().apply(Command::Select(Some(index)));
    assert_eq!(opened(&mut harness, 5), Vec::<String>::new());
    // The media's addresses are shown as text: clicking them opens nothing.
    for text in ["https://tracker.example/video.mp4", "javascript:alert(5)"] {
        harness.get_by_label(text).click();
        assert_eq!(opened(&mut harness, 3), Vec::<String>::new(), "{text}");
    }
    // No image loader is installed, so no address could be fetched or decoded as a picture:
    // only egui's own `bytes://` store (and the texture cache it feeds) are there.
    let loaders = harness.ctx.loaders();
    assert!(loaders.image.lock().is_empty());
    assert_eq!(loaders.bytes.lock().len(), 1);
}

/// The opened file: its bytes and its modification time.
fn fingerprint(path: &std::path::Path) -> (Vec<u8>, std::time::SystemTime) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (bytes, modified)
}

/// Runs File ▸ Export to `path` (replacing an existing file) and waits for what it says.
fn export_to(
    harness: &mut Harness<'_, EventAtlasApp>,
    target: ExportTarget,
    path: &std::path::Path,
) -> Result<String, String> {
    harness.state_mut().export.notice = None;
    for command in [
        ExportCommand::Open,
        ExportCommand::SetTarget(target),
        ExportCommand::SetPath(path.display().to_string()),
        ExportCommand::SetReplace(true),
        ExportCommand::Run,
    ] {
        harness.state_mut().apply(Command::Export(command));
    }
    crate::export_ui::wait_for_notice(harness)
}

/// Runs File ▸ Export animation (a short playback) to `path` and waits for what it says.
fn animate_to(
    harness: &mut Harness<'_, EventAtlasApp>,
    path: &std::path::Path,
) -> Result<String, String> {
    harness.state_mut().animation.notice = None;
    for command in [
        AnimationCommand::Open,
        AnimationCommand::SetSubject(AnimationSubject::Playback),
        AnimationCommand::SetSize([80, 60]),
        AnimationCommand::SetSeconds(0.2),
        AnimationCommand::SetPath(path.display().to_string()),
        AnimationCommand::SetReplace(true),
        AnimationCommand::Export,
    ] {
        harness.state_mut().apply(Command::Animation(command));
    }
    harness.run();
    assert!(
        harness
            .state_mut()
            .wait_for_animation(Duration::from_secs(120))
    );
    harness.run();
    harness
        .state()
        .animation
        .notice
        .clone()
        .unwrap_or(Ok(String::new()))
}

#[test]
fn the_opened_file_is_never_written_and_exports_aimed_at_it_are_refused() {
    let dir = TestDir::new("never-written");
    let data = dir.file("events.json", SOURCES);
    let before = fingerprint(&data);
    let mut harness = harness();
    harness.run();
    assert!(harness.state_mut().open_path(&data));
    harness.run();

    // The story is saved beside the data, in its own file.
    harness
        .state_mut()
        .apply(Command::Story(StoryCommand::AddCurrentView));
    harness
        .state_mut()
        .apply(Command::Story(StoryCommand::Save));
    harness.run();
    let story = event_atlas::io::story::sidecar_path(&data);
    assert_eq!(story, dir.path().join("events.json.story.json"));
    let story_before = fingerprint(&story);

    // Exports in every format, a picture-free animation: all beside it, none over it.
    for format in ExportFormat::ALL {
        let out = dir.path().join(format!("out.{}", format.extension()));
        let said = export_to(&mut harness, ExportTarget::Events(format), &out);
        assert!(said.is_ok(), "{format:?}: {said:?}");
        assert!(out.is_file(), "{format:?}");
    }
    let gif = dir.path().join("playback.gif");
    let said = animate_to(&mut harness, &gif);
    assert!(said.is_ok() && gif.is_file(), "{said:?}");

    // Aimed at the opened file (however the path is written) or its story file: refused at
    // once, with the reason.
    let twisted = dir
        .path()
        .join("..")
        .join(dir.path().file_name().unwrap_or_default())
        .join("events.json");
    for aimed in [data.clone(), twisted] {
        let said = export_to(
            &mut harness,
            ExportTarget::Events(ExportFormat::Atlas),
            &aimed,
        );
        assert_eq!(
            said,
            Err(format!(
                "{}: this is the file the data was opened from; choose another name (Event Atlas never writes over the file it opened)",
                aimed.display()
            ))
        );
    }
    let said = export_to(
        &mut harness,
        ExportTarget::Events(ExportFormat::Atlas),
        &story,
    );
    assert_eq!(
        said,
        Err(format!(
            "{}: this is the story file of the opened data (Save story writes it); choose another name",
            story.display()
        ))
    );
    harness.get_by_label_contains("this is the story file of the opened data");
    // An animation aimed at it: a file that is no `.gif` is taken for a folder of frames.
    let said = animate_to(&mut harness, &data);
    eprintln!("animation aimed at the data file: {said:?}");
    assert!(said.is_err(), "{said:?}");

    assert_eq!(fingerprint(&data), before, "the data file is untouched");
    assert_eq!(
        fingerprint(&story),
        story_before,
        "the story file is untouched"
    );
}

#[test]
fn the_command_line_never_writes_over_the_dataset_it_reads() {
    let dir = TestDir::new("cli-never-written");
    let data = dir.file("events.json", SOURCES);
    let story = dir.file("events.json.story.json", "kept as it is");
    let before = (fingerprint(&data), fingerprint(&story));
    let run = |args: &[&std::ffi::OsStr]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_event-atlas"))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!output.status.success(), "{args:?} should be refused");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let said = run(&[
        "render".as_ref(),
        data.as_os_str(),
        "--out".as_ref(),
        data.as_os_str(),
    ]);
    assert!(
        said.contains("is the dataset being drawn: it is never written over"),
        "{said}"
    );
    let said = run(&[
        "render".as_ref(),
        data.as_os_str(),
        "--out".as_ref(),
        story.as_os_str(),
    ]);
    assert!(
        said.contains("is the story file of the dataset being drawn"),
        "{said}"
    );
    let said = run(&[
        "convert".as_ref(),
        data.as_os_str(),
        data.as_os_str(),
        "--overwrite".as_ref(),
    ]);
    assert!(
        said.contains("this is the file the data was opened from"),
        "{said}"
    );
    assert_eq!((fingerprint(&data), fingerprint(&story)), before);
}
