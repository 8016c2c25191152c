//! Calendar ticks for the time axis: hours, days, months, years, and in deep time thousands,
//! millions and billions of years, whatever the zoom. Years before year 1 are labelled BCE
//! (ticks at round BCE years: "100 BCE", not "101 BCE"); from a million years on, ticks count
//! years ago ("170 Ma", "4.5 Ga").
//!
//! Plot x values are days since 1970-01-01 (UTC) as `f64`.

use std::collections::BTreeMap;

use crate::model::calendar::{CivilTime, DAY, MAX_YEAR, days_from_civil, group_thousands};

/// A tick interval on the calendar.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    Hours(i64),
    Days(i64),
    Months(i64),
    Years(i64),
}

const STEPS: [Step; 42] = [
    Step::Hours(1),
    Step::Hours(3),
    Step::Hours(6),
    Step::Hours(12),
    Step::Days(1),
    Step::Days(2),
    Step::Days(7),
    Step::Days(14),
    Step::Months(1),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(25),
    Step::Years(50),
    Step::Years(100),
    Step::Years(200),
    Step::Years(500),
    Step::Years(1_000),
    Step::Years(2_000),
    Step::Years(5_000),
    Step::Years(10_000),
    Step::Years(20_000),
    Step::Years(50_000),
    Step::Years(100_000),
    Step::Years(200_000),
    Step::Years(500_000),
    Step::Years(DEEP_TIME_YEARS),
    Step::Years(2_000_000),
    Step::Years(5_000_000),
    Step::Years(10_000_000),
    Step::Years(20_000_000),
    Step::Years(50_000_000),
    Step::Years(100_000_000),
    Step::Years(200_000_000),
    Step::Years(500_000_000),
    Step::Years(1_000_000_000),
    Step::Years(2_000_000_000),
    Step::Years(5_000_000_000),
    Step::Years(10_000_000_000),
];

/// From ticks this many years apart on, ticks count years ago ("170 Ma") rather than calendar
/// years.
const DEEP_TIME_YEARS: i64 = 1_000_000;

/// The axis reaches this far either way (a little beyond the furthest year a date may give),
/// so that tick arithmetic stays far inside `i64` however far out the plot is zoomed.
const AXIS_LIMIT_DAYS: f64 = (MAX_YEAR as f64 + 1.0e9) * 365.25;

impl Step {
    /// Approximate length in days (used by egui_plot for line weight and label spacing).
    fn days(self) -> f64 {
        match self {
            Step::Hours(n) => n as f64 / 24.0,
            Step::Days(n) => n as f64,
            Step::Months(n) => n as f64 * 30.44,
            Step::Years(n) => n as f64 * 365.25,
        }
    }

    /// Tick positions (days since 1970) within `[min, max]`.
    fn ticks(self, min: f64, max: f64) -> Vec<f64> {
        let mut ticks = Vec::new();
        match self {
            Step::Hours(n) => {
                let step = n as f64 / 24.0;
                let mut tick = (min / step).ceil() * step;
                while tick <= max {
                    ticks.push(tick);
                    tick += step;
                }
            }
            Step::Days(n) if n >= 7 => {
                // Week-like steps restart at each month (1, 8, 15, 22) so they never
                // crowd the month ticks.
                let days_of_month: &[u32] = if n == 7 { &[1, 8, 15, 22] } else { &[1, 15] };
                let first = CivilTime::from_unix((min.floor() as i64) * DAY);
                let mut month_index = first.year * 12 + i64::from(first.month) - 1;
                loop {
                    let (year, month) = (
                        month_index.div_euclid(12),
                        (month_index.rem_euclid(12) + 1) as u32,
                    );
                    if days_from_civil(year, month, 1) as f64 > max {
                        break;
                    }
                    for &day_of_month in days_of_month {
                        let day = days_from_civil(year, month, day_of_month) as f64;
                        if day >= min && day <= max {
                            ticks.push(day);
                        }
                    }
                    month_index += 1;
                }
            }
            Step::Days(n) => {
                let mut day = (min.ceil() as i64).div_euclid(n) * n;
                while (day as f64) <= max {
                    if day as f64 >= min {
                        ticks.push(day as f64);
                    }
                    day += n;
                }
            }
            Step::Months(n) => {
                let first = CivilTime::from_unix(seconds_from_days(min.floor()));
                let mut index = first.year * 12 + i64::from(first.month) - 1;
                index = index.div_euclid(n) * n;
                loop {
                    let day =
                        days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1)
                            as f64;
                    if day > max {
                        break;
                    }
                    if day >= min {
                        ticks.push(day);
                    }
                    index += n;
                }
            }
            Step::Years(n) => {
                for year in tick_years(n, year_at(min), year_at(max)) {
                    let day = days_from_civil(year, 1, 1) as f64;
                    if day >= min && day <= max {
                        ticks.push(day);
                    }
                }
            }
        }
        ticks
    }
}

/// The year a plot x (days since 1970) falls in.
fn year_at(days: f64) -> i64 {
    CivilTime::from_unix(seconds_from_days(days)).year
}

/// Years from `first` to `last` that get a tick every `step` years: multiples of `step` from
/// year 0, except calendar years before year 1, which tick at round BCE years (year -99 is
/// 100 BCE). In time order.
fn tick_years(step: i64, first: i64, last: i64) -> Vec<i64> {
    let step = step.max(1);
    let multiples = |from: i64, to: i64| {
        let low = from.div_euclid(step) + i64::from(from.rem_euclid(step) != 0);
        let high = to.div_euclid(step);
        (low..=high).map(move |k| k * step)
    };
    if step >= DEEP_TIME_YEARS {
        return multiples(first, last).collect();
    }
    // BCE years n·step are astronomical years 1 - n·step.
    let mut years: Vec<i64> = multiples(1 - last, 1 - first)
        .filter(|&bce| bce >= 1)
        .map(|bce| 1 - bce)
        .collect();
    years.reverse();
    years.extend(multiples(first.max(1), last));
    years
}

/// Grid marks `(value, step_size)` for the visible span, fine to coarse.
///
/// `base_step` is the smallest step egui_plot wants (in days); five calendar levels from
/// there are returned (so months show between weeks), each tick once with its coarsest step.
pub fn calendar_marks(min: f64, max: f64, base_step: f64) -> Vec<(f64, f64)> {
    if !(min.is_finite() && max.is_finite()) || max <= min {
        return Vec::new();
    }
    let (min, max) = (min.max(-AXIS_LIMIT_DAYS), max.min(AXIS_LIMIT_DAYS));
    if max <= min {
        return Vec::new();
    }
    let first = STEPS
        .iter()
        .position(|step| step.days() >= base_step)
        .unwrap_or(STEPS.len() - 1);
    let mut marks: BTreeMap<i64, f64> = BTreeMap::new();
    for step in STEPS.iter().skip(first).take(5) {
        if (max - min) / step.days() > 4000.0 {
            continue;
        }
        for tick in step.ticks(min, max) {
            // Key by minute so one instant counts once.
            let key = (tick * 1440.0).round() as i64;
            let entry = marks.entry(key).or_insert(0.0);
            *entry = entry.max(step.days());
        }
    }
    marks
        .into_iter()
        .map(|(key, step)| (key as f64 / 1440.0, step))
        .collect()
}

/// The label of a tick at `value` (days) whose step is `step_days`.
pub fn tick_label(value: f64, step_days: f64) -> String {
    let t = CivilTime::from_unix(seconds_from_days(value));
    let step_years = step_days / 365.25;
    if step_years >= DEEP_TIME_YEARS as f64 * 0.99 {
        deep_time_label(t.year, step_years)
    } else if step_days >= 365.0 {
        year_label(t.year)
    } else if step_days >= 28.0 {
        if t.month == 1 {
            format!("{} {}", t.month_abbrev(), year_label(t.year))
        } else {
            t.month_abbrev().to_owned()
        }
    } else if step_days >= 1.0 {
        if t.day == 1 {
            format!("1 {} {}", t.month_abbrev(), year_label(t.year))
        } else {
            format!("{} {}", t.day, t.month_abbrev())
        }
    } else if t.hour == 0 && t.minute == 0 {
        format!("{} {}", t.day, t.month_abbrev())
    } else {
        format!("{:02}:{:02}", t.hour, t.minute)
    }
}

/// A calendar year on the axis: "2024", "12,000", "44 BCE", "12,000 BCE".
fn year_label(year: i64) -> String {
    if year >= 1 {
        group_thousands(year.unsigned_abs())
    } else {
        format!("{} BCE", group_thousands(1 + year.unsigned_abs()))
    }
}

/// A deep-time tick: years ago in millions ("170 Ma") or, for ticks a hundred million years
/// apart or more, billions ("4.5 Ga"); years after year 0 as "+5 Ga".
fn deep_time_label(year: i64, step_years: f64) -> String {
    let (unit, name) = if step_years >= 1.0e8 * 0.99 {
        (1.0e9, "Ga")
    } else {
        (1.0e6, "Ma")
    };
    // As many decimals as the step needs: one for 0.1 Ga or 0.5 Ga steps, none above.
    let decimals = if step_years / unit < 0.99 { 1 } else { 0 };
    let ago = -(year as f64) / unit;
    let number = format!("{:.*}", decimals, ago.abs());
    let number = number.strip_suffix(".0").unwrap_or(&number);
    if ago < 0.0 && number != "0" {
        format!("+{number} {name}")
    } else {
        format!("{number} {name}")
    }
}

/// Days since 1970 of Unix seconds.
pub fn days_from_seconds(seconds: i64) -> f64 {
    seconds as f64 / DAY as f64
}

/// Unix seconds of days since 1970, kept within a quarter of `i64` either way: a plot zoomed
/// out without end gives instants that can still have a window subtracted or a day added.
pub fn seconds_from_days(days: f64) -> i64 {
    const LIMIT: f64 = (i64::MAX / 4) as f64;
    if days.is_nan() {
        return 0;
    }
    (days * DAY as f64).round().clamp(-LIMIT, LIMIT) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> f64 {
        days_from_civil(y, m, d) as f64
    }

    #[test]
    fn months_when_zoomed_to_a_season() {
        let marks = calendar_marks(day(2023, 11, 1), day(2024, 3, 25), 5.0);
        let labels: Vec<String> = marks
            .iter()
            .filter(|(_, step)| *step >= 28.0)
            .map(|&(value, step)| tick_label(value, step))
            .collect();
        assert!(labels.contains(&"Dec".to_owned()), "{labels:?}");
        assert!(labels.contains(&"Jan 2024".to_owned()), "{labels:?}");
        assert!(labels.contains(&"Mar".to_owned()), "{labels:?}");
    }

    #[test]
    fn days_and_hours_when_zoomed_in() {
        let marks = calendar_marks(day(2024, 3, 20), day(2024, 3, 23), 0.1);
        assert!(
            marks
                .iter()
                .any(|&(v, s)| s < 1.0 && tick_label(v, s) == "03:00")
        );
        let marks = calendar_marks(day(2024, 3, 1), day(2024, 3, 31), 0.5);
        assert!(marks.iter().any(|&(v, s)| tick_label(v, s) == "22 Mar"));
    }

    #[test]
    fn years_when_zoomed_out() {
        let marks = calendar_marks(day(1900, 1, 1), day(2030, 1, 1), 200.0);
        let labels: Vec<String> = marks.iter().map(|&(v, s)| tick_label(v, s)).collect();
        assert!(labels.contains(&"2000".to_owned()), "{labels:?}");
        assert!(marks.len() < 500);
    }

    #[test]
    fn weekly_ticks_line_up_with_months() {
        let marks = calendar_marks(day(2023, 11, 1), day(2024, 3, 25), 5.0);
        for &(value, step) in &marks {
            if (7.0..28.0).contains(&step) {
                let t = CivilTime::from_unix((value * DAY as f64) as i64);
                assert!([1, 8, 15, 22].contains(&t.day), "{t:?}");
            }
        }
    }

    #[test]
    fn each_tick_once_and_sorted() {
        let marks = calendar_marks(day(2024, 1, 1), day(2024, 12, 31), 3.0);
        for pair in marks.windows(2) {
            assert!(pair[0].0 < pair[1].0);
        }
        let jan = marks.iter().find(|(v, _)| *v == day(2024, 1, 1)).unwrap();
        assert!(jan.1 >= 28.0, "the coarsest step wins");
        assert!(calendar_marks(5.0, 5.0, 1.0).is_empty());
        assert!(calendar_marks(f64::NAN, 5.0, 1.0).is_empty());
    }

    #[test]
    fn bce_years_tick_at_round_bce_numbers() {
        assert_eq!(tick_years(100, -250, 150), [-199, -99, 100]);
        assert_eq!(tick_years(1, -2, 2), [-2, -1, 0, 1, 2]);
        let marks = calendar_marks(day(-500, 1, 1), day(300, 1, 1), 20_000.0);
        let labels: Vec<String> = marks.iter().map(|&(v, s)| tick_label(v, s)).collect();
        assert!(labels.contains(&"100 BCE".to_owned()), "{labels:?}");
        assert!(labels.contains(&"200".to_owned()), "{labels:?}");
        assert!(!labels.iter().any(|l| l.contains("101")), "{labels:?}");
        assert_eq!(tick_label(day(-43, 3, 1), 30.0), "Mar");
        assert_eq!(tick_label(day(-43, 1, 1), 30.0), "Jan 44 BCE");
        let ice_age = calendar_marks(day(-30_000, 1, 1), day(-5_000, 1, 1), 1_000_000.0);
        let labels: Vec<String> = ice_age.iter().map(|&(v, s)| tick_label(v, s)).collect();
        assert!(labels.contains(&"20,000 BCE".to_owned()), "{labels:?}");
    }

    #[test]
    fn deep_time_ticks_count_years_ago() {
        let jurassic = calendar_marks(day(-210_000_000, 1, 1), day(-140_000_000, 1, 1), 3.0e8);
        assert!(
            !jurassic.is_empty() && jurassic.len() < 500,
            "{}",
            jurassic.len()
        );
        let labels: Vec<String> = jurassic.iter().map(|&(v, s)| tick_label(v, s)).collect();
        assert!(labels.contains(&"170 Ma".to_owned()), "{labels:?}");
        assert!(labels.contains(&"200 Ma".to_owned()), "{labels:?}");
        let universe = calendar_marks(day(-14_000_000_000, 1, 1), day(0, 1, 1), 3.0e10);
        let labels: Vec<String> = universe.iter().map(|&(v, s)| tick_label(v, s)).collect();
        assert!(labels.contains(&"10 Ga".to_owned()), "{labels:?}");
        assert!(labels.contains(&"0 Ga".to_owned()), "{labels:?}");
        assert_eq!(deep_time_label(-4_500_000_000, 5.0e8), "4.5 Ga");
        assert_eq!(deep_time_label(5_000_000_000, 1.0e9), "+5 Ga");
        assert_eq!(deep_time_label(-66_000_000, 1.0e6), "66 Ma");
    }

    #[test]
    fn any_zoom_gives_ticks_without_overflow() {
        for (min, max, base) in [
            (-1.0e300, 1.0e300, 1.0e299),
            (-1.0e15, -1.0e15 + 10.0, 0.1),
            (f64::MIN, f64::MAX, 1.0),
            (-AXIS_LIMIT_DAYS * 2.0, -AXIS_LIMIT_DAYS, 1.0e9),
        ] {
            let marks = calendar_marks(min, max, base);
            assert!(marks.len() < 5000, "{min} {max}: {}", marks.len());
            for (value, step) in marks {
                assert!(!tick_label(value, step).is_empty());
            }
        }
        assert_eq!(seconds_from_days(f64::INFINITY), i64::MAX / 4 + 1);
        assert!(seconds_from_days(-1.0e300) > i64::MIN / 2);
        assert_eq!(seconds_from_days(f64::NAN), 0);
    }
}
