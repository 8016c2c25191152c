//! The details panel: the selected event, a cluster's events, or the dataset's overview.

use egui::text::{LayoutJob, TextFormat};
use egui::{RichText, Ui};

use crate::command::Command;
use crate::model::search::highlights;
use crate::model::url::WebLink;
use crate::model::{Dataset, Event, EventDetails, EventIndex, Source, When};
use crate::theme::widgets::place_words;
use crate::theme::{category_color, category_label, match_highlight};

/// The right-hand panel: the selected event, or the dataset and its event list.
pub fn details_ui(
    ui: &mut Ui,
    dataset: &Dataset,
    selected: Option<EventIndex>,
    list: Option<&[EventIndex]>,
    query: &str,
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            match (
                selected.and_then(|i| dataset.events.get(i).map(|e| (i, e))),
                list,
            ) {
                (Some((index, event)), _) => {
                    event_details_ui(ui, dataset, (index, event), query, &mut commands)
                }
                (None, Some(list)) => event_list_ui(ui, dataset, list, &mut commands),
                (None, None) => dataset_overview_ui(ui, dataset, &mut commands),
            }
        });
    commands
}

/// `text` with the words of the search `query` marked (the table marks them the same way).
fn marked(
    ui: &Ui,
    text: &str,
    query: &str,
    font_id: egui::FontId,
    color: egui::Color32,
    italics: bool,
) -> LayoutJob {
    let plain = TextFormat {
        font_id,
        color,
        italics,
        ..TextFormat::default()
    };
    let found = TextFormat {
        background: match_highlight(ui.visuals()),
        ..plain.clone()
    };
    let mut job = LayoutJob::default();
    job.wrap.max_width = ui.available_width();
    let mut at = 0;
    for range in highlights(text, query) {
        job.append(
            text.get(at..range.start).unwrap_or_default(),
            0.0,
            plain.clone(),
        );
        job.append(
            text.get(range.clone()).unwrap_or_default(),
            0.0,
            found.clone(),
        );
        at = range.end;
    }
    job.append(text.get(at..).unwrap_or_default(), 0.0, plain);
    job
}

/// One event in a list: category dot, date, and its title as a link that focuses it.
fn event_row_ui(
    ui: &mut Ui,
    dataset: &Dataset,
    index: EventIndex,
    event: &Event,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let (dot, _) = ui.allocate_exact_size(egui::Vec2::splat(10.0), egui::Sense::hover());
        ui.painter()
            .circle_filled(dot.center(), 4.0, category_color(dataset, event.category));
        ui.weak(event.when_words());
        if ui.link(event.title()).clicked() {
            commands.push(Command::Focus(index));
        }
    });
}

/// The events of a cluster, in time order (at most the first 500).
fn event_list_ui(ui: &mut Ui, dataset: &Dataset, list: &[EventIndex], commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if ui
            .small_button("Close")
            .on_hover_text("Back to the dataset")
            .clicked()
        {
            commands.push(Command::ListEvents(Vec::new()));
        }
    });
    ui.heading(format!("{} events here", list.len()));
    for &index in list.iter().take(500) {
        let Some(event) = dataset.events.get(index) else {
            continue;
        };
        event_row_ui(ui, dataset, index, event, commands);
    }
    if list.len() > 500 {
        ui.weak(format!(
            "… and {} more; zoom in to see them apart",
            list.len() - 500
        ));
    }
}
/// The selected event: its facts, what the sources say, and the events linked to it.
fn event_details_ui(
    ui: &mut Ui,
    dataset: &Dataset,
    (index, event): (EventIndex, &Event),
    query: &str,
    commands: &mut Vec<Command>,
) {
    selection_buttons_ui(ui, index, commands);
    ui.add_space(4.0);
    let heading = egui::TextStyle::Heading.resolve(ui.style());
    let color = ui.visuals().strong_text_color();
    ui.label(marked(ui, event.title(), query, heading, color, false));
    ui.add_space(4.0);
    let (details, problem) = match dataset.details(index) {
        Ok(details) => (details, None),
        Err(problem) => (EventDetails::default(), Some(problem)),
    };
    facts_ui(ui, dataset, event, &details);
    if let Some(problem) = problem {
        ui.add_space(4.0);
        ui.colored_label(ui.visuals().warn_fg_color, problem);
    }
    narrative_ui(ui, &details, query);
    fields_ui(ui, &details.fields);
    links_ui(ui, dataset, index, commands);
    ui.add_space(8.0);
    ui.weak(format!("id: {}", event.id()));
}

/// Close, and bring the event into view.
fn selection_buttons_ui(ui: &mut Ui, index: EventIndex, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if ui
            .small_button("Close")
            .on_hover_text("Clear the selection (Esc)")
            .clicked()
        {
            commands.push(Command::Select(None));
        }
        if ui
            .small_button("Show on map and timeline")
            .on_hover_text("Move the playhead to this event and frame it on the map")
            .clicked()
        {
            commands.push(Command::Focus(index));
        }
    });
}

/// When (with its precision and as written), where, and the category.
fn facts_ui(ui: &mut Ui, dataset: &Dataset, event: &Event, details: &EventDetails) {
    fact_row_ui(ui, "When", |ui| {
        ui.add(egui::Label::new(RichText::new(event.when_words()).strong()).wrap());
        if event.is_undated() {
            ui.add(egui::Label::new(RichText::new("not on the timeline").weak()).wrap());
            return;
        }
        let when = event.when();
        debug_assert!(when.is_some(), "a loaded event's date parses");
        if let Some(caveat) = when.as_ref().and_then(When::caveat) {
            ui.add(egui::Label::new(RichText::new(format!("— {caveat}")).italics()).wrap());
        }
        let written = format!("written {}", event.when_text());
        let line = match when {
            Some(when) => format!("{} · {written}", when.precision_words()),
            None => written,
        };
        ui.add(egui::Label::new(RichText::new(line).weak()).wrap());
    });
    fact_row_ui(ui, "Where", |ui| {
        let place = place_words(event, details.place_name.as_deref())
            .unwrap_or_else(|| "not given by the source".to_owned());
        ui.add(egui::Label::new(place).wrap());
    });
    fact_row_ui(ui, "Category", |ui| {
        ui.horizontal(|ui| {
            let (dot, _) = ui.allocate_exact_size(egui::Vec2::splat(12.0), egui::Sense::hover());
            ui.painter()
                .circle_filled(dot.center(), 5.0, category_color(dataset, event.category));
            ui.label(category_label(dataset, event.category));
        });
    });
}

/// Actors, the note on the date, the summary and the sources.
fn narrative_ui(ui: &mut Ui, details: &EventDetails, query: &str) {
    let body = egui::TextStyle::Body.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    if !details.actors.is_empty() {
        fact_row_ui(ui, "Actors", |ui| {
            let actors = details.actors.join(", ");
            let job = marked(ui, &actors, query, body.clone(), text_color, false);
            ui.add(egui::Label::new(job).wrap());
        });
    }
    if let Some(note) = &details.date_note {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!("About the date: {note}"))
                .italics()
                .small(),
        );
    }
    if let Some(summary) = &details.summary {
        ui.add_space(8.0);
        ui.label(marked(ui, summary, query, body, text_color, false));
    }
    if !details.sources.is_empty() {
        ui.add_space(8.0);
        ui.label(RichText::new("Sources").strong());
        for source in &details.sources {
            source_ui(ui, source, query);
        }
    }
}

/// Everything else the file says about the event (imported columns and properties), as text
/// that can be selected and copied. Addresses are shown, never opened or fetched.
fn fields_ui(ui: &mut Ui, fields: &[(String, String)]) {
    if fields.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.label(RichText::new("From the file").strong())
        .on_hover_text("Every other column or property of this event in the opened file");
    for (name, value) in fields {
        fact_row_ui(ui, name, |ui| {
            ui.add(egui::Label::new(value.as_str()).wrap().selectable(true));
        });
    }
}

/// The events this one links to and those that link to it.
fn links_ui(ui: &mut Ui, dataset: &Dataset, index: EventIndex, commands: &mut Vec<Command>) {
    // A pair of links in both directions is listed once, as the outgoing one.
    let outgoing: Vec<(EventIndex, &str)> = dataset.links_from(index).collect();
    let incoming: Vec<(EventIndex, &str)> = dataset
        .links_to(index)
        .into_iter()
        .filter(|(from, _)| !outgoing.iter().any(|(to, _)| to == from))
        .collect();
    if outgoing.is_empty() && incoming.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Linked events").strong());
    for (to, kind) in outgoing {
        linked_event_ui(ui, dataset, to, Some(kind), None, commands);
    }
    for (from, kind) in incoming {
        linked_event_ui(ui, dataset, from, None, Some(kind), commands);
    }
}

/// A labelled fact whose value wraps to the panel's width (a grid would widen the panel).
fn fact_row_ui(ui: &mut Ui, name: &str, add_value: impl FnOnce(&mut Ui)) {
    ui.horizontal_top(|ui| {
        ui.allocate_ui_with_layout(
            egui::vec2(64.0, 16.0),
            egui::Layout::left_to_right(egui::Align::Min),
            |ui| {
                ui.set_min_width(64.0);
                ui.weak(name);
            },
        );
        ui.vertical(|ui| {
            ui.set_max_width(ui.available_width());
            add_value(ui);
        });
    });
    ui.add_space(2.0);
}

/// One linked event: `kind_before` precedes the title (outgoing links), `kind_after` follows it
/// (incoming links), so each reads as a sentence.
fn linked_event_ui(
    ui: &mut Ui,
    dataset: &Dataset,
    to: EventIndex,
    kind_before: Option<&str>,
    kind_after: Option<&str>,
    commands: &mut Vec<Command>,
) {
    let Some(target) = dataset.events.get(to) else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        if let Some(kind) = kind_before {
            ui.weak(format!("{kind}:"));
        }
        if ui
            .link(target.title())
            .on_hover_text(target.when_words())
            .clicked()
        {
            commands.push(Command::Focus(to));
        }
        if let Some(kind) = kind_after {
            ui.weak(format!("({kind} this)"));
        }
    });
}

/// A source: its title (a link only when its address is a [`WebLink`], opened only on a click),
/// byline, quote and note; any other address is shown as selectable text, with the reason.
fn source_ui(ui: &mut Ui, source: &Source, query: &str) {
    let address = source.url.as_deref().map(|url| (url, WebLink::check(url)));
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        match &address {
            Some((_, Ok(link))) => {
                // The hover names the real target, whatever the title says.
                ui.hyperlink_to(&source.title, link.as_str())
                    .on_hover_text(link.as_str());
            }
            _ => {
                ui.label(RichText::new(&source.title).strong());
            }
        }
        let byline: Vec<&str> = [source.publisher.as_deref(), source.date.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !byline.is_empty() {
            ui.weak(byline.join(" · "));
        }
        if let Some(quote) = &source.quote {
            ui.horizontal_wrapped(|ui| {
                let body = egui::TextStyle::Body.resolve(ui.style());
                let color = ui.visuals().strong_text_color();
                ui.label(marked(ui, &format!("“{quote}”"), query, body, color, true));
            });
        }
        if let Some(note) = &source.note {
            ui.label(RichText::new(note).small());
        }
        if let Some((url, Err(why))) = &address {
            ui.add(
                egui::Label::new(RichText::new(*url).weak())
                    .wrap()
                    .selectable(true),
            )
            .on_hover_text(format!("{why}: shown as text"));
        }
    });
}

fn dataset_overview_ui(ui: &mut Ui, dataset: &Dataset, commands: &mut Vec<Command>) {
    ui.heading(&dataset.title);
    if let Some(description) = &dataset.description {
        ui.label(description);
    }
    ui.add_space(6.0);
    ui.label(
        RichText::new("Click an event on the map or the timeline to read what happened and where the sources say so.")
            .color(crate::theme::hint_color(ui.visuals())),
    );
    for source in &dataset.sources {
        source_ui(ui, source, "");
    }
    ui.add_space(8.0);
    ui.label(RichText::new(format!("All events ({})", dataset.events.len())).strong());
    // Every row is laid out every frame, so a long list is cut short; the timeline, the map
    // and the arrow keys reach the rest.
    let listed = if dataset.events.len() <= 100 { 100 } else { 40 };
    for (index, event) in dataset.events.iter().enumerate().take(listed) {
        event_row_ui(ui, dataset, index, event, commands);
    }
    if dataset.events.len() > listed {
        ui.weak(format!(
            "… and {} more: use the map, the timeline or the arrow keys",
            dataset.events.len() - listed
        ));
    }
}
