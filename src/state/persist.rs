//! The view state's own file, `view.json`: written atomically (a temporary file beside it,
//! flushed, renamed over it), so that a crash or a full disk never leaves it half-written; a
//! file that cannot be read is set aside (renamed, never deleted) and the defaults are used, with
//! a message, never a crash. eframe's `app.ron` (window geometry, egui's memory) is checked the
//! same way before eframe reads it, since eframe drops a broken one silently and overwrites it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::ViewState;
use crate::io::export::{WriteError, write_atomically};
use crate::model::calendar::civil_from_days;

/// The view state's file, in the settings folder.
pub const VIEW_FILE: &str = "view.json";

/// eframe's own file, in the same folder.
pub const EFRAME_FILE: &str = "app.ron";

/// Names the settings folder instead of the platform's (tests, portable setups).
pub const CONFIG_DIR_VARIABLE: &str = "EVENT_ATLAS_CONFIG_DIR";

/// The settings folder: `$EVENT_ATLAS_CONFIG_DIR` if set, else `default` (eframe's folder for
/// the app, e.g. `~/.local/share/event-atlas`).
pub fn settings_folder(default: Option<PathBuf>) -> Option<PathBuf> {
    std::env::var_os(CONFIG_DIR_VARIABLE)
        .filter(|folder| !folder.is_empty())
        .map(PathBuf::from)
        .or(default)
}

/// What was found in the view file at start.
#[derive(Debug)]
pub enum RestoredView {
    /// Read whole.
    Read(Box<ViewState>),
    /// No file yet (a first run, or a version that kept the view in eframe's file).
    Missing,
    /// It could not be read: it was set aside (or not, the message says) and the defaults are
    /// used. The message is for the user.
    SetAside(String),
}

/// The view state in `folder`'s [`VIEW_FILE`] as another window may have saved it since this one
/// started, or `None` (missing, being replaced, unreadable: it is left as it is).
pub fn read_view(folder: &Path) -> Option<ViewState> {
    let text = std::fs::read(folder.join(VIEW_FILE)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Reads the view state from `folder`'s [`VIEW_FILE`]; one that cannot be read is set aside.
pub fn restore_view(folder: &Path) -> RestoredView {
    let path = folder.join(VIEW_FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        // Nothing there (its folder may not even be a folder): nothing to set aside.
        Err(_) if path.symlink_metadata().is_err() => return RestoredView::Missing,
        Err(error) => {
            let why = format!("{VIEW_FILE}: {error}");
            return RestoredView::SetAside(set_aside_message("Your saved view", &path, &why));
        }
    };
    match serde_json::from_slice::<ViewState>(&text) {
        Ok(view) => RestoredView::Read(Box::new(view)),
        Err(error) => {
            let why = json_error(VIEW_FILE, &error);
            RestoredView::SetAside(set_aside_message("Your saved view", &path, &why))
        }
    }
}

/// "view.json: line 3 column 7: expected `,` or `}`" (serde_json puts the position last).
fn json_error(name: &str, error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let what = text.strip_suffix(&position).unwrap_or(&text);
    format!(
        "{name}: line {} column {}: {what}",
        error.line(),
        error.column()
    )
}

/// Sets the file at `path` aside and says so: "Your saved view could not be read (why); it was
/// set aside as NAME; defaults are used."
fn set_aside_message(what: &str, path: &Path, why: &str) -> String {
    match set_aside(path) {
        Ok(aside) => {
            let name = aside
                .file_name()
                .map_or_else(|| aside.display().to_string(), |n| n.display().to_string());
            format!(
                "{what} could not be read ({why}); it was set aside as {name} in {}; defaults are used.",
                aside
                    .parent()
                    .map_or(String::new(), |p| p.display().to_string())
            )
        }
        Err(error) => format!(
            "{what} could not be read ({why}); it could not be set aside either ({error}); defaults are used."
        ),
    }
}

/// Renames `path` to `NAME.corrupt-YYYYMMDD-HHMMSS` (UTC) beside it, with `-2`, `-3`… if that
/// name is taken. Returns the new path.
pub fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    let name = path
        .file_name()
        .map_or_else(|| "settings".into(), |name| name.to_string_lossy());
    let stamp = utc_stamp(SystemTime::now());
    let base = format!("{name}.corrupt-{stamp}");
    let mut aside = path.with_file_name(&base);
    let mut number = 2;
    while aside.exists() {
        aside = path.with_file_name(format!("{base}-{number}"));
        number += 1;
    }
    std::fs::rename(path, &aside)?;
    Ok(aside)
}

/// `YYYYMMDD-HHMMSS` in UTC.
fn utc_stamp(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| i64::try_from(since.as_secs()).unwrap_or(0));
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    let (hour, minute, second) = (of_day / 3600, of_day % 3600 / 60, of_day % 60);
    format!("{year:04}{month:02}{day:02}-{hour:02}{minute:02}{second:02}")
}

/// Writes `view` to `folder`'s [`VIEW_FILE`] atomically (the folder is made if missing). On
/// failure the file that was there stays whole.
pub fn save_view(folder: &Path, view: &ViewState) -> Result<(), WriteError> {
    let text = serde_json::to_vec_pretty(view).map_err(|error| WriteError::Failed {
        file: VIEW_FILE.to_owned(),
        message: error.to_string(),
    })?;
    save_view_text(folder, &text)
}

/// Writes the view file's text atomically (see [`save_view`]).
pub fn save_view_text(folder: &Path, text: &[u8]) -> Result<(), WriteError> {
    save_view_with(folder, |out| {
        out.write_all(text).map_err(|error| error.to_string())
    })
}

/// Writes the view file with `write`, atomically: if `write` fails (tests make it fail half-way),
/// the file that was there stays whole and no temporary file is left.
pub fn save_view_with(
    folder: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), String>,
) -> Result<(), WriteError> {
    std::fs::create_dir_all(folder).map_err(|error| WriteError::Failed {
        file: folder.display().to_string(),
        message: error.to_string(),
    })?;
    write_atomically(&folder.join(VIEW_FILE), None, true, write)
}

/// Checks eframe's [`EFRAME_FILE`] in `folder` as eframe reads it (a RON map of strings); one
/// that does not parse is set aside. Returns the message for the user, if it was.
pub fn check_eframe_file(folder: &Path) -> Option<String> {
    let path = folder.join(EFRAME_FILE);
    // A missing file is a first run; one that cannot be opened, eframe skips too.
    let text = std::fs::read(&path).ok()?;
    let error = ron::de::from_bytes::<HashMap<String, String>>(&text).err()?;
    let why = format!("{EFRAME_FILE}: {error}");
    Some(set_aside_message("The saved window layout", &path, &why))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_is_the_utc_date_and_time() {
        let time = UNIX_EPOCH + std::time::Duration::from_secs(1_711_065_600 + 3_723);
        assert_eq!(utc_stamp(time), "20240322-010203");
    }

    #[test]
    fn a_json_error_puts_its_position_first() {
        let error = serde_json::from_str::<ViewState>("{\n  \"show_details\": 3\n}").unwrap_err();
        assert_eq!(
            json_error("view.json", &error),
            "view.json: line 2 column 19: invalid type: integer `3`, expected a boolean"
        );
    }
}
