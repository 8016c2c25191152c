//! The command palette (Ctrl+K or Ctrl+Shift+P): type to find any action, see its shortcut,
//! run it with Enter or a click. Modelled on rerun's `CommandPalette`.

use egui::{Align2, Key, Modifiers, Ui};

use crate::action::{Action, ActionContext, palette_matches};
use crate::command::{Command, PaletteCommand};

/// The palette's state: UI state, changed only through [`PaletteCommand`]s.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaletteState {
    pub open: bool,
    /// What is typed in the search field.
    pub query: String,
    /// Which matching row Enter runs.
    pub choice: usize,
}

impl PaletteState {
    /// Applies one palette command; opening or closing starts the next search afresh.
    pub fn apply(&mut self, command: PaletteCommand) {
        match command {
            PaletteCommand::Toggle => {
                *self = Self {
                    open: !self.open,
                    ..Self::default()
                };
            }
            PaletteCommand::Close => *self = Self::default(),
            PaletteCommand::SetQuery(query) => {
                self.query = query;
                self.choice = 0;
            }
            PaletteCommand::Choose(choice) => self.choice = choice,
        }
    }
}

/// The palette's own keys, taken before the text field can see them.
struct PaletteKeys {
    close: bool,
    enter: bool,
    up: usize,
    down: usize,
}

impl PaletteKeys {
    fn consume(ctx: &egui::Context) -> Self {
        ctx.input_mut(|input| {
            let toggle = Action::CommandPalette
                .shortcuts()
                .iter()
                .any(|shortcut| input.consume_shortcut(shortcut));
            Self {
                close: toggle || input.consume_key(Modifiers::NONE, Key::Escape),
                enter: input.consume_key(Modifiers::NONE, Key::Enter),
                up: input.count_and_consume_key(Modifiers::NONE, Key::ArrowUp),
                down: input.count_and_consume_key(Modifiers::NONE, Key::ArrowDown),
            }
        })
    }
}

/// The open palette: a search field with the focus and the actions that match it.
pub fn palette_window(
    ctx: &egui::Context,
    palette: &PaletteState,
    context: &ActionContext,
) -> Vec<Command> {
    let keys = PaletteKeys::consume(ctx);
    if keys.close {
        return vec![Command::Palette(PaletteCommand::Close)];
    }
    let mut commands = Vec::new();
    egui::Window::new("Command palette")
        .title_bar(false)
        .collapsible(false)
        .resizable(false)
        .anchor(Align2::CENTER_TOP, [0.0, 60.0])
        .fixed_size([420.0, 0.0])
        .show(ctx, |ui| {
            palette_ui(ui, palette, context, &keys, &mut commands);
        });
    commands
}

fn palette_ui(
    ui: &mut Ui,
    palette: &PaletteState,
    context: &ActionContext,
    keys: &PaletteKeys,
    commands: &mut Vec<Command>,
) {
    // The query is edited in a copy and stored through a command; this frame already lists
    // what the new query matches.
    let mut query = palette.query.clone();
    ui.add(
        egui::TextEdit::singleline(&mut query)
            .hint_text("Type to find an action")
            .desired_width(f32::INFINITY)
            .lock_focus(true),
    )
    .request_focus();
    let changed = query != palette.query;
    let matches = palette_matches(&query);
    let first = if changed { 0 } else { palette.choice };
    let choice = first
        .saturating_add(keys.down)
        .saturating_sub(keys.up)
        .min(matches.len().saturating_sub(1));
    if changed {
        commands.push(Command::Palette(PaletteCommand::SetQuery(query)));
    }
    if choice != first {
        commands.push(Command::Palette(PaletteCommand::Choose(choice)));
    }
    let moved = keys.up + keys.down > 0;
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .show(ui, |ui| {
            for (row, &action) in matches.iter().enumerate() {
                let chosen = row == choice;
                let clicked = row_ui(ui, action, chosen, chosen && moved, context);
                if clicked || (chosen && keys.enter && action.unavailable_reason(context).is_none())
                {
                    commands.extend(run(action));
                }
            }
            if matches.is_empty() {
                ui.weak("No action matches");
            }
        });
}

/// One action: its name and shortcut, disabled with the reason when it cannot run now.
/// Returns whether it was clicked.
fn row_ui(
    ui: &mut Ui,
    action: Action,
    chosen: bool,
    scroll_to: bool,
    context: &ActionContext,
) -> bool {
    let reason = action.unavailable_reason(context);
    let mut button = egui::Button::selectable(chosen, action.name())
        .min_size(egui::vec2(ui.available_width(), 0.0));
    if let Some(keys) = action.shortcut_text(ui.ctx()) {
        button = button.shortcut_text(keys);
    }
    let response = ui
        .add_enabled(reason.is_none(), button)
        .on_hover_text(action.tooltip());
    if scroll_to {
        response.scroll_to_me(None);
    }
    if let Some(reason) = reason {
        ui.weak(format!("Cannot run now: {reason}"));
    }
    response.clicked()
}

/// What running an action from the palette does: the palette closes, then the action runs.
fn run(action: Action) -> Vec<Command> {
    let close = Command::Palette(PaletteCommand::Close);
    match action {
        // Its own action would open it again.
        Action::CommandPalette => vec![close],
        _ => vec![close, action.command()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_and_closing_start_the_next_search_afresh() {
        let mut palette = PaletteState::default();
        palette.apply(PaletteCommand::Toggle);
        assert!(palette.open);
        palette.apply(PaletteCommand::SetQuery("zoom".to_owned()));
        palette.apply(PaletteCommand::Choose(1));
        assert_eq!((palette.query.as_str(), palette.choice), ("zoom", 1));
        palette.apply(PaletteCommand::SetQuery("zoom o".to_owned()));
        assert_eq!(palette.choice, 0, "a new query chooses its first match");
        palette.apply(PaletteCommand::Toggle);
        assert_eq!(palette, PaletteState::default());
        palette.apply(PaletteCommand::Toggle);
        palette.apply(PaletteCommand::SetQuery("fit".to_owned()));
        palette.apply(PaletteCommand::Close);
        assert_eq!(palette, PaletteState::default());
    }

    #[test]
    fn running_from_the_palette_closes_it_first() {
        let close = Command::Palette(PaletteCommand::Close);
        assert_eq!(
            run(Action::FitMap),
            vec![close.clone(), Command::FitAllEvents]
        );
        assert_eq!(run(Action::CommandPalette), vec![close]);
    }
}
