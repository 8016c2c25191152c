//! The Event Atlas JSON format (`docs/format.md`): clean files are read by the streaming reader
//! (`fast.rs`); anything else by the positional reader (`json.rs`), which says where every
//! problem is. Both check the format's rules (`rules.rs`) and end in the same assembly step.

use std::path::Path;
use std::sync::Arc;

use super::details::{FileDetails, MemoryDetails};
use super::fast::{self, Streamed};
use super::{LoadError, LoadProgress, Loaded, io_error, json, read_whole};

/// Reads a dataset from its bytes, kept in memory for the events' details.
pub(super) fn read_bytes(
    bytes: &[u8],
    file: &str,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    read_owned(bytes.to_vec(), file, progress)
}

/// [`read_bytes`] of bytes read from a file, kept (not copied) for the events' details.
fn read_owned(bytes: Vec<u8>, file: &str, progress: &LoadProgress) -> Result<Loaded, LoadError> {
    // Clean files (the common case) load in one typed pass; anything else goes through the
    // positional reader, which reports every problem with its line and column.
    let streamed = fast::stream_clean(
        bytes.as_slice(),
        bytes.len() as u64,
        file,
        progress,
        json::read_event,
    )
    .map_err(|error| io_error(file, progress, &error))?;
    if let Some(Streamed {
        mut dataset,
        warnings,
        events_need_no_remark,
    }) = streamed
    {
        let details = MemoryDetails::new(bytes);
        let warnings = fast::place_warnings(details.bytes(), warnings)
            .map_err(|error| io_error(file, progress, &error))?;
        dataset.details = Some(Arc::new(details));
        progress.set_fraction(1.0);
        return Ok(Loaded {
            dataset,
            warnings,
            report: None,
            events_need_no_remark,
        });
    }
    if progress.is_cancelled() {
        return Err(LoadError::Cancelled {
            file: file.to_owned(),
        });
    }
    json::parse_positional_bytes(&bytes, file, progress)
}

/// Reads a dataset file: read whole up to `stream_above` bytes, streamed above (its events'
/// details are then read again from the file when shown).
pub(super) fn read_path(
    path: &Path,
    file: &str,
    progress: &LoadProgress,
    stream_above: u64,
) -> Result<Loaded, LoadError> {
    let fail = |error: std::io::Error| io_error(file, progress, &error);
    let handle = std::fs::File::open(path).map_err(fail)?;
    let len = handle.metadata().map_err(fail)?.len();
    if len <= stream_above {
        drop(handle);
        let bytes = read_whole(path, progress, 0.3).map_err(fail)?;
        return read_owned(bytes, file, progress);
    }
    let before = FileDetails::of(path.to_path_buf()).map_err(fail)?;
    // The stream checks for a cancel between blocks.
    if let Some(Streamed {
        mut dataset,
        warnings,
        events_need_no_remark,
    }) = fast::stream_clean(handle, len, file, progress, json::read_event).map_err(fail)?
    {
        // Details are read again by byte range: the file must not change under the ranges.
        if !before.unchanged() {
            return Err(LoadError::Io {
                file: file.to_owned(),
                message:
                    "the file changed while it was being read; open it again when it is complete"
                        .to_owned(),
            });
        }
        let warnings = if warnings.is_empty() {
            Vec::new()
        } else {
            // Warnings are placed by line and column: count them in the file once more.
            let reader = std::fs::File::open(path).map_err(fail)?;
            fast::place_warnings(reader, warnings).map_err(fail)?
        };
        dataset.details = Some(Arc::new(before));
        progress.set_fraction(1.0);
        return Ok(Loaded {
            dataset,
            warnings,
            report: None,
            events_need_no_remark,
        });
    }
    if progress.is_cancelled() {
        return Err(LoadError::Cancelled {
            file: file.to_owned(),
        });
    }
    // Not clean: the positional reader needs the whole text to say where each problem is.
    super::refuse_past(path, file, super::WHOLE_FILE_LIMIT, "Event Atlas JSON")
        .map_err(|_| unclean_too_big(file, len))?;
    progress.set_fraction(0.0);
    let bytes = read_whole(path, progress, 0.3).map_err(fail)?;
    json::parse_positional_bytes(&bytes, file, progress)
}

/// A big file that the stream could not read, too big for the positional reader.
fn unclean_too_big(file: &str, len: u64) -> LoadError {
    LoadError::whole_file(
        file,
        None,
        format!(
            "this Event Atlas JSON file is {} and not clean (not valid JSON, or with problems): such a file is checked whole, up to {}; check a smaller part of it to see where, or fix it with a streaming tool",
            super::size_in_words(len),
            super::size_in_words(super::WHOLE_FILE_LIMIT)
        ),
    )
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::model::Dataset;
    use fast::{BLOCK, PARALLEL_FROM_BYTES, split_point, stream_with_block};

    /// The streamed dataset, if the file is clean: no warning, no error.
    fn clean(bytes: &[u8], block: usize) -> Option<Dataset> {
        let progress = LoadProgress::default();
        let Streamed {
            mut dataset,
            warnings,
            ..
        } = stream_with_block(
            bytes,
            bytes.len() as u64,
            "test.json",
            &progress,
            json::read_event,
            block,
        )
        .unwrap()?;
        dataset.details = Some(Arc::new(MemoryDetails::new(bytes)));
        warnings.is_empty().then_some(dataset)
    }

    fn both(text: &str) -> (Option<Dataset>, Dataset) {
        let progress = LoadProgress::default();
        let fast = clean(text.as_bytes(), BLOCK);
        let slow = json::parse_positional(text, "test.json", &progress)
            .map(|loaded| loaded.dataset)
            .unwrap_or_default();
        (fast, slow)
    }

    /// Hands out a few bytes per read, so values straddle every possible window edge.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.1 = self.1 % 7 + 1;
            let n = self.1.min(buf.len()).min(self.0.len());
            let (now, later) = self.0.split_at(n);
            buf.get_mut(..n).unwrap().copy_from_slice(now);
            self.0 = later;
            Ok(n)
        }
    }

    #[test]
    fn clean_files_load_the_same_on_both_paths() {
        let crocus = std::str::from_utf8(crate::builtin::CROCUS_JSON).unwrap();
        let (fast, slow) = both(crocus);
        assert!(!slow.events.is_empty());
        assert_eq!(fast.as_ref(), Some(&slow), "the built-in dataset");
        let mut generated = Vec::new();
        crate::generate::write_dataset(&mut generated, 3000, 9).unwrap();
        let (fast, slow) = both(std::str::from_utf8(&generated).unwrap());
        assert!(!slow.links.is_empty());
        assert_eq!(fast.as_ref(), Some(&slow), "a generated dataset");
        let with_nulls = r#"{"title": "T", "format": null, "categories": null, "events": [
            {"id": "a", "title": "A", "when": "2024", "actors": null, "links": null, "sources": null,
             "category": "x", "summary": null, "where": {"region": "RU-IN", "name": null}},
            {"id": "b", "title": "B", "when": "../2024-03-07", "links": [{"to": "a", "kind": null}]}
        ]}"#;
        let (fast, slow) = both(with_nulls);
        assert_eq!(
            fast.as_ref(),
            Some(&slow),
            "nulls count as absent on both paths"
        );
    }

    #[test]
    fn values_cut_by_the_window_edge_load_the_same() {
        let mut generated = Vec::new();
        crate::generate::write_dataset(&mut generated, 300, 4).unwrap();
        let whole = clean(&generated, BLOCK).unwrap();
        // A tiny window that must grow and slide, and a reader that trickles.
        let progress = LoadProgress::default();
        for block in [1, 5, 64, 1000] {
            let Streamed {
                dataset: mut small,
                warnings,
                ..
            } = stream_with_block(
                Trickle(&generated, 0),
                generated.len() as u64,
                "test.json",
                &progress,
                json::read_event,
                block,
            )
            .unwrap()
            .unwrap();
            assert!(warnings.is_empty());
            small.details = Some(Arc::new(MemoryDetails::new(generated.as_slice())));
            assert_eq!(small, whole, "window of {block} bytes");
        }
        // A byte-order mark is skipped, and ranges still point at the events.
        let mut with_bom = "\u{feff}".as_bytes().to_vec();
        with_bom.extend_from_slice(crate::builtin::CROCUS_JSON);
        let crocus = clean(crate::builtin::CROCUS_JSON, BLOCK).unwrap();
        assert_eq!(clean(&with_bom, 16), Some(crocus));
    }

    #[test]
    fn a_boundary_guessed_inside_a_string_is_caught() {
        // Every summary looks like the boundary between two records.
        let mut text = String::from(r#"{"title": "T", "events": ["#);
        for i in 0..12_000 {
            if i > 0 {
                text.push_str(",\n");
            }
            text.push_str(&format!(
                r#"{{"id": "e{i}", "title": "E", "when": "2024", "summary": "{}", "links": [{{"to": "e0"}}]}}"#,
                "}, {x".repeat(40)
            ));
        }
        text.push_str("]}");
        assert!(text.len() > 2 * PARALLEL_FROM_BYTES);
        // The guess the loader makes on its first window falls inside a summary.
        let records = &text.as_bytes()[text.find("[{").unwrap() + 1..];
        let guess = split_point(records).unwrap();
        assert!(records[guess..].trim_ascii_start().starts_with(b"{x"));
        let (fast, slow) = both(&text);
        assert_eq!(slow.events.len(), 12_000);
        assert_eq!(fast.as_ref(), Some(&slow));
        assert_eq!(split_point(br#"[{"a": 1}, {"a": 2}, {"a": 3}]"#), Some(20));
    }

    #[test]
    fn details_are_read_again_from_the_file_and_a_changed_file_says_so() {
        let path =
            std::env::temp_dir().join(format!("event-atlas-details-{}.json", std::process::id()));
        std::fs::write(&path, crate::builtin::CROCUS_JSON).unwrap();
        let progress = LoadProgress::default();
        let file = std::fs::File::open(&path).unwrap();
        let mut dataset = fast::stream_clean(file, 0, "test.json", &progress, json::read_event)
            .unwrap()
            .unwrap()
            .dataset;
        dataset.details = Some(Arc::new(FileDetails::of(path.clone()).unwrap()));
        let in_memory = clean(crate::builtin::CROCUS_JSON, BLOCK).unwrap();
        assert_eq!(dataset, in_memory);
        let crocus = dataset.find("crocus-attack").unwrap();
        let first = dataset.details(crocus).unwrap();
        assert!(!first.sources.is_empty());
        // Asked again (every frame while selected): the same, from the few kept.
        assert_eq!(dataset.details(crocus).unwrap(), first);
        assert_eq!(dataset.details(0).unwrap(), in_memory.details(0).unwrap());
        assert_eq!(dataset.details(crocus).unwrap(), first);
        // Rewritten: the byte ranges may no longer match, and the panel says so.
        let mut changed = crate::builtin::CROCUS_JSON.to_vec();
        changed.push(b'\n');
        std::fs::write(&path, &changed).unwrap();
        let problem = dataset.details(crocus).unwrap_err();
        assert!(problem.contains("changed on disk"), "{problem}");
        assert!(problem.contains("reload"), "{problem}");
        // What every frame needs is still there.
        assert_eq!(dataset.events[crocus].id(), "crocus-attack");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn events_with_warnings_stream_and_load_as_the_positional_reader_loads_them() {
        let crocus = std::str::from_utf8(crate::builtin::CROCUS_JSON).unwrap();
        let warned = [
            // An unknown field, an insecure address, a typo'd field on the last event.
            crocus.replacen("\"summary\"", "\"note\": 1, \"summary\"", 1),
            crocus.replacen("\"url\": \"https://", "\"url\": \"http://", 2),
            crocus.replacen("\"actors\"", "\"actros\": [], \"actors\"", 3),
        ];
        for text in &warned {
            let progress = LoadProgress::default();
            let streamed = super::super::parse_dataset(text.as_bytes(), "test.json").unwrap();
            let positional = json::parse_positional(text, "test.json", &progress).unwrap();
            assert!(!positional.warnings.is_empty());
            assert_eq!(
                streamed.warnings, positional.warnings,
                "{}",
                positional.warnings[0]
            );
            assert_eq!(streamed.dataset, positional.dataset);
            // The fast path really took it (no full fallback): its details are decoded again.
            assert!(clean(text.as_bytes(), BLOCK).is_none());
            let streamed = stream_with_block(
                text.as_bytes(),
                0,
                "test.json",
                &progress,
                json::read_event,
                7,
            )
            .unwrap()
            .unwrap();
            assert_eq!(streamed.warnings.len(), positional.warnings.len());
        }
        // Categories first seen in a remarked event keep their place in the order.
        let text = r#"{"title": "T", "events": [
            {"id": "a", "title": "A", "when": "2024", "category": "x"},
            {"id": "b", "title": "B", "when": "2024", "category": "y", "extra": 1},
            {"id": "c", "title": "C", "when": "2024", "category": "z"},
            {"id": "d", "title": "D", "when": "2024", "category": "y"}
        ]}"#;
        let streamed = super::super::parse_dataset(text.as_bytes(), "test.json").unwrap();
        let positional =
            json::parse_positional(text, "test.json", &LoadProgress::default()).unwrap();
        assert_eq!(streamed.dataset, positional.dataset);
        assert_eq!(streamed.warnings, positional.warnings);
        let ids: Vec<&str> = streamed
            .dataset
            .categories
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["x", "y", "z"]);
    }

    #[test]
    fn damaged_big_files_load_as_the_positional_reader_loads_them() {
        // Big enough that every window is split between the two threads.
        let mut generated = Vec::new();
        crate::generate::write_dataset(&mut generated, 8000, 5).unwrap();
        assert!(generated.len() > 2 * PARALLEL_FROM_BYTES);
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut loaded, mut refused) = (0, 0);
        for round in 0..24 {
            let mut damaged = generated.clone();
            for _ in 0..=round % 3 {
                let at = (next() % damaged.len() as u64) as usize;
                damaged[at] = b"{}[],:\"\\ x1\xff"[(next() % 12) as usize];
            }
            let streamed = super::super::parse_dataset(&damaged, "test.json");
            let positional = match std::str::from_utf8(&damaged) {
                Ok(text) => json::parse_positional(text, "test.json", &LoadProgress::default()),
                Err(_) => {
                    json::parse_positional_bytes(&damaged, "test.json", &LoadProgress::default())
                }
            };
            match (streamed, positional) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.warnings, b.warnings, "round {round}");
                    assert_eq!(a.dataset, b.dataset, "round {round}");
                    loaded += 1;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "round {round}");
                    refused += 1;
                }
                (a, b) => panic!("round {round}: {:?} / {:?}", a.is_ok(), b.is_ok()),
            }
        }
        // Both kinds of outcome were compared.
        assert!(
            loaded > 0 && refused > 0,
            "{loaded} loaded, {refused} refused"
        );
    }

    #[test]
    fn anything_the_positional_reader_would_remark_on_is_left_to_it() {
        for text in [
            r#"{"events": []}"#,
            r#"{"title": "T", "events": [], "extra": 1}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "sumary": "x"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024-02-30"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024"}, {"id": "a", "title": "B", "when": "2024"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "links": [{"to": "b"}]}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": {"lat": 91, "lon": 0}}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": "nowhere"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "", "when": "2024"}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "sources": [{"title": "S", "url": "http://x"}]}]}"#,
            r#"{"title": "T", "categories": [{"id": "c"}], "events": [{"id": "a", "title": "A", "when": "2024", "category": "d"}]}"#,
            r#"{"title": "T", "title": "U", "events": []}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": {"lat": 1}}]}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024", "where": {"region": "Kaluga"}}]}"#,
            // Places after the events cannot be streamed; the positional reader takes them.
            r#"{"title": "T", "events": [], "places": []}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024"}]} x"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024"}"#,
            r#"{"title": "T", "events": [{"id": "a", "title": "A", "when": "2024"},]}"#,
            r#"{"title": "T", "events": null}"#,
        ] {
            assert!(clean(text.as_bytes(), BLOCK).is_none(), "{text}");
            assert!(clean(text.as_bytes(), 3).is_none(), "{text}");
        }
    }
}
