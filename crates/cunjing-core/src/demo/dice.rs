//! The demo's only source of chance: a ChaCha8 stream seeded from the user's seed. ChaCha8's
//! output is fixed by its specification (not by the `rand` version's choice of "standard"
//! generator), so one seed gives the same data on every machine and build.

use chrono::{Duration, NaiveDate};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

pub struct Dice(ChaCha8Rng);

impl Dice {
    /// One independent stream per part of the demo, so that changing how one register is drawn
    /// leaves the draws of the others as they were.
    pub fn new(seed: u64, stream: u64) -> Dice {
        Dice(ChaCha8Rng::seed_from_u64(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
    }

    /// A whole number in `lo..=hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo { lo } else { self.0.random_range(lo..=hi) }
    }

    /// An index below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 { 0 } else { self.0.random_range(0..n) }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.0.random_bool(p.clamp(0.0, 1.0))
    }

    /// One item of a list the demo defines (never empty).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// One item of a weighted list (never empty, weights not all zero).
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut roll = if total == 0 { 0 } else { self.0.random_range(0..total) };
        for (item, w) in items {
            if roll < u64::from(*w) {
                return *item;
            }
            roll -= u64::from(*w);
        }
        items[items.len() - 1].0
    }

    /// A date `lo..=hi` days after `from`.
    pub fn days_after(&mut self, from: NaiveDate, lo: i64, hi: i64) -> NaiveDate {
        from + Duration::days(self.range(lo, hi))
    }

    /// `n` distinct indices below `len` (all of them when `n >= len`), in drawn order.
    pub fn distinct(&mut self, len: usize, n: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..len).collect();
        let n = n.min(len);
        for i in 0..n {
            let j = i + self.below(len - i);
            all.swap(i, j);
        }
        all.truncate(n);
        all
    }
}
