//! `render` benchmarks: the built-in story drawn at 1360x860 without a window, to PNG bytes in
//! memory (with the steps apart) and end to end through the command line. Issue 9 asks for the
//! built-in story in at most 1 s. `animation/…`: a frame of an animation, and a whole GIF.
//! Numbers: docs/benchmarks.md.

// Set-up in benchmarks may unwrap: a failure there is a broken benchmark, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::render::animation::{
    AnimationOutput, AnimationProgress, FrameRenderer, WriteOptions, write_animation,
};
use event_atlas::render::frames::{
    AnimationKind, AnimationSpec, FramePlan, PlaybackLength, PlaybackPlan, frame_commands,
};
use event_atlas::render::{self, Picture, RenderRequest};
use event_atlas::state::ViewState;

// The allocator the app ships with (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn request() -> RenderRequest {
    RenderRequest {
        at: Some(render::args::parse_at("2024-03-22").unwrap()),
        ..RenderRequest::default()
    }
}

fn render_builtin(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    let request = request();
    // What `render` does before writing the file: open the story, run the frames, paint, encode.
    group.bench_function("builtin_1360x860_png_in_memory", |b| {
        b.iter(|| {
            let canvas = EventAtlasApp::render(&request).unwrap().canvas;
            black_box(render::encode_png(&canvas).unwrap())
        });
    });
    // The steps apart: the app's frames and painting on an app already open; PNG encoding.
    let mut app = EventAtlasApp::new(ViewState::default());
    app.apply(Command::SetPlayhead(request.at.unwrap()));
    group.bench_function("frames_and_paint_open_app", |b| {
        b.iter(|| black_box(render::render_app(&mut app, &Picture::default())));
    });
    let canvas = EventAtlasApp::render(&request).unwrap().canvas;
    group.bench_function("png_encode", |b| {
        b.iter(|| black_box(render::encode_png(&canvas).unwrap()));
    });
    group.bench_function("open_builtin_app", |b| {
        b.iter(|| black_box(EventAtlasApp::new(ViewState::default())));
    });
    // The command line as users run it: process start, everything above, the file written.
    let out = std::env::temp_dir().join(format!("event-atlas-bench-{}.png", std::process::id()));
    group.bench_function("builtin_1360x860_cli_end_to_end", |b| {
        b.iter(|| {
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_event-atlas"))
                .args(["render", "--at", "2024-03-22", "--out"])
                .arg(&out)
                .status()
                .unwrap();
            assert!(status.success());
        });
    });
    std::fs::remove_file(&out).ok();
    group.finish();
}

/// Playback of the built-in story over `frames` frames.
fn playback_plan(app: &EventAtlasApp, frames: usize) -> FramePlan {
    let spec = AnimationSpec {
        kind: AnimationKind::Playback(PlaybackPlan {
            length: PlaybackLength::Frames(frames),
            ..PlaybackPlan::default()
        }),
        ..AnimationSpec::default()
    };
    FramePlan::new(&spec, &app.dataset, &app.view, app.selected, "built-in").unwrap()
}

/// Animations: one frame of playback drawn through the context kept across frames (what
/// `render --playback` and File ▸ Export animation do per frame), the same with a new context
/// each frame (what it would cost without), and a whole GIF written.
fn animation_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("animation");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    for size in [[960, 600], render::DEFAULT_SIZE] {
        let [width, height] = size;
        let picture = Picture {
            size,
            ..Picture::default()
        };
        let (mut app, _) = EventAtlasApp::for_render(&RenderRequest::default()).unwrap();
        let plan = playback_plan(&app, 240);
        let mut renderer = FrameRenderer::new(&mut app, picture, Vec::new());
        let mut next = 0;
        group.bench_function(format!("frame_{width}x{height}"), |b| {
            b.iter(|| {
                let frame = plan.frame(next % plan.len()).unwrap();
                next += 1;
                black_box(renderer.draw(&frame))
            });
        });
        drop(renderer);
        group.bench_function(format!("frame_new_context_{width}x{height}"), |b| {
            b.iter(|| {
                let frame = plan.frame(next % plan.len()).unwrap();
                next += 1;
                for command in frame_commands(&frame) {
                    app.apply(command);
                }
                black_box(render::render_app(&mut app, &picture))
            });
        });
    }
    let out = std::env::temp_dir().join(format!("event-atlas-bench-{}.gif", std::process::id()));
    let picture = Picture {
        size: [960, 600],
        ..Picture::default()
    };
    group.bench_function("gif_30_frames_960x600", |b| {
        b.iter(|| {
            let (mut app, _) = EventAtlasApp::for_render(&RenderRequest::default()).unwrap();
            let plan = playback_plan(&app, 30);
            let mut renderer = FrameRenderer::new(&mut app, picture, Vec::new());
            let options = WriteOptions {
                replace: true,
                protected: None,
            };
            let output = AnimationOutput::Gif(out.clone());
            let progress = AnimationProgress::default();
            write_animation(&mut renderer, &plan, &output, &options, &progress).unwrap()
        });
    });
    std::fs::remove_file(&out).ok();
    group.finish();
}

criterion_group!(benches, render_builtin, animation_frames);
criterion_main!(benches);
