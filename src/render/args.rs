//! What `event-atlas render` is told on the command line, read into what the renderer needs.

use std::path::Path;

use crate::io::export::same_file;
use crate::io::story::sidecar_path;
use crate::model::calendar::DAY;
use crate::model::when::When;
use crate::render::RenderError;

/// The smallest and largest picture side, in pixels.
pub const SIDE_RANGE: std::ops::RangeInclusive<u32> = 16..=8192;

/// The scales (pixels per point) accepted.
pub const SCALE_RANGE: std::ops::RangeInclusive<f32> = 0.5..=4.0;

/// Reads `--at`: a date as events are dated (`2024-03-22`, `2024-03-22T18:00`, `2024-03`,
/// `2024`), in Unix seconds. The playhead goes to the first instant of what is written: a day's
/// midnight (UTC), a month's first day, a year's 1 January. A time without a zone is UTC.
pub fn parse_at(text: &str) -> Result<i64, RenderError> {
    let bad = |reason: String| RenderError::BadDate {
        text: text.to_owned(),
        reason,
    };
    match When::parse(text) {
        Ok(When::Single(date)) => Ok(date.start()),
        Ok(When::Interval { .. }) => Err(bad("give one date, not an interval".to_owned())),
        // The date's own message may quote it again.
        Err(error) => Err(bad(error
            .0
            .strip_prefix(&format!("'{}': ", text.trim()))
            .map_or_else(|| error.0.clone(), str::to_owned))),
    }
}

/// Reads `--size WxH` (pixels), e.g. `1360x860`.
pub fn parse_size(text: &str) -> Result<[u32; 2], RenderError> {
    let bad = || RenderError::BadSize(text.to_owned());
    let (width, height) = text.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let side = |side: &str| {
        side.trim()
            .parse::<u32>()
            .ok()
            .filter(|side| SIDE_RANGE.contains(side))
            .ok_or_else(bad)
    };
    Ok([side(width)?, side(height)?])
}

/// Reads `--window DAYS` (a positive number of days, fractions allowed) into seconds.
pub fn parse_window_days(text: &str) -> Result<i64, RenderError> {
    let days = text
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|days| days.is_finite() && *days > 0.0)
        .ok_or_else(|| RenderError::BadWindow(text.to_owned()))?;
    // The app keeps windows between a minute and a billion years.
    Ok((days * DAY as f64).round().min(i64::MAX as f64) as i64)
}

/// Reads `--scale` (pixels per point).
pub fn parse_scale(text: &str) -> Result<f32, RenderError> {
    text.trim()
        .parse::<f32>()
        .ok()
        .filter(|scale| SCALE_RANGE.contains(scale))
        .ok_or_else(|| RenderError::BadScale(text.to_owned()))
}

/// Refuses an `--out` that names the dataset file being drawn, or its story file: `render`
/// writes only the picture (or the animation) it was asked for.
pub fn check_out(out: &Path, file: Option<&Path>) -> Result<(), RenderError> {
    match file {
        Some(file) if same_file(out, file) => {
            Err(RenderError::WouldOverwriteSource(out.to_path_buf()))
        }
        Some(file) if same_file(out, &sidecar_path(file)) => {
            Err(RenderError::WouldOverwriteStory(out.to_path_buf()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::days_from_civil;

    #[test]
    fn dates_put_the_playhead_at_their_first_instant() {
        let day = days_from_civil(2024, 3, 22) * DAY;
        assert_eq!(parse_at("2024-03-22").unwrap(), day);
        assert_eq!(parse_at("2024-03-22T18:00").unwrap(), day + 18 * 3600);
        assert_eq!(parse_at("2024-03-22T18:00+03:00").unwrap(), day + 15 * 3600);
        assert_eq!(
            parse_at("2024-03").unwrap(),
            days_from_civil(2024, 3, 1) * DAY
        );
        assert_eq!(parse_at("2024").unwrap(), days_from_civil(2024, 1, 1) * DAY);
    }

    #[test]
    fn bad_dates_say_what_is_wrong() {
        let message = parse_at("2024-02-30").unwrap_err().to_string();
        assert!(message.starts_with("--at '2024-02-30': "), "{message}");
        assert_eq!(message.matches("2024-02-30").count(), 1, "{message}");
        let message = parse_at("2023-11/2024-03").unwrap_err().to_string();
        assert!(message.contains("not an interval"), "{message}");
        assert!(parse_at("yesterday").is_err());
        assert!(parse_at("").is_err());
    }

    #[test]
    fn sizes_are_width_by_height() {
        assert_eq!(parse_size("1360x860").unwrap(), [1360, 860]);
        assert_eq!(parse_size("640X480").unwrap(), [640, 480]);
        for bad in ["1360", "0x10", "x860", "1360x", "-5x10", "99999x10", "axb"] {
            let message = parse_size(bad).unwrap_err().to_string();
            assert!(message.contains("e.g. 1360x860"), "{bad}: {message}");
        }
    }

    #[test]
    fn windows_are_days() {
        assert_eq!(parse_window_days("14").unwrap(), 14 * DAY);
        assert_eq!(parse_window_days("0.5").unwrap(), DAY / 2);
        for bad in ["0", "-3", "NaN", "inf", "two"] {
            assert!(parse_window_days(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_dataset_drawn_and_its_story_file_are_never_the_output() {
        let folder = std::env::temp_dir().join(format!("event-atlas-out-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let data = folder.join("events.json");
        std::fs::write(&data, "{}").unwrap();
        let twisted = folder
            .join("..")
            .join(folder.file_name().unwrap())
            .join("events.json");
        for out in [data.clone(), twisted, folder.join("events.json.story.json")] {
            let message = check_out(&out, Some(&data)).unwrap_err().to_string();
            assert!(message.contains("never written over"), "{message}");
        }
        assert!(check_out(&folder.join("events.png"), Some(&data)).is_ok());
        assert!(check_out(&data, None).is_ok());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn scales_are_bounded() {
        assert_eq!(parse_scale("2").unwrap(), 2.0);
        assert!(parse_scale("0").is_err());
        assert!(parse_scale("10").is_err());
    }
}
