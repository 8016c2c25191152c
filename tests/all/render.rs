//! `event-atlas render`: the app's window drawn to a PNG without a window. The pictures are
//! checked for their size and for what must be in them (the map's colours, the attack at
//! Moscow), not against a stored image.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use egui::Color32;
use event_atlas::render::{self, Canvas, Picture, RenderRequest};
use event_atlas::theme::MapColors;

/// The built-in story's colour for the attack (`assets/crocus.json`, category `attack`).
const ATTACK: Color32 = Color32::from_rgb(0xEE, 0x66, 0x77);

/// A PNG path in the temporary folder, unique to this test run, removed when dropped.
struct TempPng(PathBuf);

impl TempPng {
    fn new(test: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        TempPng(std::env::temp_dir().join(format!(
            "event-atlas-render-{}-{unique}-{test}.png",
            std::process::id()
        )))
    }
}

impl Drop for TempPng {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_event-atlas"))
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

fn builtin_at(date: &str) -> Canvas {
    let request = RenderRequest {
        at: Some(render::args::parse_at(date).unwrap_or_else(|e| panic!("{date}: {e}"))),
        ..RenderRequest::default()
    };
    event_atlas::EventAtlasApp::render(&request)
        .unwrap_or_else(|e| panic!("render at {date}: {e}"))
        .canvas
}

fn close(a: Color32, b: Color32, tolerance: u8) -> bool {
    a.to_array()
        .iter()
        .zip(b.to_array())
        .all(|(x, y)| x.abs_diff(y) <= tolerance)
}

/// How many pixels of `canvas` in the top third and the left three quarters (the north of the
/// map: Moscow; not the legend, the timeline or the details panel) are close to `color`.
fn count_in_north_of_map(canvas: &Canvas, color: Color32) -> usize {
    let (width, height) = (canvas.width(), canvas.height());
    (0..height / 3)
        .flat_map(|y| (0..width * 3 / 4).map(move |x| (x, y)))
        .filter(|&(x, y)| canvas.pixel(x, y).is_some_and(|p| close(p, color, 2)))
        .count()
}

fn count(canvas: &Canvas, color: Color32) -> usize {
    canvas
        .pixels()
        .iter()
        .filter(|&&p| close(p, color, 1))
        .count()
}

#[test]
fn cli_writes_a_png_of_the_asked_size() {
    let out = TempPng::new("size");
    let output = run(&[
        "--builtin",
        "--at",
        "2024-03-22",
        "--size",
        "1000x700",
        "--out",
        out.0.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let picture = image::open(&out.0).unwrap().to_rgba8();
    assert_eq!(picture.dimensions(), (1000, 700));
    let colours: HashSet<[u8; 4]> = picture.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 500, "only {} colours", colours.len());
    assert!(
        picture.pixels().all(|p| p.0[3] == 255),
        "the picture is opaque"
    );
}

#[test]
fn the_map_shows_land_water_and_the_attack_at_moscow() {
    let canvas = builtin_at("2024-03-22");
    assert_eq!(
        [canvas.width(), canvas.height()],
        [1360, 860],
        "the window's size by default"
    );
    let colours = MapColors::for_visuals(&egui::Visuals::dark());
    let total = canvas.width() * canvas.height();
    // Both cover real areas of the map (the Black Sea, the Caspian; Russia, Ukraine).
    assert!(count(&canvas, colours.sea) > total / 50, "sea");
    assert!(count(&canvas, colours.land) > total / 10, "land");
    let attack = count_in_north_of_map(&canvas, ATTACK);
    assert!(
        attack > 50,
        "only {attack} attack-coloured pixels near Moscow"
    );

    // The day before, the attack has not happened: nothing of its colour in the north.
    let day_before = builtin_at("2024-03-21");
    assert_eq!(count_in_north_of_map(&day_before, ATTACK), 0);
    assert_ne!(canvas, day_before, "another --at draws another picture");
}

#[test]
fn light_theme_and_selection_are_drawn() {
    let dark = builtin_at("2024-03-22");
    let request = RenderRequest {
        at: Some(render::args::parse_at("2024-03-22").unwrap()),
        select: Some("crocus-attack".to_owned()),
        picture: Picture {
            size: [800, 600],
            theme: egui::Theme::Light,
            ..Picture::default()
        },
        ..RenderRequest::default()
    };
    let light = event_atlas::EventAtlasApp::render(&request).unwrap().canvas;
    assert_eq!([light.width(), light.height()], [800, 600]);
    let light_colours = MapColors::for_visuals(&egui::Visuals::light());
    assert!(count(&light, light_colours.land) > 800 * 600 / 20);
    let background = |canvas: &Canvas| canvas.pixel(canvas.width() - 5, 200).unwrap();
    assert!(
        background(&light).r() > 200 && background(&dark).r() < 60,
        "the details panel is light in the light theme, dark in the dark"
    );
}

#[test]
fn unknown_selection_is_an_error() {
    let request = RenderRequest {
        select: Some("no-such-event".to_owned()),
        ..RenderRequest::default()
    };
    let error = event_atlas::EventAtlasApp::render(&request)
        .unwrap_err()
        .to_string();
    assert!(error.contains("--select 'no-such-event'"), "{error}");
}

#[test]
fn a_file_renders_like_the_builtin_story_with_its_name_below() {
    let out = TempPng::new("file");
    let output = run(&[
        "assets/crocus.json",
        "--at",
        "2024-03",
        "--window",
        "30",
        "--out",
        out.0.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let picture = image::open(&out.0).unwrap();
    assert_eq!((picture.width(), picture.height()), (1360, 860));
}

#[test]
fn bad_arguments_exit_1_with_one_line_naming_the_problem() {
    let out = TempPng::new("errors");
    let out_arg = out.0.to_str().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (&["--at", "2024-02-30"], "--at '2024-02-30': "),
        (&["--at", "soon"], "--at 'soon': "),
        (&["--size", "big"], "--size 'big': "),
        (&["--window", "0"], "--window '0': "),
        (&["tests/data/no-such-file.json"], "no-such-file.json"),
        (&["--select", "nobody"], "--select 'nobody': "),
    ];
    for (args, expected) in cases {
        let output = run(&[args, &["--out", out_arg]].concat());
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {message}");
        assert_eq!(message.lines().count(), 1, "{args:?}: {message}");
        assert!(message.contains(expected), "{args:?}: {message}");
        assert!(!out.0.exists(), "{args:?}: no picture is written");
    }
}

#[test]
fn an_unwritable_out_is_an_error_and_leaves_nothing_behind() {
    let folder =
        std::env::temp_dir().join(format!("event-atlas-render-missing-{}", std::process::id()));
    let out = folder.join("map.png");
    let output = run(&["--size", "64x64", "--out", out.to_str().unwrap()]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("could not write") && message.contains("map.png"),
        "{message}"
    );
    assert!(!folder.exists());
}

#[test]
fn a_date_outside_the_data_is_drawn_at_its_edge_and_said() {
    let out = TempPng::new("outside");
    let output = run(&[
        "--at",
        "1990-05",
        "--size",
        "320x200",
        "--out",
        out.0.to_str().unwrap(),
    ]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{message}");
    assert!(
        message.contains("--at 1 May 1990 is before the data, which starts 1 November 2023"),
        "{message}"
    );
    assert!(out.0.exists());
}
