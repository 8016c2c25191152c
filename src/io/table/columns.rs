//! Which column is which: recognised by name (case, spaces, underscores, hyphens and dots
//! aside), or chosen by the user with [`ImportOptions`] (a column's name as in the header, or
//! its position counted from 1 when no column has that name — for tables without a header).

use super::{Preset, Table, numbered_column};
use crate::io::dates::{self, SlashOrder};
use crate::io::{ImportOptions, LoadError, PREVIEW_ROWS, TablePreview};

/// What each column is for (0-based positions); a column has one role at most.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(in crate::io) struct Roles {
    /// The date, or the start of a span.
    pub time: Option<usize>,
    /// A time of day kept apart from the date (`date` + `time` columns).
    pub clock: Option<usize>,
    pub end: Option<usize>,
    pub lat: Option<usize>,
    pub lon: Option<usize>,
    pub title: Option<usize>,
    pub category: Option<usize>,
    pub id: Option<usize>,
    /// Shown as the event's summary.
    pub notes: Option<usize>,
    /// The place's name.
    pub place: Option<usize>,
    pub actors: Vec<usize>,
    pub sources: Vec<usize>,
}

/// Names for each role, best first, normalised (see [`normalise`]).
const TIME: &[&str] = &[
    "date",
    "eventdate",
    "startdate",
    "start",
    "begin",
    "datetime",
    "time",
    "timestamp",
    "when",
    "year",
];
const CLOCK: &[&str] = &["time", "timeofday", "hour"];
const END: &[&str] = &["end", "enddate"];
const LAT: &[&str] = &["lat", "latitude", "decimallatitude", "y"];
const LON: &[&str] = &["lon", "lng", "long", "longitude", "decimallongitude", "x"];
const TITLE: &[&str] = &["title", "headline", "name", "event", "label"];
const CATEGORY: &[&str] = &["type", "category", "eventtype", "group", "subeventtype"];
const ID: &[&str] = &["id", "eventid", "eventidcnty"];
const NOTES: &[&str] = &["notes", "description", "summary", "text"];
const PLACE: &[&str] = &["location", "place", "admin1", "country"];
const ACTORS: &[&str] = &[
    "actor1",
    "actor2",
    "actors",
    "actor",
    "assocactor1",
    "assocactor2",
    "allyactor1",
    "allyactor2",
];
const SOURCES: &[&str] = &["source", "sources", "url", "sourceurl", "link"];

/// A header name as compared: lower case without spaces, underscores, hyphens or dots.
pub(super) fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Roles {
    /// The roles of an Event Atlas CSV's columns (found by their exact names only: a field
    /// named `end` is a field, not the end of a span).
    pub(super) fn of_atlas_export(columns: &[String]) -> Roles {
        let find = |wanted: &str| columns.iter().position(|c| c == wanted);
        Roles {
            time: find("date"),
            lat: find("latitude"),
            lon: find("longitude"),
            title: find("title"),
            category: find("category"),
            id: find("id"),
            notes: find("summary"),
            place: find("place"),
            ..Roles::default()
        }
    }

    /// Roles recognised from the column names.
    pub(super) fn recognise(columns: &[String]) -> Roles {
        let names: Vec<String> = columns.iter().map(|c| normalise(c)).collect();
        let mut roles = Roles::default();
        let mut taken = vec![false; names.len()];
        let pick = |wanted: &[&str], taken: &mut Vec<bool>| {
            let found = wanted.iter().find_map(|want| {
                names
                    .iter()
                    .enumerate()
                    .position(|(i, name)| name == want && !taken.get(i).copied().unwrap_or(true))
            });
            if let Some(column) = found
                && let Some(slot) = taken.get_mut(column)
            {
                *slot = true;
            }
            found
        };
        roles.time = pick(TIME, &mut taken);
        roles.clock = roles.time.and_then(|_| pick(CLOCK, &mut taken));
        roles.end = pick(END, &mut taken);
        roles.lat = pick(LAT, &mut taken);
        roles.lon = pick(LON, &mut taken);
        roles.title = pick(TITLE, &mut taken);
        roles.category = pick(CATEGORY, &mut taken);
        roles.id = pick(ID, &mut taken);
        roles.notes = pick(NOTES, &mut taken);
        roles.place = pick(PLACE, &mut taken);
        roles.actors = std::iter::from_fn(|| pick(ACTORS, &mut taken)).collect();
        roles.sources = std::iter::from_fn(|| pick(SOURCES, &mut taken)).collect();
        roles
    }

    /// Whether the column's value is shown somewhere other than the fields.
    pub(super) fn is_used(&self, column: usize) -> bool {
        [
            self.time,
            self.clock,
            self.end,
            self.lat,
            self.lon,
            self.title,
            self.category,
            self.id,
            self.notes,
            self.place,
        ]
        .contains(&Some(column))
            || self.actors.contains(&column)
            || self.sources.contains(&column)
    }

    /// Gives `column` to one role, taking it from any other.
    fn assign(&mut self, column: usize, role: fn(&mut Roles) -> &mut Option<usize>) {
        for other in [
            &mut self.time,
            &mut self.clock,
            &mut self.end,
            &mut self.lat,
            &mut self.lon,
            &mut self.title,
            &mut self.category,
            &mut self.id,
            &mut self.notes,
            &mut self.place,
        ] {
            if *other == Some(column) {
                *other = None;
            }
        }
        self.actors.retain(|&c| c != column);
        self.sources.retain(|&c| c != column);
        *role(self) = Some(column);
    }

    /// The user's choices over what was recognised; `Err` names a choice that is no column.
    pub(super) fn apply(
        &mut self,
        options: &ImportOptions,
        columns: &[String],
    ) -> Result<(), String> {
        type Role = fn(&mut Roles) -> &mut Option<usize>;
        let choices: [(&Option<String>, &str, Role); 6] = [
            (&options.time, "the date", |r| &mut r.time),
            (&options.end, "the end date", |r| &mut r.end),
            (&options.lat, "the latitude", |r| &mut r.lat),
            (&options.lon, "the longitude", |r| &mut r.lon),
            (&options.title, "the title", |r| &mut r.title),
            (&options.category, "the category", |r| &mut r.category),
        ];
        for (choice, what, role) in choices {
            let Some(choice) = choice.as_deref().map(str::trim) else {
                continue;
            };
            let column = find_column(choice, columns)
                .ok_or_else(|| format!("no column named '{choice}' (chosen as {what} column)"))?;
            self.assign(column, role);
            if what == "the date" && self.clock == Some(column) {
                self.clock = None;
            }
        }
        Ok(())
    }
}

/// The column named `choice` (compared as header names are), or at position `choice` (from 1).
pub(super) fn find_column(choice: &str, columns: &[String]) -> Option<usize> {
    let wanted = normalise(choice);
    if let Some(column) = columns.iter().position(|c| normalise(c) == wanted) {
        return Some(column);
    }
    let number: usize = choice.parse().ok()?;
    (1..=columns.len()).contains(&number).then(|| number - 1)
}

/// What is missing for a table to load, for [`LoadError::NeedsColumns`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Missing {
    /// E.g. "no date column (named date, event_date, start…)".
    pub problem: String,
    /// E.g. `["a date column", "a latitude column"]`.
    pub what: Vec<String>,
}

impl Table {
    /// The table's roles: the preset's and the recognised ones, then the user's choices. `Err`
    /// when there is no date column; `sample` is the first rows' text (to tell `DD/MM` from
    /// `MM/DD`).
    pub(super) fn new(
        columns: Vec<String>,
        mut roles: Roles,
        preset: Preset,
        options: &ImportOptions,
        sample: &[Vec<String>],
    ) -> Result<Table, Missing> {
        let chose_time = options.time.is_some();
        roles.apply(options, &columns).map_err(|problem| Missing {
            problem,
            what: missing_words(&roles),
        })?;
        let Some(time) = roles.time else {
            return Err(Missing {
                problem: "no date column (named date, event_date, start, datetime, time, year…)"
                    .to_owned(),
                what: missing_words(&roles),
            });
        };
        let samples: Vec<String> = sample
            .iter()
            .filter_map(|row| row.get(time).cloned())
            .collect();
        let order = match preset {
            Preset::TimeMap => SlashOrder::MonthFirst,
            _ if chose_time || matches!(preset, Preset::Plain | Preset::Atlas) => {
                slash_order(&samples)
            }
            _ => SlashOrder::DayFirst,
        };
        let atlas = (preset == Preset::Atlas).then(|| super::atlas::AtlasColumns::new(&columns));
        Ok(Table {
            columns,
            roles,
            order,
            preset,
            atlas,
        })
    }
}

/// What the roles lack, in words, for the import dialog.
fn missing_words(roles: &Roles) -> Vec<String> {
    let mut missing = Vec::new();
    if roles.time.is_none() {
        missing.push("a date column".to_owned());
    }
    if roles.lat.is_none() {
        missing.push("a latitude column".to_owned());
    }
    if roles.lon.is_none() {
        missing.push("a longitude column".to_owned());
    }
    missing
}

/// How slashed dates are read: day first unless a date in `samples` can only be month first
/// (`03/22/2024`).
pub(super) fn slash_order(samples: &[String]) -> SlashOrder {
    let mut month_first = false;
    for sample in samples {
        let date = sample.split([' ', 'T']).next().unwrap_or_default();
        let parts: Vec<&str> = date.split(['/', '.']).collect();
        if let [first, second, year] = parts.as_slice()
            && year.len() >= 2
            && first.len() <= 2
        {
            let (first, second) = (first.parse::<u32>(), second.parse::<u32>());
            match (first, second) {
                (Ok(first), _) if first > 12 => return SlashOrder::DayFirst,
                (_, Ok(second)) if second > 12 => month_first = true,
                _ => {}
            }
        }
    }
    if month_first {
        SlashOrder::MonthFirst
    } else {
        SlashOrder::DayFirst
    }
}

/// Whether a first row is data rather than a header: one of its cells is a number or a date.
pub(super) fn looks_like_data(first_row: &[String]) -> bool {
    first_row.iter().any(|cell| {
        let cell = cell.trim();
        !cell.is_empty()
            && (cell.parse::<f64>().is_ok()
                || dates::iso(cell).is_ok()
                || (cell.contains('/') && dates::slashed(cell, SlashOrder::DayFirst).is_ok()))
    })
}

/// Column names from a header row: blank ones are named by their position.
pub(super) fn names_from_header(header: &[String]) -> Vec<String> {
    header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = name.trim();
            if name.is_empty() {
                numbered_column(i)
            } else {
                name.to_owned()
            }
        })
        .collect()
}

/// The error for a table whose columns the user must choose.
pub(super) struct Preview<'a> {
    pub file: &'a str,
    pub columns: &'a [String],
    /// The first rows as text (at most [`PREVIEW_ROWS`] are kept).
    pub rows: Vec<Vec<String>>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
}

impl Preview<'_> {
    pub(super) fn needs_columns(self, missing: Missing) -> LoadError {
        const LISTED: usize = 40;
        let mut found: Vec<&str> = self
            .columns
            .iter()
            .take(LISTED)
            .map(String::as_str)
            .collect();
        if self.columns.len() > LISTED {
            found.push("…");
        }
        let found = if found.is_empty() {
            "found no columns".to_owned()
        } else {
            format!("found columns: {}", found.join(", "))
        };
        let message = format!(
            "{found}; {} — choose the columns in the import dialog or with --time, --lat, --lon",
            missing.problem
        );
        let mut rows = self.rows;
        rows.truncate(PREVIEW_ROWS);
        LoadError::NeedsColumns {
            file: self.file.to_owned(),
            message,
            preview: Box::new(TablePreview {
                columns: self.columns.to_vec(),
                rows,
                sheets: self.sheets,
                sheet: self.sheet,
                missing: missing.what,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_atlas_export_is_read_by_its_exact_column_names() {
        let mut columns = strings(&super::super::atlas::FIXED_COLUMNS);
        columns.push("end".to_owned());
        let roles = Roles::of_atlas_export(&columns);
        // A field named `end` is a field, not the end of a span.
        assert_eq!(
            (roles.time, roles.end, roles.notes, roles.lat, roles.id),
            (Some(2), None, Some(12), Some(3), Some(0))
        );
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn columns_are_recognised_whatever_their_case_spaces_or_underscores() {
        let columns = strings(&[
            "Event ID",
            "EVENT_DATE",
            "Latitude",
            "LNG",
            "Headline",
            "Sub-Event Type",
            "Notes",
            "Admin1",
            "Actor1",
            "ASSOC_ACTOR_1",
            "Source URL",
            "Fatalities",
        ]);
        let roles = Roles::recognise(&columns);
        assert_eq!(roles.id, Some(0));
        assert_eq!(roles.time, Some(1));
        assert_eq!((roles.lat, roles.lon), (Some(2), Some(3)));
        assert_eq!(roles.title, Some(4));
        assert_eq!(roles.category, Some(5));
        assert_eq!(roles.notes, Some(6));
        assert_eq!(roles.place, Some(7));
        assert_eq!(roles.actors, vec![8, 9]);
        assert_eq!(roles.sources, vec![10]);
        assert!(!roles.is_used(11));
        assert!(roles.is_used(1));
    }

    #[test]
    fn the_best_name_wins_and_a_time_column_beside_a_date_is_its_time_of_day() {
        let roles = Roles::recognise(&strings(&["year", "time", "date", "y", "x", "lat"]));
        assert_eq!(roles.time, Some(2));
        assert_eq!(roles.clock, Some(1));
        assert_eq!(roles.lat, Some(5));
        assert_eq!(roles.lon, Some(4));
        let only_time = Roles::recognise(&strings(&["time", "value"]));
        assert_eq!((only_time.time, only_time.clock), (Some(0), None));
    }

    #[test]
    fn options_name_columns_or_number_them_from_one() {
        let columns = strings(&["when it happened", "a", "b", "2"]);
        let mut roles = Roles::recognise(&columns);
        let options = ImportOptions {
            time: Some("When It Happened".into()),
            lat: Some("2".into()),
            lon: Some("3".into()),
            ..ImportOptions::default()
        };
        roles.apply(&options, &columns).unwrap();
        assert_eq!(roles.time, Some(0));
        // A column named "2" is chosen by name before position 2.
        assert_eq!(roles.lat, Some(3));
        assert_eq!(roles.lon, Some(2));
        let wrong = ImportOptions {
            time: Some("9".into()),
            ..ImportOptions::default()
        };
        assert_eq!(
            roles.apply(&wrong, &columns),
            Err("no column named '9' (chosen as the date column)".into())
        );
    }

    #[test]
    fn slashed_dates_are_day_first_unless_a_sample_says_otherwise() {
        let day_first = strings(&["03/04/2024", "22/03/2024"]);
        assert_eq!(slash_order(&day_first), SlashOrder::DayFirst);
        let month_first = strings(&["03/04/2024", "03/22/2024 10:00"]);
        assert_eq!(slash_order(&month_first), SlashOrder::MonthFirst);
        assert_eq!(slash_order(&strings(&["2024-03-22"])), SlashOrder::DayFirst);
    }

    #[test]
    fn a_first_row_with_numbers_or_dates_is_data() {
        assert!(looks_like_data(&strings(&["2024-03-22", "Moscow"])));
        assert!(looks_like_data(&strings(&["a", "55.7"])));
        assert!(!looks_like_data(&strings(&["date", "lat", "lon"])));
        assert_eq!(
            names_from_header(&strings(&["a", " ", "c"])),
            ["a", "column 2", "c"]
        );
    }

    #[test]
    fn the_error_lists_the_columns_found_and_what_is_missing() {
        let columns = strings(&["a", "b"]);
        let error = Preview {
            file: "t.csv",
            columns: &columns,
            rows: vec![strings(&["1", "2"]); 20],
            sheets: Vec::new(),
            sheet: None,
        }
        .needs_columns(Missing {
            problem: "no date column (named date…)".into(),
            what: vec!["a date column".into()],
        });
        assert_eq!(
            error.to_string(),
            "t.csv: found columns: a, b; no date column (named date…) — choose the columns in the import dialog or with --time, --lat, --lon"
        );
        let LoadError::NeedsColumns { preview, .. } = error else {
            panic!("not NeedsColumns");
        };
        assert_eq!(preview.rows.len(), PREVIEW_ROWS);
        assert_eq!(preview.missing, ["a date column"]);
    }
}
