//! A deterministic synthetic dataset, for benchmarks and stress tests.
//!
//! Events cluster around real cities of the basemap in and around European Russia (bigger cities
//! get more), with a mix of exact days, times, months, ranges and qualified dates, several
//! categories, links and sources with quotes. The same `(events, seed)` always writes the same
//! bytes.

use std::io::{self, Write};

use crate::io::write::{DatasetWriter, EventEntry, Header, LinkEntry, Where};
use crate::map::basemap::{Basemap, EUROPEAN_PLACES_AREA};
use crate::model::calendar::{MONTH_NAMES, civil_from_days, days_from_civil};
use crate::model::{Category, LonLat, Place, Source};

/// Categories of generated events: `(id, label, colour)` (Paul Tol's "bright" palette).
pub const CATEGORIES: [(&str, &str, [u8; 3]); 6] = [
    ("protest", "Protests", [0x44, 0x77, 0xAA]),
    ("attack", "Attacks", [0xEE, 0x66, 0x77]),
    ("arrest", "Arrests", [0x22, 0x88, 0x33]),
    ("statement", "Statements", [0x66, 0xCC, 0xEE]),
    ("warning", "Warnings", [0xCC, 0xBB, 0x44]),
    ("military", "Military activity", [0xAA, 0x33, 0x77]),
];

const SUBJECTS: [&str; 12] = [
    "Crowd",
    "Police",
    "Officials",
    "Residents",
    "Security forces",
    "Volunteers",
    "Activists",
    "Witnesses",
    "Regional authorities",
    "Journalists",
    "Students",
    "Workers",
];
const VERBS: [&str; 10] = [
    "gathered near",
    "reported an incident in",
    "issued a statement about",
    "blocked roads in",
    "detained several people in",
    "warned of threats in",
    "marched through",
    "held talks in",
    "evacuated buildings in",
    "closed checkpoints around",
];

/// SplitMix64: small, fast and good enough for test data; no dependency.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// Roughly normal (sum of uniforms), mean 0, standard deviation 1.
    fn normal(&mut self) -> f64 {
        (0..4).map(|_| self.unit()).sum::<f64>() * 3f64.sqrt() - 2.0 * 3f64.sqrt()
    }
}

struct City {
    name: String,
    at: LonLat,
}

/// How many of the cities are also written as named places.
const PLACE_COUNT: usize = 50;

fn cities() -> Vec<City> {
    let basemap = Basemap::builtin();
    // The built-in basemap is checked by the test suite.
    debug_assert!(basemap.is_ok(), "{:?}", basemap.as_ref().err());
    let mut cities: Vec<City> = basemap
        .iter()
        .flat_map(|basemap| basemap.cities.iter())
        .map(|city| City {
            name: city.name.clone(),
            at: city.at.lon_lat(),
        })
        .filter(|city| in_european_places_area(city.at))
        .take(300)
        .collect();
    if cities.is_empty() {
        cities.push(City {
            name: "Moscow".to_owned(),
            at: LonLat::new(37.6173, 55.7558),
        });
    }
    cities
}

/// Whether `at` is in the box of the basemap's European places (the world's biggest cities
/// would spread the events over the globe; the benchmarks are about European Russia).
fn in_european_places_area(at: LonLat) -> bool {
    let [south_west, north_east] = EUROPEAN_PLACES_AREA;
    (south_west.lon..=north_east.lon).contains(&at.lon)
        && (south_west.lat..=north_east.lat).contains(&at.lat)
}

/// A coordinate rounded to 5 decimals (about a metre): what a source would give.
fn rounded(degrees: f64) -> f64 {
    (degrees * 1e5).round() / 1e5
}

/// Cumulative weights of the cities, ordered by importance: the first ones most (Zipf-like).
fn cumulative_weights(count: usize) -> Vec<f64> {
    let weights: Vec<f64> = (0..count).map(|rank| 1.0 / (rank as f64 + 1.0)).collect();
    let total: f64 = weights.iter().sum();
    let mut running = 0.0;
    weights
        .iter()
        .map(|weight| {
            running += weight / total;
            running
        })
        .collect()
}

/// The generated categories, with their colours.
fn categories() -> Vec<Category> {
    CATEGORIES
        .iter()
        .map(|&(id, label, color)| Category {
            id: id.to_owned(),
            label: label.to_owned(),
            color,
        })
        .collect()
}

/// The first cities, as named places.
fn places(cities: &[City]) -> Vec<Place> {
    cities
        .iter()
        .take(PLACE_COUNT)
        .enumerate()
        .map(|(index, city)| Place {
            id: format!("city-{index}"),
            name: city.name.clone(),
            at: LonLat::new(rounded(city.at.lon), rounded(city.at.lat)),
            region: None,
            note: None,
        })
        .collect()
}

/// What the random choices give for one event, before it is written.
struct Synthetic {
    id: String,
    title: String,
    when: String,
    place: SyntheticPlace,
    category: &'static str,
    source: [Source; 1],
    link: Option<String>,
}

/// Where a synthetic event is.
enum SyntheticPlace {
    Unknown,
    Named(String),
    Point(LonLat),
}

impl Synthetic {
    fn write(&self, writer: &mut DatasetWriter<impl Write>) -> io::Result<()> {
        let links = self.link.as_deref().map(|to| LinkEntry {
            to,
            kind: "follows",
        });
        writer.event(&EventEntry {
            id: &self.id,
            title: &self.title,
            when: &self.when,
            place: match &self.place {
                SyntheticPlace::Unknown => Where::Unknown,
                SyntheticPlace::Named(id) => Where::Place(id),
                SyntheticPlace::Point(at) => Where::Point {
                    at: *at,
                    region: None,
                    name: None,
                },
            },
            category: Some(self.category),
            actors: &[],
            summary: None,
            sources: &self.source,
            date_note: None,
            fields: &[],
            links: links.as_slice(),
        })
    }
}

/// The generator's state: the random stream and what events are drawn from.
struct Generator {
    random: Random,
    cities: Vec<City>,
    cumulative: Vec<f64>,
    first_day: i64,
    last_day: i64,
}

impl Generator {
    /// A date at day, month or moment precision, or a range, starting on `day`.
    fn when(&mut self, day: i64) -> String {
        let (year, month, day_of_month) = civil_from_days(day);
        let kind = self.random.unit();
        if kind < 0.62 {
            format!("{year:04}-{month:02}-{day_of_month:02}")
        } else if kind < 0.70 {
            let hour = self.random.below(24);
            let minute = self.random.below(4) * 15;
            format!("{year:04}-{month:02}-{day_of_month:02}T{hour:02}:{minute:02}+03:00")
        } else if kind < 0.76 {
            format!("{year:04}-{month:02}-{day_of_month:02}~")
        } else if kind < 0.88 {
            format!("{year:04}-{month:02}")
        } else {
            let length = 2 + self.random.below(120) as i64;
            let (y2, m2, d2) = civil_from_days((day + length).min(self.last_day));
            format!("{year:04}-{month:02}-{day_of_month:02}/{y2:04}-{m2:02}-{d2:02}")
        }
    }

    /// Near the city: its named place, a point spread around it, or no place at all.
    fn place(&mut self, city_index: usize) -> SyntheticPlace {
        let Some(city) = self.cities.get(city_index) else {
            return SyntheticPlace::Unknown;
        };
        let LonLat {
            lat: city_lat,
            lon: city_lon,
        } = city.at;
        let place = self.random.unit();
        if place < 0.08 && city_index < PLACE_COUNT.min(self.cities.len()) {
            SyntheticPlace::Named(format!("city-{city_index}"))
        } else if place < 0.95 {
            // Spread around the city: most within ~10 km, some further out.
            let spread = if self.random.unit() < 0.8 { 0.05 } else { 0.4 };
            let lat = (city_lat + self.random.normal() * spread).clamp(-85.0, 85.0);
            let lon = (city_lon + self.random.normal() * spread * 1.6).clamp(-180.0, 180.0);
            SyntheticPlace::Point(LonLat::new(rounded(lon), rounded(lat)))
        } else {
            SyntheticPlace::Unknown
        }
    }

    /// The `i`-th event.
    fn event(&mut self, i: usize) -> Synthetic {
        let roll = self.random.unit();
        let city_index = self
            .cumulative
            .partition_point(|&c| c < roll)
            .min(self.cities.len() - 1);
        let city_name = self
            .cities
            .get(city_index)
            .map_or_else(String::new, |city| city.name.clone());
        let span_days = (self.last_day - self.first_day) as usize;
        let day = self.first_day + self.random.below(span_days + 1) as i64;
        let (_, month, day_of_month) = civil_from_days(day);
        let when = self.when(day);
        let category = self.random.pick(&CATEGORIES).map_or("protest", |c| c.0);
        let subject = self.random.pick(&SUBJECTS).copied().unwrap_or("Crowd");
        let verb = self.random.pick(&VERBS).copied().unwrap_or("gathered near");
        let place = self.place(city_index);
        let link =
            (i > 0 && self.random.unit() < 0.1).then(|| format!("e{}", self.random.below(i)));
        let month_name = MONTH_NAMES.get(month as usize - 1).copied().unwrap_or("");
        let report = i / 7;
        Synthetic {
            id: format!("e{i}"),
            title: format!("{subject} {verb} {city_name}"),
            when,
            place,
            category,
            source: [Source {
                title: format!("Synthetic report {report}"),
                url: Some(format!("https://example.org/reports/{report}")),
                quote: Some(format!(
                    "{subject} {verb} {city_name} on {day_of_month} {month_name}, according to report {report}."
                )),
                ..Source::default()
            }],
            link,
        }
    }
}

/// Formats [`write_in`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GeneratedFormat {
    /// Event Atlas JSON (places, links, sources with quotes).
    Json,
    /// A CSV table as spreadsheets and ACLED-style exports have it.
    Csv,
    /// A GeoJSON FeatureCollection of points with `start`/`end` properties.
    Geojson,
}

/// Writes `events` generated events to `out` in `format`: the same events in each (named
/// places become their coordinates, links are left out where the format has none).
pub fn write_in(
    format: GeneratedFormat,
    out: &mut impl Write,
    events: usize,
    seed: u64,
) -> io::Result<()> {
    match format {
        GeneratedFormat::Json => write_dataset(out, events, seed),
        GeneratedFormat::Csv | GeneratedFormat::Geojson => write_table(format, out, events, seed),
    }
}

/// A row of a table: the start and end dates as a CSV or a GeoJSON file gives them.
fn table_dates(when: &str) -> (&str, &str) {
    let when = when.trim_end_matches(['~', '?']);
    when.split_once('/').unwrap_or((when, ""))
}

fn write_table(
    format: GeneratedFormat,
    out: &mut impl Write,
    events: usize,
    seed: u64,
) -> io::Result<()> {
    let cities = cities();
    let mut generator = Generator {
        random: Random(seed ^ 0x5EED_0000_0000_0001),
        cumulative: cumulative_weights(cities.len()),
        cities,
        first_day: days_from_civil(2014, 1, 1),
        last_day: days_from_civil(2024, 12, 31),
    };
    let csv = format == GeneratedFormat::Csv;
    if csv {
        writeln!(
            out,
            "event_id,event_date,end_date,title,event_type,latitude,longitude,source,notes"
        )?;
    } else {
        writeln!(
            out,
            "{{\"type\":\"FeatureCollection\",\"name\":\"Synthetic dataset: {events} events (seed {seed})\",\"features\":["
        )?;
    }
    for i in 0..events {
        let event = generator.event(i);
        let at = match &event.place {
            SyntheticPlace::Point(at) => Some(*at),
            SyntheticPlace::Named(id) => id
                .strip_prefix("city-")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| generator.cities.get(n))
                .map(|city| city.at),
            SyntheticPlace::Unknown => None,
        };
        let (start, end) = table_dates(&event.when);
        let url = event.source[0].url.as_deref().unwrap_or_default();
        let notes = event.source[0].quote.as_deref().unwrap_or_default();
        if csv {
            let (lat, lon) = at.map_or((String::new(), String::new()), |at| {
                (at.lat.to_string(), at.lon.to_string())
            });
            writeln!(
                out,
                "{},{start},{end},\"{}\",{},{lat},{lon},{url},\"{notes}\"",
                event.id, event.title, event.category
            )?;
        } else {
            let geometry = at.map_or_else(
                || "null".to_owned(),
                |at| {
                    format!(
                        "{{\"type\":\"Point\",\"coordinates\":[{},{}]}}",
                        at.lon, at.lat
                    )
                },
            );
            let end = if end.is_empty() {
                String::new()
            } else {
                format!(",\"end\":\"{end}\"")
            };
            let comma = if i + 1 < events { "," } else { "" };
            writeln!(
                out,
                "{{\"type\":\"Feature\",\"id\":\"{}\",\"geometry\":{geometry},\"properties\":{{\"title\":\"{}\",\"category\":\"{}\",\"start\":\"{start}\"{end},\"url\":\"{url}\",\"notes\":\"{notes}\"}}}}{comma}",
                event.id, event.title, event.category
            )?;
        }
    }
    if !csv {
        writeln!(out, "]}}")?;
    }
    Ok(())
}

/// Writes a dataset of `events` events to `out`.
pub fn write_dataset(out: &mut impl Write, events: usize, seed: u64) -> io::Result<()> {
    let cities = cities();
    let categories = categories();
    let places = places(&cities);
    let title = format!("Synthetic dataset: {events} events (seed {seed})");
    let header = Header {
        title: &title,
        description: Some(
            "Generated by event-atlas generate for benchmarks and tests; not real events.",
        ),
        sources: &[],
        categories: &categories,
        places: &places,
        story: None,
    };
    let mut generator = Generator {
        random: Random(seed ^ 0x5EED_0000_0000_0001),
        cumulative: cumulative_weights(cities.len()),
        cities,
        first_day: days_from_civil(2014, 1, 1),
        last_day: days_from_civil(2024, 12, 31),
    };
    let mut writer = DatasetWriter::begin(out, &header)?;
    for i in 0..events {
        generator.event(i).write(&mut writer)?;
    }
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_valid_and_varied() {
        let mut first = Vec::new();
        write_dataset(&mut first, 2000, 7).unwrap();
        let mut second = Vec::new();
        write_dataset(&mut second, 2000, 7).unwrap();
        assert_eq!(first, second, "same seed, same bytes");
        let mut other = Vec::new();
        write_dataset(&mut other, 2000, 8).unwrap();
        assert_ne!(first, other);

        let loaded = crate::io::parse_dataset(&first, "generated.json").unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings.first());
        let dataset = loaded.dataset;
        assert_eq!(dataset.events.len(), 2000);
        assert_eq!(dataset.categories.len(), CATEGORIES.len());
        let exact = dataset.events.iter().filter(|e| e.is_exact()).count();
        let months = dataset
            .events
            .iter()
            .filter(|e| e.when_text().len() == 7)
            .count();
        let ranges = dataset
            .events
            .iter()
            .filter(|e| e.when_text().contains('/'))
            .count();
        let links = dataset.links.len();
        assert!(
            exact > 1000 && months > 100 && ranges > 100 && links > 100,
            "{exact} {months} {ranges} {links}"
        );
        assert!(dataset.located_count() > 1800);
        for index in 0..dataset.events.len() {
            let details = dataset.details(index).unwrap();
            assert!(!details.sources.is_empty());
            assert!(details.sources.iter().all(|s| s.quote.is_some()));
        }
    }
}
