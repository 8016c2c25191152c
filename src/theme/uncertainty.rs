//! How uncertainty looks, in one place: graded bars on the timeline (their strength at each
//! end), the `~`/`?` mark, and on the map the hollow, dashed and haloed markers.

use egui::Color32;

/// A bar's fill strength at an end the source gives to the month or the year: the bar fades
/// towards it but does not vanish.
pub const COARSE_END_STRENGTH: f32 = 0.22;
/// At an end known to the day: a slight softening only.
pub const FINE_END_STRENGTH: f32 = 0.6;
/// At an open end (`..`, or an end not given): the bar fades out.
pub const OPEN_END_STRENGTH: f32 = 0.0;

/// The fill of a graded bar where its strength is `strength` (1 in the middle): ranges are
/// paler than a month or a year, as they were when solid.
pub fn graded_fill(event_color: Color32, strength: f32, is_range: bool) -> Color32 {
    let full = if is_range { 0.45 } else { 0.85 };
    event_color.gamma_multiply((full * strength).clamp(0.0, 1.0))
}

/// The thin top and bottom edges of a graded range, fading as its fill does.
pub fn graded_edge(event_color: Color32, strength: f32) -> Color32 {
    event_color.gamma_multiply(strength.clamp(0.0, 1.0))
}

/// The `~` or `?` written next to a mark: the mark's colour taken halfway to the text's, so
/// that it stays readable beside a dark or faded mark.
pub fn qualifier_glyph(event_color: Color32, visuals: &egui::Visuals) -> Color32 {
    let [r, g, b, _] = event_color.to_srgba_unmultiplied();
    Color32::from_rgb(r, g, b).lerp_to_gamma(visuals.strong_text_color(), 0.5)
}

/// The inside of a hollow marker (a date known only to the month, the year or a span).
pub fn hollow_fill(marker_color: Color32) -> Color32 {
    marker_color.gamma_multiply(0.18)
}

/// The wide faint halo around a marker whose place is known only to the city or town.
pub fn city_halo(marker_color: Color32) -> Color32 {
    marker_color.gamma_multiply(0.22)
}

/// The fill of a marker whose place is known only to the city or town: lighter than an exact
/// point's.
pub fn city_fill(marker_color: Color32) -> Color32 {
    marker_color.gamma_multiply(0.6)
}

/// The neutral colour the legend draws its date and place keys in: light on the dark theme,
/// dark on the light one, so that hollow, dashed and haloed keys read against the legend.
pub fn legend_key(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_gray(200)
    } else {
        Color32::from_gray(70)
    }
}

/// The inside of the ring of a place known only to its region.
pub fn region_fill(marker_color: Color32) -> Color32 {
    marker_color.gamma_multiply(0.25)
}
