//! A set of events of one dataset, as one bit per event: what a filter lets through. Cheap to
//! test (`contains` is a shift and a mask), to count and to combine, at a million events
//! (125 KB).

use super::EventIndex;

/// A subset of a dataset's events, by index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventSet {
    bits: Vec<u64>,
    /// How many events the dataset has (the set's universe).
    len: usize,
    /// How many are in the set.
    count: usize,
}

impl EventSet {
    /// No event of `len`.
    pub fn none(len: usize) -> Self {
        Self {
            bits: vec![0; len.div_ceil(64)],
            len,
            count: 0,
        }
    }

    /// Every event of `len`.
    pub fn all(len: usize) -> Self {
        let mut set = Self {
            bits: vec![u64::MAX; len.div_ceil(64)],
            len,
            count: len,
        };
        set.clear_beyond_len();
        set
    }

    /// The events `indices` of `len` (indices at or past `len` are left out).
    pub fn from_indices(len: usize, indices: impl IntoIterator<Item = EventIndex>) -> Self {
        let mut set = Self::none(len);
        for index in indices {
            set.insert(index);
        }
        set
    }

    /// How many events the dataset has.
    pub fn universe(&self) -> usize {
        self.len
    }

    /// How many events are in the set.
    pub fn count(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether every event of the dataset is in the set.
    pub fn is_all(&self) -> bool {
        self.count == self.len
    }

    pub fn contains(&self, index: EventIndex) -> bool {
        self.bits
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    /// Adds an event; one at or past the universe is ignored.
    pub fn insert(&mut self, index: EventIndex) {
        if index >= self.len {
            return;
        }
        if let Some(word) = self.bits.get_mut(index / 64) {
            let bit = 1 << (index % 64);
            if *word & bit == 0 {
                *word |= bit;
                self.count += 1;
            }
        }
    }

    /// Keeps only the events also in `other` (of the same universe).
    pub fn intersect_with(&mut self, other: &EventSet) {
        for (word, other) in self.bits.iter_mut().zip(&other.bits) {
            *word &= other;
        }
        // A shorter `other` holds nothing beyond its end.
        for word in self.bits.iter_mut().skip(other.bits.len()) {
            *word = 0;
        }
        self.recount();
    }

    /// Adds the events of `other` (of the same universe).
    pub fn union_with(&mut self, other: &EventSet) {
        for (word, other) in self.bits.iter_mut().zip(&other.bits) {
            *word |= other;
        }
        self.clear_beyond_len();
        self.recount();
    }

    /// The events in the set, in index order (time order for a dataset's events).
    pub fn iter(&self) -> impl Iterator<Item = EventIndex> + '_ {
        self.bits.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(w * 64 + bit)
            })
        })
    }

    /// How many events of `range` are in the set.
    pub fn count_in(&self, range: std::ops::Range<usize>) -> usize {
        let (start, end) = (range.start.min(self.len), range.end.min(self.len));
        if start >= end {
            return 0;
        }
        let mut count = 0;
        let (first, last) = (start / 64, (end - 1) / 64);
        for w in first..=last {
            let mut word = self.bits.get(w).copied().unwrap_or(0);
            if w == first {
                word &= u64::MAX << (start % 64);
            }
            if w == last && !end.is_multiple_of(64) {
                word &= u64::MAX >> (64 - end % 64);
            }
            count += word.count_ones() as usize;
        }
        count
    }

    fn clear_beyond_len(&mut self) {
        if !self.len.is_multiple_of(64)
            && let Some(last) = self.bits.last_mut()
        {
            *last &= u64::MAX >> (64 - self.len % 64);
        }
    }

    fn recount(&mut self) {
        self.count = self.bits.iter().map(|w| w.count_ones() as usize).sum();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_counts_combines_and_lists_its_events_in_order() {
        let mut set = EventSet::from_indices(130, [3, 64, 129, 129, 500]);
        assert_eq!(
            set.count(),
            3,
            "duplicates and indices past the end are not counted"
        );
        assert!(set.contains(64) && !set.contains(65) && !set.contains(500));
        assert_eq!(set.iter().collect::<Vec<_>>(), [3, 64, 129]);
        let all = EventSet::all(130);
        assert_eq!(all.count(), 130);
        assert!(all.is_all() && all.contains(129) && !all.contains(130));
        assert_eq!(all.iter().count(), 130);
        set.union_with(&EventSet::from_indices(130, [4]));
        assert_eq!(set.iter().collect::<Vec<_>>(), [3, 4, 64, 129]);
        set.intersect_with(&EventSet::from_indices(130, [4, 129, 7]));
        assert_eq!(set.iter().collect::<Vec<_>>(), [4, 129]);
        assert_eq!(set.count(), 2);
    }

    #[test]
    fn counting_a_range_counts_only_inside_it() {
        let set = EventSet::from_indices(200, (0..200).filter(|i| i % 3 == 0));
        for (start, end) in [(0, 200), (1, 64), (63, 65), (64, 128), (5, 5), (190, 400)] {
            let expected = (start..end.min(200)).filter(|i| i % 3 == 0).count();
            assert_eq!(set.count_in(start..end), expected, "{start}..{end}");
        }
        assert_eq!(EventSet::none(0).count_in(0..10), 0);
    }
}
