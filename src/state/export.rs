//! What File ▸ Export writes: the events (in which format, which of them) or a picture (of
//! which part of the window), and where. Plain data: the dialog (`ui::export`) shows it, the
//! app changes it through `ExportCommand`s, and the last choices are remembered.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::io::export::{ExportFormat, suggested_path};
use crate::model::{Dataset, EventIndex, EventSet, EventStatus};

/// A part of the window, for a picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PicturePart {
    Map,
    Timeline,
    Window,
}

impl PicturePart {
    pub const ALL: [PicturePart; 3] =
        [PicturePart::Map, PicturePart::Timeline, PicturePart::Window];

    pub fn label(self) -> &'static str {
        match self {
            PicturePart::Map => "Picture of the map (PNG)",
            PicturePart::Timeline => "Picture of the timeline (PNG)",
            PicturePart::Window => "Picture of the whole window (PNG)",
        }
    }

    /// The name a picture file gets (`…-map.png`).
    fn suffix(self) -> &'static str {
        match self {
            PicturePart::Map => "map",
            PicturePart::Timeline => "timeline",
            PicturePart::Window => "window",
        }
    }
}

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExportTarget {
    Events(ExportFormat),
    Picture(PicturePart),
}

impl Default for ExportTarget {
    fn default() -> Self {
        ExportTarget::Events(ExportFormat::Csv)
    }
}

impl ExportTarget {
    /// Every choice, in the dialog's order.
    pub fn all() -> impl Iterator<Item = ExportTarget> {
        ExportFormat::ALL
            .into_iter()
            .map(ExportTarget::Events)
            .chain(PicturePart::ALL.into_iter().map(ExportTarget::Picture))
    }

    pub fn label(self) -> String {
        match self {
            ExportTarget::Events(format) => format!("Events as {}", format.name()),
            ExportTarget::Picture(part) => part.label().to_owned(),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportTarget::Events(format) => format.extension(),
            ExportTarget::Picture(_) => "png",
        }
    }
}

/// Which events an export writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExportScope {
    /// The events in the time window (drawn in full on the map and the timeline), and those
    /// without a date.
    #[default]
    TimeWindow,
    /// Every event up to the playhead (on the map, the older ones faded).
    UpToPlayhead,
    /// Every event of the dataset.
    All,
}

impl ExportScope {
    pub const ALL: [ExportScope; 3] = [
        ExportScope::TimeWindow,
        ExportScope::UpToPlayhead,
        ExportScope::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ExportScope::TimeWindow => "In the time window",
            ExportScope::UpToPlayhead => "Up to the playhead",
            ExportScope::All => "All events",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            ExportScope::TimeWindow => {
                "The events drawn in full now: those that overlap the time window ending at the playhead (and those without a date)"
            }
            ExportScope::UpToPlayhead => {
                "Every event that has begun by the playhead, older ones included (drawn faded on the map)"
            }
            ExportScope::All => "Every event of the dataset, whatever the playhead",
        }
    }

    /// The events this scope takes at `playhead` with a window of `window` seconds.
    /// The events of `dataset` among `matches` (the filter's) in this scope.
    pub fn events(
        self,
        dataset: &Dataset,
        matches: &EventSet,
        playhead: i64,
        window: i64,
    ) -> Vec<EventIndex> {
        let keep = |status: EventStatus| match self {
            ExportScope::TimeWindow => status == EventStatus::Current,
            ExportScope::UpToPlayhead => status != EventStatus::Future,
            ExportScope::All => true,
        };
        dataset
            .events
            .iter()
            .enumerate()
            .filter(|(index, event)| {
                matches.contains(*index) && keep(event.status(playhead, window))
            })
            .map(|(index, _)| index)
            .collect()
    }
}

/// The choices remembered between exports (and runs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportChoices {
    pub target: ExportTarget,
    pub scope: ExportScope,
    /// The folder of the last export.
    pub folder: Option<PathBuf>,
}

/// The export dialog's state.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportDialog {
    pub target: ExportTarget,
    pub scope: ExportScope,
    /// The file to write, as typed or chosen.
    pub path: String,
    /// Replace the file at `path` if it exists (asked when it does).
    pub replace: bool,
    /// How many events each scope takes, counted when the dialog opened.
    pub counts: [usize; 3],
    /// The dataset's title, for file names.
    stem: String,
}

impl ExportDialog {
    /// A dialog with the remembered choices; the file is suggested in the remembered folder,
    /// else beside the opened file, else in `fallback`.
    pub fn new(
        choices: &ExportChoices,
        beside: Option<&Path>,
        fallback: &Path,
        stem: &str,
        counts: [usize; 3],
    ) -> Self {
        let folder = choices
            .folder
            .clone()
            .filter(|folder| folder.is_dir())
            .or_else(|| beside.map(Path::to_path_buf))
            .unwrap_or_else(|| fallback.to_path_buf());
        let mut dialog = Self {
            target: choices.target,
            scope: choices.scope,
            path: String::new(),
            replace: false,
            counts,
            stem: stem.to_owned(),
        };
        dialog.path = dialog.suggested_in(&folder).display().to_string();
        dialog
    }

    /// A file name for the current target in `folder`, naming no existing file.
    fn suggested_in(&self, folder: &Path) -> PathBuf {
        match self.target {
            ExportTarget::Events(format) => {
                suggested_path(folder, &self.stem, "export", format.extension())
            }
            ExportTarget::Picture(part) => suggested_path(folder, &self.stem, part.suffix(), "png"),
        }
    }

    /// Chooses what to write; the file name follows unless it was typed with another extension.
    pub fn set_target(&mut self, target: ExportTarget) {
        let previous = self.target;
        self.target = target;
        let path = PathBuf::from(&self.path);
        let had_previous_extension = path
            .extension()
            .is_none_or(|e| e.eq_ignore_ascii_case(previous.extension()));
        if had_previous_extension {
            let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
            self.path = self.suggested_in(&folder).display().to_string();
            self.replace = false;
        }
    }

    pub fn count(&self, scope: ExportScope) -> usize {
        let slot = ExportScope::ALL.iter().position(|s| *s == scope);
        slot.and_then(|slot| self.counts.get(slot))
            .copied()
            .unwrap_or_default()
    }

    /// What is wrong with the chosen file, if anything (shown under it; Export is disabled).
    pub fn problem(&self) -> Option<String> {
        let path = Path::new(self.path.trim());
        if self.path.trim().is_empty() {
            return Some("Choose a file to write.".to_owned());
        }
        let extension_ok = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(self.target.extension()));
        if !extension_ok {
            return Some(format!(
                "The file name must end in .{} for {}.",
                self.target.extension(),
                self.target.label()
            ));
        }
        match path.parent() {
            Some(folder) if !folder.as_os_str().is_empty() && !folder.is_dir() => {
                Some(format!("The folder {} does not exist.", folder.display()))
            }
            _ => None,
        }
    }

    /// Whether the chosen file exists (the dialog then asks whether to replace it).
    pub fn exists(&self) -> bool {
        Path::new(self.path.trim()).exists()
    }

    /// The choices to remember after an export.
    pub fn choices(&self) -> ExportChoices {
        ExportChoices {
            target: self.target,
            scope: self.scope,
            folder: Path::new(self.path.trim())
                .parent()
                .filter(|folder| !folder.as_os_str().is_empty())
                .map(Path::to_path_buf),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialog(folder: &Path) -> ExportDialog {
        ExportDialog::new(
            &ExportChoices::default(),
            Some(folder),
            Path::new("/"),
            "Crocus",
            [3, 10, 14],
        )
    }

    #[test]
    fn the_file_name_follows_the_format_until_the_user_types_another() {
        let folder = std::env::temp_dir();
        let mut dialog = dialog(&folder);
        assert_eq!(
            PathBuf::from(&dialog.path),
            folder.join("Crocus-export.csv")
        );
        dialog.set_target(ExportTarget::Events(ExportFormat::GeoJson));
        assert!(
            dialog.path.ends_with("Crocus-export.geojson"),
            "{}",
            dialog.path
        );
        dialog.set_target(ExportTarget::Picture(PicturePart::Map));
        assert!(dialog.path.ends_with("Crocus-map.png"), "{}", dialog.path);
        dialog.path = folder.join("mine.txt").display().to_string();
        dialog.set_target(ExportTarget::Events(ExportFormat::Kml));
        assert!(dialog.path.ends_with("mine.txt"));
        assert_eq!(
            dialog.problem().as_deref(),
            Some("The file name must end in .kml for Events as KML.")
        );
    }

    #[test]
    fn counts_and_missing_folders_are_told() {
        let mut dialog = dialog(&std::env::temp_dir());
        assert_eq!(dialog.count(ExportScope::UpToPlayhead), 10);
        assert_eq!(dialog.problem(), None);
        dialog.path = "/no-such-folder-atlas/x.csv".to_owned();
        assert_eq!(
            dialog.problem().as_deref(),
            Some("The folder /no-such-folder-atlas does not exist.")
        );
    }

    #[test]
    fn scopes_take_the_window_the_past_or_everything() {
        let dataset = crate::builtin::crocus_dataset().unwrap().dataset;
        let playhead = crate::model::When::parse("2024-03-12")
            .unwrap()
            .provisional_span()
            .end
            - 1;
        let week = 7 * 86_400;
        let every = EventSet::all(dataset.events.len());
        let window = ExportScope::TimeWindow.events(&dataset, &every, playhead, week);
        let past = ExportScope::UpToPlayhead.events(&dataset, &every, playhead, week);
        let all = ExportScope::All.events(&dataset, &every, playhead, week);
        assert_eq!(all.len(), dataset.events.len());
        // The filter's matches only.
        let odd = EventSet::from_indices(all.len(), (0..all.len()).filter(|i| i % 2 == 1));
        let filtered = ExportScope::All.events(&dataset, &odd, playhead, week);
        assert_eq!(
            filtered,
            (0..all.len()).filter(|i| i % 2 == 1).collect::<Vec<_>>()
        );
        assert!(!window.is_empty() && window.len() < past.len() && past.len() < all.len());
        let kaluga = dataset
            .events
            .iter()
            .position(|e| e.when_text() == "2024-03-07");
        assert!(window.contains(&kaluga.unwrap()));
    }
}
