//! GDELT event exports: tab-separated, no header, quotes are plain characters. GDELT 1.0 rows
//! have 57 columns (back files) or 58 (daily files from April 2013, with `SOURCEURL`), mixed in
//! one file; GDELT 2.0 rows have 61 (an `ADM2Code` per place, and `DATEADDED` to the second).
//! Column names and positions as in the GDELT codebooks.
//!
//! The date is `SQLDATE` (a day); the place `ActionGeo_Lat`/`ActionGeo_Long`. A row whose
//! `ActionGeo_Type` is 0 has no place; 0,0 with no type is GDELT's placeholder for an unknown
//! place (no place, with a warning). The title is the CAMEO root event's name with the actors
//! ("Consult: GOV → PRESIDENT"), the category the `QuadClass` in words.

use super::columns::Roles;
use super::{Cells, Preset};
use crate::model::PlacePrecision;

/// The columns before the places, in both versions.
const EVENT_COLUMNS: [&str; 35] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
];

/// The names of a version's columns.
pub(super) fn columns(preset: Preset) -> Vec<String> {
    let with_adm2 = preset == Preset::Gdelt2;
    let mut names: Vec<String> = EVENT_COLUMNS.iter().map(|n| (*n).to_owned()).collect();
    for place in ["Actor1Geo", "Actor2Geo", "ActionGeo"] {
        for part in [
            "Type",
            "FullName",
            "CountryCode",
            "ADM1Code",
            "ADM2Code",
            "Lat",
            "Long",
            "FeatureID",
        ] {
            if part != "ADM2Code" || with_adm2 {
                names.push(format!("{place}_{part}"));
            }
        }
    }
    names.push("DATEADDED".to_owned());
    names.push("SOURCEURL".to_owned());
    names
}

/// The version a row of `fields` columns belongs to.
pub(super) fn version(fields: usize) -> Option<Preset> {
    match fields {
        57 | 58 => Some(Preset::Gdelt1),
        61 => Some(Preset::Gdelt2),
        _ => None,
    }
}

/// Whether a row of `fields` columns is a normal row of `preset`.
pub(super) fn is_full_row(preset: Preset, fields: usize) -> bool {
    version(fields) == Some(preset)
}

fn position(columns: &[String], name: &str) -> Option<usize> {
    columns.iter().position(|c| c == name)
}

/// The roles of GDELT's columns.
pub(super) fn roles(columns: &[String]) -> Roles {
    let find = |name: &str| position(columns, name);
    Roles {
        id: find("GLOBALEVENTID"),
        time: find("SQLDATE"),
        lat: find("ActionGeo_Lat"),
        lon: find("ActionGeo_Long"),
        place: find("ActionGeo_FullName"),
        category: find("QuadClass"),
        actors: [find("Actor1Name"), find("Actor2Name")]
            .into_iter()
            .flatten()
            .collect(),
        sources: find("SOURCEURL").into_iter().collect(),
        ..Roles::default()
    }
}

/// `ActionGeo_Type`, `_Lat` and `_Long` (0-based).
fn action_geo(preset: Preset) -> Option<(usize, usize, usize)> {
    match preset {
        Preset::Gdelt1 => Some((49, 53, 54)),
        Preset::Gdelt2 => Some((51, 56, 57)),
        _ => None,
    }
}

/// The `ActionGeo_Type` column (0-based).
pub(super) fn geo_type_column(preset: Preset) -> Option<usize> {
    action_geo(preset).map(|(kind, _, _)| kind)
}

/// How precisely the point is known, from `ActionGeo_Type`: 3 (US city) and 4 (world city) —
/// the city's point; 1 (country), 2 (US state) and 5 (world state, ADM1) — only the region
/// (its centre is given). `None` for anything else.
pub(super) fn place_precision(code: &str) -> Option<PlacePrecision> {
    match code.trim() {
        "3" | "4" => Some(PlacePrecision::City),
        "1" | "2" | "5" => Some(PlacePrecision::Region),
        _ => None,
    }
}

/// What GDELT's own rules say of a row's place, before its coordinates are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Placeholder {
    /// Nothing: read the coordinates.
    No,
    /// `ActionGeo_Type` 0: GDELT found no place.
    NoPlace,
    /// 0,0 with no type: GDELT's placeholder (the message says so).
    ZeroZero(String),
}

pub(super) fn placeholder(preset: Preset, cells: &impl Cells) -> Placeholder {
    let Some((kind, lat, lon)) = action_geo(preset) else {
        return Placeholder::No;
    };
    let kind = cells.cell(kind);
    if kind.text() == "0" {
        return Placeholder::NoPlace;
    }
    let zero = |column: usize| cells.cell(column).text().parse::<f64>() == Ok(0.0);
    if kind.is_empty() && zero(lat) && zero(lon) {
        return Placeholder::ZeroZero(
            "ActionGeo_Lat/Long 0,0 with no ActionGeo_Type is GDELT's placeholder for an unknown place: the event has no place".to_owned(),
        );
    }
    Placeholder::No
}

/// The names of the 20 CAMEO root event codes.
const CAMEO_ROOTS: [&str; 20] = [
    "Make public statement",
    "Appeal",
    "Express intent to cooperate",
    "Consult",
    "Engage in diplomatic cooperation",
    "Engage in material cooperation",
    "Provide aid",
    "Yield",
    "Investigate",
    "Demand",
    "Disapprove",
    "Reject",
    "Threaten",
    "Protest",
    "Exhibit force posture",
    "Reduce relations",
    "Coerce",
    "Assault",
    "Fight",
    "Use unconventional mass violence",
];

/// The CAMEO root name of an event code (`04`, `043`, `0431` → "Consult").
fn root_name(code: &str) -> Option<&'static str> {
    let root: usize = code.get(..2)?.parse().ok()?;
    CAMEO_ROOTS.get(root.checked_sub(1)?).copied()
}

/// `QuadClass` in words.
pub(super) fn quad_class_words(code: &str) -> Option<&'static str> {
    Some(match code.trim() {
        "1" => "Verbal cooperation",
        "2" => "Material cooperation",
        "3" => "Verbal conflict",
        "4" => "Material conflict",
        _ => return None,
    })
}

/// "Consult: GOV → PRESIDENT" (or "Consult: GOV", "Consult → PRESIDENT"): the root event's
/// name and the actors.
pub(super) fn title(cells: &impl Cells) -> String {
    let text = |column: usize| cells.cell(column).into_text();
    let (actor1, actor2) = (text(6), text(16));
    let code = text(26);
    let root = text(28);
    let action = root_name(&format!("{:0>2}", root.as_ref()))
        .or_else(|| root_name(&code))
        .map_or_else(
            || {
                if code.is_empty() {
                    "Event".to_owned()
                } else {
                    format!("Event {code}")
                }
            },
            str::to_owned,
        );
    match (actor1.is_empty(), actor2.is_empty()) {
        (false, false) => format!("{action}: {actor1} → {actor2}"),
        (false, true) => format!("{action}: {actor1}"),
        (true, false) => format!("{action} → {actor2}"),
        (true, true) => action,
    }
}

/// Codes in words for the details: event codes with their root's name, place types.
pub(super) fn field_words(name: &str, value: &str) -> Option<String> {
    if matches!(name, "EventCode" | "EventBaseCode" | "EventRootCode") {
        let padded = format!("{value:0>2}");
        return root_name(&padded).map(|root| format!("{value} — {root}"));
    }
    if name.ends_with("Geo_Type") {
        let words = match value {
            "1" => "country",
            "2" => "US state",
            "3" => "US city or landmark",
            "4" => "city or landmark",
            "5" => "state or province",
            _ => return None,
        };
        return Some(format!("{value} — {words}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::super::Cell;
    use super::*;

    struct Fields(Vec<&'static str>);

    impl Cells for Fields {
        fn count(&self) -> usize {
            self.0.len()
        }
        fn cell(&self, column: usize) -> Cell<'_> {
            self.0
                .get(column)
                .map_or(Cell::Empty, |text| Cell::from_text(Cow::Borrowed(*text)))
        }
    }

    #[test]
    fn the_columns_are_the_codebooks() {
        let one = columns(Preset::Gdelt1);
        assert_eq!(one.len(), 58);
        // 1-based positions as in the GDELT 1.0 codebook.
        assert_eq!(one[50 - 1], "ActionGeo_Type");
        assert_eq!(one[54 - 1], "ActionGeo_Lat");
        assert_eq!(one[55 - 1], "ActionGeo_Long");
        assert_eq!(one[58 - 1], "SOURCEURL");
        let two = columns(Preset::Gdelt2);
        assert_eq!(two.len(), 61);
        assert_eq!(two[52 - 1], "ActionGeo_Type");
        assert_eq!(two[53 - 1], "ActionGeo_FullName");
        assert_eq!(two[57 - 1], "ActionGeo_Lat");
        assert_eq!(two[58 - 1], "ActionGeo_Long");
        assert_eq!(two[60 - 1], "DATEADDED");
        for preset in [Preset::Gdelt1, Preset::Gdelt2] {
            let (kind, lat, lon) = action_geo(preset).unwrap();
            let names = columns(preset);
            assert_eq!(
                (&names[kind][..], &names[lat][..], &names[lon][..]),
                ("ActionGeo_Type", "ActionGeo_Lat", "ActionGeo_Long")
            );
        }
        assert_eq!(version(57), Some(Preset::Gdelt1));
        assert_eq!(version(61), Some(Preset::Gdelt2));
        assert_eq!(version(60), None);
    }

    #[test]
    fn action_geo_type_says_how_precisely_the_place_is_known() {
        assert_eq!(place_precision("4"), Some(PlacePrecision::City));
        assert_eq!(place_precision("3"), Some(PlacePrecision::City));
        for region in ["1", "2", "5"] {
            assert_eq!(
                place_precision(region),
                Some(PlacePrecision::Region),
                "{region}"
            );
        }
        assert_eq!(place_precision("0"), None);
        assert_eq!(place_precision(""), None);
        let one = columns(Preset::Gdelt1);
        let two = columns(Preset::Gdelt2);
        let name = |columns: &[String], at: Option<usize>| at.and_then(|i| columns.get(i).cloned());
        assert_eq!(
            name(&one, geo_type_column(Preset::Gdelt1)).as_deref(),
            Some("ActionGeo_Type")
        );
        assert_eq!(
            name(&two, geo_type_column(Preset::Gdelt2)).as_deref(),
            Some("ActionGeo_Type")
        );
        assert_eq!(geo_type_column(Preset::Acled), None);
    }

    #[test]
    fn titles_name_the_root_event_and_the_actors() {
        let mut row = vec![""; 61];
        row[6] = "GOV";
        row[16] = "PRESIDENT";
        row[26] = "043";
        row[28] = "04";
        assert_eq!(title(&Fields(row.clone())), "Consult: GOV → PRESIDENT");
        row[16] = "";
        row[28] = "4";
        assert_eq!(title(&Fields(row.clone())), "Consult: GOV");
        row[6] = "";
        row[26] = "999";
        row[28] = "";
        assert_eq!(title(&Fields(row)), "Event 999");
        assert_eq!(quad_class_words("4"), Some("Material conflict"));
        assert_eq!(
            field_words("EventCode", "190").as_deref(),
            Some("190 — Fight")
        );
        assert_eq!(
            field_words("ActionGeo_Type", "4").as_deref(),
            Some("4 — city or landmark")
        );
    }

    #[test]
    fn type_zero_and_the_zero_zero_placeholder_have_no_place() {
        let mut row = vec![""; 58];
        row[49] = "0";
        assert_eq!(
            placeholder(Preset::Gdelt1, &Fields(row.clone())),
            Placeholder::NoPlace
        );
        row[49] = "";
        row[53] = "0";
        row[54] = "0";
        assert!(matches!(
            placeholder(Preset::Gdelt1, &Fields(row.clone())),
            Placeholder::ZeroZero(_)
        ));
        row[49] = "1";
        assert_eq!(placeholder(Preset::Gdelt1, &Fields(row)), Placeholder::No);
        assert_eq!(placeholder(Preset::Plain, &Fields(vec![])), Placeholder::No);
    }
}
