//! The benchmark suite (issue 6), as library code so that a smoke test runs it on tiny data in
//! `cargo test` and it never rots; `cargo bench -p cunjing-core --bench scale` runs it at the
//! issue's scales (`benches/scale.rs`, figures in docs/PERFORMANCE.md).
//!
//! Every figure is measured side by side with its *physical reference* in the same run — the
//! same rows or the same question put to SQLite directly, with no store on top — alternating
//! sample by sample, so the ratio holds on a noisy machine even when the absolute times do not.

mod office;
mod station;

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::CoreResult;
use crate::vault::{DataKey, DbKey};

/// The key every benchmark database is encrypted with: the product's databases are SQLCipher
/// files (decision 0014), so the figures and their raw references pay the same page encryption.
/// Fixed, so cached databases open again on the next run; a real office's key is random.
pub(crate) fn key() -> DbKey {
    DbKey::Key(DataKey::from_bytes([0xB5; 32]))
}

/// A raw SQLite connection to a benchmark file, keyed like the store's (references and checks).
pub(crate) fn raw_connection(path: &std::path::Path) -> CoreResult<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    key().apply(&conn, path)?;
    Ok(conn)
}

pub use office::{OfficeBench, office_figures};
pub use station::{StationBench, station_figures};

/// Median and spread of one measurement, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stats {
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub samples: usize,
}

impl Stats {
    pub fn of(samples: &[Duration]) -> Stats {
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let n = ms.len();
        let median = match n {
            0 => 0.0,
            _ if n % 2 == 1 => ms[n / 2],
            _ => (ms[n / 2 - 1] + ms[n / 2]) / 2.0,
        };
        Stats {
            median_ms: median,
            min_ms: ms.first().copied().unwrap_or(0.0),
            max_ms: ms.last().copied().unwrap_or(0.0),
            samples: n,
        }
    }
}

/// What a figure is held to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Target {
    /// The median at most this many milliseconds.
    AtMostMs(f64),
    /// At least this many records a second (from the median), and at most `ratio` × the reference.
    Rate { per_second: f64, ratio: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Short name, e.g. `list visits (month, date desc)`.
    pub name: String,
    /// Which data: e.g. `office 6000 hh / 10 y (99,319 records)`.
    pub scale: String,
    pub measured: Stats,
    /// The physical reference, measured alternately with `measured`.
    pub reference: Option<Stats>,
    pub reference_name: String,
    /// Records each sample handles (rates), or 0.
    pub records: usize,
    pub target: Option<Target>,
}

impl Figure {
    pub fn ratio(&self) -> Option<f64> {
        self.reference.map(|r| self.measured.median_ms / r.median_ms.max(1e-6))
    }

    pub fn rate(&self) -> Option<f64> {
        (self.records > 0).then(|| self.records as f64 / (self.measured.median_ms / 1000.0).max(1e-9))
    }

    /// `None` when the figure has no target.
    pub fn met(&self) -> Option<bool> {
        match self.target? {
            Target::AtMostMs(ms) => Some(self.measured.median_ms <= ms),
            Target::Rate { per_second, ratio } => {
                Some(self.rate().unwrap_or(0.0) >= per_second && self.ratio().unwrap_or(f64::MAX) <= ratio)
            }
        }
    }
}

/// Runs `measured` and `reference` alternately, `samples` times each, after one warm-up of each
/// (caches filled, statements prepared). `prepare` runs untimed before every single run (e.g. a
/// fresh copy of a file); it is told whether the next run is the reference.
pub(crate) fn pair(
    samples: usize,
    prepare: &mut dyn FnMut(bool) -> CoreResult<()>,
    measured: &mut dyn FnMut() -> CoreResult<()>,
    reference: &mut dyn FnMut() -> CoreResult<()>,
) -> CoreResult<(Stats, Stats)> {
    let mut a = Vec::with_capacity(samples);
    let mut b = Vec::with_capacity(samples);
    for i in 0..=samples {
        prepare(false)?;
        let t = Instant::now();
        measured()?;
        let ta = t.elapsed();
        prepare(true)?;
        let t = Instant::now();
        reference()?;
        let tb = t.elapsed();
        if i > 0 {
            a.push(ta);
            b.push(tb);
        }
    }
    Ok((Stats::of(&a), Stats::of(&b)))
}

/// The figures as a Markdown table (docs/PERFORMANCE.md's shape).
pub fn markdown(figures: &[Figure]) -> String {
    let mut out = String::from(
        "| scale | figure | median | spread (min–max) | reference | ref. median | ratio | rate | target | met |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    for f in figures {
        let ms = |v: f64| if v >= 100.0 { format!("{v:.0} ms") } else { format!("{v:.2} ms") };
        let (rname, rmed) = match f.reference {
            Some(r) => (f.reference_name.clone(), ms(r.median_ms)),
            None => ("—".into(), "—".into()),
        };
        let target = match f.target {
            Some(Target::AtMostMs(t)) => format!("≤ {t} ms"),
            Some(Target::Rate { per_second, ratio }) => format!("≥ {per_second:.0}/s, ≤ {ratio}× ref."),
            None => "—".into(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {}–{} | {} | {} | {} | {} | {} | {} |\n",
            f.scale,
            f.name,
            ms(f.measured.median_ms),
            ms(f.measured.min_ms),
            ms(f.measured.max_ms),
            rname,
            rmed,
            f.ratio().map(|r| format!("{r:.2}×")).unwrap_or_else(|| "—".into()),
            f.rate().map(|r| format!("{r:.0}/s")).unwrap_or_else(|| "—".into()),
            target,
            match f.met() {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "—",
            }
        ));
    }
    out
}

/// What `run_suite` measures: office figures at each office size, station figures at each
/// station size (`offices` offices of one size: the first bundle into a fresh station, the last
/// into a station holding the others).
#[derive(Debug, Clone)]
pub struct Suite {
    /// (households, years) of each office measured.
    pub offices: Vec<(usize, u32)>,
    /// (offices, households, years) of each station measured.
    pub stations: Vec<(usize, usize, u32)>,
    pub seed: u64,
    pub samples: usize,
    pub slow_samples: usize,
    pub batch: usize,
}

/// Runs the whole suite in `dir`. Demo data is made once per size and kept in `dir` (an office
/// database per office size; a fresh station and its bundles per station size — the offices'
/// own databases are removed once exported), so later runs only measure; every run measures on
/// copies. `progress` hears what is being made or measured.
pub fn run_suite(
    dir: &std::path::Path,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    suite: &Suite,
    progress: &mut dyn FnMut(&str),
) -> CoreResult<Vec<Figure>> {
    use crate::demo::station::{StationDemoConfig, build_station};
    use crate::demo::{DemoConfig, create_and_fill};
    use crate::store::Store;

    std::fs::create_dir_all(dir)?;
    let remove_db = |p: &std::path::Path| {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
        }
    };
    let mut figures = Vec::new();
    for &(households, years) in &suite.offices {
        let cached = dir.join(format!("office-{households}hh-{years}y-{}-sqlcipher.db", suite.seed));
        if !cached.exists() {
            progress(&format!("making a demo office of {households} households, {years} years"));
            let partial = cached.with_extension("part.db");
            remove_db(&partial);
            let config = DemoConfig { households, years, seed: suite.seed };
            create_and_fill(&partial, &key(), clock.clone(), &config, &mut |_| {})?;
            Store::open(&partial, &key(), clock.clone())?.reader().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            remove_db(&partial.with_extension("db-wal"));
            std::fs::rename(&partial, &cached)?;
            remove_db(&partial);
        }
        // Measured on a copy: the saves and exports of a run must not change the next run's data.
        let run = dir.join("run-office");
        let _ = std::fs::remove_dir_all(&run);
        std::fs::create_dir_all(&run)?;
        std::fs::copy(&cached, run.join("office.db"))?;
        progress(&format!("measuring the office of {households} households, {years} years"));
        let store = Store::open(&run.join("office.db"), &key(), clock.clone())?;
        let cfg = OfficeBench {
            scale: format!("{households} hh / {years} y"),
            samples: suite.samples,
            slow_samples: suite.slow_samples,
            batch: suite.batch,
        };
        let got = office_figures(&store, &run.join("scratch"), clock.clone(), &cfg)?;
        // Each group's rows as soon as measured: a later failure (a full disk) loses no figures.
        progress(&markdown(&got));
        figures.extend(got);
        drop(store);
        let _ = std::fs::remove_dir_all(&run);
    }
    for &(offices, households, years) in &suite.stations {
        let cached = dir.join(format!("station-{offices}x{households}hh-{years}y-{}-sqlcipher", suite.seed));
        let fresh = cached.join("fresh.db");
        let stick = cached.join("offices").join("usb");
        if !fresh.exists() {
            progress(&format!(
                "making {offices} demo offices of {households} households, {years} years, and their bundles"
            ));
            let _ = std::fs::remove_dir_all(&cached);
            std::fs::create_dir_all(&cached)?;
            let config = StationDemoConfig {
                offices,
                office: DemoConfig { households, years, seed: suite.seed },
                import: false,
                keep_offices: false,
            };
            let building = cached.join("building.db");
            build_station(&building, &key(), &cached.join("offices"), clock.clone(), &config, progress)?;
            raw_connection(&building)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            std::fs::rename(&building, &fresh)?;
            remove_db(&building);
        }
        let bundles: Vec<(String, std::path::PathBuf)> = (1..=offices)
            .map(|i| {
                let code = crate::demo::station::demo_office_n(i).code;
                let path = stick.join(format!("{code}-1.cjb"));
                (code, path)
            })
            .collect();
        progress(&format!("measuring the station of {offices} offices of {households} households, {years} years"));
        let cfg = StationBench { scale: format!("{households} hh / {years} y"), samples: suite.slow_samples };
        let got = station_figures(&fresh, &bundles, &dir.join("run-station"), clock.clone(), &cfg)?;
        progress(&markdown(&got));
        figures.extend(got);
        let _ = std::fs::remove_dir_all(dir.join("run-station"));
    }
    Ok(figures)
}
