//! What issue 13 adds to a window's life: decoding the window's icon at start (once), and
//! saving the view when another window shares the settings folder (the file is read back and
//! the recent files and column choices merged; eframe saves every 30 s and at exit). Numbers:
//! docs/benchmarks.md.

// Set-up in benchmarks may unwrap: a failure there is a broken benchmark, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use event_atlas::EventAtlasApp;
use event_atlas::state::{ImportChoices, RecentFiles, ViewState, persist};

// The allocator the app ships with (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A view file as full as it gets: ten recent files and twenty files' column choices.
fn full_view(prefix: &str) -> ViewState {
    let options = event_atlas::io::ImportOptions {
        time: Some("Wann".into()),
        lat: Some("Breite".into()),
        lon: Some("Länge".into()),
        ..Default::default()
    };
    ViewState {
        recent_files: RecentFiles::from_paths(
            (0..RecentFiles::MAX)
                .map(|i| PathBuf::from(format!("/data/{prefix}-{i}.csv")))
                .collect(),
        ),
        import_choices: ImportChoices::from_entries(
            (0..ImportChoices::MAX)
                .map(|i| {
                    (
                        PathBuf::from(format!("/data/{prefix}-{i}.csv")),
                        options.clone(),
                    )
                })
                .collect(),
        ),
        ..ViewState::default()
    }
}

fn start(c: &mut Criterion) {
    let mut group = c.benchmark_group("start");
    group.bench_function("window_icon", |b| {
        b.iter(|| eframe::icon_data::from_png_bytes(black_box(event_atlas::builtin::ICON_PNG)))
    });

    let folder =
        std::env::temp_dir().join(format!("event-atlas-bench-start-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    persist::save_view(&folder, &full_view("mine")).unwrap();
    let mut app = EventAtlasApp::restored(Some(folder.clone()), None);
    let theirs = full_view("theirs");
    // Each iteration: another window has just saved its lists; this one merges them and writes.
    group.bench_function("save_view_after_another_window", |b| {
        b.iter(|| {
            persist::save_view(&folder, &theirs).unwrap();
            app.view.recent_files = full_view("mine").recent_files;
            app.save_view().unwrap();
        })
    });
    group.bench_function("other_window_saves_only", |b| {
        b.iter(|| persist::save_view(&folder, &theirs).unwrap())
    });
    group.finish();
    remove(&folder);
}

fn remove(folder: &Path) {
    let _ = std::fs::remove_dir_all(folder);
}

criterion_group!(benches, start);
criterion_main!(benches);
