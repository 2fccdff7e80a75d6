//! The benchmark suite on tiny data, so that it runs in every `cargo test` and never rots: every
//! figure is produced, each with its reference, and the verdicts can be computed. (The figures
//! themselves mean nothing at this size; `cargo bench -p cunjing-core --bench scale` measures.)

use std::sync::Arc;

use cunjing_core::FixedClock;
use cunjing_core::bench::{Suite, markdown, run_suite};

#[test]
fn the_suite_runs_on_tiny_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FixedClock::parse("2026-11-29T09:00:00+08:00").expect("clock"));
    let suite =
        Suite { offices: vec![(40, 1)], stations: vec![(2, 20, 1)], seed: 7, samples: 1, slow_samples: 1, batch: 20 };
    let figures = run_suite(dir.path(), clock.clone(), &suite, &mut |_| {}).expect("suite");
    let names: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
    for expected in [
        "list visits",
        "search by name",
        "search by pinyin",
        "search by initials",
        "search by ID fragment",
        "dashboard",
        "save one visit",
        "add_batch",
        "full export",
        "fresh station",
        "office 2 of 2",
    ] {
        assert!(names.iter().any(|n| n.contains(expected)), "{expected} missing from {names:?}");
    }
    for f in figures.iter().filter(|f| !f.name.contains("verification alone")) {
        assert!(f.reference.is_some(), "{} has no reference", f.name);
    }
    assert!(figures.iter().all(|f| f.measured.samples == 1));
    assert!(figures.iter().filter(|f| f.name.contains("station import")).all(|f| f.records > 0));
    let table = markdown(&figures);
    assert_eq!(table.lines().count(), figures.len() + 2);

    // A second run reuses the data made by the first.
    let again = run_suite(dir.path(), clock, &suite, &mut |_| {}).expect("suite again");
    assert_eq!(again.len(), figures.len());
}
