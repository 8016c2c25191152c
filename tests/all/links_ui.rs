//! Links between events on the map, in the real app (egui_kittest): arcs drawn when both ends
//! are on the map and not otherwise, "links of the selection only", hiding them, and hovering
//! and clicking an arc. What the layer drew is read from `MapLinks::drawn` (the map's record of
//! its last frame); the hovered arc is also found by its name, as screen readers get it.

use egui::accesskit::Role;
use egui::{Key, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use event_atlas::EventAtlasApp;
use event_atlas::command::Command;
use event_atlas::model::calendar::{DAY, days_from_civil};
use event_atlas::state::LinkDisplay;
use event_atlas::theme::links::LinkArc;

use crate::ui::{harness, index_of};

const KALUGA: &str = "Vilayat Khorasan cell neutralised in the Kaluga region";

/// The links the map drew in the last frame, as `(from id, to id)`, in link order.
fn drawn(harness: &Harness<'_, EventAtlasApp>) -> Vec<(String, String)> {
    let app = harness.state();
    let dataset = &app.dataset;
    let id = |index: usize| dataset.events.get(index).map_or("?", |e| e.id()).to_owned();
    app.map_panel()
        .data
        .links
        .drawn()
        .links
        .iter()
        .filter_map(|&link| dataset.links.get(link as usize))
        .map(|link| (id(link.from), id(link.to)))
        .collect()
}

fn pair(from: &str, to: &str) -> (String, String) {
    (from.to_owned(), to.to_owned())
}

fn set_playhead(harness: &mut Harness<'_, EventAtlasApp>, y: i64, m: u32, d: u32) {
    let at = days_from_civil(y, m, d) * DAY;
    harness.state_mut().apply(Command::SetPlayhead(at));
    harness.run();
}

/// The centre and radius of an event's marker on the map, from its button's rectangle (the
/// marker's disc and 3 points around it).
fn marker(harness: &Harness<'_, EventAtlasApp>, title: &str) -> (Pos2, f32) {
    let rect = harness
        .query_by_role_and_label(Role::Button, title)
        .unwrap_or_else(|| panic!("no marker for {title}"))
        .rect();
    (rect.center(), rect.width() / 2.0 - 3.0)
}

#[test]
fn an_arc_is_drawn_once_both_ends_are_on_the_map_and_not_before() {
    let mut harness = harness();
    harness.run();
    // The synagogue plot ("../2024-03-07") is on the map from the start; the Kaluga cell
    // (2024-03-07, a region) only from its date.
    set_playhead(&mut harness, 2024, 3, 1);
    assert_eq!(drawn(&harness), [], "the playhead between the two ends");
    set_playhead(&mut harness, 2024, 3, 10);
    // In link order: the plot (its open start puts it first in time) links first.
    let both = [
        pair("moscow-synagogue-plot", "kaluga-cell"),
        pair("kaluga-cell", "moscow-synagogue-plot"),
    ];
    assert_eq!(drawn(&harness), both, "after both: A→B and B→A");
    harness.state_mut().apply(Command::JumpToEnd);
    harness.run();
    // Links with a placeless end (the ISIS claim, the month of incidents) stay off the map.
    assert_eq!(drawn(&harness), both, "at the end");
    let record = harness.state().map_panel().data.links.drawn();
    assert_eq!(record.kinds, ["planned attack", "planned by"]);
    assert!(!record.limited);
    // The legend names the kinds drawn.
    harness.get_by_label("link: planned attack");
    harness.get_by_label("link: planned by");
    // Filtered out: one end gone, no arc.
    let plot = index_of(&harness, "moscow-synagogue-plot");
    let mut filter = harness.state().view.filter.clone();
    filter.categories = vec!["security".to_owned(), "warning".to_owned()];
    harness.state_mut().apply(Command::SetFilter(filter));
    harness.run();
    assert!(
        !harness.state().filtering.matches.contains(plot),
        "the plot is filtered out"
    );
    assert_eq!(drawn(&harness), [], "one end filtered out");
}

#[test]
fn links_of_the_selection_only_and_hidden() {
    let mut harness = harness();
    harness.state_mut().apply(Command::JumpToEnd);
    harness.run();
    // In link order: the plot (its open start puts it first in time) links first.
    let both = [
        pair("moscow-synagogue-plot", "kaluga-cell"),
        pair("kaluga-cell", "moscow-synagogue-plot"),
    ];
    // Something without a link on the map selected: the others are still drawn (faint).
    let attack = index_of(&harness, "crocus-attack");
    harness.state_mut().apply(Command::Select(Some(attack)));
    harness.run();
    assert_eq!(drawn(&harness), both);
    // Only the selection's: none for the attack (its links have placeless ends)…
    harness
        .state_mut()
        .apply(Command::SetLinkDisplay(LinkDisplay::SelectionOnly));
    harness.run();
    assert_eq!(drawn(&harness), []);
    harness.get_by_label("links of the selection only");
    // …both for the Kaluga cell, selected by clicking its ring on the map.
    harness
        .query_by_role_and_label(Role::Button, KALUGA)
        .expect("the Kaluga cell's ring")
        .click();
    harness.run();
    assert_eq!(
        harness.state().selected,
        Some(index_of(&harness, "kaluga-cell"))
    );
    assert_eq!(drawn(&harness), both);
    // L cycles on: hidden, then all again.
    harness.key_press(Key::L);
    harness.run();
    assert_eq!(harness.state().view.link_display, LinkDisplay::Hidden);
    assert_eq!(drawn(&harness), []);
    harness.key_press(Key::L);
    harness.run();
    assert_eq!(harness.state().view.link_display, LinkDisplay::All);
    assert_eq!(drawn(&harness), both);
}

#[test]
fn hovering_an_arc_names_it_and_clicking_it_selects_where_it_leads() {
    let mut harness = harness();
    harness.state_mut().apply(Command::JumpToEnd);
    harness.run();
    let (from, from_radius) = marker(&harness, KALUGA);
    let plot_title = {
        let app = harness.state();
        let index = index_of(&harness, "moscow-synagogue-plot");
        app.dataset.events[index].title().to_owned()
    };
    let (to, to_radius) = marker(&harness, &plot_title);
    let arc = LinkArc::new(from, to, from_radius, to_radius).expect("the two marks are apart");
    let middle = arc.points[arc.points.len() / 2];
    harness.hover_at(middle);
    harness.run();
    harness.run();
    let record = harness.state().map_panel().data.links.drawn();
    let hovered = record.hovered.expect("the arc under the pointer");
    let link = &harness.state().dataset.links[hovered as usize];
    assert_eq!(
        link.kind, "planned attack",
        "the Kaluga cell's link to the plot"
    );
    // Named in a tooltip, and to screen readers.
    let name = format!("{KALUGA} — planned attack → {plot_title}");
    harness.get_by_label(&name);
    harness.get_by_label("— planned attack");
    // A click selects where it leads.
    harness.get_by_label(&name).click();
    harness.run();
    assert_eq!(
        harness.state().selected,
        Some(index_of(&harness, "moscow-synagogue-plot"))
    );
}
