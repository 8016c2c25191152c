//! What the timeline is given each frame.

use std::sync::Arc;

use crate::model::filter::Filter;
use crate::model::{Dataset, EventIndex, EventSet};
use crate::state::{LinkDisplay, TimeControl, TimelineView};

/// What the timeline shows this frame: it reads this and answers with commands.
pub struct TimelineFrame<'a> {
    pub dataset: &'a Dataset,
    pub time: &'a TimeControl,
    pub selected: Option<EventIndex>,
    pub hovered: Option<EventIndex>,
    /// The span to show, exactly (see [`super::range`]).
    pub view: TimelineView,
    /// The events the filter lets through: the only ones drawn, picked and counted. Each new
    /// result is a new `Arc`: the lanes' matching events are gathered again when it changes.
    pub matches: &'a Arc<EventSet>,
    /// The view's filter: its span is drawn, and a date range dragged out replaces it.
    pub filter: &'a Filter,
    /// Which links between events to draw.
    pub link_display: LinkDisplay,
}
