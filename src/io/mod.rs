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

/// Reads and validates a dataset file, reporting progress (reading is the first 30 %) and
/// stopping early when cancelled.
pub fn load_path_with_progress(path: &Path, progress: &LoadProgress) -> Result<Loaded, LoadError> {
    use std::io::Read;
    let file = path.display().to_string();
    let io_error = |source: std::io::Error| LoadError::Io {
        file: file.clone(),
        message: io_message(&source),
    };
    let mut handle = std::fs::File::open(path).map_err(io_error)?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(size as usize);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        if progress.is_cancelled() {
            return Err(LoadError::Cancelled { file });
        }
        let read = handle.read(&mut chunk).map_err(io_error)?;
        if read == 0 {
            break;
        }
        bytes.extend_from_slice(chunk.get(..read).unwrap_or_default());
        progress.set_fraction(0.3 * bytes.len() as f64 / size.max(1) as f64);
    }
    parse_dataset_with_progress(&bytes, &file, progress)
}

use std::path::Path;

/// Reads and validates a dataset file.
pub fn load_path(path: &Path) -> Result<Loaded, LoadError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        message: io_message(&source),
    })?;
    parse_dataset(&bytes, &file)
}

fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "this is a folder, not a file".to_owned(),
        _ => error.to_string(),
    }
}
