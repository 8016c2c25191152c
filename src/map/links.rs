//! The dataset's links as the map needs them, built once per dataset (no egui): which links
//! can be on the map at all (a place at both ends) in the order they appear, each event's
//! incoming links, and which links are visible now — kept between frames and brought up to
//! date only when the filter's result or the playhead changes (an incremental step when only
//! the playhead moved). The map's links layer (`layers/links.rs`) draws from it.

use std::cell::{Ref, RefCell};

use crate::model::{Dataset, EventIndex, EventSet};

/// Beyond this many visible links the map draws only the selection's: more arcs than this are
/// a tangle, not a picture.
pub const MAP_LINK_LIMIT: usize = 300;

/// The map's view of a dataset's links (indices into [`Dataset::links`]).
#[derive(Debug, Default)]
pub struct MapLinks {
    /// When each link can first be on the map (the later start of its two ends), or `None`
    /// when an end has no place (such a link is on the timeline only).
    appears: Vec<Option<i64>>,
    /// The links with a place at both ends, by the time they appear (then by index).
    by_appearance: Vec<u32>,
    /// Every link, ordered by its `to` end (then its `from`).
    incoming: Vec<u32>,
    /// The visible links, kept between frames.
    visible: RefCell<VisibleLinks>,
    /// What the layer drew in the last frame (for the legend and for tests).
    drawn: RefCell<DrawnLinks>,
}

/// The links visible for one filter result and playhead.
#[derive(Debug, Default)]
struct VisibleLinks {
    /// The filter result's generation and the playhead they are for.
    of: Option<(u64, i64)>,
    /// How many of `by_appearance` have appeared by the playhead.
    appeared: usize,
    /// Those of them whose two ends match the filter, in `by_appearance` order.
    links: Vec<u32>,
}

/// What the links layer drew in one frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DrawnLinks {
    /// The links drawn, by index.
    pub links: Vec<u32>,
    /// The link under the pointer (named in a tooltip).
    pub hovered: Option<u32>,
    /// How many links are visible (both ends on the map), drawn or not.
    pub visible: usize,
    /// Too many were visible: only the selection's were drawn.
    pub limited: bool,
    /// The kinds of the links drawn, sorted, each once.
    pub kinds: Vec<String>,
}

impl MapLinks {
    /// The links of `dataset`; `has_place(i)` says whether event `i` is drawn somewhere on the
    /// map (a point or a region).
    pub fn new(dataset: &Dataset, has_place: impl Fn(EventIndex) -> bool) -> Self {
        let start = |index: EventIndex| dataset.events.get(index).map(|e| e.span.start);
        let appears: Vec<Option<i64>> = dataset
            .links
            .iter()
            .map(|link| {
                if !has_place(link.from) || !has_place(link.to) {
                    return None;
                }
                Some(start(link.from)?.max(start(link.to)?))
            })
            .collect();
        let mut by_appearance: Vec<u32> = (0..appears.len() as u32)
            .filter(|&link| matches!(appears.get(link as usize), Some(Some(_))))
            .collect();
        by_appearance.sort_by_key(|&link| (appears.get(link as usize).copied().flatten(), link));
        let mut incoming: Vec<u32> = (0..dataset.links.len() as u32).collect();
        incoming.sort_by_key(|&link| {
            dataset
                .links
                .get(link as usize)
                .map(|l| (l.to, l.from, link))
        });
        Self {
            appears,
            by_appearance,
            incoming,
            visible: RefCell::default(),
            drawn: RefCell::default(),
        }
    }

    /// How many links have a place at both ends.
    pub fn placed_count(&self) -> usize {
        self.by_appearance.len()
    }

    /// Whether `link` is on the map now: both ends match the filter, have started by the
    /// playhead and have a place.
    pub fn is_visible(
        &self,
        dataset: &Dataset,
        link: u32,
        matches: &EventSet,
        playhead: i64,
    ) -> bool {
        let appeared = matches!(self.appears.get(link as usize), Some(Some(at)) if *at <= playhead);
        appeared
            && dataset
                .links
                .get(link as usize)
                .is_some_and(|l| matches.contains(l.from) && matches.contains(l.to))
    }

    /// The links from and to `index` (each once; a link to itself too), outgoing first.
    pub fn of_event<'a>(
        &'a self,
        dataset: &'a Dataset,
        index: EventIndex,
    ) -> impl Iterator<Item = u32> + 'a {
        let links = &dataset.links;
        let first_out = links.partition_point(|link| link.from < index);
        let outgoing = (first_out..links.len())
            .take_while(move |&at| links.get(at).is_some_and(|link| link.from == index))
            .map(|at| at as u32);
        let to_of = move |link: &u32| links.get(*link as usize).map(|l| l.to);
        let first_in = self
            .incoming
            .partition_point(|link| to_of(link) < Some(index));
        let incoming = self
            .incoming
            .get(first_in..)
            .unwrap_or_default()
            .iter()
            .copied()
            .take_while(move |link| to_of(link) == Some(index))
            .filter(move |&link| links.get(link as usize).is_some_and(|l| l.from != index));
        outgoing.chain(incoming)
    }

    /// The links visible for `matches` (of generation `generation`) at `playhead`, in the
    /// order they appeared. Recomputed only when the filter's result changes; when only the
    /// playhead moved, the links that appeared or disappeared since are added or dropped.
    pub fn visible(
        &self,
        dataset: &Dataset,
        matches: &EventSet,
        generation: u64,
        playhead: i64,
    ) -> Ref<'_, [u32]> {
        let up_to_date = self.visible.borrow().of == Some((generation, playhead));
        if !up_to_date && let Ok(mut visible) = self.visible.try_borrow_mut() {
            self.bring_up_to_date(&mut visible, dataset, matches, generation, playhead);
        }
        Ref::map(self.visible.borrow(), |visible| visible.links.as_slice())
    }

    fn bring_up_to_date(
        &self,
        visible: &mut VisibleLinks,
        dataset: &Dataset,
        matches: &EventSet,
        generation: u64,
        playhead: i64,
    ) {
        let appears = |link: &u32| self.appears.get(*link as usize).copied().flatten();
        let appeared = self
            .by_appearance
            .partition_point(|link| appears(link).is_some_and(|at| at <= playhead));
        let same_filter = visible.of.is_some_and(|(g, _)| g == generation);
        if !same_filter {
            visible.links.clear();
            visible.appeared = 0;
        }
        if appeared < visible.appeared {
            // Back in time: the links are in the order they appeared, so drop the tail.
            let keep = visible
                .links
                .partition_point(|link| appears(link).is_some_and(|at| at <= playhead));
            visible.links.truncate(keep);
        } else {
            let both_match = |link: &u32| {
                dataset
                    .links
                    .get(*link as usize)
                    .is_some_and(|l| matches.contains(l.from) && matches.contains(l.to))
            };
            let new = self
                .by_appearance
                .get(visible.appeared..appeared)
                .unwrap_or_default();
            visible.links.extend(new.iter().filter(|l| both_match(l)));
        }
        visible.appeared = appeared;
        visible.of = Some((generation, playhead));
    }

    /// Remembers what the layer drew this frame.
    pub fn set_drawn(&self, drawn: DrawnLinks) {
        if let Ok(mut last) = self.drawn.try_borrow_mut() {
            *last = drawn;
        }
    }

    /// What the links layer drew in the last frame: the legend reads it, and tests do.
    pub fn drawn(&self) -> DrawnLinks {
        self.drawn.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Link;
    use crate::model::calendar::DAY;
    use crate::model::{Event, When};

    /// Events `e0..` a day apart from day 1 (the first 27; then a month on).
    fn dataset(count: usize, links: &[(usize, usize)]) -> Dataset {
        let mut dataset = Dataset::default();
        for i in 0..count {
            let text = format!("1970-{:02}-{:02}", 1 + i / 27, 2 + i % 27);
            let when = When::parse(&text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            dataset.events.push(Event::new(
                &format!("e{i}"),
                &format!("Event {i}"),
                &text,
                &when,
            ));
        }
        dataset.links = links
            .iter()
            .map(|&(from, to)| Link {
                from,
                to,
                kind: "follows".to_owned(),
            })
            .collect();
        dataset.links.sort();
        dataset
    }

    fn day(n: i64) -> i64 {
        n * DAY
    }

    #[test]
    fn a_link_is_visible_once_both_ends_have_started_match_and_have_a_place() {
        // 0 → 2, 1 → 3 (3 has no place), 2 → 0.
        let data = dataset(4, &[(0, 2), (1, 3), (2, 0)]);
        let links = MapLinks::new(&data, |i| i != 3);
        assert_eq!(links.placed_count(), 2, "a placeless end: timeline only");
        let all = EventSet::all(4);
        // Event i starts on day i + 1.
        assert_eq!(
            &*links.visible(&data, &all, 1, day(2)),
            &[] as &[u32],
            "between them"
        );
        let both: Vec<u32> = links.visible(&data, &all, 1, day(3)).to_vec();
        assert_eq!(both, [0, 2], "after both: A→B and B→A");
        assert!(links.is_visible(&data, 0, &all, day(3)));
        assert!(!links.is_visible(&data, 0, &all, day(2)), "not yet started");
        assert!(!links.is_visible(&data, 1, &all, day(10)), "placeless");
        let without_0 = EventSet::from_indices(4, [1, 2, 3]);
        assert!(
            !links.is_visible(&data, 0, &without_0, day(3)),
            "filtered out"
        );
        assert_eq!(&*links.visible(&data, &without_0, 2, day(3)), &[] as &[u32]);
    }

    #[test]
    fn moving_the_playhead_adds_and_drops_links_as_a_fresh_computation_would() {
        let pairs: Vec<(usize, usize)> = (1..40).map(|i| (i, (i * 7 + 3) % 40)).collect();
        let data = dataset(40, &pairs);
        let links = MapLinks::new(&data, |i| i % 5 != 4);
        let matches = EventSet::from_indices(40, (0..40).filter(|i| i % 3 != 0));
        for playhead in [5, 20, 12, 40, 0, 33, 33, 8] {
            let stepped: Vec<u32> = links.visible(&data, &matches, 7, day(playhead)).to_vec();
            let fresh = MapLinks::new(&data, |i| i % 5 != 4);
            let expected: Vec<u32> = fresh.visible(&data, &matches, 7, day(playhead)).to_vec();
            assert_eq!(stepped, expected, "playhead on day {playhead}");
            let mut sorted = expected.clone();
            sorted.sort_unstable();
            let brute: Vec<u32> = (0..data.links.len() as u32)
                .filter(|&l| links.is_visible(&data, l, &matches, day(playhead)))
                .collect();
            assert_eq!(sorted, brute, "playhead on day {playhead}");
        }
    }

    #[test]
    fn an_event_s_links_are_its_outgoing_then_its_incoming_ones() {
        let data = dataset(5, &[(0, 2), (2, 4), (3, 2), (2, 2), (1, 0)]);
        let links = MapLinks::new(&data, |_| true);
        let of_2: Vec<(usize, usize)> = links
            .of_event(&data, 2)
            .filter_map(|l| data.links.get(l as usize).map(|l| (l.from, l.to)))
            .collect();
        assert_eq!(of_2, [(2, 2), (2, 4), (0, 2), (3, 2)]);
        assert_eq!(links.of_event(&data, 4).count(), 1);
    }
}
