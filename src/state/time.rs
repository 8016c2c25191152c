//! Time control: the playhead, the time window and playback. Plain data, no UI.

use serde::{Deserialize, Serialize};

use crate::model::{TimeRange, calendar::DAY};

/// Speeds offered for playback, in days of data per second.
pub const SPEEDS: [f64; 6] = [0.25, 1.0, 3.0, 7.0, 30.0, 365.0];

/// Windows offered, in seconds.
pub const WINDOWS: [i64; 7] = [
    DAY,
    3 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
    90 * DAY,
    365 * DAY,
];

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
}

impl Default for TimeControl {
    fn default() -> Self {
        Self {
            playhead: 0,
            window: 14 * DAY,
            playing: false,
            speed: 1.0,
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

    pub fn set_window(&mut self, window: i64) {
        self.window = window.clamp(60, 100 * 365 * DAY);
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
    fn window_is_clamped() {
        let mut control = TimeControl::default();
        control.set_window(0);
        assert_eq!(control.window, 60);
        control.set_window(7 * DAY);
        assert_eq!(control.window, 7 * DAY);
    }
}
