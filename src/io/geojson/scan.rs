//! Finding the features in a stream of GeoJSON, window by window, without building anything:
//! the elements of the top-level object's `features` array, or, in a file without one, the
//! top-level values themselves (a single Feature, or one feature a line).
//!
//! The top level is read token by token; a feature (or a member's value) is taken whole or not
//! at all, so a window that ends inside one is read again from its start with more bytes.

use std::io::Read;

/// Bytes read at once; a feature longer than this grows the window.
pub(super) const BLOCK: usize = 8 << 20;

/// A sliding window over a byte stream.
pub(super) struct Window<R> {
    reader: R,
    buf: Vec<u8>,
    /// `buf[start..end]` is read and not yet consumed.
    start: usize,
    end: usize,
    /// Offset in the stream of `buf[0]`.
    base: u64,
    pub(super) eof: bool,
}

impl<R: Read> Window<R> {
    pub(super) fn new(reader: R, block: usize) -> Self {
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
    pub(super) fn offset(&self) -> u64 {
        self.base + self.start as u64
    }

    pub(super) fn unconsumed(&self) -> &[u8] {
        let unconsumed = self.buf.get(self.start..self.end);
        debug_assert!(unconsumed.is_some(), "start <= end <= the buffer's length");
        unconsumed.unwrap_or_default()
    }

    pub(super) fn consume(&mut self, count: usize) {
        self.start = (self.start + count).min(self.end);
    }

    /// Reads more of the stream (growing the window when it is full); `false` at its end.
    pub(super) fn fill(&mut self) -> std::io::Result<bool> {
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
                    "one feature (or what lies between two) is over {}: the file is damaged, or not what it seems",
                    crate::io::size_in_words(crate::io::WHOLE_FILE_LIMIT)
                )));
            }
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
}

/// Where the scanner is in the file's top-level structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Top {
    /// Between top-level values.
    Between,
    /// In the top-level object, before a key or its end.
    Key,
    /// After a key, before its `:`.
    Colon(Member),
    /// After the `:`, before the value.
    Value(Member),
    /// After a member's value, before `,` or `}`.
    AfterValue,
    /// In the `features` array, before a feature or its end.
    Feature,
    /// After a feature, before `,` or `]`.
    AfterFeature,
}

/// The top-level members that matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Member {
    Features,
    /// `name`, `title` or `metadata`, in that order of preference.
    Title(usize),
    /// A member of [`HEADER`].
    Header(usize),
    Other,
}

/// The other top-level members kept (their raw JSON): what Event Atlas writes before the
/// features of a collection (`io/export/geojson.rs`).
pub(super) const HEADER: [&str; 4] = ["generator", "description", "categories", "sources"];

fn member(key: &[u8]) -> Member {
    match key {
        b"features" => Member::Features,
        b"name" => Member::Title(0),
        b"title" => Member::Title(1),
        b"metadata" => Member::Title(2),
        _ => HEADER
            .iter()
            .position(|name| name.as_bytes() == key)
            .map_or(Member::Other, Member::Header),
    }
}

/// Something in the top-level structure that is not GeoJSON, at a byte of the window.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ScanError {
    pub(super) at: usize,
    pub(super) message: String,
}

/// The features found in one window.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Found {
    /// Byte ranges of the features in the window.
    pub(super) features: Vec<(usize, usize)>,
    /// How many bytes of the window were used up (the rest is read again with the next).
    pub(super) consumed: usize,
}

/// Reads the top-level structure across windows.
#[derive(Debug)]
pub(super) struct Scanner {
    top: Top,
    /// The top-level object being read has a `features` array.
    collection: bool,
    /// A collection was seen in the file.
    pub(super) saw_collection: bool,
    /// A top-level Feature was read: what follows is one feature a line (a line that is not
    /// JSON is then that feature's problem, not the file's).
    one_a_line: bool,
    /// The raw values of the collection's `name`, `title` and `metadata`.
    pub(super) titles: [Option<String>; 3],
    /// The raw values of the collection's [`HEADER`] members.
    pub(super) header: [Option<String>; 4],
}

impl Default for Scanner {
    fn default() -> Self {
        Self {
            top: Top::Between,
            collection: false,
            saw_collection: false,
            one_a_line: false,
            titles: [None, None, None],
            header: [None, None, None, None],
        }
    }
}

impl Scanner {
    /// Whether the file may end here.
    pub(super) fn at_rest(&self) -> bool {
        self.top == Top::Between
    }

    /// Finds the whole features in `window`; `eof`: nothing follows it.
    pub(super) fn scan(&mut self, window: &[u8], eof: bool) -> Result<Found, ScanError> {
        let mut found = Found::default();
        // A top-level object that may itself be a feature is taken whole: from its start.
        let mut object_start = None;
        let mut at = 0;
        loop {
            at = after_blank(window, at);
            let Some(&byte) = window.get(at) else { break };
            let error = |message: &str| ScanError {
                at,
                message: message.to_owned(),
            };
            let next = match self.top {
                Top::Between if self.one_a_line => next_line(window, at, eof).map(|(end, next)| {
                    found.features.push((at, end));
                    (Top::Between, next)
                }),
                Top::Between if byte == b'{' => {
                    object_start = Some(at);
                    self.collection = false;
                    Some((Top::Key, at + 1))
                }
                Top::Between => {
                    return Err(error(
                        "expected a GeoJSON object (a FeatureCollection or a Feature)",
                    ));
                }
                Top::Key | Top::AfterValue if byte == b'}' => {
                    if let Some(start) = object_start.take().filter(|_| !self.collection) {
                        found.features.push((start, at + 1));
                        self.one_a_line = true;
                    }
                    Some((Top::Between, at + 1))
                }
                Top::Key if byte == b'"' => string_end(window, at).map(|end| {
                    let key = window.get(at + 1..end).unwrap_or_default();
                    (Top::Colon(member(key)), end + 1)
                }),
                Top::Key => return Err(error("expected a member name in quotes")),
                Top::Colon(member) if byte == b':' => Some((Top::Value(member), at + 1)),
                Top::Colon(_) => return Err(error("expected ':' after the member name")),
                Top::Value(Member::Features) if byte == b'[' => {
                    self.collection = true;
                    self.saw_collection = true;
                    object_start = None;
                    Some((Top::Feature, at + 1))
                }
                Top::Value(member) => value_end(window, at, eof).map(|end| {
                    self.keep(member, window.get(at..end).unwrap_or_default());
                    (Top::AfterValue, end)
                }),
                Top::AfterValue if byte == b',' => Some((Top::Key, at + 1)),
                Top::AfterValue => return Err(error("expected ',' or '}' after a member")),
                Top::Feature | Top::AfterFeature if byte == b']' => Some((Top::AfterValue, at + 1)),
                Top::Feature => value_end(window, at, eof).map(|end| {
                    found.features.push((at, end));
                    (Top::AfterFeature, end)
                }),
                Top::AfterFeature if byte == b',' => Some((Top::Feature, at + 1)),
                Top::AfterFeature => return Err(error("expected ',' or ']' after a feature")),
            };
            // Not whole in this window: read again from here (or the object's start).
            let Some((top, after)) = next else { break };
            self.top = top;
            at = after;
        }
        found.consumed = match object_start {
            Some(start) => {
                self.top = Top::Between;
                found.features.retain(|&(feature, _)| feature < start);
                start
            }
            None => at.min(window.len()),
        };
        Ok(found)
    }

    fn keep_header(&mut self, index: usize, raw: &[u8]) {
        if let Some(slot) = self.header.get_mut(index).filter(|slot| slot.is_none()) {
            *slot = std::str::from_utf8(raw).ok().map(str::to_owned);
        }
    }

    /// The raw JSON of a kept member of [`HEADER`], by name.
    pub(super) fn header_member(&self, name: &str) -> Option<&str> {
        let index = HEADER.iter().position(|kept| *kept == name)?;
        self.header.get(index)?.as_deref()
    }

    /// Keeps a top-level member's raw value if it is one of those read.
    fn keep(&mut self, member: Member, raw: &[u8]) {
        match member {
            Member::Title(rank) => self.keep_title(rank, raw),
            Member::Header(index) => self.keep_header(index, raw),
            Member::Features | Member::Other => {}
        }
    }

    fn keep_title(&mut self, rank: usize, raw: &[u8]) {
        if let Some(slot) = self.titles.get_mut(rank) {
            *slot = std::str::from_utf8(raw).ok().map(str::to_owned);
        }
    }
}

/// The first byte at or after `at` that is not blank (JSON blanks, and the record separator of
/// RFC 8142 sequences).
fn after_blank(bytes: &[u8], at: usize) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t' | 0x1E))
        .unwrap_or(rest.len())
}

/// The end of the line starting at `start` (without its blanks at the end), and where the next
/// begins; `None` if the line runs past the window.
fn next_line(bytes: &[u8], start: usize, eof: bool) -> Option<(usize, usize)> {
    let rest = bytes.get(start..)?;
    let (length, next) = match rest.iter().position(|&b| b == b'\n') {
        Some(length) => (length, start + length + 1),
        None if eof => (rest.len(), bytes.len()),
        None => return None,
    };
    let line = rest.get(..length)?;
    Some((start + line.trim_ascii_end().len(), next))
}

/// The index of the quote that closes the string opening at `start`, if it is in `bytes`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        let offset = bytes
            .get(at..)?
            .iter()
            .position(|&b| b == b'"' || b == b'\\')?;
        at += offset;
        if bytes.get(at) == Some(&b'"') {
            return Some(at);
        }
        at += 2;
    }
}

/// The end (exclusive) of the JSON value starting at `start`, if it is whole in `bytes`.
/// Brackets are only counted: the value's reader finds anything else wrong with it.
fn value_end(bytes: &[u8], start: usize, eof: bool) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => string_end(bytes, start).map(|end| end + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = start;
            while let Some(&byte) = bytes.get(at) {
                match byte {
                    b'"' => at = string_end(bytes, at)?,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
            None
        }
        _ => {
            let rest = bytes.get(start..)?;
            match rest
                .iter()
                .position(|&b| matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
            {
                Some(length) => Some(start + length),
                None => eof.then_some(bytes.len()),
            }
        }
    }
}

/// Line numbers of stream offsets, counted forward window by window.
#[derive(Debug, Default)]
pub(super) struct LineCounter {
    /// Offset in the stream up to which lines are counted.
    offset: u64,
    /// Newlines before `offset`.
    newlines: usize,
}

impl LineCounter {
    /// The 1-based line of stream offset `offset`, in the window `bytes` that starts at stream
    /// offset `base` (offsets must not go back past the last window's start).
    pub(super) fn line_of(&mut self, bytes: &[u8], base: u64, offset: u64) -> usize {
        if offset > self.offset {
            let from = usize::try_from(self.offset.saturating_sub(base)).unwrap_or(usize::MAX);
            let to = usize::try_from(offset - base).unwrap_or(usize::MAX);
            let between = bytes.get(from.min(bytes.len())..to.min(bytes.len()));
            self.newlines += between.map_or(0, |b| b.iter().filter(|&&b| b == b'\n').count());
            self.offset = offset;
        }
        self.newlines + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every feature of `text` (as text), scanned through windows of `block` bytes.
    fn features(text: &str, block: usize) -> Result<(Vec<String>, Scanner), ScanError> {
        let mut window = Window::new(text.as_bytes(), block);
        let mut scanner = Scanner::default();
        let mut list = Vec::new();
        loop {
            let more = window.fill().unwrap();
            let bytes = window.unconsumed();
            let found = scanner.scan(bytes, !more)?;
            for &(start, end) in &found.features {
                list.push(String::from_utf8(bytes[start..end].to_vec()).unwrap());
            }
            window.consume(found.consumed);
            if !more {
                return Ok((list, scanner));
            }
        }
    }

    #[test]
    fn features_are_found_whatever_the_window() {
        let collection = r#"{"type": "FeatureCollection", "name": "Quakes",
            "crs": {"type": "name", "properties": {"name": "x]}"}},
            "features": [
              {"type": "Feature", "properties": {"title": "a \"}\" b"}, "geometry": null},
              {"type": "Feature", "properties": {"n": [1, {"x": 2}]}, "geometry": {"type": "Point", "coordinates": [1e999, 2]}}
            ], "metadata": {"title": "Later"}}"#;
        let expected = [
            r#"{"type": "Feature", "properties": {"title": "a \"}\" b"}, "geometry": null}"#,
            r#"{"type": "Feature", "properties": {"n": [1, {"x": 2}]}, "geometry": {"type": "Point", "coordinates": [1e999, 2]}}"#,
        ];
        for block in [1, 2, 7, 64, 1 << 20] {
            let (list, scanner) = features(collection, block).unwrap();
            assert_eq!(list, expected, "window of {block}");
            assert!(scanner.saw_collection && scanner.at_rest());
            assert_eq!(scanner.titles[0].as_deref(), Some("\"Quakes\""));
            assert_eq!(scanner.titles[2].as_deref(), Some(r#"{"title": "Later"}"#));
        }
    }

    #[test]
    fn a_lone_feature_and_features_one_a_line_are_their_own_features() {
        let single = r#"{"type": "Feature", "properties": {"features": 3}, "geometry": null}"#;
        for block in [1, 5, 1000] {
            let (list, scanner) = features(single, block).unwrap();
            assert_eq!(list, [single]);
            assert!(!scanner.saw_collection);
        }
        let lines = "{\"type\": \"Feature\", \"id\": 1}\n\x1e{\"type\": \"Feature\", \"id\": 2}\r\n\n{\"id\": 3 BROKEN\n{\"id\": 4}";
        for block in [1, 3, 1000] {
            let (list, scanner) = features(lines, block).unwrap();
            // After the first feature, lines are features: a broken one is that feature's problem.
            assert_eq!(
                list,
                [
                    r#"{"type": "Feature", "id": 1}"#,
                    r#"{"type": "Feature", "id": 2}"#,
                    r#"{"id": 3 BROKEN"#,
                    r#"{"id": 4}"#,
                ]
            );
            assert!(scanner.at_rest());
        }
        // An empty collection has no features.
        let (list, scanner) = features(r#"{"type":"FeatureCollection","features":[]}"#, 4).unwrap();
        assert!(list.is_empty() && scanner.saw_collection);
    }

    #[test]
    fn broken_structure_is_an_error_and_a_cut_file_is_not_at_rest() {
        let error = features(r#"{"features": [{"a": 1} {"b": 2}]}"#, 1000).unwrap_err();
        assert_eq!(error.message, "expected ',' or ']' after a feature");
        assert_eq!(error.at, 23);
        assert!(features("[1, 2]", 1000).is_err());
        let (list, scanner) = features(r#"{"features": [{"a": 1}, {"b": "#, 4).unwrap();
        assert_eq!(list, [r#"{"a": 1}"#]);
        assert!(!scanner.at_rest());
    }

    #[test]
    fn lines_are_counted_forward() {
        let text = b"a\nb\nc\nd";
        let mut lines = LineCounter::default();
        assert_eq!(lines.line_of(text, 0, 0), 1);
        assert_eq!(lines.line_of(text, 0, 2), 2);
        assert_eq!(lines.line_of(text, 0, 6), 4);
        // A later window, starting at offset 4 of the stream.
        assert_eq!(lines.line_of(&text[4..], 4, 7), 4);
    }
}
