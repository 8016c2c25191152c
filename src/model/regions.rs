//! The region of every event: the one the data names, or else the first-order region its point
//! falls in (found once at load, against the basemap's regions). The region filter, the
//! table's Region column and the regions map read it. No egui here.

/// Marks an event without a known region in [`EventRegions::of_event`].
const NO_REGION: u32 = u32::MAX;

/// Each event's region, as an index into a list of region codes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventRegions {
    /// ISO 3166-2 codes (`RU-MOS`), each once.
    codes: Vec<String>,
    /// The regions' names where known (same order; the code when not).
    names: Vec<String>,
    /// By event: an index into `codes`, or [`NO_REGION`].
    of_event: Vec<u32>,
}

impl EventRegions {
    /// Regions from `codes` (one per event), named by `name_of` (`None`: the code is shown).
    pub fn new<'a>(
        codes: impl IntoIterator<Item = Option<&'a str>>,
        name_of: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let mut regions = EventRegions::default();
        let mut position: std::collections::HashMap<&str, u32> = Default::default();
        for code in codes {
            let slot = match code {
                None => NO_REGION,
                Some(code) => *position.entry(code).or_insert_with(|| {
                    regions.codes.push(code.to_owned());
                    regions
                        .names
                        .push(name_of(code).unwrap_or_else(|| code.to_owned()));
                    (regions.codes.len() - 1) as u32
                }),
            };
            regions.of_event.push(slot);
        }
        regions
    }

    /// The region (its position in [`Self::codes`]) of event `index`.
    pub fn region_of(&self, index: usize) -> Option<usize> {
        self.of_event
            .get(index)
            .filter(|&&slot| slot != NO_REGION)
            .map(|&slot| slot as usize)
    }

    /// The region code of event `index`.
    pub fn code_of(&self, index: usize) -> Option<&str> {
        self.region_of(index)
            .and_then(|slot| self.codes.get(slot))
            .map(String::as_str)
    }

    /// The name of event `index`'s region.
    pub fn name_of(&self, index: usize) -> Option<&str> {
        self.region_of(index)
            .and_then(|slot| self.names.get(slot))
            .map(String::as_str)
    }

    /// Every region named by some event, in order of first appearance.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How many events there are (with a region or not).
    pub fn len(&self) -> usize {
        self.of_event.len()
    }

    pub fn is_empty(&self) -> bool {
        self.of_event.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_listed_once_and_events_point_at_it() {
        let regions = EventRegions::new(
            [Some("RU-MOS"), None, Some("RU-IN"), Some("RU-MOS")],
            |code| (code == "RU-IN").then(|| "Ingushetia".to_owned()),
        );
        assert_eq!(regions.codes(), ["RU-MOS", "RU-IN"]);
        assert_eq!(regions.names(), ["RU-MOS", "Ingushetia"]);
        assert_eq!(regions.code_of(3), Some("RU-MOS"));
        assert_eq!(regions.name_of(2), Some("Ingushetia"));
        assert_eq!(regions.region_of(1), None);
        assert_eq!(regions.code_of(9), None);
        assert_eq!(regions.len(), 4);
    }
}
