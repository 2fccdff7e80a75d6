//! `cunjing demo --station --offices K`: a demo county station through the real sync path
//! (`cunjing_core::demo::station`). Progress goes to stderr, one line per office; stdout carries
//! only the station database path, like `demo` and `init`. Each office's database is removed
//! once its bundle is written unless `--keep-offices`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cunjing_core::Clock;
use cunjing_core::demo::DemoConfig;
use cunjing_core::demo::station::{StationDemoConfig, build_station};
use cunjing_core::vault::KeyFileRole;

use crate::{CliResult, ensure_parent};

/// The station file: `--station-db`, else `demo-station.db` beside `--db` (never the real
/// `station.db` the app opens).
fn station_path(db: &Path, station_db: Option<PathBuf>) -> PathBuf {
    station_db.unwrap_or_else(|| db.with_file_name("demo-station.db"))
}

/// `<station file name>-offices/` beside the station file.
fn offices_dir(station: &Path) -> PathBuf {
    let stem = station.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "station".into());
    station.with_file_name(format!("{stem}-offices"))
}

pub fn station(
    db: &Option<PathBuf>,
    station_db: Option<PathBuf>,
    offices: usize,
    office: DemoConfig,
    keep_offices: bool,
    clock: Arc<dyn Clock>,
) -> CliResult {
    let db = match db {
        Some(p) => p.clone(),
        None => crate::default_db()?,
    };
    let path = station_path(&db, station_db);
    ensure_parent(&path)?;
    let dir = offices_dir(&path);
    let config = StationDemoConfig { offices, office, import: true, keep_offices };
    eprintln!(
        "演示汇总站：{offices} 个警务室，每个 {} 户、{} 年；警务室数据库和数据包在 {}",
        office.households,
        office.years,
        dir.display()
    );
    let started = std::time::Instant::now();
    let key = crate::vault_cmd::new_key(&path, KeyFileRole::Station)?;
    let summary = build_station(&path, &key, &dir, clock, &config, &mut |line| eprintln!("  {line}"))
        .inspect_err(|_| crate::vault_cmd::forget_new_key(&path))?;
    let total = started.elapsed().as_secs_f64();
    let records = summary.records();
    let import = summary.import_time().as_secs_f64();
    eprintln!(
        "完成：{} 个警务室，共 {records} 条记录；导入共 {import:.1} 秒（{:.0} 条/秒）；总用时 {total:.1} 秒",
        summary.offices.len(),
        records as f64 / import.max(1e-9)
    );
    println!("{}", path.display());
    Ok(())
}
