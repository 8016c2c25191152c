//! Proleptic Gregorian calendar arithmetic on Unix seconds (UTC), without a date library.

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

/// Formats Unix seconds as a day, e.g. "22 March 2024".
pub fn format_day(seconds: i64) -> String {
    let t = CivilTime::from_unix(seconds);
    format!("{} {} {}", t.day, t.month_name(), t.year)
}

/// Formats Unix seconds as a short day, e.g. "22 Mar 2024".
pub fn format_day_short(seconds: i64) -> String {
    let t = CivilTime::from_unix(seconds);
    format!("{} {} {}", t.day, t.month_abbrev(), t.year)
}

/// Formats Unix seconds as an ISO date, e.g. "2024-03-22".
pub fn format_iso_day(seconds: i64) -> String {
    let t = CivilTime::from_unix(seconds);
    format!("{:04}-{:02}-{:02}", t.year, t.month, t.day)
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
    if seconds >= 365 * DAY && seconds % (365 * DAY) == 0 {
        plural(seconds / (365 * DAY), "year")
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
    }
}
