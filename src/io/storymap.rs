//! StoryMapJS JSON (KnightLab): `{"storymap": {"slides": […]}}`. The `overview` slide gives the
//! dataset's title and description; every other slide is an event at its `location` (`lat`,
//! `lon`, `name`), titled by its headline. A slide's `date` is free text ("March 22, 2024",
//! "1945", "c. 1200"): read as a date where it is one, and kept as written; a slide without a
//! usable date is an undated event (on the map, not on the timeline). The slides are the
//! dataset's story, in their order: each step titled and captioned as its slide, the map on its
//! point (at the slide's zoom), the playhead at its date, its event selected.

use std::path::Path;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::dates::free_text;
use super::import::{Importer, Row, SkipReason, title_from_file};
use super::timelinejs::{
    SlideText, SourceText, first_words, media_fields, number, plain_string, syntax_error,
};
use super::{LoadError, LoadProgress, Loaded, io_error, read_whole};
use crate::model::{EventDetails, LonLat, StepCamera, StepView, Story, StoryStep};

/// Reads a StoryMapJS file from its bytes.
pub(super) fn read_bytes(
    bytes: &[u8],
    file: &str,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    // Nesting past serde's limit: refused with its place, not a puzzling type error.
    super::scan::refuse_too_deep(bytes, file)?;
    let source = SourceText::new(bytes, file)?;
    let outer: StoryMapFile<'_> =
        serde_json::from_str(source.text).map_err(|error| syntax_error(file, &error))?;
    let story: StoryMap<'_> = match outer.storymap {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|_| {
            LoadError::whole_file(
                file,
                Some(source.line_of(raw)),
                "\"storymap\" must be an object with a list of \"slides\"".to_owned(),
            )
        })?,
        None => StoryMap::default(),
    };
    let slides = source.list(story.slides, "slides", file)?;
    let values: Vec<Value> = slides
        .iter()
        .map(|raw| serde_json::from_str(raw.get()).unwrap_or(Value::Null))
        .collect();
    let overview = values.iter().position(is_overview);
    let mut reader = SlideReader {
        importer: Importer::new(file, "StoryMapJS", "slide"),
        on_image: story.is_drawn_on_an_image(),
        count: values.len() - usize::from(overview.is_some()),
        number: 0,
        steps: Vec::new(),
    };
    if reader.on_image {
        reader.importer.warn(
            None,
            None,
            Some("map_as_image"),
            "this story map is drawn on an image, not on the earth: its slides' points are not places, so its events have none".to_owned(),
        );
    }
    for (position, (value, raw)) in values.iter().zip(&slides).enumerate() {
        if progress.is_cancelled() {
            return Err(LoadError::Cancelled {
                file: file.to_owned(),
            });
        }
        if Some(position) != overview {
            reader.slide(value, source.line_of(raw));
        }
        progress.set_fraction(0.3 + 0.6 * (position + 1) as f64 / values.len() as f64);
    }
    let heading = overview
        .and_then(|at| values.get(at))
        .map(SlideText::of)
        .unwrap_or_default();
    // The overview's headline titles the dataset and its story.
    let story_title = heading.headline.clone();
    let title = heading.headline.unwrap_or_else(|| title_from_file(file));
    let steps = reader.steps;
    let mut loaded = reader.importer.finish(title, heading.text, Vec::new())?;
    loaded.dataset.story = Story {
        title: story_title,
        steps,
    };
    progress.set_fraction(1.0);
    Ok(loaded)
}

/// Reads a StoryMapJS file on disk (they are small: read whole).
pub(super) fn read_path(
    path: &Path,
    file: &str,
    progress: &LoadProgress,
) -> Result<Loaded, LoadError> {
    let bytes =
        read_whole(path, progress, 0.3).map_err(|error| io_error(file, progress, &error))?;
    read_bytes(&bytes, file, progress)
}

/// The top level: the story map (other fields, such as the embed's `width`, are not data).
#[derive(serde::Deserialize)]
struct StoryMapFile<'a> {
    #[serde(borrow, default)]
    storymap: Option<&'a RawValue>,
}

/// The story map's own fields that matter here.
#[derive(Default, serde::Deserialize)]
struct StoryMap<'a> {
    #[serde(borrow, default)]
    slides: Option<&'a RawValue>,
    #[serde(default)]
    map_as_image: Option<Value>,
    #[serde(default)]
    map_type: Option<Value>,
}

impl StoryMap<'_> {
    /// A "gigapixel" story map: its points are pixels of an image, not longitudes and latitudes.
    fn is_drawn_on_an_image(&self) -> bool {
        self.map_as_image.as_ref().and_then(Value::as_bool) == Some(true)
            || self
                .map_type
                .as_ref()
                .and_then(Value::as_str)
                .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("zoomify"))
    }
}

/// The map's zoom for a slide without one of its own: a region around its point.
pub(super) const SLIDE_ZOOM: f64 = 8.0;

/// The slide's `location.zoom` (StoryMapJS uses the web map's levels, as the app does), within
/// the levels the map shows; [`SLIDE_ZOOM`] when it gives none.
fn slide_zoom(location: Option<&Value>) -> f64 {
    location
        .and_then(|location| location.get("zoom"))
        .and_then(number)
        .filter(|zoom| zoom.is_finite())
        .map_or(SLIDE_ZOOM, |zoom| zoom.clamp(0.0, 20.0))
}

fn is_overview(slide: &Value) -> bool {
    slide
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("overview"))
}

/// Turns slides into events, in order.
struct SlideReader {
    importer: Importer,
    on_image: bool,
    /// Slides that are events (all but the overview), for "slide 3 of 12".
    count: usize,
    /// The number of the slide being read, from 1.
    number: usize,
    /// The slides as the steps of a story, in order: each selects its slide's event.
    steps: Vec<StoryStep>,
}

impl SlideReader {
    /// One slide (not the overview), at `line`.
    fn slide(&mut self, value: &Value, line: usize) {
        self.number += 1;
        let number = self.number;
        let Some(slide) = value.as_object() else {
            let message = format!(
                "slide {number} is not an object: each slide is {{\"text\": …, \"location\": …}}"
            );
            self.importer
                .skip(Some(line), SkipReason::BadValue, message);
            return;
        };
        let text = SlideText::of(value);
        let place_name = slide
            .get("location")
            .and_then(|location| location.get("name"))
            .and_then(plain_string);
        let title = text
            .headline
            .clone()
            .or_else(|| text.text.as_deref().map(first_words))
            .or_else(|| place_name.clone())
            .unwrap_or_else(|| format!("Slide {number}"));
        let named = format!("slide {number} (\"{title}\")");
        let mut details = EventDetails {
            place_name,
            summary: text.text,
            ..EventDetails::default()
        };
        let when = self.date(slide, line, &named, &mut details);
        details
            .fields
            .push(("slide".to_owned(), format!("{number} of {}", self.count)));
        if let Some(media) = slide.get("media") {
            media_fields(media, &mut details.fields);
        }
        let at = self.location(slide.get("location"), line, &named);
        let step_text = details.summary.clone().unwrap_or_default();
        let playhead = when.as_ref().and_then(|(_, when)| when.known_start());
        let row = Row {
            title: &title,
            when,
            at,
            ..Row::default()
        };
        self.importer.push(Some(line), row, details);
        let Some(id) = self.importer.last_id() else {
            return;
        };
        // The slide's view: its point (at its zoom), its date.
        let camera = at.map(|center| StepCamera {
            center,
            zoom: slide_zoom(slide.get("location")),
        });
        self.steps.push(StoryStep {
            title,
            text: step_text,
            quote: None,
            view: StepView {
                camera,
                playhead,
                selection: Some(id.to_owned()),
                ..StepView::default()
            },
        });
    }

    /// The slide's date, read from its free text (kept as the field "date"); `None` when it
    /// has none or it is not a date (then a warning says so).
    fn date(
        &mut self,
        slide: &Map<String, Value>,
        line: usize,
        named: &str,
        details: &mut EventDetails,
    ) -> Option<(String, crate::model::When)> {
        let written = slide.get("date").and_then(plain_string)?;
        details.fields.push(("date".to_owned(), written.clone()));
        match free_text(&written) {
            Ok(read) => {
                details.date_note = read.note;
                Some(read.dated)
            }
            Err(_) => {
                self.importer.warn(
                    Some(line),
                    None,
                    Some("date"),
                    format!(
                        "{named}: the date '{written}' is not one Event Atlas reads (e.g. 1945, March 22, 2024, c. 1200): the slide is shown on the map without a date"
                    ),
                );
                None
            }
        }
    }

    /// The slide's point, from `location.lat` and `location.lon` (numbers or numeric strings);
    /// `None`, with a warning, when they are not a place on the earth.
    fn location(&mut self, location: Option<&Value>, line: usize, named: &str) -> Option<LonLat> {
        let location = location?;
        let lat = location.get("lat").filter(|v| !v.is_null());
        let lon = location.get("lon").filter(|v| !v.is_null());
        if lat.is_none() && lon.is_none() || self.on_image {
            return None;
        }
        let (lat_number, lon_number) = (lat.and_then(number), lon.and_then(number));
        let problem = match (lat_number, lon_number) {
            (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => {
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
                    return Some(LonLat::new(lon, lat));
                }
                format!("lat {lat}, lon {lon} is not on the earth (lat -90 to 90, lon -180 to 180)")
            }
            _ => format!(
                "the location needs lat and lon as numbers (lat {}, lon {})",
                lat.map_or_else(|| "missing".to_owned(), Value::to_string),
                lon.map_or_else(|| "missing".to_owned(), Value::to_string)
            ),
        };
        self.importer.warn(
            Some(line),
            None,
            Some("location"),
            format!("{named}: {problem}; the slide has no place"),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Loaded, LoadError> {
        read_bytes(json.as_bytes(), "s.json", &LoadProgress::default())
    }

    #[test]
    fn without_an_overview_every_slide_is_an_event() {
        let loaded = read(
            r#"{"storymap": {"slides": [
                {"text": {"headline": "First"}, "date": "1900", "location": {"lat": 1, "lon": 2}},
                {"text": {"headline": "Second"}, "date": "c. 1910", "location": {"lat": "3", "lon": "4"}}
            ]}}"#,
        )
        .unwrap();
        let dataset = &loaded.dataset;
        assert_eq!(dataset.title, "s", "the file's name");
        let selected: Vec<Option<&str>> = dataset
            .story
            .steps
            .iter()
            .map(|step| step.view.selection.as_deref())
            .collect();
        assert_eq!(selected, [Some("slide-1"), Some("slide-2")]);
        let second = dataset.find("slide-2").unwrap();
        assert_eq!(dataset.events[second].when_text(), "1910~");
        assert_eq!(
            dataset.events[second].location.point(),
            Some(LonLat::new(4.0, 3.0))
        );
        let details = dataset.details(second).unwrap();
        assert!(details.fields.contains(&("slide".into(), "2 of 2".into())));
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn points_on_an_image_are_not_places() {
        let loaded = read(
            r#"{"storymap": {"map_as_image": true, "map_type": "zoomify", "slides": [
                {"type": "overview", "text": {"headline": "A painting"}},
                {"text": {"headline": "Detail"}, "location": {"lat": -40.5, "lon": 30.2}}
            ]}}"#,
        )
        .unwrap();
        assert_eq!(loaded.dataset.located_count(), 0);
        assert_eq!(loaded.dataset.title, "A painting");
        assert_eq!(
            loaded.warnings[0].to_string(),
            "s.json: warning: field \"map_as_image\": this story map is drawn on an image, not on the earth: its slides' points are not places, so its events have none"
        );
    }

    #[test]
    fn bad_locations_warn_and_leave_the_slide_without_a_place() {
        let loaded = read(
            "{\"storymap\": {\"slides\": [\n\
             {\"text\": {\"headline\": \"Half\"}, \"location\": {\"lat\": 10}},\n\
             {\"text\": {\"headline\": \"Words\"}, \"location\": {\"lat\": \"north\", \"lon\": 3}},\n\
             {\"text\": {\"headline\": \"Only a name\"}, \"location\": {\"name\": \"Somewhere\"}},\n\
             \"not a slide\"\n\
             ]}}",
        )
        .unwrap();
        let report = loaded.report.clone().unwrap();
        assert_eq!(
            report.summary(),
            "StoryMapJS: 4 slides → 3 events (3 without a place, 3 without a date); 1 skipped: 1 with a bad value"
        );
        let messages: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "s.json:2: warning: field \"location\": slide 1 (\"Half\"): the location needs lat and lon as numbers (lat 10, lon missing); the slide has no place",
                "s.json:3: warning: field \"location\": slide 2 (\"Words\"): the location needs lat and lon as numbers (lat \"north\", lon 3); the slide has no place",
                "s.json:5: warning: skipped: slide 4 is not an object: each slide is {\"text\": …, \"location\": …}",
            ]
        );
        let named = loaded.dataset.find("slide-3").unwrap();
        assert_eq!(
            loaded.dataset.details(named).unwrap().place_name.as_deref(),
            Some("Somewhere")
        );
    }

    #[test]
    fn a_story_map_needs_its_slides() {
        let error = read(r#"{"storymap": "none"}"#).unwrap_err();
        assert_eq!(
            error.lines(),
            ["s.json:1: \"storymap\" must be an object with a list of \"slides\""]
        );
        let only_overview = read(r#"{"storymap": {"slides": [{"type": "overview"}]}}"#);
        assert_eq!(
            only_overview.unwrap_err().lines(),
            ["s.json: no slides found: there is nothing to show"]
        );
    }
}
