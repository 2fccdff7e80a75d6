//! Receipts, office side: the station's signed statement of what it holds. Records whose latest
//! change it covers show as confirmed at the county (入库确认); what it reports missing or
//! rejected is shown so the officer can export again.

use cunjing_bundle::Receipt;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ExportInfo, ReceiptInfo, RejectedBundle, SyncStatus, identity, refused_file};
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::store::Store;
use crate::store::office::require_office;

/// The result of `cunjing receipt import`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptOutcome {
    pub station_name: String,
    pub created_at: String,
    pub received_through_seq: i64,
    pub confirmed_change_seq: i64,
    /// Records that became confirmed with this receipt.
    pub newly_confirmed: i64,
    pub still_unconfirmed: i64,
    pub missing: Vec<i64>,
    pub rejected: Vec<RejectedBundle>,
    /// The same receipt had been imported before; nothing changed.
    pub already_imported: bool,
}

fn count_after(conn: &Connection, change_seq: i64) -> CoreResult<i64> {
    Ok(conn.query_row("SELECT count(*) FROM records WHERE change_seq > ?1", [change_seq], |r| r.get(0))?)
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// Imports a receipt from the station this office is enrolled with.
    pub fn import_receipt(&self, bytes: &[u8], file: &str) -> CoreResult<ReceiptOutcome> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let office = require_office(&tx)?;
        let id = identity::require(&tx)?;
        let receipt = Receipt::open(bytes, &id.station.verify_key).map_err(|e| refused_file(file, &e))?;
        if receipt.office_code != office.code {
            return Err(CoreError::refused(
                ErrorCode::WrongOffice,
                file,
                format!("这份回执是给警务室 {} 的，本机是 {}", receipt.office_code, office.code),
            ));
        }
        let before = identity::confirmed_change_seq(&tx)?;
        let hash = cunjing_bundle::file_hash(bytes);
        let seen: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM sync_receipts WHERE receipt_hash = ?1)", [&hash], |r| r.get(0))?;
        let rejected: Vec<RejectedBundle> = receipt
            .rejected
            .iter()
            .map(|r| RejectedBundle {
                seq: as_i64(r.seq),
                code: r.code.clone(),
                reason: r.reason.clone(),
                at: r.at.clone(),
            })
            .collect();
        let missing: Vec<i64> = receipt.missing.iter().map(|m| as_i64(*m)).collect();
        if !seen {
            tx.execute(
                "INSERT INTO sync_receipts (imported_at, created_at, highest_seq, received_through_seq,
                                            confirmed_change_seq, missing, rejected, receipt_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    self.now_text(),
                    receipt.created_at,
                    as_i64(receipt.highest_seq),
                    as_i64(receipt.received_through_seq),
                    receipt.confirmed_change_seq,
                    serde_json::to_string(&missing)?,
                    serde_json::to_string(&rejected)?,
                    hash
                ],
            )?;
        }
        // Receipts may come back out of order: the highest confirmation counts.
        let after = identity::confirmed_change_seq(&tx)?;
        let still_unconfirmed = count_after(&tx, after)?;
        let outcome = ReceiptOutcome {
            station_name: receipt.station_name,
            created_at: receipt.created_at,
            received_through_seq: as_i64(receipt.received_through_seq),
            confirmed_change_seq: after,
            newly_confirmed: count_after(&tx, before)? - still_unconfirmed,
            still_unconfirmed,
            missing,
            rejected,
            already_imported: seen,
        };
        tx.commit()?;
        Ok(outcome)
    }

    /// The highest change number the station has confirmed: a record whose `change_seq` is not
    /// above it is in the county database (入库确认).
    pub fn confirmed_change_seq(&self) -> CoreResult<i64> {
        identity::confirmed_change_seq(&self.reader())
    }

    /// What the office's sync screen shows.
    pub fn sync_status(&self) -> CoreResult<SyncStatus> {
        let conn = self.reader();
        let tx = conn.unchecked_transaction()?;
        require_office(&tx)?;
        let id = identity::load(&tx)?;
        let last_export = tx
            .query_row(
                "SELECT seq, export_kind, created_at, record_count, file_path, bytes FROM sync_exports
                 ORDER BY seq DESC LIMIT 1",
                [],
                |r| {
                    Ok(ExportInfo {
                        seq: r.get(0)?,
                        export_kind: r.get(1)?,
                        created_at: r.get(2)?,
                        record_count: r.get(3)?,
                        file_path: r.get(4)?,
                        bytes: r.get(5)?,
                    })
                },
            )
            .optional()?;
        let last_receipt = tx
            .query_row(
                "SELECT imported_at, created_at, received_through_seq, confirmed_change_seq, missing, rejected
                 FROM sync_receipts ORDER BY created_at DESC, id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?)),
            )
            .optional()?
            .map(|(imported_at, created_at, received_through_seq, confirmed_change_seq, missing, rejected)| {
                Ok::<_, CoreError>(ReceiptInfo {
                    imported_at,
                    created_at,
                    received_through_seq,
                    confirmed_change_seq,
                    missing: serde_json::from_str(&missing)?,
                    rejected: serde_json::from_str(&rejected)?,
                })
            })
            .transpose()?;
        let confirmed = identity::confirmed_change_seq(&tx)?;
        let pending = match &id {
            Some(id) => count_after(&tx, identity::chain_head(&tx, id)?.to_change_seq)?,
            None => count_after(&tx, 0)?,
        };
        Ok(SyncStatus {
            enrolled: id.is_some(),
            station_name: id.as_ref().map(|i| i.station_name.clone()),
            station_fingerprint: id.as_ref().map(|i| i.station_fingerprint.clone()),
            office_key_fingerprint: id.as_ref().map(|i| i.office_key.public().fingerprint()),
            last_export,
            pending_records: pending,
            unconfirmed_records: count_after(&tx, confirmed)?,
            confirmed_change_seq: confirmed,
            last_receipt,
        })
    }
}
