//! Dates as other formats write them, turned into the EDTF text Event Atlas keeps (so the
//! source's precision survives: `2024-03` stays a month, never the 1st).
//!
//! Every function returns the EDTF text and the parsed [`When`], or a message saying what the
//! text is not.

use crate::model::When;
use crate::model::calendar::{DAY, MAX_YEAR, civil_from_days, edtf_year};

/// An EDTF text with its parsed date.
pub(super) type Dated = (String, When);

/// How a date like `03/04/2024` is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SlashOrder {
    /// `DD/MM/YYYY` (ACLED's older exports, most of the world).
    DayFirst,
    /// `MM/DD/YYYY` (TimeMap datasheets, US spreadsheets).
    MonthFirst,
}

fn parsed(text: String) -> Result<Dated, String> {
    When::parse(&text)
        .map(|when| (text.clone(), when))
        .map_err(|error| error.0)
}

/// An ISO 8601 / RFC 3339 date or date-time as feeds write them: `2024`, `2024-03`,
/// `2024-03-22`, `2024-03-22T19:58`, `2024-03-22T19:58:30.123Z`, `2024-03-22 19:58:30+03:00`,
/// EDTF intervals and qualifiers (`2023-11/2024-03-22`, `2024-03~`). Fractions of a second are
/// dropped (Event Atlas keeps seconds).
pub(super) fn iso(text: &str) -> Result<Dated, String> {
    let text = text.trim();
    too_long(text)?;
    if text.is_empty() {
        return Err("the date is empty".to_owned());
    }
    if let Some((start, end)) = text.split_once('/') {
        let start = if start.is_empty() || start == ".." {
            start.to_owned()
        } else {
            iso(start)?.0
        };
        let end = if end.is_empty() || end == ".." {
            end.to_owned()
        } else {
            iso(end)?.0
        };
        return parsed(format!("{start}/{end}"));
    }
    let mut normal = text.replacen(' ', "T", 1);
    // Drop a fraction of a second: `19:58:30.123Z` → `19:58:30Z`.
    if let Some(dot) = normal
        .find(['.', ','])
        .filter(|&dot| normal.contains('T') && dot > 10)
    {
        let digits = normal
            .get(dot + 1..)
            .map(|rest| rest.bytes().take_while(u8::is_ascii_digit).count())
            .unwrap_or(0);
        normal.replace_range(dot..dot + 1 + digits, "");
    }
    // `+0300` and `+03` zones are read by the EDTF parser; `UTC` is not.
    if let Some(stripped) = normal.strip_suffix("UTC").or(normal.strip_suffix("GMT")) {
        normal = format!("{}Z", stripped.trim_end());
    }
    parsed(normal).map_err(|_| format!("'{text}' is not an ISO 8601 date (e.g. 2024-03-22)"))
}

/// Seconds since 1970 (UTC) as a date-time to the second.
pub(super) fn epoch_seconds(seconds: i64) -> Result<Dated, String> {
    let days = seconds.div_euclid(DAY);
    let within = seconds.rem_euclid(DAY);
    let (year, month, day) = civil_from_days(days);
    if !(-9999..=9999).contains(&year) {
        return Err(format!(
            "{seconds} seconds since 1970 is year {year}, out of range"
        ));
    }
    let text = format!(
        "{}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        year_text(year),
        within / 3600,
        within % 3600 / 60,
        within % 60
    );
    parsed(text)
}

/// Milliseconds since 1970 (UTC), as USGS feeds give `time`.
pub(super) fn epoch_millis(millis: f64) -> Result<Dated, String> {
    if !millis.is_finite() || millis.abs() > 1.0e17 {
        return Err(format!("{millis} is not a time in milliseconds since 1970"));
    }
    epoch_seconds((millis / 1000.0).floor() as i64)
}

/// A number that stands for a time: milliseconds since 1970 when it is that large (beyond
/// year 2286 in seconds), seconds otherwise; a four-digit whole number from 1000 to 2999 is a
/// year.
pub(super) fn epoch_number(number: f64) -> Result<Dated, String> {
    if !number.is_finite() {
        return Err(format!("{number} is not a date"));
    }
    if number.fract() == 0.0 && (1000.0..3000.0).contains(&number) {
        return parsed(format!("{number:.0}"));
    }
    if number.abs() >= 1.0e10 {
        epoch_millis(number)
    } else {
        epoch_seconds(number.floor() as i64)
    }
}

/// `YYYYMMDD` (GDELT's `SQLDATE`), `YYYYMM` or `YYYY`.
pub(super) fn compact(text: &str) -> Result<Dated, String> {
    let text = text.trim();
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{text}' is not a date written YYYYMMDD"));
    }
    let edtf = match text.len() {
        8 => format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]),
        6 => format!("{}-{}", &text[..4], &text[4..]),
        4 => text.to_owned(),
        _ => return Err(format!("'{text}' is not a date written YYYYMMDD")),
    };
    parsed(edtf).map_err(|error| format!("'{text}': {error}"))
}

/// A slashed or dotted date: `22/03/2024`, `03/22/2024`, `22.03.2024`, `2024/03/22`, `3/2024`;
/// an optional time after a space (`03/22/2024 19:58`).
pub(super) fn slashed(text: &str, order: SlashOrder) -> Result<Dated, String> {
    let trimmed = text.trim();
    let (date, time) = match trimmed.split_once([' ', 'T']) {
        Some((date, time)) => (date, Some(time.trim())),
        None => (trimmed, None),
    };
    let parts: Vec<&str> = date.split(['/', '.']).collect();
    let number = |part: &str| part.trim().parse::<u32>().ok();
    let not_a_date = || format!("'{trimmed}' is not a date");
    let (year, month, day) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => (number(y), number(m), number(d)),
        [a, b, y] => {
            let (d, m) = match order {
                SlashOrder::DayFirst => (a, b),
                SlashOrder::MonthFirst => (b, a),
            };
            (
                number(y).map(|year| expand_year(year, y_len(y))),
                number(m),
                number(d),
            )
        }
        [m, y] if y.len() == 4 => (number(y), number(m), None),
        _ => return Err(not_a_date()),
    };
    let (Some(year), Some(month)) = (year, month) else {
        return Err(not_a_date());
    };
    let mut edtf = format!("{}-{month:02}", year_text(i64::from(year)));
    if let Some(day) = day {
        edtf.push_str(&format!("-{day:02}"));
    } else if parts.len() == 3 {
        return Err(not_a_date());
    }
    if let Some(time) = time.filter(|t| !t.is_empty()) {
        edtf.push('T');
        edtf.push_str(&clock(time).ok_or_else(not_a_date)?);
    }
    parsed(edtf).map_err(|error| format!("'{trimmed}': {error}"))
}

fn y_len(year: &str) -> usize {
    year.trim().len()
}

/// Two-digit years: 00–49 are 2000–2049, 50–99 are 1950–1999 (as spreadsheets read them).
fn expand_year(year: u32, digits: usize) -> u32 {
    match (digits, year) {
        (2, 0..=49) => 2000 + year,
        (2, _) => 1900 + year,
        _ => year,
    }
}

/// `19:58`, `19:58:30`, `7:05 PM` → `HH:MM[:SS]`.
pub(super) fn clock(text: &str) -> Option<String> {
    let upper = text.trim().to_ascii_uppercase();
    let (body, pm) = if let Some(body) = upper.strip_suffix("PM") {
        (body.trim(), Some(true))
    } else if let Some(body) = upper.strip_suffix("AM") {
        (body.trim(), Some(false))
    } else {
        (upper.as_str(), None)
    };
    let fields: Vec<u32> = body
        .split(':')
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    let (mut hour, minute, second) = match fields.as_slice() {
        [h, m] => (*h, *m, None),
        [h, m, s] => (*h, *m, Some(*s)),
        _ => return None,
    };
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    Some(match second {
        Some(second) => format!("{hour:02}:{minute:02}:{second:02}"),
        None => format!("{hour:02}:{minute:02}"),
    })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| word.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// Dates with a month name: `28 May 2016`, `28-May-2016`, `May 28, 2016`, `March 2024`,
/// `Mar 2024`.
pub(super) fn named_month(text: &str) -> Result<Dated, String> {
    let trimmed = text.trim();
    let words: Vec<&str> = trimmed
        .split([' ', '-', ','])
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| w.parse::<u32>().ok();
    let (year, month, day) = match words.as_slice() {
        [d, m, y] if month_number(m).is_some() => (number(y), month_number(m), number(d)),
        [m, d, y] if month_number(m).is_some() => (number(y), month_number(m), number(d)),
        [m, y] if month_number(m).is_some() => (number(y), month_number(m), None),
        _ => return Err(format!("'{trimmed}' is not a date")),
    };
    let (Some(year), Some(month)) = (year, month) else {
        return Err(format!("'{trimmed}' is not a date"));
    };
    let year = expand_year(year, words.last().map_or(4, |y| y.len()));
    let mut edtf = format!("{}-{month:02}", year_text(i64::from(year)));
    if let Some(day) = day {
        edtf.push_str(&format!("-{day:02}"));
    }
    parsed(edtf).map_err(|error| format!("'{trimmed}': {error}"))
}

/// A spreadsheet serial date (days since 1899-12-30, the fraction is the time of day).
pub(super) fn spreadsheet_serial(serial: f64) -> Result<Dated, String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return Err(format!("{serial} is not a spreadsheet date"));
    }
    // 1899-12-30 is day -25569 from 1970-01-01.
    let seconds = ((serial - 25_569.0) * DAY as f64).round() as i64;
    if serial.fract() == 0.0 {
        let (year, month, day) = civil_from_days(seconds.div_euclid(DAY));
        return parsed(format!("{}-{month:02}-{day:02}", year_text(year)));
    }
    epoch_seconds(seconds)
        .map(|(text, _)| text.trim_end_matches('Z').to_owned())
        .and_then(parsed)
}

/// The longest text read as a date: "the second half of the 12th century, about" fits.
const LONGEST_DATE: usize = 200;

/// The error for text far too long to be a date (a damaged or hostile cell), quoting only its
/// start: the message must not copy megabytes.
fn too_long(text: &str) -> Result<(), String> {
    if text.len() <= LONGEST_DATE {
        return Ok(());
    }
    let start: String = text.chars().take(40).collect();
    Err(format!(
        "'{start}…' ({} bytes) is far too long to be a date: is this the right column?",
        text.len()
    ))
}

/// Any of the forms above, tried in turn: ISO 8601 first, then compact `YYYYMMDD`, slashed
/// (in `order`), month names, and finally a plain number as an epoch time.
pub(super) fn any(text: &str, order: SlashOrder) -> Result<Dated, String> {
    let trimmed = text.trim();
    too_long(trimmed)?;
    if trimmed.is_empty() {
        return Err("the date is empty".to_owned());
    }
    if let Ok(dated) = iso(trimmed) {
        return Ok(dated);
    }
    if trimmed.len() == 8
        && trimmed.bytes().all(|b| b.is_ascii_digit())
        && let Ok(dated) = compact(trimmed)
    {
        return Ok(dated);
    }
    if trimmed.contains(['/', '.'])
        && trimmed.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && let Ok(dated) = slashed(trimmed, order)
    {
        return Ok(dated);
    }
    if trimmed.bytes().any(|b| b.is_ascii_alphabetic())
        && let Ok(dated) = named_month(trimmed)
    {
        return Ok(dated);
    }
    if let Ok(number) = trimmed.parse::<f64>() {
        return epoch_number(number);
    }
    Err(format!(
        "'{trimmed}' is not a date Event Atlas reads (e.g. 2024-03-22, 22/03/2024, 22 March 2024)"
    ))
}

/// A year as EDTF writes it: four digits, a minus sign before BCE years (`-0043`), the `Y` form
/// beyond four digits (`Y-170000000`).
pub(super) fn year_text(year: i64) -> String {
    edtf_year(year)
}

/// A date written in words by a person (a StoryMapJS slide's `date`), with a note when reading
/// it took a choice the text does not state.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct FreeDate {
    pub dated: Dated,
    /// E.g. "read as the year 1945 (the season is not a date Event Atlas keeps)".
    pub note: Option<String>,
}

/// A date as people write it: `1945`, `800`, `44 BC`, `c. 1200`, `1200?`, `the 1940s`, `12th
/// century`, `Spring 1945`, `1790-2010`, `1939 to 1945`, `March 22, 2024`, `22 March 2024`,
/// `3/22/2024` (month first when both readings are dates: noted), and ISO 8601. Never more
/// precise than the text: a decade is an interval of years, a season the year it is in.
pub(super) fn free_text(text: &str) -> Result<FreeDate, String> {
    let trimmed = text.trim().trim_end_matches('.');
    too_long(trimmed)?;
    if trimmed.is_empty() {
        return Err("the date is empty".to_owned());
    }
    let (body, approximate, uncertain) = qualifiers(trimmed);
    let mut read = free_range(body).or_else(|_| free_single(body))?;
    let suffix = match (approximate, uncertain) {
        (true, true) => "%",
        (true, false) => "~",
        (false, true) => "?",
        (false, false) => "",
    };
    if !suffix.is_empty() {
        // A qualifier applies to a single date; on an interval, to each end.
        let qualified = match read.dated.0.split_once('/') {
            Some((start, end)) => format!("{start}{suffix}/{end}{suffix}"),
            None => format!("{}{suffix}", read.dated.0),
        };
        read.dated = parsed(qualified)?;
    }
    Ok(read)
}

/// The text without "c.", "circa", "about"… in front or "?" behind, and which were there.
fn qualifiers(text: &str) -> (&str, bool, bool) {
    let mut body = text.trim();
    let mut uncertain = false;
    if let Some(rest) = body.strip_suffix('?') {
        body = rest.trim_end();
        uncertain = true;
    }
    let lower = body.to_ascii_lowercase();
    for prefix in [
        "circa ",
        "c. ",
        "c.",
        "ca. ",
        "ca.",
        "ca ",
        "c ",
        "about ",
        "around ",
        "approx. ",
        "approximately ",
        "~",
    ] {
        if lower.starts_with(prefix) {
            let rest = body.get(prefix.len()..).unwrap_or_default().trim_start();
            // "c" and "ca" alone must be followed by a digit (not "Cairo 1942").
            if rest.bytes().next().is_some_and(|b| b.is_ascii_digit()) || prefix.len() > 3 {
                return (rest, true, uncertain);
            }
        }
    }
    (body, false, uncertain)
}

/// `1790-2010`, `1790 – 2010`, `1939 to 1945`, `44 BC - AD 14`: two dates, as an interval.
fn free_range(text: &str) -> Result<FreeDate, String> {
    let not_a_range = || format!("'{text}' is not a range of dates");
    let lower = text.to_ascii_lowercase();
    let (start, end) = if let Some(at) = lower.find(" to ") {
        (text.get(..at), text.get(at + 4..))
    } else if let Some((start, end)) = text.split_once(['–', '—']) {
        (Some(start), Some(end))
    } else {
        // A hyphen only between two plain years: `2024-03-22` is one date.
        let (start, end) = text.split_once('-').ok_or_else(not_a_range)?;
        let is_year = |part: &str| {
            let part = part.trim();
            (1..=4).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
        };
        if !is_year(start) || !is_year(end) {
            return Err(not_a_range());
        }
        (Some(start), Some(end))
    };
    let (Some(start), Some(end)) = (start, end) else {
        return Err(not_a_range());
    };
    let (start, end) = (free_single(start)?, free_single(end)?);
    let first = start.dated.0.split('/').next().unwrap_or_default();
    let last = end.dated.0.rsplit('/').next().unwrap_or_default();
    let dated = parsed(format!("{first}/{last}"))?;
    let note = start.note.or(end.note);
    Ok(FreeDate { dated, note })
}

/// One date (no range): a year with or without an era, a decade, a century, a season and year,
/// or a calendar date in any form [`any`] reads.
fn free_single(text: &str) -> Result<FreeDate, String> {
    let text = text.trim();
    let plain = |dated| FreeDate { dated, note: None };
    if let Some(year) = era_year(text) {
        return parsed(year_text(year)).map(plain);
    }
    if let Some(read) = decade_or_century(text) {
        return read;
    }
    if let Some(read) = season(text) {
        return read;
    }
    // A bare number is no epoch time here: people write years, or days as `20240322`.
    if text.bytes().all(|b| b.is_ascii_digit()) && text.len() != 8 {
        return Err(format!("'{text}' is not a date"));
    }
    let month_first = any(text, SlashOrder::MonthFirst);
    let day_first = any(text, SlashOrder::DayFirst);
    match (month_first, day_first) {
        (Ok(month), Ok(day)) if month.0 != day.0 && text.contains(['/', '.']) => Ok(FreeDate {
            note: Some(format!(
                "'{text}' read month first, as {}; it could also be {}",
                month.1.describe(),
                day.1.describe()
            )),
            dated: month,
        }),
        (Ok(dated), _) | (Err(_), Ok(dated)) => Ok(plain(dated)),
        (Err(error), Err(_)) => Err(error),
    }
}

/// The astronomical year of `1945`, `800`, `44 BC`, `44 BCE`, `AD 14`, `14 CE`, `12000 BC`
/// (year 1 BCE is year 0).
fn era_year(text: &str) -> Option<i64> {
    let upper = text.to_ascii_uppercase().replace('.', "");
    let upper = upper.trim();
    let (digits, bce, marked) = if let Some(rest) = upper
        .strip_suffix("BCE")
        .or_else(|| upper.strip_suffix("BC"))
    {
        (rest.trim(), true, true)
    } else if let Some(rest) = upper
        .strip_suffix("CE")
        .or_else(|| upper.strip_suffix("AD"))
        .or_else(|| upper.strip_prefix("AD"))
    {
        (rest.trim(), false, true)
    } else {
        (upper, false, false)
    };
    let digits = digits.replace(',', "");
    // Beyond four digits only with an era: `20240322` is a day, not a year.
    let longest = if marked { 12 } else { 4 };
    if digits.is_empty() || digits.len() > longest || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i64 = digits.parse().ok()?;
    // Year zero does not exist in either era; a plain "0" is not a year people write.
    if year == 0 || year > MAX_YEAR {
        return None;
    }
    Some(if bce { 1 - year } else { year })
}

/// `1940s`, `the 1940s` (an interval of ten years), `12th century`, `5th century BC` (of a
/// hundred).
fn decade_or_century(text: &str) -> Option<Result<FreeDate, String>> {
    let lower = text.to_ascii_lowercase();
    let lower = lower.trim_start_matches("the ").trim();
    let interval = |first: i64, last: i64| {
        parsed(format!("{}/{}", year_text(first), year_text(last)))
            .map(|dated| FreeDate { dated, note: None })
    };
    if let Some(decade) = lower
        .strip_suffix("0s")
        .or_else(|| lower.strip_suffix("0's"))
    {
        let tens: i64 = decade
            .parse()
            .ok()
            .filter(|_| (1..=3).contains(&decade.len()))?;
        return Some(interval(tens * 10, tens * 10 + 9));
    }
    let (ordinal, bce) = match lower.split_once(" century") {
        Some((ordinal, rest)) => (ordinal, era_word_is_bce(rest)?),
        None => return None,
    };
    let number: i64 = ordinal
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()
        .filter(|n| (1..=100).contains(n))?;
    Some(if bce {
        // The 5th century BC runs from 500 BC to 401 BC: years -499 to -400.
        interval(1 - number * 100, 1 - ((number - 1) * 100 + 1))
    } else {
        interval((number - 1) * 100 + 1, number * 100)
    })
}

/// Whether what follows "century" says BCE (`Some(true)`), CE or nothing (`Some(false)`), or is
/// something else (`None`).
fn era_word_is_bce(rest: &str) -> Option<bool> {
    match rest.trim().replace('.', "").as_str() {
        "" | "ad" | "ce" => Some(false),
        "bc" | "bce" => Some(true),
        _ => None,
    }
}

/// `Spring 1945`, `summer of 1945`: the year (a winter, which may run into the next year: the
/// two years), with a note that the season was not kept.
fn season(text: &str) -> Option<Result<FreeDate, String>> {
    let lower = text.to_ascii_lowercase();
    let (word, rest) = lower.split_once(' ')?;
    if !["spring", "summer", "autumn", "fall", "winter"].contains(&word) {
        return None;
    }
    let rest = rest.trim().trim_start_matches("of ").trim();
    let year = era_year(rest)?;
    let (edtf, read_as) = if word == "winter" {
        let edtf = format!("{}/{}", year_text(year), year_text(year + 1));
        (edtf, format!("the years {} and {}", year, year + 1))
    } else {
        (year_text(year), format!("the year {year}"))
    };
    Some(parsed(edtf).map(|dated| FreeDate {
        dated,
        note: Some(format!(
            "'{text}' read as {read_as}: seasons are not dates Event Atlas keeps"
        )),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(result: Result<Dated, String>) -> String {
        result
            .map(|(text, _)| text)
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn iso_dates_keep_their_precision_and_lose_only_fractions_of_seconds() {
        assert_eq!(text(iso("2024")), "2024");
        assert_eq!(text(iso("2024-03")), "2024-03");
        assert_eq!(text(iso(" 2024-03-22 ")), "2024-03-22");
        assert_eq!(
            text(iso("2024-03-22T19:58:30.123Z")),
            "2024-03-22T19:58:30Z"
        );
        assert_eq!(
            text(iso("2024-03-22 19:58:30+03:00")),
            "2024-03-22T19:58:30+03:00"
        );
        assert_eq!(
            text(iso("2014-04-24T10:50:18Z/..")),
            "2014-04-24T10:50:18Z/.."
        );
        assert_eq!(text(iso("2023-11/2024-03-22")), "2023-11/2024-03-22");
        assert!(iso("2024-02-30").is_err());
        assert!(iso("yesterday").is_err());
    }

    #[test]
    fn numbers_are_epoch_times_or_years() {
        assert_eq!(
            text(epoch_millis(1_711_137_480_000.0)),
            "2024-03-22T19:58:00Z"
        );
        assert_eq!(text(epoch_number(1_711_137_480.0)), "2024-03-22T19:58:00Z");
        assert_eq!(
            text(epoch_number(1_711_137_480_000.0)),
            "2024-03-22T19:58:00Z"
        );
        assert_eq!(text(epoch_number(2024.0)), "2024");
        assert_eq!(text(epoch_seconds(-86_400)), "1969-12-31T00:00:00Z");
        assert!(epoch_millis(f64::NAN).is_err());
        assert!(epoch_number(f64::INFINITY).is_err());
    }

    #[test]
    fn compact_slashed_and_named_dates() {
        assert_eq!(text(compact("20150218")), "2015-02-18");
        assert_eq!(text(compact("201502")), "2015-02");
        assert!(compact("20151318").is_err());
        assert_eq!(
            text(slashed("28/12/2015", SlashOrder::DayFirst)),
            "2015-12-28"
        );
        assert_eq!(
            text(slashed("03/22/2024", SlashOrder::MonthFirst)),
            "2024-03-22"
        );
        assert_eq!(
            text(slashed("3/22/24 7:05 PM", SlashOrder::MonthFirst)),
            "2024-03-22T19:05"
        );
        assert_eq!(
            text(slashed("22.03.2024", SlashOrder::DayFirst)),
            "2024-03-22"
        );
        assert_eq!(
            text(slashed("2024/03/22", SlashOrder::MonthFirst)),
            "2024-03-22"
        );
        assert_eq!(text(slashed("03/2024", SlashOrder::DayFirst)), "2024-03");
        assert!(slashed("22/03/2024", SlashOrder::MonthFirst).is_err());
        assert_eq!(text(named_month("28 May 2016")), "2016-05-28");
        assert_eq!(text(named_month("28-May-16")), "2016-05-28");
        assert_eq!(text(named_month("March 22, 2024")), "2024-03-22");
        assert_eq!(text(named_month("March 2024")), "2024-03");
        assert!(named_month("Someday 2024").is_err());
    }

    #[test]
    fn spreadsheet_serials_and_the_catch_all() {
        assert_eq!(text(spreadsheet_serial(45373.0)), "2024-03-22");
        assert_eq!(text(spreadsheet_serial(45373.5)), "2024-03-22T12:00:00");
        assert!(spreadsheet_serial(-3.0).is_err());
        assert_eq!(text(any("2024-03-22", SlashOrder::DayFirst)), "2024-03-22");
        assert_eq!(text(any("20240322", SlashOrder::DayFirst)), "2024-03-22");
        assert_eq!(text(any("22/03/2024", SlashOrder::DayFirst)), "2024-03-22");
        assert_eq!(
            text(any("22 March 2024", SlashOrder::DayFirst)),
            "2024-03-22"
        );
        assert_eq!(
            text(any("1711137480000", SlashOrder::DayFirst)),
            "2024-03-22T19:58:00Z"
        );
        assert_eq!(year_text(-43), "-0043");
        assert_eq!(year_text(-170_000_000), "Y-170000000");
        assert!(any("", SlashOrder::DayFirst).is_err());
        assert!(
            any("soon", SlashOrder::DayFirst)
                .unwrap_err()
                .contains("'soon'")
        );
    }

    fn free(text: &str) -> String {
        match free_text(text) {
            Ok(read) => read.dated.0,
            Err(error) => format!("error: {error}"),
        }
    }

    #[test]
    fn free_text_dates_as_people_write_them() {
        assert_eq!(free("1945"), "1945");
        assert_eq!(free(" 800 "), "0800");
        assert_eq!(free("44 BC"), "-0043");
        assert_eq!(free("44 B.C.E."), "-0043");
        assert_eq!(free("AD 14"), "0014");
        assert_eq!(free("12,000 BCE"), "Y-11999");
        assert_eq!(free("c. 1200"), "1200~");
        assert_eq!(free("circa 1200"), "1200~");
        assert_eq!(free("ca. 1200?"), "1200%");
        assert_eq!(free("1200?"), "1200?");
        assert_eq!(free("March 22, 2024"), "2024-03-22");
        assert_eq!(free("22 March 2024"), "2024-03-22");
        assert_eq!(free("March 2024"), "2024-03");
        assert_eq!(free("2024-03-22"), "2024-03-22");
        assert_eq!(free("3/22/2024"), "2024-03-22");
        assert_eq!(free("22/3/2024"), "2024-03-22");
        assert_eq!(free("1790-2010"), "1790/2010");
        assert_eq!(free("1939 to 1945"), "1939/1945");
        assert_eq!(free("44 BC – AD 14"), "-0043/0014");
        assert_eq!(free("c. 1939 - 1945"), "1939~/1945~");
        assert_eq!(free("the 1940s"), "1940/1949");
        assert_eq!(free("1960's"), "1960/1969");
        assert_eq!(free("12th century"), "1101/1200");
        assert_eq!(free("5th century BC"), "-0499/-0400");
        assert_eq!(free("Spring 1945"), "1945");
        assert_eq!(free("winter of 1944"), "1944/1945");
        assert_eq!(free("20240322"), "2024-03-22");
        for not_a_date in [
            "",
            "Spring",
            "the next day",
            "Cairo 1942",
            "0",
            "soon",
            "123456",
        ] {
            assert!(free(not_a_date).starts_with("error"), "{not_a_date}");
        }
    }

    #[test]
    fn free_text_notes_the_choices_it_made() {
        let season = free_text("Spring 1945").unwrap();
        assert_eq!(
            season.note.as_deref(),
            Some("'Spring 1945' read as the year 1945: seasons are not dates Event Atlas keeps")
        );
        let ambiguous = free_text("03/04/2024").unwrap();
        assert_eq!(ambiguous.dated.0, "2024-03-04");
        assert_eq!(
            ambiguous.note.as_deref(),
            Some("'03/04/2024' read month first, as 4 March 2024; it could also be 3 April 2024")
        );
        assert_eq!(free_text("1945").unwrap().note, None);
        assert_eq!(free_text("22/3/2024").unwrap().note, None);
    }
}
