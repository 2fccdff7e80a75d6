//! The app's state, built completely in `setup()` before any command can run.

use std::path::PathBuf;
use std::sync::Arc;

use cunjing_core::station::StationStore;
use cunjing_core::{CoreError, Store, SystemClock};

pub struct AppState {
    /// The office database (empty until setup on a station machine).
    pub store: Store,
    /// The station database: the same program in station mode once `station init` ran there.
    pub station: StationStore,
    /// "用演示数据体验": `store` and `station` are the demo's own files (演示), not the real ones.
    pub demo: bool,
    /// The real office database (also while the demo is open: the way back).
    pub real_database: PathBuf,
}

/// The office database: `CUNJING_DB` when set (tests, a second office on one machine), else the
/// OS data directory shared with the `cunjing` CLI.
pub fn database_path() -> Result<PathBuf, String> {
    match std::env::var_os("CUNJING_DB") {
        Some(p) => Ok(PathBuf::from(p)),
        None => cunjing_core::paths::default_database_path()
            .ok_or_else(|| "找不到本机的用户数据目录 / no user data directory".to_string()),
    }
}

impl AppState {
    /// Opens (or creates, empty) the office database: `CUNJING_DB` when set (tests, a second
    /// office on one machine), else the OS data directory shared with the `cunjing` CLI.
    pub fn open() -> Result<AppState, String> {
        let path = database_path()?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("无法创建数据目录 {}：{e}", dir.display()))?;
        }
        // Beside the office database unless CUNJING_STATION_DB says otherwise (tests).
        let real_station = match std::env::var_os("CUNJING_STATION_DB") {
            Some(p) => PathBuf::from(p),
            None => path.with_file_name("station.db"),
        };
        // The demo's own files instead, when the officer chose "用演示数据体验".
        let dbs = cunjing_core::demo::app::databases(&path, &real_station);
        let (real_database, path, station_path) = (path, dbs.office, dbs.station);
        let store = Store::open_or_create(&path, Arc::new(SystemClock))
            .map_err(|e: CoreError| format!("无法打开数据库 {}：{e}", path.display()))?;
        let station = StationStore::open_or_create(&station_path, Arc::new(SystemClock))
            .map_err(|e: CoreError| format!("无法打开汇总站数据库 {}：{e}", station_path.display()))?;
        Ok(AppState { store, station, demo: dbs.demo, real_database })
    }
}
