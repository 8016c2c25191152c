//! Which events match: categories, regions, a span of time, the date's precision, having a
//! place, and words in the text. One filter for every view and for the command line (`check`
//! and `convert` take the same criteria), so that they always agree.
//!
//! Criteria combine with "and"; within one criterion, the values combine with "or" (two
//! categories: events of either). Text is compared case- and accent-insensitively, every word of
//! the query somewhere in the event's title, summary, actors or source quotes.

use serde::{Deserialize, Serialize};

use super::dataset::{AllDetails, Dataset, Event, EventIndex, Location, Shape, TimeRange};

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
}

impl Filter {
    /// Whether the filter lets every event through.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The names given that are no category of `dataset` (to say so rather than match nothing).
    pub fn unknown_categories<'f>(&'f self, dataset: &Dataset) -> Vec<&'f str> {
        self.categories
            .iter()
            .filter(|name| category_of(dataset, name).is_none())
            .map(String::as_str)
            .collect()
    }

    /// The events of `dataset` that match, in time order. Reads the events' details only when
    /// there is text to look for.
    pub fn matching(&self, dataset: &Dataset) -> Result<Vec<EventIndex>, String> {
        let compiled = Compiled::new(self, dataset);
        let candidates = (0..dataset.events.len()).filter(|&index| {
            dataset
                .events
                .get(index)
                .is_some_and(|event| compiled.matches_without_text(event))
        });
        if compiled.words.is_empty() {
            return Ok(candidates.collect());
        }
        let details = dataset.all_details()?;
        let mut found = Vec::new();
        for index in candidates {
            if compiled.text_matches(dataset, &details, index)? {
                found.push(index);
            }
        }
        Ok(found)
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
    categories: Vec<usize>,
    words: Vec<String>,
}

impl<'f> Compiled<'f> {
    fn new(filter: &'f Filter, dataset: &Dataset) -> Self {
        Self {
            filter,
            categories: filter
                .categories
                .iter()
                .filter_map(|name| category_of(dataset, name))
                .collect(),
            words: fold(&filter.text)
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        }
    }

    fn matches_without_text(&self, event: &Event) -> bool {
        let filter = self.filter;
        let in_span = match filter.span {
            None => true,
            Some(span) => {
                !event.is_undated() && event.span.start < span.end && event.span.end > span.start
            }
        };
        let in_category = filter.categories.is_empty()
            || event
                .category
                .is_some_and(|category| self.categories.contains(&category));
        let in_region = filter.regions.is_empty()
            || event
                .location
                .region_code()
                .is_some_and(|code| filter.regions.iter().any(|wanted| in_region(code, wanted)));
        let precise =
            filter.precisions.is_empty() || filter.precisions.contains(&DatePrecision::of(event));
        let placed = !filter.has_place || event.location != Location::Unknown;
        in_span && in_category && in_region && precise && placed
    }

    /// Whether every word is in the event's title, summary, actors or source quotes.
    fn text_matches(
        &self,
        dataset: &Dataset,
        details: &AllDetails<'_>,
        index: EventIndex,
    ) -> Result<bool, String> {
        let Some(event) = dataset.events.get(index) else {
            return Ok(false);
        };
        let title = fold(event.title());
        let mut missing: Vec<&str> = self
            .words
            .iter()
            .map(String::as_str)
            .filter(|word| !title.contains(word))
            .collect();
        if missing.is_empty() {
            return Ok(true);
        }
        let details = details
            .get(index)
            .map_err(|error| format!("event \"{}\": {error}", event.id()))?;
        let texts = details
            .summary
            .iter()
            .chain(&details.actors)
            .chain(details.sources.iter().filter_map(|s| s.quote.as_ref()));
        for text in texts {
            let text = fold(text);
            missing.retain(|word| !text.contains(word));
            if missing.is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
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

/// Text as compared: lower case, the accents of Latin letters taken off (`Ingouchie` finds
/// `ingouchie`, `Krasnogorsk` finds `Krasnogórsk`).
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(without_accent)
        .collect()
}

/// A Latin letter without its accent (the letters of Latin-1 and Latin Extended-A); other
/// characters as they are.
fn without_accent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
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
    }
}
