//! `cargo bench -p cunjing-core --bench scale`: the issue-6 benchmark suite at the big-office
//! and county scales (`cunjing_core::bench`), printed as the Markdown table of
//! docs/PERFORMANCE.md. Demo data is made once and kept in `target/bench-data/` (minutes the
//! first time). Settings by environment variable:
//!
//! - `CUNJING_BENCH_OFFICES`  office sizes, `households x years`, comma-separated (default `600x10,6000x10`)
//! - `CUNJING_BENCH_STATIONS` station sizes, `offices x households x years` (default `10x600x10,3x6000x10`)
//! - `CUNJING_BENCH_SAMPLES`  samples of quick figures (default 21); `CUNJING_BENCH_SLOW` of slow ones (default 5)
//! - `CUNJING_BENCH_DATA`     where the demo data is kept (default `target/bench-data`)

use std::sync::Arc;

use cunjing_core::FixedClock;
use cunjing_core::bench::{Suite, markdown, run_suite};

fn var(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn numbers(text: &str) -> Vec<Vec<usize>> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.split('x').map(|n| n.trim().parse().expect("a number")).collect())
        .collect()
}

fn main() {
    // Every run measures the same data: the clock is pinned (demo data depends on "today").
    let clock = Arc::new(FixedClock::parse("2026-11-29T09:00:00+08:00").expect("clock"));
    let suite = Suite {
        offices: numbers(&var("CUNJING_BENCH_OFFICES", "600x10,6000x10")).iter().map(|v| (v[0], v[1] as u32)).collect(),
        stations: numbers(&var("CUNJING_BENCH_STATIONS", "10x600x10,3x6000x10"))
            .iter()
            .map(|v| (v[0], v[1], v[2] as u32))
            .collect(),
        seed: 2026,
        samples: var("CUNJING_BENCH_SAMPLES", "21").parse().expect("samples"),
        slow_samples: var("CUNJING_BENCH_SLOW", "5").parse().expect("slow samples"),
        batch: 1000,
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    let dir = std::env::var_os("CUNJING_BENCH_DATA").map(std::path::PathBuf::from).unwrap_or(root);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!("load average before: {}", load.trim());
    let started = std::time::Instant::now();
    let figures = run_suite(&dir, clock, &suite, &mut |line| eprintln!("  {line}")).expect("benchmark suite");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!("load average after: {}; {:.0} s", load.trim(), started.elapsed().as_secs_f64());
    println!("{}", markdown(&figures));
}
