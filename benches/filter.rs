//! Filter benchmarks: text search at a million generated events whose details stay on disk
//! (the file is bigger than `io::STREAM_ABOVE_BYTES`): building the search index, queries
//! through it, and the brute-force filter that reads every event's details again.
//! Numbers and the command that made them: docs/benchmarks.md.
//!
//! `EVENT_ATLAS_BENCH_SIZES=100000` changes the size (a smaller one for a quick look).

// Set-up in benchmarks may unwrap: a failure there is a broken benchmark, not a result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use event_atlas::model::Dataset;
use event_atlas::model::filter::{Filter, FilterContext};
use event_atlas::model::regions::EventRegions;
use event_atlas::model::search::SearchIndex;

// The allocator the app ships with (src/main.rs), so the index costs what it costs users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Queries: a city, two words of every tenth title, a common word with a number found in
/// many report numbers, and a word found nowhere.
const QUERIES: [&str; 4] = ["moscow", "evacuated buildings", "report 12", "zzzz"];

fn sizes() -> Vec<usize> {
    std::env::var("EVENT_ATLAS_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000_000])
}

/// The generated dataset written to a file and opened the way users open it: above
/// `STREAM_ABOVE_BYTES` its details stay on disk.
fn opened_from_disk(events: usize, path: &std::path::Path) -> Dataset {
    let mut bytes = Vec::new();
    event_atlas::generate::write_dataset(&mut bytes, events, 1).expect("generate");
    std::fs::write(path, &bytes).expect("write the generated file");
    let on_disk = bytes.len() as u64 > event_atlas::io::STREAM_ABOVE_BYTES;
    drop(bytes);
    let dataset = event_atlas::io::load_path(path).expect("valid").dataset;
    println!(
        "{events} events: details {}",
        if on_disk { "on disk" } else { "in memory" }
    );
    dataset
}

fn search(c: &mut Criterion) {
    let mut group = c.benchmark_group("filter");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for events in sizes() {
        let path = std::env::temp_dir().join(format!(
            "event-atlas-bench-filter-{}-{events}.json",
            std::process::id()
        ));
        let dataset = opened_from_disk(events, &path);
        let started = Instant::now();
        let index = SearchIndex::build(&dataset).expect("index");
        println!(
            "search index of {events} events: built in {:.2} s, {} tokens, {:.1} MB of heap",
            started.elapsed().as_secs_f64(),
            index.token_count(),
            index.heap_bytes() as f64 / 1e6
        );
        for query in QUERIES {
            let found = index.matching(query).map_or(0, |set| set.count());
            println!("{query:?}: {found} events");
        }
        group.bench_with_input(
            BenchmarkId::new("search_index_build", events),
            &dataset,
            |b, dataset| b.iter(|| black_box(SearchIndex::build(dataset).expect("index"))),
        );
        for query in QUERIES {
            let id = BenchmarkId::new(format!("search_index_matching/{query}"), events);
            group.bench_with_input(id, &index, |b, index| {
                b.iter(|| black_box(index.matching(black_box(query))));
            });
        }
        // For comparison: the filter without the index reads every event's details again.
        let brute_force = Filter {
            text: "moscow".to_owned(),
            ..Filter::default()
        };
        group.bench_with_input(
            BenchmarkId::new("brute_force_text/moscow", events),
            &dataset,
            |b, dataset| b.iter(|| black_box(brute_force.matching(dataset).expect("details"))),
        );
        filter_changes(&mut group, &dataset, &index, events);
        std::fs::remove_file(&path).ok();
    }
    group.finish();
}

/// A filter change as the app computes it off the UI thread (`Filter::outcome`: each
/// criterion's events, what each removes, the matches): a category hidden in the legend, a text
/// query of 3+ letters through the index, and both with a date range and a region.
fn filter_changes(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    dataset: &Dataset,
    index: &SearchIndex,
    events: usize,
) {
    let regions = EventRegions::new(
        dataset.events.iter().map(|e| e.location.region_code()),
        |_| None,
    );
    let context = FilterContext {
        regions: Some(&regions),
        search: Some(index),
    };
    let all_but_one: Vec<String> = dataset
        .categories
        .iter()
        .skip(1)
        .map(|c| c.id.clone())
        .collect();
    let extent = dataset.extent.expect("extent");
    let changes = [
        (
            "category_hidden",
            Filter {
                categories: all_but_one.clone(),
                ..Filter::default()
            },
        ),
        (
            "text_mos",
            Filter {
                text: "mos".to_owned(),
                ..Filter::default()
            },
        ),
        (
            "category_text_dates",
            Filter {
                categories: all_but_one,
                text: "moscow".to_owned(),
                span: Some(event_atlas::model::TimeRange {
                    start: extent.start,
                    end: (extent.start + extent.end) / 2,
                }),
                ..Filter::default()
            },
        ),
    ];
    for (name, filter) in changes {
        let found = filter
            .outcome(dataset, &context)
            .expect("outcome")
            .matches
            .count();
        println!("filter change {name}: {found} of {events} match");
        group.bench_with_input(
            BenchmarkId::new(format!("filter_change/{name}"), events),
            &filter,
            |b, filter| {
                b.iter(|| black_box(filter.outcome(dataset, &context).expect("outcome")));
            },
        );
    }
}

criterion_group!(benches, search);
criterion_main!(benches);
