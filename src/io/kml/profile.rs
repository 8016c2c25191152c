//! What Event Atlas writes into KML (`io/export/kml.rs`) and reads back exactly: the
//! Document's `generator` Data, and the Data names that are Event Atlas's own (`when`,
//! `category`, `region`, `place`, `date_note`, `actor_N`, `source_N_title`…, `link_N_to`…);
//! an imported field with one of those names is written with a prefix.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::model::{RegionCode, Source};

/// The value of the Document's `generator` Data in a file Event Atlas wrote.
pub(in crate::io) const GENERATOR: &str = "Event Atlas";

/// Put before an imported field's name that is one of Event Atlas's own (or starts with this
/// prefix itself), so that it reads back as a field.
pub(in crate::io) const FIELD_PREFIX: &str = "field_";

/// The parts of a source, as in `source_1_title`.
const SOURCE_PARTS: [&str; 6] = ["title", "url", "publisher", "date", "quote", "note"];

/// `name` is `{prefix}{number}` or `{prefix}{number}_{rest}`: the number (from 1) and the
/// rest (with its `_`, or empty).
pub(super) fn numbered<'n>(name: &'n str, prefix: &str) -> Option<(usize, &'n str)> {
    let rest = name.strip_prefix(prefix)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let number: usize = rest.get(..digits)?.parse().ok().filter(|n| *n > 0)?;
    let rest = rest.get(digits..)?;
    (rest.is_empty() || rest.starts_with('_')).then_some((number, rest))
}

/// Whether Event Atlas reads a Data of this name as its own.
fn is_own(name: &str) -> bool {
    let numbered_as = |prefix: &str, parts: &[&str]| {
        numbered(name, prefix).is_some_and(|(_, rest)| {
            parts.iter().any(|part| {
                rest.strip_prefix('_') == Some(part) || (part.is_empty() && rest.is_empty())
            })
        })
    };
    matches!(
        name,
        "when" | "category" | "region" | "place" | "date_note" | "generator"
    ) || numbered_as("actor_", &[""])
        || numbered_as("source_", &SOURCE_PARTS)
        || numbered_as("link_", &["to", "kind"])
        || numbered_as("category_", &["id", "label", "color"])
}

/// The Data name an imported field is written as: its name, or the name after
/// [`FIELD_PREFIX`] when it would be read as one of Event Atlas's own.
pub(in crate::io) fn data_name(field: &str) -> Cow<'_, str> {
    if is_own(field) || field.starts_with(FIELD_PREFIX) {
        Cow::Owned(format!("{FIELD_PREFIX}{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// The field a Data of a file Event Atlas wrote holds (the inverse of [`data_name`]).
fn field_name(name: &str) -> &str {
    match name.strip_prefix(FIELD_PREFIX) {
        Some(field) if is_own(field) || field.starts_with(FIELD_PREFIX) => field,
        _ => name,
    }
}

/// The numbered sources among `data` (`source_1_title`…), in their numbers' order.
pub(super) fn sources(data: &[(String, String)]) -> Vec<Source> {
    let mut sources: BTreeMap<usize, Source> = BTreeMap::new();
    for (name, value) in data {
        let Some((number, rest)) = numbered(name, "source_") else {
            continue;
        };
        let source = sources.entry(number).or_default();
        let value = value.clone();
        match rest {
            "_title" => source.title = value,
            "_url" => source.url = Some(value),
            "_publisher" => source.publisher = Some(value),
            "_date" => source.date = Some(value),
            "_quote" => source.quote = Some(value),
            "_note" => source.note = Some(value),
            _ => {}
        }
    }
    sources.into_values().collect()
}

/// What a Placemark's ExtendedData says in Event Atlas's own names.
#[derive(Debug, Default)]
pub(super) struct OwnData {
    pub(super) when: Option<String>,
    pub(super) category: Option<String>,
    pub(super) region: Option<RegionCode>,
    pub(super) place: Option<String>,
    pub(super) actors: Vec<String>,
    pub(super) date_note: Option<String>,
    pub(super) sources: Vec<Source>,
    /// `(to, kind)`.
    pub(super) links: Vec<(String, String)>,
    /// Every other Data, without the prefix that kept it apart from Event Atlas's own.
    pub(super) fields: Vec<(String, String)>,
}

impl OwnData {
    /// Sorts a Placemark's Data (of a file Event Atlas wrote) into its own and the fields.
    pub(super) fn of(data: Vec<(String, String)>) -> Self {
        let mut own = OwnData {
            sources: sources(&data),
            ..OwnData::default()
        };
        let mut actors = BTreeMap::new();
        let mut links: BTreeMap<usize, (String, String)> = BTreeMap::new();
        for (name, value) in data {
            if !is_own(&name) {
                own.fields.push((field_name(&name).to_owned(), value));
                continue;
            }
            match name.as_str() {
                "when" => own.when = Some(value),
                "category" => own.category = Some(value),
                "region" => own.region = RegionCode::new(&value),
                "place" => own.place = Some(value),
                "date_note" => own.date_note = Some(value),
                _ => numbered_data(&name, value, &mut actors, &mut links),
            }
        }
        own.actors = actors.into_values().collect();
        own.links = links
            .into_values()
            .filter(|(to, _)| !to.is_empty())
            .collect();
        own
    }
}

/// An actor or a part of a link, by its number.
fn numbered_data(
    name: &str,
    value: String,
    actors: &mut BTreeMap<usize, String>,
    links: &mut BTreeMap<usize, (String, String)>,
) {
    if let Some((number, "")) = numbered(name, "actor_") {
        actors.insert(number, value);
    } else if let Some((number, rest)) = numbered(name, "link_") {
        let link = links.entry(number).or_insert_with(|| {
            (
                String::new(),
                crate::io::rules::DEFAULT_LINK_KIND.to_owned(),
            )
        });
        match rest {
            "_to" => link.0 = value,
            _ => link.1 = value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_names_are_split_into_their_number_and_part() {
        assert_eq!(numbered("source_12_url", "source_"), Some((12, "_url")));
        assert_eq!(numbered("actor_3", "actor_"), Some((3, "")));
        assert_eq!(numbered("actor_0", "actor_"), None);
        assert_eq!(numbered("actor_x", "actor_"), None);
        assert_eq!(numbered("actor_3x", "actor_"), None);
    }

    #[test]
    fn fields_named_like_event_atlas_data_get_a_prefix_and_lose_it_again() {
        for (field, data) in [
            ("mag", "mag"),
            ("when", "field_when"),
            ("When", "When"),
            ("actor_2", "field_actor_2"),
            ("actor_2_name", "actor_2_name"),
            ("source_1_quote", "field_source_1_quote"),
            ("link_4_kind", "field_link_4_kind"),
            ("field_x", "field_field_x"),
            ("summary", "summary"),
        ] {
            assert_eq!(data_name(field), data, "{field}");
            assert_eq!(field_name(data), field, "{data}");
        }
    }

    #[test]
    fn own_data_is_sorted_out_in_number_order() {
        let data: Vec<(String, String)> = [
            ("when", "2024-03~"),
            ("actor_2", "B"),
            ("actor_1", "A"),
            ("source_2_title", "Second"),
            ("source_1_title", "First"),
            ("source_1_url", "https://example.org"),
            ("link_1_to", "e2"),
            ("link_1_kind", "caused"),
            ("region", "RU-MOS"),
            ("field_when", "a field"),
            ("note", "n"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let own = OwnData::of(data);
        assert_eq!(own.when.as_deref(), Some("2024-03~"));
        assert_eq!(own.actors, ["A", "B"]);
        assert_eq!(own.sources.len(), 2);
        assert_eq!(own.sources[0].title, "First");
        assert_eq!(own.sources[0].url.as_deref(), Some("https://example.org"));
        assert_eq!(own.links, [("e2".to_owned(), "caused".to_owned())]);
        assert_eq!(own.region.map(|r| r.to_string()).as_deref(), Some("RU-MOS"));
        assert_eq!(
            own.fields,
            [
                ("when".to_owned(), "a field".to_owned()),
                ("note".to_owned(), "n".to_owned())
            ]
        );
    }
}
