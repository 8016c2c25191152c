//! Dates as sources give them: the EDTF (ISO 8601-2 level 1) subset documented in `docs/format.md`.
//!
//! A date keeps its precision: `2024-03` is the whole of March 2024, never the 1st. Years beyond
//! four digits are written `Y12345` or `Y-170000000` (EDTF level 1) and are whole years.

use super::calendar::{
    self, CivilTime, DAY, MAX_YEAR, YearWords, days_from_civil, days_in_month, edtf_year,
    month_start, year_words,
};

/// How precisely a single date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
    /// A time of day given to the minute (or second).
    Time,
}

/// A date as written: year, optional month, day and time, and the EDTF qualifiers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatePoint {
    pub year: i64,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub time: Option<TimeOfDay>,
    /// `~`: the source gives an approximate date.
    pub approximate: bool,
    /// `?`: the source is unsure of the date.
    pub uncertain: bool,
}

/// A time of day with its UTC offset in minutes (`None`: no zone given, read as UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeOfDay {
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub offset_minutes: Option<i32>,
}

/// One end of an interval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bound {
    Date(DatePoint),
    /// `..`: the interval goes on without limit on this side.
    Open,
    /// Empty: the source does not say.
    Unknown,
}

/// When an event happened, as parsed from its `when` text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    Single(DatePoint),
    Interval { start: Bound, end: Bound },
}

/// How well one end of a date's span is known: what the timeline's fade at that end shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndKnown {
    /// To the day or better.
    Fine,
    /// Only the month.
    Month,
    /// Only the year.
    Year,
    /// Not at all: an open (`..`) or unknown (empty) end.
    Open,
}

impl EndKnown {
    fn bits(self) -> u8 {
        match self {
            EndKnown::Fine => 0,
            EndKnown::Month => 1,
            EndKnown::Year => 2,
            EndKnown::Open => 3,
        }
    }

    fn from_bits(bits: u8) -> Self {
        match bits & 3 {
            0 => EndKnown::Fine,
            1 => EndKnown::Month,
            2 => EndKnown::Year,
            _ => EndKnown::Open,
        }
    }

    fn of_point(date: &DatePoint) -> Self {
        match date.precision() {
            Precision::Year => EndKnown::Year,
            Precision::Month => EndKnown::Month,
            Precision::Day | Precision::Time => EndKnown::Fine,
        }
    }

    fn of_bound(bound: &Bound) -> Self {
        match bound {
            Bound::Date(date) => Self::of_point(date),
            Bound::Open | Bound::Unknown => EndKnown::Open,
        }
    }
}

/// What a date leaves uncertain, in one byte, worked out once at load so that the views can
/// draw it without parsing the date again (there can be a million events): the qualifiers
/// (`~`, `?`) and how well each end is known.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Certainty(u8);

impl Certainty {
    const APPROXIMATE: u8 = 1;
    const UNCERTAIN: u8 = 1 << 1;
    const START_SHIFT: u8 = 2;
    const END_SHIFT: u8 = 4;
    const START_QUALIFIED: u8 = 1 << 6;
    const END_QUALIFIED: u8 = 1 << 7;

    /// What `when` leaves uncertain.
    pub fn of(when: &When) -> Self {
        let (start, end, qualified) = match when {
            When::Single(date) => {
                let known = EndKnown::of_point(date);
                (known, known, [Some(date), Some(date)])
            }
            When::Interval { start, end } => {
                let dates = [start, end].map(|bound| match bound {
                    Bound::Date(date) => Some(date),
                    _ => None,
                });
                (EndKnown::of_bound(start), EndKnown::of_bound(end), dates)
            }
        };
        let mut bits = (start.bits() << Self::START_SHIFT) | (end.bits() << Self::END_SHIFT);
        let sides = [Self::START_QUALIFIED, Self::END_QUALIFIED];
        for (date, side) in qualified.into_iter().zip(sides) {
            let Some(date) = date else { continue };
            if date.approximate {
                bits |= Self::APPROXIMATE | side;
            }
            if date.uncertain {
                bits |= Self::UNCERTAIN | side;
            }
        }
        Self(bits)
    }

    /// `~`: the source gives the date (or one end of it) as approximate.
    pub fn is_approximate(self) -> bool {
        self.0 & Self::APPROXIMATE != 0
    }

    /// `?`: the source is unsure of the date (or of one end of it).
    pub fn is_uncertain(self) -> bool {
        self.0 & Self::UNCERTAIN != 0
    }

    /// Approximate or uncertain: marked with a `~` or `?` in every view.
    pub fn is_qualified(self) -> bool {
        self.is_approximate() || self.is_uncertain()
    }

    /// The start carries the `~` or `?` (for a single date, both ends do).
    pub fn start_is_qualified(self) -> bool {
        self.0 & Self::START_QUALIFIED != 0
    }

    /// The end carries the `~` or `?` (for a single date, both ends do).
    pub fn end_is_qualified(self) -> bool {
        self.0 & Self::END_QUALIFIED != 0
    }

    /// How well the start is known.
    pub fn start(self) -> EndKnown {
        EndKnown::from_bits(self.0 >> Self::START_SHIFT)
    }

    /// How well the end is known.
    pub fn end(self) -> EndKnown {
        EndKnown::from_bits(self.0 >> Self::END_SHIFT)
    }

    /// An end is given only to the month or the year.
    pub fn is_coarse(self) -> bool {
        [self.start(), self.end()]
            .iter()
            .any(|known| matches!(known, EndKnown::Month | EndKnown::Year))
    }

    /// Known to the day (or moment) at both ends, without `~` or `?`.
    pub fn is_certain(self) -> bool {
        self == Self::default()
    }

    /// The qualifier as written next to a mark: "~", "?" or "~?".
    pub fn glyph(self) -> Option<&'static str> {
        match (self.is_approximate(), self.is_uncertain()) {
            (true, true) => Some("~?"),
            (true, false) => Some("~"),
            (false, true) => Some("?"),
            (false, false) => None,
        }
    }

    /// The qualifier in words: "approximate", "uncertain", "approximate and uncertain".
    pub fn qualifier_words(self) -> Option<&'static str> {
        match (self.is_approximate(), self.is_uncertain()) {
            (true, true) => Some("approximate and uncertain"),
            (true, false) => Some("approximate"),
            (false, true) => Some("uncertain"),
            (false, false) => None,
        }
    }
}

impl std::fmt::Debug for Certainty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certainty")
            .field("approximate", &self.is_approximate())
            .field("uncertain", &self.is_uncertain())
            .field("start", &self.start())
            .field("end", &self.end())
            .finish()
    }
}

/// Why a `when` text could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WhenError(pub String);

fn err<T>(message: impl Into<String>) -> Result<T, WhenError> {
    Err(WhenError(message.into()))
}

impl DatePoint {
    /// How precisely this date is known.
    pub fn precision(&self) -> Precision {
        if self.time.is_some() {
            Precision::Time
        } else if self.day.is_some() {
            Precision::Day
        } else if self.month.is_some() {
            Precision::Month
        } else {
            Precision::Year
        }
    }

    /// First instant covered, in Unix seconds (UTC).
    pub fn start(&self) -> i64 {
        let month = self.month.unwrap_or(1);
        let day = self.day.unwrap_or(1);
        let mut seconds = days_from_civil(self.year, month, day) * DAY;
        if let Some(time) = self.time {
            seconds +=
                i64::from(time.hour) * 3600 + i64::from(time.minute) * 60 + i64::from(time.second)
                    - i64::from(time.offset_minutes.unwrap_or(0)) * 60;
        }
        seconds
    }

    /// First instant after the span covered (exclusive end), in Unix seconds (UTC).
    pub fn end(&self) -> i64 {
        match (self.month, self.day, self.time) {
            (_, _, Some(time)) => self.start() + if time.second == 0 { 60 } else { 1 },
            (Some(_), Some(_), None) => self.start() + DAY,
            (Some(month), None, None) => month_start(self.year, month + 1),
            _ => month_start(self.year + 1, 1),
        }
    }

    /// The date in words with its precision, e.g. "22 March 2024", "March 2024 (the whole month)".
    pub fn describe(&self) -> String {
        let month_name = |m: u32| {
            calendar::MONTH_NAMES
                .get(m.saturating_sub(1) as usize)
                .copied()
                .unwrap_or("?")
        };
        let (year, rounded) = match year_words(self.year) {
            YearWords::Calendar(year) => (year, false),
            YearWords::Ago { words, rounded } => (words, rounded),
        };
        let mut text = match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {year}", month_name(m)),
            (Some(m), None) => format!("{} {year}", month_name(m)),
            _ => year,
        };
        if let Some(time) = self.time {
            text.push_str(&format!(", {:02}:{:02}", time.hour, time.minute));
            if time.second != 0 {
                text.push_str(&format!(":{:02}", time.second));
            }
            match time.offset_minutes {
                Some(0) => text.push_str(" UTC"),
                Some(offset) => {
                    let sign = if offset < 0 { '-' } else { '+' };
                    let offset = offset.abs();
                    text.push_str(&format!(" UTC{sign}{:02}:{:02}", offset / 60, offset % 60));
                }
                None => text.push_str(" (no time zone given)"),
            }
        }
        // An age rounded to four digits is "about" too; say it once.
        match (self.approximate || rounded, self.uncertain) {
            (true, true) => format!("about {text}, uncertain"),
            (true, false) => format!("about {text}"),
            (false, true) => format!("{text}, uncertain"),
            (false, false) => text,
        }
    }

    fn precision_words(&self) -> &'static str {
        match self.precision() {
            Precision::Year => "year: the whole year",
            Precision::Month => "month: the whole month",
            Precision::Day => "exact day",
            Precision::Time => "exact time",
        }
    }

    fn qualifier_words(&self) -> Option<&'static str> {
        match (self.approximate, self.uncertain) {
            (true, true) => Some("approximate and uncertain"),
            (true, false) => Some("approximate"),
            (false, true) => Some("uncertain"),
            (false, false) => None,
        }
    }
}

impl When {
    /// Parses an EDTF text; see `docs/format.md` for the forms accepted.
    pub fn parse(text: &str) -> Result<Self, WhenError> {
        let text = text.trim();
        if text.is_empty() {
            return err("the date is empty");
        }
        let Some((start_text, end_text)) = text.split_once('/') else {
            if text == ".." {
                return err("'..' is only allowed as one end of an interval, e.g. '2023-11/..'");
            }
            return parse_date(text).map(When::Single);
        };
        if end_text.contains('/') {
            return err("an interval has exactly one '/'");
        }
        let start = parse_bound(start_text)?;
        let end = parse_bound(end_text)?;
        if !matches!(start, Bound::Date(_)) && !matches!(end, Bound::Date(_)) {
            return err("an interval needs a date on at least one side");
        }
        if let (Bound::Date(first), Bound::Date(last)) = (&start, &end)
            && last.end() <= first.start()
        {
            return err(format!(
                "the interval ends ({}) before it starts ({})",
                last.describe(),
                first.describe()
            ));
        }
        Ok(When::Interval { start, end })
    }

    /// The earliest instant given, if the start is known.
    pub fn known_start(&self) -> Option<i64> {
        match self {
            When::Single(date) => Some(date.start()),
            When::Interval {
                start: Bound::Date(date),
                ..
            } => Some(date.start()),
            When::Interval { .. } => None,
        }
    }

    /// The instant after the last one covered, if the end is known.
    pub fn known_end(&self) -> Option<i64> {
        match self {
            When::Single(date) => Some(date.end()),
            When::Interval {
                end: Bound::Date(date),
                ..
            } => Some(date.end()),
            When::Interval { .. } => None,
        }
    }

    /// The span with open or unknown ends as `i64::MIN` / `i64::MAX`, for the loader to place
    /// at the edges of the data once every event is read.
    pub fn provisional_span(&self) -> super::TimeRange {
        super::TimeRange {
            start: self.known_start().unwrap_or(i64::MIN),
            end: self.known_end().unwrap_or(i64::MAX),
        }
    }

    /// True when the source gives a single exact day or time (drawn as a mark, not a bar).
    pub fn is_exact(&self) -> bool {
        matches!(self, When::Single(date) if date.precision() >= Precision::Day)
    }

    /// The date in words as the source gives it, e.g. "between November 2023 and 22 March 2024".
    pub fn describe(&self) -> String {
        match self {
            When::Single(date) => date.describe(),
            When::Interval { start, end } => match (start, end) {
                (Bound::Date(a), Bound::Date(b)) => {
                    format!("between {} and {}", a.describe(), b.describe())
                }
                (Bound::Date(a), Bound::Open) => format!("from {} onwards", a.describe()),
                (Bound::Date(a), Bound::Unknown) => format!("from {}, end unknown", a.describe()),
                (Bound::Open, Bound::Date(b)) => format!("until {}", b.describe()),
                (Bound::Unknown, Bound::Date(b)) => {
                    format!("until {}, start unknown", b.describe())
                }
                _ => "unknown".to_owned(),
            },
        }
    }

    /// What the source leaves unknown about the date, said plainly (`None`: an exact day or
    /// moment): "the day is not given", "the month and day are not given", "the date is
    /// approximate", "the exact dates are not given", "no end is given".
    pub fn caveat(&self) -> Option<String> {
        let of_point = |date: &DatePoint| {
            let missing = match date.precision() {
                Precision::Year => Some("the month and day are not given"),
                Precision::Month => Some("the day is not given"),
                Precision::Day | Precision::Time => None,
            };
            let qualifier = date.qualifier_words().map(|q| format!("the date is {q}"));
            match (missing, qualifier) {
                (Some(m), Some(q)) => Some(format!("{m}; {q}")),
                (Some(m), None) => Some(m.to_owned()),
                (None, q) => q,
            }
        };
        match self {
            When::Single(date) => of_point(date),
            When::Interval { start, end } => {
                let mut words = vec!["the exact dates are not given".to_owned()];
                match (start, end) {
                    (Bound::Open | Bound::Unknown, _) => words.push("no start is given".into()),
                    (_, Bound::Open | Bound::Unknown) => words.push("no end is given".into()),
                    _ => {}
                }
                for (side, bound) in [("start", start), ("end", end)] {
                    if let Bound::Date(date) = bound
                        && let Some(q) = date.qualifier_words()
                    {
                        words.push(format!("the {side} is {q}"));
                    }
                }
                Some(words.join("; "))
            }
        }
    }

    /// The precision in words, e.g. "month: the whole month", "range".
    pub fn precision_words(&self) -> String {
        match self {
            When::Single(date) => match date.qualifier_words() {
                Some(q) => format!("{}, {q}", date.precision_words()),
                None => date.precision_words().to_owned(),
            },
            When::Interval { start, end } => {
                let mut words = vec!["range".to_owned()];
                for (side, bound) in [("start", start), ("end", end)] {
                    match bound {
                        Bound::Date(date) => {
                            words.push(format!("{side} to the {}", short_precision(date)));
                            if let Some(q) = date.qualifier_words() {
                                words.push(format!("{side} {q}"));
                            }
                        }
                        Bound::Open => words.push(format!("open {side}")),
                        Bound::Unknown => words.push(format!("{side} unknown")),
                    }
                }
                words.join(", ")
            }
        }
    }
}

fn short_precision(date: &DatePoint) -> &'static str {
    match date.precision() {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
        Precision::Time => "minute",
    }
}

fn parse_bound(text: &str) -> Result<Bound, WhenError> {
    match text {
        "" => Ok(Bound::Unknown),
        ".." => Ok(Bound::Open),
        _ => parse_date(text).map(Bound::Date),
    }
}

fn parse_number(digits: &str, what: &str, whole: &str) -> Result<u32, WhenError> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.contains(['X', 'x']) {
            return err(format!(
                "'{whole}': unspecified digits (X) are not supported; give the month or year only"
            ));
        }
        return err(format!("'{whole}': the {what} '{digits}' is not a number"));
    }
    digits
        .parse()
        .or_else(|_| err(format!("'{whole}': the {what} '{digits}' is too large")))
}

/// `text` without its trailing qualifiers, and whether it is approximate and uncertain.
fn strip_qualifiers(text: &str) -> (&str, bool, bool) {
    let mut body = text;
    let mut approximate = false;
    let mut uncertain = false;
    while let Some(last) = body.chars().last() {
        match last {
            '~' => approximate = true,
            '?' => uncertain = true,
            '%' => {
                approximate = true;
                uncertain = true;
            }
            _ => break,
        }
        body = &body[..body.len() - 1];
    }
    (body, approximate, uncertain)
}

fn parse_date(text: &str) -> Result<DatePoint, WhenError> {
    let (body, approximate, uncertain) = strip_qualifiers(text);
    let (date_text, time_text) = match body.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (body, None),
    };
    if let Some(digits) = date_text.strip_prefix('Y') {
        if time_text.is_some() {
            return err(format!(
                "'{text}': a year written with Y is a whole year, without a time"
            ));
        }
        return parse_long_year(digits, text).map(|year| DatePoint {
            year,
            month: None,
            day: None,
            time: None,
            approximate,
            uncertain,
        });
    }
    let (negative, unsigned) = match date_text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, date_text),
    };
    let mut parts = unsigned.split('-');
    let year_text = parts.next().unwrap_or_default();
    if year_text.len() != 4 {
        let hint = if year_text.len() > 4 && year_text.bytes().all(|b| b.is_ascii_digit()) {
            " (years beyond four digits are written with a Y: Y12345, Y-170000000)"
        } else {
            ""
        };
        return err(format!(
            "'{text}' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-03-22){hint}"
        ));
    }
    let year = i64::from(parse_number(year_text, "year", text)?);
    let year = if negative { -year } else { year };
    let month = match parts.next() {
        Some(m) if m.len() == 2 => Some(parse_number(m, "month", text)?),
        Some(_) => return err(format!("'{text}': the month must have two digits")),
        None => None,
    };
    let day = match parts.next() {
        Some(d) if d.len() == 2 => Some(parse_number(d, "day", text)?),
        Some(_) => return err(format!("'{text}': the day must have two digits")),
        None => None,
    };
    if parts.next().is_some() {
        return err(format!("'{text}' has too many parts"));
    }
    if let Some(month) = month {
        check_month_and_day(text, year, month, day)?;
    }
    let time = match time_text {
        Some(t) => {
            if day.is_none() {
                return err(format!("'{text}': a time needs a full date before the 'T'"));
            }
            Some(parse_time(t, text)?)
        }
        None => None,
    };
    Ok(DatePoint {
        year,
        month,
        day,
        time,
        approximate,
        uncertain,
    })
}

/// That `month` (and `day`, if given) of `year` exist.
fn check_month_and_day(
    text: &str,
    year: i64,
    month: u32,
    day: Option<u32>,
) -> Result<(), WhenError> {
    if (21..=24).contains(&month) {
        return err(format!(
            "'{text}': seasons (21-24) are not supported; use a month range such as 2024-03/2024-05"
        ));
    }
    if !(1..=12).contains(&month) {
        return err(format!("'{text}': month {month} does not exist"));
    }
    if let Some(day) = day {
        let last_day = days_in_month(year, month);
        if day == 0 || day > last_day {
            return err(format!(
                "'{text}': day {day} does not exist in {} {year} (it has {last_day} days)",
                calendar::MONTH_NAMES
                    .get(month as usize - 1)
                    .copied()
                    .unwrap_or("?")
            ));
        }
    }
    Ok(())
}

/// The year of EDTF's `Y` form after the `Y`: an optional minus sign and more than four digits,
/// within [`MAX_YEAR`] either way.
fn parse_long_year(text: &str, whole: &str) -> Result<i64, WhenError> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return err(format!(
            "'{whole}': a year written with Y is digits only, e.g. Y-170000000 (no month or day)"
        ));
    }
    if digits.len() <= 4 {
        return err(format!(
            "'{whole}': the Y form is for years beyond four digits; write this one as YYYY (e.g. {})",
            edtf_year(digits.parse::<i64>().unwrap_or(0) * if negative { -1 } else { 1 })
        ));
    }
    let year = digits
        .parse::<i64>()
        .ok()
        .filter(|year| *year <= MAX_YEAR)
        .ok_or_else(|| {
            WhenError(format!(
                "'{whole}': the year is too far away (Event Atlas reads years up to {} either way)",
                calendar::group_thousands(MAX_YEAR.unsigned_abs())
            ))
        })?;
    Ok(if negative { -year } else { year })
}

fn parse_time(time_text: &str, whole: &str) -> Result<TimeOfDay, WhenError> {
    let (clock, offset_minutes) = if let Some(clock) = time_text.strip_suffix(['Z', 'z']) {
        (clock, Some(0))
    } else if let Some(index) = time_text.find(['+', '-']) {
        let (clock, offset) = time_text.split_at(index);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let digits: String = offset.chars().skip(1).filter(|c| *c != ':').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return err(format!("'{whole}': the UTC offset must look like +03:00"));
        }
        // All ASCII digits now, so byte slicing is safe.
        let (hours, minutes) = match (digits.get(..2), digits.get(2..), digits.len()) {
            (Some(hours), _, 2) => (parse_number(hours, "offset", whole)?, 0),
            (Some(hours), Some(minutes), 4) => (
                parse_number(hours, "offset hour", whole)?,
                parse_number(minutes, "offset minute", whole)?,
            ),
            _ => return err(format!("'{whole}': the UTC offset must look like +03:00")),
        };
        if hours > 14 || minutes > 59 {
            return err(format!(
                "'{whole}': the UTC offset {offset} is out of range"
            ));
        }
        (clock, Some(sign * (hours as i32 * 60 + minutes as i32)))
    } else {
        (time_text, None)
    };
    let mut fields = clock.split(':');
    let hour = parse_number(fields.next().unwrap_or_default(), "hour", whole)?;
    let minute = match fields.next() {
        Some(m) => parse_number(m, "minute", whole)?,
        None => return err(format!("'{whole}': a time needs hours and minutes (HH:MM)")),
    };
    let second = match fields.next() {
        Some(s) => parse_number(s, "second", whole)?,
        None => 0,
    };
    if fields.next().is_some() || hour > 23 || minute > 59 || second > 59 {
        return err(format!("'{whole}': the time {clock} does not exist"));
    }
    Ok(TimeOfDay {
        hour,
        minute,
        second,
        offset_minutes,
    })
}

/// Formats Unix seconds as EDTF at a precision, e.g. "2024-03" for a month, "-0043" for a
/// year BCE (used for summaries). Beyond four-digit years only the year is written
/// ("Y-170000000"): EDTF's `Y` form has no months.
pub fn format_at_precision(seconds: i64, precision: Precision) -> String {
    let t = CivilTime::from_unix(seconds);
    let year = edtf_year(t.year);
    if t.year.abs() > 9999 {
        return year;
    }
    match precision {
        Precision::Year => year,
        Precision::Month => format!("{year}-{:02}", t.month),
        Precision::Day => format!("{year}-{:02}-{:02}", t.month, t.day),
        Precision::Time => format!(
            "{year}-{:02}-{:02}T{:02}:{:02}Z",
            t.month, t.day, t.hour, t.minute
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d) * DAY
    }

    #[test]
    fn day_precision_is_one_day() {
        let when = When::parse("2024-03-22").unwrap();
        assert_eq!(when.known_start(), Some(day(2024, 3, 22)));
        assert_eq!(when.known_end(), Some(day(2024, 3, 23)));
        assert!(when.is_exact());
        assert_eq!(when.describe(), "22 March 2024");
        assert_eq!(when.precision_words(), "exact day");
    }

    #[test]
    fn month_is_the_whole_month_not_the_first() {
        let when = When::parse("2024-03").unwrap();
        assert_eq!(when.known_start(), Some(day(2024, 3, 1)));
        assert_eq!(when.known_end(), Some(day(2024, 4, 1)));
        assert!(!when.is_exact());
        assert_eq!(when.describe(), "March 2024");
        assert!(when.precision_words().contains("whole month"));
        let december = When::parse("2023-12").unwrap();
        assert_eq!(december.known_end(), Some(day(2024, 1, 1)));
        let february = When::parse("2024-02").unwrap();
        assert_eq!(february.known_end(), Some(day(2024, 3, 1)));
    }

    #[test]
    fn year_is_the_whole_year() {
        let when = When::parse("2024").unwrap();
        assert_eq!(when.known_start(), Some(day(2024, 1, 1)));
        assert_eq!(when.known_end(), Some(day(2025, 1, 1)));
        assert!(when.precision_words().starts_with("year"));
    }

    #[test]
    fn time_with_offset_with_and_without_seconds() {
        let short = When::parse("2024-03-22T20:00+03:00").unwrap();
        let long = When::parse("2024-03-22T20:00:00+03:00").unwrap();
        assert_eq!(short.known_start(), long.known_start());
        assert_eq!(short.known_start(), Some(day(2024, 3, 22) + 17 * 3600));
        assert_eq!(short.describe(), "22 March 2024, 20:00 UTC+03:00");
        let zulu = When::parse("2024-03-22T17:00Z").unwrap();
        assert_eq!(zulu.known_start(), short.known_start());
        assert_eq!(zulu.precision_words(), "exact time");
    }

    #[test]
    fn intervals_and_open_ends() {
        let when = When::parse("2023-11/2024-03-22").unwrap();
        assert_eq!(when.known_start(), Some(day(2023, 11, 1)));
        assert_eq!(when.known_end(), Some(day(2024, 3, 23)));
        assert_eq!(when.describe(), "between November 2023 and 22 March 2024");
        assert!(when.precision_words().starts_with("range"));
        let open = When::parse("2023-11/..").unwrap();
        assert_eq!(open.known_end(), None);
        assert_eq!(open.describe(), "from November 2023 onwards");
        let until = When::parse("../2024-03-07").unwrap();
        assert_eq!(until.known_start(), None);
        assert_eq!(until.describe(), "until 7 March 2024");
        let unknown_end = When::parse("2024-03/").unwrap();
        assert!(unknown_end.describe().contains("end unknown"));
    }

    #[test]
    fn qualifiers() {
        let approximate = When::parse("2024-03-07~").unwrap();
        assert_eq!(approximate.describe(), "about 7 March 2024");
        assert!(approximate.precision_words().contains("approximate"));
        let uncertain = When::parse("2024-03-20?").unwrap();
        assert_eq!(uncertain.describe(), "20 March 2024, uncertain");
        let both = When::parse("2024-03%").unwrap();
        assert!(both.precision_words().contains("approximate and uncertain"));
        let interval = When::parse("2024-02-22~/2024-03-22").unwrap();
        assert!(interval.precision_words().contains("start approximate"));
    }

    #[test]
    fn impossible_dates_are_rejected_with_reasons() {
        let cases = [
            ("2024-02-30", "day 30 does not exist in February 2024"),
            ("2023-02-29", "day 29 does not exist"),
            ("2023-13", "month 13 does not exist"),
            ("2024-00", "month 0 does not exist"),
            ("2024-03-22/2023-11", "ends"),
            ("24-03-22", "expected YYYY"),
            ("2024-3-22", "two digits"),
            ("2024-03-22T25:00Z", "does not exist"),
            ("2024-03-22T20", "hours and minutes"),
            ("2024-03T20:00", "full date"),
            ("", "empty"),
            ("..", "only allowed"),
            ("../..", "at least one side"),
            ("2024-21", "seasons"),
            ("2024-XX", "unspecified"),
            ("March 2024", "expected YYYY"),
            ("2024-03-22T20:00+25:00", "out of range"),
            ("2024-03-22T20:00+1é1", "must look like"),
            ("2024-03-22T20:00+é", "must look like"),
        ];
        for (text, expected) in cases {
            let error = When::parse(text).expect_err(text);
            assert!(
                error.0.contains(expected),
                "{text}: {error} should contain {expected}"
            );
        }
    }

    #[test]
    fn negative_years() {
        let ides = When::parse("-0044-03-15").unwrap();
        assert!(ides.known_start().unwrap() < 0);
        assert_eq!(ides.describe(), "15 March 45 BCE");
    }

    #[test]
    fn years_beyond_four_digits_use_the_y_form() {
        let jurassic = When::parse("Y-170000000").unwrap();
        let start = jurassic.known_start().unwrap();
        assert_eq!(start, days_from_civil(-170_000_000, 1, 1) * DAY);
        assert_eq!(
            jurassic.known_end(),
            Some(days_from_civil(-169_999_999, 1, 1) * DAY)
        );
        assert_eq!(jurassic.describe(), "170 million years ago");
        assert!(jurassic.precision_words().starts_with("year"));
        let big_bang = When::parse("Y-13798000000").unwrap();
        assert_eq!(big_bang.describe(), "about 13.8 billion years ago");
        let approximate = When::parse("Y-13798000000~").unwrap();
        assert_eq!(approximate.describe(), "about 13.8 billion years ago");
        assert!(approximate.precision_words().contains("approximate"));
        assert_eq!(When::parse("Y-12000").unwrap().describe(), "12,001 BCE");
        assert_eq!(When::parse("Y12345").unwrap().describe(), "12,345");
        let interval = When::parse("Y-13648000000/Y-12798000000").unwrap();
        assert_eq!(
            interval.describe(),
            "between about 13.65 billion years ago and about 12.8 billion years ago"
        );
        assert!(interval.known_start() < interval.known_end());
        let errors = [
            ("Y2024", "write this one as YYYY (e.g. 2024)"),
            ("Y-43", "e.g. -0043"),
            ("Y-170000000-03", "digits only"),
            ("Y12345T10:00", "without a time"),
            ("Y", "digits only"),
            ("Y-99999999999", "too far away"),
            ("Y99999999999999999999999", "too far away"),
            ("-170000000", "written with a Y"),
        ];
        for (text, expected) in errors {
            let error = When::parse(text).expect_err(text);
            assert!(error.0.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn formatting_at_precision() {
        assert_eq!(
            format_at_precision(day(2023, 11, 1), Precision::Month),
            "2023-11"
        );
        assert_eq!(
            format_at_precision(day(2024, 3, 22), Precision::Day),
            "2024-03-22"
        );
        assert_eq!(
            format_at_precision(day(-43, 3, 15), Precision::Year),
            "-0043"
        );
        assert_eq!(
            format_at_precision(day(-43, 3, 15), Precision::Day),
            "-0043-03-15"
        );
        assert_eq!(
            format_at_precision(day(-170_000_000, 1, 1), Precision::Day),
            "Y-170000000"
        );
    }

    #[test]
    fn what_the_source_leaves_unknown_is_said_plainly() {
        let caveat = |text: &str| When::parse(text).unwrap().caveat();
        assert_eq!(caveat("2024-03-22"), None);
        assert_eq!(caveat("2024-03").as_deref(), Some("the day is not given"));
        assert_eq!(
            caveat("2024").as_deref(),
            Some("the month and day are not given")
        );
        assert_eq!(
            caveat("2024-03-15~").as_deref(),
            Some("the date is approximate")
        );
        assert_eq!(
            caveat("2024-03?").as_deref(),
            Some("the day is not given; the date is uncertain")
        );
        assert_eq!(
            caveat("2023-11/2024-03-22").as_deref(),
            Some("the exact dates are not given")
        );
        assert_eq!(
            caveat("../2024-03-07").as_deref(),
            Some("the exact dates are not given; no start is given")
        );
        assert_eq!(
            caveat("2024-02-22~/2024-03-22?").as_deref(),
            Some("the exact dates are not given; the start is approximate; the end is uncertain")
        );
    }

    #[test]
    fn the_words_for_approximate_days_and_ranges_read_well() {
        let describe = |text: &str| When::parse(text).unwrap().describe();
        assert_eq!(describe("2024-03-15~"), "about 15 March 2024");
        assert_eq!(
            describe("2023-11/2024-03-22"),
            "between November 2023 and 22 March 2024"
        );
        assert_eq!(describe("2024-03-15?"), "15 March 2024, uncertain");
    }

    #[test]
    fn certainty_flags_say_what_a_date_leaves_open() {
        let certainty = |text: &str| Certainty::of(&When::parse(text).unwrap());
        let month = certainty("2024-03");
        assert_eq!(
            (month.start(), month.end()),
            (EndKnown::Month, EndKnown::Month)
        );
        assert!(month.is_coarse() && !month.is_qualified());
        let year = certainty("2024");
        assert_eq!((year.start(), year.end()), (EndKnown::Year, EndKnown::Year));
        assert!(year.is_coarse());
        let about = certainty("2024-03-15~");
        assert!(about.is_approximate() && !about.is_uncertain() && !about.is_coarse());
        assert_eq!((about.start(), about.glyph()), (EndKnown::Fine, Some("~")));
        let unsure = certainty("2024-03-15?");
        assert!(unsure.is_uncertain() && !unsure.is_approximate());
        assert_eq!(unsure.glyph(), Some("?"));
        assert_eq!(certainty("2024-03%").glyph(), Some("~?"));
        let until = certainty("../2024-03-07");
        assert_eq!(
            (until.start(), until.end()),
            (EndKnown::Open, EndKnown::Fine)
        );
        assert!(!until.is_coarse() && !until.is_qualified());
        let since = certainty("2023-11/..");
        assert_eq!(
            (since.start(), since.end()),
            (EndKnown::Month, EndKnown::Open)
        );
        assert!(since.is_coarse());
        assert_eq!(certainty("/2024-03").start(), EndKnown::Open);
        let day = certainty("2024-03-22");
        assert!(day.is_certain() && !day.is_coarse() && day.glyph().is_none());
        assert_eq!((day.start(), day.end()), (EndKnown::Fine, EndKnown::Fine));
        assert!(certainty("2024-03-22T20:00+03:00").is_certain());
        let qualified_end = certainty("2024-02-22/2024-03-22?");
        assert!(qualified_end.is_uncertain() && !qualified_end.is_coarse());
        assert!(qualified_end.end_is_qualified() && !qualified_end.start_is_qualified());
        let qualified_start = certainty("2024-02-22~/2024-03-22");
        assert!(qualified_start.start_is_qualified() && !qualified_start.end_is_qualified());
        assert!(about.start_is_qualified() && about.end_is_qualified());
        assert!(!day.start_is_qualified() && !day.end_is_qualified());
    }
}
