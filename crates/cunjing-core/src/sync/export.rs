//! Export: the records changed since the last bundle (or all of them, or all the station has
//! not confirmed) as one signed, encrypted bundle on the stick. The local chain advances only
//! after the file has been written, read back and verified under its real name.

use std::path::Path;

use cunjing_bundle::{ExportKind, FORMAT_VERSION, Manifest, RecordLines, read_bundle, write_bundle_lines};
use rusqlite::{Connection, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::identity::{self, ChainHead};
use super::{BUNDLE_EXT, media, refused_file};
use crate::domain::codes::CodeEnum;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::store::Store;
use crate::store::migrations;
use crate::store::office::require_office;
use crate::store::read::{ROW_COLUMNS, meta_from};

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
    records: RecordLines,
}

fn max_change_seq(conn: &Connection) -> CoreResult<i64> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0))?)
}

/// The records whose latest change is after `from`, oldest change first, each as its flat
/// object on one line: the envelope's fields, then the register's fields as stored — the
/// object `StoredRow::to_json` makes, written from the row without a `Value` for it (parsing
/// and rebuilding every record cost most of a big office's export). The stored fields are
/// checked to be one JSON object first, as parsing them did.
pub(crate) fn record_lines(conn: &Connection, from: i64) -> CoreResult<RecordLines> {
    let mut stmt =
        conn.prepare(&format!("SELECT {ROW_COLUMNS} FROM records WHERE change_seq > ?1 ORDER BY change_seq"))?;
    let mut rows = stmt.query([from])?;
    let mut out = RecordLines::default();
    while let Some(row) = rows.next()? {
        let meta = meta_from(row)?;
        let data = row.get_ref(11)?.as_str().map_err(rusqlite::Error::from)?;
        // The table keeps `data` valid JSON (CHECK json_valid), and the store writes it compact:
        // text from `{` to `}` is then one object, whose fields follow the envelope's. Anything
        // else (never written by this program) is read into a `Value` first — text with a line
        // break too: valid JSON, but the bundle holds one record per line.
        let (register, seq, voided) = (meta.register.code(), meta.change_seq, meta.voided);
        let compact = data.strip_prefix('{').and_then(|d| d.strip_suffix('}')).filter(|d| !d.contains('\n'));
        match compact {
            Some(fields) => out.push(register, seq, voided, |line| {
                // Writing into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *line, &meta);
                if !fields.trim().is_empty() {
                    line.pop(); // the envelope's closing brace
                    line.push(b',');
                    line.extend_from_slice(fields.as_bytes());
                    line.push(b'}');
                }
            }),
            None => {
                let data = serde_json::from_str(data)?;
                let record = crate::store::read::StoredRow { meta, data }.to_json();
                out.push_value(&record)
                    .map_err(|e| CoreError::refused(ErrorCode::Database, "data", format!("记录内容无法导出：{e}")))?;
            }
        }
    }
    Ok(out)
}

/// The same records as [`record_lines`], each read into a `Value` the plain way (the store's
/// `to_json`): what the lines must be equivalent to, and records for tests to spoil.
#[cfg(test)]
pub(crate) fn records_after(conn: &Connection, from: i64) -> CoreResult<Vec<serde_json::Value>> {
    let mut stmt =
        conn.prepare(&format!("SELECT {ROW_COLUMNS} FROM records WHERE change_seq > ?1 ORDER BY change_seq"))?;
    let rows = stmt
        .query_map([from], crate::store::read::row_from)?
        .map(|r| r.map(|row| row.to_json()))
        .collect::<Result<Vec<_>, _>>()?;
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
            let records = record_lines(&tx, from)?;
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
        let bytes = write_bundle_lines(&snapshot.manifest, &snapshot.records, &id.office_key, &id.station)
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
        let registers = snapshot
            .records
            .registers()
            .iter()
            .map(|(k, v)| (k.clone(), i64::try_from(v.count).unwrap_or(i64::MAX)))
            .collect();
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::Value;

    use super::*;
    use crate::demo::{DemoConfig, demo_office, fill};
    use crate::vault::DbKey;

    /// Each line written from its row is the same JSON object as the record read the plain way
    /// (`to_json`), in the same order, and the summary counts what the lines hold.
    #[test]
    fn each_line_is_the_record_the_store_reads() {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = Arc::new(crate::FixedClock::parse("2026-11-28T10:00:00+08:00").expect("clock"));
        let store = Store::create(&dir.path().join("office.db"), &demo_office(), &DbKey::Plain, clock).expect("office");
        fill(&store, &DemoConfig { households: 60, years: 1, seed: 8 }, &mut |_| {}).expect("demo");
        // A record with no fields of its own, and one whose stored text is not compact (read the
        // plain way).
        let conn = store.reader();
        conn.execute("UPDATE records SET data = '{}' WHERE rowid = 1", []).expect("empty fields");
        conn.execute("UPDATE records SET data = ' { \"note\" : \"空 格\" } ' WHERE rowid = 2", []).expect("spaced");
        conn.execute("UPDATE records SET data = '{\"note\":\"甲\",' || char(10) || '\"more\":1}' WHERE rowid = 3", [])
            .expect("a line break between fields");
        drop(conn);
        let conn = store.reader();
        for from in [0, 500] {
            let lines = record_lines(&conn, from).expect("lines");
            let plain = records_after(&conn, from).expect("records");
            let parsed: Vec<Value> =
                lines.text_lines().map(|l| serde_json::from_slice(l).expect("each line is one JSON object")).collect();
            assert_eq!(parsed.len(), plain.len());
            assert!(plain.len() > 100);
            assert_eq!(parsed, plain);
            assert_eq!(
                lines.registers(),
                &cunjing_bundle::bundle::summarise(&plain).expect("summary"),
                "the manifest's summary"
            );
        }
        drop(conn);
    }
}
