//! Text search over events, and the actors they name.
//!
//! **What matches.** Text is compared [`fold`]ed (lower case, the accents of Latin letters off).
//! Its *tokens* are the maximal runs of alphanumeric characters (`char::is_alphanumeric`). A
//! query's *words* are the tokens of the folded query ([`query_words`]). An event matches when
//! every word is a substring of some token of its title, summary, actors or source quotes
//! ([`searched_texts`]): "incend" finds "incendiary", so does "Ìncendiàry"; "al-qaeda" is the
//! two words "al" and "qaeda". [`text_matches`] is that definition, brute force; the
//! [`SearchIndex`] answers the same question from an index built once at load, so that a query
//! at a million events whose details are on disk does not read them all again.

use std::collections::HashMap;
use std::ops::Range;

use memchr::memmem;

use super::dataset::{AllDetails, Dataset, EventDetails, EventIndex};
use super::event_set::EventSet;

/// From this many events the index is built on two threads (below, a thread costs more than it
/// saves).
const PARALLEL_FROM_EVENTS: usize = 4_096;

/// Ends every token in the vocabulary: not alphanumeric, so no word matches across two tokens.
const TOKEN_END: char = '\n';

/// The words of a query: the tokens of the folded query, each once, in order. Empty when the
/// query has no letters or digits.
pub fn query_words(query: &str) -> Vec<String> {
    let folded = fold(query);
    let mut words: Vec<String> = Vec::new();
    for token in tokens(&folded) {
        if !words.iter().any(|word| word == token) {
            words.push(token.to_owned());
        }
    }
    words
}

/// The tokens of folded text: its maximal runs of alphanumeric characters.
fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|token| !token.is_empty())
}

/// The texts of an event that search looks in: its title, summary, actors and source quotes.
pub fn searched_texts<'a>(
    title: &'a str,
    details: &'a EventDetails,
) -> impl Iterator<Item = &'a str> {
    std::iter::once(title)
        .chain(details.summary.as_deref())
        .chain(details.actors.iter().map(String::as_str))
        .chain(details.sources.iter().filter_map(|s| s.quote.as_deref()))
}

/// Whether every word (as [`query_words`] gives them) is in a token of one of `texts`: the
/// definition of a match, brute force. True when there are no words.
pub fn text_matches<'a>(texts: impl IntoIterator<Item = &'a str>, words: &[String]) -> bool {
    let mut missing: Vec<&str> = words.iter().map(String::as_str).collect();
    if missing.is_empty() {
        return true;
    }
    for text in texts {
        let folded = fold(text);
        // A word is alphanumeric throughout, so wherever it occurs in the folded text it lies
        // inside one token: looking in the whole text is looking in its tokens.
        missing.retain(|word| !folded.contains(word));
        if missing.is_empty() {
            return true;
        }
    }
    false
}

/// Where the words of `query` occur in `text`, compared case- and accent-insensitively: byte
/// ranges of `text` itself (on character boundaries, whatever folding does to byte lengths),
/// sorted, overlapping or touching ranges merged. For highlighting matches.
pub fn highlights(text: &str, query: &str) -> Vec<Range<usize>> {
    let words = query_words(query);
    if words.is_empty() {
        return Vec::new();
    }
    let folded = FoldedText::new(text);
    let mut found: Vec<Range<usize>> = Vec::new();
    for word in &words {
        let finder = memmem::Finder::new(word.as_bytes());
        let mut from = 0;
        // Overlapping occurrences too ("aa" in "aaa"): each search starts one byte further.
        while let Some(at) = folded
            .text
            .as_bytes()
            .get(from..)
            .and_then(|rest| finder.find(rest))
        {
            let start = from + at;
            if let Some(range) = folded.original(start..start + word.len()) {
                found.push(range);
            }
            from = start + 1;
        }
    }
    found.sort_by_key(|range| (range.start, range.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(found.len());
    for range in found {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Text folded, with the way back: for each folded byte, the original character it came from.
struct FoldedText {
    text: String,
    /// The byte range in the original text of the character each byte of `text` folds from.
    origins: Vec<Range<usize>>,
}

impl FoldedText {
    fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origins = Vec::with_capacity(original.len());
        for (start, c) in original.char_indices() {
            let end = start + c.len_utf8();
            let before = text.len();
            if c.is_ascii() {
                text.push(c.to_ascii_lowercase());
            } else {
                // Folding is character by character, so a character folds alone as in the whole.
                text.push_str(&fold(original.get(start..end).unwrap_or_default()));
            }
            origins.extend((before..text.len()).map(|_| start..end));
        }
        Self { text, origins }
    }

    /// The original characters that the folded bytes `range` come from.
    fn original(&self, range: Range<usize>) -> Option<Range<usize>> {
        let first = self.origins.get(range.start)?;
        let last = self.origins.get(range.end.checked_sub(1)?)?;
        Some(first.start..last.end)
    }
}

/// An actor named by the events, and how many events name them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorCount {
    /// The name as the first event naming this actor writes it (names are the same actor
    /// whatever their case).
    pub name: String,
    /// How many events name the actor.
    pub count: u32,
}

/// Rows of `u32`s in one vector (compressed sparse rows): one allocation for all the rows.
#[derive(Clone, Debug, Default)]
struct Rows {
    /// Row `r` is `items[starts[r]..starts[r + 1]]`; empty when there are no rows.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Rows {
    fn with_capacity(rows: usize, items: usize) -> Self {
        let mut starts = Vec::with_capacity(rows + 1);
        starts.push(0);
        Self {
            starts,
            items: Vec::with_capacity(items),
        }
    }

    /// Ends the row being written (its items are those pushed since the last row ended).
    fn end_row(&mut self) -> Result<(), String> {
        self.starts.push(offset(self.items.len())?);
        Ok(())
    }

    /// Row `row`; empty past the last one.
    fn row(&self, row: usize) -> &[u32] {
        let (Some(&start), Some(&end)) = (self.starts.get(row), self.starts.get(row + 1)) else {
            return &[];
        };
        self.items
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    fn heap_bytes(&self) -> usize {
        (self.starts.capacity() + self.items.capacity()) * size_of::<u32>()
    }
}

/// `n` as a `u32` offset, or the error of an index too big to keep.
fn offset(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| "there is too much text to index".to_owned())
}

/// The words of every event, indexed once (at load) so that a query looks up words rather than
/// reading every event's details again; and the actors the events name.
///
/// An inverted index: the distinct tokens of all the events' texts (one string), and for each
/// the events that hold it (sorted, in one vector). A query word is looked for in the
/// vocabulary; the events of the tokens holding it are the events that have the word.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    /// How many events the dataset has.
    events: usize,
    /// Every distinct token, sorted, each followed by [`TOKEN_END`].
    vocabulary: String,
    /// Where each token starts in `vocabulary` (and one past the end of the last).
    token_starts: Vec<u32>,
    /// For each token, the events that hold it, in index order.
    token_events: Rows,
    /// Sorted by count (most first), then name.
    actors: Vec<ActorCount>,
    /// For each event, its actors (positions in `actors`); no rows when no event names one.
    event_actors: Rows,
}

impl SearchIndex {
    /// Reads every event's title and details (on two threads for big datasets) and indexes
    /// their words and actors. Fails when an event's details cannot be read (the file changed
    /// on disk), naming the event.
    pub fn build(dataset: &Dataset) -> Result<SearchIndex, String> {
        let details = dataset.all_details()?;
        let events = dataset.events.len();
        offset(events)?;
        let parts = if events >= PARALLEL_FROM_EVENTS {
            let middle = events / 2;
            std::thread::scope(|scope| {
                let later = scope.spawn(|| index_part(dataset, &details, middle..events));
                let first = index_part(dataset, &details, 0..middle);
                let second = later
                    .join()
                    .unwrap_or_else(|_| Err("indexing the text stopped unexpectedly".to_owned()));
                // The earlier event's error first.
                Ok::<_, String>(vec![first?, second?])
            })?
        } else {
            vec![index_part(dataset, &details, 0..events)?]
        };
        merge(events, parts)
    }

    /// The events that have every word of `query`; `None` when the query has no words (no text
    /// to look for: every event).
    pub fn matching(&self, query: &str) -> Option<EventSet> {
        let words = query_words(query);
        let mut found: Option<EventSet> = None;
        for word in &words {
            let with_word = self.events_with_word(word);
            match &mut found {
                Some(found) => found.intersect_with(&with_word),
                None => found = Some(with_word),
            }
            if found.as_ref().is_some_and(EventSet::is_empty) {
                break;
            }
        }
        found
    }

    /// The events with a token that holds `word`.
    fn events_with_word(&self, word: &str) -> EventSet {
        let mut set = EventSet::none(self.events);
        let vocabulary = self.vocabulary.as_bytes();
        let finder = memmem::Finder::new(word.as_bytes());
        let mut from = 0;
        while let Some(at) = vocabulary.get(from..).and_then(|rest| finder.find(rest)) {
            // The token holding the match: the last one starting at or before it.
            let token = self
                .token_starts
                .partition_point(|&start| start as usize <= from + at)
                .saturating_sub(1);
            for &event in self.token_events.row(token) {
                set.insert(event as usize);
            }
            // One match per token is enough: go on from the next token.
            let Some(&next) = self.token_starts.get(token + 1) else {
                break;
            };
            from = next as usize;
        }
        set
    }

    /// Every actor the events name, the most named first (then by name).
    pub fn actors(&self) -> &[ActorCount] {
        &self.actors
    }

    /// The events naming any of these actors (in any case).
    pub fn events_with_actors(&self, names: &[String]) -> EventSet {
        let wanted: Vec<bool> = self
            .actors
            .iter()
            .map(|actor| names.iter().any(|name| same_actor(&actor.name, name)))
            .collect();
        let mut set = EventSet::none(self.events);
        if !wanted.contains(&true) {
            return set;
        }
        for event in 0..self.events {
            let names_one = self
                .event_actors
                .row(event)
                .iter()
                .any(|&actor| wanted.get(actor as usize) == Some(&true));
            if names_one {
                set.insert(event);
            }
        }
        set
    }

    /// The actors event `event` names (each as [`ActorCount::name`] writes it), in its order.
    pub fn actors_of(&self, event: EventIndex) -> impl Iterator<Item = &str> + '_ {
        self.event_actors
            .row(event)
            .iter()
            .filter_map(|&actor| self.actors.get(actor as usize))
            .map(|actor| actor.name.as_str())
    }

    /// How many events were indexed (the dataset's).
    pub fn event_count(&self) -> usize {
        self.events
    }

    /// How many distinct tokens the events' texts have.
    pub fn token_count(&self) -> usize {
        self.token_starts.len().saturating_sub(1)
    }

    /// The memory the index holds, in bytes (besides the struct itself).
    pub fn heap_bytes(&self) -> usize {
        let actor_names: usize = self.actors.iter().map(|a| a.name.capacity()).sum();
        self.vocabulary.capacity()
            + self.token_starts.capacity() * size_of::<u32>()
            + self.token_events.heap_bytes()
            + self.actors.capacity() * size_of::<ActorCount>()
            + actor_names
            + self.event_actors.heap_bytes()
    }
}

/// Whether two actor names are the same actor: equal but for case and surrounding spaces.
/// Whether two actor names are the same actor (any case, surrounding spaces aside).
pub fn same_actor(a: &str, b: &str) -> bool {
    let lower_b = b.trim().chars().flat_map(char::to_lowercase);
    a.trim().chars().flat_map(char::to_lowercase).eq(lower_b)
}

/// The key an actor is known by: the name in lower case, without surrounding spaces.
fn actor_key(name: &str) -> String {
    name.trim().chars().flat_map(char::to_lowercase).collect()
}

/// What one thread finds in its share of the events.
#[derive(Debug, Default)]
struct PartIndex {
    tokens: PartTokens,
    actors: PartActors,
}

/// The tokens of a share of the events.
#[derive(Debug, Default)]
struct PartTokens {
    /// Each token found, and its number in this part.
    numbers: HashMap<Box<str>, u32>,
    /// For each token number, the events holding it, in order.
    events: Vec<Vec<u32>>,
}

/// The actors of a share of the events.
#[derive(Debug, Default)]
struct PartActors {
    /// Each actor (by [`actor_key`]), and its number in this part.
    numbers: HashMap<String, u32>,
    /// For each actor number, the name as first written and how many events name it.
    counts: Vec<ActorCount>,
    /// For each event of the part, its actors' numbers.
    of_event: Rows,
}

impl PartIndex {
    fn add_event(&mut self, event: u32, title: &str, details: &EventDetails) -> Result<(), String> {
        for text in searched_texts(title, details) {
            for token in tokens(&fold(text)) {
                self.tokens.add(token, event);
            }
        }
        self.actors.add_event(&details.actors)
    }
}

impl PartTokens {
    fn add(&mut self, token: &str, event: u32) {
        let number = match self.numbers.get(token) {
            Some(&number) => number,
            None => {
                let number = self.events.len() as u32;
                self.numbers.insert(token.into(), number);
                self.events.push(Vec::new());
                number
            }
        };
        if let Some(events) = self.events.get_mut(number as usize)
            // Events come in order: a token seen twice in one event is that event's last.
            && events.last() != Some(&event)
        {
            events.push(event);
        }
    }
}

impl PartActors {
    /// Adds the row of the next event, which names `names`.
    fn add_event(&mut self, names: &[String]) -> Result<(), String> {
        let first = self.of_event.items.len();
        for name in names {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let actor = self.number(name);
            let named_already = self
                .of_event
                .items
                .get(first..)
                .is_some_and(|named| named.contains(&actor));
            if !named_already {
                self.of_event.items.push(actor);
                if let Some(count) = self.counts.get_mut(actor as usize) {
                    count.count += 1;
                }
            }
        }
        self.of_event.end_row()
    }

    fn number(&mut self, name: &str) -> u32 {
        let key = actor_key(name);
        if let Some(&number) = self.numbers.get(&key) {
            return number;
        }
        let number = self.counts.len() as u32;
        self.numbers.insert(key, number);
        self.counts.push(ActorCount {
            name: name.to_owned(),
            count: 0,
        });
        number
    }
}

/// Indexes the events `range` of `dataset`.
fn index_part(
    dataset: &Dataset,
    details: &AllDetails<'_>,
    range: Range<usize>,
) -> Result<PartIndex, String> {
    let mut part = PartIndex {
        tokens: PartTokens::default(),
        actors: PartActors {
            of_event: Rows::with_capacity(range.len(), 0),
            ..PartActors::default()
        },
    };
    for index in range {
        let Some(event) = dataset.events.get(index) else {
            break;
        };
        let event_details = details
            .get(index)
            .map_err(|error| format!("event \"{}\": {error}", event.id()))?;
        part.add_event(offset(index)?, event.title(), &event_details)?;
    }
    Ok(part)
}

/// One index of the parts (of consecutive shares of the events, in order).
fn merge(events: usize, parts: Vec<PartIndex>) -> Result<SearchIndex, String> {
    let (tokens, actors): (Vec<PartTokens>, Vec<PartActors>) = parts
        .into_iter()
        .map(|part| (part.tokens, part.actors))
        .unzip();
    let (vocabulary, token_starts, token_events) = merge_tokens(tokens)?;
    let (actors, event_actors) = merge_actors(events, &actors)?;
    Ok(SearchIndex {
        events,
        vocabulary,
        token_starts,
        token_events,
        actors,
        event_actors,
    })
}

/// The parts' tokens as one sorted vocabulary, and each token's events.
fn merge_tokens(parts: Vec<PartTokens>) -> Result<(String, Vec<u32>, Rows), String> {
    let (numbers, mut events_of): (Vec<_>, Vec<_>) = parts
        .into_iter()
        .map(|part| (part.numbers, part.events))
        .unzip();
    // (token, part, its number there), sorted: a token's parts come together, in part order,
    // so its events come out in order.
    let mut found: Vec<(&str, usize, u32)> = numbers
        .iter()
        .enumerate()
        .flat_map(|(p, numbers)| {
            numbers
                .iter()
                .map(move |(token, &number)| (&**token, p, number))
        })
        .collect();
    found.sort_unstable();
    let vocabulary_len: usize = found.iter().map(|(token, ..)| token.len() + 1).sum();
    let postings: usize = events_of.iter().flatten().map(Vec::len).sum();
    let mut vocabulary = String::with_capacity(vocabulary_len);
    let mut token_starts = Vec::with_capacity(found.len() + 1);
    token_starts.push(0);
    let mut token_events = Rows::with_capacity(found.len(), postings);
    for same_token in found.chunk_by(|a, b| a.0 == b.0) {
        let Some(&(token, ..)) = same_token.first() else {
            continue;
        };
        vocabulary.push_str(token);
        vocabulary.push(TOKEN_END);
        token_starts.push(offset(vocabulary.len())?);
        for &(_, p, number) in same_token {
            // Taken, so that the parts' lists are freed as the index fills.
            let events = events_of
                .get_mut(p)
                .and_then(|part| part.get_mut(number as usize))
                .map(std::mem::take)
                .unwrap_or_default();
            token_events.items.extend_from_slice(&events);
        }
        token_events.end_row()?;
    }
    Ok((vocabulary, token_starts, token_events))
}

/// The parts' actors as one list (the most named first) and each event's actors in it.
fn merge_actors(events: usize, parts: &[PartActors]) -> Result<(Vec<ActorCount>, Rows), String> {
    // Actors of all parts by key; a name as the earliest part writes it.
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut merged: Vec<ActorCount> = Vec::new();
    let mut part_to_merged: Vec<Vec<usize>> = Vec::with_capacity(parts.len());
    for part in parts {
        let mut to_merged = Vec::with_capacity(part.counts.len());
        for actor in &part.counts {
            let number = *numbers.entry(actor_key(&actor.name)).or_insert_with(|| {
                merged.push(ActorCount {
                    name: actor.name.clone(),
                    count: 0,
                });
                merged.len() - 1
            });
            if let Some(total) = merged.get_mut(number) {
                total.count += actor.count;
            }
            to_merged.push(number);
        }
        part_to_merged.push(to_merged);
    }
    let mut sorted: Vec<(usize, ActorCount)> = merged.into_iter().enumerate().collect();
    sorted.sort_by(|(_, a), (_, b)| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    let mut position = vec![0; sorted.len()];
    for (at, (number, _)) in sorted.iter().enumerate() {
        if let Some(slot) = position.get_mut(*number) {
            *slot = offset(at)?;
        }
    }
    let actors: Vec<ActorCount> = sorted.into_iter().map(|(_, actor)| actor).collect();
    if actors.is_empty() {
        // No event names an actor: no rows at all (4 bytes an event saved).
        return Ok((actors, Rows::default()));
    }
    let named: usize = parts.iter().map(|part| part.of_event.items.len()).sum();
    let mut event_actors = Rows::with_capacity(events, named);
    for (part, to_merged) in parts.iter().zip(&part_to_merged) {
        for row in 0..part.of_event.starts.len().saturating_sub(1) {
            let in_list = part.of_event.row(row).iter().filter_map(|&number| {
                let merged = to_merged.get(number as usize)?;
                position.get(*merged).copied()
            });
            event_actors.items.extend(in_list);
            event_actors.end_row()?;
        }
    }
    Ok((actors, event_actors))
}

/// Text as compared: lower case, the accents of Latin letters taken off (`Ingouchie` finds
/// `ingouchie`, `Krasnogorsk` finds `Krasnogórsk`).
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        // "İ" lowers to "i" and a combining dot, which would end the word ("İstanbul").
        .filter(|&c| c != '\u{307}')
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
    use std::sync::Arc;

    use super::*;
    use crate::model::{DetailList, DetailRef, Event, Source, When};

    fn crocus() -> Dataset {
        crate::builtin::crocus_dataset().unwrap().dataset
    }

    fn ids(dataset: &Dataset, set: &EventSet) -> Vec<String> {
        set.iter()
            .map(|i| dataset.events[i].id().to_owned())
            .collect()
    }

    /// A dataset of events `(title, summary, actors, quote)` kept in memory.
    fn dataset_of(events: &[(&str, &str, &[&str], &str)]) -> Dataset {
        let when = When::parse("2024-03-22").unwrap();
        let mut dataset = Dataset::default();
        let mut details = Vec::new();
        for (i, (title, summary, actors, quote)) in events.iter().enumerate() {
            let mut event = Event::new(&format!("e{i}"), title, "2024-03-22", &when);
            event.details = DetailRef {
                offset: i as u64,
                len: 0,
            };
            dataset.events.push(event);
            details.push(EventDetails {
                summary: (!summary.is_empty()).then(|| summary.to_string()),
                actors: actors.iter().map(|a| a.to_string()).collect(),
                sources: vec![Source {
                    quote: (!quote.is_empty()).then(|| quote.to_string()),
                    ..Source::default()
                }],
                ..EventDetails::default()
            });
        }
        dataset.details = Some(Arc::new(DetailList(details)));
        dataset
    }

    fn small() -> Dataset {
        dataset_of(&[
            (
                "Gunmen attack Crocus City Hall",
                "Shooting and fire in Krasnogórsk",
                &["Gunmen", "ISIS-K"],
                "An incendiary liquid was used.",
            ),
            ("Warning of an attack", "", &["US embassy in Russia"], ""),
            (
                "Москва: объявлен траур",
                "Day of mourning",
                &["Vladimir Putin", "isis-k", "ISIS-K"],
                "",
            ),
            ("Al-Qaeda statement", "", &[], "Report 12 of 120"),
        ])
    }

    #[test]
    fn query_words_are_the_folded_tokens_each_once() {
        assert_eq!(query_words("  Al-Qaeda, ÉTÉ al "), ["al", "qaeda", "ete"]);
        assert_eq!(query_words("Москва 2024"), ["москва", "2024"]);
        assert!(query_words(" -- ,. ").is_empty());
        assert!(query_words("").is_empty());
    }

    #[test]
    fn words_are_found_inside_tokens_whatever_the_case_and_accents() {
        let dataset = small();
        let index = SearchIndex::build(&dataset).unwrap();
        let found = |query: &str| ids(&dataset, &index.matching(query).unwrap());
        assert_eq!(found("incend"), ["e0"], "a word inside a token of a quote");
        assert_eq!(found("Ìncendiàry"), ["e0"], "accents and case are folded");
        assert_eq!(found("KRASNOGORSK"), ["e0"], "an accented summary");
        assert_eq!(found("ATTACK"), ["e0", "e1"], "titles");
        assert_eq!(found("embassy"), ["e1"], "actors");
        assert_eq!(found("МОСКВА"), ["e2"], "Cyrillic, in any case");
        assert_eq!(found("al-qaeda"), ["e3"], "two words: \"al\" and \"qaeda\"");
        assert_eq!(found("report 12"), ["e3"]);
        assert_eq!(
            found("attack warning"),
            ["e1"],
            "every word, in any of the texts"
        );
        assert!(found("attack synagogue").is_empty(), "a word found nowhere");
        assert!(found("hall crocus city gunmen fire incendiary").len() == 1);
        // A word is never found across two tokens.
        assert!(found("cityhall").is_empty());
        assert!(index.matching(" ,- ").is_none(), "no words: no text filter");
        assert!(index.matching("").is_none());
    }

    #[test]
    fn the_index_agrees_with_the_definition() {
        let dataset = small();
        let index = SearchIndex::build(&dataset).unwrap();
        let details = dataset.all_details().unwrap();
        for query in [
            "a", "at", "an", "k", "isis", "12", "120", "ть", "rep 1", "hall x", "É", "zz",
        ] {
            let words = query_words(query);
            let expected: Vec<usize> = (0..dataset.events.len())
                .filter(|&i| {
                    let details = details.get(i).unwrap();
                    text_matches(searched_texts(dataset.events[i].title(), &details), &words)
                })
                .collect();
            let found: Vec<usize> = index.matching(query).unwrap().iter().collect();
            assert_eq!(found, expected, "{query:?}");
        }
        assert!(text_matches(["anything"], &[]), "no words match everything");
    }

    #[test]
    fn the_crocus_story_is_searched_in_its_quotes_and_actors() {
        let dataset = crocus();
        let index = SearchIndex::build(&dataset).unwrap();
        let found = |query: &str| ids(&dataset, &index.matching(query).unwrap());
        assert_eq!(found("incendiary"), ["crocus-attack"]);
        assert_eq!(found("Ìncendiàry"), ["crocus-attack"]);
        assert!(found("CROCUS attack").contains(&"crocus-attack".to_owned()));
        assert!(found("incendiary synagogue").is_empty());
        assert_eq!(index.event_count(), dataset.events.len());
        assert!(index.token_count() > 100);
    }

    #[test]
    fn actors_are_counted_once_an_event_whatever_their_case() {
        let dataset = small();
        let index = SearchIndex::build(&dataset).unwrap();
        let actors: Vec<(&str, u32)> = index
            .actors()
            .iter()
            .map(|a| (a.name.as_str(), a.count))
            .collect();
        assert_eq!(
            actors,
            [
                ("ISIS-K", 2),
                ("Gunmen", 1),
                ("US embassy in Russia", 1),
                ("Vladimir Putin", 1)
            ]
        );
        let with = |names: &[&str]| {
            let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
            ids(&dataset, &index.events_with_actors(&names))
        };
        assert_eq!(with(&["isis-k"]), ["e0", "e2"]);
        assert_eq!(with(&["gunmen", " US EMBASSY in russia "]), ["e0", "e1"]);
        assert!(with(&["nobody"]).is_empty());
        assert!(with(&[]).is_empty());
        assert_eq!(
            index.actors_of(2).collect::<Vec<_>>(),
            ["Vladimir Putin", "ISIS-K"]
        );
        assert_eq!(index.actors_of(3).count(), 0);
        assert_eq!(index.actors_of(99).count(), 0);
    }

    #[test]
    fn actors_of_the_crocus_story() {
        let dataset = crocus();
        let index = SearchIndex::build(&dataset).unwrap();
        let first = &index.actors()[0];
        assert_eq!(first.count, 3);
        for (i, _) in dataset.events.iter().enumerate() {
            let named = dataset.details(i).unwrap().actors;
            assert_eq!(index.actors_of(i).count(), named.len());
        }
        let isis = index.events_with_actors(&["isis".to_owned()]);
        assert_eq!(isis.count(), 3);
    }

    #[test]
    fn a_big_dataset_is_indexed_in_two_halves_as_one() {
        let titles: Vec<String> = (0..PARALLEL_FROM_EVENTS + 7)
            .map(|i| format!("Event {i} {}", if i % 2 == 0 { "alpha" } else { "beta" }))
            .collect();
        let actor_lists = [&["Anna", "Bob"][..], &["BOB"][..], &[][..]];
        let events: Vec<(&str, &str, &[&str], &str)> = titles
            .iter()
            .enumerate()
            .map(|(i, title)| (title.as_str(), "", actor_lists[i % 3], "same quote"))
            .collect();
        let dataset = dataset_of(&events);
        let index = SearchIndex::build(&dataset).unwrap();
        let even = index.matching("ALPHA").unwrap();
        assert_eq!(even.count(), titles.len().div_ceil(2));
        assert!(even.iter().all(|i| i % 2 == 0));
        assert_eq!(index.matching("quote").unwrap().count(), titles.len());
        assert_eq!(
            index
                .matching("event 4100")
                .unwrap()
                .iter()
                .collect::<Vec<_>>(),
            [4100]
        );
        let bob = index.actors().iter().find(|a| a.name == "Bob").unwrap();
        assert_eq!(
            bob.count as usize,
            (0..titles.len()).filter(|i| i % 3 < 2).count()
        );
        assert_eq!(
            index.actors_of(4099).collect::<Vec<_>>(),
            ["Bob"],
            "BOB is Bob"
        );
        assert_eq!(index.actors_of(4098).collect::<Vec<_>>(), ["Anna", "Bob"]);
        assert!(index.heap_bytes() > 0);
    }

    #[test]
    fn an_unreadable_event_is_named() {
        let mut dataset = small();
        dataset.events[2].details.offset = 99;
        let error = SearchIndex::build(&dataset).unwrap_err();
        assert!(error.contains("\"e2\""), "{error}");
    }

    #[test]
    fn highlights_are_ranges_of_the_original_text() {
        let text = "Shooting in Krasnogórsk near Moscow";
        let ranges = highlights(text, "krasnogorsk MOSCOW");
        let shown: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(shown, ["Krasnogórsk", "Moscow"]);
        assert_eq!(highlights(text, "górs"), vec![18..23]);
        assert_eq!(&text[18..23], "górs");

        let cyrillic = "Теракт в МОСКВЕ";
        let ranges = highlights(cyrillic, "москв");
        assert_eq!(
            ranges
                .iter()
                .map(|r| &cyrillic[r.clone()])
                .collect::<Vec<_>>(),
            ["МОСКВ"]
        );

        // The Kelvin sign (3 bytes) folds to "k" (1 byte); "İ" (2 bytes) to "i̇" (3 bytes).
        let kelvin = "5 \u{212A}elvin İzmir";
        let ranges = highlights(kelvin, "kelvin zmir");
        let shown: Vec<&str> = ranges.iter().map(|r| &kelvin[r.clone()]).collect();
        assert_eq!(shown, ["\u{212A}elvin", "zmir"]);
        assert_eq!(highlights(kelvin, "i"), [8..9, 11..13, 15..16]);
    }

    #[test]
    fn highlights_are_sorted_and_merged() {
        assert_eq!(
            highlights("aaa", "aa"),
            vec![0..3],
            "overlapping occurrences"
        );
        assert_eq!(highlights("crocus city", "city crocus cro"), [0..6, 7..11]);
        assert_eq!(highlights("abcd", "ab cd"), vec![0..4], "touching ranges");
        assert!(highlights("crocus", "").is_empty());
        assert!(highlights("crocus", "hall").is_empty());
        assert!(highlights("", "hall").is_empty());
    }
}
