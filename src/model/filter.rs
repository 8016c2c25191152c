//! Which events match: categories, regions, a span of time, the date's precision, having a
//! place, and words in the text. One filter for every view and for the command line (`check`
//! and `convert` take the same criteria), so that they always agree.
//!
//! Criteria combine with "and"; within one criterion, the values combine with "or" (two
//! categories: events of either). Text is compared case- and accent-insensitively, every word of
//! the query somewhere in the event's title, summary, actors or source quotes.

use serde::{Deserialize, Serialize};

use super::dataset::{Dataset, Event, EventDetails, EventIndex, Location, Shape, TimeRange};
use super::event_set::EventSet;
use super::regions::EventRegions;
pub use super::search::fold;
use super::search::{SearchIndex, query_words, same_actor, searched_texts, text_matches};

/// How precisely an event's date is known, as a filter sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DatePrecision {
    /// A day or a moment.
    Exact,
    /// A whole month or year.
    Period,
    /// An interval between two dates, or an open end.
    Range,
    /// The source gives no date.
    Undated,
}

impl DatePrecision {
    pub fn of(event: &Event) -> Self {
        match event.shape {
            Shape::Exact => DatePrecision::Exact,
            Shape::Period => DatePrecision::Period,
            Shape::Range => DatePrecision::Range,
            Shape::Undated => DatePrecision::Undated,
        }
    }
}

/// A filter on events. The default lets every event through.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Only events whose span overlaps this one (events without a date are left out when set).
    pub span: Option<TimeRange>,
    /// Only events in these categories, by id or label (any case).
    pub categories: Vec<String>,
    /// Only events in these regions: an ISO 3166-2 code (`RU-MOS`), or a country's two letters
    /// (`RU`) for all its regions.
    pub regions: Vec<String>,
    /// Only events whose date is known this precisely.
    pub precisions: Vec<DatePrecision>,
    /// Only events with a place (a point or a region).
    pub has_place: bool,
    /// Only events whose text holds every word of this.
    pub text: String,
    /// Only events with one of these actors (any case).
    pub actors: Vec<String>,
}

/// One criterion of a filter, to say what each removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Criterion {
    Span,
    Categories,
    Regions,
    Precisions,
    HasPlace,
    Text,
    Actors,
}

impl Criterion {
    /// How the criterion is named (on its chip, in the panel).
    pub fn label(self) -> &'static str {
        match self {
            Criterion::Span => "Dates",
            Criterion::Categories => "Category",
            Criterion::Regions => "Region",
            Criterion::Precisions => "Date precision",
            Criterion::HasPlace => "Has a place",
            Criterion::Text => "Text",
            Criterion::Actors => "Actor",
        }
    }
}

/// What the filter of a dataset needs besides its events: each event's region (found at load
/// by point-in-polygon for points without one) and the text index, when they are built.
#[derive(Clone, Copy, Default)]
pub struct FilterContext<'a> {
    pub regions: Option<&'a EventRegions>,
    /// The text index (the text and actor criteria read every event's details without it).
    pub search: Option<&'a SearchIndex>,
}

/// A filter's result: the events it lets through, and how many each criterion removes on its
/// own (the events that would match without it, and do not with it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterOutcome {
    pub matches: EventSet,
    pub removed_by: Vec<(Criterion, usize)>,
}

impl Filter {
    /// Whether the filter lets every event through.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The criteria set, in a fixed order.
    pub fn criteria(&self) -> Vec<Criterion> {
        let set = [
            (Criterion::Text, !query_words(&self.text).is_empty()),
            (Criterion::Categories, !self.categories.is_empty()),
            (Criterion::Regions, !self.regions.is_empty()),
            (Criterion::Actors, !self.actors.is_empty()),
            (Criterion::Span, self.span.is_some()),
            (Criterion::Precisions, !self.precisions.is_empty()),
            (Criterion::HasPlace, self.has_place),
        ];
        set.into_iter()
            .filter(|&(_, on)| on)
            .map(|(criterion, _)| criterion)
            .collect()
    }

    /// This filter without one criterion.
    pub fn without(&self, criterion: Criterion) -> Filter {
        let mut filter = self.clone();
        match criterion {
            Criterion::Span => filter.span = None,
            Criterion::Categories => filter.categories.clear(),
            Criterion::Regions => filter.regions.clear(),
            Criterion::Precisions => filter.precisions.clear(),
            Criterion::HasPlace => filter.has_place = false,
            Criterion::Text => filter.text.clear(),
            Criterion::Actors => filter.actors.clear(),
        }
        filter
    }

    /// Whether events of `category` (a position in the dataset's categories; `None`:
    /// uncategorised) are let through by the category criterion.
    pub fn shows_category(&self, dataset: &Dataset, category: Option<usize>) -> bool {
        if self.categories.is_empty() {
            return true;
        }
        category.is_some_and(|category| {
            self.categories
                .iter()
                .any(|name| category_of(dataset, name) == Some(category))
        })
    }

    /// This filter with `category` hidden if it is shown, shown if hidden (the legend's and
    /// the filter panel's toggles). Showing every category again clears the criterion.
    pub fn with_category_toggled(&self, dataset: &Dataset, category: usize) -> Filter {
        let mut shown: Vec<usize> = (0..dataset.categories.len())
            .filter(|&c| self.shows_category(dataset, Some(c)))
            .collect();
        match shown.iter().position(|&c| c == category) {
            Some(at) => {
                shown.remove(at);
            }
            None => shown.push(category),
        }
        shown.sort_unstable();
        let mut filter = self.clone();
        filter.categories = if shown.len() == dataset.categories.len() {
            Vec::new()
        } else {
            shown
                .iter()
                .filter_map(|&c| dataset.categories.get(c))
                .map(|c| c.id.clone())
                .collect()
        };
        filter
    }

    /// This filter with `category` as the only category shown ("only this").
    pub fn with_only_category(&self, dataset: &Dataset, category: usize) -> Filter {
        let mut filter = self.clone();
        filter.categories = dataset
            .categories
            .get(category)
            .map(|c| vec![c.id.clone()])
            .unwrap_or_default();
        filter
    }

    /// This filter with `value` added to `list` if absent, removed if present.
    pub fn toggled<T: PartialEq + Clone>(list: &[T], value: &T) -> Vec<T> {
        let mut list = list.to_vec();
        match list.iter().position(|v| v == value) {
            Some(at) => {
                list.remove(at);
            }
            None => list.push(value.clone()),
        }
        list
    }

    /// The names given that are no category of `dataset` (to say so rather than match nothing).
    pub fn unknown_categories<'f>(&'f self, dataset: &Dataset) -> Vec<&'f str> {
        self.categories
            .iter()
            .filter(|name| category_of(dataset, name).is_none())
            .map(String::as_str)
            .collect()
    }

    /// The events of `dataset` that match, in time order, with only the regions the data
    /// names and no text index (the command line's `check`).
    pub fn matching(&self, dataset: &Dataset) -> Result<Vec<EventIndex>, String> {
        let outcome = self.outcome(dataset, &FilterContext::default())?;
        Ok(outcome.matches.iter().collect())
    }

    /// The events that match and what each criterion removes. Each criterion is one pass over
    /// the events (the text one through the index when there is one).
    pub fn outcome(
        &self,
        dataset: &Dataset,
        context: &FilterContext<'_>,
    ) -> Result<FilterOutcome, String> {
        let len = dataset.events.len();
        let compiled = Compiled::new(self, dataset, context);
        let mut sets = Vec::new();
        for criterion in self.criteria() {
            sets.push((criterion, compiled.set_of(criterion)?));
        }
        let intersection = |skip: Option<usize>| {
            let mut all = EventSet::all(len);
            for (n, (_, set)) in sets.iter().enumerate() {
                if Some(n) != skip {
                    all.intersect_with(set);
                }
            }
            all
        };
        let matches = intersection(None);
        let removed_by = (0..sets.len())
            .filter_map(|n| {
                let criterion = sets.get(n)?.0;
                Some((criterion, intersection(Some(n)).count() - matches.count()))
            })
            .collect();
        Ok(FilterOutcome {
            matches,
            removed_by,
        })
    }
}

/// The position of the category named `name` (its id, or its label in any case).
fn category_of(dataset: &Dataset, name: &str) -> Option<usize> {
    dataset
        .categories
        .iter()
        .position(|c| c.id == name || c.label.eq_ignore_ascii_case(name))
}

/// A filter made ready for one dataset: category positions, folded words.
struct Compiled<'f> {
    filter: &'f Filter,
    dataset: &'f Dataset,
    context: &'f FilterContext<'f>,
    categories: Vec<usize>,
    words: Vec<String>,
}

impl<'f> Compiled<'f> {
    fn new(filter: &'f Filter, dataset: &'f Dataset, context: &'f FilterContext<'f>) -> Self {
        Self {
            filter,
            dataset,
            context,
            categories: filter
                .categories
                .iter()
                .filter_map(|name| category_of(dataset, name))
                .collect(),
            words: query_words(&filter.text),
        }
    }

    /// The events one criterion lets through.
    fn set_of(&self, criterion: Criterion) -> Result<EventSet, String> {
        let (dataset, filter) = (self.dataset, self.filter);
        let len = dataset.events.len();
        let each = |keep: &dyn Fn(usize, &Event) -> bool| {
            EventSet::from_indices(
                len,
                dataset
                    .events
                    .iter()
                    .enumerate()
                    .filter(|(index, event)| keep(*index, event))
                    .map(|(index, _)| index),
            )
        };
        Ok(match criterion {
            Criterion::Span => each(&|_, event| {
                filter.span.is_none_or(|span| {
                    !event.is_undated()
                        && event.span.start < span.end
                        && event.span.end > span.start
                })
            }),
            Criterion::Categories => each(&|_, event| {
                event
                    .category
                    .is_some_and(|category| self.categories.contains(&category))
            }),
            Criterion::Regions => each(&|index, event| {
                let code = match self.context.regions {
                    Some(regions) => regions.code_of(index),
                    None => event.location.region_code(),
                };
                code.is_some_and(|code| filter.regions.iter().any(|wanted| in_region(code, wanted)))
            }),
            Criterion::Precisions => {
                each(&|_, event| filter.precisions.contains(&DatePrecision::of(event)))
            }
            Criterion::HasPlace => each(&|_, event| event.location != Location::Unknown),
            Criterion::Text => match self.context.search {
                Some(index) => index
                    .matching(&filter.text)
                    .unwrap_or_else(|| EventSet::all(len)),
                None => self.each_by_details(|event, details| {
                    text_matches(searched_texts(event.title(), details), &self.words)
                })?,
            },
            Criterion::Actors => match self.context.search {
                Some(index) => index.events_with_actors(&filter.actors),
                None => self.each_by_details(|_, details| {
                    details
                        .actors
                        .iter()
                        .any(|actor| filter.actors.iter().any(|wanted| same_actor(actor, wanted)))
                })?,
            },
        })
    }

    /// The events whose details pass `keep` (every event's details read once).
    fn each_by_details(
        &self,
        keep: impl Fn(&Event, &EventDetails) -> bool,
    ) -> Result<EventSet, String> {
        let dataset = self.dataset;
        let details = dataset.all_details()?;
        let mut set = EventSet::none(dataset.events.len());
        for (index, event) in dataset.events.iter().enumerate() {
            let read = details
                .get(index)
                .map_err(|error| format!("event \"{}\": {error}", event.id()))?;
            if keep(event, &read) {
                set.insert(index);
            }
        }
        Ok(set)
    }
}

/// Whether the region `code` is `wanted`, or in the country `wanted` (two letters).
fn in_region(code: &str, wanted: &str) -> bool {
    let wanted = wanted.trim();
    code.eq_ignore_ascii_case(wanted)
        || (wanted.len() == 2
            && code
                .split_once('-')
                .is_some_and(|(country, _)| country.eq_ignore_ascii_case(wanted)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crocus() -> Dataset {
        crate::builtin::crocus_dataset().unwrap().dataset
    }

    fn ids(dataset: &Dataset, filter: &Filter) -> Vec<String> {
        filter
            .matching(dataset)
            .unwrap()
            .into_iter()
            .map(|i| dataset.events[i].id().to_owned())
            .collect()
    }

    #[test]
    fn an_empty_filter_keeps_everything() {
        let dataset = crocus();
        let all = Filter::default().matching(&dataset).unwrap();
        assert_eq!(all, (0..dataset.events.len()).collect::<Vec<_>>());
        assert!(Filter::default().is_empty());
    }

    #[test]
    fn text_is_found_in_titles_summaries_actors_and_quotes_whatever_the_case_and_accents() {
        let dataset = crocus();
        let title = Filter {
            text: "CROCUS attack".to_owned(),
            ..Filter::default()
        };
        assert!(ids(&dataset, &title).contains(&"crocus-attack".to_owned()));
        let quote = Filter {
            text: "incendiary".to_owned(),
            ..Filter::default()
        };
        assert_eq!(ids(&dataset, &quote), ["crocus-attack"]);
        let accented = Filter {
            text: "Ìncendiàry".to_owned(),
            ..Filter::default()
        };
        assert_eq!(ids(&dataset, &accented), ["crocus-attack"]);
        let nowhere = Filter {
            text: "incendiary synagogue".to_owned(),
            ..Filter::default()
        };
        assert!(ids(&dataset, &nowhere).is_empty());
    }

    #[test]
    fn regions_match_their_code_or_their_country() {
        let dataset = crocus();
        let ingushetia = Filter {
            regions: vec!["RU-IN".to_owned()],
            ..Filter::default()
        };
        let found = ids(&dataset, &ingushetia);
        assert!(!found.is_empty());
        for index in ingushetia.matching(&dataset).unwrap() {
            assert_eq!(dataset.events[index].location.region_code(), Some("RU-IN"));
        }
        let russia = Filter {
            regions: vec!["ru".to_owned()],
            ..Filter::default()
        };
        assert!(ids(&dataset, &russia).len() > found.len());
    }

    #[test]
    fn criteria_combine_with_and_values_with_or() {
        let dataset = crocus();
        let filter = Filter {
            categories: vec!["attack".to_owned(), "Claims of responsibility".to_owned()],
            precisions: vec![DatePrecision::Exact],
            has_place: true,
            ..Filter::default()
        };
        let found = filter.matching(&dataset).unwrap();
        assert!(!found.is_empty());
        for index in &found {
            let event = &dataset.events[*index];
            let category = &dataset.categories[event.category.unwrap()].id;
            assert!(category == "attack" || category == "claim", "{category}");
            assert!(event.is_exact());
            assert_ne!(event.location, Location::Unknown);
        }
        let unknown = Filter {
            categories: vec!["nope".to_owned(), "attack".to_owned()],
            ..Filter::default()
        };
        assert_eq!(unknown.unknown_categories(&dataset), ["nope"]);
    }

    #[test]
    fn folding_takes_accents_off_latin_letters_only() {
        assert_eq!(fold("Krasnogórsk ÉTÉ Łódź"), "krasnogorsk ete lodz");
        assert_eq!(fold("Москва"), "москва");
        assert_eq!(fold("İstanbul"), "istanbul");
    }
}
