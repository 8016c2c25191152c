//! The files opened before, for File ▸ Open recent.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Files opened before, the latest first, each once, at most [`RecentFiles::MAX`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecentFiles(Vec<PathBuf>);

impl RecentFiles {
    /// How many files are remembered.
    pub const MAX: usize = 10;

    /// Puts a file that was just opened first. Only files on disk are remembered (a dropped
    /// file without a path has only a name), by their full path so that a file opened from the
    /// command line with a relative path is found again from anywhere.
    pub fn add(&mut self, path: &Path) {
        if !path.is_file() {
            return;
        }
        // Canonicalising can fail only if the file went away since the check: keep it as given.
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.0.retain(|known| *known != path);
        self.0.insert(0, path);
        self.0.truncate(Self::MAX);
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The list as saved (each file once, the latest first).
    pub fn entries(&self) -> &[PathBuf] {
        &self.0
    }

    /// A list of files as given (the latest first), each once, at most [`RecentFiles::MAX`].
    pub fn from_paths(paths: Vec<PathBuf>) -> Self {
        let mut unique: Vec<PathBuf> = Vec::with_capacity(paths.len());
        for path in paths {
            if !unique.contains(&path) {
                unique.push(path);
            }
        }
        unique.truncate(Self::MAX);
        Self(unique)
    }

    /// The files, the latest first.
    pub fn iter(&self) -> impl Iterator<Item = &Path> {
        self.0.iter().map(PathBuf::as_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_comes_first_each_file_once_and_ten_at_most() {
        let dir = std::env::temp_dir().join(format!("event-atlas-recent-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let files: Vec<PathBuf> = (0..12)
            .map(|i| {
                let path = dir.join(format!("{i}.json"));
                std::fs::write(&path, "{}").unwrap();
                std::fs::canonicalize(path).unwrap()
            })
            .collect();
        let mut recent = RecentFiles::default();
        recent.add(&files[0]);
        recent.add(&files[1]);
        recent.add(&files[0]);
        assert_eq!(recent.iter().collect::<Vec<_>>(), [&files[0], &files[1]]);
        for file in &files {
            recent.add(file);
        }
        assert_eq!(recent.iter().count(), RecentFiles::MAX);
        assert_eq!(recent.iter().next(), Some(files[11].as_path()));
        // A name without a file (a drop that carried only bytes) is not remembered.
        recent.add(&dir.join("missing.json"));
        assert_eq!(recent.iter().next(), Some(files[11].as_path()));
        std::fs::remove_dir_all(&dir).unwrap();
        // Saved as a plain list of paths.
        let saved = serde_json::to_string(&recent).unwrap();
        assert!(saved.starts_with('['), "{saved}");
        let back: RecentFiles = serde_json::from_str(&saved).unwrap();
        assert_eq!(back, recent);
        recent.clear();
        assert!(recent.is_empty());
    }
}
