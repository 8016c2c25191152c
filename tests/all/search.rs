//! The text search index (`model::search`) agrees with the brute-force definition of a match
//! (`text_matches` over each event's texts), on generated data, on the built-in story and on a
//! file whose details are read from disk, for random queries.

use event_atlas::model::search::{SearchIndex, query_words, searched_texts, text_matches};
use event_atlas::model::{Dataset, EventDetails, EventIndex};

use crate::ui::TestDir;

// A small deterministic random number generator (xorshift) and the failure helper, shared with
// the filter's property test: the same seed, the same cases.
use crate::filter::{Random, ok};

fn generated_bytes(events: usize, seed: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    ok(event_atlas::generate::write_dataset(
        &mut bytes, events, seed,
    ));
    bytes
}

fn generated(events: usize, seed: u64) -> Dataset {
    ok(event_atlas::io::parse_dataset(
        &generated_bytes(events, seed),
        "generated.json",
    ))
    .dataset
}

/// Every event's details, read once.
fn all_details(dataset: &Dataset) -> Vec<EventDetails> {
    let details = ok(dataset.all_details());
    (0..dataset.events.len())
        .map(|i| ok(details.get(i)))
        .collect()
}

/// The events matching `query` by the definition: every word in one of the event's texts.
fn brute_force(dataset: &Dataset, details: &[EventDetails], query: &str) -> Vec<EventIndex> {
    let words = query_words(query);
    (0..dataset.events.len())
        .filter(|&i| {
            text_matches(
                searched_texts(dataset.events[i].title(), &details[i]),
                &words,
            )
        })
        .collect()
}

/// The events the index finds for `query`: every event when it has no words.
fn found_by(index: &SearchIndex, query: &str) -> Vec<EventIndex> {
    match index.matching(query) {
        Some(found) => {
            assert!(!query_words(query).is_empty(), "{query:?} has no words");
            found.iter().collect()
        }
        None => {
            assert!(query_words(query).is_empty(), "{query:?} has words");
            (0..index.event_count()).collect()
        }
    }
}

/// Fails, saying where (not with the thousands of events), unless `found` is `expected`.
fn assert_same(found: &[EventIndex], expected: &[EventIndex], query: &str) {
    let first_difference = found.iter().zip(expected).position(|(a, b)| a != b);
    assert!(
        found == expected,
        "{query:?}: {} found, {} expected, first difference at {first_difference:?}",
        found.len(),
        expected.len()
    );
}

/// A Latin letter with an accent that folding takes off, for the plain letters that have one.
fn accented(c: char) -> char {
    match c {
        'a' => 'á',
        'e' => 'È',
        'i' => 'ï',
        'o' => 'ô',
        'u' => 'Ü',
        'c' => 'ç',
        'n' => 'Ñ',
        's' => 'š',
        'z' => 'Ž',
        other => other,
    }
}

/// A piece of one of an event's texts: a few characters from anywhere (maybe across words).
fn piece_of_text(dataset: &Dataset, details: &[EventDetails], random: &mut Random) -> String {
    let event = random.below(dataset.events.len());
    let texts: Vec<&str> = searched_texts(dataset.events[event].title(), &details[event]).collect();
    let chars: Vec<char> = texts[random.below(texts.len())].chars().collect();
    let start = random.below(chars.len());
    let len = 1 + random.below(9);
    chars[start..(start + len).min(chars.len())]
        .iter()
        .collect()
}

/// A random query: pieces of real texts, in changed case and with accents added, sometimes two
/// of them, sometimes with a word found nowhere.
fn random_query(dataset: &Dataset, details: &[EventDetails], random: &mut Random) -> String {
    let mut query = piece_of_text(dataset, details, random);
    if random.chance(30) {
        query.push(' ');
        query.push_str(&piece_of_text(dataset, details, random));
    }
    if random.chance(10) {
        query.push_str(" zqxj");
    }
    query
        .chars()
        .map(|c| match random.below(4) {
            0 => c.to_uppercase().next().unwrap_or(c),
            1 => accented(c),
            _ => c,
        })
        .collect()
}

/// The index finds what the definition finds, for `queries` random queries.
fn index_agrees_with_the_definition(dataset: &Dataset, queries: usize, seed: u64) {
    let index = ok(SearchIndex::build(dataset));
    assert_eq!(index.event_count(), dataset.events.len());
    let details = all_details(dataset);
    let mut random = Random(seed);
    let mut found_some = 0;
    for _ in 0..queries {
        let query = random_query(dataset, &details, &mut random);
        let expected = brute_force(dataset, &details, &query);
        let found = found_by(&index, &query);
        assert_same(&found, &expected, &query);
        found_some += usize::from(!expected.is_empty() && expected.len() < dataset.events.len());
    }
    assert!(
        found_some > queries / 2,
        "most queries are pieces of real text: {found_some} of {queries} found something"
    );
}

#[test]
fn the_index_agrees_with_the_definition_on_generated_events() {
    let dataset = generated(5_000, 11);
    index_agrees_with_the_definition(&dataset, 250, 0x5EED_0001);
}

#[test]
fn the_index_agrees_with_the_definition_on_the_crocus_story() {
    let dataset = ok(event_atlas::builtin::crocus_dataset()).dataset;
    index_agrees_with_the_definition(&dataset, 400, 0x5EED_0002);
    let index = ok(SearchIndex::build(&dataset));
    // The actors' counts are the events naming them.
    let details = all_details(&dataset);
    for actor in index.actors() {
        let naming = details
            .iter()
            .filter(|d| d.actors.iter().any(|a| a.eq_ignore_ascii_case(&actor.name)))
            .count();
        assert_eq!(actor.count as usize, naming, "{}", actor.name);
        let events = index.events_with_actors(std::slice::from_ref(&actor.name));
        assert_eq!(events.count(), naming, "{}", actor.name);
        for event in events.iter() {
            assert!(index.actors_of(event).any(|name| name == actor.name));
        }
    }
}

#[test]
fn a_file_whose_details_stay_on_disk_is_indexed_from_the_file() {
    let dir = TestDir::new("search-on-disk");
    let bytes = generated_bytes(100_000, 5);
    assert!(bytes.len() as u64 > event_atlas::io::STREAM_ABOVE_BYTES);
    let path = dir.file("big.json", &bytes);
    let dataset = ok(event_atlas::io::load_path(&path)).dataset;
    let reader = format!("{:?}", dataset.details);
    assert!(reader.contains("FileDetails"), "details on disk: {reader}");
    let index = ok(SearchIndex::build(&dataset));
    let details = all_details(&dataset);
    let mut random = Random(0x5EED_0003);
    for query in [
        "moscow",
        "evacuated buildings",
        "report 12",
        "zzzz",
        "KAZAŇ 3",
    ]
    .map(str::to_owned)
    .into_iter()
    .chain((0..10).map(|_| random_query(&dataset, &details, &mut random)))
    {
        let found = found_by(&index, &query);
        assert_same(&found, &brute_force(&dataset, &details, &query), &query);
    }
    assert!(!ok(index.matching("moscow").ok_or("no words")).is_empty());
    // A file changed on disk since it was opened is not indexed from what it holds now.
    let mut changed = bytes;
    changed.extend_from_slice(b"\n");
    std::fs::write(&path, &changed).unwrap_or_else(|e| panic!("{e}"));
    let error = SearchIndex::build(&dataset).expect_err("the file changed");
    assert!(error.contains("changed on disk"), "{error}");
}
