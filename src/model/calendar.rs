//! Proleptic Gregorian calendar arithmetic on Unix seconds (UTC), without a date library.
//!
//! Years are astronomical (year 0 is 1 BCE, year -43 is 44 BCE) and may lie in deep time: every
//! year within [`MAX_YEAR`] either way is a whole number of seconds well inside `i64` (50 billion
//! years are about 1.6e18 s; `i64` holds 9.2e18), so spans, durations and a window back from any
//! such instant do not overflow.

/// Seconds in one day.
pub const DAY: i64 = 86_400;

/// English month names, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The furthest year from year 0, either way, that dates may give (the universe is 13.8 billion
/// years old): its seconds, and the difference of two of them, fit in `i64` with room to spare.
pub const MAX_YEAR: i64 = 50_000_000_000;

/// Whether `year` is a leap year.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1–12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Civil date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A broken-down UTC time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CivilTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl CivilTime {
    /// Breaks Unix seconds down into a UTC civil time.
    pub fn from_unix(seconds: i64) -> Self {
        let days = seconds.div_euclid(DAY);
        let second_of_day = seconds.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: (second_of_day / 3600) as u32,
            minute: (second_of_day % 3600 / 60) as u32,
            second: (second_of_day % 60) as u32,
        }
    }

    /// Month name, e.g. "March".
    pub fn month_name(&self) -> &'static str {
        MONTH_NAMES
            .get(self.month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("?")
    }

    /// Three-letter month abbreviation, e.g. "Mar".
    pub fn month_abbrev(&self) -> &'static str {
        self.month_name().get(..3).unwrap_or("?")
    }
}

/// Unix seconds of the first instant of a month; `month` may overflow past 12.
pub fn month_start(year: i64, month: u32) -> i64 {
    let extra_years = i64::from((month.max(1) - 1) / 12);
    let month = (month.max(1) - 1) % 12 + 1;
    days_from_civil(year + extra_years, month, 1) * DAY
}

/// Formats Unix seconds as a day, e.g. "22 March 2024", "15 March 44 BCE"; beyond four-digit
/// years the year only, e.g. "12,001 BCE", "170 million years ago".
pub fn format_day(seconds: i64) -> String {
    let t = CivilTime::from_unix(seconds);
    let year = year_words(t.year).text();
    if t.year.abs() > 9999 {
        return year;
    }
    format!("{} {} {year}", t.day, t.month_name())
}

/// Formats Unix seconds as a short day, e.g. "22 Mar 2024"; beyond four-digit years as
/// [`format_day`].
pub fn format_day_short(seconds: i64) -> String {
    let t = CivilTime::from_unix(seconds);
    let year = year_words(t.year).text();
    if t.year.abs() > 9999 {
        return year;
    }
    format!("{} {} {year}", t.day, t.month_abbrev())
}

/// Formats Unix seconds as an ISO date, e.g. "2024-03-22" (EDTF years: "-0043-03-15"; in deep
/// time the year only, "Y-170000000").
pub fn format_iso_day(seconds: i64) -> String {
    let t = CivilTime::from_unix(seconds);
    if t.year.abs() > 9999 {
        return edtf_year(t.year);
    }
    format!("{}-{:02}-{:02}", edtf_year(t.year), t.month, t.day)
}

/// A year as EDTF writes it: four digits with a minus sign before year 0 (`2024`, `0000`,
/// `-0043`), and with a `Y` in front beyond four digits (`Y12345`, `Y-170000000`).
pub fn edtf_year(year: i64) -> String {
    match year {
        10_000.. => format!("Y{year}"),
        0..=9999 => format!("{year:04}"),
        -9999..=-1 => format!("-{:04}", -year),
        _ => format!("Y{year}"),
    }
}

/// A year in words, for people: see [`year_words`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YearWords {
    /// A calendar year: "2024", "44 BCE", "12,001 BCE", "12,345".
    Calendar(String),
    /// A million years or more before year 0: "170 million years ago", "13.8 billion years ago".
    /// `rounded`: the words give fewer digits than the year has ("about …").
    Ago { words: String, rounded: bool },
}

impl YearWords {
    /// The words, with "about" in front of a rounded age.
    pub fn text(&self) -> String {
        match self {
            YearWords::Calendar(words)
            | YearWords::Ago {
                words,
                rounded: false,
            } => words.clone(),
            YearWords::Ago {
                words,
                rounded: true,
            } => format!("about {words}"),
        }
    }
}

/// An astronomical year in words: BCE before year 1 (year 0 is 1 BCE), digits grouped beyond
/// four, and a million years or more before year 0 as an age with four significant digits
/// ("years ago" counts from year 0: at that scale the two thousand years since are noise).
pub fn year_words(year: i64) -> YearWords {
    if year <= -1_000_000 {
        let (words, rounded) = age_words(year.unsigned_abs());
        return YearWords::Ago { words, rounded };
    }
    YearWords::Calendar(match year {
        1..=9999 => year.to_string(),
        10_000.. => group_thousands(year.unsigned_abs()),
        // Astronomical year 0 is 1 BCE.
        _ => format!("{} BCE", group_thousands(1 + year.unsigned_abs())),
    })
}

/// "170 million years ago", "13.8 billion years ago": `years` (at least a million) to four
/// significant digits, and whether that dropped digits.
fn age_words(years: u64) -> (String, bool) {
    let years = u128::from(years);
    // Millions unless that rounds to a thousand of them or more.
    let (number, rounded) = match significant(years, 1_000_000) {
        (whole, number, rounded) if whole < 1000 => (format!("{number} million"), rounded),
        _ => {
            let (_, number, rounded) = significant(years, 1_000_000_000);
            (format!("{number} billion"), rounded)
        }
    };
    (format!("{number} years ago"), rounded)
}

/// `value / unit` to four significant digits, trailing zeros dropped: its whole part, its text,
/// and whether digits were dropped.
fn significant(value: u128, unit: u128) -> (u128, String, bool) {
    let whole_digits = (value / unit).max(1).ilog10() + 1;
    let decimals = 4u32.saturating_sub(whole_digits);
    let scale = 10u128.pow(decimals);
    let scaled = (value * scale + unit / 2) / unit;
    let rounded = scaled * unit != value * scale;
    let whole = scaled / scale;
    let fraction = format!("{:0width$}", scaled % scale, width = decimals as usize);
    let fraction = fraction.trim_end_matches('0');
    let text = if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    };
    (whole, text, rounded)
}

/// `12345678` → "12,345,678"; four digits and fewer stay as they are ("2024").
pub fn group_thousands(number: u64) -> String {
    let digits = number.to_string();
    if digits.len() <= 4 {
        return digits;
    }
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Formats a duration in seconds in words, e.g. "14 days", "6 hours".
pub fn format_duration(seconds: i64) -> String {
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    let years = seconds / (365 * DAY);
    if seconds >= 365 * DAY && seconds % (365 * DAY) == 0 {
        match years {
            1_000_000_000.. if years % 1_000_000_000 == 0 => {
                format!("{} billion years", years / 1_000_000_000)
            }
            1_000_000.. if years % 1_000_000 == 0 => format!("{} million years", years / 1_000_000),
            _ => plural(years, "year"),
        }
    } else if seconds >= DAY {
        plural((seconds + DAY / 2) / DAY, "day")
    } else if seconds >= 3600 {
        plural((seconds + 1800) / 3600, "hour")
    } else {
        plural((seconds + 30) / 60, "minute")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_over_centuries() {
        for days in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 3, 22), 19_804);
        assert_eq!(civil_from_days(19_804), (2024, 3, 22));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(month_start(2023, 13), month_start(2024, 1));
    }

    #[test]
    fn formatting() {
        let t = days_from_civil(2024, 3, 22) * DAY + 20 * 3600;
        assert_eq!(format_day(t), "22 March 2024");
        assert_eq!(format_day_short(t), "22 Mar 2024");
        assert_eq!(format_iso_day(t), "2024-03-22");
        assert_eq!(format_duration(14 * DAY), "14 days");
        assert_eq!(format_duration(DAY), "1 day");
        assert_eq!(format_duration(6 * 3600), "6 hours");
        let ides = days_from_civil(-43, 3, 15) * DAY;
        assert_eq!(format_day(ides), "15 March 44 BCE");
        assert_eq!(format_iso_day(ides), "-0043-03-15");
        let jurassic = days_from_civil(-170_000_000, 1, 1) * DAY;
        assert_eq!(format_day(jurassic), "170 million years ago");
        assert_eq!(
            format_day_short(jurassic + 100 * DAY),
            "170 million years ago"
        );
        assert_eq!(format_iso_day(jurassic), "Y-170000000");
    }

    #[test]
    fn years_in_words_from_bce_to_deep_time() {
        let words = |year| year_words(year).text();
        assert_eq!(words(2024), "2024");
        assert_eq!(words(1), "1");
        assert_eq!(words(0), "1 BCE");
        assert_eq!(words(-43), "44 BCE");
        assert_eq!(words(-12_000), "12,001 BCE");
        assert_eq!(words(12_345), "12,345");
        assert_eq!(words(-170_000_000), "170 million years ago");
        assert_eq!(words(-66_040_000), "66.04 million years ago");
        assert_eq!(words(-13_798_000_000), "about 13.8 billion years ago");
        assert_eq!(words(-4_567_000_000), "4.567 billion years ago");
        assert_eq!(words(-999_999_999), "about 1 billion years ago");
        assert_eq!(words(-999_900_000), "999.9 million years ago");
        assert_eq!(words(-1_000_000), "1 million years ago");
        assert_eq!(words(-MAX_YEAR), "50 billion years ago");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(123_456), "123,456");
        assert_eq!(group_thousands(9999), "9999");
        assert_eq!(edtf_year(2024), "2024");
        assert_eq!(edtf_year(0), "0000");
        assert_eq!(edtf_year(-43), "-0043");
        assert_eq!(edtf_year(-10_000), "Y-10000");
        assert_eq!(edtf_year(10_000), "Y10000");
    }

    #[test]
    fn deep_time_fits_in_seconds_both_ways() {
        for year in [-MAX_YEAR, -13_798_000_000, -170_000_000, MAX_YEAR] {
            let days = days_from_civil(year, 1, 1);
            let seconds = days.checked_mul(DAY).unwrap();
            assert_eq!(civil_from_days(days), (year, 1, 1));
            assert_eq!(CivilTime::from_unix(seconds).year, year);
            // Two such instants can be subtracted.
            assert!(seconds.checked_sub(-seconds).is_some());
        }
        assert!(month_start(-MAX_YEAR, 13) < month_start(-MAX_YEAR + 2, 1));
    }
}
