//! The rules of the Event Atlas JSON format (`docs/format.md`), written once.
//!
//! Both readers call these: the positional reader (`json.rs`) turns a failed rule into a
//! diagnostic at the value's line and column; the streaming reader (`fast.rs`) into "not clean,
//! let the positional reader say it". A rule returns its message only when it fails, so the
//! streaming reader pays nothing for messages on clean files.

use crate::model::url::{NotWebLink, WebLink, is_secure_address};
use crate::model::{
    LonLat, PlacePrecision, RegionCode, When, latitude_is_valid, longitude_is_valid,
};

/// The value of `format` this version reads.
pub const FORMAT: &str = "event-atlas/1";

/// Fields of the top-level object.
pub const TOP_FIELDS: &[&str] = &[
    "format",
    "title",
    "description",
    "sources",
    "categories",
    "places",
    "events",
    "story",
    "$schema",
];
/// Fields of an event.
pub const EVENT_FIELDS: &[&str] = &[
    "id",
    "title",
    "when",
    "where",
    "category",
    "actors",
    "summary",
    "sources",
    "links",
    "date_note",
    "fields",
];
/// Fields of a source.
pub const SOURCE_FIELDS: &[&str] = &["title", "url", "publisher", "date", "quote", "note"];
/// Fields of a named place.
pub const PLACE_FIELDS: &[&str] = &["id", "name", "lat", "lon", "region", "precision", "note"];
/// Fields of a category.
pub const CATEGORY_FIELDS: &[&str] = &["id", "label", "color"];
/// Fields of a `where` object.
pub const WHERE_FIELDS: &[&str] = &["lat", "lon", "name", "region", "precision"];
/// Fields of a link.
pub const LINK_FIELDS: &[&str] = &["to", "kind"];

/// The kind of a link that gives none.
pub const DEFAULT_LINK_KIND: &str = "related";

/// `format`, when present, names this version's format.
pub fn format(value: &str) -> Result<(), String> {
    if value == FORMAT {
        Ok(())
    } else {
        Err(format!(
            "unsupported format \"{value}\"; this version reads \"{FORMAT}\""
        ))
    }
}

/// Required text (ids, titles, dates, link targets) must not be blank.
pub fn required(text: &str) -> Result<(), &'static str> {
    if text.trim().is_empty() {
        Err("must not be empty")
    } else {
        Ok(())
    }
}

/// A date (`when`, a source's `date`) in the supported EDTF subset.
pub fn date(text: &str) -> Result<When, String> {
    When::parse(text).map_err(|error| error.0)
}

/// A source's `url` is a secure web address ([`WebLink`], `https:`). The failure is a warning:
/// an `http:` address is still a link (opened only when clicked), anything else is shown as
/// text, never opened.
pub fn source_url(url: &str) -> Result<(), String> {
    match WebLink::check_address(url) {
        Ok(link) if is_secure_address(link) => Ok(()),
        Ok(_) => Err(format!(
            "\"{url}\" is not a secure address (https://…); a link all the same, opened only when clicked"
        )),
        Err(NotWebLink::Relative | NotWebLink::Scheme(_)) => Err(format!(
            "\"{url}\" is not a web address (https://…); shown as text"
        )),
        Err(why) => Err(format!("\"{url}\": {why}; shown as text")),
    }
}

/// A latitude in -90..=90.
pub fn latitude(lat: f64) -> Result<(), String> {
    if latitude_is_valid(lat) {
        Ok(())
    } else {
        Err(format!("latitude {lat} is outside -90..90"))
    }
}

/// A longitude in -180..=180.
pub fn longitude(lon: f64) -> Result<(), String> {
    if longitude_is_valid(lon) {
        Ok(())
    } else {
        Err(format!("longitude {lon} is outside -180..180"))
    }
}

/// The point, if both coordinates are in range ([`latitude`] and [`longitude`] say why not).
pub fn point(lon: f64, lat: f64) -> Option<LonLat> {
    let at = LonLat::new(lon, lat);
    at.is_valid().then_some(at)
}

/// Message for a `where` object that has one coordinate without the other.
pub const POINT_NEEDS_BOTH: &str = "a point needs both \"lat\" and \"lon\"";
/// Message for a `where` object with neither a point nor a region.
pub const WHERE_NEEDS_SOMETHING: &str =
    "give a place id, {\"lat\", \"lon\"} or {\"region\": \"RU-IN\"}";

/// A region is an ISO 3166-2 code.
pub fn region(code: &str) -> Result<RegionCode, String> {
    RegionCode::new(code)
        .ok_or_else(|| format!("\"{code}\" is not an ISO 3166-2 code such as \"RU-IN\""))
}

/// A place's `precision`: `exact`, `city` or `region`.
pub fn place_precision(name: &str) -> Result<PlacePrecision, String> {
    PlacePrecision::from_name(name).ok_or_else(|| {
        format!("\"{name}\" is not a place precision: write \"exact\", \"city\" or \"region\"")
    })
}

/// A colour is `#rrggbb` or `#rgb`.
pub fn color(text: &str) -> Result<[u8; 3], String> {
    parse_color(text).ok_or_else(|| format!("\"{text}\" is not a colour like \"#d62728\""))
}

/// A colour as the writer writes it: `#RRGGBB`.
pub fn color_text([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

fn parse_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    // from_str_radix accepts a leading '+', which is no colour.
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel =
        |range: std::ops::Range<usize>| hex.get(range).and_then(|h| u8::from_str_radix(h, 16).ok());
    match hex.len() {
        6 => Some([channel(0..2)?, channel(2..4)?, channel(4..6)?]),
        3 => {
            let [r, g, b] = [channel(0..1)?, channel(1..2)?, channel(2..3)?];
            Some([r * 17, g * 17, b * 17])
        }
        _ => None,
    }
}

/// Message for a category id declared twice.
pub fn duplicate_category(id: &str) -> String {
    format!("duplicate category id \"{id}\"")
}

/// Message for a place id declared twice.
pub fn duplicate_place(id: &str) -> String {
    format!("duplicate place id \"{id}\"")
}

/// Message for an event id used twice; the first event starts at `line:column`.
pub fn duplicate_event(line: usize, column: usize) -> String {
    format!("duplicate id: another event with this id starts at {line}:{column}")
}

/// Message for a `where` naming a place that is not declared.
pub fn unknown_place<'k>(id: &str, known: impl Iterator<Item = &'k str>) -> String {
    let known: Vec<&str> = known.collect();
    format!(
        "unknown place \"{id}\"{}; places are declared in \"places\"",
        did_you_mean(id, &known)
    )
}

/// Message for a `category` that is not among the declared ones.
pub fn unknown_category<'k>(name: &str, declared: impl Iterator<Item = &'k str>) -> String {
    let declared: Vec<&str> = declared.collect();
    if declared.is_empty() {
        format!("unknown category \"{name}\"; the \"categories\" list is empty")
    } else {
        format!(
            "unknown category \"{name}\"; declared: {}",
            declared.join(", ")
        )
    }
}

/// Message for a link to an event that is not in the file.
pub fn unknown_link_target(to: &str, known: &[&str]) -> String {
    format!("links to unknown event \"{to}\"{}", did_you_mean(to, known))
}

/// Message for an unknown field (a warning: the field is ignored).
pub fn unknown_field(name: &str, known: &[&str]) -> String {
    match closest(name, known) {
        Some(guess) => format!("unknown field (did you mean \"{guess}\"?); ignored"),
        None => "unknown field; ignored".to_owned(),
    }
}

/// ` (did you mean "x"?)` when a known name is a likely typo of `name`, else nothing.
pub(super) fn did_you_mean(name: &str, known: &[&str]) -> String {
    closest(name, known)
        .map(|guess| format!(" (did you mean \"{guess}\"?)"))
        .unwrap_or_default()
}

/// The known name closest to a misspelt one, if it is close enough to be a likely typo.
fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(distance, candidate)| {
            let allowed = match candidate.chars().count() {
                0..=2 => 0,
                3..=4 => 1,
                _ => 2,
            };
            *distance <= allowed && *distance < name.chars().count()
        })
        .min()
        .map(|(_, candidate)| candidate)
}

/// Edit distance where swapping two neighbouring letters counts as one edit ("titel" → "title").
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut table = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        if let Some(cell) = table.get_mut(at(i, 0)) {
            *cell = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(cell) = table.get_mut(at(0, j)) {
            *cell = j;
        }
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let get = |i: usize, j: usize| table.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
            let (ca, cb) = (a.get(i - 1), b.get(j - 1));
            let mut best = (get(i - 1, j) + 1)
                .min(get(i, j - 1) + 1)
                .min(get(i - 1, j - 1) + usize::from(ca != cb));
            if i > 1 && j > 1 && ca == b.get(j - 2) && a.get(i - 2) == cb {
                best = best.min(get(i - 2, j - 2) + 1);
            }
            if let Some(cell) = table.get_mut(at(i, j)) {
                *cell = best;
            }
        }
    }
    table.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_pass_good_values_and_say_why_bad_ones_fail() {
        assert!(format(FORMAT).is_ok());
        assert!(
            format("event-atlas/2")
                .unwrap_err()
                .contains("event-atlas/1")
        );
        assert_eq!(required(" \t"), Err("must not be empty"));
        assert!(required("a").is_ok());
        assert!(source_url("https://x").is_ok());
        assert!(source_url("http://x").unwrap_err().contains("not a secure"));
        assert!(source_url("x").unwrap_err().contains("not a web address"));
        assert_eq!(
            latitude(91.0).unwrap_err(),
            "latitude 91 is outside -90..90"
        );
        assert_eq!(
            longitude(-181.0).unwrap_err(),
            "longitude -181 is outside -180..180"
        );
        assert!(latitude(f64::NAN).is_err());
        assert_eq!(point(10.0, 20.0), Some(LonLat::new(10.0, 20.0)));
        assert_eq!(point(10.0, 95.0), None);
        assert!(region("RU-IN").is_ok());
        assert!(region("Kaluga").is_err());
        assert_eq!(color("#abc"), Ok([0xAA, 0xBB, 0xCC]));
        assert_eq!(color("#4477AA"), Ok([0x44, 0x77, 0xAA]));
        for bad in ["4477AA", "#+1+2+3", "#12345", "#ggg"] {
            assert!(color(bad).is_err(), "{bad}");
        }
        assert_eq!(color_text([0x44, 0x77, 0xAA]), "#4477AA");
        assert!(date("2024-02-30").unwrap_err().contains("does not exist"));
    }

    #[test]
    fn near_misses_get_a_hint() {
        assert_eq!(
            unknown_field("titel", EVENT_FIELDS),
            "unknown field (did you mean \"title\"?); ignored"
        );
        assert_eq!(unknown_field("zzz", EVENT_FIELDS), "unknown field; ignored");
        assert_eq!(
            unknown_link_target("crocus-atack", &["crocus-attack", "b"]),
            "links to unknown event \"crocus-atack\" (did you mean \"crocus-attack\"?)"
        );
        assert_eq!(
            unknown_category("x", ["a", "b"].into_iter()),
            "unknown category \"x\"; declared: a, b"
        );
        assert_eq!(
            unknown_place("mosow", ["moscow"].into_iter()),
            "unknown place \"mosow\" (did you mean \"moscow\"?); places are declared in \"places\""
        );
    }
}
