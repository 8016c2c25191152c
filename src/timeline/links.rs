//! Links between events drawn on the timeline: a bowed connector from one event's mark to the
//! other's, with an arrowhead at the `to` end, in the same styles as the map's arcs
//! ([`crate::theme::links`]). Drawn when both ends are on the timeline (dated, matching the
//! filter, overlapping the span shown); the selection's links highlighted and the others faint.
//! With many links, only the selection's are drawn.

use std::collections::BTreeSet;

use egui::Stroke;
use egui_plot::{Line, LineStyle, PlotPoint, PlotPoints, PlotUi, Polygon};

use super::axis::days_from_seconds;
use super::frame::TimelineFrame;
use super::lanes::{MatchingLanes, TimelinePanel};
use super::range::range_seconds;
use crate::model::{Dataset, EventIndex, TimeRange};
use crate::state::LinkDisplay;
use crate::theme::links::{Dash, LinkArc, LinkStyle, link_style};

/// Datasets with more links than this are not walked every frame: only the selection's links
/// are drawn (found through the sorted links and one pass for the incoming ones).
pub const TIMELINE_WALK_LIMIT: usize = 20_000;
/// More connectors than this on the span shown are a tangle: only the selection's are drawn.
pub const TIMELINE_LINK_LIMIT: usize = 300;
/// How much of a connector's end is left to the mark (a dot's radius and a little).
const END_RADIUS: f32 = 6.5;
/// How far (in points) a connector's middle bows out: at least enough for marks a row apart
/// to have room for the arrow, at most about a row.
const BOW: std::ops::RangeInclusive<f32> = 16.0..=20.0;

/// Which links the timeline draws: those to draw, and the selection's among them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimelineLinks {
    pub links: Vec<u32>,
    pub selection: BTreeSet<u32>,
}

/// The links to draw over `view`: both ends pass `shown` (matching the filter) and are dated
/// and overlap `view`.
pub fn timeline_links(
    dataset: &Dataset,
    shown: impl Fn(EventIndex) -> bool,
    view: TimeRange,
    selected: Option<EventIndex>,
    display: LinkDisplay,
) -> TimelineLinks {
    let on_timeline = |index: EventIndex| {
        shown(index)
            && dataset.events.get(index).is_some_and(|event| {
                !event.is_undated() && event.span.start <= view.end && event.span.end >= view.start
            })
    };
    let both_on = |link: u32| {
        dataset
            .links
            .get(link as usize)
            .is_some_and(|l| on_timeline(l.from) && on_timeline(l.to))
    };
    let mut plan = TimelineLinks::default();
    if display == LinkDisplay::Hidden {
        return plan;
    }
    if let Some(selected) = selected {
        let first = dataset.links.partition_point(|link| link.from < selected);
        let outgoing = dataset
            .links
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|link| link.from == selected)
            .enumerate()
            .map(|(offset, _)| (first + offset) as u32);
        let incoming = dataset
            .links
            .iter()
            .enumerate()
            .filter(|(_, link)| link.to == selected && link.from != selected)
            .map(|(at, _)| at as u32);
        plan.selection = outgoing.chain(incoming).filter(|&l| both_on(l)).collect();
    }
    if display == LinkDisplay::All && dataset.links.len() <= TIMELINE_WALK_LIMIT {
        let all: Vec<u32> = (0..dataset.links.len() as u32)
            .filter(|&l| both_on(l))
            .collect();
        if all.len() <= TIMELINE_LINK_LIMIT {
            plan.links = all;
            return plan;
        }
    }
    plan.links = plan.selection.iter().copied().collect();
    plan
}

/// Draws the connectors of the links the frame shows (under the marks): `panel` knows each
/// event's row, `matching` which events the filter lets through.
pub fn draw_links(
    plot_ui: &mut PlotUi<'_>,
    panel: &TimelinePanel,
    frame: &TimelineFrame<'_>,
    matching: &MatchingLanes,
) {
    let plan = timeline_links(
        frame.dataset,
        |index| matching.shows(index),
        range_seconds(frame.view),
        frame.selected,
        frame.link_display,
    );
    let transform = *plot_ui.transform();
    let dark_mode = plot_ui.ctx().theme() == egui::Theme::Dark;
    let faint = frame.selected.is_some();
    // An end on a bar is the bar's point nearest in time to the other end (its start when
    // the two do not overlap), so events that overlap are joined across, not along, the lanes.
    let mark = |index: EventIndex, near: i64| {
        let event = frame.dataset.events.get(index)?;
        let y = *panel.rows.get(index)?;
        let last = if event.is_exact() {
            event.span.start
        } else {
            event.span.end.max(event.span.start)
        };
        let at = near.clamp(event.span.start, last);
        let at = PlotPoint::new(days_from_seconds(at), y);
        Some(transform.position_from_point(&at))
    };
    let start = |index: EventIndex| frame.dataset.events.get(index).map(|e| e.span.start);
    for &link in &plan.links {
        let Some(data) = frame.dataset.links.get(link as usize) else {
            continue;
        };
        let (Some(from_start), Some(to_start)) = (start(data.from), start(data.to)) else {
            continue;
        };
        let (Some(from), Some(to)) = (mark(data.from, to_start), mark(data.to, from_start)) else {
            continue;
        };
        let Some(arc) = LinkArc::bowed(from, to, (END_RADIUS, END_RADIUS), BOW) else {
            continue;
        };
        let emphasised = plan.selection.contains(&link);
        let style = link_style(&data.kind, dark_mode).drawn(emphasised, faint);
        let value = |p: &egui::Pos2| {
            let v = transform.value_from_position(*p);
            [v.x, v.y]
        };
        let points: Vec<[f64; 2]> = arc.points.iter().map(value).collect();
        plot_ui.line(
            Line::new("", PlotPoints::new(points))
                .color(style.color)
                .width(style.width)
                .style(line_style(style))
                .allow_hover(false),
        );
        let arrow: Vec<[f64; 2]> = arc.arrow.iter().map(value).collect();
        plot_ui.polygon(
            Polygon::new("", PlotPoints::new(arrow))
                .fill_color(style.color)
                .stroke(Stroke::NONE)
                .allow_hover(false),
        );
    }
}

/// The plot's line style for a link style's dashes.
fn line_style(style: LinkStyle) -> LineStyle {
    match style.dash {
        Dash::Solid => LineStyle::Solid,
        Dash::Dashed(length) => LineStyle::Dashed {
            length: f32::from(length),
        },
        Dash::Dotted(spacing) => LineStyle::Dotted {
            spacing: f32::from(spacing),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::DAY;

    fn crocus() -> Dataset {
        crate::builtin::crocus_dataset()
            .unwrap_or_else(|e| panic!("the built-in dataset: {e:?}"))
            .dataset
    }

    fn index(dataset: &Dataset, id: &str) -> EventIndex {
        dataset.find(id).unwrap_or_else(|| panic!("{id}"))
    }

    fn named(dataset: &Dataset, links: &[u32]) -> Vec<(String, String)> {
        links
            .iter()
            .filter_map(|&l| dataset.links.get(l as usize))
            .filter_map(|l| {
                let from = dataset.events.get(l.from)?.id().to_owned();
                Some((from, dataset.events.get(l.to)?.id().to_owned()))
            })
            .collect()
    }

    #[test]
    fn links_are_on_the_timeline_when_both_ends_are_dated_shown_and_in_view() {
        let dataset = crocus();
        let Some(extent) = dataset.extent else {
            panic!("the built-in dataset has dates");
        };
        let all = timeline_links(&dataset, |_| true, extent, None, LinkDisplay::All);
        assert_eq!(all.links.len(), dataset.links.len(), "every end is dated");
        // Filtered out: the Kaluga cell's links go.
        let kaluga = index(&dataset, "kaluga-cell");
        let without = timeline_links(&dataset, |i| i != kaluga, extent, None, LinkDisplay::All);
        let names = named(&dataset, &without.links);
        assert!(
            names
                .iter()
                .all(|(a, b)| a != "kaluga-cell" && b != "kaluga-cell")
        );
        assert_eq!(names.len(), dataset.links.len() - 3);
        // Out of view: only March 22nd shown.
        let claim = index(&dataset, "isis-claim");
        let Some(day) = dataset.events.get(claim).map(|e| e.span.start) else {
            panic!("the claim");
        };
        let view = TimeRange {
            start: day,
            end: day + DAY - 1,
        };
        let that_day = timeline_links(&dataset, |_| true, view, None, LinkDisplay::All);
        let names = named(&dataset, &that_day.links);
        assert!(names.contains(&("isis-claim".to_owned(), "crocus-attack".to_owned())));
        assert!(!names.iter().any(|(a, _)| a == "kaluga-cell"));
    }

    #[test]
    fn the_selection_s_links_are_marked_and_can_be_the_only_ones() {
        let dataset = crocus();
        let Some(extent) = dataset.extent else {
            panic!("the built-in dataset has dates");
        };
        let kaluga = index(&dataset, "kaluga-cell");
        let shown = |_| true;
        let all = timeline_links(&dataset, shown, extent, Some(kaluga), LinkDisplay::All);
        assert_eq!(all.links.len(), dataset.links.len());
        assert_eq!(
            all.selection.len(),
            3,
            "planned attack, planned by, included in"
        );
        let only = timeline_links(
            &dataset,
            shown,
            extent,
            Some(kaluga),
            LinkDisplay::SelectionOnly,
        );
        assert_eq!(
            only.links,
            all.selection.iter().copied().collect::<Vec<u32>>()
        );
        let none = timeline_links(&dataset, shown, extent, Some(kaluga), LinkDisplay::Hidden);
        assert!(none.links.is_empty());
        let nothing = timeline_links(&dataset, shown, extent, None, LinkDisplay::SelectionOnly);
        assert!(nothing.links.is_empty());
    }
}
