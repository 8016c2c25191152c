//! The one rule for characters that act rather than show (control characters, bidi
//! overrides and isolates; see [`is_active_char`](super::diagnostic::is_active_char)): in the text the app shows as one line —
//! event titles, category labels, place names, the dataset's title — each becomes a visible
//! escape such as `\u{202E}`, with one warning per event and field. Tabs and newlines are
//! kept (a title may break a line; they move nothing and the round trip keeps them). Ids are kept as written
//! (links, stories and details find events by them) and are escaped wherever a message
//! quotes them (`Diagnostic`'s Display). Multi-line text (summaries, notes, fields) keeps its
//! tabs and newlines and is shown by the app as text, where these characters move nothing.

use super::Loaded;
use super::diagnostic::{Diagnostic, Severity, inert_keeping};
use crate::model::Event;

/// Escapes the active characters of every one-line text of `loaded`, warning for each, and
/// warns for every event dated in year 0000 ([`year_zero_warning`]).
pub(super) fn make_inert(loaded: &mut Loaded, file: &str) {
    let events_need_no_remark = loaded.events_need_no_remark;
    let dataset = &mut loaded.dataset;
    let mut warnings = Vec::new();
    if let Some(count) = escape(&mut dataset.title) {
        warnings.push(warning(file, None, "title", count));
    }
    let remarked = if events_need_no_remark {
        Vec::new()
    } else {
        remarks(&dataset.events)
    };
    for (index, remark) in remarked {
        let Some(event) = dataset.events.get_mut(index) else {
            continue;
        };
        if remark.active > 0 {
            warnings.push(warning(file, Some(event.id()), "title", remark.active));
            *event = with_title(event, &inert_keeping(event.title(), KEPT));
        }
        if remark.year_zero {
            warnings.push(year_zero_warning(file, event));
        }
    }
    for category in &mut dataset.categories {
        if let Some(count) = escape(&mut category.label) {
            warnings.push(warning(
                file,
                None,
                &format!("categories.{}", category.id),
                count,
            ));
        }
    }
    for place in &mut dataset.places {
        if let Some(count) = escape(&mut place.name) {
            warnings.push(warning(file, None, &format!("places.{}", place.id), count));
        }
    }
    loaded.warnings.extend(warnings);
}

/// Whether an event with this title and date needs a remark from [`make_inert`] (for readers
/// that check as they read, while the text is at hand).
pub(super) fn needs_remark(title: &str, when: &str) -> bool {
    active_count(title) > 0 || is_year_zero(when)
}

/// What one event's text needs: escapes in its title, a word on its year 0.
#[derive(Clone, Copy)]
struct Remark {
    active: usize,
    year_zero: bool,
}

/// The events whose title or date needs a remark, in order. Every title of a big file is
/// visited once (title and date share one allocation), on both cores: each visit is a cache
/// miss, and the millions of them are what this costs.
fn remarks(events: &[Event]) -> Vec<(usize, Remark)> {
    let of = |offset: usize, events: &[Event]| -> Vec<(usize, Remark)> {
        events
            .iter()
            .enumerate()
            .filter_map(|(index, event)| {
                let remark = Remark {
                    active: active_count(event.title()),
                    year_zero: is_year_zero(event.when_text()),
                };
                (remark.active > 0 || remark.year_zero).then_some((offset + index, remark))
            })
            .collect()
    };
    if events.len() < 50_000 {
        return of(0, events);
    }
    let (first, second) = events.split_at(events.len() / 2);
    let (mut found, rest) = std::thread::scope(|scope| {
        let second_half = scope.spawn(|| of(first.len(), second));
        let first_half = of(0, first);
        (first_half, second_half.join())
    });
    // A panic in the other half: its events are looked at here instead.
    found.extend(rest.unwrap_or_else(|_| of(first.len(), second)));
    found
}

/// Characters left as they are: they show as space and line breaks.
const KEPT: &[char] = &['\n', '\t'];

fn active_count(text: &str) -> usize {
    super::diagnostic::active_count(text, KEPT)
}

/// Escapes `text` in place; how many characters were escaped, if any.
fn escape(text: &mut String) -> Option<usize> {
    let count = active_count(text);
    if count == 0 {
        return None;
    }
    *text = inert_keeping(text, KEPT).into_owned();
    Some(count)
}

/// `event` with another title, all else kept (its span, placed at load, included).
fn with_title(event: &Event, title: &str) -> Event {
    let mut new = match event.when() {
        Some(when) => Event::new(event.id(), title, event.when_text(), &when),
        None => Event::undated(event.id(), title),
    };
    new.span = event.span;
    new.shape = event.shape;
    new.certainty = event.certainty;
    new.place_precision = event.place_precision;
    new.location = event.location;
    new.category = event.category;
    new.details = event.details;
    new
}

fn warning(file: &str, event_id: Option<&str>, field: &str, count: usize) -> Diagnostic {
    let what = if count == 1 {
        "1 control or text-direction character".to_owned()
    } else {
        format!("{count} control or text-direction characters")
    };
    Diagnostic {
        severity: Severity::Warning,
        file: file.to_owned(),
        line: None,
        column: None,
        event_id: event_id.map(str::to_owned),
        field: Some(field.to_owned()),
        message: format!(
            "{what} (which could hide or reorder text) shown as \\u{{…}} escapes; remove them from the file if they are not meant"
        ),
    }
}

/// Whether a date is in year 0000: ISO 8601 and EDTF count a year 0, which is 1 BCE (the
/// year before 1 CE).
fn is_year_zero(when: &str) -> bool {
    when.split('/').any(|part| {
        part.trim_start_matches(['~', '?', '%', '[', '{'])
            .starts_with("0000")
    })
}

/// The warning for an event dated in year 0000: it is read as 1 BCE and shown so; the warning
/// is there for the file that wrote 0000 for "year unknown".
fn year_zero_warning(file: &str, event: &Event) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        file: file.to_owned(),
        line: None,
        column: None,
        event_id: Some(event.id().to_owned()),
        field: Some("when".to_owned()),
        message: format!(
            "'{}': year 0000 is 1 BCE (ISO 8601 counts a year 0 before 1 CE) and is shown so; if the year is not known, leave the date out or write only what is known",
            event.when_text()
        ),
    }
}
