//! Reading an event's details again on demand: from the file's bytes kept in memory
//! ([`MemoryDetails`]) or from the file on disk ([`FileDetails`]), by the byte range the
//! streaming reader noted. Event Atlas JSON records are decoded here (a record with a remark,
//! an unknown field…, as the positional reader reads it); other formats pass their own decoder
//! to `read_with` (GeoJSON features: `geojson.rs`).

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use super::json;
use super::records::{EventRecord, LayoutRecord, WhereRecord, details_of};
use crate::model::{DetailLayout, DetailReader, DetailRef, EventDetails, Place};

/// What a reader says when the bytes at an event's range are no longer that event.
const MOVED: &str = "the event's details are no longer where they were in the file";

/// Decodes the details of event `id` from its byte range (checking it is still that event).
fn decode_details(bytes: &[u8], id: &str, places: &[Place]) -> Result<EventDetails, String> {
    match serde_json::from_slice::<EventRecord<'_>>(bytes) {
        Ok(record) if record.id == id => Ok(details_of(record, places)),
        // An event with a remark (an unknown field…) is read as the positional reader reads it.
        Err(_) => std::str::from_utf8(bytes)
            .ok()
            .and_then(|text| json::details_of_one_event(text, id, places))
            .ok_or_else(|| MOVED.to_owned()),
        Ok(_) => Err(MOVED.to_owned()),
    }
}

/// Where the records of an imported file are kept: the bytes in memory (small files), or the
/// file on disk (large ones). Each format decodes its own records.
#[derive(Debug)]
pub(super) enum RecordBytes {
    Memory(MemoryDetails),
    File(FileDetails),
}

impl RecordBytes {
    /// The same records with the file read into memory (`None`: they are in memory already).
    pub(super) fn in_memory(&self) -> Result<Option<RecordBytes>, String> {
        match self {
            RecordBytes::Memory(_) => Ok(None),
            RecordBytes::File(file) => file.whole().map(|bytes| Some(RecordBytes::Memory(bytes))),
        }
    }

    /// Decodes the record at `at` with `decode`.
    pub(super) fn read_with(
        &self,
        at: DetailRef,
        decode: impl FnOnce(&[u8]) -> Result<EventDetails, String>,
    ) -> Result<EventDetails, String> {
        match self {
            RecordBytes::Memory(memory) => memory.read_with(at, decode),
            RecordBytes::File(file) => file.read_with(at, decode),
        }
    }
}

/// Details decoded from the file's bytes, kept in memory (small files, the built-in dataset).
#[derive(Debug)]
pub struct MemoryDetails(Arc<Vec<u8>>);

impl MemoryDetails {
    /// The bytes of a file (a `Vec` is kept as it is, without a copy).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(Arc::new(bytes.into()))
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// Decodes the record at `at` with `decode`.
    pub(super) fn read_with(
        &self,
        at: DetailRef,
        decode: impl FnOnce(&[u8]) -> Result<EventDetails, String>,
    ) -> Result<EventDetails, String> {
        let start = usize::try_from(at.offset).map_err(|e| e.to_string())?;
        let bytes = self
            .0
            .get(start..start.saturating_add(at.len as usize))
            .ok_or("the event's details are out of range")?;
        decode(bytes)
    }
}

impl DetailReader for MemoryDetails {
    fn read(&self, at: DetailRef, id: &str, places: &[Place]) -> Result<EventDetails, String> {
        self.read_with(at, |bytes| decode_details(bytes, id, places))
    }

    fn layout(&self, at: DetailRef, id: &str, places: &[Place]) -> Result<DetailLayout, String> {
        let start = usize::try_from(at.offset).map_err(|e| e.to_string())?;
        let bytes = self.0.get(start..start.saturating_add(at.len as usize));
        let record = bytes.and_then(|bytes| serde_json::from_slice::<LayoutRecord<'_>>(bytes).ok());
        match record {
            // A named place is referred to by its id, whatever its name.
            Some(record) if record.id == id => Ok(DetailLayout {
                sources: record.sources.map_or(0, |sources| sources.len()),
                place_id: match record.place {
                    Some(WhereRecord::Place(place)) => Some(place.into_owned()),
                    _ => None,
                },
                field_names: record
                    .fields
                    .map(|fields| {
                        fields
                            .0
                            .into_iter()
                            .map(|(name, _)| name.into_owned())
                            .collect()
                    })
                    .unwrap_or_default(),
            }),
            // Anything unusual is read the usual way.
            _ => self
                .read(at, id, places)
                .map(|details| DetailLayout::of(&details)),
        }
    }
}

/// Details read again from the file on demand (large files, which are not kept in memory).
#[derive(Debug)]
pub struct FileDetails {
    pub path: PathBuf,
    /// Length and modification time when loaded: a changed file no longer matches the ranges.
    pub len: u64,
    pub modified: Option<SystemTime>,
    /// The last few events read (the selected one and the one under the pointer are asked for
    /// every frame): only the file's length and time are checked again for them.
    recent: std::sync::Mutex<Vec<(DetailRef, EventDetails)>>,
}

/// How many decoded events [`FileDetails`] keeps.
const RECENT_DETAILS: usize = 4;

impl FileDetails {
    /// Details of the file at `path`, as it is now.
    pub fn of(path: PathBuf) -> std::io::Result<Self> {
        let metadata = std::fs::metadata(&path)?;
        Ok(Self {
            path,
            len: metadata.len(),
            modified: metadata.modified().ok(),
            recent: std::sync::Mutex::default(),
        })
    }

    /// Whether the file is still the one that was loaded.
    pub fn unchanged(&self) -> bool {
        std::fs::metadata(&self.path)
            .is_ok_and(|now| now.len() == self.len && now.modified().ok() == self.modified)
    }

    fn recent(&self, at: DetailRef) -> Option<EventDetails> {
        let recent = self.recent.lock().ok()?;
        recent
            .iter()
            .find(|(cached, _)| *cached == at)
            .map(|(_, details)| details.clone())
    }

    fn remember(&self, at: DetailRef, details: &EventDetails) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.retain(|(cached, _)| *cached != at);
            recent.insert(0, (at, details.clone()));
            recent.truncate(RECENT_DETAILS);
        }
    }
}

impl FileDetails {
    /// The whole file, read once, if it is still the one that was loaded.
    pub(super) fn whole(&self) -> Result<MemoryDetails, String> {
        let name = self.path.display();
        if !self.unchanged() {
            return Err(format!(
                "{name} changed on disk after it was opened; reload it (Ctrl+R) first"
            ));
        }
        let len = usize::try_from(self.len).map_err(|error| format!("{name}: {error}"))?;
        let mut bytes = vec![0; len];
        // Two threads, each reading half: copying a big file out of the page cache (and
        // faulting in fresh memory for it) is most of the time.
        let (first, second) = bytes.split_at_mut(len / 2);
        let read_part = |part: &mut [u8], at: u64| -> std::io::Result<()> {
            use std::io::{Seek, SeekFrom};
            let mut file = std::fs::File::open(&self.path)?;
            file.seek(SeekFrom::Start(at))?;
            file.read_exact(part)
        };
        let (a, b) = std::thread::scope(|scope| {
            let later = scope.spawn(|| read_part(second, (len / 2) as u64));
            let a = read_part(first, 0);
            let b = later
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("reading stopped unexpectedly")));
            (a, b)
        });
        a.and(b).map_err(|error| format!("{name}: {error}"))?;
        if !self.unchanged() {
            return Err(format!("{name} changed on disk while it was read"));
        }
        Ok(MemoryDetails::new(bytes))
    }

    /// Reads the bytes at `at` again and decodes them with `decode` (each format its own way),
    /// with the same checks that the file is unchanged and the same cache of recent events.
    pub(super) fn read_with(
        &self,
        at: DetailRef,
        decode: impl FnOnce(&[u8]) -> Result<EventDetails, String>,
    ) -> Result<EventDetails, String> {
        use std::io::{Seek, SeekFrom};
        let name = self.path.display();
        let changed = || {
            format!(
                "{name} changed on disk after it was opened; reload it (Ctrl+R) to read this event's details"
            )
        };
        if !self.unchanged() {
            return Err(changed());
        }
        if let Some(details) = self.recent(at) {
            return Ok(details);
        }
        let mut bytes = vec![0; at.len as usize];
        std::fs::File::open(&self.path)
            .and_then(|mut file| {
                file.seek(SeekFrom::Start(at.offset))?;
                file.read_exact(&mut bytes)
            })
            .map_err(|error| format!("{name}: {error}"))?;
        // Rewritten within the same second, with the same length: the content tells.
        let details = decode(&bytes).map_err(|_| changed())?;
        self.remember(at, &details);
        Ok(details)
    }
}

impl DetailReader for FileDetails {
    fn read(&self, at: DetailRef, id: &str, places: &[Place]) -> Result<EventDetails, String> {
        self.read_with(at, |bytes| decode_details(bytes, id, places))
    }

    fn in_memory(&self) -> Result<Option<Arc<dyn DetailReader>>, String> {
        let memory: Arc<dyn DetailReader> = Arc::new(self.whole()?);
        Ok(Some(memory))
    }
}
