//! The event table's data: the sort keys (built once per dataset, when the table is first
//! shown) and the rows (the filter's matches in the table's order), kept in step with the
//! filter and the sort: at once for small datasets, on a background thread for big ones, the
//! table showing the last rows meanwhile.

use std::sync::Arc;
use std::time::Duration;

use super::EventAtlasApp;
use crate::background::Task;
use crate::model::order::{EventLabels, SortKeys, sort_rows};
use crate::model::regions::EventRegions;
use crate::model::{Dataset, EventSet};
use crate::state::TableSort;

/// Datasets up to this many events get their keys and rows on the UI thread.
const AT_ONCE_EVENTS: usize = 20_000;

/// Which rows, in which order: the filter result (its generation) and the sort.
type RowsOf = (u64, TableSort);

/// The table's keys and rows.
#[derive(Default)]
pub struct TableData {
    pub keys: Option<Arc<SortKeys>>,
    keys_task: Option<Task<SortKeys>>,
    /// The rows shown, and what they are of.
    pub rows: Arc<Vec<u32>>,
    rows_of: Option<RowsOf>,
    sorting: Option<(RowsOf, Task<Vec<u32>>)>,
    /// Why the keys could not be built.
    pub error: Option<String>,
}

impl TableData {
    /// Forgets everything: a new dataset.
    pub fn invalidate(&mut self) {
        *self = TableData::default();
    }

    /// Whether the rows shown are older than the filter or the sort asked for.
    pub fn is_busy(&self) -> bool {
        self.keys_task.is_some() || self.sorting.is_some()
    }

    /// Brings the keys and the rows up to date; returns whether work is still running.
    fn update(
        &mut self,
        dataset: &Arc<Dataset>,
        regions: &Arc<EventRegions>,
        matches: &Arc<EventSet>,
        wanted: RowsOf,
    ) -> bool {
        let Some(keys) = self.keys(dataset, regions) else {
            return true;
        };
        if let Some((of, task)) = &self.sorting
            && let Some(result) = task.try_result()
        {
            let of = *of;
            self.sorting = None;
            if let Ok(rows) = result {
                self.rows = Arc::new(rows);
                self.rows_of = Some(of);
            }
        }
        if self.rows_of == Some(wanted) || self.sorting.is_some() {
            return self.sorting.is_some();
        }
        if dataset.events.len() <= AT_ONCE_EVENTS {
            self.rows = Arc::new(sorted_rows(matches, wanted.1, &keys));
            self.rows_of = Some(wanted);
            return false;
        }
        let matches = Arc::clone(matches);
        let task = Task::spawn("Sorting the table", move || {
            Ok(sorted_rows(&matches, wanted.1, &keys))
        });
        self.sorting = Some((wanted, task));
        true
    }

    /// The keys, once built (started here the first time they are needed).
    fn keys(
        &mut self,
        dataset: &Arc<Dataset>,
        regions: &Arc<EventRegions>,
    ) -> Option<Arc<SortKeys>> {
        if let Some(keys) = &self.keys {
            return Some(Arc::clone(keys));
        }
        if let Some(task) = &self.keys_task {
            match task.try_result()? {
                Ok(keys) => self.keys = Some(Arc::new(keys)),
                Err(error) => {
                    self.error = Some(error);
                    self.keys = Some(Arc::new(SortKeys::default()));
                }
            }
            self.keys_task = None;
            return self.keys.clone();
        }
        if dataset.events.len() <= AT_ONCE_EVENTS {
            let keys = Arc::new(SortKeys::new(dataset, region_labels(regions), None, None));
            self.keys = Some(Arc::clone(&keys));
            return Some(keys);
        }
        let (data, regions) = (Arc::clone(dataset), Arc::clone(regions));
        self.keys_task = Some(Task::spawn("Preparing the table", move || {
            Ok(SortKeys::new(&data, region_labels(&regions), None, None))
        }));
        None
    }
}

/// Each event's region name, as the table shows and sorts it.
fn region_labels(regions: &EventRegions) -> EventLabels {
    let of_event = (0..regions.len())
        .map(|index| regions.region_of(index).map(|r| r as u32))
        .collect();
    EventLabels::new(of_event, regions.names().to_vec())
}

/// The matching events in the table's order.
fn sorted_rows(matches: &EventSet, sort: TableSort, keys: &SortKeys) -> Vec<u32> {
    let mut rows: Vec<u32> = matches.iter().map(|index| index as u32).collect();
    sort_rows(&mut rows, sort.column.into(), sort.descending, keys);
    rows
}

impl EventAtlasApp {
    /// Brings the table's rows up to date, once a frame while the table is shown.
    pub(super) fn update_table(&mut self, ctx: &egui::Context) {
        if !self.view.show_table {
            return;
        }
        let regions = Arc::clone(&self.map.data.regions);
        let wanted = (self.filtering.generation, self.view.table_sort);
        let matches = Arc::clone(&self.filtering.matches);
        if self.table.update(&self.dataset, &regions, &matches, wanted) {
            ctx.request_repaint_after(Duration::from_millis(30));
        }
    }

    /// Waits up to `timeout` for the table's rows (tests): whether they are ready.
    pub fn wait_for_table(&mut self, timeout: Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        let regions = Arc::clone(&self.map.data.regions);
        loop {
            let wanted = (self.filtering.generation, self.view.table_sort);
            let matches = Arc::clone(&self.filtering.matches);
            if !self.table.update(&self.dataset, &regions, &matches, wanted) {
                return true;
            }
            if std::time::Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}
