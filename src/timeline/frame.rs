//! What the timeline is given each frame.

use crate::model::{Dataset, EventIndex, EventSet};
use crate::state::{TimeControl, TimelineView};

/// What the timeline shows this frame: it reads this and answers with commands.
pub struct TimelineFrame<'a> {
    pub dataset: &'a Dataset,
    pub time: &'a TimeControl,
    pub selected: Option<EventIndex>,
    pub hovered: Option<EventIndex>,
    /// The span to show, exactly (see [`super::range`]).
    pub view: TimelineView,
    /// The events the filter lets through: the only ones drawn and counted.
    pub matches: &'a EventSet,
}
