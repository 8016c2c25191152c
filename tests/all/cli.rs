//! Runs the real `event-atlas` binary: `check`, its exit status and output, and `--help`.
//!
//! Tests marked `#[ignore = "bug: ..."]` describe how `check` should behave and currently does
//! not; run them with `cargo test --test all cli:: -- --ignored`.

use std::process::{Command, Output};

/// Runs `event-atlas ARGS` in the crate's folder, so relative paths name files of the repository.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_event-atlas"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .output()
        .unwrap_or_else(|error| panic!("cannot run event-atlas: {error}"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone())
        .unwrap_or_else(|error| panic!("stdout is not UTF-8: {error}"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone())
        .unwrap_or_else(|error| panic!("stderr is not UTF-8: {error}"))
}

/// `N events, M with a place, A to B` (or `1 event, ...`): `(N, M, A, B)`.
fn parse_summary(line: &str) -> Option<(usize, usize, String, String)> {
    let (count, rest) = line
        .split_once(" events, ")
        .or_else(|| line.split_once(" event, "))?;
    let (located, range) = rest.split_once(" with a place, ")?;
    let (from, to) = range.split_once(" to ")?;
    let is_date = |s: &str| {
        s.len() >= 4
            && s.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'T' | b':' | b'Z'))
    };
    if !is_date(from) || !is_date(to) {
        return None;
    }
    Some((
        count.parse().ok()?,
        located.parse().ok()?,
        from.to_owned(),
        to.to_owned(),
    ))
}

#[test]
fn check_builtin_dataset_prints_a_summary_and_exits_0() {
    let output = run(&["check", "assets/crocus.json"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let stdout = stdout(&output);
    let first = stdout.lines().next().expect("a summary line");
    assert!(first.starts_with("14 events, "), "{first}");
    let (count, located, from, to) = parse_summary(first)
        .unwrap_or_else(|| panic!("not `N events, M with a place, A to B`: {first}"));
    assert_eq!(count, 14);
    assert!(located <= count);
    assert!(from <= to, "{from} to {to}");
    // The exact line of docs/format.md.
    assert_eq!(first, "14 events, 5 with a place, 2023-11 to 2024-03");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    // No errors and no warnings.
    assert_eq!(stderr(&output), "");
}

#[test]
fn check_minimal_file() {
    let output = run(&["check", "tests/data/minimal.json"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), "1 event, 0 with a place, 2024-03-22\n");
    assert_eq!(
        parse_summary("1 event, 0 with a place, 2024-03-22 to 2024-03-22"),
        Some((1, 0, "2024-03-22".to_owned(), "2024-03-22".to_owned()))
    );
    assert_eq!(stderr(&output), "");
}

#[test]
fn check_errors_file_prints_every_error_and_exits_1() {
    // tests/data/errors.json is the `bad.json` example of docs/format.md: six errors and two
    // warnings, printed errors first in file order, then the warnings.
    let path = "tests/data/errors.json";
    let output = run(&["check", path]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "", "no summary when the file has errors");
    let stderr = stderr(&output);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 8, "{stderr}");
    let mut positions = Vec::new();
    for line in &lines {
        let rest = line
            .strip_prefix(&format!("{path}:"))
            .unwrap_or_else(|| panic!("does not start with the path: {line}"));
        let mut parts = rest.splitn(3, ':');
        let line_number: usize = parts.next().unwrap().parse().expect(line);
        let column: usize = parts.next().unwrap().parse().expect(line);
        assert!(parts.next().unwrap().starts_with(' '), "{line}");
        positions.push((line_number, column));
    }
    let errors = lines.iter().filter(|l| !l.contains(": warning: ")).count();
    assert_eq!(errors, 6);
    // Errors in file order, then warnings in file order.
    assert!(positions[..6].is_sorted(), "{positions:?}");
    assert!(positions[6..].is_sorted(), "{positions:?}");
    // Every problem of errors.json, as `line:column: message` (shared with the other tests).
    let expected: Vec<String> = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/errors.expected"
    ))
    .unwrap()
    .lines()
    .map(|line| format!("{path}:{line}"))
    .collect();
    assert_eq!(lines, expected);
}

#[test]
fn check_half_written_file_says_it_ends_too_early() {
    let output = run(&["check", "tests/data/half.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "tests/data/half.json:5:59: the file ends too early (is it complete? it may still be being written)\n"
    );
}

#[test]
fn check_with_warnings_only_exits_0_and_prints_them_to_stderr() {
    let output = run(&["check", "tests/data/warnings.json"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    // The summary stays the first (and only) line of stdout.
    assert_eq!(stdout(&output), "1 event, 0 with a place, 2024-03\n");
    let path = "tests/data/warnings.json";
    assert_eq!(
        stderr(&output),
        format!(
            "{path}:8:16: warning: event \"a\", field \"titel\": unknown field (did you mean \"title\"?); ignored\n\
             {path}:10:58: warning: event \"a\", field \"sources[0].url\": \"example.org/page\" is not a web address (https://…); shown as text\n"
        )
    );
}

#[test]
fn check_missing_file_exits_1_naming_the_file() {
    let output = run(&["check", "tests/data/no-such-file.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "tests/data/no-such-file.json: cannot read the file: no such file\n"
    );
}

#[test]
fn check_folder_exits_1() {
    let output = run(&["check", "tests/data"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "tests/data: cannot read the file: this is a folder, not a file\n"
    );
}

#[test]
fn check_without_a_file_checks_the_built_in_story() {
    // What an installed package can check without any file: the story inside the binary.
    let from_file = run(&["check", "assets/crocus.json"]);
    for args in [&["check"][..], &["check", "--builtin"]] {
        let output = run(args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stdout(&output), stdout(&from_file), "{args:?}");
        assert_eq!(stderr(&output), "");
    }
    let filtered = run(&["check", "--builtin", "--region", "RU-IN"]);
    assert_eq!(
        stdout(&filtered).lines().next(),
        Some("1 of 14 events matches")
    );
    let unknown = run(&["check", "--category", "nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(
        stderr(&unknown),
        "built-in: crocus.json: no category nope\n"
    );
    // Both a file and --builtin: a usage error.
    let both = run(&["check", "--builtin", "assets/crocus.json"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(
        stderr(&both).contains("cannot be used with"),
        "{}",
        stderr(&both)
    );
}

#[test]
fn help_mentions_check() {
    let output = run(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    assert!(
        help.lines()
            .any(|line| line.trim_start().starts_with("check ")),
        "{help}"
    );
    assert!(help.contains("Validate a dataset"), "{help}");
    let output = run(&["check", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("[FILE]"), "{}", stdout(&output));
    assert!(stdout(&output).contains("--builtin"), "{}", stdout(&output));
}

#[test]
fn summary_counts_region_only_events_as_placed() {
    // docs/format.md: "with a place" counts place references, points and regions, whether or not
    // the region is on the basemap (one that is not shows on the timeline only). A single-month
    // extent is printed once.
    let output = run(&["check", "tests/data/offmap-region.json"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), "1 event, 1 with a place, 2024-03\n");
}

#[test]
fn check_of_a_geojson_file_without_dates_says_why_nothing_opens() {
    let output = run(&["check", "tests/data/places.geojson"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "tests/data/places.geojson: no feature has a date property Event Atlas knows by name (time, start, end, date, datetime, timestamp, event_date, when); found properties: name. Choose the date property in the import dialog, or on the command line with --time NAME\n"
    );
}

#[test]
fn check_of_a_geojson_feed_prints_the_import_report() {
    let output = run(&["check", "tests/data/geojson/usgs_feed.geojson"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "3 events, 2 with a place, 2024-03-22T06:46Z to 2024-03-22T19:58Z\n\
         GeoJSON: 4 features → 3 events (1 without a place); 1 skipped: 1 without a date\n"
    );
}

#[test]
fn check_with_filters_says_how_many_events_match_first() {
    let output = run(&[
        "check",
        "assets/crocus.json",
        "--region",
        "RU-IN",
        "--text",
        "OPERATION",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("1 of 14 events matches"));
    assert!(
        parse_summary(lines.next().unwrap_or_default()).is_some(),
        "{text}"
    );
    let some = run(&[
        "check",
        "assets/crocus.json",
        "--from",
        "2024-03-20",
        "--category",
        "attack",
        "--category",
        "claim",
    ]);
    assert!(
        stdout(&some).starts_with("2 of 14 events match\n"),
        "{}",
        stdout(&some)
    );
    let unknown = run(&["check", "assets/crocus.json", "--category", "nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("no category nope"),
        "{}",
        stderr(&unknown)
    );
    let bad_date = run(&["check", "assets/crocus.json", "--from", "soon"]);
    assert_eq!(bad_date.status.code(), Some(1));
    assert!(
        stderr(&bad_date).contains("--from soon: "),
        "{}",
        stderr(&bad_date)
    );
}
