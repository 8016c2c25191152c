//! Calendar ticks for the time axis: years, months, days or hours, whatever the zoom.
//!
//! Plot x values are days since 1970-01-01 (UTC) as `f64`.

use std::collections::BTreeMap;

use crate::model::calendar::{CivilTime, DAY, days_from_civil};

/// A tick interval on the calendar.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    Hours(i64),
    Days(i64),
    Months(i64),
    Years(i64),
}

const STEPS: [Step; 18] = [
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
];

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
            Step::Months(n) | Step::Years(n) => {
                let months = if let Step::Years(_) = self { n * 12 } else { n };
                let first = CivilTime::from_unix((min.floor() as i64) * DAY);
                let mut index = first.year * 12 + i64::from(first.month) - 1;
                index = index.div_euclid(months) * months;
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
                    index += months;
                }
            }
        }
        ticks
    }
}

/// Grid marks `(value, step_size)` for the visible span, fine to coarse.
///
/// `base_step` is the smallest step egui_plot wants (in days); five calendar levels from
/// there are returned (so months show between weeks), each tick once with its coarsest step.
pub fn calendar_marks(min: f64, max: f64, base_step: f64) -> Vec<(f64, f64)> {
    if !(min.is_finite() && max.is_finite()) || max <= min {
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
    let seconds = (value * DAY as f64).round() as i64;
    let t = CivilTime::from_unix(seconds);
    if step_days >= 365.0 {
        format!("{}", t.year)
    } else if step_days >= 28.0 {
        if t.month == 1 {
            format!("{} {}", t.month_abbrev(), t.year)
        } else {
            t.month_abbrev().to_owned()
        }
    } else if step_days >= 1.0 {
        if t.day == 1 {
            format!("1 {} {}", t.month_abbrev(), t.year)
        } else {
            format!("{} {}", t.day, t.month_abbrev())
        }
    } else if t.hour == 0 && t.minute == 0 {
        format!("{} {}", t.day, t.month_abbrev())
    } else {
        format!("{:02}:{:02}", t.hour, t.minute)
    }
}

/// Days since 1970 of Unix seconds.
pub fn days_from_seconds(seconds: i64) -> f64 {
    seconds as f64 / DAY as f64
}

/// Unix seconds of days since 1970.
pub fn seconds_from_days(days: f64) -> i64 {
    (days * DAY as f64).round() as i64
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
}
