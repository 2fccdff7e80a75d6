//! Which of an office's bundles the station holds, as pure arithmetic on their change ranges
//! (so the answer does not depend on the order bundles arrived in).
//!
//! A bundle covers the office's changes in `(from, to]`. The station holds every change up to
//! C when the ranges received join up from 0 to C. A bundle number never received is *missing*
//! unless a later bundle superseded it: bundle n records `prev_to` (the previous bundle's `to`),
//! and bundle numbers are in change order, so when C ≥ prev_to of a later received bundle n,
//! every change of the bundles before n is held.

/// What the station knows of one received bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub seq: i64,
    pub from: i64,
    pub to: i64,
    pub prev_to: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coverage {
    pub highest_seq: i64,
    /// Every bundle up to this number is received or superseded.
    pub received_through_seq: i64,
    /// Every change up to this number is held.
    pub confirmed_change_seq: i64,
    pub missing: Vec<i64>,
    pub superseded: Vec<i64>,
}

pub fn coverage(spans: &[Span]) -> Coverage {
    let mut by_from: Vec<&Span> = spans.iter().collect();
    by_from.sort_by_key(|s| (s.from, s.to));
    let mut confirmed = 0;
    for s in by_from {
        if s.from > confirmed {
            break;
        }
        confirmed = confirmed.max(s.to);
    }
    let highest = spans.iter().map(|s| s.seq).max().unwrap_or(0);
    let received: std::collections::BTreeSet<i64> = spans.iter().map(|s| s.seq).collect();
    let mut missing = Vec::new();
    let mut superseded = Vec::new();
    for m in 1..=highest {
        if received.contains(&m) {
            continue;
        }
        let covered = spans.iter().any(|n| n.seq > m && n.prev_to <= confirmed);
        if covered { superseded.push(m) } else { missing.push(m) }
    }
    let received_through = missing.first().map_or(highest, |m| m - 1);
    Coverage {
        highest_seq: highest,
        received_through_seq: received_through,
        confirmed_change_seq: confirmed,
        missing,
        superseded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(seq: i64, from: i64, to: i64, prev_to: i64) -> Span {
        Span { seq, from, to, prev_to }
    }

    #[test]
    fn contiguous_bundles() {
        let c = coverage(&[span(1, 0, 10, 0), span(2, 10, 25, 10), span(3, 25, 30, 25)]);
        assert_eq!((c.highest_seq, c.received_through_seq, c.confirmed_change_seq), (3, 3, 30));
        assert!(c.missing.is_empty());
    }

    #[test]
    fn a_gap_is_missing_until_an_unconfirmed_export_supersedes_it() {
        let c = coverage(&[span(1, 0, 10, 0), span(3, 25, 30, 25)]);
        assert_eq!(c.missing, vec![2]);
        assert_eq!((c.received_through_seq, c.confirmed_change_seq), (1, 10));
        // The office re-exports everything unconfirmed (from 10) as bundle 4.
        let c = coverage(&[span(1, 0, 10, 0), span(3, 25, 30, 25), span(4, 10, 32, 30)]);
        assert!(c.missing.is_empty());
        assert_eq!(c.superseded, vec![2]);
        assert_eq!((c.received_through_seq, c.confirmed_change_seq), (4, 32));
    }

    #[test]
    fn order_does_not_matter() {
        let a = [span(1, 0, 10, 0), span(2, 10, 25, 10), span(4, 0, 40, 30)];
        let mut b = a;
        b.reverse();
        assert_eq!(coverage(&a), coverage(&b));
        assert_eq!(coverage(&a).superseded, vec![3]);
    }
}
