//! The events the view's filter lets through, kept in step with the filter: at once for small
//! datasets, on a background thread for big ones (the views keep the last result meanwhile, so
//! frames never wait for a filter).

use std::sync::Arc;
use std::time::Duration;

use super::EventAtlasApp;
use crate::background::Task;
use crate::model::filter::Filter;
use crate::model::{Dataset, EventSet};

/// Datasets up to this many events are filtered on the UI thread (well under a millisecond
/// a thousand events without text, a few with it).
const FILTER_AT_ONCE_EVENTS: usize = 20_000;

/// The filter's result and the work that brings it up to date.
#[derive(Default)]
pub struct Filtering {
    /// What every view shows: the events `applied` lets through.
    pub matches: Arc<EventSet>,
    /// The filter `matches` is of (`None`: nothing computed yet for this dataset).
    applied: Option<Filter>,
    /// The filter being computed, and its result to come.
    running: Option<(Filter, Task<EventSet>)>,
    /// Why the last filter could not be applied (details unreadable), shown until the next.
    pub error: Option<String>,
}

impl Filtering {
    /// Whether a newer filter than the one shown is being computed.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Forgets the result: a new dataset of `len` events, shown whole until `filter` (if it
    /// holds anything) is applied to it.
    pub fn invalidate(&mut self, len: usize, filter: &Filter) {
        self.matches = Arc::new(EventSet::all(len));
        self.applied = filter.is_empty().then(Filter::default);
        self.running = None;
        self.error = None;
    }

    /// Starts bringing `matches` up to `filter` if it is not already, or takes in a result.
    /// Returns whether the views must be redrawn later (a computation is running).
    fn update(&mut self, dataset: &Arc<Dataset>, filter: &Filter) -> bool {
        if let Some((wanted, task)) = &self.running {
            if let Some(result) = task.try_result() {
                let wanted = wanted.clone();
                self.running = None;
                self.take(dataset, wanted, result);
            } else if wanted == filter {
                return true;
            }
        }
        if self.applied.as_ref() == Some(filter) || self.running.is_some() {
            return self.running.is_some();
        }
        if dataset.events.len() <= FILTER_AT_ONCE_EVENTS {
            let result = matching_set(dataset, filter);
            self.take(dataset, filter.clone(), result);
            return false;
        }
        let (data, wanted) = (Arc::clone(dataset), filter.clone());
        let task = Task::spawn("Filtering the events", move || matching_set(&data, &wanted));
        self.running = Some((filter.clone(), task));
        true
    }

    fn take(&mut self, dataset: &Dataset, filter: Filter, result: Result<EventSet, String>) {
        match result {
            Ok(matches) => {
                self.matches = Arc::new(matches);
                self.error = None;
            }
            Err(error) => {
                // The views keep the last result; the filter panel says why.
                self.error = Some(error);
                if self.matches.universe() != dataset.events.len() {
                    self.matches = Arc::new(EventSet::all(dataset.events.len()));
                }
            }
        }
        self.applied = Some(filter);
    }

    /// Waits up to `timeout` for the filter being computed (tests and pictures).
    pub fn wait(&mut self, dataset: &Arc<Dataset>, filter: &Filter, timeout: Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while self.update(dataset, filter) {
            if std::time::Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }
}

/// The events `filter` lets through, as a set.
fn matching_set(dataset: &Dataset, filter: &Filter) -> Result<EventSet, String> {
    let len = dataset.events.len();
    if filter.is_empty() {
        return Ok(EventSet::all(len));
    }
    Ok(EventSet::from_indices(len, filter.matching(dataset)?))
}

impl EventAtlasApp {
    /// Brings the filter's result up to date, once a frame (before anything is drawn).
    pub(super) fn update_filtering(&mut self, ctx: &egui::Context) {
        if self.filtering.update(&self.dataset, &self.view.filter) {
            ctx.request_repaint_after(Duration::from_millis(16));
        }
    }

    /// Waits for the filter to be applied (tests, `render`): returns whether it was in time.
    pub fn wait_for_filter(&mut self, timeout: Duration) -> bool {
        self.filtering
            .wait(&self.dataset, &self.view.filter, timeout)
    }
}
