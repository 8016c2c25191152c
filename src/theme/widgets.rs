//! Widgets that several views share (the map, the timeline, the details panel): they sit with
//! the palette, below the panels, so that no view imports another.

use egui::{RichText, Ui};

use super::{category_color, category_label};
use crate::model::{Dataset, Event, EventIndex, Location};

/// Hover card for an event: title, date and place.
pub fn event_tooltip_ui(ui: &mut Ui, dataset: &Dataset, index: EventIndex) {
    let Some(event) = dataset.events.get(index) else {
        return;
    };
    ui.set_max_width(320.0);
    ui.label(RichText::new(event.title()).strong());
    // What the date leaves unknown is said with it: "March 2024 — the day is not given".
    match event.when().as_ref().and_then(crate::model::When::caveat) {
        Some(caveat) => ui.label(format!("{} — {caveat}", event.when_words())),
        None => ui.label(event.when_words()),
    };
    // One small read; the tooltip is only drawn while the pointer rests on the event.
    let place_name = dataset.details(index).ok().and_then(|d| d.place_name);
    if let Some(place) = place_words(event, place_name.as_deref()) {
        ui.label(place);
    }
    ui.label(
        RichText::new(category_label(dataset, event.category))
            .color(category_color(dataset, event.category)),
    );
    ui.weak("Click for details");
}

/// The place in words, e.g. "Crocus City Hall, Krasnogorsk (55.8256° N, 37.3887° E), region
/// RU-MOS", with what it leaves unknown: "— place known to the city or town".
pub fn place_words(event: &Event, name: Option<&str>) -> Option<String> {
    let mut text = location_words(&event.location, name)?;
    if let (Location::Point { .. }, Some(caveat)) = (event.location, event.place_known().caveat()) {
        text.push_str(" — ");
        text.push_str(caveat);
    }
    Some(text)
}

fn location_words(location: &Location, name: Option<&str>) -> Option<String> {
    match location {
        Location::Unknown => None,
        Location::Point { at, region } => {
            let ns = if at.lat >= 0.0 { 'N' } else { 'S' };
            let ew = if at.lon >= 0.0 { 'E' } else { 'W' };
            let coordinates = format!("{:.4}° {ns}, {:.4}° {ew}", at.lat.abs(), at.lon.abs());
            let mut text = match name {
                Some(name) => format!("{name} ({coordinates})"),
                None => coordinates,
            };
            if let Some(region) = region {
                text.push_str(&format!(", region {region}"));
            }
            Some(text)
        }
        Location::Region(code) => Some(match name {
            Some(name) => format!("{name} (region {code}; only the region is known)"),
            None => format!("region {code} (only the region is known)"),
        }),
    }
}
