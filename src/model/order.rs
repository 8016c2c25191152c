//! The event table's orders: every event's rank by each column, built once per dataset (on the
//! loading thread), so that sorting a million rows is one sort of integers, not a million
//! string comparisons on the UI thread.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use super::filter::fold;
use super::{AllDetails, Dataset, EventIndex, Location};

/// The rank of an event that has no value in a column: it comes after every value, whichever
/// way the rows are sorted.
const MISSING: u32 = u32::MAX;

/// A column the table's rows can be sorted by (the model's own name for the table's columns:
/// the model knows nothing of the view state).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortColumn {
    /// By start, then end.
    Date,
    Title,
    /// By the category's label.
    Category,
    /// By the place's name (see [`PlaceOrder`]).
    Place,
    /// By the region's name.
    Region,
    /// By the actors, as "first, second, …".
    Actors,
}

/// One name (or none) per event, from a list of names: the region each event lies in, or its
/// actors. Made by whoever knows them (point-in-polygon at load, a search index).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventLabels {
    /// For each event, the position of its name in `names`.
    of_event: Vec<Option<u32>>,
    names: Vec<String>,
}

impl EventLabels {
    /// Labels from each event's position in `names` (`None`: the event has none).
    pub fn new(of_event: Vec<Option<u32>>, names: Vec<String>) -> Self {
        debug_assert!(
            of_event
                .iter()
                .flatten()
                .all(|&name| (name as usize) < names.len()),
            "every label names one of the names"
        );
        Self { of_event, names }
    }

    /// Each event's region as the data gives it (its ISO 3166-2 code), for when no region
    /// names were found.
    pub fn region_codes(dataset: &Dataset) -> Self {
        let mut names = Interner::default();
        let of_event = dataset
            .events
            .iter()
            .map(|event| event.location.region_code().map(|code| names.intern(code)))
            .collect();
        Self::new(of_event, names.names)
    }

    /// The name of event `index`'s label, if it has one.
    pub fn name(&self, index: EventIndex) -> Option<&str> {
        let name = self.of_event.get(index).copied().flatten()?;
        self.names.get(name as usize).map(String::as_str)
    }

    /// Each event's rank by its name (folded, so case and accents do not split names).
    fn ranks(&self, len: usize) -> Vec<u32> {
        let name_ranks = ranks_of_names(&self.names);
        (0..len)
            .map(|index| {
                self.of_event
                    .get(index)
                    .copied()
                    .flatten()
                    .and_then(|name| name_ranks.get(name as usize).copied())
                    .unwrap_or(MISSING)
            })
            .collect()
    }
}

/// Where the place names that the table sorts by come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PlaceOrder {
    /// Every event's place name, from its details (read at load, or given).
    #[default]
    Names,
    /// The dataset's named places (matched by position), for when the details were not read
    /// (too many events, or unreadable) and no place names were given: names given inline
    /// count as no name.
    NamedPlaces,
}

/// Every event's rank by each column of the table, and what the table shows but the events
/// do not hold (each event's region name).
#[derive(Debug, Default)]
pub struct SortKeys {
    /// Different for every set of keys built: caches of what the table showed key on it.
    id: u64,
    date: Vec<u32>,
    title: Vec<u32>,
    category: Vec<u32>,
    place: Vec<u32>,
    region: Vec<u32>,
    actors: Vec<u32>,
    regions: EventLabels,
    place_order: PlaceOrder,
    /// Whether the actors are known (sorting by them keeps time order otherwise).
    actors_sorted: bool,
    /// Why the details were not read for the keys, if they were not.
    unread: Option<String>,
}

/// What the caller knows of each event beyond the events themselves.
struct Labels {
    regions: EventLabels,
    places: Option<EventLabels>,
    actors: Option<EventLabels>,
}

/// Datasets up to this many events have their details read for the keys (the keys take about
/// 0.2 s at this size; reading a million events' details takes 1.3–1.5 s, more than loading
/// them: `benches/table.rs`).
pub const READ_DETAILS_UP_TO: usize = 100_000;

impl SortKeys {
    /// The keys of `dataset`, with each event's region (`regions`: from point-in-polygon at
    /// load, or [`EventLabels::region_codes`]), place name and actors (`places`, `actors`: from
    /// whoever read every event's details already, such as a search index).
    ///
    /// Place names and actors live in the details. Those not given are read here for datasets
    /// of up to [`READ_DETAILS_UP_TO`] events; beyond that, reading them would take longer than
    /// loading itself (1.3 s at a million, `benches/table.rs`), so places sort by the
    /// dataset's named places and actors not at all (see [`SortKeys::unread`]).
    pub fn new(
        dataset: &Dataset,
        regions: EventLabels,
        places: Option<EventLabels>,
        actors: Option<EventLabels>,
    ) -> Self {
        let labels = Labels {
            regions,
            places,
            actors,
        };
        Self::build(dataset, labels, READ_DETAILS_UP_TO)
    }

    fn build(dataset: &Dataset, labels: Labels, read_up_to: usize) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let len = dataset.events.len();
        let Labels {
            regions,
            places,
            actors,
        } = labels;
        let read = if places.is_some() && actors.is_some() {
            Ok(None)
        } else if len > read_up_to {
            Err(format!(
                "the details of datasets over {} events are not read for sorting",
                super::calendar::group_thousands(read_up_to as u64)
            ))
        } else {
            read_labels(dataset).map(Some)
        };
        let (read_places, read_actors, unread) = match read {
            Ok(Some((places, actors))) => (Some(places), Some(actors), None),
            Ok(None) => (None, None, None),
            Err(why) => (None, None, Some(why)),
        };
        let (places, place_order) = match places.or(read_places) {
            Some(places) => (places, PlaceOrder::Names),
            None => (named_places(dataset), PlaceOrder::NamedPlaces),
        };
        let actors = actors.or(read_actors);
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            date: date_ranks(dataset),
            title: title_ranks(dataset),
            category: category_ranks(dataset),
            place: places.ranks(len),
            region: regions.ranks(len),
            actors_sorted: actors.is_some(),
            actors: actors.unwrap_or_default().ranks(len),
            regions,
            place_order,
            unread,
        }
    }

    /// Different for every set of keys built (a new dataset gets new keys).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// How many events the keys are for.
    pub fn len(&self) -> usize {
        self.date.len()
    }

    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }

    /// The name of the region event `index` lies in.
    pub fn region_name(&self, index: EventIndex) -> Option<&str> {
        self.regions.name(index)
    }

    /// Where the place names sorted by come from.
    pub fn place_order(&self) -> PlaceOrder {
        self.place_order
    }

    /// Whether the rows sort by actors (they keep time order when the actors are not known).
    pub fn actors_sorted(&self) -> bool {
        self.actors_sorted
    }

    /// Why the events' details were not read for the keys (too many events, or unreadable),
    /// when place names or actors were not given either.
    pub fn unread(&self) -> Option<&str> {
        self.unread.as_deref()
    }

    /// Each event's rank by `column` (equal values, equal ranks; [`MISSING`] for none).
    fn ranks(&self, column: SortColumn) -> &[u32] {
        match column {
            SortColumn::Date => &self.date,
            SortColumn::Title => &self.title,
            SortColumn::Category => &self.category,
            SortColumn::Place => &self.place,
            SortColumn::Region => &self.region,
            SortColumn::Actors => &self.actors,
        }
    }
}

/// Sorts `rows` (event indices) by `column`, descending or not. Rows with equal values keep
/// time order either way, and rows without a value come last either way.
pub fn sort_rows(rows: &mut [u32], column: SortColumn, descending: bool, keys: &SortKeys) {
    let ranks = keys.ranks(column);
    // One u64 per row, the rank above the event's index: a plain sort of integers is then
    // stable by time, and far faster than comparing through the ranks.
    let mut keyed: Vec<u64> = rows
        .iter()
        .map(|&row| {
            let rank = ranks.get(row as usize).copied();
            debug_assert!(rank.is_some(), "row {row} is an event of the keys' dataset");
            let rank = match rank.unwrap_or(MISSING) {
                MISSING => MISSING,
                rank if descending => MISSING - 1 - rank,
                rank => rank,
            };
            (u64::from(rank) << 32) | u64::from(row)
        })
        .collect();
    keyed.sort_unstable();
    for (row, key) in rows.iter_mut().zip(keyed) {
        *row = key as u32;
    }
}

/// Names to small numbers, each name once.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.to_owned(), id);
        self.names.push(name.to_owned());
        id
    }
}

/// Each name's rank among `names`: by the folded name (case and accents aside), then as
/// written; equal names share a rank.
fn ranks_of_names<S: AsRef<str>>(names: &[S]) -> Vec<u32> {
    let mut order: Vec<(String, &str, u32)> = names
        .iter()
        .enumerate()
        .map(|(at, name)| (fold(name.as_ref()), name.as_ref(), at as u32))
        .collect();
    order.sort_unstable();
    let mut ranks = vec![0; names.len()];
    let mut rank = 0;
    for (position, (folded, written, at)) in order.iter().enumerate() {
        let same_as_before = position
            .checked_sub(1)
            .and_then(|before| order.get(before))
            .is_some_and(|(f, w, _)| f == folded && w == written);
        if !same_as_before {
            rank = position as u32;
        }
        if let Some(slot) = ranks.get_mut(*at as usize) {
            *slot = rank;
        }
    }
    ranks
}

/// By start, then end: events are kept in that order, so an event's rank is the position of
/// the first event with its span. Undated events have no date.
fn date_ranks(dataset: &Dataset) -> Vec<u32> {
    let mut ranks = Vec::with_capacity(dataset.events.len());
    let mut previous: Option<(super::TimeRange, u32)> = None;
    for (index, event) in dataset.events.iter().enumerate() {
        if event.is_undated() {
            ranks.push(MISSING);
            continue;
        }
        let rank = match previous {
            Some((span, rank)) if span == event.span => rank,
            _ => index as u32,
        };
        previous = Some((event.span, rank));
        ranks.push(rank);
    }
    ranks
}

/// By title, each distinct title folded and compared once (titles repeat a lot in big data).
fn title_ranks(dataset: &Dataset) -> Vec<u32> {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut distinct: Vec<&str> = Vec::new();
    let of_event: Vec<u32> = dataset
        .events
        .iter()
        .map(|event| {
            *ids.entry(event.title()).or_insert_with(|| {
                distinct.push(event.title());
                distinct.len() as u32 - 1
            })
        })
        .collect();
    let title_ranks = ranks_of_names(&distinct);
    of_event
        .into_iter()
        .map(|id| title_ranks.get(id as usize).copied().unwrap_or(MISSING))
        .collect()
}

/// By the category's label; events without a category come last.
fn category_ranks(dataset: &Dataset) -> Vec<u32> {
    let labels: Vec<&str> = dataset
        .categories
        .iter()
        .map(|category| category.label.as_str())
        .collect();
    let label_ranks = ranks_of_names(&labels);
    dataset
        .events
        .iter()
        .map(|event| {
            event
                .category
                .and_then(|category| label_ranks.get(category).copied())
                .unwrap_or(MISSING)
        })
        .collect()
}

/// Every event's place name and actors, from its details, read once (in memory). Two threads
/// take half the events each: decoding the details is most of the keys' cost.
fn read_labels(dataset: &Dataset) -> Result<(EventLabels, EventLabels), String> {
    let details = dataset.all_details()?;
    let len = dataset.events.len();
    let middle = len / 2;
    let (first, second) = std::thread::scope(|scope| {
        let later = scope.spawn(|| read_labels_in(&details, middle..len));
        let first = read_labels_in(&details, 0..middle);
        let second = later
            .join()
            .unwrap_or_else(|_| Err("reading the details stopped unexpectedly".to_owned()));
        (first, second)
    });
    let (first, second) = (first?, second?);
    Ok((
        PartLabels::join(first.places, second.places),
        PartLabels::join(first.actors, second.actors),
    ))
}

/// The labels of some of the events, numbered on their own.
#[derive(Default)]
struct PartLabels {
    of_event: Vec<Option<u32>>,
    names: Interner,
}

impl PartLabels {
    fn push(&mut self, name: Option<&str>) {
        let id = name.map(|name| self.names.intern(name));
        self.of_event.push(id);
    }

    /// The labels of the events of `first`, then those of `second`, as one list.
    fn join(first: PartLabels, second: PartLabels) -> EventLabels {
        let PartLabels {
            mut of_event,
            mut names,
        } = first;
        let renumbered: Vec<u32> = second
            .names
            .names
            .iter()
            .map(|name| names.intern(name))
            .collect();
        of_event.extend(
            second
                .of_event
                .into_iter()
                .map(|id| id.and_then(|id| renumbered.get(id as usize).copied())),
        );
        EventLabels::new(of_event, names.names)
    }
}

/// Place names and actors of the events in `range`.
struct RangeLabels {
    places: PartLabels,
    actors: PartLabels,
}

fn read_labels_in(
    details: &AllDetails<'_>,
    range: std::ops::Range<usize>,
) -> Result<RangeLabels, String> {
    let mut labels = RangeLabels {
        places: PartLabels::default(),
        actors: PartLabels::default(),
    };
    for index in range {
        let event = details.get(index)?;
        labels.places.push(event.place_name.as_deref());
        let actors = (!event.actors.is_empty()).then(|| event.actors.join(", "));
        labels.actors.push(actors.as_deref());
    }
    Ok(labels)
}

/// Each event's place name when it is at one of the dataset's named places (the details are
/// not read: an event at a named place has its position).
fn named_places(dataset: &Dataset) -> EventLabels {
    let key = |at: super::LonLat| (at.lon.to_bits(), at.lat.to_bits());
    let by_position: HashMap<(u64, u64), u32> = dataset
        .places
        .iter()
        .enumerate()
        .map(|(at, place)| (key(place.at), at as u32))
        .collect();
    let of_event = dataset
        .events
        .iter()
        .map(|event| match event.location {
            Location::Point { at, .. } => by_position.get(&key(at)).copied(),
            _ => None,
        })
        .collect();
    let names = dataset
        .places
        .iter()
        .map(|place| place.name.clone())
        .collect();
    EventLabels::new(of_event, names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, DetailList, DetailRef, Event, EventDetails, When};
    use std::sync::Arc;

    /// One test event: `(date, title, category, place, actors)`.
    type Row<'a> = (
        &'a str,
        &'a str,
        Option<usize>,
        Option<&'a str>,
        &'a [&'a str],
    );

    /// Events in time order, as loading leaves them.
    fn dataset(events: &[Row<'_>]) -> Dataset {
        let mut list = Vec::new();
        let mut details = Vec::new();
        for (slot, (date, title, category, place, actors)) in events.iter().enumerate() {
            let when = When::parse(date).unwrap();
            let mut event = Event::new(&format!("e{slot}"), title, date, &when);
            event.category = *category;
            event.details = DetailRef {
                offset: slot as u64,
                len: 0,
            };
            list.push(event);
            details.push(EventDetails {
                place_name: place.map(str::to_owned),
                actors: actors.iter().map(|a| (*a).to_owned()).collect(),
                ..EventDetails::default()
            });
        }
        let category = |id: &str, label: &str| Category {
            id: id.to_owned(),
            label: label.to_owned(),
            color: [0, 0, 0],
        };
        Dataset {
            categories: vec![category("b", "Bombing"), category("a", "Arrest")],
            events: list,
            details: Some(Arc::new(DetailList(details))),
            ..Dataset::default()
        }
    }

    fn sample() -> Dataset {
        dataset(&[
            ("2024-01-01", "Zeta", Some(0), Some("Moscow"), &["FSB"]),
            ("2024-01-02", "alpha", None, None, &[]),
            (
                "2024-01-02",
                "Beta",
                Some(1),
                Some("Kazan"),
                &["Police", "FSB"],
            ),
            ("2024-01-03", "Álpha", Some(0), Some("moscow"), &["FSB"]),
            ("2024-01-04", "beta", Some(1), None, &["Army"]),
        ])
    }

    fn sorted(keys: &SortKeys, column: SortColumn, descending: bool) -> Vec<u32> {
        let mut rows: Vec<u32> = (0..keys.len() as u32).collect();
        sort_rows(&mut rows, column, descending, keys);
        rows
    }

    fn keys_of(dataset: &Dataset) -> SortKeys {
        let regions = EventLabels::new(
            vec![Some(1), Some(0), None, Some(1), Some(0)],
            vec!["Tatarstan".to_owned(), "Moscow Oblast".to_owned()],
        );
        SortKeys::new(dataset, regions, None, None)
    }

    #[test]
    fn each_column_sorts_both_ways_and_ties_keep_time_order() {
        let keys = keys_of(&sample());
        assert_eq!(keys.place_order(), PlaceOrder::Names);
        assert_eq!(keys.unread(), None);
        assert!(keys.actors_sorted());
        let cases: [(SortColumn, [u32; 5], [u32; 5]); 6] = [
            (SortColumn::Date, [0, 1, 2, 3, 4], [4, 3, 1, 2, 0]),
            // "alpha" and "Álpha" fold alike: written "alpha" < "Álpha" breaks the tie.
            (SortColumn::Title, [1, 3, 2, 4, 0], [0, 4, 2, 3, 1]),
            // Arrest < Bombing; no category last both ways.
            (SortColumn::Category, [2, 4, 0, 3, 1], [0, 3, 2, 4, 1]),
            // Kazan < Moscow < moscow (as written); no place last both ways.
            (SortColumn::Place, [2, 0, 3, 1, 4], [3, 0, 2, 1, 4]),
            (SortColumn::Region, [0, 3, 1, 4, 2], [1, 4, 0, 3, 2]),
            // "Army" < "FSB" < "Police, FSB".
            (SortColumn::Actors, [4, 0, 3, 2, 1], [2, 0, 3, 4, 1]),
        ];
        for (column, ascending, descending) in cases {
            assert_eq!(
                sorted(&keys, column, false),
                ascending,
                "{column:?} ascending"
            );
            assert_eq!(
                sorted(&keys, column, true),
                descending,
                "{column:?} descending"
            );
        }
    }

    #[test]
    fn a_subset_of_rows_sorts_among_itself() {
        let keys = keys_of(&sample());
        let mut rows = vec![0, 2, 4];
        sort_rows(&mut rows, SortColumn::Title, false, &keys);
        assert_eq!(rows, [2, 4, 0]);
        // Ties in time order, whatever order they came in.
        let mut rows = vec![3, 0];
        sort_rows(&mut rows, SortColumn::Actors, false, &keys);
        assert_eq!(rows, [0, 3]);
        let mut rows = vec![3, 0];
        sort_rows(&mut rows, SortColumn::Actors, true, &keys);
        assert_eq!(rows, [0, 3]);
    }

    #[test]
    fn actors_and_regions_come_from_what_the_caller_knows() {
        let data = sample();
        let actors = EventLabels::new(
            vec![None, Some(0), None, None, Some(1)],
            vec!["Zed".to_owned(), "Amy".to_owned()],
        );
        let keys = SortKeys::new(&data, EventLabels::region_codes(&data), None, Some(actors));
        assert_eq!(sorted(&keys, SortColumn::Actors, false), [4, 1, 0, 2, 3]);
        // The sample's events have no region: all ties, in time order.
        assert_eq!(sorted(&keys, SortColumn::Region, true), [0, 1, 2, 3, 4]);
        assert_eq!(keys.region_name(0), None);
    }

    #[test]
    fn big_datasets_take_place_names_and_actors_given_or_do_without() {
        let mut data = sample();
        data.places = vec![crate::model::Place {
            id: "k".to_owned(),
            name: "Kazan".to_owned(),
            at: crate::model::LonLat::new(49.1, 55.8),
            region: None,
            precision: crate::model::PlacePrecision::Exact,
            note: None,
        }];
        if let Some(event) = data.events.get_mut(1) {
            event.location = Location::Point {
                at: crate::model::LonLat::new(49.1, 55.8),
                region: None,
            };
        }
        // Over the limit (2 here): no details read; named places, actors unsorted.
        let labels = || Labels {
            regions: EventLabels::default(),
            places: None,
            actors: None,
        };
        let keys = SortKeys::build(&data, labels(), 2);
        assert_eq!(keys.place_order(), PlaceOrder::NamedPlaces);
        assert!(!keys.actors_sorted());
        assert!(keys.unread().unwrap().contains("over 2 events"));
        assert_eq!(sorted(&keys, SortColumn::Place, false), [1, 0, 2, 3, 4]);
        assert_eq!(sorted(&keys, SortColumn::Actors, true), [0, 1, 2, 3, 4]);
        // Given, they are used as they are (the details are not read: they cannot be here).
        data.details = Some(Arc::new(DetailList(Vec::new())));
        let places = EventLabels::new(
            vec![None, None, Some(0), None, Some(1)],
            vec!["b".to_owned(), "a".to_owned()],
        );
        let actors = EventLabels::new(vec![Some(0); 5], vec!["x".to_owned()]);
        let given = Labels {
            places: Some(places),
            actors: Some(actors),
            ..labels()
        };
        let keys = SortKeys::build(&data, given, 2);
        assert_eq!(keys.place_order(), PlaceOrder::Names);
        assert_eq!(keys.unread(), None);
        assert!(keys.actors_sorted());
        assert_eq!(sorted(&keys, SortColumn::Place, true), [2, 4, 0, 1, 3]);
    }

    #[test]
    fn undated_events_and_equal_spans() {
        let mut data = dataset(&[
            ("2024-01-01", "a", None, None, &[]),
            ("2024-01-01", "b", None, None, &[]),
            ("2024-01-02", "c", None, None, &[]),
        ]);
        data.events.insert(0, Event::undated("u", "undated"));
        let keys = SortKeys::new(&data, EventLabels::region_codes(&data), None, None);
        // Undated events have no date: last, either way.
        assert_eq!(sorted(&keys, SortColumn::Date, false), [1, 2, 3, 0]);
        assert_eq!(sorted(&keys, SortColumn::Date, true), [3, 1, 2, 0]);
    }

    #[test]
    fn unreadable_details_fall_back_to_named_places() {
        let mut data = sample();
        data.details = Some(Arc::new(DetailList(Vec::new())));
        data.places = vec![crate::model::Place {
            id: "m".to_owned(),
            name: "Moscow".to_owned(),
            at: crate::model::LonLat::new(37.6, 55.7),
            region: None,
            precision: crate::model::PlacePrecision::Exact,
            note: None,
        }];
        if let Some(event) = data.events.get_mut(4) {
            event.location = Location::Point {
                at: crate::model::LonLat::new(37.6, 55.7),
                region: None,
            };
        }
        let keys = SortKeys::new(&data, EventLabels::region_codes(&data), None, None);
        assert_eq!(keys.place_order(), PlaceOrder::NamedPlaces);
        assert!(keys.unread().is_some());
        assert!(!keys.actors_sorted());
        assert_eq!(sorted(&keys, SortColumn::Place, false), [4, 0, 1, 2, 3]);
    }

    #[test]
    fn a_big_sort_is_sorted_and_stable() {
        // Many ties: the rank above the index keeps them in time order.
        let titles: Vec<String> = (0..2000).map(|i| format!("t{}", i % 7)).collect();
        let events: Vec<Row<'_>> = titles
            .iter()
            .map(|t| ("2024-01-01", t.as_str(), None, None, &[][..]))
            .collect();
        let keys = SortKeys::new(&dataset(&events), EventLabels::default(), None, None);
        for descending in [false, true] {
            let rows = sorted(&keys, SortColumn::Title, descending);
            for pair in rows.windows(2) {
                let (a, b) = (pair[0] as usize, pair[1] as usize);
                let (ta, tb) = (&titles[a], &titles[b]);
                let in_order = if descending { ta >= tb } else { ta <= tb };
                assert!(in_order && (ta != tb || a < b), "{a} {b}");
            }
        }
    }
}
