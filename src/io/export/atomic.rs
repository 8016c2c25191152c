//! Writing a file so that it is never seen half-written: into a temporary file beside it,
//! flushed to disk, then renamed over the target. A failure leaves the target as it was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a file was not written.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WriteError {
    /// The target is the file the data was opened from.
    #[error(
        "{file}: this is the file the data was opened from; choose another name (Event Atlas never writes over the file it opened)"
    )]
    WouldOverwriteSource { file: String },
    /// The target exists and replacing it was not asked for.
    #[error("{file} already exists; choose another name, or replace it (convert: --overwrite)")]
    Exists { file: String },
    /// Writing failed (the target is unchanged).
    #[error("{file}: {message}; nothing was written")]
    Failed { file: String, message: String },
}

/// Temporary files get a number unique within the process.
static NEXT_TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// Writes the file at `path` with `write`, atomically. Refuses `protected` (the opened file,
/// compared after resolving links and `..`) and, unless `replace`, any existing file.
pub fn write_atomically<T>(
    path: &Path,
    protected: Option<&Path>,
    replace: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<T, String>,
) -> Result<T, WriteError> {
    let file = path.display().to_string();
    if protected.is_some_and(|source| same_file(path, source)) {
        return Err(WriteError::WouldOverwriteSource { file });
    }
    if !replace && path.exists() {
        return Err(WriteError::Exists { file });
    }
    let failed = |message: String| WriteError::Failed {
        file: file.clone(),
        message,
    };
    let temporary = temporary_path(path);
    let result = write_then_sync(&temporary, write).and_then(|value| {
        std::fs::rename(&temporary, path).map_err(|error| error.to_string())?;
        Ok(value)
    });
    match result {
        Ok(value) => Ok(value),
        Err(message) => {
            // Whatever was written is not wanted; it may not exist at all.
            std::fs::remove_file(&temporary).ok();
            Err(failed(message))
        }
    }
}

fn write_then_sync<T>(
    temporary: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, String>,
) -> Result<T, String> {
    let created = File::options()
        .write(true)
        .create_new(true)
        .open(temporary)
        .map_err(|error| format!("cannot create a file in that folder ({error})"))?;
    let mut out = BufWriter::with_capacity(1 << 20, created);
    let value = write(&mut out)?;
    let file = out
        .into_inner()
        .map_err(|error| error.error().to_string())?;
    file.sync_all().map_err(|error| error.to_string())?;
    Ok(value)
}

/// `.NAME.PID-N.tmp` in the target's folder (so the rename stays on one file system).
fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |name| name.to_string_lossy());
    let number = NEXT_TEMPORARY.fetch_add(1, Ordering::Relaxed);
    let temporary = format!(".{name}.{}-{number}.tmp", std::process::id());
    path.with_file_name(temporary)
}

/// Whether two paths name the same file (both resolved; a path that does not exist yet is
/// compared as written, resolved through its folder).
pub fn same_file(a: &Path, b: &Path) -> bool {
    resolved(a) == resolved(b)
}

fn resolved(path: &Path) -> PathBuf {
    if let Ok(full) = path.canonicalize() {
        return full;
    }
    match (path.parent(), path.file_name()) {
        (Some(folder), Some(name)) => {
            let folder = if folder.as_os_str().is_empty() {
                Path::new(".")
            } else {
                folder
            };
            folder
                .canonicalize()
                .map_or_else(|_| path.to_path_buf(), |full| full.join(name))
        }
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("atlas-atomic-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        folder
    }

    fn leftovers(folder: &Path) -> Vec<String> {
        std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn a_write_lands_whole_and_leaves_no_temporary_file() {
        let folder = folder("whole");
        let target = folder.join("out.csv");
        let written = write_atomically(&target, None, false, |out| {
            out.write_all(b"a,b\n").map_err(|e| e.to_string())?;
            Ok(4)
        });
        assert_eq!(written, Ok(4));
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n");
        assert!(leftovers(&folder).is_empty());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_cleans_up() {
        let folder = folder("failed");
        let target = folder.join("out.csv");
        std::fs::write(&target, "old").unwrap();
        let result: Result<(), _> = write_atomically(&target, None, true, |out| {
            out.write_all(b"half").map_err(|e| e.to_string())?;
            Err("event \"x\": its details could not be read".to_owned())
        });
        let error = result.unwrap_err().to_string();
        assert!(error.contains("out.csv: event \"x\""), "{error}");
        assert!(error.ends_with("nothing was written"), "{error}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert!(leftovers(&folder).is_empty());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn the_opened_file_and_existing_files_are_not_overwritten_unasked() {
        let folder = folder("refuse");
        let source = folder.join("data.json");
        std::fs::write(&source, "{}").unwrap();
        let through_dots = folder.join(".").join("data.json");
        let write = |out: &mut dyn Write| out.write_all(b"new").map_err(|e| e.to_string());
        let refused = write_atomically(&through_dots, Some(&source), true, write);
        assert!(matches!(
            refused,
            Err(WriteError::WouldOverwriteSource { .. })
        ));
        let other = folder.join("other.json");
        std::fs::write(&other, "keep").unwrap();
        let refused = write_atomically(&other, Some(&source), false, write);
        assert!(matches!(refused, Err(WriteError::Exists { .. })));
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep");
        assert_eq!(write_atomically(&other, Some(&source), true, write), Ok(()));
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&source).unwrap(), "{}");
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_missing_folder_is_a_clear_error() {
        let target = Path::new("/nonexistent-atlas-folder/out.csv");
        let write = |out: &mut dyn Write| out.write_all(b"x").map_err(|e| e.to_string());
        let error = write_atomically(target, None, false, write)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("cannot create a file in that folder"),
            "{error}"
        );
    }
}
