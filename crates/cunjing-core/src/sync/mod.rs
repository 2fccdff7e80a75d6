//! USB sync, office side: enrollment with the county station, export bundles written safely to
//! removable media, and receipts brought back (docs/bundle-format.md). The file formats and
//! their cryptography are in the `cunjing-bundle` crate; this module keeps the office's state
//! (its key, the bundle chain, what the station confirmed) in the office database.

mod canonical;
mod enroll;
pub(crate) mod export;
pub(crate) mod identity;
pub mod media;
mod receipt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, ErrorCode};

pub(crate) use canonical::CanonicalObject;
pub use canonical::canonical_hash;
pub use enroll::{EnrollOutcome, EnrollmentPreview, preview_enrollment};
pub use export::{ExportMode, ExportOutcome, ExportResult};
pub use receipt::ReceiptOutcome;

/// File name extensions of the sync files.
pub const BUNDLE_EXT: &str = "cjb";
pub const ENROLLMENT_EXT: &str = "cje";
pub const OFFICE_KEY_EXT: &str = "cjk";
pub const RECEIPT_EXT: &str = "cjr";

/// A sync file refused: the format crate's reason as a core refusal naming the file.
pub(crate) fn refused_file(file: &str, e: &cunjing_bundle::FormatError) -> CoreError {
    let code = match e {
        cunjing_bundle::FormatError::WrongStation { .. } => ErrorCode::WrongStation,
        _ => ErrorCode::SyncFileRefused,
    };
    CoreError::refused(code, file, format!("{e}（{}）", e.code()))
}

/// What the office's sync screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub enrolled: bool,
    pub station_name: Option<String>,
    pub station_fingerprint: Option<String>,
    pub office_key_fingerprint: Option<String>,
    pub last_export: Option<ExportInfo>,
    /// Records changed since the last bundle (what a plain export would carry).
    pub pending_records: i64,
    /// Records whose latest change the station has not confirmed by receipt.
    pub unconfirmed_records: i64,
    pub confirmed_change_seq: i64,
    pub last_receipt: Option<ReceiptInfo>,
}

/// One bundle this office wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportInfo {
    pub seq: i64,
    pub export_kind: String,
    pub created_at: String,
    pub record_count: i64,
    pub file_path: String,
    pub bytes: i64,
}

/// The last receipt brought back from the station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptInfo {
    pub imported_at: String,
    pub created_at: String,
    pub received_through_seq: i64,
    pub confirmed_change_seq: i64,
    pub missing: Vec<i64>,
    pub rejected: Vec<RejectedBundle>,
}

/// A bundle the station refused, as its receipt reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RejectedBundle {
    pub seq: i64,
    pub code: String,
    pub reason: String,
    pub at: String,
}
