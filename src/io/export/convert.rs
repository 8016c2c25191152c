//! `event-atlas convert IN OUT`: open a file in any format Event Atlas reads, write the events
//! (all, or those in a span of time and in some categories) to OUT in the format its extension
//! names. Nothing of the app, no window.

use std::path::Path;

use super::{EventFilter, ExportFormat, ExportSummary, write_file};
use crate::io::{self, ImportOptions, LoadError, LoadProgress, Loaded};
use crate::model::filter::FilterContext;
use crate::model::regions::EventRegions;
use crate::model::{Dataset, TimeRange, When};

/// What `convert` did: what was read, and what was written.
#[derive(Debug)]
pub struct Converted {
    /// The summary of the dataset read (as `check` prints it).
    pub read: String,
    /// What became of the rows, for an imported file.
    pub report: Option<String>,
    pub written: ExportSummary,
    /// The dataset read. Freeing a million events one by one takes longer than writing them:
    /// a command that ends next may `std::mem::forget` it.
    pub loaded: Loaded,
}

/// Why `convert` stopped; each line names the file and says what to do.
#[derive(Debug)]
pub enum ConvertError {
    /// The input could not be read (every error listed).
    Read(LoadError),
    /// The options or the output are wrong, or writing failed.
    Other(String),
}

impl ConvertError {
    /// The message, one line per problem.
    pub fn lines(&self) -> Vec<String> {
        match self {
            ConvertError::Read(error) => error.lines(),
            ConvertError::Other(message) => vec![message.clone()],
        }
    }
}

/// The span `--from FROM --to TO` asks for: from the start of FROM to the end of TO (so
/// `--to 2024-03` includes all of March). Dates are EDTF/ISO 8601: `2024`, `2024-03`,
/// `2024-03-22`, `2024-03-22T18:00`.
pub fn span_between(from: Option<&str>, to: Option<&str>) -> Result<Option<TimeRange>, String> {
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    let bound = |text: &str, option: &str| {
        When::parse(text.trim())
            .map(|when| when.provisional_span())
            .map_err(|error| {
                format!(
                    "{option} {text}: {}; write a date such as 2024-03-22, 2024-03 or 2024",
                    error.0
                )
            })
    };
    let start = match from {
        Some(text) => bound(text, "--from")?.start,
        None => i64::MIN,
    };
    let end = match to {
        Some(text) => bound(text, "--to")?.end,
        None => i64::MAX,
    };
    if start >= end {
        return Err(format!(
            "--from {} is after --to {}: nothing could match",
            from.unwrap_or_default(),
            to.unwrap_or_default()
        ));
    }
    Ok(Some(TimeRange { start, end }))
}

/// Reads `input` (with the columns chosen in `options`) and writes the events `filter` keeps to
/// `output`, atomically; refuses to write over `input`, or over an existing file unless
/// `replace`.
pub fn convert(
    input: &Path,
    options: &ImportOptions,
    output: &Path,
    filter: &EventFilter,
    replace: bool,
) -> Result<Converted, ConvertError> {
    convert_with_regions(input, options, output, filter, replace, None)
}

/// [`convert`], each event's region (for `--region`) found by `regions_of` (the app finds
/// points' regions on the basemap) rather than only named by the data.
pub fn convert_with_regions(
    input: &Path,
    options: &ImportOptions,
    output: &Path,
    filter: &EventFilter,
    replace: bool,
    regions_of: Option<&dyn Fn(&Dataset) -> EventRegions>,
) -> Result<Converted, ConvertError> {
    let format = ExportFormat::from_path(output)
        .ok_or_else(|| ConvertError::Other(ExportFormat::unknown_extension(output)))?;
    let loaded = io::load_path_whole(input, options, &LoadProgress::default())
        .map_err(ConvertError::Read)?;
    let dataset = &loaded.dataset;
    let unknown = filter.unknown_categories(dataset);
    if !unknown.is_empty() {
        let known: Vec<&str> = dataset.categories.iter().map(|c| c.id.as_str()).collect();
        return Err(ConvertError::Other(format!(
            "{}: no category {}; its categories are: {}",
            input.display(),
            unknown.join(", "),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )));
    }
    let regions = regions_of.map(|regions_of| regions_of(dataset));
    let context = FilterContext {
        regions: regions.as_ref(),
        search: None,
    };
    let events: Vec<usize> = filter
        .outcome(dataset, &context)
        .map_err(ConvertError::Other)?
        .matches
        .iter()
        .collect();
    let written = write_file(output, dataset, &events, format, Some(input), replace)
        .map_err(|error| ConvertError::Other(error.to_string()))?;
    Ok(Converted {
        read: dataset.summary_line(),
        report: loaded.report.as_ref().map(io::ImportReport::summary),
        written,
        loaded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_and_to_cover_their_whole_dates() {
        let span = span_between(Some("2024-03"), Some("2024-03"))
            .unwrap()
            .unwrap();
        let march = When::parse("2024-03").unwrap().provisional_span();
        assert_eq!(span, march);
        let open = span_between(None, Some("2024")).unwrap().unwrap();
        assert_eq!(open.start, i64::MIN);
        assert_eq!(span_between(None, None), Ok(None));
    }

    #[test]
    fn bad_or_reversed_dates_say_what_to_write() {
        let error = span_between(Some("22/03/2024"), None).unwrap_err();
        assert!(error.starts_with("--from 22/03/2024: "), "{error}");
        assert!(error.contains("such as 2024-03-22"), "{error}");
        let error = span_between(Some("2024-04"), Some("2024-03")).unwrap_err();
        assert_eq!(
            error,
            "--from 2024-04 is after --to 2024-03: nothing could match"
        );
    }
}
