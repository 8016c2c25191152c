//! The filter (`model::filter`) agrees with a brute-force filter on generated data, for random
//! combinations of every criterion.

use event_atlas::model::filter::{DatePrecision, Filter};
use event_atlas::model::{Dataset, Location, Shape, TimeRange};

/// A small deterministic random number generator (xorshift): the same seed, the same cases.
pub(crate) struct Random(pub(crate) u64);

impl Random {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The value, or a test failure that says why.
pub(crate) fn ok<T, E: std::fmt::Debug>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|error| panic!("{error:?}"))
}

fn generated(events: usize, seed: u64) -> Dataset {
    let mut bytes = Vec::new();
    ok(event_atlas::generate::write_dataset(
        &mut bytes, events, seed,
    ));
    ok(event_atlas::io::parse_dataset(&bytes, "generated.json")).dataset
}

/// A random filter made of values the data has.
fn random_filter(dataset: &Dataset, random: &mut Random) -> Filter {
    let mut filter = Filter::default();
    if random.chance(50) {
        for _ in 0..=random.below(2) {
            let category = &dataset.categories[random.below(dataset.categories.len())];
            filter.categories.push(if random.chance(50) {
                category.id.clone()
            } else {
                category.label.to_uppercase()
            });
        }
    }
    if random.chance(40) {
        let event = &dataset.events[random.below(dataset.events.len())];
        if let Some(code) = event.location.region_code() {
            let wanted = if random.chance(30) { &code[..2] } else { code };
            filter.regions.push(wanted.to_owned());
        }
    }
    if random.chance(50) {
        let a = dataset.events[random.below(dataset.events.len())]
            .span
            .start;
        let b = dataset.events[random.below(dataset.events.len())].span.end;
        filter.span = Some(TimeRange {
            start: a.min(b),
            end: a.max(b) + 1,
        });
    }
    if random.chance(30) {
        let all = [
            DatePrecision::Exact,
            DatePrecision::Period,
            DatePrecision::Range,
        ];
        filter.precisions.push(all[random.below(3)]);
    }
    filter.has_place = random.chance(30);
    if random.chance(40) {
        let title = dataset.events[random.below(dataset.events.len())].title();
        let words: Vec<&str> = title.split_whitespace().collect();
        filter.text = words[random.below(words.len())].to_uppercase();
    }
    filter
}

/// Every criterion checked the plain way, event by event.
fn brute_force(dataset: &Dataset, filter: &Filter) -> Vec<usize> {
    let text = filter.text.to_lowercase();
    let words: Vec<&str> = text.split_whitespace().collect();
    (0..dataset.events.len())
        .filter(|&i| {
            let event = &dataset.events[i];
            let category = event.category.map(|c| &dataset.categories[c]);
            let categories = filter.categories.is_empty()
                || filter.categories.iter().any(|name| {
                    category.is_some_and(|c| c.id == *name || c.label.to_uppercase() == *name)
                });
            let regions = filter.regions.is_empty()
                || filter.regions.iter().any(|wanted| {
                    event.location.region_code().is_some_and(|code| {
                        code == wanted || code.starts_with(&format!("{wanted}-"))
                    })
                });
            let span = filter.span.is_none_or(|span| {
                event.shape != Shape::Undated
                    && event.span.start < span.end
                    && event.span.end > span.start
            });
            let precision = filter.precisions.is_empty()
                || filter.precisions.iter().any(|p| match p {
                    DatePrecision::Exact => event.shape == Shape::Exact,
                    DatePrecision::Period => event.shape == Shape::Period,
                    DatePrecision::Range => event.shape == Shape::Range,
                    DatePrecision::Undated => event.shape == Shape::Undated,
                });
            let place = !filter.has_place || event.location != Location::Unknown;
            let details = ok(dataset.details(i));
            let mut haystack = event.title().to_lowercase();
            for text in details
                .summary
                .iter()
                .chain(&details.actors)
                .chain(details.sources.iter().filter_map(|s| s.quote.as_ref()))
            {
                haystack.push(' ');
                haystack.push_str(&text.to_lowercase());
            }
            let text = words.iter().all(|word| haystack.contains(word));
            categories && regions && span && precision && place && text
        })
        .collect()
}

#[test]
fn random_filters_agree_with_a_brute_force_filter() {
    let dataset = generated(3000, 7);
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut nonempty = 0;
    for case in 0..300 {
        let filter = random_filter(&dataset, &mut random);
        let found = filter.matching(&dataset).unwrap();
        assert_eq!(
            found,
            brute_force(&dataset, &filter),
            "case {case}: {filter:?}"
        );
        if !found.is_empty() && found.len() < dataset.events.len() {
            nonempty += 1;
        }
    }
    // The cases are not all trivial: most keep some events and leave out others.
    assert!(
        nonempty > 100,
        "{nonempty} cases kept some but not all events"
    );
}
