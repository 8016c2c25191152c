//! The columns (or sheet) chosen for files whose columns were not recognised, remembered so
//! that reloading the file, or opening it again from File ▸ Open recent, does not ask again.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::io::ImportOptions;

/// Choices by file (full path), the latest first, at most [`ImportChoices::MAX`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImportChoices(Vec<(PathBuf, ImportOptions)>);

impl ImportChoices {
    /// How many files' choices are remembered (as many as File ▸ Open recent lists, and more).
    pub const MAX: usize = 20;

    /// Remembers `options` for `path` (forgets it when `options` chooses nothing).
    pub fn remember(&mut self, path: &Path, options: &ImportOptions) {
        let path = full_path(path);
        self.0.retain(|(known, _)| *known != path);
        if !options.is_empty() {
            self.0.insert(0, (path, options.clone()));
            self.0.truncate(Self::MAX);
        }
    }

    /// The choices as saved (by file, the latest first).
    pub fn entries(&self) -> &[(PathBuf, ImportOptions)] {
        &self.0
    }

    /// Choices as given (the latest first): each file once, empty choices left out, at most
    /// [`ImportChoices::MAX`].
    pub fn from_entries(entries: Vec<(PathBuf, ImportOptions)>) -> Self {
        let mut unique: Vec<(PathBuf, ImportOptions)> = Vec::with_capacity(entries.len());
        for (path, options) in entries {
            if !options.is_empty() && !unique.iter().any(|(known, _)| *known == path) {
                unique.push((path, options));
            }
        }
        unique.truncate(Self::MAX);
        Self(unique)
    }

    /// What was chosen for `path`, or nothing.
    pub fn for_path(&self, path: &Path) -> ImportOptions {
        let path = full_path(path);
        self.0
            .iter()
            .find(|(known, _)| *known == path)
            .map(|(_, options)| options.clone())
            .unwrap_or_default()
    }
}

/// The file's full path when it exists (so a relative path on the command line is found again).
fn full_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_found_by_file_and_forgotten_when_empty() {
        let mut choices = ImportChoices::default();
        let chosen = ImportOptions {
            time: Some("Wann".into()),
            ..ImportOptions::default()
        };
        choices.remember(Path::new("/nowhere/a.csv"), &chosen);
        assert_eq!(choices.for_path(Path::new("/nowhere/a.csv")), chosen);
        assert!(choices.for_path(Path::new("/nowhere/b.csv")).is_empty());
        for i in 0..30 {
            choices.remember(Path::new(&format!("/nowhere/{i}.csv")), &chosen);
        }
        assert_eq!(choices.0.len(), ImportChoices::MAX);
        choices.remember(Path::new("/nowhere/29.csv"), &ImportOptions::default());
        assert!(choices.for_path(Path::new("/nowhere/29.csv")).is_empty());
        let saved = serde_json::to_string(&choices).unwrap();
        assert_eq!(
            serde_json::from_str::<ImportChoices>(&saved).unwrap(),
            choices
        );
    }
}
