//! The lists several windows share through one view file: the recent files and the column
//! choices. Every file opened from the desktop starts its own window (process); each writes
//! the view file when it saves, so without merging the last window to close would drop the
//! files the others opened.

use std::path::PathBuf;

use super::{ImportChoices, RecentFiles, ViewState};

/// What this window last read or wrote of the shared lists: what it knows of them, so that at
/// the next save an entry on disk it never saw is known to come from another window, and one
/// it saw and dropped (cleared, forgotten) stays dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KnownLists {
    pub recent_files: RecentFiles,
    pub import_choices: ImportChoices,
}

impl KnownLists {
    pub fn of(view: &ViewState) -> Self {
        Self {
            recent_files: view.recent_files.clone(),
            import_choices: view.import_choices.clone(),
        }
    }
}

/// Merges into `view` the entries other windows saved to `on_disk` since this window last
/// knew the file: first what this window added, then theirs, then the rest of this window's.
pub fn merge_other_windows(view: &mut ViewState, known: &KnownLists, on_disk: &ViewState) {
    view.recent_files = RecentFiles::from_paths(merged(
        view.recent_files.entries(),
        known.recent_files.entries(),
        on_disk.recent_files.entries(),
        |path| path,
        RecentFiles::MAX,
    ));
    view.import_choices = ImportChoices::from_entries(merged(
        view.import_choices.entries(),
        known.import_choices.entries(),
        on_disk.import_choices.entries(),
        |(path, _)| path,
        ImportChoices::MAX,
    ));
}

/// `ours` with the entries of `on_disk` that this window did not know (another window's): the
/// entries new here first, then the others', then ours known before; each key once; `max` at most.
fn merged<T: Clone>(
    ours: &[T],
    known: &[T],
    on_disk: &[T],
    key: impl Fn(&T) -> &PathBuf,
    max: usize,
) -> Vec<T> {
    let is_known = |entry: &T| known.iter().any(|k| key(k) == key(entry));
    let is_ours = |entry: &T| ours.iter().any(|o| key(o) == key(entry));
    let new_here = ours.iter().filter(|entry| !is_known(entry));
    let from_others = on_disk
        .iter()
        .filter(|entry| !is_known(entry) && !is_ours(entry));
    let known_here = ours.iter().filter(|entry| is_known(entry));
    let mut result: Vec<T> = Vec::new();
    for entry in new_here.chain(from_others).chain(known_here) {
        if !result.iter().any(|kept| key(kept) == key(entry)) {
            result.push(entry.clone());
        }
    }
    result.truncate(max);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names
            .iter()
            .map(|name| PathBuf::from(format!("/d/{name}")))
            .collect()
    }

    fn merge(ours: &[&str], known: &[&str], on_disk: &[&str]) -> Vec<PathBuf> {
        merged(&paths(ours), &paths(known), &paths(on_disk), |p| p, 10)
    }

    #[test]
    fn files_another_window_opened_are_kept_after_ours() {
        // Both windows started with [p, q]; this one opened x, the other y and saved first.
        assert_eq!(
            merge(&["x", "p", "q"], &["p", "q"], &["y", "p", "q"]),
            paths(&["x", "y", "p", "q"])
        );
    }

    #[test]
    fn what_this_window_cleared_stays_cleared_but_not_what_others_added_since() {
        assert_eq!(merge(&[], &["p", "q"], &["y", "p", "q"]), paths(&["y"]));
        assert_eq!(merge(&[], &["p", "q"], &["p", "q"]), paths(&[]));
    }

    #[test]
    fn without_other_windows_the_list_is_ours() {
        assert_eq!(
            merge(&["q", "p"], &["p", "q"], &["p", "q"]),
            paths(&["q", "p"])
        );
        let long: Vec<String> = (0..15).map(|i| i.to_string()).collect();
        let long: Vec<&str> = long.iter().map(String::as_str).collect();
        assert_eq!(merge(&long, &[], &["y"]).len(), 10);
    }
}
