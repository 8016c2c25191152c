//! Reading datasets from files. Knows nothing of egui.

mod diagnostic;
mod fast;
mod json;

pub use diagnostic::{Diagnostic, LoadError, Severity};
pub use json::{Loaded, parse_dataset, parse_dataset_with_progress};

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Shared between a loading thread and the UI: how far it got, and a request to stop.
#[derive(Debug, Default)]
pub struct LoadProgress {
    /// Thousandths of the work done.
    permille: AtomicU32,
    cancel: AtomicBool,
}

impl LoadProgress {
    /// Fraction done, 0 to 1.
    pub fn fraction(&self) -> f32 {
        self.permille.load(Ordering::Relaxed) as f32 / 1000.0
    }

    pub fn set_fraction(&self, fraction: f64) {
        self.permille.store(
            (fraction.clamp(0.0, 1.0) * 1000.0) as u32,
            Ordering::Relaxed,
        );
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Files up to this size are read whole and kept in memory for the events' details; larger
/// ones are streamed, and details are read again from the file when an event is shown.
pub const STREAM_ABOVE_BYTES: u64 = 32 << 20;

/// Reads and validates a dataset file, reporting progress and stopping early when cancelled.
pub fn load_path_with_progress(path: &Path, progress: &LoadProgress) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    let io_error = |source: std::io::Error| {
        if progress.is_cancelled() {
            LoadError::Cancelled { file: file.clone() }
        } else {
            LoadError::Io {
                file: file.clone(),
                message: io_message(&source),
            }
        }
    };
    let handle = std::fs::File::open(path).map_err(io_error)?;
    let metadata = handle.metadata().map_err(io_error)?;
    if metadata.is_dir() {
        return Err(LoadError::Io {
            file,
            message: "this is a folder, not a file".to_owned(),
        });
    }
    if metadata.len() <= STREAM_ABOVE_BYTES {
        drop(handle);
        let bytes = read_whole(path, progress, 0.3).map_err(io_error)?;
        return parse_dataset_with_progress(&bytes, &file, progress);
    }
    let before = fast::FileDetails::of(path.to_path_buf()).map_err(io_error)?;
    // The stream checks for a cancel between blocks.
    match fast::stream_clean(handle, metadata.len(), &file, progress) {
        Ok(Some((mut dataset, pending))) => {
            // Details are read again by byte range: the file must not change under the ranges.
            if !before.unchanged() {
                return Err(LoadError::Io {
                    file,
                    message: "the file changed while it was being read; open it again when it is complete".to_owned(),
                });
            }
            let warnings = if pending.is_empty() {
                Vec::new()
            } else {
                // Warnings are placed by line and column: count them in the file once more.
                let reader = std::fs::File::open(path).map_err(io_error)?;
                fast::place_warnings(reader, pending).map_err(io_error)?
            };
            dataset.details = Some(std::sync::Arc::new(before));
            progress.set_fraction(1.0);
            return Ok(Loaded { dataset, warnings });
        }
        Ok(None) => {}
        Err(error) => return Err(io_error(error)),
    }
    if progress.is_cancelled() {
        return Err(LoadError::Cancelled { file });
    }
    // Not clean: the positional reader needs the whole text to say where each problem is.
    progress.set_fraction(0.0);
    let bytes = read_whole(path, progress, 0.3).map_err(io_error)?;
    json::parse_positional_bytes(&bytes, &file, progress)
}

/// Reads a whole file, reporting progress up to `share` and stopping when cancelled.
fn read_whole(path: &Path, progress: &LoadProgress, share: f64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut handle = std::fs::File::open(path)?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(size as usize);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        if progress.is_cancelled() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "cancelled",
            ));
        }
        let read = handle.read(&mut chunk)?;
        if read == 0 {
            return Ok(bytes);
        }
        bytes.extend_from_slice(chunk.get(..read).unwrap_or_default());
        progress.set_fraction(share * bytes.len() as f64 / size.max(1) as f64);
    }
}

use std::path::Path;

/// Reads and validates a dataset file.
pub fn load_path(path: &Path) -> Result<Loaded, LoadError> {
    load_path_with_progress(path, &LoadProgress::default())
}

fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "this is a folder, not a file".to_owned(),
        _ => error.to_string(),
    }
}
