//! Event Atlas JSON export: the same layout as [`crate::io::write`] (one event a line), with
//! the dataset's categories and only the named places the exported events use.

use std::io;

use super::{EventWriter, ExportEvent};
use crate::io::write::{self, EventEntry, Header, LinkEntry};
use crate::model::{Dataset, Place, Story};

pub(super) struct AtlasWriter<'a> {
    dataset: &'a Dataset,
    /// Named places (all of them: a subset would need every event's details first).
    places: &'a [Place],
    outlines: usize,
    eras: usize,
    /// The story, without the selections of events that are not exported.
    story: Story,
    /// How many steps lost their selection that way.
    selections_left_out: usize,
}

impl<'a> AtlasWriter<'a> {
    pub(super) fn new(dataset: &'a Dataset, events: &[usize]) -> Self {
        let outlines = dataset
            .shapes
            .iter()
            .filter(|shape| events.binary_search(&shape.event).is_ok())
            .count();
        let mut story = dataset.story.clone();
        let mut selections_left_out = 0;
        for step in &mut story.steps {
            let exported = step
                .view
                .selection
                .as_deref()
                .and_then(|id| dataset.find(id))
                .is_some_and(|index| events.binary_search(&index).is_ok());
            if step.view.selection.is_some() && !exported {
                // The file would name an event it does not hold.
                step.view.selection = None;
                selections_left_out += 1;
            }
        }
        Self {
            dataset,
            places: &dataset.places,
            outlines,
            eras: dataset.eras.len(),
            story,
            selections_left_out,
        }
    }
}

impl EventWriter for AtlasWriter<'_> {
    fn begin(&self, out: &mut Vec<u8>) -> io::Result<()> {
        let dataset = self.dataset;
        let header = Header {
            title: &dataset.title,
            description: dataset.description.as_deref(),
            sources: &dataset.sources,
            categories: &dataset.categories,
            places: self.places,
            story: Some(&self.story),
        };
        write::write_header(out, &header)
    }

    fn event(
        &self,
        out: &mut Vec<u8>,
        position: usize,
        export: &ExportEvent<'_>,
    ) -> io::Result<()> {
        let links: Vec<LinkEntry<'_>> = export
            .links
            .iter()
            .map(|&(to, kind)| LinkEntry { to, kind })
            .collect();
        let category = export.category.map(|category| category.id.as_str());
        let entry = EventEntry::of(export.event, &export.details, category, &links);
        write::write_event(out, position, &entry)
    }

    fn finish(&self, out: &mut Vec<u8>, count: usize) -> io::Result<()> {
        write::write_footer(out, count)
    }

    fn not_kept(&self) -> Vec<String> {
        let mut lost = Vec::new();
        if self.outlines > 0 {
            lost.push(format!(
                "the outlines (lines, areas) of {} events",
                self.outlines
            ));
        }
        if self.eras > 0 {
            lost.push(format!("{} eras", self.eras));
        }
        match self.selections_left_out {
            0 => {}
            1 => lost.push("the selected event of 1 story step (it is not exported)".to_owned()),
            steps => lost.push(format!(
                "the selected events of {steps} story steps (they are not exported)"
            )),
        }
        lost
    }
}
