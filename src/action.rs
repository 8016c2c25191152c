//! Every user action in one registry: its name, its tooltip, its keyboard shortcuts and the
//! command it issues. The menus, the key handling, the help overlay, the tooltips and the command
//! palette all read it, so a shortcut is written down in one place only.

use egui::{Key, KeyboardShortcut, Modifiers, ThemePreference};

use crate::command::{
    AnimationCommand, Command, Direction, ExportCommand, PaletteCommand, StoryCommand,
};
use crate::state::{LinkDisplay, MapMode};

/// Something the user can do from a menu, a shortcut or the command palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Open,
    Reload,
    Export,
    ExportAnimation,
    Quit,
    PlayPause,
    PreviousEvent,
    NextEvent,
    PreviousDate,
    NextDate,
    FirstDate,
    LastDate,
    ZoomIn,
    ZoomOut,
    FitMap,
    FitTimeline,
    ClearSelection,
    ToggleDetails,
    ToggleTimeline,
    ToggleLiveReload,
    Search,
    ClearFilter,
    ToggleFilters,
    ToggleTable,
    ToggleStory,
    PreviousStep,
    NextStep,
    Present,
    MapMarkers,
    MapDensity,
    MapRegions,
    LinksAll,
    LinksOfSelection,
    LinksHidden,
    CycleLinks,
    ThemeSystem,
    ThemeLight,
    ThemeDark,
    Help,
    About,
    CommandPalette,
    ClearRecentFiles,
}

/// What the actions need to know of the app: which can run now, and which are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionContext {
    /// The open dataset came from a file (the built-in one cannot be reloaded).
    pub can_reload: bool,
    /// Files were opened before (File ▸ Open recent lists them).
    pub has_recent_files: bool,
    pub show_details: bool,
    pub show_timeline: bool,
    pub show_filters: bool,
    pub show_table: bool,
    /// The filter holds something to clear.
    pub filtered: bool,
    pub map_mode: MapMode,
    /// Which links the map and the timeline draw.
    pub link_display: LinkDisplay,
    /// The open file is reloaded when it changes (View ▸ Follow file changes).
    pub follow_file_changes: bool,
    pub help_open: bool,
    pub palette_open: bool,
    /// The import or export dialog is open: it reads its own keys (Esc closes it).
    pub dialog_open: bool,
    pub theme: ThemePreference,
    pub story: StoryContext,
}

/// What the story actions need to know.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoryContext {
    /// How many steps the story has.
    pub steps: usize,
    /// Presentation mode is on: ←/→ step the story and Esc leaves it.
    pub presenting: bool,
    pub show_panel: bool,
}

/// How an action that is a setting shows its state in a menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A panel shown or hidden: a check box.
    Check(bool),
    /// One of several choices (the theme): a radio button.
    Radio(bool),
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

const fn command(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

/// How far the zoom actions zoom the map.
const ZOOM_STEP: f64 = 2.0;

impl Action {
    /// Every action, in the order the command palette lists them.
    pub const ALL: [Action; 42] = [
        Action::Open,
        Action::Reload,
        Action::Export,
        Action::ExportAnimation,
        Action::PlayPause,
        Action::PreviousEvent,
        Action::NextEvent,
        Action::PreviousDate,
        Action::NextDate,
        Action::FirstDate,
        Action::LastDate,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::FitMap,
        Action::FitTimeline,
        Action::ClearSelection,
        Action::ToggleDetails,
        Action::ToggleTimeline,
        Action::ToggleLiveReload,
        Action::Search,
        Action::ClearFilter,
        Action::ToggleFilters,
        Action::ToggleTable,
        Action::ToggleStory,
        Action::PreviousStep,
        Action::NextStep,
        Action::Present,
        Action::MapMarkers,
        Action::MapDensity,
        Action::MapRegions,
        Action::LinksAll,
        Action::LinksOfSelection,
        Action::LinksHidden,
        Action::CycleLinks,
        Action::ThemeSystem,
        Action::ThemeLight,
        Action::ThemeDark,
        Action::CommandPalette,
        Action::Help,
        Action::About,
        Action::ClearRecentFiles,
        Action::Quit,
    ];

    /// The name shown in menus, the help overlay and the command palette.
    pub fn name(self) -> &'static str {
        self.name_and_tooltip().0
    }

    /// What the action does, in a sentence (shown on hover).
    pub fn tooltip(self) -> &'static str {
        self.name_and_tooltip().1
    }

    fn name_and_tooltip(self) -> (&'static str, &'static str) {
        match self {
            Action::Open => (
                "Open…",
                "Open a dataset: Event Atlas JSON, GeoJSON, CSV/TSV, a spreadsheet, KML/KMZ, TimelineJS or StoryMapJS",
            ),
            Action::Reload => ("Reload", "Read the open dataset's file again"),
            Action::Export => (
                "Export…",
                "Write the events shown as Event Atlas JSON, GeoJSON, CSV or KML, or save a picture of the map, the timeline or the window",
            ),
            Action::ExportAnimation => (
                "Export animation…",
                "Write playback or the story as an animated GIF or a folder of numbered PNGs, with a preview of its frames",
            ),
            Action::Quit => ("Quit", "Close Event Atlas"),
            Action::PlayPause => ("Play / pause", "Move the playhead through time, or stop"),
            Action::PreviousEvent => (
                "Previous event",
                "Select the event before and move the playhead to it",
            ),
            Action::NextEvent => (
                "Next event",
                "Select the event after and move the playhead to it",
            ),
            Action::PreviousDate => (
                "Previous date with events",
                "Move the playhead back to the last date before it with a matching event",
            ),
            Action::NextDate => (
                "Next date with events",
                "Move the playhead on to the next date with a matching event",
            ),
            Action::FirstDate => ("Go to the first date", "Move the playhead to the start"),
            Action::LastDate => ("Go to the last date", "Move the playhead to the end"),
            Action::ZoomIn => ("Zoom the map in", "Zoom in around the map's centre"),
            Action::ZoomOut => ("Zoom the map out", "Zoom out around the map's centre"),
            Action::FitMap => ("Fit all events on the map", "Frame every placed event"),
            Action::FitTimeline => ("Fit the timeline", "Show the whole time span"),
            Action::ClearSelection => (
                "Clear the selection",
                "Deselect the event (Esc closes the palette or the help first)",
            ),
            Action::ToggleDetails => ("Details panel", "Show or hide the details panel"),
            Action::ToggleTimeline => ("Timeline", "Show or hide the timeline"),
            Action::ToggleLiveReload => (
                "Follow file changes",
                "Reload the open file when another program changes it, keeping the selection, the map and the playhead",
            ),
            Action::Search => ("Search events…", "Find events by words in their texts"),
            Action::ClearFilter => (
                "Clear the filter",
                "Show every event again on the map, the timeline and the table",
            ),
            Action::ToggleFilters => ("Filters", "Show or hide the filter panel"),
            Action::ToggleTable => ("Event table", "Show or hide the table of matching events"),
            Action::ToggleStory | Action::PreviousStep | Action::NextStep | Action::Present => {
                story_name_and_tooltip(self)
            }
            Action::MapMarkers | Action::MapDensity | Action::MapRegions => {
                self.map_mode_name_and_tooltip()
            }
            Action::LinksAll
            | Action::LinksOfSelection
            | Action::LinksHidden
            | Action::CycleLinks => self.links_name_and_tooltip(),
            Action::ThemeSystem => ("Theme: follow the system", "Light or dark as the system is"),
            Action::ThemeLight => ("Theme: light", "Dark text on a light background"),
            Action::ThemeDark => ("Theme: dark", "Light text on a dark background"),
            Action::Help => ("Keyboard shortcuts", "Show or hide the keyboard shortcuts"),
            Action::About => ("About Event Atlas", "The app, its data sources and licence"),
            Action::CommandPalette => ("Command palette…", "Find any action by typing its name"),
            Action::ClearRecentFiles => (
                "Clear recent files",
                "Forget the files listed in File ▸ Open recent",
            ),
        }
    }

    /// The names and tooltips of the map's modes.
    fn map_mode_name_and_tooltip(self) -> (&'static str, &'static str) {
        match self {
            Action::MapMarkers => (
                "Map: markers",
                "A marker for each event, clusters where they would overlap",
            ),
            Action::MapDensity => (
                "Map: density",
                "A heat map of where the events in the time window are",
            ),
            // Action::MapRegions, the only other caller.
            _ => (
                "Map: regions",
                "Shade regions by how many events in the time window are in them; click one to filter to it",
            ),
        }
    }

    /// The names and tooltips of the link choices (View ▸ Links).
    fn links_name_and_tooltip(self) -> (&'static str, &'static str) {
        match self {
            Action::LinksOfSelection => (
                "Links: of the selection only",
                "Draw only the links of the selected event",
            ),
            Action::LinksHidden => ("Links: hide", "Draw no link between events"),
            Action::CycleLinks => (
                "Links: next choice",
                "Cycle through all links, the selection's links only, and no links",
            ),
            _ => (
                "Links: all",
                "Draw every link between two events that are shown, on the map and the timeline",
            ),
        }
    }

    /// Keyboard shortcuts, the primary first. Plain keys also work with Shift held (on many
    /// layouts `+` and `?` need it).
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        match self {
            Action::Open => const { &[command(Key::O)] },
            Action::Reload => const { &[command(Key::R), plain(Key::F5)] },
            Action::Export => const { &[command(Key::E)] },
            Action::Quit => const { &[command(Key::Q)] },
            Action::PlayPause => const { &[plain(Key::Space)] },
            Action::PreviousEvent => const { &[plain(Key::ArrowLeft)] },
            Action::NextEvent => const { &[plain(Key::ArrowRight)] },
            Action::PreviousDate => const { &[plain(Key::OpenBracket)] },
            Action::NextDate => const { &[plain(Key::CloseBracket)] },
            Action::FirstDate => const { &[plain(Key::Home)] },
            Action::LastDate => const { &[plain(Key::End)] },
            Action::ZoomIn => const { &[plain(Key::Plus), plain(Key::Equals)] },
            Action::ZoomOut => const { &[plain(Key::Minus)] },
            Action::FitMap => const { &[plain(Key::F)] },
            Action::ClearSelection => const { &[plain(Key::Escape)] },
            Action::Help => const { &[plain(Key::F1), plain(Key::Questionmark)] },
            Action::Search => const { &[command(Key::F)] },
            Action::ToggleTable => const { &[command(Key::T)] },
            Action::CycleLinks => const { &[plain(Key::L)] },
            Action::PreviousStep => const { &[plain(Key::PageUp)] },
            Action::NextStep => const { &[plain(Key::PageDown)] },
            Action::Present => const { &[plain(Key::F11)] },
            Action::CommandPalette => {
                const {
                    &[
                        command(Key::K),
                        KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::P),
                    ]
                }
            }
            Action::FitTimeline
            | Action::ExportAnimation
            | Action::ToggleDetails
            | Action::ToggleTimeline
            | Action::ToggleLiveReload
            | Action::ToggleFilters
            | Action::ToggleStory
            | Action::ClearFilter
            | Action::MapMarkers
            | Action::MapDensity
            | Action::MapRegions
            | Action::LinksAll
            | Action::LinksOfSelection
            | Action::LinksHidden
            | Action::ThemeSystem
            | Action::ThemeLight
            | Action::ThemeDark
            | Action::About
            | Action::ClearRecentFiles => &[],
        }
    }

    /// The shortcuts as the user reads them, e.g. "Ctrl+R or F5" (`None` without any).
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        let texts: Vec<String> = self
            .shortcuts()
            .iter()
            .map(|shortcut| shortcut_label(ctx, shortcut))
            .collect();
        (!texts.is_empty()).then(|| texts.join(" or "))
    }

    /// The command the action issues.
    pub fn command(self) -> Command {
        match self {
            Action::Open => Command::OpenDialog,
            Action::Reload => Command::Reload,
            Action::Export => Command::Export(ExportCommand::Open),
            Action::ExportAnimation => Command::Animation(AnimationCommand::Open),
            Action::Quit => Command::Quit,
            Action::PlayPause => Command::TogglePlay,
            Action::PreviousEvent => Command::Step(Direction::Previous),
            Action::NextEvent => Command::Step(Direction::Next),
            Action::PreviousDate => Command::StepDate(Direction::Previous),
            Action::NextDate => Command::StepDate(Direction::Next),
            Action::FirstDate => Command::JumpToStart,
            Action::LastDate => Command::JumpToEnd,
            Action::ZoomIn => Command::ZoomMap(ZOOM_STEP),
            Action::ZoomOut => Command::ZoomMap(1.0 / ZOOM_STEP),
            Action::FitMap => Command::FitAllEvents,
            Action::FitTimeline => Command::FitTimeline,
            Action::ClearSelection => Command::Select(None),
            Action::ToggleDetails => Command::ToggleDetails,
            Action::ToggleTimeline => Command::ToggleTimeline,
            Action::ToggleLiveReload => Command::ToggleLiveReload,
            Action::Search => Command::FocusSearch,
            Action::ClearFilter => Command::ClearFilter,
            Action::ToggleFilters => Command::ToggleFilters,
            Action::ToggleTable => Command::ToggleTable,
            Action::ToggleStory => Command::Story(StoryCommand::TogglePanel),
            Action::PreviousStep => Command::Story(StoryCommand::Previous),
            Action::NextStep => Command::Story(StoryCommand::Next),
            Action::Present => Command::Story(StoryCommand::Present(true)),
            Action::MapMarkers => Command::SetMapMode(MapMode::Markers),
            Action::MapDensity => Command::SetMapMode(MapMode::Density),
            Action::MapRegions => Command::SetMapMode(MapMode::Regions),
            Action::LinksAll => Command::SetLinkDisplay(LinkDisplay::All),
            Action::LinksOfSelection => Command::SetLinkDisplay(LinkDisplay::SelectionOnly),
            Action::LinksHidden => Command::SetLinkDisplay(LinkDisplay::Hidden),
            Action::CycleLinks => Command::CycleLinkDisplay,
            Action::ThemeSystem => Command::SetTheme(ThemePreference::System),
            Action::ThemeLight => Command::SetTheme(ThemePreference::Light),
            Action::ThemeDark => Command::SetTheme(ThemePreference::Dark),
            Action::Help => Command::ToggleHelp,
            Action::About => Command::ShowAbout(true),
            Action::CommandPalette => Command::Palette(PaletteCommand::Toggle),
            Action::ClearRecentFiles => Command::ClearRecentFiles,
        }
    }

    /// Why the action cannot run now, or `None` when it can.
    pub fn unavailable_reason(self, context: &ActionContext) -> Option<&'static str> {
        match self {
            Action::Reload if !context.can_reload => {
                Some("The built-in dataset has no file to reload")
            }
            Action::ClearRecentFiles if !context.has_recent_files => Some("No file was opened yet"),
            Action::ClearFilter if !context.filtered => Some("Every event is shown already"),
            Action::PreviousStep | Action::NextStep | Action::Present
                if context.story.steps == 0 =>
            {
                Some(
                    "The story has no steps yet: add the current view as a step in the story panel (View menu, Story)",
                )
            }
            _ => None,
        }
    }

    /// The state of an action that is a setting (a panel shown, the theme chosen).
    pub fn mark(self, context: &ActionContext) -> Option<Mark> {
        match self {
            Action::ToggleDetails => Some(Mark::Check(context.show_details)),
            Action::ToggleTimeline => Some(Mark::Check(context.show_timeline)),
            Action::ToggleLiveReload => Some(Mark::Check(context.follow_file_changes)),
            Action::ToggleFilters => Some(Mark::Check(context.show_filters)),
            Action::ToggleTable => Some(Mark::Check(context.show_table)),
            Action::ToggleStory => Some(Mark::Check(context.story.show_panel)),
            Action::MapMarkers => Some(Mark::Radio(context.map_mode == MapMode::Markers)),
            Action::MapDensity => Some(Mark::Radio(context.map_mode == MapMode::Density)),
            Action::MapRegions => Some(Mark::Radio(context.map_mode == MapMode::Regions)),
            Action::LinksAll => Some(Mark::Radio(context.link_display == LinkDisplay::All)),
            Action::LinksOfSelection => Some(Mark::Radio(
                context.link_display == LinkDisplay::SelectionOnly,
            )),
            Action::LinksHidden => Some(Mark::Radio(context.link_display == LinkDisplay::Hidden)),
            Action::ThemeSystem => Some(Mark::Radio(context.theme == ThemePreference::System)),
            Action::ThemeLight => Some(Mark::Radio(context.theme == ThemePreference::Light)),
            Action::ThemeDark => Some(Mark::Radio(context.theme == ThemePreference::Dark)),
            _ => None,
        }
    }
}

/// The story actions' names and tooltips (only they come here, from `name_and_tooltip`).
fn story_name_and_tooltip(action: Action) -> (&'static str, &'static str) {
    match action {
        Action::PreviousStep => (
            "Previous story step",
            "Show the story's step before this one (the Left arrow key too while presenting)",
        ),
        Action::NextStep => (
            "Next story step",
            "Show the story's next step (the Right arrow key too while presenting)",
        ),
        Action::Present => (
            "Present",
            "Show the story full screen: the map, the timeline and each step's caption (Esc leaves)",
        ),
        _ => (
            "Story",
            "Show or hide the story panel: steps that each show a view with a caption",
        ),
    }
}

/// One shortcut as the user reads it: "Ctrl+O", "F5", "+", "Left".
fn shortcut_label(ctx: &egui::Context, shortcut: &KeyboardShortcut) -> String {
    if !shortcut.modifiers.is_none() {
        return ctx.format_shortcut(shortcut);
    }
    // egui's long names ("Plus", "Questionmark") are for modifiers; a plain key reads best as
    // its symbol, except the arrows, whose symbols are small triangles.
    match shortcut.logical_key {
        key @ (Key::ArrowLeft | Key::ArrowRight | Key::ArrowUp | Key::ArrowDown) => {
            key.name().to_owned()
        }
        key => key.symbol_or_name().to_owned(),
    }
}

/// What Esc does: it closes the palette or the help if one is open, else leaves presentation
/// mode, else clears the selection.
pub fn escape_command(context: &ActionContext) -> Command {
    if context.palette_open {
        Command::Palette(PaletteCommand::Close)
    } else if context.help_open {
        Command::ToggleHelp
    } else if context.story.presenting {
        Command::Story(StoryCommand::Present(false))
    } else {
        Action::ClearSelection.command()
    }
}

/// The command a shortcut issues now: the same as [`Action::command`], except Esc (see
/// [`escape_command`]), ←/→, which step the story while presenting and events otherwise, and
/// F11, which also leaves presentation mode.
pub fn shortcut_command(action: Action, context: &ActionContext) -> Command {
    let presenting = context.story.presenting;
    match action {
        Action::ClearSelection => escape_command(context),
        Action::PreviousEvent if presenting => Action::PreviousStep.command(),
        Action::NextEvent if presenting => Action::NextStep.command(),
        Action::Present => Command::Story(StoryCommand::Present(!presenting)),
        _ => action.command(),
    }
}

/// How well an action's name matches what was typed in the palette, best first: every word
/// starts a word of the name (`fit map`), every word is somewhere in the name (`vents`), or
/// the letters come in order (`fm`). `None`: no match. An empty query matches everything.
pub fn query_rank(name: &str, query: &str) -> Option<u8> {
    let name = name.to_lowercase();
    let query = query.to_lowercase();
    let starts_a_word = |word: &str| {
        name.split(|c: char| !c.is_alphanumeric())
            .any(|w| w.starts_with(word))
    };
    if query.split_whitespace().all(starts_a_word) {
        Some(0)
    } else if query.split_whitespace().all(|word| name.contains(word)) {
        Some(1)
    } else if is_subsequence(query.chars().filter(|c| !c.is_whitespace()), &name) {
        Some(2)
    } else {
        None
    }
}

/// The actions that match a palette query, best matches first, in registry order within a rank.
pub fn palette_matches(query: &str) -> Vec<Action> {
    let mut ranked: Vec<(u8, Action)> = Action::ALL
        .into_iter()
        .filter_map(|action| Some((query_rank(action.name(), query)?, action)))
        .collect();
    // Stable: registry order among equal ranks.
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, action)| action).collect()
}

fn is_subsequence(mut needle: impl Iterator<Item = char>, haystack: &str) -> bool {
    let mut wanted = needle.next();
    for c in haystack.chars() {
        match wanted {
            Some(w) if w == c => wanted = needle.next(),
            Some(_) => {}
            None => break,
        }
    }
    wanted.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_once_with_a_name_and_a_tooltip() {
        for (i, action) in Action::ALL.iter().enumerate() {
            assert!(!action.name().is_empty(), "{action:?}");
            assert!(!action.tooltip().is_empty(), "{action:?}");
            assert!(
                !Action::ALL[..i].contains(action),
                "{action:?} is listed twice"
            );
        }
    }

    #[test]
    fn no_two_actions_share_a_name() {
        for (i, a) in Action::ALL.iter().enumerate() {
            for b in &Action::ALL[i + 1..] {
                assert_ne!(a.name(), b.name(), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn no_key_is_used_by_two_shortcuts() {
        // egui matches shortcuts logically (extra Shift and Alt are ignored), so two shortcuts
        // on one key that differ only in Shift or Alt could shadow each other: none may. Ctrl
        // (Cmd) is never ignored: F and Ctrl+F are two keys.
        let shortcuts: Vec<(Action, KeyboardShortcut)> = Action::ALL
            .iter()
            .flat_map(|&a| a.shortcuts().iter().map(move |&s| (a, s)))
            .collect();
        for (i, (a, first)) in shortcuts.iter().enumerate() {
            for (b, second) in &shortcuts[i + 1..] {
                assert_ne!(
                    (first.logical_key, first.modifiers.command),
                    (second.logical_key, second.modifiers.command),
                    "{a:?} and {b:?} both use {:?}",
                    first.logical_key
                );
            }
        }
    }

    #[test]
    fn shortcuts_read_as_the_user_types_them() {
        let ctx = egui::Context::default();
        assert_eq!(
            Action::Reload.shortcut_text(&ctx).as_deref(),
            Some("Ctrl+R or F5")
        );
        assert_eq!(Action::Help.shortcut_text(&ctx).as_deref(), Some("F1 or ?"));
        assert_eq!(
            Action::CommandPalette.shortcut_text(&ctx).as_deref(),
            Some("Ctrl+K or Ctrl+Shift+P")
        );
        assert_eq!(Action::FitTimeline.shortcut_text(&ctx), None);
    }

    #[test]
    fn reload_cannot_run_on_the_builtin_dataset() {
        let context = ActionContext {
            can_reload: false,
            has_recent_files: true,
            show_details: true,
            show_timeline: true,
            show_filters: true,
            show_table: false,
            filtered: false,
            map_mode: MapMode::Markers,
            link_display: LinkDisplay::All,
            follow_file_changes: true,
            help_open: false,
            palette_open: false,
            dialog_open: false,
            theme: ThemePreference::System,
            story: StoryContext {
                steps: 2,
                ..StoryContext::default()
            },
        };
        assert!(Action::Reload.unavailable_reason(&context).is_some());
        let from_file = ActionContext {
            can_reload: true,
            ..context
        };
        assert_eq!(Action::Reload.unavailable_reason(&from_file), None);
        let filtered = ActionContext {
            filtered: true,
            ..context
        };
        assert!(Action::ClearFilter.unavailable_reason(&context).is_some());
        assert_eq!(Action::ClearFilter.unavailable_reason(&filtered), None);
        for action in Action::ALL
            .into_iter()
            .filter(|&a| a != Action::Reload && a != Action::ClearFilter)
        {
            assert_eq!(action.unavailable_reason(&context), None, "{action:?}");
        }
    }

    #[test]
    fn escape_closes_the_palette_then_the_help_then_clears_the_selection() {
        let mut context = ActionContext {
            can_reload: false,
            has_recent_files: false,
            show_details: true,
            show_timeline: true,
            show_filters: true,
            show_table: false,
            filtered: false,
            map_mode: MapMode::Markers,
            link_display: LinkDisplay::All,
            follow_file_changes: true,
            help_open: true,
            palette_open: true,
            dialog_open: false,
            theme: ThemePreference::System,
            story: StoryContext::default(),
        };
        assert_eq!(
            escape_command(&context),
            Command::Palette(PaletteCommand::Close)
        );
        context.palette_open = false;
        assert_eq!(escape_command(&context), Command::ToggleHelp);
        context.help_open = false;
        assert_eq!(escape_command(&context), Command::Select(None));
    }

    #[test]
    fn while_presenting_arrows_step_the_story_and_escape_leaves() {
        let mut context = ActionContext {
            can_reload: false,
            has_recent_files: false,
            show_details: true,
            show_timeline: true,
            show_filters: false,
            show_table: false,
            filtered: false,
            map_mode: MapMode::Markers,
            link_display: LinkDisplay::All,
            follow_file_changes: true,
            help_open: false,
            palette_open: false,
            dialog_open: false,
            theme: ThemePreference::System,
            story: StoryContext {
                steps: 3,
                presenting: false,
                show_panel: true,
            },
        };
        let step = |direction| Command::Step(direction);
        assert_eq!(
            shortcut_command(Action::NextEvent, &context),
            step(Direction::Next)
        );
        assert_eq!(
            shortcut_command(Action::Present, &context),
            Command::Story(StoryCommand::Present(true))
        );
        context.story.presenting = true;
        assert_eq!(
            shortcut_command(Action::NextEvent, &context),
            Command::Story(StoryCommand::Next)
        );
        assert_eq!(
            shortcut_command(Action::PreviousEvent, &context),
            Command::Story(StoryCommand::Previous)
        );
        assert_eq!(
            shortcut_command(Action::ClearSelection, &context),
            Command::Story(StoryCommand::Present(false))
        );
        assert_eq!(
            shortcut_command(Action::Present, &context),
            Command::Story(StoryCommand::Present(false))
        );
        // Space still plays and pauses.
        assert_eq!(
            shortcut_command(Action::PlayPause, &context),
            Command::TogglePlay
        );
        // The help closes first.
        context.help_open = true;
        assert_eq!(
            shortcut_command(Action::ClearSelection, &context),
            Command::ToggleHelp
        );
        // Without steps there is nothing to step through or present.
        context.story.steps = 0;
        for action in [Action::NextStep, Action::PreviousStep, Action::Present] {
            assert!(action.unavailable_reason(&context).is_some(), "{action:?}");
        }
    }

    #[test]
    fn queries_match_words_in_any_order_or_letters_in_order() {
        let name = "Fit all events on the map";
        assert_eq!(query_rank(name, ""), Some(0));
        assert_eq!(query_rank(name, "MAP fit"), Some(0));
        assert_eq!(query_rank(name, "vents"), Some(1));
        assert_eq!(query_rank(name, "fitmap"), Some(2));
        assert_eq!(query_rank(name, "fm"), Some(2));
        assert_eq!(query_rank(name, "zoom"), None);
        assert_eq!(query_rank(name, "map fit x"), None);
        assert_eq!(query_rank(name, "pamtif"), None, "letters out of order");
    }

    #[test]
    fn whole_words_rank_before_letters_in_order() {
        // "Go to the first date" has f, i, t in order, but the fit actions say "fit".
        let found = palette_matches("fit");
        assert_eq!(found.first(), Some(&Action::FitMap));
        assert_eq!(found.get(1), Some(&Action::FitTimeline));
        assert!(found.contains(&Action::FirstDate));
        assert_eq!(palette_matches("").len(), Action::ALL.len());
    }
}
