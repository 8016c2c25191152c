//! Reading datasets from files. Knows nothing of egui.

mod diagnostic;
mod json;

pub use diagnostic::{Diagnostic, LoadError, Severity};
pub use json::{Loaded, parse_dataset};

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
