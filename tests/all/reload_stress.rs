//! Nothing lost while the open file changes under the app: another thread rewrites it 1,000
//! times (two datasets of different sizes, whole, slowly in place, cut off half-way, renamed
//! over it) while the real app follows it (its watcher, its background reload, its install);
//! after every frame what is on screen is one whole dataset, a failed reload keeps the last good
//! one and says so, and at the end the file's last version is shown. Also: a cancelled load and
//! a failed open keep the data of the file on screen.

// Test helpers outside #[test] functions unwrap too: a failed set-up should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::io::{ImportOptions, LoadError, LoadProgress, Loaded};
use event_atlas::state::ViewState;

use crate::ui::TestDir;

/// How many times the file is rewritten.
const REWRITES: usize = 1_000;

/// How long the followed file must be quiet before it is read again: short, so that reloads
/// run while the writer is at work.
const FOLLOW_DELAY: Duration = Duration::from_millis(5);

/// The two versions of the file: A (3 events) and B (8 events), each event's id naming its
/// version, so that a mix of the two would show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    A,
    B,
}

impl Version {
    fn count(self) -> usize {
        match self {
            Version::A => 3,
            Version::B => 8,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Version::A => "A",
            Version::B => "B",
        }
    }

    fn text(self) -> String {
        let prefix = self.name().to_lowercase();
        let events: Vec<String> = (1..=self.count())
            .map(|n| {
                format!(
                    r#"  {{"id": "{prefix}{n}", "title": "{} event {n}", "when": "2021-0{}-{n:02}", "where": {{"lat": 50.{n}, "lon": 30.{n}}}}}"#,
                    self.name(),
                    if self == Version::A { 3 } else { 5 },
                )
            })
            .collect();
        format!(
            "{{\"title\": \"Version {}\", \"events\": [\n{}\n]}}\n",
            self.name(),
            events.join(",\n")
        )
    }

    /// The version whose data the app shows, if it is one whole version.
    fn shown(app: &EventAtlasApp) -> Option<Version> {
        let version = [Version::A, Version::B]
            .into_iter()
            .find(|v| app.dataset.title == format!("Version {}", v.name()))?;
        let prefix = version.name().to_lowercase();
        let ids: Vec<&str> = app.dataset.events.iter().map(|e| e.id()).collect();
        let expected: Vec<String> = (1..=version.count())
            .map(|n| format!("{prefix}{n}"))
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        let mut wanted: Vec<&str> = expected.iter().map(String::as_str).collect();
        wanted.sort_unstable();
        (sorted == wanted).then_some(version)
    }
}

/// How one rewrite is done.
#[derive(Clone, Copy, Debug)]
enum Rewrite {
    /// `std::fs::write`: truncated, then written in one go.
    Whole,
    /// `File::create`, then small chunks with pauses: a slow writer seen half-way.
    SlowInPlace,
    /// `File::create`, then only the first half: a writer that stopped (the next write mends it).
    CutOff,
    /// Written beside it and renamed over it, as atomic writers do.
    Renamed,
}

/// A small deterministic generator (an LCG), so that every run writes the same sequence.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }

    fn rewrite(&mut self) -> Rewrite {
        match self.next(8) {
            0 | 1 => Rewrite::Whole,
            2 | 3 => Rewrite::SlowInPlace,
            4 => Rewrite::CutOff,
            _ => Rewrite::Renamed,
        }
    }
}

fn rewrite(path: &Path, text: &str, how: Rewrite, sequence: &mut Sequence) {
    let bytes = text.as_bytes();
    match how {
        Rewrite::Whole => std::fs::write(path, bytes).unwrap(),
        Rewrite::SlowInPlace => {
            let mut file = std::fs::File::create(path).unwrap();
            for chunk in bytes.chunks(48 + sequence.next(64) as usize) {
                file.write_all(chunk).unwrap();
                std::thread::sleep(Duration::from_micros(300 + sequence.next(700)));
            }
        }
        Rewrite::CutOff => {
            let half = bytes.get(..bytes.len() / 2).unwrap();
            std::fs::File::create(path)
                .unwrap()
                .write_all(half)
                .unwrap();
            // Long enough for the app to notice and fail to read it.
            std::thread::sleep(FOLLOW_DELAY * 4);
        }
        Rewrite::Renamed => {
            let temporary = path.with_file_name(".stress.json.tmp");
            std::fs::write(&temporary, bytes).unwrap();
            std::fs::rename(&temporary, path).unwrap();
        }
    }
}

/// The writer: rewrites `path` [`REWRITES`] times, alternating A and B, the last one whole.
/// Returns the version the file holds at the end and how many writes were of each kind.
fn rewrite_many(path: &Path, done: &AtomicBool) -> (Version, [usize; 4]) {
    let mut sequence = Sequence(12);
    let mut kinds = [0; 4];
    let mut last = Version::A;
    for round in 0..REWRITES {
        let version = if round % 2 == 0 {
            Version::B
        } else {
            Version::A
        };
        let how = if round + 1 == REWRITES {
            Rewrite::Whole
        } else {
            sequence.rewrite()
        };
        if let Some(count) = kinds.get_mut(how as usize) {
            *count += 1;
        }
        rewrite(path, &version.text(), how, &mut sequence);
        last = version;
        // Mostly at once, sometimes a pause in which the app catches up.
        let pause = if round % 5 == 4 {
            FOLLOW_DELAY * 4
        } else {
            Duration::from_micros(500 + sequence.next(1500))
        };
        std::thread::sleep(pause);
    }
    done.store(true, Ordering::Release);
    (last, kinds)
}

fn small_harness(view: ViewState) -> Harness<'static, EventAtlasApp> {
    Harness::builder()
        .with_size(egui::vec2(900.0, 600.0))
        .build_ui_state(
            |ui, app: &mut EventAtlasApp| app.ui(ui),
            EventAtlasApp::new(view),
        )
}

/// What the frames showed while the file was rewritten.
#[derive(Default, Debug)]
struct Seen {
    frames: usize,
    frames_with_message: usize,
    versions_shown: [usize; 2],
}

/// Checks one frame: one whole version on screen; a message only with its note.
fn check_frame(app: &EventAtlasApp, seen: &mut Seen) {
    let Some(version) = Version::shown(app) else {
        panic!(
            "frame {}: not one whole version on screen: “{}”, {} events",
            seen.frames,
            app.dataset.title,
            app.dataset.events.len()
        );
    };
    if let Some(count) = seen.versions_shown.get_mut(version as usize) {
        *count += 1;
    }
    if let Some(problem) = &app.problem {
        seen.frames_with_message += 1;
        let note = problem.note.as_deref().unwrap_or_default();
        assert!(
            note.starts_with("The last good version stays on screen"),
            "{}: {note}",
            problem.headline
        );
    }
    seen.frames += 1;
}

#[test]
fn a_file_rewritten_a_thousand_times_always_shows_a_whole_version() {
    let started = Instant::now();
    let dir = TestDir::new("reload-stress");
    let path = dir.file("stress.json", Version::A.text());
    let mut harness = small_harness(ViewState::default());
    harness.run();
    harness.state_mut().set_follow_delay(FOLLOW_DELAY);
    harness.state_mut().request_open(&path);
    harness.run();
    assert_eq!(Version::shown(harness.state()), Some(Version::A));

    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let (path, done) = (path.clone(), Arc::clone(&done));
        std::thread::spawn(move || rewrite_many(&path, &done))
    };
    let mut seen = Seen::default();
    while !done.load(Ordering::Acquire) {
        harness.step();
        check_frame(harness.state(), &mut seen);
        std::thread::sleep(Duration::from_millis(1));
    }
    let (last, kinds) = writer.join().unwrap();

    // The file is quiet now: the app settles on its last version, without a message.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline
        && (harness.state().is_reloading()
            || Version::shown(harness.state()) != Some(last)
            || harness.state().problem.is_some())
    {
        harness.step();
        check_frame(harness.state(), &mut seen);
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run();
    let app = harness.state();
    assert_eq!(Version::shown(app), Some(last), "the last version is shown");
    assert!(app.problem.is_none(), "{:?}", app.problem);
    let counts = app.reload_counts();
    println!(
        "reload stress: {REWRITES} rewrites (whole {}, slow in place {}, cut off {}, renamed {}) \
         in {:.1} s; {} frames checked ({} with the message, A shown in {}, B in {}); reloads \
         attempted {}, succeeded {}, kept previous {}, superseded {}",
        kinds[0],
        kinds[1],
        kinds[2],
        kinds[3],
        started.elapsed().as_secs_f64(),
        seen.frames,
        seen.frames_with_message,
        seen.versions_shown[0],
        seen.versions_shown[1],
        counts.attempted,
        counts.succeeded,
        counts.kept_previous,
        counts.superseded,
    );
    assert!(
        counts.succeeded > 0 && counts.kept_previous > 0,
        "{counts:?}"
    );
    assert_eq!(
        counts.attempted,
        counts.succeeded + counts.kept_previous + counts.superseded,
        "every reload ends one of three ways: {counts:?}"
    );
    assert!(seen.frames_with_message > 0, "a failed reload was shown");
    assert!(seen.versions_shown.iter().all(|&n| n > 0), "{seen:?}");
}

/// A loader that reads nothing: it waits until it is cancelled.
fn waits_until_cancelled(
    path: &Path,
    _: &ImportOptions,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !progress.is_cancelled() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    Err(LoadError::Cancelled {
        file: path.display().to_string(),
    })
}

/// A file big enough to be opened in the background (its bytes are never read).
fn big_file(dir: &TestDir) -> PathBuf {
    let path = dir.path().join("big.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(event_atlas::app::BACKGROUND_LOAD_BYTES + 1)
        .unwrap();
    path
}

#[test]
fn a_cancelled_load_and_a_failed_open_keep_the_file_on_screen() {
    let dir = TestDir::new("kept");
    let path = dir.file("shown.json", Version::B.text());
    let mut harness = small_harness(ViewState::default());
    harness.run();
    harness.state_mut().request_open(&path);
    harness.run();
    assert_eq!(Version::shown(harness.state()), Some(Version::B));
    let b3 = harness.state().dataset.find("b3").unwrap();
    harness.state_mut().apply(Command::Select(Some(b3)));
    harness.run();

    // Cancelled: B stays, selected, without a message.
    harness.state_mut().set_loader(waits_until_cancelled);
    harness.state_mut().apply(Command::OpenPath(big_file(&dir)));
    harness.run_steps(2);
    assert!(harness.state().loading.is_some());
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    let app = harness.state();
    assert!(app.loading.is_none());
    assert_eq!(Version::shown(app), Some(Version::B));
    assert_eq!(app.selected, Some(b3));
    assert!(app.problem.is_none());

    // A failed open: B stays, selected, and the message says why.
    harness
        .state_mut()
        .set_loader(event_atlas::io::load_path_with_options);
    let broken = dir.file("broken.json", "{\"title\": \"Broken\", \"events\": [");
    harness.state_mut().apply(Command::OpenPath(broken));
    harness.run();
    let app = harness.state();
    assert_eq!(Version::shown(app), Some(Version::B));
    assert_eq!(app.selected, Some(b3));
    assert!(app.problem.is_some());
    harness.get_by_label_contains("broken.json: 1 error(s)");
    harness.get_by_label_contains("broken.json:1:31: the file ends too early");
    harness.get_by_label_contains("Still showing: “Version B”");
}
