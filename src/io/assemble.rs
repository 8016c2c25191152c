//! The step every reader ends with: from what it read (places, categories, events in file
//! order, links by file position) to a [`Dataset`]: open ends placed at the edges of the data,
//! events in time order, links between events, the time index and the extent.

use std::collections::HashMap;

use super::{palette, rules};
use crate::model::{
    Category, Dataset, DetailReader, Event, Link, Place, Source, TimeRange, When, calendar::DAY,
    index::TimeIndex,
};

/// The categories of a file: declared in `categories`, or made up as events name them.
#[derive(Clone, Debug, Default)]
pub(super) struct Categories {
    list: Vec<Category>,
    index: HashMap<String, usize>,
    /// A `categories` list was given: events may name only those.
    declared: bool,
}

impl Categories {
    /// No list given (yet): events' categories are created as they are named.
    pub(super) fn undeclared() -> Self {
        Self::default()
    }

    /// A `categories` list is given; declare its entries with [`Categories::declare`].
    pub(super) fn declared() -> Self {
        Self {
            declared: true,
            ..Self::default()
        }
    }

    /// The message for a category id that is already declared.
    pub(super) fn check_new(&self, id: &str) -> Result<(), String> {
        if self.index.contains_key(id) {
            Err(rules::duplicate_category(id))
        } else {
            Ok(())
        }
    }

    /// Adds a declared category whose id passed [`Categories::check_new`]; in the next default
    /// colour when `color` is `None`, labelled with its id when `label` is.
    pub(super) fn declare(&mut self, id: String, label: Option<String>, color: Option<[u8; 3]>) {
        let color = color.unwrap_or_else(|| palette::category_color(self.list.len()));
        let label = label.unwrap_or_else(|| id.clone());
        self.push(Category { id, label, color });
    }

    /// The position of the category an event names: `Ok(None)` for one not seen yet (create
    /// it with [`Categories::position_or_add`]), an error message if the file declared its
    /// categories and this is not one of them.
    pub(super) fn find(&self, name: &str) -> Result<Option<usize>, String> {
        match self.index.get(name) {
            Some(&position) => Ok(Some(position)),
            None if self.declared => Err(rules::unknown_category(
                name,
                self.list.iter().map(|c| c.id.as_str()),
            )),
            None => Ok(None),
        }
    }

    /// The position of a category, created (in the next default colour) when first named.
    pub(super) fn position_or_add(&mut self, name: &str) -> Result<usize, String> {
        if let Some(position) = self.find(name)? {
            return Ok(position);
        }
        let color = palette::category_color(self.list.len());
        self.push(Category {
            id: name.to_owned(),
            label: name.to_owned(),
            color,
        });
        Ok(self.list.len() - 1)
    }

    fn push(&mut self, category: Category) {
        let fresh = self.index.insert(category.id.clone(), self.list.len());
        debug_assert!(
            fresh.is_none(),
            "category ids are checked before they are added"
        );
        self.list.push(category);
    }

    pub(super) fn into_list(self) -> Vec<Category> {
        self.list
    }
}

/// The named places of a file, found by id.
#[derive(Clone, Debug, Default)]
pub(super) struct Places {
    list: Vec<Place>,
    index: HashMap<String, usize>,
}

impl Places {
    /// The message for a place id that is already declared.
    pub(super) fn check_new(&self, id: &str) -> Result<(), String> {
        if self.index.contains_key(id) {
            Err(rules::duplicate_place(id))
        } else {
            Ok(())
        }
    }

    /// Adds a place whose id passed [`Places::check_new`].
    pub(super) fn declare(&mut self, place: Place) {
        let fresh = self.index.insert(place.id.clone(), self.list.len());
        debug_assert!(
            fresh.is_none(),
            "place ids are checked before they are added"
        );
        self.list.push(place);
    }

    /// The place with this id, or the message for a `where` that names an unknown one.
    pub(super) fn find(&self, id: &str) -> Result<&Place, String> {
        self.index
            .get(id)
            .and_then(|&position| self.list.get(position))
            .ok_or_else(|| rules::unknown_place(id, self.list.iter().map(|p| p.id.as_str())))
    }

    pub(super) fn into_list(self) -> Vec<Place> {
        self.list
    }
}

/// Finds a named place by id: the loader's index while a file is read, or a loaded dataset's
/// list when one event's details are read again (no index is built for one lookup).
pub(super) trait FindPlace {
    /// The place with this id, or the message for a `where` that names an unknown one.
    fn find_place(&self, id: &str) -> Result<&Place, String>;
}

impl FindPlace for Places {
    fn find_place(&self, id: &str) -> Result<&Place, String> {
        self.find(id)
    }
}

impl FindPlace for &[Place] {
    fn find_place(&self, id: &str) -> Result<&Place, String> {
        self.iter()
            .find(|place| place.id == id)
            .ok_or_else(|| rules::unknown_place(id, self.iter().map(|p| p.id.as_str())))
    }
}

/// The earliest known start and the latest known end: where open ends are placed.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bounds {
    low: i64,
    high: i64,
}

impl Default for Bounds {
    fn default() -> Self {
        Self {
            low: i64::MAX,
            high: i64::MIN,
        }
    }
}

impl Bounds {
    pub(super) fn merge(&mut self, other: Bounds) {
        self.low = self.low.min(other.low);
        self.high = self.high.max(other.high);
    }

    pub(super) fn include(&mut self, when: &When) {
        if let Some(start) = when.known_start().or(when.known_end().map(|e| e - DAY)) {
            self.low = self.low.min(start);
        }
        if let Some(end) = when.known_end().or(when.known_start().map(|s| s + DAY)) {
            self.high = self.high.max(end);
        }
    }
}

/// A link by the positions of its events in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PendingLink {
    pub from: u32,
    pub to: u32,
    pub kind: String,
}

/// Everything a reader read, in file order, ready to become a [`Dataset`].
pub(super) struct Parts {
    pub title: String,
    pub description: Option<String>,
    pub sources: Vec<Source>,
    pub categories: Categories,
    pub places: Places,
    /// In file order, with provisional spans.
    pub events: Vec<Event>,
    /// Of the known dates of all events.
    pub bounds: Bounds,
    pub details: Option<std::sync::Arc<dyn DetailReader>>,
}

/// Builds the dataset. `resolve_links` (run on a second core while the events are sorted)
/// gives the links by file position; `None` from it means the links cannot be resolved, and
/// so no dataset.
pub(super) fn dataset(
    parts: Parts,
    resolve_links: impl FnOnce(&[Event]) -> Option<Vec<PendingLink>> + Send,
) -> Option<Dataset> {
    let Parts {
        title,
        description,
        sources,
        categories,
        places,
        events,
        bounds,
        details,
    } = parts;
    // Sorting into time order and resolving the links take about as long: one on each core.
    let (order, resolved) = std::thread::scope(|scope| {
        let resolver = scope.spawn(|| resolve_links(&events));
        let order = time_order(&events, bounds);
        // A panic on the other thread is a bug: let it reach the loading thread's caller.
        let resolved = resolver
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (order, resolved)
    });
    let resolved = resolved?;
    // The time index needs only the sorted spans: built while the events are moved into order.
    let ((events, links, extent), time_index) = std::thread::scope(|scope| {
        let indexer = scope.spawn(|| {
            TimeIndex::from_spans(
                order.iter().map(|&(start, _, _)| start).collect(),
                order.iter().map(|&(_, end, _)| end).collect(),
            )
        });
        let assembled = into_time_order(events, bounds, &order, resolved);
        let time_index = indexer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (assembled, time_index)
    });
    drop(order);
    Some(Dataset {
        title,
        description,
        sources,
        categories: categories.into_list(),
        places: places.into_list(),
        events,
        links,
        extent,
        time_index,
        details,
        eras: Vec::new(),
        story: crate::model::Story::default(),
        shapes: Vec::new(),
    })
}

/// An event's span with open and unknown ends placed at the edges of the data.
fn placed_span(event: &Event, bounds: Bounds) -> TimeRange {
    if event.is_undated() && bounds.low > bounds.high {
        // No dated event to take the edges from: an undated one covers all the time the
        // timeline can show (a quarter of `i64` either way, so that spans can be subtracted).
        return TimeRange {
            start: i64::MIN / 4,
            end: i64::MAX / 4,
        };
    }
    let mut span = event.span;
    if span.start == i64::MIN {
        span.start = bounds.low.min(span.end - DAY);
    }
    if span.end == i64::MAX {
        span.end = bounds.high.max(span.start + DAY);
    }
    span
}

/// `(start, end, position in the file)` of each event, in time order (ties in file order).
fn time_order(events: &[Event], bounds: Bounds) -> Vec<(i64, i64, u32)> {
    let mut order: Vec<(i64, i64, u32)> = events
        .iter()
        .enumerate()
        .map(|(position, event)| {
            let span = placed_span(event, bounds);
            (span.start, span.end, position as u32)
        })
        .collect();
    order.sort_unstable();
    order
}

/// Places open and unknown ends at the edges of the data, puts the events (in file order) in
/// `order` (from [`time_order`]) and turns links between file positions into links between
/// events.
fn into_time_order(
    mut events: Vec<Event>,
    bounds: Bounds,
    order: &[(i64, i64, u32)],
    pending: Vec<PendingLink>,
) -> (Vec<Event>, Vec<Link>, Option<TimeRange>) {
    for event in &mut events {
        event.span = placed_span(event, bounds);
    }
    // Sorted small keys, not the events: move the events into place by following the
    // permutation's cycles (no second copy of them).
    let mut source_of: Vec<u32> = order.iter().map(|&(_, _, p)| p).collect();
    // Where each event of the file ends up, for the links.
    let mut index_of_position = vec![0u32; events.len()];
    for (index, &position) in source_of.iter().enumerate() {
        if let Some(slot) = index_of_position.get_mut(position as usize) {
            *slot = index as u32;
        }
    }
    for start in 0..events.len() {
        let mut position = start;
        while let Some(slot) = source_of.get_mut(position) {
            let source = std::mem::replace(slot, position as u32) as usize;
            if source == start {
                break;
            }
            events.swap(position, source);
            position = source;
        }
    }
    drop(source_of);
    let index_of = |position: u32| {
        index_of_position
            .get(position as usize)
            .map(|&i| i as usize)
    };
    let pending_count = pending.len();
    let mut links: Vec<Link> = pending
        .into_iter()
        .filter_map(|link| {
            Some(Link {
                from: index_of(link.from)?,
                to: index_of(link.to)?,
                kind: link.kind,
            })
        })
        .collect();
    debug_assert_eq!(links.len(), pending_count, "links join events of the file");
    links.sort_unstable();
    let extent = (bounds.low <= bounds.high && !events.is_empty()).then_some(TimeRange {
        start: bounds.low,
        end: bounds.high,
    });
    (events, links, extent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LonLat;

    #[test]
    fn categories_are_declared_once_and_made_up_in_order_when_undeclared() {
        let mut declared = Categories::declared();
        assert!(declared.check_new("a").is_ok());
        declared.declare("a".into(), None, None);
        assert_eq!(
            declared.check_new("a"),
            Err("duplicate category id \"a\"".to_owned())
        );
        assert_eq!(declared.find("a"), Ok(Some(0)));
        assert!(declared.find("b").unwrap_err().contains("declared: a"));
        assert!(declared.position_or_add("b").is_err());
        let mut made_up = Categories::undeclared();
        assert_eq!(made_up.find("x"), Ok(None));
        assert_eq!(made_up.position_or_add("x"), Ok(0));
        assert_eq!(made_up.position_or_add("y"), Ok(1));
        assert_eq!(made_up.position_or_add("x"), Ok(0));
        let list = made_up.into_list();
        assert_eq!(list[1].label, "y");
        assert_eq!(list[1].color, palette::category_color(1));
    }

    #[test]
    fn places_are_found_by_id_and_declared_once() {
        let place = |id: &str| Place {
            id: id.to_owned(),
            name: id.to_uppercase(),
            at: LonLat::new(1.0, 2.0),
            region: None,
            precision: crate::model::PlacePrecision::Exact,
            note: None,
        };
        let mut places = Places::default();
        places.declare(place("moscow"));
        assert!(places.check_new("moscow").is_err());
        assert!(places.check_new("kaluga").is_ok());
        assert_eq!(places.find("moscow").map(|p| p.name.as_str()), Ok("MOSCOW"));
        assert!(places.find("mosow").unwrap_err().contains("did you mean"));
    }

    #[test]
    fn open_ends_are_placed_and_events_sorted_with_their_links() {
        let event = |id: &str, when: &str| {
            let parsed = When::parse(when).unwrap();
            Event::new(id, id, when, &parsed)
        };
        let events = vec![
            event("late", "2024-03-22"),
            event("open", "2024-01/.."),
            event("early", "2023-11"),
        ];
        let mut bounds = Bounds::default();
        for e in &events {
            bounds.include(&e.when().unwrap());
        }
        let parts = Parts {
            title: "T".to_owned(),
            description: None,
            sources: Vec::new(),
            categories: Categories::undeclared(),
            places: Places::default(),
            events,
            bounds,
            details: None,
        };
        let link = PendingLink {
            from: 0,
            to: 2,
            kind: "after".to_owned(),
        };
        let dataset = dataset(parts, |_| Some(vec![link])).unwrap();
        let ids: Vec<&str> = dataset.events.iter().map(|e| e.id()).collect();
        assert_eq!(ids, ["early", "open", "late"]);
        let extent = dataset.extent.unwrap();
        assert_eq!(
            dataset.events[1].span.end, extent.end,
            "open end at the edge"
        );
        assert_eq!(dataset.links_from(2).collect::<Vec<_>>(), [(0, "after")]);
        let refused = Parts {
            title: "T".to_owned(),
            description: None,
            sources: Vec::new(),
            categories: Categories::undeclared(),
            places: Places::default(),
            events: Vec::new(),
            bounds: Bounds::default(),
            details: None,
        };
        assert!(super::dataset(refused, |_| None).is_none());
    }
}
