//! Event Atlas JSON export: the same layout as [`crate::io::write`] (one event a line), with
//! the dataset's categories and only the named places the exported events use.

use std::io;

use super::{EventWriter, ExportEvent};
use crate::io::write::{self, EventEntry, Header, LinkEntry};
use crate::model::{Dataset, Place};

pub(super) struct AtlasWriter<'a> {
    dataset: &'a Dataset,
    /// Named places (all of them: a subset would need every event's details first).
    places: &'a [Place],
    outlines: usize,
    eras: usize,
}

impl<'a> AtlasWriter<'a> {
    pub(super) fn new(dataset: &'a Dataset, events: &[usize]) -> Self {
        let outlines = dataset
            .shapes
            .iter()
            .filter(|shape| events.binary_search(&shape.event).is_ok())
            .count();
        Self {
            dataset,
            places: &dataset.places,
            outlines,
            eras: dataset.eras.len(),
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
        lost
    }
}
