//! The filter in the real UI: the search field, the legend's categories, the chips above the
//! map, and every view following the filter.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use event_atlas::command::Command;
use event_atlas::model::filter::Filter;

use crate::ui::{harness_with, index_of};

/// The app with the filter panel open.
fn harness() -> egui_kittest::Harness<'static, event_atlas::EventAtlasApp> {
    harness_with(event_atlas::state::ViewState {
        show_filters: true,
        ..Default::default()
    })
}

/// The search field of the filter panel.
fn search_field<'a>(
    harness: &'a egui_kittest::Harness<'_, event_atlas::EventAtlasApp>,
) -> egui_kittest::Node<'a> {
    harness.get_by(|node| {
        node.role() == Role::TextInput
            && node
                .placeholder()
                .is_some_and(|hint| hint.contains("words in titles"))
    })
}

#[test]
fn typing_in_search_narrows_every_view_and_the_chip_clears_it() {
    let mut harness = harness();
    harness.run();
    let total = harness.state().dataset.events.len();
    let on_map_before = harness.state().shown_on_map();
    search_field(&harness).click();
    harness.run();
    search_field(&harness).type_text("Kaluga");
    harness.run();
    let app = harness.state();
    assert_eq!(app.view.filter.text, "Kaluga");
    let kaluga = index_of(&harness, "kaluga-cell");
    let matches: Vec<usize> = app.filtering.matches.iter().collect();
    assert!(matches.contains(&kaluga), "{matches:?}");
    assert!(matches.len() < total, "the search narrows: {matches:?}");
    assert!(app.shown_on_map() < on_map_before, "and the map follows");
    let status = format!("{} of {total} match", matches.len());
    assert!(
        harness.query_all_by_label_contains(&status).count() >= 2,
        "status bar and chips"
    );
    // The chip above the map names the criterion; clicking it removes it.
    harness.get_by_label_contains("Text: “Kaluga”").click();
    harness.run();
    assert!(harness.state().view.filter.is_empty());
    assert_eq!(harness.state().filtering.matches.count(), total);
    assert_eq!(harness.state().shown_on_map(), on_map_before);
}

#[test]
fn clicking_a_legend_entry_hides_its_events_everywhere_and_again_shows_them() {
    // The filter panel closed: the legend is the only "Attack (…)".
    let mut harness = crate::ui::harness();
    harness.run();
    let attack = index_of(&harness, "crocus-attack");
    let on_map_before = harness.state().shown_on_map();
    assert!(harness.state().filtering.matches.contains(attack));
    // The legend's line for the category (with its count).
    harness.get_by_label("Attack (1)").click();
    harness.run();
    let app = harness.state();
    assert!(
        !app.filtering.matches.contains(attack),
        "hidden from the views"
    );
    assert!(
        !app.view
            .filter
            .shows_category(&app.dataset, app.dataset.events[attack].category)
    );
    assert_eq!(
        app.shown_on_map(),
        on_map_before - 1,
        "the attack's marker is gone"
    );
    // Exports take the filter's events only.
    assert!(
        event_atlas::state::export::ExportScope::All
            .events(&app.dataset, &app.filtering.matches, 0, 0)
            .iter()
            .all(|&i| i != attack)
    );
    harness.get_by_label("Attack (0)").click();
    harness.run();
    assert!(
        harness.state().view.filter.is_empty(),
        "every category shown again"
    );
    assert!(harness.state().filtering.matches.contains(attack));
}

#[test]
fn ctrl_f_puts_the_cursor_in_the_search_and_clear_the_filter_clears_it() {
    let mut harness = crate::ui::harness();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.run();
    assert!(harness.state().view.show_filters, "the panel opens");
    assert!(search_field(&harness).is_focused());
    // Keys typed go to the field, not to the shortcuts (F would fit the map).
    search_field(&harness).type_text("ISIS");
    harness.run();
    assert_eq!(harness.state().view.filter.text, "ISIS");
    harness.key_press(Key::Escape);
    harness.run();
    harness
        .state_mut()
        .apply(event_atlas::action::Action::ClearFilter.command());
    harness.run();
    assert!(harness.state().view.filter.is_empty());
}

#[test]
fn a_filter_is_remembered_with_the_view_and_a_new_dataset_starts_unfiltered() {
    let mut harness = harness();
    harness.run();
    let filter = Filter {
        categories: vec!["security".to_owned()],
        ..Filter::default()
    };
    harness
        .state_mut()
        .apply(Command::SetFilter(filter.clone()));
    harness.run();
    let saved = serde_json::to_string(&harness.state().view).unwrap();
    let restored: event_atlas::state::ViewState = serde_json::from_str(&saved).unwrap();
    assert_eq!(restored.filter, filter);
    let mut again = crate::ui::harness_with(restored);
    again.run();
    let app = again.state();
    assert_eq!(app.view.filter, filter, "the same dataset keeps its filter");
    assert!(app.filtering.matches.iter().all(|i| {
        app.dataset.events[i].category
            == app
                .dataset
                .categories
                .iter()
                .position(|c| c.id == "security")
    }));
    again.get_by_label_contains("Category: Russian security operations");
}

#[test]
fn the_map_bar_opens_the_filter_panel_with_the_cursor_in_the_search() {
    let mut harness = crate::ui::harness();
    harness.run();
    harness.get_by_label("Search & filter").click();
    harness.run();
    harness.run();
    assert!(harness.state().view.show_filters);
    assert!(search_field(&harness).is_focused());
}

/// The app with the event table shown.
fn table_harness() -> egui_kittest::Harness<'static, event_atlas::EventAtlasApp> {
    harness_with(event_atlas::state::ViewState {
        show_table: true,
        ..Default::default()
    })
}

#[test]
fn a_table_row_selects_its_event_on_the_map_and_the_timeline_and_back() {
    let mut harness = table_harness();
    harness.run();
    assert!(
        harness
            .state_mut()
            .wait_for_table(std::time::Duration::from_secs(30))
    );
    harness.run();
    harness.get_by_label("14 events");
    // Kaluga's row: its date as the source gives it is only in the table.
    harness.get_by_label("2024-03-07").click();
    harness.run();
    let kaluga = index_of(&harness, "kaluga-cell");
    assert_eq!(
        harness.state().selected,
        Some(kaluga),
        "the row selects the event"
    );
    harness.run();
    assert!(
        harness.state().timeline_mark_position(kaluga).is_some(),
        "and it is on the timeline"
    );
    // The other way: the map's marker of the attack selects its row, and Down moves on from it.
    harness
        .get_by_role_and_label(Role::Button, "Attack on Crocus City Hall")
        .click();
    harness.run();
    let attack = index_of(&harness, "crocus-attack");
    assert_eq!(harness.state().selected, Some(attack));
    harness.get_by_label("2024-03-07").hover();
    harness.run();
    harness.key_press(Key::ArrowDown);
    harness.run();
    let rows = harness.state().table.rows.clone();
    let at = rows.iter().position(|&r| r as usize == attack).unwrap();
    assert_eq!(
        harness.state().selected,
        Some(rows[at + 1] as usize),
        "Down selects the row after the map's selection"
    );
}

#[test]
fn the_table_shows_only_what_the_filter_lets_through_in_the_order_asked() {
    let mut harness = table_harness();
    harness.run();
    harness.state_mut().apply(Command::SetFilter(Filter {
        text: "ISIS".to_owned(),
        ..Filter::default()
    }));
    harness.run();
    assert!(
        harness
            .state_mut()
            .wait_for_table(std::time::Duration::from_secs(30))
    );
    harness.run();
    let app = harness.state();
    let matching: Vec<u32> = app.filtering.matches.iter().map(|i| i as u32).collect();
    assert!(!matching.is_empty() && matching.len() < app.dataset.events.len());
    assert_eq!(*app.table.rows, matching, "time order, the filter's events");
    let status = format!("{} of 14 events match", matching.len());
    harness.get_by_label(&status);
    harness.get_by_role_and_label(Role::Button, "Title").click();
    harness.run();
    assert!(
        harness
            .state_mut()
            .wait_for_table(std::time::Duration::from_secs(30))
    );
    let app = harness.state();
    let titles: Vec<&str> = app
        .table
        .rows
        .iter()
        .map(|&r| app.dataset.events[r as usize].title())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| t.to_lowercase());
    assert_eq!(titles, sorted, "sorted by title");
}

#[test]
fn clicking_a_region_on_the_regions_map_filters_to_it_and_again_drops_it() {
    let mut harness = crate::ui::harness();
    harness.run();
    harness.get_by_label("Regions").click();
    harness.run();
    harness.run();
    assert_eq!(
        harness.state().view.map_mode,
        event_atlas::state::MapMode::Regions
    );
    // Where Moscow Oblast's label point is on screen, from the map's own camera and rect.
    let map = harness
        .get_by_label("Map: drag to pan, scroll to zoom")
        .rect();
    let app = harness.state();
    let camera = app.view.camera.unwrap();
    let projector = event_atlas::map::Projector::new(camera, map);
    let oblast = app.map_panel().basemap.region("RU-MOS").unwrap();
    let at = projector.screen_from_world(oblast.label_at.unwrap());
    assert!(
        map.contains(at),
        "Moscow Oblast is on the map: {at:?} in {map:?}"
    );
    harness.hover_at(at);
    harness.run();
    click_at(&mut harness, at);
    harness.run();
    let app = harness.state();
    assert_eq!(
        app.view.filter.regions,
        ["RU-MOS"],
        "the click filters to the region"
    );
    // The attack's place (Crocus City Hall, Krasnogorsk) names Moscow Oblast.
    let attack = index_of(&harness, "crocus-attack");
    let matches: Vec<usize> = app.filtering.matches.iter().collect();
    assert_eq!(matches, [attack]);
    harness.get_by_label_contains("Region: RU-MOS");
    click_at(&mut harness, at);
    harness.run();
    assert!(
        harness.state().view.filter.is_empty(),
        "a second click drops it"
    );
}

/// A press and a release of the primary button at `at`, in one frame.
fn click_at(harness: &mut egui_kittest::Harness<'_, event_atlas::EventAtlasApp>, at: egui::Pos2) {
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run();
}
