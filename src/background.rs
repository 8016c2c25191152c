//! Work done off the UI thread: the file dialog, and opening big files. The app collects what
//! finished once a frame (`EventAtlasApp::receive_background_results`). A panic while loading
//! becomes a [`LoadError`] the user sees, never a silent stop.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use crate::io::{self, ImportOptions, LoadError, LoadProgress};
use crate::map::Basemap;
use crate::map::MapData;
use crate::timeline::TimelinePanel;

/// How a dataset file is read: [`io::load_path_with_options`], or a stand-in in tests.
pub type Loader = fn(&Path, &ImportOptions, &LoadProgress) -> Result<io::Loaded, LoadError>;

/// A loaded dataset with what the map and the timeline need of it, ready to show. Built on the
/// loading thread, so that the UI only swaps it in.
pub struct Prepared {
    pub(crate) loaded: io::Loaded,
    pub(crate) map: MapData,
    pub(crate) timeline: TimelinePanel,
    pub(crate) located_count: usize,
}

/// From this many events, the map's and the timeline's data are built on two threads.
const PREPARE_IN_PARALLEL_FROM: usize = 50_000;

impl Prepared {
    /// Builds the map's and the timeline's data. A panic in either is passed on to the caller,
    /// which reports it (see [`guarded`]).
    pub fn new(loaded: io::Loaded, basemap: &Basemap) -> Self {
        let dataset = &loaded.dataset;
        let (map, timeline) = if dataset.events.len() < PREPARE_IN_PARALLEL_FROM {
            (MapData::new(basemap, dataset), TimelinePanel::new(dataset))
        } else {
            on_two_threads(
                || MapData::new(basemap, dataset),
                || TimelinePanel::new(dataset),
            )
        };
        let located_count = dataset.located_count();
        Self {
            loaded,
            map,
            timeline,
            located_count,
        }
    }
}

/// Runs `first` on this thread and `second` on another, and returns both results. A panic in
/// either is passed on to the caller (after both ended), so that [`guarded`] reports it.
pub fn on_two_threads<A, B: Send>(
    first: impl FnOnce() -> A,
    second: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let second = scope.spawn(second);
        let first = first();
        match second.join() {
            Ok(second) => (first, second),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Runs `work` (reading `file` and preparing it); a panic in it becomes an error that names the
/// file and says what went wrong, and the data already open stays.
pub fn guarded<T>(file: &str, work: impl FnOnce() -> Result<T, LoadError>) -> Result<T, LoadError> {
    // Nothing `work` touched is used after a panic, except the progress counters.
    std::panic::catch_unwind(AssertUnwindSafe(work))
        .unwrap_or_else(|panic| Err(stopped_unexpectedly(file, &panic_message(panic.as_ref()))))
}

fn stopped_unexpectedly(file: &str, why: &str) -> LoadError {
    LoadError::Io {
        file: file.to_owned(),
        message: format!("opening stopped unexpectedly: {why}"),
    }
}

/// What a panic said, for a message.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(message) = panic.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = panic.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// A file being opened on a background thread.
pub struct Loading {
    pub path: PathBuf,
    pub progress: Arc<LoadProgress>,
    receiver: mpsc::Receiver<Result<Prepared, LoadError>>,
}

impl Loading {
    /// Starts reading `path` with `loader` on a new thread, and preparing it for the views.
    pub fn spawn(
        loader: Loader,
        path: &Path,
        options: ImportOptions,
        basemap: Arc<Basemap>,
    ) -> Self {
        let progress = Arc::new(LoadProgress::default());
        let (sender, receiver) = mpsc::channel();
        let thread_progress = Arc::clone(&progress);
        let thread_path = path.to_path_buf();
        std::thread::spawn(move || {
            let file = thread_path.display().to_string();
            let result = guarded(&file, || {
                loader(&thread_path, &options, &thread_progress)
                    .map(|loaded| Prepared::new(loaded, &basemap))
            });
            // The receiver is gone when the user cancelled or opened another file: nobody
            // wants this result any more.
            sender.send(result).ok();
        });
        Self {
            path: path.to_path_buf(),
            progress,
            receiver,
        }
    }

    /// The result, if the thread has finished (`None` while it is still working).
    pub fn try_result(&self) -> Option<Result<Prepared, LoadError>> {
        match self.receiver.try_recv() {
            Ok(result) => Some(result),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(self.ended_without_result())),
        }
    }

    /// Waits up to `timeout` for the result (`None` if the thread is still working).
    pub fn wait_result(&self, timeout: Duration) -> Option<Result<Prepared, LoadError>> {
        match self.receiver.recv_timeout(timeout) {
            Ok(result) => Some(result),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => Some(Err(self.ended_without_result())),
        }
    }

    fn ended_without_result(&self) -> LoadError {
        stopped_unexpectedly(
            &self.path.display().to_string(),
            "the loading thread ended without a result",
        )
    }
}

/// The native open-file dialog, running on its own thread because it blocks.
pub struct FileDialog {
    receiver: mpsc::Receiver<Option<PathBuf>>,
}

/// Where the file dialog is.
pub enum DialogOutcome {
    /// Still open.
    Open,
    /// Closed: the file chosen, or `None` when the user cancelled.
    Closed(Option<PathBuf>),
    /// The dialog's thread ended without an answer (no file-chooser service).
    Failed,
}

impl FileDialog {
    /// Opens the dialog in `start_dir` (the desktop's default without it).
    pub fn spawn(start_dir: Option<PathBuf>) -> Self {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut dialog = rfd::FileDialog::new().set_title("Open a dataset");
            for (name, extensions) in io::FILE_TYPES {
                dialog = dialog.add_filter(*name, extensions);
            }
            dialog = dialog.add_filter("All files", &["*"]);
            if let Some(dir) = start_dir {
                dialog = dialog.set_directory(dir);
            }
            // The receiver is gone only when the app is closing.
            sender.send(dialog.pick_file()).ok();
        });
        Self { receiver }
    }

    /// Whether the user has chosen yet.
    pub fn outcome(&self) -> DialogOutcome {
        match self.receiver.try_recv() {
            Ok(choice) => DialogOutcome::Closed(choice),
            Err(mpsc::TryRecvError::Empty) => DialogOutcome::Open,
            Err(mpsc::TryRecvError::Disconnected) => DialogOutcome::Failed,
        }
    }
}

/// Work on its own thread whose result is collected once a frame (an export). A panic in it
/// becomes an error message.
pub struct Task<T> {
    receiver: mpsc::Receiver<Result<T, String>>,
}

impl<T: Send + 'static> Task<T> {
    /// Runs `work` on a new thread; `what` names it in the message if it panics.
    pub fn spawn(what: &str, work: impl FnOnce() -> Result<T, String> + Send + 'static) -> Self {
        let (sender, receiver) = mpsc::channel();
        let what = what.to_owned();
        std::thread::spawn(move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| {
                Err(format!(
                    "{what} stopped unexpectedly: {}",
                    panic_message(panic.as_ref())
                ))
            });
            // The receiver is gone only when the app is closing.
            sender.send(result).ok();
        });
        Self { receiver }
    }

    /// The result, if the thread has finished.
    pub fn try_result(&self) -> Option<Result<T, String>> {
        match self.receiver.try_recv() {
            Ok(result) => Some(result),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => {
                Some(Err("the work ended without a result".to_owned()))
            }
        }
    }

    /// Waits up to `timeout` for the result (tests).
    pub fn wait_result(&self, timeout: Duration) -> Option<Result<T, String>> {
        match self.receiver.recv_timeout(timeout) {
            Ok(result) => Some(result),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Some(Err("the work ended without a result".to_owned()))
            }
        }
    }
}

/// Whether the desktop's file dialogs can open: on Linux they are the desktop portal,
/// reached over the session bus.
pub fn file_dialog_available() -> bool {
    !cfg!(target_os = "linux") || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
}

/// The native save-file dialog, on its own thread because it blocks.
pub fn save_dialog(start: &Path, filter: (&str, &str)) -> FileDialog {
    let (sender, receiver) = mpsc::channel();
    let folder = start.parent().map(Path::to_path_buf);
    let name = start
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    let (filter_name, extension) = (filter.0.to_owned(), filter.1.to_owned());
    std::thread::spawn(move || {
        let mut dialog = rfd::FileDialog::new()
            .set_title("Export to")
            .add_filter(filter_name, &[extension]);
        if let Some(folder) = folder {
            dialog = dialog.set_directory(folder);
        }
        if let Some(name) = name {
            dialog = dialog.set_file_name(name);
        }
        sender.send(dialog.save_file()).ok();
    });
    FileDialog { receiver }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_the_file_and_the_message() {
        let result: Result<(), LoadError> = guarded("big.json", || panic!("index out of range"));
        assert_eq!(
            result,
            Err(LoadError::Io {
                file: "big.json".to_owned(),
                message: "opening stopped unexpectedly: index out of range".to_owned(),
            })
        );
        let formatted: Result<(), LoadError> = guarded("x.json", || panic!("event {}", 7));
        assert!(
            formatted
                .unwrap_err()
                .to_string()
                .ends_with("stopped unexpectedly: event 7")
        );
    }

    #[test]
    fn work_that_does_not_panic_passes_its_result_through() {
        assert_eq!(guarded("a.json", || Ok(3)), Ok(3));
        let cancelled = LoadError::Cancelled {
            file: "a.json".to_owned(),
        };
        assert_eq!(
            guarded::<()>("a.json", || Err(cancelled.clone())),
            Err(cancelled)
        );
    }

    #[test]
    fn a_task_passes_its_result_on_and_a_panic_becomes_a_message() {
        let task = Task::spawn("exporting", || Ok(7));
        assert_eq!(task.wait_result(Duration::from_secs(30)), Some(Ok(7)));
        let task: Task<()> = Task::spawn("exporting", || panic!("writer bug"));
        assert_eq!(
            task.wait_result(Duration::from_secs(30)),
            Some(Err("exporting stopped unexpectedly: writer bug".to_owned()))
        );
    }

    #[test]
    fn a_panic_while_preparing_the_map_or_the_timeline_becomes_an_error() {
        let in_second: Result<(), LoadError> = guarded("big.json", || {
            let (_map, _timeline): (u32, u32) =
                on_two_threads(|| 1, || panic!("timeline lanes bug"));
            Ok(())
        });
        let error = in_second.unwrap_err().to_string();
        assert!(error.starts_with("big.json"), "{error}");
        assert!(
            error.ends_with("opening stopped unexpectedly: timeline lanes bug"),
            "{error}"
        );
        let in_first: Result<(), LoadError> = guarded("big.json", || {
            let (_map, _timeline): (u32, u32) = on_two_threads(|| panic!("map anchors bug"), || 2);
            Ok(())
        });
        let error = in_first.unwrap_err().to_string();
        assert!(
            error.ends_with("stopped unexpectedly: map anchors bug"),
            "{error}"
        );
        assert_eq!(on_two_threads(|| 1, || 2), (1, 2));
    }

    #[test]
    fn a_panicking_loader_thread_reports_its_panic() {
        let loading = Loading::spawn(
            |_, _, _| panic!("reader bug"),
            Path::new("any.json"),
            ImportOptions::default(),
            Arc::new(Basemap::default()),
        );
        let result = loading.wait_result(Duration::from_secs(30));
        let Some(Err(error)) = result else {
            panic!("the thread should end with an error within 30 s");
        };
        assert!(
            error
                .to_string()
                .ends_with("stopped unexpectedly: reader bug"),
            "{error}"
        );
    }
}
