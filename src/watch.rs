//! Following a file as it changes: the open file's folder is watched (not the file itself, so
//! that a writer replacing the file by a rename, as atomic writers and many editors do, does
//! not end the watch), changes to the file are debounced and each burst of them becomes one
//! [`FileNotice`]. Knows nothing of the UI beyond an optional wake-up callback; the app polls
//! [`FileWatch::poll`] once a frame.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache};

use crate::background::panic_message;

/// How long a file must be quiet before a change is reported: a writer's burst of writes is
/// one change.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// Called from the watcher's thread when a notice is waiting (the app wakes its UI with it).
pub type Wake = Box<dyn Fn() + Send + Sync>;

/// What happened to the followed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileNotice {
    /// It was written, replaced or created again: read it again.
    Changed,
    /// It was deleted or moved away.
    Removed,
    /// The watcher reported an error; changes may be missed.
    Failed(String),
}

/// Why a file cannot be followed (e.g. the system's limit of watches is reached).
#[derive(Debug, thiserror::Error)]
#[error("Changes to {file} cannot be followed: {message}")]
pub struct WatchError {
    pub file: String,
    pub message: String,
}

/// A file being followed; dropping it stops the watch.
pub struct FileWatch {
    path: PathBuf,
    receiver: mpsc::Receiver<FileNotice>,
    /// Whether the watcher's thread was found gone (said once).
    ended_reported: Cell<bool>,
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Says that the watcher's work panicked: a notice the app shows.
struct Failure {
    file: String,
    sender: mpsc::Sender<FileNotice>,
}

impl Failure {
    fn report(&self, why: &str) {
        let message = format!(
            "Following changes to {} stopped unexpectedly: {why}. Use File ▸ Reload to read it again.",
            self.file
        );
        // The receiver is gone when the app stopped following: nobody wants the notice.
        self.sender.send(FileNotice::Failed(message)).ok();
    }
}

impl FileWatch {
    /// Follows `path`, reporting changes after [`DEBOUNCE`]; `wake` is called with each notice.
    pub fn new(path: &Path, wake: Option<Wake>) -> Result<Self, WatchError> {
        Self::with_delay(path, DEBOUNCE, wake)
    }

    /// [`Self::new`] with another debounce delay.
    pub fn with_delay(
        path: &Path,
        delay: Duration,
        wake: Option<Wake>,
    ) -> Result<Self, WatchError> {
        let failed = |message: String| WatchError {
            file: path.display().to_string(),
            message,
        };
        // Events name the file by the folder watched joined with its name: an absolute folder.
        let path = std::path::absolute(path).map_err(|e| failed(e.to_string()))?;
        let Some(folder) = path.parent().map(Path::to_path_buf) else {
            return Err(failed("it is not in a folder".to_owned()));
        };
        let (sender, receiver) = mpsc::channel();
        let on_panic = Failure {
            file: path.display().to_string(),
            sender: sender.clone(),
        };
        let mut handler = NoticeHandler {
            path: path.clone(),
            last_notice: None,
            sender,
            wake,
        };
        let mut debouncer = notify_debouncer_full::new_debouncer(
            delay,
            None,
            move |result: DebounceEventResult| {
                // A panic here would end the watcher's thread: changes would stop in silence.
                let handled = std::panic::catch_unwind(AssertUnwindSafe(|| handler.handle(result)));
                if let Err(panic) = handled {
                    on_panic.report(&panic_message(panic.as_ref()));
                }
            },
        )
        .map_err(|e| failed(e.to_string()))?;
        debouncer
            .watch(&folder, RecursiveMode::NonRecursive)
            .map_err(|e| failed(e.to_string()))?;
        Ok(Self {
            path,
            receiver,
            ended_reported: Cell::new(false),
            _debouncer: debouncer,
        })
    }

    /// The file followed (absolute).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What happened since the last poll. Of changes and removals only the latest counts (it
    /// says what the file is now); errors are all kept.
    pub fn poll(&self) -> Vec<FileNotice> {
        let mut notices: Vec<FileNotice> = Vec::new();
        for notice in self.receiver.try_iter() {
            let is_state = |n: &FileNotice| matches!(n, FileNotice::Changed | FileNotice::Removed);
            if is_state(&notice) {
                notices.retain(|n| !is_state(n));
            }
            notices.push(notice);
        }
        // The watcher's thread ended (its own code panicked): say so once.
        if let Err(mpsc::TryRecvError::Disconnected) = self.receiver.try_recv()
            && !self.ended_reported.replace(true)
        {
            notices.push(FileNotice::Failed(format!(
                "Following changes to {} stopped unexpectedly. Use File ▸ Reload to read it again.",
                self.path.display()
            )));
        }
        notices
    }
}

/// Turns the debouncer's batches into notices, on the debouncer's thread.
struct NoticeHandler {
    path: PathBuf,
    /// When the last notice was sent: events before it are covered by the reload it started.
    last_notice: Option<Instant>,
    sender: mpsc::Sender<FileNotice>,
    wake: Option<Wake>,
}

impl NoticeHandler {
    fn handle(&mut self, result: DebounceEventResult) {
        let notice = match result {
            Ok(events) => {
                if !is_news(&events, &self.path, self.last_notice) {
                    return;
                }
                self.last_notice = Some(Instant::now());
                // Whatever the events were, what counts is whether the file is there now.
                if self.path.exists() {
                    FileNotice::Changed
                } else {
                    FileNotice::Removed
                }
            }
            Err(errors) => {
                let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
                FileNotice::Failed(messages.join("; "))
            }
        };
        // The receiver is gone when the app stopped following: nobody wants the notice.
        if self.sender.send(notice).is_ok()
            && let Some(wake) = &self.wake
        {
            wake();
        }
    }
}

/// Whether `events` change `path` after `since`: a debouncer may split one burst over two
/// batches, and a change already read by the reload the last notice started is no news.
fn is_news(events: &[DebouncedEvent], path: &Path, since: Option<Instant>) -> bool {
    events.iter().any(|event| {
        let after = since.is_none_or(|since| event.time > since);
        // The watcher lost track of events (its queue overflowed): the file may have changed.
        let touches = event.need_rescan() || event.paths.iter().any(|p| p == path);
        after && touches && changes_contents(&event.kind)
    })
}

/// Whether an event of this kind can change what the file holds. Opening and reading it (as
/// the reload itself does) and metadata changes cannot.
fn changes_contents(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use notify_debouncer_full::notify::Event;
    use notify_debouncer_full::notify::event::{CreateKind, DataChange, RenameMode};

    use super::*;

    /// A folder of one test's own, removed when the test ends.
    struct TestDir(PathBuf);

    impl TestDir {
        fn new(test: &str) -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let unique = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir().join(format!(
                "event-atlas-watch-{}-{unique}-{test}",
                std::process::id()
            ));
            std::fs::create_dir(&path).unwrap();
            Self(path)
        }
    }

    impl Drop for TestDir {
        fn drop(&mut self) {
            std::fs::remove_dir_all(&self.0).ok();
        }
    }

    /// A short delay keeps the tests quick; the debouncing is the same.
    const DELAY: Duration = Duration::from_millis(100);

    /// Waits (bounded) for the next notices.
    fn next_notices(watch: &FileWatch) -> Vec<FileNotice> {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            let notices = watch.poll();
            if !notices.is_empty() {
                return notices;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Vec::new()
    }

    /// Whatever arrives in a quiet period several times the delay.
    fn notices_while_quiet(watch: &FileWatch) -> Vec<FileNotice> {
        std::thread::sleep(DELAY * 6);
        watch.poll()
    }

    #[test]
    fn a_change_to_the_file_is_one_notice() {
        let dir = TestDir::new("change");
        let file = dir.0.join("events.json");
        std::fs::write(&file, "{}").unwrap();
        let watch = FileWatch::with_delay(&file, DELAY, None).unwrap();
        std::fs::write(&file, r#"{"events": []}"#).unwrap();
        assert_eq!(next_notices(&watch), vec![FileNotice::Changed]);
        assert_eq!(notices_while_quiet(&watch), Vec::new(), "one notice only");
        // Reading it, as the reload does, is no change.
        std::fs::read(&file).unwrap();
        assert_eq!(notices_while_quiet(&watch), Vec::new());
    }

    #[test]
    fn a_change_to_a_sibling_is_none() {
        let dir = TestDir::new("sibling");
        let file = dir.0.join("events.json");
        std::fs::write(&file, "{}").unwrap();
        let watch = FileWatch::with_delay(&file, DELAY, None).unwrap();
        std::fs::write(dir.0.join("other.json"), "{}").unwrap();
        std::fs::write(dir.0.join("events.json.bak"), "{}").unwrap();
        assert_eq!(notices_while_quiet(&watch), Vec::new());
    }

    #[test]
    fn a_rename_over_the_file_is_one_notice_and_the_watch_goes_on() {
        let dir = TestDir::new("rename");
        let file = dir.0.join("events.json");
        std::fs::write(&file, "{}").unwrap();
        let woken = std::sync::Arc::new(AtomicUsize::new(0));
        let counter = std::sync::Arc::clone(&woken);
        let wake: Wake = Box::new(move || {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        let watch = FileWatch::with_delay(&file, DELAY, Some(wake)).unwrap();
        // An atomic writer: a temporary file beside it, then a rename over it.
        let temporary = dir.0.join(".events.json.tmp");
        std::fs::write(&temporary, r#"{"events": []}"#).unwrap();
        std::fs::rename(&temporary, &file).unwrap();
        assert_eq!(next_notices(&watch), vec![FileNotice::Changed]);
        assert_eq!(notices_while_quiet(&watch), Vec::new(), "one notice only");
        assert_eq!(woken.load(Ordering::Relaxed), 1, "woken once");
        // The new file is followed too.
        std::fs::write(&file, "{}").unwrap();
        assert_eq!(next_notices(&watch), vec![FileNotice::Changed]);
    }

    #[test]
    fn a_deleted_file_is_noticed_and_picked_up_again_when_it_reappears() {
        let dir = TestDir::new("delete");
        let file = dir.0.join("events.json");
        std::fs::write(&file, "{}").unwrap();
        let watch = FileWatch::with_delay(&file, DELAY, None).unwrap();
        std::fs::remove_file(&file).unwrap();
        assert_eq!(next_notices(&watch), vec![FileNotice::Removed]);
        std::fs::write(&file, "{}").unwrap();
        assert_eq!(next_notices(&watch), vec![FileNotice::Changed]);
    }

    #[test]
    fn a_panic_on_the_watcher_thread_becomes_a_notice_and_the_watch_goes_on() {
        let dir = TestDir::new("panic");
        let file = dir.0.join("events.json");
        std::fs::write(&file, "{}").unwrap();
        let wake: Wake = Box::new(|| panic!("wake-up bug"));
        let watch = FileWatch::with_delay(&file, DELAY, Some(wake)).unwrap();
        std::fs::write(&file, r#"{"events": []}"#).unwrap();
        let notices = notices_while_quiet(&watch);
        let Some(FileNotice::Failed(message)) = notices.last() else {
            panic!("a failure notice: {notices:?}");
        };
        assert!(message.starts_with("Following changes to "), "{message}");
        assert!(
            message.contains("events.json stopped unexpectedly: wake-up bug"),
            "{message}"
        );
        assert_eq!(notices.first(), Some(&FileNotice::Changed));
        // Still followed.
        std::fs::write(&file, "{}").unwrap();
        assert_eq!(next_notices(&watch).first(), Some(&FileNotice::Changed));
    }

    #[test]
    fn a_missing_folder_cannot_be_followed() {
        let dir = TestDir::new("missing");
        let file = dir.0.join("gone").join("events.json");
        let error = FileWatch::new(&file, None).err().unwrap();
        assert!(error.to_string().starts_with("Changes to "), "{error}");
        assert!(error.to_string().contains("events.json"), "{error}");
    }

    fn event(kind: EventKind, path: &Path, time: Instant) -> DebouncedEvent {
        DebouncedEvent::new(Event::new(kind).add_path(path.to_path_buf()), time)
    }

    #[test]
    fn only_changes_to_the_file_after_the_last_notice_are_news() {
        let file = Path::new("/data/events.json");
        let now = Instant::now();
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert!(is_news(&[event(write, file, now)], file, None));
        let sibling = event(write, Path::new("/data/other.json"), now);
        assert!(!is_news(&[sibling], file, None));
        let opened = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(!is_news(&[event(opened, file, now)], file, None));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert!(is_news(&[event(closed, file, now)], file, None));
        // The rest of a burst whose start was reported is covered by that reload.
        let later = now + Duration::from_millis(5);
        assert!(!is_news(&[event(write, file, now)], file, Some(later)));
        assert!(is_news(&[event(write, file, later)], file, Some(now)));
        let renamed = Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("/data/.tmp"))
            .add_path(file.to_path_buf());
        assert!(is_news(&[DebouncedEvent::new(renamed, now)], file, None));
        let created = EventKind::Create(CreateKind::File);
        assert!(is_news(&[event(created, file, now)], file, None));
    }
}
