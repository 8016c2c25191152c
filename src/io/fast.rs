//! The fast path for clean files: one streaming, typed, borrowing pass with serde.
//!
//! The file is read in blocks and never held whole. Of each event it keeps what every frame
//! needs (id, title, date, place, category, links) and the byte range of the event in the file;
//! the rest (sources, actors, summary) is decoded again from that range when the event is shown
//! (`details.rs`).
//!
//! It checks the format's [`rules`] as the positional reader (`json.rs`) does, and builds the
//! same dataset. A record with only warnings is read by the positional reader, handed in as a
//! [`ReadEvent`]; on anything else it returns `None` and the positional reader runs on the whole
//! file to report every problem with its line and column.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::io::Read;

use serde::Deserialize;
use serde::de;
use serde_json::value::RawValue;

use super::LoadProgress;
use super::assemble::{self, Bounds, Categories, PendingLink, Places};
use super::diagnostic::{Diagnostic, Severity};
use super::records::{
    CategoryRecord, EventRecord, PlaceRecord, ReadEvent, SourceRecord, Text, WhereRecord,
    non_empty, owned, source, source_is_clean,
};
use super::{rules, story};
use crate::model::{Dataset, DetailRef, Event, Location, Place, PlacePrecision, Source};

fn id_hash(id: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(id)
}

/// Bytes read at once; a value longer than this grows the window.
pub(super) const BLOCK: usize = 8 << 20;

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
        let unconsumed = self.buf.get(self.start..self.end);
        debug_assert!(unconsumed.is_some(), "start <= end <= the buffer's length");
        unconsumed.unwrap_or_default()
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
            // One value bigger than any file read whole: damaged or hostile, not data.
            if self.buf.len() as u64 >= crate::io::WHOLE_FILE_LIMIT {
                return Err(std::io::Error::other(format!(
                    "one event (or what lies between two) is over {}: the file is damaged, or not what it seems",
                    crate::io::size_in_words(crate::io::WHOLE_FILE_LIMIT)
                )));
            }
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            let free = self.buf.get_mut(self.end..);
            debug_assert!(free.is_some(), "end <= the buffer's length");
            let free = free.unwrap_or_default();
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
    categories: Categories,
    places: Places,
    /// The `story` value's text and its offset in the stream: read once the events are known.
    story: Option<(u64, String)>,
}

/// What converting an event needs to know: the places and the categories known so far.
struct Known<'k> {
    places: &'k Places,
    categories: &'k Categories,
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
    /// Some event's title or date needs a remark after reading (`io::inert`); remarked
    /// records count as needing one.
    needs_remark: bool,
}

/// The location of a clean `where` and how precisely its point is known; `None` if the
/// positional reader would remark on it.
fn location(
    place: Option<&WhereRecord<'_>>,
    places: &Places,
) -> Option<(Location, PlacePrecision)> {
    Some(match place {
        None => (Location::Unknown, PlacePrecision::Exact),
        Some(WhereRecord::Place(id)) => {
            let place = places.find(id).ok()?;
            let at = Location::Point {
                at: place.at,
                region: place.region,
            };
            (at, place.precision)
        }
        Some(WhereRecord::Object {
            lat,
            lon,
            region,
            precision,
            ..
        }) => {
            let region = match region {
                Some(code) => Some(rules::region(code).ok()?),
                None => None,
            };
            let precision = match precision {
                Some(name) => rules::place_precision(name).ok()?,
                None => PlacePrecision::Exact,
            };
            let location = match (*lat, *lon, region) {
                (Some(lat), Some(lon), region) => Location::Point {
                    at: rules::point(lon, lat)?,
                    region,
                },
                (None, None, Some(code)) => Location::Region(code),
                _ => return None,
            };
            (location, precision)
        }
    })
}

impl Part {
    /// Holds the place of a record that the positional reader must read.
    fn add_remarked(&mut self, details: DetailRef) {
        self.needs_remark = true;
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
        if rules::required(&record.id).is_err()
            || rules::required(&record.title).is_err()
            || rules::required(&record.when).is_err()
        {
            return None;
        }
        let when = rules::date(&record.when).ok()?;
        let (location, place_precision) = location(record.place.as_ref(), known.places)?;
        let here = u32::try_from(self.events.len()).ok()?;
        let (category, new_category) = match &record.category {
            None => (None, None),
            Some(name) => match known.categories.find(name).ok()? {
                Some(position) => (Some(position), None),
                None => (None, Some(name.as_ref())),
            },
        };
        if !record.sources.iter().flatten().all(source_is_clean)
            || !record
                .links
                .iter()
                .flatten()
                .all(|l| rules::required(&l.to).is_ok())
        {
            return None;
        }
        // Clean: from here on, nothing can fail.
        if let Some(name) = new_category {
            self.new_categories.push((here, name.to_owned()));
        }
        for link in record.links.iter().flatten() {
            let kind = link.kind.as_deref().unwrap_or(rules::DEFAULT_LINK_KIND);
            self.links
                .push((here, link.to.clone().into_owned(), kind.to_owned()));
        }
        self.bounds.include(&when);
        // Checked here, while the text is at hand, so that no pass after reading has to visit
        // every event again.
        self.needs_remark =
            self.needs_remark || super::inert::needs_remark(&record.title, &record.when);
        let mut event = Event::new(&record.id, &record.title, &record.when, &when);
        event.location = location;
        event.place_precision = place_precision;
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
        let Some(gap) = bytes.get(at..)?.iter().position(|b| !is_json_space(b)) else {
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
        let Some(gap) = bytes.get(after..)?.iter().position(|b| !is_json_space(b)) else {
            return Some((after, RunEnd::AfterRecord));
        };
        match bytes.get(after + gap) {
            Some(b',') => at = after + gap + 1,
            Some(b']') => return Some((after + gap, RunEnd::ArrayEnd)),
            _ => return None,
        }
    }
}

/// JSON's blank space: not a form feed, which `is_ascii_whitespace` also takes (a file with
/// one between values is not clean: the positional reader says where).
fn is_json_space(byte: &u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\r' | b'\t')
}

/// A place in the middle of `bytes` that looks like the boundary `}`, `,`, `{` between two
/// records: the position just after the `,`. It may lie inside a string; the caller checks.
pub(super) fn split_point(bytes: &[u8]) -> Option<usize> {
    let middle = bytes.len() / 2;
    let mut at = middle;
    while let Some(offset) = bytes.get(at..)?.iter().position(|&b| b == b'}') {
        let close = at + offset;
        let mut next = close + 1;
        while bytes.get(next).is_some_and(is_json_space) {
            next += 1;
        }
        if bytes.get(next) == Some(&b',') {
            let comma = next;
            next += 1;
            while bytes.get(next).is_some_and(is_json_space) {
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
pub(super) const PARALLEL_FROM_BYTES: usize = 1 << 20;

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
        let first_bytes = first.strip_suffix(b",");
        debug_assert!(first_bytes.is_some(), "split_point cuts just after a comma");
        let run = convert_run(first_bytes.unwrap_or(first), offset, known, &mut part);
        // A panic on the other thread is a bug: let it reach the loading thread's caller.
        let second = second_thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        ((part, run), second)
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
    places: Places,
    categories: Categories,
    /// Reads the records the fast path does not take, as the positional reader does.
    read_event: ReadEvent,
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
    /// Some part's event needs a remark after reading (`Part::needs_remark`).
    needs_remark: bool,
}

impl Builder {
    fn known(&self) -> Known<'_> {
        Known {
            places: &self.places,
            categories: &self.categories,
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
                    // Only undeclared categories are new: this cannot be refused.
                    let position = self.categories.position_or_add(&name).ok()?;
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
        self.needs_remark = self.needs_remark || part.needs_remark;
        self.events.append(&mut part.events);
        Some(())
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
        // Keys written twice (or nesting too deep): the positional reader says where, in the
        // file's own positions.
        if super::scan::scan(bytes) != super::scan::Structure::default() {
            return None;
        }
        let read = (self.read_event)(
            text,
            &self.file,
            (base + here) as usize,
            &self.places,
            &mut self.categories,
        )?;
        if read
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            return None;
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
            let chunk = block.get(filled.start..filled.start + take);
            debug_assert!(chunk.is_some(), "filled is within the block");
            let chunk = chunk.unwrap_or_default();
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
pub struct Streamed {
    pub dataset: Dataset,
    pub warnings: Vec<(u64, Diagnostic)>,
    /// No event's title needs an escape and no date is in year 0 (see `io::inert`): checked
    /// as each record was read.
    pub events_need_no_remark: bool,
}

/// Loads a file in one streaming pass, or returns `Ok(None)` (see the module docs). Events the
/// positional reader would only warn about are read with `read_event`, one by one; anything
/// else leaves the whole file to the positional reader. Events' detail ranges are offsets in
/// the stream; `total` (its length, if known) scales the progress; `file` names it in messages.
pub fn stream_clean<R: Read>(
    reader: R,
    total: u64,
    file: &str,
    progress: &LoadProgress,
    read_event: ReadEvent,
) -> std::io::Result<Option<Streamed>> {
    stream_with_block(reader, total, file, progress, read_event, BLOCK)
}

/// [`stream_clean`] with a window of `block` bytes (tests make it tiny).
pub(super) fn stream_with_block<R: Read>(
    reader: R,
    total: u64,
    file: &str,
    progress: &LoadProgress,
    read_event: ReadEvent,
    block: usize,
) -> std::io::Result<Option<Streamed>> {
    let mut window = Window::new(reader, block);
    let stream = Stream {
        total,
        file,
        progress,
        read_event,
    };
    match read_stream(&mut window, &stream) {
        Ok(dataset) => Ok(Some(dataset)),
        Err(Stop::Unclean) => Ok(None),
        Err(Stop::Io(error)) => Err(error),
    }
}

/// What the streaming pass is told about its stream.
struct Stream<'s> {
    /// Length of the stream (0 if unknown), for progress and for estimating the event count.
    total: u64,
    /// Names the file in messages.
    file: &'s str,
    progress: &'s LoadProgress,
    read_event: ReadEvent,
}

fn read_stream<R: Read>(window: &mut Window<R>, stream: &Stream<'_>) -> Result<Streamed, Stop> {
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
        if key == "events" {
            events = Some(read_events(window, &mut header, stream)?);
        } else if events.is_some() && (key == "categories" || key == "places") {
            // Events refer to categories and places: those must come first to be streamed.
            return Err(Stop::Unclean);
        } else {
            read_header_field(window, &key, &mut header)?;
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
    let builder = events.ok_or(Stop::Unclean)?;
    finish(header, builder)
}

/// Reads the value of a top-level field other than `events` into `header`.
fn read_header_field<R: Read>(
    window: &mut Window<R>,
    key: &str,
    header: &mut Header,
) -> Result<(), Stop> {
    match key {
        "format" => {
            let format = parse_owned!(window, Option<Text<'_>>, |f| Some(owned(f)))?;
            if format.is_some_and(|f| rules::format(&f).is_err()) {
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
                // An absent list is an empty one.
                let records = records.unwrap_or_default();
                records
                    .iter()
                    .all(source_is_clean)
                    .then(|| records.into_iter().map(source).collect())
            })?;
        }
        "categories" => {
            // `null` counts as absent: categories are then made up as events name them.
            header.categories = parse_owned!(window, Option<Vec<CategoryRecord<'_>>>, |records| {
                match records {
                    Some(records) => categories(records),
                    None => Some(Categories::undeclared()),
                }
            })?;
        }
        "places" => {
            header.places = parse_owned!(window, Option<Vec<PlaceRecord<'_>>>, |records| {
                // `null` counts as absent: no places.
                places(records.unwrap_or_default())
            })?;
        }
        "story" => {
            header.story = window.value(|slice, offset| match attempt::<&RawValue>(slice) {
                Ok((raw, used)) => Attempt::Done(Some((offset, raw.get().to_owned())), used),
                Err(Attempt::NeedMore) => Attempt::NeedMore,
                Err(_) => Attempt::Unclean,
            })?;
        }
        _ => return Err(Stop::Unclean),
    }
    Ok(())
}

/// The dataset from what the pass read.
fn finish(header: Header, builder: Builder) -> Result<Streamed, Stop> {
    // A missing title is a warning: let the positional reader say so.
    let title = header.title.ok_or(Stop::Unclean)?;
    let Builder {
        places,
        categories,
        events,
        links,
        bounds,
        ids,
        mut warnings,
        file,
        needs_remark,
        ..
    } = builder;
    let parts = assemble::Parts {
        title,
        description: header.description,
        sources: header.sources,
        categories,
        places,
        events,
        bounds,
        details: None,
    };
    let mut dataset =
        assemble::dataset(parts, |events| resolve_ids(ids, links, events)).ok_or(Stop::Unclean)?;
    if let Some((offset, text)) = header.story {
        // The same reader as the positional one; its warnings are placed in the file later.
        let raw = serde_json::from_str::<&RawValue>(&text).map_err(|_| Stop::Unclean)?;
        let (story, story_warnings) = story::read_story(&text, raw, &file, &dataset);
        dataset.story = story;
        warnings.extend(story_warnings.into_iter().map(|warning| (offset, warning)));
    }
    Ok(Streamed {
        dataset,
        warnings,
        events_need_no_remark: !needs_remark,
    })
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
            (events.get(position as usize)?.id() == to).then_some(PendingLink {
                from,
                to: position,
                kind,
            })
        })
        .collect()
}

/// The declared categories, or `None` if the positional reader would remark on them.
fn categories(records: Vec<CategoryRecord<'_>>) -> Option<Categories> {
    let mut categories = Categories::declared();
    for record in records {
        let id = non_empty(&record.id)?;
        categories.check_new(&id).ok()?;
        let color = match record.color {
            Some(text) => Some(rules::color(&text).ok()?),
            None => None,
        };
        categories.declare(id, owned(record.label), color);
    }
    Some(categories)
}

/// The named places, or `None` if the positional reader would remark on them.
fn places(records: Vec<PlaceRecord<'_>>) -> Option<Places> {
    let mut places = Places::default();
    for record in records {
        let id = non_empty(&record.id)?;
        let name = non_empty(&record.name)?;
        let at = rules::point(record.lon, record.lat)?;
        places.check_new(&id).ok()?;
        let region = match record.region {
            Some(code) => Some(rules::region(&code).ok()?),
            None => None,
        };
        let precision = match record.precision {
            Some(name) => rules::place_precision(&name).ok()?,
            None => PlacePrecision::Exact,
        };
        places.declare(Place {
            id,
            name,
            at,
            region,
            precision,
            note: owned(record.note),
        });
    }
    Some(places)
}

/// Reads the `events` list; the header's categories and places move into the builder.
fn read_events<R: Read>(
    window: &mut Window<R>,
    header: &mut Header,
    stream: &Stream<'_>,
) -> Result<Builder, Stop> {
    let mut builder = Builder {
        places: std::mem::take(&mut header.places),
        categories: std::mem::take(&mut header.categories),
        read_event: stream.read_event,
        ids: Vec::new(),
        total: stream.total,
        events: Vec::new(),
        links: Vec::new(),
        bounds: Bounds::default(),
        file: stream.file.to_owned(),
        warnings: Vec::new(),
        needs_remark: false,
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
        if stream.progress.is_cancelled() {
            return Err(Stop::Unclean);
        }
        let fraction = window.offset() as f64 / stream.total.max(1) as f64;
        stream.progress.set_fraction(0.9 * fraction);
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
