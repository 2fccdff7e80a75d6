//! Export: the records changed since the last bundle (or all of them, or all the station has
//! not confirmed) as one signed, encrypted bundle on the stick. The local chain advances only
//! after the file has been written, read back and verified under its real name.

use std::path::Path;

use cunjing_bundle::{ExportKind, FORMAT_VERSION, Manifest, read_bundle, write_bundle};
use rusqlite::{Connection, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::identity::{self, ChainHead};
use super::{BUNDLE_EXT, media, refused_file};
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::store::Store;
use crate::store::migrations;
use crate::store::office::require_office;
use crate::store::read::{ROW_COLUMNS, row_from};

/// Which records a bundle carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportMode {
    /// Changed since the previous bundle.
    Changes,
    /// Everything (`--full`).
    Full,
    /// Everything the station has not confirmed by receipt (`--unconfirmed`): after a lost stick.
    Unconfirmed,
}

impl ExportMode {
    fn kind(self) -> ExportKind {
        match self {
            ExportMode::Changes => ExportKind::Changes,
            ExportMode::Full => ExportKind::Full,
            ExportMode::Unconfirmed => ExportKind::Unconfirmed,
        }
    }

    fn code(self) -> &'static str {
        match self {
            ExportMode::Changes => "changes",
            ExportMode::Full => "full",
            ExportMode::Unconfirmed => "unconfirmed",
        }
    }
}

/// A bundle written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportOutcome {
    pub seq: i64,
    pub path: String,
    pub export_kind: ExportMode,
    pub record_count: i64,
    /// Records per register.
    pub registers: Vec<(String, i64)>,
    pub bytes: i64,
    pub from_change_seq: i64,
    pub to_change_seq: i64,
    pub bundle_hash: String,
}

/// An export either wrote a bundle or found nothing to put in one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum ExportResult {
    Written(ExportOutcome),
    NothingToExport { message: String },
}

/// Everything read for one export, from one consistent snapshot.
struct Snapshot {
    manifest: Manifest,
    records: Vec<Value>,
}

fn max_change_seq(conn: &Connection) -> CoreResult<i64> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0))?)
}

/// The records whose latest change is after `from`, oldest change first, as flat objects.
pub(crate) fn records_after(conn: &Connection, from: i64) -> CoreResult<Vec<Value>> {
    let mut stmt =
        conn.prepare(&format!("SELECT {ROW_COLUMNS} FROM records WHERE change_seq > ?1 ORDER BY change_seq"))?;
    let rows = stmt.query_map([from], row_from)?.map(|r| r.map(|row| row.to_json())).collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

impl Store {
    /// Writes the next bundle into `dir` (see the module comment).
    pub fn export_bundle(&self, dir: &Path, mode: ExportMode) -> CoreResult<ExportResult> {
        let (id, head, snapshot) = {
            let conn = self.reader();
            // One read transaction: the records and the change range come from the same state.
            let tx = conn.unchecked_transaction()?;
            let office = require_office(&tx)?;
            let id = identity::require(&tx)?;
            let head = identity::chain_head(&tx, &id)?;
            let from = match mode {
                ExportMode::Changes => head.to_change_seq,
                ExportMode::Full => 0,
                ExportMode::Unconfirmed => identity::confirmed_change_seq(&tx)?,
            };
            let records = records_after(&tx, from)?;
            if records.is_empty() {
                let message = match mode {
                    ExportMode::Changes => {
                        format!("自上次导出（第 {} 号数据包）以来没有新的变更，未生成数据包", head.seq)
                    }
                    ExportMode::Full => "还没有任何记录，未生成数据包".to_string(),
                    ExportMode::Unconfirmed => "所有记录都已由汇总站入库确认，未生成数据包".to_string(),
                };
                return Ok(ExportResult::NothingToExport { message });
            }
            let manifest = Manifest {
                format_version: FORMAT_VERSION,
                office_code: office.code.clone(),
                office_name: office.name.clone(),
                seq: u64::try_from(head.seq + 1).unwrap_or(1),
                prev_bundle_hash: head.hash.clone(),
                created_at: self.now_text(),
                schema_version: migrations::latest_version(),
                export_kind: mode.kind(),
                from_change_seq: from,
                to_change_seq: max_change_seq(&tx)?,
                prev_to_change_seq: head.to_change_seq,
                registers: Default::default(),
            };
            (id, head, Snapshot { manifest, records })
        };
        let name = format!("{}-{}.{BUNDLE_EXT}", snapshot.manifest.office_code, snapshot.manifest.seq);
        let bytes = write_bundle(&snapshot.manifest, &snapshot.records, &id.office_key, &id.station)
            .map_err(|e| refused_file(&name, &e))?;
        let hash = cunjing_bundle::file_hash(&bytes);
        let office_public = id.office_key.public();
        let path = media::write_verified(dir, &name, &bytes, |back| {
            let sealed = read_bundle(back).map_err(|e| refused_file(&name, &e))?;
            sealed.verify(&office_public).map_err(|e| refused_file(&name, &e))?;
            if sealed.hash != hash {
                return Err(CoreError::refused(ErrorCode::Io, name.as_str(), "写入后读回的数据包校验值不符"));
            }
            Ok(())
        })?;
        let outcome = self.record_export(&snapshot, &head, mode, &path, &hash, bytes.len())?;
        Ok(ExportResult::Written(outcome))
    }

    fn record_export(
        &self,
        snapshot: &Snapshot,
        head: &ChainHead,
        mode: ExportMode,
        path: &Path,
        hash: &str,
        bytes: usize,
    ) -> CoreResult<ExportOutcome> {
        let m = &snapshot.manifest;
        let seq = head.seq + 1;
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let taken: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM sync_exports WHERE seq >= ?1)", [seq], |r| r.get(0))?;
        if taken {
            return Err(CoreError::refused(
                ErrorCode::SeqConflict,
                path.display().to_string(),
                format!("另一次导出同时生成了第 {seq} 号数据包；本次文件作废，请重新导出"),
            ));
        }
        let count = i64::try_from(snapshot.records.len()).unwrap_or(i64::MAX);
        let size = i64::try_from(bytes).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO sync_exports (seq, export_kind, created_at, from_change_seq, to_change_seq, prev_to_change_seq,
                                       record_count, bundle_hash, prev_bundle_hash, file_path, bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                seq,
                mode.code(),
                m.created_at,
                m.from_change_seq,
                m.to_change_seq,
                m.prev_to_change_seq,
                count,
                hash,
                m.prev_bundle_hash,
                path.display().to_string(),
                size
            ],
        )?;
        tx.commit()?;
        let registers = cunjing_bundle::bundle::summarise(&snapshot.records)
            .map(|s| s.into_iter().map(|(k, v)| (k, i64::try_from(v.count).unwrap_or(i64::MAX))).collect())
            .unwrap_or_default();
        Ok(ExportOutcome {
            seq,
            path: path.display().to_string(),
            export_kind: mode,
            record_count: count,
            registers,
            bytes: size,
            from_change_seq: m.from_change_seq,
            to_change_seq: m.to_change_seq,
            bundle_hash: hash.to_string(),
        })
    }
}
