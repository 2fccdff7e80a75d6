//! Receipts, station side: per office, what the station holds (bundle numbers and the change
//! number every record is confirmed up to), what is missing and what was refused, signed.

use cunjing_bundle::{FORMAT_VERSION, Receipt, ReceiptRejection};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::StationStore;
use super::query::office_coverage;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::sync::{RECEIPT_EXT, refused_file};

/// A receipt to take back to the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptFile {
    pub office_code: String,
    pub file_name: String,
    pub received_through_seq: i64,
    pub confirmed_change_seq: i64,
    pub missing: Vec<i64>,
    pub rejected: i64,
    #[serde(skip)]
    #[ts(skip)]
    pub bytes: Vec<u8>,
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl StationStore {
    pub fn receipt(&self, office_code: &str) -> CoreResult<ReceiptFile> {
        let conn = self.reader();
        let tx = conn.unchecked_transaction()?;
        let (info, secret) = self.require_station(&tx)?;
        let known: Option<String> =
            tx.query_row("SELECT name FROM offices WHERE code = ?1", [office_code], |r| r.get(0)).optional()?;
        if known.is_none() {
            return Err(CoreError::refused(
                ErrorCode::UnknownOffice,
                "office_code",
                format!("本站没有登记警务室 {office_code}"),
            ));
        }
        let c = office_coverage(&tx, office_code)?;
        // The latest refusal per bundle number, newest first (at most 100: a receipt stays small).
        let mut stmt = tx.prepare(
            "SELECT seq, bundle_hash, code, reason, at FROM rejections WHERE office_code = ?1
             ORDER BY id DESC LIMIT 100",
        )?;
        let rejected = stmt
            .query_map([office_code], |r| {
                Ok(ReceiptRejection {
                    seq: to_u64(r.get(0)?),
                    bundle_hash: r.get(1)?,
                    code: r.get(2)?,
                    reason: r.get(3)?,
                    at: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let now = self.now_text();
        let receipt = Receipt {
            format_version: FORMAT_VERSION,
            station_name: info.name,
            station_fingerprint: info.fingerprint,
            office_code: office_code.to_string(),
            created_at: now.clone(),
            highest_seq: to_u64(c.highest_seq),
            received_through_seq: to_u64(c.received_through_seq),
            confirmed_change_seq: c.confirmed_change_seq,
            missing: c.missing.iter().map(|m| to_u64(*m)).collect(),
            rejected,
        };
        let bytes = receipt.seal(secret.signing()).map_err(|e| refused_file("", &e))?;
        let stamp: String = now.chars().filter(char::is_ascii_digit).take(14).collect();
        Ok(ReceiptFile {
            office_code: office_code.to_string(),
            file_name: format!("{office_code}-receipt-{stamp}.{RECEIPT_EXT}"),
            received_through_seq: c.received_through_seq,
            confirmed_change_seq: c.confirmed_change_seq,
            missing: c.missing,
            rejected: i64::try_from(receipt.rejected.len()).unwrap_or(0),
            bytes,
        })
    }
}
