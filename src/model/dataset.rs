use std::sync::Arc;

use super::position::LonLat;
use super::when::{Certainty, Precision, When, format_at_precision};

/// Position of an event in [`Dataset::events`] (events are sorted by time).
pub type EventIndex = usize;

/// A reference to where something is said: an article, a report, a post.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Source {
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    /// The sentence(s) from the source that support the event, verbatim.
    pub quote: Option<String>,
    pub note: Option<String>,
}

/// A category of events, drawn in one colour and one timeline lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    pub id: String,
    pub label: String,
    /// sRGB colour.
    pub color: [u8; 3],
}

/// A named, reusable location.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub id: String,
    pub name: String,
    pub at: LonLat,
    /// ISO 3166-2 code of the region it lies in.
    pub region: Option<RegionCode>,
    /// How precisely `at` is known.
    pub precision: PlacePrecision,
    pub note: Option<String>,
}

/// How precisely a point is known: sources often give a town's or a region's centre for an
/// event somewhere in or near it (ACLED `geo_precision`, GDELT `ActionGeo_Type`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlacePrecision {
    /// The point itself: a building, a street, a village.
    #[default]
    Exact,
    /// In or near a city or town: the point is the town's.
    City,
    /// Somewhere in a region: the point stands for the region (its centre or capital).
    Region,
}

impl PlacePrecision {
    /// Every precision, from the sharpest.
    pub const ALL: [PlacePrecision; 3] = [
        PlacePrecision::Exact,
        PlacePrecision::City,
        PlacePrecision::Region,
    ];

    /// The name in the file format's `precision` field.
    pub fn name(self) -> &'static str {
        match self {
            PlacePrecision::Exact => "exact",
            PlacePrecision::City => "city",
            PlacePrecision::Region => "region",
        }
    }

    /// The precision named `name` in the file format.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|precision| precision.name() == name)
    }

    /// What the place leaves unknown, in words (`None` for an exact point).
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            PlacePrecision::Exact => None,
            PlacePrecision::City => Some("place known to the city or town"),
            PlacePrecision::Region => Some("only the region is known"),
        }
    }
}

/// An ISO 3166-2 subdivision code such as `RU-MOS`, kept inline (no allocation per event).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegionCode {
    bytes: [u8; 6],
    len: u8,
}

impl RegionCode {
    /// The code if `text` has the ISO 3166-2 shape: two capitals, `-`, one to three capitals or
    /// digits.
    pub fn new(text: &str) -> Option<Self> {
        let (country, subdivision) = text.split_once('-')?;
        let valid = country.len() == 2
            && country.bytes().all(|b| b.is_ascii_uppercase())
            && (1..=3).contains(&subdivision.len())
            && subdivision
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !valid {
            return None;
        }
        let mut bytes = [0; 6];
        bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        Some(Self {
            bytes,
            len: text.len() as u8,
        })
    }

    /// The code, e.g. `RU-MOS`.
    pub fn as_str(&self) -> &str {
        let text = self
            .bytes
            .get(..usize::from(self.len))
            .and_then(|bytes| std::str::from_utf8(bytes).ok());
        debug_assert!(
            text.is_some(),
            "RegionCode::new keeps only ASCII codes of 6 bytes or fewer"
        );
        text.unwrap_or_default()
    }
}

impl std::fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an event happened, as precisely as the source says. Names are in [`EventDetails`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Location {
    /// The source gives no place.
    #[default]
    Unknown,
    /// A point, either given inline or through a named place.
    Point {
        at: LonLat,
        region: Option<RegionCode>,
    },
    /// Only the region is known.
    Region(RegionCode),
}

impl Location {
    /// The ISO 3166-2 region code, if known.
    pub fn region_code(&self) -> Option<&str> {
        match self {
            Location::Point { region, .. } => region.as_ref().map(RegionCode::as_str),
            Location::Region(code) => Some(code.as_str()),
            Location::Unknown => None,
        }
    }

    /// The point, for a point location.
    pub fn point(&self) -> Option<LonLat> {
        match self {
            Location::Point { at, .. } => Some(*at),
            _ => None,
        }
    }
}

/// A directed link from one event to another.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    pub from: EventIndex,
    pub to: EventIndex,
    pub kind: String,
}

/// Half-open time span in Unix seconds: `start <= t < end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimeRange {
    pub start: i64,
    pub end: i64,
}

impl TimeRange {
    pub fn duration(&self) -> i64 {
        self.end - self.start
    }
}

/// How a date is drawn on the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A day or a moment: a dot.
    Exact,
    /// A whole month or year: a bar, strongest in the middle and fading towards both ends.
    Period,
    /// An interval between two dates (or an open end): a pale bar with thin edges, fading
    /// towards the ends the source leaves vague ([`Event::certainty`]).
    Range,
    /// The source gives no date (a StoryMapJS slide, a KML placemark without a time): shown on
    /// the map and in lists, never placed on the timeline.
    Undated,
}

impl Shape {
    pub fn of(when: &When) -> Self {
        match when {
            When::Interval { .. } => Shape::Range,
            _ if when.is_exact() => Shape::Exact,
            _ => Shape::Period,
        }
    }
}

/// Where the rest of an event is kept: a byte range of its source, or a slot in a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DetailRef {
    pub offset: u64,
    pub len: u32,
}

/// One dated event: what every frame needs. The rest is in [`EventDetails`], read on demand.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The id, the title and the `when` text back to back: one allocation per event.
    text: Box<str>,
    title_at: u32,
    when_at: u32,
    /// The span on the time axis; open ends are resolved to the dataset's extent.
    pub span: TimeRange,
    pub shape: Shape,
    /// What the date leaves uncertain (worked out from `when` at load).
    pub certainty: Certainty,
    /// How precisely a point location is known (`Exact` for other locations).
    pub place_precision: PlacePrecision,
    pub location: Location,
    pub category: Option<usize>,
    pub details: DetailRef,
}

/// A blank event: no id, no title, an empty span at 1970. Holds a place while loading.
impl Default for Event {
    fn default() -> Self {
        Self {
            text: Box::default(),
            title_at: 0,
            when_at: 0,
            span: TimeRange { start: 0, end: 0 },
            shape: Shape::Exact,
            certainty: Certainty::default(),
            place_precision: PlacePrecision::Exact,
            location: Location::Unknown,
            category: None,
            details: DetailRef::default(),
        }
    }
}

impl Event {
    /// An event; `when_text` must be the text `when` was parsed from.
    pub fn new(id: &str, title: &str, when_text: &str, when: &When) -> Self {
        let mut text = String::with_capacity(id.len() + title.len() + when_text.len());
        text.push_str(id);
        text.push_str(title);
        text.push_str(when_text);
        Self {
            text: text.into_boxed_str(),
            title_at: id.len() as u32,
            when_at: (id.len() + title.len()) as u32,
            span: when.provisional_span(),
            shape: Shape::of(when),
            certainty: Certainty::of(when),
            place_precision: PlacePrecision::Exact,
            location: Location::Unknown,
            category: None,
            details: DetailRef::default(),
        }
    }

    /// An event whose source gives no date. Its span covers the whole dataset (so the map shows
    /// it at every playhead) and the timeline leaves it out.
    pub fn undated(id: &str, title: &str) -> Self {
        let mut text = String::with_capacity(id.len() + title.len());
        text.push_str(id);
        text.push_str(title);
        Self {
            text: text.into_boxed_str(),
            title_at: id.len() as u32,
            when_at: (id.len() + title.len()) as u32,
            span: TimeRange {
                start: i64::MIN,
                end: i64::MAX,
            },
            shape: Shape::Undated,
            certainty: Certainty::default(),
            place_precision: PlacePrecision::Exact,
            location: Location::Unknown,
            category: None,
            details: DetailRef::default(),
        }
    }

    /// Whether the source gives no date.
    pub fn is_undated(&self) -> bool {
        self.shape == Shape::Undated
    }

    /// The part of `text` from `start` to `end`.
    fn text_part(&self, start: u32, end: usize) -> &str {
        let part = self.text.get(start as usize..end);
        debug_assert!(
            part.is_some(),
            "Event::new puts the offsets between its parts"
        );
        part.unwrap_or_default()
    }

    /// The id, unique in its dataset.
    pub fn id(&self) -> &str {
        self.text_part(0, self.title_at as usize)
    }

    /// The short title.
    pub fn title(&self) -> &str {
        self.text_part(self.title_at, self.when_at as usize)
    }

    /// The `when` text exactly as written in the file.
    pub fn when_text(&self) -> &str {
        self.text_part(self.when_at, self.text.len())
    }

    /// The date with its precision and qualifiers (parsed again: it is cheap and rarely needed).
    pub fn when(&self) -> Option<When> {
        When::parse(self.when_text()).ok()
    }

    /// The date in words, e.g. "between November 2023 and 22 March 2024".
    pub fn when_words(&self) -> String {
        if self.is_undated() {
            return "no date given".to_owned();
        }
        match self.when() {
            Some(when) => when.describe(),
            None => self.when_text().to_owned(),
        }
    }

    /// How precisely the place is known: a region-only place is known to the region, a point
    /// as its source says.
    pub fn place_known(&self) -> PlacePrecision {
        match self.location {
            Location::Region(_) => PlacePrecision::Region,
            _ => self.place_precision,
        }
    }

    /// A day or a moment (drawn as a dot).
    pub fn is_exact(&self) -> bool {
        self.shape == Shape::Exact
    }

    /// Status at `playhead` with a window reaching `window` seconds back.
    pub fn status(&self, playhead: i64, window: i64) -> EventStatus {
        if self.span.start > playhead {
            EventStatus::Future
        } else if self.span.end > playhead.saturating_sub(window) {
            EventStatus::Current
        } else {
            EventStatus::Past
        }
    }
}

/// The parts of an event shown only when it is selected or hovered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventDetails {
    /// The place's name: a named place's, or the name given inline.
    pub place_name: Option<String>,
    /// The id of the named place, when the event refers to one.
    pub place_id: Option<String>,
    pub actors: Vec<String>,
    pub summary: Option<String>,
    pub sources: Vec<Source>,
    /// How the date was derived where it goes beyond the source.
    pub date_note: Option<String>,
    /// Everything else the source file says about the event, as `(name, value)` in the file's
    /// order: imported columns and properties, media, precision notes. Shown as text.
    pub fields: Vec<(String, String)>,
}

/// What of an event's details decides a table's columns: how many sources, the named place,
/// the names of the other fields in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DetailLayout {
    pub sources: usize,
    pub place_id: Option<String>,
    pub field_names: Vec<String>,
}

impl DetailLayout {
    pub fn of(details: &EventDetails) -> Self {
        Self {
            sources: details.sources.len(),
            place_id: details.place_id.clone(),
            field_names: details
                .fields
                .iter()
                .map(|(name, _)| name.clone())
                .collect(),
        }
    }
}

/// Reads an event's details on demand (from memory, or again from its file).
pub trait DetailReader: Send + Sync + std::fmt::Debug {
    fn read(&self, at: DetailRef, id: &str, places: &[Place]) -> Result<EventDetails, String>;

    /// What of an event's details decides a table's columns (the CSV export looks at every
    /// event's before writing): a reader may find it without decoding everything.
    fn layout(&self, at: DetailRef, id: &str, places: &[Place]) -> Result<DetailLayout, String> {
        self.read(at, id, places)
            .map(|details| DetailLayout::of(&details))
    }

    /// The same reader with its source in memory, for reading every event in a row (export):
    /// a reader that opens its file again for each event reads the file once instead. `None`
    /// when this reader is already in memory.
    fn in_memory(&self) -> Result<Option<Arc<dyn DetailReader>>, String> {
        Ok(None)
    }
}

/// Details kept in memory, one per event (`DetailRef::offset` is the slot).
#[derive(Debug, Default)]
pub struct DetailList(pub Vec<EventDetails>);

impl DetailReader for DetailList {
    fn read(&self, at: DetailRef, _id: &str, _places: &[Place]) -> Result<EventDetails, String> {
        usize::try_from(at.offset)
            .ok()
            .and_then(|slot| self.0.get(slot))
            .cloned()
            .ok_or_else(|| "this event has no details".to_owned())
    }
}

/// One piece of an event's outline, in lon/lat.
#[derive(Clone, Debug, PartialEq)]
pub enum ShapePart {
    /// An open line: a road, a track, a river.
    Line(Vec<LonLat>),
    /// An area: its outer ring, then its holes (each ring closed or not).
    Polygon(Vec<Vec<LonLat>>),
}

/// The outline of an event that is more than a point (a GeoJSON LineString or Polygon, a KML
/// track): the event's place is its centroid, and the map draws this shape around it.
#[derive(Clone, Debug, PartialEq)]
pub struct EventShape {
    /// The event it belongs to.
    pub event: EventIndex,
    pub parts: Vec<ShapePart>,
}

/// Where an event stands relative to the playhead and the time window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventStatus {
    /// Starts after the playhead: not shown on the map.
    Future,
    /// Overlaps the window `(playhead - window, playhead]`: shown in full.
    Current,
    /// Ended before the window: shown faded.
    Past,
}

/// A named span of time drawn behind the timeline's lanes (a TimelineJS era: "Tang dynasty").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Era {
    pub label: String,
    pub span: TimeRange,
}

/// A loaded, validated dataset. Immutable after loading.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub title: String,
    pub description: Option<String>,
    pub sources: Vec<Source>,
    pub categories: Vec<Category>,
    pub places: Vec<Place>,
    /// Sorted by start, then end, then position in the file.
    pub events: Vec<Event>,
    /// Every link, sorted by `from` then `to`.
    pub links: Vec<Link>,
    /// From the earliest start to the latest end.
    pub extent: Option<TimeRange>,
    /// Time index over `events`, built at load.
    pub time_index: super::index::TimeIndex,
    /// Where the events' details are read from.
    pub details: Option<Arc<dyn DetailReader>>,
    /// Named spans of time drawn behind the timeline, in the file's order.
    pub eras: Vec<Era>,
    /// The guided steps through the data (the file's `story`, a sidecar's, or a StoryMapJS
    /// file's slides); empty when the source has none.
    pub story: super::Story,
    /// Outlines of the events that are lines or areas, sorted by event.
    pub shapes: Vec<EventShape>,
}

/// Reads the details of any event of a dataset, its source held in memory
/// ([`Dataset::all_details`]). Shared by threads.
#[derive(Debug)]
pub struct AllDetails<'a> {
    dataset: &'a Dataset,
    reader: Option<Arc<dyn DetailReader>>,
}

impl AllDetails<'_> {
    fn event(&self, index: EventIndex) -> Result<&Event, String> {
        self.dataset
            .events
            .get(index)
            .ok_or_else(|| format!("no event number {index}"))
    }

    /// The layout of event `index`'s details ([`DetailReader::layout`]).
    pub fn layout(&self, index: EventIndex) -> Result<DetailLayout, String> {
        let event = self.event(index)?;
        match &self.reader {
            Some(reader) => reader.layout(event.details, event.id(), &self.dataset.places),
            None => Ok(DetailLayout::default()),
        }
    }

    /// The details of event `index`, as [`Dataset::details`] gives them.
    pub fn get(&self, index: EventIndex) -> Result<EventDetails, String> {
        let event = self.event(index)?;
        match &self.reader {
            Some(reader) => reader.read(event.details, event.id(), &self.dataset.places),
            None => Ok(EventDetails::default()),
        }
    }
}

/// Same data: every field, and every event's details (however they are kept).
impl PartialEq for Dataset {
    fn eq(&self, other: &Self) -> bool {
        self.title == other.title
            && self.description == other.description
            && self.sources == other.sources
            && self.categories == other.categories
            && self.places == other.places
            && self.links == other.links
            && self.extent == other.extent
            && self.eras == other.eras
            && self.story == other.story
            && self.shapes == other.shapes
            && self.events.len() == other.events.len()
            && self
                .events
                .iter()
                .zip(&other.events)
                .enumerate()
                .all(|(i, (a, b))| {
                    a.id() == b.id()
                        && a.title() == b.title()
                        && a.when_text() == b.when_text()
                        && a.span == b.span
                        && a.shape == b.shape
                        && a.location == b.location
                        && a.place_known() == b.place_known()
                        && a.category == b.category
                        && self.details(i) == other.details(i)
                })
    }
}

impl Dataset {
    /// The details of an event: sources, actors, summary, place name. Read on demand, so this
    /// can fail when the file changed on disk since it was loaded.
    pub fn details(&self, index: EventIndex) -> Result<EventDetails, String> {
        let event = self
            .events
            .get(index)
            .ok_or_else(|| format!("no event number {index}"))?;
        match &self.details {
            Some(reader) => reader.read(event.details, event.id(), &self.places),
            None => Ok(EventDetails::default()),
        }
    }

    /// A reader of every event's details in a row (for export): the file the details are kept
    /// in is read once, not once per event. Fails when the file changed since it was opened.
    pub fn all_details(&self) -> Result<AllDetails<'_>, String> {
        let reader = match &self.details {
            Some(reader) => Some(reader.in_memory()?.unwrap_or_else(|| Arc::clone(reader))),
            None => None,
        };
        Ok(AllDetails {
            dataset: self,
            reader,
        })
    }

    /// The outline of an event, if it has one.
    pub fn shape_of(&self, index: EventIndex) -> Option<&EventShape> {
        let at = self
            .shapes
            .binary_search_by_key(&index, |shape| shape.event)
            .ok()?;
        self.shapes.get(at)
    }

    /// Index of the event with this id.
    pub fn find(&self, id: &str) -> Option<EventIndex> {
        self.events.iter().position(|event| event.id() == id)
    }

    /// Number of events the source gives no date for (on the map, not on the timeline).
    pub fn undated_count(&self) -> usize {
        self.events
            .iter()
            .filter(|event| event.is_undated())
            .count()
    }

    /// Number of events with a place: a point or a region (on the basemap or not).
    pub fn located_count(&self) -> usize {
        self.events
            .iter()
            .filter(|event| event.location != Location::Unknown)
            .count()
    }

    /// Events that are not future at `playhead`, counted by status: `(current, past)`.
    pub fn status_counts(&self, playhead: i64, window: i64) -> (usize, usize) {
        let mut current = 0;
        let mut past = 0;
        for event in &self.events {
            match event.status(playhead, window) {
                EventStatus::Current => current += 1,
                EventStatus::Past => past += 1,
                EventStatus::Future => {}
            }
        }
        (current, past)
    }

    /// Indices of events whose span overlaps `(from, to]`, in time order.
    pub fn overlapping(&self, from: i64, to: i64) -> Vec<EventIndex> {
        let mut found = Vec::new();
        self.time_index.overlapping(from, to, &mut found);
        let mut found: Vec<EventIndex> = found.into_iter().map(|i| i as usize).collect();
        found.sort_unstable();
        found
    }

    /// Links from `index` to other events: `(target, kind)`.
    pub fn links_from(&self, index: EventIndex) -> impl Iterator<Item = (EventIndex, &str)> {
        let first = self.links.partition_point(|link| link.from < index);
        self.links
            .iter()
            .skip(first)
            .take_while(move |link| link.from == index)
            .map(|link| (link.to, link.kind.as_str()))
    }

    /// Events that link to `index`, with the link kind.
    pub fn links_to(&self, index: EventIndex) -> Vec<(EventIndex, &str)> {
        self.links
            .iter()
            .filter(|link| link.to == index)
            .map(|link| (link.from, link.kind.as_str()))
            .collect()
    }

    /// One-line summary that begins with the event count, e.g.
    /// `14 events, 4 with a place, 2023-11 to 2024-03-22`.
    pub fn summary_line(&self) -> String {
        let count = self.events.len();
        let noun = if count == 1 { "event" } else { "events" };
        let mut line = format!("{count} {noun}, {} with a place", self.located_count());
        let undated = self.undated_count();
        if undated > 0 {
            line.push_str(&format!(", {undated} without a date"));
        }
        if let Some(text) = self.extent_text() {
            line.push_str(", ");
            line.push_str(&text);
        }
        line
    }

    /// The time extent at the precision the sources give, e.g. "2023-11 to 2024-03-22". Undated
    /// events (whose span is the whole extent) do not count.
    pub fn extent_text(&self) -> Option<String> {
        let extent = self.extent?;
        let dated = || self.events.iter().filter(|e| !e.is_undated());
        // Among the events at the edge, a date the source gives beats an open end.
        let first = dated()
            .filter(|e| e.span.start == extent.start)
            .max_by_key(|e| e.when().and_then(|w| w.known_start()).is_some())?;
        let last = dated()
            .filter(|e| e.span.end == extent.end)
            .max_by_key(|e| e.when().and_then(|w| w.known_end()).is_some())?;
        let from = format_at_precision(extent.start, precision_of_start(first));
        let to = format_at_precision(extent.end - 1, precision_of_end(last));
        Some(if from == to {
            from
        } else {
            format!("{from} to {to}")
        })
    }
}

fn precision_of_start(event: &Event) -> Precision {
    match event.when() {
        Some(When::Single(date)) => date.precision(),
        Some(When::Interval {
            start: super::Bound::Date(date),
            ..
        }) => date.precision(),
        _ => Precision::Day,
    }
}

fn precision_of_end(event: &Event) -> Precision {
    match event.when() {
        Some(When::Single(date)) => date.precision(),
        Some(When::Interval {
            end: super::Bound::Date(date),
            ..
        }) => date.precision(),
        _ => Precision::Day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_stays_small() {
        // A million of them are kept in memory: keep an eye on the size.
        // 104 bytes with the certainty and the place precision: both fit in the padding.
        assert!(
            std::mem::size_of::<Event>() <= 104,
            "{}",
            std::mem::size_of::<Event>()
        );
        let when = When::parse("2024-03-22").unwrap();
        let event = Event::new("crocus", "Attack on Crocus City Hall", "2024-03-22", &when);
        assert_eq!(event.id(), "crocus");
        assert_eq!(event.title(), "Attack on Crocus City Hall");
        assert_eq!(event.when_text(), "2024-03-22");
        assert_eq!(event.when(), Some(when));
        assert!(event.is_exact());
        assert_eq!(RegionCode::new("RU-MOS").unwrap().as_str(), "RU-MOS");
        assert_eq!(RegionCode::new("FR-75C").unwrap().to_string(), "FR-75C");
        for bad in ["RU", "ru-MOS", "RU-MOSC", "RUS-MO", "RU-", "-MOS", "RU-Mo"] {
            assert_eq!(RegionCode::new(bad), None, "{bad}");
        }
    }

    #[test]
    fn undated_events_count_in_no_extent_and_are_current_at_any_playhead() {
        let dated = |id: &str, when: &str| {
            let parsed = When::parse(when).unwrap();
            Event::new(id, id, when, &parsed)
        };
        let first = dated("a", "2023-11");
        let last = dated("b", "2024-03-22");
        let extent = TimeRange {
            start: first.span.start,
            end: last.span.end,
        };
        // As loading leaves an undated event: its span is the whole extent, and it comes first.
        let mut undated = Event::undated("u", "Undated");
        undated.span = extent;
        let dataset = Dataset {
            events: vec![undated, first, last],
            extent: Some(extent),
            ..Dataset::default()
        };
        assert_eq!(
            dataset.extent_text().as_deref(),
            Some("2023-11 to 2024-03-22")
        );
        assert_eq!(dataset.undated_count(), 1);
        assert_eq!(
            dataset.summary_line(),
            "3 events, 0 with a place, 1 without a date, 2023-11 to 2024-03-22"
        );
        let everywhere = Event {
            span: TimeRange {
                start: i64::MIN / 4,
                end: i64::MAX / 4,
            },
            ..Event::undated("v", "Everywhere")
        };
        for playhead in [i64::MIN / 4, 0, i64::MAX / 4] {
            assert_eq!(everywhere.status(playhead, 86_400), EventStatus::Current);
        }
        assert_eq!(everywhere.status(i64::MIN, i64::MAX), EventStatus::Future);
    }
}
