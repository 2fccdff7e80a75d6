//! `cunjing demo --station --offices K`: a demo county station built through the real sync path.
//!
//! For each of K offices: a demo office database (its own code and seed, [`fill`]), enrolled at
//! the station (enrollment file → office key → key pinned), a full export bundle written to the
//! "stick" folder, and the station's import of that bundle — verification, hash chain and
//! merge by version exactly as a clerk's import. Offices are built and imported one at a time, so
//! memory stays that of one office whatever K is, and each step is timed for the report.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{DemoConfig, check, fill};
use crate::clock::Clock;
use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::station::{BundleFile, ImportStatus, StationStore};
use crate::store::{NewOffice, Store};
use crate::sync::{ExportMode, ExportResult};
use crate::vault::DbKey;

/// At most this many offices (a county has dozens; a province's worth is not a demo).
pub const MAX_OFFICES: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StationDemoConfig {
    pub offices: usize,
    /// Each office's size; office `i` (from 1) uses seed `office.seed + i - 1`.
    pub office: DemoConfig,
    /// Import each bundle (the demo); `false` leaves the bundles on the stick and the station
    /// with the keys pinned but no records (the benchmark's fresh station).
    pub import: bool,
    /// Keep each office's database beside the bundles; otherwise it is removed once exported
    /// (a big office is ≈ 650 MB: 74 of them would not fit on most disks).
    pub keep_offices: bool,
}

/// One office's way into the station, with the time of each step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficeRun {
    pub code: String,
    /// The bundle on the stick.
    pub bundle: PathBuf,
    pub records: i64,
    pub bundle_bytes: i64,
    pub generate: Duration,
    pub export: Duration,
    pub import: Duration,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StationDemoSummary {
    pub station_path: PathBuf,
    pub offices_dir: PathBuf,
    pub offices: Vec<OfficeRun>,
}

impl StationDemoSummary {
    pub fn records(&self) -> i64 {
        self.offices.iter().map(|o| o.records).sum()
    }

    pub fn import_time(&self) -> Duration {
        self.offices.iter().map(|o| o.import).sum()
    }
}

/// The demo office number `i` (from 1): code `YS-001`, its own name.
pub fn demo_office_n(i: usize) -> NewOffice {
    NewOffice {
        code: format!("YS-{i:03}"),
        name: format!("演示{i}号村警务室"),
        officer: "张警官".into(),
        police_number: format!("036{i:03}"),
        officer_phone: "13807950001".into(),
        station_name: "演示县公安局".into(),
        station_phone: "0795-4561110".into(),
    }
}

fn check_station(config: &StationDemoConfig) -> CoreResult<()> {
    check(&config.office)?;
    if !(1..=MAX_OFFICES).contains(&config.offices) {
        return Err(CoreError::Invalid(vec![FieldError::new(
            ErrorCode::OutOfRange,
            "offices",
            format!("警务室数应在 1 到 {MAX_OFFICES} 之间"),
        )]));
    }
    Ok(())
}

/// Builds a new demo station at `station_path`; the offices' bundles (and, with `keep_offices`,
/// their databases) go into `offices_dir` (`usb/`, `YS-001.db`…), which must not exist yet or be empty. Refuses a station
/// file that exists: demo data never mixes with a real station's.
///
/// `key` opens the station database. The offices are in the clear: they exist only to make
/// bundles (kept with `keep_offices` for inspection) and hold made-up people.
pub fn build_station(
    station_path: &Path,
    key: &DbKey,
    offices_dir: &Path,
    clock: Arc<dyn Clock>,
    config: &StationDemoConfig,
    progress: &mut dyn FnMut(&str),
) -> CoreResult<StationDemoSummary> {
    check_station(config)?;
    if station_path.exists() {
        return Err(CoreError::refused(
            ErrorCode::OfficeExists,
            "",
            format!("{} 已存在；演示汇总站只建在新文件里，请用 --station-db 指定一个新文件", station_path.display()),
        ));
    }
    let not_empty = offices_dir.read_dir().map(|mut d| d.next().is_some()).unwrap_or(false);
    if not_empty {
        return Err(CoreError::refused(
            ErrorCode::OfficeExists,
            "",
            format!("{} 不是空文件夹；演示警务室数据库放在新的文件夹里", offices_dir.display()),
        ));
    }
    let io =
        |e: std::io::Error| CoreError::refused(ErrorCode::Io, "", format!("无法创建 {}：{e}", offices_dir.display()));
    let stick = offices_dir.join("usb");
    std::fs::create_dir_all(&stick).map_err(io)?;
    let station = StationStore::open_or_create(station_path, key, clock.clone())?;
    station.init_station("演示县公安局汇总站")?;
    let mut runs = Vec::with_capacity(config.offices);
    for i in 1..=config.offices {
        let new = demo_office_n(i);
        let office_cfg = DemoConfig { seed: config.office.seed.wrapping_add(i as u64 - 1), ..config.office };
        let started = Instant::now();
        let store = Store::create(&offices_dir.join(format!("{}.db", new.code)), &new, &DbKey::Plain, clock.clone())?;
        fill(&store, &office_cfg, &mut |_| {})?;
        let generate = started.elapsed();

        let e = station.enroll_office(&new.code, &new.name)?;
        let outcome = store.enroll(&e.bytes, &e.file_name)?;
        station.add_office_key(&outcome.office_key_file, &format!("{}.cjk", new.code))?;

        let started = Instant::now();
        let written = match store.export_bundle(&stick, ExportMode::Full)? {
            ExportResult::Written(w) => w,
            ExportResult::NothingToExport { message } => {
                return Err(CoreError::refused(ErrorCode::Io, new.code.as_str(), message));
            }
        };
        let export = started.elapsed();
        let office_path = store.path().to_path_buf();
        drop(store);
        if !config.keep_offices {
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", office_path.display()));
            }
        }

        let path = PathBuf::from(&written.path);
        let started = Instant::now();
        let report = if config.import {
            let bytes = std::fs::read(&path).map_err(io)?;
            Some(station.import(&[BundleFile { name: path.display().to_string(), bytes }], false)?)
        } else {
            None
        };
        let import = started.elapsed();
        if let Some(b) = report.iter().flat_map(|r| &r.bundles).find(|b| b.status != ImportStatus::Imported) {
            return Err(CoreError::refused(
                b.code.unwrap_or(ErrorCode::SyncFileRefused),
                b.file.as_str(),
                format!("演示数据包未能导入：{}", b.message),
            ));
        }
        let run = OfficeRun {
            code: new.code,
            bundle: path,
            records: written.record_count,
            bundle_bytes: written.bytes,
            generate,
            export,
            import,
        };
        // Without `import` (the benchmark imports later, itself) there is no rate to show.
        let imported = if config.import {
            format!(
                "导入 {:.1} 秒（{:.0} 条/秒）",
                run.import.as_secs_f64(),
                run.records as f64 / run.import.as_secs_f64().max(1e-9)
            )
        } else {
            "未导入".to_string()
        };
        progress(&format!(
            "{}/{} {}：{} 条记录；生成 {:.1} 秒，导出 {:.1} 秒，{imported}",
            i,
            config.offices,
            run.code,
            run.records,
            run.generate.as_secs_f64(),
            run.export.as_secs_f64(),
        ));
        runs.push(run);
    }
    Ok(StationDemoSummary {
        station_path: station_path.to_path_buf(),
        offices_dir: offices_dir.to_path_buf(),
        offices: runs,
    })
}
