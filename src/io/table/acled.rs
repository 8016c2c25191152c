//! ACLED exports (Armed Conflict Location & Event Data): recognised by their header
//! (`EVENT_ID_CNTY`, `EVENT_DATE`, `TIME_PRECISION`, `GEO_PRECISION`, upper case in the 2016
//! format, lower case since). Dates are `dd/mm/yyyy` (2016), `28 May 2016` or `yyyy-mm-dd`.
//!
//! `time_precision` (ACLED codebook): 1 — the day is known; 2 — only the week, and the date
//! given is the middle of that week: the event spans the 7 days from 3 days before to 3 days
//! after it; 3 — only the month: the event is that month (EDTF `YYYY-MM`). No day is invented.

use super::columns::{Roles, normalise};
use crate::io::dates::{self, Dated};
use crate::model::PlacePrecision;
use crate::model::calendar::{civil_from_days, days_from_civil};

/// Whether a header is an ACLED export's.
pub(super) fn recognises(columns: &[String]) -> bool {
    let names: Vec<String> = columns.iter().map(|c| normalise(c)).collect();
    ["eventidcnty", "eventdate", "timeprecision", "geoprecision"]
        .iter()
        .all(|wanted| names.iter().any(|name| name == wanted))
}

/// The columns' roles: the event type is the category, every actor column an actor.
pub(super) fn roles(columns: &[String]) -> Roles {
    let mut roles = Roles::recognise(columns);
    let find = |wanted: &str| columns.iter().position(|c| normalise(c) == wanted);
    roles.time = find("eventdate").or(roles.time);
    roles.category = find("eventtype").or(roles.category);
    roles.place = find("location").or(roles.place);
    roles.actors.sort_unstable();
    roles
}

/// The `time_precision` column.
pub(super) fn precision_column(columns: &[String]) -> Option<usize> {
    columns.iter().position(|c| normalise(c) == "timeprecision")
}

/// The `geo_precision` column.
pub(super) fn geo_precision_column(columns: &[String]) -> Option<usize> {
    columns.iter().position(|c| normalise(c) == "geoprecision")
}

/// How precisely the point is known, from `geo_precision` (ACLED codebook): 1 — the town or
/// village itself; 2 — near it, or a part of the region around it; 3 — only the region (its
/// capital or centre is given). `None` for anything else (the point is then taken as exact).
pub(super) fn place_precision(code: &str) -> Option<PlacePrecision> {
    match code.trim() {
        "1" => Some(PlacePrecision::Exact),
        "2" => Some(PlacePrecision::City),
        "3" => Some(PlacePrecision::Region),
        _ => None,
    }
}

/// The date at the precision ACLED gives: `None` when it stays as it is (a day), `Err` for a
/// precision that is not 1, 2 or 3.
pub(super) fn with_precision(day: &Dated, precision: &str) -> Result<Option<Dated>, String> {
    let text = &day.0;
    let parts = (
        text.get(..4).and_then(|y| y.parse::<i64>().ok()),
        text.get(5..7).and_then(|m| m.parse::<u32>().ok()),
        text.get(8..10).and_then(|d| d.parse::<u32>().ok()),
    );
    let (Some(year), Some(month), Some(day_of_month)) = parts else {
        // Not a day (already a month or a span): nothing to widen.
        return Ok(None);
    };
    match precision.trim() {
        "" | "1" => Ok(None),
        "2" => {
            let middle = days_from_civil(year, month, day_of_month);
            let day_text = |days: i64| {
                let (y, m, d) = civil_from_days(days);
                format!("{}-{m:02}-{d:02}", dates::year_text(y))
            };
            let week = format!("{}/{}", day_text(middle - 3), day_text(middle + 3));
            dates::iso(&week).map(Some)
        }
        "3" => dates::iso(&format!("{}-{month:02}", dates::year_text(year))).map(Some),
        other => Err(format!(
            "time_precision '{other}' is not 1 (day), 2 (week) or 3 (month): the day given is kept"
        )),
    }
}

/// How the date was derived, for the details panel.
pub(super) fn date_note(precision: &str) -> Option<String> {
    match precision.trim() {
        "2" => Some(
            "ACLED time precision 2: the source gives only the week; ACLED's date is its middle, shown as the 7 days around it".to_owned(),
        ),
        "3" => Some("ACLED time precision 3: the source gives only the month".to_owned()),
        _ => None,
    }
}

/// Codes in words: `geo_precision` and `time_precision` (`name` normalised).
pub(super) fn field_words(name: &str, value: &str) -> Option<String> {
    let words = match (name, value.trim()) {
        ("geoprecision", "1") => "the exact place (a town or village)",
        ("geoprecision", "2") => "near the place named, or a part of the region around it",
        ("geoprecision", "3") => "only the region is known (its capital or centre is shown)",
        ("timeprecision", "1") => "the day",
        ("timeprecision", "2") => "the week",
        ("timeprecision", "3") => "the month",
        _ => return None,
    };
    Some(format!("{} — {words}", value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Dated {
        dates::iso(text).unwrap()
    }

    #[test]
    fn the_2016_and_the_current_headers_are_recognised() {
        let old: Vec<String> = "GWNO,EVENT_ID_CNTY,EVENT_DATE,TIME_PRECISION,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,ACTOR2,LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES"
            .split(',')
            .map(str::to_owned)
            .collect();
        assert!(recognises(&old));
        let roles = roles(&old);
        assert_eq!(roles.time, Some(2));
        assert_eq!(roles.category, Some(4));
        assert_eq!(roles.actors, vec![5, 6, 7]);
        assert_eq!(roles.place, Some(8));
        assert_eq!(roles.id, Some(1));
        let new: Vec<String> = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,geo_precision"
            .split(',')
            .map(str::to_owned)
            .collect();
        assert!(recognises(&new));
        assert_eq!(self::roles(&new).category, Some(5));
        assert!(!recognises(&["date".to_owned(), "lat".to_owned()]));
    }

    #[test]
    fn a_week_is_the_seven_days_around_the_date_and_a_month_stays_a_month() {
        let date = day("2016-01-02");
        assert_eq!(with_precision(&date, "1"), Ok(None));
        let week = with_precision(&date, "2").unwrap().unwrap();
        assert_eq!(week.0, "2015-12-30/2016-01-05");
        let month = with_precision(&date, "3").unwrap().unwrap();
        assert_eq!(month.0, "2016-01");
        assert!(with_precision(&date, "4").unwrap_err().contains("'4'"));
        assert_eq!(with_precision(&day("2016-01"), "2"), Ok(None));
    }

    #[test]
    fn geo_precision_says_how_precisely_the_place_is_known() {
        assert_eq!(place_precision("1"), Some(PlacePrecision::Exact));
        assert_eq!(place_precision(" 2 "), Some(PlacePrecision::City));
        assert_eq!(place_precision("3"), Some(PlacePrecision::Region));
        assert_eq!(place_precision("4"), None);
        assert_eq!(place_precision(""), None);
        let columns: Vec<String> = ["EVENT_ID_CNTY", "LATITUDE", "GEO_PRECISION"]
            .map(String::from)
            .to_vec();
        assert_eq!(geo_precision_column(&columns), Some(2));
    }

    #[test]
    fn precisions_are_shown_in_words() {
        assert_eq!(
            field_words("geoprecision", "1").unwrap(),
            "1 — the exact place (a town or village)"
        );
        assert_eq!(field_words("timeprecision", "3").unwrap(), "3 — the month");
        assert_eq!(field_words("fatalities", "3"), None);
        assert!(date_note("2").unwrap().contains("week"));
        assert_eq!(date_note("1"), None);
    }
}
