//! Nothing runs that was not asked: a source's address opens only when clicked and only when it
//! is an `http:`/`https:` address; HTML in imported text is never markup and loads nothing;
//! media addresses are never fetched; the opened data file is never written.

use egui::OutputCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;

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
