//! The fast path for clean files: one streaming, typed, borrowing pass with serde.
//!
//! The file is read in blocks and never held whole. Of each event it keeps what every frame
//! needs (id, title, date, place, category, links) and the byte range of the event in the file;
//! the rest (sources, actors, summary) is decoded again from that range when the event is shown
//! ([`MemoryDetails`], [`FileDetails`]).
//!
//! It accepts only files that the positional reader (`json.rs`) would load without a single
//! error or warning, and builds the same dataset. On anything else it returns `None` and the
//! positional reader runs to report every problem with its line and column.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use super::LoadProgress;
use super::diagnostic::{Diagnostic, Severity};
use super::json::{
    Bounds, PendingLink, assemble, details_leniently, event_leniently, palette_color, parse_color,
    time_order,
};
use crate::model::{
    Category, Dataset, DetailReader, DetailRef, Event, EventDetails, Location, LonLat, Place,
    RegionCode, Source, When, index::TimeIndex,
};

type Text<'a> = Cow<'a, str>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRecord<'a> {
    #[serde(borrow)]
    title: Text<'a>,
    #[serde(borrow, default)]
    url: Option<Text<'a>>,
    #[serde(borrow, default)]
    publisher: Option<Text<'a>>,
    #[serde(borrow, default)]
    date: Option<Text<'a>>,
    #[serde(borrow, default)]
    quote: Option<Text<'a>>,
    #[serde(borrow, default)]
    note: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryRecord<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow, default)]
    label: Option<Text<'a>>,
    #[serde(borrow, default)]
    color: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceRecord<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    name: Text<'a>,
    lat: f64,
    lon: f64,
    #[serde(borrow, default)]
    region: Option<Text<'a>>,
    #[serde(borrow, default)]
    note: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkRecord<'a> {
    #[serde(borrow)]
    to: Text<'a>,
    #[serde(borrow, default)]
    kind: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventRecord<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    title: Text<'a>,
    #[serde(borrow)]
    when: Text<'a>,
    #[serde(rename = "where", borrow, default)]
    place: Option<WhereRecord<'a>>,
    #[serde(borrow, default)]
    category: Option<Text<'a>>,
    #[serde(borrow, default)]
    actors: Option<Vec<Text<'a>>>,
    #[serde(borrow, default)]
    summary: Option<Text<'a>>,
    #[serde(borrow, default)]
    sources: Option<Vec<SourceRecord<'a>>>,
    #[serde(borrow, default)]
    links: Option<Vec<LinkRecord<'a>>>,
    #[serde(borrow, default)]
    date_note: Option<Text<'a>>,
}

/// `where`: a place id, or an object with `lat`/`lon`/`name`/`region`.
enum WhereRecord<'a> {
    Place(Text<'a>),
    Object {
        lat: Option<f64>,
        lon: Option<f64>,
        name: Option<Text<'a>>,
        region: Option<Text<'a>>,
    },
}

impl<'de: 'a, 'a> Deserialize<'de> for WhereRecord<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WhereVisitor;
        impl<'de> Visitor<'de> for WhereVisitor {
            type Value = WhereRecord<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a place id or a {lat, lon} / {region} object")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(WhereRecord::Place(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(WhereRecord::Place(Cow::Owned(v.to_owned())))
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let (mut lat, mut lon, mut name, mut region) = (None, None, None, None);
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "lat" => lat = map.next_value::<Option<f64>>()?,
                        "lon" => lon = map.next_value::<Option<f64>>()?,
                        "name" => name = map.next_value::<Option<Cow<'de, str>>>()?,
                        "region" => region = map.next_value::<Option<Cow<'de, str>>>()?,
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["lat", "lon", "name", "region"],
                            ));
                        }
                    }
                }
                Ok(WhereRecord::Object {
                    lat,
                    lon,
                    name,
                    region,
                })
            }
        }
        deserializer.deserialize_any(WhereVisitor)
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_owned())
}

fn owned(text: Option<Text<'_>>) -> Option<String> {
    text.map(Cow::into_owned)
}

/// Whether the positional reader would take this source without a remark.
fn source_is_clean(record: &SourceRecord<'_>) -> bool {
    !record.title.trim().is_empty()
        // Anything but https is a warning in the positional reader.
        && record.url.as_ref().is_none_or(|url| url.starts_with("https://"))
        && record.date.as_ref().is_none_or(|date| When::parse(date).is_ok())
}

fn source(record: SourceRecord<'_>) -> Source {
    Source {
        title: record.title.into_owned(),
        url: owned(record.url),
        publisher: owned(record.publisher),
        date: owned(record.date),
        quote: owned(record.quote),
        note: owned(record.note),
    }
}

fn id_hash(id: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(id)
}

/// The parts of a (clean) event record shown only on demand.
fn details_of(record: EventRecord<'_>, places: &[Place]) -> EventDetails {
    let (place_name, place_id) = match record.place {
        Some(WhereRecord::Place(id)) => match places.iter().find(|p| p.id == id) {
            Some(place) => (Some(place.name.clone()), Some(place.id.clone())),
            None => (None, Some(id.into_owned())),
        },
        Some(WhereRecord::Object { name, .. }) => (owned(name), None),
        None => (None, None),
    };
    EventDetails {
        place_name,
        place_id,
        actors: record
            .actors
            .unwrap_or_default()
            .into_iter()
            .map(Cow::into_owned)
            .collect(),
        summary: owned(record.summary),
        sources: record
            .sources
            .unwrap_or_default()
            .into_iter()
            .map(source)
            .collect(),
        date_note: owned(record.date_note),
    }
}

/// Decodes the details of event `id` from its byte range (checking it is still that event).
fn decode_details(bytes: &[u8], id: &str, places: &[Place]) -> Result<EventDetails, String> {
    match serde_json::from_slice::<EventRecord<'_>>(bytes) {
        Ok(record) if record.id == id => Ok(details_of(record, places)),
        // An event with a remark (an unknown field…) is read as the positional reader reads it.
        Err(_) => std::str::from_utf8(bytes)
            .ok()
            .and_then(|text| details_leniently(text, id, places))
            .ok_or_else(|| {
                "the event's details are no longer where they were in the file".to_owned()
            }),
        Ok(_) => Err("the event's details are no longer where they were in the file".to_owned()),
    }
}

/// Details decoded from the file's bytes, kept in memory (small files, the built-in dataset).
#[derive(Debug)]
pub struct MemoryDetails(pub Arc<[u8]>);

impl DetailReader for MemoryDetails {
    fn read(&self, at: DetailRef, id: &str, places: &[Place]) -> Result<EventDetails, String> {
        let start = usize::try_from(at.offset).map_err(|e| e.to_string())?;
        let bytes = self
            .0
            .get(start..start + at.len as usize)
            .ok_or("the event's details are out of range")?;
        decode_details(bytes, id, places)
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

impl DetailReader for FileDetails {
    fn read(&self, at: DetailRef, id: &str, places: &[Place]) -> Result<EventDetails, String> {
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
        // Rewritten within the same second, with the same length: the id tells.
        let details = decode_details(&bytes, id, places).map_err(|_| changed())?;
        self.remember(at, &details);
        Ok(details)
    }
}

/// Bytes read at once; a value longer than this grows the window.
const BLOCK: usize = 8 << 20;

/// Why the streaming pass stopped.
enum Stop {
    Io(std::io::Error),
    /// Something the positional reader would remark on (or a cancel): leave the file to it.
    Unclean,
}

impl From<std::io::Error> for Stop {
    fn from(error: std::io::Error) -> Self {
        Stop::Io(error)
    }
}

/// The outcome of parsing one value at the start of the window.
enum Attempt<T> {
    /// The value, and how many bytes it took.
    Done(T, usize),
    /// The value runs past the window.
    NeedMore,
    Unclean,
}

/// Parses one JSON value at the start of `slice`, borrowing from it.
fn attempt<'a, T: Deserialize<'a>>(slice: &'a [u8]) -> Result<(T, usize), Attempt<()>> {
    let mut stream = serde_json::Deserializer::from_slice(slice).into_iter::<T>();
    match stream.next() {
        Some(Ok(value)) => Ok((value, stream.byte_offset())),
        Some(Err(error)) if error.is_eof() => Err(Attempt::NeedMore),
        Some(Err(_)) => Err(Attempt::Unclean),
        None => Err(Attempt::NeedMore),
    }
}

/// A sliding window over a byte stream.
struct Window<R> {
    reader: R,
    buf: Vec<u8>,
    /// `buf[start..end]` is read and not yet consumed.
    start: usize,
    end: usize,
    /// Offset in the stream of `buf[0]`.
    base: u64,
    eof: bool,
}

impl<R: Read> Window<R> {
    fn new(reader: R, block: usize) -> Self {
        Self {
            reader,
            buf: vec![0; block.max(1)],
            start: 0,
            end: 0,
            base: 0,
            eof: false,
        }
    }

    /// Offset in the stream of the first unconsumed byte.
    fn offset(&self) -> u64 {
        self.base + self.start as u64
    }

    fn unconsumed(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or_default()
    }

    /// Reads more of the stream; `false` at its end.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.base += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            let free = self.buf.get_mut(self.end..).unwrap_or_default();
            match self.reader.read(free) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(read) => {
                    self.end += read;
                    return Ok(true);
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }

    /// The next byte that is not JSON whitespace (not consumed); `None` at the end.
    fn peek(&mut self) -> Result<Option<u8>, Stop> {
        loop {
            let skipped = self
                .unconsumed()
                .iter()
                .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'));
            match skipped {
                Some(at) => {
                    self.start += at;
                    return Ok(self.unconsumed().first().copied());
                }
                None => {
                    self.start = self.end;
                    if !self.fill()? {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// Consumes `byte`, after whitespace.
    fn expect(&mut self, byte: u8) -> Result<(), Stop> {
        if self.peek()? == Some(byte) {
            self.start += 1;
            Ok(())
        } else {
            Err(Stop::Unclean)
        }
    }

    /// Runs `parse` on the unconsumed bytes (from their stream offset), reading more until the
    /// value it parses is whole; consumes what it took.
    fn value<T>(&mut self, mut parse: impl FnMut(&[u8], u64) -> Attempt<T>) -> Result<T, Stop> {
        self.peek()?;
        loop {
            match parse(self.unconsumed(), self.offset()) {
                Attempt::Done(value, used) => {
                    self.start += used;
                    return Ok(value);
                }
                Attempt::NeedMore => {
                    if !self.fill()? {
                        return Err(Stop::Unclean);
                    }
                }
                Attempt::Unclean => return Err(Stop::Unclean),
            }
        }
    }
}

/// Parses the next value as `$record` and converts it to an owned value with `$convert`
/// (`None`: leave the file to the positional reader).
macro_rules! parse_owned {
    ($window:expr, $record:ty, |$arg:pat_param| $convert:expr) => {
        $window.value(|slice, _| match attempt::<$record>(slice) {
            Ok(($arg, used)) => match $convert {
                Some(value) => Attempt::Done(value, used),
                None => Attempt::Unclean,
            },
            Err(Attempt::NeedMore) => Attempt::NeedMore,
            Err(_) => Attempt::Unclean,
        })
    };
}

/// The top-level fields other than `events`.
#[derive(Default)]
struct Header {
    title: Option<String>,
    description: Option<String>,
    sources: Vec<Source>,
    categories: Vec<Category>,
    declared_categories: bool,
    places: Vec<Place>,
}

/// What converting an event needs to know: the places and the categories known so far.
struct Known<'k> {
    places: &'k [Place],
    place_index: &'k HashMap<String, usize>,
    category_index: &'k HashMap<String, usize>,
    declared_categories: bool,
}

/// Events converted from one run of consecutive records (on one thread).
#[derive(Default)]
struct Part {
    events: Vec<Event>,
    id_hashes: Vec<u64>,
    /// Events whose category was not known when converted: `(index in the part, name)`.
    new_categories: Vec<(u32, String)>,
    /// `(index in the part, target id, kind)`.
    links: Vec<(u32, String, String)>,
    bounds: Bounds,
    /// Records the positional reader would remark on: `(index in the part, where it is)`. A
    /// blank event holds their place until they are read again, one by one, when merging.
    remarked: Vec<(u32, DetailRef)>,
}

impl Part {
    /// Holds the place of a record that the positional reader must read.
    fn add_remarked(&mut self, details: DetailRef) {
        self.remarked.push((self.events.len() as u32, details));
        self.events.push(Event::default());
        self.id_hashes.push(0);
    }

    /// Converts one clean record; `None` (changing nothing) if the positional reader would
    /// remark on it.
    fn add(
        &mut self,
        record: EventRecord<'_>,
        details: DetailRef,
        known: &Known<'_>,
    ) -> Option<()> {
        if record.id.trim().is_empty()
            || record.title.trim().is_empty()
            || record.when.trim().is_empty()
        {
            return None;
        }
        let when = When::parse(&record.when).ok()?;
        let location = match &record.place {
            None => Location::Unknown,
            Some(WhereRecord::Place(place)) => {
                let place = known.places.get(*known.place_index.get(place.as_ref())?)?;
                Location::Point {
                    at: place.at,
                    region: place.region,
                }
            }
            Some(WhereRecord::Object {
                lat, lon, region, ..
            }) => {
                let region = match region {
                    Some(code) => Some(RegionCode::new(code)?),
                    None => None,
                };
                match (*lat, *lon, region) {
                    (Some(lat), Some(lon), region) if LonLat::new(lon, lat).is_valid() => {
                        Location::Point {
                            at: LonLat::new(lon, lat),
                            region,
                        }
                    }
                    (None, None, Some(code)) => Location::Region(code),
                    _ => return None,
                }
            }
        };
        let here = u32::try_from(self.events.len()).ok()?;
        let (category, new_category) = match &record.category {
            None => (None, None),
            Some(name) => match known.category_index.get(name.as_ref()) {
                Some(&position) => (Some(position), None),
                None if known.declared_categories => return None,
                None => (None, Some(name.as_ref())),
            },
        };
        if !record.sources.iter().flatten().all(source_is_clean)
            || !record
                .links
                .iter()
                .flatten()
                .all(|l| !l.to.trim().is_empty())
        {
            return None;
        }
        // Clean: from here on, nothing can fail.
        if let Some(name) = new_category {
            self.new_categories.push((here, name.to_owned()));
        }
        for link in record.links.iter().flatten() {
            let kind = link.kind.as_deref().unwrap_or("related").to_owned();
            self.links.push((here, link.to.clone().into_owned(), kind));
        }
        self.bounds.include(&when);
        let mut event = Event::new(&record.id, &record.title, &record.when, &when);
        event.location = location;
        event.category = category;
        event.details = details;
        self.events.push(event);
        self.id_hashes.push(id_hash(&record.id));
        Some(())
    }
}

/// How a run of records ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RunEnd {
    /// At `]`: the events are all read.
    ArrayEnd,
    /// At the end of the bytes, after a whole record.
    AfterRecord,
    /// At a record cut by the end of the bytes (or nothing after a `,`).
    Cut,
}

/// Converts the records at the start of `bytes` (which begins at a record, at `offset` in the
/// stream) until the array ends or the bytes do. Returns the bytes consumed (up to the `]`, or
/// up to the start of the cut record) and how it ended; `None` when the file is not clean.
fn convert_run(
    bytes: &[u8],
    offset: u64,
    known: &Known<'_>,
    part: &mut Part,
) -> Option<(usize, RunEnd)> {
    let mut at = 0;
    loop {
        let Some(gap) = bytes
            .get(at..)?
            .iter()
            .position(|b| !b.is_ascii_whitespace())
        else {
            // Nothing yet after the comma (or at all): the next record is still to come.
            return Some((at, RunEnd::Cut));
        };
        let start = at + gap;
        let rest = bytes.get(start..)?;
        if rest.first() != Some(&b'{') {
            return None;
        }
        let (record, used) = match attempt::<EventRecord<'_>>(rest) {
            Ok((record, used)) => (Some(record), used),
            Err(Attempt::NeedMore) => return Some((at, RunEnd::Cut)),
            // Not clean (an unknown field, a wrong type…): find where it ends, if it is JSON.
            Err(_) => match attempt::<de::IgnoredAny>(rest) {
                Ok((_, used)) => (None, used),
                Err(Attempt::NeedMore) => return Some((at, RunEnd::Cut)),
                Err(_) => return None,
            },
        };
        let details = DetailRef {
            offset: offset + start as u64,
            len: u32::try_from(used).ok()?,
        };
        let added = record.and_then(|record| part.add(record, details, known));
        if added.is_none() {
            part.add_remarked(details);
        }
        let after = start + used;
        let Some(gap) = bytes
            .get(after..)?
            .iter()
            .position(|b| !b.is_ascii_whitespace())
        else {
            return Some((after, RunEnd::AfterRecord));
        };
        match bytes.get(after + gap) {
            Some(b',') => at = after + gap + 1,
            Some(b']') => return Some((after + gap, RunEnd::ArrayEnd)),
            _ => return None,
        }
    }
}

/// A place in the middle of `bytes` that looks like the boundary `}`, `,`, `{` between two
/// records: the position just after the `,`. It may lie inside a string; the caller checks.
fn split_point(bytes: &[u8]) -> Option<usize> {
    let middle = bytes.len() / 2;
    let mut at = middle;
    while let Some(offset) = bytes.get(at..)?.iter().position(|&b| b == b'}') {
        let close = at + offset;
        let mut next = close + 1;
        while bytes.get(next).is_some_and(u8::is_ascii_whitespace) {
            next += 1;
        }
        if bytes.get(next) == Some(&b',') {
            let comma = next;
            next += 1;
            while bytes.get(next).is_some_and(u8::is_ascii_whitespace) {
                next += 1;
            }
            if bytes.get(next) == Some(&b'{') {
                return Some(comma + 1);
            }
        }
        at = close + 1;
    }
    None
}

/// Below this many bytes in the window, records are converted on one thread.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Converts the records in `bytes` on two threads when there are many: the second starts
/// at a likely boundary, and its work is kept only if the first ends exactly there.
fn convert_window(
    bytes: &[u8],
    offset: u64,
    known: &Known<'_>,
) -> Option<(Vec<Part>, usize, RunEnd)> {
    let split = (bytes.len() >= PARALLEL_FROM_BYTES)
        .then(|| split_point(bytes))
        .flatten();
    let Some(split) = split else {
        let mut part = Part::default();
        let (used, end) = convert_run(bytes, offset, known, &mut part)?;
        return Some((vec![part], used, end));
    };
    let (first, second) = bytes.split_at(split);
    let (first_run, second_run) = std::thread::scope(|scope| {
        let second_thread = scope.spawn(|| {
            let mut part = Part::default();
            let run = convert_run(second, offset + split as u64, known, &mut part);
            (part, run)
        });
        let mut part = Part::default();
        // The first run ends at the comma it was cut before: drop it, keep the `}` and spaces.
        let first_bytes = first.get(..split - 1).unwrap_or_default();
        let run = convert_run(first_bytes, offset, known, &mut part);
        ((part, run), second_thread.join().ok().unwrap_or_default())
    });
    let (first_part, first_run) = first_run;
    let (used, end) = first_run?;
    match end {
        RunEnd::AfterRecord => {}
        RunEnd::ArrayEnd => return Some((vec![first_part], used, end)),
        // The guess was inside a string: go on from what is certain, on this thread.
        RunEnd::Cut => {
            let mut part = first_part;
            let (more, end) =
                convert_run(bytes.get(used..)?, offset + used as u64, known, &mut part)?;
            return Some((vec![part], used + more, end));
        }
    }
    let (second_part, second_run) = second_run;
    let (second_used, second_end) = second_run?;
    Some((
        vec![first_part, second_part],
        split + second_used,
        second_end,
    ))
}

/// Gathers the parts, in file order: ids, categories first seen, links.
struct Builder {
    places: Vec<Place>,
    place_index: HashMap<String, usize>,
    categories: Vec<Category>,
    category_index: HashMap<String, usize>,
    declared_categories: bool,
    /// `(hash of the id, position in the file)` of each event; checked for repeats at the end.
    ids: Vec<(u64, u32)>,
    /// Length of the stream, for estimating the number of events.
    total: u64,
    events: Vec<Event>,
    /// Links as `(position of the event in the file, target id, kind)`.
    links: Vec<(u32, String, String)>,
    bounds: Bounds,
    /// Names the file in messages.
    file: String,
    /// Warnings about remarked records, with the offset of the record they are relative to.
    warnings: Vec<(u64, Diagnostic)>,
}

impl Builder {
    fn known(&self) -> Known<'_> {
        Known {
            places: &self.places,
            place_index: &self.place_index,
            category_index: &self.category_index,
            declared_categories: self.declared_categories,
        }
    }

    /// Adds a part's events after those already gathered. `window` (at `window_offset` in the
    /// stream) holds the bytes of the part's remarked records.
    fn merge(
        &mut self,
        mut part: Part,
        consumed: u64,
        window: &[u8],
        window_offset: u64,
    ) -> Option<()> {
        if self.events.is_empty() && !part.events.is_empty() {
            // Room for the rest, estimated from the first events' size: growing a vector of a
            // million events by doubling would copy it (and fault in fresh pages) many times.
            let per_event = (consumed / part.events.len() as u64).max(1);
            let estimate = self.total / per_event * 21 / 20;
            self.events.reserve(estimate as usize);
            self.ids.reserve(estimate as usize);
        }
        let base = u32::try_from(self.events.len()).ok()?;
        // New categories and remarked records in file order: categories are numbered as first
        // seen, whichever reader sees them.
        let mut new_categories = std::mem::take(&mut part.new_categories)
            .into_iter()
            .peekable();
        let mut remarked = std::mem::take(&mut part.remarked).into_iter().peekable();
        loop {
            let next_category = new_categories.peek().map(|&(here, _)| here);
            let next_remarked = remarked.peek().map(|&(here, _)| here);
            match (next_category, next_remarked) {
                (None, None) => break,
                (Some(category), remarked_at) if remarked_at.is_none_or(|r| category < r) => {
                    let (here, name) = new_categories.next()?;
                    let position = self.category_position(name)?;
                    part.events.get_mut(here as usize)?.category = Some(position);
                }
                _ => {
                    let (here, details) = remarked.next()?;
                    let start = usize::try_from(details.offset.checked_sub(window_offset)?).ok()?;
                    let bytes = window.get(start..start + details.len as usize)?;
                    self.read_remarked(&mut part, base, here, details, bytes)?;
                }
            }
        }
        self.ids.extend(
            part.id_hashes
                .iter()
                .enumerate()
                .map(|(offset, &hash)| (hash, base + offset as u32)),
        );
        self.links.extend(
            part.links
                .into_iter()
                .map(|(here, to, kind)| (base + here, to, kind)),
        );
        self.bounds.merge(part.bounds);
        self.events.append(&mut part.events);
        Some(())
    }

    /// The position of a category, created (in the next palette colour) when first seen.
    fn category_position(&mut self, name: String) -> Option<usize> {
        if let Some(&position) = self.category_index.get(&name) {
            return Some(position);
        }
        let color = palette_color(self.categories.len());
        self.categories.push(Category {
            id: name.clone(),
            label: name.clone(),
            color,
        });
        self.category_index.insert(name, self.categories.len() - 1);
        Some(self.categories.len() - 1)
    }

    /// Reads a record the fast path would not take with the positional reader: with warnings
    /// only, it joins the dataset; with an error, `None` leaves the whole file to the positional
    /// reader (which reports every error).
    fn read_remarked(
        &mut self,
        part: &mut Part,
        base: u32,
        here: u32,
        details: DetailRef,
        bytes: &[u8],
    ) -> Option<()> {
        let text = std::str::from_utf8(bytes).ok()?;
        let known = self.categories.len();
        let read = event_leniently(
            text,
            &self.file,
            (base + here) as usize,
            &self.places,
            &mut self.categories,
            self.declared_categories,
        )?;
        if read
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            return None;
        }
        for (position, category) in self.categories.iter().enumerate().skip(known) {
            self.category_index.insert(category.id.clone(), position);
        }
        let (mut event, _) = read.event?;
        if let Some(when) = event.when() {
            part.bounds.include(&when);
        }
        event.details = details;
        *part.id_hashes.get_mut(here as usize)? = id_hash(event.id());
        *part.events.get_mut(here as usize)? = event;
        part.links
            .extend(read.links.into_iter().map(|(to, kind)| (here, to, kind)));
        self.warnings
            .extend(read.diagnostics.into_iter().map(|d| (details.offset, d)));
        Some(())
    }
}

/// Diagnostics from reading one record on its own have positions relative to the record's
/// first byte: this places them in the file (whose bytes `reader` gives again).
pub fn place_warnings<R: Read>(
    mut reader: R,
    mut pending: Vec<(u64, Diagnostic)>,
) -> std::io::Result<Vec<Diagnostic>> {
    pending.sort_by_key(|(offset, _)| *offset);
    let mut placed = Vec::with_capacity(pending.len());
    let mut block = vec![0u8; 1 << 20];
    // Line and character column of the byte at `offset` in the stream.
    let (mut offset, mut line, mut column) = (0u64, 1usize, 1usize);
    let mut filled = 0..0;
    for (target, mut diagnostic) in pending {
        while offset < target {
            if filled.is_empty() {
                let read = reader.read(&mut block)?;
                if read == 0 {
                    break;
                }
                filled = 0..read;
            }
            let take = filled.len().min((target - offset) as usize);
            let chunk = block
                .get(filled.start..filled.start + take)
                .unwrap_or_default();
            for &byte in chunk {
                if byte == b'\n' {
                    line += 1;
                    column = 1;
                } else if byte & 0xC0 != 0x80 {
                    column += 1;
                }
            }
            filled.start += take;
            offset += take as u64;
        }
        if let Some(relative_line) = diagnostic.line {
            if relative_line == 1 {
                diagnostic.column = diagnostic.column.map(|c| column + c - 1);
            }
            diagnostic.line = Some(line + relative_line - 1);
        }
        placed.push(diagnostic);
    }
    placed.sort_by_key(|d| (d.line, d.column));
    Ok(placed)
}

/// A dataset read in one streaming pass, with the warnings about single events (positioned
/// relative to the byte offset of their event; see [`place_warnings`]).
pub type Streamed = (Dataset, Vec<(u64, Diagnostic)>);

/// Loads a file in one streaming pass, or returns `Ok(None)` (see the module docs). Events the
/// positional reader would only warn about are read with it, one by one; anything else leaves
/// the whole file to it. Events' detail ranges are offsets in the stream; `total` (its length,
/// if known) scales the progress; `file` names it in messages.
pub fn stream_clean<R: Read>(
    reader: R,
    total: u64,
    file: &str,
    progress: &LoadProgress,
) -> std::io::Result<Option<Streamed>> {
    stream_with_block(reader, total, file, progress, BLOCK)
}

fn stream_with_block<R: Read>(
    reader: R,
    total: u64,
    file: &str,
    progress: &LoadProgress,
    block: usize,
) -> std::io::Result<Option<Streamed>> {
    let mut window = Window::new(reader, block);
    match read_stream(&mut window, total, file, progress) {
        Ok(dataset) => Ok(Some(dataset)),
        Err(Stop::Unclean) => Ok(None),
        Err(Stop::Io(error)) => Err(error),
    }
}

fn read_stream<R: Read>(
    window: &mut Window<R>,
    total: u64,
    file: &str,
    progress: &LoadProgress,
) -> Result<Streamed, Stop> {
    window.fill()?;
    if window.unconsumed().starts_with("\u{feff}".as_bytes()) {
        window.start += 3;
    }
    window.expect(b'{')?;
    let mut header = Header::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut events = None;
    if window.peek()? == Some(b'}') {
        return Err(Stop::Unclean); // no events
    }
    loop {
        let key: String = parse_owned!(window, Text<'_>, |key| Some(key.into_owned()))?;
        window.expect(b':')?;
        if !seen.insert(key.clone()) {
            return Err(Stop::Unclean); // a repeated key
        }
        // Events refer to categories and places: those must come first to be streamed.
        let after_events = events.is_some();
        match key.as_str() {
            "format" => {
                let format = parse_owned!(window, Option<Text<'_>>, |f| Some(owned(f)))?;
                if format.is_some_and(|f| f != "event-atlas/1") {
                    return Err(Stop::Unclean);
                }
            }
            "$schema" => parse_owned!(window, Option<Text<'_>>, |_| Some(()))?,
            "title" => {
                header.title = Some(parse_owned!(window, Text<'_>, |t| non_empty(&t))?);
            }
            "description" => {
                header.description = parse_owned!(window, Option<Text<'_>>, |d| Some(owned(d)))?
            }
            "sources" => {
                header.sources = parse_owned!(window, Option<Vec<SourceRecord<'_>>>, |records| {
                    let records = records.unwrap_or_default();
                    records
                        .iter()
                        .all(source_is_clean)
                        .then(|| records.into_iter().map(source).collect())
                })?;
            }
            "categories" if !after_events => {
                // `null` counts as absent: categories are then made up as events name them.
                let declared = parse_owned!(window, Option<Vec<CategoryRecord<'_>>>, |records| {
                    match records {
                        Some(records) => categories(records).map(Some),
                        None => Some(None),
                    }
                })?;
                header.declared_categories = declared.is_some();
                header.categories = declared.unwrap_or_default();
            }
            "places" if !after_events => {
                header.places = parse_owned!(window, Option<Vec<PlaceRecord<'_>>>, |records| {
                    places(records.unwrap_or_default())
                })?;
            }
            "events" => events = Some(read_events(window, &header, total, file, progress)?),
            _ => return Err(Stop::Unclean),
        }
        match window.peek()? {
            Some(b',') => window.start += 1,
            Some(b'}') => {
                window.start += 1;
                break;
            }
            _ => return Err(Stop::Unclean),
        }
    }
    if window.peek()?.is_some() {
        return Err(Stop::Unclean); // something after the object
    }
    let Some(builder) = events else {
        return Err(Stop::Unclean);
    };
    // A missing title is a warning: let the positional reader say so.
    let title = header.title.ok_or(Stop::Unclean)?;
    let Builder {
        categories,
        events,
        links,
        bounds,
        ids,
        warnings,
        ..
    } = builder;
    // Sorting into time order and checking the ids take about as long: one on each core.
    let (order, resolved) = std::thread::scope(|scope| {
        let resolver = scope.spawn(|| resolve_ids(ids, links, &events));
        let order = time_order(&events, bounds);
        (order, resolver.join().ok().flatten())
    });
    let resolved = resolved.ok_or(Stop::Unclean)?;
    // The time index needs only the sorted spans: built while the events are moved into order.
    let ((events, links, extent), time_index) = std::thread::scope(|scope| {
        let indexer = scope.spawn(|| {
            TimeIndex::from_spans(
                order.iter().map(|&(start, _, _)| start).collect(),
                order.iter().map(|&(_, end, _)| end).collect(),
            )
        });
        let assembled = assemble(events, bounds, &order, resolved);
        let time_index = indexer.join().ok();
        (assembled, time_index)
    });
    drop(order);
    let time_index = time_index.unwrap_or_else(|| TimeIndex::new(&events));
    let dataset = Dataset {
        title,
        description: header.description,
        sources: header.sources,
        categories,
        places: header.places,
        events,
        links,
        extent,
        time_index,
        details: None,
    };
    Ok((dataset, warnings))
}

/// Checks that ids are unique and resolves links to file positions; `None` on a repeated id
/// hash (a duplicate, or a vanishingly rare collision: the positional reader tells which) or a
/// link to an unknown id.
fn resolve_ids(
    mut ids: Vec<(u64, u32)>,
    links: Vec<(u32, String, String)>,
    events: &[Event],
) -> Option<Vec<PendingLink>> {
    ids.sort_unstable();
    if ids
        .windows(2)
        .any(|pair| matches!(pair, [a, b] if a.0 == b.0))
    {
        return None;
    }
    links
        .into_iter()
        .map(|(from, to, kind)| {
            let hash = id_hash(&to);
            let found = ids.binary_search_by_key(&hash, |&(h, _)| h).ok()?;
            let position = ids.get(found)?.1;
            (events.get(position as usize)?.id() == to).then_some((from, position, kind))
        })
        .collect()
}

/// The declared categories, or `None` if the positional reader would remark on them.
fn categories(records: Vec<CategoryRecord<'_>>) -> Option<Vec<Category>> {
    let mut categories: Vec<Category> = Vec::new();
    for record in records {
        let id = non_empty(&record.id)?;
        if categories.iter().any(|c| c.id == id) {
            return None;
        }
        let color = match record.color {
            Some(text) => parse_color(&text)?,
            None => palette_color(categories.len()),
        };
        let label = owned(record.label).unwrap_or_else(|| id.clone());
        categories.push(Category { id, label, color });
    }
    Some(categories)
}

fn places(records: Vec<PlaceRecord<'_>>) -> Option<Vec<Place>> {
    let mut places: Vec<Place> = Vec::new();
    for record in records {
        let id = non_empty(&record.id)?;
        let name = non_empty(&record.name)?;
        let at = LonLat::new(record.lon, record.lat);
        if !at.is_valid() || places.iter().any(|p| p.id == id) {
            return None;
        }
        let region = match record.region {
            Some(code) => Some(RegionCode::new(&code)?),
            None => None,
        };
        places.push(Place {
            id,
            name,
            at,
            region,
            note: owned(record.note),
        });
    }
    Some(places)
}

fn read_events<R: Read>(
    window: &mut Window<R>,
    header: &Header,
    total: u64,
    file: &str,
    progress: &LoadProgress,
) -> Result<Builder, Stop> {
    let mut builder = Builder {
        places: header.places.clone(),
        place_index: header
            .places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect(),
        categories: header.categories.clone(),
        category_index: header
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect(),
        declared_categories: header.declared_categories,
        ids: Vec::new(),
        total,
        events: Vec::new(),
        links: Vec::new(),
        bounds: Bounds::default(),
        file: file.to_owned(),
        warnings: Vec::new(),
    };
    let events_start = {
        window.expect(b'[')?;
        window.offset()
    };
    if window.peek()? == Some(b']') {
        window.start += 1;
        return Ok(builder);
    }
    loop {
        if progress.is_cancelled() {
            return Err(Stop::Unclean);
        }
        progress.set_fraction(0.9 * window.offset() as f64 / total.max(1) as f64);
        if window.unconsumed().len() < PARALLEL_FROM_BYTES && !window.eof {
            window.fill()?;
        }
        let offset = window.offset();
        let (parts, used, end) =
            convert_window(window.unconsumed(), offset, &builder.known()).ok_or(Stop::Unclean)?;
        for part in parts {
            let consumed = offset + used as u64 - events_start;
            builder
                .merge(part, consumed, window.unconsumed(), offset)
                .ok_or(Stop::Unclean)?;
        }
        window.start += used;
        match end {
            RunEnd::ArrayEnd => {
                window.start += 1;
                return Ok(builder);
            }
            RunEnd::AfterRecord => {
                // The separator is still to come.
                match window.peek()? {
                    Some(b',') => window.start += 1,
                    Some(b']') => {
                        window.start += 1;
                        return Ok(builder);
                    }
                    _ => return Err(Stop::Unclean),
                }
                if window.peek()? != Some(b'{') {
                    return Err(Stop::Unclean);
                }
            }
            RunEnd::Cut => {
                if !window.fill()? {
                    return Err(Stop::Unclean);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed dataset, if the file is clean: no warning, no error.
    fn clean(bytes: &[u8], block: usize) -> Option<Dataset> {
        let progress = LoadProgress::default();
        let (mut dataset, warnings) =
            stream_with_block(bytes, bytes.len() as u64, "test.json", &progress, block).unwrap()?;
        dataset.details = Some(Arc::new(MemoryDetails(Arc::from(bytes))));
        warnings.is_empty().then_some(dataset)
    }

    fn both(text: &str) -> (Option<Dataset>, Dataset) {
        let progress = LoadProgress::default();
        let fast = clean(text.as_bytes(), BLOCK);
        let slow = super::super::json::parse_positional(text, "test.json", &progress)
            .map(|loaded| loaded.dataset)
            .unwrap_or_default();
        (fast, slow)
    }

    /// Hands out a few bytes per read, so values straddle every possible window edge.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.1 = self.1 % 7 + 1;
            let n = self.1.min(buf.len()).min(self.0.len());
            let (now, later) = self.0.split_at(n);
            buf.get_mut(..n).unwrap().copy_from_slice(now);
            self.0 = later;
            Ok(n)
        }
    }

    #[test]
    fn clean_files_load_the_same_on_both_paths() {
        let crocus = std::str::from_utf8(crate::builtin::CROCUS_JSON).unwrap();
        let (fast, slow) = both(crocus);
        assert!(!slow.events.is_empty());
        assert_eq!(fast.as_ref(), Some(&slow), "the built-in dataset");
        let mut generated = Vec::new();
        crate::generate::write_dataset(&mut generated, 3000, 9).unwrap();
        let (fast, slow) = both(std::str::from_utf8(&generated).unwrap());
        assert!(!slow.links.is_empty());
        assert_eq!(fast.as_ref(), Some(&slow), "a generated dataset");
        let with_nulls = r#"{"title": "T", "format": null, "categories": null, "events": [
            {"id": "a", "title": "A", "when": "2024", "actors": null, "links": null, "sources": null,
             "category": "x", "summary": null, "where": {"region": "RU-IN", "name": null}},
            {"id": "b", "title": "B", "when": "../2024-03-07", "links": [{"to": "a", "kind": null}]}
        ]}"#;
        let (fast, slow) = both(with_nulls);
        assert_eq!(
            fast.as_ref(),
            Some(&slow),
            "nulls count as absent on both paths"
        );
    }

    #[test]
    fn values_cut_by_the_window_edge_load_the_same() {
        let mut generated = Vec::new();
        crate::generate::write_dataset(&mut generated, 300, 4).unwrap();
        let whole = clean(&generated, BLOCK).unwrap();
        // A tiny window that must grow and slide, and a reader that trickles.
        let progress = LoadProgress::default();
        for block in [1, 5, 64, 1000] {
            let (mut small, warnings) = stream_with_block(
                Trickle(&generated, 0),
                generated.len() as u64,
                "test.json",
                &progress,
                block,
            )
            .unwrap()
            .unwrap();
            assert!(warnings.is_empty());
            small.details = Some(Arc::new(MemoryDetails(Arc::from(generated.as_slice()))));
            assert_eq!(small, whole, "window of {block} bytes");
        }
        // A byte-order mark is skipped, and ranges still point at the events.
        let mut with_bom = "\u{feff}".as_bytes().to_vec();
        with_bom.extend_from_slice(crate::builtin::CROCUS_JSON);
        let crocus = clean(crate::builtin::CROCUS_JSON, BLOCK).unwrap();
        assert_eq!(clean(&with_bom, 16), Some(crocus));
    }

    #[test]
    fn a_boundary_guessed_inside_a_string_is_caught() {
        // Every summary looks like the boundary between two records.
        let mut text = String::from(r#"{"title": "T", "events": ["#);
        for i in 0..12_000 {
            if i > 0 {
                text.push_str(",\n");
            }
            text.push_str(&format!(
                r#"{{"id": "e{i}", "title": "E", "when": "2024", "summary": "{}", "links": [{{"to": "e0"}}]}}"#,
                "}, {x".repeat(40)
            ));
        }
        text.push_str("]}");
        assert!(text.len() > 2 * PARALLEL_FROM_BYTES);
        // The guess the loader makes on its first window falls inside a summary.
        let records = &text.as_bytes()[text.find("[{").unwrap() + 1..];
        let guess = split_point(records).unwrap();
        assert!(records[guess..].trim_ascii_start().starts_with(b"{x"));
        let (fast, slow) = both(&text);
        assert_eq!(slow.events.len(), 12_000);
        assert_eq!(fast.as_ref(), Some(&slow));
        assert_eq!(split_point(br#"[{"a": 1}, {"a": 2}, {"a": 3}]"#), Some(20));
    }

    #[test]
    fn details_are_read_again_from_the_file_and_a_changed_file_says_so() {
        let path =
            std::env::temp_dir().join(format!("event-atlas-details-{}.json", std::process::id()));
        std::fs::write(&path, crate::builtin::CROCUS_JSON).unwrap();
        let progress = LoadProgress::default();
        let file = std::fs::File::open(&path).unwrap();
        let (mut dataset, _) = stream_clean(file, 0, "test.json", &progress)
            .unwrap()
            .unwrap();
        dataset.details = Some(Arc::new(FileDetails::of(path.clone()).unwrap()));
        let in_memory = clean(crate::builtin::CROCUS_JSON, BLOCK).unwrap();
        assert_eq!(dataset, in_memory);
        let crocus = dataset.find("crocus-attack").unwrap();
        let first = dataset.details(crocus).unwrap();
        assert!(!first.sources.is_empty());
        // Asked again (every frame while selected): the same, from the few kept.
        assert_eq!(dataset.details(crocus).unwrap(), first);
        assert_eq!(dataset.details(0).unwrap(), in_memory.details(0).unwrap());
        assert_eq!(dataset.details(crocus).unwrap(), first);
        // Rewritten: the byte ranges may no longer match, and the panel says so.
        let mut changed = crate::builtin::CROCUS_JSON.to_vec();
        changed.push(b'\n');
        std::fs::write(&path, &changed).unwrap();
        let problem = dataset.details(crocus).unwrap_err();
        assert!(problem.contains("changed on disk"), "{problem}");
        assert!(problem.contains("reload"), "{problem}");
        // What every frame needs is still there.
        assert_eq!(dataset.events[crocus].id(), "crocus-attack");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn events_with_warnings_stream_and_load_as_the_positional_reader_loads_them() {
        let crocus = std::str::from_utf8(crate::builtin::CROCUS_JSON).unwrap();
        let warned = [
            // An unknown field, an insecure address, a typo'd field on the last event.
            crocus.replacen("\"summary\"", "\"note\": 1, \"summary\"", 1),
            crocus.replacen("\"url\": \"https://", "\"url\": \"http://", 2),
            crocus.replacen("\"actors\"", "\"actros\": [], \"actors\"", 3),
        ];
        for text in &warned {
            let progress = LoadProgress::default();
            let streamed = super::super::json::parse_dataset(text.as_bytes(), "test.json").unwrap();
            let positional =
                super::super::json::parse_positional(text, "test.json", &progress).unwrap();
            assert!(!positional.warnings.is_empty());
            assert_eq!(
                streamed.warnings, positional.warnings,
                "{}",
                positional.warnings[0]
            );
            assert_eq!(streamed.dataset, positional.dataset);
            // The fast path really took it (no full fallback): its details are decoded again.
            assert!(clean(text.as_bytes(), BLOCK).is_none());
            let (_, pending) = stream_with_block(text.as_bytes(), 0, "test.json", &progress, 7)
                .unwrap()
                .unwrap();
            assert_eq!(pending.len(), positional.warnings.len());
        }
        // Categories first seen in a remarked event keep their place in the order.
        let text = r#"{"title": "T", "events": [
            {"id": "a", "title": "A", "when": "2024", "category": "x"},
            {"id": "b", "title": "B", "when": "2024", "category": "y", "extra": 1},
            {"id": "c", "title": "C", "when": "2024", "category": "z"},
            {"id": "d", "title": "D", "when": "2024", "category": "y"}
        ]}"#;
        let streamed = super::super::json::parse_dataset(text.as_bytes(), "test.json").unwrap();
        let positional =
            super::super::json::parse_positional(text, "test.json", &LoadProgress::default())
                .unwrap();
        assert_eq!(streamed.dataset, positional.dataset);
        assert_eq!(streamed.warnings, positional.warnings);
        let ids: Vec<&str> = streamed
            .dataset
            .categories
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["x", "y", "z"]);
    }

    #[test]
    fn damaged_big_files_load_as_the_positional_reader_loads_them() {
        // Big enough that every window is split between the two threads.
        let mut generated = Vec::new();
        crate::generate::write_dataset(&mut generated, 8000, 5).unwrap();
        assert!(generated.len() > 2 * PARALLEL_FROM_BYTES);
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut loaded, mut refused) = (0, 0);
        for round in 0..24 {
            let mut damaged = generated.clone();
            for _ in 0..=round % 3 {
                let at = (next() % damaged.len() as u64) as usize;
                damaged[at] = b"{}[],:\"\\ x1\xff"[(next() % 12) as usize];
            }
            let streamed = super::super::json::parse_dataset(&damaged, "test.json");
            let positional = match std::str::from_utf8(&damaged) {
                Ok(text) => super::super::json::parse_positional(
                    text,
                    "test.json",
                    &LoadProgress::default(),
                ),
                Err(_) => super::super::json::parse_positional_bytes(
                    &damaged,
                    "test.json",
                    &LoadProgress::default(),
                ),
            };
            match (streamed, positional) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.warnings, b.warnings, "round {round}");
                    assert_eq!(a.dataset, b.dataset, "round {round}");
                    loaded += 1;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "round {round}");
                    refused += 1;
                }
                (a, b) => panic!("round {round}: {:?} / {:?}", a.is_ok(), b.is_ok()),
            }
        }
        // Both kinds of outcome were compared.
        assert!(
            loaded > 0 && refused > 0,
            "{loaded} loaded, {refused} refused"
        );
    }

    #[test]
    fn anything_the_positional_reader_would_remark_on_is_left_to_it() {
        for text in [
            r#"{"events": []}"#,
            r#"{"title": "T", "events": [], "extra": 1}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "sumary": "x"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024-02-30"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024"}, {"id": "a", "title": "B", "when": "2024"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "links": [{"to": "b"}]}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": {"lat": 91, "lon": 0}}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": "nowhere"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "", "when": "2024"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "sources": [{"title": "S", "url": "http://x"}]}]}"#,
            r#"{"title": "T", "categories": [{"id": "c"}], "events": [{"id": "a", "title": "A", "when": "2024", "category": "d"}]}"#,
            r#"{"title": "T", "title": "U", "events": []}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": {"lat": 1}}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": {"region": "Kaluga"}}]}"#,
            // Places after the events cannot be streamed; the positional reader takes them.
            r#"{"title": "T", "events": [], "places": []}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024"}]} x"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024"}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024"},]}"#,
            r#"{"title": "T", "events": null}"#,
        ] {
            assert!(clean(text.as_bytes(), BLOCK).is_none(), "{text}");
            assert!(clean(text.as_bytes(), 3).is_none(), "{text}");
        }
    }
}
