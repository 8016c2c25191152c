//! The events the view's filter lets through, kept in step with the filter: at once for small
//! datasets, on a background thread for big ones (the views keep the last result meanwhile, so
//! frames never wait for a filter).

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::EventAtlasApp;
use crate::background::Task;
use crate::model::filter::{Criterion, Filter, FilterContext, FilterOutcome};
use crate::model::regions::EventRegions;
use crate::model::search::SearchIndex;
use crate::model::{Dataset, EventSet};

/// Datasets up to this many events get their text index on the UI thread, at load (a few
/// milliseconds); bigger ones in the background, small filters reading the details meanwhile.
const INDEX_AT_ONCE_EVENTS: usize = 2_000;

/// Datasets up to this many events are filtered on the UI thread (a few milliseconds at most).
const FILTER_AT_ONCE_EVENTS: usize = 20_000;

/// What a filter's result holds for the views: the matches, what each criterion removed, and
/// the matches counted by category and region (for the filter panel's lists).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filtered {
    pub outcome: FilterOutcome,
    /// Matching events by category position; the last entry counts the uncategorised.
    pub by_category: Vec<usize>,
    /// Matching events by region (positions in [`EventRegions::codes`]).
    pub by_region: Vec<usize>,
}

impl Filtered {
    /// How many events `criterion` removes on its own.
    pub fn removed_by(&self, criterion: Criterion) -> usize {
        self.outcome
            .removed_by
            .iter()
            .find(|(c, _)| *c == criterion)
            .map_or(0, |(_, n)| *n)
    }
}

/// The filter's result and the work that brings it up to date.
#[derive(Default)]
pub struct Filtering {
    /// What every view shows: the events `applied` lets through.
    pub matches: Arc<EventSet>,
    /// The rest of the result of `applied`.
    pub result: Arc<Filtered>,
    /// Counts the results taken in: the views rebuild what they derived from `matches` when it
    /// changes.
    pub generation: u64,
    /// The filter `matches` is of (`None`: nothing computed yet for this dataset).
    applied: Option<Filter>,
    /// The filter being computed, and its result to come.
    running: Option<(Filter, Task<Filtered>)>,
    /// Why the last filter could not be applied (details unreadable), shown until the next.
    pub error: Option<String>,
    /// How long the last filter took, from the change to the result (status bar tooltip).
    pub last_duration: Option<Duration>,
    started: Option<Instant>,
    /// The text index of the dataset, built once in the background when first wanted (the
    /// filter panel shown, or a text or actor filter set), so that opening a big file is not
    /// slowed by it; a text or actor filter waits for it (on the filter's thread, never the UI's).
    pub search: Arc<OnceLock<Result<SearchIndex, String>>>,
    /// Whether the index of this dataset is being built (or is built).
    search_started: bool,
}

impl Filtering {
    /// Whether a newer filter than the one shown is being computed.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Forgets the result: a new dataset, shown whole until `filter` (if it holds anything) is
    /// applied to it.
    pub fn invalidate(&mut self, dataset: &Arc<Dataset>, regions: &EventRegions, filter: &Filter) {
        let empty = Filter::default();
        self.search = Arc::new(OnceLock::new());
        self.search_started = false;
        if dataset.events.len() <= INDEX_AT_ONCE_EVENTS {
            self.start_search(dataset);
        }
        let whole = filtered(dataset, regions, &empty, None).unwrap_or_default();
        self.matches = Arc::new(EventSet::all(dataset.events.len()));
        self.result = Arc::new(whole);
        self.generation += 1;
        self.applied = filter.is_empty().then_some(empty);
        self.running = None;
        self.error = None;
    }

    /// Starts building the text index if it is not built or being built: at once for small
    /// datasets, else on its own thread.
    pub fn start_search(&mut self, dataset: &Arc<Dataset>) {
        if std::mem::replace(&mut self.search_started, true) {
            return;
        }
        if dataset.events.len() <= INDEX_AT_ONCE_EVENTS {
            self.search.get_or_init(|| SearchIndex::build(dataset));
            return;
        }
        let (data, search) = (Arc::clone(dataset), Arc::clone(&self.search));
        std::thread::spawn(move || {
            // Filters wait for the index: it is always set, a panic becoming an error.
            search.get_or_init(|| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| SearchIndex::build(&data)))
                    .unwrap_or_else(|_| Err("the text index could not be built".to_owned()))
            });
        });
    }

    /// Starts bringing `matches` up to `filter` if it is not already, or takes in a result.
    /// Returns whether a computation is running (the views must be redrawn later).
    fn update(
        &mut self,
        dataset: &Arc<Dataset>,
        regions: &Arc<EventRegions>,
        filter: &Filter,
    ) -> bool {
        if let Some((wanted, task)) = &self.running {
            if let Some(result) = task.try_result() {
                let wanted = wanted.clone();
                self.running = None;
                self.take(wanted, result);
            } else if wanted == filter {
                return true;
            }
        }
        if self.applied.as_ref() == Some(filter) || self.running.is_some() {
            return self.running.is_some();
        }
        self.started = Some(Instant::now());
        if dataset.events.len() <= FILTER_AT_ONCE_EVENTS {
            let result = filtered(dataset, regions, filter, self.search.get());
            self.take(filter.clone(), result);
            return false;
        }
        // Only text and actors need the index: other filters do not wait for it.
        let needs_index = !filter.text.trim().is_empty() || !filter.actors.is_empty();
        if needs_index {
            self.start_search(dataset);
        }
        let (data, regions, wanted) = (Arc::clone(dataset), Arc::clone(regions), filter.clone());
        let search = Arc::clone(&self.search);
        let task = Task::spawn("Filtering the events", move || {
            let index = if needs_index {
                Some(search.wait())
            } else {
                search.get()
            };
            filtered(&data, &regions, &wanted, index)
        });
        self.running = Some((filter.clone(), task));
        true
    }

    fn take(&mut self, filter: Filter, result: Result<Filtered, String>) {
        self.last_duration = self.started.map(|at| at.elapsed());
        match result {
            Ok(mut filtered) => {
                let matches = std::mem::take(&mut filtered.outcome.matches);
                self.matches = Arc::new(matches);
                self.result = Arc::new(filtered);
                self.generation += 1;
                self.error = None;
            }
            // The views keep the last result; the filter panel says why.
            Err(error) => self.error = Some(error),
        }
        self.applied = Some(filter);
    }
}

/// The events `filter` lets through and their counts by category and region. Without an
/// index (or when it could not be built) text is looked for in every event's details.
fn filtered(
    dataset: &Dataset,
    regions: &EventRegions,
    filter: &Filter,
    search: Option<&Result<SearchIndex, String>>,
) -> Result<Filtered, String> {
    let context = FilterContext {
        regions: Some(regions),
        search: search.and_then(|built| built.as_ref().ok()),
    };
    let outcome = if filter.is_empty() {
        FilterOutcome {
            matches: EventSet::all(dataset.events.len()),
            removed_by: Vec::new(),
        }
    } else {
        filter.outcome(dataset, &context)?
    };
    let mut by_category = vec![0; dataset.categories.len() + 1];
    let mut by_region = vec![0; regions.codes().len()];
    let uncategorised = dataset.categories.len();
    for index in outcome.matches.iter() {
        let Some(event) = dataset.events.get(index) else {
            continue;
        };
        if let Some(count) = by_category.get_mut(event.category.unwrap_or(uncategorised)) {
            *count += 1;
        }
        if let Some(count) = regions.region_of(index).and_then(|r| by_region.get_mut(r)) {
            *count += 1;
        }
    }
    Ok(Filtered {
        outcome,
        by_category,
        by_region,
    })
}

impl EventAtlasApp {
    /// Brings the filter's result up to date, once a frame (before anything is drawn).
    pub(super) fn update_filtering(&mut self, ctx: &egui::Context) {
        let regions = Arc::clone(&self.map.data.regions);
        if self
            .filtering
            .update(&self.dataset, &regions, &self.view.filter)
        {
            ctx.request_repaint_after(Duration::from_millis(16));
        }
    }

    /// Forgets the filter's result: a new dataset (its own filter is applied next frame).
    pub(super) fn reset_filtering(&mut self) {
        let regions = Arc::clone(&self.map.data.regions);
        self.filtering
            .invalidate(&self.dataset, &regions, &self.view.filter);
    }

    /// Waits up to `timeout` for the view's filter to be applied (tests, pictures): returns
    /// whether it was in time.
    pub fn wait_for_filter(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let regions = Arc::clone(&self.map.data.regions);
        while self
            .filtering
            .update(&self.dataset, &regions, &self.view.filter)
        {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }
}
