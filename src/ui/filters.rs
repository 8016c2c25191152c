//! The filter panel (left, View ▸ Filters) and the chips above the map: which events every
//! view shows. Both read the view's filter and answer with `Command::SetFilter`; the filter
//! itself is applied in `app/filtering.rs`.

use egui::{Color32, RichText, Sense, Ui, Vec2};

use crate::command::Command;
use crate::io::export::span_between;
use crate::model::calendar::{self, group_thousands};
use crate::model::filter::{Criterion, DatePrecision, Filter};
use crate::model::regions::EventRegions;
use crate::model::search::{ActorCount, same_actor};
use crate::model::{Dataset, TimeRange};
use crate::state::MapMode;
use crate::theme::{self, category_color};

/// Regions (and actors) listed in the panel before "and N more" (the busiest first).
const LISTED_REGIONS: usize = 12;

/// What the filter panel shows.
pub struct FilterPanel<'a> {
    pub dataset: &'a Dataset,
    pub filter: &'a Filter,
    /// Matching events by category (the last entry: uncategorised).
    pub by_category: &'a [usize],
    /// Matching events by region.
    pub by_region: &'a [usize],
    pub regions: &'a EventRegions,
    /// How many events each criterion removes on its own.
    pub removed_by: &'a dyn Fn(Criterion) -> usize,
    pub matching: usize,
    /// A newer filter is being applied.
    pub running: bool,
    /// Why the last filter could not be applied.
    pub error: Option<&'a str>,
    /// Ctrl+F was pressed: the search field takes the keyboard.
    pub focus_search: bool,
    /// The actors the data names, the most frequent first (`None`: still being indexed).
    pub actors: Option<&'a [ActorCount]>,
}

/// The filter panel's contents.
pub fn filter_panel_ui(ui: &mut Ui, panel: &FilterPanel<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    let filter = panel.filter;
    ui.horizontal(|ui| {
        ui.heading("Filters");
        if !filter.is_empty()
            && ui
                .button("Clear all")
                .on_hover_text("Show every event again (Ctrl+Shift+F)")
                .clicked()
        {
            commands.push(Command::ClearFilter);
        }
    });
    ui.label(format!(
        "{} of {} events match",
        group_thousands(panel.matching as u64),
        group_thousands(panel.dataset.events.len() as u64)
    ));
    if panel.running {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("applying…");
        });
    }
    if let Some(error) = panel.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        text_ui(ui, panel, &mut commands);
        categories_ui(ui, panel, &mut commands);
        regions_ui(ui, panel, &mut commands);
        actors_ui(ui, panel, &mut commands);
        dates_ui(ui, panel, &mut commands);
        precision_ui(ui, panel, &mut commands);
    });
    commands
}

/// A criterion's heading, with what it removes when it is set.
fn heading_ui(ui: &mut Ui, panel: &FilterPanel<'_>, criterion: Criterion, title: &str) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new(title).strong());
        if panel.filter.criteria().contains(&criterion) {
            let removed = (panel.removed_by)(criterion);
            ui.weak(format!("removes {}", group_thousands(removed as u64)))
                .on_hover_text(
                    "Events this criterion alone leaves out (that match every other one)",
                );
        }
    });
}

fn text_ui(ui: &mut Ui, panel: &FilterPanel<'_>, commands: &mut Vec<Command>) {
    heading_ui(ui, panel, Criterion::Text, "Search");
    let mut text = panel.filter.text.clone();
    let edit = egui::TextEdit::singleline(&mut text)
        .hint_text("words in titles, summaries, actors, quotes")
        .id_salt("filter-text")
        .desired_width(f32::INFINITY);
    let response = ui.add(edit).on_hover_text(
        "Every word must appear (case and accents do not matter). Ctrl+F comes here.",
    );
    if response.changed() {
        commands.push(Command::SetFilter(Filter {
            text,
            ..panel.filter.clone()
        }));
    }
    if panel.focus_search {
        response.request_focus();
    }
}

fn categories_ui(ui: &mut Ui, panel: &FilterPanel<'_>, commands: &mut Vec<Command>) {
    let (dataset, filter) = (panel.dataset, panel.filter);
    if dataset.categories.is_empty() {
        return;
    }
    heading_ui(ui, panel, Criterion::Categories, "Categories");
    for (index, category) in dataset.categories.iter().enumerate() {
        let shown = filter.shows_category(dataset, Some(index));
        let count = panel.by_category.get(index).copied().unwrap_or(0);
        ui.horizontal(|ui| {
            let mut checked = shown;
            let color = category_color(dataset, Some(index));
            swatch_ui(ui, color);
            let label = format!("{} ({})", category.label, group_thousands(count as u64));
            if ui
                .checkbox(&mut checked, label)
                .on_hover_text("Show or hide this category everywhere")
                .changed()
            {
                commands.push(Command::SetFilter(
                    filter.with_category_toggled(dataset, index),
                ));
            }
            if ui
                .small_button("only")
                .on_hover_text("Show only this category")
                .clicked()
            {
                commands.push(Command::SetFilter(
                    filter.with_only_category(dataset, index),
                ));
            }
        });
    }
}

fn regions_ui(ui: &mut Ui, panel: &FilterPanel<'_>, commands: &mut Vec<Command>) {
    let (regions, filter) = (panel.regions, panel.filter);
    if regions.codes().is_empty() {
        return;
    }
    heading_ui(ui, panel, Criterion::Regions, "Regions");
    let mut listed: Vec<usize> = (0..regions.codes().len()).collect();
    listed.sort_by_key(|&r| std::cmp::Reverse(panel.by_region.get(r).copied().unwrap_or(0)));
    let chosen = |code: &String| filter.regions.iter().any(|c| c.eq_ignore_ascii_case(code));
    // The chosen ones always show, then the busiest.
    let (mut first, rest): (Vec<usize>, Vec<usize>) = listed
        .into_iter()
        .partition(|&r| regions.codes().get(r).is_some_and(chosen));
    let room = LISTED_REGIONS.saturating_sub(first.len());
    first.extend(rest.iter().take(room));
    for region in first {
        let (Some(code), Some(name)) = (regions.codes().get(region), regions.names().get(region))
        else {
            continue;
        };
        let count = panel.by_region.get(region).copied().unwrap_or(0);
        let mut checked = chosen(code);
        let label = format!("{name} ({})", group_thousands(count as u64));
        if ui
            .checkbox(&mut checked, label)
            .on_hover_text(code.as_str())
            .changed()
        {
            commands.push(Command::SetFilter(Filter {
                regions: Filter::toggled(&filter.regions, code),
                ..filter.clone()
            }));
        }
    }
    let more = regions.codes().len().saturating_sub(LISTED_REGIONS);
    if more > 0 {
        ui.weak(format!(
            "and {more} more regions (click one on the Regions map)"
        ));
    }
}

fn actors_ui(ui: &mut Ui, panel: &FilterPanel<'_>, commands: &mut Vec<Command>) {
    let filter = panel.filter;
    let Some(actors) = panel.actors else {
        if !panel.dataset.events.is_empty() {
            heading_ui(ui, panel, Criterion::Actors, "Actors");
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak("reading the events' texts…");
            });
        }
        return;
    };
    if actors.is_empty() {
        return;
    }
    heading_ui(ui, panel, Criterion::Actors, "Actors");
    let chosen = |name: &str| filter.actors.iter().any(|a| same_actor(a, name));
    let listed = actors.iter().filter(|a| chosen(&a.name)).chain(
        actors
            .iter()
            .filter(|a| !chosen(&a.name))
            .take(LISTED_REGIONS),
    );
    for actor in listed {
        let mut checked = chosen(&actor.name);
        let label = format!(
            "{} ({})",
            actor.name,
            group_thousands(u64::from(actor.count))
        );
        if ui.checkbox(&mut checked, label).changed() {
            let actors = if checked {
                let mut list = filter.actors.clone();
                list.push(actor.name.clone());
                list
            } else {
                filter
                    .actors
                    .iter()
                    .filter(|a| !same_actor(a, &actor.name))
                    .cloned()
                    .collect()
            };
            commands.push(Command::SetFilter(Filter {
                actors,
                ..filter.clone()
            }));
        }
    }
    let more = actors.len().saturating_sub(LISTED_REGIONS);
    if more > 0 {
        ui.weak(format!(
            "and {} more actors (search finds them by name)",
            group_thousands(more as u64)
        ));
    }
}

fn dates_ui(ui: &mut Ui, panel: &FilterPanel<'_>, commands: &mut Vec<Command>) {
    let filter = panel.filter;
    heading_ui(ui, panel, Criterion::Span, "Dates");
    let id = ui.make_persistent_id("filter-dates");
    let shown = filter.span.map(span_text).unwrap_or_default();
    // What is typed stays until it reads as dates; the filter changes when it does.
    let (mut from, mut to) = ui
        .memory(|m| m.data.get_temp::<(String, String, (String, String))>(id))
        .filter(|(_, _, applied)| *applied == shown)
        .map(|(from, to, _)| (from, to))
        .unwrap_or_else(|| shown.clone());
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.label("from");
        changed |= ui
            .add(
                egui::TextEdit::singleline(&mut from)
                    .desired_width(84.0)
                    .hint_text("2024-03-01"),
            )
            .changed();
        ui.label("to");
        changed |= ui
            .add(
                egui::TextEdit::singleline(&mut to)
                    .desired_width(84.0)
                    .hint_text("2024-03-22"),
            )
            .changed();
    });
    let (from_text, to_text) = (from.trim(), to.trim());
    let parsed = span_between(
        (!from_text.is_empty()).then_some(from_text),
        (!to_text.is_empty()).then_some(to_text),
    );
    match &parsed {
        Ok(span) if changed && *span != filter.span => {
            commands.push(Command::SetFilter(Filter {
                span: *span,
                ..filter.clone()
            }));
        }
        Err(error) if !from_text.is_empty() || !to_text.is_empty() => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                error.replace("--from", "from").replace("--to", "to"),
            );
        }
        _ => {}
    }
    ui.memory_mut(|m| m.data.insert_temp(id, (from, to, shown)));
    ui.weak("Or Shift+drag on the timeline.");
}

/// "2024-03-01" / "2024-03-22" for a span of days (its last day included).
fn span_text(span: TimeRange) -> (String, String) {
    let day = |seconds: i64| {
        if seconds == i64::MIN || seconds == i64::MAX {
            String::new()
        } else {
            calendar::format_iso_day(seconds)
        }
    };
    (day(span.start), day(span.end.saturating_sub(1)))
}

fn precision_ui(ui: &mut Ui, panel: &FilterPanel<'_>, commands: &mut Vec<Command>) {
    let filter = panel.filter;
    heading_ui(ui, panel, Criterion::Precisions, "Date precision");
    let kinds = [
        (DatePrecision::Exact, "a day or a moment"),
        (DatePrecision::Period, "a month or a year"),
        (DatePrecision::Range, "between two dates"),
        (DatePrecision::Undated, "no date given"),
    ];
    for (precision, label) in kinds {
        let mut checked = filter.precisions.contains(&precision);
        if ui.checkbox(&mut checked, label).changed() {
            commands.push(Command::SetFilter(Filter {
                precisions: Filter::toggled(&filter.precisions, &precision),
                ..filter.clone()
            }));
        }
    }
    heading_ui(ui, panel, Criterion::HasPlace, "Place");
    let mut placed = filter.has_place;
    if ui
        .checkbox(&mut placed, "only events with a place")
        .changed()
    {
        commands.push(Command::SetFilter(Filter {
            has_place: placed,
            ..filter.clone()
        }));
    }
}

fn swatch_ui(ui: &mut Ui, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
    ui.painter().circle_filled(rect.center(), 5.0, color);
}

/// The chips above the map: one per criterion set, each with ×, and "Clear all". Nothing when
/// the filter lets everything through.
pub fn filter_chips_ui(
    ui: &mut Ui,
    dataset: &Dataset,
    filter: &Filter,
    matching: usize,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{} of {} match",
                group_thousands(matching as u64),
                group_thousands(dataset.events.len() as u64)
            ))
            .strong(),
        );
        for criterion in filter.criteria() {
            let text = format!(
                "{}: {} ×",
                criterion.label(),
                chip_value(dataset, filter, criterion)
            );
            let chip = egui::Button::new(RichText::new(text).color(theme::chip_text(ui.visuals())))
                .fill(theme::chip_fill(ui.visuals()))
                .corner_radius(10.0);
            if ui
                .add(chip)
                .on_hover_text("Remove this criterion")
                .clicked()
            {
                commands.push(Command::SetFilter(filter.without(criterion)));
            }
        }
        if ui.link("Clear all").clicked() {
            commands.push(Command::ClearFilter);
        }
    });
    commands
}

/// What a chip says a criterion is.
fn chip_value(dataset: &Dataset, filter: &Filter, criterion: Criterion) -> String {
    let list = |items: Vec<String>| {
        if items.len() > 3 {
            format!("{} and {} more", items[..2].join(", "), items.len() - 2)
        } else {
            items.join(", ")
        }
    };
    match criterion {
        Criterion::Text => format!("“{}”", filter.text.trim()),
        Criterion::Categories => list(
            filter
                .categories
                .iter()
                .map(|name| {
                    dataset
                        .categories
                        .iter()
                        .find(|c| &c.id == name || c.label.eq_ignore_ascii_case(name))
                        .map_or_else(|| name.clone(), |c| c.label.clone())
                })
                .collect(),
        ),
        Criterion::Regions => list(filter.regions.clone()),
        Criterion::Actors => list(filter.actors.clone()),
        Criterion::Span => {
            let (from, to) = filter.span.map(span_text).unwrap_or_default();
            match (from.is_empty(), to.is_empty()) {
                (false, false) => format!("{from} – {to}"),
                (false, true) => format!("from {from}"),
                (true, false) => format!("until {to}"),
                (true, true) => "all".to_owned(),
            }
        }
        Criterion::Precisions => list(
            filter
                .precisions
                .iter()
                .map(|p| match p {
                    DatePrecision::Exact => "day",
                    DatePrecision::Period => "month/year",
                    DatePrecision::Range => "range",
                    DatePrecision::Undated => "undated",
                })
                .map(str::to_owned)
                .collect(),
        ),
        Criterion::HasPlace => "yes".to_owned(),
    }
}

/// The bar at the map's top-left corner: the way to search and filter when the panel is
/// closed, and the map's mode (markers, density, regions).
pub fn map_toolbar_ui(
    ui: &mut Ui,
    map: egui::Rect,
    show_filters: bool,
    mode: MapMode,
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Area::new(ui.make_persistent_id("map-toolbar"))
        .fixed_pos(map.left_top() + egui::vec2(8.0, 8.0))
        .constrain_to(map)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    if !show_filters
                        && ui
                            .button("Search & filter")
                            .on_hover_text("Open the filter panel (Ctrl+F)")
                            .clicked()
                    {
                        commands.push(Command::FocusSearch);
                    }
                    for choice in MapMode::ALL {
                        let tip = match choice {
                            MapMode::Markers => "A marker for each event, clusters where they would overlap",
                            MapMode::Density => "A heat map of where the events in the time window are",
                            MapMode::Regions => "Regions shaded by the events in the time window; click one to filter to it",
                        };
                        if ui.selectable_label(mode == choice, choice.label()).on_hover_text(tip).clicked() {
                            commands.push(Command::SetMapMode(choice));
                        }
                    }
                });
            });
        });
    commands
}
