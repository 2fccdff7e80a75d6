//! The county station (派出所/县局): the same program in station mode, with its own database
//! file. It enrolls offices and pins their keys, imports their bundles (verify everything
//! first, then one transaction per bundle), keeps the merged records of all offices, and writes
//! the receipts that go back. See docs/bundle-format.md.

pub mod coverage;
mod import;
mod keys;
mod query;
mod receipt;
mod tables;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use cunjing_bundle::StationSecret;
use rusqlite::{Connection, OptionalExtension};
use rusqlite_migration::{M, Migrations};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Clock;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::store::{configure, lock, open_connection};
use crate::vault::DbKey;

pub use import::{
    BundleFile, BundleInspection, BundleReport, HeldState, ImportReport, ImportStatus, OfficeGap, RegisterChanges,
    RegisterTotal,
};
pub use keys::{AddKeyOutcome, EnrollmentFile};
pub use query::{CountyPage, CountyQuery, CountyRow, OfficeOverview, RegisterCount, StationStatus};
pub use receipt::ReceiptFile;
pub use tables::CountyGroup;

/// `PRAGMA application_id` of station files ("CJST"); office files carry "CJOF". A file of one
/// kind is refused by the other before anything is written to it.
pub const STATION_APPLICATION_ID: i64 = 0x434A_5354;
pub const OFFICE_APPLICATION_ID: i64 = 0x434A_4F46;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_station.sql")),
        M::up(include_str!("migrations/0002_county_rowid.sql")),
    ])
}

/// The station's own description, for its screens and the enrollment files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StationInfo {
    pub name: String,
    pub fingerprint: String,
    pub created_at: String,
}

pub struct StationStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for StationStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StationStore").field("path", &self.path).finish_non_exhaustive()
    }
}

fn check_kind(conn: &Connection, path: &Path) -> CoreResult<()> {
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if app_id == STATION_APPLICATION_ID || (app_id == 0 && version == 0) {
        return Ok(());
    }
    Err(CoreError::refused(
        ErrorCode::WrongDatabaseKind,
        path.display().to_string(),
        format!("{} 不是汇总站数据库（可能是警务室数据库），未作任何改动", path.display()),
    ))
}

impl StationStore {
    /// Opens (creating if absent) a station database. `station_info` tells whether the station
    /// has been initialised (`cunjing station init`).
    pub fn open_or_create(path: &Path, key: &DbKey, clock: Arc<dyn Clock>) -> CoreResult<StationStore> {
        let mut writer = open_connection(path, true, key)?;
        check_kind(&writer, path)?;
        let found: i64 = writer.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let supported = 2;
        if found > supported {
            return Err(CoreError::SchemaTooNew { found, supported });
        }
        configure(&writer)?;
        writer.pragma_update(None, "application_id", STATION_APPLICATION_ID)?;
        migrations().to_latest(&mut writer)?;
        let reader = open_connection(path, false, key)?;
        configure(&reader)?;
        Ok(StationStore { path: path.to_path_buf(), writer: Mutex::new(writer), reader: Mutex::new(reader), clock })
    }

    /// Opens an existing station database.
    pub fn open(path: &Path, key: &DbKey, clock: Arc<dyn Clock>) -> CoreResult<StationStore> {
        if !path.exists() {
            return Err(CoreError::refused(
                ErrorCode::NoStation,
                "",
                format!("找不到汇总站数据库 {}，请先运行 cunjing station init", path.display()),
            ));
        }
        StationStore::open_or_create(path, key, clock)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn reader(&self) -> MutexGuard<'_, Connection> {
        lock(&self.reader)
    }

    pub(crate) fn writer(&self) -> MutexGuard<'_, Connection> {
        lock(&self.writer)
    }

    pub(crate) fn now_text(&self) -> String {
        self.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// The station, or `None` before `station init`.
    pub fn station_info(&self) -> CoreResult<Option<StationInfo>> {
        query::station_info(&self.reader())
    }

    pub(crate) fn require_station(&self, conn: &Connection) -> CoreResult<(StationInfo, StationSecret)> {
        let row: Option<(String, String, String, String, String)> = conn
            .query_row(
                "SELECT name, fingerprint, created_at, age_identity, signing_key FROM station WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (name, fingerprint, created_at, age, signing) = row.ok_or_else(|| {
            CoreError::refused(ErrorCode::NoStation, "", "本机还没有建立汇总站，请先运行 cunjing station init")
        })?;
        let secret = StationSecret::from_texts(&age, &signing)
            .map_err(|e| CoreError::refused(ErrorCode::Database, "station", format!("本站保存的密钥已损坏：{e}")))?;
        Ok((StationInfo { name, fingerprint, created_at }, secret))
    }
}
