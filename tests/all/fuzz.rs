//! The fuzz targets (`event_atlas::io::fuzzing`) on stable: every seed file and every
//! regression file (`tests/data/fuzz-regressions/<target>-*.bin`), plus a bounded,
//! deterministic stream of mutations of the seeds (bit flips, byte inserts and deletes,
//! truncations, splices of two seeds, interesting tokens, long runs, deep nesting). A failure
//! prints the target, the seed, the mutation and the input, and writes the input to a file to
//! replay with `cargo +nightly fuzz run <target> <file>` (see `fuzz/README.md`).
//!
//! `EVENT_ATLAS_FUZZ_MUTATIONS` sets the mutations per seed (default [`MUTATIONS`]).

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use event_atlas::io::fuzzing::{self, Target};

/// Mutations of each seed, by default: the whole file runs in about 20 s in the dev profile.
const MUTATIONS: usize = 500;

/// Inputs longer than this after a mutation are cut back (long runs are tried on their own).
const MAX_INPUT: usize = 256 << 10;

/// Tokens that break readers: JSON and XML syntax, odd numbers, escapes, entities.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"[",
    b"]",
    b"}",
    b",",
    b":",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"1e999",
    b"-1e999",
    b"-0",
    b"0.0000000000000000000000001",
    b"18446744073709551616",
    b"-9223372036854775809",
    b"\\u0000",
    b"\\ud800",
    b"\\",
    b"null",
    b"true",
    b"\0",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xC3",
    b"\xE2\x80\xAE",
    b"\r",
    b"\n",
    b"\t",
    b";",
    b"<!ENTITY x SYSTEM \"file:///etc/passwd\">",
    b"<!DOCTYPE kml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>",
    b"&a;",
    b"&#0;",
    b"&#x110000;",
    b"<![CDATA[",
    b"]]>",
    b"<Placemark>",
    b"</Placemark>",
    b"<when>",
    b"<coordinates>",
    b"..",
    b"/",
    b"-",
    b"~",
    b"?",
    b"%",
    b"T",
    b"Z",
    b"Y-99999999999",
    b"9999-12-31T23:59:59+14:00",
    b"-9999-01-01",
    b"0000-02-29",
    b"2024-02-30",
    b"2023-13",
    b"99999999999999999999",
    b"1.7976931348623157e308",
    b"\"when\": \"2024\"",
    b"\"id\": \"a\"",
    b"\"links\": [{\"to\": \"a\"}]",
    b"PK\x03\x04",
];

/// A small xorshift generator: the same stream on every run.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One mutation of `input`, drawing on `others` to splice with.
fn mutate(input: &mut Vec<u8>, others: &[(String, Vec<u8>)], rng: &mut Rng) {
    let at = rng.below(input.len() + 1);
    match rng.below(11) {
        0 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] ^= 1 << rng.below(8);
        }
        1 => input.insert(at, rng.next() as u8),
        2 if !input.is_empty() => {
            let end = (at + 1 + rng.below(16)).min(input.len());
            input.drain(at.min(end)..end);
        }
        3 => input.truncate(at),
        4 => {
            let (_, other) = rng.pick(others);
            let from = rng.below(other.len() + 1);
            input.truncate(at);
            input.extend_from_slice(&other[from..]);
        }
        5 | 6 => {
            let token = *rng.pick(TOKENS);
            input.splice(at..at, token.iter().copied());
        }
        7 if !input.is_empty() => {
            // Overwrite a few bytes with an interesting token.
            let token = *rng.pick(TOKENS);
            let end = (at + token.len()).min(input.len());
            input.splice(at.min(end)..end, token.iter().copied());
        }
        8 => {
            let run = [
                &b"a"[..],
                b" ",
                b"9",
                b"\"",
                b"\\",
                b"\xC3\xA9",
                b"\n",
                b",",
            ];
            let unit = *rng.pick(&run);
            let count = 1 + rng.below(20_000);
            let long: Vec<u8> = unit
                .iter()
                .copied()
                .cycle()
                .take(unit.len() * count)
                .collect();
            input.splice(at..at, long);
        }
        9 => {
            let nests = [&b"["[..], b"{\"a\":", b"<Folder>", b"<a>"];
            let unit = *rng.pick(&nests);
            let depth = 1 + rng.below(5_000);
            let deep: Vec<u8> = unit
                .iter()
                .copied()
                .cycle()
                .take(unit.len() * depth)
                .collect();
            input.splice(at..at, deep);
        }
        _ if !input.is_empty() => {
            // Repeat a chunk of the input.
            let end = (at + 1 + rng.below(64)).min(input.len());
            let chunk = input[at.min(end)..end].to_vec();
            input.splice(end..end, chunk);
        }
        _ => input.push(rng.next() as u8),
    }
    input.truncate(MAX_INPUT);
}

/// The input as short hex: the start and the end of a long one.
fn hex(input: &[u8]) -> String {
    let show = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    if input.len() <= 96 {
        show(input)
    } else {
        format!(
            "{}…({} bytes)…{}",
            show(&input[..64]),
            input.len() - 96,
            show(&input[input.len() - 32..])
        )
    }
}

/// Runs `target` on `input`; on a panic, says how to replay it.
fn run_one(target: Target, seed: &str, what: &str, input: &[u8]) -> Result<(), String> {
    if catch_unwind(AssertUnwindSafe(|| (target.run)(input))).is_ok() {
        return Ok(());
    }
    let dir = std::env::temp_dir().join("event-atlas-fuzz-failures");
    // Named by the input's FNV-1a hash: each failing input in its own file.
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    });
    let file = dir.join(format!("{}-{hash:016x}.bin", target.name));
    let saved = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&file, input))
        .map_or_else(
            |e| format!("not saved: {e}"),
            |()| file.display().to_string(),
        );
    Err(format!(
        "fuzz target {} failed on seed {seed}, {what}: input ({} bytes, saved to {saved}): {}",
        target.name,
        input.len(),
        hex(input)
    ))
}

fn data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

fn read(relative: &str) -> (String, Vec<u8>) {
    let bytes = std::fs::read(data(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
    (relative.to_owned(), bytes)
}

/// The files under `tests/data/<dir>` whose names end in one of `endings`.
fn files(dir: &str, endings: &[&str]) -> Vec<(String, Vec<u8>)> {
    let entries = std::fs::read_dir(data(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| endings.iter().any(|ending| name.ends_with(ending)))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| read(format!("{dir}/{name}").trim_start_matches('/')))
        .collect()
}

/// A KMZ (a ZIP archive holding `doc.kml`) of `kml`.
fn kmz_of(kml: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    archive
        .start_file("doc.kml", options)
        .and_then(|()| Ok(archive.write_all(kml)?))
        .unwrap_or_else(|e| panic!("zip: {e}"));
    archive
        .finish()
        .unwrap_or_else(|e| panic!("zip: {e}"))
        .into_inner()
}

fn kmz_seeds() -> Vec<(String, Vec<u8>)> {
    files("kml", &[".kml"])
        .into_iter()
        .map(|(name, kml)| (format!("{name} zipped"), kmz_of(&kml)))
        .collect()
}

fn inline(texts: &[&str]) -> Vec<(String, Vec<u8>)> {
    texts
        .iter()
        .map(|text| (format!("{text:?}"), text.as_bytes().to_vec()))
        .collect()
}

const STORY_SEEDS: &[&str] = &[
    r#"{"event_atlas_story": 1, "dataset": "Fuzz", "story": {"title": "A walk", "steps": [
        {"title": "First", "text": "Here", "events": ["a", "b"], "time": "2024-03-22",
         "window": "P30D", "camera": {"lon": 37.6, "lat": 55.7, "zoom": 5}},
        {"title": "Second", "events": ["c", "x"], "map": "density", "filter": {"categories": ["q"]}}
    ]}}"#,
    r#"{"event_atlas_story": 1, "story": {"steps": []}}"#,
    r#"{"event_atlas_story": 2, "story": {}}"#,
];

const DATE_SEEDS: &[&str] = &[
    "2024-03-22",
    "2024-03",
    "2024",
    "-0043",
    "Y-170000000",
    "2024-03-22T19:58:30.123Z",
    "2024-03-22 19:58+03:00",
    "2023-11/2024-03-22",
    "../2024",
    "2024-03~/..",
    "2024-03-22?%",
    "20240322",
    "22/03/2024",
    "3/22/2024",
    "22.03.2024",
    "22 March 2024",
    "March 22, 2024",
    "1711137510",
    "1711137510123",
    "45373.5",
    "44 BC",
    "c. 1200",
    "the 1940s",
    "12th century",
    "Spring 1945",
    "1939 to 1945",
    "44 BC - AD 14",
];

/// The seeds of a target, by name.
fn seeds(name: &str) -> Vec<(String, Vec<u8>)> {
    match name {
        "atlas_json" | "atlas_stream" => {
            let mut seeds = files("", &[".json"]);
            let mut generated = Vec::new();
            event_atlas::generate::write_dataset(&mut generated, 12, 5)
                .unwrap_or_else(|e| panic!("generate: {e}"));
            seeds.push(("generated".to_owned(), generated));
            seeds
        }
        "geojson" => {
            let mut seeds = files("geojson", &[".geojson", ".geojsonl", ".json"]);
            seeds.push(read("places.geojson"));
            seeds
        }
        "table" => files("csv", &[".csv", ".tsv"]),
        "gdelt" => files("csv", &["gdelt1_style.tsv", "gdelt2_style.csv"]),
        "timelinejs" => files("timelinejs", &[".json"]),
        "storymap" => files("storymap", &[".json"]),
        "kml" => [files("kml", &[".kml"]), kmz_seeds()].concat(),
        "kmz" => kmz_seeds(),
        "timemap_json" => files("timemap", &[".json"]),
        "workbook" => [
            files("sheet", &[".xlsx", ".ods"]),
            files("timemap", &[".xlsx"]),
            files("csv", &[".xlsx"]),
        ]
        .concat(),
        "story" => inline(STORY_SEEDS),
        "dates" => inline(DATE_SEEDS),
        // The first byte picks the file name (`fuzzing::detect_format`): each file with a few.
        "detect" | "open" => {
            let mut all = Vec::new();
            for target in [
                "atlas_json",
                "geojson",
                "table",
                "timelinejs",
                "kml",
                "workbook",
            ] {
                for (index, (seed, bytes)) in seeds(target).into_iter().enumerate() {
                    let name_byte = (index * 5 + seed.len()) as u8;
                    all.push((seed, [&[name_byte][..], &bytes].concat()));
                }
            }
            all
        }
        other => panic!("no seeds for the fuzz target {other}"),
    }
}

/// The regression files of a target: inputs that once broke it.
fn regressions(name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = data("fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let prefix = format!("{name}-");
    let mut found: Vec<(String, Vec<u8>)> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|file| file.starts_with(&prefix) && file.ends_with(".bin"))
        .map(|file| read(&format!("fuzz-regressions/{file}")))
        .collect();
    found.sort();
    found
}

fn mutations() -> usize {
    std::env::var("EVENT_ATLAS_FUZZ_MUTATIONS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(MUTATIONS)
}

/// Runs a target on its seeds, its regressions and the mutations; returns the inputs run.
fn fuzz(name: &str) -> usize {
    let target = fuzzing::target(name).unwrap_or_else(|| panic!("no fuzz target {name}"));
    let seeds = seeds(name);
    assert!(!seeds.is_empty(), "{name} has seeds");
    let mut failures = Vec::new();
    let mut runs = 0;
    for (seed, bytes) in seeds.iter().chain(&regressions(name)) {
        failures.extend(run_one(target, seed, "as it is", bytes).err());
        runs += 1;
    }
    let per_seed = mutations();
    for (index, (seed, bytes)) in seeds.iter().enumerate() {
        // Truncations at every k-th position: a download cut short anywhere.
        let step = (bytes.len() / 16).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            failures.extend(run_one(target, seed, &format!("cut at {cut}"), &bytes[..cut]).err());
            runs += 1;
        }
        let mut rng = Rng::new(index as u64 + 1);
        for mutation in 0..per_seed {
            let rng_state = rng.0;
            let mut input = bytes.clone();
            for _ in 0..1 + rng.below(4) {
                mutate(&mut input, &seeds, &mut rng);
            }
            let what = format!("mutation {mutation} (xorshift state {rng_state:#x})");
            failures.extend(run_one(target, seed, &what, &input).err());
            runs += 1;
        }
        if failures.len() > 10 {
            break;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    runs
}

/// Inputs nested 100,000 deep in the places each reader recurses into, on a test thread's
/// default 2 MB stack.
fn nested(name: &str) {
    let target = fuzzing::target(name).unwrap_or_else(|| panic!("no fuzz target {name}"));
    let depth = 100_000;
    let deep = |open: &str, close: &str, before: &str, after: &str| {
        format!(
            "{before}{}{}{after}",
            open.repeat(depth),
            close.repeat(depth)
        )
        .into_bytes()
    };
    let mut inputs = vec![
        deep("[", "]", "", ""),
        deep("{\"a\":", "}", "", ""),
        deep("[", "]", "{\"events\": ", "}"),
        deep("[", "]", r#"{"events": [{"id": "a", "title": "#, "}]}"),
        deep(
            "[",
            "]",
            r#"{"type": "FeatureCollection", "features": "#,
            "}",
        ),
        deep(
            "[",
            "]",
            r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": "#,
            "}}",
        ),
        deep("[", "]", r#"{"events": [{"start_date": {"year": "#, "}}]}"),
        deep(
            "[",
            "]",
            r#"{"event_atlas_story": 1, "story": {"steps": "#,
            "}}",
        ),
        deep(
            "<Folder>",
            "</Folder>",
            "<kml><Document>",
            "</Document></kml>",
        ),
        deep(
            "<a>",
            "</a>",
            "<kml><Placemark><name>",
            "</name></Placemark></kml>",
        ),
    ];
    if name == "detect" || name == "open" {
        // The first byte names the file.
        inputs = inputs
            .into_iter()
            .map(|input| [vec![0u8], input].concat())
            .collect();
    }
    for input in inputs {
        let started = std::time::Instant::now();
        run_one(target, "nested 100,000 deep", "as it is", &input)
            .unwrap_or_else(|failure| panic!("{failure}"));
        // Linear readers take milliseconds; the KML reader once took 15 s here (it searched
        // the open elements at each element: the square of the depth).
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_secs(5),
            "{name}: {took:?} on {}…, nested 100,000 deep",
            String::from_utf8_lossy(&input[..input.len().min(60)])
        );
    }
}

macro_rules! fuzz_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let started = std::time::Instant::now();
                let runs = fuzz(stringify!($name));
                nested(stringify!($name));
                let took = started.elapsed().as_secs_f64();
                eprintln!("fuzz target {}: {runs} inputs in {took:.1} s", stringify!($name));
            }
        )*

        #[test]
        fn every_target_is_tested() {
            let tested = [$(stringify!($name)),*];
            for target in fuzzing::TARGETS {
                assert!(tested.contains(&target.name), "{} has no test here", target.name);
            }
        }
    };
}

fuzz_tests!(
    atlas_json,
    atlas_stream,
    geojson,
    table,
    gdelt,
    timelinejs,
    storymap,
    kml,
    kmz,
    timemap_json,
    workbook,
    story,
    dates,
    detect,
    open,
);

#[test]
fn the_mutator_is_deterministic() {
    let seeds = vec![("a".to_owned(), b"{\"events\": []}".to_vec())];
    let run = || {
        let mut rng = Rng::new(7);
        let mut input = seeds[0].1.clone();
        for _ in 0..50 {
            mutate(&mut input, &seeds, &mut rng);
        }
        input
    };
    let first = run();
    assert_eq!(first, run());
    assert_ne!(first, seeds[0].1, "fifty mutations change the input");
}
