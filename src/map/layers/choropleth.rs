//! The regions map: first-order regions shaded by how many matching events they hold in the
//! time window, in a few classes with "nice" breaks (1 · 2–5 · 6–20 · …), with a legend of
//! the classes. Hovering a region outlines it and names it with its count; the caller turns a
//! click into a filter. Regions without events are left as the basemap draws them.
//!
//! The fills reuse the basemap's own triangles at the zoom's level of detail, as one mesh;
//! what is under the pointer is found by [`RegionLocator`] (exact, on the detailed outlines).

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{
    Align2, Color32, Painter, PopupAnchor, Pos2, RichText, Sense, Shape, Stroke, Tooltip, Ui, Vec2,
    vec2,
};

use super::density::{ShownEvents, WindowAt, events_words};
use crate::map::Projector;
use crate::map::basemap::{Basemap, Detail, Lines, RegionLocator};
use crate::model::EventSet;

use crate::model::projection::WorldBox;
use crate::theme::ramps::{MAX_CLASSES, class_colors, hovered_region_outline};

/// One class of the choropleth: regions with `low` to `high` events (`None`: or more).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassBreak {
    pub low: u32,
    pub high: Option<u32>,
}

impl ClassBreak {
    /// Whether a region with `count` events is in this class.
    pub fn contains(&self, count: u32) -> bool {
        count >= self.low && self.high.is_none_or(|high| count <= high)
    }

    /// "1", "2–5", "101+".
    pub fn label(&self) -> String {
        match self.high {
            Some(high) if high == self.low => self.low.to_string(),
            Some(high) => format!("{}–{}", self.low, high),
            None => format!("{}+", self.low),
        }
    }
}

/// The classes of the non-zero `counts` (none when every count is 0): one per value when they
/// span at most [`MAX_CLASSES`] values; otherwise up to [`MAX_CLASSES`] classes whose upper
/// bounds are round numbers (1, 2, 5 × 10ⁿ) spread evenly on a log scale between the smallest
/// and the largest count, a single event being a class of its own. A class no region falls in
/// is merged into the one above it, so every class in the legend is on the map.
pub fn region_classes(counts: &[u32]) -> Vec<ClassBreak> {
    let nonzero = || counts.iter().copied().filter(|&count| count > 0);
    let (Some(low), Some(high)) = (nonzero().min(), nonzero().max()) else {
        return Vec::new();
    };
    if high - low < MAX_CLASSES as u32 {
        let values = (low..=high).map(|count| ClassBreak {
            low: count,
            high: Some(count),
        });
        return values
            .filter(|class| nonzero().any(|c| c == class.low))
            .collect();
    }
    let mut bounds: Vec<u32> = Vec::new();
    let first = if low == 1 {
        bounds.push(1);
        2
    } else {
        low
    };
    // Classes from `first`: the last is open-ended, the others end at round numbers.
    let spread = MAX_CLASSES - bounds.len();
    let ratio = f64::from(high) / f64::from(first);
    for step in 1..spread {
        let target = f64::from(first) * ratio.powf(step as f64 / spread as f64);
        let bound = round_number(target);
        if bound >= first && bound < high && bounds.last().is_none_or(|&last| bound > last) {
            bounds.push(bound);
        }
    }
    let mut classes: Vec<ClassBreak> = Vec::new();
    let mut from = low;
    for &bound in &bounds {
        classes.push(ClassBreak {
            low: from,
            high: Some(bound),
        });
        from = bound + 1;
    }
    classes.push(ClassBreak {
        low: from,
        high: None,
    });
    merge_empty_classes(classes, counts)
}

/// The 1, 2, 5 × 10ⁿ nearest `value` on a log scale.
fn round_number(value: f64) -> u32 {
    let decade = 10f64.powf(value.max(1.0).log10().floor());
    let distance = |candidate: f64| (candidate.ln() - value.ln()).abs();
    [1.0, 2.0, 5.0, 10.0]
        .map(|step| step * decade)
        .into_iter()
        .min_by(|a, b| distance(*a).total_cmp(&distance(*b)))
        .map_or(1, |nearest| nearest.round() as u32)
}

/// `classes` with each class that holds no count joined to the next (the last holds the
/// largest count, so it is never empty).
fn merge_empty_classes(classes: Vec<ClassBreak>, counts: &[u32]) -> Vec<ClassBreak> {
    let mut merged: Vec<ClassBreak> = Vec::new();
    let mut pending_low: Option<u32> = None;
    for class in classes {
        let low = pending_low.unwrap_or(class.low);
        if counts
            .iter()
            .any(|&count| count > 0 && class.contains(count))
        {
            merged.push(ClassBreak {
                low,
                high: class.high,
            });
            pending_low = None;
        } else {
            pending_low = Some(low);
        }
    }
    merged
}

/// The class of `count` among `classes` (`None`: no event, or in no class).
pub fn class_of(classes: &[ClassBreak], count: u32) -> Option<usize> {
    if count == 0 {
        return None;
    }
    classes.iter().position(|class| class.contains(count))
}

/// Matching events in the time window by region, kept up to date between frames (only the
/// events whose status changed are counted again as the playhead moves).
#[derive(Default)]
pub struct RegionCounts {
    counts: Vec<u32>,
    at: Option<WindowAt>,
    /// The matches the counts are of.
    matches: EventSet,
    generation: u64,
    built_generation: u64,
    scratch: Vec<u32>,
}

impl RegionCounts {
    /// Forgets everything (a new dataset, or new regions of its events).
    pub fn invalidate(&mut self) {
        self.generation += 1;
    }

    /// The counts by region (`region_count` of them, [`Basemap::regions`]'s order), of the
    /// shown events whose region is `event_regions[event]` (as from
    /// [`RegionLocator::locate_all`], with the regions the data names).
    pub fn update(
        &mut self,
        event_regions: &[Option<u32>],
        region_count: usize,
        shown: &ShownEvents<'_>,
    ) -> &[u32] {
        let same = self.built_generation == self.generation
            && self.counts.len() == region_count
            && self.matches.count() == shown.matches.count()
            && self.matches == *shown.matches;
        let changed = match self.at.filter(|_| same) {
            Some(at) if at == shown.at => return &self.counts,
            Some(before) => {
                let counts = &mut self.counts;
                shown.for_each_change(before, |index, now_shown| {
                    let region = event_regions.get(index).copied().flatten();
                    if let Some(count) = region.and_then(|r| counts.get_mut(r as usize)) {
                        *count = if now_shown {
                            *count + 1
                        } else {
                            count.saturating_sub(1)
                        };
                    }
                })
            }
            None => false,
        };
        if !changed {
            self.counts.clear();
            self.counts.resize(region_count, 0);
            let counts = &mut self.counts;
            shown.for_each(&mut self.scratch, |index| {
                let region = event_regions.get(index).copied().flatten();
                if let Some(count) = region.and_then(|r| counts.get_mut(r as usize)) {
                    *count += 1;
                }
            });
            if self.matches != *shown.matches {
                self.matches = shown.matches.clone();
            }
            self.built_generation = self.generation;
        }
        self.at = Some(shown.at);
        &self.counts
    }
}

/// The map's pointer, from the map background's response: where it hovers
/// (`response.hover_pos()`) and whether it clicked there (`response.clicked()`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MapPointer {
    pub hover: Option<Pos2>,
    pub clicked: bool,
}

/// What the choropleth draws from, one frame.
pub struct ChoroplethFrame<'a> {
    /// Paints inside the map only.
    pub painter: &'a Painter,
    pub projector: &'a Projector,
    pub basemap: &'a Basemap,
    pub locator: &'a RegionLocator,
    /// Matching events in the time window, by index into [`Basemap::regions`].
    pub counts: &'a [u32],
    pub pointer: MapPointer,
    /// What the counts are, for the legend: "Events in the window".
    pub legend_title: &'a str,
}

/// The region under the pointer and the region clicked, by index into [`Basemap::regions`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ChoroplethResponse {
    pub hovered: Option<usize>,
    pub clicked: Option<usize>,
}

/// Shades the regions by their counts, outlines and names the one under the pointer, and
/// shows the legend (in the map's top-left corner).
pub fn choropleth_ui(ui: &mut Ui, frame: &ChoroplethFrame<'_>) -> ChoroplethResponse {
    let classes = region_classes(frame.counts);
    let colors = class_colors(ui.visuals(), classes.len());
    fill_regions(frame, &classes, &colors);
    let hovered = frame.pointer.hover.and_then(|at| {
        frame
            .locator
            .locate_world(frame.projector.world_from_screen(at))
    });
    if let Some(region) = hovered {
        outline_region(frame, region, hovered_region_outline(ui.visuals()));
        region_tooltip_ui(ui, frame, region);
    }
    legend_ui(ui, frame, &classes, &colors);
    ChoroplethResponse {
        hovered,
        clicked: hovered.filter(|_| frame.pointer.clicked),
    }
}

/// Fills each region in view that has events with its class's colour, as one mesh.
fn fill_regions(frame: &ChoroplethFrame<'_>, classes: &[ClassBreak], colors: &[Color32]) {
    let projector = frame.projector;
    let visible = projector.visible_world();
    let detail = Detail::at_zoom(projector.zoom());
    let mut mesh = Mesh::default();
    for (region, &count) in frame.basemap.regions.iter().zip(frame.counts) {
        let Some(&color) = class_of(classes, count).and_then(|class| colors.get(class)) else {
            continue;
        };
        if !region.bounds.intersects(&visible) {
            continue;
        }
        for area in frame.basemap.areas_of(region) {
            if !area.bounds.intersects(&visible) {
                continue;
            }
            let fill = &area.outline_at(detail).fill;
            for chunk in fill.chunks.iter().filter(|c| c.bounds.intersects(&visible)) {
                let (points, corners) = fill.chunk(chunk);
                let base = mesh.vertices.len() as u32;
                mesh.vertices.extend(points.iter().map(|point| Vertex {
                    pos: projector.screen_from_world(point.world()),
                    uv: WHITE_UV,
                    color,
                }));
                mesh.indices
                    .extend(corners.iter().map(|&i| base + u32::from(i)));
            }
        }
    }
    if !mesh.is_empty() {
        frame.painter.add(Shape::mesh(mesh));
    }
}

/// Strokes the outline of `region` where it is in view.
fn outline_region(frame: &ChoroplethFrame<'_>, region: usize, color: Color32) {
    let Some(region) = frame.basemap.regions.get(region) else {
        return;
    };
    let visible = frame.projector.visible_world();
    let detail = Detail::at_zoom(frame.projector.zoom());
    let stroke = Stroke::new(2.0, color);
    for area in frame.basemap.areas_of(region) {
        if area.bounds.intersects(&visible) {
            stroke_runs(frame, &area.outline_at(detail).border, &visible, stroke);
        }
    }
}

/// Strokes the runs of `lines` in view, each as its own path.
fn stroke_runs(frame: &ChoroplethFrame<'_>, lines: &Lines, visible: &WorldBox, stroke: Stroke) {
    for run in lines
        .runs
        .iter()
        .filter(|run| run.bounds.intersects(visible))
    {
        let path: Vec<Pos2> = lines
            .run(run)
            .iter()
            .map(|point| frame.projector.screen_from_world(point.world()))
            .collect();
        if path.len() >= 2 {
            frame.painter.add(Shape::line(path, stroke));
        }
    }
}

/// "Moscow Oblast (RU-MOS): 1,204 events", at the pointer.
fn region_tooltip_ui(ui: &Ui, frame: &ChoroplethFrame<'_>, region: usize) {
    let Some(named) = frame.basemap.regions.get(region) else {
        return;
    };
    let count = frame.counts.get(region).copied().unwrap_or(0);
    let text = format!("{} ({}): {}", named.name, named.code, events_words(count));
    let id = ui.make_persistent_id("map-choropleth-region");
    Tooltip::always_open(ui.ctx().clone(), ui.layer_id(), id, PopupAnchor::Pointer)
        .show(|ui| ui.label(text));
}

/// The classes and their colours, in a box in the map's top-left corner: "Events in the
/// window: ■ 1 · ■ 2–5 · …".
fn legend_ui(ui: &Ui, frame: &ChoroplethFrame<'_>, classes: &[ClassBreak], colors: &[Color32]) {
    let map = frame.painter.clip_rect();
    egui::Area::new(ui.make_persistent_id("map-choropleth-legend"))
        .fixed_pos(map.left_top() + vec2(8.0, 52.0))
        .pivot(Align2::LEFT_TOP)
        .constrain_to(map)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("{}:", frame.legend_title)).strong());
                    if classes.is_empty() {
                        ui.label("none");
                    }
                    for (n, (class, &color)) in classes.iter().zip(colors).enumerate() {
                        if n > 0 {
                            ui.weak("·");
                        }
                        let (swatch, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
                        ui.painter().rect_filled(swatch, 2.0, color);
                        ui.label(class.label());
                    }
                });
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(counts: &[u32]) -> Vec<String> {
        region_classes(counts)
            .iter()
            .map(ClassBreak::label)
            .collect()
    }

    #[test]
    fn classes_have_round_breaks_that_follow_the_range() {
        // A wide range: one event alone, then round numbers spread on a log scale.
        let wide: Vec<u32> = (0..=1204).collect();
        assert_eq!(
            labels(&wide),
            ["1", "2–10", "11–20", "21–100", "101–500", "501+"]
        );
        let hundreds: Vec<u32> = (0..=150).collect();
        assert_eq!(
            labels(&hundreds),
            ["1", "2–5", "6–10", "11–20", "21–50", "51+"]
        );
        // Everything above one event: the classes start at the smallest count.
        let big: Vec<u32> = (40..=90_000).step_by(7).collect();
        let classes = region_classes(&big);
        assert_eq!(classes.first().map(|c| c.low), Some(40));
        assert!(classes.len() <= MAX_CLASSES);
        // A narrow range: one class per value, only values that occur.
        assert_eq!(labels(&[0, 3, 1, 3, 0, 2]), ["1", "2", "3"]);
        assert_eq!(labels(&[7, 7, 0]), ["7"]);
        assert_eq!(labels(&[4, 9]), ["4", "9"]);
        assert!(labels(&[0, 0]).is_empty() && labels(&[]).is_empty());
    }

    #[test]
    fn classes_cover_every_count_once_and_none_is_empty() {
        for counts in [
            vec![1, 1000],
            vec![1, 2, 3, 50, 51, 4000],
            (1..=20_000).step_by(13).collect(),
            vec![12, 13, 5000, 5001, 5002],
        ] {
            let classes = region_classes(&counts);
            assert!(
                !classes.is_empty() && classes.len() <= MAX_CLASSES,
                "{counts:?}"
            );
            for &count in &counts {
                let holding = classes.iter().filter(|c| c.contains(count)).count();
                assert_eq!(holding, 1, "{count} in {classes:?}");
            }
            for class in &classes {
                assert!(counts.iter().any(|&c| class.contains(c)), "{class:?} empty");
            }
            // Contiguous, increasing, open-ended.
            for pair in classes.windows(2) {
                assert_eq!(pair[0].high.map(|h| h + 1), Some(pair[1].low));
            }
            assert_eq!(classes.last().and_then(|c| c.high), None);
        }
        // Empty classes join the one above: one event and a thousand are two classes.
        assert_eq!(labels(&[1, 1000]), ["1", "2+"]);
        assert_eq!(class_of(&region_classes(&[1, 1000]), 0), None);
        assert_eq!(class_of(&region_classes(&[1, 1000]), 1000), Some(1));
    }

    #[test]
    fn region_counts_follow_the_playhead_and_the_filter() {
        use crate::model::index::TimeIndex;
        let n = 3000;
        let starts: Vec<i64> = (0..n).map(|i| i as i64 / 3).collect();
        let ends: Vec<i64> = (0..n)
            .map(|i| i as i64 / 3 + 1 + (i as i64 * 37) % 90)
            .collect();
        let time = TimeIndex::from_spans(starts.clone(), ends.clone());
        let regions: Vec<Option<u32>> = (0..n)
            .map(|i| (i % 5 != 0).then_some(i as u32 % 7))
            .collect();
        let all = EventSet::all(n);
        let odd = EventSet::from_indices(n, (0..n).filter(|i| i % 2 == 1));
        let mut counts = RegionCounts::default();
        for (matches, playhead, window) in [
            (&all, 400, 30),
            (&all, 420, 30),
            (&all, 380, 200),
            (&all, 380, 200),
            (&odd, 380, 200),
            (&odd, 900, 5),
        ] {
            let at = WindowAt { playhead, window };
            let shown = ShownEvents {
                matches,
                time: &time,
                at,
            };
            let mut expected = vec![0u32; 7];
            for i in 0..n {
                let in_window = starts[i] <= playhead && ends[i] > playhead - window;
                if let (true, true, Some(r)) = (in_window, matches.contains(i), regions[i]) {
                    expected[r as usize] += 1;
                }
            }
            assert_eq!(counts.update(&regions, 7, &shown), expected, "{at:?}");
        }
    }

    #[test]
    fn counts_are_said_in_words() {
        assert_eq!(events_words(0), "no events");
        assert_eq!(events_words(1), "1 event");
        assert_eq!(events_words(7), "7 events");
        assert_eq!(events_words(1204), "1,204 events");
        assert_eq!(events_words(1_000_000), "1,000,000 events");
    }
}
