use super::when::{Precision, When, format_at_precision};

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
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-2 code of the region it lies in.
    pub region: Option<String>,
    pub note: Option<String>,
}

/// Where an event happened, as precisely as the source says.
#[derive(Clone, Debug, PartialEq)]
pub enum Location {
    /// The source gives no place.
    Unknown,
    /// A point, either given inline or through a named place.
    Point {
        lat: f64,
        lon: f64,
        name: Option<String>,
        place_id: Option<String>,
        region: Option<String>,
    },
    /// Only the region (ISO 3166-2) is known.
    Region { code: String, name: Option<String> },
}

impl Location {
    /// The ISO 3166-2 region code, if known.
    pub fn region_code(&self) -> Option<&str> {
        match self {
            Location::Point { region, .. } => region.as_deref(),
            Location::Region { code, .. } => Some(code),
            Location::Unknown => None,
        }
    }

    /// `(lat, lon)` for a point location.
    pub fn lat_lon(&self) -> Option<(f64, f64)> {
        match self {
            Location::Point { lat, lon, .. } => Some((*lat, *lon)),
            _ => None,
        }
    }
}

/// A directed link from one event to another.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub to: EventIndex,
    pub kind: String,
}

/// Half-open time span in Unix seconds: `start <= t < end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeRange {
    pub start: i64,
    pub end: i64,
}

impl TimeRange {
    pub fn duration(&self) -> i64 {
        self.end - self.start
    }
}

/// One dated event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub id: String,
    pub title: String,
    /// The `when` text exactly as written in the file.
    pub when_text: String,
    pub when: When,
    /// The span on the time axis; open ends are resolved to the dataset's extent.
    pub span: TimeRange,
    pub location: Location,
    pub category: Option<usize>,
    pub actors: Vec<String>,
    pub summary: Option<String>,
    pub sources: Vec<Source>,
    pub links: Vec<Link>,
    /// How the date was derived where it goes beyond the source.
    pub date_note: Option<String>,
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

impl Event {
    /// Status at `playhead` with a window reaching `window` seconds back.
    pub fn status(&self, playhead: i64, window: i64) -> EventStatus {
        if self.span.start > playhead {
            EventStatus::Future
        } else if self.span.end > playhead - window {
            EventStatus::Current
        } else {
            EventStatus::Past
        }
    }
}

/// A loaded, validated dataset. Immutable after loading.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    pub title: String,
    pub description: Option<String>,
    pub sources: Vec<Source>,
    pub categories: Vec<Category>,
    pub places: Vec<Place>,
    /// Sorted by start, then end, then id.
    pub events: Vec<Event>,
    /// From the earliest start to the latest end.
    pub extent: Option<TimeRange>,
    /// Time index over `events`, built at load.
    pub time_index: super::index::TimeIndex,
}

impl Dataset {
    /// Index of the event with this id.
    pub fn find(&self, id: &str) -> Option<EventIndex> {
        self.events.iter().position(|event| event.id == id)
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

    /// Events that link to `index`, with the link kind.
    pub fn links_to(&self, index: EventIndex) -> Vec<(EventIndex, &str)> {
        let mut incoming = Vec::new();
        for (from, event) in self.events.iter().enumerate() {
            for link in &event.links {
                if link.to == index {
                    incoming.push((from, link.kind.as_str()));
                }
            }
        }
        incoming
    }

    /// One-line summary that begins with the event count, e.g.
    /// `14 events, 4 with a place, 2023-11 to 2024-03-22`.
    pub fn summary_line(&self) -> String {
        let count = self.events.len();
        let noun = if count == 1 { "event" } else { "events" };
        let mut line = format!("{count} {noun}, {} with a place", self.located_count());
        if let Some(text) = self.extent_text() {
            line.push_str(", ");
            line.push_str(&text);
        }
        line
    }

    /// The time extent at the precision the sources give, e.g. "2023-11 to 2024-03-22".
    pub fn extent_text(&self) -> Option<String> {
        let extent = self.extent?;
        // Among the events at the edge, a date the source gives beats an open end.
        let first = self
            .events
            .iter()
            .filter(|e| e.span.start == extent.start)
            .max_by_key(|e| e.when.known_start().is_some())?;
        let last = self
            .events
            .iter()
            .filter(|e| e.span.end == extent.end)
            .max_by_key(|e| e.when.known_end().is_some())?;
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
    match &event.when {
        When::Single(date) => date.precision(),
        When::Interval {
            start: super::Bound::Date(date),
            ..
        } => date.precision(),
        When::Interval { .. } => Precision::Day,
    }
}

fn precision_of_end(event: &Event) -> Precision {
    match &event.when {
        When::Single(date) => date.precision(),
        When::Interval {
            end: super::Bound::Date(date),
            ..
        } => date.precision(),
        When::Interval { .. } => Precision::Day,
    }
}
