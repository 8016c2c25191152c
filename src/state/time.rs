//! Time control: the playhead, the time window and playback. Plain data, no UI.

use serde::{Deserialize, Serialize};

pub use crate::model::PlaybackMode;
use crate::model::{TimeRange, calendar::DAY};

/// A year of 365 days, in seconds (the unit of long windows).
const YEAR: i64 = 365 * DAY;

/// Speeds offered for playback, in days of data per second; those from 10 years a second up
/// are offered only for data that spans long enough ([`speeds_for`]).
pub const SPEEDS: [f64; 12] = [
    0.25, 1.0, 3.0, 7.0, 30.0, 365.0, 3_650.0, 36_500.0, 365_000.0, 3.65e7, 3.65e8, 3.65e11,
];

/// Windows offered, in seconds; those over a year only for data that spans long enough
/// ([`windows_for`]).
pub const WINDOWS: [i64; 13] = [
    DAY,
    3 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
    90 * DAY,
    YEAR,
    10 * YEAR,
    100 * YEAR,
    1_000 * YEAR,
    1_000_000 * YEAR,
    100_000_000 * YEAR,
    1_000_000_000 * YEAR,
];

/// The window of the cumulative mode: longer than any data (and far from overflowing when
/// subtracted from any playhead).
pub const CUMULATIVE_WINDOW: i64 = i64::MAX / 4;

/// The longest window: a billion years (deep-time data).
pub const MAX_WINDOW: i64 = 1_000_000_000 * YEAR;

/// The speeds worth offering for data spanning `extent`: the everyday ones, and faster ones up
/// to crossing the data in about three seconds.
pub fn speeds_for(extent: Option<TimeRange>) -> Vec<f64> {
    let span_days = extent.map_or(0.0, |e| e.duration() as f64 / DAY as f64);
    SPEEDS
        .iter()
        .copied()
        .enumerate()
        .filter(|&(i, speed)| i < 6 || speed * 3.0 <= span_days)
        .map(|(_, speed)| speed)
        .collect()
}

/// The windows worth offering for data spanning `extent`: up to a year always, longer ones up
/// to the data's length.
pub fn windows_for(extent: Option<TimeRange>) -> Vec<i64> {
    let span = extent.map_or(0, |e| e.duration());
    WINDOWS
        .iter()
        .copied()
        .enumerate()
        .filter(|&(i, window)| i < 7 || window <= span)
        .map(|(_, window)| window)
        .collect()
}

/// The playhead, how far back the map shows, and playback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeControl {
    /// Unix seconds (UTC). Events starting after it are hidden.
    pub playhead: i64,
    /// Seconds back from the playhead in which events are shown in full; older ones fade.
    pub window: i64,
    #[serde(skip)]
    pub playing: bool,
    /// Days of data per second of playback.
    pub speed: f64,
    /// Window, cumulative or at the playhead.
    pub mode: PlaybackMode,
    /// Playback jumps over stretches of time without any matching event.
    pub skip_empty: bool,
}

impl Default for TimeControl {
    fn default() -> Self {
        Self {
            playhead: 0,
            window: 14 * DAY,
            playing: false,
            speed: 1.0,
            mode: PlaybackMode::Window,
            skip_empty: false,
        }
    }
}

impl TimeControl {
    /// A control with the playhead at the end of `extent`, so every event is visible.
    pub fn at_end_of(extent: Option<TimeRange>) -> Self {
        let mut control = Self::default();
        if let Some(extent) = extent {
            control.playhead = extent.end - 1;
        }
        control
    }

    /// Moves the playhead, kept inside `extent`.
    pub fn set_playhead(&mut self, playhead: i64, extent: Option<TimeRange>) {
        self.playhead = match extent {
            Some(extent) => playhead.clamp(extent.start, extent.end - 1),
            None => playhead,
        };
    }

    /// How far back from the playhead events are shown in full, in this mode: the window, all
    /// of time (cumulative) or nothing before the playhead (only spans covering it).
    pub fn shown_window(&self) -> i64 {
        match self.mode {
            PlaybackMode::Window => self.window,
            PlaybackMode::Cumulative => CUMULATIVE_WINDOW,
            PlaybackMode::AtPlayhead => 0,
        }
    }

    /// The stretch of time shaded behind the timeline as shown in full: the window before the
    /// playhead, everything from the data's start (cumulative), or nothing at the playhead
    /// (its line alone says it).
    pub fn shaded_span(&self, extent: Option<TimeRange>) -> Option<TimeRange> {
        let start = match self.mode {
            PlaybackMode::Window => self.playhead.saturating_sub(self.window),
            PlaybackMode::Cumulative => extent.map_or(self.playhead, |e| e.start),
            PlaybackMode::AtPlayhead => return None,
        };
        (start < self.playhead).then_some(TimeRange {
            start,
            end: self.playhead,
        })
    }

    pub fn set_window(&mut self, window: i64) {
        self.window = window.clamp(60, MAX_WINDOW);
    }

    /// Starts or pauses playback; starting at the end rewinds to the start first.
    pub fn toggle_play(&mut self, extent: Option<TimeRange>) {
        self.playing = !self.playing;
        if self.playing
            && let Some(extent) = extent
            && self.playhead >= extent.end - 1
        {
            self.playhead = extent.start;
        }
    }

    /// Advances playback by `seconds` of wall time; stops at the end. Returns whether it moved.
    pub fn advance(&mut self, seconds: f64, extent: Option<TimeRange>) -> bool {
        if !self.playing {
            return false;
        }
        let step = (seconds * self.speed * DAY as f64).round() as i64;
        let before = self.playhead;
        self.set_playhead(before.saturating_add(step.max(1)), extent);
        if let Some(extent) = extent
            && self.playhead >= extent.end - 1
        {
            self.playing = false;
        }
        self.playhead != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXTENT: TimeRange = TimeRange {
        start: 100 * DAY,
        end: 200 * DAY,
    };

    #[test]
    fn playhead_stays_in_extent() {
        let mut control = TimeControl::at_end_of(Some(EXTENT));
        assert_eq!(control.playhead, EXTENT.end - 1);
        control.set_playhead(0, Some(EXTENT));
        assert_eq!(control.playhead, EXTENT.start);
        control.set_playhead(i64::MAX, Some(EXTENT));
        assert_eq!(control.playhead, EXTENT.end - 1);
    }

    #[test]
    fn playback_advances_and_stops_at_the_end() {
        let mut control = TimeControl::at_end_of(Some(EXTENT));
        control.speed = 10.0;
        control.toggle_play(Some(EXTENT));
        assert!(control.playing);
        assert_eq!(control.playhead, EXTENT.start, "play from the end rewinds");
        assert!(control.advance(1.0, Some(EXTENT)));
        assert_eq!(control.playhead, EXTENT.start + 10 * DAY);
        for _ in 0..20 {
            control.advance(1.0, Some(EXTENT));
        }
        assert!(!control.playing);
        assert_eq!(control.playhead, EXTENT.end - 1);
        assert!(!control.advance(1.0, Some(EXTENT)), "paused does not move");
    }

    #[test]
    fn long_data_is_offered_long_windows_and_fast_speeds() {
        let short = Some(EXTENT);
        assert_eq!(windows_for(short).len(), 7);
        assert_eq!(speeds_for(short).len(), 6);
        let cosmic_range = TimeRange {
            start: -13_000_000_000 * YEAR,
            end: 0,
        };
        let cosmic = Some(cosmic_range);
        assert_eq!(windows_for(cosmic).last(), Some(&MAX_WINDOW));
        assert_eq!(speeds_for(cosmic).last(), Some(&3.65e11));
        let mut control = TimeControl::at_end_of(cosmic);
        control.set_window(MAX_WINDOW);
        assert_eq!(control.window, MAX_WINDOW);
        control.speed = 3.65e11;
        control.toggle_play(cosmic);
        assert!(control.advance(1.0, cosmic));
        assert_eq!(control.playhead, cosmic_range.start + 1_000_000_000 * YEAR);
    }

    #[test]
    fn the_shading_follows_the_mode() {
        let mut control = TimeControl::at_end_of(Some(EXTENT));
        control.playhead = 150 * DAY;
        control.window = 7 * DAY;
        let until_playhead = |start| {
            Some(TimeRange {
                start,
                end: 150 * DAY,
            })
        };
        assert_eq!(control.shaded_span(Some(EXTENT)), until_playhead(143 * DAY));
        control.mode = PlaybackMode::Cumulative;
        assert_eq!(
            control.shaded_span(Some(EXTENT)),
            until_playhead(EXTENT.start),
            "from the data's start, not from the beginning of time"
        );
        assert_eq!(control.shaded_span(None), None);
        control.mode = PlaybackMode::AtPlayhead;
        assert_eq!(control.shaded_span(Some(EXTENT)), None, "the line alone");
        // At the very start there is nothing before the playhead to shade.
        control.mode = PlaybackMode::Cumulative;
        control.playhead = EXTENT.start;
        assert_eq!(control.shaded_span(Some(EXTENT)), None);
    }

    #[test]
    fn window_is_clamped() {
        let mut control = TimeControl::default();
        control.set_window(0);
        assert_eq!(control.window, 60);
        control.set_window(7 * DAY);
        assert_eq!(control.window, 7 * DAY);
    }
}
